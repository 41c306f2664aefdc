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
