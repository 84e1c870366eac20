"""pii-patterns-v22: a manual's role words before its terms are no names, and an agency's acronym before a short
number is no identity number (held_back_20's manual pages, judged blind with v21: 1.82% of their words redacted,
"user ID", "name Run" and "RFC 5424" among them); and the transcript check reads an address after an invitation to
write, however the recogniser heard it. Made-up values throughout."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from resources.spoken_pii_coverage import spoken_pii_stretches

MANUAL = (
    "UNSHARE(1) User Commands UNSHARE(1)\nNAME unshare - run program in new namespaces\n"
    "--map-user=uid|name Run the program only after the current effective user ID has been mapped to uid. "
    "If the range of user IDs overlaps, the highest user ID of the mapping is not used. The user IDs are "
    "read from /etc/subuid. Run it as root; you can run it again to run the command in a namespace. "
    "The logger sends RFC 5424 messages; RFC 3164 is the old format.\n"
) * 3
LETTER = (
    "Dear Mr. Okafor,\nThank you for your letter of 3 May. Our user Tamsin Ellery (date of birth 4 March 1988, "
    "phone 0161 496 0732, e-mail tamsin.ellery@example.org) asked us to write. Her PESEL is 44051401359.\n"
    "Kind regards,\nMARTA KOVAC\n"
)


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


def _found(detector: PiiDetector, text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in detector.find_in_pages({1: text})[1]]


def test_the_version_is_v22():
    assert PATTERNS_VERSION == "pii-patterns-v23"


def test_a_manuals_role_words_and_standard_numbers_are_no_pii(detector: PiiDetector):
    # dozens of "names" the context rule took ("user ID" x 9) must not by themselves make the page personal
    assert _found(detector, MANUAL) == []


def test_a_letter_keeps_its_context_names_and_its_agency_number(detector: PiiDetector):
    found = _found(detector, LETTER)
    assert ("person", "MARTA KOVAC") in found
    assert ("person", "Tamsin Ellery") in found
    covered = "".join(value for _kind, value in found)
    assert "44051401359" in covered


def test_an_agency_acronym_takes_a_number_as_long_as_it_issues(detector: PiiDetector):
    text = "Applicant: Joana Pires. DNI 12345678Z, issued in Vigo. The form follows RFC 2822 for its headers."
    found = _found(detector, text)
    assert any(kind == "id" and "12345678Z" in value for kind, value in found)
    assert not any("2822" in value for _kind, value in found)


@pytest.mark.parametrize(
    "said, address",
    [
        ("You can write to me at tesa 42 0 00", "tesa 42 0 00"),
        ("Reach me at jane 42 example com.", "jane 42 example com"),
    ],
)
def test_the_transcript_check_reads_an_invited_address_however_it_was_heard(said: str, address: str):
    stretches = [(said[start:end], kind) for start, end, kind in spoken_pii_stretches(said)]
    assert (address, "email") in stretches


@pytest.mark.parametrize(
    "said", ["You can write to me at home.", "Contact me at work on Monday.", "Write to me at the office."]
)
def test_an_invitation_to_a_place_names_no_address(said: str):
    assert not [kind for _start, _end, kind in spoken_pii_stretches(said) if kind == "email"]
