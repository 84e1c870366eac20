"""Runs of a PreparedInProcessJob with warm resources (run_submission.warm_resource_defs), as `mm serve`
makes its uploads' runs: each resource is set up once for many runs, and every run still records its
resource initialisation and gets the configured object."""

from __future__ import annotations

import uuid
from contextlib import ExitStack

import dagster as dg
import pytest

from mm_assets.dagster_internals.run_submission import PreparedInProcessJob, warm_resource_defs
from mm_assets.orchestration.instance import get_instance

PARTITIONS = dg.DynamicPartitionsDefinition(name="warm")
SET_UP: list[str] = []  # each setup_for_execution / teardown_after_execution, in order
SEEN: list[tuple[int, str]] = []  # (id of the resource object, its greeting) per step body


class Greeter(dg.ConfigurableResource):
    greeting: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        SET_UP.append("setup")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        SET_UP.append("teardown")


@dg.asset(partitions_def=PARTITIONS)
def greeted(greeter: Greeter) -> None:
    SEEN.append((id(greeter), greeter.greeting))


@pytest.fixture
def instance(mm_settings) -> dg.DagsterInstance:
    return get_instance(mm_settings)  # the pooled SQLite event log, as the server's


def tags(key: str) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": key, "dagster/asset_partition_range_end": key}


def event_types(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [entry.dagster_event.event_type_value for entry in instance.all_logs(run_id) if entry.dagster_event]


def test_warm_resources_are_set_up_once_and_every_run_still_records_their_initialisation(instance):
    SET_UP.clear()
    SEEN.clear()
    resources = {"greeter": Greeter(greeting="hello")}
    defs = dg.Definitions(
        assets=[greeted], jobs=[dg.define_asset_job("greet", selection=[greeted])], resources=resources
    )
    instance.add_dynamic_partitions(PARTITIONS.name, ["a", "b", "c"])

    with ExitStack() as stack:
        warm = warm_resource_defs(defs.resources, instance, stack)
        prepared = PreparedInProcessJob(defs.resolve_job_def("greet"), instance, {}, warm)
        results = [prepared.execute(tags(key), run_id=str(uuid.uuid4())) for key in ("a", "b", "c")]
        assert SET_UP == ["setup"]  # once for the three runs, not per run
    assert SET_UP == ["setup", "teardown"]  # when the stack closes (the server's close)

    assert all(result.success for result in results)
    assert len({object_id for object_id, _ in SEEN}) == 1 and [g for _, g in SEEN] == ["hello"] * 3
    for result in results:  # the run record is as before: resource initialisation, the step, the materialization
        kinds = event_types(instance, result.run_id)
        assert kinds.count("RESOURCE_INIT_SUCCESS") == 1 and kinds.count("ASSET_MATERIALIZATION") == 1
        assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS
    partitions = instance.get_materialized_partitions(greeted.key)
    assert partitions == {"a", "b", "c"}


def test_without_warm_resources_each_run_sets_its_resources_up_itself(instance):
    """The contrast that makes the test above mean something: a plain prepared job builds per run."""
    SET_UP.clear()
    SEEN.clear()
    defs = dg.Definitions(
        assets=[greeted],
        jobs=[dg.define_asset_job("greet", selection=[greeted])],
        resources={"greeter": Greeter(greeting="hi")},
    )
    instance.add_dynamic_partitions(PARTITIONS.name, ["a", "b"])
    prepared = PreparedInProcessJob(defs.resolve_job_def("greet"), instance, {})
    for key in ("a", "b"):
        assert prepared.execute(tags(key), run_id=str(uuid.uuid4())).success
    assert SET_UP == ["setup", "teardown"] * 2
    assert [g for _, g in SEEN] == ["hi", "hi"]
