"""The `miner` command group: one Click command per module of this package, registered here.

Commands parse options, call the library and print; the work is done in the layers below.
"""
from __future__ import annotations

import click

from miner.cli.export import export
from miner.cli.extract import extract
from miner.cli.find import find
from miner.cli.load import cluster_extract, load
from miner.cli.report import report
from miner.cli.search import search
from miner.cli.show import show
from miner.cli.targets import targets
from miner.cli.train import train


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

