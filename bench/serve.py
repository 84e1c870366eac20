"""`mm serve` against the same work in process, side by side in one run.

    python bench/serve.py [--rows 100000] [--queries 200] [--clients 16] [--per-client 50]
                          [--uploads 3] [--cold 3] [--json] [--dir D] [--cache-dir /tmp/mm_bench_serve]

1. Search: the same text queries on the same 100k-row index (bench/search.py's synthetic corpus,
   built once under --cache-dir; each run works on a copy of it) through `Searcher.search` in this
   process, and through
   GET /v1/search of a real `mm serve` (uvicorn, keep-alive client, Bearer key): p50/p95 of each,
   and the ratio. Target: HTTP p95 <= 1.3x in-process and under 50 ms. Then the in-process search
   taken apart on the same texts: the index alone (on the encoded vectors) and the encoder alone.
2. Load: --clients concurrent HTTP clients, --per-client searches each: errors (must be 0) and
   throughput.
3. Upload-to-searchable: POST /v1/media?wait=true of a photo (distinct crops of samples/rocket.jpg)
   until the answer says searchable, against the bare model time of its kinds (pages decode, OCR,
   PII redaction, caption, image and text embeddings, called directly here with warm models).
   Target <= 1.5x. The kinds a search does not need run after the answer: the bench waits until the
   server is idle again before the next measurement (and prints that time too). The uploads are
   deleted again (DELETE /v1/media).
   After each upload, the first HTTP search is timed on its own (wall ms and the server's CPU ms):
   the server's view of the index is new after every upload.
4. Cold CLI: `mm search "text" --tenant T --json` in a fresh process (wall seconds and peak RSS),
   the text-only path (numpy query encoder) against the full searcher the CLI used before
   (sentence-transformers, classifier, captioner). Target <= 3 s on a quiet machine.

Every figure has its CPU seconds beside it (user + system, all threads): this process's for the work
done here, the server's from /proc/PID/stat for the work done there, `/usr/bin/time` for a cold CLI.
On a shared machine the wall times grow with the load; the CPU times much less, so a loaded run
still tells whether the server adds work: the CPU rows have their own verdicts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _common import BenchError, machine, print_json, print_table, run_in_workdir, verdict
from PIL import Image
from search import SyntheticCorpus, build_index

from resources.index_maintenance import AnnSettings

REPO = Path(__file__).resolve().parent.parent
TENANT = "tenant-03"
TARGET_HTTP_RATIO, TARGET_HTTP_P95_MS = 1.3, 50.0
TARGET_UPLOAD_RATIO = 1.5
TARGET_COLD_S = 3.0
TARGET_COLD_CPU_S = 2.0  # leaves a third of the 3 s to waiting on the disk and the scheduler
READY_TIMEOUT_S = 900
COLD = ("s", "rss_mb", "cpu_s")  # what cold_cli measures, in its order


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def process_cpu_s(pid: int | None = None) -> float:
    """User + system CPU seconds of a process, all its threads: this one (exact), or another from
    /proc/PID/stat (in clock ticks, 10 ms: meaningful over many requests, not for one)."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def text_queries(corpus: SyntheticCorpus, count: int) -> list[str]:
    """Topic words of random rows of the tenant's: the FTS channel finds them, the vectors are real MiniLM."""
    queries = []
    for pick in corpus.rng.integers(0, corpus.rows, size=count):
        words = [corpus.vocabulary[i] for i in corpus.topic_words[corpus.topics[pick]][:2]]
        queries.append(" ".join(words))
    return queries


def search_seconds_so_far(client: httpx.Client) -> dict[str, float]:
    """From the server's /metrics: GET /v1/search requests answered and their seconds (the route, measured
    around the app by its middleware), and the searcher's own seconds (its `total` stage: encode, index,
    evidence; the audit is apart)."""
    wanted = {
        'mm_http_request_seconds_sum{route="/v1/search",method="GET"}': "route_s",
        'mm_http_request_seconds_count{route="/v1/search",method="GET"}': "requests",
        'mm_search_stage_seconds_sum{stage="total"}': "searcher_s",
        'mm_search_stage_seconds_sum{stage="audit"}': "audit_s",
    }
    found = dict.fromkeys(wanted.values(), 0.0)
    for line in client.get("/metrics").text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in wanted:
            found[wanted[name]] = float(value)
    return found


