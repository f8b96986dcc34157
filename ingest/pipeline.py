"""Ingest: documents in, a new store generation out (incremental, idempotent, atomic)."""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, asdict
from pathlib import Path

from ingest.embeddings import EmbeddingCache, get_embedder
from ingest.errors import IngestError, StoreDamaged, StoreError
from ingest.loaders import document_title, load_text
from ingest.manifest import GENERAL, DOC_TYPES, DocumentInfo, Manifest, Organisation, load_corpus_manifest
from ingest.versions import doc_id_of, split_key
from ingest.repair import repair_text
from ingest.store import Store, writer_lock
from ingest.structure import chunk_text, clean_layout

PIPELINE_VERSION = 10  # bump when cleaning, repair or chunking changes: every document is then re-processed


@dataclass
class DocOverrides:
    """Metadata from CLI flags for files that have no manifest entry."""
    organisation: str | None = None
    organisation_name: str | None = None
    title: str | None = None
    doc_type: str | None = None
    binding: bool | None = None
    doc_id: str | None = None       # instead of the file stem (one file only)
    contact: str | None = None      # whom the organisation's employees ask (shown in the chat and in refusals)


@dataclass
class Prepared:
    info: DocumentInfo
    source: str            # "corpus" or the file's path
    raw: str
    digest: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    generation: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed; {self.chunks} chunks in store ({self.embedded} embedded) in {self.seconds:.1f} s")


def doc_id_for(path: Path) -> str:
    slug = slugify(path.stem)
    if not slug:
        raise IngestError(f"{path}: cannot derive a document id from the file name")
    return slug


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_ids(prepared: list["Prepared"], old_docs: dict) -> None:
    """Document ids are global in the store, so one organisation's file must never replace another's document
    (two municipalities both call their file policy.pdf). A clash is refused, naming the way out."""
    seen: dict[str, Prepared] = {}
    owners = {doc_id_of(key, rec): rec.get("info", {}).get("organisation") for key, rec in old_docs.items()}
    for p in prepared:
        other = seen.get(p.info.key)
        if other is not None and other.source != p.source:
            raise IngestError(f"two files give the document id '{p.info.id}' ({other.source}, {p.source}); "
                              "rename one or ingest it alone with --id")
        seen[p.info.key] = p
        owner = owners.get(p.info.id)
        if owner is not None and owner != p.info.organisation:
            raise IngestError(f"document id '{p.info.id}' already belongs to organisation '{owner}'; give this file "
                              f"another id with --id (for example {p.info.organisation}-{p.info.id}), or remove the "
                              f"other first with --remove {p.info.id}")


