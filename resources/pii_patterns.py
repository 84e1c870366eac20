"""PII pattern recognizers: e-mails, phones, cards, SSNs, IBANs, IPs, birth dates and street addresses.

Each recognizer reads text and yields findings with character offsets; validators (Luhn, mod-97,
SSN ranges, octet ranges, label proximity) keep near misses out. OCR drops spaces, so `unglue`
gives word rules a copy with spaces put back, and `map_back` returns their offsets to the original.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from resources.pii_document import LETTERS, LOWER, UPPER

# how far (in characters) a value may start after its label ("DOB: ", "Phone ")
LABEL_WINDOW = 20


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # one of KINDS
    start: int  # char offsets into the text given
    end: int
    score: float
    rule: str = ""  # what found it, for the document-level name decision ("ner", "context", ...)


# OCR drops spaces ("DelivertoTamaraMorales 321HollyMotorway,Onealton,TX08423"): names and addresses
# are looked for in a copy with spaces put back at case, digit and punctuation seams.
GLUE_SEAM_RE = re.compile(
    rf"(?<=[{LOWER}]{{2}})(?=[{UPPER}])|(?<=\d)(?=[{UPPER}][{LOWER}])|(?<=[{LETTERS}]{{2}})(?=\d{{5}}(?!\d))"
    rf"|(?<=[,;:.])(?=[{LETTERS}0-9])"
)


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


def map_back(findings: list[PiiFinding], offsets: list[int]) -> list[PiiFinding]:
    return [replace(f, start=offsets[f.start], end=offsets[f.end - 1] + 1) for f in findings if f.end > f.start]


# ---------------------------------------------------------------------------- recognizers


# the top-level domain may hold a digit OCR read for a letter ("example.c0m")
EMAIL_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,}"
)


def find_emails(text: str) -> Iterator[PiiFinding]:
    for match in EMAIL_RE.finditer(text):
        local = match.group().split("@", 1)[0]
        if len(local) <= 64:  # (a doubled dot is no valid address, but one written down still names someone)
            yield PiiFinding("email", match.start(), match.end(), 0.95)


# +CC then 2-6 groups; OCR may drop the spaces, so separators are optional
# an extension ("x974", "ext. 12") belongs to the number
_EXTENSION = r"(?:\s?(?i:x|ext\.?|extension)\s?\d{1,6}(?!\d))?"
# (its country code may stand in brackets: "(+995) 565-38-15-52")
PHONE_INTL_RE = re.compile(rf"(?<![\d+])(?:\((?=\+))?\+\d{{1,3}}\)?(?:[ .-]?\(?\d{{1,4}}\)?){{2,6}}(?!\d){_EXTENSION}")
# (064) 350-0860, call(064)350-0860, 1-555-123-4567, 555.123.4567, 555 123 4567, 5551234567:
# phone-shaped is a phone whatever the area code (recall first; OCR garbles and invents codes, and
# reads a bracket as its full-width form: "(791）394-8587")
PHONE_US_RE = re.compile(
    r"(?<![\d+])(?:0{0,2}1[ .-]?)?(?:[(（]\s?\d{3}\s?[)）]\s?[.-]?\s?|\d{3}\s?[.-]?\s?)\d{3}\s?[.-]?\s?\d{4}(?![\d-])"
    + _EXTENSION
)
# a local 7-digit number written like one: 555-0134, 555 0134
PHONE_LOCAL_RE = re.compile(r"(?<![\d.,+-])\d{3}[ .-]\d{4}(?![\d-]|\.\d)")
# a national number with its trunk zero, in groups: 0429-782-607, 030 1234 5678, 01 23 45 67 89
# (a trunk zero is followed by an area code, not by more zeros: "000-12-3456" is an invalid SSN)
PHONE_TRUNK_RE = re.compile(
    r"(?<![\d.,/+-])(?<!\d[ -])(?!\d{3}-\d{2}-\d{4}(?!\d))0[1-9]\d{0,3}(?:[ -]\d{2,4}){2,4}(?![\d-]|\.\d)"
)
# a national number with its trunk zero and area code in brackets: "(06066) 73069", "(030) 1234 5678"
PHONE_BRACKETED_TRUNK_RE = re.compile(r"(?<![\d(])\(0\d{1,4}\)[ \t]?\d{2,4}(?:[ -]?\d{2,4}){0,3}(?![\d-]|\.\d)")
PHONE_LABEL_RE = re.compile(r"(?i)(?:phone|tel|mobile|mob|cell|fax|call|text|whatsapp)")
PHONE_BARE_RE = re.compile(r"(?<!\d)\+?\d[\d ()./-]{5,20}\d(?!\d)")


def find_phones(text: str) -> Iterator[PiiFinding]:
    for pattern, (low, high), score in (
        (PHONE_INTL_RE, (8, 15), 0.8),
        (PHONE_TRUNK_RE, (9, 12), 0.6),
        (PHONE_BRACKETED_TRUNK_RE, (8, 12), 0.6),
    ):
        for match in pattern.finditer(text):
            end = _phone_end(match, low, high)
            if end is not None:
                yield PiiFinding("phone", match.start(), end, score)
    for match in PHONE_US_RE.finditer(text):
        yield PiiFinding("phone", match.start(), match.end(), 0.75)
    for match in PHONE_LOCAL_RE.finditer(text):
        yield PiiFinding("phone", match.start(), match.end(), 0.6)
    # a bare digit run is a phone number only right after a phone label
    for match in find_after_label(text, PHONE_LABEL_RE, PHONE_BARE_RE):
        if 7 <= _digit_count(match.group()) <= 15:
            yield PiiFinding("phone", match.start(), match.end(), 0.7)


def _phone_end(match: re.Match[str], low: int, high: int) -> int | None:
    """The end of the phone number a match holds: all of it when its digits are a phone's count, else (v18) its
    longest run of whole groups that is. A table's next column (an identity number, an amount) glued on by OCR's
    single spaces (`+975 17 52 11 80 112-233-445 95`) made the whole too long, and the phone was dropped with it."""
    if low <= _digit_count(match.group()) <= high:
        return match.end()
    ends = [group.end() for group in re.finditer(r"\d+", match.group())]
    fitting = [end for end in ends if low <= _digit_count(match.group()[:end]) <= high]
    return match.start() + fitting[-1] if fitting else None


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


# cards are printed in groups of 4 (Amex 4-6-5); spoken ones reach here joined into one group
MIN_CARD_GROUP_DIGITS = 3
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
            if last is None or _is_scale(text, groups[first : last + 1]):
                first += 1
                continue
            yield PiiFinding("card", groups[first][0], groups[last][1], 0.9)
            first = last + 1


def _longest_card_window(text: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """Index of the last group of the longest Luhn-valid window starting at `first`, if any."""
    longest, digits = None, ""
    for last in range(first, len(groups)):
        if groups[last][1] - groups[last][0] < MIN_CARD_GROUP_DIGITS:
            break  # a row of a table or matrix ("1 0 2 1 2 ..."), or an expiry date after the card
        digits += text[groups[last][0] : groups[last][1]]
        if len(digits) > 19:
            break
        if len(digits) >= 13 and luhn_valid(digits):
            longest = last
    return longest


# a run of numbers this long or longer that rises or falls by one step is the scale of a ruler or an axis
MIN_SCALE_GROUPS = 4


def _is_scale(text: str, groups: list[tuple[int, int]]) -> bool:
    """Whether the groups count by one step ("120 130 140 150 160" over an alignment): the ticks of a
    scale pass Luhn now and then, and no card number is written that way."""
    values = [int(text[start:end]) for start, end in groups]
    steps = {later - earlier for earlier, later in zip(values, values[1:], strict=False)}
    return len(values) >= MIN_SCALE_GROUPS and len(steps) == 1 and 0 not in steps


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


# (v18) a country outside the registry's list (Senegal, Côte d'Ivoire, Mali, ... write IBANs of their own, under
# the same check): the whole run of letters and digits, 15 to 34 of them, at least 10 digits, passing mod 97
UNLISTED_IBAN_CHARS = (15, 34)
MIN_UNLISTED_IBAN_DIGITS = 10
# whole groups of capitals and digits split by single spaces (not the capital that opens the next word)
_UNLISTED_IBAN_RUN_RE = re.compile(r"[A-Z0-9]+(?: [A-Z0-9]+(?![a-z]))*(?![a-z])")


def find_ibans(text: str) -> Iterator[PiiFinding]:
    """Country code + check digits + BBAN of the country's length (single spaces allowed),
    validated by ISO 7064 mod 97; a country the registry does not list, by its whole run."""
    for start_match in IBAN_START_RE.finditer(text):
        start = start_match.start()
        length = IBAN_LENGTHS.get(start_match.group(1))
        if length is None:
            end = _unlisted_iban_end(text, start)
            if end is not None:
                yield PiiFinding("iban", start, end, 0.8)
            continue
        end = _take_iban_chars(text, start, length)
        if end is not None and any(iban_valid(value) for value in _read_as_iban(text[start:end].replace(" ", ""))):
            yield PiiFinding("iban", start, end, 0.9)


# (v18) OCR writes a capital I of a bank code as a small l (`IQ44 NBlQ 8218 …`): an IBAN has no small letter, so
# each is read as the capital it stands for, or as the digit it looks like
_OCR_IBAN_READINGS = (str.maketrans({"l": "I", "o": "O"}), str.maketrans({"l": "1", "o": "0", "O": "0"}))


def _read_as_iban(value: str) -> list[str]:
    """The value, and where it holds OCR's small letters, its readings as capitals and as digits."""
    if not any(char.islower() for char in value):
        return [value]
    return [value, *(value.translate(reading) for reading in _OCR_IBAN_READINGS)]


