"""Invoice and receipt fields from a document's text lines and tables, and their verification.

Vendors word, place and format things their own way, so nothing here keys on one template: a field
is found by any of its usual labels in English, German, French, Dutch or Spanish, and the commonest
Norwegian, Danish, Swedish, Polish and Italian ones (`LABELS`, most specific first; a label read
whole: "Total TTC", not "Total"; also after another "Label: value" pair on its line), its value is
the nearest value of the right type to the right of the label on the same row, else on the line
below or in the label's column; an amount on a row of several is the one the label's rate makes of
another, else the last (net, tax, gross read left to right). Dates are read in the common formats
(ISO, day-month-year with dots, slashes or month names in those five languages, US month/day/year
where the day cannot be the month, and only on an English invoice in dollars); amounts with either
decimal comma or point (a space after the thousands mark allowed), identifiers (VAT numbers, account
numbers) left out. Where no label names them: the issue date on the title line or alone at the top
right of a letter, the due date in the payment terms or a direct debit's date, the vendor on the
sender line over the address, in the issuer's legal mention (share capital, register) or as the bank
details' payee, else the first name at the top, one the document's own web or mail domain names
first, never one in the customer's block. A label that names a number ("USt-IdNr") lends no amount.
Where the labelled subtotal does not add up with the tax to the total, another subtotal label's
figure, or the figure just above the tax row, that does is taken (so a wrong printed total, which
nothing makes add up, stays a conflict).
Line items come from the table whose header names a description and an amount column, and its
continuation on later pages under the same header.

Verification (to the cent): quantity x unit price = amount on each line; the line amounts sum
to the subtotal; subtotal + tax = total; the dates parse and the due date is not before the issue
date. A sum holds as printed or with the summary's charges (shipping, packing, insurance) added
and its discounts taken off, except that a charge or discount printed between the subtotal (or,
with no subtotal and no tax, the last line item) and the total must be in the total (a total that
leaves out the shipping row under the subtotal is wrong), unless the document says the charge is
included. Each failed rule names the boxes of the numbers that disagree.
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
# "Faktura": Norwegian, Danish, Swedish, Polish, Czech; "fattura", "fatura": Italian, Portuguese
# "Facturation" (French: billing, the caption of the billing address) is no "factura": a quote ("Devis")
# prints it too
INVOICE_WORDS = re.compile(
    r"[il1|]nvoice|billto|billedto|rechnung|factu(re|ur|ra)(?!tion)|faktura|fatt?ura|amountdue|balancedue|gutschrift"
)
EXEMPT_LABEL = re.compile(r"\s*(exent[oa]s?|exempt(ed)?|exon[ée]r[ée]e?s?|steuerfrei|esente)(?![^\W\d_])\s*:?\s*", re.I)
# Summary rows named by a reference letter that a sum on the page adds up ("C TVA (21% sur A+B)", "Total
# (A+B+C)"): the letter stands before the row's label
OVERPRINT = re.compile(r"(.{3,}?)(?:\s*\1)+")  # a text and its copies, glued or spaced
ROW_LETTER = re.compile(r"[A-Z]\s+(?=[^\W\d_]{2})")
LETTER_SUM = re.compile(r"\(\s*[A-Z](\s*\+\s*[A-Z])+\s*\)")
# A Swiss QR-bill's payment part, whose title the standard fixes in four languages: a bill to pay, though its
# tear-off slip is titled "Receipt" ("Empfangsschein") and it says "Amount", not "Total"
QR_BILL_WORDS = re.compile(r"paymentpart|zahlteil|sectionpaiement|sezionepagamento")
# The QR-bill's amount box: "Currency Amount" over "CHF 1 337.42" (German, French, Italian alike)
QR_AMOUNT_HEADING = re.compile(r"\s*(currency|w[äa]hrung|monnaie|valuta)\s+(amount|betrag|montant|importo)\s*", re.I)
QR_AMOUNT = re.compile(r"\s*([A-Z]{3})\s+(\d[\d' ]*[.,]\d{2})\s*$")
# A document that names itself in another language than English writes its dates day first, even in
# dollars ("FACTURA" in $ dated "02-07-2022" is 2 July): US month-first dates are an English habit.
NOT_ENGLISH_TITLE = re.compile(r"rechnung|factu(re|ur|ra)|faktura|fatt?ura|gutschrift|quittung|recibo")
RECEIPT_WORDS = re.compile(r"receipt|cashier|changedue|thankyouforyour(purchase|shopping)|thankyouforshopping")
# A summary's amount named by what it is rather than "total": "Net amount", "Gross amount", "Final amount",
# "Amount payable"; "montant net/brut", "importe final", "importo", "Endbetrag" (matched with spaces removed)
AMOUNT_SUMMARY_WORDS = (
    r"(net|gross|final)amount|amountpayable|montant(net|brut|final)|importe(neto|bruto|final)|importo|"
    r"(netto|brutto|end)betrag|eindbedrag"
)
# A quote, an estimate or an offer is no invoice though it prints totals and a "Bill to" ("Devis", "Angebot",
# "Presupuesto", "Offerte", "Preventivo", "Orçamento"); told by its title, the first of these words or the
# invoice words on a line's start. A pro forma invoice ("Prefactura") is still an invoice.
QUOTE_TITLE = re.compile(
    r"\s*(quot(e|ation)|estimate|devis|angebot|kostenvoranschlag|presupuesto|cotizaci[oó]n|offerte|offerta|"
    r"preventivo|or[çc]amento)(?![^\W\d_])",
    re.I,
)
# "Brutto" closes a German summary; "å betale", "att betala", "do zapłaty", "k úhradě": the amount to pay;
# "celkem", "celková (cena)": Czech for the total; "Sum (gross)"
TOTAL_WORDS = re.compile(
    r"tota+l|amountdue|balancedue|summe|betrag|beitrag|brutto|montant|àpayer|bedrag|importe|betale|betala|zap[łl]aty|"
    r"celkem|celkov[áa]|k[úu]hrad[ěe]|sum\(gross\)|" + AMOUNT_SUMMARY_WORDS
)

# Field -> label patterns, most specific first (a "Total" line must not be taken for "Subtotal"),
# in English, German, French, Dutch and Spanish ("totaa?l": "Totaal" is Dutch for "Total").
# Spaces are optional everywhere: OCR engines drop them ("Paymentdue:").
LABELS: dict[str, list[str]] = {
    "invoice_number": [
        # "Rechnung-Nr", "Rechnung- Nr" (the text layer may set a space after the hyphen), "Fakturanummer"
        # "Faktura - daňový doklad číslo", "Faktura č.": a Czech (VAT) invoice's number
        r"(invoice|facture|rechnung|factuur|factura|faktura|fattura)[\s-]*(da[ňn]ov[ýy]\s*doklad\s*)?"
        r"(nummer|numer|number|n[uú]m[ée]ro|[čc][íi]slo|no\.?|nr\.?|#|num\.?|id|n[°º]|č\.)",  # longer words first
        r"(n[°º]|n[uú]m[ée]ro)\s*(de\s*(la\s*)?)?factu(re|ra)",
        # a credit or debit note's: "NOTA DE CRÉDITO Nº 000002", "Credit note no. 7", "Gutschrift Nr. 12"
        r"(nota\s*de\s*(cr[ée]dito|d[ée]bito)|(credit|debit)\s*note|note\s*de\s*(cr[ée]dit|d[ée]bit)|gutschrift)"
        r"[\s-]*(n[uú]m[ée]ro|number|no\.?|nr\.?|#|n[°º])",
        r"(rechnungs|beleg)[\s-]*(nr\.?|nummer|no\.?)",
        r"receipt\s*(no\.?|number|#)",
        r"bill\s*(no\.?|number|#)",
        r"(document|reference|ref\.?)\s*(no\.?|number|#)",
        r"inv\.?\s*#",
        r"(invoice|facture|rechnung)(?=\s*#?\s*[A-Z]{0,4}[-/]?\d)",  # "Invoice 2024-117", "Facture FA-2017-0010"
        r"transaction\s*(no\.?|number|#|id)",
        r"(comp(robante)?\.?\s*)?nro\.?(?![^\W\d_])",  # Spanish "Comp. Nro", a voucher's number
        r"(no|nr|n[°º])\.?(?![^\W\d_])",  # a bare "Nr." or "No." heading the document's number
    ],
    "due_date": [
        r"(payment\s*)?due\s*(date|on|by)?",
        r"(payment\s*)?deadline",
        # Norwegian, Danish, Swedish, Polish, Italian
        r"forfalls?dato|forfaldsdato|f[öo]rfallo(dag|datum)|termin\s*p[łl]atno[śs]ci|(data\s*(di\s*)?)?scadenza",
        r"pay\s*(by|before)",
        r"payable\s*by(?=\s*:?\s*\d)",  # with its date: alone, "Payable by" captions a QR-bill's debtor
        r"(date\s*d['’]\s*)?[ée]ch[ée]ance",
        r"date\s*limite\s*de\s*paiement(\s*le)?",
        r"(f[äa]llig(keits)?(datum|keit|tag)?|zahlungsziel|zahlbar\s*bis)(\s*(am|bis))?",
        r"verval(datum|dag)|uiterste\s*betaal(datum|dag)|te\s*betalen\s*v[oó][oó]r",
        r"(fecha\s*(de\s*)?)?vencimiento",
        r"fecha\s*(de\s*)?vto\.?(\s*para\s*el\s*pago)?",  # "Fecha de Vto. para el pago"
        r"d[áa]tum\s*splatnosti|splatnost",  # Czech, Slovak
    ],
    "invoice_date": [
        r"(invoice|issue|billing|receipt|transaction)\s*date",
        r"(rechnungs|beleg)[\s-]*datum",
        r"date\s*(de\s*(la\s*)?facture|d['’]\s*[ée]mission|de\s*facturation)",
        r"date\s*(of\s*)?(issue|invoice)",
        r"factuurdatum",
        r"faktura\s*dat(o|um)|data\s*(wystawienia|faktury|(della\s*)?fattura)",
        r"fecha\s*(de\s*(la\s*)?)?(factura|emisi[oó]n|expedici[oó]n)",
        r"d[áa]tum\s*vystaven[íi]a?",  # Czech, Slovak
        r"issued(\s*on)?",
        r"order\s*date",  # a shop's tax invoice dated by its order ("Order date: 28 Jan 15")
        r"date",
        r"datum",
        r"fecha",
    ],
    "subtotal": [
        r"sub[\s-]?totaa?l",
        r"sous[\s-]*total",
        r"net\s*(amount|total)",
        # "Total (excl. taxes)", "Total without VAT", "Totaal exclusief BTW"
        r"totaa?l\s*(bedrag\s*)?\(?\s*(before|excl\.?|excluding|exclusief|without|w/o|ohne|sin)\s*"
        r"(tax(es)?|vat|btw|gst|mwst\.?|ust\.?|iva|impuestos?)\s*\)?",
        r"total\s*parcial",
        r"base\s*imponible|importe\s*neto",
        r"b\.\s?i\.|bi(?=\s+([A-Z](?![^\W\d_])|\(?\d+([.,]\d+)?\s*%))",  # "BI G (16 %)", "B.I.": the tax base
        r"(total|montant|prix)\s*(eur\s*|€\s*)?(ht|htva|hors\s*(taxes?|tva))\b",
        # "Total hors remise", "Total before discount": the goods before the discount rows under them
        r"total\s*(hors|avant|before|vor|sin|excl\.?|excluding)\s*(remise|discount|rabatt|descuento)",
        r"(rechnungs|gesamt)?(summe|betrag)\s*netto",
        r"netto(betrag|summe|preis)|nettobetrag",
        r"sum\s*\(\s*net\s*\)",  # "Sum (net)"
        r"z[áa]klad(\s*dan[ěe])?",  # Czech: the tax base
        r"(mva|moms)[\s-]*grun[dn]lag|netto\s*bel[øo]pp?|razem\s*netto|imponibile",
    ],
    "tax": [
        # a tax total before any one rate's row
        r"totaa?l\s*(bedrag\s*)?(tva|taxes?|vat|mwst\.?|ust\.?|btw|iva|impuestos?)",
        r"(summe|gesamt(betrag)?)\s*(der\s*)?((mehrwert|umsatz)s?steuer|mwst\.?|ust\.?)",
        r"(sales\s*)?tax(es)?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"montant\s*(tva|taxes?)",
        r"vat(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"gst(?!in)",
        r"(tva|ust\.?|mwst\.?)([\s-]*betrag)?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"(mehrwert|umsatz|versicherung)s?steuer(betrag)?",
        # "in diesem Beitrag enthaltene Versicherungsteuer (35,13 €)": the tax inside a gross figure
        r"((darin|in\s*diese[mnrs]\s*[^\W\d_]+)\s*)?enthaltene?\s*((mehrwert|umsatz|versicherung)s?steuer|mwst\.?|ust\.?)",
        r"steuerbasisbetrag\s*(ust\.?|mwst\.?)(\s*\d+([.,]\d+)?\s*%)?",  # basis and tax on one row
        r"(btw|iva)([\s-]*(bedrag|importe))?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"(importe|cuota)\s*(del\s*)?iva|impuestos?",
        r"(mva|moms)(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"dph(\s*\(?\d+([.,]\d+)?\s*%\)?)?",  # Czech, Slovak
    ],
    "total": [
        # the amount left after every row of the summary: after a discount under the gross amount
        r"final\s*(amount|total)|montant\s*final|importe\s*final",
        r"totaa?l\s*(bedrag\s*)?(incl\.?|inclusief)\s*(btw|vat|tax|iva)",
        r"(grand\s*)?totaa?l\s*(due|amount|payable|\(?incl\.?[^:]*\)?)?",
        r"(invoice|order|rechnungs)\s*total",  # "Invoice Total: $101.00"
        r"total\s*paid(\s*(with|incl\.?|including)\s*(vat|tax(es)?|gst))?",  # "Total paid with VAT"
        r"amount\s*(due|payable)",
        r"balance\s*due",
        r"(total|montant)\s*(eur\s*|€\s*)?ttc",
        r"(rechnungs|gesamt)?(summe|betrag)\s*brutto",
        r"(gesamt|end|rechnungs|brutto)(betrag|summe)",
        r"(net|somme|montant|reste)\s*[àa]\s*payer",
        r"total\s*(facture|g[ée]n[ée]ral)",
        r"zu\s*zahlen(der\s*betrag)?",
        r"(rechnungs|zahl)(beitrag|betrag)",  # an insurer's invoiced premium, the amount to pay
        r"te\s*betalen|importe\s*total|total\s*(a\s*pagar|factura)|saldo\s*(adeudado|a\s*pagar|pendiente)",
        r"(sum\s*)?((å|at)\s*betale|att\s*betala)|do\s*zap[łl]aty|totale(\s*fattura)?",  # Nordic, Polish, Italian
        r"sum\s*\(\s*gross\s*\)",  # "Sum (gross)"
        r"celkov[áa]\s*(cena|[čc][áa]stka)|celkem(\s*k\s*[úu]hrad[ěe])?|k\s*[úu]hrad[ěe]",  # Czech
        r"totaa?l",
        r"brutto",  # a German summary's closing row ("Netto ... MwSt ... Brutto")
        r"gross\s*amount|montant\s*brut",  # net amount + taxes = gross amount
    ],
    # followed by no letter: "Lieferant" is a label, "Lieferantenstraße 20" an address
    "vendor": [
        r"(bill(ed)?\s*from|from|vendor|seller|supplier|sold\s*by|issued\s*by|(service\s*)?provider)(?![^\W\d_])",
        # alone or before a colon: "Lieferant GmbH" is a name
        r"(rechnungs(aus)?steller|lieferant|verk[äa]ufer|fournisseur|vendeur|[ée]metteur|prestataire|leverancier|"
        r"proveedor|vendedor|emisor|dodavatel)(?=\s*(:|$))",
        # a QR-bill's creditor: "Account / Payable to", "Konto / Zahlbar an", "Compte / Payable à"
        r"(account|konto|compte|conto)\s*/\s*(payable\s*to|zahlbar\s*an|payable\s*[àa]|pagabile\s*a)",
    ],
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
CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
# "$" is the sign of dollars and pesos in many countries (Argentina's "$ 10.000,00", Canada, Australia): it names
# US dollars only where the document shows the United States, by name, a state and ZIP code ("WA 98109"), a
# city and its state ("Scranton, PA"), "US dollars" in words or a US written date ("Jan 1, 2022", month before day)
UNITED_STATES = re.compile(
    r"\bUSA\b|\bU\.S\.|United\s+States|\bUS\s*(?i:dollars?)|\b[A-Z]{2}\s+\d{5}(-\d{4})?\b|[a-z],\s*[A-Z]{2}\b(?![^\W\d_])|"
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
AMOUNT = re.compile(
    # "1 245.00", and "$1, 034.00" (a text layer's space after the thousands comma)
    r"[-(]?\s*(?:[$€£¥₹]\s*)?\d{1,3}(?:[,.'’]\s?\d{3}|\s\d{3})*(?:[.,]\d{1,2})?(?!\d)"
    r"|[-(]?\s*[$€£¥₹]?\s*\d+(?:[.,]\d{1,2})?(?!\d)"
)
IDENTIFIER = re.compile(r"\s*[:#.]?\s*[A-Z]{2}\s?\d{4,}")  # a VAT or company number after its label
# a tax label that names a number or a rate, not an amount: "USt-IdNr", "VAT Reg. No", "VAT Rate"
NAMES_AN_ID = re.compile(
    r"[\s.:-]*(id|ident|identifier|nr|no|number|num[ée]ro|n[°º]|reg|registration|intra|code|rate|satz|taux|tasa)"
    r"(?![^\W\d_])",
    re.I,
)
INCLUDED = re.compile(r"enthalten|included|inclus", re.I)  # a tax printed inside a gross figure
RATE = re.compile(r"\(?\d+(?:[.,]\d+)?\s*%\)?")
LEGAL_FORMS = (
    r"\b(gmbh|ag|kg|e\.\s?k\.|a\.\s?g\.|e\.\s?v\.|sarl|sas|sa|société\s*anonyme|ltd\.?|limited|inc\.?|llc|plc|co\.?|corp\.?|"
    r"pvt\.?|private|bv|nv|s\.?r\.?l\.?|s\.?p\.?a\.?)(?![^\W\d_])"
)
# A legal mention that only the issuer prints: share capital, managing directors, register court.
LEGAL_MENTION = re.compile(
    r"au\s*capital|capital\s*social|gesch[äa]ftsf[üu]hr|vorstand|amtsgericht|handelsregister|registergericht|"
    r"\bHRB\b|\bR\.?C\.?S\.?\b|registered\s*(office|in)|company\s*(no|number|registration)",
    re.I,
)
SEPARATORS = re.compile(r"\s+[-–−·|•]\s+|\s*,\s+")
DUE_TERMS = re.compile(
    r"(zahlbar|payable|payment\s*due|due|à\s*régler|à\s*payer|fällig)[^.;]*?\b(bis|by|before|on|avant\s*le|le|am)\b"
    r"|\bzu\s*der\s*f[äa]lligkeit\b",  # "... abbuchen: zu der Fälligkeit 21.05.2014"
    re.I,
)
# The payee named by the bank details is the issuer: "Titulaire du compte : NETPRESSE".
ACCOUNT_HOLDER = re.compile(
    r"(titulaire\s*du\s*compte|kontoinhaber(in)?|account\s*(holder|name)|beneficiary|beg[üu]nstigter|"
    r"rekeninghouder|ten\s*name\s*van|titular\s*de\s*la\s*cuenta)\s*:?\s*",
    re.I,
)
# The customer's block: its caption, and a person addressed by civility ("M DE LATTRE ALEXIS")
CUSTOMER_LABEL = re.compile(
    r"\s*(bill(ed)?\s*to|ship(ped)?\s*to|sold\s*to|invoice\s*to|customer|client|buyer|recipient|"
    r"rechnungs(empf[äa]nger|adresse)|kunde|k[äa]ufer|lieferadresse|factur[ée]\s*[àa]|destinataire|acheteur|"
    r"klant|afnemer|cliente|facturar\s*a)(?![^\W\d_])",
    re.I,
)
CIVILITY = re.compile(r"\s*(m|mme|mlle|mr|mrs|ms|herr|frau|monsieur|madame|sr|sra|dhr|mevr)\.?\s+[A-Z]", re.I)
# A web or mail domain ("www.azure-interior.com", "@exact.be"): its name, letters only.
DOMAIN = re.compile(r"(?:www\.|@|https?://)([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.[a-z]{2,}", re.I)
DEBIT_WORDS = re.compile(r"eingezogen|abgebucht|lastschrift|direct\s*debit|debited|pr[ée]lev", re.I)
FIGURE = re.compile(r"-?\d{1,3}(?:[.,'’]?\d{3})*(?:[.,]\d{1,4})?")  # one cell of a row of figures
LONGER_LABEL = re.compile(r"[^\W\d_]{3,}\s*:")  # a label's next word, then its colon
# A title's last word names the document's kind ("FA FACTURA", "Tax Invoice", "RECHNUNG")
TITLE_END = re.compile(r"(invoice|facture|factura|rechnung|factuur|receipt|quittung|recibo)\s*:?\s*$", re.I)
# A payment-terms heading alone on its line, over the schedule of dates and amounts
TERMS_HEADING = re.compile(
    r"\s*(payment\s*terms?|zahlungs(bedingungen|plan)|conditions\s*de\s*(paiement|r[èe]glement)|"
    r"[ée]ch[ée]ancier|t[ée]rminos\s*de\s*pago|betalingsvoorwaarden)\s*:?\s*",
    re.I,
)
# A street, not a name: a house number before or after its words ("14 Clerkenwell Green", "Nyhavn 17")
STREET = re.compile(r"^\d+[a-z]?\s+[^\W\d_]|[^\W\d_]\s+\d+\s*[a-z]?$", re.I)
# What a summary adds to the goods or takes off them besides the tax: the total is subtotal + tax + charges
# - discounts ("Shipping cost $40.00", "Descuento G 300,00$"); no word after it ("Delivery address: 14 Main
# St" is no charge), a tax class's letter allowed
CHARGE_WORDS = (
    r"shipping|freight|delivery|packing|packaging|handling|insurance|postage|carriage|versand(kosten)?|porto|"
    r"fracht(kosten)?|verpackung|frais\s*de\s*(port|livraison|transport)|emballage|env[ií]o|flete|seguro|embalaje|"
    r"verzend(kosten|ing)"
)
CHARGE_LABEL = re.compile(
    rf"\s*({CHARGE_WORDS})(?![^\W\d_])(\s*(costs?|charges?|fees?|kosten))?\s*:?(?!\s*[^\W\d_]{{2}})\s*", re.I
)
CHARGE_WORD = re.compile(rf"(?<![^\W\d_])({CHARGE_WORDS})(?![^\W\d_])", re.I)
# The document says a charge is inside its prices or total already ("Shipping included", "inkl. Versand",
# "frais de port inclus", "envío incluido"): then the total need not add it
CHARGE_INCLUDED = re.compile(
    r"(?<![^\W\d_])(incl\.|included|including|inclusive|inclus|inkl\.|inklusive|enthalten|incluid[oa]s?|inbegrepen)"
    r"(?![^\W\d_])",
    re.I,
)
# up to two qualifying words before it ("my special discount", "Early payment discount"); "Without taxes and
# discount" (an item's description) has three
DISCOUNT_LABEL = re.compile(
    r"\s*([^\W\d_]+\s+){0,2}(discount|rabatt|nachlass|remise|r[ée]duction|descuento|korting|sconto)\s*:?(?!\s*[^\W\d_]{2})\s*",
    re.I,
)
# A summary row of one tax class, named by a letter after its label ("IVA G", "Subtotal R", "MwSt A")
CLASS_LETTER = re.compile(r"([A-Z])(?![^\W\d_])")
# A section's caption at the top of a page ("Resumen del servicio", "Zusammenfassung"): no vendor's name
SECTION_CAPTION = re.compile(
    r"\s*(summary|zusammenfassung|[üu]bersicht|resumen|r[ée]sum[ée]|r[ée]capitulatif|samenvatting|overview)"
    r"(?![^\W\d_])",
    re.I,
)
MAX_NAME_CHARS = 60  # a vendor's name; a longer line is a sentence ("Email or talk to us about ...")
# What a vendor label's caption may go on with: "SELLER TRADE NAME" heads the name, it is not one
CAPTION_WORDS = re.compile(
    r"\s*((trade|company|legal|business)\s*)?(name|details|address|information|info)\s*:?\s*$", re.I
)
# Matched on the heading with its spaces removed too ("CAN TID AD" is "CANTIDAD"), in the five languages
COLUMN_HEADINGS = {
    "description": r"desc|item|product|service|article|particulars|details|beschreibung|bezeichnung|"
    r"d[ée]signation|libell[ée]|omschrijving|concepto|art[ií]culo",
    "quantity": r"qty|quantity|units?\b|hours|hrs|pcs|count|cantidad|menge|anzahl|quantit[ée]|qt[ée]|aantal",
    "unit_price": r"unit|price|rate|each|cost|precio|preis|prix|prijs",
    "amount": r"amount|total|line\s*total|sum|ext|value|importe|betrag|montant|bedrag|gesamt",
    "discount": r"disc|rabatt|remise|r[ée]duction",  # a percentage or an amount off the line
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
    text = re.sub(r"\s+de\s+", " ", text.strip().lower().replace(",", " "))  # "5 de julio de 2024"
    text = re.sub(r"\b(\d{1,2})\.\s+(\d{1,2})\.\s+(\d{4})\b", r"\1.\2.\3", text)  # "01. 01. 2021"
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
    found = re.search(r"\b([^\W\d_]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*(\d{4})\b", text)
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


def _is_date(token: str) -> bool:
    """A token that is a date and nothing else: "INV/2023/03/0008" holds one but is a number."""
    return bool(re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\.?", token)) or token.lower().strip(".") in MONTHS


def looks_like_date(text: str) -> bool:
    return bool(re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(" + "|".join(MONTHS) + r")\b", text, re.I))


def currency_of(text: str) -> str | None:
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            return code
    if "$" in text and UNITED_STATES.search(text) and not re.search(r"\b(?!US)[A-Z]{2}\$", text):
        return "USD"  # not "CA$", "AU$", "NZ$": those name their own dollars
    found = re.search(r"(?<![A-Za-z])(" + "|".join(CURRENCY_CODES) + r")(?![A-Za-z])", text)
    if found:
        return found.group(1)
    beside = CODE_BY_AMOUNT.search(text)
    if beside:
        return beside.group(1) or beside.group(2)
    if RUPEES.search(text):
        return "INR"
    if KORUNA.search(text):
        return "CZK"
    if KRONER.search(text):
        return next((code for code, words in KRONER_BY_LANGUAGE if words.search(text)), None)
    return None


# ---------------------------------------------------------------------------------------------
# Finding labelled values
# ---------------------------------------------------------------------------------------------


def document_type(text: str) -> str | None:
    """'invoice', 'receipt' or None: the words a document uses, and a total somewhere."""
    squeezed = re.sub(r"\s+", "", text).lower()
    if QR_BILL_WORDS.search(squeezed):
        return "invoice"
    if not TOTAL_WORDS.search(squeezed) or _titled_a_quote(text):
        return None
    invoice, receipt = INVOICE_WORDS.search(squeezed), RECEIPT_WORDS.search(squeezed)
    if receipt and (not invoice or receipt.start() < invoice.start()):
        return "receipt"  # the title comes first: a receipt may say "ask for an invoice" further down
    return "invoice" if invoice else None


def _titled_a_quote(text: str) -> bool:
    """Whether a line starts with a quote's word ("Devis n° 1", "QUOTE") before any line names an invoice
    or receipt: "Quote" further down ("please quote the invoice number") is no title."""
    for line in text.splitlines():
        if QUOTE_TITLE.match(line):
            return True
        squeezed = re.sub(r"\s+", "", line).lower()
        if INVOICE_WORDS.search(squeezed) or RECEIPT_WORDS.search(squeezed):
            return False
    return False


def _label_match(field: str, text: str) -> re.Match | None:
    found = _ranked_label(field, text)
    return found[1] if found else None


def _ranked_label(field: str, text: str) -> tuple[int, re.Match] | None:
    """The first of a field's label patterns that starts the text, and its rank (most specific 0)."""
    for rank, pattern in enumerate(LABELS[field]):
        found = re.match(_label_regex(field, pattern), text, re.I)
        if found:
            return rank, found
    return None


