"""`held_back_16`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v16` is
main's detector and another engineer writes v17 without sight of it; committed before anything ran on it.
Nothing has run on it: the lead runs it once after v17 is merged (README "held back, unrun").

Everything in it differs from the earlier slices (tuning to held_back_15):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Kyrgyz (a father's name and `uulu`/`kyzy`, or a family name in
  `-ov`/`-ova` first), Pashto (a given name of Pashto words and a tribe in `-zai`/`-khel`), Bhutanese (two
  given names and no family name), Breton (`Le` and an epithet, `Ker-` and a place, `-ec`), Wolof (an
  honorific, a given name and one of the few Wolof family names), Sakha (a Sakha given name, a patronymic in
  `-ovich`/`-ovna`, a family name in `-ov`/`-ova`) and Albanian (`ë`, `ç`, `gj`, `xh`; the father's name in
  the middle, family names in `-aj`, `-aku`, `-llari`); any name with a word of the detector's first-name
  gazetteer is built again;
- dates of birth in forms no slice used: Albanian and Breton month names, the Afghan solar calendar with
  Dari and Pashto month names (`21 Hut 1365`, `1365/12/21`), and three cells (`12 │ 03 │ 1987`), after labels
  in Albanian, Breton, Dari, Pashto, Kyrgyz, Wolof and Sakha;
- addresses in shapes no slice used: Bishkek micro-districts (`mkr. Asanbai, 14-37`) and Kyrgyz villages by
  `köchösü`, Kabul by `Karte`, `Kocha` and `Nahia`, Thimphu by building and `Lam` and rural Bhutan by gewog
  and dzongkhag, Breton `lieu-dit`s, Tirana blocks by `Pallati`/`Shkalla` and addresses by a landmark (`pranë`),
  Prishtina `Rr.`/`Nr.`/`Lagjja` and Dakar villas by estate and `BP`; phones as Kyrgyzstan, Afghanistan, Bhutan,
  France, Albania, Kosovo and Senegal write them at home;
- numbers: Visa, Mastercard, and 19-digit Maestro and Verve cards (Luhn-valid), IBANs of Albania, Kosovo,
  France and Senegal, identity numbers under labels no slice used (Russian SNILS and INN, French NIR,
  Kyrgyz PIN, Afghan e-Tazkira: pii_sets_held_back_16_numbers), counted as `ssn`, and IP addresses followed
  by a port or written in full;
- OCR damage of kinds no slice used: `w` read as `vv`, `h` as `li`, `y` as `v`, `B` as `8`, `g` as `q`,
  `D` as `O`, or a letter's diacritic lost (`ë` as `e`);
- templates no slice used, set as real ones are: a pension claim (two pages), a mobile-money agent's
  register (a table), a driving-test booking (boxes), a water-connection request, an apartment sale
  contract (seller and buyer in two columns) and an account-recovery request;
- speech: card, address, e-mail, SSN-like number, name and phone, said by six espeak-ng voice and variant
  pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff
  into born-digital PDFs (mm_assets/operations/man_pages.py): debugfs(8), login.defs(5), dpkg-query(1) and
  usermod(8).
"""

from __future__ import annotations

import datetime
import random
import unicodedata

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, replace_one, undated
from mm_assets.operations.pii_sets_held_back_16_numbers import (
    afghan_tazkira,
    bank_account,
    french_nir,
    ip_address,
    kyrgyz_pin,
    payment_card,
    personal_inn,
    snils,
)

SEED = 16_161
MANUALS: tuple[Manual, ...] = (
    ("e2fsprogs", "/usr/share/man/man8/debugfs.8.gz"),
    ("login", "/usr/share/man/man5/login.defs.5.gz"),
    ("dpkg", "/usr/share/man/man1/dpkg-query.1.gz"),
    ("passwd", "/usr/share/man/man8/usermod.8.gz"),
)
TRADITIONS = ("kyrgyz", "pashto", "bhutanese", "breton", "wolof", "sakha", "albanian")
# (espeak-ng voice and variant, words per minute): pairs and rates no earlier slice used
VOICES = (("en-us+Michael", 109), ("en-gb+benjamin", 186), ("en-029+antonio", 127), ("en-gb-scotland+Jacky", 153),
          ("en-us-nyc+sandro", 179), ("en-gb-x-rp+Henrique", 133))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")

