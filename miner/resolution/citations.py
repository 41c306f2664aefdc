"""Resolve found code mentions into references: kind, issue date and issuer.

Each mention gets candidates from its surroundings, ranked by how direct
the evidence is; mentions of one code are then merged so that the most
direct evidence wins (a date written right after the code beats the year
carried by the code; an issuer named with "của" beats one implied by the
symbol).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from miner import rulebook
from miner.finders.dates import NUMERIC_DATE, WORDED_DATE, make_iso
from miner.records import Reference, Span
from miner.finders.references import Mention
from miner.finders.relations import strongest
from miner.folding import fold_tones


@dataclass
class Context:
    """What the document says about itself, for implicit dates and issuers."""
    published: Optional[str] = None
    province: Optional[str] = None
    district: Optional[str] = None
    header_date: Optional[str] = None  # date of issue of an official text (its dateline)
    full_text: bool = False
    own: tuple[tuple[int, int], ...] = ()  # spans of the document's own number (header or certification block)

    @property
    def year(self) -> Optional[int]:
        return int(self.published[:4]) if self.published else None


@dataclass
class _Evidence:
    kind: Optional[str] = None
    kind_rank: int = 0
    date: Optional[str] = None
    date_rank: int = 0
    issuer: Optional[str] = None
    issuer_rank: int = 0


# --- kind ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _kind_pattern() -> regex.Pattern:
    aliases = sorted({a for t in rulebook.tables().types for a in t.aliases}, key=len, reverse=True)
    alternation = "|".join(regex.escape(a) for a in aliases)
    return regex.compile(rf"(?P<kind>{alternation})[ ]*(?:số|sổ|so)?[ ]*:?[ ]*$", regex.IGNORECASE)


_LAW_NAMED = regex.compile(r"(?P<kind>bộ luật|luật|pháp lệnh)(?P<name>(?:[ ]+[\p{L}]+){1,9}),?[ ]+(?:số|sổ)[ ]*:?[ ]*$",
                           regex.IGNORECASE)


def _kind_from_words(text: str, start: int) -> Optional[str]:
    before = text[max(0, start - 60):start]
    m = _kind_pattern().search(before)
    if m:
        return rulebook.tables().type_by_alias[fold_tones(m["kind"])].name
    m = _LAW_NAMED.search(before)
    if m and not _kind_pattern().search(m["name"] + " "):
        return rulebook.tables().type_by_alias[fold_tones(m["kind"])].name
    return None


def _kind_agrees(kind: str, mention: Mention) -> bool:
    """'Thông báo kết luận số 81-TB/TW' is a Thông báo: the symbol's type code wins over the words."""
    if not mention.type_code:
        return True
    codes = _type_codes_of(kind)
    return not codes or fold_tones(mention.type_code) in codes


@lru_cache(maxsize=64)
def _type_codes_of(kind: str) -> frozenset[str]:
    codes: set[str] = set()
    for t in rulebook.tables().types:
        if t.name == kind:
            codes = {fold_tones(c) for c in (t.party_code, t.state_code) if c}
    return frozenset(codes)


def _kind_from_code(mention: Mention) -> Optional[str]:
    t = rulebook.tables()
    if mention.type_code:
        found = t.type_for_code(mention.type_code, mention.system)
        if found:
            return found.name
    if mention.issuer_code:
        issuer = t.issuer_for_code(mention.issuer_code.split("-")[0])
        if issuer and issuer.default_type:
            return issuer.default_type
        if issuer and issuer.code == "QH":
            return "Luật"
        if issuer and mention.type_code is None and mention.code_year is None:
            return "Công văn"
    return None


# --- dates --------------------------------------------------------------------

