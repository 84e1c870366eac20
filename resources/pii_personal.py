"""Personal documents (letters, forms, lists of people), told apart from reference prose, and their names.

A capitalised word that is no English word means different things in different documents: in a manual it
is a term (a program, an API, a product: `Caml`, `Bigarray`), in a letter, a form or a rota it is almost
always a person or a place. Rules that wait for a second such word beside it (resources/pii_party.py) miss
the name standing alone in a table cell, a hyphenated given name or a town after a post box. So the
document is decided first, as a whole (all its pages): it is personal when the personal data already
found in it is dense (at least one finding per WORDS_PER_FINDING words, where a manual has one per 120 or
more). Only in a personal document:

- every capitalised word that is no English word form and that the document does not show to be
  vocabulary (written in lower case, code, a heading word, a recurring term) is a name, alone too,
  hyphenated too (`Cheng-hsiung`, `Dosan-daero`);
- initials with their points before any capitalised word make a name with it (`J. Go`);
- a place the NER model names (a town, a country, a region: `Mbabane, Eswatini`) is part of someone's
  address: the dictionary knows many towns as English words, so vocabulary alone keeps them.
"""

from __future__ import annotations

import re

from resources.pii_document import LETTERS, LOWER, UPPER, DocumentVocabulary, inner_capitals, possessive_stem
from resources.pii_names import DEFAULT_NER_MODEL, ner_place_spans
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english, unglue_words

# one personal finding per this many words at most makes a document personal: the generated letters and
# forms of every tuning slice have one per 46 words or fewer; the tuning manuals one per 119 or more
WORDS_PER_FINDING = 60
# a capitalised word, its hyphenated or apostrophe parts and any capitals OCR glued to it ("Yen-tingSU")
_WORD_RE = re.compile(rf"(?<![\w.@/\\-])[{UPPER}][{LETTERS}]*(?:['’-][{LETTERS}]+)*(?![\w@/\\-]|\.[{LETTERS}])")
# initials with their points, then a capitalised word ("J. Go", "M.K. Sen")
_INITIALS_NAME_RE = re.compile(rf"(?<![\w.])(?:[{UPPER}]\.[ \t]*){{1,3}}[{UPPER}][{LOWER}]+(?:-[{LETTERS}]+)?(?![\w])")
# a word a colon follows is a form's label ("DOB:", "Nr:"), not a name
_LABEL_AFTER_RE = re.compile(r"[ \t]*:")


def personal_document(texts: dict[int, str], findings: dict[int, list[PiiFinding]]) -> bool:
    """Whether the personal data already found in the document is dense enough to call it personal."""
    words = sum(len(text.split()) for text in texts.values())
    found = sum(len(page) for page in findings.values())
    return found > 0 and words <= WORDS_PER_FINDING * found


def _english(word: str, vocabulary: DocumentVocabulary) -> bool:
    """An English word form, whole or in every one of its hyphenated parts ("Self-employed")."""
    lower = possessive_stem(word).lower()
    if lower in FUNCTION_WORDS or vocabulary.ordinary(word) or is_english(lower, vocabulary.forms):
        return True
    parts = [part for part in re.split(r"[-'’]", lower) if part]
    return len(parts) > 1 and all(part in FUNCTION_WORDS or is_english(part, vocabulary.forms) for part in parts)


def is_name_word(word: str, vocabulary: DocumentVocabulary) -> bool:
    """Whether a capitalised word of a personal document is a name: no English word, not shown otherwise."""
    if len(word) < 2 or _english(word, vocabulary) or inner_capitals(word) > 0:
        return False  # (a glued token, "DearMariaGonzalez", is read in the copy with spaces put back)
    if unglue_words(word, vocabulary.forms)[0] != word:
        return False  # glued English words ("Deliverto")
    letters = [char for char in word if char.isalpha()]
    if all(char.isupper() for char in letters):
        return False  # capitals: constants and acronyms too; left to the capitals-name rules
    return not vocabulary.not_a_name(word)


def personal_names(text: str, vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    """The names of a personal document's page: each name word alone, and initials with the word after them."""
    found = [
        PiiFinding("person", match.start(), match.end(), 0.55, "personal")
        for match in _WORD_RE.finditer(text)
        if is_name_word(match.group(), vocabulary) and not _LABEL_AFTER_RE.match(text, match.end())
    ]
    for match in _INITIALS_NAME_RE.finditer(text):
        last = match.group().split()[-1].split(".")[-1]
        if last.lower() not in FUNCTION_WORDS and not vocabulary.written_in_lower_case(last):
            found.append(PiiFinding("person", match.start(), match.end(), 0.55, "personal"))
    return found


def personal_places(text: str, model: str = DEFAULT_NER_MODEL) -> list[PiiFinding]:
    """The places the NER model names on a personal document's page, as address findings."""
    return [PiiFinding("address", start, end, 0.55, "personal_place") for start, end in ner_place_spans(text, model)]
