"""`miner search`: directives by number, however they are written."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from miner.cli.common import DEFAULT_DB


@click.command("search")
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
    from miner.database.search import search as run_search

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
            more = (hit.citing_total or 0) - len(hit.citing)
            if more > 0:
                click.echo(f"    … and {more} more citing documents (--json lists the first 100 as well)")
    if not hits:
        click.echo(f"miner: no directive matches {text!r} in {db}", err=True)
        sys.exit(1)
