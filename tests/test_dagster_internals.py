"""Pins of the Dagster behaviour that mm_assets/dagster_internals relies on (written against 1.13.27).

Each test names the private attribute, signature or behaviour one adapter uses and checks it on a
real instance, so a Dagster upgrade that changes it fails here, by name, not deep inside a run.
"""

from __future__ import annotations

import ast
import inspect
import uuid
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa
from dagster._core.execution.context.data_version_cache import DataVersionCache
from dagster._core.storage.event_log.schema import AssetKeyTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from mm_assets.checks import report_partition_checks
from mm_assets.dagster_internals import partition_records
from mm_assets.dagster_internals.event_log_storage import (
    DAGSTER_TABLES,
    EVENT_BATCH_SIZE,
    EVENT_BATCH_SIZE_ENV,
    PooledSqliteEventLogStorage,
    storage_connections,
)
from mm_assets.dagster_internals.partition_records import (
    DagsterStaleResolver,
    data_version_of,
    data_versions_before,
    latest_materializations,
    materialization_target,
)
from mm_assets.dagster_internals.run_submission import CodeLocation, PreparedInProcessJob, submit_queued_runs
from mm_assets.dagster_internals.step_metadata import add_partition_metadata, metadata_accumulator_of
from mm_assets.orchestration.instance import get_instance

REPO_ROOT = Path(__file__).resolve().parents[1]
PRODUCT_PACKAGES = ("mm_assets", "resources", "partitions")
INTERNALS = REPO_ROOT / "mm_assets" / "dagster_internals"
# Five since 2026-12-04: the pooled run storage left event_log_storage.py (630 lines) for run_storage.py,
# with the same private imports: a split, not more of Dagster's private surface.
MAX_INTERNALS_MODULES = 5

PARTITIONS = dg.DynamicPartitionsDefinition(name="pinned")
KEYS = ["a", "b", "c"]
FAST_PATH_TAKEN: list[bool] = []  # the probe asset says here whether it found the metadata accumulator


def probe_asset(code_version: str) -> dg.AssetsDefinition:
    @dg.asset(name="probe", partitions_def=PARTITIONS, code_version=code_version)
    def probe(context) -> None:  # noqa: ANN001 (Dagster cannot resolve a string annotation in a closure)
        FAST_PATH_TAKEN.append(metadata_accumulator_of(context) is not None)
        add_partition_metadata(context, {key: {"letter": key} for key in context.partition_keys})

    return probe


PROBE = probe_asset("1")
PROBE_KEY = PROBE.key


@dg.asset_check(asset=PROBE, partitions_def=PARTITIONS)
def probe_ok() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


# the code location the run-submission test loads (this module, imported by Dagster's workspace)
pinned_defs = dg.Definitions(assets=[PROBE], jobs=[dg.define_asset_job("probe_job", selection=[PROBE])])


def range_tags(first: str, last: str) -> dict[str, str]:
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}


def run_probe(instance: dg.DagsterInstance, keys: list[str], probe: dg.AssetsDefinition = PROBE) -> None:
    result = dg.materialize([probe], instance=instance, tags=range_tags(keys[0], keys[-1]))
    assert result.success


@pytest.fixture
def instance(mm_settings) -> dg.DagsterInstance:
    instance = get_instance(mm_settings)  # the pooled SQLite event log
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    return instance


# --- the fence itself -----------------------------------------------------------------------------


