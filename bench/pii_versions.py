"""The redactor's CPU per page: this tree's detector against another tree's (an older pattern version), interleaved.

    python bench/pii_versions.py --other /path/to/other/checkout [--this /path/to/a/checkout] [--slice tuning]
        [--letters held_back_12] [--repeats 5] [--json]

Each pattern version adds rules that run on every page, and the `pii` step runs them on every page of every
document, so what a version costs matters as much as what it finds. Two detectors of two checkouts cannot
share one process (both are `resources.pii`), so each side runs in a worker process of its own tree
(PYTHONPATH=that tree): the parent builds the pages once, from this tree (the slice's real manuals read
from their text layer, and a tuning slice's letters and forms as born-digital PDFs), and hands the same
texts to both. A worker loads its detector and the NER model (charged to neither side), runs every
document once to warm up, then `PiiDetector.find_in_pages` on every document, timed with
time.process_time (every thread of the worker). Workers alternate (this, other, this, other, ...); the
median CPU seconds per page of each side and their ratio are printed with the load average, since the
machine may be shared. The NER answers are kept per page as the pipeline keeps them, and dropped before
each document so every document pays its own NER pass on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BenchError, machine, print_json, print_table

HERE = Path(__file__).resolve().parents[1]


def build_pages(slice_name: str, letters: str) -> list[dict[int, str]]:
    """Every page text of the slice's manuals and of the letters slice's born-digital documents."""
    from mm_assets.operations.man_pages import manual_pdf
    from mm_assets.operations.pii_eval_segments import _pdf_texts, layer_texts
    from mm_assets.operations.pii_slices import installed_manuals, other_source_documents

    documents = [layer_texts(manual_pdf(path)) for path in installed_manuals(slice_name)]
    if not documents:
        raise BenchError(f"no manual of slice {slice_name} is installed: run `make system-deps`")
    with tempfile.TemporaryDirectory() as folder:
        documents += [_pdf_texts(document, Path(folder)) for document in other_source_documents(letters)]
    return documents


def worker(pages_path: Path) -> None:
    """One timed pass of this process's tree over the pages; prints CPU seconds and the findings' count."""
    from resources.pii import PATTERNS_VERSION, PiiDetector
    from resources.pii_names import forget_ner_answers, load_ner

    documents = [{int(page): text for page, text in texts.items()} for texts in json.loads(pages_path.read_text())]
    detector = PiiDetector()
    load_ner(detector.ner_model)
    for texts in documents:  # the first call's tables and caches are charged to neither side
        forget_ner_answers()
        detector.find_in_pages(texts)
    spent, found = 0.0, 0
    for texts in documents:
        forget_ner_answers()
        started = time.process_time()
        findings = detector.find_in_pages(texts)
        spent += time.process_time() - started
        found += sum(len(page) for page in findings.values())
    print(json.dumps({"version": PATTERNS_VERSION, "cpu_s": spent, "findings": found}))


def run_worker(tree: Path, pages_path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'bench'}"}
    done = subprocess.run(
        [sys.executable, str(HERE / "bench" / "pii_versions.py"), "--worker", str(pages_path)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BenchError(f"the worker of {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, help="the other checkout (e.g. a clone of main)")
    parser.add_argument("--this", type=Path, default=HERE, help="this side's checkout (default this one)")
    parser.add_argument("--slice", default="tuning", help="whose real manuals (default tuning)")
    parser.add_argument("--letters", default="held_back_12", help="whose letters and forms (default held_back_12)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds; medians are reported")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if not args.other:
        parser.error("--other is required")
    documents = build_pages(args.slice, args.letters)
    pages = sum(len(texts) for texts in documents)
    load_before = os.getloadavg()
    sides = {"this": args.this.resolve(), "other": args.other.resolve()}
    seconds: dict[str, list[float]] = {side: [] for side in sides}
    versions: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        pages_path = Path(folder) / "pages.json"
        pages_path.write_text(json.dumps(documents))
        for _round in range(args.repeats):
            for side, tree in sides.items():
                answer = run_worker(tree, pages_path)
                seconds[side].append(answer["cpu_s"])
                versions[side] = f"{answer['version']} ({answer['findings']} findings)"
    this, other = statistics.median(seconds["this"]), statistics.median(seconds["other"])
    result = {
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "manuals_slice": args.slice,
        "letters_slice": args.letters,
        "documents": len(documents),
        "pages": pages,
        "this": versions["this"],
        "other": versions["other"],
        "this_ms_per_page": round(1000 * this / pages, 2),
        "other_ms_per_page": round(1000 * other / pages, 2),
        "ratio_this_over_other": round(this / other, 3),
    }
    if args.json:
        print_json(result)
        return
    print(f"{len(documents)} documents, {pages} pages; load {load_before[0]:.2f} -> {os.getloadavg()[0]:.2f}")
    print_table(
        ["side", "detector", "median CPU s", "ms per page", "rounds"],
        [
            [side, versions[side], seconds_, 1000 * seconds_ / pages, args.repeats]
            for side, seconds_ in (("this", this), ("other", other))
        ],
    )
    print(f"ratio this/other: {this / other:.2f}x")


if __name__ == "__main__":
    main()
