"""The `miner` command line: a batch with bad inputs, the database, stdin, search and help."""
import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from miner.cli.main import main

MINER = [str(Path(sys.executable).with_name("miner"))]
if not os.path.exists(MINER[0]):
    MINER = [sys.executable, "-m", "miner"]

# corpus/dev/000_a5a24a10da4b2c1e.txt (head)
GOOD = ("Tin tức - Sự kiện   /  Trong huyện  /  Kinh tế - Chính trị\n"
        "Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang\n"
        "Ngày đăng: 08/06/2015\n\n"
        " Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU "
        "ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu "
        "phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.\n"
        "Với mục đích quán triệt và triển khai nghiêm túc các nội dung Nghị quyết số 36-NQ/TW ngày 01/7/2015 của "
        "Bộ Chính trị; Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ.\n")
# corpus/dev/000_a5a24a10da4b2c1e.txt (body prose, no codes)
PROSE = ("Nâng cao nhận thức và trách nhiệm của các cấp uỷ đảng, chính quyền, cán bộ, đảng viên và các tầng lớp "
         "nhân dân trong huyện về đẩy mạnh ứng dụng, phát triển công nghệ thông tin đáp ứng yêu cầu phát triển kinh tế, "
         "xã hội, ANQP trong tình hình mới, góp phần đẩy mạnh công nghiệp hoá, hiện đại hoá, bảo đảm phát triển nhanh, "
         "bền vững của huyện.\n")
# corpus/dev/001_c7e476cc61611d61.txt (head, shortened)
TAY_NINH_TITLE = "Năm 2015: Tây Ninh đẩy mạnh ứng dụng, phát triển công nghệ thông tin"
TAY_NINH = (TAY_NINH_TITLE + "\n\nThứ hai - 13/04/2015 11:00 66 0\n"
            "Nhằm nâng cao nhận thức tại địa phương, ngày 31/12/2014, Tỉnh ủy Tây Ninh đã ban hành "
            "Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết số 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.\n")
# corpus/dev/002_f1c7b76ae52b9153.txt (head)
NFD_TITLE = "Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh"
NFD_TEXT = (NFD_TITLE + "\n\nBản in | Quay lại | A+ A A- | Đọc bài viết\n\n"
            "Thứ 3, ngày 21/05/2019 | 09:42 AM (GMT +7)\n"
            "Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 40-CT/TU ngày 9/5/2019 yêu cầu các cấp ủy đảng, chính quyền "
            "tập trung lãnh đạo, chỉ đạo.\n")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed vowels, separate tone marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


GOOD_FILES = {"good.txt", "legacy.txt", "nfd.txt", "huge.txt"}
BAD_FILES = {"empty.txt", "image.txt"}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    d = root / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
    legacy = cp1258_bytes(TAY_NINH)
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    (d / "legacy.txt").write_bytes(legacy)
    (d / "nfd.txt").write_text(unicodedata.normalize("NFD", NFD_TEXT), encoding="utf-8")
    (d / "huge.txt").write_text(GOOD + PROSE * (2_000_000 // len(PROSE.encode("utf-8")) + 1), encoding="utf-8")
    missing = str(root / "does-not-exist.txt")
    db = root / "miner.db"
    out = root / "out.jsonl"
    cmd = MINER + ["extract", str(d), missing, "--format", "jsonl", "--output", str(out), "--db", str(db),
                   "--no-progress"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=str(root))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"proc": proc, "records": records, "db": db, "dir": d, "missing": missing, "root": root, "cmd": cmd}


def test_exit_status_1_when_an_input_failed(batch):
    assert batch["proc"].returncode == 1, batch["proc"].stderr


def test_good_inputs_give_records(batch):
    assert {r["source"] for r in batch["records"]} == GOOD_FILES


def test_each_bad_input_reported_on_stderr(batch):
    err = batch["proc"].stderr
    assert "Traceback" not in err
    lines = err.splitlines()
    for name, reason in (("empty.txt", "empty"), ("image.txt", "binary"), ("does-not-exist.txt", "no such file")):
        hits = [ln for ln in lines if name in ln]
        assert hits, f"{name} not reported:\n{err}"
        assert all(reason in ln.lower() for ln in hits), hits
    for name in GOOD_FILES:
        assert not any(name in ln for ln in lines), f"good file {name} reported as failing:\n{err}"


def test_summary_line(batch):
    err = batch["proc"].stderr
    summary = [ln for ln in err.splitlines() if " documents, " in ln]
    assert len(summary) == 1
    assert "4 documents" in summary[0] and "3 failed" in summary[0]


def test_cp1258_file_is_decoded(batch):
    (rec,) = [r for r in batch["records"] if r["source"] == "legacy.txt"]
    assert rec["title"] == TAY_NINH_TITLE
    assert rec["published"] == "2015-04-13"
    assert {r["code"] for r in rec["references"]} == {"45-CTr/TU", "36-NQ/TW"}
    assert rec["meta"]["encoding"] == "cp1258"


def test_nfd_file_gives_nfc_record(batch):
    (rec,) = [r for r in batch["records"] if r["source"] == "nfd.txt"]
    assert rec["title"] == NFD_TITLE
    assert rec["published"] == "2019-05-21"
    assert [r["code"] for r in rec["references"]] == ["40-CT/TU"]


def test_huge_file_finishes_with_its_references(batch):
    (rec,) = [r for r in batch["records"] if r["source"] == "huge.txt"]
    assert rec["meta"]["size"] > 2_000_000
    assert {r["code"] for r in rec["references"]} == {"18-CT/TU", "134-KH/HU", "36-NQ/TW", "26/NQ-CP"}


def _db_counts(db):
    conn = sqlite3.connect(str(db))
    try:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        sources = {row[0] for row in conn.execute("SELECT source FROM documents")}
        citations = conn.execute("SELECT count(*) FROM citations").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM citations WHERE document_id NOT IN (SELECT id FROM documents)"
                               ).fetchone()[0]
        return docs, sources, citations, orphans
    finally:
        conn.close()


