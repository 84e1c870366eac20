"""Page blocks: redacted spans grouped by layout into the passages search points at."""

from __future__ import annotations

from mm_assets.page_layout import MAX_BLOCK_CHARS, page_blocks, page_lines


def span(text: str, page: int, x0: float, y0: float, x1: float, height: float = 20.0) -> dict:
    return {"text": text, "page": page, "bbox": [x0, y0, x1, y0 + height], "confidence": 1.0}


def test_word_spans_on_one_row_become_one_line_in_reading_order() -> None:
    words = [span("world", 1, 170, 100, 240), span("Hello", 1, 100, 101, 160), span("again", 1, 250, 99, 320)]

    lines = page_lines(words)

    assert [line.text for line in lines] == ["Hello world again"]
    assert lines[0].bbox == [100, 99, 320, 121]


def test_paragraphs_separated_by_a_gap_are_separate_blocks() -> None:
    first = [span(f"First paragraph line {i} " + "x" * 40, 1, 100, 100 + 24 * i, 600) for i in range(3)]
    second = [span(f"Second paragraph line {i} " + "y" * 40, 1, 100, 250 + 24 * i, 600) for i in range(3)]

    blocks = page_blocks(second + first)

    assert [block.text.split()[0] for block in blocks] == ["First", "Second"]
    assert blocks[0].bbox == [100, 100, 600, 168] and blocks[1].bbox == [100, 250, 600, 318]


def test_two_columns_stay_apart() -> None:
    left = [span(f"left column {i} " + "l" * 50, 1, 50, 100 + 24 * i, 400) for i in range(4)]
    right = [span(f"right column {i} " + "r" * 50, 1, 500, 100 + 24 * i, 850) for i in range(4)]

    blocks = page_blocks(left + right)

    assert len(blocks) == 2
    assert all("left" in line.text for line in blocks[0].lines)
    assert all("right" in line.text for line in blocks[1].lines)


def test_a_long_passage_is_split_with_one_line_of_overlap() -> None:
    lines = [span(f"line {i:02d} " + "z" * 60, 1, 100, 100 + 24 * i, 700) for i in range(20)]

    blocks = page_blocks(lines)

    assert len(blocks) > 2
    assert all(len(block.text) <= MAX_BLOCK_CHARS for block in blocks)
    for before, after in zip(blocks, blocks[1:], strict=False):
        assert before.lines[-1].text == after.lines[0].text  # the cut sentence is in both


def test_a_heading_joins_the_block_under_it_and_pages_never_mix() -> None:
    spans = [
        span("Maintenance", 1, 100, 60, 300, height=30),
        *[span(f"Replace the filter every {i} months " + "w" * 30, 1, 100, 130 + 24 * i, 650) for i in range(2)],
        span("Next page text that is long enough to stand alone " + "v" * 40, 2, 100, 60, 650),
    ]

    blocks = page_blocks(spans)

    assert [block.page for block in blocks] == [1, 2]
    assert blocks[0].text.startswith("Maintenance Replace the filter")


def test_a_word_hyphenated_across_a_line_break_is_one_word_again() -> None:
    spans = [span("the linear pro\u00ad", 1, 100, 100, 600), span("gramming problem " + "q" * 70, 1, 100, 124, 600)]

    assert page_blocks(spans)[0].text.startswith("the linear programming problem")
