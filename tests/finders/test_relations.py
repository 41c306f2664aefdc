"""Each citation's relation to the citing document (pursuant to, amends, supersedes, repeals, guides,
implements, refers), on passages in the style of official texts and portal news."""
from __future__ import annotations

import pytest

import miner
from miner.finders.relations import STRENGTH, relation_of, strongest


def relation_in(text: str, code: str) -> str:
    return {r.code: r.relation for r in miner.extract(text, source="t.txt").references}[code]


@pytest.mark.parametrize("text, code, relation", [
    ("Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\n", "63/2025/QH15", "pursuant_to"),
    # several documents in one "Căn cứ" paragraph, the second after a ";" in it
    ("Căn cứ Nghị định số 204/2004/NĐ-CP ngày 14 tháng 12 năm 2004 của Chính phủ về chế độ tiền lương; "
     "Nghị định số 17/2013/NĐ-CP ngày 19 tháng 12 năm 2013 của Chính phủ;\n", "17/2013/NĐ-CP", "pursuant_to"),
    ("Thông tư này sửa đổi, bổ sung một số điều của Thông tư số 07/2021/TT-BLĐTBXH.\n", "07/2021/TT-BLĐTBXH", "amends"),
    ("Luật Điều ước quốc tế số 108/2016/QH13 được sửa đổi, bổ sung bởi Luật số 137/2025/QH15.\n", "137/2025/QH15", "refers"),
    ("Nghị định này thay thế Nghị định số 38/2012/NĐ-CP ngày 25 tháng 4 năm 2012.\n", "38/2012/NĐ-CP", "supersedes"),
    ("Bãi bỏ Quyết định số 15/2019/QĐ-UBND của Ủy ban nhân dân tỉnh.\n", "15/2019/QĐ-UBND", "repeals"),
    ("Thông tư số 16/2015/TT-BLĐTBXH hết hiệu lực kể từ ngày Thông tư này có hiệu lực.\n", "16/2015/TT-BLĐTBXH", "repeals"),
    # a list under its introduction (Official Gazette, a Thông tư's last article)
    ("2. Các văn bản sau đây hết hiệu lực kể từ ngày Thông tư này có hiệu lực thi hành:\n"
     "a) Quyết định số 07/2008/QĐ-BLĐTBXH ngày 25 tháng 3 năm 2008 của Bộ trưởng;\n"
     "b) Thông tư số 42/2011/TT-BLĐTBXH ngày 29 tháng 12 năm 2011.\n", "42/2011/TT-BLĐTBXH", "repeals"),
    ("Thông tư này hướng dẫn Nghị định số 12/2022/NĐ-CP ngày 17 tháng 01 năm 2022.\n", "12/2022/NĐ-CP", "guides"),
    ("Huyện ủy ban hành Kế hoạch triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015.\n", "18-CT/TU", "implements"),
    # coordinated with the first code the verb governs
    ("Thực hiện Chỉ thị số 06/CT-TTg ngày 31/01/2020 của Thủ tướng Chính phủ và Công điện số 393/CĐ-BVHTTDL "
     "ngày 31/01/2020 của Bộ Văn hóa, Thể thao và Du lịch, Sở triển khai.\n", "393/CĐ-BVHTTDL", "implements"),
    # a provision pointed at: the document follows it, it does not carry it out
    ("Cơ sở thực hiện tự đánh giá chất lượng theo quy định tại Mục 2 Chương II Thông tư số 28/2017/TT-BLĐTBXH.\n",
     "28/2017/TT-BLĐTBXH", "refers"),
    ("Theo báo cáo, Kế hoạch số 12/KH-UBND đã được triển khai.\n", "12/KH-UBND", "refers"),
])
def test_relations(text, code, relation):
    assert relation_in(text, code) == relation


def test_the_most_telling_relation_wins():
    # a plan names 45-CTr/TU in its title ("Thực hiện …") and again in its preamble
    assert strongest(["pursuant_to", "implements"]) == "implements"
    assert strongest(["refers", "pursuant_to"]) == "pursuant_to"
    assert strongest(["implements", "self"]) == "self"
    assert set(STRENGTH) == {"self", "pursuant_to", "amends", "supersedes", "repeals", "guides", "implements", "refers"}


def test_relation_of_reads_only_its_clause():
    text = "Căn cứ Luật Đầu tư số 143/2025/QH15; theo báo cáo của Sở, Kế hoạch số 12/KH-UBND đạt kết quả."
    start = text.index("12/KH-UBND")
    assert relation_of(text, start, start + len("12/KH-UBND")) == "refers"
