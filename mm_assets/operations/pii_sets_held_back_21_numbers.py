"""`held_back_21`'s numbers, each built by its own rule (check digits where it has them): identity and tax
numbers, payment cards, IBANs, and the network addresses a server's logs and configuration write.

None of these labels, layouts or check rules was in an earlier slice: the Mexican CURP (four letters, the date of
birth, the sex, the state, three consonants, a character that says the century, and a check over the seventeen
before it in RENAPO's 37-character table), the Mexican RFC of a person (four letters, the date, a two-character
homoclave and the SAT's mod-11 check), the Spanish social security number (`15/12345678/40`: a province of
Galicia, eight digits, the ten mod 97), the NHS number of England (ten digits, weights 10 to 2 mod 11) and the
Indonesian NIK (a region of Yogyakarta, the date of birth with 40 added to a woman's day, a serial; it has no
check digit). Cards of brands no slice wrote (Carnet, Indonesia's GPN, Dinacard, China T-Union's 19 digits,
Meeza) pass the Luhn test and are printed with dots, in fours or as six and thirteen. IBANs of Monaco (the
French RIB key inside), Timor-Leste (the two national check digits of Portugal's NIB), Ukraine, Israel and Jordan
carry their ISO 13616 check. Network addresses stand in a Postfix log (`connect from unknown[...]`), a WireGuard
peer's `Endpoint`, the first field of an nginx access log, an `X-Forwarded-For` header and the `inet6` line of
`ip addr`.
"""

from __future__ import annotations

import ipaddress
import random

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban
from mm_assets.operations.pii_sets_held_back_16_numbers import rib_key

CURP_CHARACTERS = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
RFC_CHARACTERS = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
# the states a CURP names (Puebla, Mexico City, Veracruz, Hidalgo, San Luis Potosí, born abroad)
_CURP_STATES = ("PL", "DF", "VZ", "HG", "SP", "NE")
_VOWELS, _CONSONANTS = "AEIOU", "BCDFGHJKLMNPQRSTVXZ"
# the provinces of Galicia in the social security number: A Coruña, Lugo, Ourense, Pontevedra
_GALICIAN_PROVINCES = ("15", "27", "32", "36")
# Yogyakarta's regions as the NIK writes them: the city's districts, Sleman, Bantul, Gunungkidul
_NIK_REGIONS = ("347101", "347105", "347112", "340402", "340409", "340210", "340306")
IBAN_COUNTRIES = ("MC", "TL", "UA", "IL", "JO")
# first bytes of Spanish, French, Polynesian, Mexican, Indonesian, British and Macanese blocks
_IPV4_FIRST = (85, 90, 202, 187, 36, 81, 60)
_IPV6_PREFIXES = ("2a0c:5a80", "2a01:e0a", "2806:10a6", "2001:448a", "2a02:c7c", "2405:9800")
# where a network address is written: a mail log, a WireGuard peer, an access log, a proxy header, `ip addr`
NETWORK_CONTEXTS = ("postfix", "wireguard", "nginx", "forwarded", "inet6")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def curp_check(seventeen: str) -> str:
    """The CURP's check: each character's place in the table times 18 less its position, summed; 10 less the
    sum mod 10 (10 is 0)."""
    total = sum(CURP_CHARACTERS.index(c) * (18 - i) for i, c in enumerate(seventeen))
    return str((10 - total % 10) % 10)


def mexican_curp(rng: random.Random, born: str) -> str:
    """A CURP: family-name letters (a consonant, a vowel, two consonants), YYMMDD, H or M, a state, three inner
    consonants, a digit for the 1900s or a letter from 2000, and the check."""
    letters = rng.choice(_CONSONANTS) + rng.choice(_VOWELS) + rng.choice(_CONSONANTS) + rng.choice(_CONSONANTS)
    inner = "".join(rng.choice(_CONSONANTS) for _ in range(3))
    century = rng.choice("0123456789") if born < "2000" else rng.choice("ABCDE")
    body = f"{letters}{born[2:]}{rng.choice('HM')}{rng.choice(_CURP_STATES)}{inner}{century}"
    return body + curp_check(body)


def rfc_check(twelve: str) -> str:
    """The RFC's check: a person's twelve characters (a company's eleven, a space before them), weights 13 down
    to 2 over the SAT's table, 11 less the sum mod 11 (11 is 0, 10 is A)."""
    padded = twelve.rjust(12) if len(twelve) == 11 else twelve
    total = sum(RFC_CHARACTERS.index(c) * (13 - i) for i, c in enumerate(padded))
    return {11: "0", 10: "A"}.get(11 - total % 11, str(11 - total % 11))


