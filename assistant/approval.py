"""Which AI tools an organisation's documents allow. A tool the question names is not approved there when the
documents approve or permit other tools by name and never this one ("är Midjourney godkänt hos oss?" against
"Godkända AI-tjänster är för närvarande Copilot Chat med kommunkontot och AI-portalen")."""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.info_classes import read_row
from assistant.terms import PRODUCT_NAME
from assistant.verdict import APPROVED, norms, tools_in
from ingest.sentences import split_spans

_NEGATED = re.compile(r"\b(inte|ej|icke|not|never)\b", re.I)
# A product named as the organisation's own beside others in a list (after "och", "eller", "and", "or" or a comma): a
# compound after "AI" or another name, in the definite form of one thing or a name ("och AI-portalen", "eller
# Ekby-Elin", not the kind "och AI-tjänster"), or a word with a capital inside.
_OWN_PRODUCT = re.compile(r"(?:,|\b(?:och|eller|and|or))\s++(?P<name>"
                          r"(?:AI|[A-ZÅÄÖ][a-zåäö]++)-(?:[A-ZÅÄÖ][a-zåäö]++|[a-zåäö]{2,40}?e[nt])\b|"
                          + PRODUCT_NAME.pattern + ")")
MAX_NAME_WORDS = 3          # a product's name in a table row: "Solbacka Assistenten", not a description


@lru_cache(maxsize=64)
def allowed_tools(scope_text: str) -> frozenset[str]:
    """The known tools named in a sentence that permits, restricts to ("endast …") or approves, and bans nothing;
    and the organisation's own products its class table approves ("SkrivStöd (upphandlad skriv- och
    sammanfattningstjänst)" as "skrivstöd"), which no list of known tools can name."""
    allowed: set[str] = set()
    # Each line cut as the documents' sentences are: a table row's "(t.ex. Gemini, Le Chat)" does not end it.
    for sentence in (line[a:b] for line in scope_text.split("\n") for a, b in split_spans(line)):
        row = read_row(sentence)
        if row is not None:
            # A table row approves its tool up to its highest class, whatever its comment ("Discouraged"); a row
            # with no class ("Inte godkänt") approves nothing.
            if row.highest is not None:
                allowed |= tools_in(row.tool)
                own = " ".join(row.tool.split("(")[0].split())
                # (a name: "Free AI tools (ChatGPT free, Gemini, etc.)" is a kind of tool, named by its examples)
                if own[:1].isupper() and len(own.split()) <= MAX_NAME_WORDS and not tools_in(row.tool):
                    allowed.add(own.lower())
            continue
        tools = tools_in(sentence)
        if not tools:
            continue
        n = norms(sentence)
        approves = any(not _NEGATED.search(" ".join(sentence[:m.start()].split()[-3:])) for m in APPROVED.finditer(sentence))
        if (n.permit or n.only or approves) and not n.prohibit:
            allowed |= tools
            # and the organisation's own products it names beside them, which no list of known tools can name:
            # "Godkända AI-tjänster är … Microsoft Copilot Chat med inloggning via kommunkontot och AI-portalen"
            allowed |= {m["name"].lower() for m in _OWN_PRODUCT.finditer(sentence) if not tools_in(m["name"])}
    return frozenset(allowed)
