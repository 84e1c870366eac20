"""An address's words that hold no digit, told by where they stand beside what was found (pii-patterns-v23).

held_back_20's addresses were villages and districts without a number (`ulus Dulkhoto`, `Tarbagatayskiy rayon`,
`selo Tsmidon`, `Úmbetqala awılı`, `Respublika Severnaya Osetiya — Alaniya`) and flats numbered in words no rule
knew (`103 mikrorayon, dom 37, kvartira 109`). These rules run inside default-deny's gate (resources/
pii_default_deny.py: a letter or a form; manuals stay untouched) and join to the findings:

- the lower-case word right before or after a name or an address (nothing but spaces between) that is a place's
  type (`rayon`, `village`, `district`) or no English word (`selo`, `ulus`, `awılı`): a place's type stands there
  in many languages;
- a chain of two or more comma parts that each pair a number with a word (`103 mikrorayon, dom 37, kvartira 109`),
  one word no English word: a house, a building and a flat in the language's own words;
- a house's number after a name or an address and its comma (`…, Carrèr Major, 40`), where nothing says it is an
  amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_document import LETTERS, LOWER
from resources.pii_fields import opens_label
from resources.pii_labels import PLACE_WORDS
from resources.pii_patterns import PiiFinding
from resources.pii_words import is_english

RULE = "default-deny"
MIN_WORD_LETTERS = 3
_LOWER_WORD_BEFORE_RE = re.compile(rf"(?<![{LETTERS}\d'’-])([{LOWER}][{LOWER}'’-]+)[ \t]+$")
_LOWER_WORD_AFTER_RE = re.compile(rf"[ \t]+([{LOWER}][{LOWER}'’-]+)(?![{LETTERS}\d'’-])")
# a part that pairs a number with a word, either way round (`103 mikrorayon`, `dom 37`, `kvartira 109`)
_WORD = rf"[{LETTERS}][{LETTERS}.'’-]{{1,15}}"
_NUMBER = r"\d{1,4}[A-Za-z]?"
# (or a number and its word joined by a hyphen: `40-úy, 93-xonaw`)
_PART = rf"(?:{_NUMBER}[ \t]+{_WORD}|{_WORD}[ \t]+{_NUMBER}|\d{{1,4}}-{_WORD})"
_PART_CHAIN_RE = re.compile(rf"(?<![\w.-]){_PART}(?:[ \t]*,[ \t]*{_PART})+(?![\w-])")
# a house's number after a comma, and nothing after it that makes it an amount, a measure or part of a number
# (or a postcode OCR read noughts of as letters: `67oooo`)
_HOUSE_NUMBER_RE = re.compile(
    r"[ \t]*,[ \t]*(\d{1,4}[A-Za-z]?|\d{2,}[Oo]{1,5})"
    r"(?![\w/-]|[.,]\d|[ \t]*(?:%|[A-Za-z]{1,3}\b|years|year|yrs|per|x\b))"
)


def place_words_beside(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The lower-case place type or foreign word right before or after a name or an address."""
    for finding in findings:
        if finding.kind not in ("person", "address"):
            continue
        before = _LOWER_WORD_BEFORE_RE.search(text, max(0, finding.start - 30), finding.start)
        if before and _place_word(before.group(1), forms) and not opens_label(text, before.start(1)):
            yield PiiFinding("address", before.start(1), finding.start, 0.6, RULE)
        after = _LOWER_WORD_AFTER_RE.match(text, finding.end)
        if after and _place_word(after.group(1), forms) and not opens_label(text, after.start(1)):
            yield PiiFinding("address", finding.end, after.end(1), 0.6, RULE)


def _place_word(word: str, forms: frozenset[str]) -> bool:
    core = word.strip("'’-")
    return core in PLACE_WORDS or (len(core) >= MIN_WORD_LETTERS and not is_english(core, forms))


