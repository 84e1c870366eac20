"""A field's usual labels in many languages, most specific first (a "Total" line must not be taken for
"Subtotal"), each read whole from a line's start by operations.invoice_labels. Spaces are optional
everywhere: OCR engines drop them ("Paymentdue:").
"""

from __future__ import annotations

from mm_assets.operations.invoice_lexicon import alternation

# "Total Discount 10,00", "Total Fee", "Total items 5": a total of something else than the amount to pay
NOT_THE_TOTAL = (
    r"(?!\s*(discounts?|fees?|charges?|shipping|savings|items?|qty|quantity|weight|units|pieces|pages)(?![^\W\d_]))"
)


# Field -> label patterns, most specific first; English, German, French, Dutch and Spanish first, then others
# ("totaa?l": "Totaal" is Dutch for "Total")
LABELS: dict[str, list[str]] = {
    "invoice_number": [
        # "Rechnung-Nr", "Rechnung- Nr" (the text layer may set a space after the hyphen), "Fakturanummer"
        # "Faktura - daňový doklad číslo", "Faktura č.": a Czech (VAT) invoice's number
        r"(invoice|facture|rechnung|factuur|factura|faktura|fattura)[\s-]*(da[ňn]ov[ýy]\s*doklad\s*)?"
        # longer words first; "n.º" with its point (Spanish "Factura n.º 2026/57")
        r"(nummer|numer|number|n[uú]m[ée]ro|[čc][íi]slo|no\.?|nr\.?|#|num\.?|id|n\.?\s*[°º]|č\.)",
        r"(n[°º]|n[uú]m[ée]ro)\s*(de\s*(la\s*)?)?factu(re|ra)",
        # a credit or debit note's: "NOTA DE CRÉDITO Nº 000002", "Credit note no. 7", "Gutschrift Nr. 12"
        r"(nota\s*de\s*(cr[ée]dito|d[ée]bito)|(credit|debit)\s*note|note\s*de\s*(cr[ée]dit|d[ée]bit)|gutschrift)"
        r"[\s-]*(n[uú]m[ée]ro|number|no\.?|nr\.?|#|n[°º])",
        # Italian and German e-invoice stylesheets: "Numero documento", "Numero e data doc.", "Dok.-nummer"
        r"n(umero|r\.?)\s*(e\s*data\s*)?(del\s*)?doc(umento|\.)?|dok(ument)?\.?[\s-]*nummer",
        r"(rechnungs|beleg)[\s-]*(nr\.?|nummer|no\.?)",
        # Portuguese, Turkish "fatura", Finnish "lasku", Hungarian "számla"; Japanese and Chinese invoice numbers
        r"(fatura|laskun?|sz[áa]mla)[\s-]*(n[uú]mero|numero|nro\.?|nr\.?|no\.?|n\.?\s*[°º]|sz[áa]ma?|#)|"
        r"請求書?番号|发票号码?|發票號碼?",
        r"(receipt|statement)\s*(no\.?|number|#)",
        r"receipt(?=\s*:\s*[A-Z]{0,4}[-/]?\d)",  # "Receipt: 000871", its colon before the code
        r"bill\s*(no\.?|number|#)",
        r"(document|reference|ref\.?)\s*(no\.?|number|#)",
        r"inv\.?\s*#",
        r"(invoice|facture|rechnung)(?=\s*#?\s*[A-Z]{0,4}[-/]?\d)",  # "Invoice 2024-117", "Facture FA-2017-0010"
        r"transaction\s*(no\.?|number|#|id)",
        # a till's abbreviation before its figures ("Trans: 5521", "Trans# 0087"); Italian "Documento N. 0142-0087"
        r"trans\.?\s*(#|no\.?|nr\.?)?(?=\s*:?\s*\d)|documento\s*n(r|um)?\.?(?=\s*[°º:]?\s*\d)",
        # a card slip's or till receipt's own number: "SLIP #", "Ticket Nr.", "Bon-Nr", "伝票番号" over its value
        r"(slip|voucher|ticket|bon)[\s-]*(no\.?|nr\.?|number|#|n[°º])|伝票番号|レシート番号|取引番号",
        # Mexican CFDI's "Folio" (under "Serie"; the "Folio fiscal" is the stamp's UUID), a box's "Número"
        # not a Brazilian note's receivable ("Número da Fatura" in its FATURA/DUPLICATA box: the bill of exchange's
        # number, the note's own is its "Nº." over its "Série")
        r"folio(?!\s*fiscal)(?![^\W\d_])|n[uú]mero(?!\s*d[ao]\s*(fatura|duplicata))(?![^\W\d_])",
        r"(comp(robante)?\.?\s*)?nro\.?(?![^\W\d_])",  # Spanish "Comp. Nro", a voucher's number
        r"(no|nr|n[°º])\.?(?![^\W\d_])",  # a bare "Nr." or "No." heading the document's number
    ],
    "due_date": [
        r"(payment\s*)?due\s*(date|on|by)?",
        r"(payment\s*)?deadline",
        # Norwegian, Danish, Swedish, Polish, Italian
        # "Data scadenza pagamento": the payment's due date, the e-invoice stylesheet's words
        r"forfalls?dato|forfaldsdato|f[öo]rfallo(dag|datum)|termin\s*p[łl]atno[śs]ci|"
        r"(data\s*(di\s*)?)?scadenza(\s*(del\s*)?pagamento)?",
        r"pay\s*(by|before)",
        r"payable\s*by(?=\s*:?\s*\d)",  # with its date: alone, "Payable by" captions a QR-bill's debtor
        r"(date\s*d['’]\s*)?[ée]ch[ée]ance",
        r"date\s*limite\s*de\s*paiement(\s*le)?",
        # "Ende Zahlungsziel": the end of the payment term; "Zahlbar bis zum"
        r"(f[äa]llig(keits)?(datum|keit|tag)?|(ende\s*)?zahlungsziel|zahlbar\s*bis)(\s*(am|bis|zum))?",
        r"verval(datum|dag)|uiterste\s*betaal(datum|dag)|te\s*betalen\s*v[oó][oó]r",
        r"(fecha\s*(de\s*)?)?vencimiento",
        # Portuguese, Finnish, Turkish, Hungarian, Japanese
        # "Maksun eräpäivä": Finnish names the payment's ("maksun") due date, the label's first word
        r"(data\s*(de\s*)?)?vencimento|(maksun\s*)?er[äa]p[äa]iv[äa]|(son\s*[öo]deme|vade)(\s*tarihi)?|fizet[ée]si\s*hat[áa]rid[őo]|"
        r"(お)?支払(い)?期(限|日)",
        r"fecha\s*(de\s*)?vto\.?(\s*para\s*el\s*pago)?",  # "Fecha de Vto. para el pago"
        r"d[áa]tum\s*splatnosti|splatnost",  # Czech, Slovak
    ],
    "invoice_date": [
        r"(invoice|issue|billing|receipt|transaction|statement)\s*date",
        r"(rechnungs|beleg)[\s-]*datum",
        r"date\s*(de\s*(la\s*)?facture|d['’]\s*[ée]mission|de\s*facturation)",
        r"date\s*(of\s*)?(issue|invoice)",
        r"data\s*(del\s*)?documento|dokument(en)?datum",  # Italian, German
        # a number and date in one caption ("Numero e data doc.", "Dok.-nummer und -datum": "124 - 2020-01-09")
        r"n(umero|r\.?)\s*e\s*data\s*doc(umento|\.)?|dok(ument)?\.?[\s-]*nummer\s*und\s*-?\s*datum",
        r"factuurdatum",
        r"faktura\s*dat(o|um)|data\s*(wystawienia|faktury|(della\s*)?fattura)",
        r"fecha\s*(de\s*(la\s*)?)?(factura|emisi[oó]n|expedici[oó]n)",
        r"d[áa]tum\s*vystaven[íi]a?",  # Czech, Slovak
        r"issued(\s*on)?",
        r"order\s*date",  # a shop's tax invoice dated by its order ("Order date: 28 Jan 15")
        # Portuguese, Finnish, Turkish, Hungarian; Japanese and Chinese invoice dates
        r"data\s*((e\s*hora\s*)?d[ae]\s*)?emiss[ãa]o|(d[ae]\s*)?emiss[ãa]o|data\s*(da\s*)?fatura|(laskun\s*)?p[äa]iv[äa](m[äa][äa]r[äa]|ys)|"
        r"(fatura\s*)?tarihi?(?![^\W\d_])|kelte|ki[áa]ll[íi]t[áa]s\s*d[áa]tuma|請求日|开票日期|開票日期",
        r"(お)?取扱日|取引日|(ご)?利用日|発行日|日付",  # Japanese: a card slip's transaction date, an issue date
        r"date",
        r"datum",
        r"fecha",
    ],
    "subtotal": [
        # not one rate's share ("Subtotal IVA 10%", "Subtotal Exento": Paraguay's KuDE prints one per rate)
        r"sub[\s-]?totaa?l(?!\s*(iva|exent[oa]|gravad[oa]))",
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
        # German "Zwischensumme"; Turkish, Finnish, Portuguese, Polish, Nordic; Japanese, Chinese
        r"totale\s*imponibile",  # Italian: the taxable total, before the generic "totale"
        # Finnish "Veroton määrä": the amount without tax
        r"zwischensumme|ara\s*toplam|veroton(\s*(hinta|summa|yhteens[äa]|m[äa][äa]r[äa]))?|"
        r"(valor|total)\s*(sem|s/)\s*iva|base\s*(tribut[áa]vel|de\s*incid[êe]ncia)|warto[śs][ćc]\s*netto|"
        r"(summa|bel[øo]b|bel[oö]pp?)\s*(ekskl|exkl)\.?\s*(moms|mva)|税抜(合計|金額)?|不含税金额|小计",
        r"小計",  # Japanese
    ],
    "tax": [
        # a tax total before any one rate's row: "Total Tax" (English), "Total taxe(s)" (French)
        r"totaa?l\s*(bedrag\s*)?(tva|tax(es?)?|vat|mwst\.?|ust\.?|btw|iva|impuestos?)",
        # or the tax word first, its total word after: "ÁFA összesen" (Hungarian), "ALV yhteensä", "KDV toplamı",
        # "DPH celkem", "VAT razem", "MwSt gesamt"
        r"(áfa|alv|kdv|dph|vat|mwst\.?|ust\.?|käibemaks)\s*(összesen|yhteens[äa]|toplam[ıi]?|celkem|razem|kokku|gesamt)",
        r"(summe|gesamt(betrag)?)\s*(der\s*)?((mehrwert|umsatz)s?steuer|mwst\.?|ust\.?)",
        r"(sales\s*)?tax(es)?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"montant\s*(tva|taxes?)",
        r"vat(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        # a goods-and-services tax and its parts, each its own row: central, state, integrated, union territory
        # ("CGST", "SGST", "IGST", "UTGST"); Canada's harmonized, provincial and Quebec taxes ("HST", "PST", "QST")
        r"((c|s|i|ut)?gst(?!in)|hst|pst|qst)(?![^\W\d_])",
        r"(tva|ust\.?|mwst\.?)([\s-]*betrag)?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"(mehrwert|umsatz|versicherung)s?steuer(betrag)?",
        # "in diesem Beitrag enthaltene Versicherungsteuer (35,13 €)": the tax inside a gross figure
        r"((darin|in\s*diese[mnrs]\s*[^\W\d_]+)\s*)?enthaltene?\s*((mehrwert|umsatz|versicherung)s?steuer|mwst\.?|ust\.?)",
        r"steuerbasisbetrag\s*(ust\.?|mwst\.?)(\s*\d+([.,]\d+)?\s*%)?",  # basis and tax on one row
        r"(btw|iva)([\s-]*(bedrag|importe))?(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"(totale\s*)?imposta(?!\s*di\s*bollo)",  # Italian: the tax ("imposta di bollo" is a stamp duty)
        r"(importe|cuota)\s*(del\s*)?iva|impuestos?",
        r"(mva|moms)(\s*\(?\d+([.,]\d+)?\s*%\)?)?",
        r"dph(\s*\(?\d+([.,]\d+)?\s*%\)?)?",  # Czech, Slovak
        # Finnish, Turkish, Hungarian, Slovenian/Croatian, Lithuanian, Greek, Russian; Chinese, Korean
        r"(alv|kdv|áfa|ddv|pdv|pvm|φπα|ндс)(?![^\W\d_])(\s*\(?\d+([.,]\d+)?\s*%\)?)?|增值税|税额|稅額|부가세|세액",
        r"(内|外)?消費税(等|額)?|税額|内税|外税",  # Japanese: consumption tax, the tax amount ("税率" is its rate)
    ],
    "total": [
        # the amount left after every row of the summary: after a discount under the gross amount
        r"final\s*(amount|total)|montant\s*final|importe\s*final",
        # Brazilian fiscal documents: the note's, the service's or the amount to receive, not the cargo's value
        # ("VALOR TOTAL DA CARGA") nor the goods' ("VALOR TOTAL DOS PRODUTOS")
        # "VALOR TOTAL DA NFS-E": a service note's
        r"valor\s*total\s*(da\s*(nota|nfs-?e|nf-?e)|a\s*(receber|pagar)|do\s*servi[çc]o|da\s*presta[çc][ãa]o)",
        r"totaa?l\s*(bedrag\s*)?(incl\.?|inclusief)\s*(btw|vat|tax|iva)",
        r"(grand\s*)?totaa?l\s*(due|amount|payable|\(?incl\.?[^:]*\)?)?" + NOT_THE_TOTAL,
        r"(importo\s*)?totale\s*(del\s*)?documento|gesamtbetrag\s*dokument",  # Italian, German e-invoices
        r"(invoice|order|rechnungs)\s*total",  # "Invoice Total: $101.00"
        r"total\s*paid(\s*(with|incl\.?|including)\s*(vat|tax(es)?|gst))?",  # "Total paid with VAT"
        r"amount\s*(due|payable)",
        r"balance\s*due",
        r"(total|montant)\s*(eur\s*|€\s*)?ttc",
        r"(rechnungs|gesamt)?(summe|betrag)\s*brutto",
        r"(gesamt|end|rechnungs|brutto)(betrag|summe)",
        r"insgesamt(?![^\W\d_])",  # German: "in all", the closing row of a letter's table ("Insgesamt 1630.30")
        r"f[äa]llige[rns]?\s*betrag",  # "Fälliger Betrag": the amount due, under any gross sum a label names
        r"(net|somme|montant|reste)\s*[àa]\s*payer",
        r"total\s*(facture|g[ée]n[ée]ral)",
        r"zu\s*zahlen(der\s*betrag)?",
        r"(rechnungs|zahl)(beitrag|betrag)",  # an insurer's invoiced premium, the amount to pay
        r"te\s*betalen|importe\s*total|total\s*(a\s*pagar|factura)|saldo\s*(adeudado|a\s*pagar|pendiente)",
        r"(sum\s*)?((å|at)\s*betale|att\s*betala)|do\s*zap[łl]aty|totale(\s*fattura)?",  # Nordic, Polish, Italian
        # Finnish, Turkish, Hungarian, Portuguese, Danish/Norwegian; Chinese, Korean
        # "LASKU YHTEENSÄ": Finnish for the invoice's total, the document's name first
        r"(maksettava\s*|lasku\s*)?yhteens[äa]|maksettava|loppusumma|(genel\s*)?toplam(?![^\W\d_])|[öo]sszesen|fizetend[őo]|"
        r"(valor|montante)\s*total(?!\s*(da\s*carga|dos\s*(produtos|servi[çc]os|tributos|itens)|aprox))|i\s*alt(?![^\W\d_])|合计|总计|總計|합계|"
        r"(γενικ[οό]\s*)?σ[υύ]νολο|итого(\s*к\s*оплате)?|всего\s*к\s*оплате",  # Greek, Russian
        r"sum\s*\(\s*gross\s*\)",  # "Sum (gross)"
        r"celkov[áa]\s*(cena|[čc][áa]stka)|celkem(\s*k\s*[úu]hrad[ěe])?|k\s*[úu]hrad[ěe]",  # Czech
        r"totaa?l" + NOT_THE_TOTAL,
        r"brutto",  # a German summary's closing row ("Netto ... MwSt ... Brutto")
        # a German till's closing sum ("SUMME EUR 6,80", "Summe: 12,40"): after every labelled total, so "Summe
        # netto", "Summe der Positionen" or "Summe MwSt" are read by their own labels first
        r"summe(?=\s*(eur|€|:|$|\d))",
        r"gross\s*amount|montant\s*brut",  # net amount + taxes = gross amount
        r"合計|お会計|ご請求額|お買上げ?金額",  # Japanese: the total, the bill, the amount billed
        # a bare "Balance" closing a statement's summary; last, so any other total label wins over it
        r"balance(?![^\W\d_])(?!\s*(brought|b/f|c/f|carried|forward))",
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


# Then every language of the lexicon (operations.invoice_lexicon: plain phrases, one rank per field, read after
# every pattern above, so what those find stays found); a seller's word alone or before a colon ("Sprzedawca:")
for _field in ("invoice_number", "invoice_date", "due_date", "subtotal", "tax", "total"):
    LABELS[_field].append(alternation(_field))
LABELS["vendor"].append(alternation("seller") + r"(?=\s*(:|$))")
