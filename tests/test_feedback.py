"""Feedback in SQLite: what is stored, that nothing personal is, and the export as draft eval cases."""
from __future__ import annotations

import pytest

from assistant.feedback import FeedbackStore, draft_cases, export_drafts
from evals.cases import load_cases
from ingest.errors import PolicyAssistantError

PNR, EMAIL, PHONE = "19121212-1212", "anna.svensson@nacka.se", "070-123 45 67"


def _answer(question="Får jag använda ChatGPT?"):
    return {"question": question, "organisation": "nacka", "verdict": "no", "mode": "extractive",
            "text": "Enligt handledningen: ”får bara användas med öppen information” [1]",
            "citations": [{"n": 1, "document": "nacka-handledning", "title": "Handledning", "section": "3",
                           "quote": "AI-tjänster får bara användas med öppen information.", "start": 10, "end": 60}]}


def test_ratings_are_stored_with_reason_comment_and_version(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite")
    up = store.add(_answer(), 1)
    down = store.add(_answer(), -1, history=[{"question": "Första frågan", "answer": "svar"}])
    store.update(down, "wrong_answer", "Det gäller inte oss")
    rows = store.rows()
    assert [r["rating"] for r in rows] == [1, -1] and rows[0]["id"] == up
    assert rows[1]["reason"] == "wrong_answer" and rows[1]["comment"] == "Det gäller inte oss"
    assert rows[1]["citations"][0]["document"] == "nacka-handledning" and rows[1]["history"][0]["question"] == "Första frågan"
    assert rows[1]["app_version"] and rows[1]["mode"] == "extractive" and rows[1]["organisation"] == "nacka"
    with pytest.raises(PolicyAssistantError):
        store.add(_answer(), 0)
    with pytest.raises(PolicyAssistantError):
        store.update(down, "because")


def test_no_personal_identifiers_reach_the_file(tmp_path):
    path = tmp_path / "fb.sqlite"
    store = FeedbackStore(path)
    fid = store.add(_answer(f"Får jag klistra in {PNR} och {EMAIL}?"), -1,
                    history=[{"question": f"Ring {PHONE}", "answer": ""}])
    store.update(fid, "other", f"Min kollega {EMAIL}, tel {PHONE}, pnr {PNR}")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in (PNR, EMAIL, PHONE, "19121212", "anna.svensson"):
        assert secret.encode() not in raw, secret
    row = store.rows()[0]
    assert "[PERSONNUMMER]" in row["question"] and "[E-POST]" in row["question"] and "[TELEFON]" in row["comment"]


def test_thumbs_down_export_loads_as_eval_cases(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite")
    store.add(_answer("Får jag använda Copilot för protokoll?"), 1)
    fid = store.add(_answer("Får jag använda Copilot för protokoll?"), -1)
    store.update(fid, "wrong_source", "Fel dokument")
    out = tmp_path / "drafts.yaml"
    assert export_drafts(store, out) == 1
    text = out.read_text(encoding="utf-8")
    assert "reason=wrong_source" in text and "Fel dokument" in text
    cases = load_cases([out], {"nacka-handledning"}, {"nacka"})
    assert len(cases) == 1 and cases[0].question == "Får jag använda Copilot för protokoll?"
    assert cases[0].verdict == "no" and cases[0].gold[0].document == "nacka-handledning" and "feedback" in cases[0].tags
    assert draft_cases([]).startswith("# Draft eval cases")
