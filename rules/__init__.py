"""The rule tables (JSON Lines) as package data; read them through ``miner.rulebook``."""
