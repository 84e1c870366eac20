"""A born-digital table's grid from its text layer's geometry (resources.table_geometry), read from
real PDFs drawn with pdfium and read back through the pipeline's own text-layer reader."""

from __future__ import annotations

from mm_assets.kinds.table import fill_table, structure_problems, text_layer_grid
from mm_assets.operations.document_pages import Table, Text, born_digital
from resources.table_geometry import geometry_grid
from resources.text_layer import read_text_layer

DPI = 150
# The shape SLANet+ read as two columns in `mm eval tables` (unruled, four columns, short numbers).
UNRULED_ROWS = (
    ("Name", "North 1", "Core 2", "Unit 3"),
    ("Alpha 12", "4.50", "310", "12.00"),
    ("Beta 7", "1,204.99", "7", "0.25"),
    ("Gamma 88", "12", "99.10", "800"),
)


def table_spans(elements: list) -> list[dict]:
    pdf = born_digital([elements])
    (page,) = read_text_layer(pdf, DPI)
    return [{"text": s.text, "page": s.page, "bbox": list(s.bbox), "source": s.source} for s in page.spans]


def test_an_unruled_four_column_table_is_read_cell_for_cell_from_the_text_layer():
    spans = table_spans([Table(72, 200, UNRULED_ROWS, (110, 110, 110, 110), ruled=False)])
    table = fill_table(text_layer_grid(spans), spans)
    assert table["rows"] == [list(row) for row in UNRULED_ROWS]
    assert (table["n_rows"], table["n_cols"]) == (4, 4)
    assert structure_problems([{"page": 1, "bbox": [0, 0, 1, 1], **table}]) == []


def test_a_ruled_table_with_a_title_line_inside_gets_a_spanning_cell():
    rows = (("Region", "Units", "Amount"), ("North", "120", "4,800.00"), ("South", "95", "3,610.50"))
    spans = table_spans([Text(72, 185, "Sales by region, all figures in euros"), Table(72, 200, rows, (140, 90, 90))])
    table = fill_table(text_layer_grid(spans), spans)
    assert table["rows"][1:] == [list(row) for row in rows]
    title = next(cell for cell in table["cells"] if cell["row"] == 0)
    assert title["text"] == "Sales by region, all figures in euros" and title["colspan"] > 1
    assert structure_problems([{"page": 1, "bbox": [0, 0, 1, 1], **table}]) == []


def test_prose_or_ocr_spans_make_no_grid_and_leave_the_table_to_the_model():
    prose = table_spans([Text(72, 100 + 14 * line, f"Line {line} of running prose.") for line in range(6)])
    assert geometry_grid([tuple(s["bbox"]) for s in prose]) is None  # one run per row: no column gap
    table = table_spans([Table(72, 200, UNRULED_ROWS, (110, 110, 110, 110), ruled=False)])
    assert text_layer_grid([{**span, "source": "rapidocr"} for span in table]) is None
