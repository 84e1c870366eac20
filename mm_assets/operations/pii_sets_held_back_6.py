"""`held_back_6`: the sixth slice held back from tuning the PII redactor, written 2026-12-03 before
`pii-patterns-v10`'s detector changes, and run once, at the end, only to report.

`held_back_5` (pii_sets_held_back_5.py) was reported with `pii-patterns-v9` and is tuning material
since; this one replaces it as the blind measure. Everything in it differs from the earlier slices:

- people from locales no earlier slice took names from, written in Latin letters: Taiwanese names as
  Taiwan's passports romanise them (Faker's zh_TW, family name first), Korean, Georgian and Armenian
  names transliterated here by tables of our own (Hangul composed arithmetically); names made up here
  from syllables no list holds; names written with initials;
- addresses in the own formats of locales no earlier slice took addresses from (Azerbaijani,
  Vietnamese, Algerian French; Armenian and Georgian transliterated), and formats written here: Korean
  road-name addresses, Hong Kong flats in towers, Colombian `Carrera 7 # 45-12` grid addresses and
  post-office boxes;
- OCR damage of other kinds than before: `m` read as `rn`, `d` as `cl`, `h` as `b`, `S` as `5`,
  `B` as `8`, a letter dropped, two words glued, a value read in lower case;
- templates no earlier slice used: utility bills, used-car sale receipts, veterinary records,
  volunteer rotas, lost-property claims and library-card applications;
- speech: values said by espeak-ng voice and variant pairs no earlier slice used (`en-gb-x-gbclan+m5`,
  `en-us-nyc+f2`, `en-gb+m6`, `en-029+m1`, `en-gb-scotland+m7`, `en-us+klatt`);
- one real manual no slice used (the expEYES user manual of `expeyes-doc-en`, which `make system-deps`
  installs): its share of redacted words.
"""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Manual, Planted

# locales whose names are romanised by Faker (zh_TW) or transliterated here (the others)
NAME_LOCALES = ("zh_TW", "ko_KR", "ka_GE", "hy_AM")
ADDRESS_LOCALES = ("az_AZ", "vi_VN", "fr_DZ", "hy_AM", "ka_GE")
PHONE_LOCALES = ("az_AZ", "vi_VN", "fr_DZ", "ka_GE")
SEED = 6607
MANUALS: tuple[Manual, ...] = (("expeyes-doc-en", "/usr/share/expeyes/doc/en-eyes.pdf"),)

# (espeak-ng voice, words per minute, kind, what is said): voice and variant pairs no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb-x-gbclan+m5", 150, "card", "Charge it to six zero one one, zero zero zero nine, "
     "nine four two four, seven one three two."),
    ("en-us-nyc+f2", 135, "address", "Ship it to four hundred eighteen Cottonwood Drive, Boise, Idaho, "
     "eight three seven zero two."),
    ("en-gb+m6", 145, "email", "You can mail me at rustam dot kerimov at fastmail dot org."),
    ("en-029+m1", 130, "ssn", "The social security number on file is six one two, three eight, five five zero four."),
    ("en-gb-scotland+m7", 155, "person", "This is Ingrid Vasquez-Holloway from the planning office."),
    ("en-us+klatt", 140, "person", "Please put me through to Oluwaseun Brandt."),
)  # fmt: skip

_GEORGIAN = dict(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h".split(),
        strict=True,
    )
)
_ARMENIAN = dict(
    zip(
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցփքօֆ",
        "a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts p k o f".split(),
        strict=True,
    )
)
_ARMENIAN_DIGRAPHS = {"ու": "u", "և": "ev"}
# Hangul jamo in the order Unicode composes syllables, written as Korea's revised romanisation does
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()

