"""Tests for miner.database.writer: schema, counts, re-runs, replacement, directive identity, rollback."""
from __future__ import annotations

import sqlite3

import pytest

from miner.database.schema import SCHEMA_VERSION
from miner.pipeline import extract
from miner.records import Record, Reference
from miner.database.writer import Store, StoreError
from miner.resolution.directives import issuer_key
from miner.snippets import make_snippet

from store_texts import BAC_GIANG_A, BAC_GIANG_B, LAM_DONG, TEXTS  # noqa: E402,F401


def records(names=None):
    names = names or list(TEXTS)
    return [extract(TEXTS[n], source=n) for n in names]


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "miner.db")) as s:
        yield s


def directive_rows(store, code):
    return store.conn.execute(
        "SELECT id, code, issuer_key, year, date FROM directives WHERE code = ? ORDER BY issuer_key", (code,)
    ).fetchall()


def test_schema_created(tmp_path):
    path = str(tmp_path / "miner.db")
    Store(path).close()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "documents", "directives", "citations", "places", "document_places", "targets",
            "objectives", "solutions"} <= tables
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"directives_code_key", "directives_number", "citations_directive", "citations_document",
            "targets_year", "targets_category", "documents_published", "places_name"} <= indexes
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    if sqlite3.sqlite_version_info >= (3, 37, 0):
        strict = conn.execute("SELECT strict FROM pragma_table_list WHERE name = 'directives'").fetchone()
        assert strict == (1,)
    conn.close()
    Store(path).close()  # opening again keeps the schema


def test_pragmas(store):
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_records_stored_with_counts(store):
    stats = store.add_records(records(), "r1", texts=TEXTS)
    assert (stats.added, stats.replaced, stats.skipped) == (3, 0, 0)
    # A: 18-CT/TU, 134-KH/HU, 36-NQ/TW, 26/NQ-CP; B: 18-CT/TU (Bắc Giang); Lâm Đồng: 18-CT/TU, 28/2018/QĐ-TTg
    assert stats.citations == 7
    assert stats.directives == 6
    counts = store.counts()
    assert counts["documents"] == 3
    assert counts["citations"] == 7
    assert counts["directives"] == 6
    assert counts["places"] == 4  # Bắc Giang, Tân Yên, Lạng Giang, Lâm Đồng
    assert counts["targets"] == counts["objectives"] == counts["solutions"] == 0
    doc = store.conn.execute("SELECT * FROM documents WHERE source = 'bac_giang_a.txt'").fetchone()
    assert doc["published"] == "2015-06-08"
    assert doc["rules_version"] == "r1"
    assert doc["title"].startswith("Huyện ủy Tân Yên")
    cit = store.conn.execute(
        'SELECT c.text, c.start, c."end", c.cited_date, c.cited_issuer, c.cited_kind, c.snippet FROM citations c'
        " JOIN directives d ON d.id = c.directive_id WHERE c.document_id = ? AND d.code = '18-CT/TU'",
        (doc["id"],)).fetchone()
    assert BAC_GIANG_A[cit["start"]:cit["end"]] == "18-CT/TU" == cit["text"]
    assert (cit["cited_date"], cit["cited_issuer"], cit["cited_kind"]) == (
        "2015-04-01", "Ban Thường vụ Tỉnh ủy Bắc Giang", "Chỉ thị")
    assert "Chỉ thị số 18-CT/TU" in cit["snippet"] and len(cit["snippet"]) <= 140
    assert store.has_document(records(["bac_giang_a.txt"])[0].sha256 or _sha(BAC_GIANG_A), "r1")
    assert not store.has_document(_sha(BAC_GIANG_A), "r2")


def _sha(text):
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_readd_is_a_no_op(store):
    store.add_records(records(), "r1", texts=TEXTS)
    before = store.counts()
    stats = store.add_records(records(), "r1", texts=TEXTS)
    assert (stats.added, stats.replaced, stats.skipped, stats.citations, stats.directives) == (0, 0, 3, 0, 0)
    assert store.counts() == before
    # and within one call, the same document twice is stored once
    stats = store.add_records(records(["lam_dong.txt", "lam_dong.txt"]), "r1", texts=TEXTS)
    assert stats.skipped == 2
    assert store.counts() == before


