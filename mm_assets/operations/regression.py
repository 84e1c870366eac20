"""The nightly regression evaluation: an `eval_report` asset (daily partitions), its schedule, and a
check that fails when a headline figure regresses past a tolerance from the stored baseline.

The report runs the retrieval (`mixed`), page (`pages`), PII and audio/video evaluation sets, folds
each into headline figures (Recall@k of the best fused ranking, page recall, PII recall per entity
type, WER per engine and Recall@k per query kind), writes a table (CSV) and a chart (PNG), and
compares with `$MM_HOME/eval/baseline.json`. The first report with no baseline stores it; delete
the file (or set another) to accept new figures as the baseline. A failed check goes out as an alert
through the alert sensor, like every failed asset check.
"""

# No __future__ annotations: Dagster reads the asset function's config annotation.

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from mm_assets.operations.charts import plot_png
from mm_assets.operations.evaluation_base import DefinitionsFactory
from mm_assets.settings import Settings

EVAL_SETS = ("mixed", "pages", "pii", "av")
EVAL_START = "2026-12-01"
eval_days = dg.DailyPartitionsDefinition(start_date=EVAL_START)
EVAL_ASSET = "eval_report"
EVAL_JOB = "nightly_eval"
REGRESSION_CHECK = "no_regression"
LOWER_IS_BETTER = ("av.wer.",)  # figure-name prefixes where a rise is the regression


class EvalReportConfig(dg.Config):
    """Which sets a report runs (the schedule runs all) and how big the generated PII set is."""

    sets: list[str] = list(EVAL_SETS)
    pii_docs: int = 48
    k: int = 10


def retrieval_figures(report: Any, k: int) -> dict[str, float]:
    """Recall@k of the best fused ranking over all queries; for `pages`, its page-level figures too."""
    fused = report.overall().filter(pl.col("kind") == "fused")
    figures = {f"{report.set_name}.recall@{k}": float(fused[f"recall@{k}"].max())}
    for name, value in (report.page_metrics or {}).items():
        if isinstance(value, float) and not math.isnan(value):
            figures[f"{report.set_name}.{name}"] = value
    return figures


def pii_figures(report: Any) -> dict[str, float]:
    return {
        f"pii.recall.{row['type']}": float(row["recall"])
        for row in report.table.iter_rows(named=True)
        if row["recall"] is not None and not math.isnan(row["recall"])
    }


def av_figures(report: Any) -> dict[str, float]:
    figures = {f"av.wer.{engine}": float(values["wer"]) for engine, values in report.wer.items()}
    for kind, values in report.recall.items():
        figures[f"av.recall@{report.k}.{kind}"] = float(values[f"recall@{report.k}"])
    return figures


def regressions(figures: Mapping[str, float], baseline: Mapping[str, float], tolerance: float) -> list[dict[str, Any]]:
    """Figures worse than the baseline by more than `tolerance` (absolute), worst first."""
    found = []
    for name, value in figures.items():
        if name not in baseline:
            continue
        worse_by = value - baseline[name] if name.startswith(LOWER_IS_BETTER) else baseline[name] - value
        if worse_by > tolerance:
            found.append({"figure": name, "value": value, "baseline": baseline[name], "worse_by": round(worse_by, 4)})
    return sorted(found, key=lambda item: -item["worse_by"])


def report_table(figures: Mapping[str, float], baseline: Mapping[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "figure": name,
                "value": value,
                "baseline": baseline.get(name),
                "change": value - baseline.get(name, value),
            }
            for name, value in sorted(figures.items())
        ],
        schema={"figure": pl.String, "value": pl.Float64, "baseline": pl.Float64, "change": pl.Float64},
    )


def report_chart(table: pl.DataFrame, path: Path, title: str) -> Path:
    """Each figure beside its baseline, as horizontal bars."""
    names = table["figure"].to_list()
    positions = list(range(len(names)))

    def draw(axis: Any) -> None:
        axis.barh([p - 0.2 for p in positions], table["value"].to_list(), height=0.4, label="this report")
        baseline = [value if value is not None else 0.0 for value in table["baseline"].to_list()]
        axis.barh([p + 0.2 for p in positions], baseline, height=0.4, label="baseline", color="#bbbbbb")
        axis.set_yticks(positions, names)
        axis.set_xlim(0, 1.05)

    return plot_png(path, title, draw, size=(8, max(3.0, 0.35 * len(names) + 1)))


