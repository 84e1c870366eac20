"""png_check may only say "intact" for bytes Pillow decodes: every PNG here is mutated (cut at many
offsets, single bytes flipped in every chunk, filter bytes changed, IDAT recompressed short), and
each mutation it accepts must decode in Pillow's strict mode. Unmutated plain images are accepted,
so the gate's fast path is really taken."""

from __future__ import annotations

import io
import random
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from mm_assets.operations.gate import check_file
from mm_assets.operations.png_check import plain_png_decodes

MAX_PIXELS = 10_000_000


def png_bytes(mode: str, size: tuple[int, int] = (37, 23), **options: object) -> bytes:
    rng = np.random.default_rng(7)
    channels = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "P": 1}[mode]
    pixels = rng.integers(0, 256, (size[1], size[0], channels), dtype=np.uint8)
    image = Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, "L" if mode == "P" else mode)
    if mode == "P":
        image = image.convert("P")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def pillow_decodes(data: bytes) -> bool:
    previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
        return True
    except Exception:  # noqa: BLE001 (any failure is "does not decode")
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(body, zlib.crc32(kind)).to_bytes(4, "big")


def with_idat(data: bytes, raw_rows: bytes) -> bytes:
    """`data` with its pixel stream replaced by `raw_rows`, recompressed (header and CRCs valid)."""
    header = data[8 : 8 + 25]
    return data[:8] + header + chunk(b"IDAT", zlib.compress(raw_rows)) + chunk(b"IEND", b"")


def mutations(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    cut = [data[:length] for length in sorted(rng.sample(range(len(data)), min(40, len(data))))]
    flipped = []
    for position in rng.sample(range(8, len(data)), min(80, len(data) - 8)):
        mutated = bytearray(data)
        mutated[position] ^= 1 << rng.randrange(8)
        flipped.append(bytes(mutated))
    return cut + flipped


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
def test_a_plain_png_is_accepted_and_every_mutation_it_accepts_decodes_in_pillow(mode):
    data = png_bytes(mode)
    assert plain_png_decodes(data, MAX_PIXELS) and pillow_decodes(data)
    accepted = [mutated for mutated in mutations(data, seed=len(mode)) if plain_png_decodes(mutated, MAX_PIXELS)]
    assert all(pillow_decodes(mutated) for mutated in accepted)
    assert len(accepted) < 20  # nearly every mutation breaks a CRC or the stream: it goes to Pillow


def test_rows_short_or_with_an_unknown_filter_are_not_accepted_and_pillow_agrees():
    data = png_bytes("RGB", (5, 4))
    stride = 1 + 5 * 3
    rows = bytearray(zlib.decompress(data[8 + 25 + 8 : -12 - 4]))
    assert plain_png_decodes(with_idat(data, bytes(rows)), MAX_PIXELS)  # the rebuild itself is sound
    unknown_filter = bytearray(rows)
    unknown_filter[2 * stride] = 5
    for broken in (bytes(rows[:-1]), bytes(unknown_filter)):
        assert not plain_png_decodes(with_idat(data, broken), MAX_PIXELS)
        assert not pillow_decodes(with_idat(data, broken))


def interlaced_header_png() -> bytes:
    """A plain PNG whose header says Adam7 (Pillow cannot write one): the rows would be laid out otherwise."""
    data = png_bytes("L")
    header = bytearray(data[16:29])
    header[12] = 1
    return data[:8] + chunk(b"IHDR", bytes(header)) + data[33:]


def test_anything_but_a_plain_png_goes_to_pillow():
    for other in (png_bytes("P"), sixteen_bit_png()):
        assert pillow_decodes(other) and not plain_png_decodes(other, MAX_PIXELS)
    assert not plain_png_decodes(interlaced_header_png(), MAX_PIXELS)


def sixteen_bit_png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.arange(12, dtype=np.uint16).reshape(3, 4) * 5000).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_over_the_pixel_cap_is_left_to_pillow_and_nothing_is_inflated():
    data = png_bytes("L", (40, 30))
    assert plain_png_decodes(data, 1200) and not plain_png_decodes(data, 1199)


def test_the_gate_gives_the_same_verdict_and_facts_on_the_fast_path(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(png_bytes("RGB", (64, 48)))
    verdict = check_file(path)
    assert verdict.mime_type == "image/png"
    assert {key: verdict.quality[key] for key in ("format", "width", "height", "mode", "frames_decoded")} == {
        "format": "PNG",
        "width": 64,
        "height": 48,
        "mode": "RGB",
        "frames_decoded": 1,
    }
