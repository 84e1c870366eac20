"""A document's lines as the extractor reads them: text-layer pieces of one word joined, text drawn twice
read once, a label or a figure the text layer or OCR split joined again, summary rows' reference letters
("C TVA (21% sur A+B)") taken off.
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.page_layout import Line

OVERPRINT = re.compile(r"(.{3,}?)(?:\s*\1)+")  # a text and its copies, glued or spaced


# Summary rows named by a reference letter that a sum on the page adds up ("C TVA (21% sur A+B)", "Total
# (A+B+C)"): the letter stands before the row's label
ROW_LETTER = re.compile(r"[A-Z]\s+(?=[^\W\d_]{2})")


LETTER_SUM = re.compile(r"\(\s*[A-Z](\s*\+\s*[A-Z])+\s*\)")


def _without_overprint(lines: list[Line]) -> list[Line]:
    """Lines whose text the PDF draws several times over ("ReceiptReceipt ReceiptReceipt": a fake bold
    or layered copies) read once. Only a text with letters, at least once glued to its copy, so
    that "10,00 10,00" (a unit price beside its amount) stays."""
    kept = []
    for line in lines:
        repeated = OVERPRINT.fullmatch(line.text.strip())
        unit = repeated.group(1) if repeated else ""
        if repeated and re.search(r"[^\W\d_]", unit) and unit + unit in line.text:
            line = Line(line.page, line.bbox, unit)
        kept.append(line)
    return kept


# A line's first letters drawn twice, once as a word of their own ("To Totale documento", "Te Telefono",
# "Denominazione: Yo YourCompany": a stylesheet's initial set over its word): the fragment begins the next word
DOUBLED_INITIALS = re.compile(r"(^|:\s+)([A-Z][a-z]{0,2}) (?=\2[a-z])")  # at the start, or a value's after a colon
# and a capitals word's last letters drawn again after it ("IVA VA", "IVA VA A"): the echo taken off
ECHOED_ENDING = re.compile(r"\b([A-Z]+([A-Z]{2})) \2( [A-Z])?\b")


def _without_doubled_initials(lines: list[Line]) -> list[Line]:
    """Lines without a doubled initial fragment before their first word, so that its label reads."""
    return [
        Line(line.page, line.bbox, ECHOED_ENDING.sub(r"\1", DOUBLED_INITIALS.sub(r"\1", line.text))) for line in lines
    ]


# A letter the text layer set apart from the rest of its word ("Tota l HT", "C l ient"): a lone consonant (no word
# in these languages but Czech "k", "s", "v", "z") after two letters of a word
LONE_LETTER = re.compile(r"(?<=[^\W\d_]{2}) (?=[b-df-hj-np-tv-xz](?:\s|$))")


# Letters of a watermark the text layer set before a line's first word ("á Fizetési határidő:" under a diagonal
# "Számla"): a fragment of one to three small letters and a space (a capital there is a row's letter, read only
# where the page sums its letters: _without_row_letters)
STRAY_FRAGMENT = re.compile(r"^[^\W\d_]{1,3} (?=[^\W\d_])")


def _without_stray_fragment(text: str) -> str:
    found = STRAY_FRAGMENT.match(text)
    return text[found.end() :] if found is not None and found.group(0).strip().islower() else text


def _with_split_labels_joined(lines: list[Line]) -> list[Line]:
    """Lines whose words the text layer split ("Tota l TTC") joined again, or whose watermark fragment before the
    first word is taken off, only where that makes a label that the line did not read as one: a split word
    elsewhere stays as printed."""
    kept = []
    for line in lines:
        joined = _without_stray_fragment(LONE_LETTER.sub("", line.text))
        if joined != line.text and not _label_match_any(line.text) and _label_match_any(joined):
            line = Line(line.page, line.bbox, joined)
        kept.append(line)
    return kept


# A figure whose decimal or thousands mark OCR set apart with a space before it ("185 . 80", "¥1 ,300",
# "¥17 , 280"): the mark, then two or three digits that end the figure
SPLIT_MARK = re.compile(r"(?<=\d) +([.,]) ?(?=\d{2,3}(?![\d.,]))")


# A figure's decimals the page set as a line of their own (",84" right after "411")
CENTS_ALONE = re.compile(r"[.,]\d{2}")


def _with_split_figures_joined(lines: list[Line]) -> list[Line]:
    """Lines whose figures OCR split at their mark, joined ("TOTAL 185 . 80" reads 185.80, not 80), and a
    line of decimals alone joined to the figure it touches on its left ("411" | ",84" reads 411.84)."""
    lines = [Line(line.page, line.bbox, SPLIT_MARK.sub(r"\1", line.text)) for line in _with_lone_marks_joined(lines)]
    kept: list[Line] = []
    for line in lines:
        left = next((o for o in kept if _cents_of(o, line)), None) if CENTS_ALONE.fullmatch(line.text) else None
        if left is None:
            kept.append(line)
            continue
        box = [left.bbox[0], min(left.bbox[1], line.bbox[1]), line.bbox[2], max(left.bbox[3], line.bbox[3])]
        kept[kept.index(left)] = Line(left.page, box, left.text + line.text)
    return kept


# A figure whose decimal mark the text layer set as a span of its own, lower than the digits, so the mark became a
# line of its own ("6638 06" over ","; LaTeX's decimal comma in a Spanish letter): the figure's last two digits
FIGURE_WITHOUT_MARK = re.compile(r"(?<=\d) (?=\d{2}$)")


def _with_lone_marks_joined(lines: list[Line]) -> list[Line]:
    """Lines of a mark alone ("," or ".") put back into the figure they sit inside: between its digits, on its row
    (the mark's top within the figure's height)."""
    marks = [line for line in lines if line.text in (",", ".")]
    if not marks:
        return lines
    joined: dict[int, Line] = {}
    used: set[int] = set()
    for index, line in enumerate(lines):
        if FIGURE_WITHOUT_MARK.search(line.text) is None:
            continue
        mark = next((m for m in marks if id(m) not in used and _mark_inside(m, line)), None)
        if mark is not None:
            used.add(id(mark))
            joined[index] = Line(line.page, line.bbox, FIGURE_WITHOUT_MARK.sub(mark.text, line.text))
    return [joined.get(index, line) for index, line in enumerate(lines) if id(line) not in used]


def _mark_inside(mark: Line, figure: Line) -> bool:
    return (
        mark.page == figure.page
        and figure.bbox[1] <= mark.bbox[1] <= figure.bbox[3]
        and figure.bbox[0] < mark.bbox[0] < figure.bbox[2]
    )


def _cents_of(left: Line, cents: Line) -> bool:
    """Whether a line of decimals continues a figure: on its row, starting where the figure ends."""
    height = cents.bbox[3] - cents.bbox[1]
    middle = (cents.bbox[1] + cents.bbox[3]) / 2
    return (
        left.page == cents.page
        and left.text[-1:].isdigit()
        and left.bbox[1] - 2 <= middle <= left.bbox[3] + 2
        and -2 <= cents.bbox[0] - left.bbox[2] <= 0.5 * height
    )


MAX_OVERLAP_CHARS = 3  # characters a text layer draws twice where it splits a word ("Gra" | "raphic")


TOUCH = 0.1  # spans this share of their height apart, or overlapping, are pieces of one word


TALL_BLOCK_HEIGHTS = 6  # a span this many times the page's usual span height holds many rows, not one line


def _without_tall_blocks(spans: list[dict]) -> list[dict]:
    """Spans without the text-layer blocks that stand over many rows of the page (a watermark set
    diagonally across a form, "SEM VALOR FISCAL", drawn with the clipped text under it as one block): page
    lines group spans by their vertical middle, so such a block swallows every row it crosses into one line
    and the labels and values in them read as one sentence. Each row is printed on its own besides."""
    heights = sorted(span["bbox"][3] - span["bbox"][1] for span in spans if span["text"].strip())
    if len(heights) < 10:
        return spans
    usual = heights[len(heights) // 2]
    return [span for span in spans if span["bbox"][3] - span["bbox"][1] <= TALL_BLOCK_HEIGHTS * usual]


# A decimal or thousands mark the text layer set as a span of its own between two spans of digits ("189" | "," |
# "00 EUR": pdfTeX's decimal comma in a German letter, set lower than the digits): its row and both neighbours
MARK_ALONE = (",", ".", "'", "’", "′")


def _marks_between_figures_joined(spans: list[dict]) -> list[dict]:
    """Spans of a mark alone put back between the digits either side of it on its row ("189" "," "00" reads
    "189,00"), as many on a row as there are: a row of German amounts sets each comma so, and the line read from
    its spans would otherwise hold "189 00", two figures."""
    marks = [index for index, span in enumerate(spans) if span["text"].strip() in MARK_ALONE]
    if not marks:
        return spans
    merged: dict[int, dict] = {}
    gone: set[int] = set()
    for index in marks:
        mark = spans[index]
        left = _figure_beside(spans, mark, gone, before=True)
        right = _figure_beside(spans, mark, gone, before=False)
        if left is None or right is None:
            continue
        first, last = merged.get(left, spans[left]), spans[right]
        box = [first["bbox"][0], min(first["bbox"][1], last["bbox"][1])]
        box += [last["bbox"][2], max(first["bbox"][3], last["bbox"][3])]
        merged[left] = {**first, "text": first["text"] + mark["text"].strip() + last["text"], "bbox": box}
        gone.update((index, right))
    return [merged.get(index, span) for index, span in enumerate(spans) if index not in gone]


def _figure_beside(spans: list[dict], mark: dict, gone: set[int], before: bool) -> int | None:
    """The span of digits touching a mark on its left (ending in a digit) or right (starting with one to three
    digits), on the mark's page and within a digit's height of it, its box spanning the mark's top."""
    height = mark["bbox"][3] - mark["bbox"][1]
    for index, span in enumerate(spans):
        if index in gone or span is mark or span.get("page") != mark.get("page"):
            continue
        box, text = span["bbox"], span["text"]
        tall = box[3] - box[1]
        if not (box[1] - height <= mark["bbox"][1] <= box[3]) or tall < 1.5 * height:
            continue
        gap = mark["bbox"][0] - box[2] if before else box[0] - mark["bbox"][2]
        if not -1 <= gap <= 0.6 * tall:
            continue
        if (before and text[-1:].isdigit()) or (not before and re.match(r"\d{1,3}(?!\d)", text)):
            return index
    return None


