"""The landing-folder sensor: ingest new files through the gate and request one run per batch."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import dagster as dg
from dagster import SensorEvaluationContext

from mm_assets.orchestration.budgets import BudgetGate
from mm_assets.settings import Settings
from partitions import batches, content_hash_partitions, contiguous_runs
from resources.alert_sink import AlertSink
from resources.blob_store import BlobStore
from resources.catalog import CatalogResource
from resources.input_files import iter_input_files
from resources.stores import MediaStoreResource

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


class LandedFiles(Protocol):
    """What the sensor needs back from an ingest (operations.ingest.IngestReport is one)."""

    @property
    def new_partition_keys(self) -> list[str]: ...

    duplicates: list[dict[str, Any]]
    rejected: list[dict[str, Any]]


class LandingIngest(Protocol):
    """Ingests files through the gate; handed in by the definitions (operations.ingest.landing_ingest),
    because orchestration sits below operations and must not import it."""

    def __call__(self, files: Sequence[Path], catalog: CatalogResource, store: BlobStore) -> LandedFiles: ...


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """Run tags for one run over keys that are contiguous in the partitions' insertion order."""
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}


def _file_marker(path: Path) -> tuple[int, str]:
    try:
        return (path.lstat().st_mtime_ns, str(path))
    except OSError:
        return (0, str(path))


def pending_landing_files(landing: Path, cursor: tuple[int, str] | None, limit: int) -> list[Path]:
    """Files in the landing folder after the cursor (mtime, path), oldest first, at most `limit`."""
    files = [entry for entry in iter_input_files([landing]) if isinstance(entry, Path)]
    marked = sorted((_file_marker(path), path) for path in files)
    return [path for marker, path in marked if cursor is None or marker > cursor][:limit]


def build_landing_sensor(
    settings: Settings, job: "dg.JobDefinition | object", ingest: LandingIngest
) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_folder_sensor",
        job=job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Ingests new files from MM_LANDING and requests one batched run per tick.",
    )
    def landing_folder_sensor(
        context: SensorEvaluationContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        alert_sink: AlertSink,
    ) -> dg.SensorResult | dg.SkipReason:
        if settings.landing is None:
            return dg.SkipReason("MM_LANDING is not set: set it to a folder to watch")
        if not settings.landing.is_dir():
            return dg.SkipReason(f"MM_LANDING={settings.landing} is not a folder")
        cursor = tuple(json.loads(context.cursor)) if context.cursor else None
        files = pending_landing_files(settings.landing, cursor, settings.sensor_max_files_per_tick)  # type: ignore[arg-type]
        if not files:
            return dg.SkipReason("no new files in the landing folder")
        report = ingest(files, catalog, media_store.store)
        keys = report.new_partition_keys
        # Tenants at or over their daily budget: registered, not run (`mm materialize --missing` later).
        runnable, held = BudgetGate(catalog, send_alert=alert_sink.send).split(keys)
        context.log.info(
            f"landing: {len(keys)} accepted, {len(report.duplicates)} duplicates, {len(report.rejected)} rejected, "
            f"{len(held)} held (tenant over budget)"
        )
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(run_key=f"{batch[0]}..{batch[-1]}", tags=partition_range_tags(batch))
                for stretch in contiguous_runs(keys, runnable)  # a run's range must not span a held key
                for batch in batches(stretch, settings.run_batch_size)
            ],
            dynamic_partitions_requests=[content_hash_partitions.build_add_request(keys)] if keys else [],
            cursor=json.dumps(list(_file_marker(files[-1]))),
        )

    return landing_folder_sensor
