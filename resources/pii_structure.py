"""Names and addresses told by how a document writes them, not by any list.

Lists of names and street words run out on material nobody here wrote; the way documents set
people and places down is more regular:

- a family name in capitals next to a given name ("FERNANDEZ Lourdes", "Jeton HÜRLIMANN"), a whole
  name in capitals at the head of a CV ("MOMOKO KATO"), a name OCR glued in capitals
  ("OGAWANANAMI"): capitals words that are no English word, no acronym and no constant;
- a person introduced by a relation ("my partner Josip", "her son Eero");
- a capitalised pair where one word carries a letter English does not write ("Chlóe Grande",
  "Arnau Roselló");
- an address is a run of address tokens: once one is found it goes on over the tokens that follow
  it (", 53 · 58025, Frassine (GR)", ", Neuquén"); a "name" that opens with a street-type word or
  stands between a house number and an address is the street's name ("77, rue Thomas",
  "23, Daniel Street"); Japanese block numbers and wards ("2-23-11 Nishiogi", "Setagaya-ku").

The name findings are weak (rule "capitals" or "shape"): the document's own use of the words still
decides (resources/pii_decide.py decide_names), so acronyms, constants and vocabulary a manual repeats drop out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from resources.pii_blocks import address_continuation, is_street_type
from resources.pii_document import LOWER, UPPER
from resources.pii_names import NAME_PARTICLE, NAME_SEQUENCE, NAME_WORD, first_name_gazetteer, is_name_word
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english, segment_words

_VOWELS = frozenset("aeiouyáàâäãåāăąéèêëēėęěíìîïīįóòôöõøōőúùûüūůűų")
_CAPS_WORD = rf"[{UPPER}]{{2,}}(?:[-'’][{UPPER}]{{2,}})*"
_TITLE_WORD = rf"[{UPPER}][{LOWER}]+(?:[-'’][{UPPER}]?[{LOWER}]+)*"
# a name is not part of an identifier ("GSTM2_PONAB", "MAX_RSTATS")
_EDGE_BEFORE = rf"(?<![{UPPER}{LOWER}\d_])"
_EDGE_AFTER = rf"(?![{UPPER}{LOWER}\d_])"
# a capitals word a name may be: this many letters at least (shorter ones are acronyms: "GP", "DOS")
MIN_CAPITALS_LETTERS = 4
# a glued run of capitals is a name from this many letters ("MAEDAHIDEKI"); shorter runs are acronyms
MIN_GLUED_CAPITALS = 9
# share of vowels a glued capitals name has at least (hashes and codes have fewer)
MIN_VOWEL_SHARE = 0.3
# an English word this long inside a glued capitals run makes it a constant ("MAXITERATIONS")
MIN_INNER_WORD = 6


def _has_vowel(word: str) -> bool:
    return any(char in _VOWELS for char in word.lower())


def _given_name(word: str) -> bool:
    return word.capitalize() in first_name_gazetteer()


def _capitals_name_word(word: str, forms: frozenset[str], min_letters: int = MIN_CAPITALS_LETTERS) -> bool:
    """A word in capitals that may be a family name: long enough, with a vowel, no English word
    unless a known given name ("ANDREW")."""
    letters = [char for char in word if char.isalpha()]
    if len(letters) < min_letters or not _has_vowel(word):
        return False
    return not is_english(word, forms) or _given_name(word)


def _plain_name_word(word: str) -> bool:
    return is_name_word(word) and word.lower() not in FUNCTION_WORDS


def _title_name_word(word: str, forms: frozenset[str]) -> bool:
    """A capitalised word that may be a given name: no label or function word, and no English word
    unless a known given name ("Lourdes", "Luigi", "Cecilia")."""
    if not is_name_word(word) or word.lower() in FUNCTION_WORDS or len(word) < 2:
        return False
    return not is_english(word, forms) or _given_name(word)


_MIXED_RE = re.compile(
    rf"{_EDGE_BEFORE}(?:(?P<caps>(?:{NAME_PARTICLE}[ \t]+)?{_CAPS_WORD})[ \t]+(?P<given>{_TITLE_WORD})"
    rf"|(?P<given_first>{_TITLE_WORD})[ \t]+(?P<caps_last>{_CAPS_WORD})){_EDGE_AFTER}"
)
_CAPS_RUN_RE = re.compile(rf"{_EDGE_BEFORE}{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD})+{_EDGE_AFTER}")
_GLUED_CAPS_RE = re.compile(rf"{_EDGE_BEFORE}[{UPPER}]{{{MIN_GLUED_CAPITALS},}}{_EDGE_AFTER}")


def find_capitals_names(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Names written wholly or partly in capitals: "SURNAME Given" and "Given SURNAME", a run of two
    or three capitals words none of which is English (or a known given name), and a long glued
    capitals run that is no English word and holds none."""
    if not forms:
        return
    for match in _MIXED_RE.finditer(text):
        # a particle in capitals before the family name ("DE KEYSER Anouk") goes with it
        caps = (match.group("caps") or match.group("caps_last")).split()[-1]
        given = match.group("given") or match.group("given_first")
        # family name first, as registers and forms write it: the given name may be an English word too
        # ("MAHMOUDI Ibrahim"); given name first, it may not ("Output APULSELT" is a table's constant)
        family_first = match.group("caps") is not None
        given_ok = _plain_name_word(given) if family_first else _title_name_word(given, forms)
        if _capitals_name_word(caps, forms) and not is_english(caps, forms) and given_ok:
            yield PiiFinding("person", match.start(), match.end(), 0.65, "capitals")
    for match in _CAPS_RUN_RE.finditer(text):
        words = match.group().split()
        # a particle in capitals may stand inside ("DAI DOS BERGSVERSEN")
        inner = [word for index, word in enumerate(words) if not (0 < index < len(words) - 1 and _particle(word))]
        if len(words) > 3 or not all(_capitals_name_word(word, forms, 2) and _pronounceable(word) for word in inner):
            continue
        if any(len(word) >= MIN_CAPITALS_LETTERS and not is_english(word, forms) for word in words):
            yield PiiFinding("person", match.start(), match.end(), 0.6, "capitals")
    for match in _GLUED_CAPS_RE.finditer(text):
        if _glued_capitals_name(match.group(), forms):
            yield PiiFinding("person", match.start(), match.end(), 0.6, "capitals")


