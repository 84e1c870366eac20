"""Reprocessing after an embedder upgrade (`mm reprocess`) vs the bare embedding compute, in one process.

    python bench/reprocess.py [--n 200] [--repeats 2] [--profile] [--json] [--dir D]

Set-up (not timed): a fresh MM_HOME with --n distinct photos ingested and the whole graph
materialized with the default embedder (the bridge over EfficientNet-Lite0), OCR by Tesseract to
keep the set-up short. The MM_HOME folder is then copied aside, and restored before every
repetition of A (outside the timing), so each A starts from "lite0 current, lite2 missing".

- A: `mm reprocess --kind visual_embedding,text_embedding --all --json` in-process (the CLI's
  `main`), with MM_EMBEDDER_NAME=efficientnet-lite2: the two embedding kinds and everything
  downstream of them (search_index, processing_event, with their checks), in batched runs.
- B: `Embedder(name="efficientnet-lite2").embed_images` on the same redacted first pages plus
  `embed_texts` on the same caption and redacted-OCR texts, decoded in memory beforehand.

The Lite2 embedder is loaded (and used once) before any timing, so neither side pays the model
load; A runs in this interpreter and finds it in the per-process model cache. A and B are
interleaved for --repeats rounds, medians reported. Both sides must produce the same vectors, or
the benchmark fails. Target: A at most 1.3x B. Overhead per item = (A - B) / n. A's wall time is
split into parts read from the Dagster event log (step start, body end, step end) and the catalog's
`processing_step` rows (the assets' own model timers). --profile adds one cProfiled A.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
import sqlalchemy as sa
from _common import (
    BenchError,
    add_event_log_argument,
    bench_settings,
    common_arguments,
    interleaved,
    machine,
    make_sample_images,
    median,
    positive,
    print_json,
    print_table,
    run_in_workdir,
    use_event_log,
    verdict,
)
from PIL import Image

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.cli import EXIT_OK
from mm_assets.cli import main as mm_main
from mm_assets.definitions import build_definitions
from mm_assets.kind_spec import model_batch
from mm_assets.kinds.pages import page_suffix
from mm_assets.kinds.text_embedding import redacted_text
from mm_assets.kinds.visual_embedding import vector_from_bytes
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, derived_artifact, processing_step
from resources.embedder import _IMAGE_BATCH as IMAGE_BATCH
from resources.embedder import _TEXT_BATCH as TEXT_BATCH
from resources.embedder import Embedder
from resources.imagenet_classifier import forget_classifications
from resources.media_store import LocalBlobStore

TARGET_RATIO = 1.3
NEW_EMBEDDER = "efficientnet-lite2"
REPROCESS_KINDS = ("visual_embedding", "text_embedding")
REPROCESS_ARGV = ["reprocess", "--kind", ",".join(REPROCESS_KINDS), "--all", "--json"]
SETUP_ENV = {"MM_OCR_ENGINE": "tesseract"}  # the upstream only; the embedding does not read OCR boxes
UPGRADE_ENV = {**SETUP_ENV, "MM_EMBEDDER_NAME": NEW_EMBEDDER}
_BODY_END_EVENTS = {dg.DagsterEventType.STEP_OUTPUT, dg.DagsterEventType.ASSET_MATERIALIZATION}
_STEP_END_EVENTS = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}


# ------------------------------------------------------------------------------ environment


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block (the CLI reads its settings from them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def checkpoint_sqlite_files(root: Path) -> None:
    """Fold every SQLite write-ahead log under `root` into its database, so a copy is whole."""
    for wal in root.rglob("*.db-wal"):
        database = wal.with_name(wal.name.removesuffix("-wal"))
        with contextlib.closing(sqlite3.connect(database)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_home(source: Path, target: Path) -> None:
    """Copy an MM_HOME; shared-memory index files are left out (SQLite rebuilds them)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*-shm"))


# ------------------------------------------------------------------------------ set-up


@dataclass
class Upstream:
    """What both sides read: the keys and, per key, the redacted first page and the two texts."""

    keys: list[str]
    images: list[Image.Image]
    captions: list[str]
    ocr_texts: list[str]

    def texts(self) -> list[str]:
        """The texts the text_embedding asset embeds, in its order (empty channels skipped)."""
        return [text for pair in zip(self.captions, self.ocr_texts, strict=True) for text in pair if text]


