"""Extraction: citations of numbered documents and references without a number.

Citations and dates are found with regular expressions on the cleaned text
before any tokenizer sees it: Vietnamese tokenizers split "08-QĐi/TW" and
"25/10/2018" into pieces.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

import regex as re

from . import parts, provinces, spelling, symbols
from .catalogue import (
    alternation,
    canonical_type,
    catalogue,
    doc_type_names,
    known_body,
    type_pattern,
)
from .dates import DATE, DAY_WORD, UNREADABLE_DATE, iso_date
from .models import Citation, CleanText, Metadata, Reference, Section, Structure, iter_sections
from .structure import readable_name
from .symbols import ENUMERATION, NUMBER, NUMBER_LABEL, SYMBOL, complete_issuer, repair_code

LAWS = ("Luật", "Bộ luật", "Pháp lệnh")


@lru_cache(maxsize=1)
def citation_pattern() -> "re.Pattern":
    # a law's name ("An ninh mạng", often "đất đai" in lower case) names no other document
    # and is no clause ("dự án Luật tại Tờ trình số …", "Luật … và Nghị định số …")
    others = alternation(n for n in doc_type_names() if n not in LAWS)  # (as capitalised)
    name = (
        r"(?!(?:và|tại|theo|có|được|của|cho|về|trong)\b)"
        rf"(?:(?!(?-i:{others})(?!\p{{L}}))[^,;.()\n\d]){{1,60}}?"
    )
    # "Quyết định của UBND tỉnh: số …": who issued the type named, not another document ("quy
    # định của Nghị định số …", "hướng dẫn của Bộ Tài chính tại Công văn số …")
    issuer = (
        rf"(?:(?!{type_pattern()}(?!\p{{L}})|(?:tại|theo|thực hiện|văn bản)(?!\p{{L}}))"
        r"[^,;.\n()]){0,40}?"
    )
    return re.compile(
        # "Luật An ninh mạng số 24/2018/QH14"
        rf"(?:(?P<law>Bộ luật|Luật|Pháp lệnh)\s+(?P<name>{name})\s+số\s+"
        rf"|(?P<type>{type_pattern()})\s+(?:(?:của\s+{issuer}\s+)?số\s+|số:\s*)?|(?<=\bsố\s+))?"
        rf"{ENUMERATION}?(?-i:{SYMBOL})",  # (a number is written in its case: "2/lần" is none)
        re.IGNORECASE,
    )


OWN_NUMBER = re.compile(rf"[\s*|]*{NUMBER_LABEL}", re.IGNORECASE)
# a footnote marker OCR read as a sign may sit between a symbol and its date: "19-NQ/TW$, ngày …"
OCR_MARKER = r"[$!*”\"’`‘¹²³⁴⁵⁶⁷⁸⁹⁰]{0,2}"
# (a title in capitals wraps its lines anywhere: "… SỐ 44/2021/TT-BGTVT⏎NGÀY 31/12/2021 …")
AFTER_DATE = re.compile(
    rf"{OCR_MARKER}[ \t]*,?[ \t]*(?:\n[ \t]*(?={DAY_WORD}))?(?:(?:ban hành|lập|ký)\s+)?"
    rf"{DATE.pattern}",
    re.IGNORECASE,
)
# the date written after the issuer: "Nghị quyết số 46/NQ-CP của Chính phủ ngày 08 tháng 3 năm 2025"
DATE_AFTER_ISSUER = re.compile(rf"[ \t]+(?={DAY_WORD}){DATE.pattern}", re.IGNORECASE)
# a date that cannot be read (``dates.UNREADABLE_DATE``) where a mention's date stands
NO_DATE = re.compile(rf"{OCR_MARKER}[ \t]*,?[ \t]*{UNREADABLE_DATE.pattern}", re.IGNORECASE)
TERM = re.compile(
    r"[ \t]*,?[ \t]*\(?\s*khóa\s+(?P<term>[IVXLC]+(?:\s*,\s*[IVXLC]+)*)\s*\)?", re.IGNORECASE
)
# ("… NĂM 2025⏎CỦA ỦY BAN NHÂN DÂN …": a title in capitals breaks its line before "của")
# ("của của": a typing slip)
ISSUER_START = re.compile(
    r"[ \t]*,?[ \t]*\n?[ \t]*của\s+(?:của\s+)?(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)
# an issuer ends before these: a subject, a conjunction, the term, a bracket, a following clause
ISSUER_STOP = re.compile(
    r"\s+(?:về|và|khóa|khoá|thực hiện|triển khai|ban hành|nhằm|để|theo|đối với|trong|tại|gắn với|"
    r"đã|đang|sẽ|là|được|có|cho|với|tiếp tục|từ|đến|quy định|hướng dẫn|phê duyệt|sửa đổi|"
    r"bãi bỏ|thành lập|công bố|như sau)\b|[,;:.()“\"”\n<]|\s+\d|(?<=\p{L})\d",
    re.IGNORECASE,
)
UNIT = r"(?:tỉnh|huyện|xã|quận|phường|thị xã|thị trấn|thành phố)"
WRAPPED_NAME = re.compile(rf"(?<=\b{UNIT})[ \t]*\n[ \t]*(?=\p{{Lu}})", re.IGNORECASE)
# a line end inside a name, with the marks a scan leaves about it ("Ban Chấp hành -⏎Đảng bộ
# tỉnh", "Ban Thường vụ⏎. _ Huyện ủy")
LINE_BREAK_DUST = re.compile(r"[ \t]*[-–_.~=·]?[ \t]*\n[ \t]*(?:[-–_.~=·,][ \t]*)*(?=\p{L})")
COMPANY = re.compile(r"Công ty\b")
# "Giám đốc Trung tâm Phục vụ hành chính công thành phố Hà Nội": 13 words
ISSUER_WORDS_MAX = 16
ADDRESS = re.compile(rf",[ \t]*{UNIT}[ \t]+\p{{Lu}}\p{{Ll}}*(?:[ \t]+\p{{Lu}}\p{{Ll}}*)*")
# after an issuer, a lowercase word that is not a subject, a term or a conjunction: a verb
CLAUSE_GOES_ON = re.compile(r"\s+(?!(?:về|và|khóa|khoá|tại|trong|của)\b)\p{Ll}")
CONFERENCE = re.compile(
    r"Hội nghị(?:\s+lần thứ\s+\p{L}+(?:\s+\p{L}+)?(?=\s+\p{Lu})|\s+Trung ương\s+\d{1,2})?\s*"
)
SUBJECT = re.compile(
    r"[ \t]*,?[ \t]*(?P<subject>(?:về|V/v)\s+[^;()\n]{3,200}?)"
    r"(?=[;()\n]|\.\s|$|,\s*(?:Kế hoạch|Nghị quyết|Quy định|Chỉ thị|Kết luận)"
    # what became of the document is no part of what it is about ("…, được sửa đổi, bổ sung
    # bởi Nghị định số …", "…, có hiệu lực thi hành từ …")
    # ("thủ tục hành chính được sửa đổi, bổ sung trong lĩnh vực …" is what it is about)
    r"|,?\s+(?:đã\s+)?được\s+(?:sửa\s+đổi|bổ\s+sung|thay\s+thế|hợp\s+nhất|đính\s+chính)"
    r"(?:,?\s+(?:sửa\s+đổi|bổ\s+sung))?(?:\s+cập\s+nhật)?(?:\s+một\s+số\s+điều)?"
    r"\s*(?:bởi|tại|theo|:)"
    r"|,\s*có\s+hiệu\s+lực"
    # nor is the sentence's own subject after the phrase that names it ("Thực hiện … Tờ trình
    # số … về …, Phó Thủ tướng Chính phủ … có ý kiến như sau:")
    r"|,[ \t]*(?-i:\p{Lu}[^,;:.\n]{1,80}?[ \t](?:có ý kiến|quyết định|yêu cầu|đề nghị"
    r"|thông báo|trả lời|kết luận|chỉ đạo))\b)",
    re.IGNORECASE,
)


def _normalise_symbol(num: str, code: str, sep: str) -> str:
    return num + sep + "".join(code.split())


def _relation(text: str, start: int) -> str | None:
    """The last relation cue before a mention, within its clause: a ";" or a sentence's end
    between them makes the cue another item's ("…, sửa đổi, bổ sung …; Luật Quản lý thuế;
    Nghị định số …"). (A line break is not one: pages wrap a clause anywhere.)"""
    window = text[max(0, start - 60) : start].casefold()
    window = CLAUSE_BREAK.split(window)[-1]
    found = [(m.start(), m.group(0)) for m in _relation_cues().finditer(window)]
    return max(found)[1] if found else None


