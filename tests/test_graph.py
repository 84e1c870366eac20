"""The whole asset graph on real models and small real data: photos from scikit-image and documents
rendered here with known text and planted (fake) PII. One materialization is shared by the module."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
import sqlalchemy as sa
from PIL import Image
from skimage import data as skdata

import mm_assets.kinds.thumbnail as thumbnail_module
from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.definitions import build_definitions
from mm_assets.kinds import kind_names
from mm_assets.kinds.pages import page_suffix
from mm_assets.kinds.thumbnail import make_thumbnail
from mm_assets.model_resources import model_resources
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.operations.page_evaluation import answer_box, iou
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.orchestration.version_consistency import run_version_checks
from mm_assets.settings import Settings, load_settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, derived_artifact, processing_event
from resources.media_store import LocalBlobStore
from tests.documents import born_digital_pdf, pdf_line_top, render_page, write_pdf
from tests.graphql import check_partition_statuses, graphql_workspace, latest_check_execution

pytestmark = pytest.mark.slow

KINDS = kind_names("documents", "previews", "semantics")  # every kind of documents and images
DOC_LINES = ["Invoice 2024-117 from ACME", "Email: jordan.example@example.com", "SSN: 123-45-6789", "Total 45 EUR"]
LETTER_LINES = ["Dear customer", "Card: 4111 1111 1111 1111", "Thank you"]
PLANTED = ["jordan.example@example.com", "123-45-6789", "4111 1111 1111 1111"]
# A born-digital manual (a real text layer, no OCR needed); the torque answer is line 2 of page 2.
MANUAL_PAGES = [
    ["Pump service manual, edition four", "Questions go to jordan.example@example.com", "Read all steps first"],
    ["Chapter two: assembly of the housing", "Seat the impeller on the shaft", "Tighten the impeller bolts to 12 Nm"],
    ["Chapter three: storage", "Keep the pump dry and away from frost", "Drain the casing before winter"],
]
MANUAL_SIZE = (432.0, 288.0)  # points: 900 x 600 pixels at 150 dpi


@dataclass
class Built:
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance
    catalog: CatalogResource
    store: LocalBlobStore
    keys: dict[str, str]  # file name -> content hash
    run_ids: list[str]


def small_page(lines: list[str]) -> Image.Image:
    return render_page(lines, size=(900, 60 + 66 * len(lines) + 60))


def materialize(built: Built, keys: list[str], kinds: list[str] | None = None):
    asset_keys = [dg.AssetKey(k) for k in (kinds or [k for k in kind_names() if k not in kind_names("audio_video")])]
    return materialize_partitions(built.defs, built.instance, asset_keys, keys, batch_size=200)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("graph")
    media = root / "media"
    media.mkdir()
    for name in ("chelsea", "coffee"):
        photo = Image.fromarray(getattr(skdata, name)())
        photo.thumbnail((320, 320))
        photo.save(media / f"{name}.jpg", quality=90)
    small_page(DOC_LINES).save(media / "invoice.png")
    write_pdf(media / "two-pages.pdf", [small_page(["Page one says hello"]), small_page(LETTER_LINES)])
    (media / "manual.pdf").write_bytes(born_digital_pdf(MANUAL_PAGES, size=MANUAL_SIZE))
    settings = load_settings({"MM_HOME": str(root / "home")})
    catalog = CatalogResource(url=settings.catalog_url)
    store = LocalBlobStore(settings.store_root)
    report = ingest_paths([media], catalog=catalog, store=store, caps=settings.caps, options=IngestOptions(tenant="t1"))
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    keys = {Path(item["path"]).name: item["content_hash"] for item in report.accepted}
    built = Built(settings, build_definitions(settings), instance, catalog, store, keys, [])
    result = materialize(built, list(keys.values()))
    assert result.failed == {}, result.failed
    built.run_ids = result.run_ids
    return built


def payload(built: Built, row: dict, suffix: str = "") -> bytes:
    key = store_key_of(built.store, row["payload_uri"])
    return built.store.read_bytes(key.rsplit(".", 1)[0] + suffix if suffix else key)


def current(built: Built, kind: str, name: str) -> dict:
    return current_artifacts(built.catalog, kind, [built.keys[name]])[built.keys[name]]


def test_every_kind_is_materialized_in_one_batched_run(built):
    assert len(built.run_ids) == 1
    status = collect_status(built.defs, built.instance)
    for kind in KINDS:
        assert status[kind].materialized == set(built.keys.values()), kind
        assert not status[kind].stale and not status[kind].failed


def test_version_stamps_agree_in_the_catalog_in_dagster_and_in_the_payload_path(built):
    graph = built.defs.resolve_asset_graph()
    for kind in KINDS:
        code_version = graph.get(dg.AssetKey(kind)).code_version
        rows = current_artifacts(built.catalog, kind, list(built.keys.values()))
        assert set(rows) == set(built.keys.values())
        for content_hash, row in rows.items():
            assert code_version == f"{row['pipeline_version']}+{row['model_id']}"
            assert (
                f"store:artifacts/{kind}/{content_hash[:2]}/{content_hash}/{row['pipeline_version']}__"
                in row["payload_uri"]
            )
            record = built.instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey(kind), asset_partitions=[content_hash]), limit=1
            ).records[0]
            assert record.asset_materialization.tags["dagster/code_version"] == code_version
            assert record.asset_materialization.metadata["model_id"].value == row["model_id"]


def test_model_ids_name_the_real_models(built):
    models = model_resources(built.settings)
    assert models["ocr_runner"].model_id().startswith("rapidocr-1.4.4-ppocrv4-")
    assert models["captioner"].model_id().startswith("label-caption-efficientnet-lite0")
    assert models["embedder"].model_id() == "bridge-efficientnet-lite0+all-minilm-l6-v2"


def test_pdf_pages_are_rendered_and_page_numbers_survive_to_ocr(built):
    manifest = json.loads(payload(built, current(built, "pages", "two-pages.pdf")))
    assert [p["page"] for p in manifest["pages"]] == [1, 2] and manifest["dpi"] == 150
    spans = json.loads(payload(built, current(built, "ocr", "two-pages.pdf")))["spans"]
    by_page = {page: " ".join(s["text"] for s in spans if s["page"] == page) for page in (1, 2)}
    assert "hello" in by_page[1].lower() and "thank" in by_page[2].lower()


def test_ocr_reads_the_known_text_with_boxes_and_confidences(built):
    spans = json.loads(payload(built, current(built, "ocr", "invoice.png")))["spans"]
    text = "".join(s["text"] for s in spans).replace(" ", "").lower()
    for line in DOC_LINES:
        assert line.replace(" ", "").lower() in text
    for span in spans:
        x0, y0, x1, y1 = span["bbox"]
        assert 0 <= x0 < x1 <= 900 and 0 <= y0 < y1 and 0.5 < span["confidence"] <= 1


def test_redacted_text_and_images_hold_no_planted_pii(built):
    for name in ("invoice.png", "two-pages.pdf"):
        row = current(built, "pii", name)
        redacted = json.loads(payload(built, row))
        text = json.dumps(redacted["text"]) + json.dumps(redacted["spans"])
        for value in PLANTED:
            assert value not in text and value.replace(" ", "") not in text
        assert redacted["redactions"], name
    invoice = json.loads(payload(built, current(built, "pii", "invoice.png")))
    assert {r["kind"] for r in invoice["redactions"]} >= {"email", "ssn"}
    assert "Total" in invoice["text"]["1"]  # non-PII words survive


def test_nothing_downstream_reads_unredacted_text(built):
    caption = json.loads(payload(built, current(built, "caption", "invoice.png")))
    assert not any(value in caption["text"] for value in PLANTED)
    # The OCR channel of the text embedding is the embedding of the redacted text, not the raw OCR.
    embedder = model_resources(built.settings)["embedder"]
    redacted = json.loads(payload(built, current(built, "pii", "invoice.png")))
    vectors = np.load(io.BytesIO(payload(built, current(built, "text_embedding", "invoice.png"))))
    expected = embedder.embed_texts(["\n".join(redacted["text"].values()).strip()])[0]
    assert np.allclose(vectors[1], expected, atol=1e-5)


def test_thumbnail_is_made_from_the_redacted_page(built):
    row = current(built, "pii", "invoice.png")
    redacted_page = Image.open(io.BytesIO(payload(built, row, page_suffix(1)))).convert("RGB")
    assert payload(built, current(built, "thumbnail", "invoice.png")) == make_thumbnail(redacted_page)


def test_embeddings_are_unit_length_with_dimension_and_model_in_the_catalog(built):
    for name in built.keys:
        visual = current(built, "visual_embedding", name)
        vector = np.load(io.BytesIO(payload(built, visual)))
        assert vector.shape == (visual["attributes"]["dim"],) == (384,)
        assert abs(np.linalg.norm(vector) - 1) < 1e-4
        text = current(built, "text_embedding", name)
        assert text["attributes"]["channels"] == ["caption", "ocr"]
        # A source whose redacted text is empty has its OCR channel listed as empty (a zero vector).
        redacted = json.loads(payload(built, current(built, "pii", name)))
        has_text = bool("".join(redacted["text"].values()).strip())
        assert ("ocr" in text["attributes"]["empty_channels"]) is not has_text


def test_captions_of_photos_name_what_is_in_them(built):
    assert "cat" in json.loads(payload(built, current(built, "caption", "chelsea.jpg")))["text"]
    assert "espresso" in json.loads(payload(built, current(built, "caption", "coffee.jpg")))["text"]


def check_evaluations(built: Built, run_id: str) -> dict[tuple[str, str], bool]:
    records = built.instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    results = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if evaluation.partition is not None:
            results[(evaluation.check_name, evaluation.partition)] = evaluation.passed
    return results


def test_checks_are_recorded_per_partition(built):
    results = check_evaluations(built, built.run_ids[0])
    for content_hash in built.keys.values():
        assert results[("pii_redaction_coverage", content_hash)] is True
        assert ("ocr_quality", content_hash) in results
        assert ("caption_grounding", content_hash) in results
    # Photos without text are not an OCR quality problem; clean rendered documents pass too.
    assert results[("ocr_quality", built.keys["invoice.png"])] is True


def test_each_check_partitions_tab_shows_every_partitions_verdict_through_graphql(built):
    """What the UI's Partitions tab of a check reads: GraphQL `partitionStatuses`."""
    logged = check_evaluations(built, built.run_ids[0])
    with graphql_workspace(built.instance) as context:
        statuses = check_partition_statuses(context, ["ocr", "pii", "text_embedding"])

    partitioned = {("ocr", "ocr_quality"), ("pii", "pii_redaction_coverage"), ("text_embedding", "caption_grounding")}
    assert set(statuses) == partitioned
    for (_asset, check), (succeeded, failed) in statuses.items():
        assert succeeded | failed == set(built.keys.values()), check
        assert succeeded == {key for key in built.keys.values() if logged[(check, key)]}, check
        assert failed == {key for key in built.keys.values() if not logged[(check, key)]}, check


