"""`held_back_20`: a slice held back from tuning the PII redactor, written 2026-12-04 while `pii-patterns-v20` was
main's detector and another engineer wrote v21 without sight of it (tuning on held_back_19 and older slices);
committed before anything ran on it; run once with v20 and v21 (2026-12-04 15:47 UTC), tuning material since. Its
tests check the material without the detector (tests/test_pii_held_back_slices.py, tests/test_pii_held_back_20.py).

Everything in it differs from the earlier slices (tuning to held_back_19):

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Aymara (given names that are words, `Wara`, `Nayra`, `Ch'aska`; two
  family names, the father's then the mother's, in the Spanish spelling (`Mamani`, `Condori`) or the unified
  alphabet's (`Qhispi`, `Kunturi`); a married woman's second name her husband's after `de`), Karakalpak (`á`,
  `ǵ`, `ı`, `ń`, `ó`, `ú`; a family name of a father's name and `-ov`/`-ova` (`-ev`/`-eva` after a vowel), or
  the patronymic `ulı`/`qızı`
  after the father's name), Buryat (given names of two Tibetan-Mongolian parts, often joined by a hyphen; a
  family name of a father's name and `-ev`/`-eva`; a Russian patronymic `-ovich`/`-evna`; the family name first
  as Russian forms write it), Ossetian (family names in `-ty`, the Ossetian plural that does not change for a
  woman, or in `-ov`/`-ova`, `-ev`/`-eva`), Occitan (`lh`, `nh`, `ò`, `è`; family names of a place, `Del-`,
  `La-`, `Puèg-`, `-ac`), Gilbertese (the letters of Kiribati, no `s`, `c` or `l`, `bw` and `mw`; the family
  name the father's given name; women titled `Nei`) and Upper Sorbian (`ć`, `ě`, `ł`, `ń`, `ř`, `š`, `ž`,
  `dź`; a married woman's family name in `-owa`, or `-ina` after a vowel); any name with a word of the
  detector's first-name gazetteer is built again; titles of their languages before some (`Tata`, `Mama`,
  `Húrmetli`, `Sénher`, `Dòna`, `Nei`, `knjez`, `knjeni`);
- dates of birth in forms no slice used: Occitan (`lo 12 de març de 1987`), Upper Sorbian (`12. měrca 1987`,
  the month in its genitive), Karakalpak (`1987-jıl 12-mart`, the year first), Russian transliterated with
  the month in its genitive and `g.` (`12 marta 1987 g.`), Gilbertese (`12 Mati 1987`) and Occitan with the day
  in words, as a deed writes it (`lo dotze de març de 1987`), after labels in Occitan, Sorbian, Karakalpak,
  Russian, Aymara and Gilbertese;
- addresses in countries and line shapes no slice used: El Alto's zones and numbered streets, La Paz's
  avenues with a building and a floor, Aymara communities by canton and province (no digits), Nukus's
  `kóshesi` with house and flat (`12-úy, 34-xonaw`) and Karakalpak villages by `awılı` and `rayonı` (no
  digits), Ulan-Ude's numbered microdistricts, Buryat `ulus` villages (no digits) and dacha plots (`SNT`,
  `uchastok`), Vladikavkaz with the postcode first and the house and flat joined (`12-45`), Ossetian villages
  (no digits), Toulouse's Occitan street names (`carrièra`, `Tolosa`), a `lieu-dit` in Gascony and the Val
  d'Aran's `carrèr`, South Tarawa's villages and the outer islands of Kiribati (no digits), Upper Lusatia's
  Sorbian street and town names and villages by a house number alone; phones as Bolivia, Karakalpakstan,
  Buryatia, North Ossetia, Occitania, the Val d'Aran, Kiribati and Lusatia write them at home;
- numbers: identity numbers of countries no slice used (the Polish PESEL, the Spanish DNI and NIE, the
  Brazilian CPF, the Finnish personal identity code, the Belgian national number and the Estonian personal
  code), cards of brands no slice used, IBANs of Spain, Finland, Estonia, Poland and Kazakhstan, and network
  addresses in contexts no slice used (pii_sets_held_back_20_numbers);
- OCR damage of kinds no slice used: `m` read as `rn`, `d` as `cl`, `k` as `lc`, `O` as `0`, `S` as `5`,
  `A` as `4`, or a space put into a word;
- templates no slice used, names in places no slice put them (pii_sets_held_back_20_forms): the minutes of a
  housing cooperative (a `prepared by` line and a CC list of names and e-mail addresses), a property
  inspection report (names in photo captions), the witness page of a will (a signature written by hand in
  small letters, the name in capitals below, two witness lines), a shell account request (network addresses
  in an auth log, a dhcpd host entry and a URL), a money transfer order (addresses as blocks of three lines,
  an e-mail address in capitals) and a landlord's reference letter (the date of birth in a sentence);
- speech: card, address, e-mail, identity number, name and phone, in phrasings no slice used, by six espeak-ng
  voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages no slice used of `required` packages, set by groff into
  born-digital PDFs (mm_assets/operations/man_pages.py): taskset(1), unshare(1), logger(1) and swapon(8) (a
  process's CPUs, namespaces, the system log, swap space: topics no slice's pages had).
"""

