"""The Gradio chat for employees and trainers. It only calls the assistant's public API (`Assistant.ask_stream`);
no retrieval or decision logic lives here.

Each browser session keeps its own conversation in `gr.State`, so many users at once never see each other's
turns. The conversation state is a list of turns, one per question shown: {"question": redacted text,
"answer": Answer.as_dict() or None when the question was refused or failed}.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import uuid
from pathlib import Path

import gradio as gr

from assistant.engine import MAX_QUESTION_CHARS, Assistant
from assistant.feedback import FeedbackStore
from assistant.practice import CHOICES, Session, for_organisation, generate_scenarios, load_scenarios
from assistant.sensitive import redact
from assistant.maintenance.usage import record_answer
from assistant.ui import render
from assistant.ui.workspace import build_workspace
from assistant.ui.strings import (FEEDBACK_REASONS, GENERIC_EXAMPLES, GRADIO_LABELS, LANGUAGES, LOGIN_MESSAGE, STRINGS,
                                  VERDICT_BADGE, t)
from ingest.errors import PolicyAssistantError

log = logging.getLogger("policy_assistant.ui")
ROOT = Path(__file__).resolve().parents[2]
N_EXAMPLES = 4
MAX_EXPORTS = 20            # handouts kept on disk at once; older ones are deleted
MAX_COMMENT_CHARS = 2000    # a feedback comment; longer input is cut before any processing
# Gradio's cached copies of handouts are deleted after this many seconds (checked as often).
CACHE_AGE_S, CACHE_SWEEP_S = 900, 300

CSS = """
.gradio-container { max-width: 1400px !important; }
#pa-title h1 { margin-bottom: 0; overflow-wrap: normal; word-break: normal; hyphens: manual; }
#pa-disclaimer { border-left: 4px solid #1d4ed8; background: #eff6ff; padding: 6px 12px; border-radius: 6px; overflow: visible !important; }
#pa-disclaimer p { margin: 0; color: #1e293b; }
#pa-banner { border-left: 4px solid #b45309; background: #fffbeb; padding: 8px 12px; border-radius: 6px; color: #78350f; }
.verdict { display: inline-flex; align-items: center; gap: 6px; font-weight: 700; padding: 3px 12px 3px 4px;
           border-radius: 999px; border: 2px solid; font-size: 1.05em; }
