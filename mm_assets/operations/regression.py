"""The nightly regression evaluation: an `eval_report` asset (daily partitions), its schedule, and a
check that fails when a headline figure regresses past a tolerance from the stored baseline.

The report runs the retrieval (`mixed`), page (`pages`), PII and audio/video evaluation sets at the
nightly sizes (NIGHTLY_SIZES, MM_EVAL_SIZES, the run config's `sizes`; see nightly_sets.py), folds
each into headline figures (Recall@1, Recall@k and MAP of the best fused ranking, page recall and
box IoU, PII recall per entity type, WER per engine, and audio/video Recall@1, Recall@k and time-hit
rate per query kind), writes a table (CSV) and a chart (PNG), and compares with
`$MM_HOME/eval/baseline.json` ({"sizes": {set: size}, "figures": {name: value}}). The first
report of a set stores that set's baseline; delete the file to accept new figures. A set that
fails, a figure that disappears, or a set run at another size than its baseline's fails the check
too (a report that cannot compare must not pass). A failed check goes out as an alert through
the alert sensor, like every failed asset check.
"""

# No __future__ annotations: Dagster reads the asset function's config annotation.

import json
import math
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from mm_assets.operations.charts import plot_png
from mm_assets.operations.evaluation_base import DefinitionsFactory
from mm_assets.settings import EVAL_SIZE_SETS, Settings, SettingsError, parse_eval_sizes

EVAL_SETS = EVAL_SIZE_SETS  # ("mixed", "pages", "pii", "av")
# One night on 2 cores in a few minutes: retrieval items, PDF excerpts, PII documents, AV files.
NIGHTLY_SIZES = {"mixed": 9, "pages": 1, "pii": 6, "av": 3}
EVAL_START = "2026-12-01"
eval_days = dg.DailyPartitionsDefinition(start_date=EVAL_START)
EVAL_ASSET = "eval_report"
EVAL_JOB = "nightly_eval"
REGRESSION_CHECK = "no_regression"
LOWER_IS_BETTER = ("av.wer.",)  # figure-name prefixes where a rise is the regression


class EvalReportConfig(dg.Config):
    """Which sets a report runs (the schedule runs all), and sizes over MM_EVAL_SIZES ({set: n}, 0: whole)."""

    sets: list[str] = list(EVAL_SETS)
    sizes: dict[str, int] = {}
    k: int = 10


def report_sizes(settings: Settings, config: EvalReportConfig) -> dict[str, int]:
    """Each chosen set's size: the run config's, else MM_EVAL_SIZES', else NIGHTLY_SIZES'."""
    unknown = sorted(set(config.sets) - set(EVAL_SETS))
    if unknown:
        raise ValueError(f"unknown evaluation set(s) {unknown}; choose from {list(EVAL_SETS)}")
    chosen = ",".join(f"{name}={size}" for name, size in config.sizes.items())
    try:
        overrides = parse_eval_sizes(chosen, "the run config's sizes")
    except SettingsError as exc:
        raise ValueError(str(exc)) from exc
    sizes = NIGHTLY_SIZES | parse_eval_sizes(settings.eval_sizes, settings.source.get("eval_sizes")) | overrides
    return {name: sizes[name] for name in config.sets}


def retrieval_figures(report: Any, k: int) -> dict[str, float]:
    """Recall@1, Recall@k and MAP of the best fused ranking over all queries; for `pages`, its
    page-level figures too. A nightly set may hold fewer items than k, where Recall@k is 1 whatever
    the ranking: Recall@1 and MAP are the figures that still move."""
    fused = report.overall().filter(pl.col("kind") == "fused")
    figures = {f"{report.set_name}.{name}": float(fused[name].max()) for name in ("recall@1", f"recall@{k}", "map")}
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


def av_figures(
    wer: Mapping[str, Mapping[str, float]], recall: Mapping[str, Mapping[str, float]], k: int
) -> dict[str, float]:
    figures = {f"av.wer.{engine}": float(values["wer"]) for engine, values in wer.items()}
    for kind, values in recall.items():
        for name in ("recall@1", f"recall@{k}", "time_hit_rate"):
            figures[f"av.{name}.{kind}"] = float(values[name])
    return figures


