"""`held_back_15`: a slice held back from tuning the PII redactor, written 2026-12-03 while `pii-patterns-v15`
is main's detector and another engineer writes v16 without sight of it; committed before anything ran on it.
Nothing has run on it: the lead runs it once after v16 is merged (README "held back, unrun").

Everything in it differs from the earlier slices (tuning to held_back_14). The traditions the brief
suggested (Icelandic, Yoruba, Ethiopian, Malagasy, Samoan, Tongan, Basque, Mongolian, Tamil, Burmese,
Quechua, Inuit, Māori; Japanese, Korean, Brazilian, Kenyan, Icelandic and Mongolian addresses) were all
used by held_back_2 to held_back_13, so others are used here:

- people whose names are built here from parts (no name list: not Faker's, not the detector's) by the rules
  of naming traditions no slice used: Maltese (`ċ`, `ġ`, `ħ`, `ż`, `x`; a `ta'` nickname after the
  surname), Kurdish in Kurmanji's Latin letters (`ê`, `î`, `û`, `ç`, `ş`; given and father's name, or a
  tribal name in `-î`), Northern Sámi (`á`, `č`, `đ`, `ŋ`, `š`, `ŧ`; a family name, or the chain of given,
  father's and grandfather's names), Faroese (`ð`, `ø`; a place name after `í`/`á`/`við`/`undir`, or a
  genitive patronymic `-arson`/`-ardóttir`), Shona (a verb phrase: `Ta-`/`Tino-`/`Ru-` + stem), Dinka
  (`Ma-` for a son, `A-`/`Nya-` for a daughter, before a father's and grandfather's names) and Mapuche
  (Mapudungun compounds, two family names); any name with a word of the detector's first-name gazetteer
  is built again;
- dates of birth in forms no slice used: Maltese (`12 ta' Marzu 1987`), Kurmanji, Northern Sámi, Shona and
  Lithuanian (`1987 m. kovo 12 d.`) month names, and digits written one to a form box (`|1|2|0|3|...`),
  after labels in Maltese, Kurmanji, Northern Sámi, Faroese, Shona and Urdu (transliterated);
- addresses in national shapes no slice used: Maltese house names and `Triq` with a three-letter postcode,
  Iraqi Kurdistan `Mahalla`/`Zuqaq`/`Dar`, Islamabad sectors (`G-9/3`), Zimbabwean stands, Juba plots and
  blocks by `Hai` and payam, Araucanía (Chile) rural communities by kilometre and urban numbers with a
  leading zero (`0345`), and Faroese three-digit postcodes; phones as Malta, Iraq, Pakistan, Zimbabwe,
  South Sudan, Chile and the Faroe Islands write them at home;
- numbers: JCB, Discover, Diners Club (14 digits) and Mir cards (Luhn-valid), IBANs with the bank in
  letters (Malta, its account part letters and digits; Pakistan; Iraq), identity numbers under labels no
  slice used (Chilean RUT, Norwegian fødselsnummer, Zimbabwean ID, Indian Aadhaar, Pakistani CNIC, Maltese
  ID card: pii_sets_held_back_15_numbers), counted as `ssn`, one of them in running text with no label at
  all, and IPv6 as well as IPv4 addresses;
- OCR damage of kinds no slice used: `i` read as `j`, `b` as `6`, `E` as `F`, `G` as `6`, `Z` as `2`, `f`
  as `t`, an unreadable letter read as `?`, and a name glued to what stands in the next column;
- templates no slice used: fishing licence applications, birth registrations (two pages), passenger
  manifests set as a table, tax returns, powers of attorney and scholarship applications;
- speech: card, address, e-mail, SSN, name and phone, values from the same generator, said by six espeak-ng
  voice and variant pairs no slice used, at rates no slice used;
- real documents without personal data: manual pages of `required` packages no slice used, set by groff
  into born-digital PDFs (mm_assets/operations/man_pages.py): apt.conf(5), sources.list(5), mke2fs(8) and
  tune2fs(8).
"""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Manual, Planted
from mm_assets.operations.pii_sets_built_names import BuiltNames, Pages, replace_one, spoken_in_turn, undated
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed
from mm_assets.operations.pii_sets_held_back_15_numbers import (
    aadhaar_number,
    bank_account,
    chilean_rut,
    ip_address,
    maltese_identity_card,
    norwegian_birth_number,
    pakistani_cnic,
    payment_card,
    zimbabwe_national_id,
)

