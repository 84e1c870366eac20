"""`held_back_10`: the tenth slice held back from tuning the PII redactor, written 2026-12-03 after main
took `pii-patterns-v12` final and before anyone ran it on this slice, and run once, only to report.

`held_back_9` judged only the first round of v12 and is tuning material since; this slice judges v12 final
(with its second round's precision rules). Everything in it differs from the earlier slices:

- people whose names are built here from syllables by the rules of naming traditions, never taken from a
  name list (not Faker's, not the detector's): Vietnamese family-middle-given names with tone marks
  (`Đoàn Thị Ngọc Vy`-like, family name first), Malagasy names built on `Ra-`/`Andria-` prefixes
  (`Rakotonirina Haingotiana`-like), Georgian names with `-shvili`/`-dze`/`-ia`/`-ani` family names, Quechua
  names (`Wayta Qhapaq Mamani`-like), Samoan names with the glottal stop and chiefly titles
  (`Tuila Fa'alemata`-like) and Hungarian family-name-first names, married women's `-né` included;
  every word that the detector's first-name gazetteer holds is rejected and built again;
- addresses in formats no earlier slice used, their street and place words built from the same syllables:
  Hanoi `Số … ngõ … phố`, Antananarivo lot numbers (`Lot IVC 23 Bis`), Tbilisi streets with a
  postcode before the town, Cusco `Calle … N°` with an urbanización, Samoan villages with no number at
  all, and Budapest with the postcode before the town and floor/door (`III/4`);
- OCR damage of other kinds than before: `o` read as `0`, `S` as `5`, `d` as `cl`, `m` as `nn`, a word
  broken by a hyphen and a space, diacritics read as loose marks beside the letter, and a stray full stop
  inside a word;
- templates no earlier slice used: payslips, visa invitation letters, gym memberships, parish register
  entries, lab reports and rental ads;
- speech: card, address, e-mail, SSN, name and phone said by espeak-ng voice and variant pairs no
  earlier slice used (`en-gb-x-gbcwmd+Denis`, `en-us+belinda`, `en-gb-scotland+Storm`, `en-029+quincy`,
  `en-us-nyc+grandma`, `en-gb-x-rp+michel`).

It has no manual of its own.
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache

from mm_assets.operations.pii_sets import Manual, Planted

SEED = 10103
MANUALS: tuple[Manual, ...] = ()
TRADITIONS = ("vietnamese", "malagasy", "georgian", "quechua", "samoan", "hungarian")

# (espeak-ng voice, words per minute, kind, what is said): voice and variant pairs no earlier slice used
SPOKEN_PII: tuple[tuple[str, int, str, str], ...] = (
    ("en-gb-x-gbcwmd+Denis", 130, "card", "The card number is six zero one one, zero zero nine one, three "
     "four eight two, seven one five eight."),
    ("en-us+belinda", 140, "address", "The keys are at number nine Tsiuradze Street, apartment six, Tbilisi, "
     "zero one seven nine."),
    ("en-gb-scotland+Storm", 135, "email", "My address is nino dot beridzeshvili at postbox dot ge."),
    ("en-029+quincy", 145, "ssn", "For the payroll, my social security number is four zero nine, two two, "
     "six one three eight."),
    ("en-us-nyc+grandma", 115, "person", "Hello, this is Haingotiana Rakotonirina about the lease."),
    ("en-gb-x-rp+michel", 155, "phone", "Call the clinic back on zero one six three two, four eight five, nine "
     "zero seven."),
)  # fmt: skip

# syllables of each tradition, put together here by its own rules
_VIET_ONSETS = ("Đ", "Ng", "Tr", "Kh", "Ph", "H", "L", "Qu", "Th", "V", "B", "Gi")
_VIET_RIMES = ("oàn", "uyễn", "ương", "iêm", "ạch", "ũ", "ô", "ăng", "inh", "ỳ", "ảo", "ước", "ân", "ên")
_VIET_MIDDLES = ("Thị", "Văn", "Hữu", "Ngọc", "Đức", "Minh")
_MALAGASY_PREFIXES = ("Ra", "Rako", "Andria", "Razafi", "Rabe", "Randria")
_MALAGASY_ROOTS = ("tonirina", "manana", "nivo", "soa", "malala", "harisoa", "velo", "zafy", "mamonjy", "haingo")
_MALAGASY_GIVEN_TAILS = ("tiana", "niaina", "lalao", "fenitra", "mirana", "voahangy")
_GEORGIAN_HEADS = ("Berid", "Kapan", "Lomt", "Tsit", "Gvan", "Khar", "Mchedl", "Jugh", "Kvar", "Dol")
_GEORGIAN_FAMILY_SUFFIXES = ("zeshvili", "adze", "ia", "iani", "ishvili", "eli")
_GEORGIAN_GIVEN = ("Nin", "Tamr", "Lev", "Zur", "Ket", "Giorg", "Mzi", "Eter", "Rezo", "Tsiur")
_GEORGIAN_GIVEN_TAILS = ("o", "iko", "ari", "ab", "evan", "uli")
_QUECHUA_SYLLABLES = ("way", "ta", "qha", "paq", "ma", "ma", "ni", "ki", "spe", "hua", "man", "tu", "pa", "yu",
                      "sum", "aq", "ill", "pu", "ri", "nku", "ch'a", "sk")  # fmt: skip
_SAMOAN_SYLLABLES = ("fa", "'a", "tu", "i", "la", "e", "pa", "le", "ma", "ta", "sā", "lō", "mu", "ū", "va", "sa")
_SAMOAN_TITLES = ("Tuila", "Afioga", "Leaupepe", "Susuga", "Lauofo")
_MAGYAR_HEADS = ("Szé", "Bor", "Gyö", "Kör", "Tö", "Vár", "Haj", "Csa", "Zsi", "Mol")
_MAGYAR_FAMILY_TAILS = ("kelyi", "sodi", "rgyös", "mendi", "rösi", "dai", "nalvi", "ki", "tényi")
_MAGYAR_GIVEN_TAILS = ("nka", "bolcs", "rgyi", "zsó", "lint", "ttila", "mbor", "rka")
_HANOI_DISTRICTS = ("Ba Đình", "Hoàn Kiếm", "Đống Đa", "Cầu Giấy", "Tây Hồ")
_TANA_QUARTERS = ("Ambohijatovo", "Analakely", "Isoraka", "Ankadifotsy", "Ambatonakanga")
_TBILISI_CODES = ("0108", "0160", "0179", "0186", "0102")
_CUSCO_URBS = (("Urb. Magisterio", "08003"), ("Urb. Mariscal Gamarra", "08003"), ("Wanchaq", "08002"))
_SAMOA_DISTRICTS = ("Upolu", "Savai'i")
_BUDAPEST_STREET_KINDS = ("utca", "út", "körút", "tér")


@cache
def _gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def _loose_diacritics(text: str) -> str:
    """Accents read as marks of their own beside the letter (`Ngọc` as `Ngo.c`, `Thị` as `Thi.`)."""
    out = []
    for char in unicodedata.normalize("NFD", text):
        out.append("." if unicodedata.combining(char) == 220 else "'" if unicodedata.combining(char) else char)
    return "".join(out)


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `o` as `0`, `S` as `5`, `d` as
    `cl`, `m` as `nn`, a word broken by a hyphen and a space, accents as loose marks, or a stray full stop."""
    if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)) and rng.random() < 0.3:
        return _loose_diacritics(text)
    swaps = [(a, b) for a, b in (("o", "0"), ("S", "5"), ("d", "cl"), ("m", "nn")) if a in text]
    longest = max(text.split(), key=len)
    if len(longest) >= 6 and (not swaps or rng.random() < 0.3):
        cut = rng.randint(2, len(longest) - 3)
        broken = longest[:cut] + rng.choice(("- ", ".")) + longest[cut:]
        return text.replace(longest, broken, 1)
    if not swaps:
        return text.lower()
    old, new = rng.choice(swaps)
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


