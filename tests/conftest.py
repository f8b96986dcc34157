"""Shared fixtures: real models, real Chroma stores in temporary directories, files on disk."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
os.environ.pop("POLICY_ASSISTANT_DATA_DIR", None)
os.environ.pop("POLICY_ASSISTANT_CONFIG", None)


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory) -> str:
    """One embedding cache for the whole run: real embeddings, computed once per text."""
    return str(tmp_path_factory.mktemp("embcache") / "cache.sqlite")


@pytest.fixture
def make_settings(tmp_path, embedding_cache):
    from assistant.settings import load_settings

    def make(**kw):
        kw.setdefault("data_dir", tmp_path / "data")
        kw.setdefault("corpus_dir", CORPUS)
        kw.setdefault("embedding_cache", embedding_cache)
        return load_settings(**kw)

    return make


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, embedding_cache):
    """The shipped corpus ingested once into a store the read-only tests share."""
    from assistant.settings import load_settings
    from ingest.pipeline import ingest

    settings = load_settings(data_dir=tmp_path_factory.mktemp("corpus-store"), corpus_dir=CORPUS, embedding_cache=embedding_cache)
    ingest(settings, progress=False)
    return settings


def one_document_manifest(org: str, name: str, doc_id: str, file: str, title: str, language: str = "") -> str:
    """The manifest of an organisation with one document (for a small store)."""
    lang = f'\nlanguage = "{language}"' if language else ""
    return (f'[organisations.{org}]\nname = "{name}"\ncontact = "AI-stödet"\n\n[[documents]]\nid = "{doc_id}"\n'
            f'file = "{file}"\ntitle = "{title}"\norganisation = "{org}"{lang}\n')


def small_store(root: Path, embedding_cache: str, manifest: str, files: dict[str, str]):
    """An Assistant over a real store ingested from a few documents written into root/corpus."""
    from assistant.engine import Assistant
    from assistant.settings import load_settings
    from ingest.pipeline import ingest

    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_cache=embedding_cache)
    ingest(settings, progress=False)
    return Assistant(settings)


@pytest.fixture(scope="session")
def retriever(corpus_store):
    from assistant.retrieval import Retriever

    return Retriever(corpus_store)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, env_extra=None, timeout=300):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` server process on 127.0.0.1."""
    port = free_port()
    exe = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server-db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def assistant(corpus_store, retriever):
    from assistant.engine import Assistant

    return Assistant(corpus_store, retriever=retriever)


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


class AppServer:
    """A real `policy-assistant serve` process on 127.0.0.1 over a given store."""

    def __init__(self, settings, workdir: Path, **env_extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.feedback_db = workdir / "feedback.sqlite"
        self.log = workdir / "serve.log"
        env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir),
               "POLICY_ASSISTANT_EMBEDDING_CACHE": str(settings.embedding_cache_path),
               "POLICY_ASSISTANT_FEEDBACK_DB": str(self.feedback_db), **env_extra}
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port)], cwd=ROOT,
                                         env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port, self.proc)
        except RuntimeError as exc:
            self.stop()
            pytest.fail(f"{exc}: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def app_server(corpus_store, tmp_path_factory):
    server = AppServer(corpus_store, tmp_path_factory.mktemp("app"))
    yield server
    server.stop()


STUB = Path(__file__).with_name("llm_stub_server.py")


def start_stub() -> tuple[subprocess.Popen, str]:
    """Start the scripted OpenAI-compatible / Ollama LLM server (tests/llm_stub_server.py); returns (process, base URL)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(STUB), "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 15
    while True:
        try:
            urllib.request.urlopen(base + "/v1/models", timeout=1).read()
            return proc, base
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("LLM stub server did not start")
            time.sleep(0.05)


@pytest.fixture(scope="session")
def stub():
    """The LLM stub server on 127.0.0.1 for the whole run; yields its base URL."""
    proc, base = start_stub()
    yield base
    proc.terminate()
    proc.wait(10)


def scenario(base: str, name: str, **kw) -> None:
    req = urllib.request.Request(base + "/_scenario", data=json.dumps({"name": name, **kw}).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling test module without Debian's Chromium, except under CI, where that is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package", pytrace=False)
        pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (which downloads no browser of its own). One per run: the sync
    API allows a single Playwright instance per thread."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
