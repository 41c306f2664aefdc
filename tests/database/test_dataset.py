"""miner.database.dataset on the shared corpus (dev + pool): every filter of db.targets and the other frames."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import miner.database.dataset as ds
from miner.folding import fold_ascii

pytestmark = pytest.mark.shared  # a database of the whole dev and pool corpus


@pytest.fixture(scope="module")
def db(shared_corpus_db):
    with ds.open(shared_corpus_db) as data:
        yield data


def ids(frame: pd.DataFrame) -> set[int]:
    return set(frame["target_id"].tolist())


def has(cell, name: str) -> bool:
    return isinstance(cell, str) and name in cell.split("; ")


# --- years ---------------------------------------------------------------------

def test_year(db):
    t = db.targets(year=2030)
    assert len(t) > 100
    assert (t["year"] == 2030).all()


def test_year_range_and_province(db):
    t = db.targets(year_range=(2020, 2025), province="TP Hồ Chí Minh")
    assert len(t) > 0
    assert t["year"].between(2020, 2025).all()
    assert t["provinces"].map(lambda p: has(p, "Hồ Chí Minh")).all()
    everything = db.targets(year_range=(2020, 2025))
    assert set(everything["year"].tolist()) >= {2020, 2025}  # both ends are inclusive
    assert everything["year"].between(2020, 2025).all()
    open_end = db.targets(year_range=(2040, None))
    assert len(open_end) > 0 and (open_end["year"] >= 2040).all()


def test_targets_for_2030_in_dong_nai(db):
    t = db.targets(year=2030, province="dong nai")
    assert len(t) >= 40
    assert (t["year"] == 2030).all()
    assert t["provinces"].map(lambda p: has(p, "Đồng Nai")).all()


# --- places ----------------------------------------------------------------------

def test_province_old_name_new_name_and_no_diacritics(db):
    old = db.targets(province="Thừa Thiên Huế")
    assert len(old) >= 11
    assert old["provinces"].map(lambda p: has(p, "Thừa Thiên Huế")).all()
    for name in ("thua thien hue", "tỉnh Thừa Thiên Huế", "Huế", "hue"):
        assert ids(db.targets(province=name)) == ids(old), name
    # what the province promised for 2020: e-government at 100 %
    promised = db.targets(year=2020, province="hue", category="e_government")
    assert len(promised) > 0 and (promised["value"] == 100).all()
    assert promised["source"].eq("004_4c57b24fbf32733b.txt").all()


def test_2025_province_covers_the_provinces_merged_into_it(db):
    lam_dong = db.targets(province="Lâm Đồng")  # Đắk Nông became part of Lâm Đồng in 2025
    assert len(lam_dong) > 0
    assert lam_dong["provinces"].map(lambda p: has(p, "Đắk Nông")).all()
    assert lam_dong["provinces_2025"].map(lambda p: has(p, "Lâm Đồng")).all()
    assert db.targets(province="Lâm Đồng", merged=False).empty  # no document about Lâm Đồng itself
    assert ids(db.targets(province="quang tri")) >= ids(db.targets(province="Quảng Bình"))


def test_province_includes_its_districts(db):
    district = db.targets(district="Minh Hóa")
    assert len(district) > 0
    assert ids(db.targets(province="Quảng Bình")) >= ids(district)


def test_district(db):
    t = db.targets(district="minh hoa")
    assert len(t) > 0
    assert ids(t) == ids(db.targets(district="Minh Hóa"))
    assert t["districts"].map(lambda d: has(d, "Minh Hóa")).all()
    tan_yen = db.targets(district="Tân Yên", province="Bắc Giang")
    assert len(tan_yen) > 0 and tan_yen["districts"].map(lambda d: has(d, "Tân Yên")).all()


def test_unknown_places_are_errors(db):
    with pytest.raises(ds.DatasetError, match="unknown province"):
        db.targets(province="Xyzabc")
    with pytest.raises(ds.DatasetError, match="district"):
        db.targets(province="Tân Yên")  # a district, not a province
    with pytest.raises(ds.DatasetError, match="unknown district"):
        db.targets(district="Xyzabc")


# --- category, issuer, directive ---------------------------------------------------

def test_category(db):
    t = db.targets(category="e_government")
    assert len(t) > 10 and (t["category"] == "e_government").all()
    both = db.targets(category=["e_government", "education"])
    assert set(both["category"]) == {"e_government", "education"}
    assert ids(both) >= ids(t)


def test_issuer(db):
    t = db.targets(issuer="Bộ Chính trị")
    assert len(t) > 0
    assert ids(t) == ids(db.targets(issuer="bo chinh tri"))
    cites = db.citations()
    issuers = (cites["directive_issuer"].fillna("") + " | " + cites["cited_issuer"].fillna("")).map(fold_ascii)
    citing = set(cites.loc[issuers.str.contains("bo chinh tri", regex=False), "document_id"].tolist())
    assert set(t["document_id"].tolist()) <= citing
    assert len(db.targets(issuer="Thủ tướng")) > 0


def test_directive_in_two_written_forms(db):
    t = db.targets(directive="36-NQ/TW")
    assert len(t) > 0
    assert ids(t) == ids(db.targets(directive="36/NQ-TW"))
    assert (t["cited"].fillna("") + "; " + t["self_code"].fillna("")).str.contains("36-NQ/TW", regex=False).all()
    # the monitoring office's question: what did plans implementing 36-NQ/TW promise for 2020?
    for_2020 = db.targets(directive="36-NQ/TW", year=2020)
    assert len(for_2020) > 0 and (for_2020["year"] == 2020).all()
    assert ids(db.targets(directive="nghị quyết 36")) >= ids(t)  # words: any issuer
    with pytest.raises(ds.DatasetError):
        db.targets(directive="nghị quyết")


# --- values, indicator, sort, limit --------------------------------------------------

def test_value_range(db):
    t = db.targets(value_min=50, value_max=90)
    assert len(t) > 0
    high = t["value_max"].fillna(t["value"])
    assert ((high >= 50) & (t["value"] <= 90)).all()
    big = db.targets(value_min=1000)
    assert len(big) > 0 and (big["value_max"].fillna(big["value"]) >= 1000).all()


def test_indicator_words(db):
    t = db.targets(indicator="chu ky so")
    assert len(t) > 0
    assert ids(t) == ids(db.targets(indicator="chữ ký số"))
    for indicator in t["indicator"]:
        words = set(re.findall(r"\w+", fold_ascii(indicator)))
        assert {"chu", "ky", "so"} <= words


def test_sort_and_limit(db):
    top = db.targets(sort="value", descending=True, limit=5)
    assert len(top) == 5
    values = top["value"].tolist()
    assert values == sorted(values, reverse=True)
    assert values[0] == db.table("targets")["value"].max()
    by_year = db.targets(province="hue", sort="year")
    assert by_year["year"].is_monotonic_increasing
    first = db.targets(limit=3)
    assert len(first) == 3
    with pytest.raises(ds.DatasetError, match="sort"):
        db.targets(sort="nope")


def test_filters_combine(db):
    t = db.targets(year=2020, province="Thừa Thiên Huế", category="digital_signatures",
                   issuer="Bộ Chính trị", directive="36-NQ/TW", indicator="chữ ký số")
    assert len(t) >= 1
    assert (t["category"] == "digital_signatures").all() and (t["year"] == 2020).all()


# --- other frames -------------------------------------------------------------------

def test_targets_columns_and_types(db):
    t = db.targets(limit=1)
    for column in ("target_id", "document_id", "value", "unit", "year", "indicator", "category", "source",
                   "title", "published", "provinces", "districts", "cited", "self_code"):
        assert column in t.columns
    assert str(t["year"].dtype) == "Int64" and t["value"].dtype == "float64"
    assert len(db.table("targets_full")) == len(db.table("targets"))


def test_documents_directives_citations(db):
    docs = db.documents(province="hue")
    assert len(docs) >= 1 and docs["provinces"].map(lambda p: has(p, "Thừa Thiên Huế")).all()
    assert "text" not in docs.columns
    dirs = db.directives(directive="36-NQ/TW")
    assert len(dirs) > 0 and (dirs["code"] == "36-NQ/TW").all()
    assert (dirs["n_citing"] > 0).any()
    cites = db.citations(directive="36/NQ-TW")
    assert len(cites) > 0 and (cites["code"] == "36-NQ/TW").all()
    assert len(db.directives(issuer="thu tuong chinh phu")) > 0
    published = db.documents(year=2015)
    assert len(published) > 0 and published["published"].str.startswith("2015").all()


def test_table_and_query(db):
    counts = db.query("SELECT year, count(*) AS n FROM targets WHERE year = ? GROUP BY year", [2030])
    assert counts["n"].iloc[0] == len(db.targets(year=2030))
    with pytest.raises(ds.DatasetError):
        db.table("sqlite_master")


def test_missing_database(tmp_path):
    with pytest.raises(ds.DatasetError, match="no database"):
        ds.open(tmp_path / "missing.db")
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    with pytest.raises(ds.DatasetError):
        ds.open(bad)


def test_parse_year():
    assert ds.parse_year("2020") == (2020, None)
    assert ds.parse_year("2020-2025") == (None, (2020, 2025))
    assert ds.parse_year("2025-") == (None, (2025, None))
    assert ds.parse_year("-2020") == (None, (None, 2020))
    with pytest.raises(ds.DatasetError):
        ds.parse_year("next year")


# --- paging, counting, and the fast paths (document_summary, full-text indicator filter) -------------------

_FILTERS = [dict(year=2030), dict(year_range=(2020, 2025)), dict(category="e_government"),
            dict(province="dong nai"), dict(indicator="chu ky so"), dict(indicator="doanh nghiệp số", year=2030),
            dict(directive="nghi quyet 57"), dict(value_min=50, value_max=90), dict()]


@pytest.mark.parametrize("filters", _FILTERS)
def test_pages_and_count_agree_with_the_whole_result(db, filters):
    full = db.targets(**filters)
    assert db.count_targets(**filters) == len(full)
    for sort, descending in (("year", False), ("year", True), ("value", False), ("province", False)):
        whole = db.targets(sort=sort, descending=descending, **filters)["target_id"].tolist()
        for limit, offset in ((7, 0), (7, 3), (50, 20)):
            page = db.targets(sort=sort, descending=descending, limit=limit, offset=offset, **filters)
            assert page["target_id"].tolist() == whole[offset:offset + limit]
    assert ds.DEFAULT_LIMIT > 0


def test_fast_paths_give_the_same_frames(db):
    """document_summary instead of the per-row subqueries, the FTS index instead of a Python scan."""
    from miner.database.schema import summary_columns

    assert db._fulltext
    fast = [db.targets(**f) for f in _FILTERS]
    saved = db._fulltext
    try:
        db._fulltext = False
        slow = [db.targets(**f) for f in _FILTERS]
    finally:
        db._fulltext = saved
    for a, b in zip(fast, slow):
        pd.testing.assert_frame_equal(a, b)
    assert len(fast[4]) > 0  # "chu ky so" finds something
    # the summary rows hold what the per-row subqueries compute
    stored = db.query("SELECT * FROM document_summary ORDER BY document_id")
    computed = db.query("SELECT doc.id AS document_id, "
                        + ", ".join(f"{expr} AS {name}" for name, expr in summary_columns("doc.id"))
                        + " FROM documents doc ORDER BY doc.id")
    pd.testing.assert_frame_equal(stored[computed.columns], computed)
