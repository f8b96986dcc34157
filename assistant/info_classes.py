"""Information-class tables: which class of information a tool may be used for, and which class the question's is.

Many policies grade information (Klass 0–3, klass A–D, Låg / Måttlig / Hög) and list each tool with the highest class
it is approved for, as a table row: "AI-verktyg: Copilot Chat · Högsta tillåtna informationsklass: Klass 1 (intern)"
or "AI-tjänst: DeepL Pro · Låg: Ja · Måttlig: Ja · Hög: Nej". Such a row permits nothing in words; it permits the tool
for the question's information when that information's class is known and not above the row's highest.

The question's class is only taken as known where the question says so plainly: open (published) information is
the lowest class; information that is not published, with no personal data and no secrecy said to be involved, is
the class the organisation's own documents give unpublished information ("… räknas alltid som lägst Klass 1").
Anything else (personal data, a case, a customer) stays unknown and the row decides nothing.
How rows, fields and levels are written is data (assistant/data/domain.toml, [info_classes]).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import shipped
from assistant.language import concepts_in
from assistant.question import Question

_DATA = shipped().info_classes
_NORMATIVE = shipped().normative
TOOL_FIELD, HIGHEST_FIELD, COMMENT_FIELD, UNPUBLISHED = (
    _DATA[k] for k in ("tool_field", "highest_field", "comment_field", "unpublished"))
SCALES: tuple[tuple[str, ...], ...] = _DATA["scales"]
_NUMBERED = re.compile(r"\b(?:klass|class|nivå|level|informationsklass)\s++([0-9]|[a-d])\b", re.I)
_NAMED = re.compile(r"\b(" + "|".join(w for scale in SCALES for w in scale) + r")\b", re.I)
# A comment that waives or limits ("Ingen särskild behörighet krävs", "No customer personal data at all").
_NEGATED_COMMENT = re.compile(r"^\W*(?:ingen|inget|inga|no|none|not)\b", re.I)
DATA_KINDS = frozenset({"personal_data", "sensitive_data", "secrecy"})

Rank = tuple[str, int]       # (which scale, position on it): ("number", 2), ("letter", 1), ("låg måttlig hög", 0)


def rank(text: str) -> Rank | None:
    """The class a text names first: a numbered or lettered class, else a named level of a known scale."""
    m = _NUMBERED.search(text)
    if m:
        label = m.group(1).lower()
        return ("number", int(label)) if label.isdigit() else ("letter", ord(label) - ord("a"))
    m = _NAMED.search(text)
    if m:
        word = m.group(1).lower()
        scale = next(s for s in SCALES if word in s)
        return (" ".join(scale), scale.index(word))
    return None


@dataclass(frozen=True)
class ClassRow:
    tool: str                  # what the row's first field names
    highest: Rank | None       # the highest class the tool is approved for (None: none)
    condition: str             # what the row adds beside the class (a comment, or the cell's "Ja, med undantag …")


def read_row(text: str) -> ClassRow | None:
    """The class row a sentence is, if it is one."""
    fields = [f.strip() for f in text.split(" · ")]
    name, _, tool = fields[0].partition(":")
    if len(fields) < 2 or not tool.strip() or not TOOL_FIELD.search(name.strip()):
        return None
    highest, cell, comments, found = None, "", [], False
    for field in fields[1:]:
        key, _, value = (part.strip() for part in field.partition(":"))
        if HIGHEST_FIELD.search(key):
            found, highest = True, rank(value)
        elif COMMENT_FIELD.search(key):
            comments.append(value)
        elif (level := rank(key)) is not None:
            # A level column: the highest level whose cell says yes; what that cell adds is a condition.
            found = True
            if _NORMATIVE["answer_yes"].search(value) and (highest is None or level[1] > highest[1]):
                highest, cell = level, _NORMATIVE["answer_yes"].sub("", value, count=1).strip(" ,.")
    if not found:
        return None
    return ClassRow(tool.strip(), highest, " ".join(c for c in (cell, *comments) if c))


def lowest(scale: str, text: str) -> Rank | None:
    """The lowest class of a scale that the organisation's documents name (Klass 0 or Klass 1, A, Låg)."""
    if scale not in ("number", "letter"):
        return (scale, 0)
    ranks = [r for m in _NUMBERED.finditer(text) if (r := rank(m.group(0))) and r[0] == scale]
    return min(ranks, key=lambda r: r[1]) if ranks else None


def question_class(question: Question, scale: str, organisation_text: str) -> Rank | None:
    """The class of the information the question describes, on the given scale, where it says so plainly."""
    if question.risky or question.concepts & DATA_KINDS:
        return None
    if "open_info" in question.concepts:
        return lowest(scale, organisation_text)
    if "open_info" in question.absent and {"personal_data", "secrecy"} <= question.absent:
        text = " ".join(organisation_text.split())
        for m in UNPUBLISHED.finditer(text):
            r = rank(text[m.end():m.end() + 40])
            if r is not None and r[0] == scale:
                return r
    return None


def comment_met(condition: str, question: Question) -> bool:
    """Whether what the row adds asks nothing of this question: nothing, a waiver ("Ingen särskild behörighet
    krävs"), or a limit on data the question says is not involved ("No customer personal data at all")."""
    if not condition.strip():
        return True
    if not _NEGATED_COMMENT.match(condition):
        return False
    about = {c.name for c in concepts_in(condition)} & DATA_KINDS
    return about <= question.absent
