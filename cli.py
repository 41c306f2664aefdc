"""The `miner` command line, for running from a checkout (`python cli.py …`); installed, it is `miner`
or `python -m miner`. The commands live in miner/cli/."""
from miner.cli.main import main

if __name__ == "__main__":
    main(prog_name="miner")
