"""The catalog expectations as a Dagster asset check.

The check validates the whole catalog, not one partition, so it has no partitions_def: in a run
over a range of partitions it runs once, after the asset, and it can also run on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from expectations.catalog import (
    DEFAULT_MAX_PAYLOAD_ROWS,
    CatalogExpectationReport,
    run_catalog_expectations,
)
from resources.catalog import CatalogResource
from resources.stores import MediaStoreResource

CHECK_NAME = "catalog_expectations"


def build_catalog_expectations_check(
    asset_key: dg.AssetKey | str | Sequence[str],
    max_payload_rows: int = DEFAULT_MAX_PAYLOAD_ROWS,
) -> dg.AssetChecksDefinition:
    """An ERROR-severity check named `catalog_expectations` on `asset_key` (non-blocking)."""

    @dg.asset_check(
        asset=asset_key,
        name=CHECK_NAME,
        description=(
            "Great Expectations suites over the catalog tables (through SQL) and a check that "
            "payload URIs exist in the media store."
        ),
    )
    def catalog_expectations(catalog: CatalogResource, media_store: MediaStoreResource) -> dg.AssetCheckResult:
        report = run_catalog_expectations(catalog.url, media_store.store, max_payload_rows)
        return check_result_of(report)

    return catalog_expectations


def check_result_of(report: CatalogExpectationReport) -> dg.AssetCheckResult:
    """The report as a check result: one JSON metadata entry per expectation."""
    metadata: dict[str, dg.RawMetadataValue] = {
        "expectations_failed": len(report.failed),
        "expectations_run": len(report.results),
        "failed": ", ".join(result.name for result in report.failed) or "none",
        "seconds": report.seconds,
        **{f"rows.{table}": count for table, count in report.table_rows.items()},
    }
    for result in report.results:
        metadata[result.name] = dg.MetadataValue.json(result.as_dict())
    return dg.AssetCheckResult(passed=report.success, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata)
