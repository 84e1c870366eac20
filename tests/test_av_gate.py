"""The gate's audio and video path on real files: espeak-ng speech and PyAV-encoded clips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

from mm_assets.operations.av_samples import speak, write_audio, write_video
from mm_assets.operations.gate import DEFAULT_CAPS, InputRejected, check_file
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.operations.media_probe import MediaCaps, sniff_media
from resources.av_decoder import wav_bytes

AUDIO_FORMATS = {
    "speech.wav": ("pcm_s16le", "audio/wav"),
    "speech.flac": ("flac", "audio/flac"),
    "speech.mp3": ("libmp3lame", "audio/mpeg"),
    "speech.ogg": ("libopus", "audio/ogg"),
    "speech.m4a": ("aac", "audio/mp4"),
}
VIDEO_FORMATS = {
    "clip.mp4": ("mpeg4", "video/mp4"),
    "clip.mov": ("mpeg4", "video/quicktime"),
    "clip.mkv": ("mpeg4", "video/x-matroska"),
    "clip.webm": ("libvpx", "video/webm"),
}


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("av_gate")
    sound = speak("testing the input gate with a few more words of real speech")
    for name, (codec, _mime) in AUDIO_FORMATS.items():
        write_audio(folder / name, sound, codec)
    scenes = [(Image.fromarray(skdata.astronaut()), 1.5), (Image.fromarray(skdata.camera()), 1.5)]
    for name, (codec, _mime) in VIDEO_FORMATS.items():
        write_video(folder / name, scenes, sound=None if name.endswith(".webm") else sound[:48_000], codec=codec)
    return folder


@pytest.mark.parametrize("name", sorted(AUDIO_FORMATS))
def test_audio_formats_are_accepted_as_audio(media_dir: Path, name: str) -> None:
    verdict = check_file(media_dir / name)
    assert (verdict.mime_type, verdict.modality) == (AUDIO_FORMATS[name][1], "audio")
    assert verdict.quality["audio_streams"] == 1 and verdict.quality["seconds"] > 0.5


@pytest.mark.parametrize("name", sorted(VIDEO_FORMATS))
def test_video_formats_are_accepted_as_video(media_dir: Path, name: str) -> None:
    verdict = check_file(media_dir / name)
    assert (verdict.mime_type, verdict.modality) == (VIDEO_FORMATS[name][1], "video")
    assert (verdict.quality["width"], verdict.quality["height"]) == (160, 120)
    assert verdict.quality["seconds"] == pytest.approx(3.0, abs=0.2)


def test_sniffing_reads_content_not_extension(media_dir: Path) -> None:
    assert sniff_media((media_dir / "speech.flac").read_bytes()[:1024]) == "audio/flac"
    assert sniff_media(b"just some text that says RIFF and WAVE") is None


def _rejection(path: Path, caps=DEFAULT_CAPS) -> InputRejected:  # type: ignore[no-untyped-def]
    with pytest.raises(InputRejected) as caught:
        check_file(path, caps)
    return caught.value


def test_truncated_and_corrupt_media_are_rejected_with_reasons(media_dir: Path, tmp_path: Path) -> None:
    wav = (media_dir / "speech.wav").read_bytes()
    mp3 = (media_dir / "speech.mp3").read_bytes()
    mp4 = (media_dir / "clip.mp4").read_bytes()
    (tmp_path / "cut.wav").write_bytes(wav[: len(wav) // 2])
    (tmp_path / "cut.mp3").write_bytes(mp3[: len(mp3) // 3])
    (tmp_path / "cut.mp4").write_bytes(mp4[: len(mp4) // 2])
    (tmp_path / "noise.mp4").write_bytes(b"\0\0\0\x18ftypisom" + bytes(range(256)) * 40)
    (tmp_path / "empty.wav").write_bytes(wav_bytes(np.zeros(0, dtype=np.float32)))
    assert _rejection(tmp_path / "cut.wav").reason == "truncated_media"
    assert _rejection(tmp_path / "cut.mp3").reason == "truncated_media"
    assert _rejection(tmp_path / "cut.mp4").reason == "corrupt_media"
    assert _rejection(tmp_path / "noise.mp4").reason == "corrupt_media"
    assert _rejection(tmp_path / "empty.wav").reason == "empty_media"


def test_caps_on_duration_frame_size_streams_and_sample_rate(media_dir: Path) -> None:
    def caps(**media: object):  # type: ignore[no-untyped-def]
        return dataclasses.replace(DEFAULT_CAPS, media=MediaCaps(**media))

    too_long = _rejection(media_dir / "clip.mp4", caps(max_seconds=2.0))
    assert too_long.reason == "too_long" and "MM_MAX_MEDIA_SECONDS" in too_long.message
    assert _rejection(media_dir / "clip.mkv", caps(max_frame_pixels=100 * 100)).reason == "frame_too_large"
    assert _rejection(media_dir / "clip.mov", caps(max_streams=1)).reason == "too_many_streams"
    assert _rejection(media_dir / "speech.flac", caps(max_sample_rate=8_000)).reason == "sample_rate_out_of_range"


def test_bad_media_is_quarantined_and_good_media_recorded_with_its_modality(
    media_dir: Path,
    tmp_path: Path,
    catalog,
    store,  # type: ignore[no-untyped-def]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wav = (media_dir / "speech.wav").read_bytes()
    (inbox / "cut.wav").write_bytes(wav[: len(wav) // 2])
    (inbox / "clip.mp4").write_bytes((media_dir / "clip.mp4").read_bytes())
    write_audio(inbox / "short.ogg", speak("hello"), "libopus")
    caps = dataclasses.replace(DEFAULT_CAPS, media=MediaCaps(max_seconds=2.5))
    report = ingest_paths([inbox], catalog=catalog, store=store, caps=caps, options=IngestOptions())
    assert {item["path"].rsplit("/", 1)[1]: item["reason"] for item in report.rejected} == {
        "cut.wav": "truncated_media",
        "clip.mp4": "too_long",
    }
    assert all(item["quarantine_uri"] for item in report.rejected)  # the originals are kept
    assert [(item["mime_type"], item["modality"]) for item in report.accepted] == [("audio/ogg", "audio")]
