"""Hostile testing, second round (issue 19): each finding reproduced as a fault test, on SQLite and PostgreSQL.

The Home fixture (tests/test_faults.py) gives a fresh MM_HOME whose catalog and Dagster instance are
SQLite or PostgreSQL; `mm_process` runs a real `mm` with a timeout, so a hang fails instead of blocking.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import sqlalchemy as sa

from mm_assets.cli import EXIT_OK
from resources.catalog import CatalogResource, quarantine_item
from tests import test_faults
from tests.conftest import distinct_images
from tests.test_faults import Home

home = test_faults.home  # the SQLite/PostgreSQL home fixture


def quarantine_rows(home: Home) -> list[dict]:
    with CatalogResource(url=home.settings.catalog_url).engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.select(quarantine_item))]


def test_a_fifo_socket_or_device_in_an_ingested_folder_is_unreadable_at_once(home, tmp_path):
    folder = tmp_path / "in"
    good = distinct_images(folder, 2, start=700)
    os.mkfifo(folder / "pipe.png")  # no writer: opening it for reading would block forever
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "socket.jpg"))
    os.symlink("/dev/zero", folder / "zeros.png")  # a device behind a symlink never ends

    result = home.mm_process("ingest", str(folder), "--json")  # a real process: a hang times out

    listener.close()
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert sorted(Path(item["path"]).name for item in report["accepted"]) == sorted(p.name for p in good)
    rejected = {Path(item["path"]).name: item for item in report["rejected"]}
    assert {name: item["reason"] for name, item in rejected.items()} == {
        "pipe.png": "unreadable",
        "socket.jpg": "unreadable",
        "zeros.png": "unreadable",
    }
    assert all("not a regular file" in item["message"] for item in rejected.values())
    recorded = {Path(row["path"]).name: row for row in quarantine_rows(home)}
    assert set(recorded) == set(rejected)
    assert all(row["content_hash"] is None and row["quarantine_uri"] is None for row in recorded.values())
    store_root = Path(home.settings.store_root)
    assert [p for p in store_root.rglob("*") if p.is_file() and ".tmp" in str(p.relative_to(store_root))] == []
