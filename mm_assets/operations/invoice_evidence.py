"""Evidence that a page is a bill whatever its title says: a total-like label with an amount, a business
tax id (a seller's registration: CNPJ, RFC, a VAT number, GSTIN, ABN ...) and a date. Fiscal documents
title themselves in their own words ("Documento Auxiliar da Nota Fiscal Eletrônica", "CFDI de ingreso",
"DACTE"), and a list of titles never ends; these three things together are what a bill is for a tax
office in any country. A tax form or a medical form prints totals and dates but no seller's tax id.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mm_assets.operations.invoice_values import Found, amounts_in, looks_like_date
from mm_assets.page_layout import Line

# A seller's tax registration by its shape or its label, in many countries: Brazil's CNPJ
# ("81.493.979/0001-89"), Mexico's RFC ("VAU111017CG9"), an EU VAT number after its label ("P.IVA
# IT01234567890", "USt-IdNr.: DE123456789", "TVA intracom FR11999999998"), India's GSTIN, Australia's ABN,
# Argentina's CUIT, Peru's RUC, Spain's NIF/CIF. A personal number (SSN, CPF alone) is no seller's.
TAX_ID = re.compile(
    r"\b\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}\b"
    r"|\bRFC\s*:?\s*[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}\b"
    r"|\b(VAT|USt|UID|MwSt|TVA|BTW|IVA|P\.\s?IVA|Partita\s*IVA|NIF|CIF|NIPC|CUIT|RUC|NIT|ABN|GSTIN|GST|MVA|"
    r"CVR|Org\.?\s*nr|KVK|SIRET|SIREN|Steuer)[\w.\s/-]{0,22}?[:#]?\s*[A-Z]{0,2}\s?\d[\d .\-/]{6,}",
    re.I,
)


# A label that names the sum a bill asks for, followed by its amount on the line or just below: the total
# words of operations.invoice_doctype are matched squeezed; here one is needed beside a figure
TOTAL_LABEL = re.compile(
    r"(?<![^\W\d_])(total|totale|totaal|summe|importe|valor|montant|betrag|amount|balance|gesamt|toplam|"
    r"yhteens[äa]|[öo]sszesen|celkem|итого|合計|合计|총계|합계)(?![^\W\d_])",
    re.I,
)


def total_with_amount(lines: list[Line]) -> bool:
    """A total-like label with an amount with cents on its line, or on the line just under it in its column
    (a box-grid form's caption over its value)."""
    for index, line in enumerate(lines):
        label = TOTAL_LABEL.search(line.text)
        if label is None:
            continue
        if _has_cents(line.text[label.end() :]):
            return True
        for below in lines[index + 1 : index + 6]:
            if below.page != line.page or below.bbox[1] - line.bbox[3] > 2 * (line.bbox[3] - line.bbox[1]):
                continue
            if below.bbox[0] >= line.bbox[0] - 2 and _has_cents(below.text) and not TOTAL_LABEL.search(below.text):
                return True
    return False


def _has_cents(text: str) -> bool:
    """An amount printed with its cents ("140,00", "2.300,00"): a sum of money, not a count or a code."""
    return bool(amounts_in(text)) and re.search(r"\d[.,]\d{2}(?!\d)", text) is not None


def bill_by_evidence(lines: list[Line]) -> bool:
    """A total with its amount, a seller's tax id and a date on one document: a bill in any language."""
    text = "\n".join(line.text for line in lines)
    if TAX_ID.search(text) is None:
        return False
    if not looks_like_date(text):
        return False
    return total_with_amount(lines)


# A delivery receipt's stub on a Brazilian DANFE: "RECEBEMOS DE <the issuer> OS PRODUTOS/SERVIÇOS CONSTANTES
# DA NOTA FISCAL": the note's issuer by law, in every DANFE's words
RECEIVED_FROM = re.compile(r"recebemos\s+de\s+(.{3,80}?)\s+os\s+produtos", re.I)


def issuer_by_stub(lines: list[Line], is_name: Callable[[str], bool]) -> Found | None:
    """The issuer a DANFE's stub says the goods came from ("RECEBEMOS DE <issuer> OS PRODUTOS")."""
    for line in lines:
        found = RECEIVED_FROM.search(line.text)
        if found is not None and is_name(found.group(1)):
            return Found(found.group(1).strip(), line.page, list(line.bbox), 0.7)
    return None


# A letterhead's address line, which a seller prints between its name and its tax id: a street ending in its house
# number, OCR gluing them ("Lindenallee8", "AmKanal21", "Via deiMille27"); a British postcode closing the town's line
# ("Falmouth TR11 3HS"); a unit or floor by its number ("Unit 4, Quay Works")
ADDRESS_LINE = re.compile(
    r"[^\W\d_]{3}\s?\d{1,4}[a-z]?$|(?<![A-Za-z])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$|"
    r"^(unit|suite|floor|level|building|apt\.?)\s+\d",
    re.I,
)


def issuer_by_tax_id(lines: list[Line], is_name: Callable[[str], bool]) -> Found | None:
    """The name just over the page's first tax id: a fiscal form prints the issuer's name over its CNPJ, RFC
    or VAT number, the customer's further down."""
    first = next((line for line in lines if TAX_ID.search(line.text)), None)
    if first is None:
        return None
    height = first.bbox[3] - first.bbox[1]
    above = [
        other
        for other in lines
        if other.page == first.page
        and 0 <= first.bbox[1] - other.bbox[3] <= 1.5 * height
        and min(other.bbox[2], first.bbox[2]) > max(other.bbox[0], first.bbox[0])
        and is_name(other.text.strip())
        and not TAX_ID.search(other.text)
        and not re.match(r"\s*\d", other.text)  # an address's house number ("14 Clerkenwell Green"), no name
        and not ADDRESS_LINE.search(other.text.strip())
    ]
    if not above:
        return None
    name = max(above, key=lambda other: other.bbox[3])
    return Found(name.text.strip(), name.page, list(name.bbox), 0.6)
