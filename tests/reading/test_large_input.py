"""A ~20 MB text file is extracted in paragraph chunks: one record, spans into the whole text, bounded memory.

Correctness and memory, not timing. The file is built at test time from real
corpus documents (pool), with a reference planted at the very start, in the
middle and at the very end so that merging across chunks can be checked.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from miner import reading
from miner.reading import html_text

from testdata import POOL
TARGET_BYTES = 20 * 2**20
PEAK_RSS_LIMIT_MB = 600
HEAD = ("Kế hoạch triển khai Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị trên địa bàn tỉnh Gia Lai\n\n"
        "Căn cứ Quyết định số 9876/QĐ-UBND ngày 05/3/2021 của UBND tỉnh Gia Lai về chuyển đổi số.\n\n")
MIDDLE = "Thực hiện Quyết định số 9876/QĐ-UBND ngày 05/3/2021 của UBND tỉnh Gia Lai, các sở triển khai.\n\n"
TAIL = "\n\nCăn cứ Chỉ thị số 4321-CT/TU ngày 09/9/2022 của Ban Thường vụ Tỉnh ủy Gia Lai.\n"

pytestmark = pytest.mark.shared  # builds its large inputs from the whole pool


def _build(path: Path) -> str:
    docs = [p.read_text(encoding="utf-8").strip() for p in sorted(POOL.glob("*.txt"))]
    # plain text only: a file with HTML pasted in is cleaned as a whole (read_bytes), not streamed
    docs = [d for d in docs if not html_text._looks_like_html_in_text(d) and not html_text._looks_like_markdown(d)]
    parts, size, i, middle = [HEAD], len(HEAD.encode()), 0, False
    while size < TARGET_BYTES:
        doc = docs[i % len(docs)] + "\n\n"
        if not middle and size > TARGET_BYTES // 2:
            doc, middle = MIDDLE + doc, True
        parts.append(doc)
        size += len(doc.encode())
        i += 1
    parts.append(TAIL)
    text = "".join(parts)
    # Windows line endings in part of the file: offsets are into the newline-normalised text
    path.write_bytes(text.encode("utf-8").replace(b"\n", b"\r\n", 2000))
    return text


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "big.txt"
    text = _build(path)
    return path, text


# The child's own peak: /proc/self/status VmHWM belongs to the memory the child
# exec'd into, whereas getrusage's ru_maxrss survives exec and would report the
# pytest process's size at fork time (hundreds of MB after the classifier tests).
_CHILD = r"""
import json, resource, sys
from miner import pipeline


def peak_rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


record = pipeline.extract_path(sys.argv[1])
out = {
    "peak_rss_mb": peak_rss_mb(),
    "title": record.title, "published": record.published, "size": record.size, "sha256": record.sha256,
    "encoding": record.encoding, "places": [p.name for p in record.places],
    "references": [{"code": r.code, "kind": r.kind, "issuer": r.issuer, "date": r.date, "text": r.text,
                    "mentions": [[s.start, s.end] for s in r.mentions]} for r in record.references],
    "targets": [[t.span.start, t.span.end, t.value] for t in record.targets],
    "lists": len(record.objectives) + len(record.solutions),
}
json.dump(out, sys.stdout, ensure_ascii=False)
"""


@pytest.fixture(scope="module")
def extracted(big_file):
    path, _ = big_file
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_large_file_is_read_in_chunks(big_file):
    path, text = big_file
    src = reading.read_path(path)
    assert isinstance(src, reading.LargeSource)
    assert src.size == path.stat().st_size
    offset = 0
    pieces = 0
    for start, piece in src.chunks():
        assert start == offset
        assert text[start:start + len(piece)] == piece  # same text as the whole-file reader would give
        assert len(piece) <= reading.CHUNK_CHARS
        offset += len(piece)
        pieces += 1
    assert offset == len(text)
    assert pieces >= 10


def test_one_record_with_merged_references_and_spans_into_the_whole_text(big_file, extracted):
    _, text = big_file
    refs = {r["code"]: r for r in extracted["references"]}
    # planted at the start and in the middle (another chunk): one reference, both mentions
    planted = refs["9876/QĐ-UBND"]
    assert planted["date"] == "2021-03-05"
    assert len(planted["mentions"]) == 2
    starts = [s for s, _ in planted["mentions"]]
    assert starts[0] == text.index("9876/QĐ-UBND")
    assert starts[1] == text.index("9876/QĐ-UBND", starts[0] + 1) > reading.CHUNK_CHARS
    # planted at the very end, in the last chunk
    last = refs["4321-CT/TU"]
    assert last["mentions"][0][0] == text.rindex("4321-CT/TU") > len(text) - 200
    # every mention's span points at that code in the original text
    for ref in extracted["references"]:
        for start, end in ref["mentions"]:
            assert text[start:end].replace(" ", "") == ref["code"].replace(" ", "") or \
                text[start:end] == ref["text"], (ref["code"], text[start:end])
    # a code cited in every copy of a pool document is one reference with all its mentions
    cited = refs["36-NQ/TW"]
    assert len(cited["mentions"]) >= text.count("36-NQ/TW") * 0.9
    # title and published from the head; targets concatenated with spans inside the text
    # (the head line, or the full text's own heading just under it, as find_title picks on the first chunk)
    assert extracted["title"] and extracted["title"].lower().startswith("kế hoạch triển khai")
    assert extracted["published"]
    assert "Gia Lai" in extracted["places"]
    assert extracted["targets"] and all(0 <= s < e <= len(text) for s, e, _ in extracted["targets"])
    assert max(s for s, _, _ in extracted["targets"]) > len(text) // 2


def test_peak_memory_is_bounded(big_file, extracted):
    path, _ = big_file
    assert path.stat().st_size >= TARGET_BYTES
    assert extracted["peak_rss_mb"] < PEAK_RSS_LIMIT_MB, extracted["peak_rss_mb"]
