"""Find cited directives by number, whatever the written form of the query.

``18-CT/TU``, ``18/CT-TU``, ``18 CT TU``, ``chỉ thị 18``, ``ct 18``, ``chi thi 18``,
``Chỉ thị số 18-CT/TƯ`` all ask for number 18, type CT (and issuer TU when given);
``28/2018``, ``QĐ 28 TTg``, ``quyet dinh 28/2018/QD-TTg`` ask for number 28 (year 2018,
type QĐ, issuer TTg when given).

The query is tokenised (spaces, ``/``, ``-``, ``.``, ``:``, ``,``), folded to ASCII
(``fold_ascii``: "qd" == "QĐ", "chi thi" == "Chỉ thị"), and each token is read as the
number, a 4-digit year, a type (code or words, via the rules' aliases) or an issuer code.
Directives match when the number is equal (leading zeros ignored) and the type, issuer
code and year are equal where the query gives them (a directive whose year is unknown
is not excluded by a year, it ranks lower). Exact code matches rank first.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Optional, Union

import regex

from miner import rulebook
from miner.finders.references import code_key, find_mentions
from miner.database.reader import Database, connection
from miner.resolution.directives import number_key
from miner.folding import fold_ascii

_SPLIT = regex.compile(r"[\s/\-–—.:,;()]+")
_NUMBER = regex.compile(r"^\d{1,5}[a-z]?$")
_YEAR = regex.compile(r"^(?:19|20)\d\d$")


@dataclass
class Query:
    number: Optional[str]
    type_code: Optional[str]  # canonical type code ("CT", "QĐ"), or None
    issuer_code: Optional[str]  # as in the symbol ("TU", "TTg", "QH15"), or None
    year: Optional[int]
    raw: str
    type_name: Optional[str] = None  # the type in words ("Chỉ thị") when the query names one
    type_codes: tuple[str, ...] = ()  # every folded type code that satisfies the type
    code_keys: tuple[str, ...] = ()  # code_key of a full code written in the query (for ranking)


class CitingDocument(NamedTuple):
    source: str
    title: Optional[str]
    published: Optional[str]
    snippet: Optional[str]


@dataclass
class DirectiveHit:
    kind: Optional[str]
    code: str
    date: Optional[str]
    issuer: Optional[str]
    citing: list[CitingDocument] = field(default_factory=list)
    year: Optional[int] = None
    issuer_key: Optional[str] = None
    directive_id: Optional[int] = None
    exact: bool = False  # the query wrote this very code
    citing_total: int = 0  # documents citing it in all; `citing` is one page of them (see search())


# --- parsing -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vocab() -> tuple[dict[tuple[str, ...], rulebook.DocumentType], dict[str, str], dict[str, str]]:
    tables = rulebook.tables()
    words = {tuple(alias.split()): t for alias, t in rulebook.ascii_aliases().items()}
    type_codes: dict[str, str] = {}
    for t in tables.types:
        for code in (t.party_code, t.state_code):
            if code:
                type_codes.setdefault(fold_ascii(code), code)
    issuers = {fold_ascii(i.code): i.code for i in tables.issuers}
    return words, type_codes, issuers


def _issuer_token(token: str) -> Optional[str]:
    _, _, issuers = _vocab()
    if token in issuers:
        return issuers[token]
    for issuer in rulebook.tables().issuers:  # QH15, UBTVQH14: a code followed by a term number
        code = fold_ascii(issuer.code)
        if issuer.prefix and token.startswith(code) and token[len(code):].isdigit():
            return issuer.code + token[len(code):]
    return None


def _codes_of(doc_type: rulebook.DocumentType) -> tuple[str, ...]:
    return tuple(sorted({fold_ascii(c) for c in (doc_type.party_code, doc_type.state_code) if c}))


def parse_query(q: str) -> Query:
    raw = q
    words, type_codes, _ = _vocab()
    # a full code written in the query ("Chỉ thị số 18-CT/TƯ", "18/CT-TU"): read it as the finder does
    mentions = find_mentions(" ".join(q.split()))
    keys = tuple(dict.fromkeys([code_key(m.code) for m in mentions] + [code_key(w) for w in q.split()]))
    tokens = [t for t in _SPLIT.split(fold_ascii(q)) if t]

    number: Optional[str] = None
    year: Optional[int] = None
    type_code: Optional[str] = None
    type_name: Optional[str] = None
    codes: tuple[str, ...] = ()
    issuer: Optional[str] = None
    numerics: list[str] = []

    i = 0
    longest = max((len(k) for k in words), default=1)
    while i < len(tokens):
        tok = tokens[i]
        if _NUMBER.match(tok):
            numerics.append(tok)
            i += 1
            continue
        # a type in words, longest alias first ("chuong trinh hanh dong" before "chuong trinh")
        n_words = next((n for n in range(min(longest, len(tokens) - i), 0, -1)
                        if tuple(tokens[i:i + n]) in words and (n > 1 or tok not in type_codes)), 0)
        if n_words:
            doc_type = words[tuple(tokens[i:i + n_words])]
            if type_name is None and type_code is None:
                type_name = doc_type.name
                codes = _codes_of(doc_type)
                type_code = doc_type.party_code or doc_type.state_code
            i += n_words
            continue
        if tok in type_codes:  # a type code ("ct", "qd"): it names the type exactly
            if tok not in codes:
                type_name = None
            type_code, codes = type_codes[tok], (tok,)
        elif issuer is None:
            issuer = _issuer_token(tok)
        i += 1

    # the number: the first numeric token that is not a year when another number exists
    if len(numerics) == 1:
        number = numerics[0]
    elif numerics:
        non_years = [t for t in numerics if not _YEAR.match(t)]
        number = non_years[0] if non_years else numerics[0]
        rest = [t for t in numerics if t != number or numerics.count(t) > 1]
        years = [t for t in rest if _YEAR.match(t)]
        if years:
            year = int(years[0])
    if mentions:  # a written code fixes what it carries
        m = mentions[0]
        if m.issuer_code and issuer is None:
            issuer = m.issuer_code
        if m.code_year and year is None:
            year = m.code_year
    return Query(number=number, type_code=type_code, issuer_code=issuer, year=year, raw=raw,
                 type_name=type_name, type_codes=codes, code_keys=keys)


# --- matching ------------------------------------------------------------------

def _issuer_matches(query_issuer: str, directive_issuer: Optional[str]) -> bool:
    if not directive_issuer:
        return False
    wanted = fold_ascii(query_issuer)
    full = fold_ascii(directive_issuer)
    return wanted == full or wanted == fold_ascii(directive_issuer.split("-")[0])


def _type_matches(query: Query, row) -> bool:
    if not query.type_codes and not query.type_name:
        return True
    if row["type_code"] and fold_ascii(row["type_code"]) in query.type_codes:
        return True
    # documents whose code carries no type ("16/2023/QH15"): the type in words
    return bool(query.type_name and row["kind"] and fold_ascii(row["kind"]) == fold_ascii(query.type_name))


CITING_LIMIT = 100  # citing documents listed per directive unless asked otherwise


def search(db: Database, q: str, limit: int = 50,
           citing_limit: Optional[int] = CITING_LIMIT, citing_offset: int = 0) -> list[DirectiveHit]:
    """Directives matching the query, best first, each with the documents that cite it.

    The citing documents are paged: at most `citing_limit` of them (default CITING_LIMIT; None for
    all — a much-cited plan has thousands), from `citing_offset` on, in publication order (unknown
    dates last, then by source); ``hit.citing_total`` is how many there are.
    """
    query = parse_query(q)
    if query.number is None:
        return []
    conn, owned = connection(db)
    try:
        return _search(conn, query, limit, citing_limit, citing_offset)
    finally:
        if owned:
            conn.close()


def _search(conn, query: Query, limit: int, citing_limit: Optional[int] = CITING_LIMIT,
            citing_offset: int = 0) -> list[DirectiveHit]:
    # `cited` is the stored number of citation rows (kept by the store)
    rows = conn.execute("SELECT d.* FROM directives d WHERE d.number_key = ?",
                        (number_key(query.number),)).fetchall()
    candidates = []
    for row in rows:
        if not _type_matches(query, row):
            continue
        if query.issuer_code and not _issuer_matches(query.issuer_code, row["issuer_code"]):
            continue
        if query.year is not None and row["year"] is not None and row["year"] != query.year:
            continue
        exact = row["code_key"] in query.code_keys
        rank = (not exact, query.year is not None and row["year"] is None, -row["cited"],
                row["date"] or "9999", row["id"])
        candidates.append((rank, exact, row))
    candidates.sort(key=lambda c: c[0])

    hits = []
    for _, exact, row in candidates[:limit]:
        citing = [
            CitingDocument(r["source"], r["title"], r["published"], r["snippet"])
            for r in conn.execute(
                # citing_order: (directive, published IS NULL, published, source) in index order, no sort
                "SELECT doc.source, doc.title, doc.published, c.snippet FROM citing_order o"
                " JOIN citations c ON c.id = o.citation_id JOIN documents doc ON doc.id = c.document_id"
                " WHERE o.directive_id = ? ORDER BY o.unpublished, o.published, o.source, o.citation_id"
                " LIMIT ? OFFSET ?",
                (row["id"], -1 if citing_limit is None else int(citing_limit), int(citing_offset)))
        ]
        hits.append(DirectiveHit(kind=row["kind"], code=row["code"], date=row["date"], issuer=row["issuer"],
                                 citing=citing, year=row["year"], issuer_key=row["issuer_key"],
                                 directive_id=row["id"], exact=exact, citing_total=row["cited"]))
    return hits
