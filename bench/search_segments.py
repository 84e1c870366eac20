"""What vector index segments cost a search, side by side on copies of one index.

    python bench/search_segments.py [--rows 100000] [--writes 7] [--queries 40] [--repeats 3] [--json]
                                    [--cache-dir /tmp/mm_bench_search] [--work /tmp/mm_bench_segments]

Every write to the index (an upload's `search_index` step) puts its rows in a new segment of each vector
index; a merge folds them back into one (`mm serve` merges once an index has more than 4, in an idle
child process it kills at shutdown). `bench/serve.py` uploads photos into its cached 100,000-row index
and deletes them again, so each run can leave the next one an index split into more segments, with a
merge due while it measures. This bench copies bench/search.py's cached index into four states:

- `merged`: as bench/search.py built it (one segment per vector index);
- `split`: after --writes one-row writes, each refreshed (as --writes uploads leave it);
- `split, deleted`: the same with those rows deleted again (what bench/serve.py leaves behind);
- `re-merged`: that, merged back into one segment per vector index.

Each state is measured in fresh processes (their own LanceDB caches), the states interleaved for
--repeats rounds: the CPU of opening the index and of its first search (what a cold `mm search` pays
for after its imports), then --queries warm searches (CPU per search, wall p50/p95). Medians of the rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import machine, print_json, print_table
from search import SyntheticCorpus, build_index, percentile

from resources.index_maintenance import AnnSettings

STATES = ("merged", "split", "split, deleted", "re-merged")
WARM_SEARCHES = 5


def folder_name(state: str) -> str:
    return state.replace(", ", "-")


def extra_rows(rows: int, seed: int, count: int) -> list[dict[str, Any]]:
    """`count` new source rows (content hashes no cached row has), drawn like the corpus's own."""
    corpus = SyntheticCorpus(count, seed + 1)
    batch = next(corpus.batches())
    for number, row in enumerate(batch):
        row["content_hash"] = hashlib.sha256(f"extra-{rows}-{number}".encode()).hexdigest()
    return batch


def prepare_states(cached: Path, work: Path, dim: int, ann: AnnSettings, rows: int, seed: int, writes: int) -> dict:
    """The four copies of the cached index; each state's vector index segments."""
    from resources.vector_index import VectorIndex

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    segments = {}
    shutil.copytree(cached, work / folder_name("merged"))
    shutil.copytree(cached, work / folder_name("split"))
    index = VectorIndex(str(work / folder_name("split")), dim, ann=ann)
    added = extra_rows(rows, seed, writes)
    for row in added:  # one write each, refreshed: one new segment per vector index each
        index.upsert([row])
    index.close()
    shutil.copytree(work / folder_name("split"), work / folder_name("split, deleted"))
    index = VectorIndex(str(work / folder_name("split, deleted")), dim, ann=ann)
    index.delete([row["content_hash"] for row in added])
    index.rebuild_indexes_after_delete()  # as `mm forget` (DELETE /v1/media) does
    index.close()
    shutil.copytree(work / folder_name("split, deleted"), work / folder_name("re-merged"))
    index = VectorIndex(str(work / folder_name("re-merged")), dim, ann=ann)
    index.merge_index_segments(max_segments=1)
    index.close()
    for state in STATES:
        index = VectorIndex(str(work / folder_name(state)), dim, ann=ann)
        segments[state] = {name: n for name, n in index.index_segments().items() if name.endswith("vector_idx")}
        index.close()
    return segments


def child(folder: Path, rows: int, seed: int, queries: int) -> dict[str, float]:
    """One fresh process's figures for the index in `folder` (run with --child)."""
    cpu_started = time.process_time()
    from resources.vector_index import VectorIndex

    imported = time.process_time()
    index = VectorIndex(str(folder), 384, ann=AnnSettings())
    opened = time.process_time()
    requests = SyntheticCorpus(rows, seed).queries(queries + WARM_SEARCHES + 1)
    started = time.process_time()
    index.search(requests[0])
    first = time.process_time()
    for request in requests[1 : 1 + WARM_SEARCHES]:
        index.search(request)
    latencies = []
    cpu_started_warm = time.process_time()
    for request in requests[1 + WARM_SEARCHES :]:
        wall = time.perf_counter()
        index.search(request)
        latencies.append((time.perf_counter() - wall) * 1000)
    cpu_warm = (time.process_time() - cpu_started_warm) * 1000 / queries
    index.close()
    return {
        "import_cpu_s": imported - cpu_started,
        "open_cpu_s": opened - imported,
        "first_search_cpu_s": first - started,
        "cpu_ms_per_search": cpu_warm,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
    }


def measure(work: Path, arguments: argparse.Namespace) -> dict[str, list[dict[str, float]]]:
    samples: dict[str, list[dict[str, float]]] = {state: [] for state in STATES}
    for _round in range(arguments.repeats):
        for state in STATES:
            command = [sys.executable, __file__, "--child", str(work / folder_name(state))]
            command += ["--rows", str(arguments.rows), "--queries", str(arguments.queries)]
            found = subprocess.run(command, capture_output=True, text=True, check=True)
            samples[state].append(json.loads(found.stdout.strip().splitlines()[-1]))
    return samples


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=7)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/mm_bench_search"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/mm_bench_segments"))
    parser.add_argument("--keep-work", action="store_true", help="leave the four index copies under --work")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    if arguments.child is not None:
        print(json.dumps(child(arguments.child, arguments.rows, arguments.seed, arguments.queries)))
        return 0
    ann = AnnSettings()
    key = f"rows{arguments.rows}-seed{arguments.seed}-p{ann.num_partitions}-m{ann.m}-efc{ann.ef_construction}"
    cached = arguments.cache_dir / key  # bench/search.py's cache folder for these rows and settings
    build_index(cached, arguments.rows, arguments.seed, ann, False)[0].close()
    segments = prepare_states(cached, arguments.work, 384, ann, arguments.rows, arguments.seed, arguments.writes)
    load_before = os.getloadavg()[0]
    samples = measure(arguments.work, arguments)
    medians = {
        state: {name: statistics.median(run[name] for run in runs) for name in runs[0]}
        for state, runs in samples.items()
    }
    report = {
        "machine": machine(),
        "rows": arguments.rows,
        "writes": arguments.writes,
        "segments": segments,
        "medians": medians,
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }
    if not arguments.keep_work:
        shutil.rmtree(arguments.work, ignore_errors=True)
    if arguments.json:
        print_json(report)
        return 0
    names = ["open_cpu_s", "first_search_cpu_s", "cpu_ms_per_search", "p50_ms", "p95_ms"]
    rows = [[state, max(segments[state].values()), *(medians[state][name] for name in names)] for state in STATES]
    print(f"{arguments.rows} rows, {arguments.writes} writes, {arguments.queries} searches x {arguments.repeats}")
    headers = ["index state", "segments", "open CPU s", "1st search CPU s", "CPU ms/search", "p50 ms", "p95 ms"]
    print_table(headers, rows)
    load = report["load_average_1min"]
    print(f"load average (1 min) on this {os.cpu_count()}-core machine: {load['before']:.1f} -> {load['after']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
