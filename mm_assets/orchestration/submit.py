"""Runs submitted to the instance's run queue (what `mm materialize` does when the instance has one).

With a QueuedRunCoordinator (MM_RUN_COORDINATOR=queued, or one set in a dagster.yaml fragment),
`mm` does not execute the graph itself: it creates one run per batch, exactly as the UI's "Launch
run" does (a job subset of the selected assets, the partition-range tags, an execution plan from the
code location), and submits it. The daemon dequeues the runs within the concurrency limits and its
run launcher starts them (a local process, a Docker container or a Kubernetes job); their model-heavy
steps wait for their pool's slot. `mm` then follows the runs until they finish.

Runs are submitted in waves, at most `in_flight` at a time (the queue's own limit, MM_MAX_CONCURRENT_RUNS:
more would only wait in the queue), and each batch's tenants are checked against their budgets just
before it is submitted, so a tenant that crosses its cap while earlier batches run has its remaining
partitions held, as in-process (`runs.materialize_partitions`). A queued run cannot be re-checked, so
submitting everything at once would let a tenant run all of its batches past its cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import dagster as dg

from mm_assets.dagster_internals.run_submission import CodeLocation, QueuedRunSubmitter
from mm_assets.orchestration.budgets import BudgetGate, held_partitions_in_run
from mm_assets.orchestration.runs import BATCH_TAG, RunsReport, partitions_done, plan_batches
from mm_assets.orchestration.sensors import partition_range_tags
from partitions import CONTENT_HASH_PARTITIONS_NAME, contiguous_runs

LOCATION_NAME = "mm_assets"  # the name workspace.yaml gives the code location (the daemon loads it)
SUBMITTED_TAG = "mm/submitted_by"
POLL_S = 1.0
REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_LOCATION = CodeLocation(
    name=LOCATION_NAME, module_name="mm_assets.definitions", attribute="defs", working_directory=str(REPO_ROOT)
)


def queue_limit(instance: dg.DagsterInstance, default: int) -> int:
    """How many runs the instance's queue launches at once (`concurrency.runs.max_concurrent_runs`, or
    the run coordinator's own setting), or `default` when it sets no limit."""
    queue = instance.get_concurrency_config().run_queue_config
    limit = queue.max_concurrent_runs if queue is not None else -1
    return limit if limit > 0 else default


def run_in_waves(
    instance: dg.DagsterInstance,
    job_name: str,
    asset_keys: Sequence[dg.AssetKey],
    keys: Sequence[str],
    batch_size: int,
    who: str,
    budget: BudgetGate,
    in_flight: int,
    on_partition_done: Callable[[float], None] | None = None,
    timeout_s: float | None = None,
) -> RunsReport:
    """Submit one queued run per batch, at most `in_flight` at a time, each batch budget-checked just
    before it goes; follow the runs to the end. Partitions count as done as their materializations land."""
    ordered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    queue = plan_batches(ordered, keys, batch_size)
    report = RunsReport()
    running: dict[str, list[str]] = {}
    counted: dict[str, float] = {}
    started = time.monotonic()
    with QueuedRunSubmitter(instance, CODE_LOCATION, job_name, asset_keys) as submitter:
        while queue or running:
            while queue and len(running) < max(in_flight, 1):
                batch = queue.pop(0)
                runnable, held = budget.split(batch)
                report.held.update(held)
                if runnable != batch:  # the other tenants' partitions go on, in contiguous stretches
                    queue[:0] = contiguous_runs(ordered, runnable)
                    continue
                tags = {**partition_range_tags(batch), BATCH_TAG: str(len(batch)), SUBMITTED_TAG: who}
                run_id = submitter.submit(tags)
                running[run_id], counted[run_id] = batch, 0.0
                report.run_ids.append(run_id)
            for run_id in list(running):
                _follow(instance, run_id, asset_keys, counted, on_partition_done)
                run = instance.get_run_by_id(run_id)
                if run is not None and run.is_finished:
                    queue[:0] = _finished(instance, run, running.pop(run_id), ordered, report)
            if running:
                if timeout_s is not None and time.monotonic() - started > timeout_s:
                    raise TimeoutError(f"{len(running)} submitted run(s) still not finished after {timeout_s:.0f} s")
                time.sleep(POLL_S)
    return report


def _follow(
    instance: dg.DagsterInstance,
    run_id: str,
    asset_keys: Sequence[dg.AssetKey],
    counted: dict[str, float],
    on_partition_done: Callable[[float], None] | None,
) -> None:
    if on_partition_done is None:
        return
    done = partitions_done(instance, run_id, asset_keys)
    if done > counted[run_id]:
        on_partition_done(done - counted[run_id])
        counted[run_id] = done


def _finished(
    instance: dg.DagsterInstance, run: dg.DagsterRun, batch: list[str], ordered: Sequence[str], report: RunsReport
) -> list[list[str]]:
    """Record a finished run's outcome; the batches still to run because a step held partitions in it
    (a tenant crossed its budget during the run: the range made nothing, the others go again)."""
    held = held_partitions_in_run(instance, run.run_id)
    if held:
        report.held.update(held)
        return contiguous_runs(ordered, [key for key in batch if key not in held])
    if run.status == dg.DagsterRunStatus.SUCCESS:
        report.materialized.extend(batch)
    else:
        report.failed.update({key: f"run {run.run_id} {run.status.value.lower()}" for key in batch})
    return []
