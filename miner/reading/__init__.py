"""Read input files into decoded text.

``read_path`` / ``read_bytes`` turn raw bytes into a :class:`SourceText`: the
encoding is detected (UTF-8, UTF-16, Windows-1258 and the legacy Vietnamese
8-bit font encodings TCVN3, VNI and VISCII), binary files are refused, HTML
pages are reduced to their main text, and HTML pasted into ``.txt`` files is
cleaned. ``SourceText.text`` is what every later character span points into.

No Unicode normalisation happens here (a later stage does NFC with an offset
map); only line endings are normalised to ``\\n``. Text converted from a
legacy font encoding comes out NFC because the conversion builds it afresh.

trafilatura, lxml, viparse and charset-normalizer are imported lazily so that
importing this module stays cheap.
"""
from __future__ import annotations

import codecs
import hashlib
import html
import html.entities
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Optional

__all__ = [
    "MAX_BYTES",
    "SourceText",
    "LargeSource",
    "iter_text_chunks",
    "looks_like_viqr",
    "viqr_to_unicode",
    "IngestError",
    "read_bytes",
    "read_path",
    "read_stdin",
    "read_input",
    "iter_input_paths",
]

MAX_BYTES = 64 * 1024 * 1024

STDIN_NAME = "-"
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md",)


@dataclass
class SourceText:
    source: str  # base name of the file (or "<stdin>")
    path: Optional[str]
    text: str  # decoded text, HTML removed; later character spans point into this
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1258", "tcvn3", "vni", "viscii", ...
    input_format: str  # "text" | "markdown" | "html" | "html-in-text"
    sha256: str  # hex digest of the raw bytes
    size: int  # raw size in bytes
    title_hint: Optional[str] = None  # title from HTML metadata
    date_hint: Optional[str] = None  # YYYY-MM-DD from HTML metadata
    warnings: list[str] = field(default_factory=list)


class IngestError(Exception):
    """An input that cannot be read as text. The message is one human line."""


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def iter_input_paths(inputs: Iterable[str]) -> Iterator[str]:
    """Yield the files to read for the given command-line inputs.

    Directories are expanded recursively, in sorted order, to the files with a
    suffix in INPUT_SUFFIXES (hidden files and directories are skipped).
    Anything else, including "-" (stdin) and paths that do not exist, is
    yielded unchanged so that the reader can report on it.
    """
    for item in inputs:
        if item != STDIN_NAME and os.path.isdir(item):
            yield from _files_under(item)
        else:
            yield item


def _files_under(directory: str) -> list[str]:
    found = []
    for root, dirnames, filenames in os.walk(directory):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(INPUT_SUFFIXES):
                found.append(os.path.join(root, name))
    # Sort on path components so "a/b.txt" orders by "a" then "b.txt",
    # independent of the separator's place in the collation.
    found.sort(key=lambda p: os.path.relpath(p, directory).split(os.sep))
    return found


def read_input(path: str) -> SourceText:
    """read_path, or read_stdin for "-"."""
    return read_stdin() if path == STDIN_NAME else read_path(path)


