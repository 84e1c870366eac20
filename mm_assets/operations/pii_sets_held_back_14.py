"""`held_back_14`: a slice held back from tuning the PII redactor, written 2026-12-03 while `pii-patterns-v14`
is main's detector and another engineer writes v15 without sight of it; committed before anything ran on it.
It was held back, unrun, until the lead ran it once after v15 was merged (docs/journal/privacy.md,
"held_back_14: v15 judged blind"); it is tuning material since.

Everything in it differs from the earlier slices (tuning to held_back_13):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Welsh (`ap`/`ab`/`ferch` patronymics, `ll`/`dd`/`w`, the circumflex),
  Scottish Gaelic (`Mac`/`Nic`, the lenited `h` after `Nic`, grave accents), Balinese (`I`/`Ni`, a
  birth-order name, no family name, sometimes a caste title), Hmong (a clan name in its American spelling or
  in the Romanised Popular Alphabet, given names ending in a tone letter), Kalaallisut (Greenlandic `qq`,
  `-nnguaq`, `-tsiaq`) and Ewe (a day name and a family name); any name with a word of the detector's
  first-name gazetteer is built again;
- dates of birth in forms no slice used: Welsh, Turkish and Greenlandic month names, the Hijri year
  (`12 Rajab 1407 AH`), the year first without zero padding (`1987-3-12`) and eight digits run together
  (`19870312`), after labels in Welsh, Scottish Gaelic, Turkish, Hmong, Mandarin (pinyin) and Arabic
  (transliterated) beside the English ones;
- addresses in national shapes no slice used: Turkish `Mah.`/`Cad.`/`No:`/`D:` with `district/province`,
  a Saudi national address (building number, district, postcode and additional number), a Ghanaian
  GhanaPostGPS digital address, Thai `Moo`/`Soi` with tambon and amphoe, a Chinese address in pinyin (in
  Chinese order or in English order), a Costa Rican address by a landmark and metres, and a Greenlandic
  `B-` house number; phones as Turkey, Saudi Arabia, Ghana, Thailand, China, Costa Rica and Greenland write
  them at home;
- numbers in the places real forms ask for them: payment cards (Luhn-valid Visa, Mastercard, Amex and
  UnionPay), IBANs with a valid check (Turkey, Saudi Arabia, Costa Rica, Greenland), national identity
  numbers with their own checks (Turkish T.C. Kimlik No, Saudi ID, Ghana Card, Thai ID, Chinese resident ID,
  Costa Rican cédula, Greenlandic CPR), counted as `ssn`, and the IP address an online form was sent from;
- OCR damage of kinds no slice used: `n` read as `ri`, `c` as `e`, `a` as `o`, `I` as `l`, `ll` as `Il`,
  and a capital read as a small letter;
- templates no slice used: car rental agreements, SIM card registration forms, direct debit mandates, loan
  applications (two pages), blood donor cards and exam registration forms;
- speech: card, address, e-mail, SSN, name and phone, values from the same generator, said by six espeak-ng
  voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages of `required` packages no slice used, set by groff
  into born-digital PDFs (mm_assets/operations/man_pages.py): dash(1), mawk(1), useradd(8) and e2fsck(8).
"""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Manual, Planted
from mm_assets.operations.pii_sets_built_names import BuiltNames
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, luhn_digit, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed

SEED = 14_414
MANUALS: tuple[Manual, ...] = (
    ("dash", "/usr/share/man/man1/dash.1.gz"),
    ("mawk", "/usr/share/man/man1/mawk.1.gz"),
    ("passwd", "/usr/share/man/man8/useradd.8.gz"),
    ("e2fsprogs", "/usr/share/man/man8/e2fsck.8.gz"),
)
TRADITIONS = ("welsh", "gaelic", "balinese", "hmong", "greenlandic", "ewe")
# (espeak-ng voice and variant, words per minute): pairs and rates no earlier slice used
VOICES = (("en-us+Alicia", 104), ("en-gb+Hugo", 176), ("en-029+Mike", 182), ("en-gb-scotland+iven", 112),
          ("en-us-nyc+anika", 188), ("en-gb-x-gbclan+ed", 172))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")

