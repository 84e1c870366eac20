"""`held_back_19`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v19` is
main's detector and another engineer writes v20 without sight of it (tuning on held_back_18 and older slices);
committed before anything ran on it. The lead ran it once, with v19 and v20 (2026-12-04 12:36 UTC): spent.
Its tests check the material without the detector (tests/test_pii_held_back_slices.py, tests/test_pii_held_back_19.py).

Everything in it differs from the earlier slices (tuning to held_back_18):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Turkmen (`ä`, `ç`, `ň`, `ö`, `ş`, `ü`, `ý`, `ž`; given names of a head and
  a tail that says the sex, `-berdi`/`-durdy` a man's, `-gül`/`-jemal` a woman's; a family name of a father's
  name and `-ow`/`-owa`, `-ýew`/`-ýewa` after a vowel, first on forms), Sesotho (given names that are words,
  `Re-`, `Ke-`, `Nt-` and a verb in `-ile`/`-iso`/`-ang`; a mother called `'Ma-` and her first child's name;
  family names of `Mo-`, `Ra-`, `Le-`, `Se-`), Romansh (`Ca-` (a house) or `De-` family names, double given
  names joined by a hyphen), Palauan (`Ngira-` a man, `Dil-`/`Ebil-` a woman, family names of Palauan
  clusters `Rech-`, `Tm-`, `Ng-`), Manx (family names from `Mac` worn down to `Qu-`, `K-`, `Cr-`, `Cl-`,
  `Corl-`, `Call-`; Manx given names), Chewa (given names that are words, `Chi-`, `Ma-`, `Ti-`, `Yama-`,
  `Tha-`; family names of `Nkh-`, `Mb-`, `Phi-`, `Mwa-`, `Kachi-`, in capitals on some forms) and Tajik (`ū`,
  `ī`; a family name of a father's name and `-zoda` for a son or a daughter, or the older `-ov`/`-ova`, `-ī`);
  any name with a word of the detector's first-name gazetteer is built again; titles of other languages before
  some of them (`Ntate`, `'Me`, `Signur`, `Dunna`, `Bambo`, `Mayi`, `Janob`, `Hormatly`);
- dates of birth in forms no slice used: Turkmen (`12 mart 1987 ý.`), Sesotho, Romansh (`ils 12 da matg
  1987`), Manx, Chewa and Tajik (`12 marti soli 1987`) month names, and the month abbreviated with a year of
  two digits after an apostrophe (`Mar. 12, '87`), after labels in Turkmen, Sesotho, Romansh, Manx, Chewa and
  Tajik;
- addresses in countries and line shapes no slice used: Ashgabat's `köçesi`/`şaýoly` with the house and flat
  as ordinals (`12-nji jaý, 34-nji öý`) and the postcode first, Turkmen villages by `obasy` and `etraby`,
  Lesotho villages by their chief (`Ha Mohale`) and Maseru's plot numbers, Romansh streets of the Grisons with a
  floor line (`2. plaun`) or a house name first, Palau's hamlets, lots and post-office boxes, the Isle of Man's
  farm names (`Balla-`), flats by floor and IM postcodes, Malawi's villages by headman and Traditional
  Authority (`T/A`), Lilongwe's areas and plots and private bags, and Tajik addresses with the postcode and town
  first and the street after (`kūchai`, `khonai`, `hujrai`, `deha`, `nohiyai`); phones as Turkmenistan, Lesotho,
  the Grisons, Palau, the Isle of Man, Malawi and Tajikistan write them at home;
- numbers: identity and tax numbers of countries no slice used (the Swiss AHV number, the JMBG of Montenegro and
  Serbia, the Ecuadorian and Uruguayan cédulas, the Australian tax file number), cards of brands no slice used,
  IBANs of Switzerland, Montenegro, Kuwait, the Dominican Republic and Andorra, and network addresses in shapes
  no slice used (pii_sets_held_back_19_numbers);
- OCR damage of kinds no slice used: `T` read as `7`, `g` as `9`, `U` as `LI`, `N` as `|\\|`, `ş` as `s,`, `ll` as
  `11`, and a space lost between two words of a name;
- templates no slice used, set as real ones are (pii_sets_held_back_19_forms): a room in a shared flat (parties
  in a table, signatures on a second page), a blood-panel requisition (a form grid, an e-mail split at the end
  of a line), a nursery place application (a card number split over two lines), a storm damage claim (an
  e-mail body over a second page, signed without a greeting), a seasonal worker's pay advice and a visa
  application's form data;
- speech: card, address, e-mail, identity number, name and phone, in phrasings no slice used, by six espeak-ng
  voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff into
  born-digital PDFs (mm_assets/operations/man_pages.py): apt-cache(8), dpkg-deb(1), lsblk(8) and chage(1).
"""

