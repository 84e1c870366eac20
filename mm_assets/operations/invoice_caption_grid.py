"""A figure in a form's grid of captioned cells, where OCR reads a row of captions as one line ("VALOR DA COFINS
VALOR TOTAL DA NOTA" over "7,82" and "347,28", a DANFE's totals grid): each caption starts its cell at the left, and
its figure sits at the foot of the cell, set to the right, ending before the next caption's cell begins."""

from __future__ import annotations

import re

from mm_assets.operations.invoice_values import Found, _head_box, _tail_box, amounts_in
from mm_assets.page_layout import Line


def figure_under_caption(line: Line, start: int, end: int, lines: list[Line]) -> Found | None:
    """The one amount printed under the caption at characters `start`-`end` of a row of captions, nearest below it
    (within three of the row's heights), in the caption's cell: from the caption's left edge up to where the next
    caption on the row begins (the row's end: the cell goes on to its right)."""
    left = _tail_box(line, start)[0]
    right = _head_box(line, end)[2] if line.text[end:].strip() else float("inf")
    if right != float("inf"):
        right = _next_caption_left(line, end)
    height = line.bbox[3] - line.bbox[1]
    under = sorted(
        (
            o
            for o in lines
            if o.page == line.page
            and 0 <= o.bbox[1] - line.bbox[3] + 2 <= 3 * height
            and o.bbox[0] >= left - height
            and o.bbox[2] <= right + height
            and len(amounts_in(o.text)) == 1
            and re.fullmatch(r"[\s\d.,R$€()-]+", o.text)  # a figure cell: digits only
        ),
        key=lambda o: o.bbox[1],
    )
    if not under:
        return None
    cell = under[0]
    return Found(amounts_in(cell.text)[0], cell.page, list(cell.bbox), 0.65)


def _next_caption_left(line: Line, end: int) -> float:
    """Where the caption after character `end` begins on the row (characters taken as equally wide)."""
    rest = line.text[end:]
    offset = len(rest) - len(rest.lstrip())
    return _tail_box(line, end + offset)[0]
