"""Score a batch output folder against gold annotations.

``evaluate(gold_dir, out_dir)`` pairs every ``GOLD_DIR/<stem>.json`` (gold format
of ``shared/corpus/ANNOTATION.md``) with ``OUT_DIR/<stem>.json`` (the contract's
document file) and computes the same figures as the official scorer, so the two
agree to the last digit:

* citation mentions: precision / recall / F1 of the multiset of normalised
  symbols (NFC, whitespace removed, casefolded, leading zeros of the number
  stripped), plus F1 over unique symbols;
* citation date and issuer accuracy, on gold mentions aligned in order with
  predicted ones (``difflib.SequenceMatcher`` over the two symbol sequences),
  counted only where gold states a date / an issuer;
* section P/R/F1 over casefolded paths (prediction sections nested through
  ``children``) and title accuracy for gold titles that are not null;
* metadata accuracy over doc_type, symbol, date, signer name, place (when gold
  has one) and the number of recipients, with a per-field breakdown;
* the document's issuer, matched as a citation's is, reported apart
  (``document_issuer``): the official metadata score leaves it out.

Text compares casefolded, without punctuation, the tone mark's old and new place alike.

A missing or unreadable prediction file counts as empty output.
``format_report(result)`` renders the result as a plain-text table.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Optional

from . import symbols
from .models import GRAPH, MANIFEST

META_FIELDS = ("doc_type", "symbol", "date", "signer", "place", "recipients")


# ---------------------------------------------------------------- normalisation
def _as_text(value: Any) -> Optional[str]:
    if value is None or value == "":
        return None
    return unicodedata.normalize("NFC", value if isinstance(value, str) else str(value))


def normalize_symbol(symbol: Any) -> Optional[str]:
    """Comparison key of a document symbol: "08-QĐi/TW" and " 8 - qđi/TW" agree."""
    s = _as_text(symbol)
    return None if s is None else symbols.key(s).casefold()


TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def tone_key(text: str) -> str:
    """The old and the new place of a word's tone mark compare equal ("Tỉnh uỷ" = "Tỉnh ủy",
    "hoà" = "hòa"): each word's tone mark is moved to its end."""
    words = re.split(r"([^\w\u0300-\u036f]+)", unicodedata.normalize("NFD", text))
    return unicodedata.normalize(
        "NFC",
        "".join(
            "".join(c for c in w if c not in TONES) + "".join(c for c in w if c in TONES)
            for w in words
        ),
    )


