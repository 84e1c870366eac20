"""Daily tenant budgets: a tenant at or over its cap has its partitions held before a batch runs.

Spending is the sum of `processing_step.cost_usd` of the tenant's steps since midnight UTC. A held
partition is not run and not failed: it stays missing in Dagster, so `mm materialize --missing`
runs it once the budget is raised or the day turns. An alert naming the tenant goes out once per
day when its spending crosses 80% of the cap, and once when it reaches 100%.

Two places hold: `mm` before each batch it runs or submits (`BudgetGate.split`), and every kind's
asset before its step does any work (`hold_step`), which covers runs launched anywhere else (a UI
backfill, a sensor, the automation). Dagster materializes a run's whole partition range or none of
it, so a step whose range has a held partition makes nothing and says which partitions are held (an
`AssetObservation` per partition, `held: over_budget`); the rest of the range is run again without
them (`mm` itself, or the `rerun_unheld_partitions` sensor for runs it did not launch).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import sqlalchemy as sa

from resources.catalog import CatalogResource, budget_alert, processing_step, source_media, tenant_budget, utcnow

LOG = logging.getLogger(__name__)
OVER_BUDGET = "over_budget"
ALERT_LEVELS = (80, 100)  # percent of the daily cap
HELD_ASSET = dg.AssetKey("processing_event")  # where the UI shows held tenants (cost lives there)
HELD_METADATA = "held"  # on a held partition's observation: OVER_BUDGET


class BudgetError(ValueError):
    """A budget that cannot be set (negative, not a number); the message says what to give."""


@dataclass(frozen=True)
class TenantSpend:
    """One tenant's spending today against its daily cap."""

    tenant_id: str
    daily_usd: float
    spent_usd: float

    @property
    def percent(self) -> float:
        return 100.0 * self.spent_usd / self.daily_usd if self.daily_usd > 0 else float("inf")

    @property
    def over(self) -> bool:
        return self.spent_usd >= self.daily_usd

    def as_json(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "daily_usd": self.daily_usd,
            "spent_today_usd": round(self.spent_usd, 6),
            "percent": round(self.percent, 1) if self.daily_usd > 0 else None,
            "held": OVER_BUDGET if self.over else None,
        }


def day_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def set_budget(catalog: CatalogResource, tenant_id: str, daily_usd: float, who: str) -> None:
    """Set (or replace) a tenant's daily cap in USD."""
    if not daily_usd >= 0:  # also refuses NaN
        raise BudgetError(f"--daily-usd must be a number >= 0, got {daily_usd}")
    with catalog.engine.begin() as conn:
        conn.execute(tenant_budget.delete().where(tenant_budget.c.tenant_id == tenant_id))
        conn.execute(
            tenant_budget.insert().values(tenant_id=tenant_id, daily_usd=daily_usd, updated_at=utcnow(), updated_by=who)
        )


def spent_since(catalog: CatalogResource, since: datetime, tenants: Iterable[str] | None = None) -> dict[str, float]:
    """USD each tenant's processing steps cost since `since` (one GROUP BY)."""
    query = (
        sa.select(processing_step.c.tenant_id, sa.func.sum(processing_step.c.cost_usd))
        .where(processing_step.c.created_at >= since, processing_step.c.tenant_id.is_not(None))
        .group_by(processing_step.c.tenant_id)
    )
    if tenants is not None:
        query = query.where(processing_step.c.tenant_id.in_(sorted(set(tenants))))
    with catalog.engine.connect() as conn:
        return {tenant: float(total or 0.0) for tenant, total in conn.execute(query)}


def budget_status(catalog: CatalogResource, now: datetime | None = None) -> list[TenantSpend]:
    """Every tenant with a budget, and what it spent today."""
    with catalog.engine.connect() as conn:
        caps = {row.tenant_id: row.daily_usd for row in conn.execute(sa.select(tenant_budget))}
    spent = spent_since(catalog, day_start(now or utcnow()), caps) if caps else {}
    return [TenantSpend(tenant, caps[tenant], spent.get(tenant, 0.0)) for tenant in sorted(caps)]


