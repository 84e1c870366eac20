"""Where one wait=true photo upload's time goes, through the server's own code in one thread.

    python bench/upload_phases.py REPO WORK [--uploads 6] [--warm 2] [--cprofile]

REPO is the tree to measure (this one, or a clone of another commit: run two at once for a side by
side), WORK a scratch folder (its MM_HOME). The server's state loads as `mm serve` loads it, then each
upload goes through `media._ingest_one` and `media._interactive` on this thread. Chosen functions (by
name: a name a tree lacks is reported and skipped) are wrapped in a wall and a thread-CPU timer
(inclusive; a recursive call counts once); the per-upload means are printed, the answering run's apart
from the run after the answer ("REST"), with the Dagster events per type. Thread CPU is the measure on a
loaded machine: Dagster's bookkeeping runs on this thread; model calls have worker threads on top.
`--cprofile` writes WORK/upload.prof (thread-CPU timer) over the measured uploads.
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import os
import sys
import threading
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("repo")
parser.add_argument("work")
parser.add_argument("--uploads", type=int, default=6)
parser.add_argument("--warm", type=int, default=2)
parser.add_argument("--cprofile", action="store_true")
parser.add_argument("--timeline", action="store_true", help="print the last upload's wall and thread-CPU marks")
parser.add_argument(
    "--index",
    help="an index folder to start from (copied into WORK, as bench/serve.py does with its 100k-row index): "
    "an upload then writes into an index of that size, not an empty one",
)
args = parser.parse_args()
sys.path.insert(0, args.repo)
sys.path.insert(0, str(Path(args.repo) / "bench"))
work = Path(args.work)
work.mkdir(parents=True, exist_ok=True)
for k in [k for k in os.environ if k.startswith("MM_")]:
    del os.environ[k]
os.environ["MM_HOME"] = str(work / "home")
if args.index:
    import shutil

    shutil.rmtree(work / "index", ignore_errors=True)
    shutil.copytree(args.index, work / "index")
    os.environ["MM_INDEX"] = str(work / "index")

TOTALS: dict[str, float] = collections.defaultdict(float)
COUNTS: dict[str, int] = collections.defaultdict(int)
CPU: dict[str, float] = collections.defaultdict(float)
EVENTS: collections.Counter = collections.Counter()
_depth = threading.local()
# (wall, thread CPU, what) marks of the answering thread, from the upload's start (--timeline)
MARKS: list[tuple[float, float, str]] = []
PARTS: list[list[tuple[str, float, float]]] = []  # per measured upload: (part, wall ms, thread CPU ms)
TIMINGS: list[tuple[float, float, float]] = []  # per measured upload: index rows in, answer, run end (ms)


def answering() -> bool:
    """On a thread the answer waits for: this one (the request's) or the slot's answering run's."""
    thread = threading.current_thread()
    return thread is threading.main_thread() or thread.name == "mm-interactive-run"


def mark(what: str) -> None:
    """A timeline mark: its wall time and the thread CPU its thread used since that thread's last mark."""
    if args.timeline and answering():
        cpu, last = time.thread_time(), getattr(_depth, "last_cpu", None)
        _depth.last_cpu = cpu
        MARKS.append((time.perf_counter(), 0.0 if last is None else cpu - last, what))


def phases(marks: list[tuple[float, float, str]]) -> list[tuple[str, float, float]]:
    """One upload's marks cut into parts: ingest, before the run, create_run, run start, each step's
    Dagster before its body / body / Dagster after it, the run's end, the server's work after the run."""
    cuts: list[tuple[str, int]] = []  # (name of the part that starts at this mark, mark index)
    step = ""
    for i, (_, _, what) in enumerate(marks):
        if what == "upload start":
            cuts.append(("ingest (gate, original, catalog rows, partition)", i))
        elif what == "> 2 interactive total":
            cuts.append(("slot, claim, before the run", i))
        elif what == "> 2a3b create_run_for_job":
            cuts.append(("create_run (run row, planned events)", i))
        elif what == "< 2a3b create_run_for_job":
            cuts.append(("run start (status, resources init, logs)", i))
        elif what.startswith("event STEP_START "):
            step = what.split()[-1]
            cuts.append((f"step {step}: Dagster before the body", i))
        elif what in ("> k kind body (run_kind)", "> k check body (report_partition_checks)"):
            cuts.append((f"step {step}: body", i))
        elif what in ("< k kind body (run_kind)", "< k check body (report_partition_checks)"):
            cuts.append((f"step {step}: Dagster after the body (output, materialization, success)", i))
        elif what.startswith("event PIPELINE_SUCCESS") or what.startswith("event PIPELINE_FAILURE"):
            cuts.append(("run end (run success, status, teardown, claim release)", i))
        elif what == "< 2a materialize_partitions (the run)":
            cuts.append(("server after the run (journal, index view, answer rows)", i))
    cuts.append(("end", len(marks) - 1))
    out = []
    for (name, i), (_, j) in zip(cuts, cuts[1:], strict=False):
        cpu = sum(m[1] for m in marks[i + 1 : j + 1])
        out.append((name, (marks[j][0] - marks[i][0]) * 1000, cpu * 1000))
    return out


def answer_timing(marks: list[tuple[float, float, str]]) -> tuple[float, float, float]:
    """From the upload's start (ms): the search_index body's end (rows committed), the answer, the run's end."""
    start, rows, answer, run_end = marks[0][0], 0.0, 0.0, 0.0
    step = ""
    for wall, _, what in marks:
        if what.startswith("event STEP_START "):
            step = what.split()[-1]
        elif what == "< k kind body (run_kind)" and step == "search_index":
            rows = wall
        elif what == "answer built":
            answer = wall
        elif what == "< 2a materialize_partitions (the run)":
            run_end = wall
    return tuple((t - start) * 1000 for t in (rows, answer, run_end))


def timed(owner, attr, label):
    original = getattr(owner, attr)
    if isinstance(original, (staticmethod, classmethod)):
        raise TypeError(label)

    @functools.wraps(original)
    def wrapper(*a, **kw):
        active = getattr(_depth, "active", None)
        if active is None:
            active = _depth.active = collections.Counter()
        active[label] += 1
        if active[label] == 1:
            mark("> " + label)
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            return original(*a, **kw)
        finally:
            active[label] -= 1
            if active[label] == 0:  # count a recursive call once
                mark("< " + label)
                where = label if answering() else "REST " + label
                TOTALS[where] += time.perf_counter() - started
                CPU[where] += time.thread_time() - cpu_started
                COUNTS[where] += 1

    setattr(owner, attr, wrapper)


def patch(spec, label):
    module_name, _, path = spec.partition(":")
    owner = importlib.import_module(module_name)
    parts = path.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    if not hasattr(owner, parts[-1]):
        print("missing", spec)
        return
    timed(owner, parts[-1], label)


from mm_assets.server.state import ServerState  # noqa: E402
from mm_assets.settings import load_settings  # noqa: E402

settings = load_settings(dict(os.environ))
state = ServerState(settings)
state.open_instance()
state.load()
assert state.ready.is_set(), state.load_error

from mm_assets.server.routers import media  # noqa: E402

POOLED = "mm_assets.dagster_internals.event_log_storage:PooledSqliteEventLogStorage"
SPECS = {
    "1 ingest (gate, store, catalog, partition)": "mm_assets.server.routers.media:_ingest_one",
    "1a add_dynamic_partitions": "dagster._core.instance:DagsterInstance.add_dynamic_partitions",
    "2 interactive total": "mm_assets.server.routers.media:_interactive",
    "2a materialize_partitions (the run)": "mm_assets.orchestration.runs:materialize_partitions",
    "2a1 claims.claim": "mm_assets.orchestration.claims:PartitionClaims.claim",
    "2a1b claims.release": "mm_assets.orchestration.claims:PartitionClaims.release",
    "2a1c materialized_elsewhere": "mm_assets.orchestration.runs:materialized_elsewhere",
    "2a1d get_dynamic_partitions": "dagster._core.instance:DagsterInstance.get_dynamic_partitions",
    "2a2 execute_in_process": "dagster._core.definitions.job_definition:JobDefinition.execute_in_process",
    "2a2b prepared execute": "mm_assets.dagster_internals.run_submission:PreparedInProcessJob.execute",
    "2a2c create_execution_plan": "dagster._core.execution.api:create_execution_plan",
    "2a3 create_run": "dagster._core.instance:DagsterInstance.create_run",
    "2a3b create_run_for_job": "dagster._core.instance:DagsterInstance.create_run_for_job",
    "2a3c run_storage.add_run": "dagster._core.storage.runs.sql_run_storage:SqlRunStorage.add_run",
    "2a4 handle_new_event (all event writes)": "dagster._core.instance:DagsterInstance.handle_new_event",
    "2a5 store_event": POOLED + ".store_event",
    "2a5b store_event_batch": POOLED + ".store_event_batch",
    "2a5c shard transactions (_connect; count only)": POOLED + "._connect",
    "2a6 has_dynamic_partition": "mm_assets.dagster_internals.event_log_storage:"
    "RecentPartitionExistence.has_dynamic_partition",
    "2a7 data version lookups": "dagster._core.execution.context.data_version_cache:"
    "DataVersionCache.maybe_fetch_and_get_input_asset_version_info",
    "2a7b get_latest_data_version_record": "dagster._core.instance:DagsterInstance.get_latest_data_version_record",
    "2a7c get_asset_records": "dagster._core.instance:DagsterInstance.get_asset_records",
    "2a8 resources init": "dagster._core.execution.resources_init:resource_initialization_event_generator",
    "2a9 update run status (run storage)": "dagster._core.storage.runs.sql_run_storage:SqlRunStorage.handle_run_event",
    "2b refresh_index": "mm_assets.server.state:ServerState.refresh_index",
    "2c artifact_versions": "mm_assets.server.routers.media:artifact_versions",
    "2d _indexed": "mm_assets.server.routers.media:_indexed",
    "2r answering run in the slot (its own thread)": "mm_assets.server.routers.media:_answering_run",
    "2e figures journal write (before the answer)": "mm_assets.server.figures_journal:FiguresJournal.write",
    "m ocr": "resources.ocr:OcrRunner.recognize_pages",
    "m pii": "resources.pii:PiiDetector.redact_spans",
    "m faces": "resources.faces:FaceDetector.detect",
    "m coverage faces": "resources.faces:CoverageFaceScanner.faces",
    "m coverage faces, scanned (not kept)": "resources.faces:CoverageFaceScanner.scan",
    "m layout": "resources.document_models:LayoutDetector.regions",
    "m caption": "resources.captioner:Captioner.caption",
    "m embed images": "resources.embedder:Embedder.embed_images",
    "m embed texts": "resources.embedder:Embedder.embed_texts",
    "m classifier (a batch's forward pass, or its kept answers)": "resources.imagenet_classifier:"
    "ImagenetClassifier._probabilities_of_batch",
    "i open an index view": "resources.vector_index:VectorIndex.__init__",
    "i upsert source rows": "resources.vector_index:VectorIndex.upsert",
    "i upsert chunk rows": "resources.vector_index:VectorIndex.upsert_chunks",
    "i chunk_text_vectors": "resources.vector_index:VectorIndex.chunk_text_vectors",
    "i count rows": "resources.vector_index:VectorIndex.count",
    "i refresh indexes": "resources.vector_index:VectorIndex.refresh",
    "k census observation": "mm_assets.artifacts:DeferredFigures.observation",
    "k finish (rows, steps, metadata)": "mm_assets.artifacts:ArtifactBatch.finish",
    "k kind body (run_kind)": "mm_assets.kind_builder:run_kind",
    "k check body (report_partition_checks)": "mm_assets.checks:report_partition_checks",
    "k log_event": "dagster._core.execution.context.op_execution_context:OpExecutionContext.log_event",
}
from dagster._core.instance import DagsterInstance  # noqa: E402

_handle = DagsterInstance.handle_new_event


def _count_event(self, event, *a, **kw):
    if answering() and event.dagster_event is not None:
        EVENTS[event.dagster_event.event_type_value] += 1
        mark(f"event {event.dagster_event.event_type_value} {event.step_key or ''}")
    try:
        return _handle(self, event, *a, **kw)
    finally:
        if event.dagster_event is not None:
            mark("  stored")


DagsterInstance.handle_new_event = _count_event
for label, spec in SPECS.items():
    try:
        patch(spec, label)
    except Exception as exc:  # noqa: BLE001
        print("cannot patch", label, spec, exc)

from PIL import Image  # noqa: E402

from mm_assets.operations.ingest import IngestOptions  # noqa: E402
from mm_assets.operations.keys import ApiPrincipal  # noqa: E402
from mm_assets.server.schemas import UploadBody  # noqa: E402

source = Image.open(Path(args.repo) / "samples" / "rocket.jpg").convert("RGB")
who = ApiPrincipal(key_id="k", tenant="demo", name="phases", kind="tenant", rate_per_minute=600)


def one(number: int) -> float:
    margin = 4 + number * 3
    path = work / f"rocket-{os.getpid()}-{number}.jpg"
    source.putpixel((source.width // 2, source.height // 2), (os.getpid() % 256, number % 256, 7))
    source.crop((margin, margin, source.width - margin, source.height - margin)).save(path, quality=90)
    MARKS.clear()
    mark("upload start")
    started = time.perf_counter()
    report = media._ingest_one(state, path, IngestOptions(tenant="demo", region="unspecified", consent="valid"))
    item = (report.accepted or report.duplicates)[0]
    body = UploadBody(content_hash=item["content_hash"], status="accepted", searchable=False, warnings=[])
    body = media._interactive(state, who, body)
    elapsed = time.perf_counter() - started
    mark("answer built")
    assert body.searchable and not body.failed, body
    while alive := [t for t in state._later if t.is_alive()]:  # the answering run's tail, then the rest
        alive[0].join()
    if args.timeline:
        PARTS.append(phases(MARKS))
        TIMINGS.append(answer_timing(MARKS))
    return elapsed


for number in range(args.warm):
    one(number)
TOTALS.clear()
PARTS.clear()
TIMINGS.clear()
COUNTS.clear()
CPU.clear()
EVENTS.clear()
cpu0 = time.process_time()
profiler = None
if args.cprofile:
    import cProfile

    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
walls = []
for number in range(args.warm, args.warm + args.uploads):
    walls.append(one(number))
print(f"process CPU per upload (all threads, answer + rest) {(time.process_time() - cpu0) / args.uploads:.3f} s")
if profiler:
    profiler.disable()
    profiler.dump_stats(str(work / "upload.prof"))
n = args.uploads
print(f"uploads {n}: answer wall per upload {[round(w, 3) for w in walls]}, mean {sum(walls) / n:.3f} s")
print("(the rest run after each answer is in the totals too where the same functions ran)")
for label in sorted(TOTALS):
    wall, cpu, calls = TOTALS[label] / n * 1000, CPU[label] / n * 1000, COUNTS[label] / n
    print(f"{label:55s} {wall:8.1f} ms/upload wall {cpu:8.1f} ms thread CPU  calls/upload {calls:6.1f}")
try:  # trees with a kept classifier answer (resources/imagenet_classifier.py) say how often it was used
    from resources.imagenet_classifier import classification_counts

    kept, run = classification_counts()
    print(
        f"classifier inputs per upload (warm-up included): kept answers {kept / (n + args.warm):.1f}, "
        f"forward passes {run / (n + args.warm):.1f}"
    )
except ImportError:
    pass
for name, count in EVENTS.most_common():
    print(f"event {name:45s} {count / n:6.1f}")


if args.timeline:
    print(f"parts of an upload, mean of {len(PARTS)} (answering thread): wall ms, thread CPU ms")
    for part, (name, _, _) in enumerate(PARTS[-1]):
        of_part = [parts[part] for parts in PARTS if len(parts) > part and parts[part][0] == name]
        wall, cpu = (sum(p[i] for p in of_part) / len(of_part) for i in (1, 2))
        print(f"{wall:8.1f} {cpu:8.1f}  {name}")
    rows, answer, run_end = (sum(t[i] for t in TIMINGS) / len(TIMINGS) for i in range(3))
    print(
        f"from the upload's start, mean: index rows committed {rows:.1f} ms, answer {answer:.1f} ms, "
        f"run's end {run_end:.1f} ms: the answer waited {answer - rows:.1f} ms after the rows were in"
    )
    print("timeline of the last upload (answering threads): wall ms, thread CPU ms from its start, step")
    wall0, last_wall, total_cpu = MARKS[0][0], MARKS[0][0], 0.0
    for wall, cpu, what in MARKS:
        total_cpu += cpu
        print(
            f"{(wall - wall0) * 1000:8.1f} {total_cpu * 1000:8.1f}  "
            f"(+{(wall - last_wall) * 1000:6.1f} +{cpu * 1000:6.1f})  {what}"
        )
        last_wall = wall
os._exit(0)