_ONSETS = ("br", "dj", "kv", "tz", "vr", "zh", "gl", "mb", "nk", "sk", "tl", "x")
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ou", "y")
_CODAS = ("", "n", "r", "sh", "k", "lm", "nd", "v")
_KOREAN_ROADS = ("Teheran-ro", "Sejong-daero", "Hangang-daero", "Dosan-daero", "Eulji-ro", "Yanghwa-ro")
_KOREAN_DISTRICTS = (("Gangnam-gu", "Seoul"), ("Haeundae-gu", "Busan"), ("Suseong-gu", "Daegu"))
_HK_ESTATES = ("Harbour View Garden", "Sunshine Court", "Jade Terrace", "Lok Fu Estate", "Mei Foo Sun Chuen")
_HK_DISTRICTS = ("Sha Tin", "Tsuen Wan", "Kwun Tong", "Tuen Mun", "Causeway Bay")
_BOGOTA_QUARTERS = ("Chapinero", "Usaquén", "Teusaquillo", "Suba", "Kennedy")
# Azerbaijani month names, as an Azerbaijani form writes a date of birth
_MONTHS = "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr".split()
_PO_TOWNS = (("Gaborone", "Botswana"), ("Windhoek", "Namibia"), ("Mbabane", "Eswatini"), ("Maseru", "Lesotho"))


def _capitalised(words: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in words.split(" "))


def transliterate(text: str) -> str:
    """Georgian or Armenian written in Latin letters by tables of our own (not a library's)."""
    lowered = text.lower()
    for digraph, latin in _ARMENIAN_DIGRAPHS.items():
        lowered = lowered.replace(digraph, latin)
    out = [_GEORGIAN.get(char) or _ARMENIAN.get(char) or char for char in lowered]
    return _capitalised("".join(out))


def romanise_hangul(text: str) -> str:
    """Hangul syllables in revised romanisation: each syllable decomposed by Unicode's arithmetic."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            out.append(char)
            continue
        initial, medial, final = code // 588, (code % 588) // 28, code % 28
        out.append("".join(part for part in (_INITIALS[initial], _MEDIALS[medial], _FINALS[final]) if part != "-"))
    return "".join(out)


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: one look-alike misread,
    a letter dropped, two words glued, or everything in lower case."""
    shape = rng.random()
    swaps = [(a, b) for a, b in (("m", "rn"), ("d", "cl"), ("h", "b"), ("S", "5"), ("B", "8")) if a in text]
    if swaps and shape < 0.5:
        old, new = rng.choice(swaps)
        at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
        return text[:at] + new + text[at + len(old) :]
    if " " in text and shape < 0.7:
        at = rng.choice([i for i, char in enumerate(text) if char == " "])
        return text[:at] + text[at + 1 :]
    if shape < 0.85:
        letters = [i for i in range(1, len(text) - 1) if text[i].isalpha()]
        if letters:
            at = rng.choice(letters)
            return text[:at] + text[at + 1 :]
    return text.lower()


