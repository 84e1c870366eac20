"""What a country's invoices print besides their labels, as data: month names in more languages, the local signs
of money that need a figure beside them ("1 234,56 zł", "Rp 150.000"), dollar signs that name their country
("C$", "A$"), and the cues that tell whose dollars or pesos a bare "$" is (a Canadian postal code, an Australian
ABN). operations.invoice_values reads these only where its own signs and codes find nothing, so a currency it
read before is read the same.
"""

from __future__ import annotations

import re

# Month names (nominative and, where dates use it, genitive) of languages operations.invoice_values does not
# list. Left out on purpose: names that are common words or brands elsewhere (Turkish "Mart", "Nisan"), and
# Croatian "listopad", which is October there and November in Polish and Czech; and forms that are words or names
# elsewhere ("marca" is Spanish for brand, "Maja", "Marco", "Kasim" are names): a line holding a month name is a
# date's, and its figures no amounts
MONTHS_BY_LANGUAGE: dict[str, tuple[tuple[str, ...], ...]] = {
    "italian": (
        ("gennaio",),
        ("febbraio",),
        ("marzo",),
        ("aprile",),
        ("maggio",),
        ("giugno",),
        ("luglio",),
        ("agosto",),
        ("settembre",),
        ("ottobre",),
        ("novembre",),
        ("dicembre",),
    ),
    "portuguese": (
        ("janeiro",),
        ("fevereiro",),
        ("março",),
        ("abril",),
        ("maio",),
        ("junho",),
        ("julho",),
        ("agosto",),
        ("setembro",),
        ("outubro",),
        ("novembro",),
        ("dezembro",),
    ),
    "polish": (
        ("styczeń", "stycznia"),
        ("luty", "lutego"),
        ("marzec",),
        ("kwiecień", "kwietnia"),
        ("maj",),
        ("czerwiec", "czerwca"),
        ("lipiec", "lipca"),
        ("sierpień", "sierpnia"),
        ("wrzesień", "września"),
        ("październik", "października"),
        ("listopad", "listopada"),
        ("grudzień", "grudnia"),
    ),
    "czech": (
        ("leden", "ledna"),
        ("únor", "února"),
        ("březen", "března"),
        ("duben", "dubna"),
        ("květen", "května"),
        ("červen", "června"),
        ("červenec", "července"),
        ("srpen", "srpna"),
        ("září",),
        ("říjen", "října"),
        ("listopadu",),
        ("prosinec", "prosince"),
    ),
    "swedish_danish_norwegian": (
        ("januari", "januar"),
        ("februari", "februar"),
        ("mars", "marts"),
        ("april",),
        ("maj", "mai"),
        ("juni",),
        ("juli",),
        ("augusti", "august"),
        ("september",),
        ("oktober",),
        ("november",),
        ("december", "desember"),
    ),
    "romanian": (
        ("ianuarie",),
        ("februarie",),
        ("martie",),
        ("aprilie",),
        ("mai",),
        ("iunie",),
        ("iulie",),
        ("august",),
        ("septembrie",),
        ("octombrie",),
        ("noiembrie",),
        ("decembrie",),
    ),
    # with the abbreviations Hungarian dates print ("2018 aug. 01.", "2018 szept. 15."), and without accents where
    # OCR drops them and the word is no name ("Julius", "Junius" are)
    "hungarian": (
        ("január", "jan"),
        ("február", "febr"),
        ("március", "márc", "marcius"),
        ("április", "ápr", "aprilis"),
        ("május", "máj", "majus"),
        ("június", "jún"),
        ("július", "júl"),
        ("augusztus", "aug"),
        ("szeptember", "szept"),
        ("október", "okt"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    "turkish": (
        ("ocak",),
        ("şubat", "subat"),
        (),
        (),
        ("mayıs", "mayis"),
        ("haziran",),
        ("temmuz",),
        ("ağustos", "agustos"),
        ("eylül", "eylul"),
        ("ekim",),
        ("kasım",),
        ("aralık", "aralik"),
    ),
    "indonesian_malay": (
        ("januari",),
        ("februari",),
        ("maret",),
        ("april",),
        ("mei",),
        ("juni", "jun"),
        ("juli", "julai"),
        ("agustus", "ogos"),
        ("september",),
        ("oktober",),
        ("november",),
        ("desember", "disember"),
    ),
    "catalan": (
        ("gener",),
        ("febrer",),
        ("març",),
        ("abril",),
        ("maig",),
        ("juny",),
        ("juliol",),
        ("agost",),
        ("setembre",),
        ("octubre",),
        ("novembre",),
        ("desembre",),
    ),
    "estonian": (
        ("jaanuar",),
        ("veebruar",),
        ("märts",),
        ("aprill",),
        ("mai",),
        ("juuni",),
        ("juuli",),
        ("august",),
        ("september",),
        ("oktoober",),
        ("november",),
        ("detsember",),
    ),
    "croatian": (
        ("siječanj", "siječnja"),
        ("veljača", "veljače"),
        ("ožujak", "ožujka"),
        ("travanj", "travnja"),
        ("svibanj", "svibnja"),
        ("lipanj", "lipnja"),
        ("srpanj", "srpnja"),
        ("kolovoz", "kolovoza"),
        ("rujan", "rujna"),
        (),
        ("studeni", "studenoga"),
        ("prosinac", "prosinca"),
    ),
}


def month_numbers() -> dict[str, int]:
    """Every listed month name, lower-case, and its number."""
    return {
        name: number
        for months in MONTHS_BY_LANGUAGE.values()
        for number, names in enumerate(months, start=1)
        for name in names
    }


# A local sign of money, taken only touching a figure: alone, "Ft", "kn" or "lei" are as likely other words; "RM"
# and "S/" only before a figure with cents (a room, a serial number); South Africa's "R" not at all: a spent Spanish
# page prints a column's letter "R" before its figures
_FIGURE = r"-?\d[\d.,\u00a0 ']*"
SIGNS_BY_AMOUNT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("PLN", rf"\d[ \u00a0]?zł(?![^\W\d_])|(?<![^\W\d_])zł[ \u00a0]?{_FIGURE}"),
        # Swiss francs' own abbreviation before a figure ("Fr. 1'234.50", "SFr. 12.00", "Fr 95.–")
        ("CHF", r"(?<![^\W\d_])S?Fr\.?[ \u00a0]?\d"),
        ("HUF", r"\d[ \u00a0]?Ft\.?(?![^\W\d_])"),
        ("RON", r"\d[ \u00a0]?(?i:lei)(?![^\W\d_])"),
        ("HRK", r"\d[ \u00a0]?kn(?![^\W\d_])"),
        ("BGN", r"\d[ \u00a0]?лв\.?(?![^\W\d_])"),
        ("RUB", r"\d[ \u00a0]?(₽|руб\.?)|(?<![^\W\d_])руб\.?[ \u00a0]?\d"),
        ("UAH", r"\d[ \u00a0]?(₴|грн\.?)|(?<![^\W\d_])грн\.?[ \u00a0]?\d"),
        ("TRY", rf"\d[ \u00a0]?(TL|₺)(?![^\W\d_])|₺[ \u00a0]?{_FIGURE}"),
        ("IDR", r"(?<![^\W\d_])Rp\.?[ \u00a0]?\d"),
        ("MYR", r"(?<![^\W\d_])RM[ \u00a0]?\d[\d,]*\.\d{2}(?!\d)"),
        ("PEN", r"(?<![^\W\d_])S/\.?[ \u00a0]?\d[\d,]*\.\d{2}(?!\d)"),
        ("VND", r"\d[ \u00a0]?(₫|đ|VNĐ)(?![^\W\d_])"),
        ("KRW", r"₩[ \u00a0]?\d|\d[ \u00a0]?원"),
        ("THB", r"฿[ \u00a0]?\d|\d[ \u00a0]?บาท"),
        ("ILS", r"₪[ \u00a0]?\d|\d[ \u00a0]?₪"),
        ("PHP", r"₱[ \u00a0]?\d"),
        ("NGN", r"₦[ \u00a0]?\d"),
    )
)


