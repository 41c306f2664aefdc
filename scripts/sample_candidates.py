#!/usr/bin/env python3
"""Draw candidate numeric mentions from the UNANNOTATED pool documents.

The output is the unlabelled candidate list used to build
``corpus/targets/candidates.jsonl`` (labels are added by hand, see
``corpus/targets/GUIDE.md``).  Only ``corpus/pool`` is read; ``corpus/dev`` is
kept for evaluation and is never sampled.

Usage::

    .venv/bin/python scripts/sample_candidates.py \
        --pool ../shared/corpus/pool --out corpus/targets/candidates.unlabelled.jsonl \
        --n 700 --seed 20240611

Pipeline
--------
1. clean(): html.unescape, strip HTML tags (block tags -> newline), drop
   markdown emphasis (``**``/``*``), NFC, collapse spaces, and re-join
   hard-wrapped lines (a line that does not end in sentence punctuation and is
   followed by a line starting with a lower-case letter is joined with one
   space -- several thuvienphapluat files wrap every ~70 characters).
2. sentences(): split on newlines, then on ``. ; ? !`` followed by a space and
   a capital letter or a list marker (``-``, ``+``, ``•``, ``a)``, ``2.``).
   Decimal commas/dots are never split because a split needs a space.
3. candidates(): ``\\d+(?:[.,]\\d+)*`` optionally followed by ``%``/`` %``,
   not glued to letters (``4G``, ``COVID-19``), excluding dates, years,
   document codes, phone numbers and URLs.
4. Sampling: every candidate gets a weight (x4 when its sentence carries a
   target cue, x2 when the number is a percentage); a weighted random key
   (Efraimidis-Spirakis, ``random.Random(seed)``) orders the candidates; at
   most ``--per-doc`` (25) per document and ``--per-sentence`` (3) per
   sentence are kept, then the global top ``--n`` by key.  Deterministic for a
   fixed seed.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import unicodedata
from pathlib import Path

import regex as re

BLOCK_TAGS = re.compile(r"(?i)<\s*(?:br|/p|p|/div|div|/li|li|/h\d|h\d|/tr|tr|/td|/th|/table|/ul|/ol)\b[^>]*>")
ANY_TAG = re.compile(r"<[^<>]{0,2000}>")
TAG_HINT = re.compile(r"(?i)<\s*/?\s*(?:p|div|br|span|strong|em|a|table|td|tr|li|ul|h\d|img)\b")


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if TAG_HINT.search(text):
        text = BLOCK_TAGS.sub("\n", text)
        text = ANY_TAG.sub("", text)
    text = html.unescape(html.unescape(text))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = text.replace("**", "")
    text = re.sub(r"(?m)(^|\s)\*(?=\S)|(?<=\S)\*(?=\s|$)", r"\1", text)
    text = re.sub(r"[ \t]+", " ", text)
    lines = [ln.strip() for ln in text.split("\n")]
    # re-join hard-wrapped lines
    out: list[str] = []
    for ln in lines:
        if (out and out[-1] and ln and not re.search(r"[.;:!?|]$", out[-1])
                and re.match(r"[\p{Ll}(]", ln)):
            out[-1] = out[-1] + " " + ln
        else:
            out.append(ln)
    return "\n".join(out)


SENT_SPLIT = re.compile(r"(?<=[.;?!…])\s+(?=\p{Lu}|[-+•–]\s|\p{Ll}\)\s|\d+[.)]\s)")


def sentences(text: str):
    for ln in text.split("\n"):
        ln = ln.strip()
        if not ln:
            continue
        for s in SENT_SPLIT.split(ln):
            s = s.strip()
            if s:
                yield s


NUM = re.compile(r"(?<![\p{L}\d.,/_])(?<!\p{L}[-–])(?<!\p{L}[-–] )\d+(?:[.,]\d+)*(?:\s?%)?(?![\p{L}\d])")
# spans that must not yield candidates
EXCLUDE = [
    re.compile(r"https?://\S+|www\.\S+|\b[\w.-]+\.(?:vn|com|net|org|gov)(?:/\S*)?\b|\S+@\S+"),
    # phone numbers
    re.compile(r"(?:\+84|\(?0\d{1,3}\)?)[\s.]?\d{3,4}[\s.]?\d{3,4}\b"),
    # document codes: 18-CT/TU, 28/2018/QĐ-TTg, 26/NQ-CP, 123/BNV-VP, số 05/2017
    re.compile(r"\d+(?:/\d{4})?\s?[-/]\s?\p{Lu}[\p{L}\d]*(?:\s?[-/]\s?[\p{L}\d]+)*"),
    re.compile(r"\d+/\d{4}/[\p{L}\d-]+"),
    # full dates
    re.compile(r"\b\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}\b"),
    re.compile(r"(?i)ngày\s+\d{1,2}(?:\s?[/.-]\s?\d{1,2})?(?:\s?[/.-]\s?\d{2,4})?"),
    re.compile(r"(?i)(?:ngày\s+\d{1,2}\s+)?tháng\s+\d{1,2}(?:\s*(?:,\s*)?năm\s+\d{4})?"),
    re.compile(r"(?i)\b(?:tháng|quý)\s+\d{1,2}\s?/\s?\d{4}"),
    re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:19|20)\d\d\b"),
    # years: 19xx/20xx not followed by % (năm 2020, giai đoạn 2021-2025, 2020)
    re.compile(r"\b(?:19|20)\d\d\b(?!\s?%|[.,]\d)"),
    # dd/mm when it looks like a date (both parts plausible)
    re.compile(r"(?i)(?<=ngày |Ngày |hôm |đến |từ )\d{1,2}/\d{1,2}\b"),
]
CUES = re.compile(r"(?i)đến năm|phấn đấu|mục tiêu|chỉ tiêu|đạt|trở lên|ít nhất|tối thiểu|%|đến hết|giai đoạn")


def candidates(sent: str):
    bad = []
    for rx in EXCLUDE:
        bad += [m.span() for m in rx.finditer(sent)]
    for m in NUM.finditer(sent):
        s, e = m.span()
        if any(bs < e and s < be for bs, be in bad):
            continue
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 9 and not m.group().endswith("%") and "." not in m.group():
            continue  # long digit runs: ids/phones
        yield s, e


def doc_candidates(path: Path):
    text = clean(path.read_text(encoding="utf-8", errors="replace"))
    seen = set()
    for sent in sentences(text):
        if sent in seen:          # headline repeated in the body: keep first
            continue
        seen.add(sent)
        if len(sent) > 450 or len(sent) < 15:
            continue
        for s, e in candidates(sent):
            yield sent, s, e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", default="../shared/corpus/pool")
    ap.add_argument("--out", default="corpus/targets/candidates.unlabelled.jsonl")
    ap.add_argument("--n", type=int, default=700)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--per-doc", type=int, default=25)
    ap.add_argument("--per-sentence", type=int, default=3)
    ap.add_argument("--cue-weight", type=float, default=4.0)
    args = ap.parse_args(argv)

    pool = Path(args.pool)
    if "dev" in pool.resolve().parts:
        raise SystemExit("refusing to sample from corpus/dev")
    rng = random.Random(args.seed)
    chosen = []
    for path in sorted(pool.glob("*.txt")):
        cands = []
        for idx, (sent, s, e) in enumerate(doc_candidates(path)):
            w = 1.0
            if CUES.search(sent):
                w *= args.cue_weight
            if sent[s:e].endswith("%"):
                w *= 2.0
            key = rng.random() ** (1.0 / w)
            cands.append((key, path.name, sent, s, e, idx))
        cands.sort(key=lambda c: -c[0])
        per_sent: dict[str, int] = {}
        kept = []
        for c in cands:
            sent_, s_, e_ = c[2], c[3], c[4]
            if re.match(r"[.,]\d", sent_[e_:e_ + 2]):
                continue  # cut-off number such as the "0" of "0,5km" (key drawn anyway: keeps the RNG stream stable)
            if per_sent.get(c[2], 0) >= args.per_sentence:
                continue
            per_sent[c[2]] = per_sent.get(c[2], 0) + 1
            kept.append(c)
            if len(kept) >= args.per_doc:
                break
        chosen += kept
    chosen.sort(key=lambda c: -c[0])
    chosen = chosen[: args.n]
    # stable order: by source, then position of first appearance
    chosen.sort(key=lambda c: (c[1], c[5]))
    counters: dict[str, int] = {}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for _, src, sent, s, e, _idx in chosen:
            counters[src] = counters.get(src, 0) + 1
            rec = {"id": f"{src}#{counters[src]}", "source": src, "sentence": sent,
                   "start": s, "end": e, "mention": sent[s:e]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} candidates from {len(counters)} documents to {out}")


if __name__ == "__main__":
    main()