from __future__ import annotations

import itertools
import random
import re

from mm_assets.operations.pii_sets import Manual
from mm_assets.operations.pii_sets_built_names import BuiltNames, damaged_once
from mm_assets.operations.pii_sets_held_back_20_numbers import (
    IBAN_COUNTRIES,
    bank_account,
    belgian_national_number,
    brazil_cpf,
    estonian_personal_code,
    finnish_identity_code,
    network_address,
    payment_card,
    pesel,
    spanish_dni_or_nie,
)

SEED = 20_202
MANUALS: tuple[Manual, ...] = (
    ("util-linux", "/usr/share/man/man1/taskset.1.gz"),
    ("util-linux", "/usr/share/man/man1/unshare.1.gz"),
    ("bsdutils", "/usr/share/man/man1/logger.1.gz"),
    ("mount", "/usr/share/man/man8/swapon.8.gz"),
)
TRADITIONS = ("aymara", "karakalpak", "buryat", "ossetian", "occitan", "gilbertese", "sorbian")

# ---------------------------------------------------------------------------- parts of each tradition's names

_AYMARA_HEADS = ("Wa", "I", "Nay", "Ch'as", "Qha", "Ku", "Wil", "A", "Jal", "Sa", "Ph'a", "Ma")
_AYMARA_TAILS = ("ra", "lla", "ka", "na", "si", "ru", "maru", "xsa", "wi", "nqa")
# family names in the Spanish spelling, and in the unified Aymara alphabet
_AYMARA_FAMILY_HEADS = ("Ma", "Cho", "Cal", "Ti", "Hua", "Co", "Li", "Apa", "Chu", "Con", "Ya", "Cu")
_AYMARA_FAMILY_TAILS = ("mani", "que", "lisaya", "cona", "rachi", "ndori", "machi", "za", "lque", "sihuaman", "pita")
_UNIFIED_FAMILY_HEADS = ("Qhis", "Kun", "Chu", "Wan", "Apa", "Tiku", "Mama", "Q'ul", "Ch'uq", "Jach'a")
_UNIFIED_FAMILY_TAILS = ("pi", "turi", "qi", "ka", "sa", "na", "ni", "lqi", "iwanka")
_KARAKALPAK_HEADS = ("Berd", "Ájin", "Ayt", "Qal", "Ómir", "Tóre", "Seyt", "Ǵayr", "Mús", "Ernaz", "Dáwlet", "Úmbet")
_KARAKALPAK_MEN = ("aq", "iyaz", "bek", "mırza", "qul", "polat", "ımbet", "ǵalı")
_KARAKALPAK_WOMEN = ("ayım", "xan", "sulıw", "shiyrin", "nura", "gúlsim", "ánar")
_BURYAT_HEADS = ("Da", "Dor", "Tsy", "Ba", "Zhar", "Bal", "Du", "Mun", "Er", "Ayu", "Se", "Dul", "Tu", "Zham")
_BURYAT_TAILS = ("shi", "zho", "ren", "to", "gal", "zhan", "gar", "ko", "dem", "na", "segma", "zhena", "yana", "so")
_OSSETIAN_HEADS = ("Sos", "Bat", "Khet", "Tai", "Zaur", "Dzer", "Agun", "Sat", "Ges", "In", "Kos", "Ael")
_OSSETIAN_MEN = ("lan", "radz", "ag", "muraz", "bek", "al")
_OSSETIAN_WOMEN = ("assa", "da", "ana", "ina", "ete")
_OSSETIAN_FAMILY_HEADS = ("Dzas", "Gaz", "Kok", "Tede", "Gag", "Tsal", "Khad", "Bes", "Dzug", "Guss", "Kaloe", "Abae")
_OSSETIAN_FAMILY_TAILS = ("okh", "za", "oi", "e", "lo", "ag", "iat", "kha", "lat", "ti")
_OCCITAN_MEN_HEADS = ("Guil", "Ber", "Ra", "Es", "Pei", "Jòr", "Ama", "Ugu", "Fèl", "Tòni")
_OCCITAN_MEN_TAILS = ("hèm", "tran", "mon", "tève", "re", "di", "ric", "et", "ip")
_OCCITAN_WOMEN_HEADS = ("Aza", "Cla", "Mar", "Alie", "Bea", "Ròs", "Jana", "Esclar")
_OCCITAN_WOMEN_TAILS = ("laís", "mença", "garida", "nòr", "tritz", "eta", "monda")
_OCCITAN_FAMILY_HEADS = ("Del", "La", "Cap", "Mont", "Puèg", "Cas", "Fon", "Bòsc", "Ròca", "Malh", "Aure", "Sant")
_OCCITAN_FAMILY_TAILS = ("puèch", "comba", "tanhièr", "ard", "ric", "nhac", "arguèl", "faure", "vièlh", "lhac", "bòsc")
_GILBERTESE_HEADS = ("Te", "Ta", "Tia", "Bwe", "Ioa", "Kau", "Rui", "Kai", "Ati", "Nabu", "Rei", "Mwa")
_GILBERTESE_TAILS = ("buroro", "aneti", "rimeta", "kaai", "tibwa", "reata", "bane", "nnang", "riki", "mauna", "bonga")
_SORBIAN_HEADS = ("Měr", "Jur", "Han", "Bě", "Ja", "Pět", "Lu", "Mil", "Bo", "Wój", "Ród", "Kla")
_SORBIAN_MEN = ("ćin", "ij", "boš", "ko", "ćech", "dźiš")
_SORBIAN_WOMEN = ("ža", "ła", "ta", "ina", "nka")
_SORBIAN_FAMILY_HEADS = ("Kral", "Wjeń", "Šoł", "Brě", "Dźěl", "Zar", "Krawc", "Młyn", "Hór", "Bjeń", "Čor", "Kub")
_SORBIAN_FAMILY_TAILS = ("", "k", "ta", "ik", "an", "nik", "ec", "ank", "ka")
_TITLES = {"aymara": ("Tata", "Mama"), "karakalpak": ("Húrmetli",), "occitan": ("Sénher", "Dòna"),
           "gilbertese": ("Nei",), "sorbian": ("knjez", "knjeni")}  # fmt: skip

