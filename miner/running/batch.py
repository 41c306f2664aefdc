"""The batch engine behind ``miner extract``: many files, several processes, one database.

``run_batch(inputs, db=..., output=..., jobs=...)``

* expands the inputs (:func:`miner.reading.iter_input_paths`);
* with a database and no ``output``, hashes each file's raw bytes first and skips the
  documents already stored with that sha256 **and** the current :func:`extraction_version`
  (``rules/VERSION`` + the target model file's hash: changed rules or a retrained model
  re-extract); ``force=True`` re-extracts everything;
* extracts in ``jobs`` worker processes (``ProcessPoolExecutor``; files go out in small
  chunks so each worker imports underthesea & co. once; ``jobs=1`` runs in this process).
  Only paths are sent; workers read the files. Results come back in input order;
* the parent alone writes: one ``Store.add_records`` transaction per ``batch_size``
  records, so a kill loses at most the batch in hand and a re-run completes it;
  "database is locked" (another writer) is waited out and retried;
* records go to ``output`` as JSON Lines or a JSON array, streamed;
* a failing input is reported at once (``on_failure``) and listed in the summary;
  nothing stops the batch. A worker that dies (segfault, OOM kill) or hangs past
  ``timeout`` seconds per file is replaced; its files are retried one by one and the
  culprit is reported as a failure.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, TextIO

from miner import reading

VERSION_ENV = "MINER_EXTRACTION_VERSION"  # overrides extraction_version() (tests, pinned deployments)
DEFAULT_TIMEOUT = 300.0  # seconds per file before a worker is deemed hung
HASH_CHUNK = 1 << 20
LOCK_RETRY_SECONDS = 600.0


# --- version -----------------------------------------------------------------

@lru_cache(maxsize=None)
def _model_digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:12]
    except OSError:
        return "none"


# the packages whose code decides what a record holds (not the database, the runners or the command line)
_EXTRACTION_CODE = ("reading", "document", "finders", "resolution")
_EXTRACTION_MODULES = ("pipeline.py", "records.py", "folding.py")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """SHA-256[:12] of the extraction code's source, so that a changed finder re-extracts stored documents."""
    root = Path(__file__).resolve().parent.parent
    files = [root / name for name in _EXTRACTION_MODULES]
    for package in _EXTRACTION_CODE:
        files += sorted((root / package).rglob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def extraction_version() -> str:
    """What a stored record was extracted with: ``<rules digest>+model.<model digest>+code.<code digest>``.

    Any change of a rule table, of the classifier's weights or of the extraction code gives another
    version, so a re-run re-extracts the stored documents. ``$MINER_EXTRACTION_VERSION`` replaces it when set.
    """
    override = os.environ.get(VERSION_ENV)
    if override:
        return override
    from miner import rulebook
    from miner.finders import classifier

    return f"{rulebook.version()}+model.{_model_digest(str(classifier.MODEL_PATH))}+code.{_code_digest()}"


# --- results -----------------------------------------------------------------

@dataclass
class BatchSummary:
    documents: int = 0  # extracted
    skipped: int = 0  # already stored with the same sha256 and version
    references: int = 0
    targets: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    seconds: float = 0.0
    bytes: int = 0
    stored: Optional[object] = None  # StoreStats summed over the batches, when a db was given
    version: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"miner: {self.documents} documents, {self.skipped} skipped (already stored), "
                f"{self.references} references, {self.targets} targets, {self.failed} failed, "
                f"{self.seconds:.1f} s ({self.docs_per_second:.1f} docs/s, {self.mb_per_second:.2f} MB/s)")


# --- hashing and the skip set --------------------------------------------------