_AFTER_CODE = regex.compile(r"[ ,(]{0,4}(?:ban hành[ ]+)?(?:ngày|ngay)?[ ]*")
_YEAR_AFTER = regex.compile(r"[ ,(]{0,3}(?:ban hành[ ]+)?(?:năm[ ]+)?(?P<y>(?:19|20)\d\d)(?![\d/.,]\d)", regex.IGNORECASE)
_YEARLESS = regex.compile(r"(?P<d>[0-3]?\d)[ ]*/[ ]*(?P<m>[01]?\d)(?![\d/])")
_ISSUED = regex.compile(r"\bban[ ]+hành\b|\bký[ ]+ban[ ]+hành\b|\bthông qua\b", regex.IGNORECASE)
_NOT_ISSUE_DATE = regex.compile(r"(?:hiệu lực|từ|đến|trước|sau|kể từ|hết|vào)[ ]+(?:từ[ ]+)?(?:ngày[ ]*)?$", regex.IGNORECASE)
_SENTENCE_DATE = regex.compile(r"(?:^|[\n.;:])[ \t*]*(?:vào[ ]+)?ngày[ ]+", regex.IGNORECASE)


def _date_right_after(text: str, end: int, ctx: Context) -> tuple[Optional[str], int]:
    m = _AFTER_CODE.match(text, end)
    pos = m.end() if m else end
    said_ngay = bool(m and "ng" in m.group().lower())
    for pattern in (NUMERIC_DATE, WORDED_DATE):
        d = pattern.match(text, pos)
        if d:
            iso = make_iso(d["d"], d["m"], d["y"])
            if iso:
                return iso, 3
    if said_ngay:
        d = _YEARLESS.match(text, pos)
        if d and ctx.year:
            iso = make_iso(d["d"], d["m"], ctx.year)
            if iso:
                return iso, 2
    y = _YEAR_AFTER.match(text, end)
    if y:
        # "Nghị quyết 57-NQ/TW năm 2025 ngày 22 tháng 12 năm 2024": the full date that follows wins
        full = _full_date_at(text, y.end())
        return (full, 3) if full else (y["y"], 2)
    return None, 0


_NGAY = regex.compile(r"[ ,(]{0,3}(?:ban hành[ ]+)?(?:ngày|ngay)[ ]+", regex.IGNORECASE)


def _full_date_at(text: str, pos: int) -> Optional[str]:
    """A date introduced by "ngày" right at ``pos`` (after an issuer or a year)."""
    m = _NGAY.match(text, pos)
    if not m:
        return None
    for pattern in (NUMERIC_DATE, WORDED_DATE):
        d = pattern.match(text, m.end())
        if d:
            return make_iso(d["d"], d["m"], d["y"])
    return None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = max(0, start - 400), min(len(text), end + 400)
    left = max(text.rfind("\n", lo, start), text.rfind(". ", lo, start), text.rfind("; ", lo, start))
    left = lo if left < 0 else left + 1
    right_candidates = [p for p in (text.find("\n", end, hi), text.find(". ", end, hi), text.find("; ", end, hi)) if p >= 0]
    right = min(right_candidates) if right_candidates else hi
    return left, right


def _issue_date_in_sentence(text: str, mention: Mention, ctx: Context, starts: list[int]) -> Optional[str]:
    """'Ngày 6/6, Ban Thường vụ … ban hành Kế hoạch số 134-KH/HU' — the sentence's date is the issue date."""
    s_start, s_end = _sentence_bounds(text, mention.start, mention.end)
    # starts: of every mention in the document, sorted; another code earlier in the sentence owns its date
    if bisect.bisect_left(starts, s_start) < bisect.bisect_left(starts, mention.start):
        return None
    sentence_before = text[s_start:mention.start]
    if not _ISSUED.search(sentence_before):
        return None
    for m in regex.finditer(r"ngày[ ]+", text[s_start:s_end], flags=regex.IGNORECASE):
        pos = s_start + m.end()
        if _NOT_ISSUE_DATE.search(text[max(s_start, pos - 30):pos]):
            continue
        for pattern in (NUMERIC_DATE, WORDED_DATE):
            d = pattern.match(text, pos)
            if d:
                iso = make_iso(d["d"], d["m"], d["y"])
                if iso:
                    return iso
        d = _YEARLESS.match(text, pos)
        if d and ctx.year:
            return make_iso(d["d"], d["m"], ctx.year)
    return None


# --- issuers ------------------------------------------------------------------

_PLACE_WORDS = r"[\p{Lu}][\p{Ll}\p{M}]*(?:[ ][\p{Lu}][\p{Ll}\p{M}]*){0,3}"
def _unit_words() -> str:
    """The unit words before a place (``rules/admin_levels.jsonl``): "tỉnh", "thành phố", "TP." …"""
    words = sorted((w for w in rulebook.admin_words() if w.role == "prefix"), key=lambda w: len(w.word), reverse=True)
    return "(?:" + "|".join(regex.escape(w.word.upper() if w.abbreviation else w.word) + (r"\.?" if w.abbreviation else "")
                            for w in words) + ")"


