"""The independent coverage scanner of the `pii` check: what PII-shaped text is left after redaction.

Deliberately broader than the redactor and written apart from it (resources/pii*.py), so a gap in a
redactor rule shows up here instead of passing a re-scan with the same rule.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from resources.ocr import OcrSpan
from resources.pii_document import (
    LETTERS,
    LOWER,
    UPPER,
    DocumentVocabulary,
    date_word_spans,
    eponym_spans,
    eponyms,
)
from resources.pii_names import DEFAULT_NER_MODEL, NAME_STOPWORDS, english_words, ner_person_spans
from resources.pii_redaction import REDACTION_PAD_PX, estimate_sub_box, join_spans, replace_ranges
from resources.text_layer import page_characters

# Deliberately broader than the redactor, and written apart from it: a gap in a redactor rule shows
# up here instead of passing a re-scan with the same rule.
# 7+ digits, each pair at most one separator apart: phones, cards, accounts, IDs in any layout
LONG_NUMBER_RE = re.compile(r"(?<!\d)\d(?:[ ()（）.-]?\d){6,}(?!\d)")
# not PII by themselves: a date (a birth date after a label is the redactor's), and a document
# number made of a year and a sequence number ("Invoice 2024-117"). A date is day and month then a
# year of 2 or 4 digits, or a year first: an SSN's 3-2-4 groups ("123-45-6789") are no date.
NOT_PERSONAL_NUMBER_RE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}|(?:19|20)\d\d-\d{1,4}"
)
# measurements, not identifiers: scientific notation ("7.333e+02") and decimals with 5+ fraction
# digits ("3.14159"); no phone or card group is written that way. Masked before numbers are looked for.
DECIMAL_LITERAL_RE = re.compile(r"(?<![\d.])\d*\.\d+[eE][+-]?\d+|(?<![\d.,])\d{1,3}\.\d{5,}(?![\d.])")
# a local part and a domain of 2+ characters, the domain with a letter; no dot or TLD needed (OCR
# drops them). Not OCR noise around '@' on a photo of coins ("2a@G@", "6@0e8@@").
EMAIL_LIKE_RE = re.compile(r"[A-Za-z0-9._%+'-]{2,}@(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{2,}")
# a house number (OCR may read its 1s as l or I, its 0s as O) and capitalised words up to a street
# word, or a state + ZIP. The street word is
# a word of its own, or glued on capitalised ("12OakStreet" from OCR), never a word's tail ("Card").
_STREET_WORDS = (
    "street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace parkway "
    "circle highway square trail"
).split()
_GLUED_STREET_WORDS = "|".join([w.capitalize() for w in _STREET_WORDS] + [w.upper() for w in _STREET_WORDS])
STREET_SHAPE_RE = re.compile(
    rf"(?<![\w])\d[\dlIO]{{0,5}}(?:\s+|(?=[A-Z][a-z]{{2}}))(?:[A-Z][a-z]+\s*){{0,3}}[A-Z][a-z]+"
    rf"(?:\s+(?i:{'|'.join(_STREET_WORDS)})|(?:{_GLUED_STREET_WORDS}))(?![a-z])"
)
# a state and ZIP: spaced ("OK 13392"), or glued by OCR ("TX08423") when the letters are a US state
# or territory code; "PF01544" is a database identifier
US_STATE_CODES = frozenset(
    """AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC
    ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI FM MH PW AA AE AP""".split()
)
STATE_ZIP_RE = re.compile(r"(?<![A-Za-z])(?P<state>[A-Z]{2})(?P<gap>\s*)\d{5}(?!\d)")
# a name-like word: Maria, McDonald, O'Brien, Smith-Jones; not "U-factorization" (a hyphen joins
# capitalised parts only) and not an acronym
_CAPITALISED_WORD = rf"[{UPPER}](?:['’][{UPPER}])?[{LETTERS}]*[{LOWER}][{LETTERS}]*"
CAPITALISED_TOKEN_RE = re.compile(rf"{_CAPITALISED_WORD}(?:['’][{LETTERS}]+|-{_CAPITALISED_WORD})*")
ENTITY_RUN_BREAK_RE = re.compile(r"[^\w\s'’-]+")
# a row of a table or matrix: spaced groups of 1-2 digits, one of a single digit or six or more
# ("1 0 2 1 2 1 0", "25 16 12 22 7"); a phone or card is grouped in 3s and 4s. Documents only:
# speech read digit by digit reaches the scanner as exactly such a row.
TABLE_ROW_RE = re.compile(r"\d{1,2}(?: \d{1,2})+")
# hyphenated ISBNs ("978-3-540-59408-6", "3-540-59408-6") and identifiers of papers and objects
# after a path or a scheme ("math/0410334", "arXiv:0410334", "doi:10.1137/1.978...")
ISBN_RE = re.compile(r"(?:97[89]-)?\d{1,5}-\d{1,7}-\d{1,7}-[\dX]")
IDENTIFIER_BEFORE_RE = re.compile(r"(?i)(?:[a-z]/\s?|arxiv:\s?|doi:\s?|isbn(?:-1[03])?:?\s?|issn:?\s?)$")


@dataclass(frozen=True)
class CoverageScanner:
    """The independent scanner of `pii_redaction_coverage`.

    Flags any run of 7+ digits (dates and year-sequence numbers aside), any e-mail-like token, any
    address shape, and any capitalised word of a name the NER model tagged anywhere in the source.
    """

    ner_model: str | None = DEFAULT_NER_MODEL
    # documents: rows of tables are data; transcripts: spoken digits arrive spaced, so they are not
    table_rows_are_data: bool = True

    def name_tokens(self, source_texts: list[str]) -> set[str]:
        """Capitalised words of every PERSON entity the NER model tags in the unredacted source,
        less what the document itself shows is no name (resources/pii_document.py): words it also
        writes in lower case, code, heading words, terms the model tags in under half their uses,
        and a dictionary word left alone in its entity ("Computing", "Merge Debian")."""
        if self.ner_model is None:
            return set()
        # an entity's runs of words, split where anything but a space stands between ("Au = Av")
        entities = [
            [word.rstrip("'’-") for word in CAPITALISED_TOKEN_RE.findall(run)]
            for text in source_texts
            for start, end in ner_person_spans(text, self.ner_model)
            for run in ENTITY_RUN_BREAK_RE.split(text[start:end])
        ]
        entities = [[w for w in words if len(w) >= 2 and w.lower() not in NAME_STOPWORDS] for words in entities]
        vocabulary = DocumentVocabulary(
            source_texts, Counter(w for words in entities for w in words), english_words(self.ner_model)
        )
        tokens = set()
        for words in entities:
            kept = [word for word in words if not vocabulary.not_a_name(word)]
            if len(kept) == 1 and vocabulary.ordinary(kept[0]):
                continue
            tokens.update(kept)
        return tokens

    def findings(self, text: str, names: set[str]) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every PII-shaped stretch of the text."""
        numbers = DECIMAL_LITERAL_RE.sub(lambda m: "x" * len(m.group()), text)
        found = [
            (m.start(), m.end(), "number")
            for m in LONG_NUMBER_RE.finditer(numbers)
            if not NOT_PERSONAL_NUMBER_RE.fullmatch(m.group())
            and not is_counting_sequence(m.group())
            and not self.is_object_number(text, m)
        ]
        found += [(m.start(), m.end(), "email") for m in EMAIL_LIKE_RE.finditer(text)]
        found += [(m.start(), m.end(), "address") for m in STREET_SHAPE_RE.finditer(text)]
        found += [
            (m.start(), m.end(), "address")
            for m in STATE_ZIP_RE.finditer(text)
            if m.group("gap") or m.group("state") in US_STATE_CODES
        ]
        # a month or weekday before a date, and a method named after people, are no names where they stand
        terms = date_word_spans(text) + eponym_spans(text, eponyms(text))
        for name in names:
            pattern = rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])"
            found += [
                (m.start(), m.end(), "person")
                for m in re.finditer(pattern, text)
                if not any(start <= m.start() and m.end() <= end for start, end in terms)
            ]
        return found

    def is_object_number(self, text: str, match: re.Match[str]) -> bool:
        """A number that identifies a thing, not a person: a table row, a row of measurements or a
        ruler, a page range, an ISBN, a paper's id."""
        number = match.group()
        if self.table_rows_are_data and (is_measurement_row(number) or is_ruler(number)):
            return True
        if is_page_range(number):
            return True
        if self.table_rows_are_data and TABLE_ROW_RE.fullmatch(number):
            groups = number.split(" ")
            if min(len(g) for g in groups) == 1 or len(groups) >= 6:
                return True
        # six or more spaced groups of up to 4 digits ("10 11 20 19 680 664"): a table row; phones
        # and cards are written in at most five
        groups = number.split(" ")
        if self.table_rows_are_data and len(groups) >= 6 and all(g.isdigit() and len(g) <= 4 for g in groups):
            return True
        if ISBN_RE.fullmatch(number) and isbn_valid(number):
            return True
        return IDENTIFIER_BEFORE_RE.search(text[max(0, match.start() - 8) : match.start()]) is not None

    def leaks(self, text: str, names: set[str]) -> list[str]:
        """The kinds of PII-shaped things left in the text (never the values)."""
        kinds = {kind for _start, _end, kind in self.findings(text, names)}
        return [kind for kind in ("number", "email", "address", "person") if kind in kinds]


