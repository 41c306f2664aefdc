"""Lists of objectives and solutions: the qualitative goals and the tasks/measures a plan sets.

``find_lists(doc)`` returns ``(objectives, solutions)`` as :class:`ListItem` with spans into
``doc.text``, read from the document model's blocks (paragraphs with their list markers). Three
shapes are read, as
Vietnamese plans and news write them:

* running text that announces a list: "Kế hoạch đề ra 4 mục tiêu cơ bản, đó là: A. B. C. D.",
  "các giải pháp được đề ra là: X; Y; Z.", "Với nội dung trọng tâm: …" — the items follow the
  colon in the same paragraph, separated by ". ", "; " or ", " (an announced count picks the
  split and ends the list);
* ordinals: "Thứ nhất là …; Thứ hai là …; … cuối cùng là …", "Một là, … Hai là, …";
* sections: a heading ("II. NHIỆM VỤ, GIẢI PHÁP", "(2) Giải pháp thực hiện", "MỤC TIÊU",
  "Mục tiêu cụ thể") or an introducing sentence ending in ":" ("… 6 nhiệm vụ chính như sau:")
  followed by marked items ("1.", "a)", "-", "+", "(1)"). The first marker style under the
  heading is the item level; deeper styles are children and skipped; the section ends at a
  marker of a higher level, at a new heading or at an introducing sentence. Each item is its
  heading (up to ":") or its first sentence.

Objectives that are quantified targets ("đến năm 2025 … 80%") are dropped: they belong to
``targets``. The rules are conservative: a list needs a cue word (mục tiêu / giải pháp /
nhiệm vụ / biện pháp), so plain news paragraphs give ``([], [])``.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Iterator, Optional

import regex

from miner.document.blocks import MARKER_RANK, Block, is_caps
from miner.document.model import Document
from miner.records import ListItem, Span
from miner.folding import fold_tones

OBJ = "objectives"
# a "Mục đích" section: the objectives when the document has no "Mục tiêu" list of its own
PURPOSES = "purposes"
# a "Nội dung" section: the solutions, unless it only holds other sections (goals, the situation …)
CONTENTS = "contents"
SOL = "solutions"

_COUNT_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7,
                "tám": 8, "chín": 9, "mười": 10}
_COUNT = r"(?:\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
_SOL_NOUN = r"(?:nhóm\s+)?(?:nhiệm\s+vụ|giải\s+pháp|biện\s+pháp)"
_OBJ_NOUN = r"mục\s+tiêu"
_DETERMINER = r"(?:các|những|một\s+số|nhóm|" + _COUNT + r")"
_QUALIFIER = (r"(?:trọng\s+tâm|chủ\s+yếu|trọng\s+yếu|trọng\s+điểm|cụ\s+thể|chính|cơ\s+bản|chung|"
              r"tổng\s+quát|đột\s+phá|ưu\s+tiên|chiến\s+lược|"
              r"(?:,|và)\s*(?:nhiệm\s+vụ|giải\s+pháp|biện\s+pháp))")

_RANK = MARKER_RANK
_is_caps = is_caps


class _Offsets:
    """Sorted offsets in a document (where some words are, where a pattern can start), to skip the
    text a costlier rule cannot match in."""

    def __init__(self, starts: Iterable[int]):
        self.starts = sorted(starts)

    @classmethod
    def of_words(cls, text: str, words: tuple[regex.Pattern, ...]) -> _Offsets:
        """Where the words (literal patterns) are; one pattern a word: the regex module finds a
        literal much faster than an alternation."""
        return cls(m.start() for word in words for m in word.finditer(text))

    def within(self, start: int, end: int) -> list[int]:
        """The offsets from ``start`` to ``end`` (excluded)."""
        return self.starts[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def any_in(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, start)
        return k < len(self.starts) and self.starts[k] < end

    def blocks_with(self, blocks: list[Block]) -> set[int]:
        """The indices of the blocks that have one of the offsets between their start and end."""
        block_starts = [b.start for b in blocks]
        found = set()
        for pos in self.starts:
            i = bisect_right(block_starts, pos) - 1
            if i >= 0 and pos < blocks[i].end:
                found.add(i)
        return found


# --- item text -------------------------------------------------------------------------------

_SENT_END = regex.compile(r"(?:\.|…|\.\.\.)(?=\s+[\p{Lu}\d\"“(])|\s\.\.\.\s+(?=\p{Lu})")
_LEAD = regex.compile(
    r"^(?:[\s*_]+|(?:và\s+)?cuối\s+cùng(?:\s+là)?\s*,?\s*|đồng\s+thời\s*,?\s*|"
    r"thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\s*(?:là\s*)?[,:]?\s*|"
    r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+là\s*[,:]?\s*|"
    r"\(\d{1,2}\)\s*|\d{1,2}[.)]\s+|[a-zđ]\)\s*|[-+•–]\s*|"
    r"(?:mục\s+tiêu|nhiệm\s+vụ|giải\s+pháp|nhóm\s+giải\s+pháp)\s+\d{1,2}\s*[.:]\s*)+",
    regex.IGNORECASE)
_TRAIL = regex.compile(r"(?:[\s*_;,.:…]|\.\.\.|\s+và)+$")


def _item(text: str, start: int, end: int, cap: int = 0) -> Optional[ListItem]:
    """A ListItem for text[start:end] without leading ordinals and trailing punctuation."""
    seg = text[start:end]
    m = _LEAD.match(seg)
    if m:
        start += m.end()
        seg = text[start:end]
    m = _TRAIL.search(seg)
    if m:
        end = start + m.start()
    if cap and end - start > cap:
        cut = text.rfind(" ", start, start + cap)
        end = cut if cut > start else start + cap
        while end > start and text[end - 1] in ",;: ":
            end -= 1
    words = " ".join(text[start:end].split())
    if len(words) < 3 or not any(c.isalpha() for c in words):
        return None
    return ListItem(words, Span(start, end))


def _first_sentence_end(text: str, start: int, end: int) -> int:
    m = _SENT_END.search(text, start, end)
    return m.start() if m else end


def _label_end(text: str, start: int, end: int) -> int:
    """Where an item's label ends: its heading up to ':' or its first sentence."""
    stop = _first_sentence_end(text, start, end)
    colon = text.find(":", start, stop)
    if colon > start and len(text[start:colon].split()) >= 2:
        return colon
    return stop


