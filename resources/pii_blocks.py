"""Street addresses told by where a document puts them, in any country's format.

Address shapes differ by country ("Žiarska 104", "Cr. 9ª # 36U-29 Sur", "3-4-19 Kitazawa",
"rue de Corboz 987, 1519 Cousin") and no pattern list covers them all. Where the address stands
is more regular: after an address label ("Home address", "Current address:", "lives at"), after a
person's name and "of" ("NAME of <address>"), or right after the addressee's name at the head of a
letter. From such an anchor, an address block runs over what addresses are made of (numbers,
capitalised words, street-type words of many languages, short particles, words no English
dictionary holds, commas) and stops at the first word of running prose or the next label. A block
counts only when it holds a number and a word that is no English word or is a street-type word,
so "Proof of Theorem 3" or "Address of the buffer" are no addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from resources.pii_document import LETTERS
from resources.pii_patterns import PiiFinding
from resources.pii_words import is_english

# street-type and post-box words of many languages (lower case; a glued suffix counts too:
# "Michelboulevard", "Hauptgasse"); what a street is called, not any street's name
STREET_TYPES = frozenset(
    """street st road rd avenue ave av avenida av. boulevard blvd bd lane drive way place plaza square court
    terrace crescent close row mews parade highway route rue chemin allée allee impasse quai cours voie
    calle carrera cra cr cl diagonal transversal circular continuación continuacion callejón camino paseo
    ronda travesía rua travessa largo praça praca estrada via viale vicolo piazza corso strada ulica ul
    aleja al plac pl osiedle os cesta trg ulice náměstí namesti nábřeží cesta ut utca út tér körút
    gata gatan gate veien vej vei gade väg vägen katu kuja polku tie straat laan weg plein gracht kade dreef steenweg
    strasse straße str gasse platz allee ring damm ufer postbox postfach apartado casilla caixa
    setor sector quadra conjunto lote vila jardim alameda
    box edif edificio depto dpto departamento piso interior bloque bl apt apto apartment flat unit suite
    chome ku cho machi""".split()
)
_GLUED_STREET_TYPES = tuple(
    sorted(
        ("boulevard", "straat", "laan", "weg", "gasse", "strasse", "straße", "platz", "allee", "gatan", "veien", "vej")
        + (
            "gade",
            "vägen",
            "katu",
            "kuja",
            "polku",
            "tie",
            "utca",
            "ulica",
            "plein",
            "gracht",
            "dreef",
            "ring",
            "damm",
            "ufer",
        ),
        key=len,
        reverse=True,
    )
)
# what introduces an address on forms and in letters (case-insensitive; OCR may glue it)
ADDRESS_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?i:(?:home|current|postal|previous|permanent|billing|mailing|delivery|correspondence|"
    r"street|residential|private)?[ \t]*(?:address|adresse|dirección|direccion|domicilio|endereço|morada|"
    r"anschrift|indirizzo|adres)(?:[ \t]*on[ \t]*file)?|(?:insured[ \t]*)?(?:property|premises|residence)|"
    r"(?:lives|living|resides|residing|resident|domiciled|"
    r"located|situated)[ \t]*(?:at|in)|deliver(?:ed)?[ \t]*to|send[ \t]*to|mail[ \t]*to)[ \t]*[:\-–]?[ \t]*"
)
# a word of an address block: a number (with letters, slashes, dashes, "9ª"), a word, a "#" or a separator
_TOKEN_RE = re.compile(
    rf"(?P<mark>(?i:c/o)|N[°º]|[#,，·/()])|(?P<number>[{LETTERS}]{{0,3}}\d[\w/ª°º.'-]*)|(?P<word>[{LETTERS}][{LETTERS}'’.-]*)"
)
# the most tokens one address block takes (a long one-line address with a country)
MAX_BLOCK_TOKENS = 16
# labels and greetings that end an address block
_LABEL_WORDS = frozenset(
    """telephone telefon phone tel fax mobile mob cell email e-mail mail web accompanied iban account dob date
    birth born ssn card dear hi hello regards sincerely thanks yours signed signature name surname given
    nationality occupation attn attention re subject""".split()
)


# a street named with its type glued on, then a house number, anywhere: "Runeberginkuja 1", "Lindenstraat 14b"
_GLUED_STREET_RE = re.compile(rf"(?<![{LETTERS}-])[{LETTERS}][{LETTERS}-]{{2,}}[ \t]*\d{{1,4}}[A-Za-z]?(?![\w])")


def find_glued_streets(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A word that ends in a street type of another language and is no English word, then a house number."""
    for match in _GLUED_STREET_RE.finditer(text):
        word = re.match(rf"[{LETTERS}-]+", match.group()).group()  # type: ignore[union-attr]  (it opens so)
        if word[0].isupper() and len(word) > 6 and is_street_type(word) and not is_english(word, forms):
            yield PiiFinding("address", match.start(), match.end(), 0.65, "block")