def run_eval_sets(
    settings: Settings, config: EvalReportConfig, out_dir: Path, build_definitions: DefinitionsFactory
) -> dict[str, float]:
    """Run each chosen set in its own home under `$MM_HOME/eval` and fold it into headline figures."""
    home = settings.home / "eval"
    figures: dict[str, float] = {}
    for set_name in config.sets:
        if set_name == "pii":
            from mm_assets.model_resources import model_resources
            from mm_assets.operations.pii_eval import run_pii_evaluation

            models = model_resources(settings)
            report = run_pii_evaluation(
                home, out_dir, count=config.pii_docs, detector=models["pii_detector"], ocr=models["ocr_runner"]
            )
            figures |= pii_figures(report)
        elif set_name == "av":
            from mm_assets.operations.av_evaluation import run_av_evaluation

            figures |= av_figures(run_av_evaluation(home, out_dir, k=config.k, build_definitions=build_definitions))
        else:
            from mm_assets.operations.evaluation import run_evaluation

            report = run_evaluation(set_name, home, out_dir, k=config.k, build_definitions=build_definitions)
            figures |= retrieval_figures(report, config.k)
    return figures


def read_baseline(path: Path) -> dict[str, float] | None:
    return json.loads(path.read_text()) if path.exists() else None


def build_eval_report(
    settings: Settings, build_definitions: DefinitionsFactory
) -> tuple[dg.AssetsDefinition, Any, dg.ScheduleDefinition]:
    """The asset (with its regression check), its job, and the nightly schedule (running by default)."""

    @dg.asset(
        name=EVAL_ASSET,
        partitions_def=eval_days,
        group_name="observability",
        kinds={"polars"},
        check_specs=[dg.AssetCheckSpec(REGRESSION_CHECK, asset=EVAL_ASSET)],
        description="Nightly regression: retrieval, page, PII and audio/video evaluation sets against the "
        f"stored baseline ($MM_HOME/eval/baseline.json, tolerance {settings.eval_tolerance}).",
    )
    def eval_report(context: dg.AssetExecutionContext, config: EvalReportConfig) -> dg.MaterializeResult:
        unknown = sorted(set(config.sets) - set(EVAL_SETS))
        if unknown:
            raise ValueError(f"unknown evaluation set(s) {unknown}; choose from {list(EVAL_SETS)}")
        out_dir = settings.home / "reports" / EVAL_ASSET / context.partition_key
        figures = run_eval_sets(settings, config, out_dir, build_definitions)
        baseline_path = settings.home / "eval" / "baseline.json"
        baseline = read_baseline(baseline_path)
        if baseline is None:  # the first report is the baseline
            baseline_path.parent.mkdir(parents=True, exist_ok=True)
            baseline_path.write_text(json.dumps(figures, indent=2, sort_keys=True))
            baseline = dict(figures)
        table = report_table(figures, baseline)
        csv_path = out_dir / "eval_report.csv"
        out_dir.mkdir(parents=True, exist_ok=True)
        table.write_csv(csv_path)
        chart = report_chart(table, out_dir / "eval_report.png", f"nightly evaluation {context.partition_key}")
        worse = regressions(figures, baseline, settings.eval_tolerance)
        reason = (
            "; ".join(f"{r['figure']} {r['value']:.3f} vs baseline {r['baseline']:.3f}" for r in worse)
            or f"every figure within {settings.eval_tolerance} of the baseline"
        )
        return dg.MaterializeResult(
            metadata={
                "figures": dg.MetadataValue.json(figures),
                "table": dg.MetadataValue.md(_markdown(table)),
                "csv": str(csv_path),
                "chart": str(chart),
                "baseline": str(baseline_path),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=REGRESSION_CHECK,
                    passed=not worse,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={"reason": reason, "regressions": dg.MetadataValue.json(worse)},
                )
            ],
        )

    job = dg.define_asset_job(EVAL_JOB, selection=[EVAL_ASSET])
    schedule = dg.build_schedule_from_partitioned_job(
        job,
        hour_of_day=2,
        minute_of_hour=0,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Every night: the evaluation sets against the stored baseline (eval_report).",
    )
    return eval_report, job, schedule


def _markdown(table: pl.DataFrame) -> str:
    lines = ["| figure | value | baseline | change |", "|---|---|---|---|"]
    for row in table.iter_rows(named=True):
        baseline = "" if row["baseline"] is None else f"{row['baseline']:.3f}"
        lines.append(f"| {row['figure']} | {row['value']:.3f} | {baseline} | {row['change']:+.3f} |")
    return "\n".join(lines)