from __future__ import annotations

import itertools
import random

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, damaged_once, undated
from mm_assets.operations.pii_sets_held_back_19_numbers import (
    bank_account,
    ecuador_cedula,
    jmbg,
    network_address,
    payment_card,
    swiss_ahv,
    uruguay_cedula,
)

SEED = 19_191
MANUALS: tuple[Manual, ...] = (
    ("apt", "/usr/share/man/man8/apt-cache.8.gz"),
    ("dpkg", "/usr/share/man/man1/dpkg-deb.1.gz"),
    ("util-linux", "/usr/share/man/man8/lsblk.8.gz"),
    ("passwd", "/usr/share/man/man1/chage.1.gz"),
)
TRADITIONS = ("turkmen", "sesotho", "romansh", "palauan", "manx", "chewa", "tajik")

# ---------------------------------------------------------------------------- parts of each tradition's names

_TURKMEN_HEADS = ("Gurban", "Aman", "Ata", "Baý", "Ýagşy", "Oraz", "Myrat", "Döw", "Ak", "Bäşim", "Çary", "Täç",
                  "Anna", "Kaka", "Söýün")  # fmt: skip
_TURKMEN_MEN = ("berdi", "durdy", "geldi", "nazar", "mämmet", "gylyç", "muhammet")
_TURKMEN_WOMEN = ("jemal", "gül", "bibi", "nabat", "soltan", "jahan", "ogulbike")
_SESOTHO_HEADS = ("Re", "Ke", "Nt", "Li", "Bo", "Ts'e", "Tšo", "Ha", "Le")
_SESOTHO_ROOTS = ("thab", "leboh", "tšep", "hlomph", "ithut", "rat", "kholis", "nyak", "fumaneh", "tlotl",
                  "bolel", "sebets")  # fmt: skip
_SESOTHO_ENDS = ("ile", "iso", "ang", "eng", "o", "elo")
_SESOTHO_FAMILY_HEADS = ("Mo", "Ra", "Le", "Se", "Ma", "Mot")
_SESOTHO_FAMILY_TAILS = ("khothu", "sisili", "tsamai", "lapo", "rotholi", "jakane", "hloko", "ts'oene", "thibeli",
                         "kheleli", "phoma", "tlali", "seko")  # fmt: skip
_ROMANSH_HEADS = ("Gion", "Cur", "Flur", "Men", "Lin", "Giu", "Ursu", "Duri", "Clo", "Mengi", "Uors", "Tumesch")
_ROMANSH_TAILS = ("din", "ina", "ard", "ghetta", "sep", "la", "schin", "et", "in", "gia", "ina")
_ROMANSH_FAMILY_HEADS = ("Ca", "Ca", "De", "Ri")
_ROMANSH_FAMILY_TAILS = ("duff", "thomen", "paul", "vegn", "ndinas", "minada", "flisch", "rungs", "curtins",
                         "plazes", "sutt", "gienal", "menisch")  # fmt: skip
