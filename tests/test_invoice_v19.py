"""Fields v19, on made-up pages, each rule both ways: the document's currency decided once (US$, a bare "$" on an
English page, an IBAN by its shape), figures OCR glued to their money word or read with a letter o for a zero,
lexicon labels read with the figures OCR reads for their letters, Hungarian year-first dates and tax total, the
number alone beside the title, and a Hungarian summary read from a scan without spaces that does not add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_currency import currency_of_account, document_currency
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_labels import find_field
from mm_assets.operations.invoice_values import amounts_in, parse_date
from mm_assets.page_layout import page_lines


def _span(x0: float, y0: float, text: str, page: int = 1) -> dict:
    return {"text": text, "page": page, "bbox": [x0, y0, x0 + 9 * len(text), y0 + 12], "source": "text_layer"}


# --- the document's currency -------------------------------------------------------------------------------------


def test_a_us_dollar_sign_names_us_dollars() -> None:
    assert document_currency("INVOICE TOTAL\nUS$ 220") == "USD"
    assert document_currency("INVOICETOTAL\nUS$220") == "USD"  # OCR without spaces


def test_a_bare_dollar_sign_on_an_english_page_is_us_dollars_unless_the_page_shows_others() -> None:
    assert document_currency("INVOICE\nTax $2400.00\nTotal $12400.00") == "USD"
    # another country's dollars, named by prefix or shown by the page, stay theirs
    assert document_currency("Invoice\nTotal C$ 12.00") == "CAD"
    assert document_currency("Invoice\nMade in Canada\nTotal $ 12.00") == "CAD"
    # pesos: a page in Spanish, or cents after a comma
    assert document_currency("FACTURA\nTotal $ 1.250,50") is None
    assert document_currency("FACTURA\nTotal $ 7.00") is None
    assert document_currency("Invoice\nTotal $ 10.000,00") is None
    # a dollar sign beside no figure is no amount's sign
    assert document_currency("Invoice\nPrices in $ on request\nTotal 12.00") is None


def test_an_iban_by_its_shape_names_its_countrys_currency() -> None:
    assert currency_of_account("Code I.B.A.N\nFR0011112222333344445555666") == "EUR"
    assert currency_of_account("A payer au compte bancaire BE95 0011 8359 9858 avant le 1er") == "EUR"
    assert currency_of_account("HU42 1177 3016 1111 1018 0000 0000") == "HUF"
    # a VAT number is no account (too short for its country's IBAN), nor an IBAN of the wrong length
    assert currency_of_account("N° TVA FR00123456789") is None
    assert currency_of_account("FR0011112222333344445555") is None
    # a sign beside an amount outweighs the account's country
    assert document_currency("Total 17 568,00 €\nGB29 NWBK 6016 1331 9268 19") == "EUR"


# --- figures as OCR reads them -----------------------------------------------------------------------------------


def test_a_figure_glued_to_its_money_word_is_an_amount_and_to_another_word_is_not() -> None:
    assert amounts_in("Netto0sszeg:383076Ft") == [Decimal("383076")]
    assert amounts_in("INVOICETOTAL US$220") == [Decimal("220")]
    assert amounts_in("Razem 1200zł") == [Decimal("1200")]
    assert amounts_in("Ref 4778C") == []  # one letter is a code's, not money's
    assert amounts_in("Art 4778X2") == []


def test_a_letter_o_after_a_money_sign_is_a_zero() -> None:
    assert amounts_in("$o") == [Decimal("0")]
    assert amounts_in("Other $O") == [Decimal("0")]
    assert amounts_in("€ 1O,50") == [Decimal("10.50")]
    assert amounts_in("$ Ohio 5") == [Decimal("5")]  # a word after the sign stays a word


# --- Hungarian dates and labels ----------------------------------------------------------------------------------


def test_hungarian_year_first_dates_read() -> None:
    assert parse_date("2018 aug. 01.") == date(2018, 8, 1)
    assert parse_date("2018okt.30.") == date(2018, 10, 30)  # OCR glues the year to the month
    assert parse_date("2018 szept. 15.") == date(2018, 9, 15)
    assert parse_date("2018 augusztus 01") == date(2018, 8, 1)
    assert parse_date("2018. 08. 01.") == date(2018, 8, 1)
    assert parse_date("2018 márc. 5.") == date(2018, 3, 5)
    assert parse_date("Rendelés 2018 darab 01") is None  # a word that is no month


def test_a_lexicon_label_reads_with_the_figures_ocr_reads_for_its_letters() -> None:
    lines = page_lines([_span(900, 1500, "Brutt6osszeg:486507Ft")])
    found = find_field("total", lines, True)
    assert found is not None and found.value == Decimal("486507")
    lines = page_lines([_span(900, 1500, "Netto0sszeg:383076Ft")])
    found = find_field("subtotal", lines, True)
    assert found is not None and found.value == Decimal("383076")
    # a label's letter read as another figure than OCR's lookalikes is no label
    assert find_field("total", page_lines([_span(900, 1500, "Brutt8osszeg:486507Ft")]), True) is None


def test_a_tax_word_before_its_total_word_is_the_tax_total_not_a_rates_row() -> None:
    spans = [
        _span(100, 40, "Számla"),
        _span(100, 300, "Mennyiség Megnevezés Egységár Netto Áfa Bruttó"),
        _span(100, 320, "2 Termék 500 Ft 1 000 Ft 270 Ft (27%) 1 270 Ft"),
        _span(700, 600, "Nettó összeg: 1 000 Ft"),
        _span(700, 620, "27% ÁFA összesen: 270 Ft"),
        _span(700, 640, "Bruttó összeg: 1 270 Ft"),
    ]
    found = find_field("tax", page_lines(spans), True)
    assert found is not None and found.value == Decimal("270") and found.bbox[1] == 620


def _hungarian_scan(total: str) -> list[dict]:
    """A Hungarian invoice's page as OCR reads a scan: no spaces, accents dropped or read as figures."""
    return [
        _span(84, 57, "Szamla"),
        _span(500, 57, "[BN-BM-50]"),
        _span(135, 341, "Szamlakelte:"),
        _span(520, 341, "Fizetesihatarido:"),
        _span(135, 376, "2018 aug.01."),
        _span(520, 376, "2018okt.30."),
        _span(959, 1489, "Netto0sszeg:383076Ft"),
        _span(909, 1515, "27%AFAOsszesen:103430Ft"),
        _span(905, 1549, f"Brutt6osszeg:{total}Ft"),
    ]


