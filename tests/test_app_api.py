"""The chat app through its HTTP API, driven by gradio_client against a real `policy-assistant serve` process."""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path


from evals.cases import load_cases
from tests.conftest import ROOT, AppServer, run_cli, scenario

os.environ["HF_HUB_OFFLINE"] = "1"
PNR, EMAIL = "19121212-1212", "anna.svensson@nacka.se"


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def last_html(chat: list) -> str:
    content = chat[-1]["content"]
    return content[0]["text"] if isinstance(content, list) else content


def verdict_of(html: str) -> str:
    return re.search(r'data-verdict="(\w+)"', html).group(1)


def cited_documents(html: str) -> set[str]:
    return set(re.findall(r'<div class="source-where">([^·]+) ·', html))


def test_ask_answers_with_verdict_and_sources(app_server):
    c = client(app_server.url)
    box, chat, banner, _ = c.predict("Får jag klistra in ett utdrag ur en socialtjänstakt i ChatGPT?", [], "nacka", "sv",
                                     api_name="/ask")
    html = last_html(chat)
    assert box == "" and len(chat) == 2
    assert verdict_of(html) == "no" and "Nej" in html
    assert "<details" in html and "Källor" in html and "<mark>" in html and 'href="#visa-0-1"' in html
    assert "Handledning för AI-användning i Nacka kommun" in html
    assert banner["visible"] is True        # "akt" in socialtjänsten: secrecy warning
    _, chat, banner, doc_choices = c.predict("Får jag använda ChatGPT för att skriva en annons?", [], "nacka", "sv", api_name="/ask")
    assert banner["visible"] is False and [v for _, v in doc_choices["choices"]][0] == "0-1"


def test_answers_are_scoped_to_the_organisation(app_server):
    c = client(app_server.url)
    question = "Får jag använda en publik AI-tjänst för att skriva en text som ska publiceras?"
    titles = {}
    for org in ("nacka", "askersund", "norsjo"):
        _, chat, _, _ = c.predict(question, [], org, "sv", api_name="/ask")
        titles[org] = cited_documents(last_html(chat))
        assert titles[org], org
    assert all("Askersund" not in t and "Norsjö" not in t for t in titles["nacka"])
    assert all("Nacka" not in t and "Norsjö" not in t for t in titles["askersund"])
    assert all("Nacka" not in t and "Askersund" not in t for t in titles["norsjo"])


def test_each_session_keeps_its_own_conversation(app_server):
    first, second = client(app_server.url), client(app_server.url)
    first.predict("Får jag använda ChatGPT i mitt arbete?", [], "nacka", "sv", api_name="/ask")
    _, chat, _, _ = second.predict("Vem ansvarar för AI-policyn?", [], "askersund", "sv", api_name="/ask")
    exported = second.predict("askersund", "sv", api_name="/export")
    text = Path(exported["value"] if isinstance(exported, dict) else exported).read_text(encoding="utf-8")
    assert "Vem ansvarar för AI-policyn?" in text and "ChatGPT" not in text.split("<h2>1.")[1].split("</h2>")[0]
    assert text.count("<h2>") == 1 and "Askersunds kommun" in text


def test_empty_long_and_html_questions(app_server):
    c = client(app_server.url)
    box, chat, _, _ = c.predict("   ", [], "nacka", "sv", api_name="/ask")
    assert chat == [] and box == "   "
    long = "Får jag använda AI? " + "x" * 5000
    _, chat, _, _ = c.predict(long, [], "nacka", "sv", api_name="/ask")
    assert "för lång" in last_html(chat) and "4000" in last_html(chat)
    _, chat, _, _ = c.predict("<script>alert(1)</script> Får jag använda ChatGPT?", [], "nacka", "sv", api_name="/ask")
    user = chat[-2]["content"]
    user = user[0]["text"] if isinstance(user, list) else user
    assert "<script>" not in user and "&lt;script&gt;" in user


def test_document_panel_shows_the_cited_passage(app_server):
    c = client(app_server.url)
    c.predict("Vem beslutar om AI-policyn i Askersund?", [], "askersund", "sv", api_name="/ask")
    html = c.predict("0-1", "sv", api_name="/show_document")
    assert 'class="current" id="current-quote"' in html and 'data-document="askersund-policy"' in html
    assert "Klicka på" in c.predict("9-9", "sv", api_name="/show_document")


