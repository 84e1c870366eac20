"""source_media: the immutable original of each content hash, as recorded by ingest.

Materializing a partition proves the original is in the store with the recorded size and puts its
facts (hash, mime, bytes) on the partition in the Dagster UI. The partition is shared by every tenant
that holds these bytes, so no owner's facts (tenant, file name) go on it: a forget by one owner
leaves nothing of it in Dagster's event log.
"""

import dagster as dg

from mm_assets.dagster_internals.step_metadata import add_partition_metadata
from mm_assets.kind_spec import ArtifactKind, KindRun
from mm_assets.orchestration.partition_failures import raise_if_any_failed
from resources.blob_store import media_key, store_relative_uri


def make_source_media(run: KindRun) -> None:
    """Prove each original is in the store at its recorded size; put its facts on the partition."""
    context, catalog, media_store = run.context, run.resources.catalog, run.resources.media_store
    keys = context.partition_keys
    rows = catalog.source_rows(keys)
    failures: dict[str, str] = {}
    metadata: dict[str, dict] = {}
    for key in keys:
        row = rows.get(key)
        stored_size = media_store.store.size(media_key(key))
        if row is None:
            failures[key] = "no source_media row in the catalog: ingest the file with `mm ingest`"
        elif stored_size != row["bytes"]:
            failures[key] = f"original missing or altered in the store (size {stored_size}, expected {row['bytes']})"
        else:
            metadata[key] = {
                "content_hash": key,
                "mime_type": row["mime_type"],
                "modality": row["modality"],
                "bytes": row["bytes"],
                "uri": store_relative_uri(media_key(key)),  # relative to the store: the home can move
            }
    add_partition_metadata(context, metadata)
    raise_if_any_failed("source_media", failures)
    # The asset's own figure, not on any partition: how many originals the catalog holds.
    context.log_event(dg.AssetObservation(asset_key=context.asset_key, metadata={"originals": catalog.count_sources()}))


SPEC = ArtifactKind(
    name="source_media",
    upstream=(),
    logic_version="1",
    group="media",
    dagster_kinds=frozenset({"file"}),
    description="The original bytes of each ingested file, keyed by their sha256.",
    make=make_source_media,
    versioned=False,  # the original itself: no model, and no derived artifact to version
    payload="",
    batched=False,
)