# --- targets among objectives ----------------------------------------------------------------

_NOT_QUANTITY = regex.compile(
    r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\S*\d+[/\-]\p{L}[\w/\-]*|\b(?:19|20)\d\d\b|"
    r"(?:lần\s+thứ|khóa|mức\s+độ|nghị\s+quyết|quyết\s+định|chỉ\s+thị|điều|khoản|mục)\s+\d+", regex.IGNORECASE)
_QUANTITY = regex.compile(
    r"(?:đạt|có|phấn\s+đấu|ít\s+nhất|tối\s+thiểu|trên|hơn|khoảng|nhóm|top|tăng|giảm|được|đến|tới|"
    r"dưới|tối\s+đa|không\s+quá|thuộc|ở\s+mức|bằng|gấp|số)\s+(?:\S+\s+){0,2}\d|"
    r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn|lần)\b", regex.IGNORECASE)


_DIGIT = regex.compile(r"\d")


def is_target_like(item: str) -> bool:
    """A quantified target ('đến năm 2020 có 100% …', 'Phấn đấu có 2 triệu doanh nghiệp')."""
    if "%" in item:
        return True
    rest = _NOT_QUANTITY.sub(" ", item)
    return bool(_DIGIT.search(rest) and _QUANTITY.search(rest))


# --- cues ------------------------------------------------------------------------------------

_CUE = regex.compile(
    r"(?P<det>" + _DETERMINER + r"\s+)?(?P<noun>" + _SOL_NOUN + r"|" + _OBJ_NOUN +
    r"|nội\s+dung\s+trọng\s+tâm)(?P<qual>\s*" + _QUALIFIER + r")?", regex.IGNORECASE)


_F_MUC_TIEU = fold_tones("mục tiêu")
_F_NHIEM_VU = fold_tones("nhiệm vụ")
_F_NOI_DUNG = fold_tones("nội dung")


def _kind_of_noun(noun: str) -> str:
    return OBJ if fold_tones(noun).startswith(_F_MUC_TIEU) else SOL


_QUOTED = regex.compile(r"\"[^\"]*\"|“[^”]*”")
_MIXED = regex.compile(r"mục\s+tiêu\s*(?:,|và)\s*(?:các\s+)?(?:nhiệm\s+vụ|chỉ\s+tiêu|giải\s+pháp)|"
                       r"(?:nhiệm\s+vụ|giải\s+pháp)\s*(?:,|và)\s*(?:các\s+)?mục\s+tiêu", regex.IGNORECASE)
_FUNDING = regex.compile(r"(?:kinh\s+phí|nguồn\s+vốn|dự\s+toán|ngân\s+sách)[^,.;:]{0,20}$", regex.IGNORECASE)
_OTHER_HEAD = regex.compile(r"(?<![\p{L}\d])(?:các|những|một\s+số|" + _COUNT + r")\s+(?P<np>(?:(?!như\b)[\p{L}]+\s+){0,4}?(?!như\b)[\p{L}]+)"
                            r"\s+(?:sau(?:\s+đây)?|như\s+sau)\s*:?\s*$", regex.IGNORECASE)


def _cue_kind(sentence: str, strict: bool = True) -> Optional[str]:
    """The kind announced by the last cue in a sentence; strict needs a determiner or qualifier."""
    sentence = _MIXED.sub(" ", _QUOTED.sub(" ", sentence))
    other = _OTHER_HEAD.search(sentence)
    if other and not _CUE.match(other.group("np")):
        return None  # "… đạt được một số kết quả nổi bật như sau:": the list is of something else
    kind = None
    for m in _CUE.finditer(sentence):
        if _FUNDING.search(sentence[:m.start()]):
            continue
        noun = fold_tones(m.group("noun"))
        if strict and not (m.group("det") or m.group("qual") or noun.startswith(_F_NOI_DUNG)):
            continue
        # "nhiệm vụ" as a duty of someone ("có nhiệm vụ tổ chức") is not a list cue
        if noun.startswith(_F_NHIEM_VU) and not (m.group("det") or m.group("qual")):
            continue
        kind = _kind_of_noun(m.group("noun"))
    return kind


