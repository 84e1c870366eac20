"""Per-partition asset check results for batched runs, recorded so the UI's Partitions tab shows them.

A check in a run over a partition range returns one AssetCheckResult, which Dagster records with
partition=None; the per-partition verdicts are logged as AssetCheckEvaluation events with their
partition. The checks are partitioned (`partitions_def=content_hash_partitions`), and each
evaluation names the materialization it checked (`target_materialization_data`): Dagster counts a
partition's result toward the check's `partitionStatuses` only while it targets that partition's
latest materialization, so an evaluation without the target is shown as "Missing".
"""

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
from dagster import AssetCheckExecutionContext

from mm_assets.dagster_internals.partition_records import (
    latest_materializations,
    materialization_target,
    run_materialization_targets,
)
from mm_assets.orchestration.partition_failures import FAILED_PARTITIONS_METADATA


def report_partition_checks(
    context: AssetCheckExecutionContext,
    asset_key: dg.AssetKey,
    check_name: str,
    verdicts: Mapping[str, tuple[bool, dict[str, Any]]],
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.WARN,
    run_keys: Sequence[str] = (),
) -> dg.AssetCheckResult:
    """Log one evaluation per partition and return the run-level result.

    A partition of the run (`run_keys`) without a verdict has no artifact to check (a photo's
    transcript): it passes as not applicable, with the reason its materialization gives, instead of a
    bare "Skipped" in the UI. A failed blocking check fails its step (Dagster does that), and its
    per-partition evaluations tell the run launcher which partitions to hold back (see
    mm_assets.orchestration.partition_failures).
    """
    # A partition this run materialized is its own stored event (an upload's run, run_data_versions);
    # the others, and those judged not applicable (their reason is in the record), are read.
    targets = run_materialization_targets(context.op_execution_context.run_id, asset_key, sorted(verdicts))
    to_read = sorted({*verdicts, *run_keys} - set(targets))
    records = latest_materializations(context.instance, asset_key, to_read) if to_read else {}
    targets.update({key: materialization_target(record) for key, record in records.items() if key not in targets})
    not_applicable = {key: (True, not_applicable_metadata(records.get(key))) for key in run_keys if key not in verdicts}
    for key, (passed, metadata) in {**verdicts, **not_applicable}.items():
        context.op_execution_context.log_event(
            dg.AssetCheckEvaluation(
                asset_key=asset_key,
                check_name=check_name,
                passed=passed,
                partition=key,
                metadata=metadata,
                severity=severity,
                target_materialization_data=targets.get(key),
                description=f"not applicable: {metadata['reason']}" if key in not_applicable else None,
            )
        )
    failed = {key: str(meta.get("reason", "check failed")) for key, (ok, meta) in verdicts.items() if not ok}
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={
            "partitions_checked": len(verdicts),
            "partitions_not_applicable": len(not_applicable),
            "partitions_failed": len(failed),
            FAILED_PARTITIONS_METADATA: dg.MetadataValue.json(failed),
        },
    )


def not_applicable_metadata(record: dg.EventLogRecord | None) -> dict[str, Any]:
    """Why a partition has no artifact to check: its materialization's own reason when it has one."""
    metadata = record.asset_materialization.metadata if record and record.asset_materialization else {}
    reason = metadata.get("reason")
    return {
        "applicable": False,
        "reason": str(reason.value) if reason is not None else "no current artifact of this kind for this partition",
    }
