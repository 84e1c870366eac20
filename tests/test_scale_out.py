"""The whole graph on the scale-out stack: PostgreSQL catalog and dagster-postgres, SeaweedFS S3 for
originals, payloads and compute logs, LanceDB on S3; runs queued on the instance and launched by a
real `dagster-daemon` (started here, stopped by its pid). Ingest, materialize (one run through the
daemon's queue, the rest in-process), search, an embedder upgrade and reprocess, then forget."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image
from skimage import data as skdata

from mm_assets.cli import EXIT_OK, main
from mm_assets.definitions import build_definitions
from mm_assets.orchestration.submit import SUBMITTED_TAG
from mm_assets.settings import load_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REPO_ROOT = Path(__file__).resolve().parents[1]
DAEMON_STOP_S = 20
GRPC_INFO_TAG = ".dagster/grpc_info"  # set by the run launcher when it starts a run


@contextmanager
def running_daemon(dagster_home: Path, log: Path) -> Iterator[subprocess.Popen]:
    """`dagster-daemon run` on this instance and workspace.yaml; stopped by its pid (SIGTERM, then SIGKILL)."""
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "PYTHONPATH": str(REPO_ROOT)}
    daemon = Path(sys.executable).with_name("dagster-daemon")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(daemon), "run", "-w", str(REPO_ROOT / "workspace.yaml")],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=DAEMON_STOP_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def mm(tmp_path, postgres_url, s3_env, monkeypatch, capsys):
    """`mm ...` in-process on a home whose every store is the scale-out one."""
    prefix = f"scale-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MM_CATALOG_URL", postgres_url)
    monkeypatch.setenv("MM_DAGSTER_PG_URL", postgres_url)
    monkeypatch.setenv("MM_STORE", f"s3://{s3_env.bucket}/{prefix}/store")
    monkeypatch.setenv("MM_INDEX", f"s3://{s3_env.bucket}/{prefix}/index")
    monkeypatch.setenv("MM_RUN_COORDINATOR", "queued")
    monkeypatch.setenv("MM_EXECUTOR", "in_process")  # the launched run: one process, not one per step

    def run(*argv: str, **env: str) -> tuple[int, dict]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main([*argv, "--json"])
        captured = capsys.readouterr()
        assert code in (0, 3), f"mm {' '.join(argv)} exited {code}: {captured.err[-3000:]}"
        return code, json.loads(captured.out) if captured.out.strip() else {}

    run.prefix = prefix  # type: ignore[attr-defined]
    return run


def photos(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("chelsea", "coffee", "rocket"):
        photo = Image.fromarray(getattr(skdata, name)()).convert("RGB")
        photo.thumbnail((160, 160))
        photo.save(folder / f"{name}.jpg", quality=90)
    return folder


def test_the_whole_graph_runs_on_postgres_and_s3_with_a_run_through_the_daemons_queue(mm, tmp_path, s3_env):
    code, ingested = mm("ingest", str(photos(tmp_path / "media")), "--tenant", "t1")
    hashes = {Path(item["path"]).name: item["content_hash"] for item in ingested["accepted"]}
    assert len(hashes) == 3
    settings = load_settings()

    # One run through the queue: submitted by mm, dequeued and launched by the daemon.
    with running_daemon(settings.dagster_home, tmp_path / "daemon.log"):
        code, queued = mm("materialize", "--select", "source_media")
    assert code == EXIT_OK, (tmp_path / "daemon.log").read_text()[-3000:]
    assert sorted(queued["materialized"]) == sorted(hashes.values()) and len(queued["run_ids"]) == 1
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    run = instance.get_run_by_id(queued["run_ids"][0])
    assert run.status == dg.DagsterRunStatus.SUCCESS and SUBMITTED_TAG in run.tags and GRPC_INFO_TAG in run.tags
    logs = s3_env.client().list_objects_v2(Bucket=s3_env.bucket, Prefix=f"{mm.prefix}/store/dagster-compute-logs")
    assert logs.get("KeyCount", 0) > 0, "the launched run's compute logs are not on S3"

    sink = build_definitions(settings).resources["alert_sink"]  # on S3 with the store
    sink.send({"type": "run_failed", "asset": "source_media", "message": "a test alert"})
    assert [alert["message"] for alert in sink.read()] == ["a test alert"]
    assert not Path(sink.path).exists()

    code, rest = mm("materialize", "--in-process")
    assert code == EXIT_OK and rest["failed"] == []
    code, found = mm("search", "a cat", "--tenant", "t1", "--k", "3")
    assert found["results"][0]["content_hash"] == hashes["chelsea.jpg"]

    lite2 = {"MM_EMBEDDER_NAME": "efficientnet-lite2"}
    code, upgraded = mm("reprocess", "--kind", "visual_embedding", "--in-process", **lite2)
    assert code == EXIT_OK and sorted(upgraded["materialized"]) == sorted(hashes.values())
    code, status = mm("status", "--global")
    stale = {name: counts["stale"] for name, counts in status["assets"].items() if counts["stale"]}
    # the text channel, transcript windows and keyframes use the embedder too: not reprocessed
    assert stale == {"text_embedding": 3, "transcript_embedding": 3, "keyframe_embedding": 3}, stale
    assert all(counts["missing"] == 0 for counts in status["assets"].values()), status

    code, forgot = mm("forget", hashes["rocket.jpg"], "--tenant", "t1")
    assert code == EXIT_OK and forgot["index_rows_deleted"] == 1
    code, found = mm("search", "a rocket", "--tenant", "t1", "--k", "3")
    assert hashes["rocket.jpg"] not in {hit["content_hash"] for hit in found["results"]}
    instance.dispose()