# A tax row may name its rate before its label ("+7% VAT 7.00 €", "19 % MwSt"): the rate, not the label, starts it
# or a plus sign alone ("+ Taxes 4276.23": the tax added to the net amount above it)
RATE_FIRST = r"(?:\+\s*)?(?:\d{1,2}(?:[.,]\d+)?\s*%\s*)?"


def _label_regex(field: str, pattern: str) -> str:
    return r"\s*" + (RATE_FIRST if field == "tax" else "") + r"(" + pattern + r")\s*[:#.]?\s*"


def _whole_label(field: str, text: str) -> tuple[int, re.Match] | None:
    """The field's label on a line: the first pattern, unless it stops short of a longer label
    that a later pattern reads whole ("Total" of "Total TTC :" goes on into "TTC :", which the
    rank of "Total TTC" covers): the most specific reading wins."""
    first = _ranked_label(field, text)
    if first is None or not LONGER_LABEL.match(text[first[1].end() :]):
        return first
    for rank in range(first[0] + 1, len(LABELS[field])):
        found = re.match(_label_regex(field, LABELS[field][rank]), text, re.I)
        if found and found.end() > first[1].end() and not LONGER_LABEL.match(text[found.end() :]):
            return rank, found
    return first


def _value_of(kind: str, text: str, day_first: bool) -> Any:
    text = text.strip(" :#")
    if not text:
        return None
    if kind == "amount":
        amounts = amounts_in(text)
        return amounts[0] if amounts else None
    if kind == "date":
        return parse_date(text, day_first)
    if kind == "code":
        token = text.split()[0] if text.split() else ""
        return token if re.search(r"\d", token) and not _is_date(token) else None
    if text.startswith(("(", "*", "†")) or len(text) > MAX_NAME_CHARS:  # a remark, a footnote, a sentence
        return None
    if CAPTION_WORDS.match(text):  # "TRADE NAME" after "SELLER": the rest of a caption
        return None
    if re.search(r"\d{4,}", text):  # "GLN 4333741000005": an identifier, not a name
        return None
    text = text.rstrip(" ,;")
    return text if re.search(r"[A-Za-z]", text) else None


