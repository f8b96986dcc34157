"""Privacy and security guarantees, each proven on real processes:

- nothing leaves the machine: ingest, ask, eval and serve run under a guard (tests/netguard/sitecustomize.py) that
  refuses and records any connection or name lookup outside 127.0.0.0/8, and a real browser session records every
  request it makes;
- nothing stored (store, caches, feedback, logs, eval reports) holds a raw identity number, e-mail address or phone
  number fed in as a question or comment;
- listening beyond loopback needs a login, with hashed passwords.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from assistant.auth import checker, hash_password, parse_users
from ingest.errors import PolicyAssistantError
from tests.conftest import ROOT, AppServer, run_cli

GUARD = Path(__file__).with_name("netguard")
PNR, EMAIL, PHONE = "19121212-1212", "kalle.anka@example.org", "070-123 45 67"
SECRETS = (PNR, "191212121212", "121212-1212", EMAIL, PHONE, "0701234567")


def guarded_env(log: Path, **extra) -> dict:
    path = os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH", "")]))
    return {"PYTHONPATH": path, "NETGUARD_LOG": str(log), **extra}


def test_the_guard_refuses_and_records(tmp_path):
    log = tmp_path / "net.log"
    code = "import socket\ntry:\n    socket.getaddrinfo('example.org', 443)\nexcept OSError as e:\n    print(e)\n"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **guarded_env(log)}, capture_output=True, text=True,
                         timeout=60)
    assert "netguard" in out.stdout and "lookup example.org" in log.read_text()


def scan(paths: list[Path]) -> list[str]:
    """Every (file, secret) where a raw identifier was found in a file under `paths`."""
    found = []
    for root in paths:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for f in files:
            data = f.read_bytes()
            found += [f"{f}: {s}" for s in SECRETS if s.encode() in data]
    return found


def test_nothing_leaves_the_machine_and_nothing_personal_is_stored(tmp_path, embedding_cache, browser):
    log = tmp_path / "net.log"
    data = tmp_path / "data"
    env = guarded_env(log, POLICY_ASSISTANT_DATA_DIR=str(data), POLICY_ASSISTANT_EMBEDDING_CACHE=embedding_cache)
    question = f"Får jag klistra in personnummer {PNR}, {EMAIL} och {PHONE} i ChatGPT?"

    result = run_cli("ingest", "--quiet", env_extra=env)
    assert result.returncode == 0, result.stderr
    result = run_cli("ask", question, "--organisation", "nacka", env_extra=env)
    assert result.returncode == 0 and "Nej" in result.stdout, result.stderr
    assert not any(s in result.stdout for s in SECRETS)

    eval_set = tmp_path / "pii.yaml"
    eval_set.write_text(yaml.safe_dump([{"id": "pii-1", "organisation": "nacka", "question": question, "verdict": "no",
                                          "gold": [{"document": "nacka-handledning", "quote": "personuppgifter"}]}],
                                        allow_unicode=True), encoding="utf-8")
    report = tmp_path / "report"
    result = run_cli("eval", "--set", eval_set, "--report", report, "--quiet", env_extra=env)
    assert result.returncode == 0, result.stderr

    from assistant.settings import load_settings

    settings = load_settings(data_dir=data, embedding_cache=embedding_cache)
    server = AppServer(settings, tmp_path, **guarded_env(log))
    outside: list[str] = []
    try:
        context = browser.new_context()

        def route(r):
            host = urlparse(r.request.url).hostname or ""
            if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector("#pa-question textarea", timeout=60_000)
        page.click("#pa-organisation input")
        page.get_by_role("option", name="Nacka kommun").click()
        page.fill("#pa-question textarea", question)
        page.click("#pa-send")
        page.wait_for_selector("#pa-chat .verdict", timeout=60_000)
        assert not any(s in page.inner_text("#pa-chat") for s in SECRETS)
        page.locator("#pa-chat button[aria-label^='Dåligt svar']").last.click()
        page.locator("#pa-send-feedback").wait_for(state="visible", timeout=30_000)
        page.fill("#pa-comment textarea, #pa-comment input", f"Ring mig på {PHONE} eller {EMAIL}")
        page.click("#pa-send-feedback")
        page.locator("#pa-send-feedback").wait_for(state="hidden", timeout=30_000)
        page.click("#pa-export")
        page.locator("#pa-export-file a").first.wait_for(timeout=30_000)
        context.close()
    finally:
        server.stop()

    assert outside == []
    assert not log.exists() or log.read_text() == "", log.read_text()
    assert server.feedback_db.is_file()
    assert scan([data, report, server.feedback_db, server.log, Path(embedding_cache)]) == []


def test_passwords_are_hashed_and_checked():
    entry = "anna:" + hash_password("hemligt lösen", iterations=1000)
    assert "hemligt" not in entry and entry.startswith("anna:pbkdf2_sha256$1000$")
    check = checker([entry], min_iterations=1000)
    assert check("anna", "hemligt lösen") and not check("anna", "fel") and not check("bertil", "hemligt lösen")
    assert not check("anna", "")
    for bad in ("anna:hemligt", "anna:pbkdf2_sha256$x$00$00", ":pbkdf2_sha256$1$00$00"):
        with pytest.raises(PolicyAssistantError, match="hash-password"):
            parse_users([bad])


def test_login_is_required_off_loopback_and_enforced(corpus_store, tmp_path):
    result = run_cli("serve", "--host", "0.0.0.0", env_extra={"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir)}, timeout=60)
    assert result.returncode == 2 and "without login" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("serve", env_extra={"POLICY_ASSISTANT_DATA_DIR": str(corpus_store.data_dir),
                                         "POLICY_ASSISTANT_UI_AUTH": '["anna:secret"]'}, timeout=60)
    assert result.returncode == 2 and "hash-password" in result.stderr and "secret" not in result.stderr

    made = subprocess.run([sys.executable, "-m", "assistant.cli", "hash-password", "anna"], input="rätt lösen\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert made.returncode == 0 and made.stdout.startswith("anna:pbkdf2_sha256$")
    auth = '["' + made.stdout.strip() + '"]'
    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_UI_AUTH=auth)
    try:
        from gradio_client import Client

        with pytest.raises(Exception):
            Client(server.url, verbose=False)                       # no login, no app
        with pytest.raises(Exception):
            Client(server.url, auth=("anna", "fel lösen"), verbose=False)
        client = Client(server.url, auth=("anna", "rätt lösen"), verbose=False)
        _, chat, _, _ = client.predict("Får jag använda ChatGPT?", [], "nacka", "sv", api_name="/ask")
        assert "verdict" in str(chat)
    finally:
        server.stop()
