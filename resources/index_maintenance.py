"""Keeping a search index table's indexes complete and its deleted bytes gone.

What `VectorIndex.refresh`, `delete` and `rebuild_indexes_after_delete` run on each of its two
tables (source rows and chunk rows): create the scalar, full-text and vector indexes a table of
its size should have, merge vector index segments that writes pile up, and rewrite the fragments
that still hold deleted rows so that no old version keeps their bytes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
from lancedb.index import FTS, Bitmap, BTree, HnswSq
from lancedb.table import AsyncTable

from resources.index_schema import CHANNELS, vector_column
from resources.index_where import sql_string

# Each write adds a vector index segment and each segment adds ~2.5 ms of CPU to a search at 100k
# rows; past this many, merge_segments() rebuilds the index as one (55 s at 100k rows on 2 cores), so
# it runs apart from the writes (resources/index_merger.py), never inside a write's refresh().
MAX_VECTOR_INDEX_SEGMENTS = 4

# Lance's message when a commit lost a race with another writer's and may simply be tried again.
# A row that only exists while delete() runs; never a valid content hash, never searchable.
COMPANION_HASH = "compaction-companion"
RETRYABLE_CONFLICT = "Retryable commit conflict"
COMMIT_ATTEMPTS = 5
T = TypeVar("T")

# Bitmaps suit the low-cardinality governance columns; the unique key gets a B-tree.
SCALAR_INDEXES: Mapping[str, type[Bitmap] | type[BTree]] = {
    "content_hash": BTree,
    "tenant_id": Bitmap,
    "consent": Bitmap,
    "usage_rights": Bitmap,
    "region": Bitmap,
    "modality": Bitmap,
    "has_ocr": Bitmap,
}
# Chunk rows carry the source's governance columns, so they get the same indexes and their own.
CHUNK_SCALAR_INDEXES: Mapping[str, type[Bitmap] | type[BTree]] = {
    "chunk_id": BTree,
    **SCALAR_INDEXES,
    "chunk_kind": Bitmap,
    "has_text": Bitmap,
    "has_image": Bitmap,
}


class IndexMaintenanceError(RuntimeError):
    """Index maintenance could not finish what it promises (e.g. deleted bytes still on disk)."""


# Tables (by merge key: index URI and table name) whose vector indexes a merge in this process is
# rebuilding. A write meanwhile leaves those indexes alone: indexing its rows would commit a new
# segment of the same index, and the rebuild's commit (minutes of work) would lose the race to it.
_merging: set[str] = set()
_merging_lock = threading.Lock()


@contextmanager
def merging(merge_key: str) -> Iterator[None]:
    """Mark `merge_key`'s vector indexes as being rebuilt in this process while the block runs."""
    with _merging_lock:
        _merging.add(merge_key)
    try:
        yield
    finally:
        with _merging_lock:
            _merging.discard(merge_key)


def is_merging(merge_key: str) -> bool:
    with _merging_lock:
        return merge_key in _merging


