"""held_back_14, held back for the detector after v14 (run once with v15, spent): built here, checked without it.

Nothing here runs the redactor on the slice or prints what it finds: the lead runs it once, after v15 is merged.
"""

from __future__ import annotations

import random
import re

from mm_assets.operations.pii_sets_built_names import name_words
from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_14 import (
    BIRTH_LABELS,
    SPOKEN_PII,
    chinese_identity_number,
    ocr_damaged,
    spoken_card,
    thai_identity_number,
    turkish_identity_number,
)
from mm_assets.operations.pii_slices import (
    HELD_BACK_SLICES,
    SLICES,
    other_source_documents,
    spoken_pii,
)
from resources.pii_names import first_name_gazetteer

NAME = "held_back_14"


def _values(kind: str) -> list[str]:
    return [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == kind]


def test_held_back_14_is_the_held_back_slice_the_same_every_time_with_every_value_on_its_page():
    first, again = other_source_documents(NAME), other_source_documents(NAME)
    assert [(d.name, d.pages, d.planted) for d in first] == [(d.name, d.pages, d.planted) for d in again]
    assert NAME not in HELD_BACK_SLICES and SLICES[-3] == NAME  # run once with v15 (2026-12-03 18:41), spent
    assert len(first) == 24 and 180 <= sum(len(d.planted) for d in first) <= 210
    kinds = {p.kind for d in first for p in d.planted}
    assert kinds == {"person", "address", "phone", "dob", "email", "ssn", "iban", "card", "ip"}
    for document in first:
        assert {p.kind for p in document.planted} >= {"person", "address"}, document.name
        for planted in document.planted:
            assert planted.value in "\n".join(document.pages[planted.page - 1]), (document.name, planted)
    assert any(len(d.pages) == 2 and any(p.page == 2 for p in d.planted) for d in first)


def test_held_back_14_names_templates_and_voices_are_in_no_earlier_slice_nor_the_gazetteer():
    people = _values("person")
    assert len(people) > 40 and len(set(people)) > 0.9 * len(people)
    gazetteer = {word.lower() for word in first_name_gazetteer()}
    assert not {word for person in people for word in name_words(person)} & gazetteer
    earlier = SLICES[: SLICES.index(NAME)]
    earlier_people = {p.value for s in earlier for d in other_source_documents(s) for p in d.planted}
    assert not set(people) & earlier_people
    assert not {p.value for d in other_source_documents(NAME) for p in d.planted} & earlier_people
    templates = {d.name.split("-", 2)[2] for d in other_source_documents(NAME, 6)}
    assert len(templates) == 6
    assert not templates & {d.name.split("-", 2)[2] for s in earlier for d in other_source_documents(s, 6)}
    voices = {voice for voice, _rate, _kind, _sentence in SPOKEN_PII}
    assert len(voices) == 6 and not voices & {voice for s in earlier for voice, _rate, _sentence in spoken_pii(s)}
    rates = {rate for _voice, rate, _kind, _sentence in SPOKEN_PII}
    assert not rates & {rate for s in earlier for _voice, rate, _sentence in spoken_pii(s)}
    assert [kind for _v, _r, kind, _s in SPOKEN_PII] == ["card", "address", "email", "ssn", "person", "phone"]
    assert luhn_valid(spoken_card()) and all(s.isascii() for _v, _r, _k, s in SPOKEN_PII if _k == "email")


def test_held_back_14_writes_the_traditions_addresses_and_dates_it_was_written_for():
    people, addresses, dates = " ".join(_values("person")), _values("address"), _values("dob")
    for mark in (" ap ", " ferch ", " Mac", " Nic", "Ni ", "I ", "nnguaq", "tsiaq"):
        assert mark in f" {people} ", mark
    assert any(day in people for day in ("Kossi", "Kodjo", "Komla", "Yawo", "Koffi", "Kwami", "Abla", "Afiwa"))
    assert any(clan in people for clan in ("Vang", "Xiong", "Thao", "Moua", "Vaj", "Xyooj", "Thoj", "Yaj"))
    assert not re.search(r"(.)\1\1", people)  # no letter written three times over
    for mark in (" Mah. ", " Moo ", "Soi ", "Digital address ", "Kalaallit Nunaat", " Dist.", " Danyuan ", " m "):
        assert any(mark in a for a in addresses), mark
    assert any(a.startswith("Room ") and "Building" in a for a in addresses)
    assert any(a.endswith(" AH") for a in dates) and any(re.fullmatch(r"\d{8}", a) for a in dates)
    assert any(re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", a) for a in dates) and any(". " in a for a in dates)
    text = "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page)
    assert sum(label in text for label in BIRTH_LABELS) >= 5
    phones = " ".join(_values("phone"))
    for code in ("+90 ", "+966 ", "+233 ", "+86 ", "+506 ", "+299 "):
        assert code in phones, code


def test_held_back_14_numbers_pass_their_own_checks():
    for number in _values("iban"):  # ISO 13616: the country and check moved to the end, mod 97 leaves 1
        compact = number.replace(" ", "")
        assert int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1, number
    assert all(luhn_valid(card) for card in _values("card")) and len(_values("card")) >= 4
    assert all(all(0 <= int(part) <= 255 for part in ip.split(".")) for ip in _values("ip"))
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


def test_held_back_14_damages_text_in_new_ways():
    rng = random.Random(14)
    original = "Illiwen Nicolas Tsagbor"
    damaged = {ocr_damaged(original, rng) for _ in range(80)}
    assert original not in damaged
    for mark in ("Nieolas", "Tsogbor", "llliwen", "IIliwen", "Illiwen nicolas", "Illiweri"):
        assert any(mark in t for t in damaged), mark
