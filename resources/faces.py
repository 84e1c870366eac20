"""Faces in page images, keyframes and photos: found, then filled before anything downstream reads them.

The redactor's detector is MTCNN with the weights inside the `facenet-pytorch` wheel (MIT;
`facenet_pytorch/data/{pnet,rnet,onet}.pt`, loaded from the package, never downloaded). The
wheel pins torch < 2.3, so it is installed with `--no-deps` (Makefile): only its MTCNN runs here.

The coverage check must not trust the redactor, so it re-detects with `CoverageFaceScanner`: a
second pass of MTCNN at a lower threshold than the redactor's (a face the redactor judged too unsure
to fill still fails the check); scikit-image's LBP frontal-face cascade (OpenCV's trained file in the
scikit-image wheel) is a second detector it can add (`use_lbp`), off by default (see below).
"""

from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass

import dagster as dg
import numpy as np
from PIL import Image, ImageDraw

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
        return importlib.metadata.version("facenet-pytorch")
    except importlib.metadata.PackageNotFoundError as exc:
        raise RuntimeError(
            "face detection needs facenet-pytorch==2.6.0, installed without its dependencies "
            "(`pip install --no-deps facenet-pytorch==2.6.0`, as `make install` does); "
            "or set MM_FACE_DETECTOR=lbp"
        ) from exc


@functools.lru_cache(maxsize=2)
def load_mtcnn(min_face_px: int = MIN_FACE_PX):  # type: ignore[no-untyped-def]
    """MTCNN on the CPU with the wheel's bundled weights (one instance per process)."""
    facenet_version()
    import torch

    from resources.mtcnn_import import import_mtcnn

    torch.set_grad_enabled(False)
    return import_mtcnn()(keep_all=True, min_face_size=min_face_px, device="cpu", select_largest=False)


def _detect_size(image: Image.Image) -> tuple[Image.Image, float]:
    """The image MTCNN sees (RGB, longest side at most MAX_DETECT_SIDE) and the factor back to the page."""
    rgb = image.convert("RGB")
    scale = min(1.0, MAX_DETECT_SIDE / max(rgb.size))
    if scale < 1.0:
        rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), Image.BILINEAR)
    return rgb, 1.0 / scale


def _mtcnn_boxes(image: Image.Image, min_face_px: int) -> list[tuple[tuple[float, ...], float]]:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(DETECT_THREADS)  # small tensors: more threads only spin (measured: 3x the CPU time)
    try:
        boxes, probs = load_mtcnn(min_face_px).detect(image)
    finally:
        torch.set_num_threads(threads)
    if boxes is None:
        return []
    return [(tuple(float(v) for v in box), float(p)) for box, p in zip(boxes, probs, strict=True) if p is not None]


def mtcnn_faces(image: Image.Image, threshold: float, min_face_px: int = MIN_FACE_PX) -> list[FaceBox]:
    """MTCNN's faces at probability >= threshold, in page pixels. (Extra passes over the image turned
    +-30 degrees were tried for tilted heads: recall on the tuning slice 0.92 -> 0.96 at p >= 0.9, but
    0.1 false faces per face-free photo and twice the CPU time, so MTCNN sees the image upright only.)"""
    small, back = _detect_size(image)
    return [
        FaceBox(tuple(v * back for v in box), p, "mtcnn")  # type: ignore[arg-type]
        for box, p in _mtcnn_boxes(small, min_face_px)
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
            return f"faces-lbp-skimage-{importlib.metadata.version('scikit-image')}-min{self.min_face_px}"
        return f"faces-mtcnn-facenet-{facenet_version()}-p{self.threshold:g}-min{self.min_face_px}"

    def detect(self, image: Image.Image) -> list[FaceBox]:
        if self.detector == "mtcnn":
            return mtcnn_faces(image, self.threshold, self.min_face_px)
        if self.detector == "lbp":
            return lbp_faces(image, min_face_px=self.min_face_px)
        return []


class CoverageFaceScanner:
    """The coverage check's re-detection: MTCNN at a lower threshold than the redactor's (and the LBP
    cascade with `use_lbp`), never the redactor's own pass. Every face found on a redacted image counts."""

    def __init__(self, mtcnn_threshold: float = COVERAGE_MTCNN_THRESHOLD, use_lbp: bool = False) -> None:
        self.mtcnn_threshold, self.use_lbp = mtcnn_threshold, use_lbp

    def faces(self, image: Image.Image) -> list[FaceBox]:
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