def amounts_in(text: str) -> list[Decimal]:
    """The amounts a text prints, left to right: not a tax rate, not a date's figures, not an
    identifier ("FR11999999998", a 14-digit account number: digits glued to letters, or seven or
    more without a decimal mark)."""
    text = RATE.sub(" ", text)  # a tax rate is not the tax
    if looks_like_date(text) or not re.search(r"\d", text):
        return []
    amounts = []
    for found in AMOUNT.finditer(text):
        figure = found.group(0).strip()
        start = found.start() + found.group(0).index(figure[0])
        end = start + len(figure)
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


def _glued(side: str, before: bool) -> bool:
    """Whether a figure touches a word that is not a currency ("FR1199...", "4778C"; OCR's
    "758,62EUR" and "Rs1939" are amounts)."""
    word = re.search(r"[^\W_]+$", side) if before else re.match(r"[^\W_]+", side)
    return word is not None and word.group(0).upper() not in (*CURRENCY_CODES, "RS")


def _row_amount(label_text: str, amounts: list[Decimal]) -> Decimal:
    """The label's amount among several on its row: with a rate in the label ("USt. 19%") the
    one that is the rate of another (the tax beside its basis); else the last, as a summary row
    reads net, tax, gross from left to right and the labelled figure closes it."""
    rate = RATE.search(label_text)
    if rate is not None and len(amounts) > 1:
        share = Decimal(re.sub(r"[^\d.,]", "", rate.group(0)).replace(",", ".")) / 100
        for basis in amounts:
            for candidate in amounts:
                if candidate is not basis and (basis * share).quantize(CENT) == candidate.quantize(CENT):
                    return candidate
    return amounts[-1]


