"""miner.finders.title.find_title on real page headers (passages from corpus/dev and corpus/pool)."""
from miner.document import build
from miner.document.normalize import normalize
from miner.document.sentences import sentences
from miner.finders.title import find_title


def title(raw: str):
    return find_title(build(raw))


def test_skips_van_ban_moi_and_ban_in_and_strips_tin_co_hinh():
    # corpus/dev/003_2dada43a1d15360c.txt
    raw = ("VĂN BẢN MỚI\n\n    Bản in     Gởi bài viết  \n"
           "Minh Hóa: Đẩy mạnh ứng dụng công nghệ thông tin trong năm 2020 Tin có hình\n"
           "(Quang Binh Portal) - Năm 2019, hoạt động ứng dụng và phát triển công nghệ thông tin (CNTT) "
           "Nhà nước của huyện Minh Hóa đã được các cấp, ngành trên địa bàn quan tâm đầu tư hạ tầng.\n")
    assert title(raw) == "Minh Hóa: Đẩy mạnh ứng dụng công nghệ thông tin trong năm 2020"


def test_skips_ban_in_quay_lai_line():
    # corpus/dev/002_f1c7b76ae52b9153.txt, with the navigation line first
    raw = ("Bản in | Quay lại | A+ A A- | Đọc bài viết\n\n"
           "Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh\n\n"
           "Thứ 3, ngày 21/05/2019 | 09:42 AM (GMT +7)\n"
           "Để đẩy mạnh hơn nữa việc ứng dụng và phát triển CNTT, Ban Thường vụ Tỉnh ủy ban hành "
           "Chỉ thị số 40-CT/TU ngày 9/5/2019.\n")
    assert title(raw) == "Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh"


def test_skips_breadcrumbs_and_section_label():
    # corpus/pool/004_stttt_gialai_gov_vn.txt
    raw = ("CHUYÊN MỤC\n\n"
           "Trang chủ > Tin Tức > Tin Nổi bật > KẾT QUẢ 5 NĂM THỰC HIỆN NGHỊ QUYẾT SỐ 36-NQ/TW NGÀY 01/7/2014 "
           "CỦA BỘ CHÍNH TRỊ (KHÓA XI) TRÊN ĐỊA BÀ\n\n"
           "KẾT QUẢ 5 NĂM THỰC HIỆN NGHỊ QUYẾT SỐ 36-NQ/TW NGÀY 01/7/2014 CỦA BỘ CHÍNH TRỊ (KHÓA XI) "
           "TRÊN ĐỊA BÀN TỈNH GIA LAI\n\n"
           "Ngày đăng bài: 09/10/2019\n"
           "Triển khai thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.\n")
    got = title(raw)
    assert got is not None
    assert not got.lower().startswith(("trang chủ", "chuyên mục"))
    assert got.lower().startswith("kết quả 5 năm thực hiện nghị quyết số 36-NQ/TW".lower())
    assert got.endswith("tỉnh Gia Lai")
    assert "36-NQ/TW" in got  # codes keep their capitals in sentence case


def test_skips_all_caps_slogan_before_headline_and_date_line():
    # corpus/dev/004_4c57b24fbf32733b.txt
    raw = ("TĂNG CƯỜNG XÂY DỰNG ĐẢNG BỘ TRONG SẠCH VỮNG MẠNH; PHÁT HUY MẠNH MẼ NGUỒN LỰC TRÍ TUỆ; ĐỔI MỚI, "
           "SÁNG TẠO, ĐỘT PHÁ TRONG THAM MƯU VÀ TỔ CHỨC THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ, GÓP PHẦN XÂY DỰNG "
           "THỪA THIÊN HUẾ PHÁT TRIỂN NHANH VÀ BỀN VỮNG, TRỞ THÀNH THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG\n"
           "Đến năm 2020: 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng chữ ký số "
           "trong việc trao đổi văn bản điện tử\n"
           "Ngày cập nhật 14/10/2015\n\n"
           "Đó là một trong những mục tiêu được đề ra tại Kế hoạch thực hiện Nghị quyết số 36-NQ/TW "
           "ngày 01/7/2014 của Bộ Chính trị.\n")
    assert title(raw) == ("Đến năm 2020: 100 % cơ quan hành chính nhà nước từ cấp tỉnh đến cấp xã ứng dụng "
                          "chữ ký số trong việc trao đổi văn bản điện tử")