# places: real ones, the streets and houses around them made up
_EL_ALTO_ZONES = ("Villa Adela", "Ciudad Satélite", "Villa Dolores", "Río Seco", "Senkata", "Villa Ingenio")
_LA_PAZ_AVENUES = ("Av. Buenos Aires", "Av. Tumusla", "Av. Baptista", "Av. Illampu", "Av. Kollasuyo")
_LA_PAZ_ZONES = ("Zona Gran Poder", "Zona Chamoco Chico", "Zona Max Paredes", "Zona Villa Victoria")
_ALTIPLANO_PLACES = (("Achacachi", "Omasuyos"), ("Tiwanaku", "Ingavi"), ("Jesús de Machaca", "Ingavi"),
                     ("Copacabana", "Manco Kapac"), ("Pucarani", "Los Andes"))  # fmt: skip
_NUKUS_STREETS = ("Berdaq", "Ájiniyaz", "Qaraqalpaqstan", "Dosnazarov", "Allambergenov", "Tatibaev")
_NUKUS_CODES = ("230100", "230103", "230105", "230112")
_KARAKALPAK_DISTRICTS = ("Shımbay", "Xojeli", "Tórtkúl", "Qońırat", "Beruniy", "Kegeyli")
_ULAN_UDE_CODES = ("670000", "670013", "670031", "670045", "670047")
_BURYAT_DISTRICTS = ("Ivolginskiy", "Tarbagatayskiy", "Khorinskiy", "Kizhinginskiy", "Selenginskiy")
_DACHA_NAMES = ("Zabaikalets", "Rodnik", "Vostok", "Sosnovyy Bor", "Mechta")
_VLADIKAVKAZ_STREETS = ("pr. Mira", "ul. Kosta Khetagurova", "ul. Vatutina", "pr. Kosta", "ul. Tsereteli")
_OSSETIAN_DISTRICTS = ("Prigorodnyy", "Alagirskiy", "Ardonskiy", "Digorskiy", "Irafskiy")
_TOLOSA_WAYS = ("carrièra", "plaça", "camin", "baloard")
_TOLOSA_NAMES = ("dels Fabres", "de la Daurada", "del Tòr", "de las Filatièras", "Pargaminièras", "del Salin")
_GASCON_TOWNS = (("32190", "Vic-Fezensac"), ("32700", "Lectoure"), ("32300", "Mirande"), ("32500", "Fleurance"))
_ARAN_TOWNS = (("25530", "Vielha"), ("25598", "Salardú"), ("25550", "Bossòst"), ("25539", "Les"))
_ARAN_STREETS = ("Major", "deth Fòrn", "dera Glèisa", "dera Hont", "deth Solan", "dera Mòla")
_TARAWA_VILLAGES = ("Bikenibeu", "Bairiki", "Betio", "Teaoraereke", "Eita", "Temwaiku", "Nanikaai", "Bonriki")
_OUTER_ISLANDS = (("Tabontebike", "Abaiang"), ("Utiroa", "Tabiteuea North"), ("Tabwiroa", "Abemama"),
                  ("Butaritari", "Butaritari"), ("Taboiaki", "Beru"))  # fmt: skip
