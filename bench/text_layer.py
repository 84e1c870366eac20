"""Born-digital vs scanned: materializing `pages` and `ocr` for the same 50 pages, side by side.

    python bench/text_layer.py [--pages 50] [--json] [--dir DIR]

The born-digital PDF is 50 pages of GLPK's reference manual as Debian's glpk-doc ships it (LaTeX
output with a text layer; `make system-deps` installs it). The scanned PDF holds the same pages
as 150-dpi images and nothing else, as a scanner writes them. Each goes into its own fresh
MM_HOME, is ingested, then `pages` and `ocr` are materialized by the real Dagster runs, timed
one after the other. The born-digital text comes from the text layer (no OCR call), the scan's
from the OCR engine (MM_OCR_ENGINE, default rapidocr). Prints seconds per asset, the ratio, and
the load average, since the machine may be shared. Target: the born-digital PDF >= 10x faster.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import dagster as dg
import pypdfium2 as pdfium
from _common import BenchError, bench_settings, machine, print_json, print_table, run_in_workdir, verdict

from mm_assets.artifacts import current_artifacts
from mm_assets.definitions import build_definitions
from mm_assets.kinds.pages import render_pdf
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.media_store import LocalBlobStore

MANUAL = Path("/usr/share/doc/glpk-doc/glpk.pdf")
FIRST_PAGE = 9  # chapter 1: the text pages, past the title and contents
SCAN_DPI = 150
TARGET_RATIO = 10.0


def born_digital_excerpt(pages: int, path: Path) -> Path:
    if not MANUAL.exists():
        raise BenchError(f"{MANUAL} not found: run `make system-deps` (or apt-get install glpk-doc)")
    source, target = pdfium.PdfDocument(MANUAL), pdfium.PdfDocument.new()
    try:
        if FIRST_PAGE - 1 + pages > len(source):
            raise BenchError(f"{MANUAL.name} has {len(source)} pages; ask for at most {len(source) - FIRST_PAGE + 1}")
        target.import_pages(source, list(range(FIRST_PAGE - 1, FIRST_PAGE - 1 + pages)))
        target.save(path)
    finally:
        target.close()
        source.close()
    return path


def scanned_copy(born_digital: Path, path: Path) -> Path:
    """The same pages as images only (no text layer), at the scan resolution."""
    images = render_pdf(born_digital.read_bytes(), SCAN_DPI)
    images[0].save(path, "PDF", resolution=float(SCAN_DPI), save_all=True, append_images=images[1:])
    return path


def materialize_timed(label: str, pdf: Path, home: Path) -> dict:
    """Ingest one PDF into a fresh home; seconds for the `pages` run and the `ocr` run."""
    settings = bench_settings({"MM_HOME": str(home)})
    store = LocalBlobStore(settings.store_root)
    catalog = CatalogResource(url=settings.catalog_url)
    report = ingest_paths([pdf], catalog=catalog, store=store, caps=settings.caps, options=IngestOptions())
    if len(report.accepted) != 1:
        raise BenchError(f"{label}: the input gate did not accept {pdf.name}: {report.rejected}")
    keys = report.new_partition_keys
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
    defs = build_definitions(settings)
    seconds = {}
    for kind in ("source_media", "pages", "ocr"):
        started = time.perf_counter()
        result = materialize_partitions(defs, instance, [dg.AssetKey(kind)], keys, 1)
        if result.failed:
            raise BenchError(f"{label}: {kind} failed: {result.failed}")
        seconds[kind] = time.perf_counter() - started
    attributes = current_artifacts(catalog, "ocr", keys)[keys[0]]["attributes"]
    instance.dispose()
    catalog.engine.dispose()
    return {
        "pages_s": seconds["pages"],
        "ocr_s": seconds["ocr"],
        "total_s": seconds["pages"] + seconds["ocr"],
        "text_layer_pages": attributes["text_layer_pages"],
        "ocr_pages": attributes["ocr_pages"],
        "characters": attributes["characters"],
    }


def run(args: argparse.Namespace, work: Path) -> int:
    born = born_digital_excerpt(args.pages, work / "born-digital.pdf")
    scan = scanned_copy(born, work / "scanned.pdf")
    load_before = os.getloadavg()[0]
    results = {
        "born_digital": materialize_timed("born-digital", born, work / "home-born"),
        "scanned": materialize_timed("scanned", scan, work / "home-scan"),
    }
    ratio = results["scanned"]["total_s"] / results["born_digital"]["total_s"]
    report = {
        "machine": machine(),
        "pages": args.pages,
        "source": f"{MANUAL} pages {FIRST_PAGE}-{FIRST_PAGE + args.pages - 1}",
        "ocr_engine": bench_settings({"MM_HOME": str(work)}).ocr_engine,
        "results": results,
        "ratio_pages_plus_ocr": ratio,
        "ratio_ocr": results["scanned"]["ocr_s"] / results["born_digital"]["ocr_s"],
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "target": {"ratio": TARGET_RATIO, "met": ratio >= TARGET_RATIO},
    }
    if args.json:
        print_json(report)
        return 0
    print(f"{args.pages} pages of {report['source']}; OCR engine {report['ocr_engine']}")
    print_table(
        ["PDF", "pages s", "ocr s", "pages+ocr s", "text-layer pages", "OCR pages", "characters"],
        [
            [label, r["pages_s"], r["ocr_s"], r["total_s"], r["text_layer_pages"], r["ocr_pages"], r["characters"]]
            for label, r in results.items()
        ],
    )
    load = report["load_average_1min"]
    print(f"load average (1 min) on this {os.cpu_count()}-core machine: {load['before']:.1f} -> {load['after']:.1f}")
    print(f"scanned / born-digital: pages+ocr {ratio:.1f}x, ocr alone {report['ratio_ocr']:.1f}x")
    print(f"target >= {TARGET_RATIO:.0f}x: {verdict(report['target']['met'])}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--dir", type=Path, default=None, help="where to build the temp data (default: system temp)")
    args = parser.parse_args()
    if args.pages <= 0:
        parser.error("--pages must be positive")
    return run_in_workdir("text-layer", args, run)


if __name__ == "__main__":
    sys.exit(main())
