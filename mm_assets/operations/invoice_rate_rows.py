"""A tax summary printed as a table of one row per rate ("riepilogo IVA": 22% on 164,46 makes 36,18; an
exempt 3,52 makes 0,00; German mixed 7% and 19% rows): the subtotal is the sum of the tax-base column and
the tax the sum of the tax column. The first row alone under each heading misses the total by the other
rows, and a page that adds up would read as a conflict.

Only taken where the sums make the printed total to the cent: a wrong printed total, which no sum makes,
stays a conflict.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_boxes import box_right
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in, cents
from mm_assets.page_layout import Line

# A column heading over the tax bases, and one over the taxes, in the languages of e-invoice summaries; the
# heading alone on its line (a caption, not a labelled row), an optional currency after it
TOTAL_PREFIX = r"\s*((totale?|totaal|summe|gesamt)\s*)?"  # "Totale imponibile" over each rate's row
BASE_HEADING = re.compile(
    TOTAL_PREFIX + r"(imponibile|grundlage|bemessungsgrundlage|base\s*imponible|base\s*(ht|tva)|"
    r"tax(able)?\s*(base|amount)|net(to)?(\s*(amount|betrag))?|montant\s*ht|belastingbasis|grondslag|base)\s*(\(?[A-Z]{3}\)?|€)?\s*:?\s*",
    re.I,
)
TAX_HEADING = re.compile(
    TOTAL_PREFIX + r"(imposta|steuer(betrag)?|mwst(\.|-betrag)?|ust\.?|iva|vat(\s*amount)?|tax(\s*amount)?|tva|"
    r"montant\s*tva|btw(\s*bedrag)?|cuota(\s*iva)?)\s*(\(?[A-Z]{3}\)?|€)?\s*:?\s*",
    re.I,
)

MAX_ROW_GAP = 6  # heading heights between two rows of the column; further down is another part of the page


def summed_rate_columns(lines: list[Line], total: Decimal) -> tuple[Found, Found] | None:
    """(subtotal, tax) as the sums of a tax-base column and the tax column beside it, over two or more
    rows, where they make `total`; else None."""
    for base_heading in (line for line in lines if BASE_HEADING.fullmatch(line.text)):
        for tax_heading in _tax_headings_beside(base_heading, lines):
            bases = _column_figures(base_heading, lines)
            # each rate's tax on its base's row; a figure further down the column is another row's (the total's)
            taxes = [tax for tax in _column_figures(tax_heading, lines) if any(_on_one_row(b, tax) for b in bases)]
            if len(bases) < 2 or len(bases) != len(taxes):
                continue
            subtotal, tax = _summed(bases), _summed(taxes)
            if cents(subtotal.value + tax.value) == cents(total):
                return subtotal, tax
    return None


def _on_one_row(a: Found, b: Found) -> bool:
    return _same_row(a.bbox, b.bbox) or _same_row(b.bbox, a.bbox)


def _tax_headings_beside(heading: Line, lines: list[Line]) -> list[Line]:
    return [
        other
        for other in lines
        if other.page == heading.page
        and other.bbox[0] >= heading.bbox[2] - 2
        and _same_row(heading.bbox, other.bbox)
        and TAX_HEADING.fullmatch(other.text)
    ]


def _column_figures(heading: Line, lines: list[Line]) -> list[Found]:
    """The figures in a heading's column (under it, or in its box: operations.invoice_boxes), top down,
    until a line of words crosses the column or the rows stop (more than MAX_ROW_GAP heading heights apart)."""
    height = heading.bbox[3] - heading.bbox[1]
    same_page = [other for other in lines if other.page == heading.page]
    right = box_right(heading, same_page)  # a right-aligned figure sits in the heading's box, not under it
    below = sorted(
        (
            other
            for other in same_page
            if other.bbox[1] >= heading.bbox[3] - 2
            and (
                min(other.bbox[2], heading.bbox[2]) > max(other.bbox[0], heading.bbox[0])
                or (other.bbox[0] >= heading.bbox[0] - 2 and other.bbox[2] <= right + 2)
            )
        ),
        key=lambda other: other.bbox[1],
    )
    figures: list[Found] = []
    last_bottom = heading.bbox[3]
    for other in below:
        if other.bbox[1] - last_bottom > MAX_ROW_GAP * height:
            break
        amounts = amounts_in(other.text)
        if len(amounts) != 1 or re.search(r"[^\W\d_]{2}", re.sub(r"\b[A-Z]{3}\b|€", "", other.text)):
            if figures:
                break
            continue  # a second heading line under the first ("Grundlage" over "Imponibile")
        figures.append(Found(amounts[0], other.page, list(other.bbox), 0.75))
        last_bottom = other.bbox[3]
    return figures


def _summed(rows: list[Found]) -> Found:
    box = [min(r.bbox[0] for r in rows), min(r.bbox[1] for r in rows)]
    box += [max(r.bbox[2] for r in rows), max(r.bbox[3] for r in rows)]
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, box, 0.75)


# A rate's row of a tax table set as one line of text, as a till prints it: a class letter or a word or not, the
# rate, then its figures ("A 19%  3,95  0,75  4,70", "TVA 10%  HT 10,27  TVA 1,03  11,30", "B 7% 1,96 0,14")
RATE_ROW = re.compile(r"\s*(?:[A-Z]\s*=|[A-Z]\b|[^\W\d_]{1,12}\.?)?\s*(?P<rate>\d{1,2}(?:[.,]\d{1,2})?)\s*%")


def summed_rate_rows(lines: list[Line], total: Decimal) -> tuple[Found, Found] | None:
    """(subtotal, tax) as the sums of the net and tax figures of the rate rows whose gross figures make `total`
    (each row's net + tax = gross, the tax its rate of the net to a cent a unit of it); else None."""
    rows = [row for line in lines if (row := _rate_row(line, lines)) is not None]
    if not rows or cents(sum((gross for _net, _tax, gross, _line in rows), Decimal(0))) != cents(total):
        return None
    first = rows[0][3]
    box = [min(row[3].bbox[0] for row in rows), first.bbox[1], max(row[3].bbox[2] for row in rows), rows[-1][3].bbox[3]]
    net = sum((row[0] for row in rows), Decimal(0))
    tax = sum((row[1] for row in rows), Decimal(0))
    return Found(net, first.page, box, 0.7), Found(tax, first.page, box, 0.7)


def _rate_row(line: Line, lines: list[Line]) -> tuple[Decimal, Decimal, Decimal, Line] | None:
    """A line's rate and the figures after it, the row's other lines to its right read with it: (net, tax, gross)
    where the figures are net, tax and gross, or net and tax, and the tax is the rate's share of the net."""
    found = RATE_ROW.match(line.text)
    if found is None:
        return None
    rate = Decimal(found.group("rate").replace(",", ".")) / 100
    beside = (o for o in lines if o is not line and o.page == line.page and o.bbox[0] > line.bbox[2])
    right = sorted((o for o in beside if _same_row(line.bbox, o.bbox)), key=lambda o: o.bbox[0])
    figures = amounts_in(" ".join([line.text[found.end() :], *(o.text for o in right)]))
    if not 2 <= len(figures) <= 3 or rate <= 0:
        return None
    net, tax = figures[0], figures[1]
    gross = figures[2] if len(figures) == 3 else net + tax
    if cents(net + tax) != cents(gross) or abs(net * rate - tax) > Decimal("0.01") + net * rate / 100:
        return None
    return net, tax, gross, line
