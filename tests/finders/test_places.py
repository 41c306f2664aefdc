"""Tests for miner.finders.places: gazetteer lookup and the places a document is about."""

import pytest

from miner.finders import places
from miner.finders.places import find_places, lookup, province_of


def names(found):
    return {(p.name, p.level) for p in found}


# --- lookup ------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Thừa Thiên Huế", "tinh thua thien hue", "tỉnh Thừa Thiên Huế",
                                   "THỪA THIÊN HUẾ"])
def test_lookup_province_any_spelling(query):
    found = lookup(query)
    assert found and found[0].name == "Thừa Thiên Huế" and found[0].level == "province"


def test_lookup_old_name_finds_new_province():
    (bac_giang,) = lookup("Bắc Giang", "province")
    assert bac_giang.new_province == "Bắc Ninh"
    assert lookup("Huế", "province")[0].name in {"Thừa Thiên Huế", "Huế"}


def test_lookup_district_without_diacritics_and_with_prefix():
    for query in ("Tân Yên", "tan yen", "huyện Tân Yên", "huyen Tan Yen"):
        districts = lookup(query, "district")
        assert [(p.name, p.province) for p in districts] == [("Tân Yên", "Bắc Giang")], query


def test_lookup_tone_placement_variants():
    assert lookup("Thanh Hoá", "province")[0].name == "Thanh Hóa"
    assert lookup("Khánh Hoà")[0].name == "Khánh Hòa"
    assert lookup("huyện Minh Hoá")[0].province == "Quảng Bình"


def test_province_of():
    assert province_of("Tân Yên") == "Bắc Giang"
    assert province_of("Đắk Song") == "Đắk Nông"
    assert province_of("Đăk Song") == "Đắk Nông"
    assert province_of("Châu Thành") is None  # a district name in several provinces
    assert province_of("Không Có Huyện Này") is None


def test_gazetteer_holds_old_and_new_structure():
    gaz = places.gazetteer()
    assert "underthesea" in gaz.source
    names = {e.name for entries in gaz.by_key.values() for e in entries if e.level == "province"}
    assert {"Thừa Thiên Huế", "Bắc Giang", "Quảng Bình", "Đắk Nông"} <= names


# --- find_places ---------------------------------------------------------------

def test_district_in_title_implies_its_province():
    title = "Minh Hóa: Đẩy mạnh ứng dụng công nghệ thông tin trong năm 2020"
    text = (title + "\n(Quang Binh Portal) - Năm 2019, hoạt động ứng dụng và phát triển công nghệ "
            "thông tin của huyện Minh Hóa đã được các cấp, ngành quan tâm. Vừa qua, UBND huyện "
            "Minh Hóa đã ban hành Kế hoạch ứng dụng CNTT trong hoạt động cơ quan Nhà nước năm 2020.")
    assert names(find_places(text, title)) == {("Minh Hóa", "district"), ("Quảng Bình", "province")}


def test_party_committee_issuer_and_spans():
    title = ("Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 "
             "của Ban Thường vụ Tỉnh uỷ Bắc Giang")
    text = title + "\nNgày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU."
    found = find_places(text, title)
    assert names(found) == {("Tân Yên", "district"), ("Bắc Giang", "province")}
    tan_yen = next(p for p in found if p.name == "Tân Yên")
    assert text[tan_yen.span.start:tan_yen.span.end] == "Tân Yên"
    assert tan_yen.province == "Bắc Giang" and tan_yen.new_province == "Bắc Ninh"


def test_old_spelling_of_district_name():
    title = "Huyện Đăk Song tập huấn rà soát hộ nghèo, cận nghèo năm 2019"
    text = title + "\nSáng ngày 9/9/2019, UBND huyện đã phối hợp với Sở Lao động tỉnh tổ chức lớp tập huấn."
    assert names(find_places(text, title)) == {("Đắk Song", "district"), ("Đắk Nông", "province")}


