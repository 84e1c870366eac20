"""Replay the `fields` step on stored OCR and table payloads, so a rule change is measured on every spent real
document in seconds instead of a quarter of an hour through the graph.

    # once: every real field document (`--real all`, plus the named blind sets that are spent) through the real
    # graph (pages, ocr, layout, table, fields) in a private home; keeps each one's ocr and table payloads
    PYTHONPATH=$PWD .venv/bin/python evaluation/replay_fields.py collect --home /tmp/H --stored /tmp/stored.json
    # then, for any tree: its `fields` step on those payloads, scored by the eval's own score_real_fields
    PYTHONPATH=$PWD .venv/bin/python evaluation/replay_fields.py replay --stored /tmp/stored.json --out v18.json
    PYTHONPATH=/tmp/v17tree .venv/bin/python evaluation/replay_fields.py replay --stored ... --out v17.json
    .venv/bin/python evaluation/replay_fields.py compare v17.json v18.json   # per set, per field; what moved
    PYTHONPATH=$PWD .venv/bin/python evaluation/replay_fields.py misses v18.json     # what is still missed
    PYTHONPATH=$PWD .venv/bin/python evaluation/replay_fields.py ablate --stored ...  # one mechanism off at a time

Only spent material: `collect` refuses a blind set unless it is named (`--sets`), and a set is named only once it
has been judged. Which tree replays is whatever `mm_assets` PYTHONPATH imports (this file imports nothing of the
project at module level). The replay is the graph's `fields` step: the same `fields_payload` on the same inputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

FIELDS = ("doc_type", "invoice_number", "invoice_date", "due_date", "vendor", "currency", "subtotal", "tax", "total")


def collect(home: Path, stored: Path, sets: list[str]) -> None:
    """Every chosen real field document through the graph, and its ocr and table payloads kept."""
    import dagster as dg

    from mm_assets.artifacts import current_artifacts
    from mm_assets.definitions import build_definitions
    from mm_assets.operations.document_evaluation import DOCUMENT_KINDS, real_samples
    from mm_assets.operations.evaluation_base import EVAL_TENANT, evaluation_settings, fresh_folder
    from mm_assets.operations.ingest import IngestOptions, ingest_paths
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.orchestration.runs import materialize_partitions
    from partitions import CONTENT_HASH_PARTITIONS_NAME
    from resources.blob_store import store_key_of
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    samples = {s.name: s for which in ["all", *sets] for s in real_samples("fields", which)}
    home = fresh_folder(home)
    media = home / "media"
    media.mkdir()
    for sample in samples.values():
        (media / f"{sample.name}.pdf").write_bytes(sample.pdf)
    settings = evaluation_settings(home / "mm")
    catalog, store = CatalogResource(url=settings.catalog_url), open_store(settings.store_root)
    options = IngestOptions(tenant=EVAL_TENANT)
    report = ingest_paths([media], catalog=catalog, store=store, caps=settings.caps, options=options)
    names = {item["content_hash"]: Path(item["path"]).stem for item in report.accepted}
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, list(names))
    keys = [dg.AssetKey(kind) for kind in DOCUMENT_KINDS]
    runs = materialize_partitions(build_definitions(settings), instance, keys, list(names), settings.run_batch_size)
    kept: dict[str, dict] = {}
    for kind in ("ocr", "table", "fields"):
        for key, row in current_artifacts(catalog, kind, list(names)).items():
            payload = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
            kept.setdefault(names[key], {})[kind] = payload
    documents = {}
    for name, sample in samples.items():
        got = kept.get(name, {})
        documents[name] = {
            "truth": sample.truth,
            "spans": got.get("ocr", {}).get("spans", []),
            "tables": got.get("table", {}).get("tables", []),
            "graph_fields": got.get("fields"),
        }
    stored.write_text(json.dumps({"failed": runs.failed, "documents": documents}, default=str))
    print(f"kept {len(documents)} documents ({len(runs.failed)} failed partitions) in {stored}")


def set_of(relative_names: dict[str, str], name: str) -> str:
    return relative_names.get(name, "rest")


def blind_set_names() -> dict[str, str]:
    """Document name -> the blind set it came from (spent sets only appear in truth.json's blind_sets)."""
    from mm_assets.operations.real_documents import real_truth

    names = {}
    for set_name, files in real_truth().get("blind_sets", {}).items():
        for relative in files:
            names["real-" + Path(relative).stem.replace("_", "-")] = set_name
    return names


def replay(stored: Path, out: Path) -> None:
    """This tree's `fields` step on each stored document, scored like `mm eval fields` scores it."""
    from mm_assets.kinds.fields import fields_payload
    from mm_assets.operations.document_evaluation import FIELD_NAMES
    from mm_assets.operations.real_documents import score_real_fields

    documents = json.loads(stored.read_text())["documents"]
    sets = blind_set_names()
    results = {}
    for name, document in sorted(documents.items()):
        payload, _, _ = fields_payload(document["spans"], document["tables"])
        scores = score_real_fields(document["truth"], payload, FIELD_NAMES)
        values = {field: payload["fields"].get(field, {}).get("value") for field in FIELD_NAMES}
        failed = [failure["rule"] for failure in payload["verification"]["failed"]]
        results[name] = {
            "set": set_of(sets, name),
            "scores": scores,
            "values": values,
            "doc_type": payload["doc_type"],
            "status": payload["verification"]["status"],
            "failed": failed,
        }
    out.write_text(json.dumps(results, indent=1, default=str))
    print(table({"replay": results}))


def tally(results: dict[str, dict]) -> dict[str, list[int]]:
    """Per field [right, scored]; false conflicts [flagged, consistent]; wrong totals [flagged, inconsistent]."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results.values():
        scores = result["scores"]
        for field in FIELDS:
            if scores.get(field) is not None:
                counts[field][0] += int(scores[field] == 1.0)
                counts[field][1] += 1
        key = "wrong_totals_flagged" if scores["inconsistent"] else "false_conflicts"
        counts[key][0] += int(scores["flagged"])
        counts[key][1] += 1
    return counts


def table(runs: dict[str, dict[str, dict]]) -> str:
    """A markdown table: one row per (set, run), and the whole of each run."""
    columns = (*FIELDS, "false_conflicts", "wrong_totals_flagged")
    lines = ["| set, run | docs | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    set_names = sorted({r["set"] for results in runs.values() for r in results.values()})
    for set_name in [*set_names, "all"]:
        for run, results in runs.items():
            chosen = {n: r for n, r in results.items() if set_name == "all" or r["set"] == set_name}
            counts = tally(chosen)
            cells = [f"{counts[c][0]}/{counts[c][1]}" if counts[c][1] else "-" for c in columns]
            lines.append(f"| {set_name}, {run} | {len(chosen)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare(before_path: Path, after_path: Path) -> None:
    """The per-set table of both runs, then every document and field whose score or verdict moved."""
    before, after = json.loads(before_path.read_text()), json.loads(after_path.read_text())
    print(table({before_path.stem: before, after_path.stem: after}))
    for name in sorted(before):
        was, now = before[name], after.get(name)
        if now is None:
            continue
        for field in FIELDS:
            old, new = was["scores"].get(field), now["scores"].get(field)
            if old != new:
                got = (
                    (was["values"].get(field), now["values"].get(field))
                    if field != "doc_type"
                    else (was["doc_type"], now["doc_type"])
                )
                print(f"{'BETTER' if (new or 0) > (old or 0) else 'WORSE '} {name} {field}: {got[0]!r} -> {got[1]!r}")
        if was["scores"]["flagged"] != now["scores"]["flagged"]:
            print(
                f"VERDICT {name}: {was['status']} {was['failed']} -> {now['status']} {now['failed']}"
                f" (inconsistent: {now['scores']['inconsistent']})"
            )


def misses(path: Path) -> None:
    """Each document's missed fields with the value read, and each false or missed conflict."""
    results = json.loads(path.read_text())
    for name, result in sorted(results.items(), key=lambda item: (item[1]["set"], item[0])):
        scores = result["scores"]
        missed = [f for f in FIELDS if scores.get(f) == 0.0]
        wrong_verdict = scores["flagged"] != scores["inconsistent"]
        if missed or wrong_verdict:
            got = {f: (result["doc_type"] if f == "doc_type" else result["values"].get(f)) for f in missed}
            print(
                f"{result['set']:6} {name}: {got}"
                + (f" VERDICT {result['status']} {result['failed']}" if wrong_verdict else "")
            )


# Mechanisms to switch off one at a time (the module that defines it, name, what it returns when off): which sets
# lose fields without each tells a rule that serves one set's template from one that generalises. `ablate` switches
# it off wherever a module imported it, so a mechanism stays off when its module is split or it is called from two
ABLATIONS = (
    ("invoice_heading_rows", "_in_caption_grid", None),  # a totals grid's caption read in its cell
    ("invoice_boxes", "lines_in_caption_box", []),  # a box-grid caption's value at the foot of its box
    ("invoice_stated_sums", "stated_sum_check", None),  # a caption that states a sum, checked
    ("invoice_qr_bill", "_qr_bill_amount", None),  # the QR-bill's amount box
    ("invoice_rate_rows", "summed_rate_columns", None),  # a per-rate tax summary's column sums
    ("invoice_summary_sums", "_sum_by_class", None),  # one summary row per rate or class, summed
    ("invoice_summary_sums", "_sum_of_named_rows", None),  # CGST + SGST
    ("invoice_summary_sums", "_total_under_the_tax", None),
    ("invoice_summary_sums", "_subtotal_that_adds_up", None),  # arithmetic: the subtotal that makes the total
    ("invoice_summary_sums", "_summary_by_arithmetic", {}),  # arithmetic: the tax step no label names
    ("invoice_numbers", "_number_under_title", None),
    ("invoice_numbers", "_number_by_sign", None),
    ("invoice_numbers", "_number_beside_title", None),
    ("invoice_currency", "_dollars_of_an_english_page", None),  # a bare "$" on an English page
    ("invoice_currency", "currency_of_account", None),  # an IBAN by its shape
    ("invoice_receipts", "shop_over_address", None),  # a receipt's shop
    ("invoice_vendor", "issuer_by_stub", None),  # a DANFE's "RECEBEMOS DE"
    ("invoice_vendor", "_name_in_seller_section", None),  # a seller heading's name caption
    ("invoice_vendor", "issuer_by_tax_id", None),
    ("invoice_doctype", "bill_by_evidence", False),
)


def ablate(stored: Path) -> None:
    """For each mechanism of ABLATIONS switched off alone: the fields lost (and verdicts moved) per set."""
    import importlib

    from mm_assets.kinds.fields import fields_payload
    from mm_assets.operations.document_evaluation import FIELD_NAMES
    from mm_assets.operations.real_documents import score_real_fields

    documents = json.loads(stored.read_text())["documents"]
    sets = blind_set_names()

    def scores() -> dict[str, dict]:
        return {
            name: score_real_fields(doc["truth"], fields_payload(doc["spans"], doc["tables"])[0], FIELD_NAMES)
            for name, doc in documents.items()
        }

    base = scores()
    for module_name, attribute, off in ABLATIONS:
        kept = getattr(importlib.import_module(f"mm_assets.operations.{module_name}"), attribute)
        # every module that bound the mechanism by import calls it by that binding: switch off each
        loaded = [module for name, module in list(sys.modules.items()) if name.startswith("mm_assets.")]
        holders = [module for module in loaded if vars(module).get(attribute) is kept]
        for holder in holders:
            setattr(holder, attribute, lambda *args, _off=off, **kwargs: _off)
        try:
            now = scores()
        finally:
            for holder in holders:
                setattr(holder, attribute, kept)
        lost: dict[str, int] = defaultdict(int)
        for name, was in base.items():
            for field in FIELDS:
                if was.get(field) == 1.0 and now[name].get(field) != 1.0:
                    lost[set_of(sets, name)] += 1
            if was["flagged"] != now[name]["flagged"]:
                lost[set_of(sets, name) + " verdict"] += 1
        spread = ", ".join(f"{key} {count}" for key, count in sorted(lost.items())) or "nothing"
        print(f"{module_name}.{attribute} off: fields lost by set: {spread}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    collecting = sub.add_parser("collect")
    collecting.add_argument("--home", type=Path, required=True)
    collecting.add_argument("--stored", type=Path, required=True)
    collecting.add_argument("--sets", default="", help="spent blind sets to add to --real all, comma-separated")
    replaying = sub.add_parser("replay")
    replaying.add_argument("--stored", type=Path, required=True)
    replaying.add_argument("--out", type=Path, required=True)
    comparing = sub.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    missing = sub.add_parser("misses")
    missing.add_argument("results", type=Path)
    ablating = sub.add_parser("ablate")
    ablating.add_argument("--stored", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "collect":
        collect(args.home, args.stored, [s for s in args.sets.split(",") if s])
    elif args.command == "replay":
        replay(args.stored, args.out)
    elif args.command == "ablate":
        ablate(args.stored)
    elif args.command == "compare":
        compare(args.before, args.after)
    else:
        misses(args.results)


if __name__ == "__main__":
    main(sys.argv[1:])
