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
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget

from mm_assets.orchestration.runs import BATCH_TAG, RunsReport, partitions_done
from mm_assets.orchestration.sensors import partition_range_tags

LOCATION_NAME = "mm_assets"  # the name workspace.yaml gives the code location (the daemon loads it)
REPOSITORY_NAME = "__repository__"
SUBMITTED_TAG = "mm/submitted_by"
POLL_S = 1.0
REPO_ROOT = Path(__file__).resolve().parents[2]


def code_location_origin() -> InProcessCodeLocationOrigin:
    return InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="mm_assets.definitions", attribute="defs", working_directory=str(REPO_ROOT)),
        location_name=LOCATION_NAME,
    )


def submit_batches(
    instance: dg.DagsterInstance,
    job_name: str,
    asset_keys: Sequence[dg.AssetKey],
    batches: Sequence[list[str]],
    who: str,
) -> list[tuple[str, list[str]]]:
    """Create and submit one queued run per batch; returns (run id, its keys) per run."""
    submitted = []
    with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(code_location_origin())) as process:
        workspace = process.create_request_context()
        location = workspace.get_code_location(LOCATION_NAME)
        repository = location.get_repository(REPOSITORY_NAME)
        selector = JobSubsetSelector(
            location_name=LOCATION_NAME,
            repository_name=REPOSITORY_NAME,
            job_name=job_name,
            op_selection=None,
            asset_selection=list(asset_keys),
        )
        remote_job = location.get_job(selector)
        plan = location.get_execution_plan(
            remote_job, {}, step_keys_to_execute=None, known_state=None, instance=instance
        ).execution_plan_snapshot
        for batch in batches:
            run = instance.create_run(
                job_name=job_name,
                run_id=None,
                run_config={},
                status=None,
                tags={**remote_job.tags, **partition_range_tags(batch), BATCH_TAG: str(len(batch)), SUBMITTED_TAG: who},
                root_run_id=None,
                parent_run_id=None,
                step_keys_to_execute=plan.step_keys_to_execute,
                execution_plan_snapshot=plan,
                job_snapshot=remote_job.job_snapshot,
                parent_job_snapshot=remote_job.parent_job_snapshot,
                asset_selection=frozenset(asset_keys),
                asset_check_selection=None,
                resolved_op_selection=remote_job.resolved_op_selection,
                op_selection=None,
                remote_job_origin=remote_job.get_remote_origin(),
                job_code_origin=remote_job.get_python_origin(),
                asset_graph=repository.asset_graph,
            )
            instance.submit_run(run.run_id, workspace)
            submitted.append((run.run_id, batch))
    return submitted


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
