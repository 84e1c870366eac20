"""Per-partition asset check results for batched runs.

A check in a run over a partition range returns one AssetCheckResult, which Dagster records with
partition=None; the per-partition verdicts are logged as AssetCheckEvaluation events with their
partition, so the UI and `instance` queries show each partition's own result.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster import AssetCheckExecutionContext

from mm_assets.orchestration.partition_failures import FAILED_PARTITIONS_METADATA


def report_partition_checks(
    context: AssetCheckExecutionContext,
    asset_key: dg.AssetKey,
    check_name: str,
    verdicts: Mapping[str, tuple[bool, dict[str, Any]]],
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.WARN,
) -> dg.AssetCheckResult:
    """Log one evaluation per partition and return the run-level result.

    A failed blocking check fails its step (Dagster does that), and its per-partition evaluations
    tell the run launcher which partitions to hold back (see mm_assets.orchestration.partition_failures).
    """
    for key, (passed, metadata) in verdicts.items():
        context.op_execution_context.log_event(
            dg.AssetCheckEvaluation(
                asset_key=asset_key,
                check_name=check_name,
                passed=passed,
                partition=key,
                metadata=metadata,
                severity=severity,
            )
        )
    failed = {key: str(meta.get("reason", "check failed")) for key, (ok, meta) in verdicts.items() if not ok}
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={
            "partitions_checked": len(verdicts),
            "partitions_failed": len(failed),
            FAILED_PARTITIONS_METADATA: dg.MetadataValue.json(failed),
        },
    )
