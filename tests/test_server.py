"""`mm serve` over real HTTP: keys and 401s, tenant isolation (404 like a missing hash), the rate limit,
bad uploads (4xx with the gate's reason, quarantined), the interactive path (upload with wait=true,
recorded as a Dagster run, then searchable with the same results as `mm search --json`), queued
concurrent uploads, delete (= mm forget), the review API and /metrics. The server is a real uvicorn
process over real models (tests/serving.py)."""

from __future__ import annotations

import io
import json
import threading
import time

import pytest
import sqlalchemy as sa
from PIL import Image

from mm_assets.settings import load_settings
from resources.catalog import governance_log, quarantine_item, review_item, search_audit, source_media
from tests.serving import MAX_BYTES, SAMPLES, Served

MISSING = "0" * 64


def catalog_engine(served: Served) -> sa.Engine:
    return sa.create_engine(load_settings({"MM_HOME": str(served.home)}).catalog_url)


def test_healthz_answered_503_until_models_loaded_then_docs_and_metrics(served):
    assert served.healthz_answers[-1] == 200
    assert 503 in served.healthz_answers  # it answered while loading, and said not ready
    with served.client() as client:
        assert client.get("/docs").status_code == 200
        paths = client.get("/openapi.json").json()["paths"]
        assert {"/v1/media", "/v1/search", "/v1/media/{content_hash}", "/v1/review"} <= set(paths)
        metrics = client.get("/metrics").text
    assert "mm_models_loaded 1" in metrics
    assert 'mm_http_requests_total{route="/healthz",method="GET",status="503"}' in metrics


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-key", "Basic abc", "Bearer mm_0123456789abcdef_" + "A" * 43],
)
def test_a_request_without_a_valid_key_is_401(served, header):
    headers = {"Authorization": header} if header else {}
    with served.client() as client:
        answer = client.get("/v1/search", params={"q": "x"}, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"


def test_a_revoked_key_is_401(served):
    made = json.loads(served.mm("keys", "create", "--tenant", "demo", "--json").stdout)
    with served.client() as client:
        headers = {"Authorization": f"Bearer {made['key']}"}
        assert client.get("/v1/review", headers=headers).status_code == 200
        assert served.mm("keys", "revoke", made["key_id"]).returncode == 0
        assert client.get("/v1/review", headers=headers).status_code == 401
    # only a salted hash is stored
    with catalog_engine(served).connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(sa.text("select * from api_key")) for v in row)
    assert made["key"].split("_")[-1] not in stored


def test_bad_uploads_answer_the_gates_reason_and_are_quarantined(served, tmp_path):
    truncated = (SAMPLES / "coffee.jpg").read_bytes()[:3000]
    cases = [
        ("notes.png", b"not an image at all", 415, "unsupported_type"),
        ("cut.jpg", truncated, 422, "truncated_image"),
    ]
    with served.client("demo") as client:
        for name, data, status, reason in cases:
            answer = client.post("/v1/media", files={"file": (name, data)})
            assert answer.status_code == status, answer.text
            body = answer.json()
            assert body["error"] == reason and name in body["message"]
            assert str(served.home) not in body["message"]  # the server's folders are not shown
        too_large = client.post("/v1/media", files={"file": ("big.png", b"\0" * (MAX_BYTES + 128 * 1024))})
        assert too_large.status_code == 413 and too_large.json()["error"] == "too_large"
        no_file = client.post("/v1/media", files={"other": ("a.png", b"x")})
        assert no_file.status_code == 400
    with catalog_engine(served).connect() as conn:
        reasons = {
            row.reason for row in conn.execute(sa.select(quarantine_item).where(quarantine_item.c.tenant_id == "demo"))
        }
    assert {"unsupported_type", "truncated_image"} <= reasons


