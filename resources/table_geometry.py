"""A born-digital table's grid from where its words sit, no model needed.

A PDF's text layer gives every run of text on a line with its exact box. In a table those runs
line up: they fall into row bands down the page, and the columns are the x ranges that hold text
in some row, split by gaps that stay clear in every row. Reading the grid from that geometry is
exact where an image model guesses: SLANet+ read an unruled four-column table as two columns,
putting two values in every cell. Rulings do not matter here, which is why this is tried first on
born-digital tables and the model is kept for scans (and for a table whose geometry gives no grid).

The rule:

1. Rows: runs whose vertical centres fall inside one another's height band are one row.
2. Column gaps: an x range of at least MIN_GAP_HEIGHTS line heights that no run covers in any row
   holding two runs or more. A row with a single run (a title line or a note inside the table) does
   not block a gap: that run becomes one cell spanning the columns it covers.
3. A grid needs two rows and two columns; otherwise there is none (None) and the caller uses the model.
"""

from __future__ import annotations

from statistics import median

from resources.document_models import GridCell

# A column gap is at least this many line heights wide: wider than a word space (about a third
# of a line height), narrower than the gutter of any table we have seen (one em and more).
MIN_GAP_HEIGHTS = 0.5

Box = tuple[float, float, float, float]


def geometry_grid(boxes: list[Box]) -> list[GridCell] | None:
    """Grid cells (row, col, spans, box) for text runs' boxes, or None when they make no grid."""
    if len(boxes) < 4:
        return None
    rows = row_bands(boxes)
    if len(rows) < 2:
        return None
    height = median(b[3] - b[1] for b in boxes)
    columns = column_bands(rows, height)
    if len(columns) < 2:
        return None
    return _cells(rows, columns)


def row_bands(boxes: list[Box]) -> list[list[Box]]:
    """Runs grouped into rows, top to bottom; each row's runs left to right."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        centre = (box[1] + box[3]) / 2
        if rows:
            top, bottom = min(b[1] for b in rows[-1]), max(b[3] for b in rows[-1])
            last_centre = median((b[1] + b[3]) / 2 for b in rows[-1])
            if top <= centre <= bottom or box[1] <= last_centre <= box[3]:
                rows[-1].append(box)
                continue
        rows.append([box])
    return [sorted(row, key=lambda b: b[0]) for row in rows]


def column_bands(rows: list[list[Box]], height: float) -> list[tuple[float, float]]:
    """The columns' x extents, left to right: text ranges between gaps clear in every multi-run row."""
    multi = [row for row in rows if len(row) > 1]
    if not multi:
        return []
    # Covered x ranges of the multi-run rows, merged: what is left between them is clear everywhere.
    covered = sorted((b[0], b[2]) for row in multi for b in row)
    merged: list[list[float]] = []
    for left, right in covered:
        if merged and left - merged[-1][1] < MIN_GAP_HEIGHTS * height:
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    return [(left, right) for left, right in merged]


def _cells(rows: list[list[Box]], columns: list[tuple[float, float]]) -> list[GridCell]:
    """One cell per row and column; a single run that crosses gaps is one cell spanning them."""
    # Column edges halfway into the gaps, so every cell box touches its neighbours.
    edges = [columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:], strict=False)]
    edges.append(columns[-1][1])
    cells = []
    for r, row in enumerate(rows):
        top, bottom = min(b[1] for b in row), max(b[3] for b in row)
        taken: set[int] = set()
        if len(row) == 1:
            box = row[0]
            first, last = _columns_under(box, edges)
            if last > first:
                cells.append(GridCell(r, first, 1, last - first + 1, (edges[first], top, edges[last + 1], bottom)))
                taken = set(range(first, last + 1))
        for c in range(len(columns)):
            if c not in taken:
                cells.append(GridCell(r, c, 1, 1, (edges[c], top, edges[c + 1], bottom)))
    return cells


def _columns_under(box: Box, edges: list[float]) -> tuple[int, int]:
    """The first and last column a run reaches into by more than a sliver."""
    inside = [
        c
        for c in range(len(edges) - 1)
        if min(box[2], edges[c + 1]) - max(box[0], edges[c]) > 0.25 * (edges[c + 1] - edges[c])
    ]
    if not inside:
        centre = (box[0] + box[2]) / 2
        nearest = min(range(len(edges) - 1), key=lambda c: abs((edges[c] + edges[c + 1]) / 2 - centre))
        return nearest, nearest
    return inside[0], inside[-1]