def test_changed_rules_version_replaces(store):
    store.add_records(records(), "r1", texts=TEXTS)
    before = store.counts()
    ids = {r["code"] + r["issuer_key"]: r["id"] for r in store.conn.execute("SELECT * FROM directives")}
    stats = store.add_records(records(["lam_dong.txt"]), "r2", texts=TEXTS)
    assert (stats.added, stats.replaced, stats.skipped) == (0, 1, 0)
    assert store.counts() == before
    versions = dict(store.conn.execute("SELECT source, rules_version FROM documents").fetchall())
    assert versions == {"bac_giang_a.txt": "r1", "bac_giang_b.txt": "r1", "lam_dong.txt": "r2"}
    # directive ids survive a replacement
    assert {r["code"] + r["issuer_key"]: r["id"] for r in store.conn.execute("SELECT * FROM directives")} == ids

    # a new rules version that finds less: old rows of that document go, orphan directives too
    rec = records(["lam_dong.txt"])[0]
    rec.references = [r for r in rec.references if r.code != "28/2018/QĐ-TTg"]
    store.add_records([rec], "r3", texts=TEXTS)
    counts = store.counts()
    assert counts["documents"] == 3
    assert counts["citations"] == before["citations"] - 1
    assert counts["directives"] == before["directives"] - 1
    assert directive_rows(store, "28/2018/QĐ-TTg") == []


def test_same_source_different_content_is_another_document(store):
    store.add_records(records(["lam_dong.txt"]), "r1", texts=TEXTS)
    changed = LAM_DONG + "Cập nhật: 22/05/2019\n"
    rec = extract(changed, source="lam_dong.txt")
    stats = store.add_records([rec], "r1", texts={"lam_dong.txt": changed})
    assert stats.added == 1
    assert store.counts()["documents"] == 2
    # both versions cite the same directives: no new directive rows
    assert stats.directives == 0


def test_directive_identity_two_provinces_and_merge(store):
    store.add_records(records(), "r1", texts=TEXTS)
    rows = directive_rows(store, "18-CT/TU")
    assert [(r["issuer_key"], r["year"], r["date"]) for r in rows] == [
        ("tu:bac giang", 2015, "2015-04-01"),
        ("tu:lam dong", 2019, "2019-05-09"),
    ]
    bac_giang = rows[0]["id"]
    citing = store.conn.execute(
        "SELECT doc.source, c.cited_date FROM citations c JOIN documents doc ON doc.id = c.document_id"
        " WHERE c.directive_id = ? ORDER BY doc.source", (bac_giang,)).fetchall()
    # the undated citation from B joined the dated one from A; each cited date is kept
    assert [tuple(r) for r in citing] == [("bac_giang_a.txt", "2015-04-01"), ("bac_giang_b.txt", None)]


def test_unknown_year_first_is_filled_in(store):
    store.add_records(records(["bac_giang_b.txt"]), "r1", texts=TEXTS)
    assert [(r["year"], r["date"]) for r in directive_rows(store, "18-CT/TU")] == [(None, None)]
    store.add_records(records(["bac_giang_a.txt"]), "r1", texts=TEXTS)
    assert [(r["year"], r["date"]) for r in directive_rows(store, "18-CT/TU")] == [(2015, "2015-04-01")]


def test_same_code_different_year_same_scope_stays_apart(store):
    store.add_records(records(["bac_giang_a.txt"]), "r1", texts=TEXTS)
    later = BAC_GIANG_A.replace("01/4/2015", "01/4/2021").replace("08/06/2015", "08/06/2021")
    store.add_records([extract(later, source="later.txt")], "r1", texts={"later.txt": later})
    assert [r["year"] for r in directive_rows(store, "18-CT/TU")] == [2015, 2021]


def test_issuer_key():
    assert issuer_key("TW", "Bộ Chính trị") == issuer_key("TW", "Ban Chấp hành Trung ương") == "tw"
    assert issuer_key("TTg", "Thủ tướng Chính phủ") == "ttg"
    assert issuer_key("TU", "Ban Thường vụ Tỉnh ủy Bắc Giang") == "tu:bac giang"
    assert issuer_key("TU", "Ban Thường vụ Tỉnh ủy") == "tu:?"
    assert issuer_key("UBND", "Ủy ban nhân dân tỉnh Vĩnh Phúc") == "ubnd:vinh phuc"
    assert issuer_key("HU", "Ban Thường vụ Huyện ủy Minh Hóa") == "hu:minh hoa"


