"""Quantity x unit price stated in a line's words, checked against the amount its row prints: an item's description
that says how it was reckoned ("Boundary survey, 2 days at 540.00" ... "1080.00", "Restauración de puertas, 12 h a
95.00" ... "1240.00"), and a till receipt's product line ("2 x 3.50" under or over "COFFEE 7.00", "3 Stk x 1,99").

No table is needed: the statement and its amount are read from the page's lines, so a letter that types its items
as text (no ruled table, no quantity column) is checked line by line like a table's items are
(operations.invoice_verification, rule quantity_x_unit_price).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_receipts import CHANGE_LABEL, TENDERED_LABEL
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in, cents, parse_amount
from mm_assets.page_layout import Line

# A count, a unit word or not ("h", "days", "Stk", "pcs"), a times sign or word ("x", "×", "@", "at", "à", "a",
# "zu", "je", "à"), then a price with its cents: a figure a price is written with, not a rate ("10 %") nor a size
# ("12 x 30 cm")
STATED = re.compile(
    r"(?<![\w.,'’])(?P<quantity>\d{1,4}(?:[.,]\d{1,3})?)\s*(?:[^\W\d_]{1,8}\.?\s+)?"
    r"(?:x|×|\*|@|at|à|a|á|zu|je|per)\s*(?:[$€£¥]|EUR|CHF|GBP|USD|Fr\.)?\s*"
    r"(?P<price>\d{1,3}(?:[,.'’]\d{3})*[.,]\d{2})(?![\d%])",
    re.I,
)


@dataclass(frozen=True)
class StatedProduct:
    """A quantity x unit price a line states, and the amount its row (or the item's row beside it) prints."""

    quantity: Decimal
    price: Decimal
    statement: Found
    amount: Found

    @property
    def expected(self) -> Decimal:
        return cents(self.quantity * self.price)


def stated_products(lines: list[Line]) -> list[StatedProduct]:
    """Every line's stated quantity x unit price with the amount that goes with it, where one does."""
    found = []
    for line in lines:
        stated = STATED.search(line.text)
        if stated is None or re.search(r"\d\s*%", line.text):  # a rate's line ("2 x 10 % off") reckons no item
            continue
        quantity, price = parse_amount(stated.group("quantity")), parse_amount(stated.group("price"))
        if quantity is None or price is None or quantity <= 0:
            continue
        statement = Found((quantity, price), line.page, list(line.bbox), 0.6)
        amount = _amount_after(line, stated.end()) or _amount_on_row(line, lines) or _item_row_beside(line, lines)
        if amount is not None:
            found.append(StatedProduct(quantity, price, statement, amount))
    return found


def _amount_after(line: Line, end: int) -> Found | None:
    """The last amount the line prints after the statement ("2 x 3.50 7.00")."""
    after = amounts_in(line.text[end:])
    return Found(after[-1], line.page, list(line.bbox), 0.6) if after else None


def _amount_on_row(line: Line, lines: list[Line]) -> Found | None:
    """The amount alone on a line to the right of the statement, on its row (the amount column of a letter's items)."""
    beside = [
        other
        for other in lines
        if other.page == line.page
        and other.bbox[0] > line.bbox[2]
        and _same_row(line.bbox, other.bbox)
        and len(amounts_in(other.text)) == 1
    ]
    nearest = min(beside, key=lambda other: other.bbox[0], default=None)
    return Found(amounts_in(nearest.text)[0], nearest.page, list(nearest.bbox), 0.6) if nearest else None


def _item_row_beside(line: Line, lines: list[Line]) -> Found | None:
    """A statement alone on its line, under or over its item's row ("COFFEE 7.00" over "2 x 3.50"): the amount of a
    row near it that the statement makes (its item's name may run over two lines between them), else the amount of
    the line right above it where that is an item's row; None where no row is surely its item's."""
    height = line.bbox[3] - line.bbox[1]
    rows = []
    for other in lines:
        gap_above, gap_below = line.bbox[1] - other.bbox[3], other.bbox[1] - line.bbox[3]
        near = other.page == line.page and (-2 <= gap_above <= 3.5 * height or -2 <= gap_below <= 1.2 * height)
        figures = amounts_in(other.text) if near and other is not line and not STATED.search(other.text) else []
        if figures and _names_an_item(other, lines):
            rows.append(Found(figures[-1], other.page, list(other.bbox), 0.5))
    stated = STATED.search(line.text)
    quantity, price = parse_amount(stated.group("quantity")), parse_amount(stated.group("price"))
    expected = cents(quantity * price) if quantity is not None and price is not None else None
    matching = [amount for amount in rows if cents(amount.value) == expected]
    if matching:
        return matching[0]
    above = [o for o in lines if o.page == line.page and o is not line and -2 <= line.bbox[1] - o.bbox[3]]
    nearest = max(above, key=lambda o: o.bbox[3], default=None)  # the row right above: its item's, or a name's
    if nearest is None or line.bbox[1] - nearest.bbox[3] > 1.2 * height:
        return None
    return next((amount for amount in rows if _same_row(nearest.bbox, amount.bbox)), None)


def _names_an_item(line: Line, lines: list[Line]) -> bool:
    """Whether an amount's row names an item: words on its line, or on a line of its row to its left (a till roll's
    name at the left edge, its amount at the right), and no label of a sum or a payment ("TOTAL", "CASH")."""
    row = [line] + [o for o in lines if o is not line and o.page == line.page and _same_row(line.bbox, o.bbox)]
    words = " ".join(o.text for o in row if o.bbox[0] <= line.bbox[0])
    paid = TENDERED_LABEL.match(words) or CHANGE_LABEL.match(words)
    return bool(re.search(r"[^\W\d_]{2}", words)) and not _label_match_any(words) and paid is None
