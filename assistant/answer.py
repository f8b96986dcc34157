"""The structured answer the engine returns, and how it reads as text.

Every interface (CLI, Python API, chat, evals) consumes this one shape; `as_dict()` is the JSON form
`policy-assistant ask --json` prints and the eval reports store.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

VERDICTS = ("yes", "no", "conditional", "info", "not_covered")

# Strictness order: when two sources disagree, the stricter verdict wins (a wrong "yes" can leak data).
STRICTNESS = {"no": 4, "not_covered": 3, "conditional": 2, "info": 1, "yes": 0}

VERDICT_WORDS = {
    "sv": {"yes": "Ja.", "no": "Nej.", "conditional": "Ja, under vissa villkor.", "info": "Så här säger dokumenten.",
           "not_covered": "Policyn säger inget om detta."},
    "en": {"yes": "Yes.", "no": "No.", "conditional": "Yes, under certain conditions.", "info": "This is what the documents say.",
           "not_covered": "The policy does not say."},
}

SOURCE_HEADING = {"sv": "Källor", "en": "Sources"}
NOT_BINDING = {"sv": "vägledning, ej bindande", "en": "guidance, not binding"}


@dataclass
class Citation:
    n: int                 # the [n] marker in the answer text
    passage_id: str
    document: str
    title: str
    organisation: str
    binding: bool
    section: str
    quote: str             # the quoted sentence(s), verbatim from the document text
    start: int             # character span of the quote in the document's (repaired) text
    end: int
    passage: str = ""      # the whole passage the quote stands in
    passage_start: int = 0
    passage_end: int = 0
    deciding: bool = False # the rule the verdict was decided from (always the first citation when there is one)
    version: str = ""      # the document version quoted ("" when the document has one) and the dates it is in force
    valid_from: str = ""
    valid_to: str = ""


@dataclass
class Answer:
    question: str          # redacted: identity numbers, e-mail addresses and phone numbers replaced
    organisation: str
    language: str          # "sv" or "en": the language of the answer text
    verdict: str
    text: str              # 1-4 sentences with [n] markers, without the verdict line
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    sensitive: dict = field(default_factory=dict)      # SensitiveFindings.as_dict(); empty when nothing found
    notices: list[str] = field(default_factory=list)   # shown before the answer (sensitive data, fallback)
    flags: dict = field(default_factory=dict)          # fallback, fallback_reason, removed_citations, verdict_disagreement, injection
    contact: str = ""      # whom the organisation's documents name for questions
    passages: list[dict] = field(default_factory=list) # retrieved passages (Passage.as_dict()), best first
    timings: dict = field(default_factory=dict)        # seconds per stage

    @property
    def verdict_line(self) -> str:
        return VERDICT_WORDS[self.language][self.verdict]

    @property
    def fallback(self) -> bool:
        return bool(self.flags.get("fallback"))

    def render(self) -> str:
        """Plain text: notices, the verdict in words, the answer, then the numbered sources."""
        lines = [*self.notices, self.verdict_line, self.text.strip()]
        if self.citations:
            lines.append("")
            lines.append(SOURCE_HEADING[self.language] + ":")
            for c in self.citations:
                binding = "" if c.binding else f" ({NOT_BINDING[self.language]})"
                where = f", {c.section}" if c.section else ""
                lines.append(f"[{c.n}] {c.title}{binding}{where}, tecken {c.start}–{c.end}:")
                lines.append(f"    ”{one_line(c.quote)}”")
        return "\n".join(line for line in lines if line is not None).strip()

    def as_dict(self) -> dict:
        out = asdict(self)
        out["verdict_line"] = self.verdict_line
        return out


def one_line(text: str) -> str:
    """Document text with its layout line breaks joined for display."""
    return re.sub(r"\s+", " ", text).strip()
