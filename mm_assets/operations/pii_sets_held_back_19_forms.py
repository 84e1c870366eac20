"""`held_back_19`'s documents and speech: six templates no slice used, set as real ones are (parties in a table
with signatures on a second page, a form grid with an e-mail address broken at the end of a line, a card number
split over two lines, an e-mail body signed without a greeting, a pay advice, a visa form's numbered fields), and
six sentences said by espeak-ng in phrasings no slice used; the values come from pii_sets_held_back_19."""

from __future__ import annotations

import random

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages, spoken_in_turn
from mm_assets.operations.pii_sets_held_back_11_12 import digit_words, number_words
from mm_assets.operations.pii_sets_held_back_11_12 import spoken_card as spoken_card_of_seed
from mm_assets.operations.pii_sets_held_back_19 import _KOROR_HAMLETS, SEED, HeldBack19Values
from mm_assets.operations.pii_sets_held_back_19_numbers import swiss_ahv, tax_file_number

# (espeak-ng voice and variant, words per minute): pairs, variants and rates no earlier slice used
VOICES = (("en-gb-x-gbcwmd+iven3", 108), ("en-us+klatt6", 126), ("en-gb-x-gbclan+steph3", 144),
          ("en-029+Gene2", 158), ("en-us-nyc+iven4", 171), ("en-gb-scotland+announcer", 185))  # fmt: skip
SPOKEN_KINDS = ("card", "address", "email", "ssn", "person", "phone")


