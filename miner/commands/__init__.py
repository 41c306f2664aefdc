"""Click commands, one module each; cli.py registers them on the `miner` group."""

DEFAULT_DB = "miner.db"  # the database every command uses when --db is not given