def isbn_valid(number: str) -> bool:
    """ISBN-10 (mod 11) or ISBN-13 (mod 10) check digit."""
    digits = number.replace("-", "")
    if len(digits) == 10:
        values = [10 if char == "X" else int(char) for char in digits]
        return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        return sum(int(char) * (1 if i % 2 == 0 else 3) for i, char in enumerate(digits)) % 10 == 0
    return False


# a decimal or a version among spaced groups ("1248 312.0", "2022 2.5.2"): measurements or versions;
# no phone or card group is written with one point inside a space-separated row
_DECIMAL_GROUP_RE = re.compile(r"\d{0,5}\.\d{1,3}|\d{1,2}(?:\.\d{1,2}){1,3}")


def is_measurement_row(number: str) -> bool:
    groups = number.split(" ")
    return len(groups) >= 2 and any(_DECIMAL_GROUP_RE.fullmatch(group) for group in groups)


def is_ruler(number: str) -> bool:
    """Spaced numbers rising in steps of one size ("10 20 30 40", "80 90 100 110 130"): an axis or a
    ruler. A phone or card is not a rising run of equal steps."""
    groups = number.split(" ")
    if len(groups) < 3 or not all(group.isdigit() for group in groups):
        return False
    values = [int(group) for group in groups]
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    return min(steps) > 0 and all(step % steps[0] == 0 for step in steps) and steps[0] >= 1


