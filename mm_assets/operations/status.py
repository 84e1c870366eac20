"""Per-asset partition status: materialized, missing, stale, failed (what `mm status` prints).

Materialized and failed come from Dagster's own partition status. Stale follows the rules of
Dagster's stale-status resolver (the one behind the UI's "Unsynced" badges), evaluated in batches:
the resolver asks the event log two or three questions per partition and dependency, which is
tens of thousands of round trips over 10,000 partitions; here every question is one query per
asset (or per distinct input cursor). `DagsterStaleResolver` (dagster_internals/partition_records.py)
wraps the resolver itself, for the partitions these rules leave to it and for the test that proves
the two agree. Stale partitions are a subset of materialized ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import dagster as dg

from mm_assets.dagster_internals.partition_records import (
    AssetGraph,
    DagsterStaleResolver,
    data_version_of,
    data_versions_before,
    latest_materializations,
)
from partitions import CONTENT_HASH_PARTITIONS_NAME, content_hash_partitions

CODE_CHANGED = "has a new code version"
DEP_CHANGED = "has a new dependency data version"


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


@dataclass
class LatestMaterializations:
    """The latest materialization of each partition of one asset: its storage id and its tags."""

    storage_ids: dict[str, int]
    tags: dict[str, Mapping[str, str]]


def collect_status(
    defs: dg.Definitions, instance: dg.DagsterInstance, asset_keys: Sequence[dg.AssetKey] | None = None
) -> dict[str, AssetStatus]:
    graph = defs.resolve_asset_graph()
    keys = list(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    selected = list(asset_keys) if asset_keys else sorted(graph.materializable_asset_keys)
    result: dict[str, AssetStatus] = {}
    staleness = BatchedStaleness(instance, graph)
    for asset_key in selected:
        status = AssetStatus(code_version=graph.get(asset_key).code_version or "")
        by_partition = (
            instance.get_status_by_partition(asset_key, keys, content_hash_partitions) if keys else {}
        ) or {}
        for key in keys:
            state = by_partition.get(key)
            if state == dg.AssetPartitionStatus.MATERIALIZED:
                status.materialized.add(key)
            elif state == dg.AssetPartitionStatus.FAILED:
                status.failed.add(key)
            elif state == dg.AssetPartitionStatus.IN_PROGRESS:
                status.in_progress.add(key)
            else:
                status.missing.add(key)
        status.stale = staleness.stale_partitions(asset_key, status.materialized)
        result[asset_key.to_user_string()] = status
    return result


class BatchedStaleness:
    """Dagster's stale rules for same-partition dependencies, with one query per asset, not per partition.

    A materialized partition is stale when its latest materialization was made by another code
    version, or when a dependency's same partition was materialized again after the input this
    partition read, with another data version. Partitions whose provenance Dagster did not record,
    and dependencies that are not partitioned the same way, are left to Dagster's own resolver.
    """

    def __init__(self, instance: dg.DagsterInstance, graph: AssetGraph) -> None:
        self._instance = instance
        self._graph = graph
        self._latest: dict[dg.AssetKey, LatestMaterializations] = {}
        self._resolver: DagsterStaleResolver | None = None

    def stale_partitions(self, asset_key: dg.AssetKey, materialized: Iterable[str]) -> dict[str, str]:
        node = self._graph.get(asset_key)
        latest = self.latest(asset_key)
        causes: dict[str, set[str]] = defaultdict(set)
        fallback: list[str] = []
        provenances: dict[str, dg.DataProvenance] = {}
        for key in materialized:
            provenance = dg.DataProvenance.from_tags(latest.tags.get(key, {}))
            if provenance is None:
                fallback.append(key)
                continue
            provenances[key] = provenance
            if node.code_version and provenance.code_version != node.code_version:
                causes[key].add(CODE_CHANGED)
        for dep_key in sorted(node.parent_keys):
            if not self._same_partitioning(asset_key, dep_key):
                fallback = sorted(set(fallback) | set(provenances))
                continue
            for key, reason in self._dependency_causes(dep_key, provenances).items():
                causes[key].add(reason)
        for key in fallback:
            reasons = self._resolver_causes(asset_key, key)
            if reasons:
                causes[key] |= reasons
        return {key: "; ".join(sorted(reasons)) for key, reasons in causes.items() if reasons}

    def latest(self, asset_key: dg.AssetKey) -> LatestMaterializations:
        if asset_key not in self._latest:
            self._latest[asset_key] = fetch_latest_materializations(self._instance, asset_key)
        return self._latest[asset_key]

    def _dependency_causes(self, dep_key: dg.AssetKey, provenances: Mapping[str, dg.DataProvenance]) -> dict[str, str]:
        """Partitions whose `dep_key` partition has a new data version since the input they read."""
        dep_latest = self.latest(dep_key)
        causes: dict[str, str] = {}
        by_cursor: dict[int, list[str]] = defaultdict(list)
        for key, provenance in provenances.items():
            if not provenance.has_input_asset(dep_key):
                causes[key] = f"has a new dependency on {dep_key.to_user_string()}"
                continue
            cursor = provenance.input_storage_ids[dep_key]
            newest = dep_latest.storage_ids.get(key)
            if cursor is not None and newest is not None and newest > cursor:
                by_cursor[cursor].append(key)
        # One query per distinct cursor: a batched run gives its whole range the same one.
        for cursor, keys in by_cursor.items():
            before = data_versions_before(self._instance, dep_key, keys, before_storage_id=cursor + 1)
            for key in keys:
                if before[key] != data_version_of(dep_latest.tags.get(key, {})):
                    causes[key] = DEP_CHANGED
        return causes

    def _same_partitioning(self, asset_key: dg.AssetKey, dep_key: dg.AssetKey) -> bool:
        mapping = self._graph.get_partition_mapping(asset_key, dep_key)
        same_def = self._graph.get(asset_key).partitions_def == self._graph.get(dep_key).partitions_def
        return same_def and isinstance(mapping, dg.IdentityPartitionMapping)

    def _resolver_causes(self, asset_key: dg.AssetKey, key: str) -> set[str]:
        if self._resolver is None:
            self._resolver = DagsterStaleResolver(self._instance, self._graph)
        return self._resolver.stale_causes(asset_key, key)


def fetch_latest_materializations(instance: dg.DagsterInstance, asset_key: dg.AssetKey) -> LatestMaterializations:
    """Storage id and tags of each partition's latest materialization: a few queries for all partitions."""
    latest = latest_materializations(instance, asset_key)
    return LatestMaterializations(
        storage_ids={key: record.storage_id for key, record in latest.items()},
        tags={
            key: (record.asset_materialization.tags or {}) if record.asset_materialization is not None else {}
            for key, record in latest.items()
        },
    )


def stale_partitions(instance: dg.DagsterInstance, graph: AssetGraph, asset_key: dg.AssetKey) -> dict[str, str]:
    """One asset's stale partitions (key -> why), by the same rules as `mm status`."""
    materialized = instance.get_materialized_partitions(asset_key)
    return BatchedStaleness(instance, graph).stale_partitions(asset_key, materialized)
