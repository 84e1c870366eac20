"""`held_back_13`: a slice held back from tuning the PII redactor, written 2026-12-03 while `pii-patterns-v13`
is main's detector and another engineer writes v14 without sight of it; committed before anything ran on it.
It was held back, unrun, until the lead ran it once after v14 was merged (docs/journal/privacy.md,
"held_back_13: v14 judged blind"); it is tuning material since.

Everything in it differs from the earlier slices (held_back_2 to held_back_12):

- people whose names are built here from syllables (no name list: not Faker's, not the detector's) by the
  rules of naming traditions no slice used: Khmer (written first in Khmer script, family name first,
  transliterated by a table of our own), Oromo (given name, father's name, grandfather's name; doubled
  vowels, `dh`, `x`, `q`), Fijian (titles `Ratu`/`Adi`, `c`/`q`/`dr` spelling, a father's name after the
  given names), Māori (macrons on long vowels, `wh`/`ng`) and Tongan (the glottal stop `ʻ`, given name and
  father's given name as family name); any word the detector's first-name gazetteer holds is built again;
- dates of birth in forms and calendars no slice used: the Persian solar year with its month names
  (`21 Esfand 1365 SH`), the Hebrew calendar's month names transliterated (`12 Adar 5747`), Thai month
  names transliterated with Buddhist-era years (`12 Minakhom 2530`), `dd-MMM-yy` (`12-Mar-87`) and the
  day as an ordinal word (`the twelfth of March 1987`); after labels in Indonesian, Swahili, Polish, Dutch,
  Portuguese, Tagalog and Romanian beside the English ones;
- addresses of countries no slice wrote in these shapes: Japanese chome-ban-go, Korean road names with
  `-ro`/`-gil`, Indonesian `RT/RW` and `Kel.`/`Kec.`, the Brazilian CEP on its own line first, an Irish
  Eircode first, and a Dutch postcode with `huisnummer`; phones as Japanese, Korean, Indonesian, Brazilian,
  Irish, Dutch and Fijian numbers are written at home (`090-1234-5678`, `0812-3456-7890`, `+353 (0)87 …`);
- OCR damage of kinds no slice used: a letter dropped, a letter doubled, `h` read as `b`, `u` as `ii`,
  `o` as `()`, `t` as `f`;
- templates no slice used: guest registration cards, pupil progress reports, summonses to appear,
  parcel delivery notes, immunisation records and tenancy deposit receipts;
- speech: card, address, e-mail, SSN, name and phone, values from the same generator, said by six espeak-ng
  voice and variant pairs no slice used;
- real documents without personal data: manual pages of `required` packages no slice used, set by groff
  into born-digital PDFs (mm_assets/operations/man_pages.py): mount(8), sed(1) and diff(1).
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache

from mm_assets.operations.pii_sets import Manual, Planted
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed

SEED = 13_813
MANUALS: tuple[Manual, ...] = (
    ("mount", "/usr/share/man/man8/mount.8.gz"),
    ("sed", "/usr/share/man/man1/sed.1.gz"),
    ("diffutils", "/usr/share/man/man1/diff.1.gz"),
)
TRADITIONS = ("khmer", "oromo", "fijian", "maori", "tongan")
VOICES = ("en-us+max", "en-gb+rob", "en-029+john", "en-gb-scotland+robert", "en-us-nyc+adam", "en-gb-x-gbcwmd+caleb")
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")

# ---------------------------------------------------------------------------- Khmer script, in Latin letters

_KHMER_CONSONANTS = {"ក": "k", "ខ": "kh", "គ": "k", "ង": "ng", "ច": "ch", "ឆ": "chh", "ជ": "ch", "ញ": "nh",
                     "ដ": "d", "ត": "t", "ថ": "th", "ទ": "t", "ន": "n", "ប": "b", "ព": "p", "ភ": "ph", "ម": "m",
                     "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ស": "s", "ហ": "h", "អ": ""}  # fmt: skip
_KHMER_VOWELS = {"ា": "a", "ិ": "i", "ី": "ei", "ុ": "o", "ូ": "ou", "េ": "e", "ែ": "ae", "ៃ": "ai", "ោ": "ao",
                 "ៅ": "au"}  # fmt: skip
_KHMER_NO_VOWEL = "\u17cb"  # bantoc: the consonant ends the syllable


def khmer_to_latin(text: str) -> str:
    """Khmer script in Latin letters (`សុខ់` → `Sokh`): a consonant takes the vowel sign after it, none after
    a bantoc, and an inherent `o` when nothing follows; each word capitalised."""
    out = []
    for i, char in enumerate(text):
        if char in _KHMER_CONSONANTS:
            after = text[i + 1] if i + 1 < len(text) else ""
            inherent = "" if after in _KHMER_VOWELS or after == _KHMER_NO_VOWEL else "o"
            out.append(_KHMER_CONSONANTS[char] + inherent)
        elif char in _KHMER_VOWELS:
            out.append(_KHMER_VOWELS[char])
        elif char != _KHMER_NO_VOWEL:
            out.append(char)
    return " ".join(word[:1].upper() + word[1:] for word in "".join(out).split(" "))


# ---------------------------------------------------------------------------- syllables of each tradition

_OROMO_HEADS = ("Gam", "Dhu", "Bo", "Lam", "Tuu", "Chaa", "Fay", "Gad", "Jir", "Qan", "Obs", "Hun", "Dar", "Ayy")
_OROMO_TAILS = ("achuu", "gaasaa", "ressa", "tumaa", "baasaa", "xii", "qabee", "daa", "eessaa", "oolee", "ituu")
_FIJIAN_SYLLABLES = ("Va", "ni", "Ro", "qa", "tu", "ci", "Dra", "vu", "Se", "ko", "Lai", "sa", "Ba", "le", "Tui",
                     "mo", "ke", "Na", "ga", "Wai", "dro", "Mere", "Ili")  # fmt: skip
_FIJIAN_TITLES = ("Ratu", "Adi", "")
_MAORI_HEADS = ("Whai", "Ngā", "Tū", "Rā", "Hō", "Kōu", "Mā", "Aro", "Wiri", "Tama", "Hine", "Pare")
_MAORI_TAILS = ("rangi", "nui", "moana", "ātea", "tahi", "whetū", "kura", "roa", "pōuri", "wai", "huia")
_TONGAN_HEADS = ("ʻAka", "Sio", "Lu", "Fe", "Mele", "Tevi", "ʻOfa", "Vai", "Pule", "Hala", "Finau", "Sela")
_TONGAN_TAILS = ("siʻi", "vaka", "lotu", "ʻana", "kilo", "tonu", "moʻui", "hina", "ʻuli", "pea", "maka")
_KHMER_SYLLABLE_HEADS = tuple("កខគងចឆជញដតថទនបពភមយរលវសហអ")

# places and their codes: real ones (the addresses around them are made up)
_JAPAN = (("Nishi-Shinjuku", "Shinjuku-ku, Tokyo", "160-0023"), ("Umeda", "Kita-ku, Osaka", "530-0001"),
          ("Sakae", "Naka-ku, Nagoya", "460-0008"), ("Tenjin", "Chuo-ku, Fukuoka", "810-0001"))  # fmt: skip
_KOREA = (("Gangnam-gu", "Seoul", "06236"), ("Haeundae-gu", "Busan", "48094"), ("Yuseong-gu", "Daejeon", "34141"))
_INDONESIA = (("Jakarta Pusat", "10510"), ("Bandung", "40115"), ("Surabaya", "60271"), ("Yogyakarta", "55281"))
_BRAZIL = (("São Paulo - SP", "01310"), ("Recife - PE", "50030"), ("Curitiba - PR", "80010"))
_IRELAND = (("Dublin 8", "D08"), ("Galway", "H91"), ("Cork", "T12"), ("Limerick", "V94"))
_NETHERLANDS = (("Utrecht", "3511"), ("Groningen", "9711"), ("Eindhoven", "5611"), ("Leiden", "2311"))
_EIRCODE_LETTERS = "ACDEFHKNPRTVWXY"

_PERSIAN_MONTHS = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar",
                   "Dey", "Bahman", "Esfand")  # fmt: skip
_HEBREW_MONTHS = ("Tishrei", "Cheshvan", "Kislev", "Tevet", "Shevat", "Adar", "Nisan", "Iyar", "Sivan", "Tammuz",
                  "Av", "Elul")  # fmt: skip
_THAI_MONTHS = ("Mokkarakhom", "Kumphaphan", "Minakhom", "Mesayon", "Phruetsaphakhom", "Mithunayon",
                "Karakadakhom", "Singhakhom", "Kanyayon", "Tulakhom", "Phruetsachikayon", "Thanwakhom")  # fmt: skip
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")  # fmt: skip
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
             "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth")  # fmt: skip
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Tanggal lahir", "Tarehe ya kuzaliwa", "Data urodzenia", "Geboortedatum", "Data de nascimento",
                "Petsa ng kapanganakan", "Data nașterii")  # fmt: skip


@cache
def _gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: a letter dropped or doubled,
    `h` as `b`, `u` as `ii`, `o` as `()`, `t` as `f`."""
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    kinds = ["drop", "double"] + [
        f"{a}>{b}" for a, b in (("h", "b"), ("u", "ii"), ("o", "()"), ("t", "f")) if a in text
    ]
    kind = rng.choice(kinds)
    if kind in ("drop", "double"):
        at = rng.choice(letters[1:] or letters)
        return text[:at] + (text[at] * 2 if kind == "double" else "") + text[at + 1 :]
    old, new = kind.split(">")
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


