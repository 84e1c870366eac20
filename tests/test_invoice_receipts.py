"""Receipts in fields v12, on made-up pages: a receipt's title with an amount and no total word, Japanese
receipts (領収書, 合計, 小計, 消費税, お釣り, dates in 年月日), a card slip, figures whose mark OCR set apart."""

from __future__ import annotations

from mm_assets.operations.invoice_fields import extract_fields
from mm_assets.operations.invoice_values import parse_date


def _spans(*lines: tuple[float, float, str]) -> list[dict]:
    return [{"text": t, "page": 1, "bbox": [x, y, x + 14 * len(t), y + 30], "source": "ocr"} for x, y, t in lines]


def _values(found: dict) -> dict:
    return {name: str(f.value) for name, f in found["fields"].items()}


def test_japanese_and_full_width_dates() -> None:
    assert str(parse_date("2026年3月 7日(土) 12:30")) == "2026-03-07"
    assert str(parse_date("Mar.7，2026")) == "2026-03-07"


def test_a_japanese_receipt_is_a_receipt_with_its_total_tax_and_yen() -> None:
    found = extract_fields(
        _spans(
            (200, 60, "喫茶みどり"),
            (150, 120, "2026年3月 7日(土) 12:30"),
            (220, 180, "領 収 書"),
            (60, 260, "コーヒー"),
            (600, 260, "¥500"),
            (60, 300, "ケーキ"),
            (600, 300, "¥600"),
            (60, 360, "小計"),
            (580, 360, "¥1,100"),
            (60, 400, "消費税"),
            (600, 400, "¥110"),
            (60, 440, "合計"),
            (580, 440, "¥1 ,210"),
            (60, 480, "お預り"),
            (580, 480, "¥2,000"),
            (60, 520, "お釣り"),
            (600, 520, "¥790"),
        ),
        [],
    )
    assert found["doc_type"] == "receipt"
    values = _values(found)
    assert values["invoice_date"] == "2026-03-07" and values["currency"] == "JPY"
    assert (values["subtotal"], values["tax"], values["total"]) == ("1100", "110", "1210")


def test_a_receipt_titled_so_with_an_amount_and_no_total_word_is_a_receipt() -> None:
    found = extract_fields(
        _spans((300, 100, "RECEIPT"), (60, 40, "No. 88"), (300, 200, "42.50"), (60, 300, "Received with thanks.")),
        [],
    )
    assert found["doc_type"] == "receipt"


def test_a_card_slip_is_a_receipt() -> None:
    found = extract_fields(
        _spans(
            (150, 60, "DATE"),
            (560, 60, "SLIP #"),
            (150, 100, "Mar. 7, 2026"),
            (650, 100, "5521"),
            (150, 300, "AMOUNT"),
            (650, 300, "27.90"),
            (150, 400, "TOTAL"),
            (650, 400, "27 . 90"),
        ),
        [],
    )
    assert found["doc_type"] == "receipt"
    assert _values(found)["total"] == "27.90"  # "27 . 90": the mark set apart by OCR


def test_a_page_with_a_receipt_word_but_no_amount_is_no_receipt() -> None:
    found = extract_fields(_spans((60, 40, "Please keep your receipt for returns."), (60, 100, "Open 9-17")), [])
    assert found["doc_type"] == "other"


def test_a_slip_s_total_after_its_row_code_and_an_amount_label_are_its_total() -> None:
    slip = extract_fields(
        _spans((150, 60, "SLIP #"), (150, 100, "Mar. 7, 2026"), (150, 300, "0004417 TOTAL 9.80")),
        [],
    )
    assert _values(slip)["total"] == "9.80"
    card = extract_fields(
        _spans((60, 60, "CARD RECEIPT"), (60, 100, "AMOUNT"), (260, 100, "64.10"), (60, 150, "DATE 2026-03-07")),
        [],
    )
    assert _values(card)["total"] == "64.10"


def test_a_receipt_s_headline_amount_in_large_type_is_its_total() -> None:
    lines = [
        {"text": "RECEIPT", "page": 1, "bbox": [300, 100, 420, 130], "source": "ocr"},
        {"text": "No. 77", "page": 1, "bbox": [600, 40, 680, 70], "source": "ocr"},
        {"text": "88.20", "page": 1, "bbox": [320, 200, 520, 260], "source": "ocr"},  # twice the others' height
        {"text": "Tax 8.02", "page": 1, "bbox": [60, 400, 200, 430], "source": "ocr"},
        {"text": "Received the amount above.", "page": 1, "bbox": [60, 300, 500, 330], "source": "ocr"},
    ]
    assert _values(extract_fields(lines, []))["total"] == "88.20"
