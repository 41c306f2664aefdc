"""Small text helpers shared by the stages: folding for comparison and search."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Optional

import regex

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


# Per-character tables for str.translate, built once: precomposed letter →
# the letter without its tone mark (TONELESS), without any diacritic (PLAIN,
# đ → d), and its tone mark (TONE_OF). Translating keeps the length, so
# offsets into a folded copy are offsets into the original.
def _build_tables() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    toneless, plain, tone = {}, {}, {}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        parts = unicodedata.normalize("NFD", chr(code))
        if len(parts) < 2:
            continue
        marks = [c for c in parts[1:] if c in _TONES]
        kept = unicodedata.normalize("NFC", parts[0] + "".join(c for c in parts[1:] if c not in _TONES))
        if marks:
            toneless[code] = kept
            tone[code] = marks[0]
        plain[code] = parts[0]
    plain[ord("đ")], plain[ord("Đ")] = "d", "D"
    return toneless, plain, tone


TONELESS, PLAIN, TONE_OF = _build_tables()
_COMBINING_MARK = regex.compile(r"\p{M}")


def fold_tones_in_place(text: str) -> Optional[str]:
    """``fold_tones`` character by character, keeping every offset (spaces are
    not collapsed), or None where that cannot be done: a character whose lower
    case is longer, or a combining mark."""
    lowered = text.lower()
    if len(lowered) != len(text) or _COMBINING_MARK.search(text):
        return None
    return lowered.translate(TONELESS)


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


# --- the full-text index's fold: ASCII, one character at a time, with offsets -------------

@lru_cache(maxsize=65536)
def _fold_char(c: str) -> str:
    if c.isspace() or ord(c) < 32:
        return " "
    return fold_ascii(c)  # '' for a combining mark, usually one ASCII letter


class _FoldTable(dict):
    """str.translate table filled on demand: code point → folded string."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold_map(text: str) -> tuple[str, list[int]]:
    """The folded copy of `text` and, for each of its characters, the original offset.

    The returned list has one extra entry, ``len(text)``, so that an end offset maps too.
    """
    folded = text.translate(_TABLE)
    if all(len(_TABLE[ord(c)]) == 1 for c in set(text)):  # NFC Vietnamese: one for one
        return folded, list(range(len(text) + 1))
    offsets: list[int] = []
    for i, c in enumerate(text):
        offsets.extend([i] * len(_TABLE[ord(c)]))
    offsets.append(len(text))
    return folded, offsets


def _one_for_one(text: str) -> bool:
    """Every character of `text` folds to exactly one character (fold_map's offsets are 0, 1, 2…)."""
    table = _TABLE
    return all(len(table[ord(c)]) == 1 for c in set(text))


def fold_text(text: Optional[str]) -> Optional[str]:
    """The folded copy stored in the index (same as ``fold_map(text)[0]``)."""
    if text is None:
        return None
    return text.translate(_TABLE)
