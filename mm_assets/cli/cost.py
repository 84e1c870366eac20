"""`mm cost`, `mm budget` and `mm stats search`: what processing costs, who may spend, how searches perform."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from mm_assets.cli.common import EXIT_OK, UsageError, emit, tenant_scope


def since_date(value: str) -> datetime:
    """argparse type of --since: an ISO date (or date and time), read as UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: give YYYY-MM-DD") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _catalog():  # type: ignore[no-untyped-def]
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    return settings, CatalogResource(url=settings.catalog_url)


def cmd_cost(args: argparse.Namespace) -> int:
    from mm_assets.operations.cost import cost_chart, cost_rows, step_costs

    tenant_scope(args, "costs")
    settings, catalog = _catalog()
    rows = cost_rows(step_costs(catalog, args.tenant, args.since), args.by)
    payload: dict[str, object] = {
        "by": args.by,
        "tenant": args.tenant,
        "since": args.since,
        "price_cpu_second": settings.price_cpu_second,
        "rows": rows,
        "total_usd": round(sum(row["cost_usd"] for row in rows), 8),
    }
    if args.png:
        scope = f"tenant {args.tenant}" if args.tenant else "all tenants"
        payload["png"] = str(cost_chart(rows, args.by, Path(args.png), f"cost per {args.by}, {scope}"))

    def human() -> None:
        print(f"{args.by:24} {'cost_usd':>12} {'cpu_seconds':>12} {'sources':>8}  units")
        for row in rows:
            units = ", ".join(f"{value:g} {unit}" for unit, value in sorted(row["units"].items()))
            print(
                f"{row[args.by]!s:24} {row['cost_usd']:>12.8f} {row['cpu_seconds']:>12.3f} {row['sources']:>8}  {units}"
            )
        print(f"total ${payload['total_usd']:.6f}" + (f"; chart {payload['png']}" if args.png else ""))

    emit(args, payload, human)
    return EXIT_OK


def cmd_budget(args: argparse.Namespace) -> int:
    from mm_assets.operations.search import current_user
    from mm_assets.orchestration.budgets import BudgetError, budget_status, set_budget

    if args.action == "list":
        tenant_scope(args, "budgets")
    _settings, catalog = _catalog()
    if args.action == "set":
        if not args.tenant or args.daily_usd is None:
            raise UsageError("budget set needs --tenant T and --daily-usd X")
        try:
            set_budget(catalog, args.tenant, args.daily_usd, args.who or current_user())
        except BudgetError as exc:
            raise UsageError(str(exc)) from exc
    budgets = [spend.as_json() for spend in budget_status(catalog)]
    if args.tenant:
        budgets = [b for b in budgets if b["tenant_id"] == args.tenant]

    def human() -> None:
        print(f"{'tenant':24} {'daily_usd':>10} {'spent_today':>12} {'percent':>8}  held")
        for budget in budgets:
            percent = "-" if budget["percent"] is None else f"{budget['percent']:.1f}%"
            print(
                f"{budget['tenant_id']:24} {budget['daily_usd']:>10.4f} {budget['spent_today_usd']:>12.6f} "
                f"{percent:>8}  {budget['held'] or ''}"
            )
        if args.action == "set":
            print("held partitions resume with `mm materialize --missing`")

    emit(args, {"budgets": budgets}, human)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from mm_assets.operations.search_timings import search_stage_summary

    tenant = tenant_scope(args, "search timings")
    _settings, catalog = _catalog()
    summary = search_stage_summary(catalog, args.since, tenant)

    def human() -> None:
        print(f"{summary['count']} timed search(es)")
        print(f"{'stage':28} {'p50_ms':>10} {'p95_ms':>10} {'count':>6}")
        for stage, figures in summary["stages"].items():
            print(f"{stage:28} {figures['p50_ms']:>10.2f} {figures['p95_ms']:>10.2f} {figures['count']:>6}")

    emit(args, summary, human)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from mm_assets.operations.dashboard import write_dashboard

    if tenant_scope(args, "the dashboard's figures") is not None:
        raise UsageError("mm report compares tenants (input quality, cost per tenant): pass --global")
    settings, catalog = _catalog()
    out_dir = Path(args.out) if args.out else settings.home / "reports" / "dashboard"
    report = write_dashboard(catalog, out_dir)

    def human() -> None:
        for name, path in report["plots"].items():
            print(f"{name:24} {path}")

    emit(args, report, human)
    return EXIT_OK
