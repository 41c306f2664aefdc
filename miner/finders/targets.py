"""Quantified targets: find numeric mentions, classify them, parse value/unit/comparator/year/indicator.

find → ``candidates()`` lists every number in running text that is not a
date, a code, a section number, a level ("mức độ 3") or a fraction;
classify → ``miner.finders.classifier`` scores each candidate's sentence context;
parse → value (Vietnamese notation, ranges as value..value_max), unit,
comparator words, deadline year (clause, sentence, governing heading,
plan year) and indicator phrase; dedupe → a target stated in the headline
and in the body is one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterator, Optional

import regex

from miner.finders.numbers import NUMBER, SCALE, SCALE_WORD, parse_number
from miner.records import Span, Target
from miner.document.model import Document
from miner.document.sentences import Sentence, SentenceAt, clause_bounds
from miner.folding import fold_tones

# --- candidates -------------------------------------------------------------------

_PERCENT = regex.compile(r"[ ]?(?:%|phần trăm)", regex.IGNORECASE)
_POINT_PERCENT = regex.compile(r"[ ]?điểm[ ]?(?:%|phần trăm)", regex.IGNORECASE)
_RANGE_JOIN = regex.compile(r"[ ]?(?:%[ ]?)?(?:[-–—]|đến|tới|÷)[ ]?", regex.IGNORECASE)
_NOT_BEFORE = regex.compile(
    r"(?:\b(?:điều|khoản|điểm|mục|chương|phần|phụ lục|mẫu|số|lần thứ|thứ|tháng|quý|ngày|năm|mức độ|cấp độ|độ|giai đoạn|khóa|"
    r"nghị quyết|quyết định|chỉ thị|kết luận|thông tư|nghị định|luật|kế hoạch|công văn|thông báo|công điện|gồm|bao gồm|"
    r"lớp|tuyến|quốc lộ|tỉnh lộ|đường|phường|quận|tổ|thôn|ấp|lô|phòng|kỳ|đợt|bậc|loại)"
    r"|[#№/:])[ ]*$",
    regex.IGNORECASE | regex.REVERSE,  # a yes/no test, answered sooner searching back from the "$"
)
_LINE_MARKER = regex.compile(r"^[ \t*>\-+•]*\(?$")
_YEAR_VALUE = regex.compile(r"^(?:19|20)\d\d$")


# Achieved results written against a plan: "bằng 117,6% dự toán", "tăng 8% so với cùng kỳ", "ước đạt 47.500 tỷ",
# "9 tháng đầu năm tăng 10,22%" — rules drop them before the classifier sees them.
_RESULT_BEFORE = regex.compile(r"(?:\bbằng|\bước|ước đạt|ước tính|đã đạt|đạt được|đã có|đã hoàn thành)[ ]*$", regex.IGNORECASE)
_RESULT_AFTER = regex.compile(r"^[ ]?(?:%|lần)?[ ]*(?:so với|mục tiêu|chỉ tiêu|kế hoạch|dự toán|cùng kỳ)", regex.IGNORECASE)
_RESULT_PERIOD = regex.compile(r"\d+[ ]tháng đầu năm|năm qua|vừa qua|thời gian qua|đến nay|hiện nay|hiện có", regex.IGNORECASE)


@dataclass
class Candidate:
    start: int  # of the number (or the range's first number)
    end: int  # after the unit
    value: float
    value_max: Optional[float]
    percent: bool
    unit: str
    sentence: Sentence
    features: dict = field(default_factory=dict)
    probability: float = 0.0


_TIME_FRACTION_OR_CODE = regex.compile(r"\d{1,2}[:h]\d{2}|\d+/\d+(?:/\d+)*|\d+[.,]\d+[.,]\d+[.,]\d+")
# Where a date can start: both date patterns start at the first digit of a run (their look-behind refuses a
# digit before it) that a separator ("01/4/2015") or "tháng" ("31 tháng 12 năm 2014") follows. This scans
# fast; the date patterns, tried at every offset, do not. (WORDED_DATE.match looks for "tháng" through the
# rest of the text: it is tried only where "tháng" follows.)
_DATE_START = regex.compile(r"\d+(?:(?P<numeric>[/.\-])|\s+tháng)", regex.IGNORECASE)


def _matches_at(pattern: regex.Pattern, text: str, starts: list[int]) -> list[tuple[int, int]]:
    """The spans of ``pattern.finditer(text)``, given every offset where it could start a match (in order;
    ``pattern`` does not match the empty string)."""
    spans = []
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                spans.append(m.span())
                end = m.end()
    return spans


def _blocked_spans(text: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    from miner.finders.dates import NUMERIC_DATE, WORDED_DATE

    numeric_starts, worded_starts = [], []
    for m in _DATE_START.finditer(text):
        (numeric_starts if m["numeric"] else worded_starts).append(m.start())
    spans = list(blocked)
    spans += _matches_at(NUMERIC_DATE, text, numeric_starts)
    spans += _matches_at(WORDED_DATE, text, worded_starts)
    spans += [m.span() for m in _TIME_FRACTION_OR_CODE.finditer(text)]
    return spans


_UNIT_STOP = {
    "có", "được", "đạt", "trong", "của", "về", "tại", "trên", "ở", "cho", "với", "và", "để", "theo", "từ", "đến",
    "tham", "gia", "là", "sẽ", "đã", "trở", "lên", "vào", "năm", "mỗi", "so", "thuộc", "này", "đó", "các", "những",
    "hoạt", "động", "sử", "dụng", "ứng", "tham", "được", "thực", "hiện", "bảo", "đảm", "nhằm", "khi", "mà",
}


_UNIT_WORD = regex.compile(r"[ \t]*(?P<nl>\n)?[ \t]*(?P<word>[\p{L}][\p{L}\p{M}]*)")
_UNIT_RATIO = regex.compile(r"/[ ]?([\p{L}\p{M}]+(?:[ ][\p{L}\p{M}]+){0,2}(?:,[ ][\p{L}\p{M}]+(?:[ ][\p{L}\p{M}]+){0,2})?)")
_UNIT_STOP_FOLDED = frozenset(fold_tones(w) for w in _UNIT_STOP)
_MARKER_END = regex.compile(r"[.)][ \t]|[.)]$")
_CLOSING_PAREN = regex.compile(r"\s*[)]")
_LEVEL_WORD = regex.compile(r"[ ]?cấp\b")


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """The counted noun after a number ('người', 'doanh nghiệp phần mềm', 'máy/cán bộ, công chức').

    Words may run over a line break (hard-wrapped texts); the unit stops at a
    verb or preposition, at a capitalised word, or after five syllables.
    """
    kept: list[str] = []
    end = pos
    limit = min(len(text), pos + 80)
    while m := _UNIT_WORD.match(text, end, limit):  # adjacent words only: punctuation or a number ends the unit
        word = m.group("word")
        if fold_tones(word) in _UNIT_STOP_FOLDED or (kept and word[:1].isupper()) or (not kept and m.group("nl")):
            break
        kept.append(word)
        end = m.end()
        if len(kept) >= 5:
            break
    if not kept:
        return "", pos
    unit = " ".join(kept)
    ratio = _UNIT_RATIO.match(text[end:end + 60])
    if ratio:
        unit += "/" + " ".join(ratio.group(1).split())
        end += ratio.end()
    return unit, end


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def candidates(text: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
    spans = _merge_spans(_blocked_spans(text, blocked))
    span_starts = [s for s, _ in spans]
    sentence_at = SentenceAt(text)
    out: list[Candidate] = []
    skip_until = -1
    for m in NUMBER.finditer(text):
        start, end = m.span()
        if start < skip_until:
            continue
        k = bisect.bisect_right(span_starts, start) - 1
        if k >= 0 and spans[k][0] <= start < spans[k][1]:
            continue
        # the checks that need only the text around the number come first: finding its sentence costs more
        after_char = text[end:end + 2]
        if _MARKER_END.match(after_char):
            line_start = text.rfind("\n", max(0, start - 200), start) + 1
            if _LINE_MARKER.match(text[line_start:start]):
                continue  # "1. ", "2) " list and section markers
        if _CLOSING_PAREN.match(after_char) and text[max(0, start - 1):start] == "(":
            continue  # "(1)"
        if _RESULT_AFTER.match(text[end:end + 20]):
            continue
        if _LEVEL_WORD.match(text, end, end + 5):
            continue  # "chính quyền 02 cấp": a level, not a quantity
        if _YEAR_VALUE.match(m.group()) and not _PERCENT.match(text, end):
            continue
        if len(m["int"].replace(".", "")) >= 8 and "." not in m["int"]:
            continue  # phone numbers, ids
        sentence = sentence_at(start)
        before = text[max(sentence.start, start - 25):start]
        if _NOT_BEFORE.search(before) or _RESULT_BEFORE.search(before) \
                or _RESULT_PERIOD.search(text, max(sentence.start, start - 200), start):
            continue
        value = parse_number(m["int"], m["frac"])
        pos = end
        scale = SCALE_WORD.match(text, pos)
        if scale:
            value *= SCALE[scale["scale"].lower()]
            pos = scale.end()
        value_max = None
        joined = _RANGE_JOIN.match(text, pos)
        if joined:
            second = NUMBER.match(text, joined.end())
            if second and not _YEAR_VALUE.match(second.group()):
                high = parse_number(second["int"], second["frac"])
                s2 = SCALE_WORD.match(text, second.end())
                pos2 = second.end()
                if s2:
                    if not scale and value <= high:
                        value *= SCALE[s2["scale"].lower()]  # "48 – 50 tỷ USD": the scale word serves both bounds
                    high *= SCALE[s2["scale"].lower()]
                    pos2 = s2.end()
                elif scale:
                    high *= SCALE[scale["scale"].lower()]
                if high > value:
                    value_max = high
                    pos = pos2
                    skip_until = pos2
        percent = False
        unit = ""
        if pp := _POINT_PERCENT.match(text, pos):
            unit, pos = "điểm %", pp.end()
        elif pc := _PERCENT.match(text, pos):
            unit, pos, percent = "%", pc.end(), True
        else:
            unit, pos = _unit_after(text, pos)
        out.append(Candidate(start, pos, value, value_max, percent, unit, sentence))
    return out


# --- parsing ------------------------------------------------------------------------

_COMPARATOR_BEFORE = [
    (regex.compile(r"(?:ít nhất|tối thiểu|không dưới|không thấp hơn|không ít hơn)[ ]*(?:là[ ]*)?(?:đạt[ ]*)?$", regex.I), ">="),
    (regex.compile(r"(?:không quá|tối đa|không vượt quá|không vượt|không cao hơn|không lớn hơn)[ ]*(?:là[ ]*)?$", regex.I), "<="),
    (regex.compile(r"(?:dưới)[ ]*$", regex.I), "<="),  # "dưới" as a ceiling (record contract)
    (regex.compile(r"(?:thấp hơn|ít hơn|nhỏ hơn)[ ]*$", regex.I), "<"),
    (regex.compile(r"(?:trên|hơn|vượt|cao hơn|lớn hơn|vượt trên)[ ]*$", regex.I), ">"),
]
_COMPARATOR_AFTER = [(regex.compile(r"^[ ]*trở[ ]+lên", regex.I), ">="), (regex.compile(r"^[ ]*trở[ ]+xuống", regex.I), "<=")]

_YEAR_PHRASE = regex.compile(
    r"năm[ ]+học[ ]+(?:19|20)\d\d[ ]*[-–][ ]*(?P<y5>(?:19|20)\d\d)"  # a school year ends in its second year
    r"|(?:(?:đến|tới|trước|hết|vào|trong|cuối|đầu|từ|sau)[ ]+(?:hết[ ]+|cuối[ ]+)?)?năm[ ]+(?P<y>(?:19|20)\d\d)(?!\d)"
    r"|giai[ ]+đoạn[ ]+(?:(?:19|20)\d\d)[ ]*-[ ]*(?P<y2>(?:19|20)\d\d)"
    r"|(?:đến|trước)[ ]+(?:ngày[ ]+)?\d{1,2}/\d{1,2}/(?P<y3>(?:19|20)\d\d)"
    r"|(?:đến|tới)[ ]+(?P<y4>(?:19|20)\d\d)(?!\d)",
    regex.IGNORECASE,
)
_YEAR_DIGITS = regex.compile(r"(?:19|20)\d\d")  # in every year phrase, and far faster to scan for


def _year_of(match: regex.Match) -> int:
    return int(match["y"] or match["y2"] or match["y3"] or match["y4"] or match["y5"])


def _deadline_year(text: str, cand: Candidate, clause: tuple[int, int], heading: Optional[tuple[int, str]],
                   document_year: Optional[tuple[int, str]]) -> tuple[Optional[int], Optional[str]]:
    """(year, where it was read): the nearest governing phrase — the number's clause, its sentence, the
    heading or list-opening sentence above it, then the document's own year (title period, one-year plan)."""
    c_left, c_right = clause
    digits_before = _YEAR_DIGITS.search(text, cand.sentence.start, cand.start) is not None
    # nearest year phrase before the number in its clause, then after it in the clause
    if digits_before:
        before = [m for m in _YEAR_PHRASE.finditer(text, c_left, cand.start)]
        if before:
            return _year_of(before[-1]), "clause"
    if _YEAR_DIGITS.search(text, cand.end, c_right):
        after = _YEAR_PHRASE.search(text, cand.end, c_right)
        if after:
            return _year_of(after), "clause"
    # anywhere earlier in the sentence (a lead "Theo đó, đến năm 2020 sẽ …; 100% …")
    if digits_before:
        before = [m for m in _YEAR_PHRASE.finditer(text, cand.sentence.start, cand.start)]
        if before:
            return _year_of(before[-1]), "sentence"
    if heading:
        return heading
    return document_year or (None, None)


