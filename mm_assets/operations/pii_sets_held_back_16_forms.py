"""`held_back_16`'s documents and speech: six templates no slice used, set as the real ones are (two columns,
boxes, a table), and six sentences said by espeak-ng; the values come from pii_sets_held_back_16."""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages, spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed
from mm_assets.operations.pii_sets_held_back_16 import (
    _BISHKEK_DISTRICTS,
    SEED,
    SPOKEN_KINDS,
    VOICES,
    HeldBack16Values,
)

# the width of the left column of a two-column form, as the scan's text lines keep it
_COLUMN = 44


def _pension_claim(v: HeldBack16Values) -> Pages:
    """Two pages: the claimant and the spouse, then the bank and the declaration."""
    claimant, spouse, official = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    spouse_dob, _spouse_born = v.date_of_birth()
    identity, phone, account = v.identity_number(born), v.phone(), v.iban()
    street, place = v.address_lines()
    first_page = [
        f"CLAIM FOR AN OLD-AGE PENSION   Claim no. PN-{v.random.randint(10000, 99999)}",
        "Part A. The claimant",
        f"Full name: {claimant}",
        f"{v.birth_label()} / Date of birth: {dob}",
        f"Personal number: {identity}",
        f"Residence: {street}",
        f"           {place}",
        "Part B. Spouse or partner",
        f"Name: {spouse}   Born: {spouse_dob}",
    ]
    second_page = [
        "Part C. Payment",
        f"Pay the pension into the account {account}",
        f"Contact telephone: {phone}",
        "I declare that the information I have given is correct and complete.",
        f"Received by: {official}, district pension office",
    ]
    planted = [Planted("person", claimant), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("person", spouse)]
    planted += [Planted("dob", spouse_dob), Planted("iban", account, 2), Planted("phone", phone, 2)]
    return [first_page, second_page], [*planted, Planted("person", official, 2)]


def _mobile_money_register(v: HeldBack16Values) -> Pages:
    """A mobile-money agent's daily register: one customer a row, the columns as the scan keeps them."""
    agent = v.person()
    street, place = v.address_lines()
    lines = [
        f"MOBILE MONEY AGENT REGISTER   Agent: {agent}   Till {v.random.randint(100000, 999999)}",
        f"Outlet: {street}, {place}",
        "Time   Customer                     Phone                 ID document           Amount",
    ]
    planted = [Planted("person", agent), Planted("address", street), Planted("address", place)]
    for _row in range(3):
        customer, phone = v.maybe_damaged(v.person()), v.phone()
        _dob, born = v.date_of_birth()
        document = v.identity_number(born)
        hour = f"{v.random.randint(8, 19):02d}:{v.random.randint(0, 59):02d}"
        lines.append(f"{hour}  {customer:<28} {phone:<21} {document:<21} {v.random.randint(5, 400) * 500:>8}")
        planted += [Planted("person", customer), Planted("phone", phone), Planted("ssn", document)]
    lines.append("Customers sign the paper copy; the register is kept for five years.")
    return [lines], planted


def _boxed(label: str, value: str, width: int = 62) -> str:
    return f"│ {label:<14}│ {value:<{width - 18}}│"


def _driving_test_booking(v: HeldBack16Values) -> Pages:
    """A booking form drawn in boxes: each field in its own cell, the rules read as bars."""
    candidate, instructor = v.person(), v.person()
    dob, born = v.date_of_birth()
    identity, phone, email, card = v.identity_number(born), v.phone(), v.email(candidate), v.card()
    street, place = v.address_lines()
    rule = "├" + "─" * 15 + "┼" + "─" * 46 + "┤"
    lines = [
        f"PRACTICAL DRIVING TEST BOOKING   Category B   Centre no. {v.random.randint(10, 99)}",
        "┌" + "─" * 15 + "┬" + "─" * 46 + "┐",
        _boxed("Candidate", candidate),
        rule,
        _boxed("Date of birth", dob),
        rule,
        _boxed("ID number", identity),
        rule,
        _boxed("Address", street),
        _boxed("", place),
        rule,
        _boxed("Phone", phone),
        _boxed("E-mail", email),
        "└" + "─" * 15 + "┴" + "─" * 46 + "┘",
        f"Instructor accompanying: {instructor}",
        f"Test fee paid by card {card}",
    ]
    planted = [Planted("person", candidate), Planted("dob", dob), Planted("ssn", identity)]
    planted += [Planted("address", street), Planted("address", place), Planted("phone", phone)]
    return [lines], [*planted, Planted("email", email), Planted("person", instructor), Planted("card", card)]


