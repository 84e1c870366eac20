"""The catalog's engines and shared access: opening a database, migrating it, one pooled engine per URL.

The same code runs on SQLite (embedded default) and PostgreSQL (MM_CATALOG_URL=postgresql://...).
Schema changes are explicit migrations recorded in `schema_version` (the tables and the migrations are
in catalog_tables.py); see `migrate()`.

No Dagster here: `CatalogDatabase` is the catalog for code that runs outside Dagster and must start
fast (a cold `mm search`); resources/catalog.py makes the same methods a Dagster resource.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from resources.catalog_tables import (
    MIGRATIONS,
    SCHEMA_VERSION,
    derived_artifact,
    metadata,
    schema_version,
    source_media,
)
from resources.file_lock import exclusive_file_lock


class CatalogSchemaOutdated(RuntimeError):
    """The catalog database is at an older schema version; `mm migrate` brings it up to date."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


SQLITE_BUSY_TIMEOUT_S = 30


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the database to WAL, once: the mode is stored in the file. The switch needs the file to itself,
    and SQLite answers "database is locked" at once, without waiting out the busy timeout, when another
    connection opens the new file at that moment (four first uses of a new catalog at once failed one in
    three runs under load: test_catalog). So the switch is retried until it is made or another made it."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def create_catalog_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = sa.engine.make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            _use_wal(cursor)  # readers (UI, sensors) never block the writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


# A constant of the catalog's own for PostgreSQL's advisory lock around migrations ("mmcatalo" as hex).
MIGRATION_LOCK_KEY = 0x6D6D636174616C6F


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations in order; returns the versions applied."""
    applied = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two first uses of a new database at once (two `mm ingest`s) would both CREATE TABLE: PostgreSQL's
            # "if not exists" check is not atomic (a pg_type unique violation). One migrates; the other waits
            # here until that commits, then finds every migration applied.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        metadata.create_all(conn, tables=[schema_version])
        at = current_version(conn)
        for version, description, apply in MIGRATIONS:
            if version <= at:
                continue
            apply(conn)
            conn.execute(schema_version.insert().values(version=version, description=description, applied_at=utcnow()))
            applied.append(version)
    return applied


def open_catalog_engine(url: str) -> Engine:
    """Engine for a catalog at the current schema.

    A brand-new, empty database is initialised on first use; an existing one at an older version
    is refused until `mm migrate` runs, so a data migration never happens behind anyone's back.
    """
    engine = create_catalog_engine(url)
    with engine.connect() as conn:
        if current_version(conn) == SCHEMA_VERSION:
            return engine
    with _first_use_lock(engine):
        with engine.connect() as conn:
            at = current_version(conn)
            # Only the catalog's own tables count: the database may be shared with dagster-postgres,
            # whose tables can be there first.
            has_tables = bool(set(sa.inspect(conn).get_table_names()) & set(metadata.tables))
        if at == 0 and not has_tables:
            migrate(engine)
            return engine
    if at < SCHEMA_VERSION:
        raise CatalogSchemaOutdated(
            f"catalog {engine.url.render_as_string(hide_password=True)} is at schema version {at}, "
            f"this code needs {SCHEMA_VERSION}: run `mm migrate`"
        )
    return engine


@contextlib.contextmanager
def _first_use_lock(engine: Engine) -> Iterator[None]:
    """One process at a time looks at, and initialises, a new SQLite catalog. SQLite's driver commits each
    CREATE TABLE on its own, so a second `mm ingest` starting beside the first saw the tables without their
    version row ("schema version 0 ... run `mm migrate`": a failed test run). PostgreSQL needs no file:
    its DDL is transactional and `migrate` holds an advisory lock."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with exclusive_file_lock(f"{database}.first-use.lock"):
        yield


# One engine (one connection pool) per catalog URL per process: Dagster builds a new resource object
# for every run and sensor tick, and the CLI makes several, so engines cached on the object would
# each open (and check the schema of) their own connections. Keyed by pid: a forked child must not
# share its parent's sockets.
_ENGINES: dict[tuple[int, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def shared_catalog_engine(url: str) -> Engine:
    """The process's pooled engine for `url`, opened (and its schema checked) on first use."""
    key = (os.getpid(), url)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = open_catalog_engine(url)
        return engine


class CatalogAccess:
    """What every user of the catalog shares, over `self.engine`: the subclass provides it (not annotated
    here, or Dagster would take it for a config field of CatalogResource)."""

    def source_rows(self, content_hashes: Iterable[str]) -> dict[str, dict[str, Any]]:
        hashes = list(content_hashes)
        rows: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(hashes, 500):
                query = sa.select(source_media).where(source_media.c.content_hash.in_(chunk))
                rows.update({r.content_hash: dict(r._mapping) for r in conn.execute(query)})
        return rows

    def count_sources(self) -> int:
        """How many originals the catalog holds (every tenant)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(source_media)).scalar_one())

    def insert_rows(self, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            with self.engine.begin() as conn:
                conn.execute(table.insert(), list(rows))

    def insert_if_absent(self, table: sa.Table, rows: Sequence[dict[str, Any]], unique_column: str) -> set[str]:
        """Insert the rows whose `unique_column` value is new, in one transaction; return the values inserted.

        `ON CONFLICT DO NOTHING` (SQLite and PostgreSQL): a row a concurrent writer inserted first
        is skipped, never an error that would lose the rest of the batch.
        """
        if not rows:
            return set()
        insert = dialect_insert(self.engine.dialect.name)
        column = table.c[unique_column]
        statement = insert(table).on_conflict_do_nothing(index_elements=[column]).returning(column)
        with self.engine.begin() as conn:
            return {row[0] for row in conn.execute(statement, list(rows))}


class CatalogDatabase(CatalogAccess):
    """The catalog at `url`, without Dagster."""

    def __init__(self, url: str) -> None:
        self.url = url

    @cached_property
    def engine(self) -> Engine:
        return shared_catalog_engine(self.url)


def current_artifacts(catalog: CatalogAccess, kind: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The current artifact of `kind` for each content hash that has one."""
    rows: dict[str, dict[str, Any]] = {}
    with catalog.engine.connect() as conn:
        for start in range(0, len(keys), 500):
            query = sa.select(derived_artifact).where(
                derived_artifact.c.kind == kind,
                derived_artifact.c.status == "current",
                derived_artifact.c.source_hash.in_(keys[start : start + 500]),
            )
            rows.update({row.source_hash: dict(row._mapping) for row in conn.execute(query)})
    return rows


def dialect_insert(dialect: str) -> Callable[..., Any]:
    """SQLAlchemy's `insert` of the catalog's dialect (the one with ON CONFLICT)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise NotImplementedError(f"catalog dialect {dialect!r}: use SQLite or PostgreSQL")
    return insert


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
