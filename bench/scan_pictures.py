"""`pages` on scans: a scan's picture at its own pixels (resources/scan_pictures) against rendering it.

    python bench/scan_pictures.py [--pages 4] [--repeats 5] [--memory-pages 200]

For the first pages of `mm eval rotation-dense`'s held_back_2 slice (spent: run and reported
2026-12-04), scanned upright and turned 90 and 180:
- cost: CPU ms per page of taking the page (`render_pdf`: the picture, with its checks) against
  rendering it with PDFium at the same dpi (what `pages` did before v5), medians over --repeats;
- pixels: mean |difference| over the upright page's ink between the upright page and each turned
  page turned back (exactly), taken both ways: what OCR of a turned page reads apart from upright.
- memory: peak RSS of a fresh process that takes every page of a --memory-pages scan (one dense
  picture repeated) through `render_pdf`, against the same for a tenth of the pages: taking
  pictures one at a time must keep it flat (bench/memory.py's rule).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from mm_assets.kinds.pages import _rendered, render_pdf
from mm_assets.operations.document_pages import scanned
from mm_assets.operations.rotation_pages import VARIANTS, held_back_2_pages, page_pdf, scan_options

DPI = 150
TURNS = {"upright": None, "turn-90": Image.Transpose.ROTATE_270, "turn-180": Image.Transpose.ROTATE_180}


def rendered(data: bytes) -> Image.Image:
    document = pdfium.PdfDocument(data)
    try:
        return _rendered(document[0], DPI)
    finally:
        document.close()


def taken(data: bytes) -> tuple[Image.Image, dict]:
    facts: list[dict] = []
    [image] = render_pdf(data, DPI, facts)
    return image, facts[0]


def cpu_ms(make, data: bytes, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.process_time()
        make(data)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.int16)


WALKER = """
import sys
from pathlib import Path
from mm_assets.kinds.pages import render_pdf
facts = []
for image in render_pdf(Path(sys.argv[1]).read_bytes(), 150, facts):
    image.convert("L").thumbnail((256, 256))
    del image
assert {f["source"] for f in facts} == {"picture"}, facts[:3]
"""


def peak_rss_mb(pdf: Path) -> float:
    child = subprocess.Popen([sys.executable, "-c", WALKER, str(pdf)], env=os.environ.copy())
    _pid, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"the page walker failed on {pdf}")
    return usage.ru_maxrss / 1024


def memory(pages: int) -> None:
    page = held_back_2_pages()[0]
    with tempfile.TemporaryDirectory() as folder:
        upright = scanned(page_pdf(page), **scan_options(page))[0]  # type: ignore[arg-type]
        one = rendered(upright)
        for count in (max(1, pages // 10), pages):
            path = Path(folder) / f"scan-{count}.pdf"
            one.save(path, "PDF", resolution=float(DPI), save_all=True, append_images=[one] * (count - 1))
            size_mb = path.stat().st_size / 1e6
            print(f"memory: {count} scanned pages ({size_mb:.1f} MB), peak RSS {peak_rss_mb(path):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--memory-pages", type=int, default=200, help="0: no memory measurement")
    args = parser.parse_args()
    costs: dict[str, list[float]] = {"picture": [], "render": []}
    for page in held_back_2_pages()[: args.pages]:
        pdf = page_pdf(page)
        scans = {v: scanned(pdf, **VARIANTS[v], **scan_options(page))[0] for v in TURNS}  # type: ignore[arg-type]
        sources = {v: taken(data)[1]["source"] for v, data in scans.items()}
        for data in scans.values():
            costs["picture"].append(cpu_ms(taken, data, args.repeats))
            costs["render"].append(cpu_ms(rendered, data, args.repeats))
        both = {
            "picture": {v: taken(d)[0] for v, d in scans.items()},
            "render": {v: rendered(d) for v, d in scans.items()},
        }
        line = []
        for way, images in both.items():
            upright = grey(images["upright"])
            ink = upright < 128
            for turn in ("turn-90", "turn-180"):
                back = grey(images[turn].transpose(TURNS[turn]))
                line.append(f"{way} {turn} {np.abs(back - upright)[ink].mean():.2f}")
        print(f"{page.name} ({'/'.join(sorted(set(sources.values())))}): ink |d| " + ", ".join(line))
    for way, values in costs.items():
        print(f"{way}: median {statistics.median(values):.1f} CPU ms per page over {len(values)} scans")
    if args.memory_pages:
        memory(args.memory_pages)


if __name__ == "__main__":
    main()
