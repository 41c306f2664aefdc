"""Blocks: the paragraphs, list items, headings and table rows of a document's logical text.

A block is a paragraph of the logical view (``miner.document.lines``): one line, or several
joined where a heading in capitals runs over lines or a marker stands alone on its line. Each
block knows its list marker ("I.", "1.", "1.1.", "(1)", "1)", "a)", "(a)", "-", "+", "•"), the
legal division it opens ("Phần", "Chương", "Mục", "Điều"), whether it is a heading, and the
heading that governs it — so a finder can ask what section a number stands in ("Mục tiêu đến
năm 2030", "Kết quả thực hiện") and read the deadline or period a heading sets.

Nesting, from the outside in: part, chapter, section, roman numeral, article, "1.", "(1)",
"1.1.", "1)", "a)", "-", "+"; an unmarked heading in capitals or bold ranks with the roman
numerals. A heading closes the headings of its rank and below; a block's parent is the
innermost heading still open before it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Optional

import regex

from miner.document.lines import Line

# --- list markers ----------------------------------------------------------------------------

# (style, nesting rank, pattern): every pattern ends in a look-ahead for the content, so a match
# ends where the content starts
MARKERS = [
    ("roman", 0.0, r"(?:[IVX]{1,5})\s*[.\-–)]\s*(?=\p{Lu})"),
    ("num2", 1.2, r"\d{1,2}\.\d{1,2}\.(?:\d{1,2}\.)?\s+(?=\p{L})"),
    ("num", 1.0, r"\d{1,2}\.\s+(?=\p{L})"),
    ("pnum", 1.5, r"\(\d{1,2}\)\s*(?=\p{L})"),
    ("num)", 2.0, r"\d{1,2}\)\s+(?=\p{L})"),
    ("alpha", 3.0, r"[a-zđ]\)\s*(?=\p{L})"),
    ("palpha", 3.0, r"\([a-zđ]\)\s*(?=\p{L})"),
    ("dash", 4.0, r"[-–—•]\s*(?=[\p{L}\d\"“(])"),
    ("plus", 5.0, r"\+\s*(?=[\p{L}\d\"“(])"),
]
# a Markdown bullet: a star and a space ("*   Quán triệt …"); emphasis never has a space after its star
_STAR_BULLET = regex.compile(r"\*[ \t]+(?=[\p{L}\d\"“(])")
MARKER_RANK = {name: rank for name, rank, _ in MARKERS}
MARKER_RANK["star"] = 4.0
_MARKER_NAMES = [name for name, _, _ in MARKERS]
_MARKER = regex.compile(r"[*_ ]*+(?:" + "|".join(f"({pattern})" for _, _, pattern in MARKERS) + ")")
# the ASCII characters _MARKER can start with (a lower-case letter only followed by ")")
_MARKER_ASCII_FIRST = frozenset("*_ IVX0123456789(abcdefghijklmnopqrstuvwxyz-+")

# legal divisions that open a block: "Phần thứ nhất", "Chương II", "Mục 1", "Điều 5."
DIVISION = regex.compile(
    r"[*_ ]*(?P<word>phần|chương|mục|điều)\s+(?:\d{1,3}[a-zđ]?\b|[IVXLC]{1,7}\b|thứ\s+\p{L}+)(?:\s*[.:\-–]|\s*$|\s+(?=\p{L}))",
    regex.IGNORECASE)
DIVISION_OF = {"phần": "part", "chương": "chapter", "mục": "section", "điều": "article"}
DIVISION_FIRST = frozenset("PpCcMmĐđ*_ ")

# heading ranks (smaller is outer); list-marker styles ride between roman numerals and dashes
HEADING_RANK = {"part": 0.0, "chapter": 1.0, "section": 2.0, "roman": 3.0, "caps": 3.0, "article": 4.0,
                "bold": 4.5, "num": 5.0, "pnum": 5.5, "num2": 6.0, "num)": 6.5, "alpha": 7.0, "palpha": 7.0,
                "dash": 8.0, "star": 8.0, "plus": 9.0, "colon": 9.5}
# unmarked headings rank just inside the heading they follow ("I. MỤC TIÊU" / "Mục tiêu cụ thể đến năm
# 2025:" / "1. …"), after closing an earlier heading of their own style
RELATIVE = frozenset(("caps", "bold", "colon"))


def marker_at(text: str, pos: int) -> tuple[Optional[str], int]:
    """The list-marker style at ``pos`` (after stars/underscores) and the offset of the content."""
    first = text[pos:pos + 1]
    if first.isascii() and (first not in _MARKER_ASCII_FIRST
                            or first.islower() and text[pos + 1:pos + 2] != ")"):
        return None, pos  # most lines: told without running the regex, which costs more
    m = _MARKER.match(text, pos)
    if m:
        return _MARKER_NAMES[m.lastindex - 1], m.end()
    if first == "*" and (star := _STAR_BULLET.match(text, pos)):
        return "star", star.end()
    return None, pos


def is_caps(s: str) -> bool:
    """Nine letters in ten (of at least three) are capitals."""
    if sum(map(str.islower, s[:40])) > 4:
        return False  # most lines, told from their start
    letters = list(filter(str.isalpha, s))
    return len(letters) >= 3 and sum(map(str.isupper, letters)) / len(letters) >= 0.9


# --- blocks ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Block:
    start: int  # offset of the block (marker included) in the document's text
    end: int
    body: int  # offset of the content after the marker
    marker: Optional[str]  # list-marker style or None
    after_blank: bool
    kind: str = "paragraph"  # paragraph | item | heading | table_row | header | title | closing
    division: Optional[str] = None  # part | chapter | section | article
    style: Optional[str] = None  # what makes it a heading or item: a division, a marker, caps, bold, a colon
    rank: Optional[float] = None  # nesting rank of a heading or item (HEADING_RANK)
    parent: Optional[int] = None  # index of the heading that governs this block
    bold: bool = False
    _content: Optional[str] = field(default=None, repr=False)

    def content(self, text: str) -> str:
        """The text after the marker, spaces collapsed (kept: rules ask for it again and again)."""
        if self._content is None:
            self._content = " ".join(text[self.body:self.end].split())
        return self._content


def _wrap_width(lines: list[str]) -> int:
    body = [ln for ln in (x.strip(" *_") for x in lines) if ln]
    widths = sorted([len(a) for a, b in zip(body, body[1:]) if b[0].islower()])
    if len(body) < 10 or len(widths) < 0.15 * len(body):
        return 0
    return widths[int(len(widths) * 0.9)]


def _continues(last: str, line: str, long_line: int) -> bool:
    """Whether an unmarked line goes on the previous one (both stripped of stars and underscores)."""
    if not last or last[-1] in ".:!?…" or line.endswith("?"):
        return False
    if line[:1].islower():
        return True
    return last[-1] != ";" and (
        (len(last) >= long_line and (last[-1].isalnum() or last[-1] in ",)\"”"))
        or (is_caps(last) and is_caps(line)))


def paragraphs(text: str, lines: list[Line], cells: tuple[int, ...] = ()) -> list[Block]:
    """Paragraphs: ``lines`` (the non-blank lines of ``text``) joined where a line goes on the previous
    one (no end punctuation, no marker); a line with table-cell separators (``cells``) is never joined."""
    out: list[Block] = []
    prev_row = False
    prev_line = ""
    width = _wrap_width([ln.text for ln in lines])
    wrapped = width > 0
    long_line = int(width * 0.8) if wrapped else 60
    blank = True
    for ln in lines:
        stripped = ln.text
        if not stripped.strip("*_-=|#. ") and stripped not in ("...", "…"):
            blank = True
            continue
        blank = blank or ln.after_blank
        line_start, line_end = ln.start, ln.end
        marker, body = marker_at(text, line_start)
        if wrapped and marker in ("dash", "star", "plus") and text[body:body + 1].islower():
            marker, body = None, line_start  # "kinh tế\n- xã hội": a wrapped dash, not an item
        row = bool(cells) and _has_cell(cells, line_start, line_end)
        if out and not blank and marker is None and not row and not prev_row and (
                out[-1].body >= line_start  # a marker alone on its line ("1.\nCông tác …")
                or _continues(prev_line.rstrip("*_ "), stripped.strip("*_ "), long_line)) \
                and not DIVISION.match(text, line_start, line_end):
            out[-1].end = line_end
            if out[-1].body > out[-1].end:
                out[-1].body = line_start
        else:
            out.append(Block(line_start, line_end, body, marker, blank))
        prev_line = stripped
        prev_row = row
        blank = False
    return out


def _has_cell(cells: tuple[int, ...], start: int, end: int) -> bool:
    k = bisect_left(cells, start)
    return k < len(cells) and cells[k] < end


# --- kinds and nesting -------------------------------------------------------------------------

_SENTENCE_INSIDE = regex.compile(r"[.;!?](?:\s+\S|$)")
HEADING_CHARS = 160  # a heading is a label, not a paragraph


def _is_bold(raw: str, start: int, end: int) -> bool:
    """The raw text has ``**``/``__`` (Markdown bold, which normalization blanks) just before
    ``start`` and just after ``end`` (raw offsets of a block)."""
    return raw[max(0, start - 2):start] in ("**", "__") and raw[end:end + 2] in ("**", "__")


def classify(text: str, blocks: list[Block], raw_of=None, table_rows: frozenset[int] = frozenset()) -> None:
    """Set each block's kind, division, rank and parent (``raw_of(start, end)`` gives the raw span,
    for Markdown bold; ``table_rows`` are the indices of blocks that are rows of a table)."""
    stack: list[int] = []  # open headings, outermost first
    for i, b in enumerate(blocks):
        if i in table_rows:
            b.kind = "table_row"
            b.parent = stack[-1] if stack else None
            continue
        content = b.content(text)
        division = DIVISION.match(text, b.start, b.end) if b.marker is None and text[b.body:b.body + 1] in DIVISION_FIRST \
            else None
        if raw_of is not None:
            span = raw_of(b.start, b.end)
            b.bold = span is not None and _is_bold(*span)
        short = len(content) <= HEADING_CHARS and not _SENTENCE_INSIDE.search(content.rstrip(" *_:"))
        style = None
        if division:
            b.division = DIVISION_OF[division["word"].lower()]
            style = b.division
            heading = b.division != "article" or short or len(content) <= 200
        elif b.marker:
            style = b.marker
            heading = short and (content.endswith(":") or is_caps(content) or b.bold
                                 or not content.rstrip(" *_").endswith((".", ";", ",")))
            heading = heading and b.marker not in ("dash", "star", "plus") or (b.bold and short)
        else:
            caps = is_caps(content) and len(content) < 200
            style = "caps" if caps else "bold" if b.bold and short else "colon" if short and content.endswith(":") else None
            heading = style is not None
        b.style = style
        if style in RELATIVE:
            while stack and blocks[stack[-1]].style == style:
                stack.pop()
            b.rank = blocks[stack[-1]].rank + 0.01 if stack else HEADING_RANK[style]
        else:
            b.rank = HEADING_RANK.get(style) if style else None
        if b.rank is not None:
            while stack and blocks[stack[-1]].rank >= b.rank:
                stack.pop()
        b.parent = stack[-1] if stack else None
        if heading and b.rank is not None:
            b.kind = "heading"
            stack.append(i)
        elif b.marker or division:
            b.kind = "item"


def heading_chain(blocks: list[Block], index: int) -> list[int]:
    """The headings that govern ``blocks[index]``, innermost first."""
    out = []
    k = blocks[index].parent
    while k is not None:
        out.append(k)
        k = blocks[k].parent
    return out


class BlockIndex:
    """The block that holds an offset (blocks sorted by start)."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.starts = [b.start for b in blocks]

    def at(self, offset: int) -> Optional[int]:
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and offset <= self.blocks[k].end:
            return k
        return k if k >= 0 else None
