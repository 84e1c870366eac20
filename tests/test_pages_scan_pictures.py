"""`pages` takes a scanned PDF page's one picture at its own pixels (resources/scan_pictures), turned by
the page's /Rotate exactly, and renders everything else: born-digital and mixed pages, pictures it
cannot take as they are drawn (another resolution, placed turned, masked, odd colour spaces, broken
streams), each refusal with a note. Real PDFs, made by Pillow and PDFium or written out here."""

from __future__ import annotations

import io
import weakref
import zlib

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from mm_assets.kinds.pages import PAGES_VERSION, render_pdf, upright_pages
from mm_assets.operations.document_pages import Text, born_digital, render, scanned
from resources.scan_pictures import scan_picture

DPI = 150


def drawn_page(size: tuple[int, int] = (1275, 1650), mode: str = "RGB") -> Image.Image:
    """A page of lines and a corner mark, so every turn and flip of it is a different picture."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for row in range(60, size[1] - 60, 40):
        draw.text((60, row), f"Row {row}: the pump checks the pressure.", fill="black")
    draw.rectangle((10, 10, 90, 50), fill=(200, 30, 30))
    return image.convert(mode) if mode != "RGB" else image


def pillow_pdf(image: Image.Image, resolution: float = DPI) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=resolution)
    return buffer.getvalue()


def with_rotate(data: bytes, degrees: int) -> bytes:
    document = pdfium.PdfDocument(data)
    document[0].set_rotation(degrees)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pages_of(data: bytes) -> tuple[list[Image.Image], list[dict]]:
    facts: list[dict] = []
    return list(render_pdf(data, DPI, facts)), facts


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.int16)


def looks_as_drawn(image: Image.Image, data: bytes) -> bool:
    """The page image has PDFium's rendering's size (to the pixel its rounding up may add) and,
    but for resampling, its look."""
    drawn = render(data, DPI)[0]
    if abs(image.width - drawn.width) > 1 or abs(image.height - drawn.height) > 1:
        return False
    rows, columns = min(image.height, drawn.height), min(image.width, drawn.width)
    return float(np.abs(grey(image)[:rows, :columns] - grey(drawn)[:rows, :columns]).mean()) < 8


def handmade_pdf(
    image_dict: str, stream: bytes, size_pt: tuple[float, float] = (612, 792), extra: str = "", more: tuple = ()
) -> bytes:
    """A one-page PDF whose only content is one image XObject filling the page (`extra`: more
    content drawn after it; `more`: objects 7, 8, ... it may refer to). Written out by hand: the
    hostile dictionaries no writer here makes."""
    width, height = size_pt
    content = f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q {extra}".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents 4 0 R "
        "/Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image {image_dict} /Length {len(stream)} >>\nstream\n".encode()
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *more,
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def grey_image_dict(width: int, height: int, extra: str = "") -> str:
    return f"/Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode {extra}"


def test_the_code_version_says_pages_changed():
    assert PAGES_VERSION == "5"


@pytest.mark.parametrize("mode", ["P", "1"])  # Indexed colours (hex-coded), bilevel (CCITT G4): both lossless
def test_a_one_picture_scan_is_taken_at_its_own_pixels_exactly(mode):
    picture = drawn_page(mode=mode)
    [image], facts = pages_of(pillow_pdf(picture))
    assert facts == [{"source": "picture"}]
    assert image.mode == "RGB" and np.array_equal(np.asarray(image), np.asarray(picture.convert("RGB")))


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_scan_with_rotate_is_turned_as_pdfium_draws_it_without_resampling(degrees):
    picture = drawn_page(mode="P")
    data = with_rotate(pillow_pdf(picture), degrees)
    [image], facts = pages_of(data)
    assert facts == [{"source": "picture"}]
    # /Rotate is clockwise; np.rot90 turns counter-clockwise
    assert np.array_equal(np.asarray(image), np.rot90(np.asarray(picture.convert("RGB")), -degrees // 90))
    assert looks_as_drawn(image, data)


def test_turned_scans_reach_ocr_with_nearly_the_upright_pixels_where_rendering_moved_them():
    """The finding this fixes: PDFium draws a scan's picture a pixel off along its long side over
    part of the page, so a page scanned at 90 degrees reached OCR a pixel apart from the upright one."""
    lines = [
        Text(54, 60 + 10 * n, f"Line {n}: each valve records the flow rate at {100 + n} kPa.", 7.0) for n in range(60)
    ]
    pdf = born_digital([lines])
    upright, turned = (scanned(pdf, turn=turn, grain=18.0, grain_seed=5, blur=0.8)[0] for turn in (0, 90))
    [native_upright], [native_turned] = pages_of(upright)[0], pages_of(turned)[0]
    rendered_upright, rendered_turned = render(upright)[0], render(turned)[0]
    ink = grey(native_upright) < 128

    def ink_difference(turned_page: Image.Image, upright_page: Image.Image) -> float:
        back = grey(turned_page.transpose(Image.Transpose.ROTATE_270))
        return float(np.abs(back - grey(upright_page))[ink].mean())

    native, rendered = ink_difference(native_turned, native_upright), ink_difference(rendered_turned, rendered_upright)
    assert native < rendered / 2, (native, rendered)  # measured: 5.8 against 20.1 grey levels on a dense page


def test_born_digital_and_mixed_pages_are_rendered_without_a_note():
    text_page = born_digital([[Text(72, 72, "A page of text, no picture at all.")]])
    assert pages_of(text_page)[1] == [{"source": "render"}]
    raw = zlib.compress(np.full((1650, 1275), 255, np.uint8).tobytes())
    mixed = handmade_pdf(grey_image_dict(1275, 1650), raw, extra="BT /F1 12 Tf 72 700 Td (Stamped) Tj ET")
    [image], facts = pages_of(mixed)
    assert facts == [{"source": "render"}] and looks_as_drawn(image, mixed)


def test_a_picture_at_another_resolution_is_rendered_at_the_render_dpi_with_a_note():
    data = pillow_pdf(drawn_page((2550, 3300)), resolution=300)
    [image], facts = pages_of(data)
    assert facts == [{"source": "render", "note": "picture at 300 dpi (2550x3300 px), not the render's 150: rendered"}]
    assert image.size == render(data, DPI)[0].size  # PDFium's: 792 pt at 150 dpi rounds up to 1651 rows


def test_a_picture_that_does_not_fill_the_page_or_is_placed_turned_is_rendered_with_a_note():
    document = pdfium.PdfDocument(pillow_pdf(drawn_page(mode="P")))
    page = document[0]
    picture = next(page.get_objects())
    picture.set_matrix(pdfium.PdfMatrix(0, -792, 612, 0, 0, 792))  # drawn a quarter turn round
    assert scan_picture(page, DPI).note == "picture placed turned, skewed or flipped on the page: rendered"
    picture.set_matrix(pdfium.PdfMatrix(500, 0, 0, 700, 50, 50))
    assert scan_picture(page, DPI).note == "picture does not fill the page: rendered"


def test_an_inverting_decode_array_is_decoded_as_drawn():
    pixels = np.asarray(drawn_page().convert("L"))
    inverted = handmade_pdf(grey_image_dict(1275, 1650, "/Decode [1 0]"), zlib.compress(pixels.tobytes()))
    [image], facts = pages_of(inverted)
    assert facts == [{"source": "picture"}] and looks_as_drawn(image, inverted)
    assert float(grey(image).mean()) < 128  # white paper drawn black, as the PDF says


def test_a_picture_drawn_otherwise_than_it_decodes_is_rendered_with_a_note():
    """A soft mask (which the decode alone ignores) hides the top half of a black picture: the
    small rendering the decode is checked against shows white there, so the page is rendered."""
    black = zlib.compress(np.zeros((1650, 1275), np.uint8).tobytes())
    mask = np.zeros((1650, 1275), np.uint8)
    mask[825:] = 255
    mask_stream = zlib.compress(mask.tobytes())
    mask_object = (
        (
            f"<< /Type /XObject /Subtype /Image {grey_image_dict(1275, 1650)} /Length {len(mask_stream)} >>\nstream\n"
        ).encode()
        + mask_stream
        + b"\nendstream"
    )
    data = handmade_pdf(grey_image_dict(1275, 1650, "/SMask 7 0 R"), black, more=(mask_object,))
    [image], facts = pages_of(data)
    assert facts[0]["source"] == "render" and facts[0]["note"].startswith("picture decoded alone differs")
    assert looks_as_drawn(image, data) and grey(image)[:800].min() == 255  # the masked half is paper


def test_an_odd_colour_space_is_rendered_with_a_note():
    lab = "/Width 1275 /Height 1650 /ColorSpace [/Lab << /WhitePoint [0.9505 1 1.089] >>] /BitsPerComponent 8"
    raw = zlib.compress(np.full((1650, 1275, 3), 200, np.uint8).tobytes())
    data = handmade_pdf(lab + " /Filter /FlateDecode", raw)
    [image], facts = pages_of(data)
    assert facts == [{"source": "render", "note": "picture in colour space LAB: rendered"}]
    assert looks_as_drawn(image, data)


def test_a_huge_picture_is_never_decoded_whole_and_a_truncated_stream_never_fails_the_batch():
    huge = handmade_pdf(grey_image_dict(200_000, 260_000), zlib.compress(b"\xff" * 1000))
    truncated = handmade_pdf(
        grey_image_dict(1275, 1650), zlib.compress(np.zeros((1650, 1275), np.uint8).tobytes())[:5000]
    )
    [big], big_facts = pages_of(huge)
    assert big.size == render(huge, DPI)[0].size and big_facts[0]["source"] == "render"
    assert "picture at 23529 dpi (200000x260000 px)" in big_facts[0]["note"]
    [cut], cut_facts = pages_of(truncated)
    assert looks_as_drawn(cut, truncated)  # whichever way it went, as PDFium draws it


def test_each_page_is_let_go_before_the_next_is_taken_and_rotation_joins_the_source():
    pages = [drawn_page(mode="P") for _ in range(3)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    facts: list[dict] = []
    seen: list[weakref.ref] = []
    for image in upright_pages(render_pdf(buffer.getvalue(), DPI, facts), {2}, facts):
        assert all(earlier() is None for earlier in seen)  # one decoded page at a time
        seen.append(weakref.ref(image))
        del image
    assert [f["source"] for f in facts] == ["picture"] * 3
    assert [set(f) for f in facts] == [{"source", "rotation", "skew"}] * 3 and facts[1]["rotation"] == 0