_LEAD_WORDS = regex.compile(
    r"^(?:[-+•*]+[ ]*)?(?:\(?\d{1,2}[.)][ ]*)?(?:(?:theo đó|cụ thể|trong đó|đồng thời|phấn đấu|đảm bảo|bảo đảm|mục tiêu|chỉ tiêu|"
    r"đến (?:hết )?năm \d{4}|năm \d{4}|trong năm \d{4}|giai đoạn \d{4}[ ]*-[ ]*\d{4}|sẽ|có|đạt|là|với|và|,)[ ,:]*)+",
    regex.IGNORECASE,
)
_TAIL_WORDS = regex.compile(
    r"(?:[ ,]*(?:phấn đấu|dự kiến|đạt|đạt được|có|là|chiếm|khoảng|ít nhất|tối thiểu|trên|hơn|tối đa|không quá|bằng|lên|tăng|giảm|"
    r"(?:đến|tới|vào|trong|trước)?[ ]?(?:hết[ ]+)?năm \d{4}|bình quân|đạt mức|ở mức|mức|từ|dưới|vượt))+[ ,]*$",
    regex.IGNORECASE,
)
# whether _TAIL_WORDS matches at all, answered sooner searching back from the "$" (most clauses have none)
_ENDS_WITH_TAIL_WORDS = regex.compile(_TAIL_WORDS.pattern, _TAIL_WORDS.flags | regex.REVERSE)