def _same_row(a: list[float], b: list[float]) -> bool:
    middle = (b[1] + b[3]) / 2
    return a[1] - 2 <= middle <= a[3] + 2


def find_field(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """The value of the field's most specific label found ("TOTAL TVA" before a rate's "TVA 20%"),
    labels of one rank in reading order: after the label on its line or on a line to its right on
    the same row; failing that for every label of the rank, on a line just below a label, then in
    the label's column (a value under its heading). A column heading ("Total" over the amounts)
    has its value below only, so a label with a value beside it wins within its rank. A label
    that goes on into a longer one ("DATE DE FACTURE ASSOCIÉE :") is another field's."""
    ranks: dict[int, list[tuple[int, Line, re.Match]]] = {}
    for index, line in _lines_and_inner_labels(lines):
        found = _whole_label(field, line.text)
        if found is None or _claimed_by_other(field, line.text) or LONGER_LABEL.match(line.text[found[1].end() :]):
            continue
        if TYPES[field] == "amount" and NAMES_AN_ID.match(line.text[found[1].end() :]):
            continue  # "USt-IdNr :" with its number on the line below
        ranks.setdefault(found[0], []).append((index, line, found[1]))
    for rank in sorted(ranks):
        found = _value_of_labels(TYPES[field], ranks[rank], lines, day_first)
        if found is not None:
            return found
    if TYPES[field] == "date":
        return _date_in_heading_row(field, lines, day_first)
    return _in_heading_row(field, lines) if TYPES[field] == "amount" else None


def _date_in_heading_row(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """A date under its heading in a row of "Label:" headings whose next row holds as many dates
    ("Período Facturado Desde: Hasta: Fecha de Vto. para el pago:" over "01/05/2026 31/05/2026
    07/06/2026"): the heading's place among the headings is its date's among the dates."""
    for index, line in enumerate(lines):
        if re.search(r"\d", line.text):
            continue  # a heading row holds words, not figures
        headings = [part.strip() for part in line.text.split(":")[:-1]]
        if len(headings) < 2:
            continue
        places = [place for place, heading in enumerate(headings) if _ends_with_label(field, heading)]
        below = next((o for o in lines[index + 1 : index + 2] if o.page == line.page), None)
        if not places or below is None:
            continue
        cells = below.text.split()
        if len(cells) != len(headings) or not all(_is_date(cell) for cell in cells):
            continue
        value = parse_date(cells[places[0]], day_first)
        if value is not None:
            return Found(value, below.page, list(below.bbox), 0.6)
    return None


def _ends_with_label(field: str, heading: str) -> bool:
    """The heading is, from one of its words on, the field's label and nothing more."""
    for word in re.finditer(r"(?<!\S)[^\W\d_]", heading):
        found = _ranked_label(field, heading[word.start() :])
        if (
            found is not None
            and found[1].end() >= len(heading.rstrip(" ."))
            and not _claimed_by_other(field, heading[word.start() :])
        ):
            return True
    return False


# A second "Label: value" pair on a line that starts with another ("Exento: Bs.0 TOTAL: Bs.2.470,00"):
# after a colon and a value holding a figure, a word (or two) and its colon
INNER_LABEL = re.compile(r"(?<=\d)\s+(?=[^\W\d_][^\W\d_.]*\.?(\s[^\W\d_]+\.?)?\s*:)")  # "Comp. Nro:" too


def _lines_and_inner_labels(lines: list[Line]) -> list[tuple[int, Line]]:
    """Each line with its index, then the part of it from each inner "Label:" on, as a line of
    its own (its box the tail of the line's), so a label need not start a printed line."""
    found: list[tuple[int, Line]] = []
    for index, line in enumerate(lines):
        found.append((index, line))
        for inner in INNER_LABEL.finditer(line.text):
            if re.search(r":[^:]*\d", line.text[: inner.start()]):
                tail = line.text[inner.end() :]
                found.append((index, Line(line.page, _tail_box(line, inner.end()), tail)))
    return found


def _in_heading_row(field: str, lines: list[Line]) -> Found | None:
    """An amount under its heading in a summary row read as one line each ("Warenwert ...
    Nettobetrag MwSt-Betrag MwSt-% Endbetrag" over "1062,60 15,00 -21,55 1056,05 200,65 19,0
    1256,70"): the rows below hold figures only, and they stand under the last headings, one
    each, so the heading's place counted from the right is its figure's (a heading of two words
    further left does not shift them). With one row per tax rate and a closing row that sums
    them ("-7,90 0,23 -7,67 -1,12 EUR -8,79", the currency where the rate stood), the closing
    row's figure."""
    for line in lines:
        if re.search(r"\d{2}", line.text):
            continue  # a heading row holds words, not figures
        heading = _heading_in_row(field, line.text)
        if heading is None:
            continue
        from_right = len(line.text[heading.start() :].split()) - 1
        rows = [
            (value, row)
            for row in _figure_rows_under(line, lines)
            if (value := _figure_from_right(row.text, from_right)) is not None
        ]
        if not rows:
            continue
        value, row = rows[0]
        if len(rows) > 1 and _cents(rows[-1][0]) == _cents(sum(v for v, _ in rows[:-1])):
            value, row = rows[-1]
        return Found(value, row.page, list(row.bbox), 0.6)
    return None


def _figure_rows_under(heading: Line, lines: list[Line]) -> list[Line]:
    """The rows of figures under a heading row, top down, while each is near the one above it."""
    height = heading.bbox[3] - heading.bbox[1]
    candidates = sorted(
        (
            o
            for o in lines
            if o.page == heading.page
            and o.bbox[1] >= heading.bbox[3] - 2
            and min(o.bbox[2], heading.bbox[2]) > max(o.bbox[0], heading.bbox[0])
        ),
        key=lambda o: o.bbox[1],
    )
    rows: list[Line] = []
    bottom = heading.bbox[3]
    for other in candidates:
        if other.bbox[1] - bottom > 3 * height or not _figures_only(other.text):
            break
        rows.append(other)
        bottom = other.bbox[3]
    return rows


def _figures_only(text: str) -> bool:
    cells = text.split()
    return len(cells) >= 3 and all(FIGURE.fullmatch(c) or c.upper() in CURRENCY_CODES for c in cells)


def _figure_from_right(text: str, from_right: int) -> Decimal | None:
    cells = text.split()
    if from_right >= len(cells) or not FIGURE.fullmatch(cells[len(cells) - 1 - from_right]):
        return None
    return parse_amount(cells[len(cells) - 1 - from_right])


def _heading_in_row(field: str, text: str) -> re.Match | None:
    """The field's label at a word start inside a row of headings, not one a rival field claims."""
    best: tuple[int, re.Match] | None = None
    for word in re.finditer(r"(?<!\S)[^\W\d_]", text):
        found = _ranked_label(field, text[word.start() :])
        if found is None or _claimed_by_other(field, text[word.start() :]):
            continue
        if best is None or found[0] < best[0]:
            best = (found[0], re.compile(re.escape(found[1].group(1))).search(text, word.start()))
    return best[1] if best else None


# A cell that says "nothing here": a dash (or two), with its currency sign or not ("TVA (0%) -", "Remise –")
NO_VALUE = re.compile(r"\s*[-–—−]{1,2}\s*([€$£]|[A-Z]{3})?\s*")


def _row_prints_no_value(line: Line, label: re.Match, lines: list[Line]) -> bool:
    """Whether an amount label's row prints a dash for its figure: the row has no value, and the figure
    on the line below or in the column is another row's (a 0% VAT row over the total)."""
    rest = line.text[label.end() :]
    if rest.strip():
        return bool(NO_VALUE.fullmatch(rest))
    beside = sorted(
        (
            o
            for o in lines
            if o.page == line.page and o is not line and o.bbox[0] >= line.bbox[2] - 2 and _same_row(line.bbox, o.bbox)
        ),
        key=lambda o: o.bbox[0],
    )
    return bool(beside) and NO_VALUE.fullmatch(beside[0].text) is not None


def _value_of_labels(
    kind: str, labelled: list[tuple[int, Line, re.Match]], lines: list[Line], day_first: bool
) -> Found | None:
    if kind == "amount":
        labelled = [entry for entry in labelled if not _row_prints_no_value(entry[1], entry[2], lines)]
    for _index, line, label in labelled:
        if kind == "amount":
            found = _labelled_amount(line, label, lines)
            if found is not None:
                return found
            continue
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
            if other.page == line.page
            and other.bbox[1] >= line.bbox[3] - 2
            and other.bbox[0] < line.bbox[2]
            and other.bbox[2] > line.bbox[0]  # under the label, not a line starting in another column
        ]
        found = _first_value(kind, below, day_first, confidence=0.75, heading=line)
        if found is not None:
            return found
    for _index, line, _label in labelled:
        found = _first_value(kind, _under_heading(line, lines), day_first, confidence=0.7, heading=line)
        if found is not None:
            return found
    return None


def _under_heading(heading: Line, lines: list[Line]) -> list[Line]:
    """Lines in a column heading's column, nearest first: a summary table prints "TOTAL TVA" over
    its figure, with other columns' lines between them in reading order."""
    height = heading.bbox[3] - heading.bbox[1]
    return sorted(
        (
            other
            for other in lines
            if other.page == heading.page
            and 0 <= other.bbox[1] - heading.bbox[3] + 2 <= 3 * height
            and min(other.bbox[2], heading.bbox[2]) > max(other.bbox[0], heading.bbox[0])
        ),
        key=lambda other: other.bbox[1],
    )


def _labelled_amount(line: Line, label: re.Match, lines: list[Line]) -> Found | None:
    """The amount of a label's row: its line's rest and the lines beside it on the same row, up to
    the next label (a row may hold several labelled figures)."""
    rest = _up_to_next_label(line.text[label.end() :])
    if IDENTIFIER.match(rest):
        return None  # "TVA : FR11999999998": the label names a VAT number, not an amount
    parts: list[tuple[str, Found]] = [(rest, Found(None, line.page, _tail_box(line, label.end()), 0.9))]
    if len(rest) == len(line.text[label.end() :]):
        beside = sorted(
            (
                o
                for o in lines
                if o.page == line.page
                and o is not line
                and o.bbox[0] >= line.bbox[2] - 2
                and _same_row(line.bbox, o.bbox)
                # not a character of text set sideways in the margin
                and o.bbox[3] - o.bbox[1] >= 0.6 * (line.bbox[3] - line.bbox[1])
            ),
            key=lambda o: o.bbox[0],
        )
        for other in beside:
            if _label_match_any(other.text):
                break
            parts.append((other.text, Found(None, other.page, list(other.bbox), 0.85)))
    found = [(amount, where) for text, where in parts for amount in amounts_in(text)]
    if not found:
        return None
    chosen = _row_amount(line.text[: label.end()], [amount for amount, _ in found])
    where = next(where for amount, where in found if amount is chosen)
    if INCLUDED.search(line.text[: label.end()]):
        chosen = abs(chosen)  # "(35,13 €)": brackets set the included tax apart, not a credit
    return Found(chosen, where.page, where.bbox, where.confidence)


def _up_to_next_label(text: str) -> str:
    """A line's text up to the next word that starts a label ("100.00 Tax 8.00": "100.00 ")."""
    for word in re.finditer(r"(?<!\S)[^\W\d_]", text):
        if _label_match_any(text[word.start() :]) and amounts_in(text[: word.start()]):
            return text[: word.start()]
    return text


def _first_value(
    kind: str, candidates: list[Line], day_first: bool, confidence: float = 0.85, heading: Line | None = None
) -> Found | None:
    for other in candidates:
        if _label_match_any(other.text):
            continue
        if kind == "amount" and heading is not None and _row_wider_than(other, heading):
            found = _amount_under(heading, other)
            if found is not None:
                return found
            continue
        value = _value_of(kind, other.text, day_first)
        if value is not None:
            return Found(value, other.page, list(other.bbox), confidence)
    return None


def _row_wider_than(row: Line, heading: Line) -> bool:
    """A table row read as one line under a column heading: far wider, with several amounts."""
    return row.bbox[2] - row.bbox[0] > 2 * (heading.bbox[2] - heading.bbox[0]) and len(amounts_in(row.text)) >= 2


def _amount_under(heading: Line, row: Line) -> Found | None:
    """Of a row of figures read as one line ("21 % 1 500,00 Kč 30 000,00 Kč 6 300,00 Kč"), the amount
    with cents whose place stands under the column heading (characters taken as equally wide), not
    the row's first: that is another column's. None when no amount stands under it."""
    text = RATE.sub(lambda rate: " " * len(rate.group(0)), row.text)  # a rate is not an amount; keep places
    char = (row.bbox[2] - row.bbox[0]) / max(len(text), 1)
    centre, half = (heading.bbox[0] + heading.bbox[2]) / 2, (heading.bbox[2] - heading.bbox[0]) / 2
    best: tuple[float, Decimal] | None = None
    for found in AMOUNT.finditer(text):
        figure = found.group(0).strip()
        value = parse_amount(figure) if re.search(r"[.,]\d{2}$", figure) else None
        distance = abs(row.bbox[0] + char * (found.start() + found.end()) / 2 - centre)
        if value is not None and (best is None or distance < best[0]):
            best = (distance, value)
    if best is None or best[0] > half + 4 * char:
        return None
    return Found(best[1], row.page, list(row.bbox), 0.7)


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
        rest = line.text[label.end() :] if label else ""
        if label is None or (rest.strip() and not CAPTION_WORDS.match(rest)):
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


def _name_segment(text: str) -> str | None:
    """A company name: words beyond a bare legal form, no label, date, address or web detail."""
    text = text.strip(" ,;:-–−·|")
    words = re.sub(LEGAL_FORMS, " ", text, flags=re.I).split()
    if (
        not words
        or not re.search(r"[^\W\d_]{2}", " ".join(words))
        or len(text) > MAX_NAME_CHARS
        or re.search(r"@|www\.|https?:|\d{3}", text)
        or STREET.search(text)
        or _label_match_any(text)
        or _names_the_document(text)
        or looks_like_date(text)
    ):
        return None
    return text


def _sender_line(top_lines: list[Line]) -> Found | None:
    """The sender's line over a letter's address window, "QualityHosting AG - Uferweg 40-42 -
    D-63571 Gelnhausen": a name, then the address, between separators."""
    for line in top_lines:
        parts = SEPARATORS.split(line.text)
        if len(parts) >= 3 and re.search(r"\d", " ".join(parts[1:])):
            name = _name_segment(parts[0])
            if name is not None:
                return Found(name, line.page, _head_box(line, len(parts[0])), 0.65)
    return None


def _legal_mention(lines: list[Line]) -> Found | None:
    """The company named by a legal mention ("Free SAS au capital de ...", "BOUYGUES TELECOM -
    Société Anonyme au capital de ...", "MUSTERLIEFERANT GMBH Geschäftsführung: ..."): the text
    before the mention, its first segment. Only the issuer prints its own."""
    for line in lines:
        mention = LEGAL_MENTION.search(line.text)
        if mention is None:
            continue
        before = SEPARATORS.split(line.text[: mention.start()])
        name = _name_segment(before[0]) if before else None
        if name is not None:
            return Found(name, line.page, _head_box(line, len(before[0])), 0.6)
        if not line.text[: mention.start()].strip():  # "Registered Office: ..." under the name
            neighbour = _line_above_or_left(line, lines)
            name = _name_segment(SEPARATORS.split(neighbour.text)[0]) if neighbour else None
            if neighbour is not None and name is not None:
                return Found(name, neighbour.page, list(neighbour.bbox), 0.55)
    return None


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


def find_vendor(lines: list[Line]) -> Found | None:
    """A 'From:'-style label's value, else the first line of page 1 that is a name, not a label,
    number or the document's own title."""
    labelled = _name_under_label(lines) or find_field("vendor", lines, True)
    if labelled is not None:
        return labelled
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    found = _sender_line(first_page[:8]) or _legal_mention(lines) or _account_holder(lines)
    if found is not None:
        return found
    customer = _customer_block(first_page)
    candidates = [
        line
        for line in first_page[:8]
        if _could_be_a_name(line.text.strip())
        and not _labels_its_row(line, first_page)
        and not CIVILITY.match(line.text)
        and not _heads_a_column(line, first_page)
        and not any(line is other for other in customer)
    ]
    if not candidates:
        return None
    # the document's own web or mail domain names its issuer ("azure-interior.com"), not its customer
    line = next((c for c in candidates if _named_by_a_domain(c.text, lines)), candidates[0])
    return _with_wrapped_rest(line, first_page) or Found(line.text.strip(), line.page, list(line.bbox), 0.6)


def _could_be_a_name(text: str) -> bool:
    return bool(
        re.search(r"[A-Za-z]{2}", text)
        and not _names_the_document(text)
        and not _label_match_any(text)
        and not looks_like_date(text)
        and not re.search(r"@|www\.|\d{3}", text)
        and not re.match(r"[\w .’'-]{1,24}:", text)  # "Guest Name: Sanjay": a labelled value
        and len(text) <= MAX_NAME_CHARS
        and not text.startswith("(")
        and not SECTION_CAPTION.match(text)
        and not _column_headings(text)
    )


def _column_headings(text: str) -> bool:
    """A row of item-table headings ("Cantidad Descripción", "Qty Description Amount"): two or more
    words, each one a heading's."""
    words = text.split()
    return len(words) >= 2 and all(any(re.search(p, w, re.I) for p in COLUMN_HEADINGS.values()) for w in words)


def _heading_words(text: str) -> bool:
    """Whether a text is one to three item-table heading words ("Qty", "Pr ix" split by the text layer)."""
    words, squeezed = text.split(), re.sub(r"\s+", "", text)
    return 0 < len(words) <= 3 and any(
        re.fullmatch(rf"({p})[^\W\d_]*\.?", squeezed, re.I) for p in COLUMN_HEADINGS.values()
    )


def _heads_a_column(line: Line, lines: list[Line]) -> bool:
    """A column heading, never a vendor: heading words with another heading beside them on the row
    ("Description  Qty  Unit  Amount")."""
    if not _heading_words(line.text):
        return False
    return any(
        other is not line
        and other.page == line.page
        and min(other.bbox[3], line.bbox[3]) > max(other.bbox[1], line.bbox[1])  # they overlap in height
        and _heading_words(other.text)
        for other in lines
    )


def _customer_block(lines: list[Line]) -> list[Line]:
    """The lines a customer caption ("Bill To:", "Rechnungsempfänger", "Client :") heads, and the
    caption's own line: whoever is billed is not the vendor."""
    block: list[Line] = []
    for line in lines:
        if CUSTOMER_LABEL.match(line.text):
            block.append(line)
            block += _lines_below(line, lines, 5)
    return block


def _labels_its_row(line: Line, lines: list[Line]) -> bool:
    """A caption whose value stands beside it after a colon ("Remise à Zéro" | ": 01/12/2019")."""
    beside = [
        o for o in lines if o.page == line.page and o.bbox[0] >= line.bbox[2] - 2 and _same_row(line.bbox, o.bbox)
    ]
    return bool(beside) and min(beside, key=lambda o: o.bbox[0]).text.lstrip().startswith(":")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", re.sub(LEGAL_FORMS, " ", text.lower(), flags=re.I))


def _named_by_a_domain(text: str, lines: list[Line]) -> bool:
    """Whether a name and a domain the document prints are one ("Exact Belgium II" and exact.be,
    "Azure Interior" and azure-interior.com): one's letters start the other's, four or more."""
    name = _letters(text)
    for line in lines:
        for domain in DOMAIN.finditer(line.text):
            part = _letters(domain.group(1).split(".")[-1])
            if len(part) >= 4 and len(name) >= 4 and (name.startswith(part) or part.startswith(name)):
                return True
    return False


def _account_holder(lines: list[Line]) -> Found | None:
    """The payee of the bank details ("Titulaire du compte : NETPRESSE"): the issuer is paid."""
    for line in lines:
        holder = ACCOUNT_HOLDER.search(line.text)
        if holder is None:
            continue
        rest = line.text[holder.end() :]
        name = _name_segment(SEPARATORS.split(rest)[0]) if rest.strip() else None
        if name is not None:
            return Found(name, line.page, _tail_box(line, holder.end()), 0.55)
    return None


def _with_wrapped_rest(line: Line, lines: list[Line]) -> Found | None:
    """A name wrapped onto a second line ("MVM Musterhafter" over "Versicherungsverein Musterstadt
    a.G."): the line right under it, at the same left edge, that ends in the legal form the first
    line lacks."""
    height = line.bbox[3] - line.bbox[1]
    if re.search(LEGAL_FORMS, line.text, re.I):
        return None
    for other in lines:
        if (
            other.page == line.page
            and abs(other.bbox[0] - line.bbox[0]) <= 0.3 * height
            and 0 <= other.bbox[1] - line.bbox[3] <= 0.8 * height
            and re.search(LEGAL_FORMS + r"\W*$", other.text, re.I)
            and _name_segment(other.text) is not None
        ):
            joined = f"{line.text.strip()} {other.text.strip()}"
            if len(joined) <= MAX_NAME_CHARS:
                box = [min(line.bbox[0], other.bbox[0]), line.bbox[1], max(line.bbox[2], other.bbox[2]), other.bbox[3]]
                return Found(joined, line.page, box, 0.55)
    return None


# ---------------------------------------------------------------------------------------------
# Line items
# ---------------------------------------------------------------------------------------------


def heading_columns(header: list[str]) -> dict[str, int]:
    """Which column holds each line-item part, by its heading's words."""
    columns: dict[str, int] = {}
    for part in ("discount", "quantity", "unit_price", "amount", "description"):  # the distinctive ones first
        for index, heading in enumerate(header):
            squeezed = re.sub(r"\s+", "", heading)
            if index not in columns.values() and (
                re.search(COLUMN_HEADINGS[part], heading, re.I) or re.search(COLUMN_HEADINGS[part], squeezed, re.I)
            ):
                columns[part] = index
                break
    return columns


def line_items(tables: list[dict]) -> list[dict[str, Found]]:
    """Rows under the first header row that names a description and an amount (a table may begin with
    other rows: the layout model can join a shipment block over the items into one table), and under
    such a header in the tables of later pages (the items continued overleaf, under their repeated
    header, which a page may cut into other columns)."""
    items: list[dict[str, Found]] = []
    first_page: int | None = None
    for table in tables:
        if first_page is not None and table["page"] <= first_page:
            continue
        header = _item_header(table)
        if header is None:
            continue
        found = _table_items(table, header)
        if found:
            items += found
            first_page = table["page"] if first_page is None else first_page
    return items


def _first_amount(cell: str) -> Decimal | None:
    """A cell's first figure: the model may join two columns into one cell ("198,00 19" of amount and
    rate, "5 2.00" of quantity and unit price), whose figures read as one would be nonsense."""
    amounts = amounts_in(cell)
    return amounts[0] if amounts else None


def _item_header(table: dict) -> tuple[int, dict[str, int]] | None:
    """The index of a table's first row whose headings name a description and an amount, and its columns."""
    for index, row in enumerate(table["rows"]):
        columns = heading_columns(row)
        if "amount" in columns and "description" in columns:
            return index, columns
    return None


def _table_items(table: dict, header: tuple[int, dict[str, int]]) -> list[dict[str, Found]]:
    first, columns = header
    boxes = {(cell["row"], cell["col"]): cell["bbox"] for cell in table["cells"]}
    items = []
    for r, row in enumerate(table["rows"][first + 1 :], start=first + 1):
        description = row[columns["description"]].strip()
        if not description or _label_match_any(description):
            continue  # a subtotal/tax/total row inside the table is a field, not an item
        item: dict[str, Found] = {}
        for part, col in columns.items():
            text = row[col]
            if part == "description":
                value: Any = text.strip()
            else:  # a discount may be a percentage, which amounts_in leaves out as a rate
                value = parse_amount(text) if part == "discount" else _first_amount(text)
            if value not in (None, ""):
                item[part] = Found(value, table["page"], list(boxes.get((r, col), table["bbox"])), 0.9)
        if "amount" in item:
            items.append(item)
    return items


# ---------------------------------------------------------------------------------------------
# Extraction and verification
# ---------------------------------------------------------------------------------------------


def _sum_by_class(field: str, lines: list[Line]) -> Found | None:
    """The tax (or subtotal) of an invoice that prints one row per tax rate ("USt. 7%", "USt. 19%")
    or per tax class ("IVA R", "IVA G") and no total of them: the sum of the rows, so that
    subtotal + tax = total holds. None with fewer than two rates or classes."""
    by_rate: dict[str, Found] = {}
    for line in lines:
        label = _label_match(field, line.text)
        if label is None or _claimed_by_other(field, line.text):
            continue
        rate = RATE.search(line.text[: label.end()])
        letter = CLASS_LETTER.match(line.text[label.end() :])
        if rate is None and letter is None:
            continue
        found = _labelled_amount(line, label, lines)
        key = re.sub(r"[^\d.,]", "", rate.group(0)).replace(",", ".") if rate else letter.group(1)
        if found is not None and key not in by_rate:
            by_rate[key] = found
    if len(by_rate) < 2:
        return None
    rows = list(by_rate.values())
    boxes = [row.bbox for row in rows if row.page == rows[0].page]
    box = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, box, 0.7)


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


