"""`vanban view`: the document pages and their index, read back as HTML and in a browser."""

import json
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import REPO, browser
from pipeline import docview
from pipeline.batch import run_batch
from pipeline.cli import main
from pipeline.docview import ViewError, write_view
from pipeline.models import Citation, Document, Entity, Metadata, Section
from pipeline.validate import validate_document

SAMPLES = ["sample_ke_hoach.txt", "sample_huong_dan.md", "sample_ke_hoach_digital.pdf"]
HOSTILE = "</script><!--<script> <b>bold</b> &amp; "


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """A run over the samples (one with a footnote) and its pages."""
    out = tmp_path_factory.mktemp("view") / "out"
    run_batch([REPO / "data" / "raw" / name for name in SAMPLES], out, jobs=1)
    view = write_view(out)
    assert view.warnings == []
    return out


def _documents(out: Path) -> dict[str, dict]:
    docs = {}
    for f in out.glob("*.json"):
        data = json.loads(f.read_text(encoding="utf-8"))
        if "text" in data:
            docs[f.stem] = data
    return docs


class PageText(HTMLParser):
    """The text of a page's #text and of each mark in it (by its data-k key), without what
    the page adds to the text (<del>: what a repair removed; <sup>: a footnote's number).
    Fails on an end tag that closes no open element: the marks must nest."""

    ADDED = {"del", "sup"}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.marks: dict[str, list[str]] = {}
        self.ids: dict[str, int] = {}  # id or key -> offset in the text where it first opens
        self.feed(page)
        self.close()
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.open or attrs.get("id") == "text":
            self.open.append((tag, attrs))
            for name in (attrs.get("id"), attrs.get("data-k")):
                if name:
                    self.ids.setdefault(name, sum(map(len, self.text)))

    def handle_endtag(self, tag):
        if self.open:
            assert self.open[-1][0] == tag, f"</{tag}> closes <{self.open[-1][0]}>"
            self.open.pop()

    def handle_data(self, data):
        if not self.open or any(tag in self.ADDED for tag, _ in self.open):
            return
        self.text.append(data)
        for key in {a["data-k"] for _, a in self.open if "data-k" in a}:
            self.marks.setdefault(key, []).append(data)

    def mark(self, key: str) -> str:
        return "".join(self.marks.get(key, []))


def _page(out: Path, name: str) -> str:
    return (out / "view" / "doc" / f"{name}.html").read_text(encoding="utf-8")


def _data(page: str) -> dict:
    return json.loads(
        re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)[1]
    )


def test_a_page_per_document_an_index_and_the_graph_view(out):
    docs = _documents(out)
    assert sorted(docs) == sorted(Path(n).stem for n in SAMPLES)
    view = out / "view"
    index = (view / "index.html").read_text(encoding="utf-8")
    graph = (view / "graph.html").read_text(encoding="utf-8")
    for name, doc in docs.items():
        page = _page(out, name)
        assert f'href="doc/{name}.html"' in index
        assert page.count("<script") == 2 and "../index.html" in page
        # nothing is fetched: no external script, stylesheet, image or font
        for html in (page, index):
            assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I)
            assert "<link" not in html and "@import" not in html
        # every citation's node is named in the data, and the graph view holds it
        targets = {c["target"] for c in doc["citations"] if c["target"]}
        assert targets and targets == {c["target"] for c in _data(page)["marks"]["c"]} - {None}
        assert all(json.dumps(t, ensure_ascii=False)[1:-1] in graph for t in targets)
    # the index counts what each document holds, and links the document's own graph node
    kh = docs["sample_ke_hoach"]
    row = re.search(
        r'<tr>\s*<td class="doc"><a href="doc/sample_ke_hoach.html">.*?</tr>', index, re.S
    )
    cells = re.findall(r'<td class="n">(\d+)</td>', row[0])

    def count(sections):
        return sum(1 + count(s["children"]) for s in sections)

    assert [int(n) for n in cells] == [
        len(kh["citations"]),
        count(kh["sections"]),
        len(kh["entities"]),
        len(kh["tasks"]),
    ]
    assert len(kh["citations"]) == 16 and count(kh["sections"]) > 10
    assert f'href="graph.html#{quote("45-KH/HU@2024", safe="")}"' in row[0]


def test_a_citation_of_a_node_the_graph_view_leaves_out_says_so(out, tmp_path):
    view = write_view(out, tmp_path / "v", max_nodes=4)
    drawn = {n["id"] for n in _data((tmp_path / "v" / "graph.html").read_text("utf-8"))["nodes"]}
    data = _data(view.pages[0].read_text(encoding="utf-8"))
    assert len(drawn) == 4 and data["shows"]["drawn"] == 4 and data["shows"]["total"] > 4
    flags = {c["target"]: c["drawn"] for c in data["marks"]["c"] if c["target"]}
    assert flags == {t: t in drawn for t in flags} and set(flags.values()) == {True, False}