def private_dagster_uses(path: Path) -> list[str]:
    """`dagster._...` in an import, or as a string (a module path handed to Dagster's config)."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        where = f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', 0)}"
        uses += [f"{where}: {name}" for name in names if name.startswith("dagster._")]
    return uses


def test_no_product_module_outside_the_fence_uses_dagsters_private_api():
    outside = [
        path
        for package in PRODUCT_PACKAGES
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        if INTERNALS not in path.parents
    ]
    assert len(outside) > 50  # the walk found the product tree
    assert [use for path in outside for use in private_dagster_uses(path)] == []
    inside = [path.name for path in INTERNALS.glob("*.py") if path.name != "__init__.py"]
    assert 0 < len(inside) <= MAX_INTERNALS_MODULES, inside
    assert any(private_dagster_uses(INTERNALS / name) for name in inside)  # the check can see a use


# --- event_log_storage: the pooled event logs ------------------------------------------------------


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_sqlite_event_log_still_opens_every_connection_through_the_methods_the_pooled_one_overrides(instance):
    assert parameters(SqliteEventLogStorage._connect) == ["self", "shard"]
    assert parameters(SqliteEventLogStorage._initdb)[:2] == ["self", "engine"]
    assert parameters(SqliteEventLogStorage._has_asset_key_col_on_connection) == ["self", "conn", "column_name"]
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)
    assert {"_db_lock", "_initialized_dbs", "_base_dir"} <= set(vars(storage))

    run_probe(instance, KEYS)

    (run,) = instance.get_runs()
    assert set(storage._engines) == {"index", run.run_id}  # Dagster's reads and writes went through `_connect`
    assert storage._tables_seen and storage._asset_key_columns_seen  # and its schema questions through ours


@pytest.mark.parametrize("event_log", ["pooled", "dagster"])
def test_dynamic_partition_check_state_needs_the_instance_that_only_the_pooled_storage_sets(mm_settings, event_log):
    instance = get_instance(mm_settings.with_overrides(dagster_event_log=event_log))
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    assert dg.materialize([PROBE, probe_ok], instance=instance, partition_key="a").success
    storage = instance.event_log_storage
    assert storage._instance is instance  # what DynamicPartitionCheckState hands to partition_loading_context

    if event_log == "dagster":  # the reason for the override: Dagster's own storage cannot answer
        with pytest.raises(Exception, match="not available to load partitions"):
            storage.get_asset_check_state([(probe_ok.check_key, PARTITIONS)])
        return
    state = storage.get_asset_check_state([(probe_ok.check_key, PARTITIONS)])[probe_ok.check_key]
    by_status = {status.value: set(found.subset_value.get_partition_keys()) for status, found in state.subsets.items()}
    assert by_status["SUCCEEDED"] == {"a"} and by_status["FAILED"] == set()


# --- event_log_storage: what `mm forget` scrubs ---------------------------------------------------


def test_every_table_of_every_storage_database_is_one_the_wipe_knows(instance):
    run_probe(instance, KEYS[:1])
    run_probe(instance, KEYS[1:])

    seen: set[str] = set()
    databases = 0
    for connection in storage_connections(instance):
        with connection as conn:
            seen |= set(sa.inspect(conn).get_table_names())
        databases += 1

    assert databases == 3 + 2  # run storage, schedule storage, event index, one shard per run
    assert {"event_logs", "runs", "run_tags", "kvs", "asset_keys", "dynamic_partitions"} <= seen
    assert seen - {"alembic_version"} <= DAGSTER_TABLES  # a new Dagster table would escape the wipe


def test_an_emptied_asset_key_cache_is_answered_from_the_remaining_events(instance):
    """The wipe clears `asset_keys.last_materialization` where it names the key and leaves the rest to
    Dagster, which reads the latest materialization from the event table while that column is empty."""
    for key in KEYS:  # one run each: the materializations land in this order
        run_probe(instance, [key])
    with instance.event_log_storage.index_connection() as conn:
        conn.execute(AssetKeyTable.update().values(last_materialization=None, cached_status_data=None))
        conn.execute(sa.text("DELETE FROM event_logs WHERE partition = 'c'"))  # what a wipe of "c" deletes
    remaining = instance.fetch_materializations(PROBE_KEY, limit=1).records[0]

    (record,) = instance.get_asset_records([PROBE_KEY])
    assert remaining.partition_key == "b"
    assert record.asset_entry.last_materialization_record.storage_id == remaining.storage_id
    assert instance.get_materialized_partitions(PROBE_KEY) == {"a", "b"}  # the partition status, rebuilt


def asset_state(instance: dg.DagsterInstance) -> dict[str, object]:
    """What a run's asset events leave behind, without ids or times."""
    latest = latest_materializations(instance, PROBE_KEY)
    with instance.event_log_storage.index_connection() as conn:
        tags = sorted(conn.execute(sa.text("SELECT asset_key, key FROM asset_event_tags")).all())
    return {
        "materialized": instance.get_materialized_partitions(PROBE_KEY),
        "data_versions": {key: data_version_of(record.asset_materialization.tags) for key, record in latest.items()},
        "planned": instance.get_latest_planned_materialization_info(PROBE_KEY, "b") is not None,
        "tags": tags,
    }


