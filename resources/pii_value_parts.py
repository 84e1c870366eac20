"""The parts of a personal document's values that v17's default-deny left standing (pii-patterns-v18).

Run inside resources/pii_default_deny.py's gate (a letter or a form: the other rules already found PII in >= 5% of
its words), on held_back_16's misses grouped by cause, each rule a shape rather than a list:

- a date written in three form cells, the rules read as bars (`13 │ 05 │ 1961`, `13 | 05 | 1961`);
- an identity number printed in many short groups (`1 08 12 22 176 009 75`): five or more groups of 1-4 digits
  with 11-20 digits in all, also where a table's next column follows it (it is looked for again outside the
  findings so far);
- an address's unit part before a finding: a capitalised word, a number sign, a number, a comma (`House 231, …`,
  `Villa n° 2830, …`);
- what follows a place: a postcode then a comma and a place (`Thimphu 11001, Bhutan`), the comma part after an
  address even where prose goes on (`…, Kabul 1008, Afghanistan passes to the buyer`), and the lower-case words of
  another language that name a street or a village, with the number after them (`Bekgül köchösü 64`);
- a capitalised word that is no English word glued by OCR to the time or number before it (`10:08Tilekmat`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_fields import opens_label
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english, unglue_words

RULE = "default-deny"

# day, month and year (or year, month, day) in three cells; a cell's rule read as a bar, `l`, `I`, `!` or a bracket
_BAR = r"[ \t]*[|│┃¦!\[\]lI][ \t]*"
_CELL_DATE_RE = re.compile(
    rf"(?<![\d|│])(?:([0-3]?\d){_BAR}([01]?\d){_BAR}(\d{{4}})|(\d{{4}}){_BAR}([01]?\d){_BAR}([0-3]?\d))(?!\d)"
)


def cell_dates(text: str) -> Iterator[PiiFinding]:
    """Dates written one part a cell: a day, a month and a year between bars."""
    for date in _CELL_DATE_RE.finditer(text):
        day, month, _year = date.group(1, 2, 3) if date.group(1) else date.group(6, 5, 4)
        if 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
            yield PiiFinding("dob", date.start(), date.end(), 0.6, RULE)


_GROUPS_RE = re.compile(r"(?<![\w.,/-])\d{1,4}(?:[ \t]\d{1,4}){4,}(?![\w/-]|[.,]\d)")
MIN_GROUPED_DIGITS, MAX_GROUPED_DIGITS = 11, 20


def grouped_numbers(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """Identity numbers printed in five or more short groups, in the text and again outside the findings so far
    (a phone before it and an amount after it in a table row make the whole run too long)."""
    masked = list(text)
    for finding in findings:
        masked[finding.start : finding.end] = "#" * (finding.end - finding.start)
    for source in (text, "".join(masked)):
        for run in _GROUPS_RE.finditer(source):
            digits = sum(char.isdigit() for char in run.group())
            if MIN_GROUPED_DIGITS <= digits <= MAX_GROUPED_DIGITS:
                yield PiiFinding("id", run.start(), run.end(), 0.6, RULE)


# a unit part: a capitalised word, maybe a number sign, a number (and a letter; v20: or after a block's letter,
# `House No. A-154, `), a comma
_UNIT_PART_BEFORE_RE = re.compile(
    rf"(?<![{LETTERS}\d])[{UPPER}][{LOWER}]{{1,12}}\.?[ \t]+(?:(?:n[°º]|No\.?|Nr\.?|#)[ \t]*)?(?:[A-Z][-/]?)?\d{{1,5}}"
    r"[A-Za-z]?[ \t]*,[ \t]*$"
)


# the unit word alone, before an address found from its number on (`Villa` before `n° 2830, …`)
_UNIT_WORD_BEFORE_RE = re.compile(rf"(?<![{LETTERS}\d])[{UPPER}][{LOWER}]{{1,12}}\.?[ \t]+$")
_NUMBER_OPENS_RE = re.compile(r"(?:n[°º]|No\.?|Nr\.?|#)?[ \t]*\d")


def unit_parts_before(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The unit part right before a name or an address found (`House 231, Kocha-e …`, `Villa n° 2830, …`)."""
    for finding in findings:
        if finding.kind not in ("person", "address"):
            continue
        part = _UNIT_PART_BEFORE_RE.search(text, max(0, finding.start - 40), finding.start)
        if not part and finding.kind == "address" and _NUMBER_OPENS_RE.match(text, finding.start):
            part = _UNIT_WORD_BEFORE_RE.search(text, max(0, finding.start - 20), finding.start)
        if part and not opens_label(text, part.start()):
            yield PiiFinding("address", part.start(), finding.start, 0.6, RULE)


