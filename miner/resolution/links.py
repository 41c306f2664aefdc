"""Implementation links: which cited directive carries out which, as a document states it.

The rule (also in docs/schema.md, "Implementation links") — a link CHILD → PARENT
("CHILD implements PARENT") is stored in ``directive_links`` when one document says so:

* ``self``: the document is a full text whose own number (its self-reference) is CHILD,
  and it implements PARENT (the citation's relation, ``miner.finders.relations``: "Thực
  hiện Nghị quyết số …"), PARENT's issuer at a higher level (central > province > district
  > commune) or at the same level with an earlier year. What its "Căn cứ" preamble names is
  its legal basis, not what it carries out.
* ``text``: in one sentence, a mention of CHILD is followed within 60 characters by an
  implementing word (``thực hiện``, ``triển khai``, ``quán triệt``, ``cụ thể hóa``,
  ``thi hành``), and PARENT is mentioned after that word, before the next such word and
  within 250 characters: "ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị
  số 18-CT/TU", "Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết số 36-NQ/TW".
  CHILD must not be of a higher level than PARENT (the sentence itself says the rest).
  Years are those the document cites (so the link does not depend on the order in
  which documents were stored).
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Any, Mapping, Optional

import regex

from miner.folding import fold_ascii, fold_map
from miner.records import Link, Reference
from miner.snippets import make_snippet

LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}
_UNKNOWN_RANK = 4
VERB_GAP = 60  # characters between the child's mention and the implementing word
PARENT_REACH = 250  # characters after the word in which parents are looked for
@lru_cache(maxsize=1)
def _verbs() -> regex.Pattern:
    """The implementing words (the "implements" cues of ``rules/relation_cues.jsonl``), matched on a
    text folded to ASCII, as a text without diacritics writes them too."""
    from miner import rulebook

    patterns = [r["pattern"] for r in rulebook.read_jsonl("relation_cues.jsonl") if r["relation"] == "implements"]
    return regex.compile(r"\b(?:" + "|".join(fold_ascii(p) for p in patterns) + r")\b")
_SENTENCE_END = regex.compile(r"[.!?](?=\s)|\n")


def _rank(level: Optional[str]) -> int:
    return LEVEL_RANK.get(level or "", _UNKNOWN_RANK)


def _year(row) -> Optional[int]:
    try:
        return row["year"] if row is not None else None
    except (KeyError, IndexError):
        return None


def _may_implement(child_row, parent_row, strict_level: bool) -> bool:
    rc, rp = _rank(child_row["level"] if child_row else None), _rank(parent_row["level"] if parent_row else None)
    yc, yp = _year(child_row), _year(parent_row)
    if strict_level and yc and yp and yc < yp:
        return False
    if strict_level:  # self rule: higher level, or same level and earlier
        return rp < rc or (rp == rc and rc != _UNKNOWN_RANK and bool(yc and yp and yp < yc))
    return rc >= rp


def find_links(text: str, spans: Mapping[Any, list], self_ids: set, info: Mapping[Any, Any],
               implemented: Optional[set] = None) -> list[tuple[Any, Any, str, str]]:
    """(child, parent, rule, evidence) for the links a document's text states.

    `spans` maps each cited directive (an id or a code) to the character spans of its mentions in
    `text`; `self_ids` are the document's own numbers; `info[key]` gives ``level`` and ``year``;
    `implemented` (when given) are the directives the document implements — the only parents of
    the self rule.
    """
    links: dict[tuple[Any, Any], tuple[str, str]] = {}
    for child in self_ids:
        for parent, parent_spans in spans.items():
            if parent == child or not parent_spans:
                continue
            if implemented is not None and parent not in implemented:
                continue
            if _may_implement(info.get(child), info.get(parent), strict_level=True):
                s, e = min(parent_spans)
                links[(child, parent)] = ("self", make_snippet(text, s, e) or "")

    mentions = sorted((s, e, d) for d, ss in spans.items() for s, e in ss if s is not None and e is not None)
    if len(mentions) >= 2:
        verbs = _verbs_after(text, [m[1] for m in mentions])
        ends = [m.start() for m in _SENTENCE_END.finditer(text)] if verbs else []

        def same_sentence(a: int, b: int) -> bool:
            k = bisect.bisect_left(ends, a)
            return not (k < len(ends) and ends[k] < b)

        for i, (vs, ve) in enumerate(verbs):
            before = [m for m in mentions if m[1] <= vs and vs - m[1] <= VERB_GAP and same_sentence(m[1], vs)]
            if not before:
                continue
            cs, ce, child = before[-1]
            limit = min(verbs[i + 1][0] if i + 1 < len(verbs) else len(text), ve + PARENT_REACH)
            for ps, pe, parent in mentions:
                if ps < ve or ps >= limit or parent == child or not same_sentence(ve, ps):
                    continue
                if (child, parent) in links or not _may_implement(info.get(child), info.get(parent), False):
                    continue
                evidence = " ".join(text[cs:pe].split())
                if len(evidence) > 240:
                    evidence = evidence[:120] + " … " + evidence[-110:]
                links[(child, parent)] = ("text", evidence)
    return [(c, p, rule, ev) for (c, p), (rule, ev) in links.items()]


def _verbs_after(text: str, mention_ends: list[int]) -> list[tuple[int, int]]:
    """The implementing words that can matter: those within reach of a mention's end, and of the
    words that follow them (the text rule looks no further); found on a folded copy of those
    stretches only."""
    reach = VERB_GAP + PARENT_REACH + 40
    windows: list[list[int]] = []
    for end in sorted(mention_ends):
        if windows and end <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], min(len(text), end + reach))
        else:
            windows.append([end, min(len(text), end + reach)])
    verbs = []
    for start, stop in windows:
        folded, offsets = fold_map(text[start:stop])
        verbs += [(start + offsets[m.start()], start + offsets[m.end()]) for m in _verbs().finditer(folded)]
    return verbs


def links_of(text: str, references: list[Reference]) -> list[Link]:
    """The implementation links a document states, between the codes of its references."""
    from miner.resolution.directives import code_parts, issuer_level

    if len(references) < 2:
        return []
    spans: dict[str, list[tuple[int, int]]] = {}
    info: dict[str, dict] = {}
    for ref in references:
        spans[ref.code] = [(m.start, m.end) for m in ref.mentions if m is not None]
        parts = code_parts(ref.code)
        year = int(ref.date[:4]) if ref.date and ref.date[:4].isdigit() else parts.year
        info[ref.code] = {"level": issuer_level(parts.issuer_code, ref.issuer), "year": year}
    own = {r.code for r in references if r.self_reference}
    implemented = {r.code for r in references if r.relation == "implements"}
    return [Link(child, parent, rule, evidence)
            for child, parent, rule, evidence in find_links(text, spans, own, info, implemented)]
