"""fields: an invoice's or receipt's fields and line items, verified by arithmetic.

The document type is detected from the page's arithmetic first and its words second
(operations.invoice_doctype, operations.invoice_arithmetic); other documents get `doc_type: "other"`
and no fields. Each field has its value, page, box and confidence; the line items come from the
table kind. Verification checks the arithmetic to the cent and the dates; a conflict opens a review
item whose details hold the failed rules and the boxes of the numbers that disagree (`mm review
list` shows it), and the disposition says `human_review`. The processing steps `extract`
(fields_found, ms) and `verify` (outcome, failed rules) are recorded beside the kind's own step;
the run's event ends with the disposition.
"""

from __future__ import annotations

from typing import Any

from mm_assets.artifacts import Effort, Stopwatch, current_artifacts, open_review
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_verification import unparsed_dates, verify
from mm_assets.page_layout import page_lines

FIELDS_VERSION = "22"  # 22: a letter's subject names the number after the document's kind ("Subject: Invoice
# HV-2026-0931", "Betreff: Rechnung Nr. 2026-1102"; operations.invoice_numbers); a mark the text layer set as a span of
# its own between a figure's digits put back, several on a row ("189" "," "00 EUR"), and a Swiss thousands prime set
# apart ("1 ′200.00 CHF") closed (operations.invoice_lines); "Insgesamt" and a till's "SUMME EUR" are totals; a pro
# forma's title or its "not a demand for payment" makes the page none; a quantity x unit price a line's words state
# ("2 days at 540.00", "12 h a 95.00", a till's "3 x 0.80" over or under its item) must make the row's amount (rule
# quantity_x_unit_price, operations.invoice_stated_products); a till's tax table of a line per rate (net, tax,
# gross) summed where its gross figures make the total (operations.invoice_rate_rows); a change that misses the
# total by more than two cents conflicts where the currency is paid to the cent or to five (half a unit before); a
# receipt's date anywhere on the roll; a street whose kind ends its word ("Lindenstraße 8") or a house number
# before words ("3 quai de la Fosse") is an address, never the shop; the items typed as text in the summary's column
# over the subtotal (a receipt's total) must sum to it (rule lines_sum_to_subtotal | lines_sum_to_total, operations.
# invoice_column_items); a card row under the total paying exactly it makes a till's slip a receipt; "Kassenbon",
# "scontrino", "documento commerciale" are receipt words; the due date of a transfer asked for ("überweisen ... bis
# zum 02.12.2026", OCR's "biszum"); a product line alone is checked against a row near it it makes (an item's name on
# two lines), else only the row right above it; an "Amount" column left of the item's description is its count, the
# rightmost price column its amount (operations.invoice_items); a line priced with its tax in at a usual rate is
# unsure, not a conflict; a legal form OCR glued to a spaced name's last word set apart ("SurveyingLtd")
# 21: a verification unsure of the figures it read says unverifiable, not conflict: a
# part the subtotal left out printed under it (another section's subtotal, an expense outside the tax), summary
# rows a table read as items, a "Total Price" column heading read over the first line's figure (never the total);
# one line of three or more whose quantity x price no reading explains still conflicts (operations.
# invoice_verification); a decimal mark the text layer set as a line of its own ("6638 06" over ","); the total a
# sentence states ("The total price is 183.5"); the gross total under a net total read again ("Totale onorario",
# "Totale IVA", "Totale"); a quantity column by what was done ("Amount Purchased"); a currency a column caption
# names in brackets ("Betrag (Euro)"); a page that says it is no invoice ("ist keine Rechnung"); a due date after
# the payment's noun ("au plus tard le", "antes del"); an address line is never the issuer over its tax id
# 20: a non-bill's title makes the page none (operations.invoice_non_bill_titles NOT_A_BILL_TITLES:
# orders, statements of account, delivery notes, quotations in many languages), read as a line that is the title alone
# ("Order", "Commande") or a heading in capitals ending a line beside the seller's name ("Acme Corporation STATEMENT");
# the number under the title after a reference caption ("Invoice" over "Ref. : IN2612-00000"), under a title
# whose scanned box it overlaps, else a code of capitals and grouped figures alone on a line in the page's top quarter
# ("INV-2026-0042"); a date OCR glued ("April10,2026") is no number (operations.invoice_numbers); the
# currency a sentence states by its name ("Amounts expressed in Euros", OCR's "MontantsexprimesenEuros"); a legal
# form OCR glued to the vendor's name set apart ("MusterGmbH" -> "Muster GmbH"); a time glued to a month name's year
# ("April10,20268:47AM") leaves the date
# 19: the document's currency decided once for the whole page (operations.invoice_currency):
# "US$", a bare "$" beside a figure on an English page with cents after a point (US dollars, where no other country's
# dollars are shown), else the country of an IBAN told by its shape and length (OCR sets its caption apart); figures
# glued to a money word are amounts ("383076Ft", "US$220"); a letter o read for the zero after a money sign ("$o");
# lexicon labels read with the figures OCR reads for their letters ("Netto0sszeg", "Brutt6osszeg"); Hungarian
# year-first dates ("2018 aug. 01.", "2018. 08. 01.", the month abbreviations), "ÁFA összesen" and a tax word before
# its total word ("ALV yhteensä", "DPH celkem"); the number alone beside the title on its row ("INVOICE" ...
# "#INV-2025-001"); a watermark's letters the text layer set before a label taken off ("á Fizetési határidő:")
# 18: general mechanisms over set-specific rules: an invoice lexicon as data, ~30
# languages' labels for number, dates, net, tax, total, seller and buyer, each phrase read with or without its accents
# and spaces (operations.invoice_lexicon), their titles and total words for the document type; month names of 12 more
# languages; local signs of money beside a figure ("zł", "lei", "Rp", "₫") and the country a bare "$" shows
# (operations.invoice_locales); currencies of no minor unit group thousands with points ("Rp 1.250.000"); a fiscal
# totals grid's parts must make its total (a DANFE: operations.invoice_fiscal_grid, rule `grid_sum`)
# 17: guaraníes ("Gs. 1.150.000": points group thousands, no cents; "Moneda: Guarani");
# an e-invoice's title over its number ("FACTURA ELECTRÓNICA"); a credit note billed like an invoice; a rate's share
# ("Subtotal IVA 10%") and an items column heading are no subtotal; a totals grid's caption read in its cell ("VALOR
# TOTAL DA NOTA"); items read from another column than their money leave their sum unsure; the seller's block by
# its Spanish heading ("DATOS DEL VENDEDOR", "Nombre:").
# 16: Finnish labels ("Maksun eräpäivä", "Veroton määrä", "LASKU YHTEENSÄ"); a currency
# named in words beside its amount ("122,00 euroa"); a prepayment ("Ennakkomaksu", "Anzahlung") taken off the
# amount to pay like a discount; a labelled rate's tax within half a percent of the rate of its base (rounded
# line by line); a term's last day ("Payable until", "Zahlbar bis zum", "pagável até"); a fiscal form's name
# (Nota Fiscal, DANFE) does not make a page with cash and change an invoice, and exact cash (change 0,00) pays a
# printed figure; the seller's block of a Brazilian form ("PRESTADOR / FORNECEDOR") and its name under the
# caption ("Nome / Nome Empresarial"), in a row of captions each over its value the one under its own; "VALOR TOTAL
# DA NFS-E"; a caption that states a sum ("Valor Líquido da NFS-e + IBS/CBS") checked against its parts
# (operations.invoice_stated_sums); OCR without spaces (a code glued to the next caption "10Serie:", a time or word
# glued to a date's year, "TROCOR$", "EndbetragEUR", a sender line cut at a bare middle dot); a captioned address part
# ("Bairro: CENTRO") is no sender; a QR-bill's code and amount set as two runs; a number cited in a remark's sentence
# is not the document's; a series prefix set apart ("FPR 17/20"); "Data scadenza pagamento", "Ende Zahlungsziel",
# "Numero e data doc." for the date; "Total Tax" is the tax ("taxes?" missed "Tax"), "Total Discount", "Total Fee"
# are no total; a read part of zero proves no printed total
# 15: a bill by evidence whatever its title (a total label with its amount, a
# seller's tax id and a date: operations.invoice_evidence); fiscal titles (Nota Fiscal, DANFE, DACTE, CFDI); a text
# block standing over many rows (a diagonal watermark) left out of the lines; Brazilian fiscal totals and dates
# ("VALOR TOTAL DA NOTA", "A RECEBER", not "DA CARGA"; "DATA DA EMISSÃO"), "Folio", a box's "Número"; "R$" is BRL;
# a box-grid caption's value at the foot of its box (operations.invoice_boxes); a per-rate tax summary's base and
# tax columns summed where they make the printed total (operations.invoice_rate_rows); a fiscal form's issuer named
# by a DANFE's stub ("RECEBEMOS DE ...") or over the page's first tax id, where nothing else names the vendor; a page
# whose cash less change pays a printed figure is a till receipt even where its tax adds up like a bill's, unless a
# word calls it an invoice
# 14: unverifiable, not a conflict, where the reading is unsure: a quantity x price miss
# on a table cell that reads as several figures, a total less the subtotal or tax read that the page prints as
# another figure; the summary row read with the items' table is no item; a page's own unambiguous numeric date
# settles its day order; a reference under a label ("Art. 73 DPR 633/72") and a rate's caption ("(%)", a heading
# over "Aliq.") lend no amount; item cells with a mark set apart ("11 ,31") or a fine unit price ("0,0125");
# decimals set apart as a line of their own (",84") joined; initials drawn twice ("To Totale", "IVA VA") read once;
# Italian and German e-invoice labels (numero/data/totale documento, totale imponibile/imposta); the vendor named
# by a name caption ("Denominazione:", "Benennung" beside its value) in the column of a seller-role heading
# ("Cedente/prestatore", "Lieferant"), the buyer's block beside it left out
# 13: a till receipt's payment arithmetic (tendered - change = total, cash and card
# rows summed: its type where no word says so, its total where no label does, and a check of a printed total, cash
# rounding of up to half a unit allowed, unverifiable where tendered - change is another printed figure);
# a receipt's shop is the name over its address, at the top or the foot; a sentence is no vendor; names in any
# script; card slips by their copy and sale words ("CUSTOMER COPY", "お客様控え", "売上票"), their number under
# "SLIP #"/"伝票番号", their date under "お取扱日"; unverifiable, not a conflict, where the page's own figures add up
# and the reading does not (a printed column sums to the target the table's items miss; a printed-rate tax step
# makes the read total from other figures; a row no label reads between the items and a total without subtotal);
# unverifiable too where the printing is consistent read another way (a subtotal equal to the total with the tax
# beside it, a credit note signing its total apart, items summing to the total, dates in order read month first,
# a line's quantity x price that misses its amount where the amounts make the subtotal and the summary adds up);
# labels in Portuguese, Turkish, Finnish, Hungarian, Greek, Russian, Chinese, Korean, German "Zwischensumme",
# Japanese dates
# 12: a tax levied in named parts, one row each ("CGST", "SGST", "IGST";
# "GST", "PST") summed; "CGST"/"SGST"/"IGST"/"UTGST"/"HST"/"PST"/"QST" tax labels; a total row over the tax row
# is the net sum when another total row is printed under it (the total); a bare "Balance" (last total label);
# "Statement No", "Statement Date"; "Fälliger Betrag"; the name captioned ("Firmenname:") under a seller heading;
# a receipt by its title and an amount alone; card slips ("SLIP #", "APP CODE"); Japanese receipts (領収書, 合計, 小計,
# 消費税, お釣り, お預り, dates in 年月日); a figure whose mark OCR set apart ("185 . 80") joined; a receipt without a
# total label: a total label after the row code, "AMOUNT", else its headline amount in large type; a row no label
# reads between the subtotal and the total (no tax read) makes subtotal + tax = total unverifiable, not a conflict;
# text-layer pieces of one word joined (capitals either side of the cut, or a letter drawn twice where they overlap)
# 11: structure before words (operations.invoice_arithmetic): the document type from the
# page's arithmetic (a tax step: a figure, a rate of it its row prints or a whole or half percent, and their sum
# below; items in a column over their sum beside quantity x price rows; one untaxed item's product row with a
# total word and a currency), words a weak prior; an order's title makes no bill; the subtotal, tax and total no
# label gives from the tax step that agrees with every labelled one (a labelled total is never replaced); the
# first date at the top for the issue date (not after the due date); the number by a word and a number sign; a
# vendor label's value that is the party addressed ("Attn:") is none; "with a capital of" is a legal mention;
# the extractor split into modules (values, doctype, arithmetic, labels, items, vendor, verification)
# 10: amount-summary words ("Net amount", "Final amount") make a document an invoice;
# a quote's title ("Devis", "Quote", "Angebot") makes it none; "+ Taxes"; a dash is no value, never the next figure;
# a word the text layer split inside a label joined; a column heading is no vendor; "$" is USD only where the
# document shows the United States; a discount row with qualifying words ("my special discount")
# 9: Czech labels and total words, "Kč", a typographic apostrophe grouping thousands,
# "Nettopreis", "Sum (net)" / "Sum (gross)", "01. 01. 2021", "Comp. Nro", dates under a row of "Label:" headings,
# the figure under its heading in a table row read as one line, a tax row that names its rate first ("+7% VAT"),
# no lines-sum check where the items were read only on pages before their sum
# 8: a charge or discount between the subtotal (or the last item) and the total must
# be in the total unless the document says it is included; "Facturation" names no invoice; Swiss QR-bills (bill, amount,
# currency, creditor; "Payable by" without a date is no due date); text drawn twice over read once; "HTVA" and
# "Total hors remise" subtotals; summary rows named by letters; credit and debit notes' numbers; other ISO
# currency codes beside an amount; "BI" tax bases with the exempt amount
# 7: "Faktura" and Nordic labels, crowns by language, "Rechnung-Nr", "Brutto", due-date
# labels ("Deadline", "Forfallsdato"), "$1, 034.00", a label inside a line, day-first dates on a non-English
# invoice in dollars, charges and discounts in the sum, per-class sections, line items under a header inside a
# table and continued overleaf, an item cell's first figure
# 6: totals that name what they leave out or total, paid totals, "Saldo adeudado",
# one-decimal amounts, rate and identifier labels lend no amount, order date, year-first and two-digit-year
# dates, "Bill From", a street is no sender, the number under the title, the due date under a payment-terms
# heading, line-item headings in five languages
# 5: Dutch and Spanish labels and months, a bare "Nr.", the longer label read whole,
# vendor as payee, by domain or under a caption, never the customer's block or a person addressed by civility
# 4: ID labels, closing summary rows, subtotal that adds up, letter and debit dates, discounts
# 3: German and French labels, row amounts, vendor from sender line or legal mention
# 2: title decides receipt vs invoice, rupees, vendor under its label
FIELD_NAMES = ("invoice_number", "invoice_date", "due_date", "vendor", "currency", "subtotal", "tax", "total")
REVIEW_REASON = "fields_verification"


