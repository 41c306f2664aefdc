"""What every command shares."""

DEFAULT_DB = "miner.db"  # the database every command uses when --db is not given
