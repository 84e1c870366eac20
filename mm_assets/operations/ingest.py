"""Ingest: walk paths, hash, gate, store each original once, record it, quarantine what the gate rejects.

Registering the new content hashes as Dagster partitions is the caller's step (the CLI adds them to the
instance, the landing sensor returns a dynamic-partitions request), so this module has no Dagster in it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mm_assets.operations.gate import GateCaps, GateVerdict, InputRejected, check_file, regular_file_size
from mm_assets.operations.ownership import share_search_rows
from mm_assets.settings import Settings
from resources.blob_store import BlobStore, SourceChanged, media_key, sha256_file, store_relative_uri
from resources.catalog import CatalogResource, new_id, quarantine_item, source_media, utcnow
from resources.faults import fault_point
from resources.input_files import Unreadable, iter_input_files
from resources.source_owners import add_owners, owned_hashes, owner_row_of

CONSENT_VALUES = ("valid", "expired")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Hashes are looked up in the catalog this many files at a time (one query, not one per file).
LOOKUP_CHUNK = 500
# Catalog rows are committed right behind their originals, at most ROW_BATCH rows or ROW_SECONDS
# after the first one waits: a crash loses at most these rows (a re-ingest or `mm fsck` heals them),
# and a commit per file would cost an fsync each (bench/ingest.py: 2.1x the copy floor at 16 rows).
ROW_BATCH = 64
ROW_SECONDS = 1.0


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
    # Accepted hashes whose original another tenant already held: for the caller to extend that
    # content's search rows to this owner (operations/ownership.py). Never shown: it is the oracle.
    joined: list[str] = field(default_factory=list, repr=False)

    @property
    def new_partition_keys(self) -> list[str]:
        return [item["content_hash"] for item in self.accepted]

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def landing_ingest(settings: Settings) -> Callable[[Sequence[Path], CatalogResource, BlobStore], IngestReport]:
    """How the landing sensor ingests: through the settings' caps, as the default tenant."""

    def ingest(files: Sequence[Path], catalog: CatalogResource, store: BlobStore) -> IngestReport:
        options = IngestOptions(tenant=settings.default_tenant)
        report = ingest_paths(files, catalog=catalog, store=store, caps=settings.caps, options=options)
        share_search_rows(settings.index_uri, catalog, report.joined, options.tenant)
        return report

    return ingest


def ingest_paths(
    paths: Iterable[Path],
    *,
    catalog: CatalogResource,
    store: BlobStore,
    caps: GateCaps,
    options: IngestOptions,
    on_item: Callable[[dict[str, Any]], None] | None = None,
    on_recorded: Callable[[list[str]], None] | None = None,
) -> IngestReport:
    """Ingest every file under `paths`; one bad file never stops the rest.

    Bytes another tenant already holds are answered exactly as fresh bytes (gated, "copied", accepted):
    this tenant gets its own ownership row beside the shared original, never a word about the other.
    Catalog rows follow their originals in small transactions (`ROW_BATCH`), idempotently, so a
    crash loses at most one small batch of rows, whose originals a plain re-ingest (or `mm fsck`)
    picks up; `on_recorded` gets each batch's content hashes once their rows are committed (the CLI
    registers them as partitions). A store fault (read-only, full, unreachable) is not the files'
    fault: it records what was already stored and raises StoreError.
    """
    options.validate()
    report = IngestReport()
    if hasattr(store, "remove_stale_temp_files"):
        store.remove_stale_temp_files()  # left by an ingest that was killed mid-copy
    pending = _PendingSources(catalog, store, options, report, on_item, on_recorded)
    copies = _CopyAhead(store)

    def settle(outcome: dict[str, Any] | _Accepted) -> None:
        if isinstance(outcome, _Accepted):
            pending.add(outcome)
        else:
            pending.finish_item(outcome)
            pending.flush_if_due()

    def settle_copy(owned: set[str]) -> None:
        finished = copies.wait()
        if finished is not None:
            settle(_copied(*finished, catalog, store, options, owned))

    owned: set[str] = set()
    try:
        for chunk in _chunked(iter_input_files(paths), LOOKUP_CHUNK):
            hashed = [(entry, _hash_entry(entry)) for entry in chunk]
            # One catalog lookup per chunk, not per file: which of these hashes this tenant holds
            # (whether another tenant does is never asked here).
            owned = owned_hashes(catalog, options.tenant, [h for _, h in hashed if isinstance(h, str)])
            for entry, content_hash in hashed:
                if copies.holds(content_hash):
                    settle_copy(owned)  # the same bytes are being copied: that copy's outcome decides
                admitted = _admit(entry, content_hash, caps, owned)  # the gate runs beside the copy
                settle_copy(owned)
                if isinstance(admitted, _Gated):
                    copies.start(admitted)
                elif isinstance(admitted, _Refusal):
                    settle(_quarantine(*admitted.args(), catalog, store, options, keep_bytes=admitted.keep_bytes))
                else:
                    settle(admitted)
    finally:
        try:
            settle_copy(owned)  # an original stored before a store fault still gets its row
        finally:
            copies.close()
            pending.flush()
    return report


