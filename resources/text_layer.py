"""A PDF's own text layer: exact text and boxes where the PDF carries them, and where OCR is still needed.

Born-digital PDFs (exported from a word processor, typeset, printed to PDF) hold their text as
characters with positions; reading them is exact and costs milliseconds, where OCR costs seconds
a page and makes mistakes. Scans hold a picture of the text and nothing else. Per page, this
module decides by one documented rule (`plan_page`) which text comes from the layer and which
regions still need OCR, and returns the layer's text lines as spans with boxes in pixels of the
page image rendered at the pipeline's DPI, so they line up with OCR spans and page images.

The rule, per page:

1. Usable text layer: at least MIN_TEXT_CHARS visible characters, and at most MAX_GARBAGE_SHARE
   of them garbage (U+FFFD, control or private-use characters: what a font without a Unicode map
   yields). A page without a usable layer is OCR'd whole, and its layer is ignored.
2. Pictures on a page with a usable layer: every image covering at least MIN_IMAGE_SHARE of the
   page is OCR'd as a region of its own (a figure or a pasted scan may hold text), unless the
   layer already has at least MIN_CHARS_PER_SQ_INCH characters per square inch over it (the
   invisible text that OCR'd scans carry). OCR spans of such a region are kept only where they
   do not overlap a text-layer line.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from resources.ocr import OcrSpan

TEXT_LAYER_SOURCE = "text_layer"  # the `source` of spans read from the PDF itself
TEXT_LAYER_VERSION = "3"  # 3: pages with flat glyph boxes read character by character; 2: single characters joined
MIN_TEXT_CHARS = 16
_LOW_SURROGATES = (0xDC00, 0xDFFF)  # the second UTF-16 code unit of a character past U+FFFF
FLAT_GLYPH_POINTS = 0.1  # a glyph box lower than this has no height: its font gives no bounds
MAX_CHAR_GAP_HEIGHTS = 0.7  # letter spacing and word spaces; a column gutter is wider
MAX_GARBAGE_SHARE = 0.10
MIN_IMAGE_SHARE = 0.20
MIN_CHARS_PER_SQ_INCH = 1.0
POINTS_PER_INCH = 72.0

Box = tuple[float, float, float, float]


def text_layer_id() -> str:
    """Names the reader and its rule; part of the ocr asset's model id beside the OCR engine's."""
    return f"textlayer{TEXT_LAYER_VERSION}-pdfium-{pdfium.PYPDFIUM_INFO}"


@dataclass
class PageTextLayer:
    """What one page's text layer gives, and what is left for OCR (boxes in page-image pixels)."""

    page: int  # 1-based
    spans: list[OcrSpan] = field(default_factory=list)  # text-layer lines; empty when OCR'd whole
    ocr_whole_page: bool = False
    ocr_regions: list[Box] = field(default_factory=list)  # picture regions to OCR on a text page
    reason: str = ""  # why: "text_layer", "no text layer", "garbage 34%", "+2 picture regions"
    characters: int = 0
    garbage_share: float = 0.0


# pdfium marks a hyphen that a line break added (a soft hyphen) with this noncharacter.
PDFIUM_SOFT_HYPHEN = "\ufffe"
SOFT_HYPHEN = "\u00ad"


def is_garbage(char: str) -> bool:
    """A character no real text consists of: the replacement character, controls, private use."""
    if char == PDFIUM_SOFT_HYPHEN:
        return False
    if char == "\ufffd":
        return True
    return unicodedata.category(char) in ("Cc", "Co", "Cn") and char not in "\r\n\t"


def garbage_share(text: str) -> float:
    """Share of the visible characters that are garbage (0 for no visible characters)."""
    visible = [char for char in text if not char.isspace()]
    return sum(is_garbage(char) for char in visible) / len(visible) if visible else 0.0


def unusable_reason(text: str) -> str | None:
    """Why a page's text layer cannot stand in for OCR (rule 1), or None when it can."""
    if sum(not char.isspace() for char in text) < MIN_TEXT_CHARS:
        return "no text layer"
    share = garbage_share(text)
    if share > MAX_GARBAGE_SHARE:
        return f"garbage {share:.0%}"
    return None


