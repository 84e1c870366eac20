"""What every artifact asset does around its model call, in one place.

An `ArtifactBatch` is one asset's work over the partitions of one run: it finds which partitions
already have an artifact at this version key (no model work for those), reads upstream artifacts,
writes payloads before catalog rows, records one processing step per partition, puts per-partition
metadata on the materializations, and confines failures to their own partitions.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dagster as dg
import sqlalchemy as sa

from mm_assets.dagster_internals.step_metadata import add_partition_metadata
from mm_assets.orchestration.partition_failures import raise_if_any_failed
from mm_assets.orchestration.version_consistency import version_census
from mm_assets.payload_staging import StagedPayload, publish_all
from partitions import content_hash_partitions
from resources.blob_store import BlobStore, store_key_of, store_relative_uri
from resources.catalog import (
    CatalogResource,
    current_artifacts,
    derived_artifact,
    new_id,
    processing_step,
    review_item,
    utcnow,
)
from resources.faults import fault_point
from resources.upgrade_policy import UpgradePolicy

PIPELINE_NAME = "mm-assets"
# Catalog rows are inserted in one transaction per this many artifacts (one commit, not one each), and
# their payloads published together just before (payload_staging); staged bytes past FLUSH_BYTES (a
# document's redacted pages) flush sooner, so memory stays bounded.
FLUSH_EVERY = 256
FLUSH_BYTES = 64 * 1024 * 1024
# A run tagged FIGURES_TAG=FIGURES_AFTER_RUN (mm serve's answering upload run) does not log its kinds'
# census observations (`DeferredFigures.observation`: a GROUP BY over the kind's artifacts and one event each, 15 per
# upload) while the uploader waits: each step leaves a `DeferredFigures` record in DEFERRED_FIGURES under
# the run id; the server journals them before the answer and reports them right after it
# (`take_deferred_figures`, `report_figures`, server/figures_journal.py), or at its next start after a crash.
FIGURES_TAG = "mm/asset_figures"
FIGURES_AFTER_RUN = "after_run"
_DEFERRED_LOCK = threading.Lock()
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def code_version(logic_version: str, model_id: str) -> str:
    """Dagster code version of an artifact asset: a new model or new logic marks it stale."""
    return f"{logic_version}+{model_id}"


# What a model-heavy step asks Kubernetes for when each step is its own pod (k8s_job_executor);
# other executors ignore the tag.
MODEL_STEP_RESOURCES = {"requests": {"cpu": "2", "memory": "4Gi"}, "limits": {"cpu": "4", "memory": "8Gi"}}
MODEL_STEP_TAGS = {"dagster-k8s/config": {"container_config": {"resources": MODEL_STEP_RESOURCES}}}


def content_hash_asset(
    name: str,
    *,
    deps: Sequence[str],
    code_version: str,
    max_partitions_per_run: int,
    group_name: str,
    kinds: set[str],
    description: str,
    pool: str | None = None,
    required_resource_keys: set[str] | None = None,
    automation_condition: dg.AutomationCondition | None = None,
) -> Callable[[Callable[..., Any]], dg.AssetsDefinition]:
    """The decorator every artifact kind shares: partitioned by content hash, batched backfills, and
    skippable (a step may end without a materialization; the kind builder's budget hold does).

    A kind that loads a model runs in that model's Dagster `pool`, so an instance with a run queue
    (MM_RUN_COORDINATOR=queued) runs at most `concurrency.pools.default_limit` of its steps at once.
    """
    return dg.asset(
        name=name,
        pool=pool,
        op_tags=MODEL_STEP_TAGS if pool else None,
        required_resource_keys=required_resource_keys,
        deps=list(deps),
        partitions_def=content_hash_partitions,
        code_version=code_version,
        backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=max_partitions_per_run),
        group_name=group_name,
        kinds=kinds,
        description=description,
        automation_condition=automation_condition,
        # A step whose range holds an over-budget tenant's partition makes nothing (orchestration.budgets):
        # its partitions stay missing, not failed, and the steps downstream of it are skipped.
        output_required=False,
    )


def payload_key(kind: str, content_hash: str, pipeline_version: str, model_id: str, input_digest: str, ext: str) -> str:
    """artifacts/<kind>/<h[:2]>/<h>/<pipeline_version>__<model_id>[__<inputs>].<ext>"""
    stem = f"{pipeline_version}__{_UNSAFE.sub('_', model_id)}"
    if input_digest:
        stem += f"__{input_digest}"
    return f"artifacts/{kind}/{content_hash[:2]}/{content_hash}/{stem}.{ext}"


def input_digest(upstream_rows: Sequence[dict[str, Any]]) -> str:
    """Digest of the upstream artifacts an artifact is made from (completes its version key)."""
    ids = sorted(row["artifact_id"] for row in upstream_rows)
    return hashlib.sha256("|".join(ids).encode()).hexdigest()[:16] if ids else ""


def open_review(catalog: CatalogResource, artifact: dict[str, Any], reason: str, details: dict[str, Any]) -> str:
    """Queue an artifact for human review, once per artifact and reason; returns the review's id."""
    with catalog.engine.begin() as conn:
        already = conn.execute(
            sa.select(review_item.c.review_id).where(
                review_item.c.artifact_id == artifact["artifact_id"], review_item.c.reason == reason
            )
        ).first()
        if already is not None:
            return already.review_id
        review_id = new_id()
        conn.execute(
            review_item.insert().values(
                review_id=review_id,
                source_hash=artifact["source_hash"],
                tenant_id=artifact["tenant_id"],
                kind=artifact["kind"],
                reason=reason,
                details=details,
                artifact_id=artifact["artifact_id"],
                status="open",
                created_at=utcnow(),
            )
        )
        return review_id


def supersede(conn: sa.Connection, old_id: str, new_id_: str) -> None:
    """Mark `old_id` superseded by `new_id_` and make the new one current."""
    conn.execute(
        derived_artifact.update()
        .where(derived_artifact.c.artifact_id == old_id)
        .values(status="superseded", superseded_by=new_id_)
    )
    conn.execute(derived_artifact.update().where(derived_artifact.c.artifact_id == new_id_).values(status="current"))


def insert_new_artifacts(conn: sa.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the rows in one statement; if a version key exists already, row by row, skipping those."""
    if not rows:
        return []  # an empty parameter list would make one INSERT of defaults
    try:
        with conn.begin_nested():
            conn.execute(derived_artifact.insert(), rows)
        return rows
    except sa.exc.IntegrityError:
        pass
    inserted = []
    for row in rows:
        try:
            with conn.begin_nested():
                conn.execute(derived_artifact.insert().values(**row))
            inserted.append(row)
        except sa.exc.IntegrityError:
            continue  # a concurrent run wrote the same version key: same content, nothing to do
    return inserted


class ArtifactBatch:
    """One artifact kind over the partitions of one run."""

    def __init__(
        self,
        context: dg.AssetExecutionContext,
        catalog: CatalogResource,
        store: BlobStore,
        kind: str,
        pipeline_version: str,
        model_id: str,
        policy: UpgradePolicy | None = None,
        comparator: Callable[[bytes, bytes, UpgradePolicy], Any] | None = None,
    ):
        self.context = context
        self.policy = policy
        self.comparator = comparator  # the kind's comparison of a new version with the current one
        self.catalog = catalog
        self.store = store
        self.kind = kind
        self.pipeline_version = pipeline_version
        self.model_id = model_id
        self.keys: list[str] = list(context.partition_keys)
        self.sources = catalog.source_rows(self.keys)
        self.failures: dict[str, str] = {}
        self.reused: set[str] = set()
        self._steps: list[dict[str, Any]] = []
        self._metadata: dict[str, dict[str, Any]] = {}
        self._existing = self._existing_versions()
        self._unrecorded: list[tuple[dict[str, Any], bytes, StagedPayload]] = []
        self._staged_bytes = 0

    # -- reading -----------------------------------------------------------------------------

    def upstream(self, kind: str, keys: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Current upstream artifacts; a partition without one fails with a clear reason."""
        wanted = list(keys if keys is not None else self.pending())
        rows = current_artifacts(self.catalog, kind, wanted)
        for key in wanted:
            if key not in rows:
                self.fail(key, f"no current {kind} artifact: materialize {kind} for this partition first")
        return rows

    def read_bytes(self, row: dict[str, Any], suffix: str = "") -> bytes:
        key = store_key_of(self.store, row["payload_uri"])
        if suffix:
            key = key.rsplit(".", 1)[0] + suffix
        return self.store.read_bytes(key)

    def read_json(self, row: dict[str, Any]) -> Any:
        return json.loads(self.read_bytes(row))

    # -- what to do --------------------------------------------------------------------------

    def pending(self) -> list[str]:
        """Partitions that have not failed yet in this batch."""
        return [key for key in self.keys if key not in self.failures]

    def applicable(self, modalities: Collection[str]) -> list[str]:
        """The pending partitions whose source is of one of `modalities`.

        A batched run materializes every partition of its range for every selected asset, so a
        photo's partition of `transcript` is materialized too, with no artifact. Its metadata says
        so (`applicable: false` and why), instead of an empty materialization in the UI.
        """
        keys = []
        for key in self.pending():
            modality = self.sources[key]["modality"]
            if modality in modalities:
                keys.append(key)
            else:
                self.metadata(key, applicable=False, reason=f"{self.kind} is not made for {modality} sources")
        return keys

    def run_model(self, inputs: dict[str, Any], call: Callable[[list[Any]], Sequence[Any]]) -> dict[str, Any]:
        """One batched model call; if it raises, item by item, so only the bad items fail."""
        if not inputs:
            return {}
        keys = list(inputs)
        try:
            return dict(zip(keys, call([inputs[key] for key in keys]), strict=True))
        except Exception:  # noqa: BLE001 - find the bad item(s) and keep the rest
            results = {}
            for key in keys:
                with self.guard(key):
                    results[key] = call([inputs[key]])[0]
            return results

    def existing(self, key: str, digest: str) -> dict[str, Any] | None:
        """The artifact at this exact version key, if it was already written (no model work then)."""
        return self._existing.get((key, digest))

    def _existing_versions(self) -> dict[tuple[str, str], dict[str, Any]]:
        query = sa.select(derived_artifact).where(
            derived_artifact.c.kind == self.kind,
            derived_artifact.c.pipeline_version == self.pipeline_version,
            derived_artifact.c.model_id == self.model_id,
            derived_artifact.c.source_hash.in_(self.keys),
        )
        with self.catalog.engine.connect() as conn:
            return {(row.source_hash, row.input_digest): dict(row._mapping) for row in conn.execute(query)}

    # -- writing -----------------------------------------------------------------------------

    def write(
        self,
        key: str,
        payload: bytes,
        ext: str,
        digest: str,
        *,
        region: dict[str, Any] | None = None,
        attributes: dict[str, Any] | None = None,
        side_files: dict[str, bytes] | None = None,
    ) -> dict[str, Any]:
        """Stage the payload (and side files such as page images) and its catalog row; `flush` stores
        the files, then inserts the row."""
        known = self.existing(key, digest)
        if known is not None:
            self.reused.add(key)
            return known
        main_key = payload_key(self.kind, key, self.pipeline_version, self.model_id, digest, ext)
        files = [(main_key.rsplit(".", 1)[0] + suffix, data) for suffix, data in (side_files or {}).items()]
        staged = StagedPayload((*files, (main_key, payload)))
        source = self.sources[key]
        row = {
            "artifact_id": new_id(),
            "source_id": source["source_id"],
            "source_hash": key,
            "tenant_id": source["tenant_id"],
            "kind": self.kind,
            "pipeline_name": PIPELINE_NAME,
            "pipeline_version": self.pipeline_version,
            "model_id": self.model_id,
            "payload_uri": store_relative_uri(main_key),
            "region": region,
            "attributes": attributes,
            "created_at": utcnow(),
            "superseded_by": None,
            "status": "current",
            "input_digest": digest,
        }
        self._record(row, payload, staged)
        self._existing[(key, digest)] = row
        return row

    def write_json(self, key: str, value: Any, digest: str, **kwargs: Any) -> dict[str, Any]:
        return self.write(key, json.dumps(value, separators=(",", ":")).encode(), "json", digest, **kwargs)

    def _record(self, row: dict[str, Any], payload: bytes, staged: StagedPayload) -> None:
        """Queue the row and its staged files; `flush` stores the files, then inserts the rows in one transaction."""
        self._unrecorded.append((row, payload, staged))
        self._staged_bytes += staged.size
        if len(self._unrecorded) >= FLUSH_EVERY or self._staged_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Store the queued payloads, then insert their rows; each supersedes the current artifact unless
        its comparison says review.

        A payload the store refuses, or a comparison that raises, fails its own partition; a catalog
        error fails the queued ones (their payloads stay, and the next run finds no row and writes it).
        """
        queued, self._unrecorded, self._staged_bytes = self._publish(self._unrecorded), [], 0
        if not queued:
            return
        current = current_artifacts(self.catalog, self.kind, [row["source_hash"] for row, _ in queued])
        rows = []
        for row, payload in queued:
            with self.guard(row["source_hash"]):
                self._annotate(row, current.get(row["source_hash"]), payload)
                rows.append(row)
        try:
            with self.catalog.engine.begin() as conn:
                inserted = insert_new_artifacts(conn, rows)
                fault_point("artifacts.catalog_flush")
                for row in inserted:
                    previous = current.get(row["source_hash"])
                    if row["status"] == "current" and previous is not None:
                        supersede(conn, previous["artifact_id"], row["artifact_id"])
        except sa.exc.SQLAlchemyError as exc:
            for row in rows:
                self.fail(row["source_hash"], f"catalog write failed: {type(exc).__name__}: {exc}")
            return
        for row in inserted:
            if row["status"] == "candidate":
                comparison = row["attributes"]["comparison"]
                open_review(self.catalog, row, f"upgrade past tolerance: {comparison['reason']}", comparison)

    def _publish(self, queued: list[tuple[dict[str, Any], bytes, StagedPayload]]) -> list[tuple[dict[str, Any], bytes]]:
        """Store the queued payloads, all at once; the rows whose payloads are in place, with them."""
        errors = publish_all(self.store, [staged for _, _, staged in queued])
        published = []
        for (row, payload, _staged), error in zip(queued, errors, strict=True):
            if error is not None:
                with self.guard(row["source_hash"]):  # logged and failed as if raised while writing
                    raise error
                continue
            fault_point("artifacts.payload_written")
            published.append((row, payload))
        return published

    def _annotate(self, row: dict[str, Any], previous: dict[str, Any] | None, payload: bytes) -> None:
        """Put the comparison with the current artifact on the row; past tolerance it becomes a candidate."""
        comparison = self._compare(previous, payload)
        if comparison is None:
            return
        row["attributes"] = {**(row["attributes"] or {}), "comparison": comparison.as_json()}
        row["attributes"]["comparison"]["compared_to"] = previous["artifact_id"]
        if not comparison.within_tolerance:
            row["status"] = "candidate"

    def _compare(self, previous: dict[str, Any] | None, payload: bytes) -> Any:
        """Compare with the current artifact when this is a new code or model version of it: a
        `Comparison` (operations/compare.py), or None."""
        if previous is None or self.policy is None or self.comparator is None:
            return None
        if (previous["pipeline_version"], previous["model_id"]) == (self.pipeline_version, self.model_id):
            return None  # same versions, new inputs: the upstream change was compared where it happened
        return self.comparator(self.read_bytes(previous), payload, self.policy)

    # -- accounting --------------------------------------------------------------------------

    def fail(self, key: str, reason: str) -> None:
        if key not in self.failures:
            self.failures[key] = reason
            self.step(key, "failed", Effort(), reason=reason)

    @contextmanager
    def guard(self, key: str) -> Iterator[None]:
        """Any exception while handling `key` fails that partition only."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - one bad item must not fail the batch
            # the reason names the error; the traceback goes to the run's log (the UI shows it), or a failure
            # on one document is a message nobody can trace to a line
            self.context.log.error(
                f"{self.context.asset_key.to_user_string()} failed for partition {key}:\n{traceback.format_exc()}"
            )
            self.fail(key, f"{type(exc).__name__}: {exc}")

    def step(
        self,
        key: str,
        outcome: str,
        effort: Effort,
        cost: StepCost | None = None,
        step_name: str | None = None,
        **details: Any,
    ) -> None:
        """One processing step of `key` (named after the kind, or `step_name` for a sub-step): what it
        spent (`effort`), its units and price (`cost`)."""
        source = self.sources.get(key) or {}
        cost = cost or StepCost()
        self._steps.append(
            {
                "step_id": new_id(),
                "run_id": self.context.run.run_id,
                "source_hash": key,
                "step": step_name or self.kind,
                "outcome": outcome,
                "ms": round(effort.ms, 2),
                "details": details or None,
                "created_at": utcnow(),
                "tenant_id": source.get("tenant_id"),
                "modality": source.get("modality"),
                "cpu_s": round(effort.cpu_s, 6),
                "units": cost.units,
                "unit": cost.unit,
                "model_calls": round(effort.model_calls, 4),
                "cost_usd": round(cost.usd, 8),
            }
        )

    def metadata(self, key: str, **values: Any) -> None:
        self._metadata.setdefault(key, {}).update(values)

    def finish(self, **batch_metadata: Any) -> dg.MaterializeResult:
        """Record rows, steps and per-partition metadata; raise if any partition failed."""
        self.flush()
        self.catalog.insert_rows(processing_step, self._steps)
        fault_point("artifacts.step_done")
        for values in self._metadata.values():
            values.setdefault("pipeline_version", self.pipeline_version)
            values.setdefault("model_id", self.model_id)
        add_partition_metadata(
            self.context, {key: values for key, values in self._metadata.items() if key not in self.failures}
        )
        raise_if_any_failed(self.kind, self.failures)
        figures = self.figures(self.context.asset_key, **batch_metadata)
        if self.context.run.tags.get(FIGURES_TAG) == FIGURES_AFTER_RUN:
            with _DEFERRED_LOCK:
                DEFERRED_FIGURES.setdefault(self.context.run.run_id, []).append(figures)
        else:
            self.context.log_event(figures.observation(self.catalog))
        # No run-level metadata here: Dagster copies it onto every partition's materialization, where
        # a batch's numbers would read as that partition's (or, in the UI's overview, the asset's).
        return dg.MaterializeResult()

    def figures(self, asset_key: dg.AssetKey, **asset_metadata: Any) -> DeferredFigures:
        """What this batch did, for the asset's census observation (`DeferredFigures.observation`)."""
        return DeferredFigures(
            asset_key=asset_key.to_user_string(),
            kind=self.kind,
            active_version=f"{self.pipeline_version}+{self.model_id or ''}",
            partitions=len(self.keys),
            reused=len(self.reused),
            metadata=dict(asset_metadata),
        )


@dataclass(frozen=True)
class DeferredFigures:
    """One asset's census observation, not yet made: what a batch did (plain JSON values, so the server
    can journal it before answering and report it after a crash) and, when made, the catalog's census."""

    asset_key: str  # user string, "ocr"
    kind: str
    active_version: str
    partitions: int
    reused: int
    metadata: dict[str, Any]

    def observation(self, catalog: CatalogResource) -> dg.AssetObservation:
        """As an observation without a partition: current artifacts of this kind per version (one GROUP BY
        over the catalog, as of now), and what the run did."""
        census = version_census(catalog, self.kind, self.active_version)
        return dg.AssetObservation(
            asset_key=dg.AssetKey.from_user_string(self.asset_key),
            description=census.summary(),
            metadata={
                "current_artifacts": sum(census.by_version.values()),
                "artifacts_by_version": dg.MetadataValue.json(census.by_version),
                "artifacts_behind": sum(census.behind.values()),
                "active_version": census.active,
                "last_run_partitions": self.partitions,
                "last_run_reused_without_model_work": self.reused,
                **self.metadata,
            },
        )

    def to_json(self) -> dict[str, Any]:
        # batch metadata is plain numbers and strings; anything else is journalled as its text
        return json.loads(json.dumps(self.__dict__, default=str))

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> DeferredFigures:
        return cls(**{name: values[name] for name in cls.__dataclass_fields__})


DEFERRED_FIGURES: dict[str, list[DeferredFigures]] = {}


@dataclass(frozen=True)
class Effort:
    """What one step spent: wall milliseconds, process CPU seconds (every thread of the process, so
    a model's worker threads count) and model calls."""

    ms: float = 0.0
    cpu_s: float = 0.0
    model_calls: float = 0.0

    def share(self, parts: int) -> Effort:
        """This effort split evenly over `parts` partitions (one batched model call made for them all)."""
        parts = max(parts, 1)
        return Effort(self.ms / parts, self.cpu_s / parts, self.model_calls / parts)


@dataclass(frozen=True)
class StepCost:
    """A step's units of work (pages, images, seconds of media, characters) and its price in USD."""

    units: float = 0.0
    unit: str = ""
    usd: float = 0.0


class Stopwatch:
    """Wall milliseconds and process CPU seconds spent in a block, for processing steps; with
    `calls` (a counter of model calls), also the model calls made in it."""

    def __init__(self, calls: Callable[[], int] | None = None) -> None:
        self._calls = calls

    def __enter__(self) -> Stopwatch:
        self._calls_before = self._calls() if self._calls else 0
        self._cpu_start = time.process_time()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.ms = (time.perf_counter() - self.start) * 1000
        self.cpu_s = time.process_time() - self._cpu_start
        self.model_calls = (self._calls() - self._calls_before) if self._calls else 0

    @property
    def effort(self) -> Effort:
        return Effort(self.ms, self.cpu_s, self.model_calls)


def take_deferred_figures(run_id: str) -> list[DeferredFigures]:
    """The census observations a FIGURES_AFTER_RUN run left, taken out of DEFERRED_FIGURES."""
    with _DEFERRED_LOCK:
        return DEFERRED_FIGURES.pop(run_id, [])


def report_figures(instance: dg.DagsterInstance, catalog: CatalogResource, figures: Sequence[DeferredFigures]) -> int:
    """Report census observations (runless, each census as of now); how many."""
    for figure in figures:
        instance.report_runless_asset_event(figure.observation(catalog))
    return len(figures)
