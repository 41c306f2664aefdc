"""The frame of an official text: its header block, its title block and its closing block.

An official document (Nghị định 30/2020/NĐ-CP, Phụ lục I; Hướng dẫn 36-HD/VPTW) opens with a
two-column header — the issuer and the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM /
Độc lập - Tự do - Hạnh phúc"), then its own number ("Số: 118/2026/NĐ-CP") and the place and
date of issue ("Hà Nội, ngày 03 tháng 4 năm 2026") — which a text layer gives in whatever
order its columns come out, sometimes two cells on one line. The title follows: the type word
in capitals ("NGHỊ ĐỊNH") and the subject lines up to the preamble ("Căn cứ …") or the
enacting authority ("THỦ TƯỚNG CHÍNH PHỦ"). The closing block holds the signer's office
("KT. BỘ TRƯỞNG / THỨ TRƯỞNG") and name; a consolidated text (Văn bản hợp nhất) carries its
own number, date and signer there, under "XÁC THỰC VĂN BẢN HỢP NHẤT".

The words are data (``rules/document_frame.jsonl``, the type words of ``rules/document_types.jsonl``).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex

from miner import rulebook
from miner.document.blocks import is_caps
from miner.folding import fold_ascii, fold_tones

HEAD_LINES = 60  # the header and title stand within the first lines
TITLE_LINES = 8  # subject lines at most
TITLE_CHARS = 1200  # a subject may name the documents it amends, dates and all
CLOSING_LINES = 12  # from the office line to the signer's name at most


@dataclass(frozen=True)
class Field:
    text: str
    start: int
    end: int


@dataclass
class Header:
    start: int
    end: int
    issuer: Optional[Field] = None
    motto: Optional[Field] = None
    number: Optional[Field] = None  # the value after "Số:" ("118/2026/NĐ-CP")
    number_label: Optional[str] = None  # "Số", "Luật số"
    place: Optional[Field] = None
    date: Optional[Field] = None  # as written ("03 tháng 4 năm 2026")


@dataclass
class TitleBlock:
    start: int
    end: int
    type_line: Field
    subject: list[Field] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([self.type_line.text] + [f.text for f in self.subject])


@dataclass
class Closing:
    start: int
    end: int
    offices: list[Field] = field(default_factory=list)  # "TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"
    signer: Optional[Field] = None
    certification: bool = False  # the block of a Văn bản hợp nhất
    number: Optional[Field] = None
    issuer: Optional[Field] = None
    place: Optional[Field] = None
    date: Optional[Field] = None


@dataclass(frozen=True)
class _Line:
    text: str
    start: int
    end: int
    after_blank: bool


# --- vocabulary ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Words:
    motto: regex.Pattern
    number_line: regex.Pattern
    dateline: regex.Pattern
    preamble: regex.Pattern
    preamble_weak: regex.Pattern
    office: regex.Pattern
    signing_for: regex.Pattern
    authority: regex.Pattern
    certification: regex.Pattern
    adopted: regex.Pattern
    effective: regex.Pattern
    type_words: frozenset[str]
    office_line: regex.Pattern  # a line that may open a signature block


@lru_cache(maxsize=1)
def words() -> _Words:
    rows = {r["role"]: r["pattern"] for r in rulebook.read_jsonl("document_frame.jsonl")}

    def compiled(role: str) -> regex.Pattern:
        return regex.compile(rows[role], regex.IGNORECASE)

    types = frozenset(fold_tones(a) for t in rulebook.tables().types for a in t.aliases)
    return _Words(compiled("motto"), compiled("number_line"), compiled("dateline"), compiled("preamble_start"),
                  compiled("preamble_weak"), compiled("office"), compiled("signing_for"), compiled("authority"), compiled("certification"),
                  compiled("adopted"), compiled("effective"), types,
                  regex.compile(rf"(?m)^[ \t*_]*(?:{rows['signing_for'].lstrip('^')}|{rows['office']})",
                                regex.IGNORECASE))


# --- lines -----------------------------------------------------------------------------------

def _lines(text: str, start: int, end: int, cells: tuple[int, ...] = (), limit: int = 0) -> list[_Line]:
    """Non-blank lines of text[start:end] (cut at table-cell separators too: a header in a table),
    at most ``limit`` of them when it is given."""
    out = []
    blank = True
    pos = start
    cuts = list(cells[bisect.bisect_left(cells, start):bisect.bisect_left(cells, end)])
    k = 0
    while pos <= end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        pieces = []
        piece_start = pos
        while k < len(cuts) and cuts[k] < line_end:
            pieces.append((piece_start, cuts[k]))
            piece_start = cuts[k] + 1
            k += 1
        pieces.append((piece_start, line_end))
        had = False
        for a, b in pieces:
            raw = text[a:b]
            stripped = raw.strip(" \t*_#>")
            if stripped.strip("-=_|.*") and any(c.isalnum() for c in stripped):
                lead = a + raw.index(stripped[0])
                out.append(_Line(" ".join(stripped.split()), lead, lead + len(stripped), blank and not had))
                had = True
        blank = not had
        if newline < 0 or (limit and len(out) >= limit):
            break
        pos = newline + 1
    return out[:limit] if limit else out


def _is_type_line(text: str) -> bool:
    return is_caps(text) and fold_tones(text.strip(" *:.")) in words().type_words


@lru_cache(maxsize=1)
def _types_by_letters() -> dict[str, str]:
    """A type's letters without spaces or diacritics → its name in capitals ("ketluan" → "KẾT LUẬN")."""
    out: dict[str, str] = {}
    for t in rulebook.tables().types:
        for alias in (t.name, *t.aliases):
            out.setdefault(fold_ascii(alias).replace(" ", ""), t.name.upper())
    return out


