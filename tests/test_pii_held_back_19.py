"""held_back_19's own rules, checked without the detector: its identity and tax numbers against check rules
stated here apart from the builders and against examples worked by hand, the calendars of its dates, the way its
forms are set, its names' rules, and its speech's new phrasings.

Nothing here runs the redactor on the slice or prints what it would find: it was written while v20 was written
without sight of it, and the lead ran it once, with v19 and v20 (2026-12-04 12:36 UTC); it is spent since. What it
shares with the earlier built slices is tested in test_pii_held_back_slices.py.
"""

from __future__ import annotations

import random
import re

from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_19 import BIRTH_LABELS, HeldBack19Values, ocr_damaged
from mm_assets.operations.pii_sets_held_back_19_forms import SPOKEN_PII, split_at_middle
from mm_assets.operations.pii_sets_held_back_19_numbers import (
    ean13_digit,
    ecuador_cedula,
    jmbg,
    jmbg_check,
    payment_card,
    swiss_ahv,
    tax_file_number,
    tfn_valid,
    uruguay_cedula,
)
from mm_assets.operations.pii_slices import HELD_BACK_SLICES, SLICES, other_source_documents, spoken_pii
from resources.pii_names import first_name_gazetteer

NAME = "held_back_19"
_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def _documents(template: str) -> list:
    return [d for d in other_source_documents(NAME) if d.name.endswith(template)]


def _values(kind: str) -> list[str]:
    return [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == kind]


def _ahv_by_rule(number: str) -> bool:
    """AHVN13, stated apart: 13 digits from 756, the 13th making 1x d1 + 3x d2 + 1x d3 ... a multiple of 10."""
    digits = [int(d) for d in number if d.isdigit()]
    return (
        len(digits) == 13
        and number.startswith("756.")
        and sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    )


def _jmbg_by_rule(number: str) -> bool:
    """JMBG, stated apart: m = 11 - (7(a+g) + 6(b+h) + 5(c+i) + 4(d+j) + 3(e+k) + 2(f+l)) mod 11; the 13th
    digit is m, or 0 where m is 11."""
    d = [int(c) for c in number]
    s = 7 * (d[0] + d[6]) + 6 * (d[1] + d[7]) + 5 * (d[2] + d[8]) + 4 * (d[3] + d[9]) + 3 * (d[4] + d[10])
    m = 11 - (s + 2 * (d[5] + d[11])) % 11
    return len(d) == 13 and m != 10 and d[12] == m % 11


def _ecuador_by_rule(number: str) -> bool:
    """Coefficients 2, 1, 2, 1 ... over nine digits, a product over 9 less 9, the tenth digit up to a ten."""
    products = [int(d) * c for d, c in zip(number[:9], (2, 1, 2, 1, 2, 1, 2, 1, 2), strict=True)]
    total = sum(p - 9 if p > 9 else p for p in products)
    return 1 <= int(number[:2]) <= 24 and int(number[2]) < 6 and (total + int(number[9])) % 10 == 0