# a postcode then a comma and a place; a comma and a place alone
_POSTCODE_AND_PLACE_RE = re.compile(rf"[ \t]+\d{{3,6}}[ \t]*,[ \t]*([{UPPER}][{LETTERS}'’-]+)(?![{LETTERS}\d:：])")
_COMMA_PLACE_RE = re.compile(rf"[ \t]*,[ \t]*([{UPPER}][{LETTERS}'’-]+)(?![{LETTERS}\d:：])")
# lower-case words of another language after a place or a name, and the number after them
_LOWER_WORD_RE = re.compile(rf"[ \t]+([{LOWER}][{LETTERS}'’-]{{2,}})(?![{LETTERS}\d:：])")
_NUMBER_AFTER_RE = re.compile(r"[ \t]+\d{1,5}[A-Za-z]?(?![\w.,]\d|[\w])")
MAX_TAIL_WORDS = 2


def place_tails(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """What follows a place or a name found: a postcode and a place, the comma part after an address, the
    lower-case words of another language with their number."""
    for finding in findings:
        if finding.kind not in ("person", "address"):
            continue
        end = finding.end
        postcode = _POSTCODE_AND_PLACE_RE.match(text, end)
        if postcode and _a_place(text, postcode):
            end = postcode.end()
        elif finding.kind == "address" or text[finding.start : end].rstrip()[-1:].isdigit():
            place = _COMMA_PLACE_RE.match(text, end)
            if place and _a_place(text, place):
                end = place.end()
        placed = end > finding.end
        end, numbered = _foreign_lower_words(text, end, forms)
        if end > finding.end:
            # a name's particle (`uulu`, `kyzy`) stays a name's; a place or a number after the words makes an address
            kind = "address" if placed or numbered or finding.kind == "address" else finding.kind
            yield PiiFinding(kind, finding.end, end, 0.6, RULE)


def _a_place(text: str, match: re.Match[str]) -> bool:
    """Whether the capitalised word a match ends in names a place: no function word, no label."""
    return match.group(1).lower() not in FUNCTION_WORDS and not opens_label(text, match.start(1))


def _foreign_lower_words(text: str, end: int, forms: frozenset[str]) -> tuple[int, bool]:
    """(`end` moved over up to MAX_TAIL_WORDS lower-case words that are no English word and the number after
    them, whether a number was taken). English glued by OCR (`passestothebuyer`) is English."""
    taken = 0
    while taken < MAX_TAIL_WORDS:
        word = _LOWER_WORD_RE.match(text, end)
        if not word or _english_or_glued(word.group(1), forms) or opens_label(text, word.start(1)):
            break
        end, taken = word.end(), taken + 1
    number = _NUMBER_AFTER_RE.match(text, end) if taken else None
    return (number.end(), True) if number else (end, False)


def _english_or_glued(word: str, forms: frozenset[str]) -> bool:
    spaced = unglue_words(word, forms)[0]
    return is_english(word, forms) or (" " in spaced and all(is_english(part, forms) for part in spaced.split()))


# a capitalised word glued to the time or number before it
_GLUED_WORD_RE = re.compile(rf"(?<=\d)[{UPPER}][{LOWER}]{{2,}}(?![{LETTERS}])")


def words_glued_to_numbers(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A capitalised word that is no English word, glued by OCR to the digits before it (`10:08Tilekmat`)."""
    for word in _GLUED_WORD_RE.finditer(text):
        if not is_english(word.group(), forms):
            yield PiiFinding("person", word.start(), word.end(), 0.6, RULE)
