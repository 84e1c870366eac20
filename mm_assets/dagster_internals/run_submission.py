"""Create runs from this process: queued runs as the UI's "Launch run" makes them, and in-process runs
of one job again and again without preparing the job anew for each.

Dagster has no public call that turns an asset selection into a queued run without a webserver:
the UI and `dagster job launch` go through a workspace (the code location loaded in-process here),
a remote job subset of the selected assets, its execution plan snapshot, `create_run` with all of
them, then `submit_run` to the instance's run coordinator.

`JobDefinition.execute_in_process` builds a new ephemeral copy of the job (in-process executor) on every
call, so Dagster recomputes that copy's job snapshot and its id (serialised and hashed) and a new
execution plan for every run, although nothing in them changes between runs of the same job and run
config: the run's partition range comes from its tags. `PreparedInProcessJob` keeps the copy and its
plan and runs them as `execute_in_process` does (`core_execute_in_process`'s steps, the same run
tags), so each run is created, recorded and executed as before; on the pooled SQLite event log its
events are written with combined writes (`combined_event_writes`): the same events, fewer transactions,
and its steps read their parents' data versions from the run's own materializations
(`run_data_versions`) where it made them: the same lineage tags, no queries per step.

A run also builds every resource it needs anew (a configured copy of each `ConfigurableResource`, its
nested resources resolved): ~36 ms of thread CPU per run for the definitions' 13 resources, although
none of them holds anything of a run (the models and engines behind them are shared by the process).
`warm_resource_defs` builds them once (`dg.build_resources`, the public call that initialises resources
outside a run, set-up and nested resources included) and hands each prepared run those same objects as
hardcoded resources; the run still records its resource initialisation events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import dagster as dg
from dagster._core.definitions.job_base import InMemoryJob
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.execution.api import ExecuteRunWithPlanIterable, create_execution_plan, job_execution_iterator
from dagster._core.execution.context_creation_job import (
    PlanOrchestrationContextManager,
    orchestration_context_event_generator,
)
from dagster._core.execution.execute_in_process import merge_run_tags
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget

from mm_assets.dagster_internals.event_log_storage import combined_event_writes
from mm_assets.dagster_internals.partition_records import run_data_versions

# the repository Dagster makes of a module's `Definitions` object
REPOSITORY_NAME = "__repository__"


@dataclass(frozen=True)
class CodeLocation:
    """Where the definitions live: `module_name.attribute`, imported from `working_directory`."""

    name: str
    module_name: str
    attribute: str
    working_directory: str

    def origin(self) -> InProcessCodeLocationOrigin:
        target = LoadableTargetOrigin(
            module_name=self.module_name, attribute=self.attribute, working_directory=self.working_directory
        )
        return InProcessCodeLocationOrigin(target, location_name=self.name)


class QueuedRunSubmitter:
    """Keeps the code location loaded while runs of `job_name` over `asset_keys` are submitted one by
    one (in waves), so each submission costs a run row, not a reload of the definitions."""

    def __init__(
        self, instance: dg.DagsterInstance, location: CodeLocation, job_name: str, asset_keys: Sequence[dg.AssetKey]
    ):
        self.instance, self.location, self.job_name, self.asset_keys = instance, location, job_name, list(asset_keys)
        self._process: WorkspaceProcessContext | None = None

    def __enter__(self) -> QueuedRunSubmitter:
        self._process = WorkspaceProcessContext(self.instance, InProcessWorkspaceLoadTarget(self.location.origin()))
        self._process.__enter__()
        self._workspace = self._process.create_request_context()
        code_location = self._workspace.get_code_location(self.location.name)
        self._repository = code_location.get_repository(REPOSITORY_NAME)
        selector = JobSubsetSelector(
            location_name=self.location.name,
            repository_name=REPOSITORY_NAME,
            job_name=self.job_name,
            op_selection=None,
            asset_selection=self.asset_keys,
        )
        self._job = code_location.get_job(selector)
        self._plan = code_location.get_execution_plan(
            self._job, {}, step_keys_to_execute=None, known_state=None, instance=self.instance
        ).execution_plan_snapshot
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.__exit__(*exc)
            self._process = None

    def submit(self, tags: Mapping[str, str]) -> str:
        """Create one run with `tags` and submit it to the instance's run coordinator; its run id."""
        job, plan = self._job, self._plan
        run = self.instance.create_run(
            job_name=self.job_name,
            run_id=None,
            run_config={},
            status=None,
            tags={**job.tags, **tags},
            root_run_id=None,
            parent_run_id=None,
            step_keys_to_execute=plan.step_keys_to_execute,
            execution_plan_snapshot=plan,
            job_snapshot=job.job_snapshot,
            parent_job_snapshot=job.parent_job_snapshot,
            asset_selection=frozenset(self.asset_keys),
            asset_check_selection=None,
            resolved_op_selection=job.resolved_op_selection,
            op_selection=None,
            remote_job_origin=job.get_remote_origin(),
            job_code_origin=job.get_python_origin(),
            asset_graph=self._repository.asset_graph,
        )
        self.instance.submit_run(run.run_id, self._workspace)
        return run.run_id


