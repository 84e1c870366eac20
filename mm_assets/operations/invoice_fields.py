"""Invoice and receipt fields from a document's text lines and tables, and their verification.

Vendors word, place and format things their own way, so nothing here keys on one template:
a field is found by any of its usual labels (`LABELS`), its value is the nearest value of the
right type to the right of the label on the same row, else on the line below; dates are read in
the common formats (ISO, day-month-year with dots, slashes or month names, US month/day/year
where the day cannot be the month); amounts with either decimal comma or point. Line items come
from the table whose header names a description and an amount column.

Verification (to the cent): quantity x unit price = amount on each line; the line amounts sum
to the subtotal; subtotal + tax = total; the dates parse and the due date is not before the issue
date. Each failed rule names the boxes of the numbers that disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from mm_assets.page_layout import Line, page_lines

CENT = Decimal("0.01")
DOC_TYPES = ("invoice", "receipt")
# Matched on the text with its spaces removed (OCR drops them: "TaxInvoice", "Totaldue") and
# "l", "1" or "|" read for an "I" ("lnvoice").
INVOICE_WORDS = re.compile(r"[il1|]nvoice|billto|billedto|rechnung|facture|amountdue|balancedue")
RECEIPT_WORDS = re.compile(r"receipt|cashier|changedue|thankyouforyour(purchase|shopping)|thankyouforshopping")
TOTAL_WORDS = re.compile(r"total|amountdue|balancedue|summe")

# Field -> label patterns, most specific first (a "Total" line must not be taken for "Subtotal").
# Spaces are optional everywhere: OCR engines drop them ("Paymentdue:").
LABELS: dict[str, list[str]] = {
    "invoice_number": [
        r"invoice\s*(no\.?|number|nr\.?|#|num\.?|id)",
        r"receipt\s*(no\.?|number|#)",
        r"bill\s*(no\.?|number|#)",
        r"(document|reference|ref\.?)\s*(no\.?|number|#)",
        r"inv\.?\s*#",
        r"invoice(?=\s*#?\s*[A-Z]{0,4}[-/]?\d)",  # "Invoice 2024-117", "INVOICE INV-0042"
        r"transaction\s*(no\.?|number|#|id)",
    ],
    "due_date": [r"(payment\s*)?due\s*(date|on|by)?", r"pay\s*(by|before)", r"payable\s*by"],
    "invoice_date": [
        r"(invoice|issue|billing|receipt|transaction)\s*date",
        r"date\s*(of\s*)?(issue|invoice)",
        r"issued(\s*on)?",
        r"date",
    ],
    "subtotal": [r"sub[\s-]?total", r"net\s*(amount|total)", r"total\s*(before|excl\.?|excluding)\s*(tax|vat)"],
    "tax": [r"(sales\s*)?tax(\s*\(?\d+(\.\d+)?\s*%\)?)?", r"vat(\s*\(?\d+(\.\d+)?\s*%\)?)?", r"gst(?!in)", r"mwst"],
    "total": [
        r"(grand\s*)?total\s*(due|amount|payable|\(?incl\.?[^:]*\)?)?",
        r"amount\s*(due|payable)",
        r"balance\s*due",
        r"total",
    ],
    "vendor": [r"(from|vendor|seller|supplier|sold\s*by|issued\s*by|(service\s*)?provider)"],
}
TYPES = {
    "invoice_number": "code",
    "invoice_date": "date",
    "due_date": "date",
    "subtotal": "amount",
    "tax": "amount",
    "total": "amount",
    "vendor": "name",
}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
RUPEES = re.compile(r"(?<![A-Za-z])Rs\.?\s*\d")  # "Rs 1939", "Rs.40.00": Indian rupees
CURRENCY_CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN", "INR")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
AMOUNT = re.compile(
    r"[-(]?\s*(?:[$€£¥₹]\s*)?\d{1,3}(?:[,.\s']\d{3})*(?:[.,]\d{2})?(?!\d)|[-(]?\s*[$€£¥₹]?\s*\d+(?:[.,]\d{2})?(?!\d)"
)
MAX_NAME_CHARS = 60  # a vendor's name; a longer line is a sentence ("Email or talk to us about ...")
COLUMN_HEADINGS = {
    "description": r"desc|item|product|service|article|particulars|details",
    "quantity": r"qty|quantity|units?\b|hours|hrs|pcs|count",
    "unit_price": r"unit|price|rate|each|cost",
    "amount": r"amount|total|line\s*total|sum|ext|value",
}


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


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal | None:
    """'1,245.00', '1.245,00', '$ 1 245.00', '(12.50)' -> Decimal; None when no amount."""
    cleaned = re.sub(r"[^\d,.\-()]", "", text.replace("'", ""))
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    last_comma, last_point = cleaned.rfind(","), cleaned.rfind(".")
    decimal_mark = "," if last_comma > last_point and len(cleaned) - last_comma - 1 == 2 else "."
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
    text = text.strip().lower().replace(",", " ")
    found = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if found:
        return _date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    found = re.search(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})\b", text)
    if found:
        first, second, year = int(found.group(1)), int(found.group(3)), _year(found.group(4))
        if found.group(2) == "." or first > 12 or (day_first and second <= 12):
            return _date(year, second, first) if first <= 31 and second <= 12 else _date(year, first, second)
        return _date(year, first, second)
    found = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s*([a-z]{3,9})\.?\s*(\d{4})\b", text)
    if found and found.group(2) in MONTHS:
        return _date(int(found.group(3)), MONTHS[found.group(2)], int(found.group(1)))
    found = re.search(r"\b([a-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*(\d{4})\b", text)
    if found and found.group(1) in MONTHS:
        return _date(int(found.group(3)), MONTHS[found.group(1)], int(found.group(2)))
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def looks_like_date(text: str) -> bool:
    return bool(re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(" + "|".join(MONTHS) + r")\b", text, re.I))


def currency_of(text: str) -> str | None:
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            return code
    found = re.search(r"(?<![A-Za-z])(" + "|".join(CURRENCY_CODES) + r")(?![A-Za-z])", text)
    if found:
        return found.group(1)
    return "INR" if RUPEES.search(text) else None


# ---------------------------------------------------------------------------------------------
# Finding labelled values
# ---------------------------------------------------------------------------------------------


def document_type(text: str) -> str | None:
    """'invoice', 'receipt' or None: the words a document uses, and a total somewhere."""
    squeezed = re.sub(r"\s+", "", text).lower()
    if not TOTAL_WORDS.search(squeezed):
        return None
    invoice, receipt = INVOICE_WORDS.search(squeezed), RECEIPT_WORDS.search(squeezed)
    if receipt and (not invoice or receipt.start() < invoice.start()):
        return "receipt"  # the title comes first: a receipt may say "ask for an invoice" further down
    return "invoice" if invoice else None


def _label_match(field: str, text: str) -> re.Match | None:
    for pattern in LABELS[field]:
        found = re.match(r"\s*(" + pattern + r")\s*[:#.]?\s*", text, re.I)
        if found:
            return found
    return None


def _value_of(kind: str, text: str, day_first: bool) -> Any:
    text = text.strip(" :#")
    if not text:
        return None
    if kind == "amount":
        text = re.sub(r"\(?\d+(?:[.,]\d+)?\s*%\)?", " ", text)  # a tax rate is not the tax
        if looks_like_date(text) or not re.search(r"\d", text):
            return None
        found = AMOUNT.search(text)
        return parse_amount(found.group(0)) if found else None
    if kind == "date":
        return parse_date(text, day_first)
    if kind == "code":
        token = text.split()[0] if text.split() else ""
        return token if re.search(r"\d", token) and not looks_like_date(token) else None
    if text.startswith(("(", "*", "†")) or len(text) > MAX_NAME_CHARS:  # a remark, a footnote, a sentence
        return None
    return text if re.search(r"[A-Za-z]", text) else None


def _same_row(a: list[float], b: list[float]) -> bool:
    middle = (b[1] + b[3]) / 2
    return a[1] - 2 <= middle <= a[3] + 2


def find_field(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """The first labelled value of `field`: after the label on its line or on a line to its right
    on the same row; failing that for every label, on a line just below a label (a value under
    its label). A column heading ("Total" over the amounts) has its value below only, so a label
    with a value beside it anywhere wins."""
    kind = TYPES[field]
    labelled = [
        (index, line, label)
        for index, line in enumerate(lines)
        if (label := _label_match(field, line.text)) is not None and not _claimed_by_other(field, line.text)
    ]
    for _index, line, label in labelled:
        value = _value_of(kind, line.text[label.end() :], day_first)
        if value is not None:
            return Found(value, line.page, _tail_box(line, label.end()), 0.9)
        beside = [o for o in lines if o.page == line.page and o is not line and o.bbox[0] >= line.bbox[2] - 2]
        found = _first_value(
            kind, sorted((o for o in beside if _same_row(line.bbox, o.bbox)), key=lambda o: o.bbox[0]), day_first
        )
        if found is not None:
            return found
    for index, line, _label in labelled:
        below = [
            other
            for other in lines[index + 1 : index + 3]
            if other.page == line.page and other.bbox[1] >= line.bbox[3] - 2 and other.bbox[0] < line.bbox[2]
        ]
        found = _first_value(kind, below, day_first, confidence=0.75)
        if found is not None:
            return found
    return None


def _first_value(kind: str, candidates: list[Line], day_first: bool, confidence: float = 0.85) -> Found | None:
    for other in candidates:
        if _label_match_any(other.text):
            continue
        value = _value_of(kind, other.text, day_first)
        if value is not None:
            return Found(value, other.page, list(other.bbox), confidence)
    return None


def _claimed_by_other(field: str, text: str) -> bool:
    """A line labelled for a more specific field ("Due date" is not the invoice date, "Subtotal"
    not the total)."""
    rivals = {"invoice_date": ("due_date",), "total": ("subtotal", "tax"), "tax": ("subtotal",)}
    return any(_label_match(rival, text) for rival in rivals.get(field, ()))


def _label_match_any(text: str) -> bool:
    return any(_label_match(field, text) for field in LABELS if field != "vendor")


def _tail_box(line: Line, start: int) -> list[float]:
    """The part of a line's box after character `start` (characters taken as equally wide)."""
    x0, y0, x1, y1 = line.bbox
    share = start / max(len(line.text), 1)
    return [x0 + (x1 - x0) * share, y0, x1, y1]


