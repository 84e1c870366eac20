"""What a PII evaluation slice that builds its people's names from parts shares (held_back_14 to held_back_21).

A slice names its naming traditions (one method `_<tradition>` each, building a name by that tradition's rules),
its birth-date labels, its address shapes (one method each, writing two lines), its identity numbers, its
e-mail domains and its number and OCR-damage builders; this part seeds the generator, hands the labels out in
turn, draws a shape, a number or a damage by the slice's own rules, and builds a name again while the
detector's first-name gazetteer holds any of its words, so that no planted name is one the detector could
know from its list. It draws from the generator in the order each slice's own code drew before the skeleton
moved here (2026-12-04): held_back_15's and _16's material came out byte for byte the same.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Callable
from functools import cache

from mm_assets.operations.pii_sets import Planted

# a template's pages (each a list of lines) and the values planted on them
Pages = tuple[list[list[str]], list[Planted]]
# an identity number of one of a slice's countries, from the generator and the date of birth (YYYYMMDD)
IdentityNumber = Callable[[random.Random, str], str]
# the share of names a slice passes through its OCR damage where a template asks for it
DAMAGED_SHARE = 0.3


@cache
def gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def name_words(name: str) -> set[str]:
    """The words of a name as the gazetteer would hold them (lower case, no punctuation)."""
    return {w.lower().strip("'.,") for w in name.replace("-", " ").split()}


def replace_one(text: str, old: str, new: str, rng: random.Random) -> str:
    """`text` with one occurrence of `old`, drawn at random, read as `new` (how OCR damage is applied)."""
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


def damaged_once(text: str, swaps: tuple[tuple[str, str], ...], rng: random.Random, *, or_a_lost_space: bool) -> str:
    """`text` with one of the `swaps` (old, new) it holds, drawn at random, applied at a random place (or, where
    `or_a_lost_space`, the space between two words lost); as it was where the damage finds nothing to take."""
    held = [(old, new) for old, new in swaps if old in text]
    if or_a_lost_space and " " in text:
        held.append((" ", ""))
    if not held:  # nothing the damage could take: the scan read it right
        return text
    return replace_one(text, *rng.choice(held), rng)


def undated(make: Callable[[random.Random], str]) -> IdentityNumber:
    """An identity number that does not carry the date of birth, as the slices' builders take one."""
    return lambda rng, _born: make(rng)


def spoken_in_turn(
    voices: tuple[tuple[str, int], ...], kinds: tuple[str, ...], sentences: dict[str, str]
) -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said): each kind's sentence by the next voice."""
    return tuple((voice, rate, kind, sentences[kind]) for (voice, rate), kind in zip(voices, kinds, strict=True))


class BuiltNames:
    """The seeded generator, the birth labels in turn, and people, addresses and numbers built by the
    subclass's rules."""

    SEED: int = 0
    TRADITIONS: tuple[str, ...] = ()
    BIRTH_LABELS: tuple[str, ...] = ()
    ADDRESS_SHAPES: tuple[str, ...] = ()  # the names of the methods that write an address's two lines
    IDENTITY_NUMBERS: tuple[IdentityNumber, ...] = ()
    EMAIL_DOMAINS: tuple[str, ...] = ()
    EMAIL_LETTERS: dict[int, str] = {}  # letters NFD does not take apart, as people write them in an address
    NOT_IN_EMAILS: tuple[str, ...] = ()  # particles and titles people leave out of their addresses

    def __init__(self, seed: int | None = None) -> None:
        self.random = random.Random(self.SEED if seed is None else seed)
        self.labels = itertools.cycle(self.BIRTH_LABELS)  # in turn, so that every language's label is used

    # the slice's builders, set as staticmethods: what a scan makes of a text, and its numbers
    @staticmethod
    def damage(text: str, rng: random.Random) -> str:
        return text

    @staticmethod
    def make_card(rng: random.Random) -> str:
        raise NotImplementedError

    @staticmethod
    def make_iban(rng: random.Random) -> str:
        raise NotImplementedError

    @staticmethod
    def make_ip(rng: random.Random):
        raise NotImplementedError

    def birth_label(self) -> str:
        return next(self.labels)

    def _fresh(self, build: Callable[[], str]) -> str:
        """A name from `build`, built again while the detector's gazetteer holds any of its words."""
        while True:
            name = build()
            if not name_words(name) & gazetteer():
                return name

    def person(self) -> str:
        return self._fresh(getattr(self, f"_{self.random.choice(self.TRADITIONS)}"))

    def _word(self, heads: tuple[str, ...], tails: tuple[str, ...]) -> str:
        # a head ending as its tail begins would write a letter three times (`Tupaa` + `aaja`): keep two
        return re.sub(r"(.)\1\1+", r"\1\1", self.random.choice(heads) + self.random.choice(tails))

    def place_word(self, heads: tuple[str, ...], tails: tuple[str, ...]) -> str:
        """A street, village or school name built like a person's, and like one rejected by the gazetteer."""
        return self._fresh(lambda: self._word(heads, tails))

    def maybe_damaged(self, text: str) -> str:
        return self.damage(text, self.random) if self.random.random() < DAMAGED_SHARE else text

    def address_lines(self) -> tuple[str, str]:
        return getattr(self, self.random.choice(self.ADDRESS_SHAPES))()

    def identity_number(self, born: str) -> str:
        """A national identity number of one of the slice's countries, with its own check where it has one."""
        return self.random.choice(self.IDENTITY_NUMBERS)(self.random, born)

    def card(self) -> str:
        return self.make_card(self.random)

    def iban(self) -> str:
        return self.make_iban(self.random)

    def ip_address(self):
        return self.make_ip(self.random)

    def email_word(self, word: str) -> str:
        """A word of a name as an e-mail address writes it: lower case, ASCII letters only."""
        word = unicodedata.normalize("NFD", word.lower().translate(self.EMAIL_LETTERS))
        return "".join(c for c in word if c.isascii() and c.isalpha())

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        """The local parts the slice's people choose from (`words`: their name's, as addresses write them)."""
        raise NotImplementedError

    def email(self, name: str) -> str:
        words = [self.email_word(w) for w in name.split()]
        words = [w for w in words if len(w) > 2 and w not in self.NOT_IN_EMAILS] or ["user"]
        local = self.random.choice(self.email_locals(words))
        return f"{local}@{self.random.choice(self.EMAIL_DOMAINS)}"
