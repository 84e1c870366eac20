"""Summary rows of fields v12, on made-up pages: a tax levied in named parts, each its own row, summed
with a discount row between the subtotal and the total; the same page with a wrong total is still flagged."""

from __future__ import annotations

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_lines import _touching_spans_joined


def _spans(*lines: tuple[float, float, str]) -> list[dict]:
    return [{"text": t, "page": 1, "bbox": [x, y, x + 8 * len(t), y + 14], "source": "text_layer"} for x, y, t in lines]


def _tax_parts_page(total: str) -> list[dict]:
    """A studio's bill in rupees: three tax rows (two levied, one nil) and a discount under the subtotal."""
    return _spans(
        (80, 40, "MEERA ARTS"),
        (80, 60, "Illustration Studio"),
        (80, 100, "BILLED TO: Ravi Kumar"),
        (600, 100, "INVOICE #: MA-77"),
        (600, 120, "DATE: 03 Mar 2026"),
        (80, 200, "ITEM"),
        (500, 200, "RATE"),
        (650, 200, "QTY"),
        (800, 200, "AMOUNT"),
        (80, 230, "Poster artwork"),
        (500, 230, "Rs 750.00"),
        (650, 230, "2"),
        (800, 230, "Rs 1,500.00"),
        (500, 300, "Subtotal"),
        (800, 300, "Rs 1,500.00"),
        (500, 320, "Discount"),
        (800, 320, "Rs 100.00"),
        (500, 340, "CGST"),
        (800, 340, "Rs 126.00"),
        (500, 360, "SGST"),
        (800, 360, "Rs 126.00"),
        (500, 380, "IGST"),
        (800, 380, "Rs 0.00"),
        (500, 400, "TOTAL"),
        (800, 400, total),
    )


def test_tax_rows_of_one_tax_named_apart_are_summed_and_a_discount_between_is_taken_off() -> None:
    payload, _, _ = fields_payload(_tax_parts_page("Rs 1,652.00"), [])  # 1,500 - 100 + 126 + 126 + 0
    assert payload["doc_type"] == "invoice"
    assert payload["fields"]["tax"]["value"] == "252.00"
    assert payload["fields"]["subtotal"]["value"] == "1500.00"
    assert payload["verification"]["status"] == "verified", payload["verification"]


def test_the_same_page_with_a_wrong_total_is_still_a_conflict() -> None:
    payload, _, _ = fields_payload(_tax_parts_page("Rs 1,752.00"), [])
    assert payload["verification"]["status"] == "conflict"
    assert "subtotal_plus_tax_is_total" in [f["rule"] for f in payload["verification"]["failed"]]


def test_federal_and_provincial_sales_taxes_are_summed() -> None:
    payload, _, _ = fields_payload(
        _spans(
            (80, 40, "Northern Pine Supply Ltd."),
            (600, 40, "INVOICE"),
            (600, 70, "Invoice No: 4410"),
            (600, 90, "Invoice Date: 2026-05-02"),
            (500, 300, "Subtotal"),
            (800, 300, "$200.00"),
            (500, 320, "GST 5%"),
            (800, 320, "$10.00"),
            (500, 340, "PST 7%"),
            (800, 340, "$14.00"),
            (500, 360, "Total"),
            (800, 360, "$224.00"),
        ),
        [],
    )
    assert payload["fields"]["tax"]["value"] == "24.00"
    assert payload["verification"]["status"] == "verified", payload["verification"]


def test_a_tax_row_and_its_total_row_are_one_tax_not_two() -> None:
    payload, _, _ = fields_payload(
        _spans(
            (80, 40, "Atelier Nord"),
            (600, 40, "INVOICE"),
            (600, 70, "Invoice No: 88"),
            (500, 300, "Subtotal"),
            (800, 300, "100.00 EUR"),
            (500, 320, "VAT 20%"),
            (800, 320, "20.00 EUR"),
            (500, 340, "Total VAT"),
            (800, 340, "20.00 EUR"),
            (500, 360, "Total"),
            (800, 360, "120.00 EUR"),
        ),
        [],
    )
    assert payload["fields"]["tax"]["value"] == "20.00"
    assert payload["verification"]["status"] == "verified", payload["verification"]


def _net_then_gross_page(gross: str) -> list[dict]:
    """A German rendering's summary: the same total label twice, the net sum over the tax row and the
    gross sum under it, then a tax breakdown that repeats the label."""
    return _spans(
        (80, 40, "Rechnung"),
        (80, 100, "Rechnungsnummer:"),
        (300, 100, "R-5521"),
        (80, 130, "Rechnungsdatum:"),
        (300, 130, "02.04.2026"),
        (80, 300, "Summe aller Positionen"),
        (1000, 300, "840,00"),
        (80, 330, "Gesamtsumme"),
        (1000, 330, "840,00"),
        (80, 360, "Summe Umsatzsteuer"),
        (1000, 360, "159,60"),
        (80, 390, "Gesamtsumme"),
        (1000, 390, gross),
        (80, 480, "Aufschlüsselung der Umsatzsteuer"),
        (80, 510, "Gesamtsumme"),
        (1000, 510, "840,00"),
    )


