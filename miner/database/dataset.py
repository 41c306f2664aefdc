"""The miner database as pandas DataFrames: filtered targets, documents, directives, citations.

    import miner.database.dataset
    db = miner.database.dataset.open("miner.db")
    db.targets(year=2020, province="thua thien hue", category="e_government")
    db.targets(year_range=(2025, 2030), directive="nghi quyet 57", indicator="doanh nghiệp số")
    db.table("targets_full")            # whole tables, and the joined views targets_full / citations_full
    db.query("SELECT year, count(*) AS n FROM targets GROUP BY year")

The database is opened read-only with plain SQL (no dependency on ``miner.database.writer``'s
classes, views or full-text tables). Every filter is a bound SQL parameter.

Filters (all optional; combined with AND):

``year``
    deadline year of the target, exactly.
``year_range``
    ``(first, last)`` inclusive; either end may be None (open).
``province``
    old (pre-2025) or 2025 name, any diacritics, optional prefix ("tỉnh", "TP"), looked up
    with :func:`miner.finders.places.lookup`. A document matches when it is about the province or
    any of its districts/communes. A 2025 name also catches the provinces merged into it
    ("Huế" → documents about Thừa Thiên Huế; "Lâm Đồng" → also Đắk Nông), and an old name
    also catches its 2025 name when that was a plain rename (Thừa Thiên Huế → Huế).
    ``merged=False`` turns both off: only places named exactly so (and their districts).
    Note that a name that is both an old and a 2025 province ("Bắc Ninh") then also
    covers the provinces merged into it (Bắc Giang).
``district``
    district name, any diacritics; every district of that name (use ``province`` too to
    pick one of several).
``category``
    topic category (``e_government``, ``digital_economy``…, see docs/categories.md); a
    string or a list of strings.
``issuer``
    folded (case- and diacritics-insensitive) substring of the issuer of any directive the
    target's document cites — as stored on the directive or as the document writes it —
    which includes the document's own self-reference (the number at the head of a full
    text). "Bộ Chính trị", "bo chinh tri", "Thủ tướng". A short code equal to the
    directive's issuer code ("TTg", "TW") matches as well.
``directive``
    a cited directive, in any written form understood by ``miner search``
    ("36-NQ/TW", "36/NQ-TW", "nghị quyết 36", "nq 36"): documents citing it (or being it).
``value_min``, ``value_max``
    targets whose value range [value, value_max or value] overlaps [value_min, value_max].
``indicator``
    words that must all appear as whole words in the target's indicator, case- and
    diacritics-insensitive ("chu ky so" finds "chữ ký số").

Integer columns come back as pandas ``Int64`` (nullable), REAL columns as ``float64``,
text as the pandas string dtype.
"""
from __future__ import annotations

import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from miner._lazy import pandas as pd  # pandas loads on first use, so `miner --help` stays fast

from miner.database.reader import open_readonly
from miner.database.schema import (CITATIONS_FULL_SQL, DIRECTIVES_SQL, DOCUMENTS_SQL, FULLTEXT_KIND_CODE,
                                   FULLTEXT_KIND_SHIFT, FULLTEXT_LAYOUT, TARGET_KEYS_SQL, TARGETS_FULL_SQL,
                                   StoreError, _TARGET_KEY_COLUMNS)
from miner.folding import fold_ascii
from miner.resolution.directives import number_key

__all__ = ["open", "Dataset", "DatasetError", "TABLES", "VIEWS", "EXPORTABLE", "SORT_KEYS"]

DEFAULT_LIMIT = 500  # a page of targets for interactive use (targets(limit=DEFAULT_LIMIT), then offset=…)
TABLES = ("documents", "directives", "citations", "places", "document_places", "targets", "objectives", "solutions")
VIEWS = ("targets_full", "citations_full")
EXPORTABLE = TABLES + VIEWS
_OTHER_TABLES = ("meta",)

_INT_COLUMNS = {"id", "document_id", "directive_id", "place_id", "target_id", "citation_id", "year", "start", "end",
                "mentions", "is_self", "size", "position", "n_targets", "n_citations", "n_citing", "directive_year"}
_FLOAT_COLUMNS = {"value", "value_max", "confidence"}


class DatasetError(Exception):
    """A missing or unreadable database, or a filter that cannot be understood."""


# --- SQL helpers registered on the connection ----------------------------------

_WORD = re.compile(r"\w+")