CLAUSE_BREAK = re.compile(r";|\.\s")


@lru_cache(maxsize=1)
def _relation_cues() -> "re.Pattern":
    """The catalogue's relation cues as whole words ("theo" is no cue inside "theo dõi"'s
    "dõi", nor "thực hiện" inside another word); overlapping cues: the longest."""
    cues = sorted(catalogue()["relation_cues"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, cues)) + r")(?!\w)")


def section_finder(sections: list[Section]):
    """offset -> the path of the deepest section holding it (the last one in the walk that
    does), in log time: the sections are painted in walk order onto disjoint pieces, a
    later one over an earlier one (a walk over every section per mention was quadratic in a
    long document)."""
    starts: list[int] = []
    pieces: list[tuple[int, int, str]] = []  # disjoint, sorted
    for s in iter_sections(sections):
        if s.end <= s.start:
            continue
        i = bisect.bisect_right(starts, s.start) - 1
        if i < 0 or pieces[i][1] <= s.start:
            i += 1  # the first piece that reaches into the section
        j = bisect.bisect_left(starts, s.end)  # the pieces from i to j overlap it
        new = [(a, s.start, p) for a, _, p in pieces[i:j] if a < s.start]
        new.append((s.start, s.end, s.path))
        new += [(s.end, b, p) for _, b, p in pieces[i:j] if b > s.end]
        pieces[i:j] = new
        starts[i:j] = [x[0] for x in new]

    def at(offset: int) -> str | None:
        k = bisect.bisect_right(starts, offset) - 1
        return pieces[k][2] if k >= 0 and offset < pieces[k][1] else None

    return at


