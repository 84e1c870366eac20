"""Runs submitted to the instance's run queue (what `mm materialize` does when the instance has one).

With a QueuedRunCoordinator (MM_RUN_COORDINATOR=queued, or one set in a dagster.yaml fragment),
`mm` does not execute the graph itself: it creates one run per batch, exactly as the UI's "Launch
run" does (a job subset of the selected assets, the partition-range tags, an execution plan from the
code location), and submits it. The daemon dequeues the runs within the concurrency limits and its
run launcher starts them (a local process, a Docker container or a Kubernetes job); their model-heavy
steps wait for their pool's slot. `mm` then follows the runs until they finish.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import dagster as dg

from mm_assets.dagster_internals.run_submission import CodeLocation, submit_queued_runs
from mm_assets.orchestration.runs import BATCH_TAG, RunsReport, partitions_done
from mm_assets.orchestration.sensors import partition_range_tags

LOCATION_NAME = "mm_assets"  # the name workspace.yaml gives the code location (the daemon loads it)
SUBMITTED_TAG = "mm/submitted_by"
POLL_S = 1.0
REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_LOCATION = CodeLocation(
    name=LOCATION_NAME, module_name="mm_assets.definitions", attribute="defs", working_directory=str(REPO_ROOT)
)


def submit_batches(
    instance: dg.DagsterInstance,
    job_name: str,
    asset_keys: Sequence[dg.AssetKey],
    batches: Sequence[list[str]],
    who: str,
) -> list[tuple[str, list[str]]]:
    """Create and submit one queued run per batch; returns (run id, its keys) per run."""
    tags_per_run = [
        {**partition_range_tags(batch), BATCH_TAG: str(len(batch)), SUBMITTED_TAG: who} for batch in batches
    ]
    run_ids = submit_queued_runs(instance, CODE_LOCATION, job_name, asset_keys, tags_per_run)
    return list(zip(run_ids, batches, strict=True))


def wait_for_runs(
    instance: dg.DagsterInstance,
    submitted: Sequence[tuple[str, list[str]]],
    asset_keys: Sequence[dg.AssetKey],
    on_partition_done: Callable[[float], None] | None = None,
    timeout_s: float | None = None,
) -> RunsReport:
    """Follow submitted runs to the end; partitions count as done as their materializations land."""
    report = RunsReport(run_ids=[run_id for run_id, _ in submitted])
    pending = dict(submitted)
    counted: dict[str, float] = {run_id: 0.0 for run_id in pending}
    started = time.monotonic()
    while pending:
        for run_id in list(pending):
            run = instance.get_run_by_id(run_id)
            done = partitions_done(instance, run_id, asset_keys)
            if on_partition_done and done > counted[run_id]:
                on_partition_done(done - counted[run_id])
                counted[run_id] = done
            if run is not None and run.is_finished:
                keys = pending.pop(run_id)
                if run.status == dg.DagsterRunStatus.SUCCESS:
                    report.materialized.extend(keys)
                else:
                    report.failed.update({key: f"run {run_id} {run.status.value.lower()}" for key in keys})
        if pending:
            if timeout_s is not None and time.monotonic() - started > timeout_s:
                raise TimeoutError(f"{len(pending)} submitted run(s) still not finished after {timeout_s:.0f} s")
            time.sleep(POLL_S)
    return report
