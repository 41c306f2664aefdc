"""The database schema: tables, indexes, the full-text index layout and the views — one definition each.

The writer creates them; the queries (dataset, search, chain, fulltext) and Datasette read them.
"""
from __future__ import annotations

import sqlite3

SCHEMA_VERSION = "4"
# documents.text keeps at most this many characters: snippets and full-text search of a
# 50 MB crawl dump would otherwise cost gigabytes of memory in one transaction.
STORED_TEXT_CHARS = 2_000_000


# schema 4: columns added to schema-3 tables (a full text's own metadata; each citation's relation; a
# target's year source; the document's province in its summary row), in the order the DDL above ends
# with them
ADDED_IN_4 = {
    "documents": (("kind", "TEXT"), ("number", "TEXT"), ("issuer", "TEXT"), ("place", "TEXT"), ("issued", "TEXT"),
                  ("signer", "TEXT"), ("signer_title", "TEXT"), ("effective", "TEXT")),
    "citations": (("relation", "TEXT"),),
    "targets": (("year_from", "TEXT"),),
    "document_summary": (("province", "TEXT"),),
}
# the relation of a citing document to a cited one (docs/schema.md, "Relations")
RELATIONS = ("self", "pursuant_to", "amends", "supersedes", "repeals", "guides", "implements", "refers")


class StoreError(RuntimeError):
    """A database the miner cannot use as asked (not a miner database, a newer schema, a bad row)."""

_STRICT = " STRICT" if sqlite3.sqlite_version_info >= (3, 37, 0) else ""


def ddl() -> list[str]:
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
            text TEXT,
            kind TEXT,
            number TEXT,
            issuer TEXT,
            place TEXT,
            issued TEXT,
            signer TEXT,
            signer_title TEXT,
            effective TEXT
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
            relation TEXT,
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
            confidence REAL,
            year_from TEXT
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
            cited TEXT,
            province TEXT
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


def _place_list(level: str, column: str = "p.name", doc: str = "t.document_id") -> str:
    return (f"(SELECT group_concat(n, '; ') FROM (SELECT {column} AS n FROM document_places dp"
            f" JOIN places p ON p.id = dp.place_id WHERE dp.document_id = {doc} AND p.level = '{level}'"
            f" GROUP BY n ORDER BY min(dp.position)))")


def _cited_list(doc: str) -> str:
    return ("(SELECT group_concat(code, '; ') FROM (SELECT di.code AS code FROM citations c"
            f" JOIN directives di ON di.id = c.directive_id WHERE c.document_id = {doc} AND c.is_self = 0"
            " ORDER BY c.start IS NULL, c.start, c.id))")


def _self_code(doc: str) -> str:
    return ("(SELECT group_concat(code, '; ') FROM (SELECT di.code AS code FROM citations c"
            f" JOIN directives di ON di.id = c.directive_id WHERE c.document_id = {doc} AND c.is_self = 1"
            " ORDER BY c.id))")


def summary_columns(doc: str) -> list[tuple[str, str]]:
    """(name, SQL expression) of the per-document columns of targets_full: place lists and cited codes.

    ``miner.database.writer`` keeps them, computed by these very expressions, in the table ``document_summary``
    (schema 3), which the queries below join instead of evaluating the subqueries for every row.
    """
    return [("provinces", _place_list("province", doc=doc)),
            ("provinces_2025", _place_list("province", "coalesce(p.new_province, p.name)", doc=doc)),
            ("districts", _place_list("district", doc=doc)),
            ("communes", _place_list("commune", doc=doc)),
            ("self_code", _self_code(doc)),
            ("cited", _cited_list(doc)),
            ("province", _DOC_PROVINCE.format(doc=doc))]


_TARGET_COLUMNS = """t.id AS target_id, t.document_id, t.value, t.value_max, t.unit, t.comparator, t.year,
       t.indicator, t.category, t.sentence, t.start, t."end", t.confidence, t.year_from,
       d.source, d.title, d.published"""

