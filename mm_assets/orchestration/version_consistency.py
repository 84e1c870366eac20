"""`version_consistency`: does every partition hold its kind's artifact at the active code and model version?

After a model upgrade, Dagster marks partitions stale one by one; this check says it for the whole
asset, on the graph: it fails (WARN) while current artifacts of an older pipeline version or model
are left, and names how many and which versions. Its metadata holds asset-level figures (artifacts
per version), which per-partition materialization metadata cannot. It runs after every
materialization of its asset, from the `version_consistency_sensor` (after a code-location reload
changes a code version, and hourly), and from `mm check`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import dagster as dg
import sqlalchemy as sa

from resources.catalog import CatalogResource, derived_artifact

CHECK_NAME = "version_consistency"
CHECK_JOB = "version_consistency_checks"
SENSOR_NAME = "version_consistency_sensor"
HOURLY_S = 3600
TRIGGER_TAG = "mm/trigger"


@dataclass
class VersionCensus:
    """Current artifacts of one kind, counted per `pipeline_version+model_id`."""

    kind: str
    active: str
    by_version: dict[str, int] = field(default_factory=dict)

    @property
    def behind(self) -> dict[str, int]:
        return {version: count for version, count in self.by_version.items() if version != self.active}

    @property
    def passed(self) -> bool:
        return not self.behind

    def summary(self) -> str:
        if self.passed:
            return f"all {self.by_version.get(self.active, 0)} current {self.kind} artifact(s) are {self.active}"
        older = ", ".join(f"{count} of {version}" for version, count in sorted(self.behind.items()))
        return (
            f"{sum(self.behind.values())} current {self.kind} artifact(s) are not {self.active}: {older}; "
            f"run `mm reprocess --kind {self.kind}`"
        )


def version_census(catalog: CatalogResource, kind: str, active: str) -> VersionCensus:
    """One GROUP BY over the catalog: current artifacts of `kind` per version."""
    query = (
        sa.select(derived_artifact.c.pipeline_version, derived_artifact.c.model_id, sa.func.count())
        .where(derived_artifact.c.kind == kind, derived_artifact.c.status == "current")
        .group_by(derived_artifact.c.pipeline_version, derived_artifact.c.model_id)
    )
    census = VersionCensus(kind=kind, active=active)
    with catalog.engine.connect() as conn:
        for pipeline_version, model_id, count in conn.execute(query):
            census.by_version[f"{pipeline_version}+{model_id or ''}"] = int(count)
    return census


def active_version(code_version: str) -> str:
    """`<logic>+<model id>` as the catalog spells it; a kind without a model id records "none"."""
    return code_version if "+" in code_version else f"{code_version}+none"


# (instance, asset key) -> {partition: why it is stale}: Dagster's stale rules, batched
# (operations/status.py, handed in by the definitions with the asset graph).
StalePartitions = Callable[[dg.DagsterInstance, dg.AssetKey], Mapping[str, str]]


def stale_summary(kind: str, stale: Mapping[str, str]) -> str:
    """ "3 stale partition(s) (3 has a new code version)": the count, and how many for each cause."""
    causes = Counter(cause for reasons in stale.values() for cause in reasons.split("; "))
    listed = ", ".join(f"{count} {cause}" for cause, count in sorted(causes.items()))
    return (
        f"{len(stale)} stale {kind} partition(s) ({listed}): launch the `reprocess_stale` job "
        f"(Launchpad) or run `mm reprocess --kind {kind}`"
    )


def build_version_consistency_check(
    asset: dg.AssetsDefinition, stale_partitions: StalePartitions
) -> dg.AssetChecksDefinition:
    """A WARN check on an artifact asset: fails while its partitions hold artifacts of older versions,
    or (when it runs alone) while Dagster counts any of its partitions stale; the verdict says how
    many (asset-level staleness on the graph, where Dagster marks only a selected partition "Unsynced")."""
    kind = asset.key.to_user_string()
    active = active_version(asset.code_versions_by_key[asset.key] or "")

    @dg.asset_check(
        asset=asset,
        name=CHECK_NAME,
        description=f"Every current {kind} artifact is {active} (the active code and model version), "
        "and no partition is stale.",
    )
    # `context` unannotated: Dagster cannot read postponed (string) annotations of it
    def version_consistency(context, catalog: CatalogResource) -> dg.AssetCheckResult:
        census = version_census(catalog, kind, active)
        # Stale partitions are counted where the check runs alone (after a reload, hourly, `mm check`);
        # a batch that just made this asset leaves its own partitions fresh, and a pass over every
        # partition after every batch would cost more than a cheap asset's work.
        counted = asset.key not in (context.op_execution_context.run.asset_selection or set())
        stale = stale_partitions(context.instance, asset.key) if counted else {}
        summary = census.summary() if not census.passed or not stale else ""
        description = "; ".join(part for part in (summary, stale and stale_summary(kind, stale)) if part)
        return dg.AssetCheckResult(
            passed=census.passed and not stale,
            severity=dg.AssetCheckSeverity.WARN,
            description=description or census.summary(),
            metadata={
                "active_version": active,
                "current_artifacts": sum(census.by_version.values()),
                "artifacts_behind": sum(census.behind.values()),
                **({"stale_partitions": len(stale)} if counted else {}),
                "older_versions": ", ".join(sorted(census.behind)) or "none",
                "artifacts_by_version": dg.MetadataValue.json(census.by_version),
            },
        )

    return version_consistency


def code_versions_fingerprint(assets: Sequence[dg.AssetsDefinition]) -> str:
    """Digest of every asset's code version: it changes exactly when a reload changes one."""
    versions = sorted(
        (key.to_user_string(), version or "") for a in assets for key, version in a.code_versions_by_key.items()
    )
    return hashlib.sha256(json.dumps(versions).encode()).hexdigest()[:16]


