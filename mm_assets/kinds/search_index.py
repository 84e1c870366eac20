"""search_index: one LanceDB row per source, upserted per partition, indexes refreshed after every batch.

A row holds the visual, caption and OCR vectors, the redacted OCR text plus caption for full-text
search (never unredacted text: it comes from the pii asset), the governance columns search filters
on, and the (pipeline_version, model_id, artifact_id) of every channel.
"""

import json
from functools import cached_property

import dagster as dg
import numpy as np
from dagster import AssetCheckExecutionContext, AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.text_embedding import redacted_text
from mm_assets.kinds.visual_embedding import vector_from_bytes
from resources.catalog import CatalogResource, utcnow
from resources.media_store import MediaStoreResource
from resources.vector_index import VectorIndex

INDEX_VERSION = "1"
INPUT_KINDS = ("visual_embedding", "text_embedding", "caption", "pii")


class SearchIndexResource(dg.ConfigurableResource):
    """The LanceDB table behind search (`MM_INDEX`: a folder or s3://bucket/prefix)."""

    uri: str
    table: str = "media"

    def open(self, dim: int) -> VectorIndex:
        return VectorIndex(self.uri, dim, table=self.table, storage_options=self.storage_options)

    def stored_dim(self) -> int | None:
        """The vector dimension of the existing table (None if there is none), read from its schema:
        callers that only maintain the index need no embedding model loaded to know it."""
        import lancedb

        db = lancedb.connect(self.uri, storage_options=self.storage_options)
        try:
            table = db.open_table(self.table)
        except ValueError:  # LanceDB's "table not found"
            return None
        return table.schema.field("visual_vector").type.list_size

    def open_existing(self) -> VectorIndex | None:
        dim = self.stored_dim()
        return None if dim is None else self.open(dim)

    @cached_property
    def storage_options(self) -> dict[str, str] | None:
        if not self.uri.startswith("s3://"):
            return None
        from resources.s3_store import lance_storage_options

        return lance_storage_options()


def provenance(rows: dict[str, dict]) -> dict[str, dict[str, str]]:
    """Which artifact (and so which code and model version) feeds each channel."""
    channel_source = {"visual": "visual_embedding", "caption": "text_embedding", "ocr": "text_embedding"}
    return {
        channel: {
            "kind": kind,
            "artifact_id": rows[kind]["artifact_id"],
            "pipeline_version": rows[kind]["pipeline_version"],
            "model_id": rows[kind]["model_id"],
        }
        for channel, kind in channel_source.items()
    }


def index_row(source: dict, rows: dict[str, dict], batch: ArtifactBatch) -> dict:
    text_vectors = vector_from_bytes(batch.read_bytes(rows["text_embedding"]))
    caption = batch.read_json(rows["caption"])["text"]
    ocr_text = redacted_text(batch.read_json(rows["pii"]))
    return {
        "content_hash": source["content_hash"],
        "tenant_id": source["tenant_id"],
        "region": source["region"],
        "consent": source["consent"],
        "usage_rights": source["usage_rights"],
        "modality": source["modality"],
        "visual_vector": vector_from_bytes(batch.read_bytes(rows["visual_embedding"])).astype(np.float32),
        "caption_vector": text_vectors[0].astype(np.float32),
        "ocr_vector": text_vectors[1].astype(np.float32),
        "has_ocr": "ocr" not in (rows["text_embedding"]["attributes"] or {}).get("empty_channels", []),
        "text": f"{caption}\n{ocr_text}".strip(),
        "caption": caption,
        "provenance": json.dumps(provenance(rows)),
        "updated_at": utcnow(),
    }


def build_search_index(model_id: str, max_partitions_per_run: int) -> list:
    @content_hash_asset(
        "search_index",
        deps=list(INPUT_KINDS),
        code_version=code_version(INDEX_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="search",
        kinds={"lancedb"},
        description="One LanceDB row per source: three vector channels, redacted text for BM25, filters.",
    )
    def search_index(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        search_index_store: SearchIndexResource,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "search_index", INDEX_VERSION, model_id)
        inputs = {kind: batch.upstream(kind) for kind in INPUT_KINDS}
        rows, digests = {}, {}
        for key in batch.pending():
            with batch.guard(key):
                upstream = {kind: inputs[kind][key] for kind in INPUT_KINDS}
                digests[key] = input_digest(list(upstream.values()))
                rows[key] = index_row(batch.sources[key], upstream, batch)
        if not rows:
            return batch.finish()
        # The dimension comes from the vectors themselves: no embedding model is loaded here.
        index = search_index_store.open(len(next(iter(rows.values()))["visual_vector"]))
        with Stopwatch() as watch:
            # Upsert even where the artifact record exists: a merge is idempotent, and it heals an
            # index folder that was lost or rebuilt.
            index.upsert(list(rows.values()))
        index_rows = index.count()
        index.close()
        for key, row in rows.items():
            with batch.guard(key):
                record = {k: v for k, v in row.items() if not k.endswith("_vector") and k != "updated_at"}
                batch.write_json(
                    key,
                    {"index": search_index_store.uri, "table": search_index_store.table, **record},
                    digests[key],
                )
                batch.step(key, "ok", watch.ms / max(len(rows), 1))
                batch.metadata(key, has_ocr=row["has_ocr"])  # no caption or text in Dagster metadata
        return batch.finish(index_rows=index_rows)

    @dg.asset_check(asset=search_index, name="index_freshness")
    def index_freshness(
        context: AssetCheckExecutionContext, search_index_store: SearchIndexResource
    ) -> dg.AssetCheckResult:
        """Every row must be covered by every index (full-text search would miss it otherwise)."""
        index = search_index_store.open_existing()
        if index is None:
            return dg.AssetCheckResult(
                passed=False, severity=dg.AssetCheckSeverity.ERROR, metadata={"reason": "no index table"}
            )
        unindexed = index.unindexed_rows()
        index.close()
        stale = {name: count for name, count in unindexed.items() if count}
        return dg.AssetCheckResult(
            passed=not stale,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"unindexed_rows": dg.MetadataValue.json(unindexed), "indexes": len(unindexed)},
        )

    return [search_index, index_freshness]
