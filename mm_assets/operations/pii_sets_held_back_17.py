"""`held_back_17`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v17` is
main's detector and another engineer writes v18 without sight of it (tuning on held_back_16 and older slices);
committed before anything ran on it. The lead ran it once after v18 was merged (2026-12-04, with v18 and
v17); it is tuning material since. Its tests check the material without the detector
(tests/test_pii_held_back_slices.py, tests/test_pii_held_back_17.py).

Everything in it differs from the earlier slices (tuning to held_back_16):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Kinyarwanda (a sentence name of one's own, often about God, `-mana`,
  before or after a given name, the first in capitals as Rwandan forms write it), Luganda (a clan name whose
  prefix says the sex: `Na-` a woman, `Sse-`/`Ka-`/`Mu-` a man), Kabyle (`A-` and the feminine `Ta-...-t`
  built on one root, a family name after `Aït`/`Ath`/`Nath`; `ɣ`, `ɛ`, `č`), Lao (given and family names of
  compounded parts, `X` for `s`, an honorific `Thao`/`Nang` before them), Guarani (words with nasal vowels,
  `ã`, `ĩ`, `ỹ`, `g̃`, and the glottal stop `'`, a given name and two family names), Q'eqchi' Maya (`Ix-` a
  woman, `Aj-` a man, glottalised `k'`, `q'`, `b'`, `tz'`, two family names) and Marshallese (`Li-` a woman,
  `La-`/`Ļa-` a man; `ā`, `ļ`, `m̧`, `n̄`, `ņ`, `ō`, `ū`); any name with a word of the detector's first-name
  gazetteer is built again;
- dates of birth in forms no slice used: Kinyarwanda, Luganda, Kabyle, Lao and Guarani month names, the
  Amazigh agrarian calendar (the Julian calendar's months, the year plus 950: `27 Fuṛar 2937`) and the ISO
  week date (`1987-W11-4`), after labels in Kinyarwanda, Luganda, Kabyle, Lao, Guarani and Marshallese;
- addresses in shapes no slice used, several of them of English words: Kigali's numbered streets (`KG 11 Ave`)
  and its village, cell and sector (`Umudugudu`, `Akagari`, `Umurenge`), Kampala plots on English-named
  streets (`Plot 14, Station Road, Kololo`) and its LC1 zones, Algerian `Cité des 200 Logements` blocks and
  Kabyle villages by commune and daïra, Lao villages (`Ban`), units and houses, Asunción streets by the corner
  they are near (`c/`, `esq.`) and Paraguayan `compañías` by kilometre, Guatemalan grid addresses (`5a.
  Avenida 12-34, Zona 1`) and Q'eqchi' `aldeas`, and Majuro's lots on `Lagoon Road` by village; phones as
  Rwanda, Uganda, Algeria, Laos, Paraguay, Guatemala and the Marshall Islands write them at home (dots between
  pairs, a trunk `(0)`, a grouping of 4-6);
- numbers: identity and tax numbers under labels no slice used, a passport's machine-readable zone, Elo,
  Troy, UATP, Dankort, RuPay and Hipercard cards, IBANs of Guatemala, Brazil, Mauritius, the Seychelles and
  Egypt, and network addresses in new shapes, MAC addresses among them (pii_sets_held_back_17_numbers);
- OCR damage of kinds no slice used: `M` read as `IVI`, `K` as `|<`, `s` as `$`, `b` as `d`, `n` as `h`,
  and an apostrophe inside a name read as a comma;
- templates no slice used, set as real ones are (pii_sets_held_back_17_forms): a coffee cooperative's member
  register (a table), a savings group's passbook (two pages), a passport renewal with the old passport's
  machine-readable zone, a campus network's device registration, a school-fee deposit slip (boxes) and a
  character reference letter (prose over two pages);
- speech: card, address, e-mail, SSN-like number, name and phone, in phrasings no slice used (a card's last
  digits corrected to its whole number, an e-mail spelt letter by letter, "you can find me at", a phone said
  with `oh` and `double`), by six espeak-ng voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff into
  born-digital PDFs (mm_assets/operations/man_pages.py): apt_preferences(5), start-stop-daemon(8),
  update-alternatives(1) and xargs(1).
"""

