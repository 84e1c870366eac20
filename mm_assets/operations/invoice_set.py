"""Invoices and receipts with known fields, drawn in several vendors' styles.

Each style words its labels, places its header block, formats dates and amounts and rules its
table its own way, so an extractor tuned on one style is caught by another. `invoice_truth`
gives what a correct extraction says; `wrong_total=True` prints a total that does not add up
(a verifier must flag every one of those).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from mm_assets.operations.document_pages import Element, Table, Text

PRODUCTS = [
    "Widget A",
    "Gadget B",
    "Cable set",
    "Service hour",
    "Mounting kit",
    "Paper ream",
    "Toner black",
    "Desk lamp",
    "USB hub",
    "Label roll",
    "Filter pack",
    "Spare belt",
]
VENDORS = ["Acme Supplies Ltd", "Northwind Traders", "Globex Office GmbH", "Initech Services", "Umbrella Parts Co"]


@dataclass(frozen=True)
class Style:
    """How one vendor prints an invoice."""

    name: str
    doc_word: str  # the title: "INVOICE", "Tax Invoice", "Receipt"
    number_label: str
    date_label: str
    due_label: str | None
    subtotal_label: str
    tax_label: str
    total_label: str
    date_format: str  # "iso" | "dmy_dots" | "mdy_slash" | "long" | "dmy_slash"
    currency: str  # "USD" | "EUR" | "GBP"
    headings: tuple[str, str, str, str]  # description, quantity, unit price, amount
    ruled: bool
    header_right: bool  # number/date block at the right of the vendor name, else under it
    sign_prefix: bool  # "$12.00" rather than "12.00 EUR"


STYLES = [
    Style(
        "classic",
        "INVOICE",
        "Invoice No.",
        "Invoice Date",
        "Due Date",
        "Subtotal",
        "Tax (8%)",
        "Total",
        "mdy_slash",
        "USD",
        ("Description", "Qty", "Unit Price", "Amount"),
        True,
        True,
        True,
    ),
    Style(
        "european",
        "Rechnung / Invoice",
        "Invoice number",
        "Date",
        "Payment due",
        "Net amount",
        "VAT 19%",
        "Total due",
        "dmy_dots",
        "EUR",
        ("Item", "Quantity", "Price", "Total"),
        False,
        False,
        False,
    ),
    Style(
        "british",
        "Tax Invoice",
        "Inv #",
        "Date of issue",
        "Pay by",
        "Sub-total",
        "VAT",
        "Amount due",
        "long",
        "GBP",
        ("Product", "Units", "Rate", "Line total"),
        True,
        False,
        True,
    ),
    Style(
        "modern",
        "Invoice",
        "Reference No.",
        "Issued",
        "Due",
        "Net total",
        "Sales tax",
        "Balance due",
        "iso",
        "USD",
        ("Service", "Hours", "Rate", "Amount"),
        False,
        True,
        True,
    ),
    Style(
        "receipt",
        "Receipt",
        "Receipt #",
        "Date",
        None,
        "Subtotal",
        "Tax",
        "Total",
        "dmy_slash",
        "EUR",
        ("Article", "Qty", "Each", "Sum"),
        False,
        False,
        False,
    ),
]
# Styles no extraction rule was tuned on: `mm eval fields` reports them apart as the held-back slice.
HELD_BACK_STYLES = [
    Style(
        "ledger",
        "STATEMENT / INVOICE",
        "Bill No",
        "Billing date",
        "Payable by",
        "Total before tax",
        "GST",
        "Grand total",
        "long",
        "USD",
        ("Particulars", "Pcs", "Cost", "Value"),
        True,
        True,
        True,
    ),
    Style(
        "nordic",
        "Faktura / Invoice",
        "Document no.",
        "Date issued",
        "Due on",
        "Sub total",
        "Tax 25%",
        "Total amount",
        "dmy_slash",
        "EUR",
        ("Details", "Count", "Unit cost", "Line total"),
        False,
        True,
        False,
    ),
]
SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass
class Invoice:
    style: Style
    vendor: str
    number: str
    issued: date
    due: date | None
    items: list[tuple[str, int, Decimal]]  # description, quantity, unit price
    tax_rate: Decimal
    wrong_total: bool = False
    extra_lines: list[str] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((q * p for _, q, p in self.items), Decimal(0)).quantize(Decimal("0.01"))

    @property
    def tax(self) -> Decimal:
        return (self.subtotal * self.tax_rate).quantize(Decimal("0.01"))

    @property
    def printed_total(self) -> Decimal:
        total = self.subtotal + self.tax
        return total + Decimal("10.00") if self.wrong_total else total


def random_invoice(rng: random.Random, style: Style, wrong_total: bool = False, items: int | None = None) -> Invoice:
    issued = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    chosen = rng.sample(PRODUCTS, items or rng.randint(2, 5))
    lines = [
        (name, rng.randint(1, 12), (Decimal(rng.randint(150, 25000)) / 100).quantize(Decimal("0.01")))
        for name in chosen
    ]
    number = f"{rng.choice(['INV', 'A', '', 'R'])}{'-' if rng.random() < 0.5 else ''}{rng.randint(1000, 99999)}"
    if not any(ch.isalpha() for ch in number):
        number = f"{issued.year}-{rng.randint(100, 999)}"
    due = issued + timedelta(days=rng.choice([14, 30, 45])) if style.due_label else None
    rate = Decimal(rng.choice(["0.08", "0.19", "0.20", "0.07", "0.10"]))
    return Invoice(style, rng.choice(VENDORS), number, issued, due, lines, rate, wrong_total)


def format_date(value: date, style: str) -> str:
    if style == "iso":
        return value.isoformat()
    if style == "dmy_dots":
        return value.strftime("%d.%m.%Y")
    if style == "mdy_slash":
        return value.strftime("%m/%d/%Y")
    if style == "dmy_slash":
        return value.strftime("%d/%m/%Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def format_amount(value: Decimal, style: Style) -> str:
    if style.currency == "EUR" and not style.sign_prefix:
        whole, cents = f"{value:,.2f}".split(".")
        return f"{whole.replace(',', '.')},{cents} EUR"
    return f"{SIGNS[style.currency]}{value:,.2f}"


def _address(style: Style) -> str:
    """The vendor's address: in the United States where it bills in dollars, as "$" alone names no country's
    dollars (the truth's USD must be readable from the page)."""
    return "12 Harbour Road, Springfield, IL 62701" if style.currency == "USD" else "12 Harbour Road, Springfield"


def invoice_elements(invoice: Invoice) -> list[Element]:
    """The invoice drawn as page elements in its vendor's style."""
    style = invoice.style
    money = lambda value: format_amount(value, style)  # noqa: E731 - a one-line formatter
    elements: list[Element] = [Text(72, 60, invoice.vendor, 16, True), Text(72, 82, _address(style))]
    header = [
        (style.number_label, invoice.number),
        (style.date_label, format_date(invoice.issued, style.date_format)),
    ]
    if style.due_label and invoice.due:
        header.append((style.due_label, format_date(invoice.due, style.date_format)))
    x, y = (360, 60) if style.header_right else (72, 108)  # beside the vendor's name, or under it
    elements.append(Text(x, y, style.doc_word, 14, True))
    for offset, (label, value) in enumerate(header, start=1):
        elements.append(Text(x, y + 18 * offset, f"{label}: {value}"))
    top = 200
    description, quantity, unit, amount = style.headings
    rows = [(description, quantity, unit, amount)]
    for name, count, price in invoice.items:
        rows.append((name, str(count), money(price), money((count * price).quantize(Decimal("0.01")))))
    table = Table(72, top, tuple(rows), (200, 60, 110, 110), ruled=style.ruled)
    elements.append(table)
    y = table.bottom + 16
    for label, value in (
        (style.subtotal_label, invoice.subtotal),
        (style.tax_label, invoice.tax),
        (style.total_label, invoice.printed_total),
    ):
        elements.append(Text(330, y, f"{label}:"))
        elements.append(Text(450, y, money(value)))
        y += 18
    closing = "Thank you for your purchase!" if style.doc_word == "Receipt" else "Payment by bank transfer, please."
    elements.append(Text(72, y + 30, closing))
    return elements


def invoice_truth(invoice: Invoice) -> dict:
    """What a correct extraction of `invoice` says (values as `mm fields` prints them)."""
    truth = {
        "doc_type": "receipt" if invoice.style.doc_word == "Receipt" else "invoice",
        "fields": {
            "invoice_number": invoice.number,
            "invoice_date": invoice.issued.isoformat(),
            "vendor": invoice.vendor,
            "currency": invoice.style.currency,
            "subtotal": str(invoice.subtotal),
            "tax": str(invoice.tax),
            "total": str(invoice.printed_total),
        },
        "line_items": [
            {
                "description": n,
                "quantity": str(q),
                "unit_price": str(p),
                "amount": str((q * p).quantize(Decimal("0.01"))),
            }
            for n, q, p in invoice.items
        ],
        "consistent": not invoice.wrong_total,
    }
    if invoice.due:
        truth["fields"]["due_date"] = invoice.due.isoformat()
    return truth
