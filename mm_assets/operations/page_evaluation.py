"""The page-level evaluation set (`mm eval pages`): real born-digital PDFs, questions from one page each.

The PDFs are GLPK's manuals as Debian's `glpk-doc` package ships them (typeset with LaTeX by the
GLPK authors; nobody on this project wrote them; `make system-deps` installs the package). Four
excerpts (whole chapters, cut with pdfium so the text layer stays as it was) make 33 pages. Each
question was written from one page and names a verbatim phrase of that page that answers it; the
phrase's box, from the PDF's own character boxes, is the ground truth for the evidence box.

Scored per question on the weighted fusion (the `mm search` default), best first:
- file level: the usual Recall@k of the excerpt;
- page level: Recall@k over (file, page) pairs read from each result's evidence in order;
- boxes: IoU of the first evidence box on the answering page with the answer phrase's box, and
  the share of questions whose answer lies inside that evidence box (>= 90% of its area).
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mm_assets.operations.evaluation_base import LONG_PAGES, EvalQuery, EvalSet, EvaluationError
from resources.text_layer import PDFIUM_SOFT_HYPHEN, PixelMapper

GLPK_DOC = Path("/usr/share/doc/glpk-doc")
PAGE_SET_PACKAGE = "glpk-doc"
PAGE_CUTOFFS = (1, 3, 5, 10)
ANSWER_INSIDE_SHARE = 0.9


@dataclass(frozen=True)
class PdfExcerpt:
    name: str
    source: str  # file name under GLPK_DOC
    first_page: int  # 1-based, of the source
    last_page: int


@dataclass(frozen=True)
class PageQuestion:
    query_id: str
    text: str
    excerpt: str
    source_page: int  # page of the source PDF the question was written from
    answer: str  # verbatim phrase of that page that answers the question


@dataclass(frozen=True)
class PageTruth:
    item: str  # evaluation item name
    page: int  # page in the excerpt (as indexed)
    box: tuple[float, float, float, float]  # the answer phrase, in page pixels at the render DPI


EXCERPTS = (
    PdfExcerpt("cnfsat", "cnfsat.pdf", 1, 6),
    PdfExcerpt("graphs-chapter-1", "graphs.pdf", 5, 12),
    PdfExcerpt("mathprog-introduction", "gmpl.pdf", 6, 12),
    PdfExcerpt("glpk-introduction", "glpk.pdf", 9, 20),
)
QUESTIONS = (
    PageQuestion("cnf-form", "which normal form is the boolean formula given in", "cnfsat", 1,
                 "Conjunctive Normal Form (CNF)"),
    PageQuestion("dimacs-comment", "how does a comment line start in a DIMACS file", "cnfsat", 3,
                 "Each comment line begins with a lower-case character c."),
    PageQuestion("minisat-nofeas", "what does it mean when minisat reports no feasible solution", "cnfsat", 5,
                 "no integer feasible solution exists"),
    PageQuestion("intfeas-classes", "for which classes of constraints is glp_intfeas1 efficient", "cnfsat", 6,
                 "Covering inequalities"),
    PageQuestion("graph-digraph", "what kind of graph object does GLPK use to represent networks",
                 "graphs-chapter-1", 5, "directed graph (digraph)"),
    PageQuestion("create-graph", "routine that creates an empty graph with no vertices", "graphs-chapter-1", 8,
                 "creates a new graph, which initially is empty"),
    PageQuestion("self-loops", "can an arc connect a vertex to itself, are multiple arcs permitted",
                 "graphs-chapter-1", 9, "self-loops and multiple arcs"),
    PageQuestion("vertex-index", "how to look up vertices by name in logarithmic time", "graphs-chapter-1", 11,
                 "intended to quickly"),
    PageQuestion("mathprog-what", "what is the GNU MathProg language for", "mathprog-introduction", 6,
                 "GNU MathProg is a modeling language"),
    PageQuestion("symbolic-names", "which characters may a symbolic name contain", "mathprog-introduction", 10,
                 "A symbolic name consists of alphabetic and numeric characters"),
    PageQuestion("reserved-keywords", "list of reserved keywords that cannot be used as names",
                 "mathprog-introduction", 11, "The reserved keywords are the following"),
    PageQuestion("sample-optimum", "optimal objective value found for the sample LP problem",
                 "glpk-introduction", 13, "z = 733.333"),
    PageQuestion("error-handling", "what happens when a GLPK routine gets incorrect data", "glpk-introduction", 14,
                 "abnormally terminates the application program"),
    PageQuestion("array-index-zero", "why is element x[0] of an array not used", "glpk-introduction", 15,
                 "one extra location x[0] is reserved"),
    PageQuestion("maximize", "how to make the problem a maximization", "glpk-introduction", 19,
                 "GLP_MAX means maximization"),
)  # fmt: skip


class PageSetUnavailable(RuntimeError):
    """The page-level set's PDFs are not installed; the message says how to get them."""


def item_name(excerpt: str) -> str:
    return f"pages/{excerpt}"


