"""pii-patterns-v11: what technical manuals write that is no personal data, on snippets of the real tuning
manuals (Debian's fasta3-doc and 4ti2-doc), each beside a personal value the same rule must still redact."""

from __future__ import annotations

import pytest

from resources.pii_coverage import CoverageScanner
from resources.pii_document import DocumentVocabulary
from resources.pii_patterns import find_addresses, find_cards
from resources.pii_words import english_forms, find_continental_addresses
from tests.test_pii_blocks import redacted, untouched

FORMS = english_forms()

# fasta_guide.pdf, pages 7, 9, 11 and 3 (an SSEARCH run's header, scores and options), with a name of our own
FASTA_RUN = (
    "Algorithm: Smith-Waterman (SSE2, Michael Farrar 2006) (7.2 Nov 2010) start: Thu Jun 6 11:23:28 2013 "
    "done: Thu Jun 6 11:23:30 2013 Total Scan time: 3.820 initn: 1242 init1: 1242 opt: 1246 Z-score: 836.8 "
    "bits: 162.0 E(437847): 3.7e-39 Smith-Waterman score: 451; 42.4% identity (73.4% similar) in 217 aa "
    "overlap. -A force Smith-Waterman alignments for fasta36 DNA sequences. By default, only fasta36 protein "
    "sequence comparisons use Smith-Waterman alignments. The sim2 implementation of the Waterman-Eggert "
    "algorithm [24] was developed by Xiaoqui Huang and Web Miller [8]. [24] M. S. Waterman and M. Eggert. "
    "A new algorithm for best subsequences. Questions to Dr. Jun Tanaka, who maintains the Smith-Waterman code."
)


@pytest.mark.parametrize(
    "term", ["Smith-Waterman score", "Smith-Waterman alignments for", "Waterman-Eggert", "Thu Jun 6"]
)
def test_methods_named_after_people_and_dates_are_no_names(term: str):
    assert untouched(FASTA_RUN, term)


@pytest.mark.parametrize("name", ["Michael Farrar", "Xiaoqui Huang", "M. Eggert", "Jun Tanaka"])
def test_the_people_beside_them_still_are(name: str):
    assert redacted(FASTA_RUN, name)


def test_a_double_barrelled_name_is_no_method():
    text = "Deshpande-Marsh is my family name: you are speaking with Anjali Deshpande-Marsh, the score is 3."
    assert redacted(text, "Deshpande-Marsh") and redacted(text, "Anjali Deshpande-Marsh")


# fasta_guide.pdf, pages 21 and 23: command-line options
OPTIONS = (
    "Xg (gi save) Historically, FASTA and BLAST have used gi numbers. -Xg causes gi numbers to be displayed. "
    "XM The maximum amount of memory available for library searches. The value is specified in MBytes "
    "( -XM16 ) or GBytes ( -XM4G ). LIB MEMK - Set the maximum amount of memory (equivalent to -XM# , see above)."
)


@pytest.mark.parametrize("option", ["Xg (gi", "-Xg", "XM The", "-XM#"])
def test_command_line_options_are_no_names(option: str):
    assert untouched(OPTIONS, option)


def test_a_name_after_to_is_still_one():
    assert redacted("Please send the form to - Maricel Kann by Friday.", "Maricel Kann")


def test_a_formula_mixing_greek_and_latin_letters_is_no_name():
    # 4ti2_manual.pdf, page 7
    text = "the linear system can now be written as z = Xαjhj +Xβkfk (1.1) with hj ∈ H, fk ∈ F, and αj ≥ 0."
    assert untouched(text, "Xαjhj") and untouched(text, "Xβkfk")


def test_journal_abbreviations_are_no_names_and_the_authors_stay_redacted():
    # fasta_guide.pdf, pages 7 and 31 (references)
    text = (
        "T. F. Smith and M. S. Waterman, (1981) J. Mol. Biol. 147:195-197; W.R. Pearson (1991) Genomics "
        "11:635-650. [12] L. J. Mills and W. R. Pearson. Adjusting scoring matrices. Bull. Math. Biol. , 54:59-75."
    )
    vocabulary = DocumentVocabulary([text])
    assert all(vocabulary.not_a_name(word) for word in ("Mol", "Biol", "Bull", "Math"))
    assert not any(vocabulary.not_a_name(word) for word in ("Pearson", "Mills", "Waterman"))
    assert untouched(text, "J. Mol. Biol.") and redacted(text, "W.R. Pearson")


def test_a_web_site_s_name_is_no_name():
    # 4ti2_manual.pdf, page 45
    text = "1. Install Cygwin from https://www.cygwin.com/ In the installer select make. 3. Open the Cygwin terminal"
    assert untouched(text, "Install Cygwin") and untouched(text, "Cygwin terminal")
    # a top-level domain is no site's name: "De" of a name stays in it
    reference = "[2] J. A. De Loera, R. Hemmecke, Algebraic methods, see http://www.math.uni-magdeburg.de/ for more"
    assert redacted(reference, "J. A. De Loera")


@pytest.mark.parametrize(
    "text",
    [
        "fasta-36.3.8i November 13, 2022 FASTA searches a protein or DNA sequence data bank",
        "Sep. 2010 -m 8 , -m 8C BLAST tabular output. Nov, 2010 Variable scoring matrices",
        "scripts/ann_pfam_www_e.pl --acc sp|P43553|ALR2 YEAST produces: >sp|P43553|ALR2_YEAST",
        "fasta-36.3.8i November 13, 2022 Sub-alignment scores can be used to identify cases of",
    ],
)
def test_a_word_ending_in_a_street_abbreviation_or_a_date_is_no_street(text: str):
    assert list(find_addresses(text)) == [] and list(find_continental_addresses(text, FORMS)) == []


@pytest.mark.parametrize("address", ["12 MAINSTREET", "40 OAK RD", "77 ELM STREET", "5 OakStreet"])
def test_streets_in_capitals_and_glued_are_still_found(address: str):
    assert [address] == [address[f.start : f.end] for f in find_addresses(address)]


def test_the_scale_over_an_alignment_is_no_card_number():
    # fasta_guide.pdf, page 7: "120 130 140 150 160" passes Luhn
    text = "KRAKNRYFPVFEKILKDHGEAFLVG 80 90 100 110 120 130 140 150 160 170 180 190 200 210 mGSTM DKVTYVDFLAYDI"
    assert list(find_cards(text)) == []
    card = "card 4111 1111 1111 1111 exp 09/27"
    assert [card[f.start : f.end] for f in find_cards(card)] == ["4111 1111 1111 1111"]


def test_the_coverage_scan_reads_dates_and_methods_alike():
    scanner = CoverageScanner(ner_model=None)
    text = "start: Thu Jun 6 11:23:28 2013 done. The Waterman-Eggert algorithm. Jun Tanaka and M. Eggert wrote it."
    found = [
        text[start:end] for start, end, kind in scanner.findings(text, {"Jun", "Eggert", "Thu"}) if kind == "person"
    ]
    assert sorted(found) == ["Eggert", "Jun"]
