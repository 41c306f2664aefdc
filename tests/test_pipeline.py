"""pipeline.extract on a full dev-like article, and the record contract."""
import json
import unicodedata

import pytest

from miner.pipeline import extract

# The first 1500 characters of corpus/dev/000_a5a24a10da4b2c1e.txt
ARTICLE = (
    "Tin tức - Sự kiện   /  Trong huyện  /  Kinh tế - Chính trị\n"
    "Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
    "Ngày đăng: 08/06/2015\n"
    "\n"
    " Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU "
    "ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu "
    "phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.\n"
    "Với mục đích quán triệt và triển khai nghiêm túc các nội dung Nghị quyết số 36-NQ/TW ngày 01/7/2015 của "
    "Bộ Chính trị; Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ; Chỉ thị số 18-CT/TU ngày 01/4/2015 của "
    "Ban Thường vụ Tỉnh uỷ tới các cấp uỷ, chính quyền, Ủy ban MTTQ và các đoàn thể từ huyện tới cơ sở tổ chức. "
    "Nâng cao nhận thức và trách nhiệm của các cấp uỷ đảng, chính quyền, cán bộ, đảng viên và các tầng lớp nhân dân "
    "trong huyện về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển kinh tế, xã hội, "
    "ANQP trong tình hình mới, góp phần đẩy mạnh công nghiệp hoá, hiện đại hoá, bảo đảm phát triển nhanh, bền vững "
    "của huyện. Phát triển đồng bộ hạ tầng thông tin; tạo mọi điều kiện để nâng cao khả năng khai thác và ứng dụng "
    "CNTT trong các cơ quan, đơn vị, góp phần đẩy nhanh công tác cải cách hành chính nâng cao năng lực lãnh đạo của "
    "các chi, đảng bộ, sự quản lý, điều hành của các cơ quan quản lý nhà nước.\n"
)

TITLE = ("Huyện ủy Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 "
         "của Ban Thường vụ Tỉnh ủy Bắc Giang")

GOLD_REFS = {  # from 000_a5a24a10da4b2c1e.gold.json
    "18-CT/TU": ("Chỉ thị", "2015-04-01", "Ban Thường vụ Tỉnh ủy Bắc Giang"),
    "134-KH/HU": ("Kế hoạch", "2015-06-06", "Ban Thường vụ Huyện ủy Tân Yên"),
    "36-NQ/TW": ("Nghị quyết", "2015-07-01", "Bộ Chính trị"),
    "26/NQ-CP": ("Nghị quyết", "2015-04-15", "Chính phủ"),
}


@pytest.fixture(scope="module")
def record():
    return extract(ARTICLE, "000_a5a24a10da4b2c1e.txt")


def test_title_published_places(record):
    assert record.source == "000_a5a24a10da4b2c1e.txt"
    assert record.title == TITLE
    assert record.published == "2015-06-08"
    assert {(p.name, p.level) for p in record.places} == {("Bắc Giang", "province"), ("Tân Yên", "district")}


def test_the_four_references_codes_kinds_dates(record):
    got = {r.code: (r.kind, r.date) for r in record.references}
    assert got == {code: (kind, date) for code, (kind, date, _) in GOLD_REFS.items()}


def test_issuers_of_the_explicit_references(record):
    got = {r.code: r.issuer for r in record.references}
    for code in ("18-CT/TU", "36-NQ/TW", "26/NQ-CP"):
        assert got[code] == GOLD_REFS[code][2]


def test_all_four_references_match_gold(record):
    got = {r.code: (r.kind, r.date, r.issuer) for r in record.references}
    assert got == GOLD_REFS


def test_spans_point_into_the_original_text(record):
    for ref in record.references:
        assert ref.mentions
        for span in ref.mentions:
            written = ARTICLE[span.start:span.end]
            assert written.replace(" ", "") == ref.code
    for place in record.places:
        assert place.span is not None
        assert ARTICLE[place.span.start:place.span.end] == place.name
    cited = next(r for r in record.references if r.code == "18-CT/TU")
    assert len(cited.mentions) == 3


def test_spans_point_into_the_original_nfd_text():
    raw = unicodedata.normalize("NFD", ARTICLE)
    record = extract(raw, "nfd.txt")
    assert record.title == TITLE
    assert {r.code for r in record.references} == set(GOLD_REFS)
    for ref in record.references:
        for span in ref.mentions:
            assert raw[span.start:span.end] == ref.code
    for place in record.places:
        assert unicodedata.normalize("NFC", raw[place.span.start:place.span.end]) == place.name


def test_to_json_has_the_contract_fields(record):
    out = record.to_json()
    contract = ["source", "title", "published", "places", "references", "targets", "objectives", "solutions"]
    for key in contract:
        assert key in out
    assert list(out)[:len(contract)] == contract
    assert out["source"] == "000_a5a24a10da4b2c1e.txt"
    assert out["published"] == "2015-06-08"
    assert isinstance(out["targets"], list) and isinstance(out["objectives"], list)
    assert all(isinstance(s, str) for s in out["solutions"] + out["objectives"])
    for place in out["places"]:
        assert {"name", "level"} <= set(place)
    for ref in out["references"]:
        assert {"kind", "code", "date", "issuer"} <= set(ref)
    # JSON-serialisable, Vietnamese kept as NFC
    text = json.dumps(out, ensure_ascii=False)
    assert unicodedata.is_normalized("NFC", text)
    assert json.loads(text)["title"] == TITLE


def test_national_document_has_no_places():
    record = extract("Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, phát triển "
                     "công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế.\n")
    assert record.places == []
    assert [r.code for r in record.references] == ["36-NQ/TW"]


def test_empty_text_gives_an_empty_record():
    record = extract("", "empty.txt")
    assert record.title is None and record.published is None
    assert record.references == [] and record.places == []
