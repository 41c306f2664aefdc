"""Full-text search (miner.database.fulltext, `miner find`): diacritic and đ/d folding, highlights in the
original text, bm25 ranking, index kept in sync by Store.add_records, migration of a schema-1 file."""
from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest
from click.testing import CliRunner

from miner.database.schema import SCHEMA_VERSION
from miner.cli.find import find
from miner.database.fulltext import fts_query, search
from miner.folding import fold_map, fold_text
from miner.pipeline import extract
from miner.database.writer import Store

# Quoted from ../shared/corpus/dev/004_4c57b24fbf32733b.txt (Thừa Thiên Huế, 2015).
HUE = """Đến năm 2020: 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng chữ ký số trong việc trao đổi văn bản điện tử
Ngày cập nhật 14/10/2015

Đó là một trong những mục tiêu được đề ra tại Kế hoạch thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế vừa được UBND tỉnh ban hành.

Theo đó, đến năm 2020 sẽ xây dựng thành công mô hình chính quyền điện tử tỉnh Thừa Thiên Huế; 100 % văn bản của các cơ quan, ban ngành trong tỉnh được lưu chuyển dưới dạng văn bản điện tử qua mạng; 100% giấy mời được phát hành hoàn toàn qua mạng; 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng chữ ký số trong việc trao đổi văn bản điện tử qua hệ thống quản lý văn bản và điều hành của tỉnh.
"""

# Quoted from ../shared/corpus/dev/000_a5a24a10da4b2c1e.txt (Tân Yên, Bắc Giang, 2015).
TAN_YEN = """Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang
Ngày đăng: 08/06/2015

 Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.
Phấn đấu đến năm 2020 có 100% cán bộ công chức, viên chức đạt trình độ tin học A trở lên. Phấn đấu đến hết năm 2015 có 52,5% (133/253), năm 2016 có 100% (253/253) dịch vụ công trực tuyến mức độ 3 và năm 2020 có 30% dịch vụ công trực tuyên đạt mức độ 4.
"""

# Written in the style of the corpus: mentions "chữ ký" and "số" apart, never the phrase "chữ ký số".
SCATTERED = """Hội nghị tổng kết công tác văn thư năm 2019
Ngày đăng: 12/01/2020
Các đại biểu ký biên bản; số văn bản đi, văn bản đến tăng; chữ viết trên văn bản rõ ràng.
"""

TEXTS = {"hue.txt": HUE, "tan_yen.txt": TAN_YEN, "scattered.txt": SCATTERED}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "miner.db"
    with Store(str(path)) as store:
        store.add_records([extract(t, source=n) for n, t in TEXTS.items()], "r1", texts=TEXTS)
    return path


def test_fold_keeps_length_for_nfc_vietnamese():
    for text in TEXTS.values():
        folded, offsets = fold_map(text)
        assert len(folded) == len(text)
        assert offsets[:-1] == list(range(len(text)))
        assert folded == fold_text(text)
    assert fold_text("Chữ ký số; Dịch vụ công; ĐẮK LẮK") == "chu ky so; dich vu cong; dak lak"


def test_fold_map_maps_nfd_back():
    nfd = unicodedata.normalize("NFD", "ứng dụng chữ ký số")
    folded, offsets = fold_map(nfd)
    assert folded == "ung dung chu ky so"
    start = folded.index("chu")
    assert unicodedata.normalize("NFC", nfd[offsets[start]:offsets[start + 3]]) == "chữ"


def test_query_folding():
    assert fts_query("chữ ký số") == fts_query("chu ky so") == '"chu" AND "ky" AND "so"'
    assert fts_query("36-NQ/TW") == '"36 nq tw"'
    assert fts_query("chuyen*") == '"chuyen"*'
    assert fts_query("  ;; ") is None


