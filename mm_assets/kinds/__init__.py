"""One module per artifact kind, each exporting its `SPEC`; KIND_MODULES is the one list of them.

Adding a kind is one new module and one line here. Everything else that lists kinds (the
definitions, model pools, comparators, step order, fsck's payload files, the tests' kind lists)
reads the specs.
"""

from __future__ import annotations

from mm_assets.kind_spec import ArtifactKind, Comparator, graph_order
from mm_assets.kinds import (
    audio,
    audio_fingerprint,
    caption,
    fields,
    keyframe_embedding,
    keyframes,
    layout,
    ocr,
    pages,
    pii,
    processing_event,
    redacted_audio,
    redacted_transcript,
    search_index,
    source_media,
    table,
    text_embedding,
    thumbnail,
    transcript,
    transcript_embedding,
    visual_embedding,
)

# In graph order: each kind after the kinds it is made from.
KIND_MODULES = (
    source_media,
    pages,
    ocr,
    layout,
    table,
    fields,
    pii,
    thumbnail,
    caption,
    visual_embedding,
    text_embedding,
    audio,
    transcript,
    redacted_transcript,
    redacted_audio,
    transcript_embedding,
    audio_fingerprint,
    keyframes,
    keyframe_embedding,
    search_index,
    processing_event,
)


def all_kinds() -> list[ArtifactKind]:
    """Every kind's spec, read from its module when called (a test may replace one)."""
    return [module.SPEC for module in KIND_MODULES]


def kind_names(*groups: str) -> list[str]:
    """The kinds in graph order; with `groups`, only the kinds of those Dagster groups."""
    return [spec.name for spec in all_kinds() if not groups or spec.group in groups]


# Model-heavy kinds -> the Dagster pool (concurrency key) of the model they load.
MODEL_POOLS = {spec.name: spec.pool for spec in all_kinds() if spec.pool}
COMPARATORS: dict[str, Comparator] = {spec.name: spec.comparator for spec in all_kinds() if spec.comparator}
STEP_ORDER = tuple(graph_order(all_kinds()))


def payload_side_files() -> tuple[str, ...]:
    """Every side-file suffix a kind writes beside its payload (fsck keeps them with their payload)."""
    return tuple(sorted({suffix for spec in all_kinds() for suffix in spec.side_files}))
