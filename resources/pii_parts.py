"""The parts of one value that a personal document writes around what was found (pii-patterns-v21).

held_back_19's addresses were villages, hamlets and chiefs' names with no number to anchor on (`Ha Motlali, near
the primary school, Mohale's Hoek 800`), and its OCR split or glued numbers (`D098 BCBH 0794 …`, an IBAN glued
into one 28-character token, `fe80:6f1d:…` with a colon lost). These rules run inside default-deny's gate
(resources/pii_default_deny.py: a letter or a form; manuals stay untouched) and join to the findings what stands
in the places a value's parts stand, whatever their words:

- comma parts between two findings: one to three parts of up to four tokens each, the last part ending in the
  comma before the next finding (a landmark, a street type in the language's own words, a house's ordinal);
- a short number right after the last comma part of a chain of found parts (a postcode after its town: `…, Leribe
  300`);
- unit parts after a finding: `, <word> <number>` (`, khonai 48, hujrai 15`), whatever the unit's word;
- the groups of four capitals or digits before a run of four-digit groups (an IBAN's country, check digits and
  bank: `D098 BCBH 0794 6887 …`);
- colon-separated hex groups, four or more, a zone after them (an IPv6 address OCR lost a colon of);
- a word OCR wrote a digit into (`Chin9a`) right before or after a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_document import LETTERS
from resources.pii_fields import opens_label
from resources.pii_patterns import PiiFinding

RULE = "default-deny"
MAX_PARTS, MAX_PART_TOKENS, MAX_GAP_CHARS = 3, 4, 80
# what no comma part holds: a table's bar, a label's colon, a clause's semicolon, a line's end
_NOT_IN_PART_RE = re.compile(r"[|:：;\n]")
# a sentence's end inside a gap: a word of 4+ letters and its full stop
_SENTENCE_END_RE = re.compile(rf"[{LETTERS}]{{4,}}[.!?](?:[ \t]|$)")
_POSTCODE_AFTER_RE = re.compile(r"[ \t]+\d{3,5}(?![\w/)-]|[.,]\d)")
_UNIT_PART_RE = re.compile(rf"[ \t]*,[ \t]*([{LETTERS}]{{2,12}}\.?)[ \t]+\d{{1,4}}[A-Za-z]?(?![\w/-]|[.,]\d)")
_GROUP_BEFORE_RE = re.compile(r"(?<![\w-])[A-Z0-9]{4}[ \t]+$")
_FOUR_DIGIT_GROUPS_RE = re.compile(r"\d{4}[ \t]+\d{4}")
MAX_GROUPS_BEFORE = 2
_HEX_GROUPS_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{1,4}(?::{1,2}[0-9A-Fa-f]{1,4}){3,7}(?:%[A-Za-z0-9]+)?(?![\w:])")
_DIGIT_IN_WORD = rf"[{LETTERS}]+\d[{LETTERS}]+"
_DIGIT_WORD_BEFORE_RE = re.compile(rf"(?<![\w])({_DIGIT_IN_WORD})[ \t]+$")
_DIGIT_WORD_AFTER_RE = re.compile(rf"[ \t]+({_DIGIT_IN_WORD})(?![\w])")


def comma_part_gaps(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The comma parts between two findings on one line, a name or an address among them (`…, near the church, …`)."""
    spans = sorted((f.start, f.end, f.kind) for f in findings)
    for (_s1, end, before), (start, _e2, kind) in zip(spans, spans[1:], strict=False):
        gap = text[end:start]
        if start <= end or not {before, kind} & {"person", "address"} or not gap.rstrip().endswith(","):
            continue
        if len(gap) > MAX_GAP_CHARS or _NOT_IN_PART_RE.search(gap) or _SENTENCE_END_RE.search(gap):
            continue
        parts = [part.split() for part in gap.split(",") if part.strip()]
        if not 1 <= len(parts) <= MAX_PARTS or any(len(part) > MAX_PART_TOKENS for part in parts):
            continue
        at = end + len(gap) - len(gap.lstrip(" \t,"))
        if not opens_label(text, at):
            yield PiiFinding(kind, end, start, 0.6, RULE)


def postcodes_after_parts(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """A short number right after a name or an address that is the last comma part of a chain (`…, Leribe 300`)."""
    for finding in findings:
        before = text[: finding.start].rstrip()
        if finding.kind not in ("person", "address") or not before.endswith(","):
            continue
        # the part before the comma was found too: a chain of an address's parts, not a list in prose
        comma = len(before) - 1
        if not any(other.start < comma <= other.end for other in findings):
            continue
        if number := _POSTCODE_AFTER_RE.match(text, finding.end):
            yield PiiFinding("address", finding.end, number.end(), 0.6, RULE)


def unit_parts_after(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The `, <word> <number>` parts after a name or an address (a house's and a flat's number in any language)."""
    for finding in findings:
        if finding.kind not in ("person", "address"):
            continue
        end = finding.end
        while (part := _UNIT_PART_RE.match(text, end)) and not opens_label(text, part.start(1)):
            end = part.end()
        if end > finding.end:
            yield PiiFinding("address", finding.end, end, 0.6, RULE)


def groups_before_runs(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """Up to two groups of four capitals or digits before a finding that opens with four-digit groups."""
    for finding in findings:
        if not _FOUR_DIGIT_GROUPS_RE.match(text, finding.start):
            continue
        start = finding.start
        for _ in range(MAX_GROUPS_BEFORE):
            if not (group := _GROUP_BEFORE_RE.search(text, max(0, start - 12), start)):
                break
            start = group.start()
        if start < finding.start:
            yield PiiFinding(finding.kind, start, finding.start, 0.6, RULE)


def hex_groups(text: str) -> Iterator[PiiFinding]:
    """Four or more colon-separated hex groups with a letter and a digit among them: an IPv6 address, whole or not."""
    for groups in _HEX_GROUPS_RE.finditer(text):
        value = groups.group().split("%")[0]
        if re.search(r"[A-Fa-f]", value) and re.search(r"\d", value):
            yield PiiFinding("ip", groups.start(), groups.end(), 0.6, RULE)


def digit_words_beside_names(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """A word OCR wrote a digit into, right before or after a name (`Chin9a Mwatenje`)."""
    for finding in findings:
        if finding.kind != "person":
            continue
        if before := _DIGIT_WORD_BEFORE_RE.search(text, max(0, finding.start - 30), finding.start):
            yield PiiFinding("person", before.start(1), before.end(1), 0.6, RULE)
        if after := _DIGIT_WORD_AFTER_RE.match(text, finding.end):
            yield PiiFinding("person", after.start(1), after.end(1), 0.6, RULE)
