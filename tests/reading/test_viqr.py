"""VIQR input (ASCII Vietnamese: "Vie^.t Nam", "d9i.a phu+o+ng") is detected and converted to NFC.

The VIQR texts are made here from real corpus sentences with an encoder
written from RFC 1456's table, independent of the decoder under test.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from miner import reading
from miner.reading import looks_like_viqr, read_bytes, viqr_to_unicode

from testdata import DATA

# Real sentences from the pool and dev corpora (NFC).
SENTENCES = [
    "Triển khai thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị về đẩy mạnh ứng dụng, "
    "phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế.",
    "Đồng thời đã thể chế hóa, hoàn thiện hệ thống văn bản pháp luật, cơ chế, chính sách, trong đó có một số "
    "văn bản tiền đề như: Tỉnh ủy Gia Lai ban hành Kế hoạch số 157-KH/TU ngày 20/7/2015 về Kế hoạch ứng dụng "
    "CNTT giai đoạn 2015-2020.",
    "KẾT QUẢ 5 NĂM THỰC HIỆN NGHỊ QUYẾT SỐ 36-NQ/TW NGÀY 01/7/2014 CỦA BỘ CHÍNH TRỊ (KHÓA XI) TRÊN ĐỊA BÀN TỈNH GIA LAI",
    "Phấn đấu đến năm 2025, 100% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số cơ bản.",
    "Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ và Ủy ban nhân dân các huyện, thị xã, thành phố tổ chức thực hiện.",
]

_SHAPE = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_TONE = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_ASCII_PUNCT = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "}


def to_viqr(text: str, dd: str = "dd") -> str:
    """Unicode → VIQR: base letter, then shape mark, then tone mark; đ as ``dd`` (or ``d9``)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append(dd if char == "đ" else dd[0].upper() + dd[1:])
            continue
        if char in _ASCII_PUNCT:
            out.append(_ASCII_PUNCT[char])
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        shape = "".join(_SHAPE[m] for m in marks if m in _SHAPE)
        tone = "".join(_TONE[m] for m in marks if m in _TONE)
        assert len(shape) + len(tone) == len(marks), char
        out.append(base + shape + tone)
    result = "".join(out)
    assert result.isascii(), result
    return result


def ascii_punct(text: str) -> str:
    return "".join(_ASCII_PUNCT.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def test_encoder_example():
    assert to_viqr("Việt Nam đổi mới") == "Vie^.t Nam ddo^?i mo+'i"
    assert to_viqr("địa phương", dd="d9") == "d9i.a phu+o+ng"


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("dd", ["dd", "d9"])
def test_round_trip_real_sentences(sentence, dd):
    paragraph = "\n".join([sentence] * 2 + SENTENCES)
    viqr = to_viqr(paragraph, dd)
    assert looks_like_viqr(viqr)
    assert viqr_to_unicode(viqr) == ascii_punct(paragraph)


def test_read_bytes_converts_viqr_and_marks_the_encoding():
    text = "\r\n".join(SENTENCES)  # mixed line endings are still normalised
    src = read_bytes(to_viqr(text).encode("ascii"), "viqr.txt")
    assert src.text == ascii_punct("\n".join(SENTENCES))
    assert unicodedata.is_normalized("NFC", src.text)
    assert src.encoding == "utf-8+viqr"
    assert any("VIQR" in w for w in src.warnings)


def test_sentence_final_marks():
    # '.' after an unmarked open syllable before the end or a new sentence is punctuation;
    # inside a capitalised name it is the dot-below tone; '?' before a lower-case word is a tone.
    assert viqr_to_unicode("Ke^' hoa.ch ve^` ho`a bi`nh va` hoa. Sau ddo' Bo^. No^.i vu. ho?i ta.i sao?") == (
        "Kế hoạch về hòa bình và hoa. Sau đó Bộ Nội vụ hỏi tại sao?"
    )
    assert viqr_to_unicode("So+? Tu+ pha'p cu?a ti?nh") == "Sở Tư pháp của tỉnh"
    assert viqr_to_unicode(r"Ba\.n ve^` so^' 1\.") == "Ba.n về số 1."  # RFC 1456 escape


def test_codes_urls_and_abbreviations_in_viqr_text():
    text = to_viqr("Theo Quyết định số 28/2018/QĐ-TTg của Thủ tướng và Nghị quyết của HĐND tỉnh, xem "
                   "https://stttt.gialai.gov.vn/tin-tuc?id=12 để biết thêm chi tiết về kế hoạch.")
    out = viqr_to_unicode(text)
    assert "28/2018/QĐ-TTg" in out
    assert "HĐND" in out
    assert "https://stttt.gialai.gov.vn/tin-tuc?id=12" in out
    assert out.startswith("Theo Quyết định số")


def test_whole_corpus_document_extracts_like_the_original():
    from miner import pipeline

    path = DATA / "pool" / "004_stttt_gialai_gov_vn.txt"  # a copy (tests/data/README.md)
    original = ascii_punct(path.read_text(encoding="utf-8"))
    original = "".join(ch for ch in original if ch.isascii() or unicodedata.normalize("NFD", ch)[0].isascii()
                       or ch in "đĐ")
    src = read_bytes(to_viqr(original).encode("ascii"), "doc.txt")
    assert src.encoding == "utf-8+viqr"
    words_in, words_out = original.split(), src.text.split()
    assert len(words_in) == len(words_out)
    same = sum(a == b for a, b in zip(words_in, words_out))
    assert same >= 0.995 * len(words_in)
    a = pipeline.extract(original)
    b = pipeline.extract_source(src)
    assert [r.code for r in b.references] == [r.code for r in a.references]
    assert [p.name for p in b.places] == [p.name for p in a.places]


NEGATIVES = [
    # English prose with ? and . and contractions
    "Is it ready? I'm not sure. We can't go there, e.g. to the office. Do you know who did it? Yes.\n"
    "The report (see p. 12) is due on Monday. Why? Because the data isn't final. Is it so? No.",
    # URLs and code
    "See https://example.com/a?b=c&d=e.f and http://vanban.chinhphu.vn/?pageid=27160&docid=95180.\n"
    "def f(a, b): return a**2 + b*3 if a > b else a^b  # x.y.z?\n"
    "for (i = 0; i < n; i++) { s += a[i]; } /* e.g. */ x = y ? a : b;",
    # Vietnamese written without any diacritics (not VIQR: nothing to convert)
    "Viet Nam la mot quoc gia. Ke hoach so 18-KH/UBND cua UBND tinh Bac Giang ve day manh chuyen doi so.",
    # Markdown with headings and lists
    "# Title\n\n- item one.\n- item two?\n\n**Note**: a + b = c. Version 2.0.1 (beta).",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_viqr(text):
    assert not looks_like_viqr(text)
    src = read_bytes(text.encode("ascii"), "plain.txt")
    assert src.text == text.strip("\n") or src.text == text
    assert "viqr" not in src.encoding


def test_unicode_text_is_never_viqr():
    text = "\n".join(SENTENCES) + " Vie^.t Nam"
    assert not looks_like_viqr(text)
    assert read_bytes(text.encode("utf-8"), "u.txt").encoding == "utf-8"


def test_nfd_input_still_untouched_by_viqr():
    nfd = unicodedata.normalize("NFD", SENTENCES[0])
    src = read_bytes(nfd.encode("utf-8"), "nfd.txt")
    assert src.encoding == "utf-8"
    assert src.text == nfd  # NFC happens in miner.document.normalize, with an offset map
