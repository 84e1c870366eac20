"""What stands next to a name the redactor found, decided by shape and by the document's own words.

Rules that look for names one template at a time (a title list, a suffix list, a locale's street
words) did not carry over to material nobody here wrote. These decide by shape and by the document
instead, around a person already found:

- the words OCR damaged with a look-alike digit (`Valentin0`, `Kle0menis`, `5ara`) are read as letters
  before any word rule reads them (same offsets): a digit inside a run of letters is a letter;
- a name of two words or more takes in the short capitalised word right before it that the document
  never writes in lower case and that is no English word, or is written with its point (a courtesy title
  in any language: `Mme`, `Sra.`), a generation suffix after it (`Jr.`, `III`), a nickname in quotes
  between its words, and the capitalised words after it that are no English word and that the document
  never writes in lower case (second surnames, patronymics: `Ibarra Valdivia`, `Germanovich`), with the
  particles that join them (`del Río`);
- an address is a run of capitalised words, numbers and abbreviations in parts that holds a postcode
  beside a town, or the run right after a person's name that holds a non-English word;
- the capitalised words right before an address are its party's name when one is no English word;
- two or more capitalised words in a row, none an English word form, none shown no name by the
  document, are a name wherever they stand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from resources.pii_document import LETTERS, LOWER, UPPER, DocumentVocabulary
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english

# digits OCR reads for letters of the same shape; the letter is lower case between lower-case letters
_LOOK_ALIKES = {"0": ("o", "O"), "1": ("l", "I"), "5": ("s", "S"), "8": ("b", "B"), "6": ("b", "G")}
# a look-alike digit inside a word, two letters on each side and a lower-case one beside it ("Kle0menis";
# "SW1A", "V0e", "A0sin" stay), ending a lower-case word ("Valentin0"), or opening a capitalised word
# ("5ara", "0lga"; "1st", "8am" stay)
_DIGIT_IN_WORD_RE = re.compile(
    rf"(?<=[{LETTERS}][{LOWER}])[01568](?=[{LETTERS}]{{2}})|(?<=[{LETTERS}]{{2}})[01568](?=[{LOWER}][{LETTERS}])"
    rf"|(?<=[{LOWER}]{{3}})[01](?![\w])|(?<![\w.,:/+-])[01568](?=[{LOWER}]{{3,}}(?![\w]*\d))"
)


def read_as_letters(text: str) -> str:
    """The text with each look-alike digit inside or opening a word read as its letter (same offsets)."""

    def letter(match: re.Match[str]) -> str:
        lower, upper = _LOOK_ALIKES[match.group()]
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        return upper if not before.isalpha() or after.isupper() else lower

    return _DIGIT_IN_WORD_RE.sub(letter, text)


# a courtesy title: one short capitalised word, with or without its point ("Mme", "Sra.", "Herr", "Dr")
_TITLE_BEFORE_RE = re.compile(rf"(?<![\w.])(?P<word>[{UPPER}][{LOWER}]{{0,3}})\.?[ \t]*$")
# a generation suffix: a Roman numeral or a two-letter abbreviation with its point ("III", "Jr.", "Sr.")
_SUFFIX_AFTER_RE = re.compile(rf"[ \t]*,?[ \t]*(?:[IVX]{{2,4}}(?![\w])|[{UPPER}][{LOWER}]\.)")
# a nickname in quotes, then the next name word ('"Kiki" Zúñiga')
_NICKNAME_AFTER_RE = re.compile(rf"[ \t]*[\"“”'‘’][{UPPER}][{LETTERS}]*[\"“”'’][ \t]*(?=[{LETTERS}])")
# a name word beside the name, with a lower-case particle before it ("del Río", "van Dijk")
_WORD_AFTER_RE = re.compile(
    rf"[ \t]*(?:(?P<particle>[{LOWER}]{{1,3}})[ \t]+)?(?P<word>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)"
)
MAX_GROWTH_WORDS = 3
_PARTICLES = frozenset(
    {"de", "del", "da", "dos", "das", "van", "von", "der", "den", "ten", "di", "du", "la", "le", "al", "bin", "ibn"}
)


def _foreign_word(word: str, vocabulary: DocumentVocabulary) -> bool:
    """A capitalised word that is no English word form (lemma, inflection or function word) and that
    the document never shows to be no name."""
    if len(word) < 2 or word.lower() in FUNCTION_WORDS or vocabulary.ordinary(word):
        return False
    return not is_english(word, vocabulary.forms) and not vocabulary.not_a_name(word)


def _title(word: str, with_point: bool, vocabulary: DocumentVocabulary) -> bool:
    """A short capitalised word the document never writes in lower case, and no English word unless
    written with its point as an abbreviation ("Sra.", "Mme"; not "Dear", "Ask")."""
    if vocabulary.lowercase_uses[word.lower()] or word.lower() in FUNCTION_WORDS:
        return False
    return with_point or not (vocabulary.ordinary(word) or is_english(word, vocabulary.forms))


def grow_name(text: str, finding: PiiFinding, vocabulary: DocumentVocabulary) -> PiiFinding:
    """One person finding grown over its title, suffix, nickname and the foreign name words after it."""
    start, end = finding.start, finding.end
    for _ in range(MAX_GROWTH_WORDS):
        grown = end
        if match := _NICKNAME_AFTER_RE.match(text, end):
            after = _WORD_AFTER_RE.match(text, match.end())
            grown = after.end() if after else grown
        elif (match := _WORD_AFTER_RE.match(text, end)) and _foreign_word(match.group("word"), vocabulary):
            particle = match.group("particle")
            grown = match.end() if particle is None or particle in _PARTICLES else grown
        if grown == end:
            break
        end = grown
    if match := _SUFFIX_AFTER_RE.match(text, end):
        end = match.end()
    # a title goes with a name of two words or more (a lone word after "Mol." is a journal's abbreviation)
    two_words = len(re.findall(rf"[{UPPER}][{LOWER}]+", text[start:end])) >= 2  # glued ones too
    match = _TITLE_BEFORE_RE.search(text, max(0, start - 8), start)
    if two_words and match and _title(match.group("word"), match.group().rstrip().endswith("."), vocabulary):
        start = match.start()
    return replace(finding, start=start, end=end) if (start, end) != (finding.start, finding.end) else finding


def grow_names(text: str, findings: list[PiiFinding], vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    return [grow_name(text, f, vocabulary) if f.kind == "person" else f for f in findings]


# ---------------------------------------------------------------------------- addresses by their words

# the words of an address line as written, OCR's glued words split at their capitals ("LageMierde")
_ADDRESS_TOKEN_RE = re.compile(
    rf"(?P<cap>[{UPPER}][{LOWER}'’]+)|(?P<low>[{LOWER}]+)(?P<point>\.)?|(?P<num>\d+[{LETTERS}]{{0,2}})"
    rf"|(?P<caps>[{UPPER}]+)(?![{LOWER}])|(?P<sep>[,|;/#.'’-])|(?P<other>[^\s])"
)
# 4 to 7 digits (Israel's postcodes have 7), or the Dutch digits and letters
_POSTCODE_RE = re.compile(r"\d{4,7}|\d{4}[A-Z]{2}")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
MAX_ADDRESS_TOKENS = 24
# a run this close after a person's name is that person's address (only spaces and separators between)
PARTY_GAP = 4


def _token_kind(match: re.Match[str], vocabulary: DocumentVocabulary) -> str:
    """foreign (a capitalised word that is no English word), english (a capitalised English word), num,
    caps, join (a particle or an abbreviation with its point: "d.", "kv.", "del"), sep, or stop."""
    if word := match.group("cap"):
        return "english" if vocabulary.ordinary(word) or vocabulary.not_a_name(word) else "foreign"
    if word := match.group("low"):
        return "join" if match.group("point") or word in _PARTICLES else "stop"
    if match.group("num"):
        return "num"
    if match.group("caps"):
        return "caps" if len(match.group("caps")) <= 3 else "stop"
    return "sep" if match.group("sep") else "stop"


def _runs(text: str, vocabulary: DocumentVocabulary) -> list[list[tuple[str, re.Match[str]]]]:
    """Maximal runs of address-like tokens, each ending on a foreign word, a number or capitals."""
    runs, current = [], []
    for match in _ADDRESS_TOKEN_RE.finditer(text):
        kind = _token_kind(match, vocabulary)
        # an English word right after a town or a number starts something else ("Trnava Telephone 0905")
        # (not inside one glued token: "BijoyStation")
        label = kind == "english" and bool(current) and current[-1][0] in ("foreign", "num")
        label = label and current[-1][1].end() < match.start()
        # an address ends at its postcode: a function word after one opens the next sentence ("Gonan,
        # 3100858 Your patient"; a dictionary of lemmas does not hold "Your", so it reads as foreign)
        after_postcode = bool(current) and _postcode(*current[-1]) and current[-1][1].end() < match.start()
        if label or (after_postcode and match.group().lower() in FUNCTION_WORDS):
            kind = "stop"
        if kind == "stop" or len(current) >= MAX_ADDRESS_TOKENS:
            runs.append(current)
            current = [] if kind == "stop" else [(kind, match)]
            continue
        current.append((kind, match))
    runs.append(current)
    trimmed = []
    for run in runs:
        while run and run[-1][0] in ("sep", "english", "join"):
            run = run[:-1]
        while run and run[0][0] in ("sep", "join"):
            run = run[1:]
        if run:
            trimmed.append(run)
    return trimmed


# English month names and their abbreviations: "January 1, 0001" is a date, not a town and its postcode
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _postcode(kind: str, match: re.Match[str]) -> bool:
    word = match.group()
    return kind == "num" and bool(_POSTCODE_RE.fullmatch(word)) and not _YEAR_RE.fullmatch(word)


_PARTY_GAP_RE = re.compile(r"[ \t,|;]*")


def _outside_names(run: list[tuple[str, re.Match[str]]], persons: list[PiiFinding]) -> list[list]:
    """The parts of a run outside every person's name, each without separators at its ends."""
    parts: list[list] = [[]]
    for kind, match in run:
        if any(p.start <= match.start() < p.end for p in persons):
            parts.append([])
        else:
            parts[-1].append((kind, match))
    trimmed = []
    for part in parts:
        while part and part[0][0] in ("sep", "join"):
            part = part[1:]
        while part and part[-1][0] in ("sep", "english", "join"):
            part = part[:-1]
        if part:
            trimmed.append(part)
    return trimmed


