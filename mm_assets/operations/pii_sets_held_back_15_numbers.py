"""`held_back_15`'s numbers, each built by its own rule (check digits where it has them): identity numbers,
payment cards, IBANs and IP addresses.

None of these labels or check rules was in an earlier slice: the Chilean RUT (mod 11, `K` for 10), the
Norwegian fødselsnummer (two mod-11 checks over the date of birth), the Zimbabwean national registration
number (a check letter, the number mod 23), the Indian Aadhaar (a Verhoeff check digit), the Pakistani
CNIC (a province digit first, an odd or even last digit) and the Maltese identity card (digits and a letter).
Cards of brands no slice wrote (JCB, Discover, Diners Club's 14 digits, Mir) pass the Luhn test; IBANs of
Malta (letters in the account part), Pakistan and Iraq carry their ISO 13616 check; IP addresses are IPv6
(no slice wrote one) or IPv4 from public blocks.
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

# Verhoeff's scheme: the dihedral group D5's multiplication table, the position permutations and inverses
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_VERHOEFF_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)
# the letters of a Zimbabwean check (no I, O or U), indexed by the number mod 23
_ZIMBABWE_LETTERS = "ZABCDEFGHJKLMNPQRSTVWXY"
# registry districts that print on Zimbabwean IDs (Harare 63, Bulawayo 08, Gweru 29, Mutare 42 ...)
_ZIMBABWE_DISTRICTS = ("63", "08", "29", "42", "58", "70", "75", "13")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def verhoeff_digit(digits: str) -> str:
    """The check digit Verhoeff's scheme appends (it catches every single error and adjacent swap)."""
    check = 0
    for i, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[(i + 1) % 8][int(char)]]
    return str(_VERHOEFF_INV[check])


def aadhaar_number(rng: random.Random) -> str:
    """12 digits, the first 2-9, the last a Verhoeff check, printed in groups of four."""
    body = str(rng.randint(2, 9)) + _digits(rng, 10)
    number = body + verhoeff_digit(body)
    return f"{number[:4]} {number[4:8]} {number[8:]}"


def rut_check(body: int) -> str:
    """The RUT's check: weights 2 to 7 from the right, repeated; 11 minus the sum mod 11 (11 is 0, 10 is K)."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(str(body))))
    return {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))


def chilean_rut(rng: random.Random) -> str:
    """A Chilean RUT as printed on a cédula: `12.345.678-5`."""
    body = rng.randint(4_000_000, 26_999_999)
    return f"{body:,}".replace(",", ".") + f"-{rut_check(body)}"


_NORWAY_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_NORWAY_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def norwegian_birth_number(rng: random.Random, born: str) -> str:
    """Fødselsnummer: DDMMYY, three individual digits (their range gives the century), two mod-11 checks;
    an individual number whose check would be 10 is never issued, so another is drawn."""
    ddmmyy = born[6:8] + born[4:6] + born[2:4]
    while True:
        low, high = (0, 499) if born[:2] == "19" else (500, 999)
        digits = [int(c) for c in ddmmyy + f"{rng.randint(low, high):03d}"]
        k1 = (11 - sum(w * d for w, d in zip(_NORWAY_K1, digits, strict=True)) % 11) % 11
        k2 = (11 - sum(w * d for w, d in zip(_NORWAY_K2, [*digits, k1], strict=True)) % 11) % 11
        if k1 < 10 and k2 < 10:
            return "".join(map(str, [*digits, k1, k2]))


def zimbabwe_check_letter(district_and_serial: str) -> str:
    """The registry district and serial read as one number, mod 23, as a letter (0 is Z, then A to Y)."""
    return _ZIMBABWE_LETTERS[int(district_and_serial) % 23]


def zimbabwe_national_id(rng: random.Random) -> str:
    """`63-2345678 F 42` or `63-2345678F42`: registry district, serial, the check letter and the district of
    origin."""
    district, serial = rng.choice(_ZIMBABWE_DISTRICTS), _digits(rng, rng.choice((6, 7)))
    gap = rng.choice((" ", ""))
    return f"{district}-{serial}{gap}{zimbabwe_check_letter(district + serial)}{gap}{rng.choice(_ZIMBABWE_DISTRICTS)}"


def pakistani_cnic(rng: random.Random, female: bool | None = None) -> str:
    """13 digits as `37405-1234567-1`: the first the province (1 Khyber Pakhtunkhwa ... 7 Gilgit-Baltistan),
    the last odd for a man and even for a woman."""
    female = rng.random() < 0.5 if female is None else female
    last = rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    return f"{rng.randint(1, 7)}{_digits(rng, 4)}-{_digits(rng, 7)}-{last}"


def maltese_identity_card(rng: random.Random) -> str:
    """Up to seven digits and a letter (`M` for those born in Malta, others for registration routes)."""
    return f"{rng.randint(10_000, 9_999_999)}{rng.choice('MMMGAPLHB')}"


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid JCB (3528-3589), Discover (6011, 644, 65), Diners Club (36/38, 14 digits) or Mir (2200-2204)
    number, grouped as the card prints it."""
    kind = rng.choice(("jcb", "discover", "diners", "mir"))
    length = 14 if kind == "diners" else 16
    head = {
        "jcb": str(rng.randint(3528, 3589)),
        "discover": rng.choice(("6011", "65", "644")),
        "diners": rng.choice(("36", "38")),
        "mir": f"220{rng.randint(0, 4)}",
    }[kind]
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    if kind == "diners":
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return rng.choice((" ", "-", "")).join(number[i : i + 4] for i in range(0, 16, 4))


def bank_account(rng: random.Random) -> str:
    """An IBAN of Malta (bank letters, sort code, 18 letters and digits), Pakistan or Iraq, check digits valid."""
    letters_and_digits = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(18))
    country, bban = rng.choice(
        (
            ("MT", f"{rng.choice(('VALL', 'MALT', 'APSB'))}{_digits(rng, 5)}{letters_and_digits}"),
            ("PK", f"{rng.choice(('HABB', 'MUCB', 'SCBL', 'UNIL'))}{_digits(rng, 16)}"),
            ("IQ", f"{rng.choice(('NBIQ', 'RAFB', 'RDBA'))}{_digits(rng, 15)}"),
        )
    )
    return iban(country, bban)


def ip_address(rng: random.Random) -> str:
    """IPv6 from blocks given to Europe, Asia and Africa (zeros compressed), or IPv4 from public blocks."""
    if rng.random() < 0.5:
        head = rng.choice(("2a02", "2a01", "2400", "2c0f", "2001:470"))
        groups = ":".join(f"{rng.randint(1, 0xFFFF):x}" for _ in range(rng.randint(2, 3)))
        return f"{head}:{groups}::{rng.randint(1, 0xFFF):x}"
    first = rng.choice((37, 46, 62, 103, 182, 197))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