def test_every_mark_holds_the_text_of_what_it_marks(out):
    checked = 0
    for name, doc in _documents(out).items():
        page = PageText(_page(out, name))
        assert page.text == doc["text"]  # the page shows the cleaned text, all of it, once
        for i, c in enumerate(doc["citations"]):
            assert page.mark(f"c{i}") == c["text"], (name, c)
            checked += 1
        for i, e in enumerate(doc["entities"]):
            assert page.mark(f"e{i}") == e["text"], (name, e)
        for i, t in enumerate(doc["tasks"]):
            assert page.mark(f"t{i}") == t["text"], (name, t)
        deadlines = [d for t in doc["tasks"] for d in t["deadlines"]]
        for i, d in enumerate(deadlines):
            assert page.mark(f"d{i}") == d["text"]
        for i, r in enumerate(doc["references"]):
            assert page.mark(f"r{i}") == r["text"]
    assert checked == 16 + 8 + 16


def test_sections_footnotes_and_repairs_are_in_place(out):
    doc = _documents(out)["sample_ke_hoach_digital"]
    html = _page(out, "sample_ke_hoach_digital")
    page = PageText(html)
    # each outline link leads to its section's start
    sections = []

    def walk(items):
        for s in items:
            sections.append(s)
            walk(s["children"])

    walk(doc["sections"])
    links = re.findall(r'<a href="#(s\d+)" data-to="s\d+">', html)
    assert len(links) == len(sections) > 10
    assert [page.ids[sid] for sid in links] == [s["start"] for s in sections]
    # the footnote sits where the text has it; its number stands where its marker stood
    (fn,) = doc["footnotes"]
    assert page.ids["fn0"] == fn["start"] and page.ids["fnref0"] == fn["ref"]
    # what cleanup removed is in the page, to be shown on demand, outside the text
    removed = dict(re.findall(r'<del class="fix" data-k="x(\d+)">(.*?)</del>', html))
    assert len(removed) == len(doc["repairs"]) == 5
    for i, r in enumerate(doc["repairs"]):
        assert removed[str(i)] == escape(r["before"]) and page.ids[f"x{i}"] == r["start"]


def test_marks_that_cross_are_cut_into_pieces_that_nest():
    text = "Nghị quyết 28 của Bộ Chính trị"
    marks = [
        docview._Mark(0, 13, "cite", "c0"),
        docview._Mark(11, 30, "ent", "e0"),  # starts inside the citation, ends after it
        docview._Mark(0, 30, "task", "t0"),
        docview._Mark(5, 20, "sec", attrs={"id": "s0"}),  # crosses the citation: cut in two
        docview._Mark(5, 5, "ent", "e1"),  # empty: left out
        docview._Mark(20, 99, "ent", "e2"),  # past the end: left out
    ]
    html = docview.markup(text, marks, [(13, "<sup>1</sup>"), (-4, "<del>x</del>")])
    page = PageText(f'<div id="text">{html}</div>')
    assert page.text == text
    assert (page.mark("c0"), page.mark("e0"), page.mark("t0")) == (text[:13], text[11:], text)
    assert html.count('data-k="e0"') == 2 and 'data-k="e1"' not in html
    assert html.count('class="m sec') == 2 and html.count('id="s0"') == 1 and page.ids["s0"] == 5
    assert 'class="m ent first"' in html and 'class="m ent last"' in html
    # an insert stands between the marks that end and those that start where it is
    assert html.startswith("<del>x</del>") and re.search(r"28(</span>){3}<sup>1</sup><span", html)