@lru_cache(maxsize=1)
def office_of_body() -> "re.Pattern":
    """An office whose holder issues, before the capitalised name of its body."""
    # (in any case: "Bộ Trưởng" is written too)
    office = "(?i:" + alternation(catalogue()["office_holders"]["words"]) + ")"
    # one holder of two offices: "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"
    return re.compile(rf"{office}(?:,\s*{office})*\s+(?=\p{{Lu}})")


def _issuer_span(candidate: str) -> str:
    """The leading words of a body's name: capitalised words and the lowercase words
    names are made of ("Ban Chấp hành Đảng bộ tỉnh"); a verb or other word ends it. As
    Nghị định 30/2020/NĐ-CP writes names, a field's first word is capitalised and the rest of
    the word lower case ("Ban Pháp chế", "Tổng cục Hải quan"), and " - " joins two fields
    ("Ban Văn hóa - Xã hội")."""
    words = catalogue()["issuer_words"]
    pairs = spelling.dictionary()[0]  # syllable pairs inside words
    end, last = 0, ""
    tokens = list(re.finditer(r"\S+", candidate))
    for k, w in enumerate(tokens):
        token = w.group(0)
        joined = (
            token in ("-", "–") and k + 1 < len(tokens) and tokens[k + 1].group(0)[:1].isupper()
        )
        if (
            token[:1].isupper()
            or token.casefold() in words
            or (last, token.casefold()) in pairs  # the rest of a capitalised word: "Pháp chế"
            or (joined and last)
        ):
            end, last = w.end(), token.casefold()
            continue
        # an OCR'd footnote marker glued to the last word: "Ban Bí thưể", "Bộ Chính trị!!"
        for cut in (1, 2):
            if len(token) > cut and token[:-cut].casefold() in words:
                end = w.start() + len(token) - cut
                break
        break
    return candidate[:end]


@lru_cache(maxsize=1)
def _whole_bodies() -> frozenset[str]:
    return frozenset(n.casefold() for n in catalogue()["whole_bodies"]["names"])


def _whole_name(span: str, known: "re.Match | None") -> str:
    """An issuer's name up to where it is whole, when a capitalised word follows that is the
    cited document's subject in sentence case ("của Chính phủ Ứng dụng công nghệ thông tin",
    "của Ủy ban nhân dân tỉnh Bình Phước Bổ sung lĩnh vực"): a central body the catalogue
    knows (``whole_bodies``: no place or field follows its name); and, whatever follows, a
    province's or district's name after its unit word, the last of them ("… thành phố Hà
    Nội hiện đang …")."""
    if known and not known.group("more") and known.group("body").casefold() in _whole_bodies():
        return span[: known.end()]
    names = provinces.unit_names(span)
    if names and span[names[-1][1] :].strip():  # (after the last: "huyện X tỉnh Y")
        return span[: names[-1][1]]
    return span


