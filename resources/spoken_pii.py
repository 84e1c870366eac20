"""PII in speech: number words become digits, then the document PII runner reads the text.

Recognisers write "five five five two one three four five six seven" (PocketSphinx) or
"555-213-4567" (Whisper). Each word is rewritten ("five" -> "5", "twenty one" -> "21", "oh"
between digits -> "0"), runs of spoken digits are joined into one number, and the result goes
through `PiiDetector.find` (resources/pii.py), so every pattern it knows applies to speech. Two
rules only speech needs are added: a run of 7 or more spoken digits is a phone-like number (a
person reading digits aloud is reading a number that names someone), and the words after "my name
is" / "this is" / "I am" are a person. Findings are mapped back to the words they touch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resources.pii import PiiDetector
from resources.pii_decide import resolve_overlaps
from resources.pii_patterns import STREET_SUFFIXES, US_STATE_NAMES, PiiFinding
from resources.pii_words import english_forms
from resources.spoken_numbers import (
    bare,
    homophone_in_run,
    normalised_text,
    spoken_number_value,
)
from resources.spoken_pii_phrases import (
    digits_one_by_one,
    framed_names,
    introduced_names,
    numbers_after_labels,
    places_with_postcodes,
    recogniser_loops,
    said_emails,
    spelled_runs,
    unit_addresses,
)

NAME_INTRODUCTIONS = (
    ("my", "name", "is"), ("my", "name's"), ("this", "is"), ("i", "am"), ("i'm",), ("call", "me"),
    ("speaking", "with"), ("speaking", "to"), ("talking", "to"), ("talking", "with"),
)  # fmt: skip
# "call me Mac" names someone only in a transcript with capitals: uncased, "call me back" would count
CASED_ONLY_INTRODUCTIONS = frozenset({("call", "me")})
NAME_WORDS_AFTER_INTRODUCTION = 3
_NOT_NAMES = frozenset(
    "i i'm a an the and or but so not calling here there just very really going about from with your my sure glad "
    "happy sorry fine good ok okay well it that this".split()
)
# the top-level domains people read out; "at the dot com" is no address
SPOKEN_TLDS = frozenset("com org net edu gov io co uk de fr es it nl info biz us ca au".split())
_NOT_EMAIL_NAMES = frozenset("the a an this that it me you him her us them home work least".split())


@dataclass(frozen=True)
class SpokenFinding:
    kind: str
    first_word: int  # index of the first word the finding touches
    last_word: int  # inclusive


def spoken_names(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of the names people introduce: "my name is Dana Whitfield" -> the two name words.

    A recogniser that writes capitals (Whisper) capitalises names, and may split one ("Dana with
    Field"): a lowercase word between capitalised ones stays in the name, and after a loose
    introduction ("this is", "I am") only capitalised words count. An all-lowercase recogniser
    (PocketSphinx) cannot tell: the words after the introduction are taken.
    """
    lowered = [bare(word) for word in words]
    cased = any(word[:1].isupper() for word, low in zip(words, lowered, strict=True) if low not in ("i", "i'm"))
    found = []
    for index in range(len(words)):
        for phrase in NAME_INTRODUCTIONS:
            if tuple(lowered[index : index + len(phrase)]) != phrase or (
                phrase in CASED_ONLY_INTRODUCTIONS and not cased
            ):
                continue
            first = index + len(phrase)
            last = first
            while last < len(words) and last - first < NAME_WORDS_AFTER_INTRODUCTION:
                if not _takes_name_word(words, first, last, cased, explicit=phrase in NAME_INTRODUCTIONS[:2]):
                    break
                last += 1
            if last > first:
                found.append((first, last - 1))
    return found


def _takes_name_word(words: Sequence[str], first: int, index: int, cased: bool, explicit: bool) -> bool:
    """Whether the word at `index` continues the name that starts at `first`."""
    if not cased or words[index][:1].isupper():
        return _name_word(words, index)
    # Lowercase in a cased transcript: only between capitalised name words after "my name is".
    following = index + 1
    return (
        explicit
        and index > first
        and bare(words[index]).isalpha()
        and following < len(words)
        and words[following][:1].isupper()
        and _name_word(words, following)
    )


def _name_word(words: Sequence[str], index: int) -> bool:
    word = bare(words[index])
    return (
        not words[index].startswith("[")  # a redaction placeholder, not a name
        and word.isalpha()
        and word not in _NOT_NAMES
        and spoken_number_value(words, index) is None
    )


