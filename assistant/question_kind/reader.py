"""The question's kind, learned (issue 14, item 3): "permission" (may I …?), "factual" (a yes/no question about a
fact, the scope or a duty) or "info" (who, what, when, how …). The patterns of `assistant.question.question_kind`
miss the ways people type a yes/no question: after a statement ("Ett system har klassats som oacceptabel risk. Kan
det ändå tas i drift?"), after a condition without a comma ("så om AI:n hittar på en siffra kan jag skylla på den?").

A small learned model reads the question's embedding (the vector the search uses anyway, so reading costs no extra
embedding) with lexical features: what each pattern of the domain file's [question] section finds, the patterns'
own verdict, where the last question sentence starts, its length. Trained by `make train` (train.py) from
`labelled/*.jsonl`: questions labelled by kind, never taken from the unseen test split. The model stores the
embedding model its vectors came from; with another model the patterns decide alone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.learned import Network
from assistant.question import _ASKS_PERMISSION_TOO, _INFO_START, FACTUAL, PERMISSION, question_kind

HERE = Path(__file__).resolve().parent
MODEL_PATH = HERE / "model.npz"
LABELS = ("permission", "factual", "info")
EMBEDDING_SCALE = 0.3
_MODAL_OPENING = re.compile(r"^\W*(?:\w+\s+){0,1}(får|kan|må|går|is|can|may|could|am|are)\b", re.I)
_DUTY_OPENING = re.compile(r"^\W*(?:\w+\s+){0,1}(måste|behöver|ska|bör|must|should|do|does|need)\b", re.I)


def last_sentence(text: str) -> str:
    """The last sentence, up to its question mark if it has one ("… behöver det. Kan det ändå tas i drift?")."""
    text = text.rstrip()
    end = text.rfind("?")
    end = len(text) if end < 0 else end + 1
    start = max(text.rfind(mark, 0, end - 1) for mark in ".!?") + 1
    return text[start:end]


def lexical(text: str) -> list[float]:
    """What the patterns read, over the whole question and over its last sentence."""
    last = last_sentence(text)
    rule = question_kind(text)
    out = [float(rule == k) for k in LABELS]
    for part in (text, last):
        out += [float(bool(p.search(part))) for p in (PERMISSION, FACTUAL, _INFO_START, _ASKS_PERMISSION_TOO)]
        out += [float(bool(_MODAL_OPENING.search(part))), float(bool(_DUTY_OPENING.search(part)))]
    out += [float(text.count("?")), float(len(text) > 120), float(len(last) < len(text) * 0.7)]
    return out


def features(text: str, qvec, embedding_scale: float = EMBEDDING_SCALE) -> np.ndarray:
    qv = np.asarray(qvec, dtype=np.float32)
    qv = qv / max(float(np.linalg.norm(qv)), 1e-9)
    return np.concatenate([np.asarray(lexical(text), dtype=np.float32), qv * embedding_scale]).astype(np.float32)


class KindReader:
    def __init__(self, model_path: Path = MODEL_PATH):
        self.network = Network(model_path, "question-kind reader")
        self.embedder = str(self.network.data["embedder"])
        self.scale = float(self.network.data["embedding_scale"])

    def read(self, text: str, qvec) -> str:
        p = self.network.probabilities(features(text, qvec, self.scale))
        return self.network.labels[int(np.argmax(p))]


@lru_cache(maxsize=1)
def get_kind_reader() -> KindReader:
    return KindReader()
