"""`held_back_17`'s documents and speech: six templates no slice used, set as the real ones are (a table whose
narrow column wraps long names and loses a gap, a passport's machine-readable zone, fields on dotted leaders,
a letter in prose), and six sentences said by espeak-ng in phrasings no slice used; the values come from
pii_sets_held_back_17."""

from __future__ import annotations

import random
import unicodedata

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages, spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed
from mm_assets.operations.pii_sets_held_back_17 import _KAMPALA_AREAS, _KAMPALA_STREETS, SEED, HeldBack17Values
from mm_assets.operations.pii_sets_held_back_17_numbers import passport_mrz

# (espeak-ng voice and variant, words per minute): pairs and rates no earlier slice used
VOICES = (("en-us+Alex", 113), ("en-gb+boris", 157), ("en-029+Marco", 123), ("en-gb-scotland+miguel", 169),
          ("en-us-nyc+pedro", 147), ("en-gb-x-rp+grandpa", 191))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")
# the width of the register's member column: a longer name wraps onto the next line, as the cell does
_MEMBER_COLUMN = 22
_HONORIFICS = ("Thao", "Nang")
_COUNTRIES = ("RWA", "UGA", "DZA", "LAO", "PRY", "GTM", "MHL")


def _wrapped(name: str, width: int = _MEMBER_COLUMN) -> list[str]:
    """A name as a narrow table cell holds it: whole if it fits, else broken at the last space that fits."""
    if len(name) <= width or " " not in name[: width + 1]:
        return [name]
    cut = name[: width + 1].rindex(" ")
    return [name[:cut], name[cut + 1 :]]


def _coffee_cooperative_register(v: HeldBack17Values) -> Pages:
    """A coffee cooperative's member register: phone, member and ID in columns; a long name wraps in its cell,
    and in one row the gap after the phone is lost, so the phone runs into the name."""
    secretary = v.person()
    street, place = v.address_lines()
    lines = [
        f"COFFEE GROWERS' COOPERATIVE - MEMBER REGISTER   Washing station no. {v.random.randint(10, 99)}",
        f"Station: {street}, {place}",
        f"Register kept by the secretary, {secretary}",
        "No.  Phone                 Member                  ID number                 Trees",
    ]
    planted = [Planted("address", street), Planted("address", place), Planted("person", secretary)]
    for number in range(1, 4):
        member, phone = v.maybe_damaged(v.person()), v.phone()
        _dob, born = v.date_of_birth()
        identity = v.identity_number(born)
        first, *rest = _wrapped(member)
        cells = f"{phone}{first}" if number == 2 else f"{phone:<20}  {first}"  # the second row lost its gap
        lines.append(f"{number:>2}.  {cells:<44}  {identity:<24}  {v.random.randint(80, 2400)}")
        lines += [f"{'':<27}{part}" for part in rest]
        planted += [Planted("phone", phone), *(Planted("person", part) for part in [first, *rest])]
        planted.append(Planted("ssn", identity))
    lines.append("Members confirm their entries by thumbprint at the next general assembly.")
    return [lines], planted


def _savings_group_passbook(v: HeldBack17Values) -> Pages:
    """A village savings group's passbook: the member's page, then the payout and the chairperson's signature."""
    member, next_of_kin, chair = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity, phone, account = v.identity_number(born), v.phone(), v.iban()
    street, place = v.address_lines()
    first_page = [
        f"SAVINGS GROUP PASSBOOK   Group no. VSG-{v.random.randint(100, 999)}   Cycle 2026",
        f"Member: {member}",
        f"{v.birth_label()} / Date of birth: {dob}",
        f"ID: {identity}",
        f"Home: {street}",
        f"      {place}",
        f"Mobile: {phone}",
        f"Next of kin: {next_of_kin}",
    ]
    second_page = [
        "Week  Shares bought  Social fund  Loan repaid",
        *(f" {week:>2}        {v.random.randint(1, 5)}             200          0" for week in range(1, 5)),
        f"Share-out paid to {account}",
        f"Checked and signed: {chair} (chairperson)",
    ]
    planted = [Planted("person", member), Planted("dob", dob), Planted("ssn", identity), Planted("address", street)]
    planted += [Planted("address", place), Planted("phone", phone), Planted("person", next_of_kin)]
    return [first_page, second_page], [*planted, Planted("iban", account, 2), Planted("person", chair, 2)]


