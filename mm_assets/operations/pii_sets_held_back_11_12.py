"""`held_back_11` and `held_back_12`: two slices held back from tuning the PII redactor, drawn from one
distribution with two seeds, written 2026-12-03 while `pii-patterns-v12` is main's detector and committed
before anything ran on them.

`held_back_11` was run once with v12, only to report (2026-12-03 14:34-14:40 UTC; docs/journal/privacy.md
"held_back_11, v12, blind"). `pii-patterns-v13` was written without sight of either slice; the lead ran it
once on both after merging it (docs/journal/privacy.md "held_back_11 and held_back_12, v13, blind"). Both
are spent as measures: they come from one generator, so v13 on `held_back_12` compares with v12 on
`held_back_11` (same shapes, other values), and neither may be tuned on without saying so.

Everything in them differs from the earlier slices:

- people whose names are built here from syllables (never taken from a name list, not Faker's, not the
  detector's) by the rules of naming traditions no slice used, three of them written first in their own
  script and transliterated by tables of our own: Tigrinya names in Ge'ez script (given name and father's
  name, by Unicode arithmetic), Inuit names in Inuktitut syllabics, Kazakh names in Cyrillic (a father's
  name with `-ұлы`/`-қызы`), and Burmese (no family name, honorifics `U`, `Daw`, `Ko`, `Ma`), Somali
  (given, father's and grandfather's names, `c`/`x`/`dh` spelling) and Sinhala names (a house name before
  the given names, or its initials); maiden names after `née`; any word that the detector's first-name
  gazetteer holds is rejected and built again;
- field values of shapes no slice used: phones with the country code in brackets (`(+252) 61 …`,
  `(00291) 7 …`, `+7 (727) …`), dates of birth in national formats (Roman-numeral months, Kazakh, Somali
  and Ethiopian-calendar month names, Buddhist-era years, `12-Mar-1987`, `12th of March 1987`) after
  labels in several languages (`born`, `b.`, `geb.`, `née le`, `D.O.B.`, `Taariikhda dhalashada`,
  `Tuğan küni`); addresses with no house number (Mogadishu districts and landmarks, Nunavut `General
  Delivery`), postcode first (Almaty), post-office boxes (Asmara, Nunavut), lots and parcels (Yangon
  townships) and Sri Lankan `No. 45/2B, … Mawatha`; form labels in Somali, French, German, Kazakh and
  Spanish beside the English ones;
- OCR damage of kinds no slice used: two neighbouring letters swapped, `k` read as `lc`, `y` as `v`,
  `g` as `q`, a space read as `_`, and an accent read onto a plain vowel (`e` as `é`);
- templates no slice used: remittance slips, marriage records (two pages), land-parcel extracts,
  vaccination cards, obituary notices and voter-roll pages set as a table;
- speech: card, address, e-mail, SSN, name and phone, their values made by the same generator, said by
  espeak-ng voice and variant pairs no earlier slice used (twelve, shuffled once and split six and six).

- real documents without personal data for the false-positive measure: manual pages of packages every
  Debian system has (priority `required`), set by groff and written as born-digital PDFs here
  (mm_assets/operations/man_pages.py; no slice used manual pages); `held_back_11`: find(1) and dpkg(1),
  `held_back_12`: tar(1), grep(1), apt-get(8) and gzip(1), about 16,000-18,000 words each. (The only real
  PDFs installed here that no slice used are under /usr/share/doc, which is reserved for others.)
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache

from mm_assets.operations.pii_sets import Manual, Planted

SEEDS = {"held_back_11": 11_211, "held_back_12": 12_412}
# (package, manual page): two or four pages of `required` packages, 15,700-17,900 words a slice
MANUALS: dict[str, tuple[Manual, ...]] = {
    "held_back_11": (("findutils", "/usr/share/man/man1/find.1.gz"), ("dpkg", "/usr/share/man/man1/dpkg.1.gz")),
    "held_back_12": (
        ("tar", "/usr/share/man/man1/tar.1.gz"),
        ("grep", "/usr/share/man/man1/grep.1.gz"),
        ("apt", "/usr/share/man/man8/apt-get.8.gz"),
        ("gzip", "/usr/share/man/man1/gzip.1.gz"),
    ),
}
TRADITIONS = ("tigrinya", "inuit", "kazakh", "burmese", "somali", "sinhala")

# voice and variant pairs no earlier slice used; shuffled once with a fixed seed and split between the two
_VOICE_POOL = (
    "en-us+edward", "en-gb+aunty", "en-gb-x-rp+linda", "en-029+gustave", "en-gb-scotland+travis",
    "en-us-nyc+shelby", "en-us+steph", "en-gb+david", "en-gb-x-rp+victor", "en-029+zac",
    "en-gb-scotland+norbert", "en-gb-x-gbclan+paul",
)  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")

# ---------------------------------------------------------------------------- scripts, written in Latin here

# Ge'ez: each consonant has a row of 8 code points; the place in the row is the vowel (the 6th: none)
_GEEZ_ROWS = {0x1200: "h", 0x1208: "l", 0x1210: "h", 0x1218: "m", 0x1228: "r", 0x1230: "s", 0x1238: "sh",
              0x1240: "q", 0x1260: "b", 0x1270: "t", 0x1278: "ch", 0x1290: "n", 0x12A0: "", 0x12A8: "k",
              0x12C8: "w", 0x12D0: "", 0x12D8: "z", 0x12E8: "y", 0x12F0: "d", 0x1300: "j", 0x1308: "g",
              0x1320: "t", 0x1338: "ts", 0x1348: "f"}  # fmt: skip
_GEEZ_VOWELS = ("e", "u", "i", "a", "ē", "", "o")


def geez_to_latin(text: str) -> str:
    """Ge'ez script in Latin letters (`ተስፋ` → `Tesfa`); the 6th order writes the consonant alone."""
    out = []
    for char in text:
        code = ord(char)
        row, order = code & ~7, code & 7
        if row in _GEEZ_ROWS and order < len(_GEEZ_VOWELS):
            out.append(_GEEZ_ROWS[row] + _GEEZ_VOWELS[order])
        else:
            out.append(char)
    return " ".join(word[:1].upper() + word[1:] for word in "".join(out).split(" "))


