"""Batched in-process runs over content-hash partitions (what `mm materialize` drives).

A run covers a contiguous range of dynamic partition keys, so a chosen set of keys becomes one run
per contiguous stretch, cut to the batch size. See `partition_failures` for how a batch with one bad
item ends with only that item's partition failed; the `split_failed_batches` sensor does the same
re-runs for batched runs launched anywhere else (a backfill from the Dagster UI).
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import dagster as dg

from mm_assets.orchestration.budgets import OVER_BUDGET, BudgetGate, held_partitions_in_run, held_partitions_of
from mm_assets.orchestration.claims import PartitionClaims
from mm_assets.orchestration.partition_failures import failed_partitions_of
from mm_assets.orchestration.run_health import worker_tags
from mm_assets.orchestration.sensors import RANGE_END_TAG, RANGE_START_TAG, partition_range_tags
from partitions import CONTENT_HASH_PARTITIONS_NAME, batches, contiguous_runs

if TYPE_CHECKING:  # imported where used: its module loads Dagster's workspace machinery
    from mm_assets.dagster_internals.run_submission import PreparedInProcessJob

BATCH_TAG = "mm/batch"
SPLIT_OF_TAG = "mm/split_of"  # on the re-runs the sensor requests: the failed run they come from
HELD_FROM_TAG = "mm/unheld_from"  # on the re-runs of a held run's other partitions: that run
# Dagster's console logger prints every event, failures with their stack traces; the event log keeps
# them all anyway and `mm` prints one line per failed partition (MM_DEBUG=1 shows the traces).
QUIET_RUN_CONFIG = {
    "loggers": {"console": {"config": {"log_level": "WARNING" if os.environ.get("MM_DEBUG") else "CRITICAL"}}}
}
# A partition that failed because the store did (read-only, full, unreachable) fails again alone: final.
_STORE_FAULT = re.compile(r"^\w*StoreError: ")
PROGRESS_POLL_S = 0.5


@dataclass
class RunsReport:
    run_ids: list[str] = field(default_factory=list)
    materialized: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    claimed_elsewhere: list[str] = field(default_factory=list)
    held: dict[str, str] = field(default_factory=dict)  # key -> its tenant, at or over its daily budget

    def as_json(self) -> dict[str, object]:
        return {
            "runs": len(self.run_ids),
            "run_ids": self.run_ids,
            "materialized": self.materialized,
            "failed": [{"content_hash": key, "reason": reason} for key, reason in self.failed.items()],
            "claimed_elsewhere": self.claimed_elsewhere,
            "held": [
                {"content_hash": key, "tenant_id": tenant, "held": OVER_BUDGET} for key, tenant in self.held.items()
            ],
        }


def plan_batches(ordered_keys: Sequence[str], wanted: Sequence[str], batch_size: int) -> list[list[str]]:
    return [batch for run in contiguous_runs(ordered_keys, wanted) for batch in batches(run, batch_size)]


def materialize_partitions(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    asset_keys: Sequence[dg.AssetKey],
    keys: Sequence[str],
    batch_size: int,
    on_batch_done: Callable[[list[str], bool], None] | None = None,
    on_partition_done: Callable[[float], None] | None = None,
    claims: PartitionClaims | None = None,
    job: dg.JobDefinition | PreparedInProcessJob | None = None,
    budget: BudgetGate | None = None,
) -> RunsReport:
    """Materialize `asset_keys` for `keys` in batched runs; failures are confined to their partitions.

    `on_partition_done(n)` hears, while a batch runs, that n more partitions landed (see PartitionProgress).
    With `claims`, each batch runs only the partitions this worker could claim; the others are
    another worker's (reported in `claimed_elsewhere`). With `budget`, a tenant at or over its daily
    budget has its partitions held (reported in `held`, left missing) before each batch runs.
    """
    # `job`: run that job of defs as it is defined, its own assets and checks (mm serve's interactive job
    # leaves out the checks over a whole kind or catalog); `asset_keys` then only names what it makes.
    # A PreparedInProcessJob is such a job made ready once for many runs on `instance` (mm serve's uploads).
    from mm_assets.dagster_internals.run_submission import PreparedInProcessJob

    prepared = job if isinstance(job, PreparedInProcessJob) else None
    selection = None if job is not None else list(asset_keys)
    job = prepared.job if prepared else job or defs.resolve_implicit_global_asset_job_def()
    ordered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    queue = plan_batches(ordered, keys, batch_size)
    report = RunsReport()
    selected_at = time.time()
    while queue:
        batch = queue.pop(0)
        if budget is not None:
            runnable, held = budget.split(batch)
            report.held.update(held)
            if runnable != batch:  # run the other tenants' partitions, in contiguous stretches
                queue[:0] = contiguous_runs(ordered, runnable)
                continue
        if claims is not None:
            held = claims.claim(batch)
            # A claim freed by a worker that finished the partition since we selected it: done, skip it.
            finished = materialized_elsewhere(instance, asset_keys, held, selected_at, report.run_ids)
            if finished:
                claims.release(sorted(finished))
                held = [key for key in held if key not in finished]
            report.claimed_elsewhere.extend(key for key in batch if key not in set(held))
            if held != batch:  # another worker has some: run ours, in contiguous stretches
                queue[:0] = contiguous_runs(ordered, held)
                continue
        run_id = str(uuid.uuid4())  # chosen here so the progress watcher can follow the run
        tags = {**partition_range_tags(batch), BATCH_TAG: str(len(batch)), **worker_tags(instance)}
        with PartitionProgress(instance, run_id, asset_keys, on_partition_done):
            if prepared is not None:
                result = prepared.execute(tags, run_id)
            else:
                result = job.execute_in_process(
                    run_config=QUIET_RUN_CONFIG,
                    instance=instance,
                    asset_selection=selection,
                    tags=tags,
                    raise_on_error=False,
                    run_id=run_id,
                )
        if claims is not None:
            claims.release(batch)
        report.run_ids.append(result.run_id)
        held_in_run = held_partitions_of(result.all_events)  # a tenant crossed its budget during the run
        if held_in_run:
            report.held.update(held_in_run)
            queue[:0] = contiguous_runs(ordered, [key for key in batch if key not in held_in_run])
        elif result.success:
            report.materialized.extend(batch)
        else:
            queue[:0] = _split_failed_batch(batch, result, ordered, report)
        if on_batch_done:
            on_batch_done(batch, result.success and not held_in_run)
    if budget is not None:
        budget.review()  # a tenant that crossed 80% or 100% in the last batch hears it now
    return report


def materialized_elsewhere(
    instance: dg.DagsterInstance,
    asset_keys: Sequence[dg.AssetKey],
    keys: Sequence[str],
    since: float,
    own_run_ids: Sequence[str],
) -> set[str]:
    """Keys that runs other than ours materialized, for every one of `asset_keys`, after `since`."""
    if not keys:
        return set()
    done: set[str] | None = None
    for asset_key in asset_keys:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=list(keys), after_timestamp=since),
            limit=4 * len(keys),
        ).records
        partitions = {record.partition_key for record in records if record.run_id not in own_run_ids}
        done = partitions if done is None else done & partitions
        if not done:  # done for every asset is then empty: one query, not one per asset (the usual case)
            return set()
    return {key for key in done or set() if key is not None}


class PartitionProgress:
    """Reports partitions as their materializations land in a running run's event log.

    A batched run is one call that returns at the end; this watches its events from a thread (on
    an instance of its own, so it shares no connection with the run) every PROGRESS_POLL_S. Each
    selected asset's share of a partition counts: `n` materialized (asset, partition) pairs out of
    `len(asset_keys)` per partition report `n / len(asset_keys)` partitions, so the bar moves with
    every step of the run, not once per batch.
    """

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        asset_keys: Sequence[dg.AssetKey],
        on_partition_done: Callable[[float], None] | None,
    ) -> None:
        self._instance_ref = instance.get_ref() if on_partition_done else None
        self._run_id, self._asset_keys, self._callback = run_id, list(asset_keys), on_partition_done
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reported = 0.0

    def __enter__(self) -> PartitionProgress:
        if self._callback is not None:
            self._thread = threading.Thread(target=self._watch, name=f"progress-{self._run_id[:8]}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()

    def _watch(self) -> None:
        with dg.DagsterInstance.from_ref(self._instance_ref) as watcher:  # type: ignore[arg-type]
            landed = LandedPartitions(self._run_id, self._asset_keys)
            while True:
                stopping = self._stop.wait(PROGRESS_POLL_S)
                self.report(landed.poll(watcher))
                if stopping:
                    return

    def report(self, done: float) -> None:
        if done > self.reported and self._callback is not None:
            self._callback(done - self.reported)
            self.reported = done


def partitions_done(instance: dg.DagsterInstance, run_id: str, asset_keys: Sequence[dg.AssetKey]) -> float:
    """Partitions the run has materialized so far, each asset counting for its share of a partition."""
    return LandedPartitions(run_id, asset_keys).poll(instance)


class LandedPartitions:
    """`partitions_done` for a run that is still writing: each poll reads only the materializations
    recorded since the last one (after its cursor), not the whole run's again. Reading them all every
    0.5 s cost the run itself time: ~0.15 ms of CPU per record, in the run's own process."""

    def __init__(self, run_id: str, asset_keys: Sequence[dg.AssetKey]):
        self.run_id, self.wanted = run_id, set(asset_keys)
        self.pairs: set[tuple[dg.AssetKey | None, str | None]] = set()
        self.cursor: str | None = None

    def poll(self, instance: dg.DagsterInstance) -> float:
        landed = instance.get_records_for_run(
            self.run_id, cursor=self.cursor, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
        )
        self.pairs.update((r.asset_key, r.partition_key) for r in landed.records if r.asset_key in self.wanted)
        self.cursor = landed.cursor
        return len(self.pairs) / max(len(self.wanted), 1)


