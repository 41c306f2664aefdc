"""Diacritic-insensitive full-text search over the store (SQLite FTS5).

The index (table ``fulltext``, see docs/schema.md) holds an ASCII-folded copy of
each searchable text: lower case, tone and vowel marks dropped, ``đ`` → ``d``
(``"Chữ ký số"`` → ``"chu ky so"``). Queries are folded the same way, so
``chu ky so``, ``chữ ký số`` and ``CHỮ KÝ SỐ`` are one query, and ``dich vu cong``
finds ``dịch vụ công``.

Highlights: :func:`fold_map` folds character by character and keeps, for every
folded character, the offset of the original character it came from. For NFC
Vietnamese the folded copy has exactly the original's length (one character for
one character); NFD input, where a combining mark folds to nothing, is handled by
the map. FTS5 ``highlight()`` marks the matched tokens in the folded copy, the
marks' offsets are mapped back, and the snippet is cut from the ORIGINAL text at
those offsets, so the words shown are the words written, with their diacritics.

Ranking: hits containing the whole query as a phrase ("chu ky so" as written, in
that order) come first, then hits that merely contain every word; within each
group FTS5's bm25 (document titles and target indicators weigh 3× the body).
"""
from __future__ import annotations

import bisect
import os
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Union

import regex

from miner.database.reader import connection
from miner.database.schema import FULLTEXT_KIND_CODE, FULLTEXT_KIND_SHIFT, FULLTEXT_LAYOUT
from miner.folding import _one_for_one, fold_map, fold_text

SCOPES = {
    "documents": ("document",),
    "targets": ("target",),
    "solutions": ("solution", "objective"),
    "all": ("document", "target", "solution", "objective"),
}
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
_OPEN, _CLOSE = "\x01", "\x02"
_MARKS = regex.compile("[\x01\x02]")


class FulltextError(RuntimeError):
    pass


# --- queries -------------------------------------------------------------------

_TOKEN = regex.compile(r"[a-z0-9]+")
_TERM = regex.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> Optional[str]:
    """An FTS5 MATCH expression for a user query: every term must occur (AND).

    A term written with punctuation (``36-NQ/TW``) or in double quotes is a phrase;
    a trailing ``*`` asks for a prefix (``chuyen*``). Returns None for a query with no word.
    """
    parts: list[str] = []
    for m in _TERM.finditer(text):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        prefix = raw.endswith("*") and m.group(1) is None
        tokens = _TOKEN.findall(fold_text(raw) or "")
        if not tokens:
            continue
        phrase = " ".join(tokens)
        parts.append(f'"{phrase}"' + ("*" if prefix else ""))
    return " AND ".join(parts) if parts else None


def fts_queries(text: str) -> list[str]:
    """MATCH expressions in rank order: the whole query as one phrase (when it has several words
    and no quotes), then every term anywhere (AND)."""
    every = fts_query(text)
    if every is None:
        return []
    tokens = _TOKEN.findall(fold_text(text) or "")
    if '"' not in text and "*" not in text and len(tokens) > 1:
        return [f'"{" ".join(tokens)}"', every]
    return [every]


# --- results -------------------------------------------------------------------

@dataclass
class Hit:
    kind: str  # document | target | solution | objective
    document_id: int
    row_id: int  # documents.id, targets.id, or the list position
    source: str
    title: Optional[str]
    published: Optional[str]
    score: float  # bm25: lower is better
    field: str  # "title" or "body": where the snippet comes from
    snippet: str  # from the original text, matches wrapped in [ ]
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans of the matches in `snippet` (without brackets)
    plain: str = ""  # the snippet without brackets
    spans: list[tuple[int, int]] = field(default_factory=list)  # spans of the matches in the original text
    also: int = 0  # further hits of the same kind in the same document with this very snippet

    def render(self, bold: bool = False) -> str:
        """The snippet with matches wrapped in [ ] or, with bold=True, ANSI bold."""
        return mark(self.plain, self.highlights, ("\x1b[1m", "\x1b[0m") if bold else ("[", "]"))

    def to_json(self) -> dict:
        return {"kind": self.kind, "document_id": self.document_id, "row_id": self.row_id, "source": self.source,
                "title": self.title, "published": self.published, "score": round(self.score, 4),
                "field": self.field, "snippet": self.snippet, "highlights": [list(h) for h in self.highlights],
                "spans": [list(s) for s in self.spans], "also": self.also}


def mark(text: str, spans: list[tuple[int, int]], marks: tuple[str, str] = ("[", "]")) -> str:
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s])
        out.append(marks[0] + text[s:e] + marks[1])
        last = e
    out.append(text[last:])
    return "".join(out)


def match_spans(highlighted: str) -> list[tuple[int, int]]:
    """Offsets (in the un-marked folded text) of the spans FTS5 highlight() wrapped in \\x01 … \\x02."""
    spans, shift, start = [], 0, None
    for m in _MARKS.finditer(highlighted):  # only the marks, not every character
        i, c = m.start(), m.group()
        if c == _OPEN:
            start = i - shift
            shift += 1
        elif c == _CLOSE:
            shift += 1
            if start is not None:
                spans.append((start, i - shift + 1))
            start = None
    return spans


