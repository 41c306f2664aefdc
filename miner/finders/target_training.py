"""Train the target classifier: labelled candidates → plain-JSON weights (``miner train``).

Apart from the classifier so that scoring (``miner.finders.classifier``) imports neither
scikit-learn nor the candidate finder it is trained on (``miner.finders.targets``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from miner.finders import classifier
from miner.finders.classifier import features
from miner.finders.targets import candidates

TRAINING_FILE = Path("corpus") / "targets" / "candidates.jsonl"  # in the project checkout
POSITIVE = "target"
SKIPPED_LABELS = {"range_upper"}  # the second number of a range is part of the first one's candidate


class TrainingError(RuntimeError):
    pass


def default_training_path() -> Path:
    """The labelled candidates of the project checkout: in the working directory, or beside the package."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if (root / TRAINING_FILE).is_file():
            return root / TRAINING_FILE
    raise TrainingError(f"no {TRAINING_FILE} here: run `miner train` in the project checkout or pass --data")


def training_rows(path: Optional[Path] = None) -> list[dict]:
    path = path or default_training_path()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["label"] not in SKIPPED_LABELS]


def _row_features(row: dict) -> dict[str, float]:
    sentence = row["sentence"]
    unit, ranged = "", False
    for cand in candidates(sentence, []):
        if cand.start <= row["start"] < cand.end:
            unit, ranged = cand.unit, cand.value_max is not None
            break
    else:
        tail = sentence[row["end"]:row["end"] + 2]
        unit = "%" if row["mention"].rstrip().endswith("%") or tail.startswith("%") else ""
    return features(sentence, row["start"], row["end"], unit, ranged)


def train(rows: Optional[list[dict]] = None, out: Optional[Path] = None, folds: int = 5) -> dict:
    """Fit the model on labelled candidates, cross-validate grouped by source document, write JSON."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import GroupKFold

    rows = rows if rows is not None else training_rows()
    X_dicts = [_row_features(r) for r in rows]
    y = [1 if r["label"] == POSITIVE else 0 for r in rows]
    groups = [r["source"] for r in rows]

    def fit(xd, yy):
        vec = DictVectorizer(sparse=False)
        X = vec.fit_transform(xd)
        clf = LogisticRegression(C=1.0, solver="liblinear", class_weight="balanced", random_state=0, max_iter=1000)
        clf.fit(X, yy)
        return vec, clf

    predictions = [0] * len(rows)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(X_dicts, y, groups):
        vec, clf = fit([X_dicts[i] for i in train_idx], [y[i] for i in train_idx])
        predicted = clf.predict(vec.transform([X_dicts[i] for i in test_idx]))
        for i, p in zip(test_idx, predicted):
            predictions[i] = int(p)
    p, r, f, _ = precision_recall_fscore_support(y, predictions, average="binary", zero_division=0)

    vec, clf = fit(X_dicts, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-9}
    labels: dict[str, int] = {}
    for row in rows:
        labels[row["label"]] = labels.get(row["label"], 0) + 1
    meta = {
        "trained_on": len(rows),
        "positives": sum(y),
        "labels": dict(sorted(labels.items())),
        "cross_validation": {"folds": folds, "grouped_by": "source document",
                             "precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)},
        "model": "LogisticRegression(C=1, liblinear, class_weight=balanced) over binary features",
    }
    data = {"format": "vn-policy-miner target classifier v1", "bias": round(float(clf.intercept_[0]), 6),
            "weights": dict(sorted(weights.items())), "meta": meta}
    target = out or classifier.MODEL_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    classifier.load.cache_clear()
    return meta