def read_path(path: str | os.PathLike) -> "SourceText | LargeSource":
    """Read a file; raises IngestError naming the problem (not the path).

    A plain-text file over STREAM_MIN_BYTES comes back as a LargeSource,
    read in paragraph chunks by the pipeline (memory does not grow with it)."""
    path_str = os.fspath(path)
    try:
        info = os.stat(path_str)
    except OSError as exc:
        raise IngestError(_os_error_message(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError("is a directory, not a file")
    if stat.S_ISREG(info.st_mode) and info.st_size > STREAM_MIN_BYTES \
            and os.path.splitext(path_str)[1].lower() not in HTML_SUFFIXES:
        large = _open_large(path_str, info.st_size)
        if large is not None:
            return large  # read and extracted by chunks (see LargeSource)
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        raise IngestError(_too_large_message(info.st_size))
    try:
        with open(path_str, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise IngestError(_os_error_message(exc)) from None
    return read_bytes(data, os.path.basename(path_str) or path_str, path_str)


def read_stdin() -> SourceText:
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return read_bytes(data, "<stdin>", None)


def _os_error_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    reason = exc.strerror or exc.__class__.__name__
    return f"cannot read file: {reason.lower()}"


def _too_large_message(size: int) -> str:
    return (
        f"file too large ({size / 2**20:.1f} MiB; the limit is "
        f"{MAX_BYTES // 2**20} MiB)"
    )


# ---------------------------------------------------------------------------
# Bytes → SourceText
# ---------------------------------------------------------------------------


def read_bytes(data: bytes, source: str, path: Optional[str] = None) -> SourceText:
    """Decode raw bytes and remove HTML; raises IngestError if not text."""
    if len(data) > MAX_BYTES:
        raise IngestError(_too_large_message(len(data)))
    if not data:
        raise IngestError("empty file")
    binary_kind = _binary_kind(data)
    if binary_kind:
        raise IngestError(binary_kind)

    text, encoding, warnings = _decode(data)
    text = _normalise_newlines(text)
    if not text.strip():
        raise IngestError("empty file")

    result = SourceText(
        source=source,
        path=path,
        text=text,
        encoding=encoding,
        input_format="text",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        warnings=warnings,
    )
    suffix = os.path.splitext(path or source)[1].lower()
    if suffix in HTML_SUFFIXES or _looks_like_html_document(text):
        _apply_html_page(result)
    elif suffix in MARKDOWN_SUFFIXES:
        result.input_format = "markdown"
    elif _looks_like_html_in_text(text):
        result.text = _clean_html_in_text(text)
        result.input_format = "html-in-text"
    elif _looks_like_markdown(text):
        result.input_format = "markdown"
    if not result.text.strip():
        raise IngestError("no readable text in the HTML")
    return result


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------
# Binary detection
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------

LEGACY_ENCODINGS = ("tcvn3", "vni", "viscii")
# Minimum Vietnamese-likeness (0..1) for a non-UTF-8 decoding to be trusted.
MIN_VIETNAMESE_SCORE = 0.75
# Encodings are judged on the first SAMPLE_CHARS characters: viparse's
# detection costs about 3 s per MB, and a document does not switch encoding.
SAMPLE_CHARS = 100_000


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


# --- How Vietnamese does a decoding read? ---------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
_VIET_VOWELS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in _VOWELS + _VOWELS.upper()
    for tone in ("",) + tuple(_TONES)
)
_VIET_LETTERS = _VIET_VOWELS | frozenset("đĐ") | frozenset("bcdghklmnpqrstvxfjwz" + "bcdghklmnpqrstvxfjwz".upper())
_VOWEL_CLASS = "".join(sorted(v for v in _VIET_VOWELS if v.islower()))
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWEL_CLASS}]{{1,3}}(?:ch|nh|ng|[cmnptk])?"
)
_CONSONANTS = frozenset("bcdđghklmnpqrstvxfjwz")
_WORD = re.compile(r"[^\W\d_]+")
# Non-ASCII characters common in any Unicode text, which say nothing either way.
_NEUTRAL = frozenset("“”‘’–—…•«»°×€\u00a0\u200b\ufeff")


def vietnamese_score(text: str) -> float:
    """How Vietnamese ``text`` (NFC) reads, 0..1: the share of non-ASCII
    characters that are Vietnamese letters, times the share of words with
    non-ASCII letters that are well-formed Vietnamese syllables."""
    significant = [ch for ch in text if ord(ch) > 0x7F and ch not in _NEUTRAL and not ch.isspace()]
    if not significant:
        return 1.0
    letter_share = sum(1 for ch in significant if ch in _VIET_LETTERS) / len(significant)
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    valid = sum(1 for w in words if _is_syllable(w))
    return letter_share * valid / len(words)


