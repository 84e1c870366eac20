"""The face step of the pii asset vs the bare detector, CPU seconds per photo, side by side.

    python bench/faces.py [--n 20] [--repeats 3] [--json]

Photos: N items spread evenly over the `mm eval faces` set (real photos from installed wheels, with and
without faces, some built from them: mm_assets/operations/face_set.py). For each photo, interleaved
A, B, A, B, ...: (A) the bare detector, facenet-pytorch's MTCNN `detect()` on the photo as given,
with torch's default threads; (B) the face step as the pii asset runs it (`redact_faces`: the
size cap, MTCNN on one thread, the fill). Reports the median CPU seconds (user+sys of this process,
time.process_time) and wall seconds per photo, and the ratio B/A. Target: the face step <= 0.2 CPU
s per photo on 2 cores. The machine may be shared: the load average is printed beside the numbers.
"""

from __future__ import annotations

import os
import sys
import time

from _common import common_arguments, machine, median, print_json, print_table, verdict

from mm_assets.operations.face_redaction import redact_faces
from mm_assets.operations.face_set import build_face_set
from resources.faces import FaceDetector, load_mtcnn

TARGET_CPU_S = 0.2


def timed(call) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=20, default_repeats=3)
    args = parser.parse_args()
    every = build_face_set()
    items = every[:: max(1, len(every) // args.n)][: args.n]  # spread over the segments
    bare, detector = load_mtcnn(), FaceDetector()
    redact_faces(detector, 1, items[0].image)  # load and warm up outside the timings
    samples: dict[str, list[tuple[float, float]]] = {"bare": [], "step": []}
    for item in items:
        image = item.image
        for _ in range(args.repeats):
            samples["bare"].append(timed(lambda image=image: bare.detect(image)))
            samples["step"].append(timed(lambda image=image: redact_faces(detector, 1, image)))
    cpu = {name: median([s[0] for s in values]) for name, values in samples.items()}
    wall = {name: median([s[1] for s in values]) for name, values in samples.items()}
    load = os.getloadavg()
    result = {
        "photos": len(items),
        "repeats": args.repeats,
        "cpu_s_per_photo": {k: round(v, 4) for k, v in cpu.items()},
        "wall_s_per_photo": {k: round(v, 4) for k, v in wall.items()},
        "step_over_bare_cpu": round(cpu["step"] / cpu["bare"], 3),
        "target_cpu_s": TARGET_CPU_S,
        "met": cpu["step"] <= TARGET_CPU_S,
        "load_average": [round(v, 2) for v in load],
        "machine": machine(),
    }
    if args.json:
        print_json(result)
        return 0
    print_table(
        ["", "CPU s/photo", "wall s/photo"],
        [
            ["bare MTCNN (torch default threads)", round(cpu["bare"], 4), round(wall["bare"], 4)],
            ["face step (cap, 1 thread, fill)", round(cpu["step"], 4), round(wall["step"], 4)],
        ],
    )
    print(f"face step / bare detector (CPU): {result['step_over_bare_cpu']}x; load average {result['load_average']}")
    print(f"target <= {TARGET_CPU_S} CPU s per photo: {verdict(result['met'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
