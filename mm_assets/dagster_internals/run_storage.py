"""SQLite's run storage (history/runs.db) with its engine and connections kept open, as the pooled event
log (`event_log_storage.PooledSqliteEventLogStorage`) keeps its shards'."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import dagster as dg
import sqlalchemy as sa
from dagster._config.config_schema import UserConfigSchema
from dagster._config.source import StringSource
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.pool import QueuePool


def set_synchronous_normal(dbapi_connection: Any, _record: Any) -> None:
    """A commit no longer waits for fsync; a WAL database stays consistent on power loss (the last
    transactions may be lost). Listened to on every connection an engine opens."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteRunStorage(SqliteRunStorage):
    """`SqliteRunStorage` (history/runs.db, WAL) that keeps one engine and its connections open.

    Dagster's opens a new engine and connection for every query and closes them again; closing the last
    connection to a WAL database checkpoints it, and each commit fsyncs. A run makes several such calls
    (its row, its start and end status, reads of its record): ~12-15 ms of thread CPU and ~110-185 ms
    of wall per write and read at a load of 12, against ~4 ms and ~35-40 ms kept open. `synchronous=NORMAL`
    as for the event log (consistent on power loss; the last transactions may be lost). Same file and
    schema: an instance can switch between the two classes at any time."""

    @classmethod
    def config_type(cls) -> UserConfigSchema:  # as the pooled event log: runs.db under <dagster_home>/history
        return {"dagster_home": dg.Field(StringSource)}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteRunStorage:
        return cls.from_local(os.path.join(config_value["dagster_home"], "history"), inst_data=inst_data)

    @cached_property
    def _kept_engine(self) -> sa.Engine:
        engine = sa.create_engine(
            self._conn_string,
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=4,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        sa.event.listen(engine, "connect", set_synchronous_normal)
        return engine

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        with self._kept_engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        if "_kept_engine" in self.__dict__:
            self.__dict__.pop("_kept_engine").dispose()
        super().dispose()
