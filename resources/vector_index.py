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

The parts live beside it: `index_schema` (both schemas, row validation, an owner's copy of rows),
`index_where` (the user filter language and the predicates the index writes), `index_fusion` (request,
hit, fusion, evidence), `index_search` (the channel queries of a search and the winners' fetch) and
`index_maintenance` (index building, segment merging, purging deleted bytes).
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
from datetime import timedelta
from typing import Any, TypeVar

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.table import AsyncTable

from resources.index_fusion import SearchHit, SearchRequest, check_request, governance_filter
from resources.index_io import lance_uri, remove_stray_folder
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
    purge_source_rows,
    purge_table,
    rebuild_scalar_and_text_indexes,
    refresh_table,
    retry_conflicts,
    unindexed_rows,
)
from resources.index_schema import (
    as_owner,
    check_table_schema,
    chunk_rows_to_table,
    chunk_schema,
    index_schema,
    rows_to_table,
)
from resources.index_search import TableSearch
from resources.index_session import process_session, reset_process_session
from resources.index_where import owned_predicate, sources_predicate, sql_string

# Below this many rows a flat scan is exact and cheap (it costs about 3 ms of CPU per 1,000 rows
# per 3-channel search on 2 cores; bench/search.py); above it the ANN index pays for itself.
VECTOR_INDEX_MIN_ROWS = 2_000

T = TypeVar("T")


def pylance_available() -> bool:
    """Whether pylance (Lance's own Python API) is installed; delete() is much faster with it."""
    return importlib.util.find_spec("lance") is not None


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
        searching: bool = False,
    ) -> None:
        """Open (or create) `table` under `uri` (a folder, or s3://... with storage_options).

        `vector_index_min_rows`: rows a channel needs before refresh() builds its ANN index.
        `ann`: index build and query settings. `read_consistency_interval`: how often to look for
        writes made by other processes (None: only at open, plus this object's own writes).
        `session`: the caches of loaded indexes (default: the process's, `process_session`).
        `searching`: opened to search, so its reads go through io_uring where allowed (resources/index_io.py);
        an index opened to write keeps Lance's plain reader: Lance's io_uring reader keeps the files it opened
        by path for a minute, process-wide, so a folder replaced at the same path is read from the old files
        ("unexpected EOF: read 4095 of 4096 bytes", 2026-12-04 16:47 UTC; pinned in tests/test_index_io.py).
        """
        self.searching = searching
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
        check_table_schema(self._table.name, self._schema, self._run(self._table.schema()))
        chunks = self._open_or_create(uri, f"{table}_chunks", self._chunk_schema, options, read_consistency_interval)
        self._chunks: AsyncTable = self._run(chunks)
        check_table_schema(self._chunks.name, self._chunk_schema, self._run(self._chunks.schema()))
        # Whether the chunk table has rows, and when that was last looked at (see _chunk_rows_present).
        self._chunk_recheck_s = None if read_consistency_interval is None else read_consistency_interval.total_seconds()
        self._chunks_seen: tuple[bool, float] | None = None

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _open_or_create(
        self, uri: str, name: str, schema: pa.Schema, options: dict, read_consistency_interval: timedelta | None
    ) -> AsyncTable:
        opened_uri = lance_uri(uri) if self.searching else uri
        db = await lancedb.connect_async(
            opened_uri,
            storage_options=options,
            read_consistency_interval=read_consistency_interval,
            session=self.session,
        )
        remove_stray_folder(opened_uri)
        try:
            return await db.open_table(name)
        except ValueError:  # not created yet (LanceDB says "was not found")
            return await db.create_table(name, schema=schema, exist_ok=True)

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
        predicate = owned_predicate(content_hashes, tenant)
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
        self._run(purge_source_rows(self._table, self._schema, self.ann, use_pylance=pylance_available()))

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
            predicate = sources_predicate([*sources, *data["content_hash"].to_pylist()])
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
        predicate = owned_predicate(content_hashes, tenant)
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
        predicate = sources_predicate([content_hash])
        found = self._run(self._table.query().where(predicate).to_arrow())
        if not found.num_rows:
            return 0
        model = f"{predicate} AND tenant_id = {sql_string(found['tenant_id'][0].as_py())}"
        rows = self._run(self._table.query().where(model).to_arrow())
        chunks = self._run(self._chunks.query().where(model).to_arrow())
        merge = self._table.merge_insert(["content_hash", "tenant_id"])
        self._run(merge.when_matched_update_all().when_not_matched_insert_all().execute(as_owner(rows, owner)))
        if chunks.num_rows:
            merge = self._chunks.merge_insert("chunk_id").when_matched_update_all().when_not_matched_insert_all()
            self._run(merge.execute(as_owner(chunks, owner)))
            self._chunks_seen = None
        self.refresh()
        return rows.num_rows

    def owners(self, content_hash: str) -> list[str]:
        """The tenants that have a source row of this original, sorted (for checks and tests)."""
        predicate = sources_predicate([content_hash])
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
        query = self._chunks.query().where(sources_predicate(list(content_hashes)))
        found = self._run(query.select(["text", "text_vector", "versions"]).to_arrow()).to_pylist()
        return {
            row["text"]: np.asarray(row["text_vector"], dtype=np.float32)
            for row in found
            if row["text_vector"] is not None and version_of(json.loads(row["versions"]))
        }

    def chunk_rows(self, content_hash: str) -> list[dict[str, Any]]:
        """A source's chunk rows without vectors, in chunk_id order (for checks and tests)."""
        predicate = sources_predicate([content_hash])
        columns = [name for name in self._chunk_schema.names if not name.endswith("_vector")]
        found = self._run(self._chunks.query().where(predicate).select(columns).to_arrow()).to_pylist()
        return sorted(found, key=lambda row: row["chunk_id"])

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
        # Whether chunk rows exist is this object's own memory; the queries and fusion are index_search's.
        chunks = request.chunks and await self._chunk_rows_present()
        search = TableSearch(self._table, self._chunks, self.ann, self.dim)
        return await search.run_on_latest_if_files_gone(request, weights, governance, stage_ms, chunks, vectors)
