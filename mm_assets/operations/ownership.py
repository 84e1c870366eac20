"""A tenant that ingests bytes another tenant already holds: its own search rows, at once.

Ingest records the new owner beside the shared original (resources/source_owners.py) and answers as
for fresh bytes. If the original is already indexed, that answer must also hold for search: the new
owner gets its own copy of the content's search rows under its own governance columns
(`VectorIndex.share_rows`); no model runs. Not yet indexed: search_index writes one row set per
owner when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from resources.catalog import CatalogResource
from resources.search_index_store import SearchIndexResource
from resources.source_owners import owners_of


def share_search_rows(index_uri: str, catalog: CatalogResource, content_hashes: Sequence[str], tenant: str) -> int:
    """Give `tenant` its row set of each of these (already indexed) originals; returns rows written."""
    if not content_hashes:
        return 0
    index = SearchIndexResource(uri=index_uri).open_existing()
    if index is None:
        return 0
    written = 0
    try:
        for content_hash, owners in owners_of(catalog, content_hashes).items():
            mine = [owner for owner in owners if owner["tenant_id"] == tenant]
            if mine:
                written += index.share_rows(content_hash, mine[0])
    finally:
        index.close()
    return written
