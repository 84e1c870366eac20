"""`held_back_18`'s numbers, each built by its own rule (check digits where it has them): identity and tax
numbers, payment cards, IBANs, and the network addresses a log writes.

None of these labels, layouts or check rules was in an earlier slice: the Dutch citizen service number (BSN,
nine digits passing the "eleven test": weights 9 to 2 and -1, the sum a multiple of 11), the South African
identity number (13 digits: date of birth, a sequence whose first digit says the sex, citizenship, 8, and a Luhn
check), the Italian codice fiscale (letters of the surname and given name, year, a month letter, the day (+40
for a woman), the municipality's code and a check letter from odd and even tables), the Indian PAN (five
letters, the fourth `P` for a person and the fifth the surname's initial, four digits, a letter) and the Russian
internal passport (a series of the region's code and the year of issue, six digits). Cards pass the Luhn test
and are printed with hyphens or spaces; IBANs of the Netherlands, Italy, San Marino, the Vatican and
Liechtenstein carry their ISO 13616 check. Network addresses are IPv4 after `src=`, compressed IPv6 and MAC
addresses in capitals with colons (counted as `ip`: the segment's kind for an address that identifies a device).
"""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

# the codice fiscale's check: the value of each character in an odd (1st, 3rd ...) place, in 0-9 then A-Z
_ODD_VALUES = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12,
               14, 16, 10, 22, 25, 24, 23)  # fmt: skip
_MONTH_LETTERS = "ABCDEHLMPRST"
# Sardinian municipalities and their cadastral codes
_SARDINIAN_CODES = ("B354", "I452", "F979", "G113", "L093", "E441")
# Russian regions' codes as a passport series begins with them: Chechnya 96, Tatarstan 92
_PASSPORT_REGIONS = ("96", "92")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def bsn_valid(number: str) -> bool:
    """The eleven test: digits weighted 9 down to 2 and the last -1, the sum a multiple of 11."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return len(number) == 9 and sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


def dutch_bsn(rng: random.Random) -> str:
    """Nine digits passing the eleven test, written `1234.56.782` as Dutch forms group them."""
    while True:
        body = _digits(rng, 8)
        rest = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True)) % 11
        if rest < 10 and body[0] != "0":
            number = body + str(rest)
            return f"{number[:4]}.{number[4:6]}.{number[6:]}"


def south_african_id(rng: random.Random, born: str, female: bool | None = None) -> str:
    """`870312 5123 08 4`: YYMMDD, a sequence (0000-4999 a woman, 5000-9999 a man), 0 a citizen, 8, Luhn."""
    female = rng.random() < 0.5 if female is None else female
    sequence = rng.randint(0, 4999) if female else rng.randint(5000, 9999)
    body = f"{born[2:]}{sequence:04d}{rng.choice('001')}8"
    return f"{body[:6]} {body[6:10]} {body[10:]} {luhn_digit(body)}"


def cf_check(body: str) -> str:
    """The codice fiscale's check letter: odd places by their table, even places A-Z as 0-25, mod 26."""
    total = 0
    for place, char in enumerate(body):
        index = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        if place % 2 == 0:  # the 1st, 3rd ... character
            total += _ODD_VALUES[index]
        else:
            total += index if char.isdigit() else ord(char) - ord("A")
    return chr(ord("A") + total % 26)


def _letters(word: str) -> str:
    plain = unicodedata.normalize("NFD", word.upper())
    return "".join(c for c in plain if "A" <= c <= "Z")


def cf_name_part(word: str, given: bool = False) -> str:
    """Three letters of a name: consonants, then vowels, then X; a given name of four consonants or more
    gives its first, third and fourth."""
    letters = _letters(word)
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    if given and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return "".join(consonants + vowels + ["X", "X", "X"])[:3]


def codice_fiscale(rng: random.Random, surname: str, given: str, born: str, female: bool) -> str:
    """The Italian tax code of a person born in Sardinia: 16 characters, the last a check letter."""
    day = int(born[6:]) + (40 if female else 0)
    body = (
        f"{cf_name_part(surname)}{cf_name_part(given, given=True)}{born[2:4]}"
        f"{_MONTH_LETTERS[int(born[4:6]) - 1]}{day:02d}{rng.choice(_SARDINIAN_CODES)}"
    )
    return body + cf_check(body)


def indian_pan(rng: random.Random, surname: str) -> str:
    """`ABCPL1234K`: three letters, `P` for a person, the surname's initial, four digits, a letter."""
    initial = (_letters(surname) or "X")[0]
    head = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(3))
    return f"{head}P{initial}{_digits(rng, 4)}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"


def russian_passport(rng: random.Random) -> str:
    """`96 12 345678`: the region's code and the year of issue's last two digits, then six digits."""
    return f"{rng.choice(_PASSPORT_REGIONS)} {rng.randint(4, 25):02d} {_digits(rng, 6)}"


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid Visa, Mastercard (2-series), Maestro or Mir number of 16 digits, in fours with hyphens
    or spaces."""
    head = rng.choice(("4", "2720", "2300", "6759", "2200", "2204"))
    body = head + _digits(rng, 15 - len(head))
    number = body + luhn_digit(body)
    return rng.choice(("-", " ", "-")).join(number[i : i + 4] for i in range(0, 16, 4))


def bank_account(rng: random.Random) -> str:
    """An IBAN of the Netherlands, Italy or San Marino (a CIN letter, ABI and CAB), the Vatican or
    Liechtenstein, its check digits valid."""
    country, bban = rng.choice(
        (
            ("NL", f"{rng.choice(('ABNA', 'RABO', 'INGB', 'SNSB'))}{_digits(rng, 10)}"),
            ("IT", f"{rng.choice('ABCDEFGHIJKLMNOPRSTUVWXYZ')}{_digits(rng, 5)}{_digits(rng, 5)}{_digits(rng, 12)}"),
            ("SM", f"{rng.choice('ABCDEFGHIJKLMNOPRSTUVWXYZ')}0{_digits(rng, 4)}{_digits(rng, 5)}{_digits(rng, 12)}"),
            ("VA", f"001{_digits(rng, 15)}"),
            ("LI", f"0{_digits(rng, 4)}{_digits(rng, 12)}"),
        )
    )
    return iban(country, bban)


def mac_address(rng: random.Random) -> str:
    """Six bytes in capitals with colons (`3C:52:82:1A:7F:0E`), as a router's table prints them."""
    octets = [rng.randint(0, 255) for _ in range(6)]
    octets[0] &= 0xFC  # a globally administered, unicast address
    return ":".join(f"{octet:02X}" for octet in octets)


def network_address(rng: random.Random) -> tuple[str, str]:
    """(the address, as the log writes it): IPv4 after `src=`, compressed IPv6 after `from`, or a MAC."""
    shape = rng.choice(("src", "ipv6", "mac"))
    if shape == "src":
        first = rng.choice((31, 37, 41, 79, 93))  # first bytes of Dutch, Italian, South African, Russian blocks
        address = f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        return address, f"src={address}"
    if shape == "ipv6":
        head = rng.choice(("2a02:a46", "2001:b07", "2c0f:f4c0", "2401:4900"))
        address = f"{head}:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        return address, f"from {address}"
    address = mac_address(rng)
    return address, f"hw {address}"
