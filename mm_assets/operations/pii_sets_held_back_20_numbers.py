"""`held_back_20`'s numbers, each built by its own rule (check digits where it has them): identity numbers,
payment cards, IBANs, and the network addresses a server's logs and configuration write.

None of these labels, layouts or check rules was in an earlier slice: the Polish PESEL (the date of birth with
the century in the month, a serial whose last digit says the sex, weights 1-3-7-9), the Spanish DNI and NIE
(eight digits, or X/Y/Z and seven, and a letter of the number mod 23), the Brazilian CPF (`123.456.789-09`,
two mod-11 checks), the Finnish personal identity code (`131052-308T`: the date, the century's sign, a check
character of the number mod 31), the Belgian national number (`87.03.12-123.45`: the date, a serial odd for a
man, 97 less the number mod 97, a 2 in front for those born from 2000) and the Estonian personal code (the
century and sex in its first digit, the date, a check of two weight rounds). Cards of brands no slice wrote
(UnionPay's 16 and 19 digits, Cabal, Prostir, ArCa, InstaPayment) pass the Luhn test; IBANs of Spain (with
the two national control digits inside), Finland (a Luhn digit inside), Estonia, Poland (a sort code with its
own check digit) and Kazakhstan carry their ISO 13616 check. Network addresses are IPv4 after `rhost=` in a
PAM failure, IPv4 mapped into IPv6 as a Node server logs it, a global IPv6 address in brackets in a URL, IPv4
before `/32` in a firewall rule, and a MAC address in a dhcpd host entry (counted as `ip`: the segment's kind
for an address that identifies a device).
"""

from __future__ import annotations

import ipaddress
import random

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

_PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
HETU_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_ESTONIAN_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
_ESTONIAN_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)
_SPANISH_CONTROL_WEIGHTS = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
_POLISH_SORT_WEIGHTS = (3, 9, 7, 1, 3, 9, 7)
IBAN_COUNTRIES = ("ES", "FI", "EE", "PL", "KZ")
# first bytes of Bolivian, Uzbek, Russian, French, Spanish, Kiribati and German blocks
_IPV4_FIRST = (200, 84, 213, 90, 88, 202, 91)
_IPV6_PREFIXES = ("2800:cd0", "2a02:a03f", "2a00:1370", "2a01:cb1d", "2a0c:5a80", "2001:16b8")
# where a network address is written: a PAM failure, a Node server's log, a URL, a firewall rule, a dhcpd host
NETWORK_CONTEXTS = ("rhost", "mapped", "bracketed", "firewall", "dhcpd")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def pesel_check(ten_digits: str) -> str:
    return str(-sum(int(d) * w for d, w in zip(ten_digits, _PESEL_WEIGHTS, strict=True)) % 10)


def pesel(rng: random.Random, born: str) -> str:
    """Eleven digits: YYMMDD with 20 added to the month for those born from 2000, three of a serial, a digit
    even for a woman and odd for a man, the check."""
    month = int(born[4:6]) + (20 if born.startswith("20") else 0)
    body = f"{born[2:4]}{month:02d}{born[6:]}{_digits(rng, 3)}{rng.randint(0, 9)}"
    return body + pesel_check(body)


def spanish_dni_or_nie(rng: random.Random, _born: str) -> str:
    """A DNI (`12345678Z`) or a foreigner's NIE (`X1234567L`, X, Y, Z counting as 0, 1, 2): the letter is the
    number mod 23 in the interior ministry's table; some forms print a hyphen before it."""
    if rng.random() < 0.6:
        number = f"{rng.randint(10_000_000, 79_999_999)}"
        prefix, counted = "", number
    else:
        prefix, number = rng.choice("XYZ"), _digits(rng, 7)
        counted = str("XYZ".index(prefix)) + number
    letter = DNI_LETTERS[int(counted) % 23]
    return f"{prefix}{number}{'-' if rng.random() < 0.3 else ''}{letter}"


def cpf_checks(nine_digits: str) -> str:
    """The CPF's two check digits: weights 10 down to 2, then 11 down to 2, each sum times 10 mod 11 (10 is 0)."""
    digits = nine_digits
    for first_weight in (10, 11):
        total = sum(int(d) * w for d, w in zip(digits, range(first_weight, 1, -1), strict=True))
        digits += str(total * 10 % 11 % 10)
    return digits[9:]


def brazil_cpf(rng: random.Random, _born: str) -> str:
    body = f"{rng.randint(1, 9)}{_digits(rng, 8)}"
    number = body + cpf_checks(body)
    return f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}"


def finnish_identity_code(rng: random.Random, born: str) -> str:
    """DDMMYY, `-` for the 1900s or `A` for the 2000s, an individual number (odd a man, even a woman, 002-899)
    and the character of DDMMYYNNN mod 31."""
    individual = f"{rng.randint(2, 899):03d}"
    date = f"{born[6:]}{born[4:6]}{born[2:4]}"
    sign = "A" if born.startswith("20") else "-"
    return f"{date}{sign}{individual}{HETU_CHARACTERS[int(date + individual) % 31]}"


