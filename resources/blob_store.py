"""The blob-store contract both stores keep: keys, create-only writes, errors, digests.

Keys are POSIX-style relative paths such as `media/ab/ab12...`. Writes are create-only: an existing
key is never overwritten, which is what makes originals immutable and payload writes idempotent.
The local store (media_store.py) and the S3 store (s3_store.py) each implement `BlobStore`; neither
imports the other, and `stores.py` picks one for a root.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

CHUNK = 1024 * 1024


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
    """The file's sha256; a path that is (or became) a FIFO, socket or device raises OSError, never blocks."""
    digest = hashlib.sha256()
    # O_NONBLOCK: opening a FIFO swapped in after the caller's stat returns at once instead of waiting
    # for a writer; the fstat then refuses it.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(errno.EINVAL, "not a regular file (a device, socket or pipe)", str(path))
    with os.fdopen(descriptor, "rb") as handle:
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


class ForeignStoreUri(ValueError):
    """A catalog URI is an absolute path or URL outside the store it is read with (a home copied or
    moved before URIs were store-relative); `mm migrate` rewrites such URIs."""

    def __init__(self, uri: str, root: str) -> None:
        super().__init__(f"{uri} is not in the store at {root}: run `mm migrate` to rewrite it store-relative")
        self.uri = uri
        self.key = foreign_store_key(uri)


# The key at the end of an absolute URI that some store wrote: an original, a quarantined file or a payload.
_KEY_AT_END = re.compile(
    r"(media/[0-9a-f]{2}/[0-9a-f]{64}|quarantine/[0-9a-f]{2}/[0-9a-f]{64}(?:\.reason\.json)?"
    r"|artifacts/[^/]+/[0-9a-f]{2}/[0-9a-f]{64}/[^/]+)$"
)


def foreign_store_key(uri: str) -> str | None:
    """The store key an absolute URI of another store names (content-addressed, so the same key here), or None."""
    match = _KEY_AT_END.search(unquote(uri))
    return match.group(1) if match else None


def store_key_of(store: BlobStore, uri: str) -> str:
    """The store key of a catalog URI: a store-relative one, or (rows written before those) an absolute
    URI inside this store (file URIs are percent-encoded: '+' in model ids); `ForeignStoreUri` otherwise."""
    if uri.startswith(STORE_URI_PREFIX):
        return uri[len(STORE_URI_PREFIX) :]
    prefix, uri = unquote(store.uri("x")[:-1]), unquote(uri)
    if not uri.startswith(prefix):
        raise ForeignStoreUri(uri, str(store.root))
    return uri[len(prefix) :]
