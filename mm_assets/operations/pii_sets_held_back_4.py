"""`held_back_4`: the fourth slice held back from tuning the PII redactor, written 2026-12-02 before
`pii-patterns-v8`'s detector changes, and run once, at the end, only to report. Tuning material since
(v9 was tuned on its misses); `held_back_5` (pii_sets_held_back_5.py) is the blind measure now.

`held_back_3` (pii_sets_held_back_3.py) was reported with `pii-patterns-v7` and is tuning material
since; this one replaces it as the blind measure. Everything in it differs from the earlier slices:

- people from Faker locales no earlier slice took names from (Slovenian, Swiss German, Canadian
  French, Argentine, Chilean and Catalan Spanish, Thai, Pakistani and Nigerian English, Uzbek,
  Algerian and Belgian French), Japanese names in their romanized form, and names made by generators no
  earlier slice used: a locale's surname written backwards (`Kavon`), given and family name glued
  the way OCR glues them (`KatjaNovak`, `NOVAKKATJA`), the family name first in capitals without a
  comma (`NOVAK Katja`), and a given name with a middle initial after a double given name;
- addresses in the own formats of locales no earlier slice took addresses from (British, Indian,
  Polish, German, Italian, French, Argentine, Brazilian, Czech, Swiss German), Japanese block
  addresses romanized (`3-12-5 Kitazawa, Setagaya-ku, Tokyo 155-0031`), and addresses on one line
  with middle dots between their parts, as CVs write them;
- templates no earlier slice used: prescription labels, road-accident reports, CV headers, guest
  lists set as a table, membership renewals and parking-fine appeals signed with a given name only;
- speech: values said by espeak-ng voices and variants no earlier slice used (`en-gb`, `en-us-nyc`,
  female variants), at other rates;
- no manuals (the earlier slices' measure precision).
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Manual, Planted, glued

# locales with a person provider of their own (Faker gives en_US names for those without one)
NAME_LOCALES = (
    "sl_SI", "de_CH", "fr_CA", "es_AR", "es_CL", "en_TH", "en_PK", "en_NG", "es_CA", "uz_UZ", "fr_DZ", "fr_BE",
)  # fmt: skip
ADDRESS_LOCALES = ("en_GB", "en_IN", "pl_PL", "de_DE", "it_IT", "fr_FR", "es_AR", "pt_BR", "cs_CZ", "de_CH")
SEED = 4419
MANUALS: tuple[Manual, ...] = ()

# (espeak-ng voice, words per minute, kind, what is said): voices, variants and rates no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb", 190, "card", "The card is five four one two, seven five zero zero, zero zero one two, "
     "three four five six."),
    ("en-us-nyc", 140, "address", "Send it to two hundred seventy five Birchwood Lane, Fort Collins, Colorado, "
     "eight zero five two four."),
    ("en-us+f3", 125, "email", "Reach me at lukas dot brandner at fastmail dot com."),
    ("en-gb+f2", 155, "ssn", "My social security number is six one two, four eight, three three nine one."),
    ("en-us-nyc", 165, "person", "Good afternoon, my name is Siobhan Kowalczyk and I have an appointment."),
    ("en-gb", 115, "person", "The package was signed for by Mateus Ferreira yesterday."),
)  # fmt: skip

# romanized Japanese wards, towns and cities for block addresses (romanized, so OCR reads them)
_JP_CITIES = (("Tokyo", ("Setagaya", "Nerima", "Koto", "Suginami")), ("Osaka", ("Kita", "Naniwa", "Tennoji")))
_JP_CITIES += (("Sapporo", ("Chuo", "Toyohira")), ("Fukuoka", ("Hakata", "Sawara")))
_JP_TOWNS = ("Kitazawa", "Shimorenjaku", "Nishiogi", "Toyosu", "Kamishakujii", "Tenjinbashi", "Hiradai", "Momochi")


class HeldBack4Values:
    """People, addresses and numbers of the held_back_4 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        self.people = [Faker(locale) for locale in NAME_LOCALES]
        self.places = {locale: Faker(locale) for locale in ADDRESS_LOCALES}
        self.japanese = Faker("ja_JP")
        for number, fake in enumerate([*self.people, *self.places.values(), self.japanese]):
            fake.seed_instance(SEED + number)

    def reversed_surname(self) -> str:
        """A locale's surname written backwards: a name-like word no list holds."""
        surname = self.random.choice(self.people).last_name()
        return surname[::-1].lower().capitalize()

    def first_and_last(self) -> tuple[str, str]:
        shape = self.random.random()
        if shape < 0.12:
            return self.japanese.first_romanized_name(), self.japanese.last_romanized_name()
        fake = self.random.choice(self.people)
        if shape < 0.24:
            return fake.first_name(), self.reversed_surname()
        return fake.first_name(), fake.last_name()

    def person(self) -> str:
        """One person as written: mostly "Given Family", sometimes with a middle initial or family first."""
        first, last = self.first_and_last()
        shape = self.random.random()
        if shape < 0.1:
            return f"{first} {self.random.choice('BCGHLNPSVZ')}. {last}"
        if shape < 0.2:
            return f"{last.upper()} {first}"
        return f"{first} {last}"

    def glued_person(self) -> str:
        """Given and family name as OCR reads a tight label: glued, in capitals or not."""
        first, last = self.first_and_last()
        return f"{last}{first}".upper() if self.random.random() < 0.4 else f"{first}{last}"

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line: a locale's own format, or a romanized Japanese block address."""
        if self.random.random() < 0.2:
            return self.japanese_address()
        fake = self.places[self.random.choice(ADDRESS_LOCALES)]
        lines = [line.strip(" ,") for line in fake.address().splitlines() if line.strip(" ,")]
        if len(lines) == 1 and ", " in lines[0]:
            lines = [part.strip() for part in lines[0].split(", ", 1)]
        street, place = lines[0], ", ".join(lines[1:]) or f"{fake.postcode()} {fake.city()}"
        return street, place

    def japanese_address(self) -> tuple[str, str]:
        city, wards = self.random.choice(_JP_CITIES)
        block = f"{self.random.randint(1, 6)}-{self.random.randint(1, 30)}-{self.random.randint(1, 20)}"
        postcode = f"{self.random.randint(100, 999)}-{self.random.randint(0, 9999):04d}"
        return f"{block} {self.random.choice(_JP_TOWNS)}", f"{self.random.choice(wards)}-ku, {city} {postcode}"

    def dotted_address(self) -> str:
        street, place = self.address_lines()
        return f"{street} · {place}"

    def phone(self) -> str:
        return self.places[self.random.choice(ADDRESS_LOCALES)].phone_number()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1938, 2006)
        months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
        layouts = (
            f"{day} {months[month - 1]} {year}",
            f"{month:02d}/{day:02d}/{year}",
            f"{day:02d}-{month:02d}-{year}",
        )
        return self.random.choice(layouts)

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{last}_{first[:1]}".lower() if c.isascii() and (c.isalnum() or c == "_"))
        return f"{local or 'xy'}@{self.random.choice(('siol.net', 'bluewin.ch', 'videotron.ca', 'fibertel.com.ar'))}"


