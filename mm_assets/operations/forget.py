"""`mm forget` and `DELETE /v1/media/{hash}`: wipe one source of one tenant, resumably.

An original is shared by every tenant that ingested its bytes (resources/source_owners.py). A forget
by one of several owners releases that tenant's hold only: its ownership row, its quarantine rows,
its search rows and its cost rows go, its file name is scrubbed from the audit and from the shared
source row; the original, the artifacts and the Dagster partition stay for the others. The forget
of the last owner wipes everything, as below.

The intent (a governance_log row in state `started`, naming the tombstone and the file names to scrub)
is committed before anything is deleted; every step after it can be replayed: payloads and the
original, index rows, catalog rows, Dagster's rows. A forget killed anywhere is finished by running
`mm forget HASH` again (the intent stands in for the source row that is gone) or by `mm fsck --repair`.
The last step marks the intent `done` and drops the file names from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mm_assets.operations.lifecycle import owned_source
from mm_assets.orchestration.partition_wipe import vacuum_sqlite_file, wipe_partition
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.blob_store import BlobStore, media_key, store_key_of
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
    source_owner,
    utcnow,
)
from resources.faults import fault_point
from resources.search_index_store import SearchIndexResource
from resources.source_owners import hand_over, owners_of
from resources.stores import open_store

FORGET_STARTED, FORGET_DONE = "started", "done"


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
    resumed: bool = False
    # "released": other tenants still hold the original, only this tenant's hold went; "wiped": the last owner
    scope: str = "wiped"


@dataclass(frozen=True)
class ForgetIntent:
    """A forget that was started: what it must still scrub, under which tombstone."""

    entry_id: str
    content_hash: str
    tenant_id: str
    file_names: list[str]

    @property
    def tombstone(self) -> str:
        return tombstone_name(self.entry_id)


# what stands in for a forgotten hash or file name where a row must stay (audit, Dagster runs)
def tombstone_name(entry_id: str) -> str:
    return f"forgotten-{entry_id}"


def unfinished_forgets(catalog: CatalogResource, content_hash: str | None = None) -> list[ForgetIntent]:
    """Forgets whose intent is written but whose last step never ran (the process was killed)."""
    query = sa.select(governance_log).where(governance_log.c.action == "forget").order_by(governance_log.c.at)
    if content_hash is not None:
        query = query.where(governance_log.c.content_hash == content_hash)
    with catalog.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        ForgetIntent(row["entry_id"], row["content_hash"], row["tenant_id"], list(row["details"].get("file_names", [])))
        for row in rows
        if (row["details"] or {}).get("state") == FORGET_STARTED
    ]


def forget_source(
    catalog: CatalogResource,
    store: BlobStore,
    content_hash: str,
    tenant: str,
    who: str,
    delete_index_rows: Callable[..., int],
    wipe_orchestration: Callable[[str, list[str], str], dict[str, Any]] | None = None,
) -> ForgetReport:
    """Remove the tenant's hold on a source; with the last owner, the original, every payload, every
    catalog row and index row of it; leave a tombstone.

    `delete_index_rows(hashes, tenant=None) -> int` removes the search rows (one tenant's with
    `tenant`, every owner's without) and rebuilds the index files.
    `wipe_orchestration(hash, file_names, tombstone) -> report` removes the partition from Dagster's
    storage. The file name is personal data too: it goes everywhere the hash goes. Audit rows stay,
    naming the tombstone instead of the hash. SQLite catalogs delete with `secure_delete` and are
    vacuumed, so no deleted row survives in free pages. A forget of this tenant that was interrupted
    is finished instead of refused.
    """
    started = [intent for intent in unfinished_forgets(catalog, content_hash) if intent.tenant_id == tenant]
    if started:
        report = finish_forget(catalog, store, started[0], delete_index_rows, wipe_orchestration)
        report.resumed = True
        return report
    source = owned_source(catalog, content_hash, tenant)
    intent = ForgetIntent(new_id(), content_hash, tenant, [source["original_name"]] if source["original_name"] else [])
    with catalog.engine.begin() as conn:
        conn.execute(
            governance_log.insert().values(
                entry_id=intent.entry_id,
                at=utcnow(),
                who=who,
                action="forget",
                content_hash=content_hash,
                tenant_id=tenant,
                details={"state": FORGET_STARTED, "tombstone": intent.tombstone, "file_names": intent.file_names},
            )
        )
    return finish_forget(catalog, store, intent, delete_index_rows, wipe_orchestration)


def finish_forget(
    catalog: CatalogResource,
    store: BlobStore,
    intent: ForgetIntent,
    delete_index_rows: Callable[..., int],
    wipe_orchestration: Callable[[str, list[str], str], dict[str, Any]] | None,
) -> ForgetReport:
    """Carry out (or replay) every step of a started forget; each step is idempotent. Whether other
    owners remain is asked again on every replay: the last one to leave wipes."""
    content_hash = intent.content_hash
    others = [
        row for row in owners_of(catalog, [content_hash]).get(content_hash, []) if row["tenant_id"] != intent.tenant_id
    ]
    if others:
        return _release(catalog, intent, others[0], delete_index_rows)
    with catalog.engine.connect() as conn:
        uris = list(
            conn.execute(
                sa.select(derived_artifact.c.payload_uri).where(derived_artifact.c.source_hash == content_hash)
            ).scalars()
        )
    deleted = _delete_payloads(store, content_hash, uris)
    deleted += int(store.delete(media_key(content_hash)))
    folders = remove_empty_folders(store, content_hash)
    index_rows = delete_index_rows([content_hash])
    sqlite = catalog.engine.dialect.name == "sqlite"
    counts, audit_rows = _delete_catalog_rows(catalog, intent, sqlite)
    fault_point("forget.catalog_committed")
    report = ForgetReport(
        content_hash, intent.tenant_id, deleted, counts, index_rows, intent.entry_id, audit_rows, folders
    )
    if wipe_orchestration is not None:
        report.dagster = wipe_orchestration(content_hash, intent.file_names, intent.tombstone)
        report.dagster_event_log = "wiped"
    details = {
        "state": FORGET_DONE if wipe_orchestration is not None else FORGET_STARTED,
        "payloads_deleted": deleted,
        "rows_deleted": counts,
        "index_rows_deleted": index_rows,
        "audit_rows_rewritten": audit_rows,
        "tombstone": intent.tombstone,
    }
    if wipe_orchestration is None:  # Dagster's rows are still to scrub: keep what names them
        details["file_names"] = intent.file_names
    with catalog.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        conn.execute(
            governance_log.update().where(governance_log.c.entry_id == intent.entry_id).values(details=details)
        )
    if sqlite and catalog.engine.url.database:
        vacuum_sqlite_file(Path(catalog.engine.url.database))
    return report


def _delete_catalog_rows(catalog: CatalogResource, intent: ForgetIntent, sqlite: bool) -> tuple[dict[str, int], int]:
    """Every catalog row of the source (quarantine rows: this tenant's only), in one transaction."""
    content_hash = intent.content_hash
    counts: dict[str, int] = {}
    with catalog.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        conn.execute(
            derived_artifact.update().where(derived_artifact.c.source_hash == content_hash).values(superseded_by=None)
        )
        for table, where in (
            (source_owner, source_owner.c.content_hash == content_hash),
            (derived_artifact, derived_artifact.c.source_hash == content_hash),
            (processing_step, processing_step.c.source_hash == content_hash),
            (processing_event, processing_event.c.source_hash == content_hash),
            (review_item, review_item.c.source_hash == content_hash),
            (
                quarantine_item,
                sa.and_(
                    quarantine_item.c.content_hash == content_hash, quarantine_item.c.tenant_id == intent.tenant_id
                ),
            ),
            (source_media, source_media.c.content_hash == content_hash),
        ):
            counts[table.name] = conn.execute(table.delete().where(where)).rowcount
        audit_rows = _rewrite_search_audit(conn, [content_hash, *intent.file_names], intent.tombstone)
    return counts, audit_rows


def _release(
    catalog: CatalogResource, intent: ForgetIntent, heir: dict[str, Any], delete_index_rows: Callable[..., int]
) -> ForgetReport:
    """Forget one owner of a shared original: its own rows go, the shared ones pass to `heir`."""
    content_hash, tenant = intent.content_hash, intent.tenant_id
    index_rows = delete_index_rows([content_hash], tenant=tenant)
    sqlite = catalog.engine.dialect.name == "sqlite"
    counts: dict[str, int] = {}
    with catalog.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
        for table, where in (
            (source_owner, sa.and_(source_owner.c.content_hash == content_hash, source_owner.c.tenant_id == tenant)),
            (
                quarantine_item,
                sa.and_(quarantine_item.c.content_hash == content_hash, quarantine_item.c.tenant_id == tenant),
            ),
            # what processing cost on this tenant's account (the artifacts it paid for stay, shared)
            (
                processing_step,
                sa.and_(processing_step.c.source_hash == content_hash, processing_step.c.tenant_id == tenant),
            ),
        ):
            counts[table.name] = conn.execute(table.delete().where(where)).rowcount
        # Shared rows recorded under this tenant (whoever ran first) now name a remaining owner.
        for table, column in (
            (derived_artifact, "source_hash"),
            (processing_event, "source_hash"),
            (review_item, "source_hash"),
        ):
            mine = sa.and_(table.c[column] == content_hash, table.c.tenant_id == tenant)
            conn.execute(table.update().where(mine).values(tenant_id=heir["tenant_id"]))
        if (
            conn.execute(
                sa.select(source_media.c.tenant_id).where(source_media.c.content_hash == content_hash)
            ).scalar()
            == tenant
        ):
            hand_over(conn, content_hash, heir)
        audit_rows = _rewrite_search_audit(conn, [content_hash, *intent.file_names], intent.tombstone, tenant)
    fault_point("forget.catalog_committed")
    details = {
        "state": FORGET_DONE,
        "scope": "released",
        "rows_deleted": counts,
        "index_rows_deleted": index_rows,
        "audit_rows_rewritten": audit_rows,
        "tombstone": intent.tombstone,
    }
    with catalog.engine.begin() as conn:
        conn.execute(
            governance_log.update().where(governance_log.c.entry_id == intent.entry_id).values(details=details)
        )
    if sqlite and catalog.engine.url.database:
        vacuum_sqlite_file(Path(catalog.engine.url.database))
    return ForgetReport(content_hash, tenant, 0, counts, index_rows, intent.entry_id, audit_rows, 0, scope="released")


def _rewrite_search_audit(conn: sa.Connection, needles: list[str], tombstone: str, tenant: str | None = None) -> int:
    """Audit rows keep their place; the hash (and file name) in them, and their query hash, become
    the tombstone id (with `tenant`: that tenant's searches only, the other owners' still name it)."""
    columns = (search_audit.c.result_ids, search_audit.c.scores, search_audit.c.details)
    naming = sa.or_(
        *(sa.cast(column, sa.Text).contains(needle, autoescape=True) for column in columns for needle in needles)
    )
    if tenant is not None:
        naming = sa.and_(naming, search_audit.c.tenant_id == tenant)
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


def forget_steps(settings: Settings, instance: Any) -> tuple[Callable[[list[str]], int], Callable[..., dict[str, Any]]]:
    """The two steps of a forget outside the catalog and the store: the search index and Dagster's rows."""

    def delete_index_rows(hashes: list[str], tenant: str | None = None) -> int:
        index = SearchIndexResource(uri=settings.index_uri).open_existing()
        if index is None:
            return 0
        try:
            deleted = index.delete(hashes, tenant=tenant)
            if deleted:
                index.rebuild_indexes_after_delete()
            return deleted
        finally:
            index.close()

    def wipe_orchestration(partition_key: str, names: list[str], tombstone: str) -> dict[str, Any]:
        return wipe_partition(instance, CONTENT_HASH_PARTITIONS_NAME, partition_key, names, tombstone).as_json()

    return delete_index_rows, wipe_orchestration


def forget_everywhere(settings: Settings, instance: Any, content_hash: str, tenant: str, who: str) -> ForgetReport:
    """`mm forget` and `DELETE /v1/media/{hash}`: the catalog, the store, the search index and Dagster's
    records of one source of `tenant`; raises LifecycleError when that tenant has no such source,
    exactly as for a hash that was never ingested."""
    return forget_source(
        CatalogResource(url=settings.catalog_url),
        open_store(settings.store_root),
        content_hash,
        tenant,
        who,
        *forget_steps(settings, instance),
    )
