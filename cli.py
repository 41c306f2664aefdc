"""miner — the command line over the vn-policy-miner library (thin: parsing, printing, exit codes).

Each command lives in its own module in miner/commands/ beside the library code it drives.
"""
from __future__ import annotations

import click

from miner.commands.export import export
from miner.commands.extract import extract
from miner.commands.find import find
from miner.commands.load import cluster_extract, load
from miner.commands.report import report
from miner.commands.search import search
from miner.commands.show import show
from miner.commands.targets import targets
from miner.commands.train import train


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


for command in (extract, search, targets, find, show, export, report, train, load, cluster_extract):
    main.add_command(command)


if __name__ == "__main__":
    main()
