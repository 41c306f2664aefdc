"""Extraction past one machine: a Dask bag over input paths → shard files → ``load_shards`` into SQLite.

``extract_to_shards(inputs, out_dir, scheduler="tcp://host:8786", partition_size=200, fmt="jsonl")``
expands the inputs here (directories are listed on the client, so they must be visible at the
same path on the workers: a shared filesystem), builds a ``dask.bag`` of the paths — paths,
not contents, are shipped — and has each worker read and extract its partition and write one
shard, ``part-00000.jsonl`` (or ``.parquet``), atomically (a temporary name, then rename). A
shard row holds the full record (every field, spans included), its sha256, the decoded text
the spans index, and the extraction version the worker used. Failed inputs are rows with an
``error`` and no record. Next to each shard a ``part-00000.jsonl.done`` file names the shard's
inputs (their hash); a re-run with the same inputs and partition size skips finished shards.

``load_shards(dir_or_files, db)`` stores the rows in the database (``batch_size`` per
transaction, the version recorded in the shard); a document already stored with the same
sha256 and version is skipped, so loading twice adds nothing.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Iterable, Iterator, Optional

from miner import reading

SHARD_GLOBS = ("part-*.jsonl", "part-*.parquet")


# --- record <-> row ------------------------------------------------------------

def record_to_dict(record) -> dict:
    return asdict(record)


def record_from_dict(data: dict):
    from miner.records import Link, ListItem, Metadata, Place, Record, Reference, Span, Target

    def span(value) -> Optional[Span]:
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return Span(int(value[0]), int(value[1]))
        return Span(int(value["start"]), int(value["end"]))

    data = dict(data)
    data["places"] = [Place(**{**p, "span": span(p.get("span"))}) for p in data.get("places", [])]
    data["references"] = [Reference(**{**r, "span": span(r.get("span")),
                                       "mentions": [span(m) for m in r.get("mentions", [])]})
                          for r in data.get("references", [])]
    data["targets"] = [Target(**{**t, "span": span(t.get("span"))}) for t in data.get("targets", [])]
    for key in ("objectives", "solutions"):
        data[key] = [ListItem(text=i["text"], span=span(i.get("span"))) for i in data.get(key, [])]
    data["metadata"] = Metadata(**data["metadata"]) if data.get("metadata") else None
    data["published_span"] = span(data.get("published_span"))
    data["links"] = [Link(**link) for link in data.get("links", [])]
    return Record(**data)


def _row(path: str, record, text: Optional[str], error: Optional[str], version: str) -> dict:
    return {
        "path": path,
        "sha256": record.sha256 if record is not None else None,
        "version": version,
        "error": error,
        "record": record_to_dict(record) if record is not None else None,
        "text": text,
    }


# --- the worker side ---------------------------------------------------------------

def _partition_key(paths: list[str]) -> str:
    return hashlib.sha256("\0".join(paths).encode("utf-8")).hexdigest()


def write_shard(paths: list[str], out_dir: str, index: int, fmt: str = "jsonl") -> dict:
    """Extract ``paths`` and write shard number ``index``; returns counts. Runs on a worker."""
    from miner.running.batch import extract_one, extraction_version

    os.makedirs(out_dir, exist_ok=True)
    name = os.path.join(out_dir, f"part-{index:05d}.{fmt}")
    done = f"{name}.done"
    key = _partition_key(paths)
    if os.path.isfile(name) and os.path.isfile(done):
        try:
            with open(done, encoding="utf-8") as handle:
                if json.load(handle).get("inputs") == key:
                    return {"shard": name, "documents": 0, "failed": 0, "reused": True}
        except (OSError, ValueError):
            pass
    version = extraction_version()
    rows = [_row(*extract_one(p, True), version) for p in paths]
    tmp = f"{name}.tmp-{os.getpid()}"
    if fmt == "jsonl":
        with open(tmp, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({
            "path": [r["path"] for r in rows],
            "sha256": [r["sha256"] for r in rows],
            "version": [r["version"] for r in rows],
            "error": [r["error"] for r in rows],
            "record": [json.dumps(r["record"], ensure_ascii=False) if r["record"] is not None else None
                       for r in rows],
            "text": [r["text"] for r in rows],
        })
        pq.write_table(table, tmp, compression="zstd")
    else:
        raise ValueError(f"unknown shard format {fmt!r} (jsonl or parquet)")
    os.replace(tmp, name)
    with open(done + ".tmp", "w", encoding="utf-8") as handle:
        json.dump({"inputs": key, "files": len(paths), "version": version}, handle)
    os.replace(done + ".tmp", done)
    return {"shard": name, "documents": sum(1 for r in rows if r["record"]),
            "failed": sum(1 for r in rows if r["error"]), "reused": False}


# --- the client side ------------------------------------------------------------------

@dataclass
class ShardSummary:
    shards: list[str] = field(default_factory=list)
    documents: int = 0
    failed: int = 0
    reused: int = 0  # shards kept from an earlier run


def extract_to_shards(inputs: Iterable[str], out_dir: str, scheduler=None, partition_size: int = 200,
                      fmt: str = "jsonl", retries: int = 2) -> ShardSummary:
    """Extract ``inputs`` on a Dask cluster into shard files in ``out_dir``.

    ``scheduler``: a ``dask.distributed.Client``, a scheduler address (``"tcp://host:8786"``),
    or None for Dask's current default (an active Client, else local processes).
    Each task is retried ``retries`` times if its worker dies.
    """
    import dask
    import dask.bag as db

    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown shard format {fmt!r} (jsonl or parquet)")
    paths = [p for p in reading.iter_input_paths(inputs) if p != reading.STDIN_NAME]
    paths = [os.path.abspath(p) for p in paths]
    os.makedirs(out_dir, exist_ok=True)
    out_dir = os.path.abspath(out_dir)
    summary = ShardSummary()
    if not paths:
        return summary
    bag = db.from_sequence(paths, partition_size=max(1, partition_size))
    tasks = [dask.delayed(write_shard)(part, out_dir, i, fmt, dask_key_name=f"miner-shard-{i}-{fmt}")
             for i, part in enumerate(bag.to_delayed())]

    client, own = None, False
    if scheduler is not None:
        from distributed import Client

        if isinstance(scheduler, Client):
            client = scheduler
        else:
            client, own = Client(scheduler), True
    try:
        if client is not None:
            futures = client.compute(tasks, retries=retries)
            results = client.gather(futures)
        else:
            (results,) = dask.compute(tasks)
    finally:
        if own:
            client.close()
    for result in results:
        summary.shards.append(result["shard"])
        summary.documents += result["documents"]
        summary.failed += result["failed"]
        summary.reused += int(result["reused"])
    return summary


# --- loading ------------------------------------------------------------------------

def shard_files(items: Iterable[str]) -> list[str]:
    """Shard files named by ``items`` (files, or directories holding ``part-*.jsonl|parquet``), sorted."""
    files: list[str] = []
    for item in items:
        if os.path.isdir(item):
            found = []
            for pattern in SHARD_GLOBS:
                found.extend(glob.glob(os.path.join(item, pattern)))
            files.extend(sorted(found))
        else:
            files.append(item)
    return files


def iter_rows(path: str) -> Iterator[dict]:
    if path.endswith(".parquet"):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for row in batch.to_pylist():
                row["record"] = json.loads(row["record"]) if row["record"] else None
                yield row
    else:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


@dataclass
class LoadSummary:
    shards: int = 0
    rows: int = 0
    added: int = 0
    replaced: int = 0
    skipped: int = 0  # already stored with the same sha256 and version
    failures: list[tuple[str, str]] = field(default_factory=list)  # inputs the workers could not extract


def load_shards(items, db: str, batch_size: int = 200) -> LoadSummary:
    """Import shard files (or directories of them) into ``db``; idempotent."""
    from miner.running.batch import _retry_locked, open_store, stored_hashes

    if isinstance(items, (str, os.PathLike)):
        items = [os.fspath(items)]
    files = shard_files([os.fspath(i) for i in items])
    summary = LoadSummary(shards=len(files))
    with open_store(db) as store:
        pending: list[tuple[str, object, Optional[str]]] = []  # (version, record, text)

        def flush() -> None:
            by_version: dict[str, list] = {}
            for version, record, text in pending:
                by_version.setdefault(version, []).append((record, text))
            for version, items_ in by_version.items():
                records = [r for r, _ in items_]
                texts = {r.sha256: t for r, t in items_ if t is not None and r.sha256}
                stats = _retry_locked(lambda: store.add_records(records, version, texts=texts))
                summary.added += stats.added
                summary.replaced += stats.replaced
                summary.skipped += stats.skipped
            pending.clear()

        for path in files:
            rows = list(iter_rows(path))
            summary.rows += len(rows)
            wanted = [r for r in rows if r.get("record")]
            for row in rows:
                if not row.get("record"):
                    summary.failures.append((row.get("path") or path, row.get("error") or "no record"))
            versions = {r["version"] for r in wanted}
            known = set()
            for version in versions:
                known |= {(h, version) for h in stored_hashes(store.conn, [r["sha256"] for r in wanted
                                                                            if r["version"] == version], version)}
            for row in wanted:
                if (row["sha256"], row["version"]) in known:
                    summary.skipped += 1
                    continue
                pending.append((row["version"], record_from_dict(row["record"]), row.get("text")))
                if len(pending) >= batch_size:
                    flush()
        flush()
    return summary
