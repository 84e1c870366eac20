"""The items' amounts a letter types as text over its subtotal, where no table gave the items: the figures right
above the subtotal in its column, one per row, each row naming its item at the left ("Heckenschnitt Oktober ...
800.00", "Laubbeseitigung ... 450.00" over "Zwischensumme 1307.00"). Their sum is checked against the subtotal
(operations.invoice_verification, rule lines_sum_to_subtotal), so a subtotal typed wrong is flagged even where the
tax and total were reckoned from it.

The column stops at the first line in it that is no item's row (the column's heading, "Amount (GBP)", a summary or
payment row of its own), or at a gap of more than a few rows. A till receipt's items are read the same way over its
total where it prints no subtotal: their sum must be its subtotal or its total (prices with their tax in).
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_receipts import CARD_LABEL, CHANGE_LABEL, TENDERED_LABEL
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in
from mm_assets.page_layout import Line

MAX_ROW_GAP = 2.5  # line heights between two items' rows; further up is another part of the page
ALIGNED = 0.6  # line heights between the right edges of figures in one right-aligned column


def amounts_over(anchor: Found, lines: list[Line]) -> list[Found]:
    """The items' figures in the anchor's column (the subtotal's, or a receipt's total's) right above it, top down;
    none where fewer than two. A row's figure is the last its line prints ("2 Pancakes $15.98"), its name the words
    before it on the line or on its row to the left."""
    height = anchor.bbox[3] - anchor.bbox[1]
    column = [
        line
        for line in lines
        if line.page == anchor.page
        and line.bbox[3] <= anchor.bbox[1] + 2
        and min(line.bbox[2], anchor.bbox[2]) > max(line.bbox[0], anchor.bbox[2] - 6 * height)
    ]
    found: list[Found] = []
    top = anchor.bbox[1]
    ended_by = "page"  # what ended the column: the page's top, a gap, its heading, or a row that is no item
    for line in sorted(column, key=lambda o: -o.bbox[1]):
        if top - line.bbox[3] > MAX_ROW_GAP * height:
            ended_by = "gap"
            break
        if PRODUCT_ALONE.fullmatch(line.text):
            continue  # a product line under or over its item's row ("  2 x 2,97"): the item's amount is on that row
        figure = _last_figure(line.text)
        if figure is None:
            ended_by = "heading"  # "Amount (GBP)", "Betrag", a sentence across the page, a receipt's number or date
            break
        aligned = abs(line.bbox[2] - anchor.bbox[2]) <= ALIGNED * height
        if not aligned or not _names_an_item(line, figure[1], lines):
            ended_by = "other"  # a summary, charge or payment row of its own, or a figure out of the column
            break
        found.append(Found(figure[0], line.page, list(line.bbox), 0.7))
        top = line.bbox[1]
    # a column that ends at a row of another kind (a charge, a figure out of line) may hold only part of the items,
    # and one on a later page may go on from the page before: its sum proves nothing unless its heading closes it
    first_page = min(line.page for line in lines)
    complete = ended_by == "heading" or (ended_by == "gap" and anchor.page == first_page)
    return found[::-1] if len(found) >= 2 and complete else []


# A quantity x price alone on its line, a unit word or not ("2 x 2,97", "3 Stk x 0,70", "2 @ 0.99")
PRODUCT_ALONE = re.compile(r"\s*\d+(?:[.,]\d+)?\s*(?:[^\W\d_]{1,8}\.?\s*)?(?:x|×|\*|@)\s*\S*\d[\d.,]*\s*")


# A row's closing figure: its amount, a currency or a tax class letter after it or not ("2,80 A", "6,62 €")
LAST_FIGURE = re.compile(r"(?P<figure>-?\s*[$€£]?\s*\d[\d.,' ]*\d|\d)\s*(?:[A-Z]{3}|[€$£]|[A-Z]|\*)?\s*$")


def _last_figure(text: str):  # noqa: ANN202 (an amount and where its figure starts)
    """The money a line closes with and where it starts: a figure with cents, not a date, a time or a code."""
    found = LAST_FIGURE.search(text)
    if found is None or not re.search(r"[.,]\d{2}$", found.group("figure")) or re.search(r"\d:\d{2}", text):
        return None
    amounts = amounts_in(found.group("figure"))
    return (amounts[-1], found.start("figure")) if len(amounts) == 1 else None


def _names_an_item(line: Line, start: int, lines: list[Line]) -> bool:
    """Whether the figure's row names an item: words before the figure on its line or on its row to the left, and
    no label of a sum, a charge or a payment ("Total", "Shipping", "CASH")."""
    left = [o for o in lines if o is not line and o.page == line.page and o.bbox[2] <= line.bbox[0] + 2]
    words = " ".join([*(o.text for o in left if _same_row(line.bbox, o.bbox)), line.text[:start]]).strip()
    paid = TENDERED_LABEL.match(words) or CHANGE_LABEL.match(words) or CARD_LABEL.match(words)
    return bool(re.search(r"[^\W\d_]{2}", words)) and not _label_match_any(words) and paid is None
