"""The input gate: every file entering mm-assets is checked here before anything else.

The gate decides the real type from magic bytes (never the extension), enforces caps on
bytes, pixels and pages, and test-decodes images, so that a file which passes can be
processed without surprises and a file which fails carries a stable reason for quarantine.
"""

from __future__ import annotations

import errno
import math
import os
import stat
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image, ImageFile, UnidentifiedImageError

from mm_assets.caps import DEFAULT_CAPS, GateCaps, InputRejected
from mm_assets.operations.media_probe import probe_media, sniff_media
from mm_assets.operations.png_check import plain_png_decodes

PDF_POINTS_PER_INCH = 72
# Multi-frame TIFF/WebP: test-decode at most this many frames; the rest are counted and size-checked.
FRAMES_DECODED = 16
SNIFF_BYTES = 1024

PNG, JPEG, TIFF, WEBP, BMP, PDF = (
    "image/png",
    "image/jpeg",
    "image/tiff",
    "image/webp",
    "image/bmp",
    "application/pdf",
)
_PILLOW_FORMAT = {PNG: "PNG", JPEG: "JPEG", TIFF: "TIFF", WEBP: "WEBP", BMP: "BMP"}
_TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF
# Sizes of the DIB headers Windows and OS/2 bitmaps use; "BM" alone matches too much text.
_BMP_DIB_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})

# ImageFile.LOAD_TRUNCATED_IMAGES is process-wide; the lock keeps our save/restore atomic.
_truncation_flag_lock = threading.Lock()


@dataclass(frozen=True)
class GateVerdict:
    """What the gate learned about an accepted file."""

    mime_type: str  # one of PNG, JPEG, TIFF, WEBP, BMP, PDF above, or an audio/video type (media_probe)
    modality: str  # "image", "document", "audio" or "video"
    quality: dict  # small JSON-able facts for the processing event


