"""`held_back_21`'s places: addresses of two lines each, in the conventions of Galicia, Corsica, Tahiti, the Nahua
villages of Puebla and Mexico City, Cornwall, Yogyakarta and Macau (about half of them without a digit), and the
phones of those places as they are written at home. Real towns, regions and codes; the streets, houses and
villages are made up, some from the same parts as the slice's names (pii_sets_held_back_21)."""

from __future__ import annotations

import random
from collections.abc import Callable

_GALICIAN_TOWNS = (("15705", "Santiago de Compostela"), ("27001", "Lugo"), ("32003", "Ourense"), ("36202", "Vigo"),
                   ("15001", "A Coruña"), ("27850", "Viveiro"))  # fmt: skip
_GALICIAN_STREETS = (
    "Rúa do Franco",
    "Rúa da Raíña",
    "Rúa Nova",
    "Rúa do Vilar",
    "Avenida da Mariña",
    "Praza do Toural",
)
_GALICIAN_FLOORS = ("1.º dta.", "2.º esq.", "3.º A", "baixo", "4.º B")
_CONCELLOS = (("Lalín", "Pontevedra"), ("Ortigueira", "A Coruña"), ("Mondoñedo", "Lugo"), ("Allariz", "Ourense"),
              ("Muros", "A Coruña"), ("A Estrada", "Pontevedra"))  # fmt: skip
_PARISH_SAINTS = ("San Xoán", "Santa Mariña", "San Martiño", "Santiago", "Santa Baia", "San Pedro")
_CORSICAN_TOWNS = (("20000", "Aiacciu"), ("20200", "Bastia"), ("20250", "Corti"), ("20137", "Portivechju"),
                   ("20260", "Calvi"))  # fmt: skip
_CORSICAN_STREETS = ("Carrughju Drittu", "Carrughju di a Madonna", "Carrughju San Ghjuvanni", "Piazza di u Mercatu",
                     "Stretta di i Pescadori", "Cursu Paoli")  # fmt: skip
_CORSICAN_VILLAGES = (("20225", "Pigna"), ("20218", "Moltifau"), ("20148", "Cozzano"), ("20244", "Carticasi"),
                      ("20122", "Quenza"))  # fmt: skip
_TAHITI_COMMUNES = (("98718", "Punaauia"), ("98702", "Faaʻa"), ("98711", "Paea"), ("98709", "Mahina"))
_PAPEETE_QUARTERS = ("Tipaerui", "Mamao", "Fariipiti", "Titioro", "Paofai")
_ISLAND_VILLAGES = (("Haapiti", "Moʻorea"), ("Tiputa", "Rangiroa, Tuamotu"), ("Fare", "Huahine"),
                    ("Vaitape", "Bora Bora"), ("Taiohae", "Nuku Hiva, Marquises"))  # fmt: skip
_NAHUA_VILLAGES = (("San Miguel Tzinacapan", "Cuetzalan del Progreso, Pue."), ("Xiloxochico", "Cuetzalan del "
                   "Progreso, Pue."), ("Santa Ana Tlacotenco", "Milpa Alta, CDMX"), ("Xochitlán", "Xochitlán de "
                   "Vicente Suárez, Pue."), ("Tlacuilotepec", "Huauchinango, Pue."))  # fmt: skip
_MILPA_ALTA_PARAJES = ("Paraje Tepetlixpa", "Paraje Tlatempa", "Paraje Ocotitla", "Paraje Xaltepec")
_CORNISH_TOWNS = (("TR18", "Penzance"), ("TR26", "St Ives"), ("TR15", "Redruth"), ("TR1", "Truro"),
                  ("PL31", "Bodmin"), ("TR13", "Helston"))  # fmt: skip
_CORNISH_HOUSE_WORDS = ("an Mor", "an Gwel", "an Growyn", "Venton", "an Dowr", "Carn", "an Hal")
_CORNISH_PARISHES = ("St Buryan", "Zennor", "Madron", "St Hilary", "Gwennap", "Lanlivery", "Constantine")
_CORNISH_STREETS = ("Fore Street", "Chapel Street", "Causewayhead", "Trelawney Road", "Market Jew Street")
_YOGYA_KAMPUNGS = (("Prawirotaman", "MG", "Mergangsan"), ("Kotabaru", "GK", "Gondokusuman"),
                   ("Ngasem", "KP", "Kraton"), ("Suryodiningratan", "MJ", "Mantrijeron"),
                   ("Brontokusuman", "MG", "Mergangsan"))  # fmt: skip
