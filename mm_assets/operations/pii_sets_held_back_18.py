"""`held_back_18`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v18` is
main's detector and another engineer writes v19 without sight of it (tuning on held_back_17 and older slices);
committed before anything ran on it. The lead ran it once after v19 was merged (2026-12-04, with v19 and
v18); it is tuning material since. Its tests check the material without the detector
(tests/test_pii_held_back_slices.py, tests/test_pii_held_back_18.py).

Everything in it differs from the earlier slices (tuning to held_back_17):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: West Frisian (a surname of a root and `-stra`, `-sma`, `-inga`, `-ma`,
  or a father's name and `-s`; `Tsj`, `Sj`, `y`, `ú`), Chamorro (`å`, `ñ`, the glottal stop `'`, family names
  with `Tai-`), Chechen (surname, given name and patronymic as a Russian passport orders them: `-aev`/`-aeva`,
  `-ovich`/`-ovna`), Tatar (Zamanälif letters `ä`, `ö`, `ü`, `ğ`, `ñ`, `ı`, `ş`, `ç`; a father's name and
  `ulı` a son, `qızı` a daughter), Sardinian (`tz`, `dd`, surnames of `-eddu`, `-as`, `-is`; the surname first
  in capitals as Italian forms write it), Xhosa (`No-` a woman's name, `Lu-`/`Si-`/`Lwa-` a man's; click
  letters `c`, `q`, `x` in the surname) and Mizo (`Lal`, `Zo`, `Van` names ending `-a` for a man, `-i` for a
  woman, a clan name after; `ṭ`, `â`); any name with a word of the detector's first-name gazetteer is built again;
- dates of birth in forms no slice used: Frisian, Chamorro, Tatar, Sardinian and Xhosa month names, a Roman
  numeral month between dots (`12.III.1987`) and a day of the year (`1987-071`, ISO 8601's ordinal date),
  after labels in Frisian, Chamorro, Tatar, Sardinian, Xhosa and Mizo;
- addresses in shapes no slice used, several of them of English words: Frisian streets (`-strjitte`, `-wei`,
  `-dyk`) with Dutch postcodes (`8911 AB Ljouwert`), Guam's lots and blocks and its English-named roads
  (`Marine Corps Drive`, `GU 96913`), Grozny's `ul.`, `d.`, `kv.` and Chechen villages (`s.`), Kazan's `uramı`
  and `yort`, Sardinian `Bia`/`Via` and `Località`, Eastern Cape streets of English names and township units
  (`NU 5, Mdantsane`), and Aizawl's `veng` localities with house numbers (`House No. C-45`); phones as the
  Netherlands, Guam, Chechnya, Tatarstan, Sardinia, South Africa and Mizoram write them at home;
- numbers: identity and tax numbers of countries no slice used (the Dutch BSN, the South African identity
  number, the Italian codice fiscale, the Indian PAN, a Russian internal passport), cards, IBANs of the
  Netherlands, Italy, San Marino, the Vatican and Liechtenstein, and network and MAC addresses as a router's
  log writes them (pii_sets_held_back_18_numbers);
- OCR damage of kinds no slice used: `w` read as `vv`, `H` as `|-|`, `a` as `o`, `y` as `v`, `å` as `a`, and
  a space lost between two words of a name;
- templates no slice used, set as real ones are (pii_sets_held_back_18_forms): a ferry's booking with its
  passengers in a table, a choir's membership roll, a mobile repair shop's job ticket, a cattle movement
  permit (two pages), a sworn statement of residence (prose) and a pharmacy's delivery sheet;
- speech: card, address, e-mail, SSN-like number, name and phone, in phrasings no slice used, by six
  espeak-ng voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff into
  born-digital PDFs (mm_assets/operations/man_pages.py): groupadd(8), losetup(8), resize2fs(8) and findmnt(8).
"""

from __future__ import annotations