def test_version_consistency_passes_then_names_count_and_versions_after_an_upgrade(built, monkeypatch):
    outcomes = run_version_checks(built.defs, built.instance)
    assert outcomes and all(outcome.passed for outcome in outcomes), [o.description for o in outcomes]
    assert {outcome.asset for outcome in outcomes} >= set(KINDS) | {"search_index", "processing_event"}

    monkeypatch.setattr(thumbnail_module, "SPEC", replace(thumbnail_module.SPEC, logic_version="99"))
    upgraded = build_definitions(built.settings)
    [outcome] = run_version_checks(upgraded, built.instance, [dg.AssetKey("thumbnail")])

    old = f"1+{thumbnail_module.THUMBNAIL_MODEL}"
    assert not outcome.passed and outcome.severity == "WARN"
    assert outcome.metadata["artifacts_behind"] == len(built.keys) and outcome.metadata["older_versions"] == old
    assert f"{len(built.keys)} current thumbnail artifact(s) are not 99+" in outcome.description
    with graphql_workspace(built.instance) as context:  # the graph shows it: the latest execution failed
        latest = latest_check_execution(context, "thumbnail", "version_consistency")
    assert latest["status"] == "FAILED" and latest["evaluation"]["severity"] == "WARN"
    assert run_version_checks(built.defs, built.instance, [dg.AssetKey("thumbnail")])[0].passed  # back as it was