from __future__ import annotations

import datetime
import itertools
import random

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, damaged_once, undated
from mm_assets.operations.pii_sets_held_back_17_numbers import (
    bank_account,
    guatemala_cui,
    network_address,
    paraguay_ruc,
    payment_card,
    rwanda_national_id,
    uganda_nin,
    uganda_tin,
)

SEED = 17_171
MANUALS: tuple[Manual, ...] = (
    ("apt", "/usr/share/man/man5/apt_preferences.5.gz"),
    ("dpkg", "/usr/share/man/man8/start-stop-daemon.8.gz"),
    ("dpkg", "/usr/share/man/man1/update-alternatives.1.gz"),
    ("findutils", "/usr/share/man/man1/xargs.1.gz"),
)
TRADITIONS = ("kinyarwanda", "luganda", "kabyle", "lao", "guarani", "qeqchi", "marshallese")

# ---------------------------------------------------------------------------- parts of each tradition's names

_KINYARWANDA_HEADS = ("Uwi", "Niyo", "Habi", "Nshimiyi", "Hakizi", "Ndayi", "Nsengi", "Twagiri", "Bizi", "Tuyi",
                      "Niyi", "Munya", "Iradu", "Ntawu", "Rwigi", "Mukami")  # fmt: skip
_KINYARWANDA_TAILS = ("mana", "nzima", "senge", "kunda", "yumva", "neza", "saba", "tegeka", "mbabazi", "rema",
                      "kiza", "gaba")  # fmt: skip
_KINYARWANDA_GIVEN = ("Ishimwe", "Mugisha", "Ineza", "Shema", "Gatete", "Umutoni", "Uwase", "Ganza", "Cyusa",
                      "Kwizera", "Gisa", "Hirwa", "Byiringiro", "Mutesi", "Ingabire", "Nkusi", "Isimbi",
                      "Rukundo")  # fmt: skip
_LUGANDA_MALE = ("Sse", "Ka", "Mu", "Wa")
_LUGANDA_STEMS = ("makula", "bunya", "wanga", "bugwawo", "lubega", "musoke", "kimera", "nsubuga", "zziwa",
                  "kiwanuka", "lwanga", "bbale", "ggwanga", "mpiima", "ttaka")  # fmt: skip
_LUGANDA_GIVEN = ("Mirembe", "Mukisa", "Ssanyu", "Kizza", "Kigozi", "Namata", "Babirye", "Waswa", "Nsubuga",
                  "Birungi", "Kyomuhendo", "Tendo", "Nnaku", "Ddamba", "Kirabo", "Mbabazi")  # fmt: skip
_KABYLE_ROOTS = ("mellal", "zwaw", "mnay", "nir", "meqran", "zeggaɣ", "maziɣ", "ɣilas", "ksel", "ɛrur", "wragh",
                 "dfel", "fsu", "zir")  # fmt: skip
_KABYLE_ANCESTORS = ("Uɛli", "Ḥmed", "Meẓyan", "Qasi", "Lḥusin", "Ɛemṛan", "Uḥemmu", "Yeḥya", "Saɛid", "Buzid",
                     "Ɛebdella", "Ḥemdan", "Muḥend", "Sliman")  # fmt: skip
_LAO_GIVEN_HEADS = ("Souk", "Phon", "Kham", "Boun", "Vilay", "Douang", "Som", "Chan", "Keo", "Mani", "Vieng",
                    "Phet", "Sai", "Thong", "Seng", "Inth")  # fmt: skip
_LAO_GIVEN_TAILS = ("savanh", "phone", "my", "vanh", "chanh", "thala", "kham", "samone", "ouda", "xay", "dara",
                    "vong", "mixay", "thip")  # fmt: skip
_LAO_FAMILY_HEADS = ("Phomma", "Sisa", "Keoma", "Vongsa", "Xaya", "Inthav", "Souvanna", "Chanthav", "Luangla",
                     "Thamma", "Vilaysa", "Sengsou", "Xayya", "Phetsa")  # fmt: skip
