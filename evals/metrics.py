"""Per-case scoring of an Answer against its eval case, and the aggregate metrics over many cases.

Definitions (each metric is None when its denominator is zero, never a misleading 0 or 1):
- hit@k, MRR: over cases with gold; gold_rank is the 1-based rank of the first retrieved passage that is gold.
- verdict accuracy over all cases; refusal precision/recall treat not_covered as the positive class.
- unsafe answers: predicted "yes" where the gold verdict is "no" (count, and rate over gold-"no" cases).
- citation precision: cited passages (each distinct passage once) that are gold, over every cited passage in
  cases with gold (micro); the _doc variant only asks for a gold document. Citation recall: share of cases with
  gold that cite at least one gold passage.
- must-mention recall: terms found over terms asked for (micro).
- groundedness: supported answer sentences over answer sentences (micro), refusals (predicted not_covered)
  left out because they claim nothing about the documents.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from assistant.answer import VERDICTS
from ingest.sentences import split as split_sentences
from assistant.sensitive import redact, scan
from evals.cases import Case
from evals.matching import contains, fold, is_gold, is_gold_document, mentions

HIT_KS = (1, 3, 5)
PASS_K = 5                # a case passes retrieval when a gold passage is in the top 5
SUPPORT_SHARE = 0.6       # "most" content words of a marked sentence must occur in its cited text
PASSAGES_KEPT = 10        # retrieved passages stored per case for reports
_MARKER = re.compile(r"\[(\d+)\]")
# Markers written after the full stop ("... information. [1] Nästa") belong to the sentence before them.
_MARKER_AFTER_END = re.compile(r"([.!?][”\"'»)]*)((?:\s*\[\d+\])+)")
STOPWORDS = set("""
och att det som för med den till inte har are the and for with that this you your can may not must from
eller ett kan ska får han hon ni vi jag man de dem sig sin sitt sina era vår vara vad när hur vem vilka
vilken vilket denna detta dessa om på av är en i så men också bara även efter innan under över genom
utan mot inom hos alla allt andra annan annat du dig din ditt dina mig min mitt mina oss vårt våra ert
their they them what when who which where how should will would could have has been was were also only
into about than then there these those such any all other its our out use used using""".split())


# ------------------------------------------------------------------------------------------- one case
def score_case(case: Case, answer: dict | None, latency: float | None, error: str = "") -> dict:
    """The per-case record: every number the aggregates need, plus what a report shows about the case."""
    answer = answer or {}
    predicted = answer.get("verdict") if not error else None
    passages = answer.get("passages") or []
    citations = answer.get("citations") or []
    has_gold = bool(case.gold)

    passage_gold = [is_gold(p.get("doc_id", ""), passage_text(p), case.gold) for p in passages]
    gold_rank = next((i for i, g in enumerate(passage_gold, 1) if g), None) if has_gold else None

    cited_by_key = _cited_passages(citations, case)
    cited = list(cited_by_key.values())
    missed = [t for t in case.must_mention if not mentions(answer.get("text", ""), t)]
    sentences, supported, dangling = groundedness(answer.get("text", ""), citations)
    counts_grounded = predicted not in (None, "not_covered")
    # The plain first line (issue 15) on its own: every clause of it must be supported by a cited quote.
    has_line = bool((answer.get("flags") or {}).get("first_line")) and counts_grounded
    line_sentences, line_supported, _ = groundedness(answer.get("text", "").split("\n")[0], citations) if has_line else (0, 0, 0)

    record: dict[str, Any] = {
        "id": case.id, "source": case.source, "organisation": case.organisation, "language": case.language,
        # Reports keep the redacted question: eval sets (and feedback drafts) may hold pasted personal data.
        "tags": list(case.tags), "question": redact(case.question),
        "history": [{**t, "question": redact(t.get("question", ""))} for t in case.history],
        "gold_verdict": case.verdict, "verdict": predicted,
        "correct": predicted == case.verdict,
        "unsafe": predicted == "yes" and case.verdict == "no",
        # A notice that says personal data were found, on a question that holds none (a question about secrecy).
        "false_alarm": (answer.get("flags") or {}).get("sensitive_notice") == "detected" and not scan(case.question)[0].personal_data,
        "has_gold": has_gold, "gold": [{"document": g.document, "quote": g.quote} for g in case.gold],
        "gold_rank": gold_rank, "retrieved": len(passages),
        "cited": len(cited), "cited_gold": sum(c["gold"] for c in cited),
        "cited_gold_doc": sum(c["gold_doc"] for c in cited),
        "mention_total": len(case.must_mention), "mention_hits": len(case.must_mention) - len(missed),
        "mention_missed": missed,
        "sentences": sentences if counts_grounded else 0,
        "supported_sentences": supported if counts_grounded else 0,
        "groundedness": round(supported / sentences, 4) if counts_grounded and sentences else None,
        "dangling_markers": dangling,
        "first_line_sentences": line_sentences, "first_line_supported": line_supported,
        "latency": latency, "error": error,
        "answer": {
            "text": answer.get("text", ""), "mode": answer.get("mode", ""), "language": answer.get("language", ""),
            "notices": answer.get("notices", []), "flags": answer.get("flags", {}),
            "citations": [{**{k: c.get(k) for k in ("n", "passage_id", "document", "section", "quote")},
                           "gold": cited_by_key[_citation_key(c)]["gold"], "gold_doc": cited_by_key[_citation_key(c)]["gold_doc"]}
                          for c in citations],
            "passages": [{"rank": i, "gold": g, **{k: p.get(k) for k in ("id", "doc_id", "section", "score", "context", "text")}}
                         for i, (p, g) in enumerate(zip(passages[:PASSAGES_KEPT], passage_gold), 1)],
        },
    }
    record["failures"] = failures(record)
    record["passed"] = not record["failures"]
    return record


def passage_text(p: dict) -> str:
    # The section path is part of what a passage says: some gold quotes are headings ("§ 1 Rättvisa"). The
    # context (the lead-in of a list the passage continues) is shown with the passage, so it counts too.
    return "\n".join(x for x in (p.get("section", ""), p.get("context", ""), p.get("text", "")) if x)


def _citation_key(c: dict) -> str:
    return c.get("passage_id") or f"{c.get('document')}:{c.get('passage_start', c.get('start'))}"


def _cited_passages(citations: list[dict], case: Case) -> dict[str, dict]:
    """Each distinct cited passage once, by key; it is gold when any citation of it is."""
    by_key: dict[str, dict] = {}
    for c in citations:
        key = _citation_key(c)
        text = "\n".join(x for x in (c.get("section", ""), c.get("passage") or c.get("quote", "")) if x)
        entry = by_key.setdefault(key, {"key": key, "gold": False, "gold_doc": False})
        entry["gold"] |= is_gold(c.get("document", ""), text, case.gold)
        entry["gold_doc"] |= is_gold_document(c.get("document", ""), case.gold)
    return by_key


def failures(record: dict) -> list[str]:
    """Why a case fails, in words for the reports; empty when it passes."""
    out = []
    if record["error"]:
        return [f"error: {record['error']}"]
    if not record["correct"]:
        out.append(f"verdict {record['verdict']} (gold {record['gold_verdict']})")
    if record["unsafe"]:
        out.append("unsafe: yes where the rules say no")
    if record["has_gold"] and (record["gold_rank"] is None or record["gold_rank"] > PASS_K):
        out.append(f"no gold passage in top {PASS_K}" + (f" (rank {record['gold_rank']})" if record["gold_rank"] else ""))
    if record["mention_missed"]:
        out.append("missing: " + ", ".join(record["mention_missed"]))
    return out


# ------------------------------------------------------------------------------------ groundedness
def content_words(text: str) -> list[str]:
    return [w for w in fold(_MARKER.sub(" ", text)).split() if len(w) >= 3 and w not in _FOLDED_STOPWORDS]


_FOLDED_STOPWORDS = {fold(w) for w in STOPWORDS}


def _stem(word: str) -> str:
    # Swedish inflects by suffix (personuppgift/-er/-erna): a 6-letter prefix is a crude but language-free stem.
    return word[:6]


def answer_sentences(text: str) -> list[str]:
    return [s for line in _statements(text) for s in line]


def _statements(text: str) -> list[list[str]]:
    # The engine writes one statement per line ("Enligt …: ”…” [1]" / "Vidare: ”…” [2]"), often without a full
    # stop after the closing quote mark, so a line break always ends a sentence here.
    return [split_sentences(_MARKER_AFTER_END.sub(r"\2\1", line.strip())) for line in text.splitlines() if line.strip()]


def groundedness(text: str, citations: list[dict]) -> tuple[int, int, int]:
    """(sentences counted, sentences supported, markers naming no citation).

    A sentence is supported when its [n] markers cite text (quote, passage, title, section) sharing at least
    SUPPORT_SHARE of its content words, or when the sentence is itself a verbatim quote of a cited passage. Sentences with no content
    words ("Ja.") are not counted either way."""
    by_n = {c.get("n"): c for c in citations}
    cited_texts = [(c.get("quote") or "") + "\n" + (c.get("passage") or "") for c in citations]
    counted = supported = dangling = 0
    for sentence, markers in ((s, m) for line in _statements(text) for s, m in _with_markers(line)):
        words = content_words(sentence)
        if not words:
            continue
        counted += 1
        dangling += sum(n not in by_n for n in markers)
        # The cited document's title and section count as support too: "Enligt <title>: ”…” [1]" says where the
        # rule stands, which is grounded in the citation, not a claim of its own.
        support = " ".join(" ".join(str(by_n[n].get(k) or "") for k in ("title", "section", "quote", "passage"))
                           for n in markers if n in by_n)
        stems = {_stem(w) for w in fold(support).split()}
        share = sum(_stem(w) in stems for w in words) / len(words)
        bare = _MARKER.sub(" ", sentence)
        if (markers and share >= SUPPORT_SHARE) or any(contains(t, bare) for t in cited_texts):
            supported += 1
    return counted, supported, dangling


def _with_markers(statement: list[str]) -> list[tuple[str, list[int]]]:
    """Each sentence of a statement with the [n] markers that support it: its own, or those of the next sentence
    of the statement that has some. A quote of two sentences ("Enligt …: ”A. B.” [1]") ends its statement with one
    marker for both."""
    out, pending = [], []
    for sentence in statement:
        markers = [int(n) for n in _MARKER.findall(sentence)]
        if not markers:
            pending.append(sentence)
            continue
        out += [(s, markers) for s in pending] + [(sentence, markers)]
        pending = []
    return out + [(s, []) for s in pending]


# -------------------------------------------------------------------------------------- aggregates
def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), p in [0, 100]."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def group_metrics(records: list[dict]) -> dict:
    gold = [r for r in records if r["has_gold"]]
    pred_nc = [r for r in records if r["verdict"] == "not_covered"]
    gold_nc = [r for r in records if r["gold_verdict"] == "not_covered"]
    gold_no = [r for r in records if r["gold_verdict"] == "no"]
    latencies = [r["latency"] for r in records if r["latency"] is not None and not r["error"]]
    out: dict[str, Any] = {
        "cases": len(records),
        "passed": sum(r["passed"] for r in records),
        "pass_rate": _ratio(sum(r["passed"] for r in records), len(records)),
        "errors": sum(bool(r["error"]) for r in records),
        "cases_with_gold": len(gold),
    }
    for k in HIT_KS:
        out[f"hit_at_{k}"] = _ratio(sum(r["gold_rank"] is not None and r["gold_rank"] <= k for r in gold), len(gold))
    out["mrr"] = _ratio(sum(1 / r["gold_rank"] for r in gold if r["gold_rank"]), len(gold))
    out["verdict_accuracy"] = _ratio(sum(r["correct"] for r in records), len(records))
    out["refusal_precision"] = _ratio(sum(r["gold_verdict"] == "not_covered" for r in pred_nc), len(pred_nc))
    out["refusal_recall"] = _ratio(sum(r["verdict"] == "not_covered" for r in gold_nc), len(gold_nc))
    out["unsafe_answers"] = sum(r["unsafe"] for r in records)
    out["unsafe_rate"] = _ratio(out["unsafe_answers"], len(gold_no))
    out["false_alarms"] = sum(r.get("false_alarm", False) for r in records)
    cited = sum(r["cited"] for r in gold)
    out["citation_precision"] = _ratio(sum(r["cited_gold"] for r in gold), cited)
    out["citation_precision_doc"] = _ratio(sum(r["cited_gold_doc"] for r in gold), cited)
    out["citation_recall"] = _ratio(sum(r["cited_gold"] > 0 for r in gold), len(gold))
    out["must_mention_recall"] = _ratio(sum(r["mention_hits"] for r in records), sum(r["mention_total"] for r in records))
    out["groundedness"] = _ratio(sum(r["supported_sentences"] for r in records), sum(r["sentences"] for r in records))
    out["first_line_groundedness"] = _ratio(sum(r.get("first_line_supported", 0) for r in records),
                                            sum(r.get("first_line_sentences", 0) for r in records))
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    out["latency_p50"] = round(p50, 4) if p50 is not None else None
    out["latency_p95"] = round(p95, 4) if p95 is not None else None
    return out


def confusion(records: list[dict]) -> dict:
    """{"labels": [...], "matrix": {gold: {predicted: count}}}; an "error" column appears only when needed."""
    labels = list(VERDICTS) + (["error"] if any(r["verdict"] is None for r in records) else [])
    counts = Counter((r["gold_verdict"], r["verdict"] or "error") for r in records)
    return {"labels": labels, "matrix": {g: {p: counts[(g, p)] for p in labels} for g in VERDICTS}}


def aggregate(records: list[dict]) -> dict:
    groups: dict[str, dict[str, list[dict]]] = {"by_organisation": defaultdict(list), "by_language": defaultdict(list),
                                                "by_verdict": defaultdict(list), "by_split": defaultdict(list),
                                                "by_shape": defaultdict(list), "by_tag": defaultdict(list)}
    for r in records:
        groups["by_organisation"][r["organisation"]].append(r)
        groups["by_language"][r["language"]].append(r)
        groups["by_verdict"][r["gold_verdict"]].append(r)
        if r.get("split"):
            groups["by_split"][r["split"]].append(r)
        if r.get("shape"):
            groups["by_shape"][r["shape"]].append(r)
        for tag in r.get("tags") or ():
            groups["by_tag"][tag].append(r)
    out: dict[str, Any] = {"overall": group_metrics(records)}
    order = {v: i for i, v in enumerate(VERDICTS)}
    for name, by in groups.items():
        keys = sorted(by, key=lambda k: (order.get(k, len(order)), k))
        out[name] = {key: group_metrics(by[key]) for key in keys}
    out["confusion"] = confusion(records)
    return out
