"""How long searches take, per stage, from the audit log (`mm stats search`, the server's /metrics).

Every search writes the milliseconds of its stages to `search_audit.stage_ms` (operations/search.py):
`encode`, `channel.<name>` for each channel it queried, `fusion`, `evidence`, `fetch` and `total`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl
import sqlalchemy as sa

from resources.catalog import CatalogResource, search_audit


def search_stage_summary(
    catalog: CatalogResource, since: datetime | None = None, tenant: str | None = None
) -> dict[str, Any]:
    """`{"count": searches, "stages": {stage: {"p50_ms", "p95_ms", "count"}}}` over the audited searches
    since `since` (all of them when None) that recorded their stages."""
    query = sa.select(search_audit.c.stage_ms).where(search_audit.c.stage_ms.is_not(None))
    if since is not None:
        query = query.where(search_audit.c.at >= since)
    if tenant is not None:
        query = query.where(search_audit.c.tenant_id == tenant)
    with catalog.engine.connect() as conn:
        timings = [row.stage_ms for row in conn.execute(query) if row.stage_ms]
    samples = [(stage, float(ms)) for stage_ms in timings for stage, ms in stage_ms.items()]
    if not samples:
        return {"count": len(timings), "stages": {}}
    frame = pl.DataFrame(samples, schema={"stage": pl.String, "ms": pl.Float64}, orient="row")
    per_stage = (
        frame.group_by("stage")
        .agg(
            pl.col("ms").quantile(0.5, interpolation="linear").alias("p50_ms"),
            pl.col("ms").quantile(0.95, interpolation="linear").alias("p95_ms"),
            pl.len().alias("count"),
        )
        .sort("stage")
    )
    stages = {
        row["stage"]: {"p50_ms": round(row["p50_ms"], 3), "p95_ms": round(row["p95_ms"], 3), "count": row["count"]}
        for row in per_stage.iter_rows(named=True)
    }
    return {"count": len(timings), "stages": stages}


def search_stage_metrics(summary: dict[str, Any]) -> list[str]:
    """The summary as Prometheus text-format lines (a quantile-labelled gauge per stage)."""
    lines = [
        "# HELP mm_search_stage_ms Milliseconds per search stage over the audited searches.",
        "# TYPE mm_search_stage_ms gauge",
    ]
    for stage, figures in summary["stages"].items():
        for quantile, name in (("0.5", "p50_ms"), ("0.95", "p95_ms")):
            lines.append(f'mm_search_stage_ms{{stage="{stage}",quantile="{quantile}"}} {figures[name]}')
    lines += ["# TYPE mm_searches_timed gauge", f"mm_searches_timed {summary['count']}"]
    return lines