def _names_the_document(text: str) -> bool:
    """A title such as "Faktura / Invoice" or "RECEIPT": the document's kind, not its vendor."""
    squeezed = re.sub(r"\s+", "", text).lower()
    return bool(INVOICE_WORDS.search(squeezed) or RECEIPT_WORDS.search(squeezed) or "statement" in squeezed)


def _name_under_label(lines: list[Line]) -> Found | None:
    """A vendor label alone on its line ("Service Provider:") with the name in the block under it,
    a remark in brackets possibly first; the lines under it by distance, not by reading order, as
    a second column's lines come between them."""
    for line in lines:
        label = _label_match("vendor", line.text)
        if label is None or line.text[label.end() :].strip():
            continue
        height = line.bbox[3] - line.bbox[1]
        under = [
            other
            for other in lines
            if other.page == line.page
            and 0 <= other.bbox[1] - line.bbox[3] + 2 <= 4 * height
            and other.bbox[0] < line.bbox[2]
            and other.bbox[2] > line.bbox[0]
        ]
        found = _first_value("name", sorted(under, key=lambda o: o.bbox[1]), True, confidence=0.7)
        if found is not None:
            return found
    return None


def find_vendor(lines: list[Line]) -> Found | None:
    """A 'From:'-style label's value, else the first line of page 1 that is a name, not a label,
    number or the document's own title."""
    labelled = _name_under_label(lines) or find_field("vendor", lines, True)
    if labelled is not None:
        return labelled
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    for line in first_page[:8]:
        text = line.text.strip()
        if (
            re.search(r"[A-Za-z]{2}", text)
            and not _names_the_document(text)
            and not _label_match_any(text)
            and not looks_like_date(text)
            and not re.search(r"@|www\.|\d{3}", text)
            and not re.match(r"[\w .]{1,24}:", text)  # "Guest Name: Sanjay": a labelled value
            and len(text) <= MAX_NAME_CHARS
            and not text.startswith("(")
        ):
            return Found(text, line.page, list(line.bbox), 0.6)
    return None


