"""Cross-document resolution (consensus date/issuer, variants, identity rule) and `miner show` chains."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from miner.database.chain import build_chain, show
from miner.rendering.chain import render
from miner.resolution.links import find_links
from miner.cli.show import show as show_command
from miner.pipeline import extract
from miner.database.writer import Store
from miner.resolution.directives import consensus, consensus_date, consensus_issuer, term_of

# Quoted from ../shared/corpus/dev/000_a5a24a10da4b2c1e.txt: cites 36-NQ/TW with the wrong year (2015).
BAC_GIANG = """Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang
Ngày đăng: 08/06/2015

 Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.
Với mục đích quán triệt và triển khai nghiêm túc các nội dung Nghị quyết số 36-NQ/TW ngày 01/7/2015 của Bộ Chính trị; Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ; Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ tới các cấp uỷ, chính quyền, Ủy ban MTTQ và các đoàn thể từ huyện tới cơ sở tổ chức.
"""

# Quoted from ../shared/corpus/dev/004_4c57b24fbf32733b.txt (Thừa Thiên Huế): 36-NQ/TW of 01/7/2014.
HUE = """Đến năm 2020: 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng chữ ký số trong việc trao đổi văn bản điện tử
Ngày cập nhật 14/10/2015

Đó là một trong những mục tiêu được đề ra tại Kế hoạch thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế vừa được UBND tỉnh ban hành.
"""

# Adapted from ../shared/corpus/dev/002_f1c7b76ae52b9153.txt: Lâm Đồng's own 18-CT/TU (2019).
LAM_DONG = """Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh
Thứ 3, ngày 21/05/2019 | 09:42 AM (GMT +7)
Để đẩy mạnh hơn nữa việc ứng dụng và phát triển CNTT nhằm phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh, Ban Thường vụ Tỉnh ủy Lâm Đồng ban hành Chỉ thị số 18-CT/TU ngày 9/5/2019 của Ban Thường vụ Tỉnh ủy Lâm Đồng yêu cầu các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội và các cơ quan, đơn vị trên địa bàn tỉnh tập trung lãnh đạo, chỉ đạo.
Đẩy mạnh thực hiện xây dựng chính quyền điện tử; thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg, ngày 12/7/2018 của Thủ tướng Chính phủ về việc gửi, nhận văn bản điện tử giữa các cơ quan trong hệ thống hành chính Nhà nước.
"""

# Written in the style of ../shared/corpus/pool (Đồng Tháp, 2025): the other 36-NQ/TW, of the next Party term.
SEA_2018 = """Đồng Tháp triển khai Chiến lược phát triển bền vững kinh tế biển
Ngày đăng: 20/11/2025
Tỉnh tiếp tục quán triệt Nghị quyết số 36-NQ/TW ngày 22/10/2018 của Ban Chấp hành Trung ương về Chiến lược phát triển bền vững kinh tế biển Việt Nam đến năm 2030, tầm nhìn đến năm 2045.
"""
# Quoted from ../shared/corpus/dev/001_c7e476cc61611d61.txt (Tây Ninh, 2015), shortened.
TAY_NINH = """Năm 2015: Tây Ninh đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế
Thứ hai - 13/04/2015 11:00
Nhằm đẩy mạnh ứng dụng, phát triển công nghệ thông tin (CNTT) đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế tại địa phương, ngày 31/12/2014, Tỉnh ủy Tây Ninh đã ban hành Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển CNTT đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế.
"""

# A full text of a province plan (written in the style of the corpus' full texts).
UBND_PLAN = """ỦY BAN NHÂN DÂN
TỈNH TÂY NINH
Số: 25/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tây Ninh, ngày 10 tháng 3 năm 2015

KẾ HOẠCH
Thực hiện Chương trình hành động số 45-CTr/TU của Tỉnh ủy Tây Ninh về đẩy mạnh ứng dụng, phát triển công nghệ thông tin