_LAO_FAMILY_TAILS = ("chanh", "vath", "ny", "vanh", "vong", "phoum", "sith", "rath", "khoun", "lath", "xay")
_GUARANI_HEADS = ("Ara", "Jasy", "Yvy", "Kuarahy", "Yvoty", "Tape", "Ka'a", "Pyta", "Mbarete", "Arandu", "Ñe'ẽ",
                  "Ysyry", "Tata", "Hovy")  # fmt: skip
_GUARANI_TAILS = ("porã", "mimbi", "jerá", "rendy", "mirĩ", "ju", "rory", "ete", "pytã", "ovy", "hẽ", "g̃uasu")
_GUARANI_FAMILY_HEADS = ("Yvy", "Ita", "Para", "Kuru", "Mbo", "Tata", "Yva", "Apy", "Guyra", "Pira", "Karai",
                         "Ñandu", "Ka'aguy", "Takuru")  # fmt: skip
_GUARANI_FAMILY_TAILS = ("pytã", "porã", "jú", "ragua", "ete", "mirĩ", "hũ", "guasu", "tĩ", "ovy", "pe", "ỹ")
_QEQCHI_ROOTS = ("q'anil", "k'at", "b'alam", "tz'ikin", "kawil", "mux", "chel", "k'ub'", "xook", "tz'iib'", "ch'ool",
                 "k'iche'", "saqi'", "q'eq")  # fmt: skip
_QEQCHI_FAMILIES = ("Caal", "Choc", "Coc", "Tiul", "Ical", "Xol", "Chub", "Cuz", "Maquin", "Botzoc", "Cucul",
                    "Xoy", "Quib", "Sacul", "Tec", "Maaz", "Cac", "Pacay", "Cholom", "Chiquin", "Quej", "Tux",
                    "Xuc", "Yat", "Pau", "Chen")  # fmt: skip
_MARSHALLESE_ROOTS = ("jeb", "jon", "kōj", "bōk", "ṃwij", "jek", "lōm", "bwij", "kab", "ļok", "ņe", "tōr", "ruj",
                      "jāj")  # fmt: skip
_MARSHALLESE_TAILS = ("ua", "ōn", "ikōņ", "iner", "mo", "ak", "ām", "jel", "wōj", "rōk", "eto", "it")
_MARSHALLESE_FAMILIES = ("Kabua", "Anjain", "Loeak", "Langinmo", "Jetnil", "Kijiner", "Lomae", "Ṃejbon",
                         "Ļaninbit", "Jibōn", "Lanki", "Zedkaia", "Bōktōn", "Āneen")  # fmt: skip

# places: real ones, the streets and houses around them made up (English street names where the place has them)
_KIGALI = (("KG", "Kimihurura", "Gasabo"), ("KN", "Nyamirambo", "Nyarugenge"), ("KK", "Kicukiro", "Kicukiro"),
           ("KG", "Kacyiru", "Gasabo"), ("KN", "Kiyovu", "Nyarugenge"))  # fmt: skip
_KIGALI_WAYS = ("St", "Ave", "Rd")
_RWANDA_RURAL = (("Rukiri", "Remera", "Gasabo"), ("Kamatamu", "Kacyiru", "Gasabo"), ("Gako", "Masaka", "Kicukiro"),
                 ("Rugando", "Kimihurura", "Gasabo"))  # fmt: skip
_KAMPALA_STREETS = ("Station Road", "Mill Lane", "Park Avenue", "Church Road", "Hill Lane", "Acacia Avenue",
                    "Lake Drive", "Garden Close", "School Lane", "Orchard Road", "Bridge Street",
                    "Windsor Crescent", "Market Street", "Chapel Way")  # fmt: skip
_KAMPALA_AREAS = (("Kololo", "Kampala"), ("Nakasero", "Kampala"), ("Ntinda", "Kampala"), ("Entebbe", "Wakiso District"),
                  ("Bugolobi", "Kampala"), ("Muyenga", "Kampala"))  # fmt: skip
_KAMPALA_ZONES = ("Kisugu", "Kanyogoga", "Kabalagala", "Katwe", "Kisenyi", "Wandegeya")
_KABYLIE = (("Tizi Ouzou", "15000"), ("Béjaïa", "06000"), ("Bouira", "10000"), ("Azazga", "15300"))
_KABYLE_COMMUNES = (("Aït Yenni", "Beni Douala"), ("Iferhounène", "Iferhounène"), ("Aït Mahmoud", "Beni Douala"),
                    ("Illoula Oumalou", "Bouzguène"), ("Akbil", "Aïn El Hammam"))  # fmt: skip
