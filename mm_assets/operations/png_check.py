"""Whether a plain PNG would decode, checked on its bytes: the input gate's test decode without Pillow.

The gate test-decodes every image before it is stored. For a PNG, Pillow's decode is zlib plus
per-row unfiltering plus Python-level chunk reading: about 0.5 ms for a 128x128 photo, against 0.2 ms
for zlib alone, and the largest cost of an ingest after the copy itself (bench/ingest.py). A decode
fails only when a chunk is cut or its CRC is wrong, when the compressed stream is cut or corrupt,
when it inflates to too few bytes, or when a row names an unknown filter; all of that is checked here
from the bytes. Only the plain cases are answered (8-bit grey, RGB, grey+alpha or RGBA, not
interlaced, one frame): a palette, 16-bit or interlaced image, or any file this finds fault with,
goes to Pillow, whose verdict and message stand. So this can only ever say "intact" for bytes Pillow
decodes (tests/test_png_check.py mutates PNGs byte by byte against Pillow to keep it that way).
"""

from __future__ import annotations

import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Colour type -> samples per pixel, for the colour types whose rows are 1 + width * samples bytes at 8 bits.
PLAIN_SAMPLES = {0: 1, 2: 3, 4: 2, 6: 4}
HIGHEST_FILTER = 4  # None, Sub, Up, Average, Paeth


def plain_png_decodes(data: bytes, max_pixels: int) -> bool:
    """True when `data` is a plain PNG (see the module) of at most `max_pixels` whose pixels decode;
    False means "ask Pillow" (which also refuses an image over the cap, before it inflates anything)."""
    chunks = _chunks(data)
    if chunks is None:
        return False
    header, compressed, frames = chunks
    if frames or len(header) != 13:
        return False
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, _compression, _filter, interlace = header[8:13]
    samples = PLAIN_SAMPLES.get(colour)
    if depth != 8 or samples is None or interlace or not 0 < width * height <= max_pixels:
        return False
    stride = 1 + width * samples
    return _rows_intact(compressed, stride, height)


def _chunks(data: bytes) -> tuple[bytes, bytes, bool] | None:
    """(IHDR body, the IDAT bodies joined, whether it is animated) if every chunk up to IEND is whole
    and its CRC matches; None otherwise."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    offset, header, idat, animated = len(PNG_SIGNATURE), b"", [], False
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(data):
            return None
        body = data[offset + 8 : end - 4]
        if zlib.crc32(body, zlib.crc32(kind)) != int.from_bytes(data[end - 4 : end], "big"):
            return None
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind in (b"acTL", b"fcTL", b"fdAT"):
            animated = True
        elif kind == b"IEND":
            return header, b"".join(idat), animated
        offset = end
    return None  # no IEND: cut off


def _rows_intact(compressed: bytes, stride: int, height: int) -> bool:
    """The stream inflates, to at least `height` rows of `stride` bytes, each row's first byte a known filter."""
    wanted = stride * height
    inflater = zlib.decompressobj()
    try:
        # At most the image's own size is inflated, and its pixel count is within the cap.
        pixels = inflater.decompress(compressed, wanted)
    except zlib.error:
        return False
    if len(pixels) < wanted:
        return False
    return max(pixels[::stride]) <= HIGHEST_FILTER
