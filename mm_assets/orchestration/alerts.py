"""The alert sensor: failed asset checks and failed runs become alerts in the configured sink.

Each alert names the asset, the partition, the check and the message, so whoever is paged can go
straight to the partition in the Dagster UI or run `mm artifacts HASH`.
"""

import json
from datetime import UTC, datetime

import dagster as dg
from dagster import SensorEvaluationContext

from mm_assets.orchestration.version_consistency import CHECK_NAME as VERSION_CHECK
from resources.alert_sink import AlertSink

MAX_RUNS_PER_TICK = 200


def check_failure_alert(record: dg.EventLogRecord) -> dict | None:
    evaluation = record.event_log_entry.dagster_event.event_specific_data
    if evaluation.passed:
        return None
    reason = evaluation.metadata.get("reason")
    return {
        "type": "asset_check_failed",
        "asset": evaluation.asset_key.to_user_string(),
        "partition": evaluation.partition,
        "check": evaluation.check_name,
        "severity": evaluation.severity.value,
        "message": reason.value if reason else evaluation.description or "check failed",
        "run_id": record.run_id,
    }


def run_failure_alert(run: dg.DagsterRun, message: str) -> dict:
    return {
        "type": "run_failed",
        "asset": ", ".join(key.to_user_string() for key in sorted(run.asset_selection or [])),
        "partition": run.tags.get("dagster/asset_partition_range_start") or run.tags.get("dagster/partition"),
        "check": None,
        "message": message,
        "run_id": run.run_id,
    }


def build_alert_sensor() -> dg.SensorDefinition:
    @dg.sensor(
        name="alert_sensor",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Sends failed asset checks and failed runs to the alert sink (MM_ALERT_WEBHOOK or alerts.jsonl).",
    )
    def alert_sensor(context: SensorEvaluationContext, alert_sink: AlertSink) -> dg.SensorResult:
        after, failing = read_cursor(context.cursor)
        alerts, newest = alerts_for_finished_runs(context.instance, after, failing)
        for alert in alerts:
            alert_sink.send(alert)
        cursor = json.dumps({"after": newest, "failing": sorted(failing)})
        # The tick's message is what the UI lists for it: say what was sent, not "0 runs requested".
        message = sent_summary(alerts)
        if alerts:
            context.log.info(message)
        return dg.SensorResult(skip_reason=message, cursor=cursor)

    return alert_sensor


def read_cursor(cursor: str | None) -> tuple[float | None, set[str]]:
    """(the last run update seen, the asset-level checks already alerted as failing); a bare number
    is the cursor of earlier versions."""
    if not cursor:
        return None, set()
    state = json.loads(cursor)
    if not isinstance(state, dict):
        return float(state), set()
    return state.get("after"), set(state.get("failing", []))


def sent_summary(alerts: list[dict]) -> str:
    """One line for a tick: how many alerts of which kind went out, and about what."""
    if not alerts:
        return "no failed checks or runs: no alert sent"
    checks = [a for a in alerts if a["type"] == "asset_check_failed"]
    runs = [a for a in alerts if a["type"] == "run_failed"]
    parts = []
    if checks:
        names = sorted({f"{a['asset']}.{a['check']}" for a in checks})
        parts.append(f"{len(checks)} failed check(s) ({', '.join(names)})")
    if runs:
        parts.append(f"{len(runs)} failed run(s) ({', '.join(sorted(a['run_id'][:8] for a in runs))})")
    return f"sent {len(alerts)} alert(s): {'; '.join(parts)}"


def alerts_for_finished_runs(
    instance: dg.DagsterInstance, after: float | None, failing: set[str]
) -> tuple[list[dict], float | None]:
    """Alerts for every run that finished after `after` (a run-update timestamp): its failed checks, and
    the run itself if it failed. Reading per run works on every event-log storage (SQLite shards by run).

    The asset-level version_consistency check is alerted when it starts failing, not again for every
    run that finds it still failing (`mm check`, the sensor's run and each batch would each send one);
    `failing` holds those checks, and a passing verdict clears its entry."""
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE],
            updated_after=None if after is None else datetime.fromtimestamp(after, UTC),
        ),
        limit=MAX_RUNS_PER_TICK,
        ascending=True,
    )
    alerts: list[dict] = []
    newest = after
    for record in records:
        stamp = record.update_timestamp.timestamp()
        if after is not None and stamp <= after:
            continue
        run = record.dagster_run
        alerts += failed_check_alerts(instance, run.run_id, failing)
        if run.status == dg.DagsterRunStatus.FAILURE:
            alerts.append(run_failure_alert(run, step_failure_messages(instance, run.run_id)))
        newest = max(newest or 0.0, stamp)
    return alerts, newest


def failed_check_alerts(instance: dg.DagsterInstance, run_id: str, failing: set[str]) -> list[dict]:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    alerts = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        alert = check_failure_alert(record)
        if evaluation.check_name == VERSION_CHECK:
            name = evaluation.asset_check_key.to_user_string()
            if alert is None:
                failing.discard(name)
            elif name in failing:
                continue  # still failing, already alerted
            else:
                failing.add(name)
        if alert is not None:
            alerts.append(alert)
    # A run-level result over a batch (partition None) repeats its partitions' verdicts: keep the
    # per-partition alerts, and the run-level one only for checks that reported no partitions.
    partitioned = {(a["asset"], a["check"]) for a in alerts if a["partition"]}
    return [a for a in alerts if a["partition"] or (a["asset"], a["check"]) not in partitioned]


def step_failure_messages(instance: dg.DagsterInstance, run_id: str) -> str:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    messages = []
    for record in records:
        event = record.event_log_entry.dagster_event
        error = event.step_failure_data.error
        if error:
            messages.append(f"{event.step_key}: {error.message.strip().splitlines()[0]}")
    return "; ".join(messages) or "run failed"