def test_processing_event_has_the_seed_shape(built):
    with built.catalog.engine.connect() as conn:
        rows = conn.execute(sa.select(processing_event.c.event, processing_event.c.run_id)).all()
    events = {row.event["content_hash"]: row.event for row in rows if row.run_id == built.run_ids[0]}
    assert set(events) == set(built.keys.values())
    event = events[built.keys["invoice.png"]]
    assert event["event"] == "artifact_processed" and event["tenant_id"] == "t1"
    steps = [step["step"] for step in event["steps"]]
    assert steps[0] == "input_gate" and steps[-1] == "disposition"
    assert {"pages", "ocr", "pii", "caption", "visual_embedding", "text_embedding", "thumbnail"} <= set(steps)
    ocr_step = next(step for step in event["steps"] if step["step"] == "ocr")
    assert ocr_step["outcome"] == "ok" and ocr_step["ms"] > 0 and ocr_step["mean_confidence"] > 0.8


def count_artifacts(built: Built) -> int:
    with built.catalog.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(derived_artifact)).scalar_one()


def test_rematerializing_the_same_versions_does_no_model_work(built):
    before = count_artifacts(built)
    result = materialize(built, list(built.keys.values()), KINDS)
    assert result.failed == {} and count_artifacts(built) == before
    for kind in KINDS:
        record = built.instance.fetch_materializations(dg.AssetKey(kind), limit=1).records[0]
        run = built.instance.get_run_by_id(record.run_id)
        assert run.run_id == result.run_ids[-1]
    step_metadata = [
        event.dagster_event.step_materialization_data.materialization.metadata
        for event in built.instance.all_logs(result.run_ids[-1], of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    ]
    assert step_metadata  # materializations were recorded, all of them reusing payloads
    for row in current_artifacts(built.catalog, "ocr", list(built.keys.values())).values():
        assert row["status"] == "current" and row["superseded_by"] is None


# -- search over the index the graph built -------------------------------------------------------


@pytest.fixture(scope="module")
def searcher(built):
    from mm_assets.operations.search import Searcher

    return Searcher.from_settings(built.settings)


def test_the_index_holds_one_row_per_source_and_never_unredacted_text(built):
    import lancedb

    table = lancedb.connect(built.settings.index_uri).open_table("media").to_arrow()
    assert sorted(table.column("content_hash").to_pylist()) == sorted(built.keys.values())
    everything = json.dumps(
        table.drop_columns(["visual_vector", "caption_vector", "ocr_vector"]).to_pylist(), default=str
    )
    for value in PLANTED:
        assert value not in everything and value.replace(" ", "") not in everything
    provenance = json.loads(table.column("provenance").to_pylist()[0])
    assert set(provenance) == {"visual", "caption", "ocr"}
    assert all(entry["model_id"] and entry["artifact_id"] for entry in provenance.values())


def test_index_freshness_check_passed_in_the_run(built):
    records = built.instance.get_records_for_run(
        built.run_ids[0], of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    freshness = [r.event_log_entry.dagster_event.event_specific_data for r in records]
    freshness = [e for e in freshness if e.check_name == "index_freshness"]
    assert freshness and all(e.passed for e in freshness)


def test_a_text_query_finds_the_photo_and_says_which_channels_found_it(built, searcher):
    from mm_assets.operations.search import SearchQuery

    response = searcher.search(SearchQuery(text="a cat", tenant="t1", k=4))
    top = response.results[0]
    assert top.content_hash == built.keys["chelsea.jpg"]
    assert {"visual", "caption"} <= set(top.channels)
    assert all({"score", "rank"} <= set(channel) for channel in top.channels.values())
    assert top.provenance["visual"]["model_id"] == "bridge-efficientnet-lite0+all-minilm-l6-v2"


def test_a_document_is_found_by_its_words(built, searcher):
    from mm_assets.operations.search import SearchQuery

    response = searcher.search(SearchQuery(text="Invoice from ACME", tenant="t1", k=2))
    assert response.results[0].content_hash == built.keys["invoice.png"]
    assert "ocr" in response.results[0].channels


def test_a_born_digital_pdf_is_read_from_its_text_layer_and_still_redacted_on_the_page(built):
    ocr = json.loads(payload(built, current(built, "ocr", "manual.pdf")))
    assert [page["source"] for page in ocr["page_sources"]] == ["text_layer"] * 3
    assert [span["text"] for span in ocr["spans"]] == [line for page in MANUAL_PAGES for line in page]
    assert {span["source"] for span in ocr["spans"]} == {"text_layer"}
    assert current(built, "ocr", "manual.pdf")["attributes"]["ocr_pages"] == 0
    # The e-mail in the text layer is boxed out on the rendered page image.
    pii = current(built, "pii", "manual.pdf")
    redactions = json.loads(payload(built, pii))["redactions"]
    # (recall first: the name detector may also box words elsewhere; the e-mail must be among them)
    emails = [r for r in redactions if r["kind"] == "email"]
    assert [r["page"] for r in emails] == [1]
    x0, y0, x1, y1 = (int(v) for v in emails[0]["bbox"])
    page = np.asarray(Image.open(io.BytesIO(payload(built, pii, page_suffix(1)))).convert("L"))
    assert page[y0:y1, x0:x1].mean() < 40  # painted over
    assert y0 >= pdf_line_top(1) * 150 / 72 - 10  # on the line the address is written on


def test_chunk_rows_hold_page_blocks_and_whole_images_and_never_unredacted_text(built):
    import lancedb

    chunks = lancedb.connect(built.settings.index_uri).open_table("media_chunks").to_arrow()
    rows = chunks.drop_columns(["text_vector", "image_vector"]).to_pylist()
    everything = json.dumps(rows, default=str)
    for value in PLANTED:
        assert value not in everything and value.replace(" ", "") not in everything
    kinds = {(row["content_hash"], row["chunk_kind"]) for row in rows}
    assert (built.keys["chelsea.jpg"], "image") in kinds and (built.keys["manual.pdf"], "page_block") in kinds
    manual = [row for row in rows if row["content_hash"] == built.keys["manual.pdf"]]
    assert sorted({row["page"] for row in manual}) == [1, 2, 3]
    assert all(row["tenant_id"] == "t1" and row["consent"] == "valid" for row in rows)
    assert all(json.loads(row["versions"])["pii"]["artifact_id"] for row in manual)


def test_evidence_points_at_the_page_and_box_that_answer_the_question(built, searcher, tmp_path):
    from mm_assets.operations.search import SearchQuery

    response = searcher.search(
        SearchQuery(text="what torque for the impeller bolts", tenant="t1", k=3), crops_dir=tmp_path / "crops"
    )

    top = response.results[0]
    assert top.content_hash == built.keys["manual.pdf"]
    best = top.evidence[0]
    assert best["page"] == 2 and "12 Nm" in best["text"]
    answer_top = pdf_line_top(2) * 150 / 72
    x0, y0, x1, y1 = best["bbox"]
    assert y0 <= answer_top + 4 and y1 >= answer_top + 14 * 150 / 72 - 4  # the answer line is inside
    assert 0 <= x0 < x1 <= 900 and y1 <= 600
    # Tight: the answering line alone (from the PDF's own character boxes), not its whole block.
    manual = tmp_path / "manual.pdf"
    manual.write_bytes(born_digital_pdf(MANUAL_PAGES, size=MANUAL_SIZE))
    answer_line = answer_box(manual, 2, MANUAL_PAGES[1][2], 150)
    assert iou(best["bbox"], answer_line) >= 0.7
    assert iou(best["block_bbox"], answer_line) < 0.5 and "the impeller on the shaft" in best["text"]
    # The crop is the box (plus a margin) cut from the redacted page, and a stored crop artifact.
    crop = Image.open(best["crop"])
    assert abs(crop.width - (x1 - x0)) <= 20 and abs(crop.height - (y1 - y0)) <= 20
    crops = current_artifacts(built.catalog, "crop", [top.content_hash])
    assert crops[top.content_hash]["region"]["page"] in {entry["page"] for entry in top.evidence}
    assert crops[top.content_hash]["attributes"]["purpose"] == "evidence"


def test_a_low_confidence_review_gets_the_least_confident_region_as_a_crop(built):
    from mm_assets.kinds.ocr import least_confident_crop
    from resources.stores import MediaStoreResource

    store = MediaStoreResource(root=built.settings.store_root)
    ocr, pages = current(built, "ocr", "invoice.png"), current(built, "pages", "invoice.png")
    spans = json.loads(payload(built, ocr))["spans"]
    worst = min(spans, key=lambda span: span["confidence"])

    crop = least_confident_crop(built.catalog, store, ocr, pages)

    assert crop is not None and crop["page"] == worst["page"]
    assert crop["bbox"][0] <= worst["bbox"][0] and crop["bbox"][3] >= worst["bbox"][3]
    stored = built.store.read_bytes(store_key_of(built.store, crop["payload_uri"]))
    assert Image.open(io.BytesIO(stored)).size == (crop["bbox"][2] - crop["bbox"][0], crop["bbox"][3] - crop["bbox"][1])
    assert least_confident_crop(built.catalog, store, ocr, pages)["artifact_id"] == crop["artifact_id"]


def test_an_image_query_uses_the_visual_channel_and_its_own_caption(built, searcher, tmp_path):
    from mm_assets.operations.search import SearchQuery

    query = tmp_path / "query.jpg"
    photo = Image.fromarray(skdata.coffee())
    photo.thumbnail((200, 200))
    photo.save(query)
    response = searcher.search(SearchQuery(image=query, tenant="t1", k=3))
    assert response.results[0].content_hash == built.keys["coffee.jpg"]
    assert "espresso" in response.query_caption


def test_other_tenants_see_nothing_and_every_search_is_audited(built, searcher):
    from mm_assets.operations.search import SearchQuery
    from resources.catalog import search_audit

    assert searcher.search(SearchQuery(text="a cat", tenant="someone-else")).results == []
    with built.catalog.engine.connect() as conn:
        audits = conn.execute(sa.select(search_audit).order_by(search_audit.c.at)).all()
    assert audits[-1].tenant_id == "someone-else" and audits[-1].result_ids == []
    assert len(audits[-1].query_hash) == 64 and "cat" not in json.dumps(audits[-1].details)


def test_every_search_records_its_stage_timings_and_stats_summarise_them(built, searcher):
    from mm_assets.operations.search import SearchQuery
    from mm_assets.operations.search_timings import search_stage_metrics, search_stage_summary
    from resources.catalog import search_audit

    searcher.search(SearchQuery(text="invoice total", tenant="t1"))
    with built.catalog.engine.connect() as conn:
        stage_ms = conn.execute(sa.select(search_audit.c.stage_ms).order_by(search_audit.c.at.desc())).first()[0]
    expected = {"encode", "fusion", "evidence", "fetch", "total"}
    expected |= {f"channel.{name}" for name in ("caption", "ocr", "visual", "fts")}
    assert expected <= set(stage_ms) and all(ms >= 0 for ms in stage_ms.values())
    assert stage_ms["total"] >= stage_ms["encode"] + stage_ms["fusion"] + stage_ms["fetch"]
    summary = search_stage_summary(built.catalog)
    assert summary["count"] >= 1 and expected <= set(summary["stages"])
    assert all(s["p95_ms"] >= s["p50_ms"] >= 0 for s in summary["stages"].values())
    assert 'mm_search_stage_ms{stage="total",quantile="0.95"}' in "\n".join(search_stage_metrics(summary))


def test_every_step_of_the_graph_carries_its_cost_and_model_kinds_count_their_calls(built):
    from resources.catalog import processing_step

    with built.catalog.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(sa.select(processing_step))]
    ok = [row for row in rows if row["outcome"] == "ok"]
    assert {row["step"] for row in ok} >= {"pages", "ocr", "pii", "caption", "text_embedding", "search_index"}
    for row in ok:
        assert row["tenant_id"] == "t1" and row["cpu_s"] >= 0 and row["cost_usd"] >= 0, row
        assert row["unit"] in {"pages", "images", "seconds", "characters"} and row["units"] >= 0, row
    for step in ("pii", "caption", "text_embedding", "visual_embedding"):
        assert all(row["model_calls"] > 0 for row in ok if row["step"] == step), step
    # OCR runs its model on images; a born-digital PDF is read from its text layer, with no call
    assert all(row["model_calls"] > 0 for row in ok if row["step"] == "ocr" and row["modality"] == "image")
    assert all(row["model_calls"] == 0 for row in ok if row["step"] in ("pages", "thumbnail"))
    documents = [row for row in ok if row["step"] == "ocr" and row["modality"] == "document"]
    assert documents and all(row["unit"] == "pages" for row in documents)
    assert {row["unit"] for row in ok if row["step"] == "text_embedding"} == {"characters"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"text": "  "}, "empty query"),
        ({"text": "x", "where": "tenant_id = 't2'"}, "tenant_id"),
        ({"text": "x", "where": "region = 'eu'; DROP TABLE media"}, "where"),
        ({"text": "x", "where": "nonsense_column = 1"}, "nonsense_column"),
        ({"text": "x", "tenant": None}, "tenant"),
    ],
)
def test_bad_queries_are_refused_with_a_clear_message(searcher, query, message, tmp_path):
    from mm_assets.operations.search import SearchQuery
    from resources.index_where import QueryRefused

    with pytest.raises(QueryRefused, match=message):
        searcher.search(SearchQuery(**{"tenant": "t1", **query}))


