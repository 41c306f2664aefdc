"""Bytes to text: binary files recognised by their magic, the encoding detected (UTF-8, UTF-16, Windows-1258 and the legacy 8-bit font encodings TCVN3, VNI and VISCII), stray control characters dropped."""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Optional

from miner.reading.source import IngestError
from miner.reading.vietnamese import SAMPLE_CHARS, vietnamese_score
from miner.reading.viqr import _fix_viqr

_MAGIC = [
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC/XLS, OLE2"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
]


def _binary_kind(data: bytes) -> Optional[str]:
    """A message for a recognised binary format, else None."""
    head = data[:16]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return f"binary file ({_zip_kind(data)}), not text"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            # "BZh" is also plain text ("BZh..."); require the block-size digit.
            if name == "bzip2" and not head[3:4].isdigit():
                continue
            return f"binary file ({name}), not text"
    if head.lstrip().startswith(b"{\\rtf"):
        return "RTF document, not plain text (convert it to text first)"
    return None


def _zip_kind(data: bytes) -> str:
    # Office files are ZIP archives; their member names appear in the headers.
    if b"word/" in data:
        return "ZIP/DOCX"
    if b"xl/" in data:
        return "ZIP/XLSX"
    if b"ppt/" in data:
        return "ZIP/PPTX"
    return "ZIP"

LEGACY_ENCODINGS = ("tcvn3", "vni", "viscii")
# Minimum Vietnamese-likeness (0..1) for a non-UTF-8 decoding to be trusted.
MIN_VIETNAMESE_SCORE = 0.75


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding name, warnings)."""
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ):
        if data.startswith(bom):
            text, warnings = _decode_lenient(data[len(bom):], codec)
            return _refuse_nul(text), name, warnings

    stray: list[str] = []
    if b"\x00" in data:
        codec = _bomless_utf16_codec(data)
        if codec is not None:
            # an odd trailing byte (a truncated file) is dropped with a warning, not a traceback
            text, warnings = _decode_lenient(data, codec)
            return _refuse_nul(text), codec, warnings
        nuls = data.count(0)
        if nuls > STRAY_NUL_SHARE * len(data):
            raise IngestError("binary file (NUL bytes), not text")
        # a PDF text layer with a few stray NULs among its text: text all the same
        data = data.replace(b"\x00", b"")
        stray.append(f"{nuls} stray NUL byte(s) dropped")
    if _control_byte_share(data[:65536]) > 0.05:
        raise IngestError("binary file (control bytes), not text")
    text, encoding, warnings = _decode_text(data)
    return text, encoding, stray + warnings


def _decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """UTF-8, a legacy 8-bit font or VIQR, or another codec: (text, encoding, warnings)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_non_utf8(data)
    if text.isascii():
        return _fix_viqr(text, "utf-8")
    text, encoding, warnings = _fix_legacy_font_text(text, "utf-8")
    if encoding == "utf-8":
        return _fix_viqr(text, encoding)
    return text, encoding, warnings


STRAY_NUL_SHARE = 0.001  # more NUL bytes than one in a thousand (and not UTF-16): a binary file


def _refuse_nul(text: str) -> str:
    if "\x00" in text:
        raise IngestError("binary file (NUL bytes), not text")
    return text


# C0 control bytes that do not occur in text: tab, newlines, form feed, escape
# and the six bytes VISCII uses for letters are left out.
_CONTROL_BYTES = sorted(set(range(1, 32)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x02, 0x05, 0x06, 0x14, 0x19, 0x1E})


def _control_byte_share(sample: bytes) -> float:
    return sum(sample.count(byte) for byte in _CONTROL_BYTES) / len(sample)


def _decode_lenient(data: bytes, codec: str) -> tuple[str, list[str]]:
    try:
        return data.decode(codec), []
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        return text, [f"{bad} invalid {codec} sequence(s) replaced with U+FFFD"]


