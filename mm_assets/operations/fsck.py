"""`mm fsck`: compare the store, the catalog and Dagster's partitions; report (and repair) what a crash left.

A crash can leave, at worst: a temp file in the store (killed mid-copy), an original or a payload
without its catalog row (killed between the durable write and the commit), a catalog row without its
partition (killed before registration). Rows never exist without their bytes (bytes are written
first), so `source_without_original`, `artifact_without_payload` and `partition_without_source`
mean someone changed the store or the databases by hand; they are reported, and repaired where the
repair is safe.

Dry run by default. Run `--repair` while no ingest or materialize is running: an ingest in flight
has originals whose rows are a moment away, and fsck would quarantine them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import dagster as dg
import sqlalchemy as sa

from mm_assets.artifacts import store_key_of
from mm_assets.operations.forget import ForgetIntent, unfinished_forgets
from mm_assets.operations.relocate import absolute_uris, rewrite_uri
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.blob_store import BlobStore, ForeignStoreUri, media_key, store_relative_uri
from resources.catalog import (
    CatalogResource,
    derived_artifact,
    new_id,
    quarantine_item,
    source_media,
    source_owner,
    utcnow,
)
from resources.source_owners import add_owners, owner_row_of

ORPHANED_ORIGINAL = "orphaned_original"
_MEDIA_KEY = re.compile(r"^media/[0-9a-f]{2}/([0-9a-f]{64})$")

# What each finding means and what --repair does about it.
REPAIRS = {
    "temp_file": "deleted (left by a writer that was killed mid-copy)",
    "original_without_row": "moved to quarantine (reason orphaned_original): ingest the file again",
    "payload_without_row": "deleted (a later run writes it again if it is still wanted)",
    "source_without_partition": "partition registered",
    "partition_without_source": "partition deleted",
    "artifact_without_payload": "row (and its side files) deleted: run the `next_step` command to make it again",
    "source_without_original": "not repairable here: ingest the file again, or `mm forget` it",
    "unfinished_forget": "forget finished (payloads, original, index, catalog and Dagster rows wiped)",
    "foreign_uri": "rewritten store-relative (as `mm migrate` does): the same key in this store",
    "source_without_owner": "ownership row written from the source row (the tenant whose ingest wrote it)",
}


@dataclass
class Finding:
    kind: str
    key: str
    detail: str
    repair: str
    repaired: bool = False
    next_step: str | None = None


@dataclass
class FsckReport:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return all(finding.repaired for finding in self.findings)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "counts": self.counts(),
            "checked": self.checked,
            "findings": [asdict(finding) for finding in self.findings],
        }


def fsck(
    catalog: CatalogResource,
    store: BlobStore,
    instance: dg.DagsterInstance,
    *,
    side_files: Sequence[str],
    repair: bool = False,
    quarantine_tenant: str = "default",
    finish_forget: Callable[[ForgetIntent], object] | None = None,
) -> FsckReport:
    """Compare store, catalog and partitions; with `repair`, fix what can be fixed safely.

    `side_files` are the suffixes of the files kinds write beside a payload (`mm_assets.kinds.
    payload_side_files()`; '#' stands for a digit): such a file belongs to its payload's row.
    `finish_forget(intent)` finishes an interrupted `mm forget`; until it has run, what that forget
    left (its original, payloads, partition) is its finding's, never quarantined or re-registered.
    """
    report = FsckReport()
    forgets = unfinished_forgets(catalog)
    if forgets:
        for finding, fix in _unfinished_forgets(forgets, finish_forget):
            report.findings.append(finding)
            if repair and fix is not None:
                fix()
                finding.repaired = True
        if not all(finding.repaired for finding in report.findings):
            return report  # the other checks would take the forget's leftovers for a crash's
    checks = (
        lambda: _temp_files(store),
        lambda: _foreign_uris(catalog, store),
        lambda: _originals_vs_rows(catalog, store, quarantine_tenant, report),
        lambda: _sources_without_owner(catalog),
        lambda: _artifacts_vs_payloads(catalog, store, report, side_file_pattern(side_files)),
        lambda: _rows_vs_partitions(catalog, instance, report),
    )
    for check in checks:
        for finding, fix in check():
            report.findings.append(finding)
            if repair and fix is not None:
                fix()
                finding.repaired = True
    return report


Fix = Any  # a zero-argument callable, or None when there is no safe repair


def _finding(kind: str, key: str, detail: str, next_step: str | None = None) -> Finding:
    return Finding(kind, key, detail, REPAIRS[kind], next_step=next_step)


def _unfinished_forgets(
    forgets: Sequence[ForgetIntent], finish_forget: Callable[[ForgetIntent], object] | None
) -> Iterable[tuple[Finding, Fix]]:
    for intent in forgets:
        detail = f"`mm forget` of tenant {intent.tenant_id!r} was interrupted (tombstone {intent.tombstone})"
        fix = (lambda i=intent: finish_forget(i)) if finish_forget is not None else None
        yield _finding("unfinished_forget", intent.content_hash, detail, f"mm forget {intent.content_hash}"), fix


def _temp_files(store: BlobStore) -> Iterable[tuple[Finding, Fix]]:
    stale = getattr(store, "stale_temp_files", lambda: [])()  # S3 writes are atomic: no temp files
    for path in stale:
        yield _finding("temp_file", str(path), f"{path.stat().st_size} bytes"), lambda p=path: p.unlink(missing_ok=True)


def _source_hashes(catalog: CatalogResource) -> set[str]:
    with catalog.engine.connect() as conn:
        return set(conn.execute(sa.select(source_media.c.content_hash)).scalars())


def _originals_vs_rows(
    catalog: CatalogResource, store: BlobStore, tenant: str, report: FsckReport
) -> Iterable[tuple[Finding, Fix]]:
    stored = {m.group(1) for key in store.list_keys("media") if (m := _MEDIA_KEY.match(key))}
    rows = _source_hashes(catalog)
    report.checked.update(originals=len(stored), source_rows=len(rows))
    for content_hash in sorted(stored - rows):
        detail = "an original in the store with no source_media row (an ingest stopped before recording it)"
        yield (
            _finding("original_without_row", content_hash, detail),
            lambda h=content_hash: _quarantine_orphan(catalog, store, h, tenant),
        )
    for content_hash in sorted(rows - stored):
        detail = "a source_media row whose original is missing from the store"
        yield _finding("source_without_original", content_hash, detail, f"mm forget {content_hash}"), None


def _sources_without_owner(catalog: CatalogResource) -> Iterable[tuple[Finding, Fix]]:
    """A source row no tenant holds: an ingest stopped between its two inserts (source_media first)."""
    held = sa.select(source_owner.c.content_hash)
    query = sa.select(source_media).where(source_media.c.content_hash.not_in(held))
    with catalog.engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(query).mappings()]
    for row in rows:
        detail = "a source_media row without any source_owner row (an ingest stopped between the two)"
        yield (
            _finding("source_without_owner", row["content_hash"], detail),
            lambda r=row: add_owners(catalog, [owner_row_of(r)]),
        )


def _quarantine_orphan(catalog: CatalogResource, store: BlobStore, content_hash: str, tenant: str) -> None:
    """Keep the bytes (never lose an original) in quarantine, record why, then remove the orphan."""
    key = f"quarantine/{content_hash[:2]}/{content_hash}"
    message = "stored by an ingest that stopped before recording it; ingest the file again"
    store.put_bytes_if_absent(key, store.read_bytes(media_key(content_hash)))
    reason = {"reason": ORPHANED_ORIGINAL, "message": message}
    store.put_bytes_if_absent(f"{key}.reason.json", json.dumps(reason).encode())
    row = {
        "quarantine_id": new_id(),
        "path": store_relative_uri(media_key(content_hash)),
        "content_hash": content_hash,
        "tenant_id": tenant,
        "reason": ORPHANED_ORIGINAL,
        "message": message,
        "quarantine_uri": store_relative_uri(key),
        "created_at": utcnow(),
    }
    catalog.insert_rows(quarantine_item, [row])
    store.delete(media_key(content_hash))


def side_file_pattern(suffixes: Sequence[str]) -> re.Pattern[str]:
    """The side-file suffixes at a key's end, as one pattern ('#' stands for a digit)."""
    alternatives = sorted({re.escape(suffix).replace(r"\#", r"\d") for suffix in suffixes}, key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(alternatives) or '(?!)'})$")


