"""`mm eval pii` on a small version of the generated set: deterministic, scored per type, targets met."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from mm_assets.cli import EXIT_OK, main
from mm_assets.operations.pii_eval import (
    ENTITY_TYPES,
    PiiDocument,
    PiiEvaluationReport,
    PlantedValue,
    build_documents,
    locate,
    score_document,
)
from mm_assets.operations.pii_eval_segments import (
    SegmentResult,
    manuals_segment,
    source_documents_segment,
    spoken_pii,
)
from mm_assets.operations.pii_sets import HELD_BACK_NAMES, TUNING_NAMES
from mm_assets.operations.pii_sets_held_back_2 import ADDRESS_LOCALES as HELD_BACK_2_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_2 import NAME_LOCALES as HELD_BACK_2_LOCALES
from mm_assets.operations.pii_sets_held_back_3 import ADDRESS_LOCALES as HELD_BACK_3_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_3 import NAME_LOCALES as HELD_BACK_3_LOCALES
from mm_assets.operations.pii_sets_held_back_4 import ADDRESS_LOCALES as HELD_BACK_4_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_4 import NAME_LOCALES as HELD_BACK_4_LOCALES
from mm_assets.operations.pii_sets_held_back_5 import ADDRESS_LOCALES as HELD_BACK_5_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_5 import NAME_LOCALES as HELD_BACK_5_LOCALES
from mm_assets.operations.pii_sets_held_back_5 import SURNAME_LOCALES as HELD_BACK_5_SURNAME_LOCALES
from mm_assets.operations.pii_sets_held_back_5 import TRANSLITERATED_LOCALES, ocr_damaged, transliterate
from mm_assets.operations.pii_sets_held_back_6 import ADDRESS_LOCALES as HELD_BACK_6_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_6 import NAME_LOCALES as HELD_BACK_6_LOCALES
from mm_assets.operations.pii_sets_held_back_6 import ocr_damaged as ocr_damaged_6
from mm_assets.operations.pii_sets_held_back_6 import romanise_hangul
from mm_assets.operations.pii_sets_held_back_6 import transliterate as transliterate_6
from mm_assets.operations.pii_sets_held_back_7 import (
    ABJAD_LOCALES,
    DEVANAGARI_LOCALES,
    abjad_to_latin,
    devanagari_to_latin,
    luhn_valid,
)
from mm_assets.operations.pii_sets_held_back_7 import ADDRESS_LOCALES as HELD_BACK_7_ADDRESS_LOCALES
from mm_assets.operations.pii_sets_held_back_7 import SPOKEN_PII as HELD_BACK_7_SPOKEN
from mm_assets.operations.pii_sets_held_back_7 import ocr_damaged as ocr_damaged_7
from mm_assets.operations.pii_sets_held_back_9 import SPOKEN_PII as HELD_BACK_9_SPOKEN
from mm_assets.operations.pii_sets_held_back_9 import ocr_damaged as ocr_damaged_9
from mm_assets.operations.pii_sets_held_back_10 import SPOKEN_PII as HELD_BACK_10_SPOKEN
from mm_assets.operations.pii_sets_held_back_10 import ocr_damaged as ocr_damaged_10
from mm_assets.operations.pii_sets_held_back_11_12 import (
    SEEDS,
    geez_to_latin,
    kazakh_to_latin,
    number_words,
    spoken_card,
    syllabics_to_latin,
)
from mm_assets.operations.pii_sets_held_back_11_12 import ocr_damaged as ocr_damaged_11
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_pii as spoken_pii_11_12
from mm_assets.operations.pii_sets_held_back_13 import BIRTH_LABELS as HELD_BACK_13_BIRTH_LABELS
from mm_assets.operations.pii_sets_held_back_13 import SPOKEN_PII as HELD_BACK_13_SPOKEN
from mm_assets.operations.pii_sets_held_back_13 import khmer_to_latin
from mm_assets.operations.pii_sets_held_back_13 import ocr_damaged as ocr_damaged_13
from mm_assets.operations.pii_sets_held_back_13 import spoken_card as spoken_card_13
from mm_assets.operations.pii_slices import (
    HELD_BACK_SLICES,
    SLICES,
    installed_manuals,
    other_source_documents,
    slice_manuals,
)
from resources.ocr import OcrRunner
from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.pii_names import first_name_gazetteer
from resources.pii_patterns import PiiFinding


def test_the_set_is_the_same_for_the_same_seed_and_mixes_scans_and_pdfs():
    first, again = build_documents(16), build_documents(16)
    assert [(d.name, d.pages, d.planted) for d in first] == [(d.name, d.pages, d.planted) for d in again]
    assert {d.as_pdf for d in first} == {True, False}
    assert {p.kind for d in first for p in d.planted} == set(ENTITY_TYPES)
    assert build_documents(16, seed=1)[0].planted != first[0].planted


def test_a_value_is_located_through_ocr_spacing_and_a_misread_character():
    text = "Contact:jane.roe@exarnple.com today"
    assert locate("jane.roe@example.com", "x jane. roe@example.com") == list(range(2, 7)) + list(range(8, 23))
    assert locate("jane.roe@example.com", text) is not None
    assert locate("completely different", text) is None


def test_a_value_is_located_when_ocr_dropped_its_accents():
    # OCR reads Vietnamese tone marks and Hungarian acutes as plain letters; the value keeps them
    text = "Ho ten: Nguyen Thi Hoa, so 12 ngo 5 pho Hue"
    offsets = locate("Nguyễn Thị Hoà", text)
    assert offsets is not None and text[offsets[0] : offsets[-1] + 1] == "Nguyen Thi Hoa"
    accented = "Szabó Jánosné, 1052 Budapest"
    assert locate("Szabo Janosne", accented) == list(range(0, 5)) + list(range(6, 13))


def test_a_value_counts_as_redacted_only_when_every_character_is_covered():
    document = PiiDocument("d", [["Call Jane Roe"]], [], as_pdf=False, degrade=False)
    document.planted = [PlantedValue("person", "Jane Roe")]
    whole = {1: [PiiFinding("person", 5, 13, 0.9)]}
    part = {1: [PiiFinding("person", 5, 9, 0.9), PiiFinding("phone", 0, 4, 0.9)]}
    results, counts = score_document(document, {1: "Call Jane Roe"}, whole)
    assert results[0].redacted and counts == {"person": [1, 1]}
    results, counts = score_document(document, {1: "Call Jane Roe"}, part)
    assert not results[0].redacted and counts == {"person": [1, 1], "phone": [1, 0]}


def _report_with_segments(segments: list[dict]) -> PiiEvaluationReport:
    table = pl.DataFrame({"type": ["pattern", "person", "address"], "recall": [1.0, 1.0, 1.0]})
    return PiiEvaluationReport(
        table, pl.DataFrame(), Path("t.csv"), Path("v.csv"), Path("c.png"), 8, "m", "o", 0, {"segments": segments}
    )


def test_a_report_whose_segments_leak_does_not_say_its_targets_are_met():
    # held_back_15 leaked 45 of 224 values under v16 while the generated set's recall was 1.0: the JSON said
    # "targets_met": true until the segments counted
    clean = {"slice": "held_back_15", "segment": "scans", "values": 224, "values_leaked": 0, "redacted_word_share": 0.4}
    manual = {
        "slice": "held_back_15",
        "segment": "manuals",
        "values": 0,
        "values_leaked": 0,
        "redacted_word_share": 0.005,
    }
    assert _report_with_segments([clean, manual]).meets_targets()
    leaking = _report_with_segments([{**clean, "values_leaked": 45}, {**manual, "redacted_word_share": 0.012}])
    assert leaking.meets_recall_targets() and not leaking.meets_targets()
    assert leaking.segments_missing_targets() == [
        "held_back_15/scans: 45 of 224 leaked",
        "held_back_15/manuals: 1.20% of words redacted",
    ]
    assert "targets (segments): 0 values leaked, manuals <= 1% of words redacted: NOT met" in (
        leaking.segment_targets_line()
    )


@pytest.mark.slow
def test_mm_eval_pii_meets_the_recall_targets_on_a_small_set(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    out = tmp_path / "reports"
    assert main(["eval", "pii", "--docs", "8", "--out", str(out), "--json", "--no-segments"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["targets_met"], report["metrics"]
    metrics = {row["type"]: row for row in report["metrics"]}
    assert metrics["pattern"]["recall"] >= 0.99
    assert metrics["person"]["recall"] >= 0.95 and metrics["address"]["recall"] >= 0.95
    assert all(0.0 <= metrics[kind]["precision"] <= 1.0 for kind in ("person", "address", "pattern"))
    table = pl.read_csv(out / "eval-pii.csv")
    assert set(ENTITY_TYPES) | {"pattern", "all"} == set(table["type"])
    assert (out / "eval-pii.png").stat().st_size > 10_000
    assert pl.read_csv(out / "eval-pii-values.csv").height == metrics["all"]["planted"]


@pytest.mark.slow
@pytest.mark.skipif(not installed_manuals("tuning"), reason="the manuals' -doc packages: make system-deps")
def test_segments_count_redacted_words_of_real_manuals_and_values_that_reach_derived_data(tmp_path: Path):
    detector, scanner = PiiDetector(), CoverageScanner()
    manuals = manuals_segment("tuning", detector, scanner)
    assert manuals.documents == len(installed_manuals("tuning")) and manuals.words > 20_000
    assert manuals.redacted_word_share <= 0.01 and manuals.residual_documents == 0
    pdfs = source_documents_segment("pdfs", "tuning", detector, scanner, OcrRunner(), tmp_path)
    assert pdfs.documents == 24 and pdfs.values == 96 and pdfs.values_leaked == 0
    row = pdfs.as_row()
    assert row["slice"] == "tuning" and 0 < row["redacted_word_share"] < 1


def test_the_held_back_slice_shares_no_locale_manual_voice_or_document_with_the_tuning_slices():
    """held_back_7 (reported once, tuning material since) is built without running the redactor: same
    documents every time, other name and address locales, templates, voices and manuals than the
    slices tuned before it (held_back_6 among them), every planted value on its page."""
    first, again = other_source_documents("held_back_7", 12), other_source_documents("held_back_7", 12)
    assert [(d.pages, d.planted) for d in first] == [(d.pages, d.planted) for d in again]
    tuned_locales = set(TUNING_NAMES.locales) | set(HELD_BACK_NAMES.locales) | set(HELD_BACK_2_LOCALES)
    tuned_locales |= set(HELD_BACK_3_LOCALES) | set(HELD_BACK_4_LOCALES) | {"en_US", "ja_JP", "zh_CN"}
    tuned_locales |= set(HELD_BACK_5_LOCALES) | set(HELD_BACK_5_SURNAME_LOCALES) | set(TRANSLITERATED_LOCALES)
    tuned_locales |= set(HELD_BACK_6_LOCALES)
    assert not (set(DEVANAGARI_LOCALES) | set(ABJAD_LOCALES)) & tuned_locales
    tuned_address_locales = set(HELD_BACK_2_ADDRESS_LOCALES) | set(HELD_BACK_3_ADDRESS_LOCALES)
    tuned_address_locales |= set(HELD_BACK_4_ADDRESS_LOCALES) | set(HELD_BACK_5_ADDRESS_LOCALES) | {"en_US", "ja_JP"}
    tuned_address_locales |= set(HELD_BACK_6_ADDRESS_LOCALES)
    assert not set(HELD_BACK_7_ADDRESS_LOCALES) & tuned_address_locales
    tuned = ("tuning", "tuning_2", "held_back_2", "held_back_3", "held_back_4", "held_back_5", "held_back_6")
    tuned_manuals = {path for name in tuned for _package, path in slice_manuals(name)}
    assert slice_manuals("held_back_7") and not tuned_manuals & {path for _p, path in slice_manuals("held_back_7")}
    tuned_templates = {d.name.split("-", 2)[2] for name in tuned for d in other_source_documents(name, 6)}
    assert not tuned_templates & {d.name.split("-", 2)[2] for d in first}
    tuned_voices = {voice for name in tuned for voice, _rate, _sentence in spoken_pii(name)}
    assert not {voice for voice, _rate, _kind, _sentence in HELD_BACK_7_SPOKEN} & tuned_voices
    for document in first:
        assert {p.kind for p in document.planted} & {"person", "address"}
        for planted in document.planted:
            page_text = " ".join(document.pages[planted.page - 1])
            assert planted.value in page_text, (document.name, planted)
    with pytest.raises(ValueError, match="unknown PII evaluation slice"):
        other_source_documents("held_back")
    assert "held_back_7" in SLICES and "held_back_6" in SLICES


def test_held_back_8_is_one_manual_no_other_slice_uses_and_nothing_else():
    """held_back_8 holds a single real manual that no other slice measured, and no letters or forms."""
    others = [name for name in SLICES if name != "held_back_8"]
    used = {path for name in others for _package, path in slice_manuals(name)}
    assert [package for package, _path in slice_manuals("held_back_8")] == ["gutenprint-doc"]
    assert not used & {path for _package, path in slice_manuals("held_back_8")}
    assert other_source_documents("held_back_8") == [] and spoken_pii("held_back_8") == []
    assert "held_back_8" in SLICES and "held_back_8" not in HELD_BACK_SLICES  # reported once, tuning since


def _assert_slice_built_here(
    name: str, spoken: list, spoken_card: str, strip: str = ",.", siblings: tuple[str, ...] = ()
) -> None:
    """A syllable-built slice: the same documents every time, no word of a name the detector's gazetteer
    holds, templates and voices no earlier slice used (`siblings`: slices drawn from the same distribution,
    which share its templates), every value on its page, all six spoken kinds."""
    first, again = other_source_documents(name, 12), other_source_documents(name, 12)
    assert [(d.pages, d.planted) for d in first] == [(d.pages, d.planted) for d in again]
    gazetteer = {word.lower() for word in first_name_gazetteer()}
    people = [p.value for d in other_source_documents(name) for p in d.planted if p.kind == "person"]
    assert len(people) > 40 and not {w.lower().strip(strip) for p in people for w in p.split()} & gazetteer
    earlier = SLICES[: SLICES.index(name)]
    tuned_templates = {
        d.name.split("-", 2)[2]
        for slice_name in earlier
        if slice_name not in siblings
        for d in other_source_documents(slice_name, 6)
    }
    assert not tuned_templates & {d.name.split("-", 2)[2] for d in first}
    tuned_voices = {voice for slice_name in earlier for voice, _rate, _sentence in spoken_pii(slice_name)}
    assert not {voice for voice, _rate, _kind, _sentence in spoken} & tuned_voices
    assert {kind for _v, _r, kind, _s in spoken} == {"card", "address", "email", "ssn", "person", "phone"}
    assert luhn_valid(spoken_card)
    for document in first:
        assert {p.kind for p in document.planted} & {"person", "address"}
        for planted in document.planted:
            assert planted.value in "\n".join(document.pages[planted.page - 1]), (document.name, planted)
    assert name in SLICES and name not in HELD_BACK_SLICES  # reported once, tuning since


def test_held_back_9_builds_its_names_and_addresses_here_with_new_templates_voices_and_damage():
    import random

    _assert_slice_built_here("held_back_9", HELD_BACK_9_SPOKEN, "3714 4963 5398 431")  # a 15-digit card
    rng = random.Random(5)
    damaged = {ocr_damaged_9("Tewodros Whitlaw-Hailu", rng) for _ in range(40)}
    assert "Tewodros Whitlaw-Hailu" not in damaged and any("vv" in t or "li" in t or "|" in t for t in damaged)


def test_held_back_10_builds_other_traditions_addresses_templates_voices_and_damage_here():
    """held_back_10 also damages text in ways no earlier slice did."""
    import random

    _assert_slice_built_here("held_back_10", HELD_BACK_10_SPOKEN, "6011 0091 3482 7158", strip=",.'")
    rng = random.Random(5)
    damaged = {ocr_damaged_10("Đoàn Thị Ngọc Somdalo", rng) for _ in range(40)}
    assert "Đoàn Thị Ngọc Somdalo" not in damaged
    assert any("0" in t or "cl" in t or "nn" in t for t in damaged) and any("- " in t or "." in t for t in damaged)
    assert SLICES.index("held_back_10") < SLICES.index("held_back_11")


def test_held_back_11_and_12_are_one_distribution_with_two_seeds_built_here():
    """Both slices come from one generator: the same templates, kinds and shapes in the same order, other
    values and voices; each is built like the earlier syllable-built slices (no gazetteer word, every value
    on its page, templates no earlier slice used)."""
    eleven, twelve = other_source_documents("held_back_11"), other_source_documents("held_back_12")
    for name, card in (
        ("held_back_11", spoken_card(SEEDS["held_back_11"])),
        ("held_back_12", spoken_card(SEEDS["held_back_12"])),
    ):
        _assert_slice_built_here(name, list(spoken_pii_11_12(name)), card, ",.'", ("held_back_11", "held_back_12"))
    assert [d.name.split("-", 2)[2] for d in eleven] == [d.name.split("-", 2)[2] for d in twelve]
    assert [p.kind for d in eleven for p in d.planted] == [p.kind for d in twelve for p in d.planted]
    values_11, values_12 = {p.value for d in eleven for p in d.planted}, {p.value for d in twelve for p in d.planted}
    assert len(values_11 & values_12) < 0.1 * len(values_11)  # another seed: (almost) no value in common
    voices_11 = {voice for voice, _r, _k, _s in spoken_pii_11_12("held_back_11")}
    assert len(voices_11) == 6 and not voices_11 & {voice for voice, _r, _k, _s in spoken_pii_11_12("held_back_12")}
    assert spoken_card(SEEDS["held_back_11"]) != spoken_card(SEEDS["held_back_12"])
    planted = [p for d in eleven + twelve for p in d.planted]
    assert {p.kind for p in planted} == {"person", "address", "phone", "dob", "email"}
    # the shapes the slices were written for are there, in both
    for documents in (eleven, twelve):
        values = [p.value for d in documents for p in d.planted]
        assert any(v.startswith("(+") or v.startswith("(00") or "(727)" in v or "(867)" in v for v in values)
        assert any(v.startswith("P.O. Box") or v.startswith("Box ") or v == "General Delivery" for v in values)
        assert any(v.startswith("Lot ") and "Parcel No." in v for v in values)
        assert any(v[:6].isdigit() and v.endswith("Almaty q.") for v in values)  # the postcode first
        text = "\n".join(line for d in documents for page in d.pages for line in page)
        assert "née " in text and "geb." in text and "Taariikhda dhalashada:" in text


def test_held_back_11_and_12_write_three_scripts_in_latin_letters_and_damage_text_in_new_ways():
    import random

    assert geez_to_latin("ተስፋማርያም ገብረ") == "Tesfamaryam Gebre"
    assert syllabics_to_latin("ᓄᓇᕗᑦ ᐃᖃᓗᐃᑦ") == "Nunavut Iqaluit"
    assert kazakh_to_latin("Нұрлан Әсел") == "Nūrlan Äsel" and kazakh_to_latin("қызы") == "qyzy"
    assert number_words(57) == "fifty seven" and number_words(240) == "two hundred forty"
    rng = random.Random(11)
    damaged = {ocr_damaged_11("Kyaw Gebre Nayake", rng) for _ in range(60)}
    assert "Kyaw Gebre Nayake" not in damaged
    for mark in ("lc", "Kvaw", "_", "é", "Nayalce"):
        assert any(mark in text for text in damaged), mark
    swapped = [t for t in damaged if sorted(t) == sorted("Kyaw Gebre Nayake") and len(t) == len("Kyaw Gebre Nayake")]
    assert any(sum(a != b for a, b in zip(t, "Kyaw Gebre Nayake", strict=True)) == 2 for t in swapped)


@pytest.mark.skipif(not installed_manuals("held_back_11"), reason="groff and the manual pages of required packages")
def test_held_back_11_and_12_read_manual_pages_no_slice_used_as_born_digital_pdfs():
    """Their real documents are manual pages set by groff into a PDF whose text layer gives back every
    word groff set; none is a manual of another slice, and the two slices share none."""
    from mm_assets.operations.man_pages import LINES_PER_PAGE, man_page_lines, manual_pdf
    from mm_assets.operations.pii_eval_segments import layer_texts

    eleven, twelve = installed_manuals("held_back_11"), installed_manuals("held_back_12")
    assert len(eleven) == 2 and not set(eleven) & set(twelve)
    others = [name for name in SLICES if name not in ("held_back_11", "held_back_12")]
    assert not {path for name in others for _p, path in slice_manuals(name)} & {str(p) for p in eleven + twelve}
    page = next(path for path in eleven if path.name == "dpkg.1.gz")
    lines = man_page_lines(page)
    texts = layer_texts(manual_pdf(page))
    assert len(texts) == -(-len(lines) // LINES_PER_PAGE) and len(texts) > 20
    # pdfium reads a hyphen that ends a line as 0x02 (a soft hyphen), in any PDF
    assert " ".join(texts.values()).replace("\x02", "-").split() == " ".join(lines).split()
    assert "dpkg" in texts[1] and not any("\b" in line for line in lines)  # no overstrikes left


def test_held_back_13_builds_other_traditions_calendars_addresses_templates_and_voices_here():
    """held_back_13 is built like the earlier syllable-built slices (no gazetteer word, every value on its
    page, templates and voices no earlier slice used), with the shapes it was written for."""
    _assert_slice_built_here("held_back_13", list(HELD_BACK_13_SPOKEN), spoken_card_13(), ",.'ʻ")
    documents = other_source_documents("held_back_13")
    assert len(documents) == 24 and 150 <= sum(len(d.planted) for d in documents) <= 190
    assert len(HELD_BACK_13_SPOKEN) == 6 and len({voice for voice, _r, _k, _s in HELD_BACK_13_SPOKEN}) == 6
    values = [p.value for d in documents for p in d.planted]
    earlier = {p.value for name in SLICES[: SLICES.index("held_back_13")] for d in other_source_documents(name)
               for p in d.planted}  # fmt: skip
    assert not set(values) & earlier
    assert any("-chome " in v and "-ban " in v and v.endswith("-go") for v in values)
    assert any("RT 0" in v and "/RW 0" in v for v in values) and any(v.startswith("CEP ") for v in values)
    assert any(v.startswith("Eircode ") for v in values) and any("huisnummer" in v for v in values)
    assert any(v.endswith(" SH") for v in values) and any(v.startswith("the ") and " of " in v for v in values)
    assert any(len(v) == 9 and v[2] == "-" and v[6] == "-" for v in values)  # dd-MMM-yy
    text = "\n".join(line for d in documents for page in d.pages for line in page)
    assert sum(label in text for label in HELD_BACK_13_BIRTH_LABELS) >= 5


def test_held_back_13_writes_khmer_in_latin_letters_and_damages_text_in_new_ways():
    import random

    assert khmer_to_latin("សុខ\u17cb ចាន\u17cb") == "Sokh Chan"  # the bantoc ends a syllable on its consonant
    assert khmer_to_latin("មករា") == "Mokora"  # a consonant with no vowel sign after it keeps its `o`
    assert khmer_to_latin("ហេង\u17c9") == "Hengo\u17c9"  # a sign outside the table is kept as it is
    rng = random.Random(13)
    original = "Tuumoana Huhina Gamachuu"
    damaged = {ocr_damaged_13(original, rng) for _ in range(80)}
    assert original not in damaged
    for mark in ("Tiiu", "()", "Hub", "Gamacbuu"):
        assert any(mark in t for t in damaged), mark
    assert any(len(t) == len(original) - 1 for t in damaged) and any(len(t) == len(original) + 1 for t in damaged)


@pytest.mark.skipif(not installed_manuals("held_back_13"), reason="groff and the manual pages of required packages")
def test_held_back_13_reads_manual_pages_no_other_slice_used():
    """Its real documents are three manual pages of `required` packages that no other slice measured."""
    from mm_assets.operations.man_pages import man_page_lines

    pages = installed_manuals("held_back_13")
    assert len(pages) == 3
    others = [name for name in SLICES if name != "held_back_13"]
    assert not {path for name in others for _p, path in slice_manuals(name)} & {str(p) for p in pages}
    assert sum(len(" ".join(man_page_lines(page)).split()) for page in pages) > 12_000


def test_a_segment_row_counts_leaks_by_kind_without_values(tmp_path: Path):
    """Blind runs report which kinds leaked, so the row carries kinds and counts, and writes to a CSV."""
    result = SegmentResult("scans", "held_back_11", 2, values=5)
    for kind in ("dob", "person", "dob"):
        result.count_leak(kind)
    row = result.as_row()
    assert row["values_leaked"] == 3 and row["leaked_kinds"] == "dob:2 person:1" and "leaked_by_kind" not in row
    pl.DataFrame([row, SegmentResult("pdfs", "held_back_11", 2).as_row()]).write_csv(tmp_path / "s.csv")
    assert pl.read_csv(tmp_path / "s.csv")["leaked_kinds"].fill_null("").to_list() == ["dob:2 person:1", ""]


def test_segments_heading_names_the_held_back_slice_and_says_so_when_none_is(monkeypatch):
    """With no held-back slice the heading must not name an empty one as "never tuned on"."""
    import mm_assets.operations.pii_slices as pii_slices

    report = PiiEvaluationReport(
        pl.DataFrame(),
        pl.DataFrame(),
        Path("t"),
        Path("v"),
        Path("c"),
        0,
        "m",
        "o",
        0,
        extra={"segments": [{"segment": "scans", "slice": "held_back_10", "values_leaked": 1}], "segments_csv": "s"},
    )
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset({"held_back_14"}))
    assert "held_back_14: never tuned on" in report.segments_summary()
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset())
    assert "no held-back slice: every row is tuning material" in report.segments_summary()
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset({"held_back_11", "held_back_12"}))
    assert "held_back_11, held_back_12: never tuned on" in report.segments_summary()
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset({"held_back_11"}))
    assert "held_back_11: never tuned on" in report.segments_summary()


def test_held_back_10_builds_a_word_again_while_the_gazetteer_holds_it():
    """No word of held_back_10's seed happens to be in the gazetteer, so the rejection is tested here."""
    from mm_assets.operations.pii_sets_held_back_10 import HeldBack10Values

    known = sorted(first_name_gazetteer())[0]
    tries = iter([known, known.upper(), "Zsikelyi"])
    assert HeldBack10Values()._fresh(lambda: next(tries)) == "Zsikelyi"


