"""The `skimage` evaluation set: scikit-image's bundled photos; the queries are the human
descriptions that open each loader's docstring (`skimage.data.coffee.__doc__` -> "Coffee cup.").
One relevant image each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from mm_assets.operations.evaluation_base import EvalQuery, EvalSet, EvaluationError

MAX_SIDE = 512  # photos are shrunk to this: the models see 224-300 px anyway

# scikit-image loaders whose image ships in the wheel (the others need pooch and the network).
# `cat` is left out: it returns the same pixels as `chelsea`, so one content hash.
SKIMAGE_IMAGES = (
    "astronaut",
    "brick",
    "camera",
    "cell",
    "checkerboard",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "colorwheel",
    "grass",
    "gravel",
    "horse",
    "hubble_deep_field",
    "immunohistochemistry",
    "logo",
    "microaneurysms",
    "moon",
    "page",
    "retina",
    "rocket",
    "shepp_logan_phantom",
    "stereo_motorcycle",
    "text",
)


def docstring_description(doc: str | None) -> str:
    """The human description that opens a numpydoc docstring: its first paragraph, on one line."""
    paragraph: list[str] = []
    for line in (doc or "").strip().splitlines():
        if not line.strip():
            break
        paragraph.append(line.strip())
    return " ".join(paragraph)


def skimage_set(media: Path) -> EvalSet:
    """scikit-image's bundled images, each queried by its loader's docstring description."""
    from skimage import data

    files, queries = {}, []
    for loader_name in SKIMAGE_IMAGES:
        loader = getattr(data, loader_name)
        description = docstring_description(loader.__doc__)
        if not description:
            raise EvaluationError(f"skimage.data.{loader_name} has no docstring description to query with")
        name = f"skimage/{loader_name}"
        files[name] = save_photo(skimage_pixels(loader_name), media / "skimage" / f"{loader_name}.png")
        queries.append(EvalQuery(f"skimage:{loader_name}", description, frozenset({name}), "skimage"))
    return EvalSet("skimage", files, tuple(queries))


def skimage_pixels(loader_name: str) -> np.ndarray:
    from skimage import data

    try:
        pixels = getattr(data, loader_name)()
    except (ImportError, OSError, ValueError) as exc:
        raise EvaluationError(
            f"skimage.data.{loader_name}() cannot load here ({exc}); reinstall scikit-image==0.26.0"
        ) from exc
    return pixels[0] if isinstance(pixels, tuple) else pixels  # stereo pairs: the left view


def save_photo(pixels: np.ndarray, path: Path) -> Path:
    """Any scikit-image array (bool, float, gray, RGBA) as an RGB PNG at most MAX_SIDE wide."""
    if pixels.dtype == bool:
        pixels = pixels.astype(np.uint8) * 255
    elif pixels.dtype != np.uint8:
        low, high = float(pixels.min()), float(pixels.max())
        pixels = ((pixels - low) / ((high - low) or 1.0) * 255).round().astype(np.uint8)
    image = Image.fromarray(pixels).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path
