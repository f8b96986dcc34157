"""`make train`: fit the question-kind reader on the shipped labelled questions; write model.npz and report.md.

Each line of `labelled/*.jsonl` is {"q": a question, "kind": "permission" | "factual" | "info"}: questions about
made-up organisations' AI rules as people type them, never taken from the unseen test split. The question is
embedded as the search embeds it. Cross-validation leaves one file out at a time, a file and its translation
(part-a.jsonl, part-a-en.jsonl) together, so no question is judged by a model trained on its own translation; the
report gives that accuracy beside the patterns' own.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant import learned
from assistant.answerability.train import EMBEDDER, search_text
from assistant.language import detect_language
from assistant.question import analyse, question_kind
from assistant.question_kind.reader import EMBEDDING_SCALE, HERE, LABELS, MODEL_PATH, features

LABELLED = HERE / "labelled"
REPORT = HERE / "report.md"
HIDDEN = (32,)
ALPHA = 3.0


def load(paths: list[Path]) -> list[dict]:
    rows, seen = [], set()
    for path, n, item in learned.read_jsonl(paths):
        if item.get("kind") not in LABELS or not isinstance(item.get("q"), str) or not item["q"].strip():
            raise SystemExit(f"{path}:{n}: a line needs q and a kind in {LABELS}")
        if item["q"] in seen:
            continue
        seen.add(item["q"])
        rows.append({"group": path.stem.removesuffix("-en"), "question": item["q"], "label": item["kind"],
                     "lang": detect_language(item["q"])})
    return rows


def matrix(rows: list[dict]) -> np.ndarray:
    from ingest.embeddings import get_embedder

    embedder = get_embedder(*EMBEDDER)
    out = []
    for r in rows:
        q = analyse(r["question"])
        qvec = embedder.get_query_embedding(search_text(q.query))
        out.append(features(q.text, qvec, EMBEDDING_SCALE))
    return np.stack(out)


def main(argv: list[str] | None = None) -> int:
    args = learned.arguments(__doc__, MODEL_PATH, REPORT, argv)
    rows = load(sorted(LABELLED.glob("*.jsonl")))
    X = matrix(rows)
    patterns = np.mean([question_kind(analyse(r["question"]).text) == r["label"] for r in rows])
    learned.train(X, rows, LABELS, hidden=HIDDEN, alpha=ALPHA, folds=len({r["group"] for r in rows}), target_precision={},
                  out=args.out, report_path=args.report, unit="questions",
                  title="# Question-kind reader: training report\n\nWritten by `make train` "
                        f"(assistant/question_kind/train.py). The patterns alone: accuracy {patterns:.3f}. Folds: "
                        "one labelled file each (a file and its translation together), not organisations.",
                  data=f"{len(rows)} labelled questions",
                  embedder=np.asarray(":".join(EMBEDDER)), embedding_scale=np.float32(EMBEDDING_SCALE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
