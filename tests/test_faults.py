"""Faults (issue 6): the LLM backend failing under the chat, a missing, damaged or foreign store, an ingest killed
with SIGKILL half-way, and a Chroma server that goes away mid-session. Everything is real: `policy-assistant`
processes, Chroma stores on disk, a `chroma run` server, the scripted LLM server over HTTP.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.errors import PolicyAssistantError
from tests.conftest import CORPUS, AppServer, free_port, run_cli, scenario, start_stub

os.environ["HF_HUB_OFFLINE"] = "1"
QUESTION = "Får jag klistra in personuppgifter i ChatGPT?"
FALLBACK = "Språkmodellen kunde inte användas"


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def last_html(chat: list) -> str:
    content = chat[-1]["content"]
    return content[0]["text"] if isinstance(content, list) else content


def verdict_of(html: str) -> str | None:
    import re

    m = re.search(r'data-verdict="(\w+)"', html)
    return m.group(1) if m else None


def one_error_line(res: subprocess.CompletedProcess) -> str:
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 2, (res.returncode, res.stdout[-1000:], res.stderr[-3000:])
    assert "Traceback" not in res.stderr and len(lines) == 1, res.stderr[-3000:]
    return lines[0]


def copy_store(src, dst: Path, **kw):
    """A private copy of a built store (data dir), so a test may damage it."""
    from assistant.settings import load_settings

    shutil.copytree(src.data_dir, dst, ignore=shutil.ignore_patterns("ingest.lock"))
    kw.setdefault("embedding_cache", str(src.embedding_cache_path))
    return load_settings(data_dir=dst, corpus_dir=CORPUS, **kw)


def cli_env(settings) -> dict:
    return {"POLICY_ASSISTANT_EMBEDDING_CACHE": str(settings.embedding_cache_path)}


# -- the LLM backend down, slow or answering garbage, through the chat --------------------------------

def test_chat_falls_back_to_extractive_when_the_llm_fails(corpus_store, tmp_path):
    stub_proc, base = start_stub()
    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_ANSWER_MODE="llm", POLICY_ASSISTANT_LLM_API_BASE=base + "/v1",
                       POLICY_ASSISTANT_LLM_MODEL="stub-model", POLICY_ASSISTANT_LLM_TIMEOUT="3")
    try:
        c = client(server.url)
        scenario(base, "ok")
        _, chat, _, _ = c.predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        assert FALLBACK not in last_html(chat) and verdict_of(last_html(chat)) == "no"

        for name, kw, reason in [("garbage", {}, "tolka"), ("slow", {"delay": 8}, "i tid")]:
            scenario(base, name, **kw)
            t0 = time.monotonic()
            _, chat, _, _ = client(server.url).predict(QUESTION, [], "nacka", "sv", api_name="/ask")
            html = last_html(chat)
            assert FALLBACK in html and reason in html, (name, html[:2000])
            assert verdict_of(html) == "no" and "<details" in html and "allmänt tillgängliga" in html  # the quoted rule
            assert "Traceback" not in html
            if name == "slow":
                assert time.monotonic() - t0 < 8        # the timeout, not the backend, ended the wait

        stub_proc.kill()                                    # the backend goes away altogether
        stub_proc.wait(10)
        _, chat, _, _ = client(server.url).predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        html = last_html(chat)
        assert FALLBACK in html and "nå" in html and verdict_of(html) == "no" and "<details" in html
    finally:
        server.stop()
        if stub_proc.poll() is None:
            stub_proc.kill()
        assert "Traceback" not in server.log.read_text(errors="replace")


# -- the store missing, damaged, or written by another model ---------------------------------------

def test_serve_with_an_empty_data_dir_builds_the_store_and_answers(corpus_store, make_settings, tmp_path):
    settings = make_settings()            # an empty data dir; the shared embedding cache is already warm
    assert not settings.data_dir.exists()
    server = AppServer(settings, tmp_path)
    try:
        _, chat, _, _ = client(server.url).predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        assert verdict_of(last_html(chat)) == "no"
    finally:
        server.stop()
    assert "Ingest done" in server.log.read_text(errors="replace")


def _garbage_sqlite(settings) -> None:
    (settings.store_dir / "chroma.sqlite3").write_bytes(os.urandom(64 * 1024))


def _truncated_sqlite(settings) -> None:
    path = settings.store_dir / "chroma.sqlite3"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _pointer_to_missing_generation(settings) -> None:
    from ingest.store import Store

    store = Store(settings)
    store._pointer().modify(metadata={"current": "policy-g1", "previous": ""})


def _vector_index_lost(settings) -> None:
    """The HNSW files and the log Chroma would rebuild them from (the files alone it rebuilds silently)."""
    for d in settings.store_dir.iterdir():
        if d.is_dir():
            shutil.rmtree(d)
    with sqlite3.connect(settings.store_dir / "chroma.sqlite3") as db:
        db.execute("DELETE FROM embeddings_queue")


DAMAGE = {
    "garbage sqlite": _garbage_sqlite,
    "truncated sqlite": _truncated_sqlite,
    "pointer to a missing generation": _pointer_to_missing_generation,
    "vector index lost": _vector_index_lost,
}


def _damage_in_subprocess(name: str, settings) -> None:
    """Damage in another process: this process's chromadb keeps clients per path and must not see the copy."""
    code = (f"from tests.test_faults import DAMAGE, _load; DAMAGE[{name!r}](_load({str(settings.data_dir)!r}, "
            f"{str(settings.embedding_cache_path)!r}))")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)


