"""Benchmark of the citation graph on a synthetic corpus: build speed from per-document JSON
files on disk, the time of each question in a process and from the shell (``vanban graph``
in a fresh process, reading graph.index), peak memory.

    python scripts/bench_graph.py                 # 100,000 documents, 1,000,000 mentions
    python scripts/bench_graph.py --docs 5000     # a quick run (mentions: 10 per document)
    python scripts/bench_graph.py --exports       # and every export format, timed
    python scripts/bench_graph.py --no-cli        # without the questions from the shell
    python scripts/bench_graph.py --update        # and the graph stage of vanban run: a full
                                                  # build, and adding 1 % more documents

The corpus imitates the real one: central documents (Nghị quyết, Chỉ thị, Kết luận, Quy
định … of TW, numbers reused across years) cited with Zipf-like popularity, state
documents ("30/2020/NĐ-CP"), provincial programmes and plans implementing central ones,
district plans implementing provincial ones (and citing the central one too), dates on
most mentions, a few contradictory dates, and number-less documents that are cited
elsewhere by their number (for ``same_as``). Local documents have a place (63 provinces,
10 districts each), a title and a text of sentences drawn at random, and numbers drawn at
random, so that many share a number and year, as plans of different districts do. It is
written as contract JSON files, one per
document, and the build reads them back, so the figure is "from per-document JSON".
Generation runs in a child process so that the peak memory reported is the build's and
the questions'. Figures go to stdout; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from itertools import accumulate
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no threaded BLAS under PageRank
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import exports, graphindex, query  # noqa: E402
from pipeline.graph import build_graph, write_graph  # noqa: E402
from pipeline.models import SCHEMA_VERSION, Document  # noqa: E402

TW_TYPES = [
    ("Nghị quyết", "NQ", 30),
    ("Chỉ thị", "CT", 20),
    ("Kết luận", "KL", 80),
    ("Quy định", "QĐ", 120),
    ("Kế hoạch", "KH", 30),
    ("Thông báo", "TB", 60),
    ("Hướng dẫn", "HD", 20),
]
TW_ISSUERS = ["Ban Chấp hành Trung ương Đảng", "Bộ Chính trị", "Ban Bí thư"]
STATE_TYPES = [
    ("Nghị định", "NĐ-CP", "Chính phủ", 150),
    ("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ", 120),
    ("Thông tư", "TT-BNV", "Bộ Nội vụ", 20),
]
LOCAL = {  # level: (share of the corpus, [(type, code)], issuer)
    "TU": (
        0.27,
        [
            ("Chương trình hành động", "CTr/TU"),
            ("Kế hoạch", "KH/TU"),
            ("Hướng dẫn", "HD/BTGTU"),
            ("Chỉ thị", "CT/TU"),
        ],
        "Ban Chấp hành Đảng bộ tỉnh",
    ),
    "HU": (
        0.58,
        [("Kế hoạch", "KH/HU"), ("Chương trình hành động", "CTr/HU"), ("Hướng dẫn", "HD/BTGHU")],
        "Ban Thường vụ Huyện ủy",
    ),
    "ĐU": (0.10, [("Kế hoạch", "KH/ĐU"), ("Nghị quyết", "NQ/ĐU")], "Đảng ủy xã"),
}
CUES = ["thực hiện", "căn cứ", "quán triệt", "triển khai", None]
FILLER = [  # sentences drawn at random, so that two documents' texts differ as real ones do
    "Các cấp ủy, tổ chức đảng tiếp tục quán triệt, tổ chức thực hiện nghiêm túc, hiệu quả các nội "
    "dung đã đề ra. ",
    "Gắn việc thực hiện với công tác kiểm tra, giám sát và sơ kết, tổng kết định kỳ hằng năm. ",
    "Nâng cao nhận thức, trách nhiệm của cán bộ, đảng viên, nhất là người đứng đầu cấp ủy, chính "
    "quyền. ",
    "Đẩy mạnh tuyên truyền trên các phương tiện thông tin đại chúng và mạng xã hội. ",
    "Ban Tuyên giáo chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, theo dõi, đôn đốc việc "
    "thực hiện. ",
    "Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tuyên truyền, vận động đoàn viên, "
    "hội viên. ",
    "Định kỳ sáu tháng, một năm báo cáo kết quả thực hiện về Ban Thường vụ để theo dõi, chỉ đạo. ",
    "Kịp thời biểu dương, khen thưởng tập thể, cá nhân có thành tích xuất sắc; chấn chỉnh những "
    "hạn chế. ",
    "Bảo đảm kinh phí, cơ sở vật chất cho việc triển khai các nhiệm vụ, giải pháp trọng tâm. ",
    "Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong lãnh đạo, chỉ đạo, điều hành. ",
]
TOPICS = [
    "công tác tuyên truyền",
    "chuyển đổi số",
    "xây dựng Đảng về đạo đức",
    "công tác cán bộ",
    "phòng, chống tham nhũng",
    "công tác dân vận",
    "kiểm tra, giám sát",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "phát triển kinh tế - xã hội",
    "quốc phòng, an ninh",
    "cải cách hành chính",
    "công tác thi đua, khen thưởng",
]
PROVINCES = 63
DISTRICTS = 10  # per province
# The rest of a document file, per kB of its text, as the pipeline's outputs of the shared
# corpus have it (medians; 2026-12-05): sections 1.4 (the 466 crawled directives), entities
# 4.9 (the gold sets' PDFs, scans and converter text; 6.8 on the crawl), references 0.6
# (crawl), repairs 1.0 (the seeds' scans; 0.6 for digital PDFs, 3.2 for converter text, 29
# for the crawl's web pages). A text of 9 kB (the crawl's median; the seeds' is 20 kB) so
# makes a file of about 30 kB, where the crawl's median is 62 kB and the gold sets' 80 kB:
# the graph stage reads and writes every file of a full build, and these are no bigger
# than real ones.
PER_KB = {"sections": 1.4, "entities": 4.9, "references": 0.6, "repairs": 1.0}
ENTITY_LABELS = [("ORG", 0.57), ("LOC", 0.24), ("DATE", 0.17), ("PER", 0.02)]
REPAIR_KINDS = ["page_number", "running_header", "tone_style", "wrapped_line", "broken_symbol"]
REFERENCE_KINDS = ["self", "named", "this", "alias"]


def _dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d):02d}/{int(m):02d}/{y}"


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _span(rng: random.Random, text: str, words: int) -> tuple[int, int]:
    """A run of up to ``words`` words of the text, somewhere in it."""
    start = rng.randrange(max(1, len(text)))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = start
    for _ in range(words):
        nxt = text.find(" ", end + 1)
        end = len(text) if nxt < 0 else nxt
    return start, end


def _sections(rng: random.Random, text: str, count: int, first: int) -> list[dict]:
    """``count`` sections over the text from ``first`` on: parts "I", "II" … each with its
    items "1", "2" …, each item's span the text up to the next."""
    if count < 1:
        return []
    parts = max(1, count // 4)
    cuts = sorted(rng.sample(range(first, max(first + count + 1, len(text))), count))
    cuts = [first] + cuts[1:] + [len(text)]
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    found, k = [], 0
    for p in range(parts):
        items = count // parts + (p < count % parts) - 1
        label = romans[p % len(romans)]
        start, end = cuts[k], cuts[k + items + 1]
        children = [
            {
                "label": str(j + 1),
                "path": f"{label}/{j + 1}",
                "title": rng.choice(TOPICS).capitalize(),
                "level": 2,
                "start": cuts[k + j + 1],
                "end": cuts[k + j + 2],
                "children": [],
            }
            for j in range(items)
        ]
        found.append(
            {
                "label": label,
                "path": label,
                "title": rng.choice(TOPICS).upper(),
                "level": 1,
                "start": start,
                "end": end,
                "children": children,
            }
        )
        k += items + 1
    return found


def _other_parts(rng: random.Random, text: str, head: int) -> dict:
    """What the other stages write into a document file (``PER_KB``), over its text:
    sections, entities, references and repairs with spans of the text."""
    kb = len(text) / 1000
    n = {part: round(per * kb * rng.uniform(0.7, 1.3)) for part, per in PER_KB.items()}
    labels, weights = zip(*ENTITY_LABELS)
    entities = []
    for _ in range(n["entities"]):
        label = rng.choices(labels, weights)[0]
        start, end = _span(rng, text, rng.randint(1, 4))
        entities.append(
            {"label": label, "text": text[start:end], "start": start, "end": end, "expansion": None}
        )
    entities.sort(key=lambda e: e["start"])
    references = []
    for _ in range(n["references"]):
        start, end = _span(rng, text, rng.randint(2, 5))
        references.append(
            {
                "kind": rng.choice(REFERENCE_KINDS),
                "text": text[start:end],
                "start": start,
                "end": end,
                "name": None,
                "symbol": None,
                "section": None,
            }
        )
    repairs = []
    for _ in range(n["repairs"]):
        start, end = _span(rng, text, rng.randint(1, 6))
        kind = rng.choice(REPAIR_KINDS)
        after = text[start:end]
        before = {
            "page_number": f"Trang {rng.randint(2, 40)}",
            "wrapped_line": after.replace(" ", "\n", 1),
        }.get(kind, after)
        if kind == "page_number":
            after = ""
        repairs.append(
            {
                "kind": kind,
                "before": before,
                "after": after,
                "start": start,
                "source_start": start + rng.randint(0, 400),
            }
        )
    repairs.sort(key=lambda r: r["start"])
    return {
        "sections": _sections(rng, text, n["sections"], head),
        "entities": entities,
        "references": references,
        "repairs": repairs,
    }


def generate(folder: Path, docs: int, mentions: int, text_kb: float, seed: int) -> dict:
    """Write ``docs`` contract JSON files into ``folder`` with ``mentions`` citations in all,
    indented as a run writes them. What cites what depends on ``seed`` alone; the filler
    text and the other stages' parts (``_other_parts``) come from a stream of their own, so
    that another ``text_kb`` gives the same graph."""
    rng = random.Random(seed)
    wording = random.Random(f"{seed}-wording")
    # the documents that exist, cited or in the corpus: central and state ones first
    central = []
    for year in range(1995, 2025):
        for kind, code, per_year in TW_TYPES:
            for num in rng.sample(range(1, 400), per_year):
                central.append(
                    {
                        "symbol": f"{num}-{code}/TW",
                        "doc_type": kind,
                        "number": str(num),
                        "code": f"{code}/TW",
                        "date": _date(rng, year),
                        "issuer": rng.choice(TW_ISSUERS),
                        "level": "TW",
                        "subject": "về tăng cường công tác xây dựng Đảng",
                    }
                )
    state = []
    for year in range(2005, 2025):
        for kind, code, issuer, per_year in STATE_TYPES:
            for num in rng.sample(range(1, 400), per_year):
                state.append(
                    {
                        "symbol": f"{num}/{year}/{code}",
                        "doc_type": kind,
                        "number": str(num),
                        "code": f"{year}/{code}",
                        "date": _date(rng, year),
                        "issuer": issuer,
                        "level": "state",
                    }
                )
    rng.shuffle(central)  # popularity: Zipf over a random order, so popular ones are of any year
    tw_weights = list(accumulate(1 / (r + 1) for r in range(len(central))))
    state_weights = list(accumulate(1 / (r + 1) for r in range(len(state))))

    def pick(pool, weights):
        return pool[bisect(weights, rng.random() * weights[-1])]

    # how many mentions each document has: 3 to 17, adjusted to the exact total
    counts = [rng.randint(3, 17) for _ in range(docs)]
    diff = mentions - sum(counts)
    while diff:
        i = rng.randrange(docs)
        step = 1 if diff > 0 else -1
        if counts[i] + step >= 1:
            counts[i] += step
            diff -= step
    levels = list(LOCAL)
    shares = list(accumulate(LOCAL[lv][0] for lv in levels))
    local: dict[str, list[dict]] = {lv: [] for lv in levels}
    written = mentions_written = numberless = 0
    for i in range(docs):
        r = rng.random()
        if r < 0.03:  # a central or state document in the corpus
            me = dict(rng.choice(central if r < 0.02 else state))
            level = me["level"]
        else:
            level = levels[min(bisect(shares, rng.random() * shares[-1]), len(levels) - 1)]
            kind, code = rng.choice(LOCAL[level][1])
            year = rng.randint(2012, 2024)
            num = rng.randint(1, 999)
            province = rng.randrange(PROVINCES)
            place = (
                f"Tỉnh {province}"
                if level == "TU"
                else f"Huyện {province}-{rng.randrange(DISTRICTS)}"
            )
            me = {
                "symbol": f"{num}-{code}",
                "doc_type": kind,
                "number": str(num),
                "code": code,
                "date": _date(rng, year),
                "issuer": LOCAL[level][2],
                "level": level,
                "place": place,
                "title": f"về {rng.choice(TOPICS)} năm {year}",
            }
        # what it implements: a district document a provincial one (and that one's central one)
        targets = []
        parents = local["TU"] if level in ("HU", "ĐU") else []
        if parents and rng.random() < 0.6:
            parent = rng.choice(parents[-2000:])
            targets += [parent, parent["implements"]]
        else:
            targets.append(pick(central, tw_weights))
        me["implements"] = targets[-1] if level == "TU" else targets[0]
        if level == "TU" and me["doc_type"] == "Chương trình hành động":
            nq = me["implements"]
            me["subject"] = me["title"] = f"về thực hiện {nq['doc_type']} số {nq['symbol']}"
        while len(targets) < max(1, counts[i] // 2):
            r = rng.random()
            if r < 0.6:
                targets.append(pick(central, tw_weights))
            elif r < 0.8:
                targets.append(pick(state, state_weights))
            elif local["TU"]:
                targets.append(rng.choice(local["TU"]))
        if level in local and me["symbol"]:
            local[level].append(me)
        # mentions: each target at least once, the rest spread over them
        order = [t for t in targets] + [
            rng.choice(targets) for _ in range(counts[i] - len(targets))
        ]
        text, citations = [], []
        pos = 0
        issuer_line = f"{me['issuer'].upper()}\n"
        # number-less in the corpus, numbered when cited
        own = me["symbol"] if rng.random() >= 0.08 else None
        title = me.get("title") or me.get("subject")
        head = f"{issuer_line}Số {own or '…'}\n{me['doc_type'].upper()}\n{title}\n"
        text.append(head)
        pos += len(head)
        filler_each = max(0, int(text_kb * 1000 / max(1, len(order))) - 120)
        for k, t in enumerate(order):
            cue = rng.choice(CUES)
            date = t["date"]
            if rng.random() < 0.15:
                date = None  # an undated mention: joins the dated node
            elif rng.random() < 0.002:
                # a contradictory date
                date = t["date"][:8] + f"{(int(t['date'][8:]) % 28) + 1:02d}"
            written_as = f"{t['doc_type']} số {t['symbol']}"
            prefix = f"{(cue or 'Theo').capitalize()} "
            sentence = (
                prefix
                + written_as
                + (f", ngày {_dmy(date)}" if date else "")
                + f" của {t['issuer']};\n"
            )
            start = pos + len(prefix)
            citations.append(
                {
                    "symbol": t["symbol"],
                    "doc_type": t["doc_type"],
                    "number": t["number"],
                    "code": t["code"],
                    "date": date,
                    "issuer": t["issuer"],
                    "term": None,
                    "subject": t.get("subject"),
                    "relation": cue,
                    "section": f"I/{k // 4 + 1}",
                    "start": start,
                    "end": start + len(written_as),
                    "text": written_as,
                    "target": None,  # the graph's to set, as a run does
                    "confidence": 1.0,
                }
            )
            filler = ""
            while len(filler) < filler_each:
                filler += wording.choice(FILLER)
            filler = filler[:filler_each]
            text.append(sentence + filler + "\n")
            pos += len(sentence) + len(filler) + 1
        name = f"doc{i:06d}"
        doc = {
            "schema_version": SCHEMA_VERSION,
            "source": {
                "path": f"synthetic/{name}.txt",
                "sha256": f"{i:064x}",
                "format": "text",
                "pages": 1,
                "ocr_pages": [],
            },
            "metadata": {
                "doc_type": me["doc_type"],
                "symbol": own,
                "date": me["date"] if own or rng.random() < 0.5 else None,
                "place": me.get("place"),
                "issuer": me["issuer"],
                "title": me.get("title") or me.get("subject"),
                "signer": {"name": None, "title": None, "authority": None},
                "recipients": [],
            },
            "text": "".join(text),
            "footnotes": [],
            "citations": citations,
            "warnings": [],
        }
        doc.update(_other_parts(wording, doc["text"], len(head)))
        (folder / f"{name}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written += 1
        mentions_written += len(citations)
        numberless += own is None
    return {"docs": written, "mentions": mentions_written, "numberless": numberless}


def _generate_child(folder, docs, mentions, text_kb, seed, queue):
    queue.put(generate(Path(folder), docs, mentions, text_kb, seed))


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def graph_stage(folder: Path, files: list[Path], share: float) -> None:
    """The graph stage as ``vanban run`` does it (``batch.build_corpus_graph``: the documents
    read, the graph built, the document files written with their targets, graph.json and
    graph.index written), timed three ways: over every document in a fresh output folder
    (the full build); over all but ``share`` of them and then again once that share is added
    (the update a run that adds documents pays); and a rerun with nothing new. The documents
    wait in ``.staged`` as a run leaves them (hard links), already checked, as a run checks
    them while its workers work. The update's graph.json is compared with the full build's,
    byte for byte."""
    from pipeline import batch
    from pipeline.batch import STAGED, _Checked, build_corpus_graph

    def stage(out: Path, some: list[Path]) -> None:
        (out / STAGED).mkdir(parents=True, exist_ok=True)
        checked = _Checked(out)
        for f in some:  # (valid contract files: a run checks each while its workers work)
            os.link(f, out / STAGED / f.name)
            checked.trust(out / STAGED / f.name)
        checked.save()

    def build(out: Path) -> float:
        t = time.perf_counter()
        build_corpus_graph(out)
        return time.perf_counter() - t

    held = set(files[:: max(1, round(1 / share))])
    full, grown = folder / "stage-full", folder / "stage-update"
    for out in (full, grown):
        shutil.rmtree(out, ignore_errors=True)
    stage(full, files)
    full_s = build(full)
    stage(grown, [f for f in files if f not in held])
    before_s = build(grown)
    stage(grown, sorted(held))
    update_s = build(grown)
    again_s = build(grown)
    same = (full / "graph.json").read_bytes() == (grown / "graph.json").read_bytes()
    print(
        f"graph stage (vanban run): full build of {len(files):,} documents {full_s:.1f} s; "
        f"{len(files) - len(held):,} documents {before_s:.1f} s, then {len(held):,} added "
        f"({len(held) / len(files):.0%}) {update_s:.1f} s = {update_s / full_s:.1%} of the full "
        f"build; a rerun with nothing new {again_s:.2f} s; the update's graph.json "
        f"{'identical to' if same else 'DIFFERS from'} the full build's; peak memory of the "
        f"stage's own process (max RSS; it runs forked from {batch.APART:,} documents on) "
        f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB"
    )
    for out in (full, grown):
        shutil.rmtree(out, ignore_errors=True)


def cli_questions(folder: Path, top: str, tu: str, loose: str, root: str, repeat: int) -> list:
    """Each question asked as a researcher asks it from the shell: ``vanban graph`` in a fresh
    process (Python's start, imports, opening graph.index, the answer printed into a pipe),
    as a table and as --json; the median of ``repeat`` runs. Returns those over a second."""
    from pipeline.query import fold

    command = [sys.executable, "-m", "pipeline", "graph", str(folder)]
    repo = Path(__file__).resolve().parents[1]

    def ask(*question: str) -> tuple[float, str]:
        t = time.perf_counter()
        proc = subprocess.run(command + list(question), capture_output=True, text=True, cwd=repo)
        took = time.perf_counter() - t
        if proc.returncode or proc.stderr:
            raise SystemExit(f"vanban graph {' '.join(question)}: {proc.stderr.strip()}")
        return took, proc.stdout

    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - t
    (folder / graphindex.NAME).unlink()
    first, _ = ask("top", "-n", "20")  # no index yet: graph.json read, the index written
    print(
        f"cli: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; a bare python "
        f"start {bare * 1000:.0f} ms; the first question with no graph.index (graph.json read "
        f"and indexed, the index written) {first:.1f} s"
    )
    questions = [
        ("cited-by", loose, "-n", "100"),
        ("cited-by", top, "-n", "100"),
        ("cited-by", top),
        ("cites", tu, "--depth", "2"),
        ("cites", fold(tu.split("@")[0])),  # typed without marks
        ("cites", "phong chong tham nhung"),  # title words: every document on the topic
        ("chain", root),
        ("chain", top, "-n", "100"),
        ("chain", top),
        ("top", "-n", "20"),
        ("top", "--level", "TW", "--type", "Nghị quyết", "--year", "2018"),
        ("top", "--issuer", "Bộ Chính trị", "--level", "TW"),
        ("co-cited", top),
        ("missing", "-n", "50"),
        ("conflicts", "-n", "100"),
        ("conflicts",),
        ("timeline", "--from", "2020-01", "--to", "2020-03", "--level", "HU", "-n", "100"),
        ("timeline", tu),
    ]
    slow = []
    for question in questions:
        tables = [ask(*question) for _ in range(repeat)]
        jsons = [ask(*question, "--json") for _ in range(repeat)]
        table = statistics.median(s for s, _ in tables)
        as_json = statistics.median(s for s, _ in jsons)
        rows = len(json.loads(jsons[-1][1]))
        label = " ".join(f"'{q}'" if " " in q else q for q in question)
        print(
            f"cli vanban graph OUT {label}: {table * 1000:.0f} ms as a table, "
            f"{as_json * 1000:.0f} ms --json ({rows:,} rows)"
        )
        if max(table, as_json) > 1:
            slow.append(f"vanban graph {label} {max(table, as_json):.1f} s")
    return slow


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument(
        "--mentions", type=int, help="citation mentions in all (default: 10 per document)"
    )
    ap.add_argument(
        "--text-kb",
        type=float,
        default=9.0,
        help="text per document, in kB (default 9, the crawled directives' median)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--dir", help="folder for the corpus (default: a temporary one, removed at the end)"
    )
    ap.add_argument(
        "--no-cli", action="store_true", help="skip the questions asked from the command line"
    )
    ap.add_argument(
        "--repeat", type=int, default=3, help="command-line questions: runs of each (median)"
    )
    ap.add_argument(
        "--update",
        action="store_true",
        help="also time the graph stage of vanban run: a full build, and adding 1%% more documents",
    )
    ap.add_argument(
        "--exports",
        action="store_true",
        help="also time every export format (written into the folder)",
    )
    args = ap.parse_args()
    mentions = args.mentions or args.docs * 10
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="vanban-bench-graph-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        files = sorted(folder.glob("doc*.json"))
        if args.dir and len(files) == args.docs:  # made by an earlier run with the same --dir
            made = {"docs": len(files), "mentions": None, "numberless": None}
            how = "reused from an earlier run"
        else:
            queue = multiprocessing.get_context("fork").Queue()
            child = multiprocessing.get_context("fork").Process(
                target=_generate_child,
                args=(str(folder), args.docs, mentions, args.text_kb, args.seed, queue),
            )
            child.start()
            made = queue.get()
            child.join()
            files = sorted(folder.glob("doc*.json"))
            how = f"generated in {time.perf_counter() - t:.0f} s"
        size = sum(f.stat().st_size for f in files)
        print(
            f"corpus: {made['docs']:,} documents, {made['mentions'] or mentions:,} mentions, "
            f"{made['numberless'] if made['numberless'] is not None else '?'} without a number, "
            f"{size / 1e6:,.0f} MB of JSON ({size / made['docs'] / 1e3:.1f} kB each), {how}"
        )

        if args.update:  # first, while nothing else is held in memory
            graph_stage(folder, files, 0.01)
        t = time.perf_counter()
        documents = {
            f.stem: Document.from_json(json.loads(f.read_text(encoding="utf-8"))) for f in files
        }
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        g = build_graph(documents).graph
        build_s = time.perf_counter() - t
        total = read_s + build_s
        print(
            f"build: read {read_s:.1f} s + graph {build_s:.1f} s = {total:.1f} s on one core -> "
            f"{made['docs'] / total * 60:,.0f} documents/minute; {g.number_of_nodes():,} nodes, "
            f"{g.number_of_edges():,} edges, "
            f"{sum(1 for _, a in g.nodes(data=True) if a.get('same_as')):,} "
            f"same_as links"
        )
        del documents
        t = time.perf_counter()
        write_graph(folder / "graph.json", g)  # as vanban run writes it
        write_s = time.perf_counter() - t
        del g
        t = time.perf_counter()
        g = query.load(folder)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        query.refresh(g)
        index_s = time.perf_counter() - t
        print(
            f"graph.json: {(folder / 'graph.json').stat().st_size / 1e6:,.0f} MB, written in "
            f"{write_s:.1f} s, "
            f"loaded with its index in {load_s:.1f} s (the index alone {index_s:.1f} s)"
        )

        # the index the command line reads, as vanban run writes it: built from the graph it
        # has just made (words and all), then stored beside graph.json
        t = time.perf_counter()
        query.refresh(g)["words"], query.index(g)["by_fold"]
        build_ix_s = time.perf_counter() - t
        t = time.perf_counter()
        graphindex.write(folder, g)
        store_s = time.perf_counter() - t
        print(
            f"graph.index: {(folder / graphindex.NAME).stat().st_size / 1e6:,.0f} MB, built in "
            f"{build_ix_s:.1f} s (name postings included) and written in {store_s:.1f} s "
            f"(graph.json's SHA-256 included)"
        )

        ix = query.index(g)
        ids = ix["ids"]
        top = ids[ix["ranked"][0]]
        tu = next(
            ids[p]
            for p in ix["by_filter"].get(query.filter_key("level", "TU"))
            if g.nodes[ids[p]].get("in_corpus") and g.out_degree(ids[p]) >= 6
        )
        nq = next(
            ids[p]
            for p in ix["by_filter"].get(query.filter_key("type", "Nghị quyết"))
            if g.nodes[ids[p]].get("level") == "TW"
        )
        loose = f"Nghị quyết {g.nodes[nq]['number']}"
        # a central Nghị quyết implemented by provinces, the 20th most cited such; and the most
        # cited of all
        implemented = [
            ids[p]
            for p in ix["by_filter"].get(query.filter_key("type", "Nghị quyết"))
            if g.nodes[ids[p]].get("level") == "TW"
            and any(g.nodes[c].get("level") == "TU" for c in g.predecessors(ids[p]))
        ]
        chain_root = implemented[min(19, len(implemented) - 1)]
        questions = [
            (f"resolve {loose!r}", lambda: query.resolve(g, loose)),
            (f"cited-by {top} -n 100", lambda: query.cited_by(g, top, top=100)),
            (f"cited-by {top} (all)", lambda: query.cited_by(g, top)),
            (f"cites {tu} --depth 2", lambda: query.cites(g, tu, depth=2)),
            (
                f"chain {chain_root} (cited by {g.in_degree(chain_root):,})",
                lambda: query.chain(g, chain_root),
            ),
            (
                f"chain {top} -n 100 (the most cited: cited by {g.in_degree(top):,})",
                lambda: query.chain(g, top, top=100),
            ),
            (f"chain {top} (all)", lambda: query.chain(g, top)),
            ("top -n 20", lambda: query.most_cited(g, top=20)),
            (
                "top --level TW --type 'Nghị quyết' --year 2018",
                lambda: query.most_cited(g, level="TW", doc_type="Nghị quyết", year="2018"),
            ),
            (
                "top --issuer 'Bộ Chính trị' --level TW",
                lambda: query.most_cited(g, issuer="Bộ Chính trị", level="TW"),
            ),
            (f"co-cited {top}", lambda: query.co_cited(g, top)),
            ("missing -n 50", lambda: query.missing(g, top=50)),
            ("conflicts -n 100", lambda: query.conflicts(g, top=100)),
            ("conflicts (all)", lambda: query.conflicts(g)),
            (
                "timeline --from 2020-01 --to 2020-03 --level HU -n 100",
                lambda: query.timeline(g, start="2020-01", end="2020-03", level="HU", top=100),
            ),
            (f"timeline {tu}", lambda: query.timeline(g, tu)),
        ]
        slow = []
        for label, ask in questions:
            ms, rows = timed(ask)
            if ms >= 100:
                slow.append(f"{label.split(' (')[0]} {ms:.0f} ms for {len(rows):,} rows")
            print(f"query {label}: {ms:.1f} ms ({len(rows):,} rows)")
        # kB on Linux: build and questions
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if not args.no_cli:
            slow += cli_questions(folder, top, tu, loose, chain_root, args.repeat)
        if args.exports:
            for fmt, name in (
                ("html", "view.html"),
                ("csv", "csv"),
                ("neo4j", "neo4j"),
                ("graphml", "graph.graphml"),
                ("gexf", "graph.gexf"),
            ):
                t = time.perf_counter()
                written = exports.export(g, fmt, folder / "exports" / name)
                size = sum(f.stat().st_size for f in written)
                print(
                    f"export {fmt}: {time.perf_counter() - t:.1f} s, {size / 1e6:,.0f} MB, max RSS "
                    f"so far "
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
                )
        print(
            f"queries over 100 ms (in a process), over 1 s (from the shell): "
            f"{'; '.join(slow) or 'none'}; "
            f"build {'meets' if made['docs'] / total * 60 >= 20000 else 'MISSES'} 20,000 "
            f"documents/minute; "
            f"peak memory (max RSS) {peak:,.0f} MB"
        )
    finally:
        if not args.dir:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
