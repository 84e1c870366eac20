"""Machine-written identifiers that no label announces (pii-patterns-v19): a travel document's machine-readable
zone and a device's hardware (MAC) address.

Why: held_back_17's misses (issue 18) were a passport's second MRZ line, where v18 took the digit runs and left
the letters and check digits between them, and MAC addresses, which no network rule read. Both have a fixed
shape that plain prose never takes, so they are found by shape wherever they stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_patterns import PiiFinding, find_ips, find_ssns

# ICAO 9303 zones: lines of 30 (TD1), 36 (TD2) or 44 (TD3) capitals, digits and the filler `<`; a run of 25 or
# more of them with a filler pair in it is such a line (or what OCR kept of one)
_MRZ_LINE_RE = re.compile(r"(?<![A-Za-z0-9<])[A-Z0-9<]{25,44}(?![A-Za-z0-9<])")
# six bytes as Linux (`3c:52:82:1a:7f:0e`) or Windows (`3C-52-82-1A-7F-0E`) prints them, or a switch's
# three dotted groups (`3c52.821a.7f0e`)
_MAC_SEPARATED_RE = re.compile(
    r"(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])"
)
_MAC_DOTTED_RE = re.compile(r"(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.\w)")


def find_mrz_lines(text: str) -> Iterator[PiiFinding]:
    """A machine-readable zone's line: it holds the document number, birth date and name, each with checks."""
    for match in _MRZ_LINE_RE.finditer(text):
        if "<<" in match.group():
            yield PiiFinding("id", match.start(), match.end(), 0.8, "mrz")


def find_mac_addresses(text: str) -> Iterator[PiiFinding]:
    """A device's hardware address identifies it (and its owner) as an IP address does: counted as `ip`.
    The dotted form needs a hex letter, so that a dotted number (`2024.1101.0001`) stays."""
    for match in _MAC_SEPARATED_RE.finditer(text):
        yield PiiFinding("ip", match.start(), match.end(), 0.8, "mac")
    for match in _MAC_DOTTED_RE.finditer(text):
        if re.search(r"[A-Fa-f]", match.group()):
            yield PiiFinding("ip", match.start(), match.end(), 0.8, "mac")


def find_network_ids(text: str) -> Iterator[PiiFinding]:
    """The `ip` rule: IP addresses and MAC addresses."""
    yield from find_ips(text)
    yield from find_mac_addresses(text)


def find_identity_numbers(text: str) -> Iterator[PiiFinding]:
    """The `ssn` rule: SSNs and machine-readable zone lines."""
    yield from find_ssns(text)
    yield from find_mrz_lines(text)
