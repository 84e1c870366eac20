"""`mm status` reads staleness in batches, agrees with Dagster's own resolver, and pools its connections."""

from __future__ import annotations

from dataclasses import replace

import dagster as dg
import psycopg2
import pytest

import mm_assets.kinds.source_media as source_media_module
from mm_assets.dagster_internals.partition_records import DagsterStaleResolver
from mm_assets.definitions import build_definitions
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from tests.test_runs import ingest_and_register

SOURCE, PAGES = dg.AssetKey("source_media"), dg.AssetKey("pages")


def resolver_view(defs: dg.Definitions, instance: dg.DagsterInstance, asset_key: dg.AssetKey, keys) -> dict:
    """Stale partitions and their reasons as Dagster's own (per-partition) resolver sees them."""
    resolver = DagsterStaleResolver(instance, defs.resolve_asset_graph())
    causes = {key: resolver.stale_causes(asset_key, key) for key in keys}
    return {key: "; ".join(sorted(reasons)) for key, reasons in causes.items() if reasons}


def upgrade_source_media_and_redo_one(settings: Settings, tmp_path, monkeypatch):
    instance, keys = ingest_and_register(settings, tmp_path / "in", 3)
    defs = build_definitions(settings)
    materialize_partitions(defs, instance, [SOURCE, PAGES], keys, batch_size=200)
    monkeypatch.setattr(source_media_module, "SPEC", replace(source_media_module.SPEC, logic_version="2"))
    upgraded = build_definitions(settings)
    materialize_partitions(upgraded, instance, [SOURCE], keys[:1], batch_size=200)
    return upgraded, instance, keys


def test_batched_staleness_agrees_with_dagsters_resolver_after_an_upgrade(mm_settings, tmp_path, monkeypatch):
    defs, instance, keys = upgrade_source_media_and_redo_one(mm_settings, tmp_path, monkeypatch)

    status = collect_status(defs, instance, [SOURCE, PAGES])

    # The two not redone keep the old code version; pages of the redone one read a new input.
    assert status["source_media"].stale == {k: "has a new code version" for k in keys[1:]}
    assert status["pages"].stale == {keys[0]: "has a new dependency data version"}
    for asset_key in (SOURCE, PAGES):
        assert status[asset_key.to_user_string()].stale == resolver_view(defs, instance, asset_key, keys)


@pytest.mark.postgres
def test_status_on_postgresql_opens_a_few_connections_not_one_per_query(tmp_path, postgres_url, monkeypatch):
    settings = Settings(home=tmp_path / "mm").with_overrides(
        catalog_url=postgres_url, dagster_postgres_url=postgres_url, store_root=str(tmp_path / "store")
    )
    defs, instance, keys = upgrade_source_media_and_redo_one(settings, tmp_path, monkeypatch)
    opened: list[str] = []
    real_connect = psycopg2.connect

    def counting_connect(*args, **kwargs):
        opened.append("connection")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(psycopg2, "connect", counting_connect)
    status = collect_status(defs, instance)

    assert status["pages"].stale == {keys[0]: "has a new dependency data version"}
    assert len(status) == len(defs.resolve_asset_graph().materializable_asset_keys)
    assert len(opened) <= 3, f"{len(opened)} connections opened for one status over {len(status)} assets"
    instance.dispose()