def _sql_fold(text: Optional[str]) -> Optional[str]:
    return None if text is None else fold_ascii(str(text))


def _sql_has_words(text: Optional[str], words: str) -> int:
    """1 when every word of `words` (already folded, space separated) is a word of `text` (folded)."""
    if text is None:
        return 0
    have = set(_WORD.findall(fold_ascii(str(text))))
    return int(all(w in have for w in words.split()))


# sort keys of db.targets(): name → column of targets_full
SORT_KEYS = {"year": "year", "value": "value", "province": "provinces", "published": "published",
             "category": "category", "indicator": "indicator", "source": "source", "confidence": "confidence",
             "id": "target_id"}


# --- places ----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _predecessors(new_province: str) -> frozenset[str]:
    """Pre-2025 provinces that became `new_province` in 2025 (itself included when it existed)."""
    from miner.finders import places

    found = set()
    for entries in places.gazetteer().by_key.values():
        for e in entries:
            if e.level == "province" and e.era == "pre-2025" and (e.new_province or e.name) == new_province:
                found.add(e.name)
    return frozenset(found)


def province_names(name: str, merged: bool = True) -> tuple[set[str], set[str]]:
    """(names, merged_into) for a province filter: names matched as the province itself or parent;
    merged_into: 2025 names whose member places also match (empty when merged=False)."""
    from miner.finders import places

    found = [p for p in places.lookup(name) if p.level == "province"]
    if not found:
        raise DatasetError(f"unknown province: {name!r}" + (" (it is a district: use district=)"
                                                            if places.lookup(name, "district") else ""))
    names = {p.name for p in found}
    merged_into: set[str] = set()
    if merged:
        for p in found:
            merged_into.add(p.name)  # as a 2025 name: whatever is now part of it
            if p.new_province and _predecessors(p.new_province) == {p.name}:
                names.add(p.new_province)  # a plain rename: Thừa Thiên Huế → Huế
                merged_into.add(p.new_province)
    return names, merged_into


