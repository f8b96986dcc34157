"""The maintainer workspace's backend (issue 17): preview and publish through the real ingest, a new organisation,
what changed between versions, the audit log, usage counts and the unanswered-questions queue, draft cases, evals
in the background, and the CLI. A real Chroma store of a tiny corpus, the real model, engine and loaders."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from ingest.errors import PolicyAssistantError
from tests.conftest import run_cli
from tests.test_bad_input import PNG, make_zip_bomb
from tests.test_versions import V1, V2

MANIFEST = """
[organisations.testby]
name = "Testby kommun"
contact = "IT-chefen"

[[documents]]
id = "testby-policy"
file = "testby-policy.txt"
title = "AI-policy för Testby kommun"
organisation = "testby"
"""

NYBY = """# Regler för AI i Nyby kommun

Medarbetare i Nyby får inte låta AI-tjänster fatta beslut om myndighetsutövning.

Chattbotar på webbplatsen ska tydligt visa att användaren talar med en AI.
"""

REMOVED_QUOTE = "IT-chefen beslutar om vilka AI-tjänster som får upphandlas"


@pytest.fixture(scope="module")
def ws(tmp_path_factory, embedding_cache):
    """A store of one document (no version label), then version 2 published from the workspace ahead of its date,
    and a new organisation's document."""
    from assistant.maintenance.cases import add_case
    from assistant.maintenance.publish import preview, publish
    from assistant.settings import load_settings
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("workspace")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (corpus / "testby-policy.txt").write_text(V1, encoding="utf-8")
    settings = load_settings(data_dir=root / "data", corpus_dir=corpus, embedding_cache=embedding_cache,
                             clock_date="2026-06-01", practice_sets=[])
    ingest(settings, progress=False)
    # The organisation's own eval case quotes the rule version 2 removes.
    add_case(settings, {"id": "testby-upphandling", "organisation": "testby", "question": "Vem beslutar om upphandling av AI-tjänster?",
                        "verdict": "info", "gold": [{"document": "testby-policy", "quote": REMOVED_QUOTE}],
                        "must_mention": [], "tags": []})
    p2 = preview(settings, V2.encode(), "policy-2030.txt", "testby", valid_from="2030-01-01", doc_id="testby-policy")
    done2 = publish(settings, p2.id, "anna")
    p3 = preview(settings, NYBY.encode("utf-8"), "regler.md", "nyby", "", "rules", True, "2026-01-01",
                 organisation_name="Nyby kommun", contact="Digitaliseringsstrategen (ai@nyby.se)")
    done3 = publish(settings, p3.id, "bertil")
    return {"settings": settings, "p2": p2, "done2": done2, "p3": p3, "done3": done3}


def test_preview_reports_how_the_file_was_read(ws):
    p2, p3 = ws["p2"], ws["p3"]
    assert (p2.doc_id, p2.version, p2.replaces, p2.title) == ("testby-policy", "2", "testby-policy", "AI-policy för Testby kommun")
    assert "Allmänt tillgängliga AI-tjänster" in " ".join(p2.sections) and "Utbildning" in " ".join(p2.sections)
    texts = " ".join(r["text"] for r in p2.rules)
    assert "dataskyddsombudet" in texts and all(r["modality"] != "none" for r in p2.rules)
    assert p2.quality["ocr"] is False and p2.chunks >= 1
    assert p3.new_organisation and p3.doc_id == "regler-for-ai-i-nyby-kommun" and p3.title == "Regler för AI i Nyby kommun"
    assert any(r["modality"] in ("prohibition", "obligation") for r in p3.rules)


