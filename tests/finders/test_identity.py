"""A full text's own number and metadata (issuer, place and date of issue, signer, effective date), and no
cited law taken for its own number — on Official Gazette text layers copied into tests/data/congbao."""
from __future__ import annotations

import pytest

import miner
from miner.document import build
from miner.finders.identity import find_identity
from testdata import DATA

CONGBAO = DATA / "congbao"


@pytest.mark.parametrize("name, expected", [
    ("thong-tu-so-29-2026-tt-btc-469232.txt",
     {"kind": "Thông tư", "number": "29/2026/TT-BTC", "issuer": "Bộ Tài chính", "place": "Hà Nội",
      "issued": "2026-03-27", "signer": "Cao Anh Tuấn", "signer_title": "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
      "effective": "2026-04-01"}),
    ("chi-thi-so-21-ct-ttg-469580.txt",
     {"kind": "Chỉ thị", "number": "21/CT-TTg", "issuer": "Thủ tướng Chính phủ", "issued": "2026-05-20",
      "signer": "Phạm Thị Thanh Trà", "signer_title": "KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG", "effective": None}),
    # the header block printed after the first articles; "có hiệu lực thi hành từ ngày 25 tháng 5 năm 2026"
    ("nghi-dinh-so-135-2026-nd-cp-469360.txt",
     {"number": "135/2026/NĐ-CP", "issued": "2026-04-07", "signer_title": "TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG",
      "effective": "2026-05-25"}),
    # "có hiệu lực thi hành kể từ ngày ký ban hành": the date of issue
    ("thong-tu-so-02-2024-tt-bkhdt-41528.txt", {"number": "02/2024/TT-BKHĐT", "issued": "2024-03-06", "effective": "2024-03-06"}),
    # a consolidated text: its number, date and signer in the certification block, the original's effective date on top
    ("van-ban-hop-nhat-so-465-vbhn-bldtbxh-44175.txt",
     {"kind": "Văn bản hợp nhất", "number": "465/VBHN-BLĐTBXH", "issuer": "Bộ Lao động - Thương binh và Xã hội",
      "issued": "2025-02-10", "signer": "Lê Văn Thanh", "effective": "2018-12-01"}),
])
def test_metadata_of_gazette_texts(name, expected):
    record = miner.extract_path(str(CONGBAO / name))
    meta = record.metadata.to_json()
    assert {k: meta[k] for k in expected} == expected
    own = [r for r in record.references if r.self_reference]
    assert [r.code for r in own] == [expected["number"]] and own[0].relation == "self"
    assert record.published == expected["issued"]
    assert record.published_span is not None


def test_stray_nul_bytes_are_dropped_with_a_warning():
    record = miner.extract_path(str(CONGBAO / "thong-tu-so-02-2024-tt-bkhdt-41528.txt"))
    assert any("NUL" in w for w in record.warnings)


def test_laws_in_the_preamble_are_not_the_own_number():
    # written in the style of a gazette Luật: "Luật số:" in the header, the amended law wrapped onto "số …"
    text = ("QUỐC HỘI\n\nLuật số: 51/2024/QH15\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "LUẬT\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT BẢO HIỂM Y TẾ\n\n"
            "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n\n"
            "Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế\n"
            "số 25/2008/QH12 đã được sửa đổi, bổ sung một số điều theo Luật số 32/2013/QH13.\n"
            "Điều 1. Sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế\n\n"
            "Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 8 thông qua ngày "
            "27 tháng 11 năm 2024.\n\nCHỦ TỊCH QUỐC HỘI\n\nTrần Thanh Mẫn\n")
    record = miner.extract(text, source="luat.txt")
    assert [r.code for r in record.references if r.self_reference] == ["51/2024/QH15"]
    relations = {r.code: r.relation for r in record.references}
    assert relations["25/2008/QH12"] == "amends" and relations["32/2013/QH13"] == "refers"
    meta = record.metadata
    assert (meta.kind, meta.issued, meta.signer, meta.signer_title) == ("Luật", "2024-11-27", "Trần Thanh Mẫn",
                                                                        "CHỦ TỊCH QUỐC HỘI")
    assert record.published == "2024-11-27"


def test_a_dotted_number_is_read_whole():
    text = ("CHÍNH PHỦ\nSố: 66.17/2026/NQ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Hà Nội, ngày 15 tháng 5 năm 2026\n\nNGHỊ QUYẾT\nCắt giảm, sửa đổi ngành, nghề đầu tư kinh doanh có điều kiện\n\n"
            "Căn cứ Luật Đầu tư số 143/2025/QH15;\n")
    record = miner.extract(text, source="nq.txt")
    assert [r.code for r in record.references if r.self_reference] == ["66.17/2026/NQ-CP"]


def test_a_page_is_not_an_official_text():
    doc = build("Huyện ủy Tân Yên triển khai Chỉ thị số 18-CT/TU\nNgày đăng: 08/06/2015\n\nNgày 6/6, Ban Thường vụ ...\n")
    assert find_identity(doc) is None
