"""Reprocess what is stale: the `reprocess_stale` job (one launch in the Dagster UI) and what it selects.

After a model or logic upgrade, Dagster marks partitions stale one asset at a time. The job selects,
for every asset with stale, missing or failed partitions, exactly those partitions plus every asset
downstream of it, and runs them as `mm reprocess` does: batched runs of MM_RUN_BATCH_SIZE partitions
in this process, models loaded once per batch, partitions claimed so two workers never overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dagster as dg

from mm_assets.operations.status import collect_status
from mm_assets.orchestration.claims import PartitionClaims
from mm_assets.orchestration.runs import materialize_partitions
from partitions import CONTENT_HASH_PARTITIONS_NAME

JOB_NAME = "reprocess_stale"


@dataclass
class StaleWork:
    """What a reprocess runs: the assets (the stale ones first, then their downstream) over the partitions."""

    stale_counts: dict[str, int]
    asset_keys: list[dg.AssetKey]
    partitions: list[str]


def stale_work(
    defs: dg.Definitions, instance: dg.DagsterInstance, kinds: Sequence[dg.AssetKey] | None = None
) -> StaleWork:
    """The stale, missing or failed partitions of `kinds` (default: every asset) and the assets
    downstream of the kinds that have any, over those partitions (in registration order)."""
    status = collect_status(defs, instance, kinds)
    todo: dict[str, set[str]] = {
        name: set(asset.stale) | asset.missing | asset.failed for name, asset in status.items()
    }
    todo = {name: keys for name, keys in todo.items() if keys}
    roots = [dg.AssetKey.from_user_string(name) for name in todo]
    graph = defs.resolve_asset_graph()
    downstream = dg.AssetSelection.assets(*roots).downstream().resolve(graph) if roots else set()
    wanted = set().union(*todo.values()) if todo else set()
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    return StaleWork(
        stale_counts={name: len(keys) for name, keys in todo.items()},
        asset_keys=roots + sorted(downstream - set(roots)),
        partitions=[key for key in registered if key in wanted],
    )


def build_reprocess_stale_job(batch_size: int, graph_definitions: Callable[[], dg.Definitions]) -> dg.JobDefinition:
    """The launchpad's one action after an upgrade: every stale partition of every kind, plus downstream."""

    @dg.op(
        name="reprocess_stale_partitions",
        required_resource_keys={"catalog"},
        description="Selects the stale, missing or failed partitions of every asset, plus downstream, "
        "and runs them in batched runs in this process (as `mm reprocess`).",
    )
    # `context` unannotated: Dagster cannot read postponed (string) annotations of it
    def reprocess_stale_partitions(context) -> dg.Output[int]:
        definitions = graph_definitions()
        work = stale_work(definitions, context.instance)
        if not work.partitions:
            context.log.info("nothing is stale, missing or failed")
            return dg.Output(0, metadata={"partitions": 0})
        context.log.info(
            f"{len(work.partitions)} partition(s) of {', '.join(k.to_user_string() for k in work.asset_keys)}; "
            f"stale, missing or failed per asset: {work.stale_counts}"
        )
        claims = PartitionClaims(context.resources.catalog)
        report = materialize_partitions(
            definitions, context.instance, work.asset_keys, work.partitions, batch_size, claims=claims
        )
        metadata = {
            "partitions": len(report.materialized),
            "runs": dg.MetadataValue.json(report.run_ids),
            "failed": dg.MetadataValue.json(report.failed),
            "stale_before": dg.MetadataValue.json(work.stale_counts),
        }
        if report.failed:
            raise dg.Failure(f"{len(report.failed)} partition(s) failed: {report.failed}", metadata=metadata)
        return dg.Output(len(report.materialized), metadata=metadata)

    @dg.job(
        name=JOB_NAME,
        executor_def=dg.in_process_executor,
        description="Reprocess everything stale after an upgrade: the stale, missing or failed partitions "
        "of every kind plus everything downstream, in batched runs (what `mm reprocess` does). Launch it "
        "from the Launchpad with no config.",
    )
    def reprocess_stale() -> None:
        reprocess_stale_partitions()

    return reprocess_stale
