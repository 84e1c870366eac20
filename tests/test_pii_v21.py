"""pii-patterns-v21: values by structure, not by their words: an e-mail broken at its `@` by a line's end
(resources/pii_broken_values.py), a date of birth by its day-month-year triple next to a birth label or a name
(resources/pii_birth_triples.py; since v23 read by resources/pii_dates.py read_date and placed by
resources/pii_default_deny.py birth_triples), the parts of one value around what was found
(resources/pii_parts.py), a spoken post-office box. Values are made up here (no slice's value); beside each
rule, what it must leave alone."""

from __future__ import annotations

import pytest

from resources.ocr import OcrSpan
from resources.pii import PATTERNS_VERSION
from resources.pii_broken_values import broken_emails
from resources.pii_dates import read_date
from resources.pii_default_deny import birth_triples
from resources.pii_parts import (
    comma_part_gaps,
    digit_words_beside_names,
    groups_before_runs,
    hex_groups,
    postcodes_after_parts,
    unit_parts_after,
)
from resources.pii_patterns import PiiFinding
from resources.spoken_pii_phrases import unit_addresses
from tests.test_pii_blocks import DETECTOR, redacted, untouched


def date_triple(text: str, start: int) -> tuple[int, int] | None:
    """A whole date as v21's triples read it: since v23 the one date reader does."""
    return read_date(text, start, need_year=True, min_parts=3)


def test_the_version_is_v21():
    assert PATTERNS_VERSION == "pii-patterns-v23"


def texts(text: str, findings) -> list[str]:
    return [text[f.start : f.end] for f in findings]


def at(text: str, kind: str, *values: str) -> list[PiiFinding]:
    """Findings of `kind` over each value's first occurrence."""
    return [PiiFinding(kind, text.index(v), text.index(v) + len(v), 0.6) for v in values]


# ---------------------------------------------------------------------------- e-mails broken at their @


@pytest.mark.parametrize(
    "text, email",
    [
        ("results by e-mail to korvath-elmi@ quarnet.example.org (copy)", "korvath-elmi@ quarnet.example.org"),
        ("results to tresk.ola7@\nbrindlemail.co.zz today", "tresk.ola7@\nbrindlemail.co.zz"),
    ],
)
def test_an_email_broken_at_its_at_sign_is_one_address(text: str, email: str):
    assert texts(text, broken_emails(text)) == [email]


@pytest.mark.parametrize(
    "text",
    [
        "the @ sign opens a decorator",
        "written as name@ alone",
        "mail to a.b@example.org whole",
        "the product a @ b.shape",
        "use @functools.wraps here",
    ],
)
def test_no_broken_email_without_a_break_or_a_domain(text: str):
    assert list(broken_emails(text)) == []


def test_a_broken_email_is_boxed_on_both_lines():
    first = OcrSpan("Results by e-mail to korvath-elmi@", 1, (40.0, 100.0, 640.0, 130.0), 0.97)
    second = OcrSpan("quarnet.example.org (copy to the ward)", 1, (40.0, 140.0, 700.0, 170.0), 0.97)
    spans, boxes = DETECTOR.redact_spans([first, second])
    assert "korvath" not in spans[0].text and "quarnet" not in spans[1].text
    assert {box.bbox[1] for box in boxes if box.kind == "email"} >= {first.bbox[1] - 3.0, second.bbox[1] - 3.0}


# ---------------------------------------------------------------------------- a birth date by its triple


@pytest.mark.parametrize(
    "date",
    ["ils 14 da zercladur 1968", "3 Brelvonek 1975 g.", "Okt. 9, '81", "21 sovrenni 2o03", "7 Mee ny Tholl 1990"],
)
def test_a_day_month_year_triple_in_any_words(date: str):
    assert date_triple(f"{date} | next", 0) == (0, len(date))


@pytest.mark.parametrize("text", ["12 apples 5 pears", "Room 12 floor 3", "5 Brelvonek 3400", "40 Brelvonek 1975"])
def test_no_triple_without_a_day_and_a_year(text: str):
    assert date_triple(text, 0) is None


def test_a_triple_after_a_name_across_a_bar_and_a_label_of_any_language():
    text = "| Patient: Ysolde Marrakai | Hennet boro: ils 14 da zercladur 1968 | Tel.: 5812"
    found = texts(text, birth_triples(text, at(text, "person", "Ysolde Marrakai")))
    # (v23: the date is also read where it opens, as a date of a birth year: inside the one after the name)
    assert "ils 14 da zercladur 1968" in found and all(date in "ils 14 da zercladur 1968" for date in found)


def test_a_triple_after_a_birth_labels_dotted_leader():
    text = "Child .......... Ysolde Marrakai Born ........... ils 6 da brelvonek 1994 Home ........"
    assert "ils 6 da brelvonek 1994" in texts(text, birth_triples(text, []))


def test_a_triple_away_from_names_and_birth_labels_is_no_birth_date():
    text = "| Patient: Ysolde Marrakai | The visit on 4 March 2026 went well"
    assert list(birth_triples(text, at(text, "person", "Ysolde Marrakai"))) == []


