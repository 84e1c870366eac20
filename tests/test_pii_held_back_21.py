"""held_back_21's own rules, checked without the detector: its identity and tax numbers against check rules stated
here apart from the builders and against published examples, its IBANs' national checks, the calendars of its
dates (the Javanese weton true to each date), the way its forms are set, its names' rules, and its speech's new
ways of being said (the recordings themselves, not what any redactor makes of them).

Nothing here runs the redactor on the slice or prints what it would find: it was written while v23 was written
without sight of it, and judged v22 and v23 once (the lead, 2026-12-04 18:28 and 19:13 UTC); it is tuning material
since. What it shares with the earlier built
slices is tested in test_pii_held_back_slices.py.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import shutil

import numpy as np
import pytest

from mm_assets.operations.pii_sets_held_back_7 import luhn_valid
from mm_assets.operations.pii_sets_held_back_21 import BIRTH_LABELS, PASARAN, HeldBack21Values, ocr_damaged, weton
from mm_assets.operations.pii_sets_held_back_21_numbers import (
    bank_account,
    curp_check,
    indonesian_nik,
    mexican_curp,
    mexican_rfc,
    nhs_check,
    nhs_number,
    nib_check,
    rfc_check,
    spanish_social_security,
)
from mm_assets.operations.pii_sets_held_back_21_speech import DELIVERIES, SECOND_VOICE, SPOKEN_PII
from mm_assets.operations.pii_slices import HELD_BACK_SLICES, SLICES, other_source_documents, spoken_pii

NAME = "held_back_21"
_CURP_TABLE = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
# how each sentence is said, as written (a change to a delivery changes the blind figure unseen)
DELIVERY_DIGEST = "070f20b805abe7c0"


def _documents(template: str) -> list:
    return [d for d in other_source_documents(NAME) if d.name.endswith(template)]


def _values(kind: str) -> list[str]:
    return [p.value for d in other_source_documents(NAME) for p in d.planted if p.kind == kind]


def _pages_text() -> str:
    return "\n".join(line for d in other_source_documents(NAME) for page in d.pages for line in page)


def _curp_by_rule(curp: str) -> bool:
    """The CURP, stated apart: the 17 characters' places in the table weighted 18 down to 2; with the check
    weighted 1 the sum is a multiple of 10."""
    total = sum(_CURP_TABLE.index(c) * (18 - i) for i, c in enumerate(curp))
    return len(curp) == 18 and total % 10 == 0


def _rfc_by_rule(rfc: str) -> bool:
    """A person's RFC, stated apart: its thirteen characters weighted 13 down to 1 over the SAT's table (the check
    counting its value, A as 10): the sum is a multiple of 11."""
    table = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
    return sum(table.index(c) * (13 - i) for i, c in enumerate(rfc)) % 11 == 0


def _nuss_by_rule(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return len(digits) == 12 and int(digits[:10]) % 97 == int(digits[10:])


def _nhs_by_rule(number: str) -> bool:
    """The NHS number, stated apart: all ten digits weighted 10 down to 1 sum to a multiple of 11."""
    digits = [int(d) for d in number if d.isdigit()]
    return len(digits) == 10 and sum(d * w for d, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0


def test_held_back_21_is_spent_and_reported_last():
    # it judged v22 and v23 once (2026-12-04 18:28 and 19:13 UTC) and is tuning material since
    assert NAME not in HELD_BACK_SLICES and SLICES[-1] == NAME


def test_held_back_21_identity_numbers_pass_their_own_checks():
    # published examples: the CURP HEGG560427MVZRRL04, the RFC GODE561231GR8, the NHS number 943 476 5919 and the
    # social security number 28/12345678/40; a character changed fails each
    assert _curp_by_rule("HEGG560427MVZRRL04") and curp_check("HEGG560427MVZRRL0") == "4"
    assert not _curp_by_rule("HEGG560427MVZRRL05")
    assert _rfc_by_rule("GODE561231GR8") and rfc_check("GODE561231GR") == "8" and not _rfc_by_rule("GODE561231GR7")
    assert _nhs_by_rule("943 476 5919") and nhs_check("943476591") == 9 and not _nhs_by_rule("943 476 5918")
    assert _nuss_by_rule("28/12345678/40") and not _nuss_by_rule("28/12345678/41")
    rng = random.Random(21)
    for born in ("19870312", "20040705", "19421128"):
        for _ in range(40):
            curp = mexican_curp(rng, born)
            assert _curp_by_rule(curp) and curp[4:10] == born[2:] and curp[16].isdigit() == (born < "2000")
            rfc = mexican_rfc(rng, born)
            assert len(rfc) == 13 and _rfc_by_rule(rfc) and rfc[4:10] == born[2:]
            assert _nuss_by_rule(spanish_social_security(rng, born))
            assert _nhs_by_rule(nhs_number(rng, born))
            nik = indonesian_nik(rng, born)
            day = int(nik[6:8])
            assert len(nik) == 16 and day % 40 == int(born[6:]) and nik[8:12] == born[4:6] + born[2:4]


def test_held_back_21_numbers_on_its_pages_pass_the_check_of_their_country():
    checks = {
        r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-E]\d": _curp_by_rule,
        r"[A-Z]{4}\d{6}[0-9A-Z]{3}": _rfc_by_rule,
        r"(15|27|32|36)[/ ]\d{8}[/ ]\d\d": _nuss_by_rule,
        r"\d{3} \d{3} \d{4}": _nhs_by_rule,
        r"34\d{14}": lambda n: 1 <= int(n[6:8]) % 40 <= 28,
    }
    numbers = _values("ssn")
    for number in numbers:
        rule = next(check for shape, check in checks.items() if re.fullmatch(shape, number))
        assert rule(number), number
    assert len({shape for shape in checks if any(re.fullmatch(shape, n) for n in numbers)}) >= 4
    for card in _values("card"):
        digits = re.sub(r"\D", "", card)
        assert luhn_valid(digits) and len(digits) in (16, 19), card
    assert any("." in card for card in _values("card"))  # a card printed with dots


def test_held_back_21_ibans_carry_their_national_checks():
    # the registry's examples: MC58 1122 2000 0101 2345 6789 030 (the RIB key 30), TL38 0080 0123 4567 8910 157
    # (the NIB's check 57)
    assert nib_check("00800123456789101") == "57"
    for number in _values("iban"):
        compact = number.replace(" ", "")
        if compact.startswith("MC"):
            bank, branch, account, key = compact[4:9], compact[9:14], compact[14:25], compact[25:]
            assert (89 * int(bank) + 15 * int(branch) + 3 * int(account) + int(key)) % 97 == 0, number
        if compact.startswith("TL"):
            assert int(compact[4:]) % 97 == 1, number  # the NIB's rule: the whole number mod 97 leaves 1
    assert {number[:2] for number in _values("iban")} == {"MC", "TL", "UA", "IL", "JO"}  # in turn
    rng = random.Random(21)
    assert {bank_account(rng)[:2] for _ in range(100)} == {"MC", "TL", "UA", "IL", "JO"}  # or drawn


def test_held_back_21_dates_are_real_days_and_the_weton_is_true():
    # 17 August 1945, the day of the proclamation, was a Friday Legi; the market days come round every five days
    assert weton(datetime.date(1945, 8, 17)) == "Jemuwah Legi" and weton(datetime.date(1945, 8, 22)) == "Rebo Legi"
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")  # fmt: skip
    dates = _values("dob")
    woven = [d for d in dates if d.split(",")[0].split()[-1] in PASARAN]
    assert woven
    for date in woven:
        day, month, year = re.search(r", (\d+) (\w+) (\d{4})$", date).groups()
        assert date.startswith(weton(datetime.date(int(year), months.index(month) + 1, int(day)))), date
    for date in dates:
        assert all(1942 <= int(y) <= 2006 for y in re.findall(r"\d{4}", date)), date
    text = _pages_text()
    assert all(label in text for label in BIRTH_LABELS)
    # a date of birth on a line of its own under its label, with no name beside it
    assert any(
        re.fullmatch(r" {6}\S.*\d{4}", line) for d in _documents("funeral_arrangement_form") for line in d.pages[0]
    )


def test_held_back_21_builds_names_by_their_traditions_rules():
    values = HeldBack21Values(7)
    javanese = [values._javanese() for _ in range(200)]
    assert any(len(n.split()) == 1 for n in javanese) and any(n.split()[0] in ("Eko", "Dwi", "Tri", "Catur")
                                                              for n in javanese)  # fmt: skip
    galician = [values._galician() for _ in range(200)]
    assert all(len(n.split()) in (3, 4) for n in galician) and any(" da " in n or " do " in n for n in galician)
    tahitian = [values._tahitian() for _ in range(200)]
    assert any(n.split()[0].isupper() for n in tahitian) and any("ʻ" in n for n in tahitian)
    for name in (values._macanese() for _ in range(200)):
        assert len(name.split()) == 3, name
    people = " ".join(_values("person"))
    text = _pages_text()
    assert re.search(r"\b(Don|Dona|Sgiò|Raden|Mas|Mbak|Mester|Mestres|Sr\.|Sra\.) [A-Z]", text)
    assert not re.search(r"\b(Sgiò|Raden|Mbak|Mester|Mestres)\b", people)  # the title is not planted


def test_held_back_21_sets_its_forms_as_real_ones_are():
    for receipt in _documents("water_committee_receipt"):  # one person in three boxes
        father, mother, given = [p.value for p in receipt.planted if p.kind == "person"][:3]
        assert f"| {father} | {mother} | {given} |" in receipt.pages[0]
    for checklist in _documents("employee_exit_checklist"):  # the scan's file name, the forwarding block
        name = [p.value for p in checklist.planted if p.kind == "person"][-1]
        assert f"scans/{name}.pdf" in "\n".join(checklist.pages[0])
        assert checklist.pages[0][2] == "Forwarding address:" and checklist.pages[0][3].startswith("    ")
    for thread in _documents("email_thread_printout"):
        assert re.match(r"On .* wrote:$", thread.pages[1][0]) and thread.pages[1][4] == "-- "
        assert thread.pages[0][3].startswith("X-Forwarded-For: ")
    for register in _documents("mooring_register"):
        assert sum(bool(re.match(r"\| B\d+ \|", line)) for line in register.pages[0]) == 3
    no_digits = [a for a in _values("address") if not re.search(r"\d", a)]
    assert len(no_digits) >= 20  # villages, hamlets, house names and lanes written without a number


def test_held_back_21_speaks_in_phrasings_and_ways_no_slice_used():
    sentences = {kind: sentence for _v, _r, kind, sentence in SPOKEN_PII}
    earlier = [s for name in SLICES[: SLICES.index(NAME)] for _v, _r, s in spoken_pii(name)]
    for kind, sentence in sentences.items():
        opening = " ".join(sentence.split()[:4])
        assert not any(opening in s for s in earlier), kind
    assert set(DELIVERIES) == set(sentences)
    assert len({d.setting for d in DELIVERIES.values()}) == 6 and len({d.pitch for d in DELIVERIES.values()}) == 6
    spoken = re.findall(r"zero|one|two|three|four|five|six|seven|eight|nine", sentences["ssn"])
    assert len(spoken) == 10 and _nhs_by_rule("".join(str(_DIGITS.index(w)) for w in spoken))
    said = repr(sorted(DELIVERIES.items())) + repr(SECOND_VOICE)
    assert hashlib.sha256(said.encode()).hexdigest()[:16] == DELIVERY_DIGEST


_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: make system-deps")
def test_held_back_21_recordings_are_the_same_every_time_and_differ_from_plain_espeak():
    from mm_assets.operations.av_samples import speak
    from mm_assets.operations.pii_sets_held_back_21_speech import recording

    for voice, rate, kind, sentence in SPOKEN_PII:
        first, again = recording(voice, rate, kind, sentence), recording(voice, rate, kind, sentence)
        assert first.dtype == np.float32 and np.array_equal(first, again), kind
        assert 0.89 < float(np.max(np.abs(first))) <= 0.9 + 1e-6, kind
        plain = speak(sentence, rate, voice)
        assert len(first) != len(plain) or not np.allclose(first, plain, atol=1e-3), kind
        # espeak-ng 1.51 says a variant after `en-gb` in plain en-gb without a word: each variant here is heard
        base = speak("one two three", rate, voice.split("+")[0])
        varied = speak("one two three", rate, voice)
        assert len(base) != len(varied) or not np.array_equal(base, varied), voice


def test_held_back_21_damages_names_in_its_own_ways_and_builds_names_again_while_the_gazetteer_holds_a_word():
    assert ocr_damaged("1234", random.Random(21)) == "1234"  # nothing to damage: read right
    damaged = {ocr_damaged("Gwenrra Cornish", random.Random(seed)) for seed in range(120)}
    assert "Gwenrra Cornish" not in damaged and "Gwenrra Comish" in damaged
    assert "G w e n r r a Cornish" in damaged  # a heading's spaced letters
