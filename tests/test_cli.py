"""The `mm` command line: JSON shapes, exit codes, and clear usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mm_assets.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from resources.blob_store import media_key
from resources.media_store import LocalBlobStore
from tests.conftest import distinct_images


@pytest.fixture
def mm_env(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "mm_home"
    monkeypatch.setenv("MM_HOME", str(home))
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING"):
        monkeypatch.delenv(var, raising=False)
    return home


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_ingest_json_lists_accepted_duplicates_and_rejected(mm_env, tmp_path, capsys):
    images = distinct_images(tmp_path / "in", 2)
    (tmp_path / "in" / "notes.png").write_text("text")

    code, first = run_json(capsys, "ingest", str(tmp_path / "in"), "--tenant", "acme")
    assert code == EXIT_OK
    assert sorted(Path(item["path"]).name for item in first["accepted"]) == [p.name for p in images]
    assert all(len(item["content_hash"]) == 64 for item in first["accepted"])
    assert [(Path(r["path"]).name, r["reason"]) for r in first["rejected"]] == [("notes.png", "unsupported_type")]

    code, second = run_json(capsys, "ingest", str(images[0]), "--tenant", "acme")
    assert code == EXIT_OK and second["accepted"] == []
    assert second["duplicates"] == [{"path": str(images[0]), "content_hash": first["accepted"][0]["content_hash"]}]


def test_materialize_then_status_reports_counts_per_kind(mm_env, tmp_path, capsys):
    distinct_images(tmp_path / "in", 3)
    run_json(capsys, "ingest", str(tmp_path / "in"))

    code, status = run_json(capsys, "status", "--global")
    assert code == EXIT_OK
    assert status["assets"]["source_media"]["missing"] == 3

    code, report = run_json(capsys, "materialize", "--missing")
    assert code == EXIT_OK and report["runs"] == 1 and len(report["materialized"]) == 3

    code, status = run_json(capsys, "status", "--global")
    counts = status["assets"]["source_media"]
    assert (counts["materialized"], counts["missing"], counts["stale"], counts["failed"]) == (3, 0, 0, 0)


def test_materialize_exits_3_and_names_the_failed_partition(mm_env, tmp_path, capsys):
    distinct_images(tmp_path / "in", 2)
    _, ingested = run_json(capsys, "ingest", str(tmp_path / "in"))
    broken = ingested["accepted"][0]["content_hash"]
    LocalBlobStore(mm_env / "store").delete(media_key(broken))

    code, report = run_json(capsys, "materialize", "--partitions", *[i["content_hash"] for i in ingested["accepted"]])
    assert code == EXIT_PARTIAL
    assert [item["content_hash"] for item in report["failed"]] == [broken]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["materialize", "--select", "no_such_kind"], "unknown kind"),
        (["materialize", "--partitions", "NOT-A-HASH"], "not a content hash"),
        (["materialize", "--partitions", "a" * 64], "not ingested"),
        (["ingest", "/no/such/path"], "no such file"),
        (["ingest", ".", "--tenant", "bad tenant"], "tenant"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(mm_env, capsys, argv, message):
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_mm_console_script_is_installed_and_works(mm_env, tmp_path):
    distinct_images(tmp_path / "in", 1)
    mm = Path(sys.executable).parent / "mm"
    result = subprocess.run(
        [mm, "ingest", str(tmp_path / "in"), "--json"], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["accepted"]) == 1