# Inuktitut syllabics: each consonant in its i-, u- and a-forms, then its final (no vowel)
_SYLLABICS = {
    "": "ᐃᐅᐊ", "p": "ᐱᐳᐸᑉ", "t": "ᑎᑐᑕᑦ", "k": "ᑭᑯᑲᒃ", "g": "ᒋᒍᒐᒡ", "m": "ᒥᒧᒪᒻ", "n": "ᓂᓄᓇᓐ",
    "s": "ᓯᓱᓴᔅ", "l": "ᓕᓗᓚᓪ", "j": "ᔨᔪᔭᔾ", "v": "ᕕᕗᕙᕝ", "r": "ᕆᕈᕋᕐ", "q": "ᕿᖁᖃᖅ", "ng": "ᖏᖑᖓᖕ",
}  # fmt: skip
_SYLLABIC_LATIN = {sign: consonant + "iua"[i] if i < 3 else consonant for consonant, signs in _SYLLABICS.items()
                   for i, sign in enumerate(signs)}  # fmt: skip


def syllabics_to_latin(text: str) -> str:
    """Inuktitut syllabics in Latin letters (`ᓄᓇᕗᑦ` → `Nunavut`); a final `q` before `k` is written `r`."""
    latin = "".join(_SYLLABIC_LATIN.get(char, char) for char in text).replace("qk", "rk").replace("ngng", "nng")
    return " ".join(word[:1].upper() + word[1:] for word in latin.split(" "))