def _payload_stem(key: str, side_files: re.Pattern[str]) -> str:
    """The key without its extension, or without its side-file suffix: a payload and its side files share it."""
    stem = side_files.sub("", key)
    return stem if stem != key else key.rsplit(".", 1)[0]


def _artifacts_vs_payloads(
    catalog: CatalogResource, store: BlobStore, report: FsckReport, side_files: re.Pattern[str]
) -> Iterable[tuple[Finding, Fix]]:
    with catalog.engine.connect() as conn:
        columns = (derived_artifact.c.artifact_id, derived_artifact.c.kind, derived_artifact.c.source_hash)
        rows = conn.execute(sa.select(*columns, derived_artifact.c.payload_uri)).all()
    stored = list(store.list_keys("artifacts"))
    stored_set = set(stored)
    row_keys = {row.artifact_id: _payload_key(store, row.payload_uri) for row in rows}
    report.checked.update(artifact_rows=len(rows), payload_files=len(stored))
    for row in rows:
        if row_keys[row.artifact_id] not in stored_set:
            step = f"mm reprocess --kind {row.kind} --partitions {row.source_hash}"
            detail = f"{row.kind} artifact {row.artifact_id} has no payload at {row_keys[row.artifact_id]}"
            stem = _payload_stem(row_keys[row.artifact_id], side_files)
            beside = [key for key in stored if _payload_stem(key, side_files) == stem]
            yield (
                _finding("artifact_without_payload", row.artifact_id, detail, step),
                lambda a=row.artifact_id, files=beside: _delete_artifact_row(catalog, store, a, files),
            )
    known_stems = {_payload_stem(key, side_files) for key in row_keys.values()}
    for key in stored:
        if _payload_stem(key, side_files) not in known_stems:
            detail = "a payload with no derived_artifact row (a run stopped before recording it)"
            yield _finding("payload_without_row", key, detail), lambda k=key: store.delete(k)