def test_feedback_is_stored_redacted_and_exported(app_server, tmp_path):
    c = client(app_server.url)
    _, chat, banner, _ = c.predict(f"Får jag klistra in personnummer {PNR} och {EMAIL} i ChatGPT?", [], "nacka", "sv",
                                   api_name="/ask")
    assert banner["visible"] is True        # the warning banner is shown
    assert PNR not in str(chat) and EMAIL not in str(chat)
    fid = c.predict(0, False, "wrong_answer", f"svara {EMAIL}", api_name="/feedback")
    assert isinstance(fid, (int, float)) and fid > 0
    raw = app_server.feedback_db.read_bytes()
    assert PNR.encode() not in raw and EMAIL.encode() not in raw
    with sqlite3.connect(app_server.feedback_db) as db:
        row = db.execute("SELECT rating, reason, organisation, question, comment FROM feedback WHERE id = ?", (int(fid),)).fetchone()
    assert row[:3] == (-1, "wrong_answer", "nacka") and "[PERSONNUMMER]" in row[3] and "[E-POST]" in row[4]

    out = tmp_path / "drafts.yaml"
    result = run_cli("feedback", "export", "--out", out, env_extra={"POLICY_ASSISTANT_FEEDBACK_DB": str(app_server.feedback_db)})
    assert result.returncode == 0, result.stderr
    from ingest.manifest import load_manifest

    manifest = load_manifest(ROOT / "corpus")   # other tests of the session may have rated other organisations' answers
    cases = load_cases([out], set(manifest.documents), set(manifest.organisations))
    assert any(case.organisation == "nacka" and "[PERSONNUMMER]" in case.question for case in cases)
    assert PNR not in out.read_text(encoding="utf-8")


def test_practice_round(app_server):
    c = client(app_server.url)
    start = c.predict("nacka", "sv", api_name="/practice_start")
    question = start[0]
    assert question.startswith("**1 / ")
    after = c.predict(api_name="/practice_no")
    assert ("Rätt!" in after[1] or "Inte riktigt" in after[1]) and "Regeln" in after[1] and "Poäng:" in after[2]
    nxt = c.predict(api_name="/practice_next")
    assert nxt[0].startswith("**2 / ")


def test_streaming_in_llm_mode_sends_sources_first(corpus_store, stub, tmp_path):
    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_ANSWER_MODE="llm", POLICY_ASSISTANT_LLM_API_BASE=stub + "/v1",
                       POLICY_ASSISTANT_LLM_MODEL="stub-model")
    try:
        scenario(stub, "ok")
        job = client(server.url).submit("Får jag klistra in personuppgifter i ChatGPT?", [], "nacka", "sv", api_name="/ask")
        outputs = [last_html(o[1]) for o in job if o[1]]
        assert len(outputs) >= 3
        assert "<details" in outputs[0] and "Skriver" in outputs[0]          # sources before any text
        assert any("Du får inte" in o and "Skriver" not in o for o in outputs[1:-1])  # text streamed in pieces
        assert "allmänt tillgängliga AI-tjänster" in outputs[-1] and verdict_of(outputs[-1]) == "no"

        scenario(stub, "http_error")
        _, chat, _, _ = client(server.url).predict("Får jag klistra in personuppgifter i ChatGPT?", [], "nacka", "sv", api_name="/ask")
        assert "Språkmodellen kunde inte användas" in last_html(chat) and "<details" in last_html(chat)
    finally:
        server.stop()


def test_serve_refuses_other_interfaces_and_unknown_organisation(corpus_store):
    env = {"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir)}
    result = run_cli("serve", "--host", "0.0.0.0", env_extra=env, timeout=60)
    assert result.returncode == 2 and "refusing to listen on 0.0.0.0" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("serve", "--organisation", "kiruna", "--port", "1", env_extra={
        **env, "POLICY_ASSISTANT_EMBEDDING_CACHE": str(corpus_store.embedding_cache_path)}, timeout=120)
    assert result.returncode == 2 and "kiruna" in result.stderr and "Traceback" not in result.stderr


def test_locked_organisation_answers_only_from_its_documents(corpus_store, tmp_path):
    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_UI_ORGANISATION="norsjo")
    try:
        c = client(server.url)
        # Whatever organisation a client names, a locked deployment answers from its own documents only.
        _, chat, _, _ = c.predict("Får jag använda ChatGPT med personuppgifter?", [], "nacka", "sv", api_name="/ask")
        titles = cited_documents(last_html(chat))
        assert titles and all("Nacka" not in t and "Askersund" not in t for t in titles)
        assert any("Norsjö" in t for t in titles)
    finally:
        server.stop()
