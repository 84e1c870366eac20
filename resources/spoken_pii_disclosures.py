"""(pii-patterns-v17) Where a speaker says they live or can be reached, what follows is an address or a phone.

v15 read what follows "my address is" / "my e-mail is"; speakers more often say where they live ("we live at
stand number …", "I'm at forty-two slash seven, moo three …") or how to reach them ("you can reach me on plus
…"), and the recogniser writes the value in pieces no pattern knows. The value runs to the sentence's end and
must hold a number (said or written), so "I'm at work." stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from resources.spoken_pii import bare, spoken_number_value

# the words that announce the value, lower case, as the recogniser writes them
DISCLOSURES = {
    ("live", "at"): "address",
    ("living", "at"): "address",
    ("staying", "at"): "address",
    ("reside", "at"): "address",
    ("i'm", "at"): "address",
    ("we're", "at"): "address",
    ("reach", "me", "on"): "phone",
    ("reach", "me", "at"): "phone",
    ("reach", "us", "on"): "phone",
    ("call", "me", "on"): "phone",
    ("call", "me", "at"): "phone",
    ("number", "is"): "phone",
}
MAX_VALUE_WORDS = 16


def disclosed_whereabouts(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first word, last word) of the address or phone a speaker gives after saying what it is."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        for label, kind in DISCLOSURES.items():
            first = index + len(label)
            if first >= len(words) or tuple(lowered[index:first]) != label:
                continue
            last = first
            while last + 1 < min(len(words), first + MAX_VALUE_WORDS) and not words[last].rstrip().endswith(
                (".", "!", "?")
            ):
                last += 1
            if any(spoken_number_value(words, i) is not None for i in range(first, last + 1)):
                found.append((kind, first, last))
    return found
