"""`mm status` on PostgreSQL vs SQLite over the same partitions, in one process.

    python bench/status.py [--n 10000] [--pages 1000] [--repeats 3] [--batch 1000] [--json] [--dir D]

Builds two homes with the same n tiny images (not timed): one embedded (SQLite catalog, SQLite
Dagster instance with the pooled event log) and one scale-out (PostgreSQL catalog and
dagster-postgres, a fresh database on MM_BENCH_PG_URL). On each, `source_media` is materialized
for every partition and `pages` for the first --pages, in batched runs; then `source_media`'s code
version is bumped and the first half re-materialized, so half of `source_media` is stale by code and
the redone `pages` stale by a new input: the status has every kind of answer to find. Then
`collect_status` (the whole of `mm status` but printing) over every asset is timed, interleaved,
and the PostgreSQL connections it opens are counted. Target: PostgreSQL at most 2x SQLite.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import dagster as dg
from _common import (
    ConnectionCounter,
    bench_settings,
    common_arguments,
    interleaved,
    machine,
    median,
    positive,
    postgres_database,
    print_json,
    print_table,
    run_in_workdir,
    verdict,
)
from PIL import Image

import mm_assets.kinds.source_media as source_media_module
from mm_assets.definitions import build_definitions
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.stores import open_store

TARGET_RATIO = 2.0
MATERIALIZED = [dg.AssetKey("source_media"), dg.AssetKey("pages")]


def tiny_images(folder: Path, count: int) -> list[Path]:
    """`count` 8x8 PNGs with distinct bytes: status cost depends on partitions, not on pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"img_{i:05d}.png"
        Image.new("RGB", (8, 8), (i % 256, (i // 256) % 256, (i // 65536) % 256)).save(path)
        paths.append(path)
    return paths


def build_home(
    settings: Settings, images: Sequence[Path], batch: int, pages: int
) -> tuple[dg.Definitions, dg.DagsterInstance]:
    """Ingest, materialize source_media and pages, upgrade source_media and redo half: not timed."""
    report = ingest_paths(
        list(images),
        catalog=CatalogResource(url=settings.catalog_url),
        store=open_store(settings.store_root),
        caps=settings.caps,
        options=IngestOptions(),
    )
    keys = report.new_partition_keys
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
    defs = build_definitions(settings)
    materialize_partitions(defs, instance, MATERIALIZED[:1], keys, batch)
    materialize_partitions(defs, instance, MATERIALIZED[1:], keys[:pages], batch)
    spec = source_media_module.SPEC
    source_media_module.SPEC = replace(spec, logic_version="2")
    try:
        upgraded = build_definitions(settings)
    finally:
        source_media_module.SPEC = spec
    materialize_partitions(upgraded, instance, MATERIALIZED[:1], keys[: len(keys) // 2], batch)
    return upgraded, instance


def status_trial(defs: dg.Definitions, instance: dg.DagsterInstance, answers: list) -> Callable[[int], float]:
    def trial(_round: int) -> float:
        started = time.perf_counter()
        status = collect_status(defs, instance)
        elapsed = time.perf_counter() - started
        answers.append({name: s.counts() for name, s in status.items()})
        return elapsed

    return trial


def run(args: argparse.Namespace, work: Path) -> int:
    images = tiny_images(work / "inputs", args.n)
    with ExitStack() as stack:
        pg_url = stack.enter_context(postgres_database("mm_bench_status"))
        homes = {
            "sqlite": bench_settings({"MM_HOME": str(work / "sqlite")}),
            "postgres": bench_settings(
                {
                    "MM_HOME": str(work / "postgres"),
                    "MM_CATALOG_URL": pg_url,
                    "MM_DAGSTER_PG_URL": pg_url,
                }
            ),
        }
        setup_s, trials, answers = {}, {}, {}
        for name, settings in homes.items():
            started = time.perf_counter()
            defs, instance = build_home(settings, images, args.batch, args.pages)
            stack.callback(instance.dispose)
            setup_s[name] = time.perf_counter() - started
            answers[name] = []
            trials[name] = status_trial(defs, instance, answers[name])
        counter = ConnectionCounter()
        postgres_trial = trials["postgres"]

        def counted_postgres(round_number: int) -> float:
            with counter:
                return postgres_trial(round_number)

        trials["postgres"] = counted_postgres
        samples = interleaved(trials, args.repeats)
    if answers["sqlite"][-1] != answers["postgres"][-1]:
        print(f"status differs: sqlite {answers['sqlite'][-1]} postgres {answers['postgres'][-1]}", file=sys.stderr)
        return 1
    ratio = median(samples["postgres"]) / median(samples["sqlite"])
    result = {
        "benchmark": "status",
        "machine": machine(),
        "partitions": args.n,
        "pages_materialized": min(args.pages, args.n),
        "assets": len(answers["sqlite"][-1]),
        "repeats": args.repeats,
        "setup_s": setup_s,
        "status_s": {name: {"median": median(values), "samples": values} for name, values in samples.items()},
        "postgres_connections_per_status": counter.opened / args.repeats,
        "counts": answers["sqlite"][-1],
        "ratio_postgres_to_sqlite": ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
    }
    if args.json:
        print_json(result)
    else:
        report(result)
    return 0


def report(result: dict) -> None:
    print(
        f"`mm status` over {result['partitions']} partitions x {result['assets']} assets, median of "
        f"{result['repeats']} interleaved rounds, {result['machine']['cpus']} CPUs"
    )
    rows = [
        (name, times["median"], " ".join(f"{s:.2f}" for s in times["samples"]), result["setup_s"][name])
        for name, times in result["status_s"].items()
    ]
    print_table(("instance + catalog", "status s", "samples s", "setup s (not timed)"), rows)
    stale = {name: c["stale"] for name, c in result["counts"].items() if c["stale"]}
    print(f"stale partitions found: {stale} (pages materialized for {result['pages_materialized']})")
    print(f"PostgreSQL connections opened per status: {result['postgres_connections_per_status']:.0f}")
    print(
        f"PostgreSQL / SQLite: {result['ratio_postgres_to_sqlite']:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x: {verdict(result['meets_target'])})"
    )


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=10_000, default_repeats=3)
    parser.add_argument("--batch", type=int, default=1000, help="partitions per setup run (default 1000)")
    parser.add_argument("--pages", type=int, default=1000, help="partitions whose pages are materialized (1000)")
    args = parser.parse_args()
    positive(parser, n=args.n, repeats=args.repeats, batch=args.batch, pages=args.pages)
    return run_in_workdir("status", args, run)


if __name__ == "__main__":
    sys.exit(main())