def test_a_steps_asset_events_are_written_as_one_batch_with_what_dagster_writes_one_by_one(instance, monkeypatch):
    """Dagster hands a batch to `store_event_batch` when DAGSTER_EVENT_BATCH_SIZE is set (the pooled
    storage sets it); the batch must leave the run log and the asset index as the one-by-one path does."""
    storage = instance.event_log_storage
    batches: list[int] = []
    store_batch = storage.store_event_batch
    monkeypatch.setattr(storage, "store_event_batch", lambda events: (batches.append(len(events)), store_batch(events)))
    monkeypatch.setenv(EVENT_BATCH_SIZE_ENV, str(EVENT_BATCH_SIZE))
    run_probe(instance, KEYS)
    batched = asset_state(instance)
    batched_types = [entry.dagster_event_type for entry in instance.all_logs(instance.get_runs(limit=1)[0].run_id)]
    assert batches and max(batches) >= len(KEYS)  # the planned events and the materializations came in batches

    monkeypatch.setenv(EVENT_BATCH_SIZE_ENV, "0")  # Dagster's own path: one event at a time
    storage.wipe()
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    batches.clear()
    run_probe(instance, KEYS)
    one_by_one = asset_state(instance)
    one_by_one_types = [entry.dagster_event_type for entry in instance.all_logs(instance.get_runs(limit=1)[0].run_id)]

    assert batches == []
    assert batched == one_by_one and batched["materialized"] == set(KEYS) and batched["tags"]
    assert batched_types == one_by_one_types
    assert batched_types.count(dg.DagsterEventType.ASSET_MATERIALIZATION) == len(KEYS)


# --- partition_records ----------------------------------------------------------------------------


def test_latest_materializations_and_data_versions_come_per_partition_in_bulk(instance):
    run_probe(instance, KEYS)
    first = latest_materializations(instance, PROBE_KEY)
    run_probe(instance, ["a"])
    latest = latest_materializations(instance, PROBE_KEY)

    assert sorted(latest) == KEYS and latest["b"].storage_id == first["b"].storage_id
    assert latest["a"].storage_id > first["a"].storage_id
    assert sorted(latest_materializations(instance, PROBE_KEY, ["a"])) == ["a"]
    version = data_version_of(latest["a"].asset_materialization.tags)
    assert version  # Dagster tags each materialization with its data version
    assert data_versions_before(instance, PROBE_KEY, ["a", "b"], before_storage_id=latest["a"].storage_id) == {
        "a": data_version_of(first["a"].asset_materialization.tags),
        "b": data_version_of(first["b"].asset_materialization.tags),
    }
    evaluation = dg.AssetCheckEvaluation(
        asset_key=PROBE_KEY,
        check_name="probe_ok",
        passed=True,
        partition="a",
        target_materialization_data=materialization_target(latest["a"]),
    )
    assert evaluation.target_materialization_data.storage_id == latest["a"].storage_id


