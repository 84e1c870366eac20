"""Box-grid forms (a DANFE, a DACTE, an e-invoice stylesheet's summary: a caption in the top left of a ruled
box, its value below it at the box's right): the value is in the caption's box, which reaches from the
caption to the next caption on its row (or the page's right edge). Reading order pairs no such caption and
value: the value sits below and right of the caption, not on its line nor under its letters.
"""

from __future__ import annotations

from mm_assets.operations.invoice_values import _same_row
from mm_assets.page_layout import Line

BOX_DEPTH = 2.5  # caption heights below the caption where its box's value may sit
EDGE = 2.0  # points a value may stand past its box's edges (rounding of the text layer's boxes)


def lines_in_caption_box(caption: Line, lines: list[Line]) -> list[Line]:
    """Lines in the caption's box under it, nearest first: starting below the caption, within BOX_DEPTH
    caption heights, inside [the caption's left, the next caption's left) on the caption's row."""
    height = caption.bbox[3] - caption.bbox[1]
    same_page = [other for other in lines if other.page == caption.page]
    right = box_right(caption, same_page)
    inside = [
        other
        for other in same_page
        if other is not caption
        and 0 <= other.bbox[1] - caption.bbox[3] + EDGE <= BOX_DEPTH * height
        and other.bbox[0] >= caption.bbox[0] - EDGE
        and other.bbox[2] <= right + EDGE
    ]
    return sorted(inside, key=lambda other: (other.bbox[1], other.bbox[0]))


def box_right(caption: Line, same_page: list[Line]) -> float:
    """The next caption's left on the caption's row, else the page's right edge as its lines reach."""
    beside = [
        other.bbox[0]
        for other in same_page
        if other is not caption and other.bbox[0] >= caption.bbox[2] and _same_row(caption.bbox, other.bbox)
    ]
    return min(beside, default=max(other.bbox[2] for other in same_page))
