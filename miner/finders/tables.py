"""Tables of indicators, read row by row.

Plans list their targets in pipe/Markdown tables::

    | TT | Chỉ tiêu                      | Đơn vị | Kết quả                  |
    | I  | Đến năm 2030                  |        |                          |
    | 4  | Xếp hạng năng lực cạnh tranh số | Thứ bậc | ≤ 3 Đông Nam Á; ≤ 50 Thế giới |
    | 10 | Quy mô kinh tế số               | % GDP  | ≥ 30                     |

The header names the columns (indicator, unit, value); a row whose only
text is a deadline ("Đến năm 2030") sets the year of the rows under it; a
value cell may hold several comparator + number pairs ("≤ 3 Đông Nam Á; ≤
50 Thế giới" → two targets). Rows and cells come from the document model
(``Document.tables``: pipe tables with or without outer pipes, tab-separated
rows, HTML tables as the reader renders them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex

from miner.finders.numbers import SCALE, SCALE_WORD, parse_number
from miner.document.model import Document
from miner.records import Span, Target

_INDICATOR_HEAD = regex.compile(r"chỉ\s+tiêu|nội\s+dung|tên|mục\s+tiêu\s+cụ\s+thể", regex.IGNORECASE)
_UNIT_HEAD = regex.compile(r"đơn\s+vị|đvt", regex.IGNORECASE)
_VALUE_HEAD = regex.compile(r"kết\s+quả|mục\s+tiêu|kế\s+hoạch|giá\s+trị|chỉ\s+tiêu\s+đến|năm\s+\d{4}|(?:19|20)\d\d|phấn\s+đấu",
                            regex.IGNORECASE)
_YEAR = regex.compile(r"(?:đến\s+(?:hết\s+)?năm|năm|giai\s+đoạn\s+(?:19|20)\d\d\s*-)\s*((?:19|20)\d\d)|((?:19|20)\d\d)",
                      regex.IGNORECASE)
_COMPARATOR = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<", "=": "="}
_VALUE = regex.compile(
    r"(?P<cmp>≥|≤|>=|<=|>|<|=|tối\s+thiểu|ít\s+nhất|trên|tối\s+đa|không\s+quá|dưới)?\s*"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?P<scale>\s?(?:nghìn|ngàn|triệu|tỷ|tỉ))?"
    r"(?:\s*(?:-|đến)\s*(?P<high>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?))?\s*(?P<pct>%)?"
    r"(?P<label>[^;\n]{0,60})",
    regex.IGNORECASE,
)
_WORD_COMPARATOR = {"tối thiểu": ">=", "ít nhất": ">=", "trên": ">", "tối đa": "<=", "không quá": "<=", "dưới": "<="}


def _cell(text: str, cell: tuple[int, int]) -> str:
    return " ".join(text[cell[0]:cell[1]].split())


def _is_rule(cells: list[str]) -> bool:
    return all(not c or set(c) <= set("-: ") for c in cells)


def _year_in(text: str) -> Optional[int]:
    found = [int(m.group(1) or m.group(2)) for m in _YEAR.finditer(text)]
    return found[-1] if found else None


def _columns(header: list[str]) -> Optional[tuple[int, Optional[int], list[int]]]:
    indicator = next((i for i, c in enumerate(header) if _INDICATOR_HEAD.search(c) and not _VALUE_HEAD.fullmatch(c)), None)
    if indicator is None:
        return None
    unit = next((i for i, c in enumerate(header) if _UNIT_HEAD.search(c)), None)
    values = [i for i, c in enumerate(header) if i not in (indicator, unit) and _VALUE_HEAD.search(c)]
    return (indicator, unit, values) if values else None


def read_tables(doc: Document, default_year: Optional[tuple[int, str]] = None,
                year_before=None) -> tuple[list[Target], list[tuple[int, int]]]:
    """Targets from the indicator tables, and the spans of every table row (for the running-text finder to skip).

    ``year_before(offset)`` gives the deadline of the heading that governs a table, if any, and
    ``default_year`` the document's own; both as (year, where it was read).
    """
    text = doc.text
    rows = doc.table_rows
    if not rows:
        return [], []
    targets: list[Target] = []
    for table in doc.tables:
        header = [_cell(text, c) for c in table[0].cells]
        columns = _columns(header)
        if columns is None:
            continue
        indicator_col, unit_col, value_cols = columns
        # (year, where it was read) of the heading above the table, else of the document
        table_year = (year_before(table[0].start) if year_before else None) or default_year or (None, None)
        section_year = None
        for row in table[1:]:
            cells = [_cell(text, c) for c in row.cells]
            if _is_rule(cells) or len(cells) <= indicator_col:
                continue
            indicator = cells[indicator_col]
            value_cells = [(col, cells[col]) for col in value_cols if col < len(cells) and cells[col]]
            if not value_cells:
                year = _year_in(indicator)  # "Đến năm 2030": a section row
                section_year = year or section_year
                continue
            unit = cells[unit_col] if unit_col is not None and unit_col < len(cells) else ""
            for col, value_text in value_cells:
                own = _year_in(header[col]) or section_year
                year, year_from = (own, "table") if own else table_year
                targets += _row_targets(text, row.cells[col], value_text, indicator, unit, year, year_from)
    return targets, [(r.start, r.end) for r in rows]


def _row_targets(text: str, cell: tuple[int, int], value_text: str, indicator: str, unit: str,
                 year: Optional[int], year_from: Optional[str]) -> list[Target]:
    out = []
    percent = "%" in unit
    extra = unit.replace("%", "").strip() if percent else ""
    for m in _VALUE.finditer(value_text):
        int_part, _, frac = m["num"].partition(",")
        value = parse_number(int_part, frac or None)
        high = None
        if m["high"]:
            hi_int, _, hi_frac = m["high"].partition(",")
            high = parse_number(hi_int, hi_frac or None)
        scale = SCALE_WORD.match(m["scale"] or "") if m["scale"] else None
        if scale:
            value *= SCALE[scale["scale"].lower()]
            high = high * SCALE[scale["scale"].lower()] if high else None
        word = (m["cmp"] or "").lower()
        comparator = _COMPARATOR.get(word) or _WORD_COMPARATOR.get(" ".join(word.split())) or "="
        if high is not None and high > value:
            comparator = ">="
        label = " ".join(m["label"].split()).strip(" ,.")
        name = " ".join(p for p in (indicator, extra, label) if p)
        is_pct = percent or bool(m["pct"])
        # the value's offset inside the cell, for the span
        offset = text.find(m["num"], cell[0], cell[1])
        start = offset if offset >= 0 else cell[0]
        out.append(Target(value=value, value_max=high if high and high > value else None,
                          unit="%" if is_pct else unit, comparator=comparator, year=year,
                          year_from=year_from if year else None, indicator=name,
                          sentence=" ".join(text[cell[0]:cell[1]].split()), span=Span(start, start + len(m["num"])),
                          confidence=1.0))
    return out
