"""Issue 11, chat findings, against real serve processes (and a real browser where the finding is about one):
no run history in the browser, no Markdown or math rendered from document data, no freeze from a huge question
or comment, a locked deployment that names no other organisation, bounded files and ratings."""
from __future__ import annotations

import http.server
import os
import shutil
import sqlite3
import threading
import time

import pytest

from tests.conftest import ROOT, AppServer, free_port, require_chromium, run_cli

os.environ["HF_HUB_OFFLINE"] = "1"


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


class Recorder:
    """A real HTTP server on 127.0.0.1 that records every request: where an injected image would be fetched from."""

    def __init__(self):
        self.requests: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                recorder.requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def hostile(corpus_store, tmp_path_factory):
    """A store with a document whose title, organisation name and text carry Markdown, an image link and math."""
    recorder = Recorder()
    work = tmp_path_factory.mktemp("hostile")
    data = work / "data"
    shutil.copytree(corpus_store.data_dir, data)
    doc = work / "trojan.txt"
    doc.write_text("AI-regler\n\nPublika AI-tjänster får bara användas med öppen information. "
                   f"Formeln $$x^2 + y^2$$ gäller inte. ![bild]({recorder.url}/from-text.png)\n", encoding="utf-8")
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": corpus_store.embedding_cache}
    res = run_cli("--data-dir", data, "ingest", doc, "--organisation", "trojan",
                  "--organisation-name", f"Trojan\n\n![org]({recorder.url}/from-org.png)\n\n$$a^2$$",
                  "--title", f"Titel\n\n![titel]({recorder.url}/from-title.png)\n\n$$b^2$$", env_extra=env)
    assert res.returncode == 0, res.stderr
    settings = corpus_store.model_copy(update={"data_dir": data})
    server = AppServer(settings, work)
    yield server, recorder
    server.stop()
    recorder.server.shutdown()