def build_version_consistency_sensor(job: dg.UnresolvedAssetJobDefinition, fingerprint: str) -> dg.SensorDefinition:
    """Runs the version checks when the code location comes back with new code versions, and hourly.

    `fingerprint` is computed when the Definitions are built, so a reload that changes a model or
    logic version builds a sensor with a new one, and its next tick sees the difference.
    """

    @dg.sensor(
        name=SENSOR_NAME,
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs every version_consistency check after a code-location reload changes a code "
        "version, and at least hourly.",
    )
    def version_consistency_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        return version_sensor_tick(context.cursor, fingerprint, time.time())

    return version_consistency_sensor


def version_sensor_tick(cursor: str | None, fingerprint: str, now: float) -> dg.SensorResult | dg.SkipReason:
    """One tick's decision, from the cursor {fingerprint, last_run}: a run request or why not."""
    state = json.loads(cursor) if cursor else {}
    last_run = float(state.get("last_run", 0.0))
    if state.get("fingerprint") != fingerprint:
        trigger = "first tick" if not state else "code versions changed (code location reloaded)"
    elif now - last_run >= HOURLY_S:
        trigger = "hourly"
    else:
        wait_min = (HOURLY_S - (now - last_run)) / 60
        return dg.SkipReason(f"code versions unchanged since the last check run; next hourly run in {wait_min:.0f} min")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"{fingerprint}:{int(now)}", tags={TRIGGER_TAG: trigger})],
        cursor=json.dumps({"fingerprint": fingerprint, "last_run": now}),
    )


@dataclass
class CheckOutcome:
    asset: str
    check: str
    passed: bool
    severity: str
    description: str
    metadata: dict[str, object]

    def as_json(self) -> dict[str, object]:
        return self.__dict__


def run_version_checks(
    defs: dg.Definitions, instance: dg.DagsterInstance, asset_keys: Sequence[dg.AssetKey] | None = None
) -> list[CheckOutcome]:
    """Run the version_consistency checks of `asset_keys` (default: all) in-process, recorded on the instance."""
    job = defs.resolve_job_def(CHECK_JOB)
    check_keys = {
        key
        for key in defs.resolve_asset_graph().asset_check_keys
        if key.name == CHECK_NAME and (asset_keys is None or key.asset_key in asset_keys)
    }
    if not check_keys:
        return []
    result = job.get_subset(asset_check_selection=check_keys).execute_in_process(
        instance=instance,
        raise_on_error=False,
        tags={TRIGGER_TAG: "mm check"},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    outcomes = []
    for event in result.all_events:
        if event.event_type != dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            continue
        evaluation = event.event_specific_data
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check=evaluation.check_name,
                passed=evaluation.passed,
                severity=evaluation.severity.value,
                description=evaluation.description or "",
                metadata={name: value.value for name, value in evaluation.metadata.items()},
            )
        )
    if not result.success and not outcomes:
        raise RuntimeError(f"the version check run {result.run_id} failed before any check ran")
    return sorted(outcomes, key=lambda outcome: outcome.asset)
