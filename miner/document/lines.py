"""Lines: the physical lines of a normalized text, its page furniture, and its logical lines.

Text layers of PDFs (the Official Gazette, scanned plans) are hard-wrapped: a sentence, a
code ("18-" / "CT/TU"), a date ("ngày" / "01/4/2015") or a name ("của Bộ" / "Chính trị")
runs over line ends, and every page brings a running header ("CÔNG BÁO/Số 252/Ngày
27-04-2026"), a page number and, in signed copies, a signature stamp ("Ký bởi: …").

:func:`logical_view` gives the text the finders read: page furniture dropped and every
wrapped line joined to the line it continues, with a single space. Nothing else changes —
a text with neither wrapped lines nor furniture comes back as it is — and :class:`OffsetMap`
maps every offset of the view back into the text it came from.

A line continues the previous one when no blank line separates them, neither is a table
row, it does not start a list item or heading, and the previous line does not end a
sentence; and then when it starts in lower case, or the previous line ends in a word that
cannot end a phrase ("của", "ngày", "số", a hyphen …), or — in a hard-wrapped text — the
previous line runs to the wrap width. All-capitals lines (headers, titles, headings) are
not joined here: the blocks (``miner.document.blocks``) read them as units.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex

from miner import rulebook


@dataclass(frozen=True, slots=True)
class Line:
    """A physical line: the offsets of its stripped content in the text, and that content."""
    start: int
    end: int
    text: str  # stripped (inner spaces as written)
    after_blank: bool  # a blank line (or the start of the text) comes before it
    furniture: bool = False


def iter_raw_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line of ``text`` (as ``text.split("\\n")``), one at a time."""
    pos = 0
    while (newline := text.find("\n", pos)) >= 0:
        yield pos, text[pos:newline]
        pos = newline + 1
    yield pos, text[pos:]


