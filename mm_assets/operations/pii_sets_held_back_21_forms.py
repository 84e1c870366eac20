"""`held_back_21`'s documents: six templates no slice used, with names where no slice put them (the family names
and given name of one person in three boxes of a receipt, a list of survivors in a death notice, a scan's file
name, the quoted `wrote:` line of an e-mail reply, the cells of a harbour's register, an emergency contact in
brackets), address blocks under a name with no label, dates of birth on a line of their own, and network
addresses in a server's lines; the values come from pii_sets_held_back_21, the speech from
pii_sets_held_back_21_speech."""

from __future__ import annotations

from mm_assets.operations.pii_sets import Planted
from mm_assets.operations.pii_sets_built_names import Pages
from mm_assets.operations.pii_sets_held_back_21 import HeldBack21Values
from mm_assets.operations.pii_sets_held_back_21_numbers import NETWORK_CONTEXTS, network_address


def _funeral_arrangement_form(v: HeldBack21Values) -> Pages:
    """A funeral home's arrangement form: the deceased with a home address and, on a line of its own, a date of
    birth under a label in the family's language; the informant and how to reach them; on the second page the
    notice as it will be printed, the survivors named in a sentence, and the card the deposit was taken from."""
    deceased, informant = v.person(), v.person()
    first_survivor, second_survivor = v.person(), v.maybe_damaged(v.person())
    street, place = v.address_lines()
    dob, born = v.date_of_birth()
    identity, phone, email, card = v.identity_number(born), v.phone(), v.email(informant), v.card()
    first_page = [
        f"FUNERAL ARRANGEMENT FORM   File FA-{v.random.randint(100, 999)}/26",
        "Particulars of the deceased",
        f"  Full name ............ {deceased}",
        f"  Usual address ........ {street}",
        f"                         {place}",
        f"  {v.birth_label()}:",
        f"      {dob}",
        f"  Identity document .... {identity}",
        f"Informant: {informant} (nephew), reachable on {phone} or {email}",
    ]
    second_page = [
        "Notice as it will be printed:",
        f"  Peacefully at home. Survived by {first_survivor} and {second_survivor},",
        "  who thank all who came. Service at the parish church on Saturday at eleven.",
        f"Deposit of 400.00 taken from card {card}",
    ]
    planted = [Planted("person", deceased), Planted("address", street), Planted("address", place)]
    planted += [Planted("dob", dob), Planted("ssn", identity), Planted("person", informant), Planted("phone", phone)]
    planted += [Planted("email", email), Planted("person", first_survivor, 2), Planted("person", second_survivor, 2)]
    return [first_page, second_page], [*planted, Planted("card", card, 2)]


def _water_committee_receipt(v: HeldBack21Values) -> Pages:
    """A village water committee's receipt, in Spanish: the payer's two family names and given name in three boxes
    under their labels, an identity number, the house, the date of birth for the register; the treasurer signs."""
    father, mother, given = v.mexican_parts()
    street, place = v.address_lines()
    dob, born = v.date_of_birth()
    identity, phone, card, treasurer = v.identity_number(born), v.phone(), v.card(), v.person()
    lines = [
        f"COMITÉ DE AGUA POTABLE   RECIBO No. {v.random.randint(1000, 9999)}",
        "| Apellido paterno | Apellido materno | Nombre(s) |",
        f"| {father} | {mother} | {given} |",
        f"Clave: {identity}",
        f"Domicilio: {street}",
        f"           {place}",
        f"Tel. {phone}      {v.birth_label()} {dob}",
        "Concepto: cuota anual de la toma de agua, 2026 ......... $ 850.00",
        f"Pagado con tarjeta {card}",
        f"Recibió: {treasurer}, tesorero",
    ]
    planted = [Planted("person", father), Planted("person", mother), Planted("person", given)]
    planted += [Planted("ssn", identity), Planted("address", street), Planted("address", place)]
    planted += [Planted("phone", phone), Planted("dob", dob), Planted("card", card)]
    return [lines], [*planted, Planted("person", treasurer)]


