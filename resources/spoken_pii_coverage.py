"""The transcript coverage check's own reading of speech: spoken numbers as digits, e-mails read aloud as addresses.

Written apart from the redactor's reading (resources/spoken_pii.py), so a gap there shows up in the
check instead of being repeated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The check reads spoken numbers with its own rules, written apart from the redactor's
# (resources/spoken_pii.py) and a little broader: "double five", "five hundred twelve", and "oh"/"o"
# next to any number. A gap in the redactor's reading then shows up here instead of being repeated.
_UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3}
# "oh" and "o" are a zero only beside another number ("five oh two"), never on their own.
_ZERO_ONLY_BESIDE_NUMBERS = frozenset({"oh", "o"})
# a stray point before a digit counts as punctuation too (Whisper: "at 5 .5, 2 .13,")
_EDGE_PUNCTUATION = re.compile(r"^(?:[\"'(\[]|[.,](?=\d))+|[\"')\].,;:?!]+$")
# a number the recogniser wrote in digits, separators kept: "555-213-4567", "(064)", "+44"
_WRITTEN_DIGITS = re.compile(r"[+(]?\d[\d().\-/]*")


def _bare(word: str) -> str:
    return _EDGE_PUNCTUATION.sub("", word).lower()


def _below_hundred(words: Sequence[str], index: int) -> tuple[int, int] | None:
    """(value, words used) of "seven", "twelve", "forty", "forty two" at `index`; None if none."""
    word = _bare(words[index]) if index < len(words) else ""
    if word in _TENS:
        following = _bare(words[index + 1]) if index + 1 < len(words) else ""
        if _UNITS.get(following, 0) > 0:
            return _TENS[word] + _UNITS[following], 2
        return _TENS[word], 1
    if word in _TEENS:
        return _TEENS[word], 1
    if word in _UNITS:
        return _UNITS[word], 1
    return None


def _spoken_number(words: Sequence[str], index: int) -> tuple[str, int] | None:
    """(digits, words used) of the number said at `index`: "double five" -> "55",
    "five hundred and twelve" -> "512", "555-213-4567," -> "555-213-4567"; None if none."""
    raw = _EDGE_PUNCTUATION.sub("", words[index])
    if _WRITTEN_DIGITS.fullmatch(raw):
        return raw, 1
    word = raw.lower()
    if word in _REPEATS and index + 1 < len(words) and _bare(words[index + 1]) in _UNITS:
        return str(_UNITS[_bare(words[index + 1])]) * _REPEATS[word], 2
    small = _below_hundred(words, index)
    if small is None:
        return None
    value, used = small
    if 0 < value < 100 and index + used < len(words) and _bare(words[index + used]) == "hundred":
        value, used = value * 100, used + 1
        rest = index + used + (1 if index + used < len(words) and _bare(words[index + used]) == "and" else 0)
        tail = _below_hundred(words, rest)
        if tail is not None and tail[0] > 0:
            value, used = value + tail[0], rest - index + tail[1]
    return str(value), used


def spoken_digits_text(words: Sequence[str]) -> str:
    """The words with every spoken number written in digits, one space between neighbouring numbers.

    "call five five five, two one three four five six seven" -> "call 5 5 5 2 1 3 4 5 6 7": the
    scanner's 7+-digit rule then sees one number, however the recogniser split or punctuated it.
    """
    tokens: list[tuple[str, str, bool]] = []  # (as written, as digits, is a number)
    index = 0
    while index < len(words):
        number = _spoken_number(words, index)
        used = number[1] if number else 1
        tokens.append((" ".join(words[index : index + used]), number[0] if number else "", number is not None))
        index += used
    pieces = []
    for position, (written, digits, is_number) in enumerate(tokens):
        if is_number and _bare(written) in _ZERO_ONLY_BESIDE_NUMBERS:
            neighbours = tokens[max(position - 1, 0) : position] + tokens[position + 1 : position + 2]
            is_number = any(n[2] and _bare(n[0]) not in _ZERO_ONLY_BESIDE_NUMBERS for n in neighbours)
        pieces.append(digits if is_number else written)
    return " ".join(pieces)


# An address read aloud ("jo dot smith at example dot com", Whisper's "jo at example.com"), with any
# two-letter or common top-level domain; "at the dot com" is none.
_SPOKEN_ADDRESS = re.compile(
    r"(?i)\b(?!(?:the|a|an|this|that|it|me|you|us|home|work|least)\b)(\w+(?: (?:dot|underscore) \w+)*)"
    r" at (?!(?:the|a|an)\b)(\w+(?:(?: dot |\.)\w+)*(?: dot |\.)(?:com|org|net|edu|gov|info|biz|[a-z]{2}))\b"
)


def spoken_address_text(text: str) -> str:
    """The text with e-mail addresses read aloud written as addresses, for the scanner's e-mail rule."""

    def written(match: re.Match[str]) -> str:
        local, domain = (re.sub(r"(?i) dot ", ".", part) for part in match.groups())
        return f"{local.replace(' underscore ', '_')}@{domain}"

    return _SPOKEN_ADDRESS.sub(written, text)
