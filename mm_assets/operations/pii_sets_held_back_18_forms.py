"""`held_back_18`'s documents and speech: six templates no slice used, set as real ones are (a passenger table
whose columns run together, a roll in two columns, a job ticket's boxes, a permit over two pages, a sworn
statement in prose, a delivery sheet with a phone glued to its name), and six sentences said by espeak-ng in
phrasings no slice used; the values come from pii_sets_held_back_18."""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages, spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed
from mm_assets.operations.pii_sets_held_back_18 import _EASTERN_CAPE_STREETS, SEED, HeldBack18Values
from mm_assets.operations.pii_sets_held_back_18_numbers import codice_fiscale, indian_pan

# (espeak-ng voice and variant, words per minute): pairs, variants and rates no earlier slice used
VOICES = (("en-us+Mario", 105), ("en-gb+Nguyen", 118), ("en-029+iven2", 137), ("en-gb-scotland+edward2", 154),
          ("en-us-nyc+steph2", 173), ("en-gb-x-rp+klatt5", 184))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")


def _surname_and_given(name: str) -> tuple[str, str]:
    """(surname, given name) of a built name: the word in capitals where a form wrote one, a Chechen name's
    first word, a Tatar name's first (its father's name and `ulı`/`qızı` after), else the last word."""
    words = name.split()
    if words[0].isupper() or words[-1].endswith(("ovich", "ovna")):
        return words[0], words[1]
    if words[-1] in ("ulı", "qızı"):
        return words[1], words[0]
    return words[-1], words[0]


def _ferry_booking(v: HeldBack18Values) -> Pages:
    """A ferry's booking: the lead passenger, then the passengers in a table whose columns run together."""
    lead, phone, card = v.person(), v.phone(), v.card()
    email = v.email(lead)
    street, place = v.address_lines()
    lines = [
        f"FERRY BOOKING CONFIRMATION   Ref. FB{v.random.randint(100000, 999999)}   Sailing 07:45",
        f"Lead passenger: {lead}",
        f"Address: {street}, {place}",
        f"Contact: {phone} / {email}",
        "Passenger                      Date of birth            Document",
    ]
    planted = [Planted("person", lead), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("email", email)]
    for _ in range(2):
        passenger = v.maybe_damaged(v.person())
        dob, born = v.date_of_birth()
        document = v.identity_number(born)
        lines.append(f"{passenger:<30} {dob:<24} {document}")
        planted += [Planted("person", passenger), Planted("dob", dob), Planted("ssn", document)]
    lines.append(f"Paid by card {card}")
    return [lines], [*planted, Planted("card", card)]


def _choir_membership_roll(v: HeldBack18Values) -> Pages:
    """A choir's roll in two columns: voice part, member and phone, and the treasurer's address below."""
    treasurer = v.person()
    street, place = v.address_lines()
    lines = [f"COMMUNITY CHOIR - MEMBERSHIP ROLL {v.random.randint(2025, 2027)}", "Part      Member / phone"]
    planted = []
    for part in ("Soprano", "Alto", "Tenor", "Bass"):
        member, phone = v.maybe_damaged(v.person()), v.phone()
        lines.append(f"{part:<9} {member} ... {phone}")
        planted += [Planted("person", member), Planted("phone", phone)]
    lines += [f"Subscriptions to the treasurer, {treasurer},", f"{street}, {place}"]
    planted += [Planted("person", treasurer), Planted("address", street), Planted("address", place)]
    account = v.iban()
    lines.append(f"or by transfer to {account}")
    return [lines], [*planted, Planted("iban", account)]


def _phone_repair_ticket(v: HeldBack18Values) -> Pages:
    """A mobile repair shop's job ticket: the customer in boxes, the device's network addresses from its
    settings screen."""
    customer = v.person()
    phone, email = v.phone(), v.email(customer)
    street, place = v.address_lines()
    (wifi, wifi_written), (other, other_written) = v.ip_address(), v.ip_address()
    lines = [
        f"REPAIR JOB TICKET  No. {v.random.randint(10000, 99999)}",
        f"| Customer | {customer} |",
        f"| Phone    | {phone} |",
        f"| E-mail   | {email} |",
        f"| Address  | {street}, {place} |",
        f"| Device   | handset, screen cracked; {wifi_written}; last login {other_written} |",
        "Collect within 30 days.",
    ]
    planted = [Planted("person", customer), Planted("phone", phone), Planted("email", email)]
    planted += [Planted("address", street), Planted("address", place), Planted("ip", wifi), Planted("ip", other)]
    return [lines], planted


