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

import ctypes
import os
import sys
from functools import cache
from pathlib import Path

URING_SCHEME = "file+uring://"
POLL_TIMEOUT_VARIABLE, IDLE_POLL_MS = "LANCE_URING_POLL_TIMEOUT_MS", "1000"
_IO_URING_SETUP = 425  # the syscall's number on x86-64 and on every architecture of the generic table
_IO_URING_PARAMS_BYTES = 120  # sizeof(struct io_uring_params), all zero: the defaults


@cache
def io_uring_allowed() -> bool:
    """Whether this process may create an io_uring: asked of the kernel itself (one ring of one entry,
    closed at once), so a kernel without it, `kernel.io_uring_disabled` and a container's seccomp
    profile (Docker's default refuses io_uring) all answer no, and Lance's plain reader is kept."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    params = ctypes.create_string_buffer(_IO_URING_PARAMS_BYTES)
    ring = libc.syscall(_IO_URING_SETUP, 1, params)
    if ring < 0:
        return False
    os.close(ring)
    return True


def lance_uri(uri: str) -> str:
    """`uri` as LanceDB should open it: a local folder (a path or file://) through io_uring where the
    kernel allows it; an object store URI (s3://, ...) or an explicit scheme as given."""
    if not io_uring_allowed() or ("://" in uri and not uri.startswith("file://")):
        return uri
    os.environ.setdefault(POLL_TIMEOUT_VARIABLE, IDLE_POLL_MS)  # read when Lance starts its io_uring threads
    return URING_SCHEME + str(Path(uri.removeprefix("file://")).absolute())


def remove_stray_folder(opened_uri: str) -> None:
    """Remove the empty folders LanceDB's connect leaves in the working directory for a `file+uring://` URI.

    LanceDB 0.40 creates the database folder from the URI string as given, so connecting to
    `file+uring:///home/u/.mm/index` makes `./file+uring:/home/u/.mm/index` (empty) wherever the process runs,
    a cold `mm search` included; Lance itself reads and writes the real folder. Only empty folders go, deepest
    first, so nothing a user put there is touched."""
    if not opened_uri.startswith(URING_SCHEME):
        return
    stray = Path(URING_SCHEME.removesuffix("//")) / opened_uri.removeprefix(URING_SCHEME).lstrip("/")
    for folder in (stray, *stray.parents):
        if folder == Path("."):
            return
        try:
            folder.rmdir()
        except OSError:  # not there, or not empty: not ours to remove
            return
