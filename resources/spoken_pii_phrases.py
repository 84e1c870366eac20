"""Spoken PII by how people say it (pii-patterns-v18): spelled letters, e-mails and their domains, flats and blocks.

The earlier spoken rules (resources/spoken_pii.py) knew the words of one phrasing each ("my e-mail is", "I live
at", "social security number"), and held_back_16's speech got past them by saying the same things otherwise:
an address as "I live in <district>, block <n>, flat <n>, <city>", an e-mail whose local part holds a number and
whose country domain is spelled ("... dot forty five at <provider> dot k g"), an identity number after its own
label ("my insurance number is ..."). These rules read the structure of what is said instead of one phrasing:

- letters spelled one by one ("j o h n", Whisper's "J-O-H-N" or "J.O.H.N.") are a name or part of an address:
  nobody spells a word of ordinary speech;
- an e-mail said aloud: "at", a domain, and "dot" pieces ending in a top-level domain that is a known one, two
  letters (`kg`, `K.G.`) or two spelled letters (`k g`); its local part the words before "at" (names, numbers
  said in words, "dot", "underscore", "dash", spelled letters) back to a word that introduces it;
- the unit words of an address with their number ("block twenty three", "flat 45", "apartment 4B", "house
  number 12"), then the comma parts around them that are place names (capitalised words), within the sentence;
- a number said after any label ending in "number" or "ID" ("my insurance number is", "the policy number, …"):
  its digits are that number, its kind told by the label (a card, a phone, else an identity number).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resources.pii_words import is_english
from resources.spoken_numbers import UNITS, bare, homophone_in_run, spoken_number_value

# ---------------------------------------------------------------------------- spelled letters

# a letter said on its own, as recognisers write it: "j", "J.", "J,"; or a run of them joined: "J-O-H-N", "J.O.H.N."
_LETTER_RE = re.compile(r"^[A-Za-z][.,]?$")
_JOINED_LETTERS_RE = re.compile(r"^(?:[A-Za-z][.-]){2,}[A-Za-z]?[.,]?$")
MIN_SPELLED_LETTERS = 3
# "a" and "I" are words: a run of them alone is speech ("I, a ..."), not spelling
_LETTER_WORDS = frozenset("ai")


def spelled_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of letters spelled one by one, three or more (also written joined, "J-O-H-N")."""
    found, index = [], 0
    while index < len(words):
        last, letters = index, ""
        while last < len(words) and (_LETTER_RE.match(words[last]) or _JOINED_LETTERS_RE.match(words[last])):
            letters += re.sub(r"[^A-Za-z]", "", words[last])
            last += 1
        if len(letters) >= MIN_SPELLED_LETTERS and set(letters.lower()) - _LETTER_WORDS:
            found.append((index, last - 1))
        index = max(last, index + 1)
    return found


# ---------------------------------------------------------------------------- e-mail addresses said aloud

# the top-level domains people read out as words; any other is two letters (a country's), said or spelled
WORD_TLDS = frozenset("com org net edu gov info biz mail online site".split())
_SEPARATOR_WORDS = frozenset("dot point underscore dash hyphen minus".split())
# what introduces an address, never part of it ("write to me at", "my e-mail is")
_NOT_LOCAL_PARTS = frozenset(
    "to at is my me email e-mail mail address the a an write send reach contact it or and on by from "
    "its it's email's".split()
)
MAX_LOCAL_PART_WORDS = 8
MAX_DOMAIN_PIECES = 4


