"""``miner report DOC --html OUT.html``: a document's text with every extraction highlighted.

Registered on the main group with ``main.add_command(report)``.
"""
from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("doc")
@click.option("--html", "out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="HTML file to write (self-contained: inline CSS, no script, no network).")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Read DOC from this database (its source name, path, sha256 or id) instead of a file.")
def report(doc: str, out: str, db: str | None) -> None:
    """Write an HTML report of DOC: its text with every extraction highlighted.

    \b
    References (every mention), the publication date, places, targets and
    objective/solution items are highlighted in the decoded text; hover one
    for its details (kind/date/issuer; value/unit/comparator/year/indicator/
    category/confidence). A side panel lists the record: title, published,
    places, references, targets and the lists.

    \b
    Examples:
      miner report page.txt --html page.html              # extracted on the fly
      miner report 000_a5a24a10da4b2c1e.txt --db miner.db --html r.html   # a stored document
    """
    from miner.rendering.report import ReportError, report_for_db, report_for_path, write_report

    try:
        if db is not None:
            page = report_for_db(db, doc)
        else:
            if not Path(doc).exists():
                raise ReportError(f"{doc}: no such file (to read a stored document, pass --db)")
            page = report_for_path(doc)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        path = write_report(page, out)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(path)
