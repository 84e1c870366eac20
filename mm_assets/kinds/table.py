"""table: every table region of the layout as table JSON (grid, cells with boxes, HTML).

A born-digital table's grid comes from where its text-layer words sit (resources.table_geometry:
row bands, column gaps clear down the rows); a scanned table's, or one whose words make no grid,
from the table model (resources.document_models.TableRecognizer) run on the table crop: rows,
columns, spans and a box per cell. The text is ours: the ocr artifact's spans inside the table
(a born-digital page's text layer, a scanned page's OCR) go to the row band and column band they
sit in. Rows and columns left without any text are dropped (the model sometimes predicts a ghost
row). Boxes are in pixels of the upright page, like every other box.
"""

from __future__ import annotations

import html
from statistics import median
from typing import Any

from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.layout import overlap_share
from mm_assets.kinds.pages import load_pages
from mm_assets.page_layout import page_lines
from resources.document_models import GridCell
from resources.table_geometry import geometry_grid, split_merged_rows
from resources.text_layer import TEXT_LAYER_SOURCE

TABLE_VERSION = "2"  # 2: born-digital grids from the text layer's geometry
CROP_PAD_PX = 8  # the model reads a table better with a little margin round it
MIN_SPAN_IN_TABLE = 0.5  # a span belongs to a table when this share of it lies inside


def page_tables(page: int, image: Any, blocks: list[dict], spans: list[dict], recognizer: Any) -> list[dict]:
    """Table JSON for each table block of one page."""
    tables = []
    for block in blocks:
        if block["class"] != "table":
            continue
        x0, y0, x1, y1 = block["bbox"]
        left, top = max(0, int(x0) - CROP_PAD_PX), max(0, int(y0) - CROP_PAD_PX)
        right, bottom = min(image.width, int(x1) + CROP_PAD_PX), min(image.height, int(y1) + CROP_PAD_PX)
        if right - left < 16 or bottom - top < 16:
            continue
        inside = [s for s in spans if overlap_share(s["bbox"], block["bbox"]) >= MIN_SPAN_IN_TABLE]
        grid = text_layer_grid(inside)
        if grid is None:
            grid = [_shifted(cell, left, top) for cell in recognizer.grid(image.crop((left, top, right, bottom)))]
            grid = split_merged_rows(grid, inside)  # rows the model read as one
        table = fill_table(grid, inside)
        if table is not None:
            tables.append({"page": page, "bbox": block["bbox"], **table})
    return tables


def text_layer_grid(spans: list[dict]) -> list[GridCell] | None:
    """A born-digital table's grid from its words' positions (resources.table_geometry); None for
    OCR'd text, whose runs merge and split cells, or when the positions make no grid."""
    if not spans or any(span.get("source") != TEXT_LAYER_SOURCE for span in spans):
        return None
    return geometry_grid([tuple(span["bbox"]) for span in spans])


def _shifted(cell: GridCell, dx: float, dy: float) -> GridCell:
    x0, y0, x1, y1 = cell.bbox
    return GridCell(cell.row, cell.col, cell.rowspan, cell.colspan, (x0 + dx, y0 + dy, x1 + dx, y1 + dy))


def _bands(grid: list[GridCell], axis: str) -> dict[int, tuple[float, float]]:
    """Each row's (or column's) extent: the median edges of its single-span cells."""
    lo, hi = (1, 3) if axis == "row" else (0, 2)
    members: dict[int, list[GridCell]] = {}
    for cell in grid:
        index, span = (cell.row, cell.rowspan) if axis == "row" else (cell.col, cell.colspan)
        if span == 1:
            members.setdefault(index, []).append(cell)
    return {i: (median(c.bbox[lo] for c in cells), median(c.bbox[hi] for c in cells)) for i, cells in members.items()}


def _nearest(bands: dict[int, tuple[float, float]], low: float, high: float) -> int | None:
    """The band overlapping [low, high] most; else the one whose middle is closest."""
    if not bands:
        return None

    def score(item: tuple[int, tuple[float, float]]) -> tuple[float, float]:
        _, (a, b) = item
        overlap = min(b, high) - max(a, low)
        return (overlap, -abs((a + b) / 2 - (low + high) / 2))

    return max(bands.items(), key=score)[0]


