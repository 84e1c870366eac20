"""Redaction's mechanics: where a finding lies on a page's spans and image, and what replaces it.

The detector (resources/pii.py) decides which characters are PII; this module turns its findings into
redacted span texts ("[KIND]") and boxes to black out, estimated from the span boxes, padded so that a
few pixels too many are redacted rather than one too few.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PIL import Image, ImageDraw

from resources.ocr import OcrSpan
from resources.pii_patterns import PiiFinding

# a partly-PII line span is redacted to its edge when fewer characters than this remain there
EDGE_CHARS = 3
# padding of an estimated sub-box, in average character widths of its span
SUBBOX_PAD_CHARS = 1.0
# every redaction box grows this much beyond the span box (chars sideways, height up and down)
BOX_MARGIN_CHARS = 0.3
BOX_MARGIN_HEIGHT = 0.1


@dataclass(frozen=True)
class Redaction:
    kind: str
    page: int
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the page image


def redact_page(spans: list[OcrSpan], findings: list[PiiFinding]) -> tuple[list[OcrSpan], list[Redaction]]:
    _, ranges = join_spans(spans)
    hits: list[list[tuple[int, int, str]]] = [[] for _ in spans]
    redactions = []
    for finding in findings:
        for index, (span_start, span_end) in enumerate(ranges):
            start, end = max(finding.start, span_start), min(finding.end, span_end)
            if start >= end:
                continue
            local = (start - span_start, end - span_start)
            hits[index].append((*local, finding.kind))
            bbox = estimate_sub_box(spans[index], *local)
            redactions.append(Redaction(finding.kind, spans[index].page, bbox))
    redacted = [
        replace(span, text=replace_ranges(span.text, span_hits)) if span_hits else span
        for span, span_hits in zip(spans, hits, strict=True)
    ]
    return redacted, redactions


def join_spans(spans: list[OcrSpan]) -> tuple[str, list[tuple[int, int]]]:
    """The spans' texts joined with single spaces, and each span's [start, end) in that text."""
    ranges = []
    cursor = 0
    for span in spans:
        ranges.append((cursor, cursor + len(span.text)))
        cursor += len(span.text) + 1
    return " ".join(span.text for span in spans), ranges


def estimate_sub_box(span: OcrSpan, start: int, end: int) -> tuple[float, float, float, float]:
    """Box of characters [start, end) of a span, estimated from glyph widths and padded.

    PII reaching within EDGE_CHARS of a span end is boxed to that end; every box is grown a
    little beyond the span box too, as OCR boxes can be a few pixels tight on the ink.
    Over-redacting a few pixels is fine, leaking is not.
    """
    x0, y0, x1, y1 = span.bbox
    length = max(1, len(span.text))
    char_width = (x1 - x0) / length
    left, right = x0, x1
    if start >= EDGE_CHARS or length - end >= EDGE_CHARS:
        weights = [_glyph_width(char) for char in span.text]
        total = sum(weights)
        pad = SUBBOX_PAD_CHARS * char_width
        if start >= EDGE_CHARS:
            left = x0 + (x1 - x0) * sum(weights[:start]) / total - pad
        if length - end >= EDGE_CHARS:
            right = x0 + (x1 - x0) * sum(weights[:end]) / total + pad
    margin_x, margin_y = BOX_MARGIN_CHARS * char_width, BOX_MARGIN_HEIGHT * (y1 - y0)
    return (max(0.0, left - margin_x), max(0.0, y0 - margin_y), right + margin_x, y1 + margin_y)


def _glyph_width(char: str) -> float:
    """Rough relative advance width of a glyph in common proportional fonts."""
    if char in " .,:;'|!ilIjft()[]":
        return 0.5
    if char in "MWmw@%" or char.isupper():
        return 1.3
    return 1.0


def redact_text(text: str, findings: list[PiiFinding]) -> str:
    """The text with each finding replaced by "[KIND]" (e.g. "[EMAIL]")."""
    return replace_ranges(text, [(f.start, f.end, f.kind) for f in findings])


def replace_ranges(text: str, ranges: list[tuple[int, int, str]]) -> str:
    merged: list[list[Any]] = []
    for start, end, kind in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    pieces, cursor = [], 0
    for start, end, kind in merged:
        pieces += [text[cursor:start], f"[{kind.upper()}]"]
        cursor = end
    return "".join(pieces) + text[cursor:]


# redaction boxes are painted this many pixels beyond their edges
REDACTION_PAD_PX = 2


def redact_image(
    image: Image.Image, boxes: list[tuple[float, float, float, float]], pad: int = REDACTION_PAD_PX
) -> Image.Image:
    """A copy of the image with each box (grown by `pad` pixels) filled black.

    Images in modes other than 1, L, RGB and RGBA come back as RGB.
    """
    redacted = image.copy() if image.mode in ("1", "L", "RGB", "RGBA") else image.convert("RGB")
    draw = ImageDraw.Draw(redacted)
    width, height = redacted.size
    for x0, y0, x1, y1 in boxes:
        left, top = max(0.0, x0 - pad), max(0.0, y0 - pad)
        right, bottom = min(width - 1.0, x1 + pad), min(height - 1.0, y1 + pad)
        if right >= left and bottom >= top:
            draw.rectangle((left, top, right, bottom), fill="black")
    return redacted
