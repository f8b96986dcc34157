"""The recipe the project's small learned classifiers share (the situation reader, the answerability check): a
one-hidden-layer network fitted on labelled data the project ships, grouped cross-validation (one organisation's
examples never on both sides), per-label thresholds chosen for precision, and numpy-only inference.

Training needs scikit-learn (`make train`); answering needs only numpy and the saved `.npz`.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from ingest.errors import PolicyAssistantError


def read_jsonl(paths: list[Path]):
    """(path, line number, object) for every non-blank line of the labelled files, in order."""
    import json

    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield Path(path), n, json.loads(line)


def fit(X, y, hidden: tuple[int, ...], alpha: float):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden, alpha=alpha, max_iter=3000, random_state=0)
    clf.fit(X, y)
    return clf


def standardise(X) -> tuple[np.ndarray, np.ndarray]:
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std < 1e-6] = 1.0
    return mean, std


def cross_validate(X, y, groups, labels: tuple[str, ...], hidden, alpha, folds: int) -> np.ndarray:
    """Out-of-fold probabilities, columns in `labels` order."""
    from sklearn.model_selection import GroupKFold

    P = np.zeros((len(y), len(labels)))
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        mean, std = standardise(X[train])
        clf = fit((X[train] - mean) / std, y[train], hidden, alpha)
        cols = [list(clf.classes_).index(label) for label in labels]
        P[test] = clf.predict_proba((X[test] - mean) / std)[:, cols]
    return P


def thresholds(P, y, labels: tuple[str, ...], target_precision: dict[str, float]) -> list[float]:
    """Per label, the lowest probability from which its cross-validated precision reaches the target (0 for labels
    without a target; above 1, never trusted, when no threshold reaches it)."""
    out = []
    pred = P.argmax(axis=1)
    for k, label in enumerate(labels):
        target = target_precision.get(label)
        if target is None:
            out.append(0.0)
            continue
        chosen = 1.01
        for t in np.arange(0.30, 1.0, 0.01):
            mask = (pred == k) & (P[:, k] >= t)
            if mask.sum() >= 10 and (y[mask] == label).mean() >= target:
                chosen = float(round(t, 2))
                break
        out.append(chosen)
    return out


def report(rows: list[dict], y, P, th, labels: tuple[str, ...], folds: int, unit: str, heading: str = "") -> list[str]:
    """The cross-validation table of a training report (markdown lines); `heading` names other probabilities
    (a held-out set's)."""
    pred = np.asarray(labels)[P.argmax(axis=1)]
    lines = [heading or f"### Grouped {folds}-fold cross-validation (organisations never split)", "",
             f"{len(rows)} {unit}, accuracy {np.mean(pred == y):.3f}", "",
             "| label | n | precision | recall | trusted from | precision there | recall there |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for k, label in enumerate(labels):
        tp = np.sum((pred == label) & (y == label))
        p, r = tp / max(np.sum(pred == label), 1), tp / max(np.sum(y == label), 1)
        trusted = (pred == label) & (P[:, k] >= th[k])
        tp_t = np.sum(trusted & (y == label))
        pt, rt = tp_t / max(trusted.sum(), 1), tp_t / max(np.sum(y == label), 1)
        lines.append(f"| {label} | {np.sum(y == label)} | {p:.2f} | {r:.2f} | {th[k]:.2f} | {pt:.2f} | {rt:.2f} |")
    by_lang = Counter(r.get("lang", "?") for r in rows)
    lines += ["", f"{unit.capitalize()} per language: " + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())), ""]
    for lang in sorted(by_lang):
        m = np.asarray([r.get("lang") == lang for r in rows])
        lines.append(f"- accuracy, {lang}: {np.mean(pred[m] == y[m]):.3f}")
    return lines + [""]


