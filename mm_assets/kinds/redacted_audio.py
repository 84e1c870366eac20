"""redacted_audio: the 16 kHz sound with every redacted word's time span silenced.

Made from `audio` and the redaction spans of `redacted_transcript`, so what a listener hears never
says what the redacted transcript hides. Spans are padded a little on both sides because word
timestamps are estimates.
"""

import dagster as dg
import numpy as np
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.audio import av_keys
from resources.av_decoder import samples_from_wav, wav_bytes
from resources.catalog import CatalogResource
from resources.stores import MediaStoreResource

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


def build_redacted_audio(max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "redacted_audio",
        deps=["audio", "redacted_transcript"],
        code_version=code_version(REDACTED_AUDIO_VERSION, REDACTED_AUDIO_MODEL),
        max_partitions_per_run=max_partitions_per_run,
        group_name="audio_video",
        kinds={"wav", "pii"},
        description=f"The 16 kHz sound with redacted words' time spans silenced (padded {PAD_SECONDS} s).",
    )
    def redacted_audio(
        context: AssetExecutionContext, catalog: CatalogResource, media_store: MediaStoreResource
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(
            context, catalog, media_store.store, "redacted_audio", REDACTED_AUDIO_VERSION, REDACTED_AUDIO_MODEL
        )
        keys = av_keys(batch)
        audio_rows = batch.upstream("audio", keys)
        transcripts = batch.upstream("redacted_transcript", keys)
        for key in [k for k in keys if k in audio_rows and k in transcripts]:
            with batch.guard(key):
                digest = input_digest([audio_rows[key], transcripts[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    samples, rate = samples_from_wav(batch.read_bytes(audio_rows[key]))
                    redactions = batch.read_json(transcripts[key])["redactions"]
                    spans = [(r["t_start"], r["t_end"]) for r in redactions]
                    silenced = silence_spans(samples, rate, spans, PAD_SECONDS)
                    seconds_silenced = round(sum(e - s + 2 * PAD_SECONDS for s, e in spans), 3)
                    batch.write(
                        key,
                        wav_bytes(silenced, rate),
                        "wav",
                        digest,
                        attributes={"spans_silenced": len(spans), "seconds_silenced": seconds_silenced},
                    )
                batch.step(key, "ok", watch.ms, spans_silenced=len(spans))
                batch.metadata(key, spans_silenced=len(spans), seconds_silenced=seconds_silenced)
        return batch.finish()

    return redacted_audio
