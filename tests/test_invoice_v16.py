"""Fields v16, on made-up pages, each rule both ways: Finnish summary and due-date labels, a currency named in
words beside its amount, a prepayment taken off the amount to pay, a term's last day ("payable until"), a
fiscal form's name that does not outweigh a till receipt's cash and change, a seller's name under its caption
in a box-grid form."""

from __future__ import annotations

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_values import currency_of, parse_date
from mm_assets.operations.invoice_vendor import _name_in_seller_section
from mm_assets.page_layout import page_lines


def _span(x0: float, y0: float, x1: float, y1: float, text: str, page: int = 1) -> dict:
    return {"text": text, "page": page, "bbox": [x0, y0, x1, y1], "source": "text_layer"}


def _row(x: float, y: float, text: str) -> dict:
    return _span(x, y, x + 9 * len(text), y + 12, text)


# --- Finnish labels, a currency in words ------------------------------------------------------------------------


def _finnish_page(total_words: str, amount_words: str, due_words: str = "Maksun eräpäivä") -> list[dict]:
    return [
        _row(60, 40, "L A S K U"),
        _row(60, 70, "Pullin Kala Oy"),
        _row(60, 100, "Laskun päiväys: 12.6.2002"),
        _row(60, 120, "Laskun numero: 1/2002"),
        _row(60, 140, f"{due_words}: 28.6.2002"),
        _row(60, 300, f"{total_words}: 122,00 {amount_words}"),
        _row(60, 330, "Veroton määrä: 100,00"),
        _row(60, 350, "Alv 22 % : 22,00 (100,00)"),
    ]