def spoken_emails(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of e-mail addresses read aloud: "jo dot smith at example dot com", or Whisper's
    "jo at example.com": a name part, "at", then a domain that ends in a common top-level domain."""
    lowered = [bare(word) for word in words]
    found = []
    for at in range(1, len(words) - 1):
        if lowered[at] != "at" or lowered[at - 1] in _NOT_EMAIL_NAMES:
            continue
        last = _spoken_domain_end(lowered, at + 1)
        if last is None:
            continue
        first = at - 1
        while first >= 2 and lowered[first - 1] in ("dot", "underscore") and lowered[first - 2].isalnum():
            first -= 2
        found.append((first, last))
    return found + dotted_emails(words) + dot_runs(words)


# an address read aloud that the recogniser did not hear as one: two or more "dot"s within this many
# words, the last before a top-level domain ("in dot has a re -act posto dot it")
DOT_RUN_WORDS = 6


def dot_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges from the word before a spoken "dot" to a top-level domain said after a later "dot"
    at most DOT_RUN_WORDS words on: people say "dot" twice in a few words only when reading an address."""
    lowered = [bare(word) for word in words]
    found = []
    for last in range(2, len(words)):
        if lowered[last] not in SPOKEN_TLDS or lowered[last - 1] != "dot":
            continue
        earlier = [i for i in range(max(1, last - 1 - DOT_RUN_WORDS), last - 1) if lowered[i] == "dot"]
        if earlier:
            found.append((earlier[0] - 1, last))
    return found


# Whisper writes an address it half heard as dotted pieces: "jane .co .aclampl .com", "Klemple .com"
_DOT_PIECE = re.compile(r"^\.[^\W_]+[.,]?$")
_NOT_LOCAL_PARTS = frozenset("to at is my me email e-mail address the a write send right mail it".split())
LOCAL_PART_WORDS = 3


def dotted_emails(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of addresses written as dotted pieces: two or more ".piece" words, or one that is
    a top-level domain, with the words before them that may be the local part."""
    found, index = [], 0
    while index < len(words):
        last = index
        while last < len(words) and _DOT_PIECE.match(words[last]):
            last += 1
        pieces = words[index:last]
        if pieces and (len(pieces) >= 2 or bare(pieces[-1]) in SPOKEN_TLDS):
            first = index
            while first > 0 and index - first < LOCAL_PART_WORDS and bare(words[first - 1]) not in _NOT_LOCAL_PARTS:
                first -= 1
            # the pieces were the domain after a spoken "at" ("Lucas .Ranger at Fastmail .com"): the local
            # part is the words before that "at"
            if first > 1 and bare(words[first - 1]) == "at":
                first = _local_part_start(words, first - 1)
            found.append((first, last - 1))
        index = max(last, index + 1)
    return found


def _local_part_start(words: Sequence[str], at: int) -> int:
    """The first word of the local part said before the "at" at index `at` (up to LOCAL_PART_WORDS words)."""
    local = at
    while local > 0 and at - local < LOCAL_PART_WORDS and bare(words[local - 1]) not in _NOT_LOCAL_PARTS:
        local -= 1
    return local if local < at else at + 1


def _spoken_domain_end(lowered: Sequence[str], start: int) -> int | None:
    """The index of the last word of a domain starting at `start` ("example dot com", "example.com")."""
    if lowered[start] in _NOT_EMAIL_NAMES:
        return None
    if "." in lowered[start]:
        return start if lowered[start].rsplit(".", 1)[1] in SPOKEN_TLDS else None
    index, last = start, None
    while index + 2 < len(lowered) and lowered[index + 1] == "dot":
        index += 2
        if lowered[index] in SPOKEN_TLDS:
            last = index
    return last


# an address read aloud: a number, up to four words, a street word; then maybe a city, a state and a ZIP
STREET_WORDS_AFTER_NUMBER = 4
_STATE_WORDS = {tuple(name.lower().split()) for name in US_STATE_NAMES}
_SPOKEN_STREET_SUFFIXES = frozenset(STREET_SUFFIXES) - {"via", "way", "row", "run", "key", "park", "view", "union"}


def spoken_addresses(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of street addresses and "<state> <ZIP>" read aloud ("twelve Oak Street", Whisper's
    "420 maple avenue, Portland, Oregon, 97201"); recognisers write the street word in any case."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        if spoken_number_value(words, index) is None:
            continue
        for last in range(index + 1, min(len(words), index + 2 + STREET_WORDS_AFTER_NUMBER)):
            if lowered[last] in _SPOKEN_STREET_SUFFIXES and last > index + 1:
                found.append((index, last))
                break
    for index in range(len(words)):
        for state in _STATE_WORDS:
            after = index + len(state)
            if tuple(lowered[index:after]) == state and after < len(words):
                zip_digits = "".join(filter(str.isdigit, "".join(words[after : after + 5])))
                if len(zip_digits) >= 5 or spoken_number_value(words, after) is not None:
                    city = index - 1 if index > 0 and words[index - 1][:1].isupper() else index
                    found.append((city, min(len(words) - 1, after + (0 if len(zip_digits) >= 5 else 4))))
    return found + zip_addresses(words)


# Whisper writes a ZIP read digit by digit as digit groups joined by minus signs ("86 -0 -0 -1"); a house
# number, a comma within ADDRESS_WORDS_TO_COMMA words, and a five-digit run within ADDRESS_WORDS_TO_ZIP
ADDRESS_WORDS_TO_COMMA, ADDRESS_WORDS_TO_ZIP = 4, 10
_DIGIT_GROUP = re.compile(r"^-?\d+[.,]?$")


def zip_addresses(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of addresses whose street words the recogniser garbled: a number, then a comma soon
    after it, then five digits written as one or more digit groups ("260 -200A, flag -taffary, 86 -0 -0 -1")."""
    found = []
    for index, word in enumerate(words):
        if not re.match(r"^\d{1,5}", word):
            continue
        comma = next(
            (i for i in range(index, min(len(words), index + ADDRESS_WORDS_TO_COMMA)) if "," in words[i]), None
        )
        if comma is None:
            continue
        for start in range(comma + 1, min(len(words), comma + ADDRESS_WORDS_TO_ZIP)):
            last, digits = start, ""
            while last < len(words) and _DIGIT_GROUP.match(words[last]) and len(digits) < 5:
                digits += "".join(filter(str.isdigit, words[last]))
                last += 1
            if len(digits) == 5:
                found.append((index, last - 1))
                break
    return found


# a number said after its label is that number even when the recogniser heard only part of it
# ("social security number in 372 .44."): the label, then up to LABEL_GAP_WORDS words, then digits
SPOKEN_NUMBER_LABELS = {
    ("social", "security"): "ssn",
    ("ssn",): "ssn",
    ("card", "number"): "card",
    ("card", "is"): "card",
    ("account", "number"): "card",
}
LABEL_GAP_WORDS = 3
MIN_LABELLED_DIGITS = 3


def labelled_numbers(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first word, last word) of the digits said after an SSN or card label, at least 3 of them."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        for label, kind in SPOKEN_NUMBER_LABELS.items():
            after = index + len(label)
            if tuple(lowered[index:after]) != label:
                continue
            start = next(
                (i for i in range(after, min(len(words), after + LABEL_GAP_WORDS + 1)) if _digits(words, i)), None
            )
            if start is None:
                continue
            last = start
            while last + 1 < len(words) and (_digits(words, last + 1) or homophone_in_run(words, last + 1)):
                last += 1
            if sum(len(_digits(words, i)) for i in range(start, last + 1)) >= MIN_LABELLED_DIGITS:
                found.append((kind, start, last))
    return found


# (v15) what a speaker says after telling what it is ("my address is …", "my e-mail is …") is that value, up to
# the sentence's end, however the recogniser heard it ("leko thirty at eircom dot net" heard as "leak or dirty
# at time come not late"): the label's words, then at most DISCLOSED_WORDS words
_DISCLOSURE_RE = re.compile(
    r"^(?:my|our)\s(?:(?:home|postal|mailing|current|new|work)\s)?(?:e-?mail|mail|address)(?:\saddress)?"
    r"\s(?:is|was)$"
)
DISCLOSURE_LABEL_WORDS = (3, 4, 5)
DISCLOSED_WORDS = 10


def disclosed_values(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first word, last word) of what follows a speaker's "my address is" / "my e-mail is"."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        for length in DISCLOSURE_LABEL_WORDS:
            label = " ".join(lowered[index : index + length])
            if index + length >= len(words) or not _DISCLOSURE_RE.match(label):
                continue
            first = index + length
            last = first
            while last + 1 < min(len(words), first + DISCLOSED_WORDS) and not words[last].rstrip().endswith(
                (".", "!", "?")
            ):
                last += 1
            found.append(("email" if "mail" in label else "address", first, last))
            break
    return found


def _digits(words: Sequence[str], index: int) -> str:
    value = spoken_number_value(words, index)
    if value is None and (heard := _HEARD_WITH_A_LETTER_RE.fullmatch(words[index].strip(".,;:!?"))):
        return heard.group(1)  # (v15) a number the recogniser ended with a stray letter ("38001482M.")
    return value[0] if value is not None else ""


_HEARD_WITH_A_LETTER_RE = re.compile(r"(\d{3,})[A-Za-z]{1,2}")


# (pii-patterns-v17) where a speaker says they live or can be reached, the rest of the sentence is an address or a
# phone when it holds a number (said or written), so "I'm at work." stays. The words that announce the value, lower
# case, as the recogniser writes them
DISCLOSURES = {
    ("live", "at"): "address",
    ("living", "at"): "address",
    ("staying", "at"): "address",
    ("reside", "at"): "address",
    ("i'm", "at"): "address",
    ("we're", "at"): "address",
    # (v18) held_back_16's "I live in <district>, block …, flat …, <city>": "in" as well as "at"
    ("live", "in"): "address",
    ("living", "in"): "address",
    ("staying", "in"): "address",
    ("reside", "in"): "address",
    ("reach", "me", "on"): "phone",
    ("reach", "me", "at"): "phone",
    ("reach", "us", "on"): "phone",
    ("call", "me", "on"): "phone",
    ("call", "me", "at"): "phone",
    # not "number is": the number rules find that number and its kind (a card, a phone) without the rest of the sentence
}
MAX_DISCLOSED_VALUE_WORDS = 16


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
            while last + 1 < min(len(words), first + MAX_DISCLOSED_VALUE_WORDS) and not words[last].rstrip().endswith(
                (".", "!", "?")
            ):
                last += 1
            if any(spoken_number_value(words, i) is not None for i in range(first, last + 1)):
                found.append((kind, first, last))
    return found


def find_spoken_pii(detector: PiiDetector, words: Sequence[str]) -> list[SpokenFinding]:
    """PII among the words of a transcript, as word ranges."""
    text, ranges, digit_runs = normalised_text(words)
    findings: list[PiiFinding] = list(detector.find(text))
    findings += [
        PiiFinding(kind, ranges[first][0], ranges[last][1], 0.6) for kind, first, last in labelled_numbers(words)
    ]
    findings += [PiiFinding("phone", ranges[first][0], ranges[last][1], 0.6) for first, last in digit_runs]
    findings += [PiiFinding("person", ranges[first][0], ranges[last][1], 0.6) for first, last in spoken_names(words)]
    findings += [PiiFinding("email", ranges[first][0], ranges[last][1], 0.6) for first, last in spoken_emails(words)]
    # (v18) what people say by its structure, not one phrasing (resources/spoken_pii_phrases.py)
    findings += [PiiFinding("email", ranges[first][0], ranges[last][1], 0.6) for first, last in said_emails(words)]
    findings += [PiiFinding("person", ranges[first][0], ranges[last][1], 0.6) for first, last in spelled_runs(words)]
    findings += [PiiFinding("person", ranges[first][0], ranges[last][1], 0.6) for first, last in framed_names(words)]
    findings += [PiiFinding("id", ranges[first][0], ranges[last][1], 0.6) for first, last in digits_one_by_one(words)]
    loops = recogniser_loops(words)
    findings += [PiiFinding("unheard", ranges[first][0], ranges[last][1], 0.6) for first, last in loops]
    if detector.use_ner:  # a name of no list after an introduction: told from English by the model's dictionary
        names = introduced_names(words, english_forms(detector.ner_model))
        findings += [PiiFinding("person", ranges[first][0], ranges[last][1], 0.6) for first, last in names]
    findings += [
        PiiFinding(kind, ranges[first][0], ranges[last][1], 0.6) for kind, first, last in numbers_after_labels(words)
    ]
    findings += [
        PiiFinding(kind, ranges[first][0], ranges[last][1], 0.6) for kind, first, last in disclosed_values(words)
    ]
    findings += [
        PiiFinding(kind, ranges[first][0], ranges[last][1], 0.6)
        for kind, first, last in disclosed_whereabouts(words)
        if kind not in detector.disabled_rules  # a disabled rule stays off for speech too
    ]
    if "address" not in detector.disabled_rules:  # the address rule covers addresses said aloud too
        addresses = spoken_addresses(words) + unit_addresses(words) + places_with_postcodes(words)
        findings += [PiiFinding("address", ranges[first][0], ranges[last][1], 0.6) for first, last in addresses]
    spoken = []
    for finding in resolve_overlaps(findings):
        touched = [i for i, (start, end) in enumerate(ranges) if start < finding.end and finding.start < end]
        if touched:
            spoken.append(SpokenFinding(finding.kind, touched[0], touched[-1]))
    return spoken
