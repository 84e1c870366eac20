"""Fields v15, on made-up pages, each rule both ways: a bill by evidence whatever its title (a total with its
amount, a seller's tax id, a date), fiscal titles, a watermark block that would swallow the page's rows, a
box-grid caption paired with the value at its box's foot, a per-rate tax summary summed, Brazilian labels."""

from __future__ import annotations

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_lines import _without_tall_blocks


def _span(x0: float, y0: float, x1: float, y1: float, text: str, page: int = 1) -> dict:
    return {"text": text, "page": page, "bbox": [x0, y0, x1, y1], "source": "text_layer"}


def _row(x: float, y: float, text: str) -> dict:
    return _span(x, y, x + 9 * len(text), y + 12, text)


# --- a bill by evidence, fiscal titles ------------------------------------------------------------------------


def _fiscal_page(title: str, tax_id: str) -> list[dict]:
    return [
        _row(60, 40, title),
        _row(60, 80, "Empresa Exemplo Ltda"),
        _row(60, 100, tax_id),
        _row(60, 140, "EMISSÃO: 01/01/2020"),
        _row(60, 180, "VALOR TOTAL: 140,00"),
    ]


def test_a_page_with_a_total_a_sellers_tax_id_and_a_date_is_a_bill_whatever_its_title() -> None:
    found = extract_fields(_fiscal_page("Documento de venda 17", "CNPJ: 81.493.979/0001-89"), [])
    assert found["doc_type"] == "invoice"
    assert str(found["fields"]["total"].value) == "140.00"
    assert found["fields"]["invoice_date"].value.isoformat() == "2020-01-01"


def test_the_same_page_without_a_sellers_tax_id_is_no_bill() -> None:
    assert extract_fields(_fiscal_page("Documento de venda 17", "Fone: (21) 3010-9965"), [])["doc_type"] == "other"


def test_fiscal_titles_name_a_bill() -> None:
    for title in ("DOCUMENTO AUXILIAR DA NOTA FISCAL ELETRÔNICA", "DACTE", "C F D I de ingreso"):
        page = _fiscal_page(title, "Fone: (21) 3010-9965")
        assert extract_fields(page, [])["doc_type"] == "invoice", title


# --- a watermark block over the rows --------------------------------------------------------------------------


def _page_with_block(block_height: float) -> list[dict]:
    rows = [_row(60, 40 + 20 * i, f"Item {i} description") for i in range(10)]
    rows += [_row(60, 300, "INVOICE"), _row(60, 330, "Invoice number: 77"), _row(60, 360, "Total due: 55.00")]
    # its vertical middle above the summary's rows, its box over them: it would take them into its line
    rows.append(_span(200, 360 - block_height, 700, 380, "SEM VALOR FISCAL watermark text drawn across the form"))
    return rows


def test_only_the_tall_block_is_left_out() -> None:
    for height, kept in ((400, False), (12, True)):
        spans = _page_with_block(height)
        assert (spans[-1] in _without_tall_blocks(spans)) is kept
        assert all(span in _without_tall_blocks(spans) for span in spans[:-1])


# --- box-grid captions ----------------------------------------------------------------------------------------


def _summary_boxes(total: str, second_rate: bool = True) -> list[dict]:
    """An e-invoice stylesheet's summary: captions at the top left of their boxes, figures at the boxes' right,
    one row per VAT rate, the document's total in a box of its own below."""
    spans = [
        _row(60, 40, "FATTURA ELETTRONICA"),
        _span(60, 70, 250, 82, "Numero documento: 12"),
        _span(794, 512, 910, 526, "Totale imponibile"),
        _span(1045, 512, 1145, 526, "Totale imposta"),
        _span(474, 541, 519, 557, "22,00"),
        _span(926, 541, 971, 557, "14,00"),
        _span(1179, 541, 1213, 557, "3,08"),
        _span(913, 616, 1034, 626, "Totale documento"),
        _span(1168, 637, 1213, 653, total),
    ]
    if second_rate:
        spans += [_span(474, 566, 519, 581, "10,00"), _span(925, 566, 971, 581, "47,00")]
        spans += [_span(1169, 566, 1214, 581, "4,70")]
    return spans


def test_a_caption_pairs_with_the_figure_at_the_foot_of_its_box() -> None:
    payload, _, _ = fields_payload(_summary_boxes("17,08", second_rate=False), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["subtotal"], values["tax"], values["total"]) == ("14.00", "3.08", "17.08")
    assert payload["verification"]["status"] == "verified"


def test_a_wrong_total_at_the_foot_of_its_box_is_flagged() -> None:
    payload, _, _ = fields_payload(_summary_boxes("17,09", second_rate=False), [])
    assert payload["fields"]["total"]["value"] == "17.09"
    assert payload["verification"]["status"] == "conflict"