def write_excerpts(folder: Path) -> dict[str, Path]:
    """Each excerpt as its own PDF (pages copied by pdfium, text layer intact); item name -> file."""
    missing = [e.source for e in EXCERPTS if not (GLPK_DOC / e.source).exists()]
    if missing:
        raise PageSetUnavailable(
            f"the page-level set needs Debian's {PAGE_SET_PACKAGE} package ({', '.join(missing)} not found "
            f"under {GLPK_DOC}): run `make system-deps` or `apt-get install {PAGE_SET_PACKAGE}`"
        )
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for excerpt in EXCERPTS:
        source = pdfium.PdfDocument(GLPK_DOC / excerpt.source)
        target = pdfium.PdfDocument.new()
        try:
            target.import_pages(source, list(range(excerpt.first_page - 1, excerpt.last_page)))
            path = folder / f"{excerpt.name}.pdf"
            target.save(path)
        finally:
            target.close()
            source.close()
        files[item_name(excerpt.name)] = path
    return files


def answer_box(pdf: Path, page: int, answer: str, dpi: int) -> tuple[float, float, float, float]:
    """The pixel box (at `dpi`) of the phrase `answer` on a page, from the PDF's character boxes.

    Whitespace and pdfium's soft hyphens are ignored in the match, so a phrase across a line
    break is found; raises ValueError when the page does not hold the phrase exactly once.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        pdf_page = document[page - 1]
        textpage = pdf_page.get_textpage()
        indices, characters = [], []
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
            if not char.isspace() and char not in (PDFIUM_SOFT_HYPHEN, "\u00ad"):
                indices.append(index)
                characters.append(char)
        text = unicodedata.normalize("NFC", "".join(characters))
        wanted = "".join(answer.split())
        start = text.find(wanted)
        if start < 0 or text.find(wanted, start + 1) >= 0:
            raise ValueError(f"{pdf.name} page {page} does not hold {answer!r} exactly once")
        boxes = [textpage.get_charbox(indices[i]) for i in range(start, start + len(wanted))]
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        return PixelMapper(pdf_page, dpi).box((left, bottom, right, top))
    finally:
        document.close()


def page_truths(files: dict[str, Path], dpi: int) -> dict[str, PageTruth]:
    """query id -> the answering page and box, for every question whose excerpt is in `files` (the
    nightly report indexes a few excerpts only)."""
    excerpts = {excerpt.name: excerpt for excerpt in EXCERPTS}
    truths = {}
    for question in QUESTIONS:
        if item_name(question.excerpt) not in files:
            continue
        excerpt = excerpts[question.excerpt]
        page = question.source_page - excerpt.first_page + 1
        path = files[item_name(question.excerpt)]
        truths[f"pages:{question.query_id}"] = PageTruth(
            item_name(question.excerpt), page, answer_box(path, page, question.answer, dpi)
        )
    return truths


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def share_inside(inner: Sequence[float], outer: Sequence[float]) -> float:
    """How much of `inner`'s area lies inside `outer`."""
    inter = max(0.0, min(inner[2], outer[2]) - max(inner[0], outer[0])) * max(
        0.0, min(inner[3], outer[3]) - max(inner[1], outer[1])
    )
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return inter / area if area > 0 else 0.0


@dataclass(frozen=True)
class EvidencePage:
    item: str
    page: int
    bbox: tuple[float, ...]


def page_scores(ranked: Sequence[EvidencePage], truth: PageTruth) -> dict[str, float]:
    """One question's page-level scores from its evidence, best first."""
    pages: list[tuple[str, int]] = []
    for entry in ranked:
        if (entry.item, entry.page) not in pages:
            pages.append((entry.item, entry.page))
    wanted = (truth.item, truth.page)
    scores = {f"page_recall@{k}": float(wanted in pages[:k]) for k in PAGE_CUTOFFS}
    first = next((e for e in ranked if (e.item, e.page) == wanted), None)
    scores["box_iou"] = iou(first.bbox, truth.box) if first else 0.0
    scores["answer_inside"] = float(first is not None and share_inside(truth.box, first.bbox) >= ANSWER_INSIDE_SHARE)
    scores["evidence_found"] = float(first is not None)
    return scores


def summarise(per_question: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Means over the questions; the box figures also over the questions whose page was found."""
    names = next(iter(per_question.values())).keys()
    summary: dict[str, Any] = {name: statistics.fmean(s[name] for s in per_question.values()) for name in names}
    found = [s for s in per_question.values() if s["evidence_found"]]
    summary["box_iou_where_found"] = statistics.fmean(s["box_iou"] for s in found) if found else 0.0
    summary["questions"] = len(per_question)
    return summary


def pages_set(media: Path) -> EvalSet:
    """GLPK manual excerpts (born-digital PDFs) and questions written from one page each."""
    try:
        files = write_excerpts(media / "pages")
    except PageSetUnavailable as exc:
        raise EvaluationError(str(exc)) from exc
    queries = tuple(
        EvalQuery(f"pages:{question.query_id}", question.text, frozenset({item_name(question.excerpt)}), "pages")
        for question in QUESTIONS
    )
    # Typeset born-digital, one column; the longer excerpts are `long`.
    segments = {
        item_name(e.name): ("born-digital",) + ("long",) * (e.last_page - e.first_page + 1 >= LONG_PAGES)
        for e in EXCERPTS
    }
    return EvalSet("pages", files, queries, page_level=True, segments=segments)
