"""The question's situation under one rule (issue 14, item 3): read against what the question states, does the rule
allow what is asked, forbid it, leave it depending on something the question does not say, or not speak to it?

"Får jag sammanfatta ett internt PM i Copilot Chat? Jag är inloggad med jobbkontot." under "Copilot Chat får användas
för intern information när du är inloggad med kommunkontot" is *allows*; "… inte inloggad …" is *forbids*; without
either it is *depends*. Negation is what words alone get wrong, so the features align the rule's condition with each
clause of the question and compare the negation on both sides.

A small learned model (a one-hidden-layer network in `model.npz`, trained by `make train` from the labelled pairs in `labelled/*.jsonl`, see
train.py) over the multilingual-e5 embeddings and lexical features; inference is numpy only. The thresholds at which
its "allows" and "forbids" are trusted are chosen by cross-validation at training time and stored with the model.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.learned import Network
from ingest.errors import PolicyAssistantError
from ingest.rules.reader import LEXICAL, condition_span, lexical_features

HERE = Path(__file__).resolve().parent
MODEL_PATH = HERE / "model.npz"
LABELS = ("allows", "forbids", "depends", "irrelevant")
# Where a question's statements part: each clause is matched against the rule's condition on its own, so that
# "inloggad med kommunkontot, men inte publicerat" keeps each negation with what it negates.
_JOIN = r"(?:och|men|utan|eftersom|fast|but|and|because|since|though)"
_CLAUSE = re.compile(rf"[.;:!?]++\s*+|,\s*+(?:{_JOIN}\s++)?|(?<!\s)\s++{_JOIN}\s++", re.I)   # linear: see test_regex_budget
_NEG = LEXICAL["negation"]
_STEM = re.compile(r"[a-zåäöéü0-9]{3,}", re.I)


def clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.split(text) if p and len(p.split()) >= 2]
    return parts or [text]


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in _STEM.findall(text)}


_WITHOUT = re.compile(r"\b(?:utan|without)\b", re.I)


def _negated(text: str) -> bool:
    return bool(_NEG.search(text) or _WITHOUT.search(text)) or "n't" in text.lower() or "n’t" in text.lower()


def condition_of(rule: str) -> str:
    span = condition_span(rule)
    return rule[span[0]:span[1]] if span else rule


def requirement_of(rule: str) -> str:
    """The rule without its condition clause: what it requires or allows ("All employees must complete the
    e-learning" of "… before they use Microsoft 365 Copilot")."""
    span = condition_span(rule)
    rest = (rule[:span[0]] + rule[span[1]:]).strip(" ,.;") if span else ""
    # A rule that is all condition ("Om du är inloggad med kommunkontot, får du …." reads to its end) is its own
    # requirement.
    return rest if len(rest.split()) >= 2 else rule


DENSE = ("cos_rule_question", "cos_condition_question", "best_clause", "second_clause", "aligned_same_negation",
         "aligned_other_negation", "condition_negated", "clause_negated", "question_negations", "overlap_rule",
         "overlap_condition", "has_condition_span", "best_requirement_clause", "requirement_same_negation",
         "requirement_other_negation")


def dense_features(rule: str, question: str, vec) -> np.ndarray:
    """The pair's alignment features; `vec(texts)` gives unit vectors."""
    cond, need = condition_of(rule), requirement_of(rule)
    parts = clauses(question)
    V = vec([rule, cond, need, question, *parts])
    r, c, n, q, P = V[0], V[1], V[2], V[3], V[4:]
    sims = P @ c
    needs = P @ n
    at = int(np.argmax(needs))
    same_need = _negated(need) == _negated(parts[at])
    order = np.argsort(-sims)
    best = float(sims[order[0]])
    second = float(sims[order[1]]) if len(order) > 1 else best
    best_clause = parts[int(order[0])]
    same = _negated(cond) == _negated(best_clause)
    rs, cs, qs = _stems(rule), _stems(cond), _stems(question)
    return np.asarray([
        float(r @ q), float(c @ q), best, second, best * same, best * (not same), float(_negated(cond)),
        float(_negated(best_clause)), float(len(_NEG.findall(question))), len(rs & qs) / max(len(rs), 1),
        len(cs & qs) / max(len(cs), 1), float(cond is not rule), float(needs[at]), float(needs[at]) * same_need,
        float(needs[at]) * (not same_need),
    ], dtype=np.float32)


def modality_of(rule: str, vec) -> np.ndarray:
    """The rule reader's modality distribution for the rule (what kind of rule it is), from the same vectors."""
    from ingest.rules.reader import get_reader as rule_reader

    reader = rule_reader()
    return reader.probabilities(np.concatenate([vec([rule])[0], lexical_features(rule) * reader.scale])[None])[0]


def pair_features(rule: str, question: str, vec, product_scale: float) -> np.ndarray:
    r, q = vec([rule, question])
    return np.concatenate([dense_features(rule, question, vec), lexical_features(rule), lexical_features(question),
                           modality_of(rule, vec), (r * q) * product_scale]).astype(np.float32)


def inputs_digest() -> str:
    """What the features are made from besides the embeddings and this module: the patterns and condition spans
    (ingest/rules/features.toml) and the rule reader's model (its modality is a feature), as the ingest cache keys
    them. Stored with the model when it is trained: a model trained on other features is refused, not read with
    features it never saw."""
    from ingest.rules.reader import fingerprint

    return fingerprint()


@dataclass(frozen=True)
class Situation:
    label: str                  # allows | forbids | depends | irrelevant
    probability: float
    trusted: bool               # above the threshold chosen for that label at training time

    @property
    def allows(self) -> bool:
        return self.trusted and self.label == "allows"

    @property
    def forbids(self) -> bool:
        return self.trusted and self.label == "forbids"


class SituationReader:
    """One per process (`get_reader`)."""

    def __init__(self, model_path: Path = MODEL_PATH):
        self.network = Network(model_path, "situation reader")
        data = self.network.data
        self.labels, self.thresholds = self.network.labels, self.network.thresholds
        self.product_scale = float(data["product_scale"])
        if [str(x) for x in data["lexical"]] != list(LEXICAL) or str(data.get("inputs", "")) != inputs_digest():
            raise PolicyAssistantError("ingest/rules/features.toml or the rule reader changed since the situation "
                                       "reader was trained; run `make train`")
        self.cache: Path | None = None

    def _embed(self, texts: tuple[str, ...]) -> np.ndarray:
        """Unit vectors from the rule reader's embedder (the same model; through an on-disk cache when set)."""
        from ingest.rules.reader import get_reader as rule_reader

        return rule_reader()._vectors(list(texts), self.cache)

    def vec(self, texts: list[str]) -> np.ndarray:
        flat = [" ".join(t.split()) for t in texts]
        missing = tuple(dict.fromkeys(t for t in flat if _cached(t) is None))
        if missing:
            for t, v in zip(missing, self._embed(missing)):
                _remember(t, v)
        return np.stack([_cached(t) for t in flat])

    def read(self, rule: str, question: str) -> Situation:
        p = self.network.probabilities(pair_features(rule, question, self.vec, self.product_scale))
        k = int(p.argmax())
        label = self.labels[k]
        return Situation(label, float(p[k]), float(p[k]) >= self.thresholds[label])


# Rules repeat from question to question: their vectors are kept (bounded), the question's are cheap to redo.
_VECTORS: dict[str, np.ndarray] = {}
_VEC_LOCK = threading.Lock()
MAX_CACHED = 20_000


def _cached(text: str):
    return _VECTORS.get(text)


def _remember(text: str, v: np.ndarray) -> None:
    with _VEC_LOCK:
        if len(_VECTORS) >= MAX_CACHED:
            _VECTORS.clear()
        _VECTORS[text] = v


@lru_cache(maxsize=1)
def get_reader() -> SituationReader:
    return SituationReader()
