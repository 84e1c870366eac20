"""`held_back_3`: the third slice held back from tuning the PII redactor, written 2026-12-02 before
`pii-patterns-v7`'s detector changes, and run once, at the end, only to report. Tuning material
since its one blind run with v7: `pii-patterns-v8` was tuned on its misses (`held_back_4` replaces it).

`held_back_2` (pii_sets_held_back_2.py) was reported with `pii-patterns-v6` and is tuning material
since; this one replaces it as the blind measure. Everything in it differs from the earlier slices:

- people from Faker locales no earlier slice took names from (Estonian, Latvian, Slovak, Croatian,
  Icelandic, Norwegian, Danish, Hausa, Swahili, Colombian Spanish, Portuguese, Kenyan English), and
  names made up by generators no earlier slice used: open-syllable names with glottal stops
  (`Tavi'ile Fa'alogo`), surnames spliced from two locales' surnames, hyphenated given names, and
  particles no earlier slice used (`dos`, `ibn`, `ní`, `ap`, `del`, `zu`);
- addresses in the own formats of locales no earlier slice used (Croatian, Slovak, Norwegian,
  Portuguese, Mexican, Colombian, Belgian, Austrian, Swiss, Irish), post boxes, `c/o` lines and
  addresses written on one line with the country;
- templates no earlier slice used: tenancy applications, medical intake forms, court summonses,
  hotel registrations, HR letters and bank transfer orders, with titles (`Dr`, `Ms`), labels in
  other languages, and some numbers: local phone numbers, dates of birth, IBANs;
- no manuals and no speech (the earlier slices' cover those).
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Manual, Planted, glued

NAME_LOCALES = (
    "et_EE", "lv_LV", "sk_SK", "hr_HR", "is_IS", "no_NO", "da_DK", "ha_NG", "sw", "es_CO", "pt_PT", "en_KE",
)  # fmt: skip
ADDRESS_LOCALES = ("hr_HR", "sk_SK", "no_NO", "pt_PT", "es_MX", "es_CO", "nl_BE", "de_AT", "fr_CH", "en_IE")
SEED = 3313
MANUALS: tuple[Manual, ...] = ()

_OPEN_CONSONANTS = ("f", "l", "m", "n", "p", "s", "t", "v", "h", "k", "'")
_OPEN_VOWELS = ("a", "e", "i", "o", "u", "ā", "ō")
_PARTICLES = ("dos", "ibn", "ní", "ap", "del", "zu")
_COUNTRIES = {"hr_HR": "Croatia", "sk_SK": "Slovakia", "no_NO": "Norway", "pt_PT": "Portugal", "es_MX": "Mexico"}
_COUNTRIES |= {"es_CO": "Colombia", "nl_BE": "Belgium", "de_AT": "Austria", "fr_CH": "Switzerland"}
_COUNTRIES |= {"en_IE": "Ireland"}


class HeldBack3Values:
    """People, addresses and numbers of the held_back_3 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        self.people = [Faker(locale) for locale in NAME_LOCALES]
        self.places = {locale: Faker(locale) for locale in ADDRESS_LOCALES}
        for number, fake in enumerate(self.people + list(self.places.values())):
            fake.seed_instance(SEED + number)

    def open_syllable_word(self) -> str:
        """A name of open syllables, sometimes with a glottal stop: no list holds these."""
        syllables = []
        for _ in range(self.random.choice((2, 3, 3, 4))):
            consonant = self.random.choice(_OPEN_CONSONANTS)
            onset = "" if consonant == "'" and not syllables else consonant  # no name opens with a glottal stop
            syllables.append(onset + self.random.choice(_OPEN_VOWELS))
        return "".join(syllables).capitalize()

    def spliced_surname(self) -> str:
        """The head of one locale's surname glued to the tail of another's."""
        first, second = self.random.sample(self.people, 2)
        head, tail = first.last_name(), second.last_name()
        return head[: max(2, len(head) // 2)] + tail[len(tail) // 2 :].lower()

    def first_and_last(self) -> tuple[str, str]:
        shape = self.random.random()
        if shape < 0.15:
            return self.open_syllable_word(), self.open_syllable_word()
        fake = self.random.choice(self.people)
        if shape < 0.3:
            return fake.first_name(), self.spliced_surname()
        if shape < 0.38:
            return f"{fake.first_name()}-{self.random.choice(self.people).first_name()}", fake.last_name()
        return fake.first_name(), fake.last_name()

    def person(self) -> str:
        first, last = self.first_and_last()
        if self.random.random() < 0.12:
            return f"{first} {self.random.choice(_PARTICLES)} {last}"
        return f"{first} {last}"

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line in a locale's own format (or a post box, or c/o)."""
        locale = self.random.choice(ADDRESS_LOCALES)
        fake = self.places[locale]
        lines = [line.strip(" ,") for line in fake.address().splitlines() if line.strip(" ,")]
        street, place = lines[0], ", ".join(lines[1:]) or f"{fake.postcode()} {fake.city()}"
        shape = self.random.random()
        if shape < 0.1:
            street = f"Postbox {self.random.randint(10, 9999)}"
        elif shape < 0.2:
            street = f"c/o {self.person()}, {street}"
        return street, place

    def one_line_address(self) -> str:
        street, place = self.address_lines()
        return f"{street}, {place}, {self.random.choice(list(_COUNTRIES.values()))}"

    def phone(self) -> str:
        return self.random.choice(list(self.places.values())).phone_number()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1940, 2005)
        layouts = (f"{day:02d}.{month:02d}.{year}", f"{day}/{month}/{year}", f"{year}-{month:02d}-{day:02d}")
        return self.random.choice(layouts)

    def iban(self) -> str:
        return self.places[self.random.choice(("hr_HR", "sk_SK", "no_NO", "pt_PT", "nl_BE", "de_AT"))].iban()

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{first[0]}{last}".lower() if c.isascii() and c.isalnum())
        return f"{local or 'xy'}@{self.random.choice(('online.no', 'sapo.pt', 'azet.sk', 'eircom.net'))}"


Pages = tuple[list[list[str]], list[Planted]]


def _tenancy_application(v: HeldBack3Values) -> Pages:
    applicant, landlord = v.person(), v.person()
    street, place = v.address_lines()
    dob, phone = v.date_of_birth(), v.phone()
    lines = [
        "Rental application - flat 4B, second floor",
        f"Applicant's full name: {applicant}",
        f"Date of birth: {dob}",
        f"Current address: {street}",
        f"                 {place}",
        f"Mobile: {phone}",
        f"Reference from current landlord: {landlord}",
    ]
    planted = [Planted("person", applicant), Planted("dob", dob), Planted("address", street)]
    return [lines], [*planted, Planted("address", place), Planted("phone", phone), Planted("person", landlord)]


def _medical_intake(v: HeldBack3Values) -> Pages:
    first, last = v.first_and_last()
    doctor = v.first_and_last()[1]
    contact = v.person()
    address = v.one_line_address()
    lines = [
        "New patient intake - please print",
        f"Nombre / Name (last, first): {last}, {first}",
        f"Family doctor: Dr {doctor}",
        f"Home address: {address}",
        f"In an emergency call {contact} (sister)",
        "Allergies: penicillin",
    ]
    planted = [Planted("person", f"{last}, {first}"), Planted("person", doctor), Planted("address", address)]
    return [lines], [*planted, Planted("person", contact)]


def _court_summons(v: HeldBack3Values) -> Pages:
    claimant, defendant, clerk = v.person(), v.person(), v.person()
    street, place = v.address_lines()
    first_page = [
        "SUMMONS TO APPEAR",
        f"Claimant: {claimant}",
        f"Defendant: {defendant.upper()}",
        f"of {street}, {place}",
        "You are required to attend the hearing on the date below.",
    ]
    second_page = ["Issued by the clerk of the court", clerk, glued(f"Served on {defendant}")]
    planted = [Planted("person", claimant), Planted("person", defendant.upper()), Planted("address", street)]
    planted += [Planted("address", place), Planted("person", clerk, 2), Planted("person", glued(defendant), 2)]
    return [first_page, second_page], planted


def _hotel_registration(v: HeldBack3Values) -> Pages:
    first, last = v.first_and_last()
    companion = v.person()
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        "Hotel guest registration card",
        f"Surname {last.upper()}   Given names {first}",
        f"Home address {street} {place}",
        f"Telephone {phone}",
        f"Accompanied by {companion}",
        "Room 214   Nights 3",
    ]
    planted = [Planted("person", last.upper()), Planted("person", first), Planted("address", street)]
    return [lines], [*planted, Planted("address", place), Planted("phone", phone), Planted("person", companion)]