def mexican_rfc(rng: random.Random, born: str) -> str:
    """A person's RFC: four letters, YYMMDD, a homoclave of two characters, the check (13 characters)."""
    letters = rng.choice(_CONSONANTS) + rng.choice(_VOWELS) + rng.choice(_CONSONANTS) + rng.choice(_CONSONANTS)
    homoclave = "".join(rng.choice("123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    body = f"{letters}{born[2:]}{homoclave}"
    return body + rfc_check(body)


def spanish_social_security(rng: random.Random, _born: str) -> str:
    """`15/12345678/40`: a Galician province, eight digits, and the ten digits before them mod 97."""
    province, number = rng.choice(_GALICIAN_PROVINCES), f"{rng.randint(10_000_000, 99_999_999)}"
    check = int(province + number) % 97
    return rng.choice(("/", " ")).join((province, number, f"{check:02d}"))


def nhs_check(nine: str) -> int:
    """The NHS number's check: weights 10 down to 2, 11 less the sum mod 11 (11 is 0; 10 means no number)."""
    check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


def nhs_number(rng: random.Random, _born: str) -> str:
    """`943 476 5919`, drawn again while its check would be 10."""
    while (check := nhs_check(nine := f"{rng.randint(4, 9)}{_digits(rng, 8)}")) == 10:
        pass
    number = f"{nine}{check}"
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def indonesian_nik(rng: random.Random, born: str) -> str:
    """Sixteen digits: a region of Yogyakarta, DDMMYY with 40 added to a woman's day, a serial of four."""
    day = int(born[6:]) + (40 if rng.random() < 0.5 else 0)
    return f"{rng.choice(_NIK_REGIONS)}{day:02d}{born[4:6]}{born[2:4]}{rng.randint(1, 40):04d}"


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid Carnet, GPN, Dinacard, Meeza (16 digits, in fours with dots or spaces) or China T-Union
    (19 digits, six and thirteen as its cards print them)."""
    head = rng.choice(("506199", "639484", "9360", "9891", "507803", "31"))
    length = 19 if head == "31" else 16
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    if length == 19:
        return f"{number[:6]} {number[6:]}"
    return rng.choice((".", " ")).join(number[i : i + 4] for i in range(0, 16, 4))


def nib_check(digits: str) -> str:
    """The two national check digits of Portugal's NIB, as Timor-Leste's accounts carry them: 98 less the
    digits times 100 mod 97."""
    return f"{98 - int(digits) * 100 % 97:02d}"


def bank_account(rng: random.Random, country: str | None = None) -> str:
    """An IBAN of Monaco, Timor-Leste, Ukraine, Israel or Jordan (the one asked for, or one drawn), its national
    checks and ISO check valid."""
    country = country or rng.choice(IBAN_COUNTRIES)
    if country == "MC":
        bank, branch, account = rng.choice(("11222", "12739", "30003")), _digits(rng, 5), _digits(rng, 11)
        bban = f"{bank}{branch}{account}{rib_key(bank, branch, account)}"
    elif country == "TL":
        body = f"{rng.choice(('008', '010', '020'))}{_digits(rng, 14)}"
        bban = body + nib_check(body)
    elif country == "UA":
        bban = f"{rng.choice(('322313', '305299', '320649'))}{'0' * 5}{_digits(rng, 14)}"
    elif country == "IL":
        bban = f"{rng.choice(('010', '012', '020', '031'))}{_digits(rng, 16)}"
    else:
        bank = rng.choice(("CBJO", "ARAB", "HBHO"))
        bban = f"{bank}{_digits(rng, 4)}{'0' * 8}{_digits(rng, 10)}"
    return iban(country, bban)


def _ipv4(rng: random.Random) -> str:
    return f"{rng.choice(_IPV4_FIRST)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    prefix = rng.choice(_IPV6_PREFIXES)
    groups = prefix.split(":") + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8 - prefix.count(":") - 1)]
    return ipaddress.IPv6Address(":".join(groups)).compressed


def network_address(rng: random.Random, shape: str | None = None) -> tuple[str, str]:
    """(the address, as the log or configuration writes it): IPv4 in brackets after a Postfix `connect from`,
    after a WireGuard `Endpoint =` with its port, first in an nginx access log, first in an
    `X-Forwarded-For` list, or IPv6 with its prefix length in `ip addr`; in the context asked for, or one drawn."""
    shape = shape or rng.choice(NETWORK_CONTEXTS)
    if shape == "postfix":
        address = _ipv4(rng)
        return address, f"postfix/smtpd[{rng.randint(1000, 9999)}]: connect from unknown[{address}]"
    if shape == "wireguard":
        address = _ipv4(rng)
        return address, f"Endpoint = {address}:51820"
    if shape == "nginx":
        address = _ipv4(rng)
        stamp = f"{rng.randint(1, 30):02d}/Nov/2026"
        return address, f'{address} - - [{stamp}:0{rng.randint(0, 9)}:14:02 +0000] "GET /login HTTP/1.1" 200 512'
    if shape == "forwarded":
        address = _ipv4(rng)
        return address, f"X-Forwarded-For: {address}, 10.{rng.randint(0, 9)}.0.{rng.randint(2, 250)}"
    address = _ipv6(rng)
    return address, f"inet6 {address}/64 scope global dynamic noprefixroute"
