"""The items' amounts a letter types as text over its subtotal, where no table gave the items: the figures right
above the subtotal in its column, one per row, each row naming its item at the left ("Heckenschnitt Oktober ...
800.00", "Laubbeseitigung ... 450.00" over "Zwischensumme 1307.00"). Their sum is checked against the subtotal
(operations.invoice_verification, rule lines_sum_to_subtotal), so a subtotal typed wrong is flagged even where the
tax and total were reckoned from it.

The column stops at the first line in it that is no item's single figure (the column's heading, "Amount (GBP)", a
sentence across the page, a summary row of its own), or at a gap of more than a few rows.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in
from mm_assets.page_layout import Line

MAX_ROW_GAP = 2.5  # line heights between two items' rows; further up is another part of the page
ALIGNED = 0.6  # line heights between the right edges of figures in one right-aligned column


def amounts_over(subtotal: Found, lines: list[Line]) -> list[Found]:
    """The items' figures in the subtotal's column right above it, top down; none where fewer than two."""
    height = subtotal.bbox[3] - subtotal.bbox[1]
    column = [
        line
        for line in lines
        if line.page == subtotal.page
        and line.bbox[3] <= subtotal.bbox[1] + 2
        and min(line.bbox[2], subtotal.bbox[2]) > max(line.bbox[0], subtotal.bbox[0] - 4 * height)
    ]
    found: list[Found] = []
    top = subtotal.bbox[1]
    for line in sorted(column, key=lambda o: -o.bbox[1]):
        figures = amounts_in(line.text)
        if top - line.bbox[3] > MAX_ROW_GAP * height:
            break
        aligned = abs(line.bbox[2] - subtotal.bbox[2]) <= ALIGNED * height
        if len(figures) != 1 or not aligned or re.search(r"[^\W\d_]{2}", _without_currency(line.text)):
            break
        if not _names_an_item(line, lines):
            break
        found.append(Found(figures[0], line.page, list(line.bbox), 0.7))
        top = line.bbox[1]
    return found[::-1] if len(found) >= 2 else []


def _without_currency(text: str) -> str:
    return re.sub(r"\b[A-Z]{3}\b|[€$£]", "", text)


def _names_an_item(line: Line, lines: list[Line]) -> bool:
    """Whether the figure's row names an item at its left, and no sum or charge by a label ("Shipping", "Total")."""
    left = [o for o in lines if o is not line and o.page == line.page and o.bbox[2] <= line.bbox[0] + 2]
    words = " ".join(o.text for o in left if _same_row(line.bbox, o.bbox))
    return bool(re.search(r"[^\W\d_]{2}", words)) and not _label_match_any(words)
