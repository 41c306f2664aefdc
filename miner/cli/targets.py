"""`miner targets`: list the quantified targets in the database, filtered, as a table, CSV, JSON or Parquet."""
from __future__ import annotations

import sys
from typing import Optional

import click
from miner._lazy import pandas as pd

from miner.database import dataset

from miner.cli.common import DEFAULT_DB
_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
# table columns: (header, width); the last one takes what is left
_WIDTHS = (("year", 4), ("value", 22), ("category", 22), ("province", 18), ("indicator", 48), ("source", 0))


def _year_option(ctx, param, value):
    if value is None:
        return None
    try:
        return dataset.parse_year(value)
    except dataset.DatasetError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("targets", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--year", "years", callback=_year_option, metavar="YEAR|FROM-TO",
              help="Deadline year (2020) or inclusive range (2020-2025; open: 2025- or -2020).")
@click.option("--province", help="Province, old or 2025 name, with or without diacritics "
                                 "(\"Thừa Thiên Huế\", \"thua thien hue\", \"Huế\"); includes its districts.")
@click.option("--merged/--no-merged", default=True, show_default=True,
              help="Let a 2025 province name also cover the provinces merged into it.")
@click.option("--district", help="District name, with or without diacritics (\"Tân Yên\", \"minh hoa\").")
@click.option("--category", multiple=True, help="Topic category (e_government, digital_economy…); repeatable.")
@click.option("--issuer", help="Issuer of a directive the document cites, or of the document itself "
                               "(substring, diacritics-insensitive: \"Bộ Chính trị\", \"thu tuong\").")
@click.option("--directive", help="A cited directive in any written form: 36-NQ/TW, 36/NQ-TW, \"nghi quyet 36\".")
@click.option("--min", "value_min", type=float, help="Smallest value (a range target matches when it overlaps).")
@click.option("--max", "value_max", type=float, help="Largest value.")
@click.option("--indicator", help="Words that must all appear in the indicator (diacritics-insensitive).")
@click.option("--sort", type=click.Choice(list(dataset.SORT_KEYS)), default="year", show_default=True,
              help="Sort key (unknown values last; ties by target id).")
@click.option("--desc", "descending", is_flag=True, help="Sort in descending order.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many targets.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl", "parquet"]), default="table",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to this file instead of stdout (required for parquet).")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="SQLite database written by `miner extract`.")
def targets(years, province: Optional[str], merged: bool, district: Optional[str], category: tuple[str, ...],
            issuer: Optional[str], directive: Optional[str], value_min: Optional[float],
            value_max: Optional[float], indicator: Optional[str], sort: str, descending: bool,
            limit: Optional[int], fmt: str, output: Optional[str], db: str) -> None:
    """List quantified targets (value, unit, deadline year, indicator, category) with their
    document, places and cited directives. Filters combine with AND.

    \b
    Examples:
      miner targets --year 2020 --province "Thừa Thiên Huế"
      miner targets --year 2020-2025 --province hue --category e_government
      miner targets --directive "nghi quyet 36" --issuer "Bộ Chính trị"
      miner targets --indicator "chu ky so" --min 80 --sort value --desc
      miner targets --district "Tân Yên" --format csv -o tan_yen.csv
      miner targets --year 2030 --format parquet --output targets_2030.parquet

    The table ends with a line "N targets". CSV/JSON/JSONL go to stdout unless
    --output is given; Parquet needs --output.
    """
    year, year_range = years if years else (None, None)
    if fmt == "parquet" and (not output or output == "-"):
        raise click.UsageError("--format parquet needs --output FILE")
    try:
        with dataset.open(db) as data:
            frame = data.targets(year=year, year_range=year_range, province=province, district=district,
                                 category=list(category) or None, issuer=issuer, directive=directive,
                                 value_min=value_min, value_max=value_max, indicator=indicator, sort=sort,
                                 descending=descending, limit=limit, merged=merged)
    except dataset.DatasetError as exc:
        raise click.ClickException(str(exc)) from exc

    if fmt == "table":
        text = render_table(frame)
        if output and output != "-":
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            click.echo(f"wrote {len(frame)} targets to {output}", err=True)
        else:
            click.echo(text, nl=False)
        return
    if output and output != "-":
        dataset.write_frame(frame, fmt, output)
        click.echo(f"wrote {len(frame)} targets to {output}", err=True)
    else:
        dataset.write_frame(frame, fmt, sys.stdout)
        sys.stdout.flush()


def format_value(row) -> str:
    """'≥ 80 %', '20 doanh nghiệp', '70–80 %'."""
    def num(v) -> str:
        if pd.isna(v):
            return ""
        return str(int(v)) if float(v).is_integer() else f"{v:g}"

    value = num(row["value"])
    high = row["value_max"]
    if not pd.isna(high):
        value += "–" + num(high)
    comparator = row["comparator"]
    prefix = _COMPARATORS.get(comparator, "") if isinstance(comparator, str) else ""
    unit = row["unit"] if isinstance(row["unit"], str) else ""
    return " ".join(p for p in (prefix, value, unit) if p)


def _cell(text, width: int) -> str:
    text = "" if text is None or pd.isna(text) else " ".join(str(text).split())
    if width and len(text) > width:
        text = text[:width - 1] + "…"
    return text.ljust(width) if width else text


def render_table(frame) -> str:
    """A fixed-width table (one target a line) and a final count line."""
    lines = ["  ".join(_cell(h, w) for h, w in _WIDTHS).rstrip(),
             "  ".join(("-" * w) if w else "-" * 6 for _, w in _WIDTHS)]
    for _, row in frame.iterrows():
        year = row["year"]
        cells = ("" if pd.isna(year) else str(year),
                 format_value(row), row["category"], row["provinces"] if isinstance(row["provinces"], str)
                 else row["districts"], row["indicator"], row["source"])
        lines.append("  ".join(_cell(c, w) for c, (_, w) in zip(cells, _WIDTHS)).rstrip())
    n = len(frame)
    lines.append(f"{n} target{'s' if n != 1 else ''}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    targets(sys.argv[1:])
