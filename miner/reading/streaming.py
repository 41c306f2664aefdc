"""Large plain-text files read and extracted in paragraph chunks, with bounded memory.

A plain-text file over STREAM_MIN_BYTES in UTF-8 (with or without BOM) or UTF-16 with a BOM is not
decoded into one string: read_path returns a LargeSource whose chunks() yields (offset, text)
pieces of about CHUNK_CHARS characters, cut at blank lines (else at a line end, else at a space).
The offsets are positions in the text the whole-file path would have produced (same decoding, same
newline normalisation, same VIQR conversion), so spans computed per chunk and shifted by the offset
point into the whole document. Other inputs (HTML, legacy 8-bit encodings, HTML pasted into text)
are read whole and stay under MAX_BYTES.
"""
from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterable, Iterator
from typing import Optional

from miner.reading.decoding import _LATIN1_UPPER, _VIETNAMESE_SPECIFIC, _binary_kind, _control_byte_share
from miner.reading.html_text import _looks_like_html_document, _looks_like_html_in_text, _looks_like_markdown
from miner.reading.source import IngestError, MARKDOWN_SUFFIXES, _normalise_newlines, _os_error_message
from miner.reading.viqr import looks_like_viqr, viqr_to_unicode

STREAM_MIN_BYTES = 4 * 2**20
STREAM_MAX_BYTES = 1 * 2**30
CHUNK_CHARS = 1_000_000
_READ_BLOCK = 1 << 20


class LargeSource:
    """A large plain-text file, read lazily in paragraph chunks (see chunks())."""

    title_hint: Optional[str] = None
    date_hint: Optional[str] = None

    def __init__(self, source: str, path: str, encoding: str, codec: str, skip: int, input_format: str,
                 sha256: str, size: int, viqr: bool, warnings: list[str]):
        self.source = source
        self.path = path
        self.encoding = encoding
        self.input_format = input_format
        self.sha256 = sha256
        self.size = size
        self.warnings = warnings
        self._codec = codec
        self._skip = skip
        self._viqr = viqr

    def chunks(self, chunk_chars: Optional[int] = None) -> Iterator[tuple[int, str]]:
        """(offset, text) pieces of the decoded text, in order; each ends at a
        paragraph break where one is found. Memory: one chunk plus one block."""
        limit = chunk_chars or CHUNK_CHARS
        offset = 0
        for piece in _split_paragraphs(self._decoded_blocks(), limit):
            if self._viqr:
                piece = viqr_to_unicode(piece)
            yield offset, piece
            offset += len(piece)

    def _decoded_blocks(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._codec)(errors="strict")
        carry = ""
        with open(self.path, "rb") as handle:
            handle.seek(self._skip)
            while True:
                block = handle.read(_READ_BLOCK)
                final = not block
                text = carry + decoder.decode(block, final=final)
                carry = ""
                if text.endswith("\r") and not final:
                    text, carry = text[:-1], "\r"  # a "\r\n" split between two blocks
                if text:
                    yield _normalise_newlines(text)
                if final:
                    return

    @property
    def text(self) -> str:
        """The whole decoded text (as read_bytes would give it) — memory grows with the file."""
        return "".join(piece for _, piece in self.chunks())

    def head_text(self, chars: int) -> str:
        """The first ``chars`` characters of the decoded text, reading no further than needed."""
        pieces, total = [], 0
        for _, piece in self.chunks():
            pieces.append(piece)
            total += len(piece)
            if total >= chars:
                break
        return "".join(pieces)[:chars]


def _split_paragraphs(blocks: Iterable[str], limit: int) -> Iterator[str]:
    buffer = ""
    for block in blocks:
        buffer += block
        while len(buffer) >= limit:
            cut = _cut_point(buffer, limit)
            yield buffer[:cut]
            buffer = buffer[cut:]
    if buffer:
        yield buffer


def _cut_point(buffer: str, limit: int) -> int:
    """Where to end a chunk of at most ``limit`` characters: after a blank
    line in its second half, else after a line end, else after a space."""
    low = limit // 2
    for separator in ("\n\n", "\n", " "):
        at = buffer.rfind(separator, low, limit)
        if at >= 0:
            return at + len(separator)
    return limit


def iter_text_chunks(text: str, chunk_chars: Optional[int] = None) -> Iterator[tuple[int, str]]:
    """(offset, piece) chunks of an in-memory text, cut as LargeSource.chunks() cuts."""
    limit = chunk_chars or CHUNK_CHARS
    offset = 0
    while offset < len(text):
        rest = len(text) - offset
        cut = rest if rest <= limit else _cut_point(text[offset:offset + limit], limit)
        yield offset, text[offset:offset + cut]
        offset += cut


def _open_large(path: str, size: int) -> Optional[LargeSource]:
    """A LargeSource for a big UTF-8 / UTF-16-with-BOM plain-text file, or
    None when the file must go through the whole-file reader instead."""
    if size > STREAM_MAX_BYTES:
        raise IngestError(
            f"file too large ({size / 2**20:.1f} MiB; the limit is {STREAM_MAX_BYTES // 2**20} MiB)"
        )
    source = os.path.basename(path) or path
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise IngestError(_os_error_message(exc)) from None
    with handle:
        head = handle.read(_READ_BLOCK)
        kind = _binary_kind(head)
        if kind:
            raise IngestError(kind)
        codec, name, skip = "utf-8", "utf-8", 0
        for bom, bom_codec, bom_name in (
            (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        ):
            if head.startswith(bom):
                codec, name, skip = bom_codec, bom_name, len(bom)
                break
        if codec == "utf-8" and (b"\x00" in head or _control_byte_share(head[:65536]) > 0.05):
            return None  # UTF-16 without BOM or binary: the whole-file reader decides
        # Validation pass: the whole file decodes, with a sample for sniffing; hash as we go.
        digest = hashlib.sha256(head)
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        sample_parts: list[str] = []
        sample_len = 0
        blank = True
        block = head[skip:]
        while True:
            final = not block
            if codec == "utf-8" and b"\x00" in block:
                return None
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError:
                return None  # not clean UTF-8: legacy encodings are detected on the whole file
            if blank and text.strip():
                blank = False
            if sample_len < CHUNK_CHARS and text:
                sample_parts.append(text)
                sample_len += len(text)
            if final:
                break
            block = handle.read(_READ_BLOCK)
            digest.update(block)
    if blank:
        raise IngestError("empty file")
    sample = _normalise_newlines("".join(sample_parts))[:CHUNK_CHARS]
    if _looks_like_html_document(sample) or _looks_like_html_in_text(sample):
        return None
    if not sample.isascii() and not _VIETNAMESE_SPECIFIC.search(sample) \
            and len(_LATIN1_UPPER.findall(sample)) >= 20:
        return None  # maybe a legacy font typed into UTF-8
    viqr = sample.isascii() and looks_like_viqr(sample)
    warnings = ["text was written in VIQR (ASCII Vietnamese); converted to Unicode"] if viqr else []
    suffix = os.path.splitext(path)[1].lower()
    input_format = "markdown" if suffix in MARKDOWN_SUFFIXES or _looks_like_markdown(sample) else "text"
    return LargeSource(source, path, name + ("+viqr" if viqr else ""), codec, skip, input_format,
                       digest.hexdigest(), size, viqr, warnings)
