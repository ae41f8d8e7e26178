"""Offline HTML pages to read an output folder by: one page per document (its header, its
outline, and its cleaned text with citations, references, entities, tasks, deadlines,
footnotes and cleanup repairs marked) and an index of the documents, linked to the graph view.

Every span of a document file points into its ``text`` (the cleaned text), so the marks are
laid over that text. Marks may overlap without nesting (an entity running past a citation's
end); such a mark is cut into pieces that all carry its key, so the page stays well-formed
and the script treats the pieces as one.

No mark is itself interactive, as marks hold each other (a task its citations, a citation
what cleanup repaired in it) and a control may hold no other. What the keyboard reaches is a
control of its own, an empty <button> at the mark's start (``CONTROL``), named by what the
mark is: each is one stop of the tab order, in text order, and opens the mark's panel.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .atomic import WriteFailed, write_bytes
from .models import GRAPH, SCHEMA_VERSION, Document, document_files, iter_sections
from .query import name_of
from .validate import offset_errors

DATA = Path(__file__).with_name("data")
# the document pages' folder: apart from index.html and graph.html, whatever they are named
DOC_FOLDER = "doc"
FIX_SHOWN = 80  # characters of a repair's removed text shown in the page (all of it in the panel)
# in the <head> of every document page, so that a later view tells its own pages (which it
# may remove when their document is gone) from anything else in the folder
GENERATOR = '<meta name="generator" content="vanban view">'
MARKER_WITHIN = 4096  # bytes of a page's start the marker is looked for in

# layers from the outermost to the innermost: where two marks start at one place and end at
# one place, the earlier layer holds the later one
LAYERS = ("fn", "sec", "task", "deadline", "cite", "ref", "ent", "fixed")
RANK = {layer: i for i, layer in enumerate(LAYERS)}
# attributes of a mark's first piece alone: an id names one element
FIRST_ONLY = frozenset({"id"})
LABEL_WORDS = 80  # characters of a task's text in its accessible name
# a mark's control: an empty button, so that it holds nothing (no text of the document, no
# other control), placed as the first thing in the mark's first piece; the page draws the
# keyboard's focus round the mark (a task's is a small visible tag, the others take no room)
CONTROL = '<button type="button" class="k {layer}" data-k="{key}" aria-label="{name}"></button>'


class ViewError(Exception):
    """The output folder cannot be shown (absent, or holding no document file)."""


@dataclass
class _Mark:
    start: int
    end: int
    layer: str
    key: str = ""  # what the script looks the mark up by ("c3": citation 3)
    attrs: dict = field(default_factory=dict)
    name: str = ""  # its control's accessible name; none: no control (a section, a footnote)


def _attrs(attrs: dict) -> str:
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())


def control(layer: str, key: str, name: str) -> str:
    """The button the keyboard reaches a mark by: empty, named ``name``."""
    fields = {"layer": layer, "key": key, "name": " ".join(name.split())}
    return CONTROL.format(**{k: html.escape(v, quote=True) for k, v in fields.items()})


def _open(mark: _Mark, first: bool, last: bool) -> str:
    piece = (" first" if first else "") + (" last" if last else "")
    attrs = {"class": f"m {mark.layer}{piece}"}
    if mark.key:
        attrs["data-k"] = mark.key
    # an id names one element, and a mark is one stop of the tab order: the first piece
    # has them, and holds the mark's control
    attrs.update((k, v) for k, v in mark.attrs.items() if first or k not in FIRST_ONLY)
    held = control(mark.layer, mark.key, mark.name) if first and mark.name else ""
    return f"<span{_attrs(attrs)}>{held}"


def markup(text: str, marks: list[_Mark], inserts: list[tuple[int, str]]) -> str:
    """``text`` as HTML: each mark a <span> (cut into pieces where marks cross), each insert
    (HTML that is no part of the text: a footnote's number, what a repair removed) at its
    offset. Marks empty or outside the text are left out."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starting = defaultdict(list)
    for i, m in enumerate(marks):
        starting[m.start].append(i)
    put = defaultdict(list)
    for at, snippet in inserts:
        put[min(max(at, 0), len(text))].append(snippet)
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks} | set(put))
    out: list[str] = []
    stack: list[int] = []
    pieces: dict[int, list[int]] = defaultdict(list)  # mark -> where its pieces open in out
    for i, at in enumerate(bounds):
        reopen = []
        ending = [k for k, m in enumerate(stack) if marks[m].end <= at]
        if ending:  # close down to the outermost mark that ends here, then reopen the rest
            popped = stack[ending[0] :]
            del stack[ending[0] :]
            out.extend("</span>" for _ in popped)
            reopen = [m for m in popped if marks[m].end > at]
        out.extend(put.get(at, ()))
        # the longest first, so that what ends later holds what ends sooner
        for m in sorted(
            reopen + starting.get(at, []), key=lambda m: (-marks[m].end, RANK[marks[m].layer])
        ):
            pieces[m].append(len(out))
            out.append("")
            stack.append(m)
        if i + 1 < len(bounds):
            out.append(html.escape(text[at : bounds[i + 1]], quote=False))
    out.extend("</span>" for _ in stack)
    for m, where in pieces.items():
        for n, k in enumerate(where):
            out[k] = _open(marks[m], n == 0, n == len(where) - 1)
    return "".join(out)


