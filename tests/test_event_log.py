"""The pooled event logs: Dagster's layout and behaviour, fewer connections and fsyncs; Dagster's own on request."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import dagster as dg
import pytest
import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster_postgres.event_log.event_log import PostgresEventLogStorage

from mm_assets.dagster_internals.event_log_storage import (
    OPEN_RUN_SHARDS,
    CoalescedCheckpoints,
    PooledPostgresEventLogStorage,
    PooledSqliteEventLogStorage,
)
from mm_assets.definitions import build_definitions
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from tests.test_runs import SOURCE, ingest_and_register

WATCH_TIMEOUT_S = 60


def test_runs_on_the_pooled_log_read_back_on_dagsters_own_class(mm_settings, tmp_path):
    instance, keys = ingest_and_register(mm_settings, tmp_path / "in", 2 * OPEN_RUN_SHARDS)
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)

    report = materialize_partitions(build_definitions(mm_settings), instance, [SOURCE], keys, batch_size=1)

    assert len(report.run_ids) == len(keys) and report.failed == {}
    assert len([shard for shard in storage._engines if shard != "index"]) <= OPEN_RUN_SHARDS  # old shards closed
    stock = get_instance(mm_settings.with_overrides(dagster_event_log="dagster"))  # same files, Dagster's class
    assert type(stock.event_log_storage) is SqliteEventLogStorage
    assert stock.get_materialized_partitions(SOURCE) == set(keys)
    for run_id in report.run_ids:
        types = [entry.dagster_event_type for entry in stock.all_logs(run_id)]
        assert types.count(dg.DagsterEventType.ASSET_MATERIALIZATION) == 1
        assert types[-1] == dg.DagsterEventType.RUN_SUCCESS


STEP_SEEN = threading.Event()  # set by the test's watcher; the asset runs in this process


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["a", "b", "c"]))
def watched() -> None:
    """Blocks until the watcher has seen this step start: proof that the logs stream live."""
    if not STEP_SEEN.wait(WATCH_TIMEOUT_S):
        raise AssertionError("the watcher did not see STEP_START while the step ran")


@pytest.mark.parametrize("event_log", ["pooled", "dagster"])
def test_a_webserver_style_watcher_sees_every_event_while_the_run_runs(mm_settings, event_log):
    """dagster-webserver streams a run's logs by watching its SQLite shard file for changes."""
    settings = mm_settings.with_overrides(dagster_event_log=event_log)
    writer, watcher = get_instance(settings), get_instance(settings)  # two storages, like two processes
    run_id = str(uuid.uuid4())
    received: list[dg.EventLogEntry] = []
    done = threading.Event()
    STEP_SEEN.clear()

    def on_event(entry: dg.EventLogEntry, _cursor: str) -> None:
        received.append(entry)
        if entry.dagster_event_type == dg.DagsterEventType.STEP_START:
            STEP_SEEN.set()
        if entry.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS:
            done.set()

    watcher.watch_event_logs(run_id, None, on_event)
    try:
        job = dg.Definitions(assets=[watched], jobs=[dg.define_asset_job("watched_job")]).resolve_job_def("watched_job")
        range_tags = {"dagster/asset_partition_range_start": "a", "dagster/asset_partition_range_end": "c"}
        assert job.execute_in_process(instance=writer, run_id=run_id, tags=range_tags).success
        assert done.wait(WATCH_TIMEOUT_S), "the watcher never saw RUN_SUCCESS"
    finally:
        watcher.end_watch_event_logs(run_id, on_event)
    written = writer.all_logs(run_id)
    assert [entry.dagster_event_type for entry in received] == [entry.dagster_event_type for entry in written]
    materialized = [e for e in received if e.dagster_event_type == dg.DagsterEventType.ASSET_MATERIALIZATION]
    assert sorted(e.dagster_event.partition for e in materialized) == ["a", "b", "c"]


def test_checkpoints_asked_for_within_the_interval_become_one_on_a_timer_and_a_run_end_is_at_once():
    done: list[tuple[str, float]] = []
    fired = threading.Event()

    def checkpoint(shard: str) -> None:
        done.append((shard, time.monotonic()))
        fired.set()

    checkpoints = CoalescedCheckpoints(checkpoint, interval_s=0.3)
    started = time.monotonic()
    checkpoints.soon("run-a")  # the first one of a shard: at once
    assert [shard for shard, _ in done] == ["run-a"]
    fired.clear()
    for _ in range(20):  # a burst of events: one more checkpoint, when the interval ends
        checkpoints.soon("run-a")
    assert len(done) == 1
    assert fired.wait(5)
    assert [shard for shard, _ in done] == ["run-a", "run-a"]
    assert done[1][1] - started >= 0.3
    time.sleep(0.4)
    assert len(done) == 2  # nothing more was asked for, nothing more ran

    checkpoints.soon("run-b")
    checkpoints.soon("run-b")  # pending on a timer ...
    checkpoints.now("run-b")  # ... until the run ends: at once, and the timer is cancelled
    assert [shard for shard, _ in done[2:]] == ["run-b", "run-b"]
    time.sleep(0.5)
    assert len(done) == 4


def schema_and_revision(path: str) -> tuple[list[tuple], list[tuple], str]:
    with sqlite3.connect(path) as conn:
        schema = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return schema, revision, mode


