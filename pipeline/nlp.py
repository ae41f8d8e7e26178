"""Entities through spaCy: ``spacy.blank("vi")`` (pyvi word segmentation) and vanban's components.

Components, registered with spaCy so that ``nlp.add_pipe("vanban_citations")`` works in
any spaCy pipeline once vanban is installed:

- ``vanban_citations``: the citation finder of ``extract.py`` run on the raw text (before
  any tokenizer could split "08-QĐi/TW" or "25/10/2018"); each mention becomes a span in
  ``doc.spans["citations"]`` and a ``CITATION`` entity, so later components leave it alone.
- ``vanban_gazetteer``: a spaCy ``EntityRuler`` fed with the catalogue's bodies
  (``data/catalogue.json``: organisations, abbreviations such as HĐND, UBND, MTTQ, TCCSĐ).
  An abbreviation's expansion is the entity's ``ent_id_``.
- ``vanban_cues``: people and places by the cues directives write them with ("đồng chí
  Nguyễn Văn A", a name after a title such as "Bí thư Tỉnh ủy"; "tỉnh Bình Thuận").
- ``underthesea_ner``: underthesea's CRF NER (PER, LOC, ORG) sentence by sentence, with
  its known errors on directives filtered: upper-case headings tagged PER, symbols and
  numbers tagged LOC, function words inside names. It runs at about 9 kchar/s, so
  ``entity_pipeline()`` leaves it out unless asked (``ner=True``).

``entity_pipeline()`` builds the whole chain; ``entities(doc)`` turns a processed Doc into
vanban ``Entity`` records with character offsets; ``find_entities`` is the entity step of a
document (the pipeline without its citation finder, given the citations extraction found,
plus DATE entities from the date pattern).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import regex as re
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .catalogue import catalogue
from .dates import DATE, PLACE_OPENING_DATE, iso_date
from .extract import find_mentions
from .models import Citation, Entity

LABELS = ("PER", "ORG", "LOC")


# --- citations ---------------------------------------------------------------------


class CitationSpans:
    """Citations found by extraction's rules on the text, before any tokenizer split them."""

    def __call__(self, doc: Doc) -> Doc:
        return set_citation_spans(doc, [(c.start, c.end) for c in find_mentions(doc.text)])


def set_citation_spans(doc: Doc, offsets: list[tuple[int, int]]) -> Doc:
    """Citations as spans and CITATION entities, so later components leave them alone.
    A mention is its type and symbol ("Quy định số 08-QĐi/TW"); the date and issuer after
    it are fields, and the issuer stays free for the gazetteer."""
    spans = []
    for start, end in offsets:
        span = doc.char_span(start, end, label="CITATION", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["citations"] = spans
    doc.ents = filter_spans(list(doc.ents) + spans)
    return doc


@Language.factory(
    "vanban_citations", assigns=["doc.spans", "doc.ents", "token.ent_type", "token.ent_iob"]
)
def make_citations(nlp: Language, name: str) -> CitationSpans:
    return CitationSpans()


# --- gazetteer -----------------------------------------------------------------------


def gazetteer_patterns() -> list[dict]:
    """EntityRuler phrase patterns from the catalogue: bodies and their abbreviations."""
    cat = catalogue()
    patterns = [{"label": "ORG", "pattern": name} for name in cat["organisations"]]
    for short, full in cat.get("abbreviations", {}).items():
        patterns.append({"label": "ORG", "pattern": short, "id": full})
    patterns += [{"label": "PER", "pattern": name} for name in cat.get("people", [])]
    return patterns


@Language.factory("vanban_gazetteer", assigns=["doc.ents", "token.ent_type", "token.ent_iob"])
def make_gazetteer(nlp: Language, name: str):
    from spacy.pipeline import EntityRuler

    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=False)
    ruler.add_patterns(gazetteer_patterns())
    return ruler


# --- people and places by cue -------------------------------------------------------------

