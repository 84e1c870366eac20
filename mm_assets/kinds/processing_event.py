"""processing_event: one structured event per source per run, in seed 003's shape.

Every artifact asset records a processing step per partition (outcome, ms, quality figures); this
asset folds the steps of its run into one `artifact_processed` event, stores it in the catalog and
attaches it to the partition in Dagster.
"""

from collections import defaultdict

import dagster as dg
import sqlalchemy as sa
from dagster import AssetExecutionContext

from mm_assets.artifacts import ArtifactBatch, content_hash_asset
from resources.catalog import CatalogResource, new_id, processing_event, processing_step, review_item, utcnow
from resources.stores import MediaStoreResource

EVENT_VERSION = "1"
STEP_ORDER = (
    "source_media",
    "pages",
    "ocr",
    "pii",
    "thumbnail",
    "caption",
    "visual_embedding",
    "text_embedding",
    "search_index",
)


def build_event(source: dict, run_id: str, steps: list[dict], open_reviews: int) -> dict:
    ordered = sorted(steps, key=lambda s: STEP_ORDER.index(s["step"]) if s["step"] in STEP_ORDER else 99)
    failed = [s for s in ordered if s["outcome"] == "failed"]
    if failed:
        disposition = {"step": "disposition", "outcome": "failed", "reason": failed[0]["details"]}
    elif open_reviews:
        disposition = {
            "step": "disposition",
            "outcome": "human_review",
            "reason": f"{open_reviews} open review item(s)",
        }
    else:
        disposition = {"step": "disposition", "outcome": "done"}
    return {
        "event": "artifact_processed",
        "source_id": source["source_id"],
        "content_hash": source["content_hash"],
        "tenant_id": source["tenant_id"],
        "modality": source["modality"],
        "run_id": run_id,
        "steps": [{"step": "input_gate", "outcome": "accept", "quality": source["gate"]}]
        + [{"step": s["step"], "outcome": s["outcome"], "ms": s["ms"], **(s["details"] or {})} for s in ordered]
        + [disposition],
        "total_ms": round(sum(s["ms"] for s in ordered), 1),
    }


def build_processing_event(upstream: list[str], max_partitions_per_run: int) -> dg.AssetsDefinition:
    @content_hash_asset(
        "processing_event",
        deps=upstream,
        code_version=EVENT_VERSION,
        max_partitions_per_run=max_partitions_per_run,
        group_name="observability",
        kinds={"json"},
        description="One structured event per source per run: steps with outcome, ms and quality figures.",
    )
    def processing_event_asset(
        context: AssetExecutionContext, catalog: CatalogResource, media_store: MediaStoreResource
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "processing_event", EVENT_VERSION, "none")
        run_id = context.run.run_id
        with catalog.engine.connect() as conn:
            steps = defaultdict(list)
            query = sa.select(processing_step).where(processing_step.c.run_id == run_id)
            for row in conn.execute(query):
                steps[row.source_hash].append(dict(row._mapping))
            reviews = defaultdict(int)
            query = sa.select(review_item.c.source_hash).where(
                review_item.c.status == "open", review_item.c.source_hash.in_(batch.keys)
            )
            for row in conn.execute(query):
                reviews[row.source_hash] += 1
        events = []
        for key in batch.keys:
            if key not in batch.sources:
                batch.fail(key, "no source_media row")
                continue
            event = build_event(batch.sources[key], run_id, steps.get(key, []), reviews[key])
            events.append(
                {
                    "event_id": new_id(),
                    "source_hash": key,
                    "tenant_id": event["tenant_id"],
                    "run_id": run_id,
                    "kind": "artifact_processed",
                    "event": event,
                    "created_at": utcnow(),
                }
            )
            # the event itself (step details name captions, file names) stays in the catalog, which
            # forget cleans; Dagster's metadata, kept in its own storage, gets the outcome and timing
            batch.metadata(
                key, outcome=event["steps"][-1]["outcome"], steps=len(event["steps"]), total_ms=event["total_ms"]
            )
        catalog.insert_rows(processing_event, events)
        return batch.finish()

    return processing_event_asset