# ---------------------------------------------------------------------------- parts of each tradition's names

_WELSH_HEADS = ("Llyw", "Gwal", "Cynf", "Dyf", "Rhydd", "Ceri", "Myf", "Eir", "Bleddy", "Tegw", "Ieu", "Angh",
                "Gwenll", "Cadf", "Meir", "Heul", "Dylw", "Ffrwd")  # fmt: skip
_WELSH_TAILS = ("edd", "yn", "an", "wen", "ael", "ri", "ydd", "wyn", "ig", "aint", "ŵr", "ŷn", "ïon", "odl")
_GAELIC_HEADS = ("Mòr", "Seòn", "Ruair", "Dùgh", "Cail", "Ealas", "Fion", "Tòrm", "Oigh", "Màir", "Calum",
                 "Beit", "Gorm", "Eòg")  # fmt: skip
_GAELIC_TAILS = ("ag", "idh", "ail", "ach", "ona", "ean", "aidh", "ig", "eas", "ann")
_GAELIC_GENITIVE = ("ein", "aidh", "ich", "ail", "ean", "uis")
_BALINESE_ORDER = ("Wayan", "Putu", "Gede", "Made", "Kadek", "Nengah", "Nyoman", "Komang", "Ketut")
_BALINESE_TITLES = ("", "", "", "Ida Bagus", "Anak Agung", "Gusti", "Dewa")
_BALINESE_HEADS = ("Sud", "Wir", "Dharm", "Ast", "Sur", "Mahe", "Pran", "Yog", "Suk", "Adny", "Pasek", "Rai")
_BALINESE_TAILS = ("arsana", "awan", "ayasa", "ini", "adnyana", "awati", "antara", "ika", "arta", "uwarni")
_HMONG_CLANS = ("Vang", "Xiong", "Thao", "Moua", "Vue", "Lor", "Khang", "Hang", "Kue", "Vaj", "Xyooj", "Thoj",
                "Muas", "Vwj", "Hawj", "Tsab", "Lis", "Yaj")  # fmt: skip
_HMONG_ONSETS = ("Txh", "Ntx", "Npl", "Nt", "Ch", "Kh", "X", "Tsh", "Hl", "Ml", "P", "Z", "Nk", "Pl", "Nr")
_HMONG_RHYMES = ("ia", "ee", "oo", "ua", "ai", "au", "aw", "e", "o", "u", "i", "a")
_HMONG_TONES = ("b", "j", "v", "s", "g", "m", "")
_KALAALLISUT_HEADS = ("Aqqa", "Nivi", "Pipa", "Ulloria", "Kunuun", "Inun", "Tupaa", "Avia", "Qiviu", "Saqqa",
                      "Paninn", "Ivaa", "Nuka", "Arna")  # fmt: skip
_KALAALLISUT_TAILS = ("luk", "aq", "nnguaq", "tsiaq", "ssuaq", "rsuk", "lik", "sunnguaq", "aaja", "rtoq")
_EWE_DAY_NAMES = ("Kossi", "Kodjo", "Komla", "Kokou", "Yawo", "Koffi", "Kwami", "Akossiwa", "Adjoa", "Abla",
                  "Akouvi", "Yawa", "Afiwa", "Ami")  # fmt: skip
_EWE_HEADS = ("Agbe", "Dzo", "Gbe", "Ame", "Kpo", "Tsa", "Fia", "Dogbe", "Sena", "Edem", "Seto", "Akpa")
_EWE_TAILS = ("nyo", "kpor", "vi", "tsu", "dzi", "gbor", "nu", "wo", "mesi", "fiam", "tse")

# places and their codes: real ones (the addresses around them are made up)
_TURKEY = (("Bahçelievler", "34180", "İstanbul"), ("Kızılay", "06420", "Çankaya/Ankara"),
           ("Alsancak", "35220", "Konak/İzmir"), ("Nilüfer", "16110", "Bursa"))  # fmt: skip
