"""dagster.yaml is generated from the settings, then merged: hand-added sections stay, the fragment wins."""

from __future__ import annotations

import pytest
import yaml

from mm_assets.orchestration.instance import InstanceConfigError, ensure_dagster_home, get_instance, has_run_queue
from mm_assets.settings import load_settings


def written(settings) -> dict:
    return yaml.safe_load((settings.dagster_home / "dagster.yaml").read_text())


def test_a_hand_added_run_launcher_survives_the_next_command_and_the_fragment_wins(tmp_path):
    settings = load_settings({"MM_HOME": str(tmp_path / "home")})
    ensure_dagster_home(settings)
    config = written(settings)
    config["run_monitoring"] = {"enabled": True, "start_timeout_seconds": 120}  # added by hand
    (settings.dagster_home / "dagster.yaml").write_text(yaml.safe_dump(config))
    fragment = tmp_path / "fragment.yaml"
    fragment.write_text(yaml.safe_dump({"run_monitoring": {"start_timeout_seconds": 300}, "telemetry": {}}))

    queued = load_settings(
        {"MM_HOME": str(tmp_path / "home"), "MM_DAGSTER_YAML": str(fragment), "MM_RUN_COORDINATOR": "queued"}
    )
    instance = get_instance(queued)

    merged = written(queued)
    assert merged["run_monitoring"] == {"enabled": True, "start_timeout_seconds": 300}
    assert merged["event_log_storage"]["class"] == "PooledSqliteEventLogStorage"  # generated, still there
    assert merged["run_coordinator"]["class"] == "QueuedRunCoordinator" and has_run_queue(instance)
    assert not has_run_queue(get_instance(settings))  # Dagster queues by default; mm only when configured


def test_an_unreadable_fragment_is_an_error_that_names_the_file(tmp_path):
    fragment = tmp_path / "broken.yaml"
    fragment.write_text("- just\n- a list\n")
    settings = load_settings({"MM_HOME": str(tmp_path / "home"), "MM_DAGSTER_YAML": str(fragment)})
    with pytest.raises(InstanceConfigError, match="broken.yaml: expected a mapping"):
        ensure_dagster_home(settings)


def test_an_s3_store_puts_compute_logs_beside_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MM_S3_ENDPOINT", "http://127.0.0.1:9")
    settings = load_settings({"MM_HOME": str(tmp_path / "home"), "MM_STORE": "s3://bucket/team"})
    ensure_dagster_home(settings)
    logs = written(settings)["compute_logs"]
    assert logs["class"] == "S3ComputeLogManager"
    assert logs["config"] == {
        "bucket": "bucket",
        "prefix": "team/dagster-compute-logs",
        "endpoint_url": "http://127.0.0.1:9",
    }


def _printing_job_run(instance):  # type: ignore[no-untyped-def]
    import dagster as dg

    @dg.op
    def shout(context) -> None:
        print("printed by the step")  # what compute-log capture would keep in a file
        context.log.info("logged by the step")

    @dg.job
    def printing() -> None:
        shout()

    result = printing.execute_in_process(instance=instance)
    assert result.success
    return result.run_id


def _compute_log_files(settings) -> list:
    return [path for path in settings.dagster_home.rglob("*") if path.suffix in (".out", ".err", ".complete")]


def test_the_servers_instance_captures_no_step_output_but_records_the_run_like_any(tmp_path):
    """mm serve's instance (capture_compute_logs=False): the same storages, the run and its step logs in
    the event log, but no compute-log files; the default instance (mm materialize, the daemon) captures."""
    settings = load_settings({"MM_HOME": str(tmp_path / "home")})
    quiet = get_instance(settings, capture_compute_logs=False)
    run_id = _printing_job_run(quiet)
    assert type(quiet.compute_log_manager).__name__ == "NoOpComputeLogManager"
    assert not _compute_log_files(settings)

    capturing = get_instance(settings)  # the same instance home: it sees the quiet run and its logs
    assert type(capturing.compute_log_manager).__name__ == "LocalComputeLogManager"
    assert capturing.get_run_by_id(run_id).is_success
    messages = [entry.user_message for entry in capturing.all_logs(run_id)]
    assert "logged by the step" in messages
    assert any(
        entry.dagster_event and entry.dagster_event.event_type_value == "STEP_SUCCESS"
        for entry in capturing.all_logs(run_id)
    )

    _printing_job_run(capturing)
    assert _compute_log_files(settings)  # the capturing instance does write them: the check above can fail