_TERM = r"(?:[ ,]+(?:khóa|khoá)[ ]+[IVXLC]+)?"


@lru_cache(maxsize=1)
def _issuer_words() -> dict[str, list[dict]]:
    """The issuer vocabulary of ``rules/issuer_words.jsonl``, by role."""
    out: dict[str, list[dict]] = {}
    for row in rulebook.read_jsonl("issuer_words.jsonl"):
        out.setdefault(row["role"], []).append(row)
    return out


@lru_cache(maxsize=1)
def _issuer_pattern() -> regex.Pattern:
    known = sorted({i.name for i in rulebook.tables().issuers if not i.local}, key=len, reverse=True)
    central = "|".join(regex.escape(n) for n in known)
    local_heads = "|".join(r["pattern"] for r in _issuer_words()["local_head"])
    central_extra = "|".join(r["pattern"] for r in _issuer_words()["central_name"])
    return regex.compile(
        rf"(?i:(?P<head>{local_heads})(?P<level>[ ]+{_unit_words()})?)(?P<place>[ ]+{_PLACE_WORDS})?"
        rf"|(?i:(?P<central>{central_extra}|{central}){_TERM})"
    )


@lru_cache(maxsize=1)
def _org_start() -> regex.Pattern:
    words = [w for r in _issuer_words()["org_start"] for w in r["words"]]
    return regex.compile(r"^(?:" + "|".join(regex.escape(w) for w in words) + r")\b")


@lru_cache(maxsize=1)
def _expansions() -> list[tuple[regex.Pattern, str]]:
    return [(regex.compile(r["pattern"]), r["long"]) for r in _issuer_words()["abbreviation"]]


@lru_cache(maxsize=1)
def _issuer_names_by_fold() -> dict[str, str]:
    return {fold_tones(i.name): i.name for i in reversed(rulebook.tables().issuers)}


@lru_cache(maxsize=4096)
def _standard_capitals(name: str) -> str:
    for pattern, repl in _expansions():
        name = pattern.sub(repl, name)
    known = _issuer_names_by_fold().get(fold_tones(name))
    if known:
        return known
    for fixed in (w for r in _issuer_words()["standard_capitals"] for w in r["words"]):
        name = regex.sub(regex.escape(fixed), fixed, name, flags=regex.IGNORECASE)
    # a unit word inside a name is lower case: "Ủy ban nhân dân Tỉnh Đồng Tháp" is "… tỉnh Đồng Tháp"
    return _unit_before_name().sub(lambda m: m.group().lower(), name)


@lru_cache(maxsize=1)
def _unit_before_name() -> regex.Pattern:
    words = sorted((w.word for w in rulebook.admin_words() if w.role == "prefix" and not w.abbreviation),
                   key=len, reverse=True)
    return regex.compile(r"(?<=\S[ ])(?i:" + "|".join(regex.escape(w) for w in words) + r")(?=[ ]\p{Lu})")


@lru_cache(maxsize=256)
def _province_prefix(province: str) -> str:
    """'thành phố' for a centrally-run city (Hà Nội, Cần Thơ…), else 'tỉnh' — from the gazetteer."""
    from miner.finders.places import gazetteer, name_key

    for entry in gazetteer().by_key.get(name_key(province), []):
        if entry.level == "province" and entry.kind:
            return entry.kind
    return "tỉnh"


_NEEDS_PROVINCE = regex.compile(
    fold_tones(r"(?:tỉnh ủy|thành ủy|(?:ủy ban nhân dân|hội đồng nhân dân) (?:tỉnh|thành phố))$"))
_NEEDS_DISTRICT = regex.compile(
    fold_tones(r"(?:huyện ủy|quận ủy|thị ủy|(?:ủy ban nhân dân|hội đồng nhân dân) (?:huyện|quận|thị xã))$"))
_NEEDS_LEVEL_AND_PLACE = regex.compile(fold_tones(r"(?:ủy ban nhân dân|hội đồng nhân dân)$"))


