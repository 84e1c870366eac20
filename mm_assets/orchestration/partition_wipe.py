"""Remove one partition, and every string that names it, from Dagster's own SQL storage.

Dagster OSS raises NotImplementedError for `wipe_asset_partitions` on its SQL event logs (SQLite and
PostgreSQL), so `mm forget` does it here, on the instance's run, event-log and schedule storages:

- rows that record the partition (events, their tags, check executions, sensor ticks, the dynamic
  partition itself, any row whose text names the key or the file name) are deleted;
- rows that other partitions still need (runs, their tags, sensor state, key-value cursors) keep
  their place, with the key and the file name replaced by the tombstone id;
- the asset-key cache (last materialization, partition status) is cleared where it names the key;
  Dagster rebuilds it from the remaining events on its next read.

On SQLite every database is then vacuumed with `secure_delete` on and its WAL truncated, so the
deleted rows do not survive in free pages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from mm_assets.dagster_internals.event_log_storage import (
    DAGSTER_TABLES,
    is_sqlite_instance,
    storage_connections,
)

# rows kept with the names rewritten: a run covers other partitions too, cursors keep sensors going
REWRITTEN_TABLES = frozenset({"runs", "run_tags", "kvs", "instigators", "jobs", "bulk_actions", "backfill_tags"})
# the asset-key cache: cleared, never deleted (the asset itself stays)
ASSET_KEYS_TABLE = "asset_keys"
# Dagster's bookkeeping of its own schema, never names a partition
UNTOUCHED_TABLES = frozenset({"alembic_version", "secondary_indexes", "instance_info", "snapshots"})


@dataclass
class WipeReport:
    rows_deleted: dict[str, int] = field(default_factory=dict)
    rows_rewritten: dict[str, int] = field(default_factory=dict)
    databases: int = 0
    sqlite_files_vacuumed: int = 0

    def add(self, counts: dict[str, int], table: str, rows: int) -> None:
        if rows:
            counts[table] = counts.get(table, 0) + rows

    def as_json(self) -> dict[str, object]:
        return {
            "rows_deleted": self.rows_deleted,
            "rows_rewritten": self.rows_rewritten,
            "databases": self.databases,
            "sqlite_files_vacuumed": self.sqlite_files_vacuumed,
        }


def wipe_partition(
    instance: dg.DagsterInstance,
    partitions_def_name: str,
    partition_key: str,
    names: Sequence[str],
    replacement: str,
) -> WipeReport:
    """Delete or rewrite every row of the instance's storage that names the partition key or one of
    `names` (e.g. the original file name); rewritten text gets `replacement` instead."""
    needles = [needle for needle in (partition_key, *names) if needle]
    if partition_key in instance.get_dynamic_partitions(partitions_def_name):
        instance.delete_dynamic_partition(partitions_def_name, partition_key)
    report = WipeReport()
    for connection in storage_connections(instance):
        with connection as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            _scrub_database(conn, needles, replacement, report)
        report.databases += 1
    if is_sqlite_instance(instance):
        report.sqlite_files_vacuumed = vacuum_sqlite_files(Path(instance.root_directory))
    return report


def _scrub_database(conn: sa.Connection, needles: Sequence[str], replacement: str, report: WipeReport) -> None:
    metadata = sa.MetaData()
    metadata.reflect(bind=conn, only=lambda name, _: name in DAGSTER_TABLES)
    for table in metadata.sorted_tables:
        if table.name in UNTOUCHED_TABLES:
            continue
        text_columns = [column for column in table.columns if _is_text(column.type)]
        if not text_columns:
            continue
        naming = sa.or_(
            *(_as_text(column).contains(needle, autoescape=True) for column in text_columns for needle in needles)
        )
        if table.name in REWRITTEN_TABLES:
            report.add(report.rows_rewritten, table.name, _rewrite_rows(conn, table, naming, needles, replacement))
        elif table.name == ASSET_KEYS_TABLE:
            # Dagster reads the latest materialization from the events while the cached one is empty
            values = {"cached_status_data": None} if "cached_status_data" in table.c else {}
            if "last_materialization" in table.c:
                values["last_materialization"] = None
            if values:
                rows = conn.execute(table.update().where(naming).values(values)).rowcount
                report.add(report.rows_rewritten, table.name, rows)
        else:
            report.add(report.rows_deleted, table.name, conn.execute(table.delete().where(naming)).rowcount)


def _as_text(column: sa.Column) -> sa.ColumnElement[str]:
    return sa.cast(column, sa.Text)


def _is_text(column_type: sa.types.TypeEngine) -> bool:
    return isinstance(column_type, sa.String | sa.Text | sa.JSON)


def _rewrite_rows(
    conn: sa.Connection, table: sa.Table, naming: sa.ColumnElement[bool], needles: Sequence[str], replacement: str
) -> int:
    """Replace every needle in the text columns of the rows that name one; the row count."""
    keys = list(table.primary_key.columns) or list(table.columns)
    text_columns = [column for column in table.columns if _is_text(column.type)]
    rows = conn.execute(sa.select(*keys, *text_columns).where(naming)).mappings().all()
    for row in rows:
        values = {}
        for column in text_columns:
            value = row[column.name]
            if isinstance(value, str) and any(needle in value for needle in needles):
                for needle in needles:
                    value = value.replace(needle, replacement)
                values[column.name] = value
        where = sa.and_(*(key == row[key.name] for key in keys))
        conn.execute(table.update().where(where).values(values))
    return len(rows)


def vacuum_sqlite_files(root: Path) -> int:
    """VACUUM every SQLite database under `root` with secure_delete on, then truncate its WAL: the
    rows deleted before leave no bytes in free pages or in the write-ahead log."""
    vacuumed = 0
    for path in sorted(root.rglob("*.db")):
        if not _is_sqlite_file(path):
            continue
        vacuum_sqlite_file(path)
        vacuumed += 1
    return vacuumed


def vacuum_sqlite_file(path: Path) -> None:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete=ON")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"
