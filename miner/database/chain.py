"""Implementation chains: which directives carry out which, and the documents under them.

:func:`build_chain` walks the links down from a directive (children, their children…,
never visiting a directive twice) and lists for each node the documents that implement it
(the citation's relation), are it (its own number) or state a link to or from it, grouped by province (the first place the document is about) and by publication year,
and the targets set in all those documents.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Optional

from miner.database.reader import Database, connection
from miner.database.search import search

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
    # the documents that implement it or are it (relation unknown: rows of an older miner), and those that
    # state a link to or from it
    rows = conn.execute(
        "SELECT c.document_id, c.source, c.title, c.published, c.province, c.cited_date, c.is_self, c.snippet,"
        " c.relation"
        " FROM citations_full c WHERE c.directive_id = ? AND (c.relation IN ('implements', 'self')"
        " OR c.relation IS NULL OR c.document_id IN (SELECT document_id FROM directive_links"
        " WHERE parent_id = ? OR child_id = ?))"
        " ORDER BY c.province IS NULL, c.province, c.published IS NULL, c.published, c.source",
        (directive_id, directive_id, directive_id))
    for r in rows:
        seen_docs.add(r["document_id"])
        year = (r["published"] or "")[:4] or "?"
        grouped.setdefault(r["province"] or "?", {}).setdefault(year, []).append(
            {"document_id": r["document_id"], "source": r["source"], "title": r["title"],
             "published": r["published"], "cited_date": r["cited_date"], "own_number": bool(r["is_self"]),
             "relation": r["relation"], "snippet": r["snippet"]})
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


def show(db: Database, code: str) -> list[Chain]:
    """The chains of the directives a code (in any written form) names, best match first."""
    conn, owned = connection(db)
    try:
        hits = search(conn, code)
        exact = [h for h in hits if h.exact]
        chosen = exact or hits
        return [build_chain(conn, h.directive_id) for h in chosen]
    finally:
        if owned:
            conn.close()
