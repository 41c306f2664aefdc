"""`python -m miner …`: the same command line as `miner`."""
from miner.cli.main import main

main(prog_name="miner")
