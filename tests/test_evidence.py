"""Tight evidence boxes: a page evidence entry points at the line that answers the query."""

from __future__ import annotations

from mm_assets.operations.evidence import query_terms, tighten_entry, tighten_evidence

LINE_HEIGHT = 20.0


def line_spans(page: int, top: float, lines: list[str], left: float = 100.0) -> list[dict]:
    """One span per line, 10 px per character, lines one line height apart (one block)."""
    return [
        {
            "page": page,
            "text": text,
            "bbox": [
                left,
                top + i * 1.5 * LINE_HEIGHT,
                left + 10 * len(text),
                top + i * 1.5 * LINE_HEIGHT + LINE_HEIGHT,
            ],
        }
        for i, text in enumerate(lines)
    ]


PUMP = line_spans(
    2,
    100.0,
    [
        "Chapter two: assembly of the pump housing and its seals",
        "Seat the impeller on the shaft and check the pump seals",
        "Tighten the impeller bolts to 12 Nm with a torque wrench",
    ],
) + line_spans(2, 400.0, ["Store the pump dry, and drain the casing before winter frost sets in"])


def entry(bbox: list[float], channel: str = "text") -> dict:
    return {"page": 2, "bbox": bbox, "text": "the matched passage", "channel": channel, "score": 0.9}


def test_query_terms_drop_question_words_and_endings() -> None:
    assert query_terms("What torque for the impeller bolts?") == {"torque", "impeller", "bolt"}


def test_the_box_is_the_line_holding_the_rarest_query_terms_and_the_text_its_block() -> None:
    found = entry([100.0, 100.0, 700.0, 180.0])
    tighten_entry(found, PUMP, query_terms("what torque for the pump impeller bolts"))
    # "pump" is on three lines and "impeller" on two: the torque line wins.
    assert found["bbox"] == [100.0, 160.0, 660.0, 180.0]
    assert found["block_bbox"] == [100.0, 100.0, 660.0, 180.0]
    assert found["text"].startswith("Chapter two") and "12 Nm" in found["text"]


def test_the_best_line_may_sit_in_another_block_of_the_page() -> None:
    found = entry([100.0, 100.0, 700.0, 180.0])
    tighten_entry(found, PUMP, query_terms("when to drain the casing"))
    assert found["bbox"][1] == 400.0 and found["text"].startswith("Store the pump dry")


def test_a_page_without_a_query_term_and_a_visual_match_keep_their_box() -> None:
    unmatched = entry([100.0, 100.0, 700.0, 180.0])
    tighten_entry(unmatched, PUMP, query_terms("warranty period"))
    visual = entry([0.0, 0.0, 900.0, 600.0], channel="visual")
    tighten_entry(visual, PUMP, query_terms("impeller bolts"))
    assert unmatched["bbox"] == [100.0, 100.0, 700.0, 180.0] and "block_bbox" not in unmatched
    assert visual["bbox"] == [0.0, 0.0, 900.0, 600.0] and "block_bbox" not in visual


def test_entries_that_land_on_the_same_line_become_one() -> None:
    evidence = [
        entry([100.0, 100.0, 700.0, 180.0]),
        entry([100.0, 130.0, 700.0, 180.0]),
        {"t_start": 1.0, "t_end": 2.0},
    ]
    kept = tighten_evidence(evidence, PUMP, query_terms("impeller bolts torque"))
    assert len(kept) == 2 and kept[0]["bbox"] == [100.0, 160.0, 660.0, 180.0] and kept[1]["t_start"] == 1.0


def test_a_later_entry_on_the_same_page_keeps_to_its_own_block() -> None:
    evidence = [entry([100.0, 100.0, 700.0, 180.0]), entry([100.0, 400.0, 780.0, 420.0])]
    kept = tighten_evidence(evidence, PUMP, query_terms("impeller bolts, and when to drain"))
    assert [found["bbox"][1] for found in kept] == [160.0, 400.0]
