"""Invoice and receipt fields from a document's text lines and tables: the extraction that puts the
other modules together (imports point one way: values <- arithmetic <- doctype; values <- labels <-
items <- vendor; label words <- label match <- heading rows <- labels <- lines, dates, receipts <- verification;
labels <- adjustments <- summary sums, numbers, QR bill; this module on top).

Structure first, words second. The page's arithmetic (operations.invoice_arithmetic) decides whether
the document is a bill (operations.invoice_doctype) and gives the subtotal, tax and total that no
label names: the tax step (base + a rate of it = total, the total at or below both) that agrees with
every figure a label did give, so a labelled total is never replaced and a wrong printed total, which
no step makes, stays a conflict. Labels (operations.invoice_labels: many languages, most specific
first, read whole) are evidence where a vendor prints them: the nearest value of the right type
beside, below or under the label. Where no label names them: the issue date on the title line, alone
at the top right of a letter, else the first date at the top (never one after the due date); the due
date in the payment terms or a direct debit's date; the number under the title or by its shape (a
word and a number sign, operations.invoice_numbers); the vendor by position (operations.invoice_vendor).
Where the labelled subtotal does not add up with the tax to the total, another subtotal label's figure, or the figure
just above the tax row, that does is taken (operations.invoice_summary_sums). Charges and discounts between
the subtotal and the total belong in the total (operations.invoice_adjustments; see
operations.invoice_verification, which checks the result to the cent).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from mm_assets.operations.invoice_adjustments import (
    _adjustment_rows,
    _adjustments_between,
    _sum_anchor,
    _summed,
    _unread_rows_between,
)
from mm_assets.operations.invoice_arithmetic import page_arithmetic
from mm_assets.operations.invoice_caption_rows import amount_under_inner_caption, date_under_inner_caption
from mm_assets.operations.invoice_column_items import amounts_over
from mm_assets.operations.invoice_currency import currency_of_account, document_currency
from mm_assets.operations.invoice_dates import (
    _date_on_title,
    _debit_date,
    _due_in_terms,
    _due_under_terms,
    _first_date_at_top,
    _letter_date,
    page_day_order,
)
from mm_assets.operations.invoice_doctype import (
    NOT_ENGLISH_TITLE,
    document_type,
    says_it_bills_nothing,
    titled_an_invoice,
)
from mm_assets.operations.invoice_fiscal_grid import grid_sum_check
from mm_assets.operations.invoice_items import line_items
from mm_assets.operations.invoice_labels import find_field
from mm_assets.operations.invoice_lines import (
    _marks_between_figures_joined,
    _touching_spans_joined,
    _with_primes_closed,
    _with_split_figures_joined,
    _with_split_labels_joined,
    _without_doubled_initials,
    _without_overprint,
    _without_row_letters,
    _without_tall_blocks,
)
from mm_assets.operations.invoice_locales import DOLLAR_SIGN_CODES
from mm_assets.operations.invoice_numbers import (
    _number_after_kind,
    _number_beside_title,
    _number_by_code_alone,
    _number_by_sign,
    _number_under_title,
)
from mm_assets.operations.invoice_qr_bill import _qr_bill_amount
from mm_assets.operations.invoice_receipts import (
    _receipt_total,
    paid_by_card,
    paid_for_a_printed_figure,
    paid_for_another_figure,
    payment,
    shop_over_address,
    total_by_payment,
)
from mm_assets.operations.invoice_stated_products import stated_products
from mm_assets.operations.invoice_stated_sums import stated_sum_check
from mm_assets.operations.invoice_summary_sums import (
    _gross_total_under_a_net_total,
    _mark_what_the_page_adds_up,
    _part_the_subtotal_left_out,
    _rate_rows_that_add_up,
    _subtotal_that_adds_up,
    _sum_by_class,
    _sum_of_named_rows,
    _summary_by_arithmetic,
    _till_rate_rows_that_add_up,
    _total_under_the_tax,
)
from mm_assets.operations.invoice_values import Found, _same_row, _tail_box, amounts_in, cents, currency_of
from mm_assets.operations.invoice_vendor import _could_be_a_name, find_vendor
from mm_assets.page_layout import page_lines


def extract_fields(spans: list[dict], tables: list[dict]) -> dict[str, Any]:
    """The document type, its fields and line items (a non-invoice gets none)."""
    spans = _marks_between_figures_joined(_touching_spans_joined(_without_tall_blocks(spans)))
    lines = _with_primes_closed(
        _with_split_figures_joined(
            _with_split_labels_joined(
                _without_row_letters(_without_doubled_initials(_without_overprint(page_lines(spans))))
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
    if doc_type != "receipt" and not titled_an_invoice(text) and not says_it_bills_nothing(text):
        # a card row under the total paying exactly it: a sale paid on the spot, its till's slip in any language
        total = find_field("total", lines, True)
        if total is not None and paid_by_card(total, lines):
            doc_type = "receipt"
    if doc_type is None:
        return {"doc_type": "other", "fields": {}, "line_items": []}
    currency = document_currency(text)
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
        "invoice_number": lambda: (
            _number_under_title(lines)
            or _number_beside_title(lines)
            or _number_by_sign(lines)
            or _number_after_kind(lines)
            or _number_by_code_alone(lines)
        ),
        # a label inside a row of captions read as one line, by where it sits, before any guess by position
        "invoice_date": lambda: (
            date_under_inner_caption("invoice_date", lines, day_first)
            or _date_on_title(lines, day_first)
            or _letter_date(lines, day_first)
            or _first_date_at_top(lines, day_first, 1.0 if doc_type == "receipt" else 0.5)
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
    if (gross := _gross_total_under_a_net_total(fields, lines)) is not None:
        fields["total"] = gross
    rows = _adjustment_rows(lines)
    adjustments = _summed(rows)
    if adjustments is not None:
        fields["adjustments"] = adjustments
    subtotal = _subtotal_that_adds_up(fields, lines)
    if subtotal is not None:
        fields["subtotal"] = subtotal
    if (rate_rows := _rate_rows_that_add_up(fields, lines)) is not None:
        fields["subtotal"], fields["tax"] = rate_rows
    elif (till_rows := _till_rate_rows_that_add_up(fields, lines)) is not None:
        fields["subtotal"], fields["tax"] = till_rows  # a till's tax table: a line per rate, net tax gross
    items = line_items(tables)
    if _an_items_amount(fields.get("total"), items):
        del fields["total"]  # a "Total Price" column's heading read with the first line's figure under it
    by_arithmetic = _summary_by_arithmetic(fields, arithmetic, items)
    fields.update(by_arithmetic)
    if "total" not in fields and (said := _total_in_a_sentence(lines)) is not None:
        fields["total"] = said
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
    if "total_adds_up" not in fields and (left_out := _part_the_subtotal_left_out(fields, arithmetic, items)):
        fields["total_adds_up"] = left_out  # verification: subtotal + tax = total unverifiable, not a conflict
    if (stated := stated_sum_check(lines)) is not None:
        fields["stated_sum"] = stated  # verification: a caption's "A + B" must be A's figure plus B's
    # the items stand over the first summary row: the subtotal's, or a receipt's total where that is higher (a till's
    # net from its tax table stands under the total)
    summary = [fields[name] for name in ("subtotal", "total") if name in fields]
    summary = summary if "subtotal" in fields or doc_type == "receipt" else []
    anchor = min(summary, key=lambda found: (found.page, found.bbox[1]), default=None)
    if anchor is not None and not any("amount" in item for item in items):
        if column := amounts_over(anchor, lines):  # verification: items typed as text sum to the summary
            fields["column_items"] = Found(column, column[0].page, column[0].bbox, 0.7)
    if products := stated_products(lines):
        # verification: a quantity x unit price a line states must make the amount its row prints
        fields["stated_products"] = Found(products, products[0].statement.page, products[0].statement.bbox, 0.6)
    if (grid := grid_sum_check(lines)) is not None:
        fields["grid_sum"] = grid  # verification: a fiscal grid's parts must make its total
    if (unread := _unread_rows_between(fields, lines, items)) is not None:
        fields["unread_between"] = unread  # verification: subtotal + tax = total unverifiable, not a conflict
    # a receipt names no customer: the name over the one address is its shop's, at the top or at the foot
    shop = shop_over_address(lines, _could_be_a_name) if doc_type == "receipt" else None
    vendor = shop or find_vendor(lines)
    if vendor is not None:
        fields["vendor"] = replace(vendor, value=_legal_form_apart(vendor.value))
    if currency:
        where = next((line for line in lines if _prints_currency(line.text, currency)), lines[0])
        fields["currency"] = Found(currency, where.page, list(where.bbox), 0.8)
    return {"doc_type": doc_type, "fields": fields, "line_items": items}


# A sentence that says the total ("The total price is 183.5", "Total amount due is $40.00"): no label's colon,
# the verb between the words and the figure
TOTAL_SENTENCE = re.compile(
    r"\btotal(?:\s+(?:price|amount(?:\s+due)?|cost|sum))?\s+(?:is|comes\s+to|amounts\s+to)\s*:?\s*(?P<figure>\S+)",
    re.I,
)


def _total_in_a_sentence(lines: list) -> Found | None:
    """The total a sentence states, the last such sentence on the page."""
    for line in reversed(lines):
        said = TOTAL_SENTENCE.search(line.text)
        figures = amounts_in(said.group("figure")) if said is not None else []
        if figures:
            return Found(figures[0], line.page, _tail_box(line, said.start("figure")), 0.6)
    return None


def _an_items_amount(total: Found | None, items: list[dict[str, Found]]) -> bool:
    """Whether the total read is a line item's own amount, on that item's row, among two or more items: the
    heading of the items' amount column ("Total Price") read as a label over the first line's figure."""
    if total is None or len(items) < 2:
        return False
    return any(
        "amount" in item
        and "quantity" in item
        and item["amount"].page == total.page
        and cents(item["amount"].value) == cents(total.value)
        and _same_row(item["amount"].bbox, total.bbox)
        for item in items
    )


# A company's legal form as it is written, glued by OCR to the name before it when a scan drops the spaces
# ("MusterGmbH", "TheDailyGrindCoffeeCo."): after a small letter, at the name's end
GLUED_LEGAL_FORM = re.compile(
    r"(?<=[a-zäöüéè])(GmbH|AG|KG|Ltd\.?|Inc\.?|LLC|Co\.?|Corp\.?|SARL|SAS|SA|BV|NV|PLC|S\.r\.l\.|S\.p\.A\.)$"
)


def _legal_form_apart(name: str) -> str:
    """A name whose legal form OCR glued to its last word set apart, as the page prints it ("MusterGmbH" reads "Muster
    GmbH"); in a name read with spaces only a form no word ends with ("Harrow &ValeSurveyingLtd" reads "Harrow
    &ValeSurveying Ltd", "Acme SportsCo" stays)."""
    return GLUED_LONG_LEGAL_FORM.sub(r" \1", name) if re.search(r"\s", name) else GLUED_LEGAL_FORM.sub(r" \1", name)


GLUED_LONG_LEGAL_FORM = re.compile(r"(?<=[a-zäöüéè])(GmbH|Ltd\.?|LLC|Inc\.?|SARL|PLC|S\.r\.l\.|S\.p\.A\.)$")


def _prints_currency(text: str, currency: str) -> bool:
    """Whether a line prints the document's currency (a "$" line its US dollars, an account its country's)."""
    return currency in (currency_of(text), currency_of_account(text)) or (currency == "USD" and "$" in text)