def http_layer_ms(before: dict[str, float], after: dict[str, float], client_ms: list[float]) -> dict[str, float]:
    """Where an HTTP search's mean milliseconds go: the searcher, the rest of the route inside the server
    (key check, the thread pool's hop, the audit queue, the JSON), and outside the route (the client,
    the socket, uvicorn's HTTP parsing and writing)."""
    requests = after["requests"] - before["requests"]
    route, searcher = (after[name] - before[name] for name in ("route_s", "searcher_s"))
    client = statistics.fmean(client_ms)
    return {
        "client_mean_ms": client,
        "route_mean_ms": route * 1000 / requests,
        "searcher_mean_ms": searcher * 1000 / requests,
        "in_route_around_searcher_ms": (route - searcher) * 1000 / requests,
        "outside_route_ms": client - route * 1000 / requests,
    }


def search_latencies(url: str, key: str, queries: list[str], searcher: Any, server_pid: int) -> dict[str, Any]:
    """Each query in process and over HTTP, alternating (A, B, A, B ...) so both see the same load.
    CPU: this process's for the in-process searches; the server's and the client's (this process)
    for the HTTP ones; milliseconds per search, summed over all queries, then divided."""
    from mm_assets.operations.search import SearchQuery

    in_process, http = [], []
    cpu = {"in_process": 0.0, "http_server": 0.0, "http_client": 0.0}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        metrics_before = search_seconds_so_far(client)
        for text in queries:
            started, cpu_started = time.perf_counter(), process_cpu_s()
            searcher.search(SearchQuery(text=text, tenant=TENANT), who="bench")
            in_process.append((time.perf_counter() - started) * 1000)
            cpu["in_process"] += process_cpu_s() - cpu_started
            server_started, cpu_started = process_cpu_s(server_pid), process_cpu_s()
            started = time.perf_counter()
            answer = client.get("/v1/search", params={"q": text})
            http.append((time.perf_counter() - started) * 1000)
            cpu["http_client"] += process_cpu_s() - cpu_started
            cpu["http_server"] += process_cpu_s(server_pid) - server_started
            if answer.status_code != 200:
                raise BenchError(f"HTTP search answered {answer.status_code}: {answer.text[:300]}")
        layer = http_layer_ms(metrics_before, search_seconds_so_far(client), http)
    per_search = {f"{name}_cpu_ms": seconds * 1000 / len(queries) for name, seconds in cpu.items()}
    return {"in_process": in_process, "http": http, "http_layer": layer, **per_search}


def search_parts(queries: list[str], searcher: Any) -> dict[str, float]:
    """The in-process search taken apart, on the same texts: the index alone (`VectorIndex.search` on the
    texts' vectors, already encoded: bench/search.py's measure) and the query encoder alone (a fresh
    encoding, no cache). A search encodes first and runs its vector channels after, so the two add up;
    when a run's search is slower than an earlier run's, these say whether the index got slower (the
    machine) or the path around it did. p95 wall ms and CPU ms per search of each."""
    from resources.index_fusion import SearchRequest

    vectors = [searcher.query_vectors.vector(text) for text in queries]
    index_ms, encoder_ms = [], []
    cpu_started = process_cpu_s()
    for text, vector in zip(queries, vectors, strict=True):
        started = time.perf_counter()
        request = SearchRequest({"caption": vector, "ocr": vector, "visual": vector}, text, TENANT, fusion="weighted")
        searcher.index.search(request)
        index_ms.append((time.perf_counter() - started) * 1000)
    index_cpu = process_cpu_s() - cpu_started
    cpu_started = process_cpu_s()
    for text in queries:
        started = time.perf_counter()
        searcher.text_encoder.embed_texts([text])
        encoder_ms.append((time.perf_counter() - started) * 1000)
    encoder_cpu = process_cpu_s() - cpu_started
    return {
        "index_p95_ms": percentile(index_ms, 0.95),
        "index_cpu_ms": index_cpu * 1000 / len(queries),
        "encoder_p95_ms": percentile(encoder_ms, 0.95),
        "encoder_cpu_ms": encoder_cpu * 1000 / len(queries),
    }


