"""Faces in page images, keyframes and photos: found, then filled before anything downstream reads them.

The redactor's detector is MTCNN with the weights inside the `facenet-pytorch` wheel (MIT;
`facenet_pytorch/data/{pnet,rnet,onet}.pt`, loaded from the package, never downloaded). The
wheel pins torch < 2.3, so it is installed with `--no-deps` (Makefile): only its MTCNN runs here.

The coverage check must not trust the redactor, so it re-detects with `CoverageFaceScanner`: a
second pass of MTCNN at a lower threshold than the redactor's (a face the redactor judged too unsure
to fill still fails the check); scikit-image's LBP frontal-face cascade (OpenCV's trained file in the
scikit-image wheel) is a second detector it can add (`use_lbp`), off by default (see below). A coverage
scan of pixels already scanned (the pii step's mask pass, then the check on the page it stored) is
answered from what that scan found (`_CoverageScans`), never from the redactor's pass.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import math
from dataclasses import dataclass

import dagster as dg
import numpy as np
from PIL import Image, ImageDraw

from resources.kept_answers import KeptAnswers
from resources.package_versions import installed_version

FACE_DETECTORS = ("mtcnn", "lbp", "none")
# MTCNN's face probability at or above which the redactor fills a face (tuned on the tuning slice
# of `mm eval faces`, never on its held-back slice; see README "Faces and identity documents").
DEFAULT_FACE_THRESHOLD = 0.85
# The coverage re-detection's MTCNN threshold: lower than the redactor's, so a face the redactor
# judged too unsure to fill still fails the check.
COVERAGE_MTCNN_THRESHOLD = 0.80
# The LBP cascade's overlapping windows needed for a face. It is OFF in the check by default: at 8 it
# still fired on the astronaut's helmet once her face was filled (a blocking false alarm), and at 12
# it missed her face; MTCNN at the lower threshold is the default re-detection.
COVERAGE_LBP_NEIGHBOURS = 8
# Pages are detected at this longest side at most (boxes are scaled back): MTCNN's image pyramid on a
# 150 dpi page would cost seconds, and a face smaller than MIN_FACE_PX there is not identifiable.
MAX_DETECT_SIDE = 1024
MIN_FACE_PX = 20
DETECT_THREADS = 1
# MTCNN's box is tight on the face; the fill grows it so hair, ears and chin go too.
FILL_GROW = 0.25
FACE_FILL = (128, 128, 128)  # a flat grey: reads as "removed", and nothing of the face survives a fill


@dataclass(frozen=True)
class FaceBox:
    """A face found on one page: where (pixels of the page image), how sure, and by which detector."""

    bbox: tuple[float, float, float, float]
    confidence: float
    detector: str

    def as_json(self, page: int) -> dict:
        return {
            "kind": "face",
            "page": page,
            "bbox": [round(v, 1) for v in self.bbox],
            "confidence": round(self.confidence, 4),
            "detector": self.detector,
        }


def facenet_version() -> str:
    try:
        return installed_version("facenet-pytorch")
    except importlib.metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            "face detection needs facenet-pytorch==2.6.0, installed without its dependencies "
            "(`pip install --no-deps facenet-pytorch==2.6.0`, as `make install` does); "
            "or set MM_FACE_DETECTOR=lbp"
        ) from exc


# MTCNN's own stage thresholds (P-Net, R-Net, O-Net): the wheel's defaults for the upright pass.
STAGE_THRESHOLDS = (0.6, 0.7, 0.7)


@functools.lru_cache(maxsize=4)
def load_mtcnn(min_face_px: int = MIN_FACE_PX, stages: tuple[float, float, float] = STAGE_THRESHOLDS):  # type: ignore[no-untyped-def]
    """MTCNN on the CPU with the wheel's bundled weights (one instance per process and setting)."""
    facenet_version()
    import torch

    from resources.mtcnn_import import import_mtcnn

    torch.set_grad_enabled(False)
    return import_mtcnn()(
        keep_all=True, min_face_size=min_face_px, thresholds=list(stages), device="cpu", select_largest=False
    )


def _detect_size(image: Image.Image) -> tuple[Image.Image, float]:
    """The image MTCNN sees (RGB, longest side at most MAX_DETECT_SIDE) and the factor back to the page."""
    rgb = image.convert("RGB")
    scale = min(1.0, MAX_DETECT_SIDE / max(rgb.size))
    if scale < 1.0:
        rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), Image.BILINEAR)
    return rgb, 1.0 / scale


