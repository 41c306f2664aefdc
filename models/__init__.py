"""The target classifier weights (plain JSON) as package data; read them through ``miner.finders.classifier``."""
