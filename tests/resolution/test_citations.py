"""Kind, date and issuer of each reference, through pipeline.extract on short real passages."""
import pytest

from miner.pipeline import extract


def refs(text):
    return {r.code: r for r in extract(text, "t.txt").references}


# --- kind ---------------------------------------------------------------------

def test_kind_from_the_words():
    text = ("Năm 2015: Tây Ninh đẩy mạnh ứng dụng, phát triển công nghệ thông tin\n\n"
            "Thứ hai - 13/04/2015 11:00 66 0\n"
            "Nhằm nâng cao nhận thức về đẩy mạnh ứng dụng, phát triển công nghệ thông tin (CNTT) tại địa phương, "
            "ngày 31/12/2014, Tỉnh ủy Tây Ninh đã ban hành Chương trình hành động số 45-CTr/TU thực hiện "
            "Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.\n")
    r = refs(text)
    assert r["45-CTr/TU"].kind == "Chương trình hành động"
    assert r["36-NQ/TW"].kind == "Nghị quyết"


def test_kind_from_the_code_when_words_are_absent():
    r = refs("Các cơ quan, đơn vị triển khai thực hiện theo 18-CT/TU và báo cáo kết quả về Ban Tuyên giáo.\n")
    assert r["18-CT/TU"].kind == "Chỉ thị"


def test_kind_of_thong_bao_ket_luan():
    r = refs("Căn cứ Thông báo Kết luận số 1718 –KL/TU ngày 14/5/2010 của Ban Thường vụ Tỉnh uỷ về Quy hoạch "
             "phát triển công nghệ thông tin.\n")
    assert list(r) == ["1718-KL/TU"]
    assert r["1718-KL/TU"].kind == "Kết luận"


def test_kind_quy_dinh_party():
    r = refs("quản lý, sử dụng chứng thư số, chữ ký số theo đúng Quy định số 05-QĐi/TU, ngày 01/10/2018 "
             "của Ban Thường vụ Tỉnh ủy.\n")
    assert r["05-QĐi/TU"].kind == "Quy định"
    assert r["05-QĐi/TU"].date == "2018-10-01"


# --- date -----------------------------------------------------------------------

def test_date_following_the_code():
    r = refs("Tiếp tục quán triệt và tổ chức thực hiện nghiêm Nghị quyết số 36-NQ/TW, ngày 01/7/2014 của "
             "Bộ Chính trị về đẩy mạnh ứng dụng, phát triển CNTT.\n")
    assert r["36-NQ/TW"].date == "2014-07-01"


def test_worded_date_following_the_code():
    r = refs("theo phân công tại Quyết định số 2179/QĐ-TTg ngày 06 tháng 10 năm 2025 của Thủ tướng Chính phủ.\n")
    assert r["2179/QĐ-TTg"].date == "2025-10-06"


def test_yearless_date_before_the_code_takes_the_publication_year():
    text = ("Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
            "Ngày đăng: 08/06/2015\n\n"
            " Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số "
            "18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin.\n")
    r = refs(text)
    assert r["134-KH/HU"].date == "2015-06-06"
    assert r["134-KH/HU"].kind == "Kế hoạch"


def test_yearless_date_without_publication_date_is_none():
    r = refs("Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị.\n")
    assert r["134-KH/HU"].date is None


def test_year_only_after_the_code():
    r = refs("Tại Mục 4 Đề án ban hành kèm theo Quyết định 3389/QĐ-BTC năm 2025 có nêu Một số chỉ tiêu cụ thể.\n")
    assert r["3389/QĐ-BTC"].date == "2025"
    assert r["3389/QĐ-BTC"].kind == "Quyết định"


def test_year_carried_by_the_code():
    r = refs("thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg về việc gửi, nhận văn bản điện tử "
             "giữa các cơ quan trong hệ thống hành chính nhà nước.\n")
    assert r["28/2018/QĐ-TTg"].date == "2018"


