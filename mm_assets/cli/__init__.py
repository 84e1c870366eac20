"""The `mm` command line: ingest, materialize, search, eval, review, forget, status, fsck, ...

Every command takes `--json` for scripts; progress bars go to stderr only when it is a terminal.
Exit status: 0 done; 2 bad usage; 3 done but some partitions failed; 1 the command could not work.
MM_DEBUG=1 shows the full traceback instead of the one-line error.

This module holds the parser and `main`; the commands live per group: `materialize` (ingest,
materialize, reprocess), `search` (search, eval), `lifecycle` (diff, review, artifacts,
blast-radius, forget) and `health` (status, fsck, check, migrate), sharing `common`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from mm_assets.cli.common import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, UsageError, tenant_name
from mm_assets.cli.health import cmd_check, cmd_fsck, cmd_migrate, cmd_status
from mm_assets.cli.lifecycle import cmd_artifacts, cmd_blast_radius, cmd_diff, cmd_forget, cmd_review
from mm_assets.cli.materialize import cmd_ingest, cmd_materialize, cmd_reprocess
from mm_assets.cli.search import cmd_eval, cmd_search

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
        "--crops", metavar="DIR", help="write a PNG crop of each evidence box, cut from the redacted page, into DIR"
    )

    evaluate = add("eval", cmd_eval, "retrieval quality per channel and fused on a named evaluation set")
    evaluate.add_argument(
        "set_name",
        metavar="SET",
        help="skimage, textile, documents, mixed, pages, pii (redaction), av (audio and video)",
    )
    evaluate.add_argument("--docs", type=int, default=48, help="pii: how many generated documents (default 48)")
    evaluate.add_argument(
        "--no-segments", action="store_true", help="pii: only the generated set (no manuals, other sources, speech)"
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