# Tilted heads: MTCNN finds upright faces, so it also looks at the image turned by these angles and
# maps what it finds there back. The turned passes see the image at half size and skip faces under
# TURN_MIN_FACE_PX, and keep only a face that is upright in the turned image by its own landmarks
# (eyes level, nose between eyes and mouth) at TURN_MIN_PROB. Tuned on the tuning slices of `mm eval
# faces` (2026-12-02): recall 0.914 -> 0.974 at p >= 0.85 with face-free false faces unchanged (1 in
# 144); at full size with MTCNN's default stage thresholds the passes had 4 false faces there.
TURN_ANGLES = (-30.0, 30.0)
TURN_MIN_FACE_PX = 48
TURN_MIN_PROB = 0.95
TURN_SCALE = 0.5
# The turned passes' stage thresholds: stricter than upright (fewer candidates reach R-Net and O-Net,
# where most of MTCNN's CPU goes), and O-Net's at TURN_MIN_PROB.
TURN_STAGE_THRESHOLDS = (0.8, 0.85, 0.95)
TURN_MAX_EYE_TILT = 20.0  # degrees the eye line of a face found in a turned pass may lean
MERGE_IOU = 0.3  # a face found in two passes is kept once, as the more probable box

Candidate = tuple[tuple[float, float, float, float], float]


def _mtcnn_boxes(
    image: Image.Image, min_face_px: int, stages: tuple[float, float, float] = STAGE_THRESHOLDS
) -> list[tuple[tuple[float, ...], float, np.ndarray]]:
    """Every face MTCNN finds in the image as given: box, probability, its five landmarks."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(DETECT_THREADS)  # small tensors: more threads only spin (measured: 3x the CPU time)
    try:
        boxes, probs, points = load_mtcnn(min_face_px, stages).detect(image, landmarks=True)
    finally:
        torch.set_num_threads(threads)
    if boxes is None:
        return []
    return [
        (tuple(float(v) for v in box), float(p), np.asarray(marks))
        for box, p, marks in zip(boxes, probs, points, strict=True)
        if p is not None
    ]


def _upright_in_turned_image(marks: np.ndarray) -> bool:
    """True when the landmarks are those of an upright face: the eye line within TURN_MAX_EYE_TILT
    degrees of level, the nose below the eyes and the mouth below the nose."""
    (lx, ly), (rx, ry), (_nx, ny), (_mlx, mly), (_mrx, mry) = marks
    tilt = abs(math.degrees(math.atan2(ry - ly, rx - lx)))
    return tilt <= TURN_MAX_EYE_TILT and max(ly, ry) < ny < (mly + mry) / 2


def _turned_back(box: tuple[float, ...], turned_size: tuple[int, int], size: tuple[int, int], angle: float):
    """A face box found in the image turned `angle` degrees (PIL, counter-clockwise, expanded), in
    the upright image: the upright box around the face's ellipse turned back."""
    x0, y0, x1, y1 = box
    dx, dy = (x0 + x1) / 2 - turned_size[0] / 2, (y0 + y1) / 2 - turned_size[1] / 2
    theta = math.radians(angle)
    cx = size[0] / 2 + dx * math.cos(theta) - dy * math.sin(theta)
    cy = size[1] / 2 + dx * math.sin(theta) + dy * math.cos(theta)
    a, b = (x1 - x0) / 2, (y1 - y0) / 2
    half_w, half_h = (
        math.hypot(a * math.cos(theta), b * math.sin(theta)),
        math.hypot(a * math.sin(theta), b * math.cos(theta)),
    )
    return (
        max(0.0, cx - half_w),
        max(0.0, cy - half_h),
        min(float(size[0]), cx + half_w),
        min(float(size[1]), cy + half_h),
    )


def _box_iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union > 0 else 0.0


def face_candidates(image: Image.Image, min_face_px: int = MIN_FACE_PX) -> list[Candidate]:
    """Every face MTCNN finds upright (at any probability) and in the turned passes (upright by its
    landmarks, at TURN_MIN_PROB or more), in the pixels of the image given; one box per face."""
    found: list[Candidate] = [(box, p) for box, p, _marks in _mtcnn_boxes(image, min_face_px)]  # type: ignore[misc]
    if TURN_ANGLES:
        # the turned passes see the image at TURN_SCALE: faces from TURN_MIN_FACE_PX are still
        # TURN_MIN_FACE_PX * TURN_SCALE px there, and turning and detecting a smaller image costs less
        scaled = image.resize((max(1, round(image.width * TURN_SCALE)), max(1, round(image.height * TURN_SCALE))))
        min_px = max(12, round(max(min_face_px, TURN_MIN_FACE_PX) * TURN_SCALE))
    for angle in TURN_ANGLES:
        turned = scaled.rotate(angle, resample=Image.BILINEAR, expand=True)
        for box, p, marks in _mtcnn_boxes(turned, min_px, TURN_STAGE_THRESHOLDS):
            if p >= TURN_MIN_PROB and _upright_in_turned_image(marks):
                back = _turned_back(box, turned.size, scaled.size, angle)
                found.append((tuple(v / TURN_SCALE for v in back), p))  # type: ignore[arg-type]
    kept: list[Candidate] = []
    for box, p in sorted(found, key=lambda c: -c[1]):
        if all(_box_iou(box, other) < MERGE_IOU for other, _ in kept):
            kept.append((box, p))
    return kept


