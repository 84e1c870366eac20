"""visual_embedding: one L2-normalised vector per source, of the PII-redacted first page."""

import io

import dagster as dg
import numpy as np
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.pages import load_pages
from resources.catalog import CatalogResource
from resources.embedder import Embedder
from resources.stores import MediaStoreResource
from resources.upgrade_policy import UpgradePolicy

EMBEDDING_VERSION = "1"


def vector_bytes(vectors: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
    return buffer.getvalue()


def vector_from_bytes(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def build_visual_embedding(model_id: str, max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "visual_embedding",
        deps=["pii"],
        code_version=code_version(EMBEDDING_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="semantics",
        kinds={"embedding"},
        description=f"Image embedding of the redacted first page by {model_id}.",
    )
    def visual_embedding(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        embedder: Embedder,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(
            context,
            catalog,
            media_store.store,
            "visual_embedding",
            EMBEDDING_VERSION,
            model_id,
            upgrade_policy,
        )
        redacted = batch.upstream("pii")
        digests = {key: input_digest([redacted[key]]) for key in batch.pending()}
        todo = batch.todo(digests, lambda key: load_pages(batch, redacted[key])[0][1])
        with Stopwatch() as watch:
            vectors = batch.run_model(todo, embedder.embed_images)
        for key, vector in vectors.items():
            with batch.guard(key):
                attributes = {"dim": int(vector.shape[0]), "norm": round(float(np.linalg.norm(vector)), 4)}
                batch.write(key, vector_bytes(vector), "npy", digests[key], attributes=attributes)
                batch.step(key, "ok", watch.ms / len(vectors), dim=attributes["dim"])
                batch.metadata(key, dim=attributes["dim"])
        return batch.finish()

    return visual_embedding
