"""`held_back_5`: the fifth slice held back from tuning the PII redactor, written 2026-12-02 before
`pii-patterns-v9`'s detector changes, and run once, at the end, only to report.

`held_back_4` (pii_sets_held_back_4.py) was reported with `pii-patterns-v8` and is tuning material
since; this one replaces it as the blind measure. Everything in it differs from the earlier slices:

- people from Faker locales no earlier slice took names from (New Zealand and Irish English,
  Mexican Spanish, Belgian Dutch, Austrian German, Swiss French; Liechtenstein and Luxembourg
  surnames), names from Cyrillic and Greek locales transliterated here (Russian with patronymics,
  Ukrainian, Bulgarian, Macedonian, Greek), Chinese
  names in pinyin with the family name first (in capitals or not), Spanish given names with two
  surnames, names with a courtesy title or a suffix (`Mme`, `Herr`, `Sr.`, `Jr.`, `III`), and names
  with a nickname in quotes;
- addresses in the own formats of locales no earlier slice took addresses from (Dutch, Swedish,
  Spanish, Indonesian, Malaysian English, Chilean, Filipino, Bangladeshi English), Russian
  addresses transliterated (`ul. Sadovaya, d. 14, kv. 52, Moskva, 125047`), landmark addresses
  (`Plot 27, behind the water tower, off Ring Road`) and a postcode with its country prefix;
- OCR-style damage on some values as written on the page: `l`/`1`, `O`/`0`, `rn`/`m` confusions
  and a space dropped into a word;
- templates no earlier slice used: courier waybills set in two columns, dental registration forms
  set in two columns, job offer letters, contact tables, e-mail threads with signatures, and
  petitions signed by neighbours;
- speech: values said by espeak-ng voice and variant pairs no earlier slice used (`en-029+f4`,
  `en-gb-x-rp+m3`, `en-gb-scotland+f5`, `en-gb-x-gbcwmd+m2`, `en-us+m4`), at other rates;
- no manuals (the earlier slices' measure precision).
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Manual, Planted

# locales with a Latin-script person provider of their own that no earlier slice took names from
NAME_LOCALES = ("en_NZ", "en_IE", "es_MX", "nl_BE", "de_AT", "fr_CH")
# locales whose providers hold surnames only (their given names are Faker's English defaults)
SURNAME_LOCALES = ("de_LI", "de_LU")
# Cyrillic and Greek locales whose names are transliterated here (so OCR reads them)
TRANSLITERATED_LOCALES = ("ru_RU", "uk_UA", "bg_BG", "mk_MK", "el_GR")
ADDRESS_LOCALES = ("nl_NL", "sv_SE", "es_ES", "id_ID", "en_MS", "es_CL", "fil_PH", "en_BD")
PHONE_LOCALES = ("nl_NL", "sv_SE", "es_ES", "id_ID", "es_CL")
SEED = 5531
MANUALS: tuple[Manual, ...] = ()

# (espeak-ng voice, words per minute, kind, what is said): voice and variant pairs no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-029+f4", 145, "card", "You can take the payment from card three seven one four, "
     "four nine six three five three, nine eight four three one."),
    ("en-gb-x-rp+m3", 130, "address", "The delivery address is nine hundred and six Juniper Court, Asheville, "
     "North Carolina, two eight eight zero one."),
    ("en-gb-scotland+f5", 150, "email", "Write to me at tomasz underscore wierzba at protonmail dot com."),
    ("en-gb-x-gbcwmd+m2", 140, "ssn", "For the form, my social is four zero eight, six six, one two seven three."),
    ("en-us+m4", 160, "person", "Hi, it's Marguerite Okafor-Lindqvist calling back about the lease."),
    ("en-029+f4", 120, "person", "We spoke to Desmond Achterberg on Tuesday."),
)  # fmt: skip

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґјљњѓќѕџ",
        (
            "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya "
            "i yi ye g j lj nj gj kj dz dzh"
        ).split(),
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
        "a v g d e z i th i k l m n x o p r s s t y f ch ps o a e i i o y o i y i y".split(),
        strict=True,
    )
)
_TITLES = ("Mme", "Herr", "Sr.", "Dr", "Mx", "Frau", "Sra.")
_SUFFIXES = ("Jr.", "III", "Sr.", "II")
_SPANISH_GIVEN = ("María José", "Juan Pablo", "Ana Belén", "José Luis", "Maite", "Iñaki", "Rocío", "Nahuel")
_SPANISH_SURNAMES = ("Gutiérrez", "Ibarra", "Zúñiga", "Echeverría", "Quiroga", "Valdivia", "Arancibia", "Sepúlveda")
_NICKNAMES = ("Bud", "Kiki", "Sunny", "Rocco", "Pim", "Tash", "Dodo", "Jojo")
_LANDMARKS = ("behind the water tower", "opposite the old mill", "next to the Shell station", "near St Anne's clinic")
_ROADS = ("Ring Road", "Airport Road", "Mission Hill", "Quarry Lane", "Kiln Street", "Dam Road")
_CITY_COUNTRY = (("Kumasi", "Ghana"), ("Lilongwe", "Malawi"), ("Kisumu", "Kenya"), ("Ndola", "Zambia"))
_RU_CITIES = (("Moskva", "125047"), ("Kazan", "420111"), ("Samara", "443099"), ("Tomsk", "634050"))
_POSTCODE_PREFIXES = {"sv_SE": "SE", "et_EE": "EE", "de_LU": "L", "nl_NL": "NL"}


def transliterate(text: str) -> str:
    """Cyrillic or Greek written in Latin letters by a simple table of our own (not a library's)."""
    out = []
    for char in text:
        lower = char.lower()
        latin = _CYRILLIC.get(lower) or _GREEK.get(lower)
        if latin is None:
            out.append(char)
        elif latin != "-":
            out.append(latin.capitalize() if char != lower else latin)
    return "".join(out)


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it: one confusion of look-alike letters, or a space inside a word."""
    swaps = [(a, b) for a, b in (("rn", "m"), ("l", "1"), ("O", "0"), ("o", "0"), ("e", "c"), ("i", "í")) if a in text]
    if swaps and rng.random() < 0.6:
        old, new = rng.choice(swaps)
        at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
        return text[:at] + new + text[at + len(old) :]
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) >= 5:
        cut = rng.randint(2, len(word) - 2)
        words[longest] = f"{word[:cut]} {word[cut:]}"
    return " ".join(words)


class HeldBack5Values:
    """People, addresses and numbers of the held_back_5 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        self.people = [Faker(locale) for locale in NAME_LOCALES]
        self.surnames = [Faker(locale) for locale in SURNAME_LOCALES]
        self.foreign = [Faker(locale) for locale in TRANSLITERATED_LOCALES]
        self.places = {locale: Faker(locale) for locale in ADDRESS_LOCALES}
        self.chinese = Faker("zh_CN")
        fakes = [*self.people, *self.surnames, *self.foreign, *self.places.values(), self.chinese]
        for number, fake in enumerate(fakes):
            fake.seed_instance(SEED + number)

    def first_and_last(self) -> tuple[str, str]:
        shape = self.random.random()
        if shape < 0.25:
            fake = self.random.choice(self.foreign)
            return transliterate(fake.first_name()), transliterate(fake.last_name())
        if shape < 0.35:
            given = self.random.choice(_SPANISH_GIVEN)
            return given, " ".join(self.random.sample(_SPANISH_SURNAMES, 2))
        fake = self.random.choice(self.people)
        if shape < 0.45:
            return fake.first_name(), self.random.choice(self.surnames).last_name()
        return fake.first_name(), fake.last_name()

    def chinese_person(self) -> str:
        """Family name first, in pinyin, sometimes in capitals as passports write it."""
        family, given = self.chinese.last_romanized_name(), self.chinese.first_romanized_name()
        return f"{family.upper()} {given}" if self.random.random() < 0.5 else f"{family} {given}"

    def russian_person(self) -> str:
        """Given name, patronymic and family name, transliterated."""
        fake = self.foreign[0]
        return transliterate(f"{fake.first_name_male()} {fake.middle_name_male()} {fake.last_name_male()}")

    def person(self) -> str:
        """One person as written: plain, or with a title, a suffix, a nickname, pinyin or a patronymic."""
        shape = self.random.random()
        if shape < 0.1:
            return self.chinese_person()
        if shape < 0.17:
            return self.russian_person()
        first, last = self.first_and_last()
        if shape < 0.27:
            return f"{self.random.choice(_TITLES)} {first} {last}"
        if shape < 0.34:
            return f"{first} {last} {self.random.choice(_SUFFIXES)}"
        if shape < 0.41:
            return f'{first} "{self.random.choice(_NICKNAMES)}" {last}'
        return f"{first} {last}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.2 else text

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line: a locale's own format, transliterated Russian, or a landmark."""
        shape = self.random.random()
        if shape < 0.12:
            return self.russian_address()
        if shape < 0.22:
            return self.landmark_address()
        locale = self.random.choice(ADDRESS_LOCALES)
        fake = self.places[locale]
        lines = [line.strip(" ,") for line in fake.address().splitlines() if line.strip(" ,")]
        if len(lines) == 1 and ", " in lines[0]:
            parts = lines[0].split(", ")
            head = 2 if parts[0].isdigit() else 1  # a house number alone is not a street line
            lines = [", ".join(parts[:head]), ", ".join(parts[head:])]
        street, place = lines[0], ", ".join(lines[1:]) or f"{fake.postcode()} {fake.city()}"
        if locale in _POSTCODE_PREFIXES and self.random.random() < 0.5:
            place = f"{_POSTCODE_PREFIXES[locale]}-{place}"
        return street, place

    def russian_address(self) -> tuple[str, str]:
        street = transliterate(self.foreign[0].street_title())
        city, postcode = self.random.choice(_RU_CITIES)
        house, flat = self.random.randint(1, 90), self.random.randint(1, 240)
        return f"ul. {street}, d. {house}, kv. {flat}", f"{city}, {postcode}"

    def landmark_address(self) -> tuple[str, str]:
        city, country = self.random.choice(_CITY_COUNTRY)
        plot = f"Plot {self.random.randint(3, 480)}, {self.random.choice(_LANDMARKS)}"
        return plot, f"off {self.random.choice(_ROADS)}, {city}, {country}"

    def phone(self) -> str:
        return self.places[self.random.choice(PHONE_LOCALES)].phone_number()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1935, 2007)
        months = ("janvier", "Februar", "marzo", "April", "mai", "juni", "julio", "Aug.", "sept.", "Okt.", "nov", "dic")
        layouts = (
            f"{day}. {months[month - 1]} {year}",
            f"{year}/{month:02d}/{day:02d}",
            f"{day:02d}.{month:02d}.{year % 100:02d}",
        )
        return self.random.choice(layouts)

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == "."))
        domain = self.random.choice(("pt.lu", "xtra.co.nz", "vtxmail.ch", "videotron.qc.ca"))
        return f"{local.strip('.') or 'xy'}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _two_columns(left: str, right: str, width: int = 38) -> str:
    return f"{left:<{width}}{right}"


