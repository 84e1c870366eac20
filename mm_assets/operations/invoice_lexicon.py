"""An invoice's vocabulary in the languages the hand-written label patterns (operations.invoice_label_words) do
not cover, as data: per language, the words for the document's title, its number, issue and due dates, net
amount, tax, total, and the two parties (the seller who issues it, the buyer it is addressed to).

Why data and not more patterns: every round so far tuned patterns on the layouts of one set and lost the fields
of the next set's languages. A phrase here is plain text; `phrase_pattern` makes it tolerant the same way for
every language (spaces optional, as OCR drops them; each accented letter also read without its accent, as OCR
and ASCII renderings drop them; an abbreviation's dot optional), and the label modules read these patterns after
their own (one rank per field, the last), so a field a hand-written pattern finds is found by it first. Only
phrases that name the field without doubt in their language are listed: a bare "Data" or "Datum" is already read
as a date label, a bare "Nr" as a number's; and none that means another field elsewhere (Romanian "Total net" is
the net sum, French "Total net à payer" the amount to pay; a bare "Netto" heads one rate's net on a German page,
and Brazil's "Valor Líquido" is a receivable's net in a note's billing box: left out, found so on spent pages).
"""

from __future__ import annotations

import re
import unicodedata

# Letters with no decomposition into a base letter and a mark, read either way
FOLDED = {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "ð": "d", "þ": "th", "æ": "ae", "ё": "е"}


LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "polish": {
        "title": ("faktura vat", "rachunek"),
        "invoice_number": ("numer faktury", "nr faktury", "faktura vat nr", "faktura nr"),
        "invoice_date": ("data wystawienia",),
        "due_date": ("termin płatności", "termin zapłaty", "płatne do"),
        "subtotal": ("wartość netto", "razem netto", "suma netto"),
        "tax": ("kwota vat", "wartość vat", "podatek vat"),
        "total": ("razem do zapłaty", "do zapłaty", "razem brutto", "wartość brutto", "suma brutto"),
        "seller": ("sprzedawca", "wystawca"),
        "buyer": ("nabywca", "odbiorca"),
    },
    "czech_slovak": {
        "title": ("faktúra",),
        "invoice_number": ("číslo faktury", "číslo faktúry", "faktúra číslo"),
        "invoice_date": ("datum vystavení", "dátum vystavenia", "dátum vyhotovenia"),
        "due_date": ("datum splatnosti", "dátum splatnosti"),
        "subtotal": ("celkem bez dph", "spolu bez dph", "základ dane"),
        "tax": ("výše dph", "suma dph"),
        "total": ("spolu na úhradu", "suma na úhradu", "celkom k úhrade", "k úhrade", "celková suma"),
        "seller": ("prodávající", "dodávateľ", "predávajúci"),
        "buyer": ("odběratel", "kupující", "odberateľ", "kupujúci"),
    },
    "swedish": {
        "invoice_number": ("fakturanummer", "fakturanr"),
        "invoice_date": ("fakturadatum",),
        "due_date": ("förfallodatum", "sista betalningsdag"),
        "subtotal": ("summa exkl. moms", "belopp exkl. moms"),
        "tax": ("momsbelopp", "summa moms"),
        "total": ("summa att betala", "belopp att betala", "summa inkl. moms", "totalt"),
        "seller": ("säljare", "leverantör"),
        "buyer": ("köpare",),
    },
    "danish_norwegian": {
        "invoice_number": ("fakturanummer", "fakturanr"),
        "invoice_date": ("fakturadato",),
        "due_date": ("betalingsfrist", "sidste rettidige betalingsdag", "betales senest"),
        "subtotal": ("beløb ekskl. moms", "nettobeløb", "sum eksl. mva", "sum ekskl. mva"),
        "tax": ("momsbeløb", "merverdiavgift", "mva-beløp"),
        "total": ("beløb i alt", "total inkl. moms", "sum inkl. mva", "beløp å betale", "totalt"),
        "seller": ("sælger", "leverandør", "selger"),
        "buyer": ("køber", "kjøper"),
    },
    "finnish": {
        "invoice_number": ("laskun numero", "laskunumero"),
        "invoice_date": ("laskun päivämäärä", "laskupäivä"),
        "tax": ("arvonlisävero",),
        "seller": ("myyjä", "laskuttaja"),
        "buyer": ("ostaja",),
    },
    "estonian": {
        "title": ("arve",),
        "invoice_number": ("arve number", "arve nr"),
        "invoice_date": ("arve kuupäev", "kuupäev"),
        "due_date": ("maksetähtaeg", "tasumise tähtaeg", "maksetähtpäev"),
        "subtotal": ("summa käibemaksuta", "kokku käibemaksuta", "vahesumma"),
        "tax": ("käibemaks",),
        "total": ("kokku tasuda", "tasuda", "summa kokku", "kokku"),
        "seller": ("müüja",),
        "buyer": ("ostja",),
    },
    "latvian": {
        "title": ("rēķins",),
        "invoice_number": ("rēķina numurs", "rēķina nr"),
        "invoice_date": ("rēķina datums", "izrakstīšanas datums", "datums"),
        "due_date": ("apmaksas termiņš", "samaksas termiņš", "apmaksāt līdz"),
        "subtotal": ("summa bez pvn", "kopā bez pvn"),
        "tax": ("pvn",),
        "total": ("kopā apmaksai", "summa apmaksai", "apmaksai", "kopā"),
        "seller": ("pārdevējs", "piegādātājs"),
        "buyer": ("pircējs", "saņēmējs"),
    },
    "lithuanian": {
        "title": ("sąskaita faktūra",),
        "invoice_number": ("sąskaitos faktūros numeris", "sąskaitos faktūros nr"),
        "invoice_date": ("išrašymo data", "sąskaitos data"),
        "due_date": ("apmokėti iki", "mokėjimo terminas", "apmokėjimo terminas"),
        "subtotal": ("suma be pvm", "iš viso be pvm"),
        "tax": ("pvm suma", "pvm"),
        "total": ("iš viso mokėti", "viso mokėti", "suma su pvm", "bendra suma", "iš viso"),
        "seller": ("pardavėjas", "tiekėjas"),
        "buyer": ("pirkėjas",),
    },
    "romanian": {
        "title": ("factură", "factura fiscală"),
        "invoice_number": ("număr factură", "nr. factură", "factura nr"),
        "invoice_date": ("data emiterii", "data facturii", "data facturării"),
        "due_date": ("data scadenței", "scadența", "termen de plată"),
        "subtotal": ("total fără tva", "valoare fără tva"),
        "tax": ("valoare tva", "total tva"),
        "total": ("total de plată", "total factură", "total cu tva", "de plată"),
        "seller": ("furnizor", "vânzător", "prestator"),
        "buyer": ("cumpărător", "beneficiar"),
    },
    "hungarian": {
        "invoice_number": ("számla sorszáma", "számlaszám", "sorszám"),
        "invoice_date": ("számla kelte", "kelt"),
        "due_date": ("esedékesség", "fizetési határidő"),
        "subtotal": ("nettó összeg", "nettó érték", "nettó összesen"),
        "tax": ("áfa összeg", "áfa érték", "áfa összesen"),
        "total": ("bruttó összeg", "bruttó összesen", "végösszeg", "fizetendő összeg"),
        "seller": ("eladó", "szállító", "kibocsátó"),
        "buyer": ("vevő",),
    },
    "croatian_serbian_bosnian": {
        "title": ("račun", "рачун"),
        "invoice_number": ("broj računa", "račun broj", "račun br", "број рачуна"),
        "invoice_date": ("datum izdavanja", "datum računa", "датум издавања"),
        "due_date": ("datum dospijeća", "rok plaćanja", "dospijeće", "датум доспећа", "рок плаћања"),
        "subtotal": ("iznos bez pdv-a", "ukupno bez pdv-a", "porezna osnovica", "osnovica", "износ без пдв"),
        "tax": ("iznos pdv-a", "пдв"),
        "total": ("ukupno za platiti", "za platiti", "za plaćanje", "ukupan iznos", "sveukupno", "ukupno", "укупно"),
        "seller": ("prodavatelj", "dobavljač", "prodavac", "izdavatelj", "продавац"),
        "buyer": ("kupac", "купац"),
    },
    "slovenian": {
        "invoice_number": ("številka računa", "račun št"),
        "invoice_date": ("datum izdaje",),
        "due_date": ("rok plačila", "datum zapadlosti", "zapadlost"),
        "subtotal": ("znesek brez ddv", "osnova za ddv", "skupaj brez ddv"),
        "tax": ("znesek ddv", "ddv"),
        "total": ("skupaj za plačilo", "za plačilo", "skupaj z ddv", "skupaj"),
        "seller": ("prodajalec", "izdajatelj"),
        "buyer": ("kupec",),
    },
    "bulgarian_macedonian": {
        "invoice_number": ("номер на фактура", "фактура №", "фактура номер"),
        "invoice_date": ("дата на издаване", "дата на фактура"),
        "due_date": ("срок за плащане", "дата на плащане", "падеж"),
        "subtotal": ("данъчна основа", "сума без ддс", "стойност без ддс"),
        "tax": ("начислен ддс", "ддс", "ддв"),
        "total": ("сума за плащане", "обща сума", "за плащане", "всичко", "общо", "вкупно"),
        "seller": ("доставчик", "продавач", "издател"),
        "buyer": ("получател", "купувач"),
    },
    "russian_ukrainian": {
        "title": ("рахунок",),
        "invoice_number": ("номер счёта", "счёт №", "счёт-фактура №", "номер рахунку", "рахунок №"),
        "invoice_date": ("дата выставления", "дата счёта", "дата рахунку"),
        "due_date": ("срок оплаты", "оплатить до", "термін оплати", "сплатити до"),
        "subtotal": ("сумма без ндс", "итого без ндс", "сума без пдв", "разом без пдв"),
        "tax": ("сумма ндс", "в том числе ндс", "сума пдв", "пдв"),
        "total": ("итого к оплате", "сумма к оплате", "к оплате", "всього до сплати", "до сплати", "разом", "всього"),
        "seller": ("продавец", "поставщик", "исполнитель", "постачальник", "продавець", "виконавець"),
        "buyer": ("покупатель", "заказчик", "плательщик", "покупець", "замовник", "платник"),
    },
    "greek": {
        "invoice_number": ("αριθμός τιμολογίου", "αρ. τιμολογίου", "αριθμός παραστατικού"),
        "invoice_date": ("ημερομηνία έκδοσης", "ημερομηνία"),
        "due_date": ("ημερομηνία λήξης", "προθεσμία πληρωμής"),
        "subtotal": ("καθαρή αξία", "σύνολο χωρίς φπα", "υποσύνολο"),
        "tax": ("ποσό φπα", "σύνολο φπα"),
        "total": ("πληρωτέο ποσό", "πληρωτέο", "γενικό σύνολο", "τελικό σύνολο"),
        "seller": ("πωλητής", "εκδότης"),
        "buyer": ("αγοραστής", "πελάτης"),
    },
    "turkish": {
        "invoice_number": ("fatura numarası",),
        "invoice_date": ("düzenleme tarihi",),
        "due_date": ("vade tarihi",),
        "subtotal": ("mal hizmet toplam tutarı", "kdv hariç toplam", "matrah"),
        "tax": ("hesaplanan kdv", "kdv tutarı"),
        "total": ("vergiler dahil toplam tutar", "ödenecek tutar", "genel toplam"),
        "seller": ("satıcı",),
        "buyer": ("alıcı", "müşteri"),
    },
    "italian": {
        "invoice_number": ("numero fattura", "n. fattura", "fattura n"),
        "invoice_date": ("data emissione",),
        "total": ("totale da pagare", "netto a pagare", "importo totale"),
        "seller": ("venditore", "mittente"),
        "buyer": ("cessionario", "committente", "destinatario"),
    },
    "portuguese": {
        "subtotal": ("total ilíquido", "total sem imposto"),
        "tax": ("total iva", "total do imposto"),
        "total": ("total a pagar", "valor a pagar", "total do documento"),
        "seller": ("vendedor",),
        "buyer": ("adquirente", "comprador", "destinatário"),
    },
    "catalan": {
        "title": ("factura",),
        "invoice_number": ("número de factura", "núm. factura"),
        "invoice_date": ("data de factura", "data d'emissió", "data d'expedició"),
        "due_date": ("data de venciment", "venciment"),
        "subtotal": ("base imposable",),
        "tax": ("quota iva",),
        "total": ("total a pagar", "import total"),
        "seller": ("proveïdor", "venedor"),
        "buyer": ("comprador",),
    },
    "spanish": {
        "buyer": ("receptor", "adquiriente", "comprador"),
    },
    "indonesian_malay": {
        "title": ("faktur", "tagihan", "invois"),
        "invoice_number": (
            "nomor faktur",
            "no. faktur",
            "nomor invoice",
            "nomor tagihan",
            "no. invois",
            "nombor invois",
        ),
        "invoice_date": ("tanggal faktur", "tanggal invoice", "tarikh invois", "tanggal", "tarikh"),
        "due_date": ("tanggal jatuh tempo", "jatuh tempo", "batas pembayaran", "tarikh akhir bayaran", "tarikh matang"),
        "subtotal": ("dasar pengenaan pajak", "jumlah sebelum pajak", "jumlah kecil"),
        "tax": ("pajak pertambahan nilai", "ppn", "cukai jualan", "cukai"),
        "total": (
            "jumlah yang harus dibayar",
            "total tagihan",
            "total bayar",
            "jumlah perlu dibayar",
            "jumlah keseluruhan",
            "jumlah besar",
            "jumlah total",
        ),
        "seller": ("penjual",),
        "buyer": ("pembeli", "pelanggan", "kepada"),
    },
    "vietnamese": {
        "title": ("hóa đơn", "hoá đơn"),
        "invoice_number": ("số hóa đơn", "số hoá đơn"),
        "invoice_date": ("ngày lập", "ngày"),
        "due_date": ("hạn thanh toán",),
        "subtotal": ("cộng tiền hàng", "thành tiền trước thuế", "tạm tính"),
        "tax": ("tiền thuế gtgt", "thuế gtgt", "thuế vat"),
        "total": ("tổng cộng tiền thanh toán", "tổng thanh toán", "tổng cộng", "tổng tiền"),
        "seller": ("đơn vị bán hàng", "người bán"),
        "buyer": ("đơn vị mua hàng", "người mua hàng", "người mua"),
    },
    "icelandic": {
        "title": ("reikningur",),
        "invoice_number": ("reikningsnúmer", "reikningur nr"),
        "invoice_date": ("útgáfudagur", "dagsetning"),
        "due_date": ("gjalddagi", "eindagi"),
        "subtotal": ("samtals án vsk",),
        "tax": ("virðisaukaskattur", "vsk"),
        "total": ("til greiðslu", "samtals með vsk", "samtals"),
        "seller": ("seljandi",),
        "buyer": ("kaupandi",),
    },
    "afrikaans": {
        "title": ("belastingfaktuur", "faktuur"),
        "invoice_number": ("faktuurnommer", "faktuur nr"),
        "due_date": ("vervaldatum", "betaalbaar voor"),
        "subtotal": ("subtotaal",),
        "tax": ("belasting",),
        "total": ("totaal verskuldig", "bedrag verskuldig"),
        "seller": ("verskaffer",),
        "buyer": ("kliënt",),
    },
    "albanian": {
        "title": ("faturë",),
        "invoice_number": ("numri i faturës", "nr. i faturës"),
        "invoice_date": ("data e lëshimit", "data e faturës"),
        "due_date": ("afati i pagesës",),
        "subtotal": ("vlera pa tvsh", "nëntotali"),
        "tax": ("tvsh",),
        "total": ("vlera totale", "për t'u paguar", "totali"),
        "seller": ("shitësi",),
        "buyer": ("blerësi",),
    },
    "korean": {
        "title": ("세금계산서", "청구서", "거래명세서"),
        "invoice_number": ("청구번호", "발행번호"),
        "invoice_date": ("작성일자", "발행일", "청구일"),
        "due_date": ("납부기한", "지급기일", "결제기한"),
        "subtotal": ("공급가액",),
        "total": ("합계금액", "청구금액", "총액"),
        "seller": ("공급자",),
        "buyer": ("공급받는자",),
    },
    "chinese": {
        "subtotal": ("金额合计", "不含税金额"),
        "total": ("价税合计", "價稅合計"),
        "seller": ("销售方", "销方", "銷售方"),
        "buyer": ("购买方", "购方", "購買方"),
    },
    "thai": {
        "title": ("ใบแจ้งหนี้", "ใบกำกับภาษี"),
        "invoice_number": ("เลขที่ใบแจ้งหนี้", "เลขที่ใบกำกับภาษี", "เลขที่"),
        "invoice_date": ("วันที่",),
        "due_date": ("วันครบกำหนดชำระ", "วันครบกำหนด"),
        "subtotal": ("รวมเป็นเงิน",),
        "tax": ("ภาษีมูลค่าเพิ่ม",),
        "total": ("จำนวนเงินรวมทั้งสิ้น", "รวมทั้งสิ้น", "ยอดรวม"),
        "seller": ("ผู้ขาย",),
        "buyer": ("ผู้ซื้อ", "ลูกค้า"),
    },
}


