"""What a PII evaluation slice that builds its people's names from parts shares (held_back_14 to held_back_16).

A slice names its naming traditions (one method `_<tradition>` each, building a name by that tradition's rules)
and its birth-date labels; this part seeds the generator, hands the labels out in turn and builds a name again
while the detector's first-name gazetteer holds any of its words, so that no planted name is one the detector
could know from its list.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable
from functools import cache


@cache
def gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def name_words(name: str) -> set[str]:
    """The words of a name as the gazetteer would hold them (lower case, no punctuation)."""
    return {w.lower().strip("'.,") for w in name.replace("-", " ").split()}


class BuiltNames:
    """The seeded generator, the birth labels in turn, and people built by the subclass's traditions."""

    TRADITIONS: tuple[str, ...] = ()
    BIRTH_LABELS: tuple[str, ...] = ()

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.labels = itertools.cycle(self.BIRTH_LABELS)  # in turn, so that every language's label is used

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
