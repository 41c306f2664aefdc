"""Tests for miner.database.search: every written form of a code finds the directive, and only it."""
from __future__ import annotations

import pytest

from miner.pipeline import extract
from miner.database.search import parse_query, search
from miner.database.writer import Store

from store_texts import TEXTS as STORE_TEXTS

# Written in the style of a district portal (Quảng Bình): decoys with the same numbers.
QUANG_BINH = """UBND huyện Minh Hóa triển khai kế hoạch chuyển đổi số
Ngày đăng: 12/03/2016
Thực hiện Quyết định số 28/QĐ-UBND ngày 05/01/2016 của UBND tỉnh Quảng Bình, Ban Thường vụ Huyện ủy Minh Hóa ban hành Kế hoạch số 18-KH/HU ngày 10/3/2016 về ứng dụng công nghệ thông tin; Chỉ thị số 40-CT/TU ngày 9/5/2015 của Ban Thường vụ Tỉnh ủy Quảng Bình.
"""

TEXTS = dict(STORE_TEXTS, **{"quang_binh.txt": QUANG_BINH})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("search") / "miner.db")
    with Store(path) as store:
        store.add_records([extract(t, source=s) for s, t in TEXTS.items()], "r1", texts=TEXTS)
    return path


CT18 = ["18-CT/TU", "18/CT-TU", "18 CT TU", "chỉ thị 18", "ct 18", "18-ct/tu", "chi thi 18",
        "Chỉ thị số 18-CT/TƯ", "CT số 18", "18 - CT/TU", "Chi thi so 18-CT/TU"]
QD28 = ["28/2018", "QĐ 28 TTg", "quyet dinh 28/2018/QD-TTg", "28/2018/QĐ-TTg", "qd 28/2018", "Quyết định sổ 28/2018/QĐ-TTg"]


@pytest.mark.parametrize("query", CT18)
def test_finds_18_ct_tu(db, query):
    hits = search(db, query)
    codes = {h.code for h in hits}
    assert codes == {"18-CT/TU"}, codes  # not 18-KH/HU, not 40-CT/TU, not 28/…
    # both provinces' directives, each with its own citing documents
    by_scope = {h.issuer_key: sorted(c.source for c in h.citing) for h in hits}
    assert by_scope == {"tu:bac giang": ["bac_giang_a.txt", "bac_giang_b.txt"], "tu:lam dong": ["lam_dong.txt"]}
    # the most cited first
    assert hits[0].issuer_key == "tu:bac giang"
    assert hits[0].date == "2015-04-01" and hits[0].kind == "Chỉ thị"
    assert hits[0].issuer == "Ban Thường vụ Tỉnh ủy Bắc Giang"


@pytest.mark.parametrize("query", QD28)
def test_finds_28_2018_qd_ttg(db, query):
    hits = search(db, query)
    assert [h.code for h in hits] == ["28/2018/QĐ-TTg"]  # not 28/QĐ-UBND (2016, UBND)
    (doc,) = hits[0].citing
    assert doc.source == "lam_dong.txt" and doc.published == "2019-05-21"
    assert "28/2018/QĐ-TTg" in doc.snippet and len(doc.snippet) <= 140


def test_kh_18_is_not_ct_18(db):
    assert [h.code for h in search(db, "kế hoạch 18")] == ["18-KH/HU"]
    assert [h.code for h in search(db, "28 UBND")] == ["28/QĐ-UBND"]
    assert {h.code for h in search(db, "18")} == {"18-CT/TU", "18-KH/HU"}


def test_year_filters(db):
    hits = search(db, "chỉ thị 18/2019")
    assert [(h.code, h.issuer_key) for h in hits] == [("18-CT/TU", "tu:lam dong")]
    assert search(db, "28/2017") == []


def test_exact_code_ranks_first(db):
    assert [h.code for h in search(db, "40-CT/TU")] == ["40-CT/TU"]
    hits = search(db, "18")
    assert hits[0].code == "18-CT/TU"  # most cited first when nothing is exact
    hits = search(db, "18-KH/HU")
    assert hits[0].code == "18-KH/HU" and hits[0].exact


@pytest.mark.parametrize("query", ["19-CT/TU", "chỉ thị 28", "QĐ 18 TTg", "nghị định 18", "Luật An ninh mạng", ""])
def test_no_match_returns_empty(db, query):
    assert search(db, query) == []


def test_search_accepts_a_store(db):
    with Store(db) as store:
        assert [h.code for h in search(store, "36-NQ/TW")] == ["36-NQ/TW"]


def test_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        search(str(tmp_path / "none.db"), "18-CT/TU")


@pytest.mark.parametrize("query, number, type_code, issuer, year", [
    ("18-CT/TU", "18", "CT", "TU", None),
    ("18/CT-TU", "18", "CT", "TU", None),
    ("Chỉ thị số 18-CT/TƯ", "18", "CT", "TU", None),
    ("chi thi 18", "18", "CT", None, None),
    ("28/2018", "28", None, None, 2018),
    ("QĐ 28 TTg", "28", "QĐ", "TTg", None),
    ("quyet dinh 28/2018/QD-TTg", "28", "QĐ", "TTg", 2018),
    ("2018/28", "28", None, None, 2018),
    ("quy định 05-QĐi/TU", "05", "QĐi", "TU", None),
    ("chương trình hành động 45", "45", "CTr", None, None),
    ("Luật 16/2023/QH15", "16", None, "QH15", 2023),
    ("quyết định 2269", "2269", "QĐ", None, None),
])
def test_parse_query(query, number, type_code, issuer, year):
    q = parse_query(query)
    assert (q.number, q.type_code, q.issuer_code, q.year, q.raw) == (number, type_code, issuer, year, query)


def test_citing_documents_are_paged(db):
    hit = search(db, "18-CT/TU")[0]
    assert hit.issuer_key == "tu:bac giang"
    # publication order, unknown dates last
    assert [c.source for c in hit.citing] == ["bac_giang_a.txt", "bac_giang_b.txt"] and hit.citing_total == 2
    first = search(db, "18-CT/TU", citing_limit=1)[0]
    assert [c.source for c in first.citing] == ["bac_giang_a.txt"] and first.citing_total == 2
    second = search(db, "18-CT/TU", citing_limit=1, citing_offset=1)[0]
    assert [c.source for c in second.citing] == ["bac_giang_b.txt"] and second.citing_total == 2
    assert search(db, "18-CT/TU", citing_limit=None)[0].citing == hit.citing


def test_citing_order_matches_the_documents(db):
    """The stored order is the documents' (published IS NULL, published, source) for every directive."""
    with Store(db) as store:
        for (directive_id,) in store.conn.execute("SELECT id FROM directives").fetchall():
            listed = [r[0] for r in store.conn.execute(
                "SELECT c.document_id FROM citing_order o JOIN citations c ON c.id = o.citation_id"
                " WHERE o.directive_id = ? ORDER BY o.unpublished, o.published, o.source, o.citation_id",
                (directive_id,))]
            expected = [r[0] for r in store.conn.execute(
                "SELECT doc.id FROM citations c JOIN documents doc ON doc.id = c.document_id"
                " WHERE c.directive_id = ? ORDER BY doc.published IS NULL, doc.published, doc.source, c.id",
                (directive_id,))]
            assert listed == expected
