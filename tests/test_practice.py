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
