"""Objective and solution lists (miner.finders.lists.find_lists), on passages quoted from the corpus."""
from miner.document import build
from miner.finders.lists import find_lists as find_lists_in_document
from miner.finders.lists import is_target_like


def texts(items):
    return [it.text for it in items]


def find_lists(raw):
    return find_lists_in_document(build(raw))


def run(raw):
    doc = build(raw)
    objectives, solutions = find_lists_in_document(doc)
    return doc.text, objectives, solutions


ANNOUNCED = (
    "Kế hoạch đề ra 4 mục tiêu cơ bản, đó là: Từng bước xây dựng hạ tầng thông tin trên địa bàn huyện "
    "hiện đại, chuẩn hóa, đồng bộ, liên thông, đảm bảo khả năng tiếp cận và sử dụng cho mọi đối tượng. "
    "Tạo điều kiện, môi trường thuận lợi cho cán bộ công chức, viên chức, người dân và doanh nghiệp trong "
    "việc ứng dụng, khai thác và sử dụng CNTT. Hoàn thiện hệ thống mạng điện tử, hiện đại và liên thông với "
    "các cấp, các ngành. Phát triển nguồn nhân lực CNTT đảm bảo về số lượng và chất lượng. Đảm bảo đến năm "
    "2020 có 100% cán bộ công chức, viên chức đạt trình độ tin học A trở lên. Phấn đấu đến hết năm 2015 có "
    "52,5% (133/253) dịch vụ công trực tuyến mức độ 3.\n"
    "Để thực hiện có hiệu quả các mục tiêu trên, Ban Thường vụ Huyện ủy đã đề ra 6 giải pháp cơ bản, cụ thể "
    "là: Tăng cường sự lãnh đạo, chỉ đạo. Đẩy mạng công tác tuyên truyền, nâng cao nhận thức đối với ứng "
    "dụng, phát triển CNTT. Tiếp tục xây dựng, hoàn thiện cơ chế về ứng dụng, phát triển CNTT. Xây dựng hệ "
    "thống hạ tầng CNTT đồng bộ, từng bước hiện đại; đẩy mạnh và nâng cao chất lượng, hiệu quả ứng dụng "
    "CNTT. Phát triển nguồn nhân lực công nghệ thông tin. Nâng cao năng lực quản lý các mạng viễn thông, "
    "internet, bảo đảm an toàn, an ninh thông tin.\n"
)


def test_announced_count_lists():
    _, objectives, solutions = run(ANNOUNCED)
    assert texts(objectives) == [
        "Từng bước xây dựng hạ tầng thông tin trên địa bàn huyện hiện đại, chuẩn hóa, đồng bộ, liên thông, "
        "đảm bảo khả năng tiếp cận và sử dụng cho mọi đối tượng",
        "Tạo điều kiện, môi trường thuận lợi cho cán bộ công chức, viên chức, người dân và doanh nghiệp trong "
        "việc ứng dụng, khai thác và sử dụng CNTT",
        "Hoàn thiện hệ thống mạng điện tử, hiện đại và liên thông với các cấp, các ngành",
        "Phát triển nguồn nhân lực CNTT đảm bảo về số lượng và chất lượng",
    ]
    # the count 6 picks the split by ". ", so the item with "; " inside stays whole
    assert len(solutions) == 6
    assert solutions[0].text == "Tăng cường sự lãnh đạo, chỉ đạo"
    assert solutions[3].text.startswith("Xây dựng hệ thống hạ tầng CNTT đồng bộ, từng bước hiện đại; đẩy mạnh")
    assert solutions[5].text.endswith("bảo đảm an toàn, an ninh thông tin")


def test_targets_after_the_announced_objectives_are_dropped():
    _, objectives, _ = run(ANNOUNCED)
    assert not any("100%" in t or "52,5%" in t for t in texts(objectives))
    assert len(objectives) == 4


ORDINALS = (
    "Thứ hai - 13/04/2015 11:00 66 0\n"
    "Để triển khai thực hiện Kế hoạch đạt hiệu quả, Tây Ninh sẽ tập trung vào những nhiệm vụ và giải pháp "
    "trọng tâm: Thứ nhất là tiếp tục đổi mới, nâng cao nhận thức và tăng cường sự lãnh đạo của Đảng đối với "
    "ứng dụng, phát triển công nghệ thông tin; Thứ hai là đẩy mạnh công tác thông tin, tuyên truyền trên các "
    "phương tiện thông tin đại chúng; Thứ ba là xây dựng, hoàn thiện các cơ chế, chính sách pháp luật về ứng "
    "dụng, phát triển công nghệ thông tin; Thứ tư là hoàn thiện cơ sở hạ tầng kỹ thuật công nghệ thông tin "
    "đồng bộ, hiện đại; Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động sản xuất, kinh doanh và cuối "
    "cùng là tăng cường hợp tác và hội nhập quốc tế về công nghệ thông tin.\n"
)


