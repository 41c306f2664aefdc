"""The extraction record and its parts, as plain dataclasses.

Field names and meanings follow the record contract (output-format.md):
``Record.to_json()`` gives exactly the contract's fields plus extras
(spans, mentions, provenance). Spans are character offsets into the
document's decoded text (``Document.text``), end exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]


@dataclass
class Place:
    name: str
    level: str  # "province" | "district" | "commune"
    province: Optional[str] = None  # the parent province of a district or commune
    new_province: Optional[str] = None  # the 2025 province it now belongs to, when it changed
    span: Optional[Span] = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "level": self.level}
        if self.province and self.level != "province":
            out["province"] = self.province
        if self.new_province:
            out["new_province"] = self.new_province
        if self.span:
            out["span"] = self.span.to_json()
        return out


@dataclass
class Reference:
    kind: Optional[str]
    code: str
    date: Optional[str] = None  # "YYYY-MM-DD" or "YYYY"
    issuer: Optional[str] = None
    system: Optional[str] = None  # "party" | "state"
    text: Optional[str] = None  # the first mention as written
    span: Optional[Span] = None  # of the first mention
    mentions: list[Span] = field(default_factory=list)
    self_reference: bool = False  # the document's own number (its header block or certification)
    # how the citing document stands to it: self, pursuant_to, amends, supersedes, repeals, guides,
    # implements, refers (docs/schema.md, "Relations")
    relation: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "date": self.date,
            "issuer": self.issuer,
            "system": self.system,
            "text": self.text,
            "span": self.span.to_json() if self.span else None,
            "mentions": len(self.mentions) or 1,
            "self": self.self_reference,
            "relation": self.relation,
        }


@dataclass
class Link:
    """The document states that one cited directive carries out another ("Kế hoạch số 134-KH/HU
    triển khai Chỉ thị số 18-CT/TU": child 134-KH/HU, parent 18-CT/TU)."""
    child: str  # codes, as in the references
    parent: str
    rule: str  # "self" (the document's own number is the child) or "text" (a sentence says so)
    evidence: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"child": self.child, "parent": self.parent, "rule": self.rule, "evidence": self.evidence}


@dataclass
class Metadata:
    """What an official text says about itself: its header, title and closing blocks."""
    kind: Optional[str] = None  # the type of the document itself ("Nghị định")
    number: Optional[str] = None  # its own number and symbol ("118/2026/NĐ-CP")
    issuer: Optional[str] = None
    place: Optional[str] = None  # of issue ("Hà Nội")
    issued: Optional[str] = None  # date of issue, YYYY-MM-DD
    signer: Optional[str] = None
    signer_title: Optional[str] = None  # the signing offices, " / "-joined ("KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG")
    effective: Optional[str] = None  # the date it takes effect, YYYY-MM-DD, where the text states it

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Target:
    value: float
    unit: str
    comparator: str = "="
    year: Optional[int] = None
    indicator: str = ""
    value_max: Optional[float] = None
    category: Optional[str] = None
    sentence: Optional[str] = None
    span: Optional[Span] = None
    confidence: Optional[float] = None
    # where the deadline year was read: clause, sentence, list (the sentence opening the list),
    # heading, table, title (the plan's period), plan-year (a one-year plan); None without a year
    year_from: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        value: Any = int(self.value) if float(self.value).is_integer() else self.value
        vmax: Any = self.value_max
        if vmax is not None and float(vmax).is_integer():
            vmax = int(vmax)
        return {
            "value": value,
            "value_max": vmax,
            "unit": self.unit,
            "comparator": self.comparator,
            "year": self.year,
            "indicator": self.indicator,
            "category": self.category,
            "span": self.span.to_json() if self.span else None,
            "sentence": self.sentence,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "year_from": self.year_from,
        }


@dataclass
class ListItem:
    text: str
    span: Optional[Span] = None


@dataclass
class Record:
    source: str
    title: Optional[str] = None
    published: Optional[str] = None
    published_span: Optional[Span] = None  # where that date is written
    places: list[Place] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    objectives: list[ListItem] = field(default_factory=list)
    solutions: list[ListItem] = field(default_factory=list)
    metadata: Optional[Metadata] = None  # of an official text
    links: list[Link] = field(default_factory=list)
    # provenance, not part of the scored contract
    path: Optional[str] = None
    sha256: Optional[str] = None
    encoding: Optional[str] = None
    input_format: Optional[str] = None
    size: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "places": [p.to_json() for p in self.places],
            "references": [r.to_json() for r in self.references],
            "targets": [t.to_json() for t in self.targets],
            "objectives": [i.text for i in self.objectives],
            "solutions": [i.text for i in self.solutions],
            "published_span": self.published_span.to_json() if self.published_span else None,
            "metadata": self.metadata.to_json() if self.metadata else None,
            "links": [link.to_json() for link in self.links],
            "meta": {
                "path": self.path,
                "sha256": self.sha256,
                "encoding": self.encoding,
                "format": self.input_format,
                "size": self.size,
                "warnings": list(self.warnings),
            },
        }