# --- what one document's page shows -------------------------------------------------------


def _heading_end(text: str, start: int, end: int) -> int:
    line = text.find("\n", start + 1, end)
    return line if line >= 0 else end


def _fields(item) -> dict:
    """A flat record's fields (a shallow copy: asdict's deep one costs more than the page)."""
    return dict(vars(item))


def _words(text: str, size: int) -> str:
    """At most ``size`` characters of ``text``, cut at a space."""
    if len(text) <= size:
        return text
    return text[: text.rfind(" ", 0, size) if " " in text[:size] else size] + "…"


def _fix_shown(before: str) -> str:
    shown = before.replace("\n", "↵")
    return shown if len(shown) <= FIX_SHOWN else shown[: FIX_SHOWN - 1] + "…"


def _repair_name(r) -> str:
    """What a repair's control says: its kind, what it removed and what it put there."""
    kind = r.kind.replace("_", " ")
    if not r.after:
        return f"Repair, {kind}: removed “{_fix_shown(r.before)}”"
    if not r.before:
        return f"Repair, {kind}: put “{_fix_shown(r.after)}”"
    return f"Repair, {kind}: “{_fix_shown(r.before)}” made “{_fix_shown(r.after)}”"


def page_parts(doc: Document) -> dict:
    """The marked text, the outline and the data the page's script reads about each mark."""
    text = doc.text
    marks: list[_Mark] = []
    inserts: list[tuple[int, str]] = []
    outline: list[dict] = []
    number = itertools.count()

    def walk(sections, into):
        for s in sections:
            sid = f"s{next(number)}"
            # the anchor holds the section's first line, which lights up when jumped to
            line_end = _heading_end(text, s.start, s.end)
            marks.append(_Mark(s.start, line_end, "sec", attrs={"id": sid}))
            # an untitled section ("1.", "a)") is named in the outline by its first words
            first = " ".join(text[s.start : line_end].split())
            node = {
                "id": sid,
                "label": s.label,
                "title": s.title or _words(first.removeprefix(s.label).lstrip(".):- "), 60),
                "children": [],
            }
            into.append(node)
            walk(s.children, node["children"])

    walk(doc.sections, outline)

    data: dict[str, list] = {"c": [], "r": [], "e": [], "t": [], "d": [], "x": []}
    for i, c in enumerate(doc.citations):
        marks.append(_Mark(c.start, c.end, "cite", f"c{i}", name=f"Citation: {c.text}"))
        # the graph node named as it is to be asked for (vanban graph OUT cited-by NAME)
        data["c"].append({**_fields(c), "node": name_of(c.target) if c.target else None})
    for i, r in enumerate(doc.references):
        marks.append(_Mark(r.start, r.end, "ref", f"r{i}", name=f"Reference: {r.text}"))
        data["r"].append(_fields(r))
    for i, e in enumerate(doc.entities):
        named = f"Entity, {e.label}: {e.text}"
        marks.append(_Mark(e.start, e.end, "ent", f"e{i}", {"data-l": e.label}, named))
        data["e"].append(_fields(e))
    for i, t in enumerate(doc.tasks):
        whose = f"Task of {t.assignee}" if t.assignee else "Task"
        named = f"{whose}: {_words(' '.join(t.text.split()), LABEL_WORDS)}"
        marks.append(_Mark(t.start, t.end, "task", f"t{i}", name=named))
        data["t"].append({k: v for k, v in vars(t).items() if k != "deadlines"})
        for d in t.deadlines:
            key = f"d{len(data['d'])}"
            marks.append(_Mark(d.start, d.end, "deadline", key, name=f"Deadline: {d.text}"))
            data["d"].append({**_fields(d), "task": i})
    for i, f in enumerate(doc.footnotes):
        marks.append(_Mark(f.start, f.end, "fn", attrs={"id": f"fn{i}"}))
        back = f' href="#fnref{i}"' if f.ref is not None else ""
        inserts.append((f.start, f'<sup class="fnmark"><a{back}>{html.escape(f.marker)}</a></sup>'))
        if f.ref is not None:
            inserts.append(
                (
                    f.ref,
                    f'<sup class="fnref" id="fnref{i}"><a href="#fn{i}">'
                    f"{html.escape(f.marker)}</a></sup>",
                )
            )
    for i, r in enumerate(doc.repairs):
        data["x"].append(_fields(r))
        put = r.after and text[r.start : r.start + len(r.after)] == r.after
        if not (r.before or put):  # nothing of it to show
            continue
        # one stop of the tab order for the repair: its control where it was made, before
        # what it removed and what it put (shown, and reached, when repairs are switched on)
        inserts.append((r.start, control("fixed", f"x{i}", _repair_name(r))))
        if r.before:
            inserts.append(
                (
                    r.start,
                    f'<del class="fix" data-k="x{i}">{html.escape(_fix_shown(r.before))}</del>',
                )
            )
        if put:
            marks.append(_Mark(r.start, r.start + len(r.after), "fixed", f"x{i}"))
    return {"text": Markup(markup(text, marks, inserts)), "outline": outline, "marks": data}


