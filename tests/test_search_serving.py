"""What a long-running searcher (`mm serve`) keeps between searches: query vectors, and audit rows
written off the request path, none of them lost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from mm_assets.operations.audit_writer import AuditNotWritten, AuditWriter
from mm_assets.operations.search import QueryVectorCache
from resources.catalog_db import CatalogDatabase, new_id, utcnow
from resources.catalog_tables import search_audit
from resources.query_encoder import minilm_query_encoder


def audit_row(audit_id: str | None = None) -> dict:
    return {
        "audit_id": audit_id or new_id(),
        "at": utcnow(),
        "who": "test",
        "tenant_id": "demo",
        "query_hash": "h",
        "result_ids": [],
        "scores": [],
        "details": {},
        "stage_ms": {"total": 1.0},
    }


def audit_ids(catalog: CatalogDatabase) -> set[str]:
    with catalog.engine.connect() as conn:
        return set(conn.execute(sa.select(search_audit.c.audit_id)).scalars())


@pytest.fixture
def catalog(tmp_path: Path) -> CatalogDatabase:
    return CatalogDatabase(f"sqlite:///{tmp_path / 'catalog.db'}")


def test_a_repeated_query_text_is_encoded_once_and_the_oldest_text_leaves_first() -> None:
    encoder = minilm_query_encoder()
    cache = QueryVectorCache(encoder, size=2)

    first = cache.vector("invoice total")
    assert cache.vector("invoice total") is first and (cache.hits, cache.misses) == (1, 1)
    assert np.allclose(first, encoder.embed_texts(["invoice total"])[0])
    assert not first.flags.writeable  # shared between searches: nobody may change it

    cache.vector("rocket launch")
    cache.vector("coffee cup")  # the least recently used text, "invoice total", leaves
    cache.vector("invoice total")
    assert cache.misses == 4


def test_queued_audit_rows_are_in_the_catalog_after_flush_and_after_close(catalog: CatalogDatabase) -> None:
    writer = AuditWriter(catalog)
    rows = [audit_row() for _ in range(5)]
    for row in rows:
        writer.put([row])
    writer.flush()
    assert {row["audit_id"] for row in rows} <= audit_ids(catalog) and writer.pending == 0

    last = audit_row()
    writer.put([last])
    writer.close()  # shutdown: what is queued is written first
    assert last["audit_id"] in audit_ids(catalog)
    with pytest.raises(AuditNotWritten):
        writer.put([audit_row()])  # a closed writer says so; it never drops a row quietly


def test_an_audit_row_the_catalog_refuses_is_kept_and_retried_not_dropped(catalog: CatalogDatabase) -> None:
    taken = audit_row()
    catalog.insert_rows(search_audit, [taken])
    writer = AuditWriter(catalog)
    try:
        writer.put([audit_row(taken["audit_id"])])  # the same primary key: the insert fails
        with pytest.raises(AuditNotWritten):
            writer.flush(timeout_s=0.5)
        assert writer.pending == 1 and writer.failed_inserts >= 1

        with catalog.engine.begin() as conn:  # the conflict is gone: the retry lands
            conn.execute(search_audit.delete().where(search_audit.c.audit_id == taken["audit_id"]))
        writer.flush(timeout_s=10)
        assert writer.pending == 0 and taken["audit_id"] in audit_ids(catalog)
    finally:
        writer.close()