SEED = 15_151
MANUALS: tuple[Manual, ...] = (
    ("apt", "/usr/share/man/man5/apt.conf.5.gz"),
    ("apt", "/usr/share/man/man5/sources.list.5.gz"),
    ("e2fsprogs", "/usr/share/man/man8/mke2fs.8.gz"),
    ("e2fsprogs", "/usr/share/man/man8/tune2fs.8.gz"),
)
TRADITIONS = ("maltese", "kurdish", "sami", "faroese", "shona", "dinka", "mapuche")
# (espeak-ng voice and variant, words per minute): pairs and rates no earlier slice used
VOICES = (("en-us+Lee", 107), ("en-gb+pablo", 167), ("en-029+Andrea", 121), ("en-gb-scotland+Diogo", 143),
          ("en-us-nyc+marcelo", 197), ("en-gb-x-gbcwmd+Gene", 117))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")

# ---------------------------------------------------------------------------- parts of each tradition's names

_MALTESE_GIVEN_HEADS = ("Ġuż", "Ċens", "Ħel", "Ġorġ", "Żak", "Ċikk", "Ġann", "Tereż", "Kalċ", "Rożar", "Ċelest",
                        "Wenz", "Ġerit", "Spir")  # fmt: skip
_MALTESE_GIVEN_TAILS = ("eppi", "u", "ina", "ett", "ju", "ika", "ar", "in", "ell", "a")
_MALTESE_FAMILY_HEADS = ("Xuer", "Ħab", "Mizz", "Żamm", "Ċass", "Grex", "Farr", "Buħaġ", "Sċikl", "Aġius", "Debon",
                         "Xerr", "Ħil", "Vell", "Żerafa", "Ċaru")  # fmt: skip
_MALTESE_FAMILY_TAILS = ("eb", "ejn", "i", "it", "ar", "ugia", "una", "ieri", "iar", "ana")
_KURDISH_HEADS = ("Rê", "Hê", "Ber", "Aza", "Şêr", "Dil", "Ro", "Jîn", "Çiya", "Bêr", "Nêç", "Xwe", "Sî", "Kaw",
                  "Zîn", "Bawe")  # fmt: skip
_KURDISH_TAILS = ("baz", "vî", "van", "şêr", "nas", "dar", "man", "gîn", "wan", "zad", "bûn", "xwaz", "rûn", "jwan")
_KURDISH_TRIBES = ("Barz", "Hekar", "Botan", "Mizûr", "Zêbar", "Goyan", "Ertûş", "Dosk", "Hevêrk", "Pînyan")
_SAMI_GIVEN_HEADS = ("Máh", "Ánd", "Ovll", "Bir", "Iŋg", "Sárr", "Áil", "Niil", "Jovd", "Elle", "Risŧ", "Čáh",
                     "Biehtt", "Sunn", "Mággá")  # fmt: skip
_SAMI_GIVEN_TAILS = ("á", "et", "te", "ke", "o", "ku", "ár", "en", "ná", "ŋá")
_SAMI_FAMILY_HEADS = ("Hæt", "Sár", "Eir", "Som", "Uts", "Gau", "Buolj", "Guov", "Biŋ", "Mienn", "Áŋŋ", "Juš",
                      "Ođ", "Vuol", "Čuovž")  # fmt: skip
_SAMI_FAMILY_TAILS = ("ta", "by", "i", "ga", "o", "sa", "ti", "đa", "ke")
_FAROESE_HEADS = ("Sjúr", "Jógv", "Heð", "Rógv", "Guð", "Bár", "Tur", "Eyð", "Sigm", "Brand", "Høgn", "Ragn",
                  "Torf", "Súsann")  # fmt: skip