def _name_goes_on(rest: str, wrap: "re.Match") -> bool:
    """Whether a line end (``wrap``, with a scan's marks about it) falls inside the name that
    opens ``rest``: a body the catalogue knows, or a province's or district's name after its
    unit word ("… THỪA THIÊN⏎HUẾ", "THÀNH PHỐ HÀ⏎NỘI"), runs on across it; or, in a title
    set in capitals, where lines wrap anywhere, the next line opens with such a name
    ("UBND⏎TỈNH QUẢNG NAM")."""
    joined = rest[: wrap.start()] + " " + rest[wrap.end() : wrap.end() + 120]
    at = wrap.start() + 1  # where the next line starts in ``joined``
    # (the lines after it read as one too: "BỘ TRƯỞNG BỘ⏎TÀI⏎CHÍNH", a title wrapped narrow)
    body = known_body().match(LINE_BREAK_DUST.sub(" ", joined))
    if body and body.end() > at:
        return True
    capitals = rest[: wrap.start()].isupper() and joined[at : at + 40].split("\n")[0].isupper()
    return any(
        start < at < end or (start == at and capitals)
        for start, end in provinces.unit_names(joined)
    )


@lru_cache(maxsize=1)
def _next_issued() -> "re.Pattern":
    """What follows a body that issued the next document named: " tại văn bản số", " tại
    Thông báo số", " theo Kết luận …"."""
    return re.compile(
        rf"\s+(?:tại|theo)\s+(?:{type_pattern()}|văn\s+bản)(?!\p{{L}})", re.IGNORECASE
    )


def _tail_fields(text: str, end: int):
    """Date, term, issuer and subject stated right after a mention ending at ``end``."""
    pos, date, term, issuer, subject = end, None, None, None, None
    m = AFTER_DATE.match(text, pos, pos + 60)
    if m:
        date = iso_date(m)
        pos = m.end()
        # the year typed twice ("ngày 31/12/2024 2024 của Chính phủ"): a slip, not a clause
        again = re.match(r"\s+(\d{4})\b(?![/.-])", text[pos : pos + 8])
        if again and date and again.group(1) == date[:4]:
            pos += again.end()
    elif m := NO_DATE.match(text, pos, pos + 60):
        pos = m.end()
    m = TERM.match(text, pos, pos + 40)
    if m:
        term, pos = m.group("term"), m.end()
    m = ISSUER_START.match(text, pos, pos + 200)
    if m:
        rest = m.group("rest")
        wrap = WRAPPED_NAME.search(rest, 0, 120)
        if wrap and provinces.starts_with_unit(rest[wrap.end() :]):
            # a name hard-wrapped after its unit word ("của UBND tỉnh\nLào Cai"): one line
            rest = rest[: wrap.start()] + " " * (wrap.end() - wrap.start()) + rest[wrap.end() :]
        # a body the catalogue knows, hard-wrapped inside its name: one line, the marks at the
        # line ends dropped (``dropped``: where, and how many characters, to map offsets back)
        dropped: list[tuple[int, int]] = []
        searched = 0
        while (wrap := LINE_BREAK_DUST.search(rest, searched, 80)) and _name_goes_on(rest, wrap):
            rest = rest[: wrap.start()] + " " + rest[wrap.end() :]
            dropped.append((wrap.start(), wrap.end() - wrap.start() - 1))
            searched = wrap.start() + 1
        # "của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng", "của Hội nghị Trung ương 7":
        # the conference's ordinal is part of the name, not a clause after it
        conference = CONFERENCE.match(rest)
        known = known_body().match(rest)
        if known and known.group("more") and CLAUSE_GOES_ON.match(rest, known.end()):
            # "của Sở Nội vụ, Ủy ban nhân dân tỉnh ban hành …": the comma ends the issuer
            known = known_body().match(rest, 0, known.start("more"))
        # a body the catalogue knows is whole even where it holds "và" or a comma ("Bộ Giáo
        # dục và Đào tạo", "Bộ Chính trị, Ban Bí thư"); a place may follow it
        # … and an office holder issues in the name of a body it may abbreviate ("Bộ trưởng
        # Bộ VHTTDL")
        office = office_of_body().match(rest)
        lead = (
            conference.group(0)
            if conference
            else known.group(0)
            if known
            else office.group(0)
            if office
            else ""
        )
        tail = rest[len(lead) :]
        stop = ISSUER_STOP.search(tail)
        before_stop = tail[: stop.start()] if stop else tail
        # a company's name is any words ("Công ty CP đầu tư xây dựng hạ tầng cơ sở")
        span = lead + (before_stop if COMPANY.match(tail) else _issuer_span(before_stop))
        read = span = span.rstrip()
        span = _whole_name(span, known if known and lead == known.group(0) else None)
        # a local body with its province or district after a comma ("UBND xã Yên Thành, tỉnh
        # Lào Cai"): the address is part of its name
        address = ADDRESS.match(tail, len(span) - len(lead)) if span != lead else None
        if address:
            span += address.group(0).rstrip()
        name = " ".join(span.split())
        # ", của Ban Bí thư tại văn bản số 213-KL/TW": after a comma, a body that issued what
        # it goes on to name is the next mention's (ANNOTATION.md: "directly after")
        nexts = "," in text[m.start() : m.start("rest")] and _next_issued().match(
            text, m.start("rest") + len(span)
        )
        # (a body the catalogue knows is one written in lower case too: "của chính phủ")
        if (
            name
            and not nexts
            and (name[0].isupper() or known)
            and len(name.split()) <= ISSUER_WORDS_MAX
        ):
            # a title in capitals names it in capitals: written as the text writes names
            # (a company's name is its own: left as written)
            company = COMPANY.match(name.capitalize())  # (in capitals: "CÔNG TY …")
            issuer = readable_name(name) if name.isupper() and not company else name
            pos = m.start("rest") + len(span)
            pos += sum(count for at, count in dropped if len(span) > at)
            tm = TERM.match(text, pos, pos + 40)
            if tm:
                term, pos = term or tm.group("term"), tm.end()
            dm = None if date else DATE_AFTER_ISSUER.match(text, pos, pos + 60)
            if dm:
                date, pos = iso_date(dm), dm.end()
            elif len(read) > len(span) and not SUBJECT.match(text, pos, pos + 220):
                # a stray word after the whole name ("Hà Nội phố về việc …"): the subject
                # after it is still the cited document's
                pos += len(read) - len(span)
    m = SUBJECT.match(text, pos, pos + 220)
    if m:
        subject = " ".join(m.group("subject").split()).rstrip(" .")
    return date, term, issuer, subject