def _number_under_title(lines: list[Line]) -> Found | None:
    """The document's number on the line under its title when no label names it ("FACTURA" over
    "INV/2024/00005"): a title is a short line that ends in the document's kind."""
    for line in (line for line in lines if line.page == lines[0].page):
        if len(line.text) > MAX_NAME_CHARS or not TITLE_END.search(line.text):
            continue
        for below in sorted(_lines_below(line, lines, 2), key=lambda o: o.bbox[1]):
            if _label_match_any(below.text):
                break
            value = _value_of("code", below.text, True)
            if value is not None and len(below.text.split()) == 1:
                return Found(value, below.page, list(below.bbox), 0.6)
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


def _subtotal_that_adds_up(fields: dict[str, Found], lines: list[Line]) -> Found | None:
    """A subtotal that makes subtotal + tax = total where the labelled one does not (a section's
    "Subtotal" read before the summary's) or none is labelled (an insurer's "Gesamtbeitrag" over
    its tax row): among the subtotal labels of every rank, else the figures just above the tax
    row. None when the printed figures already add up, or nothing does (a wrong total stays
    flagged)."""
    subtotal, tax, total = fields.get("subtotal"), fields.get("tax"), fields.get("total")
    if tax is None or total is None:
        return None
    wanted = _cents(total.value - tax.value)
    if subtotal is not None and _adds_up(subtotal.value, wanted, fields):
        return None
    for line in lines:
        label = _label_match("subtotal", line.text)
        found = _labelled_amount(line, label, lines) if label is not None else None
        if found is not None and _adds_up(found.value, wanted, fields):
            return found
    by_class = _sum_by_class("subtotal", lines)  # "Subtotal R", "Subtotal G": one section per tax class
    if by_class is not None and _adds_up(by_class.value, wanted, fields):
        return by_class
    exempt = _exempt_amount(lines)  # the taxed bases and the exempt goods beside them ("Exento Bs.1.000,00")
    if by_class is not None and exempt is not None and _adds_up(by_class.value + exempt, wanted, fields):
        return Found(by_class.value + exempt, by_class.page, by_class.bbox, 0.6)
    if subtotal is not None:
        return None
    above = _lines_above(tax, lines, 3)
    for other in sorted(above, key=lambda o: -o.bbox[3]):
        if any(_cents(amount) == wanted for amount in amounts_in(other.text)):
            return Found(wanted, other.page, list(other.bbox), 0.5)
    return None


