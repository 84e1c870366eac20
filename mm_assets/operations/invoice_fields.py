"""Invoice and receipt fields from a document's text lines and tables: the extraction that puts the
other modules together (imports point one way: values <- arithmetic <- doctype; values <- labels <-
items <- vendor; label words <- labels <- lines, dates, receipts <- verification; this module on top).

Structure first, words second. The page's arithmetic (operations.invoice_arithmetic) decides whether
the document is a bill (operations.invoice_doctype) and gives the subtotal, tax and total that no
label names: the tax step (base + a rate of it = total, the total at or below both) that agrees with
every figure a label did give, so a labelled total is never replaced and a wrong printed total, which
no step makes, stays a conflict. Labels (operations.invoice_labels: many languages, most specific
first, read whole) are evidence where a vendor prints them: the nearest value of the right type
beside, below or under the label. Where no label names them: the issue date on the title line, alone
at the top right of a letter, else the first date at the top (never one after the due date); the due
date in the payment terms or a direct debit's date; the number under the title or by its shape (a
word and a number sign); the vendor by position (operations.invoice_vendor). Where the labelled
subtotal does not add up with the tax to the total, another subtotal label's figure, or the figure
just above the tax row, that does is taken. Charges and discounts between the subtotal and the total
belong in the total (see operations.invoice_verification, which checks the result to the cent).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mm_assets.operations.invoice_arithmetic import (
    Figure,
    PageArithmetic,
    closing_sum,
    page_arithmetic,
    steps_with_tax,
    summary_step,
)
from mm_assets.operations.invoice_caption_rows import amount_under_inner_caption, date_under_inner_caption
from mm_assets.operations.invoice_dates import (
    _date_on_title,
    _debit_date,
    _due_in_terms,
    _due_under_terms,
    _first_date_at_top,
    _letter_date,
    page_day_order,
)
from mm_assets.operations.invoice_doctype import NOT_ENGLISH_TITLE, document_type, titled_an_invoice
from mm_assets.operations.invoice_fiscal_grid import grid_sum_check
from mm_assets.operations.invoice_items import line_items
from mm_assets.operations.invoice_labels import (
    MAX_NAME_CHARS,
    _claimed_by_other,
    _label_match,
    _label_match_any,
    _labelled_amount,
    _ranked_label,
    _value_of,
    find_field,
)
from mm_assets.operations.invoice_lexicon import alternation
from mm_assets.operations.invoice_lines import (
    _touching_spans_joined,
    _with_split_figures_joined,
    _with_split_labels_joined,
    _without_doubled_initials,
    _without_overprint,
    _without_row_letters,
    _without_tall_blocks,
)
from mm_assets.operations.invoice_locales import DOLLAR_SIGN_CODES
from mm_assets.operations.invoice_rate_rows import summed_rate_columns
from mm_assets.operations.invoice_receipts import (
    _receipt_total,
    paid_for_a_printed_figure,
    paid_for_another_figure,
    payment,
    shop_over_address,
    total_by_payment,
)
from mm_assets.operations.invoice_stated_sums import stated_sum_check
from mm_assets.operations.invoice_values import (
    RATE,
    Found,
    _lines_above,
    _lines_below,
    _same_row,
    _tail_box,
    amounts_in,
    cents,
    currency_of,
    looks_like_date,
    parse_amount,
)
from mm_assets.operations.invoice_vendor import _could_be_a_name, find_vendor
from mm_assets.operations.invoice_verification import _adds_up
from mm_assets.page_layout import Line, page_lines

EXEMPT_LABEL = re.compile(r"\s*(exent[oa]s?|exempt(ed)?|exon[ée]r[ée]e?s?|steuerfrei|esente)(?![^\W\d_])\s*:?\s*", re.I)


# The QR-bill's amount box: "Currency Amount" over "CHF 1 337.42" (German, French, Italian alike)
QR_AMOUNT_HEADING = re.compile(r"\s*(currency|w[äa]hrung|monnaie|valuta)\s+(amount|betrag|montant|importo)\s*", re.I)


QR_AMOUNT = re.compile(r"\s*([A-Z]{3})\s+(\d[\d' ]*[.,]\d{2})\s*$")


# A title's last word names the document's kind ("FA FACTURA", "Tax Invoice", "RECHNUNG"), an e-invoice's after it
# ("FACTURA ELECTRÓNICA", "NOTA DE CRÉDITO ELECTRÓNICA"; OCR's "AUTOFACTURAELECTRONICA")
TITLE_END = re.compile(
    r"(invoice|facture|factura|rechnung|factuur|receipt|quittung|recibo|nota\s*de\s*cr[ée]dito|credit\s*note|"
    r"faktura|fatt?ura|lasku|sz[áa]mla|"  # and every title of the lexicon ("RĒĶINS", "HÓA ĐƠN", "РАХУНОК")
    + alternation("title")
    + r")(\s*(electr[óo]nic[ao]|electronic|[ée]lectronique|elettronica|eletr[ôo]nica))?\s*:?\s*$",
    re.I,
)


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


# A summary row of one tax class, named by a letter after its label ("IVA G", "Subtotal R", "MwSt A")
CLASS_LETTER = re.compile(r"([A-Z])(?![^\W\d_])")


def _sum_by_class(field: str, lines: list[Line]) -> Found | None:
    """The tax (or subtotal) of an invoice that prints one row per tax rate ("USt. 7%", "USt. 19%")
    or per tax class ("IVA R", "IVA G") and no total of them: the sum of the rows, so that
    subtotal + tax = total holds. None with fewer than two rates or classes."""
    by_rate: dict[str, Found] = {}
    for line in lines:
        label = _label_match(field, line.text)
        if label is None or _claimed_by_other(field, line.text):
            continue
        rate = RATE.search(line.text[: label.end()])
        letter = CLASS_LETTER.match(line.text[label.end() :])
        if rate is None and letter is None:
            continue
        found = _labelled_amount(line, label, lines)
        key = re.sub(r"[^\d.,]", "", rate.group(0)).replace(",", ".") if rate else letter.group(1)
        if found is not None and key not in by_rate:
            by_rate[key] = found
    if len(by_rate) < 2:
        return None
    rows = list(by_rate.values())
    boxes = [row.bbox for row in rows if row.page == rows[0].page]
    box = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, box, 0.7)


def _number_under_title(lines: list[Line]) -> Found | None:
    """The document's number on the line under its title when no label names it ("FACTURA" over
    "INV/2024/00005"): a title is a short line that ends in the document's kind."""
    for line in (line for line in lines if line.page == lines[0].page):
        if len(line.text) > MAX_NAME_CHARS or not TITLE_END.search(line.text):
            continue
        for below in sorted(_lines_below(line, lines, 2), key=lambda o: o.bbox[1]):
            if _label_match_any(below.text):
                break
            value = _value_of("code", below.text, True)
            if value is not None and len(below.text.split()) == 1:
                return Found(value, below.page, list(below.bbox), 0.6)
    return None