_FAROESE_TAILS = ("ður", "an", "in", "un", "ið", "vør", "fríð", "ur", "ni", "rikur")
# Faroese family names taken from where a family lived: a preposition and the place in its case
_FAROESE_PLACES = (("í", "Garði"), ("á", "Lakjuni"), ("við", "Á"), ("undir", "Heyggi"), ("á", "Steig"),
                   ("í", "Bø"), ("í", "Trøð"), ("á", "Geilini"), ("við", "Gjógv"), ("undir", "Brekkuni"),
                   ("í", "Túni"), ("á", "Ryggi"))  # fmt: skip
_SHONA_GIVEN_PREFIXES = ("Ta", "Tino", "Tina", "Ru", "Kuda", "Nya")  # we, we will, we have, (noun), love, (noun)
_SHONA_STEMS = ("tend", "piw", "fadzw", "rumbidz", "kudz", "nyar", "vimb", "komborer", "shingirir", "nemb",
                "dzidz", "ropafadz")  # fmt: skip
_SHONA_ENDINGS = ("a", "o", "ai", "wa", "she")
_SHONA_FAMILY_PREFIXES = ("Mu", "Chi", "Ma", "Nya", "Zvi", "Mha")
_SHONA_FAMILY_STEMS = ("tas", "kor", "kon", "ng", "rer", "vhim", "dzik", "tamb", "gwer", "pfum", "sek", "zvin")
_DINKA_ROOTS = ("jok", "bior", "kuei", "lual", "yen", "char", "ker", "ding", "rial", "ngar", "thon", "gok", "dit",
                "bol", "nhial", "thiik", "deng", "kuol")  # fmt: skip
_MAPUCHE_HEADS = ("Antu", "Calfu", "Milla", "Ñancu", "Pillan", "Lican", "Huenchu", "Lefi", "Cura", "Paine",
                  "Nahuel", "Catri", "Pichi", "Quila", "Lemu")  # fmt: skip
_MAPUCHE_TAILS = ("leo", "mil", "queo", "pan", "manque", "pil", "ray", "co", "mal", "huala", "lef", "ñir")

# places and their codes: real ones (the addresses around them are made up)
_MALTA = (("Ħal Qormi", "QRM"), ("Birkirkara", "BKR"), ("Ħaż-Żabbar", "ZBR"), ("Ir-Rabat", "RBT"),
          ("Tas-Sliema", "SLM"), ("Il-Belt Victoria, Għawdex", "VCT"), ("Ħaż-Żebbuġ", "ZBG"))  # fmt: skip
_KURDISTAN = (("Ainkawa", "Erbil", "44001"), ("Azadi", "Erbil", "44001"), ("Bakhtiari", "Sulaymaniyah", "46001"),
              ("Shorsh", "Duhok", "42001"))  # fmt: skip
_ISLAMABAD_SECTORS = ("F-7/2", "G-9/3", "I-8/4", "E-11/2", "G-11/1", "F-10/4", "G-6/1")
_ZIMBABWE = (("Glen View 3", "Harare"), ("Mkoba 14", "Gweru"), ("Sakubva", "Mutare"), ("Nkulumane", "Bulawayo"),
             ("Unit L", "Chitungwiza"))  # fmt: skip
_JUBA = (("Hai Malakal", "Juba"), ("Hai Jalaba", "Juba"), ("Munuki Block B", "Munuki"), ("Gudele 2", "Northern Bari"),
         ("Hai Amarat", "Juba"), ("Lologo", "Rejaf"))  # fmt: skip
_ARAUCANIA = (("Temuco", "4780000"), ("Padre Las Casas", "4850000"), ("Nueva Imperial", "4830000"),
              ("Cholchol", "4790000"))  # fmt: skip
_ARAUCANIA_ROADS = (("Temuco", "Cholchol"), ("Nueva Imperial", "Carahue"), ("Padre Las Casas", "Huichahue"))
_FAROE = (("100", "Tórshavn"), ("410", "Kollafjørður"), ("700", "Klaksvík"), ("800", "Tvøroyri"), ("470", "Eiði"),
          ("360", "Sandavágur"))  # fmt: skip

_MALTESE_MONTHS = ("Jannar", "Frar", "Marzu", "April", "Mejju", "Ġunju", "Lulju", "Awwissu", "Settembru", "Ottubru",
                   "Novembru", "Diċembru")  # fmt: skip