import datetime
import itertools
import random

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, damaged_once, undated
from mm_assets.operations.pii_sets_held_back_18_numbers import (
    bank_account,
    dutch_bsn,
    network_address,
    payment_card,
    russian_passport,
    south_african_id,
)

SEED = 18_181
MANUALS: tuple[Manual, ...] = (
    ("passwd", "/usr/share/man/man8/groupadd.8.gz"),
    ("mount", "/usr/share/man/man8/losetup.8.gz"),
    ("e2fsprogs", "/usr/share/man/man8/resize2fs.8.gz"),
    ("util-linux", "/usr/share/man/man8/findmnt.8.gz"),
)
TRADITIONS = ("frisian", "chamorro", "chechen", "tatar", "sardinian", "xhosa", "mizo")

# ---------------------------------------------------------------------------- parts of each tradition's names

_FRISIAN_HEADS = ("Sjo", "Wyt", "Tsja", "Bau", "Hyl", "Fok", "Rin", "Jel", "Sie", "Gerb", "Doe", "Tsjit", "Ypk",
                  "Auk", "Hiddj")  # fmt: skip
_FRISIAN_TAILS = ("erd", "se", "lling", "kje", "ke", "tske", "ds", "en", "rren", "tsje", "ltsje", "fke")
_FRISIAN_ROOTS = ("Hoek", "Wier", "Dijk", "Bouw", "Terp", "Feen", "Hylk", "Sjoerd", "Wâld", "Marr", "Klaai",
                  "Úl", "Hiem", "Skar")  # fmt: skip
_FRISIAN_ENDS = ("stra", "sma", "inga", "ma", "enga", "stra")
_CHAMORRO_HEADS = ("Hå", "Ma'", "Gu", "Ñå", "Chi", "Ta'", "Lå", "Fa", "Ha'", "Tå")
_CHAMORRO_TAILS = ("låhi", "gåhi", "'an", "mo'na", "ñao", "ulu", "huyong", "ya", "guan", "lågu")
_CHAMORRO_FAMILY_HEADS = ("Tai", "Quin", "Mani", "Ata", "Cama", "Tåtu", "Mesngon", "Aguon", "Ulloa", "Chargua")
_CHAMORRO_FAMILY_TAILS = ("tano", "busan", "gua", "cho", "peng", "ñao", "lalåg", "mangao", "taf")
_CHECHEN_GIVEN_HEADS = ("Zelim", "Kham", "Dzhokh", "Rus", "Ayn", "Mal", "Khed", "Zar", "Liy", "Sult", "Vakh",
                        "Mairb", "Tamerl", "Seda")  # fmt: skip
_CHECHEN_GIVEN_TAILS = ("khan", "zat", "ar", "lan", "ali", "ik", "bek", "movli", "budi")
_CHECHEN_FATHERS = ("Akhmad", "Dudu", "Vakha", "Umar", "Bislan", "Movsar", "Shamil", "Isa", "Khasan", "Abu",
                    "Sultan", "Lecha", "Salman", "Turpal")  # fmt: skip
_TATAR_HEADS = ("Äl", "Rüs", "Ğäl", "İl", "Ray", "Gölç", "Dın", "Nur", "Ayd", "Ränz", "Mön", "Şäm")
_TATAR_TAILS = ("mira", "täm", "iyä", "nar", "xan", "çäçäk", "ar", "şat", "ül", "ilä", "säyet", "baz")
_SARDINIAN_GIVEN = ("Bachisio", "Efisio", "Gavino", "Baingio", "Tziu", "Giommaria", "Larentu", "Bustianu",
                    "Antioco", "Itria", "Bonaria", "Gonaria", "Sisinnio", "Priamo", "Peppinu", "Mariedda")  # fmt: skip
_SARDINIAN_FAMILY_HEADS = ("Atz", "Pudd", "Cocc", "Murg", "Pisch", "Ghis", "Tuv", "Zedd", "Frongh", "Carb",
                           "Mull", "Sedd")  # fmt: skip