def test_thu_nhat_la_ordinals():
    _, objectives, solutions = run(ORDINALS)
    assert objectives == []
    assert texts(solutions) == [
        "tiếp tục đổi mới, nâng cao nhận thức và tăng cường sự lãnh đạo của Đảng đối với ứng dụng, phát triển "
        "công nghệ thông tin",
        "đẩy mạnh công tác thông tin, tuyên truyền trên các phương tiện thông tin đại chúng",
        "xây dựng, hoàn thiện các cơ chế, chính sách pháp luật về ứng dụng, phát triển công nghệ thông tin",
        # an item runs to the next ordinal, across its own semicolons
        "hoàn thiện cơ sở hạ tầng kỹ thuật công nghệ thông tin đồng bộ, hiện đại; Đẩy mạnh ứng dụng công nghệ "
        "thông tin trong hoạt động sản xuất, kinh doanh",
        "tăng cường hợp tác và hội nhập quốc tế về công nghệ thông tin",
    ]


def test_mot_la_hai_la_needs_a_cue():
    with_cue = ("Hội nghị thống nhất các giải pháp chủ yếu sau: Một là, tăng cường công tác tuyên truyền. "
                "Hai là, đẩy mạnh cải cách hành chính. Ba là, phát triển nguồn nhân lực.\n")
    _, _, solutions = run(with_cue)
    assert texts(solutions) == ["tăng cường công tác tuyên truyền", "đẩy mạnh cải cách hành chính",
                                "phát triển nguồn nhân lực"]
    without_cue = ("Việc tích hợp giúp tập trung hơn vào vùng đồng bào dân tộc thiểu số với các khía cạnh: "
                   "Thứ nhất, vùng lõi nghèo hiện nay chủ yếu là vùng sinh sống của đồng bào dân tộc thiểu số. "
                   "Thứ hai, việc xây dựng nông thôn mới đã được thực hiện trong phạm vi cả nước.\n")
    assert run(without_cue)[1:] == ([], [])


SEMICOLONS = (
    "Để thực hiện các mục tiêu trên, các giải pháp được đề ra là: đổi mới, nâng cao nhận thức và tăng cường "
    "sự lãnh đạo của Đảng đối với ứng dụng, phát triển công nghệ thông tin; Xây dựng, hoàn thiện cơ chế, "
    "chính sách về ứng dụng, phát triển công nghệ thông tin; Xây dựng hệ thống hạ tầng thông tin đồng bộ, "
    "hiện đại; Tăng cường hợp tác quốc tế.\n\nSở TTTT TTH\n"
)


def test_semicolon_list_after_cac_giai_phap_duoc_de_ra_la():
    _, objectives, solutions = run(SEMICOLONS)
    assert objectives == []
    assert texts(solutions) == [
        "đổi mới, nâng cao nhận thức và tăng cường sự lãnh đạo của Đảng đối với ứng dụng, phát triển công "
        "nghệ thông tin",
        "Xây dựng, hoàn thiện cơ chế, chính sách về ứng dụng, phát triển công nghệ thông tin",
        "Xây dựng hệ thống hạ tầng thông tin đồng bộ, hiện đại",
        "Tăng cường hợp tác quốc tế",
    ]


SECTION = (
    "  I. ĐÁNH GIÁ CHUNG  \n\n"
    "Tình hình kinh tế - xã hội 10 tháng cơ bản ổn định; tăng trưởng GRDP 09 tháng đầu năm đạt 10,22%.\n\n"
    "  II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI  \n\n"
    "1. Nhận diện đầy đủ, sâu sắc, toàn diện hơn nữa về tiềm năng khác biệt, cơ hội nổi trội, lợi thế cạnh "
    "tranh của địa phương. Trên cơ sở đó khẩn trương rà soát, điều chỉnh quy hoạch phát triển.\n\n"
    "2. Về chính quyền địa phương 02 cấp:\n\n"
    "a) Tiếp tục rà soát, hoàn thiện, ổn định tổ chức bộ máy.\n\n"
    "b) Tiếp tục rà soát, đánh giá, cơ cấu lại đội ngũ cán bộ hiện hữu.\n\n"
    "3. Giữ vững an ninh, quốc phòng; bảo đảm trật tự, an toàn xã hội; đẩy mạnh phòng, chống tham nhũng, "
    "lãng phí, tiêu cực. Triển khai hiệu quả các hoạt động đối ngoại.\n\n"
    "  III. VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH  \n\n"
    "1. Về kiến nghị hoàn thiện đồng bộ hệ thống pháp luật:\n\n"
    "Các Bộ, cơ quan liên quan nghiên cứu kỹ nội dung kiến nghị của tỉnh.\n"
)


