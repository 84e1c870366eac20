"""Set K (`--real i21-k`, evaluation/real/SPLIT.md): thirty documents whose data was written here and printed by
three packages (gen-invoice, invoice4pdf, the CTAN invoice package); held back until they judged fields v20 once
(2026-12-04 15:10 UTC), tuning material since. These tests check the material only, never what the pipeline makes of
it: that the set is spent and runs with `--real all`, that each page's truth follows from the data
vendored beside it, that exactly the five pages made wrong on purpose say so, and that every scan carries the truth
of the page it was made from."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from mm_assets.operations.real_documents import REAL_DIR
from tests.real_set_material import assert_only_these_made_wrong, assert_spent_and_hashed, blind_set, cents

SOURCES = REAL_DIR / "invoices/generated_here/set_k"
MADE_WRONG = [
    "invoices/geninvoice_invoice_sb_2026_121_wrong_total.pdf",
    "invoices/geninvoice_invoice_sb_2026_121_wrong_total_turned_scan.pdf",
    "invoices/geninvoice_invoice_sb_2026_124_wrong_subtotal.pdf",
    "invoices/invoice4pdf_10042_wrong_line.pdf",
    "invoices/invoice4pdf_10042_wrong_line_scan.pdf",
]


def test_set_k_is_spent_runs_by_name_or_with_all_and_each_file_is_the_one_hashed():
    """Set K judged fields v20 once (2026-12-04 15:10 UTC) and is tuning material since: no file is held back,
    so `--real all` runs it too."""
    assert_spent_and_hashed("i21-k", 30)


def test_only_the_five_pages_made_wrong_on_purpose_are_inconsistent_and_each_names_its_check():
    files, expected = assert_only_these_made_wrong("i21-k", MADE_WRONG)


def test_every_scan_carries_the_truth_of_the_page_it_was_made_from_and_the_quote_is_no_invoice():
    files, expected = blind_set("i21-k")
    scans = [relative for relative in files if relative.endswith("_scan.pdf")]
    assert len(scans) == 12
    for scan in scans:
        original = re.sub(r"(_turned)?_scan\.pdf$", ".pdf", scan)
        assert original in files and expected[scan] == expected[original], scan
    others = sorted(relative for relative in files if expected[relative]["doc_type"] == "other")
    assert others == [
        "invoices/ctaninvoice_auftragsbestaetigung_ab_2026_0088.pdf",
        "invoices/ctaninvoice_auftragsbestaetigung_ab_2026_0088_turned_scan.pdf",
        "invoices/ctaninvoice_devis_d_2026_031.pdf",
        "invoices/geninvoice_quote_q_0457.pdf",
        "invoices/geninvoice_quote_q_0457_turned_scan.pdf",
    ]
    assert all(expected[relative]["fields"] == {} for relative in others)


def test_gen_invoice_pages_print_the_generator_figures_but_where_an_override_replaced_them():
    _, expected = blind_set("i21-k")
    documents = json.loads((SOURCES / "geninvoice/geninvoice_documents.json").read_text(encoding="utf-8"))
    for name, document in documents.items():
        lines = sum(Decimal(item["Quantity"]) * Decimal(item["Price"]) for item in document["items"])
        tax = cents(lines * Decimal(str(document["tax"])))
        truth = expected[f"invoices/{name}.pdf"]
        if document.get("is_quote"):
            assert truth["doc_type"] == "other", name
            continue
        fields, overrides = truth["fields"], document.get("context_overrides", {})
        assert fields["invoice_number"] == document["number"] and Decimal(fields["tax"]) == tax, name
        printed_subtotal = Decimal(str(overrides["sections"][0]["total"])) if "sections" in overrides else lines
        printed_total = Decimal(str(overrides.get("total", lines + tax)))
        assert Decimal(fields["total"]) == printed_total, name
        if len({item.get("Section", "") for item in document["items"]}) > 1:  # a subtotal per section: none scored
            assert "subtotal" not in fields, name
        else:
            assert Decimal(fields["subtotal"]) == printed_subtotal, name
        assert bool(overrides) == truth.get("inconsistent", False), name  # an override is how a page was made wrong


def test_invoice4pdf_pages_print_their_spreadsheet_and_only_the_wrong_cell_breaks_a_line():
    _, expected = blind_set("i21-k")
    sheets = json.loads((SOURCES / "invoice4pdf/excel_invoices.json").read_text(encoding="utf-8"))
    for stem, rows in sheets.items():
        number, date = stem.split("-")
        relative = next(r for r in expected if r.startswith(f"invoices/invoice4pdf_{number}") and "scan" not in r)
        fields = expected[relative]["fields"]
        assert (fields["invoice_number"], fields["invoice_date"]) == (number, date.replace(".", "-"))
        assert Decimal(fields["total"]) == sum(Decimal(str(row[4])) for row in rows)
        wrong = [row[0] for row in rows if Decimal(str(row[2])) * Decimal(str(row[3])) != Decimal(str(row[4]))]
        assert wrong == ([226] if number == "10042" else [])
        assert bool(wrong) == bool(expected[relative].get("inconsistent")), number


def test_ctan_invoice_pages_carry_the_sums_of_their_letters_fees_vat_and_expenses():
    _, expected = blind_set("i21-k")
    letters = sorted((SOURCES / "ctan_invoice").glob("ctaninvoice_*.tex"))
    assert len(letters) == 10
    for letter in letters:
        source = letter.read_text(encoding="utf-8")
        if expected[f"invoices/{letter.stem}.pdf"]["doc_type"] == "other":  # an order confirmation, a quote
            assert re.search(r"Auftragsbestätigung|Devis", source), letter.name
            continue
        currency, rate = re.search(r"\\begin\{invoice\}\{(\w+)\}\{(\d+)\}", source).groups()
        rate = Decimal(rate)
        fee_lines = re.findall(r"\\Fee\{[^}]*\}\{([\d.]+)\}\{(\d+)\}", source)
        fees = sum(Decimal(price) * int(count) for price, count in fee_lines)
        expenses = sum(Decimal(amount) for amount in re.findall(r"\\EBC\{[^}]*\}\{([\d.]+)\}", source))
        fields = expected[f"invoices/{letter.stem}.pdf"]["fields"]
        assert fields["currency"] == {"Euro": "EUR"}.get(currency, currency), letter.name
        assert Decimal(fields["tax"]) == cents(fees * rate / 100), letter.name
        assert Decimal(fields["total"]) == fees + cents(fees * rate / 100) + expenses, letter.name
        if expenses:  # the fees' subtotal or the net with the expense: left out as ambiguous
            assert "subtotal" not in fields, letter.name
        else:
            assert Decimal(fields["subtotal"]) == fees, letter.name
        assert fields["invoice_number"] in source, letter.name


def test_every_package_of_set_k_has_its_licence_beside_the_pages():
    for package, words in (
        ("gen-invoice", "Permission is hereby granted"),
        ("invoice4pdf", "Permission is hereby granted"),
        ("ctan-invoice", "LaTeX Project Public License 1.3c"),
    ):
        assert words in (REAL_DIR / f"invoices/LICENSE-{package}.txt").read_text(encoding="utf-8"), package
