"""Payloads an `ArtifactBatch` has made, held until they are published together, before their catalog rows.

The store writes each file create-only with an fsync (resources/media_store.py). One after another,
every fsync is a journal commit of its own: 3.4 ms each on this machine's ext4, 2 s for the 600
payloads of a 200-partition `mm reprocess`. Issued together from a few threads, the filesystem
commits them in shared journal transactions (0.2 ms each, 2026-12-04). So a batch stages what
it writes and publishes the staged payloads at once, just before it inserts the rows that name
them: a payload is still durable, and in place, before anything points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from resources.blob_store import BlobStore

# Writers at once: enough for the filesystem to share journal commits (4 and 8 cost the same here),
# few enough to stay a small part of a run's threads.
PUBLISH_THREADS = 8


@dataclass(frozen=True)
class StagedPayload:
    """One artifact's files, in the order they are stored: its side files, then the payload itself
    (so a payload in place means its side files are too)."""

    files: tuple[tuple[str, bytes], ...]

    @property
    def size(self) -> int:
        return sum(len(data) for _key, data in self.files)

    def publish(self, store: BlobStore) -> Exception | None:
        """Store every file unless its key exists; the error that stopped it, if any."""
        try:
            for key, data in self.files:
                store.put_bytes_if_absent(key, data)
        except Exception as error:  # noqa: BLE001 - reported against this payload's partition alone
            return error
        return None


def publish_all(store: BlobStore, staged: Sequence[StagedPayload]) -> list[Exception | None]:
    """Publish every staged payload, several at once; per payload (in order), the error or None."""
    if len(staged) < 2:
        return [payload.publish(store) for payload in staged]
    with ThreadPoolExecutor(max_workers=min(PUBLISH_THREADS, len(staged)), thread_name_prefix="publish") as pool:
        return list(pool.map(lambda payload: payload.publish(store), staged))
