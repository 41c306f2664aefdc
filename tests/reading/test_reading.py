"""Tests for miner.reading: decoding, binary refusal, HTML handling, paths."""
from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

import pytest

from miner import reading
from miner.reading import IngestError, iter_input_paths, read_bytes, read_path

from testdata import DATA, SHARED_CORPUS

DATA = DATA / "ingest"
CORPUS = SHARED_CORPUS

# Real sentences from Vietnamese policy texts (NFC).
SENTENCE = (
    "Trang thông tin điện tử huyện Đắk Song nhận được Thông báo số 125/TB-UBND "
    "của UBND huyện Đắk Song ngày 03 tháng 12 năm 2020 về việc các chương trình "
    "hội chợ triển lãm, hội nghị xúc tiến thương mại."
)
PARAGRAPH = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    "UBND tỉnh Đắk Nông vừa ban hành Quyết định số 1463/QĐ-UBND về Kế hoạch "
    "thu gom, vận chuyển và xử lý chất thải y tế nguy hại trên địa bàn tỉnh.\n"
    "Để hạn chế tối đa các tác động tiêu cực đến môi trường và sức khỏe con người, "
    "UBND tỉnh yêu cầu các cơ sở y tế lựa chọn hình thức xử lý phù hợp.\n"
)

# TCVN3 (ABC) bytes written from the published code table, not from viparse:
# "Cộng hoà xã hội chủ nghĩa Việt Nam / Độc lập - Tự do - Hạnh phúc /
#  Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
TCVN3_BYTES = (
    b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\n"
    b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c\n"
    b"C\xa8n c\xf8 Lu\xcbt T\xe6 ch\xf8c ch\xddnh quy\xd2n \xae\xdea ph\xad\xacng "
    b"ng\xb5y 19 th\xb8ng 6 n\xa8m 2015;\n"
)
TCVN3_UNICODE = (
    "Cộng hoà xã hội chủ nghĩa Việt Nam\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
)
# The same header in VNI-Windows (base letter + mark bytes), as typed in VNI-Times.
VNI_BYTES = (
    b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam\n"
    b"\xd1o\xe4c la\xe4p - T\xf6\xef do - Ha\xefnh phu\xf9c\n"
)
VNI_UNICODE = "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Encode NFC Vietnamese the way Windows-1258 stores it: precomposed
    letters where the code page has them, else base letter + combining tone."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


# --- decoding -------------------------------------------------------------


def test_utf8_text_is_kept_verbatim_with_hash_and_size():
    data = SENTENCE.encode("utf-8")
    result = read_bytes(data, "tb.txt", "/x/tb.txt")
    assert result.text == SENTENCE
    assert result.encoding == "utf-8"
    assert result.input_format == "text"
    assert result.source == "tb.txt" and result.path == "/x/tb.txt"
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.warnings == []


def test_utf8_bom_is_detected_and_stripped():
    result = read_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "a.txt")
    assert result.encoding == "utf-8-sig"
    assert result.text == SENTENCE