def find_citations(cleaned: CleanText, structure: Structure) -> list[Citation]:
    """Every mention of a numbered document in the cleaned text, in the order of the source
    (a footnote's citations where the page printed the footnote), each with its section."""
    own = structure.metadata
    citations = [
        c
        for c in find_mentions(cleaned.text, own.symbol, structure.body_start)
        if not _names_itself(c, own, cleaned.text, structure.body_end)
    ]
    section_at = section_finder(structure.sections)
    for c in citations:
        c.section = section_at(c.start)
    # footnote citations belong to the section of their marker; the list follows the order
    # of the source, so a footnote's citations come where the page printed the footnote
    notes = sorted(cleaned.footnotes, key=lambda f: f.start)
    note_starts = [f.start for f in notes]
    for c in citations:
        k = bisect.bisect_right(note_starts, c.start) - 1
        note = notes[k] if k >= 0 and c.start < notes[k].end else None
        if note is not None:
            c.section = section_at(note.ref) if note.ref is not None else None
    _subjects_from_footnotes(citations, cleaned)
    repaired = sorted(r.start for r in cleaned.repairs)
    for c in citations:
        c.confidence = _confidence(c, repaired)
    citations.sort(key=lambda c: cleaned.source_offset(c.start))
    return citations


def find_mentions(text: str, own: str | None = None, body_start: int = 0) -> list[Citation]:
    """The citations a text writes, with the fields the words around each give (type, date,
    term, issuer, subject, relation cue), in text order. ``own``: the document's own number,
    which its header (before ``body_start``) or a "Số:" line prints as metadata."""
    citations: list[Citation] = []
    for m in citation_pattern().finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if (
            own
            and own in re.sub(r"\s+", "", m.group(0))
            and (m.start() < body_start or OWN_NUMBER.fullmatch(text, line_start, m.start()))
        ):
            continue  # the document's own number ("Số: 245-CV/HU") is metadata, not a citation
        doc_type = canonical_type(m.group("type") or m.group("law"))
        match_end = m.end()
        if m.group("num"):
            code, match_end = complete_issuer(text, m.group("code"), m.end("code"), m.end())
            num, code, sep = m.group("num"), repair_code(code, doc_type), "-"
            sym_start = m.start("num")
        else:
            num, code, sep = m.group("snum"), m.group("scode"), "/"
            sym_start = m.start("snum")
        date, term, issuer, subject = _tail_fields(text, match_end)
        if m.group("name") and not subject:
            subject = " ".join(m.group("name").split())  # a law is known by its name
        numbers = re.findall(NUMBER, m.group("enum") or "") + [num]
        enum_starts = [
            mm.start() + (m.start("enum") if m.group("enum") else 0)
            for mm in re.finditer(NUMBER, m.group("enum") or "")
        ] + [sym_start]
        for k, (n, s) in enumerate(zip(numbers, enum_starts)):
            last = k == len(numbers) - 1
            start = m.start() if k == 0 else s
            end = match_end if last else s + len(n)
            citations.append(
                Citation(
                    symbol=_normalise_symbol(n, code, sep),
                    doc_type=doc_type,
                    number=n,
                    code=code,
                    # "số 18, 19-NQ/TW, ngày D của X": the date and the issuer stand after the
                    # last number only (ANNOTATION.md); the term is read for all
                    date=date if last else None,
                    issuer=issuer if last else None,
                    term=term,
                    subject=subject,
                    relation=_relation(text, m.start()),
                    section=None,
                    start=start,
                    end=end,
                    text=text[start:end],
                )
            )
    # "Thực hiện Quyết định số …; Công văn số …": the cue governs the whole list it opens
    for before, c in zip(citations, citations[1:]):
        if (
            c.relation is None
            and before.end <= c.start
            and not re.search(r"\n|\.\s", text[before.end : c.start])
        ):
            c.relation = before.relation
    for before, c in zip([None, *citations], citations):
        if c.doc_type is None:
            c.doc_type = _type_named_before(text, c, before)
    return citations


