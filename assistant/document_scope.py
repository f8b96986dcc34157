"""Whom a document does not apply to: a department's instruction that says "Instruktionen gäller inte avdelningarna
Äldreomsorg och Funktionsstöd, som följer AI-policyn utan skärpningar" decides nothing for someone who says they
work there, whose answer comes from the documents that do apply (the organisation's policy). The words are data
(`[normative] not_for`, `document_itself`)."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Iterable

from assistant.domain import shipped
from assistant.question import Question
from assistant.terms import specific_words, stems

MIN_STEM = 6
ENDING = 4           # the longest inflection ending told apart from a word of its own ("-arna")

_NOT_FOR, _ITSELF = (shipped().normative[k] for k in ("not_for", "document_itself"))
# Where the part a document leaves out ends: a clause that goes on about it ("…, som följer AI-policyn", "…, but").
_CLAUSE_END = re.compile(r",\s*+(?:som|men|utan|vilka|which|who|but)\b|[.;:]", re.I)
_GOES_ON = re.compile(r",\s*+(?:men|but)\b", re.I)


@lru_cache(maxsize=8192)
def left_out(sentence: str) -> str:
    """The people or units a sentence says its document does not apply to ("avdelningarna Äldreomsorg och
    Funktionsstöd"), or "" when it says no such thing of the document itself ("AI-policyns frist … gäller inte inom
    IFO" is about a rule, not a document). Cached: every permission question reads the organisation's sentences."""
    flat = " ".join(sentence.replace("*", "").split())
    m = _NOT_FOR.search(flat)
    if m is None:
        return ""
    before, after = flat[:m.start()], flat[m.end():]
    if _ITSELF.search(before):                            # "Instruktionen gäller inte X, som …"
        end = _CLAUSE_END.search(after)
        return after[:end.start()] if end else after
    if _ITSELF.search(after):                             # "X … omfattas inte av instruktionen"
        # (one that goes on to what X must do or know, "…, men ska informeras om …", still speaks to them)
        return "" if _GOES_ON.search(after) else before.rsplit(".", 1)[-1]
    return ""


def outside(q: Question, sentences: Iterable) -> dict[str, object]:
    """The documents whose own words leave out someone the question names (its rare words, by their first letters:
    "äldreomsorgen" and "Äldreomsorg"), each with the sentence that says so. The organisation's and the document's
    own names name no one left out ("De kommunala bolagen Havslunda Hamn AB …" and "havslunda.se")."""
    asked = specific_words(q.text, q.language)
    found: dict[str, object] = {}
    if not asked:
        return found
    for s in sentences:
        doc = s.passage.doc_id
        if doc in found:
            continue
        part = left_out(s.text)
        if not part:
            continue
        own = stems(f"{s.passage.organisation} {s.passage.title}")      # (six-letter stems, as MIN_STEM)
        named = {w for w in specific_words(part, q.language) if w[:MIN_STEM] not in own}
        if any(_inflects(a, w) for a in asked for w in named):
            found[doc] = s
    return found


def _inflects(word: str, other: str) -> bool:
    """Whether two words are one word inflected ("äldreomsorgen", "Äldreomsorg"), not two sharing a beginning
    ("funktionen", "Funktionsstöd")."""
    common = len(os.path.commonprefix((word, other)))
    return common >= MIN_STEM and all(len(w) - common <= ENDING for w in (word, other))
