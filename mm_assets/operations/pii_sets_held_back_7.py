"""`held_back_7`: the seventh slice held back from tuning the PII redactor, written 2026-12-03 before
the v11 detector changes that were tried (and not adopted), and run once, at the end, only to report.

`held_back_6` (pii_sets_held_back_6.py) was reported with `pii-patterns-v10` and is tuning material
since; this one replaces it as the blind measure. Everything in it differs from the earlier slices:

- people from locales no earlier slice took names from, written in Latin letters by tables of our own:
  Hindi, Marathi and Nepali names (Devanagari, an abugida: each consonant carries an `a` unless a sign
  says otherwise), Arabic, Palestinian Arabic, Persian and Hebrew names (abjads: the vowels they do not
  write are filled in with `a`); names made up here from Basque-shaped parts (`Etxeberriaga`); and a
  share of family names that are English words (`Stone`, `Fields`), which vocabulary alone cannot tell;
- addresses in the own formats of locales no earlier slice took addresses from (Hindi, Marathi, Nepali,
  Persian and Hebrew, transliterated by the same tables), and formats written here: Singapore HDB blocks
  (`Blk 123 Ang Mo Kio Avenue 3, #05-1234`), Puerto Rican urbanizaciones, Canadian rural routes and
  Emirati villa addresses;
- OCR damage of other kinds than before: `rn` read as `m`, `e` as `c`, `u` as `ii`, a letter doubled,
  a name letter-spaced (`S T O N E`), accents dropped;
- templates no earlier slice used: staff directories set as a table, CVs, hospital discharge letters,
  minutes with attendees and apologies, e-mail replies quoting the message before, customs
  declarations;
- speech: values said by espeak-ng voice and variant pairs no earlier slice used (`en-gb-x-rp+f1`,
  `en-us+klatt2`, `en-gb-x-gbcwmd+f3`, `en-029+m3`, `en-us-nyc+m2`, `en-gb+klatt3`);
- one real manual no PII slice used (GLPK's graph and network routines, `glpk-doc`'s graphs.pdf, which
  `make system-deps` installs): its share of redacted words.
"""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Manual, Planted

DEVANAGARI_LOCALES = ("hi_IN", "mr_IN", "ne_NP")
ABJAD_LOCALES = ("ar_SA", "ar_PS", "fa_IR", "he_IL")
ADDRESS_LOCALES = ("hi_IN", "mr_IN", "ne_NP", "fa_IR", "he_IL")
PHONE_LOCALES = ("hi_IN", "he_IL", "fa_IR", "ne_NP", "ar_PS")
SEED = 7707
MANUALS: tuple[Manual, ...] = (("glpk-doc", "/usr/share/doc/glpk-doc/graphs.pdf"),)

# (espeak-ng voice, words per minute, kind, what is said): voice and variant pairs no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb-x-rp+f1", 140, "card", "The card is five one zero five, one zero five one, zero five one zero, "
     "five one zero zero."),
    ("en-us+klatt2", 135, "address", "Send the forms to two hundred sixty Juniper Lane, Flagstaff, Arizona, "
     "eight six zero zero one."),
    ("en-gb-x-gbcwmd+f3", 145, "email", "My address is farid dot nasseri at posteo dot net."),
    ("en-029+m3", 130, "ssn", "For the record my social security number is four zero eight, five one, "
     "two six three nine."),
    ("en-us-nyc+m2", 150, "person", "Good morning, you are speaking with Anjali Deshpande-Marsh."),
    ("en-gb+klatt3", 140, "person", "The key was collected by Yitzhak Ben-Ami yesterday."),
)  # fmt: skip

