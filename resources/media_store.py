"""The local-folder blob store (the embedded default) for originals, payloads and quarantine.

It keeps the contract in blob_store.py: create-only writes (temp file, fsync, hard link), so an
existing key is never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from resources.blob_store import CHUNK, StoreError, check_digest
from resources.faults import fault_point

# A temp file whose writer cannot be checked (another host) is stale after this long.
STALE_TEMP_SECONDS = 24 * 3600


class LocalBlobStore:
    """Create-only blob store on a local filesystem: temp file, fsync, then a hard link into place.

    `os.link` fails if the target exists, so two writers racing on one key can never overwrite
    each other, and a crash leaves at worst a stray temp file, never a half-written payload.
    """

    def __init__(self, root: str | Path):
        self.root_path = Path(root)
        self.root = str(self.root_path)
        self._tmp = self.root_path / ".tmp"
        with self._store_op("create its folder", ".tmp"):
            self._tmp.mkdir(parents=True, exist_ok=True)
        self._known_dirs: set[Path] = set()

    @contextmanager
    def _store_op(self, action: str, key: str) -> Iterator[None]:
        """An OSError on the store's side becomes a StoreError naming the store and the OS error."""
        try:
            yield
        except OSError as error:
            detail = f"{error.strerror or error} [Errno {error.errno}]" if error.errno else str(error)
            raise StoreError(f"store {self.root}: cannot {action} {key}: {detail}") from error

    def path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid store key {key!r}")
        return self.root_path / key

    def uri(self, key: str) -> str:
        return self.path(key).as_uri()

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def put_bytes_if_absent(self, key: str, data: bytes) -> bool:
        target = self.path(key)
        if target.exists():
            return False
        with self._store_op("write", key), _TempFile(self._tmp) as (handle, tmp_path):
            handle.write(data)
            return self._publish(handle, tmp_path, target)

    def put_file_if_absent(self, key: str, source: Path, expected_sha256: str | None = None) -> bool:
        if self.path(key).exists():
            return False
        return self.put_file_as_new(key, source, expected_sha256)

    def put_file_as_new(self, key: str, source: Path, expected_sha256: str | None = None) -> bool:
        """Store as for a new key even when the key is taken: read, hash and fsync a temp copy, whose
        final link then finds the key there (False) and leaves it untouched. Ingest stores another
        tenant's bytes this way, so that storing them costs what storing new bytes costs."""
        target = self.path(key)
        with source.open("rb") as src:
            try:
                with self._store_op("write", key), _TempFile(self._tmp) as (handle, tmp_path):
                    digest = hashlib.sha256()
                    while chunk := _read_source(src):
                        digest.update(chunk)
                        handle.write(chunk)
                    check_digest(source, digest.hexdigest(), expected_sha256)
                    return self._publish(handle, tmp_path, target)
            except _SourceReadFailed as failed:
                raise failed.error from None  # the input's fault, not the store's

    def read_bytes(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> bool:
        try:
            self.path(key).unlink()
            return True
        except FileNotFoundError:
            return False

    def stale_temp_files(self) -> list[Path]:
        """Temp files no live writer owns: left by a process that was killed mid-write."""
        stale = []
        for path in sorted(self._tmp.iterdir()) if self._tmp.is_dir() else []:
            host, _, rest = path.name.partition("~")
            pid = rest.partition("~")[0]
            if host == socket.gethostname() and pid.isdigit():
                if not Path(f"/proc/{pid}").exists():
                    stale.append(path)
            elif time.time() - path.stat().st_mtime > STALE_TEMP_SECONDS:
                stale.append(path)
        return stale

    def remove_stale_temp_files(self) -> int:
        stale = self.stale_temp_files()
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def list_keys(self, prefix: str) -> Iterator[str]:
        base = self.path(prefix)
        if base.is_file():
            yield prefix
        elif base.exists():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    yield path.relative_to(self.root_path).as_posix()

    def _publish(self, handle: BinaryIO, tmp_path: Path, target: Path) -> bool:
        handle.flush()
        os.fsync(handle.fileno())
        parent = target.parent
        if parent not in self._known_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._known_dirs.add(parent)
        fault_point("store.temp_written")
        try:
            os.link(tmp_path, target)
            return True
        except FileExistsError:
            return False


class _SourceReadFailed(Exception):
    """Carries an OSError from reading the source past the store's error translation."""

    def __init__(self, error: OSError):
        super().__init__(error)
        self.error = error


def _read_source(handle: BinaryIO) -> bytes:
    try:
        return handle.read(CHUNK)
    except OSError as error:
        raise _SourceReadFailed(error) from error


class _TempFile:
    """A temp file in the store's own folder (same filesystem, so the final link is atomic).

    Its name starts with host and pid, so `stale_temp_files` can tell a dead writer's leftovers.
    """

    def __init__(self, directory: Path):
        self.directory = directory

    def __enter__(self) -> tuple[BinaryIO, Path]:
        fd, name = tempfile.mkstemp(dir=self.directory, prefix=f"{socket.gethostname()}~{os.getpid()}~")
        self.path = Path(name)
        self.handle = os.fdopen(fd, "wb")
        return self.handle, self.path

    def __exit__(self, *exc: object) -> None:
        try:
            self.handle.close()  # on a full disk the final flush raises here: still remove the file
        finally:
            self.path.unlink(missing_ok=True)
