"""Directive identity: the parts of a code, the scope its number is unique in, its level, its Party term,
and the consensus of what its citations say (docs/schema.md, "Directive identity").

Shared by the writer (which merges citations into directives) and the queries (which look them up).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from miner import rulebook
from miner.finders.references import find_mentions
from miner.folding import fold_ascii
from miner.records import Reference

LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}


def term_of(date: Optional[str]) -> Optional[int]:
    """Start year of the Party Congress term a date (``YYYY-MM-DD`` or ``YYYY``) falls in (2014-07-01 → 2011)."""
    if not date or not regex.match(r"^(?:19|20)\d\d", date):
        return None
    key = date if len(date) >= 10 else date[:4] + "-12-31"
    term = None
    for _, start in rulebook.party_congresses():  # Party central numbers restart each term (docs/schema.md)
        if start <= key:
            term = int(start[:4])
    return term


def _is_full_date(d: Optional[str]) -> bool:
    return bool(d) and len(d) == 10


def consensus(values: list[Optional[str]], prefer=None) -> Optional[str]:
    """The most frequent non-null value. A tie is broken by the data, never by the order the values came
    in (so any order of loading gives one database): by ``prefer(value)`` (smaller wins), then by the value."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], prefer(v) if prefer else 0, v))


def consensus_date(dates: list[Optional[str]]) -> Optional[str]:
    """Majority of the full dates cited (ties: the earliest, as a document is cited after its issue);
    year-only dates count only when no full date exists."""
    full = [d for d in dates if _is_full_date(d)]
    return consensus(full) if full else consensus([d for d in dates if d])


def consensus_issuer(issuers: list[Optional[str]]) -> Optional[str]:
    """Majority of the cited issuers (ties: the most specific name — the longest — then the name)."""
    return consensus(issuers, prefer=lambda name: -len(name))


def _agrees(value: str, chosen: Optional[str]) -> bool:
    return chosen is not None and (value == chosen or (len(value) == 4 and chosen.startswith(value)))


# --- the parts of a code -----------------------------------------------------

@dataclass(frozen=True)
class CodeParts:
    number: Optional[str]
    type_code: Optional[str]
    issuer_code: Optional[str]  # the issuer part as written in the symbol ("TU", "TTg", "QH14", "BNV-VP")
    year: Optional[int]  # carried by the code (28/2018/QĐ-TTg)


_NUM_HEAD = regex.compile(r"^\s*(\d{1,5}[A-Za-z]?)")
_CODE_YEAR = regex.compile(r"^\s*\d{1,5}[A-Za-z]?\s*/\s*((?:19|20)\d\d)\s*/")


@lru_cache(maxsize=8192)
def code_parts(code: str) -> CodeParts:
    """Number, type code, issuer code and year of a canonical code (reuses the finder's patterns)."""
    mentions = find_mentions(code)
    if mentions and mentions[0].start == 0:
        m = mentions[0]
        return CodeParts(m.number, m.type_code, m.issuer_code, m.code_year)
    num = _NUM_HEAD.match(code)
    year = _CODE_YEAR.match(code)
    tail = regex.split(r"[/\-]", code.strip())
    return CodeParts(num.group(1) if num else None, None, tail[-1] if len(tail) > 1 else None,
                     int(year.group(1)) if year else None)


def number_key(number: Optional[str]) -> Optional[str]:
    """Number for comparison: lower case, leading zeros dropped ('05' == '5')."""
    if number is None:
        return None
    key = number.lower().lstrip("0")
    return key or "0"


def _issuer_head(issuer_code: Optional[str]) -> Optional[str]:
    return issuer_code.split("-")[0] if issuer_code else None


def is_central(issuer_code: Optional[str]) -> bool:
    head = _issuer_head(issuer_code)
    if not head:
        return False
    known = rulebook.tables().issuer_for_code(head)
    return bool(known and known.level == "central")