_DEVANAGARI_CONSONANTS = dict(
    zip(
        "कखगघङचछजझञटठडढणतथदधनपफबभमयरलळवशषसह",
        "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l l v sh sh s h".split(),
        strict=True,
    )
)
_DEVANAGARI_VOWELS = dict(zip("अआइईउऊऋएऐओऔ", "a aa i ee u oo ri e ai o au".split(), strict=True))
_DEVANAGARI_SIGNS = dict(zip("ािीुूृेैोौ", "aa i ee u oo ri e ai o au".split(), strict=True))
_DEVANAGARI_MARKS = {"ं": "n", "ँ": "n", "ः": "h", "्": "", "़": "", "\u200c": "", "\u200d": ""}
# Arabic, Persian and Hebrew letters: consonants, and the letters that also write long vowels
_ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهپچژگکء"
_ARABIC_LATIN = "b t th j h kh d dh r z s sh s d t z _ gh f q k l m n h p ch zh g k _".split()
_HEBREW_LETTERS = "אבגדהזחטכךלמםנןסעפףצץקרשת"
_HEBREW_LATIN = "_ b g d h z ch t k kh l m m n n s _ p f ts ts k r sh t".split()
_ABJAD = {
    **dict(zip(_ARABIC_LETTERS, _ARABIC_LATIN, strict=True)),
    **dict(zip(_HEBREW_LETTERS, _HEBREW_LATIN, strict=True)),
}
_ABJAD_VOWELS = {
    "ا": "a",
    "آ": "aa",
    "أ": "a",
    "إ": "i",
    "و": "u",
    "ي": "i",
    "ی": "i",
    "ى": "a",
    "ة": "a",
    "ו": "o",
    "י": "i",
    "א": "a",
}
# parts of made-up Basque-shaped names: in no list of names anyone uses
_BASQUE_HEADS = ("etxe", "goiko", "zabal", "aran", "mendi", "iturri", "zubi", "garai", "lasa", "urru", "olabe", "ibar")
_BASQUE_TAILS = ("berri", "aga", "eta", "ena", "zar", "alde", "buru", "ondo", "tegi", "gorri", "ola", "txea")
_BASQUE_GIVEN = ("Ane", "Itz", "Nai", "Oih", "Ama", "Jok", "Unai", "Eki", "Ibo", "Mik")
_GIVEN_ENDINGS = ("ane", "ia", "itz", "en", "o", "ari", "ua")
# family names that are English words: vocabulary cannot tell them from prose
_WORD_SURNAMES = ("Stone", "Fields", "Brook", "Marsh", "Hedges", "Lamb", "Frost", "Wren", "Steel", "Dale", "Moss")
_SG_TOWNS = (
    ("Ang Mo Kio Avenue", "56"),
    ("Tampines Street", "52"),
    ("Bukit Batok West Avenue", "65"),
    ("Yishun Ring Road", "76"),
)
_PR_URBANIZATIONS = ("Urb. Las Gladiolas", "Urb. Villa Carolina", "Urb. Santa Juanita", "Urb. Country Club")
_PR_TOWNS = (("San Juan", "00926"), ("Carolina", "00983"), ("Bayamón", "00956"), ("Ponce", "00730"))
_CA_RURAL = (
    ("Grande Prairie", "AB", "T8V"),
    ("Kamloops", "BC", "V2C"),
    ("Brandon", "MB", "R7A"),
    ("Truro", "NS", "B2N"),
)
_AE_AREAS = (("Al Barsha 2", "Dubai"), ("Al Khalidiyah", "Abu Dhabi"), ("Al Majaz 3", "Sharjah"), ("Mirdif", "Dubai"))
_ROMAN_MONTHS = "I II III IV V VI VII VIII IX X XI XII".split()
_MONTH_NAMES = "January February March April May June July August September October November December".split()


def devanagari_to_latin(text: str) -> str:
    """Devanagari in Latin letters by our own table: a consonant carries `a` unless a vowel sign or a
    virama follows it; a word's last inherent `a` is not said (`कमल` -> `Kamal`)."""
    words = []
    for word in text.split():
        out: list[str] = []
        for at, char in enumerate(word):
            nxt = word[at + 1] if at + 1 < len(word) else ""
            if char in _DEVANAGARI_CONSONANTS:
                inherent = nxt not in _DEVANAGARI_SIGNS and nxt not in ("्", "़") and nxt != ""
                out.append(_DEVANAGARI_CONSONANTS[char] + ("a" if inherent else ""))
            elif char in _DEVANAGARI_VOWELS:
                out.append(_DEVANAGARI_VOWELS[char])
            elif char in _DEVANAGARI_SIGNS:
                out.append(_DEVANAGARI_SIGNS[char])
            elif char in _DEVANAGARI_MARKS:
                out.append(_DEVANAGARI_MARKS[char])
            else:
                out.append(char)
        words.append("".join(out).replace("’", "'"))
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


