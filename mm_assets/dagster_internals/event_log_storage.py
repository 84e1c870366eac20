"""Dagster's event log storages, subclassed and opened up: the pooled event logs (SQLite's run storage,
pooled the same way, is `run_storage.PooledSqliteRunStorage`), the SQL access
that `mm forget` needs (Dagster's own table names, a connection to each of its databases), and an
instance opened with no compute-log storage (`load_instance`, for the server's interactive runs).

Pooled SQLite event log: the embedded default's event writes.

Dagster's `SqliteEventLogStorage` builds a new engine and connection for every write and closes it
again; closing the last connection to a WAL database checkpoints it, and every commit fsyncs. Each
event costs ~7-20 ms here, and a batched run writes ~2-9 events per partition (planned,
materialized, checked), which made Dagster's bookkeeping cost more than the model work of a cheap
asset. This subclass keeps one engine per shard (run shards in a small LRU, closed when evicted),
runs WAL with `synchronous=NORMAL` (a commit no longer waits for fsync; the database stays
consistent on power loss, the last transactions may be lost), and checkpoints a run shard after
events that end a burst, because `dagster-webserver` watches the run shard's file, not its WAL, to
stream a run's logs. Those checkpoints are coalesced: at most one per CHECKPOINT_INTERVAL_S per shard
(a skipped one runs on a timer when the interval ends; a run's last event is checkpointed at once), since
each costs about three fsyncs (the WAL, the file, the WAL's header on its next write): ~80 of them were
1.3 s of a one-photo upload's 9.7 s at a load of 7. A new run shard is a copy of a template shard
that Dagster's own `_initdb` built once (per Dagster version) instead of ~20 DDL statements, each
committed and synced on its own: 60 ms on an idle disk and up to a second under I/O load, for every
run. Everything else, schema and file layout included, is Dagster's own, so an instance can switch
between the two classes at any time. A run of this process (mm serve's upload runs, through
run_submission.PreparedInProcessJob) may ask for combined writes (`combined_writes`): its step starts,
outputs and successes, which only its run shard holds, then share a transaction with its next event.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import dagster as dg
import sqlalchemy as sa
from dagster import DagsterEventType
from dagster import __version__ as dagster_version
from dagster._config.config_schema import UserConfigSchema
from dagster._config.source import StringSource
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.storage.event_log.schema import (
    ConcurrencyLimitsTable,
    SqlEventLogStorageMetadata,
    SqlEventLogStorageTable,
)
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.runs.schema import RunStorageSqlMetadata
from dagster._core.storage.schedules.schema import ScheduleStorageSqlMetadata
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from dagster_postgres.event_log.event_log import PostgresEventLogStorage
from dagster_postgres.utils import pg_url_from_config
from sqlalchemy.dialects import postgresql
from sqlalchemy.pool import NullPool, QueuePool

from mm_assets.dagster_internals.partition_records import RunMaterializations

# Homes whose dagster.yaml was written on 2026-12-04 name the pooled run storage in this module.
from mm_assets.dagster_internals.run_storage import PooledSqliteRunStorage as PooledSqliteRunStorage
from mm_assets.dagster_internals.run_storage import set_synchronous_normal

# Events written once per partition, in bursts that a step or run event always follows; the run
# shard is checkpointed after that following event, so the webserver still sees every event.
PER_PARTITION_EVENTS = frozenset(
    {
        DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
        DagsterEventType.ASSET_MATERIALIZATION,
        DagsterEventType.ASSET_OBSERVATION,
        DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
        DagsterEventType.ASSET_CHECK_EVALUATION,
    }
)
# A run's last event: its shard is checkpointed at once, so a watcher sees the run end without a wait.
RUN_END_EVENTS = frozenset({DagsterEventType.RUN_SUCCESS, DagsterEventType.RUN_FAILURE, DagsterEventType.RUN_CANCELED})
# The longest a watcher (dagster-webserver streaming a run's logs) waits for an event already stored.
CHECKPOINT_INTERVAL_S = 0.5
OPEN_RUN_SHARDS = 4
# Events per batch Dagster hands to `store_event_batch` (a batch also ends with its step's last event).
EVENT_BATCH_SIZE_ENV = "DAGSTER_EVENT_BATCH_SIZE"
EVENT_BATCH_SIZE = 500
# Events a run shard holds alone (step start, output and success, engine and log lines): Dagster writes
# nothing else for them. In a run with combined writes (`combined_event_writes`) they wait for the run's
# next event that has a copy in the index shard (a materialization, a check, the run's status).
INDEXED_EVENTS = frozenset({*ASSET_EVENTS, *ASSET_CHECK_EVENTS, *EVENT_TYPE_TO_PIPELINE_RUN_STATUS})
POOL_RECYCLE_S = 3600
POOL_MAX_OVERFLOW = 8
# One INSERT of an event row, its values bound as parameters: Dagster's `prepare_insert_event` builds a new
# statement per event (`insert().values(**row)`: ~0.13 ms of CPU to build and execute, against ~0.03 ms for
# this one with the row as parameters), and an upload's runs write ~200 event rows.
EVENT_INSERT = SqlEventLogStorageTable.insert()


class DynamicPartitionCheckState:
    """Per-partition check statuses (a check's Partitions tab, GraphQL `partitionStatuses`) for dynamic partitions.

    Dagster 1.13 builds a check's partition statuses in `get_asset_check_state`, which asks the
    partitions definition whether each key exists; for dynamic partitions that needs the instance in
    a `partition_loading_context`, which the GraphQL resolver does not set, so the query fails for
    every content-hash check. The storage has the instance: it sets the context itself.
    """

    _instance: Any

    def get_asset_check_state(self, keys: Sequence[Any]) -> Mapping[Any, Any]:
        with dg.partition_loading_context(dynamic_partitions_store=self._instance):
            return super().get_asset_check_state(keys)  # type: ignore[misc]


# How long a "this dynamic partition exists" answer is reused (RecentPartitionExistence).
PARTITION_EXISTS_TTL_S = 5.0


class RecentPartitionExistence:
    """Reuse a recent "yes" from `has_dynamic_partition` for PARTITION_EXISTS_TTL_S.

    Dagster asks whether the run's content-hash partition exists before nearly every read of a step's
    partition key range (its own context, the data-version lookups, each check): ~260 indexed queries for
    one photo's interactive run, ~0.3 s of its time under load. Partitions are added once and deleted
    only by `mm forget`: a "no" is never kept (an upload's partition must show at once), a delete through
    this storage drops the answer, and a delete by another process is seen within the TTL, the same
    window a run that started before the forget has anyway.
    """

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        cache = self._partition_exists_cache()
        key, now = (partitions_def_name, partition_key), time.monotonic()
        seen = cache.get(key)
        if seen is not None and now - seen < PARTITION_EXISTS_TTL_S:
            return True
        exists = super().has_dynamic_partition(partitions_def_name, partition_key)  # type: ignore[misc]
        if exists:
            cache[key] = now
        else:
            cache.pop(key, None)
        return exists

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        self._partition_exists_cache().pop((partitions_def_name, partition_key), None)
        super().delete_dynamic_partition(partitions_def_name, partition_key)  # type: ignore[misc]
        self._partition_exists_cache().pop((partitions_def_name, partition_key), None)  # a racing reader's "yes"

    def wipe(self) -> None:
        self._partition_exists_cache().clear()
        super().wipe()  # type: ignore[misc]

    def _partition_exists_cache(self) -> dict[tuple[str, str], float]:
        # Set on first use: the storages' __init__ run Dagster's code first, which may already ask.
        cache = self.__dict__.get("_partition_exists")
        if cache is None:
            cache = self.__dict__.setdefault("_partition_exists", {})
        return cache


class PooledSqliteEventLogStorage(
    RunMaterializations, RecentPartitionExistence, DynamicPartitionCheckState, SqliteEventLogStorage
):
    """`SqliteEventLogStorage` that keeps its connections open between events."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, sa.Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_seen: set[str] = set()
        self._asset_key_columns_seen: set[str] = set()
        self._secondary_indexes_seen: set[str] = set()
        # Dagster groups a step's per-partition events into batches only when this is set (it reads
        # it at each event); `store_event_batch` then writes each batch at once. Set in every process
        # that opens this storage (mm, the daemon, run workers, the webserver); an explicit value wins.
        os.environ.setdefault(EVENT_BATCH_SIZE_ENV, str(EVENT_BATCH_SIZE))
        self._checkpoints = CoalescedCheckpoints(self._checkpoint, CHECKPOINT_INTERVAL_S)
        self._deferred_lock = threading.Lock()
        self._deferred: dict[str, list[dict[str, Any]]] = {}  # run id -> rows of its events not written yet
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> UserConfigSchema:
        # `dagster_home` (normally `{env: DAGSTER_HOME}`) puts the shards in Dagster's own place,
        # <home>/history/runs, wherever the home is now: a dagster.yaml without an absolute path
        # keeps working after the home is copied or moved. `base_dir` is what older homes wrote.
        return {
            "base_dir": dg.Field(StringSource, is_required=False),
            "dagster_home": dg.Field(StringSource, is_required=False),
        }

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        base_dir = config_value.get("base_dir")
        if base_dir is None:
            if not config_value.get("dagster_home"):
                raise ValueError("PooledSqliteEventLogStorage needs `dagster_home` (or `base_dir`) in dagster.yaml")
            base_dir = os.path.join(config_value["dagster_home"], "history", "runs")
        return cls(base_dir=base_dir, inst_data=inst_data)

    def _engine(self, shard: str) -> sa.Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = sa.create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=4,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", set_synchronous_normal)
            self._engines[shard] = engine
            run_shards = [name for name in self._engines if name != INDEX_SHARD_NAME]
            for stale in run_shards[:-OPEN_RUN_SHARDS]:
                self._engines.pop(stale).dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            if shard not in self._initialized_dbs and shard != INDEX_SHARD_NAME:
                if self._create_run_shard_from_template(shard):
                    self._initialized_dbs.add(shard)  # at the head revision: no alembic check needed
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _template_path(self) -> str:
        # not "*.db": Dagster takes every such file in the folder for a run shard
        return os.path.join(self._base_dir, f".run-shard-template-{dagster_version}.sqlite")

    def _create_run_shard_from_template(self, shard: str) -> bool:
        """Create a run shard that does not exist yet as a copy of the template (built on first use);
        whether this call created it.

        The copy appears under its name at once (a hard link of a finished file), so another process
        never sees half a shard; if one created the shard first, that one is kept. Dagster's
        `_initdb` would check the alembic revision of the copy by loading ~90 migration scripts
        (30 ms of CPU per run), which the template already answered.
        """
        path = self.path_for_shard(shard)
        if os.path.exists(path):
            return False
        template = self._template_path()
        if not os.path.exists(template):
            self._build_template(template)
        staging = f"{path}.{uuid.uuid4().hex}.tmp"
        shutil.copyfile(template, staging)
        try:
            os.link(staging, path)
        except OSError:  # another process created this shard meanwhile, or no hard links here
            return False  # either way Dagster's `_initdb` takes it from here
        finally:
            os.unlink(staging)
        return True

    def _build_template(self, template: str) -> None:
        """An empty run shard made by Dagster's own `_initdb` (schema, WAL mode, alembic stamp)."""
        staging = f"{template}.{uuid.uuid4().hex}.tmp"
        engine = sa.create_engine(f"sqlite:///{staging}", poolclass=NullPool)
        try:
            self._initdb(engine)
        finally:
            engine.dispose()  # the last connection closed: the WAL is folded into the file
        os.replace(staging, template)

    # Dagster asks the index shard's schema on every asset event (a new NullPool engine for
    # `has_table`, a column reflection for the asset key columns): a third of an event's cost.
    # Migrations only add tables and columns, so a "yes" is remembered and a "no" asked again.

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._tables_seen:
            with self._engine(INDEX_SHARD_NAME).connect() as conn:  # not _connect: callers may hold _db_lock
                if conn.dialect.has_table(conn, table_name):
                    self._tables_seen.add(table_name)
        return table_name in self._tables_seen

    def _has_asset_key_col_on_connection(self, conn: sa.Connection, column_name: str) -> bool:
        if column_name not in self._asset_key_columns_seen:
            if super()._has_asset_key_col_on_connection(conn, column_name):
                self._asset_key_columns_seen.add(column_name)
        return column_name in self._asset_key_columns_seen

    # Every `get_asset_records` (each step's data-version lookup of its inputs, 22 per photo upload) asks
    # again whether the asset-key columns and secondary indexes exist: an index-shard transaction each.
    # They are added by migrations and never removed while the storage is open (a wipe forgets them).

    def has_asset_key_col(self, column_name: str) -> bool:
        if column_name in self._asset_key_columns_seen:
            return True  # no connection opened for a known "yes"
        return super().has_asset_key_col(column_name)

    def has_secondary_index(self, name: str) -> bool:
        if name not in self._secondary_indexes_seen and super().has_secondary_index(name):
            self._secondary_indexes_seen.add(name)
        return name in self._secondary_indexes_seen

    @contextmanager
    def combined_writes(self, run_id: str) -> Iterator[None]:
        """While this block runs, run `run_id`'s events that only its run shard holds are written in the
        same transaction as its next event that goes to the index shard too (or before any read of the
        run shard), not one transaction each: a one-photo upload's answering run writes 130 events, 74 of
        them step starts, outputs and successes. Every event is in the shard when the run's last event
        (its success or failure) is, and when this block ends. For runs of one process only (in-process
        executor): a step process that ended with events still waiting here would lose them."""
        with self._deferred_lock:
            self._deferred.setdefault(run_id, [])
        try:
            yield
        finally:
            try:
                if self._deferred.get(run_id):  # a run that stopped before its last event
                    with self.run_connection(run_id):
                        pass  # writes what still waits
            finally:
                with self._deferred_lock:
                    self._deferred.pop(run_id, None)

    def run_connection(self, run_id: str | None = None) -> Any:
        """The run shard's connection, in a transaction that first writes the run's waiting events."""
        return self._run_connection_with_deferred(run_id)

    @contextmanager
    def _run_connection_with_deferred(self, run_id: str | None) -> Iterator[sa.Connection]:
        waiting = self._take_deferred(run_id)
        try:
            with self._connect(run_id) as conn:  # type: ignore[arg-type]
                if waiting:
                    conn.execute(EVENT_INSERT, waiting)  # in order, one statement for them all
                yield conn
        except BaseException:
            self._give_back_deferred(run_id, waiting)  # rolled back: they wait for the next write
            raise

    def _take_deferred(self, run_id: str | None) -> list[dict[str, Any]]:
        if not self._deferred.get(run_id):  # type: ignore[arg-type]  # the usual case: no lock taken
            return []
        with self._deferred_lock:
            waiting = self._deferred.get(run_id) if run_id is not None else None
            if not waiting:
                return []
            self._deferred[run_id] = []  # type: ignore[index]
            return waiting

    def _give_back_deferred(self, run_id: str | None, waiting: list[dict[str, Any]]) -> None:
        if not waiting:
            return
        with self._deferred_lock:
            if run_id in self._deferred:
                self._deferred[run_id][:0] = waiting  # type: ignore[index]

    def _defer(self, event: Any) -> bool:
        """Keep `event` for its run's next transaction, if its run combines writes and only its shard holds it."""
        if event.run_id not in self._deferred:
            return False
        if event.is_dagster_event and event.dagster_event_type in INDEXED_EVENTS:
            return False
        row = self._event_to_row(event)
        with self._deferred_lock:
            waiting = self._deferred.get(event.run_id)
            if waiting is None:  # the block ended meanwhile: written as usual
                return False
            waiting.append(row)
            return True

    def store_event(self, event: Any) -> None:
        if self._defer(event):
            return
        super().store_event(event)
        if event.dagster_event_type in RUN_END_EVENTS:
            self._checkpoints.now(event.run_id)
        elif event.dagster_event_type not in PER_PARTITION_EVENTS:
            self._checkpoints.soon(event.run_id)

    def store_event_batch(self, events: Sequence[Any]) -> None:
        """A step's per-partition asset events (or a run's planned events) in two transactions, not two each.

        Dagster hands these over as one batch (see `EVENT_BATCH_SIZE_ENV`) and its base class stores
        them one by one. Asset events are written here as `SqliteEventLogStorage.store_event` writes
        each (the run shard's row, its copy in the index shard, indexed tags, the asset's latest
        pointers), in order; any other event in the batch goes through `store_event`.
        """
        asset_events: list[Any] = []
        for event in events:
            if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS:
                asset_events.append(event)
                continue
            self._store_asset_events(asset_events)
            asset_events = []
            self.store_event(event)
        self._store_asset_events(asset_events)

    def _store_asset_events(self, events: Sequence[Any]) -> None:
        for run_id in dict.fromkeys(event.run_id for event in events):  # a batch is one run's; kept general
            of_run = [event for event in events if event.run_id == run_id]
            rows = [self._event_to_row(event) for event in of_run]
            with self.run_connection(run_id) as conn:
                conn.execute(EVENT_INSERT, rows)
            with self.index_transaction() as conn:
                event_ids = [conn.execute(EVENT_INSERT, row).inserted_primary_key[0] for row in rows]
                self._store_asset_event_tags(conn, of_run, event_ids)
                for event, event_id in zip(of_run, event_ids, strict=True):
                    self._store_asset_event(conn, event, event_id)

    def _checkpoint(self, run_id: str) -> None:
        """Copy the run shard's WAL into its file: the change the webserver's watcher reacts to."""
        with self._db_lock:
            with self._engine(run_id).connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _dispose_engines(self) -> None:
        self._checkpoints.cancel_all()
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()

    def wipe(self) -> None:
        self._dispose_engines()
        self._secondary_indexes_seen.clear()
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


class CoalescedCheckpoints:
    """Run `checkpoint(shard)` at most once per `interval_s` per shard: at once when the last one is older,
    else once, on a timer, when the interval ends (however many were asked for meanwhile)."""

    def __init__(self, checkpoint: Callable[[str], None], interval_s: float) -> None:
        self._checkpoint, self._interval_s = checkpoint, interval_s
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}  # shard -> monotonic time of its last checkpoint
        self._pending: dict[str, threading.Timer] = {}

    def soon(self, shard: str) -> None:
        with self._lock:
            if shard in self._pending:
                return  # the pending one will cover this event too
            wait = self._last.get(shard, float("-inf")) + self._interval_s - time.monotonic()
            if wait > 0:
                timer = threading.Timer(wait, self._run_pending, args=(shard,))
                timer.daemon = True
                self._pending[shard] = timer
                timer.start()
                return
            self._last[shard] = time.monotonic()
        self._checkpoint(shard)

    def now(self, shard: str) -> None:
        with self._lock:
            timer = self._pending.pop(shard, None)
            self._last.pop(shard, None)  # a run's last event: its shard is not written again
        if timer is not None:
            timer.cancel()
        self._checkpoint(shard)

    def _run_pending(self, shard: str) -> None:
        with self._lock:
            if self._pending.pop(shard, None) is None:
                return  # `now` took it over
            self._last[shard] = time.monotonic()
        try:
            self._checkpoint(shard)
        except Exception:  # noqa: BLE001 - a storage disposed meanwhile; the WAL still holds every event
            logging.getLogger(__name__).debug("deferred checkpoint of %s failed", shard, exc_info=True)

    def cancel_all(self) -> None:
        with self._lock:
            timers, self._pending = list(self._pending.values()), {}
        for timer in timers:
            timer.cancel()


class PooledPostgresEventLogStorage(
    RunMaterializations, RecentPartitionExistence, DynamicPartitionCheckState, PostgresEventLogStorage
):
    """dagster-postgres's event log with a connection pool in every process that loads the instance.

    `PostgresEventLogStorage` opens a connection per query (NullPool) everywhere but in the
    webserver; `mm status` over 200 partitions opened 10,199 of them. This keeps a small pool (the
    webserver's own setting, without its statement timeout) in the daemon, run workers and the CLI.
    """

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data: Any = None) -> None:
        super().__init__(postgres_url, should_autocreate_tables=should_autocreate_tables, inst_data=inst_data)
        self.optimize_for_webserver(statement_timeout=0, pool_recycle=POOL_RECYCLE_S, max_overflow=POOL_MAX_OVERFLOW)

    def optimize_for_webserver(self, statement_timeout: int, pool_recycle: int, max_overflow: int) -> None:
        """Dagster swaps in a new pooled engine (the webserver asks again with its timeout): close the old one."""
        previous = self._engine
        super().optimize_for_webserver(statement_timeout, pool_recycle, max_overflow)
        if previous is not self._engine:
            previous.dispose()

    def initialize_concurrency_limit_to_default(self, concurrency_key: str) -> bool:
        """Give a pool its default limit in one upsert, safe when several runs first use it at once.

        Dagster inserts the pool's row and, when another run inserted it first, catches the
        IntegrityError and updates in the same transaction; on PostgreSQL a failed statement aborts
        the transaction, so that update fails (`InFailedSqlTransaction`) and so does the run that made
        it (seen when a queued run and an automation run first used `embedder_model` together; also on
        every run after the default limit changes, as the row then exists). `INSERT ... ON CONFLICT DO
        UPDATE` never fails on the row, and its row lock makes concurrent callers allocate slots in turn.
        """
        default_limit = self._instance.global_op_concurrency_default_limit if self.has_instance else None
        if default_limit is None or not (self.has_concurrency_limits_table and self.has_default_pool_limit_col):
            return super().initialize_concurrency_limit_to_default(concurrency_key)
        self._reconcile_concurrency_limits_from_slots()
        upsert = (
            postgresql.insert(ConcurrencyLimitsTable)
            .values(concurrency_key=concurrency_key, limit=default_limit, using_default_limit=True)
            .on_conflict_do_update(index_elements=["concurrency_key"], set_={"limit": default_limit})
        )
        with self.index_transaction() as conn:
            conn.execute(upsert)
            self._allocate_concurrency_slots(conn, concurrency_key, default_limit)
        return True

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledPostgresEventLogStorage:
        return cls(
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            inst_data=inst_data,
        )


