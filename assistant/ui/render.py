"""HTML and Markdown for answers, documents and exports. Every piece of document or user text is escaped here:
a question containing `<script>` is shown as text, never run."""
from __future__ import annotations

import html
import re
from datetime import datetime

from assistant.answer import one_line
from assistant.ui.strings import VERDICT_BADGE, VERDICT_ICON, t

_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def esc_line(text) -> str:
    """Text from documents or settings (a title, an organisation or section name) as one escaped line: a blank
    line inside would end the chat's HTML block and let Markdown render (an image fetched from elsewhere)."""
    return esc(" ".join(str(text or "").split()))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>])")


def md_text(text) -> str:
    """Document or settings text for a Markdown component: one line, every Markdown and math character escaped,
    so `![t](http://…)` or `$$x$$` is shown as written, never rendered or fetched."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def sr_only(text: str) -> str:
    """Text for screen readers only (who says what in the chat); hidden visually by the app's CSS."""
    return f'<span class="pa-sr">{esc(text)} </span>'


def user_message(question: str, language: str | None = None) -> str:
    """The user's own words as the chat shows them: escaped, so markup is displayed, not interpreted; inside one
    HTML block without blank lines, so Markdown in a question (an image link) is not rendered either."""
    lines = "<br>".join(esc(line) for line in (question or "").splitlines() if line.strip())
    who = sr_only(t(language, "you_asked")) if language else ""
    return f'<div class="question">{who}{lines}</div>'


def badge(verdict: str, language: str) -> str:
    return (f'<span class="verdict verdict-{verdict}" data-verdict="{verdict}">'
            f'<span class="verdict-icon" aria-hidden="true">{VERDICT_ICON[verdict]}</span>{esc(VERDICT_BADGE[language][verdict])}</span>')


def _flat(text: str) -> str:
    """Layout line breaks joined, without trimming, so the pieces around a highlight keep their spaces."""
    return re.sub(r"\s+", " ", text)


def _highlight(passage: str, quote_start: int, quote_end: int) -> str:
    return (esc(_flat(passage[:quote_start])) + '<mark>' + esc(_flat(passage[quote_start:quote_end])) + '</mark>'
            + esc(_flat(passage[quote_end:])))


def _where(c: dict, language: str, with_title: bool = True) -> str:
    binding = t(language, "binding") if c["binding"] else t(language, "not_binding")
    section = f" · {t(language, 'section')} {esc_line(c['section'])}" if c.get("section") else ""
    title = f'{esc_line(c["title"])} · ' if with_title else ""
    version = f" · {t(language, 'version')} {esc_line(c['version'])}" if c.get("version") else ""
    if c.get("valid_from") or c.get("valid_to"):
        version += " · " + esc_line(t(language, "in_force", start=c.get("valid_from") or "", end=c.get("valid_to") or ""))
    return (f'{title}{esc_line(c.get("organisation_name") or c["organisation"])} · <span class="binding">{binding}</span>'
            f'{section}{version}')


def answer_html(answer: dict, turn: int, language: str, org_names: dict | None = None) -> str:
    """One assistant message: notices, verdict badge, the answer with [n] markers, then the collapsible sources.

    Kept free of blank lines: the chat renders Markdown, and a blank line would end the HTML block."""
    parts = ['<div class="answer">', sr_only(t(language, "assistant_says"))]
    for notice in answer.get("notices", []):
        parts.append(f'<div class="notice">{esc(_flat(notice))}</div>')
    parts.append(f'<div class="verdict-row">{badge(answer["verdict"], language)}</div>')
    text = "<br>".join(esc(line) for line in answer.get("text", "").splitlines() if line.strip())
    text = _MARKER.sub(lambda m: f'<sup class="cite">[{m.group(1)}]</sup>', text)
    parts.append(f'<div class="answer-text">{text}</div>')
    citations = answer.get("citations") or []
    if citations:
        names = ", ".join(f"[{c['n']}] {esc_line(c['title'])}" for c in citations)
        parts.append(f'<details class="sources"><summary><b>{t(language, "sources")}</b> ({len(citations)}): {names}</summary><ol>')
        for c in citations:
            c = {**c, "organisation_name": (org_names or {}).get(c["organisation"], c["organisation"])}
            q0, q1 = c["start"] - c["passage_start"], c["end"] - c["passage_start"]
            deciding = f'<span class="deciding">{esc(t(language, "deciding"))}</span> ' if c.get("deciding") else ""
            parts.append(f'<li class="source" value="{c["n"]}"><div class="source-where">{deciding}{_where(c, language)}</div>'
                         f'<blockquote class="passage">{_highlight(c["passage"], q0, q1)}</blockquote>'
                         f'<a class="show-doc" href="#visa-{turn}-{c["n"]}">{t(language, "show_in_doc")} →</a></li>')
        parts.append("</ol></details>")
    parts.append("</div>")
    return "".join(parts)


