"""The nightly regression evaluation: eval_report (daily partitions), its schedule, and the check that
fails, and alerts, when a figure regresses past the tolerance from the stored baseline."""

from __future__ import annotations

import json

import dagster as dg
import polars as pl
import pytest

from mm_assets.definitions import build_definitions, build_location
from mm_assets.operations.evaluation_base import EvalQuery, EvalSet
from mm_assets.operations.nightly_sets import shrink_set
from mm_assets.operations.regression import (
    EVAL_ASSET,
    EVAL_JOB,
    EVAL_SETS,
    NIGHTLY_SIZES,
    REGRESSION_CHECK,
    EvalReportConfig,
    check_reason,
    regressions,
    report_sizes,
    set_of,
    verdict,
)
from mm_assets.orchestration.instance import get_instance
from mm_assets.settings import SettingsError, load_settings

DAY = "2026-12-01"  # the last whole day: a daily partition exists once its day is over
# Every part on its smallest useful size: a photo, a textile and a document; one PDF excerpt; two PII
# documents; a recording and a video. The figures are real, just from few items.
TINY = {"mixed": 3, "pages": 1, "pii": 2, "av": 2}


def run_report(location: dg.Definitions, instance: dg.DagsterInstance, sets: list[str]) -> dg.ExecuteInProcessResult:
    config = {"sets": sets, "sizes": {name: TINY[name] for name in sets}}
    job = location.resolve_job_def(EVAL_JOB)
    return job.execute_in_process(
        partition_key=DAY, run_config={"ops": {"eval_report": {"config": config}}}, instance=instance
    )


