"""The LanceDB session every index view of a process shares (resources/vector_index.py opens views).

Entries of indexes that no version uses any more (after a delete, whose index rebuild must not leave a
forgotten source's tokens in memory either, or after a merge of vector index segments) would stay in a
shared cache until its size bound pushed them out; `reset_process_session` starts a fresh session
for the views opened afterwards, and the old one goes with the last view that holds it."""

from __future__ import annotations

import threading

import lancedb

_SESSION_LOCK = threading.Lock()
_SESSION: lancedb.Session | None = None


def process_session() -> lancedb.Session:
    """The LanceDB session (index and metadata caches) that every index view of this process shares.

    Without one, each `connect_async` made its own: a new view of an index it already had loaded (the
    server's view after every upload and forget, `refresh_index`) read and decoded every index it
    touched again, so the first search after an upload took ~0.3 s of CPU and 0.65 s more at 100k
    rows (three HNSW partitions, the FTS and scalar indexes). Index files are immutable and LanceDB
    keys its caches by file and version, so views of any version can share them; the caches are
    bounded (LanceDB's defaults, 6 GB of index and 1 GB of metadata) and now exist once per process
    rather than once per view."""
    global _SESSION
    with _SESSION_LOCK:
        if _SESSION is None:
            _SESSION = lancedb.Session()
        return _SESSION


def reset_process_session() -> None:
    """Views opened from now on share a new, empty session (see the module doc)."""
    global _SESSION
    with _SESSION_LOCK:
        _SESSION = None