def said_emails(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of e-mail addresses said aloud: a local part, "at", a domain ending in a top-level domain."""
    lowered = [bare(word) for word in words]
    found = []
    for at, word in enumerate(lowered):
        if word not in ("at", "@") or at == 0:
            continue
        last = _domain_end(words, lowered, at + 1)
        first = _local_part_start(words, lowered, at)
        if last is not None and first < at:
            found.append((first, last))
    return found


def _domain_end(words: Sequence[str], lowered: Sequence[str], start: int) -> int | None:
    """The last word of a domain said from `start` ("elcat dot k g", "elcat.kg", "mail dot co dot uk")."""
    if start >= len(words) or lowered[start] in _NOT_LOCAL_PARTS or not lowered[start]:
        return None
    if "." in lowered[start]:  # written: "elcat.kg"
        return start if _is_tld(lowered[start].rsplit(".", 1)[1]) else None
    index, last = start, None
    for _ in range(MAX_DOMAIN_PIECES):
        if index + 1 >= len(words) or lowered[index + 1] not in ("dot", "point") or _ends_sentence(words[index]):
            break
        piece_end = _tld_at(words, lowered, index + 2)
        if piece_end is not None:
            last = piece_end
        if index + 2 >= len(words):
            break
        index += 2
    return last


def _tld_at(words: Sequence[str], lowered: Sequence[str], index: int) -> int | None:
    """The last word of a top-level domain said at `index`: a known word, two letters, or two spelled letters."""
    if index >= len(words):
        return None
    if _is_tld(lowered[index]):
        return index
    following = index + 1
    if following < len(words) and _LETTER_RE.match(words[index]) and _LETTER_RE.match(words[following]):
        return following  # "k g"
    return None


def _is_tld(word: str) -> bool:
    letters = word.replace(".", "").replace("-", "")
    return word in WORD_TLDS or (len(letters) == 2 and letters.isalpha())


def _local_part_start(words: Sequence[str], lowered: Sequence[str], at: int) -> int:
    """The first word of the local part said before the "at" at `at`: names, numbers in words, "dot" and its
    like, spelled letters, back to a word that introduces the address or the end of a sentence."""
    first = at
    while first > 0 and at - first < MAX_LOCAL_PART_WORDS:
        word, before = lowered[first - 1], words[first - 1]
        if not word or word in _NOT_LOCAL_PARTS or before.rstrip().endswith((".", "?", "!", ":")):
            break
        if first < at and before.rstrip().endswith(","):
            break  # a clause before the address
        first -= 1
    # a local part opens with a name or a number, never with "dot" (the piece before it was the introduction)
    while first < at and lowered[first] in _SEPARATOR_WORDS:
        first += 1
    return first


# ---------------------------------------------------------------------------- flats, blocks and houses

# the words of an address's units, said before their number (v21: a post-office box, "post office 587" too)
UNIT_WORDS = frozenset(
    "flat apartment apt block building bldg house unit suite plot lot entrance stairway staircase "
    "villa compound sector microdistrict mkr kvartal box".split()
)
_NUMBER_WORDS = frozenset({"number", "no", "nr", "num"})
_PLACE_PREPOSITIONS = {**dict.fromkeys(_NUMBER_WORDS, frozenset({"to", "at"})), "office": frozenset({"post"})}
MAX_PLACE_WORDS = 3


def unit_addresses(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of addresses said by their units ("block 23, flat 45"), with the place names around them:
    the comma parts of the sentence next to a unit that are units or place names, and up to MAX_PLACE_WORDS
    capitalised words right before and after ("I live in Asanbai, block 23, flat 45, Bishkek.")."""
    found = []
    for first, last in _sentences(words):
        parts = _comma_parts(words, first, last)
        units = [any(_unit_end(words, i) is not None for i in range(a, b + 1)) for a, b in parts]
        for number, (start, end) in enumerate(parts):
            if not units[number]:
                continue
            before = number
            while before > 0 and (units[before - 1] or _all_places(words, *parts[before - 1])):
                before -= 1
            after = number
            while after + 1 < len(parts) and (units[after + 1] or _all_places(words, *parts[after + 1])):
                after += 1
            begin = next(i for i in range(start, end + 1) if _unit_end(words, i) is not None)
            begin = parts[before][0] if before < number else begin
            # a unit part ends at its last unit's number ("house number 61 yesterday."), a place part at its end
            last_part = parts[after]
            unit_ends = [e for i in range(last_part[0], last_part[1] + 1) if (e := _unit_end(words, i)) is not None]
            finish = max(unit_ends) if unit_ends else last_part[1]
            for _ in range(MAX_PLACE_WORDS):  # the place name said right before, even across a comma
                if begin > first and _place_word(words[begin - 1]):
                    begin -= 1
            for _ in range(MAX_PLACE_WORDS):
                if finish < last and _place_word(words[finish + 1]) and not _ends_sentence(words[finish]):
                    finish += 1
            found.append((begin, finish))
    return found


def _ends_sentence(word: str) -> bool:
    return word.rstrip().endswith((".", "?", "!"))


def _sentences(words: Sequence[str]) -> list[tuple[int, int]]:
    ranges, first = [], 0
    for index, word in enumerate(words):
        if _ends_sentence(word) or index == len(words) - 1:
            ranges.append((first, index))
            first = index + 1
    return ranges


def _comma_parts(words: Sequence[str], first: int, last: int) -> list[tuple[int, int]]:
    parts, start = [], first
    for index in range(first, last + 1):
        if words[index].rstrip().endswith((",", ";")) or index == last:
            parts.append((start, index))
            start = index + 1
    return parts


def _all_places(words: Sequence[str], first: int, last: int) -> bool:
    return last - first < MAX_PLACE_WORDS and all(_place_word(words[i]) for i in range(first, last + 1))


def _unit_end(words: Sequence[str], index: int) -> int | None:
    """The last word of "<unit word> [number] <number>[letter]" at `index`, or None (v20: "number" is a house's
    unit word after a preposition of place: "deliver it to number 71", "at number 12")."""
    house = index > 0 and bare(words[index - 1]) in _PLACE_PREPOSITIONS.get(bare(words[index]), ())
    if (bare(words[index]) not in UNIT_WORDS and not house) or words[index].rstrip().endswith((".", "?", "!", ",")):
        return None
    at = index + 1
    if not house and at < len(words) and bare(words[at]) in _NUMBER_WORDS:
        at += 1
    if at >= len(words):
        return None
    value = spoken_number_value(words, at)
    if value is not None:
        end = at + value[1] - 1
        if end + 1 < len(words) and re.fullmatch(r"[A-Za-z][.,]?", words[end + 1]):
            end += 1  # "four B"
        return end
    if re.fullmatch(r"\d+[A-Za-z]?[.,]?", words[at]):
        return at
    return None


# a postcode said after its place: 3 to 8 digits
MIN_POSTCODE_DIGITS, MAX_POSTCODE_DIGITS = 3, 8


def places_with_postcodes(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of a place's capitalised words (not a sentence's first word) followed by the digits of its
    postcode, said or written ("… East London 524 7", "… Illinois, six two seven zero one"), a year aside."""
    found = []
    for first, last in _sentences(words):
        for place in range(first + 1, last):
            if not _place_word(words[place]) or _ends_sentence(words[place]):
                continue
            digits, end = "", place + 1
            while end <= last and (value := spoken_number_value(words, end)) is not None:
                digits, end = digits + value[0], end + value[1]
            year = len(digits) == 4 and digits.startswith(("19", "20"))
            if MIN_POSTCODE_DIGITS <= len(digits) <= MAX_POSTCODE_DIGITS and not year:
                start = place
                while start - 1 > first and place - start + 1 < MAX_PLACE_WORDS and _place_word(words[start - 1]):
                    start -= 1
                found.append((start, end - 1))
    return found


def _place_word(word: str) -> bool:
    core = word.strip(".,;:!?\"'")
    return bool(core) and core[0].isupper() and core.replace("-", "").isalpha() and core.lower() not in ("i", "i'm")


# ---------------------------------------------------------------------------- numbers after their label

_LABEL_END_WORDS = frozenset({"number", "id"})
_LABEL_KINDS = (
    (frozenset("card credit debit visa mastercard".split()), "card"),
    (frozenset("phone mobile cell telephone contact whatsapp".split()), "phone"),
    (frozenset("account iban bank".split()), "iban"),
)
LABEL_GAP_WORDS = 3
MIN_LABELLED_DIGITS = 4


def numbers_after_labels(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first word, last word) of the digits said after a label ending in "number" or "ID"."""
    lowered = [bare(word) for word in words]
    found = []
    for index, word in enumerate(lowered):
        if word not in _LABEL_END_WORDS:
            continue
        start = next(
            (i for i in range(index + 1, min(len(words), index + 2 + LABEL_GAP_WORDS)) if _digits(words, i)), None
        )
        if start is None or any(w.rstrip().endswith((".", "?", "!")) for w in words[index:start]):
            continue
        last = start
        while last + 1 < len(words) and (_digits(words, last + 1) or homophone_in_run(words, last + 1)):
            last += 1
        if sum(len(_digits(words, i)) for i in range(start, last + 1)) >= MIN_LABELLED_DIGITS:
            found.append((_label_kind(lowered[max(0, index - 2) : index]), start, last))
    return found


def _digits(words: Sequence[str], index: int) -> str:
    value = spoken_number_value(words, index)
    return value[0] if value is not None else ""


def _label_kind(label: Sequence[str]) -> str:
    return next((kind for words, kind in _LABEL_KINDS if words & set(label)), "ssn")


# ---------------------------------------------------------------------------- names after an introduction

# what introduces the speaker or another person, lower case as the recogniser writes it
INTRODUCTIONS = (
    ("my", "name", "is"), ("my", "name's"), ("name", "is"), ("surname", "is"), ("surname's",), ("this", "is"),
    ("i", "am"), ("i'm",), ("it's",),
    ("speaking", "with"), ("speaking", "to"), ("talking", "to"), ("ask", "for"), ("called",), ("named",),
)  # fmt: skip
MAX_INTRODUCED_WORDS = 5


def introduced_names(words: Sequence[str], forms: frozenset[str]) -> list[tuple[int, int]]:
    """Word ranges of the name after an introduction: the words that are capitalised or no English word (a name
    of any tradition, however the recogniser split or cased it: "this is Gula Lai, Yusuf Zai, calling"), across a
    comma only to another such word that is no English word; the first word must be no English word."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        for phrase in INTRODUCTIONS:
            first = index + len(phrase)
            if first >= len(words) or tuple(lowered[index:first]) != phrase or _ends_clause(words[first - 1]):
                continue
            if not _foreign(words[first], forms):
                continue
            last = first
            while last + 1 < len(words) and last + 1 - first < MAX_INTRODUCED_WORDS and not _ends_sentence(words[last]):
                following = words[last + 1]
                crosses = words[last].rstrip().endswith(",")
                if not (_foreign(following, forms) if crosses else _name_like(following, forms)):
                    break
                last += 1
            found.append((first, last))
    return found


def _ends_clause(word: str) -> bool:
    return word.rstrip().endswith((".", "?", "!", ";"))


def _foreign(word: str, forms: frozenset[str]) -> bool:
    """A word of letters (hyphens, apostrophes) that is no English word form."""
    core = word.strip(".,;:!?\"'")
    letters = core.replace("-", "").replace("'", "")
    return len(core) >= 2 and letters.isalpha() and core.lower() not in _SPEECH_WORDS and not is_english(core, forms)


def _name_like(word: str, forms: frozenset[str]) -> bool:
    core = word.strip(".,;:!?\"'")
    return _foreign(word, forms) or (
        bool(core) and core[0].isupper() and core.isalpha() and core.lower() not in _NOT_NAME_WORDS
    )


# what people say that no dictionary lists
_SPEECH_WORDS = frozenset("gonna wanna gotta gimme kinda sorta yeah yep nope uh um umm hmm mhm ok okay hey".split())
# capitalised words that follow a name and are none ("this is Dana Calling", "I'm Tom And ...")
_NOT_NAME_WORDS = frozenset("i and calling from here with speaking at the about".split())


# ---------------------------------------------------------------------------- what the recogniser misheard

# an introduction's frame: whatever stands between "this is" and "calling" is the caller's name, however the
# recogniser heard it (held_back_16: "this is where the climate light calling about ...")
FRAME_OPENINGS = (("this", "is"), ("it's",), ("my", "name", "is"), ("i", "am"), ("i'm",))
FRAME_CLOSINGS = frozenset({"calling", "speaking", "here", "ringing", "writing"})
MAX_FRAMED_WORDS = 4
_FRAME_BREAKS = frozenset({"and", "i", "i'm", "we", "we're", "who", "from"})


def framed_names(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of what a speaker says between an introduction and "calling" / "speaking" / "here"."""
    lowered = [bare(word) for word in words]
    found = []
    for index in range(len(words)):
        for phrase in FRAME_OPENINGS:
            first = index + len(phrase)
            if tuple(lowered[index:first]) != phrase:
                continue
            window = range(first + 1, min(len(words), first + MAX_FRAMED_WORDS + 1))
            closing = next((i for i in window if lowered[i] in FRAME_CLOSINGS), None)
            if closing is None or any(_ends_clause(w) for w in words[first : closing - 1]):
                continue
            # "this is Kent Finacin and I'm calling": the name ends where the speaker goes on
            last = next((i - 1 for i in range(first + 1, closing) if lowered[i] in _FRAME_BREAKS), closing - 1)
            found.append((first, last))
    return found


# digits said one by one, heard with commas and "and" between groups ("three, eight, three, seven, and nine, ..."):
# seven or more of them are a number that names someone, whatever label the recogniser lost
_DIGIT_JOINERS = frozenset({"and", "uh", "um", "then"})
MIN_DIGITS_ONE_BY_ONE = 7


def digits_one_by_one(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges of 7+ digits said one by one, "and" (or a hesitation) allowed between two of them."""
    found, index = [], 0
    while index < len(words):
        last, digits, cursor = None, 0, index
        while cursor < len(words):
            value = spoken_number_value(words, cursor)
            if value is not None and len(value[0]) <= 2:
                digits, last, cursor = digits + len(value[0]), cursor + value[1] - 1, cursor + value[1]
            elif last is not None and bare(words[cursor]) in _DIGIT_JOINERS and _single_digit_at(words, cursor + 1):
                cursor += 1
            else:
                break
        if last is not None and digits >= MIN_DIGITS_ONE_BY_ONE:
            found.append((index, last))
        index = max(cursor, index + 1) if last is not None else index + 1
    return found


def _single_digit_at(words: Sequence[str], index: int) -> bool:
    value = spoken_number_value(words, index) if index < len(words) else None
    return value is not None and len(value[0]) <= 2


# a recogniser that loops writes one phrase again and again where it heard something it could not read: what was
# said there is unknown, so the loop and the sentence it started in are redacted (and so silenced), kind "unheard"
# (at least MIN_LOOP_WORDS words, and a phrase with a word that is no number: "no, no, no, no" and a card of ones
# read digit by digit are said, not looped)
MAX_LOOP_PHRASE_WORDS, MIN_LOOP_REPEATS, MIN_LOOP_WORDS = 6, 4, 8


def recogniser_loops(words: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges from the start of the sentence a loop begins in to the loop's last repeat."""
    lowered = [bare(word) for word in words]
    found, index = [], 0
    while index < len(words):
        end = _loop_end(lowered, index)
        if end is None:
            index += 1
            continue
        start = index
        while start > 0 and not _ends_clause(words[start - 1]):
            start -= 1
        found.append((start, end))
        index = end + 1
    return found


def _loop_end(lowered: Sequence[str], index: int) -> int | None:
    """The last word of a phrase starting at `index` repeated MIN_LOOP_REPEATS times or more, back to back."""
    for size in range(1, MAX_LOOP_PHRASE_WORDS + 1):
        phrase = lowered[index : index + size]
        if len(phrase) < size or not any(phrase):
            return None
        if not any(word.isalpha() and word not in UNITS for word in phrase):
            continue
        repeats = 1
        while lowered[index + repeats * size : index + (repeats + 1) * size] == phrase:
            repeats += 1
        if repeats >= MIN_LOOP_REPEATS and repeats * size >= MIN_LOOP_WORDS:
            return index + repeats * size - 1
    return None
