"""The catalog on SQLite and on the real PostgreSQL: same code, explicit migrations."""

from __future__ import annotations

import hashlib
import stat

import pytest
import sqlalchemy as sa

from mm_assets.artifacts import insert_new_artifacts
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.settings import load_settings
from resources.audit_key import AUDIT_KEY_FILE, audit_key, query_hash
from resources.catalog import (
    SCHEMA_VERSION,
    UNKEYED_HASH_DROPPED,
    CatalogResource,
    CatalogSchemaOutdated,
    create_catalog_engine,
    derived_artifact,
    migrate,
    new_id,
    open_catalog_engine,
    schema_version,
    search_audit,
    source_media,
    source_owner,
    utcnow,
)
from resources.media_store import LocalBlobStore
from tests.conftest import distinct_images

TABLES = {
    "schema_version",
    "source_media",
    "derived_artifact",
    "processing_event",
    "processing_step",
    "review_item",
    "quarantine_item",
    "search_audit",
    "governance_log",
    "source_owner",
}


@pytest.fixture(params=["sqlite", "postgres"])
def catalog_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.db'}"
    return request.getfixturevalue("postgres_url")


def test_a_new_database_is_created_at_the_current_schema(catalog_url):
    engine = open_catalog_engine(catalog_url)
    assert TABLES <= set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() == SCHEMA_VERSION
    engine.dispose()


def test_migrate_is_idempotent_and_records_each_version_once(catalog_url):
    engine = create_catalog_engine(catalog_url)
    assert migrate(engine) == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(engine) == []
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == SCHEMA_VERSION
    engine.dispose()


