"""Store extraction records in a normalized SQLite database (see docs/schema.md).

One ``documents`` row per input (by content hash), one ``directives`` row per
distinct cited document (code + issuer scope + year, not the code alone),
one ``citations`` row per (document, directive), plus places, targets and
the objective/solution lists. Plain SQL through :mod:`sqlite3`.

Schema 3 adds derived rows kept in step by :meth:`Store.add_records` (and filled when an
older file is opened): ``document_summary`` (per document: place lists and cited codes, so
``miner targets`` joins one row instead of six subqueries per target), ``citing_order`` (each
directive's citing documents in publication order, so ``miner search`` pages them without a
sort), indexes for the targets' default order and filters, and a full-text rowid layout with
one rowid range per kind (``FULLTEXT_LAYOUT``), so a ``miner find`` scope restricts the match.

Writes: one transaction per :meth:`Store.add_records` call (``BEGIN
IMMEDIATE`` … ``COMMIT``, rolled back on any error). Re-adding a document
with the same sha256 and rules version is a no-op; with another rules
version its rows are replaced.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone
from typing import Iterable, Mapping, Optional

import regex

from miner import rulebook as rules
from miner.records import Record, Reference
from miner.finders.references import code_key, find_mentions
from miner.folding import fold_ascii

SCHEMA_VERSION = "3"
# documents.text keeps at most this many characters: snippets and full-text search of a
# 50 MB crawl dump would otherwise cost gigabytes of memory in one transaction.
STORED_TEXT_CHARS = 2_000_000


def capped_text(text: Optional[str]) -> Optional[str]:
    return text[:STORED_TEXT_CHARS] if text is not None and len(text) > STORED_TEXT_CHARS else text
# Party Congresses: Party central numbers restart with each Central Committee term (docs/schema.md)
CONGRESSES = (("VIII", "1996-06-28"), ("IX", "2001-04-19"), ("X", "2006-04-18"), ("XI", "2011-01-12"),
              ("XII", "2016-01-20"), ("XIII", "2021-01-25"), ("XIV", "2026-01-19"))
LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}
# words that say "this document carries out that one" (folded to ASCII)
IMPLEMENT_WORDS = ("thuc hien", "trien khai", "quan triet", "cu the hoa", "thi hanh", "to chuc thuc hien")
SNIPPET_CHARS = 120

_STRICT = " STRICT" if sqlite3.sqlite_version_info >= (3, 37, 0) else ""


def _ddl() -> list[str]:
    s = _STRICT
    return [
        f"""CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS documents (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            path TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            title TEXT,
            published TEXT,
            encoding TEXT,
            format TEXT,
            size INTEGER,
            rules_version TEXT NOT NULL,
            extracted_at TEXT NOT NULL,
            text TEXT
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS directives (
            id INTEGER PRIMARY KEY,
            kind TEXT,
            code TEXT NOT NULL,
            code_key TEXT NOT NULL,
            number TEXT,
            number_key TEXT,
            type_code TEXT,
            issuer_code TEXT,
            issuer TEXT,
            issuer_key TEXT NOT NULL,
            system TEXT,
            year INTEGER,
            date TEXT,
            level TEXT,
            term INTEGER,
            cited INTEGER NOT NULL DEFAULT 0,
            variants INTEGER NOT NULL DEFAULT 0
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS citations (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            directive_id INTEGER NOT NULL REFERENCES directives(id),
            text TEXT,
            start INTEGER,
            "end" INTEGER,
            mentions INTEGER NOT NULL DEFAULT 1,
            cited_date TEXT,
            cited_issuer TEXT,
            cited_kind TEXT,
            is_self INTEGER NOT NULL DEFAULT 0,
            snippet TEXT,
            UNIQUE (document_id, directive_id)
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS places (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            province TEXT,
            new_province TEXT
        ){s}""",
        "CREATE UNIQUE INDEX IF NOT EXISTS places_identity ON places(name, level, ifnull(province, ''))",
        f"""CREATE TABLE IF NOT EXISTS document_places (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            place_id INTEGER NOT NULL REFERENCES places(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (document_id, place_id)
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS targets (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            value REAL NOT NULL,
            value_max REAL,
            unit TEXT,
            comparator TEXT,
            year INTEGER,
            indicator TEXT,
            category TEXT,
            sentence TEXT,
            start INTEGER,
            "end" INTEGER,
            confidence REAL
        ){s}""",
        *(f"""CREATE TABLE IF NOT EXISTS {items} (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            PRIMARY KEY (document_id, position)
        ){s}""" for items in ("objectives", "solutions")),
        f"""CREATE TABLE IF NOT EXISTS directive_links (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            child_id INTEGER NOT NULL REFERENCES directives(id),
            parent_id INTEGER NOT NULL REFERENCES directives(id),
            rule TEXT NOT NULL,
            evidence TEXT,
            UNIQUE (document_id, child_id, parent_id)
        ){s}""",
        "CREATE INDEX IF NOT EXISTS directive_links_parent ON directive_links(parent_id)",
        "CREATE INDEX IF NOT EXISTS directive_links_child ON directive_links(child_id)",
        "CREATE INDEX IF NOT EXISTS directive_links_document ON directive_links(document_id)",
        "CREATE INDEX IF NOT EXISTS directives_code_key ON directives(code_key)",
        "CREATE INDEX IF NOT EXISTS directives_number ON directives(number)",
        "CREATE INDEX IF NOT EXISTS directives_number_key ON directives(number_key)",
        # schema 3: (directive_id, document_id), covering "the documents citing these directives"
        "CREATE INDEX IF NOT EXISTS citations_directive ON citations(directive_id, document_id)",
        "CREATE INDEX IF NOT EXISTS citations_document ON citations(document_id)",
        "CREATE INDEX IF NOT EXISTS targets_year ON targets(year)",
        "CREATE INDEX IF NOT EXISTS targets_category ON targets(category)",
        # schema 3: (document_id, year) instead of (document_id): covers the year order of the targets of
        # a set of documents (targets citing a directive, about a province) without reading the rows
        "CREATE INDEX IF NOT EXISTS targets_document_year ON targets(document_id, year)",
        "DROP INDEX IF EXISTS targets_document",
        "CREATE INDEX IF NOT EXISTS documents_published ON documents(published)",
        "CREATE INDEX IF NOT EXISTS documents_source ON documents(source)",
        "CREATE INDEX IF NOT EXISTS places_name ON places(name)",
        "CREATE INDEX IF NOT EXISTS document_places_place ON document_places(place_id)",
        # schema 3: the order `miner targets` sorts by by default (unknown years last), so a page is read in order
        "CREATE INDEX IF NOT EXISTS targets_year_order ON targets(year IS NULL, year)",
        "CREATE INDEX IF NOT EXISTS targets_category_year ON targets(category, year)",
        # schema 3: per document, its place lists and cited codes, computed once (what targets_full shows)
        f"""CREATE TABLE IF NOT EXISTS document_summary (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            provinces TEXT,
            provinces_2025 TEXT,
            districts TEXT,
            communes TEXT,
            self_code TEXT,
            cited TEXT
        ){s}""",
        # schema 3: the citing documents of a directive in the order `miner search` lists them
        # (publication date, unknown last, then source), so that a page is read without a sort
        f"""CREATE TABLE IF NOT EXISTS citing_order (
            directive_id INTEGER NOT NULL,
            unpublished INTEGER NOT NULL,
            published TEXT NOT NULL,
            source TEXT NOT NULL,
            citation_id INTEGER NOT NULL,
            PRIMARY KEY (directive_id, unpublished, published, source, citation_id)
        ) WITHOUT ROWID{"," + s if s else ""}""",
    ]



FULLTEXT_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5("
                "kind UNINDEXED, row_id UNINDEXED, document_id UNINDEXED, title, body,"
                " tokenize = 'unicode61 remove_diacritics 2')")

# schema 3: the full-text rows of each kind live in their own rowid range, so that `miner find --in targets`
# restricts the match itself (FTS5 seeks a rowid range) instead of filtering the unindexed `kind` afterwards;
# one table, so bm25's statistics (and the ranking) are those of the whole index as before
FULLTEXT_LAYOUT = "kind-ranges-1"
FULLTEXT_KIND_SHIFT = 50
FULLTEXT_KIND_CODE = {"document": 1, "target": 2, "objective": 3, "solution": 4}
FULLTEXT_POSITION_BITS = 20  # objective/solution rowid: base + document_id << 20 + position


def fulltext_rowid(kind: str, row_id: int, document_id: int) -> int:
    """The rowid of a full-text row in the schema-3 layout (FULLTEXT_LAYOUT)."""
    base = FULLTEXT_KIND_CODE[kind] << FULLTEXT_KIND_SHIFT
    if kind in ("document", "target"):
        return base + row_id
    if not 0 <= row_id < (1 << FULLTEXT_POSITION_BITS):
        raise StoreError(f"list position {row_id} out of range for the full-text index")
    return base + (document_id << FULLTEXT_POSITION_BITS) + row_id


# the province a document is about: its first place in record order (a district's or commune's province)
_DOC_PROVINCE = ("(SELECT coalesce(p.province, p.name) FROM document_places dp JOIN places p ON p.id = dp.place_id"
                 " WHERE dp.document_id = {doc} ORDER BY dp.position LIMIT 1)")

VIEWS = {
    "documents_full": f"""
        SELECT doc.id AS document_id, doc.source, doc.title, doc.published,
               CAST(substr(doc.published, 1, 4) AS INTEGER) AS year,
               {_DOC_PROVINCE.format(doc='doc.id')} AS province,
               (SELECT group_concat(name, '; ') FROM (SELECT p.name FROM document_places dp
                    JOIN places p ON p.id = dp.place_id WHERE dp.document_id = doc.id ORDER BY dp.position)) AS places,
               (SELECT count(*) FROM citations c WHERE c.document_id = doc.id) AS citations,
               (SELECT count(*) FROM targets t WHERE t.document_id = doc.id) AS targets,
               (SELECT d.code FROM citations c JOIN directives d ON d.id = c.directive_id
                    WHERE c.document_id = doc.id AND c.is_self = 1 LIMIT 1) AS own_code,
               doc.path, doc.sha256, doc.encoding, doc.format, doc.size, doc.rules_version, doc.extracted_at
        FROM documents doc""",
    "citations_full": f"""
        SELECT c.id AS citation_id, c.document_id, doc.source, doc.title, doc.published,
               CAST(substr(doc.published, 1, 4) AS INTEGER) AS year,
               {_DOC_PROVINCE.format(doc='doc.id')} AS province,
               c.directive_id, d.kind, d.code, d.date AS directive_date, d.issuer AS directive_issuer,
               d.level, d.system, c.text AS cited_text, c.cited_date, c.cited_issuer, c.cited_kind,
               CAST(CASE WHEN c.cited_date IS NULL OR d.date IS NULL THEN NULL
                    WHEN c.cited_date = d.date OR (length(c.cited_date) = 4 AND d.date LIKE c.cited_date || '%') THEN 1
                    ELSE 0 END AS INTEGER) AS date_agrees,
               c.is_self, c.mentions, c.snippet
        FROM citations c JOIN documents doc ON doc.id = c.document_id JOIN directives d ON d.id = c.directive_id""",
    "targets_full": f"""
        SELECT t.id AS target_id, t.document_id, doc.source, doc.title, doc.published,
               {_DOC_PROVINCE.format(doc='doc.id')} AS province,
               t.year, t.category, t.value, t.value_max, t.unit, t.comparator, t.indicator, t.sentence,
               t.confidence, t.start, t."end"
        FROM targets t JOIN documents doc ON doc.id = t.document_id""",
    "directive_variants": """
        SELECT d.id AS directive_id, d.kind, d.code, d.issuer_key, 'date' AS field, c.cited_date AS value,
               count(*) AS citations,
               CAST(CASE WHEN c.cited_date = d.date OR (length(c.cited_date) = 4 AND d.date LIKE c.cited_date || '%')
                    THEN 1 ELSE 0 END AS INTEGER) AS agrees,
               group_concat(doc.source, '; ') AS sources
        FROM directives d JOIN citations c ON c.directive_id = d.id JOIN documents doc ON doc.id = c.document_id
        WHERE c.cited_date IS NOT NULL GROUP BY d.id, c.cited_date
        UNION ALL
        SELECT d.id, d.kind, d.code, d.issuer_key, 'issuer', c.cited_issuer, count(*),
               CAST(CASE WHEN c.cited_issuer = d.issuer THEN 1 ELSE 0 END AS INTEGER), group_concat(doc.source, '; ')
        FROM directives d JOIN citations c ON c.directive_id = d.id JOIN documents doc ON doc.id = c.document_id
        WHERE c.cited_issuer IS NOT NULL GROUP BY d.id, c.cited_issuer
        UNION ALL
        SELECT d.id, d.kind, d.code, d.issuer_key, 'kind', c.cited_kind, count(*),
               CAST(CASE WHEN c.cited_kind = d.kind THEN 1 ELSE 0 END AS INTEGER), group_concat(doc.source, '; ')
        FROM directives d JOIN citations c ON c.directive_id = d.id JOIN documents doc ON doc.id = c.document_id
        WHERE c.cited_kind IS NOT NULL GROUP BY d.id, c.cited_kind""",
    "implementations": f"""
        SELECT l.id AS link_id, l.parent_id, p.kind AS parent_kind, p.code AS parent_code, p.date AS parent_date,
               p.issuer AS parent_issuer, l.child_id, ch.kind AS child_kind, ch.code AS child_code,
               ch.date AS child_date, ch.issuer AS child_issuer, ch.level AS child_level,
               l.rule, l.document_id, doc.source, doc.published,
               {_DOC_PROVINCE.format(doc='doc.id')} AS province, l.evidence
        FROM directive_links l JOIN directives p ON p.id = l.parent_id JOIN directives ch ON ch.id = l.child_id
        JOIN documents doc ON doc.id = l.document_id""",
    "list_items": f"""
        SELECT 'objective' AS list, o.document_id, o.position, o.text, doc.source, doc.published,
               {_DOC_PROVINCE.format(doc='doc.id')} AS province
        FROM objectives o JOIN documents doc ON doc.id = o.document_id
        UNION ALL
        SELECT 'solution', s.document_id, s.position, s.text, doc.source, doc.published,
               {_DOC_PROVINCE.format(doc='doc.id')}
        FROM solutions s JOIN documents doc ON doc.id = s.document_id""",
}


def _summary_insert(where: str) -> str:
    """INSERT OR REPLACE of the ``document_summary`` rows of the documents `where` selects (alias doc)."""
    from miner.database.dataset import summary_columns

    columns = summary_columns("doc.id")
    return (f"INSERT OR REPLACE INTO document_summary(document_id, {', '.join(n for n, _ in columns)})"
            f" SELECT doc.id, {', '.join(e for _, e in columns)} FROM documents doc {where}")


def fts5_available() -> bool:
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        conn.close()
        return True
    except sqlite3.OperationalError:
        return False


def term_of(date: Optional[str]) -> Optional[int]:
    """Start year of the Party Congress term a date (``YYYY-MM-DD`` or ``YYYY``) falls in (2014-07-01 → 2011)."""
    if not date or not regex.match(r"^(?:19|20)\d\d", date):
        return None
    key = date if len(date) >= 10 else date[:4] + "-12-31"
    term = None
    for _, start in CONGRESSES:
        if start <= key:
            term = int(start[:4])
    return term


def _is_full_date(d: Optional[str]) -> bool:
    return bool(d) and len(d) == 10


def consensus(values: list[Optional[str]]) -> Optional[str]:
    """Most frequent non-null value; a tie goes to the one seen first."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in counts if counts[v] == best)  # dicts keep first-seen order


def consensus_date(dates: list[Optional[str]]) -> Optional[str]:
    """Majority of the full dates cited (ties: first seen); year-only dates count only when no full date exists."""
    full = [d for d in dates if _is_full_date(d)]
    return consensus(full) if full else consensus([d for d in dates if d])


def _agrees(value: str, chosen: Optional[str]) -> bool:
    return chosen is not None and (value == chosen or (len(value) == 4 and chosen.startswith(value)))



class StoreError(RuntimeError):
    pass


@dataclass
class StoreStats:
    added: int = 0  # new documents
    replaced: int = 0  # documents re-extracted under another rules version
    skipped: int = 0  # same sha256 and rules version: nothing to do
    citations: int = 0  # citation rows written
    directives: int = 0  # new directive rows created
    targets: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


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
    known = rules.tables().issuer_for_code(head)
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
    folded = fold_ascii(head if rules.tables().issuer_for_code(head) else issuer_code or head)
    levels = _PLACE_LEVEL_FOR.get(head.upper(), ("province", "district"))
    place = issuer_place(issuer, levels)
    return f"{folded}:{fold_ascii(place) if place else '?'}"


def is_party_central(issuer_code: Optional[str]) -> bool:
    """Party central bodies (TW, VPTW, BTCTW…): their numbers restart with each Party Congress term."""
    head = _issuer_head(issuer_code)
    known = rules.tables().issuer_for_code(head) if head else None
    return bool(known and known.level == "central" and known.system == "party")


_DISTRICT_WORDS = regex.compile(r"\b(?:huyen|quan|thi xa)\b")
_COMMUNE_WORDS = regex.compile(r"\b(?:xa|phuong|thi tran)\b")


def issuer_level(issuer_code: Optional[str], issuer: Optional[str]) -> Optional[str]:
    """central, province, district or commune: the level of the body that issued a code (None when unknown).

    From the issuer code (TW, TTg, ministries → central; TU → province; HU, QU, ThU → district); for a
    state local code (UBND, HĐND, Sở…) the issuer's words decide ("Ủy ban nhân dân huyện …" → district).
    """
    head = _issuer_head(issuer_code)
    if not head:
        return None
    known = rules.tables().issuer_for_code(head)
    if known is None:
        return None
    if known.level == "central" or known.system == "party":
        return known.level
    folded = fold_ascii(issuer or "")
    if _DISTRICT_WORDS.search(folded):
        return "district"
    if _COMMUNE_WORDS.search(folded):
        return "commune"
    return known.level


def reference_year(ref: Reference, parts: CodeParts) -> Optional[int]:
    if ref.date and regex.match(r"^\d{4}", ref.date):
        return int(ref.date[:4])
    return parts.year


def make_snippet(text: Optional[str], start: Optional[int], end: Optional[int],
                 width: int = SNIPPET_CHARS) -> Optional[str]:
    """About `width` characters of `text` around [start, end), cut at word boundaries, whitespace folded."""
    if not text or start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    room = max(0, width - (end - start))
    left = max(0, start - room // 2)
    right = min(len(text), end + room - (start - left))
    left = max(0, min(left, right - width))
    if left > 0:
        space = text.rfind(" ", left - 15 if left >= 15 else 0, left + 1)
        if space == -1:
            space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.find(" ", right, right + 15)
        right = space if space != -1 else right
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")


# --- the store ---------------------------------------------------------------

class Store:
    """A SQLite database of records. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str):
        self.path = str(path)
        self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = 30000")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.fulltext = False  # set by _create_schema: this SQLite has FTS5 and the index exists
        self._create_schema()

    # -- lifecycle
    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _create_schema(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _ddl():
                self.conn.execute(statement)
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            migrate = False
            derived = False  # document_summary and citing_order to be filled from the stored rows
            if row is None:
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            elif row[0] == "1":
                self._migrate_from_1()
                migrate = True
            elif row[0] == "2":  # schema 3 only adds derived tables and indexes: filled below
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
                derived = True
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {row[0]}, this miner writes {SCHEMA_VERSION}")
            self._upgrade_indexes()
            fts_missing = not self._has_fulltext()
            if not fts_missing and self._meta("fulltext_layout") != FULLTEXT_LAYOUT:
                fts_missing = True  # rows of an earlier layout: rebuilt below
            self.fulltext = fts5_available()
            if self.fulltext:
                self.conn.execute(FULLTEXT_DDL)
            for name, sql in VIEWS.items():
                self.conn.execute(f"DROP VIEW IF EXISTS {name}")
                self.conn.execute(f"CREATE VIEW {name} AS {sql}")
            if migrate:
                self._recompute_directives()
                self._rebuild_links()
            if migrate or derived or not self._derived_complete():
                self.rebuild_derived()
            if self.fulltext and (migrate or fts_missing):
                self.rebuild_fulltext()
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _upgrade_indexes(self) -> None:
        """Indexes whose definition changed in schema 3 (created with the old one by an earlier miner)."""
        conn = self.conn
        if len(conn.execute("PRAGMA index_info(citations_directive)").fetchall()) == 1:
            conn.execute("DROP INDEX citations_directive")
            conn.execute("CREATE INDEX citations_directive ON citations(directive_id, document_id)")

    def _meta(self, key: str) -> Optional[str]:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _has_fulltext(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fulltext'").fetchone() is not None

    def _migrate_from_1(self) -> None:
        """Schema 1 → 2: new directive columns (level, term, cited, variants), directive_links, the
        full-text index and the views; directives re-merged and their consensus recomputed."""
        conn = self.conn
        have = {r[1] for r in conn.execute("PRAGMA table_info(directives)")}
        for column, decl in (("level", "TEXT"), ("term", "INTEGER"), ("cited", "INTEGER NOT NULL DEFAULT 0"),
                             ("variants", "INTEGER NOT NULL DEFAULT 0")):
            if column not in have:
                conn.execute(f"ALTER TABLE directives ADD COLUMN {column} {decl}")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))

    def _recompute_directives(self) -> None:
        """Level and consensus of every directive; Party central rows of one code and term merged."""
        conn = self.conn
        for row in conn.execute("SELECT id, issuer_code, issuer FROM directives").fetchall():
            conn.execute("UPDATE directives SET level = ? WHERE id = ?",
                         (issuer_level(row["issuer_code"], row["issuer"]), row["id"]))
            self._refresh_directive(row["id"])
        groups: dict[tuple, list[int]] = {}
        for row in conn.execute("SELECT id, code_key, issuer_key, issuer_code, term FROM directives"
                                " ORDER BY cited DESC, id").fetchall():
            if is_party_central(row["issuer_code"]) and row["term"] is not None:
                groups.setdefault((row["code_key"], row["issuer_key"], row["term"]), []).append(row["id"])
        for ids in groups.values():
            keep = ids[0]
            for other in ids[1:]:
                self._merge_directive(other, keep)
            if len(ids) > 1:
                self._refresh_directive(keep)

    def _merge_directive(self, source_id: int, target_id: int) -> None:
        conn = self.conn
        for c in conn.execute("SELECT id, document_id, mentions FROM citations WHERE directive_id = ?",
                              (source_id,)).fetchall():
            clash = conn.execute("SELECT id FROM citations WHERE document_id = ? AND directive_id = ?",
                                 (c["document_id"], target_id)).fetchone()
            if clash:
                conn.execute("UPDATE citations SET mentions = mentions + ? WHERE id = ?", (c["mentions"], clash["id"]))
                conn.execute("DELETE FROM citations WHERE id = ?", (c["id"],))
            else:
                conn.execute("UPDATE citations SET directive_id = ? WHERE id = ?", (target_id, c["id"]))
        conn.execute("UPDATE OR IGNORE directive_links SET child_id = ? WHERE child_id = ?", (target_id, source_id))
        conn.execute("UPDATE OR IGNORE directive_links SET parent_id = ? WHERE parent_id = ?", (target_id, source_id))
        conn.execute("DELETE FROM directive_links WHERE child_id = ? OR parent_id = ? OR child_id = parent_id",
                     (source_id, source_id))
        conn.execute("DELETE FROM directives WHERE id = ?", (source_id,))

    def _rebuild_links(self) -> None:
        """Implementation links of every stored document, from its text (mentions found again)."""
        conn = self.conn
        conn.execute("DELETE FROM directive_links")
        for doc in conn.execute("SELECT id, text FROM documents WHERE text IS NOT NULL").fetchall():
            cited = {}
            for c in conn.execute("SELECT c.directive_id, c.is_self, c.start, c.\"end\", d.code_key FROM citations c"
                                  " JOIN directives d ON d.id = c.directive_id WHERE c.document_id = ?", (doc["id"],)):
                cited[c["code_key"]] = (c["directive_id"], bool(c["is_self"]),
                                        [(c["start"], c["end"])] if c["start"] is not None else [])
            spans: dict[int, list[tuple[int, int]]] = {v[0]: list(v[2]) for v in cited.values()}
            for m in find_mentions(doc["text"]):
                hit = cited.get(code_key(m.code))
                if hit and (m.start, m.end) not in spans[hit[0]]:
                    spans[hit[0]].append((m.start, m.end))
            self._link_document(doc["id"], doc["text"], spans, {v[0] for v in cited.values() if v[1]})

    def rebuild_derived(self) -> None:
        """(Re)fill ``document_summary`` and ``citing_order`` from the stored rows (inside the caller's
        transaction): schema 3's precomputed per-document place lists / cited codes and the order of
        each directive's citing documents."""
        conn = self.conn
        conn.execute("DELETE FROM document_summary")
        conn.execute(_summary_insert(""))
        conn.execute("DELETE FROM citing_order")
        conn.execute("INSERT INTO citing_order(directive_id, unpublished, published, source, citation_id)"
                     " SELECT c.directive_id, doc.published IS NULL, coalesce(doc.published, ''), doc.source, c.id"
                     " FROM citations c JOIN documents doc ON doc.id = c.document_id"
                     " ORDER BY 1, 2, 3, 4, 5")

    def _derived_complete(self) -> bool:
        """The derived tables cover the last document (cheap check, two primary-key lookups): false after
        rows were bulk-inserted around add_records (benchmarks/make_synthetic_db.py), which open repairs."""
        row = self.conn.execute("SELECT (SELECT max(id) FROM documents) IS (SELECT max(document_id)"
                                " FROM document_summary)").fetchone()
        return bool(row[0])

    def _refresh_summary(self, where: str, params: tuple) -> None:
        self.conn.execute(_summary_insert(where), params)

    def rebuild_fulltext(self) -> None:
        """(Re)build the whole full-text index from the stored rows (inside the caller's transaction)."""
        self.conn.execute("DELETE FROM fulltext")
        for (doc_id,) in self.conn.execute("SELECT id FROM documents").fetchall():
            self._index_document(doc_id)
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fulltext_layout', ?)", (FULLTEXT_LAYOUT,))

    def _index_document(self, doc_id: int) -> None:
        from miner.database.fulltext import fold_text

        conn = self.conn
        ins = "INSERT INTO fulltext(rowid, kind, row_id, document_id, title, body) VALUES (?,?,?,?,?,?)"
        doc = conn.execute("SELECT title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        conn.execute(ins, (fulltext_rowid("document", doc_id, doc_id), "document", doc_id, doc_id,
                           fold_text(doc["title"]), fold_text(doc["text"])))
        for t in conn.execute("SELECT id, indicator, sentence FROM targets WHERE document_id = ?", (doc_id,)).fetchall():
            conn.execute(ins, (fulltext_rowid("target", t["id"], doc_id), "target", t["id"], doc_id,
                               fold_text(t["indicator"]), fold_text(t["sentence"])))
        for table, kind in (("objectives", "objective"), ("solutions", "solution")):
            for r in conn.execute(f"SELECT position, text FROM {table} WHERE document_id = ?", (doc_id,)).fetchall():
                conn.execute(ins, (fulltext_rowid(kind, r["position"], doc_id), kind, r["position"], doc_id, None,
                                   fold_text(r["text"])))

    # -- queries
    def has_document(self, sha256: str, rules_version: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ? AND rules_version = ?",
                                (sha256, rules_version)).fetchone()
        return row is not None

    def counts(self) -> dict[str, int]:
        tables = ("documents", "directives", "citations", "places", "targets", "objectives", "solutions")
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    # -- writes
    def add_records(self, records: Iterable[Record], rules_version: str,
                    texts: Optional[Mapping[str, str]] = None) -> StoreStats:
        """Store records in one transaction; nothing is written if any record fails.

        ``texts`` maps a record's sha256 (or, failing that, its source) to the document's
        decoded text (the text its spans index), used for citation snippets and kept in
        ``documents.text``. Without it, the text is re-read from ``record.path`` when that
        file still has the record's sha256. A record without sha256 gets the sha256 of its
        text (UTF-8); a record with neither is an error.
        """
        prepared = [(r, self._text_for(r, texts)) for r in records]
        stats = StoreStats()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for record, text in prepared:
                self._add_one(record, text, rules_version, stats)
            if stats.replaced:
                self._delete_orphans()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return stats

    def _text_for(self, record: Record, texts: Optional[Mapping[str, str]]) -> Optional[str]:
        return capped_text(self._full_text_for(record, texts))

    def _full_text_for(self, record: Record, texts: Optional[Mapping[str, str]]) -> Optional[str]:
        if texts:
            for key in (record.sha256, record.source, record.path):
                if key and key in texts:
                    return texts[key]
        if record.path and record.sha256 and os.path.isfile(record.path):
            try:
                from miner import reading as ingest
                src = ingest.read_path(record.path)
            except Exception:
                return None
            if src.sha256 == record.sha256:
                return src.text
        return None

    def _add_one(self, record: Record, text: Optional[str], rules_version: str, stats: StoreStats) -> None:
        conn = self.conn
        sha = record.sha256 or (hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None)
        if not sha:
            raise StoreError(f"{record.source}: record has no sha256 and no text to hash")
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        row = conn.execute("SELECT id, rules_version FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        values = (record.source, record.path, record.title, record.published, record.encoding,
                  record.input_format, record.size, rules_version, now, text)
        if row is not None and row["rules_version"] == rules_version:
            stats.skipped += 1
            return
        if row is not None:
            doc_id = row["id"]
            self._delete_document_rows(doc_id)
            conn.execute(
                "UPDATE documents SET source=?, path=?, title=?, published=?, encoding=?, format=?, size=?,"
                " rules_version=?, extracted_at=?, text=? WHERE id=?", (*values, doc_id))
            stats.replaced += 1
        else:
            cur = conn.execute(
                "INSERT INTO documents(source, path, title, published, encoding, format, size, rules_version,"
                " extracted_at, text, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)", (*values, sha))
            doc_id = cur.lastrowid
            stats.added += 1

        for position, place in enumerate(record.places):
            place_id = self._place_id(place.name, place.level, place.province, place.new_province)
            conn.execute("INSERT OR IGNORE INTO document_places(document_id, place_id, position) VALUES (?,?,?)",
                         (doc_id, place_id, position))

        mention_spans: dict[int, list[tuple[int, int]]] = {}
        self_ids: set[int] = set()
        for ref in record.references:
            directive_id = self._directive_id(ref, stats, record.published)
            span = ref.span
            start, end = (span.start, span.end) if span else (None, None)
            cur = conn.execute(
                'INSERT OR IGNORE INTO citations(document_id, directive_id, text, start, "end", mentions,'
                " cited_date, cited_issuer, cited_kind, is_self, snippet) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, directive_id, ref.text or ref.code, start, end, len(ref.mentions) or 1, ref.date,
                 ref.issuer, ref.kind, int(bool(ref.self_reference)),
                 make_snippet(text, start, end) or ref.text or ref.code))
            stats.citations += cur.rowcount
            if cur.rowcount:
                conn.execute("INSERT INTO citing_order(directive_id, unpublished, published, source, citation_id)"
                             " VALUES (?,?,?,?,?)", (directive_id, int(record.published is None),
                                                     record.published or "", record.source, cur.lastrowid))
            self._refresh_directive(directive_id)
            spans = mention_spans.setdefault(directive_id, [])
            spans.extend((m.start, m.end) for m in (ref.mentions or ([span] if span else [])))
            if ref.self_reference:
                self_ids.add(directive_id)
        if text:
            self._link_document(doc_id, text, mention_spans, self_ids)

        for t in record.targets:
            span = t.span
            conn.execute(
                "INSERT INTO targets(document_id, value, value_max, unit, comparator, year, indicator, category,"
                ' sentence, start, "end", confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                (doc_id, float(t.value), None if t.value_max is None else float(t.value_max), t.unit,
                 t.comparator, t.year, t.indicator, t.category, t.sentence,
                 span.start if span else None, span.end if span else None, t.confidence))
            stats.targets += 1

        for table, items in (("objectives", record.objectives), ("solutions", record.solutions)):
            for position, item in enumerate(items):
                span = item.span
                conn.execute(f'INSERT INTO {table}(document_id, position, text, start, "end") VALUES (?,?,?,?,?)',
                             (doc_id, position, item.text, span.start if span else None, span.end if span else None))
        self._refresh_summary("WHERE doc.id = ?", (doc_id,))
        if self.fulltext:
            self._index_document(doc_id)

    def _delete_document_rows(self, doc_id: int) -> None:
        conn = self.conn
        touched = [r[0] for r in conn.execute("SELECT directive_id FROM citations WHERE document_id = ?", (doc_id,))]
        if self.fulltext:  # by rowid (FULLTEXT_LAYOUT): document_id is not indexed in the FTS table
            rowids = [fulltext_rowid("document", doc_id, doc_id)]
            rowids += [fulltext_rowid("target", r[0], doc_id)
                       for r in conn.execute("SELECT id FROM targets WHERE document_id = ?", (doc_id,))]
            for rowid in rowids:
                conn.execute("DELETE FROM fulltext WHERE rowid = ?", (rowid,))
            for kind in ("objective", "solution"):
                first = fulltext_rowid(kind, 0, doc_id)
                conn.execute("DELETE FROM fulltext WHERE rowid BETWEEN ? AND ?",
                             (first, first + (1 << FULLTEXT_POSITION_BITS) - 1))
        for r in conn.execute("SELECT c.directive_id, doc.published, doc.source, c.id FROM citations c"
                              " JOIN documents doc ON doc.id = c.document_id WHERE c.document_id = ?",
                              (doc_id,)).fetchall():
            conn.execute("DELETE FROM citing_order WHERE directive_id = ? AND unpublished = ? AND published = ?"
                         " AND source = ? AND citation_id = ?",
                         (r[0], int(r[1] is None), r[1] or "", r[2], r[3]))
        for table in ("directive_links", "citations", "targets", "objectives", "solutions", "document_places"):
            conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
        for directive_id in touched:  # consensus without this document's citations
            self._refresh_directive(directive_id)

    def _delete_orphans(self) -> None:
        """Directives and places no document refers to any more (after replacements; ids of the rest are kept)."""
        conn = self.conn
        conn.execute("DELETE FROM directive_links WHERE child_id NOT IN (SELECT directive_id FROM citations)"
                     " OR parent_id NOT IN (SELECT directive_id FROM citations)")
        conn.execute("DELETE FROM directives WHERE id NOT IN (SELECT directive_id FROM citations)")
        conn.execute("DELETE FROM places WHERE id NOT IN (SELECT place_id FROM document_places)")

    def _place_id(self, name: str, level: str, province: Optional[str], new_province: Optional[str]) -> int:
        conn = self.conn
        if level == "province":
            province = None
        row = conn.execute("SELECT id FROM places WHERE name = ? AND level = ? AND province IS ?",
                           (name, level, province)).fetchone()
        if row:
            if new_province:
                cur = conn.execute("UPDATE places SET new_province = ? WHERE id = ? AND new_province IS NULL",
                                   (new_province, row["id"]))
                if cur.rowcount:  # the 2025 province lists of the documents about this place change
                    self._refresh_summary("WHERE doc.id IN (SELECT document_id FROM document_places"
                                          " WHERE place_id = ?)", (row["id"],))
            return row["id"]
        return conn.execute("INSERT INTO places(name, level, province, new_province) VALUES (?,?,?,?)",
                            (name, level, province, new_province)).lastrowid

    def _directive_id(self, ref: Reference, stats: StoreStats, published: Optional[str] = None) -> int:
        """The directive a reference cites (docs/schema.md, "Directive identity").

        Same code_key and issuer_key, and: for a Party central code (…/TW), the same Party Congress
        term (numbers restart each term); otherwise the same year (a year carried by the code wins
        over the cited date). An unknown year/term joins any; then rows the citing document could
        have cited (not issued after its publication), the most cited, the oldest.
        """
        conn = self.conn
        if not ref.code:
            raise StoreError("reference without a code")
        parts = code_parts(ref.code)
        key = code_key(ref.code)
        scope = issuer_key(parts.issuer_code, ref.issuer)
        year = parts.year or reference_year(ref, parts)
        party = is_party_central(parts.issuer_code)
        term = (term_of(ref.date) if ref.date and not parts.year else term_of(str(year)) if year else None) if party else None
        if party:
            rows = conn.execute(
                "SELECT id, year, term, cited FROM directives WHERE code_key = ? AND issuer_key = ?"
                " AND (term IS NULL OR ? IS NULL OR term = ?)", (key, scope, term, term)).fetchall()
            exact = lambda r: r["term"] == term  # noqa: E731
        else:
            rows = conn.execute(
                "SELECT id, year, term, cited FROM directives WHERE code_key = ? AND issuer_key = ?"
                " AND (year IS NULL OR ? IS NULL OR year = ?)", (key, scope, year, year)).fetchall()
            exact = lambda r: r["year"] == year  # noqa: E731
        if rows:
            pub_year = int(published[:4]) if published and published[:4].isdigit() else None
            rows = sorted(rows, key=lambda r: (not exact(r),
                                               bool(pub_year and r["year"] and r["year"] > pub_year),
                                               -r["cited"], r["id"]))
            return rows[0]["id"]
        stats.directives += 1
        return conn.execute(
            "INSERT INTO directives(kind, code, code_key, number, number_key, type_code, issuer_code, issuer,"
            " issuer_key, system, year, date, level, term) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (ref.kind, ref.code, key, parts.number, number_key(parts.number), parts.type_code,
             parts.issuer_code, ref.issuer, scope, ref.system, year, ref.date,
             issuer_level(parts.issuer_code, ref.issuer), term)).lastrowid

    def _refresh_directive(self, directive_id: int) -> None:
        """Consensus kind, date, issuer (majority of the citations, ties → first seen), year, term,
        citation count and number of disagreeing cited dates/issuers."""
        conn = self.conn
        d = conn.execute("SELECT code, issuer_code, kind, issuer, date FROM directives WHERE id = ?",
                         (directive_id,)).fetchone()
        if d is None:
            return
        rows = conn.execute("SELECT cited_date, cited_issuer, cited_kind FROM citations WHERE directive_id = ?"
                            " ORDER BY document_id, id", (directive_id,)).fetchall()
        if not rows:
            return  # an orphan: deleted at the end of the transaction
        parts = code_parts(d["code"])
        dates = [r["cited_date"] for r in rows]
        issuers = [r["cited_issuer"] for r in rows]
        # a code carrying its year (28/2018/QĐ-TTg) rules out dates of other years: they stay variants
        usable = [v for v in dates if v and v[:4] == str(parts.year)] if parts.year else dates
        date = consensus_date(usable) or (str(parts.year) if parts.year else None)
        issuer = consensus(issuers) or d["issuer"]
        kind = consensus([r["cited_kind"] for r in rows]) or d["kind"]
        year = parts.year or (int(date[:4]) if date and date[:4].isdigit() else None)
        term = term_of(date or (str(year) if year else None)) if is_party_central(d["issuer_code"]) else None
        variants = len({v for v in dates if v and not _agrees(v, date)}) + len({v for v in issuers if v and v != issuer})
        conn.execute("UPDATE directives SET kind = ?, issuer = ?, date = ?, year = ?, term = ?, cited = ?,"
                     " variants = ? WHERE id = ?", (kind, issuer, date, year, term, len(rows), variants, directive_id))

    # -- implementation links
    def _link_document(self, doc_id: int, text: str, spans: Mapping[int, list], self_ids: set[int]) -> None:
        """Store the "implements" links a document states (docs/schema.md, "Implementation links")."""
        from miner.database.chain import find_links

        # levels from the directives; years as this document cites them (independent of storing order)
        info = {r["id"]: r for r in self.conn.execute(
            "SELECT d.id, d.level, coalesce(CAST(substr(c.cited_date, 1, 4) AS INTEGER), d.year) AS year"
            " FROM citations c JOIN directives d ON d.id = c.directive_id WHERE c.document_id = ?", (doc_id,))}
        for child, parent, rule, evidence in find_links(text, spans, self_ids, info):
            self.conn.execute("INSERT OR IGNORE INTO directive_links(document_id, child_id, parent_id, rule, evidence)"
                              " VALUES (?,?,?,?,?)", (doc_id, child, parent, rule, evidence))
