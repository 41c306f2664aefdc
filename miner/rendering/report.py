"""An HTML report of one document: its text with every extraction highlighted.

``report_for_path(path)`` extracts a file on the fly; ``report_for_db(db, name)``
reads a stored document (``documents.text`` and its rows). Both return a
self-contained HTML page (inline CSS, no script, no network, UTF-8):

* the decoded text (the one the record's spans index) with highlights for
  references (every mention; tooltip kind/date/issuer), the publication date,
  places, targets (tooltip value/unit/comparator/year/indicator/category/
  confidence) and objective/solution items;
* a side panel with the record: title, published, provenance, places, a
  references table, a targets table and the two lists (rows link to the
  highlight in the text).

Every piece of text is HTML-escaped. Spans nest: a span that starts inside
another and ends past it is cut at the outer span's end (marked
``data-clipped``), so the markup is always well formed.
"""
from __future__ import annotations

import html
import os
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Optional

from miner.records import ListItem, Place, Record, Reference, Span, Target

# kind → (label shown on the highlight, colour, nesting priority: lower = outer)
KINDS = {
    "objective": ("MỤC TIÊU", "#e3f2fd", 0),
    "solution": ("GIẢI PHÁP", "#f3e5f5", 0),
    "date": ("NGÀY ĐĂNG", "#b3d4ff", 2),
    "place": ("ĐỊA DANH", "#b9f6ca", 2),
    "reference": ("VĂN BẢN", "#ffe082", 3),
    "target": ("CHỈ TIÊU", "#ffab91", 4),
}
KIND_NAMES = {
    "reference": "reference",
    "date": "published date",
    "place": "place",
    "target": "target",
    "objective": "objective",
    "solution": "solution",
}


class ReportError(Exception):
    """A report cannot be made (missing input, unknown stored document…)."""


@dataclass
class Highlight:
    start: int
    end: int
    kind: str
    tip: str = ""
    anchor: Optional[str] = None  # element id (the side table links to it)
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def priority(self) -> int:
        return KINDS[self.kind][2]


# --- collecting the highlights ------------------------------------------------