class Dataset:
    """A miner SQLite database, read-only, queried into DataFrames. Use :func:`open`."""

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = os.fspath(path)
        if not os.path.isfile(self.path):
            raise DatasetError(f"no database at {self.path}: run `miner extract ...` first, or pass --db")
        try:
            self.conn = open_readonly(self.path)
            self.conn.row_factory = None  # plain tuples for the DataFrames
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        except (sqlite3.DatabaseError, StoreError) as exc:
            raise DatasetError(f"{self.path}: not a usable miner database ({exc})") from exc
        missing = [t for t in TABLES if t not in tables]
        if missing:
            self.conn.close()
            raise DatasetError(f"{self.path}: not a miner database (no table {', '.join(missing)})")
        self.conn.create_function("miner_fold", 1, _sql_fold, deterministic=True)
        self.conn.create_function("miner_has_words", 2, _sql_has_words, deterministic=True)
        # the full-text index (miner.database.writer, when this SQLite has FTS5): its target rows hold the indicator
        self._fulltext = "fulltext" in tables and _fts_readable(self.conn)
        self._target_range = _fts_target_range(self.conn) if self._fulltext else None

    # -- lifecycle
    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> "Dataset":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<miner.database.dataset.Dataset {self.path!r}>"

    # -- raw access
    def query(self, sql: str, params: Union[Sequence[Any], dict, None] = None) -> pd.DataFrame:
        """Run any SQL (bound `params`) and return a DataFrame (typed as described in the module doc)."""
        cur = self.conn.execute(sql, params if params is not None else ())
        columns = [d[0] for d in cur.description] if cur.description else []
        return _frame(cur.fetchall(), columns)

    def table(self, name: str) -> pd.DataFrame:
        """A whole table, or one of the joined views ``targets_full`` / ``citations_full``, in id order."""
        if name in VIEWS:
            return self.query(f'SELECT * FROM "{name}"')  # in id order (schema.VIEWS)
        if name in TABLES or name in _OTHER_TABLES:
            return self.query(f'SELECT * FROM "{name}" ORDER BY rowid')
        raise DatasetError(f"unknown table {name!r}; choose from {', '.join(EXPORTABLE)}")

    # -- filtered views
    def targets(self, year: Optional[int] = None, year_range: Optional[tuple[Optional[int], Optional[int]]] = None,
                province: Optional[str] = None, district: Optional[str] = None,
                category: Union[str, Iterable[str], None] = None, issuer: Optional[str] = None,
                directive: Optional[str] = None, value_min: Optional[float] = None,
                value_max: Optional[float] = None, indicator: Optional[str] = None,
                sort: str = "year", descending: bool = False, limit: Optional[int] = None,
                merged: bool = True, offset: int = 0) -> pd.DataFrame:
        """Targets joined with their document (source, title, published), places and cited directives.

        One row per target; columns as ``table("targets_full")``. Sorted by `sort` (one of
        SORT_KEYS: year, value, province, published, category, indicator, source, confidence,
        id; unknown values last), then by target id.

        Paging: at most `limit` rows (None, the default: all of them — tens of thousands on a big
        database; DEFAULT_LIMIT, 500, is the page size meant for interactive use), skipping the first
        `offset`. :meth:`count_targets` with the same filters gives the total. A page is read through
        the indexes (ids first, then their rows), so its cost does not grow with the number of matches.
        """
        if sort not in SORT_KEYS:
            raise DatasetError(f"unknown sort key {sort!r}; choose from {', '.join(SORT_KEYS)}")
        where, params = self._target_filters(year, year_range, province, district, category, issuer, directive,
                                             value_min, value_max, indicator, merged)
        column = SORT_KEYS[sort]
        order = f"{column} IS NULL, {column}{' DESC' if descending else ''}, target_id"
        if column == "year" and not descending and (year is not None or year_range is not None):
            order = "year, target_id"  # a year filter leaves no unknown year: the same order, read from an index
        base = self._targets_sql()
        if limit is None and not offset:
            return self.query(f"SELECT * FROM ({base}) {_where(where)} ORDER BY {order}", params)
        if column in _TARGET_KEY_COLUMNS:
            # the page's ids first, from the targets table alone (indexes, no per-row joins), then their rows
            page = f"SELECT target_id FROM ({TARGET_KEYS_SQL}) {_where(where)} ORDER BY {order}"
            page += _limit(limit, params, offset)
            return self.query(f"SELECT * FROM ({base}) WHERE target_id IN ({page}) ORDER BY {order}", params)
        sql = f"SELECT * FROM ({base}) {_where(where)} ORDER BY {order}"
        return self.query(sql + _limit(limit, params, offset), params)

    def count_targets(self, year: Optional[int] = None,
                      year_range: Optional[tuple[Optional[int], Optional[int]]] = None,
                      province: Optional[str] = None, district: Optional[str] = None,
                      category: Union[str, Iterable[str], None] = None, issuer: Optional[str] = None,
                      directive: Optional[str] = None, value_min: Optional[float] = None,
                      value_max: Optional[float] = None, indicator: Optional[str] = None,
                      merged: bool = True) -> int:
        """How many targets :meth:`targets` would return with these filters and no limit."""
        where, params = self._target_filters(year, year_range, province, district, category, issuer, directive,
                                             value_min, value_max, indicator, merged)
        sql = f"SELECT count(*) FROM ({TARGET_KEYS_SQL}) {_where(where)}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def _targets_sql(self) -> str:
        return TARGETS_FULL_SQL

    def _target_filters(self, year, year_range, province, district, category, issuer, directive,
                        value_min, value_max, indicator, merged) -> tuple[list[str], list[Any]]:
        """WHERE clauses over columns that targets_full and the targets table share (year, category,
        value, value_max, indicator, document_id), and their parameters."""
        where: list[str] = []
        params: list[Any] = []
        if year is not None:
            where.append("year = ?")
            params.append(int(year))
        if year_range is not None:
            first, last = year_range
            if first is not None:
                where.append("year >= ?")
                params.append(int(first))
            if last is not None:
                where.append("year <= ?")
                params.append(int(last))
        if category is not None:
            cats = [category] if isinstance(category, str) else list(category)
            where.append(f"category IN ({','.join('?' * len(cats))})")
            params.extend(cats)
        if value_min is not None:
            where.append("coalesce(value_max, value) >= ?")
            params.append(float(value_min))
        if value_max is not None:
            where.append("value <= ?")
            params.append(float(value_max))
        if indicator is not None:
            words = " ".join(_WORD.findall(fold_ascii(indicator)))
            if words:
                if self._fulltext and _fts_words(words):
                    # candidates from the full-text index (target rows: title = the folded indicator),
                    # confirmed by the exact word test on those few rows only; with the schema-3
                    # layout the target rows are a rowid range the index seeks to
                    where.append(f"target_id IN (SELECT row_id FROM fulltext WHERE fulltext MATCH ?"
                                 f"{' AND rowid >= ? AND rowid < ?' if self._target_range else ''}"
                                 f" AND kind = 'target') AND miner_has_words(indicator, ?) = 1")
                    params.extend([_fts_words(words), *(self._target_range or ()), words])
                else:
                    where.append("miner_has_words(indicator, ?) = 1")
                    params.append(words)
        self._document_filters(where, params, "document_id", province, district, issuer, directive, merged)
        return where, params

    def documents(self, year: Optional[int] = None, year_range: Optional[tuple[Optional[int], Optional[int]]] = None,
                  province: Optional[str] = None, district: Optional[str] = None, issuer: Optional[str] = None,
                  directive: Optional[str] = None, title: Optional[str] = None, limit: Optional[int] = None,
                  merged: bool = True) -> pd.DataFrame:
        """Documents (without their text) with places, own code and counts; `year`/`year_range` are the
        publication year, `title` words must all appear in the title (diacritics-insensitive)."""
        where: list[str] = []
        params: list[Any] = []
        _year_filters(where, params, "CAST(substr(published, 1, 4) AS INTEGER)", year, year_range)
        if title:
            where.append("miner_has_words(title, ?) = 1")
            params.append(" ".join(_WORD.findall(fold_ascii(title))))
        self._document_filters(where, params, "id", province, district, issuer, directive, merged)
        sql = f"SELECT * FROM ({DOCUMENTS_SQL}) {_where(where)} ORDER BY published IS NULL, published, id"
        return self.query(sql + _limit(limit, params), params)

    def directives(self, directive: Optional[str] = None, issuer: Optional[str] = None, year: Optional[int] = None,
                   year_range: Optional[tuple[Optional[int], Optional[int]]] = None, kind: Optional[str] = None,
                   limit: Optional[int] = None) -> pd.DataFrame:
        """Directives (cited documents) with the number of documents citing them; `directive` in any
        written form, `issuer` a folded substring of the issuer name (or the issuer code), `kind` a
        folded substring of the kind ("chi thi"), `year` the year of issue."""
        where: list[str] = []
        params: list[Any] = []
        if directive is not None:
            ids = self.directive_ids(directive)
            where.append(f"id IN ({','.join('?' * len(ids))})" if ids else "0")
            params.extend(ids)
        if issuer:
            where.append("(instr(miner_fold(issuer), ?) > 0 OR miner_fold(issuer_code) = ?)")
            params.extend([fold_ascii(issuer), fold_ascii(issuer)])
        if kind:
            where.append("instr(miner_fold(kind), ?) > 0")
            params.append(fold_ascii(kind))
        _year_filters(where, params, "year", year, year_range)
        sql = f"SELECT * FROM ({DIRECTIVES_SQL}) {_where(where)} ORDER BY n_citing DESC, id"
        return self.query(sql + _limit(limit, params), params)

    def citations(self, directive: Optional[str] = None, issuer: Optional[str] = None,
                  province: Optional[str] = None, district: Optional[str] = None,
                  document_id: Optional[int] = None, include_self: bool = True,
                  limit: Optional[int] = None, merged: bool = True) -> pd.DataFrame:
        """Citations with their document and directive (``citations_full``). `directive` and `issuer`
        select the cited directive itself; `province`/`district` the citing document."""
        where: list[str] = []
        params: list[Any] = []
        if directive is not None:
            ids = self.directive_ids(directive)
            where.append(f"directive_id IN ({','.join('?' * len(ids))})" if ids else "0")
            params.extend(ids)
        if issuer:
            folded = fold_ascii(issuer)
            where.append("(instr(miner_fold(directive_issuer), ?) > 0 OR instr(miner_fold(cited_issuer), ?) > 0"
                         " OR directive_id IN (SELECT id FROM directives WHERE miner_fold(issuer_code) = ?))")
            params.extend([folded, folded, folded])
        if document_id is not None:
            where.append("document_id = ?")
            params.append(int(document_id))
        if not include_self:
            where.append("is_self = 0")
        self._document_filters(where, params, "document_id", province, district, None, None, merged)
        sql = f"SELECT * FROM ({CITATIONS_FULL_SQL}) {_where(where)} ORDER BY document_id, start IS NULL, start, citation_id"
        return self.query(sql + _limit(limit, params), params)

    # -- building blocks
    def directive_ids(self, q: str) -> list[int]:
        """Ids of the directives matching a query in any written form (the rules of ``miner search``)."""
        from miner.database.search import _issuer_matches, _type_matches, parse_query

        query = parse_query(q)
        if query.number is None:
            raise DatasetError(f"cannot read a directive number in {q!r} (try '36-NQ/TW' or 'nghị quyết 36')")
        self.conn.row_factory = sqlite3.Row
        try:
            rows = self.conn.execute("SELECT * FROM directives WHERE number_key = ? ORDER BY id",
                                     (number_key(query.number),)).fetchall()
        finally:
            self.conn.row_factory = None
        return [row["id"] for row in rows
                if _type_matches(query, row)
                and (not query.issuer_code or _issuer_matches(query.issuer_code, row["issuer_code"]))
                and (query.year is None or row["year"] is None or row["year"] == query.year)]

    def place_ids(self, province: Optional[str] = None, district: Optional[str] = None,
                  merged: bool = True) -> list[int]:
        """Ids of the places (rows of ``places``) a province and/or district filter selects."""
        rows = self.conn.execute("SELECT id, name, level, province, new_province FROM places").fetchall()
        selected = {r[0] for r in rows}
        if province is not None:
            names, merged_into = province_names(province, merged)
            selected &= {pid for pid, name, level, parent, new in rows
                         if (name if level == "province" else parent) in names or new in merged_into}
        if district is not None:
            from miner.finders import places

            found = {(p.name, p.province) for p in places.lookup(district, "district")}
            if not found:
                raise DatasetError(f"unknown district: {district!r}")
            selected &= {pid for pid, name, level, parent, new in rows
                         if level == "district" and ((name, parent) in found or (name, None) in found)}
        return sorted(selected)

    def _document_filters(self, where: list[str], params: list[Any], doc_column: str,
                          province: Optional[str], district: Optional[str], issuer: Optional[str],
                          directive: Optional[str], merged: bool) -> None:
        if province is not None or district is not None:
            ids = self.place_ids(province, district, merged)
            if ids:
                where.append(f"{doc_column} IN (SELECT document_id FROM document_places"
                             f" WHERE place_id IN ({','.join('?' * len(ids))}))")
                params.extend(ids)
            else:
                where.append("0")
        if issuer:
            folded = fold_ascii(issuer)
            where.append(f"{doc_column} IN (SELECT c.document_id FROM citations c"
                         " JOIN directives di ON di.id = c.directive_id"
                         " WHERE instr(miner_fold(di.issuer), ?) > 0 OR instr(miner_fold(c.cited_issuer), ?) > 0"
                         " OR miner_fold(di.issuer_code) = ?)")
            params.extend([folded, folded, folded])
        if directive is not None:
            ids = self.directive_ids(directive)
            if ids:
                where.append(f"{doc_column} IN (SELECT document_id FROM citations"
                             f" WHERE directive_id IN ({','.join('?' * len(ids))}))")
                params.extend(ids)
            else:
                where.append("0")


