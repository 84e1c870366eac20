"""A date under its caption where a row of captions reads as one line ("Sąskaitos faktūros numeris Išrašymo data"
over "2024-9902 2024-09-15"): the captions sit close enough that the text layer or OCR joins them, and their values
stand in a row below, each under its own caption. operations.invoice_labels reads a label that starts a line, and a
row of "Label:" headings by their colons; this reads a label inside a caption row without colons by where it sits.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_label_match import _heading_in_row, _label_match_any
from mm_assets.operations.invoice_values import Found, _tail_box, amounts_in, parse_date
from mm_assets.page_layout import Line

MAX_ROWS_BELOW = 3  # the value row within three of the caption row's heights
ANOTHER_CAPTION = re.compile(r"[^\W\d_]{3,}")  # before the label, another caption's word


def date_under_inner_caption(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """The date right under the field's label where the label stands inside a row of captions (not at its start:
    a label that starts a line is read by the label readers); None where no line under the caption's span holds a
    date and nothing else."""
    for line in lines:
        if re.search(r"\d", line.text):
            continue  # a caption row holds words, not values
        heading = _heading_in_row(field, line.text)
        if heading is None or not ANOTHER_CAPTION.search(line.text[: heading.start()]):
            continue  # a label that starts its line is the label readers'; a letter before it names a row ("C TVA")
        left = _tail_box(line, heading.start())[0]
        following = re.search(r"\S", line.text[heading.end() :])  # the next caption starts the next cell
        right = _tail_box(line, heading.end() + following.start())[0] if following else float("inf")
        height = line.bbox[3] - line.bbox[1]
        under = _rows_under(line, lines, left, right)
        for other in under[:1]:
            value = parse_date(_text_in_cell(other, left - height, right, most=3), day_first)
            if value is not None:
                return Found(value, other.page, list(other.bbox), 0.55)
    return None


def amount_under_inner_caption(field: str, lines: list[Line]) -> Found | None:
    """The one amount under the field's label where the label stands inside a row of captions ("Сума без ддс Ддс"
    over "575,11 лв. 115,02 лв."), placed by characters; None where none or several stand in its cell."""
    for line in lines:
        if re.search(r"\d", line.text):
            continue
        heading = _heading_in_row(field, line.text)
        if heading is None or not ANOTHER_CAPTION.search(line.text[: heading.start()]):
            continue  # a label that starts its line is the label readers'; a letter before it names a row ("C TVA")
        left = _tail_box(line, heading.start())[0]
        following = re.search(r"\S", line.text[heading.end() :])
        right = _tail_box(line, heading.end() + following.start())[0] if following else float("inf")
        height = line.bbox[3] - line.bbox[1]
        for other in _rows_under(line, lines, left, right)[:1]:
            figures = amounts_in(_text_in_cell(other, left - height, right, most=4))
            if len(figures) == 1:
                return Found(figures[0], other.page, list(other.bbox), 0.55)
    return None


def _rows_under(line: Line, lines: list[Line], left: float, right: float) -> list[Line]:
    """The rows under a caption's cell, nearest first; none that carries its own label."""
    height = line.bbox[3] - line.bbox[1]
    rows = sorted(
        (
            o
            for o in lines
            if o.page == line.page
            and 0 <= o.bbox[1] - line.bbox[3] + 2 <= MAX_ROWS_BELOW * height
            and o.bbox[0] < right
            and o.bbox[2] > left
        ),
        key=lambda o: o.bbox[1],
    )
    return [o for o in rows if not _label_match_any(o.text)]  # a labelled row ("Total 102,85") is its own


def _text_in_cell(line: Line, left: float, right: float, most: int = 2) -> str:
    """The words of a line (a row of values may read as one line too) whose middles stand inside the cell, placed
    by their characters (a gap between two cells makes the characters' places only roughly right)."""
    words = [
        word.group(0)
        for word in re.finditer(r"\S+", line.text)
        if left <= _tail_box(line, (word.start() + word.end()) // 2)[0] < right
    ]
    return " ".join(words) if len(words) <= most else ""