def sniff_mime(head: bytes) -> str | None:
    """Return the MIME type that the magic bytes at the start of a file declare, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in _TIFF_MAGICS:
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if _looks_like_bmp(head):
        return BMP
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return PDF
    return None


def check_file(path: Path, caps: GateCaps = DEFAULT_CAPS) -> GateVerdict:
    """Check one file against the caps and test-decode it; raise InputRejected if it fails."""
    path = Path(path)
    size = regular_file_size(path)
    if size == 0:
        raise InputRejected("empty_file", f"{path} is empty (0 bytes); re-export or re-upload it.")
    if size > caps.max_bytes:
        raise InputRejected(
            "too_large",
            f"{path} is {size:,} bytes, over the cap of {caps.max_bytes:,} bytes "
            "(GateCaps.max_bytes); split or compress it, or raise the cap.",
        )
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _unreadable(path, error) from error
    with handle:
        head = _read_head(path, handle)
        mime_type = sniff_mime(head)
        if mime_type is None:
            media_verdict = _check_media(path, head, size, caps)
            if media_verdict is not None:
                return media_verdict
            # A symlink may point anywhere (/etc/passwd): none of its target's bytes go into the record.
            first_bytes = "" if path.is_symlink() else f" (first bytes {head[:8]!r})"
            raise InputRejected(
                "unsupported_type",
                f"{path} is not a PNG, JPEG, TIFF, WebP, BMP, PDF, audio or video file by its content"
                f"{first_bytes}; the extension is ignored. Convert it to one of those formats.",
            )
        if mime_type == PDF:
            quality = _check_pdf(path, handle, caps)
            return GateVerdict(PDF, "document", {"bytes": size, **quality})
        quality = _check_image(path, handle, mime_type, size, caps)
        return GateVerdict(mime_type, "image", {"bytes": size, **quality})


def _check_media(path: Path, head: bytes, size: int, caps: GateCaps) -> GateVerdict | None:
    """Audio and video (WAV, FLAC, MP3, OGG/Opus, M4A/AAC, MP4, MOV, MKV, WebM): None if not one."""
    sniffed = sniff_media(head)
    if sniffed is None:
        return None
    mime_type, modality, quality = probe_media(path, sniffed, head, caps.media)
    return GateVerdict(mime_type, modality, {"bytes": size, **quality})


def _looks_like_bmp(head: bytes) -> bool:
    if not head.startswith(b"BM") or len(head) < 18:
        return False
    return int.from_bytes(head[14:18], "little") in _BMP_DIB_HEADER_SIZES


def _unreadable(path: Path, error: OSError) -> InputRejected:
    detail = error.strerror or str(error)
    return InputRejected(
        "unreadable",
        f"{path} cannot be read: {detail} ({type(error).__name__}); check the path, its symlinks and permissions.",
    )


def regular_file_size(path: Path) -> int:
    """Stat (following symlinks) before opening: a FIFO or device would block or never end.

    Ingest calls this before it hashes a file, so nothing reads a pipe, socket or device at all.
    """
    try:
        status = path.stat()
    except OSError as error:
        raise _unreadable(path, error) from error
    if stat.S_ISDIR(status.st_mode):
        error = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        raise _unreadable(path, error)
    if not stat.S_ISREG(status.st_mode):
        raise InputRejected(
            "unreadable",
            f"{path} is not a regular file (a device, socket or pipe); pass the file itself.",
        )
    return status.st_size


def _read_head(path: Path, handle: BinaryIO) -> bytes:
    try:
        return handle.read(SNIFF_BYTES)
    except OSError as error:
        raise _unreadable(path, error) from error


# ---- images -------------------------------------------------------------------------------


def _check_image(path: Path, handle: BinaryIO, mime_type: str, size: int, caps: GateCaps) -> dict:
    pillow_format = _PILLOW_FORMAT[mime_type]
    if mime_type == WEBP:
        _reject_short_riff(path, handle, size)
    with warnings.catch_warnings(record=True) as caught, _truncated_images_refused():
        # Record ordinary decoder warnings, but stop at once on Pillow's bomb warning.
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            handle.seek(0)
            with Image.open(handle, formats=[pillow_format]) as image:
                facts = _decode_frames(path, image, pillow_format, caps, _pixels_checked(handle, mime_type, caps))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(path, f"Pillow refused it: {error}") from error
        except UnidentifiedImageError as error:
            raise InputRejected(
                "corrupt_image",
                f"{path} starts like a {pillow_format} file but its header cannot be read; re-export the image.",
            ) from error
        except InputRejected:
            raise
        except Exception as error:  # Pillow's plugins raise many types on hostile input
            raise _decode_failure(path, pillow_format, error) from error
    decoder_warnings = sorted({str(warning.message) for warning in caught})[:5]
    if decoder_warnings:
        facts["decoder_warnings"] = decoder_warnings
    trailing = trailing_bytes(handle, mime_type, size)
    if trailing:
        _check_trailing_bytes(path, pillow_format, trailing, caps)
        facts["trailing_bytes"] = trailing
        facts["warnings"] = [f"{trailing:,} bytes after the {pillow_format} end marker (kept, not decoded)"]
    return facts


# ---- bytes after the image ----------------------------------------------------------------


def trailing_bytes(handle: BinaryIO, mime_type: str, size: int) -> int:
    """How many bytes follow the image's own end (0 when unknown: TIFF and BMP have no end marker)."""
    handle.seek(0)
    if mime_type == PNG:
        end = _png_end(handle)
    elif mime_type == JPEG:
        end = _jpeg_end(handle.read())
    elif mime_type == WEBP:
        handle.seek(4)
        end = int.from_bytes(handle.read(4), "little") + 8
    else:
        return 0
    return max(0, size - end) if end else 0


