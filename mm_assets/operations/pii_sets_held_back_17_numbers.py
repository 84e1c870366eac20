"""`held_back_17`'s numbers, each built by its own rule (check digits where it has them): identity and tax
numbers, passport machine-readable zones, payment cards, IBANs, and the network addresses a log writes.

None of these labels, layouts or check rules was in an earlier slice: the Rwandan national ID (16 digits: status,
year of birth, sex, serial, issue and two control digits), the Ugandan NIN (14 letters and digits), the
Guatemalan CUI of the DPI (a serial with a weighted mod-11 check, then the department and municipality), the
Paraguayan RUC (a tax number with a base-11 check after a hyphen), the Ugandan TIN, and a passport's
machine-readable zone (ICAO 9303 TD3: two lines of 44, check digits weighted 7-3-1). Cards of brands no slice
wrote (Elo, Troy, UATP's 15 digits printed 4-5-6, Dankort, RuPay, Hipercard) pass the Luhn test, some printed
with dots between the groups; IBANs of Guatemala, Brazil, Mauritius, the Seychelles (both end in a currency's
letters) and Egypt carry their ISO 13616 check. Network addresses are IPv4 with its prefix length, IPv4 mapped
into IPv6, IPv6 in brackets before a port, and MAC addresses in the three ways systems print them (counted as
`ip`: the segment's kind for an address that identifies a device).
"""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

# Guatemalan departments and how many municipalities each has (a CUI names one of them)
_GUATEMALA_DEPARTMENTS = {"01": 17, "15": 8, "16": 17, "17": 14}
# letters ICAO 9303 writes for letters outside A-Z that NFD does not take apart
_MRZ_LETTERS = str.maketrans({"ɣ": "G", "Ɣ": "G", "ɛ": "E", "Ɛ": "E", "ŋ": "N", "Ŋ": "N"})


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def rwanda_national_id(rng: random.Random, born: str, female: bool | None = None) -> str:
    """`1 1987 7 0012345 0 27`: 1 a citizen, the year of birth, 7 a woman and 8 a man, the serial of the
    birth year, how often the card was issued, and two control digits (their rule is not published)."""
    female = rng.random() < 0.5 if female is None else female
    return f"1 {born[:4]} {7 if female else 8} {_digits(rng, 7)} {rng.choice('0001')} {_digits(rng, 2)}"


def uganda_nin(rng: random.Random, born: str, female: bool | None = None) -> str:
    """`CF87045102NLEK`: C a citizen, M or F, the year of birth's last two digits, six digits, four letters."""
    female = rng.random() < 0.5 if female is None else female
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRTUVWXY") for _ in range(4))
    return f"C{'F' if female else 'M'}{born[2:4]}{_digits(rng, 6)}{letters}"


def cui_check(serial: str) -> int:
    """The CUI's check: the serial's digits weighted 2 to 9, mod 11 (a serial whose result is 10 is never issued)."""
    return sum(int(d) * (i + 2) for i, d in enumerate(serial)) % 11


def guatemala_cui(rng: random.Random) -> str:
    """`2456 78901 1601`: an 8-digit serial and its check, the department and the municipality (4-5-4)."""
    while True:
        serial = str(rng.randint(1, 9)) + _digits(rng, 7)
        check = cui_check(serial)
        if check < 10:
            break
    department = rng.choice(sorted(_GUATEMALA_DEPARTMENTS))
    number = f"{serial}{check}{department}{rng.randint(1, _GUATEMALA_DEPARTMENTS[department]):02d}"
    return f"{number[:4]} {number[4:9]} {number[9:]}"


def ruc_check(number: str) -> str:
    """The RUC's check (base 11): digits from the right weighted 2, 3 ... 11 and again, 11 minus the sum mod
    11, and 0 where that is 10 or 11."""
    total, weight = 0, 2
    for digit in reversed(number):
        total += int(digit) * weight
        weight = 2 if weight == 11 else weight + 1
    rest = total % 11
    return str(11 - rest if rest > 1 else 0)


def paraguay_ruc(rng: random.Random) -> str:
    """`4567890-1`: a person's cédula number as their tax number, a hyphen and the check."""
    number = str(rng.randint(800_000, 6_999_999))
    return f"{number}-{ruc_check(number)}"


def uganda_tin(rng: random.Random) -> str:
    """Ten digits, an individual's beginning `100` (no published check)."""
    return "100" + _digits(rng, 7)


def mrz_value(char: str) -> int:
    """A character's value in an MRZ check: digits as themselves, A-Z as 10-35, the filler `<` as 0."""
    if char.isdigit():
        return int(char)
    return 0 if char == "<" else ord(char) - ord("A") + 10


