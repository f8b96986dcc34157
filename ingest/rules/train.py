"""`make train`: fit the rule reader on the shipped labelled sentences and write model.npz and report.md.

Reproducible: the embeddings are deterministic, the solver is deterministic (lbfgs), the data is read in file order.
Quality is reported by grouped cross-validation (sentences of one document never on both sides) and, when present,
on the independently labelled sentences of the unseen test documents (evals/unseen/labelled-sentences.jsonl),
which are never trained on.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from ingest.rules.reader import GOVERNS, HERE, LEXICAL, MODALITIES, MODEL_PATH, RuleReader

LABELLED = HERE / "labelled"
UNSEEN_LABELLED = HERE.parent.parent / "evals" / "unseen" / "labelled-sentences.jsonl"
REPORT = HERE / "report.md"
LEXICAL_SCALE = 0.5
C_MODALITY = 4.0
C_GOVERNS = 2.0
MIN_POSITIVES = 8       # a governed kind with fewer labelled examples is not learned
# Balanced weights let rare kinds be learned at all; a governed kind is then named only when its probability is
# at least 0.75 (logit ln 3), which keeps the balanced model from naming every kind a sentence touches.
GOVERNS_LOGIT = float(np.log(3.0))


def load(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if row.get("modality") not in MODALITIES:
                    raise SystemExit(f"{path}:{n}: unknown modality {row.get('modality')!r}")
                row["group"] = row.get("doc") or f"{path.stem}-{n // 40}"
                rows.append(row)
    return rows


class _Featuriser(RuleReader):
    """The reader's feature matrix without a trained model (training needs the features first)."""

    def __init__(self):  # noqa: D107 - deliberately skips loading model.npz
        import threading

        self.scale = LEXICAL_SCALE
        self._embedder = None
        self._lock = threading.Lock()


def features(rows: list[dict], cache: Path | None) -> np.ndarray:
    return _Featuriser().matrix([r["text"] for r in rows], cache)


def fit_modality(X, y):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C_MODALITY, max_iter=3000, class_weight="balanced")
    clf.fit(X, y)
    return clf


def fit_governs(X, rows, kind):
    from sklearn.linear_model import LogisticRegression

    counts = Counter(v for r in rows for v in r.get(kind, []) if v != "none")
    names = sorted(v for v, c in counts.items() if c >= MIN_POSITIVES)
    Ws, bs = [], []
    for name in names:
        y = np.asarray([name in r.get(kind, []) for r in rows], dtype=int)
        clf = LogisticRegression(C=C_GOVERNS, max_iter=3000, class_weight="balanced")
        clf.fit(X, y)
        Ws.append(clf.coef_[0])
        bs.append(clf.intercept_[0])
    dim = X.shape[1]
    return names, (np.asarray(Ws, dtype=np.float32).reshape(len(names), dim)), np.asarray(bs, dtype=np.float32)


def per_label(y_true: list[str], y_pred: list[str]) -> list[tuple[str, int, float | None, float | None]]:
    out = []
    for label in MODALITIES:
        tp = sum(t == p == label for t, p in zip(y_true, y_pred))
        pred = sum(p == label for p in y_pred)
        true = sum(t == label for t in y_true)
        out.append((label, true, tp / pred if pred else None, tp / true if true else None))
    return out


def cross_validate(X, rows, folds: int = 5) -> list[str]:
    from sklearn.model_selection import GroupKFold

    y = np.asarray([r["modality"] for r in rows])
    groups = [r["group"] for r in rows]
    pred = np.empty_like(y)
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        pred[test] = fit_modality(X[train], y[train]).predict(X[test])
    return list(pred)


def _table(title: str, y_true, y_pred) -> list[str]:
    acc = sum(t == p for t, p in zip(y_true, y_pred)) / max(len(y_true), 1)
    lines = [f"### {title}", "", f"{len(y_true)} sentences, accuracy {acc:.3f}", "",
             "| modality | n | precision | recall |", "|---|---:|---:|---:|"]
    for label, n, p, r in per_label(y_true, y_pred):
        lines.append(f"| {label} | {n} | {'-' if p is None else f'{p:.2f}'} | {'-' if r is None else f'{r:.2f}'} |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", default=".data/embedding-cache.sqlite", help="embedding cache (sqlite)")
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument("--report", default=str(REPORT))
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation (faster)")
    parser.add_argument("--no-unseen", action="store_true", help="skip the report on the unseen test documents (faster)")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    rows = load(sorted(LABELLED.glob("*.jsonl")))
    X = features(rows, cache)
    y = np.asarray([r["modality"] for r in rows])
    clf = fit_modality(X, y)
    model = {"feature_names": np.asarray(list(LEXICAL)), "modalities": np.asarray(clf.classes_),
             "W": clf.coef_.astype(np.float32), "b": clf.intercept_.astype(np.float32),
             "lexical_scale": np.asarray(LEXICAL_SCALE), "governs_logit": np.asarray(GOVERNS_LOGIT)}
    for kind in GOVERNS:
        names, W, b = fit_governs(X, rows, kind)
        model |= {f"{kind}_labels": np.asarray(names), f"{kind}_W": W, f"{kind}_b": b}
    np.savez_compressed(args.out, **model)
    lines = ["# Rule reader: training report", "", "Written by `make train` (ingest/rules/train.py).", "",
             f"Training data: {len(rows)} labelled sentences ({', '.join(f'{k} {v}' for k, v in sorted(Counter(y).items()))}).", ""]
    if not args.no_cv:
        lines += _table("Grouped 5-fold cross-validation (documents never split)", list(y), cross_validate(X, rows))
    if UNSEEN_LABELLED.is_file() and not args.no_unseen:
        unseen = load([UNSEEN_LABELLED])
        reader = RuleReader(Path(args.out))
        got = [r.modality for r in reader.read([u["text"] for u in unseen], cache)]
        lines += _table("Unseen test documents, labelled independently (never trained on)", [u["modality"] for u in unseen], got)
    Path(args.report).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
