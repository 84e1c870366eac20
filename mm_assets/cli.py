"""The `mm` command line: ingest, materialize, status, migrate.

Every command takes `--json` for scripts; progress bars go to stderr only when it is a terminal.
Exit status: 0 done; 2 bad usage; 3 done but some partitions failed; 1 the command could not work.
"""

from __future__ import annotations

import argparse
import json
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


def cmd_ingest(args: argparse.Namespace) -> int:
    from mm_assets.ingest import IngestOptions, IngestUsageError, ingest_paths
    from mm_assets.instance import get_instance
    from mm_assets.settings import load_settings
    from partitions import CONTENT_HASH_PARTITIONS_NAME
    from resources.catalog import CatalogResource
    from resources.media_store import open_store

    settings = load_settings()
    options = IngestOptions(
        tenant=args.tenant or settings.default_tenant, region=args.region, consent=args.consent
    )
    try:
        options.validate()
    except IngestUsageError as exc:
        raise UsageError(str(exc)) from exc
    missing = [p for p in args.paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing and len(missing) == len(args.paths):
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    catalog = CatalogResource(url=settings.catalog_url)
    store = open_store(settings.store_root)
    with _progress(None, "ingest", "file") as bar:
        report = ingest_paths(
            [Path(p) for p in args.paths],
            catalog=catalog,
            store=store,
            caps=settings.caps,
            options=options,
            on_item=lambda _item: bar.update(1),
        )
    # Duplicates are registered again too: adding a key is idempotent, and it heals a crash that
    # happened after the catalog write but before the partition was registered.
    keys = report.new_partition_keys + [item["content_hash"] for item in report.duplicates]
    if keys:
        get_instance(settings).add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)

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


def cmd_materialize(args: argparse.Namespace) -> int:
    from mm_assets.definitions import build_definitions
    from mm_assets.instance import get_instance
    from mm_assets.runs import materialize_partitions
    from mm_assets.settings import load_settings
    from mm_assets.status import collect_status
    from partitions import CONTENT_HASH_PARTITIONS_NAME, InvalidPartitionKey, validate_content_hash

    settings = load_settings()
    defs = build_definitions(settings)
    asset_keys = _selected_asset_keys(defs, args.select)
    instance = get_instance(settings)
    registered = instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME)
    if args.partitions:
        try:
            wanted = [validate_content_hash(key) for key in args.partitions]
        except InvalidPartitionKey as exc:
            raise UsageError(str(exc)) from exc
        unknown = sorted(set(wanted) - set(registered))
        if unknown:
            raise UsageError(f"not ingested (no such partition): {', '.join(k[:16] for k in unknown)}")
    else:
        status = collect_status(defs, instance, asset_keys)
        mode = "stale" if args.stale else "missing"
        wanted_set: set[str] = set()
        for asset_status in status.values():
            wanted_set |= (
                set(asset_status.stale) if args.stale else asset_status.missing | asset_status.failed
            )
        wanted = [key for key in registered if key in wanted_set]
        if not args.json:
            print(
                f"{len(wanted)} partition(s) {mode} for {', '.join(k.to_user_string() for k in asset_keys)}"
            )
    with _progress(len(wanted), "materialize", "partition") as bar:
        report = materialize_partitions(
            defs,
            instance,
            asset_keys,
            wanted,
            settings.run_batch_size,
            on_batch_done=lambda batch, ok: bar.update(len(batch) if ok else 0),
        )

    def human() -> None:
        for key, reason in report.failed.items():
            print(f"failed    {key[:16]}: {reason}")
        print(
            f"{len(report.materialized)} partition(s) materialized in {len(report.run_ids)} run(s), "
            f"{len(report.failed)} failed"
        )

    _emit(args, report.as_json(), human)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from mm_assets.definitions import build_definitions
    from mm_assets.instance import get_instance
    from mm_assets.settings import load_settings
    from mm_assets.status import collect_status

    settings = load_settings()
    defs = build_definitions(settings)
    status = collect_status(defs, get_instance(settings))
    payload = {"assets": {name: s.counts() for name, s in status.items()}}

    def human() -> None:
        print(f"{'asset':24} {'materialized':>12} {'missing':>8} {'stale':>6} {'failed':>7}  code_version")
        for name, counts in payload["assets"].items():
            print(
                f"{name:24} {counts['materialized']:>12} {counts['missing']:>8} {counts['stale']:>6} "
                f"{counts['failed']:>7}  {counts['code_version']}"
            )

    _emit(args, payload, human)
    return EXIT_OK


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mm", description="mm-assets: versioned artifacts from raw media")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
        command.set_defaults(handler=handler)
        return command

    ingest = add("ingest", cmd_ingest, "hash, gate, store and register files and folders")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--tenant", help="owner of the media (default: MM_TENANT or 'default')")
    ingest.add_argument("--region", default="unspecified", help="data residency region label")
    ingest.add_argument("--consent", default="valid", choices=["valid", "expired"])

    materialize = add("materialize", cmd_materialize, "run the asset graph in batched in-process runs")
    materialize.add_argument(
        "--select", action="append", metavar="KINDS", help="asset kinds, comma-separated"
    )
    which = materialize.add_mutually_exclusive_group()
    which.add_argument(
        "--missing", action="store_true", help="partitions not yet materialized or failed (default)"
    )
    which.add_argument("--stale", action="store_true", help="partitions whose code, model or inputs changed")
    which.add_argument("--partitions", nargs="+", metavar="HASH", help="these content hashes")

    add("status", cmd_status, "counts per asset kind: materialized, missing, stale, failed")
    add("migrate", cmd_migrate, "apply pending catalog schema migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"mm {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence: one clear line, no traceback
        from resources.catalog import CatalogSchemaOutdated

        kind = "" if isinstance(exc, CatalogSchemaOutdated) else f"{type(exc).__name__}: "
        print(f"mm {args.command}: {kind}{exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