def test_passing_mention_is_ignored():
    title = "Huyện Đắk Song triển khai kế hoạch xúc tiến thương mại năm 2021"
    text = (title + "\nUBND huyện Đắk Song đề nghị các doanh nghiệp trên địa bàn huyện đăng ký tham gia. "
            "Các cơ sở của huyện được hỗ trợ chi phí gian hàng.\n"
            "Địa điểm: Nhà thi đấu tỉnh Tây Ninh - Đường Hoàng Lệ Kha, phường 3, TP Tây Ninh, tỉnh Tây Ninh\n"
            "Hội chợ có sự tham gia của doanh nghiệp tỉnh Bình Dương.")
    found = names(find_places(text, title))
    assert ("Tây Ninh", "province") not in found and ("Bình Dương", "province") not in found
    assert found == {("Đắk Song", "district"), ("Đắk Nông", "province")}


def test_national_document_has_no_places():
    title = "Nghị quyết 68-NQ/TW 2025 đặt ra mục tiêu đến năm 2030 về kinh tế tư nhân"
    text = (title + "\nNgày 04/5/2025, Bộ Chính trị ban hành Nghị quyết 68-NQ/TW. Việt Nam phấn đấu "
            "có 2 triệu doanh nghiệp. Kinh tế tư nhân tham gia chuỗi giá trị trong khu vực ASEAN. "
            "Học tập tư tưởng Hồ Chí Minh. Cảng hàng không Quốc tế Long Thành sớm hoàn thành; "
            "Cảng hàng không Quốc tế Long Thành là dự án trọng điểm.")
    assert find_places(text, title) == []


def test_government_document_dated_in_hanoi_is_not_about_hanoi():
    text = ("CHÍNH PHỦ\nSố: 26/NQ-CP\nHà Nội, ngày 15 tháng 4 năm 2015\n\nNGHỊ QUYẾT\n"
            "Ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 36-NQ/TW.")
    assert find_places(text) == []


def test_unnamed_province_gives_nothing():
    title = "Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh"
    text = title + "\nBan Thường vụ Tỉnh ủy ban hành Chỉ thị số 40-CT/TU yêu cầu các cấp ủy trên địa bàn tỉnh thực hiện."
    assert find_places(text, title) == []


def test_commune_named_with_xa():
    title = "Đồ án điều chỉnh Quy hoạch phân khu Cụm Công nghiệp Diên Thọ tại xã Diên Thọ (Khánh Hòa)"
    text = (title + "\nNgày 13/11/2025, UBND tỉnh Khánh Hòa ban hành Quyết định 2046/QĐ-UBND về việc phê "
            "duyệt đồ án. Khu vực thuộc địa giới hành chính xã Diên Thọ, tỉnh Khánh Hòa; giáp cao tốc "
            "Nha Trang - Cam Lâm.")
    assert names(find_places(text, title)) == {("Khánh Hòa", "province"), ("Diên Thọ", "commune")}


def test_commune_in_passing_is_ignored():
    title = "UBND huyện Tân Yên ban hành kế hoạch chuyển đổi số năm 2021"
    text = title + "\nHuyện chọn xã Ngọc Thiện và xã Cao Xá làm điểm; huyện Tân Yên phấn đấu hoàn thành."
    assert names(find_places(text, title)) == {("Tân Yên", "district"), ("Bắc Giang", "province")}


@pytest.mark.parametrize("spelling", ["Thanh Hoá", "Thanh Hóa", "THANH HOÁ"])
def test_tone_placement_in_text(spelling):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH {spelling.upper()}\n\n{spelling}, ngày 05 tháng 3 năm 2021\n"
            f"KẾ HOẠCH chuyển đổi số tỉnh {spelling} năm 2021")
    found = find_places(text)
    assert names(found) == {("Thanh Hóa", "province")}


