"""Fields v22: the number in a letter's subject line; figures whose marks a text layer sets apart (a German decimal
comma as its own span, a Swiss thousands prime after a space); "Insgesamt" closing a letter's table, so a wrong
subtotal conflicts; a pro forma is none; a quantity x unit price a line's words state checked against its row's
amount; and till receipts in layouts of our own (tests/receipt_layouts.py), read from a real PDF's text layer and
from OCR of its scan: fields found, the consistent ones verified, each one printed wrong flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mm_assets.kinds.fields import FIELDS_VERSION, fields_payload
from mm_assets.kinds.ocr import spans_to_json
from mm_assets.operations.document_pages import scanned
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_receipts import Payment, payment_holds
from mm_assets.operations.invoice_values import Found
from resources.text_layer import read_text_layer
from tests.receipt_layouts import Receipt, consistent_receipts, receipt_pdf, wrong_receipts


def _spans(*lines: tuple[float, float, str]) -> list[dict]:
    return [{"text": t, "page": 1, "bbox": [x, y, x + 8 * len(t), y + 14], "source": "text_layer"} for x, y, t in lines]


def _read(*lines: tuple[float, float, str]) -> dict:
    found = extract_fields(_spans(*lines), [])
    return {"doc_type": found["doc_type"], **{name: f.value for name, f in found["fields"].items()}}


def _payload(spans: list[dict]) -> dict:
    payload, _, _ = fields_payload(spans, [])
    return payload


def test_the_version_is_22() -> None:
    assert FIELDS_VERSION == "22"


# A letter of the isodoc kind: the sender's block, the date under its caption, the number only in the subject line
LETTER = ((60, 40, "Harrow & Vale Surveying Ltd"), (600, 120, "Date"), (600, 140, "27th November 2026"))
SUMMARY = ((60, 400, "Subtotal"), (800, 400, "1400.00"), (60, 420, "VAT 20 %"), (800, 420, "280.00"),
           (60, 440, "Total"), (800, 440, "1680.00"))  # fmt: skip


def test_the_number_after_the_documents_kind_in_a_subject_line() -> None:
    for subject, number in (
        ("Subject: Invoice HV-2026-0931", "HV-2026-0931"),
        ("Betreff: Rechnung Nr. 2026-1102", "2026-1102"),
        ("Objet : Facture FA-2026-312", "FA-2026-312"),
        ("Onderwerp: Factuur 2026-118", "2026-118"),
        ("Asunto:Factura2026-0210", "2026-0210"),  # OCR without its spaces
    ):
        values = _read(*LETTER, (60, 200, subject), *SUMMARY)
        assert values["invoice_number"] == number, subject


def test_a_year_or_a_date_after_the_kind_is_no_number() -> None:
    for subject in ("Subject: Invoice 2026", "Betreff: Rechnung 24.11.2026"):
        values = _read(*LETTER, (60, 200, subject), *SUMMARY)
        assert "invoice_number" not in values, subject


def _german_row(y: float, label: str, whole: str, cents: str) -> list[dict]:
    """invoice2's German row: the label, the whole units, the decimal comma as its own lower span, the cents, EUR."""
    x = 890.0 - 9 * len(whole)
    return [
        {"text": label, "page": 1, "bbox": [700, y, 860, y + 20], "source": "text_layer"},
        {"text": whole, "page": 1, "bbox": [x, y + 1, 935, y + 16], "source": "text_layer"},
        {"text": ",", "page": 1, "bbox": [938, y + 14, 941, y + 20], "source": "text_layer"},
        {"text": cents, "page": 1, "bbox": [947, y + 1, 968, y + 16], "source": "text_layer"},
        {"text": "EUR", "page": 1, "bbox": [974, y, 1022, y + 16], "source": "text_layer"},
    ]


def test_a_decimal_comma_set_as_its_own_span_is_put_back_in_each_figure() -> None:
    spans = _spans((150, 40, "Rechnung"), (150, 80, "Rechnungsnummer: RE-2026-1187"))
    spans += _german_row(680, "Nettobetrag", "1 626", "00") + _german_row(708, "USt", "308", "94")
    spans += _german_row(736, "Gesamtbetrag", "1 934", "94")
    payload = _payload(spans)
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["subtotal"], values["tax"], values["total"]) == ("1626.00", "308.94", "1934.94")
    assert payload["verification"]["status"] == "verified"


