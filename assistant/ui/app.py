"""The Gradio chat for employees and trainers. It only calls the assistant's public API (`Assistant.ask_stream`);
no retrieval or decision logic lives here.

Each browser session keeps its own conversation in `gr.State`, so many users at once never see each other's
turns. The conversation state is a list of turns, one per question shown: {"question": redacted text,
"answer": Answer.as_dict() or None when the question was refused or failed}.
"""
from __future__ import annotations

import logging
import os
import secrets
import uuid
from pathlib import Path

import gradio as gr

from assistant.engine import MAX_QUESTION_CHARS, Assistant
from assistant.feedback import FeedbackStore
from assistant.practice import CHOICES, Session, for_organisation, load_scenarios
from assistant.sensitive import redact
from assistant.ui import render
from assistant.ui.strings import FEEDBACK_REASONS, GENERIC_EXAMPLES, LANGUAGES, LOGIN_MESSAGE, VERDICT_BADGE, t
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
#pa-title h1 { margin-bottom: 0; }
#pa-disclaimer { border-left: 4px solid #1d4ed8; background: #eff6ff; padding: 6px 12px; border-radius: 6px; }
#pa-disclaimer p { margin: 0; color: #1e293b; }
#pa-banner { border-left: 4px solid #b45309; background: #fffbeb; padding: 8px 12px; border-radius: 6px; color: #78350f; }
.verdict { display: inline-flex; align-items: center; gap: 6px; font-weight: 700; padding: 3px 12px 3px 4px;
           border-radius: 999px; border: 2px solid; font-size: 1.05em; }
