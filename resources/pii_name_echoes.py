"""A person's name written again where no rule reads a name (pii-patterns-v23).

held_back_20 put names where no slice had: a signature a hand writes in small letters above the name in capitals
(`b. šołtina` over `BĚINA ŠOŁTINA`), and names OCR broke with a space inside (`Te kaai Ioabonga` for `Tekaai`).
Neither is told by its words; both are told by the document's other findings:

- an echo: lower-case words that are, letter for letter but for their case and marks (OCR drops them: `soltina`),
  words of a name the document names elsewhere, after an initial (`j. delric`) or two and more of them together
  (`jòret delric`);
- a name's head: a name found from a lower-case word on (`kaai Ioabonga`) opens a word OCR cut; the capitalised
  piece of one to three letters right before it (`Te`) is the word's start, when it is no function word and the two
  joined are no English word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_patterns import PiiFinding
from resources.pii_words import FUNCTION_WORDS, is_english

RULE = "echo"
Pages = dict[int, list[PiiFinding]]


def signed_names(texts: dict[int, str], detected: Pages, forms: frozenset[str]) -> Pages:
    """Each page's findings, and the names on it that echo the document's names in small letters."""
    echoes = name_echo_words(texts.values(), detected.values())
    return {page: detected[page] + list(signed_names_on_page(text, echoes, forms)) for page, text in texts.items()}


def name_heads(texts: dict[int, str], detected: Pages, forms: frozenset[str]) -> Pages:
    """Each page's findings, and the pieces of names OCR split off."""
    return {
        page: detected[page] + list(name_heads_on_page(text, detected[page], forms)) for page, text in texts.items()
    }


# a name's word as a signature echoes it: this many letters at least (`de` and `ny` are particles of many names)
MIN_ECHO_LETTERS = 3
# an initial and the lower-case words after it; or lower-case words alone (two or more must echo then)
_SIGNATURE_RE = re.compile(
    rf"(?<![{LETTERS}\d.])(?P<initial>[{LETTERS}]\.[ \t]*)?"
    rf"(?P<words>[{LOWER}][{LOWER}'’-]+(?:[ \t]+[{LOWER}][{LOWER}'’-]+){{0,3}})(?![{LETTERS}.])"
)
MIN_WORDS_WITHOUT_INITIAL = 2


def name_echo_words(texts: Iterable[str], findings: Iterable[Iterable[PiiFinding]]) -> frozenset[str]:
    """The words of every person finding of the document, case folded (its pages' texts and findings in turn)."""
    words = set()
    for text, page_findings in zip(texts, findings, strict=True):
        for finding in page_findings:
            if finding.kind == "person":
                name = text[finding.start : finding.end]
                words |= {folded(word) for word in re.findall(rf"[{LETTERS}'’-]+", name)}
    return frozenset(word for word in words if len(word) >= MIN_ECHO_LETTERS)


# letters NFKD does not take apart, as OCR reads them without their marks
# (and OCR's `l` for a capital `I`: `loabonga`, `Ioabonga` and `ioabonga` fold alike)
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ı": "l", "i": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss"})


def folded(word: str) -> str:
    """The word case folded, without its marks, `i` as `l` (`ŠOŁTINA`, `šołtina` and `soltlna` fold alike)."""
    parts = unicodedata.normalize("NFKD", word.casefold().translate(_PLAIN_LETTERS))
    return "".join(char for char in parts if not unicodedata.combining(char))


def signed_names_on_page(text: str, echoes: frozenset[str], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Lower-case words that echo a name's words: after an initial, or two and more together that are no
    English words."""
    if not echoes:
        return
    for match in _SIGNATURE_RE.finditer(text):
        words = list(re.finditer(r"\S+", match.group("words")))
        echoed = list(_echoing_run(words, echoes))
        if not echoed:
            continue
        if match.group("initial") and echoed[0].start() == 0:
            start = match.start()
        elif len(echoed) >= MIN_WORDS_WITHOUT_INITIAL and not any(is_english(w.group(), forms) for w in echoed):
            start = match.start("words") + echoed[0].start()
        else:
            continue
        yield PiiFinding("person", start, match.start("words") + echoed[-1].end(), 0.7, RULE)


def _echoing_run(words: list[re.Match[str]], echoes: frozenset[str]) -> Iterator[re.Match[str]]:
    """The first run of words that echo a name's words."""
    started = False
    for word in words:
        if folded(word.group().strip("'’-")) in echoes:
            started = True
            yield word
        elif started:
            return


# a capitalised piece of one to three letters, then a space, right before a name found from a lower-case word on
_HEAD_BEFORE_RE = re.compile(rf"(?<![{LETTERS}\d])([{UPPER}][{LOWER}]{{0,2}})[ \t]$")


def name_heads_on_page(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The piece of a name's first word that OCR split off (`Te` of `Te kaai Ioabonga`)."""
    for finding in findings:
        if finding.kind != "person" or not text[finding.start : finding.start + 1].islower():
            continue
        head = _HEAD_BEFORE_RE.search(text, max(0, finding.start - 4), finding.start)
        if not head or head.group(1).lower() in FUNCTION_WORDS:
            continue
        word = re.match(rf"[{LETTERS}]+", text[finding.start : finding.end])
        if word and not is_english(head.group(1) + word.group(), forms):
            yield PiiFinding("person", head.start(1), finding.start, 0.65, RULE)