def test_section_with_nested_items_returns_top_level_only():
    _, objectives, solutions = run(SECTION)
    assert objectives == []
    assert texts(solutions) == [
        "Nhận diện đầy đủ, sâu sắc, toàn diện hơn nữa về tiềm năng khác biệt, cơ hội nổi trội, lợi thế cạnh "
        "tranh của địa phương",
        "Về chính quyền địa phương 02 cấp",
        "Giữ vững an ninh, quốc phòng; bảo đảm trật tự, an toàn xã hội; đẩy mạnh phòng, chống tham nhũng, "
        "lãng phí, tiêu cực",
    ]


def test_markdown_heading_section_and_intro_sentence():
    raw = ("**(2) Giải pháp thực hiện**\n\n"
           "- Hoàn thiện khung pháp lý về cơ sở dữ liệu doanh nghiệp.\n\n"
           "+ Bổ sung khái niệm về cơ sở dữ liệu doanh nghiệp.\n\n"
           "- Đầu tư phát triển nguồn nhân lực về công nghệ thông tin.\n\n"
           "Quý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây.\n")
    _, _, solutions = run(raw)
    assert texts(solutions) == ["Hoàn thiện khung pháp lý về cơ sở dữ liệu doanh nghiệp",
                                "Đầu tư phát triển nguồn nhân lực về công nghệ thông tin"]
    intro = ("Thủ tướng Chính phủ đặt ra nhiệm vụ tại Mục IV Điều 1 Quyết định 2074/QĐ-TTg 2025 bao gồm "
             "6 nhiệm vụ chính như sau:\n\n"
             "  (1)   Hoàn thiện khung pháp lý về cơ sở dữ liệu doanh nghiệp:\n\n"
             "  (2)   Xây dựng và ban hành mô hình kiến trúc cơ sở dữ liệu doanh nghiệp:\n\n"
             "- Xây dựng khung tích hợp dựa trên mô hình thông tin.\n\n"
             "  (3)   Đầu tư phát triển nguồn nhân lực về công nghệ thông tin.\n")
    _, _, solutions = run(intro)
    assert texts(solutions) == ["Hoàn thiện khung pháp lý về cơ sở dữ liệu doanh nghiệp",
                                "Xây dựng và ban hành mô hình kiến trúc cơ sở dữ liệu doanh nghiệp",
                                "Đầu tư phát triển nguồn nhân lực về công nghệ thông tin"]


OBJECTIVES_SECTION = (
    "II- MỤC TIÊU\n\n"
    "1. Đến năm 2030\n\n"
    "- Kinh tế tư nhân là một động lực quan trọng nhất của nền kinh tế quốc gia; là lực lượng tiên phong "
    "trong phát triển khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số.\n\n"
    "- Phấn đấu có 2 triệu doanh nghiệp hoạt động trong nền kinh tế, 20 doanh nghiệp hoạt động/nghìn dân.\n\n"
    "- Tốc độ tăng trưởng bình quân của kinh tế tư nhân đạt khoảng 10 - 12%/năm.\n\n"
    "...\n"
)


def test_objectives_section_drops_targets_and_skips_period_subheading():
    _, objectives, solutions = run(OBJECTIVES_SECTION)
    assert texts(objectives) == [
        "Kinh tế tư nhân là một động lực quan trọng nhất của nền kinh tế quốc gia; là lực lượng tiên phong "
        "trong phát triển khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số"]
    assert solutions == []


def test_is_target_like():
    assert is_target_like("Đảm bảo đến năm 2020 có 100% cán bộ công chức đạt trình độ tin học A")
    assert is_target_like("Phấn đấu có 2 triệu doanh nghiệp hoạt động trong nền kinh tế")
    assert is_target_like("Xây dựng được 05 thương hiệu TTNT có uy tín trong khu vực")
    assert not is_target_like("Đưa TTNT trở thành lĩnh vực công nghệ quan trọng của Việt Nam")
    assert not is_target_like("góp phần thực hiện thắng lợi mục tiêu của Nghị quyết số 57-NQ/TW, ngày 22/12/2024")
    assert not is_target_like("Xây dựng cơ sở dữ liệu doanh nghiệp cơ bản với 4 nguồn dữ liệu gồm: thuế")