def _is_syllable(word: str) -> bool:
    lower = word.lower()
    if word.isupper() and all(ch in _CONSONANTS for ch in lower):
        return True  # an abbreviation such as "QĐ", "HĐND"
    if not _SYLLABLE.fullmatch(lower):
        return False
    tones = sum(1 for ch in unicodedata.normalize("NFD", lower) if ch in _TONES)
    return tones <= 1


# ---------------------------------------------------------------------------
# VIQR (Vietnamese in plain ASCII: "Vie^.t Nam", "d9i.a phu+o+ng")
# ---------------------------------------------------------------------------
#
# RFC 1456 mnemonics: a( ă, a^ â, e^ ê, o^ ô, o+ (o*) ơ, u+ (u*) ư, dd / d9 /
# d- đ; tones after the vowel: ' sắc, ` huyền, ? hỏi, ~ ngã, . nặng; a
# backslash makes the next mark literal. A document is treated as VIQR only
# when it is (almost) pure ASCII and a high share of its words carry marks in
# places that make valid Vietnamese syllables; only the words that parse as
# such syllables are converted, so URLs, codes and English stay as they are.

_VIQR_SHAPES = {("a", "("): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô",
                ("o", "+"): "ơ", ("o", "*"): "ơ", ("u", "+"): "ư", ("u", "*"): "ư"}
_VIQR_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_SYLLABLE = re.compile(
    r"(?<![A-Za-z0-9\\])"
    r"(?P<onset>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|dd|d9|d-|[bcdghklmnpqrstvx])?"
    r"(?P<nucleus>(?:[aeiouy](?:[(^+*][`'?~.]?|[`'?~.][(^+*]?)?){1,3})"
    r"(?P<coda>ch|nh|ng|[cmnpt])?"
    r"(?![A-Za-z0-9(^+*])",
    re.I,
)
_VIQR_VOWEL_UNIT = re.compile(r"([aeiouy])([(^+*`'?~.]{0,2})", re.I)
# All-capital abbreviations with Đ: "QDD", "HDDND", "QD9", "QDd".
_VIQR_ABBREVIATION = re.compile(r"(?<![A-Za-z0-9])[B-DF-HJ-NP-TV-Z]*D[Dd9][B-DF-HJ-NP-TV-Z]*(?![A-Za-z0-9])")
_VIQR_ESCAPE = re.compile(r"\\([(^+*`'?~.\-9])")
# Enough evidence: marked syllables among words, and a minimum count.
VIQR_MIN_SHARE = 0.25
VIQR_MIN_WORDS = 4
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _viqr_syllable(match: re.Match, text: str) -> Optional[tuple[str, bool]]:
    """(Unicode syllable, carries a mark) for a VIQR syllable match, or None
    if the marks do not make a valid Vietnamese syllable. A final '.' or '?'
    before the end of a line, an upper-case word or punctuation is the
    sentence's punctuation, not a tone; the caller keeps it."""
    onset = match["onset"] or ""
    nucleus = match["nucleus"]
    coda = match["coda"] or ""
    marked = False
    if onset.lower() in ("dd", "d9", "d-"):
        onset = "Đ" if onset[0] == "D" else "đ"
        marked = True
    units = _VIQR_VOWEL_UNIT.findall(nucleus)
    if "".join(v + m for v, m in units) != nucleus:
        return None
    out = []
    tones = 0
    for vowel, marks in units:
        letter = vowel
        tone = ""
        for mark in marks:
            if mark in _VIQR_TONES:
                if tone:
                    return None
                tone = _VIQR_TONES[mark]
                tones += 1
            else:
                shaped = _VIQR_SHAPES.get((vowel.lower(), mark))
                if shaped is None or letter != vowel:
                    return None
                letter = shaped.upper() if vowel.isupper() else shaped
        if marks:
            marked = True
        out.append(letter + tone)
    if tones > 1:
        return None
    word = unicodedata.normalize("NFC", onset + "".join(out) + coda)
    if not _is_syllable(word):
        return None
    return word, marked


