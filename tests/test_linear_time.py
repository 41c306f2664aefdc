"""The pipeline stays (near) linear on adversarial input.

Not a speed benchmark: each case compares a small and a large version of
the same input, and fails only when the large one takes far more than
proportionally longer (k× the input may take < 2k× the time: 4× → 8×), or
more than a generous 20 s per MB. Sizes are 50 KB / 200 KB to keep the suite fast.
"""
import time

import pytest
from hypothesis import given, settings, strategies as st

from miner import reading
from miner.document.normalize import normalize
from miner.pipeline import extract
from miner.finders.references import find_mentions

SECONDS_PER_MB = 20.0


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    # load rules and the gazetteer once, so the first timing does not include them
    extract("Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang")


def _timed(text: str) -> float:
    best = None
    for _ in range(3):  # best of three, against scheduler noise
        started = time.perf_counter()
        extract(text)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        if elapsed > 1.0:
            break
    return best


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _slashes(size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        piece = f"{i % 97 + 1}/{i % 13 + 1}-"
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts)[:size]


def _assert_linear(make, small=50_000, large=200_000, factor=2.0):
    t_small = _timed(make(small))
    t_large = _timed(make(large))
    mb = len(make(large).encode("utf-8")) / 1e6
    assert t_large / mb < SECONDS_PER_MB, f"{t_large:.2f} s for {mb:.2f} MB"
    # below ~0.1 s a timing is mostly noise and fixed costs; a quadratic blow-up still shows above it
    bound = factor * (large / small) * max(t_small, 0.1)
    assert t_large < bound, f"{small} chars: {t_small:.3f} s, {large} chars: {t_large:.3f} s"


def test_digits_with_slashes_and_hyphens():
    _assert_linear(_slashes)


def test_one_mb_without_spaces():
    unit = "Chỉthịsố18-CT/TUngày01/4/2015củaBanThườngvụTỉnhủyBắcGiang"
    record = extract(_repeat(unit, 1_000_000))
    assert record is not None
    _assert_linear(lambda n: _repeat(unit, n))


def test_ngay_repeated():
    record = extract("ngày " * 100_000)
    assert record.references == []
    _assert_linear(lambda n: _repeat("ngày ", n))


def test_so_repeated():
    _assert_linear(lambda n: _repeat("Số: ", n))


def test_yearless_dates_repeated():
    _assert_linear(lambda n: _repeat("Ngày 6/6, ban hành ngày 1/ ", n), small=50_000, large=400_000)


def test_real_article_repeated():
    unit = ("Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số "
            "18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin "
            "đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.\n")
    _assert_linear(lambda n: _repeat(unit, n))


def test_dense_references():
    # a list of citations, as in the 'Căn cứ …' preamble of a full text, repeated
    unit = "Chỉ thị số 18-CT/TU, Kế hoạch số 134-KH/HU và Nghị quyết số 26/NQ-CP. "
    _assert_linear(lambda n: _repeat(unit, n), small=6_250, large=150_000)


def test_long_all_capitals_line():
    unit = "TỈNH ỦY BAN THƯỜNG VỤ "
    _assert_linear(lambda n: _repeat(unit, n), small=6_250, large=100_000)


def test_capitalised_names_without_end():
    # one endless run of capitalised words that are all place-name syllables (the places stage scans runs)
    unit = "Tân Phú Hòa Bình - An Giang "
    _assert_linear(lambda n: _repeat(unit, n))


def test_capital_then_long_whitespace():
    # a capital, a long gap that may or may not end in a hyphen and another capital: no backtracking
    _assert_linear(lambda n: _repeat("Gia" + " " * 5_000 + "-" + " \t" * 2_000 + "x ", n))


def _nested(depth: int) -> bytes:
    body = "Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai Chỉ thị số 18-CT/TU."
    return ("<html><body>" + "<p><span>" * depth + body + "</span></p>" * depth + "</body></html>").encode("utf-8")


def test_shallow_html_reads():
    src = reading.read_bytes(_nested(10), "page.html")
    assert "134-KH/HU" in src.text


def test_deeply_nested_html_reads():
    started = time.perf_counter()
    src = reading.read_bytes(_nested(20_000), "page.html")
    record = extract(src.text)
    assert time.perf_counter() - started < SECONDS_PER_MB * len(_nested(20_000)) / 1e6 + 5
    assert {r.code for r in record.references} == {"134-KH/HU", "18-CT/TU"}


def test_deeply_nested_html_finishes_without_crash():
    started = time.perf_counter()
    try:
        src = reading.read_bytes(_nested(20_000), "page.html")
        extract(src.text)
    except reading.IngestError as exc:  # a clean refusal is acceptable here; a crash is not
        assert str(exc)
    assert time.perf_counter() - started < 30


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắấầậéếềểệíịóọốồộớờợúụứừựýỵĐTUQCNKHBDV" + "0123456789" * 3 + "/-. " * 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=300))
def test_find_mentions_property(text):
    norm = normalize(text).text
    for m in find_mentions(norm):
        assert m.number in norm[m.start:m.end]