_SAUDI = (("Al Olaya Dist.", "Riyadh", "12611"), ("Al Rawdah Dist.", "Jeddah", "23435"),
          ("Al Faisaliyah Dist.", "Dammam", "32272"))  # fmt: skip
_GHANA = (("GA", "Dzorwulu, Accra"), ("AK", "Asokwa, Kumasi"), ("VH", "Ho, Volta Region"), ("GT", "Tema Comm. 11"))
_THAILAND = (("Khlong Nueng", "Khlong Luang", "Pathum Thani", "12120"), ("Suthep", "Mueang Chiang Mai",
             "Chiang Mai", "50200"), ("Nong Prue", "Bang Lamung", "Chon Buri", "20150"))  # fmt: skip
_CHINA = (("Beijing", "Chaoyang", "100022"), ("Chengdu", "Wuhou", "610041"), ("Guangzhou", "Tianhe", "510620"),
          ("Wuhan", "Hongshan", "430070"))  # fmt: skip
_COSTA_RICA = (("San Pedro, Montes de Oca, San José", "11501"), ("Barrio Los Ángeles, Heredia", "40101"),
               ("Liberia, Guanacaste", "50101"))  # fmt: skip
_GREENLAND = (("3900", "Nuuk"), ("3911", "Sisimiut"), ("3952", "Ilulissat"), ("3920", "Qaqortoq"))
_LANDMARKS = ("la Iglesia Católica", "el Palí", "la plaza de deportes", "el antiguo Higuerón", "la escuela")
_COLOURS = ("verde", "crema", "celeste", "terracota", "blanca")

_WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                 "Hydref", "Tachwedd", "Rhagfyr")  # fmt: skip
_TURKISH_MONTHS = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
                   "Kasım", "Aralık")  # fmt: skip
_KALAALLISUT_MONTHS = ("januaari", "februaari", "marsi", "apriili", "maaji", "juuni", "juuli", "aggusti",
                       "septembari", "oktobari", "novembari", "decembari")  # fmt: skip
_HIJRI_MONTHS = ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula", "Jumada al-Akhirah",
                 "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah")  # fmt: skip
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Dyddiad geni", "Ceann-là breith", "Doğum tarihi", "Hnub yug", "Chūshēng rìqī",
                "Tarikh al-milad")  # fmt: skip