def test_dagsters_own_resolver_names_a_new_code_version_and_clears_it_after_a_rerun(instance):
    run_probe(instance, KEYS)
    upgraded = probe_asset("2")
    resolver_graph = dg.Definitions(assets=[upgraded]).resolve_asset_graph()
    assert DagsterStaleResolver(instance, resolver_graph).stale_causes(PROBE_KEY, "a") == {"has a new code version"}

    run_probe(instance, ["a"], upgraded)

    resolver = DagsterStaleResolver(instance, resolver_graph)
    assert resolver.stale_causes(PROBE_KEY, "a") == set()
    assert resolver.stale_causes(PROBE_KEY, "b") == {"has a new code version"}


# --- run_submission -------------------------------------------------------------------------------


def test_queued_runs_are_created_from_a_loaded_code_location_and_submitted(mm_settings):
    instance = get_instance(mm_settings.with_overrides(run_coordinator="queued"))
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    location = CodeLocation(
        name="pinned", module_name=__name__, attribute="pinned_defs", working_directory=str(REPO_ROOT)
    )

    run_ids = submit_queued_runs(instance, location, "probe_job", [PROBE_KEY], [range_tags("a", "b"), {"x": "1"}])

    runs = [instance.get_run_by_id(run_id) for run_id in run_ids]
    assert [run.status for run in runs] == [dg.DagsterRunStatus.QUEUED] * 2  # in the queue, for the daemon
    assert runs[0].tags["dagster/asset_partition_range_end"] == "b" and runs[1].tags["x"] == "1"
    assert all(run.job_name == "probe_job" and run.asset_selection == {PROBE_KEY} for run in runs)
    assert runs[0].remote_job_origin.location_name == "pinned"


def test_a_prepared_job_records_its_runs_as_execute_in_process_does(instance):
    job = pinned_defs.resolve_job_def("probe_job")
    prepared = PreparedInProcessJob(job, instance, {})
    plain = job.execute_in_process(instance=instance, tags=range_tags("a", "a"), raise_on_error=False)
    first = prepared.execute(range_tags("b", "b"), run_id=str(uuid.uuid4()))
    second = prepared.execute(range_tags("c", "c"), run_id=str(uuid.uuid4()))

    assert plain.success and first.success and second.success
    runs = [instance.get_run_by_id(result.run_id) for result in (plain, first, second)]
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 3
    # the same job, the same snapshots, the same tags and the same events as execute_in_process
    assert {run.job_name for run in runs} == {"probe_job"}
    assert runs[1].job_snapshot_id == runs[2].job_snapshot_id == runs[0].job_snapshot_id
    assert (
        runs[1].execution_plan_snapshot_id == runs[2].execution_plan_snapshot_id == runs[0].execution_plan_snapshot_id
    )
    assert {k: v for k, v in runs[0].tags.items() if not k.startswith("dagster/asset_partition_range")} == {
        k: v for k, v in runs[2].tags.items() if not k.startswith("dagster/asset_partition_range")
    }
    kinds = [[event.event_type_value for event in result.all_events] for result in (plain, first, second)]
    assert kinds[1] == kinds[2] == kinds[0] and "ASSET_MATERIALIZATION" in kinds[0]
    assert sorted(latest_materializations(instance, PROBE_KEY)) == ["a", "b", "c"]  # each run its own partition


def test_schema_answers_that_migrations_only_add_are_remembered_and_a_no_is_asked_again(instance, monkeypatch):
    """`get_asset_records` (every step's input data-version lookup) asks for the asset-key columns and a
    secondary index each time; a "yes" is kept, so repeated lookups open no index-shard transaction for it."""
    storage = instance.event_log_storage
    run_probe(instance, ["a"])
    storage.get_asset_records([PROBE_KEY])  # the first asks
    opened: list[str] = []
    connect = storage._connect
    monkeypatch.setattr(storage, "_connect", lambda shard: opened.append(shard) or connect(shard))
    assert storage.has_asset_key_col("cached_status_data")
    assert storage.has_secondary_index("asset_key_index_columns")
    assert opened == []  # known answers: no connection
    assert not storage.has_secondary_index("no-such-migration")
    storage.enable_secondary_index("no-such-migration")
    assert storage.has_secondary_index("no-such-migration")  # a "no" was not kept


