"""PII detection and redaction over OCR output (and any other text, e.g. transcripts).

Pattern recognizers with validators (Luhn, mod-97, SSN ranges, octet ranges, label proximity)
always run; person names come from a spaCy NER pipeline whose weights ship in a wheel (loaded once
per process) plus rule-based context ("Name:", "Dear ...", signature blocks, honorifics), and street
addresses from address-shape rules. Redaction is for privacy, so recall comes first: a phone-shaped
number is a phone number whatever its area code, and every token of a name found anywhere in a
document is redacted wherever it appears in that document. Detection runs over the joined text of
a page so PII split across OCR words is still found, and every finding is mapped back to the boxes
of the spans it touches, so text and image are redacted alike.

This module holds the detector and its rule table; the document-level decisions are in
resources/pii_decide.py and the redaction of spans, text and images in resources/pii_redaction.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import dagster as dg

from resources.ocr import OcrSpan
from resources.package_versions import installed_version
from resources.pii_blocks import find_numbered_streets
from resources.pii_broken_values import broken_emails
from resources.pii_codes import find_identity_numbers, find_network_ids
from resources.pii_decide import (
    address_blocks,
    birth_dates_after_names,
    decide_names,
    resolve_overlaps,
    with_neighbours,
    without_terms,
)
from resources.pii_default_deny import default_deny_findings
from resources.pii_document import DocumentVocabulary
from resources.pii_fields import field_kinds, personal_document_findings
from resources.pii_glyphs import grow_over_marks, read_marks_as_letters, read_unread_letters
from resources.pii_labels import (
    addresses_after_named_parties,
    dates_under_birth_header,
    find_label_values,
    find_labelled_addresses,
    find_place_anchored_addresses,
    lower_case_names,
)
from resources.pii_name_echoes import name_heads, signed_names
from resources.pii_names import (
    DEFAULT_NER_MODEL,
    english_words,
    find_name_tokens,
    find_persons,
    find_persons_by_context,
    find_persons_by_gazetteer,
    find_persons_ner,
    ner_model_version,
    person_name_tokens,
    require_presidio,
)
from resources.pii_party import (
    foreign_name_runs,
    grow_names,
    names_before_addresses,
    party_addresses,
    read_as_letters,
)
from resources.pii_patterns import (
    PiiFinding,
    find_cards,
    find_dobs,
    find_emails,
    find_ibans,
    find_ips,
    find_phones,
    find_ssns,
    map_back,
)
from resources.pii_positions import (
    box_addresses,
    grow_address_lines,
    mixed_postcode_lines,
    names_across_lower_words,
    names_before_maiden_names,
    names_in_name_positions,
    table_column_values,
)
from resources.pii_redaction import Redaction, join_spans, redact_page, redact_text
from resources.pii_streets import find_streets, join_address_parts
from resources.pii_structure import (
    find_accented_pairs,
    find_block_addresses,
    find_capitals_names,
    find_peer_names,
    find_persons_by_relation,
    grow_addresses,
    street_names_as_addresses,
)
from resources.pii_words import (
    FREQUENT_WORDS_PACKAGE,
    english_forms,
    find_continental_addresses,
    find_letter_spaced_names,
    find_mail_display_names,
    find_persons_by_shape,
    find_persons_surname_first,
    find_place_lines,
    frequent_words,
    unglue_words,
)

# v5: document-level name decisions, unseen names; v6: glued English split off, names by shape, particles;
# v7: names and places by shape and structure (surname-first, place lines, mail headers, initials, units);
# v8: addresses by position (after labels and names), names in capitals, name fields, other-case spreading;
# v9: names and addresses by how documents write them (capitals names, relations, accented pairs, an address
# going on over the tokens after it, streets named like people, block numbers and wards); v10: decided by
# shape and by the document around a found name (resources/pii_party.py): look-alike digits read as
# letters, names grown over titles, suffixes, nicknames and non-English name words, addresses by a
# postcode beside a town or by following a name, the name right before an address; v11 (the name of a v11
# that was tried on 2026-12-03 and never landed): precision on technical manuals, where the document shows a
# word to be a term (options, formulas, journal abbreviations, methods named after people, web site names,
# dates), capitals street abbreviations only as words of their own, number scales no card numbers;
# v12: capitals family names before a comma, letter-spaced names, numbered streets, monotone redaction;
# v13: what follows a field label is that kind, in any locale (resources/pii_labels.py), identity numbers,
# and the address block after a labelled name;
# v14: a birth label's date read by its shape (resources/pii_dates.py), addresses and names by position
# (resources/pii_positions.py: table columns, post-office boxes, letter-digit postcodes, name positions)
# v15: letters the word rules missed (modifier letters `ʻ` `ʼ` inside and before names, OCR's `()` for `o`:
# resources/pii_glyphs.py), dates of other calendars (Hebrew years, an era's capitals without points, long month
# words, compound and glued ordinals, "the"), a whole date right after a name as a birth date, address lines
# grown back and on over the tokens an address line is made of, a landmark's noun, longer address cells, a
# name across one lower-case non-English word, the name before "née"; spoken "my address/e-mail is …"; v16: a
# personal document's fields by structure, not lists (resources/pii_fields.py); v17: default-deny inside a personal
# document (resources/pii_default_deny.py); v18: speech by how it is said, not one phrasing
# (resources/spoken_pii_phrases.py), phones with a table's next column glued on, IBANs outside the registry's list
# v19: streets numbered by a unit or a code, an address's last place and its particles (resources/pii_streets.py),
# machine-readable zones and MAC addresses (resources/pii_codes.py), OCR's `$` for `s`, a foreign month before a
# comma and the year; v20: a personal document's values by structure (resources/pii_cells.py): number runs, codes
# of capitals and digits, whole cells, region codes; spoken house numbers and postcodes after their place; v21: by
# structure too, e-mails broken at their @ (resources/pii_broken_values.py), a birth date by its day-month-year
# triple after a birth label or a name (resources/pii_birth_triples.py), the parts of one value around what was found
# (resources/pii_parts.py: comma parts, unit parts, postcodes, IBAN groups, hex groups); a spoken post-office box;
# v22: in a document not judged personal, a context rule's name the document shows to be no name ("user ID",
# "name Run") goes (resources/pii_decide.py), and an agency acronym's number is 7+ characters ("RFC 5424" is none);
# the transcript check reads what follows "write to me at" as an e-mail however it was heard; v23: one date reader
# (resources/pii_dates.py), names echoed and split (resources/pii_name_echoes.py), an address's digit-less words by
# position (resources/pii_place_words.py), places WordNet holds are no prose ("Bairiki village")
PATTERNS_VERSION = "pii-patterns-v23"
KINDS = ("email", "phone", "card", "ssn", "iban", "ip", "dob", "id", "person", "address")


class PiiDetector(dg.ConfigurableResource):
    """Finds PII in text and redacts it from OCR spans.

    Pattern and address rules are always on; person names come from the installed spaCy pipeline
    `ner_model` (never downloaded) plus context rules. `disabled_rules` switches off rules by name
    (see RULE_NAMES); it exists to prove that the independent coverage check sees a gap. With
    `use_presidio`, Presidio's analyzer adds its PERSON findings too.
    """

    use_ner: bool = True
    ner_model: str = DEFAULT_NER_MODEL
    disabled_rules: list[str] = []
    use_presidio: bool = False
    spacy_model: str = "en_core_web_sm"
    presidio_min_score: float = 0.5
    # "mask": what the independent coverage scan still finds after redaction is masked too (and
    # reported); "block": it is left for the blocking check to stop the document
    coverage_mode: str = "mask"

    def model_id(self) -> str:
        """Rules version, NER model and version, and any disabled rule: what decides the output."""
        _check_rule_names(self.disabled_rules)
        parts = [PATTERNS_VERSION]
        if self.use_ner:
            parts.append(f"{self.ner_model}-{ner_model_version(self.ner_model)}")
            if frequent_words():  # the words a glued token's English tail is split into
                parts.append(f"words-{FREQUENT_WORDS_PACKAGE}-{installed_version(FREQUENT_WORDS_PACKAGE)}")
        if "person_gazetteer" not in self.disabled_rules:  # the first-name list comes from this package
            parts.append(f"names-faker-{installed_version('faker')}")
        if self.use_presidio:
            require_presidio(self.spacy_model)
            presidio = installed_version("presidio-analyzer")
            model = installed_version(self.spacy_model)
            parts.append(f"presidio-{presidio}+{self.spacy_model}-{model}")
        if self.disabled_rules:
            parts.append("without-" + "-".join(sorted(self.disabled_rules)))
        if self.coverage_mode != "mask":  # no masking: another output
            parts.append(f"coverage-{self.coverage_mode}")
        return "+".join(parts)

    def find(self, text: str) -> list[PiiFinding]:
        """Non-overlapping findings sorted by start, covering every character any rule found
        (a contested range goes to the longest finding, then the highest score)."""
        return self.find_in_pages({0: text})[0]

    def _detect(self, text: str) -> list[PiiFinding]:
        _check_rule_names(self.disabled_rules)
        # modifier letters and OCR's bracket `o`s read as letters (same offsets: the findings fit the original)
        text = read_marks_as_letters(text)
        rules = {name: rule for name, rule in RULES.items() if name not in self.disabled_rules}
        # the model's dictionary: glued English tails are split off, and names are told by shape
        forms = english_forms(self.ner_model) if self.use_ner else frozenset()
        # OCR's look-alike digits inside words are read as letters by the word rules (same offsets)
        spaced, offsets = unglue_words(read_as_letters(text), forms)
        # OCR writes "?" for a glyph it cannot read ("Pr?priuti"), and "$" for an "s": inside a word, letters
        spaced = read_unread_letters(spaced)
        candidates = [finding for name, rule in rules.items() if name not in WORD_RULES for finding in rule(text)]
        # a field's value after its label, whatever its shape (a kind's rule switched off switches it off)
        candidates += [f for f in find_label_values(text, forms) if f.kind not in self.disabled_rules]
        if "dob" not in self.disabled_rules:
            candidates += dates_under_birth_header(text)
        if "email" not in self.disabled_rules:  # (v21) an address a line's end broke after its `@`
            candidates += broken_emails(text)
        if "address" not in self.disabled_rules and forms:
            candidates += find_labelled_addresses(text, forms)
            candidates += find_place_anchored_addresses(text, forms)
            candidates += box_addresses(text, forms)
            candidates += mixed_postcode_lines(text, forms)
        if "address" not in self.disabled_rules and "person_context" not in self.disabled_rules and forms:
            candidates += table_column_values(text, forms)
        if "person_context" not in self.disabled_rules and forms:
            candidates += lower_case_names(text, forms)
            candidates += names_in_name_positions(text, forms)
            candidates += names_before_maiden_names(text, forms)
        if "person_context" not in self.disabled_rules:  # read where the e-mail address is written whole
            candidates += find_mail_display_names(text)
        word_findings = [finding for name, rule in rules.items() if name in WORD_RULES for finding in rule(spaced)]
        if "person_shape" not in self.disabled_rules:
            word_findings += find_persons_by_shape(spaced, forms)
            word_findings += find_capitals_names(spaced, forms)
            word_findings += find_persons_by_relation(spaced, forms)
            word_findings += find_accented_pairs(spaced, forms)
        if "address" not in self.disabled_rules:
            word_findings += find_continental_addresses(spaced, forms)
            word_findings += find_place_lines(spaced, forms)
            word_findings += find_block_addresses(spaced, forms)
        if "person_shape" not in self.disabled_rules:
            word_findings += find_persons_surname_first(spaced, forms)
            word_findings += find_letter_spaced_names(spaced, forms)
        if "address" not in self.disabled_rules:
            word_findings += find_numbered_streets(spaced)
        spaced_ner: list[PiiFinding] = []
        if self.use_ner and "person_ner" not in self.disabled_rules:
            spaced_ner = map_back(find_persons_ner(spaced, self.ner_model), offsets)
        candidates += map_back(word_findings, offsets) + spaced_ner
        if self.use_ner and "person_ner" not in self.disabled_rules and spaced != text:
            # Glued OCR text: a name the model tags only there counts too (recall first); where the
            # copy with spaces found it already, that finding (trimmed of label words) stands. Only the
            # model's own findings on the copy decide: another rule's candidate must not drop it (a rule
            # added must never un-redact a character)
            candidates += [f for f in find_persons_ner(text, self.ner_model) if not _overlaps_any(f, spaced_ner)]
        if self.use_presidio:
            candidates += find_persons(text, self.spacy_model, self.presidio_min_score)
        return candidates

    def redact_spans(self, spans: list[OcrSpan]) -> tuple[list[OcrSpan], list[Redaction]]:
        """Redacted copies of the spans (PII replaced by "[KIND]") and the boxes to black out.

        Detection runs over each page's spans joined with spaces, so PII split across words
        is found; a finding covering part of a line span gets an estimated, padded sub-box.
        A name found on one page is redacted on every page of the same spans (document).
        """
        pages = list(dict.fromkeys(span.page for span in spans))
        indexes = {page: [i for i, span in enumerate(spans) if span.page == page] for page in pages}
        texts = {page: join_spans([spans[i] for i in indexes[page]])[0] for page in pages}
        findings = self.find_in_pages(texts)
        redacted = list(spans)
        redactions: list[Redaction] = []
        for page in pages:
            page_spans, page_redactions = redact_page([spans[i] for i in indexes[page]], findings[page])
            for i, span in zip(indexes[page], page_spans, strict=True):
                redacted[i] = span
            redactions += page_redactions
        return redacted, redactions

    def find_in_pages(self, texts: dict[int, str]) -> dict[int, list[PiiFinding]]:
        """Findings per page of one document; a name found on any page is found on every page."""
        return self.decide(texts, {page: self._detect(text) for page, text in texts.items()})

    def decide(self, texts: dict[int, str], detected: dict[int, list[PiiFinding]]) -> dict[int, list[PiiFinding]]:
        """What the document-level rules make of each page's candidate findings. Meant to be monotone: more
        candidates must never leave a character unredacted that fewer redacted (tests/test_pii_monotone.py;
        one OCR-glued case is known to break it, README "pii-patterns-v12")."""
        # names are decided and spread over the text with OCR's unread letters read as letters (same offsets)
        originals = texts
        texts = {page: read_as_letters(read_marks_as_letters(read_unread_letters(t))) for page, t in texts.items()}
        dictionary = english_words(self.ner_model) if self.use_ner else frozenset()
        detected = decide_names(texts, detected, dictionary)
        if "person_shape" not in self.disabled_rules and self.use_ner:
            # names that stand where the document's other names stand (lists, table rows); decided alike
            forms = english_forms(self.ner_model)
            peers = {
                page: list(find_peer_names(text, [f for f in detected[page] if f.kind == "person"], forms))
                for page, text in texts.items()
            }
            peers = decide_names(texts, peers, dictionary)
            detected = {page: detected[page] + peers[page] for page in texts}
        names: set[str] = set()
        for page, text in texts.items():
            names |= person_name_tokens(text, detected[page])
        detected = {page: detected[page] + list(find_name_tokens(text, names)) for page, text in texts.items()}
        if "person_context" not in self.disabled_rules and self.use_ner:
            detected = signed_names(texts, detected, english_forms(self.ner_model))
        if "address" not in self.disabled_rules and self.use_ner:
            # after every person found, also where a name recurs ("Served on NAME"): addresses by position
            forms = english_forms(self.ner_model)
            detected = {
                page: detected[page]
                + address_blocks(text, detected[page], forms)
                + list(addresses_after_named_parties(text, detected[page], forms))
                for page, text in texts.items()
            }
            # then streets named like people become addresses, and every address goes on over what follows it
            detected = {
                page: grow_addresses(text, street_names_as_addresses(text, detected[page]), forms)
                for page, text in texts.items()
            }
        # each name takes in its title, suffix, nickname and the foreign name words beside it; addresses
        # told by their words (a postcode beside non-English words, the run after a person's name)
        forms = english_forms(self.ner_model) if self.use_ner else frozenset()
        vocabulary = DocumentVocabulary(texts.values(), None, dictionary, forms)
        if "address" not in self.disabled_rules and self.use_ner:
            detected = {
                page: detected[page] + party_addresses(text, detected[page], vocabulary) for page, text in texts.items()
            }
            if "person_shape" not in self.disabled_rules:
                detected = {
                    page: detected[page]
                    + names_before_addresses(text, detected[page], vocabulary)
                    + foreign_name_runs(text, vocabulary)
                    for page, text in texts.items()
                }
        if "address" not in self.disabled_rules and self.use_ner:  # an address line before the one found
            detected = {page: grow_address_lines(text, detected[page], forms) for page, text in texts.items()}
        if "person_shape" not in self.disabled_rules and self.use_ner:
            detected = {page: names_across_lower_words(text, detected[page], forms) for page, text in texts.items()}
        if "dob" not in self.disabled_rules:  # a form's row: the date right after a person's name is a birth date
            detected = {
                page: detected[page] + birth_dates_after_names(text, detected[page]) for page, text in texts.items()
            }
        if self.use_ner:  # (v16) a letter's or a form's fields, by structure
            forms, kinds = english_forms(self.ner_model), field_kinds(self.disabled_rules)
            detected = personal_document_findings(texts, detected, forms, kinds)
            if {"person", "id", "dob", "address"} <= kinds:  # (v17) what cannot be plain English, denied
                detected = default_deny_findings(texts, detected, forms, frozenset(vocabulary.abbreviations))
        if "address" not in self.disabled_rules:  # (v19) one address's parts over a particle between them
            detected = {page: join_address_parts(text, detected[page]) for page, text in texts.items()}
        if "person_context" not in self.disabled_rules and self.use_ner:  # (v23) the piece of a name OCR split off
            detected = name_heads(texts, detected, english_forms(self.ner_model))
        # a piece of nothing but the spaces between two findings hides nothing, and goes
        return {
            page: [
                finding
                for finding in resolve_overlaps(
                    grow_over_marks(
                        originals[page],
                        without_terms(
                            text, grow_names(text, with_neighbours(text, detected[page]), vocabulary), vocabulary
                        ),
                    )
                )
                if text[finding.start : finding.end].strip()
            ]
            for page, text in texts.items()
        }

    def redact(self, text: str) -> tuple[str, list[PiiFinding]]:
        """The text with its PII replaced by "[KIND]", and the findings (e.g. for a transcript)."""
        findings = self.find(text)
        return redact_text(text, findings), findings


# rules that read words (and the NER) run on the unglued copy; number rules need the original
WORD_RULES = frozenset({"address", "person_context", "person_gazetteer"})

RECOGNIZERS: tuple[Callable[[str], Iterator[PiiFinding]], ...] = (
    find_emails,
    find_phones,
    find_cards,
    find_ssns,
    find_ibans,
    find_ips,
    find_dobs,
)
# every rule by name (what `disabled_rules` names); the NER rule is "person_ner"
RULES: dict[str, Callable[[str], Iterator[PiiFinding]]] = {
    "email": find_emails,
    "phone": find_phones,
    "card": find_cards,
    "ssn": find_identity_numbers,  # (v19) and machine-readable zones
    "iban": find_ibans,
    "ip": find_network_ids,  # (v19) and MAC addresses
    "dob": find_dobs,
    "address": find_streets,  # (v19) and streets numbered by a unit or a code
    "person_context": find_persons_by_context,
    "person_gazetteer": find_persons_by_gazetteer,
}
RULE_NAMES = (*RULES, "person_ner", "person_shape")


def _check_rule_names(names: list[str]) -> None:
    unknown = sorted(set(names) - set(RULE_NAMES))
    if unknown:
        raise ValueError(f"unknown PII rule(s) {unknown}; the rules are {', '.join(RULE_NAMES)}")


def _overlaps_any(finding: PiiFinding, others: list[PiiFinding]) -> bool:
    return any(finding.start < other.end and other.start < finding.end for other in others)