_VIENTIANE = (("Xaysettha", "Phonxay"), ("Chanthabouly", "Sisavath Neua"), ("Sikhottabong", "Nongpanai"),
              ("Sisattanak", "Thongkang"), ("Xaythany", "Dongdok"))  # fmt: skip
_LAO_PROVINCES = (("Phonhong", "Vientiane Province"), ("Luang Prabang", "Luang Prabang Province"),
                  ("Pakse", "Champasak"), ("Savannakhet", "Savannakhet"))  # fmt: skip
_ASUNCION_STREETS = ("Tacuary", "Manduvirá", "Eligio Ayala", "Azara", "Cerro Corá", "Humaitá", "Estados Unidos",
                     "Mcal. López", "Gral. Santos", "Brasil")  # fmt: skip
_ASUNCION_BARRIOS = ("Barrio La Encarnación", "Barrio Sajonia", "Barrio Villa Morra", "Barrio Recoleta",
                     "Barrio Ciudad Nueva")  # fmt: skip
_PARAGUAY_TOWNS = (("Caacupé", "Cordillera", "PY02"), ("Itauguá", "Central", "PY02"),
                   ("Coronel Oviedo", "Caaguazú", "PY07"), ("Villarrica", "Guairá", "PY08"))  # fmt: skip
_GUATEMALA_CITIES = (("Ciudad de Guatemala", "01001", 25), ("Cobán, Alta Verapaz", "16001", 11),
                     ("San Pedro Carchá, Alta Verapaz", "16009", 6), ("Salamá, Baja Verapaz", "15001", 5))  # fmt: skip
_QEQCHI_TOWNS = ("San Juan Chamelco", "Cobán", "San Pedro Carchá", "Lanquín", "Cahabón")
_MAJURO_VILLAGES = ("Delap", "Uliga", "Rita", "Laura", "Ajeltake", "Long Island", "Jenrok")
_MAJURO_ROADS = ("Lagoon Road", "Ocean Side Road", "Airport Road", "Church Street", "Hospital Road")

# months, the Gregorian calendar's in each language, and the Amazigh agrarian calendar's (Kabyle names)
_KINYARWANDA_MONTHS = ("Mutarama", "Gashyantare", "Werurwe", "Mata", "Gicurasi", "Kamena", "Nyakanga", "Kanama",
                       "Nzeri", "Ukwakira", "Ugushyingo", "Ukuboza")  # fmt: skip
_LUGANDA_MONTHS = ("Janwali", "Febwali", "Marisi", "Apuli", "Maayi", "Juuni", "Julaayi", "Agusito", "Sebuttemba",
                   "Okitobba", "Novemba", "Desemba")  # fmt: skip
_KABYLE_MONTHS = ("Yennayer", "Fuṛar", "Meɣres", "Yebrir", "Mayyu", "Yunyu", "Yulyu", "Ɣuct", "Ctembeṛ", "Tubeṛ",
                  "Wambeṛ", "Duǧembeṛ")  # fmt: skip
_LAO_MONTHS = ("Mangkon", "Kumpha", "Mina", "Mesa", "Phutsapha", "Mithuna", "Kolakot", "Singha", "Kanya", "Tula",
               "Phachik", "Thanva")  # fmt: skip
_GUARANI_MONTHS = ("Jasyteĩ", "Jasykõi", "Jasyapy", "Jasyrundy", "Jasypo", "Jasypoteĩ", "Jasypokõi", "Jasypoapy",
                   "Jasyporundy", "Jasypa", "Jasypateĩ", "Jasypakõi")  # fmt: skip
_DATE_FORMS = ("kinyarwanda", "luganda", "kabyle", "amazigh", "lao", "guarani", "iso_week")
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Itariki y'amavuko", "Olunaku lw'okuzaalibwa", "Azemz n tlalit", "Van koed", "Ára heñói",
                "Raan in lotak")  # fmt: skip