def _load(data_dir: str, cache: str):
    from assistant.settings import load_settings

    return load_settings(data_dir=data_dir, corpus_dir=CORPUS, embedding_cache=cache)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_store_names_the_rebuild_command(corpus_store, tmp_path, damage):
    settings = copy_store(corpus_store, tmp_path / "data")
    _damage_in_subprocess(damage, settings)
    env = cli_env(settings)
    for args in (["ask", QUESTION, "--organisation", "nacka"], ["search", QUESTION, "--organisation", "nacka"],
                 ["serve", "--port", free_port()]):
        res = run_cli("--data-dir", settings.data_dir, *args, env_extra=env, timeout=180)
        line = one_error_line(res)
        assert "policy-assistant ingest --rebuild" in line, (args[0], line)
    # ... and that command does rebuild it
    res = run_cli("--data-dir", settings.data_dir, "ingest", "--rebuild", "--quiet", env_extra=env, timeout=400)
    assert res.returncode == 0, res.stderr[-3000:]
    res = run_cli("--data-dir", settings.data_dir, "ask", QUESTION, "--organisation", "nacka", "--json", env_extra=env, timeout=180)
    assert res.returncode == 0, res.stderr[-3000:]
    assert json.loads(res.stdout)["verdict"] == "no"


def test_store_of_another_embedding_model_names_the_rebuild_command(corpus_store, tmp_path):
    settings = copy_store(corpus_store, tmp_path / "data")
    env = cli_env(settings)
    for args in (["ask", QUESTION, "--organisation", "nacka"], ["search", QUESTION, "--organisation", "nacka"],
                 ["serve", "--port", free_port()]):
        res = run_cli("--data-dir", settings.data_dir, "--embedding", "sentence-transformers", *args, env_extra=env, timeout=180)
        line = one_error_line(res)
        assert "policy-assistant ingest --rebuild" in line and "multilingual-e5" in line, (args[0], line)


# -- an ingest killed with SIGKILL half-way ----------------------------------------------------------

def _collections(store_dir: Path) -> set[str]:
    try:
        with sqlite3.connect(f"file:{store_dir / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=1) as db:
            return {r[0] for r in db.execute("SELECT name FROM collections")}
    except sqlite3.Error:
        return set()


def _ask_json(settings, env) -> dict:
    res = run_cli("--data-dir", settings.data_dir, "ask", QUESTION, "--organisation", "nacka", "--json", env_extra=env, timeout=180)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)