def _unlisted_iban_end(text: str, start: int) -> int | None:
    """The end of an IBAN of a country the registry does not list: the whole run from `start` (groups split by
    single spaces), its length and digits those of an IBAN, passing mod 97."""
    run = _UNLISTED_IBAN_RUN_RE.match(text[start : start + 50])
    # not from inside a longer run of capitals and digits (a hash, a code), unless that run is the label (`IBANSN08…`)
    inside = start > 0 and text[start - 1].isalnum() and not text[start - 1].islower()
    if not run or (inside and text[max(0, start - 4) : start].upper() != "IBAN"):
        return None
    value = run.group().replace(" ", "")
    low, high = UNLISTED_IBAN_CHARS
    digits = sum(char.isdigit() for char in value)
    if not low <= len(value) <= high or digits < MIN_UNLISTED_IBAN_DIGITS or not _mod97_valid(value):
        return None
    return start + len(run.group())


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
    return _mod97_valid(iban)


def _mod97_valid(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


IPV4_RE = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)")
# one character class, no nested quantifiers: candidates are validated by ipaddress
IPV6_RE = re.compile(r"(?<![0-9A-Za-z:.])[0-9A-Fa-f:.]{2,}(?![0-9A-Za-z])")


# (v18) an IPv6 address written in full (eight groups) that OCR glued to the words around it
# (`Submittedonlinefrom2a02:0c7f:…:c365on`); in full only, so `std::` and `Foo::Bar` stay code
IPV6_FULL_GLUED_RE = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}(?![0-9A-Fa-f:])")


