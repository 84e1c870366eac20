"""The document evaluation's scoring, without running the graph: cells, structure, fields and
conflicts, per segment and with the held-back slice apart."""

from __future__ import annotations

from mm_assets.operations.document_evaluation import (
    Sample,
    by_segment,
    field_samples,
    score_fields,
    score_table,
    summarise_fields,
    summarise_tables,
    table_samples,
)


def test_cells_are_scored_in_place_with_spaces_ignored_and_exactly() -> None:
    truth = {"page": 1, "rows": [["Name", "Total"], ["Alpha 1", "12.00"]]}
    table = {"page": 1, "n_rows": 2, "n_cols": 2, "rows": [["Name", "Total"], ["Alpha1", "13.00"]]}
    assert score_table(truth, {"tables": [table]}) == {"cells": 0.75, "cells_exact": 0.5, "structure": 1.0}
    assert score_table(truth, {"tables": []}) == {"cells": 0.0, "cells_exact": 0.0, "structure": 0.0}


def test_a_missed_wrong_total_costs_recall_and_a_flagged_good_one_precision() -> None:
    truth = {"doc_type": "invoice", "fields": {"total": "10.00"}, "line_items": [], "consistent": False}
    missed = score_fields(
        truth,
        {
            "doc_type": "invoice",
            "fields": {"total": {"value": "10.00"}},
            "line_items": [],
            "verification": {"status": "verified"},
        },
    )
    good = {**truth, "consistent": True}
    false_alarm = score_fields(
        good, {"doc_type": "invoice", "fields": {}, "line_items": [], "verification": {"status": "conflict"}}
    )
    figures = summarise_fields([missed, false_alarm])
    assert figures["total"] == 0.5
    assert (figures["conflict_precision"], figures["conflict_recall"], figures["false_conflicts"]) == (0.0, 0.0, 1)


def test_every_segment_and_the_held_back_slice_are_reported_apart() -> None:
    samples = [Sample("a", b"", ("born-digital",), False), Sample("b", b"", ("scanned", "rotated"), True)]
    scores = {
        "a": {"cells": 1.0, "cells_exact": 1.0, "structure": 1.0},
        "b": {"cells": 0.5, "cells_exact": 0.0, "structure": 1.0},
    }
    figures = by_segment(samples, scores, summarise_tables)
    assert figures["held-back"] == {"documents": 1, "cells": 0.5, "cells_exact": 0.0, "structure": 1.0}
    assert figures["all"]["cells"] == 0.75 and figures["rotated"]["documents"] == 1 and "skewed" not in figures


def test_the_generated_sets_cover_every_segment_and_hold_back_a_quarter() -> None:
    tables = table_samples(12)
    assert {s for sample in tables for s in sample.segments} == {
        "born-digital",
        "scanned",
        "rotated",
        "skewed",
        "multi-column",
        "long",
    }
    assert sum(sample.held_back for sample in tables) == 3
    invoices = field_samples(8)
    assert sum(not sample.truth["consistent"] for sample in invoices) == 3
