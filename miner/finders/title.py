"""The title of a document: the title block of an official text, else the headline of a page.

An official text's title is its type word and subject ("QUYẾT ĐỊNH" / "Về việc phê duyệt …",
read by the document model's title block); a portal page's is its headline — the first line
that is not a site banner, navigation or a date, a capitals slogan skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex

from miner import rulebook
from miner.document.model import Document
from miner.folding import fold_tones, is_upper_line


@dataclass(frozen=True)
class Line:
    text: str  # stripped
    start: int  # offset of the stripped text in the document
    end: int
    after_blank: bool = False  # a blank line (or markup-only line) separates it from the previous line


def _all_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _boilerplate() -> list[regex.Pattern]:
    return [regex.compile(r["pattern"], regex.IGNORECASE) for r in rulebook.read_jsonl("page_boilerplate.jsonl")]


@lru_cache(maxsize=1)
def _title_suffixes() -> list[regex.Pattern]:
    return [regex.compile(r["pattern"], regex.IGNORECASE) for r in rulebook.read_jsonl("title_suffixes.jsonl")]


def is_boilerplate(line: str) -> bool:
    return any(p.search(line) for p in _boilerplate())


_NATIONAL_HEADER = regex.compile(
    r"cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|đảng\s+cộng\s+sản\s+việt\s+nam|độc\s+lập\s*-\s*tự\s+do",
    regex.IGNORECASE,
)
_DATE_LINE = regex.compile(r"(?:ngày\s+đăng|ngày\s+cập\s+nhật|^thứ\s+\S+\s*[,\-]|\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d)",
                           regex.IGNORECASE)
_HEADER_LINE = regex.compile(
    r"^(?:số\s*:|[-_=*\s]+$|độc\s+lập|cộng\s+hòa|đảng\s+cộng\s+sản|\*?[\p{Lu}][\p{L} .]{1,40},\s*ngày)",
    regex.IGNORECASE,
)


@lru_cache(maxsize=1)
def _doc_type_words() -> frozenset[str]:
    return frozenset(fold_tones(alias) for t in rulebook.tables().types for alias in t.aliases)


def _clean_title(title: str) -> str:
    title = " ".join(title.strip(" *#_-:|").split())
    for pattern in _title_suffixes():
        title = pattern.sub("", title)
    return title.strip()


def _official_title(lines: list[Line]) -> Optional[str]:
    """'QUYẾT ĐỊNH' + the subject lines under it, in an official document's header."""
    type_words = _doc_type_words()
    for i, line in enumerate(lines[:60]):
        type_line = line.text.strip(" *")
        skip = 0
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and not nxt.after_blank and len(type_line.split()) == 1 \
                and fold_tones(f"{type_line} {nxt.text.strip(' *')}") in type_words:
            type_line, skip = f"{type_line} {nxt.text.strip(' *')}", 1  # "THÔNG" / "TƯ" wrapped over two lines
        if _all_capitals(type_line) and fold_tones(type_line) in type_words:
            subject: list[str] = []
            for follower in lines[i + 1 + skip:i + 8 + skip]:
                text = follower.text.strip(" *")
                if subject and (follower.after_blank or not _all_capitals(text)):
                    break
                if not subject and not _all_capitals(text):
                    subject.append(text)
                    break
                if fold_tones(text).startswith(("ủy ban nhân dân", "bộ trưởng", "thủ tướng", "chủ tịch", "căn cứ")) and subject:
                    break
                subject.append(text)
                if text.endswith((".", ":")):
                    break
            return sentence_case(_clean_title(" ".join([type_line] + subject)))
    # no type line: the first capitals line after the header block, before the body starts
    past_header = False
    for line in lines[:40]:
        text = line.text.strip(" *")
        if _HEADER_LINE.search(text):
            past_header = True
            continue
        if len(text) > 120 and not _all_capitals(text):
            break
        if past_header and is_upper_line(text) and len(text.split()) >= 3 and not _NATIONAL_HEADER.search(text):
            return sentence_case(_clean_title(text))
    return None


@lru_cache(maxsize=1)
def _place_prefix() -> regex.Pattern:
    """A unit word before a place name (``rules/admin_levels.jsonl``), in a lower-cased title."""
    words = sorted((w.word for w in rulebook.admin_words() if w.role == "prefix" and not w.abbreviation),
                   key=len, reverse=True)
    return regex.compile(r"\b(?:" + "|".join(regex.escape(w) for w in words) + r")[ ]+", regex.IGNORECASE)
