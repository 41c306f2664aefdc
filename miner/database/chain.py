"""Implementation chains: which directives carry out which, and the documents under them.

The rule (also in docs/schema.md, "Implementation links") — a link CHILD → PARENT
("CHILD implements PARENT") is stored in ``directive_links`` when one document says so:

* ``self``: the document is a full text whose own number (its self-reference) is CHILD,
  and it cites PARENT, PARENT's issuer is at a higher level (central > province >
  district > commune) or at the same level with an earlier year. A plan's "Căn cứ"
  list is what it implements.
* ``text``: in one sentence, a mention of CHILD is followed within 60 characters by an
  implementing word (``thực hiện``, ``triển khai``, ``quán triệt``, ``cụ thể hóa``,
  ``thi hành``), and PARENT is mentioned after that word, before the next such word and
  within 250 characters: "ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị
  số 18-CT/TU", "Chương trình hành động số 45-CTr/TU thực hiện Nghị quyết số 36-NQ/TW".
  CHILD must not be of a higher level than PARENT (the sentence itself says the rest).
  Years are those the document cites (so the link does not depend on the order in
  which documents were stored).

:func:`build_chain` walks the links down from a directive (children, their children…,
never visiting a directive twice) and lists for each node the documents citing it,
grouped by province (the first place the document is about) and by publication year,
and the targets set in all those documents.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

import regex

LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "commune": 3}
_UNKNOWN_RANK = 4
VERB_GAP = 60  # characters between the child's mention and the implementing word
PARENT_REACH = 250  # characters after the word in which parents are looked for
_VERBS = regex.compile(r"\b(?:thuc hien|trien khai|quan triet|cu the hoa|thi hanh)\b")
_SENTENCE_END = regex.compile(r"[.!?](?=\s)|\n")


def _rank(level: Optional[str]) -> int:
    return LEVEL_RANK.get(level or "", _UNKNOWN_RANK)


def _year(row) -> Optional[int]:
    try:
        return row["year"] if row is not None else None
    except (KeyError, IndexError):
        return None


def _may_implement(child_row, parent_row, strict_level: bool) -> bool:
    rc, rp = _rank(child_row["level"] if child_row else None), _rank(parent_row["level"] if parent_row else None)
    yc, yp = _year(child_row), _year(parent_row)
    if strict_level and yc and yp and yc < yp:
        return False
    if strict_level:  # self rule: higher level, or same level and earlier
        return rp < rc or (rp == rc and rc != _UNKNOWN_RANK and bool(yc and yp and yp < yc))
    return rc >= rp


def find_links(text: str, spans: Mapping[int, list], self_ids: set[int],
               info: Mapping[int, Any]) -> list[tuple[int, int, str, str]]:
    """(child_id, parent_id, rule, evidence) for the links a document's text states.

    `spans` maps each cited directive id to the character spans of its mentions in `text`;
    `self_ids` are the document's own numbers; `info[id]` gives ``level`` and ``year``.
    """
    from miner.database.fulltext import fold_map
    from miner.database.writer import make_snippet

    links: dict[tuple[int, int], tuple[str, str]] = {}
    for child in self_ids:
        for parent, parent_spans in spans.items():
            if parent == child or not parent_spans:
                continue
            if _may_implement(info.get(child), info.get(parent), strict_level=True):
                s, e = min(parent_spans)
                links[(child, parent)] = ("self", make_snippet(text, s, e) or "")

    mentions = sorted((s, e, d) for d, ss in spans.items() for s, e in ss if s is not None and e is not None)
    if len(mentions) >= 2:
        folded, offsets = fold_map(text)
        verbs = [(offsets[m.start()], offsets[m.end()]) for m in _VERBS.finditer(folded)]
        ends = [m.start() for m in _SENTENCE_END.finditer(text)]

        def same_sentence(a: int, b: int) -> bool:
            return not any(a <= x < b for x in ends)

        for i, (vs, ve) in enumerate(verbs):
            before = [m for m in mentions if m[1] <= vs and vs - m[1] <= VERB_GAP and same_sentence(m[1], vs)]
            if not before:
                continue
            cs, ce, child = before[-1]
            limit = min(verbs[i + 1][0] if i + 1 < len(verbs) else len(text), ve + PARENT_REACH)
            for ps, pe, parent in mentions:
                if ps < ve or ps >= limit or parent == child or not same_sentence(ve, ps):
                    continue
                if (child, parent) in links or not _may_implement(info.get(child), info.get(parent), False):
                    continue
                evidence = " ".join(text[cs:pe].split())
                if len(evidence) > 240:
                    evidence = evidence[:120] + " … " + evidence[-110:]
                links[(child, parent)] = ("text", evidence)
    return [(c, p, rule, ev) for (c, p), (rule, ev) in links.items()]


# --- the chain of a directive ----------------------------------------------------

@dataclass
class Node:
    directive_id: int
    kind: Optional[str]
    code: str
    date: Optional[str]
    issuer: Optional[str]
    level: Optional[str]
    year: Optional[int]
    term: Optional[int]
    cited: int
    variants: list[dict] = field(default_factory=list)  # cited dates/issuers that disagree with the consensus
    rule: Optional[str] = None  # how this node was linked to its parent
    evidence: Optional[str] = None
    via: Optional[str] = None  # the document that states the link
    children: list["Node"] = field(default_factory=list)
    documents: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # province → year → docs

    def to_json(self) -> dict:
        return {"directive_id": self.directive_id, "kind": self.kind, "code": self.code, "date": self.date,
                "issuer": self.issuer, "level": self.level, "year": self.year, "term": self.term,
                "cited": self.cited, "variants": self.variants, "rule": self.rule, "evidence": self.evidence,
                "via": self.via, "documents": self.documents, "children": [c.to_json() for c in self.children]}


@dataclass
class Chain:
    root: Node
    targets: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"directive": self.root.to_json(), "targets": self.targets}


def _node(conn: sqlite3.Connection, directive_id: int) -> Node:
    d = conn.execute("SELECT * FROM directives WHERE id = ?", (directive_id,)).fetchone()
    variants = [dict(field=r["field"], value=r["value"], citations=r["citations"], sources=r["sources"])
                for r in conn.execute("SELECT field, value, citations, sources FROM directive_variants"
                                      " WHERE directive_id = ? AND agrees = 0 AND field != 'kind'"
                                      " ORDER BY field, citations DESC", (directive_id,))]
    return Node(directive_id=d["id"], kind=d["kind"], code=d["code"], date=d["date"], issuer=d["issuer"],
                level=d["level"], year=d["year"], term=d["term"], cited=d["cited"], variants=variants)


def _documents(conn: sqlite3.Connection, directive_id: int, seen_docs: set[int]) -> dict[str, dict[str, list[dict]]]:
    grouped: dict[str, dict[str, list[dict]]] = {}
    rows = conn.execute(
        "SELECT c.document_id, c.source, c.title, c.published, c.province, c.cited_date, c.is_self, c.snippet"
        " FROM citations_full c WHERE c.directive_id = ?"
        " ORDER BY c.province IS NULL, c.province, c.published IS NULL, c.published, c.source", (directive_id,))
    for r in rows:
        seen_docs.add(r["document_id"])
        year = (r["published"] or "")[:4] or "?"
        grouped.setdefault(r["province"] or "?", {}).setdefault(year, []).append(
            {"document_id": r["document_id"], "source": r["source"], "title": r["title"],
             "published": r["published"], "cited_date": r["cited_date"], "own_number": bool(r["is_self"]),
             "snippet": r["snippet"]})
    return grouped


def build_chain(conn: sqlite3.Connection, directive_id: int, max_depth: int = 6) -> Chain:
    seen: set[int] = {directive_id}
    docs: set[int] = set()
    root = _node(conn, directive_id)
    root.documents = _documents(conn, directive_id, docs)

    def expand(node: Node, depth: int) -> None:
        if depth >= max_depth:
            return
        rows = conn.execute(
            "SELECT l.child_id, l.rule, l.evidence, doc.source FROM directive_links l"
            " JOIN documents doc ON doc.id = l.document_id JOIN directives d ON d.id = l.child_id"
            " WHERE l.parent_id = ? ORDER BY d.level IS NULL, d.level, d.date, d.code, l.rule = 'text'",
            (node.directive_id,)).fetchall()
        for r in rows:
            if r["child_id"] in seen:
                continue
            seen.add(r["child_id"])
            child = _node(conn, r["child_id"])
            child.rule, child.evidence, child.via = r["rule"], r["evidence"], r["source"]
            child.documents = _documents(conn, r["child_id"], docs)
            node.children.append(child)
            expand(child, depth + 1)

    expand(root, 0)
    targets = []
    if docs:
        marks = ",".join("?" * len(docs))
        for t in conn.execute(
                f"SELECT * FROM targets_full WHERE document_id IN ({marks})"
                f" ORDER BY province IS NULL, province, year IS NULL, year, document_id, start", tuple(docs)):
            targets.append({k: t[k] for k in ("target_id", "source", "province", "year", "category", "value",
                                              "value_max", "unit", "comparator", "indicator")})
    return Chain(root=root, targets=targets)


def show(db: Union[str, os.PathLike, Any], code: str) -> list[Chain]:
    """The chains of the directives a code (in any written form) names, best match first."""
    from miner.database.search import search
    from miner.database.writer import Store

    own = not isinstance(db, Store)
    store = Store(os.fspath(db)) if own else db
    try:
        hits = search(store, code)
        exact = [h for h in hits if h.exact]
        chosen = exact or hits
        return [build_chain(store.conn, h.directive_id) for h in chosen]
    finally:
        if own:
            store.close()


# --- text rendering ------------------------------------------------------------------

def _label(node: Node) -> str:
    bits = [f"{node.kind or '?'} {node.code}"]
    bits.append(f"({node.issuer or '?'}, {node.date or '?'})")
    return " ".join(bits)


def render(chain: Chain, max_targets: int = 30) -> str:
    root = chain.root
    lines = [f"{root.kind or '?'} {root.code}",
             f"  date    {root.date or '?'}   (consensus of {root.cited} citation{'s' if root.cited != 1 else ''})",
             f"  issuer  {root.issuer or '?'}",
             f"  level   {root.level or '?'}" + (f"   Party term from {root.term}" if root.term else "")]
    for v in root.variants:
        lines.append(f"  disagreeing {v['field']}: {v['value']} ({v['citations']}× in {v['sources']})")
    lines.append("")
    lines.append("Implementation chain:")
    _render_node(root, lines, "", True, is_root=True)
    if chain.targets:
        lines.append("")
        lines.append(f"Targets in these documents ({len(chain.targets)}):")
        for t in chain.targets[:max_targets]:
            value = _fmt(t["value"]) + (f"–{_fmt(t['value_max'])}" if t["value_max"] is not None else "")
            lines.append(f"  {t['province'] or '?'} {t['year'] or '?'}: {t['comparator'] or ''} {value} {t['unit'] or ''}"
                         f"  {t['indicator'] or ''}  [{t['source']}]".replace("  ", " ", 1))
        if len(chain.targets) > max_targets:
            lines.append(f"  … {len(chain.targets) - max_targets} more (--json for all)")
    return "\n".join(lines)


def _fmt(v) -> str:
    return str(int(v)) if v is not None and float(v).is_integer() else str(v)


def _render_node(node: Node, lines: list[str], indent: str, last: bool, is_root: bool = False) -> None:
    if is_root:
        lines.append(_label(node))
        child_indent = ""
    else:
        lines.append(f"{indent}{'└─' if last else '├─'} {_label(node)}  [{node.rule}: {node.via}]")
        child_indent = indent + ("   " if last else "│  ")
    items = [("docs", p, y, ds) for p, years in node.documents.items() for y, ds in years.items()]
    total = len(items) + len(node.children)
    k = 0
    for _, province, year, docs in items:
        k += 1
        branch = "└─" if k == total else "├─"
        lines.append(f"{child_indent}{branch} {province}, {year}: "
                     + "; ".join(f"{d['source']}" + (f" (cited {d['cited_date']})" if d["cited_date"] else "")
                                 + (" [own number]" if d["own_number"] else "") for d in docs))
    for i, child in enumerate(node.children):
        k += 1
        _render_node(child, lines, child_indent, k == total)