# Dagster's own tables in its run, event-log and schedule databases (the catalog may share a
# PostgreSQL database with them, and only these are Dagster's to scrub).
DAGSTER_TABLES = frozenset(
    {*RunStorageSqlMetadata.tables, *SqlEventLogStorageMetadata.tables, *ScheduleStorageSqlMetadata.tables}
)


def is_sqlite_instance(instance: dg.DagsterInstance) -> bool:
    """True when the instance's event log lives in SQLite files (Dagster's class or the pooled one)."""
    return isinstance(instance.event_log_storage, SqliteEventLogStorage)


def storage_connections(instance: dg.DagsterInstance) -> Iterator[AbstractContextManager[sa.Connection]]:
    """A connection (in a transaction) to every database of the run, event-log and schedule storages."""
    event_log = instance.event_log_storage
    if not isinstance(event_log, SqlEventLogStorage):
        raise TypeError(f"cannot wipe a partition from {type(event_log).__name__}: not a SQL event log")
    yield instance.run_storage.connect()  # type: ignore[attr-defined]
    if instance.schedule_storage is not None:
        yield instance.schedule_storage.connect()  # type: ignore[attr-defined]
    yield event_log.index_connection()
    if isinstance(event_log, SqliteEventLogStorage):  # one more database per run (a shard)
        for run_id in event_log.get_all_run_ids():
            yield event_log.run_connection(run_id)