# ---------------------------------------------------------------------------------------------
# Line items
# ---------------------------------------------------------------------------------------------


def heading_columns(header: list[str]) -> dict[str, int]:
    """Which column holds each line-item part, by its heading's words."""
    columns: dict[str, int] = {}
    for part in ("quantity", "unit_price", "amount", "description"):  # the distinctive ones first
        for index, heading in enumerate(header):
            if index not in columns.values() and re.search(COLUMN_HEADINGS[part], heading, re.I):
                columns[part] = index
                break
    return columns


def line_items(tables: list[dict]) -> list[dict[str, Found]]:
    """Rows of the first table whose header names a description and an amount."""
    for table in tables:
        if not table["rows"]:
            continue
        columns = heading_columns(table["rows"][0])
        if "amount" not in columns or "description" not in columns:
            continue
        boxes = {(cell["row"], cell["col"]): cell["bbox"] for cell in table["cells"]}
        items = []
        for r, row in enumerate(table["rows"][1:], start=1):
            description = row[columns["description"]].strip()
            if not description or _label_match_any(description):
                continue  # a subtotal/tax/total row inside the table is a field, not an item
            item: dict[str, Found] = {}
            for part, col in columns.items():
                text = row[col]
                value = text.strip() if part == "description" else parse_amount(text)
                if value not in (None, ""):
                    item[part] = Found(value, table["page"], list(boxes.get((r, col), table["bbox"])), 0.9)
            if "amount" in item:
                items.append(item)
        if items:
            return items
    return []