def _tip(pairs: Iterable[tuple[str, object]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in pairs if v not in (None, ""))


def _fmt_value(value: Optional[float]) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def target_value(t: Target) -> str:
    text = _fmt_value(t.value)
    if t.value_max is not None:
        text += "–" + _fmt_value(t.value_max)
    return text


def published_span(text: str, published: Optional[str]) -> Optional[Span]:
    """Where the publication date is written in ``text`` (raw offsets): for a stored document, whose
    record keeps the date but not its place, the extraction's own rule run again on its document model."""
    if not published:
        return None
    from miner.document import build
    from miner.finders.dates import date_within, publication_date

    doc = build(text)
    found = publication_date(doc.text)
    if not found or found.iso != published:
        return None
    start, end = date_within(doc.text, published, found.start, found.end) or (found.start, found.end)
    return doc.raw_span(start, end)


def collect_highlights(text: str, record: Record, published: Optional[Span] = None) -> list[Highlight]:
    out: list[Highlight] = []
    n = len(text)

    def add(span: Optional[Span], kind: str, tip: str, anchor: Optional[str] = None, **attrs: str) -> None:
        if span is None or not (0 <= span.start < span.end <= n):
            return
        out.append(Highlight(span.start, span.end, kind, tip, anchor, {k: v for k, v in attrs.items() if v}))

    for i, item in enumerate(record.objectives, 1):
        add(item.span, "objective", f"Mục tiêu {i}", f"obj-{i}")
    for i, item in enumerate(record.solutions, 1):
        add(item.span, "solution", f"Giải pháp {i}", f"sol-{i}")
    if published is not None:
        add(published, "date", _tip([("published", record.published)]), "published")
    for i, place in enumerate(record.places, 1):
        add(place.span, "place", _tip([("place", place.name), ("level", place.level), ("province", place.province),
                                       ("2025 province", place.new_province)]), f"place-{i}")
    for i, ref in enumerate(record.references, 1):
        tip = _tip([("kind", ref.kind), ("code", ref.code), ("date", ref.date), ("issuer", ref.issuer),
                    ("system", ref.system), ("self", "yes" if ref.self_reference else None)])
        spans = list(ref.mentions) or ([ref.span] if ref.span else [])
        for j, span in enumerate(spans):
            add(span, "reference", tip, f"ref-{i}" if j == 0 else None, code=ref.code)
    for i, t in enumerate(record.targets, 1):
        tip = _tip([("value", target_value(t)), ("unit", t.unit), ("comparator", t.comparator), ("year", t.year),
                    ("indicator", t.indicator), ("category", t.category),
                    ("confidence", None if t.confidence is None else f"{t.confidence:.3f}")])
        add(t.span, "target", tip, f"tgt-{i}")
    return out


# --- rendering the text ---------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _open_tag(h: Highlight, clipped: bool) -> str:
    label, _, _ = KINDS[h.kind]
    attrs = [f'class="hl hl-{h.kind}"', f'data-kind="{h.kind}"', f'data-label="{_esc(label)}"']
    if h.anchor:
        attrs.append(f'id="{_esc(h.anchor)}"')
    if h.tip:
        attrs.append(f'title="{_esc(h.tip)}"')
    for key, value in h.attrs.items():
        attrs.append(f'data-{key}="{_esc(value)}"')
    if clipped:
        attrs.append('data-clipped="1"')
    return f"<mark {' '.join(attrs)}>"


def render_text(text: str, highlights: list[Highlight]) -> str:
    """The text, escaped, with properly nested ``<mark>`` elements for the highlights."""
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, h.priority))
    parts: list[str] = []
    stack: list[int] = []  # end offsets of the open marks
    pos = 0
    for h in ordered:
        while stack and stack[-1] <= h.start:
            end = stack.pop()
            parts.append(_esc(text[pos:end]))
            parts.append("</mark>")
            pos = end
        end = h.end
        clipped = False
        if stack and end > stack[-1]:  # crosses the end of the enclosing mark: cut it there
            end, clipped = stack[-1], True
        if end <= h.start:
            continue
        parts.append(_esc(text[pos:h.start]))
        pos = h.start
        parts.append(_open_tag(h, clipped))
        stack.append(end)
    while stack:
        end = stack.pop()
        parts.append(_esc(text[pos:end]))
        parts.append("</mark>")
        pos = end
    parts.append(_esc(text[pos:]))
    return "".join(parts)


# --- the side panel -------------------------------------------------------------

def _cell(value: object) -> str:
    return f"<td>{_esc('' if value is None else str(value))}</td>"


def _link(anchor: Optional[str], text: str, present: bool) -> str:
    if anchor and present:
        return f'<a href="#{_esc(anchor)}">{_esc(text)}</a>'
    return _esc(text)


