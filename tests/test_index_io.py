"""A local index is read through io_uring (resources/index_io.py): the same hits, order, scores and
evidence as through Lance's plain file reader, and LanceDB's reads really go to its io_uring threads."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import lancedb
import pytest

import resources.index_io as index_io
from resources.index_io import IDLE_POLL_MS, POLL_TIMEOUT_VARIABLE, URING_SCHEME, io_uring_allowed, lance_uri
from resources.vector_index import VectorIndex
from tests.test_index_session import built, searches  # noqa: F401 - `built` is the fixture used below
from tests.test_vector_index import DIM, make_row, names, request


def test_local_folders_take_the_uring_scheme_and_object_stores_keep_theirs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(POLL_TIMEOUT_VARIABLE, raising=False)
    if io_uring_allowed():
        assert lance_uri(str(tmp_path)) == URING_SCHEME + str(tmp_path)
        assert lance_uri(f"file://{tmp_path}") == URING_SCHEME + str(tmp_path)
        monkeypatch.chdir(tmp_path)
        assert lance_uri("index") == URING_SCHEME + str(tmp_path / "index")
        assert os.environ[POLL_TIMEOUT_VARIABLE] == IDLE_POLL_MS  # idle io_uring threads wake once a second
        monkeypatch.setenv(POLL_TIMEOUT_VARIABLE, "50")
        lance_uri(str(tmp_path))
        assert os.environ[POLL_TIMEOUT_VARIABLE] == "50"  # the environment's own setting stays
    else:
        assert lance_uri(str(tmp_path)) == str(tmp_path)
    assert lance_uri("s3://bucket/prefix/index") == "s3://bucket/prefix/index"
    assert lance_uri("memory://index") == "memory://index"


def test_where_the_kernel_refuses_io_uring_the_path_is_kept(tmp_path: Path, monkeypatch) -> None:
    """As in a container whose seccomp profile refuses io_uring_setup: here a syscall no kernel has."""
    monkeypatch.setattr(index_io, "_IO_URING_SETUP", 999)
    io_uring_allowed.cache_clear()
    try:
        assert not io_uring_allowed()
        assert lance_uri(str(tmp_path)) == str(tmp_path)
    finally:
        monkeypatch.undo()
        io_uring_allowed.cache_clear()


def lance_threads() -> set[str]:
    """The names of this process's threads that LanceDB's readers run (Linux: /proc/self/task)."""
    names = {(task / "comm").read_text().strip() for task in Path("/proc/self/task").iterdir()}
    return {name for name in names if name.startswith("lance-uring")}


@pytest.mark.skipif(not io_uring_allowed(), reason="io_uring is not available to this process")
def test_reads_through_io_uring_find_what_the_plain_reader_finds(built: str, monkeypatch) -> None:  # noqa: F811
    through_uring = VectorIndex(built, DIM, session=lancedb.Session(), searching=True)
    expected_hits = searches(through_uring)
    assert lance_threads(), os.listdir("/proc/self/task")  # the reads went to LanceDB's io_uring threads
    plain = VectorIndex(built, DIM, session=lancedb.Session())  # opened to write: Lance's plain file reader
    assert searches(plain) == expected_hits
    assert any(hits and hits[0].evidence for hits in expected_hits)
    for index in (through_uring, plain):
        index.close()


def written(folder: Path, names: list[str]) -> None:
    writer = VectorIndex(str(folder), DIM, session=lancedb.Session())
    writer.upsert([make_row(name) for name in names])
    writer.upsert([make_row(f"{names[0]}-again")])  # a second version: a manifest a replaced folder has too
    writer.close()


def found_or_error(index: VectorIndex) -> list[str] | str:
    try:
        return sorted(names(index.search(request(fts_text="shared", k=20))))
    except Exception as exc:  # noqa: BLE001 - the error is the answer this pin compares
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.skipif(not io_uring_allowed(), reason="io_uring is not available to this process")
def test_a_folder_replaced_at_the_same_path_reads_stale_through_io_uring(tmp_path: Path) -> None:
    """Why only a view opened to search reads through io_uring, never a writer: Lance 13's io_uring reader
    keeps the files it opened, by path, for a minute, for the whole process (a fresh session or view does
    not help). A folder replaced at the same path within that minute (`bench/reprocess.py` restores a copy
    of MM_HOME before each round, in one process) is then read from the old files: the old manifest's
    files not found, or a short read ("unexpected EOF: read 4095 of 4096 bytes", the failure of 16:45 UTC
    on 2026-12-04). Lance itself never writes a file twice at one path, so writers beside a searcher are
    not this case (tests/test_index_reads.py). Fails once Lance stops keeping replaced files."""
    folder = tmp_path / "index"
    written(folder, [f"old-{number}" for number in range(3)])
    first = VectorIndex(str(folder), DIM, session=lancedb.Session(), searching=True)
    assert found_or_error(first) == sorted(["old-0", "old-1", "old-2", "old-0-again"])
    first.close()
    shutil.rmtree(folder)
    written(folder, [f"new-{number}" for number in range(9)])
    plain = VectorIndex(str(folder), DIM, session=lancedb.Session())
    through_uring = VectorIndex(str(folder), DIM, session=lancedb.Session(), searching=True)
    assert found_or_error(plain) == sorted([f"new-{number}" for number in range(9)] + ["new-0-again"])
    assert found_or_error(through_uring) != found_or_error(plain)
    for index in (plain, through_uring):
        index.close()


@pytest.mark.skipif(not io_uring_allowed(), reason="io_uring is not available to this process")
def test_opening_to_search_leaves_no_folder_in_the_working_directory(built: str, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    """LanceDB's connect makes `./file+uring:/<the index's path>` from the URI string; a cold `mm search` run in a
    user's folder must not litter it."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    (workdir / "file+uring:").mkdir()
    (workdir / "file+uring:" / "mine.txt").write_text("a user's file")  # not ours: stays
    monkeypatch.chdir(workdir)
    searcher = VectorIndex(built, DIM, session=lancedb.Session(), searching=True)
    try:
        assert searches(searcher)
    finally:
        searcher.close()
    assert sorted(p.name for p in workdir.rglob("*")) == ["file+uring:", "mine.txt"]
    (workdir / "file+uring:" / "mine.txt").unlink()
    (workdir / "file+uring:").rmdir()
    VectorIndex(built, DIM, session=lancedb.Session(), searching=True).close()
    assert list(workdir.iterdir()) == []
