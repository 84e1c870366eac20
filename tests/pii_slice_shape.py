"""What a PII slice whose values are built here from parts holds, as its tests state it (SliceShape), and the
small helpers its statements are written with; test_pii_held_back_slices.py checks every slice against its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

Group = tuple[tuple[str, ...], int]  # regular expressions, and how many of them must match
# six bytes as Linux, Windows, a switch, a router's table (held_back_18) or a DHCP lease table (held_back_19)
# prints them
MAC_ADDRESS = (
    r"([0-9a-f]{2}:){5}[0-9a-f]{2}|([0-9A-F]{2}-){5}[0-9A-F]{2}|([0-9a-f]{4}\.){2}[0-9a-f]{4}|"
    r"([0-9A-F]{2}:){5}[0-9A-F]{2}|[0-9a-f]{12}"
)


def lit(*marks: str, least: int | None = None) -> Group:
    """Marks written out (escaped), all of them to be found unless `least` says how many."""
    return tuple(re.escape(mark) for mark in marks), len(marks) if least is None else least


def rx(*patterns: str, least: int | None = None) -> Group:
    return patterns, len(patterns) if least is None else least


def each(*marks: str) -> tuple[Group, ...]:
    """One group per mark: every mark must be found."""
    return tuple(lit(mark) for mark in marks)


@dataclass(frozen=True)
class SliceShape:
    """What one slice holds, as its tests have stated it since it was written."""

    values: ModuleType  # the module of its traditions, OCR damage and birth labels
    builder: type  # its value builder
    forms: ModuleType  # the module of its speech
    held_back: bool
    planted: tuple[int, int]  # the least and most values planted in its 24 documents
    least: dict[str, int]  # the least values planted of each kind
    people: tuple[Group, ...]  # searched in all its names, joined and padded with spaces
    addresses: tuple[Group, ...]  # searched in each address line: a pattern matches if one line has it
    dates: tuple[Group, ...]  # matched against each date of birth whole
    phones: Group  # searched in all its phones, joined
    labels: int  # the least of its birth labels found on its pages
    ibans: frozenset[str]  # the countries of its IBANs
    card: str  # every card's digits match this
    ip: str  # every network address matches this
    damage: tuple[str, int, int, tuple[str, ...]]  # an original, seed, draws, and what its damage must write
    every_shape: bool = False  # 300 draws of its builder write every address mark