def save(path, clf, labels: tuple[str, ...], mean, std, th, **extra) -> None:
    order = [list(clf.classes_).index(label) for label in labels]
    layers = [(W.astype(np.float32), b.astype(np.float32)) for W, b in zip(clf.coefs_, clf.intercepts_)]
    if layers[-1][0].shape[1] == 1:
        # Two classes: one logistic output for the second class; as two softmax columns, [0, z] is the same.
        W, b = layers[-1]
        layers[-1] = (np.hstack([np.zeros_like(W), W]), np.concatenate([np.zeros_like(b), b]))
    layers[-1] = (layers[-1][0][:, order], layers[-1][1][order])     # output columns in `labels` order
    np.savez(path, labels=np.asarray(labels), layers=np.int32(len(layers)),
             **{f"W{k}": W for k, (W, _) in enumerate(layers)}, **{f"b{k}": b for k, (_, b) in enumerate(layers)},
             mean=mean.astype(np.float32), std=std.astype(np.float32), thresholds=np.asarray(th, dtype=np.float32),
             **extra)


def held_out(rows: list[dict], X, labels: tuple[str, ...], model_path, what: str, unit: str, heading: str) -> list[str]:
    """The saved model's table on rows it was never trained on, at the thresholds it was saved with."""
    net = Network(Path(model_path), what)
    P = np.stack([net.probabilities(x) for x in X])
    y = np.asarray([r["label"] for r in rows])
    return report(rows, y, P, [net.thresholds[label] for label in labels], labels, 0, unit, heading)


class Network:
    """A saved classifier: softmax probabilities from standardised features, and the thresholds it came with."""

    def __init__(self, path: Path, what: str):
        if not path.is_file():
            raise PolicyAssistantError(f"the {what}'s model is missing ({path}); run `make train`")
        self.data = np.load(path, allow_pickle=False)
        self.labels = [str(x) for x in self.data["labels"]]
        self.layers = [(self.data[f"W{k}"], self.data[f"b{k}"]) for k in range(int(self.data["layers"]))]
        self.mean, self.std = self.data["mean"], self.data["std"]
        self.thresholds = dict(zip(self.labels, (float(t) for t in self.data["thresholds"])))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = (features - self.mean) / self.std
        for k, (W, b) in enumerate(self.layers):
            z = z @ W + b
            if k < len(self.layers) - 1:
                z = np.maximum(z, 0.0)           # ReLU between layers, softmax at the end
        p = np.exp(z - z.max())
        return p / p.sum()


def arguments(description: str, model_path: Path, report_path: Path, argv: list[str] | None):
    """The command line every `make train` step takes."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cache", default=".data/embedding-cache.sqlite", help="embedding cache (sqlite)")
    parser.add_argument("--out", default=str(model_path))
    parser.add_argument("--report", default=str(report_path))
    return parser.parse_args(argv)


def train(X, rows: list[dict], labels: tuple[str, ...], *, hidden, alpha: float, folds: int,
          target_precision: dict[str, float], out, report_path, title: str, data: str, unit: str, **extra) -> None:
    """Cross-validate, choose the thresholds, fit on everything, save the model and write its report: `title` heads
    the report and `data` says what the rows are ("1400 labelled … pairs from 70 made-up organisations")."""
    from threadpoolctl import threadpool_limits

    y = np.asarray([r["label"] for r in rows])
    # One BLAS thread: the solver's sums then run in one order on every machine, so `make train` gives the same model
    # on a machine with more cores (two threads moved a threshold by 0.01 here).
    with threadpool_limits(limits=1):
        P = cross_validate(X, y, [r["group"] for r in rows], labels, hidden, alpha, folds)
        th = thresholds(P, y, labels, target_precision)
        mean, std = standardise(X)
        save(out, fit((X - mean) / std, y, hidden, alpha), labels, mean, std, th, **extra)
    counts = Counter(y)
    lines = [title, "", f"Training data: {data} (" + ", ".join(f"{label} {counts[label]}" for label in labels) + ").", "",
             *report(rows, y, P, th, labels, folds, unit)]
    Path(report_path).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
