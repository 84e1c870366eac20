"""`held_back_20`'s documents and speech: six templates no slice used, with names where no slice put them (a
`prepared by` line, a CC list, photo captions, witness lines, a signature written by hand and the name in
capitals below it), addresses as blocks of three lines, an e-mail address in capitals or with a `+` tag,
network addresses in a server's logs and configuration; and six sentences said by espeak-ng in phrasings no
slice used; the values come from pii_sets_held_back_20."""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages, spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, luhn_digit
from mm_assets.operations.pii_sets_held_back_20 import SEED, HeldBack20Values
from mm_assets.operations.pii_sets_held_back_20_numbers import NETWORK_CONTEXTS, estonian_personal_code, network_address

# (espeak-ng voice and variant, words per minute): pairs, variants and rates no earlier slice used
# (espeak-ng voice and variant, words per minute): pairs, variants and rates no earlier slice used; the last
# variants espeak-ng has that no slice used: a line's echo, a rough or nervous voice, two synthetic ones
VOICES = (("en-gb-x-rp+RicishayMax2", 132), ("en-us+AnxiousAndy", 146), ("en-029+kaukovalta", 149),
          ("en-gb-scotland+croak", 116), ("en-us-nyc+robosoft4", 162), ("en-gb-x-gbclan+robosoft2", 128))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")


def _cooperative_meeting_minutes(v: HeldBack20Values) -> Pages:
    """A housing cooperative's minutes: members present in a sentence with their flats, a member's phone in a
    motion, arrears paid from an account; on the second page the line of who prepared them and a CC list of
    an e-mail address alone and a name with its address."""
    first, second, secretary = v.person(), v.maybe_damaged(v.person()), v.person()
    street, place = v.address_lines()
    phone, account = v.phone(), v.iban()
    copied = v.person()
    first_email, copied_email = v.email(first), v.email(copied)
    first_page = [
        f"HOUSING COOPERATIVE - MINUTES OF THE GENERAL MEETING   No. {v.random.randint(2, 19)}/2026",
        f"Held in the common room at {street}, {place}.",
        f"Present: {first} (flat {v.random.randint(1, 40)}), {second} (flat {v.random.randint(41, 80)}) and the",
        "board.",
        f"1. The roof repair is approved; {second} asks the roofer to call on {phone} before coming.",
        f"2. The arrears of last winter are settled from account {account}.",
    ]
    second_page = [
        "3. Any other business: none. The meeting closed at 20:40.",
        f"Minutes prepared by {secretary}, secretary",
        f"cc: {first_email}; {copied} <{copied_email}>; board archive",
    ]
    planted = [Planted("address", street), Planted("address", place), Planted("person", first)]
    planted += [Planted("person", second), Planted("phone", phone), Planted("iban", account)]
    planted += [Planted("person", secretary, 2), Planted("email", first_email, 2), Planted("person", copied, 2)]
    return [first_page, second_page], [*planted, Planted("email", copied_email, 2)]


def _property_inspection_report(v: HeldBack20Values) -> Pages:
    """A pre-purchase inspection: the property and the parties, then the photographs' captions, one naming the
    vendor, one the neighbour and the neighbour's address; the fee's card, the inspector's name and e-mail at
    the foot."""
    vendor, buyer, neighbour, inspector = v.person(), v.person(), v.person(), v.person()
    street, place = v.address_lines()
    next_street, next_place = v.address_lines()
    vendor_phone = v.phone()
    dob, born = v.date_of_birth()
    identity = v.identity_number(born)
    email, card = v.email(inspector), v.card()
    lines = [
        f"PRE-PURCHASE PROPERTY INSPECTION REPORT   Ref. PI-{v.random.randint(1000, 9999)}",
        f"Property:  {street}",
        f"           {place}",
        f"Vendor:    {vendor}, tel. {vendor_phone}",
        f"Buyer:     {buyer}, ID {identity}, {v.birth_label()}: {dob}",
        "Photo 1.  North wall: damp at skirting level, about 40 cm high.",
        f"Photo 2.  {vendor} opening the meter cupboard for the inspector.",
        f"Photo 3.  The shared fence, seen from the garden of {neighbour},",
        f"          {next_street}, {next_place}.",
        f"Inspection fee charged to card {card}",
        f"Inspected and written up by {inspector} ({email})",
    ]
    planted = [Planted("address", street), Planted("address", place), Planted("person", vendor)]
    planted += [Planted("phone", vendor_phone), Planted("person", buyer), Planted("ssn", identity)]
    planted += [Planted("dob", dob), Planted("person", neighbour), Planted("address", next_street)]
    planted += [Planted("address", next_place), Planted("card", card), Planted("person", inspector)]
    return [lines], [*planted, Planted("email", email)]


