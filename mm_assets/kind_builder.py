"""The one builder that turns an `ArtifactKind` spec into its Dagster asset and checks.

It writes what every kind shares: the decorator, the resources, the `ArtifactBatch`, reading the
upstream artifacts, skipping partitions already made at this version key, and, at run time, the
proof that each model resource is the model the asset's code version names.
"""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, content_hash_asset, input_digest
from mm_assets.kind_spec import ArtifactKind, KindBuild, KindRun, graph_order
from mm_assets.orchestration.automation import DOWNSTREAM_FOLLOWS
from mm_assets.orchestration.budgets import BudgetGate, hold_step
from mm_assets.settings import Settings


class ModelMismatch(RuntimeError):
    """A model resource at run time is not the model the asset's code version was built with."""


def check_models(spec: ArtifactKind, resources: Any, build: KindBuild, code_version: str) -> None:
    """Refuse to run when a model resource's id differs from the one in the code version: the
    artifacts would be stamped with a model that did not make them."""
    for role in spec.model_roles:
        actual = getattr(resources, role).model_id()
        if actual != build.role_ids[role]:
            raise ModelMismatch(
                f"{spec.name}: the {role} resource runs model {actual!r}, but the asset's code version "
                f"{code_version!r} names {build.role_ids[role]!r}; reload the definitions with the settings "
                "that chose this model"
            )


def build_kind(
    spec: ArtifactKind,
    settings: Settings,
    models: Mapping[str, dg.ConfigurableResource],
    step_order: Sequence[str] = (),
) -> list[dg.AssetsDefinition]:
    """The kind's asset, then its checks."""
    role_ids = {role: models[role].model_id() for role in spec.model_roles}
    build = KindBuild(settings, role_ids, spec.model_id(settings, role_ids), tuple(step_order))
    version = spec.code_version(build.model_id)
    needs = {"catalog", "media_store", "alert_sink", *spec.model_roles, *spec.resources}
    if spec.comparator is not None:
        needs.add("upgrade_policy")

    @content_hash_asset(
        spec.name,
        deps=spec.upstream,
        code_version=version,
        max_partitions_per_run=settings.run_batch_size,
        group_name=spec.group_name,
        kinds=set(spec.kind_tags),
        description=spec.describe(build),
        pool=spec.pool,
        required_resource_keys=needs,
        automation_condition=DOWNSTREAM_FOLLOWS if spec.upstream else None,
    )
    def asset(
        context: AssetExecutionContext,
    ) -> Iterator[dg.MaterializeResult]:  # Dagster reads this annotation (so no __future__ annotations here)
        # Whoever launched the run (mm, a UI backfill, a sensor), an over-budget tenant's partition is
        # held before any work: no materialization for the range, nothing failed (orchestration.budgets).
        if hold_step(context, BudgetGate(context.resources.catalog, send_alert=context.resources.alert_sink.send)):
            return
        check_models(spec, context.resources, build, version)
        yield run_kind(spec, build, context)

    return [asset, *(check.build(asset) for check in spec.checks)]


def run_kind(spec: ArtifactKind, build: KindBuild, context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The batch over the run's partitions: applicable ones, their inputs, the ones still to make."""
    resources = context.resources
    if not spec.batched:
        spec.make(KindRun(spec, build, context, resources, None, {}, {}))  # type: ignore[arg-type]
        return dg.MaterializeResult()
    batch = ArtifactBatch(
        context,
        resources.catalog,
        resources.media_store.store,
        spec.name,
        spec.logic_version,
        build.model_id,
        resources.upgrade_policy if spec.comparator is not None else None,
        comparator=spec.comparator,
    )
    keys = batch.applicable(spec.modalities) if spec.modalities is not None else batch.pending()
    inputs = {kind: batch.upstream(kind, keys) for kind in spec.input_kinds()}
    run = KindRun(spec, build, context, resources, batch, inputs, to_make(spec, batch, keys, inputs))
    return batch.finish(**(spec.make(run) or {}))


def to_make(
    spec: ArtifactKind, batch: ArtifactBatch, keys: Sequence[str], inputs: dict[str, dict[str, dict]]
) -> dict[str, str]:
    """Input digest of each partition with all its inputs and, unless the kind always writes, no
    artifact at this version key yet (those are counted as reused)."""
    digests = {}
    for key in keys:
        if key in batch.failures or not all(key in rows for rows in inputs.values()):
            continue
        digest = input_digest([rows[key] for rows in inputs.values()])
        if spec.reuse and batch.existing(key, digest) is not None:
            batch.reused.add(key)
            continue
        digests[key] = digest
    return digests


def build_kinds(
    specs: Sequence[ArtifactKind], settings: Settings, models: Mapping[str, dg.ConfigurableResource]
) -> list[dg.AssetsDefinition]:
    """Every kind's asset and checks; each knows the graph order (processing events list steps in it)."""
    order = graph_order(specs)
    return [definition for spec in specs for definition in build_kind(spec, settings, models, order)]
