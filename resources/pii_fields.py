"""A personal document's fields, read by structure rather than by lists (pii-patterns-v16).

Earlier versions learnt each slice's names, month words and national number formats one list at a time, and
what they learnt did not carry over to the next slice's traditions. These rules key on where a value stands,
not on what it is made of, and so they only run where the document around them is personal: a letter or a
form, told by the share of its words the other rules already found to be PII (a letter or form has a third
of its words redacted; a technical manual well under 1%). More findings can only switch them on, never off,
so the redaction stays monotone.

- A form's field holds a name: the words after any field label (`Renter:`, `Registered by:`, `Referee:`)
  up to the next label, a comma, a number or prose, when one of them is no English word and the label is
  no known label of a thing (`Vehicle:`, `Blood group:`).
- A name takes the words beside it that are no English word, in any case (OCR reads a capital as a small
  letter: `kossi Senamesi`; particles: `Cynfyn ferch Rhyddwyn`).
- A token of identity-number length (9 to 18 digits, dashes and slashes inside, OCR's `o`/`l` for `0`/`1`, a
  short capital prefix: `GHA-724955556-6`, `1-0234-0567`) is an identity number.
- A date of any calendar after a birth label: a day, one to three month words, a year, an era
  (`11 Dhu al-Hijjah 1413 AH`).
- An address label's value is an address from the label on: the words between it and an address found
  after it (`Address: Digital address GT-211-8740`); an address goes on over the unit fields after it
  (`No: 58 D: 19`, `/İstanbul`) and takes the numbered comma part right before it (`116/114 Moo 4, Soi …`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_labels import ADDRESS_LABEL_RE, DOB_LABEL_RE, EMAIL_LABEL_RE, ID_LABEL_RE, PHONE_LABEL_RE
from resources.pii_patterns import PiiFinding
from resources.pii_words import is_english, unglue_words

# a document is personal when the other rules found PII in at least this share of its words (letters and
# forms of every slice: 40-50%; technical manuals: 0.1-0.8%)
PERSONAL_SHARE = 0.05
# a field label: a capitalised word and up to two more words, then a colon ("Employer contact:", "Registered by:")
_FIELD_LABEL_RE = re.compile(
    rf"(?<![{LETTERS}])[{UPPER}][{LETTERS}'’]*(?:[ \t]+[{LOWER}][{LETTERS}'’]*){{0,2}}[ \t]*[:：]"
)
# a label in two languages opens where its first half does ("Dyddiad geni / Date of birth:")
_BILINGUAL_LABEL_RE = re.compile(
    rf"[{UPPER}][{LETTERS}'’.-]*(?:[ \t]+[{LOWER}][{LETTERS}'’.-]*){{0,3}}[ \t]*/[ \t]*"
    rf"[{UPPER}][{LETTERS}'’]*(?:[ \t]+[{LETTERS}'’]+){{0,3}}[ \t]*[:：]"
)
_KNOWN_LABELS = (PHONE_LABEL_RE, EMAIL_LABEL_RE, ID_LABEL_RE)
# words of labels whose value is a thing, an amount or a time, never a person (lower case)
THING_LABEL_WORDS = frozenset(
    """vehicle fuel group type session papers paper amount fee total price currency status reference ref code date
    time dose product order quantity area encumbrances subject page centre center serial model plan course class
    item items account payment signed place""".split()
)
_WORD_RE = re.compile(rf"[ \t]*([{LETTERS}][{LETTERS}'’-]*)")
MAX_FIELD_NAME_WORDS = 5
# a name grows over at most this many words on each side
MAX_NEIGHBOUR_WORDS = 3
_NEIGHBOUR_BEFORE_RE = re.compile(rf"(?<![{LETTERS}\d.@])([{LETTERS}][{LETTERS}'’-]*)[ \t]+$")
_NEIGHBOUR_AFTER_RE = re.compile(rf"[ \t]+([{LETTERS}][{LETTERS}'’-]*)(?![{LETTERS}\d@:：])")
MIN_NEIGHBOUR_LETTERS = 3
# an identity number: one token of digits (OCR's look-alikes inside), dashes and slashes, a short capital prefix
_ID_TOKEN_RE = re.compile(r"(?<![\w.,/-])(?:[A-Z]{1,4}-)?\d[\dOolI/-]{7,24}[\dXx](?![\w/-]|[.,]\d)")
MIN_ID_DIGITS, MAX_ID_DIGITS, MAX_LOOKALIKES = 9, 18, 2
# a date of any calendar: a day, one to three words (a month of any language), a year, an era's capitals
_ANY_CALENDAR_DATE_RE = re.compile(
    rf"[ \t]*(?:[:：/.\-–][ \t]*)*(\d{{1,2}}\.?(?:[ \t]+[{LETTERS}][{LETTERS}'’-]*){{1,3}}[ \t]+\d{{3,4}}"
    rf"(?:[ \t]+[A-Z]{{1,3}}\.?(?![{LETTERS}]))?)"
)
# an address's unit fields after it ("No: 58 D: 19") and a province after a slash ("/İstanbul")
_UNIT_AFTER_RE = re.compile(
    rf"[ \t]*(?:[{UPPER}][{LETTERS}]{{0,3}}\.?[ \t]*[:：][ \t]*\d{{1,5}}[A-Za-z]?|/[ \t]*[{LETTERS}][{LETTERS}'’-]*)"
    rf"(?![{LETTERS}\d])"
)
# the unit fields before an address ("No: 58 D: ")
_UNIT_BEFORE_RE = re.compile(
    rf"(?:(?<![{LETTERS}])[{UPPER}][{LOWER}]{{0,3}}\.?[ \t]*[:：][ \t]*(?:\d{{1,5}}[A-Za-z]?[ \t]+)?)+$"
)
# the numbered comma part before an address ("116/114 Moo 4, ", "Flat 3, "): numbers and one short word
_NUMBERED_PART_BEFORE_RE = re.compile(
    rf"(?<![\w/])(?:\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?(?:[ \t]+[{UPPER}][a-z]{{1,5}}\.?)?(?:[ \t]+\d{{1,5}}[A-Za-z]?)?"
    rf"|[{UPPER}][a-z]{{1,5}}\.?[ \t]+\d{{1,5}}[A-Za-z]?)[ \t]*,[ \t]*$"
)
_TOKEN_RE = re.compile(r"\S+")
# an address label's value takes at most this many tokens; this many lower-case English words in a row are prose
MAX_ADDRESS_TOKENS, MAX_PROSE_WORDS = 24, 3
MAX_ABBREVIATION_LETTERS = 3


# the detector's rule whose switch also switches off a kind of these rules (its `disabled_rules`)
_KIND_RULES = {"person_shape": "person", "ssn": "id", "dob": "dob", "address": "address"}


def field_kinds(disabled_rules: list[str]) -> frozenset[str]:
    """The kinds these rules find, less those whose detector rule is switched off."""
    return frozenset(_KIND_RULES.values()) - {_KIND_RULES.get(rule) for rule in disabled_rules}


def personal_share(texts: dict[int, str], detected: dict[int, list[PiiFinding]]) -> float:
    """The share of the document's words that a finding touches."""
    words = touched = 0
    for page, text in texts.items():
        spans = sorted((f.start, f.end) for f in detected[page])
        for word in re.finditer(r"\S+", text):
            words += 1
            touched += any(start < word.end() and word.start() < end for start, end in spans)
    return touched / words if words else 0.0


