"""The extraction pipeline: ingest → normalize → segment → find → resolve → record.

``extract(text, source=...)`` runs on a string; ``extract_path`` on a
file; ``extract_paths`` over many inputs, yielding a result per input so
that one bad file never stops a batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from . import ingest, places, rules
from .dates import publication_date
from .normalize import NormalizedText, normalize
from .records import Record, Span
from .references import find_mentions
from .resolve import Context, resolve
from .segment import find_title, is_full_text
from .lists import find_lists
from .targets import find_targets


def _raw(norm: NormalizedText, span: Optional[Span]) -> Optional[Span]:
    return norm.raw_span(span.start, span.end) if span else None


def extract_text(norm: NormalizedText, source: str) -> Record:
    text = norm.text
    title = find_title(text)
    published = publication_date(text)
    full = is_full_text(text)
    found_places = places.find_places(text, title)
    province = next((p.name for p in found_places if p.level == "province"), None)
    district = next((p.name for p in found_places if p.level == "district"), None)
    ctx = Context(
        published=published.iso if published else None,
        province=province,
        district=district,
        header_date=published.iso if (published and full) else None,
        full_text=full,
    )
    mentions = find_mentions(text)
    references = resolve(text, mentions, ctx)
    targets = find_targets(text, [(m.start, m.end) for m in mentions], title=title)
    objectives, solutions = find_lists(text)

    for place in found_places:
        place.span = _raw(norm, place.span)
    for ref in references:
        ref.mentions = [_raw(norm, s) for s in ref.mentions]
        ref.span = ref.mentions[0] if ref.mentions else None
    for target in targets:
        target.span = _raw(norm, target.span)
    for item in objectives + solutions:
        item.span = _raw(norm, item.span)
    return Record(
        source=source,
        title=title,
        published=ctx.published,
        places=found_places,
        references=references,
        targets=targets,
        objectives=objectives,
        solutions=solutions,
    )


def extract(text: str, source: str = "<text>") -> Record:
    """Extract a record from a document's text (already decoded)."""
    record = extract_text(normalize(text), source)
    record.size = len(text.encode("utf-8"))
    return record


def extract_source(src: ingest.SourceText) -> Record:
    record = extract_text(normalize(src.text), src.source)
    record.path = src.path
    record.sha256 = src.sha256
    record.encoding = src.encoding
    record.input_format = src.input_format
    record.size = src.size
    record.warnings = list(src.warnings)
    if not record.title and src.title_hint:
        record.title = src.title_hint
    if not record.published and src.date_hint:
        record.published = src.date_hint
    return record


def extract_path(path: str) -> Record:
    """Read a file (any supported encoding or format) and extract its record; raises ingest.IngestError."""
    return extract_source(ingest.read_path(path))


@dataclass
class Outcome:
    path: str
    record: Optional[Record] = None
    error: Optional[str] = None


def extract_paths(inputs: Iterable[str]) -> Iterator[Outcome]:
    """Extract every input (files, directories, '-' for stdin); errors are reported, never raised."""
    for path in ingest.iter_input_paths(inputs):
        try:
            src = ingest.read_stdin() if path == "-" else ingest.read_path(path)
            yield Outcome(path, record=extract_source(src))
        except ingest.IngestError as exc:
            yield Outcome(path, error=str(exc))
        except Exception as exc:  # a bug in a rule must not lose the rest of the batch
            yield Outcome(path, error=f"internal error: {type(exc).__name__}: {exc}")


def rules_version() -> str:
    return rules.version()