def read_text_layer(pdf: bytes, dpi: int) -> list[PageTextLayer]:
    """Every page's plan: text-layer spans, or the regions (or whole page) that need OCR."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [plan_page(document[index], index + 1, dpi) for index in range(len(document))]
    finally:
        document.close()


def plan_page(page: pdfium.PdfPage, number: int, dpi: int) -> PageTextLayer:
    """Apply the module's rule to one page."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        visible = [char for char in text if not char.isspace()]
        plan = PageTextLayer(page=number, characters=len(visible), garbage_share=round(garbage_share(text), 4))
        unusable = unusable_reason(text)
        if unusable is not None:
            plan.ocr_whole_page, plan.reason = True, unusable
            return plan
        to_pixels = PixelMapper(page, dpi)
        plan.spans = _line_spans(textpage, number, to_pixels)
        regions = [box for box in _picture_boxes(page) if not _layer_covers(textpage, box)]
        plan.ocr_regions = [to_pixels.box(box) for box in regions]
        plan.reason = TEXT_LAYER_SOURCE + (f" +{len(regions)} picture regions" if regions else "")
        return plan
    finally:
        textpage.close()


def _line_spans(textpage: pdfium.PdfTextPage, number: int, to_pixels: PixelMapper) -> list[OcrSpan]:
    """pdfium's text rectangles (one per run of text on a line) as spans, in reading order; on a
    page whose font gives some glyphs flat boxes, runs of characters by their loose boxes."""
    if _has_flat_glyphs(textpage):
        return _character_runs(textpage, number, to_pixels)
    spans = []
    for left, bottom, right, top in _runs(textpage):
        text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
        text = text.replace(PDFIUM_SOFT_HYPHEN, SOFT_HYPHEN)  # "pro\u00ad" + "gramming": one word again
        if text:
            box = to_pixels.box((left, bottom, right, top))
            spans.append(OcrSpan(text, number, box, 1.0, source=TEXT_LAYER_SOURCE))
    return spans


def _has_flat_glyphs(textpage: pdfium.PdfTextPage) -> bool:
    """Whether some visible character has a box of no height: a font without glyph bounds (seen in
    Factur-X samples). pdfium's rectangles and bounded text leave such characters out ("4,55 €"
    reads ",5 €", a whole line can vanish)."""
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        if code and not chr(code).isspace():
            _left, bottom, _right, top = textpage.get_charbox(index)
            if top - bottom < FLAT_GLYPH_POINTS:
                return True
    return False


def _character_runs(textpage: pdfium.PdfTextPage, number: int, to_pixels: PixelMapper) -> list[OcrSpan]:
    """Spans from the characters themselves, each placed by its loose box (font ascent to descent,
    never flat): a run goes on while the next character stands on the same line, closer than
    MAX_CHAR_GAP_HEIGHTS line heights; a generated line break or a wider gap (a column) ends it."""
    runs: list[tuple[list[float], list[str]]] = []
    previous: list[float] | None = None
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1 or not code or chr(code) in "\r\n":
            previous = None
            continue
        if runs and previous is not None and _LOW_SURROGATES[0] <= code <= _LOW_SURROGATES[1]:
            runs[-1][1].append(chr(code))  # an emoji's second half: pdfium gives it the first half's box
            continue
        box = list(textpage.get_charbox(index, loose=True))
        if previous is not None and _next_on_line(previous, box, max_overlap=0.6):
            run_box, chars = runs[-1]
            runs[-1] = (
                [min(run_box[0], box[0]), min(run_box[1], box[1]), max(run_box[2], box[2]), max(run_box[3], box[3])],
                chars,
            )
        else:
            runs.append((box, []))
        runs[-1][1].append(chr(code))
        previous = box
    spans = []
    for box, chars in runs:
        # pdfium gives UTF-16 code units: an emoji comes as a surrogate pair, joined here
        joined = "".join(chars).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = " ".join(joined.replace(PDFIUM_SOFT_HYPHEN, SOFT_HYPHEN).split())
        if text:
            spans.append(OcrSpan(text, number, to_pixels.box(tuple(box)), 1.0, source=TEXT_LAYER_SOURCE))
    return spans


def _runs(textpage: pdfium.PdfTextPage) -> list[Box]:
    """pdfium's rectangles, with runs of single characters on one line joined into words and phrases.

    Some PDFs place every character on its own (a receipt printed with letter spacing): pdfium
    then gives one rectangle per character, and "PAYMENT RECEIPT" would be fifteen spans. A
    character joins its neighbour on the line when the gap is under MAX_CHAR_GAP_HEIGHTS of the
    line's height (letter spacing, a word space); pdfium's own text for the joined box keeps the
    spaces. Runs of several characters are left as pdfium gives them (a table's cells stay apart).
    """
    runs: list[tuple[list[float], bool]] = []  # (box, is a single character)
    for index in range(textpage.count_rects()):
        box = list(textpage.get_rect(index))
        single = len(textpage.get_text_bounded(*box).strip()) <= 1
        if runs and (single or runs[-1][1]) and _next_on_line(runs[-1][0], box):
            previous = runs[-1][0]
            runs[-1] = (
                [
                    min(previous[0], box[0]),
                    min(previous[1], box[1]),
                    max(previous[2], box[2]),
                    max(previous[3], box[3]),
                ],
                True,
            )
            continue
        runs.append((box, single))
    return [tuple(box) for box, _ in runs]  # type: ignore[misc]


