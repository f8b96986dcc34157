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


def user_message(question: str) -> str:
    """The user's own words as the chat shows them: escaped, so markup is displayed, not interpreted; inside one
    HTML block without blank lines, so Markdown in a question (an image link) is not rendered either."""
    lines = "<br>".join(esc(line) for line in (question or "").splitlines() if line.strip())
    return f'<div class="question">{lines}</div>'


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
    return f'{title}{esc_line(c.get("organisation_name") or c["organisation"])} · <span class="binding">{binding}</span>{section}'


def answer_html(answer: dict, turn: int, language: str, org_names: dict | None = None) -> str:
    """One assistant message: notices, verdict badge, the answer with [n] markers, then the collapsible sources.

    Kept free of blank lines: the chat renders Markdown, and a blank line would end the HTML block."""
    parts = ['<div class="answer">']
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
            parts.append(f'<li class="source" value="{c["n"]}"><div class="source-where">{_where(c, language)}</div>'
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
    head = f'<div class="doc-head"><b>{esc_line(title)}</b><br>{_where({**citation, "organisation_name": org_name}, language, with_title=False)}</div>'
    return f'<div class="doc-view" data-document="{esc(citation["document"])}">{head}<div class="doc-text">{body}</div></div>'


def doc_placeholder(language: str) -> str:
    return f'<div class="doc-view doc-empty">{esc(t(language, "doc_placeholder"))}</div>'


def export_markdown(turns: list[dict], organisation_name: str, language: str, now: datetime | None = None) -> str:
    """The conversation as a handout: each question, the verdict, the answer and its sources quoted in full."""
    now = now or datetime.now()
    lines = [f"# {t(language, 'export_title')}", "",
             f"- {t(language, 'export_org')}: {organisation_name}",
             f"- {t(language, 'export_date')}: {now:%Y-%m-%d %H:%M}", "",
             f"> {t(language, 'export_note')}", ""]
    for i, turn in enumerate(turns, 1):
        a = turn["answer"]
        lines += [f"## {i}. {one_line(turn['question'])}", "",
                  f"**{t(language, 'answer_label')}: {VERDICT_BADGE[language][a['verdict']]}**", ""]
        lines += [f"> {n}" for n in a.get("notices", [])]
        lines += [a.get("text", "").replace("\n", "  \n"), ""]
        if a.get("citations"):
            lines += [f"**{t(language, 'sources')}**", ""]
            for c in a["citations"]:
                binding = t(language, "binding") if c["binding"] else t(language, "not_binding")
                section = f", {t(language, 'section')} {one_line(c['section'])}" if c.get("section") else ""
                lines.append(f"{c['n']}. {c['title']} ({binding}{section}, {t(language, 'chars')} {c['start']}–{c['end']}):")
                lines.append(f"   > {one_line(c['quote'])}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