# letters set apart: at least one stands alone ("K ÉT LUẬN", "K Ế H O Ạ C H")
_SPACED_OUT = regex.compile(r"^(?=(?:.*[ ])?\S(?:[ ]|$))\S{1,4}(?:[ ]\S{1,4})+$")


def _misprinted_type_line(text: str) -> Optional[str]:
    """The type word of a type line an OCR layer spaced out or mis-accented ("K ÉT LUẬN", "K Ế H O Ạ C H"),
    or a type line in lower case ("kế hoạch"), as capitals; None for any other line."""
    core = text.strip(" *:._")
    if not core or len(core) > 30:
        return None
    if not (_SPACED_OUT.match(core) or core.islower()):
        return None
    return _types_by_letters().get(fold_ascii(core).replace(" ", ""))


@lru_cache(maxsize=1)
def _type_word_pattern() -> str:
    aliases = sorted({a for t in rulebook.tables().types for a in t.aliases}, key=len, reverse=True)
    return "|".join(regex.escape(a) for a in aliases)


class _CitesADocument:
    """A line that opens with a document cited by its number ("Thông tư số 23/2024/TT-BCT …")."""

    @lru_cache(maxsize=1)
    def pattern(self) -> regex.Pattern:
        return regex.compile(rf"(?i:{_type_word_pattern()})(?:[ ]+[\p{{L}}]+){{0,10}}?[ ]+số[ ]*\d", regex.IGNORECASE)

    def match(self, text: str):
        return self.pattern().match(text)


_CITES_A_DOCUMENT = _CitesADocument()
_PERSON = regex.compile(r"^(?:\p{Lu}[\p{Ll}\p{M}]*\.?)(?:[ ]\p{Lu}[\p{Ll}\p{M}]*){1,5}$|^\p{Lu}+(?:[ ]\p{Lu}+){1,5}$")
# what stands between an office and the signer's name: "(Đã ký)", a placeholder "[daky]"
_SIGNED = regex.compile(r"^\(?(?:đã\s+ký|ký\s+và\s+ghi\s+rõ.*|ký,?\s+.*|đã\s+ký\s+và\s+đóng\s+dấu)\)?$|^\[[^\]]{0,30}\]$",
                     regex.IGNORECASE)


def _is_office(text: str) -> bool:
    w = words()
    rest = w.signing_for.sub("", text, count=1)
    return is_caps(text) and len(text) <= 90 and bool(w.office.match(rest) or w.signing_for.match(text))


# --- header and title ------------------------------------------------------------------------