_KEEP_UPPER = regex.compile(r"\b(?:[\p{Lu}\d]*\d[\p{Lu}\d]*|[\p{Lu}]+[\d/\-][\p{Lu}\d/\-]*|UBND|HĐND|CNTT|MTTQ|BHYT|BHXH|GDP|ASEAN|[IVX]{2,})\b")


def sentence_case(title: str) -> str:
    """'QUYẾT ĐỊNH VỀ VIỆC … TỈNH VĨNH PHÚC' → 'Quyết định về việc … tỉnh Vĩnh Phúc'."""
    if not _all_capitals(title):
        return title
    keep = {m.span(): m.group() for m in _KEEP_UPPER.finditer(title)}
    lowered = title.lower()
    chars = list(lowered)
    for (start, end), word in keep.items():
        chars[start:end] = list(word)
    lowered = "".join(chars)
    from miner.finders.places import lookup

    out = lowered
    for m in _place_prefix().finditer(lowered):
        words = lowered[m.end():].split(" ")
        for size in (4, 3, 2, 1):
            name = " ".join(words[:size])
            if len(words) >= size and lookup(name.strip(",.;:")):
                titled = " ".join(w[:1].upper() + w[1:] for w in words[:size])
                out = out[: m.end()] + titled + out[m.end() + len(name):]
                break
    return out[:1].upper() + out[1:]


HEAD_LINES = 70  # the rules below look no further (60 lines and the 8 after a type line)


def _from_title_block(doc: Document) -> Optional[str]:
    """'QUYẾT ĐỊNH' + 'Về việc phê duyệt …' → 'Quyết định về việc phê duyệt …'."""
    block = doc.title_block
    if block is None:
        return None
    type_words = sentence_case(_clean_title(block.type_line.text))
    subject = " ".join(f.text for f in block.subject)
    subject = _clean_title(subject)
    if _all_capitals(subject):
        subject = sentence_case(subject)
        subject = subject[:1].lower() + subject[1:]
    elif subject[:2].istitle() and not _KEEP_UPPER.match(subject):
        subject = subject[:1].lower() + subject[1:]
    title = _FOOTNOTE_MARK.sub("", " ".join(p for p in (type_words, subject) if p))
    return title or None


# a footnote number glued to a word of the title ("… Kiểm soát viên1 công ty …", "… Quân đội1" in a
# consolidated text)
_FOOTNOTE_MARK = regex.compile(r"(?<=\p{Ll})\d{1,2}(?=\s|$)")


def find_title(doc: Document) -> Optional[str]:
    lines = [Line(" ".join(ln.text.split()), ln.start, ln.end, ln.after_blank) for ln in doc.lines[:HEAD_LINES]]
    if not lines:
        return None
    first_content = next((ln for ln in lines[:5] if not is_boilerplate(ln.text)), None)
    opens_with_type = bool(first_content and _all_capitals(first_content.text)
                           and fold_tones(first_content.text.strip(" *")) in _doc_type_words())
    if doc.official or opens_with_type:
        official = _from_title_block(doc) or _official_title(lines)
        if official:
            return official
        # a full text without a type line or a capitals subject: fall through to the first headline
    candidates = [ln for ln in lines[:12] if not is_boilerplate(ln.text) and not _HEADER_LINE.search(ln.text)]
    candidates = [ln for ln in candidates if len(ln.text.split()) >= 3 or ln is lines[0]]
    if not candidates:
        return None
    first = candidates[0]
    # An all-capitals first line followed by a normal headline is a site slogan.
    if is_upper_line(first.text) and len(candidates) > 1:
        second = candidates[1]
        if not is_upper_line(second.text) and len(second.text.split()) >= 4 and not _DATE_LINE.search(second.text[:40]):
            follower = candidates[2].text if len(candidates) > 2 else ""
            if _DATE_LINE.search(follower) or len(first.text) > 120:
                first = second
    title = _clean_title(first.text[:1000])
    if len(title) > 400:
        cut = regex.search(r"[.?!](?=\s)", title[:400])
        title = title[: cut.end()] if cut else title[:400]
    if _all_capitals(title) and len(title) > 30:
        title = sentence_case(title)
    return title or None
