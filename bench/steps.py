"""Asset overhead per model step: the `ocr` and `visual_embedding` assets vs their bare model calls.

    python bench/steps.py [--pages 20] [--images 200] [--repeats 4] [--event-log pooled|dagster]
                          [--json] [--profile] [--dir D]

Two fresh MM_HOMEs are built first and their upstream assets materialized (not timed):
- documents: --pages one-page documents (6 rendered lines, 900 px wide), `source_media` and `pages`;
- photos: --images distinct crops of scikit-image photos, `source_media`, `pages`, `ocr` and `pii`
  (that home OCRs with Tesseract to keep the set-up short; the embedding does not depend on it).
Then, interleaved for --repeats rounds: (1) `materialize_partitions` of `ocr` over every document
vs `OcrRunner().recognize_pages` in a loop over the same page images, already decoded in memory;
(2) `materialize_partitions` of `visual_embedding` over every photo vs one
`Embedder().embed_images` call on the same redacted page images. Before each asset round the
kind's catalog rows and payload files are deleted, so every round does the model work again.
Odd rounds swap each pair's order (bare first), so each side runs after the other model's work
equally often: right after an OCR run the embedder runs ~15% slower. Both sides must agree (same
OCR text, same vectors), or the benchmark fails. Target: each asset at
most 1.2x its bare call (medians). The asset's wall time is split into five parts that add up to
it (see WALL_PARTS), from the Dagster event log and the catalog's `processing_step` rows. A third
interleaved trial, `source_media` over the photo partitions, is Dagster's own floor per partition
(its body does next to nothing). Last, p50/p95 per step from the `processing_step` rows of every
run above. --profile adds one cProfiled run of each asset with the cumulative time of its parts.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
import sqlalchemy as sa
from _common import (
    BenchError,
    add_event_log_argument,
    bench_settings,
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
from mm_assets.definitions import build_definitions
from mm_assets.kinds.pages import page_suffix
from mm_assets.kinds.visual_embedding import vector_from_bytes
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, derived_artifact, processing_step
from resources.embedder import Embedder
from resources.imagenet_classifier import forget_classifications
from resources.media_store import LocalBlobStore
from resources.ocr import OcrRunner

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.2
LINES_PER_PAGE = 6
PAGE_WIDTH = 900
# Events that mark the end of an asset body: outputs and materializations come after it returns.
_BODY_END_EVENTS = {dg.DagsterEventType.STEP_OUTPUT, dg.DagsterEventType.ASSET_MATERIALIZATION}
_STEP_END_EVENTS = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
Pages = list[tuple[int, Image.Image]]


# ------------------------------------------------------------------------------ inputs


def document_lines(index: int) -> list[str]:
    """Six lines of invoice-like text, different for every document (so every hash differs)."""
    return [
        f"ACME Supplies Ltd - Invoice 2025-{index:04d}",
        f"Order {7000 + index} shipped to warehouse {index % 9 + 1}",
        f"Freight charge {10 + index % 40}.50 EUR",
        "Payment within 30 days of the invoice date",
        f"Reference code AX-{index * 37:05d}",
        f"Total due {1200 + 13 * index}.00 EUR",
    ]


def make_document_pages(folder: Path, count: int) -> list[Path]:
    """`count` one-page PNG documents, 900 px wide, rendered like the tests' small pages."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))  # tests/ is not an installed package
    from tests.documents import render_page

    folder.mkdir(parents=True, exist_ok=True)
    height = 60 + 66 * LINES_PER_PAGE + 60
    paths = []
    for index in range(count):
        path = folder / f"document_{index:04d}.png"
        render_page(document_lines(index), size=(PAGE_WIDTH, height)).save(path, "PNG")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------ homes


@dataclass
class Home:
    """A fresh MM_HOME with its files ingested, registered and upstream assets materialized."""

    label: str
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance
    catalog: CatalogResource
    store: LocalBlobStore
    keys: list[str]
    run_ids: list[str] = field(default_factory=list)

    def dispose(self) -> None:
        self.instance.dispose()
        self.catalog.engine.dispose()


