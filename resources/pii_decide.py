"""The document-level decisions on a page's candidate findings (resources/pii.py `PiiDetector.decide`).

Weakly found names are narrowed to the words the document does not show to be vocabulary or terms, names
and addresses grow over their initials and unit groups, neighbouring names join, and overlapping findings
resolve so that every character any candidate covered stays covered (the redaction is monotone).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from resources.pii_blocks import find_address_blocks
from resources.pii_dates import dates_after_names
from resources.pii_document import LETTERS, UPPER, DocumentVocabulary, date_word_spans, eponym_spans, letter_run
from resources.pii_fields import PERSONAL_SHARE, personal_share
from resources.pii_names import name_words
from resources.pii_patterns import PiiFinding, map_back
from resources.pii_words import unglue_words


def without_terms(text: str, findings: list[PiiFinding], vocabulary: DocumentVocabulary) -> list[PiiFinding]:
    """Person findings less what the document shows to be a term where it stands: a method named after
    people ("Smith-Waterman", resources/pii_document.py) and a month or weekday before a date ("Thu Jun 6")."""
    terms = [PiiFinding("term", start, end, 1.0) for start, end in eponym_spans(text, vocabulary.eponyms)]
    terms += [PiiFinding("term", start, end, 1.0) for start, end in date_word_spans(text)]
    if not terms:
        return findings
    kept = []
    for finding in findings:
        pieces = [finding]
        if finding.kind == "person":
            for term in terms:
                pieces = [piece for part in pieces for piece in _outside(part, term)]
        kept += [piece for piece in pieces if re.search(rf"[{LETTERS}\d]", text[piece.start : piece.end])]
    return kept


# initials before a name ("L. J. Okafor"); unit groups around an address ("Nr. 670 Bl. 62 Sc. 22 Ap. 5")
_INITIALS_BEFORE_RE = re.compile(r"(?:(?<![A-Z])[A-Z]\.[ \t]*){1,3}$")  # (also glued: "guardianW. A. Okafor")
_UNITS_AFTER_RE = re.compile(r"(?:[ \t]*[,.]?[ \t]*(?:[A-Z][a-z]{0,3}\.?[ \t]*)?\d{1,4}[A-Za-z]?(?![\w.]\d))+")
_UNITS_BEFORE_RE = re.compile(r"(?<![\w.])(?:(?:[A-Z][a-z]{0,3}\.?[ \t]*)?\d{1,4}[A-Za-z]?[ \t]*,?[ \t]*)+$")
# what may stand between two parts of one name: a comma ("Gheorghiu,Alida"), an initial ("Ó")
_NAME_GAP_RE = re.compile(rf"[ \t,]*(?:[{UPPER}]\.?[ \t,]+)?")


def address_blocks(text: str, findings: list[PiiFinding], forms: frozenset[str]) -> list[PiiFinding]:
    """Address blocks after address labels and after the decided person names (resources/pii_blocks.py),
    looked for in the copy with glued words split, offsets mapped back."""
    spaced, offsets = unglue_words(text, forms)
    spaced_at = {offset: index for index, offset in reversed(list(enumerate(offsets)))}
    persons = [
        replace(f, start=spaced_at.get(f.start, 0), end=spaced_at.get(f.end - 1, 0) + 1)
        for f in findings
        if f.kind == "person" and f.end - 1 in spaced_at
    ]
    return map_back(list(find_address_blocks(spaced, forms, persons)), offsets)


def birth_dates_after_names(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    names = [(f.start, f.end) for f in findings if f.kind == "person"]
    return [PiiFinding("dob", start, end, 0.7, "position") for start, end in dates_after_names(text, names)]


def with_neighbours(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Person findings grown over the initials before them, address findings over the unit groups after."""
    grown = []
    for finding in findings:
        if finding.kind == "person" and (initials := _INITIALS_BEFORE_RE.search(text, 0, finding.start)):
            finding = replace(finding, start=initials.start())
        elif finding.kind == "address":
            # a party's run takes its own numbers, and ends before a page's number on purpose
            if finding.rule != "party" and (units := _UNITS_AFTER_RE.match(text, finding.end)):
                finding = replace(finding, end=units.end())
            if units := _UNITS_BEFORE_RE.search(text, max(0, finding.start - 40), finding.start):
                finding = replace(finding, start=units.start())
        grown.append(finding)
    return _joined_names(text, resolve_overlaps(grown))


