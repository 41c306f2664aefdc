"""Find document numbers-and-symbols (số hiệu) in normalized text.

Both numbering systems and the written variants in the conventions:
party ``18-CT/TU`` (also ``1718 -KL/TU``, ``57- NQ/TW``, the slip
``18/CT-TU``), state ``26/NQ-CP``, legal normative ``28/2018/QĐ-TTg`` and
``16/2023/QH15``, công văn ``123/BNV-VP`` and standards ``QCVN 01:2021/BXD``.
Patterns are bounded (no nested quantifiers), so a scan is linear.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

import regex

from miner import rulebook
from miner.folding import fold_tones

_SP = r"[ ]{0,2}"
_NUM = r"(?P<num>\d{1,5}[a-z]?)"
_TYPE = r"(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})"
_ISS = r"[A-ZĐ][A-Za-zĐđƯư0-9]{0,11}"
_ISS_CHAIN = rf"(?P<iss>{_ISS}(?:{_SP}-{_SP}{_ISS}){{0,5}})"  # joint texts: TTLT-VKSNDTC-TANDTC-BCA-BQP-BLĐTBXH
_LEFT = r"(?<![\w/.\-])"
_RIGHT = r"(?![\w/])"

PARTY = regex.compile(rf"{_LEFT}{_NUM}{_SP}-{_SP}{_TYPE}{_SP}/{_SP}(?P<iss>{_ISS}){_RIGHT}")
# "66.17/2026/NQ-CP": a legal normative number may carry a dotted part
_NUM_DOTTED = r"(?P<num>\d{1,5}(?:\.\d{1,3})?[a-z]?)"
STATE_NORMATIVE = regex.compile(
    rf"{_LEFT}{_NUM_DOTTED}{_SP}/{_SP}(?P<year>(?:19|20)\d\d){_SP}/{_SP}(?:{_TYPE}{_SP}-{_SP})?{_ISS_CHAIN}{_RIGHT}"
)
STATE = regex.compile(rf"{_LEFT}{_NUM}{_SP}/{_SP}{_TYPE}{_SP}-{_SP}{_ISS_CHAIN}{_RIGHT}")
# "Nghị định số 50/CP": an older state number whose symbol is the issuer alone — read only after type words
BARE_ISSUER = regex.compile(rf"{_LEFT}{_NUM}{_SP}/{_SP}(?P<iss>[A-ZĐ][A-Za-zĐđ]{{1,5}})(?![\w/\-])")
_TYPE_WORDS_BEFORE = regex.compile(r"(?i:nghị định|quyết định|nghị quyết|chỉ thị|thông tư)[ ]+(?i:số[ ]+)?$")
STANDARD = regex.compile(
    r"\b(?P<std>QCVN|TCVN)[ ]{0,2}(?P<num>\d{1,5}[A-Za-z]?(?:-\d{1,4}){0,2})[ ]{0,2}:[ ]{0,2}(?P<year>(?:19|20)\d\d)"
    r"(?:[ ]{0,2}/[ ]{0,2}(?P<iss>[A-ZĐ][A-Za-zĐđ]{1,10}))?(?![\w])"
)


@dataclass(frozen=True)
class Mention:
    code: str  # canonical spelling, no spaces
    system: str  # "party" | "state"
    number: str
    type_code: Optional[str]
    issuer_code: Optional[str]
    code_year: Optional[int]
    start: int
    end: int
    written: str  # the text as it stands in the document

    @property
    def key(self) -> str:
        return code_key(self.code)


def code_key(code: str) -> str:
    """Comparison key of a code: tone-folded, lower case, no spaces (as the scorer does)."""
    return regex.sub(r"\s+", "", fold_tones(code))


def _canonical_type(type_code: str) -> Optional[str]:
    return rulebook.tables().canonical_type_code.get(fold_tones(type_code))


def _canonical_issuer(issuer: str) -> str:
    parts = [p.strip() for p in issuer.split("-")]
    out = []
    for part in parts:
        part = part.replace("Ư", "U").replace("ư", "u")  # "TƯ" is written for "TU" (conventions: spelling variants)
        known = rulebook.tables().issuer_for_code(part)
        out.append(known.code + part[len(known.code):] if known and known.prefix else (known.code if known else part))
    return "-".join(out)


def _is_party_issuer(issuer: str) -> bool:
    known = rulebook.tables().issuer_for_code(issuer.split("-")[0])
    return bool(known and known.system == "party")


class _Taken:
    """Disjoint spans kept sorted, so an overlap check is a binary search, not a scan."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add_if_free(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, start)
        if k > 0 and self.ends[k - 1] > start:
            return False
        if k < len(self.starts) and self.starts[k] < end:
            return False
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        return True


