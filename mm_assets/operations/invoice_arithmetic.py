"""The arithmetic of a page's figures, which holds whatever language or layout a vendor uses.

A bill is a page of figures that add up: a figure, a percentage-like share of it (the tax) and
their sum printed at or below both (subtotal + tax = total); a column of amounts stacked over a
figure that is their sum to the cent (the items over their subtotal or total); rows whose figures
hold quantity x price = amount. These are found without reading a single label, so they tell an
invoice in any language (operations.invoice_doctype) and pick the total, subtotal and tax where no
label names them (operations.invoice_fields). Only figures printed with cents count as money: a
year, a quantity or a postcode is not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from mm_assets.operations.invoice_values import AMOUNT, CENT, RATE, _glued, cents, parse_amount
from mm_assets.page_layout import Line

# A date's figures ("12.03.2024") read as "12.03" would be money: they are blanked before figures are read
DATE_TOKEN = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
CENTS = re.compile(r"[.,]\d{2}\)?$")
MAX_TAX_SHARE = Decimal("0.30")  # no sales tax or VAT is above 30% of its base
MIN_TAX_SHARE = Decimal("0.004")
# A share of the base is taken for a tax only at a rate the row prints, or at a whole or half percent: at any
# tenth of a percent, nearly any small figure is some rate of another
MAX_ADDENDS = 60  # items a column sum may stack
MAX_PAGE_FIGURES = 400  # amounts with cents on one page of a bill; a page with more is a data table


@dataclass(frozen=True)
class Figure:
    """An amount printed on a line, its own box (characters taken as equally wide) and the line's index."""

    value: Decimal
    page: int
    bbox: tuple[float, float, float, float]
    line: int
    cents: bool
    right: float  # where its cell ends: the line's right edge when it closes its line ("100,00 €")

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


@dataclass(frozen=True)
class TaxStep:
    """base + tax = total, the tax a percentage-like share of the base, the total at or below both."""

    base: Figure
    tax: Figure
    total: Figure
    rate_printed: bool


@dataclass(frozen=True)
class ColumnSum:
    """Amounts stacked in one column over a figure that is their sum."""

    addends: tuple[Figure, ...]
    total: Figure


@dataclass
class PageArithmetic:
    tax_steps: list[TaxStep] = field(default_factory=list)
    column_sums: list[ColumnSum] = field(default_factory=list)
    product_rows: int = 0
    money: list[Figure] = field(default_factory=list)

    @property
    def adds_up_like_a_bill(self) -> bool:
        """A tax step shaped like a bill's summary, or a column sum beside a row of quantity x price =
        amount: either is rare on a page that bills nothing, and both are on nearly every bill."""
        summary = any(step.rate_printed or _summary_shaped(step) for step in self.tax_steps)
        return summary or (bool(self.column_sums) and self.product_rows > 0)

    @property
    def adds_up_somewhat(self) -> bool:
        """A quantity x price row alone: a bill without tax, of one item. Weaker, so the words must say
        more. (A column sum alone is not enough: a budget or a list of payments sums its columns too.)"""
        return self.product_rows > 0


def line_figures(line: Line, index: int) -> list[Figure]:
    """The figures a line prints, left to right, rates and dates left out (their places kept)."""
    text = DATE_TOKEN.sub(lambda m: " " * len(m.group(0)), line.text)
    text = RATE.sub(lambda m: " " * len(m.group(0)), text)
    x0, y0, x1, y1 = line.bbox
    char = (x1 - x0) / max(len(line.text), 1)
    figures: list[Figure] = []
    for found in AMOUNT.finditer(text):
        figure = found.group(0).strip()
        if not re.search(r"\d", figure):
            continue
        start = found.start() + found.group(0).index(figure[0])
        end = start + len(figure)
        cents = CENTS.search(figure) is not None
        if not cents and (_glued(text[:start], before=True) or _glued(text[end:], before=False)):
            continue  # "FR1199", "4778C": an identifier
        value = parse_amount(figure)
        if value is not None:
            box = (x0 + char * start, y0, x0 + char * end, y1)
            figures.append(Figure(value, line.page, box, index, cents, box[2]))
    if figures:
        last = figures[-1]
        figures[-1] = Figure(last.value, last.page, last.bbox, last.line, last.cents, x1)
    return figures


def page_arithmetic(lines: list[Line]) -> PageArithmetic:
    """The tax steps, column sums and product rows among the lines' figures."""
    every = [figure for index, line in enumerate(lines) for figure in line_figures(line, index)]
    money = [figure for figure in every if figure.cents and figure.value != 0]
    rates = _rates_by_row(lines)
    return PageArithmetic(
        tax_steps=tax_steps(money, rates) + _credit_steps(money, rates),
        column_sums=column_sums(money),
        product_rows=product_rows(every),
        money=money,
    )