def build_home(home: Path, photos: Sequence[Path]) -> tuple[Settings, list[str]]:
    """Ingest the photos and materialize the whole graph with the default (Lite0) embedder."""
    settings = bench_settings({"MM_HOME": str(home), **SETUP_ENV})
    store = LocalBlobStore(settings.store_root)  # first: it creates MM_HOME, the catalog does not
    catalog = CatalogResource(url=settings.catalog_url)
    report = ingest_paths(list(photos), catalog=catalog, store=store, caps=settings.caps, options=IngestOptions())
    catalog.engine.dispose()
    if len(report.accepted) != len(photos):
        raise BenchError(f"ingest accepted {len(report.accepted)} of {len(photos)} photos")
    keys = report.new_partition_keys
    instance = get_instance(settings)
    try:
        instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
        with environment({"MM_HOME": str(home), **SETUP_ENV}):
            defs = build_definitions(settings)
            asset_keys = sorted(defs.resolve_asset_graph().materializable_asset_keys)
            result = materialize_partitions(defs, instance, asset_keys, keys, len(keys))
    finally:
        instance.dispose()
    if result.failed or len(result.materialized) != len(keys):
        sample = list(result.failed.items())[:3]
        raise BenchError(f"set-up: {len(result.materialized)} of {len(keys)} partitions materialized, e.g. {sample}")
    return settings, keys


def read_payload(store: LocalBlobStore, row: dict[str, Any], suffix: str = "") -> bytes:
    key = store_key_of(store, row["payload_uri"])
    return store.read_bytes(key.rsplit(".", 1)[0] + suffix if suffix else key)


def read_upstream(settings: Settings, keys: Sequence[str]) -> Upstream:
    """Redacted first pages, captions and redacted OCR texts, read the way the assets read them."""
    store = LocalBlobStore(settings.store_root)
    catalog = CatalogResource(url=settings.catalog_url)
    try:
        redacted = current_artifacts(catalog, "pii", list(keys))
        captions = current_artifacts(catalog, "caption", list(keys))
    finally:
        catalog.engine.dispose()
    upstream = Upstream(list(keys), [], [], [])
    for key in keys:
        first_page = json.loads(read_payload(store, redacted[key]))["pages"][0]["page"]
        image = Image.open(io.BytesIO(read_payload(store, redacted[key], page_suffix(first_page))))
        upstream.images.append(image.convert("RGB"))
        upstream.captions.append(json.loads(read_payload(store, captions[key]))["text"])
        upstream.ocr_texts.append(redacted_text(json.loads(read_payload(store, redacted[key]))))
    return upstream


# ------------------------------------------------------------------------------ A: mm reprocess


@dataclass
class Reprocessed:
    """One `mm reprocess` call: its wall time split into parts, and the Dagster events it wrote."""

    wall_s: float
    runs: int
    parts_s: dict[str, float]
    events: dict[str, int] = field(default_factory=dict)


class ReprocessTrial:
    """Restores the set-up snapshot (not timed), then times `mm reprocess` on it."""

    def __init__(self, home: Path, snapshot: Path, keys: Sequence[str]):
        self.home, self.snapshot, self.keys = home, snapshot, list(keys)
        self.settings = bench_settings({"MM_HOME": str(home), **UPGRADE_ENV})
        self.measured: list[Reprocessed] = []
        self.assets: list[str] = []

    def restore(self) -> None:
        gc.collect()  # drop connections left open on the previous copy before it goes
        copy_home(self.snapshot, self.home)
        os.sync()  # the copy's writes are not paid inside the timing

    def reprocess(self) -> tuple[float, float, dict[str, Any]]:
        """Run `mm reprocess`; its start and end (epoch seconds) and its JSON report."""
        output = io.StringIO()
        with environment({"MM_HOME": str(self.home), **UPGRADE_ENV}), contextlib.redirect_stdout(output):
            started = time.time()
            code = mm_main(REPROCESS_ARGV)
            ended = time.time()
        report = json.loads(output.getvalue()) if output.getvalue().strip() else {}
        if code != EXIT_OK or report.get("failed") or len(report.get("materialized", [])) != len(self.keys):
            failed = report.get("failed", [])[:3]
            raise BenchError(
                f"mm reprocess exited {code}: {len(report.get('materialized', []))} materialized, {failed}"
            )
        return started, ended, report

    def __call__(self, _round: int) -> float:
        self.restore()
        forget_classifications()  # the classifier's kept answers: each side classifies every page afresh
        started, ended, report = self.reprocess()
        self.assets = report["assets"]
        parts, events = wall_parts(self.settings, report["run_ids"], self.assets, started, ended)
        self.measured.append(Reprocessed(ended - started, len(report["run_ids"]), parts, events))
        return ended - started


