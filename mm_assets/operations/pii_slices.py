"""The slices of `mm eval pii`'s segments, in the order they are reported, and their material.

`tuning` and `tuning_2` (mm_assets/operations/pii_sets.py) are what the redactor may be tuned on;
`tuning_2` was the first held-back slice until its misses were reported on 2026-12-02, and `held_back_2`
(mm_assets/operations/pii_sets_held_back_2.py) the second, until its misses were reported the same day
(run once with `pii-patterns-v6`, tuning material since), and `held_back_3`
(mm_assets/operations/pii_sets_held_back_3.py) the third (run once with `pii-patterns-v7`, tuning
material since), and `held_back_4` (mm_assets/operations/pii_sets_held_back_4.py) the fourth (run once
with `pii-patterns-v8`, tuning material since), and `held_back_5` (mm_assets/operations/pii_sets_held_back_5.py)
the fifth (run once with `pii-patterns-v9`, tuning material since), and `held_back_6`
(mm_assets/operations/pii_sets_held_back_6.py) the sixth (run once with `pii-patterns-v10`, tuning material
since 2026-12-03), and `held_back_7` (mm_assets/operations/pii_sets_held_back_7.py) the seventh (run once
with v10 and the v11 that was not adopted, tuning material since 2026-12-03), and `held_back_8`
(mm_assets/operations/pii_sets_held_back_8.py), one real manual and nothing else (run once with v10 and
`pii-patterns-v11`, tuning material since 2026-12-03), and `held_back_9`
(mm_assets/operations/pii_sets_held_back_9.py), names and addresses built from syllables (run once with v11
and the first round of `pii-patterns-v12`, tuning material since 2026-12-03), and `held_back_10`
(mm_assets/operations/pii_sets_held_back_10.py), other naming traditions, addresses and documents built the
same way (run once with v12, tuning material since 2026-12-03). `held_back_11` and `held_back_12`
(mm_assets/operations/pii_sets_held_back_11_12.py) are one distribution with two seeds: `held_back_11`
judges v12, once; `held_back_12` is unrun, kept for the detector after v12 (both were run once with v13 and are
spent). `held_back_13` (mm_assets/operations/pii_sets_held_back_13.py), other traditions, calendars, addresses,
templates, voices and manual pages, written while v14 was written without sight of it (run once with v14,
spent). `held_back_14` (mm_assets/operations/pii_sets_held_back_14.py): Welsh, Scottish Gaelic, Balinese, Hmong,
Greenlandic and Ewe names built here, Turkish, Saudi, Ghanaian, Thai, Chinese, Costa Rican and Greenlandic
addresses, cards, IBANs, identity numbers and IP addresses in new templates, other voices and manual pages,
written while v15 was written without sight of it; run once with v15 (2026-12-03 18:41 UTC), spent.
`held_back_15` (mm_assets/operations/pii_sets_held_back_15.py and _15_numbers.py): Maltese, Kurdish, Northern
Sámi, Faroese, Shona, Dinka and Mapuche names built here, Maltese, Iraqi Kurdistan, Islamabad, Zimbabwean, Juba,
Araucanía and Faroese addresses, other cards, IBANs, identity numbers (one without a label) and IPv6 addresses
in new templates, other voices and manual pages, written while v16 was written without sight of it; run once with
v16 and v15 (2026-12-03 22:50 UTC), spent.
`held_back_16` (mm_assets/operations/pii_sets_held_back_16.py, _16_numbers.py and _16_forms.py): Kyrgyz, Pashto,
Bhutanese, Breton, Wolof, Sakha and Albanian names built here, Kyrgyz, Kabul, Bhutanese, Breton, Albanian, Kosovar
and Senegalese addresses, other cards, IBANs, identity numbers and IP addresses (with a port, or IPv6 in full) in
new templates (two columns, boxes, a table), other voices and manual pages, written while v17 was written without
sight of it; run once with v17 and v16 (2026-12-04 04:34 UTC), spent.
`held_back_17` (mm_assets/operations/pii_sets_held_back_17.py, _17_numbers.py and _17_forms.py): Kinyarwanda,
Luganda, Kabyle, Lao, Guarani, Q'eqchi' and Marshallese names built here, Kigali, Kampala (English street names),
Kabylie, Lao, Paraguayan, Guatemalan and Majuro addresses, identity and tax numbers, passport machine-readable
zones, other cards, IBANs, network and MAC addresses in new templates, other voices, phrasings and manual pages,
written while v18 was written without sight of it; run once with v18 and v17 (2026-12-04 09:01 UTC), spent.
`held_back_18` (mm_assets/operations/pii_sets_held_back_18.py, _18_numbers.py and _18_forms.py): West Frisian,
Chamorro, Chechen, Tatar, Sardinian, Xhosa and Mizo names built here, Frisian, Guam (English road names), Grozny,
Kazan, Sardinian, Eastern Cape (English street names) and Aizawl addresses, Dutch, South African, Italian, Indian
and Russian identity and tax numbers, other cards, IBANs, network and MAC addresses in new templates, other
voices, phrasings and manual pages, written while v19 was written without sight of it; run once with v19 and v18
(2026-12-04 09:31 UTC), spent.
`held_back_19` (mm_assets/operations/pii_sets_held_back_19.py, _19_numbers.py and _19_forms.py): Turkmen, Sesotho,
Romansh, Palauan, Manx, Chewa and Tajik names built here, Turkmen, Lesotho, Grisons, Palau, Isle of Man, Malawi and
Tajik addresses, Swiss, Montenegrin and Serbian, Ecuadorian, Uruguayan and Australian identity and tax numbers,
other cards, IBANs and network addresses in new templates, other voices, phrasings and manual pages, written
while v20 was written without sight of it; run once with v19 and v20 (2026-12-04 12:36 UTC), spent.
`held_back_20` (mm_assets/operations/pii_sets_held_back_20.py, _20_numbers.py and _20_forms.py): Aymara,
Karakalpak, Buryat, Ossetian, Occitan, Gilbertese and Upper Sorbian names built here, Bolivian, Karakalpak, Buryat,
North Ossetian, Occitan, Kiribati and Lusatian addresses, Polish, Spanish, Brazilian, Finnish, Belgian and
Estonian identity numbers, other cards, IBANs and network addresses in new templates, other voices, phrasings
and manual pages, written while v21 was written without sight of it; run once with v20 and v21 (2026-12-04 15:47
UTC), spent.
`held_back_21` (mm_assets/operations/pii_sets_held_back_21.py, _21_places.py, _21_numbers.py, _21_forms.py and
_21_speech.py): Galician, Corsican, Tahitian, Nahuatl, Cornish, Javanese and Macanese names built here, Galician,
Corsican, Tahitian, Nahua Mexican, Cornish, Yogyakarta and Macau addresses, Mexican, Spanish, English and
Indonesian identity and tax numbers, other cards, IBANs and network addresses in new templates, speech said with
espeak-ng's pitch, word gap and amplitude and put through a telephone, a room, noise or a second speaker, and
manual pages, written while v23 was written without sight of it; run once with v22 and v23 (2026-12-04 18:28 and
19:13 UTC), spent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mm_assets.operations.man_pages import is_man_page, man_page_available
from mm_assets.operations.pii_sets import (
    HELD_BACK_MANUALS,
    HELD_BACK_NAMES,
    HELD_BACK_TEMPLATES,
    OTHER_SOURCE_DOCS,
    TUNING_MANUALS,
    TUNING_NAMES,
    TUNING_TEMPLATES,
    Manual,
    OtherSourceValues,
    SourceDocument,
)
from mm_assets.operations.pii_sets_held_back_2 import MANUALS as HELD_BACK_2_MANUALS
from mm_assets.operations.pii_sets_held_back_2 import SPOKEN_PII as HELD_BACK_2_SPOKEN
from mm_assets.operations.pii_sets_held_back_2 import TEMPLATES, HeldBackValues
from mm_assets.operations.pii_sets_held_back_3 import MANUALS as HELD_BACK_3_MANUALS
from mm_assets.operations.pii_sets_held_back_3 import TEMPLATES as HELD_BACK_3_TEMPLATES
from mm_assets.operations.pii_sets_held_back_3 import HeldBack3Values
from mm_assets.operations.pii_sets_held_back_4 import MANUALS as HELD_BACK_4_MANUALS
from mm_assets.operations.pii_sets_held_back_4 import SPOKEN_PII as HELD_BACK_4_SPOKEN
from mm_assets.operations.pii_sets_held_back_4 import TEMPLATES as HELD_BACK_4_TEMPLATES
from mm_assets.operations.pii_sets_held_back_4 import HeldBack4Values
from mm_assets.operations.pii_sets_held_back_5 import MANUALS as HELD_BACK_5_MANUALS
from mm_assets.operations.pii_sets_held_back_5 import SPOKEN_PII as HELD_BACK_5_SPOKEN
from mm_assets.operations.pii_sets_held_back_5 import TEMPLATES as HELD_BACK_5_TEMPLATES
from mm_assets.operations.pii_sets_held_back_5 import HeldBack5Values
from mm_assets.operations.pii_sets_held_back_6 import MANUALS as HELD_BACK_6_MANUALS
from mm_assets.operations.pii_sets_held_back_6 import SPOKEN_PII as HELD_BACK_6_SPOKEN
from mm_assets.operations.pii_sets_held_back_6 import TEMPLATES as HELD_BACK_6_TEMPLATES
from mm_assets.operations.pii_sets_held_back_6 import HeldBack6Values
from mm_assets.operations.pii_sets_held_back_7 import MANUALS as HELD_BACK_7_MANUALS
from mm_assets.operations.pii_sets_held_back_7 import SPOKEN_PII as HELD_BACK_7_SPOKEN
from mm_assets.operations.pii_sets_held_back_7 import TEMPLATES as HELD_BACK_7_TEMPLATES
from mm_assets.operations.pii_sets_held_back_7 import HeldBack7Values
from mm_assets.operations.pii_sets_held_back_8 import MANUALS as HELD_BACK_8_MANUALS
from mm_assets.operations.pii_sets_held_back_9 import SPOKEN_PII as HELD_BACK_9_SPOKEN
from mm_assets.operations.pii_sets_held_back_9 import TEMPLATES as HELD_BACK_9_TEMPLATES
from mm_assets.operations.pii_sets_held_back_9 import HeldBack9Values
from mm_assets.operations.pii_sets_held_back_10 import SPOKEN_PII as HELD_BACK_10_SPOKEN
from mm_assets.operations.pii_sets_held_back_10 import TEMPLATES as HELD_BACK_10_TEMPLATES
from mm_assets.operations.pii_sets_held_back_10 import HeldBack10Values
from mm_assets.operations.pii_sets_held_back_11_12 import MANUALS as HELD_BACK_11_12_MANUALS
from mm_assets.operations.pii_sets_held_back_11_12 import TEMPLATES as HELD_BACK_11_12_TEMPLATES
from mm_assets.operations.pii_sets_held_back_11_12 import HeldBack11Values, HeldBack12Values
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_pii as held_back_11_12_spoken
from mm_assets.operations.pii_sets_held_back_13 import MANUALS as HELD_BACK_13_MANUALS
from mm_assets.operations.pii_sets_held_back_13 import SPOKEN_PII as HELD_BACK_13_SPOKEN
from mm_assets.operations.pii_sets_held_back_13 import TEMPLATES as HELD_BACK_13_TEMPLATES
from mm_assets.operations.pii_sets_held_back_13 import HeldBack13Values
from mm_assets.operations.pii_sets_held_back_14 import MANUALS as HELD_BACK_14_MANUALS
from mm_assets.operations.pii_sets_held_back_14 import SPOKEN_PII as HELD_BACK_14_SPOKEN
from mm_assets.operations.pii_sets_held_back_14 import TEMPLATES as HELD_BACK_14_TEMPLATES
from mm_assets.operations.pii_sets_held_back_14 import HeldBack14Values
from mm_assets.operations.pii_sets_held_back_15 import MANUALS as HELD_BACK_15_MANUALS
from mm_assets.operations.pii_sets_held_back_15 import SPOKEN_PII as HELD_BACK_15_SPOKEN
from mm_assets.operations.pii_sets_held_back_15 import TEMPLATES as HELD_BACK_15_TEMPLATES
from mm_assets.operations.pii_sets_held_back_15 import HeldBack15Values
from mm_assets.operations.pii_sets_held_back_16 import MANUALS as HELD_BACK_16_MANUALS
from mm_assets.operations.pii_sets_held_back_16 import HeldBack16Values
from mm_assets.operations.pii_sets_held_back_16_forms import SPOKEN_PII as HELD_BACK_16_SPOKEN
from mm_assets.operations.pii_sets_held_back_16_forms import TEMPLATES as HELD_BACK_16_TEMPLATES
from mm_assets.operations.pii_sets_held_back_17 import MANUALS as HELD_BACK_17_MANUALS
from mm_assets.operations.pii_sets_held_back_17 import HeldBack17Values
from mm_assets.operations.pii_sets_held_back_17_forms import SPOKEN_PII as HELD_BACK_17_SPOKEN
from mm_assets.operations.pii_sets_held_back_17_forms import TEMPLATES as HELD_BACK_17_TEMPLATES
from mm_assets.operations.pii_sets_held_back_18 import MANUALS as HELD_BACK_18_MANUALS
from mm_assets.operations.pii_sets_held_back_18 import HeldBack18Values
from mm_assets.operations.pii_sets_held_back_18_forms import SPOKEN_PII as HELD_BACK_18_SPOKEN
from mm_assets.operations.pii_sets_held_back_18_forms import TEMPLATES as HELD_BACK_18_TEMPLATES
from mm_assets.operations.pii_sets_held_back_19 import MANUALS as HELD_BACK_19_MANUALS
from mm_assets.operations.pii_sets_held_back_19 import HeldBack19Values
from mm_assets.operations.pii_sets_held_back_19_forms import SPOKEN_PII as HELD_BACK_19_SPOKEN
from mm_assets.operations.pii_sets_held_back_19_forms import TEMPLATES as HELD_BACK_19_TEMPLATES
from mm_assets.operations.pii_sets_held_back_20 import MANUALS as HELD_BACK_20_MANUALS
from mm_assets.operations.pii_sets_held_back_20 import HeldBack20Values
from mm_assets.operations.pii_sets_held_back_20_forms import SPOKEN_PII as HELD_BACK_20_SPOKEN
from mm_assets.operations.pii_sets_held_back_20_forms import TEMPLATES as HELD_BACK_20_TEMPLATES
from mm_assets.operations.pii_sets_held_back_21 import MANUALS as HELD_BACK_21_MANUALS
from mm_assets.operations.pii_sets_held_back_21 import HeldBack21Values
from mm_assets.operations.pii_sets_held_back_21_forms import TEMPLATES as HELD_BACK_21_TEMPLATES
from mm_assets.operations.pii_sets_held_back_21_speech import SPOKEN_PII as HELD_BACK_21_SPOKEN
from mm_assets.operations.pii_sets_held_back_21_speech import recording as held_back_21_recording

Spoken = tuple[tuple[str, int, str, str], ...]  # (espeak-ng voice, words per minute, kind, what is said)
# how a slice's sentence becomes audio (voice, words per minute, kind, sentence -> mono float32 at 16 kHz)
Recording = Callable[[str, int, str, str], Any]

# the tuning slice's speech: values made up here (none from the detector's lists), said by espeak-ng's
# US English voice at 150 words a minute
TUNING_SPOKEN: Spoken = tuple(
    ("en-us", 150, kind, sentence)
    for kind, sentence in (
        ("card", "My card number is four one one one, one one one one, one one one one, one one one one."),
        ("address", "I live at twelve Oak Street, Springfield, Illinois, six two seven zero one."),
        ("email", "My email is jane dot cole at example dot com."),
        ("ssn", "My social security number is five three one, four two, eight six seven zero."),
        ("person", "My name is Dana Whitfield and I am calling about my order."),
    )
)


@dataclass(frozen=True)
class SliceMaterial:
    """What one slice is made of: its value generator (a new one each time, so the same documents come
    back), its letter and form templates, its real manuals and its spoken values."""

    values: Callable[[], object] | None
    templates: tuple[Callable, ...]  # none: a slice of manuals only (no scans or PDFs of its own)
    manuals: tuple[Manual, ...]
    spoken: Spoken = ()
    recording: Recording | None = None  # none: espeak-ng's voice at the rate, as it speaks by default


# the slices in the order they are reported (`held_back_2` to `held_back_20` keep their names, but were
# reported once, with v6 to v23, and are tuning material since; no slice is held back now)
MATERIAL: dict[str, SliceMaterial] = {
    "tuning": SliceMaterial(lambda: OtherSourceValues(TUNING_NAMES), TUNING_TEMPLATES, TUNING_MANUALS, TUNING_SPOKEN),
    "tuning_2": SliceMaterial(lambda: OtherSourceValues(HELD_BACK_NAMES), HELD_BACK_TEMPLATES, HELD_BACK_MANUALS),
    "held_back_2": SliceMaterial(HeldBackValues, TEMPLATES, HELD_BACK_2_MANUALS, HELD_BACK_2_SPOKEN),
    "held_back_3": SliceMaterial(HeldBack3Values, HELD_BACK_3_TEMPLATES, HELD_BACK_3_MANUALS),
    "held_back_4": SliceMaterial(HeldBack4Values, HELD_BACK_4_TEMPLATES, HELD_BACK_4_MANUALS, HELD_BACK_4_SPOKEN),
    "held_back_5": SliceMaterial(HeldBack5Values, HELD_BACK_5_TEMPLATES, HELD_BACK_5_MANUALS, HELD_BACK_5_SPOKEN),
    "held_back_6": SliceMaterial(HeldBack6Values, HELD_BACK_6_TEMPLATES, HELD_BACK_6_MANUALS, HELD_BACK_6_SPOKEN),
    "held_back_7": SliceMaterial(HeldBack7Values, HELD_BACK_7_TEMPLATES, HELD_BACK_7_MANUALS, HELD_BACK_7_SPOKEN),
    "held_back_8": SliceMaterial(None, (), HELD_BACK_8_MANUALS),
    "held_back_9": SliceMaterial(HeldBack9Values, HELD_BACK_9_TEMPLATES, (), HELD_BACK_9_SPOKEN),
    "held_back_10": SliceMaterial(HeldBack10Values, HELD_BACK_10_TEMPLATES, (), HELD_BACK_10_SPOKEN),
    # one distribution, two seeds: held_back_11 judged v12, both judged v13 (written without sight of them)
    "held_back_11": SliceMaterial(
        HeldBack11Values,
        HELD_BACK_11_12_TEMPLATES,
        HELD_BACK_11_12_MANUALS["held_back_11"],
        held_back_11_12_spoken("held_back_11"),
    ),
    "held_back_12": SliceMaterial(
        HeldBack12Values,
        HELD_BACK_11_12_TEMPLATES,
        HELD_BACK_11_12_MANUALS["held_back_12"],
        held_back_11_12_spoken("held_back_12"),
    ),
    # written while v14 was written without sight of it; run once with v14, spent
    "held_back_13": SliceMaterial(HeldBack13Values, HELD_BACK_13_TEMPLATES, HELD_BACK_13_MANUALS, HELD_BACK_13_SPOKEN),
    # written while v15 was written without sight of it; run once with v15, spent
    "held_back_14": SliceMaterial(HeldBack14Values, HELD_BACK_14_TEMPLATES, HELD_BACK_14_MANUALS, HELD_BACK_14_SPOKEN),
    # written while v16 was written without sight of it; run once with v16 and v15, spent
    "held_back_15": SliceMaterial(HeldBack15Values, HELD_BACK_15_TEMPLATES, HELD_BACK_15_MANUALS, HELD_BACK_15_SPOKEN),
    # written while v17 was written without sight of it; run once with v17 and v16, spent
    "held_back_16": SliceMaterial(HeldBack16Values, HELD_BACK_16_TEMPLATES, HELD_BACK_16_MANUALS, HELD_BACK_16_SPOKEN),
    # written while v18 was written without sight of it; run once with v18 and v17, spent
    "held_back_17": SliceMaterial(HeldBack17Values, HELD_BACK_17_TEMPLATES, HELD_BACK_17_MANUALS, HELD_BACK_17_SPOKEN),
    # written while v19 was written without sight of it; run once with v19 and v18, spent
    "held_back_18": SliceMaterial(HeldBack18Values, HELD_BACK_18_TEMPLATES, HELD_BACK_18_MANUALS, HELD_BACK_18_SPOKEN),
    # written while v20 was written without sight of it; run once with v19 and v20, spent
    "held_back_19": SliceMaterial(HeldBack19Values, HELD_BACK_19_TEMPLATES, HELD_BACK_19_MANUALS, HELD_BACK_19_SPOKEN),
    # written while v21 is written without sight of it; unrun (the lead runs it once, after v21's merge)
    "held_back_20": SliceMaterial(HeldBack20Values, HELD_BACK_20_TEMPLATES, HELD_BACK_20_MANUALS, HELD_BACK_20_SPOKEN),
    # written while v23 is written without sight of it; unrun (the lead runs it once, after v23's merge)
    "held_back_21": SliceMaterial(
        HeldBack21Values,
        HELD_BACK_21_TEMPLATES,
        HELD_BACK_21_MANUALS,
        HELD_BACK_21_SPOKEN,
        held_back_21_recording,
    ),
}
SLICES = tuple(MATERIAL)
# held_back_11 and _12 were run once with v13 (2026-12-03 15:29), held_back_13 once with v14 (16:09),
# held_back_14 once with v15 (18:41), held_back_15 once with v16 and v15 (22:50),
# held_back_16 once with v17 and v16 (2026-12-04 04:34), held_back_17 once with v18 and v17 (2026-12-04 09:01),
# held_back_18 once with v19 and v18 (2026-12-04 09:31), held_back_19 once with v19 and v20 (2026-12-04 12:36),
# held_back_20 once with v20 and v21 (2026-12-04 15:47), held_back_21 once with v22 and v23 (18:28 and 19:13),
# all spent; no slice is held back now: the next detector version needs a new slice written without sight of it
HELD_BACK_SLICES: frozenset[str] = frozenset()


def material(slice_name: str) -> SliceMaterial:
    if slice_name not in MATERIAL:
        raise ValueError(f"unknown PII evaluation slice {slice_name!r}; the slices are {', '.join(SLICES)}")
    return MATERIAL[slice_name]


def other_source_documents(slice_name: str, count: int = OTHER_SOURCE_DOCS) -> list[SourceDocument]:
    """The letters and forms of one slice; the same slice always gives the same documents (none for a
    slice of manuals only)."""
    made_of = material(slice_name)
    if made_of.values is None or not made_of.templates:
        return []
    values, templates = made_of.values(), made_of.templates
    documents = []
    for number in range(count):
        template = templates[number % len(templates)]
        pages, planted = template(values)
        name = f"{slice_name}-{number:03d}-{template.__name__.strip('_')}"
        documents.append(SourceDocument(name, slice_name, pages, planted))
    return documents


def slice_manuals(slice_name: str) -> tuple[Manual, ...]:
    return material(slice_name).manuals


def spoken_pii(slice_name: str) -> list[tuple[str, int, str]]:
    """(voice, words per minute, sentence) of a slice's speech segment (`tuning_2` and `held_back_3` have none)."""
    return [(voice, rate, sentence) for voice, rate, _kind, sentence in material(slice_name).spoken]


def spoken_pii_with_kinds(slice_name: str) -> Spoken:
    """(voice, words per minute, kind, sentence): the speech segment counts what leaked by kind."""
    return material(slice_name).spoken


def spoken_recording(slice_name: str, voice: str, rate: int, kind: str, sentence: str):
    """One sentence of a slice's speech as audio (mono float32 at 16 kHz): by the slice's own recording where it
    has one (held_back_21: pitch, word gap, a room, noise, a second speaker), else espeak-ng as it speaks."""
    recording = material(slice_name).recording
    if recording is not None:
        return recording(voice, rate, kind, sentence)
    from mm_assets.operations.av_samples import speak

    return speak(sentence, words_per_minute=rate, voice=voice)


def installed_manuals(slice_name: str) -> list[Path]:
    """The slice's manuals that are installed here (`make system-deps` installs the PDFs; manual pages
    need their package's pages and groff, which slim images leave out)."""
    paths = [Path(path) for _package, path in slice_manuals(slice_name)]
    return [path for path in paths if (man_page_available(path) if is_man_page(path) else path.exists())]
