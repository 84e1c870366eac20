"""Documents as data, on real models and real Dagster runs: upright pages, layout blocks, table
JSON, invoice fields verified by arithmetic, a review item for a printed total that does not add
up, and the `mm tables` / `mm fields` commands. One materialization is shared by the module."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from types import SimpleNamespace

import dagster as dg
import pytest
import sqlalchemy as sa

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.cli import EXIT_OK, EXIT_USAGE, main
from mm_assets.definitions import build_definitions
from mm_assets.kinds.fields import fields_verified_verdicts
from mm_assets.kinds.table import table_structure_verdicts
from mm_assets.operations.document_pages import Table, Text, born_digital, scanned
from mm_assets.operations.invoice_set import STYLES, invoice_elements, invoice_truth, random_invoice
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import Settings
from resources.catalog import CatalogResource, processing_step
from resources.document_models import TableRecognizer
from resources.media_store import LocalBlobStore
from tests.conftest import ingest_and_register

pytestmark = pytest.mark.slow

KINDS = ["source_media", "pages", "ocr", "layout", "table", "fields"]
REPORT_ROWS = (("Region", "Units", "Revenue"), ("North", "120", "4,800.00"), ("South", "95", "3,610.50"))


@dataclass
class Built:
    settings: Settings
    keys: dict[str, str]
    catalog: CatalogResource
    store: LocalBlobStore
    truth: dict[str, dict]
    run_ids: list[str]


def report_pages() -> list:
    """Two columns of prose and a ruled table: no invoice."""
    left = [Text(72, 120 + 14 * i, f"Left column line {i} on sales.") for i in range(6)]
    right = [Text(320, 120 + 14 * i, f"Right column line {i} on costs.") for i in range(6)]
    return [[Text(72, 72, "Annual sales report", 18, True), *left, *right, Table(72, 260, REPORT_ROWS, (160, 90, 120))]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("documents")
    media = root / "media"
    media.mkdir()
    rng = random.Random(21)
    consistent = random_invoice(rng, STYLES[0], items=3)
    wrong = random_invoice(rng, STYLES[1], wrong_total=True, items=3)
    (media / "invoice-digital.pdf").write_bytes(born_digital([invoice_elements(consistent)]))
    sideways, _upright = scanned(born_digital([invoice_elements(wrong)]), turn=90, skew=1.5)
    (media / "invoice-sideways.pdf").write_bytes(sideways)
    (media / "report.pdf").write_bytes(born_digital(report_pages()))
    settings, keys, instance = ingest_and_register(media, root / "home")
    result = materialize_partitions(
        build_definitions(settings), instance, [dg.AssetKey(k) for k in KINDS], list(keys.values()), batch_size=10
    )
    assert result.failed == {}, result.failed
    truth = {"invoice-digital.pdf": invoice_truth(consistent), "invoice-sideways.pdf": invoice_truth(wrong)}
    catalog = CatalogResource(url=settings.catalog_url)
    return Built(settings, keys, catalog, LocalBlobStore(settings.store_root), truth, result.run_ids)


def payload(built: Built, kind: str, name: str) -> dict:
    row = current_artifacts(built.catalog, kind, [built.keys[name]])[built.keys[name]]
    return json.loads(built.store.read_bytes(store_key_of(built.store, row["payload_uri"])))


def test_a_sideways_skewed_scan_is_stored_upright_with_its_rotation_recorded(built):
    page = payload(built, "pages", "invoice-sideways.pdf")["pages"][0]
    assert page["rotation"] == 270  # turned a quarter counter-clockwise: 270 more makes it upright
    assert abs(page["skew"] + 1.5) <= 0.5
    assert page["height"] > page["width"]  # a portrait page again
    assert page["source"] == "picture" and "note" not in page  # the scan's picture at its own pixels, not rendered
    digital = payload(built, "pages", "invoice-digital.pdf")["pages"][0]
    assert digital["rotation"] == 0 and digital["source"] == "render"


def test_layout_blocks_have_class_box_reading_order_and_the_text_layer_text(built):
    report = payload(built, "layout", "report.pdf")["pages"][0]["blocks"]
    assert [b["order"] for b in report] == list(range(len(report)))
    assert {"title", "table"} <= {b["class"] for b in report}
    text = [b["text"] for b in report]
    lefts = [i for i, t in enumerate(text) if "Left column" in t]
    rights = [i for i, t in enumerate(text) if "Right column" in t]
    assert lefts and rights and max(lefts) < min(rights)  # the left column is read before the right one
    assert any("Left column line 0 on sales." in t for t in text)  # born-digital: exact text


def test_a_born_digital_table_comes_out_cell_for_cell(built):
    tables = payload(built, "table", "report.pdf")["tables"]
    assert len(tables) == 1
    table = tables[0]
    assert table["rows"] == [list(row) for row in REPORT_ROWS]
    assert (table["n_rows"], table["n_cols"]) == (3, 3)
    revenue = next(c for c in table["cells"] if c["text"] == "3,610.50")
    assert (revenue["row"], revenue["col"], revenue["rowspan"], revenue["colspan"]) == (2, 2, 1, 1)
    assert revenue["bbox"][0] > table["bbox"][0] and revenue["bbox"][3] <= table["bbox"][3] + 1
    assert table["html"].startswith("<table><tr><td>Region</td>")


def test_a_consistent_born_digital_invoice_is_verified_and_accepted(built):
    fields = payload(built, "fields", "invoice-digital.pdf")
    truth = built.truth["invoice-digital.pdf"]
    assert fields["doc_type"] == "invoice"
    assert {name: f["value"] for name, f in fields["fields"].items()} == truth["fields"]
    assert [{p: v["value"] for p, v in item.items()} for item in fields["line_items"]] == truth["line_items"]
    assert fields["verification"] == {
        "status": "verified",
        "failed": [],
        "rules_checked": 6,
    }  # 3 lines, sum, total, dates
    assert fields["disposition"] == "accepted"


def test_a_wrong_printed_total_is_a_conflict_with_a_review_pointing_at_the_numbers(built, monkeypatch, capsys):
    fields = payload(built, "fields", "invoice-sideways.pdf")
    truth = built.truth["invoice-sideways.pdf"]
    assert fields["fields"]["total"]["value"] == truth["fields"]["total"]
    assert fields["verification"]["status"] == "conflict"
    failure = fields["verification"]["failed"][0]
    assert failure["rule"] == "subtotal_plus_tax_is_total"
    assert failure["found"] == truth["fields"]["total"]
    assert [box["bbox"] for box in failure["boxes"]][-1] == fields["fields"]["total"]["bbox"]
    monkeypatch.setenv("MM_HOME", str(built.settings.home))
    assert main(["fields", built.keys["invoice-sideways.pdf"], "--tenant", "t1", "--json"]) == EXIT_OK
    printed = json.loads(capsys.readouterr().out)
    assert printed["disposition"] == "human_review" and printed["review_id"]
    assert main(["review", "list", "--global", "--json"]) == EXIT_OK
    reviews = json.loads(capsys.readouterr().out)
    review = next(
        r
        for r in (reviews if isinstance(reviews, list) else reviews["reviews"])
        if r["review_id"] == printed["review_id"]
    )
    assert "subtotal_plus_tax_is_total" in review["reason"]


def test_extract_and_verify_are_processing_steps_of_the_run(built):
    with built.catalog.engine.connect() as conn:
        steps = conn.execute(
            sa.select(processing_step.c.step, processing_step.c.outcome, processing_step.c.details).where(
                processing_step.c.source_hash == built.keys["invoice-sideways.pdf"],
                processing_step.c.step.in_(["extract", "verify"]),
            )
        ).all()
    by_step = {row.step: row for row in steps}
    assert by_step["extract"].details["fields_found"] >= 7
    assert by_step["verify"].outcome == "conflict"
    assert by_step["verify"].details["failed_rule"] == "subtotal_plus_tax_is_total"


def test_checks_pass_consistent_documents_and_fail_the_conflict(built):
    resources = SimpleNamespace(catalog=built.catalog)
    verdicts = fields_verified_verdicts(resources, list(built.keys.values()))
    assert verdicts[built.keys["invoice-digital.pdf"]][0] is True
    assert verdicts[built.keys["report.pdf"]][0] is True  # not an invoice: nothing to verify
    assert verdicts[built.keys["invoice-sideways.pdf"]][0] is False
    structure = table_structure_verdicts(resources, list(built.keys.values()))
    assert structure[built.keys["report.pdf"]] == (True, {"tables": 1, "reason": "ok"})


def test_mm_tables_prints_json_and_writes_csv_only_for_the_owner(built, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("MM_HOME", str(built.settings.home))
    key = built.keys["report.pdf"]
    assert main(["tables", key, "--tenant", "t1", "--json", "--csv", str(tmp_path)]) == EXIT_OK
    printed = json.loads(capsys.readouterr().out)
    assert printed["tables"][0]["rows"][1] == ["North", "120", "4,800.00"]
    (written,) = list(tmp_path.glob("*.csv"))
    assert written.read_text().splitlines()[2] == 'South,95,"3,610.50"'
    assert main(["tables", key, "--tenant", "someone-else", "--json"]) == EXIT_USAGE
    assert main(["tables", key, "--json"]) == EXIT_USAGE  # no scope given


def test_only_the_table_kind_carries_the_table_model_id(built):
    class OtherTableModel(TableRecognizer):
        def model_id(self) -> str:
            return "rapid-table-9.9-other"

    before = build_definitions(built.settings).resolve_asset_graph()
    after = build_definitions(built.settings, models={"table_recognizer": OtherTableModel()}).resolve_asset_graph()
    changed = {
        key.path[-1]
        for key in before.get_all_asset_keys()
        if before.get(key).code_version != after.get(key).code_version
    }
    assert changed == {"table"}


def test_a_question_about_a_table_value_returns_the_cell_box_as_evidence(built):
    from mm_assets.kinds import kind_names
    from mm_assets.operations.search import Searcher, SearchQuery
    from mm_assets.orchestration.instance import get_instance

    key = built.keys["report.pdf"]
    rest = [dg.AssetKey(k) for k in kind_names() if k not in kind_names("audio_video")]
    result = materialize_partitions(
        build_definitions(built.settings), get_instance(built.settings), rest, [key], batch_size=10
    )
    assert result.failed == {}, result.failed
    response = Searcher.from_settings(built.settings).search(SearchQuery(text="South revenue", tenant="t1", k=3))
    top = response.results[0]
    assert top.content_hash == key
    cells = [entry for entry in top.evidence if entry.get("table_cell")]
    table = payload(built, "table", "report.pdf")["tables"][0]
    south = next(cell for cell in table["cells"] if cell["text"] == "3,610.50")
    assert cells and cells[0]["bbox"] == south["bbox"] and cells[0]["text"] == "South | Revenue: 3,610.50"