def _sum_of_named_rows(field: str, lines: list[Line]) -> Found | None:
    """The tax of an invoice that prints one row per tax it levies, each by its own name and no total
    of them ("CGST 36.00", "SGST 36.00", "IGST 0.00"; "GST", "PST"): the sum of the rows, zero rows
    included. Only rows one label pattern reads, each named differently: a "VAT" row and a "Total VAT"
    row are one tax printed twice, by two patterns, and the same name twice is one tax repeated. None
    with fewer than two names."""
    by_rank: dict[int, dict[str, Found]] = {}
    for line in lines:
        ranked = _ranked_label(field, line.text)
        if ranked is None or _claimed_by_other(field, line.text):
            continue
        rank, label = ranked
        found = _labelled_amount(line, label, lines)
        name = re.sub(r"[^a-z]", "", label.group(1).lower())
        if found is not None and name not in by_rank.setdefault(rank, {}):
            by_rank[rank][name] = found
    named = [rows for rows in by_rank.values() if len(rows) >= 2]
    if len(named) != 1:
        return None  # none, or two patterns each with several names: not one tax's parts
    rows = list(named[0].values())
    boxes = [row.bbox for row in rows if row.page == rows[0].page]
    box = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, box, 0.7)


def _total_under_the_tax(fields: dict[str, Found], lines: list[Line]) -> tuple[Found, Found] | None:
    """A summary that prints a total row before its tax row and another after it ("Gesamtsumme
    1.436,50", "Summe Umsatzsteuer 292,20", "Gesamtsumme 1.729,00"): the first is the net sum, the
    total is the first total row under the tax, larger than the one above. Returns (total, the net
    sum), or None where the total read is already under the tax."""
    total, tax = fields.get("total"), fields.get("tax")
    if total is None or tax is None or total.page != tax.page or not _below(tax, total):
        return None
    for line in sorted(lines, key=lambda line: (line.page, line.bbox[1])):
        label = _label_match("total", line.text)
        if label is None or _claimed_by_other("total", line.text):
            continue
        found = _labelled_amount(line, label, lines)
        if found is not None and found.page == tax.page and _below(found, tax):
            return (found, total) if abs(found.value) > abs(total.value) else None
    return None


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