_PARENTHESES = regex.compile(r"\([^)]{0,40}\)|[()]")
_WHITESPACE = regex.compile(r"\s+")
_TRAILING_YEAR_CLAUSE = regex.compile(r"(?:[ ,]+(?:vào|đến|trước|trong)[ ]+(?:hết[ ]+)?năm[ ]+\d{4}.*)$", regex.IGNORECASE)


def _clean_indicator(phrase: str) -> str:
    phrase = _PARENTHESES.sub(" ", phrase)
    phrase = _WHITESPACE.sub(" ", phrase).strip(" ,.;:-+*")
    phrase = _TRAILING_YEAR_CLAUSE.sub("", phrase)
    return phrase.strip(" ,.;:-")


_LEADING_ASIDE = regex.compile(r"^[ ]*\([^()\n]{0,40}\)")
_OPEN_ENDED = regex.compile(r"\b(?:cho|của|với|vào|trong|chiếm|đóng góp|giải quyết việc làm cho)$", regex.IGNORECASE)
_PER_PERIOD = regex.compile(r"^/[ ]?(?:năm|tháng|người|hộ)\b")
_AFTER_CUT = regex.compile(r",[ ]*(?:năm|và năm|đến năm)|,[ ]+(?:\p{L}+[ ]+){0,2}\d|\(|\)|[ ]và[ ]năm|[ ,]+trong đó\b")
_LEADING_ORDER_OR_MORE = regex.compile(r"^[ ]*(?:trở lên|trở xuống)", regex.IGNORECASE)
_LEADING_OF = regex.compile(r"^[ ]*(?:của|trong số)?[ ]*")


