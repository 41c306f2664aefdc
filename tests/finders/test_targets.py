"""Quantified targets on real plans: value, range, unit, comparator, deadline year, indicator."""
from __future__ import annotations

from pathlib import Path

import pytest

from miner.pipeline import extract, extract_path

from testdata import SAMPLE


@pytest.fixture(scope="module")
def preschool_plan():
    """Hà Tĩnh's plan for preschool education (Kế hoạch 624/KH-UBND), targets to 2035."""
    return extract_path(str(SAMPLE / "69db23c781b2e9aa.txt"))


@pytest.fixture(scope="module")
def private_sector():
    """An explainer of Nghị quyết 68-NQ/TW: targets for 2030 and 2045, with ranges."""
    return extract_path(str(SAMPLE / "bba7944de4847629.txt"))


def _by_value(record, value, unit="%"):
    return [t for t in record.targets if t.value == value and t.unit == unit]


def test_plan_targets_have_the_plan_horizon(preschool_plan):
    assert len(preschool_plan.targets) >= 6
    assert {t.year for t in preschool_plan.targets} == {2035}


def test_at_least_is_a_floor(preschool_plan):
    (target,) = _by_value(preschool_plan, 55.0)
    assert target.comparator == ">="
    assert target.indicator.startswith("phường xây dựng và triển khai các mô hình giáo dục mầm non")


def test_ranges_keep_both_ends(private_sector):
    growth = [t for t in private_sector.targets if t.value == 10.0 and t.value_max == 12.0]
    assert len(growth) == 1 and growth[0].unit == "%" and growth[0].year == 2030
    assert "tăng trưởng bình quân của kinh tế tư nhân" in growth[0].indicator
    assert any(t.value == 8.5 and t.value_max == 9.5 for t in private_sector.targets)


def test_counts_keep_their_noun_and_scale(private_sector):
    firms = _by_value(private_sector, 2_000_000.0, "doanh nghiệp")
    assert firms and firms[0].year == 2030
    assert _by_value(private_sector, 3_000_000.0, "doanh nghiệp")[0].year == 2045


def test_spans_cover_the_number_in_the_raw_text(preschool_plan):
    raw = (SAMPLE / "69db23c781b2e9aa.txt").read_text(encoding="utf-8")
    for target in preschool_plan.targets:
        assert raw[target.span.start:target.span.end].startswith(f"{target.value:g}".replace(".", ","))


@pytest.mark.parametrize("sentence", [
    "Thu ngân sách 9 tháng đầu năm tăng 10,22% so với cùng kỳ.",
    "Tổng vốn đầu tư ước đạt 47.500 tỷ đồng, bằng 117,6% dự toán.",
    "Hiện nay, toàn tỉnh đã có 120 trường học đạt chuẩn quốc gia.",
    "Thực hiện Chỉ thị số 18-CT/TU ngày 12/3/2019 và Quyết định 28/2018/QĐ-TTg.",
])
def test_results_dates_and_codes_are_not_targets(sentence):
    assert extract(sentence).targets == []


def test_a_goal_sentence_is_one_target():
    record = extract("Phấn đấu đến năm 2025, có trên 80% hộ gia đình sử dụng dịch vụ thanh toán không dùng tiền mặt.")
    (target,) = record.targets
    assert (target.value, target.unit, target.comparator, target.year) == (80.0, "%", ">", 2025)
    assert "hộ gia đình sử dụng dịch vụ thanh toán không dùng tiền mặt" in target.indicator


# sentences of gazette texts (../shared/corpus/congbao): a Nghị định and a Thông tư set rules
NORM = (
    "NGHỊ ĐỊNH\nQuy định về quản lý phạm nhân\n\n"
    "Điều 12. Sử dụng kết quả lao động của phạm nhân\n\n"
    "Đối với kết quả lao động của phạm nhân trong chỉ tiêu, định mức được giao: a) Trích 14% để bổ sung "
    "mức ăn cho phạm nhân; b) Trích 10% để hỗ trợ phạm nhân khi chấp hành xong án phạt tù.\n\n"
    "Doanh nghiệp có trách nhiệm sửa đổi, bổ sung hồ sơ tối thiểu 05 ngày làm việc trước ngày dự kiến "
    "tổ chức hội nghị, hội thảo, đào tạo.\n\n"
    "Với mục tiêu phát thải ròng khí nhà kính về 0 vào năm 2050, phấn đấu đến năm 2030 có 50% phương tiện "
    "giao thông công cộng sử dụng điện, năng lượng xanh.\n"
)