def cut_snippet(original: str, spans: list[tuple[int, int]], width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of `original` around the densest group of match spans, whitespace folded.

    Returns the snippet and the match spans inside it.
    """
    if not spans:
        body = " ".join(original[:width].split())
        return body + ("…" if len(original) > width else ""), []
    # the window start that covers the most matches (the first such start)
    best, best_n = spans[0][0], 0
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    if all(x <= y for x, y in zip(starts, starts[1:])) and all(x <= y for x, y in zip(ends, ends[1:])):
        # spans in order (highlight()'s): those inside [s, s + width] are a run, found by bisection
        for s in starts:
            n = max(0, bisect.bisect_right(ends, s + width) - bisect.bisect_left(starts, s))
            if n > best_n:
                best, best_n = s, n
    else:
        for s, _ in spans:
            n = sum(1 for a, b in spans if a >= s and b <= s + width)
            if n > best_n:
                best, best_n = s, n
    inside = [(a, b) for a, b in spans if a >= best and b <= best + width] or [spans[0]]
    first, last = inside[0][0], inside[-1][1]
    room = max(0, width - (last - first))
    left = max(0, first - room // 3)
    right = min(len(original), max(last, left + width))
    if left > 0:
        space = original.rfind(" ", max(0, left - 15), left + 1)
        left = space + 1 if space != -1 and space < first else left
    if right < len(original):
        space = original.find(" ", right, right + 15)
        right = space if space != -1 else right
    # fold whitespace while tracking offsets
    pieces: list[str] = []
    pos_map: dict[int, int] = {}
    out_len = 0
    prev_space = False
    for i in range(left, right):
        pos_map[i] = out_len
        c = original[i]
        if c.isspace():
            if prev_space or out_len == 0:
                continue
            pieces.append(" ")
            prev_space = True
        else:
            pieces.append(c)
            prev_space = False
        out_len += 1
    pos_map[right] = out_len
    prefix = "…" if left > 0 else ""
    text = "".join(pieces).rstrip()
    shift = len(prefix)
    spans_out = []
    for a, b in spans:
        if a >= left and b <= right:
            spans_out.append((pos_map[a] + shift, min(pos_map[b], len(text)) + shift))
    return prefix + text + ("…" if right < len(original) else ""), spans_out


# --- search --------------------------------------------------------------------

def search(db: Union[str, os.PathLike, sqlite3.Connection, "object"], query: str, limit: int = 20,
           scope: str = "all", width: int = 160) -> list[Hit]:
    """Full-text hits for `query`, best (lowest bm25) first. `scope`: documents|targets|solutions|all."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    matches = fts_queries(query)
    if not matches:
        return []
    conn, owned = connection(db)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fulltext'").fetchone():
            raise FulltextError("this database has no full-text index (SQLite without FTS5?)")
        kinds = SCOPES[scope]
        where, params = _scope_filter(conn, kinds)
        rows: list = []
        seen: set = set()
        fetch = limit * 4  # room for hits that collapse into one (several targets read from one sentence)
        for match in matches:  # the phrase hits first, then the others
            if len(rows) >= fetch:
                break
            for r in _query(conn, match, where, params, fetch, query):
                if (r[0], r[1], r[2]) not in seen and len(rows) < fetch:
                    seen.add((r[0], r[1], r[2]))
                    rows.append(r)
        hits: list[Hit] = []
        by_text: dict[tuple, Hit] = {}
        for r in rows:
            hit = _hit(conn, r, width)
            same = by_text.get((hit.kind, hit.document_id, hit.plain))
            if same is not None:  # the same words again (targets sharing a sentence): counted, not repeated
                same.also += 1
                continue
            if len(hits) < limit:
                by_text[(hit.kind, hit.document_id, hit.plain)] = hit
                hits.append(hit)
        return hits
    finally:
        if owned:
            conn.close()


def _scope_filter(conn: sqlite3.Connection, kinds: tuple) -> tuple[str, tuple]:
    """SQL restricting the match to `kinds`: a rowid range the FTS5 index seeks (schema-3 layout, see
    miner.database.writer.FULLTEXT_LAYOUT), nothing for all kinds, else the unindexed `kind` column (older layout)."""
    if set(kinds) >= set(FULLTEXT_KIND_CODE):
        return "", ()
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'fulltext_layout'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    codes = sorted(FULLTEXT_KIND_CODE[k] for k in kinds)
    if row is not None and row[0] == FULLTEXT_LAYOUT and codes == list(range(codes[0], codes[-1] + 1)):
        return " AND f.rowid >= ? AND f.rowid < ?", (codes[0] << FULLTEXT_KIND_SHIFT,
                                                     (codes[-1] + 1) << FULLTEXT_KIND_SHIFT)
    return f" AND f.kind IN ({','.join('?' * len(kinds))})", tuple(kinds)


def _query(conn: sqlite3.Connection, match: str, where: str, params: tuple, limit: int, query: str) -> list:
    """The best `limit` rows of one MATCH: (kind, row_id, document_id, h_title, h_body, score), ordered by
    score, document_id, row_id.

    Ranked on bm25 alone first (reading no stored column for the thousands of rows a common word
    matches), with room for ties: every row scoring at most the `limit`-th score is read (all of
    them, when ties reach past the room) and ordered by (score, document_id, row_id), exactly as
    ``ORDER BY score, document_id, row_id LIMIT n`` would. Then highlight() of the kept rows only.
    """
    ranking = (f"SELECT f.rowid, bm25(fulltext, 0, 0, 0, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score"
               f" FROM fulltext f WHERE fulltext MATCH ?{where} ORDER BY score LIMIT ?")
    try:
        if limit <= 0:
            return []
        # bm25 is computed for every match whatever the LIMIT: a generous one costs little
        room = limit * 8 + 64
        ranked = conn.execute(ranking, (match, *params, room)).fetchall()
        if len(ranked) == room and ranked[-1][1] <= ranked[limit - 1][1]:
            ranked = conn.execute(ranking, (match, *params, -1)).fetchall()  # ties beyond the room: all
        if not ranked:
            return []
        cut = ranked[min(limit, len(ranked)) - 1][1]
        details = []
        for rowid, score in ranked:
            if score > cut:  # cannot be among the first `limit` (ties at `cut` are ordered below)
                break
            r = conn.execute("SELECT kind, row_id, document_id FROM fulltext WHERE rowid = ?", (rowid,)).fetchone()
            details.append((score, r[2], r[1], rowid, r[0]))
        details.sort(key=lambda d: d[:3])
        kept = details[:limit]
        # highlight() of the kept rows only: one seek per row, or, for a prefix query (whose terms
        # FTS5 would expand again at every seek), one pass over the match filtered by `+rowid`
        highlight = (f"SELECT rowid, highlight(fulltext, 3, '{_OPEN}', '{_CLOSE}'),"
                     f" highlight(fulltext, 4, '{_OPEN}', '{_CLOSE}') FROM fulltext WHERE fulltext MATCH ?")
        rowids = [d[3] for d in kept]
        if "*" in match or where:  # a prefix query, or a scope: one pass over the rowid range of the kept rows
            found = conn.execute(f"{highlight} AND rowid >= ? AND rowid <= ?"
                                 f" AND +rowid IN ({','.join('?' * len(rowids))})",
                                 (match, min(rowids), max(rowids), *rowids))
        else:
            found = [conn.execute(f"{highlight} AND rowid = ?", (match, rowid)).fetchone() for rowid in rowids]
        marks = {r[0]: (r[1], r[2]) for r in found}
        return [(kind, row_id, document_id, *marks[rowid], score) for score, document_id, row_id, rowid, kind in kept]
    except sqlite3.OperationalError as e:
        raise FulltextError(f"bad query {query!r}: {e}") from e


def _originals(conn: sqlite3.Connection, kind: str, row_id: int, document_id: int) -> tuple[Optional[str], Optional[str]]:
    if kind == "document":
        r = conn.execute("SELECT title, text FROM documents WHERE id = ?", (row_id,)).fetchone()
    elif kind == "target":
        r = conn.execute("SELECT indicator, sentence FROM targets WHERE id = ?", (row_id,)).fetchone()
    else:
        table = "solutions" if kind == "solution" else "objectives"
        r = conn.execute(f"SELECT NULL, text FROM {table} WHERE document_id = ? AND position = ?",
                         (document_id, row_id)).fetchone()
    return (r[0], r[1]) if r else (None, None)


def _hit(conn: sqlite3.Connection, row, width: int) -> Hit:
    kind, row_id, doc_id = row[0], row[1], row[2]
    title_o, body_o = _originals(conn, kind, row_id, doc_id)
    doc = conn.execute("SELECT source, title, published FROM documents WHERE id = ?", (doc_id,)).fetchone()
    # the snippet comes from the body when it matched there, else from the title
    chosen = None
    for name, highlighted, original in (("body", row[4], body_o), ("title", row[3], title_o)):
        if highlighted and _OPEN in highlighted and original:
            chosen = (name, highlighted, original)
            break
    if chosen is None:
        original = body_o or title_o or ""
        snippet, hl = cut_snippet(original, [], width)
        name, spans = "body", []
    else:
        name, highlighted, original = chosen
        folded_spans = match_spans(highlighted)
        if _one_for_one(original):  # NFC Vietnamese: folded offsets are the original's (fold_map's identity)
            spans = [(a, b) for a, b in folded_spans if b > a]
        else:
            _, offsets = fold_map(original)
            # end: where the next folded character comes from, so trailing combining marks (NFD) stay inside
            spans = [(offsets[a], offsets[b]) for a, b in folded_spans if b > a]
        snippet, hl = cut_snippet(original, spans, width)
    return Hit(kind=kind, document_id=doc_id, row_id=row_id, source=doc[0] if doc else "?",
               title=doc[1] if doc else None, published=doc[2] if doc else None, score=row[5], field=name,
               snippet=mark(snippet, hl), highlights=hl, plain=snippet, spans=spans)
