"""`held_back_9`: the ninth slice held back from tuning the PII redactor, written 2026-12-03 before any
`pii-patterns-v12` change, and run once, at the end, only to report.

`held_back_7` (letters and forms) and `held_back_8` (one manual) were reported once and are tuning
material since; this one replaces them as the blind measure. Everything in it differs from the earlier
slices:

- people whose names are built here from syllables by the rules of naming traditions, never taken from a
  name list (not Faker's, not the detector's; `held_back_3` took Icelandic names from Faker's is_IS list,
  none of the others): Yoruba-shaped names
  (`Oluwadamilare Adebanjo`-like compounds), Icelandic patronymics (`Hrafnkell Ǫrnólfsdóttir`-like,
  the father's made-up name plus `sson`/`sdóttir`), Mongolian patronymic-first names (`Batsuuriin
  Oyuntuya`-like), Tamil initials-first names (`K. R. Selvamani`-like), Hawaiian-shaped names with the
  ʻokina and macrons, and Ethiopian given-plus-father's-name pairs; a made-up word that the detector's
  first-name gazetteer holds is rejected and built again;
- addresses in formats no earlier slice used, their street and town words built from the same
  syllables: Lagos plots and estates, Reykjavík streets with a floor, Ulaanbaatar khoroo and building
  numbers, Kenyan P.O. boxes with a postcode after a hyphen (earlier slices had other post boxes),
  Addis Ababa kebele and house numbers,
  Lima jirones with a department number, and Hawaiian hyphenated house numbers;
- OCR damage of other kinds than before: `h` read as `li`, `w` as `vv`, `ri` as `n`, `t` as `f`,
  `l` as `|`, and the comma of `FAMILY, Given` read as a full stop;
- templates no earlier slice used: tenancy agreements, school reports, travel insurance claims, court
  notices, delivery notes and chat exports;
- speech: card, address, e-mail, SSN, name and phone said by espeak-ng voice and variant pairs no
  earlier slice used, at rates none used (`en-gb-x-gbclan+f4`, `en-us+Annie`, `en-gb-scotland+klatt4`,
  `en-029+m8`, `en-us-nyc+f5`, `en-gb-x-rp+Andy`).

It has no manual of its own: `held_back_8`'s Gutenprint manual and the tuning manuals measure precision.
"""

from __future__ import annotations

import random
from functools import cache

from mm_assets.operations.pii_sets import Manual, Planted

SEED = 9909
MANUALS: tuple[Manual, ...] = ()
TRADITIONS = ("yoruba", "icelandic", "mongolian", "tamil", "hawaiian", "ethiopian")

# (espeak-ng voice, words per minute, kind, what is said): voice and variant pairs no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb-x-gbclan+f4", 125, "card", "Please charge the card three seven one four, four nine six three, five "
     "three nine eight, four three one."),
    ("en-us+Annie", 110, "address", "The parcel goes to four hundred eighteen Kalanikoa Way, Hilo, Hawaii, nine "
     "six seven two zero."),
    ("en-gb-scotland+klatt4", 150, "email", "You can write to oyuntuya dot batsuuri at mailbox dot org."),
    ("en-029+m8", 165, "ssn", "The claimant's social security number is six one two, three four, nine eight "
     "seven one."),
    ("en-us-nyc+f5", 175, "person", "This is Adebanjo Oluwadamilare returning your call."),
    ("en-gb-x-rp+Andy", 120, "phone", "Ring me back on zero seven seven zero zero, nine one four, two eight six."),
)  # fmt: skip