def phrase_pattern(phrase: str) -> str:
    """A phrase as a pattern that reads it in any case, spaces optional, each accented letter with or without
    its accent, an abbreviation's dot optional; it must end where a word ends."""
    parts = []
    for char in phrase.lower():
        if char == " ":
            parts.append(r"\s*")
        elif char == ".":
            parts.append(r"\.?")
        elif char == "-":
            parts.append(r"[\s-]*")
        elif char == "'":
            parts.append(r"['’]?")
        else:
            parts.append(_letter_pattern(char))
    return "".join(parts) + r"(?![^\W\d_])"


def _letter_pattern(char: str) -> str:
    """A letter, or its base letter where it is one with marks ("ą" or "a"; a Hangul syllable, which decomposes
    into letters and not into a letter and marks, stays itself), or the figure OCR reads for it."""
    decomposed = unicodedata.normalize("NFD", char)
    marked = len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:])
    base = FOLDED.get(char) or (decomposed[0] if marked else char)
    figures = OCR_FIGURES.get(base, "") + (OCR_MARKED_FIGURES.get(base, "") if marked else "")
    readings = list(dict.fromkeys((char, base, *figures)))
    if len(readings) == 1:
        return re.escape(char)
    return "(?:" + "|".join(re.escape(reading) for reading in readings) + ")"


