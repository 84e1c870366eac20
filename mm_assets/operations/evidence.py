"""Tight evidence boxes: on a matched page, the line that answers the query.

A chunk row's box covers its whole layout block (a paragraph of up to 480 characters), while the
text that answers a question is usually a phrase of one line, and often in a block other than
the one whose vector matched best. At query time the page's redacted spans (the `pii` artifact:
text-layer runs, OCR lines or OCR words) are grouped into lines and blocks exactly as at index
time (`page_blocks`), every line is scored by the query terms it holds, each weighted by how
rare it is among the page's lines (a term on every line says nothing), and the best line becomes
the evidence box; its block becomes the entry's `text` and `block_bbox`. A page where no query
term occurs keeps the matched block.

Measured with `mm eval pages` (README, Evaluation): mean IoU with the answer phrase .024 -> .215.
Scoring lines by embedding similarity as well moved no answer (tried at several weights), so the
lexical score stands alone and costs no model call.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from mm_assets.page_layout import Block, Line, page_blocks

# Words that say how a question is asked, not what it is about.
STOPWORDS = frozenset(
    """a an and are as at be by can do does for from how in into is it its of on or that the this
    to what when where which who why will with there their then than these those was were been
    has have had not no if so use used using get gets""".split()
)
# Evidence channels that found a passage by its words; a visual match is about the picture.
TEXT_CHANNELS = ("text", "fts")
_WORD = re.compile(r"[0-9A-Za-z_]+")
_SUFFIXES = ("ing", "es", "ed", "s")


def term(word: str) -> str:
    """A word's comparable form: lower case, a plural or verb ending dropped ("creates" = "create")."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms_of(text: str) -> set[str]:
    return {term(word) for word in _WORD.findall(text)}


def query_terms(query: str) -> frozenset[str]:
    """The query's content words as terms; stop words and single characters dropped."""
    words = (word.lower() for word in _WORD.findall(query))
    return frozenset(term(word) for word in words if len(word) > 1 and word not in STOPWORDS)


def _contains(outer: Sequence[float], inner: Sequence[float]) -> bool:
    middle_x, middle_y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= middle_x <= outer[2] and outer[1] <= middle_y <= outer[3]


def best_line(
    blocks: Sequence[Block], terms: frozenset[str], near: Sequence[float], within: bool = False
) -> tuple[Line, Block] | None:
    """The page's line that best matches `terms`, with its block; None when no line holds one.

    A line scores the sum over the query terms it holds of log(1 + lines / lines holding the
    term), counted over the page. Ties go to a line inside `near` (the matched chunk's box), then
    to the higher line; `within` keeps to the lines inside `near`.
    """
    lines = [(line, block) for block in blocks for line in block.lines]
    found = [terms_of(line.text) & terms for line, _block in lines]
    holding: dict[str, int] = {}
    for matched in found:
        for word in matched:
            holding[word] = holding.get(word, 0) + 1
    candidates = [
        i for i, (line, _block) in enumerate(lines) if found[i] and (not within or _contains(near, line.bbox))
    ]
    if not candidates:
        return None

    def rank(position: int) -> tuple[float, bool, int]:
        score = sum(math.log(1 + len(lines) / holding[word]) for word in found[position])
        return (score, _contains(near, lines[position][0].bbox), -position)

    return lines[max(candidates, key=rank)]


def tighten_entry(
    entry: dict[str, Any], spans: Sequence[Mapping[str, Any]], terms: frozenset[str], within: bool = False
) -> None:
    """Point a page evidence entry at its page's best line for the query (see the module doc).

    `bbox` becomes the line's box, `block_bbox` and `text` its block's; unchanged when the
    entry has no page box, was found by a visual channel, or no line holds a query term.
    `within`: only a line of the entry's own block.
    """
    if "bbox" not in entry or "page" not in entry or entry.get("channel") not in TEXT_CHANNELS or not terms:
        return
    if entry.get("table_cell"):
        return
    blocks = page_blocks([span for span in spans if span["page"] == entry["page"]])
    found = best_line(blocks, terms, entry["bbox"], within)
    if found is None:
        return
    line, block = found
    entry["bbox"] = [round(float(v), 1) for v in line.bbox]
    entry["block_bbox"] = [round(float(v), 1) for v in block.bbox]
    entry["text"] = block.text


def tighten_evidence(
    evidence: list[dict[str, Any]], spans: Sequence[Mapping[str, Any]], terms: frozenset[str]
) -> list[dict[str, Any]]:
    """Every entry tightened, best first: the first entry on a page may move to any line of the
    page, a later one on that page keeps to its own block (so a page's other passages stay
    evidence); of entries that land on the same line, the best one stays."""
    kept, places, pages = [], set(), set()
    for entry in evidence:
        tighten_entry(entry, spans, terms, within=entry.get("page") in pages)
        pages.add(entry.get("page"))
        place = (entry.get("page"), tuple(entry.get("bbox", ())), entry.get("t_start"))
        if place not in places:
            places.add(place)
            kept.append(entry)
    return kept
