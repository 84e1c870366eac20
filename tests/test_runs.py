"""Batched runs over content-hash partitions, per-partition failure, status, and the PostgreSQL instance."""

from __future__ import annotations

import logging
from dataclasses import replace

import dagster as dg
import pytest
from dagster_postgres.event_log.event_log import PostgresEventLogStorage

import mm_assets.kinds.source_media as source_media_module
from mm_assets.definitions import GRAPH_JOB, build_definitions
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import (
    BATCH_TAG,
    SPLIT_OF_TAG,
    LandedPartitions,
    materialize_partitions,
    partitions_done,
)
from mm_assets.orchestration.sensors import RANGE_END_TAG, RANGE_START_TAG, partition_range_tags
from mm_assets.settings import Settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.blob_store import media_key
from resources.catalog import CatalogResource
from resources.stores import open_store
from tests.conftest import distinct_images

SOURCE = dg.AssetKey("source_media")


def ingest_and_register(settings: Settings, folder, count: int) -> tuple[dg.DagsterInstance, list[str]]:
    report = ingest_paths(
        distinct_images(folder, count),
        catalog=CatalogResource(url=settings.catalog_url),
        store=open_store(settings.store_root),
        caps=settings.caps,
        options=IngestOptions(),
    )
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    return instance, report.new_partition_keys


def split_sensor_verdict(defs: dg.Definitions, instance: dg.DagsterInstance, run: dg.DagsterRun):
    """What `split_failed_batches` answers to `run`'s failure, as the daemon would ask it."""
    failure = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records[0]
    context = dg.build_run_status_sensor_context(
        sensor_name="split_failed_batches",
        dagster_event=failure.event_log_entry.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
    ).for_run_failure()
    return defs.resolve_sensor_def("split_failed_batches")(context)


def test_partitions_materialize_in_one_run_per_batch(mm_settings, tmp_path):
    settings = mm_settings.with_overrides(run_batch_size=4)
    instance, keys = ingest_and_register(settings, tmp_path / "in", 10)
    defs = build_definitions(settings)

    report = materialize_partitions(defs, instance, [SOURCE], keys, settings.run_batch_size)

    assert sorted(report.materialized) == sorted(keys) and report.failed == {}
    assert len(report.run_ids) == 3  # 4 + 4 + 2
    assert instance.get_materialized_partitions(SOURCE) == set(keys)
    sizes = [int(instance.get_run_by_id(run_id).tags[BATCH_TAG]) for run_id in report.run_ids]
    assert sizes == [4, 4, 2]
    record = instance.fetch_materializations(SOURCE, limit=1).records[0]
    metadata = record.asset_materialization.metadata
    assert metadata["content_hash"].value == record.partition_key
    assert metadata["mime_type"].value == "image/png"
    # a partition is shared by content (issue 19): no owner's tenant or file name in its metadata
    assert "tenant_id" not in metadata and "original_name" not in metadata


def test_one_bad_item_fails_only_its_own_partition(mm_settings, tmp_path):
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 6)
    defs = build_definitions(mm_settings)
    broken = keys[2]
    open_store(mm_settings.store_root).delete(media_key(broken))  # the original vanished from the store

    report = materialize_partitions(defs, instance, [SOURCE], keys, batch_size=200)

    assert list(report.failed) == [broken]
    assert "original missing" in report.failed[broken]
    assert sorted(report.materialized) == sorted(set(keys) - {broken})
    status = collect_status(defs, instance)["source_media"]
    assert status.failed == {broken}
    assert status.materialized == set(keys) - {broken}
    assert status.missing == set()
    # Dagster's own partition status says the same: only the bad partition failed.
    by_partition = instance.get_status_by_partition(SOURCE, keys, defs.resolve_assets_def(SOURCE).partitions_def)
    assert {k for k, v in by_partition.items() if v == dg.AssetPartitionStatus.FAILED} == {broken}
    # The launcher split this batch itself, so the UI-backfill sensor leaves its failed run alone.
    first = instance.get_run_by_id(report.run_ids[0])
    assert BATCH_TAG in first.tags
    assert isinstance(split_sensor_verdict(defs, instance, first), dg.SkipReason)