# particles and titles people leave out of their e-mail addresses
_NOT_IN_EMAILS = ("ferch", "anak", "agung", "gusti", "dewa", "ida", "bagus")
EMAIL_DOMAINS = ("superonline.com", "stc.net.sa", "ghana.com", "truemail.co.th", "163.com", "racsa.co.cr",
                 "greennet.gl", "btinternet.com")  # fmt: skip


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `n` as `ri`, `c` as `e`, `a` as
    `o`, `I` as `l`, `ll` as `Il`, or a capital read as a small letter."""
    swaps = [(a, b) for a, b in (("n", "ri"), ("c", "e"), ("a", "o"), ("I", "l"), ("ll", "Il")) if a in text]
    capitals = [i for i, char in enumerate(text) if char.isupper()]
    kinds = [*swaps, *(["small"] if capitals else [])]
    kind = rng.choice(kinds)
    if kind == "small":
        at = rng.choice(capitals)
        return text[:at] + text[at].lower() + text[at + 1 :]
    old, new = kind
    at = rng.choice([i for i in range(len(text)) if text.startswith(old, i)])
    return text[:at] + new + text[at + len(old) :]


def iban(country: str, bban: str) -> str:
    """An IBAN with its ISO 13616 check digits (mod 97), in groups of four as printed."""
    rearranged = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in rearranged)) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def turkish_identity_number(rng: random.Random) -> str:
    """T.C. Kimlik No: 11 digits, the 10th and 11th are checks over the first nine and ten."""
    d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    d.append(((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


def thai_identity_number(rng: random.Random) -> str:
    """13 digits, the last a mod-11 check, written 1-2345-67890-12-3 as the card prints it."""
    d = [rng.randint(1, 8)] + [rng.randint(0, 9) for _ in range(11)]
    d.append((11 - sum(x * (13 - i) for i, x in enumerate(d)) % 11) % 10)
    s = "".join(map(str, d))
    return f"{s[0]}-{s[1:5]}-{s[5:10]}-{s[10:12]}-{s[12]}"


def chinese_identity_number(rng: random.Random, area: str, born: str) -> str:
    """18 characters: area code, date of birth, sequence, and an ISO 7064 MOD 11-2 check (`X` for 10)."""
    body = area + born + f"{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def saudi_identity_number(rng: random.Random) -> str:
    """10 digits: 1 for a citizen, 2 for a resident, and a Luhn check digit last."""
    body = rng.choice("12") + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return body + luhn_digit(body)


class HeldBack14Values(BuiltNames):
    """People, addresses and numbers of held_back_14 (no Faker, no name list: every value is built here)."""

    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS

    def __init__(self, seed: int = SEED) -> None:
        super().__init__(seed)

    def _welsh(self) -> str:
        given, father = self._word(_WELSH_HEADS, _WELSH_TAILS), self._word(_WELSH_HEADS, _WELSH_TAILS)
        link = self.random.choice(("ap", "ferch", ""))
        if link == "ap" and father[0] in "AEIOUY":
            link = "ab"  # `ab` before a vowel
        return " ".join(part for part in (given, link, father) if part)

    def _gaelic(self) -> str:
        given, root = self._word(_GAELIC_HEADS, _GAELIC_TAILS), self._word(_GAELIC_HEADS, _GAELIC_GENITIVE)
        if self.random.random() < 0.5:
            return f"{given} Mac{root}"
        lenited = root[0] + "h" + root[1:] if root[0] in "BCDFGMPST" else root  # `Nic` lenites the name after it
        return f"{given} Nic{lenited}"

    def _balinese(self) -> str:
        prefix = self.random.choice(("I", "Ni"))
        title = self.random.choice(_BALINESE_TITLES)
        given = self._word(_BALINESE_HEADS, _BALINESE_TAILS)
        return " ".join(p for p in (title or prefix, self.random.choice(_BALINESE_ORDER), given) if p)

    def _hmong(self) -> str:
        def syllable() -> str:
            r = self.random
            return r.choice(_HMONG_ONSETS) + r.choice(_HMONG_RHYMES) + r.choice(_HMONG_TONES)

        given = syllable() + (f" {syllable()}" if self.random.random() < 0.4 else "")
        clan = self.random.choice(_HMONG_CLANS)
        return f"{clan} {given}" if self.random.random() < 0.3 else f"{given} {clan}"  # clan first, as at home

    def _greenlandic(self) -> str:
        family = self._word(_KALAALLISUT_HEADS, ("sen", "rsuaq", "nnguaq", "tsiaq"))  # `-sen`: a Danish patronymic
        return f"{self._word(_KALAALLISUT_HEADS, _KALAALLISUT_TAILS)} {family}"

    def _ewe(self) -> str:
        given = self.random.choice(_EWE_DAY_NAMES)  # the name of the weekday one was born on
        if self.random.random() < 0.5:
            given += " " + self._word(_EWE_HEADS, _EWE_TAILS)
        return f"{given} {self._word(_EWE_HEADS, _EWE_TAILS)}"

    def maybe_damaged(self, text: str) -> str:
        return ocr_damaged(text, self.random) if self.random.random() < 0.3 else text

    def street_word(self) -> str:
        heads = _EWE_HEADS + _KALAALLISUT_HEADS + _BALINESE_HEADS
        return self._fresh(lambda: self._word(heads, _EWE_TAILS + _BALINESE_TAILS).capitalize())

    # ------------------------------------------------------------------------ addresses, two lines each

    def address_lines(self) -> tuple[str, str]:
        formats = (self.turkey, self.saudi, self.ghana, self.thailand, self.china, self.costa_rica, self.greenland)
        return self.random.choice(formats)()

    def turkey(self) -> tuple[str, str]:  # mahalle, cadde or sokak, door number, then district/province
        r = self.random
        quarter, code, place = r.choice(_TURKEY)
        way = r.choice(("Cad.", "Sok.", "Bulvarı"))
        return f"{quarter} Mah. {self.street_word()} {way} No: {r.randint(1, 140)} D: {r.randint(1, 24)}", (
            f"{code} {quarter}/{place}" if "/" not in place else f"{code} {place}"
        )

    def saudi(self) -> tuple[str, str]:  # building number, street, district; city, postcode - additional number
        r = self.random
        district, city, code = r.choice(_SAUDI)
        return f"{r.randint(2000, 9999)} Al {self.street_word()} St., {district}", (
            f"{city} {code} - {r.randint(2000, 9999)}"
        )

    def ghana(self) -> tuple[str, str]:  # GhanaPostGPS digital address, then the house
        r = self.random
        region, place = r.choice(_GHANA)
        digital = f"{region}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
        return f"Digital address {digital}", f"House No. {r.randint(1, 60)}, {self.street_word()} Close, {place}"

    def thailand(self) -> tuple[str, str]:  # house/plot number, moo (village), soi (lane); tambon, amphoe
        r = self.random
        tambon, amphoe, province, code = r.choice(_THAILAND)
        house = f"{r.randint(1, 299)}/{r.randint(1, 150)} Moo {r.randint(1, 12)}"
        return (
            f"{house}, Soi {self.street_word()} {r.randint(1, 40)}",
            f"Tambon {tambon}, Amphoe {amphoe}, {province} {code}",
        )

    def china(self) -> tuple[str, str]:  # pinyin, in Chinese order (largest first) or in English order
        r = self.random
        city, district, code = r.choice(_CHINA)
        road, number = self.street_word(), r.randint(1, 300)
        building, unit, room = r.randint(1, 30), r.randint(1, 6), r.randint(1, 28) * 100 + r.randint(1, 8)
        if r.random() < 0.5:
            return (
                f"{city} Shi {district} Qu {road} Lu {number} Hao",
                f"{building} Dong {unit} Danyuan {room} Shi, {code}",
            )
        return f"Room {room}, Unit {unit}, Building {building}, No. {number} {road} Road", (
            f"{district} District, {city} {code}"
        )

    def costa_rica(self) -> tuple[str, str]:  # by a landmark and metres, no street number
        r = self.random
        place, code = r.choice(_COSTA_RICA)
        first, second = r.choice((("norte", "sur"), ("este", "oeste"))), r.choice((("este", "oeste"), ("norte", "sur")))
        if first == second:
            second = ("este", "oeste") if first == ("norte", "sur") else ("norte", "sur")  # then turn a corner
        way = f"{r.choice((100, 150, 200, 300, 400))} m {r.choice(first)}"
        then = f"{r.choice((25, 50, 75))} m {r.choice(second)}"
        return f"De {r.choice(_LANDMARKS)} {way} y {then}, casa {r.choice(_COLOURS)}", f"{place} {code}"

    def greenland(self) -> tuple[str, str]:  # a B- house number, or a street and number; postcode and town
        r = self.random
        code, town = r.choice(_GREENLAND)
        first = f"B-{r.randint(100, 3999)}" if r.random() < 0.5 else f"{self.street_word()} {r.randint(1, 60)}"
        return first, f"{code} {town}, Kalaallit Nunaat"

    # ------------------------------------------------------------------------ numbers

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"0{r.choice((532, 542, 505, 555))} {n(100, 999)} {n(10, 99)} {n(10, 99)}",  # Turkey
            lambda: f"+90 {r.choice((532, 544))} {n(100, 999)} {n(10, 99)} {n(10, 99)}",
            lambda: f"+966 5{n(0, 9)} {n(100, 999)} {n(1000, 9999)}",  # Saudi Arabia
            lambda: f"05{n(0, 9)} {n(100, 999)} {n(1000, 9999)}",
            lambda: f"+233 {r.choice((24, 54, 20, 27))} {n(100, 999)} {n(1000, 9999)}",  # Ghana
            lambda: f"0{r.choice((24, 55, 20))} {n(100, 999)} {n(1000, 9999)}",
            lambda: f"0{r.choice((81, 86, 89, 95))}-{n(100, 999)}-{n(1000, 9999)}",  # Thailand
            lambda: f"+86 1{r.choice((38, 39, 86, 58))} {n(1000, 9999)} {n(1000, 9999)}",  # China
            lambda: f"+506 {r.choice((8, 7, 6))}{n(100, 999)}-{n(1000, 9999)}",  # Costa Rica
            lambda: f"+299 {n(20, 59)} {n(10, 99)} {n(10, 99)}",  # Greenland
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        hijri_year = int((year - 622) * 33 / 32) + r.randint(0, 1)  # one of the two Hijri years the year spans
        written = r.choice(
            (
                f"{day} {_WELSH_MONTHS[month - 1]} {year}",
                f"{day} {_TURKISH_MONTHS[month - 1]} {year}",
                f"{day}. {_KALAALLISUT_MONTHS[month - 1]} {year}",
                f"{day} {r.choice(_HIJRI_MONTHS)} {hijri_year} AH",
                f"{year}-{month}-{day}",  # year first, no zero padding
                f"{year}{month:02d}{day:02d}",  # eight digits run together
            )
        )
        return written, f"{year}{month:02d}{day:02d}"

    def identity_number(self, born: str) -> str:
        """A national identity number of one of the slice's countries, with its own check where it has one."""
        r = self.random
        makers = (
            lambda: turkish_identity_number(r),
            lambda: saudi_identity_number(r),
            lambda: f"GHA-{r.randint(700000000, 729999999)}-{r.randint(0, 9)}",  # Ghana Card
            lambda: thai_identity_number(r),
            lambda: chinese_identity_number(r, r.choice(("110105", "510107", "440106", "420111")), born),
            lambda: f"{r.randint(1, 7)}-{r.randint(100, 1999):04d}-{r.randint(1, 9999):04d}",  # Costa Rican cédula
            lambda: f"{born[6:8]}{born[4:6]}{born[2:4]}-{r.randint(1000, 9999)}",  # Greenlandic (Danish) CPR
        )
        return r.choice(makers)()

    def card(self) -> str:
        r = self.random
        kind = r.choice(("visa", "mastercard", "amex", "unionpay"))
        if kind == "amex":
            body = r.choice(("34", "37")) + "".join(str(r.randint(0, 9)) for _ in range(12))
            number = body + luhn_digit(body)
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        head = {"visa": "4", "mastercard": r.choice(("51", "53", "55", "2221")), "unionpay": "62"}[kind]
        body = head + "".join(str(r.randint(0, 9)) for _ in range(15 - len(head)))
        number = body + luhn_digit(body)
        sep = r.choice((" ", "-", ""))
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def iban(self) -> str:
        r = self.random

        def digits(n: int) -> str:
            return "".join(str(r.randint(0, 9)) for _ in range(n))

        country, bban = r.choice(
            (
                ("TR", f"{r.choice(('00010', '00062', '00046', '00012'))}0{digits(16)}"),
                ("SA", f"{r.choice(('80', '10', '45', '65'))}{digits(18)}"),
                ("CR", f"0{r.choice(('151', '152', '104'))}{digits(14)}"),
                ("GL", f"{r.choice(('6471', '6474'))}{digits(10)}"),
            )
        )
        return iban(country, bban)

    def ip_address(self) -> str:
        r = self.random
        first = r.choice(
            (31, 78, 85, 94, 154, 176, 188, 212)
        )  # first bytes of public blocks (no private or reserved range)
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def email(self, name: str) -> str:
        words = [
            "".join(c for c in unicodedata.normalize("NFD", w) if c.isascii() and c.isalpha()) for w in name.split()
        ]
        words = [w.lower() for w in words if len(w) > 2 and w.lower() not in _NOT_IN_EMAILS] or ["user"]
        r = self.random
        local = r.choice((".".join(words[:2]), words[0][0] + words[-1], words[-1] + str(r.randint(1960, 2009))))
        return f"{local}@{r.choice(EMAIL_DOMAINS)}"