async def retry_conflicts(table: AsyncTable, commit: Callable[[], Awaitable[T]]) -> T:
    """Run `commit` on `table` again, on its newest version, when it lost a race with another
    writer's commit (e.g. a segment merge's, or a write's beside one)."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            return await commit()
        except (RuntimeError, OSError) as exc:  # LanceDB raises the first, Lance's own calls the second
            if RETRYABLE_CONFLICT not in str(exc) or attempt == COMMIT_ATTEMPTS:
                raise
        await asyncio.sleep(0.05 * attempt)
        await table.checkout_latest()  # a handle sees other handles' commits only when it looks
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class AnnSettings:
    """How vector indexes are built (IVF_HNSW_SQ, cosine) and how deep a query searches them.

    `refine_factor`: the index ranks by 8-bit scalar-quantized vectors; a query fetches
    refine_factor x its candidates from it and re-ranks them by the stored float vectors. Without
    it, quantization error reorders near-tied candidates and the fused top 10 drifts from exact
    search: Recall@10 0.84 (worst query 0.30-0.50) on bench/search.py at 100k rows whatever `ef`
    (100, 300, 1000 all gave 0.840); with 2, 1.000 for about 30% more CPU per search. With 1 (the
    same candidates, re-ranked by the float vectors) the fused top 10 was the same as with 2 for
    all 200 bench queries, at ~12% less CPU per search than 2 (2026-12-01, side by side); with
    chunk rows the top 10 overlapped .994 (worst query .90).
    """

    num_partitions: int = 1
    m: int = 12
    ef_construction: int = 100
    ef: int = 100
    nprobes: int = 1
    refine_factor: int | None = 1


@dataclass(frozen=True)
class TableSpec:
    """What refresh() maintains on a table: its scalar indexes and its vector columns."""

    scalar_indexes: Mapping[str, type[Bitmap] | type[BTree]]
    vector_flags: Mapping[str, str | None]  # vector column -> bool column saying it is real (None: always)


SOURCE_TABLE = TableSpec(SCALAR_INDEXES, {"visual_vector": None, "caption_vector": None, "ocr_vector": "has_ocr"})
CHUNK_TABLE = TableSpec(CHUNK_SCALAR_INDEXES, {"text_vector": "has_text", "image_vector": "has_image"})


def index_config(column: str, spec: TableSpec, ann: AnnSettings) -> FTS | Bitmap | BTree | HnswSq:
    if column in spec.scalar_indexes:
        return spec.scalar_indexes[column]()
    if column == "text":
        return FTS()
    return HnswSq(
        distance_type="cosine",
        num_partitions=ann.num_partitions,
        m=ann.m,
        ef_construction=ann.ef_construction,
    )


async def expected_indexes(table: AsyncTable, spec: TableSpec, vector_index_min_rows: int) -> dict[str, str]:
    """Index name -> column for every index the table should have at its current size."""
    expected = {f"{column}_idx": column for column in spec.scalar_indexes}
    expected["text_idx"] = "text"
    rows = await table.count_rows()
    for column, flag in spec.vector_flags.items():
        # Zero vectors (no OCR text, no picture) cannot train a cosine index; never searched.
        flagged = rows if flag is None else await table.count_rows(f"{flag} = true")
        if flagged >= vector_index_min_rows:
            expected[f"{column}_idx"] = column
    return expected


async def refresh_table(
    table: AsyncTable, spec: TableSpec, ann: AnnSettings, vector_index_min_rows: int, leave_vectors: bool = False
) -> None:
    """Create missing indexes, then optimize so every row is covered by every index.

    New rows go into a new vector index segment; merging segments is merge_segments()'s, apart.
    `leave_vectors` (while a merge rebuilds them): every index but the vector indexes covers the new
    rows; a vector search scans rows its index does not cover, so results stay exact for them."""
    if await table.count_rows() == 0:
        return
    existing = {index.name for index in await table.list_indices()}
    for name, column in (await expected_indexes(table, spec, vector_index_min_rows)).items():
        if name not in existing:  # rare (a new table, a channel reaching its threshold): asked again inside
            await retry_conflicts(
                table, lambda name=name, column=column: create_if_missing(table, name, column, spec, ann)
            )
    if leave_vectors:
        await retry_conflicts(table, lambda: optimize_indexes_but_vectors(table, spec))
    else:
        await retry_conflicts(table, table.optimize)


async def create_if_missing(table: AsyncTable, name: str, column: str, spec: TableSpec, ann: AnnSettings) -> None:
    """Build index `name` unless the table's version has it. Asked again on each retry: a writer whose view
    was behind loses the commit race to another that built the same index (Lance's retryable CreateIndex
    conflict), and on the newest version it finds the index there and has nothing left to do."""
    if name not in {index.name for index in await table.list_indices()}:
        await table.create_index(column, config=index_config(column, spec, ann), name=name)


async def optimize_indexes_but_vectors(table: AsyncTable, spec: TableSpec) -> None:
    # LanceDB's optimize() updates every index; Lance's own call takes the names (no compaction).
    names = [index.name for index in await table.list_indices() if index.columns[0] not in spec.vector_flags]
    dataset = await table.to_lance()
    await asyncio.to_thread(dataset.optimize.optimize_indices, index_names=names)
    await table.checkout_latest()


async def merge_segments(table: AsyncTable, spec: TableSpec, ann: AnnSettings, max_segments: int) -> list[str]:
    """Rebuild each vector index split into more than `max_segments` segments as one; the names of the
    indexes rebuilt. Optimize afterwards: it indexes rows written meanwhile and compacts the fragments
    that one segment now covers.

    Safe beside writers: a rebuild indexes the table version it started from and commits like any
    write, so rows written meanwhile stay searchable (rows an index does not cover are scanned); a
    process killed mid-rebuild commits nothing and leaves the old index in place. A rebuild whose
    commit loses a race with a write raises Lance's retryable conflict: the caller tries again later."""
    rebuilt = []
    for name, column in await over_split(table, spec, max_segments):
        await table.create_index(column, config=index_config(column, spec, ann), name=name, replace=True)
        rebuilt.append(name)
    return rebuilt