def _final_mark_is_punctuation(text: str, match: re.Match) -> bool:
    """A word-final '.' or '?' after a vowel ('hoa.', 'sao?') is ambiguous.
    It is punctuation before the end of the text or line and before another
    '.', '!' or '?' (not before a comma or bracket: "bo^.," is "bộ,"); a '.' is also punctuation before an upper-case word unless
    the word itself is capitalised ("Bo^. No^.i vu." is "Bộ Nội vụ", a name);
    otherwise it is a tone ("cu?a Bo^.", "So+? Tu+ pha'p")."""
    if match["coda"] or match["nucleus"][-1] not in ".?":
        return False
    rest = text[match.end():match.end() + 3]
    if not rest or rest[0] in "\n\r!?.":
        return True
    stripped = rest.lstrip(" \t")
    if not stripped or stripped[0] in "\n\r":
        return True
    if match["nucleus"][-1] == "." and stripped[0].isupper():
        return not match.group()[0].isupper()
    return False


def _viqr_convert_match(match: re.Match, text: str) -> Optional[str]:
    if _final_mark_is_punctuation(text, match):
        head = match.group()[:-1]
        inner = _VIQR_SYLLABLE.fullmatch(head)
        if inner is None:
            return None
        converted = _viqr_syllable(inner, head)
        return converted[0] + match.group()[-1] if converted else None
    converted = _viqr_syllable(match, text)
    return converted[0] if converted else None


def viqr_share(text: str) -> tuple[int, int]:
    """(words carrying VIQR marks that form valid syllables, all words) in ``text``.

    Marks that could be punctuation (a word-final '.' or '?') do not count."""
    words = len(_ASCII_WORD.findall(text))
    marked = 0
    for match in _VIQR_SYLLABLE.finditer(text):
        if _final_mark_is_punctuation(text, match):
            continue
        converted = _viqr_syllable(match, text)
        if converted and converted[1]:
            marked += 1
    return marked, words


