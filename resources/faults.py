"""Named crash points for the fault-injection tests (tests/test_faults.py); inert unless MM_FAULT_POINT is set.

`MM_FAULT_POINT=NAME` SIGKILLs the process the first time it reaches `fault_point("NAME")`;
`NAME@N` the N-th time. SIGKILL, not an exception: nothing runs after it (no finally, no atexit),
exactly like the OOM killer or a power cut. The points:

- `ingest.original_stored`: an original is in the store, its catalog row not yet written
- `ingest.rows_flushed`: a batch of catalog rows is committed, their partitions not yet registered
- `store.temp_written`: a blob's temp file is written, not yet linked into place
- `artifacts.payload_written`: a derived payload is in the store, its catalog row not yet written
- `artifacts.catalog_flush`: inside the catalog transaction, rows inserted, not yet committed
- `artifacts.step_done`: an asset's rows are committed, Dagster's materialization not yet recorded
- `serve.figures_journalled`: mm serve answered an upload (or is about to); the answering run's census
  observations are journalled, not yet reported
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "MM_FAULT_POINT"
_reached: dict[str, int] = {}


def fault_point(name: str) -> None:
    """SIGKILL this process here if MM_FAULT_POINT names this point (and its count is reached)."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition("@")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