def test_an_outdated_schema_is_refused_until_mm_migrate_runs(catalog_url):
    engine = create_catalog_engine(catalog_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(schema_version.delete().where(schema_version.c.version == SCHEMA_VERSION))
    engine.dispose()
    with pytest.raises(CatalogSchemaOutdated, match="mm migrate"):
        open_catalog_engine(catalog_url)


def test_ingest_and_the_artifact_version_key_work_the_same_on_both_databases(catalog_url, tmp_path):
    catalog = CatalogResource(url=catalog_url)
    store = LocalBlobStore(tmp_path / "store")
    images = distinct_images(tmp_path / "in", 3)
    report = ingest_paths(
        images, catalog=catalog, store=store, caps=load_settings({}).caps, options=IngestOptions(tenant="t1")
    )
    assert len(report.accepted) == 3
    rows = catalog.source_rows([item["content_hash"] for item in report.accepted])
    assert {row["tenant_id"] for row in rows.values()} == {"t1"}

    source = next(iter(rows.values()))
    artifact = {
        "source_id": source["source_id"],
        "source_hash": source["content_hash"],
        "tenant_id": "t1",
        "kind": "ocr",
        "pipeline_name": "mm-assets",
        "pipeline_version": "1",
        "model_id": "engine-x",
        "payload_uri": "file:///x",
        "region": {"page": 1, "bbox": [0, 0, 1, 1]},
        "created_at": utcnow(),
        "status": "current",
        "input_digest": "",
    }
    catalog.insert_rows(derived_artifact, [{**artifact, "artifact_id": new_id()}])
    with pytest.raises(sa.exc.IntegrityError):
        catalog.insert_rows(derived_artifact, [{**artifact, "artifact_id": new_id()}])
    with catalog.engine.connect() as conn:
        stored = conn.execute(sa.select(derived_artifact.c.region)).scalar_one()
    assert stored == {"page": 1, "bbox": [0, 0, 1, 1]}

    # ArtifactBatch.flush: one statement for a batch; where a version key exists, row by row without it
    duplicate = {**artifact, "artifact_id": new_id()}
    fresh = {**artifact, "artifact_id": new_id(), "kind": "pii"}
    with catalog.engine.begin() as conn:
        inserted = insert_new_artifacts(conn, [duplicate, fresh])
    assert [row["artifact_id"] for row in inserted] == [fresh["artifact_id"]]
    with catalog.engine.connect() as conn:
        assert sorted(conn.execute(sa.select(derived_artifact.c.kind)).scalars()) == ["ocr", "pii"]
    catalog.engine.dispose()


def test_insert_if_absent_skips_rows_a_concurrent_writer_inserted_first(catalog_url):
    catalog = CatalogResource(url=catalog_url)
    row = {
        "source_id": "s1",
        "content_hash": "a" * 64,
        "uri": "file:///x",
        "modality": "image",
        "mime_type": "image/png",
        "bytes": 1,
        "uploaded_at": utcnow(),
        "tenant_id": "t",
        "retention_class": "standard",
        "region": "eu",
        "consent": "valid",
        "usage_rights": "approved",
        "original_name": "x.png",
        "gate": {},
    }
    assert catalog.insert_if_absent(source_media, [row], "content_hash") == {"a" * 64}
    again = {**row, "source_id": "s2"}
    fresh = {**row, "source_id": "s3", "content_hash": "b" * 64}
    assert catalog.insert_if_absent(source_media, [again, fresh], "content_hash") == {"b" * 64}
    assert {h: r["source_id"] for h, r in catalog.source_rows(["a" * 64, "b" * 64]).items()} == {
        "a" * 64: "s1",
        "b" * 64: "s3",
    }


def test_migration_5_drops_unkeyed_query_hashes(catalog_url):
    engine = create_catalog_engine(catalog_url)
    migrate(engine)
    unkeyed = hashlib.sha256(b"555 213 4567").hexdigest()  # what anyone can compute from a guess
    with engine.begin() as conn:
        conn.execute(
            search_audit.insert().values(
                audit_id=new_id(), at=utcnow(), who="t", query_hash=unkeyed, result_ids=[], scores=[]
            )
        )
        conn.execute(schema_version.delete().where(schema_version.c.version >= 5))
    assert migrate(engine)[0] == 5  # 6 (sensitivity) and 7 (owners) re-apply as no-ops
    with engine.connect() as conn:
        assert conn.execute(sa.select(search_audit.c.query_hash)).scalars().all() == [UNKEYED_HASH_DROPPED]
    engine.dispose()


def test_migration_6_adds_the_sensitivity_column_to_a_catalog_without_it(catalog_url):
    engine = create_catalog_engine(catalog_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE source_media DROP COLUMN sensitivity"))
        conn.execute(schema_version.delete().where(schema_version.c.version >= 6))
    assert migrate(engine) == [6, 7]  # 7 (owners) re-applies as a no-op: every original has its owner
    with engine.connect() as conn:
        assert "sensitivity" in {c["name"] for c in sa.inspect(conn).get_columns("source_media")}
    engine.dispose()


def test_migration_7_gives_every_existing_original_its_ownership_row(catalog_url):
    engine = create_catalog_engine(catalog_url)
    migrate(engine)
    row = {
        "source_id": new_id(),
        "content_hash": "ab" * 32,
        "uri": "store:media/ab/" + "ab" * 32,
        "modality": "image",
        "mime_type": "image/png",
        "bytes": 3,
        "uploaded_at": utcnow(),
        "tenant_id": "acme",
        "retention_class": "standard",
        "region": "eu",
        "consent": "expired",
        "usage_rights": "approved",
        "original_name": "scan.png",
        "gate": {},
    }
    with engine.begin() as conn:  # a catalog at version 6: source_media rows, no source_owner table
        conn.execute(source_media.insert().values(row))
        source_owner.drop(conn)
        conn.execute(schema_version.delete().where(schema_version.c.version >= 7))
    assert migrate(engine)[0] == 7
    assert migrate(engine) == []
    with engine.connect() as conn:
        owners = [dict(r) for r in conn.execute(sa.select(source_owner)).mappings()]
    assert [(o["content_hash"], o["tenant_id"], o["original_name"], o["region"], o["consent"]) for o in owners] == [
        ("ab" * 32, "acme", "scan.png", "eu", "expired")
    ]
    engine.dispose()


def test_the_audit_key_is_made_once_readable_by_its_owner_only(tmp_path):
    key = audit_key(tmp_path / "home")
    assert len(key) == 32 and audit_key(tmp_path / "home") == key
    assert stat.S_IMODE((tmp_path / "home" / AUDIT_KEY_FILE).stat().st_mode) == 0o600
    keyed = query_hash(key, "555 213 4567")
    assert keyed != hashlib.sha256(b"555 213 4567").hexdigest()
    assert keyed == query_hash(key, "555 213 4567") != query_hash(audit_key(tmp_path / "other"), "555 213 4567")


def _open_at_once(url: str, count: int) -> tuple[list[sa.Engine], list[Exception]]:
    """`count` threads open the catalog at `url` at the same moment: their engines and their errors."""
    import threading

    barrier, engines, errors = threading.Barrier(count), [], []

    def first_use() -> None:
        barrier.wait()
        try:
            engines.append(open_catalog_engine(url))
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return engines, errors


def _assert_all_open_and_one_migration_each(url: str, count: int = 4) -> None:
    """`count` first uses of a new catalog at once: every one opens, and each migration is recorded once."""
    engines, errors = _open_at_once(url, count)
    assert errors == []
    assert len(engines) == count
    with engines[0].connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    assert sorted(versions) == list(range(1, SCHEMA_VERSION + 1))
    for engine in engines:
        engine.dispose()


def test_first_uses_of_a_new_postgres_catalog_at_once_all_succeed_and_migrate_once(postgres_admin):
    """Two `mm ingest`s on a new database used to race on CREATE TABLE (PostgreSQL's "if not exists" is not
    atomic: a pg_type unique violation failed one of them); the advisory lock in `migrate` orders them."""
    import uuid

    for _ in range(3):  # each round a new database: the race is only on the first use
        name = f"mm_test_{uuid.uuid4().hex[:12]}"
        with postgres_admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            _assert_all_open_and_one_migration_each(postgres_admin.url.set(database=name).render_as_string(False))
        finally:
            with postgres_admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_first_uses_of_a_new_sqlite_catalog_at_once_all_succeed_and_migrate_once(tmp_path):
    """SQLite's driver commits each CREATE TABLE on its own, so a first use starting beside another saw the
    tables without their version row and refused ("schema version 0 ... run `mm migrate`"); a lock file
    beside the database orders them."""
    for round_ in range(3):  # each round a new database: the race is only on the first use
        _assert_all_open_and_one_migration_each(f"sqlite:///{tmp_path / f'catalog_{round_}.db'}")
