"""keyframes: the frame index of each video: which pages are frames, at what time, and why chosen.

A frame is a page with a time: `pages` decodes a video into one page every MM_KEYFRAME_SECONDS
plus one at each scene change (resources/av_decoder.py), so OCR, PII redaction, captions, visual
embeddings and the thumbnail treat frames exactly like document pages. This asset is the index over
those pages that search uses to turn a matching frame into a time, and the check that every
timestamp lies inside the media's duration. An audio source's only page is its waveform.
"""

import json
from collections.abc import Iterator
from typing import Any

import av
from PIL import Image

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.waveform import waveform_image
from resources.av_decoder import SAMPLE_RATE, decode_audio, iter_keyframes

KEYFRAMES_VERSION = "1"
KEYFRAMES_MODEL = "frame-index"
# Timestamps are decoder estimates: this much past the declared duration is still inside it.
DURATION_SLACK_SECONDS = 0.5


def av_pages_model_id(keyframe_seconds: float) -> str:
    """What decides the pages of audio and video: the decoder and the keyframe interval."""
    return f"pyav-{av.__version__}-kf{keyframe_seconds:g}s"


def av_pages(modality: str, data: bytes, keyframe_seconds: float) -> tuple[Iterator[Image.Image], list[dict]]:
    """The page images, one at a time (keyframes for a video, the waveform for audio), and their time
    facts: each page's facts are in the list before its image comes, so a writer can read them as it
    goes. A video's frames are decoded while they are written, never held together."""
    facts: list[dict] = []
    if modality == "video":

        def keyframe_images() -> Iterator[Image.Image]:
            for frame in iter_keyframes(data, keyframe_seconds):
                facts.append({"t": frame.t, "reason": frame.reason})
                yield frame.image

        return keyframe_images(), facts
    samples = decode_audio(data)  # the gate admits an audio source only with a sound stream
    seconds = round(len(samples) / SAMPLE_RATE, 3)
    facts.append({"t": 0.0, "t_end": seconds, "reason": "waveform"})
    return iter([waveform_image(samples)]), facts


def make_keyframes(run: KindRun, key: str) -> Made:
    manifest = run.batch.read_json(run.input("pages", key))
    frames = [{"page": p["page"], "t": p["t"], "reason": p["reason"]} for p in manifest["pages"]]
    seconds = (run.batch.sources[key]["gate"] or {}).get("seconds")
    facts = {
        "frames": len(frames),
        "scene_changes": sum(f["reason"] == "scene_change" for f in frames),
        "seconds": seconds,
    }
    run.batch.write_json(key, {"frames": frames, "seconds": seconds}, run.digests[key], attributes=facts)
    return Made(facts)


def keyframe_timestamp_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Every keyframe has a timestamp inside [0, duration] of its video, and times increase."""
    store = resources.media_store.store
    verdicts = {}
    for key, row in current_artifacts(resources.catalog, "keyframes", keys).items():
        index = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
        verdicts[key] = timestamp_verdict(index["frames"], index["seconds"])
    return verdicts


SPEC = ArtifactKind(
    name="keyframes",
    upstream=("pages",),
    logic_version=KEYFRAMES_VERSION,
    dagster_kinds=frozenset({"video"}),
    description="Frame index of each video: page number, timestamp (s) and why the frame was taken "
    "(interval or scene_change).",
    make=each_partition(make_keyframes),
    modalities=("video",),
    model=KEYFRAMES_MODEL,
    checks=(KindCheck("keyframe_timestamps", keyframe_timestamp_verdicts),),
)


def timestamp_verdict(frames: list[dict], seconds: float | None) -> tuple[bool, dict]:
    problems = []
    if seconds is None:
        problems.append("the source has no recorded duration")
    times = [frame.get("t") for frame in frames]
    if any(t is None for t in times):
        problems.append("a keyframe has no timestamp")
    elif seconds is not None:
        outside = [t for t in times if not 0.0 <= t <= seconds + DURATION_SLACK_SECONDS]
        if outside:
            problems.append(f"{len(outside)} timestamp(s) outside 0-{seconds} s, e.g. {outside[0]}")
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            problems.append("timestamps do not increase")
    return (not problems, {"frames": len(frames), "seconds": seconds, "reason": "; ".join(problems) or "ok"})