# a name has no run of this many consonants (a constant or a protein sequence may: "RSTATS", "TDSSYDEKR")
MAX_CONSONANT_RUN = 4
# a capitals word of a name has at least this share of vowels ("STATS", "RSTATS" have fewer)
MIN_WORD_VOWEL_SHARE = 0.25
# longer glued capitals runs are sequences or codes, not a given and family name
MAX_GLUED_CAPITALS = 24
_CONSONANT_RUN_RE = re.compile(rf"[^\W\d_{''.join(sorted(_VOWELS))}]{{{MAX_CONSONANT_RUN},}}", re.IGNORECASE)


def _particle(word: str) -> bool:
    return re.fullmatch(NAME_PARTICLE, word) is not None


def _pronounceable(word: str) -> bool:
    letters = [char for char in word.lower() if char.isalpha()]
    vowels = sum(char in _VOWELS for char in letters)
    return vowels >= MIN_WORD_VOWEL_SHARE * len(letters) and not _CONSONANT_RUN_RE.search(word)


def _glued_capitals_name(word: str, forms: frozenset[str]) -> bool:
    lower = word.lower()
    vowels = sum(char in _VOWELS for char in lower)
    if len(lower) > MAX_GLUED_CAPITALS or vowels < MIN_VOWEL_SHARE * len(lower) or is_english(lower, forms):
        return False
    if _CONSONANT_RUN_RE.search(word):
        return False
    inner = (lower[start:end] for start in range(len(lower)) for end in range(start + MIN_INNER_WORD, len(lower) + 1))
    if any(piece in forms for piece in inner):
        return False
    # nor English words glued whole ("AWAITRISE", "SAFEARRAY"): a constant
    return segment_words(lower, lambda piece: len(piece) >= 3 and is_english(piece, forms)) is None


_RELATION_RE = re.compile(
    r"(?<![A-Za-z])(?i:my|our|his|her|their|your)[ \t]+(?i:partner|husband|wife|son|daughter|mother|father|"
    r"brother|sister|friend|colleague|neighbou?r|spouse|fianc[ée]e?|guardian|uncle|aunt|cousin|grandson|"
    r"granddaughter|child|carer|landlord|lodger|flatmate)[ \t,]+"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})"
)


