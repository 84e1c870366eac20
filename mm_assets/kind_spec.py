"""What one artifact kind is, in one place: each kind module exports an `ArtifactKind` as `SPEC`.

The shared builder (kind_builder.py) turns a spec into its Dagster asset and checks; the model
pools, comparators, step order, fsck's payload files and the tests' kind lists are read from the
specs (mm_assets/kinds/__init__.py), so a kind's facts are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg

from mm_assets.artifacts import ArtifactBatch, Effort, StepCost, Stopwatch, code_version
from mm_assets.kind_checks import KindCheck
from mm_assets.settings import Settings
from resources.upgrade_policy import UpgradePolicy

# The Dagster pool (concurrency key) of each model role: a kind runs in its first role's pool.
ROLE_POOLS = {
    "ocr_runner": "ocr_model",
    "pii_detector": "pii_model",
    "face_detector": "pii_model",  # the face pass runs inside the pii step
    "captioner": "caption_model",
    "embedder": "embedder_model",
    "speech_recognizer": "asr_model",
    "layout_detector": "layout_model",
    "table_recognizer": "table_model",
}
# Sources with a time axis; a kind for these alone sits in the "audio_video" asset group.
AV_MODALITIES = ("audio", "video")
# Sources with pages of print; a kind for these alone sits in the "documents" asset group.
DOCUMENT_MODALITIES = ("document", "image")
# A side file named per page: ".p0001.png" for page 1 (pages and the pii asset's redacted pages).
PAGE_IMAGES = ".p####.png"
# A model resource's methods that answer questions about the model and run none of it.
NOT_MODEL_CALLS = frozenset({"model_id", "dim"})


def source_units(source: dict[str, Any]) -> tuple[float, str]:
    """The units of work a source is: its pages, one image, or its seconds of audio or video."""
    gate = source.get("gate") or {}
    modality = source.get("modality")
    if modality == "document":
        return float(gate.get("pages") or 1), "pages"
    if modality in ("audio", "video"):
        return float(gate.get("seconds") or 0.0), "seconds"
    return 1.0, "images"


Comparator = Callable[[bytes, bytes, UpgradePolicy], Any]


@dataclass(frozen=True)
class Made:
    """What making one partition reports: processing-step details, and the partition's Dagster
    metadata (the step details when None)."""

    step: dict[str, Any]
    metadata: dict[str, Any] | None = None
    units: float | None = None  # in the kind's own unit (ArtifactKind.unit); None: the source's units


@dataclass(frozen=True)
class KindBuild:
    """What a kind is built with: the settings, the model ids of its roles and of itself, and the
    order of every kind in the graph."""

    settings: Settings
    role_ids: Mapping[str, str]
    model_id: str
    step_order: tuple[str, ...] = ()


@dataclass
class KindRun:
    """One kind over the partitions of one run, as its `make` function sees it."""

    spec: ArtifactKind
    build: KindBuild
    context: dg.AssetExecutionContext
    resources: Any  # the run's resources by key: catalog, media_store, the model roles, ...
    batch: ArtifactBatch  # None only for a kind that is not batched (source_media)
    inputs: dict[str, dict[str, dict[str, Any]]]
    digests: dict[str, str]
    model_calls: int = 0  # calls made so far through `model()`, for the steps' accounting

    @property
    def todo(self) -> list[str]:
        """The partitions to make: no artifact at this version key yet (or all, for kinds that
        always write)."""
        return list(self.digests)

    @property
    def settings(self) -> Settings:
        return self.build.settings

    @property
    def model_id(self) -> str:
        return self.build.model_id

    def model(self, role: str) -> Any:
        """The model resource of `role`, its calls counted on this run."""
        return CountedModel(getattr(self.resources, role), self)

    def stopwatch(self) -> Stopwatch:
        """Wall time, CPU time and this run's model calls spent in a block."""
        return Stopwatch(calls=lambda: self.model_calls)

    def input(self, kind: str, key: str) -> dict[str, Any]:
        return self.inputs[kind][key]

    def load(self, read: Callable[[str], Any]) -> dict[str, Any]:
        """`read(key)` for every partition to make; a partition whose read raises fails alone."""
        loaded = {}
        for key in self.todo:
            with self.batch.guard(key):
                loaded[key] = read(key)
        return {key: value for key, value in loaded.items() if key not in self.batch.failures}

    def record(self, key: str, effort: Effort, make: Callable[[], Made]) -> None:
        """Write one partition's artifact with `make`, then its processing step and metadata."""
        with self.batch.guard(key):
            self.report(key, effort, make())

    def report(self, key: str, effort: Effort, made: Made) -> None:
        cost = self.step_cost(key, effort, made)
        self.batch.step(key, "ok", effort, cost, **made.step)
        metadata = made.step if made.metadata is None else made.metadata
        self.batch.metadata(key, **metadata, cpu_s=round(effort.cpu_s, 4), cost_usd=round(cost.usd, 8))

    def step_cost(self, key: str, effort: Effort, made: Made) -> StepCost:
        """The step's units (the kind's own, or the source's) and its price from the settings."""
        if self.spec.unit is not None and made.units is not None:
            units, unit = made.units, self.spec.unit
        else:
            units, unit = source_units(self.batch.sources.get(key) or {})
        usd = self.settings.prices.cost_usd(self.spec.name, effort.cpu_s, units)
        return StepCost(round(units, 3), unit, usd)


