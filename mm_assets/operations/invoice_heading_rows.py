"""Labels set as headings in a row of headings read as one line: a date or amount under its heading (the heading's
place in the row is its value's place in the row below), and an amount in the cell of a captioned grid. The
readings operations.invoice_labels' find_field falls back on, or (a captioned grid) tries first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_caption_grid import figure_under_caption
from mm_assets.operations.invoice_label_match import _claimed_by_other, _heading_in_row, _ranked_label
from mm_assets.operations.invoice_values import CURRENCY_CODES, FIGURE, Found, _is_date, cents, parse_amount, parse_date
from mm_assets.page_layout import Line


def _in_caption_grid(field: str, lines: list[Line]) -> Found | None:
    """An amount captioned inside a row of captions read as one line ("VALOR DA COFINS VALOR TOTAL DA NOTA"), under
    the caption in its cell; only for a label more specific than the field's bare name ("VALOR TOTAL DA NOTA", not
    "TOTAL DOS PRODUTOS" read as "Total"), and not where the label starts the line (the other readings take that)."""
    bare = _ranked_label(field, field.replace("_", " "))
    specific = bare[0] if bare else 1
    for line in lines:
        if re.search(r"\d", line.text):
            continue  # a row of captions holds words, not figures
        heading = _heading_in_row(field, line.text)
        if heading is None or heading.start() == 0 or _ranked_label(field, line.text[heading.start() :])[0] >= specific:
            continue
        found = figure_under_caption(line, heading.start(), heading.end(), lines)
        if found is not None:
            return found
    return None


def _date_in_heading_row(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """A date under its heading in a row of "Label:" headings whose next row holds as many dates
    ("Período Facturado Desde: Hasta: Fecha de Vto. para el pago:" over "01/05/2026 31/05/2026
    07/06/2026"): the heading's place among the headings is its date's among the dates."""
    for index, line in enumerate(lines):
        if re.search(r"\d", line.text):
            continue  # a heading row holds words, not figures
        headings = [part.strip() for part in line.text.split(":")[:-1]]
        if len(headings) < 2:
            continue
        places = [place for place, heading in enumerate(headings) if _ends_with_label(field, heading)]
        below = next((o for o in lines[index + 1 : index + 2] if o.page == line.page), None)
        if not places or below is None:
            continue
        cells = below.text.split()
        if len(cells) != len(headings) or not all(_is_date(cell) for cell in cells):
            continue
        value = parse_date(cells[places[0]], day_first)
        if value is not None:
            return Found(value, below.page, list(below.bbox), 0.6)
    return None


def _ends_with_label(field: str, heading: str) -> bool:
    """The heading is, from one of its words on, the field's label and nothing more."""
    for word in re.finditer(r"(?<!\S)[^\W\d_]", heading):
        found = _ranked_label(field, heading[word.start() :])
        if (
            found is not None
            and found[1].end() >= len(heading.rstrip(" ."))
            and not _claimed_by_other(field, heading[word.start() :])
        ):
            return True
    return False


def _in_heading_row(field: str, lines: list[Line]) -> Found | None:
    """An amount under its heading in a summary row read as one line each ("Warenwert ...
    Nettobetrag MwSt-Betrag MwSt-% Endbetrag" over "1062,60 15,00 -21,55 1056,05 200,65 19,0
    1256,70"): the rows below hold figures only, and they stand under the last headings, one
    each, so the heading's place counted from the right is its figure's (a heading of two words
    further left does not shift them). With one row per tax rate and a closing row that sums
    them ("-7,90 0,23 -7,67 -1,12 EUR -8,79", the currency where the rate stood), the closing
    row's figure."""
    for line in lines:
        if re.search(r"\d{2}", line.text):
            continue  # a heading row holds words, not figures
        heading = _heading_in_row(field, line.text)
        if heading is None:
            continue
        from_right = len(line.text[heading.start() :].split()) - 1
        rows = [
            (value, row)
            for row in _figure_rows_under(line, lines)
            if (value := _figure_from_right(row.text, from_right)) is not None
        ]
        if not rows:
            continue
        value, row = rows[0]
        if len(rows) > 1 and cents(rows[-1][0]) == cents(sum(v for v, _ in rows[:-1])):
            value, row = rows[-1]
        return Found(value, row.page, list(row.bbox), 0.6)
    return None


def _figure_rows_under(heading: Line, lines: list[Line]) -> list[Line]:
    """The rows of figures under a heading row, top down, while each is near the one above it."""
    height = heading.bbox[3] - heading.bbox[1]
    candidates = sorted(
        (
            o
            for o in lines
            if o.page == heading.page
            and o.bbox[1] >= heading.bbox[3] - 2
            and min(o.bbox[2], heading.bbox[2]) > max(o.bbox[0], heading.bbox[0])
        ),
        key=lambda o: o.bbox[1],
    )
    rows: list[Line] = []
    bottom = heading.bbox[3]
    for other in candidates:
        if other.bbox[1] - bottom > 3 * height or not _figures_only(other.text):
            break
        rows.append(other)
        bottom = other.bbox[3]
    return rows


def _figures_only(text: str) -> bool:
    cells = text.split()
    return len(cells) >= 3 and all(FIGURE.fullmatch(c) or c.upper() in CURRENCY_CODES for c in cells)


def _figure_from_right(text: str, from_right: int) -> Decimal | None:
    cells = text.split()
    if from_right >= len(cells) or not FIGURE.fullmatch(cells[len(cells) - 1 - from_right]):
        return None
    return parse_amount(cells[len(cells) - 1 - from_right])