_PLACE_LEVEL_FOR = {"TU": ("province",), "HU": ("district",), "QU": ("district",), "THU": ("district",)}


def issuer_place(issuer: Optional[str], levels: tuple[str, ...] = ("province", "district")) -> Optional[str]:
    """The province or district named in an issuer ("Ban Thường vụ Tỉnh ủy Bắc Giang" → "Bắc Giang").

    The last (rightmost) longest run of capitalised words that is a known place name wins.
    """
    if not issuer:
        return None
    from miner.finders import places  # the gazetteer is large: load it only when needed

    words = regex.findall(r"[\p{L}\p{M}]+", issuer)
    gaz = places.gazetteer()
    found: Optional[str] = None
    i = 0
    while i < len(words):
        hit = None
        if words[i][:1].isupper():
            for j in range(min(len(words), i + 5), i, -1):
                key = places.name_key(" ".join(words[i:j]))
                entries = [e for e in gaz.by_key.get(key, []) if e.level in levels]
                if entries:
                    hit = (j, entries[0].name)
                    break
        if hit:
            found = hit[1]
            i = hit[0]
        else:
            i += 1
    return found


def issuer_key(issuer_code: Optional[str], issuer: Optional[str]) -> str:
    """Scope in which a code's number is unique.

    Central issuer codes (TW, CP, TTg, QH15, ministries): the code itself folded ("tw", "ttg").
    Local ones (TU, HU, UBND, HĐND, Sở…, and unknown codes): the code plus the place the
    resolved issuer names ("tu:bac giang"), "?" when it names none ("tu:?").
    """
    head = _issuer_head(issuer_code)
    if not head:
        return "?"
    if is_central(head):
        return fold_ascii(head)
    # a known local code keeps its head ("UBND" of "UBND-VP"); an unknown unit keeps its whole symbol part
    folded = fold_ascii(head if rulebook.tables().issuer_for_code(head) else issuer_code or head)
    levels = _PLACE_LEVEL_FOR.get(head.upper(), ("province", "district"))
    place = issuer_place(issuer, levels)
    return f"{folded}:{fold_ascii(place) if place else '?'}"


def is_party_central(issuer_code: Optional[str]) -> bool:
    """Party central bodies (TW, VPTW, BTCTW…): their numbers restart with each Party Congress term."""
    head = _issuer_head(issuer_code)
    known = rulebook.tables().issuer_for_code(head) if head else None
    return bool(known and known.level == "central" and known.system == "party")


@lru_cache(maxsize=None)
def _level_words(level: str) -> regex.Pattern:
    """The unit words of a level (folded to ASCII, as issuer names are compared): "huyen", "quan", "thi xa"."""
    words = sorted({fold_ascii(w.word) for w in rulebook.admin_words() if w.role == "prefix" and w.level == level
                    and not w.abbreviation}, key=len, reverse=True)
    return regex.compile(r"\b(?:" + "|".join(regex.escape(w) for w in words) + r")\b")


def issuer_level(issuer_code: Optional[str], issuer: Optional[str]) -> Optional[str]:
    """central, province, district or commune: the level of the body that issued a code (None when unknown).

    From the issuer code (TW, TTg, ministries → central; TU → province; HU, QU, ThU → district); for a
    state local code (UBND, HĐND, Sở…) the issuer's words decide ("Ủy ban nhân dân huyện …" → district).
    """
    head = _issuer_head(issuer_code)
    if not head:
        return None
    known = rulebook.tables().issuer_for_code(head)
    if known is None:
        return None
    if known.level == "central" or known.system == "party":
        return known.level
    folded = fold_ascii(issuer or "")
    if _level_words("district").search(folded):
        return "district"
    if _level_words("commune").search(folded):
        return "commune"
    return known.level


def reference_year(ref: Reference, parts: CodeParts) -> Optional[int]:
    if ref.date and regex.match(r"^\d{4}", ref.date):
        return int(ref.date[:4])
    return parts.year