def _indicator(text: str, cand: Candidate, clause: tuple[int, int], next_start: Optional[int],
               prev_end: Optional[int] = None) -> str:
    c_left, c_right = clause
    if prev_end is not None and c_left < prev_end < cand.start:
        comma = text.find(",", prev_end, cand.start)
        c_left = comma + 1 if comma >= 0 else prev_end
    stop = c_right
    if next_start is not None and cand.end < next_start < stop:
        stop = next_start
    after = text[cand.end:stop]
    after = _PER_PERIOD.sub("", after)
    after = _LEADING_ASIDE.sub("", after)  # "100% (253/253) dịch vụ công …": the aside restates the number
    if after.lstrip().startswith((",", ";")):
        after = ""
    # cut the "after" part at a comma that starts a new "năm YYYY" clause or a new number
    cut = _AFTER_CUT.search(after)
    if cut:
        after = after[: cut.start()]
    after = _LEADING_ORDER_OR_MORE.sub("", after)
    after_clean = _clean_indicator(_LEADING_OF.sub("", after))
    before = text[c_left:cand.start]
    if _ENDS_WITH_TAIL_WORDS.search(before):
        before = _TAIL_WORDS.sub("", before)
    before = _LEAD_WORDS.sub("", before.strip())
    before_clean = _clean_indicator(before)
    if cand.unit and cand.unit not in ("%", "điểm %"):
        # a count: "có trên 20 doanh nghiệp phần mềm tham gia" — what is counted is part of the indicator
        return " ".join(p for p in (before_clean, cand.unit, after_clean) if p)
    if len(after_clean.split()) >= 2 and not _OPEN_ENDED.search(before_clean):
        return after_clean
    return " ".join(p for p in (before_clean, after_clean) if p)


