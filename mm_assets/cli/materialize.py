"""`mm ingest`, `mm materialize` and `mm reprocess`: put media in and run the asset graph over it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mm_assets.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    UsageError,
    emit,
    graph_context,
    kind_and_downstream,
    progress_bar,
    recover_and_announce_dead_runs,
    selected_asset_keys,
    shown,
)


def cmd_ingest(args: argparse.Namespace) -> int:
    import sqlalchemy

    from mm_assets.operations.ingest import IngestOptions, IngestUsageError, ingest_paths
    from mm_assets.operations.ownership import share_search_rows
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings
    from partitions import CONTENT_HASH_PARTITIONS_NAME
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    settings = load_settings()
    options = IngestOptions(tenant=args.tenant or settings.default_tenant, region=args.region, consent=args.consent)
    try:
        options.validate()
    except IngestUsageError as exc:
        raise UsageError(str(exc)) from exc
    missing = [p for p in args.paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing and len(missing) == len(args.paths):
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    catalog = CatalogResource(url=settings.catalog_url)
    store = open_store(settings.store_root)
    instance = get_instance(settings)

    def register(keys: list[str]) -> None:
        # Each committed batch of rows becomes partitions at once; duplicates are registered again
        # too (idempotent), which heals a crash between the catalog commit and the registration.
        # Dagster checks then inserts: a concurrent ingest adding the same key wins the race, and
        # the retry sees that key as existing.
        for attempt in range(3):
            try:
                instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
                return
            except sqlalchemy.exc.IntegrityError:
                if attempt == 2:
                    raise

    with progress_bar(None, "ingest", "file") as bar:
        report = ingest_paths(
            [Path(p) for p in args.paths],
            catalog=catalog,
            store=store,
            caps=settings.caps,
            options=options,
            on_item=lambda _item: bar.update(1),
            on_recorded=register,
        )
    share_search_rows(settings.index_uri, catalog, report.joined, options.tenant)

    def human() -> None:
        for item in report.rejected:
            print(f"rejected  {shown(item['path'])}: {item['reason']}: {shown(item['message'])}")
        print(
            f"{len(report.accepted)} accepted, {len(report.duplicates)} duplicate, "
            f"{len(report.rejected)} rejected (quarantined)"
        )

    emit(args, report.as_json(), human)
    return EXIT_OK


def _valid_hashes(keys: Sequence[str] | None) -> list[str]:
    """--partitions checked before anything loads: each must be a content hash."""
    from partitions import InvalidPartitionKey, validate_content_hash

    try:
        return [validate_content_hash(key) for key in keys or []]
    except InvalidPartitionKey as exc:
        raise UsageError(str(exc)) from exc


def cmd_materialize(args: argparse.Namespace) -> int:
    from mm_assets.definitions import build_definitions
    from mm_assets.operations.status import collect_status
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings
    from partitions import CONTENT_HASH_PARTITIONS_NAME

    wanted = _valid_hashes(args.partitions)
    settings = load_settings()
    defs = build_definitions(settings)
    asset_keys = selected_asset_keys(defs, args.select)
    instance = get_instance(settings)
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    if args.partitions:
        unknown = sorted(set(wanted) - set(registered))
        if unknown:
            raise UsageError(f"not ingested (no such partition): {', '.join(k[:16] for k in unknown)}")
    else:
        recover_and_announce_dead_runs(instance, args)
        _report_journalled_figures(settings, instance, defs.resources["catalog"])
        status = collect_status(defs, instance, asset_keys)
        mode = "stale" if args.stale else "missing"
        wanted_set: set[str] = set()
        for asset_status in status.values():
            wanted_set |= set(asset_status.stale) if args.stale else asset_status.missing | asset_status.failed
        wanted = [key for key in registered if key in wanted_set]
        if not args.json:
            print(f"{len(wanted)} partition(s) {mode} for {', '.join(k.to_user_string() for k in asset_keys)}")
    return _run_batches(args, defs, instance, asset_keys, wanted, settings.run_batch_size, "materialize", {})


def _report_journalled_figures(settings, instance, catalog) -> None:  # type: ignore[no-untyped-def]
    """Census observations a killed `mm serve` journalled and did not report (server/figures_journal.py)."""
    from mm_assets.server.figures_journal import FiguresJournal, journal_folder

    FiguresJournal(journal_folder(settings)).replay(instance, catalog)


def _run_batches(args, defs, instance, asset_keys, wanted, batch_size, verb, extra) -> int:  # type: ignore[no-untyped-def]
    """Batched runs with a per-partition progress bar, then the report (exit 3 if any partition failed).

    Runs execute in this process, or go to the instance's run queue when it has one (and not --in-process).
    """
    from mm_assets.orchestration.budgets import BudgetGate, announce_held
    from mm_assets.orchestration.claims import PartitionClaims
    from mm_assets.orchestration.instance import has_run_queue
    from mm_assets.orchestration.runs import materialize_partitions

    budget = BudgetGate(defs.resources["catalog"], send_alert=defs.resources["alert_sink"].send)
    with progress_bar(len(wanted), verb, "partition") as bar:
        if has_run_queue(instance) and not getattr(args, "in_process", False):
            report = _submit_to_queue(instance, asset_keys, wanted, batch_size, bar.update, budget)
        else:
            claims = PartitionClaims(defs.resources["catalog"])  # other workers on this catalog skip ours
            # No bar shown (not a terminal, or --json to a pipe): nothing to follow the runs for.
            follow = None if bar.disable else bar.update
            report = materialize_partitions(
                defs,
                instance,
                asset_keys,
                wanted,
                batch_size,
                on_partition_done=follow,
                claims=claims,
                budget=budget,
            )
            _merge_index_segments(defs)
    announce_held(instance, budget, report.held)

    def human() -> None:
        for key, reason in report.failed.items():
            print(f"failed    {key[:16]}: {reason}")
        for tenant, spend in sorted(budget.held_tenants.items()):
            waiting = sum(1 for owner in report.held.values() if owner == tenant)
            print(
                f"held      tenant {tenant}: over_budget (${spend.spent_usd:.4f} of ${spend.daily_usd:.4f} today), "
                f"{waiting} partition(s) wait for `mm budget set` or tomorrow"
            )
        names = ", ".join(key.to_user_string() for key in asset_keys)
        print(
            f"{verb}: {len(report.materialized)} partition(s) of {names} in {len(report.run_ids)} run(s), "
            f"{len(report.failed)} failed, {len(report.claimed_elsewhere)} left to another worker, "
            f"{len(report.held)} held (over budget)"
        )

    emit(args, {**extra, **report.as_json()}, human)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _merge_index_segments(defs) -> None:  # type: ignore[no-untyped-def]
    """After this process's runs, outside their steps: rebuild the vector indexes their writes split
    into too many segments (a server merges on its own thread; this command has no other time)."""
    index = defs.resources["search_index_store"].open_existing()
    if index is None:
        return
    try:
        if index.merge_index_segments():
            print("merged the search index's vector index segments", file=sys.stderr)
    finally:
        index.close()


def _submit_to_queue(instance, asset_keys, wanted, batch_size, on_partition_done, budget):  # type: ignore[no-untyped-def]
    """Queued runs, one per batch, submitted in waves of at most MM_MAX_CONCURRENT_RUNS (the daemon
    launches them); each batch's tenants are budget-checked just before it is submitted."""
    from mm_assets.definitions import GRAPH_JOB
    from mm_assets.operations.search import current_user
    from mm_assets.orchestration.submit import queue_limit, run_in_waves
    from mm_assets.settings import load_settings

    in_flight = queue_limit(instance, load_settings().max_concurrent_runs)
    print(f"submitting runs to the instance's queue, at most {in_flight} at a time", file=sys.stderr)
    report = run_in_waves(
        instance, GRAPH_JOB, asset_keys, wanted, batch_size, current_user(), budget, in_flight, on_partition_done
    )
    budget.review()  # a tenant that crossed 80% or 100% in the last runs hears it now
    return report