def test_interactive_upload_is_a_dagster_run_then_searchable_like_the_cli(served):
    from dagster import AssetKey, AssetRecordsFilter, DagsterEventType, DagsterRunStatus, RunsFilter

    from mm_assets.dagster_internals.partition_records import DagsterStaleResolver
    from mm_assets.definitions import build_definitions
    from mm_assets.orchestration.instance import get_instance

    upload = served.upload_waiting(SAMPLES / "letter.png")
    assert upload["status"] == "accepted" and upload["searchable"] is True and not upload["failed"]
    assert {"pages", "ocr", "pii", "search_index"} <= set(upload["artifacts"])
    settings = load_settings({"MM_HOME": str(served.home)})
    instance = get_instance(settings)
    run = instance.get_run_by_id(upload["run_ids"][0])
    assert run is not None and run.status == DagsterRunStatus.SUCCESS
    # The kinds a search does not need follow in a second run, queued after the answer.
    served.wait_until_idle()
    rest = instance.get_runs(RunsFilter(job_name="mm_interactive_upload_rest"))
    assert rest and all(r.status == DagsterRunStatus.SUCCESS for r in rest)
    thumbnails = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("thumbnail"), asset_partitions=[upload["content_hash"]]), limit=1
    )
    assert thumbnails.records and thumbnails.records[0].run_id in {r.run_id for r in rest}
    # Lineage as a batch run leaves it: Dagster's own resolver finds no kind of the upload stale (the
    # answering run reads its parents' data versions from its own events: partition_records.run_data_versions).
    graph = build_definitions(settings).resolve_asset_graph()
    resolver = DagsterStaleResolver(instance, graph)
    causes = {
        key.to_user_string(): resolver.stale_causes(key, upload["content_hash"])
        for key in graph.materializable_asset_keys
    }
    assert {kind: reasons for kind, reasons in causes.items() if reasons} == {}
    pointers = (
        instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey("ocr"), asset_partitions=[upload["content_hash"]]), limit=1
        )
        .records[0]
        .asset_materialization.tags
    )
    assert "dagster/input_data_version/pages" in pointers and "dagster/input_event_pointer/pages" in pointers
    # The answering run's kinds leave their census observation to the server, which reports it after the
    # answer (runless): inside that run only source_media logs its own (the originals count), and the ocr
    # kind has one from the server.
    observed = instance.fetch_observations(AssetKey("ocr"), limit=1).records
    assert observed and observed[0].run_id == "" and "current_artifacts" in observed[0].asset_observation.metadata
    in_run = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.ASSET_OBSERVATION).records
    assert [record.asset_key for record in in_run] == [AssetKey("source_media")]

    with served.client("demo") as client:
        http = client.get("/v1/search", params={"q": "letter", "k": 5}).json()
    assert upload["content_hash"] in [hit["content_hash"] for hit in http["results"]]
    cli = served.mm("search", "letter", "--tenant", "demo", "--k", "5", "--json")
    assert cli.returncode == 0, cli.stderr
    assert_same_results(http, json.loads(cli.stdout))
    remote = served.mm(
        "search",
        "letter",
        "--tenant",
        "demo",
        "--k",
        "5",
        "--json",
        env={"MM_SERVER_URL": served.url, "MM_API_KEY": served.keys["demo"]},
    )
    assert remote.returncode == 0, remote.stderr
    assert_same_results(http, json.loads(remote.stdout))