def check_result(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.check_name == REGRESSION_CHECK
    return evaluation


def report_alerts(location: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None) -> tuple[list, str]:
    """One tick of the location's own alert sensor: the eval_report alerts it wrote to the sink, and its cursor."""
    sensor, sink = location.resolve_sensor_def("alert_sensor"), location.resources["alert_sink"]
    before = len(sink.read())
    with dg.build_sensor_context(instance=instance, resources={"alert_sink": sink}, cursor=cursor) as context:
        result = sensor(context)
    return [alert for alert in sink.read()[before:] if alert["asset"] == EVAL_ASSET], result.cursor


def test_the_location_schedules_it_nightly_by_default_and_mm_commands_leave_it_alone(mm_settings):
    location = build_location(mm_settings)
    schedule = location.resolve_schedule_def(f"{EVAL_JOB}_schedule")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.cron_schedule == "0 2 * * *" and schedule.job_name == EVAL_JOB
    graph_job = location.resolve_job_def("mm_graph")
    assert dg.AssetKey("eval_report") not in graph_job.asset_layer.selected_asset_keys
    assert dg.AssetKey("eval_report") not in build_definitions(mm_settings).resolve_asset_graph().get_all_asset_keys()


@pytest.mark.slow
def test_the_nightly_report_runs_every_part_and_a_regression_fails_the_check_and_alerts(mm_settings):
    settings = mm_settings.with_overrides(eval_tolerance=0.05)
    instance = get_instance(settings)
    location = build_location(settings)

    first = run_report(location, instance, list(EVAL_SETS))
    assert first.success and check_result(first).passed  # each part's first report is its baseline
    metadata = first.asset_materializations_for_node(EVAL_ASSET)[0].metadata
    assert metadata["failed_sets"].value == {} and sorted(metadata["baseline_stored_for"].value) == sorted(EVAL_SETS)
    baseline_path = settings.home / "eval" / "baseline.json"
    baseline = json.loads(baseline_path.read_text())
    figures = baseline["figures"]
    assert baseline["sizes"] == TINY and {set_of(name) for name in figures} == set(EVAL_SETS)
    wer = next(name for name in figures if name.startswith("av.wer.whisper") and name.endswith("[graph]"))
    expected = {"mixed.recall@1", "mixed.recall@10", "mixed.map", "pages.map", "pages.page_recall@1", "pages.box_iou"}
    expected |= {"pii.recall.all", "av.recall@1.spoken", "av.recall@10.visual", "av.time_hit_rate.all"}
    assert expected <= set(figures)
    assert all(0 <= value <= 1 for value in figures.values()) and figures[wer] < 0.5
    report = settings.home / "reports" / EVAL_ASSET / DAY
    table = pl.read_csv(report / "eval_report.csv")
    assert set(table["figure"]) == set(figures) and table["change"].abs().max() == 0
    assert (report / "eval_report.png").stat().st_size > 1000
    assert {"eval-mixed.csv", "eval-pages-pages.csv", "eval-pii.csv", "eval-av.json"} <= {
        p.name for p in report.iterdir()
    }
    assert list((settings.home / "eval" / "runs").iterdir()) == []  # each run's homes go with it
    alerts, cursor = report_alerts(location, instance, None)
    assert alerts == []

    # plant a better past: the graph's ASR once made no errors. WER rising is the regression (PII,
    # run again beside it, still matches its baseline and is not named).
    baseline_path.write_text(json.dumps({**baseline, "figures": {**figures, wer: 0.0}}))
    second = run_report(location, instance, ["pii", "av"])
    evaluation = check_result(second)
    assert second.success and not evaluation.passed
    assert [r["figure"] for r in evaluation.metadata["regressions"].value] == [wer]
    assert evaluation.metadata["reason"].value.startswith(f"{wer} {figures[wer]:.3f} vs baseline 0.000")
    alerts, cursor = report_alerts(location, instance, cursor)
    assert [(a["type"], a["check"], a["partition"], a["run_id"]) for a in alerts] == [
        ("asset_check_failed", REGRESSION_CHECK, DAY, second.run_id)
    ]
    assert wer in alerts[0]["message"] and "pii." not in alerts[0]["message"]
    on_file = [json.loads(line) for line in (settings.home / "alerts.jsonl").read_text().splitlines()]
    assert [a["run_id"] for a in on_file if a["asset"] == EVAL_ASSET] == [second.run_id]

    # the true baseline back: a re-run reproduces its figures within the tolerance and passes, no alert
    baseline_path.write_text(json.dumps(baseline))
    third = run_report(location, instance, ["pii"])
    assert third.success and check_result(third).passed
    assert report_alerts(location, instance, cursor)[0] == []


def test_a_set_that_fails_a_lost_figure_or_another_size_fail_the_check_a_new_set_stores_its_baseline():
    baseline = {"sizes": {"mixed": 9, "pii": 6}, "figures": {"mixed.recall@10": 0.9, "pii.recall.all": 1.0}}
    figures = {"mixed.recall@10": 0.89, "av.wer.whisper": 0.1}
    sizes = {"mixed": 9, "pii": 6, "av": 3}
    settled, stored, worse, problems = verdict(figures, sizes, {"pii": "OSError: no OCR"}, baseline, 0.02)
    assert stored == ["av"] and settled["figures"]["av.wer.whisper"] == 0.1 and settled["sizes"]["av"] == 3
    assert worse == [] and problems == ["pii failed: OSError: no OCR"]  # pii's baseline is kept, not compared

    _, _, _, problems = verdict({"pii.recall.all": 1.0}, {"mixed": 9, "pii": 6}, {}, baseline, 0.02)
    assert problems == ["mixed.recall@10 missing (baseline 0.900)"]
    _, _, _, problems = verdict({"mixed.recall@10": 0.9}, {"mixed": 3}, {}, baseline, 0.02)
    assert problems[0].startswith("mixed ran at size 3 but its baseline at 9: not comparable")
    _, stored, _, problems = verdict({"pii.recall.all": 1.0}, {"pii": 6}, {}, {"pii.recall.all": 1.0}, 0.02)
    assert stored == [] and "delete it" in problems[0]  # a baseline from before sizes were kept
    assert check_reason([], [], 0.02) == "every figure within 0.02 of the baseline"


def test_sizes_come_from_the_run_config_then_mm_eval_sizes_then_the_nightly_defaults(mm_settings):
    settings = mm_settings.with_overrides(eval_sizes="pii=4,av=0")
    sizes = report_sizes(settings, EvalReportConfig(sizes={"pii": 1}))
    assert sizes == {**NIGHTLY_SIZES, "pii": 1, "av": 0}
    with pytest.raises(ValueError, match="count >= 0"):
        report_sizes(settings, EvalReportConfig(sizes={"pii": -1}))
    with pytest.raises(ValueError, match="unknown evaluation set"):
        report_sizes(settings, EvalReportConfig(sets=["photos"]))
    with pytest.raises(SettingsError, match="MM_EVAL_SIZES"):
        load_settings({"MM_HOME": str(mm_settings.home), "MM_EVAL_SIZES": "pii=some"})


def test_a_small_set_takes_items_from_each_part_in_turn_and_keeps_only_answerable_queries(tmp_path):
    parts = {
        "skimage": ["skimage/a", "skimage/b"],
        "textile": ["textile/x/1", "textile/x/2"],
        "documents": ["documents/d"],
    }
    files = {name: tmp_path / name for names in parts.values() for name in names}
    queries = (
        EvalQuery("q-b", "b", frozenset({"skimage/b"}), "skimage"),
        EvalQuery("q-x", "x", frozenset({"textile/x/1", "textile/x/2"}), "textile"),
        EvalQuery("q-d", "d", frozenset({"documents/d"}), "documents"),
    )
    small = shrink_set(EvalSet("mixed", files, queries), 4)
    assert list(small.files) == ["skimage/a", "skimage/b", "textile/x/1", "documents/d"]
    assert {q.query_id: q.relevant for q in small.queries} == {
        "q-b": frozenset({"skimage/b"}),
        "q-x": frozenset({"textile/x/1"}),  # relevance narrowed to what was indexed
        "q-d": frozenset({"documents/d"}),
    }
    assert shrink_set(EvalSet("mixed", files, queries), 0).files == files
    assert [q.query_id for q in shrink_set(EvalSet("mixed", files, queries), 1).queries] == []


def test_word_error_rate_regresses_upward_and_recall_downward():
    baseline = {"av.wer.whisper": 0.10, "mixed.recall@10": 0.90, "pii.recall.person": 0.95}
    figures = {"av.wer.whisper": 0.20, "mixed.recall@10": 0.95, "pii.recall.person": 0.90}
    found = regressions(figures, baseline, tolerance=0.02)
    assert [(r["figure"], r["worse_by"]) for r in found] == [("av.wer.whisper", 0.1), ("pii.recall.person", 0.05)]
    assert regressions({"av.wer.whisper": 0.05, "mixed.recall@10": 0.89}, baseline, tolerance=0.02) == []