# a postcode's town stands this many tokens away at most ("72002 SS8, Negeri Sembilan": three)
NEAR_TOKENS = 4


def _near_a_word(run: list[tuple[str, re.Match[str]]], index: int) -> bool:
    """Whether a capitalised word stands near run[index] ("Madrid, 44854", "2163 OX, Noordeinde")."""
    near = run[max(0, index - NEAR_TOKENS) : index + NEAR_TOKENS + 1]
    words = [match.group() for kind, match in near if kind in ("foreign", "english")]
    # a unit ("100 Hz, 1000") is too short for a town; a month makes the number a year
    return any(len(word) >= 3 for word in words) and not any(word.lower() in _MONTHS for word in words)


def party_addresses(text: str, findings: list[PiiFinding], vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    """Addresses told by their words, not by a locale's street words: a run of capitalised words,
    numbers and abbreviations in parts (a comma or a bar between) that holds a postcode-shaped number
    near a capitalised word (a town), from after any name it opens with; or the part of a run right
    after a person's name (only spaces, commas or a bar between) that holds a non-English word with a
    number or another non-English word (their address)."""
    persons = [f for f in findings if f.kind == "person"]
    found = []
    for whole in _runs(text, vocabulary):
        parts = _outside_names(whole, persons)
        if parts and _postcode_run(whole):
            # from after a name the run opens with, to its end (names inside it are the address's: streets)
            found.append(PiiFinding("address", parts[0][0][1].start(), whole[-1][1].end(), 0.6, "party"))
            continue
        for at, (kind, match) in enumerate(whole):
            if kind in ("sep", "join"):
                continue
            start = match.start()
            after_party = any(
                0 <= start - p.end <= PARTY_GAP
                and _PARTY_GAP_RE.fullmatch(text, p.end, start)
                and _apart(text, p, match)
                for p in persons
            )
            # the rest of the run, names inside it included: another name found in it must not undo the
            # decision (monotone redaction), and what it covers is covered anyway
            run = _trimmed(whole[at:])
            # nor does it end on a page's number, a decimal or a year after it ("Matthias Walter 53")
            while run and run[-1][0] == "num" and _no_house_number(text, run[-1][1]):
                run = _trimmed(run[:-1])
            # a year is no house number, and a month or a weekday no address word ("Farrar 2006) (7.2 Nov
            # 2010)", "Thu Jun 6 11:23:28"): the words of a name after a name are found counted as foreign
            kinds = [kind for kind, match in run if not (kind == "num" and _no_house_number(text, match))]
            foreign = sum(kind == "foreign" and not _date_word(match.group()) for kind, match in run)
            if after_party and run and foreign and ("num" in kinds or foreign >= 2):
                found.append(PiiFinding("address", start, run[-1][1].end(), 0.6, "party"))
    return found


_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur fri sat sun".split()
)