Pages = tuple[list[list[str]], list[Planted]]


def _car_rental_agreement(v: HeldBack14Values) -> Pages:
    renter, driver, agent = v.person(), v.maybe_damaged(v.person()), v.person()
    (dob, _born), phone = v.date_of_birth(), v.phone()
    street, place = v.address_lines()
    card, email = v.card(), v.email(renter)
    lines = [
        f"ARAÇ KİRALAMA SÖZLEŞMESİ / CAR RENTAL AGREEMENT   No. RA-{v.random.randint(100000, 999999)}",
        f"Kiracı / Renter: {renter}   {v.birth_label()} / Date of birth: {dob}",
        f"Home address: {street}",
        place,
        f"Mobile: {phone}   E-mail: {email}",
        f"Additional driver: {driver}   Licence no. {v.random.randint(10**8, 10**9 - 1)}",
        f"Deposit held on card {card}   exp {v.random.randint(1, 12):02d}/{v.random.randint(27, 31)}",
        "Vehicle: Fiat Egea 1.3 Multijet   Out: 14.11.2026 09:00   In: 18.11.2026 09:00   Fuel: full / full",
        f"Checked out by: {agent}",
    ]
    planted = [Planted("person", renter), Planted("dob", dob), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", driver), Planted("card", card)]
    return [lines], [*planted, Planted("person", agent)]


def _sim_registration_form(v: HeldBack14Values) -> Pages:
    subscriber, next_of_kin = v.maybe_damaged(v.person()), v.person()
    dob, born = v.date_of_birth()
    identity, phone, kin_phone = v.identity_number(born), v.phone(), v.phone()
    street, place = v.address_lines()
    lines = [
        "SIM CARD REGISTRATION FORM   (all fields required by the regulator)",
        f"Subscriber full name: {subscriber}",
        f"{v.birth_label()} / Date of birth: {dob}",
        f"National ID number: {identity}",
        f"Residential address: {street}, {place}",
        f"MSISDN allocated: {phone}",
        f"Next of kin: {next_of_kin}   Contact: {kin_phone}",
        "Biometric capture: done   SIM serial 8923 3012 ....   Agent code 0417",
    ]
    planted = [Planted("person", subscriber), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    return [lines], [*planted, Planted("person", next_of_kin), Planted("phone", kin_phone)]


def _direct_debit_mandate(v: HeldBack14Values) -> Pages:
    payer, witness = v.person(), v.maybe_damaged(v.person())
    account, email = v.iban(), v.email(payer)
    street, place = v.address_lines()
    lines = [
        f"DIRECT DEBIT MANDATE   Mandate reference MD-{v.random.randint(10**7, 10**8 - 1)}",
        "Creditor: Nuuk Water & Power A/S   Creditor ID GL98ZZZ00001234",
        f"Name of the debtor: {payer}",
        f"Address: {street}",
        place,
        f"IBAN: {account}",
        f"E-mail for pre-notifications: {email}",
        "Type of payment: recurrent   Signed at: Nuuk, 02.11.2026",
        f"Witness: {witness}",
    ]
    planted = [Planted("person", payer), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("iban", account), Planted("email", email), Planted("person", witness)]


def _loan_application(v: HeldBack14Values) -> Pages:
    applicant, employer_contact, referee = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity, phone, referee_phone = v.identity_number(born), v.phone(), v.phone()
    street, place = v.address_lines()
    email, account, ip = v.email(applicant), v.iban(), v.ip_address()
    first_page = [
        f"PERSONAL LOAN APPLICATION   Application {v.random.randint(10**5, 10**6 - 1)}   Amount 45,000",
        f"Applicant: {applicant}",
        f"Date of birth: {dob}   Identity no.: {identity}",
        f"Address: {street}",
        place,
        f"Phone: {phone}   E-mail: {email}",
        f"Employer contact: {employer_contact}   Monthly income 18,400",
        f"Account for the payout: {account}",
    ]
    second_page = [
        f"Referee: {referee}, {referee_phone}",
        "I declare that the information given is true and complete.",
        f"Submitted online from IP {ip} on 2026-11-{v.random.randint(10, 28)} at 14:{v.random.randint(10, 59)}",
    ]
    planted = [Planted("person", applicant), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    planted += [Planted("email", email), Planted("person", employer_contact), Planted("iban", account)]
    return [first_page, second_page], [
        *planted,
        Planted("person", referee, 2),
        Planted("phone", referee_phone, 2),
        Planted("ip", ip, 2),
    ]


def _blood_donor_card(v: HeldBack14Values) -> Pages:
    donor, nurse = v.maybe_damaged(v.person()), v.person()
    dob, _born = v.date_of_birth()
    phone = v.phone()
    street, place = v.address_lines()
    group = v.random.choice(("O Rh+", "A Rh-", "B Rh+", "AB Rh+", "O Rh-"))
    lines = [
        f"BLOOD DONOR CARD   Donor no. BD{v.random.randint(10**6, 10**7 - 1)}",
        f"Name: {donor}",
        f"{v.birth_label()}: {dob}   Blood group: {group}",
        f"{street}",
        f"{place}",
        f"Tel. {phone}",
        f"Last donation: 2026-10-{v.random.randint(10, 28)}   Haemoglobin 14.1 g/dL   Taken by {nurse}",
    ]
    planted = [Planted("person", donor), Planted("dob", dob), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("phone", phone), Planted("person", nurse)]


def _exam_registration_form(v: HeldBack14Values) -> Pages:
    candidate, invigilator = v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity, email, phone = v.identity_number(born), v.email(candidate), v.phone()
    street, place = v.address_lines()
    lines = [
        f"EXAM REGISTRATION FORM   Session: January 2027   Centre {v.random.randint(1000, 9999)}",
        f"Candidate: {candidate}",
        f"{v.birth_label()} / Date of birth: {dob}",
        f"ID document number: {identity}",
        f"Correspondence address: {street}, {place}",
        f"E-mail: {email}   Phone: {phone}",
        "Papers: Mathematics (Higher), Physics, English as a second language",
        f"Registered by: {invigilator}",
    ]
    planted = [Planted("person", candidate), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("email", email)]
    return [lines], [*planted, Planted("phone", phone), Planted("person", invigilator)]


TEMPLATES = (
    _car_rental_agreement,
    _sim_registration_form,
    _direct_debit_mandate,
    _loan_application,
    _blood_donor_card,
    _exam_registration_form,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "45")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack14Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(lambda: values._welsh() if rng.random() < 0.5 else values._greenlandic())
    tambon, amphoe, province, code = rng.choice(_THAILAND)
    ssn = f"{rng.randint(100, 665)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"90 5{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    local = "".join(c for c in unicodedata.normalize("NFD", person.split()[0].lower()) if c.isascii())
    sentences = {
        "card": f"You can charge the deposit to my card, {digit_words(spoken_card())}.",
        "address": f"I'm at {number_words(rng.randint(10, 99))} slash {number_words(rng.randint(1, 40))}, moo "
        f"{number_words(rng.randint(1, 9))}, {tambon}, {amphoe}, {province}, {digit_words(code)}.",
        "email": f"Write to {local} dot {number_words(rng.randint(2, 40))} at truemail dot co dot th.",
        "ssn": f"My social security number, for the claim, is {digit_words(ssn)}.",
        "person": f"Good morning, this is {person}, I'm calling about the rental car.",
        "phone": f"You can reach me on plus {digit_words(phone)}.",
    }
    return tuple((voice, rate, kind, sentences[kind]) for (voice, rate), kind in zip(VOICES, SPOKEN_KINDS, strict=True))


SPOKEN_PII = spoken_pii()
