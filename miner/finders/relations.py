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

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import regex

from miner import rulebook
from miner.document.blocks import DIVISION, MARKER_RANK

# most telling first: a code mentioned several ways keeps the most telling relation — what the document
# does to it (amends, supersedes, repeals, guides, implements) says more than that its preamble names it
RELATIONS = ("self", "amends", "supersedes", "repeals", "guides", "implements", "pursuant_to", "refers")
STRENGTH = {name: rank for rank, name in enumerate(RELATIONS)}
# characters from the end of a cue to the mention's type words: "triển khai, thực hiện Chỉ thị số" is close;
# "thực hiện tự đánh giá … theo quy định tại … Thông tư số" is not an implementation
REACH = {"implements": 30}
DEFAULT_REACH = 160
COORDINATED = 300  # "Thực hiện Chỉ thị số … và Công điện số …": the cue reaches the codes listed after the first
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
# a provision pointed at ("theo quy định tại khoản 5 Điều 3 Thông tư số …"): the document refers to it,
# whatever verb came before
_PROVISION = regex.compile(r"(?:quy\s+định|hướng\s+dẫn)\s+(?:tại|của)\b|\b(?:tại|theo)\s+(?:điểm|khoản|điều|mục|chương|phụ\s+lục)\b",
                           regex.IGNORECASE)
_WEAK = frozenset(("implements", "guides", "pursuant_to"))  # verbs that a pointed provision overrides
_COORDINATION = regex.compile(r"[,;]|\bvà\b|\bcùng\b", regex.IGNORECASE)


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
    best = _nearest_cue(text, clause, stop)
    if best is not None:
        return best[1]  # "refers" when the nearest cue is in the passive or points at a provision
    limit = min(len(text), end + 200, next_start if next_start is not None else len(text))
    clause_end = _CLAUSE_BREAK.search(text, end, limit)
    limit = clause_end.start() if clause_end else limit
    for cue in cues:
        if cue.scope == "after" and cue.pattern.match(text, end, limit):
            return cue.relation
    return "refers"


def _nearest_cue(text: str, lo: int, stop: int, reach: bool = True) -> Optional[tuple[int, str]]:
    """(end, relation) of the last "before" cue in text[lo:stop] within its reach of ``stop``; the relation
    is "refers" when that cue is in the passive or a provision is pointed at after it."""
    best: Optional[tuple[int, str]] = None
    for cue in _cues():
        if cue.scope != "before":
            continue
        for m in cue.pattern.finditer(text, lo, stop):
            if (reach and stop - m.end() > REACH.get(cue.relation, DEFAULT_REACH)) \
                    or (best is not None and m.end() <= best[0]):
                continue
            if _PASSIVE.search(text, max(lo, m.start() - 30), m.start()) or (
                    cue.relation in _WEAK and _PROVISION.search(text, m.end(), stop)):
                best = (m.end(), "refers")
            else:
                best = (m.end(), cue.relation)
    return best


def _intro_relation(text: str, intro: str) -> Optional[str]:
    """The relation an introduction gives the items under it: "Căn cứ …:", "Bãi bỏ các văn bản sau:",
    "Các văn bản sau đây hết hiệu lực …:", "triển khai thực hiện các văn bản sau:"."""
    for cue in _cues():
        if cue.scope == "clause_start" and cue.pattern.match(intro):
            return cue.relation
    for cue in _cues():  # "Các văn bản sau đây hết hiệu lực …": said of the items
        if cue.scope == "after" and cue.pattern.search(intro):
            return cue.relation
    found = _nearest_cue(intro, 0, len(intro), reach=False)
    return found[1] if found and found[1] != "refers" else None


def relations(doc, spans: Iterable[tuple[int, int]], own: Iterable[tuple[int, int]] = ()) -> list[str]:
    """The relation of each code at ``spans`` in the document (in order of the text); ``own`` are the
    spans of its own number. A code in a "Căn cứ" paragraph is its legal basis; a code in a list item
    with no cue of its own takes the cue of the list's introduction ("Các văn bản sau đây hết hiệu lực:");
    a code listed after another ("Chỉ thị số … và Công điện số …") shares its cue."""
    text = doc.text
    paragraphs = doc.paragraphs
    starts = [b.start for b in paragraphs]
    spans = list(spans)
    own = list(own)
    out: list[str] = []
    for i, (start, end) in enumerate(spans):
        if any(a <= start < b or start <= a < end for a, b in own):
            out.append("self")
            continue
        following = spans[i + 1][0] if i + 1 < len(spans) else None
        relation = relation_of(text, start, end, following)
        k = bisect.bisect_right(starts, start) - 1
        block = paragraphs[k] if k >= 0 else None
        if relation == "refers" and block is not None:
            content = text[block.body:block.end].lstrip(' *_"“(')
            for cue in _cues():
                if cue.scope == "clause_start" and cue.pattern.match(content):
                    relation = cue.relation  # a "Căn cứ" paragraph: every document it names
            if relation == "refers" and block.marker is not None:
                intro = _introduction(text, paragraphs, k)
                relation = (_intro_relation(text, intro) if intro else None) or relation
        if relation == "refers" and i > 0 and out[-1] not in ("refers", "self"):
            previous_end = spans[i - 1][1]
            between = text[previous_end:start]
            if len(between) <= COORDINATED and _COORDINATION.search(between) and "\n" not in between \
                    and _nearest_cue(text, previous_end, start, reach=False) is None:
                relation = out[-1]
        out.append(relation)
    return out


def _introduction(text: str, paragraphs, k: int) -> Optional[str]:
    """The paragraph that introduces the list item ``paragraphs[k]``: the nearest unmarked paragraph
    before it (past the other items of the list) that ends with ":"."""
    style = paragraphs[k].marker
    rank = MARKER_RANK.get(style, 9.0)
    for j in range(k - 1, max(-1, k - 40), -1):
        block = paragraphs[j]
        if block.marker == style:
            continue  # an earlier item of the same list (and what runs on under it)
        content = text[block.body:block.end].rstrip(" *_")
        if content.endswith(":"):
            return content
        if DIVISION.match(text, block.start, block.end) or (block.marker and MARKER_RANK.get(block.marker, 9.0) < rank):
            return None  # an article or an outer item that introduces nothing
    return None


def strongest(names: Iterable[str]) -> str:
    return min(names, key=lambda n: STRENGTH.get(n, len(RELATIONS)), default="refers")
