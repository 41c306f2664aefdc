"""miner.document.normalize: NFC, tone placement, one-for-one replacements and the offset map back to the raw text."""
import unicodedata

import pytest

from miner.document.normalize import normalize, normalize_name
from miner.finders.references import find_mentions

# From corpus/dev/000_a5a24a10da4b2c1e.txt
PASSAGE = ("Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 "
           "của Ban Thường vụ Tỉnh uỷ Bắc Giang")


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_nfd_input_becomes_nfc():
    norm = normalize(nfd(PASSAGE))
    assert unicodedata.is_normalized("NFC", norm.text)
    assert "Tân Yên" in norm.text and "Bắc Giang" in norm.text
    assert len(norm.text) < len(norm.raw)


def test_nfd_spans_map_back_to_the_raw_string():
    raw = nfd(PASSAGE)
    norm = normalize(raw)
    mention = find_mentions(norm.text)[0]
    span = norm.raw_span(mention.start, mention.end)
    assert raw[span.start:span.end] == "18-CT/TU"
    for word in ("Bắc Giang", "Tân Yên", "Huyện", "triển khai"):
        i = norm.text.index(word)
        span = norm.raw_span(i, i + len(word))
        assert unicodedata.normalize("NFC", raw[span.start:span.end]) == word


def test_nfd_spans_ending_in_a_marked_letter_keep_their_marks():
    raw = nfd("Vừa qua, UBND huyện Minh Hóa đã ban hành Kế hoạch ứng dụng CNTT; Chỉ thị số 18-CT/TU")
    norm = normalize(raw)
    for word in ("Minh Hóa", "Chỉ thị", "Vừa qua"):
        i = norm.text.index(word)
        span = norm.raw_span(i, i + len(word))
        assert unicodedata.normalize("NFC", raw[span.start:span.end]) == word


def test_nfd_span_of_the_last_word_ends_at_the_raw_end():
    raw = nfd(PASSAGE)
    norm = normalize(raw)
    i = norm.text.index("Bắc Giang")
    span = norm.raw_span(i, i + len("Bắc Giang"))
    assert span.end == len(raw)


def test_old_tone_placement_is_modernised():
    assert normalize("Ban Thường vụ Tỉnh uỷ").text == "Ban Thường vụ Tỉnh ủy"
    assert normalize("công nghiệp hoá, hiện đại hoá").text == "công nghiệp hóa, hiện đại hóa"
    assert normalize("thuỷ lợi").text == "thủy lợi"


def test_old_tone_placement_from_nfd_input():
    assert normalize(nfd("Tỉnh uỷ Bắc Giang")).text == "Tỉnh ủy Bắc Giang"


def test_qu_keeps_its_mark():
    assert normalize("quý II/2019").text == "quý II/2019"
    assert normalize("Quý vị đại biểu").text == "Quý vị đại biểu"


def test_eth_becomes_d_with_stroke():
    out = normalize("\u00d0ảng bộ tỉnh").text
    assert out == "Đảng bộ tỉnh"
    assert "\u00d0" not in out


def test_en_dash_in_code_becomes_hyphen_same_length():
    raw = "Căn cứ Thông báo Kết luận số 1718 –KL/TU ngày 14/5/2010"
    out = normalize(raw).text
    assert "1718 -KL/TU" in out
    assert len(out) == len(raw)


def test_nbsp_becomes_space():
    raw = "Kế hoạch số\u00a001/KH-GDNN-GDTX, về việc\u00a0Phòng"
    out = normalize(raw).text
    assert "\u00a0" not in out
    assert out == "Kế hoạch số 01/KH-GDNN-GDTX, về việc Phòng"


def test_markdown_bold_removed_without_shifting_offsets():
    raw = "**Chỉ thị số 40-CT/TU ngày 9/5/2019**"
    norm = normalize(raw)
    assert "*" not in norm.text
    assert len(norm.text) == len(raw)
    i = norm.text.index("40-CT/TU")
    assert raw[i:i + 8] == "40-CT/TU"
    span = norm.raw_span(i, i + 8)
    assert (span.start, span.end) == (i, i + 8)


def test_markdown_heading_hash_removed_without_shifting_offsets():
    raw = "# Mục tiêu phát triển trí tuệ nhân tạo của Việt Nam 2025, 2030\n\nTheo Quyết định 127/QĐ-TTg"
    norm = normalize(raw)
    assert "#" not in norm.text
    assert len(norm.text) == len(raw)
    assert norm.text.index("Mục tiêu") == raw.index("Mục tiêu")
    assert norm.text.index("127/QĐ-TTg") == raw.index("127/QĐ-TTg")


def test_hash_inside_a_line_is_kept():
    # only a leading "#" is Markdown markup
    assert normalize("Mục #3 của kế hoạch").text == "Mục #3 của kế hoạch"


def test_normalize_name_collapses_spaces_and_modernises():
    assert normalize_name("  Ban  Thường vụ\u00a0Tỉnh uỷ ") == "Ban Thường vụ Tỉnh ủy"