def test_publish_ahead_of_time_and_the_new_organisation(ws):
    from assistant.engine import Assistant
    from assistant.maintenance.publish import list_versions

    settings = ws["settings"]
    assert ws["done2"]["action"] == "new_version" and ws["done3"]["action"] == "publish"
    states = {v["key"]: (v["status"], v["source"]) for v in list_versions(settings)}
    assert states["testby-policy"][0] == "in_force" and states["testby-policy@2"] == ("upcoming", "workspace")
    assert states["regler-for-ai-i-nyby-kommun@1"] == ("in_force", "workspace")
    # The corpus in git is untouched: the upload lives in the maintainer corpus under the data dir.
    assert "nyby" not in (settings.corpus_dir / "manifest.toml").read_text(encoding="utf-8")
    assert (settings.maintainer_corpus_dir / "manifest.toml").is_file()
    assistant = Assistant(settings)
    assert assistant.retriever.organisations()["nyby"]["contact"] == "Digitaliseringsstrategen (ai@nyby.se)"
    answer = assistant.ask("Får AI-tjänster fatta beslut om myndighetsutövning?", "nyby")
    assert answer.citations and answer.citations[0].document == "regler-for-ai-i-nyby-kommun"
    assert next(p for p in answer.passages if p["doc_id"] == "regler-for-ai-i-nyby-kommun")["version"] == "1"


def test_diff_lists_rules_and_what_to_recheck(ws):
    from assistant.maintenance.diff import diff_versions
    from assistant.feedback import FeedbackStore

    settings = ws["settings"]
    FeedbackStore(settings.feedback_path).add(
        {"organisation": "testby", "question": "Vem beslutar om upphandling?", "verdict": "info", "text": "…",
         "citations": [{"n": 1, "document": "testby-policy", "title": "t", "section": "Ansvar", "quote": REMOVED_QUOTE,
                        "start": 0, "end": 10}]}, -1, "wrong_answer")
    d = diff_versions(settings, "testby-policy", "", "2")
    assert "Ansvar" in " ".join(d.sections_removed) and "Utbildning" in " ".join(d.sections_added)
    assert any("personuppgifter om dataskyddsombudet" in c["new"]["text"] and "får inte" in c["old"]["text"] for c in d.changed)
    assert any(REMOVED_QUOTE in r["text"] for r in d.removed)
    assert any("AI-utbildning" in r["text"] for r in d.added)
    assert [c["id"] for c in d.eval_cases] == ["testby-upphandling"]
    assert len(d.feedback) == 1 and d.feedback[0]["why"] in ("changed", "gone")
    with pytest.raises(PolicyAssistantError):
        diff_versions(settings, "testby-policy", "2", "2")


def test_audit_log_has_the_rows_and_exports_csv(ws, tmp_path):
    from assistant.maintenance.audit import audit_log

    log = audit_log(ws["settings"])
    out = tmp_path / "audit.csv"
    assert log.export(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["maintainer"], r["action"], r["document"], r["version"]) for r in rows] == [
        ("anna", "new_version", "testby-policy", "2"), ("bertil", "publish", "regler-for-ai-i-nyby-kommun", "1")]
    assert rows[0]["content_hash"] == ws["p2"].sha256 and rows[0]["valid_from"] == "2030-01-01" and rows[0]["generation"]


def _generation(settings):
    from ingest.store import Store

    return Store(settings).current().name


