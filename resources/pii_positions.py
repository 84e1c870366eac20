"""Addresses and names told by where they stand, whatever the country (pii-patterns-v14).

- A table's column headed Name / Address (or a kin word, any of several languages) holds a person or an
  address in every row. Pages are a table's lines joined by spaces, so a row's last cell and the next row's
  first cell share one run between rules ("| 4.IX.1950 002 |"): a table of n columns repeats every n - 1
  cells after its header.
- A post-office box ("P.O. Box 12", "BP 44", "Postfach 3") carries the place parts after it ("…, Asmara,
  Eritrea").
- A postcode of letters and digits mixed ("X0A 0H0", "SW1A 1AA") ends an address line: the capitalised words
  before it and the capitalised comma parts before those are the address ("General Delivery, Arviat NU X0C
  0E0").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_blocks import is_street_type
from resources.pii_document import LETTERS, UPPER
from resources.pii_labels import PLACE_WORDS
from resources.pii_patterns import PiiFinding
from resources.pii_words import is_english

# header words of a table's column, by the kind its cells hold (lower case, any of several languages)
HEADER_KINDS = {
    "person": frozenset(
        """name names full-name surname employee patient member tenant voter elector applicant student pupil
        owner holder deceased nombre nom name/nom nome név imię фио имя magaca""".split()
    ),
    "address": frozenset(
        """address addresses adresse anschrift dirección direccion domicilio endereço morada indirizzo adres
        abode residence domicile cinwaanka адрес""".split()
    ),
}
MAX_HEADER_WORDS = 3
MIN_TABLE_ROWS = 2
MAX_CELL_WORDS, MAX_CELL_CHARS = 8, 100
MAX_ADDRESS_CELL_WORDS = 14
_DIGIT_RE = re.compile(r"\d")


def table_column_values(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Each row's cell under a column headed Name or Address, when the cell can be one."""
    cells = [(m.start(1), m.end(1)) for m in re.finditer(r"(?:^|\|)[ \t]*([^|]*?)[ \t]*(?=\||$)", text)]
    header = _header_length(text, cells)
    if header < 3 or len(cells) < header + MIN_TABLE_ROWS * (header - 1) - 1:
        return
    period = header - 1
    for column in range(1, header - 1):
        kind = _header_kind(text[slice(*cells[column])])
        if kind is None:
            continue
        for index in range(column + period, len(cells), period):
            start, end = cells[index]
            if _cell_fits(text[start:end], kind, forms):
                yield PiiFinding(kind, start, end, 0.75, "label")


def _header_length(text: str, cells: list[tuple[int, int]]) -> int:
    """How many columns the table's header names: short word cells after the first, up to the first cell
    that runs into a row (a label and then a value: "Born 001")."""
    for index, (start, end) in enumerate(cells[1:], 1):
        words = text[start:end].split()
        if not words or len(words) > MAX_HEADER_WORDS or _DIGIT_RE.search(text[start:end]):
            return index + 1 if words and not _DIGIT_RE.search(words[0]) else index
    return 0


def _header_kind(cell: str) -> str | None:
    words = {word.strip(".:").lower() for part in cell.split("/") for word in part.split()}
    return next((kind for kind, heads in HEADER_KINDS.items() if words & heads), None)


def _cell_fits(cell: str, kind: str, forms: frozenset[str]) -> bool:
    words = cell.split()
    # (v15) an address cell may hold a landmark and its place parts ("X, near the X school, Degmada Y, Muqdisho")
    most_words = MAX_ADDRESS_CELL_WORDS if kind == "address" else MAX_CELL_WORDS
    if not words or len(words) > most_words or len(cell) > MAX_CELL_CHARS:
        return False
    strange = any(word[:1].isupper() and not is_english(word.strip(".,"), forms) for word in words)
    if kind == "person":
        return not _DIGIT_RE.search(cell) and (strange or all(w[:1].isupper() for w in words))
    return bool(_DIGIT_RE.search(cell)) or strange


