"""Read input files into decoded text.

``read_path`` / ``read_bytes`` turn raw bytes into a :class:`SourceText`: the encoding is detected
(UTF-8, UTF-16, Windows-1258 and the legacy Vietnamese 8-bit font encodings TCVN3, VNI and VISCII),
binary files are refused, HTML pages are reduced to their main text, and HTML pasted into ``.txt``
files is cleaned. ``SourceText.text`` is what every later character span points into.

No Unicode normalisation happens here (a later stage does NFC with an offset map); only line
endings are normalised to ``\\n``. Text converted from a legacy font encoding comes out NFC because
the conversion builds it afresh. trafilatura, lxml, viparse and charset-normalizer are imported
lazily so that importing this package stays cheap.

The modules, from the bottom up: ``source`` (the record and the error), ``vietnamese`` (how
Vietnamese a decoding reads), ``viqr``, ``decoding`` (binary refusal, encodings, legacy fonts),
``html_text`` (format sniffing, HTML to text), ``streaming`` (large files in chunks) and ``paths``
(inputs, files, standard input).
"""
from miner.reading.paths import iter_input_paths, read_bytes, read_input, read_path, read_stdin
from miner.reading.source import MAX_BYTES, STDIN_NAME, IngestError, SourceText
from miner.reading.streaming import CHUNK_CHARS, LargeSource, iter_text_chunks
from miner.reading.viqr import looks_like_viqr, viqr_to_unicode

__all__ = [
    "MAX_BYTES",
    "STDIN_NAME",
    "CHUNK_CHARS",
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
