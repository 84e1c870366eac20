"""One bad item in a batched run fails only its own partition.

Dagster marks a partition *failed* when a run planned it, did not materialize it, and ended in
failure; a successful batched run materializes every partition in its range. So an asset that hits
per-item failures processes the whole batch, keeps every good payload, and raises
`PartitionFailures` naming the bad keys. The run launcher (`mm_assets.orchestration.runs`) then re-runs the good
keys as a batch (no model work: their payloads exist) and each bad key alone, which leaves exactly
the bad partitions failed, each with its reason, and everything else materialized. For runs that
the launcher did not start (a backfill from the Dagster UI), `split_failed_batches`, a run failure
sensor, requests the same re-runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import dagster as dg

FAILED_PARTITIONS_METADATA = "failed_partitions"


class PartitionFailures(dg.Failure):
    def __init__(self, asset: str, failures: Mapping[str, str]):
        self.failures = dict(failures)
        listing = "; ".join(f"{key[:12]}: {reason}" for key, reason in list(failures.items())[:5])
        super().__init__(
            description=f"{asset}: {len(failures)} partition(s) failed ({listing})",
            metadata={FAILED_PARTITIONS_METADATA: dg.MetadataValue.json(self.failures)},
            allow_retries=False,
        )


def raise_if_any_failed(asset: str, failures: Mapping[str, str]) -> None:
    if failures:
        raise PartitionFailures(asset, failures)


def failed_partitions_of(events: Iterable[dg.DagsterEvent]) -> dict[str, str] | None:
    """The per-partition failures a failed run's events report, or None if it failed some other way.

    Two kinds: an asset's PartitionFailures (their keys are in the step failure's metadata), and a
    blocking check that failed (its failed per-partition evaluations say which partitions).
    """
    failed_checks: dict[str, str] = {}
    step_failures = []
    for event in events:
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.partition is not None and not evaluation.passed:
                reason = evaluation.metadata.get("reason")
                failed_checks[evaluation.partition] = f"{evaluation.check_name}: {reason.value if reason else 'failed'}"
        elif event.is_step_failure:
            step_failures.append(event.step_failure_data)
    failures: dict[str, str] = {}
    for failure in step_failures:
        user_data = failure.user_failure_data
        entry = user_data.metadata.get(FAILED_PARTITIONS_METADATA) if user_data else None
        if entry is not None:
            value = entry.value
            failures.update(json.loads(value) if isinstance(value, str) else value)
        elif failure.error and failure.error.cls_name == "DagsterAssetCheckFailedError" and failed_checks:
            failures.update(failed_checks)
        else:
            return None
    return failures