_KAZAKH = dict(zip("абвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
                   ("a", "b", "v", "g", "ğ", "d", "e", "io", "j", "z", "i", "i", "k", "q", "l", "m", "n", "ñ", "o",
                    "ö", "p", "r", "s", "t", "u", "ū", "ü", "f", "h", "h", "ts", "ch", "ş", "şş", "", "y", "ı", "",
                    "e", "iu", "ia"), strict=True))  # fmt: skip
_KAZAKH["ә"] = "ä"


def kazakh_to_latin(text: str) -> str:
    """Kazakh Cyrillic in Latin letters (`Нұрлан` → `Nūrlan`), by a table of our own."""
    out = []
    for char in text:
        latin = _KAZAKH.get(char.lower(), char)
        out.append(latin[:1].upper() + latin[1:] if char.isupper() else latin)
    return "".join(out)


# ---------------------------------------------------------------------------- syllables of each tradition

_GEEZ_HEADS = ("ተስፋ", "ገብረ", "ሃይለ", "ወልደ", "ኪዳነ", "ዘርአ", "በረከ", "ሰላም", "የማነ", "ደስታ")
_GEEZ_SYLLABLES = tuple(chr(row + order) for row in (0x1208, 0x1218, 0x1228, 0x1230, 0x1260, 0x1270, 0x1290,
                                                     0x12A8, 0x12C8, 0x12E8, 0x12F0, 0x1308, 0x1348)
                        for order in (0, 1, 2, 3, 5, 6))  # fmt: skip
_INUIT_SYLLABLES = tuple("ᐃᐅᐊᐱᐸᑎᑐᑕᑭᑯᑲᓂᓄᓇᓯᓴᓕᓗᔨᔪᕿᖁᖃᖏᖓᒥᒧᒪ")
_INUIT_FINALS = tuple("ᒃᖅᑦᓐᒻᖕᑉ") + ("",) * 4
_KAZAKH_HEADS = ("Нұр", "Ерас", "Айгер", "Дәул", "Қайр", "Жан", "Ақ", "Гүл", "Бауыр", "Ам", "Серік", "Әсел")
_KAZAKH_TAILS = ("лан", "ыл", "ім", "ет", "ат", "бол", "жан", "нұр", "сұлу", "қали", "бек", "таң")
_BURMESE_SYLLABLES = ("Aung", "Kyaw", "Htet", "Thein", "Myint", "Zaw", "Hlaing", "Nwe", "Khin", "Su", "Yi",
                      "Phyo", "Thant", "Naing", "Ei", "Mon", "Thiri", "Hnin", "Wai", "Yadanar", "Thuzar", "Lwin",
                      "Htoo", "Pyae", "Sone", "Nyein", "Chit", "Moe")  # fmt: skip
_BURMESE_HONORIFICS = ("U", "Daw", "Ko", "Ma", "Maung", "")
_SOMALI_HEADS = ("Cabdi", "Xas", "Maxa", "Cil", "Faa", "Xaa", "Sahr", "Muu", "Dheg", "Cas", "Ila", "Warsa")
_SOMALI_TAILS = ("raxmaan", "an", "med", "mi", "duumo", "wo", "is", "se", "aweyne", "ha", "an", "me", "yare")
_SINHALA_HOUSE_HEADS = ("Wickrama", "Jaya", "Rana", "Dissa", "Ekanaya", "Gunawar", "Rajapa", "Kulath", "Senevirath")
_SINHALA_HOUSE_TAILS = ("singhe", "sekara", "tunga", "nayake", "dena", "ksha", "unga", "ne", "wardhana")
_SINHALA_LINEAGES = ("Mudiyanselage", "Arachchige", "Pathirannahalage", "Liyanage", "Appuhamilage")
_SINHALA_GIVEN_HEADS = ("Dil", "Chan", "Nir", "Tha", "Sand", "Ishu", "Kasun", "Mal", "Ruw", "Nad")
_SINHALA_GIVEN_TAILS = ("rukshi", "dima", "osha", "rindu", "eepa", "ranga", "kanthi", "ani", "eesha", "ika")

