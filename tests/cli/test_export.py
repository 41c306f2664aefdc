"""`miner targets` in every format and `miner export` → pandas round trips (CSV, Parquet, JSON Lines)."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

import miner.database.dataset as ds
from miner.cli.export import export
from miner.cli.targets import targets


pytestmark = pytest.mark.shared  # a database of the whole dev and pool corpus


@pytest.fixture(scope="module")
def db(shared_corpus_db):
    with ds.open(shared_corpus_db) as data:
        yield data


def run(command, args):
    result = CliRunner().invoke(command, [str(a) for a in args], catch_exceptions=False)
    return result


# --- miner targets -----------------------------------------------------------------

HUE_2020 = ["--year", "2020", "--province", "thua thien hue"]


@pytest.mark.shared
def test_targets_table(shared_corpus_db, db):
    result = run(targets, ["--db", shared_corpus_db, *HUE_2020])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    expected = db.targets(year=2020, province="Thừa Thiên Huế")
    assert lines[-1] == f"{len(expected)} targets"
    assert lines[0].split() == ["year", "value", "category", "province", "indicator", "source"]
    body = lines[2:-1]
    assert len(body) == len(expected) > 0
    assert all(line.startswith("2020  ") and "Thừa Thiên Huế" in line for line in body)
    assert any("100 %" in line and "e_government" in line for line in body)


@pytest.mark.shared
def test_targets_csv_stdout(shared_corpus_db, db):
    result = run(targets, ["--db", shared_corpus_db, "--year", "2020-2025", "--province", "Hồ Chí Minh",
                           "--format", "csv"])
    assert result.exit_code == 0
    frame = pd.read_csv(io.StringIO(result.output))
    expected = db.targets(year_range=(2020, 2025), province="Hồ Chí Minh")
    assert len(frame) == len(expected) > 0
    assert frame["target_id"].tolist() == expected["target_id"].tolist()


@pytest.mark.shared
def test_targets_json(shared_corpus_db, db):
    result = run(targets, ["--db", shared_corpus_db, "--directive", "36/NQ-TW", "--issuer", "bo chinh tri",
                           "--sort", "value", "--desc", "--limit", "4", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    expected = db.targets(directive="36-NQ/TW", issuer="Bộ Chính trị", sort="value", descending=True, limit=4)
    assert [r["target_id"] for r in rows] == expected["target_id"].tolist()
    assert len(rows) == 4
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)


@pytest.mark.shared
def test_targets_jsonl_file(shared_corpus_db, tmp_path):
    out = tmp_path / "t.jsonl"
    result = run(targets, ["--db", shared_corpus_db, "--indicator", "chu ky so", "--category", "digital_signatures",
                           "--format", "jsonl", "--output", out])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["category"] == "digital_signatures" and "chữ ký số" in r["indicator"] for r in rows)


@pytest.mark.shared
def test_targets_parquet(shared_corpus_db, db, tmp_path):
    out = tmp_path / "t.parquet"
    result = run(targets, ["--db", shared_corpus_db, "--district", "minh hoa", "--min", "50", "--max", "100",
                           "--format", "parquet", "--output", out])
    assert result.exit_code == 0
    expected = db.targets(district="Minh Hóa", value_min=50, value_max=100)
    assert len(expected) > 0
    assert_frame_equal(pd.read_parquet(out), expected)
    missing = CliRunner().invoke(targets, ["--db", str(shared_corpus_db), "--format", "parquet"])
    assert missing.exit_code == 2 and "--output" in missing.output


@pytest.mark.shared
def test_targets_errors(shared_corpus_db, tmp_path):
    result = CliRunner().invoke(targets, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.output
    result = CliRunner().invoke(targets, ["--db", str(shared_corpus_db), "--province", "Xyzabc"])
    assert result.exit_code == 1 and "unknown province" in result.output
    result = CliRunner().invoke(targets, ["--db", str(shared_corpus_db), "--year", "soon"])
    assert result.exit_code == 2
    assert "Examples" in CliRunner().invoke(targets, ["--help"]).output


# --- miner export --------------------------------------------------------------------

def _csv_expected(frame: pd.DataFrame) -> pd.DataFrame:
    """CSV writes a missing value and an empty string alike (an empty cell): both read back as missing."""
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.StringDtype):
            frame[column] = frame[column].mask(frame[column] == "")
    return frame


def _read(path, fmt: str, like: pd.DataFrame) -> pd.DataFrame:
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    else:
        frame = pd.read_json(path, lines=True, dtype=False)
        if frame.empty:
            frame = pd.DataFrame(columns=like.columns)
    return frame.astype(like.dtypes.to_dict())


@pytest.mark.shared
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_export_everything_round_trips(shared_corpus_db, db, tmp_path, fmt):
    out = tmp_path / "export"
    result = run(export, ["--db", shared_corpus_db, "--format", fmt, "--output", out])
    assert result.exit_code == 0, result.output
    for name in ds.EXPORTABLE:
        path = out / f"{name}.{fmt}"
        assert path.is_file(), name
        expected = db.table(name)
        assert f"{name}: {len(expected)} rows → {path}" in result.output
        if name in ("documents", "targets", "targets_full", "citations_full"):
            assert len(expected) > 0
        got = _read(path, fmt, expected)
        assert_frame_equal(got, _csv_expected(expected) if fmt == "csv" else expected, obj=f"{name}.{fmt}")


def test_export_views_are_joined(db):
    full = db.table("targets_full")
    assert full["target_id"].tolist() == db.table("targets")["id"].tolist()
    hue = full[full["provinces"].fillna("").str.contains("Thừa Thiên Huế")]
    assert len(hue) > 0 and hue["cited"].str.contains("36-NQ/TW").all()
    cites = db.table("citations_full")
    assert len(cites) == len(db.table("citations")) and cites["code"].notna().all()


@pytest.mark.shared
def test_export_one_view_to_a_file(shared_corpus_db, db, tmp_path):
    out = tmp_path / "sub" / "targets.parquet"
    result = run(export, ["--db", shared_corpus_db, "targets_full", "--output", out])  # format from the suffix
    assert result.exit_code == 0
    assert_frame_equal(pd.read_parquet(out), db.table("targets_full"))
    two = CliRunner().invoke(export, ["--db", str(shared_corpus_db), "places", "targets", "-o", str(tmp_path / "x.csv")])
    assert two.exit_code == 2 and "directory" in two.output


@pytest.mark.shared
def test_export_errors(shared_corpus_db, tmp_path):
    bad = CliRunner().invoke(export, ["--db", str(shared_corpus_db), "nope", "-o", str(tmp_path)])
    assert bad.exit_code == 2 and "unknown table" in bad.output
    missing = CliRunner().invoke(export, ["--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 1 and "no database" in missing.output