# --- headings --------------------------------------------------------------------------------

_HEAD_TAIL = (r"(?:\s*(?:,|và|-)?\s*(?:chủ\s+yếu|trọng\s+tâm|trọng\s+yếu|trọng\s+điểm|cụ\s+thể|chính|cơ\s+bản|"
              r"chung|tổng\s+quát|tổng\s+thể|đột\s+phá|ưu\s+tiên|chiến\s+lược|thực\s+hiện|triển\s+khai|"
              r"phát\s+triển|quy\s+hoạch|trước\s+mắt|dài\s+hạn|khác|"
              r"(?:trong\s+)?(?:thời\s+gian|giai\s+đoạn)\s+(?:tới|sắp\s+tới|tiếp\s+theo)|"
              r"(?:đến\s+|trong\s+)?năm\s+\d{4}|giai\s+đoạn\s+[\d\s\-–,]+|tầm\s+nhìn(?:\s+đến)?(?:\s+năm)?\s+\d{4}|"
              r"\([^)]{0,40}\)))*")
_SOL_HEAD = regex.compile(
    r"(?:nội\s+dung\s*(?:,|và)\s*)?(?:(?:một\s+số|các|những)\s+)?(?:nhóm\s+)?(?:nhiệm\s+vụ|giải\s+pháp|biện\s+pháp)"
    r"(?:\s*(?:,|và)\s*(?:các\s+)?(?:nhiệm\s+vụ|giải\s+pháp|biện\s+pháp))*" + _HEAD_TAIL +
    r"(?:\s+(?:để|nhằm)\s+[^.:;?]{0,120})?", regex.IGNORECASE)
_OBJ_HEAD = regex.compile(
    r"(?:quan\s+điểm\s*(?:,|và)\s*)?(?:các\s+)?mục\s+(?:tiêu|đích)" + _HEAD_TAIL +
    r"(?:\s+(?:của|để|nhằm|về)\s+[^.:;?]{0,80})?", regex.IGNORECASE)
_PURPOSE_HEAD = regex.compile(r"(?:các\s+)?mục\s+đích", regex.IGNORECASE)
_PERIOD_HEAD = regex.compile(
    r"(?:(?:mục\s+tiêu|nhiệm\s+vụ|giải\s+pháp)\s+)?(?:(?:đến|trong|tới)\s+)?(?:(?:hết\s+)?năm\s+\d{4}|"
    r"giai\s+đoạn\s+[\d\s\-–,]+|(?:đến\s+)?năm\s+\d{4}\s*(?:,|và)\s*(?:tầm\s+nhìn\s+)?(?:đến\s+)?(?:năm\s+)?\d{4}|"
    r"(?:mục\s+tiêu\s+)?(?:chung|cụ\s+thể|tổng\s+quát|dài\s+hạn|trước\s+mắt))", regex.IGNORECASE)


def _head_text(content: str) -> str:
    return content.strip(" *_:").strip()


# one of them is in every heading _heading_kind accepts (mục tiêu, mục đích / nhiệm vụ, giải pháp, biện pháp, nội dung)
_HEADING_WORDS = tuple(regex.compile(word, regex.IGNORECASE) for word in ("tiêu", "đích", "vụ", "pháp", "dung"))
_BARE_DUTIES = {fold_tones(x) for x in ("nhiệm vụ", "các nhiệm vụ", "những nhiệm vụ", "một số nhiệm vụ",
                                           "nhiệm vụ khác", "nhiệm vụ thực hiện", "nhiệm vụ chung")}


_SENTENCE_BREAK = regex.compile(r"[.;!]\s")


# a portal's question heading over a quoted list ("Mục tiêu của Nghị quyết 57-NQ/TW là gì?", "Nội dung
# Phong trào … ra sao?", "Nghị quyết 68 đề ra mục tiêu đến năm 2030 … thế nào?")
_QUESTION_HEAD = regex.compile(
    r"(?:[^?]{0,80}?\b(?:đề\s+ra|đặt\s+ra|nêu|xác\s+định)\s+(?:những\s+|các\s+)?)?"
    r"(?P<noun>mục\s+tiêu|nội\s+dung|nhiệm\s+vụ|giải\s+pháp)\b[^?]{0,150}?"
    r"(?:là\s+gì|ra\s+sao|thế\s+nào|gồm\s+những\s+gì|những\s+gì)\s*\?$", regex.IGNORECASE)
# "II. NỘI DUNG KẾ HOẠCH", "NỘI DUNG THỰC HIỆN": a plan's tasks ("Nội dung chính" of a portal page,
# "Nội dung toàn văn", "Nội dung quy hoạch" are not)
_CONTENT_HEAD = regex.compile(
    r"nội\s+dung(?:\s+(?:kế\s+hoạch|thực\s+hiện|chủ\s+yếu|trọng\s+tâm|triển\s+khai|hoạt\s+động|"
    r"nhiệm\s+vụ|công\s+việc|phong\s+trào))?", regex.IGNORECASE)