def test_failing_record_rolls_back(store):
    store.add_records(records(["bac_giang_a.txt"]), "r1", texts=TEXTS)
    before = store.counts()
    bad = Record(source="bad.txt", references=[Reference(kind="Chỉ thị", code="18-CT/TU")])  # no sha256, no text
    batch = records(["bac_giang_b.txt"]) + [bad] + records(["lam_dong.txt"])
    with pytest.raises(StoreError):
        store.add_records(batch, "r1", texts=TEXTS)
    assert store.counts() == before
    sources = [r[0] for r in store.conn.execute("SELECT source FROM documents")]
    assert sources == ["bac_giang_a.txt"]
    # the store is still usable afterwards
    assert store.add_records(records(["lam_dong.txt"]), "r1", texts=TEXTS).added == 1


def test_rollback_on_a_broken_reference(store):
    rec = records(["lam_dong.txt"])[0]
    rec.references.append(Reference(kind="Chỉ thị", code=None))  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.add_records(records(["bac_giang_a.txt"]) + [rec], "r1", texts=TEXTS)
    assert store.counts() == dict.fromkeys(store.counts(), 0)


def test_snippet():
    text = "a " * 100 + "Chỉ thị số 18-CT/TU ngày 01/4/2015" + " b" * 100
    start = text.index("18-CT/TU")
    snip = make_snippet(text, start, start + 8)
    assert "18-CT/TU" in snip and snip.startswith("…") and snip.endswith("…")
    assert 100 <= len(snip) <= 140
    assert make_snippet(None, 0, 1) is None


def test_targets_and_lists_stored(store):
    from miner.records import ListItem, Span, Target
    rec = records(["bac_giang_a.txt"])[0]
    rec.targets = [Target(value=100, unit="%", comparator=">=", year=2020, category="digital",
                          indicator="cán bộ công chức, viên chức đạt trình độ tin học A trở lên", span=Span(10, 20))]
    rec.objectives = [ListItem("Từng bước xây dựng hạ tầng thông tin", Span(0, 5))]
    rec.solutions = [ListItem("Tăng cường sự lãnh đạo, chỉ đạo"), ListItem("Đẩy mạnh tuyên truyền")]
    stats = store.add_records([rec], "r1", texts=TEXTS)
    assert stats.targets == 1
    counts = store.counts()
    assert (counts["targets"], counts["objectives"], counts["solutions"]) == (1, 1, 2)
    row = store.conn.execute('SELECT value, unit, comparator, year, category, start, "end" FROM targets').fetchone()
    assert tuple(row) == (100.0, "%", ">=", 2020, "digital", 10, 20)
    assert [r[0] for r in store.conn.execute("SELECT text FROM solutions ORDER BY position")] == [
        "Tăng cường sự lãnh đạo, chỉ đạo", "Đẩy mạnh tuyên truyền"]
    # replacing the document removes them with it
    rec.targets, rec.objectives, rec.solutions = [], [], []
    store.add_records([rec], "r2", texts=TEXTS)
    counts = store.counts()
    assert (counts["targets"], counts["objectives"], counts["solutions"]) == (0, 0, 0)


def test_text_reread_from_path(store, tmp_path):
    from miner.pipeline import extract_path
    path = tmp_path / "bac_giang_a.txt"
    path.write_text(BAC_GIANG_A, encoding="utf-8")
    rec = extract_path(str(path))
    store.add_records([rec], "r1")  # no texts: read back from record.path
    doc = store.conn.execute("SELECT id, sha256, text FROM documents").fetchone()
    assert doc["sha256"] == rec.sha256 and doc["text"]
    snippet = store.conn.execute("SELECT snippet FROM citations c JOIN directives d ON d.id = c.directive_id"
                                 " WHERE d.code = '26/NQ-CP'").fetchone()[0]
    assert "Nghị quyết số 26/NQ-CP ngày 15/4/2015" in snippet


# --- schema 3: derived tables kept in step with the rows, and the migration from schema 2 -------------

