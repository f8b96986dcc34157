"""The store's schema and its atomic generations in Chroma.

Every ingest that changes something writes a complete new *generation* (a chunk collection and a text
collection) and then flips one pointer; readers follow the pointer. A crash or bad file before the flip
leaves the previous generation serving. The previous generation is kept one round, so a process that
is still answering from it does not lose its collection mid-question.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from ingest.errors import StoreDamaged, StoreError

SCHEMA_VERSION = 1
# Chunk metadata keys every reader may rely on.
META_KEYS = ("document", "context", "title", "organisation", "binding", "doc_type", "section", "start", "end", "chunk_index")


REBUILD = "rebuild it with `policy-assistant ingest --rebuild`"


def where(settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.store_dir)


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def connect(settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.store_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.store_dir), settings=chroma_settings)
    except Exception as exc:
        if settings.chroma_host:
            raise StoreError(f"cannot reach the Chroma server at {where(settings)} ({one_line(exc)}); is it running?") from None
        raise StoreDamaged(f"cannot open the Chroma store at {where(settings)} ({one_line(exc)}); if it is damaged, "
                           f"{REBUILD}") from None


@dataclass
class Generation:
    name: str
    chunks: Any       # chromadb Collection of chunks (one record per chunk)
    texts: Any        # chromadb Collection of whole documents (repaired and raw text)
    registry: dict    # {"documents": {...}, "organisations": {...}, "embed_model": ..., "embed_dim": ...}

    @property
    def documents(self) -> dict:
        return self.registry.get("documents", {})

    @property
    def organisations(self) -> dict:
        return self.registry.get("organisations", {})


class Store:
    def __init__(self, settings, client: Any = None):
        self.settings = settings
        self.client = client or connect(settings)
        self.prefix = settings.collection_prefix

    def failure(self, exc: BaseException) -> StoreError:
        """The error to raise for a failed store operation: the server is away, or the store is damaged."""
        if self.settings.chroma_host:
            try:
                self.client.heartbeat()
            except Exception:
                return StoreError(f"the Chroma server at {where(self.settings)} does not answer ({one_line(exc)}); "
                                  "start it again, then retry")
        return StoreDamaged(f"the store at {where(self.settings)} is damaged ({one_line(exc)}); {REBUILD}")

    # -- pointer -----------------------------------------------------------------------------------
    def _pointer(self):
        return self.client.get_or_create_collection(f"{self.prefix}-pointer", metadata={"current": "", "previous": ""}, embedding_function=None)

    def current_name(self) -> str:
        try:
            return (self._pointer().metadata or {}).get("current", "")
        except Exception as exc:
            raise self.failure(exc) from None

    def current(self) -> Generation | None:
        name = self.current_name()
        if not name:
            return None
        try:
            chunks = self.client.get_collection(f"{name}-chunks", embedding_function=None)
            texts = self.client.get_collection(f"{name}-texts", embedding_function=None)
            registry = json.loads((chunks.metadata or {})["registry"])
        except Exception as exc:
            raise self.failure(exc) from None
        if registry.get("schema") != SCHEMA_VERSION:
            raise StoreDamaged(f"the store was written by another version; {REBUILD}")
        return Generation(name, chunks, texts, registry)

    # -- writing -----------------------------------------------------------------------------------
    def create_generation(self) -> str:
        name = f"{self.prefix}-g{time.time_ns()}"
        for suffix in ("chunks", "texts"):
            self.client.create_collection(f"{name}-{suffix}", metadata={"hnsw:space": "cosine"}, embedding_function=None)
        return name

    def collections(self, name: str) -> tuple[Any, Any]:
        return (self.client.get_collection(f"{name}-chunks", embedding_function=None),
                self.client.get_collection(f"{name}-texts", embedding_function=None))

    def publish(self, name: str, registry: dict) -> None:
        """Seal a generation with its registry and make it the one readers see."""
        registry = {**registry, "schema": SCHEMA_VERSION}
        chunks, _ = self.collections(name)
        chunks.modify(metadata={"registry": json.dumps(registry, ensure_ascii=False)})
        pointer = self._pointer()
        previous = (pointer.metadata or {}).get("current", "")
        pointer.modify(metadata={"current": name, "previous": previous})
        self.drop_stale()

    def drop_stale(self) -> None:
        """Delete generations that are neither current nor previous (including ones a crash left behind)."""
        meta = self._pointer().metadata or {}
        keep = {meta.get("current", ""), meta.get("previous", "")}
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            base = name.rsplit("-", 1)[0]
            if name.startswith(f"{self.prefix}-g") and base not in keep:
                try:
                    self.client.delete_collection(name)
                except Exception:
                    pass  # another process may be doing the same; harmless