def _subtotal_that_adds_up(fields: dict[str, Found], lines: list[Line]) -> Found | None:
    """A subtotal that makes subtotal + tax = total where the labelled one does not (a section's
    "Subtotal" read before the summary's) or none is labelled (an insurer's "Gesamtbeitrag" over
    its tax row): among the subtotal labels of every rank, else the figures just above the tax
    row. None when the printed figures already add up, or nothing does (a wrong total stays
    flagged)."""
    subtotal, tax, total = fields.get("subtotal"), fields.get("tax"), fields.get("total")
    if tax is None or total is None:
        return None
    wanted = cents(total.value - tax.value)
    if subtotal is not None and _adds_up(subtotal.value, wanted, fields):
        return None
    for line in lines:
        label = _label_match("subtotal", line.text)
        found = _labelled_amount(line, label, lines) if label is not None else None
        if found is not None and _adds_up(found.value, wanted, fields):
            return found
    by_class = _sum_by_class("subtotal", lines)  # "Subtotal R", "Subtotal G": one section per tax class
    if by_class is not None and _adds_up(by_class.value, wanted, fields):
        return by_class
    exempt = _exempt_amount(lines)  # the taxed bases and the exempt goods beside them ("Exento Bs.1.000,00")
    if by_class is not None and exempt is not None and _adds_up(by_class.value + exempt, wanted, fields):
        return Found(by_class.value + exempt, by_class.page, by_class.bbox, 0.6)
    if subtotal is not None:
        return None
    above = _lines_above(tax, lines, 3)
    for other in sorted(above, key=lambda o: -o.bbox[3]):
        if any(cents(amount) == wanted for amount in amounts_in(other.text)):
            return Found(wanted, other.page, list(other.bbox), 0.5)
    return None


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


def _qr_bill_amount(lines: list[Line]) -> tuple[Found, str] | None:
    """A QR-bill's amount and currency: the "CHF 1 337.42" line under its "Currency Amount" heading
    (the payment part and its receipt print the same)."""
    for line in lines:
        if not QR_AMOUNT_HEADING.fullmatch(line.text):
            continue
        under = [o for o in _lines_below(line, lines, 2) if line.bbox[0] - 2 <= o.bbox[0] <= line.bbox[2]]
        for below in sorted(under, key=lambda o: o.bbox[1]):
            # the code and the figure may be set as two runs on the row ("CHF" | "22.45")
            row = sorted((o for o in under if _same_row(list(o.bbox), list(below.bbox))), key=lambda o: o.bbox[0])
            amount = QR_AMOUNT.match(" ".join(o.text for o in row))
            value = parse_amount(amount.group(2).replace("'", "").replace(" ", "")) if amount else None
            if value is not None:
                return Found(value, below.page, list(row[-1].bbox), 0.7), amount.group(1)
    return None