def belgian_national_number(rng: random.Random, born: str) -> str:
    """`87.03.12-123.45`: YY.MM.DD, a serial of the day (odd a man, even a woman), 97 less the nine digits mod
    97, counted with a 2 in front for those born from 2000."""
    body = f"{born[2:4]}{born[4:6]}{born[6:]}{rng.randint(1, 997):03d}"
    check = 97 - int(("2" if born.startswith("20") else "") + body) % 97
    return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:]}.{check:02d}"


def estonian_check(ten_digits: str) -> str:
    """The personal code's check: weights 1-9, 1 mod 11; where that is 10, weights 3-9, 1-3; 10 again is 0."""
    for weights in (_ESTONIAN_FIRST_WEIGHTS, _ESTONIAN_SECOND_WEIGHTS):
        remainder = sum(int(d) * w for d, w in zip(ten_digits, weights, strict=True)) % 11
        if remainder < 10:
            return str(remainder)
    return "0"


def estonian_personal_code(rng: random.Random, born: str) -> str:
    """Eleven digits: 3 a man or 4 a woman born in the 1900s (5 and 6 from 2000), YYMMDD, a serial, the check."""
    first = (5 if born.startswith("20") else 3) + rng.randint(0, 1)
    body = f"{first}{born[2:]}{_digits(rng, 3)}"
    return body + estonian_check(body)


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid UnionPay (16 or 19 digits), Cabal, Prostir, ArCa or InstaPayment number, in fours with
    one space or two, or a 19-digit number 4-4-4-4-3."""
    head = rng.choice(("6212", "6250", "604201", "9804", "9051", "637", "639"))
    length = 19 if head.startswith("62") and rng.random() < 0.5 else 16
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    gap = "  " if rng.random() < 0.35 else " "  # embossed cards space their groups wide
    return gap.join(number[i : i + 4] for i in range(0, length, 4))


def spanish_control_digit(digits: str) -> str:
    """One of the Spanish account's control digits: weights 1, 2, 4, 8, 5, 10, 9, 7, 3, 6 mod 11 (11 less the
    remainder; 11 is 0 and 10 is 1)."""
    value = 11 - sum(int(d) * w for d, w in zip(digits, _SPANISH_CONTROL_WEIGHTS, strict=True)) % 11
    return {11: "0", 10: "1"}.get(value, str(value))


def polish_sort_code(rng: random.Random) -> str:
    """A bank's three digits, a branch's four, a check digit: weights 3, 9, 7, 1, 3, 9, 7 up to a ten."""
    body = f"{rng.choice(('102', '105', '109', '114', '124'))}{_digits(rng, 4)}"
    return body + str(-sum(int(d) * w for d, w in zip(body, _POLISH_SORT_WEIGHTS, strict=True)) % 10)


def bank_account(rng: random.Random, country: str | None = None) -> str:
    """An IBAN of Spain, Finland, Estonia, Poland or Kazakhstan (the one asked for, or one drawn), its national
    checks and ISO check valid."""
    country = country or rng.choice(IBAN_COUNTRIES)
    if country == "ES":
        bank_branch, account = f"{rng.choice(('2100', '0049', '0182', '2085'))}{_digits(rng, 4)}", _digits(rng, 10)
        bban = bank_branch + spanish_control_digit("00" + bank_branch) + spanish_control_digit(account) + account
    elif country == "FI":
        body = f"{rng.choice(('100', '157', '500', '800'))}{_digits(rng, 10)}"
        bban = body + luhn_digit(body)
    elif country == "EE":
        bban = f"{rng.choice(('22', '10', '17'))}{_digits(rng, 14)}"
    elif country == "PL":
        bban = polish_sort_code(rng) + _digits(rng, 16)
    else:
        bban = f"{rng.choice(('601', '722', '998'))}KZT{_digits(rng, 10)}"
    return iban(country, bban)


def _ipv4(rng: random.Random) -> str:
    return f"{rng.choice(_IPV4_FIRST)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    prefix = rng.choice(_IPV6_PREFIXES)
    groups = prefix.split(":") + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8 - prefix.count(":") - 1)]
    return ipaddress.IPv6Address(":".join(groups)).compressed


def network_address(rng: random.Random, shape: str | None = None) -> tuple[str, str]:
    """(the address, as the log or configuration writes it): IPv4 after `rhost=`, IPv4 mapped into IPv6, a
    global IPv6 address in a URL's brackets, IPv4 in a firewall rule, or a MAC address in a dhcpd host entry;
    in the context asked for, or one drawn."""
    shape = shape or rng.choice(NETWORK_CONTEXTS)
    if shape == "rhost":
        address = _ipv4(rng)
        return address, f"authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={address}"
    if shape == "mapped":
        address = f"::ffff:{_ipv4(rng)}"
        return address, f"remoteAddress: '{address}', remotePort: {rng.randint(30000, 65000)}"
    if shape == "bracketed":
        address = _ipv6(rng)
        return address, f"https://[{address}]:{rng.choice((8443, 9090, 4443))}/login"
    if shape == "firewall":
        address = _ipv4(rng)
        return address, f"-A INPUT -s {address}/32 -p tcp --dport 22 -j ACCEPT"
    octets = [rng.randint(0, 255) for _ in range(6)]
    octets[0] &= 0xFC  # a globally administered, unicast address
    address = ":".join(f"{octet:02x}" for octet in octets)
    return address, f"hardware ethernet {address}; fixed-address 10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)};"