# A thousands mark set apart by a space before or after it ("1 ′200.00 CHF", "Fr. 1 '297.20"): a Swiss prime or
# apostrophe between a figure's digits, three digits after it
SPACED_PRIME = re.compile(r"(?<=\d) ?[′'’´`] ?(?=\d{3}(?!\d))")


def _with_primes_closed(lines: list[Line]) -> list[Line]:
    """Lines whose Swiss thousands marks read as one figure's ("1 ′200.00" reads "1'200.00")."""
    return [Line(line.page, line.bbox, SPACED_PRIME.sub("'", line.text)) for line in lines]


def _touching_spans_joined(spans: list[dict]) -> list[dict]:
    """Text-layer spans that touch on one row joined as one ("INV" | "OICE NO" reads "INVOICE NO"), the
    characters drawn twice where they overlap read once ("DUE D" | "AT" | "ATE:" reads "DUE DATE:"): a
    generator that places a word in pieces, overlapping, splits its labels so no label reads."""
    joined: list[dict] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last is None or not _touches(last, span):
            joined.append(span)
            continue
        text, following = last["text"], span["text"]
        overlap = 0
        if span["bbox"][0] < last["bbox"][2]:
            overlap = next(
                (
                    n
                    for n in range(min(MAX_OVERLAP_CHARS, len(text), len(following)), 0, -1)
                    if text.endswith(following[:n])
                ),
                0,
            )
        box = [min(last["bbox"][0], span["bbox"][0]), min(last["bbox"][1], span["bbox"][1])]
        box += [max(last["bbox"][2], span["bbox"][2]), max(last["bbox"][3], span["bbox"][3])]
        joined[-1] = {**last, "text": text + following[overlap:], "bbox": box}
    return joined