def _expected_summary(conn):
    from miner.database.schema import summary_columns

    columns = summary_columns("doc.id")
    return [tuple(r) for r in conn.execute(
        f"SELECT doc.id, {', '.join(e for _, e in columns)} FROM documents doc ORDER BY doc.id")]


def _derived(conn):
    summary = [tuple(r) for r in conn.execute("SELECT * FROM document_summary ORDER BY document_id")]
    citing = [tuple(r) for r in conn.execute(
        "SELECT o.directive_id, o.unpublished, o.published, o.source, o.citation_id FROM citing_order o"
        " ORDER BY o.citation_id")]
    expected_citing = [tuple(r) for r in conn.execute(
        "SELECT c.directive_id, doc.published IS NULL, coalesce(doc.published, ''), doc.source, c.id"
        " FROM citations c JOIN documents doc ON doc.id = c.document_id ORDER BY c.id")]
    return summary, citing, expected_citing


def test_summary_and_citing_order_follow_adds_and_replacements(store):
    store.add_records(records(["bac_giang_a.txt"]), "r1", texts=TEXTS)
    store.add_records(records(), "r1", texts=TEXTS)
    store.add_records(records(["bac_giang_b.txt", "lam_dong.txt"]), "r2", texts=TEXTS)  # replaced
    summary, citing, expected_citing = _derived(store.conn)
    assert summary == _expected_summary(store.conn) and len(summary) == 3
    assert citing == expected_citing and len(citing) == store.counts()["citations"]
    assert any(row[1] for row in summary)  # provinces filled
    # the full-text rows sit in their kind's rowid range
    from miner.database.schema import fulltext_rowid

    for rowid, kind, row_id, document_id in store.conn.execute("SELECT rowid, kind, row_id, document_id FROM fulltext"):
        assert rowid == fulltext_rowid(kind, row_id, document_id)
    assert store.conn.execute("SELECT count(*) FROM fulltext WHERE kind = 'document'").fetchone()[0] == 3


def test_schema_2_file_is_migrated_to_the_current_schema(tmp_path):
    path = str(tmp_path / "old.db")
    with Store(path) as store:
        store.add_records(records(), "r1", texts=TEXTS)
        before = _derived(store.conn)
        fulltext_rows = sorted(tuple(r) for r in store.conn.execute(
            "SELECT kind, row_id, document_id, title, body FROM fulltext"))
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP TABLE document_summary; DROP TABLE citing_order; DROP INDEX targets_year_order;
        DROP INDEX targets_category_year; DROP INDEX targets_document_year; DROP INDEX citations_directive;
        CREATE INDEX citations_directive ON citations(directive_id);
        CREATE INDEX targets_document ON targets(document_id);
        UPDATE meta SET value = '2' WHERE key = 'schema_version';
        DELETE FROM meta WHERE key = 'fulltext_layout';
        CREATE TABLE old_fts AS SELECT kind, row_id, document_id, title, body FROM fulltext;
        DELETE FROM fulltext;
        INSERT INTO fulltext(kind, row_id, document_id, title, body) SELECT * FROM old_fts;
        DROP TABLE old_fts;
    """)
    conn.commit()
    conn.close()
    with Store(path) as store:
        conn = store.conn
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == SCHEMA_VERSION
        assert _derived(conn) == before
        assert before[0] == _expected_summary(conn)
        assert [r[2] for r in conn.execute("PRAGMA index_info(citations_directive)")] == ["directive_id", "document_id"]
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"targets_year_order", "targets_category_year", "targets_document_year"} <= indexes
        assert "targets_document" not in indexes
        assert conn.execute("SELECT value FROM meta WHERE key = 'fulltext_layout'").fetchone()[0] == "kind-ranges-1"
        assert sorted(tuple(r) for r in conn.execute(
            "SELECT kind, row_id, document_id, title, body FROM fulltext")) == fulltext_rows
    with Store(path) as store:  # opening again changes nothing
        assert _derived(store.conn) == before


def test_rows_bulk_inserted_around_add_records_get_their_derived_rows_on_open(tmp_path):
    path = str(tmp_path / "bulk.db")
    with Store(path) as store:
        store.add_records(records(), "r1", texts=TEXTS)
        before = _derived(store.conn)
        store.conn.execute("DELETE FROM document_summary")
        store.conn.execute("DELETE FROM citing_order")
    with Store(path) as store:
        assert _derived(store.conn) == before
