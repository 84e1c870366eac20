"""PII detection and redaction over OCR output.

Pattern recognizers with validators (Luhn, mod-97, SSN ranges, octet ranges, label proximity)
always run; person names come from Presidio's analyzer and a spaCy model when enabled. Detection
runs over the joined text of a page so PII split across OCR words is still found, and every
finding is mapped back to the boxes of the spans it touches, so text and image are redacted alike.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import dagster as dg
from PIL import Image, ImageDraw

from resources.ocr import OcrSpan

PATTERNS_VERSION = "pii-patterns-v1"
KINDS = ("email", "phone", "card", "ssn", "iban", "ip", "dob", "person")

# how far (in characters) a value may start after its label ("DOB: ", "Phone ")
LABEL_WINDOW = 20
# a partly-PII line span is redacted to its edge when fewer characters than this remain there
EDGE_CHARS = 3
# padding of an estimated sub-box, in average character widths of its span
SUBBOX_PAD_CHARS = 1.0
# every redaction box grows this much beyond the span box (chars sideways, height up and down)
BOX_MARGIN_CHARS = 0.3
BOX_MARGIN_HEIGHT = 0.1


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # one of KINDS
    start: int  # char offsets into the text given
    end: int
    score: float


@dataclass(frozen=True)
class Redaction:
    kind: str
    page: int
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the page image


class PiiEngineUnavailable(Exception):
    """Presidio (or its spaCy model) was asked for but cannot be loaded here."""


class PiiDetector(dg.ConfigurableResource):
    """Finds PII in text and redacts it from OCR spans.

    Pattern recognizers are always on. With `use_presidio`, person names are added from
    Presidio's analyzer with the installed spaCy model `spacy_model` (never downloaded).
    """

    use_presidio: bool = False
    spacy_model: str = "en_core_web_sm"
    presidio_min_score: float = 0.5

    def model_id(self) -> str:
        if not self.use_presidio:
            return PATTERNS_VERSION
        _require_presidio(self.spacy_model)
        presidio = importlib.metadata.version("presidio-analyzer")
        model = importlib.metadata.version(self.spacy_model)
        return f"{PATTERNS_VERSION}+presidio-{presidio}+{self.spacy_model}-{model}"

    def find(self, text: str) -> list[PiiFinding]:
        """Non-overlapping findings sorted by start; overlaps keep the longest, then highest score."""
        candidates = [finding for recognizer in RECOGNIZERS for finding in recognizer(text)]
        if self.use_presidio:
            candidates += find_persons(text, self.spacy_model, self.presidio_min_score)
        return resolve_overlaps(candidates)

    def redact_spans(self, spans: list[OcrSpan]) -> tuple[list[OcrSpan], list[Redaction]]:
        """Redacted copies of the spans (PII replaced by "[KIND]") and the boxes to black out.

        Detection runs over each page's spans joined with spaces, so PII split across words
        is found; a finding covering part of a line span gets an estimated, padded sub-box.
        """
        redacted = list(spans)
        redactions: list[Redaction] = []
        for page in dict.fromkeys(span.page for span in spans):
            indexes = [i for i, span in enumerate(spans) if span.page == page]
            page_spans, page_redactions = self._redact_page([spans[i] for i in indexes])
            for i, span in zip(indexes, page_spans, strict=True):
                redacted[i] = span
            redactions += page_redactions
        return redacted, redactions

    def _redact_page(self, spans: list[OcrSpan]) -> tuple[list[OcrSpan], list[Redaction]]:
        text, ranges = join_spans(spans)
        hits: list[list[tuple[int, int, str]]] = [[] for _ in spans]
        redactions = []
        for finding in self.find(text):
            for index, (span_start, span_end) in enumerate(ranges):
                start, end = max(finding.start, span_start), min(finding.end, span_end)
                if start >= end:
                    continue
                local = (start - span_start, end - span_start)
                hits[index].append((*local, finding.kind))
                bbox = estimate_sub_box(spans[index], *local)
                redactions.append(Redaction(finding.kind, spans[index].page, bbox))
        redacted = [
            replace(span, text=_replace_ranges(span.text, span_hits)) if span_hits else span
            for span, span_hits in zip(spans, hits, strict=True)
        ]
        return redacted, redactions


def join_spans(spans: list[OcrSpan]) -> tuple[str, list[tuple[int, int]]]:
    """The spans' texts joined with single spaces, and each span's [start, end) in that text."""
    ranges = []
    cursor = 0
    for span in spans:
        ranges.append((cursor, cursor + len(span.text)))
        cursor += len(span.text) + 1
    return " ".join(span.text for span in spans), ranges


def estimate_sub_box(span: OcrSpan, start: int, end: int) -> tuple[float, float, float, float]:
    """Box of characters [start, end) of a span, estimated from glyph widths and padded.

    PII reaching within EDGE_CHARS of a span end is boxed to that end; every box is grown a
    little beyond the span box too, as OCR boxes can be a few pixels tight on the ink.
    Over-redacting a few pixels is fine, leaking is not.
    """
    x0, y0, x1, y1 = span.bbox
    length = max(1, len(span.text))
    char_width = (x1 - x0) / length
    left, right = x0, x1
    if start >= EDGE_CHARS or length - end >= EDGE_CHARS:
        weights = [_glyph_width(char) for char in span.text]
        total = sum(weights)
        pad = SUBBOX_PAD_CHARS * char_width
        if start >= EDGE_CHARS:
            left = x0 + (x1 - x0) * sum(weights[:start]) / total - pad
        if length - end >= EDGE_CHARS:
            right = x0 + (x1 - x0) * sum(weights[:end]) / total + pad
    margin_x, margin_y = BOX_MARGIN_CHARS * char_width, BOX_MARGIN_HEIGHT * (y1 - y0)
    return (max(0.0, left - margin_x), max(0.0, y0 - margin_y), right + margin_x, y1 + margin_y)


def _glyph_width(char: str) -> float:
    """Rough relative advance width of a glyph in common proportional fonts."""
    if char in " .,:;'|!ilIjft()[]":
        return 0.5
    if char in "MWmw@%" or char.isupper():
        return 1.3
    return 1.0


def redact_text(text: str, findings: list[PiiFinding]) -> str:
    """The text with each finding replaced by "[KIND]" (e.g. "[EMAIL]")."""
    return _replace_ranges(text, [(f.start, f.end, f.kind) for f in findings])


def _replace_ranges(text: str, ranges: list[tuple[int, int, str]]) -> str:
    merged: list[list[Any]] = []
    for start, end, kind in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    pieces, cursor = [], 0
    for start, end, kind in merged:
        pieces += [text[cursor:start], f"[{kind.upper()}]"]
        cursor = end
    return "".join(pieces) + text[cursor:]


def redact_image(image: Image.Image, boxes: list[tuple[float, float, float, float]], pad: int = 2) -> Image.Image:
    """A copy of the image with each box (grown by `pad` pixels) filled black.

    Images in modes other than 1, L, RGB and RGBA come back as RGB.
    """
    redacted = image.copy() if image.mode in ("1", "L", "RGB", "RGBA") else image.convert("RGB")
    draw = ImageDraw.Draw(redacted)
    width, height = redacted.size
    for x0, y0, x1, y1 in boxes:
        left, top = max(0.0, x0 - pad), max(0.0, y0 - pad)
        right, bottom = min(width - 1.0, x1 + pad), min(height - 1.0, y1 + pad)
        if right >= left and bottom >= top:
            draw.rectangle((left, top, right, bottom), fill="black")
    return redacted


def resolve_overlaps(candidates: list[PiiFinding]) -> list[PiiFinding]:
    """Keep the longest (then highest-scoring) of overlapping findings; sorted by start."""
    kept: list[PiiFinding] = []
    for finding in sorted(candidates, key=lambda f: (f.start - f.end, -f.score, f.start)):
        if all(finding.end <= other.start or other.end <= finding.start for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


# ---------------------------------------------------------------------------- recognizers


EMAIL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def find_emails(text: str) -> Iterator[PiiFinding]:
    for match in EMAIL_RE.finditer(text):
        local = match.group().split("@", 1)[0]
        if len(local) <= 64 and ".." not in local:
            yield PiiFinding("email", match.start(), match.end(), 0.95)


# +CC then 2-6 groups; OCR may drop the spaces, so separators are optional
PHONE_INTL_RE = re.compile(r"(?<![\d+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)")
# (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567
PHONE_US_RE = re.compile(r"(?<![\d+])(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)")
PHONE_LABEL_RE = re.compile(r"(?i)(?:phone|tel|mobile|mob|cell|fax)")
PHONE_BARE_RE = re.compile(r"(?<!\d)\+?\d[\d ()./-]{5,20}\d(?!\d)")


def find_phones(text: str) -> Iterator[PiiFinding]:
    for match in PHONE_INTL_RE.finditer(text):
        if 8 <= _digit_count(match.group()) <= 15:
            yield PiiFinding("phone", match.start(), match.end(), 0.8)
    for match in PHONE_US_RE.finditer(text):
        if match.group().lstrip("(")[0] in "23456789":  # NANP area codes start 2-9
            yield PiiFinding("phone", match.start(), match.end(), 0.75)
    # a bare digit run is a phone number only right after a phone label
    for match in find_after_label(text, PHONE_LABEL_RE, PHONE_BARE_RE):
        if 7 <= _digit_count(match.group()) <= 15:
            yield PiiFinding("phone", match.start(), match.end(), 0.7)


def _digit_count(value: str) -> int:
    return sum(char.isdigit() for char in value)


def find_after_label(
    text: str, label_re: re.Pattern[str], value_re: re.Pattern[str], window: int = LABEL_WINDOW
) -> Iterator[re.Match[str]]:
    """Matches of value_re that start within `window` characters after a match of label_re."""
    for label in label_re.finditer(text):
        for value in value_re.finditer(text, label.end()):
            if value.start() - label.end() > window:
                break
            yield value
            break


CARD_RUN_RE = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")


def find_cards(text: str) -> Iterator[PiiFinding]:
    """13-19 digits passing Luhn, inside runs of digit groups split by single spaces or dashes.

    Every window of whole groups is tried (longest first), so an expiry date or a reference
    number printed beside the card number does not hide it.
    """
    for run in CARD_RUN_RE.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run.group())]
        first = 0
        while first < len(groups):
            last = _longest_card_window(text, groups, first)
            if last is None:
                first += 1
                continue
            yield PiiFinding("card", groups[first][0], groups[last][1], 0.9)
            first = last + 1


def _longest_card_window(text: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """Index of the last group of the longest Luhn-valid window starting at `first`, if any."""
    longest, digits = None, ""
    for last in range(first, len(groups)):
        digits += text[groups[last][0] : groups[last][1]]
        if len(digits) > 19:
            break
        if len(digits) >= 13 and luhn_valid(digits):
            longest = last
    return longest


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


SSN_RE = re.compile(r"(?<!\d)(\d{3})[- ](\d{2})[- ](\d{4})(?!\d)")
SSN_LABEL_RE = re.compile(r"(?i)(?:ssn|social\s*security(?:\s*(?:number|no\.?))?)")
SSN_BARE_RE = re.compile(r"(?<!\d)(\d{3})(\d{2})(\d{4})(?!\d)")


def find_ssns(text: str) -> Iterator[PiiFinding]:
    for match in SSN_RE.finditer(text):
        if ssn_valid(*match.groups()):
            yield PiiFinding("ssn", match.start(), match.end(), 0.85)
    for match in find_after_label(text, SSN_LABEL_RE, SSN_BARE_RE):
        if ssn_valid(*match.groups()):
            yield PiiFinding("ssn", match.start(), match.end(), 0.8)


def ssn_valid(area: str, group: str, serial: str) -> bool:
    """US SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