def _joined_names(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Neighbouring person findings with only a comma or an initial between them become one; between
    findings of other kinds a gap that is more than spaces goes to the first. Any kinds: a finding another
    rule adds may change a neighbour's kind (a name read as a street), and the gap must stay covered
    (monotone redaction)."""
    # a piece of another finding that is nothing but the gap between two names ("," of "Gheorghiu,Alida")
    ends, starts = {f.end for f in findings if f.kind == "person"}, {f.start for f in findings if f.kind == "person"}
    findings = [
        f
        for f in findings
        if f.kind == "person"
        or not (f.start in ends and f.end in starts and _NAME_GAP_RE.fullmatch(text, f.start, f.end))
    ]
    joined: list[PiiFinding] = []
    for finding in findings:
        last = joined[-1] if joined else None
        if last is None or last.end > finding.start or not _NAME_GAP_RE.fullmatch(text, last.end, finding.start):
            joined.append(finding)
        elif last.kind == finding.kind == "person":
            joined[-1] = replace(last, end=finding.end)
        else:
            if text[last.end : finding.start].strip():
                joined[-1] = replace(last, end=finding.start)
            joined.append(finding)
    return joined


def resolve_overlaps(candidates: list[PiiFinding]) -> list[PiiFinding]:
    """Non-overlapping findings covering every character any candidate covered; sorted by start.

    The longest (then highest-scoring) finding wins a contested range; what a losing finding
    covered beyond it is kept as a shorter finding of its own kind, so no PII falls through.
    """
    kept: list[PiiFinding] = []
    # an address told by the run after a party's name may run over names found inside it: they keep their
    # words, it takes the rest (the union is the same in any order)
    for finding in sorted(
        candidates, key=lambda f: (f.kind == "address" and f.rule == "party", f.start - f.end, -f.score, f.start)
    ):
        pieces = [finding]
        for other in kept:
            pieces = [piece for part in pieces for piece in _outside(part, other)]
        kept += pieces
    return sorted(kept, key=lambda f: f.start)


def _outside(finding: PiiFinding, other: PiiFinding) -> list[PiiFinding]:
    """The parts of `finding` that `other` does not cover."""
    if finding.end <= other.start or other.end <= finding.start:
        return [finding]
    parts = []
    if finding.start < other.start:
        parts.append(replace(finding, end=other.start))
    if other.end < finding.end:
        parts.append(replace(finding, start=other.end))
    return parts


# what the document's own words overrule: names found by the model, a first-name list or a form's layout
WEAK_NAME_RULES = frozenset({"ner", "gazetteer", "form", "shape", "capitals"})


def decide_names(
    texts: dict[int, str], detected: dict[int, list[PiiFinding]], dictionary: frozenset[str] = frozenset()
) -> dict[int, list[PiiFinding]]:
    """The findings with each weakly found name narrowed to the words the document does not show
    to be vocabulary, code or terms (resources/pii_document.py); a name left without words goes,
    and so does a lone dictionary word ("Computing", "Beginner"). Names announced by their context
    ("Dear ...", "Name: ...", "Mr ...") stand as found."""
    tagged: Counter[str] = Counter()
    for page, text in texts.items():
        for finding in detected[page]:
            if finding.rule == "ner":
                tagged.update(text[start:end] for start, end in name_words(text, finding.start, finding.end))
    vocabulary = DocumentVocabulary(texts.values(), tagged, dictionary)
    doubtful = _context_names_shown_none(texts, detected, vocabulary)
    decided = {}
    for page, text in texts.items():
        kept = []
        for finding in detected[page]:
            if finding.rule == "surname_first" and not _register_entry(text, finding, vocabulary):
                continue
            if finding.rule == "context" and _all_code(text, finding, vocabulary):
                continue  # a label's option, not its name ("equivalent to -XM#")
            if id(finding) in doubtful:
                continue  # a manual's role word before a term ("user ID", "name Run"), not a name
            if finding.kind != "person" or finding.rule not in WEAK_NAME_RULES:
                kept.append(finding)
                continue
            found = name_words(text, finding.start, finding.end)
            capitals = sum(1 for start, end in found if text[start:end].isupper()) >= 2
            if finding.rule == "capitals":
                # its words were vetted as names in capitals (resources/pii_structure.py): only the document's
                # own use of them ("CHARITY OJO" once; "GLPK" throughout a manual) decides
                words = [w for w in found if not vocabulary.vocabulary_or_recurring(text[w[0] : w[1]])]
                words = words if len(words) == len(found) else []  # one word shown no name: none of it is
            else:
                words = [w for w in found if _may_be_name(text, w, vocabulary, capitals)]
            if len(words) == 1 and vocabulary.ordinary(text[words[0][0] : words[0][1]]):
                words = []
            if words:
                kept.append(replace(finding, start=words[0][0], end=words[-1][1]))
        decided[page] = kept
    return decided


# an acronym recurs ("NCBI, Uni..." in a manual); a surname in a register is written once or twice
MAX_SURNAME_FIRST_USES = 2


def _register_entry(text: str, finding: PiiFinding, vocabulary: DocumentVocabulary) -> bool:
    """Whether a "SURNAME, Given" finding holds: neither word is shown by the document to be no name."""
    surname, given = re.split(r",[ \t]*", text[finding.start : finding.end], maxsplit=1)
    return vocabulary.uses[surname] <= MAX_SURNAME_FIRST_USES and not vocabulary.not_a_name(given)


def _context_names_shown_none(
    texts: dict[int, str], detected: dict[int, list[PiiFinding]], vocabulary: DocumentVocabulary
) -> set[int]:
    """The context rule's names (by `id`) whose every word the document shows to be none (an acronym in
    capitals, a word it writes in lower case, code), when the document is not personal without them (v22).
    In a manual a role word ("user", "name") is vocabulary ("the effective user ID", "--map-user=uid|name
    Run the program"), and its dozens of "names" must not themselves make the document look personal;
    in a letter or form a context name stands as found."""
    shown_none = {
        id(finding)
        for page, text in texts.items()
        for finding in detected[page]
        if finding.rule == "context" and finding.kind == "person" and _shown_no_name(text, finding, vocabulary)
    }
    rest = {page: [f for f in findings if id(f) not in shown_none] for page, findings in detected.items()}
    return shown_none if personal_share(texts, rest) < PERSONAL_SHARE else set()


def _shown_no_name(text: str, finding: PiiFinding, vocabulary: DocumentVocabulary) -> bool:
    words = name_words(text, finding.start, finding.end)
    return bool(words) and all(vocabulary.not_a_name(text[start:end]) for start, end in words)


def _all_code(text: str, finding: PiiFinding, vocabulary: DocumentVocabulary) -> bool:
    words = re.findall(rf"[{LETTERS}]+", text[finding.start : finding.end])
    return bool(words) and all(word in vocabulary.code for word in words)


def _may_be_name(
    text: str, word: tuple[int, int], vocabulary: DocumentVocabulary, in_capitals_name: bool = False
) -> bool:
    """Neither the word nor the written token it was split from ("CoTaskMemAlloc") is shown not to be a name."""
    token = letter_run(text, *word)
    written, whole = text[word[0] : word[1]], text[token[0] : token[1]]
    return not vocabulary.not_a_name(written, in_capitals_name) and not vocabulary.not_a_name(whole, in_capitals_name)