def test_the_answer_waits_for_the_blocking_checks_only_and_every_check_follows(served, tmp_path):
    """The answering run holds only blocking checks (PII redaction coverage, which holds the kinds
    downstream of it back); once the queue drains, every per-partition check of the upload's kinds has
    judged it: the non-blocking ones ran in the run after the answer."""
    from dagster import AssetCheckKey, AssetKey, DagsterEventType, RunsFilter

    from mm_assets.definitions import build_definitions
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.orchestration.sensors import RANGE_START_TAG

    page = Image.open(SAMPLES / "letter.png").convert("RGB")
    page.putpixel((0, 0), (254, 254, 254))  # the same text, other bytes: its own source
    path = tmp_path / "letter-checks.png"
    page.save(path)
    upload = served.upload_waiting(path)
    assert upload["searchable"] is True and not upload["failed"]
    content_hash = upload["content_hash"]
    settings = load_settings({"MM_HOME": str(served.home)})
    instance = get_instance(settings)
    graph = build_definitions(settings).resolve_asset_graph()

    def judged(run_id: str) -> set[AssetCheckKey]:
        records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records
        evaluations = [record.event_log_entry.dagster_event.event_specific_data for record in records]
        return {e.asset_check_key for e in evaluations if e.partition == content_hash}

    (answering_run,) = upload["run_ids"]
    before_answer = judged(answering_run)
    coverage = {AssetCheckKey(AssetKey(kind), "pii_redaction_coverage") for kind in ("pii", "redacted_transcript")}
    assert before_answer == coverage
    assert all(graph.get_check_spec(key).blocking for key in before_answer)

    served.wait_until_idle()
    rest = instance.get_runs(RunsFilter(job_name="mm_interactive_upload_rest", tags={RANGE_START_TAG: content_hash}))
    assert len(rest) == 1
    after_answer = judged(rest[0].run_id)
    per_partition = {key for key in graph.asset_check_keys if graph.get(key).partitions_def is not None}
    assert before_answer | after_answer == per_partition
    assert not any(graph.get_check_spec(key).blocking for key in after_answer)
    assert {
        AssetCheckKey(AssetKey("ocr"), "ocr_quality"),
        AssetCheckKey(AssetKey("table"), "table_structure"),
    } <= after_answer


def assert_same_results(first: dict, second: dict) -> None:
    """The same hits in the same order with the same channels and evidence; scores to 1e-4 (the CLI's
    cold path encodes the query in numpy, the server through sentence-transformers)."""
    assert [hit["content_hash"] for hit in first["results"]] == [hit["content_hash"] for hit in second["results"]]
    for a, b in zip(first["results"], second["results"], strict=True):
        assert a["score"] == pytest.approx(b["score"], abs=1e-4)
        assert set(a["channels"]) == set(b["channels"])
        assert a["provenance"] == b["provenance"]
        assert [(e.get("page"), e.get("text")) for e in a["evidence"]] == [
            (e.get("page"), e.get("text")) for e in b["evidence"]
        ]


def test_another_tenants_media_is_404_exactly_like_a_missing_hash(served):
    content_hash = served.upload_waiting(SAMPLES / "letter.png")["content_hash"]
    with served.client("other") as client:
        for suffix in ("", "/artifacts"):
            theirs, missing = (
                client.get(f"/v1/media/{content_hash}{suffix}"),
                client.get(f"/v1/media/{MISSING}{suffix}"),
            )
            assert theirs.status_code == missing.status_code == 404
            assert theirs.json()["error"] == missing.json()["error"] == "not_found"
            assert theirs.json()["message"].replace(content_hash, MISSING) == missing.json()["message"]
        assert client.delete(f"/v1/media/{content_hash}").status_code == 404
        hits = client.get("/v1/search", params={"q": "letter"}).json()["results"]
        assert content_hash not in [hit["content_hash"] for hit in hits]
        # the tenant comes from the key: naming another one is refused
        assert client.get("/v1/search", params={"q": "letter", "tenant": "demo"}).status_code == 403
    with served.client("admin") as client:
        assert client.get(f"/v1/media/{content_hash}").json()["tenant_id"] == "demo"
        assert content_hash in [
            h["content_hash"] for h in client.get("/v1/search", params={"q": "letter"}).json()["results"]
        ]


