"""Ingest: walk paths, hash, gate, store each original once, record it, quarantine what the gate rejects.

Registering the new content hashes as Dagster partitions is the caller's step (the CLI adds them to the
instance, the landing sensor returns a dynamic-partitions request), so this module has no Dagster in it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mm_assets.operations.gate import GateCaps, InputRejected, check_file
from resources.catalog import CatalogResource, new_id, quarantine_item, source_media, utcnow
from resources.media_store import BlobStore, SourceChanged, media_key, sha256_file, store_relative_uri

CONSENT_VALUES = ("valid", "expired")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Catalog rows are flushed in chunks so a crash mid-way keeps what was already stored and recorded.
FLUSH_EVERY = 500


class IngestUsageError(ValueError):
    """The ingest request itself is invalid (bad tenant, consent, ...); nothing was ingested."""


@dataclass(frozen=True)
class IngestOptions:
    tenant: str = "default"
    region: str = "unspecified"
    consent: str = "valid"
    usage_rights: str = "approved"
    retention_class: str = "standard"

    def validate(self) -> IngestOptions:
        if not _TENANT.match(self.tenant):
            raise IngestUsageError(f"tenant {self.tenant!r} is invalid: use 1-64 letters, digits, '_', '-' or '.'")
        if self.consent not in CONSENT_VALUES:
            raise IngestUsageError(f"consent {self.consent!r} is invalid: use one of {CONSENT_VALUES}")
        return self


@dataclass
class IngestReport:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    @property
    def new_partition_keys(self) -> list[str]:
        return [item["content_hash"] for item in self.accepted]

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        return asdict(self)


@dataclass(frozen=True)
class _Unreadable:
    path: Path
    error: OSError


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path | _Unreadable]:
    """Every file under `paths`, sorted per folder; unreadable entries are yielded, not raised.

    Folder symlinks are not followed, so a symlink loop can never make the walk run forever; a
    symlink to a file is read through (and a looping one fails as unreadable).
    """
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(folder: Path) -> Iterator[Path | _Unreadable]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append, followlinks=False):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if Path(root, d).is_symlink()):
            yield Path(root, name)
        while errors:
            error = errors.pop()
            yield _Unreadable(Path(error.filename or folder), error)


def ingest_paths(
    paths: Iterable[Path],
    *,
    catalog: CatalogResource,
    store: BlobStore,
    caps: GateCaps,
    options: IngestOptions,
    on_item: Callable[[dict[str, Any]], None] | None = None,
) -> IngestReport:
    """Ingest every file under `paths`; one bad file never stops the rest."""
    options.validate()
    report = IngestReport()
    lists = {"accepted": report.accepted, "duplicate": report.duplicates, "rejected": report.rejected}
    for chunk in _chunked(iter_input_files(paths), FLUSH_EVERY):
        hashed = [(entry, _hash_entry(entry)) for entry in chunk]
        # One catalog lookup per chunk, not per file: who already owns which of these hashes.
        owners = {
            h: row["tenant_id"] for h, row in catalog.source_rows([h for _, h in hashed if isinstance(h, str)]).items()
        }
        pending_sources: list[dict[str, Any]] = []
        for entry, content_hash in hashed:
            item = _ingest_one(entry, content_hash, catalog, store, caps, options, owners, pending_sources)
            lists[item.pop("status")].append(item)
            if on_item:
                on_item(item)
        catalog.insert_rows(source_media, pending_sources)
    return report


def _chunked(entries: Iterable[Path | _Unreadable], size: int) -> Iterator[list[Path | _Unreadable]]:
    chunk: list[Path | _Unreadable] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _hash_entry(entry: Path | _Unreadable) -> str | OSError:
    if isinstance(entry, _Unreadable):
        return entry.error
    try:
        return sha256_file(entry)
    except OSError as exc:
        return exc


def _ingest_one(
    entry: Path | _Unreadable,
    content_hash: str | OSError,
    catalog: CatalogResource,
    store: BlobStore,
    caps: GateCaps,
    options: IngestOptions,
    owners: dict[str, str],
    pending_sources: list[dict[str, Any]],
) -> dict[str, Any]:
    path = entry.path if isinstance(entry, _Unreadable) else entry
    if isinstance(content_hash, OSError):
        rejection = InputRejected("unreadable", f"{path}: cannot read it ({content_hash})")
        return _quarantine(path, None, rejection, catalog, store, options)

    owner = owners.get(content_hash)
    if owner is not None:
        if owner == options.tenant:
            return {"status": "duplicate", "path": str(path), "content_hash": content_hash}
        rejection = InputRejected(
            "tenant_conflict",
            f"{path}: identical bytes are already held by another tenant; one original cannot belong to two tenants",
        )
        return _quarantine(path, content_hash, rejection, catalog, store, options, keep_bytes=False)

    try:
        verdict = check_file(path, caps)
        store.put_file_if_absent(media_key(content_hash), path, expected_sha256=content_hash)
    except InputRejected as rejection:
        return _quarantine(path, content_hash, rejection, catalog, store, options)
    except SourceChanged as exc:
        return _quarantine(path, None, InputRejected("changed_during_ingest", str(exc)), catalog, store, options)
    except OSError as exc:
        rejection = InputRejected("unreadable", f"{path}: cannot read it ({exc})")
        return _quarantine(path, content_hash, rejection, catalog, store, options)

    size = path.stat().st_size
    owners[content_hash] = options.tenant
    pending_sources.append(
        {
            "source_id": new_id(),
            "content_hash": content_hash,
            "uri": store_relative_uri(media_key(content_hash)),
            "modality": verdict.modality,
            "mime_type": verdict.mime_type,
            "bytes": size,
            "uploaded_at": utcnow(),
            "tenant_id": options.tenant,
            "retention_class": options.retention_class,
            "region": options.region,
            "consent": options.consent,
            "usage_rights": options.usage_rights,
            "original_name": path.name,
            "gate": verdict.quality,
        }
    )
    return {
        "status": "accepted",
        "path": str(path),
        "content_hash": content_hash,
        "mime_type": verdict.mime_type,
        "modality": verdict.modality,
        "bytes": size,
    }


def _quarantine(
    path: Path,
    content_hash: str | None,
    rejection: InputRejected,
    catalog: CatalogResource,
    store: BlobStore,
    options: IngestOptions,
    keep_bytes: bool = True,
) -> dict[str, Any]:
    """Keep a copy of the rejected bytes (when readable) and record why; never raises for one file."""
    quarantine_uri = None
    if content_hash and keep_bytes:
        key = f"quarantine/{content_hash[:2]}/{content_hash}"
        try:
            store.put_file_if_absent(key, path)
            reason = {"path": str(path), "reason": rejection.reason, "message": rejection.message}
            store.put_bytes_if_absent(f"{key}.reason.json", json.dumps(reason).encode())
            quarantine_uri = store_relative_uri(key)
        except (OSError, SourceChanged):
            quarantine_uri = None  # the bytes vanished or changed: the record below still says why
    catalog.insert_rows(
        quarantine_item,
        [
            {
                "quarantine_id": new_id(),
                "path": str(path),
                "content_hash": content_hash,
                "tenant_id": options.tenant,
                "reason": rejection.reason,
                "message": rejection.message,
                "quarantine_uri": quarantine_uri,
                "created_at": utcnow(),
            }
        ],
    )
    return {
        "status": "rejected",
        "path": str(path),
        "content_hash": content_hash,
        "reason": rejection.reason,
        "message": rejection.message,
        "quarantine_uri": quarantine_uri,
    }