def _png_end(handle: BinaryIO) -> int | None:
    """Offset just past the IEND chunk, walking chunk lengths (8-byte signature, then length/type/data/CRC)."""
    offset = 8
    handle.seek(offset)
    while header := handle.read(8):
        if len(header) < 8:
            return None
        length = int.from_bytes(header[:4], "big")
        offset += 12 + length
        if header[4:8] == b"IEND":
            return offset
        handle.seek(offset)
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the EOI marker: segments by their lengths, entropy-coded data by marker rules."""
    offset = 2  # after SOI
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xD9:
            return offset + 2
        if marker == 0xFF:  # fill byte before a marker
            offset += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers
            offset += 2
            continue
        offset += 2 + int.from_bytes(data[offset + 2 : offset + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs up to the next real marker
            offset = _end_of_scan(data, offset)
            if offset is None:
                return None
    return None


def _end_of_scan(data: bytes, offset: int) -> int | None:
    """Offset of the first marker after entropy-coded data (0xFF not followed by 0x00, RSTn or 0xFF)."""
    while True:
        offset = data.find(b"\xff", offset)
        if offset < 0 or offset + 1 >= len(data):
            return None
        following = data[offset + 1]
        if following in (0x00, 0xFF) or 0xD0 <= following <= 0xD7:
            offset += 1  # a stuffed byte, a fill byte or a restart marker: still inside the scan
            continue
        return offset


def _check_trailing_bytes(path: Path, pillow_format: str, trailing: int, caps: GateCaps) -> None:
    if trailing > caps.max_trailing_bytes:
        raise InputRejected(
            "trailing_data",
            f"{path} has {trailing:,} bytes after its {pillow_format} end marker, over the cap of "
            f"{caps.max_trailing_bytes:,} (GateCaps.max_trailing_bytes, MM_MAX_TRAILING_BYTES): something "
            "is appended to the image; re-export the image alone, or raise the cap.",
        )


def _pixels_checked(handle: BinaryIO, mime_type: str, caps: GateCaps) -> bool:
    """True when the bytes alone show the pixels decode (a plain PNG, see png_check): no Pillow decode needed."""
    if mime_type != PNG:
        return False
    handle.seek(0)
    return plain_png_decodes(handle.read(), caps.max_pixels)


def _decode_frames(
    path: Path, image: Image.Image, pillow_format: str, caps: GateCaps, pixels_checked: bool = False
) -> dict:
    """Every frame is a page (pages processes them all): count them against the page cap, check each
    one's declared size, test-decode the first FRAMES_DECODED (a one-frame image whose pixels
    `pixels_checked` already showed to decode is not decoded again)."""
    frame_count = getattr(image, "n_frames", 1)
    if frame_count > caps.max_pdf_pages:
        raise InputRejected(
            "too_many_pages",
            f"{path} has {frame_count:,} frames (pages), over the cap of {caps.max_pdf_pages:,} "
            "(GateCaps.max_pdf_pages, MM_MAX_PDF_PAGES); split the file or raise the cap.",
        )
    width, height, mode = image.width, image.height, image.mode
    frames_decoded = min(frame_count, FRAMES_DECODED)
    pixels_checked = pixels_checked and frame_count == 1
    for index in range(frame_count):
        if index:
            image.seek(index)  # reads the frame's header only
        _require_pixels_within_cap(path, image.size, caps, frame=index)
        if index < frames_decoded and not pixels_checked:
            image.load()
    return {
        "format": pillow_format,
        "width": width,
        "height": height,
        "mode": mode,
        "frames": frame_count,
        "frames_decoded": frames_decoded,
    }


def _require_pixels_within_cap(path: Path, size: tuple[int, int], caps: GateCaps, frame: int) -> None:
    width, height = size
    if width * height > caps.max_pixels:
        where = f" (frame {frame})" if frame else ""
        raise _too_many_pixels(
            path,
            f"it declares {width}x{height} = {width * height:,} pixels{where}, over the cap of "
            f"{caps.max_pixels:,} (GateCaps.max_pixels)",
        )


def _too_many_pixels(path: Path, detail: str) -> InputRejected:
    return InputRejected(
        "too_many_pixels",
        f"{path} is too large to decode safely: {detail}; downscale it or raise the cap.",
    )


def _reject_short_riff(path: Path, handle: BinaryIO, size: int) -> None:
    """libwebp reports a cut-off file only as 'could not create decoder'; the RIFF size tells."""
    handle.seek(4)
    declared = int.from_bytes(handle.read(4), "little") + 8
    if declared > size:
        raise _truncated(path, f"its RIFF header declares {declared:,} bytes but only {size:,} exist")


def _truncated(path: Path, detail: str) -> InputRejected:
    return InputRejected(
        "truncated_image",
        f"{path} is truncated ({detail}); the upload or copy was cut off, fetch it again.",
    )


def _decode_failure(path: Path, pillow_format: str, error: Exception) -> InputRejected:
    if isinstance(error, EOFError) or "truncated" in str(error).lower():
        return _truncated(path, str(error) or "unexpected end of data")
    return InputRejected(
        "corrupt_image",
        f"{path} is a {pillow_format} file that fails to decode ({error}); re-export the image.",
    )


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Decode strictly even if someone enabled LOAD_TRUNCATED_IMAGES, and restore their value."""
    with _truncation_flag_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


