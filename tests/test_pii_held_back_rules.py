"""Each of held_back_14 to held_back_16's own rules, checked without the detector: identity numbers against their
check rules (stated here apart from the builders) and published examples, the Afghan solar calendar, the forms'
settings, and the OCR damage's finer points. What the slices share is tested in test_pii_held_back_slices.py.
"""

from __future__ import annotations

import datetime
import random
import re

from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_14 import (
    chinese_identity_number,
    thai_identity_number,
    turkish_identity_number,
)
from mm_assets.operations.pii_sets_held_back_15 import ocr_damaged as ocr_damaged_15
from mm_assets.operations.pii_sets_held_back_15_numbers import (
    aadhaar_number,
    chilean_rut,
    maltese_identity_card,
    norwegian_birth_number,
    pakistani_cnic,
    rut_check,
    verhoeff_digit,
    zimbabwe_check_letter,
    zimbabwe_national_id,
)
from mm_assets.operations.pii_sets_held_back_16 import HeldBack16Values, solar_to_gregorian
from mm_assets.operations.pii_sets_held_back_16 import ocr_damaged as ocr_damaged_16
from mm_assets.operations.pii_sets_held_back_16_numbers import (
    afghan_tazkira,
    french_nir,
    inn_checks,
    kyrgyz_pin,
    nir_key,
    payment_card,
    personal_inn,
    rib_key,
    snils,
    snils_check,
)
from mm_assets.operations.pii_slices import other_source_documents
from resources.pii_names import first_name_gazetteer


def _page_text(name: str) -> str:
    return "\n".join(line for d in other_source_documents(name) for page in d.pages for line in page)


# ---------------------------------------------------------------------------- held_back_14


def test_held_back_14_identity_numbers_pass_their_own_checks():
    rng = random.Random(4)
    for _ in range(20):
        d = [int(c) for c in turkish_identity_number(rng)]
        assert d[0] and d[9] == ((sum(d[0:9:2]) * 7) - sum(d[1:8:2])) % 10 and d[10] == sum(d[:10]) % 10
        thai = [int(c) for c in thai_identity_number(rng).replace("-", "")]
        assert len(thai) == 13 and thai[12] == (11 - sum(x * (13 - i) for i, x in enumerate(thai[:12])) % 11) % 10
    for _ in range(20):
        number = chinese_identity_number(rng, "110105", "19491231")
        total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(number[:17]))
        assert number[17] == "10X98765432"[total % 11]
    # the example GB 11643 gives of a Chinese resident number, its check an `X`
    assert chinese_identity_number(_FixedSequence(2), "110105", "19491231") == "11010519491231002X"


class _FixedSequence(random.Random):
    """A generator whose randint always gives `value` (to build a known number)."""

    def __init__(self, value: int) -> None:
        super().__init__(0)
        self.value = value

    def randint(self, a: int, b: int) -> int:
        return self.value


# ---------------------------------------------------------------------------- held_back_15


def test_held_back_15_glues_names_the_way_ocr_joins_columns_and_states_a_number_without_a_label():
    text = _page_text("held_back_15")
    people = [p.value for d in other_source_documents("held_back_15") for p in d.planted if p.kind == "person"]
    glued = [p for p in people if re.search(re.escape(p) + r"(Witness:|\d|\|)", text)]
    assert len(glued) >= 8 and any(p.isupper() for p in glued)
    for document in other_source_documents("held_back_15"):
        if "power_of_attorney" in document.name:  # `I, NAME, NUMBER, residing at`: no label before the number
            number = next(p.value for p in document.planted if p.kind == "ssn")
            assert re.search(r"I, [^,]+, " + re.escape(number) + ", residing", "\n".join(document.pages[0]))


def test_held_back_15_identity_numbers_pass_their_own_checks():
    rng = random.Random(15)
    for _ in range(50):
        assert _verhoeff_valid(aadhaar_number(rng).replace(" ", ""))
        rut = chilean_rut(rng)
        assert re.fullmatch(r"\d{1,2}\.\d{3}\.\d{3}-[\dK]", rut) and rut[-1] == rut_check(
            int(re.sub(r"\D", "", rut[:-2]))
        )
        fnr = [int(c) for c in norwegian_birth_number(rng, "19870312")]
        assert fnr[:6] == [1, 2, 0, 3, 8, 7] and fnr[6] <= 4  # 12.03.87, an individual number of the 1900s
        assert sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2, 1), fnr, strict=False)) % 11 == 0
        assert sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1), fnr, strict=True)) % 11 == 0
        assert norwegian_birth_number(rng, "20010101")[6] >= "5"  # born in the 2000s: 500-999
        zim = re.fullmatch(r"(\d\d)-(\d{6,7}) ?([A-Z]) ?(\d\d)", zimbabwe_national_id(rng))
        assert zim and "ZABCDEFGHJKLMNPQRSTVWXY"[int(zim[1] + zim[2]) % 23] == zim[3]
        assert int(pakistani_cnic(rng, female=True)[-1]) % 2 == 0 and int(pakistani_cnic(rng, female=False)[-1]) % 2
        assert re.fullmatch(r"\d{5,7}[MGAPLHB]", maltese_identity_card(rng))
    # known values: Verhoeff's worked example (236 takes 3) and a RUT often used as an example (12.345.678-5)
    assert verhoeff_digit("236") == "3" and rut_check(12_345_678) == "5" and rut_check(10_000_013) == "K"
    assert not _verhoeff_valid("2364") and _verhoeff_valid("2363")
    # two Zimbabwean numbers published as examples of valid ones (50-2001148W50, 08-2047823Q29)
    assert zimbabwe_check_letter("502001148") == "W" and zimbabwe_check_letter("082047823") == "Q"