def _comparator(text: str, cand: Candidate) -> str:
    if cand.value_max is not None:
        return ">="
    before = text[max(cand.sentence.start, cand.start - 30):cand.start]
    for pattern, comp in _COMPARATOR_BEFORE:
        if pattern.search(before):
            return comp
    after = text[cand.end:cand.end + 15]
    for pattern, comp in _COMPARATOR_AFTER:
        if pattern.search(after):
            return comp
    return "="


# --- headings and plan year -------------------------------------------------------------



_NUMBERED = regex.compile(r"^(?:[IVX]+\.|\d{1,2}\.|\(\d+\)|[a-zđ]\))")
_NUMBERED_SPACE = regex.compile(r"^(?:[IVX]+\.|\d{1,2}\.|\(\d{1,2}\))\s")
_DEADLINE_HEADING = regex.compile(r"đến|mục tiêu|chỉ tiêu|giai đoạn|năm \d{4}\s*:?$|tầm nhìn", regex.IGNORECASE)
_DEADLINE_WORD = regex.compile(r"(?:đến|tới|giai|trước|hết)", regex.IGNORECASE)


def _lines_with_year_digits(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line holding "19dd"/"20dd", in order: the only lines a year phrase can be in."""
    pos = 0
    while found := _YEAR_DIGITS.search(text, pos):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        pos = end + 1


def _heading_years(text: str) -> list[tuple[int, tuple[int, str]]]:
    """(offset, (year, "heading" or "list")) of heading-like lines that govern the list under them:
    a heading ("Mục tiêu đến năm 2030"), or a sentence that opens a list ("Cụ thể, đến năm 2025, …:")."""
    out = []
    for offset, raw_line in _lines_with_year_digits(text):
        if len(raw_line) > 400:
            continue
        line = raw_line.strip(" *#-+")
        if not line:
            continue
        looks_heading = line.endswith((":", "?")) or line.isupper() \
            or bool(_NUMBERED.match(line) and len(line) < 160) \
            or len(line.split()) <= 8
        if not looks_heading or not _DEADLINE_HEADING.search(line):
            continue
        phrases = list(_YEAR_PHRASE.finditer(line))
        deadline = [_year_of(y) for y in phrases if _DEADLINE_WORD.match(y.group())]
        source = "list" if _OPENS_A_LIST.search(line) and len(line.split()) > 8 and not line.isupper() else "heading"
        narrowed = _NARROWING.search(line) if source == "list" else None
        narrowed_to = [y for y in phrases if narrowed and y.start() > narrowed.start()]
        if narrowed_to:
            # "Căn cứ mục tiêu … đến năm 2030, trong đó, đối với năm học 2025 - 2026, phấn đấu:": the
            # sentence narrows the period for the list it opens
            out.append((offset, (_year_of(narrowed_to[0]), source)))
        elif deadline:
            out.append((offset, (deadline[0], source)))
        elif phrases:
            out.append((offset, (_year_of(phrases[-1]), source)))
    return out


# "…, trong đó, đối với năm 2025: …": what follows narrows a longer period
_NARROWING = regex.compile(r"\b(?:trong đó|đối với|riêng)\b", regex.IGNORECASE)
# a sentence (not a title line) that ends by opening a list
_OPENS_A_LIST = regex.compile(r"[\p{Ll},][^\n]*:$")


_TITLE_YEAR = regex.compile(r"(?:năm|trong năm)[ ]+((?:19|20)\d\d)(?!\d)", regex.IGNORECASE)
_SEVERAL_YEARS = regex.compile(r"giai đoạn|đến năm|tầm nhìn", regex.IGNORECASE)


_TITLE_PERIOD = regex.compile(r"giai đoạn[ ]+(?:từ[ ]+)?(?:năm[ ]+)?(?:19|20)\d\d[ ]*(?:-|–|—|đến)[ ]*(?:năm[ ]+)?((?:19|20)\d\d)"
                           r"|(?:đến|tới)[ ]+(?:hết[ ]+)?năm[ ]+((?:19|20)\d\d)", regex.IGNORECASE)


def document_year(title: Optional[str]) -> Optional[tuple[int, str]]:
    """The year a plan's title gives its targets without a year of their own: the one year of a
    one-year plan ("plan-year"), else the end of its period ("giai đoạn 2021 - 2025", "đến năm 2030": "title")."""
    year = plan_year(title)
    if year:
        return year, "plan-year"
    m = _TITLE_PERIOD.search(title or "")
    if m:
        return int(m.group(1) or m.group(2)), "title"
    return None


def plan_year(title: Optional[str]) -> Optional[int]:
    """The year of a one-year plan ("Kế hoạch … năm 2020", "… trong năm 2020")."""
    if not title:
        return None
    years = _TITLE_YEAR.findall(title)
    if len(years) == 1 and not _SEVERAL_YEARS.search(title):
        return int(years[0])
    return None


# --- the stage ---------------------------------------------------------------------------

_GOAL_WORDS = regex.compile(r"mục tiêu|chỉ tiêu|phấn đấu|kế hoạch giao|(?:đến|tới) (?:hết )?năm \d{4}", regex.IGNORECASE)
# a goal stated in so many words: what a number of a legal norm needs to be read as a target ("chỉ
# tiêu" there names a statistical indicator or a form's field, "mục tiêu" alone a programme's name)
_STATED_GOAL = regex.compile(r"phấn đấu|mục tiêu[^.;:\n]{0,120}?(?:đến|vào|tới)\s+(?:hết\s+)?năm\s+\d{4}",
                             regex.IGNORECASE)
_GOAL_HEADING_OF_A_NORM = regex.compile(r"mục tiêu", regex.IGNORECASE)
_HEADING_TEXT = regex.compile(r"(?m)^[ \t*#>]*(?:[IVX]+\.|\d{1,2}(?:\.\d{1,2})*\.?|\(\d{1,2}\)|[a-zđ]\))?[^\n]{0,160}$")


def _goal_headings(text: str, goal_words=_GOAL_WORDS) -> list[tuple[int, bool]]:
    """(offset, is_goal) for heading-like lines: a list under "Mục tiêu …:" sets goals; a new heading ends it."""
    out = []
    offset = 0
    for raw_line in text.split("\n"):
        line = raw_line.strip(" *#-+\t")
        if line and len(line) <= 160 and (line.endswith((":", "?")) or line.isupper() or _NUMBERED_SPACE.match(line)):
            # _HEADING_TEXT takes any line of up to 160 characters: only a longer one needs the pattern
            if len(raw_line) <= 160 or _HEADING_TEXT.match(text, offset):
                out.append((offset, bool(goal_words.search(line))))
        offset += len(raw_line) + 1
    return out


def _governing(headings: list[tuple[int, object]], offsets: list[int], position: int):
    """The value of the last heading at or before ``position`` (headings sorted by offset)."""
    k = bisect.bisect_right(offsets, position) - 1
    return headings[k][1] if k >= 0 else None


def _in_goal_context(text: str, cand: Candidate, goal_headings: list[tuple[int, bool]], offsets: list[int]) -> bool:
    """The number sits in a sentence or under a heading that announces goals (rules helping the classifier)."""
    if _GOAL_WORDS.search(text, cand.sentence.start, cand.sentence.end):
        return True
    return bool(_governing(goal_headings, offsets, cand.start))


def find_targets(doc: Document, blocked: list[tuple[int, int]], title: Optional[str] = None,
                 classifier=None, threshold: float = 0.5, goal_threshold: float = 0.15,
                 sets_rules: bool = False) -> list[Target]:
    """The targets of a document (spans in ``doc.text``); ``blocked`` are spans no number is read in (codes).

    ``sets_rules``: the document is a legal norm (its type's ``sets_rules`` in rules/document_types.jsonl),
    whose rates, fees, thresholds and conditions are not goals: a number is kept only in a stated goal
    ("mục tiêu", "chỉ tiêu", "phấn đấu") or under a goal heading."""
    text = doc.text
    from miner.finders import classifier as default_classifier
    from miner.finders.tables import read_tables

    headings = _heading_years(text)
    heading_offsets = [offset for offset, _ in headings]
    year_of_document = document_year(title)
    table_targets, table_rows = read_tables(
        doc, default_year=year_of_document,
        year_before=lambda offset: _governing(headings, heading_offsets, offset - 1))
    model = classifier or default_classifier.load()
    cands = candidates(text, list(blocked) + table_rows)  # table cells are read by the table reader only
    goal_headings = _goal_headings(text)
    goal_offsets = [offset for offset, _ in goal_headings]
    if sets_rules:
        norm_goals = _goal_headings(text, _GOAL_HEADING_OF_A_NORM)
        norm_offsets = [offset for offset, _ in norm_goals]
        cands = [c for c in cands if _STATED_GOAL.search(text, c.sentence.start, c.sentence.end)
                 or _governing(norm_goals, norm_offsets, c.start)]
        table_targets = [t for t in table_targets
                         if t.span is not None and _governing(norm_goals, norm_offsets, t.span.start)]
    needed = [goal_threshold if _in_goal_context(text, c, goal_headings, goal_offsets) else threshold for c in cands]
    model.score(text, cands)
    kept = [c for c, bar in zip(cands, needed) if c.probability >= bar]
    targets: list[Target] = []
    for i, cand in enumerate(kept):
        heading = _governing(headings, heading_offsets, cand.start - 1)
        next_start = kept[i + 1].start if i + 1 < len(kept) and kept[i + 1].sentence == cand.sentence else None
        prev_end = kept[i - 1].end if i > 0 and kept[i - 1].sentence == cand.sentence else None
        clause = clause_bounds(text, cand.sentence, cand.start, cand.end)
        indicator = _indicator(text, cand, clause, next_start, prev_end)
        year, year_from = _deadline_year(text, cand, clause, heading, year_of_document)
        targets.append(Target(
            value=cand.value,
            value_max=cand.value_max,
            unit=cand.unit or "",
            comparator=_comparator(text, cand),
            year=year,
            year_from=year_from,
            indicator=indicator,
            sentence=" ".join(text[cand.sentence.start:cand.sentence.end].split()),
            span=Span(cand.start, cand.end),
            confidence=cand.probability,
        ))
    _share_indicators(targets)
    targets = _dedupe(sorted(targets + table_targets, key=lambda t: t.span.start))
    from miner.finders.categories import categorize

    for t in targets:
        t.category = categorize(t.indicator, t.sentence)
    return targets


def _share_indicators(targets: list[Target]) -> None:
    """'năm 2015 có 52,5% (…), năm 2016 có 100% (…) dịch vụ công …': the shared indicator goes to both."""
    for i in range(len(targets) - 1, -1, -1):
        t = targets[i]
        if len(t.indicator.split()) < 2 and i + 1 < len(targets) and targets[i + 1].sentence == t.sentence \
                and targets[i + 1].unit == t.unit:
            t.indicator = targets[i + 1].indicator


_WORD_CHARS = regex.compile(r"\w+")


def _token_set(text: str) -> set[str]:
    return set(_WORD_CHARS.findall(fold_tones(text)))


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _dedupe(targets: list[Target]) -> list[Target]:
    """A target stated twice (headline and body, summary and list) is one: same value, unit kind, year, indicator."""
    kept: list[tuple[Target, set[str]]] = []  # with its indicator's words
    for t in targets:
        words = _token_set(t.indicator)
        twin = next((i for i, (o, o_words) in enumerate(kept) if o.value == t.value
                     and (o.unit == "%") == (t.unit == "%")
                     and (o.year == t.year or o.year is None or t.year is None)
                     and _overlap(o_words, words) >= 0.6), None)
        if twin is None:
            kept.append((t, words))
        elif len(t.indicator) > len(kept[twin][0].indicator) and kept[twin][0].year == t.year:
            kept[twin][0].indicator = t.indicator
            kept[twin] = (kept[twin][0], words)
    return [t for t, _ in kept]
