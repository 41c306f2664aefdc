"""The rule tables are data that is checked (rules/README.md).

Every table ``rules/<table>.jsonl`` has a JSON Schema (draft 2020-12) ``rules/schemas/<table>.schema.json``
that validates one row; a table without one fails here, so no table is added unchecked. Every row carries
worked examples (``places.jsonl``, generated, keeps them under ``x-examples`` in its schema) and each example
is run through the code that reads the table: a rule change that breaks its own example fails, and the
failing case is named ``<table>:<line>:<example>``.

The tables are read from where the miner reads them (``miner.rulebook.RULES_DIR``: the package's
``miner._rules``, i.e. the checkout's ``rules/`` in a development install, or ``MINER_RULES_DIR``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import pytest
import regex
from jsonschema import Draft202012Validator

from miner import rulebook

RULES = rulebook.RULES_DIR
SCHEMAS = RULES / "schemas"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
MIN_EXAMPLES = 3  # per table


def table_names(rules_dir: Path) -> list[str]:
    return sorted(p.name[: -len(rulebook.TABLE_SUFFIX)] for p in rules_dir.glob("*" + rulebook.TABLE_SUFFIX))


def schema_path(rules_dir: Path, table: str) -> Path:
    return rules_dir / "schemas" / f"{table}.schema.json"


def missing_schemas(rules_dir: Path) -> list[str]:
    """The tables of ``rules_dir`` that have no schema."""
    return [t for t in table_names(rules_dir) if not schema_path(rules_dir, t).is_file()]


TABLES = table_names(RULES)


@lru_cache(maxsize=None)
def rows(table: str) -> tuple[tuple[int, dict], ...]:
    """(line number, row) of a table, read as miner.rulebook.read_jsonl reads it (blank and // lines skipped)."""
    out = []
    with (RULES / f"{table}.jsonl").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip() and not line.lstrip().startswith("//"):
                out.append((number, json.loads(line)))
    return tuple(out)


@lru_cache(maxsize=None)
def schema(table: str) -> dict:
    path = schema_path(RULES, table)
    if not path.is_file():
        pytest.fail(f"rules/{table}.jsonl has no schema ({path.name})")
    return json.loads(path.read_text(encoding="utf-8"))


def _pattern(text: str) -> regex.Pattern:
    return regex.compile(text, regex.IGNORECASE)


# --- tables and schemas ------------------------------------------------------------------------

def test_the_known_tables_are_there():
    assert {"categories", "document_frame", "document_types", "issuers", "page_boilerplate", "page_furniture",
            "phrase_words", "places", "relation_cues", "title_suffixes"} <= set(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_every_table_has_a_schema(table):
    assert schema_path(RULES, table).is_file(), (
        f"rules/{table}.jsonl has no schema: add rules/schemas/{table}.schema.json (see rules/README.md)")


def test_a_table_without_a_schema_is_caught(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "checked.jsonl").write_text('{"a": 1}\n', encoding="utf-8")
    (tmp_path / "schemas" / "checked.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "unchecked.jsonl").write_text('{"a": 1}\n', encoding="utf-8")
    assert missing_schemas(tmp_path) == ["unchecked"]
    assert missing_schemas(RULES) == []


def test_every_schema_has_its_table():
    orphans = sorted(p.name for p in SCHEMAS.glob("*.schema.json")
                     if p.name[: -len(".schema.json")] not in TABLES)
    assert not orphans, f"schemas without a table: {orphans}"


CONDITIONS = {"if", "then", "else", "not", "x-examples"}  # constraints on properties defined elsewhere


def _properties(node) -> Iterator[tuple[str, dict]]:
    """Every (name, subschema) under a "properties" keyword, at any depth, outside conditions."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield name, sub
        for key, value in node.items():
            if key not in CONDITIONS:
                yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("table", TABLES)
def test_schema_is_a_described_draft_2020_12_schema(table):
    s = schema(table)
    assert s.get("$schema") == DRAFT_2020_12
    Draft202012Validator.check_schema(s)
    assert isinstance(s.get("description"), str) and len(s["description"]) > 40, "say what the table is and who reads it"
    undescribed = sorted({name for name, sub in _properties(s)
                          if isinstance(sub, dict) and not sub.get("description") and "$ref" not in sub})
    assert not undescribed, f"properties without a description: {undescribed}"


@pytest.mark.parametrize("table", TABLES)
def test_every_row_validates(table):
    validator = Draft202012Validator(schema(table))
    errors = []
    for number, row in rows(table):
        for error in validator.iter_errors(row):
            errors.append(f"rules/{table}.jsonl:{number}: {'/'.join(map(str, error.absolute_path)) or '(row)'}: "
                          f"{error.message[:300]}")
    assert not errors, "\n".join(errors[:20]) + (f"\n… {len(errors) - 20} more" if len(errors) > 20 else "")


@pytest.mark.parametrize("table", TABLES)
def test_patterns_compile(table):
    """A "pattern" is compiled by the `regex` module (the schemas cannot check that)."""
    for number, row in rows(table):
        if isinstance(row.get("pattern"), str):
            try:
                _pattern(row["pattern"])
            except regex.error as exc:
                pytest.fail(f"rules/{table}.jsonl:{number}: pattern does not compile: {exc}")


# what a row schema cannot say: keys that must be unique in a table (the loaders keep one row per key)
UNIQUE = {"issuers": lambda r: r["code"].upper(), "document_types": lambda r: r["name"],
          "categories": lambda r: r["category"], "document_frame": lambda r: r["role"],
          "admin_levels": lambda r: r["word"], "party_congresses": lambda r: r["congress"]}


@pytest.mark.parametrize("table", sorted(set(UNIQUE) & set(TABLES)))
def test_keys_are_unique(table):
    seen: dict = {}
    for number, row in rows(table):
        key = UNIQUE[table](row)
        assert key not in seen, f"rules/{table}.jsonl:{number}: {key!r} again (line {seen.get(key)})"
        seen[key] = number


def test_document_frame_has_every_role():
    roles = {r["role"] for _n, r in rows("document_frame")}
    assert roles == set(schema("document_frame")["properties"]["role"]["enum"])


def test_places_header_comes_first_and_counts_the_rows():
    (first, header), *places = rows("places")
    assert first == 1 and header.get("header") is True
    counts: dict[str, int] = {}
    for _n, row in places:
        assert not row.get("header"), "one header row, the first"
        counts[row["level"]] = counts.get(row["level"], 0) + 1
    assert counts == header["counts"]


# --- examples: each table's through the code that reads it ---------------------------------------

def _reference(text: str, code: str):
    import miner

    refs = miner.extract(text).references
    found = [r for r in refs if r.code == code]
    assert found, f"no reference {code!r} in {text!r}; found {[r.code for r in refs]}"
    return found[0]


def check_document_types(row: dict, ex: dict) -> None:
    assert ex["kind"] == row["name"], "an example's kind is its row's name"
    if "code" in ex:
        assert _reference(ex["text"], ex["code"]).kind == row["name"]
    else:  # a type whose documents carry no code (Hiến pháp): the document's own kind
        import miner

        assert miner.extract(ex["text"]).metadata.kind == row["name"]


def check_issuers(row: dict, ex: dict) -> None:
    parts = regex.split(r"[-/]", ex["code"])
    code = row["code"]
    assert any(p == code or (row.get("prefix") and p.startswith(code) and p[len(code):].isdigit()) for p in parts), \
        f"{ex['code']!r} is not numbered with issuer code {code!r}"
    assert _reference(ex["text"], ex["code"]).issuer == ex["issuer"]


def check_categories(row: dict, ex: str) -> None:
    from miner.finders.categories import categorize

    assert categorize(ex) == row["category"]


def check_page_boilerplate(row: dict, ex: str) -> None:
    from miner.finders.title import is_boilerplate

    assert is_boilerplate(ex)
    assert _pattern(row["pattern"]).search(ex), "the row's own pattern must find its example"


def check_title_suffixes(row: dict, ex: dict) -> None:
    from miner.finders.title import _clean_title

    assert _pattern(row["pattern"]).search(ex["headline"]), "the row's own pattern must find the suffix"
    assert _clean_title(ex["headline"]) == ex["cleaned"]


def check_page_furniture(row: dict, ex: dict) -> None:
    from miner.document.lines import logical_view

    view, _map, physical, _view_lines = logical_view(ex["text"])
    assert sorted(ln.text for ln in physical if ln.furniture) == sorted(ex["furniture"])
    for line in ex["furniture"]:
        assert line not in view, f"furniture {line!r} left in the view"
    for ln in physical:
        if not ln.furniture:
            assert ln.text in view, f"content line {ln.text!r} lost from the view"
    pattern = _pattern(row["pattern"])
    apply = {"page_number": pattern.fullmatch, "running_header": pattern.search}.get(row["role"], pattern.match)
    assert any(apply(line) for line in ex["furniture"]), "no furniture line of the row's form"


def check_phrase_words(row: dict, ex: dict) -> None:
    from miner.document.lines import logical_view

    first = ex["text"].split("\n")[0].split()[-1]
    assert first in row["words"] or first.lower() in row["words"], f"{first!r} is not a word of the row"
    assert ex["joined"] in logical_view(ex["text"])[0]


def check_document_frame(row: dict, ex: str) -> None:
    from miner.document import frame

    w = frame.words()
    role = row["role"]
    pattern = getattr(w, "preamble" if role == "preamble_start" else role)
    if role in ("motto", "certification", "adopted", "effective"):
        assert pattern.search(ex)
    elif role == "office":  # as frame._is_office: after "KT." / "TM." … is taken off
        assert pattern.match(w.signing_for.sub("", ex, count=1))
    else:
        assert pattern.match(ex)


def check_relation_cues(row: dict, ex: dict) -> None:
    from miner.finders.relations import relation_of

    assert ex["relation"] == row["relation"], "an example's relation is its row's relation"
    assert _pattern(row["pattern"]).search(ex["text"]), "the row's own cue must be in the text"
    start = ex["text"].find(ex["code"])
    assert start >= 0, f"{ex['code']!r} not in the text"
    assert relation_of(ex["text"], start, start + len(ex["code"])) == row["relation"]


def check_admin_levels(row: dict, ex: dict) -> None:
    from miner.finders.places import _mentions

    issuer = row["role"] in ("issuer_prefix", "issuer_before")
    found = [(m.prefix_level, m.issuer) for m in _mentions(ex["text"], in_title=False)]
    if "level" in ex:
        assert (ex["level"], issuer) in found, f"no mention ({ex['level']}, issuer={issuer}) in {found}"
    else:
        assert any(i == issuer for _level, i in found), f"no mention with issuer={issuer} in {found}"


def check_issuer_words(row: dict, ex: str) -> None:
    from miner.resolution import citations

    role = row["role"]
    if role in ("local_head", "central_name"):
        assert regex.match(row["pattern"], ex), "the row's own pattern must match at the start"
        m = citations._issuer_pattern().match(ex)
        assert m and m.group().strip() == ex, f"the issuer pattern reads {m and m.group()!r}"
    elif role == "org_start":
        assert citations._org_start().match(ex)
    elif role == "abbreviation":
        standard = citations._standard_capitals(ex)
        assert row["long"] in standard and not regex.search(row["pattern"], standard), standard
    elif role == "standard_capitals":
        standard = citations._standard_capitals(ex)
        assert standard != ex and any(word in standard for word in row["words"]), standard
    else:
        pytest.fail(f"no check for issuer_words role {role!r}")


def check_party_congresses(row: dict, ex: dict) -> None:
    from miner.resolution.directives import term_of

    assert term_of(ex["date"]) == ex["term"]


def check_place_abbreviations(row: dict, ex: dict) -> None:
    from miner.finders.places import find_places

    assert regex.search(row["pattern"], ex["text"]), "the example does not contain the abbreviation"
    found = {(p.name, p.level) for p in find_places(ex["text"])}
    assert found == {(p["name"], p["level"]) for p in ex["places"]}


def check_places(ex: dict) -> None:
    from miner.finders.places import find_places

    found = {(p.name, p.level) for p in find_places(ex["text"])}
    assert found == {(p["name"], p["level"]) for p in ex["places"]}


CHECKS: dict[str, Callable] = {
    "admin_levels": check_admin_levels,
    "categories": check_categories,
    "document_frame": check_document_frame,
    "document_types": check_document_types,
    "issuer_words": check_issuer_words,
    "issuers": check_issuers,
    "page_boilerplate": check_page_boilerplate,
    "page_furniture": check_page_furniture,
    "party_congresses": check_party_congresses,
    "phrase_words": check_phrase_words,
    "place_abbreviations": check_place_abbreviations,
    "places": check_places,  # examples under x-examples in the schema (the table is generated)
    "relation_cues": check_relation_cues,
    "title_suffixes": check_title_suffixes,
}


def _row_examples() -> list:
    cases = []
    for table in TABLES:
        if table == "places" or table not in CHECKS:
            continue
        for number, row in rows(table):
            for i, ex in enumerate(row.get("examples") or []):
                cases.append(pytest.param(table, row, ex, id=f"{table}:{number}:{i}"))
    return cases


def _schema_examples() -> list:
    if "places" not in TABLES or not schema_path(RULES, "places").is_file():
        return []
    return [pytest.param(ex, id=f"places:x-examples:{i}") for i, ex in enumerate(schema("places").get("x-examples", []))]


@pytest.mark.parametrize("table", TABLES)
def test_every_table_has_examples_and_a_check(table):
    assert table in CHECKS, f"rules/{table}.jsonl: add a check of its examples to tests/test_rules.py (CHECKS)"
    count = len(schema(table).get("x-examples", [])) + sum(len(r.get("examples") or []) for _n, r in rows(table))
    assert count >= MIN_EXAMPLES, f"rules/{table}.jsonl has {count} worked examples, wants {MIN_EXAMPLES}"


@pytest.mark.parametrize("table,row,example", _row_examples())
def test_row_example(table, row, example):
    CHECKS[table](row, example)


@pytest.mark.parametrize("example", _schema_examples())
def test_places_example(example):
    check_places(example)