@pytest.mark.parametrize("query", ["chu ky so", "chữ ký số", "CHỮ KÝ SỐ", "chu ký so"])
def test_find_with_and_without_diacritics(db, query):
    hits = search(str(db), query, scope="documents")
    assert hits and hits[0].source == "hue.txt"
    assert "[chữ ký số]" in hits[0].snippet


def test_d_folding(db):
    hits = search(str(db), "dich vu cong", scope="documents")
    assert [h.source for h in hits] == ["tan_yen.txt"]
    assert "[dịch vụ công]" in hits[0].snippet
    assert search(str(db), "đẩy mạnh ứng dụng") and search(str(db), "day manh ung dung")


def test_snippet_highlights_the_original_words(db):
    hit = search(str(db), "chinh quyen dien tu", scope="documents")[0]
    assert hit.source == "hue.txt"
    for s, e in hit.spans:  # offsets into the stored original text
        assert fold_text(HUE[s:e]) == "chinh quyen dien tu"
        assert HUE[s:e] == "chính quyền điện tử"
    for s, e in hit.highlights:  # and into the snippet
        assert hit.plain[s:e] == "chính quyền điện tử"
    assert hit.render(bold=True).count("\x1b[1mchính quyền điện tử\x1b[0m") == len(hit.highlights)


def test_ranking_puts_the_phrase_and_the_denser_match_first(db):
    hits = search(str(db), "chu ky so", scope="documents")
    # the Huế text has the phrase twice; the scattered one only the words apart
    assert [h.source for h in hits] == ["hue.txt", "scattered.txt"]
    assert "[" in hits[1].snippet
    # bm25 within a group: "ứng dụng" three times in the Huế text, once in the Tân Yên one
    words = search(str(db), "ung dung", scope="documents")
    assert [h.source for h in words] == ["hue.txt", "tan_yen.txt"]
    assert words[0].score < words[1].score


def test_targets_and_scope(db):
    hits = search(str(db), "tin hoc", scope="targets")
    assert hits and all(h.kind == "target" for h in hits)
    assert "[tin học]" in hits[0].snippet
    assert not search(str(db), "tin hoc", scope="solutions")


def test_index_in_sync_no_duplicates_and_replace(db):
    def n_rows():
        conn = sqlite3.connect(str(db))
        try:
            return conn.execute("SELECT count(*) FROM fulltext WHERE kind = 'document'").fetchone()[0]
        finally:
            conn.close()

    assert n_rows() == 3
    with Store(str(db)) as store:  # a re-run does not duplicate
        store.add_records([extract(t, source=n) for n, t in TEXTS.items()], "r1", texts=TEXTS)
    assert n_rows() == 3
    assert len(search(str(db), "chu ky so", scope="documents")) == 2
    with Store(str(db)) as store:  # a replaced document is re-indexed once
        store.add_records([extract(HUE, source="hue.txt")], "r2", texts=TEXTS)
    assert n_rows() == 3
    assert [h.source for h in search(str(db), "chu ky so", scope="documents")][:1] == ["hue.txt"]


def test_schema_1_database_gets_the_index_on_open(db, tmp_path):
    conn = sqlite3.connect(str(db))
    conn.execute("DROP TABLE fulltext")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        conn.execute(f"DROP VIEW {name}")
    conn.execute("DROP TABLE directive_links")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    hits = search(str(db), "chu ky so", scope="documents")  # opening migrates
    assert hits[0].source == "hue.txt"
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("SELECT count(*) FROM directive_links").fetchone()[0] >= 1  # 134-KH/HU → 18-CT/TU
    conn.close()


