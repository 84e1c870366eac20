"""Reading a label: which of a field's label patterns (operations.invoice_label_words, most specific first) starts
a text, read whole, and whether a rival field claims the line; the matching every labelled reading builds on
(operations.invoice_labels, operations.invoice_heading_rows, and the lines, items, dates and receipts modules).
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_label_words import LABELS

LONGER_LABEL = re.compile(r"[^\W\d_]{3,}\s*:")  # a label's next word, then its colon


def _label_match(field: str, text: str) -> re.Match | None:
    found = _ranked_label(field, text)
    return found[1] if found else None


def _ranked_label(field: str, text: str) -> tuple[int, re.Match] | None:
    """The first of a field's label patterns that starts the text, and its rank (most specific 0)."""
    for rank, pattern in enumerate(LABELS[field]):
        found = re.match(_label_regex(field, pattern), text, re.I)
        if found:
            return rank, found
    return None


# A tax row may name its rate before its label ("+7% VAT 7.00 €", "19 % MwSt"): the rate, not the label, starts it
# or a plus sign alone ("+ Taxes 4276.23": the tax added to the net amount above it)
RATE_FIRST = r"(?:\+\s*)?(?:\d{1,2}(?:[.,]\d+)?\s*%\s*)?"


def _label_regex(field: str, pattern: str) -> str:
    return r"\s*" + (RATE_FIRST if field == "tax" else "") + r"(" + pattern + r")\s*[:#.]?\s*"


def _whole_label(field: str, text: str) -> tuple[int, re.Match] | None:
    """The field's label on a line: the first pattern, unless it stops short of a longer label
    that a later pattern reads whole ("Total" of "Total TTC :" goes on into "TTC :", which the
    rank of "Total TTC" covers): the most specific reading wins."""
    first = _ranked_label(field, text)
    if first is None or not LONGER_LABEL.match(text[first[1].end() :]):
        return first
    for rank in range(first[0] + 1, len(LABELS[field])):
        found = re.match(_label_regex(field, LABELS[field][rank]), text, re.I)
        if found and found.end() > first[1].end() and not LONGER_LABEL.match(text[found.end() :]):
            return rank, found
    return first


def _heading_in_row(field: str, text: str) -> re.Match | None:
    """The field's label at a word start inside a row of headings, not one a rival field claims."""
    best: tuple[int, re.Match] | None = None
    for word in re.finditer(r"(?<!\S)[^\W\d_]", text):
        found = _ranked_label(field, text[word.start() :])
        if found is None or _claimed_by_other(field, text[word.start() :]):
            continue
        if best is None or found[0] < best[0]:
            best = (found[0], re.compile(re.escape(found[1].group(1))).search(text, word.start()))
    return best[1] if best else None


def _claimed_by_other(field: str, text: str) -> bool:
    """A line labelled for a more specific field ("Due date" is not the invoice date, "Subtotal"
    not the total)."""
    rivals = {"invoice_date": ("due_date",), "total": ("subtotal", "tax"), "tax": ("subtotal",)}
    return any(_label_match(rival, text) for rival in rivals.get(field, ()))


def _label_match_any(text: str) -> bool:
    return any(_label_match(field, text) for field in LABELS if field != "vendor")
