"""Fields v14, on made-up pages and lines, each rule both ways: a reference under a label is no amount,
item cells with a mark set apart or a fine unit price, a quantity x price miss on a guessed cell is
unverifiable, a page's unambiguous date settles the day order, a total less a read part that the page prints
makes a miss unverifiable, the summary row read with the items is no item, initials drawn twice read once,
a rate's caption lends no amount, decimals set apart join their figure, Italian e-invoice labels."""

from __future__ import annotations

from decimal import Decimal

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_dates import page_day_order
from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_items import line_items
from mm_assets.operations.invoice_labels import find_field
from mm_assets.operations.invoice_lines import _with_split_figures_joined, _without_doubled_initials
from mm_assets.operations.invoice_values import Found
from mm_assets.operations.invoice_verification import verify
from mm_assets.page_layout import Line


def _spans(*lines: tuple[float, float, str]) -> list[dict]:
    return [{"text": t, "page": 1, "bbox": [x, y, x + 14 * len(t), y + 30], "source": "ocr"} for x, y, t in lines]


def _line(x: float, y: float, text: str, page: int = 1) -> Line:
    return Line(page, [x, y, x + 14 * len(text), y + 20], text)


def _at(value: str, top: float = 0, confidence: float = 0.9) -> Found:
    return Found(Decimal(value), 1, [500, top, 560, top + 20], confidence)


# --- a reference under a label ---------------------------------------------------------------------------


def test_a_legal_reference_under_a_total_label_is_not_its_amount() -> None:
    lines = [_line(100, 100, "Importo totale documento"), _line(100, 130, "Art. 73 DPR 633/72")]
    assert find_field("total", lines, True) is None


def test_a_figure_with_its_currency_under_a_total_label_is_its_amount() -> None:
    lines = [_line(100, 100, "Importo totale documento"), _line(100, 130, "EUR 16,10")]
    assert find_field("total", lines, True).value == Decimal("16.10")


# --- item cells ------------------------------------------------------------------------------------------


def _items_table(quantity: str, price: str, amount: str) -> list[dict]:
    rows = [["Description", "Qty", "Unit price", "Amount"], ["Energy", quantity, price, amount]]
    cells = [
        {"row": r, "col": c, "rowspan": 1, "colspan": 1, "text": t, "bbox": [50 + 150 * c, 200 + 40 * r, 190, 230]}
        for r, row in enumerate(rows)
        for c, t in enumerate(row)
    ]
    return [{"page": 1, "bbox": [50, 200, 650, 280], "n_rows": 2, "n_cols": 4, "rows": rows, "cells": cells}]


def test_an_item_cell_reads_a_mark_set_apart_and_a_fine_unit_price_whole() -> None:
    item = line_items(_items_table("905 kWh", "0,0125", "11 ,31 22"))[0]
    assert (item["unit_price"].value, item["amount"].value) == (Decimal("0.0125"), Decimal("11.31"))
    assert verify({}, [item], [])["failed"] == []  # 905 x 0.0125 = 11.31


def test_a_quantity_x_price_miss_on_a_figure_picked_among_several_is_unverifiable() -> None:
    item = line_items(_items_table("4 kW", "5,00", "24 49 22"))[0]  # the amount's figure cut in pieces
    result = verify({}, [item], [])
    assert (result["status"], result["failed"]) == ("unverifiable", [])


def test_a_quantity_x_price_miss_on_clean_cells_is_still_a_conflict() -> None:
    item = line_items(_items_table("4", "5,00", "24,00"))[0]
    assert verify({}, [item], [])["failed"][0]["rule"] == "quantity_x_unit_price"


# --- the page's day order -----------------------------------------------------------------------------------


def test_a_date_that_reads_one_way_only_settles_the_day_order_of_the_page() -> None:
    assert page_day_order("RECEIPT DATE 11/02/2019\nDUE DATE 26/02/2019") is True
    assert page_day_order("DATE 11/02/2019\nDUE 02/26/2019") is False
    assert page_day_order("DATE 11/02/2019\nDUE 12/03/2019") is None  # nothing settles it
    assert page_day_order("13/02/2019 and 02/26/2019") is None  # the page disagrees with itself


