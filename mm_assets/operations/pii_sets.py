"""The material `mm eval pii` measures on beyond its own templates, and the slice held back from tuning.

An evaluation tuned on proves nothing, so everything here is fixed up front and split in two:
`TUNING` is what the redactor's rules may be adjusted against; `HELD_BACK` is run only to report,
apart. Neither takes its names from the first-name list the detector uses (Faker's en_US):

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
from pathlib import Path

# (Debian package, path of the PDF it installs)
Manual = tuple[str, str]
TUNING_MANUALS: tuple[Manual, ...] = (
    ("camlidl-doc", "/usr/share/doc/camlidl/camlidl-1.04.doc.pdf"),
    ("4ti2-doc", "/usr/share/doc/4ti2/4ti2_manual.pdf"),
    ("expeyes-doc-en", "/usr/share/expeyes/doc/en-eyesj-progman.pdf"),
)
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
HELD_BACK_NAMES = NameSource("held_back", ("en_IN", "sv_SE", "pt_BR", "nl_NL", "cs_CZ", "tr_TR"), 1818, 0.25)
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


# ---------------------------------------------------------------------------- held-back templates
# Written with the slice and not looked at while tuning: their results are only reported.


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


def other_source_documents(held_back: bool, count: int = OTHER_SOURCE_DOCS) -> list[SourceDocument]:
    """The letters and forms of one slice; the same slice always gives the same documents."""
    source = HELD_BACK_NAMES if held_back else TUNING_NAMES
    templates = HELD_BACK_TEMPLATES if held_back else TUNING_TEMPLATES
    values = OtherSourceValues(source)
    documents = []
    for number in range(count):
        template = templates[number % len(templates)]
        pages, planted = template(values)
        documents.append(
            SourceDocument(f"{source.slice}-{number:03d}-{template.__name__.strip('_')}", source.slice, pages, planted)
        )
    return documents


def installed_manuals(held_back: bool) -> list[Path]:
    """The slice's manuals that are installed here (`make system-deps` installs them all)."""
    manuals = HELD_BACK_MANUALS if held_back else TUNING_MANUALS
    return [Path(path) for _package, path in manuals if Path(path).exists()]