def abjad_to_latin(text: str) -> str:
    """Arabic, Persian or Hebrew in Latin letters by our own table: an `a` goes between two consonants
    the script writes without a vowel between them (`محمد` -> `Mahamad`)."""
    words = []
    for word in text.split():
        units: list[tuple[str, bool]] = []  # (letters, is a consonant)
        for char in word:
            if char in _ABJAD_VOWELS and units:
                units.append((_ABJAD_VOWELS[char], False))
            elif char in _ABJAD_VOWELS:
                units.append(({"و": "w", "ي": "y", "ی": "y", "ו": "v", "י": "y"}.get(char, "a"), True))
            elif char in _ABJAD:
                units.append((_ABJAD[char].strip("_"), True))
            elif not unicodedata.combining(char) and unicodedata.category(char) not in ("Cf", "Mn"):
                units.append((char, False))  # digits and punctuation as written
        out = []
        for at, (letters, consonant) in enumerate(units):
            out.append(letters)
            if consonant and at + 1 < len(units) and units[at + 1][1] and letters:
                out.append("a")
        latin = "".join(out)
        if latin:
            words.append(latin[:1].upper() + latin[1:])
    return " ".join(words)


def luhn_valid(number: str) -> bool:
    digits = [int(char) for char in number if char.isdigit()][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `rn` as `m`, `e` as `c`,
    `u` as `ii`, a letter doubled, the letters spaced out, or its accents dropped."""
    swaps = [(a, b) for a, b in (("rn", "m"), ("e", "c"), ("u", "ii")) if a in text]
    shape = rng.random()
    if swaps and shape < 0.45:
        old, new = rng.choice(swaps)
        at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
        return text[:at] + new + text[at + len(old) :]
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    if shape < 0.7 and letters:
        at = rng.choice(letters)
        return text[: at + 1] + text[at] + text[at + 1 :]
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    if shape < 0.85 or plain == text:
        return "  ".join(" ".join(word) for word in text.split())
    return plain


class HeldBack7Values:
    """People, addresses and numbers of the held_back_7 slice."""

    def __init__(self) -> None:
        from faker import Faker

        self.random = random.Random(SEED)
        locales = sorted({*DEVANAGARI_LOCALES, *ABJAD_LOCALES, *ADDRESS_LOCALES, *PHONE_LOCALES})
        self.fakers = {locale: Faker(locale) for locale in locales}
        for number, fake in enumerate(self.fakers.values()):
            fake.seed_instance(SEED + number)

    def basque_word(self) -> str:
        return (self.random.choice(_BASQUE_HEADS) + self.random.choice(_BASQUE_TAILS)).capitalize()

    def first_and_last(self) -> tuple[str, str]:
        """Given name and family name of one person (in that order)."""
        shape = self.random.random()
        if shape < 0.35:
            fake = self.fakers[self.random.choice(DEVANAGARI_LOCALES)]
            first, last = devanagari_to_latin(fake.first_name()), devanagari_to_latin(fake.last_name())
        elif shape < 0.7:
            fake = self.fakers[self.random.choice(ABJAD_LOCALES)]
            first, last = abjad_to_latin(fake.first_name()), abjad_to_latin(fake.last_name())
        else:
            given = self.random.choice(_BASQUE_GIVEN) + self.random.choice(_GIVEN_ENDINGS)
            first, last = given, self.basque_word()
        if self.random.random() < 0.15:
            last = self.random.choice(_WORD_SURNAMES)
        return first or "Ane", last or self.basque_word()

    def person(self) -> str:
        first, last = self.first_and_last()
        shape = self.random.random()
        if shape < 0.15:
            return f"{last.upper()}, {first}"
        if shape < 0.3:
            return f"Dr {first} {last}"
        return f"{first} {last}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.25 else text

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line: a locale's own format or one of the formats written here."""
        made_here = (self.singapore_address, self.puerto_rico_address, self.canada_rural_route, self.emirati_villa)
        if self.random.random() < 0.4:
            return self.random.choice(made_here)()
        locale = self.random.choice(ADDRESS_LOCALES)
        text = self.fakers[locale].address().replace("\n", ", ")
        to_latin = devanagari_to_latin if locale in DEVANAGARI_LOCALES else abjad_to_latin
        text = to_latin(text.replace(",", " ,")).replace(" ,", ",")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if len(parts) == 1:
            words = parts[0].split()
            cut = max(1, len(words) // 2)
            return " ".join(words[:cut]), " ".join(words[cut:]) or "Pune"
        cut = max(1, len(parts) // 2)
        return ", ".join(parts[:cut]), ", ".join(parts[cut:])

    def singapore_address(self) -> tuple[str, str]:
        street, district = self.random.choice(_SG_TOWNS)
        block = self.random.randint(100, 899)
        unit = f"#{self.random.randint(2, 25):02d}-{self.random.randint(10, 1999)}"
        return f"Blk {block} {street} {self.random.randint(1, 10)}, {unit}", f"Singapore {district}{block:04d}"

    def puerto_rico_address(self) -> tuple[str, str]:
        town, zip_code = self.random.choice(_PR_TOWNS)
        house = f"{self.random.choice('ABCDEFG')}-{self.random.randint(1, 40)}"
        street = f"{self.random.choice(_PR_URBANIZATIONS)}, Calle {self.random.randint(1, 30)} {house}"
        return street, f"{town}, PR {zip_code}"

    def canada_rural_route(self) -> tuple[str, str]:
        town, province, prefix = self.random.choice(_CA_RURAL)
        route = f"RR {self.random.randint(1, 9)}, Site {self.random.randint(1, 30)}, Comp {self.random.randint(1, 99)}"
        code = (
            f"{prefix} {self.random.randint(1, 9)}{self.random.choice('ABCEGHJKLMNPRSTVXY')}{self.random.randint(1, 9)}"
        )
        return route, f"{town} {province} {code}"

    def emirati_villa(self) -> tuple[str, str]:
        area, city = self.random.choice(_AE_AREAS)
        return (
            f"Villa {self.random.randint(1, 90)}, Street {self.random.randint(1, 40)}{self.random.choice('abc')}",
            f"{area}, {city}",
        )

    def phone(self) -> str:
        return self.fakers[self.random.choice(PHONE_LOCALES)].phone_number()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1932, 2007)
        layouts = (
            f"{day}.{_ROMAN_MONTHS[month - 1]}.{year}",
            f"{_MONTH_NAMES[month - 1]} {day}, {year}",
            f"{year}/{month:02d}/{day:02d}",
        )
        return self.random.choice(layouts)

    def email(self, first: str, last: str) -> str:
        local = "".join(c for c in f"{first[:1]}.{last}".lower() if c.isascii() and (c.isalnum() or c == "."))
        domain = self.random.choice(("rediffmail.com", "walla.co.il", "bigpond.com", "sympatico.ca"))
        return f"{local.strip('.') or 'ab'}{self.random.randint(1, 99)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _staff_directory(v: HeldBack7Values) -> Pages:
    lines = ["Harbourside Clinic - staff directory (internal)", "Name                      Role              Ext."]
    planted = []
    for role in ("Practice manager", "Nurse", "Receptionist", "Pharmacist", "Physiotherapist"):
        person = v.maybe_damaged(v.person())
        lines.append(f"{person:<26}{role:<18}{v.random.randint(200, 299)}")
        planted.append(Planted("person", person))
    return [lines], planted


def _curriculum_vitae(v: HeldBack7Values) -> Pages:
    first, last = v.first_and_last()
    street, place = v.address_lines()
    phone, email = v.phone(), v.email(first, last)
    referee = v.person()
    name = v.maybe_damaged(f"{first} {last}")
    first_page = [
        "CURRICULUM VITAE",
        name,
        f"{street} | {place}",
        f"{phone} | {email}",
        "Profile: logistics planner with eight years in cold-chain distribution.",
        "2019 - now   Shift lead, regional distribution centre",
    ]
    second_page = ["References", f"{referee}, former line manager, on request.", "Languages: English, Hindi, Arabic"]
    planted = [Planted("person", name), Planted("address", street), Planted("address", place)]
    return [first_page, second_page], [
        *planted,
        Planted("phone", phone),
        Planted("email", email),
        Planted("person", referee, 2),
    ]


def _discharge_letter(v: HeldBack7Values) -> Pages:
    first, last = v.first_and_last()
    street, place = v.address_lines()
    dob, consultant = v.date_of_birth(), v.person()
    gp = v.maybe_damaged(v.person())
    lines = [
        "Ward 7B, Eastfield General Hospital - discharge summary",
        f"To: {gp}, Lakeside Surgery",
        f"Re: {first} {last}, born {dob}",
        f"of {street}, {place}",
        f"Your patient was admitted with a fractured wrist and seen by {consultant}.",
        "Discharged home with a cast; fracture clinic in two weeks.",
    ]
    planted = [Planted("person", gp), Planted("person", f"{first} {last}"), Planted("dob", dob)]
    return [lines], [*planted, Planted("address", street), Planted("address", place), Planted("person", consultant)]


def _minutes_with_attendees(v: HeldBack7Values) -> Pages:
    present = [v.maybe_damaged(v.person()) for _ in range(3)]
    absent, chair = v.person(), v.person()
    lines = [
        "Allotment association - minutes of the committee meeting",
        f"Present: {present[0]}; {present[1]}; {present[2]}",
        f"Apologies: {absent}",
        f"In the chair: {chair}",
        "1. The water trough on plot row C leaks and will be replaced before spring.",
        "2. Subscriptions stay at 35 a year.",
    ]
    planted = [Planted("person", person) for person in present]
    return [lines], [*planted, Planted("person", absent), Planted("person", chair)]


def _email_reply_thread(v: HeldBack7Values) -> Pages:
    first, last = v.first_and_last()
    other_first, other_last = v.first_and_last()
    other_email = v.email(other_first, other_last)
    phone = v.phone()
    lines = [
        "Re: parking permit for the new flat",
        f"Thanks {other_first}, that works for me. I will bring the lease on Thursday.",
        f"{first}",
        f"On Mon 1 Dec, {other_first} {other_last} <{other_email}> wrote:",
        f"> Dear {first}, please bring proof of address. Call me on {phone} if unsure.",
        f"> {other_first} {other_last}, Permits Officer",
    ]
    planted = [
        Planted("person", other_first),
        Planted("person", first),
        Planted("person", f"{other_first} {other_last}"),
    ]
    return [lines], [*planted, Planted("email", other_email), Planted("phone", phone)]


def _customs_declaration(v: HeldBack7Values) -> Pages:
    sender, recipient = v.person(), v.maybe_damaged(v.person())
    from_street, from_place = v.address_lines()
    to_street, to_place = v.address_lines()
    lines = [
        "CUSTOMS DECLARATION CN 22 - gift",
        f"From: {sender}, {from_street}, {from_place}",
        f"To: {recipient}",
        f"    {to_street}",
        f"    {to_place}",
        "Contents: 2 knitted scarves, 1 book. Value 40.00. Weight 0.8 kg.",
    ]
    planted = [Planted("person", sender), Planted("address", from_street), Planted("address", from_place)]
    return [lines], [
        *planted,
        Planted("person", recipient),
        Planted("address", to_street),
        Planted("address", to_place),
    ]


TEMPLATES = (_staff_directory, _curriculum_vitae, _discharge_letter, _minutes_with_attendees, _email_reply_thread,
             _customs_declaration)  # fmt: skip
