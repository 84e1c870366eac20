"""The issue and due dates no label names: on the title line, alone at the top right of a letter, the
first date at the top (never one after the due date); the due date in the payment terms, on a direct
debit's date, or under a payment-terms heading. Each is weaker evidence than a label (lower confidence).
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_doctype import INVOICE_WORDS
from mm_assets.operations.invoice_label_match import _label_match
from mm_assets.operations.invoice_labels import MAX_NAME_CHARS
from mm_assets.operations.invoice_values import MONTHS, Found, _same_row, _tail_box, parse_date
from mm_assets.page_layout import Line

# "Payable until 2011-06-05", "pagável até 10/04/2024", "pagadero hasta el 5/3/2024": a term's last day; the
# payment's noun before it ("Paiement à 30 jours, au plus tard le 1er janvier 2027", "Forma de pago: transferencia
# antes del 26 de diciembre de 2026")
DUE_TERMS = re.compile(
    r"(zahlbar|payable|payment\s*due|due|à\s*régler|à\s*payer|fällig|pag[áa]vel|pagadero|paiement|pago|pagamento|"
    # the transfer asked for ("Bitte überweisen Sie den Gesamtbetrag bis zum 02.12.2026", "please pay ... by")
    r"betaling|(ü|ue|i)berweise?n?|begleichen|please\s*(pay|remit|transfer)|virement|overmaken)[^.;]*?"
    # "bis zum" also where OCR glued it to the word before ("GesamtbetragbiszumO2.12.2026")
    r"(bis\s*zum|\b(bis|by|before|on|until|till|avant\s*le|jusqu['’]\s*au|au\s*plus\s*tard\s*le|le|am|at[ée]|hasta(\s*el)?|"
    r"antes\s*del?|entro\s*il|uiterlijk))(?![^\W\d_])"
    r"|\bzu\s*der\s*f[äa]lligkeit\b",  # "... abbuchen: zu der Fälligkeit 21.05.2014"
    re.I,
)


# A numeric date with slashes or dashes, day and month in either order ("26/02/2019", "11-02-19")
NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-])")


def page_day_order(text: str) -> bool | None:
    """Whether the page's own numeric dates put the day first: a date that reads one way only ("26/02/2019"
    is day first, "02/26/2019" month first) settles the order of the others on the page ("11/02/2019"), which
    a generator prints alike. None when no date settles it, or when the page's dates disagree."""
    orders = set()
    for found in NUMERIC_DATE.finditer(text):
        first, second = int(found.group(1)), int(found.group(3))
        if 12 < first <= 31 and 1 <= second <= 12:
            orders.add(True)
        elif 12 < second <= 31 and 1 <= first <= 12:
            orders.add(False)
    return orders.pop() if len(orders) == 1 else None


DEBIT_WORDS = re.compile(r"eingezogen|abgebucht|lastschrift|direct\s*debit|debited|pr[ée]lev", re.I)


# A payment-terms heading alone on its line, over the schedule of dates and amounts
TERMS_HEADING = re.compile(
    r"\s*(payment\s*terms?|zahlungs(bedingungen|plan)|conditions\s*de\s*(paiement|r[èe]glement)|"
    r"[ée]ch[ée]ancier|t[ée]rminos\s*de\s*pago|betalingsvoorwaarden)\s*:?\s*",
    re.I,
)


def _date_on_title(lines: list[Line], day_first: bool) -> Found | None:
    """The issue date printed on the title line ("Facture n°562044387 du 02 Juillet 2015",
    "Beitragsrechnung" with "24. Januar 2014" beside it) when no label names it."""
    for line in (line for line in lines if line.page == lines[0].page):
        squeezed = re.sub(r"\s+", "", line.text).lower()
        if not INVOICE_WORDS.search(squeezed) or len(line.text) > MAX_NAME_CHARS:
            continue
        beside = sorted(
            (
                o
                for o in lines
                if o.page == line.page and o.bbox[0] >= line.bbox[2] - 2 and _same_row(line.bbox, o.bbox)
            ),
            key=lambda o: o.bbox[0],
        )
        for where in [line, *beside[:1]]:
            found = parse_date(where.text, day_first)
            if found is not None:
                return Found(found, where.page, list(where.bbox), 0.6)
    return None


