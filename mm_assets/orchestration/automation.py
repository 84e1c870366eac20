"""Downstream follows by itself: when partitions of a kind are re-materialized (a backfill of only
the stale kinds from the UI, a review approval, a partial `mm materialize --select`), Dagster's
automation brings the same partitions of every kind downstream current.

Each derived kind carries `DOWNSTREAM_FOLLOWS`: Dagster's `eager` condition without "newly missing",
so a freshly ingested partition is left to `mm materialize` or the landing sensor (which run the
whole graph), and a run that made a kind and its downstream together requests nothing more. The
`downstream_follows` sensor evaluates it under the daemon (`dagster dev`, `make ui`), on by default;
its requests become backfills, so the assets' BackfillPolicy batches them like any other backfill.
"""

from __future__ import annotations

import dagster as dg

SENSOR_NAME = "downstream_follows"
# Dagster's own minimum for automation sensors; each tick evaluates every partition of every asset.
TICK_S = 30

DOWNSTREAM_FOLLOWS = (
    dg.AutomationCondition.any_deps_updated().since_last_handled()
    & ~dg.AutomationCondition.any_deps_missing()
    & ~dg.AutomationCondition.any_deps_in_progress()
    & ~dg.AutomationCondition.in_progress()
).with_label("downstream_follows")


def build_downstream_sensor() -> dg.AutomationConditionSensorDefinition:
    return dg.AutomationConditionSensorDefinition(
        SENSOR_NAME,
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=TICK_S,
        description="Re-materializes a kind's partitions after a kind upstream of them was re-materialized "
        "without them (for example a UI backfill of only the stale kinds).",
    )
