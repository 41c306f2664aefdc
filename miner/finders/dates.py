"""Dates as Vietnamese texts write them: day first, numeric or in words.

``ngày 01/4/2015``, ``ngày 31 tháng 12 năm 2014`` (possibly wrapped over
lines), ``20.9.2021``, yearless ``Ngày 6/6`` (year from context), and the
publication date of a page or a full text.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional

import regex

_SEP = r"[ \t]*[/.\-][ \t]*"
# dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (2- or 4-digit year) — the separator must repeat
NUMERIC_DATE = regex.compile(
    r"(?<![\d/.\-])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d/])"
)
# "ngày 31 tháng 12 năm 2014" (the "ngày" is left to the caller); tolerant of line wraps
WORDED_DATE = regex.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s*(?:,\s*)?năm\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    iso: str  # YYYY-MM-DD
    start: int
    end: int
    source: str = ""  # what gave it: "label", "weekday", "dateline", "bare"


def make_iso(day: int | str, month: int | str, year: int | str) -> Optional[str]:
    try:
        return _dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def find_dates(text: str, start: int = 0, end: Optional[int] = None) -> list[FoundDate]:
    """Full dates (numeric or in words) in text[start:end], in order."""
    end = len(text) if end is None else end
    found = []
    for pattern in (NUMERIC_DATE, WORDED_DATE):
        for m in pattern.finditer(text, start, end):
            iso = make_iso(m["d"], m["m"], m["y"])
            if iso:
                found.append(FoundDate(iso, m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


# --- publication date -------------------------------------------------------

_DATE_ANY = r"(?:(?P<d>[0-3]?\d)\s*[/.\-]\s*(?P<m>[01]?\d)\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)|(?P<d2>[0-3]?\d)\s+tháng\s+(?P<m2>[01]?\d)\s*,?\s*năm\s+(?P<y2>(?:19|20)\d\d))"
_LABELLED = regex.compile(
    r"(?:ngày\s+đăng(?:\s+(?:bài|tin))?|đăng\s+ngày|ngày\s+cập\s+nhật|cập\s+nhật(?:\s+lúc|\s+ngày)?|ngày\s+xuất\s+bản|xuất\s+bản"
    r"|ngày\s+ban\s+hành|ngày\s+đưa\s+tin|posted|published)\s*:?\s*(?:lúc\s+[\d:hg ]+,?\s*)?(?:ngày\s+)?" + _DATE_ANY,
    regex.IGNORECASE,
)
_WEEKDAY = regex.compile(
    r"^\W{0,3}(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|t[2-7]|cn)\s*[,\-–]?\s*(?:ngày\s+)?" + _DATE_ANY,
    regex.IGNORECASE | regex.MULTILINE,
)
# "Hà Nội, ngày 24 tháng 11 năm 2025" — the dateline of a full text (place, then ngày)
_DATELINE = regex.compile(
    r"(?:^|\||[ ]{2,})[ \t*_]*[\p{Lu}][\p{Ll}]*(?:[ ][\p{Lu}][\p{Ll}]*|[ ][\p{Ll}]+(?=,)){0,4}[ .]{0,2},\s*[Nn]gày\s+"
    + _DATE_ANY
    + r"[ \t*_)|.]*$",
    regex.MULTILINE,
)
# a line that is only a date (and perhaps a time): "20.9.2021 - 9:0", "13/04/2015 11:00"
_BARE = regex.compile(r"^\W{0,6}(?:\d{1,2}[:h]\d{2}(?:\s*[AP]M)?\s*[,|\-–]?\s*)?" + _DATE_ANY + r"[\s\-–|,]*(?:\d{1,2}[:h]\d{0,2}(?:\s*[AP]M)?)?[^\p{L}\n]{0,20}$",
                      regex.MULTILINE | regex.IGNORECASE)


def _iso_from(m: regex.Match) -> Optional[str]:
    if m["y"]:
        return make_iso(m["d"], m["m"], m["y"])
    return make_iso(m["d2"], m["m2"], m["y2"])


def publication_date(text: str, header_chars: int = 2500) -> Optional[FoundDate]:
    """The date a page or document was published, from its header area only.

    Labelled dates ("Ngày đăng:", "Ngày cập nhật") win, then a weekday line
    ("Thứ hai - 13/04/2015 11:00"), then the dateline of a full text ("Hà
    Nội, ngày …"), then a line holding only a date. Dates in the body are
    events, not publication, and are not used.
    """
    head = text[:header_chars]
    for source, pattern in (("label", _LABELLED), ("weekday", _WEEKDAY), ("dateline", _DATELINE), ("bare", _BARE)):
        for m in pattern.finditer(head):
            iso = _iso_from(m)
            if iso:
                return FoundDate(iso, m.start(), m.end(), source)
    return None


def date_within(text: str, iso: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """The span of the date ``iso`` written in text[start:end] (the date itself, not its label
    "Ngày đăng:" or the dateline's place), or None."""
    inner = [d for d in find_dates(text, start, end) if d.iso == iso]
    return (inner[0].start, inner[0].end) if inner else None
