"""Absolute store URIs in the catalog (rows written before URIs were store-relative): find and rewrite them.

A home copied or moved with `cp -a` keeps such rows pointing into the old home. The keys are
content-addressed (`media/<h[:2]>/<h>`, `artifacts/<kind>/<h[:2]>/<h>/<version>.<ext>`), so the key at
the end of an old URI names the same bytes in the store the catalog is opened with. `mm fsck` reports
each such URI (`foreign_uri`); `mm migrate` and `mm fsck --repair` rewrite it as `store:<key>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from resources.blob_store import (
    STORE_URI_PREFIX,
    BlobStore,
    ForeignStoreUri,
    foreign_store_key,
    store_key_of,
    store_relative_uri,
)
from resources.catalog import CatalogResource, derived_artifact, quarantine_item, review_item, source_media

# (table, its id column, its URI columns); review items hold URIs inside their JSON details.
URI_COLUMNS = (
    (derived_artifact, "artifact_id", ("payload_uri",)),
    (source_media, "content_hash", ("uri",)),
    (quarantine_item, "quarantine_id", ("path", "quarantine_uri")),
)


@dataclass(frozen=True)
class AbsoluteUri:
    """One value in the catalog that names a store file by an absolute path or URL."""

    table: str
    row_id: str
    column: str
    uri: str
    key: str  # the store key it names

    def outside(self, store: BlobStore) -> bool:
        """True when it points outside `store` (the home was copied or moved): reading it would fail."""
        try:
            store_key_of(store, self.uri)
        except ForeignStoreUri:
            return True
        return False


def _absolute_key(value: Any) -> str | None:
    """The store key an absolute URI names (in this store or another), or None for anything else."""
    if not isinstance(value, str) or value.startswith(STORE_URI_PREFIX) or "/" not in value:
        return None
    return foreign_store_key(value)


def absolute_uris(catalog: CatalogResource) -> Iterator[AbsoluteUri]:
    """Every absolute store URI in the catalog's rows and review details."""
    with catalog.engine.connect() as conn:
        for table, id_column, columns in URI_COLUMNS:
            query = sa.select(table.c[id_column], *(table.c[column] for column in columns))
            for row in conn.execute(query):
                for column in columns:
                    key = _absolute_key(row._mapping[column])
                    if key is not None:
                        yield AbsoluteUri(table.name, row[0], column, row._mapping[column], key)
        for review_id, details in conn.execute(sa.select(review_item.c.review_id, review_item.c.details)):
            for path, value in _json_strings(details, ()):
                key = _absolute_key(value)
                if key is not None:
                    yield AbsoluteUri("review_item", review_id, "details." + ".".join(map(str, path)), value, key)


def _json_strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _json_strings(item, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _with_relative_uris(details: Any) -> Any:
    if isinstance(details, dict):
        return {name: _with_relative_uris(item) for name, item in details.items()}
    if isinstance(details, list):
        return [_with_relative_uris(item) for item in details]
    key = _absolute_key(details)
    return details if key is None else store_relative_uri(key)


def rewrite_uri(catalog: CatalogResource, found: AbsoluteUri) -> None:
    """Make one absolute URI store-relative (a review item's details are rewritten whole)."""
    with catalog.engine.begin() as conn:
        if found.table == "review_item":
            details = conn.execute(
                sa.select(review_item.c.details).where(review_item.c.review_id == found.row_id)
            ).scalar_one()
            conn.execute(
                review_item.update()
                .where(review_item.c.review_id == found.row_id)
                .values(details=_with_relative_uris(details))
            )
            return
        table, id_column, _ = next(entry for entry in URI_COLUMNS if entry[0].name == found.table)
        conn.execute(
            table.update()
            .where(table.c[id_column] == found.row_id, table.c[found.column] == found.uri)
            .values({found.column: store_relative_uri(found.key)})
        )


def rewrite_absolute_uris(catalog: CatalogResource) -> int:
    """`mm migrate`'s relocation: every absolute store URI rewritten store-relative; returns how many."""
    found = list(absolute_uris(catalog))
    for item in found:
        rewrite_uri(catalog, item)
    return len(found)
