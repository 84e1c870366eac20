"""The Definitions object: only assembles assets, sensors, schedules and resources from the settings."""

from __future__ import annotations

import functools
import os
import warnings
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource

from expectations import build_catalog_expectations_check
from mm_assets.kind_builder import build_kinds
from mm_assets.kinds import all_kinds
from mm_assets.model_resources import model_resources
from mm_assets.operations.ingest import landing_ingest
from mm_assets.operations.regression import build_eval_report
from mm_assets.operations.reprocess import build_reprocess_stale_job
from mm_assets.operations.status import stale_partitions
from mm_assets.orchestration.alerts import build_alert_sensor
from mm_assets.orchestration.automation import build_downstream_sensor
from mm_assets.orchestration.drift import build_drift_sensor
from mm_assets.orchestration.index_merge import index_merge_job, index_segment_sensor
from mm_assets.orchestration.runs import build_held_sensor, build_split_sensor
from mm_assets.orchestration.sensors import build_landing_sensor
from mm_assets.orchestration.version_consistency import (
    CHECK_JOB,
    build_version_consistency_check,
    build_version_consistency_sensor,
    code_versions_fingerprint,
)
from mm_assets.settings import Settings, load_settings
from resources.alert_sink import AlertSink
from resources.catalog import CatalogResource
from resources.s3_store import ENDPOINT_ENV, s3_region
from resources.search_index_store import SearchIndexResource
from resources.stores import MediaStoreResource
from resources.upgrade_policy import UpgradePolicy

GRAPH_JOB = "mm_graph"


def executor_for(name: str) -> dg.ExecutorDefinition:
    """MM_EXECUTOR: "" or in_process (the default: a run's steps share one process, so a run the UI,
    a sensor or the daemon launches loads each model once per batch of MM_RUN_BATCH_SIZE partitions,
    as `mm` does), multiprocess, or k8s_job (each step its own Kubernetes Job; needs dagster-k8s,
    installed in the deploy image)."""
    if name == "k8s_job":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if name == "multiprocess":
        # Step processes fork from a server that has imported the code location once (Dagster's
        # default preload: the job's module), instead of each importing it, and torch, afresh.
        return dg.multiprocess_executor.configured({"start_method": {"forkserver": {}}})
    # Dagster's own default is a process per step, each loading its models again (a UI backfill took
    # 3 min 36 s where `mm reprocess` took 24.5 s).
    return dg.in_process_executor


def alert_s3_resource(settings: Settings) -> S3Resource | None:
    """dagster-aws's S3 resource for alerts when the store is on S3, on the store's endpoint
    (MM_S3_ENDPOINT, unset for AWS itself) and region; credentials come from boto3's standard chain.
    Plain values rather than EnvVar: `mm` also sends alerts outside runs, where EnvVars stay unresolved."""
    if not settings.store_root.startswith("s3://"):
        return None
    return S3Resource(endpoint_url=os.environ.get(ENDPOINT_ENV) or None, region_name=s3_region())


# Assets with no derived artifacts in the catalog (the original itself): no version_consistency check.
UNVERSIONED_ASSETS = {dg.AssetKey("source_media")}
# BackfillPolicy is beta in 1.13; the warning says nothing a user can act on.
warnings.filterwarnings("ignore", category=dg.BetaWarning)
# Partitioned asset checks are "preview" in 1.13; they are what per-partition check results need.
warnings.filterwarnings("ignore", category=dg.PreviewWarning)


def build_assets(settings: Settings, models: dict[str, dg.ConfigurableResource]) -> list:
    """Every kind's asset and checks, from the kinds' specs, and the catalog's expectations."""
    return [
        *build_kinds(all_kinds(), settings, models),
        build_catalog_expectations_check(dg.AssetKey("processing_event")),
    ]


