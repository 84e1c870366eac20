"""held_back_17's own rules, checked without the detector: its identity and tax numbers against check rules
stated here apart from the builders and against published examples, the passport zones on its pages, the
calendars of its dates, the way its forms are set, and its speech's new phrasings.

Nothing here runs the redactor on the slice or prints what it would find: it was written while v18 was written
without sight of it, and the lead ran it once, after v18 was merged (2026-12-04 09:01, with v18 and v17); it is
tuning material since. What it shares with the earlier
built slices is tested in test_pii_held_back_slices.py.
"""

from __future__ import annotations

import datetime
import random
import re

from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_17 import HeldBack17Values, amazigh_date
from mm_assets.operations.pii_sets_held_back_17_forms import SPOKEN_PII, said_with_doubles
from mm_assets.operations.pii_sets_held_back_17_numbers import (
    cui_check,
    guatemala_cui,
    mac_address,
    mrz_check,
    mrz_name,
    paraguay_ruc,
    passport_mrz,
    payment_card,
    ruc_check,
    rwanda_national_id,
    uganda_nin,
)
from mm_assets.operations.pii_slices import SLICES, other_source_documents, spoken_pii
from resources.pii_names import first_name_gazetteer

NAME = "held_back_17"


def _documents(template: str) -> list:
    return [d for d in other_source_documents(NAME) if d.name.endswith(template)]


def _mrz_check_by_rule(field: str) -> int:
    """ICAO 9303's check, stated apart: `<` is 0, digits themselves, letters A=10 to Z=35; weights 7, 3, 1."""
    values = [0 if c == "<" else int(c, 36) for c in field]
    return sum(v * w for v, w in zip(values, [7, 3, 1] * 15, strict=False)) % 10


def test_held_back_17_passport_zones_hold_valid_checks_and_the_applicants_name():
    # the specimen of ICAO Doc 9303 part 4 (Anna Maria Eriksson, Utopia): its published check digits
    specimen = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    assert mrz_check("L898902C3") == "6" and mrz_check("740812") == "2" and mrz_check("120415") == "9"
    assert mrz_check("ZE184226B<<<<<") == "1"
    assert mrz_check(specimen[0:10] + specimen[13:20] + specimen[21:43]) == "0"
    assert mrz_name("Eriksson") + "<<" + mrz_name("Anna María") == "ERIKSSON<<ANNA<MARIA"
    assert mrz_name("Aɣilas Aït Uɛli") == "AGILAS<AIT<UELI" and mrz_name("Ixq'anil") == "IXQANIL"
    documents = _documents("passport_renewal")
    assert len(documents) == 4
    for document in documents:
        lines = document.pages[0]
        zone = next(i for i, line in enumerate(lines) if line.startswith("P<"))
        first, second = lines[zone], lines[zone + 1]
        assert len(first) == len(second) == 44 and re.fullmatch(r"[A-Z0-9<]{88}", first + second)
        checks = ((second[0:9], second[9]), (second[13:19], second[19]), (second[21:27], second[27]))
        assert all(_mrz_check_by_rule(field) == int(check) for field, check in checks)
        assert _mrz_check_by_rule(second[0:10] + second[13:20] + second[21:43]) == int(second[43])
        planted = {p.value for p in document.planted}
        assert first[5:].rstrip("<") in planted and second[:28] in planted
    zone_a, zone_b = passport_mrz(random.Random(3), "Niyonzima", "Cyusa", "RWA", "19870312", female=False)
    # 870312 weighted 7-3-1: 56 + 21 + 0 + 21 + 3 + 2 = 103, its check 3
    assert zone_a.startswith("P<RWANIYONZIMA<<CYUSA<") and zone_b[10:21] == "RWA8703123M"


def test_held_back_17_identity_and_tax_numbers_pass_their_own_checks():
    rng = random.Random(17)
    for _ in range(60):
        cui = guatemala_cui(rng).replace(" ", "")
        weighted = sum(int(d) * w for d, w in zip(cui[:8], range(2, 10), strict=True))
        assert len(cui) == 13 and weighted % 11 == int(cui[8]) and cui[9:11] in ("01", "15", "16", "17")
        assert 1 <= int(cui[11:]) <= 17
        ruc = paraguay_ruc(rng)
        number, check = ruc.split("-")
        assert check == _ruc_check_by_rule(number)
        rwanda = rwanda_national_id(rng, "19870312", female=True).split()
        assert [len(p) for p in rwanda] == [1, 4, 1, 7, 1, 2] and rwanda[1:3] == ["1987", "7"]
        assert re.fullmatch(r"CM87\d{6}[A-Z]{4}", uganda_nin(rng, "19870312", female=False))
        assert luhn_valid(payment_card(rng))
        assert re.fullmatch(
            r"([0-9a-f]{2}:){5}[0-9a-f]{2}|([0-9A-F]{2}-){5}[0-9A-F]{2}|([0-9a-f]{4}\.){2}[0-9a-f]{4}", mac_address(rng)
        )
    assert cui_check("24567890") == sum(int(d) * (i + 2) for i, d in enumerate("24567890")) % 11
    assert ruc_check("80000519") == _ruc_check_by_rule("80000519")
    # IBANs published as examples of these countries' (ISO 13616's registry), valid by its rule, and the slice's
    examples = ("GT82TRAJ01020000001210029690", "BR1800360305000010009795493C1", "MU17BOMM0101101030300200000MUR",
                "SC18SSCB11010000000000001497USD", "EG380019000500000000263180002")  # fmt: skip
    for example in examples:
        assert int("".join(str(int(c, 36)) for c in example[4:] + example[:4])) % 97 == 1, example