class HeldBack6Values:
    """People, addresses and numbers of the held_back_6 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        self.names = {locale: Faker(locale) for locale in NAME_LOCALES}
        self.places = {locale: Faker(locale) for locale in ADDRESS_LOCALES}
        for number, fake in enumerate([*self.names.values(), *self.places.values()]):
            fake.seed_instance(SEED + number)

    def made_up_word(self) -> str:
        """A name-like word from syllables of our own: in no list anyone uses."""
        syllables = self.random.randint(2, 3)
        parts = [self.random.choice(_ONSETS) + self.random.choice(_NUCLEI) for _ in range(syllables)]
        return (("".join(parts)) + self.random.choice(_CODAS)).capitalize()

    def first_and_last(self) -> tuple[str, str]:
        """Given name and family name of one person (in that order)."""
        shape = self.random.random()
        if shape < 0.25:
            fake = self.names["zh_TW"]
            family, given = fake.last_romanized_name(), fake.first_romanized_name()
            return (given.capitalize() if self.random.random() < 0.5 else given), family
        if shape < 0.45:
            fake = self.names["ko_KR"]
            family, given = romanise_hangul(fake.last_name()), romanise_hangul(fake.first_name())
            return given.capitalize(), family.capitalize()
        if shape < 0.6:
            fake = self.names["ka_GE"]
            return transliterate(fake.first_name()), transliterate(fake.last_name())
        if shape < 0.75:
            fake = self.names["hy_AM"]
            return transliterate(fake.first_name()), transliterate(fake.last_name())
        return self.made_up_word(), self.made_up_word()

    def person(self) -> str:
        """One person as written: given name first, family name first (East Asian), or with initials."""
        first, last = self.first_and_last()
        shape = self.random.random()
        if shape < 0.25:
            return f"{last} {first}"
        if shape < 0.4:
            return f"{first[0]}. {last}"
        if shape < 0.5:
            return f"{first[0]}. {self.made_up_word()[0]}. {last}"
        return f"{first} {last}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.25 else text

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line: a locale's own format or one of the formats written here."""
        shape = self.random.random()
        made_here = (self.korean_address, self.hong_kong_address, self.bogota_address, self.po_box)
        if shape < 0.4:
            return self.random.choice(made_here)()
        locale = self.random.choice(ADDRESS_LOCALES)
        fake = self.places[locale]
        text = fake.address().replace("\n", ", ")
        if locale in ("hy_AM", "ka_GE"):
            text = transliterate(text)
        parts = [part.strip() for part in text.split(", ") if part.strip()]
        if len(parts) == 1:
            return parts[0], f"{fake.postcode()} {self._city(locale)}"
        cut = max(1, len(parts) // 2)
        return ", ".join(parts[:cut]), ", ".join(parts[cut:])

    def _city(self, locale: str) -> str:
        city = self.places[locale].city()
        return transliterate(city) if locale in ("hy_AM", "ka_GE") else city

    def korean_address(self) -> tuple[str, str]:
        district, city = self.random.choice(_KOREAN_DISTRICTS)
        road = f"{self.random.randint(1, 480)}, {self.random.choice(_KOREAN_ROADS)}"
        return f"{road}, {district}", f"{city} {self.random.randint(1000, 63999):05d}"

    def hong_kong_address(self) -> tuple[str, str]:
        flat = f"Flat {self.random.randint(1, 38)}{self.random.choice('ABCDEFGH')}"
        tower = f"Tower {self.random.randint(1, 9)}, {self.random.choice(_HK_ESTATES)}"
        return f"{flat}, {tower}", f"{self.random.randint(2, 88)} Wo Che Street, {self.random.choice(_HK_DISTRICTS)}"

    def bogota_address(self) -> tuple[str, str]:
        way = self.random.choice(("Carrera", "Calle", "Diagonal", "Transversal"))
        number = f"{way} {self.random.randint(2, 140)} # {self.random.randint(1, 99)}-{self.random.randint(1, 99)}"
        return number, f"{self.random.choice(_BOGOTA_QUARTERS)}, Bogotá D.C."

    def po_box(self) -> tuple[str, str]:
        town, country = self.random.choice(_PO_TOWNS)
        return f"P.O. Box {self.random.randint(100, 99999)}", f"{town}, {country}"

    def phone(self) -> str:
        return self.places[self.random.choice(PHONE_LOCALES)].phone_number()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1931, 2008)
        layouts = (f"{year}. {month}. {day}.", f"{day}-{month:02d}-{year}", f"{day} {_MONTHS[month - 1]} {year}")
        return self.random.choice(layouts)

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{last}{first[:1]}".lower() if c.isascii() and c.isalnum())
        domain = self.random.choice(("naver.com", "hinet.net", "mail.az", "caramail.dz"))
        return f"{local or 'xy'}{self.random.randint(1, 99)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _utility_bill(v: HeldBack6Values) -> Pages:
    holder = v.maybe_damaged(v.person())
    street, place = v.address_lines()
    street = v.maybe_damaged(street)
    lines = [
        "Northern Water Board - quarterly statement",
        f"Account holder: {holder}",
        f"Supply address: {street}",
        f"                {place}",
        f"Account 88-{v.random.randint(100000, 999999)}   Period: 1 Jul - 30 Sep",
        "Metered use 41 m3 at 2.18 per m3. Standing charge 18.40.",
        "Pay by direct debit to save two per cent.",
    ]
    planted = [Planted("person", holder), Planted("address", street), Planted("address", place)]
    return [lines], planted