def extract_fields(spans: list[dict], tables: list[dict]) -> dict[str, Any]:
    """The document type, its fields and line items (a non-invoice gets none)."""
    lines = _with_split_figures_joined(
        _with_split_labels_joined(
            _without_row_letters(
                _without_doubled_initials(
                    _without_overprint(page_lines(_touching_spans_joined(_without_tall_blocks(spans))))
                )
            )
        )
    )
    text = "\n".join(line.text for line in lines)
    arithmetic = page_arithmetic(lines)
    doc_type = document_type(text, arithmetic, lines)
    paid = payment(lines)
    if doc_type != "receipt" and paid is not None and paid_for_a_printed_figure(paid, lines):
        # cash handed over less a printed figure is the change: a till receipt in any language, unless a word
        # calls the page an invoice (an invoice paid at the counter)
        if doc_type is None or not titled_an_invoice(text):
            doc_type = "receipt"
    if doc_type is None:
        return {"doc_type": "other", "fields": {}, "line_items": []}
    currency = currency_of(text)
    # dollars write their dates month first on an English invoice, whichever country's dollars they are
    # (a "$" whose country the page shows, operations.invoice_locales, keeps the bare "$" page's reading)
    dollars = currency == "USD" or ((currency is None or currency in DOLLAR_SIGN_CODES) and "$" in text)
    day_first = not dollars or bool(NOT_ENGLISH_TITLE.search(re.sub(r"\s+", "", text).lower()))
    settled = page_day_order(text)  # the page's own unambiguous dates outweigh its currency and language
    day_first = day_first if settled is None else settled
    fields: dict[str, Found] = {}
    for field in ("invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total"):
        found = find_field(field, lines, day_first)
        if found is not None:
            fields[field] = found
    fallbacks = {
        "invoice_number": lambda: _number_under_title(lines) or _number_by_sign(lines),
        # a label inside a row of captions read as one line, by where it sits, before any guess by position
        "invoice_date": lambda: (
            date_under_inner_caption("invoice_date", lines, day_first)
            or _date_on_title(lines, day_first)
            or _letter_date(lines, day_first)
            or _first_date_at_top(lines, day_first)
        ),
        "due_date": lambda: (
            date_under_inner_caption("due_date", lines, day_first)
            or _due_in_terms(lines, day_first)
            or _debit_date(lines, day_first)
            or _due_under_terms(lines, day_first)
        ),
    }
    for field in ("subtotal", "tax", "total"):  # an amount label inside a row of captions, by where it sits
        if field not in fields and (found := amount_under_inner_caption(field, lines)) is not None:
            fields[field] = found
    for field, fallback in fallbacks.items():
        if field not in fields and (found := fallback()) is not None:
            fields[field] = found
    if "invoice_date" in fields and "due_date" in fields and fields["invoice_date"].confidence < 0.5:
        if fields["invoice_date"].value > fields["due_date"].value:
            del fields["invoice_date"]  # the first date on the page, after the due date: not the issue date
    if "total" not in fields and (amount := _qr_bill_amount(lines)) is not None:
        fields["total"], qr_currency = amount
        currency = currency or qr_currency
    taxes = _sum_by_class("tax", lines) or _sum_of_named_rows("tax", lines)
    if taxes is not None:
        fields["tax"] = taxes
    if (under_tax := _total_under_the_tax(fields, lines)) is not None:
        fields["total"], net = under_tax
        fields.setdefault("subtotal", net)
    rows = _adjustment_rows(lines)
    adjustments = _summed(rows)
    if adjustments is not None:
        fields["adjustments"] = adjustments
    subtotal = _subtotal_that_adds_up(fields, lines)
    if subtotal is not None:
        fields["subtotal"] = subtotal
    if (rate_rows := _rate_rows_that_add_up(fields, lines)) is not None:
        fields["subtotal"], fields["tax"] = rate_rows
    items = line_items(tables)
    by_arithmetic = _summary_by_arithmetic(fields, arithmetic, items)
    fields.update(by_arithmetic)
    between = _adjustments_between(rows, _sum_anchor(fields, items), fields.get("total"), lines)
    # a subtotal the tax step gave is the figure the tax was reckoned on, its charges and discounts already in
    if between is not None and "subtotal" not in by_arithmetic:
        fields["adjustments_between"] = between
    if doc_type == "receipt" and "total" not in fields and paid is not None:
        fields["total"] = total_by_payment(paid)  # tendered - change
    if paid is not None:
        fields["tendered"], fields["change"] = paid.tendered, paid.change  # verification: tendered - total = change
        if "total" in fields and paid_for_another_figure(fields["total"], paid, lines):
            fields["payment_unsure"] = paid.tendered  # what was paid for is printed, the total read is another figure
    if doc_type == "receipt" and "total" not in fields and (total := _receipt_total(lines)) is not None:
        fields["total"] = total
    _mark_what_the_page_adds_up(fields, arithmetic)
    if (stated := stated_sum_check(lines)) is not None:
        fields["stated_sum"] = stated  # verification: a caption's "A + B" must be A's figure plus B's
    if (grid := grid_sum_check(lines)) is not None:
        fields["grid_sum"] = grid  # verification: a fiscal grid's parts must make its total
    if (unread := _unread_rows_between(fields, lines, items)) is not None:
        fields["unread_between"] = unread  # verification: subtotal + tax = total unverifiable, not a conflict
    # a receipt names no customer: the name over the one address is its shop's, at the top or at the foot
    shop = shop_over_address(lines, _could_be_a_name) if doc_type == "receipt" else None
    vendor = shop or find_vendor(lines)
    if vendor is not None:
        fields["vendor"] = vendor
    if currency:
        where = next((line for line in lines if _prints_currency(line.text, currency)), lines[0])
        fields["currency"] = Found(currency, where.page, list(where.bbox), 0.8)
    return {"doc_type": doc_type, "fields": fields, "line_items": items}