_LUSATIA_TOWNS = (("02625", "Budyšin"), ("03046", "Chóśebuz"), ("02977", "Wojerecy"), ("02699", "Njebjelčicy"),
                  ("02633", "Hodźij"), ("01920", "Pančicy-Kukow"))  # fmt: skip
_SORBIAN_STREETS = ("Dwórnišćowa", "Tuchmačerska", "Łazowska", "Jakubowa", "Póstowa", "Lawska", "Serbska")
_SORBIAN_VILLAGES = (("01920", "Ralbicy"), ("01920", "Róžant"), ("02699", "Worklecy"), ("01920", "Chrósćicy"))

# months, the Gregorian calendar's in each language
_OCCITAN_MONTHS = ("genièr", "febrièr", "març", "abril", "mai", "junh", "julhet", "agost", "setembre", "octòbre",
                   "novembre", "decembre")  # fmt: skip
# Upper Sorbian's months in the genitive, as a date writes them
_SORBIAN_MONTHS = ("januara", "februara", "měrca", "apryla", "meje", "junija", "julija", "awgusta", "septembra",
                   "oktobra", "nowembra", "decembra")  # fmt: skip
_KARAKALPAK_MONTHS = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentyabr", "oktyabr",
                      "noyabr", "dekabr")  # fmt: skip