def stored_run(instance: dg.DagsterInstance, run_id: str) -> dict[str, object]:
    """What the UI reads of a run: its stored events in order, its status, its materializations' data
    versions and partitions, its check evaluations."""
    records = instance.get_records_for_run(run_id).records
    entries = [record.event_log_entry for record in records]
    materialized = [entry.dagster_event for entry in entries if entry.dagster_event_type == "ASSET_MATERIALIZATION"]
    checks = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(PROBE_KEY, "probe_ok"), limit=10
    )
    return {
        "events": [entry.dagster_event_type for entry in entries],
        "status": instance.get_run_by_id(run_id).status,
        "data_versions": [data_version_of(event.event_specific_data.materialization.tags) for event in materialized],
        "checks": sorted(str(check.status) for check in checks if check.run_id == run_id),
    }


def test_a_prepared_jobs_run_stores_what_execute_in_process_stores_in_fewer_run_shard_transactions(
    instance, monkeypatch
):
    """Combined writes (`PooledSqliteEventLogStorage.combined_writes`): the step events that only the run
    shard holds wait for the run's next indexed event, so the run shard sees fewer transactions than
    events, and the stored records (events in order, status, data versions, checks) are unchanged."""
    storage = instance.event_log_storage
    transactions: dict[str, int] = {}
    connect = storage._connect

    def counting(shard):
        transactions[shard] = transactions.get(shard, 0) + 1
        return connect(shard)

    monkeypatch.setattr(storage, "_connect", counting)
    checked = dg.Definitions(
        assets=[PROBE], asset_checks=[probe_ok], jobs=[dg.define_asset_job("checked_job", selection=[PROBE])]
    )
    job = checked.resolve_job_def("checked_job")
    plain = job.execute_in_process(instance=instance, tags=range_tags("a", "a"), raise_on_error=False)
    prepared = PreparedInProcessJob(job, instance, {}).execute(range_tags("b", "b"), run_id=str(uuid.uuid4()))

    before, after = stored_run(instance, plain.run_id), stored_run(instance, prepared.run_id)
    assert after == before
    assert before["status"] == dg.DagsterRunStatus.SUCCESS
    assert "AssetCheckExecutionRecordStatus.SUCCEEDED" in before["checks"]
    assert {"STEP_START", "ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION"} <= set(before["events"])
    events = len(before["events"])
    # execute_in_process writes each event in its own transaction (reads of the shard come on top)
    assert transactions[plain.run_id] >= events
    assert transactions[prepared.run_id] < events - 3  # step start, output, success and engine events combined


def test_combined_writes_reach_the_run_shard_before_a_read_and_when_the_block_ends(instance):
    storage = instance.event_log_storage
    run_id = str(uuid.uuid4())
    entry = lambda message: dg.EventLogEntry(  # noqa: E731 - a plain log line: only the run shard holds it
        error_info=None, level="INFO", user_message=message, run_id=run_id, timestamp=1.0
    )
    with storage.combined_writes(run_id):
        storage.store_event(entry("first"))
        storage.store_event(entry("second"))
        with storage._connect(run_id) as conn:  # underneath: nothing written yet
            stored = conn.exec_driver_sql("SELECT count(*) FROM event_logs").scalar()
        assert stored == 0
        assert [r.event_log_entry.user_message for r in storage.get_records_for_run(run_id).records] == [
            "first",
            "second",
        ]  # a read writes what waits first
        storage.store_event(entry("third"))
    assert [r.event_log_entry.user_message for r in storage.get_records_for_run(run_id).records] == [
        "first",
        "second",
        "third",
    ]
    storage.store_event(entry("fourth"))  # after the block: written at once
    with storage._connect(run_id) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM event_logs").scalar() == 4


# --- step_metadata --------------------------------------------------------------------------------


