"""What a whole document says about its own words: which capitalised words are not people's names.

An NER model tags ordinary capitalised words of technical prose as persons: headings ("Analog
Inputs"), verbs that open a sentence ("Set", "Clear"), type, module and API names ("Bigarray",
"CoTaskMemAlloc", "SQR"), product names ("Caml"). The document itself tells them apart from names:

- it also uses the word in lower case ("the digital input"): ordinary vocabulary;
- the word is code: written with a digit or underscore, called ("Foo("), qualified ("Foo.bar",
  "x::Foo"), or camel-cased with two inner capitals more than once ("CoTaskMemAlloc");
- the word is set in capitals (an acronym, a constant), or numbers a heading ("2.3 Analog Inputs");
- it recurs (3+ times) but the NER model tags it as a person in fewer than half of its uses;
- (v11) it is a command-line option ("-XM16", "-Xg"), a formula mixing Greek and Latin letters
  ("Xαjhj"), an abbreviation in a chain of them ("J. Mol. Biol."), or a method named after people
  ("Smith-Waterman algorithm": an eponym, wherever the document writes it).

Both the redactor (resources/pii.py) and the independent coverage check (resources/pii_coverage.py)
read this one definition, so the check does not demand the redaction of what is not a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

# Letters with their accents (Latin-1, Latin Extended-A/B, the IPA block for Azerbaijani `ə`, and
# Additional: "Gülsen", "Łukasz", "Nguyễn"), and the Greek and Cyrillic alphabets ("Αλέξης",
# "Ольга"): names come in all of them.
_LETTER_RANGES = ((0xC0, 0x2B0), (0x370, 0x400), (0x400, 0x530), (0x1E00, 0x1F00))
_BEYOND_ASCII = [chr(code) for first, last in _LETTER_RANGES for code in range(first, last) if chr(code).isalpha()]
UPPER = "A-Z" + "".join(char for char in _BEYOND_ASCII if char.isupper())
LOWER = "a-z" + "".join(char for char in _BEYOND_ASCII if char.islower())
LETTERS = UPPER + LOWER

_WORD_RE = re.compile(rf"[{LETTERS}]+")
_LOWERCASE_WORD_RE = re.compile(rf"(?<![{LETTERS}\d_])[{LOWER}]+(?![{LETTERS}\d_])")
# (not a word after a point or a colon: OCR glues sentences and labels that way, "stand.Pamela", "Driver:Richard")
_CODE_CONTEXT_RE = re.compile(
    rf"(?:(?<=::)|(?<=->))(?P<after>[{LETTERS}_][\w]*)|(?P<before>[{LETTERS}_][\w]*)(?=\(|\.[{LOWER}_]|::)"
)
# a numbered heading: "2.3 Analog Inputs", "4.1.2. Pulse Width" (a section number, then title words)
_HEADING_RE = re.compile(
    rf"(?<![\w.])\d{{1,2}}(?:\.\d{{1,2}}){{1,3}}\.?[ \t]+(?P<title>[{UPPER}][\w-]*(?:[ \t]+[{UPPER}][\w-]*){{0,5}})"
)
MIN_USES_FOR_TAG_SHARE = 3
# a word in capitals may be a name (a form in capitals) when it has this many letters, a vowel, and
# the document writes it no more often than this (acronyms and constants recur)
MIN_CAPITALS_NAME_LETTERS = 4
MAX_CAPITALS_NAME_USES = 2
_VOWELS = frozenset("aeiouyáàâäãåāăąéèêëēėęěíìîïīįóòôöõøōőúùûüūůűų")
# e-mail addresses and web addresses, as OCR may also split them ("eva. oprea@mailbox. org")
_ADDRESS_TOKEN_RE = re.compile(r"(?:\S+\.\s)?\S+@\S+|(?i:https?://|www\.)\S+")


# a command-line option: a hyphen or two opening a token ("-XM16", "--acc", "-m8CBd"), not inside a word
_OPTION_RE = re.compile(r"(?<![\w-])--?(?P<option>[A-Za-z][\w]*)")
# abbreviations written with their points, two or more in a row ("J. Mol. Biol.", "Comput. Chem."): a
# journal's name in a reference, not a given name and a surname
_ABBREVIATION_CHAIN_RE = re.compile(rf"[{UPPER}][{LOWER}]{{2,}}\.(?:[ \t]+[{UPPER}][{LOWER}]{{2,}}\.)+")
# a method, test or law named after people, written as hyphenated capitalised names before its noun
# ("Smith-Waterman algorithm", "Kolmogorov-Smirnov test"): the compound is a term wherever it stands
_EPONYM_NOUNS = (
    "algorithm method test theorem lemma equation inequality distribution transform score distance formula "
    "criterion conjecture bound alignment search statistic model coefficient correction effect law principle "
    "process scheme kernel filter index procedure approximation function polynomial matrix metric"
).split()
_EPONYM_RE = re.compile(
    rf"(?P<compound>[{UPPER}][{LOWER}]+(?:[-–][{UPPER}][{LOWER}]+)+)[ \t]+"
    rf"(?i:{'|'.join(_EPONYM_NOUNS)})(?:e?s)?(?![{LETTERS}])"
)
# a web address (not an e-mail address, whose local part may be its owner's name)
_WEB_ADDRESS_RE = re.compile(r"(?i:https?://|www\.)(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)")
_GREEK = frozenset(chr(code) for code in range(0x370, 0x400) if chr(code).isalpha())


def possessive_stem(word: str) -> str:
    """ "Microsoft's" -> "Microsoft"."""
    return re.sub(r"['’]s$", "", word)


def letter_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole run of letters around text[start:end] (the written token a split word came from)."""
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


