"""A topic category for each target, from the taxonomy in rules/categories.jsonl.

Rules, in order: the first category whose pattern matches the indicator
wins; failing that, the first that matches the target's sentence; else
"other". Order in the file matters: specific topics (online public
services, digital signatures) come before broad ones (e-government,
science and technology).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from miner import rulebook


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, Optional[regex.Pattern]]]:
    return [(r["category"], regex.compile(r["pattern"], regex.IGNORECASE) if r.get("pattern") else None)
            for r in rulebook.read_jsonl("categories.jsonl")]


def categorize(indicator: str, sentence: Optional[str] = None) -> str:
    for text in (indicator, sentence or ""):
        for category, pattern in _patterns():
            if pattern is not None and pattern.search(text):
                return category
    return "other"


def taxonomy() -> list[tuple[str, str]]:
    return [(r["category"], r["label"]) for r in rulebook.read_jsonl("categories.jsonl")]