def find_ips(text: str) -> Iterator[PiiFinding]:
    for match in IPV4_RE.finditer(text):
        if all(int(octet) <= 255 for octet in match.group().split(".")) and not _is_section_number(text, match):
            yield PiiFinding("ip", match.start(), match.end(), 0.85)
    for match in IPV6_RE.finditer(text):
        candidate = match.group().rstrip(".")
        if candidate.count(":") >= 2 and len(candidate) <= 45 and _is_ipv6(candidate):
            yield PiiFinding("ip", match.start(), match.start() + len(candidate), 0.85)
    for match in IPV6_FULL_GLUED_RE.finditer(text):
        yield PiiFinding("ip", match.start(), match.end(), 0.85)


# "2.9.0.1 Analog Inputs", "2.9.0.1 set2rtime": small numbers opening a heading; a version, a section
# or page reference ("v2.10.0.1", "section 3.0.3.1"): not an address
SECTION_MAX_PART = 30
_TITLE_AFTER_RE = re.compile(r"[ \t]+[A-Za-z]")
_VERSION_BEFORE_RE = re.compile(
    r"(?i)(?<![a-z])(?:version|release|ver\.?|v|section|sect\.?|chapter|ch\.?|§|figure|fig\.?|table|page|pp?\.|step)\s*$"
)