def mrz_check(field: str) -> str:
    """ICAO 9303's check digit: the values weighted 7, 3, 1 in turn, mod 10."""
    return str(sum(mrz_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def mrz_name(words: str) -> str:
    """A name as the zone writes it: capitals A-Z only, marks dropped, spaces and hyphens as `<`."""
    plain = unicodedata.normalize("NFD", words.translate(_MRZ_LETTERS).upper())
    kept = "".join(c for c in plain if c.isascii() and (c.isalpha() or c in " -"))
    return "<".join(kept.replace("-", " ").split())


def passport_mrz(
    rng: random.Random, surname: str, given: str, country: str, born: str, female: bool
) -> tuple[str, str]:
    """The two 44-character lines of a passport's data page: type, country, `SURNAME<<GIVEN`; then the
    number, nationality, birth date, sex, expiry and an optional number, each with its check, and the last
    digit a check over them all."""
    first = f"P<{country}{mrz_name(surname)}<<{mrz_name(given)}".ljust(44, "<")[:44]
    number = rng.choice("ABCP") + rng.choice("ABCDEFGH") + _digits(rng, 7)
    birth = born[2:]
    expiry = f"{rng.randint(27, 35)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    optional = "<" * 14
    second = (
        f"{number}{mrz_check(number)}{country}{birth}{mrz_check(birth)}{'F' if female else 'M'}"
        f"{expiry}{mrz_check(expiry)}{optional}{mrz_check(optional)}"
    )
    composite = second[0:10] + second[13:20] + second[21:43]
    return first, second + mrz_check(composite)


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid Elo, Troy, Dankort, RuPay or Hipercard number (16 digits, in fours with spaces, dots or
    nothing between) or a UATP card (15 digits beginning 1, printed 4-5-6)."""
    kind = rng.choice(("elo", "troy", "uatp", "dankort", "rupay", "hipercard"))
    head = {
        "elo": rng.choice(("636368", "504175", "509048", "627780")),
        "troy": "9792",
        "uatp": "1",
        "dankort": "5019",
        "rupay": rng.choice(("5085", "5086", "5087")),
        "hipercard": "606282",
    }[kind]
    length = 15 if kind == "uatp" else 16
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    if kind == "uatp":
        return f"{number[:4]} {number[4:9]} {number[9:]}"
    return rng.choice((" ", ".", "", " ")).join(number[i : i + 4] for i in range(0, 16, 4))


def bank_account(rng: random.Random) -> str:
    """An IBAN of Guatemala, Brazil (account type and holder last), Mauritius or the Seychelles (a currency's
    letters last) or Egypt, its check digits valid."""
    country, bban = rng.choice(
        (
            ("GT", f"{rng.choice(('BRRL', 'INDL', 'GTCO', 'AGRO'))}0101{_digits(rng, 16)}"),
            ("BR", f"{_digits(rng, 8)}{_digits(rng, 5)}{_digits(rng, 10)}{rng.choice('CP')}{rng.choice('12')}"),
            ("MU", f"{rng.choice(('BOMM', 'MCBL', 'SBMM'))}{_digits(rng, 2)}{_digits(rng, 2)}{_digits(rng, 12)}000MUR"),
            ("SC", f"{rng.choice(('SSCB', 'BAHL', 'NOVH'))}{_digits(rng, 2)}{_digits(rng, 2)}{_digits(rng, 16)}SCR"),
            ("EG", f"{_digits(rng, 4)}{_digits(rng, 4)}{_digits(rng, 17)}"),
        )
    )
    return iban(country, bban)


def _ipv4(rng: random.Random) -> str:
    # first bytes of African and Latin American public blocks no slice used
    first = rng.choice((102, 105, 181, 190, 200))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def mac_address(rng: random.Random) -> str:
    """Six bytes as Linux (`3c:52:82:1a:7f:0e`), Windows (`3C-52-82-1A-7F-0E`) or a switch (`3c52.821a.7f0e`)
    prints them."""
    octets = [f"{rng.randint(0, 255):02x}" for _ in range(6)]
    octets[0] = f"{int(octets[0], 16) & 0xFC:02x}"  # a globally administered, unicast address
    style = rng.choice(("colon", "hyphen", "dotted"))
    if style == "colon":
        return ":".join(octets)
    if style == "hyphen":
        return "-".join(octets).upper()
    joined = "".join(octets)
    return ".".join(joined[i : i + 4] for i in range(0, 12, 4))


def network_address(rng: random.Random) -> tuple[str, str]:
    """(the address, as the log writes it): IPv4 and its prefix length, IPv4 mapped into IPv6, IPv6 in
    brackets before a port, or a device's MAC address."""
    shape = rng.choice(("cidr", "mapped", "bracketed", "mac"))
    if shape == "cidr":
        address = _ipv4(rng)
        return address, f"{address}/{rng.choice((22, 24, 26, 28))}"
    if shape == "mapped":
        address = f"::ffff:{_ipv4(rng)}"
        return address, address
    if shape == "bracketed":
        head = rng.choice(("2800:", "2803:", "2001:43f8:"))
        address = head + ":".join(f"{rng.randint(1, 0xFFFF):x}" for _ in range(2)) + f"::{rng.randint(1, 0xFF):x}"
        return address, f"[{address}]:{rng.choice((8443, 8080, 4443, 9443))}"
    address = mac_address(rng)
    return address, address