_KURMANJI_MONTHS = ("Rêbendan", "Reşemî", "Adar", "Avrêl", "Gulan", "Pûşper", "Tîrmeh", "Gelawêj", "Rezber",
                    "Kewçêr", "Sermawez", "Berfanbar")  # fmt: skip
_SAMI_MONTHS = ("ođđajagemánu", "guovvamánu", "njukčamánu", "cuoŋománu", "miessemánu", "geassemánu",
                "suoidnemánu", "borgemánu", "čakčamánu", "golggotmánu", "skábmamánu", "juovlamánu")  # fmt: skip
_SHONA_MONTHS = ("Ndira", "Kukadzi", "Kurume", "Kubvumbi", "Chivabvu", "Chikumi", "Chikunguru", "Nyamavhuvhu",
                 "Gunyana", "Gumiguru", "Mbudzi", "Zvita")  # fmt: skip
_LITHUANIAN_MONTHS = (
    "sausio",
    "vasario",
    "kovo",
    "balandžio",
    "gegužės",
    "birželio",
    "liepos",
    "rugpjūčio",
    "rugsėjo",
    "spalio",
    "lapkričio",
    "gruodžio",
)  # fmt: skip (genitive, as dates write them)
# `date of birth` in the languages of this slice's forms
BIRTH_LABELS = ("Data tat-twelid", "Roja jidayikbûnê", "Riegádanbeaivi", "Føðingardagur", "Zuva rekuberekwa",
                "Tareekh-e-paidaish")  # fmt: skip
# letters NFD does not take apart, as people write them in an e-mail address
_EMAIL_LETTERS = str.maketrans({"ŋ": "n", "đ": "d", "ŧ": "t", "ð": "d", "ħ": "h", "ø": "o", "æ": "ae", "ı": "i"})
_NOT_IN_EMAILS = ("ta", "vid", "undir", "nya")
EMAIL_DOMAINS = ("go.net.mt", "melita.com", "ptcl.net.pk", "zol.co.zw", "vtr.net", "olivant.fo", "korek.com",
                 "yahoo.co.uk")  # fmt: skip
_OCR_SWAPS = (("i", "j"), ("b", "6"), ("E", "F"), ("G", "6"), ("Z", "2"), ("f", "t"))


def ocr_damaged(text: str, rng: random.Random) -> str:
    """The text as a poor scan reads it, by damage no earlier slice used: `i` as `j`, `b` as `6`, `E` as `F`,
    `G` as `6`, `Z` as `2`, `f` as `t`, or a letter the engine could not read as `?`."""
    swaps = [(old, new) for old, new in _OCR_SWAPS if old in text]
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    kind = rng.choice([*swaps, "unreadable"])
    if kind == "unreadable":
        at = rng.choice(letters)
        return text[:at] + "?" + text[at + 1 :]
    return replace_one(text, *kind, rng)