class HeldBack13Values:
    """People, addresses and numbers of held_back_13 (no Faker, no name list: every value is built here)."""

    def __init__(self, seed: int = SEED) -> None:
        self.random = random.Random(seed)

    def _fresh(self, build) -> str:
        """A name from `build`, built again while the detector's gazetteer holds any of its words."""
        while True:
            name = build()
            words = {w.lower().strip("'.,ʻ") for w in name.replace("-", " ").split()}
            if not words & _gazetteer():
                return name

    def person(self) -> str:
        return self._fresh(getattr(self, f"_{self.random.choice(TRADITIONS)}"))

    def _khmer(self) -> str:
        def word() -> str:
            syllables = []
            for _ in range(self.random.randint(1, 2)):
                syllable = self.random.choice(_KHMER_SYLLABLE_HEADS) + self.random.choice(tuple(_KHMER_VOWELS))
                if self.random.random() < 0.5:
                    syllable += self.random.choice("កងនមល") + _KHMER_NO_VOWEL
                syllables.append(syllable)
            return "".join(syllables)

        return khmer_to_latin(f"{word()} {word()}")  # family name first, then the given name

    def _oromo(self) -> str:
        def word() -> str:
            return self.random.choice(_OROMO_HEADS) + self.random.choice(_OROMO_TAILS)

        return " ".join(word() for _ in range(self.random.choice((2, 3))))

    def _fijian(self) -> str:
        def word() -> str:
            parts = self.random.sample(_FIJIAN_SYLLABLES, self.random.randint(2, 3))
            return "".join(parts).capitalize()

        given = " ".join(word() for _ in range(self.random.randint(1, 2)))
        return f"{self.random.choice(_FIJIAN_TITLES)} {given} {word()}".strip()

    def _maori(self) -> str:
        def word() -> str:
            return self.random.choice(_MAORI_HEADS) + self.random.choice(_MAORI_TAILS)

        return f"{word()} {word()}"

    def _tongan(self) -> str:
        def word() -> str:
            return self.random.choice(_TONGAN_HEADS) + self.random.choice(_TONGAN_TAILS)

        return f"{word()} {word()}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.3 else text

    def street_word(self) -> str:
        return self._fresh(lambda: (self.random.choice(_OROMO_HEADS) + self.random.choice(_MAORI_TAILS)).capitalize())

    def address_lines(self) -> tuple[str, str]:
        formats = (self.japan, self.korea, self.indonesia, self.brazil, self.ireland, self.netherlands)
        return self.random.choice(formats)()

    def japan(self) -> tuple[str, str]:  # chome-ban-go, then ward, city and the postcode
        r = self.random
        district, ward, code = r.choice(_JAPAN)
        return f"{district} {r.randint(1, 8)}-chome {r.randint(1, 30)}-ban {r.randint(1, 20)}-go", f"{ward} {code}"

    def korea(self) -> tuple[str, str]:  # a road name with -ro / -gil and a building number
        r = self.random
        district, city, code = r.choice(_KOREA)
        road = f"{self.street_word()}-ro" + (f" {r.randint(2, 80)}-gil" if r.random() < 0.6 else "")
        return f"{r.randint(3, 420)}, {road}", f"{district}, {city} {code}"

    def indonesia(self) -> tuple[str, str]:  # RT/RW, kelurahan and kecamatan
        r = self.random
        city, code = r.choice(_INDONESIA)
        street = (
            f"Jl. {self.street_word()} No. {r.randint(1, 120)}, RT {r.randint(1, 15):03d}/RW {r.randint(1, 12):03d}"
        )
        return street, f"Kel. {self.street_word()}, Kec. {self.street_word()}, {city} {code}"

    def brazil(self) -> tuple[str, str]:  # the CEP on its own line first
        r = self.random
        city, head = r.choice(_BRAZIL)
        street = f"Rua {self.street_word()}, {r.randint(10, 2999)} - {self.street_word()}, {city}"
        return f"CEP {head}-{r.randint(0, 999):03d}", street

    def ireland(self) -> tuple[str, str]:  # the Eircode first
        r = self.random
        town, routing = r.choice(_IRELAND)
        unique = r.choice(_EIRCODE_LETTERS) + "".join(r.choice("0123456789" + _EIRCODE_LETTERS) for _ in range(3))
        return f"Eircode {routing} {unique}", f"{r.randint(1, 90)} {self.street_word()} Road, {town}"

    def netherlands(self) -> tuple[str, str]:  # postcode and huisnummer, then the street
        r = self.random
        city, digits = r.choice(_NETHERLANDS)
        code = f"{digits} {r.choice('ABCDEFGHJKLMNPRSTVWXZ')}{r.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
        suffix = r.choice(("", "-II", " bis", "A"))
        return f"Postcode {code}, huisnummer {r.randint(1, 240)}{suffix}", f"{self.street_word()}straat, {city}"

    def phone(self) -> str:
        r = self.random
        layouts = (
            lambda: f"0{r.choice((70, 80, 90))}-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",  # Japan, mobile
            lambda: f"010-{r.randint(2000, 9999)}-{r.randint(1000, 9999)}",  # Korea
            lambda: f"08{r.randint(11, 59)}-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",  # Indonesia
            lambda: f"+55 ({r.randint(11, 99)}) 9{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",  # Brazil
            lambda: f"+353 (0)8{r.choice('3567')} {r.randint(100, 999)} {r.randint(1000, 9999)}",  # Ireland
            lambda: f"06-{r.randint(10000000, 99999999)}",  # the Netherlands
            lambda: f"+679 {r.choice((7, 8, 9))}{r.randint(10, 99)} {r.randint(1000, 9999)}",  # Fiji
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> str:
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1938, 2018)
        return r.choice(
            (
                f"{day} {_PERSIAN_MONTHS[month - 1]} {year - 621} SH",  # the Persian solar year
                f"{day} {_HEBREW_MONTHS[month - 1]} {year + 3760}",  # the Hebrew year
                f"{day} {_THAI_MONTHS[month - 1]} {year + 543}",  # Thai months, Buddhist-era years
                f"{day:02d}-{_ENGLISH_MONTHS[month - 1][:3]}-{year % 100:02d}",  # dd-MMM-yy
                f"the {_ORDINALS[day - 1]} of {_ENGLISH_MONTHS[month - 1]} {year}",  # an ordinal word
            )
        )

    def email(self, name: str) -> str:
        words = [
            "".join(c for c in unicodedata.normalize("NFD", w) if c.isascii() and c.isalpha()) for w in name.split()
        ]
        local = "_".join(w.lower() for w in words if len(w) > 2)[:22].strip("_") or "guest"
        domain = self.random.choice(("ezweb.ne.jp", "daum.net", "telkom.net.id", "uol.com.br", "eircom.net",
                                     "ziggo.nl", "connect.com.fj"))  # fmt: skip
        return f"{local}{self.random.randint(1, 99)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _guest_registration_card(v: HeldBack13Values) -> Pages:
    guest, companion = v.person(), v.maybe_damaged(v.person())
    dob, phone, companion_dob = v.date_of_birth(), v.phone(), v.date_of_birth()
    street, place = v.address_lines()
    email = v.email(guest)
    lines = [
        f"KARTU REGISTRASI TAMU / GUEST REGISTRATION CARD   Kamar / Room {v.random.randint(101, 840)}",
        f"Nama / Name: {guest}",
        f"{v.random.choice(BIRTH_LABELS)} / Date of birth: {dob}",
        f"Alamat / Home address: {street}",
        place,
        f"Telepon / Phone: {phone}   Surel / E-mail: {email}",
        f"Accompanied by: {companion}   {companion_dob}",
        "Check-out 12:00. Breakfast 06:30-10:00.",
    ]
    planted = [Planted("person", guest), Planted("dob", dob), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", companion)]
    return [lines], [*planted, Planted("dob", companion_dob)]


def _pupil_report(v: HeldBack13Values) -> Pages:
    pupil, teacher, guardian = v.maybe_damaged(v.person()), v.person(), v.person()
    dob, guardian_phone = v.date_of_birth(), v.phone()
    street, place = v.address_lines()
    lines = [
        "RIPOTI YA MAENDELEO / PUPIL PROGRESS REPORT   Term 3",
        f"Jina la mwanafunzi / Pupil: {pupil}",
        f"Tarehe ya kuzaliwa / Born: {dob}",
        f"Mzazi / Parent or guardian: {guardian}   Simu / Tel: {guardian_phone}",
        f"Anwani / Address: {street}, {place}",
        "Mathematics B+   Kiswahili A   Science B   Attendance 96%",
        f"Class teacher: {teacher}",
    ]
    planted = [Planted("person", pupil), Planted("dob", dob), Planted("person", guardian)]
    planted.append(Planted("phone", guardian_phone))
    return [lines], [*planted, Planted("address", street), Planted("address", place), Planted("person", teacher)]


def _summons_to_appear(v: HeldBack13Values) -> Pages:
    defendant, complainant, clerk = v.person(), v.maybe_damaged(v.person()), v.person()
    dob, phone = v.date_of_birth(), v.phone()
    street, place = v.address_lines()
    first_page = [
        f"WEZWANIE / SUMMONS TO APPEAR   Sygn. akt {v.random.randint(100, 999)}/26",
        f"To / Do: {defendant}",
        f"Data urodzenia / Date of birth: {dob}",
        f"of {street}",
        f"{place}   Tel. {phone}",
        f"You are summoned on the complaint of {complainant}",
        "to appear before the District Court on 19 January 2027 at 09:30.",
    ]
    second_page = [f"Issued by the clerk of the court: {clerk}", "Failure to appear may lead to a warrant."]
    planted = [Planted("person", defendant), Planted("dob", dob), Planted("address", street)]
    planted += [Planted("address", place), Planted("phone", phone), Planted("person", complainant)]
    return [first_page, second_page], [*planted, Planted("person", clerk, 2)]


def _parcel_delivery_note(v: HeldBack13Values) -> Pages:
    recipient, courier, sender = v.person(), v.maybe_damaged(v.person()), v.person()
    phone, sender_phone = v.phone(), v.phone()
    street, place = v.address_lines()
    lines = [
        f"AFLEVERBEWIJS / PARCEL DELIVERY NOTE   Zending {v.random.randint(10**9, 10**10 - 1)}",
        f"Ontvanger / Recipient: {recipient}",
        f"Adres / Address: {street}",
        place,
        f"Tel.: {phone}",
        f"Afzender / Sender: {sender}, {sender_phone}",
        "Pakketten / Parcels: 2   Gewicht / Weight: 7.4 kg",
        f"Bezorgd door / Delivered by: {courier}",
    ]
    planted = [Planted("person", recipient), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("person", sender), Planted("phone", sender_phone)]
    return [lines], [*planted, Planted("person", courier)]


def _immunisation_record(v: HeldBack13Values) -> Pages:
    child, mother = v.maybe_damaged(v.person()), v.person()
    dob, mother_dob = v.date_of_birth(), v.date_of_birth()
    phone = v.phone()
    street, place = v.address_lines()
    lines = [
        "REGISTRO DE VACINAÇÃO / IMMUNISATION RECORD",
        f"Nome / Name: {child}",
        f"Data de nascimento / Date of birth: {dob}",
        f"Mãe / Mother: {mother}   Data nașterii: {mother_dob}",
        f"Contacto / Contact: {phone}",
        f"Morada / Address: {street}",
        place,
        "BCG  lote 0412B   Polio (OPV) 3 doses   MMR lote M7731",
    ]
    planted = [Planted("person", child), Planted("dob", dob), Planted("person", mother), Planted("dob", mother_dob)]
    return [lines], [*planted, Planted("phone", phone), Planted("address", street), Planted("address", place)]


def _tenancy_deposit_receipt(v: HeldBack13Values) -> Pages:
    tenant, landlord = v.person(), v.maybe_damaged(v.person())
    dob = v.date_of_birth()
    street, place = v.address_lines()
    email, landlord_phone = v.email(tenant), v.phone()
    lines = [
        "RESIBO NG DEPOSITO / TENANCY DEPOSIT RECEIPT",
        f"Natanggap mula kay / Received from: {tenant}",
        f"Petsa ng kapanganakan / D.O.B.: {dob}   Email: {email}",
        f"For the letting of: {street}, {place}",
        f"Halaga / Amount: {v.random.randint(8, 60) * 1000:,} (two months' deposit)",
        f"Landlord / May-ari: {landlord}   Tel. {landlord_phone}",
    ]
    planted = [Planted("person", tenant), Planted("dob", dob), Planted("email", email)]
    planted += [Planted("address", street), Planted("address", place), Planted("person", landlord)]
    return [lines], [*planted, Planted("phone", landlord_phone)]


TEMPLATES = (
    _guest_registration_card,
    _pupil_report,
    _summons_to_appear,
    _parcel_delivery_note,
    _immunisation_record,
    _tenancy_deposit_receipt,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "3456")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack13Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(lambda: values._oromo() if rng.random() < 0.5 else values._fijian())
    district, ward, code = rng.choice(_JAPAN)
    ssn = f"{rng.randint(100, 665)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"353 8{rng.choice('3567')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    local = person.lower().split()[-1]
    sentences = {
        "card": f"The deposit goes on card {digit_words(spoken_card())}.",
        "address": f"Send it to {district}, {number_words(rng.randint(1, 8))} chome, "
        f"{number_words(rng.randint(1, 30))} ban, {ward}, {digit_words(code.replace('-', ' '))}.",
        "email": f"My address is {local} {number_words(rng.randint(2, 60))} at eircom dot net.",
        "ssn": f"For the form, my social security number is {digit_words(ssn)}.",
        "person": f"Hello, my name is {person} and I booked the room.",
        "phone": f"Call me back on plus {digit_words(phone)}.",
    }
    return tuple((VOICES[i], rng.randint(120, 170), kind, sentences[kind]) for i, kind in enumerate(SPOKEN_KINDS))


SPOKEN_PII = spoken_pii()