def test_hostile_uploads_fail_with_one_line_and_change_nothing(ws, tmp_path):
    from assistant.maintenance.publish import preview, publish, staging_dir

    settings = ws["settings"]
    before, manifest_before = _generation(settings), (settings.maintainer_corpus_dir / "manifest.toml").read_bytes()
    staged_before = set(staging_dir(settings).iterdir())
    for name, data, word in (("bild.txt", PNG, "binary"), ("bomb.docx", make_zip_bomb(tmp_path).read_bytes(), "zip bomb"),
                             ("x.exe", b"MZ", "unsupported")):
        with pytest.raises(PolicyAssistantError) as err:
            preview(settings, data, name, "testby", valid_from="2031-01-01", doc_id="testby-policy")
        message = str(err.value)
        assert "\n" not in message and word in message.lower() and name in message and str(settings.data_dir) not in message
    # A file that changes between preview and publish fails inside ingest: everything is put back.
    p = preview(settings, V2.replace("Utbildning", "Kurser").encode(), "v3.txt", "testby", valid_from="2031-01-01",
                doc_id="testby-policy")
    (staging_dir(settings) / p.id / "upload.txt").write_bytes(PNG)
    with pytest.raises(PolicyAssistantError) as err:
        publish(settings, p.id, "anna")
    assert "binary" in str(err.value)
    assert _generation(settings) == before
    assert (settings.maintainer_corpus_dir / "manifest.toml").read_bytes() == manifest_before
    assert not list(settings.maintainer_corpus_dir.glob("*v3*"))
    assert set(staging_dir(settings).iterdir()) - staged_before == {staging_dir(settings) / p.id}
    with pytest.raises(PolicyAssistantError, match="already exists"):
        preview(settings, V2.encode(), "v.txt", "testby", valid_from="2032-01-01", doc_id="testby-policy", version="2")
    with pytest.raises(PolicyAssistantError, match="belongs to organisation"):
        preview(settings, V2.encode(), "v.txt", "nyby", valid_from="2032-01-01", doc_id="testby-policy")


def test_gaps_queue_is_redacted_grouped_and_becomes_a_case_only_with_a_verdict(ws):
    from assistant.engine import Assistant
    from assistant.maintenance.cases import case_from_gap, own_case_file
    from assistant.maintenance.usage import usage_log

    settings = ws["settings"]
    assistant, log = Assistant(settings), usage_log(settings)
    questions = ["Hur bokar jag friskvårdstimmen? Mitt personnummer är 19121212-1212",
                 "hur bokar jag friskvårdstimmen",
                 "Var hittar jag lunchmenyn i personalrestaurangen?",
                 "Får jag använda ChatGPT med personuppgifter?"]
    answers = [assistant.ask(q, "testby") for q in questions]
    assert [a.verdict == "not_covered" for a in answers] == [True, True, True, False]
    for a in answers:
        log.record_answer(a, "testby")
    groups = log.groups("testby")
    assert [g["count"] for g in groups] == [2, 1]
    assert "friskvårdstimmen" in groups[0]["question"] and "lunchmenyn" in groups[1]["question"]
    raw = settings.workspace_path.read_bytes()
    assert b"19121212-1212" not in raw and b"121212" not in raw
    weeks = log.weeks("testby", settings.feedback_path)
    assert weeks[-1]["questions"] == 4 and weeks[-1]["not_covered"] == 3 and weeks[-1]["thumbs_down"] == 1
    assert weeks[-1]["not_covered_rate"] == 0.75
    with pytest.raises(PolicyAssistantError, match="verdict"):
        case_from_gap(settings, groups[0]["ids"], "")
    with pytest.raises(PolicyAssistantError, match="quote"):
        case_from_gap(settings, groups[0]["ids"], "no", "testby-policy", "Friskvård bokas i intranätet.")
    case = case_from_gap(settings, groups[0]["ids"], "not_covered")
    assert case["verdict"] == "not_covered" and case["gold"] == [] and "19121212" not in case["question"]
    assert [g["count"] for g in log.groups("testby")] == [1]
    saved = yaml.safe_load(own_case_file(settings, "testby").read_text(encoding="utf-8"))
    assert [c["id"] for c in saved][-1] == case["id"]


def test_eval_in_the_background_with_progress_history_and_comparison(ws):
    from assistant.maintenance.evaljobs import EvalJobs, history

    settings = ws["settings"]
    jobs = EvalJobs(settings)
    seen = []
    first = jobs.start("own:testby")
    with pytest.raises(PolicyAssistantError, match="already running"):
        jobs.start("own:testby")
    jobs.wait(120)
    assert first.status == "done", first.error
    assert first.total >= 2 and first.done == first.total and first.fraction == 1.0
    second = jobs.start("own:testby")
    while second.status in ("queued", "running"):
        seen.append(second.done)
        jobs.wait(0.05)
    assert second.status == "done" and Path(second.report).is_file()
    assert second.comparison["metrics"]["pass_rate"]["previous"] is not None
    assert {"better", "worse", "new"} <= set(second.comparison)
    assert len(history(settings, "own:testby")) == 2
    with pytest.raises(PolicyAssistantError, match="unknown eval set"):
        jobs.start("atlantis")