def test_finnish_summary_and_due_date_labels_are_read() -> None:
    payload, _, _ = fields_payload(_finnish_page("LASKU YHTEENSÄ", "euroa"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert values["due_date"] == "2002-06-28"
    assert (values["subtotal"], values["tax"], values["total"]) == ("100.00", "22.00", "122.00")
    assert values["currency"] == "EUR"
    assert payload["verification"]["status"] == "verified"


def test_a_date_under_another_word_is_no_due_date_and_no_currency_is_guessed() -> None:
    found = extract_fields(_finnish_page("LASKU YHTEENSÄ", "yht.", due_words="Toimituspäivä"), [])
    assert "due_date" not in found["fields"]
    assert "currency" not in found["fields"]


def test_a_currency_word_counts_only_beside_a_figure() -> None:
    assert currency_of("Maksun määrä: 122,00 euroa") == "EUR"
    assert currency_of("Summe 50 Euro") == "EUR"
    assert currency_of("Shipping across Europe and the euro area") is None


# --- a prepayment comes off the amount to pay -------------------------------------------------------------------


def _prepaid_page(prepayment_row: str | None) -> list[dict]:
    rows = [
        _row(60, 40, "LASKU"),
        _row(60, 70, "Pullin Musiikki Oy"),
        _row(60, 100, "Laskun numero: 159"),
        _row(60, 120, "Laskun päiväys: 15.12.2004"),
        _row(60, 300, "LASKU YHTEENSÄ: 3352,98 euroa"),
        _row(60, 330, "Veroton määrä: 2830,30"),
        _row(60, 350, "Alv 22 % : 622,68 (2830,30)"),
    ]
    if prepayment_row:
        rows.append(_row(60, 280, prepayment_row))
    return rows


def test_a_prepayment_already_made_is_taken_off_the_total() -> None:
    payload, _, _ = fields_payload(_prepaid_page("Ennakkomaksu -100,00"), [])
    assert payload["fields"]["total"]["value"] == "3352.98"
    assert payload["verification"]["status"] == "verified"


def test_without_the_prepayment_row_the_same_figures_conflict() -> None:
    payload, _, _ = fields_payload(_prepaid_page(None), [])
    assert payload["verification"]["status"] == "conflict"
    assert [failure["rule"] for failure in payload["verification"]["failed"]] == ["subtotal_plus_tax_is_total"]


# --- a term's last day -----------------------------------------------------------------------------------------


def _terms_page(terms: str) -> list[dict]:
    return [
        _row(60, 40, "Invoice"),
        _row(60, 70, "Invoice No. 2"),
        _row(60, 90, "Date 2011-05-05"),
        _row(60, 300, "Net amount 10.00"),
        _row(60, 320, "VAT 19% 1.90"),
        _row(60, 340, "Final amount EUR 11.90"),
        _row(60, 380, terms),
    ]


def test_payable_until_a_date_gives_the_due_date() -> None:
    found = extract_fields(_terms_page("Payable until 2011-06-05 due net"), [])
    assert found["fields"]["due_date"].value.isoformat() == "2011-06-05"
    german = extract_fields(_terms_page("Zahlbar bis zum 05.06.2011 ohne Abzug"), [])
    assert german["fields"]["due_date"].value.isoformat() == "2011-06-05"


def test_a_date_after_other_words_is_no_due_date() -> None:
    found = extract_fields(_terms_page("Delivered until 2011-06-05 by courier"), [])
    assert "due_date" not in found["fields"]


# --- a till receipt under a fiscal form's name ------------------------------------------------------------------


def _consumer_note(title: str) -> list[dict]:
    return [
        _row(60, 20, "EMPRESA TESTE"),
        _row(60, 40, "CNPJ: 00.000.000/0001-00"),
        _row(60, 60, title),
        _row(60, 100, "1 PRODUTO TESTE"),
        _row(60, 120, "1,00 UN x 15,00 = 15,00"),
        _row(60, 140, "VALOR TOTAL R$: 15,00"),
        _row(60, 170, "Dinheiro 15,00"),
        _row(60, 190, "TROCO R$: 0,00"),
        _row(60, 220, "Emissão: 28/02/2024 09:30:00"),
    ]


def test_cash_and_change_under_a_fiscal_forms_name_make_a_till_receipt() -> None:
    page = _consumer_note("DANFE NFC-e - Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica")
    found = extract_fields(page, [])
    assert found["doc_type"] == "receipt"
    assert str(found["fields"]["total"].value) == "15.00"


def test_cash_and_change_on_a_page_that_calls_itself_an_invoice_keep_it_an_invoice() -> None:
    assert extract_fields(_consumer_note("FATURA - Nota Fiscal"), [])["doc_type"] == "invoice"


# --- the seller's name under its caption in a box-grid form ------------------------------------------------------


def _service_note(seller_heading: str) -> list[dict]:
    return [
        _row(60, 20, "DANFSe v2.0"),
        _row(60, 40, "NÚMERO DA NFS-e 1"),
        _row(60, 60, "DATA E HORA DA EMISSÃO DA NFS-e 10/03/2026"),
        _row(60, 80, "CNPJ: 00.000.000/0001-00"),
        _row(60, 100, seller_heading),
        _row(60, 120, "Nome / Nome Empresarial"),
        _row(60, 134, "EMPRESA PRESTADORA DE TESTE LTDA"),
        _row(60, 180, "TOMADOR / ADQUIRENTE"),
        _row(60, 200, "Nome / Nome Empresarial"),
        _row(60, 214, "EMPRESA TOMADORA DE TESTE LTDA"),
        _row(60, 260, "VALOR TOTAL DA NFS-E"),
        _row(60, 274, "R$ 1.000,00"),
    ]


def test_the_name_under_a_caption_in_the_sellers_block_is_the_vendor() -> None:
    found = extract_fields(_service_note("PRESTADOR / FORNECEDOR CNPJ / CPF / NIF"), [])
    assert found["fields"]["vendor"].value == "EMPRESA PRESTADORA DE TESTE LTDA"
    assert str(found["fields"]["total"].value) == "1000.00"


def test_without_a_seller_heading_no_captioned_name_is_the_sellers() -> None:
    assert _name_in_seller_section(page_lines(_service_note("DADOS GERAIS DA OPERAÇÃO"))) is None
    named = _name_in_seller_section(page_lines(_service_note("PRESTADOR / FORNECEDOR")))
    assert named is not None and named.value == "EMPRESA PRESTADORA DE TESTE LTDA"


# --- a sum its caption states -----------------------------------------------------------------------------------


def _stated_sum_page(stated: str) -> list[dict]:
    return [
        *_service_note("PRESTADOR / FORNECEDOR"),
        _row(60, 300, "Valor Líquido da NFS-e"),
        _row(60, 314, "R$ 1.000,00"),
        _row(60, 340, "Total do IBS/CBS"),
        _row(60, 354, "R$ 10,00"),
        _row(60, 380, "Valor Líquido da NFS-e + IBS/CBS"),
        _row(60, 394, f"R$ {stated}"),
    ]


def test_a_caption_stating_a_sum_its_parts_do_not_make_is_a_conflict() -> None:
    payload, _, _ = fields_payload(_stated_sum_page("1.000,00"), [])
    assert payload["verification"]["status"] == "conflict"
    assert [failure["rule"] for failure in payload["verification"]["failed"]] == ["stated_sum"]


def test_a_caption_stating_a_sum_its_parts_make_verifies() -> None:
    payload, _, _ = fields_payload(_stated_sum_page("1.010,00"), [])
    assert not payload["verification"]["failed"]


# --- OCR without spaces, split runs, remarks -------------------------------------------------------------------


def test_a_date_glued_to_the_next_word_or_time_is_read() -> None:
    assert parse_date("29.04.2011ohneAbzug").isoformat() == "2011-04-29"
    assert parse_date("Emissao:28/02/202409:30:00").isoformat() == "2024-02-28"
    assert parse_date("Kontonummer 29.04.20115512") is None


def _qr_bill(amount_row: list[dict]) -> list[dict]:
    return [
        _row(30, 50, "Receipt"),
        _row(400, 50, "Payment part"),
        _row(30, 85, "Account / Payable to"),
        _row(30, 105, "CH58 0079 1123 0008 8901 2"),
        _row(30, 125, "Jane"),
        _row(30, 420, "Currency Amount"),
        *amount_row,
    ]


def test_a_qr_bills_code_and_amount_set_as_two_runs_make_its_amount() -> None:
    found = extract_fields(_qr_bill([_row(30, 448, "CHF"), _row(100, 448, "22.45")]), [])
    assert str(found["fields"]["total"].value) == "22.45"
    # a figure far right of the box, under another heading, is not its amount
    assert "total" not in extract_fields(_qr_bill([_row(30, 448, "CHF"), _row(600, 448, "22.45")]), [])["fields"]


def test_a_number_cited_in_a_remark_is_not_the_documents() -> None:
    remark = "Invoice 22-000004 | Processo de exportacao - Cliente Acein Aceros Industriales - Equador. Frete CPT aereo"
    page = [_row(60, 40, "DANFE"), _row(60, 60, "Nº 000.029.248"), _row(60, 400, remark), _row(60, 440, "TOTAL 5,00")]
    assert extract_fields(page, [])["fields"]["invoice_number"].value == "000.029.248"
    short = [_row(60, 40, "DANFE"), _row(60, 60, "Nº 000.029.248"), _row(60, 400, "Invoice 22-000004")]
    assert extract_fields(short + [_row(60, 440, "TOTAL 5,00")], [])["fields"]["invoice_number"].value == "22-000004"


def test_a_row_of_captions_each_over_its_value_gives_the_name_under_its_own() -> None:
    page = _service_note("PRESTADOR / FORNECEDOR")
    page += [_row(600, 120, "Município / Sigla UF"), _row(600, 134, "Blumenau / SC")]
    assert extract_fields(page, [])["fields"]["vendor"].value == "EMPRESA PRESTADORA DE TESTE LTDA"
    beside = _service_note("PRESTADOR / FORNECEDOR")[:6] + [_row(400, 120, "Exemplo Serviços Ltda")]
    beside += _service_note("PRESTADOR / FORNECEDOR")[7:]
    assert _name_in_seller_section(page_lines(beside)).value == "Exemplo Serviços Ltda"


# --- e-invoice stylesheets: the payment's due date, a number and date in one caption ----------------------------


def _stylesheet_page(due_caption: str, date_caption: str) -> list[dict]:
    return [
        _row(60, 40, "FATTURA ELETTRONICA"),
        _row(60, 70, "Cedente/prestatore: Alpha SRL"),
        _row(60, 100, f"{date_caption}: 124 - 2020-01-09 (09 Gen. 2020)"),
        _row(60, 300, "Totale documento: 122,00"),
        _row(60, 340, f"{due_caption}: 2020-02-28 (28 Febbraio 2020)"),
    ]


def test_the_payments_due_date_and_a_number_and_date_caption_are_read() -> None:
    found = extract_fields(_stylesheet_page("Data scadenza pagamento", "Numero e data doc."), [])["fields"]
    assert found["due_date"].value.isoformat() == "2020-02-28"
    assert found["invoice_date"].value.isoformat() == "2020-01-09"
    german = extract_fields(_stylesheet_page("Ende Zahlungsziel", "Dok.-nummer und -datum"), [])["fields"]
    assert german["due_date"].value.isoformat() == "2020-02-28"
    assert german["invoice_date"].value.isoformat() == "2020-01-09"


def test_other_captions_give_no_due_date() -> None:
    found = extract_fields(_stylesheet_page("Data consegna merce", "Numero e data doc."), [])["fields"]
    assert "due_date" not in found


def test_a_series_prefix_set_apart_from_its_figures_is_part_of_the_number() -> None:
    page = _stylesheet_page("Data scadenza pagamento", "Data documento")
    found = extract_fields([*page, _row(60, 120, "Numero documento: FPR 17/20")], [])["fields"]
    assert found["invoice_number"].value == "FPR 17/20"
    # capitals after the figures are no prefix: the code is its first run
    other = extract_fields([*page, _row(60, 120, "Numero documento: 17/20 FPR")], [])["fields"]
    assert other["invoice_number"].value == "17/20"


# --- "Total Tax" is the tax; "Total Discount" and "Total Fee" are no total ---------------------------------------


def _summary_page(grand_total: str) -> list[dict]:
    return [
        _row(60, 40, "INVOICE"),
        _row(60, 60, "Invoice No: 1721"),
        _row(60, 80, "Festrol Corp."),
        _row(500, 300, "Subtotal 640,20 €"),
        _row(500, 330, "Total Tax 0,00 €"),
        _row(500, 360, "Total Discount 10,00 €"),
        _row(500, 390, f"Grand Total {grand_total} €"),
    ]


def test_total_tax_is_the_tax_and_a_total_discount_is_no_total() -> None:
    payload, _, _ = fields_payload(_summary_page("630,20"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["tax"], values["total"]) == ("0.00", "630.20")
    assert payload["verification"]["status"] == "verified"


def test_a_grand_total_that_the_summary_does_not_make_is_flagged_though_the_tax_is_zero() -> None:
    payload, _, _ = fields_payload(_summary_page("620,20"), [])
    assert payload["fields"]["total"]["value"] == "620.20"
    assert payload["verification"]["status"] == "conflict"


def test_capitals_before_a_date_are_no_series_prefix() -> None:
    page = _stylesheet_page("Data scadenza pagamento", "Data documento")
    found = extract_fields([*page, _row(60, 120, "Numero documento: ABC 12/03/2020")], [])["fields"]
    assert "invoice_number" not in found
