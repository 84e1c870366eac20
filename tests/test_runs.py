"""Batched runs over content-hash partitions, per-partition failure, status, and the PostgreSQL instance."""

from __future__ import annotations

import dagster as dg
import pytest

import mm_assets.source_media as source_media_module
from mm_assets.definitions import build_definitions
from mm_assets.ingest import IngestOptions, ingest_paths
from mm_assets.instance import get_instance
from mm_assets.runs import BATCH_TAG, materialize_partitions
from mm_assets.settings import Settings
from mm_assets.status import collect_status
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.media_store import media_key, open_store
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
    assert metadata["mime_type"].value == "image/png" and metadata["tenant_id"].value == "default"


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


def test_status_counts_missing_then_materialized_then_stale_after_a_code_change(mm_settings, tmp_path, monkeypatch):
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 3)
    defs = build_definitions(mm_settings)
    assert collect_status(defs, instance)["source_media"].counts()["missing"] == 3

    materialize_partitions(defs, instance, [SOURCE], keys[:2], batch_size=200)
    counts = collect_status(defs, instance)["source_media"].counts()
    assert (counts["materialized"], counts["missing"], counts["stale"]) == (2, 1, 0)

    monkeypatch.setattr(source_media_module, "SOURCE_MEDIA_VERSION", "2")
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
    assert "postgres" in type(instance.event_log_storage).__module__
    defs = build_definitions(settings)
    report = materialize_partitions(defs, instance, [SOURCE], keys, batch_size=200)
    assert len(report.run_ids) == 1 and sorted(report.materialized) == sorted(keys)
    assert collect_status(defs, instance)["source_media"].counts()["materialized"] == 5
    instance.dispose()