def is_page_range(number: str) -> bool:
    """Two numbers of one length joined by a hyphen, the second a little larger ("2444-2448")."""
    parts = number.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or len(parts[0]) != len(parts[1]):
        return False
    first, last = int(parts[0]), int(parts[1])
    return first < last <= first * 1.05


def is_counting_sequence(number: str) -> bool:
    """Single digits, spaced, counting up by one ("0 1 2 3 4 5 6 7 8 9"): a list or a ruler, not an ID
    (an unspaced "1234567" may well be an account number)."""
    if not re.fullmatch(r"\d(?:[ ,;]\d)+", number):
        return False
    digits = [int(d) for d in number[::2]]
    return all(b == a + 1 for a, b in zip(digits, digits[1:], strict=False))


KIND_ORDER = ("number", "email", "address", "person", "face")  # face: resources/faces.py


def coverage_verdict(spans: list[dict], unmasked: int, medium: str, **facts: int) -> tuple[bool, dict]:
    """(passed, metadata) of a coverage check over one artifact: every stretch found (masked by the
    asset, or still there: `unmasked`) by kind and place, never by value; passed when there is none."""
    kinds = [kind for kind in KIND_ORDER if any(span["kind"] == kind for span in spans)]
    metadata: dict = {"leaked_types": kinds, "spans": spans, "unmasked": unmasked, **facts}
    if unmasked:
        metadata["reason"] = f"PII-shaped {medium} still present after redaction: {', '.join(kinds)}"
    elif spans:
        metadata["reason"] = f"PII-shaped {medium} the redactor missed was masked: {', '.join(kinds)}"
    return (not spans, metadata)