_YOGYA_CODES = ("55143", "55224", "55133", "55141", "55153")
_ROMAN = ("I", "II", "IV", "V", "VI", "VII", "IX")  # the RW of a kampung (III left out: no letter thrice)
_KAPANEWON = (("Ngaglik", "Sleman"), ("Pakem", "Sleman"), ("Sewon", "Bantul"), ("Imogiri", "Bantul"),
              ("Playen", "Gunungkidul"), ("Sentolo", "Kulon Progo"))  # fmt: skip
_MACAU_STREETS = ("Rua do Campo", "Avenida de Horta e Costa", "Rua da Praia Grande", "Estrada do Repouso",
                  "Rua de Tomás Vieira", "Rua dos Mercadores", "Rua de Bragança")  # fmt: skip
_MACAU_BUILDING_WORDS = ("Kam", "Fai", "Hoi", "Wa", "Keng", "Fu", "Lok", "Un", "Tai", "Kuong")
_MACAU_PLACES = ("Macau", "Taipa, Macau", "Coloane, Macau")
_MACAU_LANES = ("Travessa do Pagode", "Beco da Prosperidade", "Pátio do Espinho", "Travessa da Paixão")


class PlacesOfHeldBack21:
    """Address shapes (each writes two lines) and phones of held_back_21; mixed into its value builder."""

    random: random.Random
    place_word: Callable[[tuple[str, ...], tuple[str, ...]], str]

    def galicia(self) -> tuple[str, str]:  # a street with a floor, or a village by its parish (no digits)
        r = self.random
        if r.random() < 0.45:
            code, town = r.choice(_GALICIAN_TOWNS)
            return f"{r.choice(_GALICIAN_STREETS)}, {r.randint(1, 90)}, {r.choice(_GALICIAN_FLOORS)}", f"{code} {town}"
        village = self.place_word(("Out", "Cast", "Vil", "Carb", "Sout", "Barr"), ("eiro", "ariño", "ido", "elo"))
        concello, province = r.choice(_CONCELLOS)
        parish_place = self.place_word(("Sab", "Lou", "Cer", "Bor"), ("ugueira", "reiro", "dedo", "ela"))
        parish = f"{r.choice(_PARISH_SAINTS)} de {parish_place}"
        return f"Lugar de {village}, s/n", f"{parish}, Concello de {concello} ({province})"

    def corsica(self) -> tuple[str, str]:  # a carrughju in a town, or a hamlet (no digits)
        r = self.random
        if r.random() < 0.5:
            code, town = r.choice(_CORSICAN_TOWNS)
            return f"{r.randint(1, 40)}, {r.choice(_CORSICAN_STREETS)}", f"{code} {town}"
        code, village = r.choice(_CORSICAN_VILLAGES)
        hamlet = self.place_word(("Poghju", "Casa", "Funtana", "Petra", "Cala"), ("ccia", "bianca", "ghja", "rossa"))
        return f"Frazione di {hamlet}", f"{village}, Corsica"

    def tahiti(self) -> tuple[str, str]:  # a kilometre point, a post box in Papeete, or an island's village
        r = self.random
        shape = r.random()
        if shape < 0.35:
            code, commune = r.choice(_TAHITI_COMMUNES)
            side = r.choice(("côté mer", "côté montagne"))
            lane = self.place_word(("Tea", "Vai", "Tua"), ("hiti", "ora", "nui"))
            return f"PK {r.randint(3, 40)},{r.randint(1, 9)} {side}, servitude {lane}", f"{code} {commune}, Tahiti"
        if shape < 0.6:
            return f"Quartier {r.choice(_PAPEETE_QUARTERS)}, BP {r.randint(1000, 9999)}", "98713 Papeete, Tahiti"
        village, island = r.choice(_ISLAND_VILLAGES)
        return f"Village de {village}", f"{island}, Polynésie française"

    def nahua_mexico(self) -> tuple[str, str]:  # `Domicilio conocido` in a village (no digits), or a lot and block
        r = self.random
        if r.random() < 0.55:
            village, municipality = r.choice(_NAHUA_VILLAGES)
            return f"Domicilio conocido, {village}", municipality
        lot = f"{r.choice(_MILPA_ALTA_PARAJES)}, Mz. {r.randint(1, 30)} Lt. {r.randint(1, 40)}"
        return lot, f"Villa Milpa Alta, C.P. 12{r.randint(0, 9)}00, Ciudad de México"

    def cornwall(self) -> tuple[str, str]:  # a house name (no digits), a farm in a parish, or a street
        r = self.random
        shape = r.random()
        if shape < 0.35:
            return f"Chy {r.choice(_CORNISH_HOUSE_WORDS)}", f"{r.choice(_CORNISH_PARISHES)}, Cornwall"
        code, town = r.choice(_CORNISH_TOWNS)
        postcode = f"{code} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        if shape < 0.65:
            farm = self.place_word(("Tre", "Pol", "Bos", "Nan"), ("wartha", "glaze", "vean", "kivel", "hendra"))
            return f"{farm} Farm, {r.choice(_CORNISH_PARISHES)}", f"{town} {postcode}"
        return f"{r.randint(1, 80)} {r.choice(_CORNISH_STREETS)}", f"{town} {postcode}"

    def yogyakarta(self) -> tuple[str, str]:  # a kampung number, or a village by dusun and kalurahan (no digits)
        r = self.random
        if r.random() < 0.5:
            kampung, code, kemantren = r.choice(_YOGYA_KAMPUNGS)
            return f"{kampung} {code} {r.choice(_ROMAN)}/{r.randint(10, 999)}", (
                f"Kemantren {kemantren}, Yogyakarta {r.choice(_YOGYA_CODES)}"
            )
        kapanewon, regency = r.choice(_KAPANEWON)
        dusun = self.place_word(("Kar", "Ngen", "Sum", "Pan", "Jag"), ("angrejo", "tak", "berejo", "dukuhan"))
        kalurahan = self.place_word(("Sar", "Wukir", "Tri", "Sido"), ("dadi", "harjo", "mulyo", "rejo"))
        return f"Dusun {dusun}, Kalurahan {kalurahan}", f"Kapanewon {kapanewon}, Kabupaten {regency}"

    def macau(self) -> tuple[str, str]:  # a street, a building and a floor, or a lane and a building (no digits)
        r = self.random
        building = f"Edf. {r.choice(_MACAU_BUILDING_WORDS)} {r.choice(_MACAU_BUILDING_WORDS)}"
        if r.random() < 0.6:
            floor = f"{r.randint(1, 28)}.º andar {r.choice('ABCDEFGH')}"
            return f"{r.choice(_MACAU_STREETS)}, n.º {r.randint(1, 300)}, {building}, {floor}", r.choice(_MACAU_PLACES)
        return f"{r.choice(_MACAU_LANES)}, {building}", r.choice(_MACAU_PLACES)

    def phone(self) -> str:
        r = self.random
        n = r.randint
        layouts = (
            lambda: f"981 {n(10, 99)} {n(10, 99)} {n(10, 99)}",  # A Coruña and Santiago, at home
            lambda: f"6{n(10, 99)} {n(100, 999)} {n(100, 999)}",  # a Spanish mobile
            lambda: f"04 95 {n(10, 99)} {n(10, 99)} {n(10, 99)}",  # Corsica
            lambda: f"+689 40 {n(40, 59)} {n(10, 99)} {n(10, 99)}",  # Tahiti, a fixed line
            lambda: f"87 {n(20, 79)} {n(10, 99)} {n(10, 99)}",  # a Polynesian mobile
            lambda: f"+52 233 {n(100, 999)} {n(1000, 9999)}",  # Cuetzalan
            lambda: f"55 {n(5000, 5999)} {n(1000, 9999)}",  # Mexico City
            lambda: f"01736 {n(100000, 999999)}",  # Penzance
            lambda: f"(0274) {n(300000, 599999)}",  # Yogyakarta
            lambda: f"+853 28{n(10, 99)} {n(1000, 9999)}",  # Macau, a fixed line
            lambda: f"6{n(200, 899)} {n(1000, 9999)}",  # a Macanese mobile
        )
        return r.choice(layouts)()
