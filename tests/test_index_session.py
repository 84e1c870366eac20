"""Views of one index share the indexes a view already loaded (resources/index_session.py), and find
exactly what a view with caches of its own finds: same hits, same order, same scores, same evidence."""

from __future__ import annotations

from pathlib import Path

import lancedb
import pytest

from resources.index_session import process_session, reset_process_session
from resources.vector_index import VectorIndex
from tests.test_chunk_index import make_chunk
from tests.test_vector_index import DIM, axis, make_row, request

SOURCES = 24


@pytest.fixture
def built(tmp_path: Path) -> str:
    """An index with ANN, full-text and scalar indexes on both tables, written by its own view."""
    uri = str(tmp_path / "index")
    writer = VectorIndex(uri, DIM, vector_index_min_rows=10, session=lancedb.Session())
    rows = [
        make_row(
            f"doc{i}",
            tenant_id="A" if i % 3 else "B",
            visual_vector=axis((i % DIM, 1.0), (0, 0.3)),
            caption_vector=axis(((i + 5) % DIM, 1.0), (1, 0.2)),
            ocr_vector=axis(((i + 9) % DIM, 1.0)),
            has_ocr=True,
            text=f"doc{i} report {'invoice' if i % 2 else 'letter'} words",
        )
        for i in range(SOURCES)
    ]
    writer.upsert(rows)
    chunks = [
        make_chunk(f"doc{i}", n, tenant_id="A" if i % 3 else "B", text_vector=axis(((i + n) % DIM, 1.0), (2, 0.4)))
        for i in range(SOURCES)
        for n in range(2)
    ]
    writer.upsert_chunks(chunks)
    assert writer.index_types()["caption_vector_idx"] == "IvfHnswSq"
    assert writer.index_types(chunks=True)["text_vector_idx"] == "IvfHnswSq"
    writer.close()
    return uri


def searches(index: VectorIndex) -> list[list]:
    """Text-like queries (every vector channel, BM25, the chunk channels) of both tenants, both fusions."""
    found = []
    for tenant in ("A", "B"):
        for position in (0, 4, 11):
            vector = axis((position, 1.0), (2, 0.5))
            for fusion in ("weighted", "rrf"):
                vectors = {"caption": vector, "ocr": vector, "visual": vector}
                found.append(index.search(request(vectors=vectors, fts_text="invoice", tenant=tenant, fusion=fusion)))
    return found


def test_a_new_view_searches_with_the_loaded_indexes_and_finds_the_same(built: str) -> None:
    shared = lancedb.Session()
    first = VectorIndex(built, DIM, session=shared)
    expected = searches(first)
    loaded = shared.approx_num_items
    assert loaded > 0 and any(hits and hits[0].evidence for hits in expected)

    second = VectorIndex(built, DIM, session=shared)  # the server's view after an upload or a forget
    assert searches(second) == expected
    assert shared.approx_num_items == loaded  # nothing read and decoded again

    own = lancedb.Session()  # a view with caches of its own loads everything, and finds the same
    alone = VectorIndex(built, DIM, session=own)
    assert searches(alone) == expected
    assert own.approx_num_items >= loaded
    for index in (first, second, alone):
        index.close()


def test_views_share_the_process_session_until_a_delete_starts_a_fresh_one(built: str) -> None:
    reset_process_session()
    before = VectorIndex(built, DIM)
    assert before.session is process_session()
    searches(before)
    another = VectorIndex(built, DIM)
    assert another.session is before.session

    deleting = VectorIndex(built, DIM, session=lancedb.Session())
    assert deleting.delete([make_row("doc1")["content_hash"]]) == 1
    after = VectorIndex(built, DIM)
    assert after.session is process_session() and after.session is not before.session
    assert after.session.approx_num_items < before.session.approx_num_items
    # (the delete purged the old version's files: the server replaces its view, state.refresh_index)
    assert all(hit.content_hash != make_row("doc1")["content_hash"] for hits in searches(after) for hit in hits)
    for index in (before, another, deleting, after):
        index.close()
