"""`miner train`: rebuild the target classifier from the labelled candidates."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("train")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled candidates (JSON Lines); default corpus/targets/candidates.jsonl.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the model; default the packaged model (models/target_classifier.json in a checkout).")
def train(data: str | None, out: str | None) -> None:
    """Rebuild the target classifier from the labelled candidates in corpus/.

    Deterministic: the same data gives the same model file. Prints the
    label counts and the cross-validated precision/recall/F1 (5 folds,
    grouped by source document so that no document is in train and test).
    """
    from miner.finders import classifier, target_training

    try:
        rows = target_training.training_rows(Path(data) if data else None)
    except target_training.TrainingError as exc:
        raise click.ClickException(str(exc)) from exc
    meta = target_training.train(rows, Path(out) if out else None)
    click.echo(f"trained on {meta['trained_on']} candidates ({meta['positives']} targets)")
    click.echo("labels: " + ", ".join(f"{k} {v}" for k, v in meta["labels"].items()))
    cv = meta["cross_validation"]
    click.echo(f"cross-validated ({cv['folds']} folds by {cv['grouped_by']}): "
               f"P {cv['precision']:.3f}  R {cv['recall']:.3f}  F1 {cv['f1']:.3f}")
    click.echo(f"model written to {out or classifier.MODEL_PATH}")
