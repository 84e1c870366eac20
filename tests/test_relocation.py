"""A home can be moved or copied: catalog URIs are relative to the store, dagster.yaml is regenerated."""

from __future__ import annotations

import shutil

import sqlalchemy as sa

from expectations.catalog import run_catalog_expectations
from mm_assets.cli import EXIT_OK, main
from mm_assets.settings import load_settings
from resources.catalog import CatalogResource, derived_artifact, source_media
from resources.media_store import LocalBlobStore
from tests.conftest import distinct_images


def test_a_moved_home_keeps_its_status_payloads_and_forget_working(tmp_path, monkeypatch, capsys):
    original = tmp_path / "original"
    monkeypatch.setenv("MM_HOME", str(original))
    distinct_images(tmp_path / "in", 3)
    assert main(["ingest", str(tmp_path / "in"), "--tenant", "t1"]) == EXIT_OK
    assert main(["materialize", "--select", "source_media,pages"]) == EXIT_OK

    moved = tmp_path / "elsewhere" / "moved"
    shutil.move(str(original), str(moved))
    monkeypatch.setenv("MM_HOME", str(moved))
    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)

    with catalog.engine.connect() as conn:
        uris = list(conn.execute(sa.select(source_media.c.uri)).scalars())
        uris += list(conn.execute(sa.select(derived_artifact.c.payload_uri)).scalars())
    assert uris and all(uri.startswith("store:") for uri in uris) and not any(str(original) in u for u in uris)
    report = run_catalog_expectations(settings.catalog_url, LocalBlobStore(settings.store_root), 100)
    assert report.success, [result.name for result in report.failed]  # every payload found in the moved store

    capsys.readouterr()
    assert main(["status", "--json"]) == EXIT_OK
    assert '"materialized": 3' in capsys.readouterr().out  # Dagster's history moved with the home
    assert str(moved) in (moved / "dagster" / "dagster.yaml").read_text()

    victim = uris[0].rsplit("/", 1)[-1]
    assert main(["forget", victim, "--tenant", "t1"]) == EXIT_OK
    store = LocalBlobStore(settings.store_root)
    assert [key for key in store.list_keys("artifacts") if victim in key] == []