def tenants_of(catalog: CatalogResource, keys: Sequence[str]) -> dict[str, str]:
    """Content hash -> tenant, for the keys that have a source row."""
    tenants: dict[str, str] = {}
    with catalog.engine.connect() as conn:
        for start in range(0, len(keys), 500):
            query = sa.select(source_media.c.content_hash, source_media.c.tenant_id).where(
                source_media.c.content_hash.in_(list(keys[start : start + 500]))
            )
            tenants.update({row.content_hash: row.tenant_id for row in conn.execute(query)})
    return tenants


# Built once: SQLAlchemy then reuses their compiled form, and the gate (run before every step) costs a
# third of what building them per call did.
_BUDGETED_KEYS = (
    sa.select(source_media.c.content_hash, source_media.c.tenant_id, tenant_budget.c.daily_usd)
    .join(tenant_budget, tenant_budget.c.tenant_id == source_media.c.tenant_id)
    .where(source_media.c.content_hash.in_(sa.bindparam("keys", expanding=True)))
)
_SPENT_OF_TENANTS = (
    sa.select(processing_step.c.tenant_id, sa.func.sum(processing_step.c.cost_usd))
    .where(
        processing_step.c.created_at >= sa.bindparam("since"),
        processing_step.c.tenant_id.in_(sa.bindparam("tenants", expanding=True)),
    )
    .group_by(processing_step.c.tenant_id)
)


@dataclass
class BudgetGate:
    """Holds the partitions of tenants at or over budget, and sends each budget alert once.

    `send_alert` takes an alert dict (an AlertSink's `send`); `now` is the clock (tests turn the day).
    """

    catalog: CatalogResource
    send_alert: Callable[[dict[str, Any]], None] | None = None
    now: Callable[[], datetime] = utcnow
    held_tenants: dict[str, TenantSpend] = field(default_factory=dict)

    def split(self, keys: Sequence[str]) -> tuple[list[str], dict[str, str]]:
        """(the keys to run, {held key: its tenant}) for a batch about to run.

        It runs before every step, so it is one connection and, unless a tenant of the batch has a
        budget, one query (keys joined to their tenants' budgets); else one more for their spending."""
        tenant_of: dict[str, str] = {}
        caps: dict[str, float] = {}
        spent: dict[str, float] = {}
        with self.catalog.engine.connect() as conn:
            for start in range(0, len(keys), 500):
                for row in conn.execute(_BUDGETED_KEYS, {"keys": list(keys[start : start + 500])}):
                    tenant_of[row.content_hash], caps[row.tenant_id] = row.tenant_id, row.daily_usd
            if caps:
                query = {"since": day_start(self.now()), "tenants": sorted(caps)}
                spent = {tenant: float(total or 0.0) for tenant, total in conn.execute(_SPENT_OF_TENANTS, query)}
        spends = {tenant: TenantSpend(tenant, cap, spent.get(tenant, 0.0)) for tenant, cap in caps.items()}
        for spend in spends.values():
            self._alert_once(spend)
            if spend.over:
                self.held_tenants[spend.tenant_id] = spend
        held = {key: tenant for key, tenant in tenant_of.items() if spends[tenant].over}
        return [key for key in keys if key not in held], held

    def review(self, tenants: Iterable[str] | None = None) -> list[TenantSpend]:
        """Spending of the budgeted tenants (of `tenants`, if given); alerts for levels newly crossed."""
        wanted = None if tenants is None else set(tenants)
        spends = [s for s in budget_status(self.catalog, self.now()) if wanted is None or s.tenant_id in wanted]
        for spend in spends:
            self._alert_once(spend)
            if spend.over:
                self.held_tenants[spend.tenant_id] = spend
        return spends

    def _alert_once(self, spend: TenantSpend) -> None:
        if self.send_alert is None:
            return  # recorded only where it is sent
        day = day_start(self.now()).date().isoformat()
        for level in ALERT_LEVELS:
            if spend.percent < level:
                continue
            row = {
                "tenant_id": spend.tenant_id,
                "day": day,
                "level": level,
                "spent_usd": spend.spent_usd,
                "daily_usd": spend.daily_usd,
                "sent_at": utcnow(),
            }
            try:
                with self.catalog.engine.begin() as conn:
                    conn.execute(budget_alert.insert().values(**row))
            except sa.exc.IntegrityError:
                continue  # already sent today (by this or another worker)
            try:
                self.send_alert(budget_alert_message(spend, level, day))
            except OSError as exc:  # a webhook outage: the alert is in alerts.jsonl already; the batch goes on
                LOG.warning("budget alert for tenant %s: the webhook failed: %s", spend.tenant_id, exc)