def test_person_name_is_not_a_district():
    title = "Phó Thủ tướng Bùi Thanh Sơn làm việc với lãnh đạo tỉnh Phú Thọ"
    text = title + "\nSau khi nghe báo cáo của lãnh đạo tỉnh Phú Thọ, Phó Thủ tướng Bùi Thanh Sơn kết luận."
    assert names(find_places(text, title)) == {("Phú Thọ", "province")}


def test_chu_tich_is_not_the_town_chu():
    title = "Huyện Đắk Song bầu Chủ tịch UBND huyện khóa IV"
    text = title + "\nKỳ họp đã bầu Chủ tịch UBND huyện Đắk Song. Chủ tịch phát biểu nhận nhiệm vụ."
    assert ("Chũ", "district") not in names(find_places(text, title))


def test_text_beyond_the_basic_plane_finds_the_same_places():
    # an emoji or a mathematical letter sends the run scan to its `regex` fallback
    text = ("UBND tỉnh Gia Lai ban hành Kế hoạch triển khai tại huyện Chư Păh. "
            "Tỉnh Gia Lai giao Sở Thông tin và Truyền thông chủ trì; UBND tỉnh theo dõi, UBND tỉnh đôn đốc.")
    plain = [(p.name, p.level) for p in find_places(text)]
    assert ("Gia Lai", "province") in plain
    for extra in ("😀 ", "𝐀 "):
        assert [(p.name, p.level) for p in find_places(extra + text)] == plain


# a provincial portal's round-up (dev corpus, 02-chinh-tri-xa-ho-2020): each province heads a paragraph
ROUND_UP = (
    "Các địa phương chủ động phòng, chống dịch viêm phổi cấp nCoV\n\n"
    "Nhằm hạn chế tối đa ca dịch viêm phổi cấp nCoV lây lan trên địa bàn, các địa phương đã có nhiều biện pháp.\n\n"
    "Nghệ An dừng 20 lễ hội dịp đầu năm để ứng phó dịch bệnh; tỉnh Nghệ An yêu cầu các huyện kiểm tra.\n\n"
    "Bạc Liêu huy động cả hệ thống chính trị vào cuộc phòng, chống dịch tại tỉnh Bạc Liêu.\n\n"
    "Các tỉnh Hà Giang, Cao Bằng đã tổ chức họp báo."
)
# the scope of a provincial plan written as an enumeration after a plural prefix
SCOPE = (
    "Kế hoạch liên kết phát triển du lịch vùng\n\n"
    "Phạm vi thực hiện: các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, Huế và Đà Nẵng.\n\n"
    "Các địa phương phối hợp xây dựng sản phẩm du lịch chung."
)


def test_provinces_heading_paragraphs_of_a_round_up():
    found = {name for name, _ in names(find_places(ROUND_UP))}
    assert {"Nghệ An", "Bạc Liêu"} <= found
    assert "Hà Giang" not in found and "Cao Bằng" not in found  # named in passing


def test_an_enumeration_after_a_plural_prefix_is_the_scope():
    assert {"Hà Tĩnh", "Quảng Trị", "Đà Nẵng"} <= {name for name, _ in names(find_places(SCOPE))}


def test_a_central_text_keeps_no_listed_province():
    assert names(find_places(SCOPE, national=True)) == set()


def test_the_dateline_of_a_local_text_names_its_province():
    text = "KẾ HOẠCH\nTuyên Quang, ngày 12 tháng 3 năm 2025\nVề chuyển đổi số năm 2025\n\nPhấn đấu 100% hồ sơ được số hóa."
    assert {name for name, _ in names(find_places(text))} == {"Tuyên Quang"}


def test_an_abbreviation_in_an_address_or_a_late_form_is_in_passing():
    body = "Phấn đấu đến năm 2030, 100% hồ sơ công việc được xử lý trên môi trường mạng. " * 80
    text = body + "\nĐịa chỉ: 17 Nguyễn Gia Thiều, P. Xuân Hòa, TP.HCM\nTP. HCM, ngày 31/05/2021\n"
    assert names(find_places(text)) == set()