_GLUED = regex.compile(r"(?<=[A-ZĐƯ0-9])\p{Ll}{2,}$")


def _unglue(m: regex.Match) -> tuple[str, int]:
    """'127/2018/NĐ-CPquy định' (a lost space): the issuer is 'CP', the code ends before 'quy'."""
    glued = _GLUED.search(m["iss"])
    if not glued:
        return m["iss"], m.end()
    cut = len(glued.group())
    return m["iss"][:-cut], m.end() - cut


def find_mentions(text: str) -> list[Mention]:
    found: list[Mention] = []
    taken = _Taken()

    def add(m: Mention) -> None:
        if taken.add_if_free(m.start, m.end):
            found.append(m)

    for m in STANDARD.finditer(text):
        code = f"{m['std']} {m['num']}:{m['year']}" + (f"/{m['iss']}" if m["iss"] else "")
        add(Mention(code, "state", m["num"], m["std"], m["iss"], int(m["year"]), m.start(), m.end(), m.group()))

    for m in STATE_NORMATIVE.finditer(text):
        raw_issuer, end = _unglue(m)
        issuer = _canonical_issuer(raw_issuer)
        type_code = _canonical_type(m["type"]) if m["type"] else None
        if m["type"] and not type_code:
            continue
        if not type_code and not rulebook.tables().issuer_for_code(issuer.split("-")[0]):
            continue
        code = f"{m['num']}/{m['year']}/" + (f"{type_code}-" if type_code else "") + issuer
        add(Mention(code, "state", m["num"], type_code, issuer, int(m["year"]), m.start(), end, text[m.start():end]))

    for m in PARTY.finditer(text):
        type_code = _canonical_type(m["type"])
        if not type_code:
            continue
        raw_issuer, end = _unglue(m)
        issuer = _canonical_issuer(raw_issuer)
        add(Mention(f"{m['num']}-{type_code}/{issuer}", "party", m["num"], type_code, issuer, None,
                    m.start(), end, text[m.start():end]))

    for m in STATE.finditer(text):
        type_code = _canonical_type(m["type"])
        raw_issuer, end = _unglue(m)
        issuer = _canonical_issuer(raw_issuer)
        if type_code:
            if _is_party_issuer(issuer) and "-" not in issuer:
                # "18/CT-TU": a party document written in the state style
                add(Mention(f"{m['num']}-{type_code}/{issuer}", "party", m["num"], type_code, issuer, None,
                            m.start(), end, text[m.start():end]))
            else:
                add(Mention(f"{m['num']}/{type_code}-{issuer}", "state", m["num"], type_code, issuer, None,
                            m.start(), end, text[m.start():end]))
            continue
        # công văn: "<n>/<ISSUER>-<UNIT>" — the first part must be a known issuer code
        first = _canonical_issuer(m["type"])
        if rulebook.tables().issuer_for_code(first):
            add(Mention(f"{m['num']}/{first}-{issuer}", "state", m["num"], None, f"{first}-{issuer}", None,
                        m.start(), end, text[m.start():end]))

    if "/" in text:
        for m in BARE_ISSUER.finditer(text):
            known = rulebook.tables().issuer_for_code(m["iss"])
            if known and known.level == "central" and known.system == "state" \
                    and _TYPE_WORDS_BEFORE.search(text, max(0, m.start() - 24), m.start()):
                start = m.start("num")
                add(Mention(f"{m['num']}/{known.code}", "state", m["num"], None, known.code, None, start, m.end(),
                            text[start:m.end()]))
    found.sort(key=lambda x: x.start)
    return found