def _payload_key(store: BlobStore, uri: str) -> str:
    """The row's key in this store; a URI into another home (reported as `foreign_uri`) by its key."""
    try:
        return store_key_of(store, uri)
    except ForeignStoreUri as foreign:
        return foreign.key or uri


def _foreign_uris(catalog: CatalogResource, store: BlobStore) -> Iterable[tuple[Finding, Fix]]:
    """Catalog URIs that point into another home (copied or moved before URIs were store-relative)."""
    for found in absolute_uris(catalog):
        if found.outside(store):
            detail = f"{found.table}.{found.column} names {found.uri}, outside the store at {store.root}"
            yield _finding("foreign_uri", found.row_id, detail, "mm migrate"), lambda f=found: rewrite_uri(catalog, f)


def _delete_artifact_row(catalog: CatalogResource, store: BlobStore, artifact_id: str, side_files: list[str]) -> None:
    """The row goes, with the side files (page images) of its missing payload; links to it are cut."""
    for key in side_files:
        store.delete(key)
    with catalog.engine.begin() as conn:
        conn.execute(
            derived_artifact.update().where(derived_artifact.c.superseded_by == artifact_id).values(superseded_by=None)
        )
        conn.execute(derived_artifact.delete().where(derived_artifact.c.artifact_id == artifact_id))


def _rows_vs_partitions(
    catalog: CatalogResource, instance: dg.DagsterInstance, report: FsckReport
) -> Iterable[tuple[Finding, Fix]]:
    partitions = set(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    rows = _source_hashes(catalog)
    report.checked.update(partitions=len(partitions))
    for content_hash in sorted(rows - partitions):
        detail = "a source_media row with no Dagster partition (an ingest stopped before registering it)"
        yield (
            _finding("source_without_partition", content_hash, detail),
            lambda h=content_hash: instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, [h]),
        )
    for content_hash in sorted(partitions - rows):
        detail = "a Dagster partition with no source_media row"
        yield (
            _finding("partition_without_source", content_hash, detail),
            lambda h=content_hash: instance.delete_dynamic_partition(CONTENT_HASH_PARTITIONS_NAME, h),
        )
