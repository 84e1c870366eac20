"""Hostile testing, second round (issue 19): each finding reproduced as a fault test, on SQLite and PostgreSQL.

The Home fixture (tests/test_faults.py) gives a fresh MM_HOME whose catalog and Dagster instance are
SQLite or PostgreSQL; `mm_process` runs a real `mm` with a timeout, so a hang fails instead of blocking.
"""

from __future__ import annotations

import io
import json
import os
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from mm_assets.dagster_internals.event_log_storage import DAGSTER_TABLES, storage_connections
from mm_assets.kinds.keyframes import av_pages
from mm_assets.operations.av_samples import write_video
from mm_assets.orchestration.instance import get_instance
from mm_assets.page_layout import page_suffix
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, governance_log, quarantine_item
from resources.stores import open_store
from tests import test_faults
from tests.conftest import distinct_images
from tests.test_faults import CHEAP_KINDS, Home, assert_nothing_stuck_nothing_lost, finish, start

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


# ---- #2: a forget killed after its catalog commit is finished by a re-run or by fsck --repair ----------


def dagster_rows_naming(home: Home, needles: list[str]) -> dict[str, int]:
    """Table -> rows of Dagster's storage (runs, events, schedules) whose text holds a needle."""
    hits: dict[str, int] = {}
    for connection in storage_connections(get_instance(home.settings)):
        with connection as conn:
            metadata = sa.MetaData()
            metadata.reflect(bind=conn, only=lambda name, _: name in DAGSTER_TABLES)
            for table in metadata.sorted_tables:
                for row in conn.execute(sa.select(table)):
                    if any(needle in repr(tuple(row)) for needle in needles):
                        hits[table.name] = hits.get(table.name, 0) + 1
    return hits


@pytest.mark.parametrize("finish_with", ["forget", "fsck --repair"])
def test_a_forget_killed_after_its_catalog_commit_is_finished_and_leaves_no_dagster_row(home, tmp_path, finish_with):
    folder = tmp_path / "in"
    first, _ = distinct_images(folder, 2, start=720)
    first.rename(folder / "Jane Doe.png")  # the file name is personal data too
    code, ingested = home.mm("ingest", str(folder))
    assert code == EXIT_OK
    names = {Path(item["path"]).name: item["content_hash"] for item in ingested["accepted"]}
    forgotten, kept = names.pop("Jane Doe.png"), next(iter(names.values()))
    assert home.mm("materialize", "--select", CHEAP_KINDS)[0] == EXIT_OK
    assert dagster_rows_naming(home, [forgotten, "Jane Doe.png"]), "the scan must see the partition first"

    home.killed("forget", forgotten, fault="forget.catalog_committed")

    assert dagster_rows_naming(home, [forgotten])  # what the kill left: Dagster still names the hash
    code, dry = home.mm("fsck")
    assert code == EXIT_PARTIAL and dry["counts"] == {"unfinished_forget": 1}, dry
    if finish_with == "forget":
        code, report = home.mm("forget", forgotten)
        assert code == EXIT_OK and report["resumed"] and report["dagster_event_log"] == "wiped"
    else:
        code, repaired = home.mm("fsck", "--repair")
        assert code == EXIT_OK and [f["kind"] for f in repaired["findings"]] == ["unfinished_forget"]
    assert dagster_rows_naming(home, [forgotten, "Jane Doe.png"]) == {}
    code, after = home.mm("fsck")
    assert code == EXIT_OK and after["findings"] == [], after
    with CatalogResource(url=home.settings.catalog_url).engine.connect() as conn:
        log = conn.execute(sa.select(governance_log.c.details).where(governance_log.c.content_hash == forgotten)).all()
    assert [row.details["state"] for row in log] == ["done"] and "Jane Doe" not in repr(log)
    code, again = home.mm("forget", forgotten)  # nothing left to finish: refused like unknown media
    assert code == EXIT_USAGE
    assert_nothing_stuck_nothing_lost(home, {kept})


# ---- #4: every page of a multi-page TIFF is processed, capped by MM_MAX_PDF_PAGES -----------------------


