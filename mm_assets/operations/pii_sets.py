"""The material `mm eval pii` measures on beyond its own templates: the tuning slices (`tuning`, `tuning_2`).

An evaluation tuned on proves nothing, so everything here is fixed up front and split into slices
(pii_slices.SLICES): `tuning` is what the redactor's rules may be adjusted against; `tuning_2` was the first
held-back slice until its misses were reported (2026-12-02) and is tuning material since;
`held_back_2` (mm_assets/operations/pii_sets_held_back_2.py) is run only to report, apart. None
takes its names from the first-name list the detector uses (Faker's en_US):

- real documents without personal data: technical manuals from Debian `-doc` packages that
  `make system-deps` installs (born-digital PDFs nobody here wrote); the share of their words
  that gets redacted is the false-positive measure;
- letters and forms filled with names and addresses from Faker locales the detector never saw,
  names made up from syllables (in no list at all), and names glued to their neighbours the way
  OCR glues them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

# (Debian package, path of the PDF it installs)
Manual = tuple[str, str]
TUNING_MANUALS: tuple[Manual, ...] = (
    ("camlidl-doc", "/usr/share/doc/camlidl/camlidl-1.04.doc.pdf"),
    ("4ti2-doc", "/usr/share/doc/4ti2/4ti2_manual.pdf"),
    ("expeyes-doc-en", "/usr/share/expeyes/doc/en-eyesj-progman.pdf"),
)
# the first held-back slice's manuals: tuning material since 2026-12-02 (slice `tuning_2`)
HELD_BACK_MANUALS: tuple[Manual, ...] = (
    ("fasta3-doc", "/usr/share/doc/fasta3/fasta_guide.pdf"),
    ("expeyes-doc-en", "/usr/share/expeyes/doc/en-eyesj.pdf"),
)


@dataclass(frozen=True)
class NameSource:
    """Where a slice's people and places come from."""

    slice: str
    locales: tuple[str, ...]
    seed: int
    invented_share: float  # share of people whose names are made up from syllables


