"""The gate's audio and video path: sniff the container, probe it with PyAV, test-decode it.

PyAV's wheel carries FFmpeg's libraries, so no system ffmpeg is needed. A file passes when its
container opens, it has at least one audio or video stream, it respects the caps (duration, frame
size, stream count, sample rate) and its first second and its last second decode. Everything else
raises the gate's `InputRejected` with a stable reason, so it is quarantined like a bad image.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av

from mm_assets.caps import InputRejected, MediaCaps

WAV, FLAC, MP3, OGG, M4A, AAC = "audio/wav", "audio/flac", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/aac"
MP4, MOV, MKV, WEBM = "video/mp4", "video/quicktime", "video/x-matroska", "video/webm"
AUDIO_TYPES = (WAV, FLAC, MP3, OGG, M4A, AAC)
VIDEO_TYPES = (MP4, MOV, MKV, WEBM)
# Seconds decoded at the start (and at the end) of a file to prove it decodes.
TEST_DECODE_SECONDS = 1.0
_QUICKTIME_BRANDS = (b"qt  ",)
_AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ")
_MATROSKA_MAGIC = b"\x1a\x45\xdf\xa3"


def sniff_media(head: bytes) -> str | None:
    """The audio/video MIME type the magic bytes declare, or None (the container is checked later)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _QUICKTIME_BRANDS:
            return MOV
        return M4A if brand in _AUDIO_MP4_BRANDS else MP4
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):  # old QuickTime files have no ftyp box
        return MOV
    if head.startswith(_MATROSKA_MAGIC):
        return WEBM if b"webm" in head[:64] else MKV
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return MP3
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:  # ADTS sync, layer 0
        return AAC
    return None


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG-1/2 layer III frame header: 11 sync bits, a layer, a valid bitrate and sample rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    layer = (head[1] >> 1) & 0x3
    bitrate_index, rate_index = head[2] >> 4, (head[2] >> 2) & 0x3
    return layer == 1 and bitrate_index not in (0, 15) and rate_index != 3


def probe_media(path: Path, mime_type: str, head: bytes, caps: MediaCaps) -> tuple[str, str, dict[str, Any]]:
    """(mime type, modality, facts) of an audio or video file, or InputRejected with the reason."""
    cut = declared_riff_truncation(head, path.stat().st_size) if mime_type == WAV else None
    if mime_type == OGG:
        cut = ogg_truncation(path)
    if cut:
        raise InputRejected("truncated_media", f"{path} is truncated ({cut}); the upload or copy was cut off.")
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise _corrupt(path, mime_type, f"its container cannot be opened ({_ffmpeg_message(error)})") from error
    try:
        with container:
            audio = [s for s in container.streams.audio]
            video = [s for s in container.streams.video if not _is_cover_art(s)]
            if not audio and not video:
                raise InputRejected(
                    "no_media_streams",
                    f"{path} is a {mime_type} container with no audio or video stream; export it with its "
                    "sound or picture.",
                )
            if len(container.streams) > caps.max_streams:
                raise InputRejected(
                    "too_many_streams",
                    f"{path} has {len(container.streams)} streams, over the cap of {caps.max_streams} "
                    "(MM_MAX_MEDIA_STREAMS); remux it with the streams you need.",
                )
            facts = _stream_facts(path, audio, video, caps)
            facts.update({"format": container.format.name, "streams": len(container.streams)})
            seconds = _duration_seconds(container, audio + video, caps)
            _require_duration_within_cap(path, seconds, caps)
            primary = video[0] if video else audio[0]
            _test_decode(path, mime_type, container, primary, start=0.0)
            if seconds > 2 * TEST_DECODE_SECONDS:
                _test_decode(path, mime_type, container, primary, start=seconds - TEST_DECODE_SECONDS, tail=True)
    except av.error.FFmpegError as error:
        raise _corrupt(path, mime_type, _ffmpeg_message(error)) from error
    modality = "video" if video else "audio"
    if modality == "audio" and mime_type in VIDEO_TYPES:
        mime_type = M4A if mime_type in (MP4, MOV) else mime_type  # an MP4 with sound only is audio
    facts["seconds"] = round(seconds, 3)
    return mime_type, modality, facts


def _is_cover_art(stream: Any) -> bool:
    """An MP3/M4A cover picture is a one-frame 'video' stream; it does not make the file a video."""
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _stream_facts(path: Path, audio: list[Any], video: list[Any], caps: MediaCaps) -> dict[str, Any]:
    facts: dict[str, Any] = {"audio_streams": len(audio), "video_streams": len(video)}
    if audio:
        rate = audio[0].codec_context.sample_rate or 0
        if not caps.min_sample_rate <= rate <= caps.max_sample_rate:
            raise InputRejected(
                "sample_rate_out_of_range",
                f"{path} has a sample rate of {rate} Hz, outside {caps.min_sample_rate}-{caps.max_sample_rate} Hz "
                "(MM_MAX_SAMPLE_RATE); resample it.",
            )
        facts.update(
            {"sample_rate": rate, "channels": audio[0].codec_context.channels, "audio_codec": audio[0].codec.name}
        )
    if video:
        width, height = video[0].codec_context.width, video[0].codec_context.height
        if width * height > caps.max_frame_pixels:
            raise InputRejected(
                "frame_too_large",
                f"{path} has {width}x{height} frames ({width * height:,} pixels), over the cap of "
                f"{caps.max_frame_pixels:,} (MM_MAX_FRAME_PIXELS); downscale it.",
            )
        rate = video[0].average_rate
        facts.update(
            {
                "width": width,
                "height": height,
                "fps": round(float(rate), 3) if rate else None,
                "video_codec": video[0].codec.name,
            }
        )
    return facts