def test_the_per_key_rate_limit_answers_429(served):
    with served.client("slow") as client:
        codes = [client.get(f"/v1/media/{MISSING}").status_code for _ in range(4)]
        assert codes == [404, 404, 404, 429]
        limited = client.get(f"/v1/media/{MISSING}")
    assert limited.json()["error"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1


def test_concurrent_uploads_queue_and_all_become_searchable(served, tmp_path):
    images = []
    for number, color in enumerate([(200, 40, 40), (40, 40, 200)]):
        buffer = io.BytesIO()
        Image.new("RGB", (96, 64), color).save(buffer, "PNG")
        images.append((f"plain-{number}.png", buffer.getvalue()))
    answers: dict[str, object] = {}

    def upload(name: str, data: bytes) -> None:
        with served.client("other") as client:
            answers[name] = client.post("/v1/media", params={"wait": "true"}, files={"file": (name, data)})

    threads = [threading.Thread(target=upload, args=image) for image in images]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, _ in images:
        assert answers[name].status_code == 200, answers[name].text
        assert answers[name].json()["searchable"] is True
    served.wait_until_idle()  # the kinds after each answer run in the same queue, and it empties


def test_upload_without_wait_is_202_and_left_to_the_batch_path(served):
    buffer = io.BytesIO()
    Image.new("RGB", (80, 80), (10, 160, 10)).save(buffer, "PNG")
    with served.client("other") as client:
        answer = client.post("/v1/media", files={"file": ("green.png", buffer.getvalue())}, data={"region": "eu"})
        assert answer.status_code == 202 and answer.json()["searchable"] is False
        media = client.get(f"/v1/media/{answer.json()['content_hash']}").json()
    assert media["region"] == "eu" and media["current_kinds"] == [] and media["original_name"] == "green.png"


def test_delete_is_mm_forget(served, tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 96), (120, 120, 0)).save(buffer, "PNG")
    with served.client("other") as client:
        uploaded = client.post("/v1/media", params={"wait": "true"}, files={"file": ("olive.png", buffer.getvalue())})
        content_hash = uploaded.json()["content_hash"]
        found = client.get("/v1/search", params={"q": "olive", "k": 50}).json()["results"]
        assert content_hash in [hit["content_hash"] for hit in found]  # its audit row, queued, names it
        forgotten = client.delete(f"/v1/media/{content_hash}")
        assert forgotten.status_code == 200, forgotten.text
        assert forgotten.json()["index_rows_deleted"] == 1
        assert client.get(f"/v1/media/{content_hash}").status_code == 404
        assert client.delete(f"/v1/media/{content_hash}").status_code == 404
        hits = client.get("/v1/search", params={"q": "olive", "k": 50}).json()["results"]
    assert content_hash not in [hit["content_hash"] for hit in hits]
    with catalog_engine(served).connect() as conn:
        assert conn.execute(sa.select(source_media).where(source_media.c.content_hash == content_hash)).first() is None
        tombstone = conn.execute(sa.select(governance_log).where(governance_log.c.content_hash == content_hash)).one()
    assert tombstone.action == "forget" and tombstone.who == "api:other"
    with catalog_engine(served).connect() as conn:  # the queued audit rows were written before the forget
        audits = [str(row.result_ids) for row in conn.execute(sa.select(search_audit))]
    assert audits and not any(content_hash in ids for ids in audits)


