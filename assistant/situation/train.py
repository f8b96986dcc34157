"""`make train`: fit the situation reader on the shipped labelled (rule, question) pairs; write model.npz and report.md.

The pairs (`labelled/*.jsonl`) are written for made-up organisations, never taken from the unseen test split.
Reproducible: deterministic embeddings and solver, data read in file order. Quality is reported by grouped
cross-validation (the pairs of one organisation never on both sides), and the thresholds at which "allows" and
"forbids" are trusted are the lowest probabilities whose cross-validated precision reaches TARGET_PRECISION: a
wrong "allows" can turn an answer into a wrong "yes".
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant import learned
from assistant.situation.reader import DENSE, HERE, LABELS, MODEL_PATH, SituationReader, inputs_digest, pair_features
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
    for path, n, row in learned.read_jsonl(paths):
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
    from assistant.situation.reader import clauses, condition_of, requirement_of

    texts = []
    for r in rows:
        texts += [r["rule"], condition_of(r["rule"]), requirement_of(r["rule"]), r["question"], *clauses(r["question"])]
    f.vec(list(dict.fromkeys(texts)))
    return np.stack([pair_features(r["rule"], r["question"], f.vec, product_scale) for r in rows])


def main(argv: list[str] | None = None) -> int:
    args = learned.arguments(__doc__, MODEL_PATH, REPORT, argv)
    rows = load(sorted(LABELLED.glob("*.jsonl")))
    X = features(rows, Path(args.cache) if args.cache else None)
    learned.train(X, rows, LABELS, hidden=HIDDEN, alpha=ALPHA, folds=FOLDS, target_precision=TARGET_PRECISION,
                  out=args.out, report_path=args.report, unit="pairs",
                  title="# Situation reader: training report\n\nWritten by `make train` (assistant/situation/train.py).",
                  data=f"{len(rows)} labelled (rule, question) pairs from {len({r['group'] for r in rows})} made-up "
                       "organisations",
                  product_scale=np.float32(PRODUCT_SCALE), lexical=np.asarray(list(LEXICAL)), dense=np.asarray(DENSE),
                  inputs=np.asarray(inputs_digest()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