def _rates_by_row(lines: list[Line]) -> dict[int, list[Decimal]]:
    """For each line, the rates printed on its row, in any of the row's lines ("VAT 19.60%" | "26.46")."""
    printed = [(line, _printed_rates(line.text)) for line in lines]
    printed = [(line, shares) for line, shares in printed if shares]
    by_line = {}
    for index, line in enumerate(lines):
        middle = (line.bbox[1] + line.bbox[3]) / 2
        by_line[index] = [
            share
            for other, shares in printed
            if other.page == line.page and other.bbox[1] <= middle <= other.bbox[3]
            for share in shares
        ]
    return by_line


def _printed_rates(text: str) -> list[Decimal]:
    """The percentages a line prints ("VAT 19.60%", "(7 %)") as shares."""
    shares = []
    for found in RATE.finditer(text):
        figure = re.sub(r"[^\d.,]", "", found.group(0)).replace(",", ".")
        if figure.count(".") <= 1 and figure.strip("."):
            shares.append(Decimal(figure) / 100)
    return shares


def _rate_of(base: Decimal, tax: Decimal, printed: list[Decimal]) -> bool | None:
    """Whether tax is base times a rate, to the cent: a rate printed on the base's or tax's row (True),
    else a whole or half percent (False: a rate the page does not show, so a round one); None when
    neither makes it. Any share up to 30% of the base."""
    if not MIN_TAX_SHARE <= tax / base <= MAX_TAX_SHARE:
        return None
    if any(abs(base * rate - tax) <= CENT for rate in printed):
        return True
    rate = (tax / base * 200).quantize(Decimal(1)) / 200
    return False if abs(base * rate - tax) <= CENT else None


def _at_or_below(lower: Figure, upper: Figure) -> bool:
    return lower.page == upper.page and lower.bbox[1] >= upper.bbox[1] - lower.height / 2


def _pages(money: list[Figure]) -> list[list[Figure]]:
    """The figures page by page, leaving out pages of more than MAX_PAGE_FIGURES (a data table, not a
    bill's page): every search below is quadratic in a page's figures."""
    by_page: dict[int, list[Figure]] = defaultdict(list)
    for figure in money:
        by_page[figure.page].append(figure)
    return [figures for figures in by_page.values() if len(figures) <= MAX_PAGE_FIGURES]


def tax_steps(money: list[Figure], rates: dict[int, list[Decimal]]) -> list[TaxStep]:
    """Every base + tax = total among the figures: the tax a rate of the base, the total printed at or
    below both, all three on one page and not all on one row (a line's net, tax and gross)."""
    return [step for page in _pages(money) for step in _page_tax_steps(page, rates)]


def _page_tax_steps(money: list[Figure], rates: dict[int, list[Decimal]]) -> list[TaxStep]:
    by_cents: dict[Decimal, list[Figure]] = defaultdict(list)
    for figure in money:
        by_cents[cents(figure.value)].append(figure)
    steps = []
    positive = [figure for figure in money if figure.value > 0]
    for base in positive:
        for tax in positive:
            if tax is base or tax.value >= base.value:
                continue
            printed = _rate_of(base.value, tax.value, rates.get(tax.line, []) + rates.get(base.line, []))
            if printed is None:
                continue
            for total in by_cents.get(cents(base.value + tax.value), []):
                if total.line == base.line == tax.line or total is base:
                    continue
                if _at_or_below(total, base) and _at_or_below(total, tax):
                    steps.append(TaxStep(base, tax, total, printed))
    return steps


def _summary_shaped(step: TaxStep) -> bool:
    """Base, tax and total stacked in one column or set side by side on one row, as a bill's summary
    prints them. A statement's running balance (a balance, the next row's payment in another column,
    the new balance) may make a round rate by chance, but not in that shape."""
    stacked = _stacked(step.base, step.tax) and _stacked(step.tax, step.total)
    middle = (step.total.bbox[1] + step.total.bbox[3]) / 2
    one_row = all(figure.bbox[1] <= middle <= figure.bbox[3] for figure in (step.base, step.tax))
    return stacked or one_row


def _stacked(a: Figure, b: Figure) -> bool:
    """One over the other in a column: right edges aligned, or their boxes overlapping sideways (a box
    is reckoned from the line's characters, so its edges are rough)."""
    return _same_column(a, b) or (a.page == b.page and min(a.bbox[2], b.bbox[2]) > max(a.bbox[0], b.bbox[0]))


def _credit_steps(money: list[Figure], rates: dict[int, list[Decimal]]) -> list[TaxStep]:
    """The tax steps of a credit note, whose figures are printed negative (-100.00, -19.00, -119.00): found
    on their amounts, given back with their signs."""
    printed = {replace(figure, value=-figure.value): figure for figure in money if figure.value < 0}
    return [
        TaxStep(printed[step.base], printed[step.tax], printed[step.total], step.rate_printed)
        for step in tax_steps(list(printed), rates)
    ]