def normalize_text(text: Any) -> str:
    """Casefolded words with markup and punctuation dropped, the tone mark's place either
    style, for fuzzy equality."""
    s = _as_text(text)
    if s is None:
        return ""
    s = tone_key(s)
    s = re.sub(r"</?sup>", " ", s)
    s = re.sub(r"[*_#`<>]", " ", s)
    s = re.sub(r"[^\w\s]+", " ", s).replace("_", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


def _token_set(text: Any) -> set[str]:
    return set(normalize_text(text).split())


def issuer_matches(gold: Any, pred: Any) -> bool:
    """At least 80% of the gold issuer's words are predicted, with at most 3 extra words."""
    g, p = _token_set(gold), _token_set(pred)
    if not g:
        return False
    return len(g & p) / len(g) >= 0.8 and len(p - g) <= 3


def title_matches(gold: Any, pred: Any) -> bool:
    if not pred:
        return False
    ratio = difflib.SequenceMatcher(a=normalize_text(gold), b=normalize_text(pred)).ratio()
    return ratio >= 0.9


def char_errors(hyp: str, ref: str) -> tuple[int, int]:
    """(Levenshtein edits, reference length) after collapsing whitespace: line flow is
    not a character error."""
    from rapidfuzz.distance import Levenshtein

    hyp, ref = (re.sub(r"\s+", " ", t).strip() for t in (hyp, ref))
    return Levenshtein.distance(hyp, ref), len(ref)


def char_error_rate(hyp: str, ref: str) -> float:
    edits, length = char_errors(hyp, ref)
    return edits / max(1, length)


def _entity_key(label: str, text: str) -> tuple[str, str]:
    text = re.sub(r"\s*[-–—]\s*", " - ", unicodedata.normalize("NFC", text))
    return label, " ".join(text.split())


def entity_scores(gold: Iterable[tuple[str, str]], pred: Iterable[tuple[str, str]]) -> dict:
    """Mention-level P/R/F1 of (label, text) multisets, overall and per label, with the
    misses and false hits."""
    gold_c = Counter(_entity_key(*g) for g in gold)
    pred_c = Counter(_entity_key(*p) for p in pred)
    hit = gold_c & pred_c
    out: dict[str, Any] = {}
    for label in sorted({k[0] for k in gold_c} | {k[0] for k in pred_c}) + [None]:

        def count(c: Counter) -> int:
            return sum(n for k, n in c.items() if label is None or k[0] == label)

        p, r, f = prf(count(hit), count(pred_c), count(gold_c))
        out[label or "all"] = {
            "P": p,
            "R": r,
            "F1": f,
            "tp": count(hit),
            "gold": count(gold_c),
            "pred": count(pred_c),
        }
    out["misses"] = sorted((gold_c - pred_c).elements())
    out["false_hits"] = sorted((pred_c - gold_c).elements())
    return out


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted and nothing expected is perfect."""
    precision = tp / npred if npred else (1.0 if not ngold else 0.0)
    recall = tp / ngold if ngold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _walk_sections(nodes: Any) -> Iterable[dict]:
    for node in nodes or []:
        if isinstance(node, dict):
            yield node
            yield from _walk_sections(node.get("children"))


def _section_map(nodes: Any) -> dict[str, Any]:
    """casefolded path -> title; a repeated path keeps its last title."""
    out: dict[str, Any] = {}
    for node in _walk_sections(nodes):
        path = node.get("path")
        if path:
            out[str(path).casefold()] = node.get("title")
    return out


def _count_recipients(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple)):
        return len(value)
    return 0


def _sort_key(value: Any) -> str:
    return str(value)


# ------------------------------------------------------------------ per document
CITATION_FIELDS = (  # gold key, output key, comparison
    ("type", "doc_type", lambda g, p: normalize_text(g) == normalize_text(p)),
    ("date", "date", lambda g, p: g == p),
    ("issuer", "issuer", lambda g, p: issuer_matches(g, p)),
)


def score_document(gold: dict, pred: dict) -> dict:
    """Counts and misses for one document; ``pred`` is ``{}`` when there is no output."""
    res: dict[str, Any] = {}

    # citations
    gold_cits = [c for c in gold.get("citations") or [] if isinstance(c, dict)]
    pred_cits = [c for c in pred.get("citations") or [] if isinstance(c, dict)]
    gsym = [normalize_symbol(c.get("symbol")) for c in gold_cits]
    psym = [normalize_symbol(c.get("symbol")) for c in pred_cits]
    gcount, pcount = Counter(gsym), Counter(psym)
    res["cit_tp"] = sum(min(n, pcount[k]) for k, n in gcount.items())
    res["cit_pred"], res["cit_gold"] = len(psym), len(gsym)
    gset, pset = set(gsym), set(psym)
    res["uniq_tp"], res["uniq_pred"], res["uniq_gold"] = len(gset & pset), len(pset), len(gset)
    res["missed"] = sorted((gcount - pcount).elements(), key=_sort_key)
    res["extra"] = sorted((pcount - gcount).elements(), key=_sort_key)

    # every field on the mentions aligned by symbol: right where gold states it, and false
    # where gold has none but the output gives one
    fields = {name: {"ok": 0, "n": 0, "false": 0} for name, _pk, _eq in CITATION_FIELDS}
    field_misses: list[dict] = []
    matcher = difflib.SequenceMatcher(a=gsym, b=psym, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            g, p = gold_cits[block.a + k], pred_cits[block.b + k]
            for name, pred_key, same in CITATION_FIELDS:
                want, got = g.get(name), p.get(pred_key)
                if want:
                    fields[name]["n"] += 1
                    if same(want, got):
                        fields[name]["ok"] += 1
                        continue
                elif got:
                    fields[name]["false"] += 1
                else:
                    continue
                field_misses.append(
                    {
                        "field": name,
                        "index": block.a + k,
                        "symbol": g.get("symbol"),
                        "gold": want,
                        "pred": got,
                    }
                )
    res["fields"], res["field_misses"] = fields, field_misses
    res.update(
        date_ok=fields["date"]["ok"],
        date_n=fields["date"]["n"],
        iss_ok=fields["issuer"]["ok"],
        iss_n=fields["issuer"]["n"],
    )

    # sections
    gsec = _section_map(gold.get("sections"))
    psec = _section_map(pred.get("sections"))
    res["sec_tp"] = len(gsec.keys() & psec.keys())
    res["sec_pred"], res["sec_gold"] = len(psec), len(gsec)
    title_ok = title_n = 0
    title_misses: list[dict] = []
    for path, title in gsec.items():
        if not title:
            continue
        title_n += 1
        if title_matches(title, psec.get(path)):
            title_ok += 1
        else:
            title_misses.append({"path": path, "gold": title, "pred": psec.get(path)})
    res.update(title_ok=title_ok, title_n=title_n, title_misses=title_misses)
    res["sec_missed"] = sorted(gsec.keys() - psec.keys())
    res["sec_extra"] = sorted(psec.keys() - gsec.keys())

    # metadata
    gm = gold.get("metadata") or {}
    pm = pred.get("metadata") or {}
    if not isinstance(pm, dict):
        pm = {}
    signer = pm.get("signer")
    signer_name = signer.get("name") if isinstance(signer, dict) else signer
    checks: dict[str, tuple[bool, Any, Any]] = {
        "doc_type": (
            normalize_text(gm.get("doc_type")) == normalize_text(pm.get("doc_type")),
            gm.get("doc_type"),
            pm.get("doc_type"),
        ),
        "symbol": (
            normalize_symbol(gm.get("symbol")) == normalize_symbol(pm.get("symbol")),
            gm.get("symbol"),
            pm.get("symbol"),
        ),
        "date": (gm.get("date") == pm.get("date"), gm.get("date"), pm.get("date")),
        "signer": (
            normalize_text(gm.get("signer")) == normalize_text(signer_name),
            gm.get("signer"),
            signer_name,
        ),
    }
    if gm.get("place"):
        checks["place"] = (
            normalize_text(gm["place"]) == normalize_text(pm.get("place")),
            gm["place"],
            pm.get("place"),
        )
    if "recipients" in gm:
        n = _count_recipients(pm.get("recipients"))
        checks["recipients"] = (n == gm["recipients"], gm["recipients"], n)
    if not pred:  # no output at all: nothing is right
        checks = {k: (False, g, None) for k, (_, g, _p) in checks.items()}
    res["meta_fields"] = {k: ok for k, (ok, _g, _p) in checks.items()}
    res["meta_ok"] = sum(res["meta_fields"].values())
    res["meta_n"] = len(checks)
    res["meta_fail"] = [k for k, (ok, _g, _p) in checks.items() if not ok]
    res["meta_misses"] = [
        {"field": k, "gold": g, "pred": p} for k, (ok, g, p) in checks.items() if not ok
    ]
    # the document's issuer, scored as a citation's is (not part of the official metadata
    # score, which leaves it out): None where gold names none
    res["issuer_ok"] = (
        bool(pred) and issuer_matches(gm["issuer"], pm.get("issuer")) if gm.get("issuer") else None
    )
    if res["issuer_ok"] is False:
        res["meta_misses"].append(
            {"field": "issuer", "gold": gm["issuer"], "pred": pm.get("issuer")}
        )
    # the signer's title and authority, which the official score leaves out too: None where
    # gold gives no such field (null is a value: "no authority line")
    signed = signer if isinstance(signer, dict) else {}
    res["signature_ok"] = {}
    for field, got in (
        ("signer_title", signed.get("title")),
        ("authority", signed.get("authority")),
    ):
        if field not in gm:
            continue
        ok = bool(pred) and normalize_text(gm[field]) == normalize_text(got)
        res["signature_ok"][field] = ok
        if not ok:
            res["meta_misses"].append({"field": field, "gold": gm[field], "pred": got})
    return res


# --------------------------------------------------------------------- batch
_SUMMED = (
    "cit_tp",
    "cit_pred",
    "cit_gold",
    "uniq_tp",
    "uniq_pred",
    "uniq_gold",
    "date_ok",
    "date_n",
    "iss_ok",
    "iss_n",
    "sec_tp",
    "sec_pred",
    "sec_gold",
    "title_ok",
    "title_n",
    "meta_ok",
    "meta_n",
)


def _load_json(path: Path) -> tuple[Optional[Any], Optional[str]]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _ratio(ok: int, n: int) -> float:
    return round(ok / max(1, n), 4)


class GoldError(ValueError):
    """The gold folder gives nothing to score: no gold file, or one that cannot be read."""


def evaluate(gold_dir: Path, out_dir: Path) -> dict:
    """Score every gold file in ``gold_dir`` against ``out_dir``.

    Returns ``{"summary": {...}, "documents": {stem: {...}}}``. Summary figures
    are rounded to 4 places like the official scorer; accuracies over an empty
    set are 0.0 there too, so the raw counts are reported alongside
    (``summary["counts"]``). Raises FileNotFoundError when ``gold_dir`` is not
    a folder, GoldError when it holds no gold file or an unreadable one (a score over
    nothing would read as perfect); a missing ``out_dir`` just means every output is missing.
    """
    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    documents: dict[str, dict] = {}
    totals = dict.fromkeys(_SUMMED, 0)
    cit_fields = {name: Counter() for name, _pk, _eq in CITATION_FIELDS}
    field_ok: Counter = Counter()
    field_n: Counter = Counter()
    issuers: Counter = Counter()  # document issuers right (True) and wrong (False)
    signature: dict[str, Counter] = {"signer_title": Counter(), "authority": Counter()}
    missing: list[str] = []
    unreadable: dict[str, str] = {}

    for gold_file in sorted(gold_dir.glob("*.json")):
        gold, err = _load_json(gold_file)
        if not isinstance(gold, dict):
            raise GoldError(f"unreadable gold file {gold_file}: {err or 'not an object'}")
        pred_file = out_dir / gold_file.name
        pred: dict = {}
        found = pred_file.is_file()
        if found:
            loaded, err = _load_json(pred_file)
            if isinstance(loaded, dict):
                pred = loaded
            else:
                unreadable[gold_file.stem] = err or "not a JSON object"
        else:
            missing.append(gold_file.stem)
        res = score_document(gold, pred)
        res["output_found"] = found
        if gold_file.stem in unreadable:
            res["error"] = unreadable[gold_file.stem]
        documents[gold_file.stem] = res
        for key in _SUMMED:
            totals[key] += res[key]
        for name, counts in res["fields"].items():
            cit_fields[name].update(counts)
        for name, ok in res["meta_fields"].items():
            field_n[name] += 1
            field_ok[name] += ok
        if res["issuer_ok"] is not None:
            issuers[res["issuer_ok"]] += 1
        for field, ok in res["signature_ok"].items():
            signature[field][ok] += 1

    if not documents:
        raise GoldError(f"no gold files (<stem>.json) in {gold_dir}: nothing to score")
    gold_stems = set(documents)
    without_gold = (
        sorted(
            p.stem
            for p in out_dir.glob("*.json")
            if p.name not in (GRAPH, MANIFEST) and p.stem not in gold_stems
        )
        if out_dir.is_dir()
        else []
    )

    cp, cr, cf = prf(totals["cit_tp"], totals["cit_pred"], totals["cit_gold"])
    _up, _ur, uf = prf(totals["uniq_tp"], totals["uniq_pred"], totals["uniq_gold"])
    sp, sr, sf = prf(totals["sec_tp"], totals["sec_pred"], totals["sec_gold"])
    summary = {
        "documents": len(documents),
        "outputs_found": sum(1 for r in documents.values() if r["output_found"]),
        "citation_mention_P": round(cp, 4),
        "citation_mention_R": round(cr, 4),
        "citation_mention_F1": round(cf, 4),
        "citation_unique_F1": round(uf, 4),
        "citation_date_acc": _ratio(totals["date_ok"], totals["date_n"]),
        "citation_issuer_acc": _ratio(totals["iss_ok"], totals["iss_n"]),
        "citation_fields": {
            name: {"ok": c["ok"], "n": c["n"], "false": c["false"], "acc": _ratio(c["ok"], c["n"])}
            for name, c in cit_fields.items()
        },
        "section_P": round(sp, 4),
        "section_R": round(sr, 4),
        "section_F1": round(sf, 4),
        "section_title_acc": _ratio(totals["title_ok"], totals["title_n"]),
        "metadata_acc": _ratio(totals["meta_ok"], totals["meta_n"]),
        "metadata_fields": {
            name: {
                "ok": field_ok[name],
                "n": field_n[name],
                "acc": _ratio(field_ok[name], field_n[name]),
            }
            for name in META_FIELDS
            if field_n[name]
        },
        "document_issuer": {
            "ok": issuers[True],
            "n": issuers[True] + issuers[False],
            "acc": _ratio(issuers[True], issuers[True] + issuers[False]),
        },
        "signature_fields": {
            field: {
                "ok": c[True],
                "n": c[True] + c[False],
                "acc": _ratio(c[True], c[True] + c[False]),
            }
            for field, c in signature.items()
            if c
        },
        "counts": totals,
        "missing_outputs": missing,
        "unreadable_outputs": unreadable,
        "outputs_without_gold": without_gold,
    }
    return {"summary": summary, "documents": documents}


# -------------------------------------------------------------------- report
def _short(values: list, limit: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f", … (+{len(values) - limit})" if len(values) > limit else "")


def format_report(result: dict) -> str:
    """Plain-text report: one line per document, the summary, then the misses."""
    docs: dict[str, dict] = result.get("documents", {})
    summary: dict = result.get("summary", {})
    lines: list[str] = []
    width = max([len("document")] + [len(s) for s in docs])
    header = (
        f"{'document':<{width}}  {'cit tp/gold/pred':>16}  {'date':>7}  {'issuer':>7}  "
        f"{'sec tp/gold/pred':>16}  {'title':>7}  {'meta':>5}"
    )
    lines += [header, "-" * len(header)]
    for stem, r in docs.items():
        mark = "" if r.get("output_found") else "  [no output]"
        if r.get("error"):
            mark = "  [unreadable output]"
        lines.append(
            f"{stem:<{width}}  {r['cit_tp']:>4}/{r['cit_gold']:>4}/{r['cit_pred']:>4}     "
            f"{r['date_ok']:>3}/{r['date_n']:<3}  {r['iss_ok']:>3}/{r['iss_n']:<3}  "
            f"{r['sec_tp']:>4}/{r['sec_gold']:>4}/{r['sec_pred']:>4}     "
            f"{r['title_ok']:>3}/{r['title_n']:<3}  {r['meta_ok']:>2}/{r['meta_n']:<2}{mark}"
        )
    counts = summary.get("counts", {})
    lines += ["", "Summary"]
    lines.append(
        f"  documents            {summary.get('documents', 0)} "
        f"(outputs found {summary.get('outputs_found', 0)})"
    )
    lines.append(
        f"  citation mentions    P {summary.get('citation_mention_P', 0):.4f}  "
        f"R {summary.get('citation_mention_R', 0):.4f}  "
        f"F1 {summary.get('citation_mention_F1', 0):.4f}"
    )
    lines.append(f"  citation unique      F1 {summary.get('citation_unique_F1', 0):.4f}")
    lines.append(
        f"  citation date acc    {summary.get('citation_date_acc', 0):.4f} "
        f"({counts.get('date_ok', 0)}/{counts.get('date_n', 0)})"
    )
    lines.append(
        f"  citation issuer acc  {summary.get('citation_issuer_acc', 0):.4f} "
        f"({counts.get('iss_ok', 0)}/{counts.get('iss_n', 0)})"
    )
    for name, f in summary.get("citation_fields", {}).items():
        lines.append(
            f"    {name:<18} {f['acc']:.4f} ({f['ok']}/{f['n']}), "
            f"given where gold has none: {f['false']}"
        )
    lines.append(
        f"  sections             P {summary.get('section_P', 0):.4f}  "
        f"R {summary.get('section_R', 0):.4f}  F1 {summary.get('section_F1', 0):.4f}"
    )
    lines.append(
        f"  section title acc    {summary.get('section_title_acc', 0):.4f} "
        f"({counts.get('title_ok', 0)}/{counts.get('title_n', 0)})"
    )
    lines.append(
        f"  metadata acc         {summary.get('metadata_acc', 0):.4f} "
        f"({counts.get('meta_ok', 0)}/{counts.get('meta_n', 0)})"
    )
    for name, f in summary.get("metadata_fields", {}).items():
        lines.append(f"    {name:<18} {f['acc']:.4f} ({f['ok']}/{f['n']})")
    if issuer := summary.get("document_issuer"):
        lines.append(
            f"  document issuer      {issuer['acc']:.4f} ({issuer['ok']}/{issuer['n']}; "
            "not in the metadata score)"
        )
    for name, f in summary.get("signature_fields", {}).items():
        lines.append(
            f"    {name:<18} {f['acc']:.4f} ({f['ok']}/{f['n']}; not in the metadata score)"
        )
    if summary.get("missing_outputs"):
        lines.append(f"  missing outputs      {_short(summary['missing_outputs'], 20)}")
    for stem, err in summary.get("unreadable_outputs", {}).items():
        lines.append(f"  unreadable output    {stem}: {err}")
    if summary.get("outputs_without_gold"):
        lines.append(f"  outputs without gold {_short(summary['outputs_without_gold'], 20)}")

    miss_lines: list[str] = []
    for stem, r in docs.items():
        items: list[str] = []
        for key, label in (("missed", "missed citations"), ("extra", "extra citations")):
            if r[key]:  # every one: a researcher checks each
                items.append(f"  {label}: {', '.join(str(v) for v in r[key])}")
        for m in r["field_misses"]:
            items.append(
                f"  {m['field']} #{m['index']} {m['symbol']}: "
                f"gold {m['gold']!r} / pred {m['pred']!r}"
            )
        for key, label in (("sec_missed", "missed sections"), ("sec_extra", "extra sections")):
            if r[key]:
                items.append(f"  {label}: {', '.join(r[key])}")
        for key, name, field in (
            ("title_misses", "title", "path"),
            ("meta_misses", "metadata", "field"),
        ):
            for m in r[key]:
                items.append(f"  {name} {m[field]}: gold {m['gold']!r} / pred {m['pred']!r}")
        if items:
            miss_lines.append(stem)
            miss_lines += items
    if miss_lines:
        lines += ["", "Misses"] + miss_lines
    return "\n".join(lines) + "\n"
