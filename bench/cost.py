"""What cost accounting costs, side by side with the step time it measures (target: <= 2%).

A real home: `--n` sample images ingested for two tenants (one with a daily budget, so the budget
gate queries the catalog before each batch), then `source_media,pages,ocr,pii,caption` materialized in
batched in-process runs. The steps' own ms come from their `processing_step` rows.

The accounting, timed on the same objects with `--loops` repetitions each:
- per step: the Stopwatch (wall + process CPU time + the model-call counter) around the step, its
  effort shared over a batch, the units and price (`KindRun.step_cost`), and the step record with
  its cost columns (`ArtifactBatch.step`, the whole record: an upper bound of what accounting adds);
- per model call: the counting proxy (`CountedModel`) against a direct call;
- the budget gate (`BudgetGate.split`, two catalog queries), which runs once per batch in `mm` and
  again at the start of every kind's step (`budgets.hold_step`): its share of each step (one check
  per step, over the step's batch) in the step rows, and all the checks of a materialize (one per
  batch plus one per step) against the summed step time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import sqlalchemy as sa

from bench._common import (
    BenchError,
    common_arguments,
    machine,
    make_sample_images,
    positive,
    print_json,
    print_table,
    run_in_workdir,
    verdict,
)
from mm_assets.artifacts import ArtifactBatch
from mm_assets.definitions import build_definitions
from mm_assets.kind_spec import CountedModel, KindBuild, KindRun, Made
from mm_assets.kinds import all_kinds
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.budgets import BudgetGate, set_budget
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import load_settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, processing_step
from resources.stores import open_store

KINDS = ("source_media", "pages", "ocr", "pii", "caption")
TARGET = 0.02


def per_call_us(work, loops: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for _ in range(loops):
        work()
    return (time.perf_counter() - started) / loops * 1e6


def build_home(work: Path, n: int, batch_size: int):  # type: ignore[no-untyped-def]
    settings = load_settings({"MM_HOME": str(work / "home"), "MM_RUN_BATCH_SIZE": str(batch_size)})
    catalog = CatalogResource(url=settings.catalog_url)
    images = make_sample_images(work / "media", n)
    keys = []
    for tenant, part in (("acme", images[: n // 2]), ("beta", images[n // 2 :])):
        report = ingest_paths(
            part,
            catalog=catalog,
            store=open_store(settings.store_root),
            caps=settings.caps,
            options=IngestOptions(tenant),
        )
        keys += report.new_partition_keys
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
    set_budget(catalog, "acme", 1000.0, "bench")  # far above: the gate checks, and holds nothing
    defs = build_definitions(settings)
    gate = BudgetGate(catalog)
    started = time.perf_counter()
    report = materialize_partitions(defs, instance, [dg.AssetKey(k) for k in KINDS], keys, batch_size, budget=gate)
    wall_s = time.perf_counter() - started
    if report.failed or report.held:
        raise BenchError(f"materialize failed {report.failed} or held {report.held}")
    return settings, catalog, defs, keys, wall_s


def step_ms(catalog: CatalogResource) -> dict[str, tuple[int, float]]:
    """Steps per kind and their mean ms."""
    query = (
        sa.select(processing_step.c.step, sa.func.count(), sa.func.avg(processing_step.c.ms))
        .where(processing_step.c.outcome == "ok")
        .group_by(processing_step.c.step)
    )
    with catalog.engine.connect() as conn:
        return {step: (count, float(mean)) for step, count, mean in conn.execute(query)}


def accounting_us(settings, catalog, defs, keys, loops: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Microseconds of each accounting part, on real settings, spec, source rows and a model resource."""
    spec = next(s for s in all_kinds() if s.name == "ocr")
    sources = catalog.source_rows(keys)
    batch = SimpleNamespace(
        sources=sources, context=SimpleNamespace(run=SimpleNamespace(run_id="bench")), _steps=[], kind="ocr"
    )
    build = KindBuild(settings, {"ocr_runner": "bench"}, "bench")
    run = KindRun(spec, build, None, defs.resources, batch, {}, {})  # type: ignore[arg-type]
    key, made = keys[0], Made({"mean_confidence": 0.9})

    def stopwatch() -> None:
        with run.stopwatch() as watch:
            pass
        watch.effort.share(4)

    def cost_and_record() -> None:
        effort = SimpleNamespace(ms=12.0, cpu_s=0.01, model_calls=1)
        cost = run.step_cost(key, effort, made)  # type: ignore[arg-type]
        ArtifactBatch.step(batch, key, "ok", effort, cost, **made.step)  # type: ignore[arg-type]
        batch._steps.clear()

    model = SimpleNamespace(recognize=lambda items: items)
    counted = CountedModel(model, run)
    items: list[int] = []
    direct = per_call_us(lambda: model.recognize(items), loops)
    proxied = per_call_us(lambda: counted.recognize(items), loops)
    gate = BudgetGate(catalog)
    batch_keys = keys[: settings.run_batch_size]
    return {
        "stopwatch_us": per_call_us(stopwatch, loops),
        "cost_and_record_us": per_call_us(cost_and_record, loops),
        "model_call_proxy_us": max(proxied - direct, 0.0),
        "budget_gate_us_per_batch": per_call_us(lambda: gate.split(batch_keys), max(loops // 100, 10)),
    }


def run(args: argparse.Namespace, work: Path) -> int:
    settings, catalog, defs, keys, wall_s = build_home(work, args.n, args.batch_size)
    steps = step_ms(catalog)
    parts = accounting_us(settings, catalog, defs, keys, args.loops)
    per_step_us = parts["stopwatch_us"] + parts["cost_and_record_us"]
    rows, worst = [], 0.0
    for kind in KINDS[1:]:
        count, mean_ms = steps[kind]
        calls = 1.0 if kind in ("ocr", "pii", "caption") else 0.0  # model calls per step, at most one each
        # the step's own budget check runs once for its batch: each partition's share of it
        step_gate_us = parts["budget_gate_us_per_batch"] / args.batch_size
        overhead_us = per_step_us + calls * parts["model_call_proxy_us"] + step_gate_us
        ratio = overhead_us / (mean_ms * 1000)
        worst = max(worst, ratio)
        rows.append([kind, count, round(mean_ms, 2), round(overhead_us, 2), f"{ratio:.4%}"])
    batches = -(-len(keys) // args.batch_size)
    step_total_ms = sum(count * mean for kind, (count, mean) in steps.items() if kind in KINDS)
    gate_checks = batches * len(KINDS) + batches  # every step of every batch, and mm before each batch
    gate_ratio = parts["budget_gate_us_per_batch"] * gate_checks / (step_total_ms * 1000)
    worst = max(worst, gate_ratio)
    payload = {
        "machine": machine(),
        "n": args.n,
        "batch_size": args.batch_size,
        "materialize_wall_s": round(wall_s, 2),
        "accounting_us": {name: round(value, 3) for name, value in parts.items()},
        "steps": {
            row[0]: {"steps": row[1], "mean_ms": row[2], "accounting_us": row[3], "ratio": row[4]} for row in rows
        },
        "budget_gate_ratio": gate_ratio,
        "worst_ratio": worst,
        "target": TARGET,
        "met": worst <= TARGET,
    }
    if args.json:
        print_json(payload)
        return 0
    print(f"{args.n} images, 2 tenants, batches of {args.batch_size}: materialize {wall_s:.1f} s")
    print("accounting per part (us): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
    print_table(["step", "steps", "mean step ms", "accounting us/step", "accounting / step"], rows)
    print(f"budget gate: {gate_checks} check(s), {gate_ratio:.4%} of the batches' step time")
    print(f"worst ratio {worst:.4%} (target <= {TARGET:.0%}): {verdict(worst <= TARGET)}")
    return 0


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=24, default_repeats=1)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--loops", type=int, default=20000, help="repetitions of each accounting part")
    args = parser.parse_args()
    positive(parser, n=args.n, batch_size=args.batch_size, loops=args.loops)
    return run_in_workdir("cost", args, run)


if __name__ == "__main__":
    sys.exit(main())
