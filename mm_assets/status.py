"""Per-asset partition status: materialized, missing, stale, failed (what `mm status` prints).

Materialized and failed come from Dagster's own partition status. Stale is read the public way: the
latest materialization's `dagster/code_version` tag against the asset's current code version, and its
`dagster/input_data_version/<upstream>` tags against the upstream partition's latest data version.
Stale partitions are a subset of materialized ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import dagster as dg

from partitions import CONTENT_HASH_PARTITIONS_NAME, content_hash_partitions

CODE_VERSION_TAG = "dagster/code_version"
DATA_VERSION_TAG = "dagster/data_version"
INPUT_DATA_VERSION_PREFIX = "dagster/input_data_version/"
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


def latest_materialization_tags(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey
) -> dict[str, dict[str, str]]:
    """partition -> tags of its latest materialization, reading the event log newest first."""
    latest: dict[str, dict[str, str]] = {}
    cursor = None
    while True:
        page = instance.fetch_materializations(asset_key, limit=PAGE, cursor=cursor)
        for record in page.records:
            partition = record.partition_key
            if partition is not None and partition not in latest:
                materialization = record.asset_materialization
                latest[partition] = dict(materialization.tags or {}) if materialization else {}
        if not page.has_more:
            return latest
        cursor = page.cursor


def collect_status(
    defs: dg.Definitions, instance: dg.DagsterInstance, asset_keys: Sequence[dg.AssetKey] | None = None
) -> dict[str, AssetStatus]:
    graph = defs.resolve_asset_graph()
    keys = list(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    selected = list(asset_keys) if asset_keys else sorted(graph.materializable_asset_keys)
    tags_by_asset = {key: latest_materialization_tags(instance, key) for key in graph.materializable_asset_keys}
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
                why = _stale_reason(node, key, tags_by_asset)
                if why:
                    status.stale[key] = why
            elif state == dg.AssetPartitionStatus.FAILED:
                status.failed.add(key)
            elif state == dg.AssetPartitionStatus.IN_PROGRESS:
                status.in_progress.add(key)
            else:
                status.missing.add(key)
        result[asset_key.to_user_string()] = status
    return result


def _stale_reason(node, key: str, tags_by_asset: dict[dg.AssetKey, dict[str, dict[str, str]]]) -> str | None:  # type: ignore[no-untyped-def]
    tags = tags_by_asset[node.key].get(key, {})
    recorded = tags.get(CODE_VERSION_TAG)
    if node.code_version and recorded != node.code_version:
        return f"code version {recorded} -> {node.code_version}"
    for parent in node.parent_keys:
        parent_version = tags_by_asset.get(parent, {}).get(key, {}).get(DATA_VERSION_TAG)
        used_version = tags.get(INPUT_DATA_VERSION_PREFIX + parent.to_user_string())
        if parent_version and used_version != parent_version:
            return f"upstream {parent.to_user_string()} changed"
    return None
