"""Tasks: who must do what, by when — from the sections that assign work.

A directive assigns work in sections titled "Tổ chức thực hiện", "Nhiệm vụ cụ thể",
"Nhiệm vụ và giải pháp cụ thể" … (``task_headings`` in the catalogue). Inside them an
assignee is written two ways:

- as a numbered heading, the tasks below it as "-" items or a paragraph:
  "2.4. Ban Tổ chức Tỉnh ủy", "1. Đối với HĐND huyện",
  "4. Phòng Văn hóa - Thông tin huyện: Quản lý …";
- as the subject of a numbered paragraph: "3. Ban Tổ chức Huyện ủy chủ trì, phối hợp …".

A task's deadline is the parenthesis it ends with, or a "Thời gian thực hiện: …" line:
"(nhiệm vụ thường xuyên)", "(thực hiện từ năm 2023)", "(hoàn thành trong năm 2024, sau
khi có văn bản chỉ đạo của Trung ương)", "(trước ngày 30/6/2024)".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex as re

from .catalogue import alternation, catalogue, sentence_opener, task_verb_opening
from .dates import DATE, iso_date
from .models import CleanText, Deadline, Section, Structure, Task, iter_sections

ITEM = re.compile(r"(?m)^[ \t]*[-+•–][ \t]+")  # a "-" item starts a task
PAREN = re.compile(r"\(([^()\n]{4,240})\)")
# "Thời gian thực hiện: trước ngày 30/6/2024." on its own line or inside the paragraph
TIME_LINE = re.compile(
    r"(?i)\bThời (?:gian|hạn)(?: thực hiện| hoàn thành)?\s*:\s*(?P<body>[^\n;]{3,200}?)"
    r"(?=[;\n]|\.(?:\s|$)|$)"
)

RECURRING = re.compile(
    r"thường xuyên|hằng năm|hàng năm|định kỳ|hằng quý|hàng quý|hằng tháng|hàng tháng", re.IGNORECASE
)
FROM_YEAR = re.compile(
    r"từ\s+(?:(?:tháng\s+\d{1,2}|quý\s+[IV]+)\s*(?:/|năm\s+)|năm\s+)(?P<year>\d{4})"
    r"(?:\s*[-–]\s*(?:năm\s+)?(?P<until>\d{4})|\s+đến(?: năm)?\s+(?P<until2>\d{4}))?",
    re.IGNORECASE,
)
# (a span of months or quarters in one year: "Tháng 11 - 12/2025", "quý III - IV/2025")
IN_YEAR = re.compile(
    r"(?:(?:trong\s+)?(?:quý\s+[IV]+(?:\s*[-–]\s*[IV]+)?|tháng\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)"
    r"\s*(?:/|năm\s+)|(?:trong\s+)?năm\s+)(?P<year>\d{4})",
    re.IGNORECASE,
)
# a deadline written into the sentence: "báo cáo kết quả trước ngày 15/12/2024", "hoàn thành
# trong quý III/2024"
INLINE = re.compile(
    rf"\b(?:trước\s+ngày\s+{DATE.pattern}|(?:hoàn thành|xong)\s+(?:trong\s+|trước\s+)?"
    r"(?:năm|quý\s+[IV]+\s*(?:/|năm)|tháng\s+\d{1,2}\s*(?:/|năm))\s*\d{4}"
    # a day of every year: "gửi trước ngày 15/6 hằng năm", "trước ngày 10/12 hàng năm"
    r"|trước\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}(?!\s*/\s*\d)\s+h[ằà]ng\s+năm)",
    re.IGNORECASE,
)
BEFORE = re.compile(rf"trước\s+(?:ngày\s+)?(?={DATE.pattern})", re.IGNORECASE)
CONDITION = re.compile(r"sau khi\s+(?P<what>[^,;()]{3,200})", re.IGNORECASE)


def parse_deadline(body: str) -> Optional[dict]:
    """What a deadline phrase says: kind (before | from | within | recurring | after),
    year, until, date, condition. None when the phrase is no deadline ("khóa XIII")."""
    m = BEFORE.search(body)
    date = None
    if m:
        dm = DATE.match(body, m.end())
        date = iso_date(dm) if dm else None
    frm, within, cond = FROM_YEAR.search(body), IN_YEAR.search(body), CONDITION.search(body)
    recurring = RECURRING.search(body)
    if date:
        kind, year, until = "before", int(date[:4]), None
    elif frm:
        kind, year = "from", int(frm.group("year"))
        until = frm.group("until") or frm.group("until2")
        until = int(until) if until else None
    elif within:
        kind, year, until = "within", int(within.group("year")), None
    elif recurring:
        kind, year, until = "recurring", None, None
    elif cond:
        kind, year, until = "after", None, None
    else:
        return None
    return {
        "kind": kind,
        "year": year,
        "until": until,
        "date": date,
        "condition": " ".join(cond.group("what").split()) if cond else None,
    }


def find_deadlines(text: str, start: int, end: int) -> list[Deadline]:
    found = []
    for m in PAREN.finditer(text, start, end):
        fields = parse_deadline(m.group(1))
        if fields:
            found.append(
                Deadline(text=m.group(1).strip(" *_"), start=m.start(1), end=m.end(1), **fields)
            )
    for m in TIME_LINE.finditer(text, start, end):
        fields = parse_deadline(m.group("body"))
        if fields:
            found.append(
                Deadline(
                    text=m.group("body").strip(), start=m.start("body"), end=m.end("body"), **fields
                )
            )
    for m in INLINE.finditer(text, start, end):
        if any(d.start <= m.start() < d.end for d in found):
            continue  # inside a parenthesis or a "Thời gian" line already read
        fields = parse_deadline(m.group(0))
        if fields:
            found.append(Deadline(text=m.group(0), start=m.start(), end=m.end(), **fields))
    return sorted(found, key=lambda d: d.start)


# --- assignees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    head: "re.Pattern"  # the words an assignee's name opens with
    verb: "re.Pattern"  # a task verb: where the subject of a paragraph ends
    headings: list  # titles of the sections that assign tasks
    maybe: list  # titles of sections that assign tasks when their parts name assignees
    opening: "re.Pattern"  # a task verb opening a line


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    cat = catalogue()
    # "Các sở, ban, ngành", "Các doanh nghiệp": a plural names agencies when its noun is one
    # ("Các nội dung khác …", "Các khoản chi …", "Các công trình …" assign nothing)
    plurals = [f"Các {noun}" for noun in cat["assignee_plurals"]]
    head = re.compile(
        alternation(cat["assignee_heads"] + plurals + list(cat.get("abbreviations", {}))) + r"\b",
        re.IGNORECASE,
    )
    # a lower-case task verb ends the subject; "các tổ chức" is a noun, not the verb "tổ chức",
    # and so is a "tổ chức" a list of agencies goes on with ("Các cơ quan, tổ chức, cá nhân")
    verb = re.compile(
        r"\s(?<!\b(?:[Cc]ác|[Nn]hững|và|việc)\s)(?<!,\s(?=tổ chức\b))"
        # ("cơ quan quản lý", "các Sở quản lý công trình", "trong quản lý": a noun)
        r"(?<!\b(?:quan|[Ss]ở|vị|chức|[Bb]an|trong)\s(?=quản lý\b))"
        + alternation(cat["task_verbs"])
        + r"\b"
    )
    headings = [h.casefold() for h in cat["task_headings"]]
    # a heading or paragraph that opens with a verb is a task, whatever word it shares with
    # a body's name ("Ban hành …" is no "Ban …", "Tổ chức bầu cử …" no "Tổ chức …")
    opening = task_verb_opening()
    maybe = [h.casefold() for h in cat["task_headings_if_assigned"]]
    return _Patterns(head, verb, headings, maybe, opening)


# "Giao Sở …", "Đề nghị …", "Trách nhiệm của Sở Tư pháp hướng dẫn …": the body follows
ADDRESSED = re.compile(r"^(?:Giao(?:\s+cho)?|Đề nghị|Yêu cầu|Trách nhiệm của)\s+(?=\p{Lu}|các\b)")
# "Đối với HĐND huyện", "Trách nhiệm của Sở Khoa học và Công nghệ": the heading names the body
FOR = re.compile(
    r"^(?:Đối với|Giao"
    r"|(?:Trách nhiệm|Nhiệm vụ)(?:,?\s+(?:và\s+)?(?:quyền hạn|nhiệm vụ))?\s+của)\s+",
    re.IGNORECASE,
)


def assignee_heading(title: str) -> Optional[str]:
    """The body a heading names ("Đối với HĐND huyện" -> "HĐND huyện"), or None when the
    heading is a task or a topic rather than an agency."""
    p = _patterns()
    name = FOR.sub("", " ".join(title.split())).rstrip(" :.")
    if (
        not name
        or len(name.split()) > 30
        or not p.head.match(name)
        or p.opening.match(name)
        or CONDITIONAL.match(name)
        or _verb_after_name(" " + name)
    ):
        return None
    return name


def leading_subject(text: str) -> Optional[tuple[int, int]]:
    """The agency a paragraph starts with, up to its first task verb:
    "Ban Tổ chức Huyện ủy chủ trì, phối hợp …" -> "Ban Tổ chức Huyện ủy"."""
    p = _patterns()
    offset = 0
    addressed = ADDRESSED.match(text)
    if addressed:  # "Giao Sở Nội vụ theo dõi …", "Đề nghị Ủy ban MTTQ tỉnh phối hợp …"
        offset = addressed.end()
        line = text[offset:].split("\n", 1)[0].rstrip()
        if addressed.group(0).startswith("Trách") and not re.search(r"\.(?:\s|$)", line):
            # "Trách nhiệm của các Sở quản lý công trình …:" heads the items below: its name
            # is the line, whatever verbs a body's name holds
            return (offset, offset + len(line.rstrip(" :"))) if p.head.match(line) else None
    elif sentence_opener("grounds").match(text):
        # "Căn cứ Nghị quyết số 28-NQ/TW, Kế hoạch …, các huyện ủy … xây dựng": the subject
        # follows the first comma that an agency comes after
        opening = re.split(r"\n\s*\n", text[:300])[0]
        starts = [m.end() for m in re.finditer(r",\s*", opening) if p.head.match(text, m.end())]
        if not starts:
            return None
        offset = starts[0]
    # the paragraph's opening, across a wrap cleanup left (a newline is one character, so
    # offsets hold when it reads as a space); a new item or a blank line ends it
    first = re.split(r"\n\s*\n|\n(?=\s*(?:[-+•]|\d+\.)\s)", text[offset : offset + 300])[0].replace(
        "\n", " "
    )
    if not p.head.match(first) or p.opening.match(first) or CONDITIONAL.match(first):
        return None
    v = _verb_after_name(first)
    if not v or re.search(r"[.:]\s", first[: v.start()]):
        return None
    # what the name is, or where it acts, is not the name ("… là cơ quan đầu mối, chủ trì",
    # "…, trong phạm vi nhiệm vụ, quyền hạn của mình, giám sát")
    name = first[: v.start()]
    if q := QUALIFIER.search(name):
        name = name[: q.start()]
    name = MODAL_END.sub("", name.rstrip(" ,;:"))  # "… Cam Ranh phải chấp hành …"
    end = len(name.rstrip(" ,;:"))
    return (offset, offset + end) if end >= 2 else None


def _verb_after_name(text: str) -> "re.Match | None":
    """The first task verb after a name of two words at least ("Ban quản lý Khu kinh tế" is
    a board, not "Ban" managing), outside a parenthesis the name opens ("Thủ trưởng các đơn
    vị (trừ đơn vị tự bảo đảm chi thường xuyên) …")."""
    return next(
        (
            v
            for v in _patterns().verb.finditer(text)
            if len(text[: v.start()].split()) > 1
            and text.count("(", 0, v.start()) <= text.count(")", 0, v.start())
        ),
        None,
    )


MODAL_END = re.compile(r"\s+(?:phải|cần|sẽ|đều|cùng)$")
# "Trường hợp …" (in case) opens a condition, not the name of a school ("Trường …")
CONDITIONAL = re.compile(r"Trường\s+hợp\b", re.IGNORECASE)
QUALIFIER = re.compile(
    r"(?:,\s*|\s+)(?:là\s+(?:cơ\s+quan|đầu\s+mối)|làm\s+đầu\s+mối|trong\s+phạm\s+vi"
    r"|theo\s+chức\s+năng|căn\s+cứ\s+(?:vào\s+)?chức\s+năng)\b",
    re.IGNORECASE,
)


# --- tasks -------------------------------------------------------------------------------


def _is_task_region(text: str, section: Section) -> bool:
    """A "Tổ chức thực hiện" section; or a "Nhiệm vụ" one most of whose parts name an assignee."""
    title = " ".join((section.title or "").split()).casefold().rstrip(" .:")
    p = _patterns()
    if any(title == h or title.startswith(h) for h in p.headings):
        return True
    if not any(title == h or title.startswith(h) for h in p.maybe) or len(section.children) < 2:
        return False
    named = sum(
        1
        for k in section.children
        if (assignee_heading(k.title) if k.title else _subject(text, _label_end(text, k), k.end))
    )
    return 2 * named >= len(section.children)


def _label_end(text: str, section: Section) -> int:
    pos = section.start + len(section.label)
    return pos + re.match(r"[.)\-–]?\s*", text[pos : section.end]).end()


def _body_start(text: str, section: Section) -> int:
    """Where a section's content begins: after its label and its title."""
    pos = _label_end(text, section)
    if section.title:
        at = text.find(section.title, pos, section.end)
        if at >= 0:
            pos = at + len(section.title)
    return pos + re.match(r"[\s.:*_]*", text[pos : section.end]).end()


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The "-" items of a span, or the whole span as one item."""
    marks = [m for m in ITEM.finditer(text, start, end)]
    if not marks:
        body = text[start:end].strip()
        return (
            [(start + text[start:end].index(body), start + text[start:end].index(body) + len(body))]
            if body
            else []
        )
    items = []
    lead = text[start : marks[0].start()].strip()
    if lead:  # a paragraph before the first item is a task too
        s = text.index(lead, start)
        items.append((s, s + len(lead)))
    for k, m in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else end
        body = text[m.end() : stop].rstrip()
        if body:
            items.append((m.end(), m.end() + len(body)))
    return items


def _task(text: str, start: int, end: int, assignee: Optional[str], section: str) -> Task:
    return Task(
        assignee=assignee,
        text=text[start:end],
        section=section,
        start=start,
        end=end,
        deadlines=find_deadlines(text, start, end),
    )


def find_tasks(cleaned: CleanText, structure: Structure) -> list[Task]:
    text = cleaned.text
    tasks: list[Task] = []
    regions = [s for s in iter_sections(structure.sections) if _is_task_region(text, s)]
    # a region inside another region is covered by the outer one
    regions = [
        r
        for r in regions
        if not any(o is not r and o.start <= r.start and r.end <= o.end for o in regions)
    ]
    for region in regions:
        if region.children:
            for section in region.children:
                tasks += _section_tasks(text, section, inherited=None)
        else:  # a region of "-" items or paragraphs without numbered parts
            tasks += [
                _task(text, s, e, _subject(text, s, e), region.path)
                for s, e in _items(text, _body_start(text, region), region.end)
            ]
    return tasks


def _subject(text: str, start: int, end: int) -> Optional[str]:
    span = leading_subject(text[start:end])
    return " ".join(text[start + span[0] : start + span[1]].split()) if span else None


def _section_tasks(text: str, section: Section, inherited: Optional[str]) -> list[Task]:
    body = _body_start(text, section)
    named = assignee_heading(section.title) if section.title else None
    if named:
        assignee = named
        start = body
    else:
        # the numbered paragraph is a task itself; its subject may name the assignee
        start = _label_end(text, section)
        assignee = _subject(text, start, section.end) or inherited
    end = section.children[0].start if section.children else section.end
    out = [_task(text, s, e, assignee, section.path) for s, e in _items(text, start, end)]
    for child in section.children:
        out += _section_tasks(text, child, inherited=assignee)
    return out
