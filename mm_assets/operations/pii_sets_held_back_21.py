"""`held_back_21`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v22` was
main's detector and another engineer wrote v23 without sight of it (tuning on held_back_20 and older slices); committed
before anything ran on it; run once with v22 and v23 (2026-12-04 18:28 and 19:13 UTC), tuning material since. Its tests
check the material without the detector (tests/test_pii_held_back_slices.py, tests/test_pii_held_back_21.py).

Everything in it differs from the earlier slices (tuning to held_back_20):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules of
  naming traditions no slice used: Galician (`x`, `ñ`; two family names, the father's then the mother's, of
  places in `-eiro`, `-iño`, `-ido`, some after `da`/`do`), Corsican (`ghj`, `chj`, given names in `-u`, family
  names in `-oni`, `-ini`, `-acci`), Tahitian (the ʻeta, macrons; given and family names of Tahitian words, the
  family name first in capitals on French forms), Nahuatl (given names of Nahuatl words, `-itl`, `-tzin`,
  `Xoch-`; two family names of Nahuatl origin, `-catl`, `-petla`), Cornish (given names `Jago`-, `Kerensa`-like;
  family names of `Tre-`, `Pol-`, `Pen-`, `Ros-`, `Nan-` and a place), Javanese (one name alone, or a birth-order
  word `Eko`, `Dwi`, `Tri`, `Catur` before it; women's names in `-wati`, `-ningsih`) and Macanese Cantonese
  (Macau's Portuguese romanisation: `Vong`, `Ieong`, `Kuok`, `Iao`; the family name first, the given name's two
  syllables as two words); any name with a word of the detector's first-name gazetteer is built again; titles of
  their languages before some (`Don`, `Dona`, `Sgiò`, `Raden`, `Mas`, `Mbak`, `Mester`, `Sr.`, `Sra.`);
- dates of birth in forms no slice used: Galician (`12 de marzo de 1987`, `xaneiro`, `xuño`), Corsican (`u 12 di
  marzu 1987`), Tahitian (`12 nō Māti 1987`), Javanese with the weekday and the market day of the five-day week
  (`Kemis Pon, 12 Maret 1987`, the weton true to the date), Cornish (`12 mis Meurth 1987`) and Mexican offices'
  capitals between slashes (`12/MAR/1987`), after labels in Galician, Corsican, Tahitian, Javanese, Cornish and
  Nahuatl;
- addresses in countries and line shapes no slice used: Galician streets with a floor (`2.º esq.`) and villages by
  `Lugar` with `s/n` and a parish and concello (no digits), Corsican streets by `carrughju` and hamlets (no
  digits), Tahiti by the kilometre point and the side of the road (`PK 12,5 côté mer`), post boxes in Papeete and
  the islands' villages (no digits), Nahua villages by `Domicilio conocido` (no digits) and Mexico City's lots
  and blocks (`Mz. 14 Lt. 7`), Cornish house names (`Chy an ...`, no digits) and farms, Yogyakarta's kampung
  numbers (`MG III/593`) and its villages by `Dusun`, `Kalurahan` and `Kapanewon` (no digits), and Macau's
  Portuguese street names with a building and a floor (`8.º andar B`), no postcode; phones as Galicia, Corsica,
  Tahiti, Mexico, Cornwall, Yogyakarta and Macau write them at home;
- numbers: identity and tax numbers of countries no slice used (the Mexican CURP and RFC, the Spanish social
  security number, the English NHS number, the Indonesian NIK), cards of brands no slice used, IBANs of Monaco,
  Timor-Leste, Ukraine, Israel and Jordan, and network addresses in contexts no slice used
  (pii_sets_held_back_21_numbers);
- OCR damage of kinds no slice used: `rn` read as `m`, `e` as `c`, `G` as `6`, `I` as `1`, a macron lost, the
  ʻeta read as a backquote, or a word's letters spaced apart as a heading sets them;
- templates no slice used, names in places no slice put them (pii_sets_held_back_21_forms);
- speech: six sentences said by espeak-ng with its pitch, word gap and amplitude set, and noise, an echo of a room
  or a second speaker added (pii_sets_held_back_21_speech): ways of speaking no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff into
  born-digital PDFs (mm_assets/operations/man_pages.py): tput(1), getopt(1), blkid(8) and chattr(1) (terminal
  capabilities, parsing options, block devices' labels and UUIDs, file attributes: topics no slice's pages had).
"""

from __future__ import annotations

import datetime
import itertools
import random

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, damaged_once
from mm_assets.operations.pii_sets_held_back_21_numbers import (
    IBAN_COUNTRIES,
    bank_account,
    indonesian_nik,
    mexican_curp,
    mexican_rfc,
    network_address,
    nhs_number,
    payment_card,
    spanish_social_security,
)
from mm_assets.operations.pii_sets_held_back_21_places import PlacesOfHeldBack21