def test_swiss_thousands_marks_set_apart_and_francs_by_their_abbreviation() -> None:
    values = _read((150, 40, "Rechnung"), (150, 80, "Rechnung Nr.: 2026-0456"), (700, 650, "Nettobetrag 1 ′200.00 CHF"),
                   (700, 680, "USt 97.20 CHF"), (700, 710, "Gesamtbetrag 1 ′297.20 CHF"))  # fmt: skip
    assert (values["subtotal"], values["tax"], values["total"]) == (Decimal("1200.00"), Decimal("97.20"),
                                                                    Decimal("1297.20"))  # fmt: skip
    values = _read((150, 40, "Rechnung"), (150, 80, "Rechnung Nr.: 7"), (600, 700, "Total Fr. 1'234.50"))
    assert values["total"] == Decimal("1234.50") and values["currency"] == "CHF"


def test_insgesamt_closes_the_table_so_a_wrong_subtotal_conflicts() -> None:
    rows = [(60, 40, "Elbmarsch Gartenbau GmbH"), (60, 200, "Betreff: Rechnung Nr. 2026-1102"),
            (60, 300, "Heckenschnitt Oktober"), (800, 300, "800.00"), (60, 320, "Laubbeseitigung"),
            (800, 320, "450.00"), (60, 340, "Entsorgung Grünschnitt"), (800, 340, "120.00"),
            (60, 370, "Zwischensumme"), (800, 370, "1307.00"), (60, 390, "USt 19 %"), (800, 390, "260.30"),
            (60, 410, "Insgesamt"), (800, 410, "1630.30")]  # fmt: skip
    payload = _payload(_spans(*rows))
    assert payload["fields"]["total"]["value"] == "1630.30"
    assert payload["verification"]["status"] == "conflict"
    right = [row if row[2] != "1307.00" else (800, 370, "1370.00") for row in rows]
    assert _payload(_spans(*right))["verification"]["status"] == "verified"


def test_a_pro_forma_is_none_by_its_title_or_its_own_words() -> None:
    body = ((60, 300, "Net Total 716.00 GBP"), (60, 320, "VAT 143.20 GBP"), (60, 340, "Gross Total 859.20 GBP"))
    assert _read((60, 40, "Halyard Audio Ltd"), (60, 100, "Pro Forma Invoice"), *body)["doc_type"] == "other"
    assert _read((60, 40, "Halyard Audio Ltd"), (60, 100, "PROFORMA INVOICE"), *body)["doc_type"] == "other"
    said = (60, 400, "This document is not a demand for payment.")
    assert _read((60, 40, "Halyard Audio Ltd"), (60, 100, "Invoice"), *body, said)["doc_type"] == "other"
    assert _read((60, 40, "Halyard Audio Ltd"), (60, 100, "Invoice"), *body)["doc_type"] == "invoice"


def test_a_quantity_times_price_a_line_states_must_make_its_rows_amount() -> None:
    def status(first: str, amount: str) -> dict:
        rows = [(60, 40, "Taller Albaicín S.L."), (60, 200, "Asunto: Factura 2026-0210"), (60, 300, first),
                (800, 300, amount), (60, 320, "Barniz y materiales"), (800, 320, "160.00"),
                (60, 350, "Base imponible"), (800, 350, "1400.00"), (60, 370, "IVA 21 %"), (800, 370, "294.00"),
                (60, 390, "Total"), (800, 390, "1694.00")]  # fmt: skip
        return _payload(_spans(*rows))["verification"]

    wrong = status("Restauración de puertas, 12 h a 95.00", "1240.00")
    assert wrong["status"] == "conflict"
    assert [(f["rule"], f["expected"], f["found"]) for f in wrong["failed"]] == [
        ("quantity_x_unit_price", "1140.00", "1240.00")
    ]
    assert len(wrong["failed"][0]["boxes"]) == 2  # the statement and the amount that disagree
    assert status("Restauración de puertas, 13 h a 95.00", "1240.00")["status"] == "conflict"
    assert status("Restauración de puertas, 8 h a 155.00", "1240.00")["status"] == "verified"


