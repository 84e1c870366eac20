"""Batched runs vs one run per partition, through the real asset graph, in one process.

    python bench/orchestration.py [--n 200] [--per-item-n 20] [--select KIND[,KIND]] [--repeats 3]
                                  [--extra-partitions 0] [--instance sqlite|postgres] [--json]

Each round builds two fresh MM_HOMEs (n ingested photos, registered as partitions; not timed) and
times `materialize_partitions` on them: (a) batch_size=n, one run over every partition, and
(b) batch_size=1, one run per partition. A run per partition costs about 0.75 s, so (b) runs over
the first --per-item-n of the n registered partitions (--per-item-n N runs all of them);
both are reported in seconds per item. Targets: (b)/(a) per item at least 7x, and the batched
orchestration overhead under 0.1 s per item, where overhead = wall time minus the time inside the
asset bodies, read from the Dagster event log (STEP_START to the step's first STEP_OUTPUT or
ASSET_MATERIALIZATION, summed over steps). --extra-partitions registers more keys (with no
source) before the photos, to show how the partition count weighs on each run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
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
    postgres_database,
    print_json,
    print_table,
    use_event_log,
    verdict,
)

from mm_assets.definitions import build_definitions
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.media_store import LocalBlobStore

TARGET_SPEEDUP = 7.0
TARGET_OVERHEAD_S_PER_ITEM = 0.1
# Events that mark the end of an asset body: outputs and materializations come after it returns.
_BODY_END_EVENTS = {dg.DagsterEventType.STEP_OUTPUT, dg.DagsterEventType.ASSET_MATERIALIZATION}


class UnknownAssetSelection(BenchError):
    """--select named an asset that the Definitions do not have."""


@dataclass
class Home:
    """A fresh MM_HOME with the photos ingested and registered as partitions."""

    defs: dg.Definitions
    instance: dg.DagsterInstance
    keys: list[str]


def prepare_home(
    root: Path, photos: Sequence[Path], extra_partitions: int = 0, postgres_url: str | None = None
) -> Home:
    """Ingest `photos` and register them, after `extra_partitions` keys that have no source."""
    env = {"MM_HOME": str(root)}
    if postgres_url:  # the catalog and the Dagster instance on PostgreSQL, the store local as before
        env.update(MM_CATALOG_URL=postgres_url, MM_DAGSTER_PG_URL=postgres_url)
    settings = bench_settings(env)
    store = LocalBlobStore(settings.store_root)  # first: it creates MM_HOME, the catalog does not
    catalog = CatalogResource(url=settings.catalog_url)
    report = ingest_paths(list(photos), catalog=catalog, store=store, caps=settings.caps, options=IngestOptions())
    catalog.engine.dispose()
    if len(report.accepted) != len(photos):
        raise BenchError(f"ingest accepted {len(report.accepted)} of {len(photos)} photos")
    instance = get_instance(settings)
    padding = [hashlib.sha256(f"padding {i}".encode()).hexdigest() for i in range(extra_partitions)]
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, padding + report.new_partition_keys)
    return Home(build_definitions(settings), instance, report.new_partition_keys)


def selected_asset_keys(defs: dg.Definitions, select: Sequence[str] | None) -> list[dg.AssetKey]:
    known = {key.to_user_string(): key for key in defs.resolve_asset_graph().materializable_asset_keys}
    names = [name.strip() for item in select or [] for name in item.split(",") if name.strip()]
    if not names:
        return sorted(known.values())
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise UnknownAssetSelection(f"unknown asset(s) {unknown} in --select; known: {sorted(known)}")
    return [known[name] for name in names]


def seconds_in_asset_bodies(instance: dg.DagsterInstance, run_ids: Sequence[str]) -> float:
    """Sum over the runs' steps of STEP_START to the first output/materialization of that step."""
    total = 0.0
    for run_id in run_ids:
        started: dict[str, float] = {}
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or entry.step_key is None:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                started[entry.step_key] = entry.timestamp
            elif event.event_type in _BODY_END_EVENTS and entry.step_key in started:
                total += entry.timestamp - started.pop(entry.step_key)
    return total