_MOGADISHU_DISTRICTS = ("Hodan", "Waaberi", "Hamar Weyne", "Wadajir", "Yaqshid")
_NUNAVUT = (("Iqaluit", "X0A 0H0"), ("Pangnirtung", "X0A 0R0"), ("Arviat", "X0C 0E0"), ("Pond Inlet", "X0A 0S0"))
_ALMATY_CODES = ("050000", "050010", "050012", "050040", "050059")
_YANGON_TOWNSHIPS = (("Hlaing Thar Yar", "11401"), ("Kamaryut", "11041"), ("Thingangyun", "11071"))
_SRI_LANKA_TOWNS = (("Nugegoda", "10250"), ("Kurunegala", "60000"), ("Moratuwa", "10400"), ("Kandy", "20000"))
_ERITREA_TOWNS = ("Asmara", "Keren", "Massawa", "Mendefera")

_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KAZAKH_MONTHS = ("Qañtar", "Aqpan", "Nauryz", "Säuir", "Mamyr", "Mausym", "Şilde", "Tamyz", "Qyrküiek",
                  "Qazan", "Qaraşa", "Jeltoqsan")  # fmt: skip
_SOMALI_MONTHS = ("Janaayo", "Febraayo", "Maarso", "Abriil", "Maajo", "Juun", "Luulyo", "Agoosto", "Sebtembar",
                  "Oktoobar", "Nofembar", "Desembar")  # fmt: skip
_ETHIOPIAN_MONTHS = ("Meskerem", "Tikimt", "Hidar", "Tahsas", "Tir", "Yekatit", "Megabit", "Miyazya", "Ginbot",
                     "Sene", "Hamle", "Nehase")  # fmt: skip


@cache
def _gazetteer() -> frozenset[str]:
    """The detector's first-name list, read only to reject a made-up word it happens to hold."""
    from resources.pii_names import first_name_gazetteer

    return frozenset(name.lower() for name in first_name_gazetteer())


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: two neighbouring letters
    swapped, `k` as `lc`, `y` as `v`, `g` as `q`, a space as `_`, or an accent on a plain `e`/`a`."""
    kinds = ["swap"]
    kinds += [f"{a}>{b}" for a, b in (("k", "lc"), ("y", "v"), ("g", "q"), ("e", "é"), ("a", "á")) if a in text]
    kinds += ["space"] * (" " in text)
    kind = rng.choice(kinds)
    if kind == "space":
        at = rng.choice([i for i, char in enumerate(text) if char == " "])
        return text[:at] + "_" + text[at + 1 :]
    if kind == "swap":
        pairs = [
            i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha() and text[i] != text[i + 1]
        ]
        if not pairs:
            return text.upper()
        i = rng.choice(pairs)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    old, new = kind.split(">")
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it pass the Luhn test."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """0-999 in English words, as a speaker says a house number."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else f" {_UNITS[n % 10]}")
    rest = n % 100
    return f"{_UNITS[n // 100]} hundred" + (f" {number_words(rest)}" if rest else "")


def digit_words(digits: str) -> str:
    """`61 53` → `six one, five three`: each digit, a comma where the number had a gap."""
    return ", ".join(" ".join(_UNITS[int(d)] for d in group if d.isdigit()) for group in digits.split())