def concurrent_load(
    url: str, key: str, queries: list[str], clients: int, per_client: int, server_pid: int
) -> dict[str, Any]:
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def client_loop(number: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
            for i in range(per_client):
                started = time.perf_counter()
                try:
                    answer = client.get("/v1/search", params={"q": queries[(number * per_client + i) % len(queries)]})
                    failed = None if answer.status_code == 200 else f"{answer.status_code}"
                except httpx.HTTPError as exc:
                    failed = type(exc).__name__
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    if failed:
                        errors.append(failed)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    started, server_started, client_started = time.perf_counter(), process_cpu_s(server_pid), process_cpu_s()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    server_cpu, client_cpu = process_cpu_s(server_pid) - server_started, process_cpu_s() - client_started
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "throughput_per_s": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "server_cpu_ms_per_request": server_cpu * 1000 / max(1, len(latencies)),
        "client_cpu_ms_per_request": client_cpu * 1000 / max(1, len(latencies)),
    }


def photos(work: Path, count: int) -> list[Path]:
    source = Image.open(REPO / "samples" / "rocket.jpg").convert("RGB")
    paths = []
    for number in range(count):
        margin = 4 + number * 3
        path = work / f"rocket-{number}.jpg"
        source.crop((margin, margin, source.width - margin, source.height - margin)).save(path, quality=90)
        paths.append(path)
    return paths


def bare_model_seconds(path: Path, models: dict[str, Any]) -> tuple[float, float]:
    """The model calls of an image's kinds, back to back, with warm models: the floor of an upload.
    (wall seconds, CPU seconds of this process). Every model a photo's kinds call is here: OCR, the
    PII detector, the face detector and the coverage re-detection the pii step runs in mask mode,
    the layout model, the captioner and the embedder (a photo has no table region to recognise).
    The captioner and the bridge embedder run one classifier pass between them, as an upload does
    (resources/imagenet_classifier.py keeps its answer for the same input)."""
    from PIL import ImageOps

    from resources.faces import CoverageFaceScanner
    from resources.imagenet_classifier import forget_classifications

    forget_classifications()  # nothing kept from the warm-up: the caption classifies, the embedder reuses
    started, cpu_started = time.perf_counter(), process_cpu_s()
    page = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    spans = models["ocr_runner"].recognize_pages([(1, page)])[0]
    redacted, _ = models["pii_detector"].redact_spans(spans)
    models["face_detector"].detect(page)
    CoverageFaceScanner().scan(page)  # the scan itself, never a kept answer (one per photo, as an upload runs)
    models["layout_detector"].regions(page)
    caption = models["captioner"].caption([page])[0].text
    models["embedder"].embed_images([page])
    models["embedder"].embed_texts([caption, " ".join(span.text for span in redacted) or caption])
    return time.perf_counter() - started, process_cpu_s() - cpu_started