def test_partition_metadata_goes_through_the_step_accumulator_onto_each_partitions_materialization(instance):
    FAST_PATH_TAKEN.clear()
    run_probe(instance, KEYS)

    assert FAST_PATH_TAKEN == [True]  # Dagster still keeps `_step_execution_context._metadata_accumulator`
    latest = latest_materializations(instance, PROBE_KEY)
    assert {key: record.asset_materialization.metadata["letter"].value for key, record in latest.items()} == {
        key: key for key in KEYS
    }


def test_an_old_homes_dagster_yaml_still_names_a_loadable_event_log(tmp_path):
    """Homes written before the fence name `mm_assets.orchestration.event_log` in dagster.yaml."""
    import yaml

    home = tmp_path / "dagster"
    home.mkdir()
    config = {
        "event_log_storage": {
            "module": "mm_assets.orchestration.event_log",
            "class": "PooledSqliteEventLogStorage",
            "config": {"base_dir": str(home / "history")},
        }
    }
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.event_log_storage).__name__ == "PooledSqliteEventLogStorage"


# --- partition_records: run data versions -------------------------------------------------------------


@dg.asset(name="child", partitions_def=PARTITIONS, deps=[PROBE], code_version="1")
def child_asset() -> None:
    return None


@dg.asset_check(asset=child_asset, partitions_def=PARTITIONS)
def child_ok() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


chain_defs = dg.Definitions(
    assets=[PROBE, child_asset],
    asset_checks=[child_ok],
    jobs=[dg.define_asset_job("chain_job", selection=[PROBE, child_asset])],
)


def lineage_tags(instance: dg.DagsterInstance, asset_key: dg.AssetKey, key: str) -> dict[str, str]:
    """The lineage a materialization records: code, data and input data versions (event pointers apart)."""
    tags = latest_materializations(instance, asset_key, [key])[key].asset_materialization.tags
    return {name: value for name, value in tags.items() if not name.startswith("dagster/input_event_pointer")}


def test_a_prepared_run_answers_its_parents_data_versions_from_its_own_events_as_dagsters_lookup_does(
    instance, monkeypatch
):
    """`run_data_versions`: a step whose parent this run materialized gets the parent's version info from
    the run's own stored event; it is what Dagster's own lookup returns at that moment (compared for every
    lookup of the run), the lineage tags equal an execute_in_process run's, and staleness reads the same."""
    job = chain_defs.resolve_job_def("chain_job")
    plain = job.execute_in_process(instance=instance, tags=range_tags("a", "a"), raise_on_error=False)
    assert plain.success

    served: list[dg.AssetKey] = []
    version_info = partition_records.RunMaterializationLog.version_info

    def counted(self, asset_key, partitions):  # noqa: ANN001
        info = version_info(self, asset_key, partitions)
        if info is not None:
            served.append(asset_key)
        return info

    compared: list[tuple[object, object]] = []
    ours = DataVersionCache._fetch_input_asset_version_info

    def side_by_side(self, asset_keys):  # noqa: ANN001
        ours(self, asset_keys)
        fresh = DataVersionCache(self._context)
        partition_records._dagster_fetch(fresh, asset_keys)  # Dagster's queries, at the same moment
        for key in asset_keys:
            compared.append((self.input_asset_version_info[key], fresh.input_asset_version_info[key]))

    monkeypatch.setattr(partition_records.RunMaterializationLog, "version_info", counted)
    monkeypatch.setattr(DataVersionCache, "_fetch_input_asset_version_info", side_by_side)
    prepared = PreparedInProcessJob(job, instance, {}).execute(range_tags("b", "b"), run_id=str(uuid.uuid4()))
    assert prepared.success

    child_key = child_asset.key
    assert served == [PROBE_KEY, child_key]  # the child's parent, then the check's target: the run's own events
    assert len(compared) == 2 and all(mine == dagsters for mine, dagsters in compared), compared
    assert lineage_tags(instance, child_key, "b") == lineage_tags(instance, child_key, "a")
    assert "dagster/input_data_version/probe" in lineage_tags(instance, child_key, "b")
    pointer = latest_materializations(instance, child_key, ["b"])["b"].asset_materialization.tags
    assert (
        int(pointer["dagster/input_event_pointer/probe"])
        == latest_materializations(instance, PROBE_KEY, ["b"])["b"].storage_id
    )  # the parent's event of this very run
    resolver = DagsterStaleResolver(instance, chain_defs.resolve_asset_graph())
    assert resolver.stale_causes(child_key, "a") == resolver.stale_causes(child_key, "b") == set()
    run_probe(instance, ["b"], probe_asset("2"))  # a new parent version: the child's "b" is stale, "a" not
    resolver = DagsterStaleResolver(instance, chain_defs.resolve_asset_graph())
    assert resolver.stale_causes(child_key, "b") and not resolver.stale_causes(child_key, "a")
    assert partition_records._RUNS == {}  # the run's log is dropped when it ends


