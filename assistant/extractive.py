"""Extractive answers: the one to three sentences of the top passages that best answer the question, quoted
verbatim, scored with the same embeddings as retrieval plus term overlap.
"""
from __future__ import annotations

import re

import numpy as np

from assistant.language import expansion
from assistant.question import Question
from assistant.retrieval import Passage
from assistant.sentence_index import Sentence, SentenceIndex
from assistant.terms import TOKEN, stems
from assistant.verdict import applies, sentence_norms

MAX_SENTENCES = 3
PASSAGES_READ = 5          # sentences are taken from this many top passages
MARGIN = 0.035             # a further sentence must score this close to the best one
OVERLAP_WEIGHT = 0.06
RANK_WEIGHT = 0.02         # prior from the passage's fused rank
NORM_BONUS = 0.015         # a permission question is answered by a rule, not by background prose
NAMED_BONUS = 0.03         # "what does the checklist say ..." is answered from the checklist
REDUNDANT_COS = 0.93
MIN_WORDS = 4              # headings and fragments are not answers


def select(question: Question, query_vec, passages: list[Passage], index: SentenceIndex,
           named: set[str] = frozenset()) -> list[tuple[Sentence, float]]:
    """The best sentences, best first, at most MAX_SENTENCES, none repeating another.

    The organisation's own rules answer; general guidance is quoted when it answers better, or when the
    question asks for that document by name, and is not mixed in beside a binding rule.
    """
    q = np.asarray(query_vec, dtype=np.float32)
    q /= max(float(np.linalg.norm(q)), 1e-9)
    terms = stems(question.query + " " + expansion(question.query, question.language))
    scored = []
    for rank, passage in enumerate(passages[:PASSAGES_READ]):
        for sentence in index.of(passage):
            text = sentence.text
            if len(TOKEN.findall(text)) < MIN_WORDS:
                continue
            score = float(sentence.vector @ q)
            if terms:
                score += OVERLAP_WEIGHT * len(terms & stems(text)) / len(terms)
            score += RANK_WEIGHT / (rank + 1)
            if passage.doc_id in named:
                score += NAMED_BONUS
            elif not passage.binding:
                score -= RANK_WEIGHT
            if question.kind == "permission":
                n = sentence_norms(sentence)
                if n.prohibit or n.only or n.condition or n.permit:
                    score += NORM_BONUS
                if not applies(text, question):
                    score -= 2 * NORM_BONUS
            scored.append((sentence, score))
    scored.sort(key=lambda item: -item[1])
    chosen: list[tuple[Sentence, float]] = []
    for sentence, score in scored:
        if chosen and score < chosen[0][1] - MARGIN:
            break
        if any(float(sentence.vector @ c.vector) > REDUNDANT_COS or _overlaps(sentence, c) for c, _ in chosen):
            continue
        if chosen and chosen[0][0].passage.binding and not sentence.passage.binding:
            continue
        chosen.append((sentence, score))
        if len(chosen) == MAX_SENTENCES:
            break
    return chosen


def _overlaps(a: Sentence, b: Sentence) -> bool:
    if a.passage.doc_id != b.passage.doc_id:
        return False
    a0, a1 = a.passage.start + a.start, a.passage.start + a.end
    b0, b1 = b.passage.start + b.start, b.passage.start + b.end
    return a0 < b1 and b0 < a1
