"""Create and submit queued runs the way the UI's "Launch run" does, from this process.

Dagster has no public call that turns an asset selection into a queued run without a webserver:
the UI and `dagster job launch` go through a workspace (the code location loaded in-process here),
a remote job subset of the selected assets, its execution plan snapshot, `create_run` with all of
them, then `submit_run` to the instance's run coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget

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