def _touches(a: dict, b: dict) -> bool:
    """Both from the text layer, on one page and row, b starting where a ends (or inside its last characters),
    the cut between two letters."""
    if a.get("source") != "text_layer" or b.get("source") != "text_layer" or a.get("page") != b.get("page"):
        return False
    height = max(a["bbox"][3] - a["bbox"][1], b["bbox"][3] - b["bbox"][1])
    middle = (b["bbox"][1] + b["bbox"][3]) / 2
    same_row = a["bbox"][1] <= middle <= a["bbox"][3]
    gap = b["bbox"][0] - a["bbox"][2]
    # a word cut in two: capitals either side of the cut ("INV" | "OICE"), or letters drawn twice where the pieces
    # overlap ("Gra" | "raphic"); "Order" | "valid", "F-004" | "dated" touch too, and are two words
    cut = a["text"][-1:] + b["text"][:1]
    drawn_twice = b["bbox"][0] < a["bbox"][2] and a["text"][-1:] == b["text"][:1]
    one_word = len(cut) == 2 and cut.isalpha() and (cut.isupper() or drawn_twice)
    return one_word and same_row and -height <= gap <= TOUCH * height and b["bbox"][2] > a["bbox"][2]


def _without_row_letters(lines: list[Line]) -> list[Line]:
    """Lines without the reference letter before a row's label, where a sum of such letters ("Total
    (A+B+C)") shows the page names its rows that way; other pages unchanged ("A Better Company")."""
    if not any(LETTER_SUM.search(line.text) for line in lines):
        return lines
    return [
        Line(line.page, line.bbox, line.text[ROW_LETTER.match(line.text).end() :])
        if ROW_LETTER.match(line.text)
        else line
        for line in lines
    ]