def test_another_tenants_bytes_upload_like_fresh_ones_and_their_delete_leaves_the_copy(served):
    def png(color: tuple[int, int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (72, 88), color).save(buffer, "PNG")
        return buffer.getvalue()

    shared = png((30, 90, 150))
    with served.client("demo") as demo, served.client("other") as other:
        first = demo.post("/v1/media", params={"wait": "true"}, files={"file": ("teal.png", shared)})
        fresh = other.post("/v1/media", params={"wait": "true"}, files={"file": ("fresh.png", png((150, 30, 90)))})
        second = other.post("/v1/media", params={"wait": "true"}, files={"file": ("mine.png", shared)})
        # other is answered for demo's bytes exactly as for bytes nobody held: no 409, no hint
        assert first.status_code == fresh.status_code == second.status_code == 200, second.text
        fields = {"status", "searchable", "failed", "warnings"}
        assert {k: second.json()[k] for k in fields} == {k: fresh.json()[k] for k in fields}
        assert second.json()["status"] == "accepted" and second.json()["searchable"] is True
        assert set(second.json()) == set(fresh.json())
        assert set(second.json()["artifacts"]) == set(fresh.json()["artifacts"])
        content_hash = second.json()["content_hash"]
        assert content_hash == first.json()["content_hash"]
        mine = other.get(f"/v1/media/{content_hash}").json()
        assert (mine["tenant_id"], mine["original_name"]) == ("other", "mine.png")
        assert content_hash in [
            h["content_hash"] for h in other.get("/v1/search", params={"q": "blue", "k": 50}).json()["results"]
        ]

        deleted = demo.delete(f"/v1/media/{content_hash}")
        assert deleted.status_code == 200 and set(deleted.json()) == {
            "content_hash",
            "tenant_id",
            "index_rows_deleted",
            "tombstone_id",
        }
        assert deleted.json()["index_rows_deleted"] == 1

        assert demo.get(f"/v1/media/{content_hash}").status_code == 404
        assert other.get(f"/v1/media/{content_hash}").json()["original_name"] == "mine.png"
        assert "pages" in other.get(f"/v1/media/{content_hash}/artifacts").json()["artifacts"]
        found = other.get("/v1/search", params={"q": "blue", "k": 50}).json()["results"]
        assert content_hash in [hit["content_hash"] for hit in found]
        gone = demo.get("/v1/search", params={"q": "blue", "k": 50}).json()["results"]
        assert content_hash not in [hit["content_hash"] for hit in gone]
        last = other.delete(f"/v1/media/{content_hash}")
        assert set(last.json()) == set(deleted.json()) and last.json()["index_rows_deleted"] == 1
    with catalog_engine(served).connect() as conn:
        assert conn.execute(sa.select(source_media).where(source_media.c.content_hash == content_hash)).first() is None


def test_review_api_lists_in_triage_order_and_a_rejection_becomes_an_eval_case(served, tmp_path):
    # chelsea.jpg's OCR finds one low-confidence span: the ocr_quality check opens a review item.
    photo = tmp_path / "chelsea-copy.png"
    Image.open(SAMPLES / "chelsea.jpg").save(photo)  # the same pixels, other bytes: its own source
    content_hash = served.upload_waiting(photo)["content_hash"]
    served.wait_until_idle()  # ocr_quality, not a blocking check, runs after the answer
    with served.client("demo") as client:
        items = client.get("/v1/review").json()
        mine = [item for item in items if item["source_hash"] == content_hash]
        assert mine and mine[0]["reason"].startswith("ocr_quality")
        assert [item["priority"] for item in items] == sorted((item["priority"] for item in items), reverse=True)
        with served.client("other") as stranger:
            assert stranger.post(f"/v1/review/{mine[0]['review_id']}/reject").status_code == 404
        decided = client.post(f"/v1/review/{mine[0]['review_id']}/reject")
        assert decided.status_code == 200, decided.text
        assert decided.json()["status"] == "rejected" and decided.json()["eval_case"] == mine[0]["review_id"]
        assert client.post(f"/v1/review/{mine[0]['review_id']}/reject").status_code == 409
    with catalog_engine(served).connect() as conn:
        status = conn.execute(sa.select(review_item.c.status).where(review_item.c.review_id == mine[0]["review_id"]))
        assert status.scalar_one() == "rejected"
    evaluated = served.mm("eval", "review", "--json", "--out", str(tmp_path / "reports"))
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert report["cases"] == 1 and report["by_kind"] == {"ocr": 1} and report["regressions"] == []
    # an ocr_quality item is about the current artifact: rejected, it stays an open case until OCR changes
    assert [case["content_hash"] for case in report["unresolved"]] == [content_hash]


def test_metrics_count_requests_per_route_and_search_stages_and_no_query_text_is_logged(served):
    with served.client("demo") as client:
        client.get("/v1/search", params={"q": "a quokka on a unicycle"})
        metrics = client.get("/metrics").text
    assert "quokka" not in served.log_path.read_text(errors="replace")  # the audit keeps only a hash
    assert 'mm_http_requests_total{route="/v1/search",method="GET",status="200"}' in metrics
    assert 'mm_http_request_seconds_bucket{route="/v1/search",method="GET",le="+Inf"}' in metrics
    for stage in ("encode", "fusion", "evidence", "audit", "total"):
        assert f'mm_search_stage_seconds_count{{stage="{stage}"}}' in metrics
    assert "/v1/media/" + MISSING not in metrics  # routes are templates, never hashes


def test_an_image_query_and_an_evidence_crop(served):
    content_hash = served.upload_waiting(SAMPLES / "letter.png")["content_hash"]
    with served.client("demo") as client:
        by_image = client.post(
            "/v1/search", files={"image": ("q.jpg", (SAMPLES / "coffee.jpg").read_bytes())}, data={"k": "3"}
        )
        assert by_image.status_code == 200, by_image.text
        assert by_image.json()["query_caption"]  # the query image's own caption feeds the text channels
        not_an_image = client.post("/v1/search", files={"image": ("q.png", b"plain text")})
        assert not_an_image.status_code == 422 and not_an_image.json()["error"] == "query_refused"

        hits = client.get("/v1/search", params={"q": "letter"}).json()["results"]
        entry = next(e for hit in hits if hit["content_hash"] == content_hash for e in hit["evidence"] if "bbox" in e)
        params = {"page": entry["page"], "bbox": ",".join(str(v) for v in entry["bbox"])}
        crop = client.get(f"/v1/media/{content_hash}/crop", params=params)
        assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(crop.content)).size[0] > 0
        assert client.get(f"/v1/media/{content_hash}/crop", params={**params, "bbox": "1,2"}).status_code == 422
    with served.client("other") as client:
        assert client.get(f"/v1/media/{content_hash}/crop", params=params).status_code == 404


