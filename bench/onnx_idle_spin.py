"""Whether each ONNX Runtime session spins idle worker threads after a run returns.

    python bench/onnx_idle_spin.py [--runs 5]

For the orientation network (our one-thread session), rapid-layout, rapid-table's SLANet+ and
rapidocr, on one generated invoice page (150 dpi) and its table band: per call, the CPU the call
costs (time.process_time over the call: every thread of this process) and the CPU the process
burns in the SETTLE_S after it returns while the calling thread sleeps, which only the runtime's
idle workers can burn, and the call's wall time (sessions that do not spin must wake their
workers: this says what that costs). Prints the medians and the ratio: spin per CPU second of
work. To compare two trees side by side, run this file with each tree's code on PYTHONPATH. The
calls run in turn with a pause between them, so one session's spin is not charged to the next.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import pypdfium2 as pdfium

from mm_assets.operations.document_evaluation import field_samples
from resources.document_models import (
    LayoutDetector,
    TableRecognizer,
    _orientation_network,
    orientation_crop,
    orientation_input,
)
from resources.ocr import OcrRunner

SETTLE_S = 0.3  # the orientation wheel's default session was seen spinning ~0.2 s after a run
PAUSE_S = 0.5  # between calls: the previous call's spin is over


def calls() -> dict[str, Callable[[], object]]:
    page = pdfium.PdfDocument(field_samples(1)[0].pdf)[0].render(scale=150 / 72).to_pil().convert("RGB")
    band = page.crop((0, int(page.height * 0.45), page.width, int(page.height * 0.75)))  # the item table
    network, ocr = _orientation_network(), OcrRunner(engine="rapidocr")
    crop = orientation_input(orientation_crop(np.asarray(page)))
    return {
        "orientation (one-thread session)": lambda: network.session.run(None, {network.input_name: crop}),
        "layout (rapid-layout)": lambda: LayoutDetector().regions(page),
        "table (rapid-table SLANet+)": lambda: TableRecognizer().grid(band),
        "ocr (rapidocr)": lambda: ocr.recognize_pages([(1, page)]),
    }


def measure(call: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median CPU seconds of a call, of the SETTLE_S after it, and the call's wall seconds."""
    call()  # loads the session and warms it
    work, spin, wall = [], [], []
    for _ in range(runs):
        time.sleep(PAUSE_S)
        start, started = time.process_time(), time.perf_counter()
        call()
        returned, ended = time.process_time(), time.perf_counter()
        time.sleep(SETTLE_S)
        work.append(returned - start)
        wall.append(ended - started)
        spin.append(time.process_time() - returned)
    return statistics.median(work), statistics.median(spin), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, call in calls().items():
        work, spin, wall = measure(call, args.runs)
        print(
            f"{name:34s} run {work * 1000:8.1f} CPU ms {wall * 1000:8.1f} wall ms"
            f"  idle after {spin * 1000:6.1f} CPU ms  ({spin / work:.3f}x)"
        )


if __name__ == "__main__":
    main()
