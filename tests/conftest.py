"""Shared fixtures: a fresh MM_HOME per test, real SQLite/PostgreSQL catalogs, real Dagster instances."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from mm_assets.settings import Settings, load_settings
from resources.catalog import CatalogResource
from resources.media_store import LocalBlobStore

pytest_plugins = ["tests.s3_server", "tests.serving"]  # real servers: s3_server, s3_env; served (mm serve)

POSTGRES_ADMIN_URL = os.environ.get("MM_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def own_dagster_home_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """`get_instance` points DAGSTER_HOME at the home it opens (dagster.yaml reads it); restore it after each test."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)


@pytest.fixture
def mm_settings(tmp_path: Path) -> Settings:
    return load_settings({"MM_HOME": str(tmp_path / "mm_home")})


@pytest.fixture
def catalog(mm_settings: Settings) -> CatalogResource:
    return CatalogResource(url=mm_settings.catalog_url)


@pytest.fixture
def store(mm_settings: Settings) -> LocalBlobStore:
    return LocalBlobStore(mm_settings.store_root)


def write_image(path: Path, size: tuple[int, int] = (48, 32), color: tuple[int, int, int] = (200, 30, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".bmp": "BMP", ".tif": "TIFF"}
    Image.new("RGB", size, color).save(path, fmt[path.suffix.lower()])
    return path


def distinct_images(folder: Path, count: int, start: int = 0) -> list[Path]:
    """`count` PNGs with distinct bytes (so distinct content hashes)."""
    return [
        write_image(folder / f"img_{i:04d}.png", color=(i % 256, (i // 256) % 256, 77))
        for i in range(start, start + count)
    ]


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: sa.Engine) -> Iterator[str]:
    """A fresh database for one test, dropped afterwards."""
    name = f"mm_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with postgres_admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def ingest_and_register(media: Path, home: Path, tenant: str = "t1") -> tuple[Settings, dict[str, str], Any]:
    """Ingest every file of `media` into a new home and register its partitions with Dagster:
    (settings, {file name: content hash}, the Dagster instance)."""
    from mm_assets.operations.ingest import IngestOptions, ingest_paths
    from mm_assets.orchestration.instance import get_instance
    from partitions import CONTENT_HASH_PARTITIONS_NAME

    settings = load_settings({"MM_HOME": str(home)})
    report = ingest_paths(
        [media],
        catalog=CatalogResource(url=settings.catalog_url),
        store=LocalBlobStore(settings.store_root),
        caps=settings.caps,
        options=IngestOptions(tenant=tenant),
    )
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    return settings, {Path(item["path"]).name: item["content_hash"] for item in report.accepted}, instance
