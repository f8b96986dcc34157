"""Regression gates against a baseline report."""
from __future__ import annotations

import json
import re

import pytest

from evals.baseline import GATES, compare, load_baseline, summary
from ingest.errors import PolicyAssistantError

BASE = {"hit_at_5": 0.90, "mrr": 0.80, "verdict_accuracy": 0.85, "refusal_precision": 0.90, "refusal_recall": 0.80,
        "citation_precision": 0.70, "must_mention_recall": 0.75, "unsafe_answers": 1}


def report(**overall) -> dict:
    return {"schema_version": 1, "run": {"sets": ["evals/sets/smoke.yaml"], "mode": "extractive"},
            "metrics": {"overall": {**BASE, **overall}}, "cases": []}


def current(**overall) -> dict:
    return {"overall": {**BASE, **overall}}


def test_gated_metrics():
    assert [g.metric for g in GATES] == ["hit_at_5", "mrr", "verdict_accuracy", "refusal_precision", "refusal_recall",
                                         "citation_precision", "must_mention_recall", "unsafe_answers"]
    unsafe = next(g for g in GATES if g.metric == "unsafe_answers")
    assert unsafe.tolerance == 0 and not unsafe.higher_is_better


def test_same_or_better_passes():
    assert compare(current(), report()) == []
    assert compare(current(hit_at_5=1.0, unsafe_answers=0), report()) == []


def test_drop_within_tolerance_passes_and_beyond_fails():
    assert compare(current(hit_at_5=0.88, verdict_accuracy=0.83), report()) == []        # exactly 0.02 down
    (reg,) = compare(current(hit_at_5=0.87), report())
    assert (reg.metric, reg.baseline, reg.current, reg.tolerance) == ("hit_at_5", 0.90, 0.87, 0.02)
    assert reg.message == "hit_at_5: 0.8700 against baseline 0.9000 (change -0.03, tolerance 0.02)"
    # refusal metrics have the wider tolerance: 0.04 down passes, 0.06 down fails
    assert compare(current(refusal_recall=0.76), report()) == []
    assert [r.metric for r in compare(current(refusal_recall=0.74), report())] == ["refusal_recall"]


def test_any_increase_in_unsafe_answers_fails():
    (reg,) = compare(current(unsafe_answers=2), report())
    assert (reg.metric, reg.baseline, reg.current) == ("unsafe_answers", 1, 2)


def test_missing_metrics():
    base = report()
    del base["metrics"]["overall"]["mrr"]
    base["metrics"]["overall"]["refusal_precision"] = None
    # not in the baseline (or null there): not gated, whatever the current run says
    assert compare(current(mrr=0.1, refusal_precision=0.0), base) == []
    # in the baseline but gone from the current run: a regression
    cur = current()
    del cur["overall"]["citation_precision"]
    cur["overall"]["must_mention_recall"] = None
    regs = compare(cur, report())
    assert [(r.metric, r.current) for r in regs] == [("citation_precision", None), ("must_mention_recall", None)]
    assert regs[0].message == "citation_precision: missing in the current run (baseline 0.7000)"


def test_baseline_from_file_and_summary(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(report()), encoding="utf-8")
    assert compare(current(mrr=0.7, unsafe_answers=3), path) and len(compare(current(mrr=0.7, unsafe_answers=3), path)) == 2
    text = summary(current(mrr=0.7, unsafe_answers=3), path)
    lines = text.splitlines()
    assert lines[0].split() == ["metric", "baseline", "current", "change", "gate"]
    assert "mrr" in lines[2] and "0.8000" in lines[2] and "0.7000" in lines[2] and "-0.1000" in lines[2] and "REGRESSION" in lines[2]
    assert lines[1].startswith("hit_at_5") and " ok " in lines[1]
    assert lines[8].split() == ["unsafe_answers", "1", "3", "+2", "REGRESSION", "(must", "not", "increase)"]
    assert lines[-1] == "2 regression(s)"
    assert summary(current(), report()).splitlines()[-1] == "no regressions"


def test_compare_accepts_a_whole_current_report():
    assert [r.metric for r in compare(report(mrr=0.5), report())] == ["mrr"]


@pytest.mark.parametrize("content, message", [
    (None, "baseline not found"),
    ("{not json", "not a readable eval report"),
    ('{"cases": []}', 'not an eval report (no "metrics")'),
])
def test_bad_baseline_files(tmp_path, content, message):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(PolicyAssistantError, match=re.escape(message)):
        load_baseline(path)
