"""Documents drawn from a description, born-digital or scanned, with their ground truth.

A page is a list of elements placed in points from the top left (`Text`, `Table`). `born_digital`
writes them as a PDF with a real text layer (Helvetica text objects, ruled tables as path objects,
as a word processor writes them); `scanned` renders that PDF to a picture, optionally turned,
skewed and blurred, and wraps the picture in a PDF with no text layer. The table evaluation and
the tests use these: the description is the truth.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageFilter

LETTER = (612.0, 792.0)
SCAN_DPI = 150


@dataclass(frozen=True)
class Text:
    """One line of text whose top left corner is at (x, y) points."""

    x: float
    y: float
    text: str
    size: float = 11.0
    bold: bool = False


@dataclass(frozen=True)
class Table:
    """A ruled table (every cell boxed) whose top left corner is at (x, y); widths per column."""

    x: float
    y: float
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    row_height: float = 20.0
    size: float = 10.0
    ruled: bool = True  # False: only the lines under the header and above the last row

    @property
    def bottom(self) -> float:
        return self.y + self.row_height * len(self.rows)


Element = Text | Table


def born_digital(pages: Sequence[Sequence[Element]], size: tuple[float, float] = LETTER) -> bytes:
    """A PDF with a text layer: each page's elements drawn as text and path objects."""
    document = pdfium.PdfDocument.new()
    fonts = {
        False: pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica"),
        True: pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica-Bold"),
    }
    width, height = size
    for elements in pages:
        page = document.new_page(width, height)
        for element in elements:
            if isinstance(element, Text):
                _text(document, page, fonts[element.bold], element.x, element.y, element.text, element.size, height)
            else:
                _table(document, page, fonts[False], element, height)
        page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def _text(document, page, font, x: float, y: float, text: str, size: float, page_height: float) -> None:
    obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, ctypes.c_float(size))
    encoded = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    baseline = page_height - y - 0.8 * size  # the baseline sits about 0.8 font sizes under the top
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, baseline)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def _line(page, x0: float, y0: float, x1: float, y1: float, page_height: float) -> None:
    path = pdfium_c.FPDFPageObj_CreateNewPath(ctypes.c_float(x0), ctypes.c_float(page_height - y0))
    pdfium_c.FPDFPath_LineTo(path, ctypes.c_float(x1), ctypes.c_float(page_height - y1))
    pdfium_c.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
    pdfium_c.FPDFPageObj_SetStrokeWidth(path, ctypes.c_float(0.8))
    pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_NONE, True)
    pdfium_c.FPDFPage_InsertObject(page.raw, path)


def _table(document, page, font, table: Table, page_height: float) -> None:
    right = table.x + sum(table.widths)
    row_count = len(table.rows)
    for r in range(row_count + 1):
        if table.ruled or r in (0, 1, row_count - 1, row_count):
            y = table.y + r * table.row_height
            _line(page, table.x, y, right, y, page_height)
    if table.ruled:
        x = table.x
        for column_width in (0.0, *table.widths):
            x += column_width
            _line(page, x, table.y, x, table.bottom, page_height)
    pad = (table.row_height - table.size) / 2
    for r, row in enumerate(table.rows):
        x = table.x
        for text, column_width in zip(row, table.widths, strict=True):
            if text:
                _text(document, page, font, x + 4, table.y + r * table.row_height + pad, text, table.size, page_height)
            x += column_width


def paper_grain(image: Image.Image, deviation: float, seed: int) -> Image.Image:
    """The picture with seeded grey noise of `deviation` levels added (the same on all channels)."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, deviation, (image.height, image.width, 1))
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8))


def render(pdf: bytes, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """Each page of a PDF as an RGB picture."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def scanned(
    pdf: bytes,
    turn: int = 0,
    skew: float = 0.0,
    blur: float = 0.6,
    dpi: int = SCAN_DPI,
    grain: float = 0.0,
    grain_seed: int = 0,
) -> tuple[bytes, list[Image.Image]]:
    """The PDF as a scan: its pages as pictures turned `turn` degrees counter-clockwise (a
    multiple of 90) and `skew` degrees more, slightly blurred; a PDF of them, and the upright
    pictures (the page the boxes of the truth refer to, before turning).

    `grain` > 0 gives the paper a grain: seeded Gaussian noise of that deviation (grey levels)
    on the upright page, before it is turned, as a print's flaws are. The blur, the scanner's,
    falls after the turn. (The PDF's JPEG coding, quality 75, then replaces most of the grain's
    pixel-level detail with its own artefacts, which differ from one turn to another.)"""
    upright = render(pdf, dpi)
    turned = []
    for index, image in enumerate(upright):
        if grain:
            image = paper_grain(image, grain, grain_seed + index)
        picture = image.rotate(turn, expand=True) if turn else image
        if skew:
            picture = picture.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
        turned.append(picture.filter(ImageFilter.GaussianBlur(blur)) if blur else picture)
    buffer = io.BytesIO()
    turned[0].save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=turned[1:])
    return buffer.getvalue(), upright
