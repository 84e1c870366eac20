"""Values an invoice prints, read whatever the vendor's format: amounts with either decimal mark,
dates in the common formats and languages, currencies by sign or code; the `Found` value with its
page, box and confidence, and the page geometry (rows, lines above and below) the other modules share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from mm_assets.operations.invoice_locales import currency_by_locale, month_numbers
from mm_assets.page_layout import Line

CENT = Decimal("0.01")
WIDE = Context(prec=120)  # cents(): wide enough for any product of two parsed figures


GUESSED = 0.6  # the confidence of a table cell's figure picked among several in the cell

CURRENCY_SIGNS = {"US$": "USD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


# "$" is the sign of dollars and pesos in many countries (Argentina's "$ 10.000,00", Canada, Australia): it names
# US dollars only where the document shows the United States, by name, a state and ZIP code ("WA 98109"), a
# city and its state ("Scranton, PA"; OCR's "Sunnyville,TX12345", the state glued to its ZIP code), "US dollars" in
# words or a US written date ("Jan 1, 2022", month before day)
UNITED_STATES = re.compile(
    r"\bUSA\b|\bU\.S\.|United\s+States|\bUS\s*(?i:dollars?)|\b[A-Z]{2}\s+\d{5}(-\d{4})?\b|[a-z],\s*[A-Z]{2}\b(?![^\W\d_])|"
    r"[a-z],\s*[A-Z]{2}\d{5}(-\d{4})?\b|"
    r"\b(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s*\d{4}"
)


RUPEES = re.compile(r"(?<![A-Za-z])Rs\.?\s*-?\d")  # "Rs 1939", "Rs.40.00": Indian rupees


KORUNA = re.compile(r"(?<![^\W\d_])Kč(?![^\W\d_])")  # "1 500,00 Kč", "Kč600.00"; "Kčs" is another word


# "27 600.00 kr", "kr 1.250,00": crowns, whose country the document's words tell
KRONER = re.compile(r"\d\s*kr\.?(?![^\W\d_])|(?<![^\W\d_])kr\.?\s*\d", re.I)


KRONER_BY_LANGUAGE = (  # Swedish before Danish: both say "moms"
    ("NOK", re.compile(r"\bmva\b|forfallsdato|å\s*betale|fakturadato", re.I)),
    ("SEK", re.compile(r"att\s*betala|f[öo]rfallodag|fakturadatum", re.I)),
    ("DKK", re.compile(r"at\s*betale|forfaldsdato|\bmoms\b", re.I)),
)


CURRENCY_CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "INR")


# Other ISO 4217 codes, taken only right beside an amount ("VES 2.720,00", "1 200,00 CZK"): alone, three
# capitals are as likely an abbreviation
OTHER_CURRENCY_CODES = (
    "VES|MXN|ARS|CLP|COP|PEN|BRL|UYU|BOB|PYG|CRC|DOP|GTQ|CZK|HUF|RON|BGN|HRK|RSD|TRY|UAH|RUB|ISK|ZAR|NZD|SGD|HKD|"
    "CNY|KRW|TWD|THB|MYR|IDR|PHP|VND|ILS|AED|SAR|QAR|EGP|MAD|NGN|KES"
)


CODE_BY_AMOUNT = re.compile(
    rf"(?<![A-Za-z])({OTHER_CURRENCY_CODES})[ \u00a0]?-?\d|\d[ \u00a0]?({OTHER_CURRENCY_CODES})(?![A-Za-z])"
)


# A currency named in words beside its amount: "122,00 euroa" (Finnish), "50 Euro", "EUR" aside; "Europe" is no
# amount's currency: the word must touch a figure
# (a text layer may split the word: "122,00 eur oa")
EURO_BY_AMOUNT = re.compile(r"\d[ \u00a0]?eur(\s?o(s|a|ja|t)?)?(?![^\W\d_])|(?<![^\W\d_])euro(s|a)?[ \u00a0]?\d", re.I)


# Guaraníes have no minor unit: "Gs. 104.545" is a hundred thousand, its points group thousands however few groups
# it prints, and "Gs. 1.150.000" is an amount although it has seven digits and no decimal mark
# ("GS." where OCR reads capitals); so with the other currencies of no (printed) minor unit, before the figure
# ("Rp 1.250.000", "₩ 1.500.000") or after it ("1.250.000 ₫", "1.500.000 đ", "25.000 VND")
WHOLE_UNITS_BEFORE = re.compile(r"(?<![^\W\d_])((?i:gs)\.?|₲|PYG|Rp\.?|IDR|VND|₫|₩|KRW|CLP|ISK)[ \u00a0]*$")
WHOLE_UNITS_AFTER = re.compile(r"[ \u00a0]*(₫|đ|VND|IDR|KRW|원|CLP|ISK)(?![^\W\d_])")
WHOLE_UNITS_FIGURE = re.compile(r"-?\d{1,3}(?:\.\d{3})+")


# "Moneda: Guarani" (Spanish: the currency, in words)
CURRENCY_IN_WORDS = re.compile(r"moneda\s*:?\s*guaran[ií]", re.I)


MONTHS = {
    name: number
    for number, names in enumerate(
        [  # English, German, French, Dutch, Spanish
            ("jan", "january", "januar", "janvier", "janv", "januari", "enero", "ene"),
            ("feb", "february", "februar", "février", "fevrier", "févr", "fevr", "februari", "febrero"),
            ("mar", "march", "märz", "maerz", "mars", "maart", "marzo"),
            ("apr", "april", "avril", "avr", "abril", "abr"),
            ("may", "mai", "mei", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "juil", "julio"),
            ("aug", "august", "août", "aout", "augustus", "agosto", "ago"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "okt", "oktober", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dez", "dezember", "décembre", "decembre", "déc", "diciembre", "dic"),
        ],
        start=1,
    )
    for name in names
}
# and the lexicon's other languages (operations.invoice_locales): "5 marca 2024", "12. března 2024", "3 maggio 2024"
MONTHS.update({name: number for name, number in month_numbers().items() if name not in MONTHS})


AMOUNT = re.compile(
    # "1 245.00", and "$1, 034.00" (a text layer's space after the thousands comma)
    r"[-(]?\s*(?:[$€£¥₹]\s*)?\d{1,3}(?:[,.'’]\s?\d{3}|\s\d{3})*(?:[.,]\d{1,2})?(?!\d)"
    r"|[-(]?\s*[$€£¥₹]?\s*\d+(?:[.,]\d{1,2})?(?!\d)"
)


RATE = re.compile(r"\(?\d+(?:[.,]\d+)?\s*%\)?")


FIGURE = re.compile(r"-?\d{1,3}(?:[.,'’]?\d{3})*(?:[.,]\d{1,4})?")  # one cell of a row of figures


@dataclass
class Found:
    value: Any
    page: int
    bbox: list[float]
    confidence: float

    def as_json(self) -> dict[str, Any]:
        value = str(self.value) if isinstance(self.value, Decimal) else self.value
        if isinstance(self.value, date):
            value = self.value.isoformat()
        return {
            "value": value,
            "page": self.page,
            "bbox": [round(v, 1) for v in self.bbox],
            "confidence": self.confidence,
        }


def parse_amount(text: str) -> Decimal | None:
    """'1,245.00', '1.245,00', '$ 1 245.00', '(12.50)' -> Decimal; None when no amount."""
    cleaned = re.sub(r"[^\d,.\-()]", "", text.replace("'", "").replace("’", ""))  # "5’085.00": Swiss thousands
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    last_comma, last_point = cleaned.rfind(","), cleaned.rfind(".")
    decimal_mark = "," if last_comma > last_point and len(cleaned) - last_comma - 1 in (1, 2) else "."
    if decimal_mark == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
        if cleaned.count(".") > 1:  # "1.245.000": points grouping thousands
            cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return -value if negative else value


def parse_date(text: str, day_first: bool = True) -> date | None:
    """A date in the usual formats (ISO, D.M.Y, D/M/Y or M/D/Y, '3 March 2026', 'March 3, 2026')."""
    # "5 de julio de 2024"; a full-width comma as a comma ("Nov.9，2022")
    text = re.sub(r"\s+de\s+", " ", text.strip().lower().replace(",", " ").replace("，", " "))
    found = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)  # Japanese, Chinese: "2022年11月 9日"
    if found:
        return _date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    text = re.sub(r"\b(\d{1,2})\.\s+(\d{1,2})\.\s+(\d{4})\b", r"\1.\2.\3", text)  # "01. 01. 2021"
    text = re.sub(r"\b(\d{4})\.\s*(\d{1,2})\.\s*(\d{1,2})\b", r"\1.\2.\3", text)  # Hungarian "2018. 08. 01."
    # a time or a word glued to the year by OCR that drops spaces ("28/02/202409:30:00", "29.04.2011ohneAbzug",
    # a month name's "April10,20268:47AM", its comma read as a space above)
    text = re.sub(r"(\d[./\s-]\d{4})(?=\d{1,2}:\d{2}|[^\W\d_])", r"\1 ", text)
    found = re.search(r"\b(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\b", text)  # "2024-07-05", "2024/07/05"
    if found:
        return _date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
    found = re.search(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})\b", text)
    if found:
        first, second, year = int(found.group(1)), int(found.group(3)), _year(found.group(4))
        if found.group(2) == "." or first > 12 or (day_first and second <= 12):
            return _date(year, second, first) if first <= 31 and second <= 12 else _date(year, first, second)
        return _date(year, first, second)
    # "3 March 2026", "28 Jan 15" (a two-digit year, not a time's hour)
    found = re.search(r"\b(\d{1,2})(?:st|nd|rd|th|er|\.)?\s*([^\W\d_]{3,9})\.?\s*(\d{4}|\d{2})\b(?![:.]\d)", text)
    if found and found.group(2) in MONTHS:
        return _date(_year(found.group(3)), MONTHS[found.group(2)], int(found.group(1)))
    # a longer month name of another language ("5 października 2024", "3 septembrie 2024")
    found = re.search(r"\b(\d{1,2})\.?\s*([^\W\d_]{10,12})\s*(\d{4})\b", text)
    if found and found.group(2) in MONTHS:
        return _date(int(found.group(3)), MONTHS[found.group(2)], int(found.group(1)))
    found = re.search(r"\b([^\W\d_]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*(\d{4})\b", text)
    if found and found.group(1) in MONTHS:
        return _date(int(found.group(3)), MONTHS[found.group(1)], int(found.group(2)))
    # year first, then the month's name and the day: Hungarian "2018 aug. 01.", "2018. augusztus 1.", OCR's
    # "2018okt.30." (the year glued to the month)
    found = re.search(r"(?<!\d)(\d{4})\.?\s*([^\W\d_]{3,12})\.?\s*(\d{1,2})(?!\d)", text)
    if found and found.group(2) in MONTHS:
        return _date(int(found.group(1)), MONTHS[found.group(2)], int(found.group(3)))
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_date(token: str) -> bool:
    """A token that is a date and nothing else: "INV/2023/03/0008" holds one but is a number."""
    return bool(re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\.?", token)) or token.lower().strip(".") in MONTHS


def looks_like_date(text: str) -> bool:
    numeric = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{4}\s*年\s*\d{1,2}\s*月"  # "2022年11月": Japanese, Chinese
    return bool(re.search(numeric + r"|\b(" + "|".join(MONTHS) + r")\b", text, re.I))


def currency_of(text: str) -> str | None:
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            return code
    if "$" in text and UNITED_STATES.search(text) and not re.search(r"\b(?!US)[A-Z]{2}\$", text):
        return "USD"  # not "CA$", "AU$", "NZ$": those name their own dollars
    found = re.search(r"(?<![A-Za-z])(" + "|".join(CURRENCY_CODES) + r")(?![A-Za-z])", text)
    # or glued to the word before it where OCR drops spaces ("EndbetragEUR 5,95"): after a small letter, before
    # a figure or the line's end ("AutoCAD software" names no dollars)
    found = found or re.search(r"(?<=[a-z])(" + "|".join(CURRENCY_CODES) + r")(?=[ \t]*(-?\d|$))", text, re.M)
    if found:
        return found.group(1)
    beside = CODE_BY_AMOUNT.search(text)
    if beside:
        return beside.group(1) or beside.group(2)
    if EURO_BY_AMOUNT.search(text):
        return "EUR"
    if re.search(r"(?<![^\W\d_])((?i:gs)\.?|₲)[ \u00a0]*-?\d", text) or CURRENCY_IN_WORDS.search(text):
        return "PYG"
    if RUPEES.search(text):
        return "INR"
    if KORUNA.search(text):
        return "CZK"
    if KRONER.search(text):
        return next((code for code, words in KRONER_BY_LANGUAGE if words.search(text)), None)
    return currency_by_locale(text)  # a local sign beside a figure ("zł", "Rp"), a dollar sign's country


def amounts_in(text: str) -> list[Decimal]:
    """The amounts a text prints, left to right: not a tax rate, not a date's figures, not an
    identifier ("FR11999999998", a 14-digit account number: digits glued to letters, or seven or
    more without a decimal mark)."""
    text = with_zeros_read(RATE.sub(" ", text))  # a tax rate is not the tax
    if looks_like_date(text) or not re.search(r"\d", text):
        return []
    amounts = []
    for found in AMOUNT.finditer(text):
        figure = found.group(0).strip()
        start = found.start() + found.group(0).index(figure[0])
        end = start + len(figure)
        whole_units = WHOLE_UNITS_BEFORE.search(text[:start]) or WHOLE_UNITS_AFTER.match(text[end:])
        if whole_units and WHOLE_UNITS_FIGURE.fullmatch(figure):
            amounts.append(Decimal(figure.replace(".", "")))
            continue
        cents = re.search(r"[.,]\d{2}$", figure.strip(" )")) is not None
        if not cents and (_glued(text[:start], before=True) or _glued(text[end:], before=False)):
            continue
        if not cents and sum(ch.isdigit() for ch in figure) >= 7:
            continue
        if not cents and re.fullmatch(r"0\d+", figure):  # "Kunden-Nr. : 009420": a number, not an amount
            continue
        value = parse_amount(figure)
        if value is not None:
            amounts.append(value)
    return amounts


# OCR reads a zero after a money sign as the letter ("$o", "$O", "€ 1O,00"): a sign stands before a figure, never
# before a word of o's
ZERO_AS_LETTER = re.compile(r"(?<=[$€£¥₹])(\s?)([\doO][\doO.,]*)(?![^\W\d_])")


def with_zeros_read(text: str) -> str:
    """The text with each letter o read as the zero it is in a figure after a money sign."""
    return ZERO_AS_LETTER.sub(lambda found: found.group(1) + re.sub("[oO]", "0", found.group(2)), text)


# The words of money a figure may touch and stay an amount: codes, local signs, a dollar sign's country letters
# (OCR that drops spaces reads "383076Ft", "1200,00zł", "US$220"); one letter is not among them ("4778C" is a code)
MONEY_WORDS = frozenset(
    (*CURRENCY_CODES, *OTHER_CURRENCY_CODES.split("|"), "RS", "US", "CA", "AU", "NZ", "SG", "HK", "MX")
    + ("FT", "ZŁ", "KN", "LEI", "KČ", "KR", "RP", "RM", "TL", "ЛВ", "РУБ", "ГРН", "EURO", "EUROS")
)


def _glued(side: str, before: bool) -> bool:
    """Whether a figure touches a word that is not money ("FR1199...", "4778C"; OCR's "758,62EUR", "Rs1939",
    "383076Ft" are amounts)."""
    word = re.search(r"[^\W_]+$", side) if before else re.match(r"[^\W_]+", side)
    return word is not None and word.group(0).upper() not in MONEY_WORDS


def _same_row(a: list[float], b: list[float]) -> bool:
    middle = (b[1] + b[3]) / 2
    return a[1] - 2 <= middle <= a[3] + 2


def _tail_box(line: Line, start: int) -> list[float]:
    """The part of a line's box after character `start` (characters taken as equally wide)."""
    x0, y0, x1, y1 = line.bbox
    share = start / max(len(line.text), 1)
    return [x0 + (x1 - x0) * share, y0, x1, y1]


