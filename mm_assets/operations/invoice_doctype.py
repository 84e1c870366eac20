"""What kind of document this is: an invoice, a receipt or other. Arithmetic and layout decide
(operations.invoice_arithmetic: a column of amounts summing to a printed figure, a figure and a
percentage of it making a third, quantity x price = amount lines), the vocabulary (titles, total
words, a quote's title) only weighs in: a page whose figures add up like an invoice's is one in any
language, and a page of words without that arithmetic needs the words.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_arithmetic import PageArithmetic
from mm_assets.operations.invoice_evidence import bill_by_evidence
from mm_assets.operations.invoice_lexicon import phrase_pattern, squeezed_alternation
from mm_assets.operations.invoice_non_bill_titles import NOT_A_BILL_TITLES
from mm_assets.operations.invoice_values import currency_of
from mm_assets.page_layout import Line

DOC_TYPES = ("invoice", "receipt")


# Matched on the text with its spaces removed (OCR drops them: "TaxInvoice", "Totaldue") and
# "l", "1" or "|" read for an "I" ("lnvoice").
# "Faktura": Norwegian, Danish, Swedish, Polish, Czech; "fattura", "fatura": Italian, Portuguese, Turkish;
# "lasku": Finnish; "számla": Hungarian; "請求書": Japanese; "发票": Chinese; "τιμολόγιο": Greek; "счёт", "фактура":
# Russian and other Cyrillic
# Fiscal documents by their own names: Brazil's "Nota Fiscal" (NF-e, its printout the DANFE) and "Conhecimento
# de Transporte" (CT-e, printed as the DACTE), Mexico's CFDI ("Comprobante Fiscal Digital"), "Comprobante fiscal"
# A credit note bills a negative amount against an invoice and carries its fields ("Nota de crédito electrónica",
# "Credit note", "Nota de crédito"): an invoice for extraction
# "Facturation" (French: billing, the caption of the billing address) is no "factura": a quote ("Devis")
# prints it too
INVOICE_WORDS = re.compile(
    r"[il1|]nvoice|billto|billedto|rechnung|factu(re|ur|ra)(?!tion)|faktura|fatt?ura|amountdue|balancedue|gutschrift|"
    r"lasku|sz[áa]mla|請求書|发票|發票|τιμολ[οό]γιο|сч[её]т|фактура|"
    r"notafiscal|danfe|dacte|conhecimentodetransporte|cfdi|comprobantefiscal|"
    # and the titles of every language of the lexicon (operations.invoice_lexicon), six letters or more
    r"notadecr[ée]dito|creditnote|" + squeezed_alternation("title")
)


# A Swiss QR-bill's payment part, whose title the standard fixes in four languages: a bill to pay, though its
# tear-off slip is titled "Receipt" ("Empfangsschein") and it says "Amount", not "Total"
QR_BILL_WORDS = re.compile(r"paymentpart|zahlteil|sectionpaiement|sezionepagamento")


# A document that names itself in another language than English writes its dates day first, even in
# dollars ("FACTURA" in $ dated "02-07-2022" is 2 July): US month-first dates are an English habit.
NOT_ENGLISH_TITLE = re.compile(
    r"rechnung|factu(re|ur|ra)|faktura|fatt?ura|gutschrift|quittung|recibo|" + squeezed_alternation("title")
)


# a card payment's slip ("SLIP #", "APP CODE", "伝票番号" its number, "お買上" a purchase); Japanese receipts
# ("領収書", "領収証", "レシート"), their change ("お釣り", "お預り" the cash handed over); a card slip names
# the copy it is ("CUSTOMER COPY", "Kundenbeleg", "お客様控え") and its sale ("売上票": a card sales slip)
RECEIPT_WORDS = re.compile(
    r"receipt|cashier|changedue|thankyouforyour(purchase|shopping)|thankyouforshopping|slip#|appcode|approvalcode|"
    r"(customer|cardholder|merchant)copy|kundenbeleg|h[äa]ndlerbeleg|ticketclient|copiacliente|"
    # a till's own names for its slip: German "Kassenbon", "Kassenbeleg"; French "ticket de caisse"; Italian
    # "scontrino" and the "documento commerciale" that replaced it by law
    r"kassen(bon|beleg)|ticketdecaisse|scontrino|documentocommerciale|"
    r"領収[書証]|レシート|お釣り?|おつり|お預り|伝票番号|お買上|売上票|お客様控え?|承認番号"
)


# A summary's amount named by what it is rather than "total": "Net amount", "Gross amount", "Final amount",
# "Amount payable"; "montant net/brut", "importe final", "importo", "Endbetrag" (matched with spaces removed)
AMOUNT_SUMMARY_WORDS = (
    r"(net|gross|final)amount|amountpayable|montant(net|brut|final)|importe(neto|bruto|final)|importo|"
    r"(netto|brutto|end)betrag|eindbedrag"
)


# A quote, an estimate or an offer is no invoice though it prints totals and a "Bill to" ("Devis", "Angebot",
# "Presupuesto", "Offerte", "Preventivo", "Orçamento"); told by its title, the first of these words or the
# invoice words on a line's start. A pro forma is none by its title alone (invoice_non_bill_titles).
QUOTE_TITLE = re.compile(
    r"\s*(quot(e|ation)|estimate|devis|angebot|kostenvoranschlag|presupuesto|cotizaci[oó]n|offerte|offerta|"
    r"preventivo|or[çc]amento)(?![^\W\d_])"
    # an order is no bill either, by its title ("Purchase Order valid until ..."); "Purchase order no: 12",
    # "PO #" on an invoice is a reference
    r"|\s*(purchase\s*order|bon\s*de\s*commande|bestellung|orden\s*de\s*compra|bestelbon)"
    r"(?![^\W\d_]|\s*(no\b|nr\b|number|n[°º]|#|:|ref|\d))",
    re.I,
)


# A line that is a non-bill's title alone ("Order", "Commande", "Statement of account"), or ends with it in
# capitals beside the seller's name ("Acme Corporation STATEMENT"): the lexicon's titles (invoice_lexicon)
_NOT_A_BILL = "|".join(
    phrase_pattern(title)
    for title in sorted({t for titles in NOT_A_BILL_TITLES.values() for t in titles}, key=lambda t: (-len(t), t))
)
NOT_A_BILL_ALONE = re.compile(rf"\s*(?:{_NOT_A_BILL})[\s:.]*", re.I)
NOT_A_BILL_HEADING = re.compile(rf"(?<![^\W\d_])(?P<title>{_NOT_A_BILL})[\s:.]*$", re.I)


# A page that says it is no invoice ("Diese Auftragsbestätigung ist keine Rechnung.", "This is not an invoice"):
# an order confirmation, a quote or a delivery note printing the invoice's table and totals; matched with spaces
# removed, as OCR may drop them. "Not a tax invoice" alone is left out: an invoice may say so of itself.
DECLARED_NO_BILL = re.compile(
    r"(ist|is)keinerechnung|isnotaninvoice|n['’]?estpasunefacture|noesunafactura|non[eè]unafattura|isgeenfactuur|"
    # "not a demand for payment" (a pro forma's own words, whatever its title)
    r"not(a|an)?demandforpayment|keinezahlungsaufforderung"
)


# "Brutto" closes a German summary; "å betale", "att betala", "do zapłaty", "k úhradě": the amount to pay;
# "celkem", "celková (cena)": Czech for the total; "Sum (gross)"
TOTAL_WORDS = re.compile(
    r"tota+l|amountdue|balancedue|summe|betrag|beitrag|brutto|montant|àpayer|bedrag|importe|betale|betala|zap[łl]aty|"
    r"celkem|celkov[áa]|k[úu]hrad[ěe]|sum\(gross\)|合計|小計|お会計|金額|yhteens[äa]|toplam|[öo]sszesen|合计|总计|總計|합계|σ[υύ]νολο|итого|всего|"
    + AMOUNT_SUMMARY_WORDS
    + "|"
    + squeezed_alternation("total", min_letters=5)  # the lexicon's total words ("dozapłaty", "ukupno", "kokku")
)


def document_type(text: str, arithmetic: PageArithmetic | None = None, lines: list[Line] | None = None) -> str | None:
    """'invoice', 'receipt' or None. A page whose figures add up like a bill's (a tax step, or a column
    sum beside quantity x price rows) is one in any language, given any sign of money or billing (a
    currency, a total word, an invoice word): the words only weigh in. A bill of one untaxed item adds
    up less (a quantity x price row or a column sum alone): then a total word and a currency. Without
    any arithmetic the words decide, as before: an invoice or receipt word and a total word. A quote's
    or an order's title makes it none. Whatever the title, a total with its amount, a seller's tax id and
    a date make a bill (operations.invoice_evidence)."""
    squeezed = re.sub(r"\s+", "", text).lower()
    if QR_BILL_WORDS.search(squeezed):
        return "invoice"
    if says_it_bills_nothing(text):
        return None
    invoice, receipt = INVOICE_WORDS.search(squeezed), RECEIPT_WORDS.search(squeezed)
    worded = TOTAL_WORDS.search(squeezed) is not None
    adds_up = arithmetic is not None and arithmetic.adds_up_like_a_bill
    receipt_first = receipt is not None and (not invoice or receipt.start() < invoice.start())
    if receipt_first and ((arithmetic is not None and arithmetic.money) or currency_of(text) is not None):
        return "receipt"  # a receipt's title and an amount with cents: it may print no total word ("RECEIPT", "120.80")
    if not receipt_first and lines is not None and bill_by_evidence(lines):
        return "invoice"
    if not worded and not adds_up:
        return None
    if receipt_first:
        return "receipt"  # the title comes first: a receipt may say "ask for an invoice" further down
    if invoice:
        return "invoice"
    money = currency_of(text) is not None or "$" in text
    if adds_up and (worded or money):
        return "invoice"
    # a bill of one untaxed item (quantity x price = amount, or items over their sum): words and currency both
    if arithmetic is not None and arithmetic.adds_up_somewhat and worded and money:
        return "invoice"
    return None


def says_it_bills_nothing(text: str) -> bool:
    """Whether the page is titled a quote, an order, a statement, a delivery note or a pro forma, or says it is no
    invoice: whatever its figures, it bills nothing."""
    return _titled_a_quote(text) or DECLARED_NO_BILL.search(re.sub(r"\s+", "", text).lower()) is not None


# A customer's caption ("Bill to") is no title: receipts print one too ("RECEIPT #", "BILL TO")
BILL_TO = re.compile(r"bill(ed)?to")


# A fiscal form's name says the tax office's paper, not whether it bills or proves a payment: Brazil prints its
# consumer's till receipt as a "DANFE NFC-e" ("Nota Fiscal de Consumidor")
FISCAL_FORM_WORDS = re.compile(r"notafiscal|danfe|dacte|conhecimentodetransporte|cfdi|comprobantefiscal")


def titled_an_invoice(text: str) -> bool:
    """Whether a word names the page an invoice, a customer's caption ("Bill to") and a fiscal form's name
    aside."""
    squeezed = re.sub(r"\s+", "", text).lower()
    return any(
        not BILL_TO.fullmatch(found.group(0)) and not FISCAL_FORM_WORDS.fullmatch(found.group(0))
        for found in INVOICE_WORDS.finditer(squeezed)
    )


def _titled_a_quote(text: str) -> bool:
    """Whether a line starts with a quote's word ("Devis n° 1", "QUOTE"), or is an order's, a statement's or a
    delivery note's title, before any line names an invoice or receipt: "Quote" further down ("please quote the
    invoice number") is no title."""
    for line in text.splitlines():
        if QUOTE_TITLE.match(line) or NOT_A_BILL_ALONE.fullmatch(line) or _capital_heading(line):
            return True
        squeezed = re.sub(r"\s+", "", line).lower()
        if INVOICE_WORDS.search(squeezed) or RECEIPT_WORDS.search(squeezed):
            return False
    return False


def _capital_heading(line: str) -> bool:
    """Whether a line ends with a non-bill's title written in capitals after other words ("Acme Corp STATEMENT"):
    a heading; "Thank you for your order" is a sentence."""
    found = NOT_A_BILL_HEADING.search(line)
    return found is not None and found.group("title").isupper() and bool(line[: found.start()].strip())


def _names_the_document(text: str) -> bool:
    """A title such as "Faktura / Invoice" or "RECEIPT": the document's kind, not its vendor."""
    squeezed = re.sub(r"\s+", "", text).lower()
    return bool(INVOICE_WORDS.search(squeezed) or RECEIPT_WORDS.search(squeezed) or "statement" in squeezed)
