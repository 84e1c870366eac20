"""A personal document's values by structure, not by their shape (pii-patterns-v20).

Why: each round from v18 on learnt the spent slice's values (a country's number format, a street word) and the
next blind slice brought others; what carried over was structure (v17's default-deny). These rules run inside
default-deny's gate (a letter or a form: the other rules found PII in >= 5% of its words; manuals stay untouched)
and ask where a value stands and what it is made of, never which country wrote it:

- a number run: digit groups joined by spaces, dashes, dots, slashes or brackets, 6 digits or more in all, is a
  person's number whatever its grouping (a phone `8 (843) 220-55-84`, an identity number `96 12 724146`,
  `6240.14.332`), unless it is plainly not a person's: an amount with its currency, a calendar date (the date
  rules judge those by their context), a page or a version;
- a code of capitals and digits (3+ digits, 2+ capitals, 8+ characters) is an identity or tax number;
- a whole cell: a field's value (from a label's colon or a table's bar to the next label or bar) that the
  findings already cover for the most part is redacted whole: what is left are parts of the same value that no
  rule knew (a place's abbreviation, a district's type word, a postcode's letters, a region's code);
- a region's code in brackets right after a finding (`…, 09121 Casteddu (CA) since …`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from resources.pii_fields import label_spans, opens_label
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english

RULE = "default-deny"
# digit groups (a group may stand in brackets) joined by one separator: spaces, or a dash, dot or slash with
# up to two spaces around it (`058 - 248 16 72`), or nothing at a bracket (`(0)22`, `8(843)`); a time's parts and a
# decimal's are none (an ellipsis before a run is no decimal point: `...8(843)`)
_GROUP = r"(?:\(\d{1,5}\)|\d+)"
_NUMBER_RUN_RE = re.compile(
    rf"(?<![\w,/+:-])(?<!\w\.)\+?{_GROUP}(?:(?:[ \t]{{0,2}}[-–./][ \t]{{0,2}}|[ \t]{{1,2}}|(?<=\))|(?=\())"
    rf"{_GROUP})*(?![\w/:-]|[.,]\d)"
)
MIN_RUN_DIGITS = 6
# what makes a run plainly no person's number: a currency before or after it, a page or a version before it
_CURRENCY_BEFORE_RE = re.compile(r"(?:[$€£¥₹₽₩₦]|\b(?:USD|EUR|GBP|CHF|JPY|INR|RUB|ZAR|CAD|AUD)\.?)[ \t]*$")
_CURRENCY_AFTER_RE = re.compile(r"[ \t]*(?:[$€£¥₹₽₩₦]|(?:USD|EUR|GBP|CHF|JPY|INR|RUB|ZAR|CAD|AUD)\b)")
_REFERENCE_BEFORE_RE = re.compile(r"(?i)(?:\bpp?\.|\bpages?|\bv|\bversion|\brev\.?|\bsection|§)[ \t]*$")
# a calendar date: day, month, year (or year, month, day) with one separator
_DATE_RE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})|(\d{4})([./-])(\d{1,2})\6(\d{1,2})")
# a code of capitals and digits: a tax number (`ABCPQ1234K`), a passport's number
_CODE_RE = re.compile(r"(?<![\w/-])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,20}(?![\w/-])")
MIN_CODE_DIGITS, MIN_CODE_CAPITALS = 3, 2
# a cell of more tokens than this is running text, not one field's value
MAX_CELL_TOKENS = 16
# the share of a cell's characters (spaces aside) the findings must cover for the whole cell to go
MIN_CELL_COVER = 2 / 3
_BAR_RE = re.compile(r"[|│┃¦]")
_TOKEN_RE = re.compile(r"\S+")
# a word in capitals of this many letters (`IBAN`; fewer may be a postcode's letters, `ZBR 8092`), or a capitalised
# English word, opens the next line's label
MIN_LABEL_CAPITALS, MIN_LABEL_WORD = 4, 3
# a cell opening with an English word of this many letters nothing found is prose (`Hi, I'm …`)
MIN_PROSE_WORD = 2
# a label without a colon's capital that OCR lowered (`ldentity:`) still closes a cell
_LOWER_LABEL_RE = re.compile(r"(?<![\w])[a-z]{3,}[:：]")
_REGION_CODE_RE = re.compile(r"[ \t]*\([A-Z]{1,3}\)")


def number_runs(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """Runs of digit groups with 6+ digits in all, but amounts, dates, pages and versions: the parts of each that
    the findings so far leave (a phone or an IP found keeps its kind)."""
    for run in _NUMBER_RUN_RE.finditer(text):
        value = run.group()
        if sum(char.isdigit() for char in value) < MIN_RUN_DIGITS or _plainly_not_personal(text, run):
            continue
        kind = "phone" if value[0] in "+(" or "(" in value else "id"
        yield from _uncovered(text, PiiFinding(kind, run.start(), run.end(), 0.6, RULE), findings)


def _uncovered(text: str, finding: PiiFinding, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The pieces of `finding` outside `findings`, each with something else than spaces in it."""
    cursor = finding.start
    for other in sorted(
        (f for f in findings if f.start < finding.end and finding.start < f.end), key=lambda f: f.start
    ):
        if other.start > cursor and text[cursor : other.start].strip():
            yield replace(finding, start=cursor, end=other.start)
        cursor = max(cursor, other.end)
    if cursor < finding.end and text[cursor : finding.end].strip():
        yield replace(finding, start=cursor)


