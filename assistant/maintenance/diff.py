"""What changed between two versions of a document, at the level of sections and rules, and what to re-check.

Rules are the sentences the rule reader read as something other than `none` (a prohibition, a permission, a duty
...). A rule of the old version whose sentence is in the new one unchanged is kept (or `changed` when only its
reading moved); otherwise it is paired with the most similar unpaired new rule when they are alike enough
(`changed`: the wording moved, e.g. "får inte" became "får ... om"), else it is `removed`; new rules left over are
`added`. Similarity is rapidfuzz's ratio over case-folded text, the pairing greedy from the most similar pair.

What to re-check: eval cases, practice scenarios (eval cases of the practice sets) and feedback items whose quote
from this document stands in a changed or removed rule, or is no longer found in the new version at all (quotes
are matched the way the evals match them, evals.matching.contains).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from evals.matching import contains, fold
from ingest.errors import PolicyAssistantError

PAIR_SIMILARITY = 60        # rapidfuzz ratio (0-100) for two sentences to be one rule reworded
READING_KEYS = ("modality", "negated", "condition", "information", "tools", "activity", "people")


@dataclass
class Content:
    """One version as the diff reads it."""
    label: str                  # "2" or "förhandsgranskning"
    text: str
    sections: list[str]
    rules: list[dict]           # {"section", "text", "modality", ...}


@dataclass
class Diff:
    document: str
    old: str
    new: str
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)          # new rules
    removed: list[dict] = field(default_factory=list)        # old rules
    changed: list[dict] = field(default_factory=list)        # {"old": rule, "new": rule, "similarity"}
    unchanged: int = 0
    eval_cases: list[dict] = field(default_factory=list)     # {"id", "source", "quote", "why"}
    practice: list[dict] = field(default_factory=list)
    feedback: list[dict] = field(default_factory=list)       # {"id", "question", "quote", "why", "rating"}

    def as_dict(self) -> dict:
        return asdict(self)


def stored_content(settings, doc_id: str, version: str) -> Content:
    from assistant.maintenance.publish import version_chunks, version_text

    text = version_text(settings, doc_id, version)
    sections, rules = [], []
    for chunk_text, meta in version_chunks(settings, doc_id, version):
        if meta.get("section"):
            sections.append(meta["section"])
        for r in json.loads(meta.get("rules") or "[]"):
            if r.get("modality", "none") != "none":
                rules.append({"section": meta.get("section", ""), "text": " ".join(chunk_text[r["start"]:r["end"]].split()),
                              **{k: r.get(k) for k in READING_KEYS}})
    return Content(version or "-", text, list(dict.fromkeys(sections)), rules)


def preview_content(p) -> Content:
    return Content(f"{p.version} (förhandsgranskning / preview)", p.text, list(p.sections),
                   [{k: r.get(k) for k in ("section", "text", *READING_KEYS)} for r in p.rules])


def diff_versions(settings, doc_id: str, old_version: str, new_version: str) -> Diff:
    """The diff of two stored versions ("" names a version without a label)."""
    if old_version == new_version:
        raise PolicyAssistantError("choose two different versions to compare")
    return compare(settings, doc_id, stored_content(settings, doc_id, old_version), stored_content(settings, doc_id, new_version))


def compare(settings, doc_id: str, old: Content, new: Content) -> Diff:
    from rapidfuzz import fuzz

    d = Diff(doc_id, old.label, new.label)
    d.sections_added = [s for s in new.sections if s not in old.sections]
    d.sections_removed = [s for s in old.sections if s not in new.sections]
    new_by_text = {}
    for i, r in enumerate(new.rules):
        new_by_text.setdefault(fold(r["text"]), []).append(i)
    used_new, left_old = set(), []
    for r in old.rules:
        same = [i for i in new_by_text.get(fold(r["text"]), []) if i not in used_new]
        if not same:
            left_old.append(r)
            continue
        used_new.add(same[0])
        other = new.rules[same[0]]
        if any(r.get(k) != other.get(k) for k in ("modality", "negated")):
            d.changed.append({"old": r, "new": other, "similarity": 100})
        else:
            d.unchanged += 1
    left_new = [i for i in range(len(new.rules)) if i not in used_new]
    pairs = sorted(((fuzz.ratio(fold(o["text"]), fold(new.rules[i]["text"])), n, i)
                    for n, o in enumerate(left_old) for i in left_new), reverse=True)
    paired_old, paired_new = set(), set()
    for score, n, i in pairs:
        if score < PAIR_SIMILARITY:
            break
        if n in paired_old or i in paired_new:
            continue
        paired_old.add(n)
        paired_new.add(i)
        d.changed.append({"old": left_old[n], "new": new.rules[i], "similarity": round(score)})
    d.removed = [o for n, o in enumerate(left_old) if n not in paired_old]
    d.added = [new.rules[i] for i in left_new if i not in paired_new]
    touched = [c["old"]["text"] for c in d.changed] + [r["text"] for r in d.removed]
    _impacts(settings, d, doc_id, touched, new.text)
    return d


def _why(quote: str, touched: list[str], new_text: str) -> str:
    """"changed" when the quote stands in (or holds) a changed or removed rule, "gone" when the new version no
    longer holds it, else ""."""
    if any(contains(sentence, quote) or fold(sentence) in fold(quote) for sentence in touched):
        return "changed"
    if not contains(new_text, quote):
        return "gone"
    return ""


def case_files(settings) -> list[Path]:
    """The shipped eval sets and every organisation's own cases (evals/unseen is not read: its documents are
    not the product's)."""
    from assistant.maintenance.cases import own_case_dir
    from evals.runner import ROOT

    own = own_case_dir(settings)
    return sorted((ROOT / "evals" / "sets").glob("*.yaml")) + (sorted(own.glob("*.yaml")) if own.is_dir() else [])


def _read_cases(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []         # a broken set is the eval's to report; the diff lists what it can read
    return [c for c in data or [] if isinstance(c, dict)]


def _impacts(settings, d: Diff, doc_id: str, touched: list[str], new_text: str) -> None:
    from evals.runner import ROOT

    practice = {str((ROOT / p).resolve()) for p in getattr(settings, "practice_sets", [])}
    for path in case_files(settings):
        for case in _read_cases(path):
            for gold in case.get("gold") or []:
                if not isinstance(gold, dict) or gold.get("document") != doc_id or not gold.get("quote"):
                    continue
                why = _why(str(gold["quote"]), touched, new_text)
                if why:
                    item = {"id": case.get("id", "?"), "source": str(path), "quote": gold["quote"], "why": why,
                            "question": case.get("question", ""), "verdict": case.get("verdict", "")}
                    d.eval_cases.append(item)
                    if str(path.resolve()) in practice and case.get("verdict") in ("yes", "no", "conditional"):
                        d.practice.append(item)
                    break
    if settings.feedback_path.is_file():
        from assistant.feedback import FeedbackStore

        for row in FeedbackStore(settings.feedback_path).rows():
            for c in row["citations"]:
                if c.get("document") != doc_id:
                    continue
                why = _why(c.get("quote", ""), touched, new_text)
                if why:
                    d.feedback.append({"id": row["id"], "question": row["question"], "quote": c["quote"], "why": why,
                                       "rating": row["rating"], "organisation": row["organisation"]})
                    break
