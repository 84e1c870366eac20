"""`mm forget` everywhere at once: the catalog and the store (lifecycle.forget_source), the search
index and Dagster's records of the partition. The CLI and `DELETE /v1/media/{hash}` both call this."""

from __future__ import annotations

from typing import Any

from mm_assets.operations.lifecycle import ForgetReport, forget_source
from mm_assets.orchestration.partition_wipe import wipe_partition
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.search_index_store import SearchIndexResource
from resources.stores import open_store


def forget_everywhere(
    settings: Settings, instance: Any, content_hash: str, tenant: str | None, who: str
) -> ForgetReport:
    """Forget one source of `tenant` (None: any tenant's, for an admin); raises LifecycleError when
    there is no such source for that tenant, exactly as for a hash that was never ingested."""

    def delete_index_rows(hashes: list[str]) -> int:
        index = SearchIndexResource(uri=settings.index_uri).open_existing()
        if index is None:
            return 0
        try:
            deleted = index.delete(hashes)
            if deleted:
                index.rebuild_indexes_after_delete()
            return deleted
        finally:
            index.close()

    def wipe_orchestration(partition_key: str, names: list[str], tombstone: str) -> dict[str, Any]:
        return wipe_partition(instance, CONTENT_HASH_PARTITIONS_NAME, partition_key, names, tombstone).as_json()

    return forget_source(
        CatalogResource(url=settings.catalog_url),
        open_store(settings.store_root),
        content_hash,
        tenant,
        who,
        delete_index_rows,
        wipe_orchestration,
    )