# the targets' own columns the filters and some sort keys use, without joins (paging, counting)
TARGET_KEYS_SQL = """SELECT t.id AS target_id, t.document_id, t.year, t.category, t.value, t.value_max, t.indicator,
       t.confidence FROM targets t"""
_TARGET_KEY_COLUMNS = ("year", "value", "category", "indicator", "confidence", "target_id")

# each target with its document and the document's places and cited codes (document_summary)
TARGETS_FULL_SQL = f"""
SELECT {_TARGET_COLUMNS},
       {", ".join(f"s.{name} AS {name}" for name, _ in summary_columns("t.document_id"))}
FROM targets t JOIN documents d ON d.id = t.document_id LEFT JOIN document_summary s ON s.document_id = t.document_id
"""

CITATIONS_FULL_SQL = f"""
SELECT c.id AS citation_id, c.document_id, d.source, d.title, d.published,
       CAST(substr(d.published, 1, 4) AS INTEGER) AS year, s.province,
       c.directive_id, di.kind, di.code, di.date AS directive_date, di.issuer AS directive_issuer,
       di.year AS directive_year, di.level, di.system, di.issuer_key,
       c.text AS cited_text, c.cited_date, c.cited_issuer, c.cited_kind, c.relation,
       CAST(CASE WHEN c.cited_date IS NULL OR di.date IS NULL THEN NULL
            WHEN c.cited_date = di.date OR (length(c.cited_date) = 4 AND di.date LIKE c.cited_date || '%') THEN 1
            ELSE 0 END AS INTEGER) AS date_agrees,
       c.is_self, c.mentions, c.start, c."end", c.snippet
FROM citations c JOIN documents d ON d.id = c.document_id JOIN directives di ON di.id = c.directive_id
LEFT JOIN document_summary s ON s.document_id = c.document_id
"""

DOCUMENTS_SQL = f"""
SELECT d.id, d.source, d.title, d.published, d.path, d.sha256, d.encoding, d.format, d.size, d.rules_version,
       {_place_list('province', doc='d.id')} AS provinces,
       {_place_list('province', "coalesce(p.new_province, p.name)", doc='d.id')} AS provinces_2025,
       {_place_list('district', doc='d.id')} AS districts,
       {_self_code('d.id')} AS self_code,
       (SELECT count(*) FROM citations c WHERE c.document_id = d.id AND c.is_self = 0) AS n_citations,
       (SELECT count(*) FROM targets t WHERE t.document_id = d.id) AS n_targets
FROM documents d
"""

DIRECTIVES_SQL = """
SELECT di.*, (SELECT count(DISTINCT c.document_id) FROM citations c
              WHERE c.directive_id = di.id AND c.is_self = 0) AS n_citing
FROM directives di
"""


_OTHER_VIEWS = {
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

# every view of the database, created by the writer: the two joined views the library and the exports
# read (in id order) and the ones made for browsing (Datasette)
VIEWS = {"targets_full": TARGETS_FULL_SQL + " ORDER BY target_id",
         "citations_full": CITATIONS_FULL_SQL + " ORDER BY citation_id",
         **_OTHER_VIEWS}


def summary_insert(where: str) -> str:
    """INSERT OR REPLACE of the ``document_summary`` rows of the documents `where` selects (alias doc)."""
    columns = summary_columns("doc.id")
    return (f"INSERT OR REPLACE INTO document_summary(document_id, {', '.join(n for n, _ in columns)})"
            f" SELECT doc.id, {', '.join(e for _, e in columns)} FROM documents doc {where}")


def fts5_available() -> bool:
    """Whether this SQLite has FTS5 (the full-text index is skipped without it)."""
    try:
        probe = sqlite3.connect(":memory:")
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        probe.close()
        return True
    except sqlite3.OperationalError:
        return False