def _same_column(a: Figure, b: Figure) -> bool:
    """Right edges aligned within about half a line's height (amounts are set flush right), the figures'
    own or their cells' (a currency sign after some of them)."""
    tolerance = max(a.height, b.height) * 0.6 + 2
    return a.page == b.page and (abs(a.bbox[2] - b.bbox[2]) <= tolerance or abs(a.right - b.right) <= tolerance)


def column_sums(money: list[Figure]) -> list[ColumnSum]:
    """Each figure that is the sum of the two or more figures stacked right above it in its column,
    nearest first and none skipped."""
    return [found for page in _pages(money) for found in _page_column_sums(page)]


def _page_column_sums(money: list[Figure]) -> list[ColumnSum]:
    found = []
    for total in money:
        above = sorted(
            (
                other
                for other in money
                if other is not total
                and _same_column(other, total)
                and other.bbox[3] <= total.bbox[1] + total.height / 2
                and other.line != total.line
            ),
            key=lambda other: -other.bbox[1],
        )
        running = Decimal(0)
        for count, other in enumerate(above[:MAX_ADDENDS], start=1):
            running += other.value
            if count >= 2 and cents(running) == cents(total.value):
                found.append(ColumnSum(tuple(above[:count]), total))
                break
    return found


def _rows(every: list[Figure]) -> list[list[Figure]]:
    """Figures grouped into printed rows (a row's cells may be separate lines, apart by a wide gap),
    each row left to right."""
    rows: list[list[Figure]] = []
    for figure in sorted(every, key=lambda f: (f.page, (f.bbox[1] + f.bbox[3]) / 2)):
        middle = (figure.bbox[1] + figure.bbox[3]) / 2
        if rows and rows[-1][0].page == figure.page and rows[-1][0].bbox[1] <= middle <= rows[-1][0].bbox[3]:
            rows[-1].append(figure)
        else:
            rows.append([figure])
    return [sorted(row, key=lambda f: f.bbox[0]) for row in rows]


def product_rows(every: list[Figure]) -> int:
    """Rows whose figures hold quantity x price = amount, the amount with cents and printed after both
    factors, neither factor 1 or 0 (so an amount repeated beside a quantity of one proves nothing)."""
    count = 0
    for figures in _rows(every):
        if len(figures) < 3:
            continue
        if any(
            amount.cents
            and amount.value > 0
            and cents(figures[i].value * figures[j].value) == cents(amount.value)
            and figures[i].value not in (0, 1)
            and figures[j].value not in (0, 1)
            for i in range(len(figures))
            for j in range(i + 1, len(figures))
            for amount in figures[j + 1 :]
        ):
            count += 1
    return count


def summary_step(arithmetic: PageArithmetic, known: dict[str, Decimal]) -> TaxStep | None:
    """The tax step that is the document's summary: one that agrees with every figure a label already
    gave (subtotal, tax, total), then one whose rate is printed, then the one lowest on the last page
    (the summary closes the bill), then the largest total."""
    agreeing = [step for step in arithmetic.tax_steps if _agrees(step, known)]
    if not agreeing:
        return None
    return max(
        agreeing,
        key=lambda step: (step.rate_printed, step.total.page, step.total.bbox[1], step.total.value),
    )


def steps_with_tax(arithmetic: PageArithmetic, tax: Figure) -> list[TaxStep]:
    """base + tax = total for a tax a label gave, whatever its share of the base (several rates' taxes
    summed), the total at or below the base, on another line."""
    if tax.value <= 0:
        return []
    by_cents: dict[Decimal, list[Figure]] = defaultdict(list)
    for figure in arithmetic.money:
        by_cents[cents(figure.value)].append(figure)
    steps = []
    for base in arithmetic.money:
        if base.value <= tax.value:
            continue
        for total in by_cents.get(cents(base.value + tax.value), []):
            if total.line != base.line and _at_or_below(total, base):
                steps.append(TaxStep(base, tax, total, False))
    return steps


def _agrees(step: TaxStep, known: dict[str, Decimal]) -> bool:
    parts = {"subtotal": step.base.value, "tax": step.tax.value, "total": step.total.value}
    return all(cents(parts[name]) == cents(value) for name, value in known.items() if name in parts)


def closing_sum(arithmetic: PageArithmetic) -> ColumnSum | None:
    """The column sum lowest on the last page, where nothing is printed under it in its column: the
    items over the figure that closes the bill (a net sum with tax rows under it closes nothing)."""
    closing = [
        found
        for found in arithmetic.column_sums
        if not any(
            _same_column(other, found.total) and other.bbox[1] > found.total.bbox[3] - found.total.height / 2
            for other in arithmetic.money
            if other is not found.total
        )
    ]
    if not closing:
        return None
    return max(closing, key=lambda found: (found.total.page, found.total.bbox[1], found.total.value))
