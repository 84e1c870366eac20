"""Street addresses whose house number does not stand before the street's name (pii-patterns-v19).

Why: held_back_17's address misses (issue 18) were streets named in English words, which v17's default-deny
rules leave to the address rules, but whose number stood elsewhere: a plot, lot or house number before the
street and a comma (`Plot 70A, Market Street`, as Kampala and Majuro write them), or a street named by a code and
a number (`KG 610 St`, Kigali's numbered streets). Then the place parts after it (`, Kololo, Kampala`), which the
address growth rules reach once the street is found; and the short lower-case word inside a name of a place
(`Cité des 500 Logements`) that split one address finding into two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_patterns import STREET_SUFFIXES, PiiFinding, find_addresses

_SUFFIX_WORDS = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
# a street word capitalised as a name's word is (`Road`, `St`, `Ave.`), not a lower-case noun
_SUFFIX = rf"(?=[A-Z][a-z])(?i:(?:{_SUFFIX_WORDS})s?)(?![{LETTERS}])\.?"
_NAME_WORD = rf"[{UPPER}][{LOWER}'’-]+"
# a unit before the street: one capitalised word and its number, then a comma (`Plot 14A, `, `Lot 23, `)
# a document's own parts are numbered so too (`Chapter 3, Park Avenue`): no unit
_DOCUMENT_PARTS = frozenset(
    "chapter section table figure fig page part step item appendix note version volume vol article clause".split()
)
_UNIT_BEFORE_STREET_RE = re.compile(
    rf"(?<![{LETTERS}\d])[{UPPER}][{LOWER}]{{1,8}}\.?[ \t]+\d{{1,5}}[A-Za-z]?[ \t]*,[ \t]*"
    rf"(?:{_NAME_WORD}[ \t]+){{1,3}}{_SUFFIX}"
)
# a street named by a code of capitals and a number (`KG 11 Ave`, `KN 3 Rd`)
_CODED_STREET_RE = re.compile(rf"(?<![{LETTERS}\d])[A-Z]{{1,3}}[ \t]+\d{{1,4}}[A-Za-z]?[ \t]+{_SUFFIX}")
# what may stand between two findings of one address: short lower-case words and a number (`des`, `de la`, `des 40`)
_PARTICLE_GAP_RE = re.compile(rf"[ \t]+(?:(?:[{LOWER}]{{1,3}}|\d{{1,5}})[ \t]+){{1,3}}")
# the last comma part of an address in running text: one or two capitalised words, then the clause goes on in
# lower case or ends (`…, Gasabo District, Kigali since childhood.`)
_LAST_PLACE_RE = re.compile(
    rf"[ \t]*,[ \t]*{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?(?=[ \t]*(?:[.;:)]|$|\n|[ \t]+[{LOWER}]))"
)


def find_streets(text: str) -> Iterator[PiiFinding]:
    """The `address` rule: addresses by shape (resources/pii_patterns.py), and streets whose number is a unit's
    before them or a code's part."""
    yield from find_addresses(text)
    for pattern in (_UNIT_BEFORE_STREET_RE, _CODED_STREET_RE):
        for match in pattern.finditer(text):
            if match.group().split()[0].rstrip(".").lower() in _DOCUMENT_PARTS:
                continue
            yield PiiFinding("address", match.start(), match.end(), 0.7, "street")


def join_address_parts(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Findings joined over short lower-case words (and a number) between them, where one of the two is an address
    or the gap holds a number: one place's name holds them (`Cité des 500 Logements`, whose first word another
    rule may have taken for a name)."""
    ordered = sorted(findings, key=lambda f: f.start)
    joined = []
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end >= after.start or not _PARTICLE_GAP_RE.fullmatch(text, before.end, after.start):
            continue
        # beside an address, or with a number in the gap: a place's name, not two names and the word between
        if "address" in (before.kind, after.kind) or re.search(r"\d", text[before.end : after.start]):
            joined.append(PiiFinding("address", before.start, after.start, 0.6, "joined"))
    return findings + joined + _last_places(text, findings)


def _last_places(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """The town that closes an address of several comma parts, when its name is also an English word form (a
    capital the dictionary knows, which the growth rules take for prose: held_back_17's `…, Kigali`)."""
    places = []
    for finding in findings:
        if finding.kind == "address" and "," in text[finding.start : finding.end]:
            if match := _LAST_PLACE_RE.match(text, finding.end):
                places.append(PiiFinding("address", finding.start, match.end(), 0.6, "last-place"))
    return places
