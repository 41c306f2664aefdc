"""miner.finders.dates: dates in running text and the publication date of a page or document."""
import pytest

from miner.finders.dates import find_dates, publication_date, make_iso


def isos(text):
    return [d.iso for d in find_dates(text)]


def test_numeric_date_after_ngay():
    text = "Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh ủy"
    found = find_dates(text)
    assert [d.iso for d in found] == ["2015-04-01"]
    assert text[found[0].start:found[0].end] == "01/4/2015"


def test_worded_date_wrapped_over_a_line_break():
    text = "Nghị quyết số 26/NQ-CP ngày 31 tháng\n12 năm 2014 của Chính phủ"
    assert isos(text) == ["2014-12-31"]


def test_worded_date_in_a_dateline():
    assert isos("Vĩnh Yên, ngày 27 tháng 12 năm 2010") == ["2010-12-27"]


def test_invalid_dates_are_rejected():
    assert isos("ngày 31/02/2015") == []
    assert isos("ngày 30 tháng 2 năm 2015") == []
    assert isos("ngày 12/13/2015") == []
    assert make_iso(31, 2, 2015) is None


def test_several_dates_in_order():
    text = ("Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị; "
            "Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ")
    assert isos(text) == ["2014-07-01", "2015-04-15"]


def test_code_and_fraction_are_not_dates():
    assert isos("Quyết định số 28/2018/QĐ-TTg") == []
    assert isos("Quy hoạch phân khu 1/2000 Cụm công nghiệp Diên Thọ") == []


# --- publication_date ---------------------------------------------------------

def pub(text):
    found = publication_date(text)
    return found.iso if found else None


def test_pub_ngay_dang():
    text = ("Tin tức - Sự kiện   /  Trong huyện  /  Kinh tế - Chính trị\n"
            "Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
            "Ngày đăng: 08/06/2015\n\n"
            " Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU\n")
    assert pub(text) == "2015-06-08"


def test_pub_weekday_dash_time():
    text = ("Năm 2015: Tây Ninh đẩy mạnh ứng dụng, phát triển công nghệ thông tin\n\n"
            "Thứ hai - 13/04/2015 11:00 66 0\n"
            "Sau gần 15 năm thực hiện Chỉ thị 58-CT/TW ngày 17/10/2000 của Bộ Chính trị\n")
    assert pub(text) == "2015-04-13"


def test_pub_weekday_number_with_gmt():
    text = ("Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh\n\n"
            "Bản in | Quay lại | A+ A A- | Đọc bài viết\n\n"
            "Thứ 3, ngày 21/05/2019 | 09:42 AM (GMT +7)\n"
            "Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 40-CT/TU ngày 9/5/2019\n")
    assert pub(text) == "2019-05-21"


def test_pub_ngay_cap_nhat():
    text = ("Đến năm 2020: 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng chữ ký số\n"
            "Ngày cập nhật 14/10/2015\n\n"
            "Kế hoạch thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị\n")
    assert pub(text) == "2015-10-14"


def test_pub_full_text_dateline_wrapped():
    text = ("|\n**VĂN PHÒNG CHÍNH\nPHỦ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 636/TB-VPCP\n|\n"
            "*Hà Nội, ngày 24\ntháng 11 năm 2025*\n|\n\n* *\n\n**THÔNG BÁO**\n\n"
            "Ngày 14 tháng 11 năm 2025, Phó Thủ tướng Chính phủ Bùi Thanh Sơn đã chủ trì buổi làm việc\n")
    assert pub(text) == "2025-11-24"


def test_pub_none_for_a_body_date():
    text = ("Minh Hóa: Đẩy mạnh ứng dụng công nghệ thông tin trong năm 2020\n"
            + "(Quang Binh Portal) - Năm 2019, hoạt động ứng dụng và phát triển công nghệ thông tin. " * 40
            + "\nUBND huyện đã ban hành Kế hoạch số 19/KH-UBND ngày 15/01/2020 về ứng dụng CNTT.\n")
    assert text.index("15/01/2020") > 2500
    assert pub(text) is None


def test_pub_none_for_event_dates_in_the_lead():
    # a date inside a sentence of the lead is an event, not the publication date
    text = ("Tây Ninh đẩy mạnh ứng dụng công nghệ thông tin\n"
            "Nhằm nâng cao nhận thức tại địa phương, ngày 31/12/2014, Tỉnh ủy Tây Ninh đã ban hành "
            "Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.\n")
    assert pub(text) is None