def test_find_command(db):
    runner = CliRunner()
    result = runner.invoke(find, ["chu", "ky", "so", "--db", str(db), "--in", "documents"])
    assert result.exit_code == 0, result.output
    assert "hue.txt" in result.output and "[chữ ký số]" in result.output
    assert "\x1b[1m" not in result.output  # not a terminal: brackets
    result = runner.invoke(find, ["dich vu cong", "--db", str(db), "--json", "--limit", "1"])
    payload = json.loads(result.output)
    assert len(payload) == 1 and payload[0]["source"] == "tan_yen.txt"
    result = runner.invoke(find, ["khong co tu nay", "--db", str(db)])
    assert result.exit_code == 1
    result = runner.invoke(find, ["x", "--db", str(db) + ".missing"])
    assert result.exit_code != 0 and "no database" in result.output


# --- the ranking with the kept rows' highlight only is the old single query's, row for row -------------

def _old_query(conn, match, kinds, limit, query):
    """miner.database.fulltext._query before schema 3: highlight() for every match, kind filtered after matching."""
    from miner.database import fulltext

    o, c = fulltext._OPEN, fulltext._CLOSE
    return conn.execute(
        f"SELECT f.kind, f.row_id, f.document_id, highlight(fulltext, 3, '{o}', '{c}'),"
        f" highlight(fulltext, 4, '{o}', '{c}'), bm25(fulltext, 0, 0, 0, {fulltext.TITLE_WEIGHT},"
        f" {fulltext.BODY_WEIGHT}) AS score FROM fulltext f WHERE fulltext MATCH ?"
        f" AND f.kind IN ({','.join('?' * len(kinds))}) ORDER BY score, f.document_id, f.row_id LIMIT ?",
        (match, *kinds, limit)).fetchall()


@pytest.mark.parametrize("query", ["chữ ký số", "dich vu cong truc tuyen", "36-NQ/TW", "chuyen doi so", "chuyen*",
                                   "an ninh thong tin", "cong nghe thong tin", "doanh nghiep", "100%"])
@pytest.mark.shared
def test_new_query_matches_the_old_one(shared_corpus_db, tmp_path, query, monkeypatch):
    import shutil

    from miner.database import fulltext

    path = tmp_path / "copy.db"
    shutil.copy(shared_corpus_db, path)
    with Store(str(path)) as store:
        conn = store.conn
        for scope, kinds in fulltext.SCOPES.items():
            for limit in (1, 5, 20):
                new = [h.to_json() for h in search(store, query, scope=scope, limit=limit)]
                with monkeypatch.context() as m:
                    m.setattr(fulltext, "_scope_filter", lambda conn, kinds: ("", kinds))
                    m.setattr(fulltext, "_query", lambda conn, match, where, params, n, q:
                              _old_query(conn, match, params, n, q))
                    old = [h.to_json() for h in search(store, query, scope=scope, limit=limit)]
                assert new == old, (scope, limit)
            for match in fulltext.fts_queries(query):  # the raw rows too, at a larger limit
                where, params = fulltext._scope_filter(conn, kinds)
                assert [tuple(r) for r in fulltext._query(conn, match, where, params, 200, query)] == \
                    [tuple(r) for r in _old_query(conn, match, kinds, 200, query)]
        # an index of the earlier layout (no rowid ranges) is filtered by kind: the same hits
        conn.execute("DELETE FROM meta WHERE key = 'fulltext_layout'")
        assert fulltext._scope_filter(conn, ("target",))[0].startswith(" AND f.kind IN")
        for scope in fulltext.SCOPES:
            conn.execute("INSERT INTO meta(key, value) VALUES ('fulltext_layout', 'kind-ranges-1')")
            new = [h.to_json() for h in search(store, query, scope=scope)]
            conn.execute("DELETE FROM meta WHERE key = 'fulltext_layout'")
            assert [h.to_json() for h in search(store, query, scope=scope)] == new


def test_cut_snippet_window_is_the_first_densest():
    from miner.database.fulltext import cut_snippet

    text = "a " * 200
    spans = [(0, 1), (100, 101), (104, 105), (300, 301), (302, 303), (390, 391)]
    snippet, hl = cut_snippet(text, spans, width=10)
    assert len(hl) == 2 and snippet.count("a") >= 2
