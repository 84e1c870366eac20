"""The census observations an upload's answering run leaves to the server are journalled before the
answer (server/figures_journal.py): a server SIGKILLed between the answer and their report reports them
at its next start. The journal on its own, then a real `mm serve` killed at that point and restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import dagster as dg
import httpx
import pytest

from mm_assets.artifacts import DeferredFigures
from mm_assets.definitions import build_definitions
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.sensors import RANGE_START_TAG
from mm_assets.server.figures_journal import FiguresJournal
from mm_assets.server.process import spawn_server, stop_server, wait_until_ready
from mm_assets.settings import load_settings
from resources.faults import FAULT_ENV
from tests.serving import MAX_BYTES, SAMPLES, STARTUP_TIMEOUT_S

FIGURE = DeferredFigures(
    asset_key="ocr", kind="ocr", active_version="3+rapidocr", partitions=1, reused=0, metadata={"pages": 2}
)


def observations(instance: dg.DagsterInstance, asset: str) -> list[dg.EventLogRecord]:
    return list(instance.fetch_observations(dg.AssetKey(asset), limit=100).records)


def test_a_journalled_runs_figures_are_reported_once_on_replay_and_then_struck(mm_settings, catalog, tmp_path):
    instance = get_instance(mm_settings)
    journal = FiguresJournal(tmp_path / "journal")
    journal.write("run-1", [FIGURE])
    journal.write("run-2", [])  # nothing to journal: no file

    assert sorted(path.name for path in journal.folder.iterdir()) == ["run-1.json"]
    assert journal.pending() == {"run-1": [FIGURE]}
    assert journal.replay(instance, catalog) == 1
    [record] = observations(instance, "ocr")
    metadata = record.asset_observation.metadata
    assert record.run_id == "" and metadata["pages"].value == 2 and metadata["last_run_partitions"].value == 1
    assert journal.pending() == {}
    assert journal.replay(instance, catalog) == 0 and len(observations(instance, "ocr")) == 1


def test_a_note_that_does_not_parse_is_kept_and_the_others_replayed(mm_settings, catalog, tmp_path):
    journal = FiguresJournal(tmp_path / "journal")
    journal.write("good", [FIGURE])
    (journal.folder / "bad.json").write_text("{not json")

    assert journal.replay(get_instance(mm_settings), catalog) == 1
    assert sorted(path.name for path in journal.folder.iterdir()) == ["bad.json"]


def test_a_note_is_reported_by_one_claimer_only_and_a_dead_processs_claim_is_taken_over(mm_settings, catalog, tmp_path):
    instance = get_instance(mm_settings)
    journal = FiguresJournal(tmp_path / "journal")
    journal.write("run-1", [FIGURE])
    assert journal.replay(instance, catalog) == 1
    # the server's own report after the answer finds the note gone (a replay took it): no second report
    assert journal.report(instance, catalog, "run-1", [FIGURE]) == 0
    assert len(observations(instance, "ocr")) == 1

    journal.write("run-2", [FIGURE])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.rename(journal.folder / "run-2.json", journal.folder / f"run-2.claimed-{dead.pid}")
    journal.write("run-3", [FIGURE])
    os.rename(journal.folder / "run-3.json", journal.folder / f"run-3.claimed-{os.getppid()}")  # a live one
    assert sorted(journal.pending()) == ["run-2"]
    assert journal.replay(instance, catalog) == 1
    assert sorted(path.name for path in journal.folder.iterdir()) == [f"run-3.claimed-{os.getppid()}"]
    assert len(observations(instance, "ocr")) == 2


def test_mm_materialize_missing_reports_a_killed_servers_figures(tmp_path):
    home = tmp_path / "mm_home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("MM_")}
    env.update(MM_HOME=str(home), PYTHONPATH=str(SAMPLES.parent))
    settings = load_settings({"MM_HOME": str(home)})
    FiguresJournal(home / "serve" / "figures-journal").write("run-1", [FIGURE])
    done = subprocess.run(
        [sys.executable, "-m", "mm_assets.cli", "materialize", "--missing", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert FiguresJournal(home / "serve" / "figures-journal").pending() == {}
    assert len(observations(get_instance(settings), "ocr")) == 1


def test_figures_survive_a_server_killed_between_the_answer_and_their_report(tmp_path):
    home = tmp_path / "mm_home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("MM_")}
    env.update(MM_HOME=str(home), MM_MAX_BYTES=str(MAX_BYTES), PYTHONPATH=str(SAMPLES.parent))
    made = subprocess.run(
        [sys.executable, "-m", "mm_assets.cli", "keys", "create", "--tenant", "demo", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)["key"]
    journal = FiguresJournal(home / "serve" / "figures-journal")

    # 1. a server that SIGKILLs itself once the answering run's figures are journalled, before their report
    process, url = spawn_server({**env, FAULT_ENV: "serve.figures_journalled"}, tmp_path / "killed.log")
    try:
        wait_until_ready(process, url, tmp_path / "killed.log", STARTUP_TIMEOUT_S)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600) as client:
            try:  # the answer may or may not leave before the kill: either way the upload's run is done
                client.post("/v1/media", params={"wait": "true"}, files={"file": ("rocket.jpg", _bytes("rocket.jpg"))})
            except httpx.TransportError:
                pass
        assert process.wait(timeout=600) == -signal.SIGKILL
    finally:
        stop_server(process)
        _kill_group_left(process.pid)  # the index merger's child, if the kill left it behind
    instance = get_instance(load_settings({"MM_HOME": str(home)}))
    assert observations(instance, "ocr") == []  # not reported before the kill
    [(run_id, figures)] = journal.pending().items()
    assert "ocr" in {figure.asset_key for figure in figures}
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.SUCCESS

    # 2. the next start reports them, and strikes the note
    process, url = spawn_server(env, tmp_path / "restarted.log")
    try:
        wait_until_ready(process, url, tmp_path / "restarted.log", STARTUP_TIMEOUT_S)
        deadline = time.monotonic() + 60
        while journal.pending() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_server(process)
    assert journal.pending() == {}
    [record] = observations(get_instance(load_settings({"MM_HOME": str(home)})), "ocr")
    assert record.run_id == "" and record.asset_observation.metadata["current_artifacts"].value == 1

    # 3. the kill came before the run after the answer: its kinds are missing and the non-blocking checks
    # of the answering run's kinds never judged the upload; `mm materialize --missing` runs the partition's
    # kinds again (their payloads reused) with every check of theirs
    content_hash = instance.get_run_by_id(run_id).tags[RANGE_START_TAG]
    graph = build_definitions(load_settings({"MM_HOME": str(home)})).resolve_asset_graph()
    per_partition = {key for key in graph.asset_check_keys if graph.get(key).partitions_def is not None}
    blocking = {key for key in per_partition if graph.get_check_spec(key).blocking}
    assert checks_judged(instance, content_hash) == blocking
    done = subprocess.run(
        [sys.executable, "-m", "mm_assets.cli", "materialize", "--missing", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert checks_judged(get_instance(load_settings({"MM_HOME": str(home)})), content_hash) == per_partition


def checks_judged(instance: dg.DagsterInstance, partition: str) -> set[dg.AssetCheckKey]:
    """The checks with an evaluation of `partition`, in any run."""
    runs = instance.get_runs()
    records = [
        record
        for run in runs
        for record in instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
    ]
    evaluations = [record.event_log_entry.dagster_event.event_specific_data for record in records]
    return {evaluation.asset_check_key for evaluation in evaluations if evaluation.partition == partition}


def _kill_group_left(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(autouse=True)
def _no_fault_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FAULT_ENV, raising=False)
