"""Default-deny inside a personal document (pii-patterns-v17).

Every round until v16 learnt the spent slice's names, month words, labels and national number formats, and
each blind slice brought others. These rules do not ask what a value is; they ask whether it could be ordinary
English prose or a plain amount, and in a *personal* document (a letter or a form: the other rules already
found PII in >= 5% of its words, resources/pii_fields.py; manuals stay untouched) whatever cannot is redacted:

- a capitalised word, or a word in capitals of 5+ letters (4 are an acronym: `IBAN`), that is no English
  word form: a name or a place of any language, however its tradition builds it (`Ċensina`, `RÊBAZ`, `Geilini`);
- a token with 6+ digits, or 5+ digits and a letter, made of digits, capitals, dashes and slashes: an identity
  number of any country, with its check letter (`6176438M`, `42-790790C42`), whatever its label;
- digits written in form boxes (`|2|5|0|5|1|9|9|0|`, OCR's `]` for a bar);
- a whole date whose month is no English word, anywhere (`18 Gunyana 1972`, `10. skábmamánu 1966`,
  `1983 m. birželio 4 d.`): a form's dates are the person's own;
- then structure joins the pieces: a finding takes in the rest of each token it touches (`Chikon?`, `ZÎNGÎN1983`),
  an identity number its short groups around it (`63-575582 S 29`, `QX71 4410…`), an address
  the comma parts with a number before it (`Plot 164, Block D10, …`), the gap between two findings on a line when
  it holds only numbers, short words, capitalised words and foreign words (`km 4 camino`, the particle `í`), and
  an address the title-case words and comma parts after it up to a label (`…, Islamabad Capital Territory`).

What stays: English words in lower case (the prose, the form's own labels), plain numbers and amounts, English
capitalised words away from any finding, so the redacted document stays searchable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_blocks import is_street_type
from resources.pii_broken_values import spaced_emails
from resources.pii_cells import capitals_codes, number_runs, region_codes, whole_cells
from resources.pii_dates import read_date
from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_fields import PERSONAL_SHARE, opens_label, personal_share
from resources.pii_labels import DOB_LABEL_RE, PLACE_WORDS
from resources.pii_parts import (
    comma_part_gaps,
    digit_words_beside_names,
    groups_before_runs,
    hex_groups,
    postcodes_after_parts,
    unit_parts_after,
)
from resources.pii_patterns import PiiFinding
from resources.pii_place_words import (
    address_cells,
    house_numbers_after,
    lines_between_name_and_contact,
    numbered_part_chains,
    place_words_beside,
)
from resources.pii_value_parts import (
    cell_dates,
    grouped_numbers,
    place_tails,
    unit_parts_before,
    words_glued_to_numbers,
)
from resources.pii_words import frequent_words, is_english

RULE = "default-deny"
# the share of words already PII tells a personal document only from this many words on, or (v20) from this many
# characters (spaces aside) on: a poor scan glues a form's words into a few long tokens
MIN_DOCUMENT_WORDS, MIN_DOCUMENT_CHARS = 20, 200
_TOKEN_RE = re.compile(r"\S+")
# a word: letters, apostrophes, hyphens and OCR's `?` for an unread letter
_WORD_RE = re.compile(rf"(?<![{LETTERS}\d?'’])[{LETTERS}?'’][{LETTERS}?'’-]*(?![{LETTERS}\d])")
MIN_WORD_LETTERS, MIN_CAPITALS_LETTERS = 3, 5
# an identity-like token: digits, letters (OCR lowers a check letter), dashes and slashes
# (v21: up to 34 characters, an IBAN OCR glued into one token)
_ID_LIKE_RE = re.compile(r"(?<![\w/-])[A-Za-z0-9][A-Za-z0-9/-]{3,32}[A-Za-z0-9](?![\w/-])")
MIN_ID_DIGITS, MIN_ID_DIGITS_WITH_LETTER = 6, 5
# digits in boxes: a bar (or OCR's bracket, `l`, `I`, `!`) between single digits, four digits at least
_BOXED_DIGITS_RE = re.compile(r"[|\[\]!](?:[ \t]*\d[ \t]*[|\[\]!lI]){4,}")
# a whole date: a day, one to three words, a year (v19: after a comma too, `3 Apuli, 1991`); or a year, up to two
# words, a day and a short word
_DATE_DAY_FIRST_RE = re.compile(
    rf"(?<!\d)(?:[0-3]?\d)\.?((?:[ \t]+[{LETTERS}][{LETTERS}'’.-]*){{1,3}}),?[ \t]+\d{{4}}(?!\d)"
)
_DATE_YEAR_FIRST_RE = re.compile(
    rf"(?<!\d)\d{{4}}((?:[ \t]+[{LETTERS}][{LETTERS}'’.-]*){{1,2}})[ \t]+[0-3]?\d(?:[ \t]+[{LOWER}]{{1,2}}\.)?(?!\d)"
)
# the short groups after an identity number (`63-575582 S 29`)
_ID_SUFFIX_RE = re.compile(r"(?:[ \t]+[A-Z0-9]{1,3}(?![\w]))")
# the group of capitals and digits before one (an IBAN's country and bank, `QX71 4410 …`; OCR glues them)
_ID_PREFIX_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z0-9][A-Za-z0-9]{1,9})[ \t]*$")
# the comma parts with a number before an address (`Plot 164, Block D10, …`, `96, …`)
_NUMBERED_PARTS_BEFORE_RE = re.compile(
    rf"(?<![\w])(?:(?:[{UPPER}][{LETTERS}]*[ \t]+)?[A-Z]?\d{{1,5}}[A-Za-z]?[ \t]*,[ \t]*){{1,3}}$"
)
MAX_ID_SUFFIX_GROUPS = 2
MAX_TOKEN_CHARS = 40
# a gap between findings may hold at most this many words (v20: numbers aside, so an address's unit parts
# `, 47 yort, 93 fatir,` join it) and tokens in all, and then only numbers, short words, capitalised words and
# words that are no English word
MAX_GAP_WORDS, MAX_GAP_TOKENS, MAX_SHORT_WORD = 4, 8, 2
# the title-case words and comma parts after an address (`…, Islamabad Capital Territory`)
_TITLE_WORD_RE = re.compile(rf"([ \t]*,)?[ \t]+([{UPPER}][{LETTERS}'’-]+)(?![{LETTERS}\d:：])")
MAX_TRAILING_WORDS = 4


def default_deny_findings(
    texts: dict[int, str],
    detected: dict[int, list[PiiFinding]],
    forms: frozenset[str],
    abbreviations: frozenset[str] = frozenset(),
) -> dict[int, list[PiiFinding]]:
    """The findings, and in a personal document what cannot be plain English or a plain amount.
    `abbreviations`: words the document writes in chains of abbreviations (`J. Mol. Biol.`), no names."""
    words = sum(len(_TOKEN_RE.findall(text)) for text in texts.values())
    chars = sum(len(token) for text in texts.values() for token in _TOKEN_RE.findall(text))
    if (words < MIN_DOCUMENT_WORDS and chars < MIN_DOCUMENT_CHARS) or personal_share(texts, detected) < PERSONAL_SHARE:
        return detected  # (a share of a few words says nothing: a table row, a heading, a sentence said)
    found = {}
    for page, text in texts.items():
        findings = list(detected[page])
        findings += [*foreign_words(text, forms, abbreviations), *identity_like_tokens(text), *boxed_digits(text)]
        findings += [*foreign_dates(text, forms), *spaced_emails(text)]  # (v23) an e-mail broken before its `@`
        # (v21) a birth date by its day-month-year shape after a birth label or a name; (v23) or a field's colon
        findings += list(birth_triples(text, findings))
        # (v18) dates in cells, words glued to the number before them (resources/pii_value_parts.py)
        findings += [*cell_dates(text), *words_glued_to_numbers(text, forms)]
        # (v20) numbers by their runs, codes of capitals and digits (resources/pii_cells.py)
        findings += [*number_runs(text, findings), *capitals_codes(text)]
        # each joining rule reads the findings so far (a list: extending what one iterates never ends)
        findings += list(identity_suffixes(text, findings))
        findings += list(grouped_numbers(text, findings))
        findings += list(numbered_parts_before(text, findings))
        findings += list(unit_parts_before(text, findings))
        findings += list(place_tails(text, findings, forms))
        # (v23) an address's words without a digit beside what was found (resources/pii_place_words.py)
        findings += [*numbered_part_chains(text, forms), *address_cells(text, forms)]
        findings += list(place_words_beside(text, findings, forms))
        findings += list(house_numbers_after(text, findings))
        findings += list(lines_between_name_and_contact(text, findings, forms))
        findings += list(whole_tokens(text, findings))
        findings += list(trailing_place_words(text, findings, forms))
        findings += list(filled_gaps(text, findings, forms))
        # (v21) the parts of one value around what was found (resources/pii_parts.py)
        findings += [*hex_groups(text), *groups_before_runs(text, findings), *digit_words_beside_names(text, findings)]
        findings += list(comma_part_gaps(text, findings))
        findings += [*postcodes_after_parts(text, findings), *unit_parts_after(text, findings)]
        # (v20) a region's code after an address, then each field's value whole where most of it is found
        findings += list(region_codes(text, findings))
        findings += list(whole_cells(text, findings, forms))
        found[page] = findings
    return found


def foreign_words(
    text: str, forms: frozenset[str], abbreviations: frozenset[str] = frozenset()
) -> Iterator[PiiFinding]:
    """Capitalised words, and words in capitals of 4+ letters, that are no English word form."""
    for word in _WORD_RE.finditer(text):
        core = word.group().strip("'’-?")
        # OCR's `?` for an unread first letter stands for the capital (`?înrûn`)
        capitalised = bool(core) and (core[0].isupper() or word.group().startswith("?"))
        if len(core) < MIN_WORD_LETTERS or not capitalised or opens_label(text, word.start()):
            continue
        if core.isupper() and len(core) < MIN_CAPITALS_LETTERS:
            continue  # an acronym (`ID`, `TIN`)
        if core in abbreviations:
            continue
        # (v23) or a word in title case that English prose seldom writes, inside a sentence or a list (after a comma
        # or a lower-case word: not a heading's or a label's): WordNet, whose words `forms` holds, also holds the
        # world's places and some family names (`in Honiara`, `…, Kiribati`, `Pacay Chub`)
        rare = core[1:].islower() and not _english(core, frequent_forms(forms))
        if not _english(core, forms) or (rare and _inside(text, word.start())):
            yield PiiFinding("person", word.start(), word.end(), 0.6, RULE)


# what stands before a word inside a sentence or a list: a comma, a lower-case word, a street's type (`Av. Illampu`)
_INSIDE_RE = re.compile(rf"(?:,|(?<![{LETTERS}'’])[{LOWER}][{LOWER}'’]*)[ \t]+$")
_WORD_BEFORE_RE = re.compile(r"(\S+)[ \t]+$")


def _inside(text: str, start: int) -> bool:
    if _INSIDE_RE.search(text, max(0, start - 40), start):
        return True
    before = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
    return bool(before) and is_street_type(before.group(1))  # type: ignore[union-attr]


def frequent_forms(forms: frozenset[str]) -> frozenset[str]:
    """The frequent words (resources/pii_words.py frequent_words), or `forms` where their package is missing."""
    return frequent_words() or forms


def _english(word: str, forms: frozenset[str]) -> bool:
    """An English word form, also with a possessive (`Mother's`) or hyphen-joined (`Tax-free`)."""
    stem = re.sub(r"['’]s$", "", word)
    parts = [part for part in stem.split("-") if part]
    return (
        is_english(word, forms)
        or is_english(stem, forms)
        or (len(parts) > 1 and all(is_english(part, forms) for part in parts))
    )


def identity_like_tokens(text: str) -> Iterator[PiiFinding]:
    """Tokens of digits, capitals, dashes and slashes long enough to identify someone."""
    for token in _ID_LIKE_RE.finditer(text):
        value = token.group()
        digits = sum(char.isdigit() for char in value)
        letters = sum(char.isalpha() for char in value)
        if digits >= MIN_ID_DIGITS or (digits >= MIN_ID_DIGITS_WITH_LETTER and letters):
            yield PiiFinding("id", token.start(), token.end(), 0.6, RULE)


def boxed_digits(text: str) -> Iterator[PiiFinding]:
    """Digits a form writes one per box: a date of birth, most often (`|0|3|1|0|1|9|9|2|`)."""
    for boxes in _BOXED_DIGITS_RE.finditer(text):
        yield PiiFinding("dob", boxes.start(), boxes.end(), 0.6, RULE)


def foreign_dates(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Whole dates whose month is written in words of another language than English."""
    for pattern in (_DATE_DAY_FIRST_RE, _DATE_YEAR_FIRST_RE):
        for date in pattern.finditer(text):
            words = re.findall(rf"[{LETTERS}][{LETTERS}'’-]*", date.group(1))
            if any(len(word) >= MIN_WORD_LETTERS and not is_english(word, forms) for word in words):
                yield PiiFinding("dob", date.start(), date.end(), 0.6, RULE)


