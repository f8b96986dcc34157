"""Document versions and effective dates (issue 17): only the version in force on the clock's day is retrieved and
cited, a version takes over on its `valid_from` without a restart, an expired one is never cited, and every
version can still be opened. A real Chroma store of a tiny corpus, the real embedding model and engine."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.versions import in_force, status_on

V1 = """# AI-policy för Testby kommun

## Allmänt tillgängliga AI-tjänster

Medarbetare får inte använda ChatGPT eller andra allmänt tillgängliga AI-tjänster med personuppgifter.

AI-tjänster får användas för att skriva utkast till texter som sedan granskas av en medarbetare.

## Ansvar

IT-chefen beslutar om vilka AI-tjänster som får upphandlas.
"""

V2 = """# AI-policy för Testby kommun

## Allmänt tillgängliga AI-tjänster

Medarbetare får använda ChatGPT eller andra allmänt tillgängliga AI-tjänster med personuppgifter om dataskyddsombudet först har godkänt användningen.

AI-tjänster får användas för att skriva utkast till texter som sedan granskas av en medarbetare.

## Utbildning

Alla medarbetare ska genomgå kommunens AI-utbildning innan de använder AI-tjänster i tjänsten.
"""

OLD = """# Riktlinje för AI-bilder i Testby kommun

Medarbetare får inte skapa bilder av kommunens politiker med generativ AI.
"""

MANIFEST = """
[organisations.testby]
name = "Testby kommun"
contact = "IT-chefen"

[[documents]]
id = "testby-policy"
file = "testby-policy-1.txt"
title = "AI-policy för Testby kommun"
organisation = "testby"
version = "1"
valid_from = "2025-01-01"

[[documents]]
id = "testby-policy"
file = "testby-policy-2.txt"
title = "AI-policy för Testby kommun"
organisation = "testby"
version = "2"
valid_from = "2030-01-01"

[[documents]]
id = "testby-bilder"
file = "testby-bilder.txt"
title = "Riktlinje för AI-bilder"
organisation = "testby"
valid_to = "2025-12-31"
"""

PERSONAL = "Får jag använda ChatGPT med personuppgifter?"


def write_corpus(root: Path, manifest: str = MANIFEST) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.toml").write_text(manifest, encoding="utf-8")
    (root / "testby-policy-1.txt").write_text(V1, encoding="utf-8")
    (root / "testby-policy-2.txt").write_text(V2, encoding="utf-8")
    (root / "testby-bilder.txt").write_text(OLD, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def versioned(tmp_path_factory, embedding_cache):
    from assistant.settings import load_settings
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("versions")
    settings = load_settings(data_dir=root / "data", corpus_dir=write_corpus(root / "corpus"),
                             embedding_cache=embedding_cache, clock_date="2026-06-01")
    ingest(settings, progress=False)
    return settings


# -- the rule, without a store ------------------------------------------------------------------------------
def _recs(*versions):
    return {k: {"info": {"id": k.partition("@")[0], "valid_from": f, "valid_to": t}} for k, f, t in versions}


def test_in_force_picks_the_latest_started_version_and_honours_expiry():
    recs = _recs(("p@1", "2025-01-01", ""), ("p@2", "2030-01-01", ""), ("old", "", "2025-12-31"), ("plain", "", ""))
    assert in_force(recs, "2026-06-01") == {"p": "p@1", "plain": "plain"}
    assert in_force(recs, "2030-01-01") == {"p": "p@2", "plain": "plain"}     # on its valid_from day
    assert in_force(recs, "2025-12-31")["old"] == "old"                       # valid_to is the last day
    assert in_force(recs, "2024-06-01") == {"old": "old", "plain": "plain"}  # before v1 started
    assert status_on(recs, "p@2", "2026-06-01") == "upcoming"
    assert status_on(recs, "p@1", "2031-01-01") == "replaced"
    assert status_on(recs, "old", "2026-01-01") == "expired"


@pytest.mark.parametrize("extra, message", [
    ('valid_from = "2025-01-01"', "same day"),
    ('valid_from = "1 januari"', "YYYY-MM-DD"),
    ('valid_from = "2031-01-01"\nvalid_to = "2030-01-01"', "before valid_from"),
])
def test_manifest_refuses_ambiguous_or_malformed_versions(tmp_path, extra, message):
    from ingest.manifest import load_manifest

    manifest = MANIFEST + f'\n[[documents]]\nid = "testby-policy"\nfile = "x.txt"\ntitle = "x"\norganisation = "testby"\nversion = "3"\n{extra}\n'
    with pytest.raises(IngestError, match=message):
        load_manifest(write_corpus(tmp_path / "c", manifest))


# -- retrieval and answers --------------------------------------------------------------------------------
def _cited_keys(answer) -> set[str]:
    return {c.passage_id.rsplit("::", 1)[0] for c in answer.citations}


def test_only_the_version_in_force_is_cited_and_a_new_one_takes_over_without_restart(versioned):
    from assistant.engine import Assistant

    settings = versioned.model_copy()
    assistant = Assistant(settings)
    before = assistant.ask(PERSONAL, "testby")
    assert before.citations and _cited_keys(before) == {"testby-policy@1"}
    assert all(p["version"] == "1" and p["valid_from"] == "2025-01-01" for p in before.passages
               if p["doc_id"] == "testby-policy")
    assert "dataskyddsombudet" not in before.text            # v2's rule is not yet in force
    hits = assistant.retriever.search(PERSONAL, "testby", k=20)
    assert hits and all(h.doc_key != "testby-policy@2" for h in hits)

    settings.clock_date = "2030-01-02"                       # the same Assistant, the clock past v2's valid_from
    after = assistant.ask(PERSONAL, "testby")
    assert _cited_keys(after) == {"testby-policy@2"}
    assert "dataskyddsombudet" in after.text
    passage = next(p for p in after.passages if p["doc_id"] == "testby-policy")
    assert (passage["version"], passage["valid_from"], passage["valid_to"]) == ("2", "2030-01-01", "")
    # The quoted spans slice the text of the version in force, which is what the document panel opens.
    text = assistant.retriever.document_text("testby-policy")
    assert all(text[c.start:c.end] == c.quote for c in after.citations)
    assert "dataskyddsombudet" in text


def test_an_expired_version_is_never_retrieved_but_can_be_opened(versioned):
    from assistant.maintenance.publish import list_versions, version_text
    from assistant.retrieval import Retriever

    retriever = Retriever(versioned)
    hits = retriever.search("Får jag skapa bilder av politiker med generativ AI?", "testby", k=20)
    assert all(h.doc_id != "testby-bilder" for h in hits)
    assert all(p.doc_id != "testby-bilder" for p in retriever.passages().values())
    assert "politiker" in version_text(versioned, "testby-bilder")          # still opens, for the workspace
    assert "personuppgifter om dataskyddsombudet" in version_text(versioned, "testby-policy", "2")
    states = {v["key"]: v["status"] for v in list_versions(versioned)}
    assert states == {"testby-policy@1": "in_force", "testby-policy@2": "upcoming", "testby-bilder": "expired"}


def test_readers_that_know_no_versions_see_one_record_per_document(versioned):
    from ingest.store import Store

    generation = Store(versioned).current()
    assert set(generation.versions) == {"testby-policy@1", "testby-policy@2", "testby-bilder"}
    assert set(generation.documents) == {"testby-policy", "testby-bilder"}