class HeldBack10Values:
    """People, addresses and numbers of the held_back_10 slice (no Faker: every value is built here)."""

    def __init__(self) -> None:
        self.random = random.Random(SEED)

    def _fresh(self, build) -> str:
        """A word from `build`, built again while the detector's gazetteer holds it."""
        while True:
            word = build()
            if word.lower().strip("'") not in _gazetteer():
                return word

    def _join(self, *parts: tuple[str, ...]) -> str:
        return self._fresh(lambda: "".join(self.random.choice(p) for p in parts))

    def _syllables(self, syllables: tuple[str, ...], low: int, high: int) -> str:
        def build() -> str:
            word = "".join(self.random.choice(syllables) for _ in range(self.random.randint(low, high))).lstrip("'")
            return word[:1].upper() + word[1:]

        return self._fresh(build)

    def viet_syllable(self) -> str:
        return self._join(_VIET_ONSETS, _VIET_RIMES)

    def person(self) -> str:
        """One person's name as its tradition writes it."""
        return getattr(self, f"_{self.random.choice(TRADITIONS)}")()

    def _vietnamese(self) -> str:
        middle = self.random.choice(_VIET_MIDDLES)
        given = " ".join(self.viet_syllable() for _ in range(self.random.randint(1, 2)))
        return f"{self.viet_syllable()} {middle} {given}"  # family name first

    def _malagasy(self) -> str:
        family = self._join(_MALAGASY_PREFIXES, _MALAGASY_ROOTS)
        given = self._join(("Hai", "Fa", "Mia", "Toky", "Ony", "Lova"), _MALAGASY_GIVEN_TAILS)
        return f"{family} {given}" if self.random.random() < 0.5 else f"{given} {family}"

    def _georgian(self) -> str:
        family = self._join(_GEORGIAN_HEADS, _GEORGIAN_FAMILY_SUFFIXES)
        return f"{self._join(_GEORGIAN_GIVEN, _GEORGIAN_GIVEN_TAILS)} {family}"

    def _quechua(self) -> str:
        words = [self._syllables(_QUECHUA_SYLLABLES, 2, 3) for _ in range(self.random.randint(2, 3))]
        return " ".join(words)

    def _samoan(self) -> str:
        name = f"{self._syllables(_SAMOAN_SYLLABLES, 3, 4)} {self._syllables(_SAMOAN_SYLLABLES, 3, 5)}"
        return f"{self.random.choice(_SAMOAN_TITLES)} {name}" if self.random.random() < 0.3 else name

    def _hungarian(self) -> str:
        family = self._join(_MAGYAR_HEADS, _MAGYAR_FAMILY_TAILS)
        given = self._join(_MAGYAR_HEADS, _MAGYAR_GIVEN_TAILS)
        if self.random.random() < 0.25:  # a married woman named after her husband: `Székelyi Attiláné`-like
            return f"{family} {given}né"
        return f"{family} {given}"  # family name first

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.3 else text

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line in one of the formats written here."""
        formats = (self.hanoi, self.antananarivo, self.tbilisi, self.cusco, self.samoa, self.budapest)
        return self.random.choice(formats)()

    def hanoi(self) -> tuple[str, str]:
        street = f"{self.viet_syllable()} {self.viet_syllable()}"
        line = f"Số {self.random.randint(2, 180)} ngõ {self.random.randint(5, 400)} phố {street}"
        ward = f"{self.viet_syllable()} {self.viet_syllable()}"
        return line, f"phường {ward}, quận {self.random.choice(_HANOI_DISTRICTS)}, Hà Nội"

    def antananarivo(self) -> tuple[str, str]:
        lot = f"Lot {self.random.choice(('II', 'IV', 'VI'))}{self.random.choice('ABCFJ')} {self.random.randint(1, 99)}"
        bis = self.random.choice(("", " Bis", " Ter"))
        return f"{lot}{bis} {self.random.choice(_TANA_QUARTERS)}", f"{self.random.choice(('101', '102'))} Antananarivo"

    def tbilisi(self) -> tuple[str, str]:
        street = self._join(_GEORGIAN_GIVEN, ("ashvili", "eli", "adze"))
        return (
            f"{self.random.randint(1, 90)} {street} St., apt. {self.random.randint(1, 60)}",
            f"{self.random.choice(_TBILISI_CODES)} Tbilisi, Georgia",
        )

    def cusco(self) -> tuple[str, str]:
        urb, code = self.random.choice(_CUSCO_URBS)
        street = self._syllables(_QUECHUA_SYLLABLES, 2, 3)
        return f"Calle {street} N° {self.random.randint(100, 999)}, {urb}", f"Cusco {code}"

    def samoa(self) -> tuple[str, str]:
        village = self._syllables(_SAMOAN_SYLLABLES, 3, 4)
        return f"Fale near the church, {village} village", f"{self.random.choice(_SAMOA_DISTRICTS)}, Samoa"

    def budapest(self) -> tuple[str, str]:
        street = self._join(_MAGYAR_HEADS, _MAGYAR_FAMILY_TAILS)
        floor = self.random.choice(("fszt.", "I", "II", "III", "IV"))
        kind, number = self.random.choice(_BUDAPEST_STREET_KINDS), self.random.randint(1, 80)
        return (
            f"{street} {kind} {number}. {floor}/{self.random.randint(1, 12)}",
            f"1{self.random.randint(1, 23):02d}{self.random.randint(0, 9)} Budapest",  # 1, the district, a digit
        )

    def phone(self) -> str:
        layouts = (
            lambda r: (
                f"+84 {r.randint(90, 98)} {r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}"
            ),  # Vietnam
            lambda r: (
                f"+261 3{r.randint(2, 4)} {r.randint(10, 99)} {r.randint(100, 999)} {r.randint(10, 99)}"
            ),  # Madagascar
            lambda r: (
                f"(+995) 5{r.randint(10, 99)}-{r.randint(10, 99)}-{r.randint(10, 99)}-{r.randint(10, 99)}"
            ),  # Georgia
            lambda r: f"+51 9{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(100, 999)}",  # Peru
            lambda r: f"+685 7{r.randint(100000, 999999)}",  # Samoa
            lambda r: f"06-{r.choice((20, 30, 70))}/{r.randint(100, 999)}-{r.randint(1000, 9999)}",  # Hungary
        )
        return self.random.choice(layouts)(self.random)

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1938, 2018)
        return self.random.choice(
            (f"{year}. {month:02d}. {day:02d}.", f"ngày {day} tháng {month} năm {year}", f"{day}.{month}.{year}")
        )

    def email(self, name: str) -> str:
        words = [w for w in name.split() if len(w) > 2]
        ascii_words = [
            "".join(c for c in unicodedata.normalize("NFD", w) if c.isascii() and c.isalnum()) for w in words
        ]
        local = ".".join(w.lower() for w in ascii_words[-2:] if w) or "member"
        domain = self.random.choice(("vnmail.vn", "moov.mg", "silknet.ge", "correo.pe", "lesamoa.ws", "freemail.hu"))
        return f"{local}{self.random.randint(10, 99)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _payslip(v: HeldBack10Values) -> Pages:
    employee, manager = v.maybe_damaged(v.person()), v.person()
    street, place = v.address_lines()
    lines = [
        f"PAYSLIP - November 2026          Employee no. {v.random.randint(1000, 9999)}",
        f"Employee: {employee}",
        f"{street}",
        f"{place}",
        "Basic pay              2,450.00",
        "Overtime (6 h)           183.75",
        "Income tax              -412.30",
        "Net pay                2,221.45",
        f"Approved by: {manager}, Payroll",
    ]
    planted = [Planted("person", employee), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("person", manager)]


def _visa_invitation(v: HeldBack10Values) -> Pages:
    host, guest = v.person(), v.maybe_damaged(v.person())
    street, place = v.address_lines()
    dob, phone = v.date_of_birth(), v.phone()
    first_page = [
        "To the Consular Section",
        "LETTER OF INVITATION",
        f"I, {host}, residing at {street}, {place},",
        f"invite {guest}, born {dob}, to stay with me from 4 to 25 January 2027.",
        "I will cover the costs of accommodation during the visit.",
    ]
    second_page = [f"Host's telephone: {phone}", "Yours faithfully,", host]
    planted = [Planted("person", host), Planted("address", street), Planted("address", place)]
    return [first_page, second_page], [
        *planted,
        Planted("person", guest),
        Planted("dob", dob),
        Planted("phone", phone, 2),
        Planted("person", host, 2),
    ]


def _gym_membership(v: HeldBack10Values) -> Pages:
    member = v.person()
    email, phone = v.email(member), v.phone()
    trainer = v.maybe_damaged(v.person())
    lines = [
        "IRONLEAF FITNESS - MEMBERSHIP FORM",
        f"Member: {member}",
        f"Email {email}   Tel. {phone}",
        "Plan: 12 months, off-peak     Locker: yes",
        f"Induction booked with {trainer}",
        "I have read the club rules and the health questionnaire.",
    ]
    planted = [Planted("person", member), Planted("email", email), Planted("phone", phone)]
    return [lines], [*planted, Planted("person", trainer)]


def _parish_register(v: HeldBack10Values) -> Pages:
    child, father, mother, priest = v.maybe_damaged(v.person()), v.person(), v.person(), v.person()
    dob = v.date_of_birth()
    street, place = v.address_lines()
    lines = [
        f"Register of Baptisms, entry No. {v.random.randint(40, 400)}",
        f"Child: {child}   born {dob}",
        f"Father: {father}   Mother: {mother}",
        f"Abode: {street}, {place}",
        f"Baptised by {priest}",
    ]
    people = [Planted("person", p) for p in (child, father, mother, priest)]
    return [lines], [*people, Planted("dob", dob), Planted("address", street), Planted("address", place)]


def _lab_report(v: HeldBack10Values) -> Pages:
    patient, doctor = v.person(), v.maybe_damaged(v.person())
    dob = v.date_of_birth()
    lines = [
        "CLINICAL LABORATORY - RESULTS",
        f"Patient {patient}  DOB {dob}  Sample {v.random.randint(100000, 999999)}",
        "Haemoglobin      13.9 g/dL      (12.0-15.5)",
        "Ferritin           41 ug/L      (15-150)",
        "TSH              2.10 mU/L      (0.4-4.0)",
        f"Requested by Dr {doctor}",
    ]
    return [lines], [Planted("person", patient), Planted("dob", dob), Planted("person", doctor)]


def _rental_ad(v: HeldBack10Values) -> Pages:
    owner = v.maybe_damaged(v.person())
    street, place = v.address_lines()
    phone = v.phone()
    lines = [
        "FOR RENT - bright 2-room flat, 54 m2, furnished",
        f"{street}",
        f"{place}",
        "Deposit two months; no pets; available from February.",
        f"Viewings: ask for {owner}, {phone} (evenings)",
    ]
    planted = [Planted("address", street), Planted("address", place), Planted("person", owner)]
    return [lines], [*planted, Planted("phone", phone)]


TEMPLATES = (_payslip, _visa_invitation, _gym_membership, _parish_register, _lab_report, _rental_ad)
