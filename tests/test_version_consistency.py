"""The version_consistency sensor: runs the checks after a reload changes a code version, and hourly."""

from __future__ import annotations

import json
from dataclasses import replace

import dagster as dg

import mm_assets.kinds.thumbnail as thumbnail_module
from mm_assets.definitions import build_definitions
from mm_assets.orchestration.version_consistency import (
    CHECK_JOB,
    CHECK_NAME,
    HOURLY_S,
    SENSOR_NAME,
    TRIGGER_TAG,
    active_version,
    code_versions_fingerprint,
    version_sensor_tick,
)

NOW = 1_800_000_000.0


def trigger_of(result: dg.SensorResult) -> str:
    [request] = result.run_requests
    return request.tags[TRIGGER_TAG]


def test_the_first_tick_runs_the_checks_and_a_quiet_hour_skips_with_the_wait():
    first = version_sensor_tick(None, "abc", NOW)
    assert trigger_of(first) == "first tick"

    later = version_sensor_tick(first.cursor, "abc", NOW + 600)
    assert isinstance(later, dg.SkipReason) and "next hourly run in 50 min" in later.skip_message

    hourly = version_sensor_tick(first.cursor, "abc", NOW + HOURLY_S)
    assert trigger_of(hourly) == "hourly" and json.loads(hourly.cursor)["last_run"] == NOW + HOURLY_S


def test_a_reload_with_a_new_code_version_runs_the_checks_at_once(mm_settings, monkeypatch):
    defs = build_definitions(mm_settings)
    assets = list(defs.assets)
    before = code_versions_fingerprint(assets)
    monkeypatch.setattr(thumbnail_module, "SPEC", replace(thumbnail_module.SPEC, logic_version="2"))
    after = code_versions_fingerprint(list(build_definitions(mm_settings).assets))
    assert before != after

    cursor = version_sensor_tick(None, before, NOW).cursor
    assert trigger_of(version_sensor_tick(cursor, after, NOW + 60)) == "code versions changed (code location reloaded)"


def test_every_artifact_asset_has_a_warn_version_check_and_the_sensor_is_on_by_default(mm_settings):
    defs = build_definitions(mm_settings)
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys if key.name == CHECK_NAME}
    assert checked == {key.to_user_string() for key in graph.materializable_asset_keys} - {"source_media"}
    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING and sensor.job_name == CHECK_JOB
    assert active_version("1") == "1+none" and active_version("1+model-x") == "1+model-x"