def open(path: Union[str, os.PathLike] = "miner.db") -> Dataset:  # noqa: A001 - the API's name
    """Open a miner database (read-only) for DataFrame queries. Raises DatasetError if it is missing."""
    return Dataset(path)


# --- helpers ---------------------------------------------------------------------

def _where(clauses: list[str]) -> str:
    return "WHERE " + " AND ".join(clauses) if clauses else ""


def _limit(limit: Optional[int], params: list[Any], offset: int = 0) -> str:
    if limit is None:
        if not offset:
            return ""
        limit = -1  # SQLite: no limit
    params.append(int(limit))
    if offset:
        params.append(int(offset))
        return " LIMIT ? OFFSET ?"
    return " LIMIT ?"


def _fts_readable(conn: sqlite3.Connection) -> bool:
    """This SQLite can read the FTS5 table ``fulltext`` (built with FTS5)."""
    try:
        conn.execute("SELECT 1 FROM fulltext WHERE fulltext MATCH 'x' LIMIT 0").fetchall()
        return True
    except sqlite3.DatabaseError:
        return False


def _fts_target_range(conn: sqlite3.Connection) -> Optional[tuple[int, int]]:
    """[first, end) rowids of the target rows of ``fulltext`` when the index has the schema-3 layout."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'fulltext_layout'").fetchone()
    except sqlite3.DatabaseError:
        return None
    if not row or row[0] != FULLTEXT_LAYOUT:
        return None
    code = FULLTEXT_KIND_CODE["target"]
    return code << FULLTEXT_KIND_SHIFT, (code + 1) << FULLTEXT_KIND_SHIFT


_FTS_TOKEN = re.compile(r"[a-z0-9]+")


def _fts_words(words: str) -> Optional[str]:
    """FTS5 expression requiring, in the title column, every word of `words` (folded, space separated);
    None when a word is not a plain ASCII token (the index tokenises otherwise: no prefilter then)."""
    tokens = words.split()
    if not tokens or not all(_FTS_TOKEN.fullmatch(w) for w in tokens):
        return None
    return " AND ".join(f'title : "{w}"' for w in tokens)


def _year_filters(where: list[str], params: list[Any], column: str, year: Optional[int],
                  year_range: Optional[tuple[Optional[int], Optional[int]]]) -> None:
    if year is not None:
        where.append(f"{column} = ?")
        params.append(int(year))
    if year_range is not None:
        first, last = year_range
        if first is not None:
            where.append(f"{column} >= ?")
            params.append(int(first))
        if last is not None:
            where.append(f"{column} <= ?")
            params.append(int(last))


def parse_year(text: str) -> tuple[Optional[int], Optional[tuple[Optional[int], Optional[int]]]]:
    """'2020' → (2020, None); '2020-2025' / '2020..2025' → (None, (2020, 2025)); '2025-' / '-2025' open ends."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})?\s*(?:-|–|\.\.|:)\s*(\d{4})?", text)
    if re.fullmatch(r"\d{4}", text):
        return int(text), None
    if m and (m.group(1) or m.group(2)):
        first = int(m.group(1)) if m.group(1) else None
        last = int(m.group(2)) if m.group(2) else None
        if first is not None and last is not None and first > last:
            first, last = last, first
        return None, (first, last)
    raise DatasetError(f"cannot read a year or year range in {text!r} (try 2020 or 2020-2025)")


