"""`mm report`: PNG plots that answer seed 003's dashboard questions, from the catalog, with polars.

- input quality per tenant: accepted sources and gate rejects by reason (is one tenant's input worse?);
- review rate and conflict rate per day: the share of processed sources that end in human review,
  and the share whose new artifact version disagreed with the current one past tolerance (a
  "conflict": review reason `upgrade past tolerance`); is either climbing?
- per-step latency per day (p50 ms of each step);
- cost per tenant per day (the steps' cost_usd).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from mm_assets.operations.charts import plot_png
from resources.catalog import (
    CatalogResource,
    processing_event,
    processing_step,
    quarantine_item,
    review_item,
    source_owner,
)

CONFLICT_REASON = "upgrade past tolerance"


def _frame(catalog: CatalogResource, query: sa.Select, schema: dict[str, Any]) -> pl.DataFrame:
    with catalog.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(query)]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def input_quality(catalog: CatalogResource) -> pl.DataFrame:
    """Per tenant and outcome (accepted, or the gate's reject reason): how many files."""
    accepted = _frame(
        catalog,
        # every owner's accepted file counts (one original may be held by several tenants)
        sa.select(source_owner.c.tenant_id, sa.literal("accepted"), sa.func.count()).group_by(source_owner.c.tenant_id),
        {"tenant": pl.String, "outcome": pl.String, "files": pl.Int64},
    )
    rejected = _frame(
        catalog,
        sa.select(quarantine_item.c.tenant_id, quarantine_item.c.reason, sa.func.count()).group_by(
            quarantine_item.c.tenant_id, quarantine_item.c.reason
        ),
        {"tenant": pl.String, "outcome": pl.String, "files": pl.Int64},
    )
    return pl.concat([accepted, rejected]).sort("tenant", "outcome")


def review_and_conflict_rates(catalog: CatalogResource) -> pl.DataFrame:
    """Per day: processed sources, the share ending in human review, and the share with a conflict."""
    with catalog.engine.connect() as conn:
        query = sa.select(processing_event.c.created_at, processing_event.c.source_hash, processing_event.c.event)
        rows = [(at, key, _disposition(event) == "human_review") for at, key, event in conn.execute(query)]
    schema = {"created_at": pl.Datetime, "source_hash": pl.String, "review": pl.Boolean}
    if not rows:
        return pl.DataFrame(schema={"day": pl.String, "events": pl.UInt32, "review_rate": pl.Float64})
    events = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        pl.col("created_at").dt.date().cast(pl.String).alias("day")
    )
    conflicts = _frame(
        catalog,
        sa.select(review_item.c.source_hash).where(review_item.c.reason.startswith(CONFLICT_REASON)).distinct(),
        {"source_hash": pl.String},
    ).with_columns(pl.lit(True).alias("conflict"))
    events = events.join(conflicts, on="source_hash", how="left").with_columns(pl.col("conflict").fill_null(False))
    return (
        events.group_by("day")
        .agg(
            pl.len().alias("events"),
            pl.col("review").mean().alias("review_rate"),
            pl.col("conflict").mean().alias("conflict_rate"),
        )
        .sort("day")
    )


def _disposition(event: Any) -> str:
    event = json.loads(event) if isinstance(event, str) else event
    return event["steps"][-1].get("outcome", "") if event.get("steps") else ""


def step_latency(catalog: CatalogResource) -> pl.DataFrame:
    """Per day and step: p50 and p95 ms of the steps that succeeded."""
    steps = _frame(
        catalog,
        sa.select(processing_step.c.created_at, processing_step.c.step, processing_step.c.ms).where(
            processing_step.c.outcome == "ok"
        ),
        {"created_at": pl.Datetime, "step": pl.String, "ms": pl.Float64},
    )
    return (
        steps.with_columns(pl.col("created_at").dt.date().cast(pl.String).alias("day"))
        .group_by("day", "step")
        .agg(pl.col("ms").median().alias("p50_ms"), pl.col("ms").quantile(0.95).alias("p95_ms"), pl.len().alias("n"))
        .sort("day", "step")
    )


def cost_per_tenant_day(catalog: CatalogResource) -> pl.DataFrame:
    steps = _frame(
        catalog,
        sa.select(processing_step.c.created_at, processing_step.c.tenant_id, processing_step.c.cost_usd).where(
            processing_step.c.tenant_id.is_not(None)
        ),
        {"created_at": pl.Datetime, "tenant": pl.String, "cost_usd": pl.Float64},
    )
    return (
        steps.with_columns(pl.col("created_at").dt.date().cast(pl.String).alias("day"))
        .group_by("day", "tenant")
        .agg(pl.col("cost_usd").fill_null(0.0).sum())
        .sort("day", "tenant")
    )


def _lines(frame: pl.DataFrame, x: str, y: str, series: str) -> Callable[[Any], None]:
    def draw(axis: Any) -> None:
        for (name,), part in frame.group_by([series], maintain_order=True):
            axis.plot(part[x].to_list(), part[y].to_list(), marker="o", label=str(name))
        axis.tick_params(axis="x", labelrotation=30)

    return draw


def _stacked(frame: pl.DataFrame) -> Callable[[Any], None]:
    def draw(axis: Any) -> None:
        tenants = frame["tenant"].unique(maintain_order=True).to_list()
        bottom = [0] * len(tenants)
        for (outcome,), part in frame.group_by(["outcome"], maintain_order=True):
            counts = dict(zip(part["tenant"].to_list(), part["files"].to_list(), strict=True))
            heights = [counts.get(tenant, 0) for tenant in tenants]
            axis.bar(tenants, heights, bottom=bottom, label=str(outcome))
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]

    return draw


def _rates(frame: pl.DataFrame) -> Callable[[Any], None]:
    def draw(axis: Any) -> None:
        for column in ("review_rate", "conflict_rate"):
            if column in frame.columns:
                axis.plot(frame["day"].to_list(), frame[column].to_list(), marker="o", label=column)
        axis.set_ylim(0, 1)

    return draw


def write_dashboard(catalog: CatalogResource, out_dir: Path) -> dict[str, Any]:
    """The four plots in `out_dir`, and the figures behind them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    quality, rates = input_quality(catalog), review_and_conflict_rates(catalog)
    latency, cost = step_latency(catalog), cost_per_tenant_day(catalog)
    charts = {
        "input_quality": ("input quality per tenant: accepted and gate rejects", _stacked(quality), "files"),
        "review_conflict_rate": ("human-review and conflict rate per day", _rates(rates), "share"),
        "step_latency": ("per-step latency (p50) per day", _lines(latency, "day", "p50_ms", "step"), "ms"),
        "cost_per_tenant_day": ("cost per tenant per day", _lines(cost, "day", "cost_usd", "tenant"), "USD"),
    }
    plots = {name: plot_png(out_dir / f"{name}.png", *chart) for name, chart in charts.items()}
    return {
        "plots": {name: str(path) for name, path in plots.items()},
        "input_quality": quality.to_dicts(),
        "rates": rates.to_dicts(),
        "step_latency": latency.to_dicts(),
        "cost_per_tenant_day": cost.to_dicts(),
    }
