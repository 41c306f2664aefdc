"""Numbers as Vietnamese writes them: decimal comma, thousands dot, scale words.

``52,5`` → 52.5, ``1.000`` → 1000, ``10.009.215`` → 10009215, ``01`` → 1,
``2 triệu`` → 2 000 000, ``1,5 tỷ`` → 1.5e9, ``nghìn``/``ngàn`` → 1000.
"""
from __future__ import annotations

from typing import Optional

import regex

SCALE = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}

# A number not glued to a code, a date or a fraction: "18-CT/TU", "01/4/2015", "133/253" are not numbers here.
NUMBER = regex.compile(
    r"(?<![\w.,/\-:])(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?(?![\w]|[.,]\d|/\d|-\d|:\d)"
)
SCALE_WORD = regex.compile(r"[ ]?(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)(?!\p{L})", regex.IGNORECASE)


def parse_number(int_part: str, frac: Optional[str] = None) -> float:
    whole = int_part.replace(".", "")
    return float(f"{int(whole)}.{frac}") if frac else float(int(whole))