def _bomless_utf16_codec(data: bytes) -> Optional[str]:
    """Spot UTF-16 without BOM: ASCII and Latin-1 letters put NUL in every
    other byte (the high byte), on one parity only."""
    if len(data) < 4:
        return None
    pairs = len(data) // 2
    nul_even = data[0 : pairs * 2 : 2].count(0)
    nul_odd = data[1 : pairs * 2 : 2].count(0)
    if nul_odd >= 0.3 * pairs and nul_even <= 0.02 * pairs:
        codec = "utf-16-le"
    elif nul_even >= 0.3 * pairs and nul_odd <= 0.02 * pairs:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data[: pairs * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return codec if controls <= 0.01 * len(text) else None


def _decode_non_utf8(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes that are not valid UTF-8: damaged UTF-8, Windows-1258 or a
    legacy font encoding, judged by how Vietnamese each decoding reads."""
    damaged = _decode_damaged_utf8(data)
    if damaged is not None:
        return damaged

    candidates: list[tuple[float, str, str]] = []
    try:
        cp1258 = data.decode("cp1258")
    except UnicodeDecodeError:
        pass
    else:
        score = vietnamese_score(unicodedata.normalize("NFC", cp1258[:SAMPLE_CHARS]))
        candidates.append((score, "cp1258", cp1258))

    legacy = _convert_legacy(data.decode("latin-1"))
    if legacy is not None:
        name, converted = legacy
        candidates.append((vietnamese_score(converted[:SAMPLE_CHARS]), name, converted))

    if candidates:
        score, name, text = max(candidates, key=lambda c: c[0])
        if score >= MIN_VIETNAMESE_SCORE:
            return text, name, []
    return _decode_guess(data)


def _decode_damaged_utf8(data: bytes) -> Optional[tuple[str, str, list[str]]]:
    """UTF-8 with a few broken sequences (a truncated or spliced file)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    good = non_ascii - bad
    if good < 10 * bad:
        return None
    return text, "utf-8", [f"{bad} invalid UTF-8 sequence(s) replaced with U+FFFD"]


def _decode_guess(data: bytes) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(
            "unknown text encoding (not UTF-8, UTF-16 or a Vietnamese 8-bit encoding)"
        )
    return (
        str(best),
        best.encoding,
        [f"text does not read as Vietnamese in any known encoding; decoded as {best.encoding} (a guess)"],
    )


def _convert_legacy(surface: str) -> Optional[tuple[str, str]]:
    """(encoding, Unicode text) if viparse recognises a legacy font encoding.

    viparse's charmaps key on the Latin-1 surface form of the bytes. We call
    its table conversion directly rather than ``viparse.fix``, which would
    also rewrite whitespace.
    """
    import viparse
    from viparse.normalize.encodings import get_charmap
    from viparse.normalize.tables import convert

    name = viparse.detect_text_encoding(surface[:SAMPLE_CHARS])
    if name not in LEGACY_ENCODINGS:
        return None
    return name, convert(surface, get_charmap(name), "NFC")


_VIETNAMESE_SPECIFIC = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_LATIN1_UPPER = re.compile("[\u00a1-\u00ff]")


def _fix_legacy_font_text(text: str, encoding: str) -> tuple[str, str, list[str]]:
    """Valid UTF-8 that was typed with a legacy font (".VnTime" text pasted
    into a Unicode file) shows Latin-1 symbols where the letters should be."""
    if _VIETNAMESE_SPECIFIC.search(text) or len(_LATIN1_UPPER.findall(text)) < 20:
        return text, encoding, []
    legacy = _convert_legacy(text)
    if legacy is None or vietnamese_score(legacy[1][:SAMPLE_CHARS]) < MIN_VIETNAMESE_SCORE:
        return text, encoding, []
    name, converted = legacy
    return converted, f"{encoding}+{name}", [f"text was typed in the legacy {name.upper()} font encoding; converted to Unicode"]