def _apart(text: str, person: PiiFinding, match: re.Match[str]) -> bool:
    """Whether a word stands apart from the name before it: a capitalised word glued to a name's end is the
    rest of a word ("Francis" found in "FrancisClarkeapprovedthediscount", a given name spread from elsewhere),
    not an address (a number may be glued: "Morales42400"). Decided on the pair alone, so a name another rule
    adds can only add an address (monotone redaction)."""
    if match.group("cap") is None:  # a number, an initial or a suffix in capitals ("K. 14", "II ul.")
        return True
    # a capitalised word after a name with only spaces between is the name's next word ("Matthias Walter",
    # "Ajith Kumar"): an address after a name opens with a number or capitals, or after a comma or a bar
    return bool(re.search(r"[,|;]", text[person.end : match.start()]))


def _no_house_number(text: str, match: re.Match[str]) -> bool:
    """A year; a decimal's part ("Gimp-Print 4.0 release", "2.6 2.3"): no house number has a decimal point;
    or the page's own number, the first or last word of its text ("Matthias Walter 53" at a page's foot)."""
    before, after = text[: match.start()], text[match.end() :]
    decimal = bool(re.match(r"\.\d", after) or re.search(r"\d\.$", before))
    folio = len(match.group()) <= 4 and (not before.strip() or not after.strip())
    return bool(_YEAR_RE.fullmatch(match.group())) or decimal or folio


