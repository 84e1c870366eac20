"""`mm fsck` and run health: each inconsistency made by hand is found, repaired, and then gone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import dagster as dg
import pytest
import sqlalchemy as sa

from mm_assets.artifacts import store_key_of
from mm_assets.cli import EXIT_OK, EXIT_PARTIAL, main
from mm_assets.kinds import payload_side_files
from mm_assets.operations.fsck import fsck
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.run_health import HEARTBEAT_TAG, WORKER_TAG, check_worker, recover_dead_runs, this_worker
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.blob_store import media_key
from resources.catalog import CatalogResource, derived_artifact, quarantine_item, source_media
from resources.stores import open_store
from tests.conftest import distinct_images


@pytest.fixture
def ingested(mm_settings, tmp_path, monkeypatch, capsys):
    """Three images ingested and their pages materialized, through the CLI."""
    monkeypatch.setenv("MM_HOME", str(mm_settings.home))
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING"):
        monkeypatch.delenv(var, raising=False)
    distinct_images(tmp_path / "in", 3)
    assert main(["ingest", str(tmp_path / "in"), "--json"]) == EXIT_OK
    assert main(["materialize", "--select", "source_media,pages", "--json"]) == EXIT_OK
    capsys.readouterr()
    return mm_settings


def fsck_json(capsys, *flags: str) -> tuple[int, dict]:
    code = main(["fsck", *flags, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_consistent_home_has_nothing_to_repair(ingested, capsys):
    code, report = fsck_json(capsys)
    assert code == EXIT_OK and report["findings"] == [] and report["clean"]
    assert report["checked"]["originals"] == 3 and report["checked"]["partitions"] == 3


def test_fsck_finds_and_repairs_what_a_crash_leaves(ingested, capsys):
    settings = ingested
    catalog, store = CatalogResource(url=settings.catalog_url), open_store(settings.store_root)
    instance = get_instance(settings)
    hashes = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    # An original without a row, a row without a partition, a payload without a row, a temp file of a dead writer.
    orphan = store.put_bytes_if_absent(media_key("e" * 64), b"orphaned bytes") and "e" * 64
    instance.delete_dynamic_partition(CONTENT_HASH_PARTITIONS_NAME, hashes[0])
    store.put_bytes_if_absent(f"artifacts/pages/ab/{'a' * 64}/1__old.json", b"{}")
    (store.root_path / ".tmp" / f"{socket.gethostname()}~999999999~x").write_bytes(b"half")

    code, report = fsck_json(capsys)

    assert code == EXIT_PARTIAL and not report["clean"]
    assert report["counts"] == {
        "temp_file": 1,
        "original_without_row": 1,
        "payload_without_row": 1,
        "source_without_partition": 1,
    }
    assert store.exists(media_key(orphan))  # a dry run changes nothing

    code, repaired = fsck_json(capsys, "--repair")
    assert code == EXIT_OK and all(finding["repaired"] for finding in repaired["findings"])
    assert fsck_json(capsys)[1]["findings"] == []
    assert store.read_bytes(f"quarantine/ee/{orphan}") == b"orphaned bytes"  # kept, never lost
    with catalog.engine.connect() as conn:
        reasons = conn.execute(sa.select(quarantine_item.c.reason)).scalars().all()
    assert reasons == ["orphaned_original"]


def test_every_kind_s_side_files_belong_to_their_payload(ingested, capsys):
    """Page images, transcript windows and keyframe descriptions beside a payload are not orphans;
    with the payload gone, they go with its row."""
    settings = ingested
    catalog, store = CatalogResource(url=settings.catalog_url), open_store(settings.store_root)
    with catalog.engine.connect() as conn:
        artifact = conn.execute(sa.select(derived_artifact)).first()
    payload = store_key_of(store, artifact.payload_uri)
    stem = payload.rsplit(".", 1)[0]
    beside = [stem + suffix.replace("#", "7") for suffix in payload_side_files()]
    assert {".windows.json", ".frames.json"} <= set(payload_side_files())
    for key in beside:
        store.put_bytes_if_absent(key, b"[]")

    assert fsck_json(capsys)[1]["findings"] == []

    store.delete(payload)
    code, report = fsck_json(capsys, "--repair")
    assert [finding["kind"] for finding in report["findings"]] == ["artifact_without_payload"]
    assert not any(store.exists(key) for key in beside)


def test_fsck_reports_rows_whose_bytes_were_removed_by_hand(ingested, capsys):
    settings = ingested
    catalog, store = CatalogResource(url=settings.catalog_url), open_store(settings.store_root)
    with catalog.engine.connect() as conn:
        artifact = conn.execute(sa.select(derived_artifact)).first()
        other = conn.execute(
            sa.select(source_media.c.content_hash).where(source_media.c.content_hash != artifact.source_hash)
        ).scalar()
    payload = store_key_of(store, artifact.payload_uri)
    store.delete(payload)
    store.delete(media_key(other))
    get_instance(settings).add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, ["f" * 64])

    code, report = fsck_json(capsys, "--repair")

    by_kind = {finding["kind"]: finding for finding in report["findings"]}
    assert set(by_kind) == {"artifact_without_payload", "source_without_original", "partition_without_source"}
    assert by_kind["artifact_without_payload"]["next_step"] == (
        f"mm reprocess --kind pages --partitions {artifact.source_hash}"
    )
    assert not by_kind["source_without_original"]["repaired"] and code == EXIT_PARTIAL  # needs a person
    remaining = fsck(catalog, store, get_instance(settings), side_files=payload_side_files())
    assert [finding.kind for finding in remaining.findings] == ["source_without_original"]


# ---- run health ------------------------------------------------------------------------------


def test_a_worker_is_alive_only_while_its_own_process_runs():
    assert check_worker(this_worker(), None, 600)[0]
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    worker = this_worker().replace(f":{os.getpid()}:", f":{sleeper.pid}:")  # right pid, wrong start time
    alive, why = check_worker(worker, None, 600)
    assert not alive and "another process" in why
    sleeper.kill()
    sleeper.wait()
    alive, why = check_worker(f"{socket.gethostname()}:{sleeper.pid}:1", None, 600)
    assert not alive and "is gone" in why


def test_a_worker_on_another_host_is_judged_by_its_heartbeat():
    assert check_worker("elsewhere:123:456", str(time.time() - 10), 600)[0]
    alive, why = check_worker("elsewhere:123:456", str(time.time() - 700), 600)
    assert not alive and "no heartbeat" in why
    assert not check_worker("elsewhere:123:456", None, 600)[0]


def test_recover_dead_runs_fails_only_runs_whose_worker_is_gone(mm_settings):
    instance = get_instance(mm_settings)

    @dg.asset
    def nothing() -> None:
        return None

    job = dg.Definitions(assets=[nothing], jobs=[dg.define_asset_job("j")]).resolve_job_def("j")
    stale = {WORKER_TAG: "elsewhere:1:1", HEARTBEAT_TAG: str(int(time.time()) - 3600)}
    fresh = {WORKER_TAG: "elsewhere:2:2", HEARTBEAT_TAG: str(int(time.time()))}
    started = dg.DagsterRunStatus.STARTED
    runs = [instance.create_run_for_job(job, tags=tags, status=started) for tags in (stale, fresh, {})]

    verdicts = {v.run_id: v for v in recover_dead_runs(instance)}

    assert not verdicts[runs[0].run_id].alive and verdicts[runs[1].run_id].alive
    assert runs[2].run_id not in verdicts  # not launched by mm: left to Dagster's run monitoring
    statuses = [instance.get_run_by_id(run.run_id).status for run in runs]
    assert statuses == [dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTED]


def test_fsck_works_the_same_on_an_s3_store(s3_env, mm_settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MM_HOME", str(mm_settings.home))
    monkeypatch.setenv("MM_STORE", f"s3://{s3_env.bucket}/fsck-{tmp_path.name}")
    distinct_images(tmp_path / "in", 2)
    assert main(["ingest", str(tmp_path / "in"), "--json"]) == EXIT_OK
    capsys.readouterr()
    store = open_store(f"s3://{s3_env.bucket}/fsck-{tmp_path.name}")
    store.put_bytes_if_absent(media_key("c" * 64), b"orphan")

    code, report = fsck_json(capsys, "--repair")

    assert code == EXIT_OK and report["counts"] == {"original_without_row": 1}
    assert report["checked"]["originals"] == 3
    assert not store.exists(media_key("c" * 64)) and store.read_bytes(f"quarantine/cc/{'c' * 64}") == b"orphan"
    assert fsck_json(capsys)[1]["findings"] == []