def prepare_home(label: str, root: Path, files: Sequence[Path], upstream: Sequence[str], env: dict[str, str]) -> Home:
    settings = bench_settings({"MM_HOME": str(root), **env})
    store = LocalBlobStore(settings.store_root)  # first: it creates MM_HOME, the catalog does not
    catalog = CatalogResource(url=settings.catalog_url)
    report = ingest_paths(list(files), catalog=catalog, store=store, caps=settings.caps, options=IngestOptions())
    if len(report.accepted) != len(files):
        raise BenchError(f"{label}: ingest accepted {len(report.accepted)} of {len(files)} files")
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    home = Home(
        label,
        settings,
        build_definitions(settings),
        instance,
        catalog,
        store,
        report.new_partition_keys,
    )
    materialize(home, upstream, home.keys)
    return home


def materialize(home: Home, kinds: Sequence[str], keys: Sequence[str]) -> list[str]:
    """Materialize `kinds` for `keys` in one batched run; the run ids (failures raise)."""
    report = materialize_partitions(home.defs, home.instance, [dg.AssetKey(kind) for kind in kinds], keys, len(keys))
    if report.failed or len(report.materialized) != len(keys):
        sample = list(report.failed.items())[:3]
        raise BenchError(
            f"{home.label}: {len(report.materialized)} of {len(keys)} partitions of {kinds} "
            f"materialized, {len(report.failed)} failed, e.g. {sample}"
        )
    home.run_ids.extend(report.run_ids)
    return report.run_ids


def forget_kind(home: Home, kind: str) -> None:
    """Delete a kind's catalog rows and payload files, and the classifier answers this process kept
    (the bare side classified the same pages), so the next run does all its work again."""
    with home.catalog.engine.begin() as conn:
        conn.execute(derived_artifact.delete().where(derived_artifact.c.kind == kind))
    shutil.rmtree(home.store.path(f"artifacts/{kind}"), ignore_errors=True)
    forget_classifications()


def payload_of(home: Home, row: dict[str, Any], suffix: str = "") -> bytes:
    key = store_key_of(home.store, row["payload_uri"])
    return home.store.read_bytes(key.rsplit(".", 1)[0] + suffix if suffix else key)


def page_images(home: Home, kind: str) -> dict[str, Pages]:
    """Every page image of each key's current `kind` artifact (pages, or pii's redacted pages)."""
    rows = current_artifacts(home.catalog, kind, home.keys)
    images = {}
    for key in home.keys:
        manifest = json.loads(payload_of(home, rows[key]))
        numbers = [entry["page"] for entry in manifest["pages"]]
        images[key] = [
            (n, Image.open(io.BytesIO(payload_of(home, rows[key], page_suffix(n)))).convert("RGB")) for n in numbers
        ]
    return images


# ------------------------------------------------------------------------------ timing


@dataclass
class AssetRun:
    """One asset materialization; its wall time split in five parts that add up to it."""

    wall_s: float
    parts_s: dict[str, float]
    events: dict[str, int]  # Dagster events the run wrote, by type


# The five parts, in order; each ends where the next begins.
WALL_PARTS = {
    "before_step": "run creation, planning and run start, up to the asset's STEP_START",
    "model_step": "the asset's Stopwatch: processing_step ms (ocr: page PNG decode + OCR)",
    "rest_of_body": "the asset body around the model step (catalog, payload writes, metadata)",
    "after_body": "the body's return to the asset's STEP_SUCCESS (per-partition materializations)",
    "after_step": "the rest: check steps, run end, the launcher reading the result",
}


def run_events(instance: dg.DagsterInstance, run_id: str, step_key: str) -> tuple[dict[str, float], Counter]:
    """Timestamps of the asset step's start, body end and end; and the run's event counts by type."""
    marks: dict[str, float] = {}
    counts: Counter = Counter()
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        counts[event.event_type.value] += 1
        if entry.step_key != step_key:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            marks["start"] = entry.timestamp
        elif event.event_type in _BODY_END_EVENTS:
            marks.setdefault("body_end", entry.timestamp)
        elif event.event_type in _STEP_END_EVENTS:
            marks["end"] = entry.timestamp
    return marks, counts


