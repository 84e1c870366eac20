"""A home can be moved or copied: catalog URIs are relative to the store, dagster.yaml names no path, and
nothing a run writes (rows, review details, payloads, Dagster metadata, index) holds the home's path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from expectations.catalog import run_catalog_expectations
from mm_assets.cli import EXIT_OK, EXIT_PARTIAL, main
from mm_assets.settings import load_settings
from resources.catalog import CatalogResource, derived_artifact, review_item, source_media
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
    assert main(["status", "--global", "--json"]) == EXIT_OK
    assert '"materialized": 3' in capsys.readouterr().out  # Dagster's history moved with the home
    assert "/" not in (moved / "dagster" / "dagster.yaml").read_text()  # the home comes from DAGSTER_HOME

    victim = uris[0].rsplit("/", 1)[-1]
    assert main(["forget", victim, "--tenant", "t1"]) == EXIT_OK
    store = LocalBlobStore(settings.store_root)
    assert [key for key in store.list_keys("artifacts") if victim in key] == []


REPO_ROOT = Path(__file__).resolve().parents[1]
# A photo whose OCR finds one unsure character: its ocr_quality check stores a crop and opens a review.
PHOTOS = ("chelsea.jpg", "rocket.jpg")


def files_naming(root: Path, text: str) -> list[str]:
    """Every file under `root` whose bytes contain `text` (SQLite databases and their logs included)."""
    needle = text.encode()
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()
    )


@pytest.fixture
def built_home(tmp_path, monkeypatch, capsys) -> Path:
    """A home with the whole graph over two photos (crop, review item, index rows), made through the CLI."""
    home = tmp_path / "first-home"
    monkeypatch.setenv("MM_HOME", str(home))
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_INDEX"):
        monkeypatch.delenv(var, raising=False)
    media = tmp_path / "media"
    media.mkdir()
    for name in PHOTOS:
        shutil.copy(REPO_ROOT / "samples" / name, media / name)
    assert main(["ingest", str(media), "--tenant", "t1"]) == EXIT_OK
    assert main(["materialize", "--missing"]) == EXIT_OK
    capsys.readouterr()
    return home


@pytest.mark.slow
def test_a_copied_home_names_no_old_path_and_fsck_finds_it_clean(built_home, tmp_path, monkeypatch, capsys):
    catalog = CatalogResource(url=f"sqlite:///{built_home / 'catalog.db'}")
    with catalog.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(review_item)).scalar() >= 1
        crops = conn.execute(sa.select(derived_artifact.c.payload_uri).where(derived_artifact.c.kind == "crop")).all()
    assert crops, "the photo's OCR review should have stored a crop"
    catalog.engine.dispose()

    copy = tmp_path / "copied-home"
    shutil.copytree(built_home, copy, symlinks=True)  # `cp -a`
    # Before any mm command touches the copy: no file in it names the first home.
    assert files_naming(copy, str(built_home)) == []

    monkeypatch.setenv("MM_HOME", str(copy))
    assert main(["fsck", "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["clean"] and report["findings"] == [] and report["checked"]["artifact_rows"] > 0
    assert main(["status", "--global", "--json"]) == EXIT_OK
    status = json.loads(capsys.readouterr().out)
    assert all(kind["missing"] == 0 and kind["stale"] == 0 for kind in status["assets"].values()), status


@pytest.mark.slow
def test_rows_with_old_absolute_uris_are_reported_by_fsck_and_rewritten_by_migrate(
    built_home, tmp_path, monkeypatch, capsys
):
    copy = tmp_path / "copied-home"
    shutil.copytree(built_home, copy, symlinks=True)
    monkeypatch.setenv("MM_HOME", str(copy))
    catalog = CatalogResource(url=load_settings().catalog_url)
    old_store = f"file://{built_home}/store/"
    # What rows written before store-relative URIs look like: absolute URIs into the first home.
    with catalog.engine.begin() as conn:
        crop_id, crop_uri = conn.execute(
            sa.select(derived_artifact.c.artifact_id, derived_artifact.c.payload_uri).where(
                derived_artifact.c.kind == "crop"
            )
        ).first()
        old_crop = old_store + crop_uri.removeprefix("store:")
        conn.execute(
            derived_artifact.update().where(derived_artifact.c.artifact_id == crop_id).values(payload_uri=old_crop)
        )
        conn.execute(source_media.update().values(uri=sa.func.replace(source_media.c.uri, "store:", old_store)))
        review_id, details = conn.execute(sa.select(review_item.c.review_id, review_item.c.details)).first()
        details["crop"]["payload_uri"] = old_crop
        conn.execute(review_item.update().where(review_item.c.review_id == review_id).values(details=details))

    assert main(["fsck", "--json"]) == EXIT_PARTIAL  # reported, not a crash
    report = json.loads(capsys.readouterr().out)
    foreign = [finding for finding in report["findings"] if finding["kind"] == "foreign_uri"]
    assert len(foreign) == 1 + len(PHOTOS) + 1 and report["counts"] == {"foreign_uri": len(foreign)}
    assert all(str(built_home) in finding["detail"] and finding["next_step"] == "mm migrate" for finding in foreign)

    assert main(["migrate", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["uris_rewritten"] == len(foreign)
    assert main(["fsck", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["findings"] == []
    with catalog.engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(derived_artifact.c.payload_uri).where(derived_artifact.c.artifact_id == crop_id)
            ).scalar()
            == crop_uri
        )
        assert conn.execute(sa.select(review_item.c.details)).first()[0]["crop"]["payload_uri"] == crop_uri
