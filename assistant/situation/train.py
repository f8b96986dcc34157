"""`make train`: fit the situation reader on the shipped labelled (rule, question) pairs; write model.npz and report.md.

The pairs (`labelled/*.jsonl`) are written for made-up organisations, never taken from the unseen test split.
Reproducible: deterministic embeddings and solver, data read in file order. Quality is reported by grouped
cross-validation (the pairs of one organisation never on both sides), and the thresholds at which "allows" and
"forbids" are trusted are the lowest probabilities whose cross-validated precision reaches TARGET_PRECISION: a
wrong "allows" can turn an answer into a wrong "yes".
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.situation.reader import DENSE, HERE, LABELS, MODEL_PATH, SituationReader, pair_features
from ingest.rules.reader import LEXICAL

LABELLED = HERE / "labelled"
REPORT = HERE / "report.md"
HIDDEN = (64,)
ALPHA = 3.0          # strong L2: a few hundred pairs per label
PRODUCT_SCALE = 1.0
TARGET_PRECISION = {"allows": 0.85, "forbids": 0.75}
FOLDS = 5


def load(paths: list[Path]) -> list[dict]:
    rows, seen = [], set()
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in LABELS or not row.get("rule") or not row.get("question"):
                raise SystemExit(f"{path}:{n}: a pair needs rule, question and a label in {LABELS}")
            if (row["rule"], row["question"]) in seen:
                continue
            seen.add((row["rule"], row["question"]))
            row["group"] = f"{path.stem}:{row.get('org', n // 40)}"
            rows.append(row)
    return rows


class _Featuriser(SituationReader):
    """The reader's features without a trained model, embedding through the on-disk cache."""

    def __init__(self, cache: Path | None):  # noqa: D107 - deliberately loads no model
        self.cache = cache


def features(rows: list[dict], cache: Path | None, product_scale: float = PRODUCT_SCALE) -> np.ndarray:
    f = _Featuriser(cache)
    # Embed every text once, in batches, before the per-pair features ask for them.
    from assistant.situation.reader import clauses, condition_of

    texts = []
    for r in rows:
        texts += [r["rule"], condition_of(r["rule"]), r["question"], *clauses(r["question"])]
    f.vec(list(dict.fromkeys(texts)))
    return np.stack([pair_features(r["rule"], r["question"], f.vec, product_scale) for r in rows])


def fit(X, y):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(HIDDEN, alpha=ALPHA, max_iter=3000, random_state=0)
    clf.fit(X, y)
    return clf


def standardise(X):
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std < 1e-6] = 1.0
    return mean, std


def cross_validate(X, rows) -> np.ndarray:
    """Out-of-fold probabilities, columns in LABELS order."""
    from sklearn.model_selection import GroupKFold

    y = np.asarray([r["label"] for r in rows])
    P = np.zeros((len(rows), len(LABELS)))
    for train, test in GroupKFold(n_splits=FOLDS).split(X, y, [r["group"] for r in rows]):
        mean, std = standardise(X[train])
        clf = fit((X[train] - mean) / std, y[train])
        cols = [list(clf.classes_).index(label) for label in LABELS]
        P[test] = clf.predict_proba((X[test] - mean) / std)[:, cols]
    return P


def thresholds(P, y) -> list[float]:
    out = []
    pred = P.argmax(axis=1)
    for k, label in enumerate(LABELS):
        target = TARGET_PRECISION.get(label)
        if target is None:
            out.append(0.0)
            continue
        chosen = 1.01                       # never trusted unless some threshold reaches the precision
        for t in np.arange(0.30, 1.0, 0.01):
            mask = (pred == k) & (P[:, k] >= t)
            if mask.sum() >= 10 and (y[mask] == label).mean() >= target:
                chosen = float(round(t, 2))
                break
        out.append(chosen)
    return out


def report(rows, P, th) -> list[str]:
    y = np.asarray([r["label"] for r in rows])
    pred = np.asarray(LABELS)[P.argmax(axis=1)]
    lines = [f"### Grouped {FOLDS}-fold cross-validation (organisations never split)", "",
             f"{len(rows)} pairs, accuracy {np.mean(pred == y):.3f}", "",
             "| label | n | precision | recall | trusted from | precision there | recall there |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for k, label in enumerate(LABELS):
        tp = np.sum((pred == label) & (y == label))
        p, r = tp / max(np.sum(pred == label), 1), tp / max(np.sum(y == label), 1)
        trusted = (pred == label) & (P[:, k] >= th[k])
        tp_t = np.sum(trusted & (y == label))
        pt, rt = tp_t / max(trusted.sum(), 1), tp_t / max(np.sum(y == label), 1)
        lines.append(f"| {label} | {np.sum(y == label)} | {p:.2f} | {r:.2f} | {th[k]:.2f} | {pt:.2f} | {rt:.2f} |")
    by_lang = Counter(r.get("lang", "?") for r in rows)
    lines += ["", "Pairs per language: " + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())), ""]
    for lang in sorted(by_lang):
        m = np.asarray([r.get("lang") == lang for r in rows])
        lines.append(f"- accuracy, {lang}: {np.mean(pred[m] == y[m]):.3f}")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=".data/embedding-cache.sqlite", help="embedding cache (sqlite)")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--report", default=str(REPORT))
    args = parser.parse_args(argv)
    rows = load(sorted(LABELLED.glob("*.jsonl")))
    X = features(rows, Path(args.cache) if args.cache else None)
    y = np.asarray([r["label"] for r in rows])
    P = cross_validate(X, rows)
    th = thresholds(P, y)
    mean, std = standardise(X)
    clf = fit((X - mean) / std, y)
    order = [list(clf.classes_).index(label) for label in LABELS]
    layers = [(W.astype(np.float32), b.astype(np.float32)) for W, b in zip(clf.coefs_, clf.intercepts_)]
    layers[-1] = (layers[-1][0][:, order], layers[-1][1][order])     # output columns in LABELS order
    np.savez(args.out, labels=np.asarray(LABELS), layers=np.int32(len(layers)),
             **{f"W{k}": W for k, (W, _) in enumerate(layers)}, **{f"b{k}": b for k, (_, b) in enumerate(layers)},
             mean=mean.astype(np.float32), std=std.astype(np.float32),
             product_scale=np.float32(PRODUCT_SCALE), thresholds=np.asarray(th, dtype=np.float32),
             lexical=np.asarray(list(LEXICAL)), dense=np.asarray(DENSE))
    counts = Counter(y)
    lines = ["# Situation reader: training report", "", "Written by `make train` (assistant/situation/train.py).", "",
             f"Training data: {len(rows)} labelled (rule, question) pairs from "
             f"{len({r['group'] for r in rows})} made-up organisations ("
             + ", ".join(f"{label} {counts[label]}" for label in LABELS) + ").", "",
             *report(rows, P, th)]
    Path(args.report).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
