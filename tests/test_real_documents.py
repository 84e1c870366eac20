"""The real-document half of `mm eval tables` / `mm eval fields`: vendored files, their split and
the looser scoring their hand-written truth needs."""

from __future__ import annotations

import pytest

from mm_assets.operations.document_evaluation import by_segment, real_samples, summarise_tables
from mm_assets.operations.evaluation_base import EvaluationError
from mm_assets.operations.real_documents import REAL_DIR, real_truth, score_real_fields, score_real_table


def test_every_real_document_is_vendored_with_truth_and_a_place_in_the_written_split():
    truth, split = real_truth(), (REAL_DIR / "SPLIT.md").read_text(encoding="utf-8")
    named = [*truth["tables"], *truth["fields"]]
    assert sorted(str(p.relative_to(REAL_DIR)) for p in REAL_DIR.glob("*/*.pdf")) == sorted(named)
    for relative in named:
        expected = "held-back" if relative in truth["held_back"] else "tuning"
        assert f"| {relative} | {expected} |" in split
    assert set(truth["held_back"]) < set(named)


def test_tuning_runs_leave_the_held_back_documents_out():
    tuning = real_samples("tables", "tuning")
    everything = real_samples("tables", "all")
    assert tuning and not any(s.held_back for s in tuning)
    assert {s.segments for s in everything} == {("real",), ("real held-back",)}
    assert real_samples("fields", "none") == []
    with pytest.raises(EvaluationError):
        real_samples("tables", "some")


def test_a_block_counts_where_it_stands_in_the_table_and_labels_lose_their_dot_leaders():
    truth = {"page": 1, "blocks": [[["Robbery", "102.1"], ["Arson", "9.8"]]]}
    table = {"page": 1, "rows": [["Offense", "", "Total"], ["", "Robbery. . . . .", "102.1"], ["", "Arson . .", "9.9"]]}
    assert score_real_table(truth, {"tables": [table]}) == {"cells": 0.75, "cells_exact": 0.75, "structure": 0.0}
    assert score_real_table(truth, {"tables": [{**table, "page": 2}]})["cells"] == 0.0


def test_real_fields_compare_amounts_as_numbers_and_accept_any_listed_vendor_form():
    truth = {"doc_type": "receipt", "fields": {"total": "1939", "vendor": ["OYO", "Oravel Stays Pvt. Ltd."]}}
    payload = {
        "doc_type": "receipt",
        "fields": {"total": {"value": "1939.00"}, "vendor": {"value": "Oravel Stays Pvt. Ltd."}},
        "line_items": [],
        "verification": {"status": "conflict"},
    }
    scores = score_real_fields(truth, payload, ("total", "vendor", "tax"))
    assert (scores["total"], scores["vendor"], scores["doc_type"]) == (1.0, 1.0, 1.0)
    assert "tax" not in scores and scores["flagged"] and not scores["inconsistent"]  # a false conflict


def test_real_documents_are_reported_apart_from_the_generated_figures():
    generated, real = real_samples("tables", "tuning")[0], real_samples("tables", "all")[-1]
    generated.segments, generated.held_back = ("born-digital",), False
    scores = {generated.name: {"cells": 1.0, "cells_exact": 1.0, "structure": 1.0}}
    scores[real.name] = {"cells": 0.5, "cells_exact": 0.5, "structure": 0.0}
    figures = by_segment([generated, real], scores, summarise_tables)
    assert figures["all"]["cells"] == 1.0 and figures["all"]["documents"] == 1
    assert figures["real held-back"]["cells"] == 0.5