def _due_under_terms(lines: list[Line], day_first: bool) -> Found | None:
    """The first date under a payment-terms heading that stands alone ("Payment Term" over a
    schedule of "Date | Amount" rows), in any of the schedule's columns."""
    for line in lines:
        if TERMS_HEADING.fullmatch(line.text):
            height = line.bbox[3] - line.bbox[1]
            schedule = [o for o in lines if o.page == line.page and 0 <= o.bbox[1] - line.bbox[3] <= 4 * height]
            for other in sorted(schedule, key=lambda o: (o.bbox[1], o.bbox[0])):
                found = parse_date(other.text, day_first)
                if found is not None:
                    return Found(found, other.page, list(other.bbox), 0.55)
    return None


def _letter_date(lines: list[Line], day_first: bool) -> Found | None:
    """The date a letter prints alone in the top right of its first page ("18. April 2014" beside
    "Sachversicherungsvertrag Nr: ..."), when no label or title names the issue date."""
    first = [line for line in lines if line.page == lines[0].page] if lines else []
    if not first:
        return None
    width, height = max(line.bbox[2] for line in first), max(line.bbox[3] for line in first)
    for line in first:
        if line.bbox[1] > height / 2:
            break
        text = line.text.strip(" .,")
        found = parse_date(text, day_first)
        if found is not None and line.bbox[0] > width / 2 and not re.search(r"[^\W\d_]{3,}", _without_months(text)):
            return Found(found, line.page, list(line.bbox), 0.5)
    return None


def _without_months(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda word: "" if word.group(0).lower() in MONTHS else word.group(0), text)


def _debit_date(lines: list[Line], day_first: bool) -> Found | None:
    """The date a direct debit takes the amount ("Der Betrag ... wird am 20.03.2014 von Ihrem Konto
    ... eingezogen", "will be debited on ..."): the due date of a bill paid that way."""
    for index, line in enumerate(lines):
        sentence = " ".join(other.text for other in lines[index : index + 2])
        if not DEBIT_WORDS.search(sentence):
            continue
        terms = re.search(r"\b(am|on|le)\s+(?=\d)", line.text)
        found = parse_date(line.text[terms.end() :], day_first) if terms else None
        if found is not None:
            return Found(found, line.page, _tail_box(line, terms.end()), 0.5)
    return None


def _due_in_terms(lines: list[Line], day_first: bool) -> Found | None:
    """The due date in a payment-terms sentence: "Zahlbar innerhalb 30 Tagen netto bis 04.04.2013",
    "payable by 3 March 2026", "à régler avant le 05/07/2015" (the first date after the word)."""
    for line in lines:
        terms = DUE_TERMS.search(line.text)
        if terms is not None:
            found = parse_date(line.text[terms.end() :].split(",")[0], day_first)
            if found is not None:
                return Found(found, line.page, _tail_box(line, terms.end()), 0.6)
    return None


def _first_date_at_top(lines: list[Line], day_first: bool, share: float = 0.5) -> Found | None:
    """The first date in the top half (`share`) of the first page, where no label names the issue date ("Paris, on
    march 28th, 2008", a date under the letterhead): a bill is dated before anything else it dates. A
    due-date label's line is no issue date. A till receipt may print its date at the foot: the whole roll."""
    first = [line for line in lines if line.page == lines[0].page] if lines else []
    if not first:
        return None
    half = max(line.bbox[3] for line in first) * share
    for line in first:
        if line.bbox[1] > half:
            break
        if _label_match("due_date", line.text):
            continue
        found = parse_date(line.text, day_first)
        if found is not None:
            return Found(found, line.page, list(line.bbox), 0.45)
    return None
