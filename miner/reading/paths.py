"""Inputs to texts: expand paths and directories, read a file or standard input once, and turn its bytes into a :class:`SourceText` (decoding, binary refusal, HTML removal)."""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import Optional

from miner.reading.decoding import _binary_kind, _decode
from miner.reading.html_text import (_apply_html_page, _clean_html_in_text, _looks_like_html_document, _looks_like_html_in_text, _looks_like_markdown)
from miner.reading.source import (HTML_SUFFIXES, INPUT_SUFFIXES, IngestError, MARKDOWN_SUFFIXES, MAX_BYTES, STDIN_NAME, SourceText, _normalise_newlines, _os_error_message, _too_large_message)
from miner.reading.streaming import STREAM_MIN_BYTES, LargeSource, _open_large

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