@dataclass(frozen=True)
class Residual:
    """PII-shaped text the coverage scan found after redaction: its kind and where, never its value."""

    kind: str
    page: int
    bbox: tuple[float, float, float, float]  # pixels of the rendered page

    def as_json(self) -> dict:
        return {"kind": self.kind, "page": self.page, "bbox": [round(v, 1) for v in self.bbox]}


def residuals_in_spans(
    spans: list[OcrSpan], scanner: CoverageScanner, names: set[str]
) -> list[tuple[int, int, int, str]]:
    """(span index, start, end, kind) of every PII-shaped stretch the scanner finds in redacted
    spans, read a page at a time (joined as the redactor joins them) and cut at span edges."""
    found = []
    for page in dict.fromkeys(span.page for span in spans):
        indexes = [i for i, span in enumerate(spans) if span.page == page]
        text, ranges = join_spans([spans[i] for i in indexes])
        for start, end, kind in scanner.findings(text, names):
            for index, (span_start, span_end) in zip(indexes, ranges, strict=True):
                if max(start, span_start) < min(end, span_end):
                    found.append((index, max(start, span_start) - span_start, min(end, span_end) - span_start, kind))
    return found


def find_residuals(spans: list[OcrSpan], scanner: CoverageScanner, names: set[str]) -> list[Residual]:
    """Every PII-shaped stretch the scanner finds in the spans, boxed on its page."""
    return [
        Residual(kind, spans[index].page, estimate_sub_box(spans[index], start, end))
        for index, start, end, kind in residuals_in_spans(spans, scanner, names)
    ]


def mask_residuals(
    spans: list[OcrSpan], scanner: CoverageScanner, names: set[str]
) -> tuple[list[OcrSpan], list[Residual]]:
    """The redacted spans with whatever the scanner still finds replaced by "[KIND]", and the boxes
    of those stretches (to paint over on the page images): the fail-safe of the coverage check."""
    hits: dict[int, list[tuple[int, int, str]]] = {}
    residuals = []
    for index, start, end, kind in residuals_in_spans(spans, scanner, names):
        hits.setdefault(index, []).append((start, end, kind))
        residuals.append(Residual(kind, spans[index].page, estimate_sub_box(spans[index], start, end)))
    masked = [
        replace(span, text=replace_ranges(span.text, hits[i])) if i in hits else span for i, span in enumerate(spans)
    ]
    return masked, residuals


def uncovered_residuals(
    pdf: bytes, page: int, dpi: int, boxes: list[list[float]], scanner: CoverageScanner, names: set[str]
) -> list[Residual]:
    """PII on a born-digital page with a character outside every redaction box, each stretch boxed
    by its uncovered characters.

    The page's own characters and their boxes come from the text layer, so this needs no OCR: a
    character counts as covered when its centre lies inside a (padded) redaction box.
    """
    text, char_boxes = page_characters(pdf, page, dpi)
    pad = REDACTION_PAD_PX
    grown = [(x0 - pad, y0 - pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in boxes]
    residuals = []
    for start, end, kind in scanner.findings(text, names):
        uncovered = []
        for index in range(start, end):
            box = char_boxes[index]
            if box is None or text[index].isspace():
                continue
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in grown):
                uncovered.append(box)
        if uncovered:
            bbox = (
                min(b[0] for b in uncovered),
                min(b[1] for b in uncovered),
                max(b[2] for b in uncovered),
                max(b[3] for b in uncovered),
            )
            residuals.append(Residual(kind, page, bbox))
    return residuals