def _hostile_document(tmp_path: Path) -> Path:
    text = f"Căn cứ {HOSTILE}Nghị quyết số 28-NQ/TW\nI. NỘI DUNG {HOSTILE}\n1. Việc làm"
    start = text.index("Nghị quyết")
    doc = Document(
        source={
            "path": f"{HOSTILE}.txt",
            "sha256": "0" * 64,
            "format": "text",
            "pages": 1,
            "ocr_pages": [],
        },
        metadata=Metadata(doc_type="Kế hoạch", symbol="1-KH/HU", title=HOSTILE, issuer=HOSTILE),
        text=text,
        sections=[Section("I", "I", HOSTILE.strip(), 1, text.index("I."), len(text))],
        footnotes=[],
        citations=[
            Citation(
                "28-NQ/TW",
                "Nghị quyết",
                "28",
                "NQ/TW",
                None,
                HOSTILE,
                None,
                HOSTILE,
                None,
                None,
                start,
                start + 22,
                text[start : start + 22],
                target=f"28-NQ/TW {HOSTILE}",
            )
        ],  # fmt: skip
        entities=[Entity("ORG", "<b>bold</b>", text.index("<b>"), text.index("<b>") + 11)],
    ).to_json()
    assert validate_document(doc) == []
    out = tmp_path / "out"
    out.mkdir()
    (out / "hostile.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def test_what_a_document_says_never_changes_how_its_page_parses(tmp_path):
    out = _hostile_document(tmp_path)
    view = write_view(out)
    assert view.graph is None and "graph.json" in view.warnings[0]
    html = view.pages[0].read_text(encoding="utf-8")
    # two scripts, each closed once; no tag from the text; the data reads back whole
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "<b>" not in html and "<!--" not in html
    data = _data(html)
    assert (
        data["marks"]["c"][0]["issuer"] == HOSTILE
        and data["marks"]["e"][0]["text"] == "<b>bold</b>"
    )
    page = PageText(html)
    doc = json.loads((out / "hostile.json").read_text(encoding="utf-8"))
    assert page.text == doc["text"] and page.mark("c0") == "Nghị quyết số 28-NQ/TW"
    index = view.index.read_text(encoding="utf-8")
    assert "<b>" not in index and index.count("</script>") == 1


def test_cli_view_and_its_errors(out, tmp_path, capsys):
    assert main(["view", str(tmp_path / "absent")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such output folder" in err
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "graph.json").write_text("{}", encoding="utf-8")
    assert main(["view", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no document files" in err
    assert not (tmp_path / "empty" / "view").exists()  # nothing written
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert main(["view", str(out), "--dest", str(tmp_path / "file" / "v")]) == 1
    assert capsys.readouterr().err.startswith("vanban: could not write")
    dest = tmp_path / "pages"
    assert main(["view", str(out), "--dest", str(dest)]) == 0
    assert "3 document pages" in capsys.readouterr().out
    assert {p.name for p in dest.iterdir()} == {"index.html", "graph.html", "doc"}
    assert (dest / "doc" / "sample_huong_dan.html").stat().st_mode & 0o044  # others may read


def test_a_damaged_document_file_is_named_and_left_out(out, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("view"))
    (copy / "broken.json").write_text('{"schema_version": "1", "text": "x", "metadata"', "utf-8")
    doc = json.loads((copy / "sample_ke_hoach.json").read_text(encoding="utf-8"))
    doc["citations"][0]["end"] = 10**6
    (copy / "sample_ke_hoach.json").write_text(json.dumps(doc), encoding="utf-8")
    doc = json.loads((copy / "sample_huong_dan.json").read_text(encoding="utf-8"))
    doc["entities"][0]["start"] = "12"
    doc["sections"] = "I"
    (copy / "sample_huong_dan.json").write_text(json.dumps(doc), encoding="utf-8")
    view = write_view(copy)
    assert [p.stem for p in view.pages] == ["sample_ke_hoach_digital"]
    assert [w.split(":")[0] for w in view.warnings] == [
        str(copy / "broken.json"),
        str(copy / "sample_huong_dan.json"),
        str(copy / "sample_ke_hoach.json"),
    ]
    assert "outside text" in view.warnings[2]
    with pytest.raises(ViewError):
        write_view(tmp_path)


# --- in a browser ----------------------------------------------------------------------------


def _errors(driver) -> list:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_in_a_browser_a_citation_shows_its_fields_and_leads_to_the_graph(out, tmp_path):
    doc = _documents(out)["sample_ke_hoach"]
    c = doc["citations"][1]  # Kế hoạch số 12-KH/TW, with its date and issuer
    driver = browser()
    try:
        driver.get((out / "view" / "doc" / "sample_ke_hoach.html").as_uri())
        mark = driver.find_element("css selector", '[data-k="c1"]')
        assert mark.text == c["text"]
        mark.click()
        info = driver.find_element("id", "info").text
        for value in (c["doc_type"], c["number"], c["symbol"], c["date"], c["issuer"], c["target"]):
            assert value in info
        assert "on" in mark.get_attribute("class").split()
        link = driver.find_element("css selector", "#info a.graph")
        assert link.get_attribute("href").endswith("graph.html#" + quote(c["target"], safe=""))
        # hover shows the same in short
        from selenium.webdriver import ActionChains

        ActionChains(driver).move_to_element(
            driver.find_element("css selector", '[data-k="c0"]')
        ).perform()
        tip = driver.find_element("id", "tip")
        assert tip.is_displayed() and "28-NQ/TW" in tip.text
        # the graph view opens on the node the citation resolves to
        link.click()
        assert c["target"] in driver.find_element("id", "info").text
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_the_outline_jumps_and_repairs_show_on_demand(out, tmp_path):
    driver = browser()
    try:
        driver.get((out / "view" / "doc" / "sample_ke_hoach_digital.html").as_uri())
        assert driver.execute_script("return scrollY") == 0
        link = driver.find_elements("css selector", "#outline a[data-to]")[-1]
        sid = link.get_attribute("data-to")
        section = driver.find_element("id", sid)
        link.click()
        assert driver.execute_script("return scrollY") > 500
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", section)
        bar = driver.execute_script(
            "return document.getElementById('tools').getBoundingClientRect().bottom"
        )
        assert bar <= top <= bar + 60  # at the top, not under the sticky bar of switches
        assert driver.execute_script("return location.hash") == "#" + section.get_attribute("id")
        from selenium.webdriver.support.wait import WebDriverWait

        # and it is the one lit in the outline (once the next frame is drawn)
        WebDriverWait(driver, 3).until(
            lambda d: d.find_elements("css selector", f'#outline a.here[data-to="{sid}"]')
        )
        # what cleanup removed: hidden, then shown by its switch
        before = _documents(out)["sample_ke_hoach_digital"]["repairs"][0]["before"]
        assert before == "<sup>1</sup>"
        removed = driver.find_element("css selector", 'del.fix[data-k="x0"]')
        assert not removed.is_displayed()
        driver.find_element("id", "show-fix").click()
        assert removed.is_displayed() and removed.text == before
        # a layer switched off is no longer marked
        cite = driver.find_element("css selector", ".m.cite")
        shown = cite.value_of_css_property("background-color")
        driver.find_element("css selector", '#tools input[data-layer="cite"]').click()
        assert cite.value_of_css_property("background-color") != shown
        assert not _errors(driver)
        driver.save_screenshot(str(tmp_path / "page.png"))
    finally:
        driver.quit()


def test_in_a_browser_the_index_sorts_by_the_column_clicked(out):
    driver = browser()
    try:
        driver.get((out / "view" / "index.html").as_uri())

        def column(i):
            return [
                r.find_elements("tag name", "td")[i].text
                for r in driver.find_elements("css selector", "tbody tr")
            ]

        heads = driver.find_elements("css selector", "thead th button")
        names = [h.text for h in heads]
        cit = names.index("Citations")
        heads[cit].click()
        counts = [int(v) for v in column(cit)]
        assert counts == sorted(counts) and counts[0] < counts[-1]
        heads[cit].click()
        assert [int(v) for v in column(cit)] == sorted(counts, reverse=True)
        heads[names.index("Document")].click()
        assert column(0)[0].startswith("sample_huong_dan")
        # the link opens the document's page
        driver.find_element("link text", "sample_ke_hoach").click()
        assert driver.find_element("css selector", "h1").text == "Kế hoạch 45-KH/HU"
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_hostile_text_is_shown_as_written(tmp_path):
    out = _hostile_document(tmp_path)
    view = write_view(out)
    driver = browser(800)
    try:
        driver.get(view.pages[0].as_uri())
        text = driver.find_element("id", "text").text
        assert HOSTILE.strip() in text and not driver.find_elements("css selector", "#text b")
        assert HOSTILE.strip() in driver.find_element("css selector", "header").text
        driver.find_element("css selector", '[data-k="c0"]').click()
        assert HOSTILE.strip() in driver.find_element("id", "info").text
        assert driver.find_element("id", "panel").is_displayed()  # the bottom sheet, when narrow
        assert not _errors(driver)
    finally:
        driver.quit()


def test_a_page_of_a_document_no_longer_in_out_is_removed_and_nothing_else(out, tmp_path, capsys):
    copy = tmp_path / "out"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("view"))
    dest = tmp_path / "pages"
    first = write_view(copy, dest)
    assert first.removed == [] and len(first.pages) == 3
    assert all(docview.GENERATOR in p.read_text(encoding="utf-8") for p in first.pages)
    # what a user put in the folder: a page of their own, a note that quotes the marker, a
    # link to a page the view wrote elsewhere, a folder named like a page
    doc = dest / "doc"
    (doc / "notes.html").write_text("<html><p>my notes</p></html>", encoding="utf-8")
    (doc / "notes.txt").write_text(docview.GENERATOR, encoding="utf-8")
    elsewhere = tmp_path / "kept.html"
    shutil.copy(doc / "sample_huong_dan.html", elsewhere)
    (doc / "link.html").symlink_to(elsewhere)
    (doc / "folder.html").mkdir()
    mine = {"notes.html", "notes.txt", "link.html", "folder.html"}
    # the document is gone from OUT (a rerun removes the output of an input that now fails)
    (copy / "sample_huong_dan.json").unlink()
    assert main(["view", str(copy), "--dest", str(dest)]) == 0
    said = capsys.readouterr().out
    assert "removed 1 old page of documents no longer shown" in said and "2 document pages" in said
    assert {p.name for p in doc.iterdir()} == mine | {
        "sample_ke_hoach.html",
        "sample_ke_hoach_digital.html",
    }
    assert "sample_huong_dan" not in (dest / "index.html").read_text(encoding="utf-8")
    assert elsewhere.is_file() and (doc / "link.html").is_symlink()
    # a page of a document left out as unreadable is not shown either: it goes too
    (copy / "sample_ke_hoach.json").write_text("{", encoding="utf-8")
    again = write_view(copy, dest)
    assert [p.name for p in again.removed] == ["sample_ke_hoach.html"]
    assert {p.name for p in doc.iterdir()} == mine | {"sample_ke_hoach_digital.html"}
    # a rerun with nothing gone removes nothing
    assert write_view(copy, dest).removed == []


KEYS = {"c": "cite", "r": "ref", "e": "ent", "t": "task", "d": "deadline", "x": "fixed"}


def _tab_order(doc: dict, repairs: bool = False) -> list[str]:
    """The keys of a document's marks in text order (where marks start together, the one
    holding the other first), as the keyboard is to reach them; with ``repairs`` (shown when
    switched on) each repair shown, where it was made, before the marks that start there."""
    spans = [(f"c{i}", c) for i, c in enumerate(doc["citations"])]
    spans += [(f"r{i}", r) for i, r in enumerate(doc["references"])]
    spans += [(f"e{i}", e) for i, e in enumerate(doc["entities"])]
    spans += [(f"t{i}", t) for i, t in enumerate(doc["tasks"])]
    spans += [(f"d{i}", d) for i, d in enumerate(d for t in doc["tasks"] for d in t["deadlines"])]
    rank = docview.RANK
    order = [
        ((s["start"], -s["end"], rank[KEYS[k[0]]]), k) for k, s in spans if s["end"] > s["start"]
    ]
    if repairs:
        text = doc["text"]
        for i, r in enumerate(doc["repairs"]):
            put = r["after"] and text[r["start"] : r["start"] + len(r["after"])] == r["after"]
            if r["before"] or put:
                order.append(((r["start"], -len(text) - 1, -1), f"x{i}"))
    return [k for _, k in sorted(order, key=lambda x: x[0])]


class Controls(HTMLParser):
    """The interactive elements of a page (a button, a link, role=button, tabindex >= 0),
    in document order, each with its attributes and those of the element it stands in; and
    every interactive element found inside another."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []
        self.found: list[tuple[str, dict, dict]] = []
        self.nested: list[tuple[str, str]] = []
        self.feed(page)
        self.close()

    @staticmethod
    def interactive(tag: str, attrs: dict) -> bool:
        tabindex = attrs.get("tabindex")
        return (
            tag in ("button", "input", "select", "textarea", "summary")
            or (tag == "a" and "href" in attrs)
            or attrs.get("role") == "button"
            or (tabindex is not None and not tabindex.strip().startswith("-"))
        )

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if self.interactive(tag, attrs):
            outer = [f"<{t} {a}>" for t, a in self.open if self.interactive(t, a)]
            self.nested += [(o, f"<{tag} {attrs}>") for o in outer]
            self.found.append((tag, attrs, self.open[-1][1] if self.open else {}))
        if tag not in ("meta", "input", "br", "img", "link"):
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and self.open and self.open[-1][0] == "button":
            self.found[-1][1].setdefault("text", data)

    def controls(self) -> list[tuple[dict, dict]]:
        """The marks' controls: (its attributes, those of the element holding it)."""
        return [(a, up) for tag, a, up in self.found if "k" in a.get("class", "").split()]


def test_every_mark_has_one_named_control_in_the_tab_order_and_none_holds_another(out):
    checked = 0
    for name, doc in _documents(out).items():
        html = _page(out, name)
        page = Controls(html)
        assert page.nested == [], name  # no control inside another, on the whole page
        text = html[html.index('<div id="text">') :]
        # no mark is itself a control: the spans are neither focusable nor buttons
        for attrs in re.findall(r"<span ([^>]*)>", text):
            assert not re.search(r"\b(?:tabindex|role|aria-label)=", attrs), attrs
        stops = []
        for attrs, holder in page.controls():
            key = attrs["data-k"]
            assert attrs["type"] == "button" and "text" not in attrs  # empty: holds nothing
            assert attrs["class"] == f"k {KEYS[key[0]]}"
            if key[0] != "x":  # at the start of its mark: the first piece holds it
                assert holder["data-k"] == key and " first" in holder["class"]
            stops.append((key, attrs["aria-label"]))
        assert [k for k, _ in stops] == _tab_order(doc, repairs=True), name
        labels = dict(stops)
        for i, c in enumerate(doc["citations"]):
            assert labels[f"c{i}"] == f"Citation: {' '.join(c['text'].split())}"
            checked += 1
        for i, e in enumerate(doc["entities"]):
            assert labels[f"e{i}"].startswith(f"Entity, {e['label']}: ")
        for i, t in enumerate(doc["tasks"]):
            assert labels[f"t{i}"].startswith("Task")
        for i, r in enumerate(doc["repairs"]):
            kind = r["kind"].replace("_", " ")
            assert labels[f"x{i}"].startswith(f"Repair, {kind}: removed “"), labels[f"x{i}"]
    assert checked == 16 + 8 + 16


def _task_with_a_citation(tmp_path: Path) -> tuple[Document, Path]:
    """A task holding a citation (whose number cleanup joined) and a deadline, an entity
    crossing the citation's end, and a page number cleanup removed: marks inside marks."""
    from pipeline.models import Deadline, Repair, Task

    text = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Tuyên giáo Huyện ủy chủ trì tuyên truyền Nghị quyết số 28-NQ/TW của Ban Chấp "
        "hành Trung ương về phương thức lãnh đạo, hoàn thành trước ngày 30/6/2024.\n"
        "2. Các chi bộ tổ chức thực hiện."
    )
    cite = text.index("Nghị quyết")
    end = text.index(" của Ban")
    org = text.index("Ban Chấp")
    due = text.index("trước ngày")
    task = text.index("Ban Tuyên")
    task_end = text.index("\n2.")
    citation = Citation(
        "28-NQ/TW", "Nghị quyết", "28", "NQ/TW", "2022-11-17", None, None, None, "tuyên truyền",
        "III/1", cite, end, text[cite:end], target="28-NQ/TW@2022",
    )  # fmt: skip
    doc = Document(
        source={"path": "t.txt", "sha256": "0" * 64, "format": "text", "pages": 2, "ocr_pages": []},
        metadata=Metadata(doc_type="Kế hoạch", symbol="9-KH/HU"),
        text=text,
        sections=[Section("III", "III", "TỔ CHỨC THỰC HIỆN", 1, 0, len(text))],
        footnotes=[],
        citations=[citation],
        entities=[
            Entity("ORG", "Ban Tuyên giáo Huyện ủy", task, task + 23),
            # from inside the citation to past its end: cut in two pieces
            Entity("MISC", text[cite + 14 : org + 3], cite + 14, org + 3),
        ],
        tasks=[
            Task(
                "Ban Tuyên giáo Huyện ủy",
                text[task:task_end],
                "III/1",
                task,
                task_end,
                [Deadline("trước ngày 30/6/2024", due, due + 20, "before", date="2024-06-30")],
            )
        ],  # fmt: skip
        repairs=[
            Repair("broken_symbol", "-\n", "-", text.index("-NQ"), 120),
            Repair("page_number", "Trang 1", "", task_end + 1, 200),
        ],
    )
    assert validate_document(doc.to_json()) == []
    out = tmp_path / "out"
    out.mkdir()
    (out / "t.json").write_text(json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8")
    return doc, out


def test_a_task_holding_a_citation_is_no_control_holding_one(tmp_path):
    doc, out = _task_with_a_citation(tmp_path)
    html = write_view(out).pages[0].read_text(encoding="utf-8")
    page = Controls(html)
    assert page.nested == []
    keys = [a["data-k"] for a, _ in page.controls()]
    assert keys == ["t0", "e0", "c0", "e1", "x0", "d0", "x1"]
    assert keys == _tab_order(json.loads((out / "t.json").read_text("utf-8")), repairs=True)
    # the task's text, and the citation's, are shown as they are, each mark whole
    text = PageText(html)
    assert text.text == doc.text and text.mark("t0") == doc.tasks[0].text
    assert text.mark("c0") == doc.citations[0].text


# in the page as the browser built it: each element a user can operate (a button, role=button,
# tabindex 0 or more) with a focusable element inside it
NESTED_CONTROLS = """
const operable = 'button, [role="button"], [tabindex]:not([tabindex^="-"])';
const focusable = operable + ', a[href], input, select, textarea, summary, [contenteditable]';
return [...document.querySelectorAll(operable)].flatMap(el =>
  [...el.querySelectorAll(focusable)].map(inner => [el.outerHTML, inner.outerHTML]));
"""


def _keyboard(driver):
    """Press keys; the key (data-k) of what has the focus, or its id; and the keys of the
    stops Tab reaches from the layer switches on, up to the first that is no mark's."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    def press(*keys):
        ActionChains(driver).send_keys(*keys).perform()

    def active():
        return driver.execute_script(
            "const a = document.activeElement; return a.dataset.k || a.id || a.tagName"
        )

    def tab_through():
        driver.execute_script("document.getElementById('show-fix').focus()")
        seen = []
        while press(Keys.TAB) or re.fullmatch(r"[crdetx]\d+", key := active()):
            seen.append(key)
        return seen

    return press, active, tab_through


def test_in_a_browser_a_task_and_the_citation_in_it_are_each_reached_and_opened(tmp_path):
    from selenium.webdriver.common.keys import Keys

    doc, out = _task_with_a_citation(tmp_path)
    view = write_view(out)
    driver = browser()
    press, active, tab_through = _keyboard(driver)

    def heads():
        found = driver.find_elements("css selector", "#info h2, #info h3")
        return [h.get_attribute("textContent") for h in found]

    try:
        driver.get(view.pages[0].as_uri())
        assert driver.execute_script(NESTED_CONTROLS) == []
        # Tab reaches the task's control, then each mark inside it, the citation among them
        driver.execute_script("document.getElementById('show-fix').focus()")
        assert tab_through() == ["t0", "e0", "c0", "e1", "d0"]  # repairs: switched off
        driver.execute_script("document.getElementById('show-fix').focus()")
        press(Keys.TAB)
        tag = driver.switch_to.active_element
        task = driver.find_element("css selector", '.m[data-k="t0"]')
        assert tag.aria_role == "button"
        assert tag.accessible_name.startswith("Task of Ban Tuyên giáo Huyện ủy: Ban Tuyên giáo")
        # the task's control is a tag to be seen, at the task's start, ringed when focused
        assert tag.is_displayed() and tag.size["width"] > 10 and tag.size["height"] > 8
        assert abs(tag.location["y"] - task.location["y"]) < 20
        assert tag.value_of_css_property("outline-width") == "3px"
        assert "kf" in task.get_attribute("class").split()
        # Enter opens the task's panel, Escape comes back to its control
        press(Keys.ENTER)
        assert heads() == ["Task"] and active() == "panel"
        press(Keys.ESCAPE)
        assert active() == "t0"
        # the citation inside: its own stop, named, its panel first and the task's below
        press(Keys.TAB, Keys.TAB)
        control = driver.switch_to.active_element
        assert active() == "c0" and control.accessible_name == f"Citation: {doc.citations[0].text}"
        mark = driver.find_element("css selector", '.m[data-k="c0"]')
        assert mark.value_of_css_property("outline-width") == "3px"
        driver.save_screenshot(str(tmp_path / "citation-in-task.png"))
        press(" ")
        assert heads() == ["Citation", "Task"]  # (the entity starts inside it: not at its start)
        press(Keys.ESCAPE)
        assert active() == "c0"
        # a click on the task's tag opens the task alone
        tag.click()
        assert heads() == ["Task"]
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_each_repair_is_one_named_stop_opened_by_keyboard(tmp_path):
    from selenium.webdriver.common.keys import Keys

    doc, out = _task_with_a_citation(tmp_path)
    view = write_view(out)
    driver = browser()
    press, active, tab_through = _keyboard(driver)
    try:
        driver.get(view.pages[0].as_uri())
        switch = driver.find_element("id", "show-fix")
        switch.click()  # repairs shown: each a stop, where it was made
        assert tab_through() == ["t0", "e0", "c0", "e1", "x0", "d0", "x1"]
        assert driver.execute_script(NESTED_CONTROLS) == []
        # the joined number: named by what was repaired, the repaired text ringed
        driver.execute_script("arguments[0].focus()", switch)
        press(Keys.TAB * 5)
        control = driver.switch_to.active_element
        assert active() == "x0" and control.aria_role == "button"
        assert control.accessible_name == "Repair, broken symbol: “-↵” made “-”"
        fixed = driver.find_element("css selector", '.m.fixed[data-k="x0"]')
        removed = driver.find_element("css selector", 'del.fix[data-k="x0"]')
        for ringed in (fixed, removed):
            assert ringed.value_of_css_property("outline-style") == "solid"
            assert ringed.value_of_css_property("outline-width") == "2px"
        press(Keys.ENTER)
        info = driver.find_element("id", "info")
        heads = info.find_elements("css selector", "h2, h3")
        assert [h.get_attribute("textContent") for h in heads] == [
            "Repair",
            "Citation",
            "Entity",
            "Task",
        ]
        assert "broken_symbol" in info.text and active() == "panel"
        press(Keys.ESCAPE)
        assert active() == "x0"
        # the removed page number: Space opens it, × closes it and focus comes back
        press(Keys.TAB, Keys.TAB)
        control = driver.switch_to.active_element
        assert control.accessible_name == "Repair, page number: removed “Trang 1”"
        press(" ")
        assert "page_number" in info.text and '"Trang 1"' in info.text
        press(Keys.TAB, Keys.ENTER)  # the close button
        assert active() == "x1"
        # repairs switched off: no stop of the tab order
        switch.click()
        press(Keys.TAB * 5)
        assert active() == "d0"
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_a_citation_names_its_node_as_it_is_asked_for(out):
    from pipeline.query import name_of

    doc = _documents(out)["sample_ke_hoach"]
    i, c = next((i, c) for i, c in enumerate(doc["citations"]) if "@" not in (c["target"] or "@"))
    assert name_of(c["target"]) == c["target"] + "@undated"  # its year not known
    driver = browser()
    try:
        driver.get((out / "view" / "doc" / "sample_ke_hoach.html").as_uri())
        driver.find_element("css selector", f'.m[data-k="c{i}"]').click()
        info = driver.find_element("id", "info")
        terms = [t.text for t in info.find_elements("css selector", "dt")]
        values = [v.text for v in info.find_elements("css selector", "dd")]
        assert dict(zip(terms, values))["graph node"] == name_of(c["target"])
        link = info.find_element("css selector", "a.graph")
        assert link.text == f"Open {name_of(c['target'])} in the citation graph →"
        # the address names the node by its id, as the graph view's data does
        assert link.get_attribute("href").endswith("graph.html#" + quote(c["target"], safe=""))
        link.click()
        assert driver.find_element("css selector", "#info .id").text == name_of(c["target"])
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_the_marks_are_reached_and_opened_by_keyboard(out, tmp_path):
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    doc = _documents(out)["sample_ke_hoach"]
    c = doc["citations"][1]  # Kế hoạch số 12-KH/TW, with its date and issuer
    driver = browser()

    def press(*keys):
        ActionChains(driver).send_keys(*keys).perform()

    def active():
        return driver.execute_script(
            "const a = document.activeElement; return [a.id, a.dataset.k || null]"
        )

    def from_the_switches():  # the last of the layer switches: the next stop is the text's
        driver.execute_script("document.getElementById('show-fix').focus()")

    try:
        driver.get((out / "view" / "doc" / "sample_ke_hoach.html").as_uri())
        # Tab goes through every mark, in text order, then on to what follows the text
        from_the_switches()
        seen = []
        while True:
            press(Keys.TAB)
            _, key = active()
            if key is None:
                break
            seen.append(key)
        assert seen == _tab_order(doc) and len(seen) > 40
        # Tab to the citation's control: a button named by what it is, the mark ringed
        from_the_switches()
        press(Keys.TAB * (seen.index("c1") + 1))
        control = driver.switch_to.active_element
        mark = driver.find_element("css selector", '.m[data-k="c1"]')
        assert active()[1] == "c1" and mark.text == c["text"]
        assert (control.aria_role, control.accessible_name) == ("button", f"Citation: {c['text']}")
        assert driver.execute_script("return arguments[0].matches(':focus-visible')", control)
        assert mark.value_of_css_property("outline-style") == "solid"
        assert mark.value_of_css_property("outline-width") == "3px"
        driver.save_screenshot(str(tmp_path / "focused.png"))
        # Enter opens its panel, and focus goes there
        press(Keys.ENTER)
        info = driver.find_element("id", "info").text
        for value in (c["doc_type"], c["number"], c["symbol"], c["date"], c["issuer"], c["target"]):
            assert value in info
        assert driver.find_element("css selector", "#info h2").text == "Citation"
        assert active()[0] == "panel" and "on" in mark.get_attribute("class").split()
        driver.save_screenshot(str(tmp_path / "opened.png"))
        # the close button is the next stop; it closes the panel and focus is back on the mark
        press(Keys.TAB)
        close = driver.switch_to.active_element
        assert active()[0] == "close" and close.is_displayed()
        assert close.accessible_name == "Close the details"
        press(Keys.ENTER)
        assert active()[1] == "c1" and "open" not in driver.find_element(
            "id", "panel"
        ).get_attribute("class")
        assert "Click a marked passage" in driver.find_element("id", "info").text
        assert "on" not in mark.get_attribute("class").split()
        # Space opens it too (and does not scroll the page); Escape closes it, back on the mark
        scrolled = driver.execute_script("return scrollY")
        press(" ")
        assert c["issuer"] in driver.find_element("id", "info").text
        assert driver.execute_script("return scrollY") == scrolled
        press(Keys.ESCAPE)
        assert active()[1] == "c1" and c["issuer"] not in driver.find_element("id", "info").text
        # a task and an entity open their own panel, named first where marks hold each other
        for key, kind in (("t0", "Task"), (next(k for k in seen if k[0] == "e"), "Entity")):
            from_the_switches()
            press(Keys.TAB * (seen.index(key) + 1))
            press(Keys.ENTER)
            heading = driver.find_element("css selector", "#info h2, #info h3")
            heading = heading.get_attribute("textContent")
            assert heading == kind, key
            press(Keys.ESCAPE)
            assert active()[1] == key
        # a layer switched off is no stop: Tab passes its marks by
        driver.find_element("css selector", '#tools input[data-layer="cite"]').click()
        from_the_switches()
        press(Keys.TAB * 3)
        assert active()[1] == [k for k in seen if k[0] != "c"][2]
        assert not _errors(driver)
    finally:
        driver.quit()


def test_in_a_browser_the_bottom_sheet_closes_by_keyboard_too(out):
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = browser(800)
    try:
        driver.get((out / "view" / "doc" / "sample_ke_hoach.html").as_uri())
        mark = driver.find_element("css selector", '.k[data-k="c1"]')
        driver.execute_script("arguments[0].focus()", mark)
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        panel = driver.find_element("id", "panel")
        assert panel.is_displayed() and driver.find_element("id", "close").is_displayed()
        ActionChains(driver).send_keys(Keys.TAB, Keys.ENTER).perform()
        assert not panel.is_displayed()
        assert driver.switch_to.active_element == mark
        assert not _errors(driver)
    finally:
        driver.quit()


def test_a_deadline_and_a_mark_cut_in_pieces_are_each_one_named_stop(tmp_path):
    from pipeline.models import Deadline, Task

    text = "1. Sở Nội vụ chủ trì, hoàn thành trước ngày 30/6/2024 và báo cáo Tỉnh ủy."
    due = text.index("trước")
    deadline = Deadline("trước ngày 30/6/2024", due, due + 20, "before", date="2024-06-30")
    doc = Document(
        source={"path": "t.txt", "sha256": "0" * 64, "format": "text", "pages": 1, "ocr_pages": []},
        metadata=Metadata(doc_type="Kế hoạch", symbol="3-KH/HU"),
        text=text,
        sections=[],
        footnotes=[],
        citations=[],
        # an entity running past the deadline's end: cut in two pieces
        entities=[Entity("DATE", text[due + 11 : due + 26], due + 11, due + 26)],
        tasks=[Task("Sở Nội vụ", text[3:], None, 3, len(text), [deadline])],
    )
    html = docview.page_parts(doc)["text"]
    assert html.count('class="m ent') == 2 and html.count("<button") == 3
    assert 'class="k deadline" data-k="d0" aria-label="Deadline: trước ngày 30/6/2024"' in html
    assert f'aria-label="Task of Sở Nội vụ: {" ".join(text[3:].split())[:60]}' in html
    out = tmp_path / "out"
    out.mkdir()
    (out / "t.json").write_text(json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8")
    view = write_view(out)
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = browser()
    try:
        driver.get(view.pages[0].as_uri())
        driver.execute_script("document.getElementById('show-fix').focus()")
        ActionChains(driver).send_keys(Keys.TAB * 2).perform()  # the task, then its deadline
        mark = driver.switch_to.active_element
        assert mark.get_attribute("data-k") == "d0"
        # every piece of the entity is ringed while it has the focus
        ActionChains(driver).send_keys(Keys.TAB).perform()
        pieces = driver.find_elements("css selector", '.m[data-k="e0"]')
        assert [p.value_of_css_property("outline-width") for p in pieces] == ["3px", "3px"]
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        assert driver.switch_to.active_element == mark  # back, Shift+Tab
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        # the deadline first, then the task that holds it
        kinds = [
            h.get_attribute("textContent") for h in driver.find_elements("css selector", "#info h3")
        ]
        assert kinds == ["Deadline", "Task"]
        assert "task of\nSở Nội vụ" in driver.find_element("id", "info").text
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        assert driver.switch_to.active_element == mark
        assert not _errors(driver)
    finally:
        driver.quit()