NAME_WORD = r"\p{Lu}\p{Ll}*"
# "đồng chí Nguyễn Văn An", "Bí thư Tỉnh ủy Dương Văn An": a cue, then two to four
# capitalised syllables
PERSON_CUE = re.compile(
    r"(?:\b(?:[Đđ]ồng chí|[Ôô]ng|[Bb]à)\s+"
    r"|\b(?:Bí thư|Phó Bí thư|Chủ tịch|Phó Chủ tịch|Trưởng ban|Phó Trưởng ban)"
    rf"(?:\s+(?:Tỉnh ủy|Huyện ủy|Thành ủy|UBND|HĐND)(?:\s+tỉnh|\s+huyện)?)?\s+)"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}})"
)
NOT_NAME = frozenset(
    "Ban Thường Tỉnh Huyện Đảng Nhà Nhân Ủy Trung Bộ Chính Văn Phòng Hội Mặt Các".split()
)
# "tỉnh Bình Thuận", "huyện Tuy Phước", "xã An Nhơn": an administrative unit and its name
PLACE_CUE = re.compile(
    r"(?:\b(?:[Tt]ỉnh|huyện|xã|thị xã|thị trấn|[Tt]hành phố|phường|quận)\s+|\b(?:TP|Tp)\.?\s*)"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}})"
)
NOT_PLACE = frozenset(
    "Ủy Đảng Ban Hội Nhân Thường Tỉnh Huyện Về Theo Căn Thực Trong Từ Đến Ngày Tại".split()
)
# "Tuy Phước, ngày 28 tháng 7 năm 2023": the place of the header's place-and-date line
PLACE_DATE = re.compile(PLACE_OPENING_DATE)
# offices named by kind and field: "Phòng Văn hóa và Thông tin", "Trung tâm Văn hóa – Thông
# tin - Thể thao huyện"
OFFICE = re.compile(  # (on one line: a table's column of names is no one name)
    rf"\b(?:Phòng|Trung tâm|Sở|Cục|Viện|Trường|Báo|Đài|Hội|Liên đoàn|Tỉnh đoàn|Huyện đoàn)"
    rf"(?P<rest>(?:[ \t]+(?:và[ \t]+|[-–][ \t]*)?{NAME_WORD}"
    rf"(?:[ \t]+(?!và\b|tỉnh\b|huyện\b|xã\b)\p{{Ll}}+)?)+)"
    rf"(?:[ \t]+(?:tỉnh|huyện|xã|thành phố))?"
)
# the signer: a name on its own line right after an upper-case title line at the end
SIGNER = re.compile(
    rf"(?m)^[\p{{Lu}}/. ]{{4,}}\n(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}})[ \t]*$"
)
LEVEL_AFTER = re.compile(
    r"[ \t]+(?:tỉnh|huyện|xã|thị xã|[Tt]hành phố)"
    r"(?:[ \t]+\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3})?"
)
# a body whose name ends in its level goes on with the place's name: "Đảng bộ tỉnh Bình Thuận"
PLACE_AFTER = re.compile(r"[ \t]+\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3}")
ENDS_IN_LEVEL = re.compile(r"\b(?:tỉnh|huyện|xã|thị xã|thành phố)$")