@dataclass
class Measured:
    wall_s: float
    body_s: float
    items: int
    runs: int


class MaterializeTrial:
    """One fresh MM_HOME per round; times `materialize_partitions` over its first `items` keys."""

    def __init__(
        self,
        work: Path,
        photos: Sequence[Path],
        select: Sequence[str] | None,
        items: int,
        batch_size: int,
        label: str,
        extra_partitions: int = 0,
        postgres: bool = False,
    ):
        self.work, self.photos, self.select = work, photos, select
        self.items, self.batch_size, self.label = items, batch_size, label
        self.extra_partitions = extra_partitions
        self.postgres = postgres
        self.measured: list[Measured] = []
        self.asset_keys: list[dg.AssetKey] = []

    def __call__(self, round_number: int) -> float:
        with ExitStack() as stack:
            url = stack.enter_context(postgres_database("mm_bench_orch")) if self.postgres else None
            home = prepare_home(self.work / f"{self.label}_{round_number}", self.photos, self.extra_partitions, url)
            try:
                self.asset_keys = selected_asset_keys(home.defs, self.select)
                measured = self.measure(home)
            finally:
                home.instance.dispose()
        self.measured.append(measured)
        return measured.wall_s / measured.items

    def measure(self, home: Home) -> Measured:
        keys = home.keys[: self.items]
        os.sync()  # the untimed ingest's writes are not paid inside the timing
        started = time.perf_counter()
        report = materialize_partitions(home.defs, home.instance, self.asset_keys, keys, self.batch_size)
        wall = time.perf_counter() - started
        if report.failed or len(report.materialized) != len(keys):
            sample = list(report.failed.items())[:3]
            raise BenchError(
                f"{self.label}: {len(report.materialized)} of {len(keys)} partitions materialized, "
                f"{len(report.failed)} failed, e.g. {sample}"
            )
        body = seconds_in_asset_bodies(home.instance, report.run_ids)
        return Measured(wall, body, len(keys), len(report.run_ids))


def warm_up(work: Path, photos: Sequence[Path], select: Sequence[str] | None) -> None:
    """First runs in a process pay one-off imports and caches; neither side should pay them."""
    for batch_size, label in ((4, "warm_batched"), (1, "warm_per_item")):
        MaterializeTrial(work, photos[:4], select, 4, batch_size, label)(0)


