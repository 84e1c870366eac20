"""The artifact lifecycle over the catalog: versions of a source, blast radius, upgrade diffs, the review
queue, and deletion. The CLI commands `mm artifacts`, `mm blast-radius`, `mm diff`, `mm review` and
`mm forget` are thin wrappers over these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from mm_assets.artifacts import store_key_of, supersede
from mm_assets.orchestration.partition_wipe import vacuum_sqlite_file
from resources.blob_store import BlobStore, media_key
from resources.catalog import (
    CatalogResource,
    derived_artifact,
    governance_log,
    new_id,
    processing_event,
    processing_step,
    quarantine_item,
    review_item,
    search_audit,
    source_media,
    utcnow,
)

ARTIFACT_COLUMNS = (
    "artifact_id",
    "kind",
    "pipeline_version",
    "model_id",
    "status",
    "superseded_by",
    "created_at",
    "payload_uri",
    "input_digest",
)


class LifecycleError(ValueError):
    """A lifecycle request that cannot be carried out; the message says why and what to do."""


def owned_source(catalog: CatalogResource, content_hash: str, tenant: str | None) -> dict[str, Any]:
    """The source row, if it exists and (when a tenant is given) belongs to that tenant.

    Another tenant's media is reported exactly like missing media, so its existence does not leak.
    """
    row = catalog.source_rows([content_hash]).get(content_hash)
    if row is None or (tenant is not None and row["tenant_id"] != tenant):
        raise LifecycleError(f"no media {content_hash[:16]}... for tenant {tenant!r}")
    return row


def artifact_versions(catalog: CatalogResource, content_hash: str, tenant: str | None) -> dict[str, Any]:
    """Every version of every artifact of a source, oldest first, with superseded_by links."""
    source = owned_source(catalog, content_hash, tenant)
    query = (
        sa.select(*(derived_artifact.c[name] for name in ARTIFACT_COLUMNS), derived_artifact.c.attributes)
        .where(derived_artifact.c.source_hash == content_hash)
        .order_by(derived_artifact.c.kind, derived_artifact.c.created_at)
    )
    with catalog.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        comparison = (row.pop("attributes") or {}).get("comparison")
        if comparison:
            row["comparison"] = comparison
        kinds.setdefault(row.pop("kind"), []).append(row)
    return {"content_hash": content_hash, "tenant_id": source["tenant_id"], "artifacts": kinds}


def blast_radius(
    catalog: CatalogResource,
    kind: str,
    model_id: str,
    pipeline_version: str | None = None,
    tenant: str | None = None,
) -> list[dict[str, Any]]:
    """Sources whose current `kind` artifact came from this model (and pipeline version): seed 003's
    runbook query, "all extractions from the same pipeline_version/model_id"."""
    a, s = derived_artifact, source_media
    query = (
        sa.select(
            a.c.source_hash.label("content_hash"),
            s.c.tenant_id,
            s.c.original_name,
            s.c.modality,
            a.c.artifact_id,
            a.c.pipeline_version,
            a.c.model_id,
            a.c.created_at,
        )
        .join(s, s.c.content_hash == a.c.source_hash)
        .where(a.c.kind == kind, a.c.model_id == model_id, a.c.status == "current")
        .order_by(a.c.created_at)
    )
    if pipeline_version is not None:
        query = query.where(a.c.pipeline_version == pipeline_version)
    if tenant is not None:
        query = query.where(s.c.tenant_id == tenant)
    with catalog.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def _version_matches(row: dict[str, Any], version: str | None) -> bool:
    """VERSION is a model id or `<pipeline_version>+<model_id>` (an asset's code version)."""
    return version is None or version in (row["model_id"], f"{row['pipeline_version']}+{row['model_id']}")


def diff_report(
    catalog: CatalogResource, kind: str, from_version: str | None = None, to_version: str | None = None
) -> pl.DataFrame:
    """One row per compared upgrade of `kind`: old and new versions, the figures, and the decision."""
    query = sa.select(derived_artifact).where(derived_artifact.c.kind == kind)
    with catalog.engine.connect() as conn:
        rows = {row.artifact_id: dict(row._mapping) for row in conn.execute(query)}
    records = []
    for row in rows.values():
        comparison = (row["attributes"] or {}).get("comparison")
        old = rows.get(comparison["compared_to"]) if comparison else None
        if old is None or not (_version_matches(old, from_version) and _version_matches(row, to_version)):
            continue
        figures = {key: value for key, value in comparison["figures"].items() if isinstance(value, int | float)}
        records.append(
            {
                "content_hash": row["source_hash"],
                "from_version": f"{old['pipeline_version']}+{old['model_id']}",
                "to_version": f"{row['pipeline_version']}+{row['model_id']}",
                "status": row["status"],
                "within_tolerance": comparison["within_tolerance"],
                "reason": comparison["reason"],
                **figures,
            }
        )
    return pl.DataFrame(records) if records else pl.DataFrame(schema={"content_hash": pl.String})


@dataclass(frozen=True)
class ReviewDecision:
    review_id: str
    status: str
    artifact_id: str | None
    superseded: str | None
    kind: str
    content_hash: str


def list_reviews(catalog: CatalogResource, status: str = "open", tenant: str | None = None) -> list[dict]:
    query = sa.select(review_item).order_by(review_item.c.created_at)
    if status != "all":
        query = query.where(review_item.c.status == status)
    if tenant is not None:
        query = query.where(review_item.c.tenant_id == tenant)
    with catalog.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def decide_review(catalog: CatalogResource, review_id: str, approve: bool, tenant: str | None) -> ReviewDecision:
    """Approve (a candidate artifact supersedes the current one) or reject (it is marked rejected)."""
    with catalog.engine.begin() as conn:
        review = conn.execute(sa.select(review_item).where(review_item.c.review_id == review_id)).first()
        if review is None or (tenant is not None and review.tenant_id != tenant):
            raise LifecycleError(f"no review item {review_id} for tenant {tenant!r}")
        if review.status != "open":
            raise LifecycleError(f"review item {review_id} is already {review.status}")
        artifact = None
        if review.artifact_id:
            artifact = conn.execute(
                sa.select(derived_artifact).where(derived_artifact.c.artifact_id == review.artifact_id)
            ).first()
        superseded = None
        if artifact is not None and artifact.status == "candidate":
            if approve:
                current = conn.execute(
                    sa.select(derived_artifact.c.artifact_id).where(
                        derived_artifact.c.source_hash == artifact.source_hash,
                        derived_artifact.c.kind == artifact.kind,
                        derived_artifact.c.status == "current",
                    )
                ).scalar()
                if current:
                    supersede(conn, current, artifact.artifact_id)
                    superseded = current
                else:
                    conn.execute(
                        derived_artifact.update()
                        .where(derived_artifact.c.artifact_id == artifact.artifact_id)
                        .values(status="current")
                    )
            else:
                conn.execute(
                    derived_artifact.update()
                    .where(derived_artifact.c.artifact_id == artifact.artifact_id)
                    .values(status="rejected")
                )
        status = "approved" if approve else "rejected"
        conn.execute(
            review_item.update().where(review_item.c.review_id == review_id).values(status=status, resolved_at=utcnow())
        )
    return ReviewDecision(review_id, status, review.artifact_id, superseded, review.kind, review.source_hash)


@dataclass
class ForgetReport:
    content_hash: str
    tenant_id: str
    payloads_deleted: int
    catalog_rows_deleted: dict[str, int]
    index_rows_deleted: int
    tombstone_id: str = ""
    audit_rows_rewritten: int = 0
    folders_removed: int = 0
    dagster: dict[str, Any] = field(default_factory=dict)
    dagster_event_log: str = "not touched"


# what stands in for a forgotten hash or file name where a row must stay (audit, Dagster runs)
def tombstone_name(entry_id: str) -> str:
    return f"forgotten-{entry_id}"


def forget_source(
    catalog: CatalogResource,
    store: BlobStore,
    content_hash: str,
    tenant: str,
    who: str,
    delete_index_rows: Any,
    wipe_orchestration: Callable[[str, list[str], str], dict[str, Any]] | None = None,
) -> ForgetReport:
    """Remove the original, every payload, every catalog row and index row of a source; leave a tombstone.

    `delete_index_rows(hashes) -> int` removes the search rows (and rebuilds the index files).
    `wipe_orchestration(hash, file_names, tombstone) -> report` removes the partition from Dagster's
    storage. The file name is personal data too: it goes everywhere the hash goes. Audit rows stay,
    naming the tombstone instead of the hash. SQLite catalogs delete with `secure_delete` and are
    vacuumed, so no deleted row survives in free pages.
    """
    source = owned_source(catalog, content_hash, tenant)
    entry_id = new_id()
    tombstone = tombstone_name(entry_id)
    file_names = [source["original_name"]] if source.get("original_name") else []
    with catalog.engine.connect() as conn:
        uris = [
            row.payload_uri
            for row in conn.execute(
                sa.select(derived_artifact.c.payload_uri).where(derived_artifact.c.source_hash == content_hash)
            )
        ]
    deleted = _delete_payloads(store, content_hash, uris)
    deleted += int(store.delete(media_key(content_hash)))
    folders = remove_empty_folders(store, content_hash)
    index_rows = delete_index_rows([content_hash])
    counts: dict[str, int] = {}
    sqlite = catalog.engine.dialect.name == "sqlite"
    with catalog.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        conn.execute(
            derived_artifact.update().where(derived_artifact.c.source_hash == content_hash).values(superseded_by=None)
        )
        for table, column in (
            (derived_artifact, derived_artifact.c.source_hash),
            (processing_step, processing_step.c.source_hash),
            (processing_event, processing_event.c.source_hash),
            (review_item, review_item.c.source_hash),
            (quarantine_item, quarantine_item.c.content_hash),
            (source_media, source_media.c.content_hash),
        ):
            counts[table.name] = conn.execute(table.delete().where(column == content_hash)).rowcount
        audit_rows = _rewrite_search_audit(conn, [content_hash, *file_names], tombstone)
        conn.execute(
            governance_log.insert().values(
                entry_id=entry_id,
                at=utcnow(),
                who=who,
                action="forget",
                content_hash=content_hash,
                tenant_id=source["tenant_id"],
                details={
                    "payloads_deleted": deleted,
                    "rows_deleted": counts,
                    "index_rows_deleted": index_rows,
                    "audit_rows_rewritten": audit_rows,
                    "tombstone": tombstone,
                },
            )
        )
    report = ForgetReport(content_hash, source["tenant_id"], deleted, counts, index_rows, entry_id, audit_rows, folders)
    if wipe_orchestration is not None:
        report.dagster = wipe_orchestration(content_hash, file_names, tombstone)
        report.dagster_event_log = "wiped"
    if sqlite and catalog.engine.url.database:
        vacuum_sqlite_file(Path(catalog.engine.url.database))
    return report


def _rewrite_search_audit(conn: sa.Connection, needles: list[str], tombstone: str) -> int:
    """Audit rows keep their place; the hash (and file name) in them, and their query hash, become
    the tombstone id."""
    columns = (search_audit.c.result_ids, search_audit.c.scores, search_audit.c.details)
    naming = sa.or_(
        *(sa.cast(column, sa.Text).contains(needle, autoescape=True) for column in columns for needle in needles)
    )
    rows = conn.execute(sa.select(search_audit).where(naming)).mappings().all()
    for row in rows:
        values = {column.name: _replace_in(row[column.name], needles, tombstone) for column in columns}
        # the query that found the forgotten source goes too: its hash could still be matched to a guess
        values["query_hash"] = tombstone
        conn.execute(search_audit.update().where(search_audit.c.audit_id == row["audit_id"]).values(values))
    return len(rows)


def _replace_in(value: Any, needles: list[str], replacement: str) -> Any:
    """The JSON value with every needle replaced, in strings and in keys, at any depth."""
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, replacement)
        return value
    if isinstance(value, list):
        return [_replace_in(item, needles, replacement) for item in value]
    if isinstance(value, dict):
        return {_replace_in(k, needles, replacement): _replace_in(v, needles, replacement) for k, v in value.items()}
    return value


