"""held_back_16, held back for the detector after v16 and run once with v17: built here, checked without it.

Nothing here runs the redactor on the slice: the lead ran it once, after v17 was merged (it was written while
v17 was written without sight of it).
"""

from __future__ import annotations

import datetime
import random
import re

from mm_assets.operations.pii_sets_built_names import name_words
from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_16 import (
    BIRTH_LABELS,
    TRADITIONS,
    HeldBack16Values,
    ocr_damaged,
    solar_to_gregorian,
)
from mm_assets.operations.pii_sets_held_back_16_forms import SPOKEN_PII, spoken_card
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
from mm_assets.operations.pii_slices import HELD_BACK_SLICES, SLICES, other_source_documents, spoken_pii
from resources.pii_names import first_name_gazetteer

NAME = "held_back_16"


def _values(kind: str) -> list[str]:
    return [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == kind]


def _page_text() -> str:
    return "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page)


def _iban_valid(number: str) -> bool:
    """ISO 13616: the country and check moved to the end, letters as 10-35, the number mod 97 leaves 1."""
    compact = number.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


def test_held_back_16_is_held_back_the_same_every_time_with_every_value_on_its_page():
    first, again = other_source_documents(NAME), other_source_documents(NAME)
    assert [(d.name, d.pages, d.planted) for d in first] == [(d.name, d.pages, d.planted) for d in again]
    assert NAME not in HELD_BACK_SLICES and SLICES[-1] == NAME  # run once with v17 (2026-12-04 04:34), spent
    assert len(first) == 24 and 210 <= sum(len(d.planted) for d in first) <= 240
    counts = {kind: len(_values(kind)) for kind in ("person", "address", "dob", "ssn", "phone", "email")}
    assert counts["person"] >= 60 and counts["address"] >= 48 and min(counts.values()) >= 12, counts
    assert min(len(_values(kind)) for kind in ("iban", "card", "ip")) >= 8
    kinds = {p.kind for d in first for p in d.planted}
    assert kinds == {"person", "address", "phone", "dob", "email", "ssn", "iban", "card", "ip"}
    for document in first:
        assert {p.kind for p in document.planted} >= {"person", "address"}, document.name
        for planted in document.planted:
            assert planted.value in "\n".join(document.pages[planted.page - 1]), (document.name, planted)
    assert any(len(d.pages) == 2 and any(p.page == 2 for p in d.planted) for d in first)


def test_held_back_16_names_templates_and_voices_are_in_no_earlier_slice_nor_the_gazetteer():
    people = _values("person")
    assert len(set(people)) > 0.9 * len(people)
    gazetteer = {word.lower() for word in first_name_gazetteer()}
    assert not {word for person in people for word in name_words(person)} & gazetteer
    earlier = SLICES[: SLICES.index(NAME)]
    earlier_values = {p.value for s in earlier for d in other_source_documents(s) for p in d.planted}
    assert not {p.value for d in other_source_documents(NAME) for p in d.planted} & earlier_values
    earlier_words = {w for value in earlier_values for w in name_words(value)}
    # nearly all of the slice's name words are in no earlier slice (a short Wolof family name may recur)
    words = {w for person in people for w in name_words(person)}
    assert len(words - earlier_words) > 0.9 * len(words)
    templates = {d.name.split("-", 2)[2] for d in other_source_documents(NAME, 6)}
    assert len(templates) == 6
    assert not templates & {d.name.split("-", 2)[2] for s in earlier for d in other_source_documents(s, 12)}
    voices = {voice for voice, _rate, _kind, _sentence in SPOKEN_PII}
    assert len(voices) == 6 and not voices & {voice for s in earlier for voice, _rate, _sentence in spoken_pii(s)}
    earlier_variants = {voice.split("+")[-1].lower() for s in earlier for voice, _r, _s in spoken_pii(s)}
    assert not {voice.split("+")[1].lower() for voice in voices} & earlier_variants  # new variants, not new cases
    rates = {rate for _voice, rate, _kind, _sentence in SPOKEN_PII}
    assert not rates & {rate for s in earlier for _voice, rate, _sentence in spoken_pii(s)}
    assert [kind for _v, _r, kind, _s in SPOKEN_PII] == ["card", "address", "email", "ssn", "person", "phone"]
    assert luhn_valid(spoken_card()) and all(s.isascii() for _v, _r, _k, s in SPOKEN_PII if _k == "email")
    spoken_person = next(s for _v, _r, k, s in SPOKEN_PII if k == "person")
    assert not set(re.findall(r"[A-Z]\w+", spoken_person)[1:]) & {w.capitalize() for w in gazetteer}