@dataclass
class _Accepted:
    """A stored original whose catalog row is not written yet."""

    path: Path
    row: dict[str, Any]
    item: dict[str, Any]


class _PendingSources:
    """Catalog rows of stored originals and their ownership rows, inserted `ROW_BATCH` at a time with
    ON CONFLICT DO NOTHING."""

    def __init__(
        self,
        catalog: CatalogResource,
        store: BlobStore,
        options: IngestOptions,
        report: IngestReport,
        on_item: Callable[[dict[str, Any]], None] | None,
        on_recorded: Callable[[list[str]], None] | None,
    ):
        self.catalog, self.store, self.options, self.report = catalog, store, options, report
        self.on_item, self.on_recorded = on_item, on_recorded
        self.accepted: list[_Accepted] = []
        self.first_waiting_at = 0.0
        self.recorded: list[str] = []  # hashes with a row (new or this tenant's duplicate) to register
        self.lists = {"accepted": report.accepted, "duplicate": report.duplicates, "rejected": report.rejected}

    def add(self, accepted: _Accepted) -> None:
        if not self.accepted:
            self.first_waiting_at = time.monotonic()
        self.accepted.append(accepted)
        self.flush_if_due()

    def flush_if_due(self) -> None:
        if len(self.accepted) >= ROW_BATCH or (
            self.accepted and time.monotonic() - self.first_waiting_at >= ROW_SECONDS
        ):
            self.flush()

    def finish_item(self, item: dict[str, Any]) -> None:
        status = item.pop("status")
        self.lists[status].append(item)
        if status == "duplicate":
            self.recorded.append(item["content_hash"])  # re-registering heals a crash before registration
        if self.on_item:
            self.on_item(item)

    def flush(self) -> None:
        batch, self.accepted = self.accepted, []
        if not batch and not self.recorded:
            return
        # The original's row first (another tenant's, or a concurrent ingest's, may be there: kept),
        # then this tenant's ownership: a crash between the two leaves an original without owner,
        # which a re-ingest completes and `mm fsck` reports.
        new_originals = self.catalog.insert_if_absent(source_media, [a.row for a in batch], "content_hash")
        fault_point("ingest.originals_recorded")
        owned = add_owners(self.catalog, [owner_row_of(a.row) for a in batch])
        fault_point("ingest.rows_flushed")
        for accepted in batch:
            content_hash = accepted.row["content_hash"]
            if content_hash in owned:
                self.finish_item({"status": "accepted", **accepted.item})
                if content_hash not in new_originals:
                    self.report.joined.append(content_hash)
            else:  # a concurrent ingest recorded the same bytes for this tenant first
                self.finish_item({"status": "duplicate", "path": accepted.item["path"], "content_hash": content_hash})
        self.recorded.extend(h for h in (a.row["content_hash"] for a in batch) if h in owned)
        keys, self.recorded = self.recorded, []
        if keys and self.on_recorded:
            self.on_recorded(keys)


