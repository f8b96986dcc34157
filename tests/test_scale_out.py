"""Scale-out: two chat processes (as behind a load balancer) sharing one Chroma server and one feedback database.
An ingest into the shared store reaches both without a restart."""
from __future__ import annotations

import os
import sqlite3
import time

from tests.conftest import AppServer, run_cli

os.environ["HF_HUB_OFFLINE"] = "1"


def ask(url: str, question: str, org: str) -> str:
    from gradio_client import Client

    c = Client(url, verbose=False)
    _, chat, _, _ = c.predict(question, [], org, "sv", api_name="/ask")
    content = chat[-1]["content"]
    return c, content[0]["text"] if isinstance(content, list) else content


def test_two_app_processes_share_one_chroma_server(chroma_server, make_settings, tmp_path):
    settings = make_settings(chroma_host="127.0.0.1", chroma_port=chroma_server)
    env = {"POLICY_ASSISTANT_CHROMA_HOST": "127.0.0.1", "POLICY_ASSISTANT_CHROMA_PORT": str(chroma_server),
           "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir), "POLICY_ASSISTANT_EMBEDDING_CACHE": str(settings.embedding_cache_path)}
    result = run_cli("ingest", "--quiet", env_extra=env)
    assert result.returncode == 0, result.stderr

    shared_feedback = tmp_path / "shared-feedback.sqlite"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    servers = [AppServer(settings, tmp_path / name, POLICY_ASSISTANT_CHROMA_HOST="127.0.0.1",
                         POLICY_ASSISTANT_CHROMA_PORT=str(chroma_server), POLICY_ASSISTANT_FEEDBACK_DB=str(shared_feedback))
               for name in ("a", "b")]
    try:
        question = "Får jag klistra in ett utdrag ur en socialtjänstakt i ChatGPT?"
        answers = [ask(s.url, question, "nacka") for s in servers]
        assert answers[0][1] == answers[1][1] and 'data-verdict="no"' in answers[0][1]
        for client, _ in answers:
            assert client.predict(0, True, None, "", api_name="/feedback") > 0
        with sqlite3.connect(shared_feedback) as db:
            assert db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 2

        # A new document ingested by a maintainer reaches both processes.
        doc = tmp_path / "kiruna-policy.txt"
        doc.write_text("AI-policy för Kiruna kommun\n\n§ 1 Användning\nMedarbetare får inte använda AI-tjänster för "
                       "att fatta beslut i ärenden om myndighetsutövning. Beslut fattas alltid av en handläggare.\n",
                       encoding="utf-8")
        result = run_cli("ingest", doc, "--organisation", "kiruna", "--organisation-name", "Kiruna kommun",
                         "--title", "AI-policy för Kiruna kommun", "--quiet", env_extra=env)
        assert result.returncode == 0, result.stderr
        time.sleep(2.5)   # the retriever looks for a new store generation at most every 2 s
        for s in servers:
            _, html = ask(s.url, "Får AI fatta beslut i ärenden om myndighetsutövning?", "kiruna")
            assert "AI-policy för Kiruna kommun" in html and 'data-verdict="no"' in html
    finally:
        for s in servers:
            s.stop()
