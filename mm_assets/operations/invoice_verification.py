"""Verification of an invoice's fields to the cent: quantity x unit price = amount on each line; the
line amounts sum to the subtotal; subtotal + tax = total; the dates parse and the due date is not
before the issue date. Each failed rule names the boxes of the numbers that disagree.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from mm_assets.operations.invoice_label_match import _claimed_by_other, _label_match
from mm_assets.operations.invoice_receipts import Payment, payment_holds
from mm_assets.operations.invoice_values import GUESSED, Found, _same_row, _tail_box, cents, parse_date
from mm_assets.page_layout import Line


def _adds_up(value: Decimal, wanted: Decimal, fields: dict[str, Found]) -> bool:
    """Whether a figure is the wanted one, as printed or with the charges and discounts applied."""
    adjustments = fields.get("adjustments")
    return cents(value) == wanted or (adjustments is not None and cents(value + adjustments.value) == wanted)


def _on_the_row_of(amount: Found, target: Found) -> bool:
    """An "item" on the same row as the sum it would go into: the summary row (a tax summary table under
    the items, read as part of the items' table), which holds that sum, not an item of it."""
    if amount.page != target.page:
        return False
    return _same_row(amount.bbox, target.bbox) or _same_row(target.bbox, amount.bbox)


def _box(found: Found) -> dict[str, Any]:
    return {"page": found.page, "bbox": [round(v, 1) for v in found.bbox]}


def verify(fields: dict[str, Found], items: list[dict[str, Found]], date_texts_unparsed: list[Found]) -> dict:
    """The rules that could be checked and the ones that failed: status verified | conflict | unverifiable."""
    failed: list[dict[str, Any]] = []
    line_failures: list[dict[str, Any]] = []
    failing_lines: list[dict[str, Found]] = []
    line_unsure = False
    gross_lines: list[tuple[dict[str, Found], Decimal]] = []
    checked = lines_checked = 0
    for item in items:
        if {"quantity", "unit_price", "amount"} <= item.keys():
            checked += 1
            lines_checked += 1
            expected, amount = _reckoned(item)
            if expected == cents(amount) or _discounted_to(item, amount):
                continue
            failing_lines.append(item)
            if min(item[part].confidence for part in ("quantity", "unit_price", "amount")) <= GUESSED:
                line_unsure = True  # a figure picked among several in its cell: the reading is unsure
            elif (rate := _gross_rate(expected, amount)) is not None:
                gross_lines.append((item, rate))  # the line's price with its tax in at a usual rate
            else:
                line_failures.append(_line_failure(item))
    # a whole price column with the tax in at one usual rate (invoice2's "Price": quantity x net unit price x 1.2) is
    # the layout, not a misprint; one gross line among others may be a misprint (24.00 for 4 x 5.00), as before
    rates = {rate for _item, rate in gross_lines}
    gross_column = len(gross_lines) >= 2 and len(rates) == 1 and len(gross_lines) == lines_checked
    if not gross_column:
        line_failures += [_line_failure(item) for item, _rate in gross_lines]
    subtotal, tax, total = fields.get("subtotal"), fields.get("tax"), fields.get("total")
    uncertain = line_unsure or gross_column
    amounts = [item["amount"] for item in items if "amount" in item]
    sum_target = subtotal or (total if tax is None else None)
    # the summary rows a table read as items ("Tax ... 495.00", "Total 5,445.00" under the lines) hold sums, not items
    summary = [found for found in (sum_target, subtotal, tax, total) if found is not None]
    amounts = [amount for amount in amounts if not any(_on_the_row_of(amount, row) for row in summary)]
    if amounts and sum_target is not None and _items_may_go_on_unread(amounts, sum_target):
        sum_target = None
    amounts_add_up = False
    if amounts and sum_target is not None:
        checked += 1
        expected = cents(sum(a.value for a in amounts))
        between = None if subtotal else fields.get("adjustments_between")
        if between is not None:  # charges printed under the items belong in the total they sum to
            expected = cents(expected + between.value)
            holds = expected == cents(sum_target.value)
        else:
            holds = _adds_up(expected, cents(sum_target.value), fields)
        amounts_add_up = holds
        gross_items = subtotal is not None and total is not None and expected == cents(total.value)
        if not holds and (
            _printed_sum_of(sum_target, fields)
            or (not subtotal and "unread_between" in fields)
            or gross_items
            or _not_money_read(amounts, sum_target)
        ):
            # the page's own column adds up to it (the table's items were misread, not printed wrong), rows no
            # label read stand between the items and their total (a tax or charge of an unknown name), or the items
            # sum to the total: priced with their tax, which the subtotal leaves out; or the column read is not
            # certainly the items' money
            uncertain = True
        elif not holds:
            rule = "lines_sum_to_subtotal" if subtotal else "lines_sum_to_total"
            boxes = [*amounts, *([between] if between else []), sum_target]
            failed.append(_failure(rule, expected, sum_target.value, boxes))
    if (column := fields.get("column_items")) is not None and (subtotal or total) is not None and not amounts:
        checked += 1  # the items typed as text over the summary (operations.invoice_column_items)
        expected = cents(sum(amount.value for amount in column.value))
        targets = [found for found in (subtotal, total) if found is not None]  # the total: prices with their tax in
        if not any(_adds_up(expected, cents(target.value), fields) for target in targets):
            target = min(targets, key=lambda found: abs(found.value - expected))  # the sum they missed by least
            rule = "lines_sum_to_subtotal" if target is subtotal else "lines_sum_to_total"
            failed.append(_failure(rule, expected, target.value, [*column.value, target]))
    if subtotal is not None and total is not None:
        checked += 1
        expected = cents(subtotal.value + (tax.value if tax else Decimal(0)))
        between = fields.get("adjustments_between")
        if between is not None:  # a charge under the subtotal belongs in the total: no "as printed" way out
            expected = cents(expected + between.value)
            holds = expected == cents(total.value)
        else:
            holds = _adds_up(expected, cents(total.value), fields)
        if not holds and _tax_inside_or_signed_apart(subtotal, tax, total):
            uncertain = True  # the tax is inside the gross prices, or a credit note signs its figures apart
        elif not holds and ("unread_between" in fields or "total_adds_up" in fields):
            # rows no label read stand between the subtotal and the total (a tax of an unknown name), or the page's
            # figures add up to this total another way (a tax step): the reading is unsure, not the printing wrong
            uncertain = True
        elif not holds:
            failed.append(
                _failure(
                    "subtotal_plus_tax_is_total",
                    expected,
                    total.value,
                    [subtotal, *([tax] if tax else []), *([between] if between else []), total],
                )
            )
    if line_failures and amounts_add_up and not failed and not _one_line_misprinted(failing_lines, lines_checked):
        # the line amounts make the subtotal and the summary adds up: the amounts were printed right, and a
        # quantity or price read from the table that does not make its amount (a unit, a pack size, a price
        # with its tax, a discount column not read) is a misreading more likely than a misprint
        uncertain = True
    else:
        failed = line_failures + failed
    tendered, change = fields.get("tendered"), fields.get("change")
    if total is not None and tendered is not None and change is not None:
        checked += 1  # cash handed over less the total is the change (a till receipt's own arithmetic)
        paid = Payment(tendered, change)
        currency = fields["currency"].value if "currency" in fields else None
        if not payment_holds(total.value, paid, currency) and "payment_unsure" in fields:
            uncertain = True  # tendered - change is another printed figure: the total was misread, not misprinted
        elif not payment_holds(total.value, paid, currency):
            expected = cents(tendered.value - change.value)
            failed.append(_failure("tendered_less_change_is_total", expected, total.value, [tendered, change, total]))
    if (stated := fields.get("stated_sum")) is not None:
        checked += 1  # a caption that states its figure is two others' sum ("Valor Líquido + IBS/CBS")
        expected, printed = stated.value
        if expected != printed:
            failed.append(_failure("stated_sum", expected, printed, [stated]))
    for product in fields["stated_products"].value if "stated_products" in fields else []:
        checked += 1  # a line's own words say how its amount was reckoned ("2 days at 540.00")
        if product.expected == cents(product.amount.value):
            continue
        if _stated_product_unsure(product.expected, product.amount.value):
            uncertain = True
        else:
            boxes = [product.statement, product.amount]
            failed.append(_failure("quantity_x_unit_price", product.expected, product.amount.value, boxes))
    if (grid := fields.get("grid_sum")) is not None:
        checked += 1  # a fiscal totals grid: products + freight + insurance - discount + other + ST + IPI
        expected, printed = grid.value
        if expected != printed:
            failed.append(_failure("grid_sum", expected, printed, [grid]))
    for unparsed in date_texts_unparsed:
        failed.append(_failure("date_parses", "a date", unparsed.value, [unparsed]))
    issued, due = fields.get("invoice_date"), fields.get("due_date")
    if issued is not None and due is not None:
        checked += 1
        if due.value < issued.value and _order_of_day_and_month_unsure(issued.value, due.value):
            uncertain = True  # read month first, the two dates are in order: which way they are written is unsure
        elif due.value < issued.value:
            failed.append(
                _failure("due_not_before_issue", f">= {issued.value.isoformat()}", due.value.isoformat(), [issued, due])
            )
    status = (
        "conflict" if failed else ("verified" if checked and total is not None and not uncertain else "unverifiable")
    )
    return {"status": status, "failed": failed, "rules_checked": checked}


# The tax rates a price may carry when a line prints its amount with the tax in ("19 %", "7 %", "20 %", "21 %")
GROSS_RATES = tuple(Decimal(rate) / 100 for rate in (5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                                                     24, 25, 27))  # fmt: skip


def _one_line_misprinted(failing: list[dict[str, Found]], lines_checked: int) -> bool:
    """One line among three or more whose quantity x unit price misses its printed amount, read from cells that
    held one figure each, and by no way a reading explains (a pack size or unit: a whole multiple or part; the
    price's tax: the gross at a usual rate; a discount: less): the line was printed wrong, though the amounts as
    printed make the sum."""
    if len(failing) != 1 or lines_checked < 3:
        return False
    item = failing[0]
    if min(item[part].confidence for part in ("quantity", "unit_price", "amount")) <= GUESSED:
        return False
    expected, amount = item["quantity"].value * item["unit_price"].value, item["amount"].value
    if expected <= 0 or amount <= expected:
        return False
    ratio = amount / expected
    gross = any(cents(expected * (1 + rate)) == cents(amount) for rate in GROSS_RATES)
    return ratio != ratio.to_integral_value() and not gross


def _reckoned(item: dict[str, Found]) -> tuple[Decimal, Decimal]:
    """A line's quantity x unit price to the cent, and the amount it prints."""
    return cents(item["quantity"].value * item["unit_price"].value), item["amount"].value


def _line_failure(item: dict[str, Found]) -> dict[str, Any]:
    expected, amount = _reckoned(item)
    return _failure("quantity_x_unit_price", expected, amount, [item["quantity"], item["unit_price"], item["amount"]])


def _gross_rate(expected: Decimal, amount: Decimal) -> Decimal | None:
    """The usual tax rate at which a line's amount is its quantity x price with the tax in, if any."""
    return next((rate for rate in GROSS_RATES if cents(expected * (1 + rate)) == cents(amount)), None)


def _stated_product_unsure(expected: Decimal, amount: Decimal) -> bool:
    """Whether a stated quantity x price that misses its row's amount may be read right and printed right: the
    amount is its gross at a usual tax rate, or the row's figure read is no amount of it at all (a tenth or less, or
    ten times more: a reference, a count)."""
    if expected <= 0 or amount <= 0:
        return True
    gross = any(cents(expected * (1 + rate)) == cents(amount) for rate in GROSS_RATES)
    return gross or not expected / 10 < amount < expected * 10


def _tax_inside_or_signed_apart(subtotal: Found, tax: Found | None, total: Found) -> bool:
    """A subtotal equal to the total with a tax beside it (prices with their tax in, the tax shown as a
    part: "Summe 11,90, enthaltene MwSt 1,90"), or figures that add up once their signs are set aside (a
    credit note printing its goods positive and its total negative): consistent as printed, read unsure."""
    if tax is None or tax.value == 0:
        return False
    if cents(subtotal.value) == cents(total.value):
        return True
    signs = {value > 0 for value in (subtotal.value, tax.value, total.value) if value != 0}
    return len(signs) > 1 and cents(abs(subtotal.value) + abs(tax.value)) == cents(abs(total.value))


def _order_of_day_and_month_unsure(issued: date, due: date) -> bool:
    """Whether both dates read either way (day and month both 12 or under) and, read the other way, the due
    date is not before the issue date: the document's order of day and month decides, and it is a guess."""
    if max(issued.day, due.day) > 12:
        return False
    return date(due.year, due.day, due.month) >= date(issued.year, issued.day, issued.month)


def _printed_sum_of(target: Found, fields: dict[str, Found]) -> bool:
    """Whether the page prints a column of figures that sums to the target (operations.invoice_fields puts
    it in "column_sum_totals")."""
    sums = fields.get("column_sum_totals")
    return sums is not None and cents(target.value) in sums.value


def _not_money_read(amounts: list[Found], sum_target: Found) -> bool:
    """Whether the items' amounts read may be another column than their money, so a sum that misses proves nothing:
    most of them figures picked among several in their cells (a form's grid read as a table: "VALOR DO FRETE" beside
    the goods' total), or whole numbers only where the sum prints cents (a code column: a DANFE's CFOP 6107, 6910)."""
    if 2 * sum(amount.confidence <= GUESSED for amount in amounts) > len(amounts):
        return True  # most of them guessed: one guessed figure among read ones still lets a missing sum conflict
    target = sum_target.value
    whole = all(amount.value == amount.value.to_integral_value() for amount in amounts)
    return whole and target != target.to_integral_value()


def _items_may_go_on_unread(amounts: list[Found], sum_target: Found) -> bool:
    """Items read on earlier pages only, their sum printed on a later one: the items may go on over the
    sum's page in rows no table was read from (a 45-line bill whose second page's rows the table model
    missed), so their sum proves nothing either way."""
    return max(amount.page for amount in amounts) < sum_target.page


def _discounted_to(item: dict[str, Found], amount: Decimal) -> bool:
    """Whether the line's discount column explains its amount: quantity x unit price less that
    many percent, or less that amount ("1.00 x 1.00, Disc.% 10.00: 0.90")."""
    if "discount" not in item:
        return False
    gross, off = item["quantity"].value * item["unit_price"].value, item["discount"].value
    return cents(amount) in (cents(gross * (1 - off / 100)), cents(gross - off))


def _failure(rule: str, expected: Any, found: Any, boxes: list[Found]) -> dict[str, Any]:
    return {"rule": rule, "expected": str(expected), "found": str(found), "boxes": [_box(b) for b in boxes]}


def unparsed_dates(lines: list[Line]) -> list[Found]:
    """Date labels whose value is there but does not read as a date (a typo, '31/02/2026')."""
    found = []
    for line in lines:
        for field in ("invoice_date", "due_date"):
            label = _label_match(field, line.text)
            if label is None or (field == "invoice_date" and _claimed_by_other(field, line.text)):
                continue
            rest = line.text[label.end() :].strip(" :")
            if re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", rest) and parse_date(rest) is None:
                found.append(Found(rest, line.page, _tail_box(line, label.end()), 0.9))
            break
    return found
