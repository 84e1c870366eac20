"""`mm tables` and `mm fields`: a document's tables and invoice fields."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from mm_assets.cli.common import EXIT_OK, UsageError, emit


def _scope(args: argparse.Namespace, what: str) -> None:
    if not args.tenant and not args.global_scope:
        raise UsageError(f"{what} are scoped to one tenant: pass --tenant T (or --global to look across tenants)")


def _read(args: argparse.Namespace, what: str, read: Callable[..., dict]) -> dict:
    """`read(catalog, store, hash, tenant)` for the source the arguments name, in its tenant's scope."""
    _scope(args, what)
    from mm_assets.operations.lifecycle import LifecycleError
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    settings = load_settings()
    try:
        return read(
            CatalogResource(url=settings.catalog_url), open_store(settings.store_root), args.content_hash, args.tenant
        )
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc


def cmd_tables(args: argparse.Namespace) -> int:
    from mm_assets.operations.documents_data import source_tables, write_table_csvs

    found = _read(args, "tables", source_tables)
    written = write_table_csvs(found["tables"], Path(args.csv), args.content_hash) if args.csv else []

    def human() -> None:
        for table in found["tables"]:
            print(f"page {table['page']}  {table['n_rows']}x{table['n_cols']}  bbox {table['bbox']}")
            for row in table["rows"]:
                print("  | " + " | ".join(row) + " |")
        for path in written:
            print(f"wrote {path}")

    emit(args, found, human)
    return EXIT_OK


def cmd_fields(args: argparse.Namespace) -> int:
    from mm_assets.operations.documents_data import source_fields

    found = _read(args, "fields", source_fields)

    def human() -> None:
        print(f"{found['doc_type']}: {found['verification']['status']}, {found['disposition']}")
        for name, field in found["fields"].items():
            print(f"  {name:15} {field['value']}  (page {field['page']}, {field['confidence']})")
        for item in found["line_items"]:
            print("  - " + ", ".join(f"{part}={value['value']}" for part, value in item.items()))
        for failure in found["verification"]["failed"]:
            print(f"  FAILED {failure['rule']}: expected {failure['expected']}, found {failure['found']}")
        if found["review_id"]:
            print(f"  review {found['review_id']}")

    emit(args, found, human)
    return EXIT_OK
