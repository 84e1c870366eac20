"""Where the search index lives (`MM_INDEX`: a folder or s3://bucket/prefix) and how to open it, without
Dagster, so a cold `mm search` can; search_index_store.py wraps the same as a Dagster resource."""

from __future__ import annotations

from datetime import timedelta

from resources.vector_index import VectorIndex

DEFAULT_TABLE = "media"


def index_storage_options(uri: str) -> dict[str, str] | None:
    if not uri.startswith("s3://"):
        return None
    from resources.s3_store import lance_storage_options

    return lance_storage_options()


def open_index(
    uri: str,
    dim: int,
    table: str = DEFAULT_TABLE,
    read_consistency_interval: timedelta | None = None,
    searching: bool = False,
) -> VectorIndex:
    """The index at `uri` (`read_consistency_interval`: how often to look for other processes' writes;
    `searching`: opened to search, not to write: see VectorIndex)."""
    return VectorIndex(
        uri,
        dim,
        table=table,
        storage_options=index_storage_options(uri),
        read_consistency_interval=read_consistency_interval,
        searching=searching,
    )