Pages = tuple[list[list[str]], list[Planted]]


def _prescription_label(v: HeldBack4Values) -> Pages:
    first, last = v.first_and_last()
    prescriber = v.first_and_last()
    street, place = v.address_lines()
    dob = v.date_of_birth()
    lines = [
        "Rx 0048213   Amoxicillin 500 mg capsules",
        f"For {first} {last}   born {dob}",
        "Take one capsule three times a day with food",
        f"Prescriber {prescriber[1]}, {prescriber[0]} (GP)",
        f"Deliver to {street}, {place}",
    ]
    planted = [Planted("person", f"{first} {last}"), Planted("dob", dob), Planted("person", prescriber[1])]
    planted += [Planted("person", prescriber[0]), Planted("address", street), Planted("address", place)]
    return [lines], planted


def _accident_report(v: HeldBack4Values) -> Pages:
    driver_a, driver_b, witness = v.person(), v.person(), v.person()
    street, place = v.address_lines()
    phone = v.phone()
    first_page = [
        "Road traffic collision - joint report",
        f"Vehicle A was driven by {driver_a}, who lives at {street}, {place}.",
        f"Vehicle B was driven by {driver_b}; reachable on {phone}.",
        "Both vehicles were moved to the hard shoulder.",
    ]
    second_page = [
        "Statement of the independent witness",
        f"{witness} saw vehicle B turn without signalling.",
        glued(f"Signed {witness}"),
    ]
    planted = [Planted("person", driver_a), Planted("address", street), Planted("address", place)]
    planted += [Planted("person", driver_b), Planted("phone", phone), Planted("person", witness, 2)]
    return [first_page, second_page], [*planted, Planted("person", glued(witness), 2)]


def _cv_header(v: HeldBack4Values) -> Pages:
    first, last = v.first_and_last()
    address = v.dotted_address()
    phone, email = v.phone(), v.email(first, last)
    referee, second_referee = v.person(), v.person()
    lines = [
        f"{first.upper()} {last.upper()}",
        address,
        f"{phone} · {email}",
        "Profile: logistics coordinator with eight years in cold-chain freight.",
        f"Referees: {referee} (former supervisor), {second_referee} (client)",
    ]
    planted = [Planted("person", f"{first.upper()} {last.upper()}"), Planted("address", address)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", referee)]
    return [lines], [*planted, Planted("person", second_referee)]


def _guest_list(v: HeldBack4Values) -> Pages:
    guests = [v.person(), v.glued_person(), v.person(), v.person()]
    lines = ["Wedding reception - seating plan", "Guest                          Table   Meal"]
    lines += [f"{guest}            {number + 1}       {('fish', 'veg', 'beef', 'veg')[number]}" for number, guest in
              enumerate(guests)]  # fmt: skip
    lines.append("Please confirm dietary needs by Friday.")
    return [lines], [Planted("person", guest) for guest in guests]


def _membership_renewal(v: HeldBack4Values) -> Pages:
    holder, partner = v.person(), v.person()
    street, place = v.address_lines()
    member = v.random.randint(10000, 99999)
    lines = [
        f"Member no. {member}   Household membership renewal",
        f"Renewal for the household of {holder} and {partner}.",
        "Postal address on file:",
        street,
        place,
        "Your card will be posted within ten days.",
    ]
    planted = [Planted("person", holder), Planted("person", partner), Planted("address", street)]
    return [lines], [*planted, Planted("address", place)]


def _parking_appeal(v: HeldBack4Values) -> Pages:
    first, last = v.first_and_last()
    partner = v.first_and_last()[0]
    street, place = v.address_lines()
    lines = [
        "Re: penalty charge notice PCN 7731 0442",
        f"On the evening in question my partner {partner} parked outside {street}, {place},",
        "where the signs had been removed for roadworks.",
        "I ask you to cancel the charge.",
        "Best,",
        first,
        glued(f"Sent by {first} {last}"),
    ]
    planted = [Planted("person", partner), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("person", first), Planted("person", glued(f"{first} {last}"))]


TEMPLATES = (_prescription_label, _accident_report, _cv_header, _guest_list, _membership_renewal, _parking_appeal)
