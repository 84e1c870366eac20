"""Merging a search index's vector index segments on a thread of its own, never inside a write.

Every write indexes its rows into a new vector index segment, and each segment costs a search CPU;
rebuilding an index as one segment takes minutes on a large table. The writer (the search_index step)
asks for a merge after it wrote (`request()`) and goes on at once; this thread rebuilds the indexes that
have too many segments. Meanwhile searches read the old index, and a write in this process leaves the
vector indexes being rebuilt alone (resources.index_maintenance.merging), so its rows are scanned until
the merged index takes them in. A merge that fails or loses a race with another process's write is
tried again after `retry_s`; a process killed mid-merge leaves the old index, as if none had started.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS
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
    ) -> None:
        """`open_index`: a new handle on the index (None while there is no table yet); `on_merged`:
        called with the rebuilt index names, e.g. so readers reopen their view of the index; `poll_s`:
        also look that often unasked (for segments that other processes' writes add)."""
        self._open_index, self._on_merged = open_index, on_merged
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
            rebuilt = index.merge_index_segments(self.max_segments)
        finally:
            index.close()
        if rebuilt:
            log.info("merged the segments of %s", ", ".join(rebuilt))
            self.merged.extend(rebuilt)
        return rebuilt
