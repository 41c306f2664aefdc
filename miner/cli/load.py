"""`miner load` (shards → database) and `miner cluster-extract` (inputs → shards on a Dask cluster)."""
from __future__ import annotations

import sys
import time

import click

from miner.cli.common import DEFAULT_DB


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB, show_default=True,
              help="SQLite database to add the records to.")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Records per database transaction.")
def load(shards: tuple[str, ...], db: str, batch_size: int) -> None:
    """Import shard files written by `miner cluster-extract` into the database.

    SHARDS are part-*.jsonl / part-*.parquet files or directories holding them.
    Idempotent: a document already stored with the same content and the same
    rules/model version is skipped, so loading twice adds nothing and an
    interrupted load can simply be run again. Inputs the workers could not
    read are listed on stderr (exit status 1).

    \b
    Examples:
      miner load shards/ --db crawl.db
      miner load shards/part-00000.jsonl shards/part-00001.jsonl
    """
    from miner.running.distributed import load_shards

    started = time.perf_counter()
    summary = load_shards(list(shards), db, batch_size=batch_size)
    seconds = time.perf_counter() - started
    click.echo(f"miner: {summary.shards} shard(s), {summary.rows} rows: {summary.added} added, "
               f"{summary.replaced} replaced, {summary.skipped} skipped (already stored), "
               f"{len(summary.failures)} failed inputs; {seconds:.1f} s; database {db}", err=True)
    if summary.failures:
        click.echo(f"miner: {len(summary.failures)} input(s) failed on the workers:", err=True)
        for path, error in summary.failures:
            click.echo(f"  {path}: {error}", err=True)
        sys.exit(1)


@click.command("cluster-extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--shards", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Directory for the shard files (part-00000.jsonl ...), visible to every worker.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://host:8786); default: a local cluster on this machine.")
@click.option("--partition-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Input files per task (and per shard).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="Shard file format.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Also load the shards into this database when the run ends.")
def cluster_extract(inputs: tuple[str, ...], out_dir: str, scheduler: str | None, partition_size: int, fmt: str,
                    db: str | None) -> None:
    """Extract INPUTS on a Dask cluster into shard files, then (optionally) load them.

    INPUTS (files or directories) must be readable at the same path on every
    worker (a shared filesystem). Each task reads and extracts
    --partition-size files and writes one shard; a re-run with the same
    inputs keeps the shards already finished.

    \b
    Examples:
      miner cluster-extract /data/crawl --shards /data/shards --scheduler tcp://head:8786
      miner load /data/shards --db crawl.db
    """
    from miner.running.distributed import extract_to_shards

    started = time.perf_counter()
    if scheduler is None:
        from distributed import Client, LocalCluster

        with LocalCluster(processes=True, threads_per_worker=1) as cluster, Client(cluster) as client:
            summary = extract_to_shards(inputs, out_dir, client, partition_size=partition_size, fmt=fmt)
    else:
        summary = extract_to_shards(inputs, out_dir, scheduler, partition_size=partition_size, fmt=fmt)
    seconds = time.perf_counter() - started
    click.echo(f"miner: {len(summary.shards)} shard(s) in {out_dir} ({summary.reused} kept from an earlier run), "
               f"{summary.documents} documents, {summary.failed} failed, {seconds:.1f} s", err=True)
    if db:
        ctx = click.get_current_context()
        ctx.invoke(load, shards=(out_dir,), db=db, batch_size=200)
    elif summary.failed:
        sys.exit(1)


if __name__ == "__main__":  # python -m miner.cli.load SHARDS... --db FILE
    load()