def fields_payload(spans: list[dict], tables: list[dict]) -> tuple[dict[str, Any], float, float]:
    """The payload (without review_id) and the extract and verify times in ms."""
    with Stopwatch() as extracting:
        found = extract_fields(spans, tables)
    with Stopwatch() as verifying:
        if found["doc_type"] == "other":
            verification = {"status": "unverifiable", "failed": [], "rules_checked": 0}
        else:
            verification = verify(found["fields"], found["line_items"], unparsed_dates(page_lines(spans)))
    payload = {
        "doc_type": found["doc_type"],
        "fields": {name: found["fields"][name].as_json() for name in FIELD_NAMES if name in found["fields"]},
        "line_items": [{part: value.as_json() for part, value in item.items()} for item in found["line_items"]],
        "verification": verification,
        "disposition": disposition(found["doc_type"], verification["status"]),
    }
    return payload, extracting.ms, verifying.ms


def disposition(doc_type: str, status: str) -> str:
    """Verified invoices (and documents that are not invoices) are accepted; the rest go to a person."""
    return "accepted" if doc_type == "other" or status == "verified" else "human_review"


def make_fields(run: KindRun, key: str) -> Made:
    spans = run.batch.read_json(run.input("ocr", key))["spans"]
    tables = run.batch.read_json(run.input("table", key))["tables"]
    payload, extract_ms, verify_ms = fields_payload(spans, tables)
    verification = payload["verification"]
    figures = {
        "doc_type": payload["doc_type"],
        "fields_found": len(payload["fields"]),
        "line_items": len(payload["line_items"]),
        "verification": verification["status"],
        "failed_rules": [failure["rule"] for failure in verification["failed"]],
        "disposition": payload["disposition"],
    }
    row = run.batch.write_json(key, payload, run.digests[key], attributes=figures)
    if payload["disposition"] == "human_review":
        reason = f"{REVIEW_REASON}: {verification['status']}" + (
            f" ({', '.join(figures['failed_rules'])})" if figures["failed_rules"] else ""
        )
        open_review(run.resources.catalog, row, reason, {"verification": verification})
    if payload["doc_type"] != "other":
        # the sub-steps count the source's units and are priced like every step
        extract, verify_effort = Effort(extract_ms), Effort(verify_ms)
        extract_cost, verify_cost = (run.step_cost(key, effort, Made({})) for effort in (extract, verify_effort))
        found = figures["fields_found"]
        run.batch.step(key, "ok", extract, extract_cost, step_name="extract", fields_found=found)
        failed = ", ".join(figures["failed_rules"]) or None
        run.batch.step(key, verification["status"], verify_effort, verify_cost, step_name="verify", failed_rule=failed)
    return Made(figures)


def fields_verified_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """An invoice's or receipt's arithmetic and dates must verify; a document of another type passes."""
    verdicts = {}
    for key, row in current_artifacts(resources.catalog, "fields", keys).items():
        figures = row["attributes"] or {}
        passed = figures.get("doc_type") == "other" or figures.get("verification") == "verified"
        reason = "ok" if passed else f"{figures.get('verification')}: {', '.join(figures.get('failed_rules', []))}"
        verdicts[key] = (passed, {**figures, "reason": reason})
    return verdicts


SPEC = ArtifactKind(
    name="fields",
    upstream=("ocr", "table"),
    logic_version=FIELDS_VERSION,
    description="Invoice and receipt fields and line items (value, page, bbox, confidence), verified to the cent.",
    make=each_partition(make_fields),
    modalities=("document", "image"),
    model="rules",  # no model of its own: its inputs' versions carry the OCR and table models
    checks=(KindCheck("fields_verified", fields_verified_verdicts),),
)
