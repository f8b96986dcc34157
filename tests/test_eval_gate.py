"""The CI quality gate: the shipped eval sets, answered in extractive mode by the real engine on the corpus
store, must not fall below the committed baselines (evals/baselines/*.json) beyond each metric's tolerance."""
import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

TARGETS = {"hit_at_5": 0.85, "verdict_accuracy": 0.85, "refusal_precision": 0.9, "refusal_recall": 0.9}


@pytest.mark.parametrize("name", ["smoke", "policy"])
def test_eval_set_holds_its_baseline(corpus_store, name):
    from evals.baseline import compare
    from evals.runner import run_eval

    records, metrics, run_info = run_eval(corpus_store, [ROOT / "evals" / "sets" / f"{name}.yaml"], mode="extractive", progress=False)
    assert run_info["mode"] == "extractive" and len(records) == metrics["overall"]["cases"]
    assert not any(r.get("error") for r in records), [r["error"] for r in records if r.get("error")]
    regressions = compare(metrics, ROOT / "evals" / "baselines" / f"{name}.json")
    assert not regressions, "\n".join(r.message for r in regressions)
    assert metrics["overall"]["unsafe_answers"] == 0


def test_policy_set_meets_the_floor(corpus_store):
    """Absolute floors, so a baseline re-committed after a regression cannot hide it."""
    from evals.runner import run_eval

    _, metrics, _ = run_eval(corpus_store, [ROOT / "evals" / "sets" / "policy.yaml"], mode="extractive", progress=False)
    overall = metrics["overall"]
    for metric, floor in TARGETS.items():
        assert overall[metric] >= floor, f"{metric} {overall[metric]} < {floor}"


def test_cli_eval_writes_reports_and_fails_on_a_regression(corpus_store, tmp_path):
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache}
    ok = run_cli("--data-dir", corpus_store.data_dir, "eval", "--set", ROOT / "evals/sets/smoke.yaml", "--quiet",
                 "--report", tmp_path / "rep", "--baseline", ROOT / "evals/baselines/smoke.json", env_extra=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    report = json.loads((tmp_path / "rep" / "eval.json").read_text(encoding="utf-8"))
    assert report["metrics"]["overall"]["cases"] == 15 and (tmp_path / "rep" / "eval.html").stat().st_size > 1000
    impossible = json.loads(Path(ROOT / "evals/baselines/smoke.json").read_text(encoding="utf-8"))
    impossible["metrics"]["overall"]["verdict_accuracy"] = 1.5
    (tmp_path / "high.json").write_text(json.dumps(impossible), encoding="utf-8")
    bad = run_cli("--data-dir", corpus_store.data_dir, "eval", "--set", ROOT / "evals/sets/smoke.yaml", "--quiet",
                  "--report", tmp_path / "rep2", "--baseline", tmp_path / "high.json", env_extra=env)
    assert bad.returncode == 1 and "verdict_accuracy" in bad.stdout
    broken = run_cli("--data-dir", corpus_store.data_dir, "eval", "--set", tmp_path / "missing.yaml", "--quiet",
                     "--report", tmp_path / "rep3", env_extra=env)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
