"""Accessibility (WCAG 2.1 AA, as Swedish public-sector law requires) of the chat in a real browser: axe-core on
every view in both languages at desktop and phone width, keyboard-only use, "Stor text" measured, the phone layout.

axe-core comes from the npm registry into tests/a11y/node_modules (`make test` runs `npm ci --prefix tests/a11y`
when it is missing) and is injected into the page by Playwright: nothing is fetched while the tests run.
"""
from __future__ import annotations

import os
import sqlite3

import pytest

from tests.conftest import ROOT, AppServer, require_chromium

ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
require_chromium()
if not AXE.exists():
    if os.environ.get("CI"):
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci --prefix tests/a11y`", pytrace=False)
    pytest.skip("axe-core is not installed (npm ci --prefix tests/a11y)", allow_module_level=True)

AXE_RUN = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""
WCAG21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Gradio's own English or Swedish wording that must not show in the other interface language.
FOREIGN = {"sv": ["Like", "Dislike", "Copy message", "Copy conversation", "Clear", "chatbot conversation", "Scroll down",
                  "File", "Info"],
           "en": ["Gilla", "Ogilla", "Rensa", "Kopiera", "Samtal", "Fråga", "Källor"]}
TEXTS = {"sv": {"practice": "Övningsläge", "question": "Får jag klistra in personuppgifter i ChatGPT?", "sources": "Källor"},
         "en": {"practice": "Practice", "question": "May I paste personal data into ChatGPT?", "sources": "Sources"}}


def axe(page, view: str, tags: list[str] = WCAG21AA + ["best-practice"]) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return [f"{view}: {v}" for v in page.evaluate(AXE_RUN, tags)]


def open_page(browser, url: str, viewport: dict, locale: str = "sv-SE"):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#pa-question textarea", timeout=60_000)
    return context, page


def choose_organisation(page, name: str = "Nacka kommun") -> None:
    page.click("#pa-organisation input")
    page.get_by_role("option", name=name).first.click()
    page.wait_for_function(f"document.querySelector('#pa-organisation input').value === {name!r} && "
                           "!document.querySelector('#pa-disclaimer').innerText.includes('Välj din organisation')",
                           timeout=30_000)


def ask_with_enter(page, question: str) -> None:
    before = page.locator("#pa-chat .answer").count()
    page.fill("#pa-question textarea", question)
    page.press("#pa-question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#pa-chat .answer .verdict').length > {before}", timeout=60_000)
    page.wait_for_function("document.querySelector('#pa-status').innerText.length > 0", timeout=10_000)


def labels(page) -> list[str]:
    """Every accessible label and title on the page, and the text of every button."""
    return page.evaluate("""() => [...document.querySelectorAll('[aria-label], [title], button, label')]
        .filter(e => e.offsetParent !== null || e.getAttribute('aria-label'))
        .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.tagName === 'BUTTON' ? e.innerText : null])
        .filter(Boolean).map(s => s.trim())""")


def words_broken(page, selector: str) -> list[str]:
    """Words of the element's text that the layout broke across lines (one word, more than one line box)."""
    return page.evaluate("""(sel) => { const out = [];
      document.querySelectorAll(sel).forEach(el => { const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) { const re = /\\S+/g; let m;
          while ((m = re.exec(n.textContent))) { const r = document.createRange(); r.setStart(n, m.index);
            r.setEnd(n, m.index + m[0].length); const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
            if (tops.size > 1) out.push(m[0]); } } }); return out; }""", selector)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_view_has_no_axe_violations(browser, app_server, language, viewport):
    """Start page, an answer with its sources open and the document panel, the practice result: 0 violations of any
    impact; the page language, labels and layout follow the interface language and the screen."""
    # The browser's own language is the other one: the interface language must win over Gradio's locale.
    context, page = open_page(browser, app_server.url, viewport, locale="en-US" if language == "sv" else "sv-SE")
    phone = viewport is PHONE
    try:
        if language == "en":
            page.locator("#pa-language label", has_text="English").click()
            page.wait_for_function("document.querySelector('#pa-send').innerText.includes('Ask')", timeout=30_000)
        page.wait_for_function(f"document.documentElement.lang === {language!r}", timeout=10_000)
        violations = axe(page, "start")
        choose_organisation(page)
        ask_with_enter(page, TEXTS[language]["question"])
        page.wait_for_timeout(300)
        if phone:   # the question box and the latest answer's verdict on the first screen, nothing broken mid-word
            page.evaluate("window.scrollTo(0, 0)")
            verdict = page.locator("#pa-chat .answer .verdict").last.bounding_box()
            box = page.locator("#pa-question textarea").bounding_box()
            assert 0 <= verdict["y"] and verdict["y"] + verdict["height"] <= viewport["height"], verdict
            assert box["y"] + 20 <= viewport["height"], box
            assert words_broken(page, "#pa-title h1, #pa-send, .tab-container button, #pa-organisation, #pa-language") == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"a11y-{language}-{viewport['width']}x{viewport['height']}-answer.png"))
        page.locator("#pa-chat details.sources summary").last.click()
        page.locator("#pa-chat a.show-doc").first.click()
        page.wait_for_selector("#pa-doc-panel mark.current", state="attached", timeout=30_000)
        page.wait_for_function("document.activeElement && document.activeElement.matches('.doc-view')", timeout=10_000)
        panel = page.locator("#pa-doc-panel")
        if phone:   # a drawer over the chat, closed with its button (focus back to the link)
            assert panel.evaluate("e => getComputedStyle(e).position") == "fixed"
            assert panel.bounding_box()["height"] > viewport["height"] * 0.6
        violations += axe(page, "document")
        page.screenshot(path=str(ARTIFACTS / f"a11y-{language}-{viewport['width']}x{viewport['height']}-document.png"))
        if phone:
            page.locator("#pa-doc-panel .doc-close").click()
            assert not panel.is_visible()
        # no markup in accessible names, no Gradio wording of the other language
        found = labels(page)
        assert not [x for x in found if "<" in x], found
        assert not set(found) & set(FOREIGN[language]), set(found) & set(FOREIGN[language])
        assert page.locator("#pa-chat [data-testid='bot'][aria-label]").count() == 0
        assert page.locator("#pa-status[role='status'][aria-live='polite']").count() == 1
        page.get_by_role("tab", name=TEXTS[language]["practice"]).click()
        page.locator("#pa-practice-no").click()
        page.wait_for_selector("#pa-practice-result .practice-feedback", timeout=30_000)
        violations += axe(page, "practice")
        page.screenshot(path=str(ARTIFACTS / f"a11y-{language}-{viewport['width']}x{viewport['height']}-practice.png"),
                        full_page=True)
        assert violations == []
    finally:
        context.close()


def test_login_page_has_no_axe_violations(corpus_store, browser, tmp_path):
    from assistant.auth import hash_password

    server = AppServer(corpus_store, tmp_path, POLICY_ASSISTANT_UI_AUTH=f'["anna:{hash_password("hemligt-lösen-1")}"]')
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector("input[type=password]", timeout=60_000)
        # Gradio draws this page from a config without the app's title; assistant/ui/page_title.py gives it one.
        assert page.title() == "AI-policyassistenten"
        violations = axe(page, "login", WCAG21AA)
        assert violations == []
        assert page.evaluate("document.documentElement.lang") == "sv"
    finally:
        context.close()
        server.stop()


def test_large_text_enlarges_every_text(browser, app_server):
    """"Stor text (projektor)" makes the chat, its sources, the controls and practice mode at least 1.35× larger."""
    context, page = open_page(browser, app_server.url, DESKTOP)
    selectors = ["#pa-title h1", "#pa-disclaimer p", "#pa-question textarea", "#pa-question label span", "#pa-send",
                 ".pa-example", "#pa-chat .answer-text", "#pa-chat .source-where", "#pa-chat .sources summary",
                 "#pa-chat .question", "button[role=tab]", "#pa-language label span", "#pa-practice-question p",
                 "#pa-practice-no", "#pa-practice-restart"]
    sizes = """(sels) => Object.fromEntries(sels.map(s => { const e = document.querySelector(s);
        return [s, e ? parseFloat(getComputedStyle(e).fontSize) : null]; }))"""
    try:
        choose_organisation(page)
        ask_with_enter(page, "Får jag använda ChatGPT för att skriva en annons?")
        page.locator("#pa-chat details.sources summary").last.click()
        page.get_by_role("tab", name="Övningsläge").click()
        page.wait_for_selector("#pa-practice-no")
        page.locator("#pa-practice-question p").first.wait_for()
        page.get_by_role("tab", name="Fråga").click()
        page.locator("#pa-chat .answer-text").last.wait_for()
        before = page.evaluate(sizes, selectors)
        assert None not in before.values(), before
        page.check("#pa-large input")
        page.get_by_role("tab", name="Övningsläge").click()
        page.get_by_role("tab", name="Fråga").click()
        after = page.evaluate(sizes, selectors)
        ratios = {s: round(after[s] / before[s], 2) for s in selectors}
        assert all(r >= 1.35 for r in ratios.values()), ratios
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "a11y-large-text.png"))
    finally:
        context.close()


def focus_outline(page) -> float:
    """The visible focus indicator of the focused control (its own outline, or its label's for a radio button)."""
    return page.evaluate("""() => { const e = document.activeElement; const own = getComputedStyle(e);
        const lab = e.closest('label'), l = lab ? getComputedStyle(lab) : null;
        const w = s => s && s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0;
        return Math.max(w(own), w(l)); }""")


def tab_to(page, selector: str, seen: list, limit: int = 80, back: bool = False) -> None:
    """Press Tab until the focused element matches `selector`, checking the focus is visible at every stop."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        desc = page.evaluate("() => { const e = document.activeElement; return e.tagName + '#' + (e.id || '') + '.' + "
                             "(e.getAttribute('aria-label') || e.innerText || e.value || '').slice(0, 30); }")
        if not desc.startswith("BODY"):
            seen.append((desc, focus_outline(page)))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached by keyboard; focus went: {seen[-10:]}")


def test_keyboard_only(browser, app_server):
    """Without a mouse: choose the organisation, ask, open a source in the document panel, rate the answer with a
    reason (the form opens at the answer and thanks there), and answer a practice scenario. Focus is visible at
    every stop."""
    context, page = open_page(browser, app_server.url, DESKTOP)
    seen: list = []
    try:
        tab_to(page, "#pa-organisation input", seen)
        page.keyboard.type("Nacka")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#pa-organisation input').value === 'Nacka kommun' && "
                               "document.querySelector('#pa-disclaimer').innerText.includes('säkerhetsstaben')", timeout=30_000)
        tab_to(page, "#pa-question textarea", seen)
        page.keyboard.type("Vem ansvarar för att AI-policyn följs")
        page.keyboard.press("Shift+Enter")          # a new line, not a send
        page.keyboard.type("i min förvaltning?")
        assert "\n" in page.input_value("#pa-question textarea")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#pa-chat .answer .verdict').length > 0", timeout=60_000)
        tab_to(page, "#pa-chat details.sources summary", seen, back=True)
        page.keyboard.press("Enter")
        tab_to(page, "#pa-chat a.show-doc", seen)
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.matches('#pa-doc-panel .doc-view')",
                               timeout=30_000)
        assert page.locator("#pa-doc-panel mark.current").count() == 1
        # rate: 👎 with a reason
        tab_to(page, "#pa-chat .message-buttons button[aria-label^='Dåligt svar']", seen, back=True, limit=120)
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.closest('#pa-feedback')", timeout=30_000)
        form, rated = page.locator("#pa-feedback").first.bounding_box(), page.evaluate(
            "window.paRated.closest('.message-buttons').getBoundingClientRect().bottom")
        assert 0 <= form["y"] - rated <= 40, (form, rated)      # right under the rated answer
        # Gradio names each radio input on its own, so Tab (not the arrow keys) moves between them; Space picks.
        tab_to(page, "#pa-reason input[value='wrong_source']", seen)
        page.keyboard.press("Space")
        tab_to(page, "#pa-comment textarea, #pa-comment input", seen)
        page.keyboard.type("Fel avsnitt")
        tab_to(page, "#pa-send-feedback", seen)
        page.keyboard.press("Enter")
        thanks = page.locator("#pa-feedback-thanks")
        thanks.wait_for(state="visible", timeout=30_000)
        assert "Tack" in thanks.inner_text() and abs(thanks.bounding_box()["y"] - form["y"]) < 60
        with sqlite3.connect(app_server.feedback_db) as db:
            row = db.execute("SELECT rating, reason, comment FROM feedback ORDER BY id DESC LIMIT 1").fetchone()
        assert row == (-1, "wrong_source", "Fel avsnitt")
        # practice
        tab_to(page, "button[role=tab]:not([aria-selected=true])", seen)
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#pa-practice-question') && "
                               "document.querySelector('#pa-practice-question').innerText.includes('1 /')", timeout=30_000)
        tab_to(page, "#pa-practice-yes", seen)
        page.keyboard.press("Enter")
        page.wait_for_selector("#pa-practice-result .practice-feedback", timeout=30_000)
        result = page.inner_text("#pa-practice-result")
        assert "Du svarade: Ja." in result and "Rätt svar:" in result
        invisible = [d for d, w in seen if w < 2]
        assert not invisible, invisible
    finally:
        context.close()


def test_organisation_is_chosen_once_and_remembered_in_the_browser(browser, app_server):
    context, page = open_page(browser, app_server.url, DESKTOP)
    try:
        assert page.input_value("#pa-organisation input") == ""                    # no silent default
        assert "Välj din organisation" in page.inner_text("#pa-disclaimer")
        page.fill("#pa-question textarea", "Får jag använda ChatGPT?")
        page.click("#pa-send")
        page.wait_for_selector(".toast-body", timeout=30_000)
        assert page.locator("#pa-chat .answer").count() == 0
        choose_organisation(page, "Norsjö kommun")
        # Saved by the dropdown's client-side change handler, which may run after the disclaimer's update.
        page.wait_for_function("localStorage.getItem('policy-assistant:organisation') === 'norsjo'", timeout=15_000)
        page.reload()
        page.wait_for_function("document.querySelector('#pa-organisation input') && "
                               "document.querySelector('#pa-organisation input').value === 'Norsjö kommun'", timeout=60_000)
        ask_with_enter(page, "Får jag använda ChatGPT?")
        assert "Norsjö" in page.locator("#pa-chat .answer").last.inner_text()
    finally:
        context.close()
