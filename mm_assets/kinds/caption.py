"""caption: a caption per source, from the PII-redacted first page.

The offline default is not a captioning model: it builds a sentence from an ImageNet classifier's
top labels, and its model id says so ("label-caption-..."). A transformers captioner can be
configured instead.
"""

import dagster as dg
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.pages import load_pages
from resources.captioner import Captioner
from resources.catalog import CatalogResource
from resources.stores import MediaStoreResource
from resources.upgrade_policy import UpgradePolicy

CAPTION_VERSION = "1"


def build_caption(model_id: str, max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "caption",
        deps=["pii"],
        code_version=code_version(CAPTION_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="semantics",
        kinds={"caption"},
        description=f"A caption of the redacted first page by {model_id}.",
    )
    def caption(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        captioner: Captioner,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "caption", CAPTION_VERSION, model_id, upgrade_policy)
        redacted = batch.upstream("pii")
        digests = {key: input_digest([redacted[key]]) for key in batch.pending()}
        todo = batch.todo(digests, lambda key: load_pages(batch, redacted[key])[0][1])
        with Stopwatch() as watch:
            captions = batch.run_model(todo, captioner.caption)
        for key, result in captions.items():
            with batch.guard(key):
                labels = [[label, round(p, 4)] for label, p in result.labels]
                batch.write_json(key, {"text": result.text, "labels": labels}, digests[key])
                batch.step(key, "ok", watch.ms / len(captions), caption=result.text)
                batch.metadata(key, caption_chars=len(result.text))  # never the text in Dagster metadata
        return batch.finish()

    return caption