class HeldBack15Values(BuiltNames):
    """People, addresses and numbers of held_back_15 (no Faker, no name list: every value is built here)."""

    SEED = SEED
    TRADITIONS = TRADITIONS
    BIRTH_LABELS = BIRTH_LABELS
    ADDRESS_SHAPES = ("malta", "kurdistan", "islamabad", "zimbabwe", "juba", "araucania", "faroe")
    IDENTITY_NUMBERS = (
        undated(chilean_rut),
        norwegian_birth_number,
        undated(zimbabwe_national_id),
        undated(aadhaar_number),
        undated(pakistani_cnic),
        undated(maltese_identity_card),
    )
    EMAIL_DOMAINS = EMAIL_DOMAINS
    EMAIL_LETTERS = _EMAIL_LETTERS
    NOT_IN_EMAILS = _NOT_IN_EMAILS
    damage = staticmethod(ocr_damaged)
    make_card = staticmethod(payment_card)
    make_iban = staticmethod(bank_account)
    make_ip = staticmethod(ip_address)

    def _maltese(self) -> str:
        given = self._word(_MALTESE_GIVEN_HEADS, _MALTESE_GIVEN_TAILS)
        family = self._word(_MALTESE_FAMILY_HEADS, _MALTESE_FAMILY_TAILS)
        if self.random.random() < 0.25:  # a `laqam`: the family's nickname, `of` someone
            return f"{given} {family} ta' {self._word(_MALTESE_GIVEN_HEADS, _MALTESE_GIVEN_TAILS)}"
        return f"{given} {family}"

    def _kurdish(self) -> str:
        given = self._word(_KURDISH_HEADS, _KURDISH_TAILS)
        if self.random.random() < 0.6:  # the father's given name as the second name
            return f"{given} {self._word(_KURDISH_HEADS, _KURDISH_TAILS)}"
        return f"{given} {self.random.choice(_KURDISH_TRIBES)}î"  # a tribal or home name in `-î`

    def _sami(self) -> str:
        def given() -> str:
            return self._word(_SAMI_GIVEN_HEADS, _SAMI_GIVEN_TAILS)

        if self.random.random() < 0.4:  # known by the chain: own, father's and grandfather's given names
            return f"{given()} {given()} {given()}"
        return f"{given()} {self._word(_SAMI_FAMILY_HEADS, _SAMI_FAMILY_TAILS)}"

    def _faroese(self) -> str:
        given = self._word(_FAROESE_HEADS, _FAROESE_TAILS)
        if self.random.random() < 0.6:
            particle, place = self.random.choice(_FAROESE_PLACES)
            return f"{given} {particle} {place}"
        father = self._word(_FAROESE_HEADS, _FAROESE_TAILS)
        genitive = father[:-2] + "ar" if father.endswith("ur") else father + "s"  # Sjúrður's: Sjúrðar
        return f"{given} {genitive}{self.random.choice(('son', 'dóttir'))}"

    def _shona(self) -> str:
        r = self.random
        given = r.choice(_SHONA_GIVEN_PREFIXES) + r.choice(_SHONA_STEMS) + r.choice(_SHONA_ENDINGS)
        family = r.choice(_SHONA_FAMILY_PREFIXES) + r.choice(_SHONA_FAMILY_STEMS) + r.choice("aeio")
        return f"{given} {family}"

    def _dinka(self) -> str:
        r = self.random
        given = r.choice(("Ma", "A", "Nya")) + r.choice(_DINKA_ROOTS)  # a son's `Ma-`, a daughter's `A-`/`Nya-`

        def elder() -> str:  # a man's name: `Ma-` and a root, or the root alone
            root = r.choice(_DINKA_ROOTS)
            return "Ma" + root if r.random() < 0.5 else root.capitalize()

        return " ".join([given, elder(), *([elder()] if r.random() < 0.4 else [])])

    def _mapuche(self) -> str:
        def compound() -> str:
            return self._word(_MAPUCHE_HEADS, _MAPUCHE_TAILS)

        return f"{compound()} {compound()} {compound()}"  # given name, father's and mother's family names

    # ------------------------------------------------------------------------ addresses, two lines each

    def malta(self) -> tuple[str, str]:  # a house name or flat, `Triq` (street); locality, letters and digits
        r = self.random
        locality, code = r.choice(_MALTA)
        name = self.place_word(_MALTESE_FAMILY_HEADS, _MALTESE_FAMILY_TAILS)
        street = f"Triq {r.choice(('San ', 'Santa ', 'il-', 'tal-'))}{name}"  # the article joins its noun
        house = r.choice(
            (f"'Dar {self.place_word(_MALTESE_GIVEN_HEADS, _MALTESE_GIVEN_TAILS)}'", f"Flat {r.randint(1, 12)}",
             str(r.randint(1, 180)))
        )  # fmt: skip
        return f"{house}, {street}", f"{locality} {code} {r.randint(1000, 9999)}"

    def kurdistan(self) -> tuple[str, str]:  # quarter (mahalla), alley (zuqaq) and house (dar) numbers
        r = self.random
        quarter, city, code = r.choice(_KURDISTAN)
        return f"Mahalla {r.randint(100, 999)}, Zuqaq {r.randint(1, 60)}, Dar {r.randint(1, 90)}", (
            f"{quarter}, {city} {code}, Kurdistan Region, Iraq"
        )

    def islamabad(self) -> tuple[str, str]:  # house, street and sector
        r = self.random
        return f"House No. {r.randint(1, 900)}, Street {r.randint(1, 90)}, {r.choice(_ISLAMABAD_SECTORS)}", (
            "Islamabad 44000" if r.random() < 0.5 else "Islamabad Capital Territory"
        )

    def zimbabwe(self) -> tuple[str, str]:  # a stand number in a high-density suburb, or a house on a road
        r = self.random
        suburb, city = r.choice(_ZIMBABWE)
        road = self.place_word(_SHONA_FAMILY_PREFIXES, tuple(s + "a" for s in _SHONA_FAMILY_STEMS))
        first = f"Stand No. {r.randint(100, 9999)}" if r.random() < 0.5 else f"{r.randint(1, 99)} {road} Road"
        return first, f"{suburb}, {city}"

    def juba(self) -> tuple[str, str]:  # plot and block in a `Hai` (quarter); the payam (district)
        r = self.random
        quarter, payam = r.choice(_JUBA)
        return f"Plot {r.randint(1, 400)}, Block {r.choice('ABCDEFGHK')}{r.randint(1, 20)}, {quarter}", (
            f"{payam} Payam, Juba County"
        )

    def araucania(self) -> tuple[str, str]:  # a rural community by kilometre, or a number with a leading zero
        r = self.random
        commune, code = r.choice(_ARAUCANIA)
        if r.random() < 0.5:
            start, end = r.choice(_ARAUCANIA_ROADS)
            community = self.place_word(_MAPUCHE_HEADS, _MAPUCHE_TAILS)
            return f"Comunidad {community}, km {r.randint(3, 40)} camino {start} a {end}", f"{code} {commune}"
        street = self.place_word(_MAPUCHE_HEADS, _MAPUCHE_TAILS)
        return f"Pasaje {street} 0{r.randint(100, 999)}, Villa {r.choice(('Los Ríos', 'El Bosque', 'Amanecer'))}", (
            f"{commune}, Región de La Araucanía"
        )

    def faroe(self) -> tuple[str, str]:  # street and number, three-digit postcode and town
        r = self.random
        code, town = r.choice(_FAROE)
        street = self.place_word(_FAROESE_HEADS, ("ar", "s", "a")) + r.choice(("gøta", "vegur", "brekka"))
        return f"{street} {r.randint(1, 60)}", f"{code} {town}, Føroyar"

    # ------------------------------------------------------------------------ numbers

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"+356 {r.choice((79, 99, 77))}{n(10, 99)} {n(1000, 9999)}",  # Malta
            lambda: f"2{r.choice((1, 7))}{n(10, 99)} {n(1000, 9999)}",
            lambda: f"0{r.choice((750, 751, 770))} {n(100, 999)} {n(1000, 9999)}",  # Iraq (Kurdistan)
            lambda: f"+964 {r.choice((750, 770, 780))} {n(100, 999)} {n(1000, 9999)}",
            lambda: f"03{n(0, 4)}{n(0, 9)}-{n(1000000, 9999999)}",  # Pakistan
            lambda: f"+263 {r.choice((77, 78, 71))} {n(100, 999)} {n(1000, 9999)}",  # Zimbabwe
            lambda: f"+211 9{r.choice((1, 2, 5))} {n(100, 999)} {n(1000, 9999)}",  # South Sudan
            lambda: f"+56 9 {n(5000, 9999)} {n(1000, 9999)}",  # Chile
            lambda: f"+298 {n(200000, 599999)}",  # Faroe Islands
        )
        return r.choice(layouts)()

    def date_of_birth(self) -> tuple[str, str]:
        """The date as written, and YYYYMMDD (for identity numbers that carry it)."""
        r = self.random
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2008)
        boxes = "".join(f"|{c}" for c in f"{day:02d}{month:02d}{year}") + "|"  # one digit to a box
        written = r.choice(
            (
                f"{day} ta' {_MALTESE_MONTHS[month - 1]} {year}",
                f"{day} {_KURMANJI_MONTHS[month - 1]} {year}",
                f"{day}. {_SAMI_MONTHS[month - 1]} {year}",
                f"{day} {_SHONA_MONTHS[month - 1]} {year}",
                f"{year} m. {_LITHUANIAN_MONTHS[month - 1]} {day} d.",
                boxes,
            )
        )
        return written, f"{year}{month:02d}{day:02d}"

    def email_locals(self, words: list[str]) -> tuple[str, ...]:
        return "_".join(words[:2]), words[0] + words[-1][0], f"{words[-1]}.{self.random.randint(10, 99)}"


