"""The transcript coverage check's own reading of speech: spoken numbers as digits, e-mails read aloud as addresses.

Written apart from the redactor's reading (resources/spoken_pii.py), so a gap there shows up in the
check instead of being repeated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from resources.asr import Word
from resources.pii_coverage import CoverageScanner, coverage_verdict
from resources.pii_patterns import US_STATE_NAMES

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
# a stray point or minus before a digit counts as punctuation too (Whisper: "at 5 .5, 2 .13,", "4 -1 -1 -1")
_EDGE_PUNCTUATION = re.compile(r"^(?:[\"'(\[]|[.,-](?=\d))+|[\"')\].,;:?!]+$")
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


def spoken_digit_tokens(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """(text, first word, last word) of each token the check reads: a spoken number in digits, or a word.

    "call five five five, two one three" -> call, 5, 5, 5, 2, 1, 3: the scanner's 7+-digit rule
    then sees one number, however the recogniser split or punctuated it.
    """
    tokens: list[tuple[str, str, bool, int, int]] = []  # (as written, as digits, is a number, words)
    index = 0
    while index < len(words):
        number = _spoken_number(words, index)
        used = number[1] if number else 1
        written = " ".join(words[index : index + used])
        tokens.append((written, number[0] if number else "", number is not None, index, index + used - 1))
        index += used
    read = []
    for position, (written, digits, is_number, first, last) in enumerate(tokens):
        if is_number and _bare(written) in _ZERO_ONLY_BESIDE_NUMBERS:
            neighbours = tokens[max(position - 1, 0) : position] + tokens[position + 1 : position + 2]
            is_number = any(n[2] and _bare(n[0]) not in _ZERO_ONLY_BESIDE_NUMBERS for n in neighbours)
        read.append((digits if is_number else written, first, last))
    return read


def spoken_digits_text(words: Sequence[str]) -> str:
    """The words with every spoken number written in digits, one space between neighbouring numbers."""
    return " ".join(text for text, _first, _last in spoken_digit_tokens(words))


# An address read aloud ("jo dot smith at example dot com", Whisper's "jo at example.com"), with any
# two-letter or common top-level domain; "at the dot com" is none.
_SPOKEN_ADDRESS = re.compile(
    r"(?i)\b(?!(?:the|a|an|this|that|it|me|you|us|home|work|least)\b)(\w+(?: (?:dot|underscore) \w+)*)"
    r" at (?!(?:the|a|an)\b)(\w+(?:(?: dot |\.)\w+)*(?: dot |\.)(?:com|org|net|edu|gov|info|biz|[a-z]{2}"
    r"|[a-z]\.? [a-z]))\b"  # (v18) a country's domain spelled: "elcat dot k g"
)


def spoken_address_text(text: str) -> str:
    """The text with e-mail addresses read aloud written as addresses, for the scanner's e-mail rule."""

    def written(match: re.Match[str]) -> str:
        local, domain = (re.sub(r"(?i) dot ", ".", part) for part in match.groups())
        return f"{local.replace(' underscore ', '_')}@{domain}"

    return _SPOKEN_ADDRESS.sub(written, text)


# Whisper's half-heard addresses: "jane .co .aclampl .com", "Klemple .com"
# what follows an invitation to write ("write to me at", "e-mail me at", "reach me at") to the sentence's end,
# however the recogniser heard the address ("tesa .42 .0 .00", its dots lost in the digits' reading), when
# a word of it holds a digit or a dot: "write to me at home" names no address
_INVITED_ADDRESS = re.compile(
    r"(?i)\b(?:write to me|write to us|e-?mail me|e-?mail us|mail me|reach me|contact me|send it) at "
    r"((?=[^.!?]*?\d|\S*\.\w)[^!?\n]{2,80}?)(?=[!?]|\.(?!\w)|$)"
)
_DOTTED_ADDRESS = re.compile(r"(?i)\b(\w+)((?: \.\w+){2,}|(?: \.\w+)*(?: \.(?:com|org|net|edu|gov|io|info)))\b")
# the check's own reading of addresses said aloud: a number, a few words, a street word (any case);
# a state said in full and a ZIP
_SPOKEN_STREET = re.compile(
    r"(?i)(?<!\S)\d{1,6}(?: \S+){0,4}? (?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|boulevard|blvd"
    r"|place|pl|terrace|parkway|circle|highway|square|trail)\b"
)
_SPOKEN_STATE_ZIP = re.compile(
    rf"(?i)\b(?:{'|'.join(name.replace(' ', '[ ,]+') for name in US_STATE_NAMES)})[ ,.]+\d(?:[ ,.-]*\d){{4}}(?!\d)"
)


# (v18) the check's own reading of what held_back_16's speech said past the redactor: an address by its units
# ("block 23, flat 45"), letters spelled one by one, and the capitalised words after a speaker introduces someone
_SPOKEN_UNIT = re.compile(
    r"(?i)\b(?:flat|apartment|apt|block|building|house|unit|suite|plot|villa|entrance)\.?"
    r"(?: (?:no|number|nr)\.?)? \d{1,5}(?: ?[a-z]\b)?"
)
_SPELLED = re.compile(r"(?<![\w.-])[A-Za-z](?:(?:[ .,-]|\. |, )[A-Za-z](?![\w])){2,}\.?")
_INTRODUCED = re.compile(
    r"(?i:\b(?:my name is|my name's|name is|surname is|this is|i am|i'm|speaking with|speaking to|talking to))"
    r"[ ,]+((?:[A-Z][\w'’-]*[ ,]*){1,4})"
)
# capitalised words an introduction is followed by that name no one
_NOT_INTRODUCED = frozenset(
    "i the a an and but so sure just calling here there good great fine ok okay well yes no hello hi thanks "
    "thank sorry please mr mrs ms dr".split()
)