# ---------------------------------------------------------------------------- parts of each tradition's names

_KYRGYZ_HEADS = ("Aza", "Bek", "Ulan", "Nur", "Ai", "Chyn", "Kuban", "Jyl", "Bak", "Altyn", "Eles", "Chol", "Kanyk",
                 "Tilek", "Urm", "Saik", "Emil", "Keng")  # fmt: skip
_KYRGYZ_TAILS = ("mat", "tur", "bek", "gül", "zat", "ara", "dyz", "yt", "bai", "kan", "ei", "jan", "bübü", "kul")
_PASHTO_HEADS = ("Gul", "Zar", "Tor", "Spin", "Mal", "Pal", "Sher", "Wazh", "Pash", "Ghan", "Shin", "Sur", "Nang",
                 "Meran")  # fmt: skip
_PASHTO_TAILS = ("alai", "ghuna", "pekai", "mina", "wali", "jan", "dil", "agha", "zad", "mast", "gai", "bibi", "yar")
_PASHTO_TRIBES = ("Yousaf", "Mohmand", "Dawlat", "Ismail", "Khattak", "Orak", "Bangash", "Mamund", "Utman", "Ahmad",
                  "Ali", "Sulaiman", "Tarak", "Kakar")  # fmt: skip
_BHUTANESE_NAMES = ("Tshering", "Dorji", "Kinley", "Ugyen", "Jigme", "Tandin", "Yeshey", "Dechen", "Choki",
                    "Wangmo", "Zangmo", "Lhaden", "Phuntsho", "Namgay", "Rinzin", "Sangay", "Dema", "Chhimi",
                    "Thinley", "Yangzom", "Pelden", "Gyeltshen", "Samten", "Tobgay", "Leki", "Rinchen", "Tenzin",
                    "Kuenzang", "Nidup", "Pelzang", "Lhamo", "Wangdi", "Sonam", "Dawa")  # fmt: skip
_BRETON_HEADS = ("Gwen", "Mael", "Riw", "Aour", "Bleun", "Tud", "Koulm", "Skla", "Tang", "Ev", "Lan", "Morv",
                 "Gwenn", "Arz", "Berc'h")  # fmt: skip
_BRETON_TAILS = ("aël", "ig", "enn", "ann", "wal", "iou", "ez", "ell", "ved", "ina", "vez", "ran")
_BRETON_EPITHETS = ("Bihan", "Braz", "Du", "Goff", "Guen", "Moal", "Gall", "Floc'h", "Meur", "Kerrec", "Bozec",
                    "Bescond", "Pennec")  # fmt: skip
_BRETON_PLACES = ("gwenn", "lann", "mor", "hoas", "vran", "ouel", "dréan", "guelen", "marrec", "raoul", "ambellec",
                  "louarn", "nevez", "zaouen")  # fmt: skip
_WOLOF_HONORIFICS = ("Mame", "Sokhna", "Serigne", "Ndeye")
_WOLOF_HEADS = ("Co", "Ngo", "Kha", "Mba", "Bi", "Pe", "Sok", "Dem", "Sam", "Lat", "Kho", "Mbo", "Ngué", "Ya")
_WOLOF_TAILS = ("dou", "né", "thio", "neta", "nda", "ssa", "cine", "gane", "tyr", "rry", "mbaye", "diaw")
_WOLOF_FAMILIES = ("Diop", "Ndiaye", "Gueye", "Mbaye", "Faye", "Sarr", "Seck", "Diouf", "Thiam", "Ndoye", "Niang",
                   "Mbengue", "Dieng", "Sène", "Mboup", "Ngom", "Diagne", "Samb", "Mbodj", "Thiaw")  # fmt: skip
_SAKHA_HEADS = ("Ai", "Kyy", "Nyur", "Tui", "Er", "Sar", "Kus", "Tus", "Myl", "Sard", "Uo", "Aay", "Kün", "Ytyk")
_SAKHA_TAILS = ("aal", "daana", "gun", "aara", "el", "yl", "aana", "gylaana", "khan", "suun", "tai", "ana")
_SAKHA_FAMILY_HEADS = ("Ammos", "Oyun", "Evers", "Suorun", "Khatyl", "Tuoy", "Borog", "Kyyl", "Nyurb", "Chur",
                       "Amgin", "Tattin")  # fmt: skip