def set_of(figure: str) -> str:
    return figure.split(".", 1)[0]


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
        axis.set_xlim(0, max([1.05, *table["value"].to_list(), *baseline]))  # a WER can pass 1

    return plot_png(path, title, draw, size=(8, max(3.0, 0.35 * len(names) + 1)))


def run_one_set(
    set_name: str,
    size: int,
    k: int,
    settings: Settings,
    home: Path,
    out_dir: Path,
    build_definitions: DefinitionsFactory,
) -> dict[str, float]:
    """One set at its nightly size, in its own home under `home`, as headline figures."""
    from mm_assets.operations import nightly_sets

    if set_name == "pii":
        from mm_assets.model_resources import model_resources
        from mm_assets.operations.pii_eval import PII_EVAL_DOCS, run_pii_evaluation

        models = model_resources(settings)
        report = run_pii_evaluation(
            home, out_dir, count=size or PII_EVAL_DOCS, detector=models["pii_detector"], ocr=models["ocr_runner"]
        )
        return pii_figures(report)
    if set_name == "av":
        wer, recall = nightly_sets.run_av_set(home, out_dir, k, size, build_definitions)
        return av_figures(wer, recall, k)
    report = nightly_sets.run_retrieval_set(set_name, home, out_dir, k, size, build_definitions)
    return retrieval_figures(report, k)


def run_eval_sets(
    settings: Settings,
    sizes: Mapping[str, int],
    k: int,
    out_dir: Path,
    build_definitions: DefinitionsFactory,
    context: dg.AssetExecutionContext,
) -> tuple[dict[str, float], dict[str, str], dict[str, dict[str, float]]]:
    """(figures, set -> why it failed, set -> its wall and process-CPU seconds): a set that fails
    leaves the others' figures.

    Each run indexes into its own homes under `$MM_HOME/eval/runs/<run id>`, removed afterwards (the
    figures and every set's files are in `out_dir`): a second report in the same process must not
    reuse a home whose catalog and stores this process still holds open (replacing them under an
    open SQLite connection made the second run's store look altered), and concurrent reports of
    different days must not replace each other's."""
    figures: dict[str, float] = {}
    failed: dict[str, str] = {}
    seconds: dict[str, dict[str, float]] = {}
    home = settings.home / "eval" / "runs" / context.run.run_id
    try:
        for set_name, size in sizes.items():
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                figures |= run_one_set(set_name, size, k, settings, home, out_dir, build_definitions)
            except Exception as exc:  # one broken set must not hide the others' figures
                failed[set_name] = f"{type(exc).__name__}: {exc}"
                context.log.error(f"eval_report: the {set_name} set failed: {failed[set_name]}")
            took = {"wall_s": round(time.perf_counter() - wall, 1), "cpu_s": round(time.process_time() - cpu, 1)}
            seconds[set_name] = took
            context.log.info(f"eval_report: {set_name} (size {size}) took {took['wall_s']} s, {took['cpu_s']} s CPU")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return figures, failed, seconds