def model_seconds(catalog: CatalogResource, run_id: str, kind: str) -> float:
    query = sa.select(sa.func.sum(processing_step.c.ms)).where(
        processing_step.c.run_id == run_id,
        processing_step.c.step == kind,
        processing_step.c.outcome == "ok",
    )
    with catalog.engine.connect() as conn:
        return (conn.execute(query).scalar() or 0.0) / 1000


class AssetTrial:
    """Materializes one asset over every key of a home, after forgetting its artifacts."""

    def __init__(self, home: Home, kind: str):
        self.home, self.kind = home, kind
        self.runs: list[AssetRun] = []

    def __call__(self, _round: int) -> float:
        forget_kind(self.home, self.kind)
        started, started_at = time.perf_counter(), time.time()
        run_ids = materialize(self.home, [self.kind], self.home.keys)
        wall, ended_at = time.perf_counter() - started, time.time()
        if len(run_ids) != 1:
            raise BenchError(f"{self.kind}: expected one batched run, got {len(run_ids)}")
        marks, counts = run_events(self.home.instance, run_ids[0], self.kind)
        model = model_seconds(self.home.catalog, run_ids[0], self.kind)
        parts = {
            "before_step": marks["start"] - started_at,
            "model_step": model,
            "rest_of_body": marks["body_end"] - marks["start"] - model,
            "after_body": marks["end"] - marks["body_end"],
            "after_step": ended_at - marks["end"],
        }
        self.runs.append(AssetRun(wall, parts, dict(counts)))
        return wall


def time_dagster_floor(home: Home) -> float:
    """One batched run of `source_media` over every key: Dagster's own cost per partition.

    Its body only reads the catalog rows and stats the originals, so the run is almost all
    Dagster: run start, one planned and one materialization event per partition, run end.
    """
    started = time.perf_counter()
    materialize(home, ["source_media"], home.keys)
    return time.perf_counter() - started


class BareOcrTrial:
    """`OcrRunner().recognize_pages` once per document, on page images decoded beforehand."""

    def __init__(self, pages: dict[str, Pages]):
        self.pages = pages
        self.runner = OcrRunner()
        self.texts: dict[str, list[str]] = {}

    def __call__(self, _round: int) -> float:
        started = time.perf_counter()
        spans = {key: self.runner.recognize_pages(pages) for key, pages in self.pages.items()}
        elapsed = time.perf_counter() - started
        self.texts = {key: [s.text for page in found for s in page] for key, found in spans.items()}
        return elapsed


class BareEmbedTrial:
    """One `Embedder().embed_images` call over every image, decoded beforehand."""

    def __init__(self, images: dict[str, Image.Image]):
        self.images = images
        self.embedder = Embedder()
        self.vectors = np.zeros((0, 0), dtype=np.float32)

    def __call__(self, _round: int) -> float:
        forget_classifications()  # the asset's run classified these pages: no answer kept from it
        started = time.perf_counter()
        self.vectors = self.embedder.embed_images(list(self.images.values()))
        return time.perf_counter() - started


def require_same_ocr(home: Home, bare: BareOcrTrial) -> None:
    rows = current_artifacts(home.catalog, "ocr", home.keys)
    for key in home.keys:
        asset_texts = [span["text"] for span in json.loads(payload_of(home, rows[key]))["spans"]]
        if asset_texts != bare.texts[key]:
            raise BenchError(f"ocr asset and bare engine read {key[:12]} differently")


def require_same_vectors(home: Home, bare: BareEmbedTrial) -> None:
    rows = current_artifacts(home.catalog, "visual_embedding", home.keys)
    asset = np.stack([vector_from_bytes(payload_of(home, rows[key])) for key in home.keys])
    if asset.shape != bare.vectors.shape or not np.allclose(asset, bare.vectors, atol=1e-5):
        raise BenchError("visual_embedding asset and bare embedder disagree on the vectors")