_ALBANIAN_HEADS = ("Drit", "Bes", "Flutur", "Shpët", "Gëz", "Lul", "Yll", "Blert", "Arbër", "Vjoll", "Mirë",
                   "Bardh", "Agim", "Ermir", "Fat", "Gjyl")  # fmt: skip
_ALBANIAN_TAILS = ("an", "nik", "ëro", "a", "ime", "im", "ka", "ina", "jeta", "ësa", "ush", "os", "ije")
_ALBANIAN_FAMILY_HEADS = ("Kras", "Gash", "Ber", "Hoxh", "Shal", "Kel", "Dush", "Lam", "Rexh", "Zeq", "Brah",
                          "Çel", "Gjon", "Dod", "Xhaf", "Muç")  # fmt: skip
_ALBANIAN_FAMILY_TAILS = ("niqi", "aj", "isha", "aku", "llari", "iraj", "epi", "ollari", "ani", "ja")

# places: real ones, the streets and houses around them made up
_BISHKEK_DISTRICTS = ("Asanbai", "Jal-23", "Tunguch", "Kok-Jar", "Vostok-5", "Alamedin-1", "Dzhal-29")
_KYRGYZ_VILLAGES = (("Kara-Bulak", "Kemin", "Chüi", "722200"), ("Kochkor", "Kochkor", "Naryn", "722100"),
                    ("Ak-Terek", "Issyk-Köl", "Ysyk-Köl", "722312"), ("Kyzyl-Suu", "Jeti-Ögüz", "Ysyk-Köl", "722122"),
                    ("Baetov", "Ak-Talaa", "Naryn", "722400"))  # fmt: skip
_KABUL_QUARTERS = ("Char", "Se", "Parwan", "Naw", "Chahar")
_THIMPHU_LAMS = ("Norzin Lam", "Chang Lam", "Chorten Lam", "Doebum Lam", "Gongphel Lam")
_THIMPHU_AREAS = ("Changzamtog", "Motithang", "Babesa", "Olakha", "Changangkha")
_BHUTAN_RURAL = (("Shaba", "Paro"), ("Toewang", "Punakha"), ("Samkhar", "Trashigang"), ("Chhoekhor", "Bumthang"),
                 ("Gasetsho Om", "Wangdue Phodrang"))  # fmt: skip
_BRITTANY = (("29270", "Carhaix-Plouguer"), ("29800", "Landerneau"), ("22300", "Lannion"), ("56400", "Auray"),
             ("29160", "Crozon"), ("22200", "Guingamp"))  # fmt: skip
_TIRANA_STREETS = ("Rruga e Kavajës", "Rruga e Durrësit", "Rruga Myslym Shyri", "Rruga e Elbasanit")
_ALBANIA_TOWNS = (("Durrës", "2001"), ("Shkodër", "4001"), ("Elbasan", "3001"), ("Korçë", "7001"))
_KOSOVO = (("Dardania", "Prishtinë", "10000"), ("Ulpiana", "Prishtinë", "10000"), ("Arbëria", "Prishtinë", "10000"),
           ("Ortakoll", "Prizren", "20000"), ("Kapeshnica", "Pejë", "30000"))  # fmt: skip
_DAKAR_ESTATES = ("Sicap Liberté 6", "HLM Grand Yoff", "Parcelles Assainies Unité 17", "Cité Keur Gorgui",
                  "Mermoz Pyrotechnie", "Sacré-Cœur 3")  # fmt: skip
_TOUBA_QUARTERS = ("Darou Marnane", "Keur Niang", "Ndamatou", "Guédé Bousso")

_ALBANIAN_MONTHS = ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor",
                    "nëntor", "dhjetor")  # fmt: skip
_BRETON_MONTHS = ("Genver", "C'hwevrer", "Meurzh", "Ebrel", "Mae", "Mezheven", "Gouere", "Eost", "Gwengolo", "Here",
                  "Du", "Kerzu")  # fmt: skip