# digits said one by one with "and" between groups ("3 8 3 7 and 9 5 0 3 5"); the name in a caller's frame, however
# it was heard ("this is where the climate light calling"); a recogniser's loop, which stands where it heard nothing
# it could write
_DIGITS_WITH_AND = re.compile(r"(?<![\w.])\d{1,2}(?:(?: and| uh| um)? \d{1,2}(?![\w.])){6,}")
_FRAMED = re.compile(r"(?i)\b(?:this is|it's|my name is|i am|i'm) ((?:\S+ ){0,3}\S+) (?:calling|speaking|here)\b")
_LOOP = re.compile(r"(?i)(?<!\S)((?:\S+ ){2,6}?)\1{3,}")


def spoken_pii_stretches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of e-mail addresses and street addresses read aloud, in the check's reading."""
    found = [(m.start(), m.end(), "email") for m in _SPOKEN_ADDRESS.finditer(text)]
    found += [(m.start(), m.end(), "address") for m in _SPOKEN_UNIT.finditer(text)]
    found += [(m.start(), m.end(), "person") for m in _SPELLED.finditer(text) if set(_letters(m.group())) - {"a", "i"}]
    found += list(_introduced_names(text))
    found += [(m.start(), m.end(), "number") for m in _DIGITS_WITH_AND.finditer(text)]
    found += [(m.start(1), m.end(1), "person") for m in _FRAMED.finditer(text) if "[" not in m.group(1)]
    found += [(m.start(), m.end(), "unheard") for m in _LOOP.finditer(text) if re.search(r"[^\W\d]{2}", m.group(1))]
    found += [(m.start(), m.end(), "email") for m in _DOTTED_ADDRESS.finditer(text)]
    found += [(m.start(1), m.end(1), "email") for m in _INVITED_ADDRESS.finditer(text)]
    found += [(m.start(), m.end(), "address") for m in _SPOKEN_STREET.finditer(text)]
    found += [(m.start(), m.end(), "address") for m in _SPOKEN_STATE_ZIP.finditer(text)]
    return found


def _letters(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalpha())


def _introduced_names(text: str) -> list[tuple[int, int, str]]:
    """The capitalised words after an introduction ("this is Gula Lai,"), common opening words aside."""
    found = []
    for match in _INTRODUCED.finditer(text):
        words = list(re.finditer(r"[^\s,]+", match.group(1)))
        kept = [w for w in words if w.group().strip(".'’").lower() not in _NOT_INTRODUCED]
        if kept and kept[0].start() == words[0].start():  # "this is Sure Thing" names no one
            found.append((match.start(1) + kept[0].start(), match.start(1) + kept[-1].end(), "person"))
    return found


def transcript_residuals(words: Sequence[str], scanner: CoverageScanner, names: set[str]) -> list[tuple[int, int, str]]:
    """(first word, last word, kind) of every PII-shaped stretch in (redacted) transcript words: the
    documents' scanner over the words with spoken numbers in digits, plus speech's own address rules."""
    tokens = spoken_digit_tokens(words)
    starts, cursor = [], 0
    for text, _first, _last in tokens:
        starts.append(cursor)
        cursor += len(text) + 1
    text = " ".join(token for token, _first, _last in tokens)
    found = []
    for start, end, kind in scanner.findings(text, names) + spoken_pii_stretches(text):
        touched = [
            i for i, token_start in enumerate(starts) if token_start < end and start < token_start + len(tokens[i][0])
        ]
        if touched:
            found.append((tokens[touched[0]][1], tokens[touched[-1]][2], kind))
    return found


def transcript_verdict(
    words: Sequence[dict], masked: Sequence[dict], source_text: str, scanner: CoverageScanner
) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted transcript: what the redacted words still hold, spoken
    numbers in digits, plus what the asset already masked (`masked`). Each stretch is reported by
    kind and time, never by value. Names come from the NER over the unredacted transcript; a
    transcript without capitals (PocketSphinx) yields none, and its names rest on the redactor's
    introduction rule alone."""
    names = scanner.name_tokens([source_text]) if source_text else set()
    spoken = replace(scanner, table_rows_are_data=False)  # digits read aloud arrive spaced
    found = transcript_residuals([word["text"] for word in words], spoken, names)
    spans = [dict(span) for span in masked]
    spans += [
        {"kind": kind, "t_start": words[first]["t_start"], "t_end": words[last]["t_end"]} for first, last, kind in found
    ]
    return coverage_verdict(spans, len(found), "speech", words=len(words), names_checked=len(names))


def mask_residual_words(words: list[Word], scanner: CoverageScanner, names: set[str]) -> tuple[list[Word], list[dict]]:
    """The redacted words with every stretch the check's rules still find replaced by one "[KIND]",
    and those stretches' time spans (for the audio to silence): the fail-safe of the check."""
    spoken = replace(scanner, table_rows_are_data=False)
    found = sorted(transcript_residuals([word.text for word in words], spoken, names))
    masked: list[Word | None] = list(words)
    masks = []
    for first, last, kind in found:
        if masked[first] is None:  # inside a stretch masked already
            continue
        masks.append({"kind": kind, "t_start": words[first].t_start, "t_end": words[last].t_end})
        masked[first] = Word(f"[{kind.upper()}]", words[first].t_start, words[last].t_end, 1.0)
        for index in range(first + 1, last + 1):
            masked[index] = None
    return [word for word in masked if word is not None], masks