# IBAN length per country (ISO 13616 registry)
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
IBAN_START_RE = re.compile(r"(?=([A-Z]{2})\d{2})")


def find_ibans(text: str) -> Iterator[PiiFinding]:
    """Country code + check digits + BBAN of the country's length (single spaces allowed),
    validated by ISO 7064 mod 97."""
    for start_match in IBAN_START_RE.finditer(text):
        length = IBAN_LENGTHS.get(start_match.group(1))
        if length is None:
            continue
        start = start_match.start()
        end = _take_iban_chars(text, start, length)
        if end is not None and iban_valid(text[start:end].replace(" ", "")):
            yield PiiFinding("iban", start, end, 0.9)


def _take_iban_chars(text: str, start: int, length: int) -> int | None:
    """End offset after `length` alphanumerics from start, or None if the run ends first."""
    taken, position = 0, start
    while taken < length and position < len(text):
        char = text[position]
        if char.isascii() and char.isalnum():
            taken += 1
        elif not (char == " " and position > start and text[position - 1] != " "):
            return None
        position += 1
    return position if taken == length else None


def iban_valid(iban: str) -> bool:
    if not iban.isascii() or not iban.isalnum() or IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


IPV4_RE = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)")
# one character class, no nested quantifiers: candidates are validated by ipaddress
IPV6_RE = re.compile(r"(?<![0-9A-Za-z:.])[0-9A-Fa-f:.]{2,}(?![0-9A-Za-z])")