def _rate_rows_that_add_up(fields: dict[str, Found], lines: list[Line]) -> tuple[Found, Found] | None:
    """A per-rate tax summary's column sums (operations.invoice_rate_rows) where the subtotal and tax read
    do not make the total and the sums do."""
    if "total" not in fields:
        return None
    if "subtotal" in fields and "tax" in fields:
        if _adds_up(fields["subtotal"].value + fields["tax"].value, cents(fields["total"].value), fields):
            return None
    return summed_rate_columns(lines, fields["total"].value)


def _summary_by_arithmetic(
    fields: dict[str, Found], arithmetic: PageArithmetic, items: list[dict[str, Found]]
) -> dict[str, Found]:
    """The subtotal, tax and total that no label gave, from the page's arithmetic: the tax step that
    agrees with every summary figure a label did give (so a labelled total is never replaced, and a
    wrong printed total, which no step makes, stays wrong), else, with no tax and no subtotal, the
    column sum lowest on the page for the total (the items over their sum, where the items the table gave
    make that sum too)."""
    wanted = [name for name in ("subtotal", "tax", "total") if name not in fields]
    if not wanted:
        return {}
    known = {name: fields[name].value for name in ("subtotal", "tax", "total") if name in fields}
    step = summary_step(arithmetic, known)
    if step is None and "tax" in known and "tax" not in wanted:
        # a tax a label gave (several rates summed, whatever its share): the figures it makes add up with
        tax = fields["tax"]
        labelled = Figure(tax.value, tax.page, tuple(tax.bbox), -1, True, tax.bbox[2])
        step = summary_step(PageArithmetic(tax_steps=steps_with_tax(arithmetic, labelled)), known)
    if step is not None:
        parts = {"subtotal": step.base, "tax": step.tax, "total": step.total}
        return {name: _found(parts[name]) for name in wanted}
    closing = closing_sum(arithmetic)
    amounts = [item["amount"].value for item in items if "amount" in item]
    if wanted == ["subtotal", "tax", "total"] and closing is not None:
        # the column may hold rows no label named (a tax, a charge) under the items: then its sum is the
        # items' only if the items read from the table make it too
        if not amounts or cents(sum(amounts, Decimal(0))) == cents(closing.total.value):
            return {"total": _found(closing.total)}
    return {}


