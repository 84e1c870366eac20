"""Fields v17, on made-up pages, each rule both ways: guaraníes (no minor unit, points grouping thousands, "Moneda:
Guarani"), an e-invoice's title over its number, a credit note billed like an invoice, a rate's subtotal and an
items column heading that give no document subtotal, a totals grid's caption read in its cell, items read from
another column than their money, a seller block under a Spanish heading."""

from __future__ import annotations

from decimal import Decimal

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_doctype import document_type
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_labels import find_field
from mm_assets.operations.invoice_values import Found, amounts_in, currency_of
from mm_assets.operations.invoice_vendor import _name_in_seller_section
from mm_assets.operations.invoice_verification import verify
from mm_assets.page_layout import page_lines


def _span(x0: float, y0: float, x1: float, y1: float, text: str, page: int = 1) -> dict:
    return {"text": text, "page": page, "bbox": [x0, y0, x1, y1], "source": "text_layer"}


def _row(x: float, y: float, text: str) -> dict:
    return _span(x, y, x + 9 * len(text), y + 12, text)


# --- guaraníes ---------------------------------------------------------------------------------------------------


def test_guaranies_group_thousands_with_points_and_print_no_cents() -> None:
    assert amounts_in("TOTAL A PAGAR: Gs. 2.340.000") == [Decimal("2340000")]
    assert amounts_in("Total IVA: GS.212.727") == [Decimal("212727")]
    # without the guaraní sign a seven-digit run stays an identifier and a point stays a decimal mark
    assert amounts_in("Cliente 2.340.000") == []
    assert amounts_in("Peso 104.545") == [Decimal("104.545")]


def test_guaranies_are_named_by_their_sign_or_in_words() -> None:
    assert currency_of("Importe: Gs. 75.000") == "PYG"
    assert currency_of("Moneda: Guaraní") == "PYG"
    assert currency_of("Gsm paper, 80 g") is None


def _electronic_invoice(title: str) -> list[dict]:
    return [
        _row(500, 30, title),
        _row(500, 50, "004-002-0000915"),
        _row(60, 30, "Ferretería Ñandutí S.R.L."),
        _row(60, 120, "Moneda: Guarani"),
        _row(60, 140, "Fecha de Emisión: 14/03/2025 09:12:00"),
        _row(60, 300, "Subtotal IVA 10%: Gs. 2.340.000"),
        _row(360, 300, "Subtotal Exento: Gs. 0"),
        _row(60, 320, "Liq. IVA 10%: Gs. 212.727"),
        _row(360, 320, "Total IVA: Gs. 212.727"),
        _row(360, 340, "TOTAL GENERAL: Gs. 2.340.000"),
    ]


def test_an_electronic_invoice_reads_its_number_currency_tax_and_total() -> None:
    payload, _, _ = fields_payload(_electronic_invoice("FACTURA ELECTRÓNICA"), [])
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert values["invoice_number"] == "004-002-0000915"
    assert (values["currency"], values["tax"], values["total"]) == ("PYG", "212727", "2340000")
    assert "subtotal" not in values  # "Subtotal IVA 10%" is one rate's share (with its tax), not the subtotal
    assert payload["verification"]["status"] != "conflict"


def test_a_title_that_names_no_bill_heads_no_number() -> None:
    found = extract_fields(_electronic_invoice("DOCUMENTO ELECTRÓNICO"), [])
    assert found["fields"].get("invoice_number") is None or found["fields"]["invoice_number"].value != "004-002-0000915"


def test_a_credit_note_is_billed_like_an_invoice() -> None:
    text = "NOTA DE CRÉDITO ELECTRÓNICA\n004-002-0000916\nMotivo: Devolución\nTOTAL GENERAL: Gs. 75.000"
    assert document_type(text) == "invoice"
    assert document_type("NOTA DE REMISIÓN ELECTRÓNICA\nMotivo: Traslado\nTOTAL GENERAL: Gs. 75.000") is None


# --- an items column heading is no summary label -----------------------------------------------------------------


def _items_table(headings: list[str]) -> list[dict]:
    spans = [_row(60 + 160 * i, 200, heading) for i, heading in enumerate(headings)]
    last = 60 + 160 * (len(headings) - 1)
    spans += [_row(60, 220, "Tornillos"), _row(last, 220, "150,00"), _row(60, 240, "Tuercas"), _row(last, 240, "50,00")]
    return spans


def test_a_subtotal_heading_beside_item_columns_is_the_items_column() -> None:
    lines = page_lines(_items_table(["Descripción", "Cant.", "P. Unit.", "Subtotal"]))
    assert find_field("subtotal", lines, True) is None


