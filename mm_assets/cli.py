"""The `mm` command line: ingest, materialize, status, search, migrate.

Every command takes `--json` for scripts; progress bars go to stderr only when it is a terminal.
Exit status: 0 done; 2 bad usage; 3 done but some partitions failed; 1 the command could not work.
MM_DEBUG=1 shows the full traceback instead of the one-line error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


class UsageError(Exception):
    """The user asked for something impossible; the message says what to do instead."""


def _emit(args: argparse.Namespace, payload: dict[str, Any], human: Callable[[], None]) -> None:
    if args.json:
        json.dump(payload, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        human()


def _progress(total: int | None, desc: str, unit: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty())


def _recover_dead_runs(instance: Any, args: argparse.Namespace, announce: bool = True) -> list[Any]:
    """Fail runs whose worker died (see orchestration/run_health.py) and say so on stderr."""
    from mm_assets.orchestration.run_health import recover_dead_runs

    verdicts = recover_dead_runs(instance)
    for verdict in verdicts:
        if announce and not verdict.alive and not args.json:
            print(f"run {verdict.run_id[:8]} was dead ({verdict.reason}): marked failed", file=sys.stderr)
    return verdicts


def cmd_ingest(args: argparse.Namespace) -> int:
    import sqlalchemy

    from mm_assets.operations.ingest import IngestOptions, IngestUsageError, ingest_paths
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

    with _progress(None, "ingest", "file") as bar:
        report = ingest_paths(
            [Path(p) for p in args.paths],
            catalog=catalog,
            store=store,
            caps=settings.caps,
            options=options,
            on_item=lambda _item: bar.update(1),
            on_recorded=register,
        )

    def human() -> None:
        for item in report.rejected:
            print(f"rejected  {item['path']}: {item['reason']}: {item['message']}")
        print(
            f"{len(report.accepted)} accepted, {len(report.duplicates)} duplicate, "
            f"{len(report.rejected)} rejected (quarantined)"
        )

    _emit(args, report.as_json(), human)
    return EXIT_OK


def _selected_asset_keys(defs: Any, select: Sequence[str] | None) -> list[Any]:
    import dagster as dg

    graph = defs.resolve_asset_graph()
    known = {key.to_user_string(): key for key in graph.materializable_asset_keys}
    if not select:
        return sorted(known.values())
    names = [name.strip() for item in select for name in item.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown kind(s) {unknown}; known kinds: {sorted(known)}")
    return [dg.AssetKey.from_user_string(name) for name in names]


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
    asset_keys = _selected_asset_keys(defs, args.select)
    instance = get_instance(settings)
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    if args.partitions:
        unknown = sorted(set(wanted) - set(registered))
        if unknown:
            raise UsageError(f"not ingested (no such partition): {', '.join(k[:16] for k in unknown)}")
    else:
        _recover_dead_runs(instance, args)
        status = collect_status(defs, instance, asset_keys)
        mode = "stale" if args.stale else "missing"
        wanted_set: set[str] = set()
        for asset_status in status.values():
            wanted_set |= set(asset_status.stale) if args.stale else asset_status.missing | asset_status.failed
        wanted = [key for key in registered if key in wanted_set]
        if not args.json:
            print(f"{len(wanted)} partition(s) {mode} for {', '.join(k.to_user_string() for k in asset_keys)}")
    return _run_batches(args, defs, instance, asset_keys, wanted, settings.run_batch_size, "materialize", {})


def _run_batches(args, defs, instance, asset_keys, wanted, batch_size, verb, extra) -> int:  # type: ignore[no-untyped-def]
    """Batched runs with a per-partition progress bar, then the report (exit 3 if any partition failed).

    Runs execute in this process, or go to the instance's run queue when it has one (and not --in-process).
    """
    from mm_assets.orchestration.claims import PartitionClaims
    from mm_assets.orchestration.instance import has_run_queue
    from mm_assets.orchestration.runs import materialize_partitions

    with _progress(len(wanted), verb, "partition") as bar:
        if has_run_queue(instance) and not getattr(args, "in_process", False):
            report = _submit_to_queue(instance, asset_keys, wanted, batch_size, bar.update)
        else:
            claims = PartitionClaims(defs.resources["catalog"])  # other workers on this catalog skip ours
            report = materialize_partitions(
                defs, instance, asset_keys, wanted, batch_size, on_partition_done=bar.update, claims=claims
            )

    def human() -> None:
        for key, reason in report.failed.items():
            print(f"failed    {key[:16]}: {reason}")
        names = ", ".join(key.to_user_string() for key in asset_keys)
        print(
            f"{verb}: {len(report.materialized)} partition(s) of {names} in {len(report.run_ids)} run(s), "
            f"{len(report.failed)} failed, {len(report.claimed_elsewhere)} left to another worker"
        )

    _emit(args, {**extra, **report.as_json()}, human)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _submit_to_queue(instance, asset_keys, wanted, batch_size, on_partition_done):  # type: ignore[no-untyped-def]
    """One queued run per batch on the instance (the daemon launches them); follow them to the end."""
    from mm_assets.definitions import GRAPH_JOB
    from mm_assets.operations.search import current_user
    from mm_assets.orchestration.runs import plan_batches
    from mm_assets.orchestration.submit import submit_batches, wait_for_runs
    from partitions import CONTENT_HASH_PARTITIONS_NAME

    ordered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    batches = plan_batches(ordered, wanted, batch_size)
    submitted = submit_batches(instance, GRAPH_JOB, asset_keys, batches, current_user())
    print(f"submitted {len(submitted)} run(s) to the instance's queue", file=sys.stderr)
    return wait_for_runs(instance, submitted, asset_keys, on_partition_done)


def cmd_status(args: argparse.Namespace) -> int:
    from mm_assets.definitions import build_definitions
    from mm_assets.operations.status import collect_status
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings

    settings = load_settings()
    defs = build_definitions(settings)
    instance = get_instance(settings)
    runs = _recover_dead_runs(instance, args, announce=False)
    status = collect_status(defs, instance)
    payload = {
        "assets": {name: s.counts() for name, s in status.items()},
        "dead_runs_failed": [run.as_json() for run in runs if not run.alive],
        "runs_in_progress": [run.as_json() for run in runs if run.alive],
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

    _emit(args, payload, human)
    return EXIT_OK


def _check_search_arguments(args: argparse.Namespace, settings: Any) -> None:
    """Every usage error of a search, found before any model loads (seconds) rather than after."""
    from mm_assets.operations.gate import InputRejected, check_file
    from resources.vector_index import MAX_K, QueryRefused, validate_where

    if not args.tenant and not args.global_scope:
        raise UsageError(
            "a search is scoped to one tenant: pass --tenant T (or --global for an explicit global search)"
        )
    if not (args.text or "").strip() and not args.image:
        raise UsageError("empty query: give a text, an image (--image), or both")
    if not 1 <= args.k <= MAX_K:
        raise UsageError(f"--k must be between 1 and {MAX_K}, got {args.k}")
    try:
        if args.where is not None:
            validate_where(args.where)
    except QueryRefused as exc:
        raise UsageError(f"--where: {exc}") from exc
    if args.image:
        try:
            verdict = check_file(Path(args.image), settings.caps)
        except InputRejected as exc:
            raise UsageError(f"--image {args.image}: {exc.reason}: {exc.message}") from exc
        if verdict.modality != "image":
            raise UsageError(f"--image {args.image}: a {verdict.mime_type} is not an image")


def cmd_search(args: argparse.Namespace) -> int:
    from mm_assets.settings import load_settings

    settings = load_settings()
    _check_search_arguments(args, settings)
    from mm_assets.operations.search import Searcher, SearchQuery
    from resources.vector_index import QueryRefused

    query = SearchQuery(
        text=args.text,
        image=Path(args.image) if args.image else None,
        tenant=args.tenant,
        global_scope=args.global_scope,
        k=args.k,
        where=args.where,
        fusion=args.fusion,
    )
    try:
        crops = Path(args.crops) if args.crops else None
        response = Searcher.from_settings(settings).search(query, who=args.who, crops_dir=crops)
    except QueryRefused as exc:
        raise UsageError(str(exc)) from exc

    def human() -> None:
        if response.query_caption:
            print(f"query image caption: {response.query_caption}")
        for rank, hit in enumerate(response.results, 1):
            channels = ", ".join(f"{name} #{c['rank']} ({c['score']:.3f})" for name, c in sorted(hit.channels.items()))
            print(f"{rank:>2}. {hit.content_hash[:16]}  {hit.score:.4f}  [{channels}]  {hit.caption}")
            for entry in hit.evidence:
                print(f"      {_evidence_line(entry)}")
        if not response.results:
            print("no results")

    _emit(args, response.as_json(), human)
    return EXIT_OK


def _evidence_line(entry: dict) -> str:
    """One evidence entry for people: where (page and box, or time span), score, snippet, crop."""
    if "t_start" in entry:  # audio and video: the time span first (a keyframe also has its frame's page)
        where = f"{entry['t_start']:.1f}-{entry['t_end']:.1f} s"
        where += f" (frame p.{entry['page']})" if "page" in entry else ""
    else:
        where = f"p.{entry['page']} {[round(v) for v in entry.get('bbox', [])]}"
    snippet = entry["text"] if len(entry["text"]) <= 90 else entry["text"][:87] + "..."
    crop = f"  -> {entry['crop']}" if "crop" in entry else ""
    return f"{where}  {entry['channel']} {entry['score']:.3f}  {snippet!r}{crop}"


def cmd_eval(args: argparse.Namespace) -> int:
    from mm_assets.operations.evaluation import EvaluationError
    from mm_assets.settings import load_settings

    settings = load_settings()
    out_dir = Path(args.out) if args.out else settings.home / "reports"
    progress = None if args.json else lambda message: print(message, file=sys.stderr)
    try:
        report = _run_eval_set(args, settings, out_dir, progress)
    except EvaluationError as exc:
        raise UsageError(str(exc)) from exc
    _emit(args, report.as_json(), lambda: print(report.summary()))
    return EXIT_OK


def _run_eval_set(args: argparse.Namespace, settings: Any, out_dir: Path, progress: Any) -> Any:
    """The report of one named set: retrieval sets, `pii` (redaction) or `av` (audio and video)."""
    home = settings.home / "eval"
    if args.set_name == "pii":  # the redactor's precision and recall per entity type
        from mm_assets.model_resources import model_resources
        from mm_assets.operations.pii_eval import run_pii_evaluation

        models = model_resources(settings)
        detector, ocr = models["pii_detector"], models["ocr_runner"]
        return run_pii_evaluation(home, out_dir, count=args.docs, detector=detector, ocr=ocr, progress=progress)  # type: ignore[arg-type]
    if args.set_name == "av":  # WER per ASR engine, Recall@k of spoken and visual queries, time hits
        from mm_assets.operations.av_evaluation import run_av_evaluation

        return run_av_evaluation(home, out_dir, k=args.k, progress=progress)
    from mm_assets.operations.evaluation import run_evaluation

    return run_evaluation(args.set_name, home, out_dir, k=args.k, progress=progress)


def _graph_context(select: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    from mm_assets.definitions import build_definitions
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings

    settings = load_settings()
    defs = build_definitions(settings)
    return settings, defs, get_instance(settings), _selected_asset_keys(defs, select)


def _kind_and_downstream(defs: Any, kinds: Sequence[str]) -> list[Any]:
    """The given kinds first, then everything downstream of them."""
    import dagster as dg

    keys = _selected_asset_keys(defs, kinds)
    downstream = dg.AssetSelection.assets(*keys).downstream().resolve(defs.resolve_asset_graph())
    return keys + sorted(downstream - set(keys))


def cmd_reprocess(args: argparse.Namespace) -> int:
    from mm_assets.operations.status import collect_status
    from partitions import CONTENT_HASH_PARTITIONS_NAME

    wanted = _valid_hashes(args.partitions)
    settings, defs, instance, _ = _graph_context()
    kinds = [name.strip() for item in args.kind for name in item.split(",") if name.strip()]
    selection = _kind_and_downstream(defs, kinds)
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    if args.partitions:
        unknown = sorted(set(wanted) - set(registered))
        if unknown:
            raise UsageError(f"not ingested (no such partition): {', '.join(k[:16] for k in unknown)}")
    elif args.all:
        wanted = list(registered)
    else:
        # Resumable: partitions finished by an earlier (crashed) reprocess are fresh and left alone.
        _recover_dead_runs(instance, args)
        todo: set[str] = set()
        for kind_status in collect_status(defs, instance, selection[: len(kinds)]).values():
            todo |= set(kind_status.stale) | kind_status.missing | kind_status.failed
        wanted = [key for key in registered if key in todo]
    extra = {"kinds": kinds, "assets": [key.to_user_string() for key in selection]}
    return _run_batches(args, defs, instance, selection, wanted, settings.run_batch_size, "reprocess", extra)


def cmd_diff(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import diff_report
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    table = diff_report(CatalogResource(url=settings.catalog_url), args.kind, args.from_version, args.to_version)
    reports = settings.home / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    csv_path = Path(args.csv) if args.csv else reports / f"diff-{args.kind}.csv"
    table.write_csv(csv_path)
    payload = {"kind": args.kind, "rows": table.to_dicts(), "csv": str(csv_path)}

    def human() -> None:
        import polars as pl

        with pl.Config(tbl_rows=50, tbl_cols=12, fmt_str_lengths=40):
            print(table)
        print(f"written to {csv_path}")

    _emit(args, payload, human)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import LifecycleError, decide_review, list_reviews
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)
    if args.action == "list":
        items = list_reviews(catalog, args.status, args.tenant)

        def human_list() -> None:
            for item in items:
                print(
                    f"{item['review_id']}  {item['status']:8} {item['kind']:16} "
                    f"{item['source_hash'][:16]}  {item['reason']}"
                )
            if not items:
                print("review queue is empty")

        _emit(args, {"reviews": items}, human_list)
        return EXIT_OK
    if not args.review_id:
        raise UsageError(f"mm review {args.action} needs a REVIEW_ID (see `mm review list`)")
    try:
        decision = decide_review(catalog, args.review_id, args.action == "approve", args.tenant)
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc
    payload: dict[str, Any] = {"decision": decision.__dict__}
    if decision.superseded:
        # The new current artifact changes what downstream kinds read: bring them up to date now.
        _, defs, instance, _ = _graph_context()
        from mm_assets.orchestration.runs import materialize_partitions

        downstream = _kind_and_downstream(defs, [decision.kind])[1:]
        if downstream:
            report = materialize_partitions(defs, instance, downstream, [decision.content_hash], 1)
            payload["downstream"] = report.as_json()
    _emit(args, payload, lambda: print(f"{decision.review_id}: {decision.status}"))
    return EXIT_OK


def cmd_artifacts(args: argparse.Namespace) -> int:
    if not args.tenant and not args.global_scope:
        raise UsageError("artifacts are scoped to one tenant: pass --tenant T (or --global to look across tenants)")
    from mm_assets.operations.lifecycle import LifecycleError, artifact_versions
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    try:
        versions = artifact_versions(CatalogResource(url=settings.catalog_url), args.content_hash, args.tenant)
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc

    def human() -> None:
        for kind, rows in versions["artifacts"].items():
            for row in rows:
                link = f" -> superseded by {row['superseded_by'][:8]}" if row["superseded_by"] else ""
                print(
                    f"{kind:16} {row['status']:10} {row['pipeline_version']}+{row['model_id']}  "
                    f"{row['artifact_id'][:8]}{link}"
                )

    _emit(args, versions, human)
    return EXIT_OK


def cmd_blast_radius(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import blast_radius
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    rows = blast_radius(
        CatalogResource(url=settings.catalog_url),
        args.kind,
        args.model_id,
        args.pipeline_version,
        args.tenant,
    )

    def human() -> None:
        for row in rows:
            print(f"{row['content_hash']}  {row['tenant_id']:12} {row['original_name']}")
        print(f"{len(rows)} source(s) whose current {args.kind} came from {args.model_id}")

    _emit(args, {"kind": args.kind, "model_id": args.model_id, "count": len(rows), "sources": rows}, human)
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import LifecycleError, forget_source
    from mm_assets.operations.search import current_user
    from mm_assets.orchestration.partition_wipe import wipe_partition
    from partitions import CONTENT_HASH_PARTITIONS_NAME, InvalidPartitionKey, validate_content_hash
    from resources.catalog import CatalogResource
    from resources.search_index_store import SearchIndexResource
    from resources.stores import open_store

    try:
        content_hash = validate_content_hash(args.content_hash)
    except InvalidPartitionKey as exc:
        raise UsageError(str(exc)) from exc
    settings, _defs, instance, _asset_keys = _graph_context()

    def delete_index_rows(hashes: list[str]) -> int:
        index = SearchIndexResource(uri=settings.index_uri).open_existing()
        if index is None:
            return 0
        try:
            deleted = index.delete(hashes)
            if deleted:
                index.rebuild_indexes_after_delete()
            return deleted
        finally:
            index.close()

    def wipe_orchestration(partition_key: str, names: list[str], tombstone: str) -> dict[str, Any]:
        return wipe_partition(instance, CONTENT_HASH_PARTITIONS_NAME, partition_key, names, tombstone).as_json()

    try:
        report = forget_source(
            CatalogResource(url=settings.catalog_url),
            open_store(settings.store_root),
            content_hash,
            args.tenant or settings.default_tenant,
            args.who or current_user(),
            delete_index_rows,
            wipe_orchestration,
        )
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc
    rows = sum(report.catalog_rows_deleted.values())
    _emit(
        args,
        report.__dict__,
        lambda: print(
            f"forgot {content_hash[:16]}: {report.payloads_deleted} payload(s), {rows} catalog row(s), "
            f"{report.index_rows_deleted} index row(s)"
        ),
    )
    return EXIT_OK


def cmd_fsck(args: argparse.Namespace) -> int:
    from mm_assets.kinds import payload_side_files
    from mm_assets.operations.fsck import fsck
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)
    store = open_store(settings.store_root)
    instance, side_files = get_instance(settings), payload_side_files()
    report = fsck(
        catalog, store, instance, side_files=side_files, repair=args.repair, quarantine_tenant=settings.default_tenant
    )

    def human() -> None:
        for finding in report.findings:
            action = "repaired" if finding.repaired else ("would repair" if not args.repair else "needs you")
            step = f" (next: {finding.next_step})" if finding.next_step else ""
            print(f"{finding.kind:26} {finding.key[:64]}: {finding.detail}; {action}: {finding.repair}{step}")
        checked = ", ".join(f"{count} {what}" for what, count in report.checked.items())
        verdict = "nothing to repair" if not report.findings else f"{len(report.findings)} finding(s)"
        print(f"fsck: {verdict} ({checked}){'' if args.repair or not report.findings else '; run with --repair'}")

    _emit(args, report.as_json(), human)
    return EXIT_OK if report.clean else EXIT_PARTIAL


def cmd_check(args: argparse.Namespace) -> int:
    """Run the version_consistency checks in-process; exit 3 when any of them fails."""
    from mm_assets.orchestration.version_consistency import run_version_checks

    _settings, defs, instance, asset_keys = _graph_context(args.select)
    outcomes = run_version_checks(defs, instance, asset_keys)
    failed = [outcome for outcome in outcomes if not outcome.passed]

    def human() -> None:
        for outcome in outcomes:
            verdict = "ok  " if outcome.passed else outcome.severity.lower()
            print(f"{verdict:5} {outcome.asset:18} {outcome.check}: {outcome.description}")
        print(f"{len(outcomes)} check(s), {len(failed)} failed")

    _emit(args, {"checks": [outcome.as_json() for outcome in outcomes], "failed": len(failed)}, human)
    return EXIT_PARTIAL if failed else EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from mm_assets.settings import load_settings
    from resources.catalog import SCHEMA_VERSION, create_catalog_engine, migrate

    settings = load_settings()
    applied = migrate(create_catalog_engine(settings.catalog_url))
    payload = {"applied": applied, "schema_version": SCHEMA_VERSION}
    _emit(
        args,
        payload,
        lambda: print(f"applied migrations {applied}" if applied else "catalog schema is current"),
    )
    return EXIT_OK


def tenant_name(value: str) -> str:
    """argparse type of every --tenant: a blank tenant is a usage error, never a silent default."""
    if not value.strip():
        raise argparse.ArgumentTypeError("a tenant cannot be blank: give a tenant name (or leave the option out)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mm", description="mm-assets: versioned artifacts from raw media")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
        command.set_defaults(handler=handler)
        return command

    ingest = add("ingest", cmd_ingest, "hash, gate, store and register files and folders")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--tenant", type=tenant_name, help="owner of the media (default: MM_TENANT or 'default')")
    ingest.add_argument("--region", default="unspecified", help="data residency region label")
    ingest.add_argument("--consent", default="valid", choices=["valid", "expired"])

    materialize = add("materialize", cmd_materialize, "run the asset graph in batched in-process runs")
    materialize.add_argument("--select", action="append", metavar="KINDS", help="asset kinds, comma-separated")
    which = materialize.add_mutually_exclusive_group()
    which.add_argument("--missing", action="store_true", help="partitions not yet materialized or failed (default)")
    which.add_argument("--stale", action="store_true", help="partitions whose code, model or inputs changed")
    which.add_argument("--partitions", nargs="+", metavar="HASH", help="these content hashes")
    materialize.add_argument(
        "--in-process", action="store_true", help="execute here even when the instance has a run queue"
    )

    search = add("search", cmd_search, "multi-vector hybrid search over the index")
    search.add_argument("text", nargs="?", default=None, help="query text (optional with --image)")
    search.add_argument("--image", metavar="PATH", help="query image")
    scope = search.add_mutually_exclusive_group()
    scope.add_argument("--tenant", type=tenant_name, help="search this tenant's media (required unless --global)")
    scope.add_argument("--global", dest="global_scope", action="store_true", help="explicitly search all tenants")
    search.add_argument("--k", type=int, default=10, help="number of results (1-1000)")
    search.add_argument("--where", help="extra filter, e.g. \"modality = 'document' AND region = 'eu'\"")
    search.add_argument(
        "--fusion",
        choices=["rrf", "weighted"],
        default="weighted",
        help="weighted score (default, best on the mixed evaluation set) or reciprocal rank fusion",
    )
    search.add_argument("--who", help="caller name for the audit log (default: the OS user)")
    search.add_argument(
        "--crops", metavar="DIR", help="write a PNG crop of each evidence box, cut from the redacted page, into DIR"
    )

    evaluate = add("eval", cmd_eval, "retrieval quality per channel and fused on a named evaluation set")
    evaluate.add_argument(
        "set_name",
        metavar="SET",
        help="skimage, textile, documents, mixed, pages, pii (redaction), av (audio and video)",
    )
    evaluate.add_argument("--docs", type=int, default=48, help="pii: how many generated documents (default 48)")
    evaluate.add_argument("--out", metavar="DIR", help="where the table, CSV and PNG go (default $MM_HOME/reports)")
    evaluate.add_argument("--k", type=int, default=10)

    reprocess = add("reprocess", cmd_reprocess, "re-materialize one kind and its downstream in batched runs")
    reprocess.add_argument("--kind", required=True, action="append", help="kind(s), repeat or comma-separate")
    which_reprocess = reprocess.add_mutually_exclusive_group()
    which_reprocess.add_argument("--partitions", nargs="+", metavar="HASH")
    which_reprocess.add_argument("--all", action="store_true", help="every partition (finished ones do no model work)")
    reprocess.add_argument(
        "--in-process", action="store_true", help="execute here even when the instance has a run queue"
    )

    diff = add("diff", cmd_diff, "compare old and new versions of a kind (a polars table and a CSV)")
    diff.add_argument("--kind", required=True)
    diff.add_argument("--from", dest="from_version", metavar="VERSION", help="model id or pipeline_version+model_id")
    diff.add_argument("--to", dest="to_version", metavar="VERSION")
    diff.add_argument("--csv", metavar="PATH", help="where to write the CSV (default $MM_HOME/reports/)")

    review = add("review", cmd_review, "work the review queue")
    review.add_argument("action", choices=["list", "approve", "reject"])
    review.add_argument("review_id", nargs="?")
    review.add_argument("--status", default="open", choices=["open", "approved", "rejected", "all"])
    review.add_argument("--tenant", type=tenant_name)

    artifacts = add("artifacts", cmd_artifacts, "every version of every artifact of a source")
    artifacts.add_argument("content_hash", metavar="HASH")
    artifacts_scope = artifacts.add_mutually_exclusive_group()
    artifacts_scope.add_argument("--tenant", type=tenant_name, help="the owner (required unless --global)")
    artifacts_scope.add_argument("--global", dest="global_scope", action="store_true", help="any tenant's source")

    blast = add("blast-radius", cmd_blast_radius, "sources whose current artifact came from a given version")
    blast.add_argument("--kind", required=True)
    blast.add_argument("--model-id", required=True)
    blast.add_argument("--pipeline-version")
    blast.add_argument("--tenant", type=tenant_name)

    forget = add("forget", cmd_forget, "delete a source and everything derived from it, everywhere")
    forget.add_argument("content_hash", metavar="HASH")
    forget.add_argument(
        "--tenant", type=tenant_name, help="the owner (default MM_TENANT); another tenant's media is refused"
    )
    forget.add_argument("--who", help="caller name for the governance log")

    add("status", cmd_status, "counts per asset kind: materialized, missing, stale, failed")
    add("migrate", cmd_migrate, "apply pending catalog schema migrations")

    check = add("fsck", cmd_fsck, "compare store, catalog and partitions; report or --repair what a crash left")
    check.add_argument("--repair", action="store_true", help="fix what can be fixed safely (default: only report)")

    version_check = add("check", cmd_check, "run the version_consistency checks in-process (exit 3 if any fails)")
    version_check.add_argument("--select", action="append", metavar="KINDS", help="asset kinds, comma-separated")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"mm {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence: one clear line, no traceback
        if os.environ.get("MM_DEBUG"):
            raise
        from resources.blob_store import StoreError
        from resources.catalog import CatalogSchemaOutdated

        kind = "" if isinstance(exc, (CatalogSchemaOutdated, StoreError)) else f"{type(exc).__name__}: "
        print(f"mm {args.command}: {kind}{exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