# Dollar (and peso) signs that name their country: "C$ 12.00", "AU$", "NZ$", "S$", "HK$", "MX$"
DOLLARS_BY_PREFIX = re.compile(r"(?<![A-Za-z])(CA|C|AU|A|NZ|S|SG|HK|MX|NT)\$")
DOLLAR_PREFIX_CODES = {
    "CA": "CAD",
    "C": "CAD",
    "AU": "AUD",
    "A": "AUD",
    "NZ": "NZD",
    "S": "SGD",
    "SG": "SGD",
    "HK": "HKD",
    "MX": "MXN",
    "NT": "TWD",
}


# A bare "$" and the country the page shows: its postal code or state, its business number, its name
DOLLAR_COUNTRY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        # a province and postal code ("ON M5V 2T6"), Canada's GST/HST number or name
        ("CAD", r"\b(AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\bCanada\b|GST/HST"),
        # a state and postcode ("NSW 2000"), an ABN
        ("AUD", r"\b(NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b|\bABN\b|\bAustralia\b"),
        ("NZD", r"New\s+Zealand|\bNZBN\b"),
        ("SGD", r"\bSingapore\b|\bUEN\b"),
        ("HKD", r"Hong\s+Kong"),
        ("MXN", r"\bRFC\b|M[ée]xico\b"),
        ("ARS", r"\bCUIT\b|\bArgentina\b"),
        ("CLP", r"\bRUT\b|\bChile\b"),
        ("COP", r"\bNIT\b|\bColombia\b"),
    )
)