_EMAIL_LETTERS = str.maketrans({"ɣ": "gh", "Ɣ": "gh", "ɛ": "e", "Ɛ": "e", "'": ""})
_NOT_IN_EMAILS = ("ait", "ath", "nath", "thao", "nang")
EMAIL_DOMAINS = ("mtn.co.rw", "ur.ac.rw", "africaonline.co.ug", "mak.ac.ug", "djaweb.dz", "laotel.com",
                 "tigo.com.py", "copaco.com.py", "intelnet.net.gt", "ntamar.net")  # fmt: skip
_OCR_SWAPS = (("M", "IVI"), ("K", "|<"), ("s", "$"), ("b", "d"), ("n", "h"), ("'", ","))


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `M` as `IVI`, `K` as `|<`, `s` as
    `$`, `b` as `d`, `n` as `h`, or an apostrophe inside a name as a comma."""
    return damaged_once(text, _OCR_SWAPS, rng, or_a_lost_space=False)


def _of(place: str) -> str:
    """`de` and a place's name, elided before a vowel as French writes it (`d'Aït Yenni`)."""
    return f"d'{place}" if place[0] in "AEIOUÏ" else f"de {place}"


def amazigh_date(date: datetime.date) -> tuple[int, int, int]:
    """(day, month, year) in the Amazigh agrarian calendar: the Julian calendar's day and month (13 days behind
    the Gregorian from 1900 to 2099), the year counted from 950 BC (Yennayer 1, 2976 was 14 January 2026)."""
    julian = date - datetime.timedelta(days=13)
    return julian.day, julian.month, julian.year + 950


class HeldBack17Values(BuiltNames):
    """People, addresses and numbers of held_back_17 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("rwanda", "uganda", "kabylie", "laos", "paraguay", "guatemala", "marshall_islands")
    IDENTITY_NUMBERS = (
        rwanda_national_id,
        uganda_nin,
        undated(guatemala_cui),
        undated(paraguay_ruc),
        undated(uganda_tin),
    )
    EMAIL_DOMAINS = EMAIL_DOMAINS
    EMAIL_LETTERS = _EMAIL_LETTERS
    NOT_IN_EMAILS = _NOT_IN_EMAILS
    damage = staticmethod(ocr_damaged)
    make_card = staticmethod(payment_card)
    make_iban = staticmethod(bank_account)
    make_ip = staticmethod(network_address)

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed)
        self.date_forms = itertools.cycle(range(len(_DATE_FORMS)))  # in turn, so that every calendar is used

    def _kinyarwanda(self) -> str:
        own = self._word(_KINYARWANDA_HEADS, _KINYARWANDA_TAILS)
        given = self.random.choice(_KINYARWANDA_GIVEN)
        if self.random.random() < 0.5:  # the forms' order: the own name first, in capitals
            return f"{own.upper()} {given}"
        return f"{given} {own}"

    def _luganda(self) -> str:
        r = self.random
        stem = r.choice(_LUGANDA_STEMS)
        clan_name = ("Na" if r.random() < 0.5 else r.choice(_LUGANDA_MALE)) + stem
        given = r.choice(_LUGANDA_GIVEN)
        return f"{clan_name} {given}" if r.random() < 0.5 else f"{given} {clan_name}"

    def _kabyle(self) -> str:
        r = self.random
        root = r.choice(_KABYLE_ROOTS)
        given = f"Ta{root}t" if r.random() < 0.5 else f"A{root}"  # the feminine circumfix on the same root
        family = f"{r.choice(('Aït', 'Ath', 'Nath'))} {r.choice(_KABYLE_ANCESTORS)}"
        return f"{given} {family}"

    def _lao(self) -> str:
        r = self.random
        given = self._word(_LAO_GIVEN_HEADS, _LAO_GIVEN_TAILS)
        family = self._word(_LAO_FAMILY_HEADS, _LAO_FAMILY_TAILS)
        honorific = f"{r.choice(('Thao', 'Nang'))} " if r.random() < 0.4 else ""
        return f"{honorific}{given} {family}"

    def _guarani(self) -> str:
        given = self._word(_GUARANI_HEADS, _GUARANI_TAILS)
        father, mother = (self._word(_GUARANI_FAMILY_HEADS, _GUARANI_FAMILY_TAILS) for _ in range(2))
        return f"{given} {father} {mother}"

    def _qeqchi(self) -> str:
        r = self.random
        root = r.choice(_QEQCHI_ROOTS)
        given = ("Ix" if r.random() < 0.5 else "Aj") + root
        father, mother = r.sample(_QEQCHI_FAMILIES, 2)
        return f"{given} {father} {mother}"

    def _marshallese(self) -> str:
        r = self.random
        given = r.choice(("Li", "La", "Ļa")) + self._word(_MARSHALLESE_ROOTS, _MARSHALLESE_TAILS)
        return f"{given} {r.choice(_MARSHALLESE_FAMILIES)}"

    # ------------------------------------------------------------------------ addresses, two lines each

    def rwanda(self) -> tuple[str, str]:  # a numbered Kigali street, or village, cell and sector
        r = self.random
        if r.random() < 0.6:
            prefix, area, district = r.choice(_KIGALI)
            street = f"{prefix} {r.randint(1, 700)} {r.choice(_KIGALI_WAYS)}"
            return f"{street}, House No. {r.randint(1, 90)}", f"{area}, {district} District, Kigali"
        cell, sector, district = r.choice(_RWANDA_RURAL)
        village = self.place_word(_KINYARWANDA_HEADS, ("ro", "nzi", "ba", "ga"))
        return f"Umudugudu wa {village}, Akagari ka {cell}", f"Umurenge wa {sector}, Akarere ka {district}"

    def uganda(self) -> tuple[str, str]:  # a plot on an English-named street, or an LC1 zone
        r = self.random
        area, city = r.choice(_KAMPALA_AREAS)
        if r.random() < 0.65:
            plot = f"Plot {r.randint(1, 120)}{r.choice(('', '', 'A', 'B'))}"
            return f"{plot}, {r.choice(_KAMPALA_STREETS)}", f"{area}, {city}"
        return f"LC1 {r.choice(_KAMPALA_ZONES)} Zone {r.choice('ABCD')}, House {r.randint(1, 300)}", (
            f"P.O. Box {r.randint(1000, 39999)}, Kampala"
        )

    def kabylie(self) -> tuple[str, str]:  # a block of a housing estate, or a village of a commune
        r = self.random
        if r.random() < 0.5:
            town, code = r.choice(_KABYLIE)
            estate = f"Cité des {r.choice((120, 200, 300, 500, 1000))} Logements"
            return f"{estate}, Bt {r.choice('ABCDEFG')} n° {r.randint(1, 60)}", f"{code} {town}, Algérie"
        commune, daira = r.choice(_KABYLE_COMMUNES)
        village = "Tala " + self.place_word(("Ama", "Tiz", "Ighil", "Tawr", "Azr"), ("zir", "ɣilas", "mellal", "nir"))
        return f"Village {village}, Commune {_of(commune)}", f"Daïra {_of(daira)}, Wilaya de Tizi Ouzou"

    def laos(self) -> tuple[str, str]:  # village (ban), unit and house in a district, or a provincial village
        r = self.random
        if r.random() < 0.6:
            district, village = r.choice(_VIENTIANE)
            return f"Ban {village}, Unit {r.randint(1, 30):02d}, House {r.randint(1, 400):03d}", (
                f"{district} District, Vientiane Capital"
            )
        town, province = r.choice(_LAO_PROVINCES)
        village = self.place_word(_LAO_FAMILY_HEADS, ("kham", "xay", "ngam", "thong"))
        return f"Ban {village}, House {r.randint(1, 200)}", f"{town} District, {province}, Lao PDR"

    def paraguay(self) -> tuple[str, str]:  # a number near a corner in Asunción, or a rural compañía by km
        r = self.random
        if r.random() < 0.6:
            street, corner = r.sample(_ASUNCION_STREETS, 2)
            near = r.choice(("c/", "esq.", "casi"))
            return f"{street} N° {r.randint(100, 3999)} {near} {corner}", (
                f"{r.choice(_ASUNCION_BARRIOS)}, Asunción {r.randint(1000, 1999):06d}"
            )
        town, department, route = r.choice(_PARAGUAY_TOWNS)
        company = self.place_word(_GUARANI_FAMILY_HEADS, _GUARANI_FAMILY_TAILS)
        return f"Compañía {company}, km {r.randint(20, 160)} Ruta {route}", f"{town}, Departamento de {department}"

    def guatemala(self) -> tuple[str, str]:  # a grid address (avenue or street, block-number, zone), or an aldea
        r = self.random
        if r.random() < 0.65:
            city, code, zones = r.choice(_GUATEMALA_CITIES)
            way = r.choice(("Avenida", "Calle"))
            number = f"{r.randint(1, 30)}{'a.' if r.random() < 0.5 else 'ª'}"
            return f"{number} {way} {r.randint(1, 40)}-{r.randint(1, 99):02d}, Zona {r.randint(1, zones)}", (
                f"{city} {code}"
            )
        village = self.place_word(("Chi", "Sa", "Se", "Ra"), ("coj", "mox", "quib", "chaj", "tzul"))
        return f"Aldea {village}, Caserío {r.choice(_QEQCHI_FAMILIES)}", f"{r.choice(_QEQCHI_TOWNS)}, Alta Verapaz"

    def marshall_islands(self) -> tuple[str, str]:  # a lot on a road in a village of Majuro, or a post box
        r = self.random
        if r.random() < 0.7:
            return f"Lot {r.randint(1, 240)}, {r.choice(_MAJURO_ROADS)}", (
                f"{r.choice(_MAJURO_VILLAGES)} Village, Majuro, MH 96960"
            )
        return f"P.O. Box {r.randint(100, 3999)}, Ebeye", "Kwajalein Atoll, Marshall Islands 96970"

    # ------------------------------------------------------------------------ numbers and dates

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"+250 7{r.choice((2, 3, 8, 9))}{n(0, 9)} {n(100, 999)} {n(100, 999)}",  # Rwanda
            lambda: f"07{r.choice((2, 8, 9))}{n(0, 9)} {n(100, 999)} {n(100, 999)}",
            lambda: f"+256 (0) 7{r.choice((0, 5, 7, 8))}{n(0, 9)} {n(100000, 999999)}",  # Uganda
            lambda: f"07{r.choice((0, 5, 7, 8))}{n(0, 9)}-{n(100000, 999999)}",
            lambda: f"0{r.choice((5, 6, 7))}{n(10, 99)}.{n(10, 99)}.{n(10, 99)}.{n(10, 99)}",  # Algeria
            lambda: f"+856 20 {n(2000, 9999)} {n(1000, 9999)}",  # Laos
            lambda: f"(09{r.choice((71, 81, 82, 83, 85))}) {n(100, 999)}-{n(100, 999)}",  # Paraguay
            lambda: f"+502 {r.choice((3, 4, 5))}{n(100, 999)}-{n(1000, 9999)}",  # Guatemala
            lambda: f"(692) {r.choice((455, 625, 329))}-{n(1000, 9999)}",  # Marshall Islands
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        date = datetime.date(year, month, day)
        a_day, a_month, a_year = amazigh_date(date)
        week_year, week, weekday = date.isocalendar()
        written = {
            "kinyarwanda": f"{day} {_KINYARWANDA_MONTHS[month - 1]} {year}",
            "luganda": f"{day} {_LUGANDA_MONTHS[month - 1]}, {year}",
            "kabyle": f"{day} {_KABYLE_MONTHS[month - 1]} {year}",
            "amazigh": f"{a_day} {_KABYLE_MONTHS[a_month - 1]} {a_year}",  # the Amazigh agrarian calendar
            "lao": f"{day} {_LAO_MONTHS[month - 1]} {year}",
            "guarani": f"{day} {_GUARANI_MONTHS[month - 1]} {year}",
            "iso_week": f"{week_year}-W{week:02d}-{weekday}",  # the ISO week date, as a database export writes it
        }
        return written[_DATE_FORMS[next(self.date_forms)]], f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        first, last = words[0], words[-1]
        return f"{last}-{first}", first[:3] + last[:4], f"{first}.{last[0]}{self.random.randint(1, 9)}"