def test_db_holds_exactly_the_good_documents(batch):
    docs, sources, citations, orphans = _db_counts(batch["db"])
    assert docs == len(GOOD_FILES)
    assert sources == GOOD_FILES
    assert citations == sum(len(r["references"]) for r in batch["records"])
    assert orphans == 0


def test_rerun_adds_no_duplicates(batch):
    before = _db_counts(batch["db"])
    proc = subprocess.run(MINER + ["extract", str(batch["dir"]), "--db", str(batch["db"]), "--no-progress"],
                          capture_output=True, text=True, timeout=300, cwd=str(batch["root"]))
    assert proc.returncode == 1  # the empty and binary files still fail
    assert _db_counts(batch["db"]) == before


def test_search_hit_exits_0(batch):
    proc = subprocess.run(MINER + ["search", "chỉ thị 18", "--db", str(batch["db"])],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "18-CT/TU" in proc.stdout
    assert "good.txt" in proc.stdout


def test_search_slip_form_finds_the_code(batch):
    proc = subprocess.run(MINER + ["search", "18/CT-TU", "--db", str(batch["db"]), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)
    assert hits and hits[0]["code"] == "18-CT/TU"


def test_search_no_match_exits_1_with_a_message(batch):
    proc = subprocess.run(MINER + ["search", "99-CT/TU", "--db", str(batch["db"])],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "99-CT/TU" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_search_api(batch):
    from miner.database.search import search
    hits = search(str(batch["db"]), "Nghị quyết 26/NQ-CP")
    assert hits
    assert hits[0].code == "26/NQ-CP"
    assert {d.source for d in hits[0].citing} >= {"good.txt", "huge.txt"}


def test_store_api_counts(tmp_path):
    from miner.pipeline import extract, rules_version
    from miner.database.writer import Store
    record = extract(GOOD, "good.txt")
    with Store(str(tmp_path / "s.db")) as store:
        store.add_records([record], rules_version(), texts={"good.txt": GOOD})
        store.add_records([record], rules_version(), texts={"good.txt": GOOD})
        counts = store.counts()
    assert counts["documents"] == 1
    assert counts["citations"] == 4


def test_stdin_to_stdout_json():
    runner = CliRunner()
    result = runner.invoke(main, ["extract", "-", "--format", "json", "-o", "-", "--no-progress"],
                           input=GOOD.encode("utf-8"))
    assert result.exit_code == 0, result.output
    start = result.stdout.index("[")
    records = json.loads(result.stdout[start:result.stdout.rindex("]") + 1])
    assert len(records) == 1
    assert records[0]["published"] == "2015-06-08"
    assert {r["code"] for r in records[0]["references"]} == {"18-CT/TU", "134-KH/HU", "36-NQ/TW", "26/NQ-CP"}


def test_stdin_subprocess_stdout_is_pure_json():
    proc = subprocess.run(MINER + ["extract", "-", "--format", "json", "-o", "-"], input=GOOD,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads(proc.stdout)
    assert record["title"].startswith("Huyện ủy Tân Yên")


@pytest.mark.parametrize("command, example", [("extract", "miner extract "), ("search", "miner search ")])
def test_help_mentions_an_example(command, example):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert example in result.output


def test_missing_database_for_search_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["search", "18-CT/TU", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "no database" in result.output
