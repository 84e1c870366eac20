"""Real audio and video made on the spot: espeak-ng (Debian) speaks sentences, PyAV encodes clips.

Shared by the tests, `mm eval av` (operations/av_evaluation.py) and bench/av.py.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from resources.av_decoder import decode_audio

ESPEAK_RATE = 22_050


class EspeakMissing(RuntimeError):
    """espeak-ng is not installed: `make system-deps` installs it."""


def speak(
    text: str,
    words_per_minute: int = 150,
    voice: str = "en-us",
    *,
    pitch: int | None = None,
    word_gap: int | None = None,
    amplitude: int | None = None,
) -> np.ndarray:
    """espeak-ng saying `text` (its US English voice unless told), as mono float32 at 16 kHz; `pitch` (0-99),
    `word_gap` (units of 10 ms) and `amplitude` (0-200) are espeak-ng's own, left at its defaults unless given."""
    if shutil.which("espeak-ng") is None:
        raise EspeakMissing("espeak-ng is not installed; run `make system-deps` (apt-get install espeak-ng)")
    delivery = {"-p": pitch, "-g": word_gap, "-a": amplitude}
    options = [str(part) for flag, value in delivery.items() if value is not None for part in (flag, value)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speech.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(words_per_minute), *options, "-w", str(path), text],
            check=True,
            capture_output=True,
        )
        return decode_audio(path.read_bytes())


def silence(seconds: float, rate: int = 16_000) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def write_audio(path: Path, samples: np.ndarray, codec: str = "pcm_s16le", rate: int = 16_000) -> Path:
    """Encode mono samples with `codec` into the container `path`'s extension names."""
    formats = {"pcm_s16le": "s16", "flac": "s16", "libmp3lame": "s16p", "libopus": "flt", "aac": "fltp"}
    out_rate = 48_000 if codec == "libopus" else rate
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=out_rate, layout="mono")
        _mux_mono_audio(container, stream, samples, rate, formats[codec], out_rate)
    return path


def _mux_mono_audio(
    container: Any, stream: Any, samples: np.ndarray, rate: int, sample_format: str, out_rate: int
) -> None:
    """Encode mono samples at `rate` into `stream` (resampled to its format and rate) and flush it."""
    frame = av.AudioFrame.from_ndarray(
        (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1), format="s16", layout="mono"
    )
    frame.sample_rate = rate
    resampler = av.AudioResampler(format=sample_format, layout="mono", rate=out_rate)
    for chunk in resampler.resample(frame) + resampler.resample(None):
        for packet in stream.encode(chunk):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def write_video(
    path: Path,
    scenes: Sequence[tuple[Image.Image, float]],
    sound: np.ndarray | None = None,
    fps: int = 10,
    size: tuple[int, int] = (160, 120),
    codec: str = "mpeg4",
) -> Path:
    """A video showing each (image, seconds) scene in turn, with `sound` (16 kHz mono) if given."""
    with av.open(str(path), "w") as container:
        video = container.add_stream(codec, rate=fps)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        audio = container.add_stream("aac", rate=16_000, layout="mono") if sound is not None else None
        index = 0
        for image, seconds in scenes:
            frame_image = image.convert("RGB").resize(size)
            for _ in range(int(round(seconds * fps))):
                frame = av.VideoFrame.from_image(frame_image)
                frame.pts, frame.time_base = index, Fraction(1, fps)
                index += 1
                for packet in video.encode(frame):
                    container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        if audio is not None:
            _mux_mono_audio(container, audio, sound, 16_000, "fltp", 16_000)
    return path
