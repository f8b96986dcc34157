"""Organisation-scoped hybrid retrieval: dense (Chroma via llama-index, sharpened by sentence vectors) + BM25 with
Swedish stemming, fused by a convex combination of normalised scores."""
from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from assistant.language import DEFINITION_QUESTION, asks_to_define, defined_terms, detect_language, expansion, expected_answers
from assistant.sentence_index import SentenceIndex
from assistant.terms import COMMON_ZIPF
from ingest.embeddings import get_embedder
from ingest.errors import PolicyAssistantError, StoreDamaged, StoreError
from ingest.manifest import FACTS_HEADING
from ingest.store import REBUILD, Generation, Store, where
from ingest.versions import in_force, key_for, today

# Convex fusion of min-max normalised scores: unlike reciprocal ranks it keeps how much better the best
# passage is, and a BM25 hit on a stray word ("AI") with a tiny score adds almost nothing.
DENSE_WEIGHT = {"sv": 0.6, "en": 0.6}   # an English question's lexical leg has only the Swedish glossary words
NON_BINDING_WEIGHT = 0.7  # general guidance supplements the organisation's own rules; it should not outrank them
PER_ORG_NORMALISATION = True
SENTENCE_WEIGHT = 0.3        # share of a passage's dense score that comes from its best sentence
NAMED_DOCUMENT_WEIGHT = 2.0  # "what does the checklist say about ..." asks for that document
# A passage that holds the kind of answer the question expects (a date for "when", a role for "who", a frequency
# for "how often", the definition of the term asked about) gains this much on the fused scale (the best is ~1).
ANSWER_TYPE_BONUS = 0.45
DENSE_K = 20
# How people refer to a kind of document, beyond the words of its title.
TYPE_WORDS = {
    "decision report": r"tjänsteskrivelse|beslutsunderlag|förslag|underlag|report|proposal",
    "guidance": r"handledning|vägledning|guide|guidance",
    # (a template names the checklist only as one for a policy: "mallen för AI-policy", not "en mall för beslut")
    "checklist": r"checklist|(?:mall|template)\w* (?:för|for) (?:en |an? )?(?:ai-)?polic|policymall|"
                 r"allmänna? vägledning|general guidance",
}
_TITLE_COMMON = {"policy", "kommun", "kommuns", "kommunen"}
# Where a title goes on to what the document is about: "… för …", "… om …", "Checklista: …".
_TITLE_SUBJECT = re.compile(r"\s(?:för|om|inom|i|for|on|of|about)\s|[:–]")
BM25_K = 20


@lru_cache(maxsize=256)
def _title_words(title: str, owner: str = "") -> frozenset[str]:
    """The words of a document's title that name it. The words before what the title is about name the document by
    its kind ("Tillfälliga regler för …": "reglerna"); after them, a common word names nothing ("AI-tjänster" in
    "Instruktion för AI-tjänster inom …" is in any question on AI services). Its organisation's name (`owner`, in
    any form: "Askersunds" for "Askersunds kommun") names no document of its own."""
    title = title.lower()
    head = _TITLE_SUBJECT.split(title, maxsplit=1)[0]
    names = [n for n in re.findall(r"[a-zåäöé]{4,}", owner.lower()) if n not in _TITLE_COMMON]
    return frozenset(w for w in re.findall(r"[a-zåäöé]{6,}", title) if w not in _TITLE_COMMON
                     and not any(w.startswith(n) or n.startswith(w) for n in names)
                     and (zipf_frequency(w, "sv") < COMMON_ZIPF or re.search(rf"\b{w}\b", head)))


@dataclass
class Passage:
    id: str
    text: str
    doc_id: str
    title: str
    organisation: str
    binding: bool
    doc_type: str
    section: str
    start: int
    end: int
    score: float = 0.0            # fused score (higher is better)
    dense: float = 0.0            # cosine similarity to the question (0 when only BM25 found it)
    bm25: float = 0.0
    context: str = ""             # lead-in of the list this passage continues
    rules: tuple = ()             # the rule reader's readings of its sentences (spans in `text`), read at ingest
    version: str = ""             # the document version this passage is from ("" when the document has one)
    valid_from: str = ""          # YYYY-MM-DD the version applies from ("" = always)
    valid_to: str = ""            # YYYY-MM-DD, the last day it applies ("" = until replaced)

    @property
    def doc_key(self) -> str:
        """The stored version's key (ingest/versions.py)."""
        return key_for(self.doc_id, self.version)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "doc_id", "title", "organisation", "binding", "doc_type",
                                              "section", "start", "end", "score", "dense", "bm25", "context", "text",
                                              "version", "valid_from", "valid_to")}