def file_sha256(path: str) -> Optional[str]:
    """SHA-256 of a file's raw bytes (the same digest ingest records), None if unreadable."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while True:
                block = handle.read(HASH_CHUNK)
                if not block:
                    break
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def stored_hashes(conn: sqlite3.Connection, hashes: Iterable[str], version: str) -> set[str]:
    """Which of ``hashes`` the database holds under ``version`` (one query per 500)."""
    hashes = [h for h in hashes if h]
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        part = hashes[i:i + 500]
        marks = ",".join("?" * len(part))
        rows = _retry_locked(lambda: conn.execute(
            f"SELECT sha256 FROM documents WHERE rules_version = ? AND sha256 IN ({marks})",
            (version, *part)).fetchall())
        found.update(r[0] for r in rows)
    return found


def _retry_locked(fn, limit: float = LOCK_RETRY_SECONDS):
    """Run ``fn`` again while SQLite says the database is locked/busy (another writer), up to ``limit`` s."""
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def open_store(db: str):
    from miner.database.writer import Store

    return _retry_locked(lambda: Store(db))


# --- the worker side -----------------------------------------------------------

# one result per input: (path, record or None, decoded text or None, error or None)
Result = tuple[str, Optional[object], Optional[str], Optional[str]]


def _warm_up() -> None:
    """Worker initializer: import the pipeline (and through it the heavy libraries) once."""
    from miner.finders import classifier
    from miner import pipeline  # noqa: F401

    try:
        import underthesea  # noqa: F401  (the classifier's tokenizer)
    except Exception:
        pass


def extract_one(path: str, want_text: bool = True) -> Result:
    from miner import pipeline

    try:
        src = reading.read_stdin() if path == "-" else reading.read_path(path)
        record = pipeline.extract_source(src)
        if not want_text:
            return path, record, None, None
        from miner.database.schema import STORED_TEXT_CHARS
        from miner.database.writer import capped_text

        text = src.head_text(STORED_TEXT_CHARS) if isinstance(src, reading.LargeSource) else capped_text(src.text)
        return path, record, text, None
    except reading.IngestError as exc:
        return path, None, None, str(exc)
    except Exception as exc:  # a bug in a rule must not lose the rest of the batch
        return path, None, None, f"internal error: {type(exc).__name__}: {exc}"


def extract_chunk(paths: list[str], want_text: bool = True) -> list[Result]:
    return [extract_one(p, want_text) for p in paths]


# --- the parent side -------------------------------------------------------------

class _Writer:
    """Streams records to a JSON Lines file or a JSON array."""

    def __init__(self, output: str, fmt: str):
        self.fmt = fmt
        self.handle: TextIO = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
        self.count = 0
        if fmt == "json":
            self.handle.write("[")

    def write(self, record) -> None:
        if self.fmt == "jsonl":
            self.handle.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        else:
            self.handle.write(("," if self.count else "") + "\n"
                              + json.dumps(record.to_json(), ensure_ascii=False, indent=1))
        self.count += 1
        if self.count % 50 == 0:
            self.handle.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.handle.write("\n]\n")
        self.handle.flush()
        if self.handle is not sys.stdout:
            self.handle.close()


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Pool:
    """A ProcessPoolExecutor that survives a dead or hung worker.

    Chunks come back in submission order. When a worker dies or a chunk overruns
    its time, the pool is torn down (its processes killed by pid), rebuilt, and
    every chunk in flight is retried file by file; a file that breaks the pool
    on its own is reported as failed.
    """

    def __init__(self, jobs: int, want_text: bool, timeout: float, worker: Callable = None):
        import multiprocessing

        self.worker = worker or extract_chunk

        self.jobs = jobs
        self.want_text = want_text
        self.timeout = timeout
        if sys.platform.startswith("linux"):
            # workers fork from a clean single-threaded server that has imported the pipeline once
            self.context = multiprocessing.get_context("forkserver")
            self.context.set_forkserver_preload(["miner.pipeline"])
        else:
            self.context = multiprocessing.get_context("spawn")
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context, initializer=_warm_up)

    def submit(self, paths: list[str]):
        return self.executor.submit(self.worker, paths, self.want_text)

    def _kill(self) -> None:
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for proc in processes:
            try:
                proc.kill()
            except Exception:
                pass
        self.executor.shutdown(wait=False, cancel_futures=True)

    def restart(self) -> None:
        self._kill()
        self.executor = self._new()

    def run(self, chunks: Iterator[list[str]]) -> Iterator[list[Result]]:
        window = max(2, self.jobs * 3)
        pending: deque = deque()  # (paths, future, submitted_at)
        source = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    paths = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((paths, self.submit(paths)))
            if not pending:
                return
            paths, future = pending[0]
            try:
                result = future.result(timeout=self.timeout * len(paths))
            except (BrokenProcessPool, FutureTimeout) as exc:
                reason = "worker process hung" if isinstance(exc, FutureTimeout) else "worker process died"
                stranded = list(pending)
                pending.clear()
                salvaged = {}
                for index, (group, fut) in enumerate(stranded):
                    if index and fut.done() and not fut.cancelled() and fut.exception() is None:
                        salvaged[index] = fut.result()
                self.restart()
                for index, (group, _) in enumerate(stranded):
                    yield salvaged[index] if index in salvaged else self._one_by_one(group, reason)
                continue
            pending.popleft()
            yield result

    def _one_by_one(self, paths: list[str], reason: str) -> list[Result]:
        out: list[Result] = []
        for path in paths:
            future = self.submit([path])
            try:
                out.extend(future.result(timeout=self.timeout))
            except (BrokenProcessPool, FutureTimeout) as exc:
                why = "timed out" if isinstance(exc, FutureTimeout) else reason
                out.append((path, None, None, f"internal error: {why} on this file ({self.timeout:.0f} s limit)"
                            if why == "timed out" else f"internal error: {why} on this file"))
                self.restart()
        return out

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _hash_paths(paths: Iterable[str], threads: int = 4) -> Iterator[tuple[str, Optional[str]]]:
    """(path, sha256) lazily, a few files read at once."""
    with ThreadPoolExecutor(threads) as pool:
        for chunk in _chunks(iter(paths), 256):
            yield from zip(chunk, pool.map(lambda p: None if p == "-" else file_sha256(p), chunk))


def run_batch(inputs: Iterable[str], db: Optional[str] = None, output: Optional[str] = None,
              fmt: Optional[str] = None, jobs: Optional[int] = None, progress: bool = False,
              batch_size: int = 50, force: bool = False, chunk_size: Optional[int] = None,
              timeout: float = DEFAULT_TIMEOUT,
              on_failure: Optional[Callable[[str, str], None]] = None) -> BatchSummary:
    """Extract every input; store in ``db`` and/or write ``output`` (``'-'`` = stdout) as ``fmt``.

    Returns a :class:`BatchSummary`; never raises on bad input (only on an unusable db or output).
    Skipping of already-stored documents happens with a db and no output (an output file
    must hold every record), unless ``force``.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    batch_size = max(1, batch_size)
    if output and not fmt:
        fmt = "json" if output.endswith(".json") else "jsonl"
    summary = BatchSummary(version=extraction_version())
    paths = list(reading.iter_input_paths(inputs))
    bar = tqdm(total=len(paths), unit="doc", disable=not progress, file=sys.stderr, dynamic_ncols=True, leave=False)

    def fail(path: str, message: str) -> None:
        summary.failures.append((path, message))
        if on_failure is not None:
            on_failure(path, message)
        else:
            bar.write(f"miner: {path}: {message}", file=sys.stderr)

    store = open_store(db) if db else None
    writer = _Writer(output, fmt or "jsonl") if output else None
    want_text = store is not None
    pending_records: list = []
    pending_texts: dict[str, str] = {}

    def flush() -> None:
        if not pending_records:
            return
        from miner.database.writer import StoreStats

        stats = _retry_locked(lambda: store.add_records(pending_records, summary.version, texts=pending_texts))
        if summary.stored is None:
            summary.stored = StoreStats()
        for key, value in stats.as_dict().items():
            setattr(summary.stored, key, getattr(summary.stored, key) + value)
        pending_records.clear()
        pending_texts.clear()

    def to_extract() -> Iterator[str]:
        """The paths that need extracting, skipping stored (and repeated) content when allowed."""
        if store is None or writer is not None or force:
            yield from paths
            return
        seen: set[str] = set()
        for group in _chunks(_hash_paths(paths), 500):
            stored = stored_hashes(store.conn, [h for _, h in group], summary.version)
            for path, sha in group:
                if sha and (sha in stored or sha in seen):
                    summary.skipped += 1
                    bar.update(1)
                    continue
                if sha:
                    seen.add(sha)
                yield path

    def consume(results: Iterable[Result]) -> None:
        for path, record, text, error in results:
            bar.update(1)
            if error:
                fail(path, error)
                continue
            summary.documents += 1
            summary.references += len(record.references)
            summary.targets += len(record.targets)
            summary.bytes += record.size
            if writer:
                writer.write(record)
            if store is not None:
                pending_records.append(record)
                if text is not None and record.sha256:
                    pending_texts[record.sha256] = text
                if len(pending_records) >= batch_size:
                    flush()

    if len(paths) <= 1:
        jobs = 1
    try:
        todo = to_extract()
        if jobs == 1:
            consume(extract_one(p, want_text) for p in todo)
        else:
            stdin_inputs: list[str] = []  # "-" is read here: workers have no stdin

            def files() -> Iterator[str]:
                for p in todo:
                    if p == reading.STDIN_NAME:
                        stdin_inputs.append(p)
                    else:
                        yield p

            pool = _Pool(jobs, want_text, timeout)
            try:
                for results in pool.run(_chunks(files(), chunk_size or max(1, min(8, batch_size // jobs)))):
                    consume(results)
            finally:
                pool.close()
            consume(extract_one(p, want_text) for p in stdin_inputs)
        if store is not None:
            flush()
    except KeyboardInterrupt:
        if store is not None:  # keep what is already extracted
            try:
                flush()
            except Exception:
                pass
        raise
    finally:
        bar.close()
        if writer:
            writer.close()
        if store is not None:
            store.close()
    summary.seconds = time.perf_counter() - started
    return summary
