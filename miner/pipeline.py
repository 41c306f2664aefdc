"""The extraction pipeline: ingest → normalize → segment → find → resolve → record.

``extract(text, source=...)`` runs on a string; ``extract_path`` on a
file; ``extract_paths`` over many inputs, yielding a result per input so
that one bad file never stops a batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from miner import reading
from miner.finders import places
from miner import rulebook
from miner.finders.dates import publication_date
from miner.document.normalize import NormalizedText, normalize
from miner.records import Record, Span
from miner.finders.references import code_key, find_mentions
from miner.resolution.citations import Context, resolve
from miner.document.segment import find_title, is_full_text
from miner.finders.lists import find_lists
from miner.finders.targets import find_targets


def _raw(norm: NormalizedText, span: Optional[Span]) -> Optional[Span]:
    return norm.raw_span(span.start, span.end) if span else None


def _document_signals(text: str):
    """Title, places and the resolution context, from the text (of a huge file: its first chunk)."""
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
    return title, found_places, ctx


def extract_text(norm: NormalizedText, source: str, signals=None) -> Record:
    text = norm.text
    title, found_places, ctx = signals if signals is not None else _document_signals(text)
    mentions = find_mentions(text)
    references = resolve(text, mentions, ctx)
    targets = find_targets(text, [(m.start, m.end) for m in mentions], title=title, pipes=norm.pipes)
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


def extract_chunks(chunks: Iterable[tuple[int, str]], source: str) -> Record:
    """One record from a huge text given as (offset, piece) paragraph chunks
    (``reading.LargeSource.chunks()``): title, published, places and the
    resolution context come from the first chunk; each chunk is normalised and
    extracted alone, its spans shifted by its offset into the whole text;
    references are merged by code, targets and lists concatenated."""
    record: Optional[Record] = None
    by_code: dict = {}
    for offset, piece in chunks:
        norm = normalize(piece)
        if record is None:
            signals = _document_signals(norm.text)
            part = extract_text(norm, source, signals)
            # the first chunk's places; later chunks add references, targets and lists
            signals = (signals[0], [], signals[2])
            record = Record(source=source, title=part.title, published=part.published, places=part.places)
        else:
            part = extract_text(norm, source, signals)
        _shift(part, offset)
        for ref in part.references:
            key = code_key(ref.code)  # as resolve() merges the mentions of one text
            same = by_code.get(key)
            if same is None:
                ref.self_reference = ref.self_reference and offset == 0
                by_code[key] = ref
                record.references.append(ref)
            else:
                same.mentions.extend(ref.mentions)
                same.kind = same.kind or ref.kind
                same.date = same.date or ref.date
                same.issuer = same.issuer or ref.issuer
        record.targets.extend(part.targets)
        record.objectives.extend(part.objectives)
        record.solutions.extend(part.solutions)
    return record or extract_text(normalize(""), source)


def _shift(record: Record, offset: int) -> None:
    if not offset:
        return

    def move(span: Optional[Span]) -> Optional[Span]:
        return Span(span.start + offset, span.end + offset) if span else None

    for place in record.places:
        place.span = move(place.span)
    for ref in record.references:
        ref.mentions = [move(s) for s in ref.mentions]
        ref.span = ref.mentions[0] if ref.mentions else None
    for item in record.targets + record.objectives + record.solutions:
        item.span = move(item.span)


def extract(text: str, source: str = "<text>") -> Record:
    """Extract a record from a document's text (already decoded); a text over
    reading.CHUNK_CHARS characters is extracted in paragraph chunks."""
    if len(text) > reading.CHUNK_CHARS:
        record = extract_chunks(reading.iter_text_chunks(text), source)
        record.size = len(text.encode("utf-8"))
        return record
    record = extract_text(normalize(text), source)
    record.size = len(text.encode("utf-8"))
    return record


def extract_source(src: "reading.SourceText | reading.LargeSource") -> Record:
    if isinstance(src, reading.LargeSource):
        record = extract_chunks(src.chunks(), src.source)
    else:
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
    """Read a file (any supported encoding or format) and extract its record; raises reading.IngestError."""
    return extract_source(reading.read_path(path))


@dataclass
class Outcome:
    path: str
    record: Optional[Record] = None
    error: Optional[str] = None


def extract_paths(inputs: Iterable[str]) -> Iterator[Outcome]:
    """Extract every input (files, directories, '-' for stdin); errors are reported, never raised."""
    for path in reading.iter_input_paths(inputs):
        try:
            src = reading.read_stdin() if path == "-" else reading.read_path(path)
            yield Outcome(path, record=extract_source(src))
        except reading.IngestError as exc:
            yield Outcome(path, error=str(exc))
        except Exception as exc:  # a bug in a rule must not lose the rest of the batch
            yield Outcome(path, error=f"internal error: {type(exc).__name__}: {exc}")


def rules_version() -> str:
    return rulebook.version()
