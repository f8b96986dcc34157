"""The situation reader (issue 14, item 3): what a question states under one rule, learned from labelled pairs."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.question import analyse
from assistant.situation.reader import LABELS, Situation, SituationReader, clauses, get_reader
from assistant.verdict import Evidence, Norms, decide

COPILOT = "Copilot Chat får användas för intern information om du är inloggad med kommunkontot."
PUBLIC = "Allmänt tillgängliga AI-tjänster får bara användas för information som redan är publicerad."


def test_clauses_keep_each_negation_with_what_it_negates():
    assert clauses("Jag är inloggad med kommunkontot, men texten är inte publicerad.") == [
        "Jag är inloggad med kommunkontot", "texten är inte publicerad"]


def test_a_condition_stated_with_without_is_negated_on_the_rule_side_too():
    """"… utan att alla deltagare har informerats" and "without informing the participants" negate what they state,
    as "inte" does: the alignment features compare the rule's and the question's negation."""
    from assistant.situation.reader import dense_features, DENSE, _negated

    assert _negated("utan att alla deltagare har informerats") and _negated("without informing the participants")
    assert not _negated("när alla deltagare har informerats") and not _negated("utanför kontoret")
    rule = "Det är inte tillåtet att spela in möten utan att alla deltagare har informerats i förväg."
    vec = lambda texts: np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)   # noqa: E731 - alignment only
    f = dict(zip(DENSE, dense_features(rule, "Alla deltagare är informerade. Får vi spela in?", vec)))
    assert f["condition_negated"] == 1.0


@pytest.mark.parametrize("rule, question, unsaid", [
    (COPILOT, "Får jag sammanfatta ett internt PM i Copilot Chat? Jag är inloggad med kommunkontot.",
     "Får jag sammanfatta ett internt PM i Copilot Chat?"),
    (PUBLIC, "Får jag använda ChatGPT för att korta en text som redan ligger publicerad på vår webbplats?",
     "Får jag använda ChatGPT för att korta en text?"),
])
def test_a_stated_condition_is_read_as_met(rule, question, unsaid):
    # Read as met, the most probable reading; whether it is trusted is the threshold cross-validation chose over
    # pairs from 154 organisations (a plain case can fall below it: then it decides nothing on its own).
    s = get_reader().read(rule, question)
    assert s.label == "allows" and s.probability >= 0.5
    assert get_reader().read(rule, unsaid).label != "allows"


@pytest.mark.parametrize("rule, question", [
    (COPILOT, "Får jag sammanfatta ett internt PM i Copilot Chat? Jag är inte inloggad med kommunkontot utan med "
              "mitt privata konto."),
    (PUBLIC, "Får jag använda ChatGPT för att korta ett utkast som inte är publicerat än?"),
    (COPILOT, "Får jag sammanfatta ett internt PM i Copilot Chat?"),
])
def test_a_negated_or_unsaid_condition_is_never_trusted_as_met(rule, question):
    assert not get_reader().read(rule, question).allows


def test_the_thresholds_come_with_the_model_and_probabilities_are_a_distribution():
    reader = get_reader()
    assert set(reader.thresholds) == set(LABELS) and 0.5 <= reader.thresholds["allows"] <= 1.01
    s = reader.read(COPILOT, "Får jag använda Copilot Chat?")
    assert s.label in LABELS and 0.25 <= s.probability <= 1.0


def _ev(text, norms, situation):
    return Evidence(text, text, norms, "", situation)


def test_a_permission_whose_condition_the_question_states_is_a_yes_but_not_when_data_is_pasted():
    rule = _ev(PUBLIC, Norms(only=True, permit=True), Situation("allows", 0.95, True))
    assert decide(analyse("Får jag använda ChatGPT för att korta texten som ligger på webbplatsen?"), [rule]).verdict == "yes"
    pasted = analyse("Får jag klistra in 'Lars Ek, 19121212-1212' i ChatGPT? Texten ligger på webbplatsen.")
    assert decide(pasted, [rule]).verdict != "yes"


def test_a_stated_unmet_condition_is_a_no_and_an_untrusted_reading_changes_nothing():
    q = analyse("Får jag använda ChatGPT för att korta ett utkast?")
    assert decide(q, [_ev(PUBLIC, Norms(only=True, permit=True), Situation("forbids", 0.9, True))]).verdict == "no"
    assert decide(q, [_ev(PUBLIC, Norms(only=True, permit=True), Situation("forbids", 0.5, False))]).verdict == "conditional"


def test_a_yes_on_the_readers_word_needs_every_other_requirement_read_as_met():
    q = analyse("My manager approved the licence. Can I use Microsoft 365 Copilot?")
    licence = _ev("Microsoft 365 Copilot may be used only with a licence approved by your manager.",
                  Norms(only=True, permit=True), Situation("allows", 0.95, True))
    course = _ev("All employees must complete the e-learning before they use Microsoft 365 Copilot.",
                 Norms(oblige=True, condition=True), Situation("depends", 0.9, True))
    assert decide(q, [licence]).verdict == "yes"
    d = decide(q, [licence, course])
    assert d.verdict == "conditional" and d.deciding == 1


def test_training_reproduces_a_loadable_model(tmp_path):
    from assistant.situation import train

    rows = [json.loads(line) for line in (train.LABELLED / "part-a.jsonl").read_text(encoding="utf-8").splitlines()[:150]]
    data = tmp_path / "labelled"
    data.mkdir()
    (data / "part.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    train.LABELLED = data
    try:
        for n in (1, 2):
            assert train.main(["--cache", "", "--out", str(tmp_path / f"m{n}.npz"), "--report", str(tmp_path / "r.md")]) == 0
    finally:
        train.LABELLED = train.HERE / "labelled"
    a, b = np.load(tmp_path / "m1.npz"), np.load(tmp_path / "m2.npz")
    assert np.array_equal(a["W0"], b["W0"]) and np.array_equal(a["thresholds"], b["thresholds"])
    s = SituationReader(tmp_path / "m1.npz").read(COPILOT, "Får jag använda Copilot Chat inloggad med kommunkontot?")
    assert s.label in LABELS
    assert "Grouped 5-fold" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_the_shipped_model_was_trained_on_the_features_the_code_reads_now(tmp_path, monkeypatch):
    """The features depend on ingest/rules/features.toml (where a condition starts) and the rule reader's model: a
    change to either after training left a model reading features it was never trained on. The model stores what
    it was trained on, and one trained on something else is refused with the command that mends it."""
    from ingest.errors import PolicyAssistantError
    from assistant.situation import reader as mod

    shipped = np.load(mod.MODEL_PATH)
    assert str(shipped["inputs"]) == mod.inputs_digest(), "the situation reader is stale: run `make train`"
    monkeypatch.setattr(mod, "inputs_digest", lambda: "0" * 16)
    with pytest.raises(PolicyAssistantError, match="make train"):
        mod.SituationReader()


def test_training_runs_on_one_blas_thread_so_another_machine_gets_the_same_model(monkeypatch):
    from assistant import learned

    seen = []

    def fit(X, y, hidden, alpha):
        from threadpoolctl import threadpool_info
        seen.extend(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")
        raise StopIteration

    monkeypatch.setattr(learned, "fit", fit)
    X = np.random.default_rng(0).normal(size=(20, 3))
    rows = [{"label": "a" if i % 2 else "b", "group": str(i % 5)} for i in range(20)]
    with pytest.raises(StopIteration):
        learned.train(X, rows, ("a", "b"), hidden=(2,), alpha=1.0, folds=5, target_precision={}, out="x", report_path="y",
                      title="", data="", unit="")
    assert seen and set(seen) == {1}
