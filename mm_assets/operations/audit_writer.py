"""Search audit rows written off the request path, for a long-running searcher (`mm serve`).

A search's audit row (operations/search.py) is one SQL insert and commit: 1-2 ms on a quiet SQLite
catalog, up to 10 ms when the disk is busy, and with many clients every search queues for SQLite's
one writer. `AuditWriter.put` only queues the row; a background thread inserts whatever has queued
in one transaction. Nothing is dropped: a failed insert is logged and retried, `flush()` waits until
every row queued before it is in the catalog (the server calls it before a forget, which rewrites
the audit rows that name the forgotten hash), and `close()` flushes at shutdown. A one-shot process
(`mm search`) writes its row itself, synchronously.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from resources.catalog_db import CatalogDatabase
from resources.catalog_tables import search_audit

log = logging.getLogger("mm.audit")
RETRY_PAUSE_S = 1.0


class AuditNotWritten(RuntimeError):
    """Audit rows are still queued after the wait (the catalog refuses them); the log says why."""


class AuditWriter:
    def __init__(self, catalog: CatalogDatabase) -> None:
        self.catalog = catalog
        self._changed = threading.Condition()
        self._queued: list[dict[str, Any]] = []
        self._put_total = 0  # rows handed to put(), ever
        self._written_total = 0  # rows in the catalog, ever
        self._closing = False
        self.failed_inserts = 0
        self._thread = threading.Thread(target=self._write_loop, name="mm-search-audit", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Rows queued and not yet in the catalog (a /metrics gauge)."""
        with self._changed:
            return self._put_total - self._written_total

    def put(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue rows for `search_audit`; returns at once."""
        with self._changed:
            if self._closing:
                raise AuditNotWritten("the audit writer is closed; this search's audit row would be lost")
            self._queued.extend(rows)
            self._put_total += len(rows)
            self._changed.notify_all()

    def flush(self, timeout_s: float = 30.0) -> None:
        """Wait until every row queued so far is in the catalog."""
        with self._changed:
            target = self._put_total
            if not self._changed.wait_for(lambda: self._written_total >= target, timeout_s):
                raise AuditNotWritten(
                    f"{target - self._written_total} search audit rows are not in the catalog after {timeout_s} s"
                )

    def close(self, timeout_s: float = 30.0) -> None:
        """Write what is queued, then stop the thread; logs (never hides) rows it could not write."""
        try:
            self.flush(timeout_s)
        except AuditNotWritten:
            log.exception("closing the search audit writer")
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join(timeout_s)

    def _write_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queued or self._closing)
                if not self._queued:
                    return  # closing, and everything is written
                batch, self._queued = self._queued, []
            try:
                self.catalog.insert_rows(search_audit, batch)
            except Exception:  # noqa: BLE001 - the rows go back in the queue; retried, never dropped
                log.exception("writing %d search audit rows failed; retrying in %.0f s", len(batch), RETRY_PAUSE_S)
                with self._changed:
                    self.failed_inserts += 1
                    self._queued[:0] = batch
                    if self._closing:
                        return  # close() has given up waiting; the log names the rows lost
                    self._changed.wait(RETRY_PAUSE_S)
                continue
            with self._changed:
                self._written_total += len(batch)
                self._changed.notify_all()
