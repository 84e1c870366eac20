"""The artifact lifecycle over the catalog: versions of a source, blast radius, upgrade diffs, the review
queue, and deletion. The CLI commands `mm artifacts`, `mm blast-radius`, `mm diff`, `mm review` and
`mm forget` are thin wrappers over these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from mm_assets.artifacts import supersede
from resources.catalog import (
    CatalogResource,
    derived_artifact,
    review_item,
    source_media,
    source_owner,
    utcnow,
)
from resources.source_owners import owned_source_row, tenant_hashes

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
    """The source as `tenant` sees it (its own file name and governance facts), if that tenant holds it.

    Media only another tenant holds is reported exactly like missing media, so its existence does
    not leak. `tenant=None` is an explicit cross-tenant caller (--global, an admin key).
    """
    row = owned_source_row(catalog, content_hash, tenant)
    if row is None:
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
    a, s, o = derived_artifact, source_media, source_owner
    # One row per owner of each source (a --global caller sees every owner's name, a tenant its own).
    query = (
        sa.select(
            a.c.source_hash.label("content_hash"),
            o.c.tenant_id,
            o.c.original_name,
            s.c.modality,
            a.c.artifact_id,
            a.c.pipeline_version,
            a.c.model_id,
            a.c.created_at,
        )
        .join(s, s.c.content_hash == a.c.source_hash)
        .join(o, o.c.content_hash == a.c.source_hash)
        .where(a.c.kind == kind, a.c.model_id == model_id, a.c.status == "current")
        .order_by(a.c.created_at, o.c.tenant_id)
    )
    if pipeline_version is not None:
        query = query.where(a.c.pipeline_version == pipeline_version)
    if tenant is not None:
        query = query.where(o.c.tenant_id == tenant)
    with catalog.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def _version_matches(row: dict[str, Any], version: str | None) -> bool:
    """VERSION is a model id or `<pipeline_version>+<model_id>` (an asset's code version)."""
    return version is None or version in (row["model_id"], f"{row['pipeline_version']}+{row['model_id']}")


def diff_report(
    catalog: CatalogResource,
    kind: str,
    from_version: str | None = None,
    to_version: str | None = None,
    tenant: str | None = None,
) -> pl.DataFrame:
    """One row per compared upgrade of `kind` (of one tenant's sources, when given): old and new
    versions, the figures, and the decision."""
    query = sa.select(derived_artifact).where(derived_artifact.c.kind == kind)
    if tenant is not None:  # artifacts are shared by content: the tenant's are those of what it holds
        query = query.where(derived_artifact.c.source_hash.in_(tenant_hashes(tenant)))
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
    if tenant is not None:  # a review is about shared content: every owner of it sees it
        query = query.where(review_item.c.source_hash.in_(tenant_hashes(tenant)))
    with catalog.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    # The row's tenant_id is whoever's run raised it; a tenant is shown itself, never another owner.
    return [{**row, "tenant_id": tenant} for row in rows] if tenant is not None else rows


def decide_review(catalog: CatalogResource, review_id: str, approve: bool, tenant: str | None) -> ReviewDecision:
    """Approve (a candidate artifact supersedes the current one) or reject (it is marked rejected)."""
    with catalog.engine.begin() as conn:
        review = conn.execute(sa.select(review_item).where(review_item.c.review_id == review_id)).first()
        mine = tenant is None or (
            review is not None
            and conn.execute(tenant_hashes(tenant).where(source_owner.c.content_hash == review.source_hash)).first()
        )
        if review is None or not mine:
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