def _surname_and_given(name: str) -> tuple[str, str]:
    """(surname, given names) of a built name: the word in capitals where a form wrote one, else the last
    words after the first; honorifics left out."""
    words = [w for w in name.split() if w not in _HONORIFICS]
    if words[0].isupper():
        return words[0], " ".join(words[1:])
    return " ".join(words[1:]), words[0]


def _passport_renewal(v: HeldBack17Values) -> Pages:
    """A passport renewal, the old passport's data page copied in: its machine-readable zone holds the name,
    the number and the date of birth again, in the zone's own letters."""
    applicant, contact = v.person(), v.person()
    dob, born = v.date_of_birth()
    phone, contact_phone, email, card = v.phone(), v.phone(), v.email(applicant), v.card()
    street, place = v.address_lines()
    surname, given = _surname_and_given(applicant)
    zone_name, zone_data = passport_mrz(
        v.random, surname, given, v.random.choice(_COUNTRIES), born, v.random.random() < 0.5
    )
    zone_person = zone_name[5:].rstrip("<")
    lines = [
        f"APPLICATION TO RENEW A PASSPORT   File {v.random.randint(100000, 999999)}",
        f"Applicant: {applicant}   {v.birth_label()}: {dob}",
        f"Address: {street}, {place}",
        f"Phone: {phone}   E-mail: {email}",
        "Previous passport (copy of the data page, machine-readable zone):",
        zone_name,
        zone_data,
        f"Person to contact in an emergency: {contact}, {contact_phone}",
        f"Fee paid by card {card}",
    ]
    planted = [Planted("person", applicant), Planted("dob", dob), Planted("address", street)]
    planted += [Planted("address", place), Planted("phone", phone), Planted("email", email)]
    # the zone's number, nationality, birth date, sex and expiry with their checks: one run of 28 characters
    planted += [Planted("person", zone_person), Planted("ssn", zone_data[:28]), Planted("person", contact)]
    return [lines], [*planted, Planted("phone", contact_phone), Planted("card", card)]


def _device_registration(v: HeldBack17Values) -> Pages:
    """A campus network's device registration: the owner, then each device's hardware and network address as
    the network's log prints them."""
    owner, approver = v.person(), v.maybe_damaged(v.person())
    email, phone = v.email(owner), v.phone()
    street, place = v.address_lines()
    lines = [
        f"CAMPUS NETWORK - DEVICE REGISTRATION   Request {v.random.randint(2026000, 2026999)}",
        f"Owner: {owner}",
        f"University e-mail: {email}   Phone: {phone}",
        f"Term-time address: {street}, {place}",
        "Device          Hardware / network address          Last seen",
    ]
    planted = [Planted("person", owner), Planted("email", email), Planted("phone", phone)]
    planted += [Planted("address", street), Planted("address", place)]
    for device in ("Laptop", "Phone", "Printer"):
        address, written = v.ip_address()
        lines.append(f"{device:<15} {written:<36} 2026-12-0{v.random.randint(1, 3)}")
        planted.append(Planted("ip", address))
    lines.append(f"Approved by {approver}, network office")
    return [lines], [*planted, Planted("person", approver)]


def _leader(label: str, value: str, width: int = 30) -> str:
    """A field on a printed slip: the label, dots to the value."""
    return f"{label} {'.' * (width - len(label))} {value}"


def _school_fee_deposit_slip(v: HeldBack17Values) -> Pages:
    """A bank's school-fee deposit slip: each field on a dotted leader, as the printed slip sets them."""
    pupil, depositor = v.person(), v.person()
    dob, _born = v.date_of_birth()
    _depositor_dob, depositor_born = v.date_of_birth()
    identity, phone, account, card = v.identity_number(depositor_born), v.phone(), v.iban(), v.card()
    street, place = v.address_lines()
    lines = [
        f"SCHOOL FEES DEPOSIT SLIP   Term 1/2027   Slip no. {v.random.randint(1000000, 9999999)}",
        _leader("Pupil's full name", pupil),
        _leader("Pupil's date of birth", dob),
        _leader("Class", f"P{v.random.randint(1, 7)}"),
        _leader("Deposited by", depositor),
        _leader("Depositor's ID", identity),
        _leader("Depositor's telephone", phone),
        _leader("Depositor's address", f"{street}, {place}"),
        _leader("Debited from account", account),
        _leader("Or paid by card", card),
        "Amount in words: four hundred and fifty thousand only",
    ]
    planted = [Planted("person", pupil), Planted("dob", dob), Planted("person", depositor), Planted("ssn", identity)]
    planted += [Planted("phone", phone), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, Planted("iban", account), Planted("card", card)]


