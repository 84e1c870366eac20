"""The summary's subtotal, tax and total where one labelled figure does not give them: rows per tax rate, class or
name summed, the total printed under the tax, the subtotal that adds up, a per-rate summary's column sums, and the
page's arithmetic (operations.invoice_arithmetic) for what no label names; and, for verification, what the page's
own figures add up to.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_adjustments import _below, _exempt_amount
from mm_assets.operations.invoice_arithmetic import Figure, PageArithmetic, closing_sum, steps_with_tax, summary_step
from mm_assets.operations.invoice_label_match import _claimed_by_other, _label_match, _ranked_label
from mm_assets.operations.invoice_labels import _labelled_amount
from mm_assets.operations.invoice_rate_rows import summed_rate_columns, summed_rate_rows
from mm_assets.operations.invoice_values import RATE, Found, _lines_above, amounts_in, cents
from mm_assets.operations.invoice_verification import _adds_up
from mm_assets.page_layout import Line

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


def _rate_rows_that_add_up(fields: dict[str, Found], lines: list[Line]) -> tuple[Found, Found] | None:
    """A per-rate tax summary's column sums (operations.invoice_rate_rows) where the subtotal and tax read
    do not make the total and the sums do."""
    if "total" not in fields:
        return None
    if "subtotal" in fields and "tax" in fields:
        if _adds_up(fields["subtotal"].value + fields["tax"].value, cents(fields["total"].value), fields):
            return None
    return summed_rate_columns(lines, fields["total"].value)


def _till_rate_rows_that_add_up(fields: dict[str, Found], lines: list[Line]) -> tuple[Found, Found] | None:
    """A tax table of one line per rate (net, tax, gross: operations.invoice_rate_rows.summed_rate_rows) where the
    subtotal and tax read do not make the total and the rows' gross figures do."""
    if "total" not in fields:
        return None
    if "subtotal" in fields and "tax" in fields:
        if _adds_up(fields["subtotal"].value + fields["tax"].value, cents(fields["total"].value), fields):
            return None
    rows = summed_rate_rows(lines, fields["total"].value)
    if rows is not None and "subtotal" in fields and cents(fields["subtotal"].value) == cents(fields["total"].value):
        return fields["subtotal"], rows[1]  # a subtotal printed with the tax in ("SUBTOTAL 10.35", "TOTAL 10.35") stays
    return rows


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


def _part_the_subtotal_left_out(fields: dict[str, Found], arithmetic: PageArithmetic, items: list) -> Found | None:
    """A figure printed between the subtotal read and the total that is just what the total holds beyond that
    subtotal and the tax (another section's subtotal, "Subtotal $488.00" under "Subtotal $6,300.00"; an expense
    outside the tax, "Summe Auslagen 96.00"): the subtotal read is one part of several, so subtotal + tax = total
    proves nothing.
    A line item's own amount is no such part (an item misprinted in a subtotal's sum must still conflict)."""
    total, subtotal, tax = fields.get("total"), fields.get("subtotal"), fields.get("tax")
    if total is None or subtotal is None:
        return None
    gap = cents(total.value) - cents(subtotal.value) - (cents(tax.value) if tax is not None else 0)
    if gap <= 0:
        return None  # a total short of its parts is printed wrong, whatever else the page prints
    item_amounts = {cents(item["amount"].value) for item in items if "amount" in item}
    for figure in arithmetic.money:
        below = figure.page > subtotal.page or (figure.page == subtotal.page and figure.bbox[1] > subtotal.bbox[3])
        # over the total: a figure after it (a rounding "Rundungsbetrag 0.30" under the total) is none of its parts
        above = figure.page < total.page or (figure.page == total.page and figure.bbox[3] <= total.bbox[1] + 1)
        if below and above and cents(figure.value) == gap and gap not in item_amounts:
            return _found(figure)
    return None


def _gross_total_under_a_net_total(fields: dict[str, Found], lines: list[Line]) -> Found | None:
    """A total read that is the subtotal again, under the tax ("Totale onorario 1450.00", "Totale IVA 319.00",
    "Totale 1769.00": a letter's summary repeats the fees' sum, the tax's, then the whole): the total row further
    down that is the subtotal with its tax. None where no row prints that sum (the figures stay as read)."""
    total, subtotal, tax = fields.get("total"), fields.get("subtotal"), fields.get("tax")
    if total is None or subtotal is None or tax is None or cents(tax.value) == 0:
        return None
    if cents(total.value) != cents(subtotal.value) or total.bbox == subtotal.bbox:
        return None
    for line in lines:
        label = _label_match("total", line.text)
        found = _labelled_amount(line, label, lines) if label is not None else None
        if found is not None and _below(found, total) and cents(found.value) == cents(subtotal.value + tax.value):
            return found
    return None