def _date_word(word: str) -> bool:
    return word.lower().rstrip(".") in _MONTHS | _WEEKDAYS


def _trimmed(run: list[tuple[str, re.Match[str]]]) -> list[tuple[str, re.Match[str]]]:
    while run and run[0][0] in ("sep", "join"):
        run = run[1:]
    while run and run[-1][0] in ("sep", "english", "join"):
        run = run[:-1]
    return run


def _postcode_run(run: list[tuple[str, re.Match[str]]]) -> bool:
    in_parts = any(match.group() in ",|" for kind, match in run if kind == "sep")
    return in_parts and any(
        _postcode(kind, match) and _near_a_word(run, index) for index, (kind, match) in enumerate(run)
    )


# the words of a name right before an address: capitalised words and a nickname in quotes, then a comma
_NAME_BEFORE_ADDRESS_RE = re.compile(
    rf"(?P<name>(?:[{UPPER}][{LOWER}'’-]+|[\"“][{UPPER}][{LOWER}]+[\"”])(?:[ \t]+(?:[{LOWER}]{{1,3}}[ \t]+)?"
    rf"(?:[{UPPER}][{LOWER}'’-]+|[\"“][{UPPER}][{LOWER}]+[\"”])){{1,4}})[ \t]*,?[ \t]*$"
)


def names_before_addresses(text: str, findings: list[PiiFinding], vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    """The party an address belongs to: two to five capitalised words right before it (a comma between at
    most), at least one of them no English word, none of them a word the document shows is no name."""
    found = []
    for address in (f for f in findings if f.kind == "address"):
        match = _NAME_BEFORE_ADDRESS_RE.search(text, max(0, address.start - 80), address.start)
        if match is None:
            continue
        words = re.findall(rf"[{UPPER}][{LOWER}'’-]+", match.group("name"))
        bare = [word.strip('"“”') for word in words]
        if any(_foreign_word(word, vocabulary) for word in bare) and not any(
            vocabulary.not_a_name(word) for word in bare
        ):
            found.append(PiiFinding("person", match.start("name"), match.end("name"), 0.6, "party"))
    return found


# two to four capitalised words in a row (a hyphen or an apostrophe inside one), nothing but spaces between
_CAPITALISED_RUN_RE = re.compile(rf"(?<![\w.])[{UPPER}][{LOWER}'’-]+(?:[ \t]+[{UPPER}][{LOWER}'’-]+){{1,3}}(?![\w])")


def foreign_name_runs(text: str, vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    """Two or more capitalised words in a row, none of them an English word form and none shown by the
    document to be no name (written in lower case, code, a heading, a recurring term): a person, wherever
    it stands. English prose capitalises English words; a pair of words in no English dictionary that the
    document never writes otherwise is a name (or a place, which is redacted too)."""
    found = []
    for match in _CAPITALISED_RUN_RE.finditer(text):
        words = list(re.finditer(rf"[{UPPER}][{LOWER}'’-]+", match.group()))
        foreign = [_foreign_word(word.group().rstrip("'’-"), vocabulary) for word in words]
        at = 0
        while at < len(words):
            if not foreign[at]:
                at += 1
                continue
            last = at
            while last + 1 < len(words) and foreign[last + 1]:
                last += 1
            if last > at:
                start, end = match.start() + words[at].start(), match.start() + words[last].end()
                found.append(PiiFinding("person", start, end, 0.6, "foreign_run"))
            at = last + 1
    return found
