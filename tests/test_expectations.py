"""Great Expectations suites over the catalog: each catches its violation, and the check runs in Dagster."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from expectations import (
    CHECK_NAME,
    CatalogExpectationError,
    CatalogExpectationReport,
    run_catalog_expectations,
)
from expectations.catalog import PAYLOAD_EXPECTATION, check_payloads_exist
from mm_assets.artifacts import payload_key
from mm_assets.definitions import build_definitions
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import QUIET_RUN_CONFIG, materialize_partitions
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import (
    SCHEMA_VERSION,
    CatalogResource,
    derived_artifact,
    new_id,
    open_catalog_engine,
    schema_version,
    source_media,
    utcnow,
)
from resources.media_store import LocalBlobStore
from resources.stores import open_store
from tests.conftest import distinct_images

REPO = Path(__file__).resolve().parents[1]
PROCESSING_EVENT = dg.AssetKey("processing_event")


@dataclass
class Catalog:
    """A catalog with real payload files; the helpers insert rows straight into its tables."""

    url: str
    store: LocalBlobStore
    engine: sa.Engine

    def add_source(self, content_hash: str) -> str:
        source_id = new_id()
        row = {
            "source_id": source_id,
            "content_hash": content_hash,
            "uri": f"media/{content_hash[:2]}/{content_hash}",
            "modality": "image",
            "mime_type": "image/png",
            "bytes": 10,
            "uploaded_at": utcnow(),
            "tenant_id": "default",
            "retention_class": "standard",
            "region": "eu",
            "consent": "granted",
            "usage_rights": "owned",
            "original_name": "scan.png",
            "gate": {},
        }
        with self.engine.begin() as conn:
            conn.execute(source_media.insert().values(**row))
        return source_id

    def add_artifact(self, content_hash: str, kind: str, version: str = "1", **overrides: object) -> str:
        """An artifact row whose payload file is really in the store (unless overridden)."""
        with self.engine.connect() as conn:
            source_id = conn.execute(
                sa.select(source_media.c.source_id).where(source_media.c.content_hash == content_hash)
            ).scalar_one()
        key = payload_key(kind, content_hash, version, "model-a", "", "json")
        self.store.put_bytes_if_absent(key, b"{}")
        row = {
            "artifact_id": new_id(),
            "source_id": source_id,
            "source_hash": content_hash,
            "tenant_id": "default",
            "kind": kind,
            "pipeline_name": "mm-assets",
            "pipeline_version": version,
            "model_id": "model-a",
            "payload_uri": self.store.uri(key),
            "created_at": utcnow(),
            "superseded_by": None,
            "status": "current",
            "input_digest": "",
            **overrides,
        }
        with self.engine.begin() as conn:
            conn.execute(derived_artifact.insert().values(**row))
        return str(row["artifact_id"])

    def supersede(self, old_id: str, new_id_: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                derived_artifact.update()
                .where(derived_artifact.c.artifact_id == old_id)
                .values(status="superseded", superseded_by=new_id_)
            )

    def fill_clean(self, sources: int = 3) -> list[str]:
        """Sources with an OCR artifact upgraded once (v1 superseded by v2) and a thumbnail."""
        hashes = [f"{i:02x}" * 32 for i in range(1, sources + 1)]
        for content_hash in hashes:
            self.add_source(content_hash)
            first = self.add_artifact(content_hash, "ocr", "1")
            second = self.add_artifact(content_hash, "ocr", "2", status="candidate")
            self.supersede(first, second)
            with self.engine.begin() as conn:
                conn.execute(
                    derived_artifact.update().where(derived_artifact.c.artifact_id == second).values(status="current")
                )
            self.add_artifact(content_hash, "thumbnail")
        return hashes

    def run(self) -> CatalogExpectationReport:
        return run_catalog_expectations(self.url, self.store)


def make_catalog(url: str, root: Path) -> Catalog:
    return Catalog(url=url, store=LocalBlobStore(root), engine=open_catalog_engine(url))


@pytest.fixture
def clean(tmp_path: Path) -> Catalog:
    catalog = make_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path / "store")
    catalog.fill_clean()
    return catalog


def failing(report: CatalogExpectationReport) -> set[str]:
    return {result.name for result in report.failed}


def test_a_clean_catalog_meets_every_expectation(clean):
    report = clean.run()

    assert report.success, report.failed
    assert report.table_rows == {"source_media": 3, "derived_artifact": 9}
    assert report.result(PAYLOAD_EXPECTATION).checked == 9
    assert report.result("derived_artifact.model_id.not_null").checked == 9
    assert report.result("derived_artifact.superseded_by.set_when_superseded").checked == 3
    names = {result.name for result in report.results}
    assert {
        "source_media.content_hash.is_sha256_hex",
        "source_media.content_hash.unique",
        "derived_artifact.status.in_allowed_set",
        "derived_artifact.one_current_per_source_kind",
    } <= names


def test_an_empty_catalog_meets_every_expectation(tmp_path):
    report = make_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path / "store").run()

    assert report.success, report.failed
    assert report.table_rows == {"source_media": 0, "derived_artifact": 0}
    assert all(result.unexpected == 0 for result in report.results)


def two_current_ocr_artifacts(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_artifact(hashes[0], "ocr", "3")  # written as current, nothing superseded


def null_model_id(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_artifact(hashes[1], "caption", model_id=None)


def payload_file_gone(catalog: Catalog, hashes: list[str]) -> str:
    artifact_id = catalog.add_artifact(hashes[2], "caption")
    catalog.store.delete(payload_key("caption", hashes[2], "1", "model-a", "", "json"))
    return artifact_id


def payload_outside_the_store(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_artifact(hashes[0], "caption", payload_uri="file:///elsewhere/x.json")


def uppercase_content_hash(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_source("AB" * 32)


def superseded_without_replacement(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_artifact(hashes[0], "caption", status="superseded")


def unknown_status(catalog: Catalog, hashes: list[str]) -> str:
    return catalog.add_artifact(hashes[1], "caption", status="archived")


def source_hash_of_another_source(catalog: Catalog, hashes: list[str]) -> str:
    artifact_id = catalog.add_artifact(hashes[2], "caption")
    with catalog.engine.begin() as conn:
        conn.execute(
            derived_artifact.update().where(derived_artifact.c.artifact_id == artifact_id).values(source_hash=hashes[0])
        )
    return artifact_id


@pytest.mark.parametrize(
    ("break_catalog", "expectation"),
    [
        (two_current_ocr_artifacts, "derived_artifact.one_current_per_source_kind"),
        (null_model_id, "derived_artifact.model_id.not_null"),
        (payload_file_gone, PAYLOAD_EXPECTATION),
        (payload_outside_the_store, PAYLOAD_EXPECTATION),
        (uppercase_content_hash, "source_media.content_hash.is_sha256_hex"),
        (superseded_without_replacement, "derived_artifact.superseded_by.set_when_superseded"),
        (unknown_status, "derived_artifact.status.in_allowed_set"),
        (source_hash_of_another_source, "derived_artifact.source_hash.matches_source"),
    ],
)
def test_each_violation_fails_its_own_expectation_only(
    tmp_path: Path, break_catalog: Callable[[Catalog, list[str]], str], expectation: str
):
    catalog = make_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path / "store")
    bad_id = break_catalog(catalog, catalog.fill_clean())

    report = catalog.run()

    assert not report.success
    assert failing(report) == {expectation}
    result = report.result(expectation)
    assert result.unexpected == 1
    if expectation == "derived_artifact.one_current_per_source_kind":
        with catalog.engine.connect() as conn:  # the example is one of the two current OCR rows
            pair = (
                conn.execute(
                    sa.select(derived_artifact.c.artifact_id).where(
                        derived_artifact.c.kind == "ocr",
                        derived_artifact.c.status == "current",
                        derived_artifact.c.source_hash == "01" * 32,
                    )
                )
                .scalars()
                .all()
            )
            assert set(result.example_ids) <= set(pair) and bad_id in set(pair)
    else:
        assert result.example_ids == (bad_id,)


def loose_catalog(url: str, drop_column: str | None = None) -> sa.MetaData:
    """Catalog tables with no NOT NULL / UNIQUE (and optionally one column missing)."""
    loose = sa.MetaData()
    schema_version.to_metadata(loose)
    for table in (source_media, derived_artifact):
        columns = [sa.Column(c.name, c.type, nullable=True) for c in table.columns if c.name != drop_column]
        sa.Table(table.name, loose, *columns)
    engine = sa.create_engine(url)
    loose.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            loose.tables["schema_version"].insert(),
            [{"version": SCHEMA_VERSION, "description": "test", "applied_at": utcnow()}],
        )
    engine.dispose()
    return loose


def test_violations_the_schema_forbids_are_caught_on_a_catalog_without_those_constraints(tmp_path):
    """A hand-made or drifted catalog may lack NOT NULL / UNIQUE; the suites do not rely on them."""
    url = f"sqlite:///{tmp_path / 'loose.db'}"
    loose = loose_catalog(url)
    source = {"source_id": new_id(), "content_hash": "ab" * 32, "uri": "x", "tenant_id": "t"}
    with sa.create_engine(url).begin() as conn:
        conn.execute(
            loose.tables["source_media"].insert(),
            [
                source,
                {**source, "source_id": new_id()},
                {**source, "source_id": new_id(), "content_hash": None},
            ],
        )
        conn.execute(
            loose.tables["derived_artifact"].insert(),
            [{"artifact_id": new_id(), "source_id": source["source_id"], "status": "current"}],
        )

    report = run_catalog_expectations(url, LocalBlobStore(tmp_path / "store"))

    assert {
        "source_media.content_hash.not_null",
        "source_media.content_hash.unique",
        "derived_artifact.source_hash.not_null",
        "derived_artifact.kind.not_null",
        "derived_artifact.pipeline_version.not_null",
        "derived_artifact.payload_uri.not_null",
        PAYLOAD_EXPECTATION,
    } <= failing(report)
    assert report.result("source_media.content_hash.unique").unexpected == 2


def test_an_expectation_that_cannot_run_raises_a_typed_error_naming_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'drifted.db'}"
    loose_catalog(url, drop_column="status")

    with pytest.raises(CatalogExpectationError, match=r"derived_artifact\.\S+ could not run on the catalog"):
        run_catalog_expectations(url, LocalBlobStore(tmp_path / "store"))


@pytest.mark.postgres
def test_the_suites_run_on_postgresql(tmp_path, postgres_url):
    catalog = make_catalog(postgres_url, tmp_path / "store")
    hashes = catalog.fill_clean()
    assert catalog.run().success

    two_current_ocr_artifacts(catalog, hashes)
    uppercase_content_hash(catalog, hashes)
    source_hash_of_another_source(catalog, hashes)
    report = catalog.run()
    catalog.engine.dispose()

    assert failing(report) == {
        "derived_artifact.one_current_per_source_kind",
        "source_media.content_hash.is_sha256_hex",
        "derived_artifact.source_hash.matches_source",
    }


def test_running_the_suites_leaves_no_files_and_prints_no_progress_bars(clean, tmp_path, monkeypatch, capfd):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)

    clean.run()

    assert list(workdir.iterdir()) == []
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err + captured.out


def test_importing_the_expectations_does_not_import_great_expectations():
    code = "import sys, expectations; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckEvaluation]:
    entries = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    return [entry.dagster_event.event_specific_data for entry in entries]


def test_the_check_runs_with_processing_event_and_on_its_own_in_real_runs(mm_settings, tmp_path):
    report = ingest_paths(
        distinct_images(tmp_path / "in", 2),
        catalog=CatalogResource(url=mm_settings.catalog_url),
        store=open_store(mm_settings.store_root),
        caps=mm_settings.caps,
        options=IngestOptions(),
    )
    keys = report.new_partition_keys
    instance = get_instance(mm_settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
    # The project's Definitions already attach the check to processing_event.
    check_key = dg.AssetCheckKey(PROCESSING_EVENT, CHECK_NAME)
    check_only = dg.define_asset_job("catalog_check_only", selection=dg.AssetSelection.checks(check_key))
    defs = dg.Definitions.merge(build_definitions(mm_settings), dg.Definitions(jobs=[check_only]))

    runs = materialize_partitions(defs, instance, [PROCESSING_EVENT], keys, batch_size=200)

    assert runs.failed == {} and len(runs.run_ids) == 1
    # processing_event's version_consistency check runs beside it: take the catalog check's.
    [evaluation] = [e for e in check_evaluations(instance, runs.run_ids[0]) if e.check_name == CHECK_NAME]
    assert evaluation.check_name == CHECK_NAME and evaluation.asset_key == PROCESSING_EVENT
    assert evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["rows.source_media"].value == 2

    catalog = make_catalog(mm_settings.catalog_url, Path(mm_settings.store_root))
    catalog.add_artifact(keys[0], "ocr", "1")
    catalog.add_artifact(keys[0], "ocr", "2")
    result = defs.resolve_job_def("catalog_check_only").execute_in_process(
        instance=instance, run_config=QUIET_RUN_CONFIG
    )

    assert result.success  # a failed ERROR check is a verdict, not a crashed run
    [evaluation] = check_evaluations(instance, result.run_id)
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["failed"].value == "derived_artifact.one_current_per_source_kind"
    detail = evaluation.metadata["derived_artifact.one_current_per_source_kind"].value
    assert detail["unexpected"] == 1 and len(detail["example_ids"]) == 1


def test_the_payload_check_samples_at_most_max_rows(clean):
    sampled = check_payloads_exist(clean.engine, clean.store, max_rows=4)
    everything = check_payloads_exist(clean.engine, clean.store, max_rows=10_000)

    assert (sampled.checked, everything.checked) == (4, 9)
    assert sampled.success and everything.success
    with pytest.raises(ValueError, match="max_payload_rows must be at least 1"):
        run_catalog_expectations(clean.url, clean.store, max_payload_rows=0)


def test_many_current_crops_of_one_source_are_not_a_violation(tmp_path):
    """A crop is one page region; a source has as many current crops as regions asked for."""
    catalog = make_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path / "store")
    hashes = catalog.fill_clean()
    catalog.add_artifact(hashes[0], "crop", "1")
    catalog.add_artifact(hashes[0], "crop", "2")

    assert catalog.run().success