def _heading_kind(content: str) -> Optional[str]:
    """The kind of a section heading line, or None."""
    head = _head_text(content)
    if head.endswith("?") and len(head) <= 200:
        question = _QUESTION_HEAD.fullmatch(head)
        if question:
            return OBJ if fold_tones(question["noun"].lower()).startswith(_F_MUC_TIEU) else SOL
        return None
    if not head or head.endswith("?") or len(head) > 160 or _SENTENCE_BREAK.search(head):
        return None
    if _CONTENT_HEAD.fullmatch(head) and (head.isupper() or len(head.split()) > 2):
        return CONTENTS
    if content.rstrip(" *_").endswith(":") is False and ":" in head:
        return None
    if _OBJ_HEAD.fullmatch(head):
        return PURPOSES if _PURPOSE_HEAD.match(head) else OBJ
    if _SOL_HEAD.fullmatch(head):
        folded = fold_tones(head)
        # a bare "Nhiệm vụ" is someone's duties (an article of a statute, a job description)
        if folded in _BARE_DUTIES:
            return None
        return SOL
    return None


_SITUATION_HEAD = regex.compile(r"(?:hiện\s+trạng|thực\s+trạng|chỉ\s+tiêu|tình\s+hình|kết\s+quả|đánh\s+giá|bối\s+cảnh|"
                             r"căn\s+cứ|sự\s+cần\s+thiết|quan\s+điểm|tầm\s+nhìn|định\s+hướng)\b", regex.IGNORECASE)


def _is_container_item(item: str) -> bool:
    """An item that is a section of its own: goals, tasks, the situation, a period."""
    return bool(_heading_kind(item) or _PERIOD_HEAD.fullmatch(_head_text(item)) or _SITUATION_HEAD.match(item))


_INTRODUCES_FOLLOWING = regex.compile(r"(?:sau(?:\s+đây)?|như\s+sau|gồm)\s*:$", regex.IGNORECASE)


def _is_group_label(content: str) -> bool:
    """A sub-heading that only groups items: 'Đến năm 2030', 'Mục tiêu cụ thể', 'Giai đoạn 2021-2025'."""
    head = _head_text(content)
    if _INTRODUCES_FOLLOWING.search(content.rstrip("*_ ")):
        return True  # "Phấn đấu đến cuối năm 2025 đạt các mục tiêu, chỉ tiêu sau:"
    return bool(_PERIOD_HEAD.fullmatch(head) or _heading_kind(content))


_STOP_LINE = regex.compile(r"^(?:(?:điều|chương|phần|mục)\s+(?:\d+|[IVXLC]+)\b|trên\s+đây|như\s+vậy|xem\s+chi\s+tiết|nơi\s+nhận|quý\s+khách|\.\.\.|…|"
                           r"tệp\s+đính\s+kèm|các\s+tin\s+khác|tin\s+liên\s+quan)", regex.IGNORECASE)


def _is_break(text: str, block: Block) -> bool:
    """An unmarked block that ends a section: a heading, a caption, a closing line."""
    raw = text[block.start:block.end].strip()
    content = block.content(text)
    if _STOP_LINE.match(content.strip("*_ ")):
        return True
    if raw.startswith("*") and raw.endswith("*"):
        return True
    if content.rstrip("* ").endswith("?"):
        return True
    if content.rstrip("* ").endswith(":"):
        return True
    if _is_caps(content) and len(content) < 200:
        return True
    return False


_SENTENCE_SPLIT = regex.compile(r"(?<=[.;!?])\s+(?=\p{Lu})")


def _intro_kind(text: str, block: Block) -> Optional[str]:
    """An unmarked paragraph whose last sentence introduces a list: '… 6 nhiệm vụ chính như sau:'."""
    if text[block.end - 1] not in ":*_":
        return None  # the block's last character (not a space) is its content's last one
    content = block.content(text)
    if not content.rstrip("*_ ").endswith(":") or _is_caps(content):
        return None
    last = _SENTENCE_SPLIT.split(content.rstrip("*_ "))[-1]
    return _cue_kind(last)


# --- sections --------------------------------------------------------------------------------

@dataclass
class _List:
    kind: str
    items: list[ListItem]
    start: int
    end: int

    @cached_property
    def item_keys(self) -> list[str]:
        """The items' folded words, to find a list repeated."""
        return [_words_key(it.text) for it in self.items]


_AGENCY = regex.compile(
    r"(?:các\s+)?(?:sở|bộ|ủy\s+ban|ubnd|ban|công\s+an|văn\s+phòng|cục|tổng\s+cục|trung\s+tâm|đài|báo|hội|"
    r"liên\s+đoàn|mặt\s+trận|tỉnh\s+đoàn|thành\s+đoàn|đoàn|kho\s+bạc|ngân\s+hàng|chủ\s+tịch|giám\s+đốc|"
    r"thủ\s+trưởng|bộ\s+trưởng|bộ\s+chỉ\s+huy|viện|trường|cơ\s+quan|đơn\s+vị|hội\s+đồng|tòa\s+án)\b",
    regex.IGNORECASE)


def _is_agency(label: str) -> bool:
    """A label that names an office ('Sở Tài chính', 'Ủy ban nhân dân các xã')."""
    return bool(_AGENCY.match(label)) and len(label.split()) <= 14


_NUMBERED_LABEL = regex.compile(r"[*_\s]*(?:mục\s+tiêu|nhiệm\s+vụ|giải\s+pháp|nhóm\s+giải\s+pháp)\s+\d{1,2}\s*[.:]\s*",
                                regex.IGNORECASE)