def inner_capitals(word: str) -> int:
    """Capital letters after the first letter of each hyphen or apostrophe part ("Smith-Jones": 0)."""
    parts = re.split(r"[-'’]", word)
    return sum(1 for part in parts for char in part[1:] if char.isupper())


class DocumentVocabulary:
    """The words of one document (all its pages) that are not people's names, by the document's own use.

    `tagged` counts, per word, how many of its uses the NER model tagged as a person; without it,
    the tag-share rule is off.
    """

    def __init__(
        self,
        texts: Iterable[str],
        tagged: Mapping[str, int] | None = None,
        dictionary: frozenset[str] = frozenset(),
        forms: frozenset[str] = frozenset(),
    ):
        joined = "\n".join(texts)
        self.dictionary = dictionary
        self.forms = forms  # English word forms (resources/pii_words.py), where a caller needs inflections
        # an e-mail address writes its owner's name in lower case ("eva.oprea@..."): no vocabulary
        self.lowercase_uses = Counter(_LOWERCASE_WORD_RE.findall(_ADDRESS_TOKEN_RE.sub(" ", joined)))
        self.uses = Counter(_WORD_RE.findall(joined))
        self.code = {m.group("after") or m.group("before") for m in _CODE_CONTEXT_RE.finditer(joined)}
        self.headings = {word for m in _HEADING_RE.finditer(joined) for word in _WORD_RE.findall(m.group("title"))}
        self.code |= {word for m in _OPTION_RE.finditer(joined) for word in _WORD_RE.findall(m.group("option"))}
        chains = _ABBREVIATION_CHAIN_RE.finditer(joined)
        self.abbreviations = {word for m in chains for word in _WORD_RE.findall(m.group())}
        self.eponyms = eponyms(joined)
        # a web address's labels name a site, a product or an organisation ("www.cygwin.com": Cygwin)
        # (not its top-level domain: "www.uni-magdeburg.de" does not make "De" of "J. A. De Loera" a site)
        self.site_names = {label for m in _WEB_ADDRESS_RE.finditer(joined) for label in m.group("host").split(".")[:-1]}
        self.tagged = tagged

    def ordinary(self, word: str) -> bool:
        """Whether `word` is an English dictionary word (a lone capitalised one is no name by itself)."""
        return possessive_stem(word).lower() in self.dictionary

    def written_in_lower_case(self, word: str) -> bool:
        """Whether the document writes the word in lower case as vocabulary: a dictionary word once, any
        word twice. OCR lowers a name's capital now and then ("Signed Pia janyoema"): once is no proof."""
        uses = self.lowercase_uses[word.lower()]
        return uses >= 2 or (uses == 1 and (not self.dictionary or word.lower() in self.dictionary))

    def _acronym(self, word: str) -> bool:
        """Whether a word in capitals is an acronym or a constant, not a name a form writes in capitals
        ("KÚBEKOVÁ", "ANDRIMAN"): short, without a vowel, recurring, or an English word."""
        if not self.dictionary or word.lower() in self.dictionary:
            return True
        # each part of a hyphenated word ("PSI-BLAST": "PSI" is an acronym)
        for part in word.split("-"):
            short = len(part) < MIN_CAPITALS_NAME_LETTERS or not any(char in _VOWELS for char in part.lower())
            if short or self.uses[part] > MAX_CAPITALS_NAME_USES:
                return True
        return False

    def vocabulary_or_recurring(self, word: str) -> bool:
        """Whether the document shows a capitals word to be no name: it writes it in lower case, as code
        or in a heading, with a digit, or more often than a name is written (acronyms recur)."""
        word = possessive_stem(word)
        if self.written_in_lower_case(word) or word in self.code or word in self.headings:
            return True
        if any(char.isdigit() or char == "_" for char in word):
            return True
        # each part of a hyphenated word too ("CNF-SAT": "CNF" recurs)
        return any(self.uses[part] > MAX_CAPITALS_NAME_USES for part in [word, *re.split(r"[-'’]", word)])

    def not_a_name(self, word: str, in_capitals_name: bool = False) -> bool:
        """Whether the document shows that `word` is vocabulary, code, a heading word or a term.
        `in_capitals_name`: the word stands in a name written wholly in capitals, two words or more
        ("LILIANA ANDRIMAN"), where a capitals word need not be an acronym."""
        word = possessive_stem(word)
        if self.written_in_lower_case(word) or word in self.code or word in self.headings:
            return True
        if any(char.isdigit() or char == "_" for char in word):
            return True
        if word in self.abbreviations or word in self.eponyms or word.lower() in self.site_names or formula(word):
            return True
        letters = [char for char in word if char.isalpha()]
        if (
            len(letters) >= 2
            and all(char.isupper() for char in letters)
            and (not in_capitals_name or self._acronym(word))
        ):
            return True
        if inner_capitals(word) >= 2 and self.uses[word] >= 2:
            return True
        uses = self.uses[word]
        return self.tagged is not None and uses >= MIN_USES_FOR_TAG_SHARE and 2 * self.tagged.get(word, 0) < uses


