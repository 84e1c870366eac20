"""Dagster's bookkeeping of a batched run on PostgreSQL: commits that wait for the WAL flush vs not.

    python bench/event_log_postgres.py [--n 100] [--repeats 3] [--json] [--dir D]

A run over n dynamic partitions of one asset with a per-partition check writes what a batched run of
one artifact kind writes (materialization planned, a materialization with metadata and a check
evaluation per partition, step and run events), with no work in the asset body, so the wall time is
the orchestration overhead. Two sides, interleaved, each on a fresh database (created outside the
timing): `PooledPostgresEventLogStorage` as the instance uses it (`synchronous_commit=off`) and the
same class with durable commits (PostgreSQL's default, each commit waits for its WAL flush).
Reported: seconds per partition and durable / default.
"""

import argparse
import sys
import time
from pathlib import Path

import dagster as dg
from _common import (
    common_arguments,
    interleaved,
    machine,
    median,
    positive,
    postgres_database,
    print_json,
    print_table,
    run_in_workdir,
)
from dagster import AssetCheckExecutionContext, AssetExecutionContext
from dagster._core.instance import InstanceType
from dagster._core.launcher import DefaultRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import LocalArtifactStorage
from dagster_postgres import PostgresRunStorage, PostgresScheduleStorage

from mm_assets.checks import report_partition_checks
from mm_assets.orchestration.event_log import PooledPostgresEventLogStorage

PARTITIONS = dg.DynamicPartitionsDefinition(name="bench_hash")


@dg.asset(partitions_def=PARTITIONS)
def bench_artifact(context: AssetExecutionContext) -> dg.MaterializeResult:
    for key in context.partition_keys:
        context.add_asset_metadata({"model_id": "bench", "chunks": 1}, partition_key=key)
    return dg.MaterializeResult()


@dg.asset_check(asset=bench_artifact, partitions_def=PARTITIONS)
def bench_check(context: AssetCheckExecutionContext) -> dg.AssetCheckResult:
    verdicts = {key: (True, {"reason": "ok"}) for key in context.partition_keys}
    return report_partition_checks(context, bench_artifact.key, "bench_check", verdicts)


JOB = dg.Definitions(assets=[bench_artifact], asset_checks=[bench_check]).resolve_implicit_global_asset_job_def()


def instance_on(url: str, work: Path, durable_commits: bool) -> dg.DagsterInstance:
    return dg.DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,  # in-process only: no DAGSTER_HOME to refer to
        local_artifact_storage=LocalArtifactStorage(str(work)),
        run_storage=PostgresRunStorage(url),
        event_storage=PooledPostgresEventLogStorage(url, durable_commits=durable_commits),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=DefaultRunLauncher(),
        schedule_storage=PostgresScheduleStorage(url),
    )


def timed_run(n: int, work: Path, durable_commits: bool) -> float:
    with postgres_database("mm_bench_events") as url:
        instance = instance_on(url, work, durable_commits)
        keys = [f"{i:064x}" for i in range(n)]
        instance.add_dynamic_partitions(PARTITIONS.name, keys)
        tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
        started = time.perf_counter()
        result = JOB.execute_in_process(
            instance=instance, tags=tags, run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
        )
        seconds = time.perf_counter() - started
        instance.dispose()
    if not result.success:
        raise RuntimeError("the bench run failed")
    return seconds / n


def run(args: argparse.Namespace, work: Path) -> int:
    samples = interleaved(
        {
            "default (synchronous_commit=off)": lambda _: timed_run(args.n, work, durable_commits=False),
            "durable commits (PostgreSQL default)": lambda _: timed_run(args.n, work, durable_commits=True),
        },
        args.repeats,
        swap_pairs=True,
    )
    medians = {name: median(values) for name, values in samples.items()}
    default, durable = medians.values()
    if args.json:
        print_json({"machine": machine(), "n": args.n, "s_per_partition": medians, "durable_over_default": durable / default})
        return 0
    print_table(
        ["event log", "s/partition", "samples"],
        [[name, medians[name], ", ".join(f"{v:.4f}" for v in values)] for name, values in samples.items()],
    )
    print(f"\ndurable / default: {durable / default:.2f}x (n={args.n}, median of {args.repeats})")
    return 0


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=100, default_repeats=4)
    args = parser.parse_args()
    positive(parser, n=args.n, repeats=args.repeats)
    return run_in_workdir("event-log-postgres", args, run)


if __name__ == "__main__":
    sys.exit(main())
