"""Blob storage for originals, payloads and quarantine: local folders (embedded default) or S3.

Keys are POSIX-style relative paths such as `media/ab/ab12...`. Writes are create-only: an existing
key is never overwritten, which is what makes originals immutable and payload writes idempotent.
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Protocol

import dagster as dg

from mm_assets.faults import fault_point

CHUNK = 1024 * 1024
# A temp file whose writer cannot be checked (another host) is stale after this long.
STALE_TEMP_SECONDS = 24 * 3600


def media_key(content_hash: str) -> str:
    return f"media/{content_hash[:2]}/{content_hash}"


# Catalog URIs name a key relative to the store root ("store:media/ab/ab12..."), so a home (or a
# bucket prefix) can be moved or copied and every URI still resolves against the store it is opened with.
STORE_URI_PREFIX = "store:"


def store_relative_uri(key: str) -> str:
    return f"{STORE_URI_PREFIX}{key}"


def artifact_key(kind: str, content_hash: str, pipeline_version: str, model_id: str, ext: str) -> str:
    return f"artifacts/{kind}/{content_hash[:2]}/{content_hash}/{pipeline_version}__{model_id}.{ext}"


class StoreError(RuntimeError):
    """The store itself failed (read-only, full, unreachable): not the input's fault; says which store and why."""


class SourceChanged(RuntimeError):
    """The file's bytes changed between hashing and copying; nothing was stored."""


def check_digest(source: Path, actual: str, expected: str | None) -> None:
    if expected is not None and actual != expected:
        raise SourceChanged(
            f"{source} changed while it was being ingested (sha256 {expected[:12]}... became "
            f"{actual[:12]}...); nothing was stored, ingest it again once it is stable"
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore(Protocol):
    root: str

    def uri(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int | None: ...
    def put_bytes_if_absent(self, key: str, data: bytes) -> bool: ...
    def put_file_if_absent(self, key: str, source: Path, expected_sha256: str | None = None) -> bool: ...
    def read_bytes(self, key: str) -> bytes: ...
    def delete(self, key: str) -> bool: ...
    def list_keys(self, prefix: str) -> Iterator[str]: ...


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
        target = self.path(key)
        if target.exists():
            return False
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


def open_store(root: str) -> BlobStore:
    """The store for a root: a local folder, or `s3://bucket/prefix` (endpoint from MM_S3_ENDPOINT)."""
    if root.startswith("s3://"):
        from resources.s3_store import S3BlobStore

        return S3BlobStore.from_uri(root)
    return LocalBlobStore(root)


class MediaStoreResource(dg.ConfigurableResource):
    """The blob store for originals, payloads and quarantine (`MM_STORE`: a folder or s3://...)."""

    root: str

    @cached_property
    def store(self) -> BlobStore:
        return open_store(self.root)