def submit_queued_runs(
    instance: dg.DagsterInstance,
    location: CodeLocation,
    job_name: str,
    asset_keys: Sequence[dg.AssetKey],
    tags_per_run: Sequence[Mapping[str, str]],
) -> list[str]:
    """One run of `job_name` over `asset_keys` per tag set, each submitted to the run queue; their run ids."""
    with QueuedRunSubmitter(instance, location, job_name, asset_keys) as submitter:
        return [submitter.submit(tags) for tags in tags_per_run]


def warm_resource_defs(
    resources: Mapping[str, Any], instance: dg.DagsterInstance, stack: ExitStack
) -> dict[str, dg.ResourceDefinition]:
    """`resources` (as `dg.Definitions` takes them) initialised once, each as a definition that gives every
    run the object built here; they stay set up until `stack` closes (their teardown, if any, runs then)."""
    built = stack.enter_context(dg.build_resources(resources, instance=instance))
    return {key: dg.ResourceDefinition.hardcoded_resource(getattr(built, key)) for key in resources}


class PreparedInProcessJob:
    """`job.execute_in_process(run_config, instance, tags, run_id, raise_on_error=False)`, repeatedly, on
    one instance, with the job's in-process copy and execution plan prepared once (see the module).
    `resources` (from `warm_resource_defs`) replace the job's own definitions of those keys."""

    def __init__(
        self,
        job: dg.JobDefinition,
        instance: dg.DagsterInstance,
        run_config: Mapping[str, Any],
        resources: Mapping[str, dg.ResourceDefinition] | None = None,
    ) -> None:
        self.job, self.instance, self.run_config = job, instance, dict(run_config)
        ephemeral = job.as_ephemeral_job(resource_defs=dict(resources or {}), input_values={})
        self._in_memory = InMemoryJob(job_def=ephemeral)
        self._plan = create_execution_plan(
            self._in_memory,
            run_config=self.run_config,
            instance_ref=instance.get_ref() if instance.is_persistent else None,
        )

    def execute(self, tags: Mapping[str, str], run_id: str) -> dg.ExecuteInProcessResult:
        """One run of the whole job (no op or asset subset), failures reported in the result."""
        job_def = self._in_memory.get_definition()
        run_tags = merge_run_tags(
            job_def=self.job,
            partition_key=None,
            tags=tags,
            asset_selection=[],
            instance=self.instance,
            run_config=self.run_config,
        )
        run = self.instance.create_run_for_job(
            job_def=job_def,
            run_config=self.run_config,
            tags={**job_def.run_tags, **run_tags},
            run_id=run_id,
            asset_selection=frozenset(),
            execution_plan=self._plan,
        )
        output_capture: dict[Any, Any] = {}
        with combined_event_writes(self.instance, run.run_id), run_data_versions(run.run_id):
            events = self._run(run, output_capture)
        finished = self.instance.get_run_by_id(run.run_id)
        return dg.ExecuteInProcessResult(
            job_def=job_def, event_list=events, dagster_run=finished, output_capture=output_capture
        )

    def _run(self, run: Any, output_capture: dict[Any, Any]) -> list[Any]:
        return list(
            ExecuteRunWithPlanIterable(
                execution_plan=self._plan,
                iterator=job_execution_iterator,
                execution_context_manager=PlanOrchestrationContextManager(
                    context_event_generator=orchestration_context_event_generator,
                    job=self._in_memory,
                    execution_plan=self._plan,
                    dagster_run=run,
                    instance=self.instance,
                    run_config=self.run_config,
                    executor_defs=None,
                    output_capture=output_capture,
                    raise_on_error=False,
                ),
            )
        )