def multi_page_tiff(path: Path, pages: int) -> Path:
    """A TIFF whose page N is filled with grey level N (so a page can be told by its pixels)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [Image.new("RGB", (40, 30), (shade, shade, shade)) for shade in range(1, pages + 1)]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:])
    return path


def test_every_page_of_a_multi_page_tiff_is_processed_and_over_the_cap_is_too_many_pages(home, tmp_path, monkeypatch):
    long_tiff = multi_page_tiff(tmp_path / "in" / "forty-pages.tif", 40)
    code, ingested = home.mm("ingest", str(long_tiff))
    assert code == EXIT_OK and ingested["accepted"][0]["mime_type"] == "image/tiff"
    content_hash = ingested["accepted"][0]["content_hash"]
    assert home.mm("materialize", "--select", CHEAP_KINDS)[0] == EXIT_OK

    catalog, store = CatalogResource(url=home.settings.catalog_url), open_store(home.settings.store_root)
    pages_row = current_artifacts(catalog, "pages", [content_hash])[content_hash]
    manifest = json.loads(store.read_bytes(store_key_of(store, pages_row["payload_uri"])))
    assert [entry["page"] for entry in manifest["pages"]] == list(range(1, 41))
    stem = store_key_of(store, pages_row["payload_uri"]).rsplit(".", 1)[0]
    last_page = Image.open(io.BytesIO(store.read_bytes(stem + page_suffix(40))))
    assert last_page.getpixel((5, 5)) == (40, 40, 40)  # the 40th frame, not a repeat of an earlier one

    monkeypatch.setenv("MM_MAX_PDF_PAGES", "30")
    over_cap = multi_page_tiff(tmp_path / "in2" / "thirty-one-pages.tif", 31)
    code, rejected = home.mm("ingest", str(over_cap))
    assert code == EXIT_OK and rejected["accepted"] == []
    assert [
        (item["reason"], "31 frames (pages), over the cap of 30" in item["message"]) for item in rejected["rejected"]
    ] == [("too_many_pages", True)]


# ---- #5: names reach a terminal escaped; JSON stays JSON ----------------------------------------------

FORGED_NAME = "x.png\n9 accepted, 0 duplicate, 0 rejected (quarantined)\x1b[2J\x1b]0;owned\x07\u202etxt.exe"


def test_plain_output_escapes_control_characters_in_names_and_json_keeps_them(home, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / FORGED_NAME).write_text("not an image")  # rejected: its path and message are printed

    code, lines = home.mm_lines("ingest", str(folder))

    assert code == EXIT_OK
    assert len(lines) == 2 and lines[-1] == "0 accepted, 0 duplicate, 1 rejected (quarantined)", lines
    assert not any(ch in "\n".join(lines) for ch in "\x1b\x07\u202e")
    assert (
        "x.png\\x0a9 accepted, 0 duplicate, 0 rejected (quarantined)\\x1b[2J\\x1b]0;owned\\x07\\u202etxt.exe"
        in lines[0]
    )

    code, report = home.mm("ingest", str(folder))  # --json: the name is JSON-escaped, and exact
    assert code == EXIT_OK and Path(report["rejected"][0]["path"]).name == FORGED_NAME


# ---- #7: `mm migrate` creates Dagster's storage; two first ingests right after it both succeed ---------


def test_migrate_initialises_dagster_storage_and_two_first_ingests_both_succeed(home, tmp_path):
    code, migrated = home.mm("migrate")
    assert code == EXIT_OK and migrated["dagster_storage"] == "ready"
    if "MM_DAGSTER_PG_URL" not in home.env:  # SQLite: the databases exist before any ingest
        dagster_home = Path(home.env["MM_HOME"]) / "dagster"
        assert (dagster_home / "history" / "runs.db").is_file() and (
            dagster_home / "schedules" / "schedules.db"
        ).is_file()
    left, right = distinct_images(tmp_path / "left", 3, start=740), distinct_images(tmp_path / "right", 3, start=750)

    processes = [start(home, "ingest", str(folder.parent)) for folder in (left[0], right[0])]
    reports = [finish(process) for process in processes]

    accepted = {item["content_hash"] for report in reports for item in report["accepted"]}
    assert len(accepted) == 6
    assert set(get_instance(home.settings).get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)) == accepted


# ---- #8: listings need a scope; a forget touches only its own tenant's rows ---------------------------


@pytest.mark.parametrize(
    "listing",
    [
        ("review", "list"),
        ("blast-radius", "--kind", "caption", "--model-id", "m"),
        ("diff", "--kind", "caption"),
        ("artifacts", "0" * 64),
        ("status",),
        ("cost",),
        ("budget", "list"),
        ("keys", "list"),
        ("stats", "search"),
        ("report",),
    ],
)
def test_every_listing_needs_tenant_or_global(home, listing):
    code, lines = home.mm_lines(*listing)
    assert code == EXIT_USAGE and any("--tenant T (or --global" in line for line in lines), lines
    assert home.mm(*listing, "--tenant", "a")[0] in (EXIT_OK, EXIT_USAGE)  # scoped: runs (no such source: 2)
    with pytest.raises(SystemExit) as both:  # one scope or the other, never both
        home.mm(*listing, "--tenant", "a", "--global")
    assert both.value.code == EXIT_USAGE


def test_a_forget_leaves_another_tenants_rows_of_the_same_bytes(home, tmp_path):
    [photo] = distinct_images(tmp_path / "in", 1, start=760)
    code, first = home.mm("ingest", str(photo), "--tenant", "a")
    content_hash = first["accepted"][0]["content_hash"]
    code, second = home.mm("ingest", str(photo), "--tenant", "b")
    assert [item["content_hash"] for item in second["accepted"]] == [content_hash]  # as if fresh: no oracle
    assert quarantine_rows(home) == []

    code, _ = home.mm("forget", content_hash, "--tenant", "a")

    assert code == EXIT_OK
    assert home.mm("artifacts", content_hash, "--tenant", "a")[0] == EXIT_USAGE
    code, kept = home.mm("artifacts", content_hash, "--tenant", "b")  # b's hold is untouched
    assert code == EXIT_OK and kept["tenant_id"] == "b"
    code, report = home.mm("forget", content_hash, "--tenant", "b")  # the last owner: everything goes
    assert code == EXIT_OK and report["scope"] == "wiped"


# ---- #10: an Ogg recording cut off is truncated_media, not a shorter recording -------------------------


def test_an_ogg_cut_in_half_or_at_a_page_boundary_is_truncated_media(home, tmp_path):
    whole = (Path(__file__).resolve().parent.parent / "samples" / "voicemail.ogg").read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "whole.ogg").write_bytes(whole)
    (folder / "half.ogg").write_bytes(whole[: len(whole) // 2])  # cut mid-page
    (folder / "aligned.ogg").write_bytes(whole[: whole.find(b"OggS", len(whole) // 2)])  # whole pages, no end

    code, report = home.mm("ingest", str(folder))

    assert code == EXIT_OK and [Path(item["path"]).name for item in report["accepted"]] == ["whole.ogg"]
    rejected = {Path(item["path"]).name: item for item in report["rejected"]}
    assert {name: item["reason"] for name, item in rejected.items()} == {
        "half.ogg": "truncated_media",
        "aligned.ogg": "truncated_media",
    }
    assert "cut off" in rejected["half.ogg"]["message"]
    assert "not marked end-of-stream" in rejected["aligned.ogg"]["message"]
    assert {Path(row["path"]).name for row in quarantine_rows(home)} == {"half.ogg", "aligned.ogg"}
    assert all(item["quarantine_uri"] for item in rejected.values())  # the bytes are kept, never lost


# ---- #11: a video's keyframes reach `pages` one at a time, never all at once -----------------------------


def test_keyframes_are_decoded_as_pages_are_written_not_collected_first(tmp_path):
    scenes = [(Image.new("RGB", (160, 120), color), 1.0) for color in ("red", "green", "blue", "white", "black")]
    video = write_video(tmp_path / "five-scenes.mp4", scenes).read_bytes()

    images, facts = av_pages("video", video, keyframe_seconds=2.0)

    assert facts == []  # nothing decoded yet: the frames come as the writer asks for them
    taken = []
    for image in images:
        taken.append(image.size)
        assert len(facts) == len(taken)  # each frame's time is there when its image is
    assert len(taken) >= 3 and [fact["t"] for fact in facts] == sorted(fact["t"] for fact in facts)
    assert {fact["reason"] for fact in facts} <= {"interval", "scene_change"}
