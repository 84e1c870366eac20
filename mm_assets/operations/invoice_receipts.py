"""What a till receipt prints that an invoice does not: the cash handed over and the change given back,
and the shop's name over its address (at the top or at the foot).

Payment arithmetic holds in any language: the amount tendered less the total is the change ("TOTAL
185.80", "CASH 200.00", "CHANGE 14.20"; "合計", "お預り", "お釣り"). A change row whose tendered row adds up
so tells a receipt, gives its total where no label did (tendered - change), and checks a printed
total (operations.invoice_verification). Cash rounding (to 5 cents, or to a whole krona) may leave
up to half a unit between them, so only a larger gap is a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from mm_assets.operations.invoice_label_match import _label_match
from mm_assets.operations.invoice_labels import _labelled_amount
from mm_assets.operations.invoice_values import Found, _same_row, amounts_in, cents
from mm_assets.page_layout import Line

# The change given back, in many languages: "CHANGE", "Change due", "Rückgeld", "Wechselgeld", "Rendu",
# "Monnaie rendue", "Cambio", "Vuelto", "Resto", "Wisselgeld", "Växel", "Troco", "お釣り", "おつり", "釣銭", "找零"
CHANGE_LABEL = re.compile(
    r"\s*(change(\s*due)?|r[üu]ckgeld|wechselgeld|(monnaie\s*)?rendue?|cambio|vuelto|resto|wisselgeld|v[äa]xel|troco|"
    # its currency's sign may follow, glued where OCR drops the space ("TROCOR$:")
    r"お\s*釣\s*り?|お\s*つ\s*り|釣\s*銭|找\s*零)(\s*r?\$)?(?![^\W\d_])\s*:?\s*",
    re.I,
)


# What was handed over: "CASH", "Tendered", "Amount paid", "Bar", "Gegeben", "Espèces", "Efectivo", "Contanti",
# "Contant", "Dinheiro", "お預り", "お預かり", "現金". OCR may print a letter twice ("CACASASH"): the word is
# matched with such repeated runs allowed.
TENDERED_LABEL = re.compile(
    r"\s*(ca(ca|sa|s)*sh|tendered|amount\s*(paid|tendered)|paid|(geg(eben)?\.?\s*)?bar(geld)?|gegeben|esp[èe]ces|"
    r"efectivo|(pagamento\s*)?contant[ei]|contant|dinheiro|kontant|お\s*預\s*か?\s*り|現\s*金|card|karte|carte|"
    r"tarjeta)(?![^\W\d_])\s*:?\s*",
    re.I,
)


# A card that paid: its scheme or the till's word for a card ("VISA ****4421", "CB", "EC-Karte", "girocard",
# "Mastercard", "Pagamento elettronico"); a payment row with no change under it
CARD_LABEL = re.compile(
    r"\s*(visa|master\s*card|mastercard|maestro|amex|american\s*express|girocard|ec[\s-]*karte|cb|carte\s*bancaire|"
    r"debit(\s*card)?|credit\s*card|card|karte|carte|tarjeta|contactless|pagamento\s*elettronico)(?![^\W\d_])",
    re.I,
)


# Cash rounding leaves at most half a unit between tendered - total and change where cash is paid to the whole
# unit (Swedish and Norwegian crowns, Danish to 50 øre, Czech crowns, Hungarian forints), and at most two cents where
# it is paid to five (euro countries that round, francs, Canadian and Australian dollars); elsewhere a change that
# misses by more is a figure printed wrong
ROUNDING = Decimal("0.50")
WHOLE_UNIT_CASH = ("SEK", "NOK", "DKK", "CZK", "HUF", "ISK", "PYG", "JPY")
FIVE_CENT_ROUNDING = Decimal("0.02")


@dataclass(frozen=True)
class Payment:
    """A tendered row over a change row, the figure each prints."""

    tendered: Found
    change: Found


def _row_amount(line: Line, label: re.Match, lines: list[Line]) -> Found | None:
    """The amount a label's row prints: after the label on its line, else on a line of the same row to its
    right (OCR reads the label and its figure as two lines)."""
    rest = amounts_in(line.text[label.end() :])
    if rest:
        return Found(rest[-1], line.page, list(line.bbox), 0.7)
    beside = [
        other
        for other in lines
        if other is not line
        and other.page == line.page
        and other.bbox[0] > line.bbox[2]
        and _same_row(list(other.bbox), list(line.bbox))
        and amounts_in(other.text)
    ]
    if not beside:
        return None
    nearest = min(beside, key=lambda other: other.bbox[0])
    return Found(amounts_in(nearest.text)[-1], nearest.page, list(nearest.bbox), 0.7)


def payment(lines: list[Line]) -> Payment | None:
    """The tendered rows and the change row under them, each with its figure: the tendered rows stacked
    one under the other (cash and a card may share a bill: their sum is what was handed over), the change
    row within three row heights under the last of them."""
    tenders = [
        (line, found)
        for line in lines
        if (label := TENDERED_LABEL.match(line.text)) is not None and (found := _row_amount(line, label, lines))
    ]
    for start, (first, _found) in enumerate(tenders):
        stack = [tenders[start]]
        for line, found in tenders[start + 1 :]:
            last = stack[-1][0]
            if line.page == last.page and 0 <= line.bbox[1] - last.bbox[1] <= 3 * (last.bbox[3] - last.bbox[1]):
                stack.append((line, found))
        last = stack[-1][0]
        height = last.bbox[3] - last.bbox[1]
        for other in lines:
            change_label = CHANGE_LABEL.match(other.text)
            below = other.page == last.page and 0 < other.bbox[1] - last.bbox[1] <= 3 * height
            if change_label is None or not below:
                continue
            change = _row_amount(other, change_label, lines)
            handed = sum((found.value for _line, found in stack), Decimal(0))
            if change is not None and handed >= change.value:
                tendered = Found(handed, first.page, stack[0][1].bbox, 0.7)
                return Payment(tendered, change)
    return None


def payment_holds(total: Decimal, paid: Payment, currency: str | None = None) -> bool:
    """Whether tendered - total = change, give or take the cash rounding: half a unit where the currency is paid in
    whole units or not known, two cents for a currency known to be paid to the cent or to five."""
    slack = FIVE_CENT_ROUNDING if currency is not None and currency not in WHOLE_UNIT_CASH else ROUNDING
    return abs(cents(paid.tendered.value - total) - cents(paid.change.value)) <= slack


def paid_for_another_figure(total: Found, paid: Payment, lines: list[Line]) -> bool:
    """Whether tendered - change is an amount printed above the tendered row other than the total read: then
    the total was misread (a subtotal's or an item's figure), not printed wrong."""
    tendered = paid.tendered
    return any(
        cents(value) != cents(total.value) and payment_holds(value, paid)
        for line in lines
        if line.page == tendered.page and line.bbox[3] <= tendered.bbox[1] + 1
        for value in amounts_in(line.text)
    )


def paid_for_a_printed_figure(paid: Payment, lines: list[Line]) -> bool:
    """Whether an amount printed above the tendered row is what was paid for: tendered - it = change."""
    tendered = paid.tendered
    return any(
        0 < value <= tendered.value and payment_holds(value, paid)
        for line in lines
        if line.page == tendered.page and line.bbox[3] <= tendered.bbox[1] + 1
        for value in amounts_in(line.text)
    )


def total_by_payment(paid: Payment) -> Found:
    """The total a receipt prints no label for: what was handed over less the change."""
    tendered = paid.tendered
    return Found(cents(tendered.value - paid.change.value), tendered.page, tendered.bbox, 0.45)


# An address line: a street and number ("12 Main St", "Hauptstr. 5", "1-2-3 Kudan, Chiyoda-ku"), a postcode
# before a town ("75001 Paris", "102-0073", "SW1A 1AA"), or a Japanese prefecture and its ward
# or city ("東京都千代田区")
ADDRESS = re.compile(
    r"[都道府県].{0,6}?[市区町村郡]|〒|\b\d{3}-\d{4}\b|(?<![\d-])\d{5}\s+[A-Z][^\W\d_]{2,}|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|"
    r"(?<![^\W\d_])(street|st\.?|road|rd\.|avenue|ave\.?|boulevard|blvd|lane|straße|strasse|str\.|weg|gasse|platz|"
    r"rue|avenue|calle|avenida|via|piazza|laan|straat|gracht|plein|quai|chemin|impasse|allée|cours|place)(?![^\W\d_])|"
    r"-(ku|shi|cho|machi)(?![^\W\d_])|"
    # a German or Dutch street whose kind ends its name's word, then its number ("Lindenstraße 8", "Kerkstraat 12")
    r"[^\W\d_]{2,}(straße|strasse|str\.|weg|gasse|platz|allee|damm|ring|straat|laan|gracht|plein)\s*\d+[a-z]?\b|"
    # a house number before a street's words ("3 quai de la Fosse", "415 Main St"): a number, then words only
    r"^\s*\d{1,5}[a-z]?,?\s+[^\W\d_]{2,}(\s+[^\W\d_]+){0,4}\s*$",
    re.I,
)


# A chain's store number after its name ("QUICKMART #0457", "Filiale 1234"): the shop's name is the name before it
STORE_NUMBER = re.compile(r"\s+(#|no\.?|nr\.?|store|filiale|magasin)\s*\d+\s*$", re.I)


def shop_over_address(lines: list[Line], could_be_a_name) -> Found | None:  # noqa: ANN001 (a predicate)
    """A receipt's shop: the name printed just over its address, in its column, at the top or at the foot
    (a receipt names no customer, so the first name with an address under it is the shop's)."""
    for line in lines:
        if not ADDRESS.search(line.text):
            continue
        height = line.bbox[3] - line.bbox[1]
        above = [
            other
            for other in lines
            if other.page == line.page
            and -2 <= line.bbox[1] - other.bbox[3] <= 1.5 * height
            and other.bbox[1] < line.bbox[1]
            and other.bbox[0] < line.bbox[2]
            and other.bbox[2] > line.bbox[0]
        ]
        if not above:
            continue
        nearest = max(above, key=lambda other: other.bbox[3])
        name = STORE_NUMBER.sub("", nearest.text).strip()
        if could_be_a_name(name) and not ADDRESS.search(nearest.text):
            return Found(name, nearest.page, list(nearest.bbox), 0.6)
    return None


# A slip's sequence or approval number before its row's label ("0001111 TOTAL 12.34", "0001111 合計 ¥1,234")
ROW_CODE = re.compile(r"\s*\d{3,}\s+(?=\D)")


# What a receipt or card slip calls the sum it took when it names no total: "AMOUNT 123.45", "金額 ¥1,234"
RECEIPT_AMOUNT_LABEL = re.compile(r"\s*(amount|sale|purchase|金額|お買上げ?)\s*:?\s*", re.I)


HEADLINE_SCALE = 1.4  # a receipt's headline amount is set this much taller than its other lines, or more


def _receipt_total(lines: list[Line]) -> Found | None:
    """A receipt's total where no label starting a line names it: a total label after the row's code
    ("0001111 TOTAL 12.34"), else the amount a receipt or slip labels as such ("AMOUNT 123.45"), else
    the one amount set in large type (a receipt's headline, "¥12,080-" over "Received the above")."""
    for label_of in (_total_after_row_code, _receipt_amount_label):
        for line in lines:
            label = label_of(line.text)
            found = _labelled_amount(line, label, lines) if label is not None else None
            if found is not None:
                return found
    return _headline_amount(lines)


def _total_after_row_code(text: str) -> re.Match | None:
    """A total label after the row's code, matched from the line's start so its end is the label's."""
    code = ROW_CODE.match(text)
    inner = _label_match("total", text[code.end() :]) if code else None
    return re.match(re.escape(text[: code.end() + inner.end()]), text) if code and inner else None


def _receipt_amount_label(text: str) -> re.Match | None:
    code = ROW_CODE.match(text)
    return RECEIPT_AMOUNT_LABEL.match(text, code.end() if code else 0)


def _headline_amount(lines: list[Line]) -> Found | None:
    """The only line holding an amount whose type is HEADLINE_SCALE times the median line's or taller."""
    heights = sorted(line.bbox[3] - line.bbox[1] for line in lines)
    if not heights:
        return None
    median = heights[len(heights) // 2]
    tall = [
        line
        for line in lines
        if line.bbox[3] - line.bbox[1] >= HEADLINE_SCALE * median and len(amounts_in(line.text)) == 1
    ]
    if len(tall) != 1:
        return None
    line = tall[0]
    return Found(amounts_in(line.text)[0], line.page, list(line.bbox), 0.5)


# A card's number as a slip masks it ("****4421", "XXXX XXXX XXXX 4421", "#4421"): no amount
MASKED_CARD = re.compile(r"(?:[*xX•#]{2,}[\s-]?)+\d{2,4}\b|#\d{4}\b")


def paid_by_card(total: Found, lines: list[Line]) -> bool:
    """Whether a card row under the total pays exactly the total ("Total $20.12" over "Visa ****4421 $20.12"): a
    till's slip of a sale paid on the spot, in any language, where no word names the page a receipt."""
    height = total.bbox[3] - total.bbox[1]
    for line in lines:
        below = line.page == total.page and 0 < line.bbox[1] - total.bbox[1] <= 6 * height
        label = CARD_LABEL.match(MASKED_CARD.sub("", line.text)) if below else None
        if label is None:
            continue
        paid = _row_amount(Line(line.page, line.bbox, MASKED_CARD.sub("", line.text)), label, lines)
        if paid is not None and cents(paid.value) == cents(total.value):
            return True
    return False