.verdict-icon { display: inline-flex; width: 1.4em; height: 1.4em; border-radius: 999px; align-items: center;
                justify-content: center; color: #fff; font-size: .85em; }
.verdict-yes { color: #166534; border-color: #16a34a; background: #f0fdf4; } .verdict-yes .verdict-icon { background: #15803d; }
.verdict-no { color: #991b1b; border-color: #dc2626; background: #fef2f2; } .verdict-no .verdict-icon { background: #b91c1c; }
.verdict-conditional { color: #92400e; border-color: #d97706; background: #fffbeb; } .verdict-conditional .verdict-icon { background: #b45309; }
.verdict-info { color: #1e40af; border-color: #2563eb; background: #eff6ff; } .verdict-info .verdict-icon { background: #1d4ed8; }
.verdict-not_covered { color: #374151; border-color: #6b7280; background: #f9fafb; } .verdict-not_covered .verdict-icon { background: #4b5563; }
.answer .notice { background: #fffbeb; border-left: 3px solid #d97706; padding: 4px 8px; margin-bottom: 6px; color: #1f2937; }
.answer-text { margin-top: 8px; line-height: 1.5; }
.answer sup.cite { color: #1e3a8a; font-weight: 700; }
.sources { margin-top: 10px; border-top: 1px solid #e5e7eb; padding-top: 6px; }
.sources summary { cursor: pointer; }
.sources blockquote.passage { margin: 4px 0; padding: 4px 10px; border-left: 3px solid #cbd5e1; color: #1f2937; font-size: .92em; }
.source-where { font-size: .9em; color: #374151; }
.deciding { display: inline-block; font-weight: 700; color: #1e3a8a; border: 1px solid #1e3a8a; border-radius: 4px;
            padding: 0 4px; margin-right: 4px; }
.answer mark, .doc-view mark { background: #fde68a; color: inherit; padding: 0 1px; }
a.show-doc { font-size: .9em; color: #1e40af; }
.doc-view { max-height: 640px; overflow-y: auto; padding: 8px 12px; border: 1px solid #e5e7eb; border-radius: 8px; background: #fff; }
.doc-view.doc-empty { color: #374151; }
.doc-head { position: sticky; top: -8px; background: #fff; padding: 6px 0; border-bottom: 1px solid #e5e7eb; margin-bottom: 8px; }
.doc-text { white-space: pre-wrap; font-size: .92em; line-height: 1.45; color: #1f2937; }
.doc-passage { background: #f1f5f9; }
.doc-close { display: none; float: right; font-weight: 700; padding: 6px 14px; border: 2px solid #1e3a8a; border-radius: 6px;
             background: #fff; color: #1e3a8a; }
.pa-hidden { display: none !important; }
.pa-sr { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
#pa-status { min-height: 1.2em; color: #1f2937; font-size: var(--text-md); }
/* example questions in full, never cut off */
.pa-example { text-align: left !important; justify-content: flex-start !important; white-space: normal !important;
              height: auto !important; font-weight: 400 !important; }
/* the reason form opens at the rated answer (placed by PLACE_FEEDBACK) */
#pa-feedback { z-index: 50; background: #fff; border: 2px solid #1e3a8a !important; border-radius: 8px;
               box-shadow: 0 8px 24px rgba(0,0,0,.18); max-width: 36rem; }
#pa-feedback-thanks { padding: 8px 12px; font-weight: 700; color: #14532d; }
#pa-practice-question { font-size: 1.15em; }
.practice-feedback { border: 3px solid; border-radius: 10px; padding: 12px 16px; margin: 8px 0; font-size: 1.1em; color: #1f2937; }
.practice-feedback .practice-verdict { font-size: 1.6em; font-weight: 800; margin: 0 0 6px; }
.practice-right { border-color: #15803d; background: #f0fdf4; } .practice-right .practice-verdict { color: #14532d; }
.practice-wrong { border-color: #b91c1c; background: #fef2f2; } .practice-wrong .practice-verdict { color: #7f1d1d; }
.practice-feedback blockquote { margin: 6px 0 0; padding: 6px 10px; border-left: 4px solid #1e3a8a; background: #fff; }
.practice-generated { font-size: .9em; color: #374151; font-style: italic; }
/* visible focus on every control (WCAG 2.4.7): Gradio's own is a faint border change */
.gradio-container :is(button, input, textarea, select, summary, a, [tabindex]):focus-visible {
  outline: 3px solid #1e3a8a !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #fff !important; }
.gradio-container label:has(input:focus-visible) { outline: 3px solid #1e3a8a !important; outline-offset: 2px !important; }
/* "Stor text": every size the theme derives from its text scale, 1.4×, so Gradio's own controls grow too */
body.large-text { --text-xxs: 13px; --text-xs: 14px; --text-sm: 17px; --text-md: 20px; --text-lg: 22px; --text-xl: 31px;
  --text-xxl: 36px; --block-info-text-size: var(--text-sm); --block-label-text-size: var(--text-sm);
  --block-title-text-size: var(--text-md); --body-text-size: var(--text-md); --button-large-text-size: var(--text-lg);
  --button-medium-text-size: var(--text-md); --button-small-text-size: var(--text-sm); --chatbot-text-size: var(--text-lg);
  --checkbox-label-text-size: var(--text-md); --input-text-size: var(--text-md); --prose-text-size: var(--text-md);
  --section-header-text-size: var(--text-md); }
body.large-text .gradio-container { font-size: var(--text-md); }
body.large-text #pa-practice-question { font-size: 1.6em; }
"""

# A phone (WCAG 1.4.10 reflow): header stacked, the chat and the question box on the first screen, the document a
# drawer. In the page head, not in `css`: Gradio prefixes `css` rules with its container, so a rule keyed on a class
# of <body> (the open drawer) would never match there.
PHONE_CSS = """<style>
@media (max-width: 480px) {
  #pa-header { flex-wrap: wrap !important; gap: 6px !important; }
  #pa-header > * { min-width: 100% !important; flex-basis: 100% !important; }
  #pa-organisation { flex-grow: 1 !important; }
  #pa-header-options { flex-direction: row !important; flex-wrap: wrap !important; gap: 6px !important; }
  #pa-title h1 { font-size: 1.35rem !important; }
  #pa-title .pa-subtitle { display: none !important; }
  #pa-disclaimer { padding: 4px 8px !important; }
  #pa-disclaimer p { font-size: calc(var(--text-md) * .92) !important; line-height: 1.35 !important; }
  #pa-chat { height: 30vh !important; min-height: 200px !important; }
  #pa-ask-row { flex-wrap: nowrap !important; }
  #pa-send { min-width: 4.5rem !important; flex: 0 0 auto !important; }
  #pa-question { min-width: 0 !important; }
  #pa-doc-panel { display: none !important; }
  body.pa-doc-open #pa-doc-panel { display: block !important; position: fixed !important; left: 0 !important; right: 0 !important; bottom: 0 !important; height: 85vh !important; z-index: 1000 !important;
    background: #fff !important; padding: 0 !important; box-shadow: 0 -8px 32px rgba(0,0,0,.35) !important; border-radius: 12px 12px 0 0 !important; }
  body.pa-doc-open #pa-doc-panel .doc-view { max-height: none !important; height: 85vh !important; border-radius: 12px 12px 0 0 !important; }
  .doc-close { display: inline-block !important; }
  #pa-feedback { max-width: none !important; }
}
</style>
"""

# The page's accessibility layer, for what Gradio does not let us set: it labels its own controls in the browser's
# language, not in the interface language the user chose, and names each chat message by its raw HTML; the page
# language must follow the interface. Everything here re-applies on every DOM change (Gradio re-renders).
A11Y_SCRIPT = """
<script>
(function () {
  const LABELS = %(labels)s, STATUS = %(status)s, DEFAULT_LANG = %(lang)s;
  const lang = () => (document.querySelector('#pa-language input:checked') || {}).value || DEFAULT_LANG;
  let queued = false, announced = '';
  function fix() {
    queued = false;
    const lg = lang();
    if (document.documentElement.lang !== lg) document.documentElement.lang = lg;
    // Gradio names each message "bot's message: <div class=...>": our HTML carries a screen-reader prefix instead.
    document.querySelectorAll('#pa-chat [data-testid="bot"][aria-label], #pa-chat [data-testid="user"][aria-label]')
      .forEach(el => el.removeAttribute('aria-label'));
    document.querySelectorAll('[aria-label], [title]').forEach(el => {
      for (const attr of ['aria-label', 'title']) {
        const v = el.getAttribute(attr), mine = v && LABELS[v];
        if (mine && v !== mine[lg]) el.setAttribute(attr, mine[lg]);
      }
    });
    const status = document.querySelector('#pa-status');
    if (status && !status.hasAttribute('role')) { status.setAttribute('role', 'status'); status.setAttribute('aria-live', 'polite'); }
  }
  // Says in the status line (announced) that an answer has arrived: its verdict and how many sources it has.
  let settle = null;
  function watchAnswer() {
    clearTimeout(settle);
    settle = setTimeout(() => {
      const answers = document.querySelectorAll('#pa-chat .answer'), last = answers[answers.length - 1];
      const status = document.querySelector('#pa-status');
      if (!last || !status) return;
      const verdict = last.querySelector('.verdict');
      const word = verdict ? verdict.lastChild.textContent.trim() : '', key = answers.length + ':' + word;
      if (!verdict || key === announced) return;
      announced = key;
      // The chat keeps its end in view; the answer is read from its verdict, so show its start.
      const scroller = last.closest('.bubble-wrap');
      const msg = last.closest('.message-row') || last;
      if (scroller) scroller.scrollTop = Math.max(0, msg.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 8);
      status.textContent = STATUS[lang()].replace('{verdict}', word)
        .replace('{n}', last.querySelectorAll('li.source').length);
    }, 700);
  }
  new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(fix); } watchAnswer(); })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ['aria-label', 'title', 'lang', 'aria-checked']});
  // A click on "Visa i dokumentet" inside an answer hands its reference ("turn-n") to a hidden textbox and presses a
  // hidden button, so the document opens through an ordinary Gradio event.
  let opener = null;
  document.addEventListener('click', function (event) {
    const t = event.target;
    const rate = t.closest && t.closest('#pa-chat .message-buttons button, #pa-chat [class*="message-buttons"] button');
    if (rate) { window.paRated = rate; }
    if (t.closest && t.closest('.doc-close')) { closeDoc(); return; }
    const link = t.closest && t.closest('a.show-doc, a[href^="#visa-"]');
    if (!link) return;
    event.preventDefault();
    opener = link;
    const ref = (link.getAttribute('href') || '').replace('#visa-', '');
    const box = document.querySelector('#pa-doc-ref textarea, #pa-doc-ref input');
    const go = document.querySelector('#pa-doc-go');
    if (!box || !go) return;
    box.value = ref;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    setTimeout(function () { go.click(); }, 50);
  }, true);
  function closeDoc() {
    if (!document.body.classList.contains('pa-doc-open')) return;
    document.body.classList.remove('pa-doc-open');
    if (opener && opener.isConnected) opener.focus();
  }
  document.addEventListener('keydown', e => { if (e.key === 'Escape') closeDoc(); });
})();
</script>
"""

# After a document opens: scroll to the quote, open the drawer on a phone, and move the focus into the document.
SHOW_QUOTE = """() => { setTimeout(() => { const m = document.querySelector('#pa-doc-panel mark.current');
  const view = document.querySelector('#pa-doc-panel .doc-view[data-document]');
  if (!view) return;
  document.body.classList.add('pa-doc-open');
  view.focus({preventScroll: true});
  if (m) m.scrollIntoView({block: 'center'}); }, 150); }"""
TOGGLE_LARGE = "(on) => { document.body.classList.toggle('large-text', !!on); }"
# The reason form (or the thanks) opens right under the answer that was rated, and takes the focus.
PLACE_FEEDBACK = """() => { let tries = 0; const place = () => {
  const box = document.querySelector('#pa-feedback'), btn = window.paRated;
  if (!box || box.offsetParent === null) { if (tries++ < 20) setTimeout(place, 50); return; }
  const row = btn && (btn.closest('.message-buttons') || btn);
  if (row && row.isConnected) {
    box.style.position = 'absolute';
    const parent = box.offsetParent.getBoundingClientRect(), r = row.getBoundingClientRect();
    box.style.top = (r.bottom - parent.top + 4) + 'px';
    box.style.left = Math.max(0, Math.min(r.left - parent.left, parent.width - box.offsetWidth)) + 'px';
  }
  box.scrollIntoView({block: 'nearest'});
  const first = box.querySelector('input[type=radio]:not([disabled])');
  if (first && first.offsetParent !== null) first.focus(); else { box.setAttribute('tabindex', '-1'); box.focus(); }
}; place(); }"""
# The organisation a user picked is remembered in this browser only (no server-side tracking).
ORG_KEY = "policy-assistant:organisation"
RESTORE_ORG = f"(current) => current || localStorage.getItem('{ORG_KEY}') || ''"
SAVE_ORG = f"(o) => {{ if (o) localStorage.setItem('{ORG_KEY}', o); }}"


def head(language: str) -> str:
    labels = {word: {"sv": sv, "en": en} for words, sv, en in GRADIO_LABELS for word in words}
    return PHONE_CSS + A11Y_SCRIPT % {"labels": json.dumps(labels, ensure_ascii=False), "lang": json.dumps(language),
                          "status": json.dumps({lg: STRINGS[lg]["answer_status"] for lg in LANGUAGES}, ensure_ascii=False)}


def local_theme() -> gr.themes.Base:
    """System fonts only: the stock themes name Google Fonts, which a browser would fetch from outside."""
    # Primary buttons and the selected tab one step darker than stock: white on blue-500 is 3.7:1, under WCAG's 4.5:1.
    return gr.themes.Default(primary_hue="blue", font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                             font_mono=["ui-monospace", "Consolas", "monospace"]).set(
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700", color_accent="*primary_700", body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500")


class ChatApp:
    """The assistant, the feedback store and the practice scenarios behind one Gradio Blocks app."""

    def __init__(self, assistant: Assistant, settings, feedback: FeedbackStore | None = None):
        self.assistant = assistant
        self.settings = settings
        self.feedback = feedback or FeedbackStore(settings.feedback_path)
        locked = settings.ui_organisation
        if locked and locked not in self.organisations:
            raise PolicyAssistantError(f"ui_organisation '{locked}' is not in the store (known: {', '.join(self.organisations)})")
        self.locked = locked
        self.scenarios = load_scenarios(self._sets(), assistant.retriever)
        self.by_id = {s.id: s for s in self.scenarios}

    def _sets(self) -> list[Path]:
        out = []
        for name in self.settings.practice_sets:
            path = Path(name)
            path = path if path.is_absolute() or path.exists() else ROOT / path
            if path.exists():
                out.append(path)
        return out

    # Organisations are read from the store each time: an ingest that adds a municipality reaches running apps.
    @property
    def org_names(self) -> dict[str, str]:
        return {k: v.get("name", k) for k, v in self.assistant.retriever.organisations().items()}

    @property
    def contacts(self) -> dict[str, str]:
        return {k: v.get("contact", "") for k, v in self.assistant.retriever.organisations().items()}

    @property
    def organisations(self) -> list[str]:
        names = self.org_names
        return sorted((o for o in names if o != "general"), key=lambda o: names[o])

    def org_choices(self) -> list[tuple[str, str]]:
        self.assistant.retriever.refresh()
        names = self.org_names
        # A locked deployment names no other organisation anywhere, the page config included.
        return [(names.get(o, o), o) for o in ([self.locked] if self.locked else self.organisations)]

    def org_for(self, org: str) -> str | None:
        """The organisation an event acts for: the locked one whatever a client sends, else the client's choice when
        the store knows it (a half-typed name in the selector is no choice), else None."""
        if self.locked:
            return self.locked
        if org and org not in self.organisations:
            # An organisation ingested since the store was last read (by another process on a shared store) counts;
            # checking for a new generation is cheap (one pointer read).
            self.assistant.retriever.refresh(force=True)
        return org if org in self.organisations else None

    def restore_org(self, stored: str):
        """The organisation this browser remembered (local storage), if the store still has it; else none chosen:
        never a silent default, a Nacka employee must not get Askersund's rules unnoticed."""
        chosen = self.org_for(stored)
        # Nothing remembered: leave the value alone, a user may already have picked one while the page loaded.
        return gr.update(choices=self.org_choices(), **({"value": chosen} if chosen else {}))

    # -- texts that depend on the organisation and language -----------------------------------------
    def disclaimer(self, org: str, lang: str) -> str:
        org = self.org_for(org)
        if not org:
            return f"{t(lang, 'disclaimer_no_contact')} **{t(lang, 'choose_organisation_first')}**"
        contact = self.contacts.get(org, "")
        return t(lang, "disclaimer", contact=render.md_text(contact)) if contact else t(lang, "disclaimer_no_contact")

    def examples(self, org: str, lang: str) -> list[str]:
        org = self.org_for(org)
        own = [s.question for s in self.scenarios if s.organisation == org and s.language == lang]
        return own[:N_EXAMPLES] or GENERIC_EXAMPLES[lang][:N_EXAMPLES]

    def example_buttons(self, org: str, lang: str) -> list:
        questions = self.examples(org, lang)
        return [gr.update(value=questions[i], visible=True) if i < len(questions) else gr.update(visible=False)
                for i in range(N_EXAMPLES)]

    # -- chat ----------------------------------------------------------------------------------
    def respond(self, question: str, chat: list, conv: list, org: str, lang: str):
        """Streams (textbox, chat, conv, banner, doc choices). Sources and verdict come first, text after."""
        question = question if isinstance(question, str) else ""
        org = self.org_for(org)
        if not question.strip() or not org:
            # A toast titled in the interface language (Gradio's default title is the English "Info").
            gr.Info(t(lang, "empty_question" if org else "choose_organisation_first"), title=t(lang, "notice"))
            yield question[:MAX_QUESTION_CHARS], chat, conv, gr.update(), gr.update()
            return
        chat, conv = list(chat or []), list(conv or [])
        # The length is checked before any text processing: a pasted megabyte must cost nothing.
        if len(question) > MAX_QUESTION_CHARS:
            shown = render.user_message(redact(question[:300]) + " …", lang)
            chat += [{"role": "user", "content": shown},
                     {"role": "assistant", "content": render.esc(t(lang, "too_long", n=len(question), limit=MAX_QUESTION_CHARS))}]
            conv.append({"question": redact(question[:300]), "answer": None})
            yield "", chat, conv, gr.update(visible=False), gr.update()
            return
        chat.append({"role": "user", "content": render.user_message(redact(question), lang)})
        chat.append({"role": "assistant", "content": "…"})
        turn = len(conv)
        history = [{"question": c["question"], "answer": c["answer"]["text"]} for c in conv if c["answer"]]
        answer, streamed = None, ""
        try:
            for kind, value in self.assistant.ask_stream(question, org, history):
                if kind == "sources":
                    answer = value.as_dict()
                    if answer["mode"] == "llm":
                        answer["text"] = t(lang, "writing")
                elif kind == "token":
                    streamed += value
                    answer["text"] = streamed
                else:
                    answer = value.as_dict()
                chat[-1] = {"role": "assistant", "content": render.answer_html(answer, turn, lang, self.org_names)}
                yield "", chat, conv, gr.update(visible=bool(answer["sensitive"])), gr.update()
        except Exception as exc:  # never a stack trace in the chat; the log line carries no question text
            message = t(lang, "error", contact=self.contacts.get(org, ""))
            if isinstance(exc, PolicyAssistantError):   # our own errors are one clear line, worth showing
                message += " " + t(lang, "error_detail", detail=str(exc))
            else:
                log.exception("answering failed (organisation %s)", org)
            chat[-1] = {"role": "assistant", "content": render.esc(message)}
            conv.append({"question": redact(question), "answer": None})
            yield "", chat, conv, gr.update(), gr.update()
            return
        conv.append({"question": answer["question"], "answer": answer, "id": uuid.uuid4().hex})
        self.record(answer, org)
        yield "", chat, conv, gr.update(visible=bool(answer["sensitive"])), gr.update(choices=self.doc_choices(conv, lang))

    def is_maintainer(self, request: gr.Request | None) -> bool:
        return bool(request is not None and request.username and request.username in self.settings.ui_maintainers)

    def record(self, answer: dict, org: str) -> None:
        """Counts per organisation and week for the maintainers (no question text), and a refused question, redacted,
        in their unanswered-questions queue. A failure here never costs the user the answer."""
        try:
            record_answer(self.settings, answer, org)
        except Exception:
            log.exception("recording usage failed (organisation %s)", org)

    def doc_choices(self, conv: list, lang: str) -> list[tuple[str, str]]:
        """Every answer's sources, read as "[2] Title, section"; with more than one answer, "Fråga 2: [1] …"."""
        answered = [(i, turn) for i, turn in enumerate(conv) if turn["answer"]]
        return [((f"{t(lang, 'question_label')} {i + 1}: " if len(answered) > 1 else "") + render.citation_label(c), f"{i}-{c['n']}")
                for i, turn in answered for c in turn["answer"].get("citations", [])]

    def show_document(self, ref: str, conv: list, lang: str) -> str:
        """The whole document of citation `ref` ("turn-n"), with the passage marked."""
        try:
            turn, n = (int(x) for x in (ref or "").split("-"))
            citation = next(c for c in conv[turn]["answer"]["citations"] if c["n"] == n)
        except (ValueError, IndexError, KeyError, TypeError, StopIteration):
            return render.doc_placeholder(lang)
        # The version that was quoted, even if another has come into force since.
        text = self.assistant.retriever.document_text(citation["document"], version=citation.get("version") or None)
        return render.document_html(citation["title"], text, citation, lang, self.org_names.get(citation["organisation"], ""))

    def clear(self, lang: str):
        return [], [], gr.update(visible=False), gr.update(choices=[], value=None), render.doc_placeholder(lang)

    def export(self, conv: list, org: str, lang: str):
        turns = [c for c in conv or [] if c["answer"]]
        org = self.org_for(org)
        if not turns or not org:
            return gr.update(value=None, visible=False)
        page = render.export_html(turns, self.org_names.get(org, org), lang)
        folder = self.export_dir()
        out = folder / f"samtal-{org}-{secrets.token_hex(6)}.html"
        out.write_text(page, encoding="utf-8")
        for old in sorted(folder.glob("samtal-*"), key=lambda p: p.stat().st_mtime)[:-MAX_EXPORTS]:
            old.unlink(missing_ok=True)
        return gr.update(value=str(out), visible=True, label=t(lang, "export_file"))

    def export_dir(self) -> Path:
        """One private folder for this process's handouts (inside Gradio's private cache folder, see ui/__init__)."""
        folder = Path(os.environ["GRADIO_TEMP_DIR"]) / "exports"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    # -- feedback --------------------------------------------------------------------------------
    def rate(self, conv: list, lang: str, evt: gr.LikeData):
        """👍/👎 on an answer: stored at once. A 👎 opens the reason form, a 👍 says thanks, both at the rated answer.
        Returns (fid, the group, the reason form's three parts, the thanks)."""
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        liked = evt.liked is True or evt.liked == "Like"
        fid = self.rate_turn(conv, index // 2, liked)   # messages come in (question, answer) pairs
        form = gr.update(visible=not liked)
        return (fid, gr.update(visible=fid is not None), form, form, form,
                gr.update(visible=liked, value=t(lang, "thanks")))

    def rate_turn(self, conv: list, turn: int, liked: bool, reason: str = "", comment: str = "") -> int | None:
        """Store a rating of the answer to question number `turn` (0-based); None when there is no answer to rate."""
        try:
            turn = int(turn)
        except (TypeError, ValueError):
            return None
        if not (0 <= turn < len(conv or [])) or not conv[turn]["answer"]:
            return None
        history = [{"question": c["question"], "answer": c["answer"]["text"]} for c in conv[:turn] if c["answer"]]
        # One rating per answer: rating it again changes the rating, it does not add rows.
        return self.feedback.add(conv[turn]["answer"], 1 if liked else -1, reason=reason or "",
                                 comment=(comment or "")[:MAX_COMMENT_CHARS], history=history,
                                 key=conv[turn].get("id") or f"turn-{id(conv)}-{turn}")

    def send_feedback(self, fid, reason: str, comment: str, lang: str):
        """Store the reason; the form gives way to the thanks, in the same place."""
        if fid is not None:
            self.feedback.update(int(fid), reason or "", (comment or "")[:MAX_COMMENT_CHARS])
        hidden = gr.update(visible=False)
        return (None, gr.update(value=None, visible=False), gr.update(value="", visible=False), hidden,
                gr.update(visible=True, value=t(lang, "thanks_detail")))

    # -- practice --------------------------------------------------------------------------------
    def practice_start(self, org: str, lang: str):
        org = self.org_for(org)
        if not org:
            return (None, t(lang, "practice_choose_org"), "", "", gr.update(interactive=False), gr.update(visible=False))
        scenarios = for_organisation(self.scenarios, org, lang) or self.generated(org)
        session = Session.start(scenarios)
        return (session,) + self._practice_view(session, lang, reveal=False)

    def generated(self, org: str) -> list:
        """Scenarios made from the rules read at ingest, for an organisation the eval sets do not cover."""
        scenarios = generate_scenarios(self.assistant.retriever, org)
        self.by_id.update((s.id, s) for s in scenarios)
        return scenarios

    def practice_answer(self, choice: str, session: Session, lang: str):
        if session is None or session.done:
            return (session,) + self._practice_view(session, lang, reveal=False)
        session.answer(choice, self.by_id)
        return (session,) + self._practice_view(session, lang, reveal=True)

    def practice_next(self, session: Session, lang: str):
        if session is not None:
            session.next()
        return (session,) + self._practice_view(session, lang, reveal=False)

    def _practice_view(self, session: Session | None, lang: str, reveal: bool):
        """(question markdown, result HTML, score markdown, answer buttons interactive, next visible)"""
        if session is None or not session.order:
            return t(lang, "practice_none"), "", "", gr.update(interactive=False), gr.update(visible=False)
        total = len(session.order)
        score = t(lang, "practice_score", right=session.right, total=session.answered)
        if session.done:
            return (t(lang, "practice_done", right=session.right, total=total), "", score,
                    gr.update(interactive=False), gr.update(visible=False))
        s = session.current(self.by_id)
        question = f"**{session.index + 1} / {total}.** "
        if s.generated:
            question += (f"{t(lang, 'practice_generated_intro')}\n\n> {render.md_text(s.question)}\n\n"
                         f"<span class=\"practice-generated\">{t(lang, 'practice_generated')}</span>")
        else:
            question += render.md_text(s.question)
        if not reveal:
            return question, "", score, gr.update(interactive=True), gr.update(visible=False)
        return question, render.practice_result(s, session.last_correct, session.last_choice, lang), score, \
            gr.update(interactive=False), gr.update(visible=True)

    # -- the Blocks ------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        lang0, org0 = self.settings.ui_language, self.locked
        with gr.Blocks(title=t(lang0, "title"), analytics_enabled=False, delete_cache=(CACHE_SWEEP_S, CACHE_AGE_S)) as demo:
            conv = gr.State([])
            fid = gr.State(None)
            session = gr.State(None)
            with gr.Row(equal_height=False, elem_id="pa-header"):
                title = gr.Markdown(self.title(lang0), elem_id="pa-title")
                # allow_custom_value: an organisation ingested after start is valid before this page's list is refreshed.
                org = gr.Dropdown(self.org_choices(), value=org0, label=t(lang0, "organisation"), allow_custom_value=True,
                                  visible=not self.locked, interactive=True, elem_id="pa-organisation", scale=0, min_width=240)
                with gr.Column(scale=0, min_width=200, elem_id="pa-header-options"):
                    lang = gr.Radio([(v, k) for k, v in LANGUAGES.items()], value=lang0, label=t(lang0, "language"),
                                    elem_id="pa-language", container=False)
                    large = gr.Checkbox(False, label=t(lang0, "large_text"), elem_id="pa-large", container=False)
            disclaimer = gr.Markdown(self.disclaimer(org0, lang0), elem_id="pa-disclaimer", latex_delimiters=[])
            with gr.Tabs():
                with gr.Tab(t(lang0, "tab_chat"), id="chat") as tab_chat:
                    with gr.Row():
                        with gr.Column(scale=3):
                            banner = gr.Markdown(t(lang0, "sensitive_banner"), visible=False, elem_id="pa-banner")
                            chatbot = gr.Chatbot(label=t(lang0, "chat_label"), height=560, buttons=["copy", "copy_all"],
                                                 elem_id="pa-chat", sanitize_html=True, line_breaks=False, latex_delimiters=[],
                                                 feedback_options=("Like", "Dislike"))
                            with gr.Group(visible=False, elem_id="pa-feedback") as feedback_row:
                                reason = gr.Radio([(t(lang0, f"reason_{r}"), r) for r in FEEDBACK_REASONS],
                                                  label=t(lang0, "rate_prompt"), elem_id="pa-reason")
                                comment = gr.Textbox(label=t(lang0, "comment"), lines=1, elem_id="pa-comment")
                                send_fb = gr.Button(t(lang0, "send_feedback"), elem_id="pa-send-feedback")
                                thanks = gr.Markdown(visible=False, elem_id="pa-feedback-thanks")
                            with gr.Row(elem_id="pa-ask-row"):
                                # One line that grows: Enter sends, Shift+Enter breaks the line (said in the placeholder).
                                box = gr.Textbox(label=t(lang0, "question"), placeholder=t(lang0, "placeholder"), lines=1,
                                                 max_lines=8, scale=5, elem_id="pa-question", submit_btn=False)
                                send = gr.Button(t(lang0, "send"), variant="primary", scale=1, elem_id="pa-send")
                            status = gr.HTML("", elem_id="pa-status")
                            examples_title = gr.Markdown(f"**{t(lang0, 'examples')}**", elem_id="pa-examples-title")
                            with gr.Row(elem_id="pa-examples"):
                                first = self.examples(org0, lang0)
                                example_buttons = [gr.Button(first[i] if i < len(first) else "", visible=i < len(first), size="sm",
                                                             elem_classes=["pa-example"], elem_id=f"pa-example-{i}", min_width=220)
                                                   for i in range(N_EXAMPLES)]
                            with gr.Row():
                                clear = gr.Button(t(lang0, "clear"), elem_id="pa-clear")
                                export = gr.Button(t(lang0, "export"), elem_id="pa-export")
                            export_file = gr.File(label=t(lang0, "export_file"), visible=False, interactive=False,
                                                  elem_id="pa-export-file")
                        with gr.Column(scale=2, elem_id="pa-doc-col"):
                            doc_pick = gr.Dropdown([], label=t(lang0, "show_in_doc"), elem_id="pa-doc-pick", interactive=True)
                            doc_panel = gr.HTML(render.doc_placeholder(lang0), elem_id="pa-doc-panel")
                            doc_ref = gr.Textbox(elem_id="pa-doc-ref", elem_classes=["pa-hidden"], show_label=False, container=False)
                            doc_go = gr.Button("go", elem_id="pa-doc-go", elem_classes=["pa-hidden"])
                with gr.Tab(t(lang0, "tab_practice"), id="practice") as tab_practice:
                    intro = gr.Markdown(t(lang0, "practice_intro"))
                    p_question = gr.Markdown(elem_id="pa-practice-question", latex_delimiters=[])
                    with gr.Row():
                        # The answer buttons say what the result will say: the verdict badge's own words.
                        p_buttons = [gr.Button(VERDICT_BADGE[lang0][choice], elem_id=f"pa-practice-{choice}", size="lg")
                                     for choice in CHOICES]
                    p_result = gr.HTML(elem_id="pa-practice-result")
                    p_score = gr.Markdown(elem_id="pa-practice-score")
                    with gr.Row():
                        p_next = gr.Button(t(lang0, "practice_next"), visible=False, variant="primary", elem_id="pa-practice-next")
                        p_restart = gr.Button(t(lang0, "practice_restart"), elem_id="pa-practice-restart")
                # The maintainers' workspace exists only when maintainers are configured, and is shown only to them,
                # in the page's language (one copy per language; the interface language's copy carries the API).
                workspaces = [build_workspace(self.assistant, self.settings, lambda request: request.username, lg,
                                              api=lg == lang0) for lg in LANGUAGES] if self.settings.ui_maintainers else []

            # chat
            answer_out = [box, chatbot, conv, banner, doc_pick]
            hide_feedback = (lambda: gr.update(visible=False), None, feedback_row)
            send.click(self.respond, [box, chatbot, conv, org, lang], answer_out, api_name="ask").then(*hide_feedback, api_name=False)
            box.submit(self.respond, [box, chatbot, conv, org, lang], answer_out, api_name=False).then(*hide_feedback, api_name=False)
            for button in example_buttons:
                button.click(lambda q: q, button, box, api_name=False).then(
                    self.respond, [box, chatbot, conv, org, lang], answer_out, api_name=False).then(*hide_feedback, api_name=False)
            clear_out = [chatbot, conv, banner, doc_pick, doc_panel]
            clear.click(self.clear, lang, clear_out, api_name="clear")
            chatbot.clear(self.clear, lang, clear_out, api_name=False)   # its own 🗑
            export.click(self.export, [conv, org, lang], export_file, api_name="export")
            doc_go.click(self.show_document, [doc_ref, conv, lang], doc_panel, api_name="show_document").then(None, js=SHOW_QUOTE)
            doc_pick.change(self.show_document, [doc_pick, conv, lang], doc_panel, api_name=False).then(None, js=SHOW_QUOTE)
            # feedback
            chatbot.like(self.rate, [conv, lang], [fid, feedback_row, reason, comment, send_fb, thanks], api_name=False).then(
                None, js=PLACE_FEEDBACK)
            send_fb.click(self.send_feedback, [fid, reason, comment, lang], [fid, reason, comment, send_fb, thanks], api_name=False)
            # The same rating for API clients (gradio_client), which cannot press the thumbs.
            api_turn = gr.Number(visible="hidden", precision=0)
            api_liked = gr.Checkbox(visible="hidden")
            api_rate = gr.Button(visible="hidden")
            api_result = gr.Number(visible="hidden", precision=0)
            api_rate.click(self.rate_turn, [conv, api_turn, api_liked, reason, comment], api_result, api_name="feedback")
            # practice
            practice_out = [session, p_question, p_result, p_score, *p_buttons, p_next]

            def spread(result):
                *head, buttons, nxt = result
                return (*head, *([buttons] * len(p_buttons)), nxt)

            for button, choice in zip(p_buttons, CHOICES):
                button.click(lambda s, lg, c=choice: spread(self.practice_answer(c, s, lg)), [session, lang], practice_out,
                             api_name=f"practice_{choice}")
            p_next.click(lambda s, lg: spread(self.practice_next(s, lg)), [session, lang], practice_out, api_name="practice_next")
            p_restart.click(lambda o, lg: spread(self.practice_start(o, lg)), [org, lang], practice_out, api_name="practice_start")
            demo.load(lambda o, lg: spread(self.practice_start(o, lg)), [org, lang], practice_out, api_name=False)
            # The organisation this browser picked before, if any (local storage; RESTORE_ORG runs first, in the page).
            demo.load(self.restore_org, org, org, js=RESTORE_ORG, api_name=False)
            if workspaces:
                def show_workspace(lg: str, request: gr.Request):   # annotated: Gradio passes the request only then
                    maintainer = self.is_maintainer(request)
                    return [gr.update(visible=maintainer and ws.lang == lg) for ws in workspaces]

                tabs = [ws.tab for ws in workspaces]
                demo.load(show_workspace, lang, tabs, api_name=False)
                lang.change(show_workspace, lang, tabs, api_name=False)
            # organisation and language
            org.change(lambda o, lg: (self.disclaimer(o, lg), *self.example_buttons(o, lg), *self.clear(lg),
                                      *spread(self.practice_start(o, lg))),
                       [org, lang], [disclaimer, *example_buttons, *clear_out, *practice_out], api_name=False)
            if not self.locked:
                # On the user's own input as well as on any change: the choice must reach the browser's storage.
                gr.on([org.change, org.input], None, org, None, js=SAVE_ORG, api_name=False)
            large.change(None, large, None, js=TOGGLE_LARGE)
            relabel_out = [title, disclaimer, org, lang, large, tab_chat, tab_practice, banner, chatbot, box, send,
                           examples_title, *example_buttons, reason, comment, send_fb, clear, export, export_file, doc_pick,
                           doc_panel, intro, *p_buttons, p_next, p_restart]

            def relabel(o, lg):
                return (self.title(lg), self.disclaimer(o, lg), gr.update(label=t(lg, "organisation")),
                        gr.update(label=t(lg, "language")), gr.update(label=t(lg, "large_text")),
                        gr.update(label=t(lg, "tab_chat")), gr.update(label=t(lg, "tab_practice")),
                        gr.update(value=t(lg, "sensitive_banner")), gr.update(label=t(lg, "chat_label")),
                        gr.update(label=t(lg, "question"), placeholder=t(lg, "placeholder")), gr.update(value=t(lg, "send")),
                        f"**{t(lg, 'examples')}**", *self.example_buttons(o, lg),
                        gr.update(label=t(lg, "rate_prompt"), choices=[(t(lg, f"reason_{r}"), r) for r in FEEDBACK_REASONS]),
                        gr.update(label=t(lg, "comment")), gr.update(value=t(lg, "send_feedback")),
                        gr.update(value=t(lg, "clear")), gr.update(value=t(lg, "export")), gr.update(label=t(lg, "export_file")),
                        gr.update(label=t(lg, "show_in_doc")), render.doc_placeholder(lg), t(lg, "practice_intro"),
                        *(gr.update(value=VERDICT_BADGE[lg][c]) for c in CHOICES),
                        gr.update(value=t(lg, "practice_next")), gr.update(value=t(lg, "practice_restart")))

            lang.change(relabel, [org, lang], relabel_out, api_name=False).then(
                lambda o, lg: spread(self.practice_start(o, lg)), [org, lang], practice_out, api_name=False)
        return demo

    @staticmethod
    def title(lang: str) -> str:
        return f"# {t(lang, 'title')}\n\n<span class=\"pa-subtitle\">{t(lang, 'subtitle')}</span>"


def launch(settings, assistant: Assistant | None = None, host: str | None = None, port: int | None = None,
           block: bool = True):
    """Build and start the app on host:port (127.0.0.1:7860 by default)."""
    from starlette.middleware import Middleware

    from assistant.auth import checker
    from assistant.ui.page_title import PageTitle

    app = ChatApp(assistant or Assistant(settings), settings)
    demo = app.build()
    demo.queue(default_concurrency_limit=16)
    login = checker(settings.ui_auth) if settings.ui_auth else None   # throttled; PBKDF2 off the event loop
    middleware = [Middleware(PageTitle, title=t(settings.ui_language, "title"))] + \
        (login.app_kwargs()["middleware"] if login else [])
    demo.launch(server_name=host or settings.ui_host, server_port=port or settings.ui_port, share=False, show_error=False,
                inbrowser=False, prevent_thread_lock=not block, theme=local_theme(), css=CSS, head=head(settings.ui_language), ssr_mode=False,
                footer_links=[], quiet=False, run_history=False, auth=login.authenticate if login else None,
                auth_message=LOGIN_MESSAGE, app_kwargs={"middleware": middleware})
    return demo