def physical_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` (a line of markup only — ``***``, ``|---|`` — counts as blank)."""
    out = []
    blank = True
    for pos, raw in iter_raw_lines(text):
        stripped = raw.strip()
        if stripped.strip("*_-=|#"):
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped, blank))
            blank = False
        else:
            blank = True
    return out


# --- page furniture --------------------------------------------------------------------------

@dataclass(frozen=True)
class _FurnitureRules:
    running_header: list[regex.Pattern]
    stamp_start: list[regex.Pattern]
    stamp_line: list[regex.Pattern]
    page_number: regex.Pattern


@lru_cache(maxsize=1)
def _furniture_rules() -> _FurnitureRules:
    rows = rulebook.read_jsonl("page_furniture.jsonl")

    def patterns(role: str) -> list[regex.Pattern]:
        return [regex.compile(r["pattern"], regex.IGNORECASE) for r in rows if r["role"] == role]

    numbers = patterns("page_number")
    return _FurnitureRules(patterns("running_header"), patterns("stamp_start"), patterns("stamp_line"),
                           regex.compile("|".join(f"(?:{p.pattern})" for p in numbers) or r"(?!)", regex.IGNORECASE))


_DIGITS = regex.compile(r"\d+")


def _page_value(text: str) -> int:
    return int(_DIGITS.search(text).group())
RUNNING_HEADER_MIN = 3  # a line repeated this often beside page numbers is a running header
NEIGHBOURS = 2  # a page number stands this close (in non-blank lines) to its running header


def furniture(lines: list[Line]) -> list[bool]:
    """Which lines are page furniture: running headers and footers with their page numbers, and
    signature stamps. Known forms come from ``rules/page_furniture.jsonl``; any other short line
    repeated on at least three pages beside a page number is taken for a running header too."""
    rules = _furniture_rules()
    marks = [False] * len(lines)
    is_number = [bool(rules.page_number.fullmatch(ln.text)) for ln in lines]
    headers = [i for i, ln in enumerate(lines)
               if len(ln.text) <= 120 and any(p.search(ln.text) for p in rules.running_header)]
    # generic running headers: the same short line (digits aside) again and again beside page numbers
    # that go up from one occurrence to the next (a table's cells are numbers too, but not pages)
    by_shape: dict[str, list[tuple[int, int]]] = {}
    for i, ln in enumerate(lines):
        if not is_number[i] and len(ln.text) <= 100 and any(c.isalpha() for c in ln.text):
            page = next((_page_value(lines[j].text) for j in (i - 1, i + 1)
                         if 0 <= j < len(lines) and is_number[j]), None)
            if page is not None:
                by_shape.setdefault(_DIGITS.sub("#", ln.text), []).append((i, page))
    for where in by_shape.values():
        pages = [page for _, page in where]
        if len(where) >= RUNNING_HEADER_MIN and all(a < b for a, b in zip(pages, pages[1:])):
            headers.extend(i for i, _ in where)
    for i in headers:
        marks[i] = True
        for j in range(max(0, i - NEIGHBOURS), min(len(lines), i + NEIGHBOURS + 1)):
            if is_number[j]:
                marks[j] = True
    for i, ln in enumerate(lines):
        if any(p.match(ln.text) for p in rules.stamp_start):
            marks[i] = True
            j = i + 1
            while j < len(lines) and j <= i + 4 and any(p.match(lines[j].text) for p in rules.stamp_line):
                marks[j] = True
                j += 1
    return marks


# --- joining wrapped lines -------------------------------------------------------------------

# a list item or heading starts the line: it never continues the previous one
_STARTS_ITEM = regex.compile(
    r"[*_ ]*(?:[IVXLC]{1,6}\s*[.)\-]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|\(\d{1,2}\)|\(?[a-zđ]\)\s|[-+•–—*]\s"
    r"|(?:điều|chương|mục|phần|phụ\s+lục)\s+(?:\d+|[IVXLC]+|thứ)\b|thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b)",
    regex.IGNORECASE)
_ENDS_SENTENCE = frozenset(".:;!?…")
_CODE_PART = regex.compile(r"[A-ZĐ0-9][A-Za-zĐđƯư0-9]{0,11}(?:[-/]|\s|$)")


@lru_cache(maxsize=None)
def _phrase_words(role: str) -> frozenset[str]:
    """The words of one role in ``rules/phrase_words.jsonl``, as written (tones matter: "từ" ≠ "tử")."""
    return frozenset(w for r in rulebook.read_jsonl("phrase_words.jsonl") if r["role"] == role for w in r["words"])


MIN_WRAP_WIDTH = 50  # a page of prose is wider than this; a column of table cells is not
_LAST_WORDS = regex.compile(r"(?:^|\s)(?:(\S+)\s+)?(\S+)$")


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def row_lines(lines: list[Line], cells: tuple[int, ...], tabs: frozenset[int]) -> set[int]:
    """The indices of the lines that are table rows: two cell separators or more, or a tab."""
    rows = set()
    if not cells:
        return rows
    for i, ln in enumerate(lines):
        k = bisect.bisect_left(cells, ln.start)
        j = bisect.bisect_left(cells, ln.end + 1, k)
        if j - k >= 2 or (j > k and any(c in tabs for c in cells[k:j])):
            rows.add(i)
    return rows


def wrap_width(lines: list[Line]) -> int:
    """The width a hard-wrapped text is wrapped at (0 for a text with one paragraph a line):
    in such a text many lines go on in lower case, and their predecessors give the width."""
    body = [ln.text for ln in lines if not ln.furniture]
    widths = sorted(len(a) for a, b in zip(body, body[1:]) if b[:1].islower())
    if len(body) < 10 or len(widths) < 0.15 * len(body):
        return 0
    width = widths[int(len(widths) * 0.9)]
    return width if width >= MIN_WRAP_WIDTH else 0  # short lines going on in lower case: table cells, not prose


def continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on ``previous`` (both stripped, neither a table row; no blank line between them)."""
    if not previous or previous[-1] in _ENDS_SENTENCE:
        return False
    if previous[-1] in "-–" and _CODE_PART.match(line):
        return True  # a code cut after its hyphen: "Số: 01/2022/TTLT-VKSNDTC-" / "TANDTC-BCA-BQP"
    if _is_caps(previous) and len(previous) < 200:
        return False
    starts_item = _STARTS_ITEM.match(line)
    if starts_item:
        # "kinh tế\n- xã hội": a wrapped hyphen, not a dash item
        return line[:1] in "-–" and line[1:2] == " " and line[2:3].islower() and bool(width)
    if line[:1].islower():
        return True
    if previous[-1] in "-–" or previous.endswith(","):
        return True
    last = _LAST_WORDS.search(previous)
    if last:
        before, word = last.group(1) or "", last.group(2)
        if word.lower() in _phrase_words("cannot_end_phrase"):
            return True
        if word.lower() in _phrase_words("before_number") and line[:1].isdigit():
            return True
        if word in _phrase_words("name_head") and before[:1].islower() and line[:1].isupper():
            return True
    return bool(width) and len(previous) >= 0.8 * width and (previous[-1].isalnum() or previous[-1] in ')"”')


# --- the logical view ------------------------------------------------------------------------

class OffsetMap:
    """Offsets of a text made by replacing some stretches of another (``edits``) back into that other.

    ``edits`` are (start, end, replacement) in the source text, sorted and not overlapping; an offset
    inside a replacement maps to the start of the stretch it replaced.
    """

    __slots__ = ("_view_starts", "_source_starts", "_lengths")

    def __init__(self, edits: list[tuple[int, int, str]], source_length: int):
        view_starts, source_starts, lengths = [], [], []
        view = source = 0
        for start, end, replacement in edits:
            view_starts.append(view)
            source_starts.append(source)
            lengths.append(start - source)
            view += start - source + len(replacement)
            source = end
        view_starts.append(view)
        source_starts.append(source)
        lengths.append(source_length - source)
        self._view_starts, self._source_starts, self._lengths = view_starts, source_starts, lengths

    @property
    def identity(self) -> bool:
        return len(self._lengths) == 1

    def to_source(self, offset: int) -> int:
        k = bisect.bisect_right(self._view_starts, offset) - 1
        if k < 0:
            return offset
        return self._source_starts[k] + min(offset - self._view_starts[k], self._lengths[k])

    def to_view(self, offset: int) -> Optional[int]:
        """The view offset of a source offset, None when the source character was replaced."""
        k = bisect.bisect_right(self._source_starts, offset) - 1
        if k < 0:
            return offset
        inside = offset - self._source_starts[k]
        return self._view_starts[k] + inside if inside <= self._lengths[k] else None


def logical_view(text: str, cells: tuple[int, ...] = (), tabs: frozenset[int] = frozenset()
                 ) -> tuple[str, OffsetMap, list[Line]]:
    """The text with page furniture dropped and wrapped lines joined, the map back, and the
    physical lines (``furniture`` set) of ``text``; ``cells`` are its table-cell separators."""
    lines = physical_lines(text)
    rows = row_lines(lines, cells, tabs)
    marks = furniture(lines) if lines else []
    if any(marks):
        lines = [Line(ln.start, ln.end, ln.text, ln.after_blank, True) if m else ln for ln, m in zip(lines, marks)]
    width = wrap_width(lines)
    edits: list[tuple[int, int, str]] = []
    previous: Optional[Line] = None
    previous_row = False
    page_break = False  # furniture between `previous` and the next content line
    first = next((i for i, ln in enumerate(lines) if not ln.furniture), None)
    if first is not None and first > 0:
        edits.append((0, lines[first].start, ""))  # furniture before the first content line
    for i, ln in enumerate(lines):
        if ln.furniture:
            page_break = previous is not None
            continue
        row = i in rows
        if previous is not None:
            blank = ln.after_blank and not page_break
            if not blank and not row and not previous_row and continues(previous.text, ln.text, width):
                edits.append((previous.end, ln.start, " "))
            elif page_break:
                edits.append((previous.end, ln.start, "\n"))
        previous, previous_row, page_break = ln, row, False
    if previous is not None and page_break:
        edits.append((previous.end, len(text), "\n"))
    if not edits:
        return text, OffsetMap([], len(text)), lines
    parts = []
    pos = 0
    for start, end, replacement in edits:
        parts.append(text[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(edits, len(text)), lines
