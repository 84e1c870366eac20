"""Born-digital PDFs made here: pages whose text is a real text layer, as a word processor writes it.

`mm eval pii` reads such pages through the pipeline's text-layer reader; tests plant text at known
places with them.
"""

from __future__ import annotations

from PIL import Image

# Born-digital pages: Helvetica lines at known places (points, origin top left of the page). Helvetica
# (a standard font, WinAnsi encoding) cannot write `ğ`, `İ`, `Ş`, `ő`...: a line that needs them is set
# in DejaVu Sans, a Unicode TrueType font that ships with matplotlib, embedded in the PDF.
PDF_FONT_SIZE = 14.0
PDF_MARGIN = 72.0
PDF_LINE_STEP = 24.0


def pdf_line_top(line: int) -> float:
    """Distance in points from the top of a born-digital page to the top of line `line` (0-based)."""
    return PDF_MARGIN + line * PDF_LINE_STEP


PdfPageContent = list[str] | Image.Image | tuple[list[str], Image.Image]


def born_digital_pdf(pages: list[PdfPageContent], size: tuple[float, float] = (612.0, 792.0)) -> bytes:
    """A PDF whose text pages carry a real text layer (Helvetica, as a word processor writes it).

    A list of strings is a text page, one line each, starting PDF_MARGIN from the top left; an
    image is a scanned page (the picture fills the page, no text layer); (lines, image) is a text
    page with the image as a figure filling the lower half (a picture of text, say).
    """
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument.new()
    helvetica = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    unicode_font = None  # loaded on the first line Helvetica cannot write; its bytes live until the save
    width, height = size
    for content in pages:
        page = document.new_page(width, height)
        lines, figure = (content, None) if isinstance(content, list) else (None, content)
        if isinstance(content, tuple):
            lines, figure = content
        if figure is not None:
            # A scan fills the page; a figure fills the lower half.
            figure_height = height if lines is None else height / 2
            picture = pdfium.PdfImage.new(document)
            picture.set_bitmap(pdfium.PdfBitmap.from_pil(figure.convert("RGB")))
            picture.set_matrix(pdfium.PdfMatrix().scale(width, figure_height))
            page.insert_obj(picture)
        for number, line in enumerate(lines or []):
            font = helvetica
            if not _winansi(line):
                if unicode_font is None:
                    font_bytes = _unicode_font_bytes()
                    font_buffer = (ctypes.c_ubyte * len(font_bytes)).from_buffer_copy(font_bytes)
                    unicode_font = pdfium_c.FPDFText_LoadFont(
                        document.raw, font_buffer, len(font_bytes), pdfium_c.FPDF_FONT_TRUETYPE, 1
                    )
                font = unicode_font
            text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, ctypes.c_float(PDF_FONT_SIZE))
            encoded = ctypes.create_string_buffer((line + "\x00").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(text, ctypes.cast(encoded, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            # The baseline sits about 0.8 font sizes under the line's top.
            baseline = height - pdf_line_top(number) - 0.8 * PDF_FONT_SIZE
            pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, PDF_MARGIN, baseline)
            pdfium_c.FPDFPage_InsertObject(page.raw, text)
        page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def _winansi(line: str) -> bool:
    """Whether Helvetica's encoding (WinAnsi, about cp1252) can write every character of the line."""
    try:
        line.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _unicode_font_bytes() -> bytes:
    from pathlib import Path

    import matplotlib

    return (Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf").read_bytes()