def warm_up(ocr_home: Home, photo_home: Home, ocr: BareOcrTrial, embed: BareEmbedTrial) -> None:
    """Load both models and run each asset once on two keys: neither side pays one-off costs."""
    first = next(iter(ocr.pages.values()))
    ocr.runner.recognize_pages(first)
    embed.embedder.embed_images(list(embed.images.values())[:2])
    for home, kind in ((ocr_home, "ocr"), (photo_home, "visual_embedding")):
        forget_kind(home, kind)
        materialize(home, [kind], home.keys[:2])


# ------------------------------------------------------------------------------ latency table


def step_latencies(home: Home) -> list[dict[str, Any]]:
    """p50/p95 of processing_step ms per step over the home's runs (set-up and timed)."""
    query = sa.select(processing_step.c.step, processing_step.c.ms).where(
        processing_step.c.run_id.in_(home.run_ids), processing_step.c.outcome == "ok"
    )
    with home.catalog.engine.connect() as conn:
        rows = conn.execute(query).all()
    by_step: dict[str, list[float]] = {}
    for step, ms in rows:
        by_step.setdefault(step, []).append(ms)
    return [
        {
            "home": home.label,
            "step": step,
            "n": len(values),
            "p50_ms": float(np.percentile(values, 50)),
            "p95_ms": float(np.percentile(values, 95)),
            "max_ms": max(values),
        }
        for step, values in by_step.items()
    ]


# ------------------------------------------------------------------------------ profile


# (label, file path suffix, function name): the parts of an asset run whose cumulative time the
# profile reports; nested parts are indented. Functions that are not found report 0.
# What ArtifactBatch does around every model call, and Dagster's event writes.
BATCH_PARTS = [
    ("  load_pages (read + decode PNGs)", "mm_assets/kinds/pages.py", "load_pages"),
    ("  ArtifactBatch.__init__", "mm_assets/artifacts.py", "__init__"),
    ("  ArtifactBatch.upstream", "mm_assets/artifacts.py", "upstream"),
    ("  ArtifactBatch.write (payload files)", "mm_assets/artifacts.py", "write"),
    ("  ArtifactBatch.finish", "mm_assets/artifacts.py", "finish"),
    ("    ArtifactBatch.flush (catalog rows)", "mm_assets/artifacts.py", "flush"),
]
EVENT_WRITES = ("Dagster event log writes (store_event)", "event_log/sqlite/sqlite_event_log.py", "store_event")
WHOLE_RUN = ("whole run (execute_in_process)", "dagster/_core/definitions/job_definition.py", "execute_in_process")
PROFILE_PARTS = {
    "ocr": [
        WHOLE_RUN,
        ("asset body", "mm_assets/kind_builder.py", "run_kind"),
        ("  OcrRunner.recognize_pages", "resources/ocr.py", "recognize_pages"),
        *BATCH_PARTS,
        ("ocr_quality check", "mm_assets/kinds/ocr.py", "ocr_quality_verdicts"),
        EVENT_WRITES,
    ],
    "visual_embedding": [
        WHOLE_RUN,
        ("asset body", "mm_assets/kind_builder.py", "run_kind"),
        ("  Embedder.embed_images", "resources/embedder.py", "embed_images"),
        *BATCH_PARTS,
        EVENT_WRITES,
    ],
}


@dataclass
class Profile:
    parts_s: dict[str, float]  # cumulative seconds of each PROFILE_PARTS entry, under cProfile
    top_self_time: str  # pstats listing of the functions with the most time of their own


def cumulative_seconds(stats: pstats.Stats, file_suffix: str, function: str) -> float:
    """Cumulative time of a function; of the outermost one where a name repeats in one file."""
    matches = [
        entry[3]
        for (filename, _line, name), entry in stats.stats.items()  # type: ignore[attr-defined]
        if name == function and filename.endswith(file_suffix)
    ]
    return max(matches, default=0.0)