# the Afghan solar year's months, by their Dari (zodiac) and Pashto names
_DARI_MONTHS = ("Hamal", "Sawr", "Jawza", "Saratan", "Asad", "Sunbula", "Mizan", "Aqrab", "Qaws", "Jadi", "Dalw", "Hut")
_PASHTO_MONTHS = ("Wray", "Ghwayay", "Ghbargolay", "Changakh", "Zmaray", "Wazhay", "Tala", "Laram", "Lindey",
                  "Marghumay", "Salwagha", "Kab")  # fmt: skip
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Datëlindja", "Deiziad ganedigezh", "Tarikh-e tawallud", "Da zokhedo neta", "Tuulgan künü",
                "Bisu juddu", "Töröbüt küne")  # fmt: skip
_EMAIL_LETTERS = str.maketrans({"ë": "e", "ç": "c", "'": ""})
_NOT_IN_EMAILS = ("uulu", "kyzy", "mame", "sokhna", "serigne", "ndeye")
EMAIL_DOMAINS = ("mail.kg", "elcat.kg", "afghan-wireless.af", "druknet.bt", "orange.fr", "wanadoo.fr", "abcom.al",
                 "ipko.net", "orange.sn", "mail.ru")  # fmt: skip
_OCR_SWAPS = (("w", "vv"), ("h", "li"), ("y", "v"), ("B", "8"), ("g", "q"), ("D", "O"))


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `w` as `vv`, `h` as `li`, `y` as
    `v`, `B` as `8`, `g` as `q`, `D` as `O`, or one letter's diacritic lost (`ë` as `e`, `ç` as `c`)."""
    swaps: list = [(old, new) for old, new in _OCR_SWAPS if old in text]
    marked = [i for i, char in enumerate(text) if unicodedata.decomposition(char)]
    kind = rng.choice([*swaps, *(["bare"] if marked else [])] or ["bare"])
    if kind == "bare":
        if not marked:  # nothing the damage could take: the scan read it right
            return text
        at = rng.choice(marked)
        return text[:at] + unicodedata.normalize("NFD", text[at])[0] + text[at + 1 :]
    return replace_one(text, *kind, rng)


def solar_to_gregorian(year: int, month: int, day: int) -> datetime.date:
    """An Afghan (solar Hijri) date as a Gregorian one: the year begins at the March equinox (21 March, near
    enough for a date of birth), its first six months have 31 days, the next five 30."""
    days = (month - 1) * 31 if month <= 6 else 186 + (month - 7) * 30
    return datetime.date(year + 621, 3, 21) + datetime.timedelta(days=days + day - 1)