def _complete_place(name: str, ctx: Context) -> str:
    """'Ban Thường vụ Tỉnh ủy' of a Bắc Giang article is the Bắc Giang one."""
    folded = fold_tones(name)  # tone-folded, so the patterns are folded the same way
    if ctx.province and _NEEDS_PROVINCE.search(folded):
        return f"{name} {ctx.province}"
    if ctx.district and _NEEDS_DISTRICT.search(folded):
        return f"{name} {ctx.district}"
    if ctx.province and _NEEDS_LEVEL_AND_PLACE.search(folded):
        return f"{name} {_province_prefix(ctx.province)} {ctx.province}"
    return name


def _match_issuer(text: str, pos: int) -> Optional[str]:
    m = _issuer_pattern().match(text, pos)
    if not m:
        return None
    return m.group().strip()


_OF = regex.compile(r"[ ,]*(?:\)[ ,]*)?(?:đã được ban hành[ ]+)?(?:của|do)[ ]+", regex.IGNORECASE)
# the dates between a code and its "của …": "ngày 01/4/2015", "năm 2025 ngày 22 tháng 12 năm 2024", "(ngày 22/12/2024)"
_SKIP_DATE = regex.compile(
    r"(?:[ ,(]*(?:ban hành[ ]+)?(?:(?:ngày[ ]*)?(?:\d{1,2}[ ]*[/.\-][ ]*\d{1,2}(?:[ ]*[/.\-][ ]*\d{4})?"
    r"|\d{1,2}[ ]+tháng[ ]+\d{1,2}[ ]+năm[ ]+\d{4})|năm[ ]+\d{4})[ )]*){0,3}",
    regex.IGNORECASE,
)


def _issuer_after(text: str, end: int) -> Optional[str]:
    found = _issuer_after_span(text, end)
    return found[0] if found else None


def _issuer_after_span(text: str, end: int) -> Optional[tuple[str, int]]:
    """The issuer named with "của …" after a code (and its date), with the offset where its name ends."""
    skip = _SKIP_DATE.match(text, end)
    pos = skip.end() if skip else end
    of = _OF.match(text, pos)
    if not of:
        return None
    m = _issuer_pattern().match(text, of.end())
    if not m:
        return None
    name = m.group()
    return name.strip(), m.start() + len(name.rstrip())


_BAN_HANH = regex.compile(r"(?:(?:đã|vừa|mới)[ ]+)?(?:ký[ ]+)?ban[ ]+hành[ ]+(?:[\p{L}]+[ ]+){0,5}?$", regex.IGNORECASE)


def _issuer_before(text: str, start: int) -> Optional[str]:
    """'Tỉnh ủy Tây Ninh đã ban hành Chương trình hành động số 45-CTr/TU'."""
    window_start = max(0, start - 200)
    before = text[window_start:start]
    m = _BAN_HANH.search(before)
    if not m:
        return None
    clause = before[: m.start()]
    cut = max(clause.rfind(","), clause.rfind("."), clause.rfind(";"), clause.rfind(":"), clause.rfind("\n"))
    subject = clause[cut + 1:].strip()
    if not subject or len(subject.split()) > 12 or not _org_start().search(subject):
        return None
    matched = _match_issuer(subject, 0)
    if matched and len(matched) >= len(subject) - 1:
        return matched
    return subject


def _issuer_from_code(mention: Mention, ctx: Context) -> Optional[str]:
    if not mention.issuer_code:
        return None
    t = rulebook.tables()
    issuer = t.issuer_for_code(mention.issuer_code.split("-")[0])
    if not issuer:
        return None
    if issuer.by_type and mention.type_code in issuer.by_type:
        return issuer.by_type[mention.type_code]
    if not issuer.local:
        return issuer.name
    if issuer.code in ("TU",):
        if not ctx.province:
            return "Tỉnh ủy"
        return f"{'Thành ủy' if _province_prefix(ctx.province) == 'thành phố' else 'Tỉnh ủy'} {ctx.province}"
    if issuer.code in ("HU", "QU", "ThU"):
        return f"{issuer.name} {ctx.district}" if ctx.district else issuer.name
    if ctx.province:
        return f"{issuer.name} {_province_prefix(ctx.province)} {ctx.province}"
    return issuer.name


