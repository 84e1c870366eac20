"""Fields v18's fiscal totals grid (operations.invoice_fiscal_grid, rule `grid_sum`) on a made-up DANFE grid laid out
as the nfe-danfe-pdf layout prints it: rows of captions, each over a row of figures, OCR reading several captions or
figures as one line. Tried both ways: a grid whose parts make its total verifies, one that does not is a conflict,
and a grid read in part checks nothing."""

from __future__ import annotations

from decimal import Decimal

from mm_assets.operations.invoice_fiscal_grid import grid_sum_check
from mm_assets.operations.invoice_verification import verify
from mm_assets.page_layout import page_lines


def _span(x0: float, y0: float, x1: float, text: str) -> dict:
    return {"text": text, "page": 1, "bbox": [x0, y0, x1, y0 + 10], "source": "text_layer"}


def _grid(total: str, ipi: str = "23,91", products_caption: str = "VALOR TOTAL DOS PRODUTOS") -> list[dict]:
    return [
        # upper row: the import tax cell prints the IPI's figure too (the layout's quirk), then the products
        _span(742, 715, 1173, f"VALOR IMP. IMPORTAÇÃO VALOR DO PIS {products_caption}"),
        _span(560, 715, 672, "VALOR DO ICMS SUBST."),
        _span(700, 735, 733, "0,00"),
        _span(873, 735, 916, ipi),
        _span(969, 735, 1023, "310,10"),
        _span(1148, 735, 1225, "18.794,12"),
        # lower row: freight, insurance, discount, other costs, IPI; COFINS and the note's total as one line
        _span(9, 757, 113, "VALOR DO FRETE"),
        _span(192, 757, 307, "VALOR DO SEGURO"),
        _span(375, 757, 441, "DESCONTO"),
        _span(559, 757, 672, "OUTRAS DESPESAS"),
        _span(742, 757, 865, "VALOR TOTAL DO IPI"),
        _span(924, 757, 1173, "VALOR DA COFINS VALOR TOTAL DA NOTA"),
        _span(131, 777, 184, "788,00"),
        _span(333, 777, 366, "0,00"),
        _span(516, 777, 549, "0,00"),
        _span(700, 777, 733, "0,00"),
        _span(873, 777, 1022, f"{ipi} 1.428,35"),  # the IPI's and the COFINS' figures read as one line
        _span(1148, 777, 1224, total),
    ]


def test_a_grid_whose_parts_make_its_total_verifies() -> None:
    found = grid_sum_check(page_lines(_grid("19.606,03")))
    # 18.794,12 + 788,00 + 0 - 0 + 0 + 0 + IPI 23,91 (the import tax's cell repeats the IPI: not counted twice)
    assert found is not None and found.value == (Decimal("19606.03"), Decimal("19606.03"))
    assert verify({"grid_sum": found}, [], [])["status"] != "conflict"


def test_a_grid_total_its_parts_do_not_make_is_a_conflict() -> None:
    found = grid_sum_check(page_lines(_grid("19.552,23")))
    assert found is not None and found.value == (Decimal("19606.03"), Decimal("19552.23"))
    result = verify({"grid_sum": found}, [], [])
    assert result["status"] == "conflict" and result["failed"][0]["rule"] == "grid_sum"


def test_a_grid_read_in_part_checks_nothing() -> None:
    # no products caption: the parts cannot be summed, whatever the total
    assert grid_sum_check(page_lines(_grid("19.552,23", products_caption="VALOR APROX. TRIBUTOS"))) is None


def test_a_stray_watermark_letter_in_a_row_of_figures_is_no_word() -> None:
    # a homologation DANFE draws "SEM VALOR FISCAL" across the grid: OCR reads a lone "C" before the IPI's figure
    stray = _span(860, 777, 916, "C 23,91")
    spans = [stray if span["text"] == "23,91 1.428,35" else span for span in _grid("19.606,03")]
    found = grid_sum_check(page_lines(spans))
    assert found is not None and found.value == (Decimal("19606.03"), Decimal("19606.03"))
    # a word in the row is not a figure cell: the part reads nothing, so nothing is checked
    worded = _span(840, 777, 916, "Venda 23,91")
    spans = [worded if span["text"] == "23,91 1.428,35" else span for span in _grid("1,00")]
    assert grid_sum_check(page_lines(spans)) is None
