"""pii-patterns-v19: streets numbered by a unit or a code and an address's last place (resources/pii_streets.py),
machine-readable zones and MAC addresses (resources/pii_codes.py), OCR's `$` for `s`, a foreign month before a
comma. Values are made up here (no slice's value); beside each rule, what it must leave alone."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION
from resources.pii_codes import find_mac_addresses, find_mrz_lines
from resources.pii_streets import find_streets
from tests.test_pii_blocks import redacted, untouched


def test_the_version_is_v19():
    assert PATTERNS_VERSION == "pii-patterns-v23"


def found(rule, text: str) -> list[str]:
    return [text[f.start : f.end] for f in rule(text)]


def test_a_machine_readable_zone_is_found_whole():
    first = "P<NZLTAUFA<<SIONE<MELE<<<<<<<<<<<<<<<<<<<<<<"
    second = "LA38201577NZL7702113M3104228<<<<<<<<<<<<<<02"
    text = f"Zone: {first} {second} Signed"
    assert found(find_mrz_lines, text) == [first, second]


@pytest.mark.parametrize("text", ["cout << x << y;", "USAGE: RUN <<EOF ABC", "SEE THE NOTES IN CHAPTER 12 AND 13"])
def test_no_machine_readable_zone_in_code_or_capitals(text: str):
    assert found(find_mrz_lines, text) == []


@pytest.mark.parametrize("mac", ["a4:5e:60:0b:13:f2", "A4-5E-60-0B-13-F2", "a45e.600b.13f2"])
def test_a_mac_address_in_each_way_systems_print_it(mac: str):
    assert found(find_mac_addresses, f"Tablet {mac} seen 2026-11-30") == [mac]


@pytest.mark.parametrize("text", ["version 2024.1101.0001", "time 12:30:45", "ratio 10:20:30:40"])
def test_no_mac_address_in_versions_times_or_ratios(text: str):
    assert found(find_mac_addresses, text) == []


@pytest.mark.parametrize(
    "text, street",
    [
        ("Resident at Lot 12B, Harbour Road, Vatukoula since May.", "Lot 12B, Harbour Road"),
        ("Office: KN 45 Ave, House No. 3, Remera", "KN 45 Ave"),
    ],
)
def test_a_street_numbered_by_a_unit_before_it_or_by_a_code(text: str, street: str):
    assert street in found(find_streets, text)


@pytest.mark.parametrize("text", ["See Table 4, Main Results", "Chapter 3, Park Avenue and the City", "set to 5 St"])
def test_no_street_from_a_heading_or_a_number_alone(text: str):
    assert found(find_streets, text) == []


# a personal document (a form), so that v17's gate lets its default-deny rules run as they do on real ones
_FORM = (
    "MEMBER FORM Name: Tavulea Ngaruhe Stone Phone: +679 330 1122 ID: 9942817730 "
    "Born: 14 Okitobba, 1979 Address: Lot 7, Mission Road, Wairiki, Taveuni District, Suva since 2001. "
    "Next of kin: Ilisapeci Wa$ekula, Cité des 40 Logements, Bt C n° 9"
)


@pytest.mark.parametrize(
    "value",
    [
        "14 Okitobba, 1979",  # a foreign month, a comma, the year
        "Lot 7, Mission Road, Wairiki, Taveuni District, Suva",  # the last place is a capital the dictionary knows
        "Wa$ekula",  # OCR's `$` for `s`
        "Cité des 40 Logements",  # one place's name over its particle and number
    ],
)
def test_a_forms_values_by_the_v19_rules(value: str):
    assert redacted(_FORM, value)


def test_the_clause_after_an_address_stays():
    assert untouched(_FORM, "since 2001")
