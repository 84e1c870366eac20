"""A fiscal totals grid whose captions name the parts of the document's total and how each counts: Brazil's NF-e,
printed as a DANFE, states by law that the note's total is the products, plus freight, insurance, other costs, the
substituted ICMS (ST) and the IPI, less the discount (the ICMS, PIS and COFINS are inside the prices). A page whose
grid prints a total those parts do not make prints a wrong figure, whatever its items table reads (verification's
rule `grid_sum`).

Read the way a person checks it: each caption's one figure in its cell (a row of captions may be read as one OCR
line, a row of figures too). One layout prints the IPI's figure in the import-tax cell
as well, so the import tax may count or not; every other part must be found, once, or nothing is checked: a grid
read in part proves nothing either way.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mm_assets.operations.invoice_values import Found, _head_box, _same_row, _tail_box, amounts_in, cents
from mm_assets.page_layout import Line

# (sign, caption): every part the total is made of
GRID_PARTS = (
    (1, r"valor\s*total\s*dos\s*produtos|v\.?\s*tot(al|\.)?\s*(dos\s*)?prod(utos|\.)?"),
    (1, r"valor\s*do\s*frete"),
    (1, r"valor\s*do\s*seguro"),
    (-1, r"(valor\s*do\s*)?desconto"),
    (1, r"outras\s*despesas(\s*acess[óo]rias)?"),
    (1, r"valor\s*(do\s*)?icms\s*(subst(\.|itui[çc][ãa]o|\s)?|s\.?\s*t\.?)(?![^\W\d_])"),
    (1, r"valor\s*(total\s*)?(do\s*)?ipi(?![^\W\d_])"),
)
# a part a layout may print twice (the IPI's figure in the import tax's cell): counted or not
OPTIONAL_PART = r"v(alor|\.)\s*(do\s*)?imp(\.|osto)?\s*(de\s*)?importa[çc][ãa]o"
GRID_TOTAL = r"valor\s*total\s*da\s*nota"


def grid_sum_check(lines: list[Line]) -> Found | None:
    """Found((expected, printed)) at the grid's total where every part's caption reads one figure: expected is
    the printed total where the parts make it (with or without the import tax), else their sum without it; None
    where the page has no such grid or part of it reads nothing."""
    total = _captioned_figure(GRID_TOTAL, lines)
    if total is None:
        return None
    expected = Decimal(0)
    for sign, caption in GRID_PARTS:
        part = _captioned_figure(caption, lines)
        if part is None:
            return None
        expected += sign * part.value
    optional = _captioned_figure(OPTIONAL_PART, lines)
    printed = cents(total.value)
    readings = {cents(expected)} | ({cents(expected + optional.value)} if optional is not None else set())
    agreed = printed if printed in readings else cents(expected)
    return Found((agreed, printed), total.page, total.bbox, 0.6)


def _captioned_figure(caption: str, lines: list[Line]) -> Found | None:
    """The one figure under the one caption row naming it on the page (a row of captions holds no figure); None
    where no row or several name it, or its cell reads no figure."""
    pattern = re.compile(r"(?<![^\W\d_])(" + caption + r")", re.I)
    captions = [line for line in lines if not re.search(r"\d", line.text)]
    named = [(line, found) for line in captions for found in pattern.finditer(line.text)]
    if len(named) != 1:
        return None
    line, found = named[0]
    return _figure_in_cell(line, found.start(), found.end(), lines)


def _figure_in_cell(line: Line, start: int, end: int, lines: list[Line]) -> Found | None:
    """The one figure nearest under the caption at characters `start`-`end` of its line, inside the caption's
    cell: from its left edge to where the next caption begins, or, for the line's last caption, to where the row's
    next line begins. A line of figures may hold two cells' figures ("23,91 1.428,35": the IPI's and the COFINS'),
    so each figure is placed by its characters."""
    height = line.bbox[3] - line.bbox[1]
    left = _tail_box(line, start)[0]
    rest = line.text[end:]
    if rest.strip():
        right = _tail_box(line, end + len(rest) - len(rest.lstrip()))[0]
    else:
        row = [o for o in lines if o.page == line.page and _same_row(o.bbox, line.bbox) and o.bbox[0] > line.bbox[2]]
        right = min((o.bbox[0] for o in row), default=float("inf"))
    under = sorted(
        (
            o
            for o in lines
            if o.page == line.page
            and 0 <= o.bbox[1] - line.bbox[3] + 2 <= 3 * height
            and FIGURES_ONLY.fullmatch(o.text)
        ),
        key=lambda o: o.bbox[1],
    )
    for other in under:
        inside = [
            figure
            for token in re.finditer(r"\S+", other.text)
            if _tail_box(other, token.start())[0] >= left - height
            and _head_box(other, token.end())[2] <= right + height
            for figure in amounts_in(token.group(0))
        ]
        if len(inside) == 1:
            return Found(inside[0], other.page, list(other.bbox), 0.6)
    return None


# a line of figure cells, no words; a lone capital between them is a stray letter of a watermark ("C 0,00": a
# homologation DANFE's "SEM VALOR FISCAL" drawn across the grid)
FIGURES_ONLY = re.compile(r"\s*((?<![^\s])[A-Z](?=\s)|[\d.,R$()-])([\s\d.,R$()-]|(?<=\s)[A-Z](?=\s))*")
