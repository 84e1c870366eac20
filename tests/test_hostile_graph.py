"""Hostile testing, second round (issue 19), on a home with the whole graph materialized (real models).

One home holds an image, a scanned document, a voicemail and a video (samples/): fsck must find it
healthy (the side files of every kind included), `--repair` must remove nothing, and a reprocess
killed between two of its kinds must be finished by the documented plain resume.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mm_assets.cli import EXIT_OK
from tests import test_faults
from tests.test_faults import Home

pytestmark = pytest.mark.slow
home = test_faults.home  # the SQLite/PostgreSQL home fixture

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EVERY_MODALITY = ("coffee.jpg", "invoice-scan.pdf", "voicemail.ogg", "rocket-launch.mp4")


def assert_every_kind_is_materialized_everywhere(home: Home) -> None:
    code, status = home.mm("status", "--global")
    assert code == EXIT_OK
    unfinished = {
        kind: {state: counts[state] for state in ("missing", "failed", "stale", "in_progress") if counts[state]}
        for kind, counts in status["assets"].items()
    }
    assert {kind: states for kind, states in unfinished.items() if states} == {}


def test_fsck_repair_on_a_healthy_home_keeps_every_payload_then_a_killed_reprocess_resumes(home, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in EVERY_MODALITY:
        shutil.copy(SAMPLES / name, folder / name)
    code, ingested = home.mm("ingest", str(folder))
    assert code == EXIT_OK and len(ingested["accepted"]) == len(EVERY_MODALITY), ingested
    code, built = home.mm("materialize")
    assert code == EXIT_OK and not built["failed"], built
    store_root = Path(home.settings.store_root)
    payloads = sorted(str(p.relative_to(store_root)) for p in (store_root / "artifacts").rglob("*") if p.is_file())
    for side_file in (".windows.json", ".frames.json", ".p0001.png"):  # audio, video and document side files
        assert any(name.endswith(side_file) for name in payloads), side_file

    code, repaired = home.mm("fsck", "--repair")

    assert code == EXIT_OK and repaired["findings"] == [], repaired["findings"]
    after = sorted(str(p.relative_to(store_root)) for p in (store_root / "artifacts").rglob("*") if p.is_file())
    assert after == payloads
    code, missing = home.mm("materialize", "--missing")
    assert code == EXIT_OK and not missing["failed"], missing

    # killed after caption's successor (text_embedding) committed its rows, before Dagster recorded it
    home.killed("reprocess", "--kind", "caption", "--all", fault="artifacts.step_done@2")
    code, resumed = home.mm("reprocess", "--kind", "caption")  # the documented resume

    assert code == EXIT_OK and resumed["runs"] >= 1 and not resumed["failed"], resumed
    assert len(resumed["materialized"]) == len(EVERY_MODALITY)
    assert_every_kind_is_materialized_everywhere(home)
    code, final = home.mm("fsck")
    assert code == EXIT_OK and final["findings"] == [], final["findings"]


def test_a_materialize_writes_nothing_outside_mm_home(tmp_path):
    """HOME is an empty folder: ONNX Runtime's telemetry (or any cache) must not appear in it."""
    empty_home, folder = tmp_path / "user-home", tmp_path / "in"
    empty_home.mkdir()
    folder.mkdir()
    for name in ("letter.png", "voicemail.ogg"):  # OCR and ASR: the ONNX Runtime users
        shutil.copy(SAMPLES / name, folder / name)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MM_", "XDG_", "ORT_")) and key not in ("HF_HOME", "TORCH_HOME")
    }
    env |= {"HOME": str(empty_home), "MM_HOME": str(tmp_path / "mm_home"), "PYTHONPATH": str(SAMPLES.parent)}
    for argv in (("ingest", str(folder)), ("materialize",)):
        result = subprocess.run(
            [sys.executable, "-m", "mm_assets.cli", *argv, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == EXIT_OK, result.stderr[-2000:]
    assert not json.loads(result.stdout)["failed"]
    assert sorted(str(p.relative_to(empty_home)) for p in empty_home.rglob("*")) == []
