"""The CI quality gate: the shipped eval sets, answered in extractive mode by the real engine on the corpus
store, must not fall below the committed baselines (evals/baselines/*.json) beyond each metric's tolerance."""
import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

TARGETS = {"hit_at_5": 0.85, "verdict_accuracy": 0.85, "refusal_precision": 0.9, "refusal_recall": 0.9}


@pytest.fixture(scope="module")
def runs(corpus_store):
    """Each shipped set answered once per run, shared by the tests that judge it."""
    from evals.runner import run_eval

    done = {}

    def run(name: str):
        if name not in done:
            done[name] = run_eval(corpus_store, [ROOT / "evals" / "sets" / f"{name}.yaml"], mode="extractive", progress=False)
        return done[name]

    return run


@pytest.mark.parametrize("name", ["smoke", "policy"])
def test_eval_set_holds_its_baseline(runs, name):
    from evals.baseline import compare

    records, metrics, run_info = runs(name)
    assert run_info["mode"] == "extractive" and len(records) == metrics["overall"]["cases"]
    assert not any(r.get("error") for r in records), [r["error"] for r in records if r.get("error")]
    regressions = compare(metrics, ROOT / "evals" / "baselines" / f"{name}.json")
    assert not regressions, "\n".join(r.message for r in regressions)
    assert metrics["overall"]["unsafe_answers"] == 0
    assert metrics["overall"]["false_alarms"] == 0    # no "your question contains personal data" without any


def test_policy_set_meets_the_floor(runs):
    """Absolute floors, so a baseline re-committed after a regression cannot hide it."""
    _, metrics, _ = runs("policy")
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


# ----------------------------------------------------------------------------------- the unseen test bed
# Floors at the level measured when the test split was frozen (issue 12), a little under it for run-to-run ties:
# a baseline re-committed after a regression cannot take the split below these.
UNSEEN_FLOORS = {"hit_at_5": 0.86, "verdict_accuracy": 0.58, "must_mention_recall": 0.56, "mrr": 0.74}
UNSEEN_UNSAFE_MAX = 2


def test_unseen_test_split_is_the_frozen_one():
    """The test split is judged on, never tuned to: any change to it must show, here and in every report."""
    from evals import unseen

    frozen = unseen.FROZEN_DIGEST.read_text(encoding="utf-8").split()[0]
    assert unseen.test_split_digest() == frozen, "evals/unseen/test/ changed: the test split is frozen (see evals/README.md)"
    assert len(unseen.split_sets("test")) >= 2 and len(unseen.split_sets("dev")) >= 2


def test_unseen_test_split_holds_its_baseline_and_floors(corpus_store):
    from evals import unseen
    from evals.baseline import compare
    from evals.runner import run_eval

    records, metrics, run_info = run_eval(corpus_store, unseen.split_sets("test"), mode="extractive", progress=False,
                                          extra_manifest=unseen.MANIFEST)
    assert run_info["test_split_digest"] == unseen.test_split_digest() and run_info["isolated"]
    assert {r["split"] for r in records} == {"test"} and len(records) >= 100
    assert not any(r.get("error") for r in records), [r["error"] for r in records if r.get("error")]
    shapes = set(metrics["by_shape"])
    assert {"html-intranet", "docx-rules", "pdf-numbered", "department-instruction", "english-guideline", "seed"} <= shapes
    assert {"typo", "no-diacritics", "followup", "negation", "factual-yesno", "english"} <= set(metrics["by_tag"])
    regressions = compare(metrics, ROOT / "evals" / "baselines" / "unseen-test.json")
    assert not regressions, "\n".join(r.message for r in regressions)
    overall = metrics["overall"]
    for metric, floor in UNSEEN_FLOORS.items():
        assert overall[metric] >= floor, f"{metric} {overall[metric]} < {floor}"
    assert overall["unsafe_answers"] <= UNSEEN_UNSAFE_MAX
    assert overall["false_alarms"] == 0