def _split_failed_batch(
    batch: list[str], result: dg.ExecuteInProcessResult, ordered: Sequence[str], report: RunsReport
) -> list[list[str]]:
    """Re-run plan after a failed batch: bad keys alone, good keys together; a single key is final."""
    failures = failed_partitions_of(result.all_events)
    if len(batch) == 1 or failures is None:
        message = _run_error(result)
        report.failed.update({key: (failures or {}).get(key, message) for key in batch})
        return []
    store_faults = {key: reason for key, reason in failures.items() if _STORE_FAULT.match(reason)}
    report.failed.update(store_faults)
    rest = [key for key in batch if key not in store_faults]
    return split_plan(rest, {key: failures[key] for key in rest if key in failures}, ordered)


def split_plan(batch: Sequence[str], failures: Mapping[str, str], ordered: Sequence[str]) -> list[list[str]]:
    """Each failed key alone, then the good keys in contiguous runs."""
    good = [key for key in batch if key not in failures]
    return [[key] for key in batch if key in failures] + contiguous_runs(ordered, good)


def build_split_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="split_failed_batches",
        request_job=job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="A batched run that failed for some partitions only (a UI backfill) is re-run as "
        "`mm materialize` does: each failed partition alone, the good ones as a batch.",
    )
    def split_failed_batches(context: dg.RunFailureSensorContext) -> list[dg.RunRequest] | dg.SkipReason:
        run = context.dagster_run
        ordered = context.instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
        batch = _range_of(ordered, run)
        if BATCH_TAG in run.tags or len(batch) < 2:
            return dg.SkipReason(f"run {run.run_id}: split by mm's launcher, or one partition (final)")
        events = [entry.dagster_event for entry in context.instance.all_logs(run.run_id) if entry.is_dagster_event]
        failures = failed_partitions_of(events)
        if not failures:
            return dg.SkipReason(f"run {run.run_id} failed as a whole, not per partition: nothing to split")
        selection = sorted(run.asset_selection or [], key=lambda key: key.to_user_string())
        return [
            dg.RunRequest(
                run_key=f"{run.run_id}:{keys[0]}:{keys[-1]}",
                asset_selection=selection or None,
                tags={**partition_range_tags(keys), SPLIT_OF_TAG: run.run_id},
            )
            for keys in split_plan(batch, failures, ordered)
        ]

    return split_failed_batches


