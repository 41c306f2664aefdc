"""`miner extract`: the Click command over :func:`miner.running.batch.run_batch`."""
from __future__ import annotations

import os
import sys

import click

from miner.cli.common import DEFAULT_DB


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default=None,
              help="Write records as JSON Lines or one JSON array (needs --output, or goes to stdout).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="File for the records; '-' for stdout. Without --format or --output, records go only to the database.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help=f"SQLite database to add the records to (default: {DEFAULT_DB} when no --output is given).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help=f"Worker processes (default: the number of cores, here {os.cpu_count()}); 1 runs in this process.")
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Records per database transaction: an interrupted run loses at most one batch; re-run to complete it.")
@click.option("--force", is_flag=True,
              help="Re-extract documents the database already holds (same content, same rules and model).")
def extract(inputs: tuple[str, ...], fmt: str | None, output: str | None, db: str | None, progress: bool | None,
            jobs: int | None, batch_size: int, force: bool) -> None:
    """Extract records from INPUTS: files, directories (recursive) or '-' for stdin.

    \b
    Reads .txt/.md (UTF-8, UTF-16, cp1258, legacy TCVN3/VNI/VISCII), .html/.htm,
    and scraped text dumps carrying HTML. A file that cannot be read is
    reported on stderr and skipped; the rest of the batch goes on, and the
    exit status is 1 if any input failed.

    \b
    Into a database, a document already stored with the same content
    (sha256 of the bytes) and the same extraction version (a digest of the
    rule tables, the classifier and the extraction code) is skipped without
    being extracted (--force re-extracts). Records are
    committed every --batch-size documents, so an interrupted run keeps its
    work and a re-run finishes it. Several runs may share one database.

    \b
    Examples:
      miner extract corpus/sample                       # → ./miner.db
      miner extract crawl/ --jobs 8 --db crawl.db       # 8 processes; re-run to resume
      miner extract ../shared/corpus/dev --format jsonl --output out.jsonl
      cat page.txt | miner extract - --format json -o -
    """
    from miner.running.batch import run_batch

    if output and not fmt:
        fmt = "jsonl" if not output.endswith(".json") else "json"
    if fmt and not output:
        output = "-"
    if db is None and output is None:
        db = DEFAULT_DB
    show = sys.stderr.isatty() if progress is None else progress

    try:
        summary = run_batch(inputs, db=db, output=output, fmt=fmt, jobs=jobs, progress=show,
                            batch_size=batch_size, force=force)
    except OSError as exc:  # the output file or the database cannot be opened
        raise click.ClickException(str(exc)) from None
    except Exception as exc:
        import sqlite3

        from miner.database.writer import StoreError

        if isinstance(exc, (sqlite3.Error, StoreError)):
            raise click.ClickException(f"database {db}: {exc}") from None
        raise
    line = summary.line()
    if summary.stored is not None:
        line += f"; database {db}: {summary.stored}"
    elif db:
        line += f"; database {db}: nothing new"
    click.echo(line, err=True)
    if summary.failures:
        click.echo(f"miner: {len(summary.failures)} input(s) failed:", err=True)
        for path, error in summary.failures:
            click.echo(f"  {path}: {error}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # python -m miner.cli.extract ...
    extract()
