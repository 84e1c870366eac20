"""What Dagster's event log knows per partition, read in a few queries for many partitions.

`mm status` and the per-partition checks ask about hundreds of partitions at once; Dagster's public
calls ask about one at a time. These read the event log storage's bulk queries (latest storage id
and latest tags per partition), build the target that ties a check evaluation to a materialization,
and wrap Dagster's own stale-status resolver (the one behind the UI's "Unsynced" badges), whose
types are all private in Dagster 1.13.

Run data versions: input data versions for a run's steps from the materializations the run itself
stored (`run_data_versions`, below).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

import dagster as dg
from dagster import AssetKey, DagsterEventType, DataVersion
from dagster._core.asset_graph_view.asset_graph_view import AssetGraphView
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.definitions.data_version import (
    DATA_VERSION_TAG,
    SKIP_PARTITION_DATA_VERSION_DEPENDENCY_THRESHOLD,
    CachingStaleStatusResolver,
    StaleStatus,
    extract_data_version_from_entry,
)
from dagster._core.definitions.temporal_context import TemporalContext
from dagster._core.execution.context.data_version_cache import DataVersionCache, InputAssetVersionInfo
from dagster._time import get_current_datetime

RECORDS_PER_QUERY = 1_000
# what `Definitions.resolve_asset_graph()` returns
AssetGraph = BaseAssetGraph
MaterializationTarget = AssetCheckEvaluationTargetMaterializationData


def latest_materializations(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey, keys: Sequence[str] | None = None
) -> dict[str, dg.EventLogRecord]:
    """Each partition's latest materialization (of `keys`, or of all), in a few queries for all of them."""
    storage_ids = instance.event_log_storage.get_latest_storage_id_by_partition(
        asset_key, dg.DagsterEventType.ASSET_MATERIALIZATION, set(keys) if keys is not None else None
    )
    ids = sorted(storage_ids.values())
    latest: dict[str, dg.EventLogRecord] = {}
    for start in range(0, len(ids), RECORDS_PER_QUERY):
        chunk = ids[start : start + RECORDS_PER_QUERY]
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, storage_ids=chunk), limit=len(chunk)
        ).records
        latest.update({record.partition_key: record for record in records if record.partition_key is not None})
    return latest


def materialization_target(record: dg.EventLogRecord) -> MaterializationTarget:
    """What an `AssetCheckEvaluation` names as the materialization it checked (`target_materialization_data`)."""
    return MaterializationTarget(storage_id=record.storage_id, run_id=record.run_id, timestamp=record.timestamp)


def data_version_of(tags: Mapping[str, str]) -> str | None:
    """The data version Dagster recorded in a materialization's tags."""
    return tags.get(DATA_VERSION_TAG)


def data_versions_before(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey, keys: Sequence[str], before_storage_id: int
) -> dict[str, str | None]:
    """Each partition's data version as of its latest materialization before `before_storage_id`; one query."""
    tags = instance.event_log_storage.get_latest_tags_by_partition(
        asset_key,
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        [DATA_VERSION_TAG],
        asset_partitions=list(keys),
        before_cursor=before_storage_id,
    )
    return {key: data_version_of(tags.get(key, {})) for key in keys}


class DagsterStaleResolver:
    """Dagster's own stale-status resolver (per-partition queries), reduced to the causes of staleness."""

    def __init__(self, instance: dg.DagsterInstance, graph: AssetGraph) -> None:
        view = AssetGraphView(
            temporal_context=TemporalContext(effective_dt=get_current_datetime(), last_event_id=None),
            instance=instance,
            asset_graph=graph,
        )
        self._resolver = CachingStaleStatusResolver(instance, graph, view)

    def stale_causes(self, asset_key: dg.AssetKey, partition_key: str | None) -> set[str]:
        """Why the partition is stale (Dagster's reasons, "stale" where it gives none); empty when it is not."""
        if self._resolver.get_status(asset_key, partition_key) != StaleStatus.STALE:
            return set()
        return {cause.reason for cause in self._resolver.get_stale_causes(asset_key, partition_key)} or {"stale"}


# --- run data versions -----------------------------------------------------------------------------
# Input data versions for a run's steps from the materializations the run itself stored.
#
# Before an asset step runs, Dagster's `DataVersionCache` looks up each parent asset (its asset record,
# then the data version tag of each input partition's latest materialization: two queries per parent)
# to stamp the step's materialization with its input data versions and event pointers, the lineage and
# staleness the UI shows. In one of mm serve's upload runs (one partition, a chain of 16 kinds) almost
# every parent was materialized moments before by the same run, and those lookups were 16 of its 24
# steps' worth of queries (bench/upload_phases.py: ~23 lookups, ~0.37 s of profiled CPU per upload).
#
# A run opened with `run_data_versions(run_id)` keeps what each of its materializations says (asset,
# partition, event id, data version, time), as the event log storage writes it (`RunMaterializations`
# mixed into the pooled storages), and a parent whose every input partition this run materialized is
# answered from there, as is a check step's target, and the target each per-partition check evaluation
# names (`run_materialization_targets`, for checks.report_partition_checks). Any other (a kind the run
# does not make, a step that held its partitions, a lookup that reads no input partitions) is looked up
# as Dagster does. The answer is the one the queries give:
# - the data version is Dagster's hash of the input partitions' data versions, taken from the very
#   events the query would read: a partition this run materializes is claimed by it
#   (orchestration.claims), so no other run writes it meanwhile;
# - the event pointer is this run's latest event of that asset, where Dagster takes the asset's latest
#   event of any partition: the same event unless another run stored another partition of the asset in
#   between, and either way the partition's own event, the one staleness counts from
#   (`CachingStaleStatusResolver._is_dep_updated` looks for the partition's events after the pointer).
# tests/test_dagster_internals.py compares a run with and without it, tag by tag.


