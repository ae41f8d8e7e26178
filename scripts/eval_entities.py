#!/usr/bin/env python3
"""Entity F1 against the hand-checked gold in data/annotated/entities, and throughput.

Each gold document's seed text goes through ingest and cleanup, then through:

* ``spacy``        — ``pipeline.nlp.entity_pipeline()``: spacy.blank("vi") + citations +
                     the catalogue gazetteer (EntityRuler) + people and places by cue;
* ``spacy+ner``    — the same with underthesea's CRF NER as a component (filtered);
* ``underthesea``  — underthesea.ner alone, sentence by sentence, unfiltered.

Scores are mention-level P/R/F1 of (label, text) per label and overall
(``pipeline.evaluate.entity_scores``); ``--misses`` lists misses and false hits.
Throughput is bytes of UTF-8 text per second on one core, the best of ``--runs``.

    python scripts/eval_entities.py [--shared ../shared] [--misses] [--json] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import clean, ingest, nlp  # noqa: E402
from pipeline.evaluate import entity_scores, prf  # noqa: E402

GOLD = REPO / "data" / "annotated" / "entities"


def underthesea_alone(text: str) -> list[tuple[str, str]]:
    from underthesea import ner

    out = []
    for m in nlp.SENTENCE.finditer(text):
        sentence = m.group(0)
        if sentence.strip():
            out += [
                (label, sentence[a:b]) for a, b, label in nlp._tagged_spans(sentence, ner(sentence))
            ]
    return out


def systems() -> dict:
    return {
        "spacy": lambda text: [
            (e.label, e.text) for e in nlp.entities(nlp.entity_pipeline()(text))
        ],
        "spacy+ner": lambda text: [
            (e.label, e.text) for e in nlp.entities(nlp.entity_pipeline(ner=True)(text))
        ],
        "underthesea": underthesea_alone,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    docs = []
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        source = args.shared / "corpus" / "seeds" / f"{gold['document']}.txt"
        if not source.exists():
            print(f"missing {source}", file=sys.stderr)
            return 2
        cleaned = clean.clean(ingest.load(source))
        # the whole cleaned text: footnotes name bodies too
        docs.append(
            (gold["document"], cleaned.text, [(e["label"], e["text"]) for e in gold["entities"]])
        )
    result = {}
    for name, run in systems().items():
        preds, best = [], float("inf")
        for i in range(args.runs if name == "spacy" else 1):
            start = time.perf_counter()
            preds = [run(text) for _, text, _ in docs]
            best = min(best, time.perf_counter() - start)
        # score per document (a mention matches only within its own document), then pool
        per_doc = [entity_scores(gold, pred) for (_, _, gold), pred in zip(docs, preds)]
        # per label, pooled over the documents
        pooled = entity_scores(
            [g for _, _, gold in docs for g in gold], [p for pred in preds for p in pred]
        )
        p, r, f1 = prf(*(sum(s["all"][k] for s in per_doc) for k in ("tp", "pred", "gold")))
        result[name] = {
            "P": p,
            "R": r,
            "F1": f1,
            "by_label": {k: v for k, v in pooled.items() if k in ("PER", "ORG", "LOC")},
            "bytes_per_s": sum(len(t.encode()) for _, t, _ in docs) / best,
            "misses": [m for s in per_doc for m in s["misses"]],
            "false_hits": [m for s in per_doc for m in s["false_hits"]],
        }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(docs)} documents, {sum(len(g) for _, _, g in docs)} gold entities")
    print(
        f"{'system':<12} {'P':>6} {'R':>6} {'F1':>6}   {'PER F1':>6} {'ORG F1':>6} {'LOC F1':>6}   "
        f"speed"
    )
    for name, r in result.items():
        f1 = {k: r["by_label"].get(k, {}).get("F1", 0.0) for k in ("PER", "ORG", "LOC")}
        print(
            f"{name:<12} {r['P']:>6.3f} {r['R']:>6.3f} {r['F1']:>6.3f}   {f1['PER']:>6.3f} "
            f"{f1['ORG']:>6.3f} "
            f"{f1['LOC']:>6.3f}   {r['bytes_per_s'] / 1000:,.1f} kB/s"
        )
        if args.misses:
            for label, text in r["misses"]:
                print(f"    miss       {label} {text}")
            for label, text in r["false_hits"]:
                print(f"    false hit  {label} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