def test_held_back_7_writes_devanagari_and_abjad_names_in_latin_letters_and_damages_text_otherwise():
    import random

    assert devanagari_to_latin("कमल शर्मा") == "Kamal Sharmaa" and devanagari_to_latin("प्रिया") == "Priyaa"
    assert abjad_to_latin("محمد") == "Mahamad" and abjad_to_latin("דוד") == "Dod"
    assert luhn_valid("5105 1051 0510 5100") and not luhn_valid("5105 1051 0510 5101")  # the spoken card
    rng = random.Random(3)
    damaged = {ocr_damaged_7("Yitzhak Bernardo Mendiola", rng) for _ in range(40)}
    assert "Yitzhak Bernardo Mendiola" not in damaged and len(damaged) > 5
    assert any("ii" in text or "Mcnd" in text or "Bemardo" in text for text in damaged)


def test_held_back_6_writes_korean_georgian_and_armenian_names_in_latin_letters_and_damages_text_otherwise():
    import random

    assert romanise_hangul("홍정훈") == "hongjeonghun" and romanise_hangul("박") == "bak"
    assert transliterate_6("მამუკა ჭელიძე") == "Mamuka Chelidze" and transliterate_6("Գայանե") == "Gayane"
    rng = random.Random(2)
    damaged = {ocr_damaged_6("Sima Hadebe Bordwell", rng) for _ in range(40)}
    assert "Sima Hadebe Bordwell" not in damaged and len(damaged) > 5
    assert "sima hadebe bordwell" in damaged and any(" " not in text[5:12] for text in damaged)


def test_held_back_5_writes_cyrillic_and_greek_names_in_latin_letters_and_damages_text_like_ocr():
    import random

    assert transliterate("Щукина Ёлка") == "Shchukina Yolka" and transliterate("Γιώργος") == "Giorgos"
    rng = random.Random(1)
    damaged = {ocr_damaged("Marlene Oberholzer", rng) for _ in range(30)}
    assert "Marlene Oberholzer" not in damaged and len(damaged) > 3
    assert all(len(text.replace(" ", "")) <= len("MarleneOberholzer") + 1 for text in damaged)


def test_generated_pdfs_write_letters_helvetica_cannot():
    """Lines with `ğ`, `İ`, `Ş`, `ə` are set in an embedded Unicode font: the text layer gives them back."""
    from mm_assets.operations.pdf_samples import born_digital_pdf
    from mm_assets.operations.pii_eval_segments import layer_texts

    lines = ["Şehza Erdoğan, İhsanoğlu", "Sədaqət Qəhrəmanlı", "plain Latin-1: Dörr"]
    assert layer_texts(born_digital_pdf([lines])) == {1: " ".join(lines)}
