"""Sentences: the one splitter every finder uses.

A sentence ends at . ! ? … before a capital, a number or a list marker, or at a line break —
unless the next line goes on in lower case. Clauses are the pieces of a sentence between
";", ":" and ". " (``clause_bounds``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

import regex

# A sentence ends at . ! ? before a capital, a number or a list marker, or at a line break —
# unless the next line goes on in lower case (hard-wrapped full texts).
_SENTENCE_END = regex.compile(r"(?<=[.!?…])[ \t]+(?=[\p{Lu}\d\-+•(\"'])|\n(?![ \t]*\p{Ll})")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def ends_sentence(text: str, pos: int) -> bool:
    """Whether ``sentences`` ends a sentence at ``pos`` (a line break not followed by lower case, …)."""
    return _SENTENCE_END.match(text, pos) is not None


def sentences(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[Sentence]:
    """Sentences of text[start:end], stripped, with their offsets (linear; no look-behind over words)."""
    end = len(text) if end is None else end
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        piece = text[pos:m.start()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            yield Sentence(piece.strip(), pos + lead, pos + lead + len(piece.strip()))
        pos = m.end()
    piece = text[pos:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        yield Sentence(piece.strip(), pos + lead, pos + lead + len(piece.strip()))


class SentenceAt:
    """The sentence of ``sentences(text)`` that holds an offset, for offsets asked in increasing order.

    Only the stretches of text that hold an asked offset are split, a stretch
    running from one sentence-ending line break to the next: the splitter
    starts afresh after such a break, so a stretch gives the same sentences
    alone as within the whole text. (Most of a document holds no number.)
    """

    def __init__(self, text: str):
        self.text = text
        self.stretch_end = 0  # offset of the line break that ends the stretch being split (or of the text's end)
        self.stretch: Iterator[Sentence] = iter(())
        self.sentence: Optional[Sentence] = None

    def __call__(self, offset: int) -> Sentence:
        text = self.text
        if offset >= self.stretch_end:
            newline = text.rfind("\n", self.stretch_end, offset)
            while newline >= 0 and not ends_sentence(text, newline):
                newline = text.rfind("\n", self.stretch_end, newline)
            start = newline + 1 if newline >= 0 else self.stretch_end
            newline = text.find("\n", offset)
            while newline >= 0 and not ends_sentence(text, newline):
                newline = text.find("\n", newline + 1)
            self.stretch_end = newline if newline >= 0 else len(text)
            self.stretch = sentences(text, start, self.stretch_end)
            self.sentence = next(self.stretch)
        while self.sentence.end <= offset:  # the offset is a digit: some sentence of the stretch holds it
            self.sentence = next(self.stretch)
        return self.sentence


_CLAUSE_BREAK = regex.compile(r"[;:]|\.(?=\s)|\n(?![ \t]*\p{Ll})")


def clause_bounds(text: str, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause of ``sentence`` that holds text[start:end]: from the last break before it to the first after."""
    left = sentence.start
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, start):
        left = m.end()
    right_m = _CLAUSE_BREAK.search(text, end, sentence.end)
    right = right_m.start() if right_m else sentence.end
    return left, right
