"""The chat in a real browser: Playwright driving Debian's Chromium headless against a real `serve` process.

Chromium comes from Debian (`apt-get install chromium`; `make test` installs it when it can). Where it is missing
these tests skip, except under CI, where a missing browser is a failure.
"""
from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import ROOT, require_chromium

ARTIFACTS = ROOT / "test-artifacts"
require_chromium()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(app_server.url)
    page.wait_for_selector("#pa-question textarea", timeout=60_000)
    choose_organisation(page, "Nacka kommun")      # no organisation is preselected (tests/test_a11y.py)
    yield page
    context.close()


def ask(page, question: str) -> None:
    before = page.locator("#pa-chat .answer, #pa-chat .message.bot").count()
    page.fill("#pa-question textarea", question)
    page.click("#pa-send")
    page.wait_for_function(f"document.querySelectorAll('#pa-chat .verdict').length > {before}", timeout=60_000)


def choose_organisation(page, name: str) -> None:
    page.click("#pa-organisation input")
    page.get_by_role("option", name=name).first.click()
    page.wait_for_function(f"document.querySelector('#pa-disclaimer').innerText.length > 0 && "
                           f"document.querySelector('#pa-organisation input').value === {name!r}", timeout=30_000)


def test_ask_shows_verdict_and_sources_and_opens_the_document(page):
    # whom to ask, from the organisation's documents
    page.wait_for_function("document.querySelector('#pa-disclaimer').innerText.includes('säkerhetsstaben')", timeout=30_000)
    ask(page, "Får jag klistra in ett utdrag ur en socialtjänstakt i ChatGPT?")
    badge = page.locator("#pa-chat .verdict").last
    assert "verdict-no" in badge.get_attribute("class") and "Nej" in badge.inner_text()
    assert page.locator("#pa-banner").is_visible()                      # sensitive-data warning
    assert "AI-assistent" in page.inner_text("#pa-disclaimer")
    summary = page.locator("#pa-chat details.sources summary").last
    assert "Källor" in summary.inner_text()
    summary.click()
    assert page.locator("#pa-chat details.sources mark").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)

    page.locator("#pa-chat a.show-doc").first.click()
    mark = page.locator("#pa-doc-panel mark.current")
    mark.wait_for(timeout=30_000)
    assert "Handledning för AI-användning i Nacka kommun" in page.inner_text("#pa-doc-panel .doc-head")
    page.wait_for_timeout(600)
    box, panel = mark.bounding_box(), page.locator("#pa-doc-panel .doc-view").bounding_box()
    assert panel["y"] <= box["y"] <= panel["y"] + panel["height"]      # scrolled to the quote
    page.screenshot(path=str(ARTIFACTS / "chat-document.png"), full_page=True)


def test_script_in_a_question_is_shown_as_text(page):
    ask(page, "<script>alert('x')</script><img src=x onerror=\"alert('y')\"> Får jag använda ChatGPT?")
    user = page.locator("#pa-chat .message.user, #pa-chat [data-testid='user']").last.inner_text()
    assert "<script>alert('x')</script>" in user and "<img" in user
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_rating_an_answer_stores_the_reason(page, app_server):
    ask(page, "Vem ansvarar för att AI-policyn följs?")
    # Gradio's thumbs carry the interface language's words (strings.GRADIO_LABELS), whatever the browser's locale.
    page.locator("#pa-chat button[aria-label^='Dåligt svar']").last.click()
    page.locator("#pa-send-feedback").wait_for(state="visible", timeout=30_000)
    page.locator("#pa-reason label", has_text="Fel källa").click()
    page.fill("#pa-comment textarea, #pa-comment input", "Fel dokument citerat")
    page.click("#pa-send-feedback")
    page.locator("#pa-send-feedback").wait_for(state="hidden", timeout=30_000)
    with sqlite3.connect(app_server.feedback_db) as db:
        row = db.execute("SELECT rating, reason, comment, question FROM feedback ORDER BY id DESC LIMIT 1").fetchone()
    assert row == (-1, "wrong_source", "Fel dokument citerat", "Vem ansvarar för att AI-policyn följs?")


def test_finish_one_practice_scenario(page):
    page.get_by_role("tab", name="Övningsläge").click()
    question = page.locator("#pa-practice-question")
    question.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#pa-practice-question').innerText.includes('1 /')", timeout=30_000)
    page.click("#pa-practice-conditional")
    result = page.locator("#pa-practice-result")
    page.wait_for_function("document.querySelector('#pa-practice-result').innerText.includes('Rätt svar')", timeout=30_000)
    assert "Regeln" in result.inner_text()
    # the button's words are the result's words
    assert f"Du svarade: {page.inner_text('#pa-practice-conditional')}." in result.inner_text()
    assert "Poäng:" in page.inner_text("#pa-practice-score") and "av 1" in page.inner_text("#pa-practice-score")
    page.check("#pa-large input")
    assert "large-text" in page.evaluate("document.body.className")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "practice.png"), full_page=True)
    page.click("#pa-practice-next")
    page.wait_for_function("document.querySelector('#pa-practice-question').innerText.includes('2 /')", timeout=30_000)


def test_english_interface(page):
    page.locator("#pa-language label", has_text="English").click()
    page.wait_for_function("document.querySelector('#pa-send').innerText.includes('Ask')", timeout=30_000)
    assert "This is an AI assistant" in page.inner_text("#pa-disclaimer")
    ask(page, "May I paste personal data into ChatGPT?")
    assert "Sources" in page.locator("#pa-chat details.sources summary").last.inner_text()
