"""The store's schema and its atomic generations in Chroma.

Every ingest that changes something writes a complete new *generation* (a chunk collection and a text
collection) and then flips one pointer; readers follow the pointer. A crash or bad file before the flip
leaves the previous generation serving. The previous generation is kept one round, so a process that
is still answering from it does not lose its collection mid-question.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from ingest.errors import IngestError, StoreDamaged, StoreError

SCHEMA_VERSION = 1
# Chunk metadata keys every reader may rely on.
META_KEYS = ("document", "context", "title", "organisation", "binding", "doc_type", "section", "start", "end", "chunk_index")
# Written since document versions exist; a chunk without them is the only version of its document, always in force.
VERSION_KEYS = ("doc_key", "version", "valid_from", "valid_to")


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
    def versions(self) -> dict:
        """Every stored version, by store key (the document id, or `id@version`)."""
        return self.registry.get("documents", {})

    @property
    def documents(self) -> dict:
        """One record per document id (the version in force today, else the newest): for readers that know
        nothing of versions. Version-aware code reads `versions`."""
        from datetime import date

        from ingest.versions import one_per_document

        versions = self.versions
        if all("@" not in k for k in versions):
            return versions
        return one_per_document(versions, date.today())

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

    def publish(self, name: str, registry: dict, based_on: str | None = None) -> None:
        """Seal a generation with its registry and make it the one readers see. `based_on` is the generation the
        writer read at the start: if another writer has moved the pointer since, nothing is flipped (a lost update
        would drop that writer's documents)."""
        registry = {**registry, "schema": SCHEMA_VERSION}
        chunks, _ = self.collections(name)
        chunks.modify(metadata={"registry": json.dumps(registry, ensure_ascii=False)})
        pointer = self._pointer()
        previous = (pointer.metadata or {}).get("current", "")
        if based_on is not None and previous != based_on:
            raise StoreError(f"the store changed while this ingest ran (now {previous or 'empty'}); run the ingest again")
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


# -- the writer lock: one ingest at a time per store -----------------------------------------------------
LOCK_BEAT = 10.0       # seconds between heartbeats of a held server lock
LOCK_STALE = 60.0      # a server lock without a heartbeat for this long belongs to a dead writer


@contextlib.contextmanager
def writer_lock(settings, store: "Store", wait: float):
    """Hold the store's writer lock, waiting up to `wait` seconds for another writer to finish.

    An embedded store lives in one data directory, so a file lock there is enough (and the kernel frees it when a
    writer dies). A Chroma server is shared by processes on several machines, so the lock is a collection on the
    server: creating a collection that exists fails on the server, which makes the create an atomic test-and-set.
    The holder refreshes a heartbeat; a lock whose heartbeat stopped (a writer killed mid-ingest) is taken over."""
    if not settings.chroma_host:
        with _file_lock(settings.data_dir / "ingest.lock", wait):
            yield
        return
    with _server_lock(store, wait):
        yield


@contextlib.contextmanager
def _file_lock(path, wait: float):
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestError("another ingest is running on this data directory; try again when it has finished") from None
                time.sleep(0.2)
        yield


@contextlib.contextmanager
def _server_lock(store: "Store", wait: float):
    name = f"{store.prefix}-writer-lock"
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + wait
    while True:
        try:
            store.client.create_collection(name, metadata={"owner": me, "beat": time.time()}, embedding_function=None)
            break
        except Exception as exc:
            if not _exists_error(exc):
                raise store.failure(exc) from None
        _break_if_stale(store, name)
        if time.monotonic() >= deadline:
            raise IngestError(f"another ingest is writing to the Chroma server at {where(store.settings)}; "
                              "try again when it has finished")
        time.sleep(0.25)
    stop = threading.Event()

    def beat():
        while not stop.wait(LOCK_BEAT):
            with contextlib.suppress(Exception):
                col = store.client.get_collection(name, embedding_function=None)
                if (col.metadata or {}).get("owner") == me:
                    col.modify(metadata={"owner": me, "beat": time.time()})
    thread = threading.Thread(target=beat, name="ingest-lock-beat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            col = store.client.get_collection(name, embedding_function=None)
            if (col.metadata or {}).get("owner") == me:
                store.client.delete_collection(name)


def _exists_error(exc: BaseException) -> bool:
    return "already exists" in str(exc).lower() or type(exc).__name__ in ("UniqueConstraintError", "InternalError") and "exist" in str(exc).lower()


def _break_if_stale(store: "Store", name: str) -> None:
    with contextlib.suppress(Exception):
        col = store.client.get_collection(name, embedding_function=None)
        beat = float((col.metadata or {}).get("beat", 0))
        if time.time() - beat > LOCK_STALE:
            store.client.delete_collection(name)
