"""The document model: the logical view (page furniture out, wrapped lines joined), blocks, headings, the
frame of an official text — on Official Gazette text layers (tests/data/congbao) and portal passages."""
from __future__ import annotations

import pytest

from miner.document import build
from miner.document.lines import continues, logical_view
from testdata import DATA

CONGBAO = DATA / "congbao"


def gazette(name: str) -> str:
    return (CONGBAO / name).read_text(encoding="utf-8").replace("\r\n", "\n")


# Quoted from ../shared/corpus/congbao/nghi-dinh-so-118-2026-nd-cp-469379.txt: a paragraph over a page break
PAGE_BREAK = ("Điều 2.  Đối tượng áp dụng \n"
              "Nghị định này áp dụng với các cơ quan, tổ chức, cá nhân tham gia hoặc \n"
              "có liên quan đến hoạt động sử dụng nguồn ngân sách trung ương để cho vay \n"
              "chính phủ nước ngoài.  \n"
              "Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "Cơ quan: VĂN PHÒNG CHÍNH PHỦ\n"
              "Ngày ký: 2026-04-24 17:05:16 +07:00\n\n"
              "CÔNG BÁO/Số 252/Ngày 27-04-2026 \n91\n \n \n"
              "Điều 3. Giải thích từ ngữ \n"
              "Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau: \n")


def test_page_furniture_is_dropped_and_spans_map_back():
    doc = build(PAGE_BREAK)
    assert "CÔNG BÁO/Số" not in doc.text and "Ký bởi" not in doc.text and "\n91\n" not in doc.text
    assert "cho vay chính phủ nước ngoài." in doc.text  # the wrapped lines read as one
    start = doc.text.index("Điều 3")
    span = doc.raw_span(start, start + len("Điều 3"))
    assert PAGE_BREAK[span.start:span.end] == "Điều 3"
    start = doc.text.index("cho vay chính phủ")
    span = doc.raw_span(start, start + len("cho vay chính phủ"))
    assert PAGE_BREAK[span.start:span.end].split() == ["cho", "vay", "chính", "phủ"]


def test_a_text_without_wraps_or_furniture_is_left_as_it_is():
    text = "Tin tức - Sự kiện\n\nHuyện ủy Tân Yên triển khai Chỉ thị số 18-CT/TU.\nNgày đăng: 08/06/2015\n"
    doc = build(text)
    assert doc.text == text and doc.view_map.identity


@pytest.mark.parametrize("previous, line, joined", [
    ("Chỉ thị số 18-CT/TU ngày", "01/4/2015 của Ban Thường vụ Tỉnh ủy", True),  # a date after "ngày"
    ("được sửa đổi bởi Nghị quyết của Bộ", "Chính trị về phát triển", True),  # a name run over the line end
    ("Số: 01/2022/TTLT-VKSNDTC-", "TANDTC-BCA-BQP-BLĐTBXH", True),  # a code cut after its hyphen
    ("Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;", "Căn cứ Luật Đầu tư số 143/2025/QH15;", False),
    ("Quy định của Bộ Chính trị về luân chuyển cán bộ", "Ngày đăng: 09/10/2017", False),  # "bộ" ends a phrase
    ("trao đổi văn bản điện tử", "Ngày cập nhật 14/10/2015", False),  # "tử" is not "từ"
    ("Các nhiệm vụ trọng tâm gồm", "1. Hoàn thiện thể chế", False),  # a list item starts its own line
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", False),  # the header block
])
def test_which_lines_go_on(previous, line, joined):
    assert continues(previous, line, width=0) is joined


def test_hard_wrapped_gazette_text_is_joined_into_sentences():
    text = gazette("thong-tu-so-29-2026-tt-btc-469232.txt")
    view, _, physical, lines = logical_view(text)
    assert len(lines) < len(physical) / 1.5  # most of the physical lines were wrap continuations
    assert all(not ln.text.startswith("CÔNG BÁO/") for ln in lines)


def test_blocks_know_their_headings():
    text = ("I. MỤC TIÊU\n1. Mục tiêu chung\nXây dựng chính quyền số.\n2. Mục tiêu cụ thể đến năm 2025:\n"
            "- 100% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng;\n"
            "- 80% dịch vụ công trực tuyến mức độ 4.\nII. NHIỆM VỤ, GIẢI PHÁP\n1. Hoàn thiện thể chế.\n")
    doc = build(text)
    at = doc.text.index("80% dịch vụ")
    chain = [b.content(doc.text) for b in doc.headings_over(at)]
    assert chain == ["Mục tiêu cụ thể đến năm 2025:", "MỤC TIÊU"]
    at = doc.text.index("Hoàn thiện thể chế")
    assert [b.content(doc.text) for b in doc.headings_over(at)] == ["NHIỆM VỤ, GIẢI PHÁP"]
    kinds = {b.content(doc.text)[:12]: b.kind for b in doc.blocks}
    assert kinds["MỤC TIÊU"] == "heading" and kinds["100% hồ sơ c"] == "item"


def test_legal_divisions_are_headings():
    doc = build(gazette("nghi-dinh-so-135-2026-nd-cp-469360.txt"))
    divisions = [b.division for b in doc.blocks if b.division]
    assert "chapter" in divisions and divisions.count("article") >= 5
    article = next(b for b in doc.blocks if b.division == "article")
    assert article.kind == "heading" and doc.blocks[article.parent].content(doc.text) in ("QUY ĐỊNH CHUNG", "Chương I")


def test_tables_in_their_textual_forms():
    pipes = "| TT | Chỉ tiêu | Đơn vị | Mục tiêu |\n|---|---|---|---|\n| 1 | Dịch vụ công trực tuyến | % | 80 |\n"
    no_outer = "TT | Chỉ tiêu | Mục tiêu\n1 | Chữ ký số | 100\n"
    tabs = "TT\tChỉ tiêu\tMục tiêu\n1\tChữ ký số\t100\n"
    for text in (pipes, no_outer, tabs):
        doc = build(text)
        [table] = doc.tables
        cells = [[doc.text[a:b].strip() for a, b in row.cells] for row in table]
        assert ["1", "Chữ ký số", "100"] in cells or ["1", "Dịch vụ công trực tuyến", "%", "80"] in cells


@pytest.mark.parametrize("name, number, title_start, issuer", [
    ("thong-tu-so-29-2026-tt-btc-469232.txt", "29/2026/TT-BTC", "THÔNG TƯ", "BỘ TÀI CHÍNH"),
    ("chi-thi-so-21-ct-ttg-469580.txt", "21/CT-TTg", "CHỈ THỊ", "THỦ TƯỚNG CHÍNH PHỦ"),
    # the text layer gives this header block after the first articles
    ("nghi-dinh-so-135-2026-nd-cp-469360.txt", "135/2026/NĐ-CP", "NGHỊ ĐỊNH", "CHÍNH PHỦ"),
])
def test_header_and_title_blocks(name, number, title_start, issuer):
    doc = build(gazette(name))
    assert doc.official
    assert doc.header.number.text == number
    assert doc.header.issuer.text == issuer
    assert doc.title_block.type_line.text.startswith(title_start) and doc.title_block.subject


def test_the_certification_block_of_a_consolidated_text():
    doc = build(gazette("van-ban-hop-nhat-so-465-vbhn-bldtbxh-44175.txt"))
    closing = doc.closing
    assert closing.certification and closing.number.text == "465/VBHN-BLĐTBXH"
    assert [o.text for o in closing.offices] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"] and closing.signer.text == "Lê Văn Thanh"
