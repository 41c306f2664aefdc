"""How a document stands to each document it cites: the relation of a citation.

As the Vietnamese legal reference-relation datasets type them: ``self`` (its own number),
``pursuant_to`` (named in a "Căn cứ …" clause), ``amends`` (sửa đổi, bổ sung), ``supersedes``
(thay thế), ``repeals`` (bãi bỏ; "… hết hiệu lực"), ``guides`` (hướng dẫn, quy định chi tiết),
``implements`` (triển khai, thực hiện, cụ thể hóa — the policy chain), otherwise ``refers``.

A relation is read from the words that govern a mention in its clause: a clause that opens
with "Căn cứ" gives every document it names; otherwise the nearest cue before the mention
(past the document's type words, "Thông tư số"), close enough and not in the passive
("được sửa đổi, bổ sung bởi …" reports someone else's amendment), or "… hết hiệu lực" after
it. The cues are data: ``rules/relation_cues.jsonl``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import regex

from miner import rulebook

# most telling first: a code mentioned several ways keeps the most telling relation — what the document
# does to it (amends, supersedes, repeals, guides, implements) says more than that its preamble names it
RELATIONS = ("self", "amends", "supersedes", "repeals", "guides", "implements", "pursuant_to", "refers")
STRENGTH = {name: rank for rank, name in enumerate(RELATIONS)}
REACH = {"implements": 100}  # characters from the end of a cue to the mention's type words (default below)
DEFAULT_REACH = 160
CLAUSE_CHARS = 400


@dataclass(frozen=True)
class _Cue:
    relation: str
    scope: str  # clause_start | before | after
    pattern: regex.Pattern


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    return tuple(_Cue(r["relation"], r["scope"], regex.compile(r["pattern"], regex.IGNORECASE))
                 for r in rulebook.read_jsonl("relation_cues.jsonl"))


@lru_cache(maxsize=1)
def _type_word() -> regex.Pattern:
    aliases = sorted({a for t in rulebook.tables().types for a in t.aliases}, key=len, reverse=True)
    return regex.compile("(?<!\\p{L})(?:" + "|".join(regex.escape(a) for a in aliases) + ")(?!\\p{L})", regex.IGNORECASE)


# what stands between a type word and its code: a name of up to eight words ("Luật Thuế thu nhập doanh
# nghiệp số"), "số", a colon
_TO_CODE = regex.compile(r"(?:[ ]+[\p{L}]+){0,8}?[ ]*(?:số|sổ|so)?[ ]*:?[ ]*", regex.IGNORECASE)
_NUMBER_WORD = regex.compile(r"(?:số|sổ)[ ]*:?[ ]*$", regex.IGNORECASE)


def _type_words_start(text: str, lo: int, start: int) -> int:
    """Where the type words of the code at ``start`` begin ("Thông tư liên tịch số", "Luật … số"): the
    last type word whose name and "số" reach the code; else where a bare "số" begins; else ``start``."""
    found = None
    for m in _type_word().finditer(text, lo, start):
        if _TO_CODE.fullmatch(text, m.end(), start):
            found = m.start()
    if found is not None:
        return found
    bare = _NUMBER_WORD.search(text, lo, start)
    return bare.start() if bare else start


_CLAUSE_BREAK = regex.compile(r";|\.(?=\s)|\n")
# a cue in the passive reports what another document did ("được sửa đổi, bổ sung bởi Luật số …")
_PASSIVE = regex.compile(r"(?:được|bị)\s+(?:[\p{L}]+[\s,]+){0,3}$", regex.IGNORECASE)


def _clause_start(text: str, start: int) -> int:
    lo = max(0, start - CLAUSE_CHARS)
    cut = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, start):
        cut = m.end()
    return cut


def relation_of(text: str, start: int, end: int, next_start: Optional[int] = None) -> str:
    """The relation the words around text[start:end] (a code) give it; ``next_start`` is where the next
    code begins (an "after" cue must come before it)."""
    cues = _cues()
    clause = _clause_start(text, start)
    for cue in cues:
        if cue.scope == "clause_start" and cue.pattern.match(text, clause, start):
            return cue.relation
    stop = _type_words_start(text, clause, start)
    best: Optional[tuple[int, str]] = None
    for cue in cues:
        if cue.scope != "before":
            continue
        for m in cue.pattern.finditer(text, clause, stop):
            if stop - m.end() > REACH.get(cue.relation, DEFAULT_REACH) or (best is not None and m.end() <= best[0]):
                continue
            if _PASSIVE.search(text, max(clause, m.start() - 30), m.start()):
                best = (m.end(), "refers")
            else:
                best = (m.end(), cue.relation)
    if best is not None:
        return best[1]  # "refers" when the nearest cue is in the passive
    limit = min(len(text), end + 200, next_start if next_start is not None else len(text))
    clause_end = _CLAUSE_BREAK.search(text, end, limit)
    limit = clause_end.start() if clause_end else limit
    for cue in cues:
        if cue.scope == "after" and cue.pattern.match(text, end, limit):
            return cue.relation
    return "refers"


def relations(text: str, spans: Iterable[tuple[int, int]], own: Iterable[tuple[int, int]] = ()) -> list[str]:
    """The relation of each code at ``spans`` (in order of the text); ``own`` are the spans of the
    document's own number."""
    spans = list(spans)
    own = list(own)
    out = []
    for i, (start, end) in enumerate(spans):
        if any(a <= start < b or start <= a < end for a, b in own):
            out.append("self")
            continue
        following = spans[i + 1][0] if i + 1 < len(spans) else None
        out.append(relation_of(text, start, end, following))
    return out


def strongest(names: Iterable[str]) -> str:
    return min(names, key=lambda n: STRENGTH.get(n, len(RELATIONS)), default="refers")
