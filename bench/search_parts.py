"""Where a search's CPU goes inside LanceDB: each part of a channel query, side by side in one run.

    python bench/search_parts.py [--rows 100000] [--queries 50] [--repeats 4] [--json]
                                 [--cache-dir /tmp/mm_bench_search]

On bench/search.py's cached index (built if missing), the same queries run as a ladder of query
variants, each one part more than the last: a bare one-row read (what any LanceDB query costs), a
vector query without filter returning content hashes only, + the governance prefilter, + the refine
by float vectors, + the display columns (the vector channel as VectorIndex runs it); BM25 with
content hashes only and as run; the two ways to fetch the top 10's display columns afterwards (a take
by row id, a governed query by content hash); and the whole search (3 vector channels + BM25).
Rounds are interleaved (A, B, C, ... A, B, C) and each variant's median CPU ms per query (all
threads) is reported, with the difference to the rung below it: the parts a change could cut.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _common import interleaved, machine, print_json, print_table
from lancedb.query import MatchQuery
from search import SyntheticCorpus, build_index

from resources.index_fusion import SearchRequest, governance_filter
from resources.index_maintenance import AnnSettings
from resources.vector_index import VectorIndex

DISPLAY = ["content_hash", "tenant_id", "caption", "modality", "provenance"]  # VectorIndex's result columns
CANDIDATES, TOP = 50, 10


def vector_query(index: VectorIndex, request: SearchRequest, where: bool, refine: bool, display: bool) -> Any:
    """The caption channel's query with the parts asked for (all three: as VectorIndex runs it)."""
    query = (
        index._table.query()
        .nearest_to(np.asarray(request.vectors["caption"], dtype=np.float32))
        .column("caption_vector")
        .distance_type("cosine")
    )
    if where:
        query = query.where(governance_filter(request))
    query = query.select([*(DISPLAY if display else ["content_hash"]), "_distance"]).limit(CANDIDATES)
    query = query.nprobes(index.ann.nprobes).ef(max(index.ann.ef, CANDIDATES))
    return query.refine_factor(index.ann.refine_factor) if refine and index.ann.refine_factor else query


def fts_query(index: VectorIndex, request: SearchRequest, display: bool) -> Any:
    columns = [*(DISPLAY if display else ["content_hash"]), "_score"]
    text = MatchQuery(request.fts_text or "", "text")
    return (
        index._table.query().nearest_to_text(text).where(governance_filter(request)).select(columns).limit(CANDIDATES)
    )


def variants(index: VectorIndex, top: dict[int, tuple[list[int], str]]) -> dict[str, Callable[[SearchRequest], Any]]:
    """Each rung of the ladder as a function of one request; `top`: each request's top 10 (row ids, predicate)."""
    run = index._run
    return {
        "bare one-row read": lambda r: run(index._table.query().select(["content_hash"]).limit(1).to_arrow()),
        "vector, no filter, hashes": lambda r: run(vector_query(index, r, False, False, False).to_arrow()),
        "+ governance prefilter": lambda r: run(vector_query(index, r, True, False, False).to_arrow()),
        "+ refine (float vectors)": lambda r: run(vector_query(index, r, True, True, False).to_arrow()),
        "+ display columns (as run)": lambda r: run(vector_query(index, r, True, True, True).to_arrow()),
        "BM25, hashes": lambda r: run(fts_query(index, r, False).to_arrow()),
        "BM25 with display columns (as run)": lambda r: run(fts_query(index, r, True).to_arrow()),
        "top 10 taken by row id": lambda r: run(index._table.take_row_ids(top[id(r)][0]).select(DISPLAY).to_arrow()),
        "top 10 by content hash, governed": lambda r: run(
            index._table.query().where(top[id(r)][1]).select(DISPLAY).limit(TOP).to_arrow()
        ),
        "whole search (3 vectors + BM25)": index.search,
    }


def top_rows(index: VectorIndex, request: SearchRequest) -> tuple[list[int], str]:
    """A request's top 10 caption rows: their row ids, and the governed predicate naming their hashes."""
    query = vector_query(index, request, True, True, False).with_row_id().limit(TOP)
    found = index._run(query.to_arrow())
    hashes = ", ".join(f"'{value}'" for value in sorted(found["content_hash"].to_pylist()))
    return found["_rowid"].to_pylist(), f"{governance_filter(request)} AND content_hash IN ({hashes})"


def cpu_ms_per_query(work: Callable[[SearchRequest], Any], requests: list[SearchRequest]) -> float:
    started = time.process_time()
    for request in requests:
        work(request)
    return (time.process_time() - started) * 1000 / len(requests)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/mm_bench_search"))
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    ann = AnnSettings()
    key = f"rows{arguments.rows}-seed{arguments.seed}-p{ann.num_partitions}-m{ann.m}-efc{ann.ef_construction}"
    folder = arguments.cache_dir / key  # bench/search.py's cache folder for these rows and settings
    index, _ = build_index(folder, arguments.rows, arguments.seed, ann, False)
    requests = SyntheticCorpus(arguments.rows, arguments.seed).queries(arguments.queries + 10)
    for request in requests[:10]:  # the indexes loaded and the caches warm before anything is timed
        index.search(request)
    requests = requests[10:]
    top = {id(request): top_rows(index, request) for request in requests}
    ladder = variants(index, top)
    load_before = os.getloadavg()[0]
    samples = interleaved(
        {name: lambda _round, work=work: cpu_ms_per_query(work, requests) for name, work in ladder.items()},
        arguments.repeats,
    )
    medians = {name: statistics.median(values) for name, values in samples.items()}
    report = {
        "machine": machine(),
        "rows": arguments.rows,
        "queries": arguments.queries,
        "repeats": arguments.repeats,
        "cpu_ms_per_query": {name: round(value, 3) for name, value in medians.items()},
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }
    if arguments.json:
        print_json(report)
        return 0
    names = list(medians)
    rows = [
        [name, medians[name], medians[name] - medians[names[i - 1]] if 0 < i < 5 else ""]
        for i, name in enumerate(names)
    ]
    print(f"{arguments.rows} rows, {arguments.queries} queries x {arguments.repeats} interleaved rounds")
    print_table(["query variant", "CPU ms/query (median)", "part (vs the rung above)"], rows)
    load = report["load_average_1min"]
    print(f"load average (1 min) on this {os.cpu_count()}-core machine: {load['before']:.1f} -> {load['after']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