def upload_seconds(url: str, key: str, path: Path, server_pid: int) -> tuple[float, float, str, float, float]:
    """(wall seconds, the server's CPU seconds, content hash) of one upload with wait=true, then the wall
    and CPU seconds until the server is idle again: the answer comes once the upload is searchable, and
    its other kinds run right after it; the next measurement waits for them, so they never overlap it."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600) as client:
        started, cpu_started = time.perf_counter(), process_cpu_s(server_pid)
        answer = client.post("/v1/media", params={"wait": "true"}, files={"file": (path.name, path.read_bytes())})
        seconds, cpu_seconds = time.perf_counter() - started, process_cpu_s(server_pid) - cpu_started
        body = answer.json()
        if answer.status_code != 200 or not body.get("searchable"):
            raise BenchError(f"upload of {path.name} answered {answer.status_code}: {answer.text[:300]}")
        while "mm_interactive_queue_depth 0\n" not in client.get("/metrics").text:
            time.sleep(0.02)
        idle_s, idle_cpu = time.perf_counter() - started, process_cpu_s(server_pid) - cpu_started
        return seconds, cpu_seconds, body["content_hash"], idle_s, idle_cpu


def search_after_upload_ms(url: str, key: str, text: str, server_pid: int) -> tuple[float, float]:
    """(wall ms, the server's CPU ms) of the first HTTP search once an upload is done: the server's view
    of the index is new after every upload (server/state.refresh_index), so this is the search that
    pays for whatever that view has to load again."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        cpu_started, started = process_cpu_s(server_pid), time.perf_counter()
        answer = client.get("/v1/search", params={"q": text})
        seconds, cpu_seconds = time.perf_counter() - started, process_cpu_s(server_pid) - cpu_started
    if answer.status_code != 200:
        raise BenchError(f"HTTP search after an upload answered {answer.status_code}: {answer.text[:300]}")
    return seconds * 1000, cpu_seconds * 1000


def cold_cli(env: dict[str, str], text: str, full: bool) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of a fresh `mm search` process;
    `full` loads the old path's models. Run as the `mm` program runs it (`main()` reading sys.argv), so
    the process-wide set-up a one-shot search leaves out (resources/lancedb_imports.py) is left out here."""
    code = (
        "import sys\nfrom mm_assets.cli import main\n"
        + ("import mm_assets.operations.search as s\ns.Searcher.for_text = s.Searcher.from_settings\n" if full else "")
        + f"sys.argv = ['mm', 'search', {text!r}, '--tenant', {TENANT!r}, '--json']\nsys.exit(main())\n"
    )
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M %U %S", sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"cold mm search failed: {result.stderr[-1000:]}")
    seconds, kilobytes, user, system = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(kilobytes) / 1024, float(user) + float(system)


def pristine_copy(cached: Path, copy: Path) -> Path:
    """A copy of the cached index for this run to write to: every run starts from the index as built, and
    a run killed between its uploads and their deletes (the journal has one: 2004 rows, not 2000) can no
    longer leave rows in the cache for the next run to refuse. Segments were not the issue: a run's
    deletes fold its uploads' one-row segments away again (bench/search_segments.py)."""
    shutil.copytree(cached, copy)
    os.sync()  # its dirty pages written now, not during the cold searches that come next
    return copy


def run(args: argparse.Namespace, work: Path) -> int:
    from mm_assets.model_resources import model_resources
    from mm_assets.operations.audit_writer import AuditWriter
    from mm_assets.operations.keys import create_key
    from mm_assets.operations.search import Searcher
    from mm_assets.server.process import spawn_server, stop_server, wait_until_ready
    from mm_assets.server.state import open_server_index
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    load_start = os.getloadavg()[0]
    ann = AnnSettings()
    folder = args.cache_dir / f"rows{args.rows}-seed7-p{ann.num_partitions}-m{ann.m}-efc{ann.ef_construction}"
    cached = build_index(folder, args.rows, 7, ann, rebuild=False)[0]
    segments = max(cached.index_segments().values())  # the most segments of any index the run starts from
    cached.close()
    index_copy = pristine_copy(folder, work / "index")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MM_")}
    env.update(MM_HOME=str(work / "home"), MM_INDEX=str(index_copy), PYTHONPATH=str(REPO))
    settings = load_settings(env)
    key, _ = create_key(CatalogResource(url=settings.catalog_url), TENANT, "bench", rate_per_minute=10**9)
    queries = text_queries(SyntheticCorpus(args.rows, 7), args.queries + 20)

    cold = {"text_only": [], "full_models": []}
    for _ in range(args.cold):  # alternating, before the server takes memory and cores
        for name, full in (("text_only", False), ("full_models", True)):
            cold[name].append(cold_cli(env, queries[0], full))

    server, url = spawn_server(env, work / "serve.log")
    try:
        wait_until_ready(server, url, work / "serve.log", READY_TIMEOUT_S)
        searcher = Searcher.from_settings(settings)  # the server's searcher, here: same models, same index
        searcher.index.close()
        searcher.index = open_server_index(settings, searcher.index.dim)  # and the same view of the index
        audit = AuditWriter(searcher.catalog)  # and its audit rows off the request path, as the server's
        searcher.write_audit = audit.put
        search_latencies(url, key, queries[:20], searcher, server.pid)  # warm-up of both sides
        latencies = search_latencies(url, key, queries[20:], searcher, server.pid)
        latencies["parts"] = search_parts(queries[20:], searcher)
        load = concurrent_load(url, key, queries, args.clients, args.per_client, server.pid)
        models = model_resources(settings)
        images = photos(work, args.uploads)
        bare_model_seconds(images[0], models)  # load the models here before timing
        bare, uploads, all_kinds, hashes, after_upload = [], [], [], [], []
        for number, path in enumerate(images):
            bare.append(bare_model_seconds(path, models))
            seconds, cpu_seconds, content_hash, idle_s, idle_cpu = upload_seconds(url, key, path, server.pid)
            uploads.append((seconds, cpu_seconds))
            all_kinds.append((idle_s, idle_cpu))
            hashes.append(content_hash)
            after_upload.append(search_after_upload_ms(url, key, queries[number % len(queries)], server.pid))
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600) as client:
            for content_hash in hashes:
                client.delete(f"/v1/media/{content_hash}")
    finally:
        stop_server(server)
    audit.close()
    latencies["after_upload"] = after_upload
    latencies["index_segments_at_start"] = segments
    report(args, latencies, load, bare, uploads, all_kinds, cold, load_start)
    return 0