Căn cứ Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế;
Căn cứ Chương trình hành động số 45-CTr/TU ngày 31/12/2014 của Tỉnh ủy Tây Ninh;
Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau:
Phấn đấu đến năm 2020 có 100% cơ quan nhà nước ứng dụng chữ ký số trong trao đổi văn bản điện tử.
"""

# A district article (written in the style of corpus/dev/000_a5a24a10da4b2c1e.txt).
DISTRICT = """Huyện ủy Trảng Bàng triển khai Kế hoạch số 25/KH-UBND của Ủy ban nhân dân tỉnh Tây Ninh
Ngày đăng: 08/06/2015
Ngày 6/6, Ban Thường vụ Huyện ủy Trảng Bàng ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Kế hoạch số 25/KH-UBND ngày 10/3/2015 của Ủy ban nhân dân tỉnh Tây Ninh về đẩy mạnh ứng dụng công nghệ thông tin trên địa bàn huyện Trảng Bàng.
"""


def store_of(tmp_path, texts: dict[str, str]) -> Store:
    tmp_path.mkdir(parents=True, exist_ok=True)
    store = Store(str(tmp_path / "miner.db"))
    store.add_records([extract(t, source=n) for n, t in texts.items()], "r1", texts=texts)
    return store


def rows(store, code):
    return store.conn.execute("SELECT * FROM directives WHERE code = ? ORDER BY year, issuer_key", (code,)).fetchall()


# --- consensus ------------------------------------------------------------------

def test_consensus_helpers():
    assert consensus(["a", "b", "b", None]) == "b"
    assert consensus(["a", "b"]) == consensus(["b", "a"]) == "a"  # a tie is broken by the data, not the order
    assert consensus_date(["2015-07-01", "2014-07-01"]) == consensus_date(["2014-07-01", "2015-07-01"]) == "2014-07-01"
    assert consensus_issuer(["Thủ tướng", "Thủ tướng Chính phủ"]) == "Thủ tướng Chính phủ"  # the most specific name
    assert consensus_issuer(["Thủ tướng Chính phủ", "Thủ tướng"]) == "Thủ tướng Chính phủ"
    assert consensus_date(["2015", "2014-07-01"]) == "2014-07-01"  # a full date beats a year
    assert consensus_date([None, "2018"]) == "2018"
    assert term_of("2014-07-01") == term_of("2015-12-31") == 2011
    assert term_of("2016-02-01") == term_of("2018-10-22") == 2016
    assert term_of("2021") == 2021 and term_of(None) is None


def test_disagreeing_dates_one_directive_with_the_majority_date(tmp_path):
    # Bắc Giang first (2015, the typo), then two texts with 2014: one directive, 2014 wins, 2015 kept
    with store_of(tmp_path, {"bac_giang.txt": BAC_GIANG, "hue.txt": HUE, "tay_ninh.txt": TAY_NINH}) as store:
        [d] = rows(store, "36-NQ/TW")
        assert (d["date"], d["year"], d["issuer"], d["term"], d["cited"], d["variants"]) == (
            "2014-07-01", 2014, "Bộ Chính trị", 2011, 3, 1)
        variants = store.conn.execute(
            "SELECT value, citations, agrees, sources FROM directive_variants WHERE directive_id = ? AND field = 'date'"
            " ORDER BY value", (d["id"],)).fetchall()
        assert [tuple(v)[:3] for v in variants] == [("2014-07-01", 2, 1), ("2015-07-01", 1, 0)]
        assert variants[1]["sources"] == "bac_giang.txt"
        # every citation keeps its own date
        cited = store.conn.execute("SELECT source, cited_date, date_agrees FROM citations_full WHERE code = '36-NQ/TW'"
                                   " ORDER BY source").fetchall()
        assert [tuple(c) for c in cited] == [("bac_giang.txt", "2015-07-01", 0), ("hue.txt", "2014-07-01", 1),
                                             ("tay_ninh.txt", "2014-07-01", 1)]


def test_a_tie_breaks_by_the_data_whatever_the_order(tmp_path):
    # one citation says 2015-07-01, one 2014-07-01: the earliest wins, stored in either order
    for order in ({"bac_giang.txt": BAC_GIANG, "hue.txt": HUE}, {"hue.txt": HUE, "bac_giang.txt": BAC_GIANG}):
        with store_of(tmp_path / str(len(list(tmp_path.iterdir()))), order) as store:
            [d] = rows(store, "36-NQ/TW")
            assert d["date"] == "2014-07-01" and d["variants"] == 1
    with store_of(tmp_path / "more", {"bac_giang.txt": BAC_GIANG, "hue.txt": HUE}) as store:
        store.add_records([extract(TAY_NINH, source="tay_ninh.txt")], "r1", texts={"tay_ninh.txt": TAY_NINH})
        [d] = rows(store, "36-NQ/TW")
        assert d["date"] == "2014-07-01" and d["cited"] == 3  # the majority


def test_party_central_code_of_another_term_is_another_directive(tmp_path):
    with store_of(tmp_path, {"hue.txt": HUE, "bac_giang.txt": BAC_GIANG, "sea.txt": SEA_2018}) as store:
        found = [(r["date"], r["issuer"], r["term"]) for r in rows(store, "36-NQ/TW")]
        assert found == [("2014-07-01", "Bộ Chính trị", 2011), ("2018-10-22", "Ban Chấp hành Trung ương", 2016)]


def test_local_codes_of_two_provinces_stay_apart(tmp_path):
    with store_of(tmp_path, {"bac_giang.txt": BAC_GIANG, "lam_dong.txt": LAM_DONG}) as store:
        found = [(r["issuer_key"], r["date"], r["level"]) for r in rows(store, "18-CT/TU")]
        assert found == [("tu:bac giang", "2015-04-01", "province"), ("tu:lam dong", "2019-05-09", "province")]


def test_code_year_rules_out_other_years(tmp_path):
    wrong = LAM_DONG.replace("ngày 12/7/2018", "ngày 12/7/2019").replace("21/05/2019", "22/05/2019")
    with store_of(tmp_path, {"wrong.txt": wrong, "lam_dong.txt": LAM_DONG}) as store:
        [d] = rows(store, "28/2018/QĐ-TTg")
        assert (d["date"], d["year"], d["cited"], d["variants"]) == ("2018-07-12", 2018, 2, 1)


def test_replacing_a_document_recomputes_the_consensus(tmp_path):
    with store_of(tmp_path, {"bac_giang.txt": BAC_GIANG, "hue.txt": HUE, "tay_ninh.txt": TAY_NINH}) as store:
        assert rows(store, "36-NQ/TW")[0]["date"] == "2014-07-01"
        # the same file re-extracted under new rules that read the date as 2015: its rows are replaced
        record = extract(TAY_NINH, source="tay_ninh.txt")
        for ref in record.references:
            if ref.code == "36-NQ/TW":
                ref.date = "2015-07-01"
        stats = store.add_records([record], "r2", texts={"tay_ninh.txt": TAY_NINH})
        assert stats.replaced == 1
        [d] = rows(store, "36-NQ/TW")
        assert (d["cited"], d["date"], d["variants"]) == (3, "2015-07-01", 1)


# --- links and chains ------------------------------------------------------------

def test_find_links_text_rule():
    text = "Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015."
    a, b = text.index("134-KH/HU"), text.index("18-CT/TU")
    info = {1: {"level": "district", "year": 2015}, 2: {"level": "province", "year": 2015}}
    links = find_links(text, {1: [(a, a + 9)], 2: [(b, b + 8)]}, set(), info)
    assert links == [(1, 2, "text", "134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU")]
    # a province directive does not "implement" a district plan, whatever the words
    info = {1: {"level": "central", "year": 2015}, 2: {"level": "district", "year": 2015}}
    assert find_links(text, {1: [(a, a + 9)], 2: [(b, b + 8)]}, set(), info) == []


def test_hand_built_chain(tmp_path):
    texts = {"tay_ninh.txt": TAY_NINH, "ubnd_plan.txt": UBND_PLAN, "district.txt": DISTRICT, "hue.txt": HUE}
    with store_of(tmp_path, texts) as store:
        links = {(r["child_code"], r["parent_code"], r["rule"]) for r in store.conn.execute("SELECT * FROM implementations")}
        assert {("45-CTr/TU", "36-NQ/TW", "text"), ("25/KH-UBND", "45-CTr/TU", "self"),
                ("134-KH/HU", "25/KH-UBND", "text")} <= links
        # the plan names 36-NQ/TW only in its "Căn cứ" preamble: its legal basis, not what it implements
        assert ("25/KH-UBND", "36-NQ/TW", "self") not in links
        relations = dict(store.conn.execute("SELECT d.code, c.relation FROM citations c JOIN directives d"
                                            " ON d.id = c.directive_id JOIN documents doc ON doc.id = c.document_id"
                                            " WHERE doc.source = 'ubnd_plan.txt'").fetchall())
        assert relations == {"25/KH-UBND": "self", "45-CTr/TU": "implements", "36-NQ/TW": "pursuant_to"}
        [chain] = show(store, "nghị quyết 36 TW")
        root = chain.root
        assert (root.code, root.date, root.issuer, root.level) == ("36-NQ/TW", "2014-07-01", "Bộ Chính trị", "central")
        # 36-NQ/TW → 45-CTr/TU (Tỉnh ủy Tây Ninh) → 25/KH-UBND (UBND tỉnh) → 134-KH/HU (Huyện ủy)
        [ctr] = root.children
        assert (ctr.code, ctr.issuer, ctr.rule) == ("45-CTr/TU", "Tỉnh ủy Tây Ninh", "text")
        [plan] = ctr.children
        assert (plan.code, plan.level, plan.rule, plan.via) == ("25/KH-UBND", "province", "self", "ubnd_plan.txt")
        [district] = plan.children
        assert (district.code, district.level) == ("134-KH/HU", "district")
        # documents citing the resolution, by province ("?" when the text names none) and year
        # only the documents that implement it (or state a link to it): not the plan that names it as its basis
        assert {d["source"] for d in root.documents["Tây Ninh"]["2015"]} == {"tay_ninh.txt"}
        assert root.documents["?"]["2015"][0]["source"] == "hue.txt"
        assert district.documents["Tây Ninh"]["2015"][0]["source"] == "district.txt"
        assert [t["source"] for t in chain.targets if t["year"] == 2020]  # targets under the tree
        text = render(chain)
        assert "└─ Chương trình hành động 45-CTr/TU (Tỉnh ủy Tây Ninh, 2014-12-31)" in text
        assert "134-KH/HU" in text and "Targets in these documents" in text


@pytest.mark.shared
def test_show_on_the_shared_corpus(shared_corpus_db):
    chains = show(str(shared_corpus_db), "36-NQ/TW")
    assert [c.root.date for c in chains] == ["2014-07-01", "2018-10-22"]  # two terms, two resolutions
    root = chains[0].root
    assert root.issuer == "Bộ Chính trị" and root.cited >= 5
    assert {"field": "date", "value": "2015-07-01"}.items() <= root.variants[0].items()
    assert {"Bắc Giang", "Tây Ninh", "Thừa Thiên Huế"} <= set(root.documents)
    assert "45-CTr/TU" in [c.code for c in root.children]
    assert chains[0].targets

    runner = CliRunner()
    result = runner.invoke(show_command, ["36-NQ/TW", "--db", str(shared_corpus_db)])
    assert result.exit_code == 0, result.output
    assert "date    2014-07-01" in result.output and "disagreeing date: 2015-07-01" in result.output
    result = runner.invoke(show_command, ["nq", "36", "tw", "--db", str(shared_corpus_db), "--json"])
    payload = json.loads(result.output)
    assert payload[0]["directive"]["code"] == "36-NQ/TW" and payload[0]["directive"]["children"]
    result = runner.invoke(show_command, ["99-NQ/TW", "--db", str(shared_corpus_db)])
    assert result.exit_code == 1 and "no directive matches" in result.output
