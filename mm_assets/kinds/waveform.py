"""The waveform picture of a sound: the page an audio source shows (and its thumbnail)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from resources.av_decoder import SAMPLE_RATE

WAVEFORM_SIZE = (800, 200)
SECOND_TICK_COLOUR = (200, 200, 200)
WAVE_COLOUR = (30, 90, 160)


def waveform_image(samples: np.ndarray, rate: int = SAMPLE_RATE, size: tuple[int, int] = WAVEFORM_SIZE) -> Image.Image:
    """Min/max envelope per pixel column on white, a faint tick every second."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    seconds = len(samples) / rate if rate else 0.0
    if seconds > 0:
        for second in range(1, int(seconds) + 1):
            x = int(second / seconds * (width - 1))
            draw.line([(x, 0), (x, height - 1)], fill=SECOND_TICK_COLOUR)
    middle = height / 2
    if len(samples) == 0:
        draw.line([(0, middle), (width - 1, middle)], fill=WAVE_COLOUR)
        return image
    columns = np.array_split(samples, width)
    for x, column in enumerate(columns):
        low, high = (float(column.min()), float(column.max())) if column.size else (0.0, 0.0)
        draw.line([(x, middle - high * middle), (x, middle - low * middle)], fill=WAVE_COLOUR)
    return image