def report(args, latencies, load, bare, uploads, all_kinds, cold, load_start) -> None:  # type: ignore[no-untyped-def]
    in_p95, http_p95 = percentile(latencies["in_process"], 0.95), percentile(latencies["http"], 0.95)
    bare_s, bare_cpu = statistics.median(s for s, _ in bare), statistics.median(c for _, c in bare)
    upload_s, upload_cpu = statistics.median(s for s, _ in uploads), statistics.median(c for _, c in uploads)
    cold_text = {name: statistics.median(run[i] for run in cold["text_only"]) for i, name in enumerate(COLD)}
    cold_full = {name: statistics.median(run[i] for run in cold["full_models"]) for i, name in enumerate(COLD)}
    in_cpu, server_cpu = latencies["in_process_cpu_ms"], latencies["http_server_cpu_ms"]
    payload = {
        "machine": machine(),
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "search": {
            "rows": args.rows,
            "in_process_p50_ms": percentile(latencies["in_process"], 0.5),
            "in_process_p95_ms": in_p95,
            "http_p50_ms": percentile(latencies["http"], 0.5),
            "http_p95_ms": http_p95,
            "ratio_p95": http_p95 / in_p95,
            "in_process_cpu_ms": in_cpu,
            "http_server_cpu_ms": server_cpu,
            "http_client_cpu_ms": latencies["http_client_cpu_ms"],
            "ratio_cpu": server_cpu / in_cpu,
            "after_upload_ms": [ms for ms, _ in latencies["after_upload"]],
            "after_upload_server_cpu_ms": [cpu for _, cpu in latencies["after_upload"]],
            "index_segments_at_start": latencies["index_segments_at_start"],
            "in_process_parts": latencies["parts"],
            "http_layer_mean_ms": latencies["http_layer"],
        },
        "concurrent": load,
        "upload": {
            "bare_model_s": [s for s, _ in bare],
            "bare_model_cpu_s": [c for _, c in bare],
            "upload_to_searchable_s": [s for s, _ in uploads],
            "upload_server_cpu_s": [c for _, c in uploads],
            "upload_all_kinds_s": [s for s, _ in all_kinds],
            "upload_all_kinds_server_cpu_s": [c for _, c in all_kinds],
            "ratio_all_kinds_median": statistics.median(s for s, _ in all_kinds) / bare_s,
            "ratio_median": upload_s / bare_s,
            "ratio_cpu_median": upload_cpu / bare_cpu,
        },
        "cold_cli": {
            **{f"text_only_{name}": value for name, value in cold_text.items()},
            "text_only_rss_mb": max(run[1] for run in cold["text_only"]),
            **{f"full_models_{name}": value for name, value in cold_full.items()},
            "full_models_rss_mb": max(run[1] for run in cold["full_models"]),
        },
    }
    if args.json:
        print_json(payload)
        return
    print_table(["measure", "A", "B", "B/A", "CPU A", "CPU B", "CPU B/A", "target", "verdict"], rows(payload))
    loads = payload["load_average_1min"]
    print(
        f"load average (1 min): {loads['start']:.2f} at the start, {loads['end']:.2f} at the end,"
        f" on {os.cpu_count()} cores"
    )
    print("CPU: search and load rows in ms per search (the server's, from /proc); upload and cold rows in seconds")
    print(f"index at the start: at most {payload['search']['index_segments_at_start']} segment(s) per index")