def budget_alert_message(spend: TenantSpend, level: int, day: str) -> dict[str, Any]:
    action = (
        "its partitions are held until the budget is raised (`mm budget set`) or the day turns"
        if level >= 100
        else "at 100% its partitions will be held"
    )
    return {
        "type": "budget_exceeded" if level >= 100 else "budget_warning",
        "tenant": spend.tenant_id,
        "asset": None,
        "partition": None,
        "check": f"daily_budget_{level}",
        "message": f"tenant {spend.tenant_id} spent ${spend.spent_usd:.4f} of its ${spend.daily_usd:.4f} daily "
        f"budget on {day} ({spend.percent:.0f}%): {action}",
        "run_id": None,
    }


def announce_held(instance: dg.DagsterInstance, gate: BudgetGate, held: dict[str, str]) -> None:
    """Put each held tenant on the processing_event asset in the UI: an observation that says
    `held: over_budget`, the tenant, its spending and how many partitions wait."""
    for tenant, spend in sorted(gate.held_tenants.items()):
        waiting = sum(1 for owner in held.values() if owner == tenant)
        if not waiting:
            continue
        instance.report_runless_asset_event(
            dg.AssetObservation(
                asset_key=HELD_ASSET,
                description=f"held: {OVER_BUDGET}: tenant {tenant}, {waiting} partition(s) wait",
                metadata={
                    "held": OVER_BUDGET,
                    "tenant": tenant,
                    "partitions_held": waiting,
                    "spent_today_usd": round(spend.spent_usd, 6),
                    "daily_usd": spend.daily_usd,
                },
            )
        )


def hold_step(context: dg.AssetExecutionContext, gate: BudgetGate) -> dict[str, str]:
    """{held key: its tenant} among the step's partitions, each announced on the step's asset as an
    observation of that partition (`held: over_budget`, the tenant, its spending); {} to go on."""
    _, held = gate.split(list(context.partition_keys))
    for key, tenant in held.items():
        spend = gate.held_tenants[tenant]
        context.log_event(
            dg.AssetObservation(
                asset_key=context.asset_key,
                partition=key,
                description=f"held: {OVER_BUDGET}: tenant {tenant} is at or over its daily budget",
                metadata={
                    HELD_METADATA: OVER_BUDGET,
                    "tenant": tenant,
                    "spent_today_usd": round(spend.spent_usd, 6),
                    "daily_usd": spend.daily_usd,
                },
            )
        )
    if held:
        context.log.warning(
            f"{context.asset_key.to_user_string()}: {len(held)} of {len(context.partition_keys)} partition(s) held "
            f"(tenants over their daily budget: {', '.join(sorted(set(held.values())))}); the step makes nothing, "
            "so no partition of this run's range is materialized and none fails"
        )
    return held


def held_partitions_of(events: Iterable[dg.DagsterEvent]) -> dict[str, str]:
    """{held key: its tenant} that a run's steps announced (see `hold_step`)."""
    held: dict[str, str] = {}
    for event in events:
        if event.event_type != dg.DagsterEventType.ASSET_OBSERVATION:
            continue
        observation = event.event_specific_data.asset_observation
        entry = observation.metadata.get(HELD_METADATA)
        if entry is not None and entry.value == OVER_BUDGET and observation.partition is not None:
            held[observation.partition] = observation.metadata["tenant"].value
    return held


def held_partitions_in_run(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """`held_partitions_of` a run recorded on the instance (one that ran in another process)."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_OBSERVATION).records
    return held_partitions_of(record.event_log_entry.dagster_event for record in records)