def find_address_blocks(text: str, forms: frozenset[str], persons: Iterable[PiiFinding] = ()) -> Iterator[PiiFinding]:
    """Address blocks after address labels and after person findings (with or without "of" between)."""
    if not forms:
        return
    yield from find_glued_streets(text, forms)
    for label in ADDRESS_LABEL_RE.finditer(text):
        if block := _block(text, label.end(), forms, after_name=False):
            yield PiiFinding("address", *block, 0.7, "block")
    for person in persons:
        if person.kind != "person":
            continue
        gap = _AFTER_NAME_RE.match(text, person.end)
        start = gap.end() if gap else person.end
        # "NAME of <address>" says it is an address; a name right before one (a letter's head) does not
        strict = not (gap and gap.group("of"))
        if block := _block(text, start, forms, after_name=strict):
            yield PiiFinding("address", *block, 0.65, "block")


_AFTER_NAME_RE = re.compile(r"[ \t,]*(?:(?P<of>(?i:of|at))[ \t]+)?")


def is_street_type(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return lower in STREET_TYPES or (len(lower) > 6 and lower.endswith(_GLUED_STREET_TYPES))


def _block(
    text: str, start: int, forms: frozenset[str], after_name: bool, continuing: bool = False
) -> tuple[int, int] | None:
    """The address block from `start`; `continuing`: it goes on with an address found right before it,
    so a number or a distinctive word is enough, but an English word (a heading: "COMPILING") or a
    sentence's end ("USA.") ends it."""
    tokens = list(_tokens(text, start))
    kept: list[re.Match[str]] = []
    for index, token in enumerate(tokens):
        if not _address_token(tokens[index:], forms, first=not kept):
            break
        word = token.group("word")
        # a town that is an English word stays when its postcode follows ("Tokyo 837-0565")
        postcode_next = index + 1 < len(tokens) and tokens[index + 1].group("number")
        if continuing and word and is_english(word.rstrip("."), forms) and not is_street_type(word):
            if not (word[0].isupper() and postcode_next):
                break
        kept.append(token)
        if continuing and word and word.endswith(".") and len(word) >= 4:
            break
    while kept and (kept[-1].group("mark") or _lower_word(kept[-1])):
        kept.pop()
    if not kept:
        return None
    first = kept[0]
    # right after a name (a letter's head), the block opens with a house number or a street-type word and
    # holds a street-type word ("Postbox 4885 3509, ...", "12 Harbour Road"): "Jun 2003 Provide ..." is none,
    # nor a table row after a constant ("3 Send High True Pulse on Output APULSELT 4")
    if after_name and not (
        (first.group()[0].isdigit() or is_street_type(first.group()))
        and any(token.group("word") and is_street_type(token.group()) for token in kept)
    ):
        return None
    has_number = any(token.group("number") for token in kept)
    distinctive = any(
        token.group("word")
        and len(token.group().rstrip(".")) >= 3
        and (is_street_type(token.group()) or not is_english(token.group(), forms))
        for token in kept
    )
    found = (has_number or distinctive) if continuing else (has_number and distinctive)
    return (first.start(), kept[-1].end()) if found else None


_SPACES_RE = re.compile(r"[ \t]*")


def _tokens(text: str, start: int) -> Iterator[re.Match[str]]:
    """The block's candidate tokens from `start`, up to a line-like break (a colon, a bracket, a full stop
    ending a sentence) or the token limit."""
    position, count = start, 0
    while count < MAX_BLOCK_TOKENS:
        position = _SPACES_RE.match(text, position).end()  # type: ignore[union-attr]  (it always matches)
        token = _TOKEN_RE.match(text, position)
        if token is None or token.end() == position:
            return
        yield token
        position, count = token.end(), count + 1
        if text.startswith(":", position):
            return


def _lower_word(token: re.Match[str]) -> bool:
    word = token.group("word")
    return bool(word) and word[0].islower() and not is_street_type(word)


def _address_token(tokens: list[re.Match[str]], forms: frozenset[str], first: bool) -> bool:
    """Whether tokens[0] belongs to the address block (the tokens after it decide particles and prose)."""
    token = tokens[0]
    if token.group("number"):
        return True
    if token.group("mark"):
        return not first or token.group().lower() in ("#", "c/o")
    word = token.group("word").rstrip(".")
    if word.lower() in _LABEL_WORDS:
        return False
    if is_street_type(word):
        return True
    if word[0].isupper():
        # a capitalised English word opening a sentence ("You are required", "In an emergency") ends it
        return not (is_english(word, forms) and _prose(tokens[1:], forms))
    # lower case: a particle before a capitalised word or a number ("bei Wien", "de Corboz"), or a word
    # no English dictionary holds ("prečac", "záhrady")
    return _particle(tokens) or (not is_english(word, forms) and len(word) >= 3)


def _particle(tokens: list[re.Match[str]]) -> bool:
    """A short lower-case word before a capitalised word or a number: "am Murufer", "de la Cruz 4"."""
    word = tokens[0].group("word")
    if not word or len(word) > 3 or not word[0].islower() or len(tokens) < 2:
        return False
    following = tokens[1]
    return bool(following.group("number") or (following.group("word") or "a")[0].isupper())


def _prose(tokens: list[re.Match[str]], forms: frozenset[str]) -> bool:
    """Whether the tokens open with a lower-case English word that is not a particle of a place name."""
    if not tokens or not (word := tokens[0].group("word")) or not word[0].islower():
        return False
    return is_english(word, forms) and not is_street_type(word) and not _particle(tokens)


# what may stand between an address and the tokens that go on with it
_CONTINUATION_GAP_RE = re.compile(r"[ \t]*[,·/|]?[ \t]*")
_GLUED_SEAM_RE = re.compile(r"[a-z][A-Z]")
# a town that follows an address without a number: this many words at most ("San Vicente de Tagua")
MAX_TOWN_WORDS = 4


def address_continuation(text: str, end: int, forms: frozenset[str]) -> int:
    """Where an address that ends at `end` really ends: it goes on over an address block right after it
    (", 53 · 58025, Frassine (GR)") or over a town's name (", Neuquén"): capitalised words that are no
    English word, or street-type words. `end` itself when nothing follows."""
    if not forms:
        return end
    gap = _CONTINUATION_GAP_RE.match(text, end)
    start = gap.end() if gap else end
    if block := _block(text, start, forms, after_name=False, continuing=True):
        return block[1]
    town = []
    for token in _tokens(text, start):
        word = token.group("word")
        if not word or not word[0].isupper() or word.lower() in _LABEL_WORDS or len(town) >= MAX_TOWN_WORDS:
            break
        if is_english(word, forms) and not is_street_type(word) or _GLUED_SEAM_RE.search(word):
            break  # prose, or words OCR glued ("HandedovertoGheorghiu"): no town
        town.append(token)
    return town[-1].end() if town else end


# a street named by its number ("Street 32c", "Road 7"), after a house's own number ("Villa 36, ") or
# before a place ("Street 32c, Mirdif"): the street word alone before a number is a heading's shape
_NUMBERED_STREET_RE = re.compile(
    r"(?<![\w.])(?:(?P<house>[A-Z][a-z]{1,9}\.?[ \t]+\d{1,4}[A-Za-z]?)[ \t]*,[ \t]*)?"
    r"(?P<street>[A-Z][a-z]+\.?)[ \t]+\d{1,4}[A-Za-z]?(?![\w.])(?P<place>[ \t]*,[ \t]*[A-Z])?"
)


def find_numbered_streets(text: str) -> Iterator[PiiFinding]:
    """Streets named by a number (the way some cities number them), with the house number before."""
    for match in _NUMBERED_STREET_RE.finditer(text):
        if is_street_type(match.group("street")) and (match.group("house") or match.group("place")):
            end = match.end("place") - 1 if match.group("place") else match.end()
            end = len(text[:end].rstrip(" \t,"))
            yield PiiFinding("address", match.start(), end, 0.6, "block")
