"""Practice mode: scenarios from the eval set with the rule found in the document, and scoring."""
from __future__ import annotations

import pytest

from assistant.practice import CHOICES, Session, for_organisation, load_scenarios
from tests.conftest import ROOT
from evals.matching import contains

SETS = [ROOT / "evals" / "sets" / "policy.yaml"]


@pytest.fixture(scope="module")
def scenarios(retriever):
    return load_scenarios(SETS, retriever)


def test_scenarios_are_standalone_permission_cases_with_their_rule(scenarios, retriever):
    assert len(scenarios) >= 20
    assert {s.organisation for s in scenarios} >= {"nacka", "askersund", "norsjo"}
    assert {s.verdict for s in scenarios} == set(CHOICES)
    for s in scenarios:
        text = retriever.document_text(s.document)
        assert s.rule in " ".join(text.split()), s.id          # verbatim from the document
        assert s.title == retriever.generation.documents[s.document]["info"]["title"]


def test_rule_holds_the_gold_quote(scenarios):
    from evals.cases import load_cases

    docs_cases = {c.id: c for c in load_cases(SETS, {s.document for s in scenarios} | {"norstedts-checklista", "nacka-tjansteskrivelse"},
                                               {"nacka", "askersund", "norsjo", "general"})}
    for s in scenarios:
        assert any(contains(s.rule, g.quote) for g in docs_cases[s.id].gold), s.id


def test_organisation_and_language_filter(scenarios):
    nacka_sv = for_organisation(scenarios, "nacka", "sv")
    assert nacka_sv and all(s.organisation == "nacka" and s.language == "sv" for s in nacka_sv)
    assert all(s.language == "en" for s in for_organisation(scenarios, "nacka", "en"))
    assert for_organisation(scenarios, "kiruna", "sv") == []


def test_session_scores_once_per_scenario(scenarios):
    pool = for_organisation(scenarios, "askersund", "sv")
    by_id = {s.id: s for s in pool}
    session = Session.start(pool, seed=1)
    assert sorted(session.order) == sorted(by_id) and session.right == 0
    first = session.current(by_id)
    wrong = next(c for c in CHOICES if c != first.verdict)
    assert session.answer(wrong, by_id) is False
    assert session.answer(first.verdict, by_id) is True   # a second try is shown but not scored
    assert (session.right, session.answered) == (0, 1)
    session.next()
    second = session.current(by_id)
    assert second.id != first.id and session.answer(second.verdict, by_id) is True
    assert (session.right, session.answered) == (1, 2)
    session.next()
    session.next()   # without an answer, next does not skip
    assert session.index == 2
    while not session.done:
        session.answer(session.current(by_id).verdict, by_id)
        session.next()
    assert session.right == len(pool) - 1 and session.current(by_id) is None
    with pytest.raises(ValueError):
        session.answer("yes", by_id)


def test_no_scenario_asks_what_who_or_when(scenarios):
    """Only questions a verdict answers: permission or yes/no questions, never "who decides …?"."""
    from assistant.question import question_kind

    assert all(question_kind(s.question) != "info" for s in scenarios)
    assert not any(s.question.lower().startswith(("vem ", "vad ", "när ", "who ", "what ", "when ")) for s in scenarios)


def test_session_remembers_the_learners_choice(scenarios):
    pool = for_organisation(scenarios, "nacka", "sv")
    by_id = {s.id: s for s in pool}
    session = Session.start(pool, seed=2)
    session.answer("no", by_id)
    assert session.last_choice == "no"
    session.next()
    assert session.last_choice is None and session.last_correct is None


@pytest.fixture(scope="module")
def new_municipality(corpus_store, tmp_path_factory):
    """A real store with a municipality the eval sets know nothing about (ingested like any new one)."""
    import shutil

    from assistant.retrieval import Retriever
    from tests.conftest import run_cli

    work = tmp_path_factory.mktemp("new-org")
    data = work / "data"
    shutil.copytree(corpus_store.data_dir, data)
    doc = work / "kiruna-ai.md"
    doc.write_text("# Riktlinje för AI i Kiruna kommun\n\n## Användning av AI-tjänster\n\n"
                   "Medarbetare får inte klistra in personuppgifter i allmänt tillgängliga AI-tjänster. "
                   "Medarbetare får använda Copilot Chat för att sammanfatta öppna dokument. "
                   "Allmänt tillgängliga AI-tjänster får bara användas med information som är klassad som öppen. "
                   "Chefen ansvarar för att medarbetarna känner till riktlinjen.\n", encoding="utf-8")
    res = run_cli("--data-dir", data, "ingest", doc, "--organisation", "kiruna", "--organisation-name", "Kiruna kommun",
                  env_extra={"POLICY_ASSISTANT_EMBEDDING_CACHE": str(corpus_store.embedding_cache_path)})
    assert res.returncode == 0, res.stderr
    return Retriever(corpus_store.model_copy(update={"data_dir": data}))


def test_scenarios_are_generated_from_the_rules_of_a_new_municipality(scenarios, new_municipality):
    from assistant.practice import MODALITY_VERDICT, generate_scenarios

    assert for_organisation(scenarios, "kiruna", "sv") == []          # no eval cases for it
    generated = generate_scenarios(new_municipality, "kiruna")
    assert generated and all(s.generated and s.organisation == "kiruna" for s in generated)
    text = " ".join(new_municipality.document_text("kiruna-ai").split())
    for s in generated:
        assert s.rule == s.question and s.rule in text and s.verdict in MODALITY_VERDICT.values()
        assert s.title == "Riktlinje för AI i Kiruna kommun"
    by_rule = {s.rule: s.verdict for s in generated}
    ban = "Medarbetare får inte klistra in personuppgifter i allmänt tillgängliga AI-tjänster."
    assert by_rule.get(ban, "no") == "no"                             # when read, a ban is a "no"
    assert "Chefen ansvarar för att medarbetarna känner till riktlinjen." not in by_rule   # a duty is no yes/no
    assert len({s.id for s in generated}) == len(generated)