# syllables of each tradition's given names and family names, put together here by its own rules
_YORUBA_HEADS = ("Olu", "Ade", "Ayo", "Oyin", "Fola", "Ire", "Ibu", "Tito", "Damo", "Oba")
_YORUBA_TAILS = ("wadamilare", "banjo", "kunle", "molade", "sewa", "tomiwa", "femi", "yinka", "lusi", "bukola")
_NORSE_HEADS = ("Hraf", "Sig", "Þor", "Ör", "Eyj", "Ás", "Hall", "Ragn", "Stein", "Val")
_NORSE_TAILS = ("nkell", "ólfur", "dís", "gerður", "mundur", "hildur", "brandur", "veig", "finnur", "rún")
_MONGOL_HEADS = ("Bat", "Oyun", "Altan", "Tömör", "Erden", "Munkh", "Gan", "Naran", "Sar", "Dol")
_MONGOL_TAILS = ("suuri", "tuya", "chimeg", "bileg", "ochir", "zaya", "erdene", "tsetseg", "khuu", "gerel")
_TAMIL_HEADS = ("Selva", "Thiru", "Kala", "Anbu", "Mani", "Vel", "Ponni", "Arul", "Ilan", "Sendhil")
_TAMIL_TAILS = ("mani", "nathan", "selvi", "arasu", "kodi", "murugan", "vizhi", "valan", "chezhian", "amudhan")
_HAWAIIAN_SYLLABLES = ("ka", "le", "lo", "ma", "nā", "pu", "hi", "ʻi", "ke", "ō", "wa", "nu", "lā", "ho", "mo")
_ETHIOPIAN_HEADS = ("Tse", "Wol", "Ge", "Ab", "Mes", "Hai", "Ye", "Ber", "Kid", "Ta")
_ETHIOPIAN_TAILS = ("gaye", "demariam", "bremedhin", "ebech", "fin", "lemariam", "shimebet", "hane", "ane", "desse")
_NIGERIAN_AREAS = (("Lekki Phase 1", "106104"), ("Surulere", "101283"), ("Ikeja GRA", "100271"), ("Yaba", "101212"))
_ULAANBAATAR_DISTRICTS = ("Bayangol", "Sükhbaatar", "Khan-Uul", "Chingeltei")
_ADDIS_SUBCITIES = ("Bole", "Kirkos", "Yeka", "Arada")
_LIMA_DISTRICTS = (("Miraflores", "15074"), ("Barranco", "15063"), ("Jesús María", "15072"), ("Surquillo", "15047"))
_HAWAII_TOWNS = (("Waipahu", "96797"), ("Kailua-Kona", "96740"), ("Hilo", "96720"), ("Wahiawā", "96786"))


