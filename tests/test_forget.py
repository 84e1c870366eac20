"""`mm forget` leaves nothing: after it, no catalog table but governance_log, no Dagster table, no file
under MM_HOME (but the catalog's governance rows) and no S3 object names the hash or the file name.

Run twice: SQLite + Dagster's embedded SQLite instance + local disk, and PostgreSQL + dagster-postgres
+ S3 (SeaweedFS). Each materializes the whole graph for two tiny items, searches, then forgets one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa
from PIL import Image
from skimage import data as skdata

from mm_assets.cli import EXIT_OK, main
from mm_assets.orchestration.instance import get_instance
from mm_assets.settings import load_settings
from tests.documents import render_page
from tests.s3_server import S3Server

pytestmark = pytest.mark.slow

FORGOTTEN = "John Smith passport.png"  # a file name is personal data too
KEPT = "coffee.jpg"


@dataclass
class Home:
    root: Path
    hashes: dict[str, str]  # file name -> content hash


def run_mm(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "--json"]) == EXIT_OK, capsys.readouterr()
    return json.loads(capsys.readouterr().out)


def build_home(root: Path, capsys: pytest.CaptureFixture[str]) -> Home:
    media = root / "media"
    media.mkdir()
    lines = ["Passport application", "Name: John Smith", "Phone: (064) 350-0860"]
    render_page(lines, size=(700, 260)).save(media / FORGOTTEN)
    photo = Image.fromarray(skdata.coffee())
    photo.thumbnail((160, 160))
    photo.save(media / KEPT, quality=85)
    ingested = run_mm(capsys, "ingest", str(media), "--tenant", "t1")
    hashes = {Path(item["path"]).name: item["content_hash"] for item in ingested["accepted"]}
    run_mm(capsys, "materialize")
    found = run_mm(capsys, "search", "passport application", "--tenant", "t1")
    assert hashes[FORGOTTEN] in {hit["content_hash"] for hit in found["results"]}  # an audit row names it
    return Home(root, hashes)


def table_rows_naming(engine: sa.Engine, needles: list[bytes], skip: set[str]) -> dict[str, int]:
    """Table -> rows whose text (any column) holds one of the needles."""
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    hits: dict[str, int] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            for row in conn.execute(sa.select(table)):
                text = repr(tuple(row)).encode()
                if any(needle in text for needle in needles):
                    hits[table.name] = hits.get(table.name, 0) + 1
    return hits


def files_naming(root: Path, needles: list[bytes], hash_allowed_in: set[Path]) -> list[str]:
    """Files under root whose path or bytes hold a needle (the hash may stay in `hash_allowed_in`)."""
    hits = []
    for path in sorted(root.rglob("*")):
        if any(needle.decode() in str(path.relative_to(root)) for needle in needles):
            hits.append(f"{path} (its path)")
        if not path.is_file():
            continue
        data = path.read_bytes()
        checked = needles[1:] if path in hash_allowed_in else needles
        hits += [f"{path} ({needle.decode()[:12]})" for needle in checked if needle in data]
    return hits


def objects_naming(server: S3Server, needles: list[bytes]) -> list[str]:
    client = server.client()
    hits = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=server.bucket):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=server.bucket, Key=item["Key"])["Body"].read()
            if any(needle.decode() in item["Key"] or needle in body for needle in needles):
                hits.append(item["Key"])
    return hits


def assert_dagster_metadata_holds_no_text(content_hash: str) -> None:
    """What Dagster keeps for a partition is counts, versions and ids: never captions or OCR text."""
    instance = get_instance(load_settings())
    for asset_key in instance.get_asset_keys():
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[content_hash]), limit=1
        ).records
        for record in records:
            metadata = record.asset_materialization.metadata
            assert not {"caption", "text", "event"} & set(metadata), (asset_key, sorted(metadata))
            # words of the page (its OCR, not its file name, which the UI shows) and captions never do
            rendered = repr(metadata)
            assert not any(word in rendered for word in ("application", "0860", "a photo of")), asset_key


def forget_and_scan(home: Home, capsys: pytest.CaptureFixture[str], catalog: sa.Engine) -> dict:
    content_hash = home.hashes[FORGOTTEN]
    needles = [content_hash.encode(), FORGOTTEN.encode()]
    assert table_rows_naming(catalog, needles, skip=set()), "the scan must see the source before forget"
    with catalog.connect() as conn:
        audits_before = conn.execute(sa.text("select count(*) from search_audit")).scalar_one()

    report = run_mm(capsys, "forget", content_hash, "--tenant", "t1", "--who", "dpo")

    assert report["dagster_event_log"] == "wiped" and report["dagster"]["rows_deleted"].get("event_logs", 0) > 0
    # every table of the catalog (and, on PostgreSQL, of Dagster in the same database) but the tombstone log
    assert table_rows_naming(catalog, needles, skip={"governance_log"}) == {}
    assert table_rows_naming(catalog, needles[1:], skip=set()) == {}  # the file name is not even there
    with catalog.connect() as conn:  # the tombstone is the one row left that names the hash
        query = sa.text("select action from governance_log where content_hash = :h")
        assert [row.action for row in conn.execute(query, {"h": content_hash})] == ["forget"]
    tombstone = f"forgotten-{report['tombstone_id']}"
    with catalog.connect() as conn:
        audits = [tuple(row) for row in conn.execute(sa.text("select result_ids, query_hash from search_audit"))]
    assert len(audits) == audits_before and any(tombstone in str(ids) for ids, _hash in audits)
    # the keyed hash of a query that found the forgotten source is gone with it
    assert all(query_hash == tombstone for ids, query_hash in audits if tombstone in str(ids))
    return report


def assert_the_kept_item_is_still_there(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings()
    instance = get_instance(settings)
    kept = home.hashes[KEPT]
    assert instance.get_dynamic_partitions("content_hash") == [kept]
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("caption"), asset_partitions=[kept]), limit=1
    ).records
    assert records and records[0].partition_key == kept
    found = run_mm(capsys, "search", "coffee", "--tenant", "t1")
    assert [hit["content_hash"] for hit in found["results"]] == [kept]


@pytest.fixture
def sqlite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    for name in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_INDEX", "MM_DAGSTER_PG_URL", "MM_LANDING"):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path


def test_forget_on_sqlite_and_local_disk_leaves_no_byte_naming_the_source(sqlite_home, capsys):
    home = build_home(sqlite_home, capsys)
    settings = load_settings()
    catalog = sa.create_engine(settings.catalog_url)
    mm_home = settings.home
    before = files_naming(mm_home, [home.hashes[FORGOTTEN].encode(), FORGOTTEN.encode()], hash_allowed_in=set())
    # the scan sees the source where it lives: originals, payload folders, the index, Dagster's databases
    for place in ("/media/", "/artifacts/", "/index/", "/dagster/"):
        assert any(place in hit for hit in before), place
    assert_dagster_metadata_holds_no_text(home.hashes[FORGOTTEN])

    forget_and_scan(home, capsys, catalog)

    needles = [home.hashes[FORGOTTEN].encode(), FORGOTTEN.encode()]
    catalog_files = {mm_home / "catalog.db", mm_home / "catalog.db-wal"}  # governance_log keeps the hash
    assert files_naming(mm_home, needles, hash_allowed_in=catalog_files) == []
    assert_the_kept_item_is_still_there(home, capsys)


@pytest.mark.postgres
def test_forget_on_postgres_dagster_postgres_and_s3_leaves_nothing_naming_the_source(
    tmp_path, monkeypatch, capsys, postgres_url, s3_env
):
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    prefix = f"forget-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MM_CATALOG_URL", postgres_url)
    monkeypatch.setenv("MM_DAGSTER_PG_URL", postgres_url)
    monkeypatch.setenv("MM_STORE", f"s3://{s3_env.bucket}/{prefix}/store")
    monkeypatch.setenv("MM_INDEX", f"s3://{s3_env.bucket}/{prefix}/index")
    for name in ("MM_CONFIG", "MM_LANDING"):
        monkeypatch.delenv(name, raising=False)
    home = build_home(tmp_path, capsys)
    catalog = sa.create_engine(postgres_url)  # the catalog and Dagster's tables share this database
    needles = [home.hashes[FORGOTTEN].encode(), FORGOTTEN.encode()]
    assert objects_naming(s3_env, needles), "the scan must see the source's objects before forget"

    forget_and_scan(home, capsys, catalog)

    assert objects_naming(s3_env, needles) == []
    assert files_naming(tmp_path / "home", needles, hash_allowed_in=set()) == []
    assert_the_kept_item_is_still_there(home, capsys)
    catalog.dispose()