def mtcnn_faces(image: Image.Image, threshold: float, min_face_px: int = MIN_FACE_PX) -> list[FaceBox]:
    """MTCNN's faces (upright and tilted: `face_candidates`) at probability >= threshold, in page pixels."""
    small, back = _detect_size(image)
    return [
        FaceBox(tuple(v * back for v in box), p, "mtcnn")  # type: ignore[arg-type]
        for box, p in face_candidates(small, min_face_px)
        if p >= threshold
    ]


@functools.lru_cache(maxsize=1)
def _lbp_cascade():  # type: ignore[no-untyped-def]
    from skimage import data
    from skimage.feature import Cascade

    return Cascade(data.lbp_frontal_face_cascade_filename())


def lbp_faces(image: Image.Image, min_face_px: int = MIN_FACE_PX, min_neighbours: int = 2) -> list[FaceBox]:
    """scikit-image's LBP frontal-face cascade (OpenCV's trained file, bundled in the scikit-image
    wheel), on the image and its mirror, in page pixels; confidence is the share of the cascade's
    overlapping windows behind a face (a vote, not a probability)."""
    small, back = _detect_size(image)
    gray = np.asarray(small.convert("L"), dtype=np.float64) / 255.0
    found: list[FaceBox] = []
    for mirrored in (False, True):
        pixels = gray[:, ::-1] if mirrored else gray
        size = max(min_face_px, 24)
        for hit in _lbp_cascade().detect_multi_scale(
            np.ascontiguousarray(pixels),
            scale_factor=1.2,
            step_ratio=1,
            min_size=(size, size),
            max_size=pixels.shape,
            min_neighbor_number=min_neighbours,
        ):
            r, c, h, w = hit["r"], hit["c"], hit["height"], hit["width"]
            x0 = pixels.shape[1] - (c + w) if mirrored else c
            found.append(FaceBox((x0 * back, r * back, (x0 + w) * back, (r + h) * back), 1.0, "lbp-frontal"))
    return found


class FaceDetector(dg.ConfigurableResource):
    """The redactor's face detector: "mtcnn" (default), "lbp" (weaker, no extra wheel) or "none"."""

    detector: str = "mtcnn"
    threshold: float = DEFAULT_FACE_THRESHOLD
    min_face_px: int = MIN_FACE_PX

    def model_id(self) -> str:
        """Which detector, its version and its threshold: what decides which faces are filled."""
        if self.detector not in FACE_DETECTORS:
            raise ValueError(f"face detector {self.detector!r} is unknown: use one of {FACE_DETECTORS}")
        if self.detector == "none":
            return "faces-none"
        if self.detector == "lbp":
            return f"faces-lbp-skimage-{installed_version('scikit-image')}-min{self.min_face_px}"
        turns = "_".join(f"{a:g}" for a in TURN_ANGLES)  # no "+": it joins the parts of a code version
        return f"faces-mtcnn-facenet-{facenet_version()}-p{self.threshold:g}-min{self.min_face_px}-turn{turns}"

    def detect(self, image: Image.Image) -> list[FaceBox]:
        if self.detector == "mtcnn":
            return mtcnn_faces(image, self.threshold, self.min_face_px)
        if self.detector == "lbp":
            return lbp_faces(image, min_face_px=self.min_face_px)
        return []


# How many coverage scans are kept, by the pixels scanned: every page of a batch of documents.
COVERAGE_SCANS_KEPT = 1024


# What the coverage re-detection found on an image, kept by a digest of its pixels and every setting the scan
# reads. In mask mode the pii step scans each redacted page and, where it finds nothing, stores exactly the pixels
# it scanned; the check then reads that page back from the store and would run the same deterministic scan on the
# same pixels again. Kept here, the check gets the scan's own answer for those pixels; a page whose stored pixels
# differ by one byte from any scanned (a face filled by the mask pass, a page written wrongly) is scanned afresh.
# Only coverage scans are kept: the redactor's pass is never reused by the check.
_COVERAGE_SCANS: KeptAnswers[tuple[FaceBox, ...]] = KeptAnswers(COVERAGE_SCANS_KEPT)


