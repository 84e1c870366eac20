"""Per-asset partition status: materialized, missing, stale, failed (what `mm status` prints).

Materialized and failed come from Dagster's own partition status; stale comes from Dagster's own
stale-status resolver, the one behind the UI's "stale" badges, so the CLI and the UI never disagree.
(Comparing `dagster/input_data_version/*` tags by hand is wrong for batched runs: a run over a
partition range records one combined input version for the whole range.) Stale partitions are a
subset of materialized ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import dagster as dg
from dagster._core.asset_graph_view.asset_graph_view import AssetGraphView
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph
from dagster._core.definitions.data_version import CachingStaleStatusResolver, StaleStatus
from dagster._core.definitions.temporal_context import TemporalContext
from dagster._time import get_current_datetime

from partitions import CONTENT_HASH_PARTITIONS_NAME, content_hash_partitions

PAGE = 10_000


@dataclass
class AssetStatus:
    code_version: str
    materialized: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)
    stale: dict[str, str] = field(default_factory=dict)  # key -> why
    failed: set[str] = field(default_factory=set)
    in_progress: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, object]:
        return {
            "code_version": self.code_version,
            "materialized": len(self.materialized),
            "missing": len(self.missing),
            "stale": len(self.stale),
            "failed": len(self.failed),
            "in_progress": len(self.in_progress),
        }


def collect_status(
    defs: dg.Definitions, instance: dg.DagsterInstance, asset_keys: Sequence[dg.AssetKey] | None = None
) -> dict[str, AssetStatus]:
    graph = defs.resolve_asset_graph()
    keys = list(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    selected = list(asset_keys) if asset_keys else sorted(graph.materializable_asset_keys)
    resolver = stale_status_resolver(instance, graph)
    result: dict[str, AssetStatus] = {}
    for asset_key in selected:
        node = graph.get(asset_key)
        status = AssetStatus(code_version=node.code_version or "")
        by_partition = (
            instance.get_status_by_partition(asset_key, keys, content_hash_partitions) if keys else {}
        ) or {}
        for key in keys:
            state = by_partition.get(key)
            if state == dg.AssetPartitionStatus.MATERIALIZED:
                status.materialized.add(key)
                if resolver.get_status(asset_key, key) == StaleStatus.STALE:
                    causes = resolver.get_stale_causes(asset_key, key)
                    status.stale[key] = "; ".join(sorted({cause.reason for cause in causes})) or "stale"
            elif state == dg.AssetPartitionStatus.FAILED:
                status.failed.add(key)
            elif state == dg.AssetPartitionStatus.IN_PROGRESS:
                status.in_progress.add(key)
            else:
                status.missing.add(key)
        result[asset_key.to_user_string()] = status
    return result


def stale_status_resolver(instance: dg.DagsterInstance, graph: BaseAssetGraph) -> CachingStaleStatusResolver:
    view = AssetGraphView(
        temporal_context=TemporalContext(effective_dt=get_current_datetime(), last_event_id=None),
        instance=instance,
        asset_graph=graph,
    )
    return CachingStaleStatusResolver(instance, graph, view)
