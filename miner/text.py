"""Small text helpers shared by the stages: folding for comparison and search."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def fold_tones(text: str) -> str:
    """Lower case, tone marks dropped, spaces collapsed (cached for the short strings rules compare)."""
    return _fold_tones_cached(text) if len(text) <= 64 else _fold_tones(text)


@lru_cache(maxsize=65536)
def _fold_tones_cached(text: str) -> str:
    return _fold_tones(text)


def _fold_tones(text: str) -> str:
    """Lower case, tone marks dropped, spaces collapsed ('Tỉnh uỷ' == 'tinh uy' minus vowel marks).

    Keeps the vowel shapes (â, ơ, ư) and đ, as the scorer does: 'Đắk' == 'Đăk'.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if c not in _TONES)
    return " ".join(unicodedata.normalize("NFC", kept).split())


def fold_ascii(text: str) -> str:
    """Lower case ASCII skeleton: all diacritics dropped and đ → d ('Chỉ thị' → 'chi thi')."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def is_upper_line(line: str) -> bool:
    """True for a line whose letters are (almost) all capitals: banners, slogans, full-text headings."""
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 4:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.9
