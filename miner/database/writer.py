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
from datetime import datetime, timezone
from typing import Iterable, Mapping, Optional

from miner.database.schema import (ADDED_IN_4, FULLTEXT_DDL, FULLTEXT_LAYOUT, FULLTEXT_POSITION_BITS,
                                   SCHEMA_VERSION, STORED_TEXT_CHARS, VIEWS, StoreError, ddl, fts5_available,
                                   fulltext_rowid, summary_insert)
from miner.finders.references import code_key, find_mentions
from miner.folding import fold_text
from miner.records import Record, Reference, Span
from miner.resolution.directives import (_agrees, code_parts, consensus, consensus_date, consensus_issuer,
                                         is_party_central,
                                         issuer_key, issuer_level, number_key, reference_year, term_of)
from miner.resolution.links import links_of
from miner.snippets import make_snippet


def capped_text(text: Optional[str]) -> Optional[str]:
    return text[:STORED_TEXT_CHARS] if text is not None and len(text) > STORED_TEXT_CHARS else text


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
            for statement in ddl():
                self.conn.execute(statement)
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            migrate = False
            derived = False  # document_summary and citing_order to be filled from the stored rows
            if row is None:
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            elif row[0] == "1":
                self._migrate_from_1()
                migrate = True
            elif row[0] in ("2", "3"):  # schemas 3 and 4 add derived tables, indexes and columns: filled below
                self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
                derived = True
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {row[0]}, this miner writes {SCHEMA_VERSION}")
            self._add_columns()
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

    def _add_columns(self) -> None:
        """Columns of schema 4 missing from tables an earlier miner created (NULL in the rows it wrote)."""
        for table, columns in ADDED_IN_4.items():
            have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            for column, decl in columns:
                if column not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

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
            refs: dict[str, Reference] = {}
            ids: dict[str, int] = {}
            for c in conn.execute("SELECT c.directive_id, c.is_self, c.relation, d.code, d.code_key, d.level, d.year"
                                  " FROM citations c JOIN directives d ON d.id = c.directive_id"
                                  " WHERE c.document_id = ?", (doc["id"],)):
                refs[c["code_key"]] = Reference(kind=None, code=c["code"], self_reference=bool(c["is_self"]),
                                                relation=c["relation"])
                ids[c["code"]] = c["directive_id"]
            for m in find_mentions(doc["text"]):
                ref = refs.get(code_key(m.code))
                if ref is not None:
                    ref.mentions.append(Span(m.start, m.end))
            for link in links_of(doc["text"], list(refs.values())):
                conn.execute("INSERT OR IGNORE INTO directive_links(document_id, child_id, parent_id, rule, evidence)"
                             " VALUES (?,?,?,?,?)", (doc["id"], ids[link.child], ids[link.parent], link.rule,
                                                     link.evidence))

    def rebuild_derived(self) -> None:
        """(Re)fill ``document_summary`` and ``citing_order`` from the stored rows (inside the caller's
        transaction): schema 3's precomputed per-document place lists / cited codes and the order of
        each directive's citing documents."""
        conn = self.conn
        conn.execute("DELETE FROM document_summary")
        conn.execute(summary_insert(""))
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
        self.conn.execute(summary_insert(where), params)

    def rebuild_fulltext(self) -> None:
        """(Re)build the whole full-text index from the stored rows (inside the caller's transaction)."""
        self.conn.execute("DELETE FROM fulltext")
        for (doc_id,) in self.conn.execute("SELECT id FROM documents").fetchall():
            self._index_document(doc_id)
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fulltext_layout', ?)", (FULLTEXT_LAYOUT,))

    def _index_document(self, doc_id: int) -> None:
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
                from miner import reading
                src = reading.read_path(record.path)
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
        meta = record.metadata
        values = (record.source, record.path, record.title, record.published, record.encoding,
                  record.input_format, record.size, rules_version, now, text,
                  *((meta.kind, meta.number, meta.issuer, meta.place, meta.issued, meta.signer, meta.signer_title,
                     meta.effective) if meta else (None,) * 8))
        if row is not None and row["rules_version"] == rules_version:
            stats.skipped += 1
            return
        if row is not None:
            doc_id = row["id"]
            self._delete_document_rows(doc_id)
            conn.execute(
                "UPDATE documents SET source=?, path=?, title=?, published=?, encoding=?, format=?, size=?,"
                " rules_version=?, extracted_at=?, text=?, kind=?, number=?, issuer=?, place=?, issued=?, signer=?,"
                " signer_title=?, effective=? WHERE id=?", (*values, doc_id))
            stats.replaced += 1
        else:
            cur = conn.execute(
                "INSERT INTO documents(source, path, title, published, encoding, format, size, rules_version,"
                " extracted_at, text, kind, number, issuer, place, issued, signer, signer_title, effective, sha256)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*values, sha))
            doc_id = cur.lastrowid
            stats.added += 1

        for position, place in enumerate(record.places):
            place_id = self._place_id(place.name, place.level, place.province, place.new_province)
            conn.execute("INSERT OR IGNORE INTO document_places(document_id, place_id, position) VALUES (?,?,?)",
                         (doc_id, place_id, position))

        ids_by_code: dict[str, int] = {}
        for ref in record.references:
            directive_id = self._directive_id(ref, stats, record.published)
            span = ref.span
            start, end = (span.start, span.end) if span else (None, None)
            cur = conn.execute(
                'INSERT OR IGNORE INTO citations(document_id, directive_id, text, start, "end", mentions,'
                " cited_date, cited_issuer, cited_kind, is_self, snippet, relation) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, directive_id, ref.text or ref.code, start, end, len(ref.mentions) or 1, ref.date,
                 ref.issuer, ref.kind, int(bool(ref.self_reference)),
                 make_snippet(text, start, end) or ref.text or ref.code, ref.relation))
            stats.citations += cur.rowcount
            if cur.rowcount:
                conn.execute("INSERT INTO citing_order(directive_id, unpublished, published, source, citation_id)"
                             " VALUES (?,?,?,?,?)", (directive_id, int(record.published is None),
                                                     record.published or "", record.source, cur.lastrowid))
            self._refresh_directive(directive_id)
            ids_by_code[ref.code] = directive_id
        links = record.links
        if not links and text and not any(ref.relation for ref in record.references):
            links = links_of(text, record.references)  # a record made elsewhere: the links its text states
        for link in links:
            child, parent = ids_by_code.get(link.child), ids_by_code.get(link.parent)
            if child is not None and parent is not None and child != parent:
                conn.execute("INSERT OR IGNORE INTO directive_links(document_id, child_id, parent_id, rule, evidence)"
                             " VALUES (?,?,?,?,?)", (doc_id, child, parent, link.rule, link.evidence))

        for t in record.targets:
            span = t.span
            conn.execute(
                "INSERT INTO targets(document_id, value, value_max, unit, comparator, year, indicator, category,"
                ' sentence, start, "end", confidence, year_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                (doc_id, float(t.value), None if t.value_max is None else float(t.value_max), t.unit,
                 t.comparator, t.year, t.indicator, t.category, t.sentence,
                 span.start if span else None, span.end if span else None, t.confidence, t.year_from))
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
        issuer = consensus_issuer(issuers) or d["issuer"]
        kind = consensus([r["cited_kind"] for r in rows]) or d["kind"]
        year = parts.year or (int(date[:4]) if date and date[:4].isdigit() else None)
        term = term_of(date or (str(year) if year else None)) if is_party_central(d["issuer_code"]) else None
        variants = len({v for v in dates if v and not _agrees(v, date)}) + len({v for v in issuers if v and v != issuer})
        conn.execute("UPDATE directives SET kind = ?, issuer = ?, date = ?, year = ?, term = ?, cited = ?,"
                     " variants = ? WHERE id = ?", (kind, issuer, date, year, term, len(rows), variants, directive_id))