def _header(doc: Document) -> list[tuple[str, object, dict | None]]:
    """(label, value, how it was read when not plainly from the text) for the header fields."""
    meta, how = doc.metadata, doc.metadata.sources or {}
    signer = ", ".join(v for v in (meta.signer.authority, meta.signer.title, meta.signer.name) if v)

    def source(name):
        s = how.get(name)
        return s if isinstance(s, dict) and s.get("how") not in (None, "text") else None

    return [
        ("Type", meta.doc_type, source("doc_type")),
        ("Number", meta.symbol, source("symbol")),
        ("Date", meta.date, source("date")),
        ("Place", meta.place, source("place")),
        ("Issuer", meta.issuer, source("issuer")),
        ("Signer", signer or None, source("signer")),
        ("Title", meta.title, source("title")),
        ("Recipients", meta.recipients or None, source("recipients")),
    ]


# --- the folder ---------------------------------------------------------------------------


@dataclass
class View:
    index: Path
    pages: list[Path]
    graph: Path | None
    warnings: list[str]
    removed: list[Path] = field(default_factory=list)  # pages of documents no longer in OUT


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(DATA),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # ``tojson`` writes "<", ">", "&" and "'" as \\u escapes, so no text in the data can end
    # or blank its <script> element ("</script>", "<!--<script>"); keep letters as they are
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    env.filters["href"] = lambda name: quote(os.fsencode(name))  # also a non-UTF-8 name
    # a graph node in the address, as the pages' encodeURIComponent writes it
    env.filters["fragment"] = lambda node: quote(node, safe="", errors="backslashreplace")
    return env


def read_documents(out: Path, warnings: list[str]) -> Iterator[tuple[Path, dict]]:
    """The document files of an output folder, read one at a time (a corpus need not fit in
    memory); another JSON there (graph.json, manifest.json) is passed over, a damaged or
    foreign document file named in ``warnings``. Only the offsets are checked, not the whole
    schema (which took three times as long as the pages): a value of a wrong type fails the
    page, and ``write_view`` names the file."""
    if not out.is_dir():
        raise ViewError(f"{out}: no such output folder")
    for f in document_files(out):
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            warnings.append(f"{f}: not readable as JSON, left out ({exc})")
            continue
        if not isinstance(data, dict) or "text" not in data or "metadata" not in data:
            continue
        if data.get("schema_version") != SCHEMA_VERSION:
            warnings.append(f"{f}: schema version {data.get('schema_version')!r}, left out")
        elif problems := offset_errors(data):
            warnings.append(f"{f}: not a valid document file, left out ({problems[0]})")
        else:
            yield f, data


def _file_mode() -> int:
    """What a plainly created file gets: the pages are to be read by others (a web server)."""
    umask = os.umask(0o22)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass
class _Graph:
    """The graph view written beside the pages: the node each output's document is, and
    the nodes the view draws (it keeps the most cited of a large graph; None: unknown)."""

    path: Path
    own: dict[str, str]
    drawn: set[str] | None
    total: int


GRAPH_DATA = re.compile(r'<script id="data" type="application/json">(.*?)</script>', re.S)