def document_html(title: str, text: str, citation: dict, language: str, org_name: str = "") -> str:
    """The whole document with the cited passage marked and the quoted sentence highlighted."""
    p0, p1 = citation["passage_start"], citation["passage_end"]
    q0, q1 = max(citation["start"], p0), min(citation["end"], p1)
    body = (esc(text[:p0]) + '<span class="doc-passage">' + esc(text[p0:q0]) + '<mark class="current" id="current-quote">'
            + esc(text[q0:q1]) + '</mark>' + esc(text[q1:p1]) + '</span>' + esc(text[p1:]))
    head = (f'<div class="doc-head"><button type="button" class="doc-close">{esc(t(language, "close"))}</button>'
            f'<b>{esc_line(title)}</b><br>{_where({**citation, "organisation_name": org_name}, language, with_title=False)}</div>')
    # Focusable, so keyboard users can scroll it (and land in it when it opens); a drawer on a phone (app CSS).
    return (f'<div class="doc-view" tabindex="0" role="region" aria-label="{esc(t(language, "doc_dialog"))}" '
            f'data-document="{esc(citation["document"])}">{head}<div class="doc-text">{body}</div></div>')


def doc_placeholder(language: str) -> str:
    return f'<div class="doc-view doc-empty">{esc(t(language, "doc_placeholder"))}</div>'


def citation_label(c: dict) -> str:
    """How a citation reads in a list: "[2] Title, section"."""
    return f"[{c['n']}] {one_line(c['title'])}" + (f", {one_line(c['section'])}" if c.get("section") else "")


PRINT_CSS = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; color: #111827; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-top: 1px solid #9ca3af; padding-top: 1rem; }
.meta { color: #374151; } .hint { color: #374151; font-style: italic; }
.note { border: 2px solid #92400e; padding: .5rem .75rem; margin: 1rem 0; }
.notice { border-left: 4px solid #92400e; padding: .25rem .75rem; margin: .5rem 0; }
.verdict { font-weight: 700; font-size: 1.1rem; }
.source { margin: .75rem 0; } .where { color: #374151; font-size: .95rem; }
blockquote { margin: .25rem 0 0; padding: .25rem .75rem; border-left: 4px solid #1d4ed8; background: #f3f4f6; }
@media print { body { margin: 0; max-width: none; } .hint { display: none; } h2 { break-after: avoid; }
  .source, blockquote { break-inside: avoid; } }
"""


def export_html(turns: list[dict], organisation_name: str, language: str, now: datetime | None = None) -> str:
    """The conversation as a printable handout: each question, the verdict, the answer and its sources, each quote
    with the document's title and section. A standalone page: no scripts, no outside resources."""
    now = now or datetime.now()
    title = esc(t(language, "export_title"))
    out = [f'<!DOCTYPE html><html lang="{esc(language)}"><head><meta charset="utf-8">',
           f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>',
           f'<style>{PRINT_CSS}</style></head><body><main>', f'<h1>{title}</h1>',
           f'<p class="meta">{esc(t(language, "export_org"))}: {esc_line(organisation_name)}<br>'
           f'{esc(t(language, "export_date"))}: {now:%Y-%m-%d %H:%M}</p>',
           f'<p class="note" role="note">{esc(t(language, "export_note"))}</p>',
           f'<p class="hint">{esc(t(language, "print_hint"))}</p>']
    for i, turn in enumerate(turns, 1):
        a = turn["answer"]
        out.append(f'<section><h2>{i}. {esc_line(turn["question"])}</h2>')
        out.append(f'<p class="verdict">{esc(t(language, "answer_label"))}: {esc(VERDICT_BADGE[language][a["verdict"]])}</p>')
        out += [f'<p class="notice"><b>{esc(t(language, "notice"))}:</b> {esc_line(n)}</p>' for n in a.get("notices", [])]
        text = "<br>".join(esc(line) for line in a.get("text", "").splitlines() if line.strip())
        out.append(f"<p>{text}</p>")
        if a.get("citations"):
            out.append(f'<h3>{esc(t(language, "sources"))}</h3>')
            for c in a["citations"]:
                binding = t(language, "binding") if c["binding"] else t(language, "not_binding")
                section = f', {esc(t(language, "section"))} {esc_line(c["section"])}' if c.get("section") else ""
                deciding = f' · {esc(t(language, "deciding"))}' if c.get("deciding") else ""
                out.append(f'<div class="source"><div class="where">[{c["n"]}] <b>{esc_line(c["title"])}</b> '
                           f'({esc(binding)}{section}){deciding}</div><blockquote>{esc_line(c["quote"])}</blockquote></div>')
        out.append("</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def practice_result(scenario, correct: bool, choice: str | None, language: str) -> str:
    """Right or wrong in large words, what the learner chose and the right answer in the buttons' own words, then
    the rule with its document and section. Announced (role=status) when it appears."""
    words = VERDICT_BADGE[language]
    where = esc_line(scenario.title) + (f", {esc(t(language, 'section'))} {esc_line(scenario.section)}" if scenario.section else "")
    mine = f"{esc(t(language, 'practice_your_answer', choice=words[choice]))} " if choice else ""
    return (f'<div class="practice-feedback practice-{"right" if correct else "wrong"}" role="status">'
            f'<p class="practice-verdict">{esc(t(language, "practice_right" if correct else "practice_wrong"))}</p>'
            f'<p>{mine}{esc(t(language, "practice_correct", verdict=words[scenario.verdict]))}</p>'
            f'<p><b>{esc(t(language, "practice_rule"))}</b> ({where}):</p><blockquote>{esc_line(scenario.rule)}</blockquote></div>')