def forget_coverage_scans() -> None:
    """Drop the kept coverage scans (the bench's bare model calls, and tests that count scans)."""
    _COVERAGE_SCANS.clear()


def coverage_scan_counts() -> tuple[int, int]:
    """(scans answered from what was kept, scans run) since the last `forget_coverage_scans`."""
    return _COVERAGE_SCANS.hits, _COVERAGE_SCANS.misses


def _scan_key(image: Image.Image, settings: tuple) -> bytes:
    """A digest of the image's RGB pixels and size, and of every setting the scan depends on (read at
    call time, so a changed module constant is a different scan)."""
    rgb = image.convert("RGB")
    digest = hashlib.blake2b(rgb.tobytes(), digest_size=32)
    digest.update(repr((rgb.size, settings)).encode())
    return digest.digest()


def _scan_settings(scanner: CoverageFaceScanner) -> tuple:
    return (
        scanner.mtcnn_threshold,
        scanner.use_lbp,
        COVERAGE_LBP_NEIGHBOURS,
        MAX_DETECT_SIDE,
        MIN_FACE_PX,
        STAGE_THRESHOLDS,
        TURN_ANGLES,
        TURN_MIN_FACE_PX,
        TURN_MIN_PROB,
        TURN_SCALE,
        TURN_STAGE_THRESHOLDS,
        TURN_MAX_EYE_TILT,
        MERGE_IOU,
    )


class CoverageFaceScanner:
    """The coverage check's re-detection: MTCNN at a lower threshold than the redactor's (and the LBP
    cascade with `use_lbp`), never the redactor's own pass. Every face found on a redacted image counts.
    A scan of pixels already scanned with the same settings in this process is answered from
    `_CoverageScans` (the same answer: the scan is deterministic)."""

    def __init__(self, mtcnn_threshold: float = COVERAGE_MTCNN_THRESHOLD, use_lbp: bool = False) -> None:
        self.mtcnn_threshold, self.use_lbp = mtcnn_threshold, use_lbp

    def faces(self, image: Image.Image) -> list[FaceBox]:
        key = _scan_key(image, _scan_settings(self))
        kept = _COVERAGE_SCANS.get(key)
        if kept is None:
            kept = tuple(self.scan(image))
            _COVERAGE_SCANS.put(key, kept)
        return list(kept)

    def scan(self, image: Image.Image) -> list[FaceBox]:
        """The re-detection itself, run every time."""
        found = mtcnn_faces(image, self.mtcnn_threshold)
        if self.use_lbp:
            found += [
                f for f in lbp_faces(image, min_neighbours=COVERAGE_LBP_NEIGHBOURS) if not _inside_fill(image, f.bbox)
            ]
        return found


def _inside_fill(image: Image.Image, bbox: tuple[float, float, float, float]) -> bool:
    """True when the box is almost all the flat fill colour: the cascades fire on a filled
    rectangle's edges, which is the redaction itself, not a face."""
    region = np.asarray(image.convert("RGB").crop(tuple(int(v) for v in bbox)))
    if region.size == 0:
        return True
    flat = np.all(np.abs(region.astype(int) - np.array(FACE_FILL)) <= 2, axis=-1)
    return bool(flat.mean() >= 0.5)


def grown(bbox: tuple[float, float, float, float], size: tuple[int, int], grow: float = FILL_GROW) -> tuple[float, ...]:
    """The box grown by `grow` of its size on every side (more above: the forehead and hair), clipped."""
    x0, y0, x1, y1 = bbox
    dx, dy = (x1 - x0) * grow, (y1 - y0) * grow
    return (max(0.0, x0 - dx), max(0.0, y0 - 1.5 * dy), min(size[0] - 1.0, x1 + dx), min(size[1] - 1.0, y1 + dy))


def fill_faces(image: Image.Image, boxes: list[tuple[float, float, float, float]]) -> Image.Image:
    """A copy of the image with each face box (grown) filled flat; the input is left alone."""
    filled = image.convert("RGB") if image.mode not in ("RGB", "RGBA") else image.copy()
    draw = ImageDraw.Draw(filled)
    for bbox in boxes:
        draw.rectangle(grown(bbox, filled.size), fill=FACE_FILL)
    return filled
