"""processing_event: one structured event per source per run, in seed 003's shape.

Every artifact asset records a processing step per partition (outcome, ms, quality figures); this
asset folds the steps of its run into one `artifact_processed` event, stores it in the catalog and
attaches it to the partition in Dagster.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from mm_assets.kind_spec import ArtifactKind, KindRun
from resources.catalog import new_id, processing_event, processing_step, review_item, utcnow

EVENT_VERSION = "1"


def build_event(source: dict, run_id: str, steps: list[dict], open_reviews: int, step_order: Sequence[str]) -> dict:
    """The run's steps of one source in graph order (`step_order`), and its disposition."""
    ordered = sorted(steps, key=lambda s: step_order.index(s["step"]) if s["step"] in step_order else len(step_order))
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
        + [{"step": s["step"], "outcome": s["outcome"], **step_accounting(s), **(s["details"] or {})} for s in ordered]
        + [disposition],
        "total_ms": round(sum(s["ms"] for s in ordered), 1),
        "cpu_seconds": round(sum(s.get("cpu_s") or 0.0 for s in ordered), 4),
        "model_calls": round(sum(s.get("model_calls") or 0.0 for s in ordered), 3),
        "cost_usd": round(sum(s.get("cost_usd") or 0.0 for s in ordered), 8),
    }


def step_accounting(step: dict) -> dict:
    """What a step spent, as the event lists it: wall ms, CPU seconds, units, model calls, USD."""
    return {
        "ms": step["ms"],
        "cpu_s": step.get("cpu_s") or 0.0,
        "units": step.get("units") or 0.0,
        "unit": step.get("unit") or "",
        "model_calls": step.get("model_calls") or 0.0,
        "cost_usd": step.get("cost_usd") or 0.0,
    }


def make_processing_event(run: KindRun) -> None:
    """Fold each partition's processing steps of this run into one event, in graph order."""
    batch, catalog = run.batch, run.resources.catalog
    run_id = run.context.run.run_id
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
        event = build_event(batch.sources[key], run_id, steps.get(key, []), reviews[key], run.build.step_order)
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
            key,
            outcome=event["steps"][-1]["outcome"],
            steps=len(event["steps"]),
            total_ms=event["total_ms"],
            cpu_seconds=event["cpu_seconds"],
            cost_usd=event["cost_usd"],
        )
    catalog.insert_rows(processing_event, events)


SPEC = ArtifactKind(
    name="processing_event",
    upstream=("thumbnail", "search_index", "fields"),
    inputs=(),  # reads the run's processing steps, not artifacts
    reuse=False,
    logic_version=EVENT_VERSION,
    group="observability",
    description="One structured event per source per run: steps with outcome, ms, CPU seconds, units, "
    "model calls, cost and quality figures.",
    make=make_processing_event,
    model="none",
    versioned=False,
)