_RUSSIAN_MONTHS = ("yanvarya", "fevralya", "marta", "aprelya", "maya", "iyunya", "iyulya", "avgusta", "sentyabrya",
                   "oktyabrya", "noyabrya", "dekabrya")  # fmt: skip
_GILBERTESE_MONTHS = ("Ianuari", "Beberuare", "Mati", "Eberi", "Mei", "Iuun", "Iurai", "Aokati", "Tebetembwa",
                      "Okitobwa", "Nobembwa", "Ritembwa")  # fmt: skip
# the day in words, as a deed in Occitan writes it
_OCCITAN_DAYS = ("un", "dos", "tres", "quatre", "cinc", "sièis", "sèt", "uèch", "nòu", "dètz", "onze", "dotze",
                 "tretze", "catòrze", "quinze", "setze", "dètz-e-sèt", "dètz-e-uèch", "dètz-e-nòu", "vint", "vint-e-un",
                 "vint-e-dos", "vint-e-tres", "vint-e-quatre", "vint-e-cinc", "vint-e-sièis", "vint-e-sèt",
                 "vint-e-uèch")  # fmt: skip
_DATE_FORMS = ("occitan", "sorbian", "karakalpak", "russian", "gilbertese", "occitan_words")
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Data de naissença", "Datum narodźenja", "Tuwılǵan sánesi", "Data rozhdeniya", "Yurïwi uru",
                "Bongin bungim")  # fmt: skip
_EMAIL_LETTERS = str.maketrans({"ı": "i", "ł": "l", "'": ""})
_NOT_IN_EMAILS = ("uli", "qizi")
EMAIL_DOMAINS = ("entelnet.bo", "umail.uz", "inbox.ru", "yandex.ru", "laposte.net", "tskl.net.ki", "web.de")
_OCR_SWAPS = (("m", "rn"), ("d", "cl"), ("k", "lc"), ("O", "0"), ("S", "5"), ("A", "4"))