_PALAUAN_MEN = ("Ngira", "Ngir", "Ngiraked")
_PALAUAN_WOMEN = ("Dil", "Ebil", "Dir")
_PALAUAN_TAILS = ("klou", "mei", "ubech", "tkel", "ilab", "mekur", "ngas", "kebai", "chesang", "bedul", "iyang")
_PALAUAN_FAMILY_HEADS = ("Rech", "Teng", "Kes", "Rem", "Tel", "Ulu", "Bes", "Tm", "Ol", "Ngot", "Mer", "Sb")
_PALAUAN_FAMILY_TAILS = ("ucher", "olei", "engesau", "lei", "dong", "ebuul", "keriil", "etuchl", "ii", "mang",
                         "el", "al")  # fmt: skip
_MANX_HEADS = ("Ill", "Moir", "Orr", "Bree", "Eal", "Aal", "Chal", "Voir", "Fenn", "Ushag", "Cal", "Myl")
_MANX_TAILS = ("iam", "rey", "ee", "sha", "ish", "in", "se", "ey", "ella", "ane")
_MANX_FAMILY_HEADS = ("Qu", "K", "Cr", "Cl", "Corl", "Call", "Qual", "Kin")
_MANX_FAMILY_TAILS = ("ayle", "altrough", "illiam", "ermode", "ewley", "invig", "eggeen", "ucas", "ett", "ister",
                      "irk", "rade")  # fmt: skip
_CHEWA_HEADS = ("Chi", "Ma", "Ti", "Tha", "Yama", "Ko", "Mpha", "Da", "Tiwo", "Lo", "Wa")
_CHEWA_STEMS = ("kondi", "dalitso", "yamike", "okozani", "somo", "ndwani", "tso", "nga", "pemphero", "mwemwe",
                "nthumwi")  # fmt: skip
_CHEWA_FAMILY_HEADS = ("Nkh", "Mb", "Phi", "Mwa", "Kachi", "Mha", "Nya", "Kam", "Chi")
_CHEWA_FAMILY_TAILS = ("oma", "ewe", "ri", "le", "ngwe", "ngo", "sulu", "phanda", "wala", "tenje")
_TAJIK_HEADS = ("Fir", "Bah", "Sher", "Nav", "Dil", "Mehr", "Par", "Shah", "Zar", "Khur", "Umed", "Sūh")
_TAJIK_MEN = ("ūz", "rom", "zod", "ruz", "shod", "jon", "mard")
_TAJIK_WOMEN = ("angez", "ora", "bonu", "nigor", "gul", "iso", "nozī")
_TITLES = {"sesotho": ("Ntate", "'Me"), "romansh": ("Signur", "Dunna"), "chewa": ("Bambo", "Mayi"),
           "tajik": ("Janob", "Bonu"), "turkmen": ("Hormatly", "Hormatly")}  # fmt: skip

# places: real ones, the streets and houses around them made up
_ASHGABAT_STREETS = ("Magtymguly şaýoly", "Atatürk köçesi", "Görogly köçesi", "Andalyp köçesi", "Oguzhan köçesi",
                     "Bitarap Türkmenistan şaýoly", "Arçabil şaýoly")  # fmt: skip
_ASHGABAT_CODES = ("744000", "744012", "744036", "744020")
_TURKMEN_ETRAPS = (("Ak bugdaý", "Ahal"), ("Baharly", "Ahal"), ("Sakar", "Lebap"), ("Tagtabazar", "Mary"))
_LESOTHO_DISTRICTS = (("Maseru", "100"), ("Berea", "300"), ("Leribe", "300"), ("Mafeteng", "900"),
                      ("Mohale's Hoek", "800"))  # fmt: skip
_LESOTHO_LANDMARKS = ("clinic", "chief's court", "church", "primary school")
_MASERU_AREAS = ("Maseru West", "Hillsview", "Upper Thamae", "Ha Abia", "Khubetsoana")
_GRISONS_TOWNS = (("7000", "Cuira"), ("7180", "Mustér"), ("7550", "Scuol"), ("7130", "Glion"), ("7530", "Zernez"),
                  ("7500", "San Murezzan"), ("7152", "Sagogn"))  # fmt: skip
