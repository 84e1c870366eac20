"""Peak memory (RSS) of the `pages` step on big PDFs: it must not grow with page count or page size.

Each measurement is a fresh process, so each peak is its own: `mm ingest` then
`mm materialize --select source_media,pages` on a fresh MM_HOME (the real CLI, Dagster run and
stores), and a reader that walks every stored page through `load_pages` (what OCR, PII and the
previews read) and processes it (greyscale, a thumbnail). Peak RSS comes from the kernel
(`os.wait4`'s ru_maxrss for that child). Side by side, in one run: the same documents with
1/10 of the pages, and the old approach (every page rendered into a list first) on the small
ones only, because on the big ones it needs about 7.5 GB.

    python bench/memory.py [--pages 1000] [--big-pages 20] [--big-side-pt 4500] [--json] [--dir D]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

ROOT = Path(__file__).resolve().parent.parent
TARGET_BYTES = 1.5 * 1024**3
LETTER = (612, 792)

READER = """
import sys
from PIL import ImageOps
from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kinds.pages import load_pages
from mm_assets.settings import load_settings
from resources.catalog import CatalogResource
from resources.stores import open_store
import json

settings = load_settings()
store = open_store(settings.store_root)
catalog = CatalogResource(url=settings.catalog_url)

class Reader:  # what load_pages needs of an ArtifactBatch: read a payload and its side files
    def read_bytes(self, row, suffix=""):
        key = store_key_of(store, row["payload_uri"])
        return store.read_bytes(key.rsplit(".", 1)[0] + suffix if suffix else key)
    def read_json(self, row):
        return json.loads(self.read_bytes(row))

rows = current_artifacts(catalog, "pages", [sys.argv[1]])
count = 0
for number, image in load_pages(Reader(), rows[sys.argv[1]]):
    ImageOps.grayscale(image).thumbnail((256, 256))
    count += 1
    del image  # a consumer that lets go of a page before the next one decodes holds one page
