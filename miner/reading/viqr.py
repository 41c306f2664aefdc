"""VIQR (Vietnamese in plain ASCII: "Vie^.t Nam", "d9i.a phu+o+ng") converted to Unicode.

RFC 1456 mnemonics: a( ă, a^ â, e^ ê, o^ ô, o+ (o*) ơ, u+ (u*) ư, dd / d9 / d- đ; tones after the
vowel: ' sắc, ` huyền, ? hỏi, ~ ngã, . nặng; a backslash makes the next mark literal. A document is
treated as VIQR only when it is (almost) pure ASCII and a high share of its words carry marks in
places that make valid Vietnamese syllables; only the words that parse as such syllables are
converted, so URLs, codes and English stay as they are.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from miner.reading.vietnamese import SAMPLE_CHARS, _is_syllable

_VIQR_SHAPES = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô",
                ("o", "+"): "ơ", ("o", "*"): "ơ", ("u", "+"): "ư", ("u", "*"): "ư"}
_VIQR_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_SYLLABLE = re.compile(
    r"(?<![A-Za-z0-9\\])"
    r"(?P<onset>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|dd|d9|d-|[bcdghklmnpqrstvx])?"
    r"(?P<nucleus>(?:[aeiouy](?:[(^+*][`'?~.]?|[`'?~.][(^+*]?)?){1,3})"
    r"(?P<coda>ch|nh|ng|[cmnpt])?"
    r"(?![A-Za-z0-9(^+*])",
    re.I,
)
_VIQR_VOWEL_UNIT = re.compile(r"([aeiouy])([(^+*`'?~.]{0,2})", re.I)
# All-capital abbreviations with Đ: "QDD", "HDDND", "QD9", "QDd".
_VIQR_ABBREVIATION = re.compile(r"(?<![A-Za-z0-9])[B-DF-HJ-NP-TV-Z]*D[Dd9][B-DF-HJ-NP-TV-Z]*(?![A-Za-z0-9])")
_VIQR_ESCAPE = re.compile(r"\\([(^+*`'?~.\-9])")
# Enough evidence: marked syllables among words, and a minimum count.
VIQR_MIN_SHARE = 0.25
VIQR_MIN_WORDS = 4
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _viqr_syllable(match: re.Match, text: str) -> Optional[tuple[str, bool]]:
    """(Unicode syllable, carries a mark) for a VIQR syllable match, or None
    if the marks do not make a valid Vietnamese syllable. A final '.' or '?'
    before the end of a line, an upper-case word or punctuation is the
    sentence's punctuation, not a tone; the caller keeps it."""
    onset = match["onset"] or ""
    nucleus = match["nucleus"]
    coda = match["coda"] or ""
    marked = False
    if onset.lower() in ("dd", "d9", "d-"):
        onset = "Đ" if onset[0] == "D" else "đ"
        marked = True
    units = _VIQR_VOWEL_UNIT.findall(nucleus)
    if "".join(v + m for v, m in units) != nucleus:
        return None
    out = []
    tones = 0
    for vowel, marks in units:
        letter = vowel
        tone = ""
        for mark in marks:
            if mark in _VIQR_TONES:
                if tone:
                    return None
                tone = _VIQR_TONES[mark]
                tones += 1
            else:
                shaped = _VIQR_SHAPES.get((vowel.lower(), mark))
                if shaped is None or letter != vowel:
                    return None
                letter = shaped.upper() if vowel.isupper() else shaped
        if marks:
            marked = True
        out.append(letter + tone)
    if tones > 1:
        return None
    word = unicodedata.normalize("NFC", onset + "".join(out) + coda)
    if not _is_syllable(word):
        return None
    return word, marked


def _final_mark_is_punctuation(text: str, match: re.Match) -> bool:
    """A word-final '.' or '?' after a vowel ('hoa.', 'sao?') is ambiguous.
    It is punctuation before the end of the text or line and before another
    '.', '!' or '?' (not before a comma or bracket: "bo^.," is "bộ,"); a '.' is also punctuation before an upper-case word unless
    the word itself is capitalised ("Bo^. No^.i vu." is "Bộ Nội vụ", a name);
    otherwise it is a tone ("cu?a Bo^.", "So+? Tu+ pha'p")."""
    if match["coda"] or match["nucleus"][-1] not in ".?":
        return False
    rest = text[match.end():match.end() + 3]
    if not rest or rest[0] in "\n\r!?.":
        return True
    stripped = rest.lstrip(" \t")
    if not stripped or stripped[0] in "\n\r":
        return True
    if match["nucleus"][-1] == "." and stripped[0].isupper():
        return not match.group()[0].isupper()
    return False


def _viqr_convert_match(match: re.Match, text: str) -> Optional[str]:
    if _final_mark_is_punctuation(text, match):
        head = match.group()[:-1]
        inner = _VIQR_SYLLABLE.fullmatch(head)
        if inner is None:
            return None
        converted = _viqr_syllable(inner, head)
        return converted[0] + match.group()[-1] if converted else None
    converted = _viqr_syllable(match, text)
    return converted[0] if converted else None


def viqr_share(text: str) -> tuple[int, int]:
    """(words carrying VIQR marks that form valid syllables, all words) in ``text``.

    Marks that could be punctuation (a word-final '.' or '?') do not count."""
    words = len(_ASCII_WORD.findall(text))
    marked = 0
    for match in _VIQR_SYLLABLE.finditer(text):
        if _final_mark_is_punctuation(text, match):
            continue
        converted = _viqr_syllable(match, text)
        if converted and converted[1]:
            marked += 1
    return marked, words


def looks_like_viqr(text: str) -> bool:
    """Clearly VIQR: ASCII text where ≥ VIQR_MIN_SHARE of the words are
    marked Vietnamese syllables (plain English, URLs and code are not)."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return False
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if non_ascii > 0.01 * len(sample):
        return False
    if not re.search(r"[A-Za-z][(^+*`'?~.][A-Za-z]|[a-zA-Z][(^+*]", sample):
        return False  # no mark inside a word: nothing VIQR-specific
    marked, words = viqr_share(sample)
    return marked >= VIQR_MIN_WORDS and marked >= VIQR_MIN_SHARE * words


def viqr_to_unicode(text: str) -> str:
    """Convert VIQR text to NFC Unicode; words that are not valid marked
    syllables (URLs, codes, English) are left as written."""

    def syllable(match: re.Match) -> str:
        converted = _viqr_convert_match(match, text)
        return match.group() if converted is None else converted

    def abbreviation(match: re.Match) -> str:
        return re.sub(r"D[Dd9]", "Đ", match.group())

    out = _VIQR_SYLLABLE.sub(syllable, text)
    out = _VIQR_ABBREVIATION.sub(abbreviation, out)
    out = _VIQR_ESCAPE.sub(r"\1", out)
    return unicodedata.normalize("NFC", out)


def _fix_viqr(text: str, encoding: str) -> tuple[str, str, list[str]]:
    if not looks_like_viqr(text):
        return text, encoding, []
    return viqr_to_unicode(text), f"{encoding}+viqr", ["text was written in VIQR (ASCII Vietnamese); converted to Unicode"]