def squeezed(name: str) -> str:
    """A name with no letter three times over, as an ending after a stem that ends as it begins would write it
    (`Tedee` and `ev`)."""
    return re.sub(r"(.)\1\1+", r"\1\1", name)


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `m` as `rn`, `d` as `cl`, `k` as
    `lc`, `O` as `0`, `S` as `5`, `A` as `4`, or a space put into a word of five letters or more."""
    words = [i for i, word in enumerate(text.split(" ")) if len(word) >= 5 and word.isalpha()]
    if words and rng.random() < 1 / (len({old for old, _ in _OCR_SWAPS if old in text}) + 1):
        parts = text.split(" ")
        at = rng.choice(words)
        cut = rng.randint(2, len(parts[at]) - 2)  # never a lone letter on either side
        parts[at] = f"{parts[at][:cut]} {parts[at][cut:]}"
        return " ".join(parts)
    return damaged_once(text, _OCR_SWAPS, rng, or_a_lost_space=False)


class HeldBack20Values(BuiltNames):
    """People, addresses and numbers of held_back_20 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("bolivia", "karakalpakstan", "buryatia", "north_ossetia", "occitania", "kiribati", "lusatia")
    IDENTITY_NUMBERS = (pesel, spanish_dni_or_nie, brazil_cpf, finnish_identity_code, belgian_national_number,
                        estonian_personal_code)  # fmt: skip
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

    def _aymara_family(self) -> str:
        if self.random.random() < 0.6:
            return self._word(_AYMARA_FAMILY_HEADS, _AYMARA_FAMILY_TAILS)
        return self._word(_UNIFIED_FAMILY_HEADS, _UNIFIED_FAMILY_TAILS)

    def _aymara(self) -> str:
        r = self.random
        given, father, mother = self._word(_AYMARA_HEADS, _AYMARA_TAILS), self._aymara_family(), self._aymara_family()
        if r.random() < 0.25:  # a married woman: her father's name, then `de` and her husband's
            return f"{given} {father} de {mother}"
        return f"{given} {father} {mother}"

    def _karakalpak(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_KARAKALPAK_HEADS, _KARAKALPAK_WOMEN if woman else _KARAKALPAK_MEN)
        father = self._word(_KARAKALPAK_HEADS, _KARAKALPAK_MEN)
        shape = r.random()
        if shape < 0.25:  # the patronymic of the old way: the father's name and son or daughter
            return f"{given} {father} {'qızı' if woman else 'ulı'}"
        family = father + ("ev" if father[-1] in "aeiouıáóú" else "ov") + ("a" if woman else "")
        return squeezed(f"{family} {given}" if shape < 0.65 else f"{given} {family}")

    def _buryat(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_BURYAT_HEADS, _BURYAT_TAILS)
        if r.random() < 0.35:  # two names joined, as Buryat families give them
            given = f"{given}-{self._word(_BURYAT_HEADS, _BURYAT_TAILS)}"
        father = self._word(_BURYAT_HEADS, _BURYAT_TAILS)
        soft = father[-1] in "aeiouy"
        family = father + ("ev" if soft else "ov") + ("a" if woman else "")
        patronymic = father + ("ev" if soft else "ov") + ("na" if woman else "ich")
        return squeezed(f"{family} {given} {patronymic}" if r.random() < 0.6 else f"{given} {family}")

    def _ossetian(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_OSSETIAN_HEADS, _OSSETIAN_WOMEN if woman else _OSSETIAN_MEN)
        stem = self._word(_OSSETIAN_FAMILY_HEADS, _OSSETIAN_FAMILY_TAILS)
        if r.random() < 0.4:  # the Ossetian form: the same for a man and a woman
            family = stem + "ty"
        else:
            family = stem + ("ev" if stem[-1] in "aeio" else "ov") + ("a" if woman else "")
        return squeezed(f"{family} {given}" if r.random() < 0.5 else f"{given} {family}")

    def _occitan(self) -> str:
        r = self.random
        if r.random() < 0.5:
            given = self._word(_OCCITAN_WOMEN_HEADS, _OCCITAN_WOMEN_TAILS)
        else:
            given = self._word(_OCCITAN_MEN_HEADS, _OCCITAN_MEN_TAILS)
        return f"{given} {self._word(_OCCITAN_FAMILY_HEADS, _OCCITAN_FAMILY_TAILS)}"

    def _gilbertese(self) -> str:  # the family name is the father's given name
        return f"{self._word(_GILBERTESE_HEADS, _GILBERTESE_TAILS)} {self._word(_GILBERTESE_HEADS, _GILBERTESE_TAILS)}"

    def _sorbian(self) -> str:
        r = self.random
        woman = r.random() < 0.5
        given = self._word(_SORBIAN_HEADS, _SORBIAN_WOMEN if woman else _SORBIAN_MEN)
        family = self._word(_SORBIAN_FAMILY_HEADS, _SORBIAN_FAMILY_TAILS)
        if woman and r.random() < 0.7:  # a married woman: -owa after a consonant, -ina for a name ending in a vowel
            family = family[:-1] + "ina" if family[-1] in "aeiouy" else family + "owa"
        return f"{given} {family}"

    def titled(self) -> tuple[str, str]:
        """(a title in its language, a person of that tradition): `Tata` and an Aymara name, `Nei` and a
        Gilbertese one, ..."""
        tradition = self.random.choice(sorted(_TITLES))
        title = self.random.choice(_TITLES[tradition])
        return title, self._fresh(getattr(self, f"_{tradition}"))

    def signature(self, name: str) -> str:
        """The name as a hand signs it and a scan reads it: small letters, the first word cut to its initial."""
        words = name.lower().split()
        return f"{words[0][0]}. {' '.join(words[1:])}" if len(words) > 1 else words[0]

    # ------------------------------------------------------------------------ addresses, two lines each

    def bolivia(self) -> tuple[str, str]:  # an El Alto zone, a La Paz avenue, or a community (no digits)
        r = self.random
        shape = r.random()
        if shape < 0.4:
            return f"Zona {r.choice(_EL_ALTO_ZONES)}, Calle {r.randint(1, 40)} Nro. {r.randint(100, 4999)}", "El Alto"
        if shape < 0.7:
            building = self.place_word(_AYMARA_HEADS, _AYMARA_TAILS)
            avenue = f"{r.choice(_LA_PAZ_AVENUES)} Nº {r.randint(100, 2500)}, Edif. {building}"
            return f"{avenue}, Piso {r.randint(1, 9)}", f"{r.choice(_LA_PAZ_ZONES)}, La Paz"
        town, province = r.choice(_ALTIPLANO_PLACES)
        community = self.place_word(_UNIFIED_FAMILY_HEADS, _UNIFIED_FAMILY_TAILS)
        return f"Comunidad {community}, Cantón {town}", f"Provincia {province}, Departamento de La Paz"

    def karakalpakstan(self) -> tuple[str, str]:  # a flat in Nukus, or a village (no digits)
        r = self.random
        if r.random() < 0.55:
            street = f"{r.choice(_NUKUS_STREETS)} kóshesi, {r.randint(1, 90)}-úy, {r.randint(1, 120)}-xonaw"
            return street, f"{r.choice(_NUKUS_CODES)} Nókis qalası"
        village = self.place_word(_KARAKALPAK_HEADS, ("kól", "qala", "aral", "tóbe"))
        return f"{village} awılı", f"{r.choice(_KARAKALPAK_DISTRICTS)} rayonı, Qaraqalpaqstan Respublikası"

    def buryatia(self) -> tuple[str, str]:  # a microdistrict of Ulan-Ude, an ulus (no digits), or a dacha plot
        r = self.random
        shape = r.random()
        if shape < 0.4:
            flat = f"{r.randint(101, 148)} mikrorayon, dom {r.randint(1, 40)}, kvartira {r.randint(1, 150)}"
            return flat, f"g. Ulan-Ude, Respublika Buryatiya, {r.choice(_ULAN_UDE_CODES)}"
        district = f"{r.choice(_BURYAT_DISTRICTS)} rayon"
        if shape < 0.7:
            return f"ulus {self.place_word(_BURYAT_HEADS, ('ngoi', 'shuluut', 'khoto', 'bulag'))}", district
        return f"SNT «{r.choice(_DACHA_NAMES)}», uchastok {r.randint(1, 400)}", f"{district}, 6712{r.randint(10, 60)}"

    def north_ossetia(self) -> tuple[str, str]:  # the postcode first in Vladikavkaz, or a village (no digits)
        r = self.random
        if r.random() < 0.55:
            return f"3620{r.randint(10, 48)}, RSO-Alaniya, g. Vladikavkaz", (
                f"{r.choice(_VLADIKAVKAZ_STREETS)}, {r.randint(1, 99)}-{r.randint(1, 120)}"
            )
        village = self.place_word(("Dzuar", "Gizel", "Khumal", "Nogir", "Tsmi"), ("ikau", "don", "ag", "ti"))
        return f"selo {village}", f"{r.choice(_OSSETIAN_DISTRICTS)} rayon, Respublika Severnaya Osetiya — Alaniya"

    def occitania(self) -> tuple[str, str]:  # a Toulouse street in Occitan, a lieu-dit, or the Val d'Aran
        r = self.random
        shape = r.random()
        if shape < 0.4:
            return (
                f"{r.randint(1, 80)} {r.choice(_TOLOSA_WAYS)} {r.choice(_TOLOSA_NAMES)}",
                f"310{r.randint(0, 9)}0 Tolosa",
            )
        if shape < 0.7:
            code, town = r.choice(_GASCON_TOWNS)
            return f"Lieu-dit Lo {self.place_word(_OCCITAN_FAMILY_HEADS, _OCCITAN_FAMILY_TAILS)}", f"{code} {town}"
        code, town = r.choice(_ARAN_TOWNS)
        return f"Carrèr {r.choice(_ARAN_STREETS)}, {r.randint(1, 60)}", f"{code} {town}, Val d'Aran (Lleida)"

    def kiribati(self) -> tuple[str, str]:  # a village of South Tarawa, or an outer island (no digits)
        r = self.random
        if r.random() < 0.55:
            return f"{r.choice(_TARAWA_VILLAGES)} village", "South Tarawa, Republic of Kiribati"
        village, island = r.choice(_OUTER_ISLANDS)
        return f"{village} village", f"{island}, Gilbert Islands, Kiribati"

    def lusatia(self) -> tuple[str, str]:  # a Sorbian street name, or a village by its house number alone
        r = self.random
        if r.random() < 0.55:
            code, town = r.choice(_LUSATIA_TOWNS)
            return f"{r.choice(_SORBIAN_STREETS)} {r.randint(1, 60)}{r.choice(('', '', 'a', 'b'))}", f"{code} {town}"
        code, village = r.choice(_SORBIAN_VILLAGES)
        return f"{village} {r.randint(1, 90)}", f"{code} {village}, Hornja Łužica"

    # ------------------------------------------------------------------------ numbers and dates

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"+591 2 2{n(10, 99)} {n(1000, 9999)}",  # La Paz and El Alto
            lambda: f"+591 7{n(100, 999)} {n(1000, 9999)}",
            lambda: f"+998 61 2{n(10, 99)} {n(10, 99)} {n(10, 99)}",  # Nukus
            lambda: f"+7 (3012) {n(20, 68)}-{n(10, 99)}-{n(10, 99)}",  # Ulan-Ude
            lambda: f"8 (8672) {n(50, 76)}-{n(10, 99)}-{n(10, 99)}",  # Vladikavkaz
            lambda: f"05 6{n(1, 2)} {n(10, 99)} {n(10, 99)} {n(10, 99)}",  # Toulouse and Gascony
            lambda: f"+34 973 64 {n(10, 99)} {n(10, 99)}",  # the Val d'Aran
            lambda: f"+686 7{n(100, 399)} {n(1000, 9999)}",  # Kiribati
            lambda: f"(03591) {n(100000, 699999)}",  # Bautzen
            lambda: f"+49 (0)35{n(71, 79)} {n(1000, 9999)}-{n(10, 99)}",
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1942, 2006)
        written = {
            "occitan": f"lo {day} de {_OCCITAN_MONTHS[month - 1]} de {year}",
            "sorbian": f"{day}. {_SORBIAN_MONTHS[month - 1]} {year}",
            "karakalpak": f"{year}-jıl {day}-{_KARAKALPAK_MONTHS[month - 1]}",
            "russian": f"{day} {_RUSSIAN_MONTHS[month - 1]} {year} g.",
            "gilbertese": f"{day} {_GILBERTESE_MONTHS[month - 1]} {year}",
            "occitan_words": f"lo {_OCCITAN_DAYS[day - 1]} de {_OCCITAN_MONTHS[month - 1]} de {year}",
        }
        return written[_DATE_FORMS[next(self.date_forms)]], f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        first, last = words[0], words[-1]
        return f"{first}_{last}", f"{first[0]}{last}{self.random.randint(60, 99)}", f"{last}.{first[:3]}"