def test_held_back_16_writes_the_traditions_addresses_and_dates_it_was_written_for():
    assert len(TRADITIONS) == 7
    people, addresses, dates = " ".join(_values("person")), _values("address"), _values("dob")
    assert re.search(r" (uulu|kyzy) ", people) and re.search(r"\b[A-Z]\w+[oe]va? [A-Z]", people)  # Kyrgyz
    assert re.search(r"\w+(zai|khel)\b", people)  # a Pashto tribe
    assert re.search(r"\b(Le \w+|Ker\w+|\w+ec)\b", people)  # Breton family names
    assert re.search(r"\b(Diop|Ndiaye|Gueye|Mbaye|Faye|Sarr|Seck|Diouf|Thiam|Ndoye|Niang|Ngom|Mbodj)\b", people)
    assert re.search(r"\w+ov(ich|na) \w+ov", people)  # a Sakha patronymic and family name
    assert "ë" in people and any(mark in people.lower() for mark in ("xh", "gj", "ç"))  # Albanian letters
    marks = ("mkr. ", " köchösü ", "Kocha-e ", "Nahia ", " Lam", "Dzongkhag", "Lieu-dit Ker", " hent Ker", "Pallati ",
             "pranë ", "Rr. ", "Lagjja ", "Villa n° ", "BP ", "Quartier ")  # fmt: skip
    # 28 addresses draw most of the shapes; the generator writes every one of them
    assert sum(any(mark in a for a in addresses) for mark in marks) >= 12
    generator = HeldBack16Values(1)
    drawn = " | ".join(line for _ in range(300) for line in generator.address_lines())
    assert all(mark in drawn for mark in marks)
    assert not re.search(r"([^\W\d])\1\1", people + " ".join(addresses))  # no letter written three times over
    assert any(re.fullmatch(r"\d{1,2} (janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor|dhjetor)"
                            r" \d{4}", d) for d in dates)  # fmt: skip
    assert any(" a viz " in d for d in dates) and any(re.fullmatch(r"\d\d │ \d\d │ \d{4}", d) for d in dates)
    assert any(re.fullmatch(r"1[34]\d\d/\d\d/\d\d", d) for d in dates)  # the Afghan solar year
    assert any(re.fullmatch(r"\d{1,2} (Hamal|Sawr|Jawza|Saratan|Asad|Sunbula|Mizan|Aqrab|Qaws|Jadi|Dalw|Hut|Wray|"
                            r"Ghwayay|Ghbargolay|Changakh|Zmaray|Wazhay|Tala|Laram|Lindey|Marghumay|Salwagha|Kab)"
                            r" 1[34]\d\d", d) for d in dates)  # fmt: skip
    assert sum(label in _page_text() for label in BIRTH_LABELS) >= 3
    phones = " ".join(_values("phone"))
    assert sum(code in phones for code in ("+996 ", "+93 ", "+975 ", "02 98 ", "+355 ", "+383 ", "+221 ")) >= 5


def test_held_back_16_sets_its_forms_as_real_ones_are():
    text = _page_text()
    assert "┌" in text and "│ Candidate" in text  # the driving-test booking's boxes
    assert re.search(r"THE SELLER {20,}THE BUYER", text)  # two columns
    assert re.search(r"Time +Customer +Phone +ID document", text)  # the register's table
    for ip in _values("ip"):  # an IPv4 followed by its port, or an IPv6 written in full
        assert re.fullmatch(r"(\d{1,3}\.){3}\d{1,3}", ip) or re.fullmatch(r"([0-9a-f]{4}:){7}[0-9a-f]{4}", ip), ip
    assert re.search(r"(\d{1,3}\.){3}\d{1,3}:\d{4,5} ", text)


def test_held_back_16_numbers_pass_their_own_checks():
    ibans = _values("iban")
    assert all(_iban_valid(number) for number in ibans) and {number[:2] for number in ibans} <= {"AL", "XK", "FR", "SN"}
    assert _iban_valid("SN08SN0100152000048500003035") and _iban_valid("XK051212012345678906")  # published examples
    cards = _values("card")
    assert all(luhn_valid(card) for card in cards)
    assert {len(re.sub(r"\D", "", card)) for card in cards} <= {16, 19}
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


def test_held_back_16_damages_text_in_new_ways():
    rng = random.Random(16)
    original = "Bardhë Dodwaj Gjyliy"
    damaged = {ocr_damaged(original, rng) for _ in range(300)}
    assert original not in damaged
    for mark in ("Dodvvaj", "Bardlië", "Gjyliv", "8ardhë", "Oodwaj", "Bardhe"):
        assert any(mark in t for t in damaged), mark
    assert any("q" in ocr_damaged("Gjergj", random.Random(seed)) for seed in range(20))
    assert ocr_damaged("1234", rng) == "1234"  # nothing to damage: read right


def test_held_back_16_builds_a_name_again_while_the_gazetteer_holds_a_word():
    known = sorted(first_name_gazetteer())[0]
    tries = iter([f"{known} Gwennec", "Lanvez Gwennec"])
    assert HeldBack16Values()._fresh(lambda: next(tries)) == "Lanvez Gwennec"
