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
