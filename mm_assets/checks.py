"""Per-partition asset check results for batched runs.

A check in a run over a partition range returns one AssetCheckResult, which Dagster records with
partition=None; the per-partition verdicts are logged as AssetCheckEvaluation events with their
partition, so the UI and `instance` queries show each partition's own result.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster import AssetCheckExecutionContext

from mm_assets.partition_failures import PartitionFailures


def report_partition_checks(
    context: AssetCheckExecutionContext,
    asset_key: dg.AssetKey,
    check_name: str,
    verdicts: Mapping[str, tuple[bool, dict[str, Any]]],
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> dg.AssetCheckResult:
    """Log one evaluation per partition and return the run-level result.

    A blocking check raises PartitionFailures naming the failed partitions, so the batch is split
    and only those partitions stay blocked (see mm_assets.partition_failures).
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
    if failed and blocking:
        raise PartitionFailures(f"{asset_key.to_user_string()}.{check_name}", failed)
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={"partitions_checked": len(verdicts), "partitions_failed": len(failed)},
    )
