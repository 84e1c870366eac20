"""What held_back_20 was written to hold, as test_pii_held_back_slices.py checks every built slice: its kinds and
counts, its traditions' marks, its address shapes, its date forms, phones, IBAN countries, cards, network
addresses and OCR damage. Written with the slice, before anything ran on it; its own rules are in
test_pii_held_back_20.py."""

from __future__ import annotations

from mm_assets.operations import pii_sets_held_back_20, pii_sets_held_back_20_forms
from tests.pii_slice_shape import SliceShape, lit, rx

HELD_BACK_20 = SliceShape(
    pii_sets_held_back_20,
    pii_sets_held_back_20.HeldBack20Values,
    pii_sets_held_back_20_forms,
    held_back=False,
    planted=(245, 285),
    least={
        "person": 72,
        "address": 72,
        "dob": 16,
        "ssn": 12,
        "phone": 18,
        "email": 20,
        "iban": 12,
        "card": 8,
        "ip": 12,
    },  # fmt: skip
    people=(
        # Aymara: family names in the Spanish spelling and in the unified alphabet; a married woman's `de`
        rx(
            r" (Ma|Cho|Cal|Ti|Hua|Co|Li|Apa|Chu|Con|Ya|Cu)(mani|que|lisaya|cona|rachi|ndori|machi|za|lque|sihuaman|"
            r"pita) "
        ),
        rx(r" (Qhis|Kun|Chu|Wan|Apa|Tiku|Mama|Q'ul|Ch'uq|Jach'a)(pi|turi|qi|ka|sa|na|ni|lqi|iwanka) "),
        rx(r" \w+ de \w+ "),
        rx("[áǵıóú]"),  # Karakalpak letters
        rx(r" \w+ (ulı|qızı) "),  # the father's name and son or daughter
        rx(r" \w+(ov|ev|ova|eva) [\w-]+ \w+(ovich|evich|ovna|evna) "),  # Buryat, as a Russian form writes it
        rx(r"[\w-]+-[\w-]+ "),  # two Buryat names joined
        rx(r"\w+ty "),  # an Ossetian family name in -ty
        rx("(lh|nh|ò|è)"),  # Occitan letters
        rx(
            r" (Del|La|Cap|Mont|Puèg|Cas|Fon|Bòsc|Ròca|Malh|Aure|Sant)(puèch|comba|tanhièr|ard|ric|nhac|arguèl|faure|"
            r"vièlh|lhac|bòsc) "
        ),
        rx(
            r" (Te|Ta|Tia|Bwe|Ioa|Kau|Rui|Kai|Ati|Nabu|Rei|Mwa)(buroro|aneti|rimeta|kaai|tibwa|reata|bane|nnang|riki|"
            r"mauna|bonga) "
        ),
        rx("[ćěłřšž]"),  # Upper Sorbian letters
        rx(r"\w+(owa|ina) "),  # a married Sorbian woman
        rx(r" [a-zı']\. [a-zıáǵóúńćěłřšžèò' -]+ "),  # a signature as a scan reads it
    ),  # fmt: skip
    # the address lines the generator writes; the slice's 24 documents draw most of them, 300 draws every one
    addresses=(
        rx(
            r"^Zona [^,]+, Calle \d+ Nro\. \d+$",
            r"^El Alto$",
            r" Nº \d+, Edif\. [\w']+, Piso \d$",
            r"^Zona [\w ]+, La Paz$",
            r"^Comunidad [\w']+, Cantón ",
            r"^Provincia [\w ]+, Departamento de La Paz$",
            r" kóshesi, \d+-úy, \d+-xonaw$",
            r"^2301\d\d Nókis qalası$",
            r"^\w+ awılı$",
            r"^\w+ rayonı, Qaraqalpaqstan Respublikası$",
            r"^\d{3} mikrorayon, dom \d+, kvartira \d+$",
            r"^g\. Ulan-Ude, Respublika Buryatiya, 670\d{3}$",
            r"^ulus \w+$",
            r"^SNT «[\w ]+», uchastok \d+$",
            r"^3620\d\d, RSO-Alaniya, g\. Vladikavkaz$",
            r"^(pr|ul)\. [\w ]+, \d+-\d+$",
            r"^selo \w+$",
            r"^\w+ rayon, Respublika Severnaya Osetiya — Alaniya$",
            r"^\d+ (carrièra|plaça|camin|baloard) ",
            r"^310\d0 Tolosa$",
            r"^Lieu-dit Lo \w+$",
            r"^Carrèr [\w ]+, \d+$",
            r"Val d'Aran \(Lleida\)$",
            r"^\w+ village$",
            "^South Tarawa, Republic of Kiribati$",
            r"^[\w ]+, Gilbert Islands, Kiribati$",
            r"^(Dwórnišćowa|Tuchmačerska|Łazowska|Jakubowa|Póstowa|Lawska|Serbska) \d+[ab]?$",
            r"^0\d{4} [\wŁł-]+$",
            r", Hornja Łužica$",
            least=24,
        ),
    ),  # fmt: skip
    dates=(
        rx(
            r"lo \d{1,2} de (genièr|febrièr|març|abril|mai|junh|julhet|agost|setembre|octòbre|novembre|decembre) "
            r"de \d{4}"
        ),
        rx(r"lo [a-zèò-]+ de \w+ de \d{4}"),
        rx(
            r"\d{1,2}\. (januara|februara|měrca|apryla|meje|junija|julija|awgusta|septembra|oktobra|nowembra|"
            r"decembra) \d{4}"
        ),
        rx(r"\d{4}-jıl \d{1,2}-(yanvar|fevral|mart|aprel|may|iyun|iyul|avgust|sentyabr|oktyabr|noyabr|dekabr)"),
        rx(
            r"\d{1,2} (yanvarya|fevralya|marta|aprelya|maya|iyunya|iyulya|avgusta|sentyabrya|oktyabrya|noyabrya|"
            r"dekabrya) \d{4} g\."
        ),
        rx(
            r"\d{1,2} (Ianuari|Beberuare|Mati|Eberi|Mei|Iuun|Iurai|Aokati|Tebetembwa|Okitobwa|Nobembwa|Ritembwa) "
            r"\d{4}"
        ),
    ),  # fmt: skip
    phones=lit(
        "+591 2 ",
        "+591 7",
        "+998 61 ",
        "+7 (3012) ",
        "8 (8672) ",
        "05 6",
        "+34 973 64 ",
        "+686 7",
        "(03591) ",
        "+49 (0)35",
        least=8,
    ),  # fmt: skip
    labels=6,
    ibans=frozenset({"ES", "FI", "EE", "PL", "KZ"}),
    card=r"\d{16}|\d{19}",
    # IPv4 (after rhost= or in a firewall rule), IPv4 mapped into IPv6, a global IPv6 address, or a MAC address
    ip=r"(\d{1,3}\.){3}\d{1,3}|::ffff:(\d{1,3}\.){3}\d{1,3}|(2800|2a02|2a00|2a01|2a0c|2001):[0-9a-f:]+|"
    r"([0-9a-f]{2}:){5}[0-9a-f]{2}",
    damage=(
        "Sosradz Okumani Apaza",
        20,
        300,
        ("5osradz", "0kumani", "4paza", "Sosraclz", "Okurnani", "Olcumani"),
    ),
    every_shape=True,
)