def string_dtype():
    """The pandas default string dtype ("str" in pandas ≥ 3, "string" before)."""
    try:
        return pd.StringDtype(na_value=float("nan"))
    except TypeError:  # pandas < 2.1
        return pd.StringDtype()


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """DataFrame with stable dtypes: integers Int64, reals float64, text the string dtype."""
    data: dict[str, pd.Series] = {}
    for i, name in enumerate(columns):
        values = [r[i] for r in rows]
        data[name] = _series(values, name)
    frame = pd.DataFrame(data, columns=columns)
    if len(set(columns)) != len(columns):  # duplicate names from a user query: keep them positionally
        frame = pd.DataFrame({i: _series([r[i] for r in rows], c) for i, c in enumerate(columns)})
        frame.columns = columns
    return frame


def _series(values: list, name: str) -> pd.Series:
    kinds = {type(v) for v in values if v is not None}
    if name in _INT_COLUMNS and kinds <= {int}:
        return pd.Series(values, dtype="Int64")
    if name in _FLOAT_COLUMNS and kinds <= {int, float}:
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if not kinds:
        return pd.Series(values, dtype=string_dtype() if name not in _INT_COLUMNS else "Int64")
    if kinds == {int}:
        return pd.Series(values, dtype="Int64")
    if kinds <= {int, float}:
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kinds == {str}:
        return pd.Series(values, dtype=string_dtype())
    return pd.Series(values, dtype=object)


# --- writing ---------------------------------------------------------------------

FORMATS = ("csv", "parquet", "jsonl", "json")
SUFFIXES = {"csv": ".csv", "parquet": ".parquet", "jsonl": ".jsonl", "json": ".json"}


def write_frame(frame: pd.DataFrame, fmt: str, target) -> None:
    """Write `frame` as csv (UTF-8, header, no index), parquet (pyarrow), jsonl (one object a line)
    or json (one array) to a path or, except parquet, a text stream. Missing values: empty in CSV,
    null in JSON."""
    if fmt == "csv":
        frame.to_csv(target, index=False, lineterminator="\n")
    elif fmt == "parquet":
        frame.to_parquet(target, index=False, engine="pyarrow")
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False) if len(frame) else ""
        _write_text(target, text if not text or text.endswith("\n") else text + "\n")
    elif fmt == "json":
        _write_text(target, frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        raise DatasetError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _write_text(target, text: str) -> None:
    if hasattr(target, "write"):
        target.write(text)
    else:
        with Path(target).open("w", encoding="utf-8") as fh:
            fh.write(text)