def _uruguay_by_rule(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    return (sum(d * w for d, w in zip(digits[:7], (2, 9, 8, 7, 6, 3, 4), strict=True)) + digits[7]) % 10 == 0


def _tfn_by_rule(number: str) -> bool:
    digits = [int(d) for d in number.replace(" ", "")]
    return sum(d * w for d, w in zip(digits, (1, 4, 3, 7, 5, 8, 6, 9, 10), strict=True)) % 11 == 0


def test_held_back_19_is_spent_and_reported_before_held_back_20():
    assert NAME not in HELD_BACK_SLICES  # judged v20 once (2026-12-04 12:36), tuning since
    assert SLICES[SLICES.index(NAME) + 1 :] == ("held_back_20", "held_back_21")


def test_held_back_19_identity_and_tax_numbers_pass_their_own_checks():
    # examples worked by hand: the AHV number Swiss documentation prints, a JMBG of 1 January 2006, an Ecuadorian
    # cédula, the Uruguayan `1.234.567-2` and the tax file number `123 456 782`; a digit changed fails each
    assert ean13_digit("756921707698") == "5" and _ahv_by_rule("756.9217.0769.85")
    assert not _ahv_by_rule("756.9217.0769.84")
    assert jmbg_check("010100650000") == 6 and _jmbg_by_rule("0101006500006") and not _jmbg_by_rule("0101006500007")
    assert _ecuador_by_rule("1714307103") and not _ecuador_by_rule("1714307104")
    assert _uruguay_by_rule("1.234.567-2") and not _uruguay_by_rule("1.234.567-3")
    assert tfn_valid("123 456 782") and _tfn_by_rule("123456782") and not tfn_valid("123 456 783")
    rng = random.Random(19)
    for _ in range(80):
        assert _ahv_by_rule(ahv := swiss_ahv(rng)) and re.fullmatch(r"756\.\d{4}\.\d{4}\.\d\d", ahv)
        man = jmbg(rng, "19870312")
        assert man.startswith("1203987") and _jmbg_by_rule(man)
        assert jmbg(rng, "20020705").startswith("0507002")
        assert _ecuador_by_rule(cedula := ecuador_cedula(rng)) and len(cedula) == 10
        assert re.fullmatch(r"\d\.\d{3}\.\d{3}-\d", ci := uruguay_cedula(rng)) and _uruguay_by_rule(ci)
        assert re.fullmatch(r"\d{3} \d{3} \d{3}", tfn := tax_file_number(rng)) and _tfn_by_rule(tfn)
        card = payment_card(rng)
        digits = card.replace(" ", "")
        assert luhn_valid(card) and len(digits) == (17 if digits.startswith("6703") else 16)
    # IBANs printed as examples of these countries' in ISO 13616's registry, valid by its rule
    examples = ("CH9300762011623852957", "ME25505000012345678951", "KW81CBKU0000000000001234560101",
                "DO28BAGR00000001212453611324", "AD1200012030200359100100")  # fmt: skip
    for example in examples:
        assert int("".join(str(int(c, 36)) for c in example[4:] + example[:4])) % 97 == 1, example


def test_held_back_19_identity_numbers_on_its_pages_pass_the_check_of_their_country():
    numbers = _values("ssn")
    checks = {
        r"756\.\d{4}\.\d{4}\.\d\d": _ahv_by_rule,
        r"\d{13}": _jmbg_by_rule,
        r"\d{10}": _ecuador_by_rule,
        r"\d\.\d{3}\.\d{3}-\d": _uruguay_by_rule,
        r"\d{3} \d{3} \d{3}": _tfn_by_rule,
    }
    for number in numbers:
        rule = next(check for shape, check in checks.items() if re.fullmatch(shape, number))
        assert rule(number), number
    assert {shape for shape in checks if any(re.fullmatch(shape, n) for n in numbers)} == set(checks)


def test_held_back_19_dates_are_real_days_in_every_form():
    dates = _values("dob")
    apostrophe = [d for d in dates if "'" in d]
    assert apostrophe and all(re.fullmatch(r"(\w+\.?) ([1-9]|1\d|2[0-8]), '\d\d", d) for d in apostrophe)
    assert all(d.split()[0] in _MONTHS for d in apostrophe)
    assert any(d.endswith(" ý.") for d in dates) and any(d.startswith("ils ") for d in dates)
    assert any("i soli " in d for d in dates)
    for date in dates:  # a day of 1 to 28 and a year of 1940 to 2008 in every form
        day = int(re.search(r"\d+", date).group())
        year = re.findall(r"\d{4}", date)
        assert 1 <= day <= 28 and all(1940 <= int(y) <= 2008 for y in year)
        assert not re.fullmatch(r"[\d./-]+", date)  # no date of digits and separators only


def test_held_back_19_builds_names_by_their_traditions_rules():
    values = HeldBack19Values(7)
    turkmen = [values._turkmen() for _ in range(200)]
    for name in turkmen:
        family = next(w for w in name.split() if re.search(r"(ow|owa|ýew|ýewa)$", w))
        given = next(w for w in name.split() if w != family)
        woman = given.endswith(("jemal", "gül", "bibi", "nabat", "soltan", "jahan", "ogulbike"))
        assert family.endswith("a") == woman, name  # the family name agrees with the sex
        father = re.sub(r"(ýewa|ýew|owa|ow)$", "", family)
        assert ("ýew" in family) == (father[-1] in "aeiouyäöü"), name  # -ýew after a vowel, -ow after a consonant
    sesotho = [values._sesotho() for _ in range(200)]
    assert any(n.startswith("'Ma") and n[3].islower() for n in sesotho)
    tajik = [values._tajik() for _ in range(200)]
    assert any(n.endswith("zoda") for n in tajik) and any(n.endswith("ova") for n in tajik)
    people = " ".join(_values("person"))
    assert re.search(
        r"\b(Ntate|'Me|Signur|Dunna|Bambo|Mayi|Janob|Bonu|Hormatly) ",
        "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page),
    )
    assert not re.search(r"\b(Ntate|Signur|Dunna|Bambo|Mayi|Janob|Hormatly)\b", people)  # the title is not planted


def test_held_back_19_sets_its_forms_as_real_ones_are():
    for application in _documents("nursery_place_application"):  # a card number over two lines
        card = next(p.value for p in application.planted if p.kind == "card")
        assert "\n" in card and luhn_valid(card)
        assert card in "\n".join(application.pages[0])
    for requisition in _documents("blood_panel_requisition"):  # the e-mail address broken after its @
        email = next(p.value for p in requisition.planted if p.kind == "email")
        assert email.count("\n") == 1 and email.split("\n")[0].endswith("@")
    for claim in _documents("storm_damage_claim"):  # the e-mail ends with a name and a phone, no greeting
        message = claim.pages[1]
        writer = [p.value for p in claim.planted if p.kind == "person"][-1]
        assert message[-2] == writer and not re.search(r"regards|wishes|thanks|sincerely", "\n".join(message), re.I)
    for agreement in _documents("room_in_shared_flat"):  # the tenant signs alone on the second page
        assert len(agreement.pages) == 2 and any(p.page == 2 and p.kind == "person" for p in agreement.planted)
    assert split_at_middle("9860 1234 5678 9012") == "9860 1234\n5678 9012"
    assert sum(label in "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page)
               for label in BIRTH_LABELS) == len(BIRTH_LABELS)  # fmt: skip


def test_held_back_19_speaks_in_phrasings_no_slice_used():
    sentences = {kind: sentence for _v, _r, kind, sentence in SPOKEN_PII}
    earlier = [s for name in SLICES[: SLICES.index(NAME)] for _v, _r, s in spoken_pii(name)]
    for kind, sentence in sentences.items():
        opening = " ".join(sentence.split()[:4])
        assert not any(opening in s for s in earlier), kind
    assert "long number printed on the front" in sentences["card"] and " dash " in sentences["email"]
    assert "oh one six two four" in sentences["phone"] and "Koror" in sentences["address"]
    assert re.search(r"seven five six, (\w+ ){3}\w+, ", sentences["ssn"])  # an AHV number, read in its groups
    spoken_card = re.findall(r"\b(?:(?:zero|one|two|three|four|five|six|seven|eight|nine)\b[ ,]*)+", sentences["card"])
    assert len(re.findall(r"zero|one|two|three|four|five|six|seven|eight|nine", spoken_card[0])) == 16


def test_held_back_19_damages_names_in_its_own_ways_and_builds_names_again_while_the_gazetteer_holds_a_word():
    assert ocr_damaged("1234", random.Random(19)) == "1234"  # nothing to damage: read right
    damaged = {ocr_damaged("Ngiraklou Callister", random.Random(seed)) for seed in range(80)}
    assert "NgiraklouCallister" in damaged and "Ngiraklou Callister" not in damaged
    known = sorted(first_name_gazetteer())[0]
    tries = iter([f"{known} Quayle", "Illiam Quayle"])
    assert HeldBack19Values()._fresh(lambda: next(tries)) == "Illiam Quayle"
