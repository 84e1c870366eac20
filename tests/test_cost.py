"""Cost accounting per step, `mm cost`, daily tenant budgets that hold (never fail) partitions, and
the catalog migration that adds them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from mm_assets.cli import EXIT_OK, EXIT_USAGE, main
from mm_assets.definitions import build_definitions
from mm_assets.kinds.processing_event import build_event
from mm_assets.orchestration.budgets import BudgetGate, set_budget, tenants_of
from mm_assets.orchestration.instance import get_instance
from mm_assets.settings import SettingsError, load_settings
from resources.catalog import (
    MIGRATIONS,
    CatalogResource,
    create_catalog_engine,
    migrate,
    processing_step,
    schema_version,
    utcnow,
)
from tests.conftest import distinct_images, write_image

PAGES_PRICE = 0.25  # USD per image for the `pages` kind in these tests: spending is predictable


@pytest.fixture
def mm_env(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "mm_home"
    monkeypatch.setenv("MM_HOME", str(home))
    monkeypatch.setenv("MM_PRICE_UNITS", f"pages={PAGES_PRICE}")
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_ALERT_WEBHOOK"):
        monkeypatch.delenv(var, raising=False)
    return home


def mm(capsys, *argv: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def steps(home: Path) -> list[dict]:
    catalog = CatalogResource(url=load_settings({"MM_HOME": str(home)}).catalog_url)
    with catalog.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.select(processing_step))]


def budget_alerts(home: Path) -> list[dict]:
    path = home / "alerts.jsonl"
    alerts = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [alert for alert in alerts if alert["type"].startswith("budget")]


def test_each_step_records_cpu_seconds_units_model_calls_and_its_price(mm_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MM_PRICE_CPU_SECOND", "0.01")
    write_image(tmp_path / "in" / "white.png", size=(320, 80), color=(255, 255, 255))
    write_image(tmp_path / "in" / "red.png")
    assert mm(capsys, "ingest", str(tmp_path / "in"), "--tenant", "acme")[0] == EXIT_OK

    code, report = mm(capsys, "materialize", "--select", "source_media,pages,ocr")
    assert code == EXIT_OK and len(report["materialized"]) == 2

    rows = [row for row in steps(mm_env) if row["outcome"] == "ok"]
    by_step: dict[str, list[dict]] = {}
    for row in rows:
        by_step.setdefault(row["step"], []).append(row)
    assert sorted(by_step) == ["ocr", "pages"]
    for row in rows:
        assert row["tenant_id"] == "acme" and row["modality"] == "image"
        assert row["cpu_s"] > 0 and row["units"] == 1.0 and row["unit"] == "images"
        unit_price = PAGES_PRICE if row["step"] == "pages" else 0.0
        assert row["cost_usd"] == pytest.approx(row["cpu_s"] * 0.01 + unit_price, rel=1e-3, abs=1e-7)
    assert all(row["model_calls"] == 1 for row in by_step["ocr"])  # one recognize_pages per image
    assert all(row["model_calls"] == 0 for row in by_step["pages"])  # rendering calls no model

    code, by_kind = mm(capsys, "cost", "--global", "--by", "kind", "--png", str(tmp_path / "cost.png"))
    assert code == EXIT_OK and Path(by_kind["png"]).stat().st_size > 1000
    kinds = {row["kind"]: row for row in by_kind["rows"]}
    assert kinds["pages"]["cost_usd"] == pytest.approx(sum(r["cost_usd"] for r in by_step["pages"]), rel=1e-6)
    assert kinds["ocr"]["sources"] == 2 and kinds["ocr"]["units"] == {"images": 2.0}
    assert kinds["ocr"]["cpu_seconds"] == pytest.approx(sum(r["cpu_s"] for r in by_step["ocr"]), rel=1e-3)
    # grouped by tenant, a source's images count once, not once per kind that read them
    code, by_tenant = mm(capsys, "cost", "--tenant", "acme")
    assert [(row["tenant"], row["sources"], row["units"]) for row in by_tenant["rows"]] == [
        ("acme", 2, {"images": 2.0})
    ]
    assert by_tenant["total_usd"] == pytest.approx(by_kind["total_usd"], rel=1e-6)
    _, by_day = mm(capsys, "cost", "--global", "--by", "day", "--since", utcnow().date().isoformat())
    assert [row["day"] for row in by_day["rows"]] == [utcnow().date().isoformat()]
    _, tomorrow = mm(capsys, "cost", "--global", "--since", (utcnow() + timedelta(days=1)).date().isoformat())
    assert tomorrow["rows"] == [] and tomorrow["total_usd"] == 0

    # the source's processing event adds its steps up
    source = CatalogResource(url=load_settings({"MM_HOME": str(mm_env)}).catalog_url).source_rows(
        [by_step["ocr"][0]["source_hash"]]
    )[by_step["ocr"][0]["source_hash"]]
    own = [row for row in rows if row["source_hash"] == source["content_hash"]]
    event = build_event(source, own[0]["run_id"], own, 0, ["pages", "ocr"])
    assert event["cost_usd"] == pytest.approx(sum(row["cost_usd"] for row in own), abs=1e-8)
    assert event["model_calls"] == 1 and event["cpu_seconds"] > 0
    ocr_step = next(step for step in event["steps"] if step["step"] == "ocr")
    assert ocr_step["unit"] == "images" and ocr_step["cost_usd"] > 0 and ocr_step["cpu_s"] > 0


def test_a_tenant_over_budget_is_held_not_failed_others_proceed_and_it_resumes_losing_nothing(
    mm_env, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("MM_RUN_BATCH_SIZE", "2")
    acme = distinct_images(tmp_path / "acme", 4)
    beta = distinct_images(tmp_path / "beta", 2, start=100)
    mm(capsys, "ingest", *map(str, acme), "--tenant", "acme")
    mm(capsys, "ingest", *map(str, beta), "--tenant", "beta")
    code, listed = mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", "0.5")
    assert code == EXIT_OK and listed["budgets"][0]["held"] is None
    select = ("--select", "source_media,pages")

    # batches of two: acme's first batch spends 2 x 0.25 = its whole budget, its second is held
    code, first = mm(capsys, "materialize", *select)
    assert code == EXIT_OK and first["failed"] == []
    held = {item["content_hash"]: item for item in first["held"]}
    assert len(held) == 2 and {item["held"] for item in held.values()} == {"over_budget"}
    assert {item["tenant_id"] for item in held.values()} == {"acme"}
    catalog = CatalogResource(url=load_settings({"MM_HOME": str(mm_env)}).catalog_url)
    owners = tenants_of(catalog, first["materialized"])
    assert sorted(owners.values()) == ["acme", "acme", "beta", "beta"]  # beta ran in the same call
    alerts = budget_alerts(mm_env)
    assert [(a["type"], a["tenant"], a["check"]) for a in alerts] == [
        ("budget_warning", "acme", "daily_budget_80"),
        ("budget_exceeded", "acme", "daily_budget_100"),
    ]

    instance = get_instance(load_settings({"MM_HOME": str(mm_env)}))  # what the UI shows on processing_event
    observed = instance.fetch_observations(dg.AssetKey("processing_event"), limit=5).records
    shown = observed[0].asset_observation.metadata
    assert (shown["held"].value, shown["tenant"].value, shown["partitions_held"].value) == ("over_budget", "acme", 2)

    code, status = mm(capsys, "status", "--global")
    assert status["assets"]["pages"]["missing"] == 2 and status["assets"]["pages"]["failed"] == 0
    # every acme partition still lacks the kinds not selected here (ocr, caption, ...): all four wait
    assert [(h["tenant_id"], h["held"], h["partitions_waiting"]) for h in status["held"]] == [
        ("acme", "over_budget", 4)
    ]
    code, again = mm(capsys, "materialize", "--missing", *select)
    assert set(item["content_hash"] for item in again["held"]) == set(held) and again["materialized"] == []
    assert len(budget_alerts(mm_env)) == 2  # each level once a day

    # the next day the same budget lets the held partitions through
    tomorrow = BudgetGate(catalog, now=lambda: utcnow() + timedelta(days=1))
    assert tomorrow.split(sorted(held)) == (sorted(held), {})

    mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", "10")
    code, resumed = mm(capsys, "materialize", "--missing", *select)
    assert code == EXIT_OK and sorted(resumed["materialized"]) == sorted(held) and resumed["held"] == []
    code, status = mm(capsys, "status", "--global")
    assert status["held"] == [] and status["assets"]["pages"]["missing"] == 0
    assert status["assets"]["pages"]["materialized"] == 6
    pages = [row for row in steps(mm_env) if row["step"] == "pages"]
    assert len(pages) == 6 and {row["outcome"] for row in pages} == {"ok"}  # no step failed or repeated
    code, listed = mm(capsys, "budget", "list", "--global")
    acme_budget = next(b for b in listed["budgets"] if b["tenant_id"] == "acme")
    assert acme_budget["spent_today_usd"] >= 4 * PAGES_PRICE and acme_budget["held"] is None


def test_bad_budgets_and_prices_are_refused_with_a_clear_message(mm_env, capsys):
    assert main(["budget", "set", "--tenant", "acme", "--daily-usd", "-1"]) == EXIT_USAGE
    assert "--daily-usd must be a number >= 0" in capsys.readouterr().err
    assert main(["budget", "set", "--daily-usd", "3"]) == EXIT_USAGE
    with pytest.raises(SettingsError, match="MM_PRICE_UNITS.*kind=usd_per_unit"):
        load_settings({"MM_HOME": str(mm_env), "MM_PRICE_UNITS": "ocr:0.1"})
    prices = load_settings({"MM_PRICE_UNITS": "ocr=0.001, transcript=0.5", "MM_PRICE_CPU_SECOND": "2"}).prices
    assert prices.cost_usd("transcript", 0.5, 10) == pytest.approx(1 + 5)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_4_adds_cost_columns_and_budget_tables_to_an_older_catalog(backend, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engine = create_catalog_engine(url)
    with engine.begin() as conn:  # a catalog at version 2, made before the cost columns existed
        conn.execute(
            sa.text("CREATE TABLE processing_step (step_id VARCHAR(36) PRIMARY KEY, ms FLOAT, created_at TIMESTAMP)")
        )
        conn.execute(sa.text("CREATE TABLE search_audit (audit_id VARCHAR(36) PRIMARY KEY)"))
        schema_version.create(conn)
        for version, description, _apply in MIGRATIONS[:2]:
            conn.execute(schema_version.insert().values(version=version, description=description, applied_at=utcnow()))
    assert migrate(engine)[:3] == [3, 4, 5]  # 3: the API's keys, 4: cost accounting, 5: keyed audit hashes
    inspector = sa.inspect(engine)
    columns = {c["name"] for c in inspector.get_columns("processing_step")}
    assert {"tenant_id", "modality", "cpu_s", "units", "unit", "model_calls", "cost_usd"} <= columns
    assert "stage_ms" in {c["name"] for c in inspector.get_columns("search_audit")}
    assert {"tenant_budget", "budget_alert"} <= set(inspector.get_table_names())
    assert "ix_step_tenant_day" in {i["name"] for i in inspector.get_indexes("processing_step")}
    assert migrate(engine) == []
    engine.dispose()


def test_mm_report_plots_input_quality_rates_latency_and_cost_per_tenant(mm_env, tmp_path, capsys):
    distinct_images(tmp_path / "acme", 2)
    (tmp_path / "acme" / "notes.png").write_text("not an image")
    distinct_images(tmp_path / "beta", 1, start=50)
    mm(capsys, "ingest", str(tmp_path / "acme"), "--tenant", "acme")
    mm(capsys, "ingest", str(tmp_path / "beta"), "--tenant", "beta")
    _, report = mm(capsys, "materialize", "--select", "source_media,pages")
    mm(capsys, "materialize", "--select", "processing_event", "--partitions", *report["materialized"])

    code, dashboard = mm(capsys, "report", "--global", "--out", str(tmp_path / "dash"))
    assert code == EXIT_OK
    assert sorted(dashboard["plots"]) == [
        "cost_per_tenant_day",
        "input_quality",
        "review_conflict_rate",
        "step_latency",
    ]
    assert all(Path(path).stat().st_size > 1000 for path in dashboard["plots"].values())
    quality = {(row["tenant"], row["outcome"]): row["files"] for row in dashboard["input_quality"]}
    assert quality == {("acme", "accepted"): 2, ("acme", "unsupported_type"): 1, ("beta", "accepted"): 1}
    assert [(row["events"], row["review_rate"], row["conflict_rate"]) for row in dashboard["rates"]] == [(3, 0.0, 0.0)]
    assert {row["step"] for row in dashboard["step_latency"]} == {"pages"}
    costs = {row["tenant"]: row["cost_usd"] for row in dashboard["cost_per_tenant_day"]}
    assert costs["acme"] >= 2 * PAGES_PRICE and PAGES_PRICE <= costs["beta"] < 2 * PAGES_PRICE


def test_a_webhook_outage_does_not_stop_a_batch_and_the_alert_stays_in_the_file(catalog, tmp_path):
    from resources.alert_sink import AlertSink
    from resources.catalog import new_id

    set_budget(catalog, "acme", 1.0, "test")
    step = {"step_id": new_id(), "run_id": "r", "source_hash": "h" * 64, "step": "ocr", "outcome": "ok", "ms": 5.0}
    catalog.insert_rows(processing_step, [{**step, "created_at": utcnow(), "tenant_id": "acme", "cost_usd": 0.9}])
    sink = AlertSink(path=str(tmp_path / "alerts.jsonl"), webhook_url="http://127.0.0.1:9/")  # nothing listens
    spends = BudgetGate(catalog, send_alert=sink.send).review()
    assert [(s.tenant_id, round(s.percent)) for s in spends] == [("acme", 90)]
    assert [alert["check"] for alert in sink.read()] == ["daily_budget_80"]


def test_the_landing_sensor_registers_an_over_budget_tenants_files_but_runs_none_and_alerts_each_level_once(
    mm_settings, tmp_path
):
    from resources.catalog import new_id
    from tests.test_sensor import tick

    landing = tmp_path / "landing"
    settings = mm_settings.with_overrides(landing=landing, default_tenant="acme")  # the sensor ingests as acme
    defs, instance = build_definitions(settings), get_instance(settings)
    catalog = CatalogResource(url=settings.catalog_url)
    set_budget(catalog, "acme", 1.0, "test")

    def spend(usd: float) -> None:
        step = {"step_id": new_id(), "run_id": "r", "source_hash": "h" * 64, "step": "ocr", "outcome": "ok"}
        catalog.insert_rows(
            processing_step, [{**step, "ms": 5.0, "created_at": utcnow(), "tenant_id": "acme", "cost_usd": usd}]
        )

    def land(count: int, start: int, cursor: str | None) -> dg.SensorResult:
        distinct_images(landing, count, start=start)
        return tick(defs, instance, cursor)

    spend(0.85)  # 85%: warned, still under the cap, so its files run
    warned = land(2, 0, None)
    assert len(warned.run_requests) == 1 and [a["type"] for a in budget_alerts(settings.home)] == ["budget_warning"]
    spend(0.2)  # 105%: the next files are registered (nothing lost) but no run is requested for them
    held = land(3, 10, warned.cursor)
    keys = list(held.dynamic_partitions_requests[0].partition_keys)
    assert len(keys) == 3 and held.run_requests == [] and sorted(tenants_of(catalog, keys).values()) == ["acme"] * 3
    still = land(1, 20, held.cursor)
    assert still.run_requests == []
    assert [(a["type"], a["tenant"]) for a in budget_alerts(settings.home)] == [  # each level once a day
        ("budget_warning", "acme"),
        ("budget_exceeded", "acme"),
    ]

    set_budget(catalog, "acme", 5.0, "test")  # raised: the tenant's next files run again
    assert len(land(1, 30, still.cursor).run_requests) == 1


def test_mm_stats_search_gives_p50_and_p95_per_stage_since_a_day(mm_env, capsys):
    from resources.catalog import new_id, search_audit

    catalog = CatalogResource(url=load_settings({"MM_HOME": str(mm_env)}).catalog_url)
    rows = [
        {"audit_id": new_id(), "at": utcnow(), "who": "t", "tenant_id": "acme", "query_hash": "0" * 64,
         "result_ids": [], "scores": [], "stage_ms": {"encode": float(ms), "total": 2.0 * ms}}
        for ms in range(1, 21)
    ]  # fmt: skip
    rows.append({**rows[0], "audit_id": new_id(), "stage_ms": None})  # from before stages were timed
    catalog.insert_rows(search_audit, rows)
    code, stats = mm(capsys, "stats", "search", "--global")
    assert code == EXIT_OK and stats["count"] == 20
    assert stats["stages"]["encode"] == {"p50_ms": 10.5, "p95_ms": 19.05, "count": 20}
    assert stats["stages"]["total"]["p95_ms"] == pytest.approx(38.1)
    _, later = mm(capsys, "stats", "search", "--global", "--since", (utcnow() + timedelta(days=1)).date().isoformat())
    assert later == {"count": 0, "stages": {}}


def test_a_run_launched_outside_mm_holds_an_over_budget_tenants_partitions_and_the_sensor_reruns_the_others(
    mm_env, tmp_path, capsys
):
    """What a UI backfill or any run Dagster launches meets: every kind's step checks the budgets of its
    range before any work. A range mixing tenants makes nothing (Dagster materializes a run's whole range
    or none of it), fails nothing, and says which partitions are held; `rerun_unheld_partitions` runs the
    others again; the held ones resume with `mm materialize --missing` once the budget is raised."""
    beta = distinct_images(tmp_path / "beta", 2, start=100)
    acme = distinct_images(tmp_path / "acme", 2)
    _, beta_in = mm(capsys, "ingest", *map(str, beta), "--tenant", "beta")
    _, acme_in = mm(capsys, "ingest", *map(str, acme), "--tenant", "acme")
    beta_keys = [item["content_hash"] for item in beta_in["accepted"]]
    acme_keys = [item["content_hash"] for item in acme_in["accepted"]]
    mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", "0")  # nothing may be spent today
    settings = load_settings()
    defs, instance = build_definitions(settings), get_instance(settings)
    job, selection = defs.resolve_implicit_global_asset_job_def(), [dg.AssetKey("source_media"), dg.AssetKey("pages")]
    from mm_assets.orchestration.sensors import partition_range_tags

    # one run over the four partitions (beta's, then acme's), launched as Dagster launches a backfill's run
    run = job.execute_in_process(
        instance=instance, asset_selection=selection, tags=partition_range_tags(beta_keys + acme_keys)
    )
    assert run.success
    assert [e for e in run.all_events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION] == []
    skipped = {e.step_key for e in run.all_events if e.event_type == dg.DagsterEventType.STEP_SKIPPED}
    assert "pages" in skipped and "source_media" not in skipped  # downstream of the held step is skipped
    observed = instance.fetch_observations(dg.AssetKey("source_media"), limit=10).records
    held = {r.partition_key: r.asset_observation.metadata for r in observed}
    assert sorted(held) == sorted(acme_keys)  # shown on each held partition in the UI
    assert {(m["held"].value, m["tenant"].value) for m in held.values()} == {("over_budget", "acme")}
    assert steps(mm_env) == []  # no work done, nothing charged
    _, status = mm(capsys, "status", "--global")
    assert status["assets"]["source_media"]["missing"] == 4 and status["assets"]["source_media"]["failed"] == 0
    assert [a["check"] for a in budget_alerts(mm_env)] == ["daily_budget_80", "daily_budget_100"]

    success = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS).records[0]
    context = dg.build_run_status_sensor_context(
        sensor_name="rerun_unheld_partitions",
        dagster_event=success.event_log_entry.dagster_event,
        dagster_instance=instance,
        dagster_run=run.dagster_run,
    )
    [request] = defs.resolve_sensor_def("rerun_unheld_partitions")(context)
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) == (
        beta_keys[0],
        beta_keys[-1],
    )
    assert sorted(request.asset_selection) == sorted(selection)
    rerun = job.execute_in_process(instance=instance, asset_selection=request.asset_selection, tags=request.tags)
    assert rerun.success and instance.get_materialized_partitions(dg.AssetKey("pages")) == set(beta_keys)

    mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", "10")
    code, resumed = mm(capsys, "materialize", "--missing", "--select", "source_media,pages")
    assert code == EXIT_OK and sorted(resumed["materialized"]) == sorted(acme_keys) and resumed["held"] == []
    pages = [row for row in steps(mm_env) if row["step"] == "pages"]
    assert sorted(row["source_hash"] for row in pages) == sorted(beta_keys + acme_keys)  # each made once
    instance.dispose()


def test_mm_holds_the_rest_of_a_batch_when_its_tenant_crosses_the_budget_during_the_run(mm_env, tmp_path, capsys):
    """The budget is checked before each step, not only before each batch: a tenant whose `pages` step
    spends its whole budget has `ocr` held in the same run, and `mm materialize` reports it held."""
    acme = distinct_images(tmp_path / "acme", 2)
    mm(capsys, "ingest", *map(str, acme), "--tenant", "acme")
    mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", str(2 * PAGES_PRICE))
    code, report = mm(capsys, "materialize", "--select", "source_media,pages,ocr")
    assert code == EXIT_OK and report["failed"] == [] and report["materialized"] == []
    assert sorted(item["content_hash"] for item in report["held"]) == sorted(
        row["source_hash"] for row in steps(mm_env) if row["step"] == "pages"
    )
    _, status = mm(capsys, "status", "--global")
    assert (status["assets"]["pages"]["materialized"], status["assets"]["ocr"]["missing"]) == (2, 2)
    assert status["assets"]["ocr"]["failed"] == 0 and not [r for r in steps(mm_env) if r["step"] == "ocr"]


@pytest.mark.slow
def test_on_the_run_queue_a_tenant_crossing_its_budget_is_held_within_the_same_materialize(
    mm_env, tmp_path, capsys, monkeypatch
):
    """Through a real dagster-daemon: `mm materialize` submits its runs in waves (one in flight here)
    and checks each batch's tenant just before submitting it, so acme's second batch is held after its
    first spent the budget, beta's runs, and raising the budget resumes acme losing nothing."""
    from tests.test_scale_out import running_daemon

    for name, value in {"MM_RUN_COORDINATOR": "queued", "MM_EXECUTOR": "in_process"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MM_MAX_CONCURRENT_RUNS", "1")
    monkeypatch.setenv("MM_RUN_BATCH_SIZE", "2")
    acme = distinct_images(tmp_path / "acme", 4)
    beta = distinct_images(tmp_path / "beta", 2, start=100)
    mm(capsys, "ingest", *map(str, acme), "--tenant", "acme")
    mm(capsys, "ingest", *map(str, beta), "--tenant", "beta")
    mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", str(2 * PAGES_PRICE))  # one batch of two
    select = ("--select", "source_media,pages")
    settings = load_settings()

    with running_daemon(settings.dagster_home, tmp_path / "daemon.log"):
        code, first = mm(capsys, "materialize", *select)
        assert code == EXIT_OK and first["failed"] == [], (tmp_path / "daemon.log").read_text()[-3000:]
        catalog = CatalogResource(url=settings.catalog_url)
        assert sorted(tenants_of(catalog, first["materialized"]).values()) == ["acme", "acme", "beta", "beta"]
        held = sorted(item["content_hash"] for item in first["held"])
        assert len(held) == 2 and {item["tenant_id"] for item in first["held"]} == {"acme"}
        instance = get_instance(settings)
        runs = [instance.get_run_by_id(run_id) for run_id in first["run_ids"]]
        assert len(runs) == 2 and all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
        assert all("mm/submitted_by" in run.tags for run in runs)  # launched by the daemon from the queue
        assert len([row for row in steps(mm_env) if row["step"] == "pages"]) == 4  # acme spent one batch only

        mm(capsys, "budget", "set", "--tenant", "acme", "--daily-usd", "10")
        code, resumed = mm(capsys, "materialize", "--missing", *select)
    assert code == EXIT_OK and sorted(resumed["materialized"]) == held and resumed["held"] == []
    pages = [row for row in steps(mm_env) if row["step"] == "pages"]
    assert len(pages) == 6 and {row["outcome"] for row in pages} == {"ok"}
    _, status = mm(capsys, "status", "--global")
    assert status["assets"]["pages"]["materialized"] == 6 and status["assets"]["pages"]["failed"] == 0
    instance.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_budget_gate_holds_only_the_over_budget_tenants_keys_on_both_catalogs(backend, tmp_path, request):
    """The check run before every step (one join of the keys to their tenants' budgets, then their
    spending today) answers the same on SQLite and PostgreSQL, and the day's spending only counts."""
    from mm_assets.operations.ingest import IngestOptions, ingest_paths
    from resources.catalog import new_id
    from resources.media_store import LocalBlobStore

    url = f"sqlite:///{tmp_path / 'catalog.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    catalog, store, caps = CatalogResource(url=url), LocalBlobStore(tmp_path / "store"), load_settings({}).caps
    keys = {}
    for tenant, start in (("acme", 0), ("beta", 10), ("free", 20)):  # free has no budget at all
        report = ingest_paths(
            distinct_images(tmp_path / tenant, 2, start=start),
            catalog=catalog,
            store=store,
            caps=caps,
            options=IngestOptions(tenant=tenant),
        )
        keys[tenant] = [item["content_hash"] for item in report.accepted]
    set_budget(catalog, "acme", 1.0, "test")
    set_budget(catalog, "beta", 1.0, "test")
    step = {"run_id": "r", "source_hash": "h" * 64, "step": "ocr", "outcome": "ok", "ms": 5.0}
    catalog.insert_rows(
        processing_step,
        [
            {**step, "step_id": new_id(), "created_at": utcnow(), "tenant_id": "acme", "cost_usd": 1.0},
            {**step, "step_id": new_id(), "created_at": utcnow(), "tenant_id": "beta", "cost_usd": 0.5},
            {**step, "step_id": new_id(), "created_at": utcnow() - timedelta(days=1), "tenant_id": "beta",
             "cost_usd": 5.0},  # yesterday's
        ],
    )  # fmt: skip
    everything = keys["acme"] + keys["beta"] + keys["free"]
    runnable, held = BudgetGate(catalog).split(everything)
    assert runnable == keys["beta"] + keys["free"] and held == {key: "acme" for key in keys["acme"]}
    assert BudgetGate(catalog).split(keys["free"]) == (keys["free"], {})
    tomorrow = BudgetGate(catalog, now=lambda: utcnow() + timedelta(days=1))
    assert tomorrow.split(everything) == (everything, {})
    catalog.engine.dispose()