@dataclass(frozen=True)
class StoredMaterialization:
    event_id: int
    data_version: str
    run_id: str
    timestamp: float


@dataclass
class RunMaterializationLog:
    """One run's stored materializations: asset -> partition -> the latest one."""

    by_asset: dict[AssetKey, dict[str, StoredMaterialization]] = field(default_factory=dict)

    def add(self, asset_key: AssetKey, partition: str, stored: StoredMaterialization) -> None:
        self.by_asset.setdefault(asset_key, {})[partition] = stored

    def version_info(self, asset_key: AssetKey, partitions: Sequence[str]) -> InputAssetVersionInfo | None:
        """What Dagster's lookup gives for `asset_key` read over `partitions`, or None where this run
        did not materialize every one of them."""
        of_asset = self.by_asset.get(asset_key, {})
        if not partitions or any(partition not in of_asset for partition in partitions):
            return None
        latest = max(of_asset.values(), key=lambda stored: stored.event_id)
        # DataVersionCache._get_partitions_data_version_from_keys: the versions joined in partition order
        joined = "".join(of_asset[partition].data_version for partition in sorted(partitions))
        return InputAssetVersionInfo(
            latest.event_id,
            DagsterEventType.ASSET_MATERIALIZATION,
            DataVersion(sha256(bytearray(joined, "utf8")).hexdigest()),
            latest.run_id,
            latest.timestamp,
        )


_RUNS: dict[str, RunMaterializationLog] = {}
_RUNS_LOCK = threading.Lock()


def run_materialization_targets(
    run_id: str, asset_key: AssetKey, keys: Sequence[str]
) -> dict[str, MaterializationTarget]:
    """The check targets (`materialization_target`) of the partitions of `keys` that run `run_id`, opened
    with `run_data_versions`, materialized itself: its stored events, which are each partition's latest
    (the run holds the partition's claim), so no query. Partitions it did not make are left out."""
    log = _RUNS.get(run_id)
    of_asset = log.by_asset.get(asset_key, {}) if log is not None else {}
    return {
        key: MaterializationTarget(storage_id=stored.event_id, run_id=stored.run_id, timestamp=stored.timestamp)
        for key in keys
        if (stored := of_asset.get(key)) is not None
    }


@contextmanager
def run_data_versions(run_id: str) -> Iterator[RunMaterializationLog]:
    """While the block runs, `run_id`'s steps read their parents' data versions from its own events."""
    log = RunMaterializationLog()
    with _RUNS_LOCK:
        _RUNS[run_id] = log
    try:
        yield log
    finally:
        with _RUNS_LOCK:
            _RUNS.pop(run_id, None)


def record_materialization(event: Any, event_id: int) -> None:
    """Called by the storage for each asset event it has written to the index (with its id)."""
    log = _RUNS.get(event.run_id)
    if log is None or event.dagster_event_type != DagsterEventType.ASSET_MATERIALIZATION:
        return
    dagster_event = event.dagster_event
    partition, version = dagster_event.partition, extract_data_version_from_entry(event)
    if partition is None or version is None:
        return
    stored = StoredMaterialization(event_id, version.value, event.run_id, event.timestamp)
    log.add(dagster_event.asset_key, partition, stored)


class RunMaterializations:
    """Storage mixin: each asset event's index write also tells `record_materialization` its event id."""

    def _store_asset_event(self, conn: Any, event: Any, event_id: int) -> None:
        super()._store_asset_event(conn, event, event_id)  # type: ignore[misc]
        record_materialization(event, event_id)


_dagster_fetch = DataVersionCache._fetch_input_asset_version_info


def _fetch_input_asset_version_info(self: DataVersionCache, asset_keys: Sequence[AssetKey]) -> None:
    log = _RUNS.get(self._context.run_id)
    if log is None:
        _dagster_fetch(self, asset_keys)
        return
    rest = []
    for key in asset_keys:
        info = None if key in self.values else log.version_info(key, _input_partitions(self._context, key))
        if info is None:
            rest.append(key)
        else:
            self.input_asset_version_info[key] = info
    if rest:
        _dagster_fetch(self, rest)


def _input_partitions(context: Any, key: AssetKey) -> list[str]:
    """The partitions of `key` the step reads, where Dagster hashes their data versions; else none."""
    input_name = context.job_def.asset_layer.get_node_input_name(context.node_handle, key)
    if not input_name or not context.has_asset_partitions_for_input(input_name):
        return []
    subset = context.asset_partitions_subset_for_input(input_name, require_valid_partitions=False)
    partitions = list(subset.get_partition_keys())
    return partitions if len(partitions) < SKIP_PARTITION_DATA_VERSION_DEPENDENCY_THRESHOLD else []


# Installed when this module is imported; a run not opened with `run_data_versions` takes Dagster's path.
DataVersionCache._fetch_input_asset_version_info = _fetch_input_asset_version_info  # type: ignore[method-assign]
