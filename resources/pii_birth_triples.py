"""A date of birth by its triple's shape next to a birth label or a name (pii-patterns-v21).

Each slice brought month words no rule knew (`ils 22 da mars 1942`, `27 yanvari soli 2007`, `15 Mayrnt 2007`,
`Dec. 13, '92`), and birth labels in languages no lexicon held. What every such date shares is its shape: a day,
one to three words (the month, whatever its language, script or OCR damage, and its small words), and a year (four
digits, OCR's look-alikes among them, or two after an apostrophe); or the month word first, then the day and the
year. Inside a personal document (default-deny's gate, resources/pii_default_deny.py) such a triple is a date of
birth where it stands as a birth label's value (after the label's colon or dotted leader), or as the field right
after a person's name (across a table's bar, a field's number and a label of any language), with the short
lower-case words before its day that the language writes there (`ils`, `le`, `the`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_dates import FIRST_YEAR, LAST_YEAR
from resources.pii_document import LETTERS, LOWER
from resources.pii_labels import DOB_LABEL_RE
from resources.pii_patterns import PiiFinding

RULE = "default-deny"
_DAY = r"[0-3]?\d(?:st|nd|rd|th|er|e|º|ª)?\.?"
_WORD = rf"[{LETTERS}][{LETTERS}'’.-]{{0,17}}"
# a four-digit year (OCR reads 0 as o or O, 1 as l or I), or two digits after an apostrophe
_YEAR = r"(?:\d[\dOolI]{3}|['’]\d{2})"
_TRIPLE_RE = re.compile(
    rf"(?P<small>(?:[{LOWER}]{{1,3}}[ \t]+){{0,2}})"
    rf"(?:(?P<day>{_DAY})(?:[ \t]+{_WORD}){{1,3}}|{_WORD}[ \t]+(?P<day2>{_DAY}),?),?[ \t]+(?P<year>{_YEAR})"
    rf"(?:[ \t]+[{LETTERS}]{{1,2}}\.)?(?![\w])"
)
# what stands between a birth label and its value: a colon, a dotted leader, dashes, a table's bar
_LEADER_RE = re.compile(r"[ \t]*(?:[:：#=.…\-–—|][ \t]*)*")
# what stands between a name and the next field's value: a bar or a comma, a field's number, a label of one to
# three words ending in a colon or a dotted leader
_AFTER_NAME_RE = re.compile(
    rf"[ \t,;|]*(?:\d{{1,2}}[ \t]+)?(?:[{LETTERS}][^\s:：.|]*(?:[ \t]+[{LETTERS}][^\s:：.|]*){{0,2}}"
    r"[ \t]*(?:[:：]|\.{2,}|…+)[ \t.…]*)?"
)
MAX_GAP_AFTER_NAME = 60


def birth_triples(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """Day-month-year triples after a birth label, and as the field right after a person's name."""
    starts = [_LEADER_RE.match(text, label.end()).end() for label in DOB_LABEL_RE.finditer(text)]  # type: ignore[union-attr]
    for finding in findings:
        if finding.kind == "person" and (gap := _AFTER_NAME_RE.match(text, finding.end)):
            if gap.end() - finding.end <= MAX_GAP_AFTER_NAME:
                starts.append(gap.end())
    for start in dict.fromkeys(starts):
        if span := date_triple(text, start):
            yield PiiFinding("dob", *span, 0.7, RULE)


def date_triple(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of a day-month-year triple opening at `start` (its small words first), or None."""
    triple = _TRIPLE_RE.match(text, start)
    if not triple:
        return None
    day = triple.group("day") or triple.group("day2")
    if not 1 <= int(re.match(r"\d+", day).group()) <= 31:  # type: ignore[union-attr]
        return None
    year = triple.group("year").translate(str.maketrans("OoIl", "0011"))
    if year[0] not in "'’" and not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None
    return triple.start(), triple.end()
