"""How Vietnamese a decoding reads: the share of Vietnamese letters and well-formed syllables, which decides between candidate encodings."""
from __future__ import annotations

import re
import unicodedata

# Encodings are judged on the first SAMPLE_CHARS characters: viparse's
# detection costs about 3 s per MB, and a document does not switch encoding.
SAMPLE_CHARS = 100_000

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
_VIET_VOWELS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in _VOWELS + _VOWELS.upper()
    for tone in ("",) + tuple(_TONES)
)
_VIET_LETTERS = _VIET_VOWELS | frozenset("đĐ") | frozenset("bcdghklmnpqrstvxfjwz" + "bcdghklmnpqrstvxfjwz".upper())
_VOWEL_CLASS = "".join(sorted(v for v in _VIET_VOWELS if v.islower()))
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWEL_CLASS}]{{1,3}}(?:ch|nh|ng|[cmnptk])?"
)
_CONSONANTS = frozenset("bcdđghklmnpqrstvxfjwz")
_WORD = re.compile(r"[^\W\d_]+")
# Non-ASCII characters common in any Unicode text, which say nothing either way.
_NEUTRAL = frozenset("“”‘’–—…•«»°×€\u00a0\u200b\ufeff")


def vietnamese_score(text: str) -> float:
    """How Vietnamese ``text`` (NFC) reads, 0..1: the share of non-ASCII
    characters that are Vietnamese letters, times the share of words with
    non-ASCII letters that are well-formed Vietnamese syllables."""
    significant = [ch for ch in text if ord(ch) > 0x7F and ch not in _NEUTRAL and not ch.isspace()]
    if not significant:
        return 1.0
    letter_share = sum(1 for ch in significant if ch in _VIET_LETTERS) / len(significant)
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    valid = sum(1 for w in words if _is_syllable(w))
    return letter_share * valid / len(words)


def _is_syllable(word: str) -> bool:
    lower = word.lower()
    if word.isupper() and all(ch in _CONSONANTS for ch in lower):
        return True  # an abbreviation such as "QĐ", "HĐND"
    if not _SYLLABLE.fullmatch(lower):
        return False
    tones = sum(1 for ch in unicodedata.normalize("NFD", lower) if ch in _TONES)
    return tones <= 1