def display_text(text: str) -> str:
    """Text safe to store and print: bytes that are not UTF-8 (kept by Python as surrogates) as `\\xNN`."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _chunked(entries: Iterable[Path | Unreadable], size: int) -> Iterator[list[Path | Unreadable]]:
    chunk: list[Path | Unreadable] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _hash_entry(entry: Path | Unreadable) -> str | OSError | InputRejected:
    """The entry's sha256, or why it cannot be read; its type is checked first (a FIFO would block)."""
    if isinstance(entry, Unreadable):
        return entry.error
    try:
        regular_file_size(entry)
        return sha256_file(entry)
    except InputRejected as rejection:
        return InputRejected(rejection.reason, display_text(rejection.message))
    except OSError as exc:
        return exc


@dataclass(frozen=True)
class _Gated:
    """A file that passed the gate, to be copied into the store."""

    path: Path
    content_hash: str
    verdict: GateVerdict


@dataclass(frozen=True)
class _Refusal:
    """A file to quarantine (nothing written yet)."""

    path: Path
    content_hash: str | None
    rejection: InputRejected
    keep_bytes: bool = True

    def args(self) -> tuple[Path, str | None, InputRejected]:
        return self.path, self.content_hash, self.rejection


class _CopyAhead:
    """Copies one gated original into the store on a second thread while the caller gates the next file.

    Only the gate (it reads its input and writes nothing) runs beside a copy; every write (quarantine
    records, catalog rows, the next copy) waits for the copy in flight, so the writes keep the order
    of a file-by-file ingest and a crash leaves what it left before. The gate's test decode (CPU)
    then overlaps the copy's fsync (waiting on the disk) instead of adding to it (bench/ingest.py).
    """

    def __init__(self, store: BlobStore):
        self.store = store
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-copy")
        self.in_flight: tuple[_Gated, Future[bool]] | None = None

    def holds(self, content_hash: str | OSError | InputRejected) -> bool:
        return self.in_flight is not None and self.in_flight[0].content_hash == content_hash

    def start(self, gated: _Gated) -> None:
        key = media_key(gated.content_hash)
        # Bytes that reach a copy are new to this tenant: stored at the cost of new bytes, whether or
        # not the original is there already (another tenant's), where the store can (local disk).
        put = getattr(self.store, "put_file_as_new", self.store.put_file_if_absent)
        future = self.executor.submit(put, key, gated.path, gated.content_hash)
        self.in_flight = (gated, future)

    def wait(self) -> tuple[_Gated, BaseException | None] | None:
        """The copy in flight, once it ended, with what it raised (None: stored); None if there is none."""
        if self.in_flight is None:
            return None
        (gated, future), self.in_flight = self.in_flight, None
        return gated, future.exception()

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def _admit(
    entry: Path | Unreadable,
    content_hash: str | OSError | InputRejected,
    caps: GateCaps,
    owned: set[str],
) -> dict[str, Any] | _Gated | _Refusal:
    """What to do with one file: a duplicate (this tenant holds it), a refusal, or a copy of a gated
    file. Bytes another tenant holds take the fresh path, gate and copy (a no-op) included, so that
    neither the answer nor its cost tells them apart. Writes nothing."""
    path = entry.path if isinstance(entry, Unreadable) else entry
    shown = display_text(str(path))
    if isinstance(content_hash, InputRejected):  # not a regular file: never opened, nothing to keep
        return _Refusal(path, None, content_hash)
    if isinstance(content_hash, OSError):
        return _Refusal(path, None, _unreadable(shown, content_hash))

    if content_hash in owned:
        return {"status": "duplicate", "path": shown, "content_hash": content_hash}

    try:
        return _Gated(path, content_hash, check_file(path, caps))
    except InputRejected as rejection:
        return _Refusal(path, content_hash, rejection)
    except OSError as exc:
        return _Refusal(path, content_hash, _unreadable(shown, exc))


