"""Snippets: a few words of a text around a span, cut at word boundaries (citations, links)."""
from __future__ import annotations

from typing import Optional

SNIPPET_CHARS = 120


def make_snippet(text: Optional[str], start: Optional[int], end: Optional[int],
                 width: int = SNIPPET_CHARS) -> Optional[str]:
    """About `width` characters of `text` around [start, end), cut at word boundaries, whitespace folded."""
    if not text or start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    room = max(0, width - (end - start))
    left = max(0, start - room // 2)
    right = min(len(text), end + room - (start - left))
    left = max(0, min(left, right - width))
    if left > 0:
        space = text.rfind(" ", left - 15 if left >= 15 else 0, left + 1)
        if space == -1:
            space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.find(" ", right, right + 15)
        right = space if space != -1 else right
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")
