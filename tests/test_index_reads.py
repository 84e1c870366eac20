"""A search never fails because a writer purged: a purge (VectorIndex.delete, `mm forget`) drops every
older version's files at once, so a view still on one of them reads files that are gone. The search runs
again on the latest version (resources/index_search.py), through io_uring and through the plain reader."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import lancedb
import pytest

from resources.index_fusion import check_request, governance_filter
from resources.index_io import io_uring_allowed
from resources.index_search import TableSearch, removed_by_cleanup
from resources.vector_index import VectorIndex
from tests.test_vector_index import DIM, make_row, names, request

HANG_S = 60  # a search of 7 rows takes milliseconds; only a hung one runs this long
READERS = [False, pytest.param(True, marks=pytest.mark.skipif(not io_uring_allowed(), reason="no io_uring here"))]


def written_then_purged(folder: Path, searching: bool) -> VectorIndex:
    """A view opened on the index's first version (it follows no later writes by itself), then a writer
    deletes a row: the purge rewrites the fragments and removes the files the view's version names."""
    writer = VectorIndex(str(folder), DIM)
    writer.upsert([make_row(f"kept-{number}") for number in range(6)] + [make_row("forgotten")])
    view = VectorIndex(str(folder), DIM, session=lancedb.Session(), searching=searching)
    assert writer.delete([make_row("forgotten")["content_hash"]]) == 1
    writer.close()
    return view


@pytest.mark.parametrize("searching", READERS)
def test_a_failed_search_leaves_the_later_searches_of_its_session_answering(tmp_path: Path, searching: bool) -> None:
    """The view's own version searched without the retry: Lance says a file is not found (the message
    `removed_by_cleanup` reads). Its other query is left to end, not cancelled: cancelled, it left the
    session's full-text index load unfinished, and the next full-text search of the session hung."""
    view = written_then_purged(tmp_path / "index", searching)
    search = TableSearch(view._table, view._chunks, view.ann, view.dim)
    stale = request(fts_text="shared")  # a vector channel and a full-text channel, at once
    with pytest.raises(Exception) as raised:
        view._run(search.run(stale, check_request(stale, DIM), governance_filter(stale), {}, chunks=False))
    assert removed_by_cleanup(raised.value), raised.value

    later = VectorIndex(str(tmp_path / "index"), DIM, session=view.session, searching=searching)
    answer: dict[str, list[str]] = {}
    searching_thread = threading.Thread(
        target=lambda: answer.update(found=names(later.search(request(fts_text="shared", k=10)))), daemon=True
    )
    searching_thread.start()
    searching_thread.join(HANG_S)
    assert not searching_thread.is_alive(), f"a full-text search of the same session still runs after {HANG_S} s"
    assert sorted(answer["found"]) == [f"kept-{number}" for number in range(6)]
    for index in (view, later):
        index.close()


@pytest.mark.parametrize("searching", READERS)
def test_a_search_on_a_purged_version_is_answered_from_the_latest(tmp_path: Path, searching: bool) -> None:
    view = written_then_purged(tmp_path / "index", searching)
    found = names(view.search(request(fts_text="shared", k=10)))
    assert sorted(found) == [f"kept-{number}" for number in range(6)]  # the deleted row is gone, the rest found
    fresh = VectorIndex(str(tmp_path / "index"), DIM, session=lancedb.Session())
    assert names(fresh.search(request(fts_text="shared", k=10))) == found
    for index in (view, fresh):
        index.close()


def test_other_failures_are_not_taken_for_a_removed_file() -> None:
    assert not removed_by_cleanup(ValueError("Not found: column 'missing' in the schema"))
    assert not removed_by_cleanup(RuntimeError("lance error: io_uring error: unexpected EOF: read 4095 of 4096 bytes"))
    assert not removed_by_cleanup(asyncio.CancelledError())
    assert removed_by_cleanup(RuntimeError("lance error: Not found: tmp/x/media.lance/data/0101.lance, reader.rs:1"))
