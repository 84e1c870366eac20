"""redacted_audio: the 16 kHz sound with every redacted word's time span silenced.

Made from `audio` and the redaction spans of `redacted_transcript`, so what a listener hears never
says what the redacted transcript hides. Spans are padded a little on both sides because word
timestamps are estimates.
"""

import numpy as np

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.audio import AV_MODALITIES
from resources.av_decoder import samples_from_wav, wav_bytes

REDACTED_AUDIO_VERSION = "1"
PAD_SECONDS = 0.15
REDACTED_AUDIO_MODEL = f"silence-pad{PAD_SECONDS:g}s"


def silence_spans(samples: np.ndarray, rate: int, spans: list[tuple[float, float]], pad: float) -> np.ndarray:
    """A copy of `samples` with each (t_start, t_end) span, grown by `pad` seconds, set to zero."""
    out = samples.copy()
    for t_start, t_end in spans:
        first = max(0, int((t_start - pad) * rate))
        last = min(len(out), int(np.ceil((t_end + pad) * rate)))
        out[first:last] = 0.0
    return out


def make_redacted_audio(run: KindRun, key: str) -> Made:
    samples, rate = samples_from_wav(run.batch.read_bytes(run.input("audio", key)))
    redactions = run.batch.read_json(run.input("redacted_transcript", key))["redactions"]
    spans = [(r["t_start"], r["t_end"]) for r in redactions]
    silenced = silence_spans(samples, rate, spans, PAD_SECONDS)
    seconds_silenced = round(sum(e - s + 2 * PAD_SECONDS for s, e in spans), 3)
    attributes = {"spans_silenced": len(spans), "seconds_silenced": seconds_silenced}
    run.batch.write(key, wav_bytes(silenced, rate), "wav", run.digests[key], attributes=attributes)
    return Made({"spans_silenced": len(spans)}, attributes)


SPEC = ArtifactKind(
    name="redacted_audio",
    upstream=("audio", "redacted_transcript"),
    logic_version=REDACTED_AUDIO_VERSION,
    dagster_kinds=frozenset({"wav", "pii"}),
    description=f"The 16 kHz sound with redacted words' time spans silenced (padded {PAD_SECONDS} s).",
    make=each_partition(make_redacted_audio),
    modalities=AV_MODALITIES,
    model=REDACTED_AUDIO_MODEL,
    payload="wav",
)