SEED = 21_212
MANUALS: tuple[Manual, ...] = (
    ("ncurses-bin", "/usr/share/man/man1/tput.1.gz"),
    ("util-linux", "/usr/share/man/man1/getopt.1.gz"),
    ("util-linux", "/usr/share/man/man8/blkid.8.gz"),
    ("e2fsprogs", "/usr/share/man/man1/chattr.1.gz"),
)
TRADITIONS = ("galician", "corsican", "tahitian", "nahuatl", "cornish", "javanese", "macanese")

# ---------------------------------------------------------------------------- parts of each tradition's names

_GALICIAN_MEN = (("Xo", "Bra", "An", "Ia", "Ro", "Ux", "Mart", "Breo", "Ant", "Xurx"), ("sé", "án", "is", "xo",
                 "go", "í", "ío", "iño", "gán", "ón"))  # fmt: skip
_GALICIAN_WOMEN = (("Ux", "Ant", "Ir", "Sab", "Xi", "No", "Ald", "Ol", "Ros", "Xoa"), ("ía", "ela", "ana", "ara",
                   "alla", "alía", "iña"))  # fmt: skip
_GALICIAN_FAMILY = (("Cast", "Out", "Vil", "Fig", "Carb", "Barr", "Pen", "Sout", "Reb", "Carr", "Lourz", "Mosqu"),
                    ("iñeira", "eiro", "ariño", "ueiroa", "allo", "eira", "ido", "elo", "oa", "ás", "ela"))  # fmt: skip
_CORSICAN_MEN = (("Ghju", "Ghja", "Pe", "San", "Fran", "Pau", "Ghji", "Anghju", "Dume", "Lisan", "Orsu"),
                 ("vanni", "cumu", "tru", "tu", "cescu", "lu", "seppu", "nicu", "dru", "chju"))  # fmt: skip
_CORSICAN_WOMEN = (("Ghju", "Ghja", "San", "Cata", "Leti", "Mari", "Orsu", "Ceci"), ("lia", "vanna", "ta",
                   "lina", "zia", "letta", "rina"))  # fmt: skip
_CORSICAN_FAMILY = (("Santar", "Pier", "Orsat", "Capp", "Lucc", "Ghjacum", "Grimald", "Castell", "Ciav", "Poggi",
                     "Tafan", "Ristor", "Chjar"), ("elli", "oni", "acci", "ucci", "ini", "etti", "ali"))  # fmt: skip
_TAHITIAN_GIVEN = (("Tei", "Hina", "Moa", "Teha", "Vai", "Hei", "Manu", "Rai", "Tua", "Poe", "Mana", "Tea"),
                   ("va", "no", "na", "ni", "miti", "arii", "tea", "hau", "rere", "nui", "ura", "ʻura"))  # fmt: skip
_TAHITIAN_FAMILY = (("Teri", "Tetua", "Tau", "Tea", "Faʻa", "Tehei", "Maʻi", "Tepa", "Tai", "Puʻu", "Tā"),
                    ("itehau", "nui", "hiro", "hu", "tau", "ura", "arii", "roa", "tama", "vāhine", "ō"))  # fmt: skip
_NAHUATL_GIVEN = (("Xoch", "Citlal", "Cuauh", "Yolo", "Tonat", "Ehe", "Itz", "Nene", "Teo", "Mix", "Yaot", "Tla"),
                  ("itl", "li", "tzin", "iuh", "catl", "otl", "tli", "pilli", "cóatl"))  # fmt: skip
_NAHUATL_FAMILY = (("Tecua", "Xico", "Cuau", "Tla", "Tepo", "Coa", "Toch", "Ix", "Ocote", "Tena", "Mazat", "Teco"),
                   ("petla", "téncatl", "tle", "pale", "tzin", "huatl", "tli", "co", "ncatl", "hua"))  # fmt: skip
_CORNISH_MEN = (("Ja", "Pe", "Jo", "Ga", "Ki", "Ca", "Den", "Tre", "Hed", "Bre"), ("go", "ran", "ry", "wen", "tto",
                "dan", "zel", "eve", "nek"))  # fmt: skip
_CORNISH_WOMEN = (("Ker", "Mor", "Dem", "Teg", "Sen", "Eb", "Low", "Wen", "Gwen", "Ke"), ("ensa", "wenna", "elza",
                  "en", "ara", "rel", "ena", "dolen", "rra"))  # fmt: skip
_CORNISH_FAMILY = (("Tre", "Pol", "Pen", "Ros", "Lan", "Car", "Chy", "Nan", "Bos"), ("gothnan", "dennick",
                   "hallow", "wartha", "glaze", "wyn", "vean", "vose", "hale", "kivel", "carrow", "hendra",
                   "worthal"))  # fmt: skip
