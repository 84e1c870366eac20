"""The PII step's NER passes: the model tagging each page once per process vs once per consumer, side by side.

    python bench/pii_ner.py [--slice tuning] [--repeats 3] [--json]

The `pii` kind asks the NER model about the same unredacted page texts three times: the redactor
(`PiiDetector.find_in_pages`), the asset's coverage masking and the coverage check
(`CoverageScanner.name_tokens`, twice). Each round runs, on every installed real manual of the slice
(read from its text layer as the pipeline reads it):

- **old**: the three consumers with the kept NER answers dropped before each (the model runs for
  each, as it did before answers were kept);
- **new**: the same three consumers with the answers kept: the model runs once per page.

The answers of both paths are compared (findings per page and name tokens) and must be identical.
Rounds interleave old and new; the median CPU seconds (time.process_time: every thread of this
process) of each side and their ratio are printed, with the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _common import BenchError, machine, print_json, print_table

from mm_assets.operations.man_pages import manual_pdf
from mm_assets.operations.pii_eval_segments import layer_texts
from mm_assets.operations.pii_slices import SLICES, installed_manuals
from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.pii_names import forget_ner_answers, load_ner

CONSUMERS = ("redactor", "asset masking", "coverage check")


def run_consumers(texts: dict[int, str], detector: PiiDetector, scanner: CoverageScanner, reuse: bool) -> tuple:
    """The three consumers of one document in pipeline order; (answers, CPU seconds)."""
    forget_ner_answers()  # each document starts cold on both paths: its first pass is always paid
    started = time.process_time()
    findings = detector.find_in_pages(texts)
    tokens = []
    for _consumer in CONSUMERS[1:]:
        if not reuse:
            forget_ner_answers()
        tokens.append(sorted(scanner.name_tokens(list(texts.values()))))
    spent = time.process_time() - started
    answers = ({page: [(f.kind, f.start, f.end) for f in found] for page, found in findings.items()}, tokens)
    return answers, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", default="tuning", choices=SLICES, help="whose real manuals (default tuning)")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    paths = installed_manuals(args.slice)
    if not paths:
        raise BenchError(f"no manual of slice {args.slice} is installed: run `make system-deps`")
    documents = [layer_texts(manual_pdf(path)) for path in paths]
    detector = PiiDetector()
    scanner = CoverageScanner(ner_model=detector.ner_model)
    load_ner(detector.ner_model)  # loading the model is charged to neither side
    run_consumers(documents[0], detector, scanner, reuse=True)  # and neither are the first-call tables
    seconds: dict[str, list[float]] = {"old": [], "new": []}
    for _round in range(args.repeats):
        answers = {}
        for side in ("old", "new"):
            spent, answers[side] = 0.0, []
            for texts in documents:
                answer, cpu = run_consumers(texts, detector, scanner, reuse=side == "new")
                answers[side].append(answer)
                spent += cpu
            seconds[side].append(spent)
        if answers["old"] != answers["new"]:
            raise BenchError("the two paths gave different answers")
    old, new = statistics.median(seconds["old"]), statistics.median(seconds["new"])
    pages = sum(len(texts) for texts in documents)
    result = {
        "machine": machine(),
        "load_average": os.getloadavg(),
        "slice": args.slice,
        "manuals": [path.name for path in paths],
        "pages": pages,
        "old_cpu_s": round(old, 3),
        "new_cpu_s": round(new, 3),
        "ratio": round(old / new, 3),
        "identical_answers": True,
    }
    if args.json:
        print_json(result)
        return
    print(f"{len(paths)} manuals, {pages} pages ({args.slice}); load {os.getloadavg()[0]:.2f}")
    print_table(
        ["path", "NER passes per page", "median CPU s", "rounds"],
        [["old", len(CONSUMERS), old, len(seconds["old"])], ["new", 1, new, len(seconds["new"])]],
    )
    print(f"ratio old/new: {old / new:.2f}x, identical answers")


if __name__ == "__main__":
    main()