def find_header_and_title(text: str, cells: tuple[int, ...] = ()) -> tuple[Optional[Header], Optional[TitleBlock]]:
    """The header block (when the text is an official document) and the title block, from the first lines."""
    w = words()
    lines = _lines(text, 0, len(text), cells, limit=HEAD_LINES)
    type_at = next((i for i, ln in enumerate(lines) if _is_type_line(ln.text)), None)
    if type_at is None:  # "THÔNG" / "TƯ" wrapped over two lines
        type_at = next((i for i, (a, b) in enumerate(zip(lines, lines[1:]))
                        if is_caps(a.text) and len(a.text.split()) == 1 and _is_type_line(f"{a.text} {b.text}")), None)
        two_line_type = type_at is not None
    else:
        two_line_type = False
    misprinted = None
    if type_at is None:  # a type line mangled by OCR or lower-cased, under a header block's number line
        numbered = next((i for i, ln in enumerate(lines[:25]) if w.number_line.match(ln.text)), None)
        if numbered is not None:
            type_at = next((i for i in range(numbered + 1, min(len(lines), numbered + 12))
                            if _misprinted_type_line(lines[i].text)), None)
            misprinted = _misprinted_type_line(lines[type_at].text) if type_at is not None else None
    header = _header(lines[:type_at] if type_at is not None else lines[:25])
    if (header is None or header.number is None) and type_at is not None:
        # a text layer that gives the header block after the title or the first articles (the block is
        # printed at the top of the page, its text at the bottom): the cluster of number, motto, dateline
        late = _late_header(lines[type_at + 1:])
        if late is not None and (header is None or late.number is not None):
            header = late
    if type_at is None:
        return header, None
    first = lines[type_at]
    type_field = Field(misprinted or first.text, first.start, first.end)
    subject_from = type_at + 1
    if two_line_type:
        second = lines[type_at + 1]
        type_field = Field(f"{first.text} {second.text}", first.start, second.end)
        subject_from += 1
    subject: list[Field] = []
    for ln in lines[subject_from:subject_from + TITLE_LINES]:
        caps = is_caps(ln.text)
        # a wrapped subject line: lower case, or capitals under capitals ("… KÈM THEO NGHỊ QUYẾT" / "SỐ 11/2022/…")
        goes_on = bool(subject) and (ln.text[:1].islower() or (caps and is_caps(subject[-1].text) and not ln.after_blank
                                                               and not w.office.match(ln.text)))
        if not goes_on:
            if w.preamble.match(ln.text) or w.motto.search(ln.text) or w.dateline.match(ln.text) \
                    or _is_type_line(ln.text) or (ln.text[:1].isupper() and w.number_line.match(ln.text)):
                break
            if not caps and w.preamble_weak.match(ln.text) and (subject or ln.after_blank):
                break
            if ln.text.startswith("(") and not caps and subject:
                break  # "(Ban hành kèm theo Quyết định số …)"
            if subject and not caps and _CITES_A_DOCUMENT.match(ln.text):
                break  # "Thông tư số 23/2024/TT-BCT ngày …, được sửa đổi, bổ sung bởi": a consolidated text's opening
            if caps and subject and w.office.match(ln.text):
                break  # "THỦ TƯỚNG CHÍNH PHỦ", "BỘ TRƯỞNG BỘ TÀI CHÍNH": the enacting authority
            if caps and subject and w.authority.match(ln.text) and (ln.after_blank or not is_caps(subject[-1].text)):
                break  # "ỦY BAN NHÂN DÂN TỈNH …" under a subject (a wrapped subject goes on without a blank)
            if subject and ln.after_blank:
                break
            if subject and is_caps(subject[-1].text) and not caps:
                break  # a subject in capitals ends where the sentence-case text starts
        if sum(len(f.text) for f in subject) + len(ln.text) > TITLE_CHARS:
            break
        subject.append(Field(ln.text, ln.start, ln.end))
        if ln.text.endswith((".", ":")):
            break
    end = subject[-1].end if subject else type_field.end
    return header, TitleBlock(type_field.start, end, type_field, subject)


def _header(lines: list[_Line]) -> Optional[Header]:
    w = words()
    motto_lines = [ln for ln in lines if w.motto.search(ln.text)]
    number = next(((ln, m) for ln in lines if (m := w.number_line.match(ln.text)) and _looks_like_number(m["number"])),
                  None)
    dateline = next(((ln, m) for ln in lines if (m := w.dateline.match(ln.text))), None)
    if not motto_lines and not (number and dateline):
        return None
    header = Header(start=lines[0].start, end=lines[-1].end)
    if motto_lines:
        header.motto = Field(motto_lines[0].text, motto_lines[0].start, motto_lines[0].end)
    if number:
        ln, m = number
        value = m["number"].split("  ")[0].strip(" .,;")
        start = ln.start + m.start("number")
        header.number = Field(value, start, start + len(value))
        header.number_label = " ".join(m["label"].split())
    if dateline:
        ln, m = dateline
        header.place = Field(m["place"].strip(), ln.start + m.start("place"), ln.start + m.end("place"))
        header.date = Field(m["date"], ln.start + m.start("date"), ln.start + m.end("date"))
    header.issuer = _issuer(lines, w)
    return header


CLUSTER = 6  # lines between the number line and the motto or dateline of one header block


def _late_header(lines: list[_Line]) -> Optional[Header]:
    w = words()
    for i, ln in enumerate(lines):
        m = w.number_line.match(ln.text)
        if not m or not _looks_like_number(m["number"]):
            continue
        near = lines[max(0, i - CLUSTER):i + CLUSTER + 1]
        if any(w.motto.search(x.text) or w.dateline.match(x.text) for x in near):
            return _header(near)
    return None