def test_full_text_quyet_dinh_with_subject_lines_in_sentence_case():
    # corpus/dev/003_ls1_hethongphapluat_com.txt
    raw = ("Hệ thống pháp luật\nĐang tải nội dung, vui lòng chờ giây lát...\n"
           "Đang tải nội dung, vui lòng chờ giây lát...\n\n"
           "ỦY BAN NHÂN DÂN\nTỈNH VĨNH PHÚC\n--------\n\n"
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n"
           "Số: 3939/QĐ-UBND\n\nVĩnh Yên, ngày 27 tháng 12 năm 2010\n\n \n\n"
           "QUYẾT ĐỊNH\n\n"
           "VỀ VIỆC PHÊ DUYỆT QUY HOẠCH PHÁT TRIỂN CÔNG NGHỆ THÔNG TIN TỈNH VĨNH PHÚC ĐẾN NĂM 2020 "
           "VÀ TẦM NHÌN ĐẾN NĂM 2030\n\n"
           "ỦY BAN NHÂN DÂN TỈNH\n\n"
           "Căn cứ Luật tổ chức HĐND và UBND ngày 26/11/2003;\n")
    assert title(raw) == ("Quyết định về việc phê duyệt quy hoạch phát triển công nghệ thông tin tỉnh Vĩnh Phúc "
                          "đến năm 2020 và tầm nhìn đến năm 2030")


def test_markdown_heading():
    # corpus/dev/032648dfff4d43b1.txt
    raw = ("# Mục tiêu phát triển trí tuệ nhân tạo của Việt Nam 2025, 2030 như thế nào? "
           "Cơ quan nào có nhiệm vụ tổ chức, thực hiện ra sao?\n\n"
           "**Mục tiêu phát triển trí tuệ nhân tạo của Việt Nam 2025, 2030 như thế nào?**\n\n"
           "Theo Mục II Điều 1 Quyết định 127/QĐ-TTg năm 2021, Việt Nam đẩy mạnh nghiên cứu.\n")
    got = title(raw)
    assert got == ("Mục tiêu phát triển trí tuệ nhân tạo của Việt Nam 2025, 2030 như thế nào? "
                   "Cơ quan nào có nhiệm vụ tổ chức, thực hiện ra sao?")
    assert "#" not in got and "*" not in got


def test_plain_headline_first_line():
    raw = ("Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
           "Ngày đăng: 08/06/2015\n\n Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU.\n")
    assert title(raw) == ("Huyện ủy Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 "
                          "của Ban Thường vụ Tỉnh ủy Bắc Giang")


def test_empty_text_has_no_title():
    assert title("") is None
    assert title("\n\n   \n") is None


def test_sentences_offsets():
    text = normalize("Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU. Kế hoạch đề ra 4 mục tiêu cơ bản.").text
    got = list(sentences(text))
    assert [s.text for s in got] == ["Ngày 6/6, Ban Thường vụ Huyện ủy ban hành Kế hoạch số 134-KH/HU.",
                                     "Kế hoạch đề ra 4 mục tiêu cơ bản."]
    for s in got:
        assert text[s.start:s.end] == s.text


def test_a_type_word_an_ocr_layer_spaced_out_or_misaccented():
    from miner.pipeline import extract

    for type_line, kind in (("K ÉT LUẬN", "Kết luận"), ("K Ế H O Ạ C H", "Kế hoạch")):
        raw = ("TỈNH ỦY TUYÊN QUANG\n*\nSố 25-KL/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\nTuyên Quang, ngày 5 tháng 3 năm 2025\n\n"
               f"{type_line}\ncủa Ban Thường vụ Tỉnh ủy về phát triển kinh tế số\n\n"
               "Ban Thường vụ Tỉnh ủy kết luận như sau:\n1. Phát triển kinh tế số.")
        record = extract(raw)
        assert record.title == f"{kind} của Ban Thường vụ Tỉnh ủy về phát triển kinh tế số"
        assert record.metadata.kind == kind