def step_marks(instance: dg.DagsterInstance, run_id: str) -> tuple[dict[str, dict[str, float]], Counter, float]:
    """Per step: start, body end and end timestamps; the run's event counts; its first event's time."""
    marks: dict[str, dict[str, float]] = {}
    counts: Counter = Counter()
    logs = instance.all_logs(run_id)
    for entry in logs:
        event = entry.dagster_event
        if event is None:
            continue
        counts[event.event_type.value] += 1
        if entry.step_key is None:
            continue
        step = marks.setdefault(entry.step_key, {})
        if event.event_type == dg.DagsterEventType.STEP_START:
            step["start"] = entry.timestamp
        elif event.event_type in _BODY_END_EVENTS:
            step.setdefault("body_end", entry.timestamp)
        elif event.event_type in _STEP_END_EVENTS:
            step["end"] = entry.timestamp
    return marks, counts, min(entry.timestamp for entry in logs)


def model_seconds(settings: Settings, run_ids: Sequence[str]) -> dict[str, float]:
    """The assets' own model timers (processing_step ms), per step kind, over these runs."""
    query = (
        sa.select(processing_step.c.step, sa.func.sum(processing_step.c.ms))
        .where(processing_step.c.run_id.in_(list(run_ids)), processing_step.c.outcome == "ok")
        .group_by(processing_step.c.step)
    )
    catalog = CatalogResource(url=settings.catalog_url)
    try:
        with catalog.engine.connect() as conn:
            return {step: (ms or 0.0) / 1000 for step, ms in conn.execute(query)}
    finally:
        catalog.engine.dispose()


def wall_parts(
    settings: Settings, run_ids: Sequence[str], assets: Sequence[str], started: float, ended: float
) -> tuple[dict[str, float], dict[str, int]]:
    """Split one reprocess call's wall time into parts that add up to it.

    Per asset step: the model call (its processing_step ms), the rest of its body, and the time
    from the body's end to the step's end (Dagster writing the per-partition materializations).
    Per check step: its whole duration. The rest: the CLI before the first run's first event, run
    start to the first step (run creation, planned events), between steps, and the last step's
    end to the CLI's return (run end, reading the result, the JSON report).
    """
    instance = get_instance(settings)
    try:
        marks: list[tuple[str, dict[str, float]]] = []
        events: Counter = Counter()
        first_events: list[float] = []
        for run_id in run_ids:
            run_marks, counts, first = step_marks(instance, run_id)
            events.update(counts)
            first_events.append(first)
            marks.extend((step, values) for step, values in run_marks.items() if "start" in values)
    finally:
        instance.dispose()
    model = model_seconds(settings, run_ids)
    parts: Counter = Counter()
    for step, values in marks:
        duration = values.get("end", ended) - values["start"]
        if step not in assets or "body_end" not in values:  # an asset check: one step, no materialization
            parts[f"check step {step}"] += duration
            continue
        step_model = model.get(step, 0.0) if step in REPROCESS_KINDS else 0.0
        if step_model:
            parts[f"{step}: model call"] += step_model
        parts[f"{step}: rest of body"] += values["body_end"] - values["start"] - step_model
        parts[f"{step}: after body (materialization events)"] += values["end"] - values["body_end"]
    first_step = min(values["start"] for _step, values in marks)
    last_step_end = max(values.get("end", ended) for _step, values in marks)
    parts["CLI before the run"] = min(first_events) - started
    parts["run start to first step (planned events)"] = first_step - min(first_events)
    parts["last step end to CLI return (run end)"] = ended - last_step_end
    parts["between steps"] = (ended - started) - sum(parts.values())
    return dict(parts), dict(events)


# ------------------------------------------------------------------------------ B: bare compute


