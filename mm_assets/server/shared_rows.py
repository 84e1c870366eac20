"""The search rows of a tenant that uploads bytes another tenant holds, written in the interactive slot.

An upload whose original another tenant already indexed gets its own row set (operations/ownership.py),
a write to the index. The interactive slot refreshes the indexes after an answered upload and then
runs the index freshness check, which must find every row covered; a write landing between the two
is a row the refresh did not cover, and the check fails (issue 20). So these writes go through the
slot too, but without the request waiting for it: a request that waited for a running upload only
when the bytes were already held would tell, by its delay, that another tenant holds them. The
request queues the write (`queue`) and answers; the slot writes it when free (`write_queued`), and
an upload that waits writes the queued ones first, inside its own turn, so its answer covers them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from mm_assets.operations.ownership import share_search_rows
from resources.catalog import CatalogResource


class SharedRowsQueue:
    """(content hashes, tenant) whose new owner's rows are still to be written, in arrival order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # requests queue while the slot drains; the slot lock is not theirs
        self._pending: list[tuple[tuple[str, ...], str]] = []

    def queue(self, content_hashes: Sequence[str], tenant: str) -> bool:
        """Remember the write; False when there is none to make."""
        if not content_hashes:
            return False
        with self._lock:
            self._pending.append((tuple(content_hashes), tenant))
        return True

    def write_queued(self, index_uri: str, catalog: CatalogResource) -> int:
        """Write every queued row set (call in the interactive slot); the source rows written. Each
        write refreshes the indexes itself (VectorIndex.share_rows), so the slot's next freshness check
        finds them covered. A row set of an original forgotten meanwhile is not written (its owners
        are read now)."""
        with self._lock:
            pending, self._pending = self._pending, []
        return sum(share_search_rows(index_uri, catalog, hashes, tenant) for hashes, tenant in pending)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)
