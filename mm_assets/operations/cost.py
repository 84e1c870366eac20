"""What processing cost, per tenant, modality, kind or day (`mm cost`), computed with polars.

Each processing step carries its CPU seconds, units of work and cost_usd (kind_spec.KindRun.report);
this reads those rows once and groups them. A row's `units` are per unit (pages, images, seconds,
characters): grouped by kind they are that kind's units; grouped otherwise each source counts once
per unit (a document's pages are not counted again for every kind that read them).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from mm_assets.operations.charts import plot_png
from resources.catalog import CatalogResource, processing_step

GROUPINGS = {"tenant": "tenant_id", "modality": "modality", "kind": "step", "day": "day"}
STEP_COLUMNS = ("tenant_id", "modality", "step", "source_hash", "created_at", "cpu_s", "units", "unit", "cost_usd")


def step_costs(catalog: CatalogResource, tenant: str | None = None, since: datetime | None = None) -> pl.DataFrame:
    """The accounted processing steps (those with a tenant), one row each."""
    query = sa.select(*(processing_step.c[name] for name in STEP_COLUMNS)).where(
        processing_step.c.tenant_id.is_not(None)
    )
    if tenant is not None:
        query = query.where(processing_step.c.tenant_id == tenant)
    if since is not None:
        query = query.where(processing_step.c.created_at >= since)
    with catalog.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    schema = {
        "tenant_id": pl.String,
        "modality": pl.String,
        "step": pl.String,
        "source_hash": pl.String,
        "created_at": pl.Datetime,
        "cpu_s": pl.Float64,
        "units": pl.Float64,
        "unit": pl.String,
        "cost_usd": pl.Float64,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return frame.with_columns(
        pl.col("created_at").dt.date().cast(pl.String).alias("day"),
        pl.col("cpu_s").fill_null(0.0),
        pl.col("cost_usd").fill_null(0.0),
        pl.col("units").fill_null(0.0),
    )


def cost_rows(steps: pl.DataFrame, by: str) -> list[dict[str, Any]]:
    """`{by, cpu_seconds, cost_usd, sources, units}` per value of `by`, most expensive first."""
    column = GROUPINGS[by]
    totals = (
        steps.group_by(column)
        .agg(
            pl.col("cpu_s").sum().alias("cpu_seconds"),
            pl.col("cost_usd").sum().alias("cost_usd"),
            pl.col("source_hash").n_unique().alias("sources"),
        )
        .sort(["cost_usd", column], descending=[True, False])
    )
    counted = steps.filter(pl.col("unit").is_not_null() & (pl.col("unit") != ""))
    if by != "kind":  # each source once per unit: the most any of its steps counted
        counted = counted.group_by([column, "source_hash", "unit"]).agg(pl.col("units").max())
    units = counted.group_by([column, "unit"]).agg(pl.col("units").sum())
    units_of: dict[str, dict[str, float]] = {}
    for row in units.iter_rows(named=True):
        units_of.setdefault(row[column], {})[row["unit"]] = round(row["units"], 3)
    return [
        {
            by: row[column],
            "cpu_seconds": round(row["cpu_seconds"], 4),
            "cost_usd": round(row["cost_usd"], 8),
            "sources": row["sources"],
            "units": units_of.get(row[column], {}),
        }
        for row in totals.iter_rows(named=True)
    ]


def cost_chart(rows: list[dict[str, Any]], by: str, path: Path, title: str) -> Path:
    """A bar chart of cost_usd per row (days in order when grouped by day)."""
    ordered = sorted(rows, key=lambda row: row[by]) if by == "day" else rows

    def draw(axis: Any) -> None:
        axis.bar([str(row[by]) for row in ordered], [row["cost_usd"] for row in ordered], color="#4472c4")
        axis.set_xlabel(by)
        axis.tick_params(axis="x", labelrotation=45)

    return plot_png(path, title, draw, "cost (USD)", size=(max(6.0, 0.5 * len(ordered) + 2), 4))
