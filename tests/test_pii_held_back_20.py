"""held_back_20's own rules, checked without the detector: its identity numbers against check rules stated here
apart from the builders and against published examples, its IBANs' national checks, the calendars of its dates,
the way its forms are set, its names' rules, and its speech's new phrasings.

Nothing here runs the redactor on the slice or prints what it would find: it was written while v21 was written
without sight of it, and judged v20 and v21 once (the lead, 2026-12-04 15:47 UTC); it is tuning material since. What
it shares with the earlier built slices is tested in test_pii_held_back_slices.py.
"""

from __future__ import annotations

import random
import re

from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_20 import BIRTH_LABELS, HeldBack20Values, ocr_damaged
from mm_assets.operations.pii_sets_held_back_20_forms import SPOKEN_PII
from mm_assets.operations.pii_sets_held_back_20_numbers import (
    bank_account,
    belgian_national_number,
    brazil_cpf,
    cpf_checks,
    estonian_check,
    estonian_personal_code,
    finnish_identity_code,
    network_address,
    payment_card,
    pesel,
    pesel_check,
    polish_sort_code,
    spanish_control_digit,
    spanish_dni_or_nie,
)
from mm_assets.operations.pii_slices import HELD_BACK_SLICES, SLICES, other_source_documents, spoken_pii
from resources.pii_names import first_name_gazetteer

NAME = "held_back_20"
_SORBIAN_GENITIVES = ("januara", "februara", "měrca", "apryla", "meje", "junija", "julija", "awgusta", "septembra",
                      "oktobra", "nowembra", "decembra")  # fmt: skip


def _documents(template: str) -> list:
    return [d for d in other_source_documents(NAME) if d.name.endswith(template)]


def _values(kind: str) -> list[str]:
    return [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == kind]


def _pages_text() -> str:
    return "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page)


def _pesel_by_rule(number: str) -> bool:
    """PESEL, stated apart: the eleven digits weighted 1, 3, 7, 9, 1, 3, 7, 9, 1, 3, 1 sum to a multiple of 10."""
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3, 1)
    return len(number) == 11 and sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 10 == 0