def _courier_waybill(v: HeldBack5Values) -> Pages:
    sender, recipient = v.person(), v.maybe_damaged(v.person())
    from_street, from_place = v.address_lines()
    to_street, to_place = v.address_lines()
    to_street = v.maybe_damaged(to_street)
    phone = v.phone()
    lines = [
        f"WAYBILL  AX-{v.random.randint(100000, 999999)}         Service: express, 2 parcels",
        _two_columns("SHIPPER", "CONSIGNEE"),
        _two_columns(sender, recipient),
        _two_columns(from_street, to_street),
        _two_columns(from_place, to_place),
        _two_columns("Declared value: 120.00", f"Tel. {phone}"),
        "Contents: printed books. Not dangerous goods.",
    ]
    planted = [Planted("person", sender), Planted("person", recipient), Planted("address", from_street)]
    planted += [Planted("address", from_place), Planted("address", to_street), Planted("address", to_place)]
    return [lines], [*planted, Planted("phone", phone)]


def _dental_registration(v: HeldBack5Values) -> Pages:
    first, last = v.first_and_last()
    dob, phone = v.date_of_birth(), v.phone()
    street, place = v.address_lines()
    kin = v.person()
    lines = [
        "New patient registration - Lakeside Dental Practice",
        _two_columns(f"Family name  {last.upper()}", f"First names  {first}"),
        _two_columns(f"Born  {dob}", "Sex  F / M / X"),
        _two_columns(f"Street  {street}", f"Town  {place}"),
        _two_columns(f"Mobile  {phone}", "Previous dentist  none"),
        f"In an emergency contact  {kin}  (spouse)",
        "I consent to the practice keeping my records for eleven years.",
    ]
    planted = [Planted("person", last.upper()), Planted("person", first), Planted("dob", dob)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    return [lines], [*planted, Planted("person", kin)]


def _offer_letter(v: HeldBack5Values) -> Pages:
    first, last = v.first_and_last()
    street, place = v.address_lines()
    signer = v.person()
    first_page = [
        f"{first} {last}",
        street,
        place,
        f"Dear {first},",
        "We are delighted to offer you the post of warehouse team leader, starting on 3 March.",
        f"Your line manager will be {signer}.",
    ]
    second_page = [
        f"Offer to {last}, page 2 of 2",
        "Please sign and return one copy within fourteen days.",
        "With warm regards,",
        signer,
        "People and Culture",
    ]
    planted = [Planted("person", f"{first} {last}"), Planted("address", street), Planted("address", place)]
    planted += [Planted("person", first), Planted("person", signer), Planted("person", last, 2)]
    return [first_page, second_page], [*planted, Planted("person", signer, 2)]


def _contact_table(v: HeldBack5Values) -> Pages:
    lines = ["Site contacts - north depot", "Name                      | Role        | Phone"]
    planted = []
    for role in ("Site lead", "First aider", "Fire warden", "Key holder"):
        person, phone = v.maybe_damaged(v.person()), v.phone()
        lines.append(f"{person:<26}| {role:<12}| {phone}")
        planted += [Planted("person", person), Planted("phone", phone)]
    lines.append("Update this sheet when anyone leaves.")
    return [lines], planted


def _email_signature(v: HeldBack5Values) -> Pages:
    first, last = v.first_and_last()
    sender_email = v.email(first, last)
    colleague = v.person()
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        f"On Thu 14 Nov, {first} {last} <{sender_email}> wrote:",
        f"> Could {colleague} send the revised drawings before Friday?",
        "> Thanks, and sorry for the short notice.",
        "Of course, they are attached.",
        "--",
        f"{first} {last}",
        "Project Engineer",
        f"{street} | {place}",
        f"M: {phone}",
    ]
    planted = [Planted("person", f"{first} {last}"), Planted("email", sender_email), Planted("person", colleague)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    return [lines], planted


def _neighbour_petition(v: HeldBack5Values) -> Pages:
    lines = ["Petition: keep the footpath behind the allotments open", "We the undersigned live nearby:"]
    planted = []
    for number in range(1, 4):
        person = v.person()
        street, place = v.address_lines()
        lines.append(f"{number}. {person}, {street}, {place}")
        planted += [Planted("person", person), Planted("address", street), Planted("address", place)]
    lines.append("Handed in at the parish office.")
    return [lines], planted


TEMPLATES = (_courier_waybill, _dental_registration, _offer_letter, _contact_table, _email_signature,
             _neighbour_petition)  # fmt: skip