def test_a_total_row_over_the_tax_is_the_net_sum_and_the_one_under_it_the_total() -> None:
    payload, _, _ = fields_payload(_net_then_gross_page("999,60"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["subtotal"], values["tax"], values["total"]) == ("840.00", "159.60", "999.60")
    assert payload["verification"]["status"] == "verified", payload["verification"]


def test_a_wrong_gross_sum_under_the_tax_is_flagged() -> None:
    payload, _, _ = fields_payload(_net_then_gross_page("1.000,00"), [])
    assert payload["fields"]["total"]["value"] == "1000.00"
    assert payload["verification"]["status"] == "conflict"


def _statement_page(balance: str) -> list[dict]:
    """A shop's statement: "Total" heads the amount column; the summary closes with a bare "Balance"."""
    return _spans(
        (20, 100, "Harbour Lights Ltd"),
        (860, 100, "Statement No:"),
        (1040, 100, "S-3091"),
        (860, 130, "Statement Date: 14/06/2026"),
        (300, 200, "Item"),
        (640, 200, "Quantity"),
        (810, 200, "Unit Price"),
        (1070, 200, "Total"),
        (280, 240, "Brass lantern"),
        (670, 240, "3"),
        (820, 240, "£40.00"),
        (1060, 240, "£120.00"),
        (1000, 320, "Subtotal"),
        (1140, 320, "£120.00"),
        (1000, 350, "VAT 20%"),
        (1140, 350, "£24.00"),
        (1000, 380, "Balance"),
        (1130, 380, balance),
    )


def test_a_statement_is_numbered_and_dated_and_its_balance_under_the_tax_is_the_total() -> None:
    payload, _, _ = fields_payload(_statement_page("£144.00"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["invoice_number"], values["invoice_date"]) == ("S-3091", "2026-06-14")
    assert values["total"] == "144.00"
    assert payload["verification"]["status"] == "verified", payload["verification"]


def test_a_wrong_balance_on_a_statement_is_flagged() -> None:
    payload, _, _ = fields_payload(_statement_page("£154.00"), [])
    assert payload["fields"]["total"]["value"] == "154.00"
    assert payload["verification"]["status"] == "conflict"


def test_the_seller_is_the_name_captioned_in_the_seller_section_not_the_buyer_before_it() -> None:
    payload, _, _ = fields_payload(
        _spans(
            (120, 40, "Hinweise zur Darstellung dieser Rechnung"),
            (130, 180, "Informationen zum Käufer"),
            (130, 230, "Firmenname:"),
            (300, 228, "Bergmann Logistik KG"),
            (130, 490, "Informationen zum Verkäufer"),
            (130, 540, "Firmenname:"),
            (300, 538, "Weber Holzbau GmbH"),
            (130, 580, "Ort:"),
            (300, 578, "Kassel"),
            (130, 810, "Rechnungsnummer:"),
            (300, 810, "WH-2026-14"),
            (130, 1000, "Summe Umsatzsteuer"),
            (1100, 1000, "38,00"),
            (130, 1030, "Fälliger Betrag"),
            (1100, 1030, "238,00"),
        ),
        [],
    )
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert values["vendor"] == "Weber Holzbau GmbH"
    assert values["total"] == "238.00"  # "Fälliger Betrag": the amount due


def _unknown_row_page(total: str) -> list[dict]:
    return _spans(
        (80, 40, "Lakeside Print Co."),
        (600, 40, "INVOICE"),
        (600, 70, "Invoice No: 310"),
        (500, 300, "Subtotal"),
        (800, 300, "$100.00"),
        (500, 320, "Stamp duty"),
        (800, 320, "$3.37"),  # no whole or half percent of the subtotal: no tax the arithmetic finds
        (500, 340, "Total"),
        (800, 340, total),
    )


def test_a_row_no_label_reads_between_subtotal_and_total_makes_it_unverifiable_not_a_conflict() -> None:
    payload, _, _ = fields_payload(_unknown_row_page("$103.37"), [])
    assert "tax" not in payload["fields"]
    assert payload["verification"]["status"] == "unverifiable", payload["verification"]
    assert payload["disposition"] == "human_review"  # unverifiable still goes to a person


def test_without_such_a_row_a_total_that_does_not_add_up_stays_a_conflict() -> None:
    page = [span for span in _unknown_row_page("$103.37") if span["text"] not in ("Stamp duty", "$3.37")]
    payload, _, _ = fields_payload(page, [])
    assert payload["verification"]["status"] == "conflict"


def test_a_label_the_text_layer_drew_in_overlapping_pieces_reads_whole() -> None:
    def piece(text: str, x0: float, x1: float, y: float) -> dict:
        return {"text": text, "page": 1, "bbox": [x0, y, x1, y + 15], "source": "text_layer"}

    spans = [
        piece("SUNIL PATEL", 500, 680, 40),
        piece("INV", 889, 928, 100),
        piece("OICE NO", 929, 1017, 100),  # a piece starting where the last ends
        piece(": Q", 1020, 1029, 100),
        piece("Q-88", 1028, 1120, 100),  # the "Q" drawn twice where the pieces overlap
        piece("Purchase Order", 100, 240, 160),
        piece("valid until 2026-05-01", 240, 420, 160),  # two words that touch stay two
        piece("Subtotal", 600, 700, 300),
        piece("₹ 100.00", 900, 1000, 300),
        piece("TOTAL", 600, 700, 330),
        piece("₹ 100.00", 900, 1000, 330),
    ]
    texts = [span["text"] for span in _touching_spans_joined(spans)]
    assert "INVOICE NO" in texts and ": Q-88" in texts  # ": Q" | "Q-88": a gap after "NO", a space
    assert "Purchase Order" in texts and "valid until 2026-05-01" in texts