class BareEmbedTrial:
    """`embed_images` on every redacted first page plus `embed_texts` on their texts."""

    def __init__(self, embedder: Embedder, upstream: Upstream):
        self.embedder, self.upstream = embedder, upstream
        self.texts = upstream.texts()
        self.images_s: list[float] = []
        self.texts_s: list[float] = []
        self.image_vectors = np.zeros((0, 0), dtype=np.float32)
        self.text_vectors = np.zeros((0, 0), dtype=np.float32)

    def __call__(self, _round: int) -> float:
        forget_classifications()  # no answer kept from A's run or the warm-up: B computes every page
        started = time.perf_counter()
        self.image_vectors = self.embedder.embed_images(self.upstream.images)
        middle = time.perf_counter()
        self.text_vectors = self.embedder.embed_texts(self.texts)
        ended = time.perf_counter()
        self.images_s.append(middle - started)
        self.texts_s.append(ended - middle)
        return ended - started


def warm_embedder(upstream: Upstream) -> Embedder:
    """Load Lite2 and MiniLM into the process-wide model cache (A finds them there) and run each
    batch shape both sides will use once, so neither side pays first-call costs."""
    embedder = Embedder(name=NEW_EMBEDDER)
    for size in {IMAGE_BATCH, len(upstream.images) % IMAGE_BATCH} - {0}:
        embedder.embed_images(upstream.images[:size])
    embedder.embed_texts(upstream.texts()[:TEXT_BATCH] or ["warm up"])
    return embedder


def require_same_vectors(settings: Settings, bare: BareEmbedTrial, model_id: str) -> None:
    """The vectors `mm reprocess` wrote at the new model id equal the bare embedder's."""
    keys = bare.upstream.keys
    store = LocalBlobStore(settings.store_root)
    catalog = CatalogResource(url=settings.catalog_url)
    query = sa.select(derived_artifact).where(
        derived_artifact.c.kind.in_(REPROCESS_KINDS), derived_artifact.c.model_id == model_id
    )
    try:
        with catalog.engine.connect() as conn:
            rows = {(row.kind, row.source_hash): dict(row._mapping) for row in conn.execute(query)}
    finally:
        catalog.engine.dispose()
    if len(rows) != 2 * len(keys):
        raise BenchError(f"expected {2 * len(keys)} {model_id} embedding artifacts, found {len(rows)}")
    visual = np.stack([vector_from_bytes(read_payload(store, rows[("visual_embedding", key)])) for key in keys])
    if visual.shape != bare.image_vectors.shape or not np.allclose(visual, bare.image_vectors, atol=1e-4):
        raise BenchError("visual_embedding from mm reprocess and the bare embedder disagree")
    table = dict(zip(bare.texts, bare.text_vectors, strict=True))
    for key, caption, ocr_text in zip(keys, bare.upstream.captions, bare.upstream.ocr_texts, strict=True):
        vectors = vector_from_bytes(read_payload(store, rows[("text_embedding", key)]))
        for vector, text in zip(vectors, (caption, ocr_text), strict=True):
            expected = table[text] if text else np.zeros_like(vector)
            if not np.allclose(vector, expected, atol=1e-4):
                raise BenchError(f"text_embedding of {key[:12]} differs from the bare embedder")


# ------------------------------------------------------------------------------ profile


def inner_line(function: Any, name: str) -> int:
    """The first line of the function `name` defined inside `function` (a shared kind body)."""
    return next(c.co_firstlineno for c in function.__code__.co_consts if getattr(c, "co_name", "") == name)


