"""`held_back_2`: the second slice held back from tuning the PII redactor, written 2026-12-02 before
any of that day's detector changes, and run once, at the end, only to report.

The first held-back slice (mm_assets/operations/pii_sets.py) was reported and its misses studied,
so it became tuning material; this one replaces it as the blind measure. Everything in it differs
from what the detector was tuned on:

- people from Faker locales neither earlier slice used (Finnish, Hungarian, Romanian, Yoruba, Igbo,
  Zulu, Vietnamese, Irish, Lithuanian, Twi, Azerbaijani, Indonesian), and names made up by other
  generators than the syllable one: clustered consonants with accented vowels, names with
  particles ("van der", "bin", "de la"), initials, double-barrelled surnames, surname-first forms;
- addresses in formats no earlier slice used: each locale's own street line and postcode-city
  line, US lines with a unit first, a ZIP+4 or the state written out, Canadian and Australian ones;
- templates the detector never saw (insurance claim, school enrolment, witness statement, visitor
  log, e-mail header, shipping label in capitals), with names glued the way OCR glues them, also
  across a comma and in capitals;
- other real manuals (GLPK's, from the glpk-doc package `make system-deps` installs);
- speech: other values, said by espeak-ng voices and at rates the tuning slice does not use.
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Manual, Planted, glued

NAME_LOCALES = (
    "fi_FI", "hu_HU", "ro_RO", "yo_NG", "ig_NG", "zu_ZA", "vi_VN", "ga_IE", "lt_LT", "tw_GH", "az_AZ", "id_ID",
)  # fmt: skip
# locales whose Faker address provider writes their own street and postcode formats
ADDRESS_LOCALES = ("fi_FI", "hu_HU", "ro_RO", "sl_SI", "da_DK", "en_AU", "en_NZ", "en_CA", "en_PH", "zu_ZA")
SEED = 2612
INVENTED_SHARE = 0.3

MANUALS: tuple[Manual, ...] = (
    ("glpk-doc", "/usr/share/doc/glpk-doc/cnfsat.pdf"),
    ("glpk-doc", "/usr/share/doc/glpk-doc/gmpl.pdf"),
)

# (espeak-ng voice, words per minute, kind, what is said): voices and rates the tuning slice does not use
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb-x-rp", 175, "card", "Please charge it to four zero one two, eight eight eight eight, "
     "eight eight eight eight, one eight eight one."),
    ("en-029", 135, "address", "The parcel goes to four hundred eighteen Maple Avenue, Dayton, Ohio, "
     "four five four zero two."),
    ("en-gb-scotland", 160, "email", "You can write to priya dot raman at mailbox dot org any time."),
    ("en-gb-x-gbclan", 145, "ssn", "His social security number is three seven two, four four, one nine five eight."),
    ("en-gb-x-gbcwmd", 170, "person", "Hello, this is Okonkwo Adeyemi returning your call from this morning."),
    ("en-us", 120, "person", "Please ask for Tamsin Velloway at the front desk."),
)  # fmt: skip

_CLUSTERS = ("kw", "ngw", "mb", "tch", "zh", "xh", "bj", "sv", "dl", "gy", "ny", "pr", "hv", "j", "p", "w", "h")
_ACCENTED_VOWELS = ("a", "e", "i", "o", "u", "á", "é", "ø", "ü", "ă", "ī", "ő", "y")
_ENDINGS = ("", "", "o", "a", "i", "ek", "ani", "ović", "sson", "ema", "uti", "ard")
_PARTICLES = ("van der", "de la", "bin", "von", "da", "ter", "al-", "Mac", "O'")


class HeldBackValues:
    """People, addresses and numbers of the held_back_2 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        self.people = [Faker(locale) for locale in NAME_LOCALES]
        self.places = [Faker(locale) for locale in ADDRESS_LOCALES]
        for number, fake in enumerate(self.people + self.places):
            fake.seed_instance(SEED + number)
        self.us = Faker("en_US")
        self.us.seed_instance(SEED)

    def invented_word(self) -> str:
        parts = [
            self.random.choice(_CLUSTERS) + self.random.choice(_ACCENTED_VOWELS)
            for _ in range(self.random.choice((1, 2, 3)))
        ]
        return ("".join(parts) + self.random.choice(_ENDINGS)).capitalize()

    def first_and_last(self) -> tuple[str, str]:
        if self.random.random() < INVENTED_SHARE:
            return self.invented_word(), self.invented_word()
        fake = self.random.choice(self.people)
        return fake.first_name(), fake.last_name()

    def person(self) -> str:
        """One person as written: mostly "First Last", sometimes with a particle, an initial or two surnames."""
        first, last = self.first_and_last()
        shape = self.random.random()
        if shape < 0.12:
            particle = self.random.choice(_PARTICLES)
            joiner = "" if particle.endswith(("-", "'")) or particle == "Mac" else " "
            return f"{first} {particle}{joiner}{last}"
        if shape < 0.22:
            return f"{first[0]}. {self.random.choice('ABDEJKMRT')}. {last}"
        if shape < 0.32:
            return f"{first} {last}-{self.first_and_last()[1]}"
        return f"{first} {last}"

    def surname_first(self) -> str:
        """ "OYELARAN, Kemi": how registers and forms list people."""
        first, last = self.first_and_last()
        return f"{last.upper()}, {first}"

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line, in one of several formats."""
        shape = self.random.random()
        if shape < 0.45:
            fake = self.random.choice(self.places)
            street = ", ".join(line.strip() for line in fake.street_address().splitlines())  # "Level 9, 3 Oak Court"
            return street, f"{fake.postcode()} {fake.city()}"
        us = self.us
        street = f"{self.random.randint(3, 9899)} {self.random.choice(('N', 'SW', 'East', ''))} {us.last_name()} "
        street = " ".join(street.split()) + " " + self.random.choice(("Terrace", "Crescent", "Parkway", "Trail", "Row"))
        if shape < 0.65:
            street = f"Apt {self.random.randint(1, 40)}{self.random.choice('ABC')}, {street}"
        if shape < 0.85:
            return street, f"{us.city()}, {us.state()} {us.zipcode_plus4()}"
        return street, f"{us.city()} {us.state_abbr(include_territories=False)} {us.zipcode()}"

    def phone(self) -> str:
        fake = self.random.choice(self.places)
        return fake.phone_number()

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == "."))
        return f"{local or 'x.y'}@{self.random.choice(('mailbox.org', 'posteo.net', 'inbox.lv', 'gmx.at'))}"


Pages = tuple[list[list[str]], list[Planted]]


def _insurance_claim(v: HeldBackValues) -> Pages:
    claimant, witness = v.person(), v.person()
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        "Household insurance - claim form B",
        f"Policyholder {claimant}",
        f"Insured property {street}",
        place,
        f"Daytime number {phone}",
        f"The water leak was first noticed by {witness} on a Sunday evening.",
    ]
    planted = [Planted("person", claimant), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("phone", phone), Planted("person", witness)]


def _school_enrolment(v: HeldBackValues) -> Pages:
    pupil, guardian = v.surname_first(), v.person()
    street, place = v.address_lines()
    first, last = guardian.split()[0], guardian.split()[-1]
    email = v.email(first, last)
    lines = [
        "Enrolment for the autumn term",
        f"Pupil (surname, given name) {pupil}",
        f"Parent or guardian {guardian}",
        f"Lives at {street}, {place}",
        f"Contact e-mail {email}",
    ]
    planted = [Planted("person", pupil), Planted("person", guardian), Planted("address", f"{street}, {place}")]
    return [lines], [*planted, Planted("email", email)]


def _witness_statement(v: HeldBackValues) -> Pages:
    witness, driver, passenger = v.person(), v.person(), v.first_and_last()[0]
    street, place = v.address_lines()
    first_page = [
        "Statement of witness",
        f"I, {witness}, make this statement of my own free will.",
        f"At about six I saw a blue van reverse into the car that {driver} had parked outside {street}.",
        glued(f"{passenger} was still sitting inside"),
    ]
    second_page = [f"{place}", f"Signed {witness}"]
    planted = [Planted("person", witness), Planted("person", driver), Planted("address", street)]
    planted += [Planted("person", passenger), Planted("address", place, 2), Planted("person", witness, 2)]
    return [first_page, second_page], planted


def _visitor_log(v: HeldBackValues) -> Pages:
    visitors = [v.person() for _ in range(3)]
    lines = ["Visitor log - reception desk", "Time Visitor Host"]
    hosts = [v.first_and_last()[1] for _ in range(3)]
    for hour, (visitor, host) in enumerate(zip(visitors, hosts, strict=True), 9):
        lines.append(f"{hour:02d}:1{hour % 6} {visitor} {host}")
    planted = [Planted("person", visitor) for visitor in visitors] + [Planted("person", host) for host in hosts]
    return [lines], planted


def _email_header(v: HeldBackValues) -> Pages:
    (sender_first, sender_last), (to_first, to_last) = v.first_and_last(), v.first_and_last()
    sender_email, to_email = v.email(sender_first, sender_last), v.email(to_first, to_last)
    lines = [
        f"{sender_first} {sender_last} <{sender_email}>",
        f"Sent Tuesday to {to_first} {to_last} <{to_email}>",
        "Subject: the revised floor plan",
        f"{to_first}, the plan is attached; call me if the stairs look wrong.",
        sender_first,
    ]
    planted = [Planted("person", f"{sender_first} {sender_last}"), Planted("email", sender_email)]
    planted += [Planted("person", f"{to_first} {to_last}"), Planted("email", to_email)]
    return [lines], [*planted, Planted("person", to_first), Planted("person", sender_first)]


def _shipping_label(v: HeldBackValues) -> Pages:
    recipient = v.person()
    street, place = v.address_lines()
    lines = [
        "PRIORITY PARCEL",
        glued(f"SHIP TO {recipient.upper()}"),
        street.upper(),
        place.upper(),
        glued(f"Handed over to {recipient.split()[-1]}, {recipient.split()[0]}"),
    ]
    planted = [Planted("person", glued(recipient.upper())), Planted("address", street.upper())]
    planted += [Planted("address", place.upper())]
    last_first = glued(f"{recipient.split()[-1]}, {recipient.split()[0]}")
    return [lines], [*planted, Planted("person", last_first)]


TEMPLATES = (_insurance_claim, _school_enrolment, _witness_statement, _visitor_log, _email_header, _shipping_label)