def test_a_change_off_by_more_than_cash_rounding_conflicts_by_currency() -> None:
    paid = Payment(Found(Decimal("20.00"), 1, [0, 0, 1, 1], 0.7), Found(Decimal("1.75"), 1, [0, 0, 1, 1], 0.7))
    assert payment_holds(Decimal("18.25"), paid, "GBP")
    assert not payment_holds(Decimal("18.45"), paid, "GBP")  # 20.00 - 18.45 is 1.55, not 1.75
    assert payment_holds(Decimal("18.27"), paid, "CHF")  # paid to five centimes
    assert payment_holds(Decimal("18.45"), paid, "SEK")  # paid to the whole crown


def _receipt_payload(receipt: Receipt, scan: bool = False) -> dict:
    pdf = receipt_pdf(receipt)
    if scan:
        from resources.ocr import OcrRunner

        _, pages = scanned(pdf, skew=0.6, grain=4.0, grain_seed=22)
        found = OcrRunner().recognize_pages(list(enumerate(pages, start=1)))
        spans = spans_to_json([span for page in found for span in page])
    else:
        spans = spans_to_json([span for plan in read_text_layer(pdf, 150) for span in plan.spans])
    return _payload(spans)


@pytest.mark.parametrize("receipt", consistent_receipts(), ids=lambda r: r.name)
def test_a_till_receipt_yields_its_fields_and_verifies(receipt: Receipt) -> None:
    payload = _receipt_payload(receipt)
    assert payload["doc_type"] == "receipt"
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert {name: values.get(name) for name in receipt.truth} == receipt.truth
    assert payload["verification"]["status"] == "verified", payload["verification"]


@pytest.mark.parametrize("receipt", wrong_receipts(), ids=lambda r: r.name)
def test_a_till_receipt_printed_wrong_is_flagged(receipt: Receipt) -> None:
    payload = _receipt_payload(receipt)
    assert payload["doc_type"] == "receipt"
    assert payload["verification"]["status"] == "conflict"
    assert payload["disposition"] == "human_review"
    assert all(failure["boxes"] for failure in payload["verification"]["failed"])


def test_a_scanned_till_receipt_yields_its_total_and_flags_a_wrong_line() -> None:
    right, wrong = consistent_receipts()[0], wrong_receipts()[0]
    payload = _receipt_payload(right, scan=True)
    assert payload["doc_type"] == "receipt"
    assert payload["fields"]["total"]["value"] == right.truth["total"]
    assert payload["verification"]["status"] != "conflict"
    assert _receipt_payload(wrong, scan=True)["verification"]["status"] == "conflict"


def test_a_receipt_dated_at_its_foot() -> None:
    bakery = consistent_receipts()[1]
    payload = _receipt_payload(bakery)
    assert payload["fields"]["invoice_date"]["value"] == date(2026, 12, 4).isoformat()


def test_the_due_date_of_the_transfer_a_sentence_asks_for() -> None:
    sentence = "Bitte überweisen Sie den Gesamtbetrag bis zum 02.12.2026 auf unser Konto bei der Sparkasse"
    values = _read((150, 40, "Rechnung"), (150, 80, "Rechnungsdatum: 18.11.2026"), (60, 600, sentence), *SUMMARY)
    assert values["due_date"] == date(2026, 12, 2)


def _till_rows(*rows: str) -> list[dict]:
    """A till's PDF that sets each row as one run of text, its amount padded to the right edge with spaces."""
    return [
        {"text": row, "page": 1, "bbox": [30, 40 + 20 * i, 30 + 7.2 * len(row), 54 + 20 * i], "source": "text_layer"}
        for i, row in enumerate(rows)
        if row
    ]


def _row(left: str, right: str = "") -> str:
    return left + " " * (36 - len(left) - len(right)) + right


