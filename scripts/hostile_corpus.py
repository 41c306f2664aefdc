"""Build a corpus of hostile inputs from a real bundled document and run the batch over it.

    python scripts/hostile_corpus.py [--out DIR] [--big-mb 50]

Each file is a way real crawls go wrong: legacy 8-bit encodings (TCVN3,
VNI, VISCII, cp1258), VIQR, UTF-16 without BOM, NFD, mixed line endings,
binary files renamed .txt, empty files, broken and deeply nested HTML,
100k digits and slashes, 1 MB without spaces, "ngày" repeated, and one
very large file. The script prints, for every file, what the miner made of
it: a stored record (title, references, targets) or the clear reason it was
refused — and fails if anything crashed.
"""
from __future__ import annotations

import argparse
import codecs
import sqlite3
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "corpus" / "sample" / "004_stttt_gialai_gov_vn.txt"  # a real Gia Lai portal article (bundled sample)


def _legacy(text: str, charmap: str) -> bytes:
    from viparse.normalize.encodings import CHARMAPS

    table: dict[str, str] = {}
    for legacy, letter in CHARMAPS[charmap].pairs:
        table.setdefault(letter, legacy)
    out = []
    for char in unicodedata.normalize("NFC", text):
        out.append(table.get(char, char))
    return "".join(out).encode("latin-1", errors="replace")


def _cp1258(text: str) -> bytes:
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # cp1258 stores the letter without its tone, then the tone as a combining mark
            decomposed = unicodedata.normalize("NFD", char)
            tones = [c for c in decomposed if c in _VIQR_TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _VIQR_TONES))
            out += base.encode("cp1258", errors="replace") + "".join(tones).encode("cp1258", errors="replace")
    return bytes(out)


_VIQR_TONES = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_VIQR_SHAPES = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}


def _viqr(text: str) -> bytes:
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("dd" if char == "đ" else "DD")
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        out.append(base + "".join(_VIQR_SHAPES.get(m, "") for m in marks) + "".join(_VIQR_TONES.get(m, "") for m in marks))
    return "".join(out).encode("ascii", errors="replace")


def build(out: Path, big_mb: int) -> list[tuple[str, str]]:
    """Write the hostile files; return (file name, what it is)."""
    text = BASE.read_text(encoding="utf-8")
    lead = "\n".join(text.splitlines()[:8]) + "\n"
    files: list[tuple[str, bytes, str]] = [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n  ", "whitespace only"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG renamed .txt"),
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(range(256)), "PDF renamed .txt"),
        ("nul.txt", lead.encode() + b"\x00" * 100 + lead.encode(), "NUL bytes inside text"),
        ("tcvn3.txt", _legacy(lead, "tcvn3"), "TCVN3 (ABC) legacy font"),
        ("vni.txt", _legacy(lead, "vni"), "VNI legacy font"),
        ("viscii.txt", _legacy(lead, "viscii"), "VISCII"),
        ("cp1258.txt", _cp1258(lead), "Windows-1258 with combining tones"),
        ("viqr.txt", _viqr(lead), "VIQR (ASCII mnemonics)"),
        ("utf16.txt", lead.encode("utf-16-le"), "UTF-16 LE without BOM"),
        ("bom.txt", codecs.BOM_UTF8 + lead.encode(), "UTF-8 with BOM"),
        ("nfd.txt", unicodedata.normalize("NFD", lead).encode(), "NFD (decomposed) text"),
        ("crlf.txt", lead.replace("\n", "\r\n", 3).replace("\n", "\r").encode(), "mixed CR / CRLF / LF"),
        ("broken.html", b"<html><head><title>" + lead.splitlines()[2].encode() + b"</title><body><div><p>"
         + lead.encode() + b"<p><b>unclosed <i>tags &agrave &nbsp", "broken HTML"),
        ("nested.html", ("<html><body>" + "<div><span>" * 5000 + lead + "</span></div>" * 5000
                         + "</body></html>").encode(), "HTML nested 5,000 levels"),
        ("digits.txt", ("1/2-3/4-" * 12_500).encode(), "100k digits, slashes and hyphens"),
        ("nospace.txt", ("Chỉthịsố18-CT/TUngày01/4/2015" * 36_000).encode(), "1 MB without a space"),
        ("ngay.txt", ("ngày " * 100_000).encode(), "'ngày' 100,000 times"),
        ("latin.txt", b"The quick brown fox jumps over the lazy dog.\n" * 50, "English, not Vietnamese"),
    ]
    out.mkdir(parents=True, exist_ok=True)
    described = []
    for name, data, what in files:
        (out / name).write_bytes(data)
        described.append((name, what))
    big = out / "big.txt"
    with big.open("wb") as handle:
        chunk = (text + "\n\n").encode()
        written = 0
        while written < big_mb * 1_000_000:
            handle.write(chunk)
            written += len(chunk)
    described.append(("big.txt", f"{big_mb} MB of real text"))
    return described


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="folder for the hostile files (default: a temp dir)")
    parser.add_argument("--big-mb", type=int, default=50, help="size of the large file in MB (default 50)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="hostile-"))
    described = build(out, args.big_mb)
    db = out / "hostile.db"
    db.unlink(missing_ok=True)

    from miner.running.batch import run_batch

    started = time.perf_counter()
    summary = run_batch([str(out)], db=str(db), jobs=args.jobs)
    seconds = time.perf_counter() - started
    failures = {Path(p).name: message for p, message in summary.failures}
    with sqlite3.connect(db) as conn:
        stored = {row[0]: row[1:] for row in conn.execute(
            "SELECT d.source, substr(coalesce(d.title, ''), 1, 60), d.encoding,"
            " (SELECT count(*) FROM citations c WHERE c.document_id = d.id),"
            " (SELECT count(*) FROM targets t WHERE t.document_id = d.id) FROM documents d")}
    crashed = 0
    print(f"| file | what it is | outcome |\n|---|---|---|")
    for name, what in described:
        if name in stored:
            title, encoding, refs, targets = stored[name]
            outcome = f"stored ({encoding}): {refs} references, {targets} targets; title {title!r}"
        elif name in failures:
            outcome = f"refused: {failures[name]}"
            crashed += failures[name].startswith("internal error")
        else:
            outcome = "MISSING"
            crashed += 1
        print(f"| `{name}` | {what} | {outcome} |")
    print(f"\n{len(described)} files, {len(stored)} stored, {len(failures)} refused, {crashed} crashes, {seconds:.1f} s")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