_SARDINIAN_FAMILY_TAILS = ("eni", "eddu", "ia", "as", "is", "u", "ara", "itta", "one", "oni")
_XHOSA_ROOTS = ("mvula", "luthando", "thembeko", "xolo", "ndiliswa", "qhama", "cebo", "lungiso", "bulelo",
                "sisipho", "vuyo", "thando", "khanyo", "zizipho")  # fmt: skip
_XHOSA_FAMILY_HEADS = ("Mq", "Ngq", "Dl", "Mx", "Gq", "Tsh", "Nc", "Qw", "Mc", "Xh")
_XHOSA_FAMILY_TAILS = ("ayi", "wane", "abe", "ukwana", "ela", "ithi", "ongo", "usa", "ashe", "ibi")
_MIZO_HEADS = ("Lal", "Zo", "Van", "Mal", "Ro", "Hmingt", "Thanr", "Ṭhang")
_MIZO_MIDDLES = ("rem", "thang", "hmang", "duh", "sang", "chhuan", "hlu", "ngai", "ram", "zuala")
_MIZO_CLANS = ("Ralte", "Hnamte", "Sailo", "Pachuau", "Khiangte", "Chhangte", "Fanai", "Colney", "Hauhnar",
               "Tlau", "Renthlei", "Zadeng", "Chawngthu", "Vanchhawng")  # fmt: skip

# places: real ones, the streets and houses around them made up (English street names where the place has them)
_FRIESLAND = (("8911", "Ljouwert"), ("8601", "Snits"), ("9201", "Drachten"), ("8861", "Harns"), ("9101", "Dokkum"))
_FRISIAN_STREET_ENDS = ("strjitte", "wei", "dyk", "leane", "paad")
_GUAM_ROADS = ("Marine Corps Drive", "Chalan San Antonio", "Army Drive", "Farenholt Avenue", "Ypao Road",
               "Pale San Vitores Road", "Route 16", "Harmon Loop Road")  # fmt: skip
_GUAM_VILLAGES = (("Tamuning", "96913"), ("Dededo", "96929"), ("Yigo", "96929"), ("Mangilao", "96913"),
                  ("Barrigada", "96913"), ("Hagåtña", "96910"))  # fmt: skip
_GROZNY_STREETS = ("ul. Kadyrova", "prosp. Putina", "ul. Isaeva", "ul. Rezvanova", "ul. Sheripova", "ul. Dudaeva")
_CHECHEN_VILLAGES = (("s. Shali", "Shalinskiy rayon", "366300"), ("s. Achkhoy-Martan", "Achkhoy-Martanovskiy rayon",
                     "366600"), ("s. Vedeno", "Vedenskiy rayon", "366330"))  # fmt: skip
_KAZAN_STREETS = ("Bauman", "Kremlü", "Puşkin", "Tuqay", "Kayum Nasıyri", "Ğabdulla Tuqay", "Ostrovskiy")
_KAZAN_CODES = ("420111", "420012", "420021", "420066")
_SARDINIA = (("09121", "Casteddu", "CA"), ("07100", "Tàtari", "SS"), ("08100", "Nùgoro", "NU"),
             ("09170", "Aristanis", "OR"), ("07026", "Terranoa", "SS"))  # fmt: skip
_SARDINIAN_WAYS = ("Bia", "Via", "Carrela", "Bia")
_EASTERN_CAPE_STREETS = ("Jacaranda Street", "Oxford Street", "Beaconsfield Road", "Frere Road", "Moore Street",
                         "Church Street", "Milner Avenue", "Park Lane", "Cambridge Road",
                         "Devereux Avenue")  # fmt: skip
_EASTERN_CAPE_SUBURBS = (("Vincent", "East London", "5247"), ("Quigney", "East London", "5201"),
                         ("Southernwood", "East London", "5201"), ("Central", "Mthatha", "5099"),
                         ("Fort Gale", "Mthatha", "5100"))  # fmt: skip