# where a sentence (or a paragraph) ends: a list's lines end in ";", "," or ":" and go on
SENTENCE_BOUND = re.compile(r"[.!?](?=\s)|(?<=[\p{L}\d)\]])[ \t]*\n")
BARE_NUMBER = re.compile(r"(?<!\p{L})số\s*:?\s*$", re.IGNORECASE)
# "…; số", "…, và số": the next of a list of numbers, after the last one's date and issuer;
# right after it, "số" may be left out ("Nghị quyết số 18-NQ/TW và 19-NQ/TW")
LIST_NEXT = re.compile(r"(?:[;,]\s*(?:và\s+)?|\s+và\s+)số\s*:?\s*$", re.IGNORECASE)
LIST_ONLY = re.compile(r"\s*(?:,|và|;)\s*(?:số\s+)?", re.IGNORECASE)


def _type_named_before(text: str, c: Citation, before: Citation | None) -> str | None:
    """The type of a number written bare ("số 92/2017/NĐ-CP") where the sentence named it
    before: the next of a list of numbers ("Nghị quyết số 18-NQ/TW và 19-NQ/TW", "Nghị định
    số 63/2010/NĐ-CP ngày …; số 92/2017/NĐ-CP"), a list a plural type opens ("các Quyết định
    của Thủ tướng Chính phủ: số 1341/QĐ-TTg; số 1437/QĐ-TTg"), or a name the type heads
    ("Báo cáo thẩm tra số", "Luật Khoa học, công nghệ và đổi mới sáng tạo số"). None
    otherwise ("Mẫu số", "Bản án số"), or where its code names another type."""
    found = written = None
    coded = symbols.doc_type_of(c.symbol)
    gap = text[before.end : c.start] if before else ""
    window = text[max(0, c.start - 250) : c.start]
    if (
        before
        and before.doc_type
        and (
            LIST_ONLY.fullmatch(gap)
            or (len(gap) < 250 and LIST_NEXT.search(gap) and not SENTENCE_BOUND.search(gap))
        )
    ):
        found = before.doc_type
    elif BARE_NUMBER.search(window):
        bound = None
        for bound in SENTENCE_BOUND.finditer(window):
            pass
        sentence = window[bound.end() if bound else 0 :]
        for m in _type_word().finditer(sentence):
            rest = sentence[m.end() :]
            law = canonical_type(m.group(0)) in LAWS
            # (a document's name is capitalised: "quy định", "hướng dẫn" are also verbs; in
            # lower case, the number's code has to say the type: "các công điện: số …/CĐ-TTg")
            named = m.group(0)[0].isupper() or coded == canonical_type(m.group(0))
            opens_list = named and re.fullmatch(
                r"[^.;:\n]{0,200}:\s*số\s*:?\s*", rest, re.IGNORECASE
            )
            heads_name = named and re.fullmatch(
                (
                    r"(?:\s+[^\s;:.()]+){0,12}"
                    if law
                    else r"(?:\s+(?!(?:tại|theo|và)\b)[^\s,;:.()]+){0,6}"
                )
                + r"\s+số\s*:?\s*",
                rest,
                re.IGNORECASE,
            )
            if opens_list or heads_name:
                found, written = canonical_type(m.group(0)), None
                if heads_name and not law and (more := TYPE_WORDS_ON.match(rest)):
                    # the type as written ("Giấy phép khai thác khoáng sản số …",
                    # "Biên bản vi phạm hành chính số …"): its own words, in lower case
                    written = f"{found} {' '.join(more.group('words').split())}"
    # (the code names the type the written words start with: "GP" for "Giấy phép …")
    return (written or found) if found and coded in (None, found) else None