def _employee_exit_checklist(v: HeldBack21Values) -> Pages:
    """An HR exit checklist: the leaver and the manager, a forwarding address as a block under its label, the date
    of birth in the payroll row, the final pay's account, the scanned identity document's file name (the last
    and first words of the name joined by an underscore) and the network lines of what the leaver still reaches."""
    leaver, manager = v.person(), v.person()
    street, place = v.address_lines()
    dob, born = v.date_of_birth()
    identity, phone, email, account = v.identity_number(born), v.phone(), v.email(leaver), v.iban()
    words = [v.email_word(word) for word in leaver.split()]
    file_name = f"{words[-1]}_{words[0]}" if len(words) > 1 else words[0]
    first, second = (network_address(v.random, context) for context in v.random.sample(NETWORK_CONTEXTS, 2))
    lines = [
        f"EXIT CHECKLIST   HR-{v.random.randint(10000, 99999)}",
        f"Leaver: {leaver}            Line manager: {manager}",
        "Forwarding address:",
        f"    {street}",
        f"    {place}",
        f"Payroll: {identity} | {dob} | final pay to {account}",
        f"Personal contact after leaving: {phone}, {email}",
        f"Identity document on file: scans/{file_name}.pdf",
        "Access still open on the last day (to be closed by IT):",
        f"    {first[1]}",
        f"    {second[1]}",
    ]
    planted = [Planted("person", leaver), Planted("person", manager), Planted("address", street)]
    planted += [Planted("address", place), Planted("ssn", identity), Planted("dob", dob), Planted("iban", account)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", file_name)]
    return [lines], [*planted, Planted("ip", first[0]), Planted("ip", second[0])]


def _email_thread_printout(v: HeldBack21Values) -> Pages:
    """An e-mail thread printed for a file: the headers with a proxy's line, the reply, then on the second page
    the quoted message under its `wrote:` line (an address and an account quoted with `> `), and the
    signature block after `-- ` (a name, an address, a phone)."""
    sender, recipient = v.person(), v.person()
    title, mentioned = v.titled()
    sender_email, recipient_email = v.email(sender), v.email(recipient)
    address, written = network_address(v.random, "forwarded")
    street, place = v.address_lines()
    sign_street, sign_place = v.address_lines()
    account, phone = v.iban(), v.phone()
    first_page = [
        f"From: {recipient} <{recipient_email}>",
        f"To: {sender_email}",
        "Subject: Re: the keys and the deposit",
        written,
        "",
        f"Thank you, the keys went to {title} {mentioned} this morning. The deposit follows next week.",
    ]
    second_page = [
        f"On Tue, 3 Nov 2026 at 09:14, {sender} <{sender_email}> wrote:",
        "> Please leave the keys with the neighbour at",
        f"> {street}, {place}",
        f"> and send the deposit to {account}.",
        "-- ",
        sender,
        sign_street,
        sign_place,
        phone,
    ]
    planted = [Planted("person", recipient), Planted("email", recipient_email), Planted("email", sender_email)]
    planted += [Planted("ip", address), Planted("person", mentioned), Planted("person", sender, 2)]
    planted += [Planted("address", street, 2), Planted("address", place, 2), Planted("iban", account, 2)]
    planted += [
        Planted("email", sender_email, 2),
        Planted("address", sign_street, 2),
        Planted("address", sign_place, 2),
    ]
    return [first_page, second_page], [*planted, Planted("phone", phone, 2)]


def _mooring_register(v: HeldBack21Values) -> Pages:
    """A harbour's mooring register: a table of berths, boats, owners and phones; the cell after `Home address`
    for the first owner; an owner's e-mail; the account for the fees; the harbour master at the foot."""
    owners = [v.person() for _ in range(3)]
    phones = [v.phone() for _ in range(3)]
    street, place = v.address_lines()
    email, account, master = v.email(owners[1]), v.iban(), v.person()
    boats = ("Mor Glas", "Vaimiti", "A Stella")
    rows = [f"| B{v.random.randint(1, 60)} | {boat} | {owner} | {phone} |" for boat, owner, phone in
            zip(boats, owners, phones, strict=True)]  # fmt: skip
    lines = [
        "HARBOUR MOORING REGISTER - WINTER 2026/27",
        "| Berth | Boat | Owner | Telephone |",
        *rows,
        f"| Home address | {street}, {place} |",
        f"Second owner's e-mail for the harbour's notices: {email}",
        f"Fees by transfer to {account}",
        f"Checked by the harbour master, {master}",
    ]
    planted = [Planted("person", owner) for owner in owners] + [Planted("phone", phone) for phone in phones]
    planted += [Planted("address", street), Planted("address", place), Planted("email", email)]
    return [lines], [*planted, Planted("iban", account), Planted("person", master)]


def _pet_microchip_registration(v: HeldBack21Values) -> Pages:
    """A pet's microchip registration: the keeper's name and under it the address with no label, the keeper's
    date of birth, phone and e-mail; an emergency contact in brackets; the vet; the fee's card; the line of the
    registry's log that records where the form was sent from."""
    keeper, contact, vet = v.person(), v.person(), v.person()
    street, place = v.address_lines()
    dob, _born = v.date_of_birth()
    phone, contact_phone, email, card = v.phone(), v.phone(), v.email(keeper), v.card()
    address, written = network_address(v.random, v.random.choice(("nginx", "postfix")))
    lines = [
        f"PET MICROCHIP REGISTRATION   Chip 9{v.random.randint(10**13, 10**14 - 1)}",
        "Animal: cat, female, tabby, neutered",
        "Keeper",
        f"  {keeper}",
        f"  {street}",
        f"  {place}",
        f"  {v.birth_label()}: {dob}",
        f"  {phone} / {email}",
        f"(If the keeper cannot be reached: {contact}, {contact_phone})",
        f"Implanted by {vet}, veterinary surgeon",
        f"Registration fee paid by card {card}",
        f"Received: {written}",
    ]
    planted = [Planted("person", keeper), Planted("address", street), Planted("address", place), Planted("dob", dob)]
    planted += [Planted("phone", phone), Planted("email", email), Planted("person", contact)]
    planted += [Planted("phone", contact_phone), Planted("person", vet), Planted("card", card)]
    return [lines], [*planted, Planted("ip", address)]


TEMPLATES = (
    _funeral_arrangement_form,
    _water_committee_receipt,
    _employee_exit_checklist,
    _email_thread_printout,
    _mooring_register,
    _pet_microchip_registration,
)