def test_a_hungarian_summary_read_from_a_scan_is_checked_both_ways() -> None:
    payload, _, _ = fields_payload(_hungarian_scan("486507"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["subtotal"], values["tax"], values["total"]) == ("383076", "103430", "486507")
    assert (values["invoice_date"], values["due_date"], values["currency"]) == ("2018-08-01", "2018-10-30", "HUF")
    assert payload["verification"]["status"] == "conflict"  # 383 076 + 103 430 is 486 506
    assert payload["verification"]["failed"][0]["rule"] == "subtotal_plus_tax_is_total"
    payload, _, _ = fields_payload(_hungarian_scan("486506"), [])
    assert payload["verification"]["status"] == "verified"


# --- the number beside the title ---------------------------------------------------------------------------------


def test_the_code_alone_beside_the_title_is_the_number() -> None:
    spans = [_span(120, 100, "INVOICE"), _span(980, 103, "#INV-2025-001"), _span(80, 230, "Acme Corporation")]
    spans += [_span(790, 800, "Tax (8%):"), _span(1000, 800, "$560.00"), _span(790, 835, "Total Due:")]
    spans += [_span(1000, 835, "$7,560.00")]
    found = extract_fields(spans, [])
    assert found["fields"]["invoice_number"].value == "INV-2025-001"
    assert found["fields"]["currency"].value == "USD"
    # a page number or a date beside the title is no number
    for beside in ("1/2", "2018 augusztus 01"):
        spans[1] = _span(980, 103, beside)
        assert "invoice_number" not in extract_fields(spans, [])["fields"]


# --- a watermark's letters before a label ------------------------------------------------------------------------


def test_a_watermark_fragment_before_a_label_is_taken_off_and_elsewhere_kept() -> None:
    from mm_assets.operations.invoice_lines import _with_split_labels_joined

    lines = _with_split_labels_joined(
        page_lines([_span(533, 330, "á Fizetési határidő:"), _span(583, 364, "ám 2018 okt. 30.")])
    )
    assert lines[0].text == "Fizetési határidő:"
    found = find_field("due_date", lines, True)
    assert found is not None and found.value == date(2018, 10, 30)
    # a short word before a name makes no label: the line stays as printed
    kept = _with_split_labels_joined(page_lines([_span(100, 100, "la Société Générale")]))
    assert kept[0].text == "la Société Générale"
