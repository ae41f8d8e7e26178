#!/usr/bin/env python3
"""Character error rate on the scans before and after cleanup.

For each scan in ``corpus/scans`` and its exact text in ``corpus/typeset``:

* raw: the OCR text as ingest returns it (Tesseract through vanban's ingest) against
  the typeset text;
* cleaned: ``clean()`` of that OCR text against ``clean()`` of the typeset text. Cleanup
  normalises on purpose (one tone-mark style, straight quotes, "58- CTr/TU" joined, the
  document's own "YÊU CẨU" repaired), so the reference goes through the same cleanup:
  what remains is the damage OCR did that cleanup did not undo. Cleanup's effect on
  correct text is held to zero by a test on the typeset texts, not by this figure;
* for transparency, the cleaned OCR text against the unnormalised typeset text too.

Whitespace is collapsed before comparing (line flow is not a character error). The
issue's bar: cleaned CER <= 0.6 x raw CER.

    python scripts/cer_cleanup.py [--shared ../shared] [--cache DIR] [--json] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import clean, ingest  # noqa: E402
from pipeline.evaluate import char_errors  # noqa: E402

RATIO_LIMIT = 0.6
SHOWN_KINDS = ("ocr_noise", "symbol", "numeral", "spelling")


def measure(shared: Path, cache: Path | None, jobs: int = 2) -> dict:
    corpus = shared / "corpus"
    docs, repairs = [], Counter()
    for scan in sorted((corpus / "scans").glob("*.pdf")):
        typeset = corpus / "typeset" / f"{scan.stem}.txt"
        if not typeset.exists():
            continue
        raw = ingest.load(scan, ocr_jobs=jobs, cache_dir=cache)
        cleaned = clean.clean(raw)
        reference = typeset.read_text(encoding="utf-8")
        raw_edits, chars = char_errors(raw.text, reference)
        clean_edits, clean_chars = char_errors(cleaned.text, clean.clean(ingest.load(typeset)).text)
        docs.append(
            {
                "document": scan.stem,
                "chars": chars,
                "raw_edits": raw_edits,
                "clean_chars": clean_chars,
                "clean_edits": clean_edits,
                "clean_vs_typeset_edits": char_errors(cleaned.text, reference)[0],
                "repairs": [
                    (r.kind, r.before, r.after) for r in cleaned.repairs if r.kind in SHOWN_KINDS
                ],
            }
        )
        repairs.update(r.kind for r in cleaned.repairs)
    chars = sum(d["chars"] for d in docs)
    clean_chars = sum(d["clean_chars"] for d in docs)
    raw_cer = sum(d["raw_edits"] for d in docs) / max(1, chars)
    clean_cer = sum(d["clean_edits"] for d in docs) / max(1, clean_chars)
    return {
        "documents": docs,
        "raw_cer": raw_cer,
        "clean_cer": clean_cer,
        "clean_vs_typeset_cer": sum(d["clean_vs_typeset_edits"] for d in docs) / max(1, chars),
        "ratio": clean_cer / raw_cer if raw_cer else None,
        "limit": RATIO_LIMIT,
        "repairs_by_kind": dict(repairs.most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument(
        "--cache", type=Path, default=None, help="OCR page cache (reruns skip Tesseract)"
    )
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", action="store_true", help="list the OCR repairs cleanup made")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus" / "scans").is_dir():
        print(f"no scans under {args.shared}/corpus", file=sys.stderr)
        return 2
    result = measure(args.shared, args.cache, args.jobs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0 if result["ratio"] is not None and result["ratio"] <= RATIO_LIMIT else 1
    print(
        f"{'document':<24} {'chars':>7} {'raw edits':>9} {'clean edits':>11} {'raw CER':>8} "
        f"{'clean CER':>9}"
    )
    for d in result["documents"]:
        print(
            f"{d['document']:<24} {d['chars']:>7} {d['raw_edits']:>9} {d['clean_edits']:>11} "
            f"{d['raw_edits'] / d['chars']:>8.3%} {d['clean_edits'] / d['clean_chars']:>9.3%}"
        )
        if args.show:
            for kind, before, after in d["repairs"]:
                print(f"    {kind:<9} {before!r} -> {after!r}")
    print(f"\nraw Tesseract CER (vs typeset):         {result['raw_cer']:.3%}")
    print(f"cleaned CER (vs cleaned typeset):       {result['clean_cer']:.3%}")
    print(f"cleaned CER (vs typeset as written):    {result['clean_vs_typeset_cer']:.3%}")
    ok = result["ratio"] is not None and result["ratio"] <= RATIO_LIMIT
    print(
        f"ratio cleaned/raw: {result['ratio']:.2f} (limit {RATIO_LIMIT}) "
        f"{'ok' if ok else 'ABOVE LIMIT'}"
    )
    print("repairs by kind:", ", ".join(f"{k} {n}" for k, n in result["repairs_by_kind"].items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