def profile_asset(home: Home, kind: str, top: int) -> Profile:
    """cProfile of one more materialization of `kind`: its parts, and the top functions by self time."""
    forget_kind(home, kind)
    profiler = cProfile.Profile()
    profiler.enable()
    materialize(home, [kind], home.keys)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    parts = {label: cumulative_seconds(stats, suffix, name) for label, suffix, name in PROFILE_PARTS[kind]}
    stats.sort_stats("tottime").print_stats(top)
    return Profile(parts, text.getvalue())


# ------------------------------------------------------------------------------ main


def summarize(trial: AssetTrial, bare_s: list[float], items: int) -> dict[str, Any]:
    wall = [run.wall_s for run in trial.runs]
    ratio = median(wall) / median(bare_s)
    events = trial.runs[-1].events
    return {
        "items": items,
        "asset_s": {"median": median(wall), "samples": wall},
        "bare_s": {"median": median(bare_s), "samples": bare_s},
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
        "overhead_s_per_item": (median(wall) - median(bare_s)) / items,
        "asset_parts_s": {part: median([run.parts_s[part] for run in trial.runs]) for part in WALL_PARTS},
        "dagster_events": {"total": sum(events.values()), "by_type": events},
    }


def build_homes(args: argparse.Namespace, work: Path) -> tuple[Home, Home]:
    documents = make_document_pages(work / "documents", args.pages)
    photos = make_sample_images(work / "photos", args.images)
    ocr_home = prepare_home("documents", work / "documents_home", documents, ["source_media", "pages"], {})
    photo_home = prepare_home(
        "photos",
        work / "photos_home",
        photos,
        ["source_media", "pages", "ocr", "pii"],
        {"MM_OCR_ENGINE": "tesseract"},
    )
    return ocr_home, photo_home


def run(args: argparse.Namespace, work: Path) -> int:
    started = time.perf_counter()
    ocr_home, photo_home = build_homes(args, work)
    setup_s = time.perf_counter() - started
    try:
        result = {
            "benchmark": "steps",
            "machine": machine(),
            "repeats": args.repeats,
            "setup_s": setup_s,
            **measure(args, ocr_home, photo_home),
        }
        # after the latency table: profiled runs are slower and are not in it
        profiles = (
            {
                kind: profile_asset(home, kind, args.profile_top)
                for home, kind in ((ocr_home, "ocr"), (photo_home, "visual_embedding"))
            }
            if args.profile
            else {}
        )
        result["total_s"] = time.perf_counter() - started
    finally:
        ocr_home.dispose()
        photo_home.dispose()
    if args.json:
        if profiles:
            result["profile"] = {kind: asdict(profile) for kind, profile in profiles.items()}
        print_json(result)
    else:
        report(result, profiles)
    return 0


def measure(args: argparse.Namespace, ocr_home: Home, photo_home: Home) -> dict[str, Any]:
    """The interleaved rounds, the checks that both sides did the same work, and the summaries."""
    bare_ocr = BareOcrTrial(page_images(ocr_home, "pages"))
    redacted = page_images(photo_home, "pii")
    bare_embed = BareEmbedTrial({key: redacted[key][0][1] for key in photo_home.keys})
    warm_up(ocr_home, photo_home, bare_ocr, bare_embed)
    ocr_asset = AssetTrial(ocr_home, "ocr")
    embed_asset = AssetTrial(photo_home, "visual_embedding")
    samples = interleaved(
        {
            "ocr_asset": ocr_asset,
            "ocr_bare": bare_ocr,
            "visual_embedding_asset": embed_asset,
            "visual_embedding_bare": bare_embed,
            "dagster_floor": lambda _round: time_dagster_floor(photo_home),
        },
        args.repeats,
        swap_pairs=True,
    )
    require_same_ocr(ocr_home, bare_ocr)
    require_same_vectors(photo_home, bare_embed)
    floor = samples["dagster_floor"]
    return {
        "ocr": summarize(ocr_asset, samples["ocr_bare"], args.pages),
        "visual_embedding": summarize(embed_asset, samples["visual_embedding_bare"], args.images),
        "dagster_floor": {
            "asset": "source_media",
            "items": args.images,
            "s": {"median": median(floor), "samples": floor},
            "ms_per_item": 1000 * median(floor) / args.images,
        },
        "step_latency": step_latencies(ocr_home) + step_latencies(photo_home),
    }


