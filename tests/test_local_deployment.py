"""The deployment's topology, for real, as processes on 127.0.0.1 (`make deploy-local`): a user-code
gRPC server, a webserver loading it through workspace.yaml, and a daemon with the run queue, on a
PostgreSQL instance and catalog. A partitioned run goes in through the webserver's GraphQL (as the UI's
"Materialize" does), waits in the queue, is launched by the daemon through the code server and runs
its steps in processes of the multiprocess executor; then the webserver's GraphQL must show every
partition's check verdict, and after an embedder switch and a code-location reload, the failed
version_consistency check."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from mm_assets.cli import main
from mm_assets.dagster_internals.run_submission import REPOSITORY_NAME
from mm_assets.definitions import GRAPH_JOB
from mm_assets.orchestration.local_deployment import LocalDeployment, graphql
from mm_assets.orchestration.sensors import partition_range_tags
from mm_assets.orchestration.submit import LOCATION_NAME
from mm_assets.orchestration.version_consistency import CHECK_JOB, CHECK_NAME
from partitions import CONTENT_HASH_PARTITIONS_NAME
from tests.graphql import CHECK_PARTITIONS_QUERY
from tests.test_scale_out import GRPC_INFO_TAG, photos

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

# The smallest selection with partitioned checks (ocr_quality, pii_redaction_coverage) and an embedder.
SELECTION = ["source_media", "pages", "ocr", "pii", "visual_embedding"]
# A hang guard, not a speed bound: with a process per step on 2 shared cores (load ~19: the suite,
# the compose stack and this run) one run of this selection took over 600 s, each step's worker
# spending ~90 s loading before its work (2026-12-02).
RUN_TIMEOUT_S = 1800.0
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}

LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""

CHECK_EXECUTIONS = """
query CheckExecutions($assetKey: AssetKeyInput!, $checkName: String!) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: 10) {
    runId
    status
    evaluation { severity description }
  }
}
"""

ASSET_EVENTS = """
query AssetEvents($assetKey: AssetKeyInput!) {
  assetOrError(assetKey: $assetKey) {
    ... on Asset {
      assetMaterializations(limit: 20) { partition metadataEntries { ...Entry } }
      assetObservations(limit: 1) { partition metadataEntries { ...Entry } }
    }
  }
}
fragment Entry on MetadataEntry {
  label
  ... on TextMetadataEntry { text }
  ... on IntMetadataEntry { intValue }
  ... on JsonMetadataEntry { jsonString }
}
"""

RUN_STATUS = """
query Run($runId: ID!) {
  runOrError(runId: $runId) { ... on Run { status } }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def deployment(tmp_path, postgres_url, monkeypatch) -> Iterator[LocalDeployment]:
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MM_CATALOG_URL", postgres_url)
    monkeypatch.setenv("MM_DAGSTER_PG_URL", postgres_url)
    # The embedder is chosen in a settings file, so switching it is an edit and a reload, as in production.
    monkeypatch.setenv("MM_CONFIG", str(tmp_path / "mm.yaml"))
    (tmp_path / "mm.yaml").write_text("embedder_name: efficientnet-lite0\n")
    local = LocalDeployment(home=tmp_path / "home", grpc_port=free_port(), webserver_port=free_port())
    local.up()
    try:
        yield local
    finally:
        local.down()


def launch(local: LocalDeployment, job: str, tags: dict[str, str], **selection: list) -> str:
    """Launch a run through the webserver's GraphQL; with the queue it is QUEUED for the daemon."""
    params = {
        "selector": {
            "repositoryLocationName": LOCATION_NAME,
            "repositoryName": REPOSITORY_NAME,
            "jobName": job,
            **selection,
        },
        "runConfigData": {},
        "executionMetadata": {"tags": [{"key": key, "value": value} for key, value in tags.items()]},
    }
    result = graphql(local.graphql_url, LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    assert result["run"]["status"] == "QUEUED"
    return result["run"]["runId"]


def wait_for_run(local: LocalDeployment, run_id: str) -> dict:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        run = graphql(local.graphql_url, RUN_STATUS, {"runId": run_id})["runOrError"]
        if run["status"] in TERMINAL:
            return run
        time.sleep(1.0)
    raise AssertionError(f"run {run_id} not finished after {RUN_TIMEOUT_S:.0f} s; logs under {local.run_dir}")


def ingest(folder: Path, capsys) -> dict[str, str]:
    """Ingest the folder with `mm ingest`; {content hash: file name}."""
    capsys.readouterr()
    assert main(["ingest", str(folder), "--tenant", "t1", "--json"]) == 0
    accepted = json.loads(capsys.readouterr().out)["accepted"]
    assert len(accepted) == 3
    return {item["content_hash"]: Path(item["path"]).name for item in accepted}


def entry_values(event: dict) -> dict[str, object]:
    values = {}
    for entry in event["metadataEntries"]:
        if "jsonString" in entry:
            values[entry["label"]] = json.loads(entry["jsonString"])
        else:
            values[entry["label"]] = entry.get("text", entry.get("intValue"))
    return values


def asset_events(local: LocalDeployment, asset: str) -> tuple[dict[str, dict], dict | None]:
    """Through the webserver: {partition: its latest materialization's metadata}, and the asset's
    latest observation (partition and metadata)."""
    data = graphql(local.graphql_url, ASSET_EVENTS, {"assetKey": {"path": [asset]}})["assetOrError"]
    by_partition: dict[str, dict] = {}
    for event in data["assetMaterializations"]:  # newest first
        by_partition.setdefault(event["partition"], entry_values(event))
    observations = data["assetObservations"]
    latest = {"partition": observations[0]["partition"], **entry_values(observations[0])} if observations else None
    return by_partition, latest


def partition_keys(local: LocalDeployment) -> list[str]:
    """The content hashes in the partitions' own order (a run's range runs over contiguous ones)."""
    instance = dg.DagsterInstance.from_config(str(local.home / "dagster"))
    try:
        return list(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    finally:
        instance.dispose()


def launch_facts(local: LocalDeployment, run_id: str) -> tuple[dict[str, str], set[str]]:
    """A run's tags (hidden ones too, which GraphQL leaves out) and the steps that got a process of their own."""
    instance = dg.DagsterInstance.from_config(str(local.home / "dagster"))
    try:
        events = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_WORKER_STARTED)
        return dict(instance.get_run_by_id(run_id).tags), {event.dagster_event.step_key for event in events}
    finally:
        instance.dispose()


def test_a_queued_run_through_the_webserver_shows_each_partitions_checks_and_then_the_embedder_switch(
    deployment, tmp_path, capsys
):
    names = ingest(photos(tmp_path / "media"), capsys)
    keys = partition_keys(deployment)

    selection = [{"path": [name]} for name in SELECTION]
    run_id = launch(deployment, GRAPH_JOB, partition_range_tags(keys), assetSelection=selection)
    run = wait_for_run(deployment, run_id)
    assert run["status"] == "SUCCESS", f"see {deployment.run_dir}"
    tags, step_processes = launch_facts(deployment, run_id)
    assert GRPC_INFO_TAG in tags  # launched by the daemon's run launcher through the code server
    assert set(SELECTION) <= step_processes  # a process per step: the multiprocess executor

    statuses = graphql(
        deployment.graphql_url, CHECK_PARTITIONS_QUERY, {"assetKeys": [{"path": [name]} for name in SELECTION]}
    )
    checked = {}
    for node in statuses["assetNodes"]:
        for check in node["assetChecksOrError"]["checks"]:
            if check["partitionStatuses"] is not None:
                partitions = check["partitionStatuses"]
                checked[check["name"]] = (set(partitions["succeededPartitions"]), set(partitions["failedPartitions"]))
    assert set(checked) == {"ocr_quality", "pii_redaction_coverage"}
    for name, (succeeded, failed) in checked.items():
        assert succeeded | failed == set(keys) and not succeeded & failed, name

    # Each partition's materialization carries its own figures. Not an owner's file name: a partition
    # is shared by every tenant holding the same bytes (issue 19), so no tenant's name goes in it.
    originals, source_figures = asset_events(deployment, "source_media")
    assert set(originals) == set(names) == set(keys)
    assert all(originals[key]["content_hash"] == key for key in keys)
    assert all("original_name" not in originals[key] and "tenant_id" not in originals[key] for key in keys)
    assert source_figures == {"partition": None, "originals": 3}
    embeddings, embedding_figures = asset_events(deployment, "visual_embedding")
    assert set(embeddings) == set(keys)
    for figures in embeddings.values():
        assert figures["model_id"] and not {"last_run_partitions", "current_artifacts"} & set(figures)
    # The asset's figures are the asset's: an observation without a partition.
    assert embedding_figures["partition"] is None and embedding_figures["current_artifacts"] == 3
    assert embedding_figures["artifacts_by_version"] == {embedding_figures["active_version"]: 3}

    # Switch the embedder and reload the code location, as an operator would after an upgrade.
    (tmp_path / "mm.yaml").write_text("embedder_name: efficientnet-lite2\n")
    deployment.reload_code_location()
    deployment.wait_until_ready()
    check = {"assetKey": {"path": ["visual_embedding"]}, "name": CHECK_NAME}
    check_run = launch(deployment, CHECK_JOB, {}, assetSelection=[], assetCheckSelection=[check])
    assert wait_for_run(deployment, check_run)["status"] == "SUCCESS"  # a WARN check fails, the run does not

    # The version sensor may run the checks too after the reload (its run can still be in progress):
    # read this run's execution.
    executions = graphql(
        deployment.graphql_url,
        CHECK_EXECUTIONS,
        {"assetKey": {"path": ["visual_embedding"]}, "checkName": CHECK_NAME},
    )["assetCheckExecutions"]
    [ours] = [execution for execution in executions if execution["runId"] == check_run]
    assert ours["status"] == "FAILED" and ours["evaluation"]["severity"] == "WARN"
    assert "3 current visual_embedding artifact(s) are not" in ours["evaluation"]["description"]
    assert "efficientnet-lite2" in ours["evaluation"]["description"]


def test_the_instances_tables_exist_on_a_new_database_before_any_process_starts(tmp_path, postgres_url, monkeypatch):
    """The user-code server, webserver and daemon each create Dagster's missing tables on first use; started
    at once on a new PostgreSQL database they raced (`type "instigators" already exists` failed a CI run).
    Writing the configuration creates the tables, so the processes find them."""
    import sqlalchemy as sa

    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MM_CATALOG_URL", postgres_url)
    monkeypatch.setenv("MM_DAGSTER_PG_URL", postgres_url)
    engine = sa.create_engine(postgres_url)
    try:
        assert not {"runs", "event_logs", "instigators"} & set(sa.inspect(engine).get_table_names())
        LocalDeployment(home=tmp_path / "home", grpc_port=free_port(), webserver_port=free_port()).write_config()
        assert {"runs", "event_logs", "instigators", "alembic_version"} <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
