"""Load the rule tables in ``rules/`` (JSON Lines, one row per line, each with its source).

The tables ship inside the package (``miner._rules``, built from the project's top-level
``rules/`` folder), so an installed miner finds them from any directory; ``MINER_RULES_DIR``
points elsewhere. The rules version stored with every extraction is a digest of the tables'
content: a changed row re-extracts stored documents without anyone bumping a number.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from miner.folding import fold_ascii, fold_tones



def _packaged_rules() -> Path:
    import miner._rules

    return Path(miner._rules.__file__).resolve().parent


RULES_DIR = Path(os.environ["MINER_RULES_DIR"]) if os.environ.get("MINER_RULES_DIR") else _packaged_rules()
TABLE_SUFFIX = ".jsonl"


class RulesError(RuntimeError):
    pass


def read_jsonl(name: str) -> list[dict]:
    path = RULES_DIR / name
    if not path.is_file():
        raise RulesError(f"rule file missing: {path} (set MINER_RULES_DIR to the project's rules/ folder)")
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RulesError(f"{path}:{number}: not JSON ({exc})") from exc
    return rows


def table_paths() -> list[Path]:
    """Every rule table, in name order."""
    return sorted(RULES_DIR.glob("*" + TABLE_SUFFIX))


@lru_cache(maxsize=1)
def version() -> str:
    """``r-`` and the first 12 hex digits of the SHA-256 over every table's name and bytes."""
    digest = hashlib.sha256()
    for path in table_paths():
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return "r-" + digest.hexdigest()[:12]


@dataclass(frozen=True)
class DocumentType:
    name: str
    party_code: Optional[str]
    state_code: Optional[str]
    aliases: tuple[str, ...]
    sets_rules: bool = False  # a legal norm (Luật, Nghị định, Thông tư …): its numbers are rules, not goals


@dataclass(frozen=True)
class Issuer:
    code: str
    system: str
    level: str
    name: str
    local: bool = False
    prefix: bool = False  # code followed by a term number (QH15)
    by_type: dict = field(default_factory=dict, hash=False, compare=False)
    default_type: Optional[str] = None


@dataclass
class RuleTables:
    types: list[DocumentType]
    issuers: list[Issuer]
    type_by_code: dict[str, DocumentType]  # folded type code → type (party and state codes)
    canonical_type_code: dict[str, str]  # folded code → canonical spelling ("qđi" → "QĐi")
    type_by_alias: dict[str, DocumentType]  # tone-folded alias → type
    issuer_by_code: dict[str, Issuer]  # upper-cased code → issuer

    def type_for_code(self, code: str, system: str | None = None) -> Optional[DocumentType]:
        key = fold_tones(code)
        if system == "party":
            for t in self.types:
                if t.party_code and fold_tones(t.party_code) == key:
                    return t
        if system == "state":
            for t in self.types:
                if t.state_code and fold_tones(t.state_code) == key:
                    return t
        return self.type_by_code.get(key)

    def issuer_for_code(self, code: str) -> Optional[Issuer]:
        upper = code.upper()
        if upper in self.issuer_by_code:
            return self.issuer_by_code[upper]
        for issuer in self.issuers:
            if issuer.prefix and upper.startswith(issuer.code.upper()) and upper[len(issuer.code):].isdigit():
                return issuer
        return None


@lru_cache(maxsize=1)
def tables() -> RuleTables:
    types = [
        DocumentType(r["name"], r.get("party_code"), r.get("state_code"), tuple(r.get("aliases") or [r["name"].lower()]),
                     bool(r.get("sets_rules")))
        for r in read_jsonl("document_types.jsonl")
    ]
    issuers = [
        Issuer(r["code"], r["system"], r["level"], r["name"], bool(r.get("local")), bool(r.get("prefix")),
               dict(r.get("by_type") or {}), r.get("default_type"))
        for r in read_jsonl("issuers.jsonl")
    ]
    type_by_code: dict[str, DocumentType] = {}
    canonical: dict[str, str] = {}
    for t in types:
        for code in (t.party_code, t.state_code):
            if code:
                type_by_code.setdefault(fold_tones(code), t)
                canonical.setdefault(fold_tones(code), code)
    type_by_alias: dict[str, DocumentType] = {}
    for t in types:
        for alias in t.aliases:
            type_by_alias.setdefault(fold_tones(alias), t)
    issuer_by_code = {i.code.upper(): i for i in issuers}
    return RuleTables(types, issuers, type_by_code, canonical, type_by_alias, issuer_by_code)


def ascii_aliases() -> dict[str, DocumentType]:
    """Type aliases without any diacritics ('chi thi'), for tolerant search queries."""
    out: dict[str, DocumentType] = {}
    for t in tables().types:
        for alias in t.aliases:
            out.setdefault(fold_ascii(alias), t)
    return out


@dataclass(frozen=True)
class AdminWord:
    """A word of the administrative units (``rules/admin_levels.jsonl``)."""
    word: str
    role: str  # prefix (before a place name) | issuer_prefix (a Party committee) | issuer_before (a body)
    level: Optional[str] = None  # province | city | district | commune
    deictic: bool = False  # alone, it points at the document's own unit ("UBND tỉnh")
    abbreviation: bool = False  # "TP" (may take a dot)


@lru_cache(maxsize=1)
def admin_words() -> tuple[AdminWord, ...]:
    return tuple(AdminWord(r["word"], r["role"], r.get("level"), bool(r.get("deictic")), bool(r.get("abbreviation")))
                 for r in read_jsonl("admin_levels.jsonl"))


@lru_cache(maxsize=1)
def party_congresses() -> tuple[tuple[str, str], ...]:
    """(congress, opening date) in order (``rules/party_congresses.jsonl``)."""
    return tuple(sorted(((r["congress"], r["opened"]) for r in read_jsonl("party_congresses.jsonl")), key=lambda c: c[1]))
