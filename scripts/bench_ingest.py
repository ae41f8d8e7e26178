#!/usr/bin/env python3
"""Ingest benchmark on the shared corpus.

Reports, in one run:

* digital PDF ingest speed: pages/s of ``pipeline.ingest.load`` over ``corpus/pdf``
  (median of ``--runs`` passes, one process);
* OCR wall time over each scan folder of ``--sets`` (default ``scans``,
  ``official/scans``, ``real-scans/pdf``) with ``--jobs N`` processes:
  (a) vanban, ``load(path, ocr_jobs=N)`` per document, no cache; (b) the raw
  ``tesseract`` CLI on the same page images (rasterised as ingest does, saved as
  PNG beforehand, not timed), same language and config, N processes at a time with
  OMP_THREAD_LIMIT=1, document by document as (a) goes; and the ratio (a)/(b).
  Each document is timed (a) then (b) at once, so a change in other load on the
  machine hits both; CPU seconds (this process and its finished children) are
  reported beside wall time, as they move much less with that load;
* character error rate of the OCR text against ``corpus/typeset/<stem>.txt``
  (whitespace collapsed; Levenshtein distance / reference length), per document and
  overall, for vanban's text and, for reference, the raw CLI's.

    python scripts/bench_ingest.py [--shared ../shared] [--jobs 2] [--runs 3] [--json] [--no-ocr]
        [--sets scans official/scans real-scans/pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402

from pipeline import ingest  # noqa: E402
from pipeline.evaluate import char_errors  # noqa: E402
from pipeline.ingest import image, ocr, pdf  # noqa: E402

OCR_RATIO_LIMIT = 1.25  # issue #16: deskew, ink removal and hand-filled fields included


# --- character error rate ------------------------------------------------------


def cer(hyp: str, ref: str) -> tuple[int, int]:
    """(edit distance, reference length) after collapsing whitespace."""
    return char_errors(hyp, ref)


# --- digital PDFs -------------------------------------------------------------


def bench_pdf(corpus: Path, runs: int) -> dict:
    paths = sorted((corpus / "pdf").glob("*.pdf"))
    if not paths:
        raise SystemExit(f"no PDFs in {corpus / 'pdf'}")
    rates, pages, ocr_pages = [], 0, 0
    for _ in range(runs):
        start = time.perf_counter()
        docs = [ingest.load(p) for p in paths]
        seconds = time.perf_counter() - start
        pages = sum(d.pages for d in docs)
        ocr_pages = sum(len(d.ocr_pages) for d in docs)
        rates.append(pages / seconds)
    return {
        "documents": len(paths),
        "pages": pages,
        "ocr_pages": ocr_pages,
        "runs_pages_per_s": [round(r, 2) for r in rates],
        "pages_per_s": round(statistics.median(rates), 2),
    }


# --- OCR ----------------------------------------------------------------------


def ocr_page_images(path: Path) -> tuple[list[int], list]:
    """The page images ingest OCRs for this file: (1-based page numbers, images)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        pages = [n for n, lines in enumerate(pdf._read_pdf_text(data), 1) if not pdf._usable(lines)]
        return pages, list(pdf._render_pdf(data, pages))
    images = list(image._image_frames(data))
    return list(range(1, len(images) + 1)), images


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (OCR workers, tesseract)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def tesseract_cli(png: Path, lang: str, timeout: float) -> str:
    cmd = [
        pytesseract.pytesseract.tesseract_cmd,
        str(png),
        "stdout",
        "-l",
        lang,
        *shlex.split(ocr.CONFIG),
    ]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=True, timeout=timeout
    ).stdout