# the words a type goes on with before its number, as written (ANNOTATION.md): a few, in lower
# case, none a word that opens an issuer, a subject or a clause, up to the number or a name in
# capitals ("Quyết định chủ trương đầu tư số", "Kết luận liên ngành Tư pháp Trung ương số")
TYPE_WORDS_ON = re.compile(
    r"\s+(?P<words>(?:(?!(?:của|về|tại|theo|và|với|cho|các|những|này|đó|được|đã|năm|ngày|trong"
    r"|trên|để|do|số|thực hiện|ban hành|kèm theo)(?!\p{L}))(?-i:\p{Ll}+)\s+){1,6})"
    r"(?=(?-i:\p{Lu})|số\s*:?\s*$)"
)


@lru_cache(maxsize=1)
def _type_word() -> "re.Pattern":
    return re.compile(rf"(?<!\p{{L}}){type_pattern()}(?!\p{{L}})", re.IGNORECASE)


def _names_itself(c: Citation, own: Metadata, text: str, body_end: int) -> bool:
    """The document's own number is never a citation of itself: wherever it stands without
    another date (an appendix caption "Ban hành kèm theo Kế hoạch số 552/KH-UBND", a
    republished headline); and with no number in the header, a caption after the closing
    block that attaches a part to a document of this type ("(Kèm theo Công văn số …)")."""
    if own.symbol:
        return symbols.key(c.symbol) == symbols.key(own.symbol) and (
            c.date is None or own.date is None or c.date == own.date
        )
    line = text[text.rfind("\n", 0, c.start) + 1 : c.start]
    return (
        c.start >= body_end
        and bool(parts.CAPTION.match(line))
        and (own.doc_type is None or c.doc_type == own.doc_type)
    )


def _confidence(c: Citation, repaired: list[int]) -> float:
    """How sure the mention is: lower for a bare symbol with no type word before it, a symbol
    cleanup had to repair or join (``repaired``: where repairs start, sorted), and an issuer
    code the catalogue does not know."""
    score = 1.0
    if c.doc_type is None:
        score -= 0.2
    k = bisect.bisect_left(repaired, c.start)
    if k < len(repaired) and repaired[k] < c.end:
        score -= 0.2
    if symbols.level_of_code(c.code) is None:
        score -= 0.2
    return round(score, 2)


def _subjects_from_footnotes(citations: list[Citation], cleaned: CleanText) -> None:
    """A footnote hung on a citation that says what the document is about ("7- Về miễn
    nhiệm, từ chức đối với cán bộ.") is that citation's subject."""
    text = cleaned.text
    for note in cleaned.footnotes:
        if note.ref is None or not re.match(r"(?:Về|Quy định về|Hướng dẫn về)\s", note.text):
            continue
        before = [
            c
            for c in citations
            if c.end <= note.ref and not re.search(r"[.;\n]", text[c.end : note.ref])
        ]
        if before and not before[-1].subject:
            before[-1].subject = note.text.rstrip(" .")


# --- references without a number -------------------------------------------------------

SHORT_TYPES = type_pattern()  # the catalogue's document types
ALIAS_DEF = re.compile(
    r"\((?:sau đây\s+)?(?:viết tắt là|gọi tắt là|gọi là)\s+(?P<forms>[^()\n]{2,200})\)",
    re.IGNORECASE,
)
SHORT_FORM = re.compile(
    rf"\b(?P<type>{SHORT_TYPES})\s+(?:số\s+)?(?P<num>{NUMBER})(?![\d/-]|\s*-\s*\p{{Lu}})"
)
THIS_FORM = re.compile(rf"\b(?P<type>{SHORT_TYPES})\s+này\b")
DESCRIBED = re.compile(
    rf"\b(?P<type>{SHORT_TYPES})\s+của\s+(?P<issuer>(?:Ban Thường vụ |Ban Chấp hành Đảng bộ )?"
    r"(?:Tỉnh ủy|Huyện ủy|Thành ủy|Thị ủy|Đảng ủy|tỉnh|huyện))\b(?!\s+(?:số|\d))"
)
NAMED = re.compile(
    r"\bNghị quyết\s+(?:Hội nghị\s+)?Trung ương\s+\d{1,2}"
    r"(?:\s*\(khóa\s+[IVXLC]+(?:\s*,\s*[IVXLC]+)*\)|\s+khóa\s+[IVXLC]+\b)?"
    r"|\bNghị quyết\s+Đại hội\s+(?:đại biểu\s+)?(?:toàn quốc\s+)?(?:lần thứ\s+)?[IVXLC]+"
    r"(?:\s+của Đảng)?"
    r"|\bĐiều lệ Đảng|\bHiến pháp(?:\s+năm\s+\d{4})?"
    r"|\bLuật\s+(?!số\b)\p{Lu}[^,;.()\d]{3,60}?(?=\s+(?:số|ngày|năm|và|được|đã|của)\b|[,;.()]|$)",
    re.MULTILINE,
)


