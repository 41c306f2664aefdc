"""A document's own identity and metadata, from the frame of an official text.

The own number stands in the header block ("Số: 118/2026/NĐ-CP", "Luật số: 51/2024/QH15") or,
for a consolidated text (Văn bản hợp nhất), in its closing certification block — never in the
"Căn cứ …" preamble or the body, whose numbers are other documents. The date of issue is the
header's dateline ("Hà Nội, ngày 03 tháng 4 năm 2026"); a law or resolution of the National
Assembly has none and is dated by its adoption at the end ("… thông qua ngày 27 tháng 11 năm
2024"); a consolidated text by its certification. The signer and the signing offices come from
the closing block ("KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG"); the effective date from the article that
says when "… này có hiệu lực".
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional

import regex

from miner import rulebook
from miner.document import frame
from miner.document.model import Document
from miner.finders.dates import NUMERIC_DATE, WORDED_DATE, make_iso
from miner.folding import fold_tones
from miner.records import Metadata, Span


@dataclass
class Identity:
    """What an official text says about itself (offsets in ``Document.text``)."""
    metadata: Metadata
    number_span: Optional[tuple[int, int]] = None  # the own number as written
    issued_span: Optional[tuple[int, int]] = None


_DAYS_AFTER = regex.compile(r"(?:sau|kể\s+từ\s+sau)\s+(\d{1,3})\s+ngày\s+(?:kể\s+)?từ\s+ngày\s+(?:ký|ban\s+hành)", regex.IGNORECASE)
_ON_SIGNING = regex.compile(r"(?:kể\s+)?từ\s+ngày\s+(?:ký|ban\s+hành|được\s+ký)", regex.IGNORECASE)
_NGAY = regex.compile(r"ngày\s+", regex.IGNORECASE)


def _date_at(text: str, pos: int) -> Optional[tuple[str, int, int]]:
    """A full date written at ``pos`` (after "ngày"): ISO, start, end."""
    m = _NGAY.match(text, pos)
    at = m.end() if m else pos
    for pattern in (NUMERIC_DATE, WORDED_DATE):
        d = pattern.match(text, at)
        if d:
            iso = make_iso(d["d"], d["m"], d["y"])
            if iso:
                return iso, d.start(), d.end()
    return None


def _iso_of(field: Optional[frame.Field]) -> Optional[str]:
    if field is None:
        return None
    found = _date_at(field.text, 0)
    return found[0] if found else None


def _kind_of(type_line: str) -> Optional[str]:
    found = rulebook.tables().type_by_alias.get(fold_tones(type_line.strip(" *:.")))
    return found.name if found else None


def _issuer_name(caps: Optional[str]) -> Optional[str]:
    """'BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' → 'Bộ Lao động - Thương binh và Xã hội' (a known name), else as printed."""
    if not caps:
        return None
    known = {fold_tones(i.name): i.name for i in rulebook.tables().issuers}
    folded = fold_tones(caps)
    if folded in known:
        return known[folded]
    for name_fold, name in known.items():  # "VĂN BẢN HỢP NHẤT - BỘ TÀI CHÍNH": a gazette heading before the name
        if folded.endswith(" " + name_fold) and len(name_fold) > 8:
            return name
    return " ".join(caps.split())


def _effective(doc: Document, issued: Optional[str], start: int, end: int) -> Optional[str]:
    """The date the document itself takes effect, as its text states it between ``start`` and ``end``."""
    text = doc.text
    words = frame.words()
    first = text.find("hiệu lực", start, end)  # in every phrasing: the costly pattern starts near it
    if first < 0:
        return None
    for m in words.effective.finditer(text, max(start, first - 80), end):
        found = _date_at(text, m.end())
        if found:
            return found[0]
        window = text[m.start():min(len(text), m.end() + 80)]
        after = _DAYS_AFTER.search(window)
        if after and issued:
            return (_dt.date.fromisoformat(issued) + _dt.timedelta(days=int(after.group(1)))).isoformat()
        if _ON_SIGNING.match(text, m.end()) or _ON_SIGNING.search(window):
            return issued
    return None


# "Luật … số 41/2024/QH15 ngày …, có hiệu lực kể từ ngày …, được sửa đổi, bổ sung bởi:" opens a consolidated text
_CONSOLIDATES = regex.compile(r"có\s+hiệu\s+lực[^.;]{0,120}?,\s*được\s+sửa\s+đổi,?\s+bổ\s+sung\s+bởi", regex.IGNORECASE)
_EFFECTIVE_ON_TOP = regex.compile(r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+", regex.IGNORECASE)


def find_identity(doc: Document) -> Optional[Identity]:
    """The metadata of an official text (None for a page that is not one)."""
    header, title, closing = doc.header, doc.title_block, doc.closing
    if header is None and title is None:
        return None
    meta = Metadata()
    identity = Identity(meta)
    if title is not None:
        meta.kind = _kind_of(title.type_line.text)
    number: Optional[frame.Field] = None
    if closing is not None and closing.certification:
        number = closing.number
        meta.kind = "Văn bản hợp nhất"
    if number is None and header is not None:
        number = header.number
    if number is not None and not number.text.startswith("/"):
        meta.number = "".join(number.text.split())
        identity.number_span = (number.start, number.end)
    issuer_field = (closing.issuer if closing is not None and closing.certification else None) \
        or (header.issuer if header is not None else None)
    meta.issuer = _issuer_name(issuer_field.text if issuer_field else None)
    dated = None
    if closing is not None and closing.certification and closing.date is not None:
        dated = (closing.place, closing.date)
    elif header is not None and header.date is not None:
        dated = (header.place, header.date)
    if dated is not None:
        meta.place = dated[0].text if dated[0] else None
        meta.issued = _iso_of(dated[1])
        if meta.issued:
            identity.issued_span = (dated[1].start, dated[1].end)
    if meta.issued is None:  # a law of the National Assembly: dated by its adoption
        adopted = None
        for adopted in frame.words().adopted.finditer(doc.text, title.end if title else 0):
            pass
        if adopted is not None:
            found = _date_at(doc.text, adopted.end())
            if found:
                meta.issued = found[0]
                identity.issued_span = (found[1], found[2])
    if closing is not None:
        meta.signer = closing.signer.text if closing.signer else None
        meta.signer_title = " / ".join(o.text for o in closing.offices) or None
    body_start = title.end if title else header.end
    consolidated = closing is not None and closing.certification
    if not consolidated:  # a consolidated text cut short (no certification): its opening statement says so
        opening = doc.text[body_start:body_start + 1500]
        consolidated = bool(_CONSOLIDATES.search(opening)) and meta.number is None
    if consolidated:
        top = _EFFECTIVE_ON_TOP.search(doc.text, body_start, min(len(doc.text), body_start + 1500))
        found = _date_at(doc.text, top.end()) if top else None
        meta.effective = found[0] if found else None
    else:
        body_end = closing.start if closing is not None else len(doc.text)
        meta.effective = _effective(doc, meta.issued, body_start, body_end)
    return identity


def span_of(doc: Document, span: Optional[tuple[int, int]]) -> Optional[Span]:
    return doc.raw_span(*span) if span else None