def fill_table(grid: list[GridCell], spans: list[dict]) -> dict[str, Any] | None:
    """The grid filled with the spans' text: n_rows, n_cols, rows, cells and html (None if empty)."""
    if not grid:
        return None
    rows, cols = _bands(grid, "row"), _bands(grid, "col")
    owner = {}  # (row, col) -> the grid cell covering it
    for cell in grid:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner.setdefault((r, c), cell)
    texts: dict[GridCell, list[dict]] = {}
    for span in spans:
        x0, y0, x1, y1 = span["bbox"]
        r, c = _nearest(rows, y0, y1), _nearest(cols, x0, x1)
        cell = owner.get((r, c)) if r is not None and c is not None else None
        if cell is not None:
            texts.setdefault(cell, []).append(span)
    used_rows = sorted({r for cell in texts for r in range(cell.row, cell.row + cell.rowspan)})
    used_cols = sorted({c for cell in texts for c in range(cell.col, cell.col + cell.colspan)})
    if not used_rows:
        return None
    row_at, col_at = {r: i for i, r in enumerate(used_rows)}, {c: i for i, c in enumerate(used_cols)}
    cells = []
    for cell in sorted(set(owner.values()), key=lambda c: (c.row, c.col)):
        kept_rows = [row_at[r] for r in range(cell.row, cell.row + cell.rowspan) if r in row_at]
        kept_cols = [col_at[c] for c in range(cell.col, cell.col + cell.colspan) if c in col_at]
        if not kept_rows or not kept_cols:
            continue
        inside = texts.get(cell, [])
        cells.append(
            {
                "row": kept_rows[0],
                "col": kept_cols[0],
                "rowspan": len(kept_rows),
                "colspan": len(kept_cols),
                "text": " ".join(line.text for line in page_lines(inside)),
                "bbox": [round(v, 1) for v in _cell_box(cell, inside)],
            }
        )
    n_rows, n_cols = len(used_rows), len(used_cols)
    grid_text = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for cell in cells:
        grid_text[cell["row"]][cell["col"]] = cell["text"]
    return {"n_rows": n_rows, "n_cols": n_cols, "rows": grid_text, "cells": cells, "html": table_html(cells, n_rows)}


