"""What a summary prints between the goods and the total besides the tax: charges (shipping, packing, insurance)
and discounts, the exempt amount, and rows of a name no label knows. Their rows, and which of them stand between
the subtotal (or the last item) and the total, so operations.invoice_verification can hold the total to them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_labels import _labelled_amount
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in, cents
from mm_assets.page_layout import Line

EXEMPT_LABEL = re.compile(r"\s*(exent[oa]s?|exempt(ed)?|exon[ée]r[ée]e?s?|steuerfrei|esente)(?![^\W\d_])\s*:?\s*", re.I)


# What a summary adds to the goods or takes off them besides the tax: the total is subtotal + tax + charges
# - discounts ("Shipping cost $40.00", "Descuento G 300,00$"); no word after it ("Delivery address: 14 Main
# St" is no charge), a tax class's letter allowed
CHARGE_WORDS = (
    r"shipping|freight|delivery|packing|packaging|handling|insurance|postage|carriage|versand(kosten)?|porto|"
    r"fracht(kosten)?|verpackung|frais\s*de\s*(port|livraison|transport)|emballage|env[ií]o|flete|seguro|embalaje|"
    r"verzend(kosten|ing)"
)


CHARGE_LABEL = re.compile(
    rf"\s*({CHARGE_WORDS})(?![^\W\d_])(\s*(costs?|charges?|fees?|kosten))?\s*:?(?!\s*[^\W\d_]{{2}})\s*", re.I
)


CHARGE_WORD = re.compile(rf"(?<![^\W\d_])({CHARGE_WORDS})(?![^\W\d_])", re.I)


# The document says a charge is inside its prices or total already ("Shipping included", "inkl. Versand",
# "frais de port inclus", "envío incluido"): then the total need not add it
CHARGE_INCLUDED = re.compile(
    r"(?<![^\W\d_])(incl\.|included|including|inclusive|inclus|inkl\.|inklusive|enthalten|incluid[oa]s?|inbegrepen)"
    r"(?![^\W\d_])",
    re.I,
)


# up to two qualifying words before it ("my special discount", "Early payment discount"); "Without taxes and
# discount" (an item's description) has three. A prepayment already made comes off the amount to pay like a
# discount ("Ennakkomaksu -100,00", "Anzahlung", "Acompte versé")
DISCOUNT_LABEL = re.compile(
    r"\s*([^\W\d_]+\s+){0,2}(discount|rabatt|nachlass|remise|r[ée]duction|descuento|korting|sconto|"
    r"prepayment|advance\s*payment|anzahlung|vorauszahlung|acompte(\s*vers[ée])?|anticipo|adiantamento|ennakkomaksu)"
    r"\s*:?(?!\s*[^\W\d_]{2})\s*",
    re.I,
)


def _exempt_amount(lines: list[Line]) -> Decimal | None:
    """The summary's exempt amount ("Exento Bs.1.000,00", "Steuerfrei 20,00"): goods on which no tax
    is due, part of the subtotal but of no tax base. None where no such row prints a figure."""
    for line in lines:
        label = EXEMPT_LABEL.match(line.text)
        found = _labelled_amount(line, label, lines) if label else None
        if found is not None:
            return found.value
    return None


def _adjustment_rows(lines: list[Line]) -> list[Found]:
    """The summary's rows that add something besides the tax (shipping, packing, insurance, as
    positive figures) or take a discount off (negative). A row that says its charge is included
    ("Shipping (included) 4.90") adds nothing."""
    rows: list[Found] = []
    for line in lines:
        charge, discount = CHARGE_LABEL.match(line.text), DISCOUNT_LABEL.match(line.text)
        label = charge or discount
        if label is None or _label_match_any(line.text) or (charge and CHARGE_INCLUDED.search(line.text)):
            continue
        found = _labelled_amount(line, label, lines)
        if found is not None:
            rows.append(Found(abs(found.value) if charge else -abs(found.value), found.page, found.bbox, 0.6))
    return rows


def _summed(rows: list[Found]) -> Found | None:
    """Rows as one figure, with the box of the first; None for no rows."""
    if not rows:
        return None
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, rows[0].bbox, 0.6)


def _below(found: Found, anchor: Found) -> bool:
    """Whether `found`'s row starts below the first row of `anchor` (by half its own height; a later
    page counts as below). An anchor summed from several rows ("Subtotal R", "Subtotal G") starts at
    its first: a discount after it belongs to the sum."""
    if found.page != anchor.page:
        return found.page > anchor.page
    return found.bbox[1] > anchor.bbox[1] + (found.bbox[3] - found.bbox[1]) / 2


def _sum_anchor(fields: dict[str, Found], items: list[dict[str, Found]]) -> Found | None:
    """What the total's sum starts from: the subtotal, else (no tax either) the last line item's
    amount, whose lines the total then sums."""
    if "subtotal" in fields:
        return fields["subtotal"]
    amounts = [item["amount"] for item in items if "amount" in item]
    if "tax" in fields or not amounts:
        return None
    return max(amounts, key=lambda amount: (amount.page, amount.bbox[1]))


def _adjustments_between(
    rows: list[Found], anchor: Found | None, total: Found | None, lines: list[Line]
) -> Found | None:
    """The charges and discounts printed between the subtotal (or the last item) and the total:
    they stand in the sum that leads to the total, so the total must hold them (a total that
    equals subtotal + tax without the shipping row under the subtotal is wrong). Rows above the
    subtotal are already in it; a row under the total is a remark. None where the document says
    its charges are included ("shipping included", "inkl. Versand"), or no row lies between."""
    if anchor is None or total is None or _says_charges_included(lines):
        return None
    return _summed([row for row in rows if _below(row, anchor) and _below(total, row)])


def _says_charges_included(lines: list[Line]) -> bool:
    """Whether a line names a charge and says it is included ("Prices include shipping" does not
    count: only the words for included)."""
    return any(CHARGE_WORD.search(line.text) and CHARGE_INCLUDED.search(line.text) for line in lines)


def _unread_rows_between(fields: dict[str, Found], lines: list[Line], items: list[dict[str, Found]]) -> Found | None:
    """Where no tax was read: the first row between the subtotal (else the last item) and the total that
    prints a figure other than zero and is no charge or discount row read: a tax or charge row of a
    name no label knows, so subtotal + tax = total (or the items' sum = total) cannot be checked with confidence."""
    subtotal, total = fields.get("subtotal"), fields.get("total")
    if subtotal is None and total is not None:  # no subtotal: between the last item read and the total
        subtotal = max(
            (item["amount"] for item in items if "amount" in item and item["amount"].page == total.page),
            key=lambda amount: amount.bbox[3],
            default=None,
        )
    if "tax" in fields or subtotal is None or total is None or subtotal.page != total.page:
        return None
    # a row that restates the items' sum ("Goods value 984.00") is their subtotal, not a tax of an unknown name
    restated = cents(sum((item["amount"].value for item in items if "amount" in item), Decimal(0)))
    for line in sorted(lines, key=lambda line: line.bbox[1]):
        between = line.page == subtotal.page and _below(Found(None, line.page, list(line.bbox), 0), subtotal)
        if not between or not _below(total, Found(None, line.page, list(line.bbox), 0)):
            continue
        row = [other for other in lines if other.page == line.page and _same_row(list(other.bbox), list(line.bbox))]
        if any(CHARGE_LABEL.match(other.text) or DISCOUNT_LABEL.match(other.text) for other in row):
            continue  # a charge or discount row, its label and figure read as one line or two
        if any(amount != 0 and cents(amount) != restated for amount in amounts_in(line.text)):
            return Found(None, line.page, list(line.bbox), 0.5)
    return None
