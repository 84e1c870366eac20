"""The drift sensor: recent embeddings, OCR confidence and PII hit rate against a stored baseline.

Each tick measures the most recent current artifacts, records the figures as asset observations
(so they chart in the Dagster UI), and sends an alert when a figure moves past its threshold. The
baseline is the first measurement for the active embedding model, kept in the sensor's cursor; a
model upgrade starts a new baseline (vectors of two models are not comparable).
"""

import io
import json
from dataclasses import dataclass
from typing import Any

import dagster as dg
import numpy as np
import sqlalchemy as sa
from dagster import SensorEvaluationContext

from resources.alert_sink import AlertSink
from resources.blob_store import store_key_of
from resources.catalog import CatalogResource, derived_artifact
from resources.stores import MediaStoreResource

RECENT = 200
MIN_SAMPLE = 5


@dataclass(frozen=True)
class DriftThresholds:
    centroid_shift: float = 0.10  # 1 - cosine(centroid, baseline centroid)
    spread_ratio: float = 1.5  # spread / baseline spread, either way
    ocr_confidence_drop: float = 0.10
    pii_hit_rate_change: float = 0.20


def recent_current(catalog: CatalogResource, kind: str, limit: int = RECENT) -> list[dict[str, Any]]:
    query = (
        sa.select(derived_artifact)
        .where(derived_artifact.c.kind == kind, derived_artifact.c.status == "current")
        .order_by(derived_artifact.c.created_at.desc())
        .limit(limit)
    )
    with catalog.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def measure(catalog: CatalogResource, store) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """Centroid and spread of recent visual embeddings, mean OCR confidence, PII hit rate."""
    embeddings = recent_current(catalog, "visual_embedding")
    if len(embeddings) < MIN_SAMPLE:
        return None
    vectors = np.stack(
        [np.load(io.BytesIO(store.read_bytes(store_key_of(store, r["payload_uri"])))) for r in embeddings]
    )
    centroid = vectors.mean(axis=0)
    spread = float(np.linalg.norm(vectors - centroid, axis=1).mean())
    ocr = [r["attributes"] or {} for r in recent_current(catalog, "ocr")]
    with_text = [a["mean_confidence"] for a in ocr if a.get("spans")]
    pii = [r["attributes"] or {} for r in recent_current(catalog, "pii")]
    return {
        "model_id": embeddings[0]["model_id"],
        "sample": len(embeddings),
        "centroid": [round(float(v), 6) for v in centroid],
        "spread": round(spread, 6),
        "ocr_mean_confidence": round(float(np.mean(with_text)), 4) if with_text else None,
        "pii_hit_rate": round(sum(1 for a in pii if a.get("redactions")) / len(pii), 4) if pii else None,
    }


def drift_figures(current: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float | None]:
    a, b = np.asarray(current["centroid"]), np.asarray(baseline["centroid"])
    cosine = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))
    figures: dict[str, float | None] = {
        "centroid_shift": round(1 - cosine, 4),
        "spread_ratio": round(current["spread"] / baseline["spread"], 4) if baseline["spread"] else None,
        "ocr_confidence_drop": None,
        "pii_hit_rate_change": None,
    }
    if current["ocr_mean_confidence"] is not None and baseline["ocr_mean_confidence"] is not None:
        figures["ocr_confidence_drop"] = round(baseline["ocr_mean_confidence"] - current["ocr_mean_confidence"], 4)
    if current["pii_hit_rate"] is not None and baseline["pii_hit_rate"] is not None:
        figures["pii_hit_rate_change"] = round(abs(current["pii_hit_rate"] - baseline["pii_hit_rate"]), 4)
    return figures


def breaches(figures: dict[str, float | None], thresholds: DriftThresholds) -> list[str]:
    found = []
    if figures["centroid_shift"] is not None and figures["centroid_shift"] > thresholds.centroid_shift:
        found.append(f"embedding centroid moved {figures['centroid_shift']:.3f} > {thresholds.centroid_shift}")
    ratio = figures["spread_ratio"]
    if ratio is not None and (ratio > thresholds.spread_ratio or ratio < 1 / thresholds.spread_ratio):
        found.append(f"embedding spread changed x{ratio:.2f}")
    drop = figures["ocr_confidence_drop"]
    if drop is not None and drop > thresholds.ocr_confidence_drop:
        found.append(f"OCR mean confidence dropped by {drop:.3f}")
    change = figures["pii_hit_rate_change"]
    if change is not None and change > thresholds.pii_hit_rate_change:
        found.append(f"PII hit rate moved by {change:.3f}")
    return found


def build_drift_sensor(thresholds: DriftThresholds = DriftThresholds()) -> dg.SensorDefinition:
    @dg.sensor(
        name="drift_sensor",
        minimum_interval_seconds=3600,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Embedding centroid/spread, OCR confidence and PII hit rate against a baseline; alerts on drift.",
    )
    def drift_sensor(
        context: SensorEvaluationContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        alert_sink: AlertSink,
    ) -> dg.SensorResult | dg.SkipReason:
        current = measure(catalog, media_store.store)
        if current is None:
            return dg.SkipReason(f"fewer than {MIN_SAMPLE} embeddings: nothing to measure yet")
        baselines = json.loads(context.cursor) if context.cursor else {}
        baseline = baselines.setdefault(current["model_id"], current)
        figures = drift_figures(current, baseline)
        problems = breaches(figures, thresholds)
        for problem in problems:
            alert_sink.send(
                {
                    "type": "drift",
                    "asset": "visual_embedding",
                    "partition": None,
                    "check": "drift",
                    "message": problem,
                    "figures": figures,
                }
            )
        observation = {key: value for key, value in figures.items() if value is not None}
        observation.update(sample=current["sample"], spread=current["spread"], alerts=len(problems))
        if current["ocr_mean_confidence"] is not None:
            observation["ocr_mean_confidence"] = current["ocr_mean_confidence"]
        if current["pii_hit_rate"] is not None:
            observation["pii_hit_rate"] = current["pii_hit_rate"]
        return dg.SensorResult(
            asset_events=[dg.AssetObservation(asset_key="visual_embedding", metadata=observation)],
            cursor=json.dumps(baselines),
        )

    return drift_sensor