class CountedModel:
    """A model resource whose method calls count on the run (each step's `model_calls`)."""

    def __init__(self, model: Any, run: KindRun) -> None:
        self._model, self._run = model, run

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._model, name)
        if name in NOT_MODEL_CALLS or not callable(value):
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            self._run.model_calls += 1
            return value(*args, **kwargs)

        return counted


Make = Callable[[KindRun], "dict[str, Any] | None"]


def each_partition(make_one: Callable[[KindRun, str], Made]) -> Make:
    """A kind that makes each partition on its own, timed one by one."""

    def make(run: KindRun) -> None:
        for key in run.todo:
            with run.batch.guard(key):
                with run.stopwatch() as watch:
                    made = make_one(run, key)
                run.report(key, watch.effort, made)

    return make


def model_batch(
    read: Callable[[KindRun, str], Any],
    call: Callable[[KindRun, list[Any]], Sequence[Any]],
    write: Callable[[KindRun, str, Any], Made],
) -> Make:
    """A kind that reads each partition's input, makes all of them in one model call (item by item
    if that raises) and writes each result."""

    def make(run: KindRun) -> None:
        inputs = run.load(lambda key: read(run, key))
        with run.stopwatch() as watch:
            results = run.batch.run_model(inputs, lambda items: call(run, items))
        for key, result in results.items():
            run.record(key, watch.effort.share(len(results)), lambda key=key, result=result: write(run, key, result))

    return make


@dataclass(frozen=True)
class ArtifactKind:
    """One artifact kind: its place in the graph, its versions, models, comparison and payload files."""

    name: str
    upstream: tuple[str, ...]  # the Dagster deps
    logic_version: str
    description: str | Callable[[KindBuild], str]
    make: Make  # makes the artifacts of the run's partitions; returns batch metadata or None
    group: str | None = None  # its Dagster asset group (None: from its modalities, see group_name)
    dagster_kinds: frozenset[str] | None = None  # its tags in the Dagster UI (None: see kind_tags)
    modalities: tuple[str, ...] | None = None  # the source modalities it applies to (None: all)
    # The upstream kinds whose current artifacts the builder reads for each partition and digests
    # into its version key (None: every upstream kind).
    inputs: tuple[str, ...] | None = None
    reuse: bool = True  # False: write every partition, even one already made at this version key
    model_roles: tuple[str, ...] = ()  # the model resources it calls; the first sets its pool
    # Its model id: fixed, or from the settings and its roles' model ids (None: the roles' ids, "+"-joined).
    model: str | Callable[[Settings, Mapping[str, str]], str] | None = None
    versioned: bool = True  # False: the code version is the logic version alone
    comparator: Comparator | None = None  # compares a new version with the current one
    payload: str = "json"  # the payload's extension
    side_files: tuple[str, ...] = ()  # files beside the payload (suffixes of its stem)
    index_channels: tuple[str, ...] = ()  # the search-index channels or chunk kinds it feeds
    resources: tuple[str, ...] = ()  # other resources it needs besides catalog and media_store
    checks: tuple[KindCheck, ...] = ()
    batched: bool = True  # False: `make` does all its own work, without an ArtifactBatch
    # The unit its `Made.units` count (e.g. "characters"); None: the source's pages, images or seconds.
    unit: str | None = None

    @property
    def group_name(self) -> str:
        """The stated group, else the one its modalities make it part of."""
        if self.group is not None:
            return self.group
        if self.modalities and set(self.modalities) <= set(AV_MODALITIES):
            return "audio_video"
        if self.modalities and set(self.modalities) <= set(DOCUMENT_MODALITIES):
            return "documents"
        raise ValueError(f"{self.name}: a kind for every modality states its group")

    @property
    def kind_tags(self) -> frozenset[str]:
        """The stated tags, else what its payload holds: the embedder's vectors, or the payload format."""
        if self.dagster_kinds is not None:
            return self.dagster_kinds
        if self.payload == "npy" and "embedder" in self.model_roles:
            return frozenset({"embedding"})
        return frozenset({self.payload})

    @property
    def pool(self) -> str | None:
        return ROLE_POOLS[self.model_roles[0]] if self.model_roles else None

    def input_kinds(self) -> tuple[str, ...]:
        return self.upstream if self.inputs is None else self.inputs

    def model_id(self, settings: Settings, role_ids: Mapping[str, str]) -> str:
        if isinstance(self.model, str):
            return self.model
        if self.model is not None:
            return self.model(settings, role_ids)
        return "+".join(role_ids[role] for role in self.model_roles)

    def code_version(self, model_id: str) -> str:
        return code_version(self.logic_version, model_id) if self.versioned else self.logic_version

    def describe(self, build: KindBuild) -> str:
        return self.description if isinstance(self.description, str) else self.description(build)


def graph_order(specs: Sequence[ArtifactKind]) -> list[str]:
    """Kind names with every kind after its upstream kinds (list order where the graph allows)."""
    placed: list[str] = []
    waiting = list(specs)
    while waiting:
        ready = next((s for s in waiting if all(u in placed for u in s.upstream)), None)
        if ready is None:
            raise ValueError(f"kinds with upstream kinds that are missing or in a cycle: {[s.name for s in waiting]}")
        placed.append(ready.name)
        waiting.remove(ready)
    return placed