def _cattle_movement_permit(v: HeldBack18Values) -> Pages:
    """A cattle movement permit over two pages: the owner and farm, then the buyer, the vet and the fee."""
    owner, buyer, vet = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity = v.identity_number(born)
    street, place = v.address_lines()
    buyer_street, buyer_place = v.address_lines()
    phone, account = v.phone(), v.iban()
    first_page = [
        f"PERMIT TO MOVE CATTLE   Permit {v.random.randint(1000, 9999)}/{v.random.randint(25, 27)}",
        f"Owner: {owner}",
        f"{v.birth_label()}: {dob}",
        f"Identity: {identity}",
        f"Farm: {street}",
        f"      {place}",
        f"Head of cattle: {v.random.randint(2, 40)}",
    ]
    second_page = [
        f"Buyer: {buyer}, {buyer_street}, {buyer_place}",
        f"Buyer's telephone: {phone}",
        f"Inspected by the veterinary officer {vet}",
        f"Fee debited from {account}",
    ]
    planted = [Planted("person", owner), Planted("dob", dob), Planted("ssn", identity), Planted("address", street)]
    planted += [Planted("address", place), Planted("person", buyer, 2), Planted("address", buyer_street, 2)]
    planted += [Planted("address", buyer_place, 2), Planted("phone", phone, 2), Planted("person", vet, 2)]
    return [first_page, second_page], [*planted, Planted("iban", account, 2)]


def _sworn_residence_statement(v: HeldBack18Values) -> Pages:
    """A sworn statement of residence, in prose: the deponent's tax code (an Italian codice fiscale, or an
    Indian PAN) built from their own name, the landlord named in a sentence."""
    deponent, landlord = v.person(), v.person()
    dob, born = v.date_of_birth()
    surname, given = _surname_and_given(deponent)
    female = v.random.random() < 0.5
    tax = (
        codice_fiscale(v.random, surname, given, born, female)
        if v.random.random() < 0.5
        else indian_pan(v.random, surname)
    )
    street, place = v.address_lines()
    email = v.email(deponent)
    lines = [
        "SWORN STATEMENT OF RESIDENCE",
        f"I, {deponent}, born on {dob}, tax code {tax}, declare under oath that I have lived at {street}, "
        f"{place} since {v.random.randint(2001, 2024)}.",
        f"The house belongs to {landlord}, who lets it to me without a written lease.",
        f"Notices may be sent to {email}.",
        "Sworn before me this day, Commissioner of Oaths.",
    ]
    planted = [Planted("person", deponent), Planted("dob", dob), Planted("ssn", tax), Planted("address", street)]
    return [lines], [*planted, Planted("address", place), Planted("person", landlord), Planted("email", email)]


def _pharmacy_delivery_sheet(v: HeldBack18Values) -> Pages:
    """A pharmacy's delivery sheet: each stop's patient, phone glued to the name as a narrow cell loses the
    gap, and address; the driver's card for fuel below."""
    lines = [f"PHARMACY HOME DELIVERIES   Route {v.random.choice('ABC')}{v.random.randint(1, 9)}"]
    planted = []
    for stop in range(1, 3):
        patient, phone = v.person(), v.phone()
        street, place = v.address_lines()
        lines += [f"{stop}. {patient}{phone}", f"   {street}, {place}"]
        planted += [Planted("person", patient), Planted("phone", phone), Planted("address", street)]
        planted.append(Planted("address", place))
    driver, card = v.person(), v.card()
    lines.append(f"Driver: {driver}   Fuel card {card}")
    return [lines], [*planted, Planted("person", driver), Planted("card", card)]


TEMPLATES = (
    _ferry_booking,
    _choir_membership_roll,
    _phone_repair_ticket,
    _cattle_movement_permit,
    _sworn_residence_statement,
    _pharmacy_delivery_sheet,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "2")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack18Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(values._xhosa)
    street = rng.choice(_EASTERN_CAPE_STREETS)
    given = values._fresh(lambda: values._word(("Sjo", "Wyt", "Hyl", "Rin"), ("erd", "se", "ke")))
    local = "".join(c for c in unicodedata.normalize("NFD", given.lower()) if c.isascii() and c.isalpha())
    ssn = f"{rng.randint(100, 899)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"{rng.randint(200, 299)} {rng.randint(1000, 9999)}"
    card = spoken_card()
    sentences = {
        "card": f"Take it off the card ending, hold on, here it is in full, {digit_words(card)}.",
        "address": f"Deliver it to number {number_words(rng.randint(2, 90))} {street}, Vincent, East London, "
        f"five two four seven.",
        "email": f"Send the form to {local} underscore {number_words(rng.randint(60, 99))} at ziggo dot n l.",
        "ssn": f"For the records my social security is {digit_words(ssn)}, as on the card.",
        "person": f"Put the booking under {person}, that is the name on my passport.",
        "phone": f"After six you will get me on area code six seven one, {digit_words(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()
