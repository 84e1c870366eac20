"""keyframe_embedding: a visual vector, a caption and the redacted OCR text of every keyframe of a video.

`visual_embedding` and `caption` describe a source by its first page; a video needs each frame, so
that a text or image query lands on the moment that shows it. Frames are read from the `pii` asset's
redacted pages (never the originals). The payload is the (frames x dim) matrix; `.frames.json`
beside it holds each frame's t_start/t_end (until the next keyframe), caption and redacted OCR text.
"""

import json

import dagster as dg
import numpy as np
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.pages import load_pages
from mm_assets.kinds.visual_embedding import vector_bytes
from resources.captioner import Captioner
from resources.catalog import CatalogResource
from resources.embedder import Embedder
from resources.stores import MediaStoreResource

KEYFRAME_EMBEDDING_VERSION = "1"
FRAMES_SUFFIX = ".frames.json"


def frame_spans(frames: list[dict], seconds: float) -> list[tuple[float, float]]:
    """Each keyframe stands for the time until the next one (the last until the end)."""
    times = [frame["t"] for frame in frames]
    ends = times[1:] + [max(seconds, times[-1])] if times else []
    return list(zip(times, ends, strict=True))


def build_keyframe_embedding(embedder_id: str, captioner_id: str, max_partitions_per_run: int) -> dg.AssetsDefinition:
    model_id = f"{embedder_id}+{captioner_id}"

    @content_hash_asset(
        "keyframe_embedding",
        deps=["keyframes", "pii"],
        code_version=code_version(KEYFRAME_EMBEDDING_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="audio_video",
        kinds={"embedding"},
        description=f"Per keyframe of a video: visual vector ({embedder_id}), caption ({captioner_id}) and "
        "redacted OCR text, with t_start/t_end.",
    )
    def keyframe_embedding(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        embedder: Embedder,
        captioner: Captioner,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(
            context, catalog, media_store.store, "keyframe_embedding", KEYFRAME_EMBEDDING_VERSION, model_id
        )
        keys = batch.applicable(["video"])
        index_rows = batch.upstream("keyframes", keys)
        redacted = batch.upstream("pii", keys)
        for key in [k for k in keys if k in index_rows and k in redacted]:
            with batch.guard(key):
                digest = input_digest([index_rows[key], redacted[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    index = batch.read_json(index_rows[key])
                    images = dict(load_pages(batch, redacted[key]))
                    pii_payload = batch.read_json(redacted[key])
                    frames = index["frames"]
                    pictures = [images[frame["page"]] for frame in frames]
                    vectors = embedder.embed_images(pictures) if pictures else np.zeros((0, embedder.dim()))
                    captions = captioner.caption(pictures)
                    described = [
                        {
                            "page": frame["page"],
                            "width": images[frame["page"]].width,
                            "height": images[frame["page"]].height,
                            "t_start": t_start,
                            "t_end": t_end,
                            "caption": caption.text,
                            "ocr_text": pii_payload["text"].get(str(frame["page"]), ""),
                        }
                        for frame, (t_start, t_end), caption in zip(
                            frames, frame_spans(frames, index["seconds"] or 0.0), captions, strict=True
                        )
                    ]
                    batch.write(
                        key,
                        vector_bytes(np.asarray(vectors, dtype=np.float32)),
                        "npy",
                        digest,
                        attributes={"frames": len(frames), "dim": embedder.dim()},
                        side_files={FRAMES_SUFFIX: json.dumps(described).encode()},
                    )
                batch.step(key, "ok", watch.ms, frames=len(frames))
                batch.metadata(key, frames=len(frames))
        return batch.finish()

    return keyframe_embedding
