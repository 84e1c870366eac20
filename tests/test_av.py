"""Audio and video through the whole graph: real decoding, real ASR, real redaction, one shared run.

The clips are made here: espeak-ng speaks a sentence with a (fake) name and phone number, PyAV
encodes it as MP3 and as the sound track of a video showing two scikit-image photos.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.definitions import build_definitions
from mm_assets.kinds import kind_names
from mm_assets.kinds.audio_fingerprint import fingerprint, fingerprint_from_bytes, similarity
from mm_assets.kinds.pages import page_suffix
from mm_assets.operations.av_samples import silence, speak, write_audio, write_video
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings, load_settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.av_decoder import samples_from_wav
from resources.catalog import CatalogResource, review_item
from resources.media_store import LocalBlobStore

pytestmark = pytest.mark.slow

SPOKEN = "hello my name is Dana Whitfield and my phone number is five five five two one three four five six seven"
PLANTED_WORDS = ["dana", "whitfield", "5552134567", "555-213-4567", "555 213 4567"]
VIDEO_SPEECH = "the astronaut stands beside the flag, then a camera man appears"
AV_KINDS = kind_names("audio_video")
DOC_KINDS = kind_names("documents", "previews", "semantics")
ALL_ASSETS = kind_names()


@dataclass
class AvBuilt:
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance
    catalog: CatalogResource
    store: LocalBlobStore
    keys: dict[str, str]
    run_ids: list[str]


def materialize(built: AvBuilt, defs: dg.Definitions, kinds: list[str]):  # type: ignore[no-untyped-def]
    return materialize_partitions(
        defs, built.instance, [dg.AssetKey(k) for k in kinds], list(built.keys.values()), batch_size=50
    )


@pytest.fixture(scope="module")
def av_built(tmp_path_factory: pytest.TempPathFactory) -> AvBuilt:
    root = tmp_path_factory.mktemp("av_graph")
    media = root / "media"
    media.mkdir()
    voice = np.concatenate([silence(0.3), speak(SPOKEN), silence(0.5)])
    write_audio(media / "call.mp3", voice, "libmp3lame")
    # the same call as FLAC: a near duplicate whose bytes (and so content hash) differ
    write_audio(media / "call-copy.flac", voice, "flac")
    scenes = [(Image.fromarray(skdata.astronaut()), 3.0), (Image.fromarray(skdata.camera()), 3.0)]
    write_video(media / "tour.mp4", scenes, sound=speak(VIDEO_SPEECH))
    settings = load_settings({"MM_HOME": str(root / "home")})
    catalog = CatalogResource(url=settings.catalog_url)
    store = LocalBlobStore(settings.store_root)
    report = ingest_paths([media], catalog=catalog, store=store, caps=settings.caps, options=IngestOptions(tenant="t1"))
    assert not report.rejected, report.rejected
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    keys = {Path(item["path"]).name: item["content_hash"] for item in report.accepted}
    built = AvBuilt(settings, build_definitions(settings), instance, catalog, store, keys, [])
    result = materialize(built, built.defs, ALL_ASSETS)
    assert result.failed == {}, result.failed
    built.run_ids = result.run_ids
    return built


def payload(built: AvBuilt, row: dict, suffix: str = "") -> bytes:
    key = store_key_of(built.store, row["payload_uri"])
    return built.store.read_bytes(key.rsplit(".", 1)[0] + suffix if suffix else key)


def current(built: AvBuilt, kind: str, name: str) -> dict:
    return current_artifacts(built.catalog, kind, [built.keys[name]])[built.keys[name]]


def test_modalities_are_recorded_and_every_av_kind_is_materialized(av_built: AvBuilt) -> None:
    sources = av_built.catalog.source_rows(list(av_built.keys.values()))
    assert {name: sources[key]["modality"] for name, key in av_built.keys.items()} == {
        "call.mp3": "audio",
        "call-copy.flac": "audio",
        "tour.mp4": "video",
    }
    status = collect_status(av_built.defs, av_built.instance)
    for kind in AV_KINDS + DOC_KINDS:
        assert not status[kind].failed and not status[kind].stale, kind


def test_audio_is_16k_mono_and_the_transcript_has_timed_words(av_built: AvBuilt) -> None:
    samples, rate = samples_from_wav(payload(av_built, current(av_built, "audio", "call.mp3")))
    assert rate == 16_000 and 0.85 <= float(np.abs(samples).max()) <= 0.91
    transcript = json.loads(payload(av_built, current(av_built, "transcript", "call.mp3")))
    words = transcript["words"]
    assert "phone" in transcript["text"].lower() and "name" in transcript["text"].lower()
    assert all(0 <= w["t_start"] <= w["t_end"] <= transcript["seconds"] + 0.5 for w in words)
    assert [w["t_start"] for w in words] == sorted(w["t_start"] for w in words)
    assert words[-1]["t_end"] > transcript["seconds"] - 1.5  # the words span the speech, not just its start


def test_spoken_phone_number_and_name_are_redacted_in_text_and_silenced_in_sound(av_built: AvBuilt) -> None:
    redacted = json.loads(payload(av_built, current(av_built, "redacted_transcript", "call.mp3")))
    text = redacted["text"].lower()
    assert "[phone]" in text and "[person]" in text
    assert not any(planted in text for planted in PLANTED_WORDS)
    kinds = {r["kind"] for r in redacted["redactions"]}
    assert {"phone", "person"} <= kinds
    original, rate = samples_from_wav(payload(av_built, current(av_built, "audio", "call.mp3")))
    silenced, _ = samples_from_wav(payload(av_built, current(av_built, "redacted_audio", "call.mp3")))
    phone = next(r for r in redacted["redactions"] if r["kind"] == "phone")
    span = slice(int(phone["t_start"] * rate), int(phone["t_end"] * rate))
    assert np.abs(original[span]).max() > 0.1 and np.abs(silenced[span]).max() == 0.0
    assert np.abs(silenced[: int(0.8 * rate)] - original[: int(0.8 * rate)]).max() < 1e-3  # the rest is kept


def test_transcript_windows_carry_times_and_only_redacted_text(av_built: AvBuilt) -> None:
    row = current(av_built, "transcript_embedding", "call.mp3")
    windows = json.loads(payload(av_built, row, ".windows.json"))
    vectors = np.load(io.BytesIO(payload(av_built, row)))
    assert len(windows) == vectors.shape[0] >= 1
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    for window in windows:
        assert window["t_start"] < window["t_end"]
        assert not any(planted in window["text"].lower() for planted in PLANTED_WORDS)


def test_keyframes_are_pages_with_times_that_flow_through_ocr_and_captions(av_built: AvBuilt) -> None:
    index = json.loads(payload(av_built, current(av_built, "keyframes", "tour.mp4")))
    times = [frame["t"] for frame in index["frames"]]
    assert times[:3] == pytest.approx([0.0, 2.0, 3.0], abs=0.15)  # 2 s ticks, and the cut at 3 s
    assert {frame["reason"] for frame in index["frames"]} == {"interval", "scene_change"}
    assert all(0 <= t <= index["seconds"] for t in times)
    manifest = json.loads(payload(av_built, current(av_built, "pages", "tour.mp4")))
    assert [p["t"] for p in manifest["pages"]] == times
    for kind in ("ocr", "pii", "caption", "visual_embedding", "thumbnail"):
        assert current(av_built, kind, "tour.mp4")["status"] == "current", kind
    thumbnail = Image.open(io.BytesIO(payload(av_built, current(av_built, "thumbnail", "tour.mp4"))))
    assert max(thumbnail.size) <= 256


def test_every_keyframe_has_a_caption_a_visual_vector_and_a_time_span(av_built: AvBuilt) -> None:
    row = current(av_built, "keyframe_embedding", "tour.mp4")
    frames = json.loads(payload(av_built, row, ".frames.json"))
    vectors = np.load(io.BytesIO(payload(av_built, row)))
    assert len(frames) == vectors.shape[0] >= 3
    assert all(f["t_start"] < f["t_end"] for f in frames) and frames[-1]["t_end"] == pytest.approx(6.0, abs=0.2)
    astronaut = [f for f in frames if f["t_start"] < 3.0]
    camera = [f for f in frames if f["t_start"] >= 3.0 - 0.15]
    assert astronaut and camera and astronaut[0]["caption"] != camera[-1]["caption"]


def test_audio_has_a_waveform_page(av_built: AvBuilt) -> None:
    manifest = json.loads(payload(av_built, current(av_built, "pages", "call.mp3")))
    assert [p["reason"] for p in manifest["pages"]] == ["waveform"]
    image = Image.open(io.BytesIO(payload(av_built, current(av_built, "pages", "call.mp3"), page_suffix(1))))
    pixels = np.asarray(image.convert("L"))
    assert pixels.min() < 128 < pixels.max()  # a drawn wave on white


def test_checks_pass_per_partition(av_built: AvBuilt) -> None:
    results, descriptions = {}, {}
    for run_id in av_built.run_ids:
        records = av_built.instance.get_records_for_run(
            run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        for record in records:
            evaluation = record.event_log_entry.dagster_event.event_specific_data
            if evaluation.partition is not None:
                results[(evaluation.check_name, evaluation.partition)] = evaluation.passed
                descriptions[(evaluation.check_name, evaluation.partition)] = evaluation.description
    call, tour = av_built.keys["call.mp3"], av_built.keys["tour.mp4"]
    assert results[("transcript_quality", call)] is True
    assert results[("transcript_quality", tour)] is True
    assert results[("pii_redaction_coverage", call)] is True  # the transcript's coverage check
    assert results[("keyframe_timestamps", tour)] is True
    # Audio has no frames to check: not applicable, and the UI says why (not a bare "Skipped").
    assert results[("keyframe_timestamps", call)] is True
    assert descriptions[("keyframe_timestamps", call)] == "not applicable: keyframes is not made for audio sources"


def test_near_duplicate_recordings_are_found_and_different_speech_is_not(av_built: AvBuilt) -> None:
    def bits(name: str) -> np.ndarray:
        return fingerprint_from_bytes(payload(av_built, current(av_built, "audio_fingerprint", name)))

    assert similarity(bits("call.mp3"), bits("call-copy.flac")) >= 0.75
    assert similarity(bits("call.mp3"), bits("tour.mp4")) < 0.7
    record = av_built.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("audio_fingerprint"), asset_partitions=[av_built.keys["call.mp3"]]),
        limit=1,
    ).records[0]
    duplicates = record.asset_materialization.metadata["near_duplicates"].value
    assert [d["content_hash"] for d in duplicates] == [av_built.keys["call-copy.flac"]]


def test_a_quiet_recording_is_sent_to_review_by_transcript_quality(av_built: AvBuilt, tmp_path: Path) -> None:
    # Fingerprints of one tone and of noise differ: a sanity check of the fingerprint itself.
    tone = np.sin(np.arange(32_000) * 2 * np.pi * 440 / 16_000).astype(np.float32)
    noise = np.random.default_rng(3).normal(0, 0.3, 32_000).astype(np.float32)
    assert similarity(fingerprint(tone), fingerprint(noise)) < 0.7
    quiet = np.concatenate([silence(4.0), 0.5 * speak("yes"), silence(4.0)])
    path = write_audio(tmp_path / "quiet.wav", quiet)
    report = ingest_paths(
        [path],
        catalog=av_built.catalog,
        store=av_built.store,
        caps=av_built.settings.caps,
        options=IngestOptions(tenant="t1"),
    )
    key = report.new_partition_keys[0]
    av_built.instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, [key])
    result = materialize_partitions(
        av_built.defs, av_built.instance, [dg.AssetKey(k) for k in ("audio", "transcript")], [key], batch_size=5
    )
    assert result.failed == {}
    with av_built.catalog.engine.connect() as conn:
        reasons = [row.reason for row in conn.execute(review_item.select().where(review_item.c.source_hash == key))]
    assert any(reason.startswith("transcript_quality: silence ratio") for reason in reasons), reasons


def test_an_asr_upgrade_marks_only_the_transcript_and_what_is_made_from_it_stale(av_built: AvBuilt) -> None:
    upgraded_settings = av_built.settings.with_overrides(asr_engine="pocketsphinx", tolerance_transcript_wer=1.0)
    upgraded = build_definitions(upgraded_settings)
    graph = upgraded.resolve_asset_graph()
    old_graph = av_built.defs.resolve_asset_graph()
    changed = {
        key.to_user_string()
        for key in graph.materializable_asset_keys
        if graph.get(key).code_version != old_graph.get(key).code_version
    }
    assert changed == {"transcript"}
    status = collect_status(upgraded, av_built.instance)
    call = av_built.keys["call.mp3"]
    assert call in status["transcript"].stale
    assert not any(call in status[kind].stale for kind in status if kind != "transcript")
    result = materialize_partitions(upgraded, av_built.instance, [dg.AssetKey("transcript")], [call], batch_size=5)
    assert result.failed == {}
    after = collect_status(upgraded, av_built.instance)
    downstream = {"redacted_transcript"}
    assert {kind for kind in after if call in after[kind].stale} == downstream
    new = current(av_built, "transcript", "call.mp3")
    assert new["model_id"].startswith("pocketsphinx-") and new["attributes"].get("comparison")


@pytest.fixture(scope="module")
def av_searcher(av_built: AvBuilt):  # type: ignore[no-untyped-def]
    from mm_assets.operations.search import Searcher

    searcher = Searcher.from_settings(av_built.settings)
    yield searcher
    searcher.index.close()


def search_json(searcher, **query) -> list[dict]:  # type: ignore[no-untyped-def]
    from mm_assets.operations.search import SearchQuery

    return searcher.search(SearchQuery(tenant="t1", k=5, **query), who="test").as_json()["results"]


def test_the_index_holds_no_spoken_phone_number_or_name(av_built: AvBuilt, av_searcher) -> None:  # type: ignore[no-untyped-def]
    import lancedb

    db = lancedb.connect(av_built.settings.index_uri)
    texts = []
    for table_name in ("media", "media_chunks"):
        table = db.open_table(table_name).to_arrow()
        texts += [str(v).lower() for name in table.column_names if name in ("text", "caption") for v in table[name]]
    chunks = av_searcher.index.chunk_rows(av_built.keys["call.mp3"])
    assert {c["chunk_kind"] for c in chunks} == {"transcript_window"} and all(c["t_start"] is not None for c in chunks)
    assert any("phone" in text for text in texts)  # the words around the number are there
    assert not any(planted in text for text in texts for planted in PLANTED_WORDS)
    for query in ("Dana Whitfield", "five five five two one three four five six seven"):
        for result in search_json(av_searcher, text=query):
            assert not any(planted in e["text"].lower() for e in result["evidence"] for planted in PLANTED_WORDS)


def test_a_spoken_phrase_finds_the_recording_with_time_coded_evidence(av_built: AvBuilt, av_searcher) -> None:  # type: ignore[no-untyped-def]
    results = search_json(av_searcher, text="a camera man appears beside the flag")
    assert results[0]["content_hash"] == av_built.keys["tour.mp4"]
    evidence = results[0]["evidence"]
    assert evidence and all({"t_start", "t_end", "text", "channel", "score"} <= set(e) for e in evidence)
    assert [e["score"] for e in evidence] == sorted((e["score"] for e in evidence), reverse=True)
    assert 0.0 <= evidence[0]["t_start"] < evidence[0]["t_end"] <= 6.5


def test_text_and_image_queries_reach_the_keyframe_that_shows_it(av_built: AvBuilt, av_searcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tour = av_built.keys["tour.mp4"]
    photo = tmp_path / "cameraman.png"
    Image.fromarray(skdata.camera()).convert("RGB").resize((160, 120)).save(photo)
    for query in ({"image": photo}, {"text": "a tripod"}):
        results = search_json(av_searcher, **query)
        hit = next(r for r in results if r["content_hash"] == tour)
        # the camera man (on a tripod) is on screen from 3 s
        assert hit["evidence"] and hit["evidence"][0]["t_start"] >= 3.0 - 0.15, (query, hit["evidence"])
        assert ("chunk_visual" in hit["channels"]) == ("image" in query)  # an image query compares the frames' looks
    from mm_assets.operations.search import SearchQuery

    response = av_searcher.search(SearchQuery(image=photo, tenant="t1", k=5), who="test", crops_dir=tmp_path / "crops")
    frame = next(r for r in response.results if r.content_hash == tour).evidence[0]
    assert Image.open(frame["crop"]).size == (160, 120)  # the redacted keyframe, to jump to the moment


def test_forget_removes_a_video_and_every_audio_and_frame_artifact(av_built: AvBuilt) -> None:
    from mm_assets.operations.forget import forget_source
    from resources.catalog import derived_artifact
    from resources.search_index_store import SearchIndexResource

    key = av_built.keys["tour.mp4"]

    def delete_index_rows(hashes: list[str]) -> int:
        index = SearchIndexResource(uri=av_built.settings.index_uri).open_existing()
        try:
            return index.delete(hashes) if index is not None else 0
        finally:
            if index is not None:
                index.close()

    report = forget_source(av_built.catalog, av_built.store, key, "t1", "dpo", delete_index_rows)
    assert report.index_rows_deleted >= 1
    assert [k for k in av_built.store.list_keys("artifacts") if key in k] == []
    with av_built.catalog.engine.connect() as conn:
        left = conn.execute(derived_artifact.select().where(derived_artifact.c.source_hash == key)).all()
    assert left == []


def test_a_photo_in_an_av_batch_is_marked_not_applicable_not_left_empty(tmp_path: Path) -> None:
    """A batched run materializes every partition of its range; a photo's `audio` says why it has none."""
    media = tmp_path / "media"
    media.mkdir()
    Image.fromarray(skdata.coffee()).save(media / "coffee.png")
    write_audio(media / "hello.wav", np.concatenate([silence(0.2), speak("hello there"), silence(0.2)]))
    settings = load_settings({"MM_HOME": str(tmp_path / "home")})
    catalog, store = CatalogResource(url=settings.catalog_url), LocalBlobStore(settings.store_root)
    report = ingest_paths([media], catalog=catalog, store=store, caps=settings.caps, options=IngestOptions(tenant="t1"))
    keys = {Path(item["path"]).name: item["content_hash"] for item in report.accepted}
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)

    result = materialize_partitions(
        build_definitions(settings), instance, [dg.AssetKey("audio")], list(keys.values()), batch_size=50
    )

    assert result.failed == {} and len(result.run_ids) == 1

    def audio_metadata(name: str) -> dict:
        record = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey("audio"), asset_partitions=[keys[name]]), limit=1
        ).records[0]
        return {key: value.value for key, value in record.asset_materialization.metadata.items()}

    photo, sound = audio_metadata("coffee.png"), audio_metadata("hello.wav")
    assert photo["applicable"] is False and "image" in photo["reason"]
    assert "applicable" not in sound and sound["sound_track"] is True
    assert list(current_artifacts(catalog, "audio", list(keys.values()))) == [keys["hello.wav"]]