class SliceValues:
    """People, addresses and numbers of held_back_11 or held_back_12 (no Faker: every value is built here)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def _fresh(self, build) -> str:
        """A name from `build`, built again while the detector's gazetteer holds any of its words."""
        while True:
            name = build()
            if not {w.lower().strip("'.,") for w in name.split()} & _gazetteer():
                return name

    def person(self) -> str:
        """One person's name as its tradition writes it."""
        return self._fresh(getattr(self, f"_{self.random.choice(TRADITIONS)}"))

    def _tigrinya(self) -> str:
        def word() -> str:
            tail = "".join(self.random.choice(_GEEZ_SYLLABLES) for _ in range(self.random.randint(1, 2)))
            if self.random.random() < 0.6:
                return self.random.choice(_GEEZ_HEADS) + tail
            return tail + "".join(self.random.choice(_GEEZ_SYLLABLES) for _ in range(self.random.randint(1, 2)))

        return geez_to_latin(f"{word()} {word()}")  # given name, father's name

    def _inuit(self) -> str:
        def word() -> str:
            syllables = [self.random.choice(_INUIT_SYLLABLES) for _ in range(self.random.randint(2, 4))]
            return "".join(syllables) + self.random.choice(_INUIT_FINALS)

        return syllabics_to_latin(f"{word()} {word()}")

    def _kazakh(self) -> str:
        given = self.random.choice(_KAZAKH_HEADS) + self.random.choice(_KAZAKH_TAILS)
        father = self.random.choice(_KAZAKH_HEADS) + self.random.choice(_KAZAKH_TAILS)
        suffix = self.random.choice(("ұлы", "қызы"))
        if self.random.random() < 0.4:
            return kazakh_to_latin(f"{father}{suffix} {given}").upper()  # as on an ID card: family name first
        return kazakh_to_latin(f"{given} {father}{suffix}")

    def _burmese(self) -> str:
        words = " ".join(self.random.sample(_BURMESE_SYLLABLES, self.random.randint(2, 4)))
        honorific = self.random.choice(_BURMESE_HONORIFICS)
        return f"{honorific} {words}".strip()

    def _somali(self) -> str:
        return " ".join(self.random.choice(_SOMALI_HEADS) + self.random.choice(_SOMALI_TAILS) for _ in range(3))

    def _sinhala(self) -> str:
        house = self.random.choice(_SINHALA_HOUSE_HEADS) + self.random.choice(_SINHALA_HOUSE_TAILS)
        given = [self.random.choice(_SINHALA_GIVEN_HEADS) + self.random.choice(_SINHALA_GIVEN_TAILS) for _ in range(2)]
        if self.random.random() < 0.35:  # the house name and lineage as initials: `W. M. Dilrukshi`
            return f"{house[0]}. {self.random.choice(_SINHALA_LINEAGES)[0]}. {given[0]}"
        return f"{house} {self.random.choice(_SINHALA_LINEAGES)} {' '.join(given)}"

    def maiden_name(self) -> str:
        """A family name alone, as written after `née`."""
        return self._fresh(lambda: self.random.choice(_SINHALA_HOUSE_HEADS) + self.random.choice(_SINHALA_HOUSE_TAILS)
                           if self.random.random() < 0.5 else self._somali().split()[-1])  # fmt: skip

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.3 else text

    def place_word(self) -> str:
        return self._fresh(lambda: self.random.choice(_SOMALI_HEADS) + self.random.choice(("dheere", "ley", "bur")))

    def address_lines(self) -> tuple[str, str]:
        """A street line and a place line in one of the formats written here."""
        formats = (self.mogadishu, self.nunavut, self.almaty, self.yangon, self.sri_lanka, self.eritrea)
        return self.random.choice(formats)()

    def mogadishu(self) -> tuple[str, str]:  # no house number: a landmark and a district
        landmark = self.random.choice(("near the", "behind the", "opposite the"))
        place = f"{landmark} {self.place_word()} {self.random.choice(('Mosque', 'Hotel', 'market', 'school'))}"
        return f"Xaafadda {self.place_word()}, {place}", f"Degmada {self.random.choice(_MOGADISHU_DISTRICTS)}, Muqdisho"

    def nunavut(self) -> tuple[str, str]:  # a post-office box or general delivery, no street
        town, code = self.random.choice(_NUNAVUT)
        line = self.random.choice((f"Box {self.random.randint(11, 1999)}", "General Delivery"))
        return line, f"{town} NU {code}"

    def almaty(self) -> tuple[str, str]:  # the postcode first
        street = kazakh_to_latin(self.random.choice(_KAZAKH_HEADS) + self.random.choice(_KAZAKH_TAILS))
        kind = self.random.choice(("köşesi", "dañğyly", "şağyn audany"))
        return (
            f"{self.random.choice(_ALMATY_CODES)}, Almaty q.",
            f"{street} {kind}, {self.random.randint(2, 190)}-üi, {self.random.randint(1, 140)}-päter",
        )

    def yangon(self) -> tuple[str, str]:  # a lot and a parcel, no street
        township, code = self.random.choice(_YANGON_TOWNSHIPS)
        ward = " ".join(self.random.sample(_BURMESE_SYLLABLES, 2))
        parcel = f"{self.random.randint(1, 60)}/{self.random.randint(1, 9)}"
        return (
            f"Lot {self.random.randint(10, 480)}, Parcel No. {parcel}, {ward} Ward",
            f"{township} Township, Yangon {code}",
        )

    def sri_lanka(self) -> tuple[str, str]:
        town, code = self.random.choice(_SRI_LANKA_TOWNS)
        road = self.random.choice(_SINHALA_HOUSE_HEADS) + self.random.choice(("rama", "pura", "gama"))
        number = f"{self.random.randint(3, 240)}/{self.random.randint(1, 9)}{self.random.choice(('', 'A', 'B'))}"
        return f"No. {number}, {road} Mawatha", f"{town} {code}"

    def eritrea(self) -> tuple[str, str]:  # a post-office box
        return f"P.O. Box {self.random.randint(100, 9999)}", f"{self.random.choice(_ERITREA_TOWNS)}, Eritrea"

    def phone(self) -> str:
        r = self.random
        layouts = (
            lambda: f"(+252) 61 {r.randint(100, 999)} {r.randint(1000, 9999)}",  # Somalia
            lambda: f"(00291) 7 {r.randint(100000, 999999)}",  # Eritrea
            lambda: f"(+95) 9 {r.randint(400, 799)} {r.randint(100, 999)} {r.randint(100, 999)}",  # Myanmar
            lambda: f"(+94) 7{r.randint(0, 8)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}",  # Sri Lanka
            lambda: f"+7 (727) {r.randint(200, 399)}-{r.randint(10, 99)}-{r.randint(10, 99)}",  # Almaty
            lambda: f"+1 (867) {r.choice((979, 473, 857))}-{r.randint(1000, 9999)}",  # Nunavut
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> str:
        day, month, year = self.random.randint(1, 28), self.random.randint(1, 12), self.random.randint(1936, 2019)
        suffix = "th" if 10 < day < 14 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return self.random.choice(
            (
                f"{day}.{_ROMAN_MONTHS[month - 1]}.{year}",
                f"{day:02d}-{_ENGLISH_MONTHS[month - 1]}-{year}",
                f"{day}{suffix} of {('January', 'March', 'May', 'July', 'October', 'December')[month % 6]} {year}",
                f"{day} {_KAZAKH_MONTHS[month - 1]} {year} j.",
                f"{day} {_SOMALI_MONTHS[month - 1]} {year}",
                f"{_ETHIOPIAN_MONTHS[month - 1]} {day}, {year - 8} E.C.",
                f"{day:02d}/{month:02d}/{year + 543} B.E.",
            )
        )

    def birth_label(self, woman: bool) -> str:
        """`born` in one of several languages and abbreviations (French agrees with the person)."""
        french = "née le" if woman else "né le"
        return self.random.choice(("born", "b.", "geb.", french, "D.O.B.", "Taariikhda dhalashada:", "Tuğan küni:"))

    def email(self, name: str) -> str:
        words = [
            "".join(c for c in unicodedata.normalize("NFD", w) if c.isascii() and c.isalpha()) for w in name.split()
        ]
        local = ".".join(w.lower() for w in words if len(w) > 2)[:24].strip(".") or "member"
        domain = self.random.choice(("hormuud.so", "eritel.com.er", "qiniq.com", "mail.kz", "mpt.net.mm", "slt.lk"))
        return f"{local}_{self.random.randint(1, 99)}@{domain}"


Pages = tuple[list[list[str]], list[Planted]]


def _remittance_slip(v: SliceValues) -> Pages:
    sender, receiver = v.person(), v.maybe_damaged(v.person())
    sender_phone, receiver_phone = v.phone(), v.phone()
    street, place = v.address_lines()
    lines = [
        f"XAWAALAD / MONEY TRANSFER RECEIPT   Ref. {v.random.randint(100000, 999999)}",
        f"Magaca diraha / Sender: {sender}",
        f"Taleefanka / Tel: {sender_phone}",
        f"Qaataha / Receiver: {receiver}   Tel: {receiver_phone}",
        f"Cinwaanka / Address: {street}",
        place,
        f"Lacagta / Amount: USD {v.random.randint(50, 900)}.00   Fee: USD 4.00",
    ]
    planted = [Planted("person", sender), Planted("phone", sender_phone), Planted("person", receiver)]
    return [lines], [*planted, Planted("phone", receiver_phone), Planted("address", street), Planted("address", place)]


def _marriage_record(v: SliceValues) -> Pages:
    groom, bride, maiden = v.person(), v.person(), v.maiden_name()
    groom_label, groom_dob = v.birth_label(woman=False), v.date_of_birth()
    bride_label, bride_dob = v.birth_label(woman=True), v.date_of_birth()
    witness, registrar = v.maybe_damaged(v.person()), v.person()
    street, place = v.address_lines()
    first_page = [
        f"CERTIFIED COPY OF AN ENTRY OF MARRIAGE   No. {v.random.randint(10, 999)}",
        f"Husband / Époux: {groom}, {groom_label} {groom_dob}",
        f"Wife / Épouse: {bride}, née {maiden}, {bride_label} {bride_dob}",
        "Residence at the time of marriage / Domicile:",
        street,
        place,
    ]
    second_page = [f"Witness / Témoin: {witness}", f"Registrar: {registrar}", "Entered in the register this day."]
    planted = [Planted("person", groom), Planted("dob", groom_dob), Planted("person", bride)]
    planted += [Planted("person", maiden), Planted("dob", bride_dob), Planted("address", street)]
    return [first_page, second_page], [
        *planted,
        Planted("address", place),
        Planted("person", witness, 2),
        Planted("person", registrar, 2),
    ]


def _land_parcel_extract(v: SliceValues) -> Pages:
    owner, previous = v.person(), v.maybe_damaged(v.person())
    dob = v.date_of_birth()
    street, place = v.yangon() if v.random.random() < 0.5 else v.address_lines()
    lines = [
        "EXTRACT FROM THE LAND REGISTER",
        f"Holding: {street}",
        f"Situated: {place}",
        f"Registered owner: {owner}   D.O.B. {dob}",
        f"Transferred from: {previous}",
        f"Area 0.{v.random.randint(10, 99)} ha   Encumbrances: none recorded",
    ]
    planted = [Planted("address", street), Planted("address", place), Planted("person", owner)]
    return [lines], [*planted, Planted("dob", dob), Planted("person", previous)]


def _vaccination_card(v: SliceValues) -> Pages:
    patient, nurse = v.maybe_damaged(v.person()), v.person()
    dob, phone = v.date_of_birth(), v.phone()
    email = v.email(patient)
    lines = [
        "CARTE DE VACCINATION / VACCINATION CARD",
        f"Nom / Name: {patient}",
        f"Date de naissance / Geburtsdatum: {dob}",
        f"Tél. / Teléfono: {phone}   E-mail: {email}",
        "Dose 1  Yellow fever   lot YF2291   12.06.2026",
        "Dose 2  Hepatitis A    lot HA0413   14.07.2026",
        f"Administered by / Verabreicht von: {nurse}",
    ]
    planted = [Planted("person", patient), Planted("dob", dob), Planted("phone", phone), Planted("email", email)]
    return [lines], [*planted, Planted("person", nurse)]


def _obituary(v: SliceValues) -> Pages:
    deceased, maiden, child = v.person(), v.maiden_name(), v.maybe_damaged(v.person())
    label, dob = v.birth_label(woman=True), v.date_of_birth()
    street, place = v.eritrea() if v.random.random() < 0.5 else v.nunavut()
    lines = [
        "IN LOVING MEMORY",
        f"{deceased} (née {maiden}), {label} {dob},",
        "passed away peacefully at home on 29 November 2026.",
        f"Deeply missed by her son {child} and all the family.",
        f"Condolences may be sent to {street}, {place}.",
    ]
    planted = [Planted("person", deceased), Planted("person", maiden), Planted("dob", dob)]
    return [lines], [*planted, Planted("person", child), Planted("address", street), Planted("address", place)]


def _voter_roll(v: SliceValues) -> Pages:
    lines = ["ELECTORAL ROLL - POLLING DIVISION 14", "No.  | Name | Address | Born"]
    planted = []
    for row in range(1, 4):
        elector = v.maybe_damaged(v.person())
        street, place = v.address_lines()
        dob = v.date_of_birth()
        lines.append(f"{row:03d}  | {elector} | {street}, {place} | {dob}")
        planted += [Planted("person", elector), Planted("address", street), Planted("address", place)]
        planted.append(Planted("dob", dob))
    return [lines], planted


TEMPLATES = (_remittance_slip, _marriage_record, _land_parcel_extract, _vaccination_card, _obituary, _voter_roll)


# ---------------------------------------------------------------------------- speech


def slice_voices(slice_name: str) -> tuple[str, ...]:
    """The six voice and variant pairs of one slice: the pool shuffled once, held_back_11 the first half."""
    pool = list(_VOICE_POOL)
    random.Random(1112).shuffle(pool)
    return tuple(pool[:6] if slice_name == "held_back_11" else pool[6:])


def spoken_card(seed: int, first_digits: str = "456") -> str:
    """The card number a slice's speech says (Luhn-valid, 16 digits in groups of four, the first one of
    `first_digits`); held_back_13 and _14 say theirs through this too."""
    rng = random.Random(seed + 1)
    body = rng.choice(first_digits) + "".join(str(rng.randint(0, 9)) for _ in range(14))
    number = body + luhn_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def spoken_pii(slice_name: str) -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said) of one slice, its values from its own seed."""
    seed = SEEDS[slice_name]
    values, rng = SliceValues(seed + 2), random.Random(seed + 3)
    person = values._fresh(lambda: values._somali() if rng.random() < 0.5 else values._burmese())
    town, code = rng.choice(_SRI_LANKA_TOWNS)
    road = rng.choice(_SINHALA_HOUSE_HEADS) + rng.choice(("rama", "pura", "gama"))
    area = rng.choice(range(100, 666))
    ssn = f"{area} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"252 61 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    local = person.lower().split()[-1]
    sentences = {
        "card": f"Please take the payment from card {digit_words(spoken_card(seed))}.",
        "address": f"The documents go to number {number_words(rng.randint(3, 240))}, {road} Mawatha, {town}, "
        f"{digit_words(code)}.",
        "email": f"Write to {local} underscore {number_words(rng.randint(2, 40))} at hormuud dot so.",
        "ssn": f"My social security number is {digit_words(ssn)}.",
        "person": f"Good afternoon, this is {person} calling about the transfer.",
        "phone": f"You can reach me on plus {digit_words(phone)}.",
    }
    voices = slice_voices(slice_name)
    return tuple((voices[i], rng.randint(115, 165), kind, sentences[kind]) for i, kind in enumerate(SPOKEN_KINDS))


class HeldBack11Values(SliceValues):
    def __init__(self) -> None:
        super().__init__(SEEDS["held_back_11"])


class HeldBack12Values(SliceValues):
    def __init__(self) -> None:
        super().__init__(SEEDS["held_back_12"])