@cache
def _gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `h` as `li`, `w` as `vv`,
    `ri` as `n`, `t` as `f`, `l` as `|`, or the comma after a capitalised family name as a full stop."""
    if ", " in text and text.split(",")[0].isupper() and rng.random() < 0.3:
        return text.replace(", ", ". ", 1)
    swaps = [(a, b) for a, b in (("h", "li"), ("w", "vv"), ("ri", "n"), ("t", "f"), ("l", "|")) if a in text]
    if not swaps:
        return text.upper()
    old, new = rng.choice(swaps)
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


class HeldBack9Values:
    """People, addresses and numbers of the held_back_9 slice (no Faker: every value is built here)."""

    def __init__(self) -> None:
        self.random = random.Random(SEED)

    def _word(self, heads: tuple[str, ...], tails: tuple[str, ...]) -> str:
        while True:
            word = self.random.choice(heads) + self.random.choice(tails)
            if word.lower() not in _gazetteer():
                return word

    def hawaiian_word(self) -> str:
        word = "".join(self.random.choice(_HAWAIIAN_SYLLABLES) for _ in range(self.random.randint(3, 4)))
        word = word.lstrip("ʻ")
        return word[:1].upper() + word[1:]

    def person(self) -> str:
        """One person's name as its tradition writes it."""
        tradition = self.random.choice(TRADITIONS)
        if tradition == "yoruba":
            given, family = self._word(_YORUBA_HEADS, _YORUBA_TAILS), self._word(_YORUBA_HEADS, _YORUBA_TAILS)
            return f"{family.upper()}, {given}" if self.random.random() < 0.3 else f"{given} {family}"
        if tradition == "icelandic":
            father = self._word(_NORSE_HEADS, _NORSE_TAILS).rstrip("ur")
            suffix = self.random.choice(("sson", "sdóttir"))
            return f"{self._word(_NORSE_HEADS, _NORSE_TAILS)} {father}{suffix}"
        if tradition == "mongolian":
            father = self._word(_MONGOL_HEADS, _MONGOL_TAILS)
            genitive = father + ("iin" if father[-1] in "aeiou" else "yn")
            return f"{genitive} {self._word(_MONGOL_HEADS, _MONGOL_TAILS)}"
        if tradition == "tamil":
            initials = " ".join(f"{self.random.choice('AKMPRSTV')}." for _ in range(self.random.randint(1, 2)))
            name = self._word(_TAMIL_HEADS, _TAMIL_TAILS)
            return f"{initials} {name}" if self.random.random() < 0.6 else f"{name} {initials}"
        if tradition == "hawaiian":
            return f"{self.hawaiian_word()} {self.hawaiian_word()}"
        return f"{self._word(_ETHIOPIAN_HEADS, _ETHIOPIAN_TAILS)} {self._word(_ETHIOPIAN_HEADS, _ETHIOPIAN_TAILS)}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.25 else text

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line in one of the formats written here."""
        formats = (self.lagos, self.reykjavik, self.ulaanbaatar, self.kenya_po_box, self.addis_ababa, self.lima,
                   self.hawaii)  # fmt: skip
        return self.random.choice(formats)()

    def lagos(self) -> tuple[str, str]:
        area, code = self.random.choice(_NIGERIAN_AREAS)
        street = self._word(_YORUBA_HEADS, _YORUBA_TAILS)
        return f"Plot {self.random.randint(2, 60)}, {street} Street, {area}", f"Lagos {code}"

    def reykjavik(self) -> tuple[str, str]:
        street = self._word(_NORSE_HEADS, ("gata", "stígur", "vegur", "braut"))
        floor = f"{self.random.randint(1, 5)}. hæð"
        return (
            f"{street} {self.random.randint(1, 120)}, {floor}",
            f"{self.random.choice((101, 105, 107, 108))} Reykjavík",
        )

    def ulaanbaatar(self) -> tuple[str, str]:
        khoroo, building, flat = self.random.randint(1, 25), self.random.randint(1, 90), self.random.randint(1, 120)
        building = f"Khoroo {khoroo}, Building {building}, Apt {flat}"
        district = self.random.choice(_ULAANBAATAR_DISTRICTS)
        return (
            building,
            f"{district} District, Ulaanbaatar {self.random.randint(13, 18)}{self.random.randint(100, 999)}",
        )

    def kenya_po_box(self) -> tuple[str, str]:
        town = self.random.choice(("Nairobi", "Kisumu", "Nakuru", "Eldoret"))
        code = {"Nairobi": "00100", "Kisumu": "40100", "Nakuru": "20100", "Eldoret": "30100"}[town]
        return f"P.O. Box {self.random.randint(100, 99999)}-{code}", f"{town}, Kenya"

    def addis_ababa(self) -> tuple[str, str]:
        house = f"Kebele {self.random.randint(1, 19):02d}, House No. {self.random.randint(100, 2999)}"
        return house, f"{self.random.choice(_ADDIS_SUBCITIES)} Sub-city, Addis Ababa"

    def lima(self) -> tuple[str, str]:
        district, code = self.random.choice(_LIMA_DISTRICTS)
        street = (
            self.hawaiian_word()
            if self.random.random() < 0.5
            else self._word(_TAMIL_HEADS, ("huasi", "marca", "pampa"))
        )
        return (
            f"Jr. {street} {self.random.randint(100, 1999)}, Dpto. {self.random.randint(101, 905)}",
            f"{district} {code}, Lima",
        )

    def hawaii(self) -> tuple[str, str]:
        town, code = self.random.choice(_HAWAII_TOWNS)
        house = f"{self.random.randint(41, 99)}-{self.random.randint(100, 1999)}"
        return f"{house} {self.hawaiian_word()} {self.random.choice(('Street', 'Place', 'Loop'))}", f"{town}, HI {code}"

    def phone(self) -> str:
        layouts = (
            lambda r: f"+234 {r.randint(802, 909)} {r.randint(100, 999)} {r.randint(1000, 9999)}",  # Nigeria
            lambda r: f"+354 {r.randint(500, 899)} {r.randint(1000, 9999)}",  # Iceland
            lambda r: f"+976 {r.randint(8800, 9999)}-{r.randint(1000, 9999)}",  # Mongolia
            lambda r: f"0{r.randint(700, 799)} {r.randint(100000, 999999)}",  # Kenya mobile
            lambda r: f"(808) {r.randint(200, 989)}-{r.randint(1000, 9999)}",  # Hawaii
        )
        return self.random.choice(layouts)(self.random)

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1940, 2016)
        return self.random.choice(
            (f"{day:02d}-{month:02d}-{year}", f"{year}.{month:02d}.{day:02d}", f"{day}/{month}/{year % 100:02d}")
        )

    def email(self, name: str) -> str:
        words = [w for w in name.replace(",", " ").split() if len(w) > 2]
        local = "_".join(w.lower() for w in words[:2])
        local = "".join(c for c in local if c.isascii() and (c.isalnum() or c == "_")) or "tenant"
        domain = self.random.choice(("skymail.is", "mailbox.mn", "safaricom.co.ke", "hawaiiantel.net"))
        return f"{local}{self.random.randint(1, 9)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _tenancy_agreement(v: HeldBack9Values) -> Pages:
    landlord, tenant = v.person(), v.maybe_damaged(v.person())
    street, place = v.address_lines()
    first_page = [
        "ASSURED SHORTHOLD TENANCY AGREEMENT",
        f"This agreement is made between {landlord} (the Landlord)",
        f"and {tenant} (the Tenant)",
        f"for the property at {street}, {place}.",
        "The term is twelve months from the start date. Rent is payable monthly in advance.",
    ]
    second_page = ["Signed by the Landlord:", landlord, "Deposit protected with an approved scheme."]
    planted = [Planted("person", landlord), Planted("person", tenant)]
    return [first_page, second_page], [
        *planted,
        Planted("address", street),
        Planted("address", place),
        Planted("person", landlord, 2),
    ]


def _school_report(v: HeldBack9Values) -> Pages:
    pupil, teacher, head = v.maybe_damaged(v.person()), v.person(), v.person()
    dob = v.date_of_birth()
    lines = [
        "Year 5 end of year report",
        f"Pupil: {pupil}    Date of birth: {dob}",
        f"Class teacher: {teacher}",
        "Reading: working at the expected standard. Mathematics: secure with fractions.",
        "A kind and curious member of the class; attendance 97 per cent.",
        f"Head teacher: {head}",
    ]
    return [lines], [Planted("person", pupil), Planted("dob", dob), Planted("person", teacher), Planted("person", head)]


def _travel_insurance_claim(v: HeldBack9Values) -> Pages:
    insured = v.person()
    street, place = v.address_lines()
    phone = v.phone()
    email = v.email(insured)
    contact = v.maybe_damaged(v.person())
    lines = [
        "TRAVEL INSURANCE - CLAIM FOR LOST OR DELAYED BAGGAGE",
        f"Name of insured: {insured} | Policy no. TRV-{v.random.randint(100000, 999999)}",
        f"Home address: {street} | {place}",
        f"Mobile: {phone} | E-mail: {email}",
        "Item lost               Bought    Price claimed",
        "Suitcase, hard shell    2024      180.00",
        "Camera charger          2022       35.00",
        f"Emergency contact while abroad: {contact}",
    ]
    planted = [Planted("person", insured), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("phone", phone), Planted("email", email), Planted("person", contact)]


def _court_notice(v: HeldBack9Values) -> Pages:
    claimant, defendant = v.person(), v.maybe_damaged(v.person())
    street, place = v.address_lines()
    lines = [
        "IN THE COUNTY COURT - NOTICE OF HEARING",
        f"Claim number K{v.random.randint(10, 99)}YX{v.random.randint(100, 999)}",
        f"Between {claimant}, Claimant",
        f"and {defendant}, Defendant, of {street}, {place}",
        "TAKE NOTICE that the claim will be heard at 10.30 am on the date shown overleaf.",
        "If you do not attend, the court may make an order in your absence.",
    ]
    planted = [Planted("person", claimant), Planted("person", defendant)]
    return [lines], [*planted, Planted("address", street), Planted("address", place)]


def _delivery_note(v: HeldBack9Values) -> Pages:
    recipient, driver = v.maybe_damaged(v.person()), v.person()
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        f"DELIVERY NOTE  No. DN-{v.random.randint(10000, 99999)}",
        "Deliver to:",
        recipient,
        street,
        place,
        f"Contact on arrival: {phone}",
        "Qty  Item",
        "2    Garden chair, folding, teak",
        f"Received in good condition by: {recipient}    Driver: {driver}",
    ]
    planted = [Planted("person", recipient), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("phone", phone), Planted("person", driver)]


def _chat_export(v: HeldBack9Values) -> Pages:
    first, second = v.person(), v.person()
    phone = v.phone()
    street, place = v.address_lines()
    lines = [
        "[12/11/26, 18:02:11] " + f"{first}: are you still ok to collect the keys tomorrow?",
        f"[12/11/26, 18:04:40] {second}: yes! send me the address again pls",
        f"[12/11/26, 18:05:02] {first}: {street}, {place}",
        f"[12/11/26, 18:05:30] {first}: if the gate is locked call me on {phone}",
        f"[12/11/26, 18:06:15] {second}: ok see you at 9",
    ]
    planted = [Planted("person", first), Planted("person", second), Planted("address", street)]
    return [lines], [*planted, Planted("address", place), Planted("phone", phone)]


TEMPLATES = (_tenancy_agreement, _school_report, _travel_insurance_claim, _court_notice, _delivery_note, _chat_export)
