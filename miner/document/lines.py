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


def physical_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` (a line of markup only — ``***``, ``|---|`` — counts as blank)."""
    out = []
    blank = True
    pos = 0
    for raw in text.split("\n"):
        line_pos = pos
        pos += len(raw) + 1
        stripped = raw.strip()
        if stripped.strip("*_-=|#"):
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(line_pos + lead, line_pos + lead + len(stripped), stripped, blank))
            blank = False
        else:
            blank = True
    return out


# --- page furniture --------------------------------------------------------------------------

@dataclass(frozen=True)
class _FurnitureRules:
    running_header: list[regex.Pattern]
    running_header_anywhere: regex.Pattern  # the same patterns, unanchored, for one scan of a text
    stamp_start: list[regex.Pattern]
    stamp_line: list[regex.Pattern]
    page_number: regex.Pattern


@lru_cache(maxsize=1)
def _furniture_rules() -> _FurnitureRules:
    rows = rulebook.read_jsonl("page_furniture.jsonl")

    def patterns(role: str) -> list[regex.Pattern]:
        return [regex.compile(r["pattern"], regex.IGNORECASE) for r in rows if r["role"] == role]

    numbers = patterns("page_number")
    headers = patterns("running_header")
    anywhere = "|".join(f"(?:{p.pattern.removeprefix('^').removesuffix('$')})" for p in headers) or r"(?!)"
    return _FurnitureRules(headers, regex.compile(anywhere, regex.IGNORECASE),
                           patterns("stamp_start"), patterns("stamp_line"),
                           regex.compile("|".join(f"(?:{p.pattern})" for p in numbers) or r"(?!)", regex.IGNORECASE))


_DIGITS = regex.compile(r"\d+")


def _page_value(text: str) -> int:
    return int(_DIGITS.search(text).group())
RUNNING_HEADER_MIN = 3  # a line repeated this often beside page numbers is a running header
NEIGHBOURS = 2  # a page number stands this close (in non-blank lines) to its running header


def furniture(lines: list[Line], text: Optional[str] = None) -> list[bool]:
    """Which lines are page furniture: running headers and footers with their page numbers, and
    signature stamps. Known forms come from ``rules/page_furniture.jsonl``; any other short line
    repeated on at least three pages beside a page number is taken for a running header too."""
    rules = _furniture_rules()
    n = len(lines)
    marks = [False] * n
    # cheap tests first: a page number is a short line starting with a digit, "-" or "Trang"
    numbers = [i for i, ln in enumerate(lines) if len(ln.text) <= 12 and ln.text[:1] in _PAGE_NUMBER_FIRST
               and rules.page_number.fullmatch(ln.text)]
    is_number = set(numbers)
    headers = []
    if text is not None and rules.running_header_anywhere.search(text):  # one scan decides most texts
        headers = [i for i, ln in enumerate(lines) if len(ln.text) <= 120
                   and any(p.search(ln.text) for p in rules.running_header)]
    # generic running headers: the same short line (digits aside) again and again beside page numbers
    # that go up from one occurrence to the next (a table's cells are numbers too, but not pages)
    by_shape: dict[str, list[tuple[int, int]]] = {}
    for j in numbers:
        for i in (j - 1, j + 1):
            if 0 <= i < n and i not in is_number and len(lines[i].text) <= 100 and _HAS_LETTER.search(lines[i].text):
                by_shape.setdefault(_DIGITS.sub("#", lines[i].text), []).append((i, _page_value(lines[j].text)))
    for where in by_shape.values():
        where = sorted(set(where))
        pages = [page for _, page in where]
        if len(where) >= RUNNING_HEADER_MIN and all(a < b for a, b in zip(pages, pages[1:])):
            headers.extend(i for i, _ in where)
    for i in headers:
        marks[i] = True
        for j in range(max(0, i - NEIGHBOURS), min(n, i + NEIGHBOURS + 1)):
            if j in is_number:
                marks[j] = True
    for i, ln in enumerate(lines):
        if ":" in ln.text[:16] and any(p.match(ln.text) for p in rules.stamp_start):
            marks[i] = True
            j = i + 1
            while j < n and j <= i + 4 and any(p.match(lines[j].text) for p in rules.stamp_line):
                marks[j] = True
                j += 1
    return marks


_PAGE_NUMBER_FIRST = frozenset("0123456789-–Tt")
_HAS_DIGIT = regex.compile(r"\d")
_HAS_LETTER = regex.compile(r"\p{L}")


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


def _is_caps(text: str) -> bool:
    """Nine letters in ten are capitals (the first 40 characters decide most lines at once)."""
    if text.isupper():
        return True
    if sum(map(str.islower, text[:40])) > 4:
        return False
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


_ITEM_FIRST = frozenset("IVXLC0123456789(-+•–—*_ ĐđCcMmPpTt")


def continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on ``previous`` (both stripped, neither a table row; no blank line between them)."""
    if not previous:
        return False
    last = previous[-1]
    if last in _ENDS_SENTENCE:
        return False
    if last in "-–" and _CODE_PART.match(line):
        return True  # a code cut after its hyphen: "Số: 01/2022/TTLT-VKSNDTC-" / "TANDTC-BCA-BQP"
    first = line[:1]
    if (first in _ITEM_FIRST or (first.islower() and line[1:2] == ")")) and _STARTS_ITEM.match(line):
        # "kinh tế\n- xã hội": a wrapped hyphen, not a dash item
        return first in "-–" and line[1:2] == " " and line[2:3].islower() and bool(width) \
            and not (_is_caps(previous) and len(previous) < 200)
    if first.islower() or last in "-–," or _ends_in_running_word(previous, line) \
            or (width and len(previous) >= 0.8 * width and (last.isalnum() or last in ')"”')):
        return not (_is_caps(previous) and len(previous) < 200)  # headers, titles, headings: the blocks read them
    return False


def _ends_in_running_word(previous: str, line: str) -> bool:
    """The previous line ends in a word a phrase cannot end with, or that a number or a name continues."""
    words = previous.rsplit(None, 2)
    word = words[-1]
    if word.lower() in _phrase_words("cannot_end_phrase"):
        return True
    if line[:1].isdigit() and word.lower() in _phrase_words("before_number"):
        return True
    return len(words) > 1 and word in _phrase_words("name_head") and words[-2][:1].islower() and line[:1].isupper()


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
                 ) -> tuple[str, OffsetMap, list[Line], list[Line]]:
    """The text with page furniture dropped and wrapped lines joined, the map back, the physical
    lines of ``text`` (``furniture`` set) and the lines of the view (offsets in the view);
    ``cells`` are the table-cell separators of ``text``."""
    lines = physical_lines(text)
    rows = row_lines(lines, cells, tabs)
    marks = furniture(lines, text) if lines else []
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
    groups: list[list] = []  # [first line, last line, after_blank] of each line of the view
    for i, ln in enumerate(lines):
        if ln.furniture:
            page_break = previous is not None
            continue
        row = i in rows
        joined = False
        if previous is not None:
            blank = ln.after_blank and not page_break
            if not blank and not row and not previous_row and previous.text[-1] not in _ENDS_SENTENCE \
                    and continues(previous.text, ln.text, width):
                edits.append((previous.end, ln.start, " "))
                joined = True
            elif page_break:
                edits.append((previous.end, ln.start, "\n"))
        if joined:
            groups[-1][1] = ln
        else:
            groups.append([ln, ln, ln.after_blank and not page_break])
        previous, previous_row, page_break = ln, row, False
    if previous is not None and page_break:
        edits.append((previous.end, len(text), "\n"))
    if not edits:
        return text, OffsetMap([], len(text)), lines, lines
    parts = []
    pos = 0
    for start, end, replacement in edits:
        parts.append(text[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(text[pos:])
    view, view_map = "".join(parts), OffsetMap(edits, len(text))
    view_lines = []
    for first, last, after_blank in groups:
        start, end = view_map.to_view(first.start), view_map.to_view(last.end)
        view_lines.append(Line(start, end, view[start:end], after_blank))
    return view, view_map, lines, view_lines