.verdict-icon { display: inline-flex; width: 1.4em; height: 1.4em; border-radius: 999px; align-items: center;
                justify-content: center; color: #fff; font-size: .85em; }
.verdict-yes { color: #166534; border-color: #16a34a; background: #f0fdf4; } .verdict-yes .verdict-icon { background: #16a34a; }
.verdict-no { color: #991b1b; border-color: #dc2626; background: #fef2f2; } .verdict-no .verdict-icon { background: #dc2626; }
.verdict-conditional { color: #92400e; border-color: #d97706; background: #fffbeb; } .verdict-conditional .verdict-icon { background: #d97706; }
.verdict-info { color: #1e40af; border-color: #2563eb; background: #eff6ff; } .verdict-info .verdict-icon { background: #2563eb; }
.verdict-not_covered { color: #374151; border-color: #6b7280; background: #f9fafb; } .verdict-not_covered .verdict-icon { background: #6b7280; }
.answer .notice { background: #fffbeb; border-left: 3px solid #d97706; padding: 4px 8px; margin-bottom: 6px; }
.answer-text { margin-top: 8px; line-height: 1.5; }
.answer sup.cite { color: #1d4ed8; font-weight: 600; }
.sources { margin-top: 10px; border-top: 1px solid #e5e7eb; padding-top: 6px; }
.sources summary { cursor: pointer; }
.sources blockquote.passage { margin: 4px 0; padding: 4px 10px; border-left: 3px solid #cbd5e1; color: #334155; font-size: .92em; }
.source-where { font-size: .9em; color: #475569; }
.answer mark, .doc-view mark { background: #fde68a; color: inherit; padding: 0 1px; }
a.show-doc { font-size: .9em; }
.doc-view { max-height: 640px; overflow-y: auto; padding: 8px 12px; border: 1px solid #e5e7eb; border-radius: 8px; background: #fff; }
.doc-view.doc-empty { color: #6b7280; }
.doc-head { position: sticky; top: -8px; background: #fff; padding: 6px 0; border-bottom: 1px solid #e5e7eb; margin-bottom: 8px; }
.doc-text { white-space: pre-wrap; font-size: .92em; line-height: 1.45; color: #1f2937; }
.doc-passage { background: #f1f5f9; }
#pa-practice-question { font-size: 1.15em; }
body.large-text .gradio-container { font-size: 135%; }
body.large-text #pa-practice-question { font-size: 1.6em; }
.pa-hidden { display: none !important; }
"""

# A click on "Visa i dokumentet" inside an answer hands its reference ("turn-n") to a hidden textbox and
# presses a hidden button, so the document opens through an ordinary Gradio event.
HEAD = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest && event.target.closest('a.show-doc, a[href^="#visa-"]');
  if (!link) return;
  event.preventDefault();
  const ref = (link.getAttribute('href') || '').replace('#visa-', '');
  const box = document.querySelector('#pa-doc-ref textarea, #pa-doc-ref input');
  const go = document.querySelector('#pa-doc-go');
  if (!box || !go) return;
  box.value = ref;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(function () { go.click(); }, 50);
}, true);
</script>
"""

SCROLL_TO_QUOTE = """() => { setTimeout(() => { const m = document.querySelector('#pa-doc-panel mark.current');
  if (m) m.scrollIntoView({block: 'center'}); }, 150); }"""
TOGGLE_LARGE = "(on) => { document.body.classList.toggle('large-text', !!on); }"


def local_theme() -> gr.themes.Base:
    """System fonts only: the stock themes name Google Fonts, which a browser would fetch from outside."""
    return gr.themes.Default(primary_hue="blue", font=["system-ui", "Segoe UI", "Arial", "sans-serif"],
                             font_mono=["ui-monospace", "Consolas", "monospace"])


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

    def org_for(self, org: str) -> str:
        """The organisation an event acts for: the locked one whatever a client sends, else the client's choice."""
        return self.locked or org

    @property
    def default_org(self) -> str:
        return self.locked or (self.organisations[0] if self.organisations else "general")

    # -- texts that depend on the organisation and language -----------------------------------------
    def disclaimer(self, org: str, lang: str) -> str:
        contact = self.contacts.get(self.org_for(org), "")
        return t(lang, "disclaimer", contact=render.md_text(contact)) if contact else t(lang, "disclaimer_no_contact")

    def examples(self, org: str, lang: str) -> list[list[str]]:
        org = self.org_for(org)
        own = [s.question for s in self.scenarios if s.organisation == org and s.language == lang]
        return [[q] for q in (own[:N_EXAMPLES] or GENERIC_EXAMPLES[lang])]

    # -- chat ----------------------------------------------------------------------------------
    def respond(self, question: str, chat: list, conv: list, org: str, lang: str):
        """Streams (textbox, chat, conv, banner, doc choices). Sources and verdict come first, text after."""
        question = question if isinstance(question, str) else ""
        if not question.strip():
            gr.Info(t(lang, "empty_question"))
            yield question[:MAX_QUESTION_CHARS], chat, conv, gr.update(), gr.update()
            return
        org = self.org_for(org)
        chat, conv = list(chat or []), list(conv or [])
        # The length is checked before any text processing: a pasted megabyte must cost nothing.
        if len(question) > MAX_QUESTION_CHARS:
            shown = render.user_message(redact(question[:300]) + " …")
            chat += [{"role": "user", "content": shown},
                     {"role": "assistant", "content": render.esc(t(lang, "too_long", n=len(question), limit=MAX_QUESTION_CHARS))}]
            conv.append({"question": redact(question[:300]), "answer": None})
            yield "", chat, conv, gr.update(visible=False), gr.update()
            return
        chat.append({"role": "user", "content": render.user_message(redact(question))})
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
        yield "", chat, conv, gr.update(visible=bool(answer["sensitive"])), gr.update(choices=self.doc_choices(conv))

    def doc_choices(self, conv: list) -> list[tuple[str, str]]:
        out = []
        for i, turn in enumerate(conv):
            for c in (turn["answer"] or {}).get("citations", []):
                out.append((f"{i + 1}. [{c['n']}] {c['title']}" + (f" – {c['section'][:60]}" if c["section"] else ""), f"{i}-{c['n']}"))
        return out

    def show_document(self, ref: str, conv: list, lang: str) -> str:
        """The whole document of citation `ref` ("turn-n"), with the passage marked."""
        try:
            turn, n = (int(x) for x in (ref or "").split("-"))
            citation = next(c for c in conv[turn]["answer"]["citations"] if c["n"] == n)
        except (ValueError, IndexError, KeyError, TypeError, StopIteration):
            return render.doc_placeholder(lang)
        text = self.assistant.retriever.document_text(citation["document"])
        return render.document_html(citation["title"], text, citation, lang, self.org_names.get(citation["organisation"], ""))

    def clear(self, lang: str):
        return [], [], gr.update(visible=False), gr.update(choices=[], value=None), render.doc_placeholder(lang)

    def export(self, conv: list, org: str, lang: str):
        turns = [c for c in conv or [] if c["answer"]]
        if not turns:
            return gr.update(value=None, visible=False)
        org = self.org_for(org)
        md = render.export_markdown(turns, self.org_names.get(org, org), lang)
        folder = self.export_dir()
        out = folder / f"samtal-{org}-{secrets.token_hex(6)}.md"
        out.write_text(md, encoding="utf-8")
        for old in sorted(folder.glob("samtal-*.md"), key=lambda p: p.stat().st_mtime)[:-MAX_EXPORTS]:
            old.unlink(missing_ok=True)
        return gr.update(value=str(out), visible=True)

    def export_dir(self) -> Path:
        """One private folder for this process's handouts (inside Gradio's private cache folder, see ui/__init__)."""
        folder = Path(os.environ["GRADIO_TEMP_DIR"]) / "exports"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    # -- feedback --------------------------------------------------------------------------------
    def rate(self, conv: list, evt: gr.LikeData):
        """👍/👎 on an answer: stored at once; a 👎 opens the reason form for that rating."""
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        liked = evt.liked is True or evt.liked == "Like"
        fid = self.rate_turn(conv, index // 2, liked)   # messages come in (question, answer) pairs
        return fid, gr.update(visible=fid is not None and not liked)

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
        if fid is not None:
            self.feedback.update(int(fid), reason or "", (comment or "")[:MAX_COMMENT_CHARS])
            gr.Info(t(lang, "thanks_detail"))
        return None, gr.update(visible=False), gr.update(value=None), ""

    # -- practice --------------------------------------------------------------------------------
    def practice_start(self, org: str, lang: str):
        org = self.org_for(org)
        scenarios = for_organisation(self.scenarios, org, lang)
        session = Session.start(scenarios)
        return (session,) + self._practice_view(session, lang, reveal=False)

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
        """(question markdown, result markdown, score markdown, answer buttons interactive, next visible)"""
        if session is None or not session.order:
            return t(lang, "practice_none"), "", "", gr.update(interactive=False), gr.update(visible=False)
        total = len(session.order)
        score = t(lang, "practice_score", right=session.right, total=session.answered)
        if session.done:
            return (t(lang, "practice_done", right=session.right, total=total), "", score,
                    gr.update(interactive=False), gr.update(visible=False))
        s = session.current(self.by_id)
        question = f"**{session.index + 1} / {total}.** {render.md_text(s.question)}"
        if not reveal:
            return question, "", score, gr.update(interactive=True), gr.update(visible=False)
        result = (t(lang, "practice_right") if session.last_correct else t(lang, "practice_wrong")) + " "
        result += t(lang, "practice_correct", verdict=VERDICT_BADGE[lang][s.verdict])
        result += f"\n\n**{t(lang, 'practice_rule')}** ({render.md_text(s.title)}):\n\n> {render.md_text(s.rule)}"
        return question, result, score, gr.update(interactive=False), gr.update(visible=True)

    # -- the Blocks ------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        lang0, org0 = self.settings.ui_language, self.default_org
        with gr.Blocks(title=t(lang0, "title"), analytics_enabled=False, delete_cache=(CACHE_SWEEP_S, CACHE_AGE_S)) as demo:
            conv = gr.State([])
            fid = gr.State(None)
            session = gr.State(None)
            with gr.Row(equal_height=False):
                title = gr.Markdown(f"# {t(lang0, 'title')}\n{t(lang0, 'subtitle')}", elem_id="pa-title")
                # allow_custom_value: an organisation ingested after start is valid before this page's list is refreshed.
                org = gr.Dropdown(self.org_choices(), value=org0, label=t(lang0, "organisation"), allow_custom_value=True,
                                  visible=not self.locked, interactive=True, elem_id="pa-organisation", scale=0, min_width=240)
                with gr.Column(scale=0, min_width=200):
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
                            with gr.Row():
                                box = gr.Textbox(label=t(lang0, "question"), placeholder=t(lang0, "placeholder"), lines=2,
                                                 max_lines=8, scale=5, elem_id="pa-question", submit_btn=False)
                                send = gr.Button(t(lang0, "send"), variant="primary", scale=1, elem_id="pa-send")
                            examples = gr.Dataset(components=[box], samples=self.examples(org0, lang0), label=t(lang0, "examples"),
                                                  elem_id="pa-examples")
                            with gr.Group(visible=False, elem_id="pa-feedback") as feedback_row:
                                reason = gr.Radio([(t(lang0, f"reason_{r}"), r) for r in FEEDBACK_REASONS],
                                                  label=t(lang0, "rate_prompt"), elem_id="pa-reason")
                                comment = gr.Textbox(label=t(lang0, "comment"), lines=1, elem_id="pa-comment")
                                send_fb = gr.Button(t(lang0, "send_feedback"), elem_id="pa-send-feedback")
                            with gr.Row():
                                clear = gr.Button(t(lang0, "clear"), elem_id="pa-clear")
                                export = gr.Button(t(lang0, "export"), elem_id="pa-export")
                            export_file = gr.File(label=None, visible=False, interactive=False, elem_id="pa-export-file")
                        with gr.Column(scale=2):
                            doc_pick = gr.Dropdown([], label=t(lang0, "show_in_doc"), elem_id="pa-doc-pick", interactive=True)
                            doc_panel = gr.HTML(render.doc_placeholder(lang0), elem_id="pa-doc-panel")
                            doc_ref = gr.Textbox(elem_id="pa-doc-ref", elem_classes=["pa-hidden"], show_label=False, container=False)
                            doc_go = gr.Button("go", elem_id="pa-doc-go", elem_classes=["pa-hidden"])
                with gr.Tab(t(lang0, "tab_practice"), id="practice") as tab_practice:
                    intro = gr.Markdown(t(lang0, "practice_intro"))
                    p_question = gr.Markdown(elem_id="pa-practice-question", latex_delimiters=[])
                    with gr.Row():
                        p_buttons = [gr.Button(t(lang0, key), elem_id=f"pa-practice-{choice}", size="lg")
                                     for choice, key in zip(CHOICES, ("practice_yes", "practice_no", "practice_depends"))]
                    p_result = gr.Markdown(elem_id="pa-practice-result", latex_delimiters=[])
                    p_score = gr.Markdown(elem_id="pa-practice-score")
                    with gr.Row():
                        p_next = gr.Button(t(lang0, "practice_next"), visible=False, variant="primary", elem_id="pa-practice-next")
                        p_restart = gr.Button(t(lang0, "practice_restart"), elem_id="pa-practice-restart")

            # chat
            answer_out = [box, chatbot, conv, banner, doc_pick]
            send.click(self.respond, [box, chatbot, conv, org, lang], answer_out, api_name="ask")
            box.submit(self.respond, [box, chatbot, conv, org, lang], answer_out, api_name=False)
            examples.click(lambda s: s[0], examples, box, api_name=False).then(
                self.respond, [box, chatbot, conv, org, lang], answer_out, api_name=False)
            clear.click(self.clear, lang, [chatbot, conv, banner, doc_pick, doc_panel], api_name="clear")
            chatbot.clear(self.clear, lang, [chatbot, conv, banner, doc_pick, doc_panel], api_name=False)   # its own 🗑
            export.click(self.export, [conv, org, lang], export_file, api_name="export")
            doc_go.click(self.show_document, [doc_ref, conv, lang], doc_panel, api_name="show_document").then(
                None, js=SCROLL_TO_QUOTE)
            doc_pick.change(self.show_document, [doc_pick, conv, lang], doc_panel, api_name=False).then(None, js=SCROLL_TO_QUOTE)
            # feedback
            chatbot.like(self.rate, conv, [fid, feedback_row], api_name=False)
            send_fb.click(self.send_feedback, [fid, reason, comment, lang], [fid, feedback_row, reason, comment], api_name=False)
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
            demo.load(lambda: gr.update(choices=self.org_choices()), None, org, api_name=False)
            # organisation and language
            org.change(lambda o, lg: (self.disclaimer(o, lg), gr.update(samples=self.examples(o, lg)), *self.clear(lg),
                                      *spread(self.practice_start(o, lg))),
                       [org, lang], [disclaimer, examples, chatbot, conv, banner, doc_pick, doc_panel, *practice_out], api_name=False)
            large.change(None, large, None, js=TOGGLE_LARGE)
            relabel_out = [title, disclaimer, org, lang, large, tab_chat, tab_practice, banner, chatbot, box, send, examples,
                           reason, comment, send_fb, clear, export, doc_pick, doc_panel, intro, *p_buttons, p_next, p_restart]

            def relabel(o, lg):
                return (f"# {t(lg, 'title')}\n{t(lg, 'subtitle')}", self.disclaimer(o, lg), gr.update(label=t(lg, "organisation")),
                        gr.update(label=t(lg, "language")), gr.update(label=t(lg, "large_text")),
                        gr.update(label=t(lg, "tab_chat")), gr.update(label=t(lg, "tab_practice")),
                        gr.update(value=t(lg, "sensitive_banner")), gr.update(label=t(lg, "chat_label")),
                        gr.update(label=t(lg, "question"), placeholder=t(lg, "placeholder")), gr.update(value=t(lg, "send")),
                        gr.update(label=t(lg, "examples"), samples=self.examples(o, lg)),
                        gr.update(label=t(lg, "rate_prompt"), choices=[(t(lg, f"reason_{r}"), r) for r in FEEDBACK_REASONS]),
                        gr.update(label=t(lg, "comment")), gr.update(value=t(lg, "send_feedback")),
                        gr.update(value=t(lg, "clear")), gr.update(value=t(lg, "export")), gr.update(label=t(lg, "show_in_doc")),
                        render.doc_placeholder(lg), t(lg, "practice_intro"),
                        *(gr.update(value=t(lg, k)) for k in ("practice_yes", "practice_no", "practice_depends")),
                        gr.update(value=t(lg, "practice_next")), gr.update(value=t(lg, "practice_restart")))

            lang.change(relabel, [org, lang], relabel_out, api_name=False).then(
                lambda o, lg: spread(self.practice_start(o, lg)), [org, lang], practice_out, api_name=False)
        return demo


def launch(settings, assistant: Assistant | None = None, host: str | None = None, port: int | None = None,
           block: bool = True):
    """Build and start the app on host:port (127.0.0.1:7860 by default)."""
    from assistant.auth import checker

    app = ChatApp(assistant or Assistant(settings), settings)
    demo = app.build()
    demo.queue(default_concurrency_limit=16)
    login = checker(settings.ui_auth) if settings.ui_auth else None   # throttled; PBKDF2 off the event loop
    demo.launch(server_name=host or settings.ui_host, server_port=port or settings.ui_port, share=False, show_error=False,
                inbrowser=False, prevent_thread_lock=not block, theme=local_theme(), css=CSS, head=HEAD, ssr_mode=False,
                footer_links=[], quiet=False, run_history=False, auth=login.authenticate if login else None,
                auth_message=LOGIN_MESSAGE, app_kwargs=login.app_kwargs() if login else None)
    return demo
