"""Property-based fuzzing of the whole pipeline: any text or bytes, no exception but a clear IngestError.

Hypothesis's per-example deadline bounds the work for each input (a
catastrophic backtrack or a quadratic loop on a 3,000-character input
would blow it); the linear-time tests measure growth on large inputs.
"""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miner import extract
from miner.reading import IngestError, read_bytes

# Vietnamese letters, digits and the punctuation codes and dates are made of,
# plus markup, entities and combining marks.
_PIECES = st.sampled_from([
    "Chỉ thị", "số", "sổ", "ngày", "tháng", "năm", "Nghị quyết", "Quyết định", "của", "Ban Thường vụ Tỉnh uỷ",
    "UBND tỉnh", "Bắc Giang", "huyện", "Tân Yên", "đến năm 2020", "có", "100%", "52,5%", "1.000", "trở lên",
    "ít nhất", "Mục tiêu:", "Thứ nhất là", "giải pháp", "18-CT/TU", "28/2018/QĐ-TTg", "26/NQ-CP", "1718 –KL/TU",
    "01/4/2015", "6/6", "2021-2025", "/", "-", "–", ".", ",", ";", ":", "(", ")", "\n", "\n\n", "  ", "**", "#",
    "|", "<p>", "&agrave;", "&nbsp;", "\u0301", "\u0323", "Ð", "\u00a0", "\ufeff", "1.", "a)", "-", "+", "II.",
])
_TEXT = st.lists(_PIECES, max_size=400).map(" ".join)


@settings(max_examples=150, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_extract_any_text(text):
    record = extract(text, source="fuzz.txt")
    out = record.to_json()
    assert out["source"] == "fuzz.txt"
    for ref in record.references:
        assert ref.span is not None and 0 <= ref.span.start < ref.span.end <= len(text)
        assert ref.code
    for target in record.targets:
        assert 0 <= target.span.start < target.span.end <= len(text)
        assert target.comparator in {"=", ">=", ">", "<=", "<"}
    for item in record.objectives + record.solutions:
        assert item.text.strip()


@settings(max_examples=150, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_read_any_bytes(data):
    try:
        source = read_bytes(data, "fuzz.bin")
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(source.text, str)
    extract(source.text, source="fuzz.bin")