def currency_by_locale(text: str) -> str | None:
    """The currency a page's local sign of money names, else the country of its dollar sign, else the country of
    the account it is paid into; None where none says (a bare "$" on a page that shows no country stays unknown)."""
    for code, pattern in SIGNS_BY_AMOUNT:
        if pattern.search(text):
            return code
    prefixed = DOLLARS_BY_PREFIX.search(text)
    if prefixed:
        return DOLLAR_PREFIX_CODES[prefixed.group(1)]
    if "$" in text:
        return next((code for code, cue in DOLLAR_COUNTRY_CUES if cue.search(text)), None)
    iban = IBAN_COUNTRY.search(text)  # last: the account the bill is paid into, in its country's money
    return CURRENCY_BY_IBAN_COUNTRY.get(iban.group(1)) if iban else None


# "IBAN: PL61 1090 ...": where nothing else names the money, the payee's account country's currency
IBAN_COUNTRY = re.compile(r"IBAN\s*:?\s*([A-Z]{2})\s?\d{2}")
EURO_COUNTRIES = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
CURRENCY_BY_IBAN_COUNTRY = {
    **dict.fromkeys(EURO_COUNTRIES.split(), "EUR"),
    "PL": "PLN",
    "RO": "RON",
    "HU": "HUF",
    "CZ": "CZK",
    "SE": "SEK",
    "DK": "DKK",
    "NO": "NOK",
    "BG": "BGN",
    "CH": "CHF",
    "LI": "CHF",
    "GB": "GBP",
    "IS": "ISK",
    "TR": "TRY",
    "UA": "UAH",
    "RS": "RSD",
    "BA": "BAM",
    "MK": "MKD",
    "AL": "ALL",
    "GE": "GEL",
    "IL": "ILS",
    "AE": "AED",
    "SA": "SAR",
    "BR": "BRL",
}


# The codes a "$" may stand for: their dates follow the page's language, as a bare "$" page's do
DOLLAR_SIGN_CODES = frozenset({*DOLLAR_PREFIX_CODES.values(), *(code for code, _ in DOLLAR_COUNTRY_CUES)})