def find_references(
    cleaned: CleanText, structure: Structure, citations: list[Citation]
) -> list[Reference]:
    """Mentions of documents without a number, resolved to a numbered one where the text
    settles it."""
    text = cleaned.text
    own = structure.metadata
    taken = sorted((c.start, c.end) for c in citations)
    by_kind_level: dict[tuple, set[str]] = {}  # (type, level) -> the symbols cited so
    for c in citations:
        by_kind_level.setdefault((c.doc_type, symbols.level_of_code(c.code)), set()).add(c.symbol)
    section_at = section_finder(structure.sections)
    refs: list[Reference] = []
    aliases: dict[str, str] = {}  # short form as written (casefolded) -> symbol

    def free(a: int, b: int) -> bool:
        # the spans taken never overlap: only the last one starting before b can reach a
        k = bisect.bisect_left(taken, (b, -1)) - 1
        return k < 0 or taken[k][1] <= a

    def add(kind, m, name=None, symbol=None):
        refs.append(
            Reference(kind, m.group(0), m.start(), m.end(), name, symbol, section_at(m.start()))
        )
        bisect.insort(taken, (m.start(), m.end()))

    for m in ALIAS_DEF.finditer(text):
        before = [c for c in citations if c.end <= m.start()]
        defined = None
        for form in re.split(r",\s*|\s+và\s+", m.group("forms")):
            form = form.strip()
            fm = SHORT_FORM.fullmatch(form) or re.fullmatch(rf"(?P<type>{SHORT_TYPES})", form)
            if not fm:
                continue  # a form with its own number is a citation already
            kind = canonical_type(fm.group("type"))
            num = fm.groupdict().get("num")
            target = next(
                (
                    c
                    for c in reversed(before)
                    if c.doc_type == kind and (not num or c.number.lstrip("0") == num.lstrip("0"))
                ),
                None,
            )
            if target:
                aliases[form.casefold()] = defined = target.symbol
        add("alias", m, name=m.group("forms").strip(), symbol=defined)
    for m in SHORT_FORM.finditer(text):
        if not free(m.start(), m.end()):
            continue
        kind, num = canonical_type(m.group("type")), m.group("num").lstrip("0")
        symbol = aliases.get(m.group(0).casefold())
        if symbol is None:
            same = {
                c.symbol for c in citations if c.doc_type == kind and c.number.lstrip("0") == num
            }
            symbol = same.pop() if len(same) == 1 else None
        if symbol:
            add("short", m, symbol=symbol)
    for m in THIS_FORM.finditer(text):
        if not free(m.start(), m.end()):
            continue
        kind = canonical_type(m.group("type"))
        if kind == own.doc_type:
            add("self", m, symbol=own.symbol)
        else:
            last = next(
                (c for c in reversed(citations) if c.doc_type == kind and c.end <= m.start()), None
            )
            add("this", m, symbol=last.symbol if last else None)
    for m in DESCRIBED.finditer(text):
        if not free(m.start(), m.end()):
            continue
        kind = canonical_type(m.group("type"))
        level = symbols.level_of_issuer(m.group("issuer"))
        own_level = symbols.level_of_code(own.symbol.split("-", 1)[-1]) if own.symbol else None
        if kind == own.doc_type and (own_level is None or own_level == level):
            add("self", m, symbol=own.symbol)
            continue
        same = set(by_kind_level.get((kind, level), ()))
        add("short", m, symbol=same.pop() if len(same) == 1 else None)
    for m in NAMED.finditer(text):
        if free(m.start(), m.end()):
            add("named", m, name=" ".join(m.group(0).split()))
    return sorted(refs, key=lambda r: cleaned.source_offset(r.start))
