"""Misses of an extraction against gold, counted by class — a developer's tool, not a test.

    python scripts/miss_table.py --gold ../shared/corpus/dev --pred out.jsonl [--examples 3] [--only a,b]

Every change to targets, lists, titles and places is judged on these counts over many documents,
never on one sentence. Matching follows the record contract (docs of the scorer in
``../shared/spec/output-format.md``): text folded (NFC, lower case, tone marks dropped), targets
paired by value, percent-or-not and year, list items by token F1 ≥ 0.5.

Target classes (gold side): ``found``, ``no year`` (the value was found without a year),
``wrong year``, ``not found``; of the found ones, ``weak indicator`` (token F1 < 0.5) and
``comparator``. Extra targets (predicted side): ``duplicate``, ``result taken as target`` (its
sentence reads as a report of what happened: "đã", "đạt được", "ước", "tăng so với", "thời gian
qua"…), ``wrong year`` (a gold target with that value exists), ``other extra``. Lists: per kind,
``list missed`` (gold items, none predicted), ``items missed``, ``items extra``, ``kind swapped``
(an item predicted under the other kind). Titles (token F1 < 0.8) and places: wrong / missed / extra.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_RESULT_CUES = re.compile(
    r"\b(?:da|dat duoc|uoc dat|uoc tinh|tang so voi|giam so voi|so voi cung ky|thoi gian qua|nam qua|"
    r"vua qua|den nay|hien nay|hien co|tinh den|ket qua|duoc)\b")


def fold(text) -> str:
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).lower())
    kept = "".join(c for c in decomposed if c not in _TONES)
    return " ".join(unicodedata.normalize("NFC", kept).split())


def _plain(text) -> str:
    """Folded and without any diacritic (for cue matching)."""
    decomposed = unicodedata.normalize("NFD", fold(text)).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text) -> list[str]:
    return re.findall(r"\w+", fold(text))


def token_f1(a, b) -> float:
    ta, tb = words(a), words(b)
    if not ta and not tb:
        return 1.0
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def _number(v):
    try:
        return float(str(v).replace(",", "."))
    except (TypeError, ValueError):
        return None


def _pct(unit) -> bool:
    return str(unit or "").strip() in {"%", "phần trăm", "percent"}


def _year(v):
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _same_value(g, p) -> bool:
    gv, pv = _number(g.get("value")), _number(p.get("value"))
    return (gv is not None and pv is not None and abs(gv - pv) <= 1e-6 * max(1.0, abs(gv))
            and _pct(g.get("unit")) == _pct(p.get("unit")))


def _pairs(gold, pred, ok, score):
    """One-to-one pairs (gold index, pred index), best score first."""
    scored = sorted(((score(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if ok(g, p)),
                    key=lambda x: -x[0])
    used_g, used_p, out = set(), set(), {}
    for s, gi, pi in scored:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi), used_p.add(pi)
            out[gi] = pi
    return out


def target_classes(gold: list, pred: list, counts: Counter, examples: dict, source: str) -> None:
    def indicator(g, p):
        return token_f1(g.get("indicator"), p.get("indicator"))

    full = _pairs(gold, pred, lambda g, p: _same_value(g, p) and (
        _year(g.get("year")) is None or _year(g.get("year")) == _year(p.get("year"))), indicator)
    left_pred = [i for i in range(len(pred)) if i not in full.values()]
    left_gold = [i for i in range(len(gold)) if i not in full]
    by_value = _pairs([gold[i] for i in left_gold], [pred[i] for i in left_pred], _same_value, indicator)
    valued = {left_gold[g]: left_pred[p] for g, p in by_value.items()}

    def note(cls, item, detail=""):
        counts[cls] += 1
        examples[cls].append(f"{source}: {item.get('value')}{item.get('unit') or ''} "
                             f"{item.get('year')} {str(item.get('indicator'))[:70]!r}{detail}")

    for gi, g in enumerate(gold):
        if gi in full:
            p = pred[full[gi]]
            note("targets: found", g)
            if indicator(g, p) < 0.5:
                note("targets: found, weak indicator", g, f" got {str(p.get('indicator'))[:60]!r}")
            if (g.get("comparator") or "=") != (p.get("comparator") or "="):
                note("targets: found, comparator", g, f" {g.get('comparator')} got {p.get('comparator')}")
        elif gi in valued:
            p = pred[valued[gi]]
            note("targets: no year" if p.get("year") is None else "targets: wrong year", g,
                 f" got year {p.get('year')}")
        else:
            note("targets: not found", g)
    paired = set(full.values()) | set(valued.values())
    seen = Counter()
    for pi, p in enumerate(pred):
        key = (p.get("value"), p.get("unit"), p.get("year"), fold(p.get("indicator")))
        seen[key] += 1
        if pi in paired:
            continue
        if seen[key] > 1:
            note("extra: duplicate", p)
        elif _RESULT_CUES.search(_plain(p.get("sentence") or "")):
            note("extra: result taken as target", p, f" | {str(p.get('sentence'))[:90]!r}")
        else:
            note("extra: other", p, f" | {str(p.get('sentence'))[:90]!r}")


def list_classes(kind: str, gold, pred, other_pred, counts: Counter, examples: dict, source: str) -> None:
    if gold is None:
        return
    pred = pred or []
    counts[f"{kind}: gold items"] += len(gold)
    if gold and not pred:
        counts[f"{kind}: list missed"] += 1
        counts[f"{kind}: items in missed lists"] += len(gold)
        swapped = _pairs(gold, other_pred or [], lambda g, p: token_f1(g, p) >= 0.5, token_f1)
        counts[f"{kind}: kind swapped"] += len(swapped)
        examples[f"{kind}: list missed"].append(f"{source}: {len(gold)} items, first {gold[0][:70]!r}")
        return
    matched = _pairs(gold, pred, lambda g, p: token_f1(g, p) >= 0.5, token_f1)
    counts[f"{kind}: items found"] += len(matched)
    if len(gold) - len(matched):
        counts[f"{kind}: items missed"] += len(gold) - len(matched)
        examples[f"{kind}: items missed"].append(f"{source}: {len(gold) - len(matched)} of {len(gold)}")
    extra = len(pred) - len(matched)
    if extra:
        counts[f"{kind}: items extra"] += extra
        unmatched = [p for i, p in enumerate(pred) if i not in matched.values()]
        examples[f"{kind}: items extra"].append(f"{source}: {unmatched[0][:70]!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", required=True, type=Path, help="directory of *.gold.json")
    parser.add_argument("--pred", required=True, type=Path, help="records, one JSON object per line")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per class")
    parser.add_argument("--only", default="", help="comma-separated sources (file names) to count")
    args = parser.parse_args(argv)
    records = {}
    with args.pred.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records[record.get("source")] = record
    only = {s for s in args.only.split(",") if s}
    counts: Counter = Counter()
    examples: dict = defaultdict(list)
    for gold_path in sorted(args.gold.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        source = gold.get("source") or gold_path.name.replace(".gold.json", ".txt")
        if only and source not in only:
            continue
        pred = records.get(source, {})
        counts["documents"] += 1
        target_classes(gold.get("targets") or [], pred.get("targets") or [], counts, examples, source)
        list_classes("objectives", gold.get("objectives"), pred.get("objectives"), pred.get("solutions"),
                     counts, examples, source)
        list_classes("solutions", gold.get("solutions"), pred.get("solutions"), pred.get("objectives"),
                     counts, examples, source)
        if "title" in gold and token_f1(gold.get("title"), pred.get("title")) < 0.8:  # the scorer's bar
            counts["title: wrong"] += 1
            examples["title: wrong"].append(f"{source}: {str(pred.get('title'))[:60]!r} for {str(gold.get('title'))[:60]!r}")
        gold_places = {(fold(p.get("name")), p.get("level")) for p in gold.get("places") or []}
        pred_places = {(fold(p.get("name")), p.get("level")) for p in pred.get("places") or []}
        for cls, diff in (("places: missed", gold_places - pred_places), ("places: extra", pred_places - gold_places)):
            counts[cls] += len(diff)
            examples[cls].extend(f"{source}: {name} ({level})" for name, level in sorted(diff))
    width = max(len(k) for k in counts) if counts else 10
    for key in sorted(counts):
        print(f"{key:<{width}}  {counts[key]:>5}")
        for example in examples.get(key, [])[:args.examples]:
            print(f"{'':<{width}}    {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