# Figures OCR reads for a letter of a label ("Netto0sszeg" for "Nettó összeg"), and for a marked letter besides
# ("Brutt6osszeg": an "ó" or "ő" read as a 6, its mark the 6's stem); a label's word holds no figure otherwise
OCR_FIGURES = {"o": "0"}
OCR_MARKED_FIGURES = {"o": "6"}


def words_for(role: str) -> list[str]:
    """Every language's phrases for a role (a field, "title", "seller" or "buyer"), longest first, so an
    alternation reads "razem do zapłaty" before "razem"."""
    phrases = {phrase for words in LEXICON.values() for phrase in words.get(role, ())}
    return sorted(phrases, key=lambda phrase: (-len(phrase), phrase))


def alternation(role: str) -> str:
    """One pattern reading any language's phrase for the role at the place it is matched."""
    return "(?:" + "|".join(phrase_pattern(phrase) for phrase in words_for(role)) + ")"


def squeezed_alternation(role: str, min_letters: int = 6) -> str:
    """The role's phrases as found in text with its spaces removed and lower-cased (how the document type is
    told): only phrases of `min_letters` or more, as a shorter one is found inside other words ("arve" in
    "harvest")."""
    phrases = [re.sub(r"\s+", "", phrase) for phrase in words_for(role)]
    kept = [phrase for phrase in phrases if len(phrase) >= min_letters]
    return "|".join(phrase_pattern(phrase)[: -len(r"(?![^\W\d_])")] for phrase in kept)
