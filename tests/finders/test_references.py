"""miner.finders.references.find_mentions: codes in both numbering systems, as real texts write them."""
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from miner.document.normalize import normalize
from miner.finders.references import find_mentions


def codes(raw: str):
    return [m.code for m in find_mentions(normalize(raw).text)]


@pytest.mark.parametrize("raw, code", [
    # party style
    ("thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang", "18-CT/TU"),
    ("theo đúng Quy định số 05-QĐi/TU, ngày 01/10/2018 của Ban Thường vụ Tỉnh ủy", "05-QĐi/TU"),
    ("Tỉnh ủy Tây Ninh đã ban hành Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết", "45-CTr/TU"),
    ("Căn cứ Thông báo Kết luận số 1718 –KL/TU ngày 14/5/2010 của Ban Thường vụ Tỉnh uỷ", "1718-KL/TU"),
    ("các nhiệm vụ được giao tại Nghị quyết số 57- NQ/TW ngày 22/12/2024 của Bộ Chính trị", "57-NQ/TW"),
    ("Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai", "134-KH/HU"),
    ("Sau gần 15 năm thực hiện Chỉ thị 58-CT/TW ngày 17/10/2000 của Bộ Chính trị", "58-CT/TW"),
    # state, individual documents
    ("Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ", "26/NQ-CP"),
    ("Quyết định số 1893/QĐ-UBND ngày 15/6/2016 của UBND tỉnh", "1893/QĐ-UBND"),
    ("Trung tâm GDNN-GDTX huyện Đắk Song đã ban hành Kế hoạch số 01/KH-GDNN-GDTX, về việc Phòng, chống dịch",
     "01/KH-GDNN-GDTX"),
    ("Tại Mục 4 Đề án ban hành kèm theo Quyết định 3389/QĐ-BTC năm 2025 có nêu", "3389/QĐ-BTC"),
    ("Số: 0205/KH-UBND", "0205/KH-UBND"),
    # state, legal normative documents
    ("thực hiện nghiêm túc, hiệu quả Quyết định số 28/2018/QĐ-TTg, ngày 12/7/2018 của Thủ tướng Chính phủ",
     "28/2018/QĐ-TTg"),
    ("Thông tư liên tịch số 01/2011/TTLT-BTC-BNV ngày 10/01/2011 của Bộ Tài chính, Bộ Nội vụ",
     "01/2011/TTLT-BTC-BNV"),
    ("khoản 7 Điều 73 Luật Giá số 16/2023/QH15 ngày 19/6/2023).", "16/2023/QH15"),
    ("theo Nghị quyết số 70/2025/UBTVQH15 và ban hành Quyết định quy định định mức phân bổ vốn",
     "70/2025/UBTVQH15"),
    # công văn and standards
    ("Công văn số 2154/UBND-KT ngày 20/8/2019 của UBND tỉnh về việc triển khai", "2154/UBND-KT"),
    ("Hệ số sử dụng đất theo Quy chuẩn Quy hoạch xây dựng QCVN 01:2021/BXD; chỉ tiêu cho từng lô đất",
     "QCVN 01:2021/BXD"),
])
def test_found(raw, code):
    assert codes(raw) == [code]


def test_span_covers_the_code_as_written():
    text = normalize("Căn cứ Thông báo Kết luận số 1718 –KL/TU ngày 14/5/2010").text
    (m,) = find_mentions(text)
    assert text[m.start:m.end] == "1718 -KL/TU"
    assert m.number == "1718" and m.system == "party"


def test_state_style_slip_for_a_party_code():
    text = normalize("thực hiện Chỉ thị số 18/CT-TU ngày 01/4/2015 của Ban Thường vụ Tỉnh ủy Bắc Giang").text
    (m,) = find_mentions(text)
    assert m.code == "18-CT/TU"
    assert m.system == "party"
    assert text[m.start:m.end] == "18/CT-TU"


def test_tu_written_with_horn():
    assert codes("số 18-CT/TƯ của Ban Thường vụ Tỉnh ủy") == ["18-CT/TU"]


def test_ocr_so_slip_does_not_stop_the_code():
    assert codes("thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg, ngày 12/7/2018 của Thủ tướng Chính phủ") \
        == ["28/2018/QĐ-TTg"]


def test_nfd_input_found():
    import unicodedata
    raw = unicodedata.normalize("NFD", "Quy định số 05-QĐi/TU, ngày 01/10/2018")
    assert codes(raw) == ["05-QĐi/TU"]


def test_several_in_order():
    raw = ("Nghị quyết số 36-NQ/TW ngày 01/7/2015 của Bộ Chính trị; Nghị quyết số 26/NQ-CP ngày 15/4/2015 "
           "của Chính Phủ; Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ")
    assert codes(raw) == ["36-NQ/TW", "26/NQ-CP", "18-CT/TU"]


@pytest.mark.parametrize("raw", [
    "Có mấy nhiệm vụ, giải pháp nêu tại Nghị quyết 57?",
    "theo phân công tại Quyết định 2269 của Thủ tướng Chính phủ",
    "Đồ án điều chỉnh Quy hoạch phân khu 1/2000 Cụm Công nghiệp Diên Thọ tại xã Diên Thọ (Khánh Hòa)",
    "ngày 01/4/2015", "ngày 31-12-2014",
    "Điện thoại: 0204.3854.456 - 0204-3855-123, Fax: 0204/3856789",
    "tuyên truyền, hướng dẫn và thực hiện tốt Luật CNTT, Luật Giao dịch điện tử, Luật An ninh mạng và các văn bản",
    "Tỷ lệ điện thoại di động/100 dân; quý II/2019; giai đoạn 2021-2025",
])
def test_not_found(raw):
    assert codes(raw) == []


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ" \
            "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYĐQTCNKHUBND" + "0123456789" + "/-. " * 6


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, min_size=0, max_size=200))
def test_property_never_raises_and_spans_hold_the_number(text):
    norm = normalize(text).text
    for m in find_mentions(norm):
        assert 0 <= m.start < m.end <= len(norm)
        assert m.number in norm[m.start:m.end]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 99999), st.sampled_from(["CT", "NQ", "KH", "QĐ", "CTr", "KL"]),
       st.sampled_from(["TU", "TW", "HU"]), st.sampled_from(["-", " -", "- ", " - ", " –"]))
def test_property_party_codes_in_any_spacing(num, type_code, issuer, dash):
    text = normalize(f"thực hiện văn bản số {num}{dash}{type_code}/{issuer} của Ban Thường vụ").text
    assert [m.code for m in find_mentions(text)] == [f"{num}-{type_code}/{issuer}"]
