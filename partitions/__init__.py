"""The content-hash partitions: one dynamic partition per original, keyed by its sha256 hex."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import dagster as dg

CONTENT_HASH_PARTITIONS_NAME = "content_hash"
content_hash_partitions = dg.DynamicPartitionsDefinition(name=CONTENT_HASH_PARTITIONS_NAME)

# Dagster recommends at most this many partitions per asset for the UI to stay responsive.
DAGSTER_PARTITION_LIMIT = 100_000

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class InvalidPartitionKey(ValueError):
    """A partition key that is not a lowercase sha256 hex digest."""


def validate_content_hash(key: str) -> str:
    """Return `key` if it is a lowercase sha256 hex digest, else raise InvalidPartitionKey."""
    if not _SHA256_HEX.match(key):
        raise InvalidPartitionKey(f"partition key {key!r} is not a content hash: expected 64 lowercase hex characters")
    return key


def contiguous_runs(ordered_keys: Sequence[str], wanted: Iterable[str]) -> list[list[str]]:
    """Split `wanted` into maximal runs that are contiguous in `ordered_keys`.

    A Dagster run over dynamic partitions covers a key range in insertion order, so an arbitrary
    subset becomes one run per contiguous stretch.
    """
    wanted_set = set(wanted)
    runs: list[list[str]] = []
    current: list[str] = []
    for key in ordered_keys:
        if key in wanted_set:
            current.append(key)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def batches(keys: Sequence[str], size: int) -> list[list[str]]:
    return [list(keys[start : start + size]) for start in range(0, len(keys), size)]