def find_ips(text: str) -> Iterator[PiiFinding]:
    for match in IPV4_RE.finditer(text):
        if all(int(octet) <= 255 for octet in match.group().split(".")):
            yield PiiFinding("ip", match.start(), match.end(), 0.85)
    for match in IPV6_RE.finditer(text):
        candidate = match.group().rstrip(".")
        if candidate.count(":") >= 2 and len(candidate) <= 45 and _is_ipv6(candidate):
            yield PiiFinding("ip", match.start(), match.start() + len(candidate), 0.85)


def _is_ipv6(candidate: str) -> bool:
    if not any(char in "0123456789abcdefABCDEF" for char in candidate):
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


# labels may be glued to the value or to the previous word: OCR drops spaces
DOB_LABEL_RE = re.compile(
    r"(?i)(?:d\.?\s?o\.?\s?b\.?|date\s*of\s*birth|birth\s*date|birthday|born(?:\s*on)?"
    r"|geb(?:urtsdatum|oren)?\.?)"
)
_MONTH = r"(?:jan|feb|mar|mär|mrz|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez)[a-zä]*\.?"
DATE_RE = re.compile(
    r"(?i)(?<!\d)(?:"
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"
    r"|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s*{_MONTH}\s*,?\s*\d{{4}}"
    rf"|{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}}"
    r")(?!\d)"
)


