"""Peak memory (RSS) of the `pages` step on 1080p videos: it must not grow with the video's duration.

Each measurement is a fresh process, so each peak is its own: `mm ingest` then
`mm materialize --select source_media,pages` on a fresh MM_HOME (the real CLI, Dagster run and
stores). Peak RSS comes from the kernel (`os.wait4`'s ru_maxrss for that child). Side by side, in
one run: a short and a long video of the same kind (a scene change every second, so about one
keyframe a second), and the old approach (every keyframe decoded into a list first, then written)
on both, which grows with the duration.

    python bench/video_memory.py [--short 20] [--long 180] [--fps 10] [--json] [--dir D]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from _common import load_sample_photos, machine, print_table, verdict
from memory import ROOT, TARGET_BYTES, peak_rss
from PIL import Image

FLAT_RATIO = 1.3
SIZE = (1920, 1080)

# What `pages` did before issue 19: every keyframe of the video decoded into a list, then written.
HELD_IN_A_LIST = """
import sys
from resources.av_decoder import iter_keyframes
data = open(sys.argv[1], "rb").read()
frames = list(iter_keyframes(data, 2.0))
print(len(frames))
"""


def make_video(path: Path, seconds: int, fps: int) -> Path:
    """1080p H.264, a different photo (a scene change) every second, a slow pan within each."""
    photos = [Image.fromarray(photo).convert("RGB").resize(SIZE) for photo in load_sample_photos()]
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        stream.codec_context.time_base = Fraction(1, fps)
        for index in range(seconds * fps):
            second = index // fps
            pixels = np.roll(np.asarray(photos[second % len(photos)]), (index % fps) * 8, axis=1)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def measure(video: Path, home: Path) -> dict[str, int]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MM_")}
    env |= {"MM_HOME": str(home), "PYTHONPATH": str(ROOT)}
    mm = [sys.executable, "-m", "mm_assets.cli"]
    _, out = peak_rss([*mm, "ingest", str(video), "--json"], env)
    if not json.loads(out)["accepted"]:
        raise RuntimeError(f"{video.name} was not accepted: {out}")
    pages_rss, out = peak_rss([*mm, "materialize", "--select", "source_media,pages", "--json"], env)
    if json.loads(out)["failed"]:
        raise RuntimeError(f"pages failed for {video.name}: {out}")
    held_rss, frames = peak_rss([sys.executable, "-c", HELD_IN_A_LIST, str(video)], env)
    return {"pages": pages_rss, "held_in_a_list": held_rss, "keyframes": int(frames)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=20, help="seconds of the short video")
    parser.add_argument("--long", type=int, default=180, help="seconds of the long video")
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dir", help="work folder (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        work = Path(folder)
        results = {}
        for name, seconds in (("short", args.short), ("long", args.long)):
            video = make_video(work / f"{name}.mp4", seconds, args.fps)
            results[name] = {"seconds": seconds, "bytes": video.stat().st_size, **measure(video, work / name)}
    ratio = results["long"]["pages"] / results["short"]["pages"]
    peak = max(r["pages"] for r in results.values())
    met = ratio <= FLAT_RATIO and peak < TARGET_BYTES
    payload = {"machine": machine(), "results": results, "ratio_long_to_short": ratio, "target_met": met}
    if args.json:
        print(json.dumps(payload, indent=2))
        return 0
    mib = 1024**2
    print_table(
        ["video", "seconds", "keyframes", "pages peak RSS (MiB)", "held in a list (MiB)"],
        [
            [name, r["seconds"], r["keyframes"], round(r["pages"] / mib), round(r["held_in_a_list"] / mib)]
            for name, r in results.items()
        ],
    )
    print(
        f"pages peak, long/short: {ratio:.2f}x (target <= {FLAT_RATIO}x), highest {peak / mib:.0f} MiB "
        f"(target < {TARGET_BYTES / mib:.0f} MiB): {verdict(met)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