def split_at_middle(value: str) -> str:
    """The value broken over two lines at its middle gap, as a narrow form box breaks it."""
    gaps = [i for i, char in enumerate(value) if char == " "]
    at = gaps[len(gaps) // 2]
    return f"{value[:at]}\n{value[at + 1 :]}"


def _room_in_shared_flat(v: HeldBack19Values) -> Pages:
    """A room let in a shared flat: the address in the opening sentence, the parties in a table with their
    phones and identity numbers, then a second page of signatures: the tenant's name alone, and a witness."""
    landlord, tenant = v.person(), v.person()
    street, place = v.address_lines()
    (landlord_phone, tenant_phone), account = (v.phone(), v.phone()), v.iban()
    landlord_id, tenant_id = (v.identity_number(v.date_of_birth()[1]) for _ in range(2))
    email = v.email(tenant)
    title, witness = v.titled()
    first_page = [
        f"AGREEMENT FOR A ROOM IN A SHARED FLAT   No. R-{v.random.randint(1000, 9999)}",
        f"The room let is at {street}, {place}, the second door on the left.",
        "| Party    | Name                          | Telephone            | Identity no.       |",
        f"| Landlord | {landlord:<29} | {landlord_phone:<20} | {landlord_id:<18} |",
        f"| Tenant   | {tenant:<29} | {tenant_phone:<20} | {tenant_id:<18} |",
        f"Deposit of two months' rent paid into {account}; notices to the tenant at {email}.",
    ]
    second_page = ["Signed on the day written above.", tenant, f"Witness: {title} {witness}"]
    planted = [Planted("address", street), Planted("address", place), Planted("person", landlord)]
    planted += [Planted("phone", landlord_phone), Planted("ssn", landlord_id), Planted("person", tenant)]
    planted += [Planted("phone", tenant_phone), Planted("ssn", tenant_id), Planted("iban", account)]
    planted += [Planted("email", email), Planted("person", tenant, 2), Planted("person", witness, 2)]
    return [first_page, second_page], planted


def _blood_panel_requisition(v: HeldBack19Values) -> Pages:
    """A laboratory's requisition set as a grid of labelled cells; the results' e-mail address broken at the
    end of a line where the cell ends."""
    patient, doctor = v.maybe_damaged(v.person()), v.person()
    dob, born = v.date_of_birth()
    identity, phone = v.identity_number(born), v.phone()
    street, place = v.address_lines()
    email = v.email(patient)
    local, domain = email.split("@")
    lines = [
        f"LABORATORY REQUISITION - BLOOD PANEL   Sample {v.random.randint(100000, 999999)}",
        "+--------------------------------------+--------------------------------------+",
        f"| Patient: {patient:<27} | {v.birth_label()}: {dob}",
        f"| Identity no.: {identity:<22} | Tel.: {phone}",
        f"| Address: {street}",
        f"|          {place}",
        f"| Requested by Dr {doctor}; results by e-mail to {local}@",
        f"{domain} (copy to the ward)",
        "+--------------------------------------+--------------------------------------+",
        "Tests: full blood count, ferritin, HbA1c. Fasting: yes.",
    ]
    planted = [Planted("person", patient), Planted("dob", dob), Planted("ssn", identity), Planted("phone", phone)]
    planted += [Planted("address", street), Planted("address", place), Planted("person", doctor)]
    return [lines], [*planted, Planted("email", f"{local}@\n{domain}")]


def _nursery_place_application(v: HeldBack19Values) -> Pages:
    """A nursery's application: the child on dotted lines, the parents in a grid, a person titled in their own
    language allowed to collect, and the fees' card number split over two lines."""
    child, first_parent, second_parent = v.person(), v.person(), v.maybe_damaged(v.person())
    dob, _born = v.date_of_birth()
    street, place = v.address_lines()
    first_phone, second_phone = v.phone(), v.phone()
    title, collector = v.titled()
    card = v.card()
    split_card = split_at_middle(card) if " " in card else f"{card[:8]}\n{card[8:]}"
    lines = [
        "APPLICATION FOR A PLACE AT THE VILLAGE NURSERY",
        f"Child .......... {child}",
        f"Born ........... {dob}",
        f"Home ........... {street}, {place}",
        f"| Parent 1 | {first_parent} | {first_phone} |",
        f"| Parent 2 | {second_parent} | {second_phone} |",
        f"May also collect the child: {title} {collector}",
        f"Monthly fees charged to card no. {split_card.splitlines()[0]}",
        f"{split_card.splitlines()[1]} (valid to 09/29)",
    ]
    planted = [Planted("person", child), Planted("dob", dob), Planted("address", street), Planted("address", place)]
    planted += [Planted("person", first_parent), Planted("phone", first_phone), Planted("person", second_parent)]
    planted += [Planted("phone", second_phone), Planted("person", collector)]
    return [lines], [*planted, Planted("card", split_card)]


def _storm_damage_claim(v: HeldBack19Values) -> Pages:
    """A storm damage claim: the policyholder's form, then the e-mail that came with it, whose body names the
    damaged house in a sentence and a neighbour with a phone, and ends with a name and a phone, no greeting."""
    holder, neighbour, writer = v.person(), v.person(), v.person()
    dob, _born = v.date_of_birth()
    street, place = v.address_lines()
    house_street, house_place = v.address_lines()
    account, email = v.iban(), v.email(writer)
    neighbour_phone, writer_phone = v.phone(), v.phone()
    form = [
        f"HOUSEHOLD INSURANCE - STORM DAMAGE CLAIM   Policy HH-{v.random.randint(100000, 999999)}",
        f"Policyholder: {holder}",
        f"{v.birth_label()}: {dob}",
        f"Correspondence address: {street}",
        f"                        {place}",
        f"Settlement to be paid to: {account}",
    ]
    message = [
        f"From: {email}",
        "To: claims desk",
        "Subject: roof, claim attached",
        f"The wind took half the roof of the house at {house_street}, {house_place} on Sunday night.",
        f"{neighbour} next door saw the tiles come down and can be reached on {neighbour_phone}.",
        "Photos follow tomorrow.",
        writer,
        writer_phone,
    ]
    planted = [Planted("person", holder), Planted("dob", dob), Planted("address", street), Planted("address", place)]
    planted += [Planted("iban", account), Planted("email", email, 2), Planted("address", house_street, 2)]
    planted += [Planted("address", house_place, 2), Planted("person", neighbour, 2)]
    planted += [Planted("phone", neighbour_phone, 2), Planted("person", writer, 2)]
    return [form, message], [*planted, Planted("phone", writer_phone, 2)]


def _seasonal_worker_pay_advice(v: HeldBack19Values) -> Pages:
    """A seasonal worker's pay advice: the worker's tax file number, home address abroad in one cell, the
    supervisor, and the addresses the payroll portal saw the advice opened from."""
    worker, supervisor = v.maybe_damaged(v.person()), v.person()
    tax = tax_file_number(v.random)
    street, place = v.address_lines()
    account, phone = v.iban(), v.phone()
    (first, first_written), (second, second_written) = v.ip_address(), v.ip_address()
    lines = [
        f"PAY ADVICE - SEASONAL WORKER SCHEME   Period {v.random.randint(1, 26):02d}/2026",
        f"| Worker | {worker} | TFN {tax} |",
        f"| Home   | {street}, {place} |",
        "| Hours 76.0 | Rate 31.20 | Gross 2,371.20 | Tax 355.68 | Net 2,015.52 |",
        f"Net pay credited to {account}",
        f"Supervisor: {supervisor}, {phone}",
        "Portal log, the last two openings of this advice:",
        f"  {first_written}",
        f"  {second_written}",
    ]
    planted = [Planted("person", worker), Planted("ssn", tax), Planted("address", street), Planted("address", place)]
    planted += [Planted("iban", account), Planted("person", supervisor), Planted("phone", phone)]
    return [lines], [*planted, Planted("ip", first), Planted("ip", second)]


def _visa_application_form_data(v: HeldBack19Values) -> Pages:
    """A visa application's form data as its numbered fields print: the applicant, a Swiss AHV number where the
    applicant has one, the host named after a title of their own language with the host's address, the fee's
    card and the address the form was sent from."""
    applicant = v.person()
    dob, born = v.date_of_birth()
    identity = swiss_ahv(v.random) if v.random.random() < 0.3 else v.identity_number(born)
    street, place = v.address_lines()
    phone, email = v.phone(), v.email(applicant)
    title, host = v.titled()
    host_street, host_place = v.address_lines()
    card, (address, written) = v.card(), v.ip_address()
    lines = [
        "VISA APPLICATION - FORM DATA",
        f"01 Surname(s), given name(s) ......... {applicant}",
        f"02 {v.birth_label()} ........ {dob}",
        f"03 National identity number ........ {identity}",
        f"04 Home address .................... {street}",
        f"                                     {place}",
        f"05 Telephone / e-mail .............. {phone} / {email}",
        f"06 Host: {title} {host}, {host_street}, {host_place}",
        f"07 Fee paid by card {card}",
        f"Submitted online; {written}",
    ]
    planted = [Planted("person", applicant), Planted("dob", dob), Planted("ssn", identity), Planted("address", street)]
    planted += [Planted("address", place), Planted("phone", phone), Planted("email", email), Planted("person", host)]
    planted += [Planted("address", host_street), Planted("address", host_place), Planted("card", card)]
    return [lines], [*planted, Planted("ip", address)]


TEMPLATES = (
    _room_in_shared_flat,
    _blood_panel_requisition,
    _nursery_place_application,
    _storm_damage_claim,
    _seasonal_worker_pay_advice,
    _visa_application_form_data,
)


# ---------------------------------------------------------------------------- speech


def spoken_card() -> str:
    """The card number the slice's speech says (Luhn-valid, 16 digits in groups of four)."""
    return spoken_card_of_seed(SEED, "9")


def spoken_pii() -> tuple[tuple[str, int, str, str], ...]:
    """(espeak-ng voice, words per minute, kind, what is said), values from the slice's own generator."""
    values, rng = HeldBack19Values(SEED + 2), random.Random(SEED + 3)
    person = values._fresh(values._manx)
    given = values._fresh(lambda: values._word(("Ill", "Moir", "Bree", "Chal"), ("iam", "rey", "sha")))
    family = values._fresh(lambda: values._word(("Qu", "Corl", "Kin"), ("ayle", "ett", "invig")))
    ahv = swiss_ahv(rng).replace(".", " ")
    phone = f"{rng.randint(600, 899)} {rng.randint(100, 999)}"
    card = spoken_card()
    sentences = {
        "card": f"Charge the deposit to the long number printed on the front, {digit_words(card)}, thank you.",
        "address": f"Mail goes to post office box {number_words(rng.randint(100, 999))}, Koror, in "
        f"{rng.choice(_KOROR_HAMLETS)}, Republic of Palau, nine six nine four zero.",
        "email": f"All lower case please, {given.lower()} dash {family.lower()} at manx dot net.",
        "ssn": f"Her insurance number on the grey card reads {digit_words(ahv)}.",
        "person": f"Surname first for the register: {person.split()[1]}, then {person.split()[0]}.",
        "phone": f"Ring the landline on the island, oh one six two four, {digit_words(phone)}.",
    }
    return spoken_in_turn(VOICES, SPOKEN_KINDS, sentences)


SPOKEN_PII = spoken_pii()