def test_document_data_never_renders_as_markdown_or_math_in_the_browser(hostile, browser):
    require_chromium()
    server, recorder = hostile
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server.url)
        page.wait_for_selector("#pa-question textarea", timeout=60_000)
        page.click("#pa-organisation input")
        page.get_by_role("option").filter(has_text="Trojan").first.click()
        page.wait_for_function("document.querySelector('#pa-organisation input').value.startsWith('Trojan')", timeout=30_000)
        page.fill("#pa-question textarea", f"Får jag använda publika AI-tjänster? ![q]({recorder.url}/from-question.png) $$c^2$$")
        page.click("#pa-send")
        page.wait_for_function("document.querySelectorAll('#pa-chat .verdict').length > 0", timeout=60_000)
        page.locator("#pa-chat details.sources summary").last.click()
        page.locator("#pa-chat a.show-doc").first.click()
        page.wait_for_selector("#pa-doc-panel mark.current", timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.locator("img[src*='127.0.0.1']").count() == 0
        assert page.locator(".katex, .katex-display, math").count() == 0
        chat = page.inner_text("#pa-chat")
        assert "Titel ![titel](" in chat and "$$b^2$$" in chat       # shown as written, on one line
        assert "$$c^2$$" in chat and "![q](" in chat
        assert recorder.requests == []
        # Gradio's run history keeps nothing in the browser, and its page is off
        keys = page.evaluate("Object.keys(window.localStorage)")
        assert not [k for k in keys if "run-history" in k], keys
        runs = page.request.get(server.url + "gradio_api/runs")
        assert runs.status >= 400 or "run history" not in runs.text().lower() or "disabled" in runs.text().lower()
    finally:
        context.close()


def test_huge_question_and_comment_do_not_freeze_the_server(app_server):
    """A 2 MB question and a 40 KB comment are refused at once; a normal question meanwhile is answered normally."""
    c = client(app_server.url)
    c.predict("Får jag använda ChatGPT?", [], "nacka", "sv", api_name="/ask")
    t0 = time.perf_counter(); c.predict("Får jag använda Copilot?", [], "nacka", "sv", api_name="/ask"); normal = time.perf_counter() - t0
    huge = ("a.b@c" + "x" * 40) * 50_000          # ~2 MB of near-e-mail text: worst case for the old pattern
    done = {}

    def attack():
        t = time.perf_counter()
        client(app_server.url).predict(huge, [], "nacka", "sv", api_name="/ask")
        done["attack"] = time.perf_counter() - t

    th = threading.Thread(target=attack)
    th.start()
    time.sleep(0.3)
    t0 = time.perf_counter(); c.predict("Får jag använda Copilot för protokoll?", [], "nacka", "sv", api_name="/ask"); during = time.perf_counter() - t0
    th.join(120)
    assert not th.is_alive()
    # the comment path: the rating endpoint with a 40 KB comment
    t0 = time.perf_counter()
    c.predict(0, False, "wrong_answer", "a@b" * 14_000, api_name="/feedback")
    comment_s = time.perf_counter() - t0
    print(f"normal {normal:.2f} s, during a 2 MB question {during:.2f} s, the 2 MB question {done['attack']:.2f} s, 40 KB comment {comment_s:.2f} s")
    assert during < 5 * normal + 2.0 and done["attack"] < 5 * normal + 5.0 and comment_s < 5 * normal + 2.0


def test_one_rating_per_answer(app_server):
    c = client(app_server.url)
    c.predict("Får jag använda ChatGPT för att skriva en annons?", [], "nacka", "sv", api_name="/ask")
    ids = {int(c.predict(0, i % 2 == 0, "wrong_answer", "", api_name="/feedback")) for i in range(30)}
    assert len(ids) == 1
    with sqlite3.connect(app_server.feedback_db) as db:
        assert db.execute("SELECT count(*) FROM feedback WHERE id = ?", (ids.pop(),)).fetchone()[0] == 1
        rows = db.execute("SELECT answer_key, count(*) FROM feedback WHERE answer_key IS NOT NULL GROUP BY answer_key HAVING count(*) > 1").fetchall()
    assert rows == []


def test_exports_are_bounded_and_private(app_server):
    import tempfile
    from pathlib import Path

    before = set(Path(tempfile.gettempdir()).glob("policy-chat-*"))   # left by older versions on this machine
    c = client(app_server.url)
    c.predict("Får jag använda ChatGPT för att skriva en annons?", [], "nacka", "sv", api_name="/ask")
    paths = []
    for _ in range(30):
        out = c.predict("nacka", "sv", api_name="/export")
        paths.append(out["value"] if isinstance(out, dict) else out)
    log = app_server.log.read_text(errors="replace")
    pid = app_server.proc.pid
    env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    temp = next(v.split(b"=", 1)[1].decode() for v in env if v.startswith(b"GRADIO_TEMP_DIR=")) if any(
        v.startswith(b"GRADIO_TEMP_DIR=") for v in env) else None
    if temp is None:    # set by the app itself at import: find it from the process's open state
        import glob
        candidates = [d for d in glob.glob("/tmp/policy-assistant-ui-*") if os.stat(d).st_uid == os.getuid()]
        assert candidates, log[-1000:]
        temp = max(candidates, key=os.path.getmtime)
    assert oct(os.stat(temp).st_mode & 0o777) == oct(0o700)
    exports = list((__import__("pathlib").Path(temp) / "exports").glob("samtal-*.html"))
    assert 0 < len(exports) <= 20
    assert set(Path(tempfile.gettempdir()).glob("policy-chat-*")) == before


def test_a_locked_deployment_names_no_other_organisation(corpus_store, tmp_path):
    import urllib.request

    from assistant.ui.app import ChatApp
    from assistant.engine import Assistant

    settings = corpus_store.model_copy(update={"ui_organisation": "nacka", "feedback_db": str(tmp_path / "f.sqlite")})
    app = ChatApp(Assistant(settings), settings)
    # what the organisation- and language-change events compute, whatever organisation a client sends
    assert app.disclaimer("askersund", "sv") == app.disclaimer("nacka", "sv")
    assert "säkerhetsstaben" in app.disclaimer("norsjo", "sv")
    assert app.examples("askersund", "sv") == app.examples("nacka", "sv")
    assert [o for _, o in app.org_choices()] == ["nacka"]
    server = AppServer(settings, tmp_path, POLICY_ASSISTANT_UI_ORGANISATION="nacka")
    try:
        config = urllib.request.urlopen(server.url + "config", timeout=30).read().decode()
    finally:
        server.stop()
    assert "Nacka kommun" in config
    for other in ("Askersunds kommun", "Norsjö kommun", "askersund", "norsjo"):
        assert other not in config, other
