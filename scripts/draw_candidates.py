"""Draw numeric candidates for labelling from real documents, as the pipeline sees them.

    python scripts/draw_candidates.py DIR [DIR ...] --out corpus/targets/batch.unlabelled.jsonl
        [--per-doc 12] [--seed 20261205] [--exclude ../shared/corpus/dev]

Every document is read and built into the document model as ``miner extract`` does; the numbers
are the target finder's own candidates (codes and dates already excluded). Each row carries what
a labeller and the model need and nothing that depends on this checkout's files: the sentence and
the number's offsets in it, the headings that govern it (innermost first), the document's title
and kind, and the current model's probability (to spread the sample over sure and unsure numbers).
Documents in ``--exclude`` directories (the dev set) are skipped, so evaluation stays clean.

Sampling per document is deterministic for a seed: up to ``--per-doc`` candidates, half of them
from the numbers the current model would keep or nearly keep (probability ≥ 0.3), the rest drawn
from the others, at most 3 per sentence.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

from miner import reading
from miner.document.model import build
from miner.finders import classifier
from miner.finders.identity import find_identity
from miner.finders.references import find_mentions
from miner.finders.targets import candidates
from miner.finders.title import find_title


def _rows(path: Path) -> list[dict]:
    source = reading.read_path(str(path))
    if isinstance(source, reading.LargeSource):
        return []
    doc = build(source.text)
    text = doc.text
    title = find_title(doc)
    identity = find_identity(doc)
    kind = identity.metadata.kind if identity and identity.metadata else None
    cands = candidates(text, [(m.start, m.end) for m in find_mentions(text)])
    classifier.load().score(text, cands)
    rows = []
    for cand in cands:
        s = cand.sentence
        sentence = text[s.start:s.end]
        heads = [" ".join(b.content(text).split())[:200] for b in doc.headings_over(cand.start)][:4]
        rows.append({
            "source": path.name,
            "sentence": sentence,
            "start": cand.start - s.start,
            "end": cand.end - s.start,
            "mention": text[cand.start:cand.end],
            "headings": heads,
            "title": title,
            "doc_kind": kind,
            "model_p": round(cand.probability, 3),
        })
    return rows


def _sample(rows: list[dict], per_doc: int, rng: random.Random) -> list[dict]:
    likely = [r for r in rows if r["model_p"] >= 0.3]
    others = [r for r in rows if r["model_p"] < 0.3]
    rng.shuffle(likely)
    rng.shuffle(others)
    chosen, per_sentence = [], {}
    for pool, quota in ((likely, per_doc // 2), (others, per_doc)):
        for r in pool:
            if len(chosen) >= quota:
                break
            if per_sentence.get(r["sentence"], 0) >= 3:
                continue
            per_sentence[r["sentence"]] = per_sentence.get(r["sentence"], 0) + 1
            chosen.append(r)
    return sorted(chosen, key=lambda r: (r["sentence"], r["start"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--per-doc", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--exclude", action="append", type=Path, default=[])
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists: not overwritten", file=sys.stderr)
        return 2
    excluded = {p.name for d in args.exclude for p in d.glob("*.txt")}
    paths = sorted({p for d in args.dirs for p in d.glob("*.txt") if p.name not in excluded}, key=lambda p: p.name)
    written, documents = 0, 0
    with args.out.open("w", encoding="utf-8") as handle:
        for path in paths:
            try:
                rows = _rows(path)
            except reading.IngestError as exc:
                print(f"skipped {path.name}: {exc}", file=sys.stderr)
                continue
            seed = int(hashlib.sha256(f"{args.seed}:{path.name}".encode()).hexdigest()[:12], 16)
            chosen = _sample(rows, args.per_doc, random.Random(seed))
            for n, row in enumerate(chosen, 1):
                row = {"id": f"{path.name}#{n}", **row}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += len(chosen)
            documents += bool(chosen)
    print(f"{written} candidates from {documents} documents -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