def personal_document_findings(
    texts: dict[int, str], detected: dict[int, list[PiiFinding]], forms: frozenset[str], kinds: frozenset[str]
) -> dict[int, list[PiiFinding]]:
    """The findings, and in a personal document what its fields hold (`kinds`: the kinds switched on)."""
    if personal_share(texts, detected) < PERSONAL_SHARE:
        return detected
    found = {}
    for page, text in texts.items():
        findings = list(detected[page])
        if "person" in kinds:
            findings += field_names(text, forms)
            findings += name_neighbours(text, findings, forms)
        if "id" in kinds:
            findings += identity_numbers(text)
        if "dob" in kinds:
            findings += any_calendar_birth_dates(text)
        if "address" in kinds:
            findings += address_label_values(text, forms)
            findings += address_units(text, findings)
        found[page] = findings
    return found


def field_names(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The name in a form's field: the words after a label, when one of them is no English word."""
    for label in _FIELD_LABEL_RE.finditer(text):
        label_words = {word.lower() for word in re.findall(rf"[{LETTERS}]+", label.group())}
        if label_words & THING_LABEL_WORDS or DOB_LABEL_RE.match(label.group()):
            continue
        if span := _name_value(text, label.end(), forms):
            yield PiiFinding("person", *span, 0.7, "field")


def _name_value(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    words: list[tuple[int, int, bool]] = []  # start, end, whether an English word
    cursor = start
    while len(words) < MAX_FIELD_NAME_WORDS and (word := _WORD_RE.match(text, cursor)):
        value = word.group(1)
        if opens_label(text, word.start(1)):
            break
        english = is_english(value.strip("'’-"), forms)
        if english and value.islower():
            break  # prose goes on ("… I declare that")
        words.append((word.start(1), word.end(1), english))
        cursor = word.end()
    while words and words[-1][2]:
        words.pop()  # the next field's English words ("Pasekika Monthly income")
    if not words or all(english for _start, _end, english in words):
        return None
    return words[0][0], words[-1][1]


def label_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each field label with its colon, in one or two languages (`Owner:`, `Buyer's telephone:`)."""
    for pattern in (_FIELD_LABEL_RE, _BILINGUAL_LABEL_RE):
        for label in pattern.finditer(text):
            yield label.start(), label.end()


def opens_label(text: str, at: int) -> bool:
    """Whether a field label (in one or two languages) opens at `at`."""
    if _FIELD_LABEL_RE.match(text, at) or _BILINGUAL_LABEL_RE.match(text, at):
        return True
    return any(label.match(text, at) for label in _KNOWN_LABELS)  # also without a colon ("Telephone 0905 …")


def name_neighbours(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> list[PiiFinding]:
    """Each name grown over the words right beside it that are no English word, in any case."""
    grown = []
    for finding in findings:
        if finding.kind != "person" or text[finding.start : finding.end].isupper():
            continue  # (an identifier in capitals is no name to grow)
        start, end = finding.start, finding.end
        for _ in range(MAX_NEIGHBOUR_WORDS):
            before = _NEIGHBOUR_BEFORE_RE.search(text, max(0, start - 40), start)
            if not before or not _strange(before.group(1), forms) or opens_label(text, before.start(1)):
                break
            start = before.start(1)
        for _ in range(MAX_NEIGHBOUR_WORDS):
            after = _NEIGHBOUR_AFTER_RE.match(text, end)
            if not after or not _strange(after.group(1), forms) or opens_label(text, after.start(1)):
                break
            end = after.end(1)
        if (start, end) != (finding.start, finding.end):
            grown.append(PiiFinding("person", start, end, finding.score, "field"))
    return grown


def _strange(word: str, forms: frozenset[str]) -> bool:
    """No English word, nor English words OCR glued together ("Deliverto")."""
    core = word.strip("'’-")
    if core.isupper():
        return False  # a constant or an acronym in capitals
    return (
        len(core) >= MIN_NEIGHBOUR_LETTERS and not is_english(core, forms) and " " not in unglue_words(core, forms)[0]
    )


def identity_numbers(text: str) -> Iterator[PiiFinding]:
    """Tokens of identity-number length: 9 to 18 digits (a few OCR look-alikes among them)."""
    for token in _ID_TOKEN_RE.finditer(text):
        digits = sum(char.isdigit() for char in token.group())
        lookalikes = sum(char in "OolI" for char in token.group())
        if MIN_ID_DIGITS <= digits + lookalikes <= MAX_ID_DIGITS + 1 and lookalikes <= MAX_LOOKALIKES:
            yield PiiFinding("id", token.start(), token.end(), 0.7, "field")


def any_calendar_birth_dates(text: str) -> Iterator[PiiFinding]:
    """A date after a birth label, whatever its month words and era."""
    for label in DOB_LABEL_RE.finditer(text):
        if date := _ANY_CALENDAR_DATE_RE.match(text, label.end()):
            yield PiiFinding("dob", date.start(1), date.end(1), 0.7, "field")


def address_label_values(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """An address label's value: every token up to the next field label, however the country writes it
    (`De el Palí 100 m norte y 75 m oeste, casa crema …`, `Digital address GT-211-8740 …`)."""
    for label in ADDRESS_LABEL_RE.finditer(text):
        tokens: list[re.Match[str]] = []
        prose_from = None  # where the run of English words now going on began
        for token in _TOKEN_RE.finditer(text, label.end()):
            if len(tokens) >= MAX_ADDRESS_TOKENS or opens_label(text, token.start()):
                break
            word = token.group().strip(".,;:")
            if tokens and _opens_sentence(word, text, token.end(), forms):
                break  # "… Samoa Baptised by Fr …"
            if word.isalpha() and is_english(word, forms) and (word.islower() or prose_from is None):
                prose_from = len(tokens) if prose_from is None else prose_from
            else:
                prose_from = None
            tokens.append(token)
            if prose_from is not None and len(tokens) - prose_from > MAX_PROSE_WORDS:
                del tokens[prose_from:]  # a sentence goes on: the address ended before it
                break
            if token.group().endswith(".") and len(word) > MAX_ABBREVIATION_LETTERS and is_english(word, forms):
                break  # a sentence's end ("… bakery.")
        while tokens and not tokens[-1].group().strip(".,;:-–—"):
            tokens.pop()
        if tokens:
            last = tokens[-1].group().rstrip(",;:-–—")
            if last.endswith(".") and len(last.rstrip(".")) > MAX_ABBREVIATION_LETTERS:
                last = last.rstrip(".")  # a sentence's point; an abbreviation keeps its own ("Almaty q.")
            end = tokens[-1].start() + len(last)
            yield PiiFinding("address", tokens[0].start(), end, 0.7, "field")


# (a word, not an abbreviation: "Almaty q." is a place and its type)
_NEXT_WORD_RE = re.compile(r"[ \t]+([a-z]{2,})(?![\w.])")
MIN_SENTENCE_OPENER_LETTERS = 3


def _opens_sentence(word: str, text: str, end: int, forms: frozenset[str]) -> bool:
    """A capitalised English word with a lower-case English word after it ("Baptised by", "Then the")."""
    if len(word) < MIN_SENTENCE_OPENER_LETTERS or not word.istitle() or not is_english(word, forms):
        return False
    after = _NEXT_WORD_RE.match(text, end)
    return bool(after) and is_english(after.group(1), forms)  # type: ignore[union-attr]


def address_units(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """An address grown over its unit fields after it and over the unit fields and numbered comma part
    before it (or before the findings it directly follows: a street named like a person, `Soi Arnaini 19`)."""
    for first, finding in _address_chains(text, findings):
        end = finding.end
        while unit := _UNIT_AFTER_RE.match(text, end):
            end = unit.end()
        if end > finding.end:
            yield PiiFinding("address", finding.end, end, 0.7, "field")
        start = first.start
        if units := _UNIT_BEFORE_RE.search(text, max(0, start - 40), start):
            start = units.start()
        if part := _NUMBERED_PART_BEFORE_RE.search(text, max(0, start - 40), start):
            start = part.start()
        if start < first.start:
            yield PiiFinding("address", start, first.start, 0.7, "field")


def _address_chains(text: str, findings: list[PiiFinding]) -> Iterator[tuple[PiiFinding, PiiFinding]]:
    """Each address finding with the first of the findings it follows with only spaces between."""
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    first = None
    for index, finding in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        joined = (
            previous is not None and previous.end <= finding.start and not text[previous.end : finding.start].strip()
        )
        first = first if joined and first is not None else finding
        if finding.kind == "address":
            yield first, finding
