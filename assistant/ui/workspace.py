"""The Förvaltning (maintenance) tab: publish after a preview, versions, what changed, evals with progress,
feedback and the unanswered-questions queue, usage plots, the audit log.

Mounted by the chat app inside its `gr.Tabs()` for accounts in `ui_maintainers` only:

    with gr.Tabs():
        ...
        if settings.ui_maintainers:
            build_workspace(assistant, settings, lambda request: request.username, language)

Every handler checks the account again (`_who`), so a non-maintainer calling the endpoints through the API is
refused even though the tab is only hidden from them. Everything a user or a document supplies is shown escaped
(gr.HTML with html.escape, or plain text boxes): nothing uploaded is rendered as markup.
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Callable

import gradio as gr

from assistant.maintenance import audit, cases, diff as diffs, evaljobs, publish, usage
from assistant.maintenance.strings import HEADERS, MODALITY, STATUS, WARNINGS, WHY, t
from ingest.errors import PolicyAssistantError
from ingest.manifest import DOC_TYPES

VERDICT_CHOICES = ["yes", "no", "conditional", "info", "not_covered"]


def _e(value) -> str:
    return html.escape(str(value if value is not None else ""))


class Workspace:
    def __init__(self, assistant, settings, maintainer_name: Callable | None = None, language: str = "sv"):
        self.assistant, self.settings, self.lang = assistant, settings, language
        self.maintainer_name = maintainer_name or (lambda request: getattr(request, "username", None))
        self.jobs = evaljobs.EvalJobs(settings)

    # -- who may act ---------------------------------------------------------------------------------------
    def _who(self, request: gr.Request | None) -> str:
        name = self.maintainer_name(request) if request is not None else None
        if not name or name not in self.settings.ui_maintainers:
            raise gr.Error(t(self.lang, "not_maintainer"))
        return name

    def _fail(self, exc: Exception):
        return gr.Error(t(self.lang, "error", message=" ".join(str(exc).split())[:300]))

    # -- publish ---------------------------------------------------------------------------------------------
    def preview(self, file, organisation, organisation_name, contact, title, doc_id, doc_type, binding, valid_from,
                valid_to, request: gr.Request = None):
        self._who(request)
        if not file:
            raise self._fail(PolicyAssistantError(t(self.lang, "no_preview")))
        path = Path(file if isinstance(file, str) else getattr(file, "name", ""))
        try:
            p = publish.preview(self.settings, path.read_bytes(), path.name, organisation, title or "", doc_type,
                                bool(binding), valid_from or "", valid_to or "", doc_id=doc_id or "",
                                organisation_name=organisation_name or "", contact=contact or "")
        except (PolicyAssistantError, OSError) as exc:
            raise self._fail(exc) from None
        return p.id, self.preview_html(p)

    def preview_html(self, p) -> str:
        lg = self.lang
        q = p.quality
        rows = "".join(f"<li><strong>{_e(MODALITY.get(r['modality'], {}).get(lg, r['modality']))}</strong> "
                       f"({r['confidence']:.2f}): {_e(r['text'])}"
                       + (f"<br><em>villkor / condition:</em> {_e(r['condition'])}" if r.get("condition") else "") + "</li>"
                       for r in p.rules)
        warnings = "".join(f"<li>{_e(WARNINGS[w][lg])}</li>" for w in p.warnings)
        return (f"<section aria-label='{_e(t(lg, 'preview'))}'><h2>{_e(p.title)}</h2>"
                f"<p>{_e(p.filename)} → <code>{_e(p.doc_id)}</code> version {_e(p.version)} · {_e(p.organisation_name)}"
                f"{' (ny / new)' if p.new_organisation else ''} · {_e(t(lg, 'valid_from'))}: {_e(p.valid_from)}"
                f"{' · ' + _e(t(lg, 'valid_to')) + ': ' + _e(p.valid_to) if p.valid_to else ''}"
                f"{' · ersätter / replaces ' + _e(p.replaces) if p.replaces else ''}</p>"
                f"<p>{p.words} ord / words · {p.chunks} avsnitt / chunks · {p.tables} tabeller / tables ({p.table_rows}) · "
                f"OCR: {'ja' if q['ocr'] else 'nej'} · okända ord / unknown words {q['oov_after']:.1%} · "
                f"längsta avsnitt / longest chunk {q['max_chunk_tokens']}/{q['token_limit']}</p>"
                + (f"<div role='alert'><ul>{warnings}</ul></div>" if warnings else "")
                + f"<h3>Rubriker / sections</h3><ul>{''.join(f'<li>{_e(s)}</li>' for s in p.sections) or '<li>-</li>'}</ul>"
                + f"<h3>Regler / rules ({len(p.rules)})</h3><ul>{rows or '<li>-</li>'}</ul></section>")

    def publish(self, preview_id, request: gr.Request = None):
        who = self._who(request)
        if not preview_id:
            raise self._fail(PolicyAssistantError(t(self.lang, "no_preview")))
        try:
            done = publish.publish(self.settings, preview_id, who)
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None
        return "", f"<p role='status'>{_e(t(self.lang, 'published', key=done['key'], summary=done['summary']))}</p>"

    def cancel(self, preview_id, request: gr.Request = None):
        self._who(request)
        if preview_id:
            publish.cancel(self.settings, preview_id)
        return "", f"<p role='status'>{_e(t(self.lang, 'cancelled'))}</p>"

    # -- versions and diff ------------------------------------------------------------------------------------
    def versions(self, doc_id, request: gr.Request = None):
        self._who(request)
        try:
            rows = publish.list_versions(self.settings, (doc_id or "").strip() or None)
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None
        return [[v["document"], v["version"] or "-", v["valid_from"] or "-", v["valid_to"] or "-",
                 STATUS[v["status"]][self.lang], v["organisation"], v["chunks"], v["source"]] for v in rows]

    def open_version(self, doc_id, version, request: gr.Request = None):
        self._who(request)
        try:
            return publish.version_text(self.settings, (doc_id or "").strip(), "" if version in (None, "", "-") else version.strip())
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None

    def diff(self, doc_id, old, new, request: gr.Request = None):
        self._who(request)
        norm = lambda v: "" if v in (None, "", "-") else v.strip()   # noqa: E731
        try:
            d = diffs.diff_versions(self.settings, (doc_id or "").strip(), norm(old), norm(new))
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None
        return self.diff_html(d)

    def diff_html(self, d) -> str:
        lg = self.lang

        def rule(r):
            return f"[{_e(MODALITY.get(r['modality'], {}).get(lg, r['modality']))}] {_e(r['text'])}"

        def block(title, items):
            return f"<h3>{_e(title)} ({len(items)})</h3><ul>{''.join(f'<li>{i}</li>' for i in items) or '<li>' + _e(t(lg, 'none')) + '</li>'}</ul>"

        parts = [f"<section aria-label='{_e(t(lg, 'diff_tab'))}'><h2>{_e(d.document)}: {_e(d.old)} → {_e(d.new)}</h2>",
                 block(t(lg, "sections_added"), [_e(s) for s in d.sections_added]),
                 block(t(lg, "sections_removed"), [_e(s) for s in d.sections_removed]),
                 block(t(lg, "rules_changed"), [f"<del>{rule(c['old'])}</del><br><ins>{rule(c['new'])}</ins>" for c in d.changed]),
                 block(t(lg, "rules_removed"), [f"<del>{rule(r)}</del>" for r in d.removed]),
                 block(t(lg, "rules_added"), [f"<ins>{rule(r)}</ins>" for r in d.added])]
        recheck = [f"{_e(kind)} <code>{_e(i['id'])}</code>: {_e(i['question'])} ({_e(WHY[i['why']][lg])})"
                   for kind, items in (("eval", d.eval_cases), ("övning / practice", d.practice), ("återkoppling / feedback", d.feedback))
                   for i in items]
        parts.append(block(t(lg, "recheck"), recheck))
        return "".join(parts) + "</section>"

    # -- evals -----------------------------------------------------------------------------------------------
    def start_eval(self, name, request: gr.Request = None):
        self._who(request)
        try:
            job = self.jobs.start(name)
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None
        return job.id, self.progress_html(job), ""

    def poll_eval(self, job_id, request: gr.Request = None):
        self._who(request)
        job = self.jobs.job(job_id) if job_id else None
        if job is None:
            return gr.update(), gr.update()
        report = self.comparison_html(job) if job.status in ("done", "failed") else ""
        return self.progress_html(job), report

    def progress_html(self, job) -> str:
        pct = round(100 * job.fraction)
        return (f"<label>{_e(t(self.lang, 'eval_progress'))}: {_e(job.set)} – {_e(job.status)} "
                f"<progress max='100' value='{pct}' aria-valuenow='{pct}'>{pct} %</progress> {job.done}/{job.total}</label>")

    def comparison_html(self, job) -> str:
        lg = self.lang
        if job.status == "failed":
            return f"<p role='alert'>{_e(t(lg, 'error', message=job.error))}</p>"
        c = job.comparison
        rows = "".join(f"<tr><th scope='row'>{_e(k)}</th><td>{_e(v.get('previous'))}</td><td>{_e(v.get('current'))}</td>"
                       f"<td>{_e((c.get('baseline') or {}).get('metrics', {}).get(k, {}).get('baseline'))}</td></tr>"
                       for k, v in (c.get("metrics") or {k: {"current": None} for k in evaljobs.SHOWN_METRICS}).items())
        cases_ = lambda items, key: "".join(f"<li><code>{_e(i['id'])}</code> {_e(i['question'])}: {_e('; '.join(i[key]))}</li>"  # noqa: E731
                                            for i in items) or f"<li>{_e(t(lg, 'none'))}</li>"
        regressions = (c.get("baseline") or {}).get("regressions")
        return (f"<h2>{_e(t(lg, 'eval_result'))}: {_e(job.set)}</h2>"
                f"<table><caption>{_e(job.set)}</caption><tr><th>metric</th><th>förra / previous</th><th>nu / now</th>"
                f"<th>baslinje / baseline</th></tr>{rows}</table>"
                f"<h3>{_e(t(lg, 'better'))}</h3><ul>{cases_(c.get('better', []), 'was')}</ul>"
                f"<h3>{_e(t(lg, 'worse'))}</h3><ul>{cases_(c.get('worse', []), 'now')}</ul>"
                + (f"<h3>{_e(t(lg, 'baseline'))}</h3><ul>{''.join(f'<li>{_e(r)}</li>' for r in regressions) or '<li>ok</li>'}</ul>"
                   if regressions is not None else ""))

    # -- feedback, gaps, usage, audit -----------------------------------------------------------------------
    def feedback_and_gaps(self, organisation, request: gr.Request = None):
        self._who(request)
        org = (organisation or "").strip()
        down = []
        if self.settings.feedback_path.is_file():
            from assistant.feedback import FeedbackStore

            down = [[f"f{r['id']}", r["created"][:10], r["question"], r["reason"], r["comment"], r["verdict"]]
                    for r in FeedbackStore(self.settings.feedback_path).rows(rating=-1) if not org or r["organisation"] == org]
        gaps = [[f"q{g['ids'][0]}", g["count"], g["question"], g["last"][:10]] for g in usage.usage_log(self.settings).groups(org)] if org else []
        return down, gaps

    def make_case(self, ref, verdict, document, quote, organisation, request: gr.Request = None):
        self._who(request)
        ref = (ref or "").strip().lower()
        try:
            if ref.startswith("q") and ref[1:].isdigit():
                log = usage.usage_log(self.settings)
                group = next((g for g in log.groups((organisation or "").strip()) if int(ref[1:]) in g["ids"]), None)
                ids = group["ids"] if group else [int(ref[1:])]
                case = cases.case_from_gap(self.settings, ids, verdict or "", document or "", quote or "")
            elif ref.startswith("f") and ref[1:].isdigit():
                case = cases.case_from_feedback(self.settings, int(ref[1:]), verdict or "", document or "", quote or "")
            else:
                raise PolicyAssistantError(t(self.lang, "case_ref"))
        except PolicyAssistantError as exc:
            raise self._fail(exc) from None
        path = cases.own_case_file(self.settings, case["organisation"])
        return f"<p role='status'>{_e(t(self.lang, 'case_saved', path=path.name))}: <code>{_e(case['id'])}</code></p>"

    def usage(self, organisation, request: gr.Request = None):
        import pandas as pd

        self._who(request)
        weeks = usage.usage_log(self.settings).weeks((organisation or "").strip(), self.settings.feedback_path)
        table = [[w["week"], w["questions"], w["yes"], w["no"], w["conditional"], w["info"], w["not_covered"],
                  w["thumbs_down"]] for w in weeks]
        counts = pd.DataFrame([{"week": w["week"], "questions": w["questions"]} for w in weeks], columns=["week", "questions"])
        rates = pd.DataFrame([{"week": w["week"], "metric": name, "rate": w[key] or 0.0} for w in weeks
                              for key, name in (("not_covered_rate", "ej täckt / not covered"), ("thumbs_down_rate", "👎"))],
                             columns=["week", "metric", "rate"])
        return table, counts, rates

    def audit(self, request: gr.Request = None):
        self._who(request)
        log = audit.audit_log(self.settings)
        rows = [[r["at"], r["maintainer"], r["action"], r["document"], r["version"], r["valid_from"], r["content_hash"][:12]]
                for r in log.rows()]
        out = Path(tempfile.mkdtemp(prefix="policy-audit-")) / "audit.csv"
        log.export(out)
        return rows, str(out)

    # -- layout ------------------------------------------------------------------------------------------------
    def api_name(self, name: str):
        """The endpoint's name for the instance that carries the API; the other language's copy has none."""
        return name if self.api else False

    def build(self) -> gr.Tab:
        lg = self.lang
        # Hidden until the page knows who is logged in and in which language (the app shows it to maintainers only).
        with gr.Tab(t(lg, "tab"), id=f"workspace-{lg}", visible=False) as tab:
            gr.Markdown(t(lg, "intro"))
            with gr.Tab(t(lg, "publish_tab")):
                preview_id = gr.State("")
                upload = gr.File(label=t(lg, "file"), file_types=[".pdf", ".docx", ".html", ".htm", ".md", ".txt"], type="filepath")
                with gr.Row():
                    organisation = gr.Textbox(label=t(lg, "organisation"))
                    organisation_name = gr.Textbox(label=t(lg, "organisation_name"))
                    contact = gr.Textbox(label=t(lg, "contact"))
                with gr.Row():
                    title = gr.Textbox(label=t(lg, "title"))
                    doc_id = gr.Textbox(label=t(lg, "doc_id"))
                    doc_type = gr.Dropdown(list(DOC_TYPES), value="policy", label=t(lg, "type"))
                    binding = gr.Checkbox(value=True, label=t(lg, "binding"))
                with gr.Row():
                    valid_from = gr.Textbox(label=t(lg, "valid_from"))
                    valid_to = gr.Textbox(label=t(lg, "valid_to"))
                with gr.Row():
                    b_preview = gr.Button(t(lg, "preview"), variant="secondary")
                    b_publish = gr.Button(t(lg, "publish"), variant="primary")
                    b_cancel = gr.Button(t(lg, "cancel"))
                preview_out = gr.HTML()
            with gr.Tab(t(lg, "versions_tab")):
                with gr.Row():
                    v_doc = gr.Textbox(label=t(lg, "document"))
                    v_version = gr.Textbox(label=t(lg, "version"))
                with gr.Row():
                    b_versions = gr.Button(t(lg, "refresh"))
                    b_open = gr.Button(t(lg, "open_version"))
                versions_table = gr.Dataframe(headers=HEADERS["versions"][lg], interactive=False)
                version_text = gr.Textbox(label=t(lg, "version_text"), lines=12, interactive=False)
            with gr.Tab(t(lg, "diff_tab")):
                with gr.Row():
                    d_doc = gr.Textbox(label=t(lg, "document"))
                    d_old = gr.Textbox(label=t(lg, "old"))
                    d_new = gr.Textbox(label=t(lg, "new"))
                b_diff = gr.Button(t(lg, "compare"))
                diff_out = gr.HTML()
            with gr.Tab(t(lg, "evals_tab")):
                job_id = gr.State("")
                e_set = gr.Dropdown(evaljobs.set_choices(self.settings), value="shipped", label=t(lg, "eval_set"),
                                    allow_custom_value=True)
                b_eval = gr.Button(t(lg, "start_eval"), variant="primary")
                e_progress = gr.HTML()
                e_report = gr.HTML()
                timer = gr.Timer(1.0)
            with gr.Tab(t(lg, "feedback_tab")):
                f_org = gr.Textbox(label=t(lg, "organisation"))
                b_feedback = gr.Button(t(lg, "refresh"))
                down_table = gr.Dataframe(headers=HEADERS["thumbs_down"][lg], interactive=False,
                                          label=t(lg, "thumbs_down"))
                gaps_table = gr.Dataframe(headers=HEADERS["gaps"][lg], interactive=False, label=t(lg, "gaps"))
                with gr.Row():
                    c_ref = gr.Textbox(label=t(lg, "case_ref"))
                    c_verdict = gr.Dropdown(VERDICT_CHOICES, label=t(lg, "verdict"))
                    c_doc = gr.Textbox(label=t(lg, "document"))
                c_quote = gr.Textbox(label=t(lg, "quote"), lines=2)
                b_case = gr.Button(t(lg, "make_case"))
                case_out = gr.HTML()
            with gr.Tab(t(lg, "usage_tab")):
                u_org = gr.Textbox(label=t(lg, "organisation"))
                b_usage = gr.Button(t(lg, "refresh"))
                usage_table = gr.Dataframe(headers=HEADERS["usage"][lg],
                                           interactive=False)
                counts_plot = gr.BarPlot(x="week", y="questions", label="frågor per vecka / questions per week")
                rates_plot = gr.LinePlot(x="week", y="rate", color="metric", label="andel / rate")
            with gr.Tab(t(lg, "audit_tab")):
                b_audit = gr.Button(t(lg, "refresh"))
                audit_table = gr.Dataframe(headers=HEADERS["audit"][lg],
                                           interactive=False)
                audit_file = gr.File(label=t(lg, "export_csv"), interactive=False)

        b_preview.click(self.preview, [upload, organisation, organisation_name, contact, title, doc_id, doc_type, binding,
                                       valid_from, valid_to], [preview_id, preview_out], api_name=self.api_name("ws_preview"))
        b_publish.click(self.publish, preview_id, [preview_id, preview_out], api_name=self.api_name("ws_publish"))
        b_cancel.click(self.cancel, preview_id, [preview_id, preview_out], api_name=self.api_name("ws_cancel"))
        b_versions.click(self.versions, v_doc, versions_table, api_name=self.api_name("ws_versions"))
        b_open.click(self.open_version, [v_doc, v_version], version_text, api_name=self.api_name("ws_open_version"))
        b_diff.click(self.diff, [d_doc, d_old, d_new], diff_out, api_name=self.api_name("ws_diff"))
        b_eval.click(self.start_eval, e_set, [job_id, e_progress, e_report], api_name=self.api_name("ws_eval_start"))
        timer.tick(self.poll_eval, job_id, [e_progress, e_report], api_name=self.api_name("ws_eval_poll"))
        b_feedback.click(self.feedback_and_gaps, f_org, [down_table, gaps_table], api_name=self.api_name("ws_feedback"))
        b_case.click(self.make_case, [c_ref, c_verdict, c_doc, c_quote, f_org], case_out, api_name=self.api_name("ws_make_case"))
        b_usage.click(self.usage, u_org, [usage_table, counts_plot, rates_plot], api_name=self.api_name("ws_usage"))
        b_audit.click(self.audit, None, [audit_table, audit_file], api_name=self.api_name("ws_audit"))
        return tab


def build_workspace(assistant, settings, maintainer_name: Callable | None = None, language: str = "sv",
                    api: bool = True) -> Workspace:
    """Build the Förvaltning tab inside the caller's `gr.Blocks()` / `gr.Tabs()` context; returns the Workspace
    (its handlers are plain methods, for tests). The chat builds one per interface language and shows the one the
    page is in; `api` names the endpoints of one of them."""
    workspace = Workspace(assistant, settings, maintainer_name, language)
    workspace.api = api
    workspace.tab = workspace.build()
    return workspace
