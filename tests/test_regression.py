"""The nightly regression evaluation: eval_report (daily partitions), its schedule, and the check that
fails, and alerts, when a figure regresses past the tolerance from the stored baseline."""

from __future__ import annotations

import json

import dagster as dg
import polars as pl

from mm_assets.definitions import build_definitions, build_location
from mm_assets.operations.regression import EVAL_JOB, REGRESSION_CHECK, regressions
from mm_assets.orchestration.alerts import alerts_for_finished_runs
from mm_assets.orchestration.instance import get_instance

DAY = "2026-12-01"  # the last whole day: a daily partition exists once its day is over
PII_ONLY = {"ops": {"eval_report": {"config": {"sets": ["pii"], "pii_docs": 3}}}}


def check_result(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.check_name == REGRESSION_CHECK
    return evaluation


def test_the_location_schedules_it_nightly_by_default_and_mm_commands_leave_it_alone(mm_settings):
    location = build_location(mm_settings)
    schedule = location.resolve_schedule_def(f"{EVAL_JOB}_schedule")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.cron_schedule == "0 2 * * *" and schedule.job_name == EVAL_JOB
    graph_job = location.resolve_job_def("mm_graph")
    assert dg.AssetKey("eval_report") not in graph_job.asset_layer.selected_asset_keys
    assert dg.AssetKey("eval_report") not in build_definitions(mm_settings).resolve_asset_graph().get_all_asset_keys()


def test_a_regression_past_the_tolerance_fails_the_check_and_alerts(mm_settings):
    settings = mm_settings.with_overrides(eval_tolerance=0.05)
    instance = get_instance(settings)
    job = build_location(settings).resolve_job_def(EVAL_JOB)

    first = job.execute_in_process(partition_key=DAY, run_config=PII_ONLY, instance=instance)
    baseline_path = settings.home / "eval" / "baseline.json"
    baseline = json.loads(baseline_path.read_text())
    assert first.success and check_result(first).passed  # the first report is the baseline
    assert {"pii.recall.person", "pii.recall.all"} <= set(baseline)
    report = settings.home / "reports" / "eval_report" / DAY
    table = pl.read_csv(report / "eval_report.csv")
    assert set(table["figure"]) == set(baseline) and (report / "eval_report.png").stat().st_size > 1000

    # a baseline the redactor cannot reach: the same figures are now a regression past the tolerance
    baseline_path.write_text(json.dumps({name: value + 0.2 for name, value in baseline.items()}))
    second = job.execute_in_process(partition_key=DAY, run_config=PII_ONLY, instance=instance)
    evaluation = check_result(second)
    assert second.success and not evaluation.passed
    assert "pii.recall.all" in evaluation.metadata["reason"].value
    alerts, _ = alerts_for_finished_runs(instance, None, set())
    failed = [a for a in alerts if a["type"] == "asset_check_failed" and a["asset"] == "eval_report"]
    assert [a["run_id"] for a in failed] == [second.run_id] and failed[0]["check"] == REGRESSION_CHECK


def test_word_error_rate_regresses_upward_and_recall_downward():
    baseline = {"av.wer.whisper": 0.10, "mixed.recall@10": 0.90, "pii.recall.person": 0.95}
    figures = {"av.wer.whisper": 0.20, "mixed.recall@10": 0.95, "pii.recall.person": 0.90}
    found = regressions(figures, baseline, tolerance=0.02)
    assert [(r["figure"], r["worse_by"]) for r in found] == [("av.wer.whisper", 0.1), ("pii.recall.person", 0.05)]
    assert regressions({"av.wer.whisper": 0.05, "mixed.recall@10": 0.89}, baseline, tolerance=0.02) == []
