"""What one step instead of 23 would save an upload's run: Dagster's bookkeeping alone, side by side.

    python bench/step_count.py [--runs 10] [--json] [--dir D]

An interactive upload's answering run has 16 asset steps and 7 check steps (bench/upload_phases.py).
The idea weighed here (issue 20, round 2) was to run those kinds' bodies as one step. Three jobs with
trivial bodies, so that only Dagster's work is measured, on a pooled SQLite instance (the one `mm`
homes use) through `run_submission.PreparedInProcessJob` (the server's path: combined event writes,
run data versions), one partition per run, interleaved A, B, C, A, B, C, ...:
- steps: 16 partitioned assets (a chain, each also reading the first) and 7 partitioned checks, each
  logging its partition's evaluation as `checks.report_partition_checks` does: 23 steps;
- one: the same 16 keys, deps, code versions and checks as one `multi_asset` step;
- fixed: a single asset without checks (a run's cost before any step of ours).
Reported: median thread CPU and wall per run (thread CPU is the measure on a loaded machine), events
per run, the one/steps ratio, and whether the two record the same data version tags (they do not:
a step reading a partitioned parent from an earlier step stamps Dagster's hash over the input
partitions' data versions, a parent made earlier in the same step stamps its raw data version).
No `from __future__ import annotations`: Dagster reads the bodies' context annotations.
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import dagster as dg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mm_assets.dagster_internals.event_log_storage import load_instance  # noqa: E402
from mm_assets.dagster_internals.run_submission import PreparedInProcessJob  # noqa: E402

ASSETS, CHECKS = 16, 7
PARTITIONS = dg.DynamicPartitionsDefinition(name="content_hash")
DAGSTER_YAML = """event_log_storage:
  module: mm_assets.dagster_internals.event_log_storage
  class: PooledSqliteEventLogStorage
  config:
    dagster_home: {home}
telemetry:
  enabled: false
"""


def parents(i: int) -> list[str]:
    return [] if i == 0 else sorted({f"a{i - 1}", "a0"})


def steps_job() -> dg.JobDefinition:
    def asset(i: int) -> dg.AssetsDefinition:
        @dg.asset(name=f"a{i}", deps=parents(i), code_version=f"v{i}", partitions_def=PARTITIONS)
        def body(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
            return dg.MaterializeResult(metadata={"n": 1})

        return body

    def check(i: int) -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=f"a{i}", name=f"c{i}", partitions_def=PARTITIONS)
        def body(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
            evaluation = dg.AssetCheckEvaluation(
                asset_key=dg.AssetKey(f"a{i}"), check_name=f"c{i}", passed=True, partition=context.partition_key
            )
            context.op_execution_context.log_event(evaluation)
            return dg.AssetCheckResult(passed=True)

        return body

    job = dg.define_asset_job("steps", selection=dg.AssetSelection.all())
    definitions = dg.Definitions(
        assets=[asset(i) for i in range(ASSETS)], asset_checks=[check(i) for i in range(CHECKS)], jobs=[job]
    )
    return definitions.resolve_job_def("steps")


def one_step_job() -> dg.JobDefinition:
    specs = [
        dg.AssetSpec(f"a{i}", deps=parents(i), code_version=f"v{i}", partitions_def=PARTITIONS) for i in range(ASSETS)
    ]
    check_specs = [dg.AssetCheckSpec(f"c{i}", asset=f"a{i}") for i in range(CHECKS)]

    @dg.multi_asset(specs=specs, check_specs=check_specs, name="one")
    def one(context: dg.AssetExecutionContext):  # type: ignore[no-untyped-def]
        for i in range(ASSETS):  # in graph order, so each parent is stored before its child reads it
            yield dg.MaterializeResult(asset_key=f"a{i}", metadata={"n": 1})
            if i < CHECKS:
                evaluation = dg.AssetCheckEvaluation(
                    asset_key=dg.AssetKey(f"a{i}"), check_name=f"c{i}", passed=True, partition=context.partition_key
                )
                context.log_event(evaluation)
                yield dg.AssetCheckResult(asset_key=f"a{i}", check_name=f"c{i}", passed=True)

    job = dg.define_asset_job("one", selection=dg.AssetSelection.all())
    return dg.Definitions(assets=[one], jobs=[job]).resolve_job_def("one")


def fixed_job() -> dg.JobDefinition:
    @dg.asset(name="a0", code_version="v0", partitions_def=PARTITIONS)
    def only(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"n": 1})

    job = dg.define_asset_job("fixed", selection=dg.AssetSelection.all())
    return dg.Definitions(assets=[only], jobs=[job]).resolve_job_def("fixed")


def one_run(instance: dg.DagsterInstance, prepared: PreparedInProcessJob, name: str) -> tuple[float, float, int, str]:
    key = f"{name}-{uuid.uuid4().hex[:12]}"
    instance.add_dynamic_partitions(PARTITIONS.name, [key])
    started, cpu_started = time.perf_counter(), time.thread_time()
    result = prepared.execute({"dagster/partition": key}, str(uuid.uuid4()))
    cpu, wall = time.thread_time() - cpu_started, time.perf_counter() - started
    if not result.success:
        raise RuntimeError(f"the {name} run failed")
    return cpu, wall, len(result.all_events), key


def version_tags(instance: dg.DagsterInstance, key: str) -> dict[str, dict[str, str]]:
    """Each asset's data version, code version and input data version tags for partition `key`."""
    tags = {}
    for i in range(ASSETS):
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(f"a{i}"), asset_partitions=[key]), limit=1
        ).records
        of_record = records[0].asset_materialization.tags or {}
        tags[f"a{i}"] = {name: value for name, value in of_record.items() if "event_pointer" not in name}
    return tags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mm_bench_step_count_", dir=args.dir))
    try:
        (home / "dagster.yaml").write_text(DAGSTER_YAML.format(home=home))
        with load_instance(str(home), capture_compute_logs=False) as instance:
            jobs = {"steps": steps_job(), "one": one_step_job(), "fixed": fixed_job()}
            prepared = {name: PreparedInProcessJob(job, instance, {}) for name, job in jobs.items()}
            samples: dict[str, list[tuple[float, float, int, str]]] = {name: [] for name in jobs}
            for round_ in range(args.runs + 1):
                for name in jobs:
                    sample = one_run(instance, prepared[name], name)
                    if round_:  # the first round warms caches and opens the shards
                        samples[name].append(sample)
            same_tags = version_tags(instance, samples["steps"][-1][3]) == version_tags(instance, samples["one"][-1][3])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    figures = {
        name: {
            "thread_cpu_ms": statistics.median(s[0] for s in runs) * 1000,
            "wall_ms": statistics.median(s[1] for s in runs) * 1000,
            "events": runs[-1][2],
        }
        for name, runs in samples.items()
    }
    ratio = figures["one"]["thread_cpu_ms"] / figures["steps"]["thread_cpu_ms"]
    if args.json:
        print(json.dumps({"figures": figures, "one_over_steps_cpu": ratio, "same_version_tags": same_tags}))
        return
    for name, figure in figures.items():
        print(
            f"{name:6s} median thread CPU {figure['thread_cpu_ms']:6.1f} ms  wall {figure['wall_ms']:6.1f} ms"
            f"  events {figure['events']}"
        )
    saved = figures["steps"]["thread_cpu_ms"] - figures["one"]["thread_cpu_ms"]
    print(f"one step / 23 steps, thread CPU: {ratio:.2f}x ({saved:.1f} ms saved per run)")
    print(f"same data version tags (per asset, event pointers aside): {same_tags}")


if __name__ == "__main__":
    main()