def report(result: dict[str, Any], profiles: dict[str, Profile]) -> None:
    print(
        f"asset vs bare model call, median of {result['repeats']} interleaved rounds, "
        f"{result['machine']['cpus']} CPUs (set-up {result['setup_s']:.0f} s, not timed; "
        f"whole benchmark {result['total_s']:.0f} s)"
    )
    kinds = (("ocr", "pages"), ("visual_embedding", "images"))
    rows = []
    for name, unit in kinds:
        side = result[name]
        rows.append(
            (
                f"{name} ({side['items']} {unit})",
                side["asset_s"]["median"],
                side["bare_s"]["median"],
                f"{side['ratio']:.3f}x",
                verdict(side["meets_target"]),
                1000 * side["overhead_s_per_item"],
                " ".join(
                    f"{a:.2f}/{b:.2f}"
                    for a, b in zip(side["asset_s"]["samples"], side["bare_s"]["samples"], strict=True)
                ),
            )
        )
    print_table(
        ("asset", "asset s", "bare s", "ratio", f"<= {TARGET_RATIO}x", "overhead ms/item", "samples asset/bare s"),
        rows,
    )
    floor = result["dagster_floor"]
    print(
        f"dagster floor: a run of source_media (almost no body) over the {floor['items']} photo partitions "
        f"took {floor['s']['median']:.2f} s, {floor['ms_per_item']:.1f} ms per partition"
    )
    print("\nwhere the asset's wall time goes (medians, seconds)")
    print_table(
        ("part", *(name for name, _ in kinds), "what it is"),
        [
            (part, *(result[name]["asset_parts_s"][part] for name, _ in kinds), what)
            for part, what in WALL_PARTS.items()
        ],
    )
    for name, _ in kinds:
        events = result[name]["dagster_events"]
        top = sorted(events["by_type"].items(), key=lambda item: -item[1])[:4]
        listing = ", ".join(f"{kind} {count}" for kind, count in top)
        print(f"  {name}: the run wrote {events['total']} Dagster events ({listing}, ...)")
    print("\nper-step latency from processing_step rows (set-up, warm-up and timed runs; not the profiled ones)")
    print_table(
        ("home", "step", "n", "p50 ms", "p95 ms", "max ms"),
        [(r["home"], r["step"], r["n"], r["p50_ms"], r["p95_ms"], r["max_ms"]) for r in result["step_latency"]],
    )
    print(
        "visual_embedding rows hold the batch's embed time divided evenly, so p50 = p95 there; "
        "photo-home ocr is Tesseract"
    )
    for kind, profile in profiles.items():
        print(f"\ncProfile of one more {kind} materialization (cProfile slows Python code more than")
        print("native model code, so read the parts against each other, not against the timings):")
        print_table(("part", "cumulative s"), list(profile.parts_s.items()))
        print(f"top {kind} functions by self time:")
        print(profile.top_self_time)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="one-page documents (default 20)")
    parser.add_argument("--images", type=int, default=200, help="photos (default 200)")
    parser.add_argument(
        "--repeats", type=int, default=4, help="interleaved rounds, odd ones in swapped order; medians (default 4)"
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--profile", action="store_true", help="cProfile one more run of each asset at the end")
    parser.add_argument("--profile-top", type=int, default=30, help="profile rows (default 30)")
    parser.add_argument("--dir", type=Path, default=None, help="where to build the temp data (default: system temp)")
    add_event_log_argument(parser)
    args = parser.parse_args()
    use_event_log(args)
    positive(parser, pages=args.pages, images=args.images, repeats=args.repeats)
    if args.pages < 2 or args.images < 2:
        parser.error("--pages and --images must be at least 2 (the warm-up runs on two)")
    return args


def main() -> int:
    args = parse_arguments()
    return run_in_workdir("steps", args, run)


if __name__ == "__main__":
    sys.exit(main())