class HeldBack16Values(BuiltNames):
    """People, addresses and numbers of held_back_16 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("kyrgyzstan", "kabul", "bhutan", "brittany", "albania", "kosovo", "senegal")
    IDENTITY_NUMBERS = (undated(snils), undated(personal_inn), french_nir, kyrgyz_pin, undated(afghan_tazkira))
    EMAIL_DOMAINS = EMAIL_DOMAINS
    EMAIL_LETTERS = _EMAIL_LETTERS
    NOT_IN_EMAILS = _NOT_IN_EMAILS
    damage = staticmethod(ocr_damaged)
    make_card = staticmethod(payment_card)
    make_iban = staticmethod(bank_account)
    make_ip = staticmethod(ip_address)

    def _kyrgyz(self) -> str:
        given, father = self._word(_KYRGYZ_HEADS, _KYRGYZ_TAILS), self._word(_KYRGYZ_HEADS, _KYRGYZ_TAILS)
        if self.random.random() < 0.5:  # the father's name and `son of`/`daughter of`, then one's own
            return f"{father} {self.random.choice(('uulu', 'kyzy'))} {given}"
        # a family name from the father's (`-ov`, or `-ev` after a vowel), first, as forms write it
        stem = father[:-1] + "e" if father.endswith("i") else father + ("e" if father[-1] in "aeouüy" else "o")
        return f"{stem}{self.random.choice(('v', 'va'))} {given}"

    def _pashto(self) -> str:
        given = self._word(_PASHTO_HEADS, _PASHTO_TAILS)
        return f"{given} {self.random.choice(_PASHTO_TRIBES)}{self.random.choice(('zai', 'khel', 'zai'))}"

    def _bhutanese(self) -> str:  # two given names, either sex, no family name
        first, second = self.random.sample(_BHUTANESE_NAMES, 2)
        return f"{first} {second}"

    def _breton(self) -> str:
        r = self.random
        given = self._word(_BRETON_HEADS, _BRETON_TAILS)
        family = r.choice(
            (f"Le {r.choice(_BRETON_EPITHETS)}", "Ker" + r.choice(_BRETON_PLACES), self._word(_BRETON_HEADS, ("ec",)))
        )
        return f"{given} {family}"

    def _wolof(self) -> str:
        r = self.random
        given = self._word(_WOLOF_HEADS, _WOLOF_TAILS)
        honorific = f"{r.choice(_WOLOF_HONORIFICS)} " if r.random() < 0.35 else ""
        return f"{honorific}{given} {r.choice(_WOLOF_FAMILIES)}"

    def _sakha(self) -> str:
        r = self.random
        given, father = self._word(_SAKHA_HEADS, _SAKHA_TAILS), self._word(_SAKHA_HEADS, _SAKHA_TAILS)
        female = r.random() < 0.5
        patronymic = father.rstrip("a") + ("ovna" if female else "ovich")
        family = r.choice(_SAKHA_FAMILY_HEADS) + ("ova" if female else "ov")
        return f"{given} {patronymic} {family}"

    def _albanian(self) -> str:
        given = self._word(_ALBANIAN_HEADS, _ALBANIAN_TAILS)
        family = self._word(_ALBANIAN_FAMILY_HEADS, _ALBANIAN_FAMILY_TAILS)
        if self.random.random() < 0.4:  # the father's given name between, as Albanian registers write it
            return f"{given} {self._word(_ALBANIAN_HEADS, _ALBANIAN_TAILS)} {family}"
        return f"{given} {family}"

    # ------------------------------------------------------------------------ addresses, two lines each

    def kyrgyzstan(self) -> tuple[str, str]:  # a micro-district's block and flat, or a village street
        r = self.random
        if r.random() < 0.5:
            return f"mkr. {r.choice(_BISHKEK_DISTRICTS)}, {r.randint(1, 60)}-{r.randint(1, 120)}", (
                f"{r.randint(720001, 720085)} Bishkek, Kyrgyz Respublikasy"
            )
        village, district, region, code = r.choice(_KYRGYZ_VILLAGES)
        street = self.place_word(_KYRGYZ_HEADS, _KYRGYZ_TAILS)
        return f"{village} aiyly, {street} köchösü {r.randint(1, 140)}", f"{district} raionu, {region} oblusu, {code}"

    def kabul(self) -> tuple[str, str]:  # a lane (kocha) in a quarter (karte), the city district (nahia)
        r = self.random
        lane = self.place_word(_PASHTO_HEADS, _PASHTO_TAILS)
        return f"House {r.randint(1, 300)}, Kocha-e {lane}, Karte {r.choice(_KABUL_QUARTERS)}", (
            f"Nahia {r.randint(1, 22)}, Kabul {r.randint(1001, 1010)}, Afghanistan"
        )

    def bhutan(self) -> tuple[str, str]:  # a flat on a `Lam` (road), a house in an area, or a rural gewog
        r = self.random
        shape = r.randint(0, 2)
        if shape == 0:
            flat = f"Flat {r.randint(1, 6)}{r.choice('ABC')}, Building No. {r.randint(1, 80)}"
            return f"{flat}, {r.choice(_THIMPHU_LAMS)}", "Thimphu 11001, Bhutan"
        if shape == 1:
            return (
                f"House No. {r.randint(1, 400)}, {r.choice(_THIMPHU_AREAS)}",
                f"Post Box {r.randint(100, 999)}, Thimphu",
            )
        gewog, dzongkhag = r.choice(_BHUTAN_RURAL)
        village = self.place_word(("Dra", "Yu", "Khe", "Gang", "Pang", "Tsh"), ("ngtse", "lung", "kha", "gang", "zam"))
        return f"{village} village, {gewog} Gewog", f"{dzongkhag} Dzongkhag, Bhutan"

    def brittany(self) -> tuple[str, str]:  # a named hamlet (lieu-dit) or a number on a `hent` (road)
        r = self.random
        code, commune = r.choice(_BRITTANY)
        hamlet = "Ker" + r.choice(_BRETON_PLACES)
        if r.random() < 0.5:
            return f"Lieu-dit {hamlet}", f"{code} {commune}"
        return f"{r.randint(1, 90)} hent {hamlet}", f"{code} {commune}, Breizh"

    def albania(self) -> tuple[str, str]:  # block, stair and flat in Tirana, or a landmark in a town
        r = self.random
        if r.random() < 0.5:
            block = f"Pallati {r.randint(1, 90)}, Shkalla {r.randint(1, 6)}, Ap. {r.randint(1, 40)}"
            return f"{r.choice(_TIRANA_STREETS)}, {block}", f"{r.randint(1001, 1028)} Tiranë, Shqipëri"
        town, code = r.choice(_ALBANIA_TOWNS)
        school = self.place_word(_ALBANIAN_HEADS, _ALBANIAN_TAILS)
        return f"Lagjja {r.randint(1, 18)}, pranë shkollës '{school}'", f"{town} {code}, Shqipëri"

    def kosovo(self) -> tuple[str, str]:  # street and number in a quarter (lagjja)
        r = self.random
        quarter, city, code = r.choice(_KOSOVO)
        street = (
            self.place_word(_ALBANIAN_HEADS, _ALBANIAN_TAILS)
            + " "
            + self.place_word(_ALBANIAN_FAMILY_HEADS, _ALBANIAN_FAMILY_TAILS)
        )
        return f"Rr. {street} Nr. {r.randint(1, 150)}, Lagjja {quarter}", f"{code} {city}, Kosovë"

    def senegal(self) -> tuple[str, str]:  # a villa in an estate and a post box, or a Touba quarter by landmark
        r = self.random
        if r.random() < 0.6:
            return f"Villa n° {r.randint(1, 9999)}, {r.choice(_DAKAR_ESTATES)}", (
                f"BP {r.randint(1000, 45999)} Dakar-Fann, Sénégal"
            )
        return f"Quartier {r.choice(_TOUBA_QUARTERS)}, derrière le marché Ocass", "Touba, Région de Diourbel"

    # ------------------------------------------------------------------------ numbers

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"+996 {r.choice((555, 700, 772, 505))} {n(100, 999)} {n(100, 999)}",  # Kyrgyzstan
            lambda: f"0{r.choice((555, 700, 772))} {n(10, 99)} {n(10, 99)} {n(10, 99)}",
            lambda: f"+93 7{r.choice((0, 8, 9))} {n(100, 999)} {n(1000, 9999)}",  # Afghanistan
            lambda: f"+975 17 {n(10, 99)} {n(10, 99)} {n(10, 99)}",  # Bhutan
            lambda: f"02 98 {n(10, 99)} {n(10, 99)} {n(10, 99)}",  # Brittany (France)
            lambda: f"+355 6{r.choice((7, 8, 9))} {n(100, 999)} {n(1000, 9999)}",  # Albania
            lambda: f"+383 4{r.choice((3, 4, 5, 9))} {n(100, 999)} {n(100, 999)}",  # Kosovo
            lambda: f"+221 7{r.choice((0, 6, 7, 8))} {n(100, 999)} {n(10, 99)} {n(10, 99)}",  # Senegal
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        if r.random() < 0.3:  # the Afghan solar calendar: the Gregorian date follows from it
            s_year, s_month, s_day = year - 621, month, day
            born = solar_to_gregorian(s_year, s_month, s_day)
            written = r.choice(
                (
                    f"{s_day} {_DARI_MONTHS[s_month - 1]} {s_year}",
                    f"{s_day} {_PASHTO_MONTHS[s_month - 1]} {s_year}",
                    f"{s_year}/{s_month:02d}/{s_day:02d}",
                )
            )
            return written, born.strftime("%Y%m%d")
        written = r.choice(
            (
                f"{day} {_ALBANIAN_MONTHS[month - 1]} {year}",
                f"{day} a viz {_BRETON_MONTHS[month - 1]} {year}",
                f"{day:02d} │ {month:02d} │ {year}",  # three cells of a form, their rules read as bars
            )
        )
        return written, f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        return ".".join(words[:2]), words[-1] + words[0][0], f"{words[0]}{self.random.randint(1970, 2008)}"
