"""`miner export`: whole tables and joined views of the database as CSV, Parquet or JSON Lines files."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from miner.database import dataset

from miner.cli.common import DEFAULT_DB
_EXPORT_FORMATS = ("csv", "parquet", "jsonl")


@click.command("export", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("names", nargs=-1, metavar="[TABLE|VIEW]...")
@click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS), default=None,
              help="File format (default: from the --output suffix, else csv).")
@click.option("--output", "-o", required=True, type=click.Path(allow_dash=False),
              help="Directory for one file per table (created if needed), or a file when exporting one "
                   "table/view with a .csv/.parquet/.jsonl name.")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="SQLite database written by `miner extract`.")
def export(names: tuple[str, ...], fmt: Optional[str], output: str, db: str) -> None:
    """Export tables and joined views of the database, one file each.

    \b
    Tables: documents, directives, citations, places, document_places, targets,
            objectives, solutions (whole, in id order).
    Views:  targets_full   (targets + document source/title/published, its
                            provinces/districts, own code and cited directives)
            citations_full (citations + citing document + cited directive)
    Without names, all tables and views are exported into the --output directory.

    \b
    Examples:
      miner export --output export/                       # everything, CSV
      miner export --format parquet --output export/      # everything, Parquet
      miner export targets_full --output targets.parquet  # one view, one file
      miner export documents citations --format jsonl -o out/

    CSV is UTF-8 with a header (empty cell = missing); JSON Lines has one object a
    line (null = missing); Parquet keeps the column types. Read them back with
    pandas.read_csv / read_parquet / read_json(lines=True).
    """
    unknown = [n for n in names if n not in dataset.EXPORTABLE]
    if unknown:
        raise click.BadParameter(f"unknown table or view {', '.join(map(repr, unknown))}; "
                                 f"choose from {', '.join(dataset.EXPORTABLE)}", param_hint="TABLE|VIEW")
    wanted = list(dict.fromkeys(names)) or list(dataset.EXPORTABLE)
    out = Path(output)
    suffix_fmt = {v: k for k, v in dataset.SUFFIXES.items() if k in _EXPORT_FORMATS}.get(out.suffix.lower())
    as_file = suffix_fmt is not None and not out.is_dir()
    if as_file and len(wanted) != 1:
        raise click.UsageError(f"{output} is a file name: exporting {len(wanted)} tables needs a directory")
    fmt = fmt or suffix_fmt or "csv"
    try:
        with dataset.open(db) as data:
            if as_file:
                targets = [(wanted[0], out)]
                out.parent.mkdir(parents=True, exist_ok=True)
            else:
                out.mkdir(parents=True, exist_ok=True)
                targets = [(name, out / f"{name}{dataset.SUFFIXES[fmt]}") for name in wanted]
            for name, path in targets:
                frame = data.table(name)
                dataset.write_frame(frame, fmt, path)
                click.echo(f"{name}: {len(frame)} rows → {path}")
    except dataset.DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