print(count)
"""

OLD_WAY = """
import sys
import pypdfium2 as pdfium
from mm_assets.kinds.pages import encode_png
data = open(sys.argv[1], "rb").read()
document = pdfium.PdfDocument(data)
pages = [document[i].render(scale=150 / 72).to_pil().convert("RGB") for i in range(len(document))]
encoded = {n: encode_png(image) for n, image in enumerate(pages, 1)}
print(len(encoded))
"""


def make_pdf(path: Path, pages: int, size_pt: tuple[float, float]) -> Path:
    """A PDF of `pages` pages, each with a filled rectangle (so the renders are not blank)."""
    document = pdfium.PdfDocument.new()
    width, height = size_pt
    for index in range(pages):
        page = document.new_page(width, height)
        top = height * (0.2 + index % 5 / 10)
        rect = pdfium_raw.FPDFPageObj_CreateNewRect(width * 0.1, height * 0.1, width * 0.5, top)
        pdfium_raw.FPDFPageObj_SetFillColor(rect, 40, 80, 160, 255)
        pdfium_raw.FPDFPath_SetDrawMode(rect, pdfium_raw.FPDF_FILLMODE_ALTERNATE, False)
        pdfium_raw.FPDFPage_InsertObject(page.raw, rect)
        pdfium_raw.FPDFPage_GenerateContent(page.raw)
        page.close()
    document.save(path)
    document.close()
    return path


def peak_rss(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """(peak RSS in bytes, stdout) of one child process; fails loudly if it fails."""
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out, err = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{argv[:3]} exited {child.returncode}: {err.decode()[-2000:]}")
    return usage.ru_maxrss * 1024, out.decode()


def measure_document(pdf: Path, home: Path, env: dict[str, str]) -> dict[str, object]:
    env = {**env, "MM_HOME": str(home)}
    mm = [sys.executable, "-m", "mm_assets.cli"]
    ingest_rss, out = peak_rss([*mm, "ingest", str(pdf), "--json"], env)
    accepted = json.loads(out)["accepted"]
    if not accepted:
        raise RuntimeError(f"{pdf.name} was not accepted: {out}")
    content_hash = accepted[0]["content_hash"]
    pages_rss, out = peak_rss([*mm, "materialize", "--select", "source_media,pages", "--json"], env)
    if json.loads(out)["failed"]:
        raise RuntimeError(f"pages failed for {pdf.name}: {out}")
    reader_rss, out = peak_rss([sys.executable, "-c", READER, content_hash], env)
    return {"ingest": ingest_rss, "pages": pages_rss, "reader": reader_rss, "pages_read": int(out)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="page count of the long letter-size PDF")
    parser.add_argument("--big-pages", type=int, default=20, help="page count of the large-page PDF")
    parser.add_argument("--big-side-pt", type=float, default=4500, help="side of the large pages in points")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", help="work folder (default: a temp dir)")
    args = parser.parse_args()

    work = Path(args.dir or tempfile.mkdtemp(prefix="mm-bench-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    side = args.big_side_pt
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MM_MAX_PDF_PAGES": str(max(args.pages, 1000)),
        "MM_MAX_PDF_PAGE_POINTS": str(int(side * side) + 1),  # the default cap refuses these pages
        "MM_MAX_PIXELS": str(int((side * 150 / 72 + 1) ** 2)),
    }
    for var in ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_FAULT_POINT"):
        env.pop(var, None)
    documents = {
        f"{args.pages} letter pages": (args.pages, LETTER),
        f"{args.pages // 10} letter pages": (args.pages // 10, LETTER),
        f"{args.big_pages} pages {side:.0f}x{side:.0f} pt": (args.big_pages, (side, side)),
        f"{max(1, args.big_pages // 10)} pages {side:.0f}x{side:.0f} pt": (max(1, args.big_pages // 10), (side, side)),
    }
    results: dict[str, dict[str, object]] = {}
    for index, (name, (pages, size)) in enumerate(documents.items()):
        pdf = make_pdf(work / f"doc{index}.pdf", pages, size)
        results[name] = measure_document(pdf, work / f"home{index}", env)
        results[name]["pdf_bytes"] = pdf.stat().st_size
        if index % 2 == 1:  # the small one of each pair: also the old render-everything-first way
            results[name]["old_way"], _ = peak_rss([sys.executable, "-c", OLD_WAY, str(pdf)], env)
        print(f"measured {name}", file=sys.stderr)

    names = list(documents)
    long_growth = results[names[0]]["pages"] / results[names[1]]["pages"]  # type: ignore[operator]
    big_growth = results[names[2]]["pages"] / results[names[3]]["pages"]  # type: ignore[operator]
    worst = max(max(r["pages"], r["reader"], r["ingest"]) for r in results.values())  # type: ignore[type-var]
    summary = {
        "documents": results,
        "peak_growth_10x_pages_letter": round(long_growth, 3),
        "peak_growth_10x_pages_large": round(big_growth, 3),
        "worst_peak_bytes": worst,
        "target_bytes": int(TARGET_BYTES),
        "met": worst < TARGET_BYTES,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    mib = 1024 * 1024
    print(f"{'document':28} {'PDF KiB':>8} {'ingest MiB':>11} {'pages MiB':>10} {'reader MiB':>11} {'old way MiB':>12}")
    for name, r in results.items():
        old = f"{r['old_way'] / mib:12.0f}" if "old_way" in r else f"{'-':>12}"  # type: ignore[operator]
        print(
            f"{name:28} {r['pdf_bytes'] / 1024:8.0f} {r['ingest'] / mib:11.0f} {r['pages'] / mib:10.0f} "  # type: ignore[operator]
            f"{r['reader'] / mib:11.0f} {old}"  # type: ignore[operator]
        )
    print(f"peak of `pages` with 10x the pages: x{long_growth:.2f} (letter), x{big_growth:.2f} (large pages)")
    verdict = "met" if summary["met"] else "NOT met"
    print(f"worst peak {worst / mib:.0f} MiB; target < {TARGET_BYTES / mib:.0f} MiB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
