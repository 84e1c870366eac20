"""transcript_embedding: sliding windows over the redacted transcript, each with t_start/t_end and a vector.

Windows overlap by half, so a sentence cut by one window boundary is whole in the next. The payload is
the (windows x dim) float32 matrix; `.windows.json` beside it holds each window's time range and
redacted text (what search shows as evidence). Only redacted text is embedded.
"""

import json

import dagster as dg
import numpy as np
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.audio import av_keys
from mm_assets.kinds.transcript import words_from_json
from mm_assets.kinds.visual_embedding import vector_bytes
from resources.asr import Word
from resources.catalog import CatalogResource
from resources.embedder import Embedder
from resources.stores import MediaStoreResource
from resources.upgrade_policy import UpgradePolicy

TRANSCRIPT_EMBEDDING_VERSION = "1"
WINDOW_WORDS = 8
WINDOW_STRIDE = 4
WINDOWS_SUFFIX = ".windows.json"


def transcript_windows(words: list[Word], size: int = WINDOW_WORDS, stride: int = WINDOW_STRIDE) -> list[dict]:
    """[{"t_start", "t_end", "text", "first_word"}] covering every word; the last window ends at the last word."""
    if not words:
        return []
    starts = list(range(0, max(len(words) - size, 0) + 1, stride))
    if starts[-1] + size < len(words):
        starts.append(len(words) - size)
    windows = []
    for start in starts:
        chunk = words[start : start + size]
        windows.append(
            {
                "t_start": chunk[0].t_start,
                "t_end": chunk[-1].t_end,
                "text": " ".join(w.text for w in chunk),
                "first_word": start,
            }
        )
    return windows


def build_transcript_embedding(model_id: str, max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "transcript_embedding",
        deps=["redacted_transcript"],
        code_version=code_version(TRANSCRIPT_EMBEDDING_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="audio_video",
        kinds={"embedding"},
        description=f"Embeddings of {WINDOW_WORDS}-word windows (stride {WINDOW_STRIDE}) of the redacted "
        f"transcript, each with t_start/t_end, by {model_id}.",
    )
    def transcript_embedding(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        embedder: Embedder,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(
            context,
            catalog,
            media_store.store,
            "transcript_embedding",
            TRANSCRIPT_EMBEDDING_VERSION,
            model_id,
            upgrade_policy,
        )
        keys = av_keys(batch)
        transcripts = batch.upstream("redacted_transcript", keys)
        digests = {key: input_digest([transcripts[key]]) for key in keys if key in transcripts}
        todo = batch.todo(
            digests, lambda key: transcript_windows(words_from_json(batch.read_json(transcripts[key])["words"]))
        )
        texts = [window["text"] for windows in todo.values() for window in windows]
        with Stopwatch() as watch:
            vectors = embedder.embed_texts(texts) if texts else np.zeros((0, embedder.dim()), dtype=np.float32)
        offset = 0
        for key, windows in todo.items():
            with batch.guard(key):
                matrix = np.asarray(vectors[offset : offset + len(windows)], dtype=np.float32).reshape(
                    len(windows), embedder.dim()
                )
                offset += len(windows)
                batch.write(
                    key,
                    vector_bytes(matrix),
                    "npy",
                    digests[key],
                    attributes={"windows": len(windows), "dim": embedder.dim()},
                    side_files={WINDOWS_SUFFIX: json.dumps(windows).encode()},
                )
                batch.step(key, "ok", watch.ms / max(len(todo), 1), windows=len(windows))
                batch.metadata(key, windows=len(windows))
        return batch.finish()

    return transcript_embedding