def _mark_what_the_page_adds_up(fields: dict[str, Found], arithmetic: PageArithmetic) -> None:
    """For verification, what the page's own figures add up to: the totals of its column sums
    ("column_sum_totals": items that sum there were printed right, whatever the table read), and a tax
    step making the read total from figures other than the read subtotal and tax, or, with no tax read, the
    total less the subtotal printed on the page ("total_adds_up": the reading of those is unsure, not the
    printed total wrong)."""
    if arithmetic.column_sums:
        totals = {cents(column.total.value) for column in arithmetic.column_sums}
        first = arithmetic.column_sums[0].total
        fields["column_sum_totals"] = Found(totals, first.page, list(first.bbox), 0.5)
    total, subtotal, tax = fields.get("total"), fields.get("subtotal"), fields.get("tax")
    if total is None:
        return
    for read_part, other in ((subtotal, tax), (tax, subtotal)):
        # the total less one part read is a figure the page prints, not the other part read (no tax read, its
        # row merged with a box beside it; a subtotal read off another base, "Imponibile previdenziale"):
        # the total may be right, so a miss is unverifiable, not a conflict
        if read_part is None or cents(total.value) <= cents(read_part.value) or cents(read_part.value) == 0:
            continue  # a part of zero leaves the total itself as the gap: the printed total proves nothing
        gap = cents(total.value) - cents(read_part.value)
        if other is not None and cents(other.value) == gap:
            continue
        printed = next((figure for figure in arithmetic.money if cents(figure.value) == gap), None)
        if printed is not None:
            fields["total_adds_up"] = _found(printed)
            return
    read = {cents(found.value) for found in (subtotal, tax) if found is not None}
    for step in arithmetic.tax_steps:
        parts = {cents(step.base.value), cents(step.tax.value)}
        if cents(step.total.value) == cents(total.value) and parts != read and step.rate_printed:
            fields["total_adds_up"] = _found(step.base)
            return


def _found(figure: Figure) -> Found:
    return Found(figure.value, figure.page, list(figure.bbox), 0.5)


# A word, then a number sign that reads "number" in any language ("Debit # F-012", "Rachunek nr 7/2026" has
# its own label; "Lieferschein N° 4"), then a code with a figure
NUMBER_SIGN = re.compile(r"\s*[^\W\d_]{2,}\.?\s*(#|n[°º]|№)\s*:?\s*([^\s,;]*\d[^\s,;]*)")


def _number_by_sign(lines: list[Line]) -> Found | None:
    """The document's number by its shape where no label names it: the first word + number sign + code
    at the start of a line in the top half of the first page (no date, no phone number)."""
    first = [line for line in lines if line.page == lines[0].page] if lines else []
    if not first:
        return None
    half = max(line.bbox[3] for line in first) / 2
    for line in first:
        found = NUMBER_SIGN.match(line.text)
        if line.bbox[1] > half:
            break
        if (
            found is not None
            and not looks_like_date(found.group(2))
            and not re.fullmatch(r"[\d\s()+/-]{9,}", found.group(2))
        ):
            return Found(found.group(2), line.page, _tail_box(line, found.start(2)), 0.5)
    return None


def _prints_currency(text: str, currency: str) -> bool:
    """Whether a line prints the document's currency (a "$" line its US dollars)."""
    return currency_of(text) == currency or (currency == "USD" and "$" in text)
