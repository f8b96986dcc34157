"""Draft eval cases from the workspace: an unanswered question or a thumbs-down becomes a case only with the
maintainer's verdict and quote, never the assistant's answer (which may be the very thing that was wrong).

The drafts go to the organisation's own case file, `<data_dir>/maintainer-cases/<organisation>.yaml`, in the eval
set format (evals/cases.py), which the workspace's evals can run ("the organisation's own cases").
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.answer import VERDICTS
from assistant.sensitive import redact
from evals.matching import contains
from ingest.errors import PolicyAssistantError


def own_case_dir(settings) -> Path:
    return settings.data_dir / "maintainer-cases"


def own_case_file(settings, organisation: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", organisation or ""):
        raise PolicyAssistantError(f"bad organisation id {organisation!r}")
    return own_case_dir(settings) / f"{organisation}.yaml"


def draft_case(settings, organisation: str, question: str, verdict: str, document: str = "", quote: str = "",
               must_mention: list[str] | None = None, tags: list[str] | None = None) -> dict:
    """A case from the maintainer's verdict and quote, checked: the verdict is one of the five, a not-covered
    case has no quote, any other has a quote that stands in the document's text (matched as the evals match)."""
    from assistant.retrieval import Retriever

    question = redact(" ".join((question or "").split()))
    if not question:
        raise PolicyAssistantError("the case needs a question")
    if verdict not in VERDICTS:
        raise PolicyAssistantError(f"choose the correct verdict ({', '.join(VERDICTS)})")
    quote = " ".join((quote or "").split())
    gold = []
    if verdict == "not_covered":
        if quote:
            raise PolicyAssistantError("a not-covered case quotes nothing: leave the quote empty")
    else:
        if not document or not quote:
            raise PolicyAssistantError("give the document and the sentence that answers the question (the quote)")
        retriever = Retriever(settings)
        docs = retriever.generation.documents
        if document not in docs or docs[document]["info"].get("organisation") not in (organisation, "general"):
            raise PolicyAssistantError(f"unknown document '{document}' for organisation '{organisation}'")
        if not contains(retriever.document_text(document), quote):
            raise PolicyAssistantError("the quote is not in the document's text as it stands (copy it from the document)")
        gold = [{"document": document, "quote": quote}]
    words = re.findall(r"[a-zåäö0-9]+", question.lower())[:5]
    slug = "-".join(words).translate(str.maketrans("åäö", "aao")) or "question"
    return {"id": f"{organisation}-own-{slug}", "organisation": organisation, "question": question, "verdict": verdict,
            "gold": gold, "must_mention": list(must_mention or []), "tags": list(tags or ["maintainer"])}


def add_case(settings, case: dict) -> Path:
    """Append a case to its organisation's own file (an id already there gets a number)."""
    path = own_case_file(settings, case["organisation"])
    existing = []
    if path.is_file():
        existing = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ids = {c.get("id") for c in existing if isinstance(c, dict)}
    base, n = case["id"], 2
    while case["id"] in ids:
        case = {**case, "id": f"{base}-{n}"}
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(yaml.safe_dump(existing + [case], allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    tmp.replace(path)
    return path


def case_from_gap(settings, gap_ids: list[int], verdict: str, document: str = "", quote: str = "") -> dict:
    """A queued question (or a group of them) as a case with the maintainer's verdict and quote; the queue items
    are marked resolved."""
    from assistant.maintenance.usage import usage_log

    log = usage_log(settings)
    items = [log.item(i) for i in gap_ids]
    if not gap_ids or any(i is None for i in items):
        raise PolicyAssistantError("unknown queue item")
    case = draft_case(settings, items[0]["organisation"], items[0]["question"], verdict, document, quote, tags=["maintainer", "gap"])
    add_case(settings, case)
    log.resolve(gap_ids)
    return case


def case_from_feedback(settings, feedback_id: int, verdict: str, document: str = "", quote: str = "") -> dict:
    """A thumbs-down answer as a case: the question and history from the feedback, the verdict and quote from the
    maintainer."""
    from assistant.feedback import FeedbackStore

    rows = [r for r in FeedbackStore(settings.feedback_path).rows() if r["id"] == int(feedback_id)]
    if not rows:
        raise PolicyAssistantError(f"unknown feedback item {feedback_id}")
    r = rows[0]
    case = draft_case(settings, r["organisation"], r["question"], verdict, document, quote, tags=["maintainer", "feedback"])
    if r["history"]:
        case["history"] = [{"question": h.get("question", ""), "answer": h.get("answer", "")} for h in r["history"]]
    add_case(settings, case)
    return case