# (label, file path suffix, function name[, first line]): cumulative time of parts of one profiled A.
# The Embedder's methods carry their first line: the encoders inside have methods of the same name.
PROFILE_PARTS: list[tuple[Any, ...]] = [
    ("mm reprocess (main)", "mm_assets/cli/__init__.py", "main"),
    ("  build_definitions", "mm_assets/definitions.py", "build_definitions"),
    ("  execute_in_process", "dagster/_core/definitions/job_definition.py", "execute_in_process"),
    ("    visual_embedding body (model_batch)", "mm_assets/kind_spec.py", "make", inner_line(model_batch, "make")),
    (
        "      Embedder.embed_images",
        "resources/embedder.py",
        "embed_images",
        Embedder.embed_images.__code__.co_firstlineno,
    ),
    ("      load_pages (read + decode PNGs)", "mm_assets/kinds/pages.py", "load_pages"),
    ("    text_embedding body", "mm_assets/kinds/text_embedding.py", "make_text_embedding"),
    (
        "      Embedder.embed_texts",
        "resources/embedder.py",
        "embed_texts",
        Embedder.embed_texts.__code__.co_firstlineno,
    ),
    ("    caption_grounding check", "mm_assets/kinds/text_embedding.py", "caption_grounding"),
    ("    search_index body", "mm_assets/kinds/search_index.py", "make_search_index"),
    ("      VectorIndex.upsert", "resources/vector_index.py", "upsert"),
    ("    index_freshness check", "mm_assets/kinds/search_index.py", "index_freshness"),
    ("    processing_event body", "mm_assets/kinds/processing_event.py", "make_processing_event"),
    ("    catalog_expectations check", "expectations/checks.py", "catalog_expectations"),
    ("    ArtifactBatch.__init__ (all kinds)", "mm_assets/artifacts.py", "__init__"),
    ("    ArtifactBatch.write (all kinds, payload files)", "mm_assets/artifacts.py", "write"),
    ("    ArtifactBatch.finish (all kinds)", "mm_assets/artifacts.py", "finish"),
    ("      ArtifactBatch.flush (catalog rows)", "mm_assets/artifacts.py", "flush"),
    ("        current_artifacts (one query)", "mm_assets/artifacts.py", "current_artifacts"),
    ("        the kind's comparator", "mm_assets/artifacts.py", "_compare"),
    ("        open_review", "mm_assets/artifacts.py", "open_review"),
    ("    Dagster event writes (store_event)", "event_log/sqlite/sqlite_event_log.py", "store_event"),
]


def profile_once(trial: ReprocessTrial, top: int = 15) -> dict[str, Any]:
    trial.restore()
    forget_classifications()  # as in a timed A: the profile must not take the answers kept by the rounds before it
    profiler = cProfile.Profile()
    profiler.enable()
    started, ended, _report = trial.reprocess()
    profiler.disable()
    stats = pstats.Stats(profiler)
    cumulative = {part[0]: 0.0 for part in PROFILE_PARTS}
    calls = {part[0]: 0 for part in PROFILE_PARTS}
    for (filename, line, function), (_cc, ncalls, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, path, name, *first_line in PROFILE_PARTS:
            if function == name and filename.endswith(path) and (not first_line or first_line[0] == line):
                cumulative[label] += ct
                calls[label] += ncalls
    listing = io.StringIO()
    pstats.Stats(profiler, stream=listing).sort_stats("tottime").print_stats(top)
    return {"wall_s": ended - started, "cumulative_s": cumulative, "calls": calls, "top_self_time": listing.getvalue()}


# ------------------------------------------------------------------------------ main


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=200, default_repeats=2)
    parser.add_argument("--profile", action="store_true", help="one more A under cProfile, with its parts")
    add_event_log_argument(parser)
    args = parser.parse_args()
    use_event_log(args)
    positive(parser, n=args.n, repeats=args.repeats)
    try:
        return run_in_workdir("reprocess", args, run)
    finally:
        gc.collect()  # the in-process Dagster instances and models of A hold files under the work dir


def run(args: argparse.Namespace, work: Path) -> int:
    photos = make_sample_images(work / "inputs", args.n)
    home, snapshot = work / "home", work / "snapshot"
    print(f"set-up: ingesting {args.n} photos and materializing the whole graph (Lite0, Tesseract)", file=sys.stderr)
    started = time.perf_counter()
    settings, keys = build_home(home, photos)
    setup_s = time.perf_counter() - started
    gc.collect()
    checkpoint_sqlite_files(home)
    copy_home(home, snapshot)
    upstream = read_upstream(settings, keys)
    embedder = warm_embedder(upstream)
    reprocess = ReprocessTrial(home, snapshot, keys)
    bare = BareEmbedTrial(embedder, upstream)
    print(f"set-up done in {time.perf_counter() - started:.0f} s; {args.repeats} interleaved rounds", file=sys.stderr)
    samples = interleaved({"reprocess": reprocess, "bare": bare}, args.repeats)
    require_same_vectors(reprocess.settings, bare, embedder.model_id())
    result = summarize(args, reprocess, bare, samples, setup_s)
    if args.profile:
        result["profile"] = profile_once(reprocess)
    if args.json:
        print_json(result)
    else:
        report(result)
    return 0


