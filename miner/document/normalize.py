"""Normalize decoded text for the finders, keeping a map back to the original.

What changes: NFC composition; one tone-placement convention (``uỷ`` →
``ủy``, ``hoá`` → ``hóa``); ``Ð`` (U+00D0, Icelandic eth) → ``Đ``; dash
variants → ``-``; non-breaking and odd spaces → space; zero-width
characters and Markdown/table markup (``**``, ``__``, leading ``#``, ``|``,
backslash escapes) → spaces.

Every step but NFC composition replaces characters one for one, so the
offset map only records where composition shortened the text. Spans found
on the normalized text are mapped back with :meth:`NormalizedText.raw_span`.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

import regex

from miner.records import Span

# Old-style tone placement on the second vowel of an open "oa/oe/uy" syllable
# moves to the first vowel (the convention of the record contract). "qu" is a
# consonant cluster, so "quý" keeps its mark.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE = regex.compile(
    r"(?<![qQ])([oO])([àáảãạÀÁẢÃẠ])(?!\p{L})"
    r"|(?<![qQ])([oO])([èéẻẽẹÈÉẺẼẸ])(?!\p{L})"
    r"|(?<![qQ])([uU])([ỳýỷỹỵỲÝỶỸỴ])(?!\p{L})"
)

_ONE_FOR_ONE = {
    "\u00d0": "\u0110",  # Ð (eth) typed for Đ
    "\u00f0": "\u0111",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2007": " ", "\u2009": " ",
    "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ", "\u00ad": " ",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'",
    "|": " ",
}
# str.translate looks every character up; these characters are rare, so find them and replace only those.
_ONE_FOR_ONE_CHARS = regex.compile("[" + "".join(regex.escape(c) for c in _ONE_FOR_ONE) + "]")

_MARKUP = regex.compile(r"(?m)\*{2,}|_{2,}|^[ \t]*#{1,6}(?=\s)|\\(?=[-*_#.()\[\]>+!|`])|^[ \t]*>+(?=\s)")

_CELL = regex.compile(r"[|\t]")

# A base character followed by combining marks: the only places NFC changes.
_COMBINING_RUN = regex.compile(r"\P{M}\p{M}+")


def _move_tone(match: regex.Match) -> str:
    groups = [g for g in match.groups() if g is not None]
    first, second = groups
    decomposed = unicodedata.normalize("NFD", second)
    base = decomposed[0]
    marks = decomposed[1:]
    return unicodedata.normalize("NFC", first + marks) + base


def modern_tone_placement(text: str) -> str:
    """``hoá`` → ``hóa``, ``uỷ`` → ``ủy`` (same length, precomposed input)."""
    return _OLD_TONE.sub(_move_tone, text)


@dataclass
class NormalizedText:
    text: str
    raw: str
    # Offsets of table cell separators ("|" and tabs), which the text shows as spaces; tables are read from them.
    cells: tuple[int, ...] = ()
    tabs: frozenset[int] = frozenset()  # the separators that were tabs (one is enough for a row)
    # Piecewise-constant shift: at normalized offset _at[k] onwards, raw = norm + _shift[k].
    _at: list[int] = field(default_factory=list)
    _shift: list[int] = field(default_factory=list)

    def to_raw(self, offset: int) -> int:
        k = bisect.bisect_right(self._at, offset) - 1
        return offset + (self._shift[k] if k >= 0 else 0)

    def raw_span(self, start: int, end: int) -> Span:
        # to_raw(end), not to_raw(end - 1) + 1: a composed last letter ends after its combining marks
        return Span(self.to_raw(start), self.to_raw(end))


def _compose(raw: str) -> tuple[str, list[int], list[int]]:
    if unicodedata.is_normalized("NFC", raw):
        return raw, [], []
    out: list[str] = []
    at: list[int] = []
    shift: list[int] = []
    pos = 0
    delta = 0
    for m in _COMBINING_RUN.finditer(raw):
        out.append(raw[pos:m.start()])
        composed = unicodedata.normalize("NFC", m.group())
        out.append(composed)
        removed = len(m.group()) - len(composed)
        if removed:
            delta += removed
            norm_end = m.start() - (delta - removed) + len(composed)
            # characters of the composed run map to its start; after it, shift by delta
            at.append(norm_end)
            shift.append(delta)
        pos = m.end()
    out.append(raw[pos:])
    text = "".join(out)
    # Precomposed singletons (e.g. U+212B) can still differ; a final NFC pass is length-checked.
    final = unicodedata.normalize("NFC", text)
    return (final if len(final) == len(text) else text), at, shift


def normalize(raw: str) -> NormalizedText:
    text, at, shift = _compose(raw)
    cells = tuple(m.start() for m in _CELL.finditer(text)) if ("|" in text or "\t" in text) else ()
    tabs = frozenset(c for c in cells if text[c] == "\t")
    text = _ONE_FOR_ONE_CHARS.sub(lambda m: _ONE_FOR_ONE[m.group()], text)
    text = _MARKUP.sub(lambda m: " " * len(m.group()), text)
    text = modern_tone_placement(text)
    return NormalizedText(text=text, raw=raw, cells=cells, tabs=tabs, _at=at, _shift=shift)


def normalize_name(text: str) -> str:
    """Normalize a short string (a name, a title) and collapse its spaces."""
    return " ".join(normalize(text).text.split())
