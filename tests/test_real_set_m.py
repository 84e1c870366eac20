"""Set M (`--real i21-m`, evaluation/real/SPLIT.md): twenty-nine documents whose data was written here and printed by
two packages no set used before (the npm package `receipt`, which lays out till receipts and computes each line's total,
and django-invoiceproject's COMMERCIAL INVOICE, which prints what it is given); held back until it judged fields v21 and
v22 once each (2026-12-04 18:11 and 19:04 UTC), tuning material since. These tests check the material only, never what
the pipeline makes of it: that the set is spent and runs with `--real all`, that each page's truth follows from the data
vendored beside it, that exactly the seven pages made wrong on purpose say so, and that every scan carries the truth of
the page it was made from."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from mm_assets.operations.real_documents import REAL_DIR
from tests.real_set_material import assert_only_these_made_wrong, assert_spent_and_hashed, blind_set, cents

SOURCES = REAL_DIR / "invoices/generated_here/set_m"
MADE_WRONG = [
    "invoices/djinvoice_cedar_ridge_2026_121_wrong_line.pdf",
    "invoices/djinvoice_cedar_ridge_2026_121_wrong_line_scan.pdf",
    "invoices/djinvoice_whisker_paw_wg_1007_wrong_total.pdf",
    "invoices/receiptjs_at_buchhandlung_beleg_4120_wrong_tax.pdf",
    "invoices/receiptjs_be_librairie_ticket_6632_wrong_subtotal.pdf",
    "invoices/receiptjs_us_hardware_receipt_30981_wrong_total.pdf",
    "invoices/receiptjs_us_hardware_receipt_30981_wrong_total_scan.pdf",
]
OTHERS = [
    "invoices/receiptjs_es_taller_presupuesto_p_0388.pdf",
    "invoices/receiptjs_es_taller_presupuesto_p_0388_scan.pdf",
    "invoices/receiptjs_gb_click_collect_order_confirmation_k2291.pdf",
]
# Which checks a receipt's printed figures break, by the figure made wrong (a wrong subtotal breaks both sums).
RECEIPT_BROKEN_BY = {None: [], "total": ["total"], "tax": ["total"], "net": ["subtotal", "total"]}
# The labels under a receipt's table that name each figure of its truth.
RECEIPT_FIELDS = {"net": "subtotal", "tax": "tax", "total": "total"}


def _sources(name: str) -> dict[str, dict]:
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def _amount(printed: str) -> Decimal:
    """`€59.90`, `CHF 24.40`, `$1,240.00` -> the number."""
    return Decimal(re.sub(r"[^\d.]", "", printed))


def test_set_m_is_spent_runs_by_name_or_with_all_and_each_file_is_the_one_hashed():
    assert_spent_and_hashed("i21-m", 29)


def test_only_the_seven_pages_made_wrong_on_purpose_are_inconsistent_and_nineteen_are_consistent():
    files, expected = assert_only_these_made_wrong("i21-m", MADE_WRONG)
    consistent = [r for r in files if expected[r]["doc_type"] != "other" and not expected[r].get("inconsistent")]
    assert len(consistent) == 19
    kinds = [expected[r]["doc_type"] for r in files]
    assert (kinds.count("receipt"), kinds.count("invoice"), kinds.count("other")) == (16, 10, 3)


def test_every_scan_carries_the_truth_of_the_page_it_was_made_from_and_the_others_are_neither():
    files, expected = blind_set("i21-m")
    scans = [relative for relative in files if relative.endswith("_scan.pdf")]
    assert len(scans) == 8
    for scan in scans:
        original = re.sub(r"(_turned)?_scan\.pdf$", ".pdf", scan)
        assert original in files and expected[scan] == expected[original], scan
    others = sorted(relative for relative in files if expected[relative]["doc_type"] == "other")
    assert others == OTHERS
    assert all(expected[relative]["fields"] == {} for relative in others)


def _line_total(line: dict) -> Decimal:
    """The receipt package's own line total (src/formatters.js, table): qty x cost in cents, less its discount."""
    total = Decimal(line["qty"]) * Decimal(line["cost"])
    discount = line.get("discount")
    if discount and discount["type"] == "percentage":
        total *= 1 - Decimal(str(discount["value"]))
    elif discount:
        total -= Decimal(discount["value"])
    return cents(total / 100)


def _table_at(document: dict) -> int:
    return next(index for index, chunk in enumerate(document["chunks"]) if chunk["type"] == "table")


