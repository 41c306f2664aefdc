"""Indicator tables are read row by row (excerpt of the Government's Kế hoạch for Nghị quyết 57, pool corpus)."""
from miner import extract

TABLE = """Kế hoạch thực hiện Nghị quyết số 57-NQ/TW

| TT  | Chỉ tiêu | Đơn vị | Kết quả |
| --- | -------- | ------ | ------- |
| **I** | **Đến năm 2030** |  |  |
| 1   | Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo | Thứ bậc | Đạt mức tiên tiến ở nhiều lĩnh vực |
| 4   | Xếp hạng năng lực cạnh tranh số | Thứ bậc | ≤ 3 Đông Nam Á; ≤ 50 Thế giới |
| 7   | Số doanh nghiệp công nghệ số ngang tầm các nước tiên tiến | Doanh nghiệp | ≥ 5 |
| 10  | Quy mô kinh tế số | % GDP | ≥ 30 |
| 11.2| Tỉ lệ cung cấp dịch vụ công trực tuyến toàn trình | % | 90 |
| **II** | **Đến năm 2045** |  |  |
| 38  | Tỉ lệ doanh nghiệp công nghệ số | Số doanh nghiệp/1000 dân | 1 |
"""


def _targets():
    return {(t.indicator, t.value): t for t in extract(TABLE, source="kh.md").targets}


def test_each_row_is_a_target_with_the_section_year():
    found = _targets()
    digital = found[("Quy mô kinh tế số GDP", 30)]
    assert (digital.unit, digital.comparator, digital.year) == ("%", ">=", 2030)
    services = found[("Tỉ lệ cung cấp dịch vụ công trực tuyến toàn trình", 90)]
    assert (services.unit, services.comparator, services.year) == ("%", "=", 2030)
    firms = found[("Số doanh nghiệp công nghệ số ngang tầm các nước tiên tiến", 5)]
    assert (firms.unit, firms.comparator) == ("Doanh nghiệp", ">=")
    later = found[("Tỉ lệ doanh nghiệp công nghệ số", 1)]
    assert later.year == 2045 and later.unit == "Số doanh nghiệp/1000 dân"


def test_a_cell_with_two_values_gives_two_targets():
    found = _targets()
    assert found[("Xếp hạng năng lực cạnh tranh số Đông Nam Á", 3)].comparator == "<="
    assert found[("Xếp hạng năng lực cạnh tranh số Thế giới", 50)].comparator == "<="


def test_row_numbers_and_words_are_not_targets():
    values = {t.value for t in extract(TABLE, source="kh.md").targets}
    assert 38 not in values and 11.2 not in values  # the TT column
    assert len(extract(TABLE, source="kh.md").targets) == 6  # "Đạt mức tiên tiến …" has no number


def test_spans_point_at_the_value_in_the_original():
    for t in extract(TABLE, source="kh.md").targets:
        assert TABLE[t.span.start:t.span.end] == ("1" if t.value == 1 else str(int(t.value)))