def cmd_reprocess(args: argparse.Namespace) -> int:
    from mm_assets.operations.status import collect_status
    from partitions import CONTENT_HASH_PARTITIONS_NAME

    wanted = _valid_hashes(args.partitions)
    settings, defs, instance, _ = graph_context()
    kinds = [name.strip() for item in args.kind for name in item.split(",") if name.strip()]
    selection = kind_and_downstream(defs, kinds)
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    if args.partitions:
        unknown = sorted(set(wanted) - set(registered))
        if unknown:
            raise UsageError(f"not ingested (no such partition): {', '.join(k[:16] for k in unknown)}")
    elif args.all:
        wanted = list(registered)
    else:
        # Resumable: partitions finished by an earlier (crashed) reprocess are fresh and left alone; a
        # downstream kind that failed or never ran (the run was killed after the chosen kind) is resumed.
        recover_and_announce_dead_runs(instance, args)
        todo: set[str] = set()
        for kind_status in collect_status(defs, instance, selection).values():
            todo |= set(kind_status.stale) | kind_status.missing | kind_status.failed
        wanted = [key for key in registered if key in todo]
    extra = {"kinds": kinds, "assets": [key.to_user_string() for key in selection]}
    return _run_batches(args, defs, instance, selection, wanted, settings.run_batch_size, "reprocess", extra)