def _water_connection_request(v: HeldBack16Values) -> Pages:
    """A request for a water connection, submitted online: the portal stamps where it came from."""
    applicant, owner = v.person(), v.maybe_damaged(v.person())
    phone, email = v.phone(), v.email(applicant)
    ip, port = v.ip_address()
    street, place = v.address_lines()
    owner_street, owner_place = v.address_lines()
    lines = [
        f"REQUEST FOR A NEW WATER CONNECTION   Reference WS/{v.random.randint(2026000, 2026999)}",
        f"Applicant: {applicant}   Tel. {phone}",
        f"E-mail for the decision: {email}",
        f"Premises to be connected: {street}, {place}",
        f"Owner of the premises (if not the applicant): {owner}",
        f"Owner's address: {owner_street}, {owner_place}",
        "Type of use: domestic   Diameter requested: 20 mm",
        f"Submitted online from {ip}{port} on {v.random.randint(1, 28)}.{v.random.randint(1, 12):02d}.2026",
    ]
    planted = [Planted("person", applicant), Planted("phone", phone), Planted("email", email)]
    planted += [Planted("address", street), Planted("address", place), Planted("person", owner)]
    return [lines], [*planted, Planted("address", owner_street), Planted("address", owner_place), Planted("ip", ip)]


def _apartment_sale_contract(v: HeldBack16Values) -> Pages:
    """Seller and buyer side by side in two columns, as the contract sets them."""
    seller, buyer, notary = v.person(), v.person(), v.person()
    (seller_dob, seller_born), (buyer_dob, buyer_born) = v.date_of_birth(), v.date_of_birth()
    seller_id, buyer_id = v.identity_number(seller_born), v.identity_number(buyer_born)
    account = v.iban()
    street, place = v.address_lines()

    def row(left: str, right: str) -> str:
        return f"{left:<{_COLUMN}}{right}"

    lines = [
        "CONTRACT FOR THE SALE OF AN APARTMENT",
        row("THE SELLER", "THE BUYER"),
        row(seller, buyer),
        row(f"born {seller_dob}", f"born {buyer_dob}"),
        row(f"ID {seller_id}", f"ID {buyer_id}"),
        f"The apartment at {street}, {place} passes to the buyer on payment.",
        f"The price of 61,500.00 is paid into the seller's account {account}.",
        f"Certified before me, {notary}, notary public.",
    ]
    planted = [Planted("person", seller), Planted("person", buyer), Planted("dob", seller_dob)]
    planted += [Planted("dob", buyer_dob), Planted("ssn", seller_id), Planted("ssn", buyer_id)]
    planted += [Planted("address", street), Planted("address", place), Planted("iban", account)]
    return [lines], [*planted, Planted("person", notary)]


def _account_recovery_request(v: HeldBack16Values) -> Pages:
    """A support ticket asking to recover an account: the card on file, the sign-in log with its addresses."""
    holder = v.person()
    email, phone, card = v.email(holder), v.phone(), v.card()
    street, place = v.address_lines()
    (last_ip, last_port), (new_ip, new_port) = v.ip_address(), v.ip_address()
    lines = [
        f"ACCOUNT RECOVERY REQUEST   Ticket #{v.random.randint(400000, 899999)}",
        f"Account holder: {holder}",
        f"Registered e-mail: {email}   Recovery phone: {phone}",
        f"Billing address: {street}, {place}",
        f"Card on file: {card}",
        "Sign-in log (last two):",
        f"  2026-11-{v.random.randint(10, 28)} 21:{v.random.randint(10, 59)}  {last_ip}{last_port}  success",
        f"  2026-12-0{v.random.randint(1, 3)} 06:{v.random.randint(10, 59)}  {new_ip}{new_port}  failed (password)",
        "Verified by: knowledge questions 2 of 3",
    ]
    planted = [Planted("person", holder), Planted("email", email), Planted("phone", phone)]
    planted += [Planted("address", street), Planted("address", place), Planted("card", card)]
    return [lines], [*planted, Planted("ip", last_ip), Planted("ip", new_ip)]


TEMPLATES = (
    _pension_claim,
    _mobile_money_register,
    _driving_test_booking,
    _water_connection_request,
    _apartment_sale_contract,
    _account_recovery_request,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "4")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack16Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(lambda: values._pashto() if rng.random() < 0.5 else values._breton())
    district = rng.choice([d for d in _BISHKEK_DISTRICTS if "-" not in d])  # `Jal-23` would be said oddly
    ssn = f"{rng.randint(100, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(10, 99)}"
    phone = f"0555 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    local = "".join(c for c in unicodedata.normalize("NFD", person.split()[0].lower()) if c.isascii() and c.isalpha())
    sentences = {
        "card": f"Please charge it to my card, the number is {digit_words(spoken_card())}.",
        "address": f"I live in {district}, block {number_words(rng.randint(2, 60))}, flat "
        f"{number_words(rng.randint(2, 99))}, Bishkek.",
        "email": f"Write to me at {local} dot {number_words(rng.randint(20, 90))} at elcat dot k g.",
        "ssn": f"My insurance number is {digit_words(ssn)}.",
        "person": f"Good morning, this is {person}, calling about the pension claim.",
        "phone": f"You can call me back on {digit_words(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()