def _hr_letter(v: HeldBack3Values) -> Pages:
    employee_first, employee_last = v.first_and_last()
    manager, sender = v.person(), v.person()
    street, place = v.address_lines()
    title = v.random.choice(("Ms", "Mr", "Mx"))
    lines = [
        f"{employee_first} {employee_last}",
        street,
        place,
        f"Dear {title} {employee_last},",
        f"I am pleased to confirm your transfer to the Lisbon office, where {manager} will be your manager.",
        "Yours sincerely,",
        sender,
        "Head of People",
    ]
    planted = [Planted("person", f"{employee_first} {employee_last}"), Planted("address", street)]
    planted += [Planted("address", place), Planted("person", employee_last), Planted("person", manager)]
    return [lines], [*planted, Planted("person", sender)]


def _bank_transfer(v: HeldBack3Values) -> Pages:
    holder, payee = v.first_and_last(), v.person()
    iban, email = v.iban(), v.email(*holder)
    lines = [
        "Standing order - transfer instruction",
        f"Account holder {holder[0]} {holder[1]}",
        f"Pay to {payee}",
        f"IBAN {iban}",
        f"Confirmation to {email}",
        glued(f"Signature {holder[1]}"),
    ]
    planted = [Planted("person", f"{holder[0]} {holder[1]}"), Planted("person", payee), Planted("iban", iban)]
    return [lines], [*planted, Planted("email", email), Planted("person", glued(holder[1]))]


TEMPLATES = (_tenancy_application, _medical_intake, _court_summons, _hotel_registration, _hr_letter, _bank_transfer)
