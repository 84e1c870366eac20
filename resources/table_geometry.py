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
   holding two runs or more, but for OVERRUNS_ALLOWED rows whose run starts in its own column and
   runs on into the gap (a long name); a range holding a whole run is a sparse column, not a gap.
   A row with a single run (a title line or a note inside the table) does not block a gap: that
   run becomes one cell spanning the columns it covers.
3. A grid needs two rows and two columns; otherwise there is none (None) and the caller uses the model.
"""

from __future__ import annotations

import re
from statistics import median

from resources.document_models import GridCell

# A column gap is at least this many line heights wide: wider than a word space (about a third
# of a line height), narrower than the gutter of any table we have seen (one em and more).
MIN_GAP_HEIGHTS = 0.5
# A long name may run on past its column's edge in one row (the text layer then holds it across
# the gap): a gap clear in every other row is still a gap, in a table of four rows or more.
OVERRUNS_ALLOWED = 1

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
    """The columns' x extents, left to right: text ranges between the column gaps."""
    multi = [row for row in rows if len(row) > 1]
    if not multi:
        return []
    runs = [b for row in multi for b in row]
    left, right = min(b[0] for b in runs), max(b[2] for b in runs)
    gaps = [gap for gap in _clear_zones(multi, left, right) if gap[1] - gap[0] >= MIN_GAP_HEIGHTS * height]
    gaps = [gap for gap in gaps if left < gap[0] and gap[1] < right and not _holds_a_run(gap, runs)]
    edges = [left, *(x for gap in gaps for x in gap), right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _clear_zones(multi: list[list[Box]], left: float, right: float) -> list[tuple[float, float]]:
    """Maximal x ranges that at most OVERRUNS_ALLOWED rows cover (none in a table under four rows)."""
    allowed = OVERRUNS_ALLOWED if len(multi) >= 4 else 0
    points = sorted({x for row in multi for b in row for x in (b[0], b[2])} | {left, right})
    zones: list[list[float]] = []
    for a, b in zip(points, points[1:], strict=False):
        middle = (a + b) / 2
        covering = sum(any(box[0] <= middle <= box[2] for box in row) for row in multi)
        if covering > allowed:
            continue
        if zones and zones[-1][1] == a:
            zones[-1][1] = b
        else:
            zones.append([a, b])
    return [(a, b) for a, b in zones]


def _holds_a_run(gap: tuple[float, float], runs: list[Box]) -> bool:
    """Whether a run lies wholly inside the zone: a sparse column's text, not one overrunning its
    own column (which starts outside the zone)."""
    return any(gap[0] <= b[0] and b[2] <= gap[1] for b in runs)


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


# ---------------------------------------------------------------------------------------------
# A model grid's rows that hold several rows of text
# ---------------------------------------------------------------------------------------------

NUMBER = re.compile(r"^[\s$€£¥₹(+-]*\d[\d\s.,']*%?\)?$")  # "1,204.99", "$ 12.00", "(3.50)", "15%"


def split_merged_rows(grid: list[GridCell], spans: list[dict]) -> list[GridCell]:
    """The model's grid with each row that visibly holds k rows of text cut into k rows.

    The table model sometimes reads several item rows as one (a skewed scan: three lines in every
    cell, so a line "amount" is three numbers run together). A row is cut when two cells or more
    of it hold the same number k > 1 of text lines, level with each other, and one of them is all
    numbers: a description wrapped over two lines beside single-line numbers is left whole.
    """
    for row in sorted({cell.row for cell in grid}, reverse=True):
        cuts = _row_cuts([c for c in grid if c.row == row and c.rowspan == 1], spans)
        if cuts:
            grid = _cut_row(grid, row, cuts)
    return grid


def _row_cuts(cells: list[GridCell], spans: list[dict]) -> list[float]:
    """Where to cut one row (y positions between its text lines), or [] to leave it whole."""
    stacks = []
    for cell in cells:
        x0, y0, x1, y1 = cell.bbox
        inside = [
            s
            for s in spans
            if x0 <= (s["bbox"][0] + s["bbox"][2]) / 2 <= x1 and y0 <= (s["bbox"][1] + s["bbox"][3]) / 2 <= y1
        ]
        lines = row_bands([tuple(s["bbox"]) for s in inside]) if inside else []
        if len(lines) > 1:
            texts = [" ".join(s["text"] for s in inside if tuple(s["bbox"]) in line) for line in lines]
            stacks.append((lines, all(NUMBER.match(t) for t in texts)))
    for k in sorted({len(lines) for lines, _ in stacks}, reverse=True):
        same = [(lines, numeric) for lines, numeric in stacks if len(lines) == k]
        if len(same) < 2 or not any(numeric for _, numeric in same):
            continue
        centres = [[median((b[1] + b[3]) / 2 for b in line) for line in lines] for lines, _ in same]
        height = median(b[3] - b[1] for lines, _ in same for line in lines for b in line)
        if all(abs(c[i] - centres[0][i]) <= 0.6 * height for c in centres for i in range(k)):
            return [(centres[0][i] + centres[0][i + 1]) / 2 for i in range(k - 1)]
    return []


def _cut_row(grid: list[GridCell], row: int, cuts: list[float]) -> list[GridCell]:
    extra = len(cuts)
    cut: list[GridCell] = []
    for cell in grid:
        if cell.row > row:
            cut.append(GridCell(cell.row + extra, cell.col, cell.rowspan, cell.colspan, cell.bbox))
        elif cell.row == row and cell.rowspan == 1:
            x0, y0, x1, y1 = cell.bbox
            edges = [y0, *cuts, y1]
            cut += [
                GridCell(row + i, cell.col, 1, cell.colspan, (x0, edges[i], x1, edges[i + 1])) for i in range(extra + 1)
            ]
        elif cell.row <= row < cell.row + cell.rowspan:
            cut.append(GridCell(cell.row, cell.col, cell.rowspan + extra, cell.colspan, cell.bbox))
        else:
            cut.append(cell)
    return cut