def _vehicle_sale_receipt(v: HeldBack6Values) -> Pages:
    seller, buyer = v.person(), v.maybe_damaged(v.person())
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        "RECEIPT FOR THE SALE OF A USED VEHICLE",
        f"Vehicle: 2014 hatchback, 96,400 km, registration KX{v.random.randint(10, 99)} RTU",
        f"Sold by {seller}",
        f"to {buyer}, of {street}, {place}",
        f"Buyer's phone {phone}",
        "Price paid in full: 4,250.00. Sold as seen, with no warranty.",
        "Signed by both parties on the date above.",
    ]
    planted = [Planted("person", seller), Planted("person", buyer), Planted("address", street)]
    return [lines], [*planted, Planted("address", place), Planted("phone", phone)]


def _vet_record(v: HeldBack6Values) -> Pages:
    first, last = v.first_and_last()
    owner = f"{first} {last}"
    street, place = v.address_lines()
    phone, email = v.phone(), v.email(first, last)
    lines = [
        "Riverside Veterinary Clinic - patient record",
        "Patient: Biscuit (dog, beagle, 7 years)   Weight 13.2 kg",
        f"Owner  {owner}",
        f"Home   {street}",
        f"       {place}",
        f"Phone  {phone}   E-mail  {email}",
        "Vaccinations up to date. Next check in six months.",
    ]
    planted = [Planted("person", owner), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("phone", phone), Planted("email", email)]


def _volunteer_rota(v: HeldBack6Values) -> Pages:
    lines = ["Food bank volunteer rota - December", "Day        Shift        Volunteer"]
    planted = []
    for day in ("Monday", "Wednesday", "Friday", "Saturday"):
        person = v.maybe_damaged(v.person())
        lines.append(f"{day:<11}{'9:00-13:00':<13}{person}")
        planted.append(Planted("person", person))
    coordinator, phone = v.person(), v.phone()
    lines.append(f"Questions to the coordinator, {coordinator}, on {phone}.")
    return [lines], [*planted, Planted("person", coordinator), Planted("phone", phone)]


def _lost_property_claim(v: HeldBack6Values) -> Pages:
    first, last = v.first_and_last()
    street, place = v.address_lines()
    dob, phone = v.date_of_birth(), v.phone()
    clerk = v.person()
    first_page = [
        "Central Station lost property office - claim form",
        "Item lost: black umbrella with a wooden handle, platform 4",
        f"Surname: {last}     Given name: {first}",
        f"Date of birth: {dob}",
        f"Address: {street}; {place}",
        f"Telephone: {phone}",
    ]
    second_page = [
        "For office use",
        f"Claim checked by {clerk}. Item returned against photo ID.",
        f"Claimant: {last}",
    ]
    planted = [Planted("person", last), Planted("person", first), Planted("dob", dob), Planted("address", street)]
    planted += [Planted("address", place), Planted("phone", phone), Planted("person", clerk, 2)]
    return [first_page, second_page], [*planted, Planted("person", last, 2)]


def _library_card_application(v: HeldBack6Values) -> Pages:
    first, last = v.first_and_last()
    street, place = v.address_lines()
    guarantor = v.maybe_damaged(v.person())
    email = v.email(first, last)
    lines = [
        "Application for a library card",
        f"I, {first} {last}, ask for a card for the city libraries.",
        f"I live at {street}, {place}.",
        f"E-mail for reminders: {email}",
        f"My guarantor is {guarantor}, who has held a card for over a year.",
        "Loans: up to 12 items for 3 weeks. Fines are not charged on children's books.",
    ]
    planted = [Planted("person", f"{first} {last}"), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("email", email), Planted("person", guarantor)]


TEMPLATES = (_utility_bill, _vehicle_sale_receipt, _vet_record, _volunteer_rota, _lost_property_claim,
             _library_card_application)  # fmt: skip