def find_dobs(text: str) -> Iterator[PiiFinding]:
    """Dates only when they follow a birth label (DOB, date of birth, born, geb.)."""
    for match in find_after_label(text, DOB_LABEL_RE, DATE_RE):
        if _plausible_date(match.group()):
            yield PiiFinding("dob", match.start(), match.end(), 0.85)


def _plausible_date(value: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    if len(numbers) < 3:  # a month name stands in for one number
        return any(1 <= n <= 31 for n in numbers)
    if numbers[0] > 31:  # ISO year-month-day
        return 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31
    day_month = 1 <= numbers[0] <= 31 and 1 <= numbers[1] <= 12
    month_day = 1 <= numbers[0] <= 12 and 1 <= numbers[1] <= 31
    return day_month or month_day


RECOGNIZERS: tuple[Callable[[str], Iterator[PiiFinding]], ...] = (
    find_emails,
    find_phones,
    find_cards,
    find_ssns,
    find_ibans,
    find_ips,
    find_dobs,
)


# ---------------------------------------------------------------------------- presidio


def _require_presidio(spacy_model: str) -> None:
    if importlib.util.find_spec("presidio_analyzer") is None:
        raise PiiEngineUnavailable(
            "use_presidio=True needs presidio-analyzer: pip install presidio-analyzer==2.2.366 "
            "plus an installed spaCy model package; or set use_presidio=False"
        )
    if importlib.util.find_spec(spacy_model) is None:
        raise PiiEngineUnavailable(
            f"use_presidio=True needs the spaCy model package {spacy_model!r} installed "
            "(it is never downloaded at run time); install it with pip, or point spacy_model "
            "at an installed one"
        )


@cache
def _presidio_analyzer(spacy_model: str) -> Any:
    """Presidio's analyzer over the given installed spaCy model, loaded once per process."""
    _require_presidio(spacy_model)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": spacy_model}],
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


def find_persons(text: str, spacy_model: str, min_score: float) -> list[PiiFinding]:
    """Person names from Presidio's NER; the pattern kinds stay with our own recognizers."""
    results = _presidio_analyzer(spacy_model).analyze(text=text, language="en", entities=["PERSON"])
    return [PiiFinding("person", r.start, r.end, float(r.score)) for r in results if r.score >= min_score]
