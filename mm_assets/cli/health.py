"""`mm status`, `mm fsck`, `mm check` and `mm migrate`: how complete and consistent the stores are."""

from __future__ import annotations

import argparse

from mm_assets.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    emit,
    graph_context,
    recover_and_announce_dead_runs,
    shown,
    tenant_scope,
)


def held_tenants(catalog, status) -> list[dict]:  # type: ignore[no-untyped-def]
    """Tenants at or over their daily budget, with how many of their partitions wait (missing or failed)."""
    from mm_assets.orchestration.budgets import budget_status, tenants_of

    over = [spend for spend in budget_status(catalog) if spend.over]
    if not over:
        return []
    waiting = sorted({key for s in status.values() for key in s.missing | s.failed})
    owners = tenants_of(catalog, waiting)
    return [
        {**spend.as_json(), "partitions_waiting": sum(1 for key in waiting if owners.get(key) == spend.tenant_id)}
        for spend in over
    ]


def owned_status(catalog, status, tenant: str) -> dict:  # type: ignore[no-untyped-def]
    """Each asset's status narrowed to the partitions `tenant` holds."""
    from mm_assets.operations.status import AssetStatus
    from resources.source_owners import tenant_hashes

    with catalog.engine.connect() as conn:
        owned = set(conn.execute(tenant_hashes(tenant)).scalars())
    return {
        name: AssetStatus(
            s.code_version,
            s.materialized & owned,
            s.missing & owned,
            {key: why for key, why in s.stale.items() if key in owned},
            s.failed & owned,
            s.in_progress & owned,
        )
        for name, s in status.items()
    }


def cmd_status(args: argparse.Namespace) -> int:
    from mm_assets.definitions import build_definitions
    from mm_assets.operations.status import collect_status
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings

    tenant = tenant_scope(args, "partition counts")
    settings = load_settings()
    defs = build_definitions(settings)
    instance = get_instance(settings)
    runs = recover_and_announce_dead_runs(instance, args, announce=False)
    status = collect_status(defs, instance)
    held = held_tenants(defs.resources["catalog"], status)
    if tenant is not None:  # the tenant's own partitions; runs (they span tenants) are the operator's
        status = owned_status(defs.resources["catalog"], status, tenant)
        runs, held = [], [entry for entry in held if entry["tenant_id"] == tenant]
    payload = {
        "assets": {name: s.counts() for name, s in status.items()},
        "dead_runs_failed": [run.as_json() for run in runs if not run.alive],
        "runs_in_progress": [run.as_json() for run in runs if run.alive],
        "held": held,
    }

    def human() -> None:
        header = f"{'asset':24} {'materialized':>12} {'missing':>8} {'stale':>6} {'failed':>7} {'in_progress':>11}"
        print(f"{header}  code_version")
        for name, counts in payload["assets"].items():
            print(
                f"{name:24} {counts['materialized']:>12} {counts['missing']:>8} {counts['stale']:>6} "
                f"{counts['failed']:>7} {counts['in_progress']:>11}  {counts['code_version']}"
            )
        for run in runs:
            state = "running" if run.alive else "dead, marked failed (its partitions count as failed)"
            print(f"run {run.run_id[:8]}: {state}: {run.reason}")
        for held in payload["held"]:
            print(
                f"tenant {held['tenant_id']}: held: {held['held']} (${held['spent_today_usd']:.4f} of "
                f"${held['daily_usd']:.4f} today), {held['partitions_waiting']} partition(s) wait"
            )

    emit(args, payload, human)
    return EXIT_OK


def cmd_fsck(args: argparse.Namespace) -> int:
    from mm_assets.kinds import payload_side_files
    from mm_assets.operations.forget import ForgetIntent, finish_forget, forget_steps
    from mm_assets.operations.fsck import fsck
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)
    store = open_store(settings.store_root)
    instance, side_files = get_instance(settings), payload_side_files()
    delete_index_rows, wipe_orchestration = forget_steps(settings, instance)

    def finish_interrupted_forget(intent: ForgetIntent) -> object:
        return finish_forget(catalog, store, intent, delete_index_rows, wipe_orchestration)

    report = fsck(
        catalog,
        store,
        instance,
        side_files=side_files,
        repair=args.repair,
        quarantine_tenant=settings.default_tenant,
        finish_forget=finish_interrupted_forget,
    )

    def human() -> None:
        for finding in report.findings:
            action = "repaired" if finding.repaired else ("would repair" if not args.repair else "needs you")
            step = f" (next: {finding.next_step})" if finding.next_step else ""
            key, detail = shown(finding.key[:64]), shown(finding.detail)
            print(f"{finding.kind:26} {key}: {detail}; {action}: {finding.repair}{step}")
        checked = ", ".join(f"{count} {what}" for what, count in report.checked.items())
        verdict = "nothing to repair" if not report.findings else f"{len(report.findings)} finding(s)"
        print(f"fsck: {verdict} ({checked}){'' if args.repair or not report.findings else '; run with --repair'}")

    emit(args, report.as_json(), human)
    return EXIT_OK if report.clean else EXIT_PARTIAL


def cmd_check(args: argparse.Namespace) -> int:
    """Run the version_consistency checks in-process; exit 3 when any of them fails."""
    from mm_assets.orchestration.version_consistency import run_version_checks

    _settings, defs, instance, asset_keys = graph_context(args.select)
    outcomes = run_version_checks(defs, instance, asset_keys)
    failed = [outcome for outcome in outcomes if not outcome.passed]

    def human() -> None:
        for outcome in outcomes:
            verdict = "ok  " if outcome.passed else outcome.severity.lower()
            print(f"{verdict:5} {outcome.asset:18} {outcome.check}: {outcome.description}")
        print(f"{len(outcomes)} check(s), {len(failed)} failed")

    emit(args, {"checks": [outcome.as_json() for outcome in outcomes], "failed": len(failed)}, human)
    return EXIT_PARTIAL if failed else EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """The catalog's schema, then Dagster's storage: a first ingest never creates tables itself."""
    from mm_assets.operations.relocate import rewrite_absolute_uris
    from mm_assets.orchestration.instance import initialise_storage
    from mm_assets.settings import load_settings
    from resources.catalog import SCHEMA_VERSION, CatalogResource, create_catalog_engine, migrate

    settings = load_settings()
    applied = migrate(create_catalog_engine(settings.catalog_url))
    dagster_lines = initialise_storage(settings)
    # Rows from before URIs were store-relative name absolute paths (of this home, or of the one it
    # was copied from): rewritten as `store:<key>`, so the home can move.
    rewritten = rewrite_absolute_uris(CatalogResource(url=settings.catalog_url))
    payload = {
        "applied": applied,
        "schema_version": SCHEMA_VERSION,
        "dagster_storage": "ready",
        "uris_rewritten": rewritten,
    }

    def human() -> None:
        print(f"applied migrations {applied}" if applied else "catalog schema is current")
        print(f"dagster storage ready ({len(dagster_lines)} step(s) checked)")
        if rewritten:
            print(f"rewrote {rewritten} absolute store URI(s) as store-relative")

    emit(args, payload, human)
    return EXIT_OK
