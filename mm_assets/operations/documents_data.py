"""A source's tables and invoice fields as `mm tables` and `mm fields` print them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mm_assets.artifacts import current_artifacts
from mm_assets.operations.lifecycle import LifecycleError, owned_source
from resources.blob_store import BlobStore, store_key_of
from resources.catalog import CatalogResource, review_item


def current_payload(catalog: CatalogResource, store: BlobStore, content_hash: str, kind: str) -> dict[str, Any]:
    row = current_artifacts(catalog, kind, [content_hash]).get(content_hash)
    if row is None:
        raise LifecycleError(f"{content_hash[:16]}... has no current {kind} artifact: materialize {kind} first")
    return {"row": row, "payload": json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))}


def source_tables(catalog: CatalogResource, store: BlobStore, content_hash: str, tenant: str | None) -> dict:
    """{"tables": [...]} of the source's current table artifact (another tenant's source is missing)."""
    owned_source(catalog, content_hash, tenant)
    return {"tables": current_payload(catalog, store, content_hash, "table")["payload"]["tables"]}


def write_table_csvs(tables: list[dict], folder: Path, content_hash: str) -> list[Path]:
    """One CSV per table (its rows), named by source, page and position."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, table in enumerate(tables, start=1):
        path = folder / f"{content_hash[:12]}-p{table['page']:04d}-t{index:02d}.csv"
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows(table["rows"])
        paths.append(path)
    return paths


def source_fields(catalog: CatalogResource, store: BlobStore, content_hash: str, tenant: str | None) -> dict:
    """The source's fields payload with the id of its open review item (None without one)."""
    owned_source(catalog, content_hash, tenant)
    found = current_payload(catalog, store, content_hash, "fields")
    with catalog.engine.connect() as conn:
        review_id = conn.execute(
            sa.select(review_item.c.review_id)
            .where(review_item.c.artifact_id == found["row"]["artifact_id"])
            .order_by(review_item.c.created_at.desc())
        ).scalar()
    return {**found["payload"], "review_id": review_id}
