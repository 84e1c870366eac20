"""An exclusive lock on a file beside what it guards, for processes of one machine (and threads of one
process: each call opens its own file description)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive_file_lock(path: str | Path) -> Iterator[None]:
    """Hold `path` (created if missing, never removed: a lock file left behind is harmless) exclusively."""
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