def numbered_part_chains(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Two or more comma parts pairing a number and a word, a word among them no English word."""
    for chain in _PART_CHAIN_RE.finditer(text):
        words = re.findall(rf"[{LETTERS}][{LETTERS}'’-]*", chain.group())
        if any(len(word) >= MIN_WORD_LETTERS and not is_english(word, forms) for word in words):
            yield PiiFinding("address", chain.start(), chain.end(), 0.6, RULE)


def house_numbers_after(text: str, findings: list[PiiFinding]) -> Iterator[PiiFinding]:
    """A short number after a name's or an address's comma (`…, Carrèr Major, 40`)."""
    for finding in findings:
        if finding.kind in ("person", "address") and (number := _HOUSE_NUMBER_RE.match(text, finding.end)):
            yield PiiFinding("address", finding.end, number.end(1), 0.6, RULE)


# a letterhead's or a signature's lines between a name and its phone or e-mail: what an address line is made of
_LINE_TOKEN_RE = re.compile(rf"(?:[{LETTERS}\d][{LETTERS}\d.'’/-]*,?|[,·/–—-])$")
# the particles inside a place's name (a function word such as `to` opens prose instead)
_PLACE_PARTICLES = frozenset("of de del della di da das dos do du des la le el van von am an".split())
MAX_LINES_TOKENS = 14


def lines_between_name_and_contact(
    text: str, findings: list[PiiFinding], forms: frozenset[str]
) -> Iterator[PiiFinding]:
    """The tokens between a name and the phone or e-mail after it (a letterhead's lines: `NAME Green Farm, Church
    Lane, Hope +44 …`), when each is a capitalised word, a number, a place's type or particle, a word of another
    language or a separator (a table's bar ends a cell: no letterhead)."""
    persons = sorted((f for f in findings if f.kind == "person"), key=lambda f: f.end)
    for contact in findings:
        if contact.kind not in ("phone", "email"):
            continue
        name = next((p for p in reversed(persons) if p.end <= contact.start), None)
        if name is None:
            continue
        tokens = list(re.finditer(r"\S+", text[name.end : contact.start]))
        if not tokens or len(tokens) > MAX_LINES_TOKENS:
            continue
        if all(_line_token(name.end + token.start(), token.group(), text, forms) for token in tokens):
            yield PiiFinding("address", name.end + tokens[0].start(), name.end + tokens[-1].end(), 0.6, RULE)


def _line_token(at: int, token: str, text: str, forms: frozenset[str]) -> bool:
    if not _LINE_TOKEN_RE.match(token) or opens_label(text, at):
        return False
    core = token.strip(",.")
    if not core or not core[0].isalpha() or core[0].isupper() or core in PLACE_WORDS | _PLACE_PARTICLES:
        return True
    return len(core) > 3 and not is_english(core, forms)  # a word of another language


# an address label as a table's cell or before a dotted leader (`| Address | Bairiki village |`, `Depositor's address
# ........ Village Tala`): what follows is the address, up to the next bar, label or prose
_ADDRESS_CELL_LABEL_RE = re.compile(
    rf"(?<![{LETTERS}])(?i:address|adresse|anschrift|dirección|direccion|domicilio|endereço|morada|indirizzo|adres"
    r"|abode|residence|domicile|wohnort|office|home|village|town|place[ \t]+of[ \t]+(?:birth|residence))"
    r"[ \t]*(?P<mark>\||\.{3,}|…+)[ \t.…]*"
)
MIN_CELL_TOKENS = 2


def address_cells(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The cell after an address label's cell, or the value after its dotted leader, when it holds two tokens or
    more and a capitalised word or a number."""
    for label in _ADDRESS_CELL_LABEL_RE.finditer(text):
        if label.group("mark") == "|":
            end = text.find("|", label.end())
            end = len(text) if end < 0 else end
        else:
            end = min(len(text), label.end() + MAX_CELL_CHARS)
        value = text[label.end() : end]
        tokens = list(re.finditer(r"\S+", value))
        kept: list[re.Match[str]] = []
        for index, token in enumerate(tokens):
            if opens_label(text, label.end() + token.start()) or token.group() == "|":
                break
            following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
            if _prose(token.group(), forms) or (token.group()[0].isupper() and _prose(following, forms)):
                break  # running prose, or the capital that opens it ("Debited from account")
            kept.append(token)
        words = [token.group() for token in kept]
        if len(kept) >= MIN_CELL_TOKENS and any(word[0].isupper() or word[0].isdigit() for word in words):
            yield PiiFinding("address", label.end() + kept[0].start(), label.end() + kept[-1].end(), 0.6, RULE)


MAX_CELL_CHARS = 100


def _prose(token: str, forms: frozenset[str]) -> bool:
    """A lower-case English word of four letters or more that is no place's type."""
    word = token.strip(",.;")
    return len(word) > 3 and word.isalpha() and word.islower() and word not in PLACE_WORDS and is_english(word, forms)
