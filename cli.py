"""miner — the command line over the vn-policy-miner library (thin: parsing, printing, exit codes)."""
from __future__ import annotations

import json
import sys
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
            more = (hit.citing_total or 0) - len(hit.citing)
            if more > 0:
                click.echo(f"    … and {more} more citing documents (--json lists the first 100 as well)")
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


from miner.commands.export import export  # noqa: E402  (commands live beside the library they drive)
from miner.commands.extract import extract  # noqa: E402
from miner.commands.find import find  # noqa: E402
from miner.commands.load import cluster_extract, load  # noqa: E402
from miner.commands.report import report  # noqa: E402
from miner.commands.show import show  # noqa: E402
from miner.commands.targets import targets  # noqa: E402

for command in (extract, targets, find, show, export, report, load, cluster_extract):
    main.add_command(command)


if __name__ == "__main__":
    main()
