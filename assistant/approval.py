"""Which AI tools an organisation's documents allow. A tool the question names is not approved there when the
documents approve or permit other tools by name and never this one ("är Midjourney godkänt hos oss?" against
"Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen")."""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.domain import shipped
from assistant.verdict import norms

TOOLS = re.compile(r"\b(" + "|".join(re.escape(t) for t in shipped().tools) + r")\b", re.I)
APPROVED = shipped().normative["approved"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NEGATED = re.compile(r"\b(inte|ej|icke|not|never)\b", re.I)


@lru_cache(maxsize=64)
def allowed_tools(scope_text: str) -> frozenset[str]:
    """The known tools named in a sentence that permits, restricts to ("endast …") or approves, and bans nothing."""
    allowed: set[str] = set()
    for sentence in _SENTENCE.split(scope_text):
        tools = {t.lower() for t in TOOLS.findall(sentence)}
        if not tools:
            continue
        n = norms(sentence)
        approves = any(not _NEGATED.search(" ".join(sentence[:m.start()].split()[-3:])) for m in APPROVED.finditer(sentence))
        if (n.permit or n.only or approves) and not n.prohibit:
            allowed |= tools
    return frozenset(allowed)


def unapproved(question: str, scope_text: str) -> frozenset[str]:
    """The tools the question names, when the documents allow tools by name and none of these."""
    asked = frozenset(t.lower() for t in TOOLS.findall(question))
    allowed = allowed_tools(scope_text)
    return asked if asked and allowed and not asked & allowed else frozenset()
