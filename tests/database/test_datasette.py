"""The database opens in Datasette as is: views, metadata (titles, descriptions, facets) respond with rows."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("datasette")
from datasette.app import Datasette  # noqa: E402

from miner.pipeline import extract, extract_path, rules_version  # noqa: E402
from miner.database.schema import VIEWS  # noqa: E402
from miner.database.writer import Store  # noqa: E402

from testdata import ROOT  # noqa: E402
METADATA = ROOT / "docs" / "datasette-metadata.json"
from testdata import DATA  # noqa: E402

DEV = DATA / "dev"  # copies of four dev pages (tests/data/README.md)
# a few real texts: 36-NQ/TW cited with 2015 (000) and 2014 (001, 004); 18-CT/TU of Bắc Giang and Lâm Đồng (002)
REAL = ["000_a5a24a10da4b2c1e.txt", "001_c7e476cc61611d61.txt", "002_f1c7b76ae52b9153.txt",
        "004_4c57b24fbf32733b.txt"]

FALLBACK = """Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang
Ngày đăng: 08/06/2015
 Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin.
Quán triệt Nghị quyết số 36-NQ/TW ngày 01/7/2015 của Bộ Chính trị. Phấn đấu đến năm 2020 có 100% cán bộ công chức, viên chức đạt trình độ tin học A trở lên.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ds") / "miner.db"  # the name Datasette gives the database: "miner"
    with Store(str(path)) as store:
        if all((DEV / n).is_file() for n in REAL):
            store.add_records([extract_path(str(DEV / n)) for n in REAL], rules_version())
        else:
            other = FALLBACK.replace("01/7/2015", "01/7/2014").replace("Tân Yên", "Lạng Giang")
            texts = {"tan_yen.txt": FALLBACK, "lang_giang.txt": other}
            store.add_records([extract(t, source=n) for n, t in texts.items()], "r1", texts=texts)
    return path


def get(ds: Datasette, path: str):
    async def fetch():
        return await ds.client.get(path)
    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def ds(db):
    return Datasette([str(db)], metadata=json.loads(METADATA.read_text(encoding="utf-8")))


def test_metadata_names_every_view_and_table(db):
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    assert meta["title"] and (meta.get("description") or meta.get("description_html"))
    tables = meta["databases"]["miner"]["tables"]
    for name in list(VIEWS) + ["documents", "directives", "citations", "targets", "places"]:
        assert name in tables and tables[name].get("title"), name
    for view, facets in {"targets_full": {"province", "year", "category"}, "citations_full": {"province", "year", "kind"},
                         "documents_full": {"province", "year"}}.items():
        assert facets <= set(tables[view]["facets"])


@pytest.mark.parametrize("view", ["targets_full", "citations_full", "directive_variants", "documents_full",
                                  "implementations", "directives", "documents"])
def test_views_respond_with_rows(ds, view):
    response = get(ds, f"/miner/{view}.json?_shape=objects")
    assert response.status_code == 200
    body = response.json()
    assert body["rows"], view


def test_facets_respond(ds):
    body = get(ds, "/miner/targets_full.json?_shape=objects").json()
    facets = body["facet_results"]
    assert {"province", "year", "category"} <= set(facets)
    assert any(r["value"] == 2020 for r in facets["year"]["results"])
    body = get(ds, "/miner/citations_full.json?_shape=objects").json()
    assert {"province", "year", "kind"} <= set(body["facet_results"])
    kinds = {r["value"] for r in body["facet_results"]["kind"]["results"]}
    assert "Nghị quyết" in kinds


def test_filters_on_view_columns(ds):
    body = get(ds, "/miner/directive_variants.json?_shape=objects&field=date&agrees=0").json()
    assert body["rows"] and all(r["agrees"] == 0 for r in body["rows"])
    codes = {r["code"] for r in body["rows"]}
    if len(codes) and "36-NQ/TW" in codes:
        assert {r["value"] for r in body["rows"] if r["code"] == "36-NQ/TW"} == {"2015-07-01"}


def test_page_renders_with_titles(ds):
    response = get(ds, "/miner/targets_full")
    assert response.status_code == 200
    assert "Targets with document and province" in response.text
    assert get(ds, "/").status_code == 200
