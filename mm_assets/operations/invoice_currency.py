"""The document's currency, decided once for the whole document: where no sign, code or word names it beside an
amount (operations.invoice_values.currency_of, which also tells the document type), the money its signs leave
least in doubt and the country the page shows. So a document whose amounts carry a sign gets a currency:

- a bare "$" on an English page that writes its cents after a point is US dollars: other dollars and pesos are
  named by their prefix ("C$", "AU$") or by the country the page shows (operations.invoice_locales), and are read
  so first; a page in another language ("FACTURA") or with decimal commas ("$ 10.000,00") keeps none;
- else the account it is paid into: an IBAN by its shape (its country's length), captioned or not, as OCR reads a
  caption set apart ("Code I.B.A.N" over "FR00 1111 ...") or without its spaces.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_doctype import NOT_ENGLISH_TITLE
from mm_assets.operations.invoice_locales import CURRENCY_BY_IBAN_COUNTRY
from mm_assets.operations.invoice_values import currency_of

# A dollar figure that writes its cents after a comma ("$ 10.000,00", "$1.250,50"): pesos, not US dollars
DECIMAL_COMMA_DOLLARS = re.compile(r"\$\s?\d{1,3}(\.\d{3})*,\d{2}(?!\d)|\d,\d{2}\s?\$")


# An IBAN's length by its country (ISO 13616 registry) for the countries whose currency the locales know
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "CY": 28, "DE": 22, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GR": 27, "HR": 21, "IE": 22,
    "IT": 27, "LT": 20, "LU": 20, "LV": 21, "MT": 31, "NL": 18, "PT": 25, "SI": 19, "SK": 24, "PL": 28, "RO": 24,
    "HU": 28, "CZ": 24, "SE": 24, "DK": 18, "NO": 15, "BG": 22, "CH": 21, "LI": 21, "GB": 22, "IS": 26, "TR": 26,
    "UA": 29, "RS": 22, "BA": 20, "MK": 19, "AL": 28, "GE": 22, "IL": 23, "AE": 23, "SA": 24, "BR": 29,
}  # fmt: skip


# Two capitals, two check digits, then the account in groups of four or run together
IBAN_SHAPE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})(\d{2}(?: ?[A-Z0-9]{1,4}){3,8})(?![A-Za-z0-9])")


# A currency's name in words, as a sentence states the amounts' currency
CURRENCY_NAMES = {
    "euro": "EUR", "euros": "EUR", "us dollars": "USD", "u.s. dollars": "USD", "pounds sterling": "GBP",
    "swiss francs": "CHF", "francs suisses": "CHF", "schweizer franken": "CHF", "japanese yen": "JPY",
}  # fmt: skip


# A sentence that states the amounts' currency by its name ("Amounts expressed in Euros", "Montants exprimés en
# euros", "Alle Beträge in Euro", "Importes en euros", "All prices in US dollars"); OCR may drop its spaces
# ("MontantsexprimesenEuros")
AMOUNTS_STATED = re.compile(
    r"(amounts?|prices?|montants?|prix|betr[äa]ge|preise|importes?|precios|importi|prezzi|valores|bedragen)"
    r"[^\n.]{0,30}?(in|en|em|op)\s*(?P<name>"
    + "|".join(re.escape(name).replace(r"\ ", r"\s*") for name in sorted(CURRENCY_NAMES, key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.I,
)


# A column's caption that names the amounts' currency in brackets after its word ("Betrag (Euro)", "Cantidad
# (Euro)", "Amount (Swiss francs)"): a code there ("Amount (GBP)") is read beside it already (currency_of)
CAPTIONED = re.compile(
    r"[^\W\d_]\s*\(\s*(?P<name>"
    + "|".join(re.escape(name).replace(r"\ ", r"\s*") for name in sorted(CURRENCY_NAMES, key=len, reverse=True))
    + r")\s*\)",
    re.I,
)


def document_currency(text: str) -> str | None:
    """The document's currency: named beside an amount, else stated in a sentence or a column's caption, else a bare
    dollar sign's, else its account's."""
    return (
        currency_of(text)
        or currency_stated(text)
        or currency_captioned(text)
        or _dollars_of_an_english_page(text)
        or currency_of_account(text)
    )


def currency_captioned(text: str) -> str | None:
    """The currency a column's caption names in brackets ("Betrag (Euro)"), by its name in words."""
    found = CAPTIONED.search(text)
    return None if found is None else CURRENCY_NAMES[re.sub(r"\s+", " ", found.group("name").lower())]


def currency_stated(text: str) -> str | None:
    """The currency a sentence names for the amounts ("Amounts expressed in Euros"), by its name in words."""
    found = AMOUNTS_STATED.search(text)
    return None if found is None else CURRENCY_NAMES[re.sub(r"\s+", " ", found.group("name").lower())]


def _dollars_of_an_english_page(text: str) -> str | None:
    """US dollars for a bare "$" beside a figure on a page that names itself in English and writes its cents after
    a point (currency_of found no other country's dollars on it)."""
    if not re.search(r"\$\s?-?\d|\d\s?\$", text) or DECIMAL_COMMA_DOLLARS.search(text):
        return None
    return None if NOT_ENGLISH_TITLE.search(re.sub(r"\s+", "", text).lower()) else "USD"


def currency_of_account(text: str) -> str | None:
    """The currency of the country of the first IBAN the page prints, told by its shape: its country's length."""
    for found in IBAN_SHAPE.finditer(text):
        country, account = found.group(1), found.group(2).replace(" ", "")
        if country in CURRENCY_BY_IBAN_COUNTRY and IBAN_LENGTHS.get(country) == 2 + len(account):
            return CURRENCY_BY_IBAN_COUNTRY[country]
    return None
