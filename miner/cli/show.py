"""`miner show CODE`: a directive, its consensus date/issuer and variants, and its implementation chain.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from miner.cli.common import DEFAULT_DB


@click.command("show")
@click.argument("code", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="SQLite database to read.")
@click.option("--json", "as_json", is_flag=True, help="Print the chain(s) as JSON.")
def show(code: tuple[str, ...], db: str, as_json: bool) -> None:
    """Show a directive and the documents that implement it.

    \b
    CODE in any written form: 36-NQ/TW, "nghị quyết 36", "nq 36 tw", 18/CT-TU.
    Prints the kind, code, consensus date and issuer (the majority of the citing
    documents; other cited dates/issuers listed as disagreements), then the tree
    of directives implementing it (central → province → district) with the
    documents that implement each — the relation of their citation: "Thực hiện
    …", "triển khai …"; a document that only names it in its "Căn cứ" preamble
    is its legal basis, not its implementation — grouped by province and year,
    and the targets set in those documents. Several directives share a number
    (another term, another province): each is shown. Exit status 1 when none is
    found.
    \b
    Examples:
      miner show 36-NQ/TW
      miner show "chỉ thị 18" --json
    """
    from miner.database.chain import show as run_show
    from miner.rendering.chain import render

    text = " ".join(code)
    if not Path(db).is_file():
        raise click.ClickException(f"no database at {db}: run `miner extract ...` first, or pass --db")
    chains = run_show(db, text)
    if not chains:
        click.echo(f"miner: no directive matches {text!r} in {db}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps([c.to_json() for c in chains], ensure_ascii=False, indent=1))
        return
    click.echo("\n\n".join(render(c) for c in chains))
