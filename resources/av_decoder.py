"""Decoding audio and video with PyAV (FFmpeg's libraries ship inside its wheel).

Two jobs: the sound of a file as 16 kHz mono samples (what the recogniser and the fingerprint
read), and the frames of a video chosen as keyframes: one every `interval` seconds plus one at each
scene change, each with its timestamp.
"""

from __future__ import annotations

import functools
import io
import wave
from collections.abc import Iterator
from dataclasses import dataclass

import av
import numpy as np
from PIL import Image

SAMPLE_RATE = 16_000
# Peak level the sound is normalised to: loud enough for the recogniser, never clipped.
TARGET_PEAK = 0.9
# Scene change: mean absolute difference of 32x32 brightness grids of frames SCENE_SAMPLE_SECONDS apart.
SCENE_CHANGE_THRESHOLD = 28.0
SCENE_SAMPLE_SECONDS = 0.1
SIGNATURE_SIDE = 32
# Pixel formats whose first plane is the luma (Y) plane, one byte per pixel.
_PLANAR_YUV = frozenset(
    {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv411p", "gray", "nv12", "nv21"}
)
# Frames closer than this to the previous keyframe are not taken for a scene change.
MIN_KEYFRAME_GAP = 0.5
# Keyframe images are downscaled to at most this many pixels on the longer side.
MAX_KEYFRAME_SIDE = 1280
MAX_KEYFRAMES = 2_000


class NoSoundTrack(Exception):
    """The file has no audio stream."""


def decode_audio(data: bytes, rate: int = SAMPLE_RATE) -> np.ndarray:
    """All the sound of a file as mono float32 samples in [-1, 1] at `rate` Hz."""
    with av.open(io.BytesIO(data), metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise NoSoundTrack("no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = []
        for frame in container.decode(stream):
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
        chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)


def normalise_peak(samples: np.ndarray, peak: float = TARGET_PEAK) -> np.ndarray:
    """Scale so the loudest sample sits at `peak` (silence stays silence)."""
    loudest = float(np.max(np.abs(samples))) if samples.size else 0.0
    return samples if loudest == 0.0 else (samples * (peak / loudest)).astype(np.float32)


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    """16-bit PCM mono WAV."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def samples_from_wav(data: bytes) -> tuple[np.ndarray, int]:
    """(float32 samples, rate) of a 16-bit PCM mono WAV written by `wav_bytes`."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32767, rate


@dataclass(frozen=True)
class Keyframe:
    t: float  # seconds from the start
    reason: str  # "interval" or "scene_change"
    image: Image.Image


def iter_keyframes(data: bytes, interval: float) -> Iterator[Keyframe]:
    """One frame every `interval` seconds (the first frame at or after each tick) plus scene changes.

    Scene changes are looked for every SCENE_SAMPLE_SECONDS, on a luma grid read straight from the
    decoded frame's first plane (no colour conversion): decoding stays the dominant cost.
    """
    with av.open(io.BytesIO(data), metadata_errors="ignore") as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        next_tick, last_taken, next_sample, previous, taken = 0.0, -1e9, 0.0, None, 0
        for frame in container.decode(stream):
            t = float(frame.time or 0.0)
            changed = False
            if t >= next_sample:
                signature = _luma_signature(frame)
                changed = previous is not None and float(np.mean(np.abs(signature - previous))) > SCENE_CHANGE_THRESHOLD
                previous, next_sample = signature, t + SCENE_SAMPLE_SECONDS
            reason = None
            if t >= next_tick:
                reason = "interval"
                while next_tick <= t:
                    next_tick += interval
            elif changed and t - last_taken >= MIN_KEYFRAME_GAP:
                reason = "scene_change"
            if reason is None:
                continue
            yield Keyframe(round(t, 3), reason, _downscaled(frame.to_image()))
            last_taken, taken = t, taken + 1
            if taken >= MAX_KEYFRAMES:
                return


def _luma_signature(frame: av.VideoFrame) -> np.ndarray:
    """A SIGNATURE_SIDE x SIGNATURE_SIDE grid of brightness values (0-255) of the frame."""
    if frame.format.name in _PLANAR_YUV:
        plane = frame.planes[0]
        luma = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]
    else:
        luma = frame.reformat(format="gray").to_ndarray()
    return luma[_signature_grid(*luma.shape)].astype(np.float32)


@functools.lru_cache(maxsize=8)
def _signature_grid(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The sampled rows and columns of a frame size, built once per stream instead of per frame."""
    rows = np.linspace(0, height - 1, SIGNATURE_SIDE).astype(int)
    columns = np.linspace(0, width - 1, SIGNATURE_SIDE).astype(int)
    return np.ix_(rows, columns)


def _downscaled(image: Image.Image) -> Image.Image:
    image = image.convert("RGB")
    if max(image.size) > MAX_KEYFRAME_SIDE:
        image.thumbnail((MAX_KEYFRAME_SIDE, MAX_KEYFRAME_SIDE))
    return image


def decode_video_frames(data: bytes) -> int:
    """Decode every frame and do nothing else: the bare loop the keyframe bench compares against."""
    count = 0
    with av.open(io.BytesIO(data), metadata_errors="ignore") as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _frame in container.decode(stream):
            count += 1
    return count