def _unreadable(shown: str, error: OSError) -> InputRejected:
    return InputRejected("unreadable", f"{shown}: cannot read it ({display_text(str(error))})")


def _copied(
    gated: _Gated,
    error: BaseException | None,
    catalog: CatalogResource,
    store: BlobStore,
    options: IngestOptions,
    owned: set[str],
) -> dict[str, Any] | _Accepted:
    """The outcome of a gated file's copy: its catalog row to write, or a quarantine record."""
    path, content_hash, verdict = gated.path, gated.content_hash, gated.verdict
    shown = display_text(str(path))
    if isinstance(error, SourceChanged):
        return _quarantine(path, None, InputRejected("changed_during_ingest", str(error)), catalog, store, options)
    if isinstance(error, OSError):  # reading the input failed; a store fault is a StoreError and stops the ingest
        return _quarantine(path, content_hash, _unreadable(shown, error), catalog, store, options)
    if error is not None:
        raise error
    fault_point("ingest.original_stored")

    size = path.stat().st_size
    owned.add(content_hash)
    gate_facts = dict(verdict.quality)
    if shown != str(path):  # the name is not valid UTF-8: stored escaped, its raw bytes kept here
        gate_facts["original_name_bytes_hex"] = os.fsencode(path.name).hex()
    row = {
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
        "original_name": display_text(path.name),
        "gate": gate_facts,
    }
    item = {
        "path": shown,
        "content_hash": content_hash,
        "mime_type": verdict.mime_type,
        "modality": verdict.modality,
        "bytes": size,
    }
    if verdict.quality.get("warnings"):
        item["warnings"] = verdict.quality["warnings"]
    return _Accepted(path, row, item)


def _quarantine(
    path: Path,
    content_hash: str | None,
    rejection: InputRejected,
    catalog: CatalogResource,
    store: BlobStore,
    options: IngestOptions,
    keep_bytes: bool = True,
) -> dict[str, Any]:
    """Keep a copy of the rejected bytes (when readable) and record why; never raises for one file.

    A symlink's target is never copied (it may be anything on this machine, e.g. /etc/passwd): the
    record names the link and where it points. A store fault is raised (StoreError), not recorded.
    """
    quarantine_uri = None
    message = display_text(rejection.message)
    if path.is_symlink():
        keep_bytes = False
        target = display_text(os.readlink(path))
        message += f" ({display_text(str(path))} is a symlink to {target}; its target was not copied)"
    if content_hash and keep_bytes:
        key = f"quarantine/{content_hash[:2]}/{content_hash}"
        try:
            store.put_file_if_absent(key, path)
            reason = {"path": display_text(str(path)), "reason": rejection.reason, "message": message}
            store.put_bytes_if_absent(f"{key}.reason.json", json.dumps(reason).encode())
            quarantine_uri = store_relative_uri(key)
        except (OSError, SourceChanged):
            quarantine_uri = None  # the bytes vanished or changed: the record below still says why
    catalog.insert_rows(
        quarantine_item,
        [
            {
                "quarantine_id": new_id(),
                "path": display_text(str(path)),
                "content_hash": content_hash,
                "tenant_id": options.tenant,
                "reason": rejection.reason,
                "message": message,
                "quarantine_uri": quarantine_uri,
                "created_at": utcnow(),
            }
        ],
    )
    return {
        "status": "rejected",
        "path": display_text(str(path)),
        "content_hash": content_hash,
        "reason": rejection.reason,
        "message": message,
        "quarantine_uri": quarantine_uri,
    }
