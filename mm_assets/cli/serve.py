"""`mm serve` and `mm keys`: the HTTP API and the keys it accepts."""

from __future__ import annotations

import argparse
from typing import Any

from mm_assets.cli.common import EXIT_OK, UsageError, emit, tenant_scope


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from mm_assets.server.app import create_app
    from mm_assets.settings import load_settings

    # No access log: its request lines would carry query texts, which the search audit keeps only as a hash.
    uvicorn.run(create_app(load_settings()), host=args.host, port=args.port, log_level="info", access_log=False)
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    from mm_assets.operations.keys import ApiKeyError, create_key, list_keys, revoke_key
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    catalog = CatalogResource(url=load_settings().catalog_url)
    try:
        if args.action == "create":
            if not args.tenant:
                raise UsageError("mm keys create needs --tenant T (the only tenant the key can see)")
            key, row = create_key(catalog, args.tenant, args.name, "admin" if args.admin else "tenant", args.rate)
            emit(args, {"key": key, **row}, lambda: print(f"{key}\n(shown once: store it now; id {row['key_id']})"))
        elif args.action == "list":
            rows = list_keys(catalog, tenant_scope(args, "keys"))
            emit(args, {"keys": rows}, lambda: [print(_key_line(row)) for row in rows] or None)
        else:
            if not args.key_id:
                raise UsageError("mm keys revoke needs the KEY_ID (see `mm keys list`)")
            row = revoke_key(catalog, args.key_id, args.tenant)
            emit(args, row, lambda: print(f"revoked {row['key_id']} ({row['tenant_id']}, {row['name']})"))
    except ApiKeyError as exc:
        raise UsageError(str(exc)) from exc
    return EXIT_OK


def _key_line(row: dict[str, Any]) -> str:
    state = f"revoked {row['revoked_at']:%Y-%m-%d}" if row["revoked_at"] else "active"
    return f"{row['key_id']}  {row['kind']:6} {row['tenant_id']:16} {row['name']:24} {state}"