def test_a_dollar_receipt_with_a_day_first_due_date_reads_its_issue_date_day_first() -> None:
    spans = _spans(
        (60, 50, "East Repair Inc."),
        (460, 120, "RECEIPT DATE 11/02/2019"),
        (460, 170, "DUE DATE 26/02/2019"),
        (60, 300, "Receipt Total $154.06"),
    )
    found = extract_fields(spans, [])
    assert str(found["fields"]["invoice_date"].value) == "2019-02-11"


# --- a total less a read part that the page prints ------------------------------------------------------------


def _summary(total: str, gap_printed: str) -> list[dict]:
    return _spans(
        (60, 50, "RECHNUNG"),
        (60, 100, "Rechnungsnummer: R-100"),
        (600, 400, "Summe Netto: 131,31 EUR"),
        (600, 450, f"Gesamtbetrag: {total} EUR"),
        (60, 600, f"Mit PayPal bezahlen zzgl. 19 % USt. auf 127,31 EUR: {gap_printed} EUR"),
    )


def test_a_total_over_the_subtotal_by_a_printed_figure_is_unverifiable_when_no_tax_is_read() -> None:
    payload, _, _ = fields_payload(_summary("155,50", "24,19"), [])
    assert "tax" not in payload["fields"] or payload["fields"]["tax"]["value"] != "24.19"
    assert payload["verification"]["status"] == "unverifiable"


def test_a_total_over_the_subtotal_by_no_printed_figure_is_still_a_conflict() -> None:
    payload, _, _ = fields_payload(_summary("175,50", "24,19"), [])
    assert payload["verification"]["status"] == "conflict"


# --- the summary row read with the items --------------------------------------------------------------------


def test_an_item_on_the_row_of_its_subtotal_is_the_summary_row_not_an_item() -> None:
    fields = {"subtotal": _at("542.00", 545), "total": _at("542.00", 600)}
    items = [{"amount": _at("542.00", 426)}, {"amount": _at("542.00", 548)}]  # the second is the summary row
    assert verify(fields, items, [])["status"] == "verified"


def test_items_above_their_subtotal_that_miss_it_are_still_a_conflict() -> None:
    fields = {"subtotal": _at("542.00", 545), "total": _at("542.00", 600)}
    items = [{"amount": _at("542.00", 426)}, {"amount": _at("42.00", 470)}]
    assert verify(fields, items, [])["failed"][0]["rule"] == "lines_sum_to_subtotal"


# --- text drawn twice, decimals set apart -------------------------------------------------------------------


def test_initials_drawn_twice_are_read_once() -> None:
    texts = [
        line.text
        for line in _without_doubled_initials([_line(0, 0, "To Totale documento"), _line(0, 30, "IVA VA (%)")])
    ]
    assert texts == ["Totale documento", "IVA (%)"]


def test_words_that_only_look_alike_stay() -> None:
    texts = [
        line.text
        for line in _without_doubled_initials(
            [_line(0, 0, "To Pay"), _line(0, 30, "Al Capone"), _line(0, 60, "VAT 20")]
        )
    ]
    assert texts == ["To Pay", "Al Capone", "VAT 20"]


def test_decimals_set_apart_join_the_figure_they_touch() -> None:
    lines = [Line(2, [811, 456, 845, 471], "411"), Line(2, [847, 456, 874, 474], ",84")]
    assert [line.text for line in _with_split_figures_joined(lines)] == ["411,84"]


def test_decimals_far_from_a_figure_stay_apart() -> None:
    lines = [Line(2, [811, 456, 845, 471], "411"), Line(2, [947, 456, 974, 474], ",84")]
    assert [line.text for line in _with_split_figures_joined(lines)] == ["411", ",84"]


# --- rates' captions ---------------------------------------------------------------------------------------


def test_a_rate_caption_under_a_tax_heading_lends_no_tax() -> None:
    lines = [_line(100, 100, "Dati di riepilogo per aliquota IVA e natura"), _line(100, 130, "Aliquota IVA (%): 22.00")]
    assert find_field("tax", lines, True) is None
    lines.append(_line(100, 160, "Totale imposta: 2.52"))
    assert find_field("tax", lines, True).value == Decimal("2.52")


