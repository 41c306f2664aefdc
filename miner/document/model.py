"""The document model: built once from the decoded text, read by every finder.

``build(raw)`` normalizes the text (NFC, one tone placement, dashes and spaces, markup out),
drops page furniture and joins hard-wrapped lines (``miner.document.lines``) and keeps the
offsets of both steps, so that every span a finder reports on :attr:`Document.text` maps back
into the decoded original (:meth:`Document.raw_span`). Its parts are computed when first
asked for: the blocks with their headings (``miner.document.blocks``), the header, title and
closing blocks of an official text (``miner.document.frame``), tables, sentences.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Optional

from miner.document import blocks as _blocks
from miner.document import frame as _frame
from miner.document.lines import Line, OffsetMap, logical_view
from miner.document.normalize import NormalizedText, normalize
from miner.document.sentences import Sentence, SentenceAt, sentences
from miner.records import Span


@dataclass
class TableRow:
    start: int
    end: int
    cells: list[tuple[int, int]]  # (start, end) of each cell's text in Document.text


@dataclass
class Document:
    raw: str  # the decoded input: what spans in a record point into
    normalized: NormalizedText
    text: str  # the logical view every finder reads
    view_map: OffsetMap  # text → normalized text
    physical: list[Line]  # the normalized text's lines, page furniture marked
    lines: list[Line]  # the lines of `text`
    cells: tuple[int, ...] = ()  # table-cell separators ("|", tabs) in `text`, which shows them as spaces
    tabs: frozenset[int] = frozenset()
    _sentence_at: Optional[SentenceAt] = field(default=None, repr=False)

    # -- offsets
    def to_raw(self, offset: int) -> int:
        return self.normalized.to_raw(self.view_map.to_source(offset))

    def raw_span(self, start: int, end: int) -> Span:
        return Span(self.to_raw(start), self.to_raw(end))

    # -- structure
    @cached_property
    def paragraphs(self) -> list[_blocks.Block]:
        """The blocks with their list markers, before kinds and nesting are read (all lists need)."""
        return _blocks.paragraphs(self.text, self.lines, self.cells)

    @cached_property
    def blocks(self) -> list[_blocks.Block]:
        """The blocks, each with its kind (heading, item, paragraph, table row), rank and parent heading."""
        found = self.paragraphs
        rows = frozenset(i for i, b in enumerate(found) if self._row_cells(b.start, b.end)) if self.cells else frozenset()
        markdown = "**" in self.raw or "__" in self.raw  # bold is Markdown's: no need to look otherwise
        _blocks.classify(self.text, found, self._raw_line_span if markdown else None, rows)
        return found

    @cached_property
    def _block_index(self) -> _blocks.BlockIndex:
        return _blocks.BlockIndex(self.blocks)

    def block_at(self, offset: int) -> Optional[int]:
        """The index of the block that holds (or last began before) ``offset``."""
        return self._block_index.at(offset)

    def headings_over(self, offset: int) -> list[_blocks.Block]:
        """The headings that govern the text at ``offset``, innermost first (the block's own heading
        first when the offset stands in a heading)."""
        k = self.block_at(offset)
        if k is None:
            return []
        chain = _blocks.heading_chain(self.blocks, k)
        own = [self.blocks[k]] if self.blocks[k].kind == "heading" else []
        return own + [self.blocks[i] for i in chain]

    def _raw_line_span(self, start: int, end: int) -> tuple[str, int, int]:
        return self.raw, self.to_raw(start), self.to_raw(end)

    # -- the frame of an official text
    @cached_property
    def _frame(self) -> tuple[Optional[_frame.Header], Optional[_frame.TitleBlock]]:
        return _frame.find_header_and_title(self.text, self.cells)

    @property
    def header(self) -> Optional[_frame.Header]:
        return self._frame[0]

    @property
    def title_block(self) -> Optional[_frame.TitleBlock]:
        return self._frame[1]

    @cached_property
    def closing(self) -> Optional[_frame.Closing]:
        after = self.title_block.end if self.title_block else (self.header.end if self.header else 0)
        return _frame.find_closing(self.text, after, self.cells)

    @property
    def official(self) -> bool:
        """An official document's own text: its header block carries the motto or a number and dateline."""
        return self.header is not None

    # -- tables
    def _row_cells(self, start: int, end: int) -> list[tuple[int, int]]:
        """The cells of a table row spanning text[start:end] (none when it is not a row): two
        separators or more, or one tab."""
        k = bisect.bisect_left(self.cells, start)
        on_line = []
        while k < len(self.cells) and self.cells[k] < end:
            on_line.append(self.cells[k])
            k += 1
        if len(on_line) < 2 and not (on_line and on_line[0] in self.tabs):
            return []
        cells = []
        if self.text[start:on_line[0]].strip():
            cells.append((start, on_line[0]))  # a row written without the leading "|"
        cells += [(a + 1, b) for a, b in zip(on_line, on_line[1:])]
        if self.text[on_line[-1] + 1:end].strip():
            cells.append((on_line[-1] + 1, end))
        return cells

    @cached_property
    def table_rows(self) -> list[TableRow]:
        """Every row of every table, in order: lines with cell separators (pipe tables with or without
        outer pipes, tab-separated rows, HTML tables as the reader renders them)."""
        out = []
        if not self.cells:
            return out
        pos = 0
        for line in self.text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            cells = self._row_cells(start, end)
            if cells:
                out.append(TableRow(start, end, cells))
        return out

    @cached_property
    def tables(self) -> list[list[TableRow]]:
        """Rows grouped into tables: a table ends where more than one blank line (or text) separates rows."""
        tables: list[list[TableRow]] = []
        for row in self.table_rows:
            if tables and self.text.count("\n", tables[-1][-1].end, row.start) <= 2:
                tables[-1].append(row)
            else:
                tables.append([row])
        return tables

    # -- sentences
    def sentences(self, start: int = 0, end: Optional[int] = None) -> Iterator[Sentence]:
        return sentences(self.text, start, end)

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence that holds ``offset``; ask in increasing order of offsets (a fresh walk
        starts when an earlier offset is asked)."""
        if self._sentence_at is None or offset < self._sentence_last:
            self._sentence_at = SentenceAt(self.text)
        self._sentence_last = offset
        return self._sentence_at(offset)

    _sentence_last: int = 0


def build(raw: str) -> Document:
    """The document model of a decoded text."""
    norm = normalize(raw)
    text, view_map, physical, lines = logical_view(norm.text, norm.cells, norm.tabs)
    if view_map.identity:
        cells = norm.cells
        tabs = norm.tabs
    else:
        moved = [(view_map.to_view(c), c in norm.tabs) for c in norm.cells]
        cells = tuple(c for c, _ in moved if c is not None)
        tabs = frozenset(c for c, tab in moved if c is not None and tab)
    return Document(raw=raw, normalized=norm, text=text, view_map=view_map, physical=physical, lines=lines,
                    cells=cells, tabs=tabs)