NEWS = (
    "Huyện Đăk Song tập huấn rà soát hộ nghèo, cận nghèo năm 2019\n"
    "Ngày đăng: 16/09/2019\n"
    "Sáng ngày 9/9/2019, UBND huyện đã phối hợp với Sở Lao động thương binh và Xã hội tỉnh tổ chức lớp tập "
    "huấn rà soát hộ nghèo, hộ cận nghèo năm 2019.\n\n"
    "Trong thời gian tập huấn, các đại biểu đã được nghe phổ biến nội dung tổng quan Chương trình mục tiêu "
    "quốc gia giảm nghèo bền vững và các chính sách giảm nghèo chung, giai đoạn 2016-2020;\n\n"
    "Ngoài những nội dung được tập huấn trên, các đại biểu còn trao đổi, thảo luận, chia sẻ những kinh "
    "nghiệm, cách làm hay, giải pháp thiết thực hiệu quả để trong thời gian tới tổ chức rà soát hộ nghèo.\n\n"
    "Kim Ngân\n"
)


def test_plain_news_has_no_lists():
    assert run(NEWS)[1:] == ([], [])


def test_duties_of_an_office_are_not_solutions():
    raw = ("Điều 3. Nhiệm vụ\n\n"
           "1. Quỹ có nhiệm vụ hỗ trợ tài chính cho các chương trình, dự án bảo vệ môi trường.\n\n"
           "2. Tiếp nhận, xác nhận đã ký quỹ và hoàn trả tiền ký quỹ cải tạo, phục hồi môi trường.\n")
    assert run(raw)[1:] == ([], [])


def test_spans_point_at_the_item_text():
    for raw in (ANNOUNCED, ORDINALS, SEMICOLONS, SECTION, OBJECTIVES_SECTION):
        text, objectives, solutions = run(raw)
        assert objectives or solutions
        for item in objectives + solutions:
            assert " ".join(text[item.span.start:item.span.end].split()) == item.text
            assert not text[item.span.start].isspace() and text[item.span.end - 1] not in " ;.:"


def test_semicolon_tasks_after_theo_do_when_no_list_is_announced():
    # Quảng Bình portal, "Minh Hóa: Đẩy mạnh ứng dụng công nghệ thông tin trong năm 2020" (dev corpus)
    text = ("Vừa qua, UBND huyện Minh Hóa đã ban hành Kế hoạch ứng dụng CNTT năm 2020.\n\n"
            "Theo đó, trong năm 2020, Minh Hóa ưu tiên đầu tư thiết bị máy tính đảm bảo hạ tầng; "
            "rà soát, cập nhật thường xuyên các bộ thủ tục hành chính; nâng cấp hệ thống một cửa điện tử; "
            "phát triển nguồn nhân lực.\n")
    objectives, solutions = find_lists(text)
    assert [s.text for s in solutions] == [
        "ưu tiên đầu tư thiết bị máy tính đảm bảo hạ tầng",
        "rà soát, cập nhật thường xuyên các bộ thủ tục hành chính",
        "nâng cấp hệ thống một cửa điện tử",
        "phát triển nguồn nhân lực",
    ]
    assert all(text[s.span.start:s.span.end] == s.text for s in solutions)


def test_semicolon_targets_after_theo_do_are_not_tasks():
    text = ("Theo đó, đến năm 2020 sẽ xây dựng thành công mô hình chính quyền điện tử; 100% văn bản được "
            "lưu chuyển qua mạng; 100% giấy mời được phát hành qua mạng; 70% dịch vụ công mức độ 3.\n")
    assert find_lists(text) == ([], [])


# a wrapped plan (PDF text layer) of the pool: "Mục đích" with lettered items, then "Yêu cầu"
PURPOSES = (
    "**I. MỤC ĐÍCH,\nYÊU CẦU**\n\n**1. Mục đích**\n\n"
    "a) Nhằm phát huy sức mạnh đại\nđoàn kết toàn dân, động viên các cấp, các ngành và các tầng lớp Nhân dân đoàn kết\n"
    "thống nhất tổ chức thực hiện thành công cuộc bầu cử, đảm bảo dân chủ, bình đẳng,\n"
    "đúng pháp luật, an toàn, tiết kiệm và thực sự là ngày hội của toàn dân.\n\n"
    "b) Thông qua phong trào thi\nđua, phát huy, khuyến khích tính sáng tạo của các tổ chức và cá nhân, từ đó đề\n"
    "xuất những giải pháp khắc phục khó khăn để đẩy nhanh tiến độ.\n\n"
    "**2. Yêu cầu**\n\n"
    "a) Công tác thi đua phải được tổ chức thiết thực, hiệu quả, tránh hình thức.\n\n"
)
GOALS = (
    "**II. MỤC TIÊU**\n\n"
    "1. Nâng cao chất lượng phục vụ người dân và doanh nghiệp trong giải quyết thủ tục hành chính.\n\n"
    "2. Xây dựng chính quyền số, đô thị thông minh gắn với bảo đảm an toàn thông tin.\n\n"
    "**III. NHIỆM VỤ**\n\n"
)


