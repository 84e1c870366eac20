"""Fields v13, on made-up pages, each rule both ways: card slips (their copy and sale words, a slip number
under its heading, a Japanese transaction date), a receipt's shop over its address, a sentence is no vendor,
payment arithmetic (tendered - change = total) for a receipt's type, total and verification, verification that
says unverifiable where the reading is unsure, and label families in more languages."""

from __future__ import annotations

from mm_assets.kinds.fields import fields_payload
from mm_assets.operations.invoice_fields import extract_fields


def _spans(*lines: tuple[float, float, str]) -> list[dict]:
    return [{"text": t, "page": 1, "bbox": [x, y, x + 14 * len(t), y + 30], "source": "ocr"} for x, y, t in lines]


def _values(found: dict) -> dict:
    return {name: str(f.value) for name, f in found["fields"].items()}


def _table(rows: list[list[str]], top: float = 200) -> list[dict]:
    cells = [
        {
            "row": r,
            "col": c,
            "rowspan": 1,
            "colspan": 1,
            "text": text,
            "bbox": [50 + 150 * c, top + 40 * r, 190 + 150 * c, top + 30 + 40 * r],
        }
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    box = [50, top, 50 + 150 * len(rows[0]), top + 40 * len(rows)]
    return [{"page": 1, "bbox": box, "n_rows": len(rows), "n_cols": len(rows[0]), "rows": rows, "cells": cells}]


# --- card slips ---------------------------------------------------------------------------------------


def _japanese_card_slip() -> list[dict]:
    return _spans(
        (60, 50, "クレジットカード売上票"),
        (60, 100, "金額"),
        (260, 100, "¥8 ,800"),
        (60, 150, "会員番号 XXXX1234"),
        (60, 200, "お取扱日 2026年03月07日"),
        (60, 250, "承認番号 0098765"),
        (530, 290, "お客様控え"),
    )


def test_a_card_sales_slip_that_names_its_copy_is_a_receipt_with_its_date_amount_and_yen() -> None:
    found = extract_fields(_japanese_card_slip(), [])
    assert found["doc_type"] == "receipt"
    values = _values(found)
    assert (values["invoice_date"], values["total"], values["currency"]) == ("2026-03-07", "8800", "JPY")


def test_an_order_ticket_with_no_amount_stays_other() -> None:
    found = extract_fields(
        _spans((230, 150, "[New Order]"), (680, 150, "Table #4"), (80, 300, "Glass Beer"), (790, 300, "1")), []
    )
    assert found["doc_type"] == "other"


def _slip(amount: str = "12.34") -> list[dict]:
    return _spans(
        (150, 60, "DATE"),
        (560, 60, "SLIP #"),
        (150, 105, "Mar. 7, 2026"),
        (600, 105, "40417"),
        (260, 320, "7890 AMOUNT"),
        (660, 320, amount),
        (150, 370, "APP CODE"),
        (210, 420, "0001111 TOTAL"),
        (660, 420, amount),
    )


def test_a_slip_number_under_its_heading_is_the_number_not_the_date_beside_it() -> None:
    values = _values(extract_fields(_slip(), []))
    assert values["invoice_number"] == "40417"
    assert values["invoice_date"] == "2026-03-07"


# --- a receipt's shop -------------------------------------------------------------------------------------


def _receipt_with_shop_at_the_foot() -> list[dict]:
    return _spans(
        (60, 55, "Mar. 7, 2026"),
        (690, 55, "NO. 77"),
        (320, 110, "RECEIPT"),
        (330, 310, "64.20"),
        (200, 470, "Received the amount above."),
        (650, 780, "SHOP"),
        (520, 830, "Harbour Tea House"),
        (410, 880, "4-2-1 Minato, Chuo-ku"),
    )


def test_a_receipts_shop_is_the_name_over_its_address_at_the_foot_not_the_sentence() -> None:
    found = extract_fields(_receipt_with_shop_at_the_foot(), [])
    assert found["doc_type"] == "receipt"
    assert _values(found)["vendor"] == "Harbour Tea House"


def test_a_japanese_shop_name_over_its_address_is_the_vendor() -> None:
    found = extract_fields(
        _spans(
            (60, 55, "2026年3月 7日"),
            (240, 100, "領 収 証"),
            (240, 310, "¥3 ,300-"),
            (120, 520, "上記、 正に領収いたしました。"),
            (490, 880, "港町茶房"),
            (285, 925, "東京都中央区湊4-2-1"),
        ),
        [],
    )
    assert _values(found)["vendor"] == "港町茶房"


def test_without_an_address_under_it_no_line_is_taken_for_the_shop_by_that_rule() -> None:
    spans = [s for s in _receipt_with_shop_at_the_foot() if "Minato" not in s["text"]]
    assert _values(extract_fields(spans, [])).get("vendor") != "Harbour Tea House"


def test_a_sentence_is_no_vendor_but_a_name_ending_in_an_abbreviation_is() -> None:
    def vendor(first: str) -> str | None:
        found = extract_fields(
            _spans(
                (60, 40, first),
                (60, 90, "INVOICE"),
                (60, 140, "Invoice No: 5"),
                (60, 400, "Total"),
                (600, 400, "10.00 EUR"),
            ),
            [],
        )
        return _values(found).get("vendor")

    assert vendor("Fields without content are not shown!") != "Fields without content are not shown!"
    assert vendor("Acme Tools Ltd.") == "Acme Tools Ltd."


# --- payment arithmetic -------------------------------------------------------------------------------------


def _till_receipt(
    total_row: tuple[str, str] | None, cash: str = "50.00", change: str = "7.50", title: str = "CORNER DELI"
) -> list[dict]:
    lines = [
        (60, 40, title),
        (60, 80, "2026-03-07 12:30"),
        (60, 200, "SANDWICH"),
        (700, 200, "30.00"),
        (60, 240, "COFFEE"),
        (700, 240, "12.50"),
    ]
    if total_row is not None:
        lines += [(60, 320, total_row[0]), (700, 320, total_row[1])]
    lines += [(60, 360, "CASH"), (700, 360, cash), (60, 400, "CHANGE"), (700, 400, change)]
    return _spans(*lines)


def test_cash_less_change_makes_a_printed_figure_a_receipt_and_its_total() -> None:
    payload, _, _ = fields_payload(_till_receipt(("", "42.50")), [])
    assert payload["doc_type"] == "receipt"
    assert payload["fields"]["total"]["value"] == "42.50"


def test_without_a_figure_that_cash_less_change_makes_the_page_is_no_receipt_by_that_rule() -> None:
    payload, _, _ = fields_payload(_till_receipt(("", "41.00")), [])
    assert payload["doc_type"] == "other"


def test_a_labelled_total_that_cash_and_change_agree_with_verifies() -> None:
    payload, _, _ = fields_payload(_till_receipt(("TOTAL", "42.50")), [])
    assert payload["verification"]["status"] == "verified"


def test_a_labelled_total_that_cash_and_change_contradict_is_a_conflict() -> None:
    payload, _, _ = fields_payload(_till_receipt(("TOTAL", "45.50"), title="CORNER DELI RECEIPT"), [])
    assert payload["verification"]["status"] == "conflict"
    assert [f["rule"] for f in payload["verification"]["failed"]] == ["tendered_less_change_is_total"]


def test_cash_rounding_of_a_few_cents_is_no_conflict() -> None:
    payload, _, _ = fields_payload(_till_receipt(("TOTAL", "42.48"), change="7.50"), [])
    assert payload["verification"]["status"] == "verified"


# --- unverifiable, not a conflict, where the reading is unsure ----------------------------------------------------


def _bill_with_items_in_a_column(subtotal: str, third: str = "30.00") -> list[dict]:
    """Three items in one column over their subtotal."""
    return _spans(
        (60, 40, "Nordwind Supplies"),
        (60, 80, "INVOICE"),
        (60, 120, "Invoice No: NW-7"),
        (60, 160, "Date: 2026-03-07"),
        (60, 200, "Description"),
        (650, 200, "Amount"),
        (60, 240, "Rope"),
        (650, 240, "10.00"),
        (60, 280, "Hooks"),
        (650, 280, "20.00"),
        (60, 320, "Tarp"),
        (650, 320, third),
        (450, 380, "Subtotal"),
        (650, 380, subtotal),
        (450, 420, "Tax 10%"),
        (650, 420, "6.00"),
        (450, 460, "Total"),
        (650, 460, "66.00"),
    )


TWO_OF_THREE_ITEMS = [["Description", "Amount"], ["Rope", "10.00"], ["Hooks", "20.00"]]


def test_items_the_table_missed_under_a_printed_column_that_sums_to_the_subtotal_are_unverifiable() -> None:
    # the page prints three items that make the subtotal; the table model read two of them
    payload, _, _ = fields_payload(_bill_with_items_in_a_column("60.00"), _table(TWO_OF_THREE_ITEMS))
    assert payload["verification"]["status"] == "unverifiable"


def test_printed_items_that_sum_to_something_else_than_the_printed_subtotal_stay_a_conflict() -> None:
    rows = [["Description", "Amount"], ["Rope", "10.00"], ["Hooks", "20.00"], ["Tarp", "35.00"]]
    payload, _, _ = fields_payload(_bill_with_items_in_a_column("60.00", third="35.00"), _table(rows))
    assert payload["verification"]["status"] == "conflict"
    assert [f["rule"] for f in payload["verification"]["failed"]] == ["lines_sum_to_subtotal"]


def _bill_without_subtotal(between: bool) -> list[dict]:
    lines = [
        (60, 40, "Nordwind Supplies"),
        (60, 80, "INVOICE"),
        (60, 120, "Invoice No: NW-8"),
        (60, 200, "Description"),
        (650, 200, "Amount"),
        (60, 240, "Rope"),
        (650, 240, "10.00"),
        (60, 280, "Hooks"),
        (650, 280, "20.00"),
    ]
    if between:
        lines += [(450, 340, "Kulu 10 %"), (650, 340, "3.00")]  # a tax row of a name no label knows
    lines += [(450, 400, "Total"), (650, 400, "33.00")]
    return _spans(*lines)


def test_an_unread_row_between_the_items_and_their_total_makes_it_unverifiable() -> None:
    items = _table([["Description", "Amount"], ["Rope", "10.00"], ["Hooks", "20.00"]])
    payload, _, _ = fields_payload(_bill_without_subtotal(between=True), items)
    assert payload["verification"]["status"] == "unverifiable"


def test_items_that_miss_their_total_with_nothing_between_stay_a_conflict() -> None:
    items = _table([["Description", "Amount"], ["Rope", "10.00"], ["Hooks", "20.00"]])
    payload, _, _ = fields_payload(_bill_without_subtotal(between=False), items)
    assert payload["verification"]["status"] == "conflict"


def _bill_with_goods_value_over_a_discount(total: str) -> list[dict]:
    """The subtotal label reads the goods before a discount no label reads; the page's printed-rate tax step
    makes the total from the net after it."""
    return _spans(
        (60, 40, "Nordwind Supplies"),
        (60, 80, "INVOICE"),
        (60, 120, "Invoice No: NW-9"),
        (450, 300, "Subtotal"),
        (650, 300, "110.00"),
        (450, 340, "Skonto"),
        (650, 340, "-10.00"),
        (450, 380, "Net"),
        (650, 380, "100.00"),
        (450, 420, "VAT 20%"),
        (650, 420, "20.00"),
        (450, 460, "Total"),
        (650, 460, total),
    )


def test_a_total_the_pages_tax_step_makes_from_other_figures_is_unverifiable_not_a_conflict() -> None:
    payload, _, _ = fields_payload(_bill_with_goods_value_over_a_discount("120.00"), [])
    assert payload["verification"]["status"] != "conflict"


def test_a_total_no_tax_step_makes_stays_a_conflict() -> None:
    payload, _, _ = fields_payload(_bill_with_goods_value_over_a_discount("125.00"), [])
    assert payload["verification"]["status"] == "conflict"


# --- label families in more languages -------------------------------------------------------------------------------


def test_a_finnish_invoice_reads_by_its_labels() -> None:
    found = extract_fields(
        _spans(
            (60, 40, "Saimaan Puu Oy"),
            (600, 40, "LASKU"),
            (600, 80, "Laskun numero: 2026-114"),
            (600, 120, "Päivämäärä: 07.03.2026"),
            (600, 160, "Eräpäivä: 21.03.2026"),
            (400, 400, "Veroton yhteensä"),
            (650, 400, "100,00 €"),
            (400, 440, "ALV 25,5 %"),
            (650, 440, "25,50 €"),
            (400, 480, "Yhteensä"),
            (650, 480, "125,50 €"),
        ),
        [],
    )
    values = _values(found)
    assert found["doc_type"] == "invoice"
    assert values["invoice_number"] == "2026-114"
    assert (values["invoice_date"], values["due_date"]) == ("2026-03-07", "2026-03-21")
    assert (values["subtotal"], values["tax"], values["total"]) == ("100.00", "25.50", "125.50")


def test_a_turkish_invoice_reads_ara_toplam_kdv_and_genel_toplam() -> None:
    found = extract_fields(
        _spans(
            (60, 40, "Boğaz Tekstil"),
            (600, 40, "FATURA"),
            (600, 80, "Fatura No: BT-2026-9"),
            (600, 120, "Tarih: 07.03.2026"),
            (600, 160, "Vade Tarihi: 06.04.2026"),
            (400, 400, "Ara Toplam"),
            (650, 400, "1.000,00 TL"),
            (400, 440, "KDV %20"),
            (650, 440, "200,00 TL"),
            (400, 480, "Genel Toplam"),
            (650, 480, "1.200,00 TL"),
        ),
        [],
    )
    values = _values(found)
    assert values["invoice_number"] == "BT-2026-9"
    assert (values["invoice_date"], values["due_date"]) == ("2026-03-07", "2026-04-06")
    assert (values["subtotal"], values["tax"], values["total"]) == ("1000.00", "200.00", "1200.00")


def test_a_name_starting_with_a_tax_word_is_no_tax_label() -> None:
    found = extract_fields(
        _spans(
            (60, 40, "INVOICE"),
            (60, 80, "Invoice No: 9"),
            (60, 300, "Alvarez Tiles"),
            (600, 300, "5.00"),
            (60, 400, "Total"),
            (600, 400, "5.00 EUR"),
        ),
        [],
    )
    assert "tax" not in found["fields"]


def _summary(subtotal: str, tax: str, total: str) -> list[dict]:
    return _spans(
        (60, 40, "Nordwind Supplies"),
        (60, 80, "INVOICE"),
        (60, 120, "Invoice No: NW-10"),
        (450, 300, "Subtotal"),
        (650, 300, subtotal),
        (450, 340, "VAT"),
        (650, 340, tax),
        (450, 380, "Total"),
        (650, 380, total),
    )


def test_a_subtotal_equal_to_the_total_with_the_tax_beside_it_is_unverifiable_not_a_conflict() -> None:
    payload, _, _ = fields_payload(_summary("119.00 EUR", "19.00 EUR", "119.00 EUR"), [])
    assert payload["verification"]["status"] == "unverifiable"  # prices with their tax in, the tax shown as a part


def test_a_credit_note_signing_its_total_apart_is_unverifiable_but_a_wrong_one_a_conflict() -> None:
    payload, _, _ = fields_payload(_summary("100.00 EUR", "20.00 EUR", "-120.00 EUR"), [])
    assert payload["verification"]["status"] == "unverifiable"
    payload, _, _ = fields_payload(_summary("100.00 EUR", "20.00 EUR", "-125.00 EUR"), [])
    assert payload["verification"]["status"] == "conflict"


def test_a_total_neither_way_is_still_a_conflict() -> None:
    payload, _, _ = fields_payload(_summary("119.00 EUR", "19.00 EUR", "129.00 EUR"), [])
    assert payload["verification"]["status"] == "conflict"


def test_items_priced_with_their_tax_that_sum_to_the_total_are_unverifiable_not_a_conflict() -> None:
    items = _table([["Description", "Amount"], ["Rope", "59.50"], ["Hooks", "59.50"]], top=500)
    payload, _, _ = fields_payload(_summary("100.00 EUR", "19.00 EUR", "119.00 EUR"), items)
    assert payload["verification"]["status"] == "unverifiable"
    items = _table([["Description", "Amount"], ["Rope", "59.50"], ["Hooks", "60.50"]], top=500)
    payload, _, _ = fields_payload(_summary("100.00 EUR", "19.00 EUR", "119.00 EUR"), items)
    assert payload["verification"]["status"] == "conflict"  # the items sum to neither


def _dated(issued: str, due: str) -> list[dict]:
    return _spans(
        (60, 40, "Nordwind GmbH"),
        (60, 80, "RECHNUNG"),
        (60, 120, "Rechnung Nr. 5"),
        (60, 160, f"Rechnungsdatum: {issued}"),
        (60, 200, f"Fällig am: {due}"),
        (450, 380, "Gesamtbetrag"),
        (650, 380, "10,00 EUR"),
    )


def test_a_due_date_before_the_issue_date_only_in_one_order_of_day_and_month_is_unverifiable() -> None:
    payload, _, _ = fields_payload(_dated("05.04.2026", "10.03.2026"), [])
    assert payload["verification"]["status"] == "unverifiable"  # 4 May and 3 October read month first


def test_a_due_date_before_the_issue_date_either_way_is_a_conflict() -> None:
    payload, _, _ = fields_payload(_dated("25.04.2026", "10.03.2026"), [])
    assert payload["verification"]["status"] == "conflict"
    assert [f["rule"] for f in payload["verification"]["failed"]] == ["due_not_before_issue"]


def test_a_russian_invoice_is_an_invoice_with_its_tax_and_total() -> None:
    found = extract_fields(
        _spans(
            (60, 40, "ООО Ромашка"),
            (400, 80, "Счёт № 17"),
            (450, 380, "НДС 20%"),
            (650, 380, "200,00"),
            (450, 420, "Итого к оплате"),
            (650, 420, "1 200,00"),
        ),
        [],
    )
    assert found["doc_type"] == "invoice"
    values = _values(found)
    assert (values["tax"], values["total"]) == ("200.00", "1200.00")
    assert values["vendor"] == "ООО Ромашка"  # a name in Cyrillic letters


def test_a_cyrillic_line_that_names_no_bill_is_no_invoice() -> None:
    found = extract_fields(_spans((60, 40, "Протокол собрания"), (60, 80, "Присутствовали 12 человек")), [])
    assert found["doc_type"] == "other"


ITEMS_ONE_PRICE_OFF = [
    ["Item", "Qty", "Each", "Amount"],
    ["Nails", "2", "4.00", "8.00"],
    ["Glue", "3", "4.00", "13.00"],
]


def test_a_line_whose_quantity_and_price_miss_its_amount_is_unverifiable_when_the_amounts_add_up() -> None:
    # 3 x 4.00 is not 13.00, but the amounts make the subtotal and the summary adds up: a pack size or unit misread
    items = _table(ITEMS_ONE_PRICE_OFF, top=500)
    payload, _, _ = fields_payload(_summary("21.00 EUR", "2.10 EUR", "23.10 EUR"), items)
    assert payload["verification"]["status"] == "unverifiable"


def test_the_same_line_is_a_conflict_where_the_amounts_miss_the_subtotal_too() -> None:
    items = _table(ITEMS_ONE_PRICE_OFF, top=500)
    payload, _, _ = fields_payload(_summary("20.00 EUR", "2.00 EUR", "22.00 EUR"), items)
    assert payload["verification"]["status"] == "conflict"
    assert [f["rule"] for f in payload["verification"]["failed"]] == ["quantity_x_unit_price", "lines_sum_to_subtotal"]


def test_cash_and_a_card_on_one_bill_are_summed_as_what_was_handed_over() -> None:
    spans = _till_receipt(("TOTAL", "42.50"), cash="20.00", change="0.00", title="CORNER DELI RECEIPT")
    spans[-2:-2] = _spans((60, 380, "CARD"), (700, 380, "22.50"))
    for span in spans[-2:]:  # the change row one row lower
        span["bbox"] = [span["bbox"][0], 420, span["bbox"][2], 450]
    payload, _, _ = fields_payload(spans, [])
    assert payload["verification"]["status"] == "verified"


def test_a_payment_that_makes_another_printed_figure_leaves_the_read_total_unverifiable() -> None:
    # the page prints 42.50 above the cash (what was paid for) and the total label reads another figure
    spans = _till_receipt(("TOTAL", "30.00"), cash="50.00", change="7.50", title="CORNER DELI RECEIPT")
    spans += _spans((60, 300, "SUM"), (700, 300, "42.50"))
    payload, _, _ = fields_payload(spans, [])
    assert payload["verification"]["status"] == "unverifiable"