def build_definitions(
    settings: Settings | None = None, models: dict[str, dg.ConfigurableResource] | None = None
) -> dg.Definitions:
    """The code location; `models` replaces the model runners the settings choose (tests use it)."""
    settings = settings or load_settings()
    models = {**model_resources(settings), **(models or {})}
    definitions = build_assets(settings, models)
    assets = [
        d for d in definitions if isinstance(d, dg.AssetsDefinition) and not isinstance(d, dg.AssetChecksDefinition)
    ]
    checks = [d for d in definitions if isinstance(d, dg.AssetChecksDefinition)]
    resources = build_resources(settings, models)

    @functools.cache
    def graph_definitions() -> dg.Definitions:
        """The assets and their checks alone: what a run-time step reads the asset graph from, and
        what the reprocess_stale job runs its batches with (an in-process run has no repository)."""
        return dg.Definitions(assets=assets, asset_checks=checks + version_checks, resources=resources)

    def stale_of(instance: dg.DagsterInstance, asset_key: dg.AssetKey) -> dict[str, str]:
        return stale_partitions(instance, graph_definitions().resolve_asset_graph(), asset_key)

    version_checks = [build_version_consistency_check(a, stale_of) for a in assets if a.key not in UNVERSIONED_ASSETS]
    version_job = dg.define_asset_job(
        CHECK_JOB,
        selection=dg.AssetSelection.checks(*version_checks),
        description="Only the version_consistency checks: is every artifact at the active version?",
        # One catalog query per check: a process per check (the multiprocess executor) costs far more.
        executor_def=dg.in_process_executor,
    )
    graph_job = dg.define_asset_job(
        GRAPH_JOB,
        selection=dg.AssetSelection.assets(*assets),
        description="Every artifact kind for a batch of content hashes.",
    )
    return dg.Definitions(
        executor=executor_for(settings.executor),
        assets=assets,
        asset_checks=checks + version_checks,
        jobs=[
            graph_job,
            version_job,
            build_reprocess_stale_job(settings.run_batch_size, graph_definitions),
            index_merge_job,
        ],
        sensors=[
            build_landing_sensor(settings, graph_job, landing_ingest(settings)),
            build_split_sensor(graph_job),
            build_held_sensor(graph_job),
            build_alert_sensor(),
            build_drift_sensor(),
            build_version_consistency_sensor(version_job, code_versions_fingerprint(assets)),
            build_downstream_sensor(),
            index_segment_sensor,
        ],
        resources=resources,
    )


def build_resources(settings: Settings, models: dict[str, dg.ConfigurableResource]) -> dict[str, Any]:
    """Every resource by key: catalog, store, index, alert sink, upgrade policy and the model runners."""
    return {
        "catalog": CatalogResource(url=settings.catalog_url),
        "media_store": MediaStoreResource(root=settings.store_root),
        "search_index_store": SearchIndexResource(uri=settings.index_uri),
        "alert_sink": AlertSink(
            path=str(settings.home / "alerts.jsonl"),
            webhook_url=settings.alert_webhook,
            store_root=settings.store_root,  # on S3: alerts are objects beside the store
            s3=alert_s3_resource(settings),
        ),
        "upgrade_policy": UpgradePolicy(
            ocr_max_cer=settings.tolerance_ocr_cer,
            pii_max_removed_redactions=settings.tolerance_pii_removed,
            embedding_min_cosine=settings.tolerance_embedding_cosine,
            caption_min_similarity=settings.tolerance_caption_similarity,
            transcript_max_wer=settings.tolerance_transcript_wer,
        ),
        **models,
    }


def build_location(settings: Settings | None = None) -> dg.Definitions:
    """What the code location serves (the UI, the daemon): the artifact graph, and beside it the
    nightly regression evaluation (eval_report, daily partitions, its schedule). `mm` commands work
    on the artifact graph alone (`build_definitions`)."""
    settings = settings or load_settings()
    eval_report, eval_job, eval_schedule = build_eval_report(settings, build_definitions)
    nightly = dg.Definitions(assets=[eval_report], jobs=[eval_job], schedules=[eval_schedule])
    return dg.Definitions.merge(build_definitions(settings), nightly)


defs = build_location()