def _exempt_amount(lines: list[Line]) -> Decimal | None:
    """The summary's exempt amount ("Exento Bs.1.000,00", "Steuerfrei 20,00"): goods on which no tax
    is due, part of the subtotal but of no tax base. None where no such row prints a figure."""
    for line in lines:
        label = EXEMPT_LABEL.match(line.text)
        found = _labelled_amount(line, label, lines) if label else None
        if found is not None:
            return found.value
    return None


def _adds_up(value: Decimal, wanted: Decimal, fields: dict[str, Found]) -> bool:
    """Whether a figure is the wanted one, as printed or with the charges and discounts applied."""
    adjustments = fields.get("adjustments")
    return _cents(value) == wanted or (adjustments is not None and _cents(value + adjustments.value) == wanted)


def _adjustment_rows(lines: list[Line]) -> list[Found]:
    """The summary's rows that add something besides the tax (shipping, packing, insurance, as
    positive figures) or take a discount off (negative). A row that says its charge is included
    ("Shipping (included) 4.90") adds nothing."""
    rows: list[Found] = []
    for line in lines:
        charge, discount = CHARGE_LABEL.match(line.text), DISCOUNT_LABEL.match(line.text)
        label = charge or discount
        if label is None or _label_match_any(line.text) or (charge and CHARGE_INCLUDED.search(line.text)):
            continue
        found = _labelled_amount(line, label, lines)
        if found is not None:
            rows.append(Found(abs(found.value) if charge else -abs(found.value), found.page, found.bbox, 0.6))
    return rows


