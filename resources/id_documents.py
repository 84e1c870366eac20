"""Identity documents (passports, ID cards, driving licences) told from their OCR text and layout.

A page is an identity document when it carries a machine-readable zone (ICAO 9303: two lines of
44 or three lines of 30 characters of A-Z, 0-9 and '<' filler), or at least two different ID
keyword groups, or one keyword group on a card-shaped page (ID-1, 85.6 x 54 mm) with a face on
it. The verdict is the `sensitivity` governance column: search leaves such media out unless the
caller may see it. Signals are names of rules, never the text they matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID_DOCUMENT = "id_document"
SENSITIVITY_VALUES = (ID_DOCUMENT,)

# An MRZ line as OCR reads it: long runs of A-Z/0-9 with '<' fillers (OCR may drop or glue spaces).
MRZ_LINE_RE = re.compile(r"[A-Z0-9<]{25,46}")
MRZ_MIN_FILLERS = 3
MRZ_START_RE = re.compile(r"^(P[A-Z<]|I[A-Z<]|A[A-Z<]|C[A-Z<]|V[A-Z<])[A-Z<]{3}")
# A TD3 (passport) second line: number, check digit, nationality, birth date, check, sex, expiry, check.
MRZ_TD3_DATA_RE = re.compile(r"^[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{6}[0-9][MFX<][0-9]{6}[0-9]")

# Keyword groups, matched on the page text lower-cased with every space removed (OCR glues words:
# "Dateofbirth12AUG1974"); each group counts once however many of its words a page shows.
KEYWORD_GROUPS = {
    "passport": r"passport|passeport|pasaporte|reisepass",
    "identity_card": r"identitycard|idcard|carted.identit|personalausweis|documentodeidentidad",
    "driving_licence": r"driv(?:er'?s?|ing)licen[cs]e|permisdeconduire|f(?:u|ü|ue)hrerschein",
    "nationality": r"nationalit(?:y|é|e)|staatsangeh",
    "date_of_birth": r"dateofbirth|datedenaissance|geburtsdatum",
    "document_number": r"(?:passport|document|card|licen[cs]e)(?:no|number|nr)\b",
    "expiry": r"dateofexpiry|expirydate|expirationdate|validuntil",
    "issuing": r"issuingauthority|issuingstate|issuingcountry|dateofissue",
}
_KEYWORDS = {name: re.compile(pattern) for name, pattern in KEYWORD_GROUPS.items()}
# The document type keywords: one of them plus one other group is an ID document.
TYPE_GROUPS = ("passport", "identity_card", "driving_licence")
ID1_ASPECT = 85.6 / 54.0
ASPECT_TOLERANCE = 0.12


@dataclass(frozen=True)
class Sensitivity:
    value: str | None  # ID_DOCUMENT, or None: nothing sensitive found
    signals: tuple[str, ...]  # which rules fired (e.g. "mrz", "keyword:passport", "layout:id1_card_with_face")

    def as_json(self) -> dict:
        return {"sensitivity": self.value, "signals": list(self.signals)}


def mrz_lines(text: str) -> list[str]:
    """The MRZ-shaped lines of a page's text: long, upper case, with '<' fillers."""
    found = []
    for token in text.split():  # OCR spans are joined with spaces; an MRZ line is one span
        for match in MRZ_LINE_RE.finditer(token.upper()):
            if match.group().count("<") >= MRZ_MIN_FILLERS:
                found.append(match.group())
    return found


def has_mrz(text: str) -> bool:
    """Two MRZ-shaped lines (TD1 has three, TD2/TD3 two), or one that starts like a document code or
    reads like a passport's data line (OCR often drops the fillers of the name line)."""
    lines = mrz_lines(text)
    return len(lines) >= 2 or any(MRZ_START_RE.match(line) or MRZ_TD3_DATA_RE.match(line) for line in lines)


def keyword_groups(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text).lower()
    return {name for name, pattern in _KEYWORDS.items() if pattern.search(compact)}


def is_card_shaped(width: int, height: int) -> bool:
    long, short = max(width, height), max(1, min(width, height))
    return abs(long / short - ID1_ASPECT) <= ASPECT_TOLERANCE


def classify_page(text: str, size: tuple[int, int] | None = None, faces: int = 0) -> tuple[str, ...]:
    """The signals one page gives (empty: not an identity document)."""
    signals: list[str] = []
    if has_mrz(text):
        signals.append("mrz")
    groups = keyword_groups(text)
    types = groups & set(TYPE_GROUPS)
    if types and len(groups) >= 2:
        signals += [f"keyword:{name}" for name in sorted(groups)]
    elif groups and size is not None and faces and is_card_shaped(*size):
        signals += [f"keyword:{name}" for name in sorted(groups)] + ["layout:id1_card_with_face"]
    return tuple(signals)


def classify(pages: dict[int, str], sizes: dict[int, tuple[int, int]], faces: dict[int, int]) -> Sensitivity:
    """A source's sensitivity from each page's (unredacted) OCR text, page size and face count."""
    signals: list[str] = []
    for page, text in sorted(pages.items()):
        for signal in classify_page(text, sizes.get(page), faces.get(page, 0)):
            if signal not in signals:
                signals.append(signal)
    return Sensitivity(ID_DOCUMENT if signals else None, tuple(signals))