def _will_witness_page(v: HeldBack20Values) -> Pages:
    """A will: the testator, born, numbered and housed in one sentence, a gift from an account; on
    the second page the signature as a hand writes it and a scan reads it, the name in capitals below, and two
    witnesses each on a dotted line with an address."""
    testator, heir = v.person(), v.maybe_damaged(v.person())
    dob, born = v.date_of_birth()
    identity = v.identity_number(born)
    street, place = v.address_lines()
    account = v.iban()
    first_witness, second_witness = v.person(), v.person()
    first_witness_street, _place = v.address_lines()
    second_witness_street, _place = v.address_lines()
    signed, capitals = v.signature(testator), testator.upper()
    first_page = [
        "LAST WILL AND TESTAMENT",
        f"I, {testator}, born {dob}, identity no. {identity},",
        f"of {street}, {place}, revoke all my earlier wills.",
        f"I leave the savings in my account {account} to {heir}.",
    ]
    second_page = [
        "Signed by the testator",
        f"    {signed}",
        f"    {capitals}",
        "in our presence, and by us in the presence of the testator:",
        f"Witness 1 ........ {first_witness}, {first_witness_street}",
        f"Witness 2 ........ {second_witness}, {second_witness_street}",
    ]
    planted = [Planted("person", testator), Planted("dob", dob), Planted("ssn", identity), Planted("address", street)]
    planted += [Planted("address", place), Planted("iban", account), Planted("person", heir)]
    planted += [Planted("person", signed, 2)]
    planted += [Planted("person", capitals, 2), Planted("person", first_witness, 2)]
    planted += [Planted("address", first_witness_street, 2), Planted("person", second_witness, 2)]
    return [first_page, second_page], [*planted, Planted("address", second_witness_street, 2)]


def _shell_account_request(v: HeldBack20Values) -> Pages:
    """A service desk ticket for a shell account: the requester, an e-mail address with a `+` tag, the manager
    and a phone, the office; then the log and configuration lines the requester pasted, with their addresses
    (three of the five contexts, none twice)."""
    requester, manager = v.person(), v.person()
    local, domain = v.email(requester).split("@")
    email = f"{local}+tickets@{domain}"
    phone = v.phone()
    street, place = v.address_lines()
    pasted = [network_address(v.random, context) for context in v.random.sample(NETWORK_CONTEXTS, 3)]
    lines = [
        f"SERVICE DESK - REQUEST FOR A SHELL ACCOUNT   Ticket #{v.random.randint(10000, 99999)}",
        f"Requester: {requester}",
        f"Notify: {email}",
        f"Approved by: {manager}, {phone}",
        f"Office: {street}, {place}",
        "Reason: access to the build host for the spring release.",
        "Pasted by the requester (auth.log, dhcpd.conf, the VPN portal):",
        *(f"  {written}" for _address, written in pasted),
    ]
    planted = [Planted("person", requester), Planted("email", email), Planted("person", manager)]
    planted += [Planted("phone", phone), Planted("address", street), Planted("address", place)]
    return [lines], [*planted, *(Planted("ip", address) for address, _written in pasted)]


