"""`held_back_19`'s numbers, each built by its own rule (check digits where it has them): identity and tax
numbers, payment cards, IBANs, and the network addresses a device log or a web server writes.

None of these labels, layouts or check rules was in an earlier slice: the Swiss social insurance number (AHV/AVS,
`756.` and nine digits and an EAN-13 check digit), the JMBG of Montenegro and Serbia (13 digits: the date of birth
as DDMMYYY, a region, a serial whose half says the sex, and a weighted mod-11 check), the Ecuadorian cédula (a
province, a third digit under 6 and a mod-10 check of alternate doublings), the Uruguayan cédula (`1.234.567-2`,
weights 2987634) and the Australian tax file number (nine digits whose weighted sum is a multiple of 11). Cards
of brands no slice wrote (Humo, UzCard, Napas, Belkart and the 17-digit Bancontact) pass the Luhn test, some
printed without a gap; IBANs of Switzerland, Montenegro, Kuwait, the Dominican Republic and Andorra carry their
ISO 13616 check. Network addresses are IPv4 in a `Forwarded: for=` header, IPv6 of the NAT64 prefix with the IPv4
address written in it, a link-local IPv6 address with its zone, and a MAC address of twelve hex digits with no
separator, as a DHCP lease table writes it (counted as `ip`: the segment's kind for an address that identifies a
device).
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets_held_back_11_12 import luhn_digit
from mm_assets.operations.pii_sets_held_back_14 import iban

# JMBG regions: Montenegro 21-29 (Podgorica 21, Nikšić 26), central Serbia 71-79 (Belgrade 71)
_JMBG_REGIONS = ("21", "22", "26", "29", "71", "73", "79")
_JMBG_WEIGHTS = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_URUGUAY_WEIGHTS = (2, 9, 8, 7, 6, 3, 4)
_TFN_WEIGHTS = (1, 4, 3, 7, 5, 8, 6, 9, 10)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def ean13_digit(body: str) -> str:
    """The EAN-13 check digit of twelve digits: weights 1 and 3 from the left, up to a multiple of 10."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return str(-total % 10)


def swiss_ahv(rng: random.Random) -> str:
    """`756.9217.0769.85`: Switzerland's code 756, nine digits, the EAN-13 check digit."""
    body = "756" + _digits(rng, 9)
    number = body + ean13_digit(body)
    return f"{number[:3]}.{number[3:7]}.{number[7:11]}.{number[11:]}"


def jmbg_check(body: str) -> int | None:
    """The JMBG's control digit over twelve digits (11 minus the weighted sum mod 11; 11 gives 0); None where
    the rule gives 10, a body no number is issued for."""
    control = 11 - sum(int(d) * w for d, w in zip(body, _JMBG_WEIGHTS, strict=True)) % 11
    return None if control == 10 else control % 11


def jmbg(rng: random.Random, born: str) -> str:
    """DDMMYYY (the year's last three digits), a region, a serial (000-499 a man, 500-999 a woman), a check."""
    while True:
        body = f"{born[6:]}{born[4:6]}{born[1:4]}{rng.choice(_JMBG_REGIONS)}{rng.randint(0, 999):03d}"
        control = jmbg_check(body)
        if control is not None:
            return f"{body}{control}"


def ecuador_cedula(rng: random.Random) -> str:
    """Ten digits: a province (01-24), a third digit under 6 (a person), six more, a check over the nine:
    digits in odd places doubled (less 9 when over 9), the sum up to a multiple of 10."""
    body = f"{rng.randint(1, 24):02d}{rng.randint(0, 5)}{_digits(rng, 6)}"
    total = sum(
        (int(d) * 2 - 9 if int(d) * 2 > 9 else int(d) * 2) if i % 2 == 0 else int(d) for i, d in enumerate(body)
    )
    return f"{body}{-total % 10}"


