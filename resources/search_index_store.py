"""The LanceDB table behind search, as a Dagster resource."""

from __future__ import annotations

from functools import cached_property

import dagster as dg

from resources.index_location import DEFAULT_TABLE, index_storage_options, open_index
from resources.vector_index import VectorIndex


class SearchIndexResource(dg.ConfigurableResource):
    """The LanceDB table behind search (`MM_INDEX`: a folder or s3://bucket/prefix)."""

    uri: str
    table: str = DEFAULT_TABLE

    def open(self, dim: int) -> VectorIndex:
        return open_index(self.uri, dim, self.table)

    def stored_dim(self) -> int | None:
        """The vector dimension of the existing table (None if there is none), read from its schema:
        callers that only maintain the index need no embedding model loaded to know it."""
        import lancedb

        db = lancedb.connect(self.uri, storage_options=self.storage_options)
        try:
            table = db.open_table(self.table)
        except ValueError:  # LanceDB's "table not found"
            return None
        return table.schema.field("visual_vector").type.list_size

    def open_existing(self) -> VectorIndex | None:
        dim = self.stored_dim()
        return None if dim is None else self.open(dim)

    @cached_property
    def storage_options(self) -> dict[str, str] | None:
        return index_storage_options(self.uri)