def _summed(rows: list[Found]) -> Found | None:
    """Rows as one figure, with the box of the first; None for no rows."""
    if not rows:
        return None
    return Found(sum((row.value for row in rows), Decimal(0)), rows[0].page, rows[0].bbox, 0.6)


def _below(found: Found, anchor: Found) -> bool:
    """Whether `found`'s row starts below the first row of `anchor` (by half its own height; a later
    page counts as below). An anchor summed from several rows ("Subtotal R", "Subtotal G") starts at
    its first: a discount after it belongs to the sum."""
    if found.page != anchor.page:
        return found.page > anchor.page
    return found.bbox[1] > anchor.bbox[1] + (found.bbox[3] - found.bbox[1]) / 2


def _sum_anchor(fields: dict[str, Found], items: list[dict[str, Found]]) -> Found | None:
    """What the total's sum starts from: the subtotal, else (no tax either) the last line item's
    amount, whose lines the total then sums."""
    if "subtotal" in fields:
        return fields["subtotal"]
    amounts = [item["amount"] for item in items if "amount" in item]
    if "tax" in fields or not amounts:
        return None
    return max(amounts, key=lambda amount: (amount.page, amount.bbox[1]))


def _adjustments_between(
    rows: list[Found], anchor: Found | None, total: Found | None, lines: list[Line]
) -> Found | None:
    """The charges and discounts printed between the subtotal (or the last item) and the total:
    they stand in the sum that leads to the total, so the total must hold them (a total that
    equals subtotal + tax without the shipping row under the subtotal is wrong). Rows above the
    subtotal are already in it; a row under the total is a remark. None where the document says
    its charges are included ("shipping included", "inkl. Versand"), or no row lies between."""
    if anchor is None or total is None or _says_charges_included(lines):
        return None
    return _summed([row for row in rows if _below(row, anchor) and _below(total, row)])


