"""The files a user hands in: every file under the given paths, in a stable order, without following folder links.

Ingest walks them to take them in; the landing sensor walks its folder to see what is new.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Unreadable:
    """An entry the walk could not read (ingest quarantines it with the error)."""

    path: Path
    error: OSError


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path | Unreadable]:
    """Every file under `paths`, sorted per folder; unreadable entries are yielded, not raised.

    Folder symlinks are not followed, so a symlink loop can never make the walk run forever; a
    symlink to a file is read through (and a looping one fails as unreadable).
    """
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(folder: Path) -> Iterator[Path | Unreadable]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=False):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if Path(root, d).is_symlink()):
            yield Path(root, name)
        while errors:
            error = errors.pop()
            yield Unreadable(Path(error.filename or folder), error)