# ---- PDF ----------------------------------------------------------------------------------


def _check_pdf(path: Path, handle: BinaryIO, caps: GateCaps) -> dict:
    handle.seek(0)
    _reset_pdfium_error_to_format_error()
    try:
        document = pdfium.PdfDocument(handle)
    except pdfium.PdfiumError as error:
        raise _pdf_open_failure(path, error) from error
    try:
        page_count = len(document)
        if page_count == 0:
            raise InputRejected("corrupt_pdf", f"{path} is a PDF with no pages; re-export the document.")
        if page_count > caps.max_pdf_pages:
            raise InputRejected(
                "too_many_pages",
                f"{path} has {page_count:,} pages, over the cap of {caps.max_pdf_pages:,} "
                "(GateCaps.max_pdf_pages); split the document or raise the cap.",
            )
        largest = _largest_page_render(path, document, caps)
    finally:
        document.close()
    return {"pages": page_count, **largest}


def _reset_pdfium_error_to_format_error() -> None:
    """PDFium keeps its last error across loads and some failed loads set none (a document with
    no pages), so a stale 'password' code could mislabel a corrupt file; a failed load of one
    byte sets it to FPDF_ERR_FORMAT first."""
    pdfium_raw.FPDF_LoadMemDocument64(b"\0", 1, None)


def _pdf_open_failure(path: Path, error: pdfium.PdfiumError) -> InputRejected:
    if error.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
        return InputRejected(
            "encrypted_pdf",
            f"{path} is password-protected; remove the password (save an unprotected copy) and ingest that.",
        )
    return InputRejected(
        "corrupt_pdf",
        f"{path} starts with %PDF- but PDFium cannot open it ({error}); re-export the document.",
    )


def _largest_page_render(path: Path, document: pdfium.PdfDocument, caps: GateCaps) -> dict:
    """Read every page's size (no rendering) and check its area and its render at render_dpi fit the caps."""
    scale = caps.render_dpi / PDF_POINTS_PER_INCH
    largest = {
        "largest_page_pixels": 0,
        "largest_page_width_pt": 0.0,
        "largest_page_height_pt": 0.0,
    }
    for index in range(len(document)):
        try:
            width_pt, height_pt = document.get_page_size(index)
        except pdfium.PdfiumError as error:
            raise InputRejected(
                "corrupt_pdf",
                f"{path} page {index + 1} cannot be read ({error}); re-export the document.",
            ) from error
        pixels = math.ceil(width_pt * scale) * math.ceil(height_pt * scale)
        if pixels > caps.max_pixels:
            raise _too_many_pixels(
                path,
                f"page {index + 1} is {width_pt:.0f}x{height_pt:.0f} pt, {pixels:,} pixels at "
                f"{caps.render_dpi} dpi, over the cap of {caps.max_pixels:,} (GateCaps.max_pixels)",
            )
        if width_pt * height_pt > caps.max_pdf_page_points:
            raise InputRejected(
                "page_too_large",
                f"{path} page {index + 1} is {width_pt:.0f}x{height_pt:.0f} pt = {width_pt * height_pt:,.0f} pt^2, "
                f"over the cap of {caps.max_pdf_page_points:,} pt^2 (GateCaps.max_pdf_page_points, "
                "MM_MAX_PDF_PAGE_POINTS); scale the page down or raise the cap.",
            )
        if pixels > largest["largest_page_pixels"]:
            largest = {
                "largest_page_pixels": pixels,
                "largest_page_width_pt": round(width_pt, 2),
                "largest_page_height_pt": round(height_pt, 2),
            }
    return largest
