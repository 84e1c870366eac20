"""The caps a file must respect to enter the pipeline, and the rejection a file that breaks one gets.

They sit beside settings (which takes its defaults from them) so that settings imports nothing
above it; the gate (operations/gate) and its audio/video path (operations/media_probe) enforce them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Default render resolution of PDF pages (GateCaps.render_dpi follows MM_RENDER_DPI); the pixel cap applies to it.
RENDER_DPI = 150


@dataclass(frozen=True)
class MediaCaps:
    """Limits an audio or video file must respect (settings: MM_MAX_MEDIA_SECONDS and friends)."""

    max_seconds: float = 4 * 3600.0
    max_frame_pixels: int = 3840 * 2160
    max_streams: int = 8
    min_sample_rate: int = 8_000
    max_sample_rate: int = 192_000


@dataclass(frozen=True)
class GateCaps:
    """Limits a file must respect to enter the pipeline.

    Pillow's own decompression-bomb limit (Image.MAX_IMAGE_PIXELS) still applies on top of
    max_pixels; raise both to accept larger images.
    """

    max_bytes: int = 256 * 1024 * 1024  # whole file
    max_pixels: int = 89_478_485  # decoded pixels per image/frame/page render (at render_dpi for PDF pages)
    max_pdf_pages: int = 1000
    # PDF page area in square points (1/72 in), whatever the render resolution: 16 M pt^2 is a
    # 4000 x 4000 pt page (55 in square), twice an A0 sheet. Rendering is page by page, so one page
    # bounds the memory a document needs.
    max_pdf_page_points: int = 16_000_000
    render_dpi: int = RENDER_DPI
    # Bytes after an image's end marker (JPEG EOI, PNG IEND, WebP RIFF size): flagged as a warning,
    # quarantined above this cap (data smuggled behind an image, or a file glued onto it).
    max_trailing_bytes: int = 64 * 1024
    media: MediaCaps = field(default_factory=MediaCaps)  # audio and video (media_probe)


DEFAULT_CAPS = GateCaps()


class InputRejected(Exception):
    """A file the gate refuses; `reason` is a stable machine code, `message` says what to do."""

    def __init__(self, reason: str, message: str) -> None:
        # Both in args so the exception survives pickling between Dagster processes.
        super().__init__(reason, message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message