def looks_like_viqr(text: str) -> bool:
    """Clearly VIQR: ASCII text where ≥ VIQR_MIN_SHARE of the words are
    marked Vietnamese syllables (plain English, URLs and code are not)."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return False
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    if non_ascii > 0.01 * len(sample):
        return False
    if not re.search(r"[A-Za-z][(^+*`'?~.][A-Za-z]|[a-zA-Z][(^+*]", sample):
        return False  # no mark inside a word: nothing VIQR-specific
    marked, words = viqr_share(sample)
    return marked >= VIQR_MIN_WORDS and marked >= VIQR_MIN_SHARE * words


def viqr_to_unicode(text: str) -> str:
    """Convert VIQR text to NFC Unicode; words that are not valid marked
    syllables (URLs, codes, English) are left as written."""

    def syllable(match: re.Match) -> str:
        converted = _viqr_convert_match(match, text)
        return match.group() if converted is None else converted

    def abbreviation(match: re.Match) -> str:
        return re.sub(r"D[Dd9]", "Đ", match.group())

    out = _VIQR_SYLLABLE.sub(syllable, text)
    out = _VIQR_ABBREVIATION.sub(abbreviation, out)
    out = _VIQR_ESCAPE.sub(r"\1", out)
    return unicodedata.normalize("NFC", out)


def _fix_viqr(text: str, encoding: str) -> tuple[str, str, list[str]]:
    if not looks_like_viqr(text):
        return text, encoding, []
    return viqr_to_unicode(text), f"{encoding}+viqr", ["text was written in VIQR (ASCII Vietnamese); converted to Unicode"]


# ---------------------------------------------------------------------------
# Large files: read and extracted in paragraph chunks, with bounded memory
# ---------------------------------------------------------------------------
#
# A plain-text file over STREAM_MIN_BYTES in UTF-8 (with or without BOM) or
# UTF-16 with a BOM is not decoded into one string: read_path returns a
# LargeSource whose chunks() yields (offset, text) pieces of about CHUNK_CHARS
# characters, cut at blank lines (else at a line end, else at a space). The
# offsets are positions in the text the whole-file path would have produced
# (same decoding, same newline normalisation, same VIQR conversion), so
# spans computed per chunk and shifted by the offset point into the whole
# document. Other inputs (HTML, legacy 8-bit encodings, HTML pasted into
# text) are read whole and stay under MAX_BYTES.

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


# ---------------------------------------------------------------------------
# Format sniffing
# ---------------------------------------------------------------------------

_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_TAG = re.compile(
    r"</?(?:p|br|span|div|strong|em|b|i|u|a|img|font|sup|sub|table|tbody|thead|tr|td|th"
    r"|ul|ol|li|h[1-6]|blockquote|figure|figcaption|iframe|script|style)\b[^<>]*>",
    re.I,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_MARKUP = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)")

MIN_TAGS = 3
MIN_ENTITIES = 5


def _looks_like_html_document(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def _is_entity(match: re.Match) -> bool:
    token = match.group(0)
    return token.startswith("&#") or token[1:] in html.entities.html5


def _looks_like_html_in_text(text: str) -> bool:
    tags = 0
    for _ in _TAG.finditer(text):
        tags += 1
        if tags >= MIN_TAGS:
            return True
    entities = 0
    for match in _ENTITY.finditer(text):
        if _is_entity(match):
            entities += 1
            if entities >= MIN_ENTITIES:
                return True
    return False


def _looks_like_markdown(text: str) -> bool:
    headings = len(_MD_HEADING.findall(text))
    return headings >= 2 or (headings >= 1 and bool(_MD_MARKUP.search(text)))


# ---------------------------------------------------------------------------
# HTML → text
# ---------------------------------------------------------------------------

_PARAGRAPH_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl figure address".split()
)
_LINE_TAGS = frozenset(
    "div li tr dt dd section article header footer nav aside main form "
    "figcaption caption hr thead tbody tfoot center".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_DROPPED_TAGS = frozenset("script style noscript template head title iframe object svg math".split())
_HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\r]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _TextSink:
    """Collects text with line and paragraph breaks, HTML-style."""

    def __init__(self, keep_newlines: bool):
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []

    def _tail(self) -> str:
        return self.parts[-1] if self.parts else "\n"

    def text(self, value: str) -> None:
        if self.keep_newlines:
            value = _HORIZONTAL_SPACE.sub(" ", value)
        else:
            value = re.sub(r"\s+", " ", value)
        if self._tail().endswith("\n"):
            value = value.lstrip(" \n")
        elif self._tail().endswith((" ", "\t")) and value.startswith(" "):
            value = value[1:]
        if value:
            self.parts.append(value)

    def line_break(self) -> None:
        self.parts.append("\n")

    def block_break(self, newlines: int) -> None:
        """Make the output end in at least ``newlines`` newlines."""
        if self.parts:
            missing = newlines - self._trailing_newlines()
            if missing > 0:
                self.parts.append("\n" * missing)

    def _trailing_newlines(self) -> int:
        count = 0
        for part in reversed(self.parts):
            stripped = part.rstrip("\n")
            count += len(part) - len(stripped)
            if stripped:
                break
        return count

    def cell_break(self) -> None:
        if not self._tail().endswith("\n"):
            self.parts.append("\t")

    def result(self) -> str:
        text = "".join(self.parts)
        text = re.sub(r"[ \t]+\n", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip()


def _render_element(root, keep_newlines: bool) -> str:
    """Text of an lxml element: block elements become line breaks (a blank
    line after paragraphs), inline tags vanish, scripts and styles are dropped.
    Iterative, so deeply nested broken markup cannot exhaust the stack."""
    sink = _TextSink(keep_newlines)
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if closing:
            _close_element(sink, tag)
            if element is not root and element.tail:
                sink.text(element.tail)
            continue
        if tag is None or tag in _DROPPED_TAGS:  # comment, processing instruction
            if element is not root and element.tail:
                sink.text(element.tail)
            continue
        _open_element(sink, tag)
        if element.text:
            sink.text(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return sink.result()


def _open_element(sink: _TextSink, tag: Optional[str]) -> None:
    if tag == "br":
        sink.line_break()
    elif tag in _PARAGRAPH_TAGS:
        sink.block_break(2)
    elif tag in _LINE_TAGS:
        sink.block_break(1)


def _close_element(sink: _TextSink, tag: Optional[str]) -> None:
    if tag in _PARAGRAPH_TAGS:
        sink.block_break(2)
    elif tag in _LINE_TAGS:
        sink.block_break(1)
    elif tag in _CELL_TAGS:
        sink.cell_break()


def _html_fragment_to_text(fragment: str, keep_newlines: bool) -> str:
    from lxml import etree, html as lxml_html

    fragment = fragment.strip()
    if not fragment:
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _strip_tags_crudely(fragment)
    return _render_element(root, keep_newlines)


def _strip_tags_crudely(fragment: str) -> str:
    text = re.sub(r"<[^<>]*>", " ", fragment)
    return _HORIZONTAL_SPACE.sub(" ", html.unescape(text)).strip()


def _clean_html_in_text(text: str) -> str:
    """Keep the plain lines before the first HTML line as they are; convert
    the rest with lxml, keeping its own line breaks."""
    lines = text.split("\n")
    first_html = next(
        (i for i, line in enumerate(lines) if _TAG.search(line) or _has_entity(line)),
        0,
    )
    prefix = "\n".join(lines[:first_html])
    body = _html_fragment_to_text("\n".join(lines[first_html:]), keep_newlines=True)
    if not prefix:
        return body
    return prefix + "\n" + body if body else prefix


def _has_entity(line: str) -> bool:
    return any(_is_entity(m) for m in _ENTITY.finditer(line))


def _apply_html_page(result: SourceText) -> None:
    """Replace result.text by the page's main text (title first), via
    trafilatura, falling back to all visible text when it finds nothing."""
    page = re.sub(r"\A\s*<\?xml[^>]*>", "", result.text)  # lxml refuses str with an XML declaration
    body, title, date = _trafilatura_extract(page)
    if not body:
        body, fallback_title = _lxml_page_text(page)
        title = title or fallback_title
        result.warnings.append("trafilatura found no main text; used all visible text")
    if not body.strip():
        # libxml2 stops at 256 nested elements and drops what lies deeper; the words are still there
        body = _strip_tags_crudely(re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page))
        if body:
            result.warnings.append("HTML too deeply nested for the parser; tags stripped instead")
    title = _HORIZONTAL_SPACE.sub(" ", title).strip() if title else None
    if title and not body.startswith(title):
        body = f"{title}\n{body}" if body else title
    result.text = _normalise_newlines(body)
    result.input_format = "html"
    result.title_hint = title
    result.date_hint = date if date and _DATE.fullmatch(date) else None


def _trafilatura_extract(page: str) -> tuple[str, Optional[str], Optional[str]]:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" notes are not the user's business

    try:
        body = trafilatura.extract(
            page, output_format="txt", include_comments=False, include_tables=True, with_metadata=False
        )
        metadata = trafilatura.extract_metadata(page)
    except Exception:  # trafilatura can trip on odd markup; the fallback handles it
        return "", None, None
    title = metadata.title if metadata is not None else None
    date = metadata.date if metadata is not None else None
    return (body or "").strip(), title, date


def _lxml_page_text(page: str) -> tuple[str, Optional[str]]:
    from lxml import etree, html as lxml_html

    try:
        document = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return _strip_tags_crudely(page), None
    title_element = document.find(".//title")
    title = title_element.text_content() if title_element is not None else None
    body = document.find("body")
    return _render_element(body if body is not None else document, keep_newlines=False), title