class Cues:
    """People and places by the cues directives write them with."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # a body the gazetteer found goes on with its level and place: "UBND huyện", "Tỉnh ủy
        # Lâm Đồng"
        ents = []
        for e in doc.ents:
            m = None
            if e.label_ == "ORG":
                m = (PLACE_AFTER if ENDS_IN_LEVEL.search(e.text) else LEVEL_AFTER).match(
                    text, e.end_char
                )
                if m and m.group(0).split()[0] in NOT_PLACE:
                    m = None
            wider = (
                doc.char_span(e.start_char, m.end(), label="ORG", alignment_mode="contract")
                if m
                else None
            )
            ents.append(wider if wider is not None and len(wider) >= len(e) else e)
        doc.ents = filter_spans(ents)
        spans = []
        cues = (
            (PERSON_CUE, "name", "PER", NOT_NAME),
            (SIGNER, "name", "PER", NOT_NAME),
            (PLACE_CUE, "name", "LOC", NOT_PLACE),
            (PLACE_DATE, "place", "LOC", NOT_PLACE),
        )
        for pattern, group, label, stop in cues:
            for m in pattern.finditer(text):
                words = m.group(group).split()
                # names are capitalised
                if words[0] in stop or not all(w[:1].isupper() for w in words):
                    continue
                span = doc.char_span(
                    m.start(group), m.end(group), label=label, alignment_mode="contract"
                )
                if span is not None and len(span):
                    spans.append(span)
        for m in OFFICE.finditer(text):
            span = doc.char_span(m.start(), m.end(), label="ORG", alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
        # a name the unit before it calls a place is the place, whoever else bears it ("Thành
        # phố Hồ Chí Minh", "TP. Hồ Chí Minh": not the person the gazetteer knows)
        places = {(s.start_char, s.end_char) for s in spans if s.label_ == "LOC"}
        doc.ents = [
            e for e in doc.ents if e.label_ != "PER" or (e.start_char, e.end_char) not in places
        ]
        doc.ents = _merge(doc, spans)
        return doc


@Language.factory(
    "vanban_cues", requires=["doc.ents"], assigns=["doc.ents", "token.ent_type", "token.ent_iob"]
)
def make_cues(nlp: Language, name: str) -> Cues:
    return Cues()


# --- underthesea's CRF NER -------------------------------------------------------------

SENTENCE = re.compile(r"[^\n.;:!?]+[.;:!?]?")
# its errors on directives: a symbol or number tagged LOC, a heading tagged PER
NOT_ENTITY = re.compile(r"[\d/]|^(?:số|và|của|về|các|những)$", re.IGNORECASE)


class UndertheseaNER:
    """underthesea.ner sentence by sentence (its feature extraction grows with the square
    of the sentence length, so long paragraphs go in pieces)."""

    def __call__(self, doc: Doc) -> Doc:
        from underthesea import ner

        spans = []
        for m in SENTENCE.finditer(doc.text):
            sentence = m.group(0)
            if not re.search(r"\p{Lu}", sentence[1:]) or sentence.isupper():
                continue  # nothing capitalised after the first letter, or a heading
            for start, end, label in _tagged_spans(sentence, ner(sentence)):
                text = sentence[start:end]
                if (
                    label not in LABELS
                    or text.isupper()
                    and label == "PER"
                    or NOT_ENTITY.search(text)
                ):
                    continue
                span = doc.char_span(
                    m.start() + start, m.start() + end, label=label, alignment_mode="expand"
                )
                if span is not None:
                    spans.append(span)
        # a name the unit before it calls a place is the place, whoever else bears it ("Thành
        # phố Hồ Chí Minh", "TP. Hồ Chí Minh": not the person the gazetteer knows)
        places = {(s.start_char, s.end_char) for s in spans if s.label_ == "LOC"}
        doc.ents = [
            e for e in doc.ents if e.label_ != "PER" or (e.start_char, e.end_char) not in places
        ]
        doc.ents = _merge(doc, spans)
        return doc


def _tagged_spans(sentence: str, tagged) -> list[tuple[int, int, str]]:
    """(start, end, label) in the sentence from underthesea's (word, pos, chunk, BIO) rows."""
    out, pos, current = [], 0, None
    for word, *_, tag in tagged:
        at = sentence.find(word, pos)
        if at < 0:
            current = None
            continue
        pos = at + len(word)
        if tag.startswith("B-") or (
            tag.startswith("I-") and (current is None or current[2] != tag[2:])
        ):
            current = [at, pos, tag[2:]]
            out.append(current)
        elif tag.startswith("I-"):
            current[1] = pos
        else:
            current = None
    return [tuple(s) for s in out]


@Language.factory("underthesea_ner", assigns=["doc.ents", "token.ent_type", "token.ent_iob"])
def make_underthesea_ner(nlp: Language, name: str) -> UndertheseaNER:
    return UndertheseaNER()


# --- the pipeline ------------------------------------------------------------------------


def _merge(doc: Doc, spans: list[Span]) -> tuple:
    """Add spans that overlap no entity already found (earlier components win)."""
    taken = [(e.start_char, e.end_char) for e in doc.ents]
    fresh = [s for s in spans if not any(a < s.end_char and s.start_char < b for a, b in taken)]
    return tuple(filter_spans(list(doc.ents) + fresh))