def _duration_seconds(container: Any, streams: list[Any], caps: MediaCaps) -> float:
    """The container's duration, else the longest stream's, else the last packet's time (demuxed, not
    decoded, and only until the cap is passed)."""
    if container.duration:
        return container.duration / 1_000_000
    declared = [float(s.duration * s.time_base) for s in streams if s.duration and s.time_base]
    if declared:
        return max(declared)
    last = 0.0
    for packet in container.demux(*streams):
        if packet.pts is not None and packet.time_base:
            last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            if last > caps.max_seconds:
                break
    container.seek(0)
    return last


def _require_duration_within_cap(path: Path, seconds: float, caps: MediaCaps) -> None:
    if seconds <= 0:
        raise InputRejected("empty_media", f"{path} has no playable duration (0 s); re-export it with its content.")
    if seconds > caps.max_seconds:
        raise InputRejected(
            "too_long",
            f"{path} lasts {seconds:,.1f} s, over the cap of {caps.max_seconds:,.0f} s (MM_MAX_MEDIA_SECONDS); "
            "split it or raise the cap.",
        )


def _test_decode(path: Path, mime_type: str, container: Any, stream: Any, start: float, tail: bool = False) -> None:
    """Decode TEST_DECODE_SECONDS of `stream` from `start`; no frame at all means it does not decode."""
    if start > 0:
        container.seek(int(start / float(stream.time_base)), stream=stream, any_frame=False, backward=True)
    frames = 0
    # After a seek past the real end of a cut file FFmpeg may hand back earlier frames: only frames
    # near the declared time count (half a second of slack for seeking to a keyframe before it).
    earliest = start - 0.5 if tail else 0.0
    try:
        for frame in container.decode(stream):
            if frame.time is None or frame.time >= earliest:
                frames += 1
            if frame.time is not None and frame.time >= start + TEST_DECODE_SECONDS:
                break
    except av.error.FFmpegError as error:
        where = "last second" if tail else "first second"
        reason = "truncated_media" if tail else "corrupt_media"
        raise InputRejected(
            reason,
            f"{path} ({mime_type}): its {where} fails to decode ({_ffmpeg_message(error)}); "
            "re-export or fetch it again.",
        ) from error
    if frames == 0:
        if tail:
            raise InputRejected(
                "truncated_media",
                f"{path} declares {start + TEST_DECODE_SECONDS:.1f} s but nothing decodes near its end; the upload "
                "or copy was cut off, fetch it again.",
            )
        raise InputRejected(
            "corrupt_media",
            f"{path} is a {mime_type} file with no decodable {stream.type} frame (corrupt, encrypted or an "
            "unsupported codec); re-export it unencrypted.",
        )


def _corrupt(path: Path, mime_type: str, detail: str) -> InputRejected:
    return InputRejected("corrupt_media", f"{path} starts like {mime_type} but {detail}; re-export or fetch it again.")


def _ffmpeg_message(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)


def declared_riff_truncation(head: bytes, size: int) -> str | None:
    """A WAV whose RIFF header declares more bytes than the file has was cut off (None if whole)."""
    declared = int.from_bytes(head[4:8], "little") + 8
    if head[:4] == b"RIFF" and declared > size and declared != 0xFFFFFFFF + 8:  # 0xFFFFFFFF: streamed WAV
        return f"its RIFF header declares {declared:,} bytes but only {size:,} exist"
    return None


# An Ogg page: "OggS", version, header type (0x04 = last page of its stream), granule position (8),
# serial (4), sequence (4), CRC (4), the number of segments, then their lengths.
_OGG_PAGE_HEADER = 27
_OGG_END_OF_STREAM = 0x04
_OGG_TAIL_BYTES = 70_000  # more than the largest possible page (27 + 255 + 255 * 255 bytes)


def ogg_truncation(path: Path) -> str | None:
    """An Ogg file cut off, told by its last page (None if whole). A cut file still plays, shorter: its
    duration comes from the last page that survived, so only the missing end-of-stream mark (or a
    page cut mid-way) tells that the rest is gone."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - _OGG_TAIL_BYTES))
        tail = handle.read()
    # The last page is the one that ends exactly at the end of the file ("OggS" may also occur inside
    # compressed data, so a candidate counts only when its own lengths say it ends there).
    start = tail.rfind(b"OggS")
    while start >= 0:
        if tail[start + 4 : start + 5] == b"\x00" and _ogg_page_end(tail, start) == len(tail):
            if not tail[start + 5] & _OGG_END_OF_STREAM:
                return "its last Ogg page is not marked end-of-stream: the rest of the recording is missing"
            return None
        start = tail.rfind(b"OggS", 0, start)
    return "its last Ogg page is cut off"


def _ogg_page_end(tail: bytes, start: int) -> int | None:
    if len(tail) - start < _OGG_PAGE_HEADER:
        return None
    segments = tail[start + 26]
    lengths = tail[start + _OGG_PAGE_HEADER : start + _OGG_PAGE_HEADER + segments]
    return start + _OGG_PAGE_HEADER + segments + sum(lengths) if len(lengths) == segments else None