def uruguay_cedula(rng: random.Random) -> str:
    """`4.512.803-6`: seven digits weighted 2, 9, 8, 7, 6, 3, 4, the check up to a multiple of 10."""
    body = f"{rng.randint(1_000_000, 6_999_999)}"
    check = -sum(int(d) * w for d, w in zip(body, _URUGUAY_WEIGHTS, strict=True)) % 10
    return f"{body[0]}.{body[1:4]}.{body[4:]}-{check}"


def tfn_valid(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    return len(digits) == 9 and sum(d * w for d, w in zip(digits, _TFN_WEIGHTS, strict=True)) % 11 == 0


def tax_file_number(rng: random.Random) -> str:
    """An Australian tax file number, `123 456 782`: nine digits whose weighted sum is a multiple of 11."""
    while True:
        number = f"{rng.randint(1, 9)}{_digits(rng, 8)}"
        if tfn_valid(number):
            return f"{number[:3]} {number[3:6]} {number[6:]}"


def payment_card(rng: random.Random) -> str:
    """A Luhn-valid Humo, UzCard, Napas or Belkart number (16 digits) or Bancontact (17), in fours or whole."""
    head = rng.choice(("9860", "8600", "9704", "9112", "6703"))
    length = 17 if head == "6703" else 16
    body = head + _digits(rng, length - 1 - len(head))
    number = body + luhn_digit(body)
    if rng.random() < 0.3:  # as a form's box or a terminal's receipt prints it
        return number
    return " ".join(number[i : i + 4] for i in range(0, length, 4))


def bank_account(rng: random.Random) -> str:
    """An IBAN of Switzerland, Montenegro, Kuwait (a bank's four letters), the Dominican Republic or Andorra,
    its check digits valid."""
    country, bban = rng.choice(
        (
            ("CH", f"{rng.choice(('00762', '00230', '00774', '08390'))}{_digits(rng, 12)}"),
            ("ME", f"{rng.choice(('505', '510', '520', '530'))}{_digits(rng, 15)}"),
            ("KW", f"{rng.choice(('NBOK', 'GULB', 'KFHO', 'BBYN'))}{_digits(rng, 22)}"),
            ("DO", f"{rng.choice(('BAGR', 'BPDO', 'BCBH', 'BRRD'))}{_digits(rng, 20)}"),
            ("AD", f"{rng.choice(('0001', '0003', '0006'))}{_digits(rng, 4)}{_digits(rng, 12)}"),
        )
    )
    return iban(country, bban)


def network_address(rng: random.Random) -> tuple[str, str]:
    """(the address, as the log writes it): IPv4 in a `Forwarded:` header, NAT64 IPv6 carrying an IPv4
    address, link-local IPv6 with its zone, or a MAC address as twelve hex digits."""
    shape = rng.choice(("forwarded", "nat64", "link_local", "lease"))
    first = rng.choice((95, 41, 178, 105, 77))  # first bytes of Turkmen, Malawian, Swiss, Palauan, Tajik blocks
    ipv4 = f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if shape == "forwarded":
        return ipv4, f"Forwarded: for={ipv4};proto=https"
    if shape == "nat64":
        address = f"64:ff9b::{ipv4}"
        return address, f"via {address}"
    if shape == "link_local":  # EUI-64: the MAC's halves around ff:fe
        groups = (rng.randint(0, 0xFFFF), rng.randint(0, 0xFF) << 8 | 0xFF, 0xFE00 | rng.randint(0, 0xFF))
        address = f"fe80::{':'.join(f'{g:x}' for g in groups)}:{rng.randint(1, 0xFFFF):x}"
        return address, f"{address}%{rng.choice(('wlan0', 'eth0', 'en0'))}"
    octets = [rng.randint(0, 255) for _ in range(6)]
    octets[0] &= 0xFC  # a globally administered, unicast address
    address = "".join(f"{octet:02x}" for octet in octets)
    return address, f"hwaddr {address}"