def test_keys_over_http_need_an_admin_key(served):
    with served.client("demo") as client:
        assert client.post("/v1/keys", params={"tenant": "demo"}).status_code == 403
    with served.client("admin") as client:
        made = client.post("/v1/keys", params={"tenant": "acme", "name": "made-over-http"})
        assert made.status_code == 201 and made.json()["key"].startswith("mm_")
        assert "made-over-http" in [key["name"] for key in client.get("/v1/keys", params={"tenant": "acme"}).json()]
        with served.client() as anonymous:
            headers = {"Authorization": f"Bearer {made.json()['key']}"}
            assert anonymous.get("/v1/review", headers=headers).status_code == 200
            assert client.delete(f"/v1/keys/{made.json()['key_id']}").json()["revoked_at"]
            assert anonymous.get("/v1/review", headers=headers).status_code == 401


def test_include_sensitive_needs_an_admin_key_and_a_global_search(served):
    sensitive = {"q": "letter", "include_sensitive": "true"}
    with served.client("demo") as client:
        refused = client.get("/v1/search", params=sensitive)
        assert refused.status_code == 403 and "admin" in refused.json()["message"]
    with served.client("admin") as client:
        assert client.get("/v1/search", params={**sensitive, "tenant": "demo"}).status_code == 422
        assert client.get("/v1/search", params=sensitive).status_code == 200