def test_full_date_beats_the_code_year():
    r = refs("thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg, ngày 12/7/2018 của Thủ tướng Chính phủ "
             "về việc gửi, nhận văn bản điện tử.\n")
    assert r["28/2018/QĐ-TTg"].date == "2018-07-12"
    assert r["28/2018/QĐ-TTg"].kind == "Quyết định"


def test_no_date_anywhere_is_none():
    r = refs("Các cơ quan, đơn vị triển khai thực hiện theo 18-CT/TU và báo cáo kết quả.\n")
    assert r["18-CT/TU"].date is None


# --- issuer ------------------------------------------------------------------------

def test_issuer_named_after_the_code():
    r = refs("thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang về đẩy mạnh "
             "ứng dụng phát triển công nghệ thông tin.\n")
    assert r["18-CT/TU"].issuer == "Ban Thường vụ Tỉnh ủy Bắc Giang"


def test_issuer_named_before_ban_hanh():
    text = ("Năm 2015: Tây Ninh đẩy mạnh ứng dụng, phát triển công nghệ thông tin\n\n"
            "Thứ hai - 13/04/2015 11:00 66 0\n"
            "ngày 31/12/2014, Tỉnh ủy Tây Ninh đã ban hành Chương trình hành động số 45-CTr/TU thực hiện "
            "Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.\n")
    r = refs(text)
    assert r["45-CTr/TU"].issuer == "Tỉnh ủy Tây Ninh"
    assert r["45-CTr/TU"].date == "2014-12-31"
    assert r["36-NQ/TW"].issuer == "Bộ Chính trị"


def test_issuer_capitals_standardised():
    r = refs("Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ; Chỉ thị số 18-CT/TU.\n")
    assert r["26/NQ-CP"].issuer == "Chính phủ"


def test_implicit_province_of_ban_thuong_vu_tinh_uy():
    text = ("Tân Yên triển khai Chỉ thị về ứng dụng công nghệ thông tin\n"
            "Ngày đăng: 08/06/2015\n"
            "Huyện Tân Yên, tỉnh Bắc Giang tổ chức hội nghị quán triệt Chỉ thị số 18-CT/TU ngày 01/4/2015 "
            "của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin.\n")
    r = refs(text)
    assert r["18-CT/TU"].issuer == "Ban Thường vụ Tỉnh ủy Bắc Giang"


def test_implicit_district_of_ban_thuong_vu_huyen_uy():
    text = ("Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
            "Ngày đăng: 08/06/2015\n\n"
            " Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị.\n")
    r = refs(text)
    assert r["134-KH/HU"].issuer == "Ban Thường vụ Huyện ủy Tân Yên"


def test_issuer_from_the_symbol_cp():
    r = refs("Nghị quyết số 26/NQ-CP ngày 15/4/2015 ban hành Chương trình hành động thực hiện Nghị quyết.\n")
    assert r["26/NQ-CP"].issuer == "Chính phủ"


def test_issuer_from_the_symbol_ttg():
    r = refs("thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg về việc gửi, nhận văn bản điện tử.\n")
    assert r["28/2018/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"


def test_two_mentions_of_one_code_are_one_reference():
    text = ("Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số "
            "18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ. Với mục đích quán triệt Chỉ thị số 18-CT/TU "
            "ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ tới các cấp uỷ.\n")
    record = extract(text)
    codes = [r.code for r in record.references]
    assert codes.count("18-CT/TU") == 1
    (ref,) = [r for r in record.references if r.code == "18-CT/TU"]
    assert len(ref.mentions) == 2
    assert ref.date == "2015-04-01"


def test_slip_and_proper_form_are_one_reference():
    text = ("thực hiện Chỉ thị số 18/CT-TU ngày 01/4/2015 của Ban Thường vụ Tỉnh ủy Bắc Giang. "
            "Các đơn vị quán triệt Chỉ thị số 18-CT/TU tới cán bộ, đảng viên.\n")
    record = extract(text)
    assert [r.code for r in record.references] == ["18-CT/TU"]
    assert record.references[0].issuer == "Ban Thường vụ Tỉnh ủy Bắc Giang"
