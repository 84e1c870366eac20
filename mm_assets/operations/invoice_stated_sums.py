"""A sum a caption states by its words: "Valor Líquido da NFS-e + IBS/CBS R$ 1.000,00" says its figure is the
figure captioned "Valor Líquido da NFS-e" plus the one captioned "(Total do) IBS/CBS". Both parts printed
elsewhere on the page, their sum must be the stated figure: a page that states a sum it does not make prints a
wrong figure, whatever the summary's labels (verification's rule `stated_sum`). Parts that no other caption
names, or that read no figure, check nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_boxes import lines_in_caption_box
from mm_assets.operations.invoice_values import Found, amounts_in, cents
from mm_assets.page_layout import Line

# "A + B" in a caption: two runs of words (no figure) about a plus sign
STATED_SUM = re.compile(r"\s*(?P<left>[^\d+=]{3,}?)\s+\+\s+(?P<right>[^\d+=]{2,}?)\s*(:|$|(?=R?\$|\d|-))")


def stated_sum_check(lines: list[Line]) -> Found | None:
    """The first caption that states a sum of two other captions' figures: Found((expected, stated)) at the
    stated figure, or None where no caption states one that the page's figures can check."""
    for line in lines:
        found = STATED_SUM.match(line.text)
        if found is None:
            continue
        stated = _figure_of(line, lines, found.end())
        left = _part_figure(found.group("left"), line, lines)
        right = _part_figure(found.group("right"), line, lines)
        if stated is None or left is None or right is None:
            continue
        return Found((cents(left + right), cents(stated.value)), stated.page, stated.bbox, 0.6)
    return None


def _figure_of(caption: Line, lines: list[Line], start: int) -> Found | None:
    """The one figure after the caption's words on its line, else in its box under it (a box-grid form)."""
    after = amounts_in(caption.text[start:])
    if len(after) == 1:
        return Found(after[0], caption.page, list(caption.bbox), 0.6)
    if after:
        return None
    for other in lines_in_caption_box(caption, lines)[:1]:
        below = amounts_in(other.text)
        if len(below) == 1 and not re.search(r"[^\W\d_]{3,}", other.text):
            return Found(below[0], other.page, list(other.bbox), 0.6)
    return None


def _part_figure(words: str, stated: Line, lines: list[Line]) -> Decimal | None:
    """The figure of the one other caption that is these words or ends in them ("Total do IBS/CBS" for
    "IBS/CBS"); None where none or several do."""
    wanted = _squeezed(words)
    named = [
        line
        for line in lines
        if line is not stated and line.page == stated.page and _squeezed(_caption_words(line.text)).endswith(wanted)
    ]
    figures = [found.value for line in named if (found := _figure_of(line, lines, len(_caption_words(line.text))))]
    return figures[0] if len(figures) == 1 else None


def _caption_words(text: str) -> str:
    """A line's words before its first figure or currency sign."""
    return re.split(r"\s*(?:R?\$|\d)", text, maxsplit=1)[0]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