def _side_panel(record: Record, anchors: set[str]) -> str:
    out: list[str] = ['<aside class="side">']
    out.append("<h2>Record</h2><table class=\"kv\">")
    rows = [("source", record.source), ("title", record.title),
            ("published", record.published), ("path", record.path), ("encoding", record.encoding),
            ("format", record.input_format), ("size", f"{record.size:,} bytes" if record.size else None),
            ("sha256", (record.sha256 or "")[:16] + "…" if record.sha256 else None)]
    for key, value in rows:
        if value:
            if key == "published" and "published" in anchors:
                out.append(f'<tr><th>{key}</th><td><a href="#published">{_esc(str(value))}</a></td></tr>')
            else:
                out.append(f"<tr><th>{key}</th>{_cell(value)}</tr>")
    if record.warnings:
        out.append(f"<tr><th>warnings</th>{_cell('; '.join(record.warnings))}</tr>")
    out.append("</table>")

    out.append(f"<h2>Places <span class=\"n\">{len(record.places)}</span></h2>")
    if record.places:
        out.append('<table class="grid places"><thead><tr><th>name</th><th>level</th><th>province</th>'
                   "<th>2025</th></tr></thead><tbody>")
        for i, p in enumerate(record.places, 1):
            out.append(f"<tr><td>{_link(f'place-{i}', p.name, f'place-{i}' in anchors)}</td>{_cell(p.level)}"
                       f"{_cell(p.province)}{_cell(p.new_province)}</tr>")
        out.append("</tbody></table>")

    out.append(f"<h2>References <span class=\"n\">{len(record.references)}</span></h2>")
    if record.references:
        out.append('<table class="grid references"><thead><tr><th>#</th><th>kind</th><th>code</th><th>date</th>'
                   "<th>issuer</th><th>sys</th><th>×</th></tr></thead><tbody>")
        for i, r in enumerate(record.references, 1):
            code = _link(f"ref-{i}", r.code, f"ref-{i}" in anchors) + (" <i>(self)</i>" if r.self_reference else "")
            out.append(f"<tr><td>{i}</td>{_cell(r.kind)}<td class=\"code\">{code}</td>{_cell(r.date)}"
                       f"{_cell(r.issuer)}{_cell(r.system)}{_cell(len(r.mentions) or 1)}</tr>")
        out.append("</tbody></table>")

    out.append(f"<h2>Targets <span class=\"n\">{len(record.targets)}</span></h2>")
    if record.targets:
        out.append('<table class="grid targets"><thead><tr><th>#</th><th>value</th><th>unit</th><th>cmp</th>'
                   "<th>year</th><th>indicator · category</th><th>conf.</th></tr></thead><tbody>")
        for i, t in enumerate(record.targets, 1):
            conf = None if t.confidence is None else f"{t.confidence:.2f}"
            out.append(f"<tr><td>{i}</td><td class=\"num\">{_link(f'tgt-{i}', target_value(t), f'tgt-{i}' in anchors)}"
                       f"</td>{_cell(t.unit)}{_cell(t.comparator)}{_cell(t.year)}<td>{_esc(t.indicator or '')}"
                       + (f' <span class="cat">{_esc(t.category)}</span>' if t.category else "")
                       + f"</td>{_cell(conf)}</tr>")
        out.append("</tbody></table>")

    for title, items, prefix in (("Objectives", record.objectives, "obj"), ("Solutions", record.solutions, "sol")):
        out.append(f"<h2>{title} <span class=\"n\">{len(items)}</span></h2>")
        if items:
            out.append(f'<ol class="list {prefix}">')
            for i, item in enumerate(items, 1):
                out.append(f"<li>{_link(f'{prefix}-{i}', item.text, f'{prefix}-{i}' in anchors)}</li>")
            out.append("</ol>")
    out.append("</aside>")
    return "".join(out)


# --- the page -------------------------------------------------------------------