def _lines_above(line: Line, lines: list[Line], heights: float) -> list[Line]:
    """Lines on `line`'s page that overlap it sideways and end at most `heights` of its height above it."""
    return _lines_within(line, lines, heights, below=False)


def _lines_below(line: Line, lines: list[Line], heights: float) -> list[Line]:
    """Lines on `line`'s page that overlap it sideways and start at most `heights` of its height below it."""
    return _lines_within(line, lines, heights, below=True)


def _lines_within(line: Line, lines: list[Line], heights: float, below: bool) -> list[Line]:
    height = line.bbox[3] - line.bbox[1]

    def gap(o: Line) -> float:  # from line's edge to the other line's near edge
        return o.bbox[1] - line.bbox[3] if below else line.bbox[1] - o.bbox[3]

    return [
        o
        for o in lines
        if o.page == line.page
        and 0 <= gap(o) <= heights * height
        and min(o.bbox[2], line.bbox[2]) > max(o.bbox[0], line.bbox[0])
    ]


def _line_above_or_left(line: Line, lines: list[Line]) -> Line | None:
    """The line just above (overlapping it, within a line's height) or just left of it on its row."""
    above = _lines_above(line, lines, 1.5)
    left = [o for o in lines if o.page == line.page and o.bbox[2] <= line.bbox[0] and _same_row(line.bbox, o.bbox)]
    if above:
        return max(above, key=lambda o: o.bbox[3])
    return max(left, key=lambda o: o.bbox[2]) if left else None


def _head_box(line: Line, end: int) -> list[float]:
    """The part of a line's box before character `end` (characters taken as equally wide)."""
    x0, y0, x1, y1 = line.bbox
    return [x0, y0, x0 + (x1 - x0) * end / max(len(line.text), 1), y1]


def cents(value: Decimal) -> Decimal:
    """`value` to the cent. A page's long digit runs (a 44-digit access key, a barcode) parse as figures too, and
    their products pass the default context's 28 digits, where `quantize` raises: a wider context keeps them
    figures that equal no amount, instead of failing the document."""
    return value.quantize(CENT, context=WIDE)