def test_a_new_run_shard_is_a_copy_of_dagsters_own_empty_shard(tmp_path):
    pooled = PooledSqliteEventLogStorage(str(tmp_path / "pooled"))
    stock = SqliteEventLogStorage(str(tmp_path / "stock"))
    run_id = str(uuid.uuid4())
    for storage in (pooled, stock):
        with storage.run_connection(run_id):
            pass

    assert schema_and_revision(pooled.path_for_shard(run_id)) == schema_and_revision(stock.path_for_shard(run_id))
    assert schema_and_revision(pooled.path_for_shard(run_id))[2] == "wal"
    assert len(list((tmp_path / "pooled").glob(".run-shard-template-*.sqlite"))) == 1
    assert pooled.get_all_run_ids() == [run_id]  # the template is no run
    second = str(uuid.uuid4())
    with pooled.run_connection(second):
        pass
    assert sorted(pooled.get_all_run_ids()) == sorted([run_id, second])


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("event_log", "storage_class"),
    [("pooled", PooledPostgresEventLogStorage), ("dagster", PostgresEventLogStorage)],
)
def test_postgresql_takes_dagsters_own_event_log_on_request(tmp_path, postgres_url, event_log, storage_class):
    settings = Settings(home=tmp_path / "mm").with_overrides(
        catalog_url=postgres_url,
        dagster_postgres_url=postgres_url,
        store_root=str(tmp_path / "store"),
        dagster_event_log=event_log,
    )
    instance, keys = ingest_and_register(settings, tmp_path / "in", 3)
    assert type(instance.event_log_storage) is storage_class

    report = materialize_partitions(build_definitions(settings), instance, [SOURCE], keys, batch_size=200)

    assert len(report.run_ids) == 1 and sorted(report.materialized) == sorted(keys) and report.failed == {}
    assert instance.get_materialized_partitions(SOURCE) == set(keys)
    types = [entry.dagster_event_type for entry in instance.all_logs(report.run_ids[0])]
    assert types.count(dg.DagsterEventType.ASSET_MATERIALIZATION) == 3
    assert types[-1] == dg.DagsterEventType.RUN_SUCCESS
    instance.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(("event_log", "survives"), [("pooled", True), ("dagster", False)])
def test_a_pools_first_use_by_many_runs_at_once_and_a_changed_default_limit_fail_no_run_on_postgresql(
    tmp_path, postgres_url, event_log, survives
):
    """Dagster's own storage updates inside the transaction its failed insert aborted; ours upserts.

    The stock row pins Dagster's bug: when it passes, a Dagster upgrade fixed it and the override in
    PooledPostgresEventLogStorage can go.
    """
    settings = Settings(home=tmp_path / "mm").with_overrides(
        dagster_postgres_url=postgres_url, dagster_event_log=event_log, run_coordinator="queued", model_pool_limit=2
    )
    instance = get_instance(settings)
    storage = instance.event_log_storage
    errors: list[BaseException] = []

    def first_use() -> None:
        try:
            storage.initialize_concurrency_limit_to_default("embedder_model")
        except Exception as exc:  # noqa: BLE001 (the stock storage's failure is what this records)
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.get_concurrency_info("embedder_model").slot_count == 2

    changed = get_instance(settings.with_overrides(model_pool_limit=3))  # the operator raised the limit
    try:
        changed.event_log_storage.initialize_concurrency_limit_to_default("embedder_model")
        changed_ok = True
    except Exception:  # noqa: BLE001
        changed_ok = False
    if survives:
        assert errors == [] and changed_ok
        assert changed.event_log_storage.get_concurrency_info("embedder_model").slot_count == 3
    else:
        assert not changed_ok, "Dagster's update after a failed insert now works: drop the override"
    changed.dispose()
    instance.dispose()


def test_a_partition_known_to_exist_is_not_asked_again_but_a_delete_or_a_no_always_is(mm_settings, monkeypatch):
    """The server's runs asked ~260 times per upload whether their partition exists: a recent "yes" is
    reused for PARTITION_EXISTS_TTL_S; a "no" never is, and a delete through the storage drops the "yes"."""
    from mm_assets.dagster_internals import event_log_storage

    instance = get_instance(mm_settings)
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)
    asked: list[str] = []
    engine = storage._engine("index")
    name = "content_hash"

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if "dynamic_partitions" in statement and statement.lstrip().upper().startswith("SELECT"):
            asked.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert not instance.has_dynamic_partition(name, "a" * 64)
        assert not instance.has_dynamic_partition(name, "a" * 64)
        assert len(asked) == 2  # a "no" is asked each time: an upload's new partition shows at once
        instance.add_dynamic_partitions(name, ["a" * 64])
        asked.clear()
        assert all(instance.has_dynamic_partition(name, "a" * 64) for _ in range(50))
        assert len(asked) == 1
        instance.delete_dynamic_partition(name, "a" * 64)
        assert not instance.has_dynamic_partition(name, "a" * 64)

        instance.add_dynamic_partitions(name, ["b" * 64])
        assert instance.has_dynamic_partition(name, "b" * 64)
        monkeypatch.setattr(event_log_storage, "PARTITION_EXISTS_TTL_S", 0.0)  # past the TTL: asked again
        other = get_instance(mm_settings)  # another process's forget
        other.delete_dynamic_partition(name, "b" * 64)
        assert not instance.has_dynamic_partition(name, "b" * 64)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
