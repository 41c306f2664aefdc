"""Store extraction records in a normalized SQLite database (see docs/schema.md).

One ``documents`` row per input (by content hash), one ``directives`` row per
distinct cited document (code + issuer scope + year, not the code alone),
one ``citations`` row per (document, directive), plus places, targets and
the objective/solution lists. Plain SQL through :mod:`sqlite3`.

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
from datetime import datetime, timezone
from typing import Iterable, Mapping, Optional

import regex

from . import rules
from .records import Record, Reference
from .references import code_key, find_mentions
from .text import fold_ascii

SCHEMA_VERSION = "1"
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
            date TEXT
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
        f"""CREATE TABLE IF NOT EXISTS objectives (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            PRIMARY KEY (document_id, position)
        ){s}""",
        f"""CREATE TABLE IF NOT EXISTS solutions (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            PRIMARY KEY (document_id, position)
        ){s}""",
        "CREATE INDEX IF NOT EXISTS directives_code_key ON directives(code_key)",
        "CREATE INDEX IF NOT EXISTS directives_number ON directives(number)",
        "CREATE INDEX IF NOT EXISTS directives_number_key ON directives(number_key)",
        "CREATE INDEX IF NOT EXISTS citations_directive ON citations(directive_id)",
        "CREATE INDEX IF NOT EXISTS citations_document ON citations(document_id)",
        "CREATE INDEX IF NOT EXISTS targets_year ON targets(year)",
        "CREATE INDEX IF NOT EXISTS targets_category ON targets(category)",
        "CREATE INDEX IF NOT EXISTS targets_document ON targets(document_id)",
        "CREATE INDEX IF NOT EXISTS documents_published ON documents(published)",
        "CREATE INDEX IF NOT EXISTS documents_source ON documents(source)",
        "CREATE INDEX IF NOT EXISTS places_name ON places(name)",
        "CREATE INDEX IF NOT EXISTS document_places_place ON document_places(place_id)",
    ]


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
    from . import places  # the gazetteer is large: load it only when needed

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
            if row is None:
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {row[0]}, this miner writes {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

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
        if texts:
            for key in (record.sha256, record.source, record.path):
                if key and key in texts:
                    return texts[key]
        if record.path and record.sha256 and os.path.isfile(record.path):
            try:
                from . import ingest
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

        for ref in record.references:
            directive_id = self._directive_id(ref, stats)
            span = ref.span
            start, end = (span.start, span.end) if span else (None, None)
            cur = conn.execute(
                'INSERT OR IGNORE INTO citations(document_id, directive_id, text, start, "end", mentions,'
                " cited_date, cited_issuer, cited_kind, is_self, snippet) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, directive_id, ref.text or ref.code, start, end, len(ref.mentions) or 1, ref.date,
                 ref.issuer, ref.kind, int(bool(ref.self_reference)),
                 make_snippet(text, start, end) or ref.text or ref.code))
            stats.citations += cur.rowcount

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

    def _delete_document_rows(self, doc_id: int) -> None:
        conn = self.conn
        for table in ("citations", "targets", "objectives", "solutions", "document_places"):
            conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))

    def _delete_orphans(self) -> None:
        """Directives and places no document refers to any more (after replacements; ids of the rest are kept)."""
        conn = self.conn
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
                conn.execute("UPDATE places SET new_province = ? WHERE id = ? AND new_province IS NULL",
                             (new_province, row["id"]))
            return row["id"]
        return conn.execute("INSERT INTO places(name, level, province, new_province) VALUES (?,?,?,?)",
                            (name, level, province, new_province)).lastrowid

    def _directive_id(self, ref: Reference, stats: StoreStats) -> int:
        """The directive a reference cites: same code_key and issuer_key, and years equal or one unknown."""
        conn = self.conn
        if not ref.code:
            raise StoreError("reference without a code")
        parts = code_parts(ref.code)
        key = code_key(ref.code)
        scope = issuer_key(parts.issuer_code, ref.issuer)
        year = reference_year(ref, parts)
        rows = conn.execute(
            "SELECT id, year, date, issuer, kind FROM directives WHERE code_key = ? AND issuer_key = ?"
            " AND (year IS NULL OR ? IS NULL OR year = ?)"
            " ORDER BY (year IS ?) DESC, id", (key, scope, year, year, year)).fetchall()
        if rows:
            row = rows[0]
            conn.execute(
                "UPDATE directives SET year = coalesce(year, ?),"
                # a year-only date ("2018", from the code) gives way to a full date of that year
                " date = CASE WHEN date IS NULL OR (length(date) = 4 AND ? LIKE date || '-%') THEN ? ELSE date END,"
                " issuer = coalesce(issuer, ?), kind = coalesce(kind, ?) WHERE id = ?",
                (year, ref.date, ref.date, ref.issuer, ref.kind, row["id"]))
            return row["id"]
        stats.directives += 1
        return conn.execute(
            "INSERT INTO directives(kind, code, code_key, number, number_key, type_code, issuer_code, issuer,"
            " issuer_key, system, year, date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (ref.kind, ref.code, key, parts.number, number_key(parts.number), parts.type_code,
             parts.issuer_code, ref.issuer, scope, ref.system, year, ref.date)).lastrowid
