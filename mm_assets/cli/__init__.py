"""The `mm` command line: ingest, materialize, search, eval, review, forget, status, fsck, ...

Every command takes `--json` for scripts; progress bars go to stderr only when it is a terminal.
Exit status: 0 done; 2 bad usage; 3 done but some partitions failed; 1 the command could not work.
MM_DEBUG=1 shows the full traceback instead of the one-line error.

This module holds the parser and `main`; the commands live per group: `materialize` (ingest,
materialize, reprocess), `search` (search, eval), `cost` (cost, budget, stats, report), `lifecycle`
(diff, review, artifacts, blast-radius, forget), `health` (status, fsck, check, migrate) and `serve`
(serve, keys), sharing `common`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from mm_assets.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    UsageError,
    add_tenant_scope,
    tenant_name,
    terminal_text,
)
from mm_assets.cli.cost import cmd_budget, cmd_cost, cmd_report, cmd_stats, since_date
from mm_assets.cli.documents import cmd_fields, cmd_tables
from mm_assets.cli.health import cmd_check, cmd_fsck, cmd_migrate, cmd_status
from mm_assets.cli.lifecycle import cmd_artifacts, cmd_blast_radius, cmd_diff, cmd_forget, cmd_review
from mm_assets.cli.materialize import cmd_ingest, cmd_materialize, cmd_reprocess
from mm_assets.cli.search import cmd_eval, cmd_search
from mm_assets.cli.serve import cmd_keys, cmd_serve

# Scripts and tests read the exit codes from here, beside `main`.
__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "build_parser", "main"]


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
        "--include-sensitive",
        action="store_true",
        help="with --global: include media flagged sensitive (identity documents), left out otherwise",
    )
    search.add_argument(
        "--crops", metavar="DIR", help="write a PNG crop of each evidence box, cut from the redacted page, into DIR"
    )

    evaluate = add("eval", cmd_eval, "retrieval quality per channel and fused on a named evaluation set")
    evaluate.add_argument(
        "set_name",
        metavar="SET",
        help="skimage, textile, documents, mixed, pages, pii (redaction), faces, av (audio and video), "
        "review (rejections), tables, fields, rotation (OCR CER upright vs turned), rotation-dense (the same "
        "on small type and grainy scans, which OCR misreads a little even upright)",
    )
    evaluate.add_argument(
        "--docs",
        type=int,
        help="pii, tables, fields, rotation: how many generated documents (default 48 for pii, 6 pages for "
        "rotation, else 24)",
    )
    evaluate.add_argument(
        "--no-segments", action="store_true", help="pii: only the generated set (no manuals, other sources, speech)"
    )
    evaluate.add_argument(
        "--real",
        default="all",
        help="tables, fields: which real documents (evaluation/real) join the generated ones: none, tuning, "
        "all (default; held-back blind sets excepted) or the name of one blind set of truth.json, which runs alone",
    )
    evaluate.add_argument(
        "--slices",
        help="pii: comma-separated segment slices (tuning, tuning_2, held_back_2, held_back_3, held_back_4, "
        "held_back_5, held_back_6, held_back_7, held_back_8, held_back_9, held_back_10, held_back_11, "
        "held_back_12, held_back_13, held_back_14, held_back_15, held_back_16, held_back_17, held_back_18, "
        "held_back_19, held_back_20, held_back_21; default every slice not held back (a held-back slice runs "
        "only when named); held_back_2 to _21 were each run once, only to report, and are tuning material "
        "since); "
        "rotation, rotation-dense: tuning, held_back (default both); rotation-dense also held_back_2 (a second "
        "seed of 12 dense pages, scanned upright and turned only) and held_back_3 (a third, upright, 90 and 180)",
    )
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
    add_tenant_scope(diff, "upgrades")

    review = add("review", cmd_review, "work the review queue")
    review.add_argument("action", choices=["list", "approve", "reject"])
    review.add_argument("review_id", nargs="?")
    review.add_argument("--status", default="open", choices=["open", "approved", "rejected", "all"])
    add_tenant_scope(review, "review items")

    artifacts = add("artifacts", cmd_artifacts, "every version of every artifact of a source")
    artifacts.add_argument("content_hash", metavar="HASH")
    add_tenant_scope(artifacts, "a source")

    for name, handler, what in (
        ("tables", cmd_tables, "a document's tables as JSON (and CSV files with --csv DIR)"),
        ("fields", cmd_fields, "an invoice's or receipt's fields, line items and verification"),
    ):
        command = add(name, handler, what)
        command.add_argument("content_hash", metavar="HASH")
        command_scope = command.add_mutually_exclusive_group()
        command_scope.add_argument("--tenant", type=tenant_name, help="the owner (required unless --global)")
        command_scope.add_argument("--global", dest="global_scope", action="store_true", help="any tenant's source")
        if name == "tables":
            command.add_argument("--csv", metavar="DIR", help="also write each table's rows as a CSV file into DIR")

    blast = add("blast-radius", cmd_blast_radius, "sources whose current artifact came from a given version")
    blast.add_argument("--kind", required=True)
    blast.add_argument("--model-id", required=True)
    blast.add_argument("--pipeline-version")
    add_tenant_scope(blast, "sources")

    forget = add("forget", cmd_forget, "delete a source and everything derived from it, everywhere")
    forget.add_argument("content_hash", metavar="HASH")
    forget.add_argument(
        "--tenant", type=tenant_name, help="the owner (default MM_TENANT); another tenant's media is refused"
    )
    forget.add_argument("--who", help="caller name for the governance log")

    serve = add("serve", cmd_serve, "the HTTP API with warm models, per-tenant keys and the review page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)

    keys = add("keys", cmd_keys, "API keys of `mm serve`: create (shown once), list, revoke")
    keys.add_argument("action", choices=["create", "list", "revoke"])
    keys.add_argument("key_id", nargs="?", metavar="KEY_ID", help="revoke: the key's id (or the key)")
    add_tenant_scope(keys, "keys (list)")
    keys.add_argument("--name", help="a label for the key (default: tenant and id)")
    keys.add_argument("--admin", action="store_true", help="an admin key: may act across tenants")
    keys.add_argument("--rate", type=int, default=600, help="requests per minute before 429 (default 600)")

    cost = add("cost", cmd_cost, "what processing cost, per tenant, modality, kind or day (polars)")
    add_tenant_scope(cost, "costs")
    cost.add_argument("--since", type=since_date, metavar="DATE", help="steps from this UTC date on (YYYY-MM-DD)")
    cost.add_argument("--by", choices=["tenant", "modality", "kind", "day"], default="tenant")
    cost.add_argument("--png", metavar="PATH", help="also draw the rows as a bar chart into this PNG")

    budget = add("budget", cmd_budget, "daily spending caps per tenant: over it, a tenant's partitions are held")
    budget.add_argument("action", choices=["set", "list"])
    add_tenant_scope(budget, "budgets (list)")
    budget.add_argument("--daily-usd", type=float, metavar="X", help="the cap in USD per UTC day")
    budget.add_argument("--who", help="caller name recorded with the budget (default: the OS user)")

    stats = add("stats", cmd_stats, "p50/p95 milliseconds per search stage, from the search audit")
    stats.add_argument("what", choices=["search"])
    stats.add_argument("--since", type=since_date, metavar="DATE", help="searches from this UTC date on")
    add_tenant_scope(stats, "searches")

    report = add("report", cmd_report, "PNG plots: input quality per tenant, review/conflict rate, latency, cost")
    report.add_argument("--out", metavar="DIR", help="where the PNGs go (default $MM_HOME/reports/dashboard)")
    add_tenant_scope(report, "the dashboard (cross-tenant: --global only)")

    status = add("status", cmd_status, "counts per asset kind: materialized, missing, stale, failed")
    add_tenant_scope(status, "partition counts")
    add("migrate", cmd_migrate, "apply pending catalog schema migrations")

    check = add("fsck", cmd_fsck, "compare store, catalog and partitions; report or --repair what a crash left")
    check.add_argument("--repair", action="store_true", help="fix what can be fixed safely (default: only report)")

    version_check = add("check", cmd_check, "run the version_consistency checks in-process (exit 3 if any fails)")
    version_check.add_argument("--select", action="append", metavar="KINDS", help="asset kinds, comma-separated")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Run as the `mm` program (no argv given), the process ends after this command: a command may then
    # leave out process-wide set-up that only later work would need (`mm search`, see cmd_search).
    args.process_ends_after = argv is None
    try:
        return args.handler(args)
    except UsageError as exc:
        print(terminal_text(f"mm {args.command}: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence: one clear line, no traceback
        if os.environ.get("MM_DEBUG"):
            raise
        from resources.blob_store import StoreError
        from resources.catalog import CatalogSchemaOutdated

        kind = "" if isinstance(exc, (CatalogSchemaOutdated, StoreError)) else f"{type(exc).__name__}: "
        print(terminal_text(f"mm {args.command}: {kind}{exc}"), file=sys.stderr)
        return EXIT_ERROR