def _plainly_not_personal(text: str, run: re.Match[str]) -> bool:
    before = text[max(0, run.start() - 12) : run.start()]
    if _CURRENCY_BEFORE_RE.search(before) or _CURRENCY_AFTER_RE.match(text, run.end()):
        return True
    if _REFERENCE_BEFORE_RE.search(before):
        return True
    return bool((date := _DATE_RE.fullmatch(run.group())) and _calendar_date(date))


def _calendar_date(date: re.Match[str]) -> bool:
    day, month = (date.group(1), date.group(3)) if date.group(1) else (date.group(8), date.group(7))
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def capitals_codes(text: str) -> Iterator[PiiFinding]:
    """Tokens of capitals and digits long enough to identify someone (a tax code, a document's number)."""
    for code in _CODE_RE.finditer(text):
        value = code.group()
        digits = sum(char.isdigit() for char in value)
        if digits >= MIN_CODE_DIGITS and len(value) - digits >= MIN_CODE_CAPITALS:
            yield PiiFinding("id", code.start(), code.end(), 0.6, RULE)


def whole_cells(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A field's value, from its label or a table's bar to the next label or bar, redacted whole when the
    findings cover most of it (the pieces they leave, so each finding keeps its kind), up to a clause or the next
    line's label; a cell that opens with an English word nothing found is a sentence, and stays."""
    for start, end in _cells(text):
        inside = [f for f in findings if f.start < end and start < f.end]
        if not inside or len(text[start:end].split()) > MAX_CELL_TOKENS or _opens_prose(text, start, inside, forms):
            continue
        covered = {i for f in inside for i in range(max(f.start, start), min(f.end, end)) if not text[i].isspace()}
        letters = sum(not char.isspace() for char in text[start:end])
        if letters and len(covered) / letters >= MIN_CELL_COVER:
            end = _value_end(text, start, end, covered, forms)
            kind = max(inside, key=lambda f: min(f.end, end) - max(f.start, start)).kind
            yield from _uncovered(text, PiiFinding(kind, start, end, 0.6, RULE), inside)


def _value_end(text: str, start: int, end: int, covered: set[int], forms: frozenset[str]) -> int:
    """Where the value ends inside a cell, after something found: before a clause (an uncovered function word
    with more after it: `… Suva since 2001.`) or before the next line's label, which the joined page does not show
    (an uncovered capitalised English word, a word in capitals or a known label, with more after it:
    `… 04/07/1985 IBAN DE89 …`, `… Server 192.0.2.4`)."""
    tokens = list(_TOKEN_RE.finditer(text, start, end))
    for index, token in enumerate(tokens[1:-1], 1):
        if token.start() in covered or token.start() < min(covered):
            continue
        word = token.group().strip(".,;:()")
        capitals = len(word) >= MIN_LABEL_CAPITALS and word.isalpha() and word.isupper()
        if (
            word.lower() in FUNCTION_WORDS
            or capitals
            or _capitalised_english(word, forms)
            or opens_label(text, token.start())
        ):
            return tokens[index - 1].end()
    return end


def _opens_prose(text: str, start: int, inside: list[PiiFinding], forms: frozenset[str]) -> bool:
    """Whether the cell opens with an English word nothing found (`Customer: Hi, I'm …`, `| handset, screen …`):
    a sentence or a description, not a value."""
    first = _TOKEN_RE.match(text, start)
    word = first.group().strip(".,;:()'’!?") if first else ""
    found = any(f.start <= start < f.end for f in inside)
    return not found and len(word) >= MIN_PROSE_WORD and word.isalpha() and is_english(word, forms)


def _capitalised_english(word: str, forms: frozenset[str]) -> bool:
    return len(word) >= MIN_LABEL_WORD and word.isalpha() and word.istitle() and is_english(word, forms)


def _cells(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each value between a label's end or a bar and the next label or bar, spaces trimmed."""
    labels = [*label_spans(text), *((label.start(), label.end()) for label in _LOWER_LABEL_RE.finditer(text))]
    edges = sorted([*labels, *((bar.start(), bar.end()) for bar in _BAR_RE.finditer(text))])
    for (_start, opened), (closed, _end) in zip(edges, [*edges[1:], (len(text), len(text))], strict=False):
        value = text[opened:closed]
        stripped = value.strip(" \t\n,;")
        if stripped:
            start = opened + value.index(stripped)
            yield start, start + len(stripped)


def region_codes(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """A region's or province's code in brackets right after a finding (`09121 Casteddu (CA)`: the town may
    have been found as a name or a number's part), unless a label's colon follows it."""
    for finding in findings:
        if (code := _REGION_CODE_RE.match(text, finding.end)) and text[code.end() : code.end() + 1] not in (":", "："):
            yield PiiFinding("address", finding.end, code.end(), 0.6, RULE)
