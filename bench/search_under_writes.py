"""Searches while another process writes the same index: errors through io_uring and the plain reader.

    python bench/search_under_writes.py [--rows 5000] [--seconds 180] [--threads 2] [--json] [--dir D]

A synthetic index (bench/search.py's corpus, one chunk row per source) is built in a fresh folder. A
writer process then does what uploads, merges and forgets do to it, in a loop, for --seconds: it
upserts new sources with their chunk rows and refreshes the indexes (LanceDB's optimize: compaction,
an index segment per write), deletes earlier ones (`VectorIndex.delete`: a purge that rewrites
fragments and drops every old version at once), and rebuilds over-split vector indexes
(`merge_index_segments`).

Meanwhile two searcher processes search the index as the server does (`read_consistency_interval` of
server/state.INDEX_CONSISTENCY_S, a fresh view every few seconds as after an upload, the old one
dropped, not closed), --threads threads each: one reads through io_uring (`searching=True`), one
through Lance's plain reader. Both see the same writes at the same load. Every failed search is
counted by reader and by message, and a search still running a minute after the end counts as hung;
the writer's operations are counted too. Target: no search fails or hangs because a writer ran.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
from _common import BenchError, machine, print_json, print_table, run_in_workdir
from search import CHANNELS, DIM, SyntheticCorpus, build_index

from resources.index_maintenance import AnnSettings
from resources.index_schema import chunk_id_for
from resources.vector_index import VectorIndex

CONSISTENCY_S = 1.0  # server/state.INDEX_CONSISTENCY_S
REOPEN_S = 5.0  # a fresh view this often, as the server opens one after each upload
BATCH = 40  # sources per upsert
DELETE_EVERY, MERGE_EVERY = 3, 4  # writer cycles between deletes, and between merge attempts
VIEWS = {"io_uring": True, "plain": False}
HANG_S = 60.0  # a search still running this long after the end counts as hung


def extra_rows(corpus: SyntheticCorpus, first: int, count: int) -> tuple[list[dict], list[dict]]:
    """`count` new sources numbered from `first` (beyond the built corpus) and one page-block chunk each."""
    rng = np.random.default_rng(first)
    sources, chunks = [], []
    for number in range(first, first + count):
        topic = int(rng.integers(0, len(corpus.topic_words)))
        vectors = {channel: corpus.noisy(channel, np.array([topic]), 1.0)[0] for channel in CHANNELS}
        content_hash = hashlib.sha256(f"extra-{number}".encode()).hexdigest()
        sources.append(
            {
                "content_hash": content_hash,
                "tenant_id": f"tenant-{number % 20:02d}",
                "region": "eu",
                "consent": "valid",
                "usage_rights": "approved",
                "modality": "document",
                "visual_vector": vectors["visual"],
                "caption_vector": vectors["caption"],
                "ocr_vector": vectors["ocr"],
                "has_ocr": True,
                "text": corpus.text(topic),
                "caption": f"topic {topic}",
                "provenance": {},
            }
        )
        chunks.append(
            {
                **{key: sources[-1][key] for key in ("content_hash", "tenant_id", "region", "consent")},
                **{key: sources[-1][key] for key in ("usage_rights", "modality", "has_ocr")},
                "versions": {"pii": {"artifact_id": "synthetic"}},
                "chunk_id": chunk_id_for(content_hash, "page_block", 0),
                "chunk_kind": "page_block",
                "page": 1,
                "bbox": [72.0, 100.0, 540.0, 220.0],
                "text": sources[-1]["text"],
                "text_vector": vectors["ocr"],
            }
        )
    return sources, chunks


def write_for(folder: str, rows: int, seconds: float, log: Path) -> None:
    """The writer process: upserts, deletes and merges on `folder` until `seconds` are up; one JSON line
    per operation in `log` (its name, start and end)."""
    index = VectorIndex(folder, DIM, ann=AnnSettings())
    corpus = SyntheticCorpus(rows, 11)
    written: list[str] = []
    deadline, cycle = time.monotonic() + seconds, 0
    with log.open("w") as out:

        def operation(name: str, work: Any) -> None:
            started = time.time()
            work()
            out.write(json.dumps({"op": name, "start": started, "end": time.time()}) + "\n")
            out.flush()

        while time.monotonic() < deadline:
            sources, chunks = extra_rows(corpus, cycle * BATCH, BATCH)

            def upsert(sources: list[dict] = sources, chunks: list[dict] = chunks) -> None:
                index.upsert(sources)
                index.upsert_chunks(chunks)

            operation("upsert", upsert)
            written += [row["content_hash"] for row in sources]
            if cycle % DELETE_EVERY == DELETE_EVERY - 1:
                gone, written = written[: BATCH // 2], written[BATCH // 2 :]
                operation("delete", lambda gone=gone: index.delete(gone))
            if cycle % MERGE_EVERY == MERGE_EVERY - 1:
                operation("merge", index.merge_index_segments)
            cycle += 1
    index.close()


class ServerLikeView:
    """A view of the index as the server keeps one: it follows other processes' writes within
    CONSISTENCY_S and is replaced by a fresh one every REOPEN_S (the old one dropped, not closed)."""

    def __init__(self, folder: str, searching: bool) -> None:
        self.folder, self.searching = folder, searching
        self.session = lancedb.Session()  # its own caches: the two views share nothing
        self.index = self._open()
        self.opened = time.monotonic()
        self.lock = threading.Lock()

    def _open(self) -> VectorIndex:
        consistency = timedelta(seconds=CONSISTENCY_S)
        return VectorIndex(
            self.folder,
            DIM,
            read_consistency_interval=consistency,
            session=self.session,
            searching=self.searching,
        )

    def current(self) -> VectorIndex:
        with self.lock:
            if time.monotonic() - self.opened > REOPEN_S:
                self.index, self.opened = self._open(), time.monotonic()
            return self.index


def message_kind(exc: BaseException) -> str:
    """The error's type and message with numbers, hashes and paths blurred, so kinds can be counted."""
    text = re.sub(r"/rustc/[^,]*, ", "", f"{type(exc).__name__}: {exc}")
    text = re.sub(r"[^\s,'\"]*/[^\s,'\"]+", "<path>", text)
    return re.sub(r"\d+", "N", text)[:200]