def _section(text: str, blocks: list[Block], i: int, kind: str, from_intro: bool) -> tuple[Optional[_List], int]:
    """Items of the section headed by blocks[i]; returns the list and the index where it ends."""
    head = blocks[i]
    ancestors = {head.marker} if head.marker else set()
    style: Optional[str] = None
    group_style: Optional[str] = None
    children: set[str] = set()
    items: list[ListItem] = []
    unmarked_before = 0
    j = i + 1
    while j < len(blocks):
        b = blocks[j]
        content = b.content(text)
        if b.marker is None:
            if style is None:
                # "Mục tiêu … là gì?" / "Tại Mục II … như sau:" / items: one lead-in that opens the list
                lead_in = (not from_intro and unmarked_before == 0 and content.rstrip("*_ ").endswith(":")
                           and not _is_caps(content) and _intro_kind(text, b) in (None, kind))
                if not lead_in and (from_intro or _is_break(text, b) or unmarked_before >= 1 or _intro_kind(text, b)):
                    break
                unmarked_before += 1
                j += 1
                continue
            if content.rstrip("*_ ").endswith(":") and j + 1 < len(blocks) and not _is_caps(content):
                # "Một số chỉ tiêu cơ bản bao gồm:" introducing the children of an item goes on;
                # an introduction to a list of the item level or higher ends the section
                nxt = blocks[j + 1].marker
                if nxt and nxt != style and nxt not in ancestors and (
                        nxt in children or _RANK[nxt] > _RANK[style]) and not _intro_kind(text, b):
                    j += 1
                    continue
            if _is_break(text, b) or _heading_kind(content) or _intro_kind(text, b):
                break
            j += 1
            continue
        m = b.marker
        if m in ancestors or m == "roman" and style != "roman":
            break
        if style is None:
            if m == group_style or (group_style is None and _is_group_label(content) and not items):
                group_style = m
                j += 1
                continue
            style = m
        if m == group_style and m != style:
            if _is_group_label(content):
                j += 1
                continue
            break
        if m == style:
            body = b.body
            pre = _NUMBERED_LABEL.match(text, body, b.end)
            if pre:
                body = pre.end()
            end = _label_end(text, body, b.end)
            it = _item(text, body, end, cap=250)
            if it and not (kind in (OBJ, PURPOSES) and is_target_like(
                    text[b.body:_first_sentence_end(text, b.body, b.end)])):
                items.append(it)
            j += 1
            continue
        if m in children:
            j += 1
            continue
        if _RANK[m] < _RANK[style]:
            break
        children.add(m)
        j += 1
    if not items:
        return None, j
    if sum(1 for it in items if _is_agency(it.text)) * 2 > len(items):
        return None, j  # "IV. NHIỆM VỤ CỤ THỂ: 1. Sở Nông nghiệp …": an assignment of duties, not a list
    if kind in (OBJ, PURPOSES):
        items = [it for it in items if not is_target_like(it.text)]
    return _List(kind, items, blocks[i].start, blocks[j - 1].end), j


# --- running text ----------------------------------------------------------------------------

_ANNOUNCE = regex.compile(
    r"(?P<count>" + _COUNT + r")\s+(?P<noun>(?:[\p{L}]+\s+){0,3}?[\p{L}]+)(?P<mid>(?:\s+[\p{L}]+){0,6}?)"
    r"(?:\s*,?\s*(?P<intro>đó\s+là|cụ\s+thể\s+là|cụ\s+thể|bao\s+gồm|gồm|là|như\s+sau|sau))?\s*:\s*"
    r"|(?P<count2>" + _COUNT + r")\s+(?P<noun2>(?:[\p{L}]+\s+){0,3}?[\p{L}]+)(?P<mid2>(?:\s+[\p{L}]+){0,6}?)"
    r"\s*,?\s*(?:đó\s+là|cụ\s+thể\s+là|bao\s+gồm)\s+(?=\p{L})",
    regex.IGNORECASE)
_INTRO_HINT = regex.compile(r"đó\s+là|cụ\s+thể\s+là|bao\s+gồm", regex.IGNORECASE)
_INTRO_HINT_WORDS = (regex.compile("là", regex.IGNORECASE), regex.compile("gồm", regex.IGNORECASE))
# what _ANNOUNCE is made of up to its ":" (letters, digits, spaces, commas), and the spaces after the ":"
_ANNOUNCE_RUN = regex.compile(r"[\p{L}\d\s,]++", regex.IGNORECASE)
_SPACES = regex.compile(r"\s*")
_COLON_INTRO = regex.compile(
    r"(?:(?:các|những|một\s+số|nhóm)\s+(?:" + _SOL_NOUN + r"|" + _OBJ_NOUN + r")|nội\s+dung\s+trọng\s+tâm)"
    r"[^.:;?!]{0,100}?(?<=\b(?:là|gồm|bao\s+gồm|sau|sau\s+đây|cụ\s+thể|trọng\s+tâm|chủ\s+yếu|cơ\s+bản|chính|"
    r"giải\s+pháp|nhiệm\s+vụ|biện\s+pháp|mục\s+tiêu))\s*:\s*(?=\S)", regex.IGNORECASE)
