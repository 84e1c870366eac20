"""visual_embedding: one L2-normalised vector per source, of the PII-redacted first page."""

import io

import numpy as np

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, model_batch
from mm_assets.kinds.caption import first_redacted_page
from mm_assets.operations.compare import compare_vectors

EMBEDDING_VERSION = "1"


def vector_bytes(vectors: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
    return buffer.getvalue()


def vector_from_bytes(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def write_vector(run: KindRun, key: str, vector: np.ndarray) -> Made:
    attributes = {"dim": int(vector.shape[0]), "norm": round(float(np.linalg.norm(vector)), 4)}
    run.batch.write(key, vector_bytes(vector), "npy", run.digests[key], attributes=attributes)
    return Made({"dim": attributes["dim"]})


SPEC = ArtifactKind(
    name="visual_embedding",
    upstream=("pii",),
    logic_version=EMBEDDING_VERSION,
    group="semantics",
    description=lambda build: f"Image embedding of the redacted first page by {build.model_id}.",
    make=model_batch(first_redacted_page, lambda run, images: run.model("embedder").embed_images(images), write_vector),
    model_roles=("embedder",),
    comparator=compare_vectors,
    payload="npy",
    index_channels=("visual_vector", "image"),
)
