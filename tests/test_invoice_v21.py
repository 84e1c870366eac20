"""Fields v21: a column's caption naming the currency in brackets ("Betrag (Euro)"); a page that says it is no
invoice ("Diese Auftragsbestätigung ist keine Rechnung."); a due date after the payment's noun in running text
("Paiement à 30 jours, au plus tard le 1er janvier 2027")."""

from __future__ import annotations

from datetime import date

from mm_assets.operations.invoice_fields import extract_fields


def _read(*lines: tuple[float, float, str]) -> dict:
    spans = [
        {"text": t, "page": 1, "bbox": [x, y, x + 8 * len(t), y + 14], "source": "text_layer"} for x, y, t in lines
    ]
    found = extract_fields(spans, [])
    return {"doc_type": found["doc_type"], **{name: f.value for name, f in found["fields"].items()}}


TOTALS = ((300, 400, "Total"), (800, 400, "100.00"), (60, 1000, "Thank you"))


def test_a_currency_named_in_brackets_in_a_column_caption_is_the_documents() -> None:
    for caption, code in (("Betrag (Euro)", "EUR"), ("Cantidad(Euro)", "EUR"), ("Amount (US dollars)", "USD")):
        values = _read((900, 40, "Rechnung"), (60, 300, f"Aktivität Anzahl {caption}"), *TOTALS)
        assert values["currency"] == code, caption


def test_a_bracketed_word_that_is_no_currency_names_none() -> None:
    for caption in ("Betrag (Europa)", "Amount (net)"):
        values = _read((900, 40, "Rechnung"), (60, 300, caption), *TOTALS)
        assert "currency" not in values, caption


def test_a_page_that_says_it_is_no_invoice_is_none_even_as_ocr_glues_it() -> None:
    for sentence in ("Diese Auftragsbestätigung ist keine Rechnung.", "DieseAuftragsbestätigungistkeineRechnung.",
                     "This is not an invoice."):  # fmt: skip
        values = _read((60, 40, "Bestätigung Nr. AB-1"), (300, 380, "Summe 100.00"), (60, 900, sentence), *TOTALS)
        assert values["doc_type"] == "other", sentence


def test_an_invoice_mentioning_another_invoice_or_a_tax_invoice_stays_one() -> None:
    for sentence in ("Bitte geben Sie die Rechnung Nr. 1 an.", "This is not a tax invoice."):
        values = _read((60, 40, "Rechnung Nr. 1"), (300, 380, "Summe 100.00"), (60, 900, sentence), *TOTALS)
        assert values["doc_type"] == "invoice", sentence


def test_a_due_date_after_the_payments_noun_in_running_text() -> None:
    for sentence, due in (
        ("Paiement à 30 jours, au plus tard le 1er janvier 2027, par virement.", date(2027, 1, 1)),
        ("Forma de pago: transferencia bancaria antes del 26 de diciembre de 2026.", date(2026, 12, 26)),
    ):
        values = _read((900, 40, "Facture"), (60, 20, "Lyon, le 2 décembre 2026"), (60, 600, sentence), *TOTALS)
        assert values["due_date"] == due, sentence


def test_payment_terms_without_a_date_give_no_due_date() -> None:
    values = _read((900, 40, "Fattura"), (60, 600, "Pagamento a 30 giorni data fattura mediante bonifico."), *TOTALS)
    assert "due_date" not in values


def _verify(*lines: tuple[float, float, str]) -> dict:
    from mm_assets.kinds.fields import fields_payload

    spans = [
        {"text": t, "page": 1, "bbox": [x, y, x + 8 * len(t), y + 14], "source": "text_layer"} for x, y, t in lines
    ]
    payload, _, _ = fields_payload(spans, [])
    return payload