def _next_on_line(previous: list[float], box: list[float], max_overlap: float = 0.1) -> bool:
    """Whether `box` follows `previous` on its line, closer than MAX_CHAR_GAP_HEIGHTS line heights
    and overlapping it by at most `max_overlap` line heights (loose glyph boxes of a kerned pair overlap)."""
    height = max(previous[3] - previous[1], box[3] - box[1], 1e-6)
    shared_height = min(previous[3], box[3]) - max(previous[1], box[1])
    gap = box[0] - previous[2]
    return (
        shared_height > 0.5 * min(previous[3] - previous[1], box[3] - box[1])
        and -max_overlap * height <= gap <= MAX_CHAR_GAP_HEIGHTS * height
    )


def _picture_boxes(page: pdfium.PdfPage) -> list[Box]:
    """Page-space boxes (left, bottom, right, top) of images covering MIN_IMAGE_SHARE of the page."""
    width, height = page.get_size()
    boxes = []
    # Top-level images only: the bounds of an image inside a form XObject are in the form's space.
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=0):
        left, bottom, right, top = obj.get_bounds()
        left, right = max(left, 0.0), min(right, width)
        bottom, top = max(bottom, 0.0), min(top, height)
        if right > left and top > bottom and (right - left) * (top - bottom) >= MIN_IMAGE_SHARE * width * height:
            boxes.append((left, bottom, right, top))
    return boxes


def _layer_covers(textpage: pdfium.PdfTextPage, box: Box) -> bool:
    """Whether the text layer already holds the text over this picture (an OCR'd scan's layer)."""
    left, bottom, right, top = box
    inside = textpage.get_text_bounded(left, bottom, right, top)
    characters = sum(not char.isspace() for char in inside)
    square_inches = (right - left) * (top - bottom) / POINTS_PER_INCH**2
    return characters >= MIN_CHARS_PER_SQ_INCH * square_inches


class PixelMapper:
    """Page space (points, origin bottom left, any /Rotate) to pixels of the rendered page image."""

    def __init__(self, page: pdfium.PdfPage, dpi: int) -> None:
        self._page = page
        # The bitmap size pypdfium2's render(scale=dpi / 72) uses (pages.render_pdf); the page's
        # own /Rotate is part of pdfium's page-to-device matrix, as it is when rendering.
        scale = dpi / POINTS_PER_INCH
        self._size = (math.ceil(page.get_width() * scale), math.ceil(page.get_height() * scale))

    def point(self, x: float, y: float) -> tuple[float, float]:
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(
            self._page.raw, 0, 0, *self._size, 0, x, y, ctypes.byref(device_x), ctypes.byref(device_y)
        )
        return float(device_x.value), float(device_y.value)

    def box(self, box: Box) -> Box:
        left, bottom, right, top = box
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))


def overlaps(a: Box, b: Box, min_share: float = 0.3) -> bool:
    """Whether box `a` lies at least `min_share` of its area inside box `b`."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return False
    area = max((a[2] - a[0]) * (a[3] - a[1]), 1e-9)
    return width * height / area >= min_share


def page_characters(pdf: bytes, page_number: int, dpi: int) -> tuple[str, list[Box | None]]:
    """Page `page_number`'s characters in pdfium's order, each with its box in rendered-page pixels.

    Characters pdfium generates (line breaks between runs) have no box: None. Used to verify
    redactions geometrically on born-digital pages, where no OCR pass is needed to see the text.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[page_number - 1]
        textpage = page.get_textpage()
        try:
            to_pixels = PixelMapper(page, dpi)
            chars, boxes = [], []
            for index in range(textpage.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
                chars.append(chr(code) if code else " ")
                generated = pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1
                boxes.append(None if generated else to_pixels.box(textpage.get_charbox(index)))
            return "".join(chars), boxes
        finally:
            textpage.close()
    finally:
        document.close()
