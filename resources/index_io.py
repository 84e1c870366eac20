"""How LanceDB reads a local index: through io_uring, not a thread per read (issue 20).

With a plain path (`file://`) Lance reads each range of a local file on Tokio's blocking thread pool: a
search's ~100 small reads (index pages, the refine's float vectors, display columns) each hand off to a
pool thread and back. At 100,000 rows a search kept 52 such threads, and ~17% of its CPU was the
kernel switching between them (`perf`: finish_task_switch, futex wake-ups). Lance's `file+uring://`
scheme reads the same files through two io_uring threads instead: the same files and results, with
~10-20% less CPU per search (bench notes in the README). Writes are unchanged (the scheme only
changes the reader). Only for Linux with io_uring enabled; anything else keeps the path as given.

Lance's io_uring threads wake every `LANCE_URING_POLL_TIMEOUT_MS` while idle: 10 ms by default, ~7 ms
of CPU a second in an idle server. With 1000 ms (set here unless the environment says otherwise) an
idle process used 0.1 ms a second, and searches were as fast (the timeout only ends a wait for work).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

URING_SCHEME = "file+uring://"
_IO_URING_SWITCH = Path("/proc/sys/kernel/io_uring_disabled")  # 0: allowed; 1, 2: restricted, off
POLL_TIMEOUT_VARIABLE, IDLE_POLL_MS = "LANCE_URING_POLL_TIMEOUT_MS", "1000"


@cache
def io_uring_allowed() -> bool:
    """Linux, and io_uring not switched off for this process (kernel.io_uring_disabled)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return _IO_URING_SWITCH.read_text().strip() == "0"
    except OSError:  # a kernel older than the switch (6.6): io_uring is on where it exists at all
        return True


def lance_uri(uri: str) -> str:
    """`uri` as LanceDB should open it: a local folder (a path or file://) through io_uring where the
    kernel allows it; an object store URI (s3://, ...) or an explicit scheme as given."""
    if not io_uring_allowed() or ("://" in uri and not uri.startswith("file://")):
        return uri
    os.environ.setdefault(POLL_TIMEOUT_VARIABLE, IDLE_POLL_MS)  # read when Lance starts its io_uring threads
    return URING_SCHEME + str(Path(uri.removeprefix("file://")).absolute())
