"""`mm diff`, `mm review`, `mm artifacts`, `mm blast-radius` and `mm forget`: artifact versions,
the review queue, and deleting a source everywhere."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mm_assets.cli.common import (
    EXIT_OK,
    UsageError,
    emit,
    graph_context,
    kind_and_downstream,
    shown,
    tenant_scope,
)


def cmd_diff(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import diff_report
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    tenant = tenant_scope(args, "upgrade diffs")
    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)
    table = diff_report(catalog, args.kind, args.from_version, args.to_version, tenant)
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

    emit(args, payload, human)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import LifecycleError, decide_review, list_reviews
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    tenant = tenant_scope(args, "review items")
    settings = load_settings()
    catalog = CatalogResource(url=settings.catalog_url)
    if args.action == "list":
        items = list_reviews(catalog, args.status, tenant)

        def human_list() -> None:
            for item in items:
                print(
                    f"{item['review_id']}  {item['status']:8} {item['kind']:16} "
                    f"{item['source_hash'][:16]}  {shown(item['reason'])}"
                )
            if not items:
                print("review queue is empty")

        emit(args, {"reviews": items}, human_list)
        return EXIT_OK
    if not args.review_id:
        raise UsageError(f"mm review {args.action} needs a REVIEW_ID (see `mm review list`)")
    try:
        decision = decide_review(catalog, args.review_id, args.action == "approve", tenant)
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc
    payload: dict[str, Any] = {"decision": decision.__dict__}
    if decision.superseded:
        # The new current artifact changes what downstream kinds read: bring them up to date now.
        _, defs, instance, _ = graph_context()
        from mm_assets.orchestration.runs import materialize_partitions

        downstream = kind_and_downstream(defs, [decision.kind])[1:]
        if downstream:
            report = materialize_partitions(defs, instance, downstream, [decision.content_hash], 1)
            payload["downstream"] = report.as_json()
    emit(args, payload, lambda: print(f"{decision.review_id}: {decision.status}"))
    return EXIT_OK


def cmd_artifacts(args: argparse.Namespace) -> int:
    tenant = tenant_scope(args, "artifacts")
    from mm_assets.operations.lifecycle import LifecycleError, artifact_versions
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    settings = load_settings()
    try:
        versions = artifact_versions(CatalogResource(url=settings.catalog_url), args.content_hash, tenant)
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

    emit(args, versions, human)
    return EXIT_OK


def cmd_blast_radius(args: argparse.Namespace) -> int:
    from mm_assets.operations.lifecycle import blast_radius
    from mm_assets.settings import load_settings
    from resources.catalog import CatalogResource

    tenant = tenant_scope(args, "blast radii")
    settings = load_settings()
    rows = blast_radius(
        CatalogResource(url=settings.catalog_url), args.kind, args.model_id, args.pipeline_version, tenant
    )

    def human() -> None:
        for row in rows:
            print(f"{row['content_hash']}  {row['tenant_id']:12} {shown(row['original_name'])}")
        print(f"{len(rows)} source(s) whose current {args.kind} came from {args.model_id}")

    emit(args, {"kind": args.kind, "model_id": args.model_id, "count": len(rows), "sources": rows}, human)
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from mm_assets.operations.forget import forget_everywhere
    from mm_assets.operations.lifecycle import LifecycleError
    from mm_assets.operations.search import current_user
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings
    from partitions import InvalidPartitionKey, validate_content_hash

    try:
        content_hash = validate_content_hash(args.content_hash)
    except InvalidPartitionKey as exc:
        raise UsageError(str(exc)) from exc
    settings = load_settings()
    tenant = args.tenant or settings.default_tenant
    try:
        report = forget_everywhere(settings, get_instance(settings), content_hash, tenant, args.who or current_user())
    except LifecycleError as exc:
        raise UsageError(str(exc)) from exc
    rows = sum(report.catalog_rows_deleted.values())
    resumed = "finished an interrupted forget of" if report.resumed else "forgot"
    emit(
        args,
        report.__dict__,
        lambda: print(
            f"{resumed} {content_hash[:16]}: {report.payloads_deleted} payload(s), {rows} catalog row(s), "
            f"{report.index_rows_deleted} index row(s)"
        ),
    )
    return EXIT_OK
