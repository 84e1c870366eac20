"""The query path of a search: one prefiltered query per channel on the source rows and the chunk
rows, run at once on the index's event loop, their ranked lists fused, and the winners' display
columns and evidence fetched. `VectorIndex.search` checks the request and runs it here; the fusion
itself (pure Python over the rows returned) is in `index_fusion`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import time
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np
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
)
from resources.index_maintenance import AnnSettings
from resources.index_schema import (
    CHUNK_CHANNELS,
    CHUNK_FTS_CHANNEL,
    CHUNK_TEXT_CHANNEL,
    CHUNK_VISUAL_CHANNEL,
    FTS_CHANNEL,
    vector_column,
)
from resources.index_where import sources_predicate

log = logging.getLogger("mm.index")
RESULT_COLUMNS = ["content_hash", "tenant_id", "caption", "modality", "provenance"]
EVIDENCE_COLUMNS = ["content_hash", "chunk_kind", "page", "bbox", "t_start", "t_end", "text"]
T = TypeVar("T")
# A search whose read found a file gone runs again on the latest version, this many times in all: a
# purge (VectorIndex.delete, `mm forget`) drops every older version's files at once, and a search that
# started on one of them, or whose view was up to its read consistency interval behind, finds them gone.
SEARCH_ATTEMPTS = 3


def removed_by_cleanup(exc: BaseException) -> bool:
    """Whether a failed query read a file of the table (a data, deletion or index file, a manifest) that
    is gone: Lance says "Not found: <path inside the .lance folder>" (tests/test_index_reads.py pins it)."""
    message = str(exc)
    return isinstance(exc, (RuntimeError, OSError, ValueError)) and "Not found" in message and ".lance/" in message


async def timed(stage: str, work: Coroutine[Any, Any, T], stage_ms: dict[str, float]) -> T:
    """Await `work` and put its milliseconds in `stage_ms[stage]`."""
    started = time.perf_counter()
    try:
        return await work
    finally:
        stage_ms[stage] = (time.perf_counter() - started) * 1000


async def let_queries_end(queries: list[asyncio.Future[Any]], error: BaseException) -> None:
    """After one query of a search failed (`error`), or the search was cancelled: the others are never
    cancelled half-way, but left to end. A LanceDB query cancelled while it loads an index into the
    session's cache can leave that load unfinished, and every later query of the session that needs the
    index waits for it forever: with Lance 13 a full-text query cancelled beside a failed one hung every
    later full-text search of its session (tests/test_index_reads.py). On an error they end before it is
    raised (a search tried again starts after them); on a cancellation, in their own time."""
    for query in queries:
        query.add_done_callback(_retrieve_outcome)
    if isinstance(error, Exception) and queries:
        await asyncio.wait(queries)


def _retrieve_outcome(query: asyncio.Future[Any]) -> None:
    if not query.cancelled():
        query.exception()  # retrieved: a failure nobody awaits is no "exception was never retrieved" warning


@dataclass(frozen=True)
class TableSearch:
    """One search's view of an index: its two tables, how deep its vector queries go, its dimension."""

    source_table: AsyncTable
    chunk_table: AsyncTable
    ann: AnnSettings
    dim: int

    async def run_on_latest_if_files_gone(
        self,
        request: SearchRequest,
        weights: dict[str, float],
        governance: str,
        stage_ms: dict[str, float],
        chunks: bool,
        vectors: concurrent.futures.Future[dict[str, np.ndarray]] | None = None,
    ) -> list[SearchHit]:
        """`run`; when a read finds a file gone (`removed_by_cleanup`), again on both tables' latest
        versions, whose files a cleanup keeps, up to SEARCH_ATTEMPTS in all. Any other error is raised."""
        for attempt in range(1, SEARCH_ATTEMPTS + 1):
            try:
                return await self.run(request, weights, governance, stage_ms, chunks, vectors)
            except Exception as exc:
                if attempt == SEARCH_ATTEMPTS or not removed_by_cleanup(exc):
                    raise
                log.info("a search read a file a cleanup removed; again on the latest version (%s)", exc)
            await asyncio.gather(self.source_table.checkout_latest(), self.chunk_table.checkout_latest())
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def run(
        self,
        request: SearchRequest,
        weights: dict[str, float],
        governance: str,
        stage_ms: dict[str, float],
        chunks: bool,
        vectors: concurrent.futures.Future[dict[str, np.ndarray]] | None = None,
    ) -> list[SearchHit]:
        """The top `request.k` sources of a checked request (`weights` from `check_request`), chunk
        channels included when `chunks`; `vectors`, if given, brings the request's vectors later."""
        # Every channel, source or chunk, ranks content hashes, so all queries run at once and
        # fuse without a lookup. Source channels bring the display columns of their rows along,
        # so only winners found by chunks alone need one more (governed) fetch.
        running: dict[str, asyncio.Future[list[dict[str, Any]]]] = {}
        try:
            if request.fts_text is not None:  # needs no vector: starts before (or while) the query is encoded
                query = self._fts_channel(request.fts_text, governance, request.candidates)
                running[FTS_CHANNEL] = asyncio.ensure_future(timed(f"channel.{FTS_CHANNEL}", query, stage_ms))
            if vectors is not None:  # encoded on the caller's thread meanwhile (see VectorIndex.search)
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
                    channel: asyncio.ensure_future(timed(f"channel.{channel}", q, stage_ms))
                    for channel, q in queries.items()
                }
            )
            await asyncio.gather(*map(asyncio.shield, running.values()))
        except BaseException as exc:
            await let_queries_end(list(running.values()), exc)
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
        return await timed("fetch", self._hits(best, shown, evidence, governance, chunks), stage_ms)

    async def _vector_channel(
        self, channel: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[dict[str, Any]]:
        # The zero OCR vector of a row without OCR text would only add noise.
        prefilter = f"{governance} AND has_ocr = true" if channel == "ocr" else governance
        query = (
            self.source_table.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(vector_column(channel))
            .distance_type("cosine")
            .where(prefilter)
            .select([*RESULT_COLUMNS, "_distance"])
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
            self.source_table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*RESULT_COLUMNS, "_score"])
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
            self.chunk_table.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(f"{what}_vector")
            .distance_type("cosine")
            .where(f"{governance} AND has_{what} = true")
            .select([*EVIDENCE_COLUMNS, "_distance"])
            .with_row_id()
            .limit(request.candidates)
        )
        rows = (await self._ann_query(query, request).to_arrow()).to_pylist()
        return [{**row, "score": 1.0 - row.pop("_distance")} for row in rows]

    async def _chunk_fts_channel(self, text: str, governance: str, candidates: int) -> list[dict[str, Any]]:
        found = await (
            self.chunk_table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*EVIDENCE_COLUMNS, "_score"])
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
            where = f"{governance} AND {sources_predicate(unseen)}"
            fetches.append(self.source_table.query().where(where).select(RESULT_COLUMNS).limit(len(unseen)).to_arrow())
        bare = [entry.key for entry in best if entry.key not in evidence]
        if chunks and bare:
            where = f"{governance} AND chunk_kind = 'image' AND {sources_predicate(bare)}"
            fetches.append(self.chunk_table.query().where(where).select(EVIDENCE_COLUMNS).limit(len(bare)).to_arrow())
        fetching = [asyncio.ensure_future(fetch) for fetch in fetches]
        try:
            fetched = [table.to_pylist() for table in await asyncio.gather(*map(asyncio.shield, fetching))]
        except BaseException as exc:
            await let_queries_end(fetching, exc)
            raise
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
