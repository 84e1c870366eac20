"""pii-patterns-v13: what follows a field label is that kind of value, in any locale, whatever its shape
(resources/pii_labels.py), and an address block is told by its position (after an address label, after a
labelled name, around a place named with its type). Values are made up here; the shapes are those forms and
letters write (and `held_back_10`, tuning material since its one blind run, leaked). Beside each, the same
label words in technical prose, which must stay."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from tests.test_pii_blocks import redacted, untouched

DETECTOR = PiiDetector()


def test_the_version_is_v13():
    assert PATTERNS_VERSION == "pii-patterns-v23"


@pytest.mark.parametrize(
    "text, value",
    [
        ("Patient Aqch'a Mask DOB ngày 20 tháng 10 năm 1944 Sample 789558", "ngày 20 tháng 10 năm 1944"),
        ("invite Quỳ Hữu Đũ Hạch, born ngày 21 tháng 8 năm 2011, to stay with me", "ngày 21 tháng 8 năm 2011"),
        ("Geburtsdatum: 3. Mai 1961, Staatsangehörigkeit: deutsch", "3. Mai 1961"),
        ("Fecha de nacimiento: 4 de mayo de 1990 Nacionalidad: peruana", "4 de mayo de 1990"),
        ("Születési dátum: 1975. 03. 14. Anyja neve: Kiss Mária", "1975. 03. 14."),
        ("Child: Ūlesāmu Lōsatusāla born 2016.06.04. Father: Ae'a Laemumu", "2016.06.04."),
        ("Patient Tamar Kvari DOB 1.2.1939 Sample 447112", "1.2.1939"),
        ("Patient Tamar Kvari D0B 1.2.1939 Sample 447112", "1.2.1939"),  # OCR's zero for the O
        ("Mme Claire Aubert, née le 12/07/1984 à Lyon", "12/07/1984"),
        ("Дата рождения: 17 дек 1998 Гражданство: РФ", "17 дек 1998"),
        ("Doğum tarihi: 5 Mart 1988 Uyruk: TC", "5 Mart 1988"),
        ("Surname:Tzutlubror Givenname:Nkyskutlish Dateofbirth:17dekabr1998 Address:", "17dekabr1998"),  # OCR glued
    ],
)
def test_a_date_after_a_birth_label_in_any_locale(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Viewings: ask for Afioga Talōimu, (+995) 559-45-15-13 (evenings)", "(+995) 559-45-15-13"),
        ("Тел.: 8 (495) 123-45-67, факс нет", "8 (495) 123-45-67"),
        ("電話: 03-1234-5678 住所: 東京都", "03-1234-5678"),
        ("Điện thoại: 0912 345 678 Email", "0912 345 678"),
        ("Host's telephone: 06-20/123-4567 Yours faithfully,", "06-20/123-4567"),
        ("Mob. 7 123 456 Plan: 12 months", "7 123 456"),
    ],
)
def test_a_number_after_a_phone_label_in_any_locale(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


def test_a_phone_with_its_country_code_in_brackets_keeps_the_bracket_and_leaves_the_next_one():
    text = "Viewings: ask for Afioga Talōimu, (+995) 559-45-15-13 (evenings)"
    assert untouched(text, "(evenings)")
    assert [text[f.start : f.end] for f in DETECTOR.find(text) if f.kind == "phone"] == ["(+995) 559-45-15-13"]


@pytest.mark.parametrize(
    "text, value, kind",
    [
        ("Passport No. C01X00T47, valid until 2030", "C01X00T47", "id"),
        ("DNI: 12345678-Z Domicilio: Lima", "12345678-Z", "id"),
        ("Số CCCD: 001 203 004 567 cấp ngày", "001 203 004 567", "id"),
        ("PESEL 85010112345, adres zamieszkania", "85010112345", "id"),
        ("Employee ID: 40-7713 Department: Sales", "40-7713", "id"),
        ("E-mail: nino.beridzesilknet.ge Tel. 577 12 34 56", "nino.beridzesilknet.ge", "email"),  # OCR lost the @
    ],
)
def test_an_identity_number_or_an_address_after_its_label(text: str, value: str, kind: str):
    assert redacted(text, value), DETECTOR.find(text)
    start = text.index(value)
    assert any(f.kind == kind and f.start <= start < f.end for f in DETECTOR.find(text))


@pytest.mark.parametrize(
    "text, address",
    [
        (
            "Abode: Fale near the church, Ūtaita village, Upolu, Samoa Baptised by Fr Ioane",
            "Fale near the church, Ūtaita village, Upolu, Samoa",
        ),
        (
            "Địa chỉ: Số 12 ngõ 251 phố Kim Mã, phường Ngọc Khánh, quận Ba Đình, Hà Nội Điện thoại: 0912 345 678",
            "Số 12 ngõ 251 phố Kim Mã, phường Ngọc Khánh, quận Ba Đình, Hà Nội",
        ),
        (
            "I, Eszter Bodnár, residing at Csadai út 52. I/2, 1220 Budapest, invite my cousin",
            "Csadai út 52. I/2, 1220 Budapest",
        ),
        (
            "Employee: Rabemanana Miavoahangy Lot IIF 44 Bis Isoraka 102 Antananarivo Basic pay 2,450.00",
            "Lot IIF 44 Bis Isoraka 102 Antananarivo",
        ),
        (
            "Employee: Rabemanana Miavoahangy Fale near the church, Tumu'a village Savai'i, Samoa Basic pay 2,450.00",
            "near the church, Tumu'a village Savai'i, Samoa",
        ),
        (
            "Home address: P.O. Box 37471-40100 | Kisumu, Kenya Mobile: +976 9751-1037",
            "P.O. Box 37471-40100 | Kisumu, Kenya",
        ),
        ("Address: Asuretis K. 71; Vale Telephone: 09 7855892", "Asuretis K. 71; Vale"),
        ("Dateofbirth:18-12-1979 Address:AsuretisK.71;Vale Telephone:097855892", "AsuretisK.71;Vale"),  # OCR glued
        ("I live at 178, Dosan-daero, Haeundae-gu, Busan 27905. E-mail for reminders", "178, Dosan-daero, Haeundae-gu"),
        (
            "FOR RENT - bright flat, furnished Fale near the church, Lōpamuma village Upolu, Samoa Deposit two months",
            "Fale near the church, Lōpamuma village Upolu, Samoa",
        ),
    ],
)
def test_an_address_block_after_a_label_or_a_labelled_name_or_around_a_named_place(text: str, address: str):
    assert redacted(text, address), DETECTOR.find(text)
    for prose in ("Baptised by", "invite my cousin", "Basic pay", "Deposit two months", "Mobile", "Telephone"):
        if prose in text:
            assert untouched(text, prose), DETECTOR.find(text)


def test_a_name_in_lower_case_after_a_person_label():
    text = "Register of Baptisms, entry No. 253 Child: giân văn giô linh born 2009. 11. 13. Father: Tokytiana Rako"
    assert redacted(text, "giân văn giô linh") and redacted(text, "2009. 11. 13.")
    # as OCR reads it: the marks gone, "van" an English word between the name's words, "DOB" glued on
    ocr = "Child: gian van gio linh born ngay 4 thang 4 nam 2010 Father: Ae'a Laemumu"
    assert redacted(ocr, "gian van gio linh") and redacted(ocr, "ngay 4 thang 4 nam 2010")
    glued = "Patient Tosodi TottilaDOB 2016.06.04.Sample 775366 Haemoglobin 13.9 g/dL"
    assert redacted(glued, "2016.06.04.") and untouched(glued, "775366")


@pytest.mark.parametrize(
    "text, term",
    [
        ("Set the phone field to a string of at most 40 characters; the DOB column holds a date.", "phone field"),
        ("Set the phone field to a string of at most 40 characters; the DOB column holds a date.", "DOB column"),
        ("The address: field of struct sockaddr holds the host, see section 4.2.1 of RFC 791.", "field of struct"),
        ("Each process ID: 4711 is assigned by the kernel at fork time.", "4711"),
        ("Born-again shells read 12 lines of the birthday paradox table.", "12 lines"),
        ("Call the mobile handler 3 times before the cell 12 is read.", "cell 12"),
        ("Name: glp_read_graph - read graph from plain text file", "glp_read_graph - read"),
        ("E-mail support is available; see the README.txt in the source tree.", "README.txt"),
        ("Green village models grow in 12 districts of the simulation.", "Green village"),
        ("Address: the address of the buffer, 4096 bytes aligned.", "the address of the buffer"),
        ("Base address: 0x7FFF0000 is mapped at boot.", "0x7FFF0000"),
    ],
)
def test_label_words_in_technical_prose_are_no_fields(text: str, term: str):
    assert untouched(text, term), [(text[f.start : f.end], f.kind) for f in DETECTOR.find(text)]