def _looks_like_number(value: str) -> bool:
    return any(c.isdigit() for c in value[:12]) or value.startswith("/")


def _issuer(lines: list[_Line], w: _Words) -> Optional[Field]:
    """The issuer: the capitals lines of the header that are not the motto, the number or the dateline,
    nearest above the number line ("BỘ LAO ĐỘNG - THƯƠNG BINH" / "VÀ XÃ HỘI" joined)."""
    groups: list[list[_Line]] = []
    for ln in lines:
        if is_caps(ln.text) and not w.motto.search(ln.text) and not w.number_line.match(ln.text) \
                and not w.dateline.match(ln.text) and len(ln.text) <= 80 and ln.text.strip("*- "):
            if groups and groups[-1][-1] is not None and not ln.after_blank:
                groups[-1].append(ln)
            else:
                groups.append([ln])
        elif groups and groups[-1][-1] is not None:
            groups.append([None])  # type: ignore[list-item]
    found = [g for g in groups if g and g[0] is not None]
    if not found:
        return None
    chosen = found[-1]  # the last group before the title: gazette section headings come first
    text = " ".join(ln.text for ln in chosen)
    return Field(text, chosen[0].start, chosen[-1].end)


# --- closing block ---------------------------------------------------------------------------

def find_closing(text: str, after: int = 0, cells: tuple[int, ...] = ()) -> Optional[Closing]:
    """The signature block (offices and signer) after ``after``: the certification block of a
    consolidated text when there is one, else the first signature after the body."""
    w = words()
    cert = w.certification.search(text, after)
    if cert:
        return _certification(text, cert.start(), cert.end(), cells)
    for candidate in w.office_line.finditer(text, after):
        found = _signature_at(text, candidate.start(), cells)
        if found is not None:
            return found
    return None


def _signature_at(text: str, start: int, cells: tuple[int, ...]) -> Optional[Closing]:
    """The signature block whose first office line starts at ``start``, if a signer's name follows."""
    w = words()
    end = start
    for _ in range(CLOSING_LINES + 1):
        newline = text.find("\n", end + 1)
        if newline < 0:
            end = len(text)
            break
        end = newline
    lines = _lines(text, start, end, cells)
    for i, ln in enumerate(lines[:1]):
        if not _is_office(ln.text):
            continue
        offices = [ln]
        j = i + 1
        while j < len(lines) and j <= i + CLOSING_LINES and _is_office(lines[j].text):
            offices.append(lines[j])
            j += 1
        signer = None
        while j < len(lines) and j <= i + CLOSING_LINES:
            candidate = lines[j].text
            if _SIGNED.match(candidate) or candidate.startswith("("):
                j += 1
                continue
            if _PERSON.match(candidate) and not _is_office(candidate) and not w.motto.search(candidate):
                signer = lines[j]
            break
        if signer is None:
            continue
        return Closing(offices[0].start, signer.end, [Field(o.text, o.start, o.end) for o in offices],
                       Field(signer.text, signer.start, signer.end))
    return None


def _certification(text: str, start: int, end: int, cells: tuple[int, ...]) -> Closing:
    """'BỘ CÔNG THƯƠNG / Số: 37/VBHN-BCT / XÁC THỰC VĂN BẢN HỢP NHẤT / Hà Nội, ngày … / KT. BỘ TRƯỞNG / …'."""
    w = words()
    before = _lines(text, max(0, text.rfind("\n", 0, max(0, start - 400)) + 1), start, cells)[-6:]
    after = _lines(text, end, min(len(text), end + 1500), cells)[:24]
    closing = Closing(start, end, certification=True)
    for ln in before + after:
        m = w.number_line.match(ln.text)
        if m and closing.number is None and _looks_like_number(m["number"]):
            value = m["number"].split("  ")[0].strip(" .,;")
            s = ln.start + m.start("number")
            closing.number = Field(value, s, s + len(value))
            continue
        d = w.dateline.match(ln.text)
        if d and closing.date is None:
            closing.place = Field(d["place"].strip(), ln.start + d.start("place"), ln.start + d.end("place"))
            closing.date = Field(d["date"], ln.start + d.start("date"), ln.start + d.end("date"))
    issuer_lines = [ln for ln in before if is_caps(ln.text) and not w.number_line.match(ln.text)
                    and not _is_office(ln.text)]
    if issuer_lines:
        closing.issuer = Field(" ".join(ln.text for ln in issuer_lines), issuer_lines[0].start, issuer_lines[-1].end)
    signature = find_closing(text[:end + 1500], end, cells)
    if signature and signature.start - end < 1500:
        closing.offices, closing.signer = signature.offices, signature.signer
        closing.end = signature.end
    return closing