def test_cli_subcommands(ws, tmp_path):
    settings = ws["settings"]
    env = {"POLICY_ASSISTANT_EMBEDDING_CACHE": str(settings.embedding_cache_path),
           "POLICY_ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "POLICY_ASSISTANT_CLOCK_DATE": "2026-06-01"}
    base = ("--data-dir", settings.data_dir)
    res = run_cli(*base, "versions", "testby-policy", "--json", env_extra=env)
    assert res.returncode == 0, res.stderr
    assert {v["key"]: v["status"] for v in json.loads(res.stdout)} == {"testby-policy": "in_force", "testby-policy@2": "upcoming"}
    res = run_cli(*base, "diff", "testby-policy", "-", "2", env_extra=env)
    assert res.returncode == 0 and "IT-chefen beslutar" in res.stdout and "testby-upphandling" in res.stdout, res.stderr
    bad = tmp_path / "bild.txt"
    bad.write_bytes(PNG)
    for args in (("diff", "okänt-dokument", "1", "2"), ("gaps", "atlantis"),
                 ("publish", bad, "--organisation", "testby", "--valid-from", "2031-01-01", "--maintainer", "anna"),
                 ("publish", tmp_path / "saknas.txt", "--organisation", "testby", "--valid-from", "2031-01-01", "--maintainer", "anna"),
                 ("publish", bad, "--organisation", "testby", "--valid-from", "2031-13-01", "--maintainer", "anna")):
        res = run_cli(*base, *args, env_extra=env)
        lines = res.stderr.strip().splitlines()
        assert res.returncode == 2 and len(lines) == 1 and "Traceback" not in res.stderr, (args, res.stderr)
    out = tmp_path / "audit.csv"
    res = run_cli(*base, "audit", "--csv", out, env_extra=env)
    assert res.returncode == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_the_tab_builds_and_its_handlers_refuse_non_maintainers(ws, tmp_path):
    """The Förvaltning tab inside a real gr.Blocks; its handlers called as Gradio calls them (with the request's
    account): a maintainer is served, anyone else refused, uploaded text shown escaped."""
    from types import SimpleNamespace

    import gradio as gr

    from assistant.ui.workspace import build_workspace

    settings = ws["settings"].model_copy(update={"ui_maintainers": ["anna"]})
    with gr.Blocks() as demo:
        with gr.Tabs():
            workspace = build_workspace(None, settings, lambda request: request.username)
    assert demo.fns, "the tab registered its events"
    anna, eve = SimpleNamespace(username="anna"), SimpleNamespace(username="eve")
    with pytest.raises(gr.Error):
        workspace.versions("", eve)
    with pytest.raises(gr.Error):
        workspace.audit(eve)
    rows = workspace.versions("testby-policy", anna)
    assert [r[4] for r in rows] == ["gäller nu", "kommande"]
    hostile = tmp_path / "<script>alert(1)<script>.md"
    hostile.write_text("# <img src=x onerror=alert(1)>\n\nMedarbetare får inte använda AI-tjänster med <b>sekretess</b>.\n",
                       encoding="utf-8")
    preview_id, shown = workspace.preview(str(hostile), "testby", "", "", "", "", "policy", True, "2033-01-01", "", anna)
    assert "<img" not in shown and "<script>" not in shown and "&lt;img" in shown
    assert workspace.cancel(preview_id, anna)[0] == ""
    assert "IT-chefen beslutar" in workspace.diff("testby-policy", "-", "2", anna)
    table, _ = workspace.audit(anna)
    assert len(table) == 2