def rows(payload: dict[str, Any]) -> list[list[object]]:
    """The table: wall figures with their CPU beside them; the CPU rows' verdicts hold on a loaded machine."""
    search, load, upload, cold = payload["search"], payload["concurrent"], payload["upload"], payload["cold_cli"]
    bare_s, upload_s = statistics.median(upload["bare_model_s"]), statistics.median(upload["upload_to_searchable_s"])
    bare_cpu, upload_cpu = (
        statistics.median(upload["bare_model_cpu_s"]),
        statistics.median(upload["upload_server_cpu_s"]),
    )
    in_cpu, server_cpu = search["in_process_cpu_ms"], search["http_server_cpu_ms"]
    http_met = search["ratio_p95"] <= TARGET_HTTP_RATIO and search["http_p95_ms"] < TARGET_HTTP_P95_MS
    return [
        [
            "search p95 ms: in-process A, HTTP B",
            search["in_process_p95_ms"],
            search["http_p95_ms"],
            search["ratio_p95"],
            in_cpu,
            server_cpu,
            search["ratio_cpu"],
            "<= 1.3x, < 50 ms",
            verdict(http_met),
        ],
        [
            "search p50 ms: in-process A, HTTP B",
            search["in_process_p50_ms"],
            search["http_p50_ms"],
            search["http_p50_ms"] / search["in_process_p50_ms"],
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "  in process, taken apart: index alone A, encoder B (p95 ms)",
            search["in_process_parts"]["index_p95_ms"],
            search["in_process_parts"]["encoder_p95_ms"],
            "",
            search["in_process_parts"]["index_cpu_ms"],
            search["in_process_parts"]["encoder_cpu_ms"],
            "",
            "",
            "",
        ],
        [
            "  HTTP mean ms: searcher A, route around it B",
            search["http_layer_mean_ms"]["searcher_mean_ms"],
            search["http_layer_mean_ms"]["in_route_around_searcher_ms"],
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "  HTTP mean ms: whole route A, outside it (client, socket, HTTP) B",
            search["http_layer_mean_ms"]["route_mean_ms"],
            search["http_layer_mean_ms"]["outside_route_ms"],
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "  CPU per search: server B <= 1.3x A",
            "",
            "",
            "",
            in_cpu,
            server_cpu,
            search["ratio_cpu"],
            "<= 1.3x",
            verdict(search["ratio_cpu"] <= TARGET_HTTP_RATIO),
        ],
        [
            "  first search after an upload ms: p50 A, max B",
            statistics.median(search["after_upload_ms"]),
            max(search["after_upload_ms"]),
            "",
            statistics.median(search["after_upload_server_cpu_ms"]),
            max(search["after_upload_server_cpu_ms"]),
            "",
            "",
            "",
        ],
        [
            f"{load['clients']} clients: requests A, errors B",
            load["requests"],
            load["errors"],
            "",
            "",
            load["server_cpu_ms_per_request"],
            "",
            "0 errors",
            verdict(load["errors"] == 0),
        ],
        ["  throughput /s A, p95 ms B", load["throughput_per_s"], load["p95_ms"], "", "", "", "", "", ""],
        [
            "upload s: bare models A, wait=true B",
            bare_s,
            upload_s,
            upload["ratio_median"],
            bare_cpu,
            upload_cpu,
            upload["ratio_cpu_median"],
            "<= 1.5x",
            verdict(upload["ratio_median"] <= TARGET_UPLOAD_RATIO),
        ],
        [
            "  every kind done s: bare A, B",
            bare_s,
            statistics.median(upload["upload_all_kinds_s"]),
            upload["ratio_all_kinds_median"],
            bare_cpu,
            statistics.median(upload["upload_all_kinds_server_cpu_s"]),
            statistics.median(upload["upload_all_kinds_server_cpu_s"]) / bare_cpu,
            "",
            "",
        ],
        [
            "cold mm search s: text path A, full B",
            cold["text_only_s"],
            cold["full_models_s"],
            cold["full_models_s"] / cold["text_only_s"],
            cold["text_only_cpu_s"],
            cold["full_models_cpu_s"],
            cold["full_models_cpu_s"] / cold["text_only_cpu_s"],
            "A <= 3 s",
            verdict(cold["text_only_s"] <= TARGET_COLD_S),
        ],
        [
            "  cold CPU s: text path A",
            "",
            "",
            "",
            cold["text_only_cpu_s"],
            "",
            "",
            "A <= 2 s CPU",
            verdict(cold["text_only_cpu_s"] <= TARGET_COLD_CPU_S),
        ],
        [
            "  peak RSS MB: text path A, full B",
            cold["text_only_rss_mb"],
            cold["full_models_rss_mb"],
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--cold", type=int, default=3, help="cold CLI runs of each path")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/mm_bench_serve"))
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(run_in_workdir("serve", parse_arguments(), run))
