"""The LanceDB multi-vector hybrid index: one row per source, three vector channels plus BM25.

Each source (content hash) is one row holding a visual, a caption and an OCR vector, the redacted
text for full-text search, and the governance columns every search filters on (tenant, consent,
usage rights). A search runs one prefiltered query per channel and fuses the ranked lists (RRF or
weighted scores), keeping each channel's raw score and rank on every hit so a result can be
explained. The module is model-agnostic: callers hand it vectors, never models.

Beside it lives a second table of chunk rows (`<table>_chunks`, schema in `chunk_schema`): the
passages a result can point at (page blocks with a box, whole images, transcript windows and
keyframes with a time span). Chunk rows carry the same governance columns and are searched with
the same prefilter; a source's best chunks vote in its fused score and come back as its
`evidence`. The contract for writers of chunk rows is in `chunk_schema` and `chunk_rows_to_table`.

The parts live beside it: `index_schema` (both schemas and row validation), `index_where` (the
user filter language), `index_fusion` (request, hit, fusion, evidence) and `index_maintenance`
(index building, segment merging, purging deleted bytes).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import json
import threading
import time
import weakref
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.query import AsyncVectorQuery, MatchQuery
from lancedb.table import AsyncTable

from resources.index_fusion import (
    Fused,
    SearchHit,
    SearchRequest,
    add_image_evidence,
    best_per_source,
    check_request,
    evidence_by_source,
    fuse,
    governance_filter,
)
from resources.index_io import lance_uri
from resources.index_maintenance import (
    CHUNK_TABLE,
    MAX_VECTOR_INDEX_SEGMENTS,
    SOURCE_TABLE,
    AnnSettings,
    TableSpec,
    deleted_rows_on_disk,
    expected_indexes,
    is_merging,
    merge_segments,
    merging,
    over_split,
    purge_table,
    rebuild_scalar_and_text_indexes,
    refresh_table,
    retry_conflicts,
    unindexed_rows,
)
from resources.index_schema import (
    CHANNELS,
    CHUNK_CHANNELS,
    CHUNK_FTS_CHANNEL,
    CHUNK_TEXT_CHANNEL,
    CHUNK_VISUAL_CHANNEL,
    CONTENT_HASH_PATTERN,
    FTS_CHANNEL,
    chunk_rows_to_table,
    chunk_schema,
    index_schema,
    owner_chunk_id,
    rows_to_table,
    vector_column,
)
from resources.index_session import process_session, reset_process_session
from resources.index_where import sql_string

# Below this many rows a flat scan is exact and cheap (it costs about 3 ms of CPU per 1,000 rows
# per 3-channel search on 2 cores; bench/search.py); above it the ANN index pays for itself.
VECTOR_INDEX_MIN_ROWS = 2_000

# A row that only exists while delete() runs; never a valid content hash, never searchable.
_COMPANION_HASH = "compaction-companion"
_RESULT_COLUMNS = ["content_hash", "tenant_id", "caption", "modality", "provenance"]
_EVIDENCE_COLUMNS = ["content_hash", "chunk_kind", "page", "bbox", "t_start", "t_end", "text"]
T = TypeVar("T")


async def _timed(stage: str, work: Coroutine[Any, Any, T], stage_ms: dict[str, float]) -> T:
    """Await `work` and put its milliseconds in `stage_ms[stage]`."""
    started = time.perf_counter()
    try:
        return await work
    finally:
        stage_ms[stage] = (time.perf_counter() - started) * 1000


def pylance_available() -> bool:
    """Whether pylance (Lance's own Python API) is installed; delete() is much faster with it."""
    return importlib.util.find_spec("lance") is not None


class IndexSchemaError(RuntimeError):
    """The table at the given location has a different schema (often another vector dimension)."""


# The columns that differ between the row sets of two owners of one original.
OWNER_COLUMNS = ("tenant_id", "region", "consent", "usage_rights")


def _owned_predicate(content_hashes: Sequence[str], tenant: str | None) -> str | None:
    """`_sources_predicate`, narrowed to one owner's rows when `tenant` is given."""
    predicate = _sources_predicate(content_hashes)
    if predicate is None or tenant is None:
        return predicate
    return f"{predicate} AND tenant_id = {sql_string(tenant)}"


def _as_owner(table: pa.Table, owner: Mapping[str, str]) -> pa.Table:
    """The rows with `owner`'s governance columns (and, for chunk rows, the owner's chunk ids)."""
    for name in OWNER_COLUMNS:
        position = table.schema.get_field_index(name)
        table = table.set_column(
            position, table.schema.field(name), pa.array([owner[name]] * table.num_rows, pa.string())
        )
    if "chunk_id" in table.schema.names:
        ids = [owner_chunk_id(chunk_id, owner["tenant_id"]) for chunk_id in table["chunk_id"].to_pylist()]
        position = table.schema.get_field_index("chunk_id")
        table = table.set_column(position, table.schema.field("chunk_id"), pa.array(ids, pa.string()))
    return table


def _sources_predicate(content_hashes: Sequence[str]) -> str | None:
    """`content_hash IN (...)` for validated content hashes; None for an empty list."""
    for content_hash in content_hashes:
        if not isinstance(content_hash, str) or not CONTENT_HASH_PATTERN.fullmatch(content_hash):
            raise ValueError(f"not a content hash (64 lowercase hex): {content_hash!r}")
    if not content_hashes:
        return None
    keys = ", ".join(sql_string(content_hash) for content_hash in sorted(set(content_hashes)))
    return f"content_hash IN ({keys})"


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------


class VectorIndex:
    """One LanceDB table of searchable sources, with its scalar, FTS and vector indexes.

    Every call is synchronous; underneath, LanceDB's async API runs on a private event loop, so a
    search sends its channel queries concurrently (about half the CPU of the sync query builders).
    """

    def __init__(
        self,
        uri: str,
        dim: int,
        table: str = "media",
        storage_options: dict | None = None,
        vector_index_min_rows: int = VECTOR_INDEX_MIN_ROWS,
        ann: AnnSettings | None = None,
        read_consistency_interval: timedelta | None = None,
        session: lancedb.Session | None = None,
    ) -> None:
        """Open (or create) `table` under `uri` (a folder, or s3://... with storage_options).

        `vector_index_min_rows`: rows a channel needs before refresh() builds its ANN index.
        `ann`: index build and query settings. `read_consistency_interval`: how often to look for
        writes made by other processes (None: only at open, plus this object's own writes).
        `session`: the caches of loaded indexes (default: the process's, `process_session`).
        """
        self.dim = dim
        self.merge_key = f"{uri.rstrip('/')}#{table}"  # names this index's tables to merging()
        self.vector_index_min_rows = vector_index_min_rows
        self.ann = ann or AnnSettings()
        self._schema = index_schema(dim)
        self._chunk_schema = chunk_schema(dim)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mm-vector-index", daemon=True)
        self._thread.start()
        # Stop the loop's thread when the index is dropped without close().
        self._finalizer = weakref.finalize(self, self._loop.call_soon_threadsafe, self._loop.stop)
        # Stable row ids: a chunk's _rowid names it across the channel queries of one search,
        # even if a compaction lands between its channel queries.
        options = {"new_table_enable_stable_row_ids": "true", **(storage_options or {})}
        self.session = session if session is not None else process_session()
        opening = self._open_or_create(uri, table, self._schema, options, read_consistency_interval)
        self._table: AsyncTable = self._run(opening)
        self._check_schema(self._table, self._schema, self._run(self._table.schema()))
        chunks = self._open_or_create(uri, f"{table}_chunks", self._chunk_schema, options, read_consistency_interval)
        self._chunks: AsyncTable = self._run(chunks)
        self._check_schema(self._chunks, self._chunk_schema, self._run(self._chunks.schema()))
        # Whether the chunk table has rows, and when that was last looked at (see _chunk_rows_present).
        self._chunk_recheck_s = None if read_consistency_interval is None else read_consistency_interval.total_seconds()
        self._chunks_seen: tuple[bool, float] | None = None

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _open_or_create(
        self, uri: str, name: str, schema: pa.Schema, options: dict, read_consistency_interval: timedelta | None
    ) -> AsyncTable:
        db = await lancedb.connect_async(
            lance_uri(uri),
            storage_options=options,
            read_consistency_interval=read_consistency_interval,
            session=self.session,
        )
        try:
            return await db.open_table(name)
        except ValueError:  # not created yet (LanceDB says "was not found")
            return await db.create_table(name, schema=schema, exist_ok=True)

    @staticmethod
    def _check_schema(table: AsyncTable, schema: pa.Schema, found: pa.Schema) -> None:
        for expected in schema:
            actual = found.field(expected.name).type if expected.name in found.names else None
            if actual != expected.type:
                raise IndexSchemaError(
                    f"table {table.name!r} has {expected.name}: {actual}, expected "
                    f"{expected.type}; open it with the dimension it was built with, or index "
                    f"into a new table name"
                )

    def close(self) -> None:
        """Stop the background event loop; the index cannot be used afterwards."""
        self._finalizer()
        self._thread.join()

    # -- writes --------------------------------------------------------------------------------

    def upsert(self, rows: list[dict], refresh: bool = True) -> None:
        """Insert or update rows by (content_hash, tenant_id): each owner of an original has its own
        row, with its own governance columns. Then refresh indexes (unless refresh=False)."""
        data = rows_to_table(rows, self.dim)
        if data.num_rows:
            merge = (
                self._table.merge_insert(["content_hash", "tenant_id"])
                .when_matched_update_all()
                .when_not_matched_insert_all()
            )
            self._run(merge.execute(data))
        if refresh:
            self._run(self._refresh(self._table, SOURCE_TABLE))

    def delete(self, content_hashes: list[str], tenant: str | None = None) -> int:
        """Delete source rows and their chunk rows (of one owner with `tenant`, else of every owner),
        and rewrite storage so their bytes and every older version are gone; returns the number of
        source rows deleted."""
        predicate = _owned_predicate(content_hashes, tenant)
        if predicate is None:
            return 0
        self.delete_chunks(content_hashes, tenant)
        deleted = self._run(self._table.count_rows(predicate))
        if deleted:
            self._run(self._table.delete(predicate))
            self.purge_deleted_rows()
            reset_process_session()  # cached indexes still hold the deleted rows' values
        return deleted

    def rebuild_indexes_after_delete(self) -> None:
        """Rebuild the scalar and full-text indexes of both tables and drop the old index files: until
        then they still hold a deleted row's values (its content hash, its tokens and their counts)."""
        self._run(rebuild_scalar_and_text_indexes(self._table, SOURCE_TABLE, self.ann))
        self._run(rebuild_scalar_and_text_indexes(self._chunks, CHUNK_TABLE, self.ann))
        reset_process_session()  # the old indexes' cached entries go with the views that use them

    def purge_deleted_rows(self) -> None:
        """Rewrite the fragments still holding deleted rows' bytes, then drop every old version."""
        self._run(self._purge_deleted_rows())

    # -- chunk rows ----------------------------------------------------------------------------

    def upsert_chunks(
        self, rows: list[dict], sources: Sequence[str] = (), refresh: bool = True, new_sources: bool = False
    ) -> None:
        """Replace the chunk rows of every source named in `rows` (and in `sources`) by `rows`.

        A source's chunks are written as a whole: chunks it had before and that are not in
        `rows` are removed in the same commit. Name a source in `sources` to clear its chunks
        when it now has none. Rows follow `chunk_schema` (validated by `chunk_rows_to_table`).
        `new_sources=True` promises that no source in `rows` has chunks yet (a bulk load): the
        rows are appended without the merge.
        """
        data = chunk_rows_to_table(rows, self.dim)
        if new_sources:
            if data.num_rows:
                self._run(self._chunks.add(data))
        else:
            predicate = _sources_predicate([*sources, *data["content_hash"].to_pylist()])
            if predicate is None:
                return
            merge = (
                self._chunks.merge_insert("chunk_id")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .when_not_matched_by_source_delete(predicate)
            )
            self._run(merge.execute(data))
        self._chunks_seen = None
        if refresh:
            self._run(self._refresh(self._chunks, CHUNK_TABLE))

    def delete_chunks(self, content_hashes: list[str], tenant: str | None = None) -> int:
        """Delete every chunk row of these sources (one owner's with `tenant`) and purge their bytes;
        returns rows deleted.

        For `mm forget` and re-indexing; `delete` calls it for the sources it removes.
        """
        predicate = _owned_predicate(content_hashes, tenant)
        if predicate is None:
            return 0
        deleted = self._run(self._chunks.count_rows(predicate))
        if deleted:
            self._run(self._chunks.delete(predicate))
            self._run(purge_table(self._chunks, use_pylance=pylance_available()))
            reset_process_session()
        return deleted

    def share_rows(self, content_hash: str, owner: Mapping[str, str]) -> int:
        """Give a new owner of an indexed original its own row set: a copy of one existing owner's
        source row and chunk rows under `owner`'s governance columns (no model runs: the vectors are
        the content's). Returns the source rows written; 0 while the original is not indexed yet
        (search_index then writes a row set per owner itself)."""
        predicate = _sources_predicate([content_hash])
        found = self._run(self._table.query().where(predicate).to_arrow())
        if not found.num_rows:
            return 0
        model = f"{predicate} AND tenant_id = {sql_string(found['tenant_id'][0].as_py())}"
        rows = self._run(self._table.query().where(model).to_arrow())
        chunks = self._run(self._chunks.query().where(model).to_arrow())
        merge = self._table.merge_insert(["content_hash", "tenant_id"])
        self._run(merge.when_matched_update_all().when_not_matched_insert_all().execute(_as_owner(rows, owner)))
        if chunks.num_rows:
            merge = self._chunks.merge_insert("chunk_id").when_matched_update_all().when_not_matched_insert_all()
            self._run(merge.execute(_as_owner(chunks, owner)))
            self._chunks_seen = None
        self.refresh()
        return rows.num_rows

    def owners(self, content_hash: str) -> list[str]:
        """The tenants that have a source row of this original, sorted (for checks and tests)."""
        predicate = _sources_predicate([content_hash])
        found = self._run(self._table.query().where(predicate).select(["tenant_id"]).to_arrow())
        return sorted(found["tenant_id"].to_pylist())

    def chunk_count(self, where: str | None = None) -> int:
        """Chunk rows in the table (matching a SQL `where` this module or a test wrote)."""
        return self._run(self._chunks.count_rows(where))

    def chunk_text_vectors(
        self, content_hashes: Sequence[str], version_of: Callable[[dict], Any]
    ) -> dict[str, np.ndarray]:
        """{chunk text: its text vector} of these sources' chunk rows whose `versions` JSON gives
        `version_of` a true value (the caller says which vectors it can reuse)."""
        if not content_hashes:
            return {}
        query = self._chunks.query().where(_sources_predicate(list(content_hashes)))
        found = self._run(query.select(["text", "text_vector", "versions"]).to_arrow()).to_pylist()
        return {
            row["text"]: np.asarray(row["text_vector"], dtype=np.float32)
            for row in found
            if row["text_vector"] is not None and version_of(json.loads(row["versions"]))
        }

    def chunk_rows(self, content_hash: str) -> list[dict[str, Any]]:
        """A source's chunk rows without vectors, in chunk_id order (for checks and tests)."""
        predicate = _sources_predicate([content_hash])
        columns = [name for name in self._chunk_schema.names if not name.endswith("_vector")]
        found = self._run(self._chunks.query().where(predicate).select(columns).to_arrow()).to_pylist()
        return sorted(found, key=lambda row: row["chunk_id"])

    async def _purge_deleted_rows(self) -> None:
        if not pylance_available():
            await self._compact_with_companion()
        await purge_table(self._table, use_pylance=pylance_available())

    async def _compact_with_companion(self) -> None:
        # Without pylance: compaction rewrites a fragment with few deletions only when it merges
        # it with a neighbour covered by the same index segments, so add a one-row companion,
        # index it, merge the vector index segments (a rebuild: slow on big tables), compact.
        await self._table.add(self._companion_row())
        await self._table.optimize()
        await merge_segments(self._table, SOURCE_TABLE, self.ann, max_segments=1)
        await self._table.optimize()
        await self._table.delete(f"content_hash = {sql_string(_COMPANION_HASH)}")

    def _companion_row(self) -> pa.Table:
        zeros = np.zeros(self.dim, dtype=np.float32)
        row: dict[str, Any] = {
            "content_hash": _COMPANION_HASH,
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
        return pa.Table.from_pylist([row], schema=self._schema)

    def deleted_rows_on_disk(self) -> int:
        """Deleted rows whose bytes are still in data files (0, or 1 companion tombstone)."""
        return self._run(deleted_rows_on_disk(self._table))

    def versions(self) -> list[int]:
        """Table versions still on disk (old ones are removed by delete)."""
        return sorted(version["version"] for version in self._run(self._table.list_versions()))

    # -- indexes -------------------------------------------------------------------------------

    def expected_indexes(self) -> dict[str, str]:
        """Index name -> column for every index the table should have at its current size."""
        return self._run(expected_indexes(self._table, SOURCE_TABLE, self.vector_index_min_rows))

    def refresh(self) -> None:
        """Create missing indexes, then optimize so every row is covered by every index (both tables);
        while this process merges the vector indexes' segments, every index but those."""
        self._run(self._refresh(self._table, SOURCE_TABLE))
        self._run(self._refresh(self._chunks, CHUNK_TABLE))

    async def _refresh(self, table: AsyncTable, spec: TableSpec) -> None:
        await refresh_table(table, spec, self.ann, self.vector_index_min_rows, leave_vectors=self.merging())

    def merging(self) -> bool:
        """Whether a merge in this process is rebuilding this index's vector indexes now."""
        return is_merging(self.merge_key)

    def unindexed_rows(self) -> dict[str, int]:
        """Index name -> rows it does not cover; a missing expected index covers none."""
        return self._run(unindexed_rows(self._table, SOURCE_TABLE, self.vector_index_min_rows))

    def chunk_unindexed_rows(self) -> dict[str, int]:
        """The same for the chunk table."""
        return self._run(unindexed_rows(self._chunks, CHUNK_TABLE, self.vector_index_min_rows))

    def index_segments(self, chunks: bool = False) -> dict[str, int]:
        """Index name -> segments it is split into (vector indexes grow one per write), of the chunk
        table if asked."""
        table = self._chunks if chunks else self._table
        return {index.name: index.num_segments or 1 for index in self._run(table.list_indices())}

    def over_split_indexes(self, max_segments: int = MAX_VECTOR_INDEX_SEGMENTS) -> list[str]:
        """The vector indexes of both tables split into more than `max_segments` segments (what
        merge_index_segments would rebuild), chunk table's prefixed `chunks.`; reads index metadata only."""
        table = [name for name, _ in self._run(over_split(self._table, SOURCE_TABLE, max_segments))]
        chunks = [name for name, _ in self._run(over_split(self._chunks, CHUNK_TABLE, max_segments))]
        return [*table, *(f"chunks.{name}" for name in chunks)]

    def merge_index_segments(self, max_segments: int = MAX_VECTOR_INDEX_SEGMENTS) -> list[str]:
        """Rebuild the vector indexes of both tables that writes split into more than `max_segments`
        segments (minutes on a large table: call it apart from writes, as IndexMerger does); the names
        of the indexes rebuilt, chunk table's prefixed `chunks.`."""
        with merging(self.merge_key):
            rebuilt = self._run(merge_segments(self._table, SOURCE_TABLE, self.ann, max_segments))
            rebuilt_chunks = self._run(merge_segments(self._chunks, CHUNK_TABLE, self.ann, max_segments))
        # After the flag is down: rows written during the rebuild join the merged index, and the
        # fragments it now covers as one segment are compacted.
        if rebuilt:
            self._run(retry_conflicts(self._table, self._table.optimize))
        if rebuilt_chunks:
            self._run(retry_conflicts(self._chunks, self._chunks.optimize))
        if rebuilt or rebuilt_chunks:
            reset_process_session()  # the merged-away segments' cached entries are dead weight
        return [*rebuilt, *(f"chunks.{name}" for name in rebuilt_chunks)]

    def index_types(self, chunks: bool = False) -> dict[str, str]:
        """Index name -> LanceDB index type, for the indexes that exist now (of the chunk table if asked)."""
        table = self._chunks if chunks else self._table
        return {index.name: index.index_type for index in self._run(table.list_indices())}

    def count(self) -> int:
        return self._run(self._table.count_rows())

    # -- search --------------------------------------------------------------------------------

    def search(
        self,
        request: SearchRequest,
        stage_ms: dict[str, float] | None = None,
        encode: Callable[[], dict[str, np.ndarray]] | None = None,
    ) -> list[SearchHit]:
        """Prefiltered per-channel queries (source rows and chunk rows), fused by RRF or weighted
        scores; top `k` sources, each with its best chunks as evidence. With `stage_ms`, the
        milliseconds of each stage go in it: `channel.<name>` (each channel's own latency; they
        run at once), `fusion`, `evidence` (chunks to passages) and `fetch` (the winners' rows).

        `encode`: the request's channel vectors come from it (they replace `request.vectors`). It runs
        on the calling thread while the full-text channels, which need no vector, already run on the
        index's loop; its milliseconds go in `stage_ms["encode"]`. The request is checked before and
        again after."""
        weights = check_request(request, self.dim)
        timings = stage_ms if stage_ms is not None else {}
        governance = governance_filter(request)
        if encode is None:
            return self._run(self._search(request, weights, governance, timings))
        # The caller's thread would only wait: it encodes while the loop runs the full-text channels, and
        # hands the vectors over, one thread wake-up fewer than a worker thread's there and back.
        vectors: concurrent.futures.Future[dict[str, np.ndarray]] = concurrent.futures.Future()
        searching = asyncio.run_coroutine_threadsafe(
            self._search(request, weights, governance, timings, vectors), self._loop
        )
        started = time.perf_counter()
        try:
            encoded = encode()
        except Exception as exc:
            vectors.set_exception(exc)  # the search stops its channels and raises it below
        except BaseException:  # an interrupt: stop the search, never raise it inside the index's loop
            vectors.cancel()
            searching.cancel()
            raise
        else:
            vectors.set_result(encoded)
        timings["encode"] = (time.perf_counter() - started) * 1000
        return searching.result()

    async def _chunk_rows_present(self) -> bool:
        """Whether the chunk table has rows: an index without any (one built before chunks, a synthetic
        bench corpus) skips the chunk queries and the whole-image evidence fetch, which could find
        nothing there (~4 ms of CPU and a sequential query per search at 100k rows). Once seen, rows are
        assumed present (an emptied table only costs the queries again); while empty, it is looked at
        again after this object's own chunk writes and, for a view that follows other processes'
        writes, once per read consistency interval, so it is never staler than the rest of that view."""
        seen, now = self._chunks_seen, time.monotonic()
        if seen is not None and (seen[0] or self._chunk_recheck_s is None or now - seen[1] < self._chunk_recheck_s):
            return seen[0]
        present = await self._chunks.count_rows() > 0
        self._chunks_seen = (present, now)
        return present

    async def _search(
        self,
        request: SearchRequest,
        weights: dict[str, float],
        governance: str,
        stage_ms: dict[str, float],
        vectors: concurrent.futures.Future[dict[str, np.ndarray]] | None = None,
    ) -> list[SearchHit]:
        # Every channel, source or chunk, ranks content hashes, so all queries run at once and
        # fuse without a lookup. Source channels bring the display columns of their rows along,
        # so only winners found by chunks alone need one more (governed) fetch.
        chunks = request.chunks and await self._chunk_rows_present()
        running: dict[str, asyncio.Future[list[dict[str, Any]]]] = {}
        try:
            if request.fts_text is not None:  # needs no vector: starts before (or while) the query is encoded
                query = self._fts_channel(request.fts_text, governance, request.candidates)
                running[FTS_CHANNEL] = asyncio.ensure_future(_timed(f"channel.{FTS_CHANNEL}", query, stage_ms))
            if vectors is not None:  # encoded on the caller's thread meanwhile (see search)
                request = replace(request, vectors={**request.vectors, **await asyncio.wrap_future(vectors)})
                weights = check_request(request, self.dim)
            queries: dict[str, Coroutine[Any, Any, list[dict[str, Any]]]] = {
                channel: self._vector_channel(channel, request.vectors[channel], governance, request)
                for channel in request.vectors
            }
            if chunks:
                queries.update(self._chunk_queries(request, governance, weights))
            running.update(
                {
                    channel: asyncio.ensure_future(_timed(f"channel.{channel}", q, stage_ms))
                    for channel, q in queries.items()
                }
            )
            await asyncio.gather(*running.values())
        except BaseException:
            for task in running.values():
                task.cancel()
            raise
        # In the order the channels always had (vectors, full text, chunks): fusion sums in this order.
        order = [*request.vectors, *([FTS_CHANNEL] if FTS_CHANNEL in running else [])]
        order += [channel for channel in queries if channel not in request.vectors]
        found = {channel: running[channel].result() for channel in order}
        started = time.perf_counter()
        ranked = {channel: best_per_source(rows) for channel, rows in found.items()}
        best = fuse(ranked, weights, request.fusion)[: request.k]
        shown = {
            row["content_hash"]: row for channel, rows in found.items() if channel not in CHUNK_CHANNELS for row in rows
        }
        fused = time.perf_counter()
        chunk_matches = {channel: rows for channel, rows in found.items() if channel in CHUNK_CHANNELS}
        evidence = evidence_by_source(chunk_matches, weights)
        stage_ms["fusion"] = (fused - started) * 1000
        stage_ms["evidence"] = (time.perf_counter() - fused) * 1000
        return await _timed("fetch", self._hits(best, shown, evidence, governance, chunks), stage_ms)

    async def _vector_channel(
        self, channel: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[dict[str, Any]]:
        # The zero OCR vector of a row without OCR text would only add noise.
        prefilter = f"{governance} AND has_ocr = true" if channel == "ocr" else governance
        query = (
            self._table.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(vector_column(channel))
            .distance_type("cosine")
            .where(prefilter)
            .select([*_RESULT_COLUMNS, "_distance"])
            .limit(request.candidates)
        )
        rows = (await self._ann_query(query, request).to_arrow()).to_pylist()
        return [{**row, "score": 1.0 - row.pop("_distance")} for row in rows]

    def _ann_query(self, query: AsyncVectorQuery, request: SearchRequest) -> AsyncVectorQuery:
        """How deep a vector query searches: flat for `exact`, else the index with `ann`'s settings."""
        if request.exact:
            return query.bypass_vector_index()
        # HNSW refuses an ef below the rows it is asked for, and a refine asks for refine_factor x more.
        fetched = request.candidates * (self.ann.refine_factor or 1)
        query = query.nprobes(self.ann.nprobes).ef(max(self.ann.ef, fetched))
        return query.refine_factor(self.ann.refine_factor) if self.ann.refine_factor else query

    async def _fts_channel(self, text: str, governance: str, candidates: int) -> list[dict[str, Any]]:
        found = await (
            self._table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*_RESULT_COLUMNS, "_score"])
            .limit(candidates)
            .to_arrow()
        )
        return [{**row, "score": row.pop("_score")} for row in found.to_pylist()]

    def _chunk_queries(
        self, request: SearchRequest, governance: str, weights: Mapping[str, float]
    ) -> dict[str, Coroutine[Any, Any, list[dict[str, Any]]]]:
        """One query per chunk channel the request can feed and whose weight is not zero."""
        queries: dict[str, Coroutine[Any, Any, list[dict[str, Any]]]] = {}
        text_vector = request.vectors.get("ocr", request.vectors.get("caption"))
        if text_vector is not None and weights[CHUNK_TEXT_CHANNEL] > 0:
            queries[CHUNK_TEXT_CHANNEL] = self._chunk_vector_channel("text", text_vector, governance, request)
        if "visual" in request.vectors and weights[CHUNK_VISUAL_CHANNEL] > 0:
            queries[CHUNK_VISUAL_CHANNEL] = self._chunk_vector_channel(
                "image", request.vectors["visual"], governance, request
            )
        if request.fts_text is not None and weights[CHUNK_FTS_CHANNEL] > 0:
            queries[CHUNK_FTS_CHANNEL] = self._chunk_fts_channel(request.fts_text, governance, request.candidates)
        return queries

    async def _chunk_vector_channel(
        self, what: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[dict[str, Any]]:
        query = (
            self._chunks.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(f"{what}_vector")
            .distance_type("cosine")
            .where(f"{governance} AND has_{what} = true")
            .select([*_EVIDENCE_COLUMNS, "_distance"])
            .with_row_id()
            .limit(request.candidates)
        )
        rows = (await self._ann_query(query, request).to_arrow()).to_pylist()
        return [{**row, "score": 1.0 - row.pop("_distance")} for row in rows]

    async def _chunk_fts_channel(self, text: str, governance: str, candidates: int) -> list[dict[str, Any]]:
        found = await (
            self._chunks.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*_EVIDENCE_COLUMNS, "_score"])
            .with_row_id()
            .limit(candidates)
            .to_arrow()
        )
        return [{**row, "score": row.pop("_score")} for row in found.to_pylist()]

    async def _hits(
        self,
        best: list[Fused],
        shown: Mapping[str, Mapping[str, Any]],
        evidence: dict[str, list[dict[str, Any]]],
        governance: str,
        chunks: bool,
    ) -> list[SearchHit]:
        """The fused top sources with their display columns, and the whole-image chunk of every
        winner without other evidence. A winner no source channel returned (found by its chunks
        alone) is fetched under the governance filter again, so a chunk never brings back a
        source its own row would not."""
        if not best:
            return []
        fetches = []
        unseen = [entry.key for entry in best if entry.key not in shown]
        if unseen:
            where = f"{governance} AND {_sources_predicate(unseen)}"
            fetches.append(self._table.query().where(where).select(_RESULT_COLUMNS).limit(len(unseen)).to_arrow())
        bare = [entry.key for entry in best if entry.key not in evidence]
        if chunks and bare:
            where = f"{governance} AND chunk_kind = 'image' AND {_sources_predicate(bare)}"
            fetches.append(self._chunks.query().where(where).select(_EVIDENCE_COLUMNS).limit(len(bare)).to_arrow())
        fetched = [table.to_pylist() for table in await asyncio.gather(*fetches)]
        rows = dict(shown)
        if unseen:
            rows.update({row["content_hash"]: row for row in fetched.pop(0)})
        if chunks and bare:
            add_image_evidence(evidence, fetched.pop(0), {e.key: e for e in best})
        return [
            SearchHit(
                content_hash=row["content_hash"],
                tenant_id=row["tenant_id"],
                score=entry.score,
                channels=entry.channels,
                provenance=json.loads(row["provenance"]),
                caption=row["caption"],
                modality=row["modality"],
                evidence=evidence.get(row["content_hash"], []),
            )
            for entry in best
            if (row := rows.get(entry.key)) is not None  # deleted since, or not governed
        ]