def read_baseline(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def settle_baseline(
    baseline: dict[str, Any] | None, figures: Mapping[str, float], sizes: Mapping[str, int], ran: list[str]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """(the baseline to compare with, the sets whose baseline this report stores, problems): a set with
    no baseline yet stores its figures; one whose baseline ran at another size cannot be compared."""
    if baseline is not None and not isinstance(baseline.get("figures"), dict):
        problem = "the baseline has no sizes (it was stored before they were recorded): delete it to store a new one"
        return {"sizes": {}, "figures": {}}, [], [problem]
    settled = {"sizes": dict((baseline or {}).get("sizes", {})), "figures": dict((baseline or {}).get("figures", {}))}
    stored, problems = [], []
    for set_name in ran:
        if set_name not in settled["sizes"]:
            settled["sizes"][set_name] = sizes[set_name]
            settled["figures"] |= {name: value for name, value in figures.items() if set_of(name) == set_name}
            stored.append(set_name)
        elif settled["sizes"][set_name] != sizes[set_name]:
            problems.append(
                f"{set_name} ran at size {sizes[set_name]} but its baseline at {settled['sizes'][set_name]}: "
                "not comparable; delete the baseline to accept new figures"
            )
    return settled, stored, problems


def missing_figures(figures: Mapping[str, float], baseline: Mapping[str, float], sets: list[str]) -> list[str]:
    """Baseline figures of the sets compared that this report no longer has (a renamed model, a lost kind)."""
    return sorted(name for name in baseline if set_of(name) in sets and name not in figures)


def verdict(
    figures: Mapping[str, float],
    sizes: Mapping[str, int],
    failed: Mapping[str, str],
    baseline: dict[str, Any] | None,
    tolerance: float,
) -> tuple[dict[str, Any], list[str], list[dict[str, Any]], list[str]]:
    """(the settled baseline, sets stored now, regressions, other problems); the check passes when the
    last two are empty."""
    ran = [name for name in sizes if name not in failed]
    settled, stored, problems = settle_baseline(baseline, figures, sizes, ran)
    problems = [f"{name} failed: {why}" for name, why in failed.items()] + problems
    compared = [name for name in ran if name in settled["sizes"] and settled["sizes"][name] == sizes[name]]
    ours = {name: value for name, value in figures.items() if set_of(name) in compared}
    worse = regressions(ours, settled["figures"], tolerance)
    problems += [f"{name} missing (baseline {settled['figures'][name]:.3f})"
                 for name in missing_figures(ours, settled["figures"], compared)]  # fmt: skip
    return settled, stored, worse, problems


def check_reason(worse: list[dict[str, Any]], problems: list[str], tolerance: float) -> str:
    """What the check says (and the alert carries): every regressed figure by name, then the problems."""
    lines = [
        f"{r['figure']} {r['value']:.3f} vs baseline {r['baseline']:.3f} (worse by {r['worse_by']})" for r in worse
    ]
    return "; ".join(lines + problems) or f"every figure within {tolerance} of the baseline"


def build_eval_report(
    settings: Settings, build_definitions: DefinitionsFactory
) -> tuple[dg.AssetsDefinition, Any, dg.ScheduleDefinition]:
    """The asset (with its regression check), its job, and the nightly schedule (running by default)."""

    @dg.asset(
        name=EVAL_ASSET,
        partitions_def=eval_days,
        group_name="observability",
        kinds={"polars"},
        # partitioned like the asset, so the verdict and its alert name the day they are about
        check_specs=[dg.AssetCheckSpec(REGRESSION_CHECK, asset=EVAL_ASSET, partitions_def=eval_days)],
        description="Nightly regression: retrieval, page, PII and audio/video evaluation sets against the "
        f"stored baseline ($MM_HOME/eval/baseline.json, tolerance {settings.eval_tolerance}).",
    )
    def eval_report(context: dg.AssetExecutionContext, config: EvalReportConfig) -> dg.MaterializeResult:
        sizes = report_sizes(settings, config)
        out_dir = settings.home / "reports" / EVAL_ASSET / context.partition_key
        figures, failed, seconds = run_eval_sets(settings, sizes, config.k, out_dir, build_definitions, context)
        baseline_path = settings.home / "eval" / "baseline.json"
        baseline, stored, worse, problems = verdict(
            figures, sizes, failed, read_baseline(baseline_path), settings.eval_tolerance
        )
        if stored:  # the first report of a set is its baseline
            baseline_path.parent.mkdir(parents=True, exist_ok=True)
            baseline_path.write_text(json.dumps(baseline, indent=2, sort_keys=True))
        table = report_table(figures, baseline["figures"])
        out_dir.mkdir(parents=True, exist_ok=True)
        csv_path = out_dir / "eval_report.csv"
        table.write_csv(csv_path)
        chart = report_chart(table, out_dir / "eval_report.png", f"nightly evaluation {context.partition_key}")
        reason = check_reason(worse, problems, settings.eval_tolerance)
        return dg.MaterializeResult(
            metadata={
                "figures": dg.MetadataValue.json(figures),
                "table": dg.MetadataValue.md(_markdown(table)),
                "sizes": dg.MetadataValue.json(sizes),
                "seconds": dg.MetadataValue.json(seconds),
                "failed_sets": dg.MetadataValue.json(failed),
                "baseline_stored_for": dg.MetadataValue.json(stored),
                "csv": str(csv_path),
                "chart": str(chart),
                "baseline": str(baseline_path),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=REGRESSION_CHECK,
                    passed=not worse and not problems,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={
                        "reason": reason,
                        "regressions": dg.MetadataValue.json(worse),
                        "problems": dg.MetadataValue.json(problems),
                    },
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
