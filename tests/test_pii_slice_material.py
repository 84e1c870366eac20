"""The real material of the held-back PII slices that are checked without the detector: manual pages no other
slice measured, and espeak-ng voices that exist (a missing one would fail the lead's one run)."""

from __future__ import annotations

import shutil

import pytest

from mm_assets.operations.pii_sets_held_back_14 import SPOKEN_PII as HELD_BACK_14_SPOKEN
from mm_assets.operations.pii_sets_held_back_15 import SPOKEN_PII as HELD_BACK_15_SPOKEN
from mm_assets.operations.pii_sets_held_back_16_forms import SPOKEN_PII as HELD_BACK_16_SPOKEN
from mm_assets.operations.pii_sets_held_back_17_forms import SPOKEN_PII as HELD_BACK_17_SPOKEN
from mm_assets.operations.pii_sets_held_back_18_forms import SPOKEN_PII as HELD_BACK_18_SPOKEN
from mm_assets.operations.pii_sets_held_back_19_forms import SPOKEN_PII as HELD_BACK_19_SPOKEN
from mm_assets.operations.pii_sets_held_back_20_forms import SPOKEN_PII as HELD_BACK_20_SPOKEN
from mm_assets.operations.pii_sets_held_back_21_speech import SPOKEN_PII as HELD_BACK_21_SPOKEN
from mm_assets.operations.pii_slices import SLICES, installed_manuals, slice_manuals

MANUAL_WORDS = {"held_back_14": 18_000, "held_back_15": 15_000, "held_back_16": 9_000, "held_back_17": 9_000,
                "held_back_18": 4_000, "held_back_19": 5_000, "held_back_20": 5_000,
                "held_back_21": 7_000}  # fmt: skip
SPOKEN = {
    "held_back_14": HELD_BACK_14_SPOKEN,
    "held_back_15": HELD_BACK_15_SPOKEN,
    "held_back_16": HELD_BACK_16_SPOKEN,
    "held_back_17": HELD_BACK_17_SPOKEN,
    "held_back_18": HELD_BACK_18_SPOKEN,
    "held_back_19": HELD_BACK_19_SPOKEN,
    "held_back_20": HELD_BACK_20_SPOKEN,
    "held_back_21": HELD_BACK_21_SPOKEN,
}


@pytest.mark.parametrize(("name", "least_words"), MANUAL_WORDS.items())
def test_a_slice_reads_four_manual_pages_no_other_slice_used(name: str, least_words: int):
    from mm_assets.operations.man_pages import man_page_lines

    pages = installed_manuals(name)
    if not pages:
        pytest.skip("groff and the manual pages of required packages")
    assert len(pages) == 4
    others = [other for other in SLICES if other != name]
    assert not {path for other in others for _p, path in slice_manuals(other)} & {str(p) for p in pages}
    assert sum(len(" ".join(man_page_lines(page)).split()) for page in pages) > least_words


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: make system-deps")
@pytest.mark.parametrize("name", SPOKEN)
def test_a_slice_speaks_with_voices_espeak_ng_has(name: str):
    from mm_assets.operations.av_samples import speak

    for voice, rate, _kind, _sentence in SPOKEN[name]:
        assert len(speak("one two three", words_per_minute=rate, voice=voice)) > 8_000, voice


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: make system-deps")
@pytest.mark.parametrize(
    "name", ["held_back_16", "held_back_17", "held_back_18", "held_back_19", "held_back_20", "held_back_21"]
)
def test_a_slice_names_its_voice_variants_as_espeak_ng_files_them(name: str):
    """espeak-ng says an unknown variant in its plain voice without a word of warning, so each variant must be
    one of its files, spelt as the file is (variant names are case-sensitive on this file system)."""
    import subprocess

    listing = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True, check=True).stdout
    files = {line.split()[4].removeprefix("!v/") for line in listing.splitlines()[1:] if len(line.split()) > 4}
    for voice, _rate, _kind, _sentence in SPOKEN[name]:
        assert voice.split("+")[1] in files, voice
