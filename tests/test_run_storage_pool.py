"""The pooled SQLite run storage (dagster_internals/run_storage.PooledSqliteRunStorage): what
MM_HOME's instance uses for history/runs.db, one kept connection instead of one per query, and the same
file that Dagster's own SqliteRunStorage reads and writes."""

from __future__ import annotations

import os
import uuid

import dagster as dg
import sqlalchemy as sa
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage

from mm_assets.dagster_internals.run_storage import PooledSqliteRunStorage
from mm_assets.orchestration.instance import get_instance


def test_mm_homes_instance_keeps_one_connection_to_runs_db_for_many_run_writes_and_reads(mm_settings):
    instance = get_instance(mm_settings)
    storage = instance.run_storage
    assert isinstance(storage, PooledSqliteRunStorage)
    assert os.path.dirname(storage._conn_string.removeprefix("sqlite:///")) == str(mm_settings.dagster_home / "history")

    opened: list[object] = []
    used: list[object] = []
    sa.event.listen(storage._kept_engine, "connect", lambda dbapi_connection, _record: opened.append(dbapi_connection))
    sa.event.listen(storage._kept_engine, "checkout", lambda dbapi_connection, _record, _proxy: used.append(1))
    run = storage.add_run(DagsterRun(job_name="probe", run_id=str(uuid.uuid4())))
    for i in range(10):
        storage.add_run_tags(run.run_id, {"n": str(i)})
        assert instance.get_run_by_id(run.run_id).tags["n"] == str(i)
    assert len(used) >= 21 and len(opened) <= 1  # Dagster's class opens (and closes, checkpointing the WAL) 21


def test_the_pooled_and_dagsters_run_storage_share_one_file(mm_settings):
    pooled = get_instance(mm_settings).run_storage
    stock = SqliteRunStorage.from_local(str(mm_settings.dagster_home / "history"))
    by_pooled = pooled.add_run(DagsterRun(job_name="probe", run_id=str(uuid.uuid4())))
    by_stock = stock.add_run(DagsterRun(job_name="probe", run_id=str(uuid.uuid4())))
    stock.handle_run_event(by_pooled.run_id, _run_start(by_pooled))

    assert {run.run_id for run in stock.get_runs()} == {by_pooled.run_id, by_stock.run_id}
    assert {run.run_id for run in pooled.get_runs()} == {by_pooled.run_id, by_stock.run_id}
    assert pooled.get_runs(dg.RunsFilter(run_ids=[by_pooled.run_id]))[0].status == dg.DagsterRunStatus.STARTED
    pooled.dispose()
    assert "_kept_engine" not in pooled.__dict__  # its connections closed


def _run_start(run: DagsterRun) -> dg.DagsterEvent:
    return dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name)


def test_a_home_written_when_the_class_lived_in_event_log_storage_still_loads(mm_settings):
    """dagster.yaml files written on 2026-12-04 name `mm_assets.dagster_internals.event_log_storage` as
    the run storage's module; the class moved to run_storage.py and must still load from there."""
    yaml_path = mm_settings.dagster_home / "dagster.yaml"
    get_instance(mm_settings)  # writes the home's dagster.yaml
    text = yaml_path.read_text()
    assert "mm_assets.dagster_internals.run_storage" in text
    yaml_path.write_text(
        text.replace("mm_assets.dagster_internals.run_storage", "mm_assets.dagster_internals.event_log_storage")
    )
    instance = dg.DagsterInstance.from_config(str(mm_settings.dagster_home))
    assert isinstance(instance.run_storage, PooledSqliteRunStorage)
    assert instance.run_storage.add_run(DagsterRun(job_name="probe", run_id=str(uuid.uuid4())))