def _cell_box(cell: GridCell, spans: list[dict]) -> list[float]:
    """The model's cell box, grown to hold the cell's text."""
    boxes = [list(cell.bbox), *(s["bbox"] for s in spans)]
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def table_html(cells: list[dict], n_rows: int) -> str:
    rows = []
    for r in range(n_rows):
        tds = []
        for cell in (c for c in cells if c["row"] == r):
            spans = "".join(f' {name}="{cell[name]}"' for name in ("rowspan", "colspan") if cell[name] > 1)
            tds.append(f"<td{spans}>{html.escape(cell['text'])}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def make_table(run: KindRun, key: str) -> Made:
    """Every table of one source, page by page."""
    recognizer = run.model("table_recognizer")
    layout = run.batch.read_json(run.input("layout", key))
    spans = run.batch.read_json(run.input("ocr", key))["spans"]
    blocks = {page["page"]: page["blocks"] for page in layout["pages"]}
    tables: list[dict] = []
    for number, image in load_pages(run.batch, run.input("pages", key)):
        page_blocks = blocks.get(number, [])
        if any(block["class"] == "table" for block in page_blocks):
            page_spans = [span for span in spans if span["page"] == number]
            tables.extend(page_tables(number, image, page_blocks, page_spans, recognizer))
        del image
    figures = {"tables": len(tables), "cells": sum(len(t["cells"]) for t in tables)}
    figures["problems"] = structure_problems(tables)
    run.batch.write_json(key, {"tables": tables}, run.digests[key], attributes=figures)
    return Made({"tables": figures["tables"], "cells": figures["cells"]})


def structure_problems(tables: list[dict]) -> list[str]:
    """What makes a table's JSON inconsistent: cells off the grid, overlapping, or leaving holes."""
    problems = []
    for index, table in enumerate(tables):
        covered: dict[tuple[int, int], int] = {}
        for cell in table["cells"]:
            for r in range(cell["row"], cell["row"] + cell["rowspan"]):
                for c in range(cell["col"], cell["col"] + cell["colspan"]):
                    covered[(r, c)] = covered.get((r, c), 0) + 1
        where = f"table {index} on page {table['page']} at {table['bbox']}"
        outside = [rc for rc in covered if rc[0] >= table["n_rows"] or rc[1] >= table["n_cols"]]
        doubled = [rc for rc, count in covered.items() if count > 1]
        holes = table["n_rows"] * table["n_cols"] - len([rc for rc in covered if rc not in outside])
        if outside:
            problems.append(f"{where}: cells outside the {table['n_rows']}x{table['n_cols']} grid at {outside[:3]}")
        if doubled:
            problems.append(f"{where}: grid positions covered twice at {doubled[:3]}")
        if holes > 0:
            problems.append(f"{where}: {holes} grid positions without a cell")
    return problems


def table_structure_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Every table's cells tile its grid exactly (no cell outside, none overlapping, no hole)."""
    from mm_assets.artifacts import current_artifacts

    verdicts = {}
    for key, row in current_artifacts(resources.catalog, "table", keys).items():
        figures = row["attributes"] or {}
        problems = figures.get("problems", [])
        verdicts[key] = (not problems, {"tables": figures.get("tables", 0), "reason": "; ".join(problems) or "ok"})
    return verdicts


SPEC = ArtifactKind(
    name="table",
    upstream=("pages", "ocr", "layout"),
    logic_version=TABLE_VERSION,
    description=lambda build: (
        f"Table JSON per table region (grid, cells with boxes, html) by {build.role_ids['table_recognizer']}; "
        "cell text from the text layer or OCR."
    ),
    make=each_partition(make_table),
    modalities=("document", "image"),
    model_roles=("table_recognizer",),
    index_channels=("table_cell",),
    checks=(KindCheck("table_structure", table_structure_verdicts),),
)


# ---------------------------------------------------------------------------------------------
# Cells as search chunks
# ---------------------------------------------------------------------------------------------

TABLE_MODALITIES = SPEC.modalities or ()
REDACTED_CELL = "[REDACTED]"


def table_cell_chunks(content_hash: str, table_payload: dict, pii_payload: dict) -> list[dict]:
    """One `table_cell` chunk per non-empty body cell: its text under its row's label and column's
    heading (so "amount of gadget b" finds it) and the cell's own box. A cell that a PII redaction
    box touches is indexed as REDACTED_CELL, like the redacted page text."""
    from resources.index_schema import chunk_id_for

    redactions: dict[int, list[list[float]]] = {}
    for redaction in pii_payload.get("redactions", []):
        redactions.setdefault(redaction["page"], []).append(redaction["bbox"])
    chunks = []
    for table in table_payload["tables"]:
        boxes = redactions.get(table["page"], [])
        grid = [["" for _ in range(table["n_cols"])] for _ in range(table["n_rows"])]
        for cell in table["cells"]:
            touched = any(overlap_share(cell["bbox"], box) > 0 for box in boxes)
            grid[cell["row"]][cell["col"]] = REDACTED_CELL if touched and cell["text"] else cell["text"]
        for cell in table["cells"]:
            text = grid[cell["row"]][cell["col"]]
            if cell["row"] == 0 or not text.strip():
                continue
            label = grid[cell["row"]][0] if cell["col"] > 0 else ""
            context = " | ".join(part for part in (label, grid[0][cell["col"]]) if part and part != REDACTED_CELL)
            chunks.append(
                {
                    "chunk_id": chunk_id_for(content_hash, "table_cell", len(chunks)),
                    "chunk_kind": "table_cell",
                    "page": table["page"],
                    "bbox": cell["bbox"],
                    "text": f"{context}: {text}" if context else text,
                }
            )
    return chunks