def test_an_expense_outside_the_tax_printed_under_the_subtotal_leaves_it_unverifiable_not_conflict() -> None:
    summary = [(60, 40, "Rechnung Nr. 1"), (60, 300, "Zwischensumme Honorare"), (800, 300, "3096.00"),
               (60, 320, "MWSt. (19%)"), (800, 320, "588.24"), (60, 340, "Summe Auslagen"), (800, 340, "96.00"),
               (60, 360, "Gesamtsumme"), (800, 360, "3780.24")]  # fmt: skip
    payload = _verify(*summary)
    assert payload["verification"]["status"] != "conflict"
    assert payload["fields"]["total"]["value"] == "3780.24"


def test_a_total_short_of_its_parts_still_conflicts() -> None:
    summary = [(60, 40, "Invoice #1"), (60, 300, "Subtotal"), (800, 300, "$2,700.00"), (60, 320, "Tax"),
               (800, 320, "$270.00"), (60, 340, "Total"), (800, 340, "$2,907.00")]  # fmt: skip
    assert _verify(*summary)["verification"]["status"] == "conflict"


def test_a_decimal_comma_set_as_a_line_of_its_own_goes_back_into_its_figure() -> None:
    from mm_assets.operations.invoice_lines import _with_split_figures_joined
    from mm_assets.page_layout import Line

    lines = [Line(1, (276, 1205, 328, 1219), "Total"), Line(1, (959, 1205, 1026, 1220), "6638 06"),
             Line(1, (1002, 1217, 1004, 1223), ",")]  # fmt: skip
    assert [line.text for line in _with_split_figures_joined(lines)] == ["Total", "6638,06"]


def test_a_total_a_sentence_states_and_never_a_column_headings_first_figure() -> None:
    from mm_assets.operations.invoice_fields import _total_in_a_sentence
    from mm_assets.page_layout import Line

    said = _total_in_a_sentence([Line(1, (60, 600, 400, 614), "The total price is 183.5")])
    assert said is not None and str(said.value) == "183.5"
    assert _total_in_a_sentence([Line(1, (60, 600, 400, 614), "Total price: see below")]) is None


def test_one_line_whose_quantity_times_price_no_reading_explains_is_misprinted() -> None:
    from decimal import Decimal

    from mm_assets.operations.invoice_values import Found
    from mm_assets.operations.invoice_verification import _one_line_misprinted

    def item(quantity: str, price: str, amount: str) -> dict:
        return {part: Found(Decimal(v), 1, [0, 0, 1, 1], 0.85) for part, v in
                (("quantity", quantity), ("unit_price", price), ("amount", amount))}  # fmt: skip

    assert _one_line_misprinted([item("8", "6.5", "56")], 4)
    assert not _one_line_misprinted([item("8", "6.5", "104")], 4)  # a pack of two: a unit not read
    assert not _one_line_misprinted([item("10", "10.00", "119.00")], 4)  # the price with its 19 % tax
    assert not _one_line_misprinted([item("8", "6.5", "56")], 2)  # too few lines to tell


def test_an_address_line_is_no_issuer_over_its_tax_id() -> None:
    from mm_assets.operations.invoice_evidence import ADDRESS_LINE

    for line in ("Falmouth TR11 3HS", "Lindenallee8", "AmKanal21", "Via deiMille27", "Unit 4, Quay Works"):
        assert ADDRESS_LINE.search(line), line
    for line in ("Harbour Light Surveying Ltd", "IT-Service Brandt", "Studio Grafico Lanterna"):
        assert not ADDRESS_LINE.search(line), line


def test_a_spanish_number_label_with_its_point() -> None:
    values = _read((60, 40, "Factura n.º 2026/57"), *TOTALS)
    assert values["invoice_number"] == "2026/57"


def test_a_gap_printed_under_the_total_is_no_part_of_it_and_still_conflicts() -> None:
    summary = [(60, 40, "Invoice #1"), (60, 300, "Subtotal"), (800, 300, "1436.50"), (60, 320, "VAT"),
               (800, 320, "292.20"), (60, 340, "Total"), (800, 340, "1729.00"), (60, 380, "Rounding"),
               (800, 380, "0.30")]  # fmt: skip
    assert _verify(*summary)["verification"]["status"] == "conflict"
