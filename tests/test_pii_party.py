"""Names grown over what stands beside them, and addresses told by their words (resources/pii_party.py):
decided by shape and by the document's own words, never by a list of one locale's titles or streets."""

from __future__ import annotations

from resources.pii import PiiDetector
from resources.pii_document import DocumentVocabulary
from resources.pii_names import english_words
from resources.pii_party import grow_name, party_addresses, read_as_letters
from resources.pii_patterns import PiiFinding
from resources.pii_words import english_forms


def _vocabulary(text: str) -> DocumentVocabulary:
    return DocumentVocabulary([text], None, english_words(), english_forms())


def _grown(text: str, name: str) -> str:
    start = text.index(name)
    finding = grow_name(text, PiiFinding("person", start, start + len(name), 0.9, "ner"), _vocabulary(text))
    return text[finding.start : finding.end]


def test_look_alike_digits_inside_words_are_read_as_letters_and_numbers_stay():
    assert read_as_letters("Valentin0 Brenner, 5ara, Kle0menis") == "Valentino Brenner, Sara, Kleomenis"
    unchanged = "SW1A 1AA, 1st, 8am, v1.2, x86_64, 2024-03-01, UTF8, V0e, A0sin"
    assert read_as_letters(unchanged) == unchanged
    assert len(read_as_letters("Mari0n")) == len("Mari0n")


def test_a_name_takes_in_its_title_suffix_nickname_and_foreign_name_words():
    assert _grown("Contact: Mme Joanna Buyse for keys.", "Joanna Buyse") == "Mme Joanna Buyse"
    assert _grown("Signed by Nahuel Ibarra Valdivia Sr. yesterday", "Nahuel Ibarra") == "Nahuel Ibarra Valdivia Sr."
    assert _grown('Petition by Julio "Kiki" del Río today', "Julio") == 'Julio "Kiki" del Río'
    assert _grown("Frank Weber III, treasurer", "Frank Weber") == "Frank Weber III"
    # English words beside a name, and a word the document writes in lower case, stay outside it
    assert _grown("Please ask Maria Lopez Project Engineer", "Maria Lopez") == "Maria Lopez"
    assert _grown("The Anna Berg draft: the draft is done", "Anna Berg") == "Anna Berg"


def test_an_address_is_told_by_a_postcode_beside_foreign_words_or_by_following_a_name():
    text = "Tea Shkembova, Plaza Geraldo Infante 43, Teruel, 01782 and the rest of the letter."
    person = PiiFinding("person", 0, len("Tea Shkembova"), 0.9, "ner")
    found = party_addresses(text, [person], _vocabulary(text))
    assert [text[f.start : f.end] for f in found] == ["Plaza Geraldo Infante 43, Teruel, 01782"]
    text = "Send it to Madrid, 44854 by Friday."
    assert [text[f.start : f.end] for f in party_addresses(text, [], _vocabulary(text))] == ["Madrid, 44854"]


def test_citations_measurements_and_years_in_technical_prose_are_no_address():
    text = (
        "as shown by Hemmecke [7] and Malkin (2006), the Keithley 2100 multimeter reads 3.000 V; "
        "see Technische Universitat Berlin, 1998, and section 2.13.1 Disk Writing."
    )
    person = PiiFinding("person", text.index("Hemmecke"), text.index("Hemmecke") + 8, 0.85, "ner")
    assert party_addresses(text, [person], _vocabulary(text)) == []


def test_the_detector_redacts_a_petition_line_whole():
    text = "We the undersigned: 1. Kirra Vashadze, Lorong 8V, Ara Bestari, 72002 SS8, Negeri Sembilan 2. next entry"
    findings = PiiDetector().find(text)
    covered = {i for f in findings for i in range(f.start, f.end)}
    end = text.index(" 2. next")
    assert all(i in covered for i in range(text.index("Kirra"), end) if not text[i].isspace())
