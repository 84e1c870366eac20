"""Who holds which original: `source_owner`, one row per (content hash, tenant).

The original, its derived artifacts and its Dagster partition are shared by content. A tenant sees
a source only through its own ownership row, and sees that row's facts (its file name, upload time,
consent, region, retention, usage rights), never another owner's: `owned_source_row` is the one way
a tenant-scoped read finds a source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from resources.catalog_db import CatalogAccess, dialect_insert
from resources.catalog_tables import OWNER_COLUMNS, source_media, source_owner


def owner_row_of(source: dict[str, Any]) -> dict[str, Any]:
    """The ownership row a source_media row (as ingest builds it) stands for."""
    return {name: source[name] for name in OWNER_COLUMNS}


def add_owners(catalog: CatalogAccess, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert ownership rows, skipping (content hash, tenant) pairs already there (a concurrent
    ingest of the same tenant); returns the content hashes whose row this call inserted."""
    if not rows:
        return set()
    insert = dialect_insert(catalog.engine.dialect.name)
    keys = [source_owner.c.content_hash, source_owner.c.tenant_id]
    statement = insert(source_owner).on_conflict_do_nothing(index_elements=keys).returning(source_owner.c.content_hash)
    with catalog.engine.begin() as conn:
        return {row[0] for row in conn.execute(statement, list(rows))}


def owned_hashes(catalog: CatalogAccess, tenant: str, content_hashes: Iterable[str]) -> set[str]:
    """Which of these content hashes `tenant` holds."""
    hashes = sorted(set(content_hashes))
    found: set[str] = set()
    with catalog.engine.connect() as conn:
        for start in range(0, len(hashes), 500):
            query = sa.select(source_owner.c.content_hash).where(
                source_owner.c.tenant_id == tenant, source_owner.c.content_hash.in_(hashes[start : start + 500])
            )
            found.update(conn.execute(query).scalars())
    return found


def owners_of(catalog: CatalogAccess, content_hashes: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Every ownership row of each content hash, oldest owner first."""
    hashes = sorted(set(content_hashes))
    owners: dict[str, list[dict[str, Any]]] = {}
    with catalog.engine.connect() as conn:
        for start in range(0, len(hashes), 500):
            query = (
                sa.select(source_owner)
                .where(source_owner.c.content_hash.in_(hashes[start : start + 500]))
                .order_by(source_owner.c.uploaded_at, source_owner.c.tenant_id)
            )
            for row in conn.execute(query).mappings():
                owners.setdefault(row["content_hash"], []).append(dict(row))
    return owners


def owned_source_row(catalog: CatalogAccess, content_hash: str, tenant: str | None) -> dict[str, Any] | None:
    """The source as `tenant` sees it (the original's facts and the tenant's own ownership facts), or
    None when the tenant holds no such source. `tenant=None` (an explicit cross-tenant caller): the
    source as its oldest owner sees it."""
    source = catalog.source_rows([content_hash]).get(content_hash)
    if source is None:
        return None
    owners = owners_of(catalog, [content_hash]).get(content_hash, [])
    mine = [row for row in owners if tenant is None or row["tenant_id"] == tenant]
    return {**source, **mine[0]} if mine else None


def tenant_hashes(tenant: str) -> sa.Select:
    """`SELECT content_hash FROM source_owner WHERE tenant_id = :tenant`, to filter any table by."""
    return sa.select(source_owner.c.content_hash).where(source_owner.c.tenant_id == tenant)


def hand_over(conn: sa.Connection, content_hash: str, heir: dict[str, Any]) -> None:
    """source_media's owner facts become those of `heir` (a remaining owner): the leaving tenant's
    file name and choices must not outlive its ownership in the one row every owner shares."""
    values = {name: heir[name] for name in OWNER_COLUMNS if name != "content_hash"}
    conn.execute(source_media.update().where(source_media.c.content_hash == content_hash).values(values))


def sensitive_hashes(catalog: Any, tenant: str | None) -> list[str]:
    """The content hashes flagged sensitive (of one tenant, or of all with None): what search leaves out."""
    query = sa.select(source_media.c.content_hash).where(source_media.c.sensitivity.is_not(None))
    if tenant is not None:  # the tenant's own sources, by ownership (one original may have several owners)
        query = query.where(source_media.c.content_hash.in_(tenant_hashes(tenant)))
    with catalog.engine.connect() as conn:
        return sorted(conn.execute(query).scalars())
