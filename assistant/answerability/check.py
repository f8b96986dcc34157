"""Whether the documents found answer the question at all (issue 15: refusals that hold): "Vilken GPT-version kör
vi?" finds sentences about Copilot that share its words and its topic, and no single similarity threshold tells them
from sentences that answer. A small learned model reads the question against the sentences the search found.

Features: how close the closest sentences are (cosines), how many of the question's naming words (rare words:
"GPT-version", "servrar") the sentences use, whether a kind of answer asked for (a date, a length of time, a role)
appears at all, the question's kind, and the question's embedding and its product with the best sentence's (what is
asked of what is there). Trained by `make train` (train.py) from `labelled/*.jsonl`: made-up policy excerpts and
questions they do or do not answer; the threshold at which "not answered" is trusted is chosen for precision by
cross-validation and stored with the model, as is the embedding model the vectors came from (another model's
vectors mean nothing to it, so the check is off then).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.language import AI_DOMAIN, REQUIRED_ANSWER_TYPES
from assistant.learned import Network
from assistant.question import Question
from assistant.terms import specific_stems, stems

HERE = Path(__file__).resolve().parent
MODEL_PATH = HERE / "model.npz"
LABELS = ("answered", "not_answered")
TOP = 3                  # the closest sentences read closely


def features(q: Question, qvec: np.ndarray, texts: list[str], vectors: np.ndarray, embedding_scale: float) -> np.ndarray:
    """The (question, sentences found) pair as a feature vector; vectors are unit vectors of the same model."""
    qv = np.asarray(qvec, dtype=np.float32)
    qv = qv / max(float(np.linalg.norm(qv)), 1e-9)
    if not texts:
        texts, vectors = [""], np.zeros((1, len(qv)), dtype=np.float32)
    cos = np.asarray(vectors, dtype=np.float32) @ qv
    order = np.argsort(-cos)
    top = [int(i) for i in order[:TOP]]
    c = [float(cos[i]) for i in top] + [float(cos[top[-1]])] * (TOP - len(top))
    near = " ".join(texts[i] for i in top)
    everything = " ".join(texts)
    asked, named = stems(q.text), specific_stems(q.text, q.language)
    near_stems, all_stems = stems(near), stems(everything)
    types = [answer for ask, answer in REQUIRED_ANSWER_TYPES.values() if ask.search(q.text)]
    lexical = [
        *c, c[0] - c[-1], float(cos.mean()),
        len(asked & near_stems) / max(len(asked), 1), len(asked & all_stems) / max(len(asked), 1),
        float(len(named - all_stems)), len(named & all_stems) / max(len(named), 1), float(len(named)),
        float(bool(types)), float(bool(types) and any(a.search(near) for a in types)),
        float(bool(types) and all(a.search(everything) for a in types)),
        float(q.kind == "permission"), float(q.kind == "factual"), float(bool(AI_DOMAIN.search(q.query))),
        float(len(q.text) > 120),
    ]
    best = np.asarray(vectors[top[0]], dtype=np.float32)
    return np.concatenate([np.asarray(lexical, dtype=np.float32), qv * embedding_scale,
                           qv * best * embedding_scale]).astype(np.float32)


class AnswerabilityCheck:
    def __init__(self, model_path: Path = MODEL_PATH):
        self.network = Network(model_path, "answerability check")
        self.embedder = str(self.network.data["embedder"])
        self.scale = float(self.network.data["embedding_scale"])
        self.threshold = self.network.thresholds["not_answered"]

    def not_answered(self, q: Question, qvec, texts: list[str], vectors: np.ndarray) -> float:
        """The probability that the sentences do not answer the question."""
        p = self.network.probabilities(features(q, qvec, texts, vectors, self.scale))
        return float(p[self.network.labels.index("not_answered")])

    def refuses(self, q: Question, qvec, texts: list[str], vectors: np.ndarray) -> bool:
        return self.not_answered(q, qvec, texts, vectors) >= self.threshold


@lru_cache(maxsize=1)
def get_check() -> AnswerabilityCheck:
    return AnswerabilityCheck()
