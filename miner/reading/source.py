"""What reading produces: the decoded text of one input (:class:`SourceText`), the error for an input that is not text, and the limits shared by every reader."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

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


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
