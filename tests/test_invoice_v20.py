"""Fields v20: a sentence stating the amounts' currency ("Amounts expressed in Euros"); the document's number
under its title after a reference caption, under a title whose scanned box it overlaps, and by its shape alone on
a line at the top of the page; a date glued by OCR is no number."""

from __future__ import annotations

from mm_assets.operations.invoice_fields import extract_fields


def _read(*lines: tuple[float, float, str]) -> dict:
    spans = [
        {"text": t, "page": 1, "bbox": [x, y, x + 8 * len(t), y + 14], "source": "text_layer"} for x, y, t in lines
    ]
    found = extract_fields(spans, [])
    return {"doc_type": found["doc_type"], **{name: f.value for name, f in found["fields"].items()}}


TOTALS = ((300, 400, "Total"), (800, 400, "100.00"), (60, 1000, "Thank you"))


def test_a_reference_under_the_title_is_its_number() -> None:
    values = _read((900, 40, "Invoice"), (850, 58, "Ref. : IN2612-00000"), *TOTALS)
    assert values["invoice_number"] == "IN2612-00000"


def test_a_reference_away_from_the_title_is_no_number() -> None:
    values = _read((900, 40, "Invoice"), (60, 300, "Ref. : IN2612-00000"), *TOTALS)
    assert "invoice_number" not in values


def test_a_scanned_reference_overlapping_the_titles_box_is_still_under_it() -> None:
    values = _read((900, 40, "Facture"), (850, 50, "Ref.:IN2612-00000"), *TOTALS)
    assert values["invoice_number"] == "IN2612-00000"


def test_a_code_alone_at_the_top_is_the_number_and_a_glued_date_under_the_title_is_not() -> None:
    values = _read(
        (60, 40, "Acme Corp"), (800, 40, "INVOICE"), (500, 70, "INV-2026-0042"), (800, 70, "April10,2026"), *TOTALS
    )
    assert values["invoice_number"] == "INV-2026-0042"


def test_a_glued_date_under_the_title_is_no_number() -> None:
    values = _read((60, 40, "Acme Corp"), (800, 40, "INVOICE"), (800, 70, "April10,2026"), *TOTALS)
    assert values.get("invoice_number") != "April10,2026"


def test_a_code_alone_low_on_the_page_is_no_number() -> None:
    values = _read((60, 40, "Acme Corp"), (800, 40, "INVOICE"), (500, 900, "INV-2026-0042"), *TOTALS)
    assert "invoice_number" not in values


def test_a_sentence_stating_the_amounts_currency_names_it_even_glued_by_ocr() -> None:
    for sentence in ("Amounts expressed in Euros", "MontantsexprimesenEuros", "All prices in US dollars"):
        values = _read((900, 40, "Invoice"), (60, 300, sentence), *TOTALS)
        assert values["currency"] == ("USD" if "dollars" in sentence else "EUR"), sentence


def test_a_currency_word_in_another_sentence_names_none() -> None:
    for sentence in ("Amount in words: five euros", "Prices in Europe stay low"):
        values = _read((900, 40, "Invoice"), (60, 300, sentence), *TOTALS)
        assert "currency" not in values, sentence


def test_a_code_a_caption_names_is_no_number() -> None:
    values = _read((60, 40, "PAYMENT RECEIPT"), (500, 60, "Booking ID"), (500, 80, "IBZY2087"), *TOTALS)
    assert "invoice_number" not in values


def test_a_legal_form_ocr_glued_to_the_name_is_set_apart_and_a_spaced_name_kept() -> None:
    from mm_assets.operations.invoice_fields import _legal_form_apart

    assert _legal_form_apart("MusterGmbH") == "Muster GmbH"
    assert _legal_form_apart("TheDailyGrindCoffeeCo.") == "TheDailyGrindCoffee Co."
    assert _legal_form_apart("Tradeco") == "Tradeco"
    assert _legal_form_apart("Acme SportsCo") == "Acme SportsCo"  # spaces read: the name as printed


def test_a_time_ocr_glued_to_a_month_names_year_leaves_the_date() -> None:
    from mm_assets.operations.invoice_values import parse_date

    assert str(parse_date("April10,20268:47AM", False)) == "2026-04-10"
    assert parse_date("Tel 0 12345:67", False) is None