def test_a_heading_over_a_rate_caption_is_the_rate_column() -> None:
    lines = [_line(100, 100, "MwSt"), _line(100, 122, "Aliq."), _line(100, 152, "22")]
    assert find_field("tax", lines, True) is None
    lines = [_line(100, 100, "MwSt"), _line(100, 130, "3,08")]
    assert find_field("tax", lines, True).value == Decimal("3.08")


# --- Italian e-invoice labels ------------------------------------------------------------------------------


def test_an_italian_e_invoice_summary_reads_its_number_date_and_figures() -> None:
    payload, _, _ = fields_payload(
        _spans(
            (60, 50, "FATTURA ELETTRONICA"),
            (60, 100, "Numero documento: INV/2018/0015"),
            (60, 150, "Data documento: 2018-01-07"),
            (60, 200, "Importo totale documento: 14.00"),
            (60, 250, "Aliquota IVA (%): 22.00"),
            (60, 300, "Totale imponibile/importo: 11.48"),
            (60, 350, "Totale imposta: 2.52"),
        ),
        [],
    )
    values = {name: field["value"] for name, field in payload["fields"].items()}
    assert values["invoice_number"] == "INV/2018/0015" and values["invoice_date"] == "2018-01-07"
    assert (values["subtotal"], values["tax"], values["total"]) == ("11.48", "2.52", "14.00")
    assert payload["verification"]["status"] == "verified"


# --- the seller's block headed by its role ---------------------------------------------------------------------


def _role_blocks(seller_first: bool) -> list[dict]:
    seller = [
        (60, 200, "Cedente/prestatore (fornitore)"),
        (80, 240, "Partita IVA: IT02780790107"),
        (80, 280, "Denominazione: Alpha SRL"),
    ]
    buyer = [(700, 200, "Cessionario/committente (cliente)"), (720, 240, "Denominazione: Beta SPA")]
    title = [(60, 50, "FATTURA"), (60, 100, "Numero documento: 14481"), (60, 500, "Totale documento: 81,49")]
    if not seller_first:  # the buyer's block on the left: the role, not the place, says whose name it is
        seller = [(x + 640, y, t) for x, y, t in seller]
        buyer = [(x - 640, y, t) for x, y, t in buyer]
    return _spans(*title, *seller, *buyer)


def test_the_vendor_is_the_name_captioned_under_the_seller_role_heading_either_side() -> None:
    for seller_first in (True, False):
        found = extract_fields(_role_blocks(seller_first), [])
        assert found["fields"]["vendor"].value == "Alpha SRL"


def test_a_name_caption_alone_beside_its_value_in_a_bilingual_seller_block() -> None:
    spans = _spans(
        (60, 50, "FATTURA ELETTRONICA"),
        (60, 100, "Numero documento: 14481"),
        (60, 200, "Daten zum Lieferanten/Freiberufler - Dati del cedente/prestatore"),
        (200, 240, "Benennung"),
        (500, 250, "Yo YourCompany"),
        (200, 262, "Nominativo"),
        (60, 500, "Totale documento: 81,49"),
    )
    assert extract_fields(spans, [])["fields"]["vendor"].value == "YourCompany"


# --- identifiers as long as an access key ----------------------------------------------------------------------


def test_a_page_of_long_access_keys_is_read_not_failed() -> None:
    """A Brazilian freight bill (DACTE) prints 44-digit access keys in rows with other figures; they parse as figures,
    and their products passed Decimal's 28 digits, so `fields` failed the document (set F, 2026-12-03): it must read
    the page and give the keys no amount."""
    key_a, key_b = "35240781583054000129570010000057411040645890", "41190806117473000150550010000586251016759484"
    spans = _spans(
        (100, 100, "DACTE"),
        (100, 160, f"{key_a} {key_b} 12,50"),
        (100, 240, f"CHAVE DE ACESSO {key_a}"),
        (100, 280, "Valor total 100,00"),
    )
    payload, _extract_ms, _verify_ms = fields_payload(spans, [])
    amounts = [field["value"] for name, field in payload["fields"].items() if name in ("subtotal", "tax", "total")]
    assert key_a not in str(amounts) and key_b not in str(amounts)