def _character_reference(v: HeldBack17Values) -> Pages:
    """A character reference, in prose over two pages: the referee's letterhead, the candidate in sentences,
    and the referee's name again under the signature."""
    referee, candidate = v.person(), v.person()
    ref_street, ref_place = v.address_lines()
    ref_phone, ref_email = v.phone(), v.email(referee)
    dob, born = v.date_of_birth()
    street, place = v.address_lines()
    identity = v.identity_number(born)
    short = _surname_and_given(candidate)[1].split()[0]  # the given name alone, as a letter goes on
    first_page = [
        referee,
        ref_street,
        ref_place,
        f"{ref_phone} | {ref_email}",
        "To whom it may concern,",
        f"I am glad to recommend {candidate}, whom I have known for {number_words(v.random.randint(3, 15))} "
        "years as a neighbour and as a volunteer at the community library.",
        f"The candidate was born on {dob} and has lived at {street}, {place} since childhood.",
    ]
    second_page = [
        f"I have always found {short} honest, punctual and kind with the children who use the library.",
        f"For the vetting, the candidate's national identity number is {identity}.",
        "Should you wish to speak to me, I am at home most evenings.",
        "Yours faithfully,",
        referee,
    ]
    planted = [Planted("person", referee), Planted("address", ref_street), Planted("address", ref_place)]
    planted += [Planted("phone", ref_phone), Planted("email", ref_email), Planted("person", candidate)]
    planted += [Planted("dob", dob), Planted("address", street), Planted("address", place)]
    planted += [Planted("person", short, 2), Planted("ssn", identity, 2)]
    return [first_page, second_page], [*planted, Planted("person", referee, 2)]


TEMPLATES = (
    _coffee_cooperative_register,
    _savings_group_passbook,
    _passport_renewal,
    _device_registration,
    _school_fee_deposit_slip,
    _character_reference,
)


# ---------------------------------------------------------------------------- speech

_SAID = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def said_with_doubles(digits: str) -> str:
    """`0788 123 455` → `oh seven double eight, one two three, four double five`: zero as `oh`, a digit said
    twice or three times in a row as `double` or `triple`, a comma where the number had a gap."""
    groups = []
    for group in digits.split():
        words, at = [], 0
        while at < len(group):
            run = len(group[at:]) - len(group[at:].lstrip(group[at]))
            run = min(run, 3)
            words.append({1: "", 2: "double ", 3: "triple "}[run] + _SAID[int(group[at])])
            at += run
        groups.append(" ".join(words))
    return ", ".join(groups)


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "6")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack17Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(values._luganda)
    street, (area, _city) = rng.choice(_KAMPALA_STREETS), rng.choice(_KAMPALA_AREAS[:3])
    given = values._fresh(lambda: values.random.choice(("Cyusa", "Ganza", "Hirwa", "Shema", "Gisa")))
    local = "".join(c for c in unicodedata.normalize("NFD", given.lower()) if c.isascii() and c.isalpha())
    ssn = f"{rng.randint(100, 899)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}"
    phone = f"0788 {rng.randint(100, 999)} {rng.randint(100, 999)}"  # a Rwandan mobile: `oh seven double eight`
    card = spoken_card()
    sentences = {
        "card": f"My card's last digits are {digit_words(card.split()[-1])}, no, sorry, the whole number is "
        f"{digit_words(card)}.",
        "address": f"You can find me at plot {number_words(rng.randint(2, 90))}, {street}, {area}, Kampala.",
        "email": f"My e-mail is spelt {', '.join(local)}, {number_words(rng.randint(2, 9))}, at m t n dot c o dot r w.",
        "ssn": f"My member number at the social security fund goes {digit_words(ssn)}.",
        "person": f"It's {person} speaking, I rang about joining the cooperative.",
        "phone": f"The number to ring is {said_with_doubles(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()
