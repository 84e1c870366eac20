"""Numbers as speech recognisers write them: number words, digits said one by one, Whisper's digit groups.

The primitives every spoken-PII rule reads (resources/spoken_pii.py, resources/spoken_pii_phrases.py): a word's
bare form, the number said at a word, and the transcript rewritten with each spoken number as digits, runs of
digits said one by one joined into one token the document patterns recognise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3}
# words a recogniser writes for a digit it misheard ("four zero one two" as "Formula 1 to"): digits only
# between two spoken digits, so "from 3 to 5" stays words but "1 to 888" is "12888"
DIGIT_HOMOPHONES = {"to": 2, "too": 2, "for": 4, "won": 1, "ate": 8}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
MIN_SPOKEN_DIGITS = 7
_PUNCTUATION = re.compile(r"^[^\w']+|[^\w']+$")
# Whisper writes digits, sometimes with a stray leading point or minus when a number is read digit by digit:
# "555-213-4567,", "(064)", ".5,", ".13,"
# and a card read digit by digit comes out as "4 -1 -1 -1 ..."
_WRITTEN_NUMBER = re.compile(r"^[.,-]?\+?\(?\d[\d().\-]*[.,?!]?$")


def bare(word: str) -> str:
    """The word lowercased without surrounding punctuation ("Five," -> "five")."""
    return _PUNCTUATION.sub("", word.lower())


def spoken_number_value(words: Sequence[str], index: int) -> tuple[str, int] | None:
    """(digits, words used) of a number spoken at `index`: "twenty one" -> ("21", 2), "double five"
    -> ("55", 2); None if none."""
    word = bare(words[index])
    if _WRITTEN_NUMBER.match(words[index]):  # Whisper writes digits: "555-213-4567," counts as spoken digits
        return re.sub(r"\D", "", words[index]), 1
    if word in REPEATS and index + 1 < len(words) and bare(words[index + 1]) in UNITS:
        return str(UNITS[bare(words[index + 1])]) * REPEATS[word], 2
    if word in TENS:
        following = bare(words[index + 1]) if index + 1 < len(words) else ""
        if following in UNITS and following not in ("zero", "oh"):
            return str(TENS[word] + UNITS[following]), 2
        return str(TENS[word]), 1
    if word in TEENS:
        return str(TEENS[word]), 1
    if word in UNITS:
        return str(UNITS[word]), 1
    return None


def number_follows(words: Sequence[str], index: int) -> bool:
    following = index + 1
    return (
        following < len(words) and bare(words[following]) != "oh" and spoken_number_value(words, following) is not None
    )


def homophone_in_run(words: Sequence[str], index: int) -> bool:
    """A digit's homophone ("to", "for") right after a spoken digit and right before another."""
    return bare(words[index]) in DIGIT_HOMOPHONES and words[index].isalpha() and number_follows(words, index)


def normalised_text(words: Sequence[str]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """(text, char range of each word, word ranges of runs of spoken digits).

    Number words become digits; consecutive spoken numbers are written without spaces, so a number
    read digit by digit becomes one token the patterns recognise.
    """
    pieces: list[str] = []
    ranges: list[tuple[int, int]] = [(0, 0)] * len(words)
    runs: list[tuple[int, int]] = []
    cursor, index, run_start, run_digits = 0, 0, None, 0
    while index < len(words):
        value = spoken_number_value(words, index)
        if value is not None and bare(words[index]) == "oh" and run_start is None and not number_follows(words, index):
            value = None  # "oh" is a zero only inside a run of digits or before one ("oh five five")
        if value is None and run_start is not None and homophone_in_run(words, index):
            value = (str(DIGIT_HOMOPHONES[bare(words[index])]), 1)
        if value is None:
            if run_start is not None and run_digits >= MIN_SPOKEN_DIGITS:
                runs.append((run_start, index - 1))
            run_start, run_digits = None, 0
            text, used = words[index], 1
            separator = " " if pieces else ""
        else:
            text, used = value
            separator = "" if run_start is not None else (" " if pieces else "")
            if run_start is None:
                run_start = index
            run_digits += len(text)
        start = cursor + len(separator)
        pieces.append(separator + text)
        cursor = start + len(text)
        for word_index in range(index, index + used):
            ranges[word_index] = (start, cursor)
        index += used
    if run_start is not None and run_digits >= MIN_SPOKEN_DIGITS:
        runs.append((run_start, len(words) - 1))
    return "".join(pieces), ranges, runs