def _says_charges_included(lines: list[Line]) -> bool:
    """Whether a line names a charge and says it is included ("Prices include shipping" does not
    count: only the words for included)."""
    return any(CHARGE_WORD.search(line.text) and CHARGE_INCLUDED.search(line.text) for line in lines)


def _without_overprint(lines: list[Line]) -> list[Line]:
    """Lines whose text the PDF draws several times over ("ReceiptReceipt ReceiptReceipt": a fake bold
    or layered copies) read once. Only a text with letters, at least once glued to its copy, so
    that "10,00 10,00" (a unit price beside its amount) stays."""
    kept = []
    for line in lines:
        repeated = OVERPRINT.fullmatch(line.text.strip())
        unit = repeated.group(1) if repeated else ""
        if repeated and re.search(r"[^\W\d_]", unit) and unit + unit in line.text:
            line = Line(line.page, line.bbox, unit)
        kept.append(line)
    return kept


# A letter the text layer set apart from the rest of its word ("Tota l HT", "C l ient"): a lone consonant (no word
# in these languages but Czech "k", "s", "v", "z") after two letters of a word
LONE_LETTER = re.compile(r"(?<=[^\W\d_]{2}) (?=[b-df-hj-np-tv-xz](?:\s|$))")


def _with_split_labels_joined(lines: list[Line]) -> list[Line]:
    """Lines whose words the text layer split ("Tota l TTC") joined again, only where that makes a label
    that the line did not read as one: a split word elsewhere stays as printed."""
    kept = []
    for line in lines:
        joined = LONE_LETTER.sub("", line.text)
        if joined != line.text and not _label_match_any(line.text) and _label_match_any(joined):
            line = Line(line.page, line.bbox, joined)
        kept.append(line)
    return kept


def _without_row_letters(lines: list[Line]) -> list[Line]:
    """Lines without the reference letter before a row's label, where a sum of such letters ("Total
    (A+B+C)") shows the page names its rows that way; other pages unchanged ("A Better Company")."""
    if not any(LETTER_SUM.search(line.text) for line in lines):
        return lines
    return [
        Line(line.page, line.bbox, line.text[ROW_LETTER.match(line.text).end() :])
        if ROW_LETTER.match(line.text)
        else line
        for line in lines
    ]


def _qr_bill_amount(lines: list[Line]) -> tuple[Found, str] | None:
    """A QR-bill's amount and currency: the "CHF 1 337.42" line under its "Currency Amount" heading
    (the payment part and its receipt print the same)."""
    for line in lines:
        if not QR_AMOUNT_HEADING.fullmatch(line.text):
            continue
        for below in sorted(_lines_below(line, lines, 2), key=lambda o: o.bbox[1]):
            amount = QR_AMOUNT.match(below.text)
            value = parse_amount(amount.group(2).replace("'", "").replace(" ", "")) if amount else None
            if value is not None:
                return Found(value, below.page, list(below.bbox), 0.7), amount.group(1)
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


def extract_fields(spans: list[dict], tables: list[dict]) -> dict[str, Any]:
    """The document type, its fields and line items (a non-invoice gets none)."""
    lines = _with_split_labels_joined(_without_row_letters(_without_overprint(page_lines(spans))))
    text = "\n".join(line.text for line in lines)
    doc_type = document_type(text)
    if doc_type is None:
        return {"doc_type": "other", "fields": {}, "line_items": []}
    currency = currency_of(text)
    # dollars write their dates month first on an English invoice, whichever country's dollars they are
    dollars = currency == "USD" or (currency is None and "$" in text)
    day_first = not dollars or bool(NOT_ENGLISH_TITLE.search(re.sub(r"\s+", "", text).lower()))
    fields: dict[str, Found] = {}
    for field in ("invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total"):
        found = find_field(field, lines, day_first)
        if found is not None:
            fields[field] = found
    fallbacks = {
        "invoice_number": lambda: _number_under_title(lines),
        "invoice_date": lambda: _date_on_title(lines, day_first) or _letter_date(lines, day_first),
        "due_date": lambda: (
            _due_in_terms(lines, day_first) or _debit_date(lines, day_first) or _due_under_terms(lines, day_first)
        ),
    }
    for field, fallback in fallbacks.items():
        if field not in fields and (found := fallback()) is not None:
            fields[field] = found
    if "total" not in fields and (amount := _qr_bill_amount(lines)) is not None:
        fields["total"], qr_currency = amount
        currency = currency or qr_currency
    taxes = _sum_by_class("tax", lines)
    if taxes is not None:
        fields["tax"] = taxes
    rows = _adjustment_rows(lines)
    adjustments = _summed(rows)
    if adjustments is not None:
        fields["adjustments"] = adjustments
    subtotal = _subtotal_that_adds_up(fields, lines)
    if subtotal is not None:
        fields["subtotal"] = subtotal
    items = line_items(tables)
    between = _adjustments_between(rows, _sum_anchor(fields, items), fields.get("total"), lines)
    if between is not None:
        fields["adjustments_between"] = between
    vendor = find_vendor(lines)
    if vendor is not None:
        fields["vendor"] = vendor
    if currency:
        where = next((line for line in lines if _prints_currency(line.text, currency)), lines[0])
        fields["currency"] = Found(currency, where.page, list(where.bbox), 0.8)
    return {"doc_type": doc_type, "fields": fields, "line_items": items}


def _prints_currency(text: str, currency: str) -> bool:
    """Whether a line prints the document's currency (a "$" line its US dollars)."""
    return currency_of(text) == currency or (currency == "USD" and "$" in text)


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
            if expected != _cents(item["amount"].value) and not _discounted_to(item, item["amount"].value):
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
    if amounts and sum_target is not None and _items_may_go_on_unread(amounts, sum_target):
        sum_target = None
    if amounts and sum_target is not None:
        checked += 1
        expected = _cents(sum(a.value for a in amounts))
        between = None if subtotal else fields.get("adjustments_between")
        if between is not None:  # charges printed under the items belong in the total they sum to
            expected = _cents(expected + between.value)
            holds = expected == _cents(sum_target.value)
        else:
            holds = _adds_up(expected, _cents(sum_target.value), fields)
        if not holds:
            rule = "lines_sum_to_subtotal" if subtotal else "lines_sum_to_total"
            boxes = [*amounts, *([between] if between else []), sum_target]
            failed.append(_failure(rule, expected, sum_target.value, boxes))
    if subtotal is not None and total is not None:
        checked += 1
        expected = _cents(subtotal.value + (tax.value if tax else Decimal(0)))
        between = fields.get("adjustments_between")
        if between is not None:  # a charge under the subtotal belongs in the total: no "as printed" way out
            expected = _cents(expected + between.value)
            holds = expected == _cents(total.value)
        else:
            holds = _adds_up(expected, _cents(total.value), fields)
        if not holds:
            failed.append(
                _failure(
                    "subtotal_plus_tax_is_total",
                    expected,
                    total.value,
                    [subtotal, *([tax] if tax else []), *([between] if between else []), total],
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


def _items_may_go_on_unread(amounts: list[Found], sum_target: Found) -> bool:
    """Items read on earlier pages only, their sum printed on a later one: the items may go on over the
    sum's page in rows no table was read from (a 45-line bill whose second page's rows the table model
    missed), so their sum proves nothing either way."""
    return max(amount.page for amount in amounts) < sum_target.page


def _discounted_to(item: dict[str, Found], amount: Decimal) -> bool:
    """Whether the line's discount column explains its amount: quantity x unit price less that
    many percent, or less that amount ("1.00 x 1.00, Disc.% 10.00: 0.90")."""
    if "discount" not in item:
        return False
    gross, off = item["quantity"].value * item["unit_price"].value, item["discount"].value
    return _cents(amount) in (_cents(gross * (1 - off / 100)), _cents(gross - off))


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