async def over_split(table: AsyncTable, spec: TableSpec, max_segments: int) -> list[tuple[str, str]]:
    """(index name, column) of each vector index split into more than `max_segments` segments."""
    return [
        (index.name, index.columns[0])
        for index in await table.list_indices()
        if index.columns[0] in spec.vector_flags and (index.num_segments or 1) > max_segments
    ]


async def unindexed_rows(table: AsyncTable, spec: TableSpec, vector_index_min_rows: int) -> dict[str, int]:
    """Index name -> rows it does not cover; a missing expected index covers none."""
    rows = await table.count_rows()
    uncovered = {name: rows for name in await expected_indexes(table, spec, vector_index_min_rows)}
    for index in await table.list_indices():
        stats = index.num_unindexed_rows
        if stats is None:
            stats = (await table.index_stats(index.name)).num_unindexed_rows
        uncovered[index.name] = int(stats)
    return uncovered


async def rebuild_scalar_and_text_indexes(table: AsyncTable, spec: TableSpec, ann: AnnSettings) -> None:
    """Rebuild a table's scalar and full-text indexes and drop the old index files (after a delete)."""
    rows = await table.count_rows()
    for index in await table.list_indices():
        column = index.columns[0]
        if column not in spec.scalar_indexes and column != "text":
            continue
        if rows == 0:  # nothing to index: an index over no rows cannot be built, only dropped
            await table.drop_index(index.name)
        else:
            config = index_config(column, spec, ann)
            await table.create_index(column, config=config, name=index.name, replace=True)
    await table.optimize(cleanup_older_than=timedelta(milliseconds=1))


async def purge_source_rows(table: AsyncTable, schema: pa.Schema, ann: AnnSettings, use_pylance: bool) -> None:
    """Rewrite the source table's fragments still holding deleted rows' bytes, then drop every old
    version; without pylance, a companion row makes compaction rewrite them (compact_with_companion)."""
    if not use_pylance:
        await compact_with_companion(table, schema, ann)
    await purge_table(table, use_pylance=use_pylance)


async def compact_with_companion(table: AsyncTable, schema: pa.Schema, ann: AnnSettings) -> None:
    # Without pylance: compaction rewrites a fragment with few deletions only when it merges
    # it with a neighbour covered by the same index segments, so add a one-row companion,
    # index it, merge the vector index segments (a rebuild: slow on big tables), compact.
    await table.add(companion_row(schema))
    await table.optimize()
    await merge_segments(table, SOURCE_TABLE, ann, max_segments=1)
    await table.optimize()
    await table.delete(f"content_hash = {sql_string(COMPANION_HASH)}")


def companion_row(schema: pa.Schema) -> pa.Table:
    """The companion: a source row of `schema` that no search returns (expired consent, no owner)."""
    dim = schema.field(vector_column(CHANNELS[0])).type.list_size
    zeros = np.zeros(dim, dtype=np.float32)
    row: dict[str, Any] = {
        "content_hash": COMPANION_HASH,
        "tenant_id": "",
        "region": "",
        "consent": "expired",
        "usage_rights": "",
        "modality": "",
        "has_ocr": False,
        "text": "",
        "caption": "",
        "provenance": "{}",
        "updated_at": datetime.now(UTC),
    }
    row.update({vector_column(channel): zeros for channel in CHANNELS})
    return pa.Table.from_pylist([row], schema=schema)


async def purge_table(table: AsyncTable, use_pylance: bool) -> None:
    """Rewrite the fragments still holding deleted rows' bytes, then drop every old version."""
    if use_pylance:
        await rewrite_fragments_with_deletions(table)
    # A millisecond rather than 0: same effect, without LanceDB's concurrent-reader warning.
    await table.optimize(cleanup_older_than=timedelta(milliseconds=1))
    remaining = await deleted_rows_on_disk(table)
    if remaining > 1:  # the companion's own tombstone is the one allowed
        raise IndexMaintenanceError(
            f"{remaining} deleted rows of {table.name} are still in data files: they are gone "
            f"from search, but their bytes stay until their fragments are rewritten; install "
            f"pylance (pip install pylance==13.0.0) and run purge_deleted_rows()"
        )


async def rewrite_fragments_with_deletions(table: AsyncTable) -> None:
    # LanceDB's optimize() leaves fragments with under 10% deleted rows as they are; Lance's
    # own compaction takes the threshold. Rewrites only those fragments; indexes stay valid.
    dataset = await table.to_lance()
    await asyncio.to_thread(dataset.optimize.compact_files, materialize_deletions_threshold=0.0)
    await table.checkout_latest()


async def deleted_rows_on_disk(table: AsyncTable) -> int:
    versions = await table.list_versions()
    latest = max(versions, key=lambda version: version["version"])
    return int(latest["metadata"].get("total_deletion_file_rows", 0))
