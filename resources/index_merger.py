"""Merging a search index's vector index segments on a thread of its own, never inside a write.

Every write indexes its rows into a new vector index segment, and each segment costs a search CPU;
rebuilding an index as one segment takes minutes on a large table. The writer (the search_index step)
asks for a merge after it wrote (`request()`) and goes on at once; this thread rebuilds the indexes that
have too many segments. Meanwhile searches read the old index, and a write in this process leaves the
vector indexes being rebuilt alone (resources.index_maintenance.merging), so its rows are scanned until
the merged index takes them in. A merge that fails or loses a race with another process's write is
tried again after `retry_s`; a process killed mid-merge leaves the old index, as if none had started.

With `in_child` (the server), each merge runs in a child process at idle priority that `paused()`
stops while interactive work runs (resources/index_merge_process.py); this process marks the index as
being merged meanwhile, so its own writes leave the vector indexes alone and the child's commit wins.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS, merging
from resources.index_merge_process import PATIENCE_S, MergeChild
from resources.vector_index import VectorIndex

log = logging.getLogger("mm.index")


class IndexMerger:
    """A thread that merges over-split vector indexes whenever asked to look."""

    def __init__(
        self,
        open_index: Callable[[], VectorIndex | None],
        on_merged: Callable[[list[str]], None] | None = None,
        max_segments: int = MAX_VECTOR_INDEX_SEGMENTS,
        retry_s: float = 30.0,
        poll_s: float | None = None,
        in_child: tuple[str, int] | None = None,
        patience_s: float = PATIENCE_S,
    ) -> None:
        """`open_index`: a new handle on the index (None while there is no table yet); `on_merged`:
        called with the rebuilt index names, e.g. so readers reopen their view of the index; `poll_s`:
        also look that often unasked (for segments that other processes' writes add); `in_child`: (index
        URI, vector dimension) to merge in a child process that `paused()` stops, after `patience_s`
        no longer."""
        self._open_index, self._on_merged = open_index, on_merged
        self.in_child, self.patience_s = in_child, patience_s
        self.child: MergeChild | None = None  # the merge child while one runs
        self._pausers = 0  # interactive work running or waiting to: the child stays stopped
        self._stop = threading.Event()
        self.max_segments, self.retry_s, self.poll_s = max_segments, retry_s, poll_s
        self.merged: list[str] = []  # every index rebuilt so far, in order
        self.failures = 0
        self._lock = threading.Lock()  # idle is set only while no request is pending
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="mm-index-merger", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Look for over-split indexes soon (after a write); returns at once."""
        with self._lock:
            self._idle.clear()
            self._wanted.set()

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Block until no merge is asked for or running (tests, shutdown); False on timeout."""
        return self._idle.wait(timeout_s)

    def close(self, timeout_s: float = 0.0) -> None:
        """Stop after the merge in progress, waiting up to `timeout_s` for it; an unfinished merge
        commits nothing (its work is redone by the next process that merges)."""
        self._stopping = True
        self._wanted.set()
        self._thread.join(timeout_s)
        self._stop.set()  # a merge child still running is killed: its merge commits nothing
        if self.in_child is not None:
            self._thread.join(5.0)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """While the block runs (an interactive upload waiting for or holding the slot), a merge child
        is stopped; it continues when no such block is left. Without a child, nothing happens."""
        with self._lock:
            self._pausers += 1
            if self.child is not None:
                self.child.pause()
        try:
            yield
        finally:
            with self._lock:
                self._pausers -= 1
                if self._pausers == 0 and self.child is not None:
                    self.child.resume()

    def _loop(self) -> None:
        while True:
            self._wanted.wait(self.poll_s)
            if self._stopping:
                return
            self._wanted.clear()
            try:
                rebuilt = self._merge_once()
            except Exception:  # noqa: BLE001 - a failed merge leaves the old index: search stays right
                self.failures += 1
                log.exception("merging the vector index segments failed; trying again in %.0f s", self.retry_s)
                retry = threading.Timer(self.retry_s, self._wanted.set)
                retry.daemon = True  # a pending retry never holds the process open
                retry.start()
                continue
            if rebuilt and self._on_merged is not None:
                self._on_merged(rebuilt)
            with self._lock:
                if not self._wanted.is_set():
                    self._idle.set()

    def _merge_once(self) -> list[str]:
        index = self._open_index()
        if index is None:
            return []
        try:
            if self.in_child is None:
                rebuilt = index.merge_index_segments(self.max_segments)
            elif not index.over_split_indexes(self.max_segments):  # index metadata only: no child to start
                rebuilt = []
            else:
                with merging(index.merge_key):
                    rebuilt = self._merge_in_child(*self.in_child)
        finally:
            index.close()
        if rebuilt:
            log.info("merged the segments of %s", ", ".join(rebuilt))
            self.merged.extend(rebuilt)
        return rebuilt

    def _merge_in_child(self, uri: str, dim: int) -> list[str]:
        child = MergeChild(uri, dim, self.max_segments, self.patience_s)  # not under the lock: paused() waits for none
        with self._lock:
            self.child = child
            if self._pausers:
                self.child.pause()
        try:
            return self.child.wait(self._stop)
        finally:
            with self._lock:
                self.child = None
