"""Truth for the real invoices that carry their own machine-readable copy (ZUGFeRD 1.0, Factur-X or
UBL XML embedded in the PDF, or a UBL file that embeds the PDF):
`python evaluation/real/xml_truth.py FILE.pdf [FILE.pdf=INVOICE.xml] ...` prints a truth.json "fields"
entry per file.

The values come from the XML, not from reading the page, and each is kept only where the page's text
layer prints it (in one of the usual forms: 1.234,56 / 1,234.56 / 1234.56, 31.01.2026 / 31/01/2026 /
2026-01-31 / 31 janvier 2026, the name in any case): a value that is not printed cannot be extracted
and is not scored. The subtotal is kept only where the lines' total equals the tax basis (with a
charge or an allowance between them "subtotal" is ambiguous). An amount printed with a minus sign
before it (a credit note) is kept negative.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium

MONTH_NAMES = [
    ("january", "janvier", "januar"),
    ("february", "février", "februar"),
    ("march", "mars", "märz"),
    ("april", "avril", "april"),
    ("may", "mai", "mai"),
    ("june", "juin", "juni"),
    ("july", "juillet", "juli"),
    ("august", "août", "august"),
    ("september", "septembre", "september"),
    ("october", "octobre", "oktober"),
    ("november", "novembre", "november"),
    ("december", "décembre", "dezember"),
]
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
SUMMATION = "SpecifiedTradeSettlementMonetarySummation"  # ZUGFeRD 1.0
SUMMATION_FX = "SpecifiedTradeSettlementHeaderMonetarySummation"  # Factur-X / ZUGFeRD 2
# (field, paths tried in turn; each step is an element's local name, found anywhere below the last)
PATHS = {
    "invoice_number": ["HeaderExchangedDocument/ID", "ExchangedDocument/ID", "=ID"],
    "invoice_date": [
        "HeaderExchangedDocument/IssueDateTime/DateTimeString",
        "ExchangedDocument/IssueDateTime/DateTimeString",
        "=IssueDate",
    ],
    "due_date": [
        "SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString",
        "=DueDate",
        "PaymentMeans/PaymentDueDate",
    ],
    "vendor": [
        "SellerTradeParty/Name",
        "AccountingSupplierParty/PartyName/Name",
        "AccountingSupplierParty/RegistrationName",
    ],
    "currency": ["InvoiceCurrencyCode", "=DocumentCurrencyCode"],
    "line_total": [
        f"{SUMMATION}/LineTotalAmount",
        f"{SUMMATION_FX}/LineTotalAmount",
        "LegalMonetaryTotal/LineExtensionAmount",
    ],
    "tax_basis": [
        f"{SUMMATION}/TaxBasisTotalAmount",
        f"{SUMMATION_FX}/TaxBasisTotalAmount",
        "LegalMonetaryTotal/TaxExclusiveAmount",
    ],
    "tax": [f"{SUMMATION}/TaxTotalAmount", f"{SUMMATION_FX}/TaxTotalAmount", "=TaxTotal/TaxAmount"],
    "total": [
        f"{SUMMATION}/GrandTotalAmount",
        f"{SUMMATION_FX}/GrandTotalAmount",
        "LegalMonetaryTotal/TaxInclusiveAmount",
    ],
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(root: ET.Element, path: str) -> str | None:
    """The text of the first element along `path`; a leading '=' means the first step is a direct
    child of the root (UBL's own ID and dates, not a referenced document's)."""
    steps = path.lstrip("=").split("/")
    node: ET.Element | None = root
    for index, step in enumerate(steps):
        pool = list(node) if index == 0 and path.startswith("=") else node.iter()
        node = next((e for e in pool if e is not node and _local(e.tag) == step), None)
        if node is None:
            return None
    return (node.text or "").strip() or None


def embedded_xml(pdf: pdfium.PdfDocument) -> ET.Element | None:
    for index in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(index)
        if attachment.get_name().lower().endswith(".xml"):
            return ET.fromstring(bytes(attachment.get_data()))
    return None


def page_text(pdf: pdfium.PdfDocument) -> str:
    return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def amount_forms(value: Decimal) -> list[str]:
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}"
    spaced = grouped.replace(",", " ")
    return [
        f"{grouped}.{cents}",
        f"{grouped.replace(',', '.')},{cents}",
        f"{spaced},{cents}",
        f"{whole}.{cents}",
        f"{whole},{cents}",
    ]


def date_forms(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    forms = [f"{d:02d}.{m:02d}.{y}", f"{d:02d}/{m:02d}/{y}", f"{d:02d}-{m:02d}-{y}", day.isoformat()]
    forms.append(f"{d:02d}.{m:02d}.{y % 100:02d}")
    forms += [f"{d}.{m}.{y}", f"{d}/{m}/{y}", f"{m:02d}/{d:02d}/{y}"]
    forms += [f"{d} {name} {y}" for name in MONTH_NAMES[m - 1]] + [f"{d}. {MONTH_NAMES[m - 1][2]} {y}"]
    return forms


def _iso(text: str) -> date:
    digits = text.replace("-", "")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _printed_amount(value: Decimal, text: str) -> Decimal | None:
    """The amount as printed (its sign from a minus before it), or None when not printed."""
    for form in amount_forms(value):
        found = re.search(r"(-\s?)?(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)", text)
        if found:
            return -abs(value) if found.group(1) else abs(value)
    return None


def truth_of(path: Path, xml_path: Path | None = None) -> dict | None:
    """Truth from the XML embedded in the PDF, or from `xml_path`: a UBL file that carries the PDF
    (its AdditionalDocumentReference) rather than the other way round."""
    pdf = pdfium.PdfDocument(str(path))
    root = ET.parse(xml_path).getroot() if xml_path else embedded_xml(pdf)
    if root is None:
        return None
    raw = {field: next((v for p in paths if (v := _find(root, p))), None) for field, paths in PATHS.items()}
    text = page_text(pdf)
    squeezed = _squeeze(text)
    fields: dict[str, object] = {}
    if raw["invoice_number"] and _squeeze(raw["invoice_number"]) in squeezed:
        fields["invoice_number"] = raw["invoice_number"]
    for name in ("invoice_date", "due_date"):
        if raw[name]:
            day = _iso(raw[name])
            if any(_squeeze(form) in squeezed for form in date_forms(day)):
                fields[name] = day.isoformat()
    if raw["vendor"] and _squeeze(raw["vendor"]) in squeezed:
        fields["vendor"] = " ".join(raw["vendor"].split())
    currency = raw["currency"]
    if currency and (currency in text or CURRENCY_SIGNS.get(currency, currency) in text):
        fields["currency"] = currency
    amounts = {name: Decimal(raw[name]) for name in ("line_total", "tax_basis", "tax", "total") if raw[name]}
    if "line_total" in amounts and amounts["line_total"] == amounts.get("tax_basis"):
        amounts["subtotal"] = amounts["line_total"]
    for name in ("subtotal", "tax", "total"):
        printed = _printed_amount(amounts[name], text) if name in amounts else None
        if printed is not None:
            fields[name] = f"{printed:.2f}"
    return {"doc_type": "invoice", "fields": fields}


if __name__ == "__main__":
    # `FILE.pdf` reads the XML inside it; `FILE.pdf=INVOICE.xml` reads the XML beside it
    pairs = [arg.split("=", 1) if "=" in arg else (arg, None) for arg in sys.argv[1:]]
    entries = {f"invoices/{Path(pdf).name}": truth_of(Path(pdf), xml and Path(xml)) for pdf, xml in pairs}
    print(json.dumps({k: v for k, v in entries.items() if v is not None}, indent=1, ensure_ascii=False))
