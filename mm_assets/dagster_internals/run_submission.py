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


def submit_queued_runs(
    instance: dg.DagsterInstance,
    location: CodeLocation,
    job_name: str,
    asset_keys: Sequence[dg.AssetKey],
    tags_per_run: Sequence[Mapping[str, str]],
) -> list[str]:
    """One run of `job_name` over `asset_keys` per tag set, each submitted to the run queue; their run ids."""
    run_ids = []
    with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(location.origin())) as process:
        workspace = process.create_request_context()
        code_location = workspace.get_code_location(location.name)
        repository = code_location.get_repository(REPOSITORY_NAME)
        selector = JobSubsetSelector(
            location_name=location.name,
            repository_name=REPOSITORY_NAME,
            job_name=job_name,
            op_selection=None,
            asset_selection=list(asset_keys),
        )
        remote_job = code_location.get_job(selector)
        plan = code_location.get_execution_plan(
            remote_job, {}, step_keys_to_execute=None, known_state=None, instance=instance
        ).execution_plan_snapshot
        for tags in tags_per_run:
            run = instance.create_run(
                job_name=job_name,
                run_id=None,
                run_config={},
                status=None,
                tags={**remote_job.tags, **tags},
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
            run_ids.append(run.run_id)
    return run_ids
