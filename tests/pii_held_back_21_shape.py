"""What held_back_21 was written to hold, as test_pii_held_back_slices.py checks every built slice: its kinds and
counts, its traditions' marks, its address shapes, its date forms, phones, IBAN countries, cards, network
addresses and OCR damage. Written with the slice, before anything ran on it; its own rules are in
test_pii_held_back_21.py."""

from __future__ import annotations

from mm_assets.operations import pii_sets_held_back_21, pii_sets_held_back_21_speech
from tests.pii_slice_shape import SliceShape, lit, rx

HELD_BACK_21 = SliceShape(
    pii_sets_held_back_21,
    pii_sets_held_back_21.HeldBack21Values,
    pii_sets_held_back_21_speech,
    held_back=False,
    planted=(250, 290),
    least={
        "person": 80,
        "address": 56,
        "dob": 16,
        "ssn": 12,
        "phone": 32,
        "email": 24,
        "iban": 12,
        "card": 12,
        "ip": 16,
    },  # fmt: skip
    people=(
        rx("[Xx](o|u|i|a)"),  # Galician x
        rx(r" (da|do) [A-Z]\w+ "),  # a Galician family name after its article
        rx(r"\w+(iñeira|eiro|ariño|ueiroa|ido|elo) "),
        rx("(Ghj|ghj|Chj|chj)"),  # Corsican
        rx(r"\w+(elli|oni|acci|ucci|ini|etti|ali) "),
        rx("ʻ|[āēīōū]"),  # the Tahitian ʻeta and macrons
        rx(r" [A-ZĀĒĪŌŪʻ]{4,} [A-Z]"),  # a Tahitian family name first, in capitals
        rx(r"\w+(itl|tzin|catl|otl|tli) "),  # Nahuatl
        rx(r" (Tre|Pol|Pen|Ros|Lan|Car|Chy|Nan|Bos)[a-z]+ "),  # Cornish family names
        rx(r"\w+(ningsih|wati|andari|ningrum|astuti) "),  # a Javanese woman
        rx(r" (Eko|Dwi|Tri|Catur) [A-Z]"),  # a birth-order word
        rx(r" (Vong|Ieong|Leong|Cheong|Lei|Lou|Sou|Kuok|Iao|Choi|Chao|Mok) [A-Z][a-z]* [A-Z]"),  # Macanese
        rx(r" [a-z]+_[a-z]+ "),  # a scan's file name
    ),  # fmt: skip
    # the address lines the generator writes; the slice's 24 documents draw most of them, 300 draws every one
    addresses=(
        rx(
            r"^(Rúa|Avenida|Praza) [^,]+, \d+, (\d\.º (dta\.|esq\.|A|B)|baixo)$",
            r"^(15|27|32|36)\d{3} [A-ZÁÉÍÓÚ]",
            r"^Lugar de \w+, s/n$",
            r", Concello de [\w ]+ \((Pontevedra|A Coruña|Lugo|Ourense)\)$",
            r"^\d+, (Carrughju|Piazza|Stretta|Cursu) ",
            r"^20\d{3} (Aiacciu|Bastia|Corti|Portivechju|Calvi)$",
            r"^Frazione di \w+$",
            r", Corsica$",
            r"^PK \d+,\d côté (mer|montagne), servitude \w+$",
            r"^987\d\d [\wʻ]+, Tahiti$",
            r"^Quartier \w+, BP \d{4}$",
            r"^Village de \w+$",
            ", Polynésie française$",
            r"^Domicilio conocido, ",
            r", Pue\.$",
            r"^Paraje \w+, Mz\. \d+ Lt\. \d+$",
            r"^Villa Milpa Alta, C\.P\. 12\d00, Ciudad de México$",
            r"^Chy (an )?\w+$",
            r", Cornwall$",
            r"^\w+ Farm, ",
            r" (TR|PL)\d{1,2} \d[A-Z]{2}$",
            r"^\d+ (Fore Street|Chapel Street|Causewayhead|Trelawney Road|Market Jew Street)$",
            r"^\w+ (MG|GK|KP|MJ) (I|II|IV|V|VI|VII|IX)/\d+$",
            r"^Kemantren \w+, Yogyakarta 55\d{3}$",
            r"^Dusun \w+, Kalurahan \w+$",
            r"^Kapanewon \w+, Kabupaten [\w ]+$",
            r", n\.º \d+, Edf\. \w+ \w+, \d+\.º andar [A-H]$",
            r"^(Travessa|Beco|Pátio) [^,]+, Edf\. \w+ \w+$",
            r"^(Taipa, |Coloane, )?Macau$",
            least=22,
        ),
    ),  # fmt: skip
    dates=(
        rx(
            r"\d{1,2} de (xaneiro|febreiro|marzo|abril|maio|xuño|xullo|agosto|setembro|outubro|novembro|decembro) "
            r"de \d{4}"
        ),
        rx(
            r"u \d{1,2} di (ghjennaghju|ferraghju|marzu|aprile|maghju|ghjugnu|lugliu|aostu|sittembre|uttobre|"
            r"nuvembre|dicembre) \d{4}"
        ),
        rx(r"\d{1,2} nō (Tēnuare|Fepuare|Māti|ʻEperēra|Mē|Tiunu|Tiurai|ʻAtete|Tetepa|ʻĀtopa|Novema|Tītema) \d{4}"),
        rx(
            r"(Senen|Selasa|Rebo|Kemis|Jemuwah|Setu|Minggu) (Legi|Pahing|Pon|Wage|Kliwon), \d{1,2} (Januari|"
            r"Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}"
        ),
        rx(r"\d{1,2} mis (Genver|Hwevrer|Meurth|Ebrel|Me|Metheven|Gortheren|Est|Gwynngala|Hedra|Du|Kevardhu) \d{4}"),
        rx(r"\d\d/(ENE|FEB|MAR|ABR|MAY|JUN|JUL|AGO|SEP|OCT|NOV|DIC)/\d{4}"),
    ),  # fmt: skip
    phones=lit(
        "981 ",
        "04 95 ",
        "+689 40 ",
        "87 ",
        "+52 233 ",
        "55 5",
        "01736 ",
        "(0274) ",
        "+853 28",
        least=7,
    ),  # fmt: skip
    labels=6,
    ibans=frozenset({"MC", "TL", "UA", "IL", "JO"}),
    card=r"(506199|639484|9360|9891|507803)\d+|31\d{17}",
    # IPv4 (in a mail log, a WireGuard peer, an access log or a proxy header), or IPv6 in `ip addr`
    ip=r"(\d{1,3}\.){3}\d{1,3}|(2a0c|2a01|2806|2001|2a02|2405):[0-9a-f:]+",
    damage=(
        "Faʻatau Tēnuare Gwenrra Cornish",
        21,
        300,
        ("Fa`atau", "Tenuare", "6wenrra", "Gwcnrra", "Comish", "C o r n i s h", "T ē n u a r e"),
    ),
    every_shape=True,
)
