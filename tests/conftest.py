"""Shared fixtures: a database built once per session from the shared corpus (dev + pool)."""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


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