@pytest.mark.parametrize(
    "data, expected_encoding",
    [
        (codecs.BOM_UTF16_LE + PARAGRAPH.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + PARAGRAPH.encode("utf-16-be"), "utf-16-be"),
        (PARAGRAPH.encode("utf-16-le"), "utf-16-le"),  # no BOM: found by the NUL pattern
        (PARAGRAPH.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["le-bom", "be-bom", "le-no-bom", "be-no-bom"],
)
def test_utf16_variants(data, expected_encoding):
    result = read_bytes(data, "a.txt")
    assert result.encoding == expected_encoding
    assert result.text == PARAGRAPH


def test_cp1258_round_trip():
    data = to_cp1258(PARAGRAPH)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = read_bytes(data, "cv.txt")
    assert result.encoding == "cp1258"
    # cp1258 keeps tone marks as combining characters; NFC is a later stage's job.
    assert unicodedata.normalize("NFC", result.text) == PARAGRAPH
    assert result.warnings == []


def test_tcvn3_bytes_decode_to_unicode():
    result = read_bytes(TCVN3_BYTES, "qd.txt")
    assert result.encoding == "tcvn3"
    assert result.text == TCVN3_UNICODE


def test_vni_bytes_decode_to_unicode():
    result = read_bytes(VNI_BYTES, "qd.txt")
    assert result.encoding == "vni"
    assert result.text == VNI_UNICODE


def test_viscii_round_trip():
    # VISCII is a published charset (RFC 1456); build the bytes from
    # viparse's glibc-derived table, inverted.
    from viparse.normalize.encodings import CHARMAPS

    to_viscii = {}
    for legacy, letter in CHARMAPS["viscii"].pairs:
        to_viscii.setdefault(letter, legacy)
    data = "".join(to_viscii.get(c, c) for c in PARAGRAPH).encode("latin-1")
    result = read_bytes(data, "kh.txt")
    assert result.encoding == "viscii"
    assert result.text == PARAGRAPH


def test_legacy_conversion_keeps_whitespace_and_line_structure():
    data = b"  " + TCVN3_BYTES.replace(b"\n", b"\r\n\r\n") + b"\t"
    result = read_bytes(data, "qd.txt")
    expected = "  " + TCVN3_UNICODE.replace("\n", "\n\n") + "\t"
    assert result.text == expected


def test_tcvn3_text_stored_as_utf8_is_converted():
    # A .VnTime document copied into a UTF-8 file: valid UTF-8, wrong letters.
    data = TCVN3_BYTES.decode("latin-1").encode("utf-8")
    result = read_bytes(data, "qd.txt")
    assert result.text == TCVN3_UNICODE
    assert result.encoding == "utf-8+tcvn3"
    assert result.warnings


def test_utf8_with_one_broken_byte_is_not_read_as_cp1258():
    data = PARAGRAPH.encode("utf-8") + b"\xff" + SENTENCE.encode("utf-8")
    result = read_bytes(data, "a.txt")
    assert result.encoding == "utf-8"
    assert result.text == PARAGRAPH + "\ufffd" + SENTENCE
    assert "replaced" in result.warnings[0]


def test_line_endings_normalised_but_no_unicode_normalisation():
    nfd = unicodedata.normalize("NFD", "Nghị quyết\r\nsố 12\rngày 5")
    result = read_bytes(nfd.encode("utf-8"), "a.txt")
    assert result.text == unicodedata.normalize("NFD", "Nghị quyết\nsố 12\nngày 5")
    assert result.text != unicodedata.normalize("NFC", result.text)


# --- refusals -------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF), not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG), not text"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml word/document.xml", "binary file (ZIP/DOCX), not text"),
        (b"\x1f\x8b\x08\x00\x00\x00", "binary file (gzip), not text"),
        (b"\x00\x01\x02\x03MZ\x90\x00" + "Quyết định".encode("utf-8") + b"\x00" * 8, "binary file (NUL bytes), not text"),
        (bytes(range(1, 32)) * 20 + b"Nghi dinh", "binary file (control bytes), not text"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "gzip", "nul", "control"],
)
def test_binary_input_is_refused_with_a_clear_message(data, message):
    with pytest.raises(IngestError) as excinfo:
        read_bytes(data, "x.txt")
    assert str(excinfo.value) == message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8 + b"\n"])
def test_empty_or_blank_input_is_refused(data):
    with pytest.raises(IngestError, match="^empty file$"):
        read_bytes(data, "x.txt")


def test_empty_file_on_disk_is_refused(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="^empty file$"):
        read_path(path)


def test_oversized_input_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(reading.paths, "MAX_BYTES", 10)
    path = tmp_path / "lon.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        read_path(path)


# --- HTML -----------------------------------------------------------------


def test_html_page_gives_title_and_main_text_without_navigation():
    result = read_path(DATA / "portal_page.html")
    title = "UBND tỉnh ban hành Kế hoạch phát triển nông nghiệp hữu cơ"
    assert result.input_format == "html"
    assert result.title_hint == title
    assert result.date_hint == "2021-03-15"
    assert result.text.split("\n")[0] == title
    assert "Kế hoạch số 125/KH-UBND" in result.text
    assert "báo cáo UBND tỉnh trước ngày 15/12 hằng năm." in result.text
    for boilerplate in ("Trang chủ", "Giới thiệu chung", "Tin mới nhận", "Bản quyền thuộc", "trackingId", "font-family"):
        assert boilerplate not in result.text
    assert "<" not in result.text


def test_html_detected_by_content_without_suffix():
    page = (DATA / "portal_page.html").read_bytes()
    result = read_bytes(page, "<stdin>")
    assert result.input_format == "html"
    assert "Kế hoạch số 125/KH-UBND" in result.text


def test_tiny_or_broken_html_falls_back_to_lxml_without_crashing():
    data = "<html><head><title>Thông báo</title><body><p>Nghị quyết <b>số 12/NQ-HĐND<p>ngày 5/7".encode("utf-8")
    result = read_bytes(data, "tb.html")
    assert result.input_format == "html"
    assert result.text.split("\n")[0] == "Thông báo"
    assert "Nghị quyết số 12/NQ-HĐND" in result.text
    assert "ngày 5/7" in result.text