def test_a_ui_style_batched_run_with_a_bad_item_is_split_by_the_sensor(mm_settings, tmp_path):
    """A backfill from the UI is one run over a range, without mm's launcher to split it afterwards."""
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 6)
    defs = build_definitions(mm_settings)
    broken = keys[2]
    open_store(mm_settings.store_root).delete(media_key(broken))
    job = defs.resolve_job_def(GRAPH_JOB)
    failed = job.execute_in_process(
        instance=instance, asset_selection=[SOURCE], tags=partition_range_tags(keys), raise_on_error=False
    )
    assert not failed.success

    requests = split_sensor_verdict(defs, instance, failed.dagster_run)

    ranges = [(r.tags[RANGE_START_TAG], r.tags[RANGE_END_TAG]) for r in requests]
    assert ranges == [(broken, broken), (keys[0], keys[1]), (keys[3], keys[5])]
    assert all(r.asset_selection == [SOURCE] and r.tags[SPLIT_OF_TAG] == failed.run_id for r in requests)
    for request in requests:  # what the daemon would launch
        rerun = job.execute_in_process(
            instance=instance, asset_selection=request.asset_selection, tags=request.tags, raise_on_error=False
        )
        assert rerun.success == (request.tags[RANGE_START_TAG] != broken)
        if not rerun.success:  # a single partition is final: no further split
            assert isinstance(split_sensor_verdict(defs, instance, rerun.dagster_run), dg.SkipReason)
    by_partition = instance.get_status_by_partition(SOURCE, keys, defs.resolve_assets_def(SOURCE).partitions_def)
    assert {k for k, v in by_partition.items() if v == dg.AssetPartitionStatus.FAILED} == {broken}
    assert {k for k, v in by_partition.items() if v == dg.AssetPartitionStatus.MATERIALIZED} == set(keys) - {broken}


def test_status_counts_missing_then_materialized_then_stale_after_a_code_change(mm_settings, tmp_path, monkeypatch):
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 3)
    defs = build_definitions(mm_settings)
    assert collect_status(defs, instance)["source_media"].counts()["missing"] == 3

    materialize_partitions(defs, instance, [SOURCE], keys[:2], batch_size=200)
    counts = collect_status(defs, instance)["source_media"].counts()
    assert (counts["materialized"], counts["missing"], counts["stale"]) == (2, 1, 0)

    monkeypatch.setattr(source_media_module, "SPEC", replace(source_media_module.SPEC, logic_version="2"))
    upgraded = build_definitions(mm_settings)
    status = collect_status(upgraded, instance)["source_media"]
    assert set(status.stale) == set(keys[:2])
    assert "code version" in status.stale[keys[0]]


@pytest.mark.postgres
def test_the_dagster_instance_and_catalog_run_on_postgresql(tmp_path, postgres_url):
    settings = Settings(home=tmp_path / "mm").with_overrides(
        catalog_url=postgres_url, dagster_postgres_url=postgres_url, store_root=str(tmp_path / "store")
    )
    instance, keys = ingest_and_register(settings, tmp_path / "in", 5)
    assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
    defs = build_definitions(settings)
    report = materialize_partitions(defs, instance, [SOURCE], keys, batch_size=200)
    assert len(report.run_ids) == 1 and sorted(report.materialized) == sorted(keys)
    assert collect_status(defs, instance)["source_media"].counts()["materialized"] == 5
    instance.dispose()


def test_progress_counts_each_assets_share_of_a_partition_as_its_events_land(mm_settings, tmp_path):
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 3)
    defs = build_definitions(mm_settings)
    heard: list[float] = []

    pages = dg.AssetKey("pages")
    report = materialize_partitions(defs, instance, [SOURCE, pages], keys, 200, on_partition_done=heard.append)

    assert sum(heard) == pytest.approx(3.0)  # every partition, reported while the batch ran or at its end
    run_id = report.run_ids[0]
    assert partitions_done(instance, run_id, [SOURCE, pages]) == 3.0
    thumbnail = dg.AssetKey("thumbnail")  # not in the run: its share of each partition is still to come
    assert partitions_done(instance, run_id, [SOURCE, pages, thumbnail]) == pytest.approx(2.0)
    landed = LandedPartitions(run_id, [SOURCE, pages])  # what the progress watcher polls
    assert landed.poll(instance) == 3.0
    cursor = landed.cursor
    assert landed.poll(instance) == 3.0 and landed.cursor == cursor  # a poll reads only what landed since


def test_a_partition_that_raises_leaves_its_traceback_in_the_runs_log(mm_settings, tmp_path, monkeypatch):
    """A failed partition's reason names the error; its traceback is in the run's log (the UI's run view), so a
    failure on one real document can be traced to a line (set F's 44-digit access keys were found this way)."""
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 3)
    broken = keys[1]

    def make(run):  # a batched kind's code raising deep inside, for one partition only
        if broken in run.context.partition_keys:
            with run.batch.guard(broken):
                raise ValueError(f"cannot read {broken[:8]}")

    monkeypatch.setattr(source_media_module, "SPEC", replace(source_media_module.SPEC, make=make, batched=True))
    report = materialize_partitions(build_definitions(mm_settings), instance, [SOURCE], keys, batch_size=200)

    assert report.failed[broken] == f"ValueError: cannot read {broken[:8]}"
    errors = [
        entry.user_message
        for run_id in report.run_ids
        for entry in instance.all_logs(run_id)
        if entry.level == logging.ERROR and not entry.is_dagster_event
    ]
    assert any(broken in message and "Traceback" in message and "in make" in message for message in errors), errors