# ---------------------------------------------------------------------------------------------
# Extraction and verification
# ---------------------------------------------------------------------------------------------


def extract_fields(spans: list[dict], tables: list[dict]) -> dict[str, Any]:
    """The document type, its fields and line items (a non-invoice gets none)."""
    lines = page_lines(spans)
    text = "\n".join(line.text for line in lines)
    doc_type = document_type(text)
    if doc_type is None:
        return {"doc_type": "other", "fields": {}, "line_items": []}
    currency = currency_of(text)
    day_first = currency != "USD"
    fields: dict[str, Found] = {}
    for field in ("invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total"):
        found = find_field(field, lines, day_first)
        if found is not None:
            fields[field] = found
    vendor = find_vendor(lines)
    if vendor is not None:
        fields["vendor"] = vendor
    if currency:
        where = next((line for line in lines if currency_of(line.text) == currency), lines[0])
        fields["currency"] = Found(currency, where.page, list(where.bbox), 0.8)
    items = line_items(tables)
    return {"doc_type": doc_type, "fields": fields, "line_items": items}


def _box(found: Found) -> dict[str, Any]:
    return {"page": found.page, "bbox": [round(v, 1) for v in found.bbox]}


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def verify(fields: dict[str, Found], items: list[dict[str, Found]], date_texts_unparsed: list[Found]) -> dict:
    """The rules that could be checked and the ones that failed: status verified | conflict | unverifiable."""
    failed: list[dict[str, Any]] = []
    checked = 0
    for item in items:
        if {"quantity", "unit_price", "amount"} <= item.keys():
            checked += 1
            expected = _cents(item["quantity"].value * item["unit_price"].value)
            if expected != _cents(item["amount"].value):
                failed.append(
                    _failure(
                        "quantity_x_unit_price",
                        expected,
                        item["amount"].value,
                        [item["quantity"], item["unit_price"], item["amount"]],
                    )
                )
    subtotal, tax, total = fields.get("subtotal"), fields.get("tax"), fields.get("total")
    amounts = [item["amount"] for item in items if "amount" in item]
    sum_target = subtotal or (total if tax is None else None)
    if amounts and sum_target is not None:
        checked += 1
        expected = _cents(sum(a.value for a in amounts))
        if expected != _cents(sum_target.value):
            rule = "lines_sum_to_subtotal" if subtotal else "lines_sum_to_total"
            failed.append(_failure(rule, expected, sum_target.value, [*amounts, sum_target]))
    if subtotal is not None and total is not None:
        checked += 1
        expected = _cents(subtotal.value + (tax.value if tax else Decimal(0)))
        if expected != _cents(total.value):
            failed.append(
                _failure(
                    "subtotal_plus_tax_is_total", expected, total.value, [subtotal, *([tax] if tax else []), total]
                )
            )
    for unparsed in date_texts_unparsed:
        failed.append(_failure("date_parses", "a date", unparsed.value, [unparsed]))
    issued, due = fields.get("invoice_date"), fields.get("due_date")
    if issued is not None and due is not None:
        checked += 1
        if due.value < issued.value:
            failed.append(
                _failure("due_not_before_issue", f">= {issued.value.isoformat()}", due.value.isoformat(), [issued, due])
            )
    status = "conflict" if failed else ("verified" if checked and total is not None else "unverifiable")
    return {"status": status, "failed": failed, "rules_checked": checked}


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