# ---------------------------------------------------------------------------- the parts of one value


def test_comma_parts_between_two_found_places():
    text = "Host: Ysolde Marrakai, Ha Tsemane, near the water tower, Qolotsi 440 Fee paid"
    findings = at(text, "person", "Ysolde Marrakai", "Ha Tsemane", "Qolotsi")
    assert texts(text, comma_part_gaps(text, findings)) == [", near the water tower, "]


def test_a_clause_between_two_names_is_no_comma_part():
    text = "Ysolde Marrakai, who came to see us last week, Qolotsi"
    assert list(comma_part_gaps(text, at(text, "person", "Ysolde Marrakai", "Qolotsi"))) == []


def test_a_postcode_after_a_chains_last_part():
    text = "Ha Tsemane, near the water tower, Qolotsi 440 Fee paid"
    findings = at(text, "person", "Ha Tsemane, near the water tower, ", "Qolotsi")
    assert texts(text, postcodes_after_parts(text, findings)) == [" 440"]


@pytest.mark.parametrize(
    "text, name",
    [("Host: Qolotsi 440 guests", "Qolotsi"), ("(SSE2, Ysolde Marrakai 2006) (7.2 Nov)", "Ysolde Marrakai")],
)
def test_no_postcode_after_a_name_that_opens_a_field_or_follows_an_unfound_part(text: str, name: str):
    assert list(postcodes_after_parts(text, at(text, "person", name))) == []


def test_unit_parts_after_an_address_in_any_language():
    text = "kuchai Varzob, havli 12, xona 7 | Parent"
    assert texts(text, unit_parts_after(text, at(text, "address", "kuchai Varzob"))) == [", havli 12, xona 7"]


def test_an_ibans_first_groups_before_its_digit_groups():
    text = "paid into QZ41 BRTX 4401 2208 9931 07 monthly"
    found = texts(text, groups_before_runs(text, at(text, "id", "4401 2208 9931 07")))
    assert found == ["QZ41 BRTX "]


@pytest.mark.parametrize("text", ["login from fe80:9a1c:44ff:fe2b:10d3%eth1 today", "via 2001:db8:ab:12:9"])
def test_colon_separated_hex_groups_are_a_network_address(text: str):
    assert len(list(hex_groups(text))) == 1


@pytest.mark.parametrize("text", ["at 12:30:45:10 sharp", "ratio 1:2:3:4", "the word deadbeef"])
def test_no_network_address_in_times_ratios_or_words(text: str):
    assert list(hex_groups(text)) == []


def test_a_word_ocr_wrote_a_digit_into_beside_a_name():
    text = "| Worker | Kal9ena Drumvaly | TFN"
    assert texts(text, digit_words_beside_names(text, at(text, "person", "Drumvaly"))) == ["Kal9ena"]


# ---------------------------------------------------------------------------- in a made-up personal form

FORM = (
    "CLINIC REQUISITION | Patient: Ysolde Marrakai | Hennet boro: ils 14 da zercladur 1968 | Tel.: +266 5812 3391 "
    "| Address: Ha Tsemane, near the water tower, Qolotsi 440 | Results to ysolde-marrakai@ quarnet.example.org "
    "(copy to the ward) | Home: Headman Trovalu, T/A Kesmbwe, Dedza District | Paid from QZ41 BRTX 4401 2208 9931 07 "
    "| Seen from fe80:9a1c:44ff:fe2b:10d3%eth1"
)


@pytest.mark.parametrize(
    "value",
    [
        "ils 14 da zercladur 1968",
        "Ha Tsemane, near the water tower, Qolotsi 440",
        "ysolde-marrakai@ quarnet.example.org",
        "Headman Trovalu, T/A Kesmbwe",
        "QZ41 BRTX 4401 2208 9931 07",
        "fe80:9a1c:44ff:fe2b:10d3%eth1",
    ],
)
def test_a_personal_forms_values_are_redacted_whole(value: str):
    assert redacted(FORM, value)


@pytest.mark.parametrize("value", ["CLINIC REQUISITION", "copy to the ward"])
def test_a_personal_forms_title_and_prose_stay(value: str):
    assert untouched(FORM, value)


# a manual's colons and hex: no personal document, so nothing of default-deny's runs
MANUAL = (
    "The daemon listens on fe80::1 by default; set the ratio to 1:2:3:4 and see section 4 for the journal, "
    "which is written on 4 March 2026 by the release tooling, and on the mailing list at lists dot example."
)


@pytest.mark.parametrize("value", ["1:2:3:4", "4 March 2026"])
def test_a_manuals_ratios_and_dates_stay(value: str):
    assert untouched(MANUAL, value)


# ---------------------------------------------------------------------------- speech


def test_a_post_office_box_said_with_its_place():
    words = "Mail goes to post office 412 Marrowby in the north.".split()
    assert [" ".join(words[a : b + 1]) for a, b in unit_addresses(words)] == ["office 412 Marrowby"]


def test_a_post_office_without_a_number_is_no_address():
    assert unit_addresses("The post office opens at nine.".split()) == []
