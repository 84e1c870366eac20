"""Specification of the input gate, on real files written by each test into tmp_path."""

from __future__ import annotations

import hashlib
import json
import pickle
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFile

from mm_assets.operations.gate import (
    DEFAULT_CAPS,
    GateCaps,
    GateVerdict,
    InputRejected,
    check_file,
    sniff_mime,
)

# ---- builders of real files ---------------------------------------------------------------


def write_image(path: Path, pillow_format: str, size: tuple[int, int] = (64, 48)) -> Path:
    """Noise does not compress away, so a cut through the file really cuts image data."""
    Image.effect_noise(size, 60).convert("RGB").save(path, pillow_format)
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_declaring(path: Path, width: int, height: int) -> Path:
    """A structurally valid, tiny PNG whose IHDR claims width x height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 4))
        + png_chunk(b"IEND", b"")
    )
    return path


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A classic PDF with a correct cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# Padding string of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
PDF_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf(path: Path, user_password: bytes) -> Path:
    """A one-page PDF locked with a user password (standard handler, revision 2, RC4-40).

    Nothing installed can encrypt a PDF, so the test computes the /O and /U entries itself;
    the page has no strings or streams, so no object data needs encrypting.
    """
    permissions, file_id = -4, b"mm-assets-gate-0"
    owner_key = hashlib.md5(PDF_PASSWORD_PAD[:32]).digest()[:5]  # owner password ""
    owner_entry = rc4(owner_key, (user_password + PDF_PASSWORD_PAD)[:32])
    file_key = hashlib.md5(
        (user_password + PDF_PASSWORD_PAD)[:32] + owner_entry + struct.pack("<i", permissions) + file_id
    ).digest()[:5]
    user_entry = rc4(file_key, PDF_PASSWORD_PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode(), permissions),
    ]
    file_id_hex = file_id.hex().encode()
    path.write_bytes(pdf_bytes(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (file_id_hex, file_id_hex)))
    return path


def zero_page_pdf(path: Path) -> Path:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    path.write_bytes(pdf_bytes(objects))
    return path


def pillow_pdf(path: Path, pages: int) -> Path:
    images = [Image.new("RGB", (100, 80), "white") for _ in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:])
    return path


def assert_rejected(path: Path, reason: str, caps: GateCaps = DEFAULT_CAPS) -> InputRejected:
    with pytest.raises(InputRejected) as raised:
        check_file(path, caps)
    assert raised.value.reason == reason, raised.value.message
    assert str(path) in raised.value.message
    return raised.value


# ---- accepted files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pillow_format", "mime_type"),
    [
        ("PNG", "image/png"),
        ("JPEG", "image/jpeg"),
        ("TIFF", "image/tiff"),
        ("WEBP", "image/webp"),
        ("BMP", "image/bmp"),
    ],
)
def test_each_supported_image_type_is_accepted_with_its_dimensions(
    tmp_path: Path, pillow_format: str, mime_type: str
) -> None:
    path = write_image(tmp_path / f"photo.{pillow_format.lower()}", pillow_format, (64, 48))

    verdict = check_file(path)

    assert verdict.mime_type == mime_type
    assert verdict.modality == "image"
    assert (verdict.quality["width"], verdict.quality["height"]) == (64, 48)
    assert verdict.quality["bytes"] == path.stat().st_size
    json.dumps(verdict.quality)  # the quality facts go into a JSON processing event


def test_big_endian_tiff_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    Image.new("I;16B", (32, 16), 1000).save(path, "TIFF")
    assert path.read_bytes()[:4] == b"MM\x00*"

    verdict = check_file(path)

    assert verdict.mime_type == "image/tiff"
    assert (verdict.quality["width"], verdict.quality["height"]) == (32, 16)


def test_multi_frame_tiff_reports_and_decodes_its_frames(tmp_path: Path) -> None:
    path = tmp_path / "stack.tif"
    frames = [Image.new("L", (20, 10), shade) for shade in (0, 80, 160)]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:])

    verdict = check_file(path)

    assert verdict.quality["frames"] == 3
    assert verdict.quality["frames_decoded"] == 3


def test_pdf_is_accepted_as_a_document_with_its_page_count(tmp_path: Path) -> None:
    path = pillow_pdf(tmp_path / "letter.pdf", pages=3)

    verdict = check_file(path)

    assert verdict == GateVerdict(
        mime_type="application/pdf",
        modality="document",
        quality={
            "bytes": path.stat().st_size,
            "pages": 3,
            # 100x80 pt at 150 dpi, rounded up: 209 x 167 pixels
            "largest_page_pixels": 209 * 167,
            "largest_page_width_pt": 100.0,
            "largest_page_height_pt": 80.0,
        },
    )


def test_extension_is_ignored_so_a_png_named_jpg_is_a_png(tmp_path: Path) -> None:
    path = write_image(tmp_path / "holiday.jpg", "PNG")

    assert check_file(path).mime_type == "image/png"


@pytest.mark.parametrize(
    ("head", "mime_type"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"BM" + bytes(12) + struct.pack("<I", 40), "image/bmp"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xef\xbb\xbf junk before the header %PDF-1.4\n", "application/pdf"),
        (b" " * 1020 + b"%PDF-1.4", None),  # header must end within the first 1024 bytes
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"BMW service history, 2019-2024\n", None),
        (b"PK\x03\x04\x14\x00\x00\x00", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"", None),
    ],
)
def test_sniff_mime_reads_the_magic_bytes(head: bytes, mime_type: str | None) -> None:
    assert sniff_mime(head) == mime_type


# ---- rejected files -----------------------------------------------------------------------


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.touch()

    assert_rejected(path, "empty_file")


def test_file_over_the_byte_cap_is_rejected_before_reading(tmp_path: Path) -> None:
    path = write_image(tmp_path / "photo.png", "PNG")

    rejection = assert_rejected(path, "too_large", GateCaps(max_bytes=100))

    assert "100 bytes" in rejection.message


@pytest.mark.parametrize("pillow_format", ["PNG", "JPEG", "WEBP"])
def test_truncated_image_is_rejected(tmp_path: Path, pillow_format: str) -> None:
    whole = write_image(tmp_path / "whole", pillow_format).read_bytes()
    path = tmp_path / f"cut.{pillow_format.lower()}"
    path.write_bytes(whole[: len(whole) // 2])

    assert_rejected(path, "truncated_image")


def test_truncation_is_caught_even_if_pillow_was_told_to_load_truncated_images(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = write_image(tmp_path / "whole.png", "PNG").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(whole[: len(whole) // 2])

    assert_rejected(path, "truncated_image")

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the caller's setting is given back


def test_image_with_damaged_compressed_data_is_corrupt(tmp_path: Path) -> None:
    whole = write_image(tmp_path / "whole.png", "PNG", (64, 64)).read_bytes()
    idat_data_at = whole.index(b"IDAT") + 4
    # Overwrite compressed bytes in place and fix nothing else: zlib must refuse the stream.
    damaged = whole[:idat_data_at] + b"\xff" * 64 + whole[idat_data_at + 64 :]
    path = tmp_path / "damaged.png"
    path.write_bytes(damaged)

    assert_rejected(path, "corrupt_image")


def test_text_file_named_jpg_is_an_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_text("this is a shopping list, not a photo\n")

    assert_rejected(path, "unsupported_type")


def test_zip_archive_named_png_is_an_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("scan.png", b"not looked at")

    assert_rejected(path, "unsupported_type")


def test_declared_dimensions_over_the_pixel_cap_are_rejected_before_decoding(
    tmp_path: Path,
) -> None:
    path = png_declaring(tmp_path / "bomb.png", 100_000, 100_000)

    assert_rejected(path, "too_many_pixels")


def test_pillow_bomb_warning_becomes_a_rejection_and_never_escapes(tmp_path: Path) -> None:
    # 100 M pixels: above Pillow's warning limit (~89.5 M) and below its error limit.
    path = png_declaring(tmp_path / "big.png", 10_000, 10_000)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning leaking out would fail this test
        assert_rejected(path, "too_many_pixels")


def test_pixel_cap_from_caps_is_applied_to_a_real_image(tmp_path: Path) -> None:
    path = write_image(tmp_path / "photo.png", "PNG", (64, 48))

    rejection = assert_rejected(path, "too_many_pixels", GateCaps(max_pixels=64 * 48 - 1))

    assert "64x48" in rejection.message


def test_every_tiff_frame_is_held_to_the_pixel_cap(tmp_path: Path) -> None:
    path = tmp_path / "stack.tif"
    small, large = Image.new("L", (10, 10)), Image.new("L", (100, 100))
    small.save(path, "TIFF", save_all=True, append_images=[large])

    rejection = assert_rejected(path, "too_many_pixels", GateCaps(max_pixels=1000))

    assert "frame 1" in rejection.message


def test_file_that_says_pdf_but_is_garbage_is_a_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)

    assert_rejected(path, "corrupt_pdf")


def test_pdf_without_pages_is_a_corrupt_pdf(tmp_path: Path) -> None:
    assert_rejected(zero_page_pdf(tmp_path / "empty.pdf"), "corrupt_pdf")


def test_pdf_over_the_page_cap_is_rejected(tmp_path: Path) -> None:
    path = pillow_pdf(tmp_path / "book.pdf", pages=4)

    rejection = assert_rejected(path, "too_many_pages", GateCaps(max_pdf_pages=3))

    assert "4 pages" in rejection.message


def test_password_protected_pdf_is_rejected_as_encrypted(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path / "locked.pdf", b"secret")
    with pdfium.PdfDocument(path, password="secret") as unlocked:  # really a locked, valid PDF
        assert len(unlocked) == 1

    assert_rejected(path, "encrypted_pdf")


def test_corrupt_pdf_checked_after_an_encrypted_one_is_not_called_encrypted(
    tmp_path: Path,
) -> None:
    # PDFium keeps its last error between loads, and a page-less PDF fails without setting one.
    assert_rejected(encrypted_pdf(tmp_path / "locked.pdf", b"secret"), "encrypted_pdf")

    assert_rejected(zero_page_pdf(tmp_path / "empty.pdf"), "corrupt_pdf")


def test_pdf_page_too_large_to_render_at_150_dpi_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    document = pdfium.PdfDocument.new()
    document.new_page(14_400, 14_400)  # 200 x 200 inches, the largest page PDF allows
    document.save(path)
    document.close()

    rejection = assert_rejected(path, "too_many_pixels")

    assert "page 1" in rejection.message


def test_dangling_symlink_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "gone.png"
    path.symlink_to(tmp_path / "deleted-original.png")

    rejection = assert_rejected(path, "unreadable")

    assert "No such file or directory" in rejection.message


def test_symlink_loop_is_unreadable(tmp_path: Path) -> None:
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.symlink_to(second)
    second.symlink_to(first)

    rejection = assert_rejected(first, "unreadable")

    assert "Too many levels of symbolic links" in rejection.message


def test_directory_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "album.png"
    path.mkdir()

    rejection = assert_rejected(path, "unreadable")

    assert "Is a directory" in rejection.message


def test_rejection_keeps_reason_and_message_across_processes() -> None:
    rejection = InputRejected("too_large", "/in/a.png is too large; split it.")

    copy = pickle.loads(pickle.dumps(rejection))

    assert (copy.reason, copy.message, str(copy)) == (
        "too_large",
        rejection.message,
        rejection.message,
    )