def fuse(dense: list[tuple[str, float]], sparse: list[tuple[str, float]], alpha: float) -> dict[str, float]:
    fused: dict[str, float] = {}
    if dense:
        lo, hi = min(s for _, s in dense), max(s for _, s in dense)
        for pid, s in dense:
            fused[pid] = alpha * ((s - lo) / (hi - lo) if hi > lo else 1.0)
    if sparse:
        top = max(s for _, s in sparse)
        for pid, s in sparse:
            fused[pid] = fused.get(pid, 0.0) + (1 - alpha) * (s / top if top > 0 else 0.0)
    return fused


class _BM25Index:
    def __init__(self, ids: list[str], texts: list[str]):
        import bm25s
        import Stemmer

        self.ids = ids
        self._stemmer = Stemmer.Stemmer("swedish")
        self._bm25s = bm25s
        self.index = bm25s.BM25()
        if texts:  # an organisation in scope may have no documents yet (e.g. no general guidance ingested)
            tokens = bm25s.tokenize(texts, stopwords="swedish", stemmer=self._stemmer, show_progress=False)
            self.index.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = self._bm25s.tokenize([query], stopwords="swedish", stemmer=self._stemmer, show_progress=False)
        if not tokens.ids or not tokens.ids[0] or not self.ids:
            return []
        # bm25s maps unknown words to an empty token; a question with no corpus words has no BM25 leg at all.
        docs, scores = self.index.retrieve(tokens, k=min(k, len(self.ids)), show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


class Retriever:
    """Reads the current store generation; reloads itself when an ingest publishes a new one."""

    def __init__(self, settings, store: Store | None = None):
        self.settings = settings
        self.store = store or Store(settings)
        self.embedder = get_embedder(settings.embedding_backend, settings.embedding_model)
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._passages: dict[str, Passage] = {}
        self._bm25: dict[tuple, _BM25Index] = {}
        self._answer_forms: dict[tuple, object] = {}   # (passage id, answer form) -> found, per store generation
        self._languages: dict[str, str] = {}           # organisation -> the language most of its passages are in
        self._scope_text: dict[tuple, tuple[str, frozenset[str]]] = {}
        self._force: tuple = ("", "", frozenset(), {})      # (generation, day, keys not in force, chunks per key)
        self._checked = 0.0
        self.sentences = SentenceIndex(self.embedder, settings.embedding_cache_path)
        self.refresh(force=True)

    # -- store state -------------------------------------------------------------------------------
    def normaliser(self):
        """Question normalisation over the current generation's vocabulary (None before the store is loaded)."""
        from assistant.normalise import for_generation

        if self._generation is None:
            return None
        return for_generation(self._generation.name,
                              (f"{p.title} {p.section} {p.text}" for p in self._passages.values()))

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < 2.0:
            return
        self._checked = now
        name = self.store.current_name()
        if self._generation is not None and name == self._generation.name:
            return
        generation = self.store.current()
        if generation is None:
            raise StoreError("the store is empty; run `policy-assistant ingest` first")
        if generation.registry.get("embed_model") != self.embedder.model_name:
            raise StoreError(f"the store was built with {generation.registry.get('embed_model')}, the settings ask for "
                             f"{self.embedder.model_name}; rebuild it with `policy-assistant ingest --rebuild`")
        try:
            got = generation.chunks.get(include=["documents", "metadatas"])
            self._probe(generation, len(got["ids"]))
        except StoreError:
            raise
        except Exception as exc:
            raise self.store.failure(exc) from None
        passages = {}
        for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            passages[pid] = Passage(pid, text, meta["document"], meta["title"], meta["organisation"], bool(meta["binding"]),
                                    meta["doc_type"], meta.get("section", ""), int(meta["start"]), int(meta["end"]),
                                    context=meta.get("context", ""), rules=tuple(json.loads(meta.get("rules") or "[]")),
                                    version=meta.get("version", ""), valid_from=meta.get("valid_from", ""),
                                    valid_to=meta.get("valid_to", ""))
        self.sentences.load(generation.name, passages)
        with self._lock:
            self._generation, self._passages, self._bm25, self._answer_forms = generation, passages, {}, {}
            self._languages = {}

    def _probe(self, generation: Generation, n_chunks: int) -> None:
        """One nearest-neighbour query, so a damaged vector index fails here, not as empty answers later."""
        dim = int(generation.registry.get("embed_dim") or 0)
        if not n_chunks or not dim:
            return
        got = generation.chunks.query(query_embeddings=[[1.0] + [0.0] * (dim - 1)], n_results=1, include=[])
        if not (got.get("ids") or [[]])[0]:
            raise StoreDamaged(f"the store at {where(self.settings)} is damaged (its vector index returns nothing); {REBUILD}")

    @property
    def generation(self) -> Generation:
        assert self._generation is not None
        return self._generation

    def organisations(self) -> dict:
        return self.generation.organisations

    def scope(self, organisation: str) -> list[str]:
        orgs = self.organisations()
        if organisation not in orgs:
            known = ", ".join(sorted(o for o in orgs if o != "general"))
            raise PolicyAssistantError(f"unknown organisation '{organisation}' (known: {known})")
        return sorted({organisation, "general"})

    # -- versions in force -------------------------------------------------------------------------
    def not_in_force(self) -> frozenset[str]:
        """Store keys of the versions not in force on the clock's day. Evaluated per question (cached per day and
        generation), so a version published ahead of time takes over on its date without a restart."""
        generation, day = self.generation, today(self.settings).isoformat()
        if self._force[:2] != (generation.name, day):
            versions = generation.versions
            current = set(in_force(versions, day).values())
            excluded = frozenset(k for k in versions if k not in current)
            self._force = (generation.name, day, excluded, {k: int(versions[k].get("chunks", 0)) for k in excluded})
        return self._force[2]

    def version_key(self, doc_id: str, version: str | None = None) -> str:
        """The store key of a document's version: the one named, else the one in force (else the newest)."""
        versions = self.generation.versions
        if version is not None:
            key = key_for(doc_id, version)
            if key not in versions:
                raise PolicyAssistantError(f"unknown version '{version}' of document '{doc_id}'")
            return key
        if doc_id in versions and "@" in doc_id:
            return doc_id
        key = in_force(versions, today(self.settings)).get(doc_id)
        if key is None:
            mine = sorted((r["info"].get("valid_from") or "", k) for k, r in versions.items()
                          if r["info"].get("id", k.partition("@")[0]) == doc_id)
            if not mine:
                raise PolicyAssistantError(f"unknown document '{doc_id}'")
            key = mine[-1][1]
        return key

    def document_text(self, doc_id: str, version: str | None = None) -> str:
        """A document's whole (repaired) text: the version in force, or the version named (also one that is not
        or no longer in force, for the workspace)."""
        key = self.version_key(doc_id, version) if self._generation is not None else doc_id
        try:
            got = self.generation.texts.get(ids=[f"{key}::text"], include=["documents"])
        except Exception as exc:
            raise self.store.failure(exc) from None
        if not got["ids"]:
            raise PolicyAssistantError(f"unknown document '{doc_id}'")
        return got["documents"][0]

    def _bm25_for(self, scope: tuple) -> _BM25Index:
        excluded = self.not_in_force()
        with self._lock:
            index = self._bm25.get((scope, excluded))
            if index is None:
                items = [(p.id, f"{p.title} {p.section} {p.context} {p.text}") for p in self._passages.values()
                         if p.organisation in scope and p.doc_key not in excluded]
                index = _BM25Index([i for i, _ in items], [t for _, t in items])
                self._bm25[(scope, excluded)] = index
            return index

    # -- search ------------------------------------------------------------------------------------
    def embed_query(self, question: str) -> list[float]:
        return self.embedder.get_query_embedding(question)

    def search_vector(self, question: str) -> list[float]:
        """The dense leg reads the question with the policies' own words for what it is about."""
        extra = expansion(question, detect_language(question))
        return self.embed_query(f"{question} ({extra})" if extra else question)

    def _sentence_aware(self, dense, sparse, vec) -> list[tuple[str, float]]:
        """A passage's dense score also counts its best-matching sentence; BM25-only candidates get one too."""
        if SENTENCE_WEIGHT == 0:
            return dense
        q = np.asarray(vec, dtype=np.float32)
        q /= max(float(np.linalg.norm(q)), 1e-9)
        passage_cos = dict(dense)
        floor = min(passage_cos.values()) if passage_cos else 0.0
        out = []
        for pid in dict.fromkeys([p for p, _ in dense] + [p for p, _ in sparse]):
            best = self.sentences.best(pid, q)
            whole = passage_cos.get(pid, floor)
            out.append((pid, (1 - SENTENCE_WEIGHT) * whole + SENTENCE_WEIGHT * max(best, whole - 0.05)))
        return out

    def _is_facts(self, pid: str) -> bool:
        base = self._passages.get(pid)
        return base is not None and base.section == FACTS_HEADING

    def language_of(self, organisation: str) -> str:
        """The language most of the organisation's passages are written in (cached per store generation)."""
        language = self._languages.get(organisation)
        if language is None:
            votes = Counter(detect_language(p.text) for p in self._passages.values() if p.organisation == organisation)
            language = self._languages[organisation] = votes.most_common(1)[0][0] if votes else "sv"
        return language

    def _answer_type_bonus(self, question: str, fused: dict[str, float]) -> None:
        """Candidates that hold the kind of answer the question expects move up (see language.ANSWER_TYPES)."""
        if ANSWER_TYPE_BONUS == 0:
            return
        expected = expected_answers(question)
        asks_definition = bool(DEFINITION_QUESTION.search(question))
        if not expected and not asks_definition:
            return
        for pid in fused:
            p = self._passages.get(pid)
            if p is None:
                continue
            if any(self._holds(p, pattern) for pattern in expected) or \
                    (asks_definition and asks_to_define(question, self._defined_terms(p))):
                fused[pid] += ANSWER_TYPE_BONUS

    def _holds(self, p: Passage, pattern) -> bool:
        """Whether the passage holds an answer of that form (cached per store generation: it depends on the text only)."""
        key = (p.id, pattern.pattern)
        found = self._answer_forms.get(key)
        if found is None:
            found = self._answer_forms[key] = pattern.search(f"{p.section}\n{p.context}\n{p.text}") is not None
        return found

    def _defined_terms(self, p: Passage) -> frozenset[str]:
        key = (p.id, "defined terms")
        terms = self._answer_forms.get(key)
        if terms is None:
            terms = self._answer_forms[key] = defined_terms([s.text for s in self.sentences.of(p)])
        return terms

    def named_documents(self, question: str) -> set[str]:
        """Documents the question refers to by their title's distinctive words or by their kind."""
        text = question.lower()
        named = set()
        for doc_id, rec in self.generation.documents.items():
            info = rec["info"]
            doc_id = info.get("id", doc_id)
            owner = self.generation.organisations.get(info.get("organisation", ""), {}).get("name", "")
            words = _title_words(info["title"], owner)
            kind = TYPE_WORDS.get(info.get("type", ""))
            if any(re.search(rf"\b{re.escape(w[:-1])}", text) for w in words) or (kind and re.search(kind, text)):
                named.add(doc_id)
        return named

    def scope_text(self, organisation: str) -> tuple[str, frozenset[str]]:
        """All the text an answer for the organisation may quote (its documents in force and general guidance), and
        its lower-cased words; cached per generation and day's versions."""
        scope = frozenset(self.scope(organisation))
        cache_key = (self.generation.name, scope, self.not_in_force())
        cached = self._scope_text.get(cache_key)
        if cached is None:
            # (title and section on a line of their own: a passage's first sentence, a table row, is read whole)
            text = "\n".join(f"{p.title} {p.section}\n{p.text}" for p in self.scope_passages(organisation))
            cached = (text, frozenset(w.lower() for w in re.findall(r"[\w-]+", text)))
            if len(self._scope_text) > 64:
                self._scope_text.clear()
            self._scope_text[cache_key] = cached
        return cached

    def scope_passages(self, organisation: str) -> list[Passage]:
        """The passages in force that an answer for the organisation may quote (its own and general guidance)."""
        scope = set(self.scope(organisation))
        return [p for p in self.passages().values() if p.organisation in scope]

    def passages(self) -> dict[str, Passage]:
        """The passages of the versions in force (what may be quoted today)."""
        excluded = self.not_in_force()
        if not excluded:
            return self._passages
        return {pid: p for pid, p in self._passages.items() if p.doc_key not in excluded}

    def dense(self, query_vec: list[float], scope: list[str], k: int = DENSE_K) -> list[tuple[str, float]]:
        from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters, VectorStoreQuery
        from llama_index.vector_stores.chroma import ChromaVectorStore

        store = ChromaVectorStore(chroma_collection=self.generation.chunks)
        filters = MetadataFilters(filters=[MetadataFilter(key="organisation", value=scope, operator=FilterOperator.IN)])
        # Versions not in force are dropped after the query, so ask for as many more as they could take up
        # (chunks written before versions existed carry no version keys to filter on in Chroma).
        excluded = self.not_in_force()
        extra = sum(self._force[3].get(key, 0) for key in excluded)
        try:
            result = store.query(VectorStoreQuery(query_embedding=query_vec, similarity_top_k=k + extra, filters=filters))
        except Exception as exc:
            raise self.store.failure(exc) from None
        # llama-index reports exp(-cosine distance); turn it back into cosine similarity.
        hits = [(i, 1.0 + math.log(max(s, 1e-12))) for i, s in zip(result.ids or [], result.similarities or [])]
        if excluded:
            hits = [(i, s) for i, s in hits if i in self._passages and self._passages[i].doc_key not in excluded][:k]
        return hits

    def search(self, question: str, organisation: str, k: int = 5, query_vec: list[float] | None = None,
               timings: dict | None = None, facts: bool = False) -> list[Passage]:
        """The k best passages of the organisation's documents. The manifest's decision facts (a section added at
        ingest, ingest.manifest.FACTS_HEADING) are candidates only for a question about a document itself (facts):
        "Beslutad … av Kommunstyrelsen" would otherwise answer every question on who decides something."""
        self.refresh()
        scope = self.scope(organisation)
        excluded = self.not_in_force()   # a version not in force today is never a candidate, hence never cited
        t0 = time.perf_counter()
        language = detect_language(question)
        extra = expansion(question, language)
        vec = query_vec if query_vec is not None else self.search_vector(question)
        t1 = time.perf_counter()
        # Each organisation's documents are ranked among themselves, so general guidance (many short checklist
        # items that all say "AI policy") cannot crowd out the user's own rules; it then counts less.
        mode = getattr(self.settings, "retrieval_mode", "hybrid")
        dense = [hit for org in scope for hit in self.dense(vec, [org])] if mode != "bm25" else []
        t2 = time.perf_counter()
        # An English question shares few words with Swedish text: against Swedish documents its lexical leg runs on
        # the Swedish vocabulary only, so stray matches ("AI") cannot outvote the dense leg; against an organisation
        # that writes in English it has its own words too.
        lexical = {org: f"{question} {extra}" if language == "sv" or self.language_of(org) == language else extra
                   for org in scope}
        sparse = [hit for org in scope if lexical[org].strip() for hit in self._bm25_for((org,)).search(lexical[org], BM25_K)] \
            if mode != "dense" else []
        if not facts:
            dense, sparse = ([h for h in hits if not self._is_facts(h[0])] for hits in (dense, sparse))
        t3 = time.perf_counter()
        dense = self._sentence_aware(dense, sparse, vec) if mode != "bm25" else []
        alpha = {"hybrid": DENSE_WEIGHT[language], "dense": 1.0, "bm25": 0.0}[mode]
        if PER_ORG_NORMALISATION:
            org_of = lambda pid: self._passages[pid].organisation if pid in self._passages else ""
            fused = {}
            for org in scope:
                fused.update(fuse([h for h in dense if org_of(h[0]) == org], [h for h in sparse if org_of(h[0]) == org], alpha))
        else:
            fused = fuse(dense, sparse, alpha)
        named = self.named_documents(question)
        for pid in fused:
            base = self._passages.get(pid)
            if base is not None and not base.binding:
                fused[pid] *= NON_BINDING_WEIGHT
            if base is not None and base.doc_id in named:
                fused[pid] *= NAMED_DOCUMENT_WEIGHT
        self._answer_type_bonus(question, fused)
        dense_sim = dict(dense)
        bm25_score = dict(sparse)
        out = []
        for pid, score in sorted(fused.items(), key=lambda kv: -kv[1]):
            base = self._passages.get(pid)
            if base is None or base.organisation not in scope or base.doc_key in excluded:
                continue
            p = Passage(**{**base.__dict__, "score": score, "dense": dense_sim.get(pid, 0.0), "bm25": bm25_score.get(pid, 0.0)})
            out.append(p)
            if len(out) >= k:
                break
        if timings is not None:
            timings.update(embed=t1 - t0, dense=t2 - t1, bm25=t3 - t2)
        return out
