#!/usr/bin/env python3
"""How the scores hold when a gold set's text files arrive as other converters leave them.

Each variant rewrites every text file of a gold set's inputs (``.md``, ``.txt``) the way a
conversion or a copy does, runs the pipeline on the rewritten folder and scores it against
the same gold (``pipeline.evaluate``, the official scorer's figures). ``as given`` is the set
itself; a variant that scores below it is a fragility, not a property of the documents.

    python scripts/eval_variants.py                         # ../shared/corpus/real
    python scripts/eval_variants.py --inputs ../shared/corpus/seeds --gold ../shared/corpus/gold
    python scripts/eval_variants.py --only paragraphs,pages --keep /tmp/variants
    python scripts/eval_variants.py --agreement --inputs ../shared/corpus/crawl/docs

``--agreement`` needs no gold: each variant's outputs are compared with those of the files
as given, document by document (header fields, signature, sections with their titles,
citations with their fields), and the share of documents that read alike is printed: a
fragility shows on hundreds of documents nobody annotated.

Variants:

* ``crlf``        Windows line ends;
* ``nfd``         decomposed Unicode (a Mac's file names and some exports);
* ``old-tones``   the old tone-mark place ("hoà", "uỷ");
* ``nbsp``        no-break spaces for the first 200 spaces;
* ``wrapped``     lines hard-wrapped at 75 characters;
* ``paragraphs``  every line its own paragraph (a blank line after each, as converters that
                  keep a page's lines as paragraphs write; bold and italics closed at each
                  line's end and opened again on the next);
* ``pages``       a page footer ("Trang 3/12", between blank lines) every 40 lines, wherever
                  it falls: mid-sentence, inside a heading;
* ``layout``      what ``pdftotext -layout`` writes: plain text (``plain``), a short line
                  centred in 100 columns, a paragraph's first line indented by 8 spaces, the
                  others by 4;
* ``spaces``      every space between two words doubled (justified text extracted);
* ``invisible``   a zero-width space after every tenth word and a BOM at the start (web
                  copies);
* ``plain``       markdown's marks taken out (bold, italics, headings' "#", table rules and
                  bars: a cell per line), as a converter that writes plain text leaves it;
* ``utf16`` / ``cp1258``  the file saved as UTF-16 with a BOM, or as Windows-1258 (its tone
                  marks combining, as Windows writes them).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import textwrap
import unicodedata
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import json  # noqa: E402

from pipeline.batch import run_batch  # noqa: E402
from pipeline.evaluate import evaluate  # noqa: E402
from pipeline.models import document_files  # noqa: E402

OLD_TONES = [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"),
             ("ủy", "uỷ"), ("ùy", "uỳ"), ("úy", "uý"), ("ụy", "uỵ"), ("Ủy", "Uỷ")]  # fmt: skip
PAGE_LINES = 40  # lines between two page footers


def _wrapped(text: str) -> str:
    return "\n".join(
        "\n".join(textwrap.wrap(line, 75)) if len(line) > 75 else line for line in text.split("\n")
    )


def _old_tones(text: str) -> str:
    for new, old in OLD_TONES:
        text = text.replace(new, old)
    return text


def _pages(text: str) -> str:
    lines, out = text.split("\n"), []
    pages = len(lines) // PAGE_LINES + 1
    for i, line in enumerate(lines):
        out.append(line)
        if i and i % PAGE_LINES == 0:
            out += ["", f"Trang {i // PAGE_LINES}/{pages}", ""]
    return "\n".join(out)


def _paragraphs(text: str) -> str:
    # a converter that makes each line a paragraph closes an emphasis at the line's end and
    # opens it again on the next ("**ỦY BAN NHÂN**", "**DÂN**")
    out, open_marks = [], []
    for line in text.split("\n"):
        marks = re.findall(r"(?<!\\)\*\*|(?<![*\\])\*(?!\*)", line)  # (not an escaped "\*")
        body = "".join(open_marks) + line
        for m in marks:
            if open_marks and open_marks[-1] == m:
                open_marks.pop()
            else:
                open_marks.append(m)
        out.append(body.rstrip() + "".join(reversed(open_marks)) if line.strip() else body)
    return "\n\n".join(out)


def _layout(text: str) -> str:
    out, before = [], ""
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
        elif len(line) < 60:
            out.append(" " * ((100 - len(line)) // 2) + line)
        else:
            out.append((" " * 8 if not before.strip() else " " * 4) + line)
        before = line
    return "\n".join(out)


def _plain(text: str) -> str:
    text = re.sub(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    text = re.sub(r"(?m)^[\s|:+=-]*[-=][\s|:+=-]*$", "", text)  # table rules
    text = re.sub(r"\s*\|\s*", "\n", text)  # a cell per line
    return text


def _invisible(text: str) -> str:
    words = text.split(" ")
    return "\ufeff" + " ".join(w + "\u200b" if i % 10 == 9 else w for i, w in enumerate(words))


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    # Windows-1258 has the vowels with their hats and horns, the tone marks as combining ones
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + tone).encode("cp1258", "replace"))
    return b"".join(out)


VARIANTS: dict[str, Callable[[str], str | bytes]] = {
    "as given": lambda text: text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "nfd": lambda text: unicodedata.normalize("NFD", text),
    "old-tones": _old_tones,
    "nbsp": lambda text: text.replace(" ", "\u00a0", 200),
    "wrapped": _wrapped,
    "paragraphs": _paragraphs,
    "pages": _pages,
    "layout": lambda text: _layout(_plain(text)),
    "spaces": lambda text: re.sub(r"(?<=\S) (?=\S)", "  ", text),
    "plain": _plain,
    "invisible": _invisible,
    "utf16": lambda text: text.encode("utf-16"),
    "cp1258": _cp1258,
}
FIGURES = [
    ("citation_mention_F1", "cit F1"),
    ("citation_date_acc", "date"),
    ("citation_issuer_acc", "issuer"),
    ("section_F1", "sec F1"),
    ("section_title_acc", "title"),
    ("metadata_acc", "meta"),
]


AGREEMENT = ("header", "signer", "sections", "citations")


def _facets(doc: dict) -> dict[str, object]:
    """What a document file says, by facet, as ``--agreement`` compares it."""
    meta = doc.get("metadata") or {}
    signer = meta.get("signer") or {}
    rows, todo = [], list(doc.get("sections") or [])
    while todo:
        node = todo.pop(0)
        rows.append((node.get("path"), node.get("title")))
        todo[:0] = node.get("children") or []
    return {
        "header": [meta.get(k) for k in ("doc_type", "symbol", "date", "place", "issuer", "title")],
        "signer": [signer.get(k) for k in ("name", "title", "authority")],
        "sections": rows,
        "citations": [
            [c.get(k) for k in ("symbol", "doc_type", "date", "issuer")]
            for c in doc.get("citations") or []
        ],
    }


def _read_facets(out: Path) -> dict[str, dict]:
    return {f.name: _facets(json.loads(f.read_text(encoding="utf-8"))) for f in document_files(out)}


def main(argv: list[str] | None = None) -> int:
    shared = REPO.parent / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=Path, default=shared / "real" / "raw")
    ap.add_argument("--gold", type=Path, default=shared / "real" / "gold")
    ap.add_argument("--only", help="comma-separated variants (default: all)")
    ap.add_argument("--keep", type=Path, help="folder for the variants and outputs (kept)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--agreement", action="store_true", help="no gold: compare with the files as given"
    )
    args = ap.parse_args(argv)
    if not args.inputs.is_dir() or not (args.agreement or args.gold.is_dir()):
        print(f"no inputs or gold at {args.inputs}, {args.gold}", file=sys.stderr)
        return 2
    names = args.only.split(",") if args.only else list(VARIANTS)
    if args.agreement:  # the files as given first: what the others are compared with
        names = ["as given"] + [n for n in names if n != "as given"]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"unknown variants: {', '.join(unknown)}", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="vanban-variants-"))
    files = sorted(f for f in args.inputs.iterdir() if f.suffix in (".md", ".txt"))
    labels = [*AGREEMENT, "all"] if args.agreement else [label for _, label in FIGURES]
    print(f"{'variant':<12}" + "".join(f"{label:>10}" for label in labels))
    given: dict[str, dict] = {}
    try:
        for name in names:
            folder, out = work / name / "inputs", work / name / "out"
            shutil.rmtree(work / name, ignore_errors=True)
            folder.mkdir(parents=True)
            for f in files:
                made = VARIANTS[name](f.read_text(encoding="utf-8"))
                (folder / f.name).write_bytes(
                    made if isinstance(made, bytes) else made.encode("utf-8")
                )
            run_batch([folder], out, jobs=args.jobs)
            if not args.agreement:
                summary = evaluate(args.gold, out)["summary"]
                print(f"{name:<12}" + "".join(f"{summary[key]:>10.3f}" for key, _ in FIGURES))
                continue
            read = _read_facets(out)
            given = given or read
            alike = {
                facet: sum(read.get(doc, {}).get(facet) == f[facet] for doc, f in given.items())
                for facet in AGREEMENT
            }
            alike["all"] = sum(read.get(doc) == f for doc, f in given.items())
            shares = [alike[label] / max(1, len(given)) for label in labels]
            print(f"{name:<12}" + "".join(f"{share:>10.3f}" for share in shares))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