def test_a_till_row_of_one_run_each_deposit_returns_and_a_product_line_in_the_column() -> None:
    rows = ("   Getränkemarkt Hahn", "   Bahnhofstr. 4", "   34117 Kassel", "", _row("Beleg-Nr. 20931"),
            _row("04.12.26 17:55"), _row("Apfelschorle 6x1,0l", "5,94 B"), _row("  2 x 2,97"), _row("Pfand", "3,00 A"),
            _row("Leergut", "-1,50 A"), _row("Summe", "EUR 7,44"), _row("Gegeben Bar", "10,00"),
            _row("Rückgeld", "2,56"), _row("MwSt%   Netto   MwSt  Brutto"), _row("A= 19,00%  1,26  0,24  1,50"),
            _row("B= 7,00%  5,55  0,39  5,94"))  # fmt: skip
    payload = _payload(_till_rows(*rows))
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert payload["doc_type"] == "receipt"
    assert values == {"invoice_number": "20931", "invoice_date": "2026-12-04", "vendor": "Getränkemarkt Hahn",
                      "currency": "EUR", "subtotal": "6.81", "tax": "0.63", "total": "7.44"}  # fmt: skip
    assert payload["verification"]["status"] == "verified"
    wrong = [row.replace("3,00 A", "3,50 A") for row in rows]  # the deposit printed wrong: the items make 7,94
    assert _payload(_till_rows(*wrong))["verification"]["status"] == "conflict"


def test_a_chains_store_number_is_not_its_name_and_a_debit_paying_the_total_makes_a_receipt() -> None:
    rows = ("     QUICKMART #0457", "   1200 Elm Street", "   Austin, TX 78701", "", _row("Dec 4, 2026  06:12 PM"),
            _row("TRANS# 88213  REG 2"), _row("GATORADE 28OZ", "2.49"), _row("CHIPS BBQ", "1.99"),
            _row("2 @ 0.99  BANANA", "1.98"), _row("SUBTOTAL", "6.46"), _row("TAX 8.25%", "0.53"),
            _row("TOTAL", "$6.99"), _row("DEBIT", "$6.99"))  # fmt: skip
    payload = _payload(_till_rows(*rows))
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert payload["doc_type"] == "receipt" and payload["verification"]["status"] == "verified"
    assert (values["vendor"], values["invoice_number"], values["total"]) == ("QUICKMART", "88213", "6.99")


def test_a_count_headed_amount_left_of_its_item_and_gross_line_prices_raise_no_conflict() -> None:
    from mm_assets.operations.invoice_items import heading_columns

    header = ["Amount", "Item", "VAT", "UnitPrice", "Price"]  # invoice2's English table: "Amount" is the count
    assert heading_columns(header) == {"quantity": 0, "description": 1, "unit_price": 3, "amount": 4}
    table = {"page": 1, "bbox": [200, 550, 1050, 760], "cells": [],
             "rows": [header, ["2", "Studio headset HX-40, returned", "20%", "64.00GBP", "153.60GBP"],
                      ["1", "Carriage charged on INV-2026-388", "20%", "45.00GBP", "54.00GBP"]]}  # fmt: skip
    spans = _spans((170, 380, "Credit Note"), (170, 430, "Credit Note No.: CN-2026-019"),
                   (780, 660, "Net Total 173.00 GBP"), (840, 690, "VAT 34.60 GBP"),
                   (760, 720, "Gross Total 207.60 GBP"))  # fmt: skip
    payload, _, _ = fields_payload(spans, [table])
    assert payload["verification"]["status"] != "conflict"
    assert [item["amount"]["value"] for item in payload["line_items"]] == ["153.60", "54.00"]


def test_a_legal_form_ocr_glued_to_a_spaced_name_is_set_apart() -> None:
    from mm_assets.operations.invoice_fields import _legal_form_apart

    assert _legal_form_apart("Harrow &ValeSurveyingLtd") == "Harrow &ValeSurveying Ltd"
    assert _legal_form_apart("Atelier GaranceSARL") == "Atelier Garance SARL"
    assert _legal_form_apart("Visa Europe") == "Visa Europe"


def test_a_due_date_ocr_glued_to_its_bis_zum() -> None:
    sentence = "BitteiberweisenSiedenGesamtbetragbiszum02.12.2026aufunserKonto"
    values = _read((150, 40, "Rechnung"), (150, 80, "Rechnungsdatum: 18.11.2026"), (60, 600, sentence), *SUMMARY)
    assert values["due_date"] == date(2026, 12, 2)
