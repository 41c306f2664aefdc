"""The batch engine (miner/batch.py) and `miner extract` over it: parallel, resumable, idempotent, concurrent."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db_snapshot import snapshot
from click.testing import CliRunner

from miner.running import batch
from miner.running.batch import VERSION_ENV, extraction_version, run_batch
from miner.cli.extract import extract as extract_cmd

from testdata import DATA

POOL = DATA / "pool"  # copies of six pool pages (tests/data/README.md)
# short real pages from the pool corpus (a few KB each, with references and dates)
SEEDS = ["020_doanhnghiepvatrangtrai_vn.txt", "009_baodaklak_vn.txt", "017_binhthuan_dcs_vn.txt",
         "006_baoninhthuan_com_vn.txt", "004_stttt_gialai_gov_vn.txt", "20211006-01-vhtt.txt"]
N_DOCS = 60
EXTRACT = [sys.executable, "-m", "miner.cli.extract"]



def make_corpus(root: Path, n: int) -> list[Path]:
    """n real documents with distinct hashes: the seed texts, each with a unique last line."""
    root.mkdir(parents=True, exist_ok=True)
    seeds = [(POOL / name).read_text(encoding="utf-8") for name in SEEDS]
    paths = []
    for i in range(n):
        path = root / f"doc{i:03d}.txt"
        path.write_text(seeds[i % len(seeds)].rstrip("\n") + f"\n\nMã lưu trữ bản sao {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths




def assert_no_duplicates(db) -> None:
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("SELECT count(*) - count(DISTINCT sha256) FROM documents").fetchone()[0] == 0
        dup = conn.execute("SELECT code_key, issuer_key, year, count(*) FROM directives"
                           " GROUP BY code_key, issuer_key, year HAVING count(*) > 1").fetchall()
        assert dup == []
        assert conn.execute("SELECT count(*) FROM citations WHERE document_id NOT IN (SELECT id FROM documents)"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def doc_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    paths = make_corpus(root / "in", N_DOCS)
    reference = root / "reference.db"
    summary = run_batch([str(root / "in")], db=str(reference), jobs=2, batch_size=50)
    assert summary.documents == N_DOCS and not summary.failures
    return {"root": root, "dir": root / "in", "paths": paths, "reference": reference, "summary": summary}


def test_clean_run_stores_every_document(corpus):
    snap = snapshot(corpus["reference"])
    assert len(snap["documents"]) == N_DOCS
    assert len(snap["citations"]) == corpus["summary"].references > 0
    assert_no_duplicates(corpus["reference"])


def test_jobs_1_equals_jobs_2(corpus, tmp_path):
    db = tmp_path / "one.db"
    run_batch([str(p) for p in corpus["paths"][:12]], db=str(db), jobs=1, batch_size=5)
    ref = snapshot(corpus["reference"])
    shas = {row[0] for row in snapshot(db)["documents"]}
    assert len(shas) == 12
    assert snapshot(db) == {k: [r for r in rows if r[0] in shas] for k, rows in ref.items()}


def test_kill_9_mid_batch_then_rerun_equals_clean_run(corpus, tmp_path):
    db = tmp_path / "killed.db"
    cmd = EXTRACT + [str(corpus["dir"]), "--db", str(db), "--jobs", "2", "--batch-size", "5", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while doc_count(db) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        stored_at_kill = doc_count(db)
        os.killpg(proc.pid, signal.SIGKILL)  # the extract process, its forkserver and workers
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    assert 5 <= stored_at_kill < N_DOCS
    partial = doc_count(db)
    assert partial % 5 == 0 and partial < N_DOCS  # whole batches only
    assert_no_duplicates(db)

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial} skipped" in rerun.stderr and f"{N_DOCS - partial} documents" in rerun.stderr
    assert snapshot(db) == snapshot(corpus["reference"])
    assert_no_duplicates(db)


def test_two_processes_on_one_database(corpus, tmp_path):
    db = tmp_path / "shared.db"
    paths = [str(p) for p in corpus["paths"]]
    first, second = paths[:30], paths[20:50]  # 10 documents in both
    procs = [subprocess.Popen(EXTRACT + part + ["--db", str(db), "--jobs", "1", "--batch-size", "3",
                                                "--no-progress"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for part in (first, second)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    for proc, err in zip(procs, errors):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    snap = snapshot(db)
    shas = {row[0] for row in snap["documents"]}
    assert len(shas) == 50
    ref = snapshot(corpus["reference"])
    expected = {k: [r for r in rows if r[0] in shas] for k, rows in ref.items()}
    assert snap == expected  # nothing lost, nothing doubled
    assert_no_duplicates(db)


def test_second_run_skips_and_new_version_reextracts(corpus, tmp_path, monkeypatch):
    db = str(tmp_path / "skip.db")
    files = [str(p) for p in corpus["paths"][:3]]
    first = run_batch(files, db=db, jobs=1)
    assert (first.documents, first.skipped) == (3, 0)
    again = run_batch(files + [str(corpus["paths"][0])], db=db, jobs=1)
    assert (again.documents, again.skipped) == (0, 4)

    forced = run_batch(files, db=db, jobs=1, force=True)
    assert forced.documents == 3 and forced.stored.skipped == 3  # re-extracted, same version: rows kept

    monkeypatch.setenv(VERSION_ENV, "rules-2")
    bumped = run_batch(files, db=db, jobs=1)
    assert (bumped.documents, bumped.skipped) == (3, 0)
    assert bumped.stored.replaced == 3 and bumped.stored.added == 0
    versions = {row[4] for row in snapshot(db)["documents"]}  # (sha256, source, title, published, rules_version, text)
    assert versions == {"rules-2"}
    assert run_batch(files, db=db, jobs=1).skipped == 3


def test_version_follows_rules_and_model(tmp_path, monkeypatch):
    from miner.finders import classifier
    from miner import rulebook

    monkeypatch.delenv(VERSION_ENV, raising=False)
    base = extraction_version()
    assert base.startswith(rulebook.version() + "+model.")
    model = tmp_path / "model.json"
    model.write_bytes(Path(classifier.MODEL_PATH).read_bytes() + b"\n")
    monkeypatch.setattr(classifier, "MODEL_PATH", model)
    assert extraction_version() != base
    monkeypatch.setattr(rulebook, "version", lambda: "999")
    assert extraction_version().startswith("999+model.")


def test_output_gets_every_record_even_when_stored(corpus, tmp_path):
    db = str(tmp_path / "o.db")
    files = [str(p) for p in corpus["paths"][:2]]
    run_batch(files, db=db, jobs=1)
    out = tmp_path / "out.json"
    summary = run_batch(files, db=db, output=str(out), jobs=2)
    assert summary.documents == 2 and summary.stored.skipped == 2
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [r["source"] for r in records] == ["doc000.txt", "doc001.txt"]


def test_failures_reported_and_batch_goes_on(corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    seen = []
    summary = run_batch([str(bad), str(corpus["paths"][0]), str(tmp_path / "missing.txt")],
                        db=str(tmp_path / "f.db"), jobs=2, on_failure=lambda p, e: seen.append(p))
    assert summary.documents == 1
    assert {Path(p).name for p, _ in summary.failures} == {"empty.txt", "image.txt", "missing.txt"}
    assert sorted(seen) == sorted(p for p, _ in summary.failures)


def crashing_chunk(paths, want_text):
    """Worker stand-in: dies like a segfault or an OOM kill on a file named poison*."""
    if any(Path(p).name.startswith("poison") for p in paths):
        os._exit(3)
    return batch.extract_chunk(paths, want_text)


def test_dead_worker_fails_only_its_file(corpus, tmp_path):
    """A worker that dies is replaced; the files in flight are retried one by one; only the culprit fails."""
    paths = [str(p) for p in corpus["paths"][:4]]
    poison = tmp_path / "poison.txt"
    poison.write_text("x", encoding="utf-8")
    pool = batch._Pool(2, False, 60, worker=crashing_chunk)
    try:
        results = [r for chunk in pool.run(iter([paths[:2], [str(poison), paths[2]], paths[3:]])) for r in chunk]
    finally:
        pool.close()
    assert [Path(r[0]).name for r in results] == ["doc000.txt", "doc001.txt", "poison.txt", "doc002.txt",
                                                  "doc003.txt"]
    assert [r[1] is not None for r in results] == [True, True, False, True, True]
    assert "died" in results[2][3]


def test_cli_command_options_and_summary(corpus, tmp_path):
    db = tmp_path / "cli.db"
    args = [str(p) for p in corpus["paths"][:3]] + [str(tmp_path / "none.txt"), "--db", str(db), "--jobs", "2",
                                                   "--batch-size", "2", "--no-progress"]
    result = CliRunner().invoke(extract_cmd, args)
    assert result.exit_code == 1
    summary = [ln for ln in result.output.splitlines() if " documents, " in ln]
    assert len(summary) == 1 and "3 documents, 0 skipped" in summary[0] and "1 failed" in summary[0]
    assert "none.txt: no such file" in result.output
    again = CliRunner().invoke(extract_cmd, args[:3] + ["--db", str(db), "--jobs", "1", "--no-progress"])
    assert again.exit_code == 0 and "0 documents, 3 skipped" in again.output
    forced = CliRunner().invoke(extract_cmd, args[:3] + ["--db", str(db), "--force", "-j", "1", "--no-progress"])
    assert forced.exit_code == 0 and "3 documents, 0 skipped" in forced.output
    assert "--jobs" in CliRunner().invoke(extract_cmd, ["--help"]).output