def test_uploads_after_many_writes_stay_quick_to_answer_and_the_server_merges_the_index_apart(served, tmp_path):
    """A large enough index has vector indexes; each upload's write adds a segment to them. Past
    MAX_VECTOR_INDEX_SEGMENTS the server rebuilds them on its merger thread, not in an upload's run, and
    every upload is found from its answer on (its rows are scanned until the server, after the answer,
    refreshes the indexes)."""
    import numpy as np
    from dagster import AssetCheckKey, AssetKey, RunsFilter

    from mm_assets.orchestration.instance import get_instance
    from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS
    from resources.search_index_store import SearchIndexResource
    from resources.vector_index import VECTOR_INDEX_MIN_ROWS

    settings = load_settings({"MM_HOME": str(served.home)})
    index = SearchIndexResource(uri=settings.index_uri).open_existing()
    assert index is not None
    rng = np.random.default_rng(5)
    filler = [
        {
            "content_hash": f"{number:064x}",
            "tenant_id": "bulk-filler",
            "region": "eu",
            "consent": "valid",
            "usage_rights": "approved",
            "modality": "image",
            **{name: rng.normal(size=index.dim).astype(np.float32) for name in ("visual_vector", "caption_vector")},
            "ocr_vector": rng.normal(size=index.dim).astype(np.float32),
            "has_ocr": True,
            "text": f"filler row {number}",
            "caption": "filler",
            "provenance": {},
        }
        for number in range(1, VECTOR_INDEX_MIN_ROWS + 1)
    ]
    index.upsert(filler)  # builds the vector indexes (another process's write: the server sees it within 1 s)
    vector_indexes = {name for name in index.index_segments() if "vector" in name}
    assert vector_indexes

    photo = Image.open(SAMPLES / "rocket.jpg").convert("RGB")
    uploads = []
    for number in range(MAX_VECTOR_INDEX_SEGMENTS + 1):
        margin = 6 + 2 * number
        path = tmp_path / f"rocket-merge-{number}.jpg"
        photo.crop((margin, margin, photo.width - margin, photo.height - margin)).save(path, quality=90)
        upload = served.upload_waiting(path)
        assert upload["searchable"] and not upload["failed"]
        uploads.append(upload)
        with served.client("demo") as client:  # at once: the indexes catch up after the answer
            found = client.get("/v1/search", params={"q": "rocket", "k": 50}).json()["results"]
        assert upload["content_hash"] in {hit["content_hash"] for hit in found}
    served.wait_until_idle()

    # The rebuild happens on the server's merger thread; until it lands, and after, every upload is found.
    deadline = time.monotonic() + 600
    with served.client() as client:
        while "mm_index_segment_merges_total 0\n" in client.get("/metrics").text:
            assert time.monotonic() < deadline, "the server never merged the index segments"
            time.sleep(0.5)
        assert "mm_index_segment_merge_failures_total 0\n" in client.get("/metrics").text
    merged = SearchIndexResource(uri=settings.index_uri).open_existing()
    assert merged is not None
    assert max(n for name, n in merged.index_segments().items() if name in vector_indexes) <= MAX_VECTOR_INDEX_SEGMENTS
    with served.client("demo") as client:
        found = client.get("/v1/search", params={"q": "rocket", "k": 50}).json()["results"]
    assert {upload["content_hash"] for upload in uploads} <= {hit["content_hash"] for hit in found}
    # After each answer the server refreshed the indexes; the freshness check, in the run after the
    # answer, passed every time (the vector indexes may lag only while a merge rebuilds them).
    instance = get_instance(settings)
    check = AssetCheckKey(AssetKey("search_index"), "index_freshness")
    passed = [
        record.dagster_event.event_specific_data.passed
        for run in instance.get_runs(RunsFilter(job_name="mm_interactive_upload_rest"))
        for record in instance.all_logs(run.run_id)
        if record.dagster_event is not None
        and record.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"
        and record.dagster_event.event_specific_data.asset_check_key == check
    ]
    assert len(passed) >= len(uploads) and all(passed)
    assert not any(merged.unindexed_rows().values()) and not any(merged.chunk_unindexed_rows().values())
    merged.delete([row["content_hash"] for row in filler])  # the other tests' index as it was
    merged.close()
    index.close()