def test_html_in_text_is_cleaned_and_title_lines_kept():
    result = read_path(DATA / "html_in_text.txt")
    lines = result.text.split("\n")
    assert result.input_format == "html-in-text"
    assert lines[0] == "Huyện Đắk Song triển khai Kế hoạch giảm nghèo bền vững năm 2021"
    assert lines[1] == "Ngày đăng: 05/04/2021"
    assert lines[2] == (
        "Ngày 02/4/2021, UBND huyện Đắk Song đã ban hành Kế hoạch số 45/KH-UBND về thực hiện "
        "Chương trình mục tiêu quốc gia giảm nghèo bền vững."
    )
    # <br /> becomes a line break inside the paragraph; inline tags vanish.
    assert "Mục tiêu: giảm tỷ lệ hộ nghèo từ 2% trở lên trong năm 2021.\nĐối tượng:" in result.text
    assert "trên địa bàn huyện.\nKinh phí: 1,2 tỷ đồng." in result.text
    for leftover in ("<", "&agrave;", "&nbsp;", "\u00a0", "slider", "style="):
        assert leftover not in result.text
    assert lines[-1] == "Thu Hà"


@pytest.mark.shared
def test_real_html_in_text_corpus_file():
    result = read_path(CORPUS / "pool" / "0312202001.txt")
    assert result.input_format == "html-in-text"
    assert result.text.startswith(
        "Thông báo các chương trình hội trợ triễn lãm, hội nghị xúc tiến thương mại\nNgày đăng: 03/12/2020\n"
    )
    assert "Đây là dịp để các doanh nghiệp" in result.text
    assert "&" not in result.text.replace("& ", "")
    assert "<p" not in result.text and "<br" not in result.text


def test_stray_angle_bracket_and_ampersand_leave_plain_text_untouched():
    text = (
        "Mục tiêu: tỷ lệ hộ nghèo < 3% & tỷ lệ che phủ rừng > 40%;\n"
        "Điều 5. Trách nhiệm của Sở TN&MT; và <Nội dung> <b>\n"
    )
    result = read_bytes(text.encode("utf-8"), "kh.txt")
    assert result.input_format == "text"
    assert result.text == text


def test_markdown_is_kept_as_is():
    text = "# Nghị quyết số 57-NQ/TW\n\n**Về đột phá phát triển khoa học, công nghệ**\n\nNội dung chính.\n"
    as_text = read_bytes(text.encode("utf-8"), "nq57.txt")
    as_md = read_bytes(b"Ghi ch\xc3\xba.\n", "ghi-chu.md")
    assert as_text.input_format == "markdown" and as_text.text == text
    assert as_md.input_format == "markdown"


# --- paths ----------------------------------------------------------------


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SENTENCE, encoding="utf-8")


def test_directory_expansion_is_recursive_sorted_and_filtered(tmp_path):
    for rel in ("b.txt", "a/z.md", "a/c/d.html", "a/b.htm", "A.TXT", "notes.json",
                "scan.pdf", ".hidden.txt", ".git/x.txt"):
        _touch(tmp_path / rel)
    explicit = tmp_path / "explicit.json"
    _touch(explicit)
    missing = str(tmp_path / "khong-co.txt")

    got = list(iter_input_paths([str(tmp_path), "-", str(explicit), missing]))

    expected_files = ["A.TXT", "a/b.htm", "a/c/d.html", "a/z.md", "b.txt"]
    assert got == [str(tmp_path / f) for f in expected_files] + ["-", str(explicit), missing]


def test_missing_path_raises_clear_error(tmp_path):
    with pytest.raises(IngestError, match="^no such file or directory$"):
        read_path(tmp_path / "khong-co.txt")


def test_directory_passed_to_read_path_raises_clear_error(tmp_path):
    with pytest.raises(IngestError, match="^is a directory, not a file$"):
        read_path(tmp_path)


def test_unreadable_file_raises_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "khoa.txt"
    _touch(path)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Simulated: chmod 000 does not stop root, who may run the tests.
    monkeypatch.setattr(reading.paths, "open", denied, raising=False)
    with pytest.raises(IngestError, match="^permission denied$"):
        read_path(path)


def test_read_stdin(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SENTENCE.encode("utf-8"))))
    result = reading.read_input("-")
    assert result.source == "<stdin>" and result.path is None
    assert result.text == SENTENCE


def test_read_path_sets_source_to_base_name(tmp_path):
    path = tmp_path / "sub" / "tb-125.txt"
    _touch(path)
    result = read_path(path)
    assert result.source == "tb-125.txt"
    assert result.path == str(path)
    assert result.text == SENTENCE