_JAVANESE_MEN = (("Su", "Wi", "Har", "Pur", "Bam", "Sas", "Jok", "Dar", "Teg", "Kus", "Set", "Pra"), ("warno",
                 "ryanto", "yono", "tono", "bang", "mito", "sono", "nadi", "yadi", "wiro", "jatmiko"))  # fmt: skip
_JAVANESE_WOMEN = (("Sri", "Wul", "Ning", "Rah", "Sit", "Dew", "Ratna", "Kar", "Sum", "Parti"), ("ningsih",
                   "andari", "wati", "ayu", "yani", "astuti", "ningrum", "inah", "yem"))  # fmt: skip
_JAVANESE_ORDER = ("Eko", "Dwi", "Tri", "Catur")  # the first, second, third or fourth child
_MACANESE_FAMILY = ("Vong", "Ieong", "Leong", "Cheong", "Lei", "Lou", "Sou", "Kuok", "Iao", "Choi", "Chao", "Mok")
_MACANESE_SYLLABLES = ("Kuok", "Keong", "Ka", "Ieng", "Weng", "Kei", "Sio", "Man", "Mei", "Ian", "Chi", "Hou",
                       "Seng", "Fai", "Lai", "Cheng", "Wai", "Iok", "Kin", "Nga", "Pou", "Sin", "Hong", "Kam", "Tak",
                       "U", "Im", "Cheok")  # fmt: skip
_TITLES = {"galician": ("Don", "Dona"), "corsican": ("Sgiò",), "javanese": ("Raden", "Mas", "Mbak"),
           "cornish": ("Mester", "Mestres"), "macanese": ("Sr.", "Sra.")}  # fmt: skip

# months, the Gregorian calendar's in each language
_GALICIAN_MONTHS = ("xaneiro", "febreiro", "marzo", "abril", "maio", "xuño", "xullo", "agosto", "setembro",
                    "outubro", "novembro", "decembro")  # fmt: skip
_CORSICAN_MONTHS = ("ghjennaghju", "ferraghju", "marzu", "aprile", "maghju", "ghjugnu", "lugliu", "aostu",
                    "sittembre", "uttobre", "nuvembre", "dicembre")  # fmt: skip
_TAHITIAN_MONTHS = ("Tēnuare", "Fepuare", "Māti", "ʻEperēra", "Mē", "Tiunu", "Tiurai", "ʻAtete", "Tetepa",
                    "ʻĀtopa", "Novema", "Tītema")  # fmt: skip
_INDONESIAN_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                      "Oktober", "November", "Desember")  # fmt: skip
_CORNISH_MONTHS = ("Genver", "Hwevrer", "Meurth", "Ebrel", "Me", "Metheven", "Gortheren", "Est", "Gwynngala",
                   "Hedra", "Du", "Kevardhu")  # fmt: skip
_SPANISH_MONTHS = ("ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC")
# Javanese weekdays from Monday, and the five market days; 17 August 1945 was a Friday Legi
_JAVANESE_WEEKDAYS = ("Senen", "Selasa", "Rebo", "Kemis", "Jemuwah", "Setu", "Minggu")
PASARAN = ("Legi", "Pahing", "Pon", "Wage", "Kliwon")
_PASARAN_EPOCH = datetime.date(1945, 8, 17)
_DATE_FORMS = ("galician", "corsican", "tahitian", "weton", "cornish", "mexican")
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Data de nacemento", "Nascita", "Mahana fānauraʻa", "Tanggal lair", "Dydh genys", "Tlacatiliztli")
_EMAIL_LETTERS = str.maketrans({"ʻ": "", "'": "", "ñ": "n"})
_NOT_IN_EMAILS = ("da", "do", "eko", "dwi", "tri")
EMAIL_DOMAINS = ("mundo-r.com", "corsicatel.fr", "mail.pf", "prodigy.net.mx", "btinternet.com", "telkom.net",
                 "macau.ctm.net")  # fmt: skip
_OCR_SWAPS = (("rn", "m"), ("e", "c"), ("G", "6"), ("I", "1"), ("ā", "a"), ("ē", "e"), ("ō", "o"), ("ʻ", "`"))