def _css() -> str:
    rules = []
    for kind, (_, colour, _) in KINDS.items():
        rules.append(f".hl-{kind}{{background:{colour}}} .chip-{kind}{{background:{colour}}}")
    return """
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;
 color:#1f2328;background:#f6f7f9}
header{padding:14px 22px 10px;background:#fff;border-bottom:1px solid #d8dde3}
header h1{font-size:19px;margin:0 0 4px;line-height:1.3}
header .meta{color:#57606a;font-size:13px}
.legend{margin-top:8px;display:flex;flex-wrap:wrap;gap:6px}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;border:1px solid rgba(0,0,0,.12)}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(360px,44%);gap:18px;padding:16px 22px;
 align-items:start}
.doc{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:18px 22px;white-space:pre-wrap;
 overflow-wrap:anywhere;min-width:0}
.side{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:6px 16px 16px;position:sticky;top:12px;
 max-height:calc(100vh - 24px);overflow:auto;font-size:13px;min-width:0}
.side h2{font-size:14px;margin:14px 0 6px;padding-bottom:3px;border-bottom:1px solid #eaeef2}
.side h2 .n{color:#57606a;font-weight:normal}
table{border-collapse:collapse;width:100%}
.kv th{text-align:left;color:#57606a;font-weight:normal;width:82px;vertical-align:top;padding:2px 6px 2px 0}
.kv td{padding:2px 0;overflow-wrap:anywhere}
.grid th{text-align:left;background:#f6f8fa;font-weight:600;padding:3px 5px;border-bottom:1px solid #d8dde3}
.grid td{padding:3px 5px;border-bottom:1px solid #eaeef2;vertical-align:top}
.grid td.code,.grid td.num{white-space:nowrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
.cat{display:inline-block;font-size:11px;color:#57606a;background:#f1f3f5;border-radius:8px;padding:0 6px}
.list{margin:0;padding-left:22px}.list li{margin:2px 0}
a{color:#0550ae;text-decoration:none}a:hover{text-decoration:underline}
mark.hl{color:inherit;border-radius:3px;padding:0 1px}
mark.hl[data-label]::after{content:attr(data-label);font-size:9px;font-weight:700;letter-spacing:.02em;
 vertical-align:super;margin-left:2px;color:#444;opacity:.75}
mark.hl-objective,mark.hl-solution{padding:1px 0;border-radius:0}
mark.hl-objective{box-shadow:inset 0 -2px 0 #64b5f6}
mark.hl-solution{box-shadow:inset 0 -2px 0 #ba68c8}
mark.hl-reference,mark.hl-target,mark.hl-date{white-space:nowrap}
mark.hl-reference{font-weight:600;border:1px solid #e0b000}
mark.hl-target{font-weight:700;border:1px solid #e57350}
mark.hl-place{border:1px solid #69c98b}
mark.hl-date{border:1px solid #6ea0e6}
mark.hl:target{outline:3px solid #ff5722;outline-offset:1px}
mark.hl[title]{cursor:help}
footer{color:#57606a;font-size:12px;padding:0 22px 18px}
@media (max-width:900px){main{grid-template-columns:1fr}.side{position:static;max-height:none}}
""" + "\n".join(rules)


def render_html(text: str, record: Record, published: Optional[Span] = None, note: str = "") -> str:
    """The report page for a document's decoded ``text`` and its ``record`` (spans index ``text``)."""
    highlights = collect_highlights(text, record, published)
    counts = {kind: 0 for kind in KINDS}
    for h in highlights:
        counts[h.kind] += 1
    anchors = {h.anchor for h in highlights if h.anchor}
    body = render_text(text, highlights)
    legend = "".join(
        f'<span class="chip chip-{kind}">{_esc(KINDS[kind][0])} · {_esc(KIND_NAMES[kind])} {counts[kind]}</span>'
        for kind in KINDS)
    title = record.title or record.source
    meta = " · ".join(_esc(x) for x in (record.source, f"published {record.published}" if record.published else
                                         "no publication date", f"{len(text):,} characters") if x)
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{_esc(title)} — miner report</title><style>{_css()}</style></head><body>"
        f"<header><h1>{_esc(title)}</h1><div class=\"meta\">{meta}</div>"
        f"<div class=\"legend\">{legend}</div></header>"
        f"<main><article class=\"doc\" id=\"text\">{body}</article>{_side_panel(record, anchors)}</main>"
        f"<footer>vn-policy-miner report{(' · ' + _esc(note)) if note else ''}. Hover a highlight for its "
        "details; the side tables link to the first mention.</footer></body></html>\n"
    )


# --- inputs ---------------------------------------------------------------------

def report_for_path(path: str | os.PathLike) -> str:
    """Extract a file on the fly and render its report; raises ReportError for a missing/unreadable file."""
    from miner import reading
    from miner.pipeline import extract_source

    try:
        src = reading.read_path(path)
    except reading.IngestError as exc:
        raise ReportError(f"{os.fspath(path)}: {exc}") from None
    record = extract_source(src)
    return render_html(src.text, record, record.published_span, note="extracted on the fly")