def _digest(raw: str, info: DocumentInfo, settings) -> str:
    # Version fields count only when set, so documents without versions keep their digests (no re-ingest).
    meta = {k: v for k, v in asdict(info).items() if k != "path" and not (k in ("version", "valid_from", "valid_to") and not v)}
    from ingest.rules.reader import fingerprint

    key = json.dumps([PIPELINE_VERSION, fingerprint(), raw, meta, settings.chunk_tokens, settings.chunk_max_tokens],
                     ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _targets(settings, manifest: Manifest, paths: list[Path] | None, overrides: DocOverrides) -> tuple[list[tuple[DocumentInfo, str]], dict]:
    """(document info, source) for each document to ingest, and organisations declared by flags."""
    declared: dict[str, Organisation] = {}
    if not paths:
        return [(info, "corpus") for info in manifest.documents.values()], declared
    out = []
    by_path = {info.path.resolve(): info for info in manifest.documents.values() if info.path}
    for path in paths:
        path = Path(path)
        info = by_path.get(path.resolve()) or manifest.documents.get(doc_id_for(path))
        if info is not None and not overrides.organisation:
            out.append((DocumentInfo(**{**asdict(info), "path": path}), "corpus" if path.resolve() == (info.path or path).resolve() else str(path.resolve())))
            continue
        if not overrides.organisation:
            raise IngestError(f"{path}: not in the manifest; give --organisation ID (and --title) for it")
        if overrides.doc_id is not None and (len(paths) != 1 or slugify(overrides.doc_id) != overrides.doc_id
                                             or not overrides.doc_id):
            raise IngestError("--id takes one file and an id of lower-case letters, digits and hyphens")
        org = overrides.organisation
        if org not in manifest.organisations:
            if not overrides.organisation_name:
                known = ", ".join(sorted(manifest.organisations))
                raise IngestError(f"unknown organisation '{org}' (known: {known}); add it to corpus/manifest.toml or pass --organisation-name")
            declared[org] = Organisation(org, overrides.organisation_name, overrides.contact or "")
        elif overrides.contact or overrides.organisation_name:   # a flag updates what the manifest says
            known = manifest.organisations[org]
            declared[org] = Organisation(org, overrides.organisation_name or known.name, overrides.contact or known.contact)
        doc_type = overrides.doc_type or "policy"
        if doc_type not in DOC_TYPES:
            raise IngestError(f"unknown document type '{doc_type}' (known: {', '.join(DOC_TYPES)})")
        out.append((DocumentInfo(
            id=overrides.doc_id or doc_id_for(path), title=overrides.title or document_title(path) or path.stem, organisation=org, type=doc_type,
            binding=overrides.binding if overrides.binding is not None else org != GENERAL, path=path,
        ), str(path.resolve())))
    return out, declared


def _open_store(settings, rebuild: bool):
    """The store and its current generation. A damaged store is an error, except for a rebuild, which starts a new
    one: an embedded store is moved aside (kept, not deleted), a server's damaged pointer is replaced."""
    store = None
    try:
        store = Store(settings)
        return store, store.current()
    except StoreDamaged:
        if not rebuild:
            raise
    if store is not None and not settings.chroma_host:
        with contextlib.suppress(Exception):
            store.client.close()      # chromadb keeps one system per path: let go of the damaged one
    if settings.chroma_host:
        store = Store(settings)
        for col in store.client.list_collections():       # the pointer itself may be what is damaged
            name = col if isinstance(col, str) else col.name
            if name == f"{store.prefix}-pointer":
                store.client.delete_collection(name)
        return store, None
    aside = settings.store_dir.with_name(f"{settings.store_dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    settings.store_dir.rename(aside)
    _forget_chroma_system(settings.store_dir)
    print(f"The damaged store was moved to {aside} (delete it when the rebuild is fine); documents ingested from "
          "outside the corpus must be ingested again.", file=sys.stderr)
    return Store(settings), None


def _forget_chroma_system(path: Path) -> None:
    """chromadb keeps one system per store path for the process, also one that failed to start; drop it."""
    with contextlib.suppress(Exception):
        from chromadb.api.shared_system_client import SharedSystemClient

        system = SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
        if system is not None:
            with contextlib.suppress(Exception):
                system.stop()


def process_document(raw: str, info: DocumentInfo, embedder, settings) -> tuple[str, list, dict]:
    """Clean, repair and chunk one document. Returns (repaired text, chunks, text-quality record)."""
    cleaned = clean_layout(raw)
    result = repair_text(cleaned, force=info.ocr)
    text = result.text + info.decision_facts()
    max_tokens = min(settings.chunk_max_tokens, getattr(embedder, "max_tokens", 512) - 16)
    header = lambda c: f"{info.title}\n{c.section_path}\n" + (f"{c.context}\n" if c.context else "")  # noqa: E731
    count = lambda text: embedder.token_count(text)  # noqa: E731
    chunks = chunk_text(text, count, min(settings.chunk_tokens, max_tokens), max_tokens)
    quality = {
        "ocr": result.is_ocr, "repairs": len(result.repairs),
        "oov_before": round(result.oov_before, 4), "oov_after": round(result.oov_after, 4),
        "context_repairs": [[" ".join(c.original.split()), c.replacement, c.context] for c in result.context_repairs],
        "max_chunk_tokens": max((count(header(c) + c.text) for c in chunks), default=0),
        "token_limit": getattr(embedder, "max_tokens", 512),
    }
    quality["repair_sample"] = [[r.original, r.replacement] for r in result.repairs[:400]]
    return text, [(c, header(c) + c.text) for c in chunks], quality


def ingest(settings, paths: list[Path] | None = None, overrides: DocOverrides | None = None,
           rebuild: bool = False, remove: list[str] | None = None, progress: bool = True) -> IngestReport:
    started = time.perf_counter()
    overrides = overrides or DocOverrides()
    manifest = load_corpus_manifest(settings)
    targets, declared = _targets(settings, manifest, paths, overrides)

    # Read and hash every input before touching the store: a bad file must change nothing.
    prepared: list[Prepared] = []
    for info, source in targets:
        raw = load_text(info.path)
        prepared.append(Prepared(info, source, raw, _digest(raw, info, settings)))

    embedder = get_embedder(settings.embedding_backend, settings.embedding_model)
    # One writer at a time per store (a shared Chroma server included); others wait their turn.
    lock_store = Store(settings) if settings.chroma_host else None
    with writer_lock(settings, lock_store, settings.ingest_lock_wait):
        store, current = _open_store(settings, rebuild)
        if current and current.registry.get("embed_model") != embedder.model_name and not rebuild:
            raise StoreError(f"the store was built with {current.registry.get('embed_model')}, the settings ask for "
                             f"{embedder.model_name}; rebuild it with `policy-assistant ingest --rebuild`")
        old_docs = dict(current.versions) if current else {}
        report = IngestReport()

        check_ids(prepared, old_docs)
        wanted = {p.info.key: p for p in prepared}
        # A document id removes every version of it; `id@version` removes that version.
        removed = {key for r in remove or [] for key in old_docs if key == r or ("@" not in r and split_key(key)[0] == r)}
        unknown = {r for r in remove or [] if not any(key == r or ("@" not in r and split_key(key)[0] == r) for key in old_docs)}
        if unknown:
            raise IngestError(f"cannot remove unknown document(s): {', '.join(sorted(unknown))}")
        if not paths:  # a corpus run deletes corpus documents that left the manifest
            removed |= {d for d, rec in old_docs.items() if rec.get("source") == "corpus" and d not in wanted}
        if rebuild and current:  # re-process everything kept from its stored raw text
            for doc_id, rec in old_docs.items():
                if doc_id in wanted or doc_id in removed:
                    continue
                raw = current.texts.get(ids=[f"{doc_id}::raw"], include=["documents"])["documents"][0]
                info = DocumentInfo(**{k: v for k, v in rec["info"].items()})
                wanted[doc_id] = Prepared(info, rec["source"], raw, _digest(raw, info, settings))

        to_write = {d: p for d, p in wanted.items() if rebuild or old_docs.get(d, {}).get("digest") != p.digest}
        keep = [d for d in old_docs if d not in removed and d not in to_write]
        report.unchanged = sorted(d for d in keep if d in wanted)
        report.added = sorted(d for d in to_write if d not in old_docs)
        report.updated = sorted(d for d in to_write if d in old_docs)
        report.removed = sorted(removed)
        new_orgs = {o.id: asdict(o) for o in declared.values()}
        if not report.changed and not rebuild and all(o in (current.organisations if current else {}) for o in new_orgs):
            report.chunks = current.chunks.count() if current else 0
            report.generation = current.name if current else ""
            report.seconds = time.perf_counter() - started
            return report

        name = store.create_generation()
        chunks_col, texts_col = store.collections(name)
        if current:
            _copy_documents(current, chunks_col, texts_col, keep)
        registry_docs = {d: old_docs[d] for d in keep}
        _write_documents(settings, embedder, chunks_col, texts_col, list(to_write.values()), registry_docs, report, progress)
        organisations = {**(current.organisations if current else {}),
                         **{o.id: asdict(o) for o in manifest.organisations.values()}, **new_orgs}
        store.publish(name, {"documents": registry_docs, "organisations": organisations,
                             "embed_model": embedder.model_name, "embed_dim": _dim(chunks_col),
                             "created": time.strftime("%Y-%m-%dT%H:%M:%S")},
                      based_on=current.name if current else "")
        report.chunks = chunks_col.count()
        report.generation = name
    report.seconds = time.perf_counter() - started
    return report


def _dim(collection) -> int:
    got = collection.get(limit=1, include=["embeddings"])
    emb = got.get("embeddings")
    return int(len(emb[0])) if emb is not None and len(emb) else 0


def _copy_documents(current, chunks_col, texts_col, keys: list[str]) -> None:
    for key in keys:
        for src, dst in ((current.chunks, chunks_col), (current.texts, texts_col)):
            got = src.get(where={"doc_key": key}, include=["embeddings", "documents", "metadatas"])
            if not got["ids"] and "@" not in key:
                # Written before versions existed: no doc_key, and the only version of its document.
                got = src.get(where={"document": key}, include=["embeddings", "documents", "metadatas"])
                keep = [i for i, m in enumerate(got["metadatas"]) if "doc_key" not in (m or {})]
                got = {f: [got[f][i] for i in keep] for f in ("ids", "embeddings", "documents", "metadatas")}
            if got["ids"]:
                dst.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=got["metadatas"])


def _write_documents(settings, embedder, chunks_col, texts_col, docs: list[Prepared], registry: dict,
                     report: IngestReport, progress: bool) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore
    from tqdm import tqdm

    processed = []
    for p in docs:
        text, chunks, quality = process_document(p.raw, p.info, embedder, settings)
        processed.append((p, text, chunks, quality))
    total = sum(len(c) for _, _, c, _ in processed)
    cache = EmbeddingCache(settings.embedding_cache_path)
    bar = tqdm(total=total, desc="Embedding", unit="chunk", disable=not progress or total == 0, file=sys.stderr)
    vector_store = ChromaVectorStore(chroma_collection=chunks_col)
    try:
        for p, text, chunks, quality in processed:
            vectors = cache.embed(embedder, [embed_text for _, embed_text in chunks], progress=bar)
            report.embedded += len(chunks)
            readings = read_rules([chunk.text for chunk, _ in chunks], settings.embedding_cache_path)
            nodes = []
            key = p.info.key
            versioning = {"doc_key": key, "version": p.info.version, "valid_from": p.info.valid_from, "valid_to": p.info.valid_to}
            for i, ((chunk, _), vec) in enumerate(zip(chunks, vectors)):
                nodes.append(TextNode(
                    id_=f"{key}::{i}", text=chunk.text, embedding=vec,
                    metadata={"document": p.info.id, "context": chunk.context, "title": p.info.title, "organisation": p.info.organisation,
                              "binding": p.info.binding, "doc_type": p.info.type, "section": chunk.section_path,
                              "start": chunk.start, "end": chunk.end, "chunk_index": i, **versioning,
                              "rules": json.dumps(readings[i], ensure_ascii=False, separators=(",", ":"))},
                ))
            if nodes:
                vector_store.add(nodes)
            mean = _mean(vectors) if vectors else [0.0] * _dim(chunks_col)
            base = {"document": p.info.id, "title": p.info.title, "organisation": p.info.organisation, **versioning}
            texts_col.add(ids=[f"{key}::text", f"{key}::raw"], embeddings=[mean, mean],
                          documents=[text, p.raw], metadatas=[{**base, "kind": "repaired"}, {**base, "kind": "raw"}])
            info = {k: v for k, v in asdict(p.info).items() if k != "path"}
            modalities = Counter(r["modality"] for rs in readings for r in rs)
            registry[key] = {"digest": p.digest, "source": p.source, "info": info, "chunks": len(nodes),
                                   "chars": len(text), "quality": quality, "rules": dict(sorted(modalities.items()))}
    finally:
        bar.close()
        cache.close()


def read_rules(chunk_texts: list[str], cache_path) -> list[list[dict]]:
    """Every sentence of every chunk read by the rule reader: [{start, end, modality, ...}] per chunk, spans in the
    chunk text. One batch per document, through the embedding cache (the same sentence vectors retrieval uses)."""
    from ingest.rules import get_reader
    from ingest.sentences import split_spans

    spans = [split_spans(t) for t in chunk_texts]
    flat = [t[s:e] for t, items in zip(chunk_texts, spans) for s, e in items]
    readings = iter(get_reader().read(flat, cache_path))
    return [[{"start": s, "end": e, **next(readings).as_dict()} for s, e in items] for items in spans]


def _mean(vectors: list[list[float]]) -> list[float]:
    import numpy as np

    m = np.mean(np.asarray(vectors, dtype=np.float32), axis=0)
    norm = float(np.linalg.norm(m)) or 1.0
    return (m / norm).tolist()