def _write_graph(out: Path, dest: Path, max_nodes: int, warnings: list[str]) -> _Graph | None:
    """graph.html from OUT/graph.json (None, said in ``warnings``, when there is none)."""
    from . import exports, query

    if not (out / GRAPH).is_file():
        warnings.append(f"{out / 'graph.json'}: absent, so no graph view to link to")
        return None
    try:
        g = query.load(out)
    except (OSError, ValueError, LookupError, TypeError, AttributeError) as exc:
        warnings.append(f"{out / 'graph.json'}: not readable ({exc!r}), so no graph view")
        return None
    # export_html writes in place: write it aside, then move it over, as the other outputs
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".graph.", suffix=".html", dir=dest)
        os.close(fd)
        exports.export_html(g, Path(tmp), max_nodes=max_nodes)
        page = Path(tmp).read_text(encoding="utf-8", errors="replace")
        os.chmod(tmp, _file_mode())
        os.replace(tmp, dest / "graph.html")
    except OSError as exc:
        raise WriteFailed(dest / "graph.html", exc) from exc
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
    # which nodes it draws, read back from its data rather than chosen again here
    try:
        drawn = {n["id"] for n in json.loads(GRAPH_DATA.search(page)[1])["nodes"]}
    except (TypeError, ValueError, LookupError):
        drawn = None
    own = {name: n for n, a in g.nodes(data=True) for name in a.get("outputs") or []}
    return _Graph(dest / "graph.html", own, drawn, len(g))


def write_view(out: Path, dest: Path | None = None, *, max_nodes: int = 500) -> View:
    """index.html, graph.html (of the ``max_nodes`` most cited) and doc/<name>.html for the
    documents of ``out``, in ``dest`` (default ``out/view``)."""
    out = Path(out)
    dest = Path(dest) if dest else out / "view"
    warnings: list[str] = []
    docs = read_documents(out, warnings)
    first = next(docs, None)  # before anything is written: a folder without documents is left be
    if first is None:
        raise ViewError(f"{out}: no document files (run: vanban run INPUTS --out {out})")
    try:
        (dest / DOC_FOLDER).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(dest / DOC_FOLDER, exc) from exc
    graph = _write_graph(out, dest, max_nodes, warnings)
    own = graph.own if graph else {}
    shows = {"drawn": len(graph.drawn), "total": graph.total} if graph and graph.drawn else None
    env = _environment()
    page = env.get_template("doc_view.html")
    rows, pages = [], []
    for f, data in itertools.chain([first], docs):
        name, node = f.stem, own.get(f.stem)
        try:
            doc = Document.from_json(data)
            parts = page_parts(doc)
            if shows:  # a citation of a node the graph view leaves out says so
                for c in parts["marks"]["c"]:
                    c["drawn"] = c["target"] in graph.drawn
            html_text = page.render(
                generator=Markup(GENERATOR),
                name=name,
                doc=doc,
                header=_header(doc),
                node=node,
                graph=graph is not None,
                data={"marks": parts["marks"], "graph": graph is not None, "shows": shows},
                **parts,
            )
        except (TypeError, ValueError, AttributeError, LookupError) as exc:
            warnings.append(f"{f}: not a valid document file, left out ({exc!r})")
            continue
        path = dest / DOC_FOLDER / f"{name}.html"
        write_bytes(path, html_text.encode("utf-8", "backslashreplace"), _file_mode())
        pages.append(path)
        meta = doc.metadata
        rows.append(
            {
                "name": name,
                "type": meta.doc_type,
                "number": meta.symbol,
                "date": meta.date,
                "issuer": meta.issuer,
                "title": meta.title,
                "citations": len(doc.citations),
                "sections": sum(1 for _ in iter_sections(doc.sections)),
                "entities": len(doc.entities),
                "tasks": len(doc.tasks),
                "node": node,
            }
        )
    index = dest / "index.html"
    text = env.get_template("doc_index.html").render(
        rows=rows, graph=graph is not None, folder=DOC_FOLDER, out=str(out)
    )
    write_bytes(index, text.encode("utf-8", "backslashreplace"), _file_mode())
    removed = _remove_stale(dest / DOC_FOLDER, {p.name for p in pages}, warnings)
    return View(
        index=index,
        pages=pages,
        graph=graph.path if graph else None,
        warnings=warnings,
        removed=removed,
    )


def _is_own_page(path: Path) -> bool:
    """A plain file (not a link) whose start holds the marker every document page has."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        with path.open("rb") as f:
            return GENERATOR.encode() in f.read(MARKER_WITHIN)
    except OSError:
        return False


def _remove_stale(folder: Path, written: set[str], warnings: list[str]) -> list[Path]:
    """Remove the pages an earlier view wrote in ``folder`` that this one did not (their
    document is no longer in OUT, or no longer readable): the index no longer links them.
    Only ``*.html`` files carrying the view's marker go; whatever else is there stays."""
    removed = []
    try:
        found = sorted(folder.iterdir())
    except OSError as exc:
        warnings.append(f"{folder}: not listed ({exc.strerror or exc}), old pages left there")
        return removed
    for path in found:
        if path.suffix != ".html" or path.name in written or not _is_own_page(path):
            continue
        try:
            path.unlink()
        except OSError as exc:
            warnings.append(f"{path}: an old page, could not be removed ({exc.strerror or exc})")
            continue
        removed.append(path)
    return removed