def load_stored(db: str | os.PathLike, name: str) -> tuple[str, Record]:
    """A stored document's text and its record rebuilt from the rows (by source, path, sha256 or id).

    When several documents share a source name, the last stored one is used. Place spans are not
    stored: each place is located at the first occurrence of its name in the text.
    """
    db = os.fspath(db)
    if not os.path.isfile(db):
        raise ReportError(f"no database at {db}")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        try:
            row = conn.execute(
                "SELECT * FROM documents WHERE source = ? OR path = ? OR sha256 = ? OR CAST(id AS TEXT) = ?"
                " ORDER BY (source = ?) DESC, id DESC LIMIT 1", (name, name, name, name, name)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{db}: not a miner database ({exc})") from None
        if row is None:
            raise ReportError(f"{db}: no stored document named {name!r}")
        text = row["text"]
        if text is None:
            raise ReportError(f"{db}: the text of {name!r} was not stored; report on the file instead")
        doc_id = row["id"]
        record = Record(source=row["source"], title=row["title"], published=row["published"], path=row["path"],
                        sha256=row["sha256"], encoding=row["encoding"], input_format=row["format"],
                        size=row["size"] or 0)

        def span(r) -> Optional[Span]:
            return Span(r["start"], r["end"]) if r["start"] is not None and r["end"] is not None else None

        for r in conn.execute(
                "SELECT p.name, p.level, p.province, p.new_province FROM document_places dp"
                " JOIN places p ON p.id = dp.place_id WHERE dp.document_id = ? ORDER BY dp.position", (doc_id,)):
            at = text.find(r["name"])
            record.places.append(Place(r["name"], r["level"], r["province"], r["new_province"],
                                       Span(at, at + len(r["name"])) if at >= 0 else None))
        for r in conn.execute(
                'SELECT c.*, d.code, d.system, d.kind AS d_kind, d.date AS d_date, d.issuer AS d_issuer'
                " FROM citations c JOIN directives d ON d.id = c.directive_id WHERE c.document_id = ?"
                " ORDER BY c.start IS NULL, c.start, c.id", (doc_id,)):
            s = span(r)
            record.references.append(Reference(
                kind=r["cited_kind"] or r["d_kind"], code=r["code"], date=r["cited_date"] or r["d_date"],
                issuer=r["cited_issuer"] or r["d_issuer"], system=r["system"], text=r["text"], span=s,
                mentions=[s] if s else [], self_reference=bool(r["is_self"])))
        for r in conn.execute('SELECT * FROM targets WHERE document_id = ? ORDER BY start IS NULL, start, id',
                              (doc_id,)):
            record.targets.append(Target(value=r["value"], unit=r["unit"] or "", comparator=r["comparator"] or "=",
                                         year=r["year"], indicator=r["indicator"] or "", value_max=r["value_max"],
                                         category=r["category"], sentence=r["sentence"], span=span(r),
                                         confidence=r["confidence"],
                                         year_from=r["year_from"] if "year_from" in r.keys() else None))
        for table, items in (("objectives", record.objectives), ("solutions", record.solutions)):
            for r in conn.execute(f"SELECT * FROM {table} WHERE document_id = ? ORDER BY position", (doc_id,)):
                items.append(ListItem(r["text"], span(r)))
    finally:
        conn.close()
    return text, record


def report_for_db(db: str | os.PathLike, name: str) -> str:
    """Render the report of a stored document (see :func:`load_stored`)."""
    text, record = load_stored(db, name)
    return render_html(text, record, published_span(text, record.published),
                       note=f"from database {os.path.basename(os.fspath(db))}")


def write_report(html_text: str, out: str | os.PathLike) -> str:
    out = os.fspath(out)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(html_text)
    return out
