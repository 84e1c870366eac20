"""Search chunk rows of audio and video: transcript windows and keyframes, each with its time span.

Written by `search_index` beside the page and image chunks (the row contract is
`resources.vector_index.chunk_schema`). A transcript window carries its redacted text and the
vector of the `transcript_embedding` asset; a keyframe carries its caption and redacted OCR text
(so a text query reaches it) and the visual vector of `keyframe_embedding` (so an image query does),
with its page and the frame's box. Results then carry `{"t_start", "t_end", "text", "channel",
"score"}` evidence, so a user can jump to the moment.
"""

import json
from collections.abc import Callable

import numpy as np

from mm_assets.artifacts import ArtifactBatch
from mm_assets.kinds.audio import AV_MODALITIES
from mm_assets.kinds.keyframe_embedding import FRAMES_SUFFIX
from mm_assets.kinds.transcript_embedding import WINDOWS_SUFFIX
from mm_assets.kinds.visual_embedding import vector_from_bytes
from resources.index_schema import chunk_id_for

# The upstream kinds an audio or video source's chunks are made from (video has both).
AV_CHUNK_KINDS = ("transcript_embedding", "keyframe_embedding")


def _version(row: dict) -> dict[str, str]:
    return {key: row[key] for key in ("artifact_id", "pipeline_version", "model_id")}


def _timed_chunks(
    content_hash: str,
    chunk_kind: str,
    row: dict,
    suffix: str,
    batch: ArtifactBatch,
    fields: Callable[[dict, np.ndarray], dict | None],
) -> list[dict]:
    """One chunk per entry of the artifact's side file (`suffix`), with its time span, its row of the
    payload matrix and the version of the artifact; `fields` adds the rest, or None to leave it out."""
    entries = json.loads(batch.read_bytes(row, suffix))
    vectors = vector_from_bytes(batch.read_bytes(row))
    chunks = []
    for ordinal, (entry, vector) in enumerate(zip(entries, vectors, strict=True)):
        extra = fields(entry, np.asarray(vector, dtype=np.float32))
        if extra is not None:
            chunks.append(
                {
                    "chunk_id": chunk_id_for(content_hash, chunk_kind, ordinal),
                    "chunk_kind": chunk_kind,
                    "t_start": float(entry["t_start"]),
                    "t_end": float(entry["t_end"]),
                    "versions": {row["kind"]: _version(row)},
                    **extra,
                }
            )
    return chunks


def transcript_window_chunks(content_hash: str, row: dict, batch: ArtifactBatch) -> list[dict]:
    def fields(window: dict, vector: np.ndarray) -> dict | None:
        return {"text": window["text"], "text_vector": vector} if window["text"].strip() else None

    return _timed_chunks(content_hash, "transcript_window", row, WINDOWS_SUFFIX, batch, fields)


def keyframe_chunks(content_hash: str, row: dict, batch: ArtifactBatch) -> list[dict]:
    def fields(frame: dict, vector: np.ndarray) -> dict:
        return {
            "page": int(frame["page"]),
            # the whole frame: `mm search --crops` then writes the redacted keyframe
            "bbox": [0.0, 0.0, float(frame["width"]), float(frame["height"])],
            "text": " ".join(part for part in (frame["caption"], frame["ocr_text"]) if part).strip(),
            "image_vector": vector,
        }

    return _timed_chunks(content_hash, "keyframe", row, FRAMES_SUFFIX, batch, fields)


def av_chunks(content_hash: str, av_rows: dict[str, dict], batch: ArtifactBatch) -> list[dict]:
    """Chunk rows (without governance columns) from whichever AV artifacts the source has."""
    chunks = []
    if "transcript_embedding" in av_rows:
        chunks += transcript_window_chunks(content_hash, av_rows["transcript_embedding"], batch)
    if "keyframe_embedding" in av_rows:
        chunks += keyframe_chunks(content_hash, av_rows["keyframe_embedding"], batch)
    return chunks


def av_upstream(batch: ArtifactBatch) -> dict[str, dict[str, dict]]:
    """kind -> content hash -> current artifact, for the AV sources of the batch only."""
    modality = {key: batch.sources[key]["modality"] for key in batch.pending()}
    audio_or_video = [key for key, value in modality.items() if value in AV_MODALITIES]
    video = [key for key in audio_or_video if modality[key] == "video"]
    return {
        "transcript_embedding": batch.upstream("transcript_embedding", audio_or_video),
        "keyframe_embedding": batch.upstream("keyframe_embedding", video),
    }


def with_av_chunks(source: dict, chunks: list[dict], av_rows: dict[str, dict], batch: ArtifactBatch) -> list[dict]:
    """The source's chunks with its time chunks added; for video, OCR blocks of frames get their frame's
    time (as keyframe chunks with page and box); an audio source's blocks (OCR of its waveform) go."""
    if source["modality"] not in AV_MODALITIES:
        return chunks
    governance = {name: chunks[0][name] for name in GOVERNANCE_COLUMNS} if chunks else _governance(source)
    timed = []
    if source["modality"] == "video" and "keyframe_embedding" in av_rows:
        frames = json.loads(batch.read_bytes(av_rows["keyframe_embedding"], FRAMES_SUFFIX))
        spans = {frame["page"]: (frame["t_start"], frame["t_end"]) for frame in frames}
        for ordinal, chunk in enumerate(c for c in chunks if c["chunk_kind"] == "page_block" and c["page"] in spans):
            t_start, t_end = spans[chunk["page"]]
            timed.append(
                {
                    **chunk,
                    "chunk_id": chunk_id_for(source["content_hash"], "keyframe_block", ordinal),
                    "chunk_kind": "keyframe",
                    "t_start": float(t_start),
                    "t_end": float(t_end),
                }
            )
    new = [{**governance, **chunk} for chunk in av_chunks(source["content_hash"], av_rows, batch)]
    return timed + new


GOVERNANCE_COLUMNS = ("content_hash", "has_ocr", "tenant_id", "region", "consent", "usage_rights", "modality")


def _governance(source: dict) -> dict:
    names = ("tenant_id", "region", "consent", "usage_rights", "modality")
    return {"content_hash": source["content_hash"], "has_ocr": False, **{name: source[name] for name in names}}
