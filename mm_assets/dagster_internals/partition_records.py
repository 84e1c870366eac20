"""What Dagster's event log knows per partition, read in a few queries for many partitions.

`mm status` and the per-partition checks ask about hundreds of partitions at once; Dagster's public
calls ask about one at a time. These read the event log storage's bulk queries (latest storage id
and latest tags per partition), build the target that ties a check evaluation to a materialization,
and wrap Dagster's own stale-status resolver (the one behind the UI's "Unsynced" badges), whose
types are all private in Dagster 1.13.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dagster as dg
from dagster._core.asset_graph_view.asset_graph_view import AssetGraphView
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.definitions.data_version import DATA_VERSION_TAG, CachingStaleStatusResolver, StaleStatus
from dagster._core.definitions.temporal_context import TemporalContext
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
