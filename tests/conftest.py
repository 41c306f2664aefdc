"""Fixtures, the `shared` marker, and the tests folder on the import path (testdata, db_snapshot)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from testdata import SHARED, SHARED_CORPUS  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "shared: reads ../shared beside the project (skipped when it is absent)")


def pytest_collection_modifyitems(config, items):
    if SHARED_CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{SHARED} is not beside the project")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_corpus_db(tmp_path_factory) -> Path:
    """SQLite database of every document in ../shared/corpus/dev and ../shared/corpus/pool (skips without them)."""
    if not (SHARED_CORPUS / "dev").is_dir() or not (SHARED_CORPUS / "pool").is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    from miner.pipeline import extract_paths, rules_version
    from miner.database.writer import Store

    path = tmp_path_factory.mktemp("shared") / "corpus.db"
    records = [o.record for o in extract_paths([str(SHARED_CORPUS / "dev"), str(SHARED_CORPUS / "pool")]) if o.record]
    with Store(str(path)) as store:
        store.add_records(records, rules_version())
    return path
