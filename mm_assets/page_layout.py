"""A page's layout and its images: spans joined into lines and blocks, page images named and encoded.

Indexing (kinds/search_index) cuts the redacted spans into page blocks, the passages a result points
at; evidence (operations/evidence) reads the same lines and blocks to pick the box that answers a
query. Page images are PNGs beside their manifest (`...p0001.png`): kinds/pages writes them, kinds/pii
redacts them, operations/crop cuts from them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # encode_png only calls the image's own save(): a cold text search loads no PIL
    from PIL import Image


def page_suffix(page: int) -> str:
    return f".p{page:04d}.png"


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # speed over size: pages are rewritten rarely
    return buffer.getvalue()


# A page block is at most this long: MiniLM reads ~256 word pieces (~1,000 characters), and a
# shorter passage gives a sharper vector and a tighter evidence box.
MAX_BLOCK_CHARS = 480
# A block shorter than this (a heading, a caption line) joins the block under it.
MIN_BLOCK_CHARS = 80
# Lines further apart than this many line heights start a new block (a paragraph break).
MAX_LINE_GAP = 0.9
# Spans on one line further apart than this many line heights are different columns.
MAX_WORD_GAP = 2.5


@dataclass
class Line:
    page: int
    bbox: list[float]
    text: str


@dataclass
class Block:
    page: int
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])

    @property
    def bbox(self) -> list[float]:
        boxes = [line.bbox for line in self.lines]
        return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def join_lines(lines: list[str]) -> str:
    """Lines as running text; a word split by a soft hyphen at a line end is one word again."""
    text = ""
    for line in lines:
        if text.endswith("\u00ad"):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text.replace("\u00ad", "")


def _height(box: Sequence[float]) -> float:
    return max(box[3] - box[1], 1.0)


def _union(a: Sequence[float], b: Sequence[float]) -> list[float]:
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def page_lines(spans: list[dict]) -> list[Line]:
    """Spans (words or lines, any engine) joined into text lines, top to bottom, per page.

    Spans whose vertical middles fall inside one row are one row, read left to right; a gap
    wider than MAX_WORD_GAP line heights splits a row into lines, so columns stay apart.
    """
    rows: list[list[dict]] = []
    for span in sorted(spans, key=lambda s: (s["page"], (s["bbox"][1] + s["bbox"][3]) / 2)):
        if not span["text"].strip():
            continue
        middle = (span["bbox"][1] + span["bbox"][3]) / 2
        row = rows[-1] if rows else None
        if row is not None and row[0]["page"] == span["page"] and row[0]["bbox"][1] <= middle <= row[0]["bbox"][3]:
            row.append(span)
        else:
            rows.append([span])
    lines: list[Line] = []
    for row in rows:
        line: Line | None = None
        for span in sorted(row, key=lambda s: s["bbox"][0]):
            box, text = list(span["bbox"]), span["text"].strip()
            if line is not None and box[0] - line.bbox[2] <= MAX_WORD_GAP * _height(line.bbox):
                line.text, line.bbox = f"{line.text} {text}", _union(line.bbox, box)
            else:
                line = Line(span["page"], box, text)
                lines.append(line)
    return sorted(lines, key=lambda line: (line.page, line.bbox[1], line.bbox[0]))


def page_blocks(spans: list[dict]) -> list[Block]:
    """Lines grouped by layout into blocks (paragraphs, columns), long blocks split with overlap.

    A line continues the block whose last line sits just above it (within MAX_LINE_GAP line
    heights) and overlaps it horizontally; a block that would pass MAX_BLOCK_CHARS is closed and
    the next one starts with its last line, so a sentence across the cut is in both.
    """
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    for line in page_lines(spans):
        open_blocks = [block for block in open_blocks if block.page == line.page]
        target = next((block for block in reversed(open_blocks) if _continues(block, line)), None)
        if target is not None and len(target.text) + len(line.text) + 1 > MAX_BLOCK_CHARS:
            open_blocks.remove(target)
            target = Block(line.page, [target.lines[-1]]) if len(target.lines) > 1 else None
            if target is not None:
                blocks.append(target)
                open_blocks.append(target)
        if target is None:
            target = Block(line.page)
            blocks.append(target)
            open_blocks.append(target)
        target.lines.append(line)
    return _merge_short_blocks(sorted(blocks, key=lambda b: (b.page, b.bbox[1], b.bbox[0])))


def _continues(block: Block, line: Line) -> bool:
    last = block.lines[-1].bbox
    gap = line.bbox[1] - last[3]
    overlap = min(last[2], line.bbox[2]) - max(last[0], line.bbox[0])
    return -0.5 * _height(last) <= gap <= MAX_LINE_GAP * _height(last) and overlap > 0


def _merge_short_blocks(blocks: list[Block]) -> list[Block]:
    """A heading or a one-line caption joins the next block on its page when both fit."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.page == block.page
            and len(previous.text) < MIN_BLOCK_CHARS
            and len(previous.text) + len(block.text) + 1 <= MAX_BLOCK_CHARS
        ):
            previous.lines.extend(block.lines)
        else:
            merged.append(block)
    return merged