def bench_ocr(corpus: Path, jobs: int, folder: str = "scans", timeout: float = 300) -> dict:
    scans = sorted(
        p for p in (corpus / folder).iterdir() if p.suffix.lower() in ingest.SUPPORTED_SUFFIXES
    )
    if not scans:
        raise SystemExit(f"no scans in {corpus / folder}")
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp,
        ThreadPoolExecutor(jobs) as pool,
    ):
        pngs: dict[Path, list[Path]] = {}
        for path in scans:  # not timed
            page_numbers, images = ocr_page_images(path)
            pngs[path] = []
            for n, image in zip(page_numbers, images):
                pngs[path].append(Path(tmp) / f"{path.stem}_{n:04d}.png")
                image.save(pngs[path][-1])
        warm = Path(tmp) / "warm.png"  # load the language data into the page cache, not timed
        first = next(p for ps in pngs.values() for p in ps)
        with Image.open(first) as im:
            im.crop((0, 0, min(im.width, 800), min(im.height, 300))).save(warm)
        tesseract_cli(warm, ocr.LANG, timeout)

        for path in scans:  # (a) then (b) per document, so load drifts hit both alike
            start, cpu = time.perf_counter(), cpu_seconds()
            doc = ingest.load(path, ocr_jobs=jobs, ocr_timeout=timeout)
            vanban_s, vanban_cpu = time.perf_counter() - start, cpu_seconds() - cpu
            start, cpu = time.perf_counter(), cpu_seconds()
            raw_pages = list(pool.map(lambda p: tesseract_cli(p, ocr.LANG, timeout), pngs[path]))
            raw_s, raw_cpu = time.perf_counter() - start, cpu_seconds() - cpu
            ref_path = corpus / "typeset" / f"{path.stem}.txt"
            ref = ref_path.read_text(encoding="utf-8") if ref_path.exists() else None
            row = {
                "document": path.stem,
                "pages": doc.pages,
                "ocr_pages": len(doc.ocr_pages),
                "raw_pages": len(raw_pages),
                "vanban_s": round(vanban_s, 2),
                "tesseract_s": round(raw_s, 2),
                "ratio": round(vanban_s / raw_s, 3),
                "vanban_cpu_s": round(vanban_cpu, 2),
                "tesseract_cpu_s": round(raw_cpu, 2),
                "cpu_ratio": round(vanban_cpu / raw_cpu, 3),
                "warnings": doc.warnings,
            }
            if ref is not None:
                row["vanban_edits"], row["ref_chars"] = cer(doc.text, ref)
                row["tesseract_edits"], _ = cer("\n\n".join(raw_pages), ref)
                row["vanban_cer"] = round(row["vanban_edits"] / max(1, row["ref_chars"]), 4)
                row["tesseract_cer"] = round(row["tesseract_edits"] / max(1, row["ref_chars"]), 4)
            rows.append(row)
    vanban_s = sum(r["vanban_s"] for r in rows)
    raw_s = sum(r["tesseract_s"] for r in rows)
    vanban_cpu = sum(r["vanban_cpu_s"] for r in rows)
    raw_cpu = sum(r["tesseract_cpu_s"] for r in rows)
    scored = [r for r in rows if "ref_chars" in r]
    ref_chars = sum(r["ref_chars"] for r in scored)
    total = {
        "documents": len(rows),
        "pages": sum(r["pages"] for r in rows),
        "ocr_pages": sum(r["ocr_pages"] for r in rows),
        "vanban_s": round(vanban_s, 2),
        "tesseract_s": round(raw_s, 2),
        "ratio": round(vanban_s / raw_s, 3),
        "ratio_limit": OCR_RATIO_LIMIT,
        "ratio_ok": vanban_s / raw_s <= OCR_RATIO_LIMIT,
        "vanban_cpu_s": round(vanban_cpu, 2),
        "tesseract_cpu_s": round(raw_cpu, 2),
        "cpu_ratio": round(vanban_cpu / raw_cpu, 3),
    }
    if scored:
        total["vanban_cer"] = round(sum(r["vanban_edits"] for r in scored) / max(1, ref_chars), 4)
        total["tesseract_cer"] = round(
            sum(r["tesseract_edits"] for r in scored) / max(1, ref_chars), 4
        )
    return {
        "set": folder,
        "jobs": jobs,
        "lang": ocr.LANG,
        "config": ocr.CONFIG,
        "documents": rows,
        "total": total,
    }


# --- report -------------------------------------------------------------------


def print_table(result: dict) -> None:
    pdf = result.get("pdf")
    if pdf:
        print(
            f"Digital PDF ingest: {pdf['documents']} documents, {pdf['pages']} pages "
            f"({pdf['ocr_pages']} OCR'd), median of {len(pdf['runs_pages_per_s'])} runs"
        )
        print(
            f"  {pdf['pages_per_s']:.1f} pages/s   (runs: "
            + ", ".join(f"{r:.1f}" for r in pdf["runs_pages_per_s"])
            + ")"
        )
    for res in result.get("ocr", []):
        t = res["total"]
        print(
            f"\nOCR of {res['set']}: {t['documents']} documents, {t['pages']} pages "
            f"({t['ocr_pages']} OCR'd), "
            f"--jobs {res['jobs']}, tesseract -l {res['lang']} {res['config']}"
        )
        head = (
            f"  {'document':<24} {'pages':>5} {'vanban s':>9} {'tesseract s':>12} {'ratio':>6} "
            f"{'CPU ratio':>9} {'CER vanban':>11} {'CER tesseract':>14}"
        )
        print(head)
        print("  " + "-" * (len(head) - 2))
        for r in res["documents"] + [dict(t, document="total")]:
            cer_v = f"{r['vanban_cer']:.4f}" if "vanban_cer" in r else "-"
            cer_t = f"{r['tesseract_cer']:.4f}" if "tesseract_cer" in r else "-"
            print(
                f"  {r['document']:<24} {r['pages']:>5} {r['vanban_s']:>9.1f} "
                f"{r['tesseract_s']:>12.1f} "
                f"{r['ratio']:>6.3f} {r['cpu_ratio']:>9.3f} {cer_v:>11} {cer_t:>14}"
            )
        verdict = "ok" if t["ratio_ok"] else "ABOVE THE LIMIT"
        print(
            f"\n  OCR time ratio vanban / raw tesseract: {t['ratio']:.3f} (limit "
            f"{t['ratio_limit']}): {verdict}"
        )
        print(
            f"  CPU seconds, vanban / raw tesseract: {t['vanban_cpu_s']:.1f} / "
            f"{t['tesseract_cpu_s']:.1f}"
            f" = {t['cpu_ratio']:.3f} (less sensitive to other load on the machine)"
        )
        for r in res["documents"]:
            for w in r["warnings"]:
                print(f"  warning, {r['document']}: {w}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="the shared folder holding corpus/ (default: ../shared beside the repo)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="OCR processes (default 2)")
    parser.add_argument(
        "--runs", type=int, default=3, help="digital PDF passes; the median is reported"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--no-ocr", action="store_true", help="digital PDF speed only")
    parser.add_argument(
        "--sets",
        nargs="+",
        default=["scans", "official/scans", "real-scans/pdf"],
        help="scan folders under corpus/ to time OCR on",
    )
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    if not corpus.is_dir():
        parser.error(f"no corpus folder at {corpus}")
    result = {"pdf": bench_pdf(corpus, args.runs)}
    if not args.no_ocr:
        result["ocr"] = [bench_ocr(corpus, args.jobs, folder) for folder in args.sets]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