def _fishing_licence_application(v: HeldBack15Values) -> Pages:
    applicant, skipper = v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity, phone, card, email = v.identity_number(born), v.phone(), v.card(), v.email(applicant)
    street, place = v.address_lines()
    lines = [
        f"APPLICATION FOR A RECREATIONAL FISHING LICENCE   Ref. FL/{v.random.randint(1000, 9999)}/26",
        f"Applicant: {applicant}",
        f"{v.birth_label()} / Date of birth: {dob}   Identity document: {identity}",
        f"Address: {street}",
        place,
        f"Mobile: {phone}   E-mail: {email}",
        f"Vessel: MFB 'Ħuta' (LOA 6.2 m)   Skipper: {skipper}",
        f"Fee of 35.00 paid by card {card}",
        "Waters: coastal zone only   Gear: rod and line, max. 3 hooks",
    ]
    planted = [Planted("person", applicant), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    return [lines], [*planted, Planted("email", email), Planted("person", skipper), Planted("card", card)]


def _birth_registration(v: HeldBack15Values) -> Pages:
    child, mother, father = v.person(), v.person(), v.person()
    informant = v.maybe_damaged(v.person())
    born, _born_digits = v.date_of_birth()
    mother_dob, mother_born = v.date_of_birth()
    mother_id, phone = v.identity_number(mother_born), v.phone()
    street, place = v.address_lines()
    first_page = [
        f"REGISTRATION OF A BIRTH   Entry No. {v.random.randint(100, 999)}/{v.random.randint(2000, 2026)}",
        f"Name of the child: {child}   Sex: {v.random.choice(('F', 'M'))}",
        f"Born on: {born}   Place of birth: District Hospital",
        f"Mother: {mother}   {v.birth_label()}: {mother_dob}",
        f"Mother's identity number: {mother_id}",
        f"Father: {father}",
        f"Usual residence of the parents: {street}, {place}",
    ]
    second_page = [
        f"Informant: {informant}, present at the birth   Tel. {phone}",
        "I certify that the particulars above are true to the best of my knowledge.",
        f"Registered at the District Registry, {v.random.randint(2, 28)}.{v.random.randint(1, 12):02d}.2026",
    ]
    planted = [Planted("person", child), Planted("dob", born), Planted("person", mother), Planted("dob", mother_dob)]
    planted += [Planted("ssn", mother_id), Planted("person", father), Planted("address", street)]
    planted += [Planted("address", place), Planted("person", informant, 2)]
    return [first_page, second_page], [*planted, Planted("phone", phone, 2)]


def _passenger_manifest(v: HeldBack15Values) -> Pages:
    """A ferry's manifest as a table; a lost column gap glues one passenger's name to the date beside it."""
    contact = v.person()
    street, place = v.address_lines()
    lines = [
        f"PASSENGER MANIFEST   Vessel MV Gozo Star   Voyage {v.random.randint(100, 999)}   Departure 06:45",
        "No.  Passenger                      Date of birth        Document",
    ]
    planted = []
    for number in range(1, 3):
        passenger, (dob, born) = v.person(), v.date_of_birth()
        document = v.identity_number(born)
        glued = number == 2
        passenger = passenger.upper() if glued else passenger
        gap = "" if glued else "   "
        lines.append(f"{number:>2}.  {passenger}{gap}{dob}   {document}")
        planted += [Planted("person", passenger), Planted("dob", dob), Planted("ssn", document)]
    lines += [f"Emergency contact ashore: {contact}, {street}, {place}", "Master: signed"]
    return [lines], [*planted, Planted("person", contact), Planted("address", street), Planted("address", place)]


def _tax_return(v: HeldBack15Values) -> Pages:
    taxpayer, preparer = v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity, phone, email = v.identity_number(born), v.phone(), v.email(taxpayer)
    account, ip = v.iban(), v.ip_address()
    street, place = v.address_lines()
    lines = [
        "INDIVIDUAL INCOME TAX RETURN   Year of assessment 2026",
        f"Taxpayer: {taxpayer}   Taxpayer number: {identity}",
        f"{v.birth_label()}: {dob}",
        f"Address for correspondence: {street}",
        place,
        f"Telephone: {phone}   E-mail: {email}",
        f"Gross employment income 21,480.00   Tax withheld 3,912.00   Refund due 418.00 to {account}",
        f"Prepared by: {preparer}, tax agent",
        f"Filed electronically from {ip}",
    ]
    planted = [Planted("person", taxpayer), Planted("ssn", identity), Planted("dob", dob)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    planted += [Planted("email", email), Planted("iban", account), Planted("person", preparer)]
    return [lines], [*planted, Planted("ip", ip)]


def _power_of_attorney(v: HeldBack15Values) -> Pages:
    """The grantor's identity number stands in the sentence with no label; the signature column is read
    into the witness's label (`NameWitness:`), the way OCR joins two columns."""
    grantor, attorney, witness = v.person(), v.person(), v.person()
    _dob, born = v.date_of_birth()
    identity, phone = v.identity_number(born), v.phone()
    street, place = v.address_lines()
    attorney_street, attorney_place = v.address_lines()
    lines = [
        "GENERAL POWER OF ATTORNEY",
        f"I, {grantor}, {identity}, residing at {street}, {place},",
        f"hereby appoint {attorney} of {attorney_street}, {attorney_place},",
        "to act for me in all matters concerning my property and my accounts, until revoked in writing.",
        f"I can be reached on {phone} to confirm this instrument.",
        f"Signed: {grantor}Witness: {witness}",
    ]
    planted = [Planted("person", grantor), Planted("ssn", identity), Planted("address", street)]
    planted += [Planted("address", place), Planted("person", attorney), Planted("address", attorney_street)]
    planted += [Planted("address", attorney_place), Planted("phone", phone)]
    return [lines], [*planted, Planted("person", witness)]


def _scholarship_application(v: HeldBack15Values) -> Pages:
    student, guardian, referee = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, _born = v.date_of_birth()
    email, phone, account = v.email(student), v.phone(), v.iban()
    street, place = v.address_lines()
    lines = [
        f"SCHOLARSHIP APPLICATION   Programme: Marine Sciences   Round {v.random.randint(1, 3)}/2027",
        f"Student: {student}",
        f"{v.birth_label()}: {dob}",
        f"Home address: {street}, {place}",
        f"E-mail: {email}   Phone: {phone}",
        f"Parent or guardian: {guardian}",
        f"Account for the stipend: {account}",
        f"Academic referee: {referee}",
    ]
    planted = [Planted("person", student), Planted("dob", dob), Planted("address", street)]
    planted += [Planted("address", place), Planted("email", email), Planted("phone", phone)]
    planted += [Planted("person", guardian), Planted("iban", account)]
    return [lines], [*planted, Planted("person", referee)]


TEMPLATES = (
    _fishing_licence_application,
    _birth_registration,
    _passenger_manifest,
    _tax_return,
    _power_of_attorney,
    _scholarship_application,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "36")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack15Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(lambda: values._shona() if rng.random() < 0.5 else values._mapuche())
    suburb, city = rng.choice(_ZIMBABWE[:4])  # `Unit L` would be said as a letter
    ssn = f"{rng.randint(100, 665)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"0300 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    local = "".join(c for c in unicodedata.normalize("NFD", person.split()[-1].lower()) if c.isascii())
    sentences = {
        "card": f"The fee can go on my card, that's {digit_words(spoken_card())}.",
        "address": f"We live at stand number {number_words(rng.randint(100, 999))}, {suburb.lower()}, {city}.",
        "email": f"My address is {local} underscore {number_words(rng.randint(2, 40))} at zol dot co dot zw.",
        "ssn": f"For the tax office, my social security number is {digit_words(ssn)}.",
        "person": f"Hello, my name is {person}, I applied for the scholarship.",
        "phone": f"My mobile number is {digit_words(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()