_ROMANSH_WAYS = ("Via da", "Plaz", "Stradun", "Vial", "Giassa", "Sut")
_ROMANSH_PLACES = ("Staziun", "Baselgia", "Punt", "Muglin", "Clavau", "Chasa", "Curtin", "Mulin")
_KOROR_HAMLETS = ("Ngerbeched", "Meyuns", "Idid", "Ngerkebesang", "Ngermid", "Iyebukel", "Ngerchemai")
_PALAU_STATES = (("Ngerusar", "Airai"), ("Ngetkib", "Airai"), ("Ngerubesang", "Melekeok"), ("Ulimang", "Ngaraard"),
                 ("Ollei", "Ngarchelong"))  # fmt: skip
_MANX_TOWNS = (("Douglas", "IM1"), ("Douglas", "IM2"), ("Onchan", "IM3"), ("Laxey", "IM4"), ("Peel", "IM5"),
               ("Ballaugh", "IM7"), ("Ramsey", "IM8"), ("Castletown", "IM9"))  # fmt: skip
_MANX_ROADS = ("Main Road", "Glen Road", "Athol Street", "Mount Havelock", "Sulby Claddagh", "Cronk Drean")
_MALAWI_DISTRICTS = ("Lilongwe", "Dedza", "Ntcheu", "Salima", "Mchinji", "Zomba", "Chiradzulu")
_MALAWI_TOWNS = (("Chichiri", "Blantyre 3"), ("Capital City", "Lilongwe 3"), ("Limbe", "Blantyre"),
                 ("Katoto", "Mzuzu"))  # fmt: skip
_DUSHANBE_STREETS = ("Rūdakī", "Bokhtar", "Sheroz", "Aynī", "Shotemur", "Tursunzoda", "Somoniyon")
_TAJIK_DISTRICTS = (("735140", "Vahdat"), ("735020", "Hisor"), ("735600", "Rasht"), ("735800", "Panjakent"))

# months, the Gregorian calendar's in each language
_TURKMEN_MONTHS = ("ýanwar", "fewral", "mart", "aprel", "maý", "iýun", "iýul", "awgust", "sentýabr", "oktýabr",
                   "noýabr", "dekabr")  # fmt: skip
_SESOTHO_MONTHS = ("Phesekgong", "Hlakola", "Hlakubele", "Mmesa", "Motsheanong", "Phupjane", "Phupu", "Phato",
                   "Lwetse", "Mphalane", "Pudungwana", "Tshitwe")  # fmt: skip
_ROMANSH_MONTHS = ("schaner", "favrer", "mars", "avrigl", "matg", "zercladur", "fanadur", "avust", "settember",
                   "october", "november", "december")  # fmt: skip
_MANX_MONTHS = ("Jerrey-geuree", "Toshiaght-arree", "Mayrnt", "Averil", "Boaldyn", "Mean-souree", "Jerrey-souree",
                "Luanistyn", "Mean-fouyir", "Jerrey-fouyir", "Mee Houney", "Mee ny Nollick")  # fmt: skip
_CHEWA_MONTHS = ("Januwale", "Febuluwale", "Malichi", "Epulo", "Meyi", "Juni", "Julai", "Ogasiti", "Seputembala",
                 "Okutobala", "Novembala", "Disembala")  # fmt: skip
_TAJIK_MONTHS = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentyabr", "oktyabr",
                 "noyabr", "dekabr")  # fmt: skip
_ENGLISH_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_DATE_FORMS = ("turkmen", "sesotho", "romansh", "manx", "chewa", "tajik", "apostrophe")
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Doglan senesi", "Letsatsi la tsoalo", "Data da naschientscha", "Laa ruggyree", "Tsiku lobadwa",
                "Sanai tavallud")  # fmt: skip