def _table(document: dict) -> list[dict]:
    return document["chunks"][_table_at(document)]["lines"]


def _printed_sums(document: dict) -> dict[str, Decimal]:
    """The figures printed under the table (the properties right after it): net, tax and total, or tax and total."""
    rows = document["chunks"][_table_at(document) + 1]["lines"]
    assert len(rows) in (2, 3)
    keys = ("net", "tax", "total")[-len(rows) :]
    return {key: _amount(row["value"]) for key, row in zip(keys, rows, strict=True)}


def _broken(printed: dict[str, Decimal], lines: Decimal, tax_included: bool) -> list[str]:
    """Which sums the printed figures break: the lines add up to the net (tax added) or to the total (tax included),
    and net + tax = total."""
    broken = []
    if "net" in printed and not tax_included and printed["net"] != lines:
        broken.append("subtotal")
    if tax_included and printed["total"] != lines:
        broken.append("lines to total")
    if "net" in printed and printed["net"] + printed["tax"] != printed["total"]:
        broken.append("total")
    return broken


def test_receipt_pages_carry_the_figures_printed_under_their_table_and_only_the_made_wrong_ones_break_a_sum():
    _, expected = blind_set("i21-m")
    documents = _sources("receipt_documents.json")
    assert len(documents) == 14
    for name, document in documents.items():
        truth = expected[f"invoices/{name}.pdf"]
        lines = sum(_line_total(line) for line in _table(document))
        assert lines == Decimal(document["sums"]["lines"]), name
        if truth["doc_type"] == "other":
            assert re.search(r"ORDER CONFIRMATION|PRESUPUESTO", document["chunks"][2]["value"]), name
            continue
        printed, fields = _printed_sums(document), truth["fields"]
        for key, field in RECEIPT_FIELDS.items():
            assert (field in fields) == (key in printed), (name, field)
            if key in printed:
                assert Decimal(fields[field]) == printed[key], (name, field)
        assert fields["invoice_number"] in json.dumps(document["chunks"], ensure_ascii=False), name
        tax_included = document["sums"]["net"] != document["sums"]["lines"]
        wrong = (document.get("made_wrong") or {}).get("figure")
        assert _broken(printed, lines, tax_included) == RECEIPT_BROKEN_BY[wrong], name
        assert bool(wrong) == truth.get("inconsistent", False), name


def test_receipt_texts_are_the_package_output_the_pages_print():
    """receipt_text/ holds what the package wrote for each receipt; every line total it computed is in it."""
    documents = _sources("receipt_documents.json")
    for name, document in documents.items():
        text = (SOURCES / "receipt_text" / f"{name}.txt").read_text(encoding="utf-8")
        symbol = document["config"]["currency"]
        for line in _table(document):
            assert f"{symbol}{_line_total(line)}" in text, (name, line["item"])
        assert document["chunks"][2]["value"] in text, name  # the title


def test_commercial_invoices_carry_their_total_and_only_the_made_wrong_ones_break_a_sum():
    _, expected = blind_set("i21-m")
    documents = _sources("commercial_invoice_documents.json")
    assert len(documents) == 7
    for name, document in documents.items():
        truth = expected[f"invoices/{name}.pdf"]
        fields = truth["fields"]
        assert fields["invoice_number"] == document["number"], name
        assert (fields["invoice_date"], fields["due_date"]) == (document["date"], document["due"]), name
        assert Decimal(fields["total"]) == _amount(document["total"]), name
        assert document["business"]["name"] in (
            fields["vendor"] if isinstance(fields["vendor"], list) else [fields["vendor"]]
        )
        lines = document["lines"]
        broken = {
            "line": any(Decimal(x["quantity"]) * Decimal(x["unit_price"]) != Decimal(x["amount"]) for x in lines),
            "total": sum(Decimal(x["amount"]) for x in lines) != _amount(document["total"]),
        }
        wrong = document.get("made_wrong") or {}
        assert [check for check, fails in broken.items() if fails] == [key for key in ("line", "total") if key in wrong]
        assert bool(wrong) == truth.get("inconsistent", False), name
    assert len(documents["djinvoice_happy_tails_inv_2026_0431_long"]["lines"]) == 44  # two pages


def test_every_package_of_set_m_has_its_licence_beside_the_pages():
    for package, words in (("receipt", "MIT License"), ("django-invoiceproject", "The MIT License (MIT)")):
        assert words in (REAL_DIR / f"invoices/LICENSE-{package}.txt").read_text(encoding="utf-8"), package
