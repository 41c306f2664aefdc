"""miner — the command line over the vn-policy-miner library (thin: parsing, printing, exit codes)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

DEFAULT_DB = "miner.db"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="vn-policy-miner", prog_name="miner")
def main() -> None:
    """Mine Vietnamese policy texts: references, dates, places, targets.

    \b
    Typical use:
      miner extract corpus/sample            # into ./miner.db
      miner extract DIR --format jsonl --output out.jsonl
      miner search "chỉ thị 18"              # find a directive however it is written
    """


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", disable=not enabled, file=sys.stderr, dynamic_ncols=True, leave=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default=None,
              help="Write records as JSON Lines or one JSON array (needs --output, or goes to stdout).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="File for the records; '-' for stdout. Without --format or --output, records go only to the database.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help=f"SQLite database to add the records to (default: {DEFAULT_DB} when no --output is given).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
def extract(inputs: tuple[str, ...], fmt: str | None, output: str | None, db: str | None, progress: bool | None) -> None:
    """Extract records from INPUTS: files, directories (recursive) or '-' for stdin.

    \b
    Reads .txt/.md (UTF-8, UTF-16, cp1258, legacy TCVN3/VNI/VISCII), .html/.htm,
    and scraped text dumps carrying HTML. A file that cannot be read is
    reported on stderr and skipped; the rest of the batch goes on, and the
    exit status is 1 if any input failed.

    \b
    Examples:
      miner extract corpus/sample                       # → ./miner.db
      miner extract ../shared/corpus/dev --format jsonl --output out.jsonl
      cat page.txt | miner extract - --format json -o -
    """
    from miner import ingest, pipeline

    if output and not fmt:
        fmt = "jsonl" if not output.endswith(".json") else "json"
    if fmt and not output:
        output = "-"
    if db is None and output is None:
        db = DEFAULT_DB

    paths = list(ingest.iter_input_paths(inputs))
    show = sys.stderr.isatty() if progress is None else progress
    started = time.perf_counter()
    records, failures, total_bytes = [], [], 0
    bar = _progress(len(paths), show)
    for outcome in pipeline.extract_paths(paths):
        bar.update(1)
        if outcome.error:
            failures.append((outcome.path, outcome.error))
            bar.write(f"miner: {outcome.path}: {outcome.error}", file=sys.stderr)
            continue
        records.append(outcome.record)
        total_bytes += outcome.record.size
    bar.close()

    if output:
        _write_records(records, fmt or "jsonl", output)
    stored = None
    if db:
        from miner.store import Store

        with Store(db) as store:
            stored = store.add_records(records, pipeline.rules_version())
    seconds = time.perf_counter() - started
    refs = sum(len(r.references) for r in records)
    targets = sum(len(r.targets) for r in records)
    summary = (f"miner: {len(records)} documents, {refs} references, {targets} targets, "
               f"{len(failures)} failed, {seconds:.1f} s ({len(records) / seconds if seconds else 0:.1f} docs/s, "
               f"{total_bytes / 1e6 / seconds if seconds else 0:.2f} MB/s)")
    if stored is not None:
        summary += f"; database {db}: {stored}"
    click.echo(summary, err=True)
    if failures:
        click.echo(f"miner: {len(failures)} input(s) failed:", err=True)
        for path, error in failures:
            click.echo(f"  {path}: {error}", err=True)
        sys.exit(1)


def _write_records(records, fmt: str, output: str) -> None:
    handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    try:
        if fmt == "jsonl":
            for record in records:
                handle.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        else:
            json.dump([r.to_json() for r in records], handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    finally:
        if handle is not sys.stdout:
            handle.close()


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True, help="SQLite database to search.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON (for scripts).")
@click.option("--limit", default=50, show_default=True, help="At most this many directives.")
def search(query: tuple[str, ...], db: str, as_json: bool, limit: int) -> None:
    """Find directives by number, however they are written.

    \b
    All of these find 18-CT/TU:
      miner search 18-CT/TU      miner search "18/CT-TU"    miner search 18 CT TU
      miner search "chỉ thị 18"  miner search "ct 18"       miner search "chi thi 18"
    and "28/2018" or "QĐ 28 TTg" find 28/2018/QĐ-TTg.

    Lists kind, code, date and issuer of each directive, and the documents
    citing it with a snippet. Exit status 1 when nothing matches.
    """
    from miner.search import search as run_search

    text = " ".join(query)
    if not Path(db).is_file():
        raise click.ClickException(f"no database at {db}: run `miner extract ...` first, or pass --db")
    hits = run_search(db, text, limit=limit)
    if as_json:
        from dataclasses import asdict

        payload = [dict(asdict(h), citing=[doc._asdict() for doc in h.citing]) for h in hits]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        for hit in hits:
            click.echo(f"{hit.kind or '?'} {hit.code}  date {hit.date or '?'}  issuer {hit.issuer or '?'}")
            for doc in hit.citing:
                click.echo(f"    {doc.source}  {doc.published or ''}  {doc.title or ''}".rstrip())
                if doc.snippet:
                    click.echo(f"        {doc.snippet}")
    if not hits:
        click.echo(f"miner: no directive matches {text!r} in {db}", err=True)
        sys.exit(1)


@main.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled candidates (JSON Lines); default corpus/targets/candidates.jsonl.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the model; default models/target_classifier.json.")
def train(data: str | None, out: str | None) -> None:
    """Rebuild the target classifier from the labelled candidates in corpus/.

    Deterministic: the same data gives the same model file. Prints the
    label counts and the cross-validated precision/recall/F1 (5 folds,
    grouped by source document so that no document is in train and test).
    """
    from miner import classifier

    rows = classifier.training_rows(Path(data)) if data else None
    meta = classifier.train(rows, Path(out) if out else None)
    click.echo(f"trained on {meta['trained_on']} candidates ({meta['positives']} targets)")
    click.echo("labels: " + ", ".join(f"{k} {v}" for k, v in meta["labels"].items()))
    cv = meta["cross_validation"]
    click.echo(f"cross-validated ({cv['folds']} folds by {cv['grouped_by']}): "
               f"P {cv['precision']:.3f}  R {cv['recall']:.3f}  F1 {cv['f1']:.3f}")
    click.echo(f"model written to {out or classifier.MODEL_PATH}")


if __name__ == "__main__":
    main()
