"""Extraction on a Dask cluster into shards (miner/distributed.py), and `miner load` of the shards."""
from __future__ import annotations

from pathlib import Path

import pytest

from db_snapshot import snapshot
from click.testing import CliRunner

from testdata import DATA

POOL = DATA / "pool"  # copies of pool pages (tests/data/README.md)
SEEDS = ["020_doanhnghiepvatrangtrai_vn.txt", "009_baodaklak_vn.txt", "017_binhthuan_dcs_vn.txt",
         "006_baoninhthuan_com_vn.txt", "004_stttt_gialai_gov_vn.txt"]
N_DOCS = 10





@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from distributed import Client, LocalCluster

    from miner.running.batch import run_batch
    from miner.running.distributed import extract_to_shards

    root = tmp_path_factory.mktemp("dist")
    src = root / "in"
    src.mkdir()
    seeds = [(POOL / name).read_text(encoding="utf-8") for name in SEEDS]
    for i in range(N_DOCS):
        (src / f"doc{i:03d}.txt").write_text(seeds[i % len(seeds)] + f"\nBản sao {i}.\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        jsonl = extract_to_shards([str(src)], str(root / "shards"), client, partition_size=4)
        parquet = extract_to_shards([str(src)], str(root / "pq"), client.scheduler.address, partition_size=6,
                                    fmt="parquet")
        rerun = extract_to_shards([str(src)], str(root / "shards"), client, partition_size=4)
    local = root / "local.db"
    run_batch([str(src)], db=str(local), jobs=1)
    return {"root": root, "jsonl": jsonl, "parquet": parquet, "rerun": rerun, "local": local}


def test_shards_written(run):
    names = [Path(p).name for p in run["jsonl"].shards]
    assert names == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert run["jsonl"].documents == N_DOCS and run["jsonl"].failed == 1
    assert [Path(p).name for p in run["parquet"].shards] == ["part-00000.parquet", "part-00001.parquet"]
    assert not list((run["root"] / "shards").glob("*.tmp*"))


def test_rerun_keeps_finished_shards(run):
    assert run["rerun"].reused == 3 and run["rerun"].documents == 0


def test_load_equals_local_run_and_is_idempotent(run, tmp_path):
    from miner.cli.load import load

    db = tmp_path / "cluster.db"
    result = CliRunner().invoke(load, [str(run["root"] / "shards"), "--db", str(db)])
    assert result.exit_code == 1  # the empty file is reported
    assert f"{N_DOCS} added" in result.output and "empty.txt: empty file" in result.output
    assert snapshot(db) == snapshot(run["local"])
    again = CliRunner().invoke(load, [str(run["root"] / "shards"), "--db", str(db)])
    assert "0 added" in again.output and f"{N_DOCS} skipped" in again.output
    assert snapshot(db) == snapshot(run["local"])


def test_parquet_shards_load_the_same(run, tmp_path):
    from miner.running.distributed import load_shards

    db = tmp_path / "pq.db"
    summary = load_shards(sorted(str(p) for p in (run["root"] / "pq").glob("part-*.parquet")), str(db))
    assert summary.added == N_DOCS
    assert snapshot(db) == snapshot(run["local"])
    assert load_shards(str(run["root"] / "pq"), str(db)).added == 0
