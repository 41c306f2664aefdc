"""vn-policy-miner: extract references, dates, places and targets from Vietnamese policy texts.

    import miner
    record = miner.extract(text, source="page.txt")
    for outcome in miner.extract_paths(["corpus/sample"]): ...
    db = miner.open("miner.db")

The names below are loaded on first use, so that ``import miner.<layer>`` (or a query
command) does not pay for the extraction pipeline.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "open": "miner.database.dataset",
    "extract": "miner.pipeline",
    "extract_path": "miner.pipeline",
    "extract_paths": "miner.pipeline",
    "Record": "miner.records",
    "Reference": "miner.records",
    "Place": "miner.records",
    "Target": "miner.records",
    "ListItem": "miner.records",
    "Span": "miner.records",
}

__all__ = list(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'miner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
