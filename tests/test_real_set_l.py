"""Set L (`--real i21-l`, evaluation/real/SPLIT.md): twenty-four documents whose data was written here and printed by
two CTAN packages (invoice2, which computes its sums, and isodoc, which prints what it is given); held back until it
judged fields v20 and v21 once each (2026-12-04 16:02 and 16:03 UTC), tuning material since. These tests check the
material only, never what the pipeline makes of it: that the set is spent and runs with `--real all`, that each
page's truth follows from the data vendored beside it, that exactly the four pages made wrong on purpose say so, and
that every scan carries the truth of the page it was made from."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from mm_assets.operations.real_documents import REAL_DIR
from tests.real_set_material import assert_only_these_made_wrong, assert_spent_and_hashed, blind_set, cents

SOURCES = REAL_DIR / "invoices/generated_here/set_l"
MADE_WRONG = [
    "invoices/isodoc_factura_2026_0210_wrong_line.pdf",
    "invoices/isodoc_invoice_hv_2026_0944_wrong_total.pdf",
    "invoices/isodoc_invoice_hv_2026_0944_wrong_total_scan.pdf",
    "invoices/isodoc_rechnung_2026_1102_wrong_subtotal.pdf",
]
BROKEN_BY = {None: [], "total": ["total"], "subtotal": ["total", "subtotal"], "line": ["line"]}
OTHERS = [
    "invoices/invoicetwo_angebot_ang_2026_302.pdf",
    "invoices/invoicetwo_angebot_ang_2026_302_turned_scan.pdf",
    "invoices/invoicetwo_pro_forma_pf_2026_12.pdf",
    "invoices/invoicetwo_purchase_order_po_88213.pdf",
]


def _sources(name: str) -> dict[str, dict]:
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def test_set_l_is_spent_runs_by_name_or_with_all_and_each_file_is_the_one_hashed():
    assert_spent_and_hashed("i21-l", 24)


def test_only_the_four_pages_made_wrong_on_purpose_are_inconsistent_and_each_names_its_check():
    files, expected = assert_only_these_made_wrong("i21-l", MADE_WRONG)
    consistent = [r for r in files if expected[r]["doc_type"] == "invoice" and not expected[r].get("inconsistent")]
    assert len(consistent) == 16


def test_every_scan_carries_the_truth_of_the_page_it_was_made_from_and_the_others_are_no_invoices():
    files, expected = blind_set("i21-l")
    scans = [relative for relative in files if relative.endswith("_scan.pdf")]
    assert len(scans) == 8
    for scan in scans:
        original = re.sub(r"(_turned)?_scan\.pdf$", ".pdf", scan)
        assert original in files and expected[scan] == expected[original], scan
    others = sorted(relative for relative in files if expected[relative]["doc_type"] == "other")
    assert others == OTHERS
    assert all(expected[relative]["fields"] == {} for relative in others)


def _invoice2_sums(document: dict) -> tuple[Decimal, Decimal, Decimal]:
    """Net, VAT and gross as invoice2 computes them: every price net unless included-vat, one rate per page."""
    options = dict(part.strip().split("=") for part in document["options"].split(","))
    rate, included = Decimal(options["vat"]), options.get("included-vat") == "true"
    items = document["items"]
    if items == "MANY":  # the 2-page invoice's 56 generated lines (make_invoice2.py.txt, many_items)
        items = [[1 + (n * 7) % 5, "", f"{6 + (n * 13) % 41}.00"] for n in range(56)]
    lines = sum(Decimal(quantity) * Decimal(price) for quantity, _text, price in items)
    if included:
        net = lines / (1 + rate)
        return cents(net), cents(lines - net), cents(lines)
    return cents(lines), cents(lines * rate), cents(lines * (1 + rate))


def test_invoice2_pages_carry_the_sums_the_package_computes_from_their_data():
    _, expected = blind_set("i21-l")
    documents = _sources("invoice2_documents.json")
    assert len(documents) == 10
    for name, document in documents.items():
        truth = expected[f"invoices/{name}.pdf"]
        if truth["doc_type"] == "other":
            assert re.search(r"Angebot|Pro Forma|Purchase Order", document["title"]), name
            continue
        net, vat, gross = _invoice2_sums(document)
        fields = truth["fields"]
        assert fields["invoice_number"] == document["number"] and Decimal(fields["total"]) == gross, name
        if vat:
            assert (Decimal(fields["subtotal"]), Decimal(fields["tax"])) == (net, vat), name
        else:  # no VAT column, no net or VAT row: only the gross total is printed
            assert "subtotal" not in fields and "tax" not in fields, name


def test_isodoc_pages_print_their_typed_figures_and_only_the_made_wrong_ones_break_a_sum():
    _, expected = blind_set("i21-l")
    documents = _sources("isodoc_documents.json")
    assert len(documents) == 6
    for name, document in documents.items():
        truth = expected[f"invoices/{name}.pdf"]
        (_, subtotal, _), (_, tax, _), (_, total, _) = document["sums"]
        fields = truth["fields"]
        assert (fields["subtotal"], fields["tax"], fields["total"]) == (subtotal, tax, total), name
        assert fields["invoice_number"] in document["subject"] and fields["currency"] == document["currency"], name
        lines = sum(Decimal(amount) for _text, amount in document["items"])
        broken = {
            "total": Decimal(subtotal) + Decimal(tax) != Decimal(total),
            "subtotal": lines != Decimal(subtotal),
            "line": any(_line_breaks(text, amount) for text, amount in document["items"]),
        }
        # a wrong subtotal breaks subtotal + tax = total too (its tax and total are those of the true lines)
        assert [check for check, fails in broken.items() if fails] == BROKEN_BY.get(document.get("made_wrong")), name
        assert bool(document.get("made_wrong")) == truth.get("inconsistent", False), name


def _line_breaks(text: str, amount: str) -> bool:
    """A line that names its quantity and unit price (`12 h a 95.00`, `2 days at 540.00`) must print their product."""
    match = re.search(r"(\d+) \w+ (?:a|at) ([\d.]+)$", text)
    return bool(match) and Decimal(match[1]) * Decimal(match[2]) != Decimal(amount)


def test_every_package_of_set_l_has_its_licence_beside_the_pages():
    for package, words in (
        ("invoice2", "GNU GENERAL PUBLIC LICENSE"),
        ("isodoc", "LaTeX Project Public License 1.3c"),
    ):
        assert words in (REAL_DIR / f"invoices/LICENSE-{package}.txt").read_text(encoding="utf-8"), package