def test_an_unreadable_query_image_is_refused(searcher, tmp_path):
    from mm_assets.operations.search import SearchQuery
    from resources.index_where import QueryRefused

    fake = tmp_path / "fake.jpg"
    fake.write_text("not an image")
    with pytest.raises(QueryRefused, match="unsupported_type"):
        searcher.search(SearchQuery(image=fake, tenant="t1"))


# -- destructive tests last: they tamper with payloads of the shared build ------------------------


def test_planted_pii_in_a_redacted_payload_fails_the_blocking_check_for_that_partition_only(built):
    victim = built.keys["invoice.png"]
    row = current(built, "pii", "invoice.png")
    path = built.store.path(store_key_of(built.store, row["payload_uri"]))
    tampered = json.loads(path.read_bytes())
    tampered["text"]["1"] += " contact leak.victim@example.org"
    path.unlink()  # payloads are hard-linked, create-only files: replace, do not rewrite in place
    path.write_text(json.dumps(tampered))

    result = materialize(built, list(built.keys.values()), ["pii"])

    assert list(result.failed) == [victim]
    assert "pii_redaction_coverage" in result.failed[victim] and "email" in result.failed[victim]
    # The batch ran, then the victim alone (its check failed again), then the others without it.
    alone = check_evaluations(built, result.run_ids[1])
    assert alone == {("pii_redaction_coverage", victim): False}
    later: dict[tuple[str, str], bool] = {}
    for run_id in result.run_ids[2:]:
        later.update(check_evaluations(built, run_id))
    others = {key for key in built.keys.values() if key != victim}
    assert {key for (name, key), ok in later.items() if name == "pii_redaction_coverage" and ok} == others