# --- merge ----------------------------------------------------------------------

def _evidence(text: str, mention: Mention, ctx: Context, starts: list[int]) -> _Evidence:
    ev = _Evidence()
    word_kind = _kind_from_words(text, mention.start)
    if word_kind and not _kind_agrees(word_kind, mention):
        word_kind = None
    if word_kind:
        ev.kind, ev.kind_rank = word_kind, 2
    else:
        ev.kind, ev.kind_rank = _kind_from_code(mention), 1

    date, rank = _date_right_after(text, mention.end, ctx)
    if rank < 3:
        # "Thông báo số 125/TB-UBND của UBND huyện Đắk Song ngày 03 tháng 12 năm 2020"
        named_span = _issuer_after_span(text, mention.end)
        after_issuer = _full_date_at(text, named_span[1]) if named_span else None
        if after_issuer and (not mention.code_year or int(after_issuer[:4]) == mention.code_year):
            date, rank = after_issuer, 3
    if rank < 3:
        in_sentence = _issue_date_in_sentence(text, mention, ctx, starts)
        if in_sentence and mention.code_year and int(in_sentence[:4]) != mention.code_year:
            in_sentence = None
        if in_sentence:
            date, rank = in_sentence, 2.5
    if not date and mention.code_year:
        date, rank = str(mention.code_year), 1
    ev.date, ev.date_rank = date, rank

    named = _issuer_after(text, mention.end) or _issuer_before(text, mention.start)
    symbol_issuer = rulebook.tables().issuer_for_code((mention.issuer_code or "").split("-")[0])
    if named and symbol_issuer and symbol_issuer.system == "state" and not symbol_issuer.local \
            and fold_tones(named) not in fold_tones(symbol_issuer.name) and fold_tones(symbol_issuer.name) not in fold_tones(named):
        named = None
    if named:
        ev.issuer, ev.issuer_rank = _complete_place(_standard_capitals(named), ctx), 2
    else:
        derived = _issuer_from_code(mention, ctx)
        if derived:
            ev.issuer, ev.issuer_rank = _standard_capitals(derived), 1
    return ev


def _is_self_reference(mention: Mention, ctx: Context) -> bool:
    """The document's own number: a code written where its header (or certification) block gives it."""
    return any(start <= mention.start < end or mention.start <= start < mention.end for start, end in ctx.own)


def _keep_stronger(best: _Evidence, ev: _Evidence) -> None:
    if ev.kind_rank > best.kind_rank:
        best.kind, best.kind_rank = ev.kind, ev.kind_rank
    if ev.date_rank > best.date_rank:
        best.date, best.date_rank = ev.date, ev.date_rank
    if ev.issuer_rank > best.issuer_rank:
        best.issuer, best.issuer_rank = ev.issuer, ev.issuer_rank


def resolve(text: str, mentions: list[Mention], ctx: Context,
            relations: Optional[list[str]] = None) -> list[Reference]:
    """One reference per code; each field from the mention with the most direct evidence for it.
    ``relations`` (one per mention, ``miner.finders.relations``) give each reference its strongest."""
    starts = [m.start for m in mentions]  # find_mentions returns them sorted by start
    refs: dict[str, Reference] = {}
    best: dict[str, _Evidence] = {}
    for index, mention in enumerate(mentions):
        ev = _evidence(text, mention, ctx, starts)
        is_self = _is_self_reference(mention, ctx)
        if is_self and ctx.header_date:
            ev.date, ev.date_rank = ctx.header_date, 4
        ref = refs.get(mention.key)
        if ref is None:
            ref = refs[mention.key] = Reference(kind=None, code=mention.code, system=mention.system,
                                                text=mention.written, self_reference=is_self)
            best[mention.key] = ev
        else:
            _keep_stronger(best[mention.key], ev)
            ref.self_reference = ref.self_reference or is_self
        if relations is not None:
            relation = "self" if is_self else relations[index]
            ref.relation = relation if ref.relation is None else strongest((ref.relation, relation))
        ref.mentions.append(Span(mention.start, mention.end))
    for key, ref in refs.items():
        ref.kind, ref.date, ref.issuer = best[key].kind, best[key].date, best[key].issuer
        ref.span = ref.mentions[0]
    return list(refs.values())
