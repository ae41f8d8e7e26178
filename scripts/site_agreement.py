"""How often the metadata read from a crawled document agrees with the metadata table the
website printed beside it ("Số hiệu", "Ngày ban hành", "Loại văn bản", "Người ký").

The table is website chrome: cleanup cuts it, so nothing the pipeline reads comes from it.
That makes it a second opinion on documents nobody annotated (a silver standard, not gold:
the site is sometimes wrong, and its "Loại văn bản" says "Văn bản khác" for Party types).

    python scripts/site_agreement.py ../shared/corpus/crawl/docs OUT/crawl
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

import regex as re

from pipeline import symbols

FIELDS = {
    "Số hiệu": "symbol",
    "Ngày ban hành": "date",
    "Loại văn bản": "doc_type",
    "Người ký": "signer",
}
LABEL = re.compile(r"^\**\s*(?P<label>[^:*]{3,20}?)\s*:\s*\**\s*$")


def site_table(text: str) -> dict[str, str]:
    """The site's metadata table: each label's value is the next line with text."""
    lines = [ln.strip().strip("|").strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    found: dict[str, str] = {}
    for i, line in enumerate(lines[:-1]):
        m = LABEL.match(line)
        if m and m.group("label") in FIELDS and FIELDS[m.group("label")] not in found:
            found[FIELDS[m.group("label")]] = lines[i + 1].strip("* ")
    return found


def _norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s or "").casefold().split())


def agrees(field: str, site: str, ours: str | None) -> bool:
    if field == "symbol":
        return bool(ours) and symbols.key(site) == symbols.key(ours)
    if field == "date":
        d, m, y = (site.split("/") + ["", "", ""])[:3]
        return ours == f"{y}-{m.zfill(2)}-{d.zfill(2)}"
    return _norm(site) == _norm(ours)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raw", type=Path, help="the crawled files")
    ap.add_argument("out", type=Path, help="the pipeline's output folder for them")
    ap.add_argument("--show", type=int, default=0, help="list this many disagreements per field")
    args = ap.parse_args(argv)
    counts = {f: [0, 0] for f in FIELDS.values()}
    misses: dict[str, list[str]] = {f: [] for f in FIELDS.values()}
    for raw in sorted(args.raw.iterdir()):
        out = args.out / f"{raw.stem}.json"
        if not out.is_file():
            continue
        site = site_table(raw.read_text(encoding="utf-8", errors="replace"))
        meta = json.loads(out.read_text(encoding="utf-8"))["metadata"]
        ours = {**meta, "signer": (meta.get("signer") or {}).get("name")}
        for field, value in site.items():
            if field == "doc_type" and value == "Văn bản khác":
                continue  # the site has no name for the type
            counts[field][1] += 1
            if agrees(field, value, ours.get(field)):
                counts[field][0] += 1
            else:
                misses[field].append(f"{raw.stem}: site {value!r}, read {ours.get(field)!r}")
    for field, (ok, n) in counts.items():
        print(f"{field:<9} {ok:>4}/{n:<4} {ok / n if n else 0:.3f}")
        for line in misses[field][: args.show]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