def _is_section_number(text: str, match: re.Match[str]) -> bool:
    if _VERSION_BEFORE_RE.search(text[max(0, match.start() - 12) : match.start()]):
        return True
    small = all(int(part) <= SECTION_MAX_PART for part in match.group().split("."))
    before = text[: match.start()].rstrip()
    opens_heading = not before or not before[-1].isalpha()  # after a sentence, a page number, a line
    return small and opens_heading and _TITLE_AFTER_RE.match(text, match.end()) is not None


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
_SUFFIX_WORDS = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
# a street word is capitalised ("Main Street", "Oak St.") or, on a form in capitals, in capitals
# ("MAIN ST"); "3 squares", "14 walk" and "200kHz Square" are no addresses
_SUFFIX = rf"(?=[A-Z][a-z])(?i:(?:{_SUFFIX_WORDS})s?)(?![a-z])\.?"
_CAPS_SUFFIX = rf"(?:{_SUFFIX_WORDS.upper()})S?(?![A-Za-z])\.?"
# in capitals a street word glued to the word before it is written out ("MAINSTREET"): a glued abbreviation
# is a word's tail ("FASTA", "BLAST", "YEAST" are no "FA STA", "BLA ST", "YEA ST")
_LONG_SUFFIX_WORDS = "|".join(sorted((w for w in STREET_SUFFIXES if len(w) >= 4), key=len, reverse=True))
_CAPS_GLUED_SUFFIX = rf"(?:{_LONG_SUFFIX_WORDS.upper()})S?(?![A-Za-z])\.?"
# OCR reads a 1 as l or I and a 0 as O inside numbers ("7lll Salvador Street")
_HOUSE_NUMBER = r"(?<![\d.,-])\d(?:[\d]|[lIO](?=[\dlIO]*(?:\s|[A-Z]))){0,5}(?:[A-Za-z](?![A-Za-z]))?(?:-\d{1,4})?"
_DIRECTION = r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
# a street named after someone keeps the particles of the name: "407 van 't Erve Court", "12 de la Cruz Way"
_STREET_PARTICLES = r"(?:(?:van|von|de|der|den|la|le|du|da|di|del|dos|das|ter|ten)\s*|['’]t\s+)*"
_STREET_WORD = rf"(?:{_STREET_PARTICLES}[{UPPER}][{LOWER}'’.-]*|\d{{1,3}}(?:st|nd|rd|th))"
_CAPS_STREET_WORD = r"(?:[A-Z][A-Z'’.-]+|\d{1,3}(?:ST|ND|RD|TH))"
_UNIT = r"(?:\s*,?\s*(?i:apt|apartment|suite|ste|unit|floor|fl|room|rm|bldg|building|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6})"
_CITY = rf"[{UPPER}][{LETTERS}'’.-]*(?:\s+[{UPPER}][{LETTERS}'’.-]*){{0,2}}"
# US states as people say them (an address read aloud names its state in full)
US_STATE_NAMES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
    "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota "
    "Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah "
    "Vermont Virginia Washington Wisconsin Wyoming"
).split() + ["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
             "Rhode Island", "South Carolina", "South Dakota", "West Virginia"]  # fmt: skip
_STATE_NAME = "|".join(name.replace(" ", r"\s+") for name in sorted(US_STATE_NAMES, key=len, reverse=True))
# the state may be OCR-garbled ("oK", "Ml", "0K") where a comma sets it apart
_STATE = rf"(?:,\s*(?:[A-Za-z][A-Za-z0-9]|[0-9][A-Za-z])|,?\s*[A-Z]{{2}}|,?\s*(?i:{_STATE_NAME}))"
_CITY_STATE_ZIP = rf"{_CITY}\s*{_STATE}\s*\d{{5}}(?:-\d{{1,4}})?(?!\d)"
# a unit written before the street: "Apt 17A, 5077 Hermann Parkway", "Level 9, 3 Oak Court"
_UNIT_FIRST = r"(?:(?<![A-Za-z])(?i:apt|apartment|suite|unit|level|flat|floor)\.?\s*#?\s*[A-Za-z0-9-]{1,5}\s*,?\s*)?"
ADDRESS_RE = re.compile(
    rf"{_UNIT_FIRST}{_HOUSE_NUMBER}\s*{_DIRECTION}(?:{_STREET_WORD}(?:\s*{_STREET_WORD}){{0,3}}?\s*{_SUFFIX}"
    rf"|{_CAPS_STREET_WORD}(?:\s*{_CAPS_STREET_WORD}){{0,3}}?(?:\s+{_CAPS_SUFFIX}|{_CAPS_GLUED_SUFFIX}))"
    rf"{_UNIT}?(?:\s*,?\s*{_CITY_STATE_ZIP})?"
)
# a street whose suffix we do not know is still an address when a "City, ST 12345" follows it
ADDRESS_WITH_CITY_RE = re.compile(
    rf"{_UNIT_FIRST}{_HOUSE_NUMBER}\s*{_DIRECTION}(?:{_STREET_WORD}\s*){{1,4}}{_UNIT}?\s*,?\s*{_CITY_STATE_ZIP}"
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
