"""Tenancy without a membership oracle (issue 19): one original, one ownership row per tenant.

Tenant b ingesting bytes tenant a holds is answered as if nobody held them, and gets its own view
(its file name, governance columns and search rows); a forget by one owner removes that owner's
hold only, and the last owner's forget removes everything. On SQLite and PostgreSQL (the Home
fixture of tests/test_faults.py), with real processes killed by SIGKILL at a fault point.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from skimage import data as skdata

from mm_assets.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from mm_assets.orchestration.instance import get_instance
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, governance_log, source_media
from resources.search_index_store import SearchIndexResource
from resources.source_owners import owners_of
from resources.stores import open_store
from tests import test_faults
from tests.conftest import distinct_images
from tests.documents import render_page
from tests.test_faults import CHEAP_KINDS, Home, assert_nothing_stuck_nothing_lost, finish, start
from tests.test_forget import files_naming, table_rows_naming
from tests.test_hostile import dagster_rows_naming

home = test_faults.home  # the SQLite/PostgreSQL home fixture


def owner_sets(home: Home, hashes: set[str]) -> dict[str, set[str]]:
    owners = owners_of(CatalogResource(url=home.settings.catalog_url), hashes)
    return {content_hash: {row["tenant_id"] for row in rows} for content_hash, rows in owners.items()}


def originals_rehash(home: Home) -> list[str]:
    store = open_store(home.settings.store_root)
    keys = list(store.list_keys("media"))
    for key in keys:
        assert hashlib.sha256(store.read_bytes(key)).hexdigest() == key.rsplit("/", 1)[1], key
    return [key.rsplit("/", 1)[1] for key in keys]


def index_tenants(home: Home, content_hash: str) -> list[str]:
    """The tenants whose source row of this original the search index holds (chunks must agree)."""
    index = SearchIndexResource(uri=home.settings.index_uri).open_existing()
    assert index is not None
    try:
        tenants = index.owners(content_hash)
        chunks = index.chunk_rows(content_hash)
        assert chunks and {row["tenant_id"] for row in chunks} == set(tenants), (chunks, tenants)
        assert all(row["chunk_id"].endswith(f"@{row['tenant_id']}") for row in chunks)
        return tenants
    finally:
        index.close()


def hits(home: Home, text: str, tenant: str, *extra: str) -> list[str]:
    code, found = home.mm("search", text, "--tenant", tenant, "--k", "20", *extra)
    assert code == EXIT_OK, found
    return [hit["content_hash"] for hit in found["results"]]


def test_two_tenants_ingest_identical_bytes_concurrently_and_both_hold_them(home, tmp_path):
    images = distinct_images(tmp_path / "in", 4, start=800)

    processes = [start(home, "ingest", str(tmp_path / "in"), "--tenant", tenant) for tenant in ("a", "b")]
    reports = [finish(process) for process in processes]

    expected = {hashlib.sha256(path.read_bytes()).hexdigest() for path in images}
    for report in reports:  # each tenant: exactly the answer of a first ingest, nothing refused
        assert {item["content_hash"] for item in report["accepted"]} == expected, report
        assert report["rejected"] == [] and report["duplicates"] == []
        assert set(report) == {"accepted", "duplicates", "rejected"}
    assert owner_sets(home, expected) == {content_hash: {"a", "b"} for content_hash in expected}
    assert home.mm("materialize", "--select", CHEAP_KINDS)[0] == EXIT_OK
    assert_nothing_stuck_nothing_lost(home, expected)  # one original per hash, one partition, fsck clean
    for tenant in ("a", "b"):
        some = sorted(expected)[0]
        code, versions = home.mm("artifacts", some, "--tenant", tenant)
        assert code == EXIT_OK and versions["tenant_id"] == tenant and "pages" in versions["artifacts"]
    assert home.mm("artifacts", sorted(expected)[0], "--tenant", "c")[0] == EXIT_USAGE


@pytest.mark.parametrize("killed_at", ["forget.catalog_committed"])
def test_a_shared_forget_killed_mid_way_is_resumed_and_the_last_one_wipes(home, tmp_path, killed_at):
    shared, alone = distinct_images(tmp_path / "in", 2, start=820)
    code, first = home.mm("ingest", str(shared), str(alone), "--tenant", "a")
    assert code == EXIT_OK and len(first["accepted"]) == 2
    code, second = home.mm("ingest", str(shared), "--tenant", "b")
    assert code == EXIT_OK and len(second["accepted"]) == 1
    content_hash = second["accepted"][0]["content_hash"]
    kept = next(item["content_hash"] for item in first["accepted"] if item["content_hash"] != content_hash)
    assert home.mm("materialize", "--select", CHEAP_KINDS)[0] == EXIT_OK

    home.killed("forget", content_hash, "--tenant", "a", fault=killed_at)

    code, dry = home.mm("fsck")
    assert code == EXIT_PARTIAL and dry["counts"] == {"unfinished_forget": 1}, dry
    code, resumed = home.mm("forget", content_hash, "--tenant", "a")
    assert code == EXIT_OK and resumed["resumed"] and resumed["scope"] == "released", resumed
    assert owner_sets(home, {content_hash}) == {content_hash: {"b"}}
    assert home.mm("artifacts", content_hash, "--tenant", "a")[0] == EXIT_USAGE
    code, versions = home.mm("artifacts", content_hash, "--tenant", "b")
    assert code == EXIT_OK and "pages" in versions["artifacts"]  # b's artifacts untouched
    assert_nothing_stuck_nothing_lost(home, {content_hash, kept})  # the original and partition stay

    home.killed("forget", content_hash, "--tenant", "b", fault=killed_at)  # the last owner, killed too

    code, resumed = home.mm("forget", content_hash, "--tenant", "b")
    assert code == EXIT_OK and resumed["resumed"] and resumed["scope"] == "wiped", resumed
    assert resumed["dagster_event_log"] == "wiped"
    assert_nothing_stuck_nothing_lost(home, {kept})
    assert originals_rehash(home) == [kept]
    assert get_instance(home.settings).get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME) == [kept]
    with CatalogResource(url=home.settings.catalog_url).engine.connect() as conn:
        states = conn.execute(
            sa.select(governance_log.c.tenant_id, governance_log.c.details).where(
                governance_log.c.content_hash == content_hash
            )
        ).all()
    assert sorted((row.tenant_id, row.details["state"]) for row in states) == [("a", "done"), ("b", "done")]


def test_an_ingest_killed_between_the_original_and_its_owner_is_completed(home, tmp_path):
    images = distinct_images(tmp_path / "in", 2, start=840)
    expected = {hashlib.sha256(path.read_bytes()).hexdigest() for path in images}

    home.killed("ingest", str(tmp_path / "in"), "--tenant", "a", fault="ingest.originals_recorded")

    assert owner_sets(home, expected) == {}
    code, dry = home.mm("fsck")
    assert code == EXIT_PARTIAL and dry["counts"].get("source_without_owner") == 2, dry
    code, repaired = home.mm("fsck", "--repair")
    assert code == EXIT_OK
    assert owner_sets(home, expected) == {content_hash: {"a"} for content_hash in expected}
    code, again = home.mm("ingest", str(tmp_path / "in"), "--tenant", "a")  # a plain re-ingest agrees
    assert code == EXIT_OK and len(again["duplicates"]) == 2


# ---- the whole graph: search, media and artifacts of the remaining owner ------------------------------

A_NAME, B_NAME = "Ann Example passport.png", "scan-0001.png"


def passport_page(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    render_page(["Passport application", "Name: Ann Example", "Phone: (064) 350-0860"], size=(700, 260)).save(path)
    return path


@pytest.mark.slow
def test_a_forget_by_one_owner_leaves_the_other_fully_working_and_the_last_removes_everything(home, tmp_path):
    page = passport_page(tmp_path / "a" / A_NAME)
    photo = Image.fromarray(skdata.coffee())
    photo.thumbnail((160, 160))
    photo.save(tmp_path / "a" / "coffee.jpg", quality=85)
    code, first = home.mm("ingest", str(tmp_path / "a"), "--tenant", "a", "--region", "eu")
    assert code == EXIT_OK and len(first["accepted"]) == 2
    assert home.mm("materialize")[0] == EXIT_OK
    content_hash = hashlib.sha256(page.read_bytes()).hexdigest()
    coffee = next(item["content_hash"] for item in first["accepted"] if item["content_hash"] != content_hash)
    assert content_hash in hits(home, "passport application", "a")
    assert content_hash not in hits(home, "passport application", "b")  # b holds nothing yet

    copy = tmp_path / "b" / B_NAME
    copy.parent.mkdir()
    copy.write_bytes(page.read_bytes())
    code, second = home.mm("ingest", str(copy), "--tenant", "b", "--region", "us")
    assert code == EXIT_OK and [item["content_hash"] for item in second["accepted"]] == [content_hash]
    assert second["rejected"] == [] and second["duplicates"] == []

    # b finds its copy at once (no model run), under its own governance columns; a's rows stay a's
    assert index_tenants(home, content_hash) == ["a", "b"]
    assert content_hash in hits(home, "passport application", "b", "--where", "region = 'us'")
    assert content_hash not in hits(home, "passport application", "a", "--where", "region = 'us'")
    assert coffee not in hits(home, "coffee", "b")
    code, versions = home.mm("artifacts", content_hash, "--tenant", "b")
    assert code == EXIT_OK and versions["tenant_id"] == "b"
    pages_model = versions["artifacts"]["pages"][-1]["model_id"]
    code, blast = home.mm("blast-radius", "--kind", "pages", "--model-id", pages_model, "--tenant", "b")
    assert code == EXIT_OK and [(r["content_hash"], r["original_name"]) for r in blast["sources"]] == [
        (content_hash, B_NAME)
    ]

    code, released = home.mm("forget", content_hash, "--tenant", "a")
    assert code == EXIT_OK and released["scope"] == "released" and released["index_rows_deleted"] == 1

    assert index_tenants(home, content_hash) == ["b"]
    assert content_hash in hits(home, "passport application", "b")
    assert content_hash not in hits(home, "passport application", "a")
    assert coffee in hits(home, "coffee", "a")
    code, versions = home.mm("artifacts", content_hash, "--tenant", "b")
    assert code == EXIT_OK and {"pages", "ocr", "pii", "search_index"} <= set(versions["artifacts"])
    assert home.mm("artifacts", content_hash, "--tenant", "a")[0] == EXIT_USAGE
    catalog = sa.create_engine(home.settings.catalog_url)
    assert table_rows_naming(catalog, [A_NAME.encode()], skip=set()) == {}  # a's file name is gone
    with catalog.connect() as conn:
        source = conn.execute(sa.select(source_media).where(source_media.c.content_hash == content_hash)).one()
    assert (source.tenant_id, source.original_name, source.region) == ("b", B_NAME, "us")
    assert dagster_rows_naming(home, [A_NAME]) == {}

    code, wiped = home.mm("forget", content_hash, "--tenant", "b")
    assert code == EXIT_OK and wiped["scope"] == "wiped" and wiped["dagster_event_log"] == "wiped"
    needles = [content_hash.encode(), B_NAME.encode()]
    assert table_rows_naming(catalog, needles, skip={"governance_log"}) == {}
    assert dagster_rows_naming(home, [content_hash, B_NAME]) == {}
    if "MM_DAGSTER_PG_URL" not in home.env:  # every file under MM_HOME (the catalog's tombstone aside)
        mm_home = home.settings.home
        allowed = {mm_home / "catalog.db", mm_home / "catalog.db-wal"}
        assert files_naming(mm_home, needles, hash_allowed_in=allowed) == []
    assert originals_rehash(home) == [coffee]
    assert content_hash not in hits(home, "passport application", "b")
    assert coffee in hits(home, "coffee", "a")
    catalog.dispose()