@lru_cache(maxsize=2)
def entity_pipeline(ner: bool = False) -> Language:
    """spacy.blank("vi") with citations, the gazetteer, people and places by cue and, if asked,
    underthesea's NER."""
    import spacy

    nlp = spacy.blank("vi")
    _drop_pyvi_temp_file(nlp)
    nlp.add_pipe("vanban_citations")
    nlp.add_pipe("vanban_gazetteer")
    nlp.add_pipe("vanban_cues")
    if ner:
        nlp.add_pipe("underthesea_ner")
    return nlp


def _drop_pyvi_temp_file(nlp: Language) -> None:
    """pyvi's CRF model unpickles into a temporary file that is never deleted (its owner
    lives until the process ends, when no finaliser runs): one 640 kB file in /tmp per
    process. Once the tagger has read it, the file is not needed."""
    nlp.make_doc("Khởi động bộ tách từ")  # the tagger reads the model on first use
    try:
        from pyvi import ViTokenizer

        ViTokenizer.ViTokenizer.model.modelfile.cleanup()
    except (ImportError, AttributeError):  # another pyvi: nothing to tidy
        pass


def entities(doc: Doc) -> list[Entity]:
    """vanban Entities (PER, ORG, LOC) of a processed Doc; abbreviations carry their expansion."""
    # (an abbreviation another component found first has no ent_id_: the catalogue says)
    expansions = catalogue().get("abbreviations", {})
    return [
        Entity(e.label_, e.text, e.start_char, e.end_char, e.ent_id_ or expansions.get(e.text))
        for e in doc.ents
        if e.label_ in LABELS
    ]


# spaCy refuses a text over nlp.max_length (1,000,000 characters) and its cost per piece
# grows with the piece: a long document goes through in pieces cut at line ends
PIECE = 100_000
CONTEXT = 5_000  # characters read before a piece


def pieces(text: str, size: int = PIECE) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text`` of at most ``size`` characters, each
    cut after a line end where there is one (an entity never spans a line end here)."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        out.append((start, end))
        start = end
    return out


# pyvi's syllable splitter is quadratic in the length of a run without spaces ("12-" * 68,267
# took 94 s); no word is that long, so such a run is cut by spaces, its length kept
LONG_RUN = re.compile(r"\S{200,}")


def _context_start(text: str, a: int) -> int:
    """Where to start reading for the piece at ``a``: a line start about CONTEXT before it,
    or, in a text without line ends there, a space."""
    if not a:
        return 0
    lo = max(0, a - 2 * CONTEXT)
    line = text.rfind("\n", lo, max(lo, a - CONTEXT))
    if line >= 0:
        return line + 1
    space = text.find(" ", max(0, a - CONTEXT), a)
    return space + 1 if space >= 0 else a


def _tamed(text: str) -> str:
    return LONG_RUN.sub(lambda m: re.sub(r"(.{99}).", r"\1 ", m.group()), text)


def find_entities(text: str, citations: list[Citation], ner: bool = False) -> list[Entity]:
    """People, bodies and places of a cleaned text whose citations extraction has found
    already (held as spans: the pipeline runs without its own citation finder), and dates
    from the date pattern, in text order."""
    nlp = entity_pipeline(ner)
    found = []
    with nlp.select_pipes(disable="vanban_citations"):
        for a, b in pieces(text):
            # read from some lines before the piece: what a component makes of a line can
            # hang on the lines above it; only the piece's own entities are kept
            c0 = _context_start(text, a)
            spans = [(c.start - c0, c.end - c0) for c in citations if c0 <= c.start and c.end <= b]
            doc = set_citation_spans(nlp.make_doc(_tamed(text[c0:b])), spans)
            found += [
                replace(e, text=text[e.start + c0 : e.end + c0], start=e.start + c0, end=e.end + c0)
                for e in entities(nlp(doc))
                if e.start + c0 >= a
            ]
    for m in DATE.finditer(text):
        if iso_date(m):
            found.append(Entity("DATE", m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda e: (e.start, e.end))