def weton(date: datetime.date) -> str:
    """The Javanese weekday and market day of a date (`Jemuwah Legi` for 17 August 1945)."""
    return f"{_JAVANESE_WEEKDAYS[date.weekday()]} {PASARAN[(date - _PASARAN_EPOCH).days % 5]}"


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `rn` as `m`, `e` as `c`, `G` as `6`,
    `I` as `1`, a macron lost, the ʻeta as a backquote, or the letters of a capitalised word spaced apart."""
    words = [i for i, word in enumerate(text.split(" ")) if 3 <= len(word) <= 8 and word.isalpha() and word.istitle()]
    if words and rng.random() < 1 / (len({old for old, _ in _OCR_SWAPS if old in text}) + 1):
        parts = text.split(" ")
        at = rng.choice(words)
        parts[at] = " ".join(parts[at])
        return " ".join(parts)
    return damaged_once(text, _OCR_SWAPS, rng, or_a_lost_space=False)


class HeldBack21Values(PlacesOfHeldBack21, BuiltNames):
    """People, addresses and numbers of held_back_21 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("galicia", "corsica", "tahiti", "nahua_mexico", "cornwall", "yogyakarta", "macau")
    IDENTITY_NUMBERS = (mexican_curp, mexican_rfc, spanish_social_security, nhs_number, indonesian_nik)
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
        self.iban_countries = itertools.cycle(IBAN_COUNTRIES)  # in turn: a dozen accounts hold every country

    def iban(self) -> str:
        return bank_account(self.random, next(self.iban_countries))

    def _of(self, parts: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
        return self._word(*parts)

    def _galician(self) -> str:
        r = self.random
        given = self._of(_GALICIAN_WOMEN if r.random() < 0.5 else _GALICIAN_MEN)
        father, mother = self._of(_GALICIAN_FAMILY), self._of(_GALICIAN_FAMILY)
        if r.random() < 0.25:  # a family name of a place, after its article
            father = f"{r.choice(('da', 'do'))} {father}"
        return f"{given} {father} {mother}"

    def _corsican(self) -> str:
        given = self._of(_CORSICAN_WOMEN if self.random.random() < 0.5 else _CORSICAN_MEN)
        return f"{given} {self._of(_CORSICAN_FAMILY)}"

    def _tahitian(self) -> str:
        given, family = self._of(_TAHITIAN_GIVEN), self._of(_TAHITIAN_FAMILY)
        if self.random.random() < 0.4:  # a French form: the family name first, in capitals
            return f"{family.upper()} {given}"
        return f"{given} {family}"

    def _nahuatl(self) -> str:
        return f"{self._of(_NAHUATL_GIVEN)} {self._of(_NAHUATL_FAMILY)} {self._of(_NAHUATL_FAMILY)}"

    def _cornish(self) -> str:
        given = self._of(_CORNISH_WOMEN if self.random.random() < 0.5 else _CORNISH_MEN)
        return f"{given} {self._of(_CORNISH_FAMILY)}"

    def _javanese(self) -> str:
        r = self.random
        name = self._of(_JAVANESE_WOMEN if r.random() < 0.5 else _JAVANESE_MEN)
        shape = r.random()
        if shape < 0.35:  # one name alone, as many Javanese have
            return name
        if shape < 0.65:
            return f"{r.choice(_JAVANESE_ORDER)} {name}"
        return f"{name} {self._of(_JAVANESE_MEN)}"

    def _macanese(self) -> str:
        r = self.random
        first, second = r.sample(_MACANESE_SYLLABLES, 2)
        return f"{r.choice(_MACANESE_FAMILY)} {first} {second}"

    def titled(self) -> tuple[str, str]:
        """(a title in its language, a person of that tradition): `Raden` and a Javanese name, ..."""
        tradition = self.random.choice(sorted(_TITLES))
        title = self.random.choice(_TITLES[tradition])
        return title, self._fresh(getattr(self, f"_{tradition}"))

    def mexican_parts(self) -> tuple[str, str, str]:
        """(family name of the father, of the mother, given name): the three boxes of a Mexican form."""
        name = self._fresh(self._nahuatl).split()
        return name[1], name[2], name[0]

    # ------------------------------------------------------------------------ numbers and dates

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1942, 2006)
        written = {
            "galician": f"{day} de {_GALICIAN_MONTHS[month - 1]} de {year}",
            "corsican": f"u {day} di {_CORSICAN_MONTHS[month - 1]} {year}",
            "tahitian": f"{day} nō {_TAHITIAN_MONTHS[month - 1]} {year}",
            "weton": f"{weton(datetime.date(year, month, day))}, {day} {_INDONESIAN_MONTHS[month - 1]} {year}",
            "cornish": f"{day} mis {_CORNISH_MONTHS[month - 1]} {year}",
            "mexican": f"{day:02d}/{_SPANISH_MONTHS[month - 1]}/{year}",
        }
        return written[_DATE_FORMS[next(self.date_forms)]], f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        first, last = words[0], words[-1]
        year = self.random.randint(1960, 2004)
        if len(words) == 1:  # one Javanese name alone: a year or a town after it
            return f"{first}{year}", f"{first}.{self.random.choice(('jogja', 'sleman', 'bantul'))}"
        return f"{first}.{last}{year}", f"{last}-{first[:2]}", f"{first}{self.random.randint(10, 99)}.{last[:4]}"