# a post-office box and its number, in several languages
_BOX_RE = re.compile(
    r"(?<![A-Za-z])(?:P\.?[ \t]?O\.?[ \t]?Box|PO[ \t]?Box|Box|B\.?P\.?|Postfach|Apartado|Casilla|Caixa[ \t]Postal"
    r"|Private[ \t]Bag)[ \t]+(?:No\.?[ \t]*)?\d{1,6}(?![\w])"  # a space before the number: "BP62" is a matrix
)
# a comma part of capitalised words (a town, a region, a country, a state and its code)
_PLACE_PART_RE = re.compile(rf"[ \t]*,[ \t]*((?:[{UPPER}][{LETTERS}'’.-]*[ \t]?){{1,4}})")
MAX_PLACE_PARTS = 3


def box_addresses(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A post-office box with the place parts after it."""
    for box in _BOX_RE.finditer(text):
        end = box.end()
        for _ in range(MAX_PLACE_PARTS):
            part = _PLACE_PART_RE.match(text, end)
            if not part or _opens_label(part.group(1)):
                break
            end = part.end(1)
        yield PiiFinding("address", box.start(), end, 0.7, "label")


# a postcode that mixes letters and digits in both halves ("X0A 0H0", "SW1A 1AA", "H3Z 2Y7")
_MIXED_POSTCODE_RE = re.compile(
    r"(?<![\w])(?=[A-Z0-9]{0,3}\d)(?=[A-Z0-9]{0,3}[A-Z])[A-Z0-9]{2,4}[ \t](?=[A-Z0-9]{0,2}\d)(?=[A-Z0-9]{0,2}[A-Z])"
    r"[A-Z0-9]{3}(?![\w])"
)
_LINE_BEFORE_RE = re.compile(rf"(?:[{UPPER}][{LETTERS}'’.-]*[ \t]+){{1,4}}$")
_PART_BEFORE_RE = re.compile(rf"(?:[{UPPER}][{LETTERS}'’.-]*[ \t]?){{1,4}}[ \t]*,[ \t]*$")


def mixed_postcode_lines(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The capitalised words before a letter-and-digit postcode, and the capitalised comma parts before them."""
    for code in _MIXED_POSTCODE_RE.finditer(text):
        line = _LINE_BEFORE_RE.search(text, max(0, code.start() - 60), code.start())
        if not line:
            continue
        start = line.start()
        for _ in range(MAX_PLACE_PARTS - 1):
            part = _PART_BEFORE_RE.search(text, max(0, start - 60), start)
            if not part:
                break
            start = part.start()
        yield PiiFinding("address", start, code.end(), 0.7, "label")


def _opens_label(words: str) -> bool:
    return words.rstrip().endswith(":")


# where a name stands: after a person label ("Name:", "Registered owner:", "Transferred from:"), a maiden
# name's "née", a kinship word ("her son …"), a title ("Mr", "Dr") or a greeting ("Dear …")
PERSON_CUE_RE = re.compile(
    rf"(?<![{LETTERS}])(?:"
    r"(?i:owner|holder|(?:transferred|received|bought|inherited|acquired)[ \t]+from"
    r"|registrar|witness|témoin|époux|épouse|husband|wife|deceased|signed|signature"
    r"|sender|receiver|payee|payer|beneficiary)[ \t]*[:：]"
    r"|n[ée]e?(?=[ \t]+[^\W\d_])(?![ \t]+le(?![^\W\d_]))"
    r"|(?:son|daughter|wife|husband|brother|sister|mother|father|grandson|granddaughter|nephew|niece|widow"
    r"|widower|partner|fiancée?|cousin)(?=[ \t]+[^\W\d_])"
    r"|(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mme|Mlle|Herr|Frau|Sr|Sra)\.?(?=[ \t])"
    r"|(?:Dear|Cher|Chère|Liebe|Lieber|Querido|Querida|Estimado|Estimada)(?=[ \t])"
    r")[ \t]*"
)
# a word of a name as OCR and transliteration leave it: a capital, then letters, apostrophes, hyphens,
# an underscore for a space OCR read, a full stop after an initial ("W. P.", "K._L.")
_NAME_TOKEN_RE = re.compile(rf"[{UPPER}][{LETTERS}'’_.-]*")
MAX_NAME_TOKENS = 5


def names_in_name_positions(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The capitalised words in a name's position, whatever their letters, when one is no English word."""
    for cue in PERSON_CUE_RE.finditer(text):
        tokens: list[re.Match[str]] = []
        cursor = cue.end()
        while len(tokens) < MAX_NAME_TOKENS and (token := _NAME_TOKEN_RE.match(text, cursor)):
            if text[token.end() : token.end() + 1] in ":：" or _LABEL_AHEAD_RE.match(text, token.start()):
                break  # the next field's label ("Wife:", "Date de naissance")
            tokens.append(token)
            cursor = token.end()
            gap = re.compile(r"[ \t]+").match(text, cursor)
            if not gap:
                break
            cursor = gap.end()
        while tokens and tokens[-1].group().endswith(".") and len(tokens[-1].group()) > 3:
            tokens.pop()  # a sentence's end, not an initial
        if tokens and any(_strange(token.group(), forms) for token in tokens):
            yield PiiFinding("person", tokens[0].start(), tokens[-1].end(), 0.7, "label")


# labels that open without a colon right after their first word ("Date de naissance / Geburtsdatum:")
_LABEL_AHEAD_RE = re.compile(rf"[{UPPER}][{LETTERS}]*(?:[ \t]+[{LETTERS}]+){{0,3}}[ \t]*/[ \t]*[{UPPER}]")


def _strange(token: str, forms: frozenset[str]) -> bool:
    parts = [part for part in re.split(r"[_.'’-]", token) if part]
    return any(len(part) >= 3 and not is_english(part, forms) for part in parts)


# (v15) an address line before the line a rule found: a found address (a postcode and its town, a place line)
# takes the tokens right before it that an address line is made of: numbers and their units glued to them
# ("6-chome", "75-gil", "No. 8,", "RT 007/RW"), names of places that are no English word ("Tenjin",
# "Yuseong-gu,"), street types, short capitals ("RT", "SP"); it stops at a label's colon, an English word,
# another kind's finding, or after MAX_LINE_TOKENS_BEFORE tokens
_TOKEN_BEFORE_RE = re.compile(r"(\S+)[ \t]*$")
_NUMBER_WORDS = frozenset("no no. nr nr. nº n° # núm. num.".split())
MAX_LINE_TOKENS_BEFORE = 8


def grow_address_lines(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> list[PiiFinding]:
    """Each address finding grown back over the address tokens before it, and on over those after it (the
    next comma parts: "050059, Almaty q., Erasnūr köşesi, 97-üi, 28-päter"; "Thuzar Pyae Ward")."""
    # going on, a name inside the line stays in it ("Thuzar Pyae Ward"); going back, a name ends the line before
    others = [(f.start, f.end) for f in findings if f.kind not in ("address", "person")]
    named = others + [(f.start, f.end) for f in findings if f.kind == "person"]
    grown = []
    for finding in findings:
        if finding.kind == "address":
            start = _line_start_before(text, finding.start, named, forms)
            end = _line_end_after(text, finding.end, others, forms)
            if (start, end) != (finding.start, finding.end):
                finding = PiiFinding("address", start, end, finding.score, finding.rule)
        grown.append(finding)
    return grown


_TOKEN_AFTER_RE = re.compile(r"[ \t,;]*(\S+)")


def _line_end_after(text: str, end: int, taken: list[tuple[int, int]], forms: frozenset[str]) -> int:
    for _ in range(MAX_LINE_TOKENS_BEFORE):
        token = _TOKEN_AFTER_RE.match(text, end)
        if not token or not (_address_token(token.group(1), forms, True) or _place_word(token.group(1))):
            break
        if any(stop > token.start(1) and begin < token.end(1) for begin, stop in taken):
            break
        end = token.end(1) - (len(token.group(1)) - len(token.group(1).rstrip(",;")))
    return end


def _place_word(token: str) -> bool:
    return token.strip(",;.").lower() in PLACE_WORDS


def _line_start_before(text: str, start: int, taken: list[tuple[int, int]], forms: frozenset[str]) -> int:
    for _ in range(MAX_LINE_TOKENS_BEFORE):
        token = _TOKEN_BEFORE_RE.search(text, max(0, start - 40), start)
        if not token or not _address_token(token.group(1), forms):
            break
        if before := [end for begin, end in taken if end > token.start(1) and begin < token.end(1)]:
            # another value (a name, a date) ends the line before; the marks between go with the address
            return min(start, max(max(before), token.start(1)))
        start = token.start(1)
    return start


def _address_token(token: str, forms: frozenset[str], growing_on: bool = False) -> bool:
    """A token an address line is made of; going on, also a lower-case word that is no English word."""
    core = token.strip(",;")
    if not core or core.endswith((":", "：")) or not core[0].isalnum() or "|" in core:
        return False
    if _DIGIT_RE.search(core) or core.lower() in _NUMBER_WORDS or is_street_type(core):
        return True
    if core.isupper() and len(core.strip(".")) <= 3:
        return True  # a short code of capitals ("RT", "SP", "NW")
    words = [word for word in re.split(r"[-.'’]", core) if word]
    if any(is_english(word, forms) for word in words if len(word) > 2):
        return False
    return core[0].isupper() or (growing_on and core.isalpha() and len(core) > 3)


# (v15) one name across a word OCR left in lower case: two names with one lower-case word between them that is
# no English word ("Adi llitui Batiiici": "I" read as "l") are one name, the word with them
_LOWER_WORD_GAP_RE = re.compile(rf"[ \t]+([{LETTERS}]{{3,}})[ \t]+")


def names_across_lower_words(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> list[PiiFinding]:
    """The findings, and one name over each pair of names that such a word stands between."""
    persons = sorted((f for f in findings if f.kind == "person"), key=lambda f: f.start)
    bridges = []
    for first, second in zip(persons, persons[1:], strict=False):
        gap = _LOWER_WORD_GAP_RE.fullmatch(text, first.end, second.start)
        if gap and gap.group(1).islower() and not is_english(gap.group(1), forms):
            bridges.append(PiiFinding("person", first.start, second.end, min(first.score, second.score), "position"))
    return findings + bridges


# (v15) the name a maiden name follows: the capitalised words (initials kept) right before "née" / "(née"
_MAIDEN_RE = re.compile(r"(?:[ \t]*[,(][ \t]*|[ \t]+)n[ée]e?(?![^\W\d_])")
_NAME_TOKEN_BEFORE_RE = re.compile(rf"([{UPPER}][{LETTERS}'’_.-]*)[ \t]*$")


def names_before_maiden_names(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The capitalised words before a maiden name's "née", when one is no English word ("W. P. Sandkanthi (née …")."""
    for maiden in _MAIDEN_RE.finditer(text):
        start = end = maiden.start()
        tokens = []
        while len(tokens) < MAX_NAME_TOKENS and (
            token := _NAME_TOKEN_BEFORE_RE.search(text, max(0, start - 40), start)
        ):
            if is_english(token.group(1).strip(".'’"), forms) and len(token.group(1)) > 2:
                break  # a heading's words ("IN LOVING MEMORY")
            tokens.append(token.group(1))
            start = token.start(1)
        if tokens and any(_strange(token, forms) for token in tokens):
            yield PiiFinding("person", start, end, 0.7, "label")
