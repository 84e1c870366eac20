"""thumbnail: one small WebP per source, always made from the PII-redacted first page.

Because it comes from the redacted page, no PII ever shows in the Dagster UI or a preview.
"""

import io

import dagster as dg
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset, input_digest
from mm_assets.kinds.pages import load_pages
from resources.catalog import CatalogResource
from resources.stores import MediaStoreResource

THUMBNAIL_VERSION = "1"
THUMBNAIL_SIZE = 256
THUMBNAIL_MODEL = f"webp-{THUMBNAIL_SIZE}px"


def make_thumbnail(image) -> bytes:  # type: ignore[no-untyped-def]
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()


def build_thumbnail(max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "thumbnail",
        deps=["pii"],
        code_version=code_version(THUMBNAIL_VERSION, THUMBNAIL_MODEL),
        max_partitions_per_run=max_partitions_per_run,
        group_name="previews",
        kinds={"webp"},
        description="A 256 px WebP of the PII-redacted first page.",
    )
    def thumbnail(
        context: AssetExecutionContext, catalog: CatalogResource, media_store: MediaStoreResource
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "thumbnail", THUMBNAIL_VERSION, THUMBNAIL_MODEL)
        redacted = batch.upstream("pii")
        for key in batch.pending():
            with batch.guard(key):
                digest = input_digest([redacted[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    first_page = load_pages(batch, redacted[key])[0][1]
                    data = make_thumbnail(first_page)
                    batch.write(key, data, "webp", digest, attributes={"bytes": len(data)})
                batch.step(key, "ok", watch.ms)
                batch.metadata(key, thumbnail_bytes=len(data))
        return batch.finish()

    return thumbnail