def remove_empty_folders(store: BlobStore, content_hash: str) -> int:
    """The source's now-empty folders on a local store (`artifacts/<kind>/<h[:2]>/<hash>`, and their
    parents when empty): a folder named by the hash names the source. Object stores have no folders."""
    root = getattr(store, "root_path", None)
    if root is None:
        return 0
    removed = 0
    for folder in sorted(Path(root).glob(f"*/**/{content_hash}"), key=lambda p: len(p.parts), reverse=True):
        for candidate in (folder, folder.parent):
            if candidate.is_dir() and candidate != root and not any(candidate.iterdir()):
                candidate.rmdir()
                removed += 1
    return removed


def _delete_payloads(store: BlobStore, content_hash: str, uris: Sequence[str]) -> int:
    """Every payload and side file of the source (page images live beside their manifest)."""
    keys = {store_key_of(store, uri) for uri in uris}
    prefixes = {key.rsplit("/", 1)[0] for key in keys}
    for prefix in prefixes:
        keys.update(store.list_keys(prefix))
    quarantined = f"quarantine/{content_hash[:2]}/{content_hash}"  # an earlier rejected copy, if any
    keys.update({quarantined, f"{quarantined}.reason.json"})
    return sum(int(store.delete(key)) for key in sorted(keys))
