"""keyframe_embedding: a visual vector, a caption and the redacted OCR text of every keyframe of a video.

`visual_embedding` and `caption` describe a source by its first page; a video needs each frame, so
that a text or image query lands on the moment that shows it. Frames are read from the `pii` asset's
redacted pages (never the originals). The payload is the (frames x dim) matrix; `.frames.json`
beside it holds each frame's t_start/t_end (until the next keyframe), caption and redacted OCR text.
"""

import json

import numpy as np

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.pages import load_pages
from mm_assets.kinds.visual_embedding import vector_bytes
from mm_assets.operations.compare import compare_vectors

KEYFRAME_EMBEDDING_VERSION = "1"
FRAMES_SUFFIX = ".frames.json"


def frame_spans(frames: list[dict], seconds: float) -> list[tuple[float, float]]:
    """Each keyframe stands for the time until the next one (the last until the end)."""
    times = [frame["t"] for frame in frames]
    ends = times[1:] + [max(seconds, times[-1])] if times else []
    return list(zip(times, ends, strict=True))


def make_keyframe_embedding(run: KindRun, key: str) -> Made:
    """Embed and caption every keyframe of one video (read from its redacted pages)."""
    embedder, captioner = run.model("embedder"), run.model("captioner")
    index = run.batch.read_json(run.input("keyframes", key))
    images = dict(load_pages(run.batch, run.input("pii", key)))
    pii_payload = run.batch.read_json(run.input("pii", key))
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
    run.batch.write(
        key,
        vector_bytes(np.asarray(vectors, dtype=np.float32)),
        "npy",
        run.digests[key],
        attributes={"frames": len(frames), "dim": embedder.dim()},
        side_files={FRAMES_SUFFIX: json.dumps(described).encode()},
    )
    return Made({"frames": len(frames)})


SPEC = ArtifactKind(
    name="keyframe_embedding",
    upstream=("keyframes", "pii"),
    logic_version=KEYFRAME_EMBEDDING_VERSION,
    description=lambda build: (
        f"Per keyframe of a video: visual vector ({build.role_ids['embedder']}), caption "
        f"({build.role_ids['captioner']}) and redacted OCR text, with t_start/t_end."
    ),
    make=each_partition(make_keyframe_embedding),
    modalities=("video",),
    model_roles=("embedder", "captioner"),  # model id: embedder+captioner
    comparator=compare_vectors,
    payload="npy",
    side_files=(FRAMES_SUFFIX,),
    index_channels=("keyframe",),
)
