"""Till receipts in layouts of our own (written for fields v22's tests, no receipt of a blind set seen): a narrow
roll of paper, the shop over its address, items with their amounts at the right edge, a product line ("2 x 3.50")
over or under its item, the total, the cash handed over and the change, and a table of the tax by rate. Six
shops in five countries' habits; each can be printed right or with one figure wrong.

`receipt_pdf` draws one as a born-digital PDF (a text layer, like a till's PDF copy); `document_pages.scanned` turns
it into a scan where a test wants OCR's reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mm_assets.operations.document_pages import Text, born_digital

ROLL = (226.0, 520.0)  # an 80 mm till roll, in points
LEFT, RIGHT = 12.0, 214.0
SIZE = 8.0
ROW = 11.0


@dataclass(frozen=True)
class Receipt:
    """A receipt's rows (left text, right text), top to bottom, and what a correct reading says."""

    name: str
    rows: tuple[tuple[str, str], ...]
    truth: dict[str, str]
    wrong: str | None = None  # the rule a correct verification fails, where a figure is printed wrong
    heading_rows: int = 4  # the first rows, centred and in bold: the shop's name and address
    extra: tuple[Text, ...] = field(default_factory=tuple)


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as a one-page PDF on a till roll: left texts at the left margin, right texts ending at the
    right margin (Helvetica's figures are half a size wide), the heading rows centred."""
    elements: list[Text] = []
    y = 14.0
    for index, (left, right) in enumerate(receipt.rows):
        heading = index < receipt.heading_rows
        if heading:
            width, size = 0.55 * SIZE * len(left), SIZE + (2 if index == 0 else 0)
            elements.append(Text(max(LEFT, (ROLL[0] - width) / 2), y, left, size, index == 0))
        else:
            if left:
                elements.append(Text(LEFT, y, left, SIZE))
            if right:
                elements.append(Text(RIGHT - 0.556 * SIZE * len(right), y, right, SIZE))
        y += ROW + (4 if index == 0 else 0)
    return born_digital([[*elements, *receipt.extra]], size=ROLL)


def _grocer(line_amount: str = "2.40", total: str = "18.25") -> Receipt:
    """A British grocer: prices with VAT in, a VAT table under the payment (rate, net, VAT, gross)."""
    rows = (
        ("GREENLEAF MARKET", ""),
        ("12 Harbour Road", ""),
        ("Bristol BS1 4DJ", ""),
        ("VAT No. GB 284 5521 90", ""),
        ("Date: 04/12/2026 14:32", ""),
        ("Receipt No. 0042-1187", ""),
        ("Oat milk", "1.85"),
        ("Bananas", line_amount),
        ("  3 x 0.80", ""),
        ("Coffee beans", "14.00"),
        ("  2 x 7.00", ""),
        ("TOTAL GBP", total),
        ("CASH", "20.00"),
        ("CHANGE", "1.75"),
        ("VAT RATE   NET   VAT   GROSS", ""),
        ("A 20%   15.21   3.04", "18.25"),
        ("Thank you for shopping with us", ""),
    )
    truth = {"vendor": "GREENLEAF MARKET", "invoice_date": "2026-12-04", "currency": "GBP", "total": "18.25"}
    wrong = None if (line_amount, total) == ("2.40", "18.25") else "wrong"
    return Receipt("grocer_gb", rows, truth, wrong)


def _bakery(coffee: str = "2,80", change: str = "3,20", croissant: str = "1,90") -> Receipt:
    """A German bakery's Kassenbon: amounts with a decimal comma and their tax class letter, the product line
    under its item, "SUMME EUR", "BAR", "RÜCKGELD" and a MwSt table with a row per rate."""
    rows = (
        ("Bäckerei Sonnenkorn", ""),
        ("Lindenstraße 8", ""),
        ("10969 Berlin", ""),
        ("St.-Nr. 29/514/60211", ""),
        ("Kaffee Crema", f"{coffee} A"),
        ("Croissant", f"{croissant} A"),
        ("Brötchen", "2,10 B"),
        ("  3 Stk x 0,70", ""),
        ("SUMME EUR", "6,80"),
        ("BAR", "10,00"),
        ("RÜCKGELD", change),
        ("MwSt  Netto  Steuer  Brutto", ""),
        ("A 19%  3,95  0,75", "4,70"),
        ("B 7%  1,96  0,14", "2,10"),
        ("04.12.2026 08:15  Bon-Nr. 4711", ""),
        ("Vielen Dank für Ihren Einkauf", ""),
    )
    truth = {"vendor": "Bäckerei Sonnenkorn", "invoice_date": "2026-12-04", "currency": "EUR", "total": "6.80"}
    wrong = None if (coffee, change, croissant) == ("2,80", "3,20", "1,90") else "wrong"
    return Receipt("bakery_de", rows, truth, wrong)


def _cafe(product: str = "2 x 2,50", total: str = "11,30") -> Receipt:
    """A French café's ticket: the product line over its item's amount, "TOTAL TTC", "ESPECES", "RENDU" and a TVA
    line per rate (HT, TVA, TTC)."""
    rows = (
        ("CAFE DU PORT", ""),
        ("3 quai de la Fosse", ""),
        ("44000 Nantes", ""),
        ("SIRET 512 884 203 00017", ""),
        ("Ticket 0918   Table 4", ""),
        ("Le 04/12/2026 à 12:47", ""),
        ("Espresso", "5,00"),
        (f"  {product}", ""),
        ("Croque-monsieur", "6,30"),
        ("TOTAL TTC", f"{total} €"),
        ("ESPECES", "20,00"),
        ("RENDU", "8,70"),
        ("TVA 10%  HT 10,27  TVA 1,03", "11,30"),
        ("Merci de votre visite", ""),
    )
    truth = {"vendor": "CAFE DU PORT", "invoice_date": "2026-12-04", "currency": "EUR", "total": "11.30"}
    wrong = None if (product, total) == ("2 x 2,50", "11,30") else "wrong"
    return Receipt("cafe_fr", rows, truth, wrong)


def _hardware(nails: str = "7.47", total: str = "21.74") -> Receipt:
    """An American hardware store: items as "qty @ price" on their own row with the amount, a subtotal, the sales
    tax added at its rate, the total, cash and change."""
    rows = (
        ("CORNER HARDWARE", ""),
        ("415 Main St", ""),
        ("Springfield, IL 62701", ""),
        ("(217) 555-0142", ""),
        ("12/04/2026  4:05 PM   #00318", ""),
        ("CLAW HAMMER  1 @ 12.99", "12.99"),
        ("WOOD NAILS  3 @ 2.49", nails),
        ("SUBTOTAL", "20.46"),
        ("SALES TAX 6.25%", "1.28"),
        ("TOTAL", f"${total}"),
        ("CASH", "25.00"),
        ("CHANGE", "3.26"),
        ("THANK YOU FOR SHOPPING LOCAL", ""),
    )
    truth = {
        "vendor": "CORNER HARDWARE",
        "invoice_date": "2026-12-04",
        "currency": "USD",
        "subtotal": "20.46",
        "tax": "1.28",
        "total": total,
    }
    wrong = None if (nails, total) == ("7.47", "21.74") else "wrong"
    return Receipt("hardware_us", rows, truth, wrong)


def _diner(tax: str = "1.64", tip_line: str = "Tip ________") -> Receipt:
    """An American diner's check paid by card: no receipt word, no change, a card row repeating the total under it
    with the card's number masked; the sales tax at a rate that is no whole or half percent (8.875 %)."""
    rows = (
        ("LUCKY STAR DINER", ""),
        ("88 Ocean Ave", ""),
        ("Brooklyn, NY 11225", ""),
        ("Server: Maria   Table 12", ""),
        ("Check #1043", ""),
        ("11/28/2026 7:41 PM", ""),
        ("2 Pancakes", "$15.98"),
        ("1 Coffee", "$2.50"),
        ("Subtotal", "$18.48"),
        ("Tax", f"${tax}"),
        ("Total", "$20.12"),
        ("VISA ****4421", "$20.12"),
        (tip_line, ""),
    )
    truth = {
        "invoice_number": "1043",
        "invoice_date": "2026-11-28",
        "vendor": "LUCKY STAR DINER",
        "currency": "USD",
        "subtotal": "18.48",
        "tax": tax,
        "total": "20.12",
    }
    return Receipt("diner_us", rows, truth, None if tax == "1.64" else "wrong", heading_rows=3)


def _bar(rest: str = "2,30") -> Receipt:
    """An Italian bar's "documento commerciale" (the receipt's legal name): the VAT it holds ("di cui IVA"), cash
    ("PAGAMENTO CONTANTE") and change ("RESTO"), the date at the foot."""
    rows = (
        ("BAR CENTRALE SNC", ""),
        ("Via Roma 21", ""),
        ("20121 Milano", ""),
        ("P.IVA 01234567890", ""),
        ("DOCUMENTO COMMERCIALE", ""),
        ("di vendita o prestazione", ""),
        ("DESCRIZIONE   IVA   Prezzo(€)", ""),
        ("CAPPUCCINO  10%", "1,50"),
        ("BRIOCHE  10%", "1,20"),
        ("TOTALE COMPLESSIVO", "2,70"),
        ("PAGAMENTO CONTANTE", "5,00"),
        ("RESTO", rest),
        ("04-12-2026 09:12", ""),
    )
    truth = {"vendor": "BAR CENTRALE SNC", "invoice_date": "2026-12-04", "currency": "EUR", "total": "2.70"}
    return Receipt("bar_it", rows, truth, None if rest == "2,30" else "wrong")


def consistent_receipts() -> list[Receipt]:
    return [_grocer(), _bakery(), _cafe(), _hardware(), _diner(), _bar()]


def wrong_receipts() -> list[Receipt]:
    """Each shop's receipt with one figure printed wrong: a product line, the total, the change."""
    return [
        _grocer(line_amount="2.60", total="18.45"),  # 3 x 0.80 printed 2.60, the total summing it
        _bakery(change="3,70"),  # 10,00 - 6,80 is 3,20
        _bakery(croissant="1,60"),  # the items sum to 6,50, the total 6,80 is theirs as priced
        _cafe(product="2 x 2,70"),  # 2 x 2,70 is 5,40, the row prints 5,00
        _hardware(total="22.74"),  # 20.46 + 1.28 is 21.74
        _diner(tax="1.46"),  # 18.48 + 1.46 is 19.94, the total 20.12
        _bar(rest="2,80"),  # 5,00 - 2,70 is 2,30
    ]