def formula(word: str) -> bool:
    """Whether a word mixes Greek and Latin letters ("Xαjhj"): a formula; a name is written in one script."""
    greek = sum(char in _GREEK for char in word)
    return 0 < greek < sum(char.isalpha() for char in word)


def eponyms(text: str) -> frozenset[str]:
    """The hyphenated names the text uses as a method's name ("Smith-Waterman" before "algorithm")."""
    return frozenset(m.group("compound") for m in _EPONYM_RE.finditer(text))


def eponym_spans(text: str, compounds: frozenset[str]) -> list[tuple[int, int]]:
    """Every place the text writes one of the compounds as a whole word."""
    if not compounds:
        return []
    pattern = "|".join(re.escape(c) for c in sorted(compounds, key=len, reverse=True))
    return [m.span() for m in re.finditer(rf"(?<![{LETTERS}-])(?:{pattern})(?![{LETTERS}])", text)]


# a month or weekday abbreviation before a number or a month ("Jun 2003", "Jun. 2006", "Thu Jun 6"): a date
# there, wherever else the document writes the same word as a name ("Jun")
MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())
_DATE_WORDS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun"
_DATE_WORD_RE = re.compile(
    rf"(?<![{LETTERS}])(?:{_DATE_WORDS}|{_DATE_WORDS.upper()})(?=\.?,?[ \t]+(?:\d|(?:{_DATE_WORDS})(?![{LETTERS}])))"
)


def date_word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE_WORD_RE.finditer(text)]
