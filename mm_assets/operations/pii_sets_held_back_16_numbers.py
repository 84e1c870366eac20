"""`held_back_16`'s numbers, each built by its own rule (check digits where it has them): identity numbers,
payment cards, IBANs and IP addresses.

None of these labels or check rules was in an earlier slice: the Russian SNILS (a mod-101 check over
weights 9 to 1), the Russian personal INN (12 digits, two weighted mod-11 checks), the French NIR (sex,
year and month of birth, département, commune, a key of 97 minus the number mod 97), the Kyrgyz personal
identification number (PIN: sex, the date of birth and a serial; no check) and the Afghan e-Tazkira
(year of issue, volume and serial; no check). Cards of kinds no slice wrote (Visa and Mastercard of 16
digits, Maestro and Verve of 19) pass the Luhn test; IBANs of Albania, Kosovo, France (its RIB key too) and
Senegal (letters in the bank code) carry their ISO 13616 check; IP addresses are IPv4 written with the port
a log adds after it, or IPv6 written out in full (every group of four, leading zeros kept).
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

_INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# French départements of Brittany (Finistère, Côtes-d'Armor, Morbihan, Ille-et-Vilaine) and Paris, where many
# Bretons were born
_NIR_DEPARTMENTS = ("29", "22", "56", "35", "75")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def snils_check(nine_digits: str) -> str:
    """SNILS's check: digits weighted 9 down to 1; a sum under 100 is the check, 100 and 101 give 00, above
    that the sum mod 101 (again 00 when that is 100)."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(nine_digits))
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def snils(rng: random.Random) -> str:
    """`112-233-445 95`: the Russian pension insurance number, as it prints on the green card."""
    body = _digits(rng, 9)
    return f"{body[:3]}-{body[3:6]}-{body[6:]} {snils_check(body)}"


def inn_checks(ten_digits: str) -> str:
    """The personal INN's two check digits: weighted sums mod 11, then mod 10, over the first 10 and 11."""
    first = sum(w * int(d) for w, d in zip(_INN_WEIGHTS_11, ten_digits, strict=True)) % 11 % 10
    eleven = ten_digits + str(first)
    second = sum(w * int(d) for w, d in zip(_INN_WEIGHTS_12, eleven, strict=True)) % 11 % 10
    return f"{first}{second}"


def personal_inn(rng: random.Random) -> str:
    """12 digits: the region of the tax office that issued it (14 is Sakha), its office, a serial, two checks."""
    body = rng.choice(("14", "77", "50", "24")) + _digits(rng, 8)
    return body + inn_checks(body)


def nir_key(thirteen_digits: str) -> str:
    """The NIR's key: 97 minus the 13-digit number mod 97."""
    return f"{97 - int(thirteen_digits) % 97:02d}"


def french_nir(rng: random.Random, born: str, female: bool | None = None) -> str:
    """`2 87 03 29 232 045 17`: sex (1 a man, 2 a woman), year and month of birth, département, commune, the
    birth's number in the commune's register that month, and the key."""
    female = rng.random() < 0.5 if female is None else female
    body = f"{2 if female else 1}{born[2:4]}{born[4:6]}{rng.choice(_NIR_DEPARTMENTS)}{rng.randint(1, 300):03d}"
    body += f"{rng.randint(1, 999):03d}"
    key = nir_key(body)
    return " ".join((body[0], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key))


def kyrgyz_pin(rng: random.Random, born: str, female: bool | None = None) -> str:
    """14 digits: 1 a woman, 2 a man, the date of birth as DDMMYYYY, then five of the registry's."""
    female = rng.random() < 0.5 if female is None else female
    return f"{1 if female else 2}{born[6:8]}{born[4:6]}{born[:4]}{_digits(rng, 5)}"


def afghan_tazkira(rng: random.Random) -> str:
    """The electronic tazkira's number: solar year of issue, four digits, five digits (`1399-0512-48213`)."""
    return f"{rng.randint(1397, 1402)}-{_digits(rng, 4)}-{_digits(rng, 5)}"


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid Visa or Mastercard (16 digits, groups of four) or a Maestro (6759, 5018, 5020) or Verve
    (5061, 6500) card of 19 digits, printed 4-4-4-4-3 as those cards are."""
    kind = rng.choice(("visa", "mastercard", "maestro", "verve"))
    head = {
        "visa": rng.choice(("4", "4026", "4917")),
        "mastercard": str(rng.randint(51, 55)),
        "maestro": rng.choice(("6759", "5018", "5020")),
        "verve": rng.choice(("5061", "6500")),
    }[kind]
    length = 19 if kind in ("maestro", "verve") else 16
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    return rng.choice((" ", "-", " ")).join(number[i : i + 4] for i in range(0, length, 4))


def rib_key(bank: str, branch: str, account: str) -> str:
    """The French RIB key: 97 minus (89 bank + 15 branch + 3 account) mod 97 (an account of digits)."""
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def bank_account(rng: random.Random) -> str:
    """An IBAN of Albania, Kosovo, France (RIB key inside) or Senegal (bank code `SN` and digits), check valid."""
    bank, branch, account = rng.choice(("30004", "13807", "16006")), _digits(rng, 5), _digits(rng, 11)
    country, bban = rng.choice(
        (
            ("AL", f"{rng.choice(('202', '205', '212'))}{_digits(rng, 5)}{_digits(rng, 16)}"),
            ("XK", f"{rng.choice(('1212', '1701', '1501'))}{_digits(rng, 12)}"),
            ("FR", f"{bank}{branch}{account}{rib_key(bank, branch, account)}"),
            ("SN", f"SN{rng.choice(('010', '100', '061'))}{_digits(rng, 19)}"),
        )
    )
    return iban(country, bban)


def ip_address(rng: random.Random) -> tuple[str, str]:
    """(the address, what a log writes after it): IPv4 of public blocks and a port, or IPv6 written in full."""
    if rng.random() < 0.5:
        first = rng.choice((41, 80, 92, 158, 176, 195))
        return (
            f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f":{rng.randint(1025, 65535)}",
        )
    head = rng.choice(("2a0d:5600", "2a02:0c7f", "2c0f:f5c0", "2a00:1838"))
    tail = ":".join(f"{rng.randint(0, 0xFFFF):04x}" for _ in range(6))
    return f"{head}:{tail}", ""
