"""A born-digital table's grid from its text layer's geometry (resources.table_geometry), read from
real PDFs drawn with pdfium and read back through the pipeline's own text-layer reader."""

from __future__ import annotations

from mm_assets.kinds.table import fill_table, structure_problems, text_layer_grid
from mm_assets.operations.document_pages import Table, Text, born_digital
from mm_assets.operations.real_documents import REAL_DIR
from resources.document_models import GridCell
from resources.table_geometry import geometry_grid, split_merged_rows
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


def test_a_long_name_running_into_the_next_column_does_not_merge_the_two_columns():
    rows = [("Apellido", "Nombre", "Importe"), *((f"NAME{i}", f"GIVEN {i}", f"{i}0.00") for i in range(6))]
    rows[3] = ("VALSANGIACOMO BLANCO", "FERNANDO", "30.00")  # runs on past its 80-point column
    spans = table_spans([Table(72, 200, tuple(rows), (80, 100, 80), ruled=False)])
    table = fill_table(text_layer_grid(spans), spans)
    assert table["n_cols"] == 3
    assert table["rows"][1] == ["NAME0", "GIVEN 0", "00.00"] and table["rows"][3][2] == "30.00"


def model_grid_merging_rows(spans: list[dict], first: int, last: int) -> list[GridCell]:
    """What the table model returned on a skewed scan: rows first..last read as one row."""
    exact = geometry_grid([tuple(s["bbox"]) for s in spans])
    merged = []
    for cell in exact:
        if first < cell.row <= last:
            continue
        row = cell.row if cell.row <= first else cell.row - (last - first)
        bbox = cell.bbox
        if cell.row == first:
            bottom = max(c.bbox[3] for c in exact if c.row == last)
            bbox = (bbox[0], bbox[1], bbox[2], bottom)
        merged.append(GridCell(row, cell.col, cell.rowspan, cell.colspan, bbox))
    return merged


def test_item_rows_the_model_read_as_one_are_cut_apart_by_their_text_lines():
    rows = (("Description", "Qty", "Amount"), ("Glue", "2", "4.00"), ("Tape", "1", "2.50"), ("Pins", "3", "0.90"))
    spans = table_spans([Table(72, 200, rows, (160, 60, 80), ruled=False)])
    grid = model_grid_merging_rows(spans, 1, 3)
    assert fill_table(grid, spans)["n_rows"] == 2  # one row, three lines in every cell
    table = fill_table(split_merged_rows(grid, spans), spans)
    assert table["rows"] == [list(row) for row in rows]
    assert structure_problems([{"page": 1, "bbox": [0, 0, 1, 1], **table}]) == []


def test_a_description_wrapped_over_two_lines_beside_single_numbers_stays_one_row():
    spans = table_spans(
        [
            Table(72, 200, (("Description", "Amount"), ("Annual support", "90.00")), (160, 80), ruled=False),
            Text(75, 236, "and updates"),  # the description's second line, inside its cell
        ]
    )
    grid = [GridCell(0, 0, 1, 1, (60, 400, 400, 440)), GridCell(0, 1, 1, 1, (400, 400, 600, 440))]
    grid += [GridCell(1, 0, 1, 1, (60, 440, 400, 520)), GridCell(1, 1, 1, 1, (400, 440, 600, 520))]
    assert split_merged_rows(grid, spans) == grid
    assert fill_table(grid, spans)["rows"] == [["Description", "Amount"], ["Annual support and updates", "90.00"]]


def test_a_receipt_written_character_by_character_is_read_as_words_not_letters():
    """oyo.pdf (a real receipt, evaluation/real, tuning part) places every character on its own;
    pdfium gives one rectangle per character, 972 spans on the page before they were joined."""
    pdf = (REAL_DIR / "invoices" / "oyo.pdf").read_bytes()
    texts = [span.text for span in read_text_layer(pdf, DPI)[0].spans]
    assert texts[:3] == ["PAYMENT RECEIPT", "Guest Name: Sanjay", "Date: 31/12/2017"]
    assert len(texts) < 80