def _ruc_check_by_rule(number: str) -> str:
    """The RUC's check, stated apart: weights 2 to 11 from the right, in a cycle; 11 minus the rest, 0 for a
    rest of 0 or 1."""
    weights = [2 + i % 10 for i in range(len(number))]
    rest = sum(int(d) * w for d, w in zip(reversed(number), weights, strict=True)) % 11
    return "0" if rest < 2 else str(11 - rest)


def test_held_back_17_dates_use_the_amazigh_calendar_and_iso_weeks():
    assert amazigh_date(datetime.date(2026, 1, 14)) == (1, 1, 2976)  # Yennayer 1, 2976
    assert amazigh_date(datetime.date(1987, 3, 12)) == (27, 2, 2937)
    dates = [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == "dob"]
    for week_date in (d for d in dates if "-W" in d):  # a real day of a year of birth
        year, week, day = (int(part) for part in re.split(r"-W?", week_date))
        assert 1940 <= datetime.date.fromisocalendar(year, week, day).year <= 2008
    assert all(not re.fullmatch(r"[\d./-]+", d) for d in dates)  # no date of digits and separators alone


def test_held_back_17_sets_its_forms_as_real_ones_are():
    for register in _documents("coffee_cooperative_register"):  # in each, one phone runs into the name after it
        text = "\n".join(register.pages[0])
        phones = [p.value for p in register.planted if p.kind == "phone"]
        assert sum(bool(re.search(re.escape(phone) + r"([^\W\d_]|\|<)", text)) for phone in phones) == 1
    wrapped = [d for d in _documents("coffee_cooperative_register") if any(line.startswith(" " * 27) for line in
               d.pages[0])]  # fmt: skip
    assert wrapped  # a long name wraps in its cell, each part planted
    slip = "\n".join(_documents("school_fee_deposit_slip")[0].pages[0])
    assert re.search(r"Pupil's full name \.{5,} \S", slip)
    letter = _documents("character_reference")[0]
    assert len(letter.pages) == 2 and letter.pages[0][0] == letter.pages[1][-1]  # the referee, above and under
    addresses = [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == "address"]
    english = ("Road", "Lane", "Avenue", "Street", "Drive", "Close", "Way", "Crescent", "St", "Ave", "Rd")
    assert sum(any(word in a.split() for word in english) for a in addresses) >= 6


def test_held_back_17_speaks_in_phrasings_no_slice_used():
    sentences = {kind: sentence for _v, _r, kind, sentence in SPOKEN_PII}
    earlier = [s for name in SLICES[: SLICES.index(NAME)] for _v, _r, s in spoken_pii(name)]
    for kind, sentence in sentences.items():
        opening = " ".join(sentence.split()[:4])
        assert not any(opening in s for s in earlier), kind
    assert "no, sorry, the whole number is" in sentences["card"]
    assert re.search(r"spelt (\w, ){4,}", sentences["email"])  # letter by letter
    assert sentences["address"].startswith("You can find me at") and "oh seven double eight, " in sentences["phone"]
    assert said_with_doubles("0788 123 455") == "oh seven double eight, one two three, four double five"
    assert said_with_doubles("0777") == "oh triple seven"
    spoken_card = re.findall(r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine)[ ,.]*)+$", sentences["card"])
    assert spoken_card and len(re.findall(r"zero|one|two|three|four|five|six|seven|eight|nine", spoken_card[0])) == 16


def test_held_back_17_damages_an_apostrophe_and_builds_names_again_while_the_gazetteer_holds_a_word():
    from mm_assets.operations.pii_sets_held_back_17 import ocr_damaged

    assert ocr_damaged("1234", random.Random(17)) == "1234"  # nothing to damage: read right
    known = sorted(first_name_gazetteer())[0]
    tries = iter([f"{known} Kabua", "Lajebua Kabua"])
    assert HeldBack17Values()._fresh(lambda: next(tries)) == "Lajebua Kabua"