_EMAIL_LETTERS = str.maketrans({"ı": "i", "ň": "n", "'": "", "š": "s"})
_NOT_IN_EMAILS = ("zoda",)
EMAIL_DOMAINS = ("online.tm", "leo.co.ls", "bluewin.ch", "palaunet.com", "manx.net", "sdnp.org.mw", "tojikiston.tj")
_OCR_SWAPS = (("T", "7"), ("g", "9"), ("U", "LI"), ("N", "|\\|"), ("ş", "s,"), ("ll", "11"))


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `T` as `7`, `g` as `9`, `U` as `LI`,
    `N` as `|\\|`, `ş` as `s,`, `ll` as `11`, or the space between two words lost."""
    return damaged_once(text, _OCR_SWAPS, rng, or_a_lost_space=True)


class HeldBack19Values(BuiltNames):
    """People, addresses and numbers of held_back_19 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("turkmenistan", "lesotho", "grisons", "palau", "isle_of_man", "malawi", "tajikistan")
    IDENTITY_NUMBERS = (undated(swiss_ahv), jmbg, undated(ecuador_cedula), undated(uruguay_cedula))
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

    def _turkmen(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_TURKMEN_HEADS, _TURKMEN_WOMEN if woman else _TURKMEN_MEN)
        father = self._word(_TURKMEN_HEADS, _TURKMEN_MEN)
        ending = ("ýew" if father[-1] in "aeiouyäöü" else "ow") + ("a" if woman else "")
        family = father + ending
        return f"{family} {given}" if r.random() < 0.5 else f"{given} {family}"  # family first, as forms write it

    def _sesotho(self) -> str:
        r = self.random
        given = r.choice(_SESOTHO_HEADS) + r.choice(_SESOTHO_ROOTS) + r.choice(_SESOTHO_ENDS)
        if r.random() < 0.3:  # a mother known by her first child's name
            given = "'Ma" + given[0].lower() + given[1:]
        return f"{given} {self._word(_SESOTHO_FAMILY_HEADS, _SESOTHO_FAMILY_TAILS)}"

    def _romansh(self) -> str:
        r = self.random
        given = self._word(_ROMANSH_HEADS, _ROMANSH_TAILS)
        if r.random() < 0.35:  # two given names joined, as Romansh families give them
            given = f"{given}-{self._word(_ROMANSH_HEADS, _ROMANSH_TAILS)}"
        return f"{given} {self._word(_ROMANSH_FAMILY_HEADS, _ROMANSH_FAMILY_TAILS)}"

    def _palauan(self) -> str:
        r = self.random
        given = self._word(_PALAUAN_MEN if r.random() < 0.5 else _PALAUAN_WOMEN, _PALAUAN_TAILS)
        return f"{given} {self._word(_PALAUAN_FAMILY_HEADS, _PALAUAN_FAMILY_TAILS)}"

    def _manx(self) -> str:
        given = self._word(_MANX_HEADS, _MANX_TAILS)
        return f"{given} {self._word(_MANX_FAMILY_HEADS, _MANX_FAMILY_TAILS)}"

    def _chewa(self) -> str:
        r = self.random
        given = self._word(_CHEWA_HEADS, _CHEWA_STEMS)
        family = self._word(_CHEWA_FAMILY_HEADS, _CHEWA_FAMILY_TAILS)
        return f"{family.upper()} {given}" if r.random() < 0.4 else f"{given} {family}"

    def _tajik(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_TAJIK_HEADS, _TAJIK_WOMEN if woman else _TAJIK_MEN)
        father = self._word(_TAJIK_HEADS, _TAJIK_MEN)
        family = r.choice((f"{father}zoda", f"{father}zoda", f"{father}{'ova' if woman else 'ov'}", f"{father}ī"))
        return f"{given} {family}"

    def titled(self) -> tuple[str, str]:
        """(a title in its language, a person of that tradition): `Bambo` and a Chewa name, `Dunna` and a
        Romansh one, ..."""
        tradition = self.random.choice(sorted(_TITLES))
        title = self.random.choice(_TITLES[tradition])
        return title, self._fresh(getattr(self, f"_{tradition}"))

    # ------------------------------------------------------------------------ addresses, two lines each

    def turkmenistan(self) -> tuple[str, str]:  # a flat in Ashgabat, postcode first, or a house in a village
        r = self.random
        if r.random() < 0.65:
            flat = f"{r.choice(_ASHGABAT_STREETS)}, {r.randint(1, 90)}-nji jaý, {r.randint(1, 160)}-nji öý"
            return flat, f"{r.choice(_ASHGABAT_CODES)} Aşgabat"
        etrap, province = r.choice(_TURKMEN_ETRAPS)
        village = self.place_word(_TURKMEN_HEADS, ("dere", "gala", "çeşme", "depe"))
        return f"{village} obasy, {r.randint(1, 140)}-nji jaý", f"{etrap} etraby, {province} welaýaty"

    def lesotho(self) -> tuple[str, str]:  # a village by its chief's name, or a plot in Maseru
        r = self.random
        district, code = r.choice(_LESOTHO_DISTRICTS)
        if r.random() < 0.55:
            chief = self.place_word(_SESOTHO_FAMILY_HEADS, _SESOTHO_FAMILY_TAILS)
            return f"Ha {chief}, near the {r.choice(_LESOTHO_LANDMARKS)}", f"{district} {code}"
        return f"Plot No. {r.randint(10000, 19999)}-{r.randint(1, 999):03d}, {r.choice(_MASERU_AREAS)}", "Maseru 100"

    def grisons(self) -> tuple[str, str]:  # a Romansh street with a floor, or a house name first
        r = self.random
        code, town = r.choice(_GRISONS_TOWNS)
        street = f"{r.choice(_ROMANSH_WAYS)} {r.choice(_ROMANSH_PLACES)} {r.randint(1, 120)}"
        if r.random() < 0.5:
            return f"{street}, {r.randint(1, 4)}. plaun", f"{code} {town}"
        house = self.place_word(("Chasa ", "Chesa "), ("Fluretta", "Muntanella", "Sulai", "Gronda", "Veglia"))
        return f"{house}, {street}", f"{code} {town}"

    def palau(self) -> tuple[str, str]:  # a post-office box in Koror, or a lot in a hamlet
        r = self.random
        if r.random() < 0.4:
            return f"P.O. Box {r.randint(100, 9999)}", "Koror, Republic of Palau 96940"
        if r.random() < 0.5:
            return (
                f"Lot {r.randint(1, 400):03d} {r.choice('ABC')}, {r.choice(_KOROR_HAMLETS)} Hamlet",
                "Koror State, PW 96940",
            )
        hamlet, state = r.choice(_PALAU_STATES)
        return f"{hamlet} Hamlet, house {r.randint(1, 90)}", f"{state} State, Palau 96940"

    def isle_of_man(self) -> tuple[str, str]:  # a farm by its Balla- name, or a flat by its floor
        r = self.random
        town, district = r.choice(_MANX_TOWNS)
        postcode = f"{district} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        if r.random() < 0.5:
            farm = self.place_word(("Balla",), ("cregga", "killey", "mona", "fayle", "kinnag", "teare", "vitchel"))
            return f"{farm}, {r.choice(_MANX_ROADS)}", f"{town}, Isle of Man {postcode}"
        floor = r.choice(("Ground Floor", "First Floor", "Second Floor", "Top Floor"))
        return f"Flat {r.randint(1, 12)}, {floor}, {r.randint(1, 80)} {r.choice(_MANX_ROADS)}", f"{town} {postcode}"

    def malawi(self) -> tuple[str, str]:  # a village by headman and T/A, a Lilongwe plot, or a private bag
        r = self.random
        shape = r.random()
        if shape < 0.4:
            headman = self.place_word(_CHEWA_FAMILY_HEADS, _CHEWA_FAMILY_TAILS)
            authority = self.place_word(("Kalu", "Chi", "Nsa", "Maso", "Kaw"), ("mbu", "twa", "ngu", "mba", "la"))
            return f"Village Headman {headman}, T/A {authority}", f"{r.choice(_MALAWI_DISTRICTS)} District"
        if shape < 0.75:
            area = r.randint(1, 58)
            return (
                f"Area {area}, Sector {r.randint(1, 9)}, Plot {area}/{r.randint(1, 9)}/{r.randint(1, 600)}",
                "Lilongwe",
            )
        place, town = r.choice(_MALAWI_TOWNS)
        return f"{r.choice(('Private Bag', 'P.O. Box'))} {r.randint(20, 39999)}, {place}", town

    def tajikistan(self) -> tuple[str, str]:  # the postcode and town first, the street and flat after
        r = self.random
        if r.random() < 0.6:
            flat = f"kūchai {r.choice(_DUSHANBE_STREETS)}, khonai {r.randint(1, 120)}, hujrai {r.randint(1, 90)}"
            return f"7340{r.randint(10, 64)}, sh. Dushanbe", flat
        code, district = r.choice(_TAJIK_DISTRICTS)
        village = self.place_word(("Navobod", "Sarob", "Qaroq", "Dushoba"), ("", "i Bolo", "i Poyon"))
        return f"{code}, nohiyai {district}", f"deha {village}, kūchai {r.choice(_DUSHANBE_STREETS)} {r.randint(1, 90)}"

    # ------------------------------------------------------------------------ numbers and dates

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"+993 12 {n(20, 49)}-{n(10, 99)}-{n(10, 99)}",  # Ashgabat
            lambda: f"8 6{r.choice('1345')} {n(10, 99)}-{n(10, 99)}-{n(10, 99)}",
            lambda: f"+266 {r.choice(('2231', '2232', '5885', '6212'))} {n(1000, 9999)}",  # Lesotho
            lambda: f"081 {n(250, 259)} {n(10, 99)} {n(10, 99)}",  # the Grisons
            lambda: f"+41 (0)79 {n(100, 999)} {n(10, 99)} {n(10, 99)}",
            lambda: f"(680) {r.choice(('488', '775', '779'))}-{n(1000, 9999)}",  # Palau
            lambda: f"01624 {n(600000, 899999)}",  # the Isle of Man
            lambda: f"+44 (0)7624 {n(100000, 999999)}",
            lambda: f"+265 (0) {r.choice(('999', '888', '991'))} {n(100, 999)} {n(100, 999)}",  # Malawi
            lambda: f"+992 37 {n(221, 236)}-{n(10, 99)}-{n(10, 99)}",  # Dushanbe
            lambda: f"+992 ({r.choice(('93', '90', '98'))}) {n(100, 999)} {n(1000, 9999)}",
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        written = {
            "turkmen": f"{day} {_TURKMEN_MONTHS[month - 1]} {year} ý.",
            "sesotho": f"{day} {_SESOTHO_MONTHS[month - 1]} {year}",
            "romansh": f"ils {day} da {_ROMANSH_MONTHS[month - 1]} {year}",
            "manx": f"{day} {_MANX_MONTHS[month - 1]} {year}",
            "chewa": f"{day} {_CHEWA_MONTHS[month - 1]} {year}",
            "tajik": f"{day} {_TAJIK_MONTHS[month - 1]}i soli {year}",  # the month joined to its year by -i
            "apostrophe": f"{_ENGLISH_MONTHS[month - 1]} {day}, '{year % 100:02d}",
        }
        return written[_DATE_FORMS[next(self.date_forms)]], f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        first, last = words[0], words[-1]
        return f"{first}-{last}", f"{last[:4]}{first[:4]}", f"{first}.{last}{self.random.randint(1, 9)}"