def build_held_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS,
        name="rerun_unheld_partitions",
        request_job=job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="A run in which a step held an over-budget tenant's partitions (a UI backfill over "
        "several tenants) made nothing for its range: its other partitions are run again, without the held ones.",
    )
    def rerun_unheld_partitions(context: dg.RunStatusSensorContext) -> list[dg.RunRequest] | dg.SkipReason:
        run = context.dagster_run
        if BATCH_TAG in run.tags:
            return dg.SkipReason(f"run {run.run_id}: launched by mm, which runs the rest itself")
        held = held_partitions_in_run(context.instance, run.run_id)
        ordered = context.instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
        rest = [key for key in _range_of(ordered, run) if key not in held]
        if not held or not rest:
            return dg.SkipReason(f"run {run.run_id}: nothing held beside other partitions")
        selection = sorted(run.asset_selection or [], key=lambda key: key.to_user_string())
        return [
            dg.RunRequest(
                run_key=f"{run.run_id}:unheld:{keys[0]}:{keys[-1]}",
                asset_selection=selection or None,
                tags={**partition_range_tags(keys), HELD_FROM_TAG: run.run_id},
            )
            for keys in contiguous_runs(ordered, rest)
        ]

    return rerun_unheld_partitions


def _range_of(ordered: Sequence[str], run: dg.DagsterRun) -> list[str]:
    """The content-hash keys a run covered (its partition range), or [] for a run without a range."""
    start, end = run.tags.get(RANGE_START_TAG), run.tags.get(RANGE_END_TAG)
    if start not in ordered or end not in ordered:
        return []
    return list(ordered[ordered.index(start) : ordered.index(end) + 1])


def _run_error(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None:  # the user code's own exception, not Dagster's wrapper
                error = error.cause
            return f"{event.step_key}: {error.message.strip().splitlines()[0]}"
    return "run failed"
