"""After an embedder upgrade, the UI's way back to current: a backfill through GraphQL
`launchPartitionBackfill` with the daemon running runs batched and in one process, downstream follows
by itself, and the `reprocess_stale` job does everything stale in one launch."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from mm_assets.cli import EXIT_OK, main
from mm_assets.definitions import build_definitions
from mm_assets.operations.reprocess import JOB_NAME
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.local_deployment import LocalDeployment
from mm_assets.orchestration.ui_backfill import launch_backfill, wait_for_backfill
from mm_assets.orchestration.version_consistency import CHECK_NAME, run_version_checks
from mm_assets.settings import load_settings
from tests.conftest import distinct_images

pytestmark = pytest.mark.slow

# The new embedder's vectors supersede the old ones at once (compare-before-supersede would otherwise
# keep Lite0's current, pending review, and version_consistency would rightly say so).
UPGRADE = (("MM_EMBEDDER_NAME", "efficientnet-lite2"), ("MM_TOL_EMBEDDING_COSINE", "0"))
EMBEDDER_KINDS = {"visual_embedding", "text_embedding", "transcript_embedding", "keyframe_embedding", "search_index"}
TIMEOUT_S = 1800.0  # a hang guard, not a speed bound (see test_local_deployment.RUN_TIMEOUT_S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def upgraded_home(tmp_path, monkeypatch) -> Path:
    """Three photos through the whole graph with the default embedder, then the embedder switched."""
    home = tmp_path / "home"
    monkeypatch.setenv("MM_HOME", str(home))
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_INDEX"):
        monkeypatch.delenv(var, raising=False)
    distinct_images(tmp_path / "in", 3)
    assert main(["ingest", str(tmp_path / "in"), "--tenant", "t1"]) == EXIT_OK
    assert main(["materialize", "--missing"]) == EXIT_OK
    for name, value in UPGRADE:
        monkeypatch.setenv(name, value)
    return home


def status_of(home: Path) -> dict:
    settings = load_settings()
    instance = get_instance(settings)
    try:
        return collect_status(build_definitions(settings), instance)
    finally:
        instance.dispose()


def not_current(status: dict) -> dict[str, tuple[int, int, int, int]]:
    """Per asset with any: its stale, missing, failed and in-progress partition counts."""
    counts = {name: (len(s.stale), len(s.missing), len(s.failed), len(s.in_progress)) for name, s in status.items()}
    return {name: count for name, count in counts.items() if any(count)}


@pytest.fixture
def deployment(upgraded_home) -> Iterator[LocalDeployment]:
    local = LocalDeployment(
        upgraded_home,
        grpc_port=free_port(),
        webserver_port=free_port(),
        settings_env=(*UPGRADE, ("MM_EXECUTOR", "in_process")),
    )
    local.up()
    try:
        yield local
    finally:
        local.down()


def test_a_ui_backfill_of_the_stale_kinds_runs_batched_in_one_process_and_downstream_follows(upgraded_home, deployment):
    before = status_of(upgraded_home)
    stale_kinds = [name for name, status in before.items() if status.stale]
    assert set(stale_kinds) == EMBEDDER_KINDS  # five kinds, processing_event only once they are redone
    keys = sorted(set().union(*(before[name].stale for name in stale_kinds)))
    assert len(keys) == 3

    backfill_id = launch_backfill(deployment.graphql_url, stale_kinds, keys)
    backfill = wait_for_backfill(deployment.graphql_url, backfill_id, TIMEOUT_S)
    assert backfill["status"] == "COMPLETED_SUCCESS", f"logs under {deployment.run_dir}"
    instance = dg.DagsterInstance.from_config(str(upgraded_home / "dagster"))
    try:
        [run] = [instance.get_run_by_id(item["runId"]) for item in backfill["runs"]]  # one batch: one run
        assert {key.to_user_string() for key in run.asset_selection} == EMBEDDER_KINDS
        assert instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_WORKER_STARTED) == []  # in-process
        assert instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)  # and it did run steps

        # processing_event was not selected: the downstream_follows automation makes it current.
        deadline = time.monotonic() + TIMEOUT_S
        while (left := not_current(status_of(upgraded_home))) and time.monotonic() < deadline:
            time.sleep(3)
        assert left == {}, f"still not current after the backfill: {left}"
        latest = instance.get_latest_materialization_event(dg.AssetKey("processing_event"))
        assert latest is not None and latest.run_id != run.run_id
        follow = instance.get_run_by_id(latest.run_id)
        assert follow.asset_selection == {dg.AssetKey("processing_event")}
        assert instance.get_latest_materialization_event(dg.AssetKey("visual_embedding")).run_id == run.run_id
    finally:
        instance.dispose()


def version_alerts(defs: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None) -> tuple[int, str]:
    """One alert-sensor tick: how many version_consistency alerts it sent, and its cursor."""
    sensor, sink = defs.resolve_sensor_def("alert_sensor"), defs.resources["alert_sink"]
    before = len(sink.read())
    with dg.build_sensor_context(instance=instance, resources={"alert_sink": sink}, cursor=cursor) as context:
        result = sensor(context)
    sent = sink.read()[before:]
    return len([alert for alert in sent if alert["check"] == CHECK_NAME]), result.cursor


def test_the_graph_counts_stale_partitions_and_reprocess_stale_fixes_them_in_one_launch(upgraded_home):
    settings = load_settings()
    defs = build_definitions(settings)
    instance = get_instance(settings)
    try:
        assert set(not_current(collect_status(defs, instance))) == EMBEDDER_KINDS
        # What the graph shows after the reload (the sensor runs these checks then): how many are stale.
        outcomes = {outcome.asset: outcome for outcome in run_version_checks(defs, instance)}
        assert {asset for asset, outcome in outcomes.items() if not outcome.passed} == EMBEDDER_KINDS
        assert outcomes["search_index"].metadata["stale_partitions"] == 3
        assert "3 stale search_index partition(s) (3 has a new code version)" in outcomes["search_index"].description
        assert outcomes["processing_event"].passed and outcomes["processing_event"].metadata["stale_partitions"] == 0
        # One alert per failing check, though `mm check` and the sensor's run both find it failing.
        first, cursor = version_alerts(defs, instance, None)
        run_version_checks(defs, instance)
        again, _ = version_alerts(defs, instance, cursor)
        assert (first, again) == (len(EMBEDDER_KINDS), 0)

        result = defs.resolve_job_def(JOB_NAME).execute_in_process(instance=instance, raise_on_error=False)
        assert result.success
        assert result.output_for_node("reprocess_stale_partitions") == 3
        assert not_current(collect_status(defs, instance)) == {}
        # The version checks ran in its batches: visual_embedding's verdict is green again.
        [output] = [event for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_OUTPUT]
        run_ids = output.event_specific_data.metadata["runs"].value
        verdicts = [
            record.event_log_entry.dagster_event.event_specific_data
            for run_id in run_ids
            for record in instance.get_records_for_run(
                run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            ).records
        ]
        version = [
            v for v in verdicts if v.check_name == CHECK_NAME and v.asset_key.to_user_string() == "visual_embedding"
        ]
        assert version and version[-1].passed, version
    finally:
        instance.dispose()


def test_a_ui_backfill_holds_an_over_budget_tenant_fails_nothing_and_the_other_tenant_runs(tmp_path, monkeypatch):
    """A backfill launched as the UI launches it, over beta's and acme's partitions in one range, with acme
    over its budget: no step does any work for the mixed range and nothing fails; acme's partitions are
    marked `held: over_budget` on the asset, the `rerun_unheld_partitions` sensor runs beta's alone, and
    acme's resume with `mm materialize --missing` once its budget is raised."""
    from mm_assets.orchestration.runs import HELD_FROM_TAG

    home = tmp_path / "home"
    monkeypatch.setenv("MM_HOME", str(home))
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_INDEX"):
        monkeypatch.delenv(var, raising=False)
    for name, value in {"MM_RUN_COORDINATOR": "queued", "MM_EXECUTOR": "in_process"}.items():
        monkeypatch.setenv(name, value)  # the deployment's instance settings, in this process too
    keys = {}
    for tenant, start in (("beta", 100), ("acme", 0)):  # beta's two partitions, then acme's two
        assert main(["ingest", *map(str, distinct_images(tmp_path / tenant, 2, start=start)), "--tenant", tenant]) == 0
        registered = get_instance(load_settings())
        keys[tenant] = registered.get_dynamic_partitions("content_hash")[-2:]
        registered.dispose()
    assert main(["budget", "set", "--tenant", "acme", "--daily-usd", "0"]) == EXIT_OK  # nothing may be spent today
    deployment = LocalDeployment(
        home, grpc_port=free_port(), webserver_port=free_port(), settings_env=(("MM_EXECUTOR", "in_process"),)
    )
    deployment.up()
    try:
        backfill_id = launch_backfill(deployment.graphql_url, ["source_media", "pages"], keys["beta"] + keys["acme"])
        backfill = wait_for_backfill(deployment.graphql_url, backfill_id, TIMEOUT_S)
        instance = dg.DagsterInstance.from_config(str(home / "dagster"))
        [run] = [instance.get_run_by_id(item["runId"]) for item in backfill["runs"]]  # one range, one run
        assert run.status == dg.DagsterRunStatus.SUCCESS, f"logs under {deployment.run_dir}"
        # Dagster's own verdict on the backfill: its targets were not all materialized (the partitions
        # themselves are not failed: see status below).
        assert backfill["status"] == "COMPLETED_FAILED"
        observed = instance.fetch_observations(dg.AssetKey("source_media"), limit=10).records
        assert {r.partition_key: r.asset_observation.metadata["held"].value for r in observed} == {
            key: "over_budget" for key in keys["acme"]
        }
        deadline = time.monotonic() + TIMEOUT_S  # the sensor's re-run of beta's partitions
        while instance.get_materialized_partitions(dg.AssetKey("pages")) != set(keys["beta"]):
            assert time.monotonic() < deadline, f"beta's partitions not re-run; logs under {deployment.run_dir}"
            time.sleep(3)
        [rerun] = instance.get_runs(dg.RunsFilter(tags={HELD_FROM_TAG: run.run_id}))
        assert rerun.tags["dagster/asset_partition_range_start"] == keys["beta"][0]
        status = status_of(home)
        assert status["source_media"].missing == set(keys["acme"]) and not status["source_media"].failed
        assert not status["pages"].failed
        instance.dispose()
    finally:
        deployment.down()
    assert main(["budget", "set", "--tenant", "acme", "--daily-usd", "10"]) == EXIT_OK
    assert main(["materialize", "--missing", "--select", "source_media,pages", "--in-process"]) == EXIT_OK
    status = status_of(home)
    assert not status["pages"].missing and not status["pages"].failed and len(status["pages"].materialized) == 4
