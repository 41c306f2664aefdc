"""The `miner` command line: a thin Click layer over the library (parsing, printing, exit codes)."""
