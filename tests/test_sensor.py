"""The landing sensor ingests through the gate and requests one run per batch, with a cursor and a cap."""

from __future__ import annotations

import dagster as dg

from mm_assets.definitions import GRAPH_JOB, build_definitions
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.sensors import RANGE_END_TAG, RANGE_START_TAG
from partitions import CONTENT_HASH_PARTITIONS_NAME
from tests.conftest import distinct_images


def tick(defs: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult | dg.SkipReason:
    sensor = defs.resolve_sensor_def("landing_folder_sensor")
    resources = {key: defs.resources[key] for key in ("catalog", "media_store", "alert_sink")}
    with dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs, resources=resources) as context:
        return sensor(context)


def apply_partition_requests(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))


def test_landing_sensor_requests_one_run_per_batch_and_respects_its_cursor_and_cap(mm_settings, tmp_path):
    landing = tmp_path / "landing"
    distinct_images(landing, 7)
    (landing / "broken.jpg").write_text("not an image")
    settings = mm_settings.with_overrides(landing=landing, sensor_max_files_per_tick=5, run_batch_size=200)
    defs = build_definitions(settings)
    instance = get_instance(settings)

    first = tick(defs, instance, None)
    assert isinstance(first, dg.SensorResult)
    assert len(first.run_requests) == 1  # five new files, one run
    keys = list(first.dynamic_partitions_requests[0].partition_keys)
    assert len(keys) == 5
    tags = first.run_requests[0].tags
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == (keys[0], keys[-1])
    apply_partition_requests(instance, first)

    second = tick(defs, instance, first.cursor)
    assert isinstance(second, dg.SensorResult)
    later_keys = list(second.dynamic_partitions_requests[0].partition_keys)
    assert len(later_keys) == 2 and not set(later_keys) & set(keys)  # the bad file was quarantined
    apply_partition_requests(instance, second)

    assert isinstance(tick(defs, instance, second.cursor), dg.SkipReason)

    # The requested run really materializes the whole batch in one run.
    job = defs.resolve_job_def(GRAPH_JOB)
    result = job.execute_in_process(instance=instance, tags=first.run_requests[0].tags)
    assert result.success
    assert instance.get_materialized_partitions(dg.AssetKey("source_media")) == set(keys)
    assert set(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)) == set(keys + later_keys)


def test_landing_sensor_is_off_by_default_and_skips_without_a_landing_folder(mm_settings):
    defs = build_definitions(mm_settings)
    sensor = defs.resolve_sensor_def("landing_folder_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    result = tick(defs, get_instance(mm_settings), None)
    assert isinstance(result, dg.SkipReason) and "MM_LANDING" in result.skip_message