_THAT_IS_END = regex.compile(r"(?:đó|cụ\s+thể)\s+là\s*:?\s*$", regex.IGNORECASE)
_UNIT_WORD = regex.compile(r"(?:năm|tháng|ngày|lần|giờ|người|%)\b", regex.IGNORECASE)
_YEAR_LIKE = regex.compile(r"(?:19|20)\d\d")
_SEMI = regex.compile(r";\s+")
_COMMA = regex.compile(r",\s+")


def _split(text: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    if sep == ".":
        cuts = [(m.start(), m.end()) for m in _SENT_END.finditer(text, start, end)]
    else:
        pattern = _SEMI if sep == ";" else _COMMA
        cuts = [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    out, pos = [], start
    for a, b in cuts:
        out.append((pos, a))
        pos = b
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


_CLAUSE_END = regex.compile(r"[.;!?:]\s+")


def _sentence_bounds(text: str, pos: int, lo: int) -> int:
    """Start of the sentence that contains ``pos`` (not before ``lo``)."""
    best = lo
    for m in _CLAUSE_END.finditer(text[lo:pos]):
        best = lo + m.end()
    return best


def _search_announcement(text: str, pos: int, end: int, intro_words: _Offsets) -> Optional[regex.Match]:
    """``_ANNOUNCE.search(text, pos, end)``, run only where a match can start (the search is costly).

    Up to its ":", a match is made of letters, digits, spaces and commas; without a ":" it has
    "đó là / cụ thể là / bao gồm" in it. So it starts in a run of these characters that is followed
    by ":" or has "là" / "gồm" in it, and the regex, matching from there, reads no further than the
    character after the run, or after the ":" and the spaces that follow it: each such run is
    searched alone, up to there.
    """
    for run in _ANNOUNCE_RUN.finditer(text, pos, end):
        run_start, run_end = run.span()
        if run_end < end and text[run_end] == ":":
            stop = _SPACES.match(text, run_end + 1, end).end() + 1
        elif intro_words.any_in(run_start, run_end):
            stop = run_end + 1
        else:
            continue
        m = _ANNOUNCE.search(text, run_start, min(stop, end))
        if m:
            return m
    return None


def _announced(text: str, block: Block, intro_words: _Offsets) -> list[_List]:
    """Lists announced with a count; ``intro_words`` are the _INTRO_HINT_WORDS of the document."""
    out: list[_List] = []
    content_start, end = block.body, block.end
    if text.find(":", content_start, end) < 0 and not (
            intro_words.any_in(content_start, end) and _INTRO_HINT.search(text, content_start, end)):
        return out  # every announced list ends its announcement with ":" or "đó là / cụ thể là / bao gồm"
    pos = content_start
    while pos < end:
        m = _search_announcement(text, pos, end, intro_words)
        if not m:
            break
        count = m.group("count") or m.group("count2")
        words = " ".join(filter(None, (m.group("noun") or m.group("noun2"), m.group("mid") or m.group("mid2"))))
        kind = None
        cue = _CUE.search(words)
        if cue and cue.start() == 0:
            kind = _kind_of_noun(cue.group("noun"))
        elif _THAT_IS_END.search(m.group(0)) and not _UNIT_WORD.match(words):
            # "ba đột phá chiến lược đó là" — the kind from the sentence before the count
            sent_start = _sentence_bounds(text, m.start(), content_start)
            kind = _cue_kind(text[sent_start:m.start()], strict=False)
        if kind is None or (count.isdigit() and _YEAR_LIKE.match(count)):
            pos = m.end()
            continue
        n = int(count) if count.isdigit() else _COUNT_WORDS.get(count.lower(), 0)
        if not 2 <= n <= 20:
            pos = m.end()
            continue
        lst = _split_list(text, m.end(), end, kind, n)
        if lst:
            out.append(lst)
            pos = lst.end
        else:
            pos = m.end()
    return out


def _split_list(text: str, start: int, end: int, kind: str, n: Optional[int]) -> Optional[_List]:
    """Items of an inline list from ``start`` to ``end``: the split that fits the count best."""
    # a list in running text ends at the end of the paragraph
    options = []
    for sep in (".", ";", ","):
        parts = _split(text, start, end, sep)
        if sep == "," and (n is None or sum(b - a for a, b in parts) / max(1, len(parts)) > 80):
            continue
        options.append((sep, parts))
    chosen = None
    if n:
        exact = [p for _, p in options if len(p) == n]
        if exact:
            chosen = exact[0]
        else:
            longer = [p for _, p in options if len(p) > n]
            if longer:
                chosen = min(longer, key=len)[:n]
            else:
                shorter = [p for _, p in options if 2 <= len(p) < n]
                chosen = max(shorter, key=len) if shorter else None
    else:
        for sep, parts in options:
            if sep != "," and len(parts) >= 2:
                chosen = parts
                break
    if not chosen:
        return None
    items = [it for it in (_item(text, a, b, cap=600) for a, b in chosen) if it]
    if len(items) < 2:
        return None
    if kind == OBJ:
        items = [it for it in items if not is_target_like(it.text)]
    return _List(kind, items, start, chosen[-1][1])


_ORDINAL_FOLLOWS = regex.compile(r"\s*thứ\s+nhất|\s*một\s+là", regex.IGNORECASE)


def _colon_lists(text: str, block: Block) -> list[_List]:
    out = []
    if text.find(":", block.body, block.end) < 0:
        return out  # _COLON_INTRO ends in ":"
    for m in _COLON_INTRO.finditer(text, block.body, block.end):
        kind = _cue_kind(m.group(0), strict=False)
        if kind is None or m.end() >= block.end - 3:
            continue
        if _ORDINAL_FOLLOWS.match(text[m.end():m.end() + 12]):
            continue
        lst = _split_list(text, m.end(), block.end, kind, None)
        if lst:
            out.append(lst)
    return out


_ORDINAL = regex.compile(
    r"(?:(?<![\p{L}])(?P<thu>thứ)\s+(?P<o1>nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\s*(?:là\b|,|:)"
    r"|(?<![\p{L}])(?P<o2>một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+là\s*[,:])\s*",
    regex.IGNORECASE)
_THU = regex.compile("thứ", regex.IGNORECASE)
_LA = regex.compile("là", regex.IGNORECASE)
_SPACES_BEFORE = regex.compile(r"(?r)\s+")  # matched backwards: the spaces that end where the match ends
_ORD_NUM = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
            "tám": 8, "chín": 9, "mười": 10}
_CLAUSE_SPLIT = regex.compile(r"[.;!?]\s+")
_LAST = regex.compile(r"(?:[;,.]?\s*(?:và\s+)?)cuối\s+cùng\s*(?:là\b|,)\s*", regex.IGNORECASE)


def _ordinal_starts(text: str) -> _Offsets:
    """Every offset an _ORDINAL match can start at: a "thứ", or a count word (two to four letters)
    before spaces and "là"."""
    starts = [m.start() for m in _THU.finditer(text)]
    for m in _LA.finditer(text):
        spaces = _SPACES_BEFORE.match(text, 0, m.start())
        if spaces:
            starts += (spaces.start() - 2, spaces.start() - 3, spaces.start() - 4)
    return _Offsets(set(starts))


def _ordinals(text: str, start: int, end: int, ordinal_starts: _Offsets) -> Iterator[regex.Match]:
    """``_ORDINAL.finditer(text, start, end)``, matching only at the offsets a match can start at."""
    pos = start
    for candidate in ordinal_starts.within(start, end):
        if candidate >= pos:
            m = _ORDINAL.match(text, candidate, end)
            if m:
                yield m
                pos = m.end()


def _ordinal_lists(text: str, blocks: list[Block]) -> list[_List]:
    """'Thứ nhất là …; Thứ hai là …; … cuối cùng là …' and 'Một là, … Hai là, …'."""
    marks = []  # (number, match, block index, style)
    ordinal_starts = _ordinal_starts(text)
    for bi in sorted(ordinal_starts.blocks_with(blocks)):
        b = blocks[bi]
        for m in _ordinals(text, b.body if b.marker else b.start, b.end, ordinal_starts):
            word = (m.group("o1") or m.group("o2")).lower()
            style = "thu" if m.group("thu") else "la"
            # a capitalised "Một là" / "Thứ nhất" or one after punctuation
            marks.append((_ORD_NUM[word], m, bi, style))
    out = []
    k = 0
    while k < len(marks):
        num, m, bi, style = marks[k]
        if num != 1:
            k += 1
            continue
        run = [marks[k]]
        nxt = k + 1
        while nxt < len(marks) and marks[nxt][0] == run[-1][0] + 1 and marks[nxt][3] == style \
                and marks[nxt][2] - run[-1][2] <= 3:
            run.append(marks[nxt])
            nxt += 1
        if len(run) < 2:
            k += 1
            continue
        first_block = blocks[run[0][2]]
        lo = first_block.start
        if not text[first_block.body:run[0][1].start()].strip(" *_") and run[0][2] > 0:
            lo = blocks[run[0][2] - 1].start  # "Thứ nhất, …" opens its paragraph: the cue is before
        before = text[lo:run[0][1].start()].rstrip()
        clause = _CLAUSE_SPLIT.split(before)[-1]
        kind = _cue_kind(clause)
        if kind is None:
            k = nxt
            continue
        items = []
        for idx, (_, mm, b_i, _) in enumerate(run):
            blk = blocks[b_i]
            stop = blk.end
            if idx + 1 < len(run) and run[idx + 1][2] == b_i:
                stop = run[idx + 1][1].start()
            stop = min(stop, _first_sentence_end(text, mm.end(), stop))
            last = _LAST.search(text, mm.end(), stop) if idx == len(run) - 1 else None
            if last:
                it = _item(text, mm.end(), last.start(), cap=600)
                if it:
                    items.append(it)
                tail_end = _first_sentence_end(text, last.end(), blk.end)
                it = _item(text, last.end(), tail_end, cap=600)
            else:
                it = _item(text, mm.end(), stop, cap=600)
            if it:
                items.append(it)
        if kind == OBJ:
            items = [it for it in items if not is_target_like(it.text)]
        if items:
            out.append(_List(kind, items, run[0][1].start(), items[-1].span.end))
        k = nxt
    return out


# --- main ------------------------------------------------------------------------------------

_WORD = regex.compile(r"\w+")


def _words_key(item: str) -> str:
    """An item's words, folded, for comparing items."""
    return " ".join(_WORD.findall(fold_tones(item)))


def _similar(fa: str, fb: str) -> bool:
    """The same item repeated (possibly with a longer tail), given the items' word keys."""
    return bool(fa and fb) and (fa.startswith(fb) or fb.startswith(fa))


def _repeats(lst: _List, kept: list[_List]) -> bool:
    """Most items of a list (of two or more) repeat items of the kept lists of its kind."""
    if len(lst.items) < 2:
        return False
    earlier = [key for k in kept if k.kind == lst.kind for key in k.item_keys]
    if not earlier:
        return False
    repeats = sum(any(_similar(key, e) for e in earlier) for key in lst.item_keys)
    return repeats >= 0.6 * len(lst.items)


_COLON = regex.compile(":")


def find_lists(doc: Document) -> tuple[list[ListItem], list[ListItem]]:
    """(objectives, solutions) found in a document (spans in ``doc.text``)."""
    text = doc.text
    blocks = doc.paragraphs
    lists: list[_List] = []
    lists += _ordinal_lists(text, blocks)
    # most blocks have neither the words of a heading nor the ":" or "là" / "gồm" of an announced
    # list: those rules are run only on the blocks that have them
    heading_blocks = _Offsets.of_words(text, _HEADING_WORDS).blocks_with(blocks)
    colon_blocks = _Offsets.of_words(text, (_COLON,)).blocks_with(blocks)
    intro_words = _Offsets.of_words(text, _INTRO_HINT_WORDS)
    announce_blocks = colon_blocks | intro_words.blocks_with(blocks)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        kind = _heading_kind(b.content(text)) if i in heading_blocks else None
        from_intro = False
        if kind is None and b.marker is None:
            kind = _intro_kind(text, b)
            from_intro = kind is not None
        if kind:
            lst, j = _section(text, blocks, i, SOL if kind == CONTENTS else kind, from_intro)
            if lst and kind == CONTENTS and any(_is_container_item(it.text) for it in lst.items):
                lst = None  # "II. NỘI DUNG" over "1. Mục tiêu …", "2. Hiện trạng": its sections speak for themselves
                j = i + 1
            if lst:
                lists.append(lst)
                i = max(j, i + 1)
                continue
        if i in announce_blocks:
            lists += _announced(text, b, intro_words) + _colon_lists(text, b)
        i += 1
    # drop lists overlapping an earlier-found one, and lists that repeat an earlier list
    kept: list[_List] = []
    for lst in sorted(lists, key=lambda x: x.start):
        if not lst.items:
            continue
        if any(lst.start < k.end and k.start < lst.end for k in kept):
            continue
        if _repeats(lst, kept):
            continue
        kept.append(lst)
    objectives = [it for k in kept if k.kind == OBJ for it in k.items]
    if not objectives:
        objectives = [it for k in kept if k.kind == PURPOSES for it in k.items]
    solutions = [it for k in kept if k.kind == SOL for it in k.items]
    if not solutions:
        solutions = _accordingly_list(text)
    return objectives, solutions


# "Theo đó, trong năm 2020, Minh Hóa ưu tiên A; rà soát B; nâng cấp C; …": a news report of a plan
# lists its tasks as semicolon clauses after "Theo đó" — used only when no announced list exists.
_ACCORDINGLY = regex.compile(r"(?m)^[ \t]*Theo đó,[ ]*")
_ACCORDINGLY_LEAD = regex.compile(
    r"[ ]*(?:(?:trong|đến|tới|từ nay đến)[ ]+(?:hết[ ]+)?năm[ ]+\d{4}[ ]*,[ ]*)?"
    r"(?:[\p{Lu}][\p{L}]*(?:[ ][\p{Lu}][\p{L}]*){0,4}[ ]+)?(?:sẽ[ ]+)?")
_ITEM_TAIL = regex.compile(r",[ ]*(?:đến|trong|tới)[ ]+(?:hết[ ]+)?năm[ ]+\d{4}\b.*$")
_QUANTIFIED = regex.compile(r"\d[\d.,]*[ ]?%|\bđã\b")


def _accordingly_list(text: str) -> list[ListItem]:
    for m in _ACCORDINGLY.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        clauses = _split(text, m.end(), line_end, ";")
        if len(clauses) < 3:
            continue
        pieces = [text[a:b] for a, b in clauses]
        if sum(bool(_QUANTIFIED.search(p)) for p in pieces) > 1:
            continue  # targets or results, not tasks
        items = []
        for n, (a, b) in enumerate(clauses):
            if n == 0:
                colon = text.find(":", a, min(b, a + 80))  # "Theo đó, Quy định nêu rõ: A; B; C"
                lead = None if colon >= 0 else _ACCORDINGLY_LEAD.match(text, a, b)
                a = colon + 1 if colon >= 0 else (lead.end() if lead else a)
            piece = _ITEM_TAIL.sub("", text[a:b]).strip(" .;,")
            if len(piece.split()) >= 2 and piece[:1].islower():
                items.append(ListItem(piece, Span(a, a + len(piece))))
        if len(items) >= 3:
            return items
    return []