# --- an instance without compute-log capture -------------------------------------------------------

# Dagster's compute-log manager that captures nothing (the "stdout/stderr" tab of a run stays empty).
NO_COMPUTE_LOGS = {"module": "dagster._core.storage.noop_compute_log_manager", "class": "NoOpComputeLogManager"}


def load_instance(home: str, capture_compute_logs: bool = True) -> dg.DagsterInstance:
    """The instance configured in `home`/dagster.yaml; without compute-log capture if asked.
    `DagsterInstance.from_config` takes no overrides; `InstanceRef.from_dir` (private) merges them over
    dagster.yaml, so the storages, run coordinator and the rest stay what the home configures."""
    from dagster._core.instance.ref import InstanceRef

    if capture_compute_logs:
        return dg.DagsterInstance.from_config(home)
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides={"compute_logs": NO_COMPUTE_LOGS}))


def combined_event_writes(instance: dg.DagsterInstance, run_id: str) -> AbstractContextManager[None]:
    """`PooledSqliteEventLogStorage.combined_writes` for a run of this process where the instance has
    that storage; elsewhere nothing changes (each event its own write)."""
    storage = instance.event_log_storage
    if isinstance(storage, PooledSqliteEventLogStorage):
        return storage.combined_writes(run_id)
    return nullcontext()
