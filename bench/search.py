"""Hybrid search latency and recall: indexed (IVF_HNSW_SQ) vs exact (flat) on the same queries.

    python bench/search.py [--rows 100000] [--queries 200] [--json] [--rebuild]
                           [--ef 100] [--nprobes 1] [--refine-factor N] [--partitions 1]
                           [--m 12] [--ef-construction 100]

Builds (or reuses, under --cache-dir) a LanceDB index of synthetic rows: three 384-d vector
channels drawn around shared topic centres (so a query's neighbours are meaningful), text from a
small vocabulary with topic words, 20 tenants, a few % expired consent or unapproved rights. Then
runs hybrid queries (3 vector channels + BM25, tenant prefilter, RRF) through `VectorIndex.search`
in two passes over the same queries: indexed, then exact (`exact=True`: flat vector scans, same
prefilter, same fusion). Prints p50/p95 latency and CPU per search of both, Recall@10 of indexed
against exact, and the load average, since the machine may be shared.
Target: indexed p95 under 50 ms with Recall@10 >= 0.95.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from _common import BenchError, machine, print_json, print_table, verdict

from resources.vector_index import CHANNELS, AnnSettings, SearchRequest, VectorIndex

DIM = 384
TENANTS = 20
TOPICS = 500
TOPIC_WORDS = 4
VOCABULARY = 2_000
WORDS_PER_TEXT = 12
NOISE = 1.0  # noise norm relative to the unit topic centre: rows of a topic have cosine ~0.5
QUERY_NOISE = 0.6
EXPIRED_SHARE = 0.03
UNAPPROVED_SHARE = 0.02
OCR_SHARE = 0.6
TARGET_P95_MS = 50.0
TARGET_RECALL = 0.95
K = 10
BATCH = 20_000


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


class SyntheticCorpus:
    """Topic-structured rows and queries, reproducible from the seed."""

    def __init__(self, rows: int, seed: int) -> None:
        self.rows = rows
        self.rng = np.random.default_rng(seed)
        self.centres = {c: unit_rows(self.rng.normal(size=(TOPICS, DIM))) for c in CHANNELS}
        self.vocabulary = [f"w{index:04d}" for index in range(VOCABULARY)]
        self.topic_words = self.rng.integers(0, VOCABULARY, size=(TOPICS, TOPIC_WORDS))
        self.topics = self.rng.integers(0, TOPICS, size=rows)
        self.tenants = self.rng.integers(0, TENANTS, size=rows)

    def noisy(self, channel: str, topics: np.ndarray, noise: float) -> np.ndarray:
        jitter = self.rng.normal(size=(len(topics), DIM)) * (noise / np.sqrt(DIM))
        return unit_rows(self.centres[channel][topics] + jitter)

    def text(self, topic: int) -> str:
        own = [self.vocabulary[i] for i in self.topic_words[topic][: self.rng.integers(1, TOPIC_WORDS + 1)]]
        filler = self.rng.integers(0, VOCABULARY, size=WORDS_PER_TEXT - len(own))
        return " ".join(own + [self.vocabulary[i] for i in filler])

    def batches(self):
        for start in range(0, self.rows, BATCH):
            stop = min(start + BATCH, self.rows)
            topics = self.topics[start:stop]
            vectors = {c: self.noisy(c, topics, NOISE) for c in CHANNELS}
            draws = self.rng.random(size=(stop - start, 3))
            yield [
                self.row(start + i, int(topics[i]), {c: vectors[c][i] for c in CHANNELS}, draws[i])
                for i in range(stop - start)
            ]

    def row(self, index: int, topic: int, vectors: dict[str, np.ndarray], draw: np.ndarray) -> dict:
        has_ocr = bool(draw[2] < OCR_SHARE)
        return {
            "content_hash": hashlib.sha256(f"row-{index}".encode()).hexdigest(),
            "tenant_id": f"tenant-{self.tenants[index]:02d}",
            "region": "eu" if index % 3 else "us",
            "consent": "expired" if draw[0] < EXPIRED_SHARE else "valid",
            "usage_rights": "restricted" if draw[1] < UNAPPROVED_SHARE else "approved",
            "modality": "document" if has_ocr else "image",
            "visual_vector": vectors["visual"],
            "caption_vector": vectors["caption"],
            "ocr_vector": vectors["ocr"] if has_ocr else None,
            "has_ocr": has_ocr,
            "text": self.text(topic),
            "caption": f"topic {topic}",
            "provenance": {c: {"pipeline_version": "1", "model_id": "synthetic"} for c in CHANNELS},
        }

    def queries(self, count: int) -> list[SearchRequest]:
        picks = self.rng.integers(0, self.rows, size=count)
        requests = []
        for pick in picks:
            topic = self.topics[pick : pick + 1]
            words = [self.vocabulary[i] for i in self.topic_words[topic[0]][:2]]
            requests.append(
                SearchRequest(
                    vectors={c: self.noisy(c, topic, QUERY_NOISE)[0] for c in CHANNELS},
                    fts_text=" ".join(words),
                    tenant=f"tenant-{self.tenants[pick]:02d}",
                    k=K,
                )
            )
        return requests


def build_index(folder: Path, rows: int, seed: int, ann: AnnSettings, rebuild: bool) -> tuple[VectorIndex, dict]:
    """The cached index folder for these rows/seed/settings, built if missing; build timings."""
    marker = folder / "complete.json"
    if marker.exists() and not rebuild:
        index = VectorIndex(str(folder), DIM, ann=ann)
        if index.count() != rows:
            raise BenchError(f"cached index {folder} holds {index.count()} rows, expected {rows}")
        return index, {**json.loads(marker.read_text()), "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    index = VectorIndex(str(folder), DIM, ann=ann)
    corpus = SyntheticCorpus(rows, seed)
    started = time.perf_counter()
    for batch in corpus.batches():
        index.upsert(batch, refresh=False)
    loaded = time.perf_counter()
    index.refresh()
    built = time.perf_counter()
    timings = {"load_s": loaded - started, "index_build_s": built - loaded}
    uncovered = {name: n for name, n in index.unindexed_rows().items() if n}
    if uncovered:
        raise BenchError(f"indexes do not cover every row after refresh: {uncovered}")
    marker.write_text(json.dumps(timings))
    return index, {**timings, "cached": False}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed_pass(index: VectorIndex, requests: list[SearchRequest]) -> tuple[list[float], float, list]:
    """Latency of each search in ms, CPU ms per search (all threads of this process), the hits."""
    latencies, results = [], []
    cpu_started = time.process_time()
    for request in requests:
        started = time.perf_counter()
        results.append(index.search(request))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, (time.process_time() - cpu_started) * 1000 / len(requests), results


def measure(index: VectorIndex, requests: list[SearchRequest], warmup: list[SearchRequest]) -> dict[str, Any]:
    """Indexed then exact search of the same requests; latency percentiles, CPU and recall.

    Passes rather than interleaving: an exact query's full scans would evict the pages the next
    indexed query needs, which says more about the scan than about the index.
    """
    for request in warmup:  # load index pages and caches before timing
        index.search(request)
        index.search(_exact(request))
    load_before = os.getloadavg()[0]
    indexed_ms, indexed_cpu, indexed = timed_pass(index, requests)
    exact_ms, exact_cpu, exact = timed_pass(index, [_exact(request) for request in requests])
    recalls = []
    for request, found, truth in zip(requests, indexed, exact, strict=True):
        if not truth:
            raise BenchError(f"exact search found nothing for tenant {request.tenant}")
        truth_hashes = {hit.content_hash for hit in truth}
        recalls.append(len({hit.content_hash for hit in found} & truth_hashes) / len(truth_hashes))
    return {
        "indexed": _summary(indexed_ms, indexed_cpu),
        "exact": _summary(exact_ms, exact_cpu),
        "recall_at_10": statistics.fmean(recalls),
        "min_recall_at_10": min(recalls),
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }


def _summary(latencies: list[float], cpu_ms: float) -> dict[str, float]:
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "cpu_ms_per_search": cpu_ms,
    }


def _exact(request: SearchRequest) -> SearchRequest:
    return SearchRequest(**{**request.__dict__, "exact": True})


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached index folder")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/mm_bench_search"))
    defaults = AnnSettings()
    parser.add_argument("--partitions", type=int, default=defaults.num_partitions)
    parser.add_argument("--m", type=int, default=defaults.m)
    parser.add_argument("--ef-construction", type=int, default=defaults.ef_construction)
    parser.add_argument("--ef", type=int, default=defaults.ef)
    parser.add_argument("--nprobes", type=int, default=defaults.nprobes)
    parser.add_argument("--refine-factor", type=int, default=defaults.refine_factor)
    arguments = parser.parse_args()
    for name in ("rows", "queries", "partitions", "m", "ef_construction", "ef", "nprobes"):
        if getattr(arguments, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    return arguments


def main() -> int:
    arguments = parse_arguments()
    ann = AnnSettings(
        num_partitions=arguments.partitions,
        m=arguments.m,
        ef_construction=arguments.ef_construction,
        ef=arguments.ef,
        nprobes=arguments.nprobes,
        refine_factor=arguments.refine_factor,
    )
    build_key = f"rows{arguments.rows}-seed{arguments.seed}-p{ann.num_partitions}-m{ann.m}-efc{ann.ef_construction}"
    index, build = build_index(arguments.cache_dir / build_key, arguments.rows, arguments.seed, ann, arguments.rebuild)
    requests = SyntheticCorpus(arguments.rows, arguments.seed).queries(arguments.queries + arguments.warmup)
    results = measure(index, requests[arguments.warmup :], requests[: arguments.warmup])
    met = results["indexed"]["p95_ms"] < TARGET_P95_MS and results["recall_at_10"] >= TARGET_RECALL
    report = {
        "machine": machine(),
        "rows": arguments.rows,
        "queries": arguments.queries,
        "query": "3 vector channels + BM25, tenant prefilter, RRF, k=10, 50 candidates per channel",
        "ann": asdict(ann),
        "index_types": index.index_types(),
        "build": build,
        "results": results,
        "target": {"p95_ms": TARGET_P95_MS, "recall_at_10": TARGET_RECALL, "met": met},
    }
    if arguments.json:
        print_json(report)
        return 0
    print(f"{arguments.rows} rows, {arguments.queries} queries: {report['query']}")
    print(f"ANN settings: {report['ann']}")
    print("build: " + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in build.items()))
    print_table(
        ["search", "p50 ms", "p95 ms", "CPU ms/search"],
        [
            [
                mode,
                results[mode]["p50_ms"],
                results[mode]["p95_ms"],
                results[mode]["cpu_ms_per_search"],
            ]
            for mode in ("indexed", "exact")
        ],
    )
    load = results["load_average_1min"]
    print(f"load average (1 min) on this {os.cpu_count()}-core machine: {load['before']:.1f} -> {load['after']:.1f}")
    print(f"Recall@10 indexed vs exact: {results['recall_at_10']:.3f} (worst query {results['min_recall_at_10']:.2f})")
    print(f"target p95 < {TARGET_P95_MS:.0f} ms with Recall@10 >= {TARGET_RECALL}: {verdict(met)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