_AIZAWL_VENGS = (("Chanmari West", "796007"), ("Zarkawt", "796001"), ("Bawngkawn", "796012"),
                 ("Tuikual South", "796001"), ("Dawrpui Vengthar", "796001"), ("Ramhlun North", "796012"))  # fmt: skip

# months, the Gregorian calendar's in each language
_FRISIAN_MONTHS = ("jannewaris", "febrewaris", "maart", "april", "maaie", "juny", "july", "augustus",
                   "septimber", "oktober", "novimber", "desimber")  # fmt: skip
_CHAMORRO_MONTHS = ("Eneru", "Fibreru", "Måtso", "Abrit", "Måyu", "Huñu", "Hulio", "Agostu", "Septembre",
                    "Oktubre", "Nobembre", "Disembre")  # fmt: skip
_TATAR_MONTHS = ("ğınvar", "fevral", "mart", "aprel", "may", "iyün", "iyül", "avgust", "sentäbr", "oktäbr",
                 "noyäbr", "dekäbr")  # fmt: skip
_SARDINIAN_MONTHS = ("ghennàrgiu", "freàrgiu", "martzu", "abrile", "maju", "làmpadas", "trìulas", "austu",
                     "cabudanni", "santugaine", "santandria", "nadale")  # fmt: skip
_XHOSA_MONTHS = ("EyoMqungu", "EyoMdumba", "EyoKwindla", "UTshazimpuzi", "UCanzibe", "EyeSilimela", "EyeKhala",
                 "EyeThupha", "EyoMsintsi", "EyeDwarha", "EyeNkanga", "EyoMnga")  # fmt: skip
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DATE_FORMS = ("frisian", "chamorro", "tatar", "sardinian", "xhosa", "roman", "ordinal")
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Bertedatum", "Fecha Mafañågu", "Tuğan köne", "Die de naschimentu", "Umhla wokuzalwa",
                "Pian ni")  # fmt: skip
_EMAIL_LETTERS = str.maketrans({"ı": "i", "İ": "i", "'": "", "ṭ": "t"})
_NOT_IN_EMAILS = ("uli", "qizi")
EMAIL_DOMAINS = ("planet.nl", "ziggo.nl", "guamcell.net", "ite.net", "mail.ru", "tatar.ru", "tiscali.it",
                 "tin.it", "telkomsa.net", "mizoram.gov.in")  # fmt: skip
