#!/usr/bin/env python3
"""Throughput of the text stages (cleanup, structure, citations, entities) on one core.

Usage: python scripts/bench_stages.py [FILES_OR_FOLDERS…] [--repeat N] [--json]
Default input: ../shared/corpus/seeds (beside the checkout) and data/raw/*.txt|*.md.
Reports bytes/s (UTF-8 input bytes) per stage, the best of N repeats; model and word-list
loading happens once before timing, as in a long batch.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from pipeline.clean import clean
from pipeline.extract import find_citations
from pipeline.ingest import decode_text
from pipeline.models import RawDocument
from pipeline.nlp import find_entities
from pipeline.spelling import dictionary
from pipeline.structure import parse

REPO = Path(__file__).resolve().parents[1]


def inputs(paths: list[str]) -> list[Path]:
    if not paths:
        paths = [str(REPO.parent / "shared" / "corpus" / "seeds"), str(REPO / "data" / "raw")]
    files = []
    for p in map(Path, paths):
        files += (
            sorted(x for x in p.rglob("*") if x.suffix in (".txt", ".md")) if p.is_dir() else [p]
        )
    return files


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(files: list[Path], repeat: int = 5) -> dict:
    """Bytes/s per text stage over ``files`` (best of ``repeat``), and chars/s alike."""
    texts = [decode_text(f.read_bytes())[0] for f in files]
    size = sum(len(t.encode("utf-8")) for t in texts)
    chars = sum(len(t) for t in texts)
    raws = [
        RawDocument(path=str(f), sha256="", format="text", text=t) for f, t in zip(files, texts)
    ]
    dictionary()  # word lists load once per process
    cleaned = [clean(r) for r in raws]
    parsed = [parse(c) for c in cleaned]
    cites = [find_citations(c, s) for c, s in zip(cleaned, parsed)]
    seconds = {
        "clean": best_of(repeat, lambda: [clean(r) for r in raws]),
        "structure": best_of(repeat, lambda: [parse(c) for c in cleaned]),
        "citations": best_of(
            repeat, lambda: [find_citations(c, s) for c, s in zip(cleaned, parsed)]
        ),
        "entities": best_of(
            repeat, lambda: [find_entities(c.text, x) for c, x in zip(cleaned, cites)]
        ),
    }
    return {
        "machine": f"{platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}",
        "documents": len(files),
        "bytes": size,
        "chars": chars,
        "bytes_per_second": {k: round(size / v) for k, v in seconds.items()},
        "chars_per_second": {k: round(chars / v) for k, v in seconds.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    files = inputs(args.paths)
    result = measure(files, args.repeat)
    size = result["bytes"]
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(
        f"{result['documents']} documents, {size / 1e3:.0f} kB, best of {args.repeat} "
        f"({result['machine']})"
    )
    for stage, rate in result["bytes_per_second"].items():
        print(f"  {stage:10} {rate / 1e6:8.2f} MB/s")


if __name__ == "__main__":
    main()
