"""Sentence spans and vectors of every passage: the unit quotes are made of, and a sharper dense signal
than a whole passage (a chunk mixes several rules; the question usually matches one of them).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ingest.sentences import split_spans
from ingest.embeddings import EmbeddingCache

if TYPE_CHECKING:
    from assistant.retrieval import Passage


@dataclass
class Sentence:
    passage: "Passage"
    start: int             # span in the passage text
    end: int
    vector: np.ndarray

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]

    @property
    def reading(self) -> dict | None:
        """What the rule reader read from this sentence at ingest (None for a store written before it existed)."""
        for r in self.passage.rules:
            if r["start"] == self.start and r["end"] == self.end:
                return r
        return None

    def lead_in(self) -> str:
        """The list lead-in ("Det innebär att:") a list item continues, when the item alone would mislead."""
        before = self.passage.text[:self.start].rstrip()
        if before.endswith(":"):
            return ""
        spans = split_spans(self.passage.text[:self.start])
        for s, e in reversed(spans):
            piece = self.passage.text[s:e].rstrip()
            if piece.endswith(":"):
                return piece
            if piece.endswith((".", "!", "?")):
                break
        if not spans and self.passage.context:
            return self.passage.context
        return ""


class SentenceIndex:
    """Sentence spans and vectors of every passage in the current store generation (cached on disk)."""

    def __init__(self, embedder, cache_path):
        self.embedder = embedder
        self.cache_path = cache_path
        self._lock = threading.Lock()
        self._generation = None
        self._by_passage: dict[str, list[Sentence]] = {}

    def load(self, generation_name: str, passages: dict[str, "Passage"]) -> None:
        with self._lock:
            if generation_name == self._generation:
                return
            spans = {pid: [(s, e) for s, e in split_spans(p.text)] for pid, p in passages.items()}
            texts = [embed_text(passages[pid].text[s:e]) for pid, items in spans.items() for s, e in items]
            cache = EmbeddingCache(self.cache_path)
            try:
                vectors = np.asarray(cache.embed(self.embedder, texts), dtype=np.float32) if texts else np.zeros((0, 1))
            finally:
                cache.close()
            if len(vectors):
                vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            index, k = {}, 0
            for pid, items in spans.items():
                index[pid] = [Sentence(passages[pid], s, e, vectors[k + i]) for i, (s, e) in enumerate(items)]
                k += len(items)
            self._by_passage, self._generation = index, generation_name

    def best(self, passage_id: str, query: np.ndarray) -> float:
        """The highest cosine similarity between the (normalised) query and one of the passage's sentences."""
        sentences = self._by_passage.get(passage_id)
        if not sentences:
            return -1.0
        return float(max(s.vector @ query for s in sentences))

    def following(self, passage: "Passage") -> list[Sentence]:
        """The sentences of the document's next passage (chunks are numbered in reading order: "key::7", "key::8"),
        where a list or paragraph cut at the chunk's end goes on."""
        key, _, n = passage.id.rpartition("::")
        return list(self._by_passage.get(f"{key}::{int(n) + 1}", [])) if n.isdigit() else []

    def of(self, passage: "Passage") -> list[Sentence]:
        base = self._by_passage.get(passage.id, [])
        # Passages from a search carry their own score; the sentence keeps pointing at that copy.
        return [Sentence(passage, s.start, s.end, s.vector) for s in base]


def embed_text(sentence: str) -> str:
    return " ".join(sentence.split())