def find_persons_by_relation(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """ "my partner Josip", "her son Eero Mäkelä": a relation word then a name; the name's words are
    those that are no English word (or a known given name), from the first."""
    for match in _RELATION_RE.finditer(text):
        words = list(re.finditer(r"\S+", match.group("name")))
        kept = []
        for word in words:
            if not _title_name_word(word.group(), forms) or word.group().isupper():
                break
            kept.append(word)
        if kept:
            start = match.start("name")
            yield PiiFinding("person", start + kept[0].start(), start + kept[-1].end(), 0.7, "relation")


_FOREIGN_LETTER_RE = re.compile(r"[^\x00-\x7f]")
_PAIR_RE = re.compile(rf"{_EDGE_BEFORE}(?P<first>{_TITLE_WORD})[ \t]+(?P<second>{_TITLE_WORD}){_EDGE_AFTER}")


def find_accented_pairs(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Two capitalised words, one with a letter English does not write and no English word, the other
    a possible name word ("Chlóe Grande", "Arnau Roselló"): a name, unless the document says otherwise."""
    if not forms:
        return
    position = 0
    while match := _PAIR_RE.search(text, position):
        first, second = match.group("first"), match.group("second")
        foreign = [word for word in (first, second) if _FOREIGN_LETTER_RE.search(word)]
        if any(not is_english(word, forms) for word in foreign) and all(
            is_name_word(word) and word.lower() not in FUNCTION_WORDS for word in (first, second)
        ):
            yield PiiFinding("person", match.start(), match.end(), 0.6, "shape")
        position = match.start("second")


# Japanese block numbers before a town ("2-23-11 Nishiogi") and wards ("Setagaya-ku")
_BLOCK_NUMBER_RE = re.compile(rf"(?<![\w.-])\d{{1,4}}-\d{{1,4}}(?:-\d{{1,4}})?[ \t]+(?P<town>{_TITLE_WORD})")
_WARD_RE = re.compile(rf"{_EDGE_BEFORE}[{UPPER}][{LOWER}]{{2,}}-(?:ku|shi|cho|machi|gun|son){_EDGE_AFTER}")


def find_block_addresses(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    if not forms:
        return
    for match in _BLOCK_NUMBER_RE.finditer(text):
        if not is_english(match.group("town"), forms):
            yield PiiFinding("address", match.start(), match.end(), 0.6, "block")
    for match in _WARD_RE.finditer(text):
        yield PiiFinding("address", match.start(), match.end(), 0.6, "block")


# a house number (a flat's too: "Flat 79r, ", "23, ") right before a street named like a person
_HOUSE_NUMBER_BEFORE_RE = re.compile(
    r"(?:(?<![\w.])[A-Z][a-z]{1,4}\.?[ \t]+)?(?<![\w.])\d{1,4}[A-Za-z]?[ \t]*,?[ \t]*$"
)
_STREET_WORD_BEFORE_RE = re.compile(rf"(?<![\w])(?P<type>[{UPPER}{LOWER}]+\.?)[ \t]+$")
# what may stand between a street's name and the rest of its address
_ADDRESS_GAP_RE = re.compile(r"[ \t]*[,·/|]?[ \t]*")


def street_names_as_addresses(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Person findings that are a street's name become address findings: one opening with a street-type
    word ("Vicolo Mozart"), or after one ("rue Thomas"), or after a house number and right before an
    address ("23, Daniel Street"). The street-type word and house number before join them."""
    addresses = [f for f in findings if f.kind == "address"]
    out = []
    for finding in findings:
        if finding.kind == "person":
            if street := _street_start(text, finding, addresses):
                finding = replace(finding, kind="address", start=street, rule="block")
        out.append(finding)
    return out


def _street_start(text: str, finding: PiiFinding, addresses: list[PiiFinding]) -> int | None:
    first_word = text[finding.start : finding.end].split()[0] if text[finding.start : finding.end].split() else ""
    start = finding.start
    typed = is_street_type(first_word)
    if not typed and (word := _STREET_WORD_BEFORE_RE.search(text, max(0, start - 30), start)):
        if is_street_type(word.group("type")):
            typed, start = True, word.start()
    number = _HOUSE_NUMBER_BEFORE_RE.search(text, max(0, start - 20), start)
    gap = _ADDRESS_GAP_RE.match(text, finding.end)
    followed = any(a.start == gap.end() for a in addresses) if gap else False  # type: ignore[union-attr]
    if typed:
        return number.start() if number else start
    if number and followed:
        return number.start()
    return None


# the tokens a street line right before a place line is made of: "Chladkova25", "Boulevard 8 N° 4582"
_STREET_TOKEN_RE = re.compile(
    rf"N[°º]|\d{{1,5}}(?:[A-Za-z](?![°º]))?|[{UPPER}][{UPPER}{LOWER}'’.-]+|[{LOWER}]{{2,}}\.?"
)
# the most tokens a street line before an address takes
MAX_STREET_TOKENS = 8


def street_before(text: str, start: int, forms: frozenset[str]) -> int:
    """Where an address that starts at `start` really starts: it takes the street line right before it
    when that line holds a house number and a word that is a street type or no English word
    ("Chladkova25 62877Hlinsko", "Boulevard8N°4582 Neuquen8300"). `start` itself otherwise."""
    window = text[max(0, start - 60) : start]
    tokens = list(_STREET_TOKEN_RE.finditer(window))
    taken: list[re.Match[str]] = []
    edge = len(window)
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        between = window[token.end() : edge]
        if len(taken) >= MAX_STREET_TOKENS or not re.fullmatch(r"[ \t,·|]*", between):
            break
        word = token.group()
        # a street's name may be an English word after its type ("rue Marcel", "Via Rosa")
        after_type = index > 0 and is_street_type(tokens[index - 1].group()) and word[0].isupper()
        if word[0].isalpha() and word not in ("N°", "Nº") and not after_type:
            if word.lower() in FUNCTION_WORDS or is_english(word, forms) and not is_street_type(word):
                break
        taken.append(token)
        edge = token.start()
    has_number = any(t.group()[0].isdigit() for t in taken)
    has_word = any(t.group()[0].isalpha() and t.group() not in ("N°", "Nº") for t in taken)
    return max(0, start - 60) + taken[-1].start() if has_number and has_word else start


def grow_addresses(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> list[PiiFinding]:
    """Each address finding grown over the street line right before it, the address tokens right after it
    (resources/pii_blocks.py) and a closing bracket it opened ("Caronno Pertusella (VA)")."""
    persons = [f for f in findings if f.kind == "person"]
    grown = []
    for finding in findings:
        if finding.kind == "address":
            finding = replace(finding, start=street_before(text, finding.start, forms))
            end = address_continuation(text, finding.end, forms)
            # a name it runs into is taken whole, or the name's own finding would lose its head and
            # leave what joined it uncovered ("Gheorghiu,Alida")
            end = max([end] + [p.end for p in persons if finding.end <= p.start < end])
            opened = text.count("(", finding.start, end) - text.count(")", finding.start, end)
            if opened > 0 and (close := re.match(r"[ \t]*\)", text[end:])):
                end += close.end()
            finding = replace(finding, end=end)
        grown.append(finding)
    return grown


# what joins the names of a list: "Mira Zoltan and Aku Pellinen", "Referees: NAME (boss), Sofía Arco"
_JOIN_RE = re.compile(r"[ \t]*(?:\([^()\n]{1,30}\)[ \t]*)?(?:,|;|&|/|\band\b|\bor\b)[ \t]*")
_PEER_RE = re.compile(NAME_SEQUENCE)
# a peer is a full name: this many name words at least, and at most
MIN_PEER_WORDS, MAX_PEER_WORDS = 2, 4
# the tokens after a name that make a table row's shape ("2 veg", "| First aider |")
ROW_SHAPE_TOKENS = 3
_ROW_TOKEN_RE = re.compile(rf"\d+|[{LOWER}]+|[{UPPER}][{UPPER}{LOWER}]*|[^\w \t]")
# a table's rows are told apart from prose when at least this many found names share the shape after them
MIN_ROWS_SEEN = 2


def find_peer_names(text: str, persons: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Names that stand where the document puts its other names: joined to a found name in a list
    ("household of NAME and Jérome Godin"), or in a table row shaped like the rows of found names
    ("Arnau Rosello 1 fish" where "NAME 2 veg" and "NAME 3 beef" are rows). Weak: the document decides."""
    if not forms or not persons:
        return
    taken = [(p.start, p.end) for p in persons]
    for person in persons:
        join = _JOIN_RE.match(text, person.end)
        if join and (peer := _PEER_RE.match(text, join.end())) and _peer(peer.group(), forms):
            yield PiiFinding("person", peer.start(), peer.end(), 0.6, "shape")
    shapes = [_row_shape(text, p.end) for p in persons]
    table = {shape for shape in shapes if shape and shapes.count(shape) >= MIN_ROWS_SEEN}
    if not table:
        return
    for peer in _PEER_RE.finditer(text):
        if any(start < peer.end() and peer.start() < end for start, end in taken):
            continue
        if _row_shape(text, peer.end()) in table and _peer(peer.group(), forms, min_words=1):
            yield PiiFinding("person", peer.start(), peer.end(), 0.6, "shape")


def _row_shape(text: str, end: int) -> tuple[str, ...]:
    """The classes of the few tokens after a name: digits "#", lower-case "w", capitalised "W", marks as they are."""
    tokens = _ROW_TOKEN_RE.findall(text, end, min(len(text), end + 40))[:ROW_SHAPE_TOKENS]
    shape = tuple("#" if t[0].isdigit() else "w" if t[0].islower() else "W" if t[0].isalpha() else t for t in tokens)
    # a shape of words only is prose ("NAME said that"), not a row
    return shape if len(shape) == ROW_SHAPE_TOKENS and any(c not in ("w", "W") for c in shape) else ()


def _peer(name: str, forms: frozenset[str], min_words: int = MIN_PEER_WORDS) -> bool:
    words = name.split()
    if not min_words <= len(words) <= MAX_PEER_WORDS:
        return False
    if not all(is_name_word(word) and word.lower() not in FUNCTION_WORDS for word in words):
        return False
    if len(words) == 1 and words[0].isupper():  # a constant in a table of them ("AWAITRISE 7 Wait")
        return False
    return any(not is_english(word, forms) or _given_name(word) for word in words if len(word) >= 2)