def test_a_purpose_section_gives_the_objectives_when_there_is_no_goal_section():
    objectives, _ = find_lists(PURPOSES)
    assert [t.split(",")[0] for t in texts(objectives)] == [
        "Nhằm phát huy sức mạnh đại đoàn kết toàn dân", "Thông qua phong trào thi đua"]


def test_a_goal_section_wins_over_a_purpose_section():
    objectives, _ = find_lists(PURPOSES + GOALS)
    assert [t.split(" ")[0] for t in texts(objectives)] == ["Nâng", "Xây"]


def test_markdown_star_bullets_are_list_items():
    # a plan as Markdown (dev corpus, ddqh_3260_kh): "*   " bullets under a numbered purpose heading
    raw = (
        "**I. MỤC ĐÍCH, YÊU CẦU**\n\n**1. Mục đích**\n\n"
        "*   Quán triệt sâu sắc, nâng cao nhận thức về nhiệm vụ hoàn thiện thể chế phát triển khoa học, công nghệ.\n"
        "*   Thể chế hóa đầy đủ, kịp thời, đồng bộ quan điểm, mục tiêu, nhiệm vụ, giải pháp nêu tại Nghị quyết.\n\n"
        "**2. Yêu cầu**\n\n*   Tăng cường sự lãnh đạo của cấp ủy đảng.\n"
    )
    objectives, _ = find_lists(raw)
    assert [t.split(",")[0] for t in texts(objectives)] == ["Quán triệt sâu sắc", "Thể chế hóa đầy đủ"]


# a legal Q&A portal quoting a resolution (dev corpus, ac60d9892225db28): a question heading, a lead-in
QUESTION = (
    "**Mục tiêu của Nghị quyết 57-NQ/TW là gì?**\n\n"
    "Mục tiêu được quy định tại Mục II Nghị quyết 57-NQ/TW năm 2024, cụ thể như sau:\n\n"
    "- Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo đạt mức tiên tiến trong nhiều lĩnh vực quan trọng.\n\n"
    "- Hạ tầng công nghệ số tiên tiến, hiện đại, dung lượng siêu lớn, băng thông siêu rộng.\n\n"
    "**Hướng dẫn tổ chức thực hiện Nghị quyết 57-NQ/TW như thế nào?**\n\n"
)
CONTENT = (
    "**II. NỘI DUNG KẾ HOẠCH**\n\n"
    "**1. Quan trắc, cảnh báo môi trường nuôi trồng thủy sản**\n\nĐiểm quan trắc: tại 07 cửa sông.\n\n"
    "**2. Thông tin tuyên truyền nâng cao nhận thức về quản lý chất lượng nước**\n\nIn tài liệu tuyên truyền.\n\n"
    "**III. TỔ CHỨC THỰC HIỆN**\n\n"
)
CONTAINER = (
    "**II. NỘI DUNG THỰC HIỆN**\n\n**1. Hiện trạng**\n\nToàn tỉnh có 120 trạm 4G.\n\n"
    "**2. Kế hoạch phát triển giai đoạn 2026 - 2030**\n\n- Xây dựng trạm 5G, mạng lõi.\n\n"
)


def test_a_question_heading_and_its_lead_in_open_a_list():
    objectives, _ = find_lists(QUESTION)
    assert [t.split(",")[0] for t in texts(objectives)] == ["Tiềm lực", "Hạ tầng công nghệ số tiên tiến"]


def test_a_plans_content_section_lists_its_tasks():
    _, solutions = find_lists(CONTENT)
    assert texts(solutions) == ["Quan trắc, cảnh báo môi trường nuôi trồng thủy sản",
                                "Thông tin tuyên truyền nâng cao nhận thức về quản lý chất lượng nước"]


def test_a_content_section_that_only_holds_other_sections_is_no_list():
    _, solutions = find_lists(CONTAINER)
    assert "Hiện trạng" not in texts(solutions)
