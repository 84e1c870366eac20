"""A scanned PDF page's one picture, decoded at its own pixels instead of rendered.

A scan is usually a PDF page holding one picture that fills it. Rendering that page resamples the
picture even at its own resolution: PDFium draws it a pixel off along its long side over part of
the page (bench/rotation_scan_noise.py), differently for a page scanned upright or turned, so OCR
of the turned page reads other pixels than the upright one. Decoding the picture from its stream
(PDFium's own decoders: JPEG, Flate, CCITT, JBIG2) and turning it by the page's /Rotate in exact
quarter turns gives every scan of a page the same pixels.

The picture is taken only where that is the page exactly as rendered: the page's one object, an
image placed upright over the whole crop box, at the render's resolution (within 1%), so the page
keeps the size (to a pixel: PDFium rounds a render's size up) and scale its rendering has, and the
manifest's one dpi still maps the page. Anything
else (a born-digital or mixed page, a picture at another resolution, a huge or odd one, a stream
that does not decode, a picture whose decode disagrees with PDFium's own small rendering of the
page: masks, decode arrays, colour spaces drawn otherwise) is rendered, with a note that says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

PLACEMENT_TOLERANCE_POINTS = 1.0  # the picture's corners may sit this far off the crop box's
SCALE_TOLERANCE = 0.01  # the picture's pixels per point may differ this much from the render's
# The agreement check: the decoded picture, reduced CHECK_REDUCTION-fold, against PDFium's rendering
# of the page at that scale. A faithful decode differs by 4-5 grey levels on average (the two
# downsample differently, measured on the dense scans); an inverted or masked picture by ~100.
CHECK_REDUCTION = 8
MAX_CHECK_DIFFERENCE = 24.0
# Colour spaces PDFium decodes to RGB or grey the way it draws them; the rest are rendered.
DECODED_COLOUR_SPACES = {
    pdfium_c.FPDF_COLORSPACE_DEVICEGRAY: "DeviceGray",
    pdfium_c.FPDF_COLORSPACE_DEVICERGB: "DeviceRGB",
    pdfium_c.FPDF_COLORSPACE_DEVICECMYK: "DeviceCMYK",
    pdfium_c.FPDF_COLORSPACE_CALGRAY: "CalGray",
    pdfium_c.FPDF_COLORSPACE_CALRGB: "CalRGB",
    pdfium_c.FPDF_COLORSPACE_ICCBASED: "ICCBased",
    pdfium_c.FPDF_COLORSPACE_INDEXED: "Indexed",
}
# Pillow's turn (counter-clockwise) that undoes a page's clockwise /Rotate, exactly
ROTATE_TRANSPOSES = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class ScanPicture:
    """What a page's scan picture gave: the upright page image (None: render the page) and why not."""

    image: Image.Image | None
    note: str = ""  # empty when the page is no one-picture scan, or when the picture was taken


def scan_picture(page: pdfium.PdfPage, dpi: int) -> ScanPicture:
    """The page's one full-page picture at its own pixels, turned by /Rotate, when it is a scan
    that renders to the same size at `dpi`; else ScanPicture(None, why). Never raises for a bad
    picture: whatever PDFium or Pillow refuse is rendered, with the reason."""
    try:
        return _taken(page, dpi)
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        return ScanPicture(None, f"picture unreadable ({type(error).__name__}: {error}): rendered")


def _taken(page: pdfium.PdfPage, dpi: int) -> ScanPicture:
    picture = _sole_picture(page)
    if picture is None:
        return ScanPicture(None)  # born-digital or mixed: no note, rendering is the plan
    why = _placement_problem(page, picture, dpi)
    if why:
        return ScanPicture(None, why)
    try:
        image = _decoded(picture)
    except pdfium.PdfiumError as error:
        return ScanPicture(None, f"picture did not decode ({error}): rendered")
    rotation = page.get_rotation()
    if rotation:
        image = image.transpose(ROTATE_TRANSPOSES[rotation])
    difference = _rendering_difference(page, image, dpi)
    if difference > MAX_CHECK_DIFFERENCE:
        return ScanPicture(
            None, f"picture decoded alone differs from the page drawn ({difference:.0f} levels): rendered"
        )
    return ScanPicture(image)


def _sole_picture(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    """The page's only object when it is an image and nothing else is drawn (no annotation)."""
    if pdfium_c.FPDFPage_CountObjects(page.raw) != 1 or pdfium_c.FPDFPage_GetAnnotCount(page.raw) != 0:
        return None
    found = next(page.get_objects(max_depth=0), None)
    return found if isinstance(found, pdfium.PdfImage) else None


def _placement_problem(page: pdfium.PdfPage, picture: pdfium.PdfImage, dpi: int) -> str:
    """Why the picture is not the page as it renders at `dpi` (empty when it is)."""
    a, b, c, d, e, f = picture.get_matrix().get()
    left, bottom, right, top = page.get_cropbox()
    tolerance = PLACEMENT_TOLERANCE_POINTS
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return "picture placed turned, skewed or flipped on the page: rendered"
    if max(abs(e - left), abs(f - bottom), abs(e + a - right), abs(f + d - top)) > tolerance:
        return "picture does not fill the page: rendered"
    width, height = picture.get_px_size()
    wanted = (right - left) * dpi / 72, (top - bottom) * dpi / 72
    if abs(width / wanted[0] - 1) > SCALE_TOLERANCE or abs(height / wanted[1] - 1) > SCALE_TOLERANCE:
        native = width * 72 / (right - left)
        return f"picture at {native:.0f} dpi ({width}x{height} px), not the render's {dpi}: rendered"
    space = picture.get_metadata().colorspace
    if space not in DECODED_COLOUR_SPACES:
        return f"picture in colour space {_space_name(space)}: rendered"
    return ""


def _space_name(space: int) -> str:
    names = {v: k for k, v in vars(pdfium_c).items() if k.startswith("FPDF_COLORSPACE_")}
    return names.get(space, str(space)).removeprefix("FPDF_COLORSPACE_")


def _decoded(picture: pdfium.PdfImage) -> Image.Image:
    """The picture's pixels as an RGB image that owns its memory (PDFium's bitmap freed here)."""
    bitmap = picture.get_bitmap(render=False)
    bitmap.warn_on_close = False  # safe: nothing here reads its buffer after close()
    try:
        image = bitmap.to_pil()
        # Pillow copies BGR into a new RGB image; grey, RGBX and RGBA share PDFium's buffer, and
        # convert() copies them out of it before it is freed
        return image if bitmap.format == pdfium_c.FPDFBitmap_BGR else image.convert("RGB")
    finally:
        bitmap.close()


def _rendering_difference(page: pdfium.PdfPage, image: Image.Image, dpi: int) -> float:
    """Mean |difference| (levels, over RGB) between the picture reduced CHECK_REDUCTION-fold and
    PDFium's rendering of the page at that scale: the picture decoded alone must be what is drawn."""
    bitmap = page.render(scale=dpi / 72 / CHECK_REDUCTION)
    try:
        drawn = np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.int16)
    finally:
        bitmap.close()
    reduced = np.asarray(image.reduce(CHECK_REDUCTION), dtype=np.int16)
    rows, columns = min(drawn.shape[0], reduced.shape[0]), min(drawn.shape[1], reduced.shape[1])
    if abs(drawn.shape[0] - reduced.shape[0]) > 1 or abs(drawn.shape[1] - reduced.shape[1]) > 1:
        return float("inf")  # turned the other way round from the page
    return float(np.abs(drawn[:rows, :columns] - reduced[:rows, :columns]).mean())