def _dated_box(date_x: float) -> list[dict]:
    return [
        _row(60, 40, "FATTURA ELETTRONICA"),
        _row(60, 70, "Totale documento: 10,00"),
        _span(60, 120, 200, 132, "Data documento"),
        _span(400, 120, 520, 132, "Valuta"),
        _span(date_x, 140, date_x + 90, 152, "2018-01-07"),
    ]


def test_a_date_at_the_foot_of_its_captions_box_is_the_captions_and_not_the_next_boxs() -> None:
    assert extract_fields(_dated_box(300), [])["fields"]["invoice_date"].value.isoformat() == "2018-01-07"
    assert "invoice_date" not in extract_fields(_dated_box(430), [])["fields"]


# --- a per-rate tax summary -----------------------------------------------------------------------------------


def test_a_two_rate_summary_sums_its_rows_and_is_no_conflict() -> None:
    payload, _, _ = fields_payload(_summary_boxes("68,78"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert (values["subtotal"], values["tax"], values["total"]) == ("61.00", "7.78", "68.78")
    assert payload["verification"]["status"] == "verified"


def test_a_two_rate_summary_under_a_wrong_printed_total_is_still_a_conflict() -> None:
    payload, _, _ = fields_payload(_summary_boxes("68,79"), [])
    assert payload["verification"]["status"] == "conflict"


# --- Brazilian fiscal labels ----------------------------------------------------------------------------------


def test_the_amount_to_receive_is_the_total_and_the_cargos_value_is_not() -> None:
    page = [
        _row(60, 40, "DACTE"),
        _row(60, 80, "CNPJ: 78.408.960/0001-82"),
        _span(720, 120, 860, 132, "DATA E HORA DE EMISSÃO"),
        _span(720, 140, 860, 152, "06/01/2012 17:25:56"),
        _row(600, 200, "VALOR TOTAL DA CARGA R$ 174,38"),
        _span(878, 300, 1089, 312, "VALOR TOTAL A RECEBER"),
        _span(878, 320, 960, 332, "R$ 2.300,00"),
    ]
    found = extract_fields(page, [])
    assert str(found["fields"]["total"].value) == "2300.00"
    assert found["fields"]["currency"].value == "BRL"
    assert found["fields"]["invoice_date"].value.isoformat() == "2012-01-06"


# --- a fiscal form's issuer -----------------------------------------------------------------------------------


def _transport_form(name_over_id: str) -> list[dict]:
    return [
        _span(1000, 40, 1040, 55, "CT-E"),
        _span(500, 60, 580, 75, "DACTE"),
        _span(127, 80, 328, 93, name_over_id),
        _span(96, 108, 382, 120, "CNPJ: 78.408.960/0001-82 IE: 251079554"),
        _row(60, 200, "VALOR TOTAL A RECEBER R$ 2.300,00"),
        _row(60, 240, "EMISSÃO: 06/01/2012"),
    ]


def test_a_fiscal_forms_issuer_is_the_name_over_its_tax_id_not_its_title() -> None:
    assert extract_fields(_transport_form("KERBER E CIA. LTDA."), [])["fields"]["vendor"].value == "KERBER E CIA. LTDA."


def test_an_address_over_the_tax_id_is_no_issuer() -> None:
    found = extract_fields(_transport_form("14 Rua Paulo Dias, Alumínio"), [])["fields"].get("vendor")
    assert found is None or not found.value.startswith("14 Rua")


def test_a_danfes_stub_names_its_issuer() -> None:
    page = _fiscal_page("DANFE", "CNPJ: 81.493.979/0001-89")
    page.insert(0, _row(36, 10, "RECEBEMOS DE Empresa Simples Nacional OS PRODUTOS/SERVIÇOS CONSTANTES DA NOTA FISCAL"))
    page.insert(1, _row(36, 24, "AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL"))
    assert extract_fields(page, [])["fields"]["vendor"].value == "Empresa Simples Nacional"


# --- a till receipt by its payment ----------------------------------------------------------------------------


def _till(title: str) -> list[dict]:
    return [
        _row(630, 88, title),
        _row(818, 120, "22/10/2012 15:42"),
        _row(533, 160, "1 PUMPKIN SPICE LATTE"),
        _row(1082, 160, "4,60"),
        _row(557, 200, "TOTAL H.T."),
        _row(1091, 200, "4,30"),
        _row(551, 220, "TVA"),
        _row(1095, 220, "0,30"),
        _row(549, 240, "TOTAL NET"),
        _row(1101, 240, "4,60"),
        _row(538, 280, "Especes"),
        _row(1107, 280, "5,00"),
        _row(530, 300, "Rendu"),
        _row(1111, 300, "0,40-"),
    ]


def test_a_page_whose_cash_less_change_pays_its_total_is_a_receipt_though_its_tax_adds_up_like_a_bill() -> None:
    assert extract_fields(_till("Starbucks Coffee France"), [])["doc_type"] == "receipt"


def test_a_page_titled_an_invoice_stays_an_invoice_though_paid_in_cash() -> None:
    assert extract_fields(_till("FACTURE Starbucks Coffee France"), [])["doc_type"] == "invoice"
