"""Practice mode for onboarding: scenario questions drawn from the eval set, scored against its gold verdicts.

A scenario is an eval case with a yes / no / conditional verdict that stands on its own (no follow-up history,
no injection attempt, no pasted personal data) and asks something a verdict answers: a permission or a yes/no
question, never "who / what / when" (the question analysis decides). The rule shown after an answer is the
sentence of the gold document that holds the gold quote, found the way the eval set matches quotes (case- and
accent-folded, OCR tolerant), so the learner reads the rule as it stands in the document.

An organisation without eval cases still gets scenarios: generated from the rules the rule reader read at ingest
(a confident prohibition, permission or conditional permission), marked as generated so nobody takes them for
reviewed exercises.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from assistant.language import detect_language
from assistant.question import question_kind
from ingest.sentences import split_spans
from evals.cases import Case, load_cases
from evals.matching import contains

CHOICES = ("yes", "no", "conditional")
SKIP_TAGS = {"injection", "personal_data", "followup", "out_of_scope"}


@dataclass(frozen=True)
class Scenario:
    id: str
    organisation: str
    question: str
    verdict: str
    language: str
    rule: str            # the gold sentence, verbatim from the document
    document: str
    title: str
    section: str = ""
    generated: bool = False   # made from a rule reading, not from a reviewed eval case


def load_scenarios(paths: list[Path], retriever) -> list[Scenario]:
    """Every usable scenario in the eval sets, for the documents the store holds."""
    docs = retriever.generation.documents
    cases = load_cases(paths, set(docs), set(retriever.organisations()))
    out = []
    for case in cases:
        if case.verdict not in CHOICES or case.history or SKIP_TAGS & set(case.tags) or not case.gold:
            continue
        if question_kind(case.question) == "info":    # "who decides …?": no yes/no/conditional answers it
            continue
        found = _rule(case, retriever)
        if found:
            doc, rule = found
            out.append(Scenario(case.id, case.organisation, case.question, case.verdict, case.language, rule, doc,
                                docs[doc]["info"]["title"]))
    return out


def _rule(case: Case, retriever) -> tuple[str, str] | None:
    for gold in case.gold:
        text = retriever.document_text(gold.document)
        for s, e in split_spans(text):
            if contains(text[s:e], gold.quote):
                return gold.document, " ".join(text[s:e].split())
    return None


# What a rule reading's modality answers to "may one do what this rule is about?". Obligations, recommendations
# and exceptions are left out: "yes" or "no" would not be the rule's point.
MODALITY_VERDICT = {"prohibition": "no", "permission": "yes", "conditional_permission": "conditional",
                    "restriction": "conditional"}
MIN_CONFIDENCE = 0.7
MAX_GENERATED = 12


def generate_scenarios(retriever, organisation: str) -> list[Scenario]:
    """Scenarios from the rules read at ingest in the organisation's own documents: the most confident readings
    first, one per sentence, each its own rule."""
    found = []
    for passage in retriever.passages().values():
        if passage.organisation != organisation:
            continue
        for r in passage.rules:
            verdict = MODALITY_VERDICT.get(r.get("modality"))
            sentence = " ".join(passage.text[r["start"]:r["end"]].split())
            if verdict and not r.get("negated") and r.get("confidence", 0) >= MIN_CONFIDENCE and 30 <= len(sentence) <= 300:
                found.append((-r["confidence"], passage.start + r["start"], passage, sentence, verdict))
    out, seen = [], set()
    for _, start, p, sentence, verdict in sorted(found, key=lambda x: x[:2]):
        if sentence in seen:
            continue
        seen.add(sentence)
        out.append(Scenario(f"gen-{p.doc_id}-{start}", organisation, sentence, verdict, detect_language(sentence),
                            sentence, p.doc_id, p.title, p.section, generated=True))
    return out[:MAX_GENERATED]


def for_organisation(scenarios: list[Scenario], organisation: str, language: str) -> list[Scenario]:
    """The organisation's scenarios in the interface language; all of them when none are in that language."""
    own = [s for s in scenarios if s.organisation == organisation]
    same = [s for s in own if s.language == language]
    return same or own


@dataclass
class Session:
    """One learner's run through the scenarios: a shuffled order, the current one, and the score."""
    order: list[str]
    index: int = 0
    right: int = 0
    answered: int = 0
    last_correct: bool | None = None
    last_choice: str | None = None

    @classmethod
    def start(cls, scenarios: list[Scenario], seed: int | None = None) -> "Session":
        ids = [s.id for s in scenarios]
        random.Random(seed).shuffle(ids)
        return cls(order=ids)

    @property
    def done(self) -> bool:
        return self.index >= len(self.order)

    def current(self, by_id: dict[str, Scenario]) -> Scenario | None:
        return None if self.done else by_id[self.order[self.index]]

    def answer(self, choice: str, by_id: dict[str, Scenario]) -> bool:
        """Score the learner's choice for the current scenario; a second answer to the same one does not count."""
        scenario = self.current(by_id)
        if scenario is None or choice not in CHOICES:
            raise ValueError(f"no scenario to answer or unknown choice {choice!r}")
        correct = choice == scenario.verdict
        if self.answered == self.index:
            self.right += int(correct)
            self.answered += 1
        self.last_correct, self.last_choice = correct, choice
        return correct

    def next(self) -> None:
        if self.answered > self.index:
            self.index += 1
            self.last_correct = self.last_choice = None
