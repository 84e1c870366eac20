"""Workers on one catalog split the partitions: claims, and two concurrent `mm materialize --missing`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from mm_assets.cli import EXIT_OK, main
from mm_assets.orchestration.claims import PartitionClaims
from resources.catalog import CatalogResource, processing_step
from tests.conftest import distinct_images

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKER_TIMEOUT_S = 600


@pytest.fixture(params=["sqlite", "postgres"])
def claim_catalog(request, mm_settings) -> CatalogResource:
    if request.param == "sqlite":
        return CatalogResource(url=mm_settings.catalog_url)
    return CatalogResource(url=request.getfixturevalue("postgres_url"))


def test_a_claimed_partition_is_skipped_by_another_worker_until_released_or_expired(claim_catalog):
    first, second = PartitionClaims(claim_catalog, "first"), PartitionClaims(claim_catalog, "second")
    assert first.claim(["a", "b", "c"]) == ["a", "b", "c"]
    assert second.claim(["b", "c", "d"]) == ["d"]
    assert first.claim(["c", "a"]) == ["c", "a"]  # a worker's own claims stay its own

    first.release(["b"])
    assert second.claim(["b", "c"]) == ["b"]
    dead = PartitionClaims(claim_catalog, "dead", ttl=timedelta(seconds=-1))  # expired at once
    assert dead.claim(["e"]) == ["e"]
    assert second.claim(["e"]) == ["e"]


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "mm_assets.cli", "materialize", "--missing", "--select", "source_media,pages"]
    return subprocess.Popen(
        [*command, "--json"], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.postgres
def test_two_concurrent_workers_never_render_the_same_partition_twice(tmp_path, postgres_url, monkeypatch):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "MM_HOME": str(tmp_path / "home"),
        "MM_CATALOG_URL": postgres_url,
        "MM_DAGSTER_PG_URL": postgres_url,
        "MM_RUN_BATCH_SIZE": "1",  # many small batches, so the two workers overlap
    }
    for name in ("MM_HOME", "MM_CATALOG_URL", "MM_DAGSTER_PG_URL"):
        monkeypatch.setenv(name, env[name])
    images = distinct_images(tmp_path / "in", 12)
    assert main(["ingest", str(tmp_path / "in"), "--json"]) == EXIT_OK

    workers = [start_worker(env), start_worker(env)]
    outputs = [worker.communicate(timeout=WORKER_TIMEOUT_S) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    done = [set(report["materialized"]) for report in reports]
    assert done[0] and done[1], "the workers did not overlap: the test proves nothing"
    assert not done[0] & done[1] and len(done[0] | done[1]) == len(images)
    with CatalogResource(url=postgres_url).engine.connect() as conn:
        rendered = Counter(
            conn.execute(
                sa.select(processing_step.c.source_hash).where(
                    processing_step.c.step == "pages", processing_step.c.outcome == "ok"
                )
            ).scalars()
        )
    assert len(rendered) == len(images) and set(rendered.values()) == {1}, rendered  # one model call each
    print(f"pages rendered per worker: {[len(d) for d in done]}; model calls per partition: {set(rendered.values())}")