def _money_transfer_order(v: HeldBack20Values) -> Pages:
    """A money transfer order: sender and beneficiary each as a block of three lines (name, street, place),
    the sender's identity number and card, the beneficiary's account and e-mail address in capitals."""
    sender, beneficiary = v.person(), v.person()
    sender_street, sender_place = v.address_lines()
    beneficiary_street, beneficiary_place = v.address_lines()
    dob, born = v.date_of_birth()
    identity, phone, card = v.identity_number(born), v.phone(), v.card()
    account, email = v.iban(), v.email(beneficiary).upper()
    lines = [
        f"INTERNATIONAL MONEY TRANSFER ORDER   Ref. MT-{v.random.randint(100000, 999999)}",
        "SENDER",
        f"  {sender}",
        f"  {sender_street}",
        f"  {sender_place}",
        f"  ID {identity}   {v.birth_label()}: {dob}   Tel. {phone}",
        f"  Paid by card {card}",
        "BENEFICIARY",
        f"  {beneficiary}",
        f"  {beneficiary_street}",
        f"  {beneficiary_place}",
        f"  Account {account}   E-MAIL {email}",
        "Purpose: school fees for the second term",
    ]
    planted = [Planted("person", sender), Planted("address", sender_street), Planted("address", sender_place)]
    planted += [Planted("ssn", identity), Planted("dob", dob), Planted("phone", phone), Planted("card", card)]
    planted += [Planted("person", beneficiary), Planted("address", beneficiary_street)]
    planted += [Planted("address", beneficiary_place), Planted("iban", account), Planted("email", email)]
    return [lines], planted


def _landlord_reference_letter(v: HeldBack20Values) -> Pages:
    """A landlord's reference: a letterhead of name, street, place and a contact line; the tenant's birth
    date in a sentence; a title of the landlord's language before the tenant's name."""
    landlord = v.person()
    title, tenant = v.titled()
    street, place = v.address_lines()
    flat_street, flat_place = v.address_lines()
    phone, email = v.phone(), v.email(landlord)
    dob, _born = v.date_of_birth()
    lines = [
        landlord,
        street,
        place,
        f"{phone} · {email}",
        "",
        "To whom it may concern,",
        f"{title} {tenant}, born {dob}, rented my flat at {flat_street},",
        f"{flat_place}, for four years, paid the rent on the first of each month and left",
        "the flat as it was found. I would let to the same tenant again without hesitation.",
        f"{v.birth_label()} of the tenant, as given on the lease: {dob}",
    ]
    planted = [Planted("person", landlord), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", tenant), Planted("dob", dob)]
    return [lines], [*planted, Planted("address", flat_street), Planted("address", flat_place)]


TEMPLATES = (
    _cooperative_meeting_minutes,
    _property_inspection_report,
    _will_witness_page,
    _shell_account_request,
    _money_transfer_order,
    _landlord_reference_letter,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (a Luhn-valid Cabal number, 16 digits in groups of four)."""
    rng = random.Random(SEED + 1)
    body = "604201" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    number = body + luhn_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack20Values(SEED + 2), random.Random(SEED + 3)
    family, given, patronymic = values._fresh(lambda: _buryat_in_full(values)).split()
    occitan = [values.email_word(word) for word in values._fresh(values._occitan).split()]
    code = estonian_personal_code(rng, "19840917")
    phone = f"{rng.randint(20, 68)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    sentences = {
        "card": f"Reading it off the embossed front, the digits go {digit_words(spoken_card())}.",
        "address": "You will find our house in Bikenibeu village, South Tarawa, behind the big maneaba by the "
        "lagoon road.",
        "email": f"Type it in small letters, {occitan[0]} underscore {occitan[1]}, at laposte dot net.",
        "ssn": f"On the Estonian card the personal code is {digit_words(code)}.",
        "person": f"The family name goes first on the Russian form: {family}, then {given} {patronymic}.",
        "phone": f"The landline in Ulan-Ude is area code three oh one two, {digit_words(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


def _buryat_in_full(values: HeldBack20Values) -> str:
    """A Buryat name as a Russian form writes it, family name, given name, patronymic, drawn until it is."""
    while len(name := values._buryat().split()) != 3:
        pass
    return " ".join(name)


SPOKEN_PII = spoken_pii()
