"""Eval-set loading: the real sets load, and every kind of mistake is one error line naming file and case."""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.cases import Case, Gold, load_cases
from ingest.errors import PolicyAssistantError

ROOT = Path(__file__).resolve().parent.parent
DOCS = {"nacka-handledning", "askersund-policy"}
ORGS = {"nacka", "askersund", "general"}
GOOD = """
- id: a
  organisation: nacka
  question: "Får jag?"
  verdict: "no"
  gold: [{document: nacka-handledning, quote: "får inte"}]
  must_mention: ["sekretess|öppen"]
"""


def write(tmp_path: Path, text: str, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_real_sets_load_against_the_manifest():
    from ingest.manifest import load_manifest

    manifest = load_manifest(ROOT / "corpus")
    docs, orgs = set(manifest.documents), set(manifest.organisations)
    cases = load_cases([ROOT / "evals/sets/policy.yaml"], docs, orgs)
    smoke = load_cases([ROOT / "evals/sets/smoke.yaml"], docs, orgs)
    assert len(cases) == 142 and len(smoke) == 15
    assert {c.id for c in smoke} <= {c.id for c in cases}
    assert sum(c.language == "en" for c in cases) == 38
    assert sum(c.verdict == "not_covered" for c in cases) == 15
    followup = next(c for c in smoke if c.id == "norsjo-followup-who-to-contact")
    assert followup.history[0]["question"].startswith("Får jag mata in personuppgifter")
    first = cases[0]
    assert first == Case(id="nacka-social-records-chatgpt", organisation="nacka", question=first.question, verdict="no",
                         gold=(Gold("nacka-handledning", "sekretesslagen (OSL) får inte delas i allmänt tillgängliga"),
                               Gold("nacka-handledning", "får bara användas med öppen information")),
                         must_mention=("sekretess|öppen information",), tags=("paraphrase",), source=str(ROOT / "evals/sets/policy.yaml"))


def test_minimal_case_defaults(tmp_path):
    (case,) = load_cases([write(tmp_path, GOOD)], DOCS, ORGS)
    assert case.history == () and case.tags == () and case.language == "sv"
    assert case.must_mention == ("sekretess|öppen",)


@pytest.mark.parametrize("edit, message", [
    (("verdict: \"no\"", "verdict: \"maybe\""), "case 'a': unknown verdict 'maybe' (expected yes, no, conditional, info, not_covered)"),
    (("verdict: \"no\"", "verdict: no"), "case 'a': verdict is the boolean false: write it in quotes, verdict: \"no\""),
    (("organisation: nacka", "organisation: kiruna"), "case 'a': unknown organisation 'kiruna' (known: askersund, general, nacka)"),
    (("document: nacka-handledning", "document: nacka-policy"), "case 'a': gold #1: unknown document 'nacka-policy' (known: askersund-policy, nacka-handledning)"),
    (("must_mention:", "must_mentoin:"), "case 'a': unknown field(s) 'must_mentoin' (expected id, organisation, question, verdict, gold, history, must_mention, tags)"),
    (("  question: \"Får jag?\"\n", ""), "case 'a': missing required field(s) question"),
    (("id: a", "id: \"\""), "case #1: id must be a non-empty string"),
    (("gold: [{document: nacka-handledning, quote: \"får inte\"}]", "gold: []"), "case 'a': a 'no' case needs at least one gold passage"),
    (("verdict: \"no\"", "verdict: not_covered"), "case 'a': a not_covered case must have gold: []"),
    (("quote: \"får inte\"", "quote: \"\""), "case 'a': gold #1: quote must be a non-empty string"),
    (("quote: \"får inte\"", "text: \"får inte\""), "case 'a': gold #1 must have exactly the fields document and quote"),
    (("must_mention: [\"sekretess|öppen\"]", "must_mention: sekretess"), "case 'a': must_mention must be a list of non-empty strings"),
    (("must_mention: [\"sekretess|öppen\"]", "history: [{question: x}]"), "case 'a': history #1 must have exactly the string fields question and answer"),
])
def test_mistakes_are_one_line_errors_naming_file_and_case(tmp_path, edit, message):
    old, new = edit
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(PolicyAssistantError) as err:
        load_cases([path], DOCS, ORGS)
    assert str(err.value) == f"{path}: {message}"
    assert "\n" not in str(err.value)


def test_duplicate_ids_across_files(tmp_path):
    first, second = write(tmp_path, GOOD, "one.yaml"), write(tmp_path, GOOD, "two.yaml")
    with pytest.raises(PolicyAssistantError, match=r"two\.yaml: case 'a': duplicate id \(first in .*one\.yaml\)$"):
        load_cases([first, second], DOCS, ORGS)


@pytest.mark.parametrize("text, message", [
    ("- id: a\n  question: [unclosed\n", r"set\.yaml: not valid YAML \(line 3, column 1: .*\)$"),
    ("id: a\nquestion: x\n", r"set\.yaml: expected a YAML list of cases, found a mapping$"),
    ("", r"set\.yaml: the eval set is empty$"),
    ("- just a string\n", r"set\.yaml: case #1: expected a mapping with id, organisation, question, verdict, gold, found a string$"),
])
def test_file_level_errors(tmp_path, text, message):
    with pytest.raises(PolicyAssistantError, match=message) as err:
        load_cases([write(tmp_path, text)], DOCS, ORGS)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(PolicyAssistantError, match=r"nope\.yaml: eval set not found$"):
        load_cases([tmp_path / "nope.yaml"], DOCS, ORGS)


def test_known_ids_come_from_the_caller(tmp_path):
    path = write(tmp_path, GOOD.replace("nacka", "kiruna").replace("kiruna-handledning", "kiruna-policy"))
    (case,) = load_cases([path], {"kiruna-policy"}, {"kiruna"})
    assert case.organisation == "kiruna" and case.gold[0].document == "kiruna-policy"