def _queued(store_dir: Path) -> int:
    try:
        with sqlite3.connect(f"file:{store_dir / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0]
    except sqlite3.Error:
        return -1


@pytest.mark.parametrize("kill_when", ["new generation created", "records being written"])
def test_sigkill_mid_ingest_keeps_the_previous_store(corpus_store, tmp_path, kill_when):
    # A cold embedding cache makes the rebuild embed every chunk again: a long, steady window to kill it in.
    settings = copy_store(corpus_store, tmp_path / "data", embedding_cache=str(tmp_path / "cold-cache.sqlite"))
    env = cli_env(settings)
    before = _ask_json(settings, {**env, "POLICY_ASSISTANT_EMBEDDING_CACHE": str(corpus_store.embedding_cache_path)})
    existing, queued = _collections(settings.store_dir), _queued(settings.store_dir)
    assert existing and queued >= 0
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "--data-dir", str(settings.data_dir), "ingest", "--rebuild",
                             "--quiet"], cwd=Path(__file__).resolve().parent.parent, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if kill_when == "new generation created" and _collections(settings.store_dir) - existing:
            break
        if kill_when == "records being written" and _queued(settings.store_dir) > queued:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)

    warm = {**env, "POLICY_ASSISTANT_EMBEDDING_CACHE": str(corpus_store.embedding_cache_path)}
    after = _ask_json(settings, warm)                      # the previous generation still answers, the same way
    assert after["verdict"] == before["verdict"] == "no"
    assert [c["quote"] for c in after["citations"]] == [c["quote"] for c in before["citations"]]
    res = run_cli("--data-dir", settings.data_dir, "status", env_extra=warm, timeout=120)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-2000:]

    # The lock died with the process: the next ingest runs and completes, and clears the half-written generation.
    res = run_cli("--data-dir", settings.data_dir, "ingest", "--rebuild", "--quiet", env_extra=warm, timeout=400)
    assert res.returncode == 0 and "another ingest" not in res.stderr, res.stderr[-3000:]
    left = {n for n in _collections(settings.store_dir) if n.startswith("policy-g")}
    assert len({n.rsplit("-", 1)[0] for n in left}) <= 2       # current and previous only
    assert _ask_json(settings, warm)["verdict"] == "no"


# -- a Chroma server that stops mid-session ----------------------------------------------------------

class ChromaServer:
    def __init__(self, path: Path, port: int):
        self.path, self.port, self.proc = path, port, None

    def start(self) -> None:
        exe = Path(sys.executable).parent / "chroma"
        self.proc = subprocess.Popen([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("chroma server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        deadline = time.time() + 10          # the port is free again
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    time.sleep(0.2)
            except OSError:
                return


def test_chroma_server_stopped_mid_session(corpus_store, make_settings, tmp_path):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest

    server = ChromaServer(tmp_path / "server-db", free_port())
    server.start()
    app = None
    try:
        settings = make_settings(chroma_host="127.0.0.1", chroma_port=server.port)
        ingest(settings, progress=False)
        assistant = Assistant(settings)
        assert assistant.ask(QUESTION, "nacka").verdict == "no"
        app = AppServer(settings, tmp_path, POLICY_ASSISTANT_CHROMA_HOST="127.0.0.1", POLICY_ASSISTANT_CHROMA_PORT=str(server.port))
        c = client(app.url)
        _, chat, _, _ = c.predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        assert verdict_of(last_html(chat)) == "no"

        server.stop()
        for pause in (0.0, 2.5):          # within the retriever's 2 s refresh interval, and after it
            time.sleep(pause)
            with pytest.raises(PolicyAssistantError) as err:
                assistant.ask(QUESTION, "nacka")
            message = str(err.value)
            assert "\n" not in message and f"127.0.0.1:{server.port}" in message, message
        res = run_cli("ask", QUESTION, "--organisation", "nacka", env_extra={
            "POLICY_ASSISTANT_CHROMA_HOST": "127.0.0.1", "POLICY_ASSISTANT_CHROMA_PORT": str(server.port),
            "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir), **cli_env(settings)}, timeout=180)
        line = one_error_line(res)
        assert f"127.0.0.1:{server.port}" in line
        _, chat, _, _ = c.predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        html = last_html(chat)
        assert "Något gick fel" in html and f"127.0.0.1:{server.port}" in html and "Traceback" not in html
        assert verdict_of(html) is None

        server.start()                     # back on the same port and path
        assert assistant.ask(QUESTION, "nacka").verdict == "no"
        _, chat, _, _ = c.predict(QUESTION, [], "nacka", "sv", api_name="/ask")
        assert verdict_of(last_html(chat)) == "no"
    finally:
        if app is not None:
            app.stop()
        server.stop()
    assert "Traceback" not in app.log.read_text(errors="replace")