_OCR_SWAPS = (("w", "vv"), ("H", "|-|"), ("a", "o"), ("y", "v"), ("å", "a"))


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `w` as `vv`, `H` as `|-|`, `a` as
    `o`, `y` as `v`, `å` as `a`, or the space between two words lost."""
    return damaged_once(text, _OCR_SWAPS, rng, or_a_lost_space=True)


class HeldBack18Values(BuiltNames):
    """People, addresses and numbers of held_back_18 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("friesland", "guam", "chechnya", "tatarstan", "sardinia", "eastern_cape", "mizoram")
    IDENTITY_NUMBERS = (south_african_id, undated(dutch_bsn), undated(russian_passport))
    EMAIL_DOMAINS = EMAIL_DOMAINS
    EMAIL_LETTERS = _EMAIL_LETTERS
    NOT_IN_EMAILS = _NOT_IN_EMAILS
    damage = staticmethod(ocr_damaged)
    make_card = staticmethod(payment_card)
    make_iban = staticmethod(bank_account)
    make_ip = staticmethod(network_address)

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed)
        self.date_forms = itertools.cycle(range(len(_DATE_FORMS)))  # in turn, so that every form is used

    def _frisian(self) -> str:
        r = self.random
        given = self._word(_FRISIAN_HEADS, _FRISIAN_TAILS)
        if r.random() < 0.3:  # a father's name and -s, as older Frisian families kept it
            return f"{given} {self._word(_FRISIAN_HEADS, _FRISIAN_TAILS)}s"
        return f"{given} {r.choice(_FRISIAN_ROOTS)}{r.choice(_FRISIAN_ENDS)}"

    def _chamorro(self) -> str:
        given = self._word(_CHAMORRO_HEADS, _CHAMORRO_TAILS)
        return f"{given} {self._word(_CHAMORRO_FAMILY_HEADS, _CHAMORRO_FAMILY_TAILS)}"

    def _chechen(self) -> str:
        r = self.random
        female = r.random() < 0.5
        given = self._word(_CHECHEN_GIVEN_HEADS, _CHECHEN_GIVEN_TAILS) + ("a" if female else "")
        family = r.choice(_CHECHEN_FATHERS) + ("eva" if female else "ev")
        patronymic = r.choice(_CHECHEN_FATHERS) + ("ovna" if female else "ovich")
        return f"{family} {given} {patronymic}"  # as a Russian passport orders them

    def _tatar(self) -> str:
        r = self.random
        given, father = (self._word(_TATAR_HEADS, _TATAR_TAILS) for _ in range(2))
        return f"{given} {father} {r.choice(('ulı', 'qızı'))}"

    def _sardinian(self) -> str:
        r = self.random
        family = self._word(_SARDINIAN_FAMILY_HEADS, _SARDINIAN_FAMILY_TAILS)
        given = r.choice(_SARDINIAN_GIVEN)
        return f"{family.upper()} {given}" if r.random() < 0.5 else f"{given} {family}"

    def _xhosa(self) -> str:
        r = self.random
        root = r.choice(_XHOSA_ROOTS)
        given = ("No" if r.random() < 0.5 else r.choice(("Lu", "Si", "Lwa"))) + root
        return f"{given} {self._word(_XHOSA_FAMILY_HEADS, _XHOSA_FAMILY_TAILS)}"

    def _mizo(self) -> str:
        r = self.random
        given = r.choice(_MIZO_HEADS) + r.choice(_MIZO_MIDDLES) + r.choice(("a", "i", "ia", "â"))
        return f"{given} {r.choice(_MIZO_CLANS)}"

    # ------------------------------------------------------------------------ addresses, two lines each

    def friesland(self) -> tuple[str, str]:  # a Frisian street and a Dutch postcode
        r = self.random
        code, town = r.choice(_FRIESLAND)
        street = self.place_word(_FRISIAN_ROOTS, ("tsjerke", "mole", "skoal", "terp")) + r.choice(_FRISIAN_STREET_ENDS)
        letters = r.choice("ABCDEGHJKLMNPRSTVWXZ") + r.choice("ABCDEGHJKLMNPRSTVWXZ")
        return f"{street} {r.randint(1, 180)}{r.choice(('', '', '-a', ' II'))}", f"{code} {letters} {town}"

    def guam(self) -> tuple[str, str]:  # a number on an English-named road, or a lot and block in a village
        r = self.random
        village, code = r.choice(_GUAM_VILLAGES)
        if r.random() < 0.6:
            return f"{r.randint(100, 1899)} {r.choice(_GUAM_ROADS)}, Unit {r.randint(1, 40)}", f"{village}, GU {code}"
        return f"Lot {r.randint(1, 9999)}-{r.randint(1, 20)}, Block {r.randint(1, 30)}, Tract {r.randint(100, 9999)}", (
            f"{village}, Guam {code}"
        )

    def chechnya(self) -> tuple[str, str]:  # a flat in Grozny, or a house in a village of a district
        r = self.random
        if r.random() < 0.6:
            street = f"{r.choice(_GROZNY_STREETS)}, d. {r.randint(1, 120)}, kv. {r.randint(1, 90)}"
            return street, f"g. Groznyy, Chechenskaya Respublika, {r.randint(364000, 364069)}"
        village, district, code = r.choice(_CHECHEN_VILLAGES)
        return f"{village}, ul. {r.choice(_CHECHEN_FATHERS)}a {r.randint(1, 90)}", f"{district}, {code}"

    def tatarstan(self) -> tuple[str, str]:  # a Kazan street (uramı) and house (yort) as Tatar writes them
        r = self.random
        street = f"{r.choice(_KAZAN_STREETS)} uramı, {r.randint(1, 90)} yort, {r.randint(1, 200)} fatir"
        return street, f"Qazan, Tatarstan Respublikası, {r.choice(_KAZAN_CODES)}"

    def sardinia(self) -> tuple[str, str]:  # a street in a town, or a località in the country
        r = self.random
        code, town, province = r.choice(_SARDINIA)
        if r.random() < 0.65:
            name = self.place_word(("Is ", "Su ", "Sa "), ("Mirrionis", "Planu", "Corti", "Pratza", "Funtana"))
            return f"{r.choice(_SARDINIAN_WAYS)} {name} {r.randint(1, 160)}", f"{code} {town} ({province})"
        place = self.place_word(("Sa ", "Su ", "Is "), ("Serra", "Cungiau", "Nuraxi", "Pauli"))
        return f"Località {place}, podere {r.randint(1, 60)}", f"{code} {town} ({province})"

    def eastern_cape(self) -> tuple[str, str]:  # a number on an English-named street, or a township unit
        r = self.random
        if r.random() < 0.65:
            suburb, city, code = r.choice(_EASTERN_CAPE_SUBURBS)
            return f"{r.randint(1, 240)} {r.choice(_EASTERN_CAPE_STREETS)}, {suburb}", f"{city}, {code}"
        return f"No. {r.randint(100, 19999)} NU {r.randint(1, 17)}", "Mdantsane, 5219, Eastern Cape"

    def mizoram(self) -> tuple[str, str]:  # a house number in a veng (locality) of Aizawl
        r = self.random
        veng, pin = r.choice(_AIZAWL_VENGS)
        return f"House No. {r.choice('ABCDEFM')}-{r.randint(1, 220)}, {veng}", f"Aizawl, Mizoram {pin}"

    # ------------------------------------------------------------------------ numbers and dates

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"058 - {n(200, 299)} {n(10, 99)} {n(10, 99)}",  # Friesland
            lambda: f"+31 (0)6 {n(1000, 9999)} {n(1000, 9999)}",
            lambda: f"+1 671 {r.choice((472, 477, 646, 688))} {n(1000, 9999)}",  # Guam
            lambda: f"+7 (928) {n(100, 999)}-{n(10, 99)}-{n(10, 99)}",  # Chechnya
            lambda: f"8 (843) {n(200, 299)}-{n(10, 99)}-{n(10, 99)}",  # Kazan
            lambda: f"+39 070 {n(100, 999)} {n(1000, 9999)}",  # Sardinia
            lambda: f"3{n(20, 49)} {n(100, 999)} {n(1000, 9999)}",
            lambda: f"+27 (0)43 {n(700, 799)} {n(1000, 9999)}",  # East London
            lambda: f"0{r.choice((72, 82, 83))} {n(100, 999)} {n(1000, 9999)}",
            lambda: f"+91 389 {n(230, 235)} {n(1000, 9999)}",  # Aizawl
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        date = datetime.date(year, month, day)
        written = {
            "frisian": f"{day} {_FRISIAN_MONTHS[month - 1]} {year}",
            "chamorro": f"{day} {_CHAMORRO_MONTHS[month - 1]} {year}",
            "tatar": f"{year} yılnıñ {day} {_TATAR_MONTHS[month - 1]}",
            "sardinian": f"{day} de {_SARDINIAN_MONTHS[month - 1]} {year}",
            "xhosa": f"{day} {_XHOSA_MONTHS[month - 1]} {year}",
            "roman": f"{day}.{_ROMAN[month - 1]}.{year}",  # the month in Roman numerals, between dots
            "ordinal": f"{year}-{date.timetuple().tm_yday:03d}",  # ISO 8601's ordinal date
        }
        return written[_DATE_FORMS[next(self.date_forms)]], f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        first, last = words[0], words[-1]
        return f"{first}{last[:1]}", f"{last}.{first[:2]}", f"{first}_{self.random.randint(60, 99)}"
