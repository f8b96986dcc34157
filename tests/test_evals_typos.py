"""Misspelled questions for the eval (issue 15): reproducible, one edit per word, measured against the clean run."""
from __future__ import annotations

import json

from rapidfuzz.distance import OSA

from conftest import ROOT, run_cli
from evals.typos import WORDS_PER_QUESTION, agreement, misspell


def test_misspelling_is_seeded_and_one_edit_per_word():
    question = "Får jag använda Copilot Chat för att sammanfatta protokollet från nämnden?"
    typed = misspell(question, 7, "case-1")
    assert typed == misspell(question, 7, "case-1")                    # the same case, the same typos
    assert typed != question and {misspell(question, s, "case-1") for s in range(5)} != {typed}
    words, typed_words = question.split(), typed.split()
    changed = [(a, b) for a, b in zip(words, typed_words) if a != b]
    assert len(words) == len(typed_words) and 1 <= len(changed) <= WORDS_PER_QUESTION
    assert all(OSA.distance(a, b) == 1 and a[0] == b[0] for a, b in changed)
    assert misspell("Får jag?", 7, "x") == "Får jag?"                   # no word long enough: as written


def test_agreement_counts_what_stayed_the_same():
    records = [{"verdict": "no", "gold_verdict": "no", "typed_verdict": "no", "typed_same_quote": True},
               {"verdict": "yes", "gold_verdict": "yes", "typed_verdict": "info", "typed_same_quote": False},
               {"verdict": "info", "gold_verdict": "info"}]                # asked as written only
    assert agreement(records) == {"cases": 2, "verdict_agreement": 0.5, "first_quote_agreement": 0.5,
                                  "typed_verdict_accuracy": 0.5}
    assert agreement(records[2:]) == {}


def test_cli_eval_with_typos_reports_agreement(corpus_store, tmp_path):
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache}
    res = run_cli("--data-dir", corpus_store.data_dir, "eval", "--set", ROOT / "evals/sets/smoke.yaml", "--quiet",
                  "--report", tmp_path / "rep", "--typos", "7", env_extra=env)
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads((tmp_path / "rep" / "eval.json").read_text(encoding="utf-8"))
    typos = report["metrics"]["typos"]["overall"]
    assert typos["cases"] == 15 and report["run"]["typos_seed"] == 7
    # the engine normalises misspelled questions: most keep their verdict (a floor, not a measured figure)
    assert typos["verdict_agreement"] >= 0.6
    typed = [c for c in report["cases"] if c["typed"] != c["question"]]
    assert typed and all("typed_verdict" in c for c in report["cases"])
    assert "Misspelled questions" in res.stdout
