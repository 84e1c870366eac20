"""transcript: the words spoken in each audio/video source, with start and end times and confidences.

The recogniser (resources/asr.py) is the configured one; its model id is in the code version, so an
ASR upgrade marks this asset and what is made from it stale, and nothing else. Segments are the
words grouped at pauses, for reading; the words are what redaction and search windows use.
"""

from typing import Any

from mm_assets.artifacts import Stopwatch
from mm_assets.kind_checks import KindCheck, Verdict, quality_verdicts
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.audio import AV_MODALITIES
from mm_assets.operations.compare import compare_transcripts
from resources.asr import Word
from resources.av_decoder import samples_from_wav

TRANSCRIPT_VERSION = "1"
# A pause this long between words starts a new segment.
SEGMENT_PAUSE_SECONDS = 0.8
MIN_MEAN_CONFIDENCE = 0.5
MAX_SILENCE_RATIO = 0.8


def words_to_json(words: list[Word]) -> list[dict]:
    return [{"text": w.text, "t_start": w.t_start, "t_end": w.t_end, "confidence": w.confidence} for w in words]


def words_from_json(items: list[dict]) -> list[Word]:
    return [Word(i["text"], i["t_start"], i["t_end"], i["confidence"]) for i in items]


def segments(words: list[Word]) -> list[dict]:
    """Words grouped where the speaker pauses: [{"t_start", "t_end", "text"}]."""
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.t_start - groups[-1][-1].t_end < SEGMENT_PAUSE_SECONDS:
            groups[-1].append(word)
        else:
            groups.append([word])
    return [{"t_start": g[0].t_start, "t_end": g[-1].t_end, "text": " ".join(w.text for w in g)} for g in groups]


def transcript_quality(words: list[Word], seconds: float, silence: float) -> dict[str, float]:
    mean = sum(w.confidence for w in words) / len(words) if words else 0.0
    return {
        "mean_confidence": round(mean, 4),
        "silence_ratio": silence,
        "words": len(words),
        "seconds": seconds,
    }


def transcript_quality_problems(quality: dict) -> list[str]:
    """Why a transcript needs a human look: the recogniser was unsure, or there is hardly any sound."""
    problems = []
    if quality.get("words") and quality["mean_confidence"] < MIN_MEAN_CONFIDENCE:
        problems.append(f"mean ASR confidence {quality['mean_confidence']} < {MIN_MEAN_CONFIDENCE}")
    if quality.get("seconds", 0) > 0 and quality.get("silence_ratio", 1.0) > MAX_SILENCE_RATIO:
        problems.append(f"silence ratio {quality['silence_ratio']} > {MAX_SILENCE_RATIO}")
    return problems


def make_transcript(run: KindRun, key: str) -> Made:
    audio_row = run.input("audio", key)
    with Stopwatch() as watch:
        samples, _rate = samples_from_wav(run.batch.read_bytes(audio_row))
        words = run.model("speech_recognizer").transcribe(samples)
    facts = audio_row["attributes"] or {}
    quality = transcript_quality(words, facts.get("seconds", 0.0), facts.get("silence_ratio", 1.0))
    payload = {
        "words": words_to_json(words),
        "segments": segments(words),
        "text": " ".join(w.text for w in words),
        "seconds": quality["seconds"],
    }
    run.batch.write_json(key, payload, run.digests[key], attributes=quality)
    real_time_factor = round(watch.ms / 1000 / max(quality["seconds"], 1e-3), 3)
    return Made(quality, {**quality, "real_time_factor": real_time_factor})


def transcript_quality_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Mean ASR confidence and silence ratio against thresholds; below them the source goes to review."""
    return quality_verdicts(
        resources.catalog, "transcript", keys, lambda _row, quality: transcript_quality_problems(quality)
    )


SPEC = ArtifactKind(
    name="transcript",
    upstream=("audio",),
    logic_version=TRANSCRIPT_VERSION,
    dagster_kinds=frozenset({"asr"}),
    description=lambda build: (
        f"Words with start/end times and confidences, and pause-split segments, by {build.model_id}."
    ),
    make=each_partition(make_transcript),
    modalities=AV_MODALITIES,
    model_roles=("speech_recognizer",),
    comparator=compare_transcripts,
    checks=(KindCheck("transcript_quality", transcript_quality_verdicts, resources=("catalog",)),),
)