def _dni_by_rule(number: str) -> bool:
    """DNI or NIE, stated apart: X, Y, Z read as 0, 1, 2; the number mod 23 picks the letter of the table."""
    compact = number.replace("-", "")
    digits = compact[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return digits.isdigit() and "TRWAGMYFPDXBNJZSQVHLCKE"[int(digits) % 23] == compact[-1]


def _cpf_by_rule(number: str) -> bool:
    """CPF, stated apart in its other form: weights 1 to 9, mod 11 (10 is 0); then weights 0 to 9 over ten."""
    d = [int(c) for c in number if c.isdigit()]
    first = sum(x * w for x, w in zip(d[:9], range(1, 10), strict=True)) % 11 % 10
    second = sum(x * w for x, w in zip(d[:10], range(10), strict=True)) % 11 % 10
    return len(d) == 11 and d[9] == first and d[10] == second and len(set(d)) > 1


def _hetu_by_rule(code: str) -> bool:
    """The Finnish code, stated apart: DDMMYY and the individual number read as one, mod 31, in the table."""
    return re.fullmatch(r"\d{6}[-A]\d{3}[0-9A-Y]", code) is not None and (
        "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(code[:6] + code[7:10]) % 31] == code[10]
    )


def _belgian_by_rule(number: str) -> bool:
    """The Belgian number, stated apart: the check is 97 less the first nine digits mod 97, or, for those born
    from 2000, less `2` and the nine digits mod 97."""
    digits = re.sub(r"\D", "", number)
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


def _estonian_by_rule(code: str) -> bool:
    d = [int(c) for c in code]
    first = sum(x * w for x, w in zip(d[:10], (1, 2, 3, 4, 5, 6, 7, 8, 9, 1), strict=True)) % 11
    if first == 10:
        first = sum(x * w for x, w in zip(d[:10], (3, 4, 5, 6, 7, 8, 9, 1, 2, 3), strict=True)) % 11 % 10
    return d[0] in (3, 4, 5, 6) and d[10] == first


def test_held_back_20_is_spent_and_reported_before_held_back_21():
    # it judged v20 and v21 once (2026-12-04 15:47 UTC) and is tuning material since
    assert NAME not in HELD_BACK_SLICES and SLICES[SLICES.index(NAME) + 1 :] == ("held_back_21",)


def test_held_back_20_identity_numbers_pass_their_own_checks():
    # published examples: a PESEL of 14 May 1944, the DNI `12345678Z`, the NIE `X1234567L`, the CPF
    # `111.444.777-35`, the Finnish `131052-308T`, the Belgian `85.07.30-033.28` and `93.05.18-223.61` and the
    # Estonian `37605030299`; a digit changed fails each
    assert _pesel_by_rule("44051401359") and pesel_check("4405140135") == "9" and not _pesel_by_rule("44051401358")
    assert _dni_by_rule("12345678Z") and _dni_by_rule("X1234567L") and not _dni_by_rule("12345678A")
    assert _cpf_by_rule("111.444.777-35") and cpf_checks("111444777") == "35" and not _cpf_by_rule("111.444.777-36")
    assert _hetu_by_rule("131052-308T") and not _hetu_by_rule("131052-309T")
    assert _belgian_by_rule("85.07.30-033.28") and _belgian_by_rule("93.05.18-223.61")
    assert not _belgian_by_rule("85.07.30-033.29")
    assert _estonian_by_rule("37605030299") and estonian_check("3760503029") == "9"
    assert not _estonian_by_rule("37605030298")
    rng = random.Random(20)
    for born in ("19870312", "20040705", "19421128"):
        for _ in range(40):
            number = pesel(rng, born)
            month = int(number[2:4])
            assert _pesel_by_rule(number) and (month > 20) == born.startswith("20")
            assert _dni_by_rule(spanish_dni_or_nie(rng, born))
            assert re.fullmatch(r"\d{3}\.\d{3}\.\d{3}-\d\d", cpf := brazil_cpf(rng, born)) and _cpf_by_rule(cpf)
            code = finnish_identity_code(rng, born)
            assert _hetu_by_rule(code) and code[:6] == born[6:] + born[4:6] + born[2:4]
            assert (code[6] == "A") == born.startswith("20")
            belgian = belgian_national_number(rng, born)
            assert re.fullmatch(r"\d\d\.\d\d\.\d\d-\d{3}\.\d\d", belgian) and _belgian_by_rule(belgian)
            estonian = estonian_personal_code(rng, born)
            assert _estonian_by_rule(estonian) and estonian[1:7] == born[2:]


def test_held_back_20_numbers_on_its_pages_pass_the_check_of_their_country():
    checks = {
        r"\d{11}": lambda n: _pesel_by_rule(n) or _estonian_by_rule(n),
        r"[XYZ]?\d{7,8}-?[A-Z]": _dni_by_rule,
        r"\d{3}\.\d{3}\.\d{3}-\d\d": _cpf_by_rule,
        r"\d{6}[-A]\d{3}[0-9A-Y]": _hetu_by_rule,
        r"\d\d\.\d\d\.\d\d-\d{3}\.\d\d": _belgian_by_rule,
    }
    numbers = _values("ssn")
    for number in numbers:
        rule = next(check for shape, check in checks.items() if re.fullmatch(shape, number))
        assert rule(number), number
    assert {shape for shape in checks if any(re.fullmatch(shape, n) for n in numbers)} == set(checks)
    for card in _values("card"):
        digits = re.sub(r"\D", "", card)
        assert luhn_valid(card) and len(digits) in (16, 19), card
        assert digits.startswith(("62", "604201", "9804", "9051", "637", "639")), card
    rng = random.Random(20)
    assert {len(re.sub(r"\D", "", payment_card(rng))) for _ in range(200)} == {16, 19}


def test_held_back_20_ibans_carry_their_national_checks():
    # the registry's examples: ES91 2100 0418 4502 0005 1332 (control digits 4 and 5), FI21 1234 5600 0007 85
    # (a Luhn digit last), PL61 1090 1014 ... (the sort code 1090101 and its check 4)
    assert spanish_control_digit("0021000418") == "4" and spanish_control_digit("0200051332") == "5"
    assert luhn_valid("12345600000785")
    assert polish_sort_code(random.Random(1))[:3] in ("102", "105", "109", "114", "124")
    for number in _values("iban"):
        compact = number.replace(" ", "")
        if compact.startswith("ES"):
            assert compact[12] == spanish_control_digit("00" + compact[4:12]), number
            assert compact[13] == spanish_control_digit(compact[14:]), number
        if compact.startswith("FI"):
            assert luhn_valid(compact[4:]), number
        if compact.startswith("PL"):
            sort = compact[4:12]
            assert sum(int(d) * w for d, w in zip(sort, (3, 9, 7, 1, 3, 9, 7, 1), strict=True)) % 10 == 0, number
    assert {number[:2] for number in _values("iban")} == {"ES", "FI", "EE", "PL", "KZ"}  # in turn
    rng = random.Random(20)
    assert {bank_account(rng)[:2] for _ in range(100)} == {"ES", "FI", "EE", "PL", "KZ"}  # or drawn


def test_held_back_20_dates_are_real_days_in_every_form():
    dates = _values("dob")
    assert any(re.fullmatch(r"lo \d{1,2} de \w+ de \d{4}", d) for d in dates)  # Occitan
    assert any(re.fullmatch(r"lo [a-zèò-]+ de \w+ de \d{4}", d) for d in dates)  # Occitan, the day in words
    assert any(re.fullmatch(r"\d{1,2}\. \w+ \d{4}", d) and d.split()[1] in _SORBIAN_GENITIVES for d in dates)
    assert any(re.fullmatch(r"\d{4}-jıl \d{1,2}-\w+", d) for d in dates)  # Karakalpak, the year first
    assert any(re.fullmatch(r"\d{1,2} \w+ \d{4} g\.", d) for d in dates)  # Russian, the month's genitive
    assert any(re.fullmatch(r"\d{1,2} (Ianuari|Beberuare|Mati|Eberi|Mei|Iuun|Iurai|Aokati|Tebetembwa|Okitobwa|"
                            r"Nobembwa|Ritembwa) \d{4}", d) for d in dates)  # fmt: skip
    for date in dates:  # a year of 1942 to 2006, a day of 1 to 28 where it is written in digits
        assert all(1942 <= int(y) <= 2006 for y in re.findall(r"\d{4}", date)), date
        assert all(1 <= int(day) <= 28 for day in re.findall(r"(?<!\d)\d{1,2}(?!\d)", date)), date
    text = _pages_text()
    assert all(label in text for label in BIRTH_LABELS)


def test_held_back_20_builds_names_by_their_traditions_rules():
    values = HeldBack20Values(7)
    for name in (values._buryat() for _ in range(200)):
        words = name.split()
        if len(words) == 3:  # family, given, patronymic: a woman's family name ends in -a, her patronymic in -na
            assert words[0].endswith("a") == words[2].endswith("na"), name
            assert words[2].endswith(("ovich", "evich", "ovna", "evna")), name
    ossetian = [values._ossetian() for _ in range(200)]
    assert any(re.search(r"\w+ty\b", n) for n in ossetian) and any(re.search(r"\w+(ova|eva)\b", n) for n in ossetian)
    sorbian = [values._sorbian() for _ in range(200)]
    assert any(n.endswith("owa") for n in sorbian) and any(n.endswith("ina") for n in sorbian)
    aymara = [values._aymara() for _ in range(200)]
    assert any(" de " in n for n in aymara) and all(len(n.split()) in (3, 4) for n in aymara)
    karakalpak = [values._karakalpak() for _ in range(200)]
    assert any(n.endswith((" ulı", " qızı")) for n in karakalpak)
    for name in (values._gilbertese() for _ in range(200)):  # the letters of Kiribati only
        assert re.fullmatch(r"[abegikmnortuwABEIKMNORTUW ]+", name) and not re.search(r"(?<!n)g", name), name
    people = " ".join(_values("person"))
    text = _pages_text()
    assert re.search(r"\b(Tata|Mama|Húrmetli|Sénher|Dòna|Nei|knjez|knjeni) ", text)
    assert not re.search(r"\b(Tata|Húrmetli|Sénher|Dòna|Nei|knjez|knjeni)\b", people)  # the title is not planted


def test_held_back_20_sets_its_forms_as_real_ones_are():
    for minutes in _documents("cooperative_meeting_minutes"):  # who prepared them and the CC list, page 2
        second = "\n".join(minutes.pages[1])
        assert "Minutes prepared by " in second and second.count("<") == 1 and second.count("@") == 2
    for will in _documents("will_witness_page"):  # a hand's signature in small letters, the name in capitals
        signed, capitals = [p.value for p in will.planted if p.kind == "person" and p.page == 2][:2]
        assert signed == signed.lower() and capitals == capitals.upper() and re.match(r"\w\. ", signed)
        assert sum(line.startswith("Witness ") for line in will.pages[1]) == 2
    for order in _documents("money_transfer_order"):  # three-line blocks, an e-mail address in capitals
        email = next(p.value for p in order.planted if p.kind == "email")
        assert email == email.upper() and "@" in email
        lines = order.pages[0]
        assert lines[1] == "SENDER" and lines[7] == "BENEFICIARY"
    for ticket in _documents("shell_account_request"):
        assert "+tickets@" in next(p.value for p in ticket.planted if p.kind == "email")
    for report in _documents("property_inspection_report"):  # the vendor named in a photograph's caption
        vendor = [p.value for p in report.planted if p.kind == "person"][0]
        assert any(line.startswith("Photo 2.") and vendor in line for line in report.pages[0])
    # each network address in its context: a PAM failure, a Node log, a URL, a firewall rule, a dhcpd host
    contexts = {network_address(random.Random(seed))[1].split()[0][:9] for seed in range(60)}
    assert contexts == {"authentic", "remoteAdd", "https://[", "-A", "hardware"}
    no_digits = [a for a in _values("address") if not re.search(r"\d", a)]
    assert len(no_digits) >= 10  # villages, communities and islands written without a number


def test_held_back_20_speaks_in_phrasings_no_slice_used():
    sentences = {kind: sentence for _v, _r, kind, sentence in SPOKEN_PII}
    earlier = [s for name in SLICES[: SLICES.index(NAME)] for _v, _r, s in spoken_pii(name)]
    for kind, sentence in sentences.items():
        opening = " ".join(sentence.split()[:4])
        assert not any(opening in s for s in earlier), kind
    assert "embossed front" in sentences["card"] and " underscore " in sentences["email"]
    assert "three oh one two" in sentences["phone"] and "Bikenibeu" in sentences["address"]
    assert len(re.findall(r"zero|one|two|three|four|five|six|seven|eight|nine", sentences["ssn"])) == 11
    spoken_card = re.findall(r"\b(?:(?:zero|one|two|three|four|five|six|seven|eight|nine)\b[ ,]*)+", sentences["card"])
    assert len(re.findall(r"zero|one|two|three|four|five|six|seven|eight|nine", spoken_card[0])) == 16


def test_held_back_20_damages_names_in_its_own_ways_and_builds_names_again_while_the_gazetteer_holds_a_word():
    assert ocr_damaged("1234", random.Random(20)) == "1234"  # nothing to damage: read right
    damaged = {ocr_damaged("Dzugaty Sosradz", random.Random(seed)) for seed in range(120)}
    assert "Dzugaty Sosradz" not in damaged and "Dzugaty Sosraclz" in damaged
    assert any(d.replace(" ", "") == "DzugatySosradz" and d.count(" ") == 2 for d in damaged)  # a space put in
    known = sorted(first_name_gazetteer())[0]
    tries = iter([f"{known} Delpuèch", "Guilhèm Delpuèch"])
    assert HeldBack20Values()._fresh(lambda: next(tries)) == "Guilhèm Delpuèch"