def test_a_run_not_opened_for_run_data_versions_is_looked_up_as_dagster_does(instance, monkeypatch):
    asked: list[dg.AssetKey] = []
    dagsters = partition_records._dagster_fetch

    def counting(cache, keys):  # noqa: ANN001
        asked.extend(keys)
        dagsters(cache, keys)

    monkeypatch.setattr(
        partition_records, "_dagster_fetch", lambda cache, keys: asked.extend(keys) or dagsters(cache, keys)
    )
    result = chain_defs.resolve_job_def("chain_job").execute_in_process(
        instance=instance, tags=range_tags("c", "c"), raise_on_error=False
    )
    assert result.success and PROBE_KEY in asked


@dg.asset_check(asset=child_asset, partitions_def=PARTITIONS, name="child_reported")
def child_reported(context) -> dg.AssetCheckResult:  # noqa: ANN001 (a string annotation Dagster cannot read)
    """A verdict for every partition of the run but its last, which is judged not applicable."""
    keys = sorted(context.partition_keys)
    verdicts = {key: (True, {"reason": "ok"}) for key in keys[:-1]}
    return report_partition_checks(context, child_asset.key, "child_reported", verdicts, run_keys=keys)


def check_targets(result: dg.ExecuteInProcessResult) -> dict[str, object]:
    evaluations = [
        event.event_specific_data
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    return {e.partition: e.target_materialization_data for e in evaluations if e.partition is not None}


def test_a_prepared_runs_check_targets_the_partitions_it_made_from_its_own_events_without_a_query(
    instance, monkeypatch
):
    """`run_materialization_targets`: in a run opened with `run_data_versions`, a check's per-partition
    evaluation names the run's own stored materialization, the one Dagster's latest record is; only a
    partition judged not applicable (its reason is in the record) is read. A plain run reads them all."""
    from mm_assets import checks

    asked: list[list[str]] = []
    reads = checks.latest_materializations
    monkeypatch.setattr(
        checks, "latest_materializations", lambda inst, key, keys: asked.append(list(keys)) or reads(inst, key, keys)
    )
    defs = dg.Definitions(
        assets=[PROBE, child_asset],
        asset_checks=[child_reported],
        jobs=[dg.define_asset_job("reported_job", selection=[PROBE, child_asset])],
    )
    job = defs.resolve_job_def("reported_job")
    for run in ("prepared", "plain"):
        asked.clear()
        if run == "prepared":
            result = PreparedInProcessJob(job, instance, {}).execute(range_tags("a", "b"), run_id=str(uuid.uuid4()))
        else:
            result = job.execute_in_process(instance=instance, tags=range_tags("a", "b"), raise_on_error=False)
        assert result.success
        assert asked == ([["b"]] if run == "prepared" else [["a", "b"]]), run
        latest = latest_materializations(instance, child_asset.key, ["a", "b"])
        targets = check_targets(result)
        assert targets == {key: materialization_target(record) for key, record in latest.items()}, run
        assert {targets[key].run_id for key in targets} == {result.run_id}  # this run's own materializations