def summarize(trial: MaterializeTrial, s_per_item: list[float]) -> dict[str, object]:
    body = [m.body_s / m.items for m in trial.measured]
    overhead = [(m.wall_s - m.body_s) / m.items for m in trial.measured]
    return {
        "items": trial.measured[0].items,
        "runs": trial.measured[0].runs,
        "batch_size": trial.batch_size,
        "s_per_item": {"median": median(s_per_item), "samples": s_per_item},
        "wall_s": [m.wall_s for m in trial.measured],
        "body_s_per_item": median(body),
        "overhead_s_per_item": {"median": median(overhead), "samples": overhead},
    }


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=200, default_repeats=3)
    parser.add_argument(
        "--per-item-n",
        type=int,
        default=20,
        help="partitions run one per run, out of --n registered (default 20; ~0.75 s each)",
    )
    parser.add_argument(
        "--extra-partitions",
        type=int,
        default=0,
        help="register this many more keys (no source) first, to see how the partition count "
        "weighs on each run (default 0)",
    )
    parser.add_argument(
        "--select",
        action="append",
        default=None,
        help="asset keys to materialize, comma-separated or repeated (default: every asset)",
    )
    add_event_log_argument(parser)
    parser.add_argument(
        "--instance",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="postgres: also time the batched run with the catalog and the Dagster instance on PostgreSQL "
        "(a fresh database per round on MM_BENCH_PG_URL) and print PostgreSQL/SQLite",
    )
    args = parser.parse_args()
    use_event_log(args)
    positive(parser, n=args.n, repeats=args.repeats, per_item_n=args.per_item_n)
    if args.extra_partitions < 0:
        parser.error(f"--extra-partitions must be 0 or more, got {args.extra_partitions}")
    args.per_item_n = min(args.per_item_n, args.n)
    work = Path(tempfile.mkdtemp(prefix="mm-bench-orchestration-", dir=args.dir))
    try:
        return run(args, work)
    except UnknownAssetSelection as exc:
        parser.error(str(exc))
    except BenchError as exc:
        print(f"orchestration benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    photos = make_sample_images(work / "inputs", args.n)
    warm_up(work, photos, args.select)
    extra = args.extra_partitions
    batched = MaterializeTrial(work, photos, args.select, args.n, args.n, "batched", extra)
    per_item = MaterializeTrial(work, photos, args.select, args.per_item_n, 1, "per_item", extra)
    trials = {"batched": batched, "per_item": per_item}
    if args.instance == "postgres":
        trials["batched_postgres"] = MaterializeTrial(
            work, photos, args.select, args.n, args.n, "batched_postgres", extra, postgres=True
        )
    samples = interleaved(trials, args.repeats)
    result = {
        "benchmark": "orchestration",
        "machine": machine(),
        "assets": [key.to_user_string() for key in batched.asset_keys],
        "partitions_registered": args.n + extra,
        "extra_partitions": extra,
        "repeats": args.repeats,
        "batched": summarize(batched, samples["batched"]),
        "per_item": summarize(per_item, samples["per_item"]),
    }
    if args.instance == "postgres":
        result["batched_postgres"] = summarize(trials["batched_postgres"], samples["batched_postgres"])
        result["ratio_postgres_to_sqlite"] = median(samples["batched_postgres"]) / median(samples["batched"])
    speedup = median(samples["per_item"]) / median(samples["batched"])
    overhead = result["batched"]["overhead_s_per_item"]["median"]
    result.update(
        speedup=speedup,
        target_speedup=TARGET_SPEEDUP,
        target_overhead_s_per_item=TARGET_OVERHEAD_S_PER_ITEM,
        meets_speedup_target=speedup >= TARGET_SPEEDUP,
        meets_overhead_target=overhead < TARGET_OVERHEAD_S_PER_ITEM,
    )
    if args.json:
        print_json(result)
    else:
        report(result)
    return 0


def report(result: dict) -> None:
    print(
        f"materialize {', '.join(result['assets'])} over {result['partitions_registered']} "
        f"registered partitions, median of {result['repeats']} interleaved rounds, "
        f"{result['machine']['cpus']} CPUs"
    )
    rows = []
    for name in ("batched", "batched_postgres", "per_item"):
        if name not in result:
            continue
        side = result[name]
        rows.append(
            (
                f"{name} (batch_size={side['batch_size']})",
                side["items"],
                side["runs"],
                side["s_per_item"]["median"],
                side["body_s_per_item"],
                side["overhead_s_per_item"]["median"],
                " ".join(f"{s:.4f}" for s in side["s_per_item"]["samples"]),
            )
        )
    print_table(
        ("mode", "items", "runs", "s/item", "body s/item", "overhead s/item", "samples s/item"),
        rows,
    )
    overhead = result["batched"]["overhead_s_per_item"]["median"]
    if "ratio_postgres_to_sqlite" in result:
        print(f"batched, PostgreSQL / SQLite (catalog + Dagster instance): {result['ratio_postgres_to_sqlite']:.2f}x")
    print(
        f"speed-up per item, batched vs one run per partition: {result['speedup']:.1f}x "
        f"(target >= {TARGET_SPEEDUP:.0f}x: {verdict(result['meets_speedup_target'])})"
    )
    print(
        f"batched orchestration overhead: {overhead:.4f} s/item (target < "
        f"{TARGET_OVERHEAD_S_PER_ITEM} s/item: {verdict(result['meets_overhead_target'])}); "
        "body = STEP_START to the step's first output or materialization in the event log"
    )


if __name__ == "__main__":
    sys.exit(main())
