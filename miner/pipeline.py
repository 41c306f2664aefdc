"""The extraction pipeline: read → the document model → find → resolve → record.

``extract(text, source=...)`` runs on a string; ``extract_path`` on a
file; ``extract_paths`` over many inputs, yielding a result per input so
that one bad file never stops a batch.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional

from miner import reading, rulebook
from miner.document import Document, build
from miner.finders import places
from miner.finders.dates import date_within, publication_date
from miner.finders.identity import Identity, find_identity
from miner.finders.lists import find_lists
from miner.finders.references import Mention, code_key, find_mentions
from miner.finders.relations import relations, strongest
from miner.finders.targets import find_targets
from miner.finders.title import find_title
from miner.folding import fold_tones
from miner.records import Record, Span
from miner.resolution.citations import Context, resolve
from miner.resolution.directives import code_parts, issuer_level
from miner.resolution.links import links_of


@dataclass
class Signals:
    """What a document says about itself — title, places, identity — and the resolution context."""
    title: Optional[str]
    places: list
    context: Context
    identity: Optional[Identity]
    published_at: Optional[tuple[int, int]] = None  # where the publication date is written (Document.text)


def _document_signals(doc: Document) -> Signals:
    """Title, places, identity and the resolution context (of a huge file: from its first chunk)."""
    text = doc.text
    title = find_title(doc)
    identity = find_identity(doc)
    issued = identity.metadata.issued if identity else None
    found = publication_date(text)
    # a page's own label ("Ngày đăng") dates the page; an official text is dated by its date of issue
    labelled = found is not None and found.source in ("label", "weekday")
    published = found.iso if labelled else (issued or (found.iso if found else None))
    if published and found is not None and found.iso == published:
        published_at = date_within(text, published, found.start, found.end) or (found.start, found.end)
    elif published and identity is not None and identity.issued_span:
        published_at = identity.issued_span
    else:
        published_at = None
    found_places = places.find_places(text, title, national=_issued_centrally(identity))
    province = next((p.name for p in found_places if p.level == "province"), None)
    district = next((p.name for p in found_places if p.level == "district"), None)
    own = (identity.number_span,) if identity and identity.number_span else ()
    ctx = Context(
        published=published,
        province=province,
        district=district,
        header_date=issued if doc.official else None,
        full_text=doc.official,
        own=own,
    )
    return Signals(title, found_places, ctx, identity, published_at)


def _issued_centrally(identity: Optional[Identity]) -> Optional[bool]:
    """Whether the document's own number names a central issuer ("…/TT-BTC", "…-NQ/TW"); None when unknown."""
    if identity is None or not identity.metadata.number:
        return None
    parts = code_parts(identity.metadata.number)
    level = issuer_level(parts.issuer_code, identity.metadata.issuer)
    return None if level is None else level == "central"


def _sets_rules(identity: Optional[Identity]) -> bool:
    """The document is a legal norm by its own type (rules/document_types.jsonl: sets_rules)."""
    if identity is None or not identity.metadata.kind:
        return False
    kind = rulebook.tables().type_by_alias.get(fold_tones(identity.metadata.kind.lower()))
    return bool(kind and kind.sets_rules)


def _own_mention(doc: Document, identity: Optional[Identity], mentions: list[Mention]) -> list[Mention]:
    """The mentions, with the document's own number added when the code patterns did not read it."""
    if identity is None or identity.number_span is None:
        return mentions
    start, end = identity.number_span
    if any(m.start < end and start < m.end for m in mentions):
        return mentions
    code = identity.metadata.number
    found = find_mentions(code)
    if found and found[0].start == 0 and found[0].end == len(code):
        m = found[0]
        own = Mention(m.code, m.system, m.number, m.type_code, m.issuer_code, m.code_year, start, end, doc.text[start:end])
    else:
        system = "party" if "-" in code.split("/")[0] else "state"
        own = Mention(code, system, code.split("/")[0].split("-")[0], None, None, None, start, end, doc.text[start:end])
    return sorted(mentions + [own], key=lambda m: m.start)


def extract_document(doc: Document, source: str, signals: Optional[Signals] = None) -> Record:
    """The record of one document model (spans mapped back into ``doc.raw``)."""
    text = doc.text
    signals = signals or _document_signals(doc)
    ctx = signals.context
    mentions = _own_mention(doc, signals.identity, find_mentions(text))
    references = resolve(text, mentions, ctx, relations(doc, [(m.start, m.end) for m in mentions], ctx.own))
    links = links_of(text, references)
    targets = find_targets(doc, [(m.start, m.end) for m in mentions], title=signals.title,
                           sets_rules=_sets_rules(signals.identity))
    objectives, solutions = find_lists(doc)

    found_places = [replace_span(p, doc.raw_span(p.span.start, p.span.end) if p.span else None)
                    for p in signals.places]
    for ref in references:
        ref.mentions = [doc.raw_span(s.start, s.end) for s in ref.mentions]
        ref.span = ref.mentions[0] if ref.mentions else None
    for item in targets + objectives + solutions:
        item.span = doc.raw_span(item.span.start, item.span.end) if item.span else None
    return Record(
        source=source,
        title=signals.title,
        published=ctx.published,
        published_span=doc.raw_span(*signals.published_at) if signals.published_at else None,
        places=found_places,
        references=references,
        targets=targets,
        objectives=objectives,
        solutions=solutions,
        metadata=signals.identity.metadata if signals.identity else None,
        links=links,
    )


def replace_span(place, span: Optional[Span]):
    return replace(place, span=span)


def extract_chunks(chunks: Iterable[tuple[int, str]], source: str) -> Record:
    """One record from a huge text given as (offset, piece) paragraph chunks
    (``reading.LargeSource.chunks()``): title, published, places and the
    resolution context come from the first chunk; each chunk is normalised and
    extracted alone, its spans shifted by its offset into the whole text;
    references are merged by code, targets and lists concatenated."""
    record: Optional[Record] = None
    by_code: dict = {}
    signals: Optional[Signals] = None
    for offset, piece in chunks:
        doc = build(piece)
        if record is None:
            signals = _document_signals(doc)
            part = extract_document(doc, source, signals)
            # the first chunk's places and identity; later chunks add references, targets and lists
            signals = Signals(signals.title, [], replace(signals.context, own=()), None)
            record = Record(source=source, title=part.title, published=part.published,
                            published_span=part.published_span, places=part.places, metadata=part.metadata)
        else:
            part = extract_document(doc, source, signals)
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
                same.relation = strongest((same.relation or "refers", ref.relation or "refers"))
        record.links.extend(link for link in part.links if link not in record.links)
        record.targets.extend(part.targets)
        record.objectives.extend(part.objectives)
        record.solutions.extend(part.solutions)
    return record or extract_document(build(""), source)


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
    record = extract_document(build(text), source)
    record.size = len(text.encode("utf-8"))
    return record


def extract_source(src: "reading.SourceText | reading.LargeSource") -> Record:
    if isinstance(src, reading.LargeSource):
        record = extract_chunks(src.chunks(), src.source)
    else:
        record = extract_document(build(src.text), src.source)
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