TUNING_NAMES = NameSource("tuning", ("en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "pl_PL"), 18, 0.2)
HELD_BACK_NAMES = NameSource("tuning_2", ("en_IN", "sv_SE", "pt_BR", "nl_NL", "cs_CZ", "tr_TR"), 1818, 0.25)
# how many letters and forms each slice has
OTHER_SOURCE_DOCS = 24

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kl", "tr", "sh", "th", "qu")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "y")
_CODAS = ("", "", "n", "r", "l", "s", "th", "x", "nd", "rk", "ll", "ck")


@dataclass
class Planted:
    kind: str
    value: str
    page: int = 1


@dataclass
class SourceDocument:
    name: str
    slice: str
    pages: list[list[str]]
    planted: list[Planted]


class OtherSourceValues:
    """People and US-style addresses from Faker locales the detector never saw, and made-up names."""

    def __init__(self, source: NameSource):
        from faker import Faker

        self.source = source
        self.random = random.Random(source.seed)
        self.fakers = [Faker(locale) for locale in source.locales]
        for number, fake in enumerate(self.fakers):
            fake.seed_instance(source.seed + number)
        self.us = Faker("en_US")
        self.us.seed_instance(source.seed)

    def invented_word(self) -> str:
        syllables = [
            self.random.choice(_ONSETS) + self.random.choice(_VOWELS) + self.random.choice(_CODAS)
            for _ in range(self.random.choice((2, 2, 3)))
        ]
        return "".join(syllables).capitalize()

    def person(self) -> str:
        if self.random.random() < self.source.invented_share:
            return f"{self.invented_word()} {self.invented_word()}"
        fake = self.random.choice(self.fakers)
        return f"{fake.first_name()} {fake.last_name()}"

    def surname(self) -> str:
        return self.random.choice(self.fakers).last_name()

    def street(self) -> str:
        number = self.random.randint(2, 9800)
        name = self.invented_word() if self.random.random() < 0.5 else self.random.choice(self.fakers).last_name()
        suffix = self.random.choice(("Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place", "Blvd"))
        return f"{number} {name} {suffix}"

    def city_line(self) -> str:
        city = self.invented_word() + self.random.choice(("ville", "ton", " Falls", " Springs", "burg", ""))
        return f"{city}, {self.us.state_abbr(include_territories=False)} {self.us.zipcode()}"

    def phone(self) -> str:
        digits = lambda n: "".join(str(self.random.randint(0, 9)) for _ in range(n))  # noqa: E731
        return f"({digits(3)}) {digits(3)}-{digits(4)}"


def glued(text: str) -> str:
    """The text as OCR often reads a tight line: no spaces between words."""
    return text.replace(" ", "")


DocumentTemplate = Callable[[OtherSourceValues], tuple[list[list[str]], list[Planted]]]


# ---------------------------------------------------------------------------- tuning templates


def _reference_letter(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    writer, subject, street, city = v.person(), v.person(), v.street(), v.city_line()
    lines = [
        writer,
        street,
        city,
        "",
        "To whom it may concern,",
        f"I have known {subject} for six years as a colleague in our laboratory.",
        f"{subject.split()[0]} is careful, patient and well liked by the whole group.",
        "Yours faithfully,",
        writer,
    ]
    planted = [Planted("person", writer), Planted("address", street), Planted("address", city)]
    planted += [Planted("person", subject), Planted("person", subject.split()[0])]
    return [lines], planted


def _staff_form(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    person, manager, street, city, phone = v.person(), v.person(), v.street(), v.city_line(), v.phone()
    lines = [
        "New starter details",
        f"Employee: {person}",
        f"Home address: {street}, {city}",
        f"Telephone: {phone}",
        f"Line manager: {manager}",
        "Start date: 3 March",
    ]
    planted = [Planted("person", person), Planted("address", f"{street}, {city}"), Planted("phone", phone)]
    return [lines], [*planted, Planted("person", manager)]


def _glued_scan(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    person, street, city = v.person(), v.street(), v.city_line()
    lines = [
        "Parcel collection slip",
        glued(f"Collected by {person} on Friday"),
        glued(f"Return to {street}"),
        city,
    ]
    planted = [Planted("person", glued(person)), Planted("address", glued(street)), Planted("address", city)]
    return [lines], planted


TUNING_TEMPLATES: tuple[DocumentTemplate, ...] = (_reference_letter, _staff_form, _glued_scan)


# ---------------------------------------------------------------------------- first held-back templates
# Written with the first held-back slice; its misses were reported on 2026-12-02, so since then it
# is tuning material (slice `tuning_2`).


def _tenancy_notice(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    tenant, landlord, street, city = v.person(), v.person(), v.street(), v.city_line()
    lines = [
        "Notice of rent review",
        f"Tenant {tenant}",
        f"Property {street}, {city}",
        f"Your landlord, {landlord}, proposes a new rent from 1 July.",
        f"Please reply to {landlord.split()[-1]} within 28 days.",
    ]
    planted = [Planted("person", tenant), Planted("address", f"{street}, {city}"), Planted("person", landlord)]
    return [lines], [*planted, Planted("person", landlord.split()[-1])]


def _referral_letter(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    doctor, patient, street, city, phone = v.person(), v.person(), v.street(), v.city_line(), v.phone()
    first_page = [
        f"Referral from {doctor}",
        f"Patient: {patient}, {street}, {city}",
        f"{patient} reports pain in the left knee after a fall in May.",
    ]
    second_page = [f"Reachable on {phone}.", "With best wishes,", doctor]
    planted = [Planted("person", doctor), Planted("person", patient), Planted("address", f"{street}, {city}")]
    planted += [Planted("person", patient), Planted("phone", phone, 2), Planted("person", doctor, 2)]
    return [first_page, second_page], planted


def _meeting_minutes(v: OtherSourceValues) -> tuple[list[list[str]], list[Planted]]:
    chair, speaker, absent = v.person(), v.person(), v.surname()
    lines = [
        "Minutes of the residents' meeting",
        f"{chair} opened the meeting at seven.",
        glued(f"{speaker} asked about the broken gate"),
        f"Apologies were received from Mrs {absent}.",
    ]
    planted = [Planted("person", chair), Planted("person", glued(speaker)), Planted("person", absent)]
    return [lines], planted


HELD_BACK_TEMPLATES: tuple[DocumentTemplate, ...] = (_tenancy_notice, _referral_letter, _meeting_minutes)
