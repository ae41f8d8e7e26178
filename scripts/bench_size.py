#!/usr/bin/env python3
"""How one document's processing time and memory grow with its size.

Builds plain-text documents of each size from the shared seeds (``../shared/corpus/seeds``
repeated, so they hold headings, citations and footnotes like the real thing; with
``--synthetic`` a generated directive text instead) and pathological ones (a run of "12-"
with no space, a run of "("), runs ``stages.process`` on each in a fresh process and
reports seconds, seconds per MB and the peak resident memory.

    python scripts/bench_size.py [--sizes 1 4 16 50] [--runs-mb 0.2 0.8] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from pipeline.stages import process
t = time.perf_counter()
doc, entry = process(Path({path!r}))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - t, peak, entry.error or "", sep="\t")
"""


def base_text(shared: Path) -> str:
    seeds = sorted((shared / "corpus" / "seeds").glob("*.txt"))
    if seeds:
        return "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    line = "Căn cứ Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng.\n"
    return "KẾ HOẠCH\nthực hiện\nI. MỤC ĐÍCH\n" + line * 200


def run_one(path: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(repo=str(REPO), path=str(path))],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    seconds, peak, error = (proc.stdout.strip().split("\t") + ["", "", ""])[:3]
    mb = path.stat().st_size / 1e6
    return {
        "input": path.name,
        "mb": round(mb, 2),
        "seconds": round(float(seconds), 1) if seconds else None,
        "seconds_per_mb": round(float(seconds) / mb, 2) if seconds else None,
        "wall_with_start_up": round(wall, 1),
        "peak_rss_mb": round(int(peak) / 1024) if peak else None,  # ru_maxrss is in KB
        "error": error or (proc.stderr.strip().splitlines() or [""])[-1]
        if proc.returncode
        else error,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16, 50])
    parser.add_argument("--runs-mb", type=float, nargs="+", default=[0.2, 0.8])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    base = base_text(args.shared)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_size_") as tmp:
        for mb in args.sizes:
            size = int(mb * 1e6)
            text = (base + "\n\n") * (size // len(base.encode("utf-8")) + 1)
            path = Path(tmp) / f"text_{mb:g}MB.txt"
            path.write_text(text[:size], encoding="utf-8")
            rows.append(run_one(path))
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
        for mb in args.runs_mb:
            n = int(mb * 1e6)
            for name, run in (("dashes", "12-" * (n // 3)), ("parens", "(" * n)):
                path = Path(tmp) / f"{name}_{mb:g}MB.txt"
                path.write_text(f"KẾ HOẠCH\nthử\n{run}\n", encoding="utf-8")
                rows.append(run_one(path))
                print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(f"{'input':<22} {'MB':>6} {'s':>8} {'s/MB':>7} {'peak MB':>8}  error")
        for r in rows:
            print(
                f"{r['input']:<22} {r['mb']:>6} {r['seconds'] or '-':>8} "
                f"{r['seconds_per_mb'] or '-':>7} {r['peak_rss_mb']:>8}  {r['error']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