def summarize(
    args: argparse.Namespace,
    reprocess: ReprocessTrial,
    bare: BareEmbedTrial,
    samples: dict[str, list[float]],
    setup_s: float,
) -> dict[str, Any]:
    a, b = median(samples["reprocess"]), median(samples["bare"])
    names = list(dict.fromkeys(name for m in reprocess.measured for name in m.parts_s))
    parts = {name: median([m.parts_s.get(name, 0.0) for m in reprocess.measured]) for name in names}
    model_calls = sum(s for name, s in parts.items() if name.endswith(": model call"))
    return {
        "benchmark": "reprocess",
        "machine": machine(),
        "n": args.n,
        "repeats": args.repeats,
        "setup_s": setup_s,
        "embedder": bare.embedder.model_id(),
        "assets": reprocess.assets,
        "runs": reprocess.measured[0].runs,
        "reprocess_s": {"median": a, "samples": samples["reprocess"]},
        "bare_s": {
            "median": b,
            "samples": samples["bare"],
            "embed_images_s": median(bare.images_s),
            "embed_texts_s": median(bare.texts_s),
            "images": len(bare.upstream.images),
            "texts": len(bare.texts),
        },
        "ratio": a / b,
        "target_ratio": TARGET_RATIO,
        "meets_target": a / b <= TARGET_RATIO,
        "overhead_s_per_item": (a - b) / args.n,
        # Same-run cross-check, immune to load shifting between A and B: A over its own model calls.
        "reprocess_model_calls_s": model_calls,
        "ratio_to_own_model_calls": a / model_calls if model_calls else None,
        "reprocess_parts_s": parts,
        "reprocess_events": reprocess.measured[-1].events,
    }


def report(result: dict[str, Any]) -> None:
    n, a, b = result["n"], result["reprocess_s"], result["bare_s"]
    print(
        f"embedder upgrade to {result['embedder']}: {n} partitions, median of {result['repeats']} "
        f"interleaved rounds, {result['machine']['cpus']} CPUs (set-up {result['setup_s']:.0f} s, not timed)"
    )
    print_table(
        ("side", "s", "s/item", "samples s"),
        [
            (f"A mm reprocess ({', '.join(result['assets'])})", a["median"], a["median"] / n, _samples(a)),
            (
                f"B bare embed_images ({b['images']}) + embed_texts ({b['texts']})",
                b["median"],
                b["median"] / n,
                _samples(b),
            ),
        ],
    )
    print(f"  B: embed_images {b['embed_images_s']:.2f} s, embed_texts {b['embed_texts_s']:.2f} s")
    print(
        f"A / B: {result['ratio']:.2f}x (target <= {TARGET_RATIO}x: {verdict(result['meets_target'])}); "
        f"overhead (A - B) / n: {result['overhead_s_per_item']:.4f} s/item"
    )
    if result["ratio_to_own_model_calls"]:
        print(
            f"cross-check in the same run: A / A's own model calls ({result['reprocess_model_calls_s']:.1f} s) = "
            f"{result['ratio_to_own_model_calls']:.2f}x"
        )
    print(f"\nwhere A's time goes ({result['runs']} run(s); median per part, parts add up to A):")
    parts = sorted(result["reprocess_parts_s"].items(), key=lambda item: -item[1])
    print_table(
        ("part", "s", "s/item", "share of A"),
        [(name, s, s / n, f"{100 * s / a['median']:.1f}%") for name, s in parts],
    )
    events = ", ".join(
        f"{name} {count}" for name, count in sorted(result["reprocess_events"].items(), key=lambda e: -e[1])
    )
    print(f"Dagster events written by one A: {sum(result['reprocess_events'].values())} ({events})")
    if "profile" in result:
        report_profile(result["profile"], n)


def report_profile(profile: dict[str, Any], n: int) -> None:
    print(f"\none A under cProfile: {profile['wall_s']:.1f} s (profiling slows it)")
    print_table(
        ("part", "cumulative s", "s/item", "calls"),
        [(label, s, s / n, profile["calls"][label]) for label, s in profile["cumulative_s"].items()],
    )
    print(profile["top_self_time"])


def _samples(side: dict[str, Any]) -> str:
    return " ".join(f"{s:.2f}" for s in side["samples"])


if __name__ == "__main__":
    sys.exit(main())
