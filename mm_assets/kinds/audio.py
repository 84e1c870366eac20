"""audio: the sound of every audio and video source as 16 kHz mono PCM, peak-normalised.

What the recogniser and the fingerprint read. A video without a sound track gets an empty WAV with
`sound_track: false`, so everything downstream sees "no speech" instead of a missing input.
Sources that are not audio or video are left alone (no artifact; `applicable: false` in the
partition's materialization metadata).
"""

import av
import numpy as np

from mm_assets.kind_spec import AV_MODALITIES, ArtifactKind, KindRun, Made, each_partition
from resources.av_decoder import SAMPLE_RATE, NoSoundTrack, decode_audio, normalise_peak, wav_bytes
from resources.blob_store import media_key

AUDIO_VERSION = "1"
AUDIO_MODEL = f"pyav-{av.__version__}-16k-mono-peak"
# A 30 ms frame quieter than this RMS (on peak-normalised sound) counts as silence.
SILENCE_RMS = 0.01
SILENCE_FRAME_SECONDS = 0.03


def silence_ratio(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Share of 30 ms frames below SILENCE_RMS (1.0 for no sound at all)."""
    size = int(rate * SILENCE_FRAME_SECONDS)
    count = len(samples) // size
    if count == 0:
        return 1.0
    frames = samples[: count * size].reshape(count, size)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    return round(float(np.mean(rms < SILENCE_RMS)), 4)


def make_audio(run: KindRun, key: str) -> Made:
    try:
        samples, sound_track = decode_audio(run.batch.store.read_bytes(media_key(key))), True
    except NoSoundTrack:
        samples, sound_track = np.zeros(0, dtype=np.float32), False
    samples = normalise_peak(samples)
    facts = {
        "seconds": round(len(samples) / SAMPLE_RATE, 3),
        "sample_rate": SAMPLE_RATE,
        "sound_track": sound_track,
        "silence_ratio": silence_ratio(samples),
    }
    run.batch.write(key, wav_bytes(samples), "wav", run.digests[key], attributes=facts)
    return Made(facts)


SPEC = ArtifactKind(
    name="audio",
    upstream=("source_media",),
    inputs=(),  # reads the original itself
    logic_version=AUDIO_VERSION,
    description="16 kHz mono 16-bit PCM of each audio source and of each video's sound track, "
    "peak-normalised; empty (sound_track: false) for a silent video.",
    make=each_partition(make_audio),
    modalities=AV_MODALITIES,
    model=AUDIO_MODEL,
    payload="wav",
)