def test_a_legal_norm_keeps_only_its_stated_goals():
    from miner.document import build
    from miner.finders.references import find_mentions
    from miner.finders.targets import find_targets

    doc = build(NORM)
    blocked = [(m.start, m.end) for m in find_mentions(doc.text)]
    as_plan = {t.value for t in find_targets(doc, blocked)}
    as_norm = {t.value for t in find_targets(doc, blocked, sets_rules=True)}
    assert {14, 10} & as_plan or 5 in as_plan  # read as a plan, the rates and limits pass for goals
    assert as_norm == {0, 50}  # net zero by 2050 and 50 % by 2030: goals the text states


def test_legal_norm_types_are_marked_in_the_rules():
    from miner import rulebook

    by_name = {t.name: t.sets_rules for t in rulebook.tables().types}
    assert by_name["Thông tư"] and by_name["Nghị định"] and by_name["Văn bản hợp nhất"] and by_name["Luật"]
    assert not by_name["Kế hoạch"] and not by_name["Nghị quyết"] and not by_name["Chỉ thị"]


def test_a_gazette_circular_yields_no_target():
    record = extract(NORM.replace("NGHỊ ĐỊNH", "BỘ TÀI CHÍNH\n-------\nSố: 18/2026/TT-BTC\n\nTHÔNG TƯ", 1))
    assert record.metadata is not None and record.metadata.kind == "Thông tư"
    assert sorted(t.value for t in record.targets) == [0, 50]


def test_each_target_says_where_its_year_was_read():
    text = (
        "KẾ HOẠCH\nChuyển đổi số tỉnh Đồng Tháp giai đoạn 2026 - 2030\n\n"
        "**I. MỤC TIÊU**\n\n"
        "Phấn đấu đến năm 2027 có 100% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.\n\n"
        "**Mục tiêu đến năm 2030**\n\n"
        "- 80% dịch vụ công trực tuyến toàn trình được người dân sử dụng.\n\n"
        "Cụ thể, đến năm 2028, tỉnh phấn đấu đạt các chỉ tiêu chủ yếu sau đây:\n\n"
        "- 90% người dân trưởng thành có điện thoại thông minh.\n"
    )
    record = extract(text)
    found = {t.value: (t.year, t.year_from) for t in record.targets}
    assert found[100] == (2027, "clause")
    assert found[80] == (2030, "heading")
    assert found[90] == (2028, "list")


def test_a_plan_title_gives_the_year_of_targets_without_one():
    from miner.finders.targets import document_year

    assert document_year("Kế hoạch cải cách hành chính năm 2025") == (2025, "plan-year")
    assert document_year("Kế hoạch phát triển hạ tầng số giai đoạn 2026 - 2030, tầm nhìn đến năm 2045") == (2030, "title")
    assert document_year("Chương trình chuyển đổi số đến năm 2030") == (2030, "title")
    assert document_year("Kế hoạch tuyên truyền phổ biến pháp luật") is None


def test_a_scale_word_after_a_range_scales_both_bounds():
    from miner.finders.targets import candidates

    text = "Phấn đấu đến năm 2030, tổng sản lượng điện đạt khoảng 560 - 624 tỉ KWh; xuất khẩu 48 – 50 tỷ USD."
    found = {(c.value, c.value_max) for c in candidates(text, [])}
    assert (560e9, 624e9) in found and (48e9, 50e9) in found


def test_a_list_opening_sentence_that_narrows_the_period_gives_the_narrower_year():
    # a portal's quote of a city's plan (dev corpus, 79e15c0e60d33bf1)
    text = (
        "Căn cứ mục tiêu của Đề án giai đoạn từ năm 2025 đến năm 2030, trong đó, đối với năm học 2025 - 2026, phấn đấu:\n\n"
        "- Đối với các trường phổ thông khác: đáp ứng 50% nhu cầu học sinh và 30% học sinh đạt chứng chỉ Tin học quốc tế.\n\n"
        "- Về đội ngũ giáo viên: 100% giáo viên dạy Tin học được chuẩn hóa.\n"
    )
    found = {t.value: (t.year, t.year_from) for t in extract(text).targets}
    assert found[50] == found[30] == (2026, "list")
    assert set(found.values()) == {(2026, "list")}
