"""`miner find TEXT`: diacritic-insensitive full-text search (FTS5, bm25 ranking).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from miner.cli.common import DEFAULT_DB
_KIND_LABEL = {"document": "document", "target": "target", "solution": "solution", "objective": "objective"}


@click.command("find")
@click.argument("text", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="SQLite database to search.")
@click.option("--limit", default=20, show_default=True, help="At most this many hits.")
@click.option("--in", "scope", type=click.Choice(["documents", "targets", "solutions", "all"]), default="all",
              show_default=True, help="Search documents (title + text), targets (indicator + sentence), "
                                      "solutions/objectives, or all of them.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON (for scripts).")
@click.option("--color/--no-color", default=None,
              help="Bold matches with ANSI codes (default: when stdout is a terminal); else [brackets].")
def find(text: tuple[str, ...], db: str, limit: int, scope: str, as_json: bool, color: bool | None) -> None:
    """Full-text search, with or without diacritics.

    \b
    "chu ky so" finds "chữ ký số"; "dich vu cong" finds "dịch vụ công" (đ = d).
    All words must occur; "double quotes" or a code (36-NQ/TW) ask for a phrase;
    a trailing * a prefix (chuyen*). Best match (bm25) first.
    \b
    Examples:
      miner find chu ky so
      miner find "dịch vụ công trực tuyến" --in targets
      miner find '"chinh quyen dien tu"' --json
    Exit status 1 when nothing matches.
    """
    from miner.database.fulltext import FulltextError, search

    query = " ".join(text)
    if not Path(db).is_file():
        raise click.ClickException(f"no database at {db}: run `miner extract ...` first, or pass --db")
    try:
        hits = search(db, query, limit=limit, scope=scope)
    except FulltextError as e:
        raise click.ClickException(str(e))
    if as_json:
        click.echo(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
    else:
        bold = sys.stdout.isatty() if color is None else color
        for i, h in enumerate(hits, 1):
            where = f"{h.source}  {h.published or ''}".rstrip()
            also = f", +{h.also} more {h.kind}s with this text" if h.also else ""
            click.echo(f"{i:>2}. [{_KIND_LABEL.get(h.kind, h.kind)}] {where}  (bm25 {h.score:.2f}{also})")
            if h.title and not (h.kind == "document" and h.field == "title"):
                click.echo(f"    {h.title}")
            click.echo(f"    {h.render(bold=bold)}")
    if not hits:
        click.echo(f"miner: nothing matches {query!r} in {db}", err=True)
        sys.exit(1)