def test_one_broken_item_fails_only_its_own_partition_in_a_batched_model_run(built):
    victim = built.keys["two-pages.pdf"]
    pages = current(built, "pages", "two-pages.pdf")
    built.store.delete(store_key_of(built.store, pages["payload_uri"]).rsplit(".", 1)[0] + page_suffix(2))
    # Force OCR to run again by invalidating its artifacts (as a model upgrade would).
    with built.catalog.engine.begin() as conn:
        conn.execute(derived_artifact.delete().where(derived_artifact.c.kind.in_(["ocr"])))

    result = materialize(built, list(built.keys.values()), ["ocr"])

    assert list(result.failed) == [victim]
    assert "FileNotFoundError" in result.failed[victim]
    assert set(result.materialized) == set(built.keys.values()) - {victim}
    status = collect_status(built.defs, built.instance)["ocr"]
    assert status.failed == {victim}


def test_a_comparison_that_cannot_read_the_old_version_fails_only_its_own_partition(built):
    """Compare-before-supersede reads the current version's payload; if it is gone, only that partition fails."""
    photos = [built.keys["chelsea.jpg"], built.keys["coffee.jpg"]]
    victim = photos[0]
    with built.catalog.engine.begin() as conn:  # the current captions become an older model's ...
        conn.execute(
            derived_artifact.update()
            .where(derived_artifact.c.kind == "caption", derived_artifact.c.source_hash.in_(photos))
            .values(model_id="older-captioner")
        )
        conn.execute(  # ... and the victim's payload is gone
            derived_artifact.update()
            .where(derived_artifact.c.kind == "caption", derived_artifact.c.source_hash == victim)
            .values(payload_uri=built.store.uri("artifacts/caption/gone.json"))
        )

    result = materialize(built, photos, ["caption"])

    assert list(result.failed) == [victim] and "FileNotFoundError" in result.failed[victim]
    assert result.materialized == [photos[1]]
    rows = current_artifacts(built.catalog, "caption", photos)
    assert rows[victim]["model_id"] == "older-captioner"  # nothing replaced it
    assert rows[photos[1]]["model_id"] != "older-captioner"
    assert "similarity" in rows[photos[1]]["attributes"]["comparison"]["figures"]