def _verhoeff_valid(number: str) -> bool:
    """Verhoeff's rule stated from its algebra, not its tables (an independent statement of it): products in
    the dihedral group D5 (0-4 rotations, 5-9 reflections), the position permutation's powers, and the whole
    number, check digit included, reducing to 0."""

    def product(j: int, k: int) -> int:
        if j < 5:
            return (j + k) % 5 + (5 if k >= 5 else 0)
        return 5 + (j - k) % 5 if k < 5 else (j - k) % 5

    powers = [list(range(10)), [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
    while len(powers) < 8:
        powers.append([powers[1][x] for x in powers[-1]])
    check = 0
    for i, char in enumerate(reversed(number)):
        check = product(check, powers[i % 8][int(char)])
    return check == 0


def test_held_back_15_damage_keeps_the_length_and_reads_a_g_as_a_six():
    rng = random.Random(15)
    original = "Ġiref Zebbi Efrem"
    assert all(len(ocr_damaged_15(original, rng)) == len(original) for _ in range(200))
    assert any("6" in ocr_damaged_15("Gorġ", random.Random(seed)) for seed in range(20))


# ---------------------------------------------------------------------------- held_back_16


def test_held_back_16_sets_its_forms_as_real_ones_are():
    text = _page_text("held_back_16")
    assert "┌" in text and "│ Candidate" in text  # the driving-test booking's boxes
    assert re.search(r"THE SELLER {20,}THE BUYER", text)  # two columns
    assert re.search(r"Time +Customer +Phone +ID document", text)  # the register's table
    assert re.search(r"(\d{1,3}\.){3}\d{1,3}:\d{4,5} ", text)  # an IPv4 followed by its port


def test_held_back_16_identity_numbers_pass_their_own_checks():
    rng = random.Random(16)
    for _ in range(60):
        number = re.sub(r"\D", "", snils(rng))
        assert len(number) == 11 and number[9:] == _snils_check_by_rule(number[:9])
        inn = personal_inn(rng)
        assert len(inn) == 12 and _inn_valid(inn)
        nir = french_nir(rng, "19870312", female=True).replace(" ", "")
        assert nir[:5] == "28703" and (int(nir[:13]) + int(nir[13:])) % 97 == 0  # the key completes a multiple
        pin = kyrgyz_pin(rng, "19870312", female=False)
        assert len(pin) == 14 and pin[:9] == "212031987"
        assert re.fullmatch(r"1(39[7-9]|40[0-2])-\d{4}-\d{5}", afghan_tazkira(rng))
        assert luhn_valid(payment_card(rng))
        bank, branch, account = (
            f"{rng.randint(10000, 99999)}",
            f"{rng.randint(0, 99999):05d}",
            str(rng.randint(0, 10**11 - 1)),
        )
        key = int(rib_key(bank, branch, account))  # the RIB with its key is a multiple of 97
        assert (int(bank) * 10**18 + int(branch) * 10**13 + int(account) * 100 + key) % 97 == 0
    # published examples: SNILS 112-233-445 95, a personal INN 500100732259, the NIR 2 55 08 14 168 025 38
    assert snils_check("112233445") == "95" and inn_checks("5001007322") == "59" and nir_key("2550814168025") == "38"
    assert snils_check("000000000") == "00" and _snils_check_by_rule("999999999") == snils_check("999999999")
    # IBANs published as examples of Senegal's and Kosovo's, valid by ISO 13616's rule
    for example in ("SN08SN0100152000048500003035", "XK051212012345678906"):
        assert int("".join(str(int(c, 36)) for c in example[4:] + example[:4])) % 97 == 1


def _snils_check_by_rule(nine: str) -> str:
    """SNILS's rule, stated apart: the weighted sum (9 to 1) mod 101, and 100 written as 00."""
    return f"{sum(int(d) * w for d, w in zip(nine, range(9, 0, -1), strict=True)) % 101 % 100:02d}"


def _inn_valid(inn: str) -> bool:
    """Both checks of a personal INN, as weighted sums of all the digits before each."""
    digits = [int(c) for c in inn]
    first = sum(w * d for w, d in zip((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), digits, strict=False)) % 11 % 10
    second = sum(w * d for w, d in zip((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8), digits, strict=False)) % 11 % 10
    return digits[10] == first and digits[11] == second


def test_held_back_16_reads_the_afghan_solar_calendar():
    # 1 Hamal is the March equinox; 1 Jadi 1365 was 22 December 1986, 29 Hut 1365 was 20 March 1987
    assert solar_to_gregorian(1400, 1, 1) == datetime.date(2021, 3, 21)
    assert solar_to_gregorian(1365, 10, 1) == datetime.date(1986, 12, 22)
    assert solar_to_gregorian(1365, 12, 29) == datetime.date(1987, 3, 20)


def test_held_back_16_damage_reads_a_g_as_a_q_and_leaves_digits_alone():
    assert any("q" in ocr_damaged_16("Gjergj", random.Random(seed)) for seed in range(20))
    assert ocr_damaged_16("1234", random.Random(16)) == "1234"  # nothing to damage: read right


def test_held_back_16_builds_a_name_again_while_the_gazetteer_holds_a_word():
    known = sorted(first_name_gazetteer())[0]
    tries = iter([f"{known} Gwennec", "Lanvez Gwennec"])
    assert HeldBack16Values()._fresh(lambda: next(tries)) == "Lanvez Gwennec"