def identity_suffixes(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """An identity number's short trailing groups of capitals and digits (`63-575582 S 29`)."""
    for finding in findings:
        if finding.kind not in ("id", "ssn"):
            continue
        end = finding.end
        for _ in range(MAX_ID_SUFFIX_GROUPS):
            group = _ID_SUFFIX_RE.match(text, end)
            if not group or opens_label(text, group.start() + len(group.group()) - len(group.group().lstrip())):
                break
            end = group.end()
        if end > finding.end:
            yield PiiFinding(finding.kind, finding.end, end, 0.6, RULE)
        start = finding.start
        for _ in range(MAX_ID_SUFFIX_GROUPS):
            group = _ID_PREFIX_RE.search(text, max(0, start - 12), start)
            value = group.group(1) if group else ""
            if not (any(c.isdigit() for c in value) and any(c.isupper() for c in value)):
                break
            start = group.start(1)  # type: ignore[union-attr]
        if start < finding.start:
            yield PiiFinding(finding.kind, start, finding.start, 0.6, RULE)


def numbered_parts_before(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The comma parts holding a number right before an address, or before a field's value found in part
    (`Plot 164, Block D10, Hai …`)."""
    for finding in findings:
        parts = _NUMBERED_PARTS_BEFORE_RE.search(text, max(0, finding.start - 60), finding.start)
        # an address's, or a field's value (what the parts open right after a label's colon)
        if parts and (finding.kind == "address" or text[: parts.start()].rstrip().endswith((":", "："))):
            yield PiiFinding("address", parts.start(), finding.start, 0.6, RULE)


def whole_tokens(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """The rest of each token a finding touches (`?înrûn`, `Chikon?`, `ZÎNGÎN1983`), its outer punctuation aside."""
    for finding in findings:
        start = finding.start
        # (a label's colon ends a token: OCR glues `Telephone:0978…`)
        while start > 0 and not _token_edge(text[start - 1]) and finding.start - start < MAX_TOKEN_CHARS:
            start -= 1
        end = finding.end
        while end < len(text) and not _token_edge(text[end]) and end - finding.end < MAX_TOKEN_CHARS:
            end += 1
        while start < finding.start and not text[start].isalnum() and text[start] != "?":
            start += 1
        while end > finding.end and not text[end - 1].isalnum() and text[end - 1] != "?":
            end -= 1
        if start < finding.start:
            yield PiiFinding(finding.kind, start, finding.start, 0.6, RULE)
        if end > finding.end:
            yield PiiFinding(finding.kind, finding.end, end, 0.6, RULE)


def _token_edge(char: str) -> bool:
    return char.isspace() or char in ":：;"


def trailing_place_words(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """An address's title-case words and comma parts after it, up to a label or a sentence
    (`…, Islamabad Capital Territory`, `…, Kurdistan Region, Iraq`)."""
    for finding in findings:
        if finding.kind != "address":
            continue
        end = finding.end
        for _ in range(MAX_TRAILING_WORDS):
            word = _TITLE_WORD_RE.match(text, end)
            if not word or opens_label(text, word.start(2)) or _opens_prose(text, word.end(), forms):
                break
            end = word.end()
        if end > finding.end:
            yield PiiFinding("address", finding.end, end, 0.6, RULE)


_NEXT_LOWER_RE = re.compile(rf"[ \t]+([{LOWER}]{{3,}})")


def _opens_prose(text: str, end: int, forms: frozenset[str]) -> bool:
    """A lower-case English word follows (`Account for the stipend`): the capital opened a phrase."""
    after = _NEXT_LOWER_RE.match(text, end)
    return bool(after) and is_english(after.group(1), forms)  # type: ignore[union-attr]


def filled_gaps(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The gap between two findings on one line, when it holds only numbers, short words, capitalised words
    and words that are no English word (`… km 4 camino …`, the particle of `Súsannrikur í Garði`)."""
    spans = sorted((f.start, f.end) for f in findings)
    # what stands before a number, an e-mail or a date is its label (`IBAN DE89 …`, `Server 192.0.2.4`): only the
    # gaps inside names and addresses are filled
    words_at = {f.start for f in findings if f.kind in ("person", "address")}
    for (_s1, end), (start, _e2) in zip(spans, spans[1:], strict=False):
        if start <= end or start not in words_at:
            continue
        gap = text[end:start]
        tokens = _TOKEN_RE.findall(gap)
        words = [token for token in tokens if re.search(rf"[{LETTERS}]", token)]
        # (v23) a dash between two parts of one name is theirs (`Severnaya Osetiya — Alaniya`)
        if not re.search(r"[\w—–-]", gap) or "\n" in gap or len(words) > MAX_GAP_WORDS or len(tokens) > MAX_GAP_TOKENS:
            continue
        at = end + len(gap) - len(gap.lstrip())
        if opens_label(text, at) or not all(_may_join(token, forms) for token in tokens):
            continue
        yield PiiFinding(_kind_after(findings, start), end, start, 0.6, RULE)


def _may_join(token: str, forms: frozenset[str]) -> bool:
    core = token.strip(".,;:()'’\"")
    # (v21) an abbreviation of capitals and slashes (`T/A`, a Traditional Authority's) joins too
    if not core or core.isdigit() or len(core) <= MAX_SHORT_WORD or re.fullmatch(r"[A-Z](?:/[A-Z])+", core):
        return True
    if token.endswith((":", "：")) or not re.fullmatch(rf"[{LETTERS}'’-]+|[\w/-]*\d[\w/-]*", core):
        return False
    # (v23) a place's type in lower case (`Irafskiy rayon, Respublika …`)
    return core[0].isupper() or not is_english(core, forms) or core in PLACE_WORDS


def _kind_after(findings: list[PiiFinding], start: int) -> str:
    return next((f.kind for f in findings if f.start == start), "person")


# ---------------------------------------------------------------------------- (v21) birth dates by their triple
# Each slice brought month words no rule knew (`ils 22 da mars 1942`, `27 yanvari soli 2007`, `Dec. 13, '92`) and
# birth labels in languages no lexicon held. What every such date shares is its shape (resources/pii_dates.py
# reads it): inside a personal document a whole date is a date of birth where it stands as a birth label's value
# (after its colon or dotted leader), as the field right after a person's name (across a table's bar, a field's
# number and a label in any language), or (v23) as any field's value after its colon (`Datum narodźenja: 1961-jıl
# 22-yanvar`: a label in a language no lexicon holds, beside no name), or wherever it stands when its year is one no
# letter or form of these years is dated in (a birth year).

# what stands between a birth label and its value: a colon, a dotted leader, dashes, a table's bar
_LEADER_RE = re.compile(r"[ \t]*(?:[:：#=.…\-–—|][ \t]*)*")
# what stands between a name and the next field's value: a bar or a comma, a field's number, a label of one to
# three words ending in a colon or a dotted leader
_AFTER_NAME_RE = re.compile(
    rf"[ \t,;|]*(?:\d{{1,2}}[ \t]+)?(?:[{LETTERS}][^\s:：.|]*(?:[ \t]+[{LETTERS}][^\s:：.|]*){{0,2}}"
    r"[ \t]*(?:[:：]|\.{2,}|…+)[ \t.…]*)?"
)
MAX_GAP_AFTER_NAME = 60
# (v23) a field's value: what follows a colon
_FIELD_VALUE_RE = re.compile(r"[:：][ \t]*")


def birth_triples(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """Whole dates (a day, a month, a year) after a birth label, right after a person's name, or after a field's
    colon, also a date whose day is written in words."""
    labelled = [_LEADER_RE.match(text, label.end()).end() for label in DOB_LABEL_RE.finditer(text)]  # type: ignore[union-attr]
    starts = [colon.end() for colon in _FIELD_VALUE_RE.finditer(text)]
    for finding in findings:
        if finding.kind == "person" and (gap := _AFTER_NAME_RE.match(text, finding.end)):
            if gap.end() - finding.end <= MAX_GAP_AFTER_NAME:
                starts.append(gap.end())
    for start in dict.fromkeys(labelled + starts):
        if span := read_date(text, start, need_year=True, min_parts=3, day_in_words=True):
            yield PiiFinding("dob", *span, 0.7, RULE)
    yield from _dates_of_birth_years(text)


# (v23) a whole date in a year up to this one is no date a letter or form of these years is written on: a birth date
LAST_BIRTH_YEAR = 2015
# where a date may open: a token with a digit within the next few characters
# (not a short lower-case word: the small words before a date's day belong to it only after a label or a name)
_DATE_START_RE = re.compile(rf"(?<![\w'’.])(?![{LOWER}]{{1,3}}[ \t])(?=[\w'’][^\n]{{0,14}}\d)")
_YEAR_IN_DATE_RE = re.compile(r"(?<![\dOolI])[\dOolI]{4}(?![\dOolI])|['’]\d{2}")


def _dates_of_birth_years(text: str) -> Iterator[PiiFinding]:
    end = 0
    for start in _DATE_START_RE.finditer(text):
        if start.start() < end or not (span := read_date(text, start.start(), need_year=True, min_parts=3)):
            continue
        years = _YEAR_IN_DATE_RE.findall(text, *span)
        year = years[-1].translate(str.maketrans("OoIl", "0011")) if years else ""
        if year and (not year.isdigit() or int(year) <= LAST_BIRTH_YEAR):
            end = span[1]
            yield PiiFinding("dob", *span, 0.65, RULE)