def search_loop(view: ServerLikeView, requests: list, stop: threading.Event, tally: dict[str, Any]) -> None:
    number = 0
    while not stop.is_set():
        request = requests[number % len(requests)]
        number += 1
        started = time.perf_counter()
        try:
            view.current().search(request)
        except Exception as exc:  # noqa: BLE001 - counted: what this bench measures
            with view.lock:
                tally["errors"].append({"at": time.time(), "kind": message_kind(exc), "message": str(exc)[:600]})
        else:
            with view.lock:
                tally["latencies_ms"].append((time.perf_counter() - started) * 1000)


def search_for(folder: str, rows: int, searching: bool, threads: int, until: float, out: Path) -> None:
    """A searcher process: `threads` threads search one server-like view until the writer is done (`until`,
    a time.time()); a search still running HANG_S later counts as hung. Its tally as JSON in `out`."""
    requests = SyntheticCorpus(rows, 7).queries(200, chunks=True)
    view = ServerLikeView(folder, searching)
    tally: dict[str, Any] = {"errors": [], "latencies_ms": []}
    stop = threading.Event()
    loop_args = (view, requests, stop, tally)
    workers = [threading.Thread(target=search_loop, args=loop_args, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, until - time.time()))
    stop.set()
    for worker in workers:
        worker.join(max(0.0, until + HANG_S - time.time()))
    tally["hung_threads"] = sum(worker.is_alive() for worker in workers)
    out.write_text(json.dumps(tally))
    sys.stdout.flush()
    os._exit(0)  # a hung search's thread would keep the interpreter from ending


def run(args: argparse.Namespace, work: Path) -> int:
    folder = work / "index"
    index, _ = build_index(folder, args.rows, 7, AnnSettings(), rebuild=True, chunks_per_source=1)
    index.close()
    log = work / "writer.jsonl"
    own = [sys.executable, __file__, "--rows", str(args.rows)]
    until = time.time() + args.seconds + 5.0  # searches start before the writer and end after it
    writer = subprocess.Popen([*own, "--writer", str(folder), "--seconds", str(args.seconds), "--log", str(log)])
    searchers = {
        name: subprocess.Popen(
            [*own, "--searcher", str(folder), "--view", name, "--threads", str(args.threads)]
            + ["--until", str(until), "--log", str(work / f"{name}.json")]
        )
        for name in args.views.split(",")
    }
    started = time.time()
    codes = {"writer": writer.wait(), **{name: process.wait() for name, process in searchers.items()}}
    if any(codes.values()):
        raise BenchError(f"a process of the bench failed: exit codes {codes}")
    operations = Counter(json.loads(line)["op"] for line in log.read_text().splitlines())
    tallies = {name: json.loads((work / f"{name}.json").read_text()) for name in searchers}
    report(args, started, tallies, operations)
    return 0


def report(args: argparse.Namespace, started: float, tallies: dict[str, dict[str, Any]], ops: Counter) -> None:
    payload = {
        "machine": machine(),
        "load_average_1min": os.getloadavg()[0],
        "rows": args.rows,
        "seconds": time.time() - started,
        "writer_operations": dict(ops),
        "views": {
            name: {
                "searches": len(tally["latencies_ms"]) + len(tally["errors"]),
                "errors": len(tally["errors"]),
                "hung_threads": tally["hung_threads"],
                "error_kinds": dict(Counter(error["kind"] for error in tally["errors"])),
                "first_errors": tally["errors"][:3],
                "p95_ms": float(np.percentile(tally["latencies_ms"], 95)) if tally["latencies_ms"] else None,
            }
            for name, tally in tallies.items()
        },
    }
    if args.json:
        print_json(payload)
        return
    rows = [[name, v["searches"], v["errors"], v["hung_threads"], v["p95_ms"]] for name, v in payload["views"].items()]
    print_table(["reader", "searches", "errors", "hung threads", "p95 ms"], rows)
    print(f"writer operations in {payload['seconds']:.0f} s: {dict(ops)}; load {payload['load_average_1min']:.2f}")
    for name, view in payload["views"].items():
        for kind, count in view["error_kinds"].items():
            print(f"{name}: {count} x {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--threads", type=int, default=2, help="searching threads per view")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--views", default=",".join(VIEWS), help="readers to compare, one process each")
    parser.add_argument("--writer", help=argparse.SUPPRESS)  # the writer process's own entry
    parser.add_argument("--searcher", help=argparse.SUPPRESS)  # a searcher process's own entry
    parser.add_argument("--view", choices=list(VIEWS), help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        write_for(args.writer, args.rows, args.seconds, args.log)
        return 0
    if args.searcher:
        search_for(args.searcher, args.rows, VIEWS[args.view], args.threads, args.until, args.log)
    return run_in_workdir("search-under-writes", args, run)


if __name__ == "__main__":
    sys.exit(main())