def test_a_subtotal_heading_without_item_columns_gives_its_figure() -> None:
    lines = page_lines(_items_table(["Resumen", "Periodo", "Ref", "Subtotal"]))
    found = find_field("subtotal", lines, True)
    assert found is not None and found.value == Decimal("150.00")


# --- a totals grid read as one line of captions ------------------------------------------------------------------


def _grid(captions: str) -> list[dict]:
    return [
        _span(400, 100, 760, 110, captions),
        _span(520, 120, 560, 134, "12,50"),
        _span(700, 120, 760, 134, "512,90"),
    ]


def test_the_notes_total_is_read_under_its_caption_in_the_grid() -> None:
    found = find_field("total", page_lines(_grid("VALOR DO SEGURO VALOR TOTAL DA NOTA")), True)
    assert found is not None and found.value == Decimal("512.90")


def test_a_grid_without_the_notes_total_caption_gives_no_total_from_it() -> None:
    found = find_field("total", page_lines(_grid("VALOR DO SEGURO VALOR TOTAL DOS PRODUTOS")), True)
    assert found is None or found.value != Decimal("512.90")


# --- items read from another column than their money -------------------------------------------------------------


def _found(value: str, y: float, confidence: float = 0.9) -> Found:
    return Found(Decimal(value), 1, [500, y, 560, y + 10], confidence)


def _status(amounts: list[tuple[str, float]]) -> str:
    items = [{"amount": _found(value, 100 + 20 * i, confidence)} for i, (value, confidence) in enumerate(amounts)]
    return verify({"total": _found("19606.03", 400)}, items, [])["status"]


def test_code_columns_and_guessed_figures_leave_the_sum_unsure() -> None:
    assert _status([("6107", 0.9), ("6108", 0.9), ("6910", 0.9)]) == "unverifiable"  # CFOP codes, no cents
    assert _status([("294.64", 0.6), ("0.00", 0.6)]) == "unverifiable"  # figures picked among several in a cell
    assert _status([("294.64", 0.6), ("6107.10", 0.9), ("6108.00", 0.9)]) == "conflict"  # one guessed among read ones


def test_money_items_that_miss_the_total_still_conflict() -> None:
    assert _status([("6107.10", 0.9), ("6108.00", 0.9)]) == "conflict"


# --- a seller block under a Spanish heading ----------------------------------------------------------------------


def _self_invoice(heading: str) -> list[dict]:
    return [
        _row(300, 20, "Agroganadera Yby S.A."),
        _row(400, 100, "DATOS DEL RECEPTOR"),
        _row(40, 120, "Nombre/Razón Social: Agroganadera Yby S.A."),
        _row(400, 160, heading),
        _row(40, 180, "Nombre: Rosa Benítez Ayala"),
        _row(460, 180, "Cédula paraguaya: 7654321"),
    ]


def test_the_name_in_the_sellers_block_is_the_vendor() -> None:
    named = _name_in_seller_section(page_lines(_self_invoice("DATOS DEL VENDEDOR")))
    assert named is not None and named.value == "Rosa Benítez Ayala"
    glued = _name_in_seller_section(page_lines(_self_invoice("DATOSDELVENDEDOR")))  # OCR that drops spaces
    assert glued is not None and glued.value == "Rosa Benítez Ayala"


def test_without_a_seller_heading_the_block_names_no_seller() -> None:
    assert _name_in_seller_section(page_lines(_self_invoice("DATOS DE LA OPERACIÓN"))) is None


# --- a US state glued to its ZIP code by OCR ---------------------------------------------------------------------


def test_a_state_glued_to_its_zip_code_shows_the_united_states() -> None:
    assert currency_of("Maplewood,MN55109\nTotal:$300") == "USD"
    assert currency_of("Total:$300") is None  # a dollar sign alone names no country's dollars


# --- a Brazilian note's receivable number is not the note's ------------------------------------------------------


def _danfe_header(receivable_caption: str) -> list[dict]:
    return [
        _row(700, 40, "Nº. 000.051.204"),
        _row(700, 60, "Série 2"),
        _row(60, 400, "FATURA/DUPLICATA"),
        _row(60, 420, receivable_caption),
        _row(60, 434, "88120455"),
    ]


def test_the_receivables_number_gives_way_to_the_notes() -> None:
    found = find_field("invoice_number", page_lines(_danfe_header("Número da Fatura:")), True)
    assert found is not None and found.value == "000.051.204"
    other = find_field("invoice_number", page_lines(_danfe_header("Número:")), True)
    assert other is not None and other.value == "88120455"  # a bare "Número" still ranks before a bare "Nº."
